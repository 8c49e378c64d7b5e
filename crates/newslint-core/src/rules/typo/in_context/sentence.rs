//! typo/in-context's sentence-level check (with `language-model = true`): a wrong character
//! inside a valid word (形式 for 形势, 在次 for 再次), judged by the language model over the
//! words either side of it.
//!
//! Every Han character of a clause is tried with each character alike in sound or shape
//! (`similar-chars.tsv`). A candidate is scored only where it makes a word of the model's
//! lexicon and of the segmenter's dictionary with its written neighbours; then the window of
//! [`WINDOW`] characters either side (within the clause) is costed written and corrected by
//! [`super::super::lm::Lm::cost`], and the candidate is reported when the corrected window is
//! cheaper by the margin, raised where the written reading is a word of its own.

use super::page::{self, WINDOW};
use crate::diagnostic::Finding;
use crate::rules::typo::lm::Lm;
use crate::text::is_han;

/// The least dictionary frequency of the word a correction makes.
const MIN_WORD_FREQ: u64 = 50;

/// Chinese numerals and digits: a candidate next to a number is left alone (一 and 以, 十 and
/// 时 are confused by the model, not by writers, in 十八届, 一万).
const NUMERALS: &str = "零〇一二三四五六七八九十百千万亿两几";

/// Added to the margin where the written characters make a word of the dictionary with at
/// least [`WORD_FREQ`] uses themselves (形式 for 形势: the written reading is a reading).
const WORD_MARGIN: f64 = 6.0;
const WORD_FREQ: u64 = 500;

/// Added to the margin where the written characters are a word of the dictionary or of the
/// model's lexicon at all (车企, 减贫: a reading of its own, if a rare one).
const KNOWN_MARGIN: f64 = 4.0;

/// Times `ln(f(suggested) / f(written))` added to the margin where the two sound alike only and
/// the written character is the rarer: a pinyin slip gives the commoner character of a
/// syllable, a rarer one is picked on purpose (抗疫, not 抗议). Alike in shape, a rare
/// character is a slip of the eye or hand as often (经沥 for 经历).
const RARER_SOUND: f64 = 2.0;

/// One position's best correction: its gain, where its word starts, the byte range, the
/// suggested character, the word it makes, the relation.
struct Hit {
    gain: f64,
    /// The byte where the word the correction makes starts.
    start: usize,
    range: std::ops::Range<usize>,
    c: char,
    word: String,
    relation: &'static str,
}

/// The sentence-level findings of piece `s` (`all`: the article's body text, for the
/// recurrence guard; `skip`: byte ranges left alone: titles and quotations).
pub fn findings(
    s: &str,
    all: &str,
    skip: &[std::ops::Range<usize>],
    similar: &dyn Fn(char) -> Option<(&'static str, &'static str, f64)>,
    min_gain: f64,
) -> Vec<Finding> {
    let lm = super::super::lm::lm();
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut hits: Vec<Hit> = Vec::new();
    let mut from = 0;
    while from < chars.len() {
        let mut to = from;
        while to < chars.len() && !super::typo::is_clause_mark(chars[to].1) {
            to += 1;
        }
        clause(
            s, &chars, from, to, all, skip, similar, min_gain, lm, &mut hits,
        );
        from = to + 1;
    }
    hits.into_iter()
        .map(|h| page::finding(s, h.range, h.c, h.relation, &h.word, h.gain))
        .collect()
}

