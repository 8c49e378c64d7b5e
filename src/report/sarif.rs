//! `--format sarif`: SARIF 2.1.0, one run, a rule entry per rule of the catalog with its
//! documentation as help. Columns are Unicode code points (`columnKind: unicodeCodePoints`),
//! the same character columns as every other format.

use serde_json::{json, Value};

use crate::catalog::Entry;
use crate::diagnostic::{Applicability, Severity};
use crate::driver::FileOutcome;

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

/// The log for a run; `entries` are the rules of every config the run used.
pub fn render(outcomes: &[FileOutcome], entries: &[Entry]) -> String {
    let rules: Vec<Value> = entries
        .iter()
        .map(|e| {
            let m = e.meta;
            json!({
                "id": m.id,
                "shortDescription": {"text": m.summary},
                "fullDescription": {"text": m.summary},
                "help": {"text": m.docs, "markdown": m.docs},
                "defaultConfiguration": {"level": level(m.default_severity), "enabled": m.default_enabled},
            })
        })
        .collect();
    let index = |id: &str| entries.iter().position(|e| e.meta.id == id);
    let mut results = Vec::new();
    for o in outcomes {
        for d in &o.diagnostics {
            let region = json!({
                "startLine": d.start.line,
                "startColumn": d.start.column,
                "endLine": d.end.line,
                "endColumn": d.end.column,
            });
            let mut r = json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": {"text": match &d.help { Some(h) => format!("{} ({h})", d.message), None => d.message.clone() }},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&o.path)}, "region": region}}],
            });
            if let Some(i) = index(&d.rule) {
                r["ruleIndex"] = json!(i);
            }
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
                                    "artifactLocation": {"uri": uri(&o.path)},
                                    "region": {"startLine": l.start.line, "startColumn": l.start.column, "endLine": l.end.line, "endColumn": l.end.column},
                                },
                            })
                        })
                        .collect(),
                );
            }
            if let Some(f) = d
                .fix
                .as_ref()
                .filter(|f| f.applicability == Applicability::Safe)
            {
                r["fixes"] = json!([{
                    "description": {"text": d.help.clone().unwrap_or_else(|| d.message.clone())},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": uri(&o.path)},
                        "replacements": f.edits.iter().map(|e| json!({
                            "deletedRegion": {"byteOffset": e.range.start, "byteLength": e.range.end - e.range.start},
                            "insertedContent": {"text": e.replacement},
                        })).collect::<Vec<_>>(),
                    }],
                }]);
            }
            results.push(r);
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "newslint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://crates.io/crates/newslint",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}
