//! Property tests: for any text built from the characters news copy is made of, every span lies
//! on character boundaries inside the text; fixes change nothing outside their spans; applying
//! the safe fixes and re-linting reports none of them again.

use newslint_core::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use newslint_core::document::{Document, Format};
use newslint_core::fix;
use newslint_core::source::{Position, SourceFile};
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
        newslint_core::selfcheck::check_bytes(text.as_bytes());
    }

    #[test]
    fn invariants_hold_for_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        newslint_core::selfcheck::check_bytes(&bytes);
    }

    /// One pass takes a set of fixes whose edits neither overlap nor touch, and every fix it
    /// leaves touches or overlaps one it took (none is left for nothing); the text is exactly
    /// the taken edits applied, and the run reports their changes in the text's coordinates.
    #[test]
    fn one_pass_takes_a_maximal_set_of_apart_fixes(
        text in "[中文，,。a-c ]{0,40}",
        raw in proptest::collection::vec(
            (0usize..120, 0usize..4, "[，x]{0,2}", any::<bool>(), 0usize..3), 0..8),
        allow_unsafe in any::<bool>(),
    ) {
        let p = Position { line: 1, column: 1 };
        let diags: Vec<Diagnostic> = raw
            .iter()
            .map(|(start, len, rep, safe, rule)| {
                let mut s = (*start).min(text.len());
                while !text.is_char_boundary(s) { s -= 1; }
                let mut e = (s + len).min(text.len());
                while !text.is_char_boundary(e) { e -= 1; }
                let e = e.max(s);
                let applicability = if *safe { Applicability::Safe } else { Applicability::Unsafe };
                Diagnostic {
                    rule: format!("r{rule}").into(), severity: Severity::Error, message: "".into(), label: "".into(),
                    help: None, range: s..e, start: p, end: p, labels: Default::default(),
                    fix: Some(Box::new(Fix { applicability, edits: [Edit { range: s..e, replacement: rep.clone() }].into() })),
                }
            })
            .collect();
        // A lint that reports the generated fixes once, and nothing after.
        let mut first = true;
        let mut lint = |_: &Document| (if std::mem::take(&mut first) { diags.clone() } else { Vec::new() }, ());
        let doc = Document::parse(SourceFile::from_text(text.clone(), false), Format::Plain);
        let fixed = fix::fix_document(doc, allow_unsafe, &mut lint);
        let run = &fixed.run;
        let taken: Vec<&Edit> = run.applied.iter().flat_map(|a| &a.edits).collect();
        prop_assert!(run.applied.iter().all(|a| a.pass == 1));
        prop_assert!(allow_unsafe || run.applied.iter().all(|a| a.applicability == Applicability::Safe));
        let touch = |a: &Edit, b: &Edit| a.range.start <= b.range.end && b.range.start <= a.range.end;
        for (i, a) in taken.iter().enumerate() {
            for b in &taken[i + 1..] {
                prop_assert!(!touch(a, b), "{:?} and {:?} taken together", a, b);
            }
        }
        for d in &diags {
            let f = d.fix.as_ref().unwrap();
            let allowed = allow_unsafe || f.applicability == Applicability::Safe;
            let was_taken = run.applied.iter().any(|a| a.rule == d.rule && a.edits[..] == f.edits[..]);
            if allowed && !was_taken {
                prop_assert!(
                    f.edits.iter().any(|e| taken.iter().any(|t| touch(e, t))),
                    "{:?} left out although apart from every taken edit", f
                );
            }
        }
        prop_assert_eq!(newslint_core::selfcheck::replay(&text, run), fixed.doc.text());
        newslint_core::selfcheck::check_changes(&text, fixed.doc.text(), &run.changes);
    }
}

/// The real pages in `fixtures/`: newspaper pages, clean stories, rule samples, other outlets.
fn real_pages() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for dir in ["seeds", "clean", "pages", "rules", "cli/tree"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "md"))
            .collect();
        files.sort();
        for p in files {
            let name = format!("{dir}/{}", p.file_name().unwrap().to_string_lossy());
            out.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
    assert!(out.len() >= 20, "real pages present ({})", out.len());
    out
}

/// Fixes that the engine holds back on the real pages because a rule's verdict on a place
/// changes once other fixes are applied (see `fix::HeldFix`). Each is a rule defect for the
/// rule's owner, not an engine one; the list pins them so that a new one fails this test.
///
/// - seeds/002, `broken-paragraph`: the join of "全市共有各级各类学校2947所，" is unsafe in the
///   report because its continuation repeats an earlier paragraph exactly; once the earlier
///   copy is joined to the paragraph before it (a safe fix), the repeat test (exact equality
///   of paragraphs) no longer sees the copy and calls the join safe. With `--unsafe-fixes` the
///   pasted duplicates are removed and the rule then offers to join the fragment to the next,
///   unrelated paragraph ("三尺讲台……"), which is also held back.
/// - rules/duplicate-paragraph.txt, `broken-paragraph`: the same paragraphs, cut from seed 002.
const KNOWN_HELD: &[(&str, &str)] = &[
    ("seeds/002_6007f0643364af9b.txt", "broken-paragraph"),
    ("rules/duplicate-paragraph.txt", "broken-paragraph"),
];