/// The candidates of the clause `chars[from..to]`.
#[allow(clippy::too_many_arguments)]
fn clause(
    s: &str,
    chars: &[(usize, char)],
    from: usize,
    to: usize,
    all: &str,
    skip: &[std::ops::Range<usize>],
    similar: &dyn Fn(char) -> Option<(&'static str, &'static str, f64)>,
    min_gain: f64,
    lm: &Lm,
    hits: &mut Vec<Hit>,
) {
    // The byte where character k starts; the text of characters a..b.
    let start_of = |k: usize| chars.get(k).map_or(s.len(), |x| x.0);
    let text = |a: usize, b: usize| &s[chars[a].0..start_of(b)];
    let clause_start = start_of(from);
    let mut buf = String::new();
    // The written clause's words as the segmenter cuts it (for each character, the character
    // range of its word), cut when a candidate first needs it.
    let mut word_of: Vec<(usize, usize)> = Vec::new();
    let mut cut = false;
    for i in from..to {
        let (at, written) = chars[i];
        if !is_han(written) || NUMERALS.contains(written) {
            continue;
        }
        let range = at..at + written.len_utf8();
        if skip
            .iter()
            .any(|r| r.start <= range.start && range.end <= r.end)
        {
            continue;
        }
        let near_number = |k: usize| {
            chars
                .get(k)
                .is_some_and(|x| x.1.is_ascii_digit() || NUMERALS.contains(x.1))
        };
        if near_number(i + 1) || (i > 0 && near_number(i - 1)) {
            continue;
        }
        let Some((sound, shape, f_w)) = similar(written) else {
            continue;
        };
        if super::starts_name(s, at, written) {
            continue;
        }
        // After a surname a given name may follow: a correction is believed there only where
        // its word takes the surname or a character before it (严历打击: 严厉), not where it
        // lies inside the given name (陈严历: 严厉 would join two characters of the name).
        let surname = super::super::surname_before(s, at);
        let left = (i > from).then(|| chars[i - 1].1).filter(|&c| is_han(c));
        let right = chars
            .get(i + 1)
            .map(|x| x.1)
            .filter(|&c| i + 1 < to && is_han(c));
        let mut best: Option<Hit> = None;
        let mut seen = String::new();
        let lo = i.saturating_sub(WINDOW).max(from);
        let hi = (i + WINDOW + 1).min(to);
        let w_text = text(lo, hi);
        let mut w_cost: Option<f64> = None;
        for c in sound.chars().chain(shape.chars()) {
            if c == written || seen.contains(c) || NUMERALS.contains(c) {
                continue;
            }
            seen.push(c);
            // Every word over position i holds a neighbour of it: a correction that makes a
            // pair of no word with either neighbour makes no word (most of them).
            if !left.is_some_and(|l| lm.may_pair(l, c)) && !right.is_some_and(|r| lm.may_pair(c, r))
            {
                continue;
            }
            // The word the correction makes: the most frequent of the model's and the
            // dictionary's words of 2 to 4 characters over position i.
            let mut made: Option<(u64, usize, usize)> = None;
            for len in 2..=4usize {
                for a in i.saturating_sub(len - 1)..=i {
                    let b = a + len;
                    if a < from || b > to || !(a..b).all(|k| is_han(chars[k].1)) {
                        continue;
                    }
                    buf.clear();
                    buf.extend(replaced(&chars[a..b], i - a, c));
                    if !lm.has_word(&buf) {
                        continue;
                    }
                    let Some(f) = crate::segment::dict_freq(&buf) else {
                        continue;
                    };
                    if f >= MIN_WORD_FREQ && made.is_none_or(|x| f > x.0) {
                        made = Some((f, a, b));
                    }
                }
            }
            let Some((_, a, b)) = made else {
                continue;
            };
            if surname.is_some_and(|p| chars[a].0 > p) {
                continue;
            }
            let x = text(a, b);
            let Some(relation) = page::relation(sound, shape, c) else {
                continue;
            };
            let mut need = min_gain;
            if crate::segment::dict_freq(x).is_some_and(|f| f >= WORD_FREQ) {
                need += WORD_MARGIN;
            } else if page::known_word(x, lm) {
                need += KNOWN_MARGIN;
            }
            if relation == "形近" {
                need += page::SHAPE_MARGIN;
            }
            let f_c = similar(c).map_or(1.0, |t| t.2);
            if relation == "音近" && f_w < f_c {
                need += RARER_SOUND * (f_c / f_w.max(1.0)).ln();
            }
            let mut corrected = String::with_capacity(w_text.len() + 4);
            corrected.push_str(&s[chars[lo].0..at]);
            corrected.push(c);
            corrected.push_str(&s[range.end..start_of(hi)]);
            let written_cost = *w_cost.get_or_insert_with(|| lm.cost(w_text));
            let gain = written_cost - lm.cost(&corrected);
            if gain < need || best.as_ref().is_some_and(|h| h.gain >= gain) {
                continue;
            }
            // The correction takes a character out of a word the copy reads as written (货箱到人:
            // 想到 would break 货箱; 目标均: 标的 would break 目标).
            if !cut {
                cut = true;
                let mut k = from;
                for w in crate::segment::words(text(from, to)) {
                    let n = w.word.chars().count();
                    for _ in 0..n {
                        word_of.push((k, k + n));
                    }
                    k += n;
                }
            }
            let word_at = |k: usize| word_of.get(k - from).copied().unwrap_or((k, k + 1));
            if (a..b).any(|k| {
                let (p, q) = word_at(k);
                q - p >= 2 && (p < a || q > b)
            }) {
                continue;
            }
            // Written so again elsewhere in the article: on purpose (a name, a new term).
            if all.matches(x).nth(1).is_some() {
                continue;
            }
            let word: String = replaced(&chars[a..b], i - a, c).collect();
            best = Some(Hit {
                gain,
                start: chars[a].0,
                range: range.clone(),
                c,
                word,
                relation,
            });
        }
        let Some(h) = best else {
            continue;
        };
        // The page's design, read last (the costliest guards, for the few candidates left): a
        // parallel phrase, a name.
        if page::parallel(chars, i) || page::read_as_name(s, at, h.start) {
            continue;
        }
        // Two neighbours of this clause both suspect: the better reading only.
        if let Some(last) = hits.last() {
            if last.range.start >= clause_start && last.range.end + 3 >= h.range.start {
                if last.gain >= h.gain {
                    continue;
                }
                hits.pop();
            }
        }
        hits.push(h);
    }
}

