//! `--format json`: one document, a public contract (see README, "JSON output").
//!
//! `{"version":1,"summary":{...},"diagnostics":[...]}`. Lines and columns are 1-based, columns
//! count characters, ends are exclusive; byte offsets index the UTF-8 text without its BOM.

use serde::Serialize;

use super::Summary;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::driver::FileOutcome;

/// The version of the JSON schema; bumped only on incompatible changes.
pub const VERSION: u32 = 1;

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
        s.collect_seq(
            self.0
                .iter()
                .flat_map(|o| o.diagnostics.iter().map(move |d| diagnostic(&o.path, d))),
        )
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
    message: &'a str,
    help: Option<&'a str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    byte_start: usize,
    byte_end: usize,
    labels: Labels<'a>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
}

/// A finding's labels, serialized from the finding itself.
struct Labels<'a>(&'a [crate::diagnostic::ResolvedLabel]);

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
struct Edits<'a>(&'a [crate::diagnostic::Edit]);

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

fn diagnostic<'a>(path: &'a str, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        path,
        rule: &d.rule,
        severity: d.severity.as_str(),
        message: &d.message,
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

/// Write the report to `out` as it is serialized (pretty-printed, with a final newline).
pub fn write<W: std::io::Write>(
    out: &mut W,
    outcomes: &[FileOutcome],
    summary: &Summary,
) -> std::io::Result<()> {
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
    serde_json::to_writer_pretty(&mut *out, &report)?;
    out.write_all(b"\n")
}

/// The report as a string ([`write`] into memory).
pub fn render(outcomes: &[FileOutcome], summary: &Summary) -> String {
    let mut out = Vec::new();
    let _ = write(&mut out, outcomes, summary);
    String::from_utf8(out).unwrap_or_default()
}
