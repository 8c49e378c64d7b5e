//! `--format github`: GitHub Actions workflow commands, which annotate the pull request.
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`

use crate::diagnostic::Severity;
use crate::driver::FileOutcome;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Write one workflow command per finding to `out`.
pub fn write<W: std::io::Write>(out: &mut W, outcomes: &[FileOutcome]) -> std::io::Result<()> {
    for o in outcomes {
        let file = escape_property(&o.path);
        for d in &o.diagnostics {
            let kind = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let msg = match &d.help {
                Some(h) => escape_data(&format!("{}（{h}）", d.message)),
                None => escape_data(&d.message.text()),
            };
            writeln!(
                out,
                "::{kind} file={file},line={},col={},endLine={},endColumn={},title={}::{msg}",
                d.start.line,
                d.start.column,
                d.end.line,
                d.end.column,
                escape_property(&format!("newslint {}", d.rule)),
            )?;
        }
    }
    Ok(())
}
