//! `--format sarif`: SARIF 2.1.0, one run, a rule entry per rule of the catalog with its
//! documentation as help and a `helpUri`. Columns are Unicode code points
//! (`columnKind: unicodeCodePoints`), the same character columns as every other format.
//!
//! Each file's results are rendered while its document is at hand ([`file_results`], run by
//! the workers): a fix's `byteOffset` counts the file's own bytes (a UTF-8 byte-order mark, GBK
//! and UTF-16 included, as SARIF 3.30.11 says), and `partialFingerprints` carry the baseline's
//! fingerprint of the finding. Files that could not be read and plugins that failed are
//! `toolExecutionNotifications` of the run's invocation, not results.

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::catalog::Entry;
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::document::Document;
use crate::driver::FileOutcome;

/// The key of newslint's fingerprint in `partialFingerprints` (versioned, as SARIF suggests).
pub const FINGERPRINT: &str = "newslint/v1";

/// Where the project lives (Cargo.toml's `repository`): rule documentation links start here.
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a relative URI reference: `/` separators, reserved and non-ASCII bytes escaped.
pub fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A failure that is not a finding: an unreadable file, a failed plugin.
fn is_problem(d: &Diagnostic) -> bool {
    d.rule == "io" || d.rule == "plugin"
}

/// The page documenting a rule: its source file in the repository, which holds the text
/// `newslint explain` prints. `None` for rules of a user's pack (no public address).
pub fn help_uri(e: &Entry, builtin_packs: &HashSet<String>) -> Option<String> {
    let base = REPOSITORY.trim_end_matches('/').trim_end_matches(".git");
    match &e.pack {
        None => Some(format!(
            "{base}/blob/main/crates/newslint-core/src/rules/{}.rs",
            e.meta.id.replace('-', "_")
        )),
        Some(pack) if builtin_packs.contains(pack) => {
            let rule = e.meta.id.rsplit('/').next().unwrap_or(&e.meta.id);
            Some(format!("{base}/blob/main/lints/{pack}/{rule}.toml"))
        }
        Some(_) => None,
    }
}

/// The findings newslint reports about suppression directives: not rules of the catalog, but
/// they are results, so they have rule entries too.
const DIRECTIVE_RULES: [(&str, &str); 2] = [
    (
        "unused-suppression",
        "A suppression directive that suppressed nothing (--report-unused-suppressions)",
    ),
    (
        crate::suppress::INVALID,
        "A suppression directive that names a rule, pack or plugin that does not exist",
    ),
];

/// The results of one file as a JSON array, rendered while its document is at hand.
pub fn file_results(path: &str, doc: &Document, diags: &[Diagnostic]) -> String {
    let found: Vec<&Diagnostic> = diags.iter().filter(|d| !is_problem(d)).collect();
    // Every fix's edits, converted in one pass over the file.
    let offsets: Vec<usize> = found
        .iter()
        .filter_map(|d| safe_fix(d))
        .flat_map(|f| f.edits.iter().flat_map(|e| [e.range.start, e.range.end]))
        .collect();
    let mut in_file = doc.source.file_offsets(&offsets).into_iter();
    let results: Vec<Value> = found
        .iter()
        .map(|d| {
            let mut r = result(path, d);
            r["partialFingerprints"] =
                json!({ FINGERPRINT: crate::baseline::fingerprint(doc.text(), d) });
            if let Some(f) = safe_fix(d) {
                let replacements: Vec<Value> = f
                    .edits
                    .iter()
                    .map(|e| {
                        let start = in_file.next().unwrap_or(e.range.start);
                        let end = in_file.next().unwrap_or(e.range.end);
                        json!({
                            "deletedRegion": {"byteOffset": start, "byteLength": end - start},
                            "insertedContent": {"text": e.replacement},
                        })
                    })
                    .collect();
                r["fixes"] = json!([{
                    "description": {"text": d.help.clone().unwrap_or_else(|| d.message.clone())},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": uri(path)},
                        "replacements": replacements,
                    }],
                }]);
            }
            r
        })
        .collect();
    serde_json::to_string(&results).unwrap_or_else(|_| "[]".into())
}

