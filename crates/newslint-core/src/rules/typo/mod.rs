//! Shared machinery of the `typo/*` rules written in Rust: the segmenter's view of a clause
//! (tokens, tags and a log-probability under jieba's own word frequencies), the clause around a
//! candidate, the spans a rule must leave alone (《》 titles, datelines), and the word tables of
//! `lints/typo-data/` (built by `scripts/build_typo_data.py`).
//!
//! The language model is jieba's: the best segmentation of a clause without HMM, scored as the
//! sum of `ln(freq / total)` of its words (unknown characters count 1). A correction is
//! believed only when the corrected clause scores far higher than the written one.

pub mod de_di_de;
pub mod in_context;
pub mod lm;
pub mod non_standard_char;
pub mod series_punctuation;
pub mod variants;

use rustc_hash::FxBuildHasher;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use crate::document::{Document, Paragraph, Zone};
use crate::segment;

/// `ln` of the dictionary's total frequency as jieba's `suggest_freq` implies it:
/// `suggest_freq("的的") - 1 = f(的)² / total` (the value the family's margins were tuned with).
fn log_total() -> f64 {
    static LT: OnceLock<f64> = OnceLock::new();
    *LT.get_or_init(|| {
        let f = word_freq("的");
        let pair = segment::suggest_freq("的的") as f64 - 1.0;
        if f > 1.0 && pair > 0.0 {
            2.0 * f.ln() - pair.ln()
        } else {
            segment::dict_log_total()
        }
    })
}

/// The dictionary frequency of one token (1 for an unknown one), from the segmenter's
/// compiled dictionary: no jieba instance is loaded.
///
/// A dictionary word's value costs a segmentation of the word (`suggest_freq`, ~7,000
/// instructions); the same few thousand words come back in every clause, so each thread keeps
/// the values it has computed (the dictionary is compiled in: a value never changes), up to
/// [`FREQ_CACHE_MAX`] words.
pub fn word_freq(w: &str) -> f64 {
    thread_local! {
        static CACHE: std::cell::RefCell<HashMap<Box<str>, f64>> = Default::default();
    }
    if !segment::has_word(w) {
        return 1.0;
    }
    CACHE.with(|cache| {
        if let Some(&f) = cache.borrow().get(w) {
            return f;
        }
        let f = dict_word_freq(w);
        let mut cache = cache.borrow_mut();
        if cache.len() >= FREQ_CACHE_MAX {
            cache.clear();
        }
        cache.insert(w.into(), f);
        f
    })
}

/// The most words [`word_freq`] keeps a thread (a few MiB at most).
const FREQ_CACHE_MAX: usize = 1 << 16;

/// [`word_freq`] of a dictionary word, computed.
fn dict_word_freq(w: &str) -> f64 {
    // suggest_freq of a dictionary word that segments as itself is freq + 1.
    (segment::suggest_freq(w) as f64 - 1.0).max(1.0)
}

/// A clause segmented: tokens as byte ranges of the clause, with tags, and its log-probability.
pub struct Segmented {
    pub tokens: Vec<(Range<usize>, String)>,
    pub logp: f64,
}

impl Segmented {
    /// The token that covers byte `at`.
    pub fn token_at(&self, at: usize) -> Option<usize> {
        self.tokens.iter().position(|(r, _)| r.contains(&at))
    }

    /// Whether a token boundary falls at byte `at` (or `at` is an end of the clause).
    pub fn boundary_at(&self, at: usize) -> bool {
        at == 0
            || self
                .tokens
                .iter()
                .any(|(r, _)| r.start == at || r.end == at)
    }

    /// Whether one token spans exactly `r`.
    pub fn has_token(&self, r: &Range<usize>) -> bool {
        self.tokens.iter().any(|(t, _)| t == r)
    }
}

/// Segment `s` (without HMM, so that unknown strings stay single characters) and score it.
pub fn segment(s: &str) -> Segmented {
    let lt = log_total();
    let mut tokens = Vec::new();
    let mut logp = 0.0;
    let mut pos = 0;
    for t in segment::tag(s, false) {
        let r = pos..pos + t.word.len();
        pos = r.end;
        if t.word.trim().is_empty() {
            continue;
        }
        logp += word_freq(t.word).ln() - lt;
        tokens.push((r, t.tag.to_string()));
    }
    Segmented { tokens, logp }
}