#[test]
fn fix_property_holds_on_real_pages() {
    let set = newslint_core::selfcheck::all_rules();
    let mut held = Vec::new();
    let mut fixed = 0;
    for (name, text) in real_pages() {
        let src = SourceFile::from_text(text, false);
        for format in [Format::Plain, Format::Markdown] {
            for unsafe_fixes in [false, true] {
                let run = newslint_core::selfcheck::check_fixes(&src, format, set, unsafe_fixes);
                fixed += run.fixed();
                for h in &run.held {
                    held.push((name.clone(), h.rule.clone(), format, unsafe_fixes, h.line));
                }
            }
        }
    }
    assert!(fixed > 500, "the pages have fixes to apply ({fixed})");
    for (name, rule, format, unsafe_fixes, line) in &held {
        assert!(
            KNOWN_HELD.iter().any(|(n, r)| n == name && r == rule),
            "{name} ({format:?}, unsafe fixes {unsafe_fixes}): {rule} held back at line {line}"
        );
    }
}

/// An edit to a real page, to make pages the fixtures do not have: text inserted at a
/// position (a fraction of the page), a paragraph repeated, or a stretch cut out.
#[derive(Debug, Clone)]
enum PageEdit {
    Insert(f64, &'static str),
    RepeatParagraph(f64),
    Cut(f64, usize),
}

fn page_edit() -> impl Strategy<Value = PageEdit> {
    let piece = prop_oneof![
        Just(","),
        Just(", "),
        Just("!"),
        Just("("),
        Just(")"),
        Just(";"),
        Just("\n\n"),
        Just("\n"),
        Just("\n\n\n"),
        Just("，"),
        Just("。"),
        Just("图为活动现场。\n\n"),
        Just("本报讯(记者 张三)"),
        Just("and"),
        Just("１２"),
        Just("3-5公里"),
        Just("再接再励"),
        Just("纳人"),
        Just("北京"),
        Just("的的"),
        Just("“"),
        Just("》"),
    ];
    prop_oneof![
        (0.0..1.0f64, piece).prop_map(|(at, s)| PageEdit::Insert(at, s)),
        (0.0..1.0f64).prop_map(PageEdit::RepeatParagraph),
        (0.0..1.0f64, 1usize..200).prop_map(|(at, n)| PageEdit::Cut(at, n)),
    ]
}

/// The byte at fraction `at` of `text`, moved back to a character boundary.
fn boundary(text: &str, at: f64) -> usize {
    let mut i = ((text.len() as f64) * at) as usize;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn edit_page(mut text: String, edits: &[PageEdit]) -> String {
    for e in edits {
        match e {
            PageEdit::Insert(at, s) => {
                let i = boundary(&text, *at);
                text.insert_str(i, s);
            }
            PageEdit::RepeatParagraph(at) => {
                let paras: Vec<&str> = text.split("\n\n").collect();
                let k = ((paras.len() as f64) * at) as usize % paras.len().max(1);
                let copy = paras.get(k).copied().unwrap_or_default().to_string();
                let at = boundary(&text, (k as f64 + 1.5) / (paras.len() as f64 + 1.0));
                let at = text[at..].find("\n\n").map_or(text.len(), |j| at + j);
                text.insert_str(at, &format!("\n\n{copy}"));
            }
            PageEdit::Cut(at, n) => {
                let i = boundary(&text, *at);
                let mut j = (i + n).min(text.len());
                while !text.is_char_boundary(j) {
                    j -= 1;
                }
                text.replace_range(i..j, "");
            }
        }
    }
    text
}

proptest! {
    // Each case lints a page of up to 18 KB about a dozen times (two formats, two fix modes,
    // the report, the passes and a second run): a few dozen cases keep `cargo test` short;
    // the fuzz target runs the same property for as long as it is given.
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// The fix property on real pages changed by a few edits.
    #[test]
    fn fix_property_holds_on_edited_real_pages(
        page in 0usize..1000,
        edits in proptest::collection::vec(page_edit(), 1..6),
        unsafe_fixes in any::<bool>(),
    ) {
        let pages = real_pages();
        let (name, text) = &pages[page % pages.len()];
        let text = edit_page(text.clone(), &edits);
        let src = SourceFile::from_text(text, false);
        let set = newslint_core::selfcheck::all_rules();
        for format in [Format::Plain, Format::Markdown] {
            let run = newslint_core::selfcheck::check_fixes(&src, format, set, unsafe_fixes);
            // Held-back fixes are allowed (a rule re-judging a place); say where, for the log.
            if !run.held.is_empty() {
                eprintln!("{name} {edits:?}: held {:?}", run.held.iter().map(|h| &h.rule).collect::<Vec<_>>());
            }
        }
    }
}
