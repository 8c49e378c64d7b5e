//! `--format json`: one document, a public contract (see README, "JSON output").
//!
//! `{"version":1,"summary":{...},"diagnostics":[...]}`. Lines and columns are 1-based, columns
//! count characters, ends are exclusive; byte offsets index the UTF-8 text without its BOM.
//!
//! The report is written as it is produced, with the layout of `serde_json`'s pretty printer
//! (two spaces a level) spelled out: a finding costs its strings' bytes, checked for characters
//! to escape in one pass, and a few writes of fixed text. The tests hold the report as
//! `serde_json` types too and compare the two byte for byte.

use std::io::{self, Write};

use super::Summary;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::driver::FileOutcome;

/// The version of the JSON schema; bumped only on incompatible changes.
pub const VERSION: u32 = 1;

/// Write `s` as a JSON string, escaped as `serde_json` escapes: `"`, `\\`, and the C0 controls
/// (short forms for backspace, form feed, line feed, carriage return and tab, `\u00xx` else).
fn string<W: Write>(w: &mut W, s: &str) -> io::Result<()> {
    w.write_all(b"\"")?;
    escaped(w, s)?;
    w.write_all(b"\"")
}

/// A message as a JSON string, its parts escaped one after the other (no string is built for a
/// line message).
fn message<W: Write>(w: &mut W, m: &crate::diagnostic::Message) -> io::Result<()> {
    let mut digits = itoa::Buffer::new();
    w.write_all(b"\"")?;
    for part in m.parts(&mut digits) {
        escaped(w, part)?;
    }
    w.write_all(b"\"")
}

/// `s` escaped for a JSON string, without the quotes.
fn escaped<W: Write>(w: &mut W, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    // One pass without an early exit, which the compiler vectorises.
    let plain = bytes
        .iter()
        .fold(true, |ok, &b| ok & (b >= 0x20) & (b != b'"') & (b != b'\\'));
    if plain {
        w.write_all(bytes)?;
    } else {
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let short: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                0x08 => b"\\b",
                0x0C => b"\\f",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0..0x20 => b"",
                _ => continue,
            };
            w.write_all(&bytes[start..i])?;
            start = i + 1;
            if short.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                w.write_all(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 0xF)],
                ])?;
            } else {
                w.write_all(short)?;
            }
        }
        w.write_all(&bytes[start..])?;
    }
    Ok(())
}

/// Write a number in decimal.
fn number<W: Write>(w: &mut W, n: impl itoa::Integer) -> io::Result<()> {
    w.write_all(itoa::Buffer::new().format(n).as_bytes())
}

/// Fixed text, then a number.
fn field<W: Write>(w: &mut W, key: &[u8], n: impl itoa::Integer) -> io::Result<()> {
    w.write_all(key)?;
    number(w, n)
}

/// An array whose own line is indented `depth` levels, in serde_json's pretty layout: `[]` when
/// empty, else each element on its own line one level deeper. `item` writes an element from its
/// first character on.
fn array<W: Write, T>(
    w: &mut W,
    items: impl IntoIterator<Item = T>,
    depth: usize,
    mut item: impl FnMut(&mut W, T) -> io::Result<()>,
) -> io::Result<()> {
    const SPACES: &[u8] = b"                    ";
    w.write_all(b"[")?;
    let mut empty = true;
    for x in items {
        w.write_all(if empty { b"\n" } else { b",\n" })?;
        w.write_all(&SPACES[..2 * (depth + 1)])?;
        item(w, x)?;
        empty = false;
    }
    if !empty {
        w.write_all(b"\n")?;
        w.write_all(&SPACES[..2 * depth])?;
    }
    w.write_all(b"]")
}

