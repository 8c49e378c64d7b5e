//! Rule fixtures: every rule has `fixtures/rules/<id>.toml` with cases that must and must not be
//! reported (and the text after `--fix` where given), and `fixtures/rules/<id>.txt`, a realistic
//! sample whose rendered report is an insta snapshot.

use std::path::{Path, PathBuf};

use newslint_core::catalog::{Catalog, Entry};
use newslint_core::config::Config;
use newslint_core::document::{Document, Format};
use newslint_core::driver::lint_and_fix;
use newslint_core::lint::{Linter, Selection};
use newslint_core::source::SourceFile;
use serde::Deserialize;

// The human format is the CLI's (the binary has no library target): the snapshots of its
// rendering compile its one file here.
#[path = "../src/human.rs"]
#[allow(dead_code)]
mod human;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    rule: String,
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    text: String,
    report: usize,
    why: String,
    fixed: Option<String>,
    #[serde(default)]
    markdown: bool,
    /// Rule options for this case (as in `[rules.<id>]`).
    options: Option<toml::Table>,
    /// Apply unsafe fixes too when checking `fixed`.
    #[serde(default, rename = "unsafe")]
    unsafe_fixes: bool,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules")
}

fn linter(rule: &str) -> Linter {
    linter_with(rule, None)
}

fn linter_with(rule: &str, options: Option<&toml::Table>) -> Linter {
    let mut cfg = Config::defaults(Path::new(env!("CARGO_MANIFEST_DIR")));
    if let Some(o) = options {
        let setting = newslint_core::config::RuleSetting {
            level: None,
            options: o.clone(),
        };
        cfg.rules.insert(rule.to_string(), setting);
    }
    Linter::new(
        cfg,
        Selection {
            select: Some(vec![rule.to_string()]),
            ignore: vec![],
        },
    )
    .expect("linter")
}

/// The catalog's Rust rules (the one registry lists pack rules too).
fn rust_rules() -> Vec<Entry> {
    Catalog::builtin()
        .entries
        .into_iter()
        .filter(|e| e.pack.is_none())
        .collect()
}

fn doc(text: &str, format: Format) -> Document {
    Document::parse(SourceFile::from_text(text.to_string(), false), format)
}

#[test]
fn every_rule_has_cases_both_ways() {
    for entry in rust_rules() {
        let id: &str = &entry.meta.id;
        let path = fixtures().join(format!("{id}.toml"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing {path:?}"));
        let file: CaseFile = toml::from_str(&text).expect("case file");
        assert_eq!(file.rule, id);
        let must = file.case.iter().filter(|c| c.report > 0).count();
        let must_not = file.case.iter().filter(|c| c.report == 0).count();
        assert!(
            must >= 10 && must_not >= 10,
            "{id}: {must} must / {must_not} must-not cases"
        );
        assert!(
            fixtures().join(format!("{id}.txt")).exists(),
            "{id}: missing sample .txt"
        );
    }
}

#[test]
fn cases() {
    let mut failures = Vec::new();
    for entry in rust_rules() {
        let id: &str = &entry.meta.id;
        let text = std::fs::read_to_string(fixtures().join(format!("{id}.toml"))).expect("cases");
        let file: CaseFile = toml::from_str(&text).expect("case file");
        let linter = linter(id);
        let rules = linter.rules_for(Path::new("case.txt")).expect("rules");
        for case in &file.case {
            let custom = case.options.as_ref().map(|o| linter_with(id, Some(o)));
            let rules = match &custom {
                Some(l) => l.rules_for(Path::new("case.txt")).expect("rules"),
                None => rules.clone(),
            };
            let format = if case.markdown {
                Format::Markdown
            } else {
                Format::Plain
            };
            let (_, diags, _) = lint_and_fix(doc(&case.text, format), &rules, false, false);
            if diags.len() != case.report {
                let got: Vec<String> = diags
                    .iter()
                    .map(|d| format!("{}:{} {}", d.start.line, d.start.column, d.message))
                    .collect();
                failures.push(format!(
                    "{id}: {:?}\n  expected {} finding(s), got {}: {got:?}\n  why: {}",
                    case.text,
                    case.report,
                    diags.len(),
                    case.why
                ));
            }
            if let Some(want) = &case.fixed {
                let (fixed, remaining, _) =
                    lint_and_fix(doc(&case.text, format), &rules, true, case.unsafe_fixes);
                if fixed.text() != want {
                    failures.push(format!(
                        "{id}: fix of {:?}\n  got  {:?}\n  want {want:?}",
                        case.text,
                        fixed.text()
                    ));
                }
                if remaining.iter().any(|d| d.fix.is_some()) {
                    failures.push(format!(
                        "{id}: fixable findings remain after fixing {:?}",
                        case.text
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn rendered_samples() {
    let style = human::Style {
        color: false,
        width: 100,
    };
    for entry in rust_rules() {
        let id: &str = &entry.meta.id;
        let path = fixtures().join(format!("{id}.txt"));
        let text = std::fs::read_to_string(&path).expect("sample");
        let linter = linter(id);
        let rules = linter.rules_for(&path).expect("rules");
        let d = doc(&text, Format::Plain);
        let (d, diags, _) = lint_and_fix(d, &rules, false, false);
        assert!(!diags.is_empty(), "{id}: the sample should show findings");
        let shown = format!("fixtures/rules/{id}.txt");
        let rendered = human::render_file(&shown, &d, &diags, &style);
        insta::assert_snapshot!(format!("sample-{id}"), rendered);
    }
}

/// Near repeats are sought among the last 400 paragraphs; exact ones anywhere in the file, also
/// after the first copy has left that window (its text is then normalised again).
#[test]
fn duplicate_paragraph_finds_exact_repeats_beyond_the_window() {
    // 450 distinct paragraphs: each a different run of Han characters and its number.
    let han = |k: u32| char::from_u32(0x4E00 + k).unwrap_or('中');
    let para = |i: u32| -> String {
        let body: String = (0..30).map(|k| han((i * 37 + k * 11) % 20000)).collect();
        format!("{body}第{i}段。")
    };
    let mut paras: Vec<String> = (0..450).map(para).collect();
    paras.push(para(3)); // far: paragraph 3 left the window long ago
    paras.push(para(440)); // near: still in the window
    let text = paras.join("\n\n");
    let linter = linter("duplicate-paragraph");
    let rules = linter.rules_for(Path::new("case.txt")).expect("rules");
    let (_, diags, _) = lint_and_fix(doc(&text, Format::Plain), &rules, false, false);
    let got: Vec<(usize, String)> = diags
        .iter()
        .map(|d| (d.start.line as usize, d.message.to_string()))
        .collect();
    // Paragraph k is on line 2k + 1.
    assert_eq!(
        got,
        vec![
            (901, "段落与第 7 行的段落完全相同".to_string()),
            (903, "段落与第 881 行的段落完全相同".to_string()),
        ]
    );
}
