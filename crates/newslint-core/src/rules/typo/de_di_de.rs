//! `typo/de-di-de`: 的, 地 and 得 confused, judged with segmentation and part of speech. See
//! [`DOCS`].

use super as typo;
use crate::diagnostic::{Edit, Finding, Fix, Severity};
use crate::document::Document;
use crate::rules::{Fixability, OptionError, Rule, RuleEntry, RuleMeta};
use std::borrow::Cow;

pub const DOCS: &str = r#"## What it does

On by default since issue 18's third session: it tags each clause that holds 的, 地 or 得 with
jieba's parts of speech, about 3 % of the whole run on the bench tree (`--timings`, the family
on), and reported nothing on the papers' copy (xwlb, xhmrdx, xxsb, xinmin).

Reports 的, 地 or 得 used for one another where the parts of speech around it leave one
reading (jieba's segmentation and tags of the clause):

- 得 standing alone between two nouns, the second not ending the clause: "明清时期得驿传制度" →
  的 (a modifier before a noun takes 的);
- 的 after an intransitive verb and before a degree adverb and an adjective that ends the
  clause: "发展的很快。" → 得 (a complement of degree takes 得);
- 的 after a doubled adverb (慢慢, 渐渐) and before a verb that does not head a noun: "慢慢的走
  过来" → 地 (an adverbial takes 地).

地 for 的 is not reported: N地N is mostly a place (事发地现场, 商埠地历史), and jieba tags many
verbs after 地 as nouns (坚定地信赖, 雄辩地证明).

Each pattern needs the tags on both sides; shapes the tags cannot settle (他说的很对: "what he
said is right" or "he spoke well"; 认真的学习: a noun phrase or an adverbial) are left alone.
Only body text is read; 《》 titles are left alone.

## Why

的/地/得 are the most frequent wrong characters in Chinese copy; they pass every dictionary
check because each is a valid character.

## Examples

Reported:

    明清时期得驿传制度延续千年。          (得 → 的)
    今年经济发展的很快。                  (的 → 得)
    他慢慢的走过来。                      (的 → 地)

Not reported:

    实实在在的获得感。                    (获得 heads 获得感)
    他说的很对。                          (two readings)

## Options

None.

## Fix safety

Unsafe: the fix writes the other character; the tags can be wrong.
"#;

pub static META: RuleMeta = RuleMeta {
    id: Cow::Borrowed("typo/de-di-de"),
    summary: Cow::Borrowed(
        "的/地/得 confused (时期得驿传制度, 发展的很快), judged by part of speech",
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
    Ok(Box::new(DeDiDe))
}

struct DeDiDe;

/// Degree adverbs that open a complement of degree.
const DEGREE: &[&str] = &["很", "非常", "十分", "特别", "相当", "格外", "极其", "更加"];

/// Whether `c` starts one of [`DEGREE`] (`tests::degree_first_is_degree`).
fn degree_first(c: char) -> bool {
    matches!(c, '很' | '非' | '十' | '特' | '相' | '格' | '极' | '更')
}

/// Intransitive verbs: "V的很A" can only be a complement (a transitive verb makes "what was
/// V-ed is A" possible: 他说的很对).
const INTRANSITIVE: &[&str] = &[
    "跑", "走", "飞", "跳", "睡", "笑", "哭", "活", "长", "变", "站", "坐", "醒", "涨", "跌", "升",
    "降", "增长", "发展", "进展", "变化", "下降", "上升", "提高", "进行", "开展", "推进", "运行",
    "恢复", "成长", "生活", "休息", "工作", "学习", "来", "去", "到", "过",
];

impl Rule for DeDiDe {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        // 的 and 得 only (no 地 pattern is precise enough: 事发地现场, 坚定地信赖), found with
        // memchr's substring search in the whole text at once (the pieces are ranges of it, in
        // order): a search costs ~100 instructions to start, and most pieces hold none.
        let mut hits = candidates(doc.text()).peekable();
        let mut last_end = 0;
        for (_, base, s) in typo::body_pieces(doc) {
            let end = base + s.len();
            let mut done = 0;
            let mut titles = None;
            if base < last_end {
                // Never seen (pieces come in order): search the piece itself.
                for (i, c) in candidates(s) {
                    at_hit(s, base, i, c, &mut done, &mut titles, out);
                }
                continue;
            }
            last_end = end;
            while hits.next_if(|&(at, _)| at < base).is_some() {}
            // A hit inside the piece is a whole character of it (pieces end on characters).
            while let Some((at, c)) = hits.next_if(|&(at, _)| at < end) {
                at_hit(s, base, at - base, c, &mut done, &mut titles, out);
            }
        }
    }
}

/// 的 or 得 (`c`) at byte `i` of the piece `s` (at `base` in the document): segments its
/// clause and checks it when the neighbours allow a finding and no clause checked already
/// covers it (`done`: the end of the last).
fn at_hit(
    s: &str,
    base: usize,
    i: usize,
    c: char,
    done: &mut usize,
    titles: &mut Option<Vec<std::ops::Range<usize>>>,
    out: &mut Vec<Finding>,
) {
    if i < *done {
        return;
    }
    // Cheap filter before segmenting: 得 inside a two-character word with a neighbour (获得,
    // 得到) is no candidate; 的 needs a degree adverb after it or a doubled character before
    // it. The neighbours' words are substrings of `s`: no string is built.
    let b = s.as_bytes();
    let cand = match c {
        '的' => {
            // A doubled character before: two three-byte characters compare as bytes.
            let doubled = if i >= 6 && b[i - 3] & 0xF0 == 0xE0 && b[i - 6] & 0xF0 == 0xE0 {
                b[i - 6..i - 3] == b[i - 3..i]
            } else {
                let prev = s[..i].chars().next_back();
                prev.is_some_and(|p| s[..i - p.len_utf8()].ends_with(p))
            };
            doubled
                || (s[i + 3..].chars().next().is_some_and(degree_first)
                    && DEGREE.iter().any(|d| s[i + 3..].starts_with(d)))
        }
        _ => {
            let prev = s[..i].chars().next_back();
            let next = s[i + 3..].chars().next();
            !prev.is_some_and(|p| dei_word(p, true)) && !next.is_some_and(|n| dei_word(n, false))
        }
    };
    if !cand {
        return;
    }
    // Titles start at 《: a piece without one has none (no scan of its characters).
    let titles = titles.get_or_insert_with(|| {
        if s.contains('《') {
            typo::title_spans(s)
        } else {
            Vec::new()
        }
    });
    if titles.iter().any(|r| r.contains(&i)) {
        return;
    }
    let r = typo::clause(s, i, i + 3, 16);
    *done = r.end;
    if may_report(&s[r.clone()]) {
        check_clause(&s[r.clone()], base + r.start, out);
    }
}

/// Whether `c` 得 (`before`) or 得 `c` is a word of the dictionary: [`crate::segment::has_word`]
/// (a walk of the transducer, ~1,300 instructions), remembered per character on each thread.
fn dei_word(c: char, before: bool) -> bool {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static SEEN: RefCell<HashMap<(char, bool), bool, rustc_hash::FxBuildHasher>> =
            RefCell::new(HashMap::default());
    }
    SEEN.with(|seen| {
        if let Some(&w) = seen.borrow().get(&(c, before)) {
            return w;
        }
        let mut buf = [0u8; 8];
        let n = c.encode_utf8(&mut buf).len();
        let w = if before {
            buf[n..n + 3].copy_from_slice("得".as_bytes());
            &buf[..n + 3]
        } else {
            buf.copy_within(..n, 3);
            buf[..3].copy_from_slice("得".as_bytes());
            &buf[..n + 3]
        };
        let w = crate::segment::has_word(std::str::from_utf8(w).expect("two characters"));
        let mut seen = seen.borrow_mut();
        // Distinct characters are a few thousand; a bound keeps a strange input from growing it.
        if seen.len() < 1 << 16 {
            seen.insert((c, before), w);
        }
        w
    })
}

/// Whether [`check_clause`] can report anything in `s`, read from its characters alone: a
/// clause without 得 reports only a 的 whose previous word (before any words of spaces, which
/// the tokens leave out) is an intransitive verb, its next word starting with a degree adverb,
/// or whose previous word is a doubled adverb (a word of the dictionary tagged `d`, as two Han
/// characters make a word only when the dictionary has it). False means no finding: the
/// clause need not be segmented (`tests::may_report_is_necessary`).
fn may_report(s: &str) -> bool {
    candidates(s).any(|(i, c)| {
        if c == '得' {
            return true;
        }
        let before = s[..i].trim_end();
        let after = s[i + 3..].trim_start();
        if INTRANSITIVE.iter().any(|w| before.ends_with(w))
            && DEGREE.iter().any(|d| after.starts_with(d))
        {
            return true;
        }
        let mut last = before.chars().rev();
        let (Some(x), Some(y)) = (last.next(), last.next()) else {
            return false;
        };
        if x != y {
            return false;
        }
        if !crate::text::is_han(x) {
            return true;
        }
        let pw = &before[before.len() - 2 * x.len_utf8()..];
        crate::segment::has_word(pw) && crate::segment::tag_of(pw) == "d"
    })
}

/// The offsets of 的 and 得 in `s`, in order.
fn candidates(s: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    static FINDERS: std::sync::OnceLock<[memchr::memmem::Finder<'static>; 2]> =
        std::sync::OnceLock::new();
    let [de, dei] = FINDERS.get_or_init(|| {
        [
            memchr::memmem::Finder::new("的"),
            memchr::memmem::Finder::new("得"),
        ]
    });
    let b = s.as_bytes();
    let after = |f: &memchr::memmem::Finder<'_>, from: usize| {
        b.get(from..).and_then(|t| f.find(t)).map(|k| from + k)
    };
    let mut next_de = after(de, 0);
    let mut next_dei = after(dei, 0);
    std::iter::from_fn(move || {
        let (i, c) = match (next_de, next_dei) {
            (Some(x), Some(y)) if y < x => (y, '得'),
            (Some(x), _) => (x, '的'),
            (None, Some(y)) => (y, '得'),
            (None, None) => return None,
        };
        if c == '的' {
            next_de = after(de, i + 3);
        } else {
            next_dei = after(dei, i + 3);
        }
        Some((i, c))
    })
}

fn is_noun(tag: &str) -> bool {
    matches!(tag, "n" | "nz" | "ng")
}

/// The words of `s` with their tags, as [`typo::segment`] has them (words of spaces left out),
/// without the probability it sums for other rules.
fn tokens(s: &str) -> Vec<(std::ops::Range<usize>, &'static str)> {
    let tags = crate::segment::tag(s, false);
    let mut out = Vec::with_capacity(tags.len());
    let mut pos = 0;
    for t in tags {
        let r = pos..pos + t.word.len();
        pos = r.end;
        if !t.word.trim().is_empty() {
            out.push((r, t.tag));
        }
    }
    out
}

fn check_clause(s: &str, base: usize, out: &mut Vec<Finding>) {
    let t = &tokens(s);
    let word = |k: usize| &s[t[k].0.clone()];
    for k in 1..t.len().saturating_sub(1) {
        let w = word(k);
        let (ptag, ntag) = (t[k - 1].1, t[k + 1].1);
        let pw = word(k - 1);
        let suggestion = match w {
            "得" => {
                // A noun before a noun: 得 cannot open a complement there (时期得驿传制度). The
                // second noun must not end the clause (谋划得科学，: a complement).
                let next_w = word(k + 1);
                let more = t
                    .get(k + 2)
                    .is_some_and(|x| !s[x.0.clone()].chars().all(typo::is_clause_mark));
                (ptag == "n"
                    && pw.chars().count() >= 2
                    && ntag == "n"
                    && next_w.chars().count() >= 2
                    && more)
                    .then(|| ('的', format!("名词“{pw}”修饰名词“{next_w}”，定语后用“的”")))
            }
            "的" => {
                let nw = word(k + 1);
                let after = t.get(k + 2).map(|x| (&s[x.0.clone()], x.1));
                let ends = |at: usize| {
                    t.get(at).is_none_or(|x| {
                        let w = &s[x.0.clone()];
                        w == "了" || w == "啊" || w.chars().all(typo::is_clause_mark)
                    })
                };
                // 很 + 快 as two tokens, or 很快 as one (tagged d or a).
                let degree = if DEGREE.contains(&nw) {
                    after.is_some_and(|(_, tag)| tag == "a") && ends(k + 3)
                } else {
                    DEGREE
                        .iter()
                        .any(|d| nw.starts_with(d) && nw.chars().count() == d.chars().count() + 1)
                        && ends(k + 2)
                };
                if INTRANSITIVE.contains(&pw) && ptag.starts_with('v') && degree {
                    Some(('得', format!("“{pw}”后接程度补语“{nw}”，应用“得”")))
                } else {
                    // AA (慢慢, 渐渐) + 的 + a verb that is not the head of a noun (获得感).
                    let cs: Vec<char> = pw.chars().collect();
                    let redup = cs.len() == 2 && cs[0] == cs[1] && ptag == "d";
                    let free_verb = ntag == "v"
                        && t.get(k + 2).is_none_or(|x| {
                            !(is_noun(x.1) || x.1 == "vn" || &s[x.0.clone()] == "的")
                        });
                    (redup && free_verb)
                        .then(|| ('地', format!("副词“{pw}”修饰动词“{nw}”，状语后用“地”")))
                }
            }
            _ => None,
        };
        if let Some((right, why)) = suggestion {
            let r = base + t[k].0.start..base + t[k].0.end;
            out.push(
                Finding::new(r.clone(), format!("“{w}”应为“{right}”"))
                    .label(format!("应为“{right}”"))
                    .help(why)
                    .fix(Fix::unsafe_(vec![Edit {
                        range: r,
                        replacement: right.to_string(),
                    }])),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        check_clause(s, 0, &mut out);
        out.into_iter()
            .map(|f| (f.range.start, f.message.into_string()))
            .collect()
    }

    #[test]
    fn candidates_are_every_de_and_dei_in_order() {
        let s = "他慢慢的走，得到了很多的得分。地区a的";
        let want: Vec<(usize, char)> = s
            .char_indices()
            .filter(|&(_, c)| matches!(c, '的' | '得'))
            .collect();
        assert_eq!(candidates(s).collect::<Vec<_>>(), want);
        assert_eq!(want.len(), 5);
        assert_eq!(candidates("").count(), 0);
        let seed = include_str!("../../../../../fixtures/seeds/001_09808162e94c1a38.txt");
        let want: Vec<(usize, char)> = seed
            .char_indices()
            .filter(|&(_, c)| matches!(c, '的' | '得'))
            .collect();
        assert!(want.len() > 50);
        assert_eq!(candidates(seed).collect::<Vec<_>>(), want);
    }

    #[test]
    fn tokens_are_typo_segments() {
        let seed = include_str!("../../../../../fixtures/seeds/001_09808162e94c1a38.txt");
        let mut compared = 0;
        for line in seed.lines().chain(["a b　的 得", "", " "]) {
            let want: Vec<(std::ops::Range<usize>, String)> = typo::segment(line).tokens;
            let ours: Vec<(std::ops::Range<usize>, String)> = tokens(line)
                .into_iter()
                .map(|(r, t)| (r, t.to_string()))
                .collect();
            assert_eq!(ours, want, "{line}");
            compared += ours.len();
        }
        assert!(compared > 1000, "{compared}");
    }

    #[test]
    fn degree_first_is_degree() {
        let firsts: std::collections::BTreeSet<char> =
            DEGREE.iter().filter_map(|d| d.chars().next()).collect();
        for c in ('\u{4E00}'..='\u{9FFF}').chain(['a', '，']) {
            assert_eq!(degree_first(c), firsts.contains(&c), "{c}");
        }
        // Through the rule: 的 after a doubled character (three-byte and four-byte) and
        // before a degree adverb.
        let text = "标题在这里\n\n本报讯 今年以来，全市各项工作稳步推进，群众满意度持续提高。\n\n他慢慢的走过来，大家都看见了这一幕。\n\n今年经济发展的很快。\n\n𠀀𠀀的走过来，大家都看见了这一幕。\n";
        let d = Document::parse(
            crate::source::SourceFile::from_text(text.to_string(), false),
            crate::document::Format::Plain,
        );
        let mut out = Vec::new();
        DeDiDe.check(&d, &mut out);
        let at: Vec<&str> = out.iter().map(|f| &text[f.range.clone()]).collect();
        assert_eq!(
            at,
            ["的", "的"],
            "{:?}",
            out.iter().map(|f| &f.message).collect::<Vec<_>>()
        );
        assert!(out[0].message.text().contains("地") && out[1].message.text().contains("得"));
    }

    /// Clause text from words that make or break each pattern: doubled adverbs and other
    /// doubled characters, intransitive verbs, degree adverbs, nouns, spaces and marks.
    const PIECES: [&str; 24] = [
        "的",
        "的",
        "得",
        "慢慢",
        "渐渐",
        "在在",
        "浓浓",
        "妈妈",
        "aa",
        "11",
        "发展",
        "走",
        "说",
        "很",
        "很快",
        "非常",
        "快",
        "走过来",
        " ",
        "　",
        "，",
        "时期",
        "制度",
        "获得感",
    ];

    proptest::proptest! {
        /// A clause `may_report` rules out yields no finding.
        #[test]
        fn may_report_is_necessary(picks in proptest::collection::vec(0usize..24, 1..12)) {
            let s: String = picks.iter().map(|&k| PIECES[k]).collect();
            if !may_report(&s) {
                proptest::prop_assert!(run(&s).is_empty(), "{s}");
            }
        }
    }

    #[test]
    fn may_report_by_example() {
        for s in [
            "他慢慢的走过来",
            "经济发展的很快。",
            "经济发展 的 很快。",
            "时期得驿传制度",
            "aa的走",
        ] {
            assert!(may_report(s), "{s}");
        }
        for s in [
            "实实在在的幸福感",
            "浓浓的年味",
            "他的很多朋友",
            "我们的工作",
            "",
        ] {
            assert!(!may_report(s), "{s}");
            assert!(run(s).is_empty(), "{s}");
        }
    }

    #[test]
    fn dei_word_is_has_word() {
        for c in "获取使值记觉显到以分a，𠀀的".chars() {
            assert_eq!(
                dei_word(c, true),
                crate::segment::has_word(&format!("{c}得")),
                "{c}"
            );
            assert_eq!(
                dei_word(c, false),
                crate::segment::has_word(&format!("得{c}")),
                "{c}"
            );
            // Remembered: the same answer again.
            assert_eq!(
                dei_word(c, true),
                crate::segment::has_word(&format!("{c}得")),
                "{c}"
            );
        }
    }

    #[test]
    fn by_example() {
        assert_eq!(run("明清时期得驿传制度延续千年").len(), 1);
        assert_eq!(run("他慢慢的走过来").len(), 1);
        assert!(run("实实在在的获得感").is_empty());
        assert!(run("战略上谋划得科学，").is_empty());
        assert_eq!(run("经济发展的很快。").len(), 1);
        assert!(run("他说的很对。").is_empty());
        assert!(run("全国各地积极行动").is_empty());
    }
}
