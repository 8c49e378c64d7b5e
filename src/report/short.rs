//! `--format short`: `path:line:col: severity[rule] message`, one a line.

use std::fmt::Write;

use crate::driver::FileOutcome;

pub fn render(outcomes: &[FileOutcome]) -> String {
    let mut out = String::new();
    for o in outcomes {
        for d in &o.diagnostics {
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
