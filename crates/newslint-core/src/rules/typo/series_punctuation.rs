//! `typo/series-punctuation`: a series that mixes 、 and ，, and 顿号 between 《》 titles. See
//! [`DOCS`].

use super as typo;
use crate::diagnostic::{Edit, Finding, Fix, Severity};
use crate::document::{class, Document};
use crate::rules::number_style::picked;
use crate::rules::{Fixability, OptionError, Rule, RuleEntry, RuleMeta};
use std::borrow::Cow;

pub const DOCS: &str = r#"## What it does

Reports two punctuation slips in a series (GB/T 15834-2011):

- a series of parallel items that mixes 顿号 and 逗号: "练体能、练意志，练绝招". Reported only
  when there are at least three items, all of the same length (2–6 Han characters), all
  starting with the same character, separated by 、 and then one ， before the last item: then
  they are one series, and 4.5.3.1 says its items take 、. Two groups of pairs
  ("谁污染、谁治理，谁保护、谁受益") have a 、 after the ， and are left alone;
- a 顿号 between two titles in 《》: "《红楼梦》、《西游记》". 4.5.3.5: items marked with
  书名号 (or quotation marks) need no 顿号 between them, unless something else (a note in
  brackets) stands between them.

## Why

A comma inside a series breaks it into clauses; a 顿号 between titles is a habit the standard
rejects.

## Examples

Reported:

    战士们练体能、练意志，练绝招。        (，→、)
    他读了《红楼梦》、《西游记》。        (、 removed)

Not reported:

    他读了《红楼梦》（节选）、《西游记》。  (a note between the titles)
    加强监管、完善制度，推进改革。          (items differ: clauses, not one series)

## Options

None.

## Fix safety

Unsafe: the fix changes the punctuation; an editor should confirm the series is one.
"#;

pub static META: RuleMeta = RuleMeta {
    id: Cow::Borrowed("typo/series-punctuation"),
    summary: Cow::Borrowed(
        "A series mixing 、 and ， (练体能、练意志，练绝招); 顿号 between 《》 titles",
    ),
    default_severity: Severity::Warning,
    default_enabled: true,
    fix: Fixability::Unsafe,
    docs: Cow::Borrowed(DOCS),
    options: Cow::Borrowed(""),
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build };

fn build(table: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
    crate::rules::parse_options::<crate::rules::NoOptions>(&META, table)?;
    Ok(Box::new(Series))
}

struct Series;

impl Rule for Series {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let mut items = Vec::with_capacity(16);
        for (_, base, s) in typo::body_pieces(doc) {
            // Every mark `mixed` reads is outside the main Han block: the document's index of
            // those stands in for the characters of the piece.
            // A closure, not the function: this one is inlined.
            piece(
                s,
                base,
                || {
                    picked(doc.non_han_in(base, s, SEPARATORS), s, |b, i| {
                        separator(b, i)
                    })
                },
                &mut items,
                out,
            );
        }
    }
}

/// The findings of one piece `s` at byte `base`: titles, then a mixed series. One pass over
/// its 、 finds the 》、《 and tells whether [`mixed`] can report anything (see [`mix_after`]);
/// only then are the piece's `marks` walked.
#[inline(always)]
fn piece<I: Iterator<Item = (usize, char)>>(
    s: &str,
    base: usize,
    marks: impl FnOnce() -> I,
    items: &mut Vec<(usize, usize, char)>,
    out: &mut Vec<Finding>,
) {
    let b = s.as_bytes();
    let Some(mut dun) = finders().dun.find(b) else {
        return;
    };
    let mut mix = false;
    loop {
        if dun >= 3
            && b[..dun].ends_with("》".as_bytes())
            && b[dun + 3..].starts_with("《".as_bytes())
        {
            title(base + dun, out);
        }
        // The byte from which the next 、 can be.
        let next = if mix {
            dun + DUN.len()
        } else {
            let (may, next) = mix_after(s, dun + DUN.len());
            mix = may;
            next
        };
        dun = if b[next..].starts_with(DUN) {
            next
        } else {
            match finders().dun.find(&b[next..]) {
                Some(k) => next + k,
                None => break,
            }
        };
    }
    if mix {
        mixed(s, base, marks(), items, out);
    }
}

