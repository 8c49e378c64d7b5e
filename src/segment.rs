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
/// the dictionary across the boundary ("提高社" + "会救助" → 社会), and on one side the part of it is
/// left over as a one-character fragment when that side is read alone (提高/社). Two whole words
/// that merely form a compound when joined ("根本保障" + "制度" → 保障制度) are not a split word.
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
    let left_part = &joined[across.byte_start..cut];
    let right_part = &joined[cut..across.byte_end];
    let left_alone = j.cut(a, false);
    let right_alone = j.cut(b, false);
    let orphan_left = left_part.chars().count() == 1
        && left_alone.last().is_some_and(|t| t.word == left_part);
    let orphan_right = right_part.chars().count() == 1
        && right_alone.first().is_some_and(|t| t.word == right_part);
    (orphan_left || orphan_right).then(|| word.to_string())
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
            // Two whole words that form a compound when joined.
            ("百年大党永葆生机活力的根本保障", "制度治党、依规治党"),
            // A subheading and the paragraph under it.
            ("以立法引领改革，为发展破除障碍", "“法治浙江”建设20年"),
            ("向顶峰，不懈攀登", "当数字时代海量数据汹涌而来"),
            // Not Han on both sides.
            ("2947所，", "根据现场勘查"),
        ] {
            assert_eq!(split_word(l, r), None, "{l}|{r}");
        }
    }

    #[test]
    fn first_and_last_words() {
        assert_eq!(first_word("的实施将为保障公共安全"), Some("的"));
        assert_eq!(last_word("习近平总书记在"), Some("在"));
        assert_eq!(first_word(""), None);
    }
}
