//! Property tests: for any text built from the characters news copy is made of, every span lies
//! on character boundaries inside the text; fixes change nothing outside their spans; applying
//! the safe fixes and re-linting reports none of them again.

use newslint::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use newslint::fix;
use newslint::source::Position;
use proptest::prelude::*;

/// Text made of the pieces that trigger rules: Han, ASCII and full-width marks, quotes, digits,
/// units, Latin words, bylines, blank lines.
fn copy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("中文"),
        Just("社会"),
        Just("救助"),
        Just("，"),
        Just(","),
        Just("。"),
        Just("("),
        Just(")"),
        Just("（"),
        Just("）"),
        Just("“"),
        Just("”"),
        Just("《"),
        Just("》"),
        Just(" "),
        Just("\n"),
        Just("\n\n"),
        Just("\u{3000}"),
        Just("2024"),
        Just("１２"),
        Just("公里"),
        Just("km"),
        Just("亿元"),
        Just("亿"),
        Just("and"),
        Just("GDP"),
        Just("本报讯"),
        Just("记者"),
        Just("的的"),
        Just("流程"),
        Just("二O二二"),
        Just("3-5"),
        Just("三、四十"),
        Just(":"),
        Just("!"),
        Just("http://a.cn/?x=1,2"),
        Just("# "),
        Just("- "),
        Just("`"),
        Just("纳人"),
        Just("再接再励"),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn invariants_hold_for_any_copy(text in copy()) {
        newslint::selfcheck::check_bytes(text.as_bytes());
    }

    #[test]
    fn invariants_hold_for_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        newslint::selfcheck::check_bytes(&bytes);
    }

    /// Fixes change exactly their spans: the text between applied edits is byte-for-byte kept.
    #[test]
    fn fixes_keep_the_text_outside_their_spans(
        text in "[中文，,。a-c ]{0,40}",
        raw in proptest::collection::vec((0usize..120, 0usize..4, "[，x]{0,2}"), 0..6),
    ) {
        let p = Position { line: 1, column: 1 };
        let diags: Vec<Diagnostic> = raw
            .iter()
            .map(|(start, len, rep)| {
                let mut s = (*start).min(text.len());
                while !text.is_char_boundary(s) { s -= 1; }
                let mut e = (s + len).min(text.len());
                while !text.is_char_boundary(e) { e -= 1; }
                let e = e.max(s);
                Diagnostic {
                    rule: "t".into(), severity: Severity::Error, message: String::new(), label: String::new(),
                    help: None, range: s..e, start: p, end: p, labels: vec![],
                    fix: Some(Fix { applicability: Applicability::Safe, edits: vec![Edit { range: s..e, replacement: rep.clone() }] }),
                }
            })
            .collect();
        let (out, n) = fix::apply(&text, &diags, false);
        prop_assert!(n <= diags.len());
        // Rebuild the result from the accepted edits and check the kept text.
        let mut accepted: Vec<&Edit> = Vec::new();
        let mut sorted: Vec<&Edit> = diags.iter().flat_map(|d| &d.fix.as_ref().unwrap().edits).collect();
        sorted.sort_by_key(|e| (e.range.start, e.range.end));
        for e in sorted {
            if accepted.iter().all(|a| e.range.start >= a.range.end || (e.range.end <= a.range.start && e.range != a.range)) && accepted.iter().all(|a| a.range != e.range) {
                accepted.push(e);
            }
        }
        prop_assert_eq!(accepted.len(), n);
        let mut rebuilt = String::new();
        let mut last = 0;
        for e in &accepted {
            rebuilt.push_str(&text[last..e.range.start]);
            rebuilt.push_str(&e.replacement);
            last = e.range.end;
        }
        rebuilt.push_str(&text[last..]);
        prop_assert_eq!(out, rebuilt);
    }
}