/// 、 in UTF-8.
const DUN: &[u8] = "、".as_bytes();

/// Whether [`mixed`] can report the ， of an item that starts at byte `a` of `s`, just after a
/// 、: the item is two to six Han characters and ends at a ，, and the next item is as many Han
/// characters with the same first one and ends `s` or at a mark other than 、. (A report is the
/// ， between the last two items of a run of parallel ones, after a 、, the last item not
/// followed by a 、: those two items have the same key, two to six Han characters.) Also the
/// byte from which the next 、 can be (the items read hold none). Read on the bytes; a
/// character off the main block and its neighbours is decoded.
#[inline]
fn mix_after(s: &str, a: usize) -> (bool, usize) {
    let b = s.as_bytes();
    let (n, e) = han_run(s, a, 7);
    if !(2..=6).contains(&n) || !b[e..].starts_with("，".as_bytes()) {
        return (false, e);
    }
    let y = e + '，'.len_utf8();
    let (m, f) = han_run(s, y, n + 1);
    if m != n || !b[y..].starts_with(&b[a..a + crate::text::utf8_width(b[a])]) {
        return (false, f);
    }
    let ends = match s[f..].chars().next() {
        None => true,
        Some(c) => matches!(c, '，' | '。' | '！' | '？' | '；' | '：' | '\n'),
    };
    (ends, f)
}

/// The Han characters of `s` from byte `i` on, at most `max` of them: how many, and the byte
/// after them. Characters of the main block, ASCII and the common marks are told by their bytes.
#[inline(always)]
fn han_run(s: &str, i: usize, max: usize) -> (usize, usize) {
    let b = s.as_bytes();
    let (mut n, mut j) = (0, i);
    while n < max && j < b.len() {
        let lead = b[j];
        if matches!(lead, 0xE5..=0xE9) || lead == 0xE4 && b[j + 1] >= 0xB8 {
            j += 3;
        } else {
            // ASCII, U+2000–U+203F (“” — …), U+FF00–U+FF3F (，！？；：（）), 、 and 。: no Han.
            if lead < 0x80
                || matches!((lead, b[j + 1]), (0xE2, 0x80) | (0xEF, 0xBC))
                || lead == 0xE3 && b[j + 1] == 0x80 && matches!(b[j + 2], 0x81 | 0x82)
            {
                break;
            }
            let Some(c) = s[j..].chars().next() else {
                break;
            };
            if !crate::text::is_han(c) {
                break;
            }
            j += c.len_utf8();
        }
        n += 1;
    }
    (n, j)
}

/// Whether `t` is all characters of U+4E00–U+9FFF (Han, three bytes each), read on the bytes: a
/// three-byte lead every three bytes (E4 with a second byte from B8 on, E5–E9) means one
/// character a chunk, since `t` is valid UTF-8.
#[inline]
fn main_han(t: &str) -> bool {
    let t = t.as_bytes();
    t.len() % 3 == 0
        && t.chunks_exact(3)
            .all(|c| matches!(c[0], 0xE5..=0xE9) || c[0] == 0xE4 && c[1] >= 0xB8)
}

/// The index classes of the characters [`separator`] reads: \n is ASCII, the others are CJK
/// marks.
const SEPARATORS: u8 = class::OTHER | class::ASCII_OTHER;

/// The character at byte `i` of `b` (valid UTF-8), if [`mixed`] reads it: 、 and ， and the
/// marks that end a run. Read from the bytes: the other characters are not decoded.
#[inline(always)]
fn separator(b: &[u8], i: usize) -> Option<char> {
    match b[i] {
        b'\n' => Some('\n'),
        0xE3 if b[i + 1] == 0x80 => match b[i + 2] {
            0x81 => Some('、'),
            0x82 => Some('。'),
            _ => None,
        },
        0xEF if b[i + 1] == 0xBC => match b[i + 2] {
            0x8C => Some('，'),
            0x81 => Some('！'),
            0x9F => Some('？'),
            0x9B => Some('；'),
            0x9A => Some('：'),
            _ => None,
        },
        _ => None,
    }
}

