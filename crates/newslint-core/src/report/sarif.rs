//! `--format sarif`: SARIF 2.1.0, one run, a rule entry per rule of the catalog with its
//! documentation as help and a `helpUri`. Columns are Unicode code points
//! (`columnKind: unicodeCodePoints`), the same character columns as every other format.
//!
//! Each file's results are rendered while its document is at hand ([`file_results`], run by
//! the workers): a fix's `byteOffset` counts the file's own bytes (a UTF-8 byte-order mark, GBK
//! and UTF-16 included, as SARIF 3.30.11 says), and `partialFingerprints` carry the baseline's
//! fingerprint of the finding. Files that could not be read and plugins that failed are
//! `toolExecutionNotifications` of the run's invocation, not results.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
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

/// What a file's results need of its text, gathered while its document is at hand: one line
/// per result (per finding that is not a problem, in order), its fingerprint and then, for
/// each edit of its safe fix, the edit's start and end in the file's own bytes, separated by
/// spaces. [`write`] builds the results from these lines and the findings.
pub fn file_results(_path: &str, doc: &Document, diags: &[Diagnostic]) -> String {
    use std::fmt::Write;
    let found = diags.iter().filter(|d| !is_problem(d));
    // Every fix's edits, converted in one pass over the file.
    let offsets: Vec<usize> = found
        .clone()
        .filter_map(safe_fix)
        .flat_map(|f| f.edits.iter().flat_map(|e| [e.range.start, e.range.end]))
        .collect();
    let mut in_file = doc.source.file_offsets(&offsets).into_iter();
    let mut out = String::new();
    for d in found {
        out.push_str(&crate::baseline::fingerprint(doc.text(), d));
        for e in safe_fix(d).map_or(&[][..], |f| &f.edits) {
            let start = in_file.next().unwrap_or(e.range.start);
            let end = in_file.next().unwrap_or(e.range.end);
            let _ = write!(out, " {start} {end}");
        }
        out.push('\n');
    }
    out
}

/// One line of [`file_results`]: the fingerprint and the file offsets of the safe fix's edits.
struct Extra<'a> {
    fingerprint: &'a str,
    offsets: std::str::SplitAsciiWhitespace<'a>,
}

impl<'a> Extra<'a> {
    fn parse(line: &'a str) -> Extra<'a> {
        let mut words = line.split_ascii_whitespace();
        Extra {
            fingerprint: words.next().unwrap_or_default(),
            offsets: words,
        }
    }
}

fn safe_fix(d: &Diagnostic) -> Option<&crate::diagnostic::Fix> {
    d.fix
        .as_deref()
        .filter(|f| f.applicability == Applicability::Safe)
}

/// A result's message: the finding's, with its help in parentheses.
struct Text<'a>(&'a Diagnostic);

impl std::fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0.help {
            Some(h) => write!(f, "{} ({h})", self.0.message),
            None => write!(f, "{}", self.0.message),
        }
    }
}

impl Serialize for Text<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A `{"text": ...}` object (SARIF's message).
#[derive(Serialize)]
struct Message<T: Serialize> {
    text: T,
}

#[derive(Serialize)]
struct ArtifactLocation<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    end_column: u32,
    end_line: u32,
    start_column: u32,
    start_line: u32,
}

impl Region {
    fn of(start: crate::source::Position, end: crate::source::Position) -> Region {
        Region {
            end_column: end.column,
            end_line: end.line,
            start_column: start.column,
            start_line: start.line,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation<'a> {
    id: usize,
    message: Message<&'a str>,
    physical_location: PhysicalLocation<'a>,
}

/// A finding's labels as related locations, serialized from the finding.
struct Related<'a> {
    uri: &'a str,
    labels: &'a [crate::diagnostic::ResolvedLabel],
}

impl Serialize for Related<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            self.labels
                .iter()
                .enumerate()
                .map(|(k, l)| RelatedLocation {
                    id: k,
                    message: Message { text: &l.message },
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation { uri: self.uri },
                        region: Region::of(l.start, l.end),
                    },
                }),
        )
    }
}

#[derive(Serialize)]
struct Fingerprints<'a> {
    #[serde(rename = "newslint/v1")]
    v1: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeletedRegion {
    byte_length: usize,
    byte_offset: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: DeletedRegion,
    inserted_content: Message<&'a str>,
}

/// A safe fix's edits, at the file offsets [`file_results`] computed.
struct Replacements<'a> {
    edits: &'a [crate::diagnostic::Edit],
    offsets: std::str::SplitAsciiWhitespace<'a>,
}