/// A finding, as an element of `diagnostics` (its `{` at four spaces).
fn diagnostic<W: Write>(w: &mut W, path: &str, d: &Diagnostic) -> io::Result<()> {
    w.write_all(b"{\n      \"path\": ")?;
    string(w, path)?;
    w.write_all(b",\n      \"rule\": ")?;
    string(w, &d.rule)?;
    w.write_all(b",\n      \"severity\": ")?;
    string(w, d.severity.as_str())?;
    w.write_all(b",\n      \"message\": ")?;
    message(w, &d.message)?;
    w.write_all(b",\n      \"help\": ")?;
    match &d.help {
        Some(h) => string(w, h)?,
        None => w.write_all(b"null")?,
    }
    field(w, b",\n      \"line\": ", d.start.line)?;
    field(w, b",\n      \"column\": ", d.start.column)?;
    field(w, b",\n      \"end_line\": ", d.end.line)?;
    field(w, b",\n      \"end_column\": ", d.end.column)?;
    field(w, b",\n      \"byte_start\": ", d.range.start)?;
    field(w, b",\n      \"byte_end\": ", d.range.end)?;
    w.write_all(b",\n      \"labels\": ")?;
    array(w, &d.labels, 3, |w, l| {
        field(w, b"{\n          \"line\": ", l.start.line)?;
        field(w, b",\n          \"column\": ", l.start.column)?;
        field(w, b",\n          \"end_line\": ", l.end.line)?;
        field(w, b",\n          \"end_column\": ", l.end.column)?;
        w.write_all(b",\n          \"message\": ")?;
        string(w, &l.message)?;
        w.write_all(b"\n        }")
    })?;
    w.write_all(b",\n      \"fix\": ")?;
    match &d.fix {
        None => w.write_all(b"null")?,
        Some(f) => {
            w.write_all(match f.applicability {
                Applicability::Safe => b"{\n        \"applicability\": \"safe\"",
                Applicability::Unsafe => b"{\n        \"applicability\": \"unsafe\"",
            })?;
            w.write_all(b",\n        \"edits\": ")?;
            array(w, &f.edits, 4, |w, e| {
                field(w, b"{\n            \"byte_start\": ", e.range.start)?;
                field(w, b",\n            \"byte_end\": ", e.range.end)?;
                w.write_all(b",\n            \"replacement\": ")?;
                string(w, &e.replacement)?;
                w.write_all(b"\n          }")
            })?;
            w.write_all(b"\n      }")?;
        }
    }
    w.write_all(b"\n    }")
}

/// An applied change, as an element of `fixes`.
fn change<W: Write>(w: &mut W, path: &str, c: &crate::fix::Change) -> io::Result<()> {
    w.write_all(b"{\n      \"path\": ")?;
    string(w, path)?;
    field(w, b",\n      \"byte_start\": ", c.range.start)?;
    field(w, b",\n      \"byte_end\": ", c.range.end)?;
    w.write_all(b",\n      \"replacement\": ")?;
    string(w, &c.replacement)?;
    w.write_all(b",\n      \"rules\": ")?;
    array(w, &c.rules, 3, |w, r| string(w, r))?;
    w.write_all(b"\n    }")
}

/// Write the report to `out` as it is produced (pretty-printed, with a final newline).
pub fn write<W: Write>(out: &mut W, outcomes: &[FileOutcome], summary: &Summary) -> io::Result<()> {
    field(out, b"{\n  \"version\": ", VERSION as usize)?;
    field(out, b",\n  \"summary\": {\n    \"files\": ", summary.files)?;
    field(out, b",\n    \"errors\": ", summary.errors)?;
    field(out, b",\n    \"warnings\": ", summary.warnings)?;
    field(out, b",\n    \"infos\": ", summary.infos)?;
    if summary.fixed != 0 {
        field(out, b",\n    \"fixed\": ", summary.fixed)?;
    }
    out.write_all(b"\n  },\n  \"diagnostics\": ")?;
    let diagnostics = outcomes
        .iter()
        .flat_map(|o| o.diagnostics.iter().map(move |d| (o.path.as_str(), d)));
    array(out, diagnostics, 1, |w, (path, d)| diagnostic(w, path, d))?;
    // With `--fix` (or `--diff`): what the applied fixes changed, per file, in the text as it
    // was read. Absent when nothing was fixed.
    if outcomes.iter().any(|o| !o.changes.is_empty()) {
        out.write_all(b",\n  \"fixes\": ")?;
        let changes = outcomes
            .iter()
            .flat_map(|o| o.changes.iter().map(move |c| (o.path.as_str(), c)));
        array(out, changes, 1, |w, (path, c)| change(w, path, c))?;
    }
    out.write_all(b"\n}\n")
}

#[cfg(test)]
mod tests {
    //! The same report as `serde_json` types, pretty-printed by `serde_json`: the oracle the
    //! hand-written layout must match byte for byte.

