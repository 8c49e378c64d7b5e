//! Invariants that must hold for any input, shared by the fuzz target (`fuzz/`), the property
//! tests and the regression inputs the fuzzer found (`fixtures/fuzz/`).
//!
//! For any bytes: decoding either fails cleanly or yields text; every diagnostic span and label
//! lies inside the text on character boundaries, with positions that agree with it; applying all
//! fixes (safe and unsafe) yields valid text, changes nothing outside the fixed spans, and
//! re-linting reports none of the applied safe fixes again.

use std::path::Path;
use std::sync::OnceLock;

use crate::config::Config;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::document::{Document, Format};
use crate::driver::lint_and_fix;
use crate::lint::{Linter, RuleSet, Selection};
use crate::source::SourceFile;

fn rules() -> &'static RuleSet {
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

/// Run every check on `data`; panics when an invariant breaks.
pub fn check_bytes(data: &[u8]) {
    let Ok(src) = SourceFile::from_bytes(data.to_vec()) else {
        return;
    };
    for format in [Format::Plain, Format::Markdown] {
        let doc = Document::parse(src.clone(), format);
        for p in &doc.paragraphs {
            assert!(p.range.start <= p.range.end && p.range.end <= doc.text().len());
            for r in &p.pieces {
                assert!(doc.text().is_char_boundary(r.start) && doc.text().is_char_boundary(r.end));
            }
        }
        let set = rules();
        let diags = set.lint(&doc);
        check_spans(&doc.source, &diags);
        // Safe fixes only: the text outside the fixed spans is unchanged and they do not return.
        let (fixed, after, n) =
            lint_and_fix(Document::parse(src.clone(), format), set, true, false);
        check_spans(&fixed.source, &after);
        let safe = |d: &Diagnostic| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)
        };
        if n > 0 || diags.iter().any(safe) {
            let left: Vec<&str> = after
                .iter()
                .filter(|d| safe(d))
                .map(|d| d.rule.as_str())
                .collect();
            if !left.is_empty() {
                // Only a cascade longer than the pass limit may leave some: fixing again must
                // still make progress (no two fixes undo each other).
                let again = Document::parse(fixed.source.clone(), format);
                let (_, _, more) = lint_and_fix(again, set, true, false);
                assert!(
                    more > 0 && n >= crate::driver::MAX_FIX_PASSES,
                    "safe fixes reported again after fixing: {left:?}"
                );
            }
        }
        // Unsafe fixes too: must still yield text that lints without panicking.
        let (all, after, _) = lint_and_fix(Document::parse(src.clone(), format), set, true, true);
        check_spans(&all.source, &after);
    }
}