/// The substring searches of the rule, built once.
struct Finders {
    dun: memchr::memmem::Finder<'static>,
    /// The reference search of the tests.
    #[cfg(test)]
    titles: memchr::memmem::Finder<'static>,
}

fn finders() -> &'static Finders {
    static F: std::sync::OnceLock<Finders> = std::sync::OnceLock::new();
    F.get_or_init(|| Finders {
        dun: memchr::memmem::Finder::new("、"),
        #[cfg(test)]
        titles: memchr::memmem::Finder::new("》、《"),
    })
}

/// The finding of a 顿号 at byte `at` between two 《》 titles.
fn title(at: usize, out: &mut Vec<Finding>) {
    let r = at..at + '、'.len_utf8();
    out.push(
        Finding::new(r.clone(), "书名号之间不用顿号")
            .label("顿号")
            .help("标有书名号的并列成分之间通常不用顿号（GB/T 15834-2011 4.5.3.5）；删去顿号")
            .fix(Fix::unsafe_(vec![Edit {
                range: r,
                replacement: String::new(),
            }])),
    );
}

/// 《…》、《…》, from byte `from` of `s` on (none starts before it): the search [`piece`]'s
/// pass over the 、 stands in for.
#[cfg(test)]
fn titles(s: &str, mut from: usize, base: usize, out: &mut Vec<Finding>) {
    while let Some(k) = finders().titles.find(&s.as_bytes()[from..]) {
        let at = from + k + '》'.len_utf8();
        title(base + at, out);
        from = at;
    }
}

