//! The word segmenter (jieba, with its dictionary and part-of-speech tags), shared by the rules
//! that need to know where words are.
//!
//! The dictionary is loaded once, on first use (about 150 ms and 40 MiB). Runs over many files
//! start loading it in the background ([`warm_up`]); a run that never needs it never loads it.

use std::sync::OnceLock;

use jieba_rs::Jieba;

use crate::text;

/// The segmenter with jieba's default dictionary.
pub fn jieba() -> &'static Jieba {
    static J: OnceLock<Jieba> = OnceLock::new();
    J.get_or_init(Jieba::new)
}

/// Load the segmenter's dictionary on a background thread. Runs over many files call this:
/// some file will need it, and without it the first worker to need it loads it while the others
/// block on the same lock.
pub fn warm_up() {
    std::thread::spawn(|| {
        jieba();
    });
}

/// The last `n` characters of `s`.
fn tail(s: &str, n: usize) -> &str {
    let at = s.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i);
    &s[at..]
}

/// The first `n` characters of `s`.
fn head(s: &str, n: usize) -> &str {
    let at = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    &s[..at]
}

/// A word that `left` and `right` split between them: read together, the segmenter puts a word of
/// the dictionary across the boundary ("提高社" + "会救助" → 社会), and read apart, each side breaks
/// that word into fragments (提高/社, 会/救助) instead of keeping a word of its own across the
/// word's edge. Not a split word:
/// - two whole words that merely form a compound when joined ("根本保障" + "制度" → 保障制度);
/// - a word read across the edge of a word the side had (公开听证 + 据美国 → 听/证据: 听证 was a
///   word of its own);
/// - a measure word after digits ("同期17倍" + "受极端" → 倍受).
///
/// Returns the word.
pub fn split_word(left: &str, right: &str) -> Option<String> {
    let a = tail(left, 6);
    let b = head(right, 6);
    let last_han = a.chars().next_back().is_some_and(text::is_han);
    let first_han = b.chars().next().is_some_and(text::is_han);
    if !(last_han && first_han) {
        return None;
    }
    let joined = format!("{a}{b}");
    let cut = a.len();
    let j = jieba();
    let tokens = j.cut(&joined, false);
    let across = tokens
        .iter()
        .find(|t| t.byte_start < cut && t.byte_end > cut)?;
    let word = across.word;
    if word.chars().count() < 2 || !word.chars().all(text::is_han) {
        return None;
    }
    let (start, end) = (across.byte_start, across.byte_end);
    // Read apart, no token of either side may cross the word's edge.
    let left_alone = j.cut(a, false);
    let right_alone = j.cut(b, false);
    let left_keeps_edge = left_alone.iter().any(|t| t.byte_start == start);
    let right_keeps_edge = right_alone.iter().any(|t| cut + t.byte_end == end);
    if !(left_keeps_edge && right_keeps_edge) {
        return None;
    }
    // Two whole words on either side: a compound, not a split.
    let left_whole = left_alone.last().is_some_and(|t| t.byte_start == start)
        && joined[start..cut].chars().count() > 1;
    let right_whole = right_alone.first().is_some_and(|t| cut + t.byte_end == end)
        && joined[cut..end].chars().count() > 1;
    if left_whole && right_whole {
        return None;
    }
    // A measure word after a number ends the number, not a word.
    if joined[..start]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return None;
    }
    Some(word.to_string())
}

/// Whether `s[range]`, a short Han string, is read as whole words: the segmenter puts a word
/// boundary at both its ends when it reads the text around it. "呆子" in "书呆子们" and "影后" in
/// "踪影后" are parts of other words. (The segmenter reads "弱智能" as 弱智 + 能: not caught.)
pub fn is_whole_words(s: &str, range: std::ops::Range<usize>) -> bool {
    // A window of up to six characters either side.
    let mut lo = range.start;
    for _ in 0..6 {
        match s[..lo].chars().next_back() {
            Some(c) => lo -= c.len_utf8(),
            None => break,
        }
    }
    let mut hi = range.end;
    for _ in 0..6 {
        match s[hi..].chars().next() {
            Some(c) => hi += c.len_utf8(),
            None => break,
        }
    }
    let window = &s[lo..hi];
    let (start, end) = (range.start - lo, range.end - lo);
    let tokens = jieba().cut(window, false);
    let starts = tokens.iter().any(|t| t.byte_start == start);
    let ends = tokens.iter().any(|t| t.byte_end == end);
    starts && ends
}

/// The first word of `s` as the segmenter reads it.
pub fn first_word(s: &str) -> Option<&str> {
    let b = head(s, 6);
    jieba().cut(b, false).first().map(|t| t.word)
}

/// The last word of `s` as the segmenter reads it.
pub fn last_word(s: &str) -> Option<&str> {
    let a = tail(s, 6);
    jieba().cut(a, false).last().map(|t| t.word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_by_a_break() {
        for (l, r, w) in [
            ("着力在提高社", "会救助工作质效上下功夫", "社会"),
            ("巡查搜救，及", "时为流浪乞讨人员", "及时"),
            ("变得粘稠冒出气泡，孩", "子们赶紧拿起", "孩子"),
            ("救助保障标准在原来基", "础上提高10%", "基础"),
            ("建材公司和生物科技公", "司,部分客商", "公司"),
        ] {
            assert_eq!(split_word(l, r).as_deref(), Some(w), "{l}|{r}");
        }
        for (l, r) in [
            // Two whole words that form a compound when joined (a real cut like 中国|共产党 is
            // found by other evidence).
            ("百年大党永葆生机活力的根本保障", "制度治党、依规治党"),
            ("确立了新时代新征程中国", "共产党的中心任务"),
            // A subheading and the paragraph under it.
            ("以立法引领改革，为发展破除障碍", "“法治浙江”建设20年"),
            ("向顶峰，不懈攀登", "当数字时代海量数据汹涌而来"),
            // Not Han on both sides.
            ("2947所，", "根据现场勘查"),
            // A word read across the edge of a word the left side had (听证 → 听/证据).
            ("军事行动举行公开听证", "据美国媒体10日报道"),
            // A measure word after digits.
            ("面积达去年同期17倍", "受极端高温天气影响"),
        ] {
            assert_eq!(split_word(l, r), None, "{l}|{r}");
        }
    }

    #[test]
    fn whole_words() {
        let at = |s: &str, w: &str| {
            let i = s.find(w).unwrap();
            is_whole_words(s, i..i + w.len())
        };
        assert!(!at("晚宴有个绰号：书呆子们的舞会", "呆子"));
        assert!(!at("在宣川上空发现敌机踪影后继续搜索", "影后"));
        assert!(at("不得称其为瞎子或聋子", "瞎子"));
        assert!(at("她获得了最佳女主角，成为影后", "影后"));
    }

    #[test]
    fn first_and_last_words() {
        assert_eq!(first_word("的实施将为保障公共安全"), Some("的"));
        assert_eq!(last_word("习近平总书记在"), Some("在"));
        assert_eq!(first_word(""), None);
    }
}