impl Serialize for Replacements<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut offsets = self.offsets.clone();
        let mut next = |or: usize| offsets.next().and_then(|w| w.parse().ok()).unwrap_or(or);
        s.collect_seq(self.edits.iter().map(|e| {
            let start = next(e.range.start);
            let end = next(e.range.end);
            Replacement {
                deleted_region: DeletedRegion {
                    byte_length: end - start,
                    byte_offset: start,
                },
                inserted_content: Message {
                    text: &e.replacement,
                },
            }
        }))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation<'a>,
    replacements: Replacements<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    artifact_changes: [ArtifactChange<'a>; 1],
    description: Message<std::borrow::Cow<'a, str>>,
}

/// One result. Fields are in the order of their names, as the log's other objects (built as
/// `serde_json::Value`, whose maps are sorted) have theirs.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    fixes: Option<[SarifFix<'a>; 1]>,
    level: &'static str,
    locations: [Location<'a>; 1],
    message: Message<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    partial_fingerprints: Option<Fingerprints<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    related_locations: Option<Related<'a>>,
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
}

/// A result; with `extra` (from [`file_results`]) its fingerprint and safe fix too.
fn result<'a>(
    uri: &'a str,
    d: &'a Diagnostic,
    extra: Option<Extra<'a>>,
    rule_index: Option<usize>,
) -> SarifResult<'a> {
    let (partial_fingerprints, fixes) = match extra {
        None => (None, None),
        Some(x) => (
            Some(Fingerprints { v1: x.fingerprint }),
            safe_fix(d).map(|f| {
                [SarifFix {
                    artifact_changes: [ArtifactChange {
                        artifact_location: ArtifactLocation { uri },
                        replacements: Replacements {
                            edits: &f.edits,
                            offsets: x.offsets,
                        },
                    }],
                    description: Message {
                        text: d
                            .help
                            .as_deref()
                            .map_or_else(|| d.message.text(), std::borrow::Cow::Borrowed),
                    },
                }]
            }),
        ),
    };
    SarifResult {
        fixes,
        level: level(d.severity),
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri },
                region: Region::of(d.start, d.end),
            },
        }],
        message: Message { text: Text(d) },
        partial_fingerprints,
        related_locations: (!d.labels.is_empty()).then_some(Related {
            uri,
            labels: &d.labels,
        }),
        rule_id: &d.rule,
        rule_index,
    }
}

/// Every outcome's results, serialized as they are met: each outcome's own (in order, with
/// what [`file_results`] gathered), then its cross-file findings (without fixes).
struct Results<'a> {
    outcomes: &'a [FileOutcome],
    index: &'a HashMap<&'a str, usize>,
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(None)?;
        for o in self.outcomes {
            let uri = uri(&o.path);
            let rule_index = |d: &Diagnostic| self.index.get(&*d.rule).copied();
            let mut extras = o.rendered.lines();
            let rendered = !o.rendered.is_empty();
            let own = o
                .diagnostics
                .iter()
                .enumerate()
                .filter(|(k, d)| !is_problem(d) && o.cross_file.binary_search(k).is_err());
            for (_, d) in own {
                let extra = if rendered {
                    Some(Extra::parse(extras.next().unwrap_or_default()))
                } else {
                    None
                };
                seq.serialize_element(&result(&uri, d, extra, rule_index(d)))?;
            }
            for d in o.cross_file.iter().map(|&k| &o.diagnostics[k]) {
                seq.serialize_element(&result(&uri, d, None, rule_index(d)))?;
            }
        }
        seq.end()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    column_kind: &'static str,
    invocations: Value,
    results: Results<'a>,
    tool: Value,
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

/// The log for a run; `entries` are the rules of every config the run used. Each outcome's
/// results are those [`file_results`] rendered into it, and its cross-file findings (added
/// after rendering, without fixes). An outcome rendered by something else gets its results
/// here, without fixes or fingerprints, whose offsets need the file's text.
pub fn write<W: std::io::Write>(
    out: &mut W,
    outcomes: &[FileOutcome],
    entries: &[Entry],
) -> std::io::Result<()> {
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
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, r) in rules.iter().enumerate() {
        if let Some(id) = r["id"].as_str() {
            index.entry(id).or_insert(i);
        }
    }
    let mut notifications = Vec::new();
    for o in outcomes {
        for d in o.diagnostics.iter().filter(|d| is_problem(d)) {
            notifications.push(json!({
                "level": "error",
                "message": {"text": d.message},
                "descriptor": {"id": d.rule},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&o.path)}}}],
            }));
        }
    }
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            column_kind: "unicodeCodePoints",
            invocations: json!([{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }]),
            results: Results {
                outcomes,
                index: &index,
            },
            tool: json!({"driver": {
                "name": "newslint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_HOMEPAGE"),
                "rules": rules,
                "notifications": [
                    {"id": "io", "shortDescription": {"text": "A file that could not be read or decoded"}},
                    {"id": "plugin", "shortDescription": {"text": "An external plugin that failed"}},
                ],
            }}),
        }],
        version: "2.1.0",
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}