/// The characters of `part` with the one at `k` replaced by `c`.
fn replaced(part: &[(usize, char)], k: usize, c: char) -> impl Iterator<Item = char> + '_ {
    part.iter()
        .enumerate()
        .map(move |(j, &(_, x))| if j == k { c } else { x })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The template's `min-sentence-gain`.
    fn margin() -> f64 {
        super::super::template().min_sentence_gain
    }

    fn run(s: &str, all: &str, skip: &[std::ops::Range<usize>], gain: f64) -> Vec<Finding> {
        let similar = super::super::similar;
        findings(s, all, skip, &similar, gain)
    }

    /// The suggested character of each finding.
    fn fixes(f: &[Finding]) -> Vec<String> {
        f.iter()
            .filter_map(|f| f.fix.as_ref().map(|x| x.edits[0].replacement.clone()))
            .collect()
    }

    #[test]
    fn a_wrong_character_next_to_its_word() {
        let s = "执法有机结合，严历打击违法行为";
        let f = run(s, s, &[], margin());
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(&s[f[0].range.clone()], "历");
        assert_eq!(fixes(&f), ["厉"]);
        let help = f[0].help.as_deref().unwrap_or("");
        assert!(
            help.contains("“历”与“厉”音近、形近") && help.contains("“严厉”"),
            "{help}"
        );
        assert_eq!(fixes(&run("他对工作认真负则", "", &[], margin())), ["责"]);
        assert_eq!(
            fixes(&run("请大家遵守秩序，不要拥济", "", &[], margin())),
            ["挤"]
        );
        // 在次 is no word, 再次 is: the one-token check leaves it under its own margin.
        assert_eq!(
            fixes(&run("他在次来到北京参加会议", "", &[], margin())),
            ["再"]
        );
    }

    #[test]
    fn right_copy_and_guards_are_left_alone() {
        for s in [
            "执法有机结合，严厉打击违法行为",
            "他对工作认真负责",
            "请大家遵守秩序，不要拥挤",
            "他再次来到北京参加会议",
            "我们要继续坚持改革开放",
            "他们在工作中发挥了重要作用",
        ] {
            assert!(run(s, s, &[], margin()).is_empty(), "{s}");
        }
        // 疫 sounds like 议 and is far rarer: picked on purpose (抗疫), though the model,
        // older than the word, prefers 抗议 with no margin.
        let s = "为全球抗疫合作开辟道路";
        assert!(run(s, s, &[], margin()).is_empty());
        assert_eq!(fixes(&run(s, s, &[], 0.0)), ["议"]);
        // 形式 is a word of its own: the margin it needs is not reached here.
        assert!(run("当前国际经济形式严峻复杂", "", &[], margin()).is_empty());
        // Written again in the article; inside a quotation; a margin no context reaches.
        let s = "执法有机结合，严历打击违法行为";
        assert!(run(s, "严历打击。严历打击", &[], margin()).is_empty());
        assert!(run(s, s, std::slice::from_ref(&(0..s.len())), margin()).is_empty());
        assert!(run(s, s, &[], 1e6).is_empty());
    }
}
