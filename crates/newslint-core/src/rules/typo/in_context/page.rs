//! The model of the page: what typo/in-context's two language-model checks share (the window
//! they read, the relation of two characters, the finding they build) and the guards that
//! read the copy around a candidate before a correction is believed: a character written again
//! in a parallel phrase (复工复产复商复市, 考人与考事), a name (a surname and its given name,
//! a transliterated name the segmenter reads as one), a written form that is a word of its own.

use crate::diagnostic::{Edit, Finding, Fix};
use crate::segment;

/// Characters either side of a candidate that the language model reads (both checks).
pub const WINDOW: usize = 6;

/// Added to both checks' margins where the two characters are alike in shape only (set on the
/// dev split): copy is typed by pinyin, whose slips sound alike; a slip of shape (常 for 党,
/// 上 for 企) is rarer there, and the shape table pairs characters only by shared strokes.
pub const SHAPE_MARGIN: f64 = 3.0;

/// How two characters are alike, as the help line says it: `None` where the tables give
/// neither relation.
pub fn relation(sound: &str, shape: &str, c: char) -> Option<&'static str> {
    match (sound.contains(c), shape.contains(c)) {
        (true, true) => Some("音近、形近"),
        (true, false) => Some("音近"),
        (false, true) => Some("形近"),
        (false, false) => None,
    }
}

/// The finding of a language-model check: `s[range]` (one character) written for `c`, which
/// makes `word`, the corrected window `gain` (natural log) more probable.
pub fn finding(
    s: &str,
    range: std::ops::Range<usize>,
    c: char,
    relation: &str,
    word: &str,
    gain: f64,
) -> Finding {
    let written = &s[range.clone()];
    Finding::new(range.clone(), format!("“{written}”疑为“{c}”之误"))
        .label(format!("应为“{c}”"))
        .help(format!(
            "“{written}”与“{c}”{relation}；此处应为“{word}”（按语言模型，改后的读法可能性高约 {:.0} 倍）",
            gain.exp().min(1e9)
        ))
        .fix(Fix::unsafe_(vec![Edit {
            range,
            replacement: c.to_string(),
        }]))
}

/// Marks that end a sentence: a parallel phrase runs over 、 and ， but not past these.
fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n')
}

/// How far a neighbour's repeat may lie for a parallel phrase (早诊早治: 2; 考人与考事: 3;
/// 复工复产复商复市: 2 and 4).
const PARALLEL_REACH: usize = 4;

/// Whether the character at `chars[i]` sits in a parallel phrase, where repetition is the
/// writer's design and a character that differs from its counterpart is meant to: the written
/// character again within [`WINDOW`] in the same sentence (学纪、知纪、明纪; 以惠促融、以情促融),
/// or a neighbour repeated 2 to [`PARALLEL_REACH`] characters away on the same side with
/// another character next to it (复工复产复商复市, 考人与考事, 恒温恒湿, 早诊早治).
pub fn parallel(chars: &[(usize, char)], i: usize) -> bool {
    let written = chars[i].1;
    let mut lo = i;
    while lo > 0 && i - lo < WINDOW && !ends_sentence(chars[lo - 1].1) {
        lo -= 1;
    }
    let mut hi = i + 1;
    while hi < chars.len() && hi - i <= WINDOW && !ends_sentence(chars[hi].1) {
        hi += 1;
    }
    if (lo..hi).any(|k| k != i && chars[k].1 == written) {
        return true;
    }
    let han = |k: usize| crate::text::is_han(chars[k].1);
    // The left neighbour L at i-1 ("L written"): "L x" again before or after.
    if i > lo && han(i - 1) {
        let l = chars[i - 1].1;
        for d in 2..=PARALLEL_REACH {
            let before = i > lo + d && chars[i - 1 - d].1 == l;
            let after = i - 1 + d < hi && chars[i - 1 + d].1 == l;
            if before || after {
                return true;
            }
        }
    }
    // The right neighbour R at i+1 ("written R"): "x R" again before or after.
    if i + 1 < hi && han(i + 1) {
        let r = chars[i + 1].1;
        for d in 2..=PARALLEL_REACH {
            let before = i + 1 >= lo + d && chars[i + 1 - d].1 == r;
            let after = i + 1 + d < hi && chars[i + 1 + d].1 == r;
            if before || after {
                return true;
            }
        }
    }
    false
}

/// Whether the segmenter, with its HMM for words its dictionary lacks, reads the character at
/// byte `at` of `s` as part of a name, read over the clause around it: a token tagged as a
/// transliterated name or a place (nrt, nrfg, ns: 巴祖姆, 武契奇, 佐科), or as a person's name
/// (nr) that starts before `word`, the byte where the correction's word starts (高鸿钧,
/// 陈严历: the word would lie inside the given name; 严历打击 read as a name is re-read by 严厉,
/// which takes its first character).
pub fn read_as_name(s: &str, at: usize, word: usize) -> bool {
    let cl = super::super::clause(s, at, at, WINDOW + 2);
    let clause = &s[cl.clone()];
    let local = at - cl.start;
    segment::cut(clause, true).iter().any(|w| {
        w.byte_start <= local && local < w.byte_end && w.word.chars().count() >= 2 && {
            let t = segment::tag_of(w.word);
            matches!(t, "nrt" | "nrfg" | "ns") || (t == "nr" && w.byte_start + cl.start < word)
        }
    })
}

/// Whether the written characters `x` are a word of their own, to the segmenter's dictionary
/// or to the language model's lexicon (车企, 减贫 in one; a reading a rarer correction must beat
/// by more).
pub fn known_word(x: &str, lm: &super::super::lm::Lm) -> bool {
    x.chars().count() >= 2 && (segment::has_word(x) || lm.has_word(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str, c: &str) -> usize {
        let b = s.find(c).unwrap_or(0);
        s[..b].chars().count()
    }

    #[test]
    fn parallel_phrases() {
        let cs = |s: &str| s.char_indices().collect::<Vec<_>>();
        let s = "加快推进复工复产复商复市";
        assert!(parallel(&cs(s), at(s, "商")));
        let s = "坚持考人与考事相结合";
        assert!(parallel(&cs(s), at(s, "事")));
        let s = "学纪、知纪、明纪";
        assert!(parallel(&cs(s), at(s, "知")));
        let s = "执法有机结合，严历打击违法行为";
        assert!(!parallel(&cs(s), at(s, "历")));
        // Not across a sentence.
        let s = "历史。严历打击";
        assert!(!parallel(&cs(s), at(s, "严历") + 1));
    }

    #[test]
    fn names_read_by_the_segmenter() {
        let name = |s: &str, c: &str, word: &str| {
            read_as_name(s, s.find(c).unwrap_or(0), s.find(word).unwrap_or(0))
        };
        assert!(name("尼日尔总统巴祖姆表示", "姆", "祖"));
        assert!(name("无党派人士代表高鸿钧先后发言", "钧", "鸿"));
        assert!(!name("公司决定扩大生产规磨", "磨", "规"));
        // A word that takes the name's first character re-reads it.
        assert!(!name("严历打击违法行为", "历", "严"));
    }
}