    use super::*;
    use crate::diagnostic::{Edit, Fix, ResolvedLabel, Severity};
    use crate::source::Position;
    use serde::Serialize;

    fn render(outcomes: &[FileOutcome], summary: &Summary) -> String {
        crate::report::to_string(|w| write(w, outcomes, summary))
    }

    #[derive(Serialize)]
    struct Report<'a> {
        version: u32,
        summary: JsonSummary,
        diagnostics: Diagnostics<'a>,
        /// With `--fix` (or `--diff`): what the applied fixes changed, per file, in the text as it
        /// was read. Absent when nothing was fixed.
        #[serde(skip_serializing_if = "Changes::is_empty")]
        fixes: Changes<'a>,
    }

    /// Every outcome's findings, serialized as they are met: no list of them is built.
    struct Diagnostics<'a>(&'a [FileOutcome]);

    impl Serialize for Diagnostics<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.0.iter().flat_map(|o| {
                o.diagnostics
                    .iter()
                    .map(move |d| oracle_diagnostic(&o.path, d))
            }))
        }
    }

    /// Every outcome's applied changes, serialized as they are met.
    struct Changes<'a>(&'a [FileOutcome]);

    impl Changes<'_> {
        fn is_empty(&self) -> bool {
            self.0.iter().all(|o| o.changes.is_empty())
        }
    }

    impl Serialize for Changes<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.0.iter().flat_map(|o| {
                o.changes.iter().map(move |c| JsonChange {
                    path: &o.path,
                    byte_start: c.range.start,
                    byte_end: c.range.end,
                    replacement: &c.replacement,
                    rules: &c.rules,
                })
            }))
        }
    }

    #[derive(Serialize)]
    struct JsonChange<'a> {
        path: &'a str,
        byte_start: usize,
        byte_end: usize,
        replacement: &'a str,
        rules: &'a [String],
    }

    #[derive(Serialize)]
    struct JsonSummary {
        files: usize,
        errors: usize,
        warnings: usize,
        infos: usize,
        /// Fixes applied (absent when none).
        #[serde(skip_serializing_if = "is_zero")]
        fixed: usize,
    }

    fn is_zero(n: &usize) -> bool {
        *n == 0
    }

    #[derive(Serialize)]
    struct JsonDiagnostic<'a> {
        path: &'a str,
        rule: &'a str,
        severity: &'a str,
        message: std::borrow::Cow<'a, str>,
        help: Option<&'a str>,
        line: u32,
        column: u32,
        end_line: u32,
        end_column: u32,
        byte_start: usize,
        byte_end: usize,
        labels: Labels<'a>,
        fix: Option<JsonFix<'a>>,
    }

    #[derive(Serialize)]
    struct JsonLabel<'a> {
        line: u32,
        column: u32,
        end_line: u32,
        end_column: u32,
        message: &'a str,
    }

    /// A finding's labels, serialized from the finding itself.
    struct Labels<'a>(&'a [ResolvedLabel]);

    impl Serialize for Labels<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.0.iter().map(|l| JsonLabel {
                line: l.start.line,
                column: l.start.column,
                end_line: l.end.line,
                end_column: l.end.column,
                message: &l.message,
            }))
        }
    }

    /// A fix's edits, serialized from the fix itself.
    struct Edits<'a>(&'a [Edit]);

    impl Serialize for Edits<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.0.iter().map(|e| JsonEdit {
                byte_start: e.range.start,
                byte_end: e.range.end,
                replacement: &e.replacement,
            }))
        }
    }

    #[derive(Serialize)]
    struct JsonFix<'a> {
        applicability: Applicability,
        edits: Edits<'a>,
    }

    #[derive(Serialize)]
    struct JsonEdit<'a> {
        byte_start: usize,
        byte_end: usize,
        replacement: &'a str,
    }

    fn oracle_diagnostic<'a>(path: &'a str, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
        JsonDiagnostic {
            path,
            rule: &d.rule,
            severity: d.severity.as_str(),
            message: d.message.text(),
            help: d.help.as_deref(),
            line: d.start.line,
            column: d.start.column,
            end_line: d.end.line,
            end_column: d.end.column,
            byte_start: d.range.start,
            byte_end: d.range.end,
            labels: Labels(&d.labels),
            fix: d.fix.as_ref().map(|f| JsonFix {
                applicability: f.applicability,
                edits: Edits(&f.edits),
            }),
        }
    }

    fn oracle(outcomes: &[FileOutcome], summary: &Summary) -> String {
        let report = Report {
            version: VERSION,
            summary: JsonSummary {
                files: summary.files,
                errors: summary.errors,
                warnings: summary.warnings,
                infos: summary.infos,
                fixed: summary.fixed,
            },
            diagnostics: Diagnostics(outcomes),
            fixes: Changes(outcomes),
        };
        let mut s = serde_json::to_string_pretty(&report).unwrap();
        s.push('\n');
        s
    }

    fn at(line: u32, column: u32) -> Position {
        Position { line, column }
    }

    /// Every ASCII character (controls, quote, backslash) and some beyond it.
    fn awkward() -> String {
        let mut s: String = (0u8..0x80).map(char::from).collect();
        s.push_str("中文，“引号”\u{2028}\u{FEFF}😀");
        s
    }

    fn finding(message: &str, labels: usize, fix: Option<(Applicability, usize)>) -> Diagnostic {
        let mut d = Diagnostic::io(message.to_string());
        d.rule = "rule-id".into();
        d.severity = Severity::Warning;
        d.help = (labels % 2 == 0).then(|| format!("help {message}").into());
        d.range = 3..17;
        d.start = at(2, 4);
        d.end = at(3, 1);
        d.labels = (0..labels)
            .map(|k| ResolvedLabel {
                range: k..k + 1,
                start: at(k as u32 + 1, 2),
                end: at(k as u32 + 1, 3),
                message: format!("label {k} {message}").into(),
            })
            .collect();
        d.fix = fix.map(|(applicability, edits)| {
            Box::new(Fix {
                applicability,
                edits: (0..edits)
                    .map(|k| Edit {
                        range: k * 3..k * 3 + 2,
                        replacement: format!("{k}{message}"),
                    })
                    .collect(),
            })
        });
        d
    }

    #[test]
    fn the_layout_is_serde_jsons() {
        let odd = awkward();
        let mut with_all = FileOutcome {
            path: format!("dir/{odd}.txt"),
            ..FileOutcome::default()
        };
        with_all.diagnostics = vec![
            finding("plain", 0, None),
            finding(&odd, 1, Some((Applicability::Safe, 1))),
            finding("two labels", 2, Some((Applicability::Unsafe, 3))),
            finding("no edits", 3, Some((Applicability::Safe, 0))),
        ];
        let mut fixed = FileOutcome {
            path: "b.txt".into(),
            fixed: 2,
            ..FileOutcome::default()
        };
        fixed.changes = vec![
            crate::fix::Change {
                range: 0..3,
                replacement: odd.clone(),
                rules: vec!["a".into(), "b".into()],
            },
            crate::fix::Change {
                range: 5..5,
                replacement: String::new(),
                rules: Vec::new(),
            },
        ];
        let empty = FileOutcome {
            path: "c.txt".into(),
            ..FileOutcome::default()
        };
        let failed = FileOutcome {
            path: "d.txt".into(),
            diagnostics: vec![Diagnostic::io("无法读取".into())],
            failed: true,
            ..FileOutcome::default()
        };
        let runs: [Vec<FileOutcome>; 4] = [
            vec![],
            vec![FileOutcome::default()],
            vec![with_all, fixed, empty],
            vec![failed],
        ];
        for outcomes in &runs {
            let summary = Summary::of(outcomes);
            assert_eq!(render(outcomes, &summary), oracle(outcomes, &summary));
        }
        // A summary with fixes but no changes listed, and the other way round.
        let s = Summary {
            fixed: 3,
            ..Summary::default()
        };
        assert_eq!(render(&runs[0], &s), oracle(&runs[0], &s));
        assert_eq!(
            render(&runs[2], &Summary::default()),
            oracle(&runs[2], &Summary::default())
        );
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let odd = awkward();
        for s in [&odd[..], "", "\\", "\"", "a\u{1}b", "\u{7F}", "尾\n"] {
            let mut out = Vec::new();
            string(&mut out, s).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(s).unwrap()
            );
        }
        for n in [0, 7, 10, 99, 1234567890, usize::MAX] {
            let mut out = Vec::new();
            number(&mut out, n).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }
}