/// Marks that end a clause for the segmenter's window.
pub fn is_clause_mark(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '！'
            | '？'
            | '；'
            | '：'
            | '、'
            | ','
            | '.'
            | '!'
            | '?'
            | ';'
            | ':'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '"'
            | '（'
            | '）'
            | '('
            | ')'
            | '《'
            | '》'
            | '\n'
    )
}

/// The clause around `at..end` in `s`: from the previous to the next clause mark, at most
/// `max_chars` characters each way.
pub fn clause(s: &str, at: usize, end: usize, max_chars: usize) -> Range<usize> {
    let mut start = at;
    for (n, (i, c)) in s[..at].char_indices().rev().enumerate() {
        if n >= max_chars || is_clause_mark(c) {
            break;
        }
        start = i;
    }
    let mut stop = end;
    for (n, (i, c)) in s[end..].char_indices().enumerate() {
        if n >= max_chars || is_clause_mark(c) {
            break;
        }
        stop = end + i + c.len_utf8();
    }
    start..stop
}

/// Byte ranges of `s` inside 《》 (titles of works: quoted as published).
pub fn title_spans(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '《' => {
                if depth == 0 {
                    open = Some(i);
                }
                depth += 1;
            }
            '》' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    if let Some(o) = open.take() {
                        out.push(o..i + c.len_utf8());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The body prose of a document the family reads: body paragraphs only, with each piece's
/// offset, the dateline cut off.
pub fn body_pieces(doc: &Document) -> impl Iterator<Item = (&Paragraph, usize, &str)> {
    doc.paragraphs
        .iter()
        .filter(|p| p.zone == Zone::Body)
        .flat_map(move |p| {
            let skip = p.dateline().map_or(0, |d| d.end);
            doc.prose(p).filter_map(move |(base, s)| {
                let end = base + s.len();
                if end <= skip {
                    return None;
                }
                let from = skip.saturating_sub(base);
                let mut from = from.min(s.len());
                while !s.is_char_boundary(from) {
                    from += 1;
                }
                Some((p, base + from, &s[from..]))
            })
        })
}

/// A wrong → right table from a TSV of `lints/typo-data/` (`wrong<TAB>right[<TAB>why]`), its
/// wrong forms (two or more characters each) indexed by their first two characters.
pub struct Table {
    pub entries: HashMap<&'static str, (&'static str, &'static str)>,
    pub keys: Vec<&'static str>,
    /// First two characters → the wrong forms starting with them, longest first.
    heads: HashMap<u64, Vec<&'static str>, FxBuildHasher>,
    /// The first bytes of every wrong form: where one can start at all.
    filter: crate::text::Heads,
}

fn head_key(a: char, b: char) -> u64 {
    (u64::from(a as u32) << 21) | u64::from(b as u32)
}

impl Table {
    pub fn parse(tsv: &'static str) -> Table {
        let mut entries = HashMap::new();
        let mut keys = Vec::new();
        let mut heads: HashMap<u64, Vec<&'static str>, FxBuildHasher> = HashMap::default();
        for line in tsv.lines() {
            let mut f = line.split('\t');
            let (Some(w), Some(r)) = (f.next(), f.next()) else {
                continue;
            };
            let why = f.next().unwrap_or("");
            let mut cs = w.chars();
            let (Some(a), Some(b)) = (cs.next(), cs.next()) else {
                continue;
            };
            if entries.insert(w, (r, why)).is_some() {
                continue;
            }
            keys.push(w);
            heads.entry(head_key(a, b)).or_default().push(w);
        }
        for v in heads.values_mut() {
            v.sort_by_key(|w| std::cmp::Reverse(w.len()));
        }
        Table {
            filter: crate::text::Heads::new(&keys),
            entries,
            keys,
            heads,
        }
    }

    /// The wrong forms in `s`, leftmost-longest and not overlapping (as an Aho-Corasick
    /// automaton would find them). The filter of first bytes skips to the next character where
    /// a form can start (one word and one bit a character); there the first two characters are
    /// looked up.
    /// The head keys of the wrong forms (their first two characters, as `head_key`).
    pub fn head_keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.heads.keys().copied()
    }

    /// The length of the wrong form that [`Table::find_iter`] takes at byte `i` of `s`, if
    /// one starts there (the longest of those with its first two characters).
    pub fn match_at(&self, s: &str, i: usize) -> Option<usize> {
        let mut cs = s[i..].chars();
        let (a, b) = (cs.next()?, cs.next()?);
        let ws = self.heads.get(&head_key(a, b))?;
        ws.iter().find(|w| s[i..].starts_with(**w)).map(|w| w.len())
    }

    pub fn find_iter(&self, s: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut pos = 0;
        while let Some(k) = self.filter.first(&s[pos..]) {
            let i = pos + k;
            let mut cs = s[i..].chars();
            let (Some(a), Some(b)) = (cs.next(), cs.next()) else {
                break;
            };
            let found = self
                .heads
                .get(&head_key(a, b))
                .and_then(|ws| ws.iter().find(|w| s[i..].starts_with(**w)));
            match found {
                Some(w) => {
                    out.push(i..i + w.len());
                    pos = i + w.len();
                }
                None => pos = i + a.len_utf8(),
            }
        }
        out
    }

    /// The same as [`Table::find_iter`], a character at a time without the filter: what the
    /// tests hold the filtered search to.
    #[cfg(test)]
    fn find_iter_slow(&self, s: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut it = s.char_indices().peekable();
        let mut skip_to = 0;
        while let Some((i, a)) = it.next() {
            if i < skip_to {
                continue;
            }
            let Some(&(_, b)) = it.peek() else {
                break;
            };
            let Some(ws) = self.heads.get(&head_key(a, b)) else {
                continue;
            };
            if let Some(w) = ws.iter().find(|w| s[i..].starts_with(**w)) {
                out.push(i..i + w.len());
                skip_to = i + w.len();
            }
        }
        out
    }
}

/// Common surnames (the most frequent of 百家姓 in today's population).
pub(crate) const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";

/// Whether one of the two characters before byte `i` of `s` is a common surname that makes no
/// word of the dictionary with its neighbours (许多, 王国): a given name follows. Shared by
/// typo/in-context and typo/non-standard-char.
pub(crate) fn after_surname(s: &str, i: usize) -> bool {
    surname_before(s, i).is_some()
}

/// The byte where the surname [`after_surname`] finds starts (the nearer of the two).
pub(crate) fn surname_before(s: &str, i: usize) -> Option<usize> {
    let before: Vec<(usize, char)> = s[..i].char_indices().rev().take(3).collect();
    let word = |a: char, b: char| segment::has_word(&format!("{a}{b}"));
    before.iter().take(2).enumerate().find_map(|(k, &(at, c))| {
        if !SURNAMES.contains(c) {
            return None;
        }
        let next = s[at + c.len_utf8()..].chars().next();
        let prev = before.get(k + 1).map(|x| x.1);
        (!next.is_some_and(|n| word(c, n)) && !prev.is_some_and(|p| word(p, c))).then_some(at)
    })
}

/// Byte ranges where `a` and `b` (same number of characters) differ, offset by `base`, with the
/// characters of each side.
pub fn differing(a: &str, b: &str, base: usize) -> Vec<(Range<usize>, char, char)> {
    let mut out = Vec::new();
    let mut pos = base;
    for (x, y) in a.chars().zip(b.chars()) {
        if x != y {
            out.push((pos..pos + x.len_utf8(), x, y));
        }
        pos += x.len_utf8();
    }
    out
}

/// Whether the word at `r` in the segmented clause sits next to what looks like a name: a
/// neighbouring token tagged as a person or place name (nr, nrt, nrfg, ns), or a rare single
/// character (transliterated names: 希奇莱马).
pub fn near_name(seg: &Segmented, clause: &str, r: &Range<usize>) -> bool {
    seg.tokens.iter().any(|(t, tag)| {
        let adjacent = t.end == r.start || t.start == r.end;
        if !adjacent {
            return false;
        }
        if tag.starts_with("nr") || tag == "ns" {
            return true;
        }
        let w = &clause[t.clone()];
        w.chars().count() == 1 && w.chars().all(crate::text::is_han) && word_freq(w) < 2000.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_total_matches_the_default_dictionary() {
        let lt = log_total();
        assert!((lt - 60_101_964f64.ln()).abs() < 0.01, "{lt}");
    }

    #[test]
    fn cached_frequencies_are_the_computed_ones() {
        for w in [
            "的",
            "经济",
            "发展",
            "精彩",
            "精采",
            "逆境",
            "的的",
            "xyz",
            "面目全非",
        ] {
            let want = if segment::has_word(w) {
                dict_word_freq(w)
            } else {
                1.0
            };
            // First computed, then from the cache.
            assert_eq!(word_freq(w), want, "{w}");
            assert_eq!(word_freq(w), want, "{w}");
        }
        assert!(word_freq("经济") > 1000.0);
    }

    #[test]
    fn a_correct_clause_scores_higher() {
        assert!(segment("遇到逆境时").logp > segment("遇到逆竟时").logp + 5.0);
        assert!(segment("面目全非").logp > segment("面目全飞").logp + 10.0);
    }

    #[test]
    fn clause_stops_at_marks_and_length() {
        let s = "前面，遇到逆竟时我们。后面";
        let at = s.find("竟").unwrap_or(0);
        let r = clause(s, at, at + 3, 20);
        assert_eq!(&s[r], "遇到逆竟时我们");
        let r = clause(s, at, at + 3, 2);
        assert_eq!(&s[r], "到逆竟时我");
    }

    #[test]
    fn titles_are_found_nested() {
        let s = "读《关于〈A〉的《B》说明》和《C》。";
        let t: Vec<&str> = title_spans(s).into_iter().map(|r| &s[r]).collect();
        assert_eq!(t, ["《关于〈A〉的《B》说明》", "《C》"]);
    }

    #[test]
    fn table_finds_leftmost_longest() {
        let t = Table::parse("逆竟\t逆境\n逆竟时\t逆境时\n竟时\t境时\n");
        let s = "遇到逆竟时，逆竟";
        let found: Vec<&str> = t.find_iter(s).into_iter().map(|r| &s[r]).collect();
        assert_eq!(found, ["逆竟时", "逆竟"]);
    }

    proptest::proptest! {
        /// The filtered search finds what a search at every character finds, on text built
        /// from the forms' own characters (overlaps, prefixes, forms cut short).
        #[test]
        fn filtered_table_search_is_the_full_search(picks in proptest::collection::vec(0usize..12, 0..60)) {
            let t = Table::parse("逆竟\t逆境\n逆竟时\t逆境时\n竟时\t境时\n精采\t精彩\n百废具兴\t百废俱兴\n");
            const ALPHABET: [char; 12] = ['逆', '竟', '时', '精', '采', '百', '废', '具', '兴', '，', 'a', '𠀀'];
            let s: String = picks.iter().map(|&k| ALPHABET[k]).collect();
            proptest::prop_assert_eq!(t.find_iter(&s), t.find_iter_slow(&s));
        }
    }

    #[test]
    fn the_variant_table_search_is_the_full_search_on_a_fixture() {
        let t = Table::parse(include_str!("../../../../../lints/typo-data/variants.tsv"));
        let fixture = include_str!("../../../../../fixtures/rules/typo/variants.txt");
        let found = t.find_iter(fixture);
        assert!(found.len() >= 2, "{found:?}");
        assert_eq!(found, t.find_iter_slow(fixture));
        let seed = include_str!("../../../../../fixtures/seeds/001_09808162e94c1a38.txt");
        assert_eq!(t.find_iter(seed), t.find_iter_slow(seed));
    }

    #[test]
    fn differing_characters() {
        let d = differing("逆竟", "逆境", 10);
        assert_eq!(d, vec![(13..16, '竟', '境')]);
    }
}
