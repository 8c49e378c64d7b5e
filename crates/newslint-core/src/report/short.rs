//! `--format short`: `path:line:col: severity[rule] message`, one a line.

use crate::driver::FileOutcome;

/// One finding as `path:line:col: severity[rule] message` (also used in JUnit failures).
pub fn line(path: &str, d: &crate::diagnostic::Diagnostic) -> String {
    Line(path, d).to_string()
}

/// The one layout of a finding's line, written in place by [`write`] (no string per finding).
struct Line<'a>(&'a str, &'a crate::diagnostic::Diagnostic);

impl std::fmt::Display for Line<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Line(path, d) = self;
        write!(
            f,
            "{}:{}:{}: {}[{}] {}",
            path,
            d.start.line,
            d.start.column,
            d.severity.as_str(),
            d.rule,
            d.message
        )
    }
}

/// Write every finding, one a line, to `out`.
pub fn write<W: std::io::Write>(out: &mut W, outcomes: &[FileOutcome]) -> std::io::Result<()> {
    for o in outcomes {
        for d in &o.diagnostics {
            writeln!(out, "{}", Line(&o.path, d))?;
        }
    }
    Ok(())
}
