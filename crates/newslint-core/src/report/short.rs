//! `--format short`: `path:line:col: severity[rule] message`, one a line.

use crate::driver::FileOutcome;

/// One finding as `path:line:col: severity[rule] message` (also used in JUnit failures).
pub fn line(path: &str, d: &crate::diagnostic::Diagnostic) -> String {
    format!(
        "{}:{}:{}: {}[{}] {}",
        path,
        d.start.line,
        d.start.column,
        d.severity.as_str(),
        d.rule,
        d.message
    )
}

/// Write every finding, one a line, to `out`.
pub fn write<W: std::io::Write>(out: &mut W, outcomes: &[FileOutcome]) -> std::io::Result<()> {
    for o in outcomes {
        for d in &o.diagnostics {
            // Written in place, not through `line`: no string per finding.
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                o.path,
                d.start.line,
                d.start.column,
                d.severity.as_str(),
                d.rule,
                d.message
            )?;
        }
    }
    Ok(())
}

/// The findings as a string ([`write`] into memory).
pub fn render(outcomes: &[FileOutcome]) -> String {
    let mut out = Vec::new();
    let _ = write(&mut out, outcomes);
    String::from_utf8(out).unwrap_or_default()
}