fn safe_fix(d: &Diagnostic) -> Option<&crate::diagnostic::Fix> {
    d.fix
        .as_ref()
        .filter(|f| f.applicability == Applicability::Safe)
}

/// A result without what needs the file's text (fingerprint, fixes).
fn result(path: &str, d: &Diagnostic) -> Value {
    let region = json!({
        "startLine": d.start.line,
        "startColumn": d.start.column,
        "endLine": d.end.line,
        "endColumn": d.end.column,
    });
    let text = match &d.help {
        Some(h) => format!("{} ({h})", d.message),
        None => d.message.clone(),
    };
    let mut r = json!({
        "ruleId": d.rule,
        "level": level(d.severity),
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(path)}, "region": region}}],
    });
    if !d.labels.is_empty() {
        r["relatedLocations"] = Value::Array(
            d.labels
                .iter()
                .enumerate()
                .map(|(k, l)| {
                    json!({
                        "id": k,
                        "message": {"text": l.message},
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri(path)},
                            "region": {"startLine": l.start.line, "startColumn": l.start.column, "endLine": l.end.line, "endColumn": l.end.column},
                        },
                    })
                })
                .collect(),
        );
    }
    r
}

/// The log for a run; `entries` are the rules of every config the run used. Each outcome's
/// results are those [`file_results`] rendered into it, and its cross-file findings (added
/// after rendering, without fixes). An outcome rendered by something else gets its results
/// here, without fixes or fingerprints, whose offsets need the file's text.
pub fn render(outcomes: &[FileOutcome], entries: &[Entry]) -> String {
    let builtin: HashSet<String> = crate::catalog::Catalog::builtin()
        .packs
        .into_iter()
        .map(|p| p.name)
        .collect();
    let mut rules: Vec<Value> = entries
        .iter()
        .map(|e| {
            let m = &e.meta;
            let help = m.docs_with_defaults();
            let mut r = json!({
                "id": m.id,
                "shortDescription": {"text": m.summary},
                "fullDescription": {"text": m.summary},
                "help": {"text": help, "markdown": help},
                "defaultConfiguration": {"level": level(m.default_severity), "enabled": m.default_enabled},
            });
            if let Some(u) = help_uri(e, &builtin) {
                r["helpUri"] = json!(u);
            }
            r
        })
        .collect();
    let base = REPOSITORY.trim_end_matches('/').trim_end_matches(".git");
    for (id, summary) in DIRECTIVE_RULES {
        rules.push(json!({
            "id": id,
            "shortDescription": {"text": summary},
            "fullDescription": {"text": summary},
            "helpUri": format!("{base}/blob/main/README.md#suppressions-baselines-and-ignore-patterns"),
            "defaultConfiguration": {"level": "warning", "enabled": true},
        }));
    }
    let index = |id: &str| rules.iter().position(|r| r["id"] == id);
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for o in outcomes {
        let mut mine: Vec<Value> = if o.rendered.is_empty() {
            o.diagnostics
                .iter()
                .enumerate()
                .filter(|(k, d)| !is_problem(d) && !o.cross_file.contains(k))
                .map(|(_, d)| result(&o.path, d))
                .collect()
        } else {
            serde_json::from_str(&o.rendered).unwrap_or_default()
        };
        mine.extend(
            o.cross_file
                .iter()
                .map(|&k| result(&o.path, &o.diagnostics[k])),
        );
        for mut r in mine {
            if let Some(i) = r["ruleId"].as_str().and_then(index) {
                r["ruleIndex"] = json!(i);
            }
            results.push(r);
        }
        for d in o.diagnostics.iter().filter(|d| is_problem(d)) {
            notifications.push(json!({
                "level": "error",
                "message": {"text": d.message},
                "descriptor": {"id": d.rule},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&o.path)}}}],
            }));
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "newslint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_HOMEPAGE"),
                "rules": rules,
                "notifications": [
                    {"id": "io", "shortDescription": {"text": "A file that could not be read or decoded"}},
                    {"id": "plugin", "shortDescription": {"text": "An external plugin that failed"}},
                ],
            }},
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}
