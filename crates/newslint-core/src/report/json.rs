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
    diagnostics: Vec<JsonDiagnostic<'a>>,
    /// With `--fix` (or `--diff`): what the applied fixes changed, per file, in the text as it
    /// was read. Absent when nothing was fixed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<JsonChange<'a>>,
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
    labels: Vec<JsonLabel<'a>>,
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

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: Applicability,
    edits: Vec<JsonEdit<'a>>,
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
        labels: d
            .labels
            .iter()
            .map(|l| JsonLabel {
                line: l.start.line,
                column: l.start.column,
                end_line: l.end.line,
                end_column: l.end.column,
                message: &l.message,
            })
            .collect(),
        fix: d.fix.as_ref().map(|f| JsonFix {
            applicability: f.applicability,
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit {
                    byte_start: e.range.start,
                    byte_end: e.range.end,
                    replacement: &e.replacement,
                })
                .collect(),
        }),
    }
}

pub fn render(outcomes: &[FileOutcome], summary: &Summary) -> String {
    let report = Report {
        version: VERSION,
        summary: JsonSummary {
            files: summary.files,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
            fixed: summary.fixed,
        },
        diagnostics: outcomes
            .iter()
            .flat_map(|o| o.diagnostics.iter().map(move |d| diagnostic(&o.path, d)))
            .collect(),
        fixes: outcomes
            .iter()
            .flat_map(|o| {
                o.changes.iter().map(move |c| JsonChange {
                    path: &o.path,
                    byte_start: c.range.start,
                    byte_end: c.range.end,
                    replacement: &c.replacement,
                    rules: &c.rules,
                })
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
    s.push('\n');
    s
}
