//! `--format short`: `path:line:col: severity[rule] message`, one a line.

use crate::diagnostic::Diagnostic;
use crate::driver::FileOutcome;

/// One finding as `path:line:col: severity[rule] message` (also used in JUnit failures).
pub fn line(path: &str, d: &Diagnostic) -> String {
    let mut out = Vec::new();
    push_line(&mut out, path, d);
    out.pop(); // the newline
    String::from_utf8(out).expect("the pieces of a line are UTF-8")
}

/// A number in decimal, appended to `out`.
fn push_number(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// The one layout of a finding's line, with its newline, appended to `out` piece by piece (no
/// formatting machinery, no string per finding: a large file has hundreds of thousands).
fn push_line(out: &mut Vec<u8>, path: &str, d: &Diagnostic) {
    out.extend_from_slice(path.as_bytes());
    out.push(b':');
    push_number(out, d.start.line);
    out.push(b':');
    push_number(out, d.start.column);
    out.extend_from_slice(b": ");
    out.extend_from_slice(d.severity.as_str().as_bytes());
    out.push(b'[');
    out.extend_from_slice(d.rule.as_bytes());
    out.extend_from_slice(b"] ");
    let mut digits = itoa::Buffer::new();
    for part in d.message.parts(&mut digits) {
        out.extend_from_slice(part.as_bytes());
    }
    out.push(b'\n');
}

/// Write every finding, one a line, to `out`, a few kilobytes at a time.
pub fn write<W: std::io::Write>(out: &mut W, outcomes: &[FileOutcome]) -> std::io::Result<()> {
    const CHUNK: usize = 1 << 14;
    let mut buf = Vec::with_capacity(CHUNK + 512);
    for o in outcomes {
        for d in &o.diagnostics {
            push_line(&mut buf, &o.path, d);
            if buf.len() >= CHUNK {
                out.write_all(&buf)?;
                buf.clear();
            }
        }
    }
    out.write_all(&buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::source::Position;

    /// The layout as `format!` spells it: what the byte pushing must give.
    fn oracle(path: &str, d: &Diagnostic) -> String {
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

    #[test]
    fn lines_are_the_formatted_ones() {
        let mut outcomes = Vec::new();
        let mut want = String::new();
        for (k, path) in ["a.txt", "目录/稿件 1.md", ""].iter().enumerate() {
            let mut o = FileOutcome {
                path: path.to_string(),
                ..FileOutcome::default()
            };
            // Enough findings to cross the chunk size several times.
            for i in 0..3000usize {
                let mut d = Diagnostic::io(format!(
                    "段落与第 {i} 行的段落完全相同{}",
                    "，".repeat(i % 7)
                ));
                d.rule = ["duplicate-paragraph", "typo/variants", "io"][i % 3].into();
                d.severity = [Severity::Error, Severity::Warning, Severity::Info][(i + k) % 3];
                d.start = Position {
                    line: (i * 7919 % 100_003 + k) as u32,
                    column: [0, 1, 9, 10, 4_012_345_678][i % 5],
                };
                want.push_str(&oracle(path, &d));
                want.push('\n');
                assert_eq!(line(path, &d), oracle(path, &d));
                o.diagnostics.push(d);
            }
            outcomes.push(o);
        }
        let got = crate::report::to_string(|w| write(w, &outcomes));
        assert_eq!(got, want);
    }
}
