//! Invariants that must hold for any input, shared by the fuzz target (`fuzz/`), the property
//! tests and the regression inputs the fuzzer found (`fixtures/fuzz/`).
//!
//! For any bytes: decoding either fails cleanly or yields text; every diagnostic span and label
//! lies inside the text on character boundaries, with positions that agree with it. And the fix
//! property, for safe fixes (`--fix`) and for every fix (`--fix --unsafe-fixes`), as plain text
//! and as Markdown:
//!
//! - the fixed text is the original with the run's [`Change`]s applied, byte for byte: outside
//!   the changes every byte is kept, in order (so every Han character, digit and Latin letter);
//! - the fixed text is also what replaying the applied fixes pass by pass gives, and the
//!   changes lie inside what those fixes edited;
//! - the first pass applies fixes exactly as the report (the lint without fixing) gives them,
//!   safe ones only unless unsafe fixes are allowed, and no pass applies an unsafe fix then;
//! - the text stays within the growth bound, and a run that stops on a loop or on growth says
//!   so (its text is never written);
//! - a second run changes nothing, unless the first held fixes back (and said so: a rule judged
//!   a place again, differently, once other fixes were applied); then the second run's first
//!   pass applies only those.

use std::path::Path;
use std::sync::OnceLock;

use crate::config::Config;
use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::document::{Document, Format};
use crate::driver::lint_document;
use crate::fix::{Change, FixRun, Stop, GROWTH_FACTOR, GROWTH_SLACK, MAX_PASSES};
use crate::lint::{Linter, RuleSet, Selection};
use crate::source::SourceFile;

/// Every rule, default-off ones included.
pub fn all_rules() -> &'static RuleSet {
    static RULES: OnceLock<(Linter, std::sync::Arc<RuleSet>)> = OnceLock::new();
    &RULES
        .get_or_init(|| {
            let linter = Linter::new(
                Config::defaults(Path::new(".")),
                Selection {
                    select: Some(vec!["ALL".into()]),
                    ignore: vec![],
                },
            )
            .expect("all rules build");
            let set = linter.rules_for(Path::new("fuzz.txt")).expect("rules");
            (linter, set)
        })
        .1
}

fn check_spans(src: &SourceFile, diags: &[Diagnostic]) {
    let text = src.text();
    let ok = |r: &std::ops::Range<usize>| {
        r.start <= r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    };
    for d in diags {
        assert!(
            ok(&d.range),
            "{}: span {:?} outside the text or off a char boundary",
            d.rule,
            d.range
        );
        assert_eq!(
            src.position(d.range.start),
            d.start,
            "{}: start position",
            d.rule
        );
        for l in &d.labels {
            assert!(
                ok(&l.range),
                "{}: label {:?} outside the text",
                d.rule,
                l.range
            );
        }
        if let Some(f) = &d.fix {
            for e in &f.edits {
                assert!(
                    ok(&e.range),
                    "{}: edit {:?} outside the text",
                    d.rule,
                    e.range
                );
            }
        }
    }
}

/// Assert that `fixed` is `original` with `changes` applied: sorted changes that neither overlap
/// nor touch, every byte between them kept in place, each replacement where it belongs.
pub fn check_changes(original: &str, fixed: &str, changes: &[Change]) {
    let mut last = 0; // end of the previous change in `original`
    let mut at = 0; // where that position is in `fixed`
    for (k, c) in changes.iter().enumerate() {
        assert!(
            c.range.start <= c.range.end && c.range.end <= original.len(),
            "change {c:?} outside the text"
        );
        assert!(
            k == 0 && c.range.start >= last || c.range.start > last,
            "changes out of order or touching: {changes:?}"
        );
        let kept = &original[last..c.range.start];
        assert_eq!(
            fixed.get(at..at + kept.len()),
            Some(kept),
            "text outside the changes is not kept (before change {c:?})"
        );
        at += kept.len();
        assert_eq!(
            fixed.get(at..at + c.replacement.len()),
            Some(c.replacement.as_str()),
            "change {c:?} is not what the fixed text holds"
        );
        at += c.replacement.len();
        last = c.range.end;
        assert!(!c.rules.is_empty(), "change {c:?} names no rule");
    }
    assert_eq!(
        &fixed[at.min(fixed.len())..],
        &original[last..],
        "text after the last change is not kept"
    );
    assert_eq!(fixed.len() - at, original.len() - last);
}

