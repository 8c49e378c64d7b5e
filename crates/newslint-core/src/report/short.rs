//! `--format short`: `path:line:col: severity[rule] message`, one a line.

use std::fmt::Write;

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

pub fn render(outcomes: &[FileOutcome]) -> String {
    let mut out = String::new();
    for o in outcomes {
        for d in &o.diagnostics {
            // Written in place, not through `line`: no string per finding.
            let _ = writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                o.path,
                d.start.line,
                d.start.column,
                d.severity.as_str(),
                d.rule,
                d.message
            );
        }
    }
    out
}
