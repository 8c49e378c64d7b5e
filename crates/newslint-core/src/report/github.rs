//! `--format github`: GitHub Actions workflow commands, which annotate the pull request.
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`

use std::fmt::Write;

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

pub fn render(outcomes: &[FileOutcome]) -> String {
    let mut out = String::new();
    for o in outcomes {
        for d in &o.diagnostics {
            let kind = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let msg = match &d.help {
                Some(h) => format!("{}（{h}）", d.message),
                None => d.message.clone(),
            };
            let _ = writeln!(
                out,
                "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&o.path),
                d.start.line,
                d.start.column,
                d.end.line,
                d.end.column,
                escape_property(&format!("newslint {}", d.rule)),
                escape_data(&msg)
            );
        }
    }
    out
}