/// The text after replaying `run`'s applied fixes pass by pass on `original`.
pub fn replay(original: &str, run: &FixRun) -> String {
    let mut text = original.to_string();
    for pass in 1..=run.passes {
        let mut edits: Vec<&Edit> = run
            .applied
            .iter()
            .filter(|a| a.pass == pass)
            .flat_map(|a| &a.edits)
            .collect();
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for e in edits {
            assert!(
                e.range.start >= last,
                "applied edits of pass {pass} overlap"
            );
            out.push_str(&text[last..e.range.start]);
            out.push_str(&e.replacement);
            last = e.range.end;
        }
        out.push_str(&text[last..]);
        text = out;
    }
    text
}

/// Check the fix property (see the module docs) for `src` as `format`; returns the first run.
pub fn check_fixes(
    src: &SourceFile,
    format: Format,
    rules: &RuleSet,
    unsafe_fixes: bool,
) -> FixRun {
    let original = src.text();
    let report = lint_document(
        Document::parse(src.clone(), format),
        rules,
        false,
        false,
        &[],
    );
    let linted = lint_document(
        Document::parse(src.clone(), format),
        rules,
        true,
        unsafe_fixes,
        &[],
    );
    let run = linted.run;
    check_spans(&linted.doc.source, &linted.diagnostics);
    let fixed = linted.doc.text();
    let bound = original.len() * GROWTH_FACTOR + GROWTH_SLACK;
    assert!(fixed.len() <= bound, "the text grew past the bound");
    check_changes(original, fixed, &run.changes);
    assert_eq!(replay(original, &run), fixed, "replaying the applied fixes");
    for a in &run.applied {
        assert!(
            unsafe_fixes || a.applicability == Applicability::Safe,
            "{}: an unsafe fix applied by --fix",
            a.rule
        );
        if a.pass == 1 {
            let in_report = report.diagnostics.iter().any(|d| {
                d.rule == a.rule
                    && d.fix.as_ref().is_some_and(|f| {
                        let mut e = f.edits.to_vec();
                        e.sort_by_key(|e| (e.range.start, e.range.end));
                        f.applicability == a.applicability && e == a.edits
                    })
            });
            assert!(
                in_report,
                "{}: pass 1 applied a fix the report does not give",
                a.rule
            );
        }
    }
    if run.stop.is_error() {
        // Never written; the message says why.
        assert!(run.stop.message().is_some_and(|m| !m.is_empty()));
        return run;
    }
    if let Stop::PassLimit { rules } = &run.stop {
        assert_eq!(run.passes, MAX_PASSES);
        assert!(!rules.is_empty());
    }
    // A second run on the fixed text.
    let again = lint_document(
        Document::parse(linted.doc.source.clone(), format),
        rules,
        true,
        unsafe_fixes,
        &[],
    );
    if run.stop == Stop::Converged {
        if run.held.is_empty() {
            assert!(
                again.run.changes.is_empty(),
                "a second run changed the fixed text: {:?}",
                again.run.applied
            );
        } else {
            for a in again.run.applied.iter().filter(|a| a.pass == 1) {
                assert!(
                    run.held
                        .iter()
                        .any(|h| h.rule == a.rule && h.edits == a.edits),
                    "{}: the second run applied a fix the first neither applied nor held",
                    a.rule
                );
            }
        }
    }
    run
}

/// Run every check on `data`; panics when an invariant breaks.
pub fn check_bytes(data: &[u8]) {
    let Ok(src) = SourceFile::from_bytes(data.to_vec()) else {
        return;
    };
    let set = all_rules();
    for format in [Format::Plain, Format::Markdown] {
        let doc = Document::parse(src.clone(), format);
        for p in &doc.paragraphs {
            assert!(p.range.start <= p.range.end && p.range.end <= doc.text().len());
            for r in &p.pieces {
                assert!(doc.text().is_char_boundary(r.start) && doc.text().is_char_boundary(r.end));
            }
        }
        let diags = set.lint(&doc);
        check_spans(&doc.source, &diags);
        for unsafe_fixes in [false, true] {
            check_fixes(&src, format, set, unsafe_fixes);
        }
    }
}