/// Items of a series separated by 、 and ，, within one sentence. `marks` are the characters of
/// `s` outside the main Han block with their offsets ([`crate::text::non_han`]): the
/// separators and sentence marks are among them.
/// `items` is a buffer, emptied first.
fn mixed(
    s: &str,
    base: usize,
    marks: impl Iterator<Item = (usize, char)>,
    items: &mut Vec<(usize, usize, char)>,
    out: &mut Vec<Finding>,
) {
    // Split into items at 、 and ，; a sentence mark or anything else ends the run.
    // (start, end, separator after)
    items.clear();
    let mut start = 0;
    // Whether the items so far are separated by a 、 and by a ，.
    let (mut dun, mut comma) = (false, false);
    let flush = |items: &mut Vec<(usize, usize, char)>, both: bool, out: &mut Vec<Finding>| {
        // A report needs three items with a 、 and then a ， between them.
        if items.len() >= 3 && both {
            report_run(s, base, items, out);
        }
        items.clear();
    };
    for (i, c) in marks {
        match c {
            '、' | '，' => {
                items.push((start, i, c));
                dun |= c == '、';
                comma |= c == '，';
                start = i + c.len_utf8();
            }
            '。' | '！' | '？' | '；' | '：' | '\n' => {
                items.push((start, i, c));
                flush(items, dun && comma, out);
                (dun, comma) = (false, false);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    items.push((start, s.len(), '。'));
    flush(items, dun && comma, out);
}

fn report_run(s: &str, base: usize, items: &[(usize, usize, char)], out: &mut Vec<Finding>) {
    // Runs of items that look parallel: same length, same first character, all Han.
    let key = |&(a, b, _): &(usize, usize, char)| {
        // 2–6 Han characters are 6–24 bytes (three or four each): a cheap first test.
        if !(6..=24).contains(&(b - a)) {
            return None;
        }
        // Most items are characters of U+4E00–U+9FFF, three bytes each with lead E4 (second
        // byte B8 on) to E9: Han, counted on the bytes. (The bytes are valid UTF-8: a 3-byte
        // lead every three bytes means one character a chunk.)
        if main_han(&s[a..b]) {
            let n = (b - a) / 3;
            if !(2..=6).contains(&n) {
                return None;
            }
            return Some((n, s[a..b].chars().next()?));
        }
        // Otherwise one pass: the characters, all Han.
        let (mut n, mut first) = (0, None);
        for c in s[a..b].chars() {
            if !crate::text::is_han(c) {
                return None;
            }
            first = first.or(Some(c));
            n += 1;
        }
        if !(2..=6).contains(&n) {
            return None;
        }
        Some((n, first?))
    };
    // The first item may carry the sentence's opening (战士们练体能): its last characters count.
    let tail_matches = |&(a, b, _): &(usize, usize, char), (n, first): (usize, char)| {
        // The last n characters: all Han, the first of them `first`.
        let mut taken = 0;
        let mut nth = None;
        for c in s[a..b].chars().rev().take(n) {
            if !crate::text::is_han(c) {
                return false;
            }
            taken += 1;
            nth = Some(c);
        }
        taken == n && nth == Some(first)
    };
    let mut i = 0;
    while i + 1 < items.len() {
        let Some(k) = key(&items[i + 1]) else {
            i += 1;
            continue;
        };
        if !tail_matches(&items[i], k) {
            i += 1;
            continue;
        }
        let mut j = i + 2;
        while j < items.len() && key(&items[j]) == Some(k) {
            j += 1;
        }
        // items[i..j] are parallel; the separators between them are those of items[i..j-1].
        if j - i >= 3 {
            let seps = &items[i..j - 1];
            let commas: Vec<usize> = (0..seps.len()).filter(|&x| seps[x].2 == '，').collect();
            // A、B、…，Z: one ，, the last separator of the run, after at least one 、. Pairs of
            // pairs (同在同爱、同心同创，同力共赢、同向未来) have a 、 after the ，: two groups.
            // The series must end with its last item: a 、 after it means more items follow
            // (以工哺农、以商强农，以城带乡、城乡互促: two groups).
            let last_item = items[j - 1].2 != '、';
            if last_item && commas.len() == 1 && commas[0] == seps.len() - 1 && commas[0] > 0 {
                let x = seps[commas[0]];
                let r = base + x.1..base + x.1 + '，'.len_utf8();
                out.push(
                    Finding::new(r.clone(), "并列词语之间顿号、逗号混用")
                        .label("应为顿号")
                        .help("同一组并列词语之间用顿号（GB/T 15834-2011 4.5.3.1）；改为“、”")
                        .fix(Fix::unsafe_(vec![Edit {
                            range: r,
                            replacement: "、".into(),
                        }])),
                );
            }
        }
        i = j.max(i + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::document::{Format, NonHanIn};

    fn run(s: &str) -> Vec<String> {
        let mut items = Vec::new();
        let mut out = Vec::new();
        titles(s, 0, 0, &mut out);
        mixed(s, 0, crate::text::non_han(s), &mut items, &mut out);
        let mut picked_out = Vec::new();
        titles(s, 0, 0, &mut picked_out);
        let marks = NonHanIn::Walk(crate::text::non_han(s), SEPARATORS);
        mixed(
            s,
            0,
            picked(marks, s, separator),
            &mut items,
            &mut picked_out,
        );
        assert_eq!(format!("{out:?}"), format!("{picked_out:?}"), "{s:?}");
        // The pass over the 、 (titles found there, the marks walked only where a series can
        // be mixed) against the whole search and walk.
        let mut gated = Vec::new();
        piece(s, 0, || crate::text::non_han(s), &mut items, &mut gated);
        assert_eq!(format!("{out:?}"), format!("{gated:?}"), "{s:?}");
        // Each line's marks from the document's index, and the pass over the 、.
        let doc = Document::parse(
            crate::source::SourceFile::from_text(s.to_string(), false),
            Format::Plain,
        );
        for p in &doc.paragraphs {
            for (base, piece) in doc.prose(p) {
                let (mut want, mut got) = (Vec::new(), Vec::new());
                titles(piece, 0, base, &mut want);
                mixed(
                    piece,
                    base,
                    crate::text::non_han(piece),
                    &mut items,
                    &mut want,
                );
                let marks = || picked(doc.non_han_in(base, piece, SEPARATORS), piece, separator);
                super::piece(piece, base, marks, &mut items, &mut got);
                assert_eq!(format!("{want:?}"), format!("{got:?}"), "{piece:?}");
            }
        }
        out.iter().map(|f| s[f.range.clone()].to_string()).collect()
    }

    /// Every character the rule reads, and its neighbours in UTF-8, through the byte picker.
    #[test]
    fn the_picker_reads_what_decoding_reads() {
        for c in "、。，！？；：\n〃〈＋－（）｜ａ".chars() {
            let s = c.to_string();
            let want = matches!(c, '、' | '，' | '。' | '！' | '？' | '；' | '：' | '\n');
            assert_eq!(separator(s.as_bytes(), 0), want.then_some(c), "{c:?}");
            if want {
                assert_ne!(class::of(c) & SEPARATORS, 0, "{c:?}");
            }
        }
    }

    proptest::proptest! {
        /// `main_han` holds only of Han text, three bytes a character (the fast path of an item's
        /// key): 丂 E4 B8 82, ䷀ U+4DC0 E4 B7 80 (not Han), 㐀 U+3400 and 𠀀 (Han, other blocks).
        #[test]
        fn main_han_is_han(s in "[一丂鿿䷀㐀𠀀练a，]{0,8}") {
            if main_han(&s) {
                proptest::prop_assert!(s.chars().all(crate::text::is_han));
                proptest::prop_assert_eq!(s.chars().count() * 3, s.len());
            }
            let plain = s.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
            proptest::prop_assert_eq!(main_han(&s), plain);
        }

        /// The rule on decoded characters and on picked ones: the same findings.
        #[test]
        fn picked_marks_report_the_same(s in "[练体能意志绝招，、。；！？：\n《》a ]{0,60}") {
            run(&s);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(8192))]

        /// Series made of items that look alike (same first character, 2–6 Han characters, a
        /// rarer ideograph or a letter among them) and every separator: what the gate must let
        /// through (`run` checks it).
        #[test]
        fn the_gate_keeps_every_mixed_series(
            parts in proptest::collection::vec((0..10usize, 0..12usize), 0..14)
        ) {
            const ITEMS: [&str; 10] = [
                "练体能", "练意志", "练绝招", "练本领", "练𠀀", "练a能", "练兵", "体能", "练体能意志绝招", "𠀀练能",
            ];
            const SEPS: [&str; 12] = ["、", "、", "、", "、", "，", "，", "，", "。", "；", "\n", "？", "a"];
            let s: String = parts.iter().map(|&(i, p)| format!("{}{}", ITEMS[i], SEPS[p])).collect();
            run(&s);
        }
    }

    #[test]
    fn by_example() {
        assert_eq!(run("战士们练体能、练意志，练绝招。"), ["，"]);
        assert_eq!(run("练体能、练意志，练绝招。"), ["，"]);
        assert_eq!(run("他读了《红楼梦》、《西游记》。"), ["、"]);
        assert!(run("他读了《红楼梦》（节选）、《西游记》。").is_empty());
        assert!(run("加强监管、完善制度，推进改革。").is_empty());
        assert!(run("同在同爱、同心同创，同力共赢、同向未来。").is_empty());
        assert!(run("谁污染、谁治理，谁保护、谁受益。").is_empty());
        assert_eq!(run("《甲》、《乙》、《丙》"), ["、", "、"]);
        assert_eq!(run("《甲》、《乙》、练体能、练意志，练绝招"), ["、", "，"]);
        assert_eq!(run("练𠀀、练𠀁，练𠀂！练々、练〇，练丂"), ["，", "，"]);
        assert!(run("练体能、练意志，练绝招、练本领").is_empty());
    }
}
