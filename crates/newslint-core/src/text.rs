//! Character classes shared by the document model and the rules.
//!
//! Han text has no word boundaries, so rules decide "is this Chinese context?" by looking at the
//! characters themselves rather than at `\b`-style boundaries.

/// A character of the Unicode Han script: the CJK Unified Ideographs and every extension
/// (A–I in the Supplementary Ideographic Plane, G, H and J in the Tertiary one, which is
/// reserved for CJK ideographs and taken whole so later extensions count too), the
/// compatibility ideographs, the CJK and Kangxi radicals (PDF and OCR copy uses them for
/// ordinary characters), 〇, 々, the Hangzhou numerals and the old Chinese marks of U+16FE2.
/// `tests::is_han_covers_the_han_script` checks it against the regex crate's `\p{Han}`.
#[inline]
pub fn is_han(c: char) -> bool {
    let u = c as u32;
    // The main block first: most characters of Chinese copy.
    (0x4E00..=0x9FFF).contains(&u)
        || matches!(u,
            0x3400..=0x4DBF
            | 0x20000..=0x2FA1F
            | 0x30000..=0x3FFFD
            | 0xF900..=0xFAFF
            | 0x2E80..=0x2E99
            | 0x2E9B..=0x2EF3
            | 0x2F00..=0x2FD5
            | 0x3005
            | 0x3007
            | 0x3021..=0x3029
            | 0x3038..=0x303B
            | 0x16FE2..=0x16FE3
            | 0x16FF0..=0x16FF1)
}

/// [`char::is_alphanumeric`], with the main Han block (every one of its characters is a letter)
/// answered without the standard library's table search, which Han text otherwise takes for
/// every character. `tests::letter_or_digit_is_is_alphanumeric` checks the block.
#[inline]
pub fn is_letter_or_digit(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_alphanumeric()
}

/// The characters of [`is_han`] as the inside of a regex class (`[{HAN_CLASS}]`). Cheaper to
/// compile than `\p{Han}`, and the same definition as the rest of the code.
pub const HAN_CLASS: &str = concat!(
    r"\u{4E00}-\u{9FFF}\u{3400}-\u{4DBF}\u{20000}-\u{2FA1F}\u{30000}-\u{3FFFD}\u{F900}-\u{FAFF}",
    r"\u{2E80}-\u{2E99}\u{2E9B}-\u{2EF3}\u{2F00}-\u{2FD5}\u{3005}\u{3007}\u{3021}-\u{3029}",
    r"\u{3038}-\u{303B}\u{16FE2}-\u{16FE3}\u{16FF0}-\u{16FF1}"
);

/// Full-width punctuation used in Chinese text: the CJK Symbols and Punctuation block (、。《》【】…)
/// and the punctuation of the Halfwidth and Fullwidth Forms block (，；：？！（）…).
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFE30..=0xFE4F)
        || matches!(
            c,
            '，' | '；' | '：' | '？' | '！' | '（' | '）' | '．' | '～' | '…' | '—'
        )
}

/// A character that only appears in Chinese running text: Han or full-width punctuation.
pub fn is_cjk(c: char) -> bool {
    is_han(c) || is_cjk_punct(c) || matches!(c as u32, 0xFF01..=0xFF60)
}

/// Curly quotes and the middle dot appear in both Chinese and Western text: callers look past them.
pub fn is_neutral_mark(c: char) -> bool {
    matches!(c, '“' | '”' | '‘' | '’' | '·' | '"' | '\'')
}

/// Sentence-final punctuation of Chinese (and a few ASCII forms seen in damaged copy).
pub fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '…' | '!' | '?' | '．')
}

/// Closing marks that may follow a sentence end (”。 is wrong, 。” is right, both end a sentence).
pub fn is_closing_mark(c: char) -> bool {
    matches!(c, '”' | '’' | '）' | ')' | '』' | '」' | '》' | '】' | '"')
}

/// Whitespace as it appears in Chinese copy, including the ideographic space U+3000 and the
/// invisible format characters CMS exports leave behind (zero-width space and joiners, BOM).
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{3000}' | '\u{FEFF}' | '\u{200B}'..='\u{200D}' | '\u{2060}'
        )
}

/// Does `s` open with a list marker: 一、 (一) （1） 1. 1、 ①?
pub fn starts_with_list_marker(s: &str) -> bool {
    let mut it = s.chars();
    let Some(first) = it.next() else { return false };
    if matches!(first, '①'..='⑳' | '•' | '·' | '●' | '▪') {
        return true;
    }
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    if matches!(first, '（' | '(') {
        let rest: String = it.take_while(|&c| c != '）' && c != ')').collect();
        return !rest.is_empty() && rest.chars().count() <= 3 && rest.chars().all(numeral);
    }
    if first == '第' {
        return false;
    }
    let head: String = s.chars().take_while(|&c| numeral(c)).collect();
    let n = head.chars().count();
    n > 0
        && n <= 3
        && s[head.len()..].starts_with(['、', '.', '．', ')', '）'])
        && !s[head.len()..].starts_with(".5") // "2.5亿" is a number, not "2."
}

/// A full-width form (U+FF01–U+FF5E: ０–９, Ａ–Ｚ, ，…) as its ASCII twin; anything else as is.
pub fn halfwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// `s` with every full-width form as its ASCII twin ("１６" → "16").
pub fn to_halfwidth(s: &str) -> String {
    s.chars().map(halfwidth).collect()
}

/// Byte ranges of the runs of full-width digits ０–９ among `marks`, the non-Han characters of a
/// text ([`non_han`] or `Document::non_han`).
pub fn wide_digit_runs(
    marks: impl IntoIterator<Item = (usize, char)>,
) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, c) in marks {
        if !('０'..='９').contains(&c) {
            continue;
        }
        match out.last_mut() {
            Some(r) if r.end == i => r.end = i + 3,
            _ => out.push(i..i + 3),
        }
    }
    out
}

/// The number of characters in `s`, counted on bytes (every byte that does not continue a
/// UTF-8 sequence starts a character), eight bytes at a time: 2–3× the byte loop the compiler
/// vectorises on this text (lines of the 105 MB bench file), which is itself faster than decoding.
pub fn char_count(s: &str) -> usize {
    // A byte starts a character unless it is a continuation byte (10xxxxxx), i.e. when bit 7
    // is clear or bit 6 is set (`tests::char_count_is_chars_count`).
    let b = s.as_bytes();
    let mut chunks = b.chunks_exact(8);
    let mut n = 0;
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        n += ((!w >> 7 | w >> 6) & 0x0101_0101_0101_0101).count_ones() as usize;
    }
    n + chunks
        .remainder()
        .iter()
        .filter(|&&x| (x as i8) >= -0x40)
        .count()
}

/// Does `s` have more than `n` characters? Decides on the byte length alone when it can (a
/// character is one to four bytes) and counts at most `4n` bytes otherwise.
pub fn more_chars_than(s: &str, n: usize) -> bool {
    if s.len() <= n {
        return false;
    }
    if s.len() > 4 * n {
        return true;
    }
    char_count(s) > n
}

/// `min(char_count(s), cap)`, reading at most `4 * cap` bytes.
pub fn char_count_capped(s: &str, cap: usize) -> usize {
    if s.len() >= 4 * cap {
        return cap;
    }
    char_count(s).min(cap)
}

/// The number of characters in `s` that are not [`is_space`], or `cap` if there are at least
/// `cap`. Han characters (lead bytes 0xE4–0xE9, never a space) are counted without decoding.
pub fn non_space_count_capped(s: &str, cap: usize) -> usize {
    let b = s.as_bytes();
    let mut n = 0;
    let mut i = 0;
    while i < b.len() && n < cap {
        let lead = b[i];
        if is_han_lead(lead) {
            n += 1;
            i += 3;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or(' ');
        if !is_space(c) {
            n += 1;
        }
        i += c.len_utf8();
    }
    n
}

/// The byte length of the UTF-8 sequence a lead byte opens (1 for anything else).
#[inline]
pub fn utf8_width(lead: u8) -> usize {
    match lead {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Does this UTF-8 lead byte open a character of U+4000–U+9FFF (three bytes, 0xE4–0xE9)? That
/// is the main block of Han ideographs, most of Chinese copy: the hot loops skip or decode
/// these without the general decoder.
#[inline]
pub fn is_han_lead(b: u8) -> bool {
    (0xE4..=0xE9).contains(&b)
}

/// The characters of `s` that are not Han ideographs of the main CJK block, with their byte
/// offsets: punctuation, digits, Latin and other letters, spaces, rarer ideographs.
///
/// Chinese copy is mostly Han (lead bytes 0xE4–0xE9, three bytes each), so rules that look for
/// marks, digits or letters walk this instead of decoding every character: a Han character
/// costs one byte comparison.
pub fn non_han(s: &str) -> NonHan<'_> {
    NonHan { s, i: 0 }
}

/// See [`non_han`].
#[derive(Clone)]
pub struct NonHan<'a> {
    s: &'a str,
    i: usize,
}

impl Iterator for NonHan<'_> {
    type Item = (usize, char);

    #[inline]
    fn next(&mut self) -> Option<(usize, char)> {
        let b = self.s.as_bytes();
        let mut i = self.i;
        while i < b.len() && is_han_lead(b[i]) {
            i += 3;
        }
        let &lead = b.get(i)?;
        let c = if lead < 0x80 {
            lead as char
        } else {
            self.s[i..].chars().next()?
        };
        self.i = i + c.len_utf8();
        Some((i, c))
    }
}

/// The UTF-8 sequence length a lead byte opens, as a table (1 for anything else): the same as
/// [`utf8_width`], without the comparisons, for the byte loops that step a character at a time.
pub static UTF8_WIDTH: [u8; 256] = {
    let mut t = [1u8; 256];
    let mut b = 0xC0;
    while b < 256 {
        t[b] = if b >= 0xF8 {
            1
        } else if b >= 0xF0 {
            4
        } else if b >= 0xE0 {
            3
        } else {
            2
        };
        b += 1;
    }
    t
};

/// The 8 bytes of `b` from `i` as a little-endian word (`i + 8 <= b.len()`).
#[inline(always)]
fn word_at(b: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"))
}

/// The high nibbles of bytes 0 and 3 of a word: the lead bytes of two characters when the first
/// is three bytes long.
const LEADS_2: u64 = 0xF000_00F0;
/// [`LEADS_2`] when both lead bytes open three-byte characters (0xE0–0xEF).
const THREE_2: u64 = 0xE000_00E0;

/// The first bytes of a set of strings: a filter that tells, character by character, whether
/// one of them can start there. Used by the packs' shared scan and by the typo family's word
/// tables before their exact search.
///
/// An automaton reads every byte through a table too big for the fastest cache (~3 ns a byte
/// on news copy); this reads one word and tests one byte of a 64 KiB table per character, and a
/// set bit is confirmed against the sorted keys. Strings of two or more Han characters have
/// their first 6 bytes as key.
pub struct Heads {
    /// Key length in bytes: the shortest string's length, at most 8. 0 disables the filter.
    pub(crate) len: usize,
    /// 65,536 slots, one per hashed key, a byte each: a byte is read and or-ed with no shift,
    /// which a bit needs two of (64 KiB, in the second-level cache at worst).
    slots: Box<[u8; 1 << 16]>,
    /// Every key, sorted: what a set bit is checked against.
    keys: Vec<u64>,
}

impl Heads {
    pub fn new<S: AsRef<str>>(strings: &[S]) -> Heads {
        let len = strings
            .iter()
            .map(|s| s.as_ref().len())
            .min()
            .unwrap_or(0)
            .min(8);
        let mut h = Heads {
            // One- and two-byte keys would match almost everywhere: no filter.
            len: if len >= 3 { len } else { 0 },
            slots: vec![0; 1 << 16]
                .into_boxed_slice()
                .try_into()
                .expect("65,536 slots"),
            keys: Vec::new(),
        };
        if h.len > 0 {
            for s in strings {
                let k = h.key(&s.as_ref().as_bytes()[..h.len]);
                h.slots[Self::bit(k)] = 1;
                h.keys.push(k);
            }
            h.keys.sort_unstable();
            h.keys.dedup();
        }
        h
    }

    /// The first `len` bytes of `b` as a number: the key a string starting there has.
    #[inline]
    pub(crate) fn key(&self, b: &[u8]) -> u64 {
        crate::hash::le_word(&b[..self.len])
    }

    #[inline]
    fn bit(k: u64) -> usize {
        (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize
    }

    /// The slot of key `k`: 1 if a key hashes there, else 0.
    #[inline]
    fn set(&self, k: u64) -> u8 {
        self.slots[Self::bit(k)]
    }

    #[inline]
    fn hit(&self, k: u64) -> bool {
        self.set(k) != 0 && self.confirm(k)
    }

    /// Whether a key whose bit is set is one: out of line, so that the loop over characters
    /// keeps its values in registers.
    #[inline(never)]
    fn confirm(&self, k: u64) -> bool {
        self.keys.binary_search(&k).is_ok()
    }

    /// The first byte of `s` where a string can start, if any. No false negatives: every
    /// string starts at a character boundary with its key.
    ///
    /// A character at a time: one word read, one slot tested. The step to the next character
    /// is taken by branches on the lead byte (three bytes for CJK, one for ASCII), not read
    /// from [`UTF8_WIDTH`]: a table read makes each step wait for the load of the previous
    /// character's lead byte and then of its width (~11 cycles a character, latency-bound),
    /// where a predicted branch lets the next character's test start at once.
    pub fn first(&self, s: &str) -> Option<usize> {
        if self.len == 0 {
            return Some(0);
        }
        let b = s.as_bytes();
        let mask = self.mask();
        let mut i = 0;
        // Whole words while 8 bytes remain, then the tail byte by byte.
        let last = b.len().saturating_sub(8);
        while b.len() >= 8 && i <= last {
            // Four three-byte characters at a time while they last (most of Chinese copy): four
            // keys tested with one branch, the characters' widths with one more. A block with a
            // set bit is left to the step below, which confirms it a character at a time.
            while let Some(block) = b.get(i..i + 17) {
                let a = word_at(block, 0);
                let c = word_at(block, 6);
                // The leads at i and i + 3 are bytes 0 and 3 of `a`, those at i + 6 and i + 9
                // bytes 0 and 3 of `c`: all four open three-byte characters (0xE0–0xEF).
                if ((a & LEADS_2) ^ THREE_2) | ((c & LEADS_2) ^ THREE_2) != 0 {
                    break;
                }
                let set = self.set(a & mask)
                    | self.set(word_at(block, 3) & mask)
                    | self.set(c & mask)
                    | self.set(word_at(block, 9) & mask);
                if set != 0 {
                    break;
                }
                i += 12;
            }
            if i > last {
                break;
            }
            let word = u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
            if self.hit(word & mask) {
                return Some(i);
            }
            let lead = word as u8;
            i += if (0xE0..0xF0).contains(&lead) {
                3
            } else if lead < 0x80 {
                1
            } else {
                usize::from(UTF8_WIDTH[usize::from(lead)])
            };
        }
        while i + self.len <= b.len() {
            if self.hit(self.key(&b[i..])) {
                return Some(i);
            }
            i += usize::from(UTF8_WIDTH[usize::from(b[i])]);
        }
        None
    }

    /// The key mask: the low `len` bytes of a word.
    #[inline]
    fn mask(&self) -> u64 {
        if self.len == 8 {
            u64::MAX
        } else {
            (1u64 << (8 * self.len)) - 1
        }
    }
}

/// Byte ranges of URLs and e-mail addresses in `s`: not prose, whatever their characters.
pub fn url_spans(s: &str) -> Vec<std::ops::Range<usize>> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    if !(s.contains("://") || s.contains('@') || s.contains("www.")) {
        return Vec::new();
    }
    let re = RE.get_or_init(|| {
        regex::Regex::new(
            r"(?i)(?:(?:https?|ftp)://|www\.)[^\s\p{Han}，。；！？、“”‘’（）《》【】]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
        )
        .expect("built-in regex")
    });
    re.find_iter(s).map(|m| m.range()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_or_digit_is_is_alphanumeric() {
        for c in '\0'..='\u{10FFFF}' {
            assert_eq!(is_letter_or_digit(c), c.is_alphanumeric(), "{:X}", c as u32);
        }
    }

    #[test]
    fn classes() {
        assert!(is_han('社'));
        assert!(is_han('〇'));
        assert!(!is_han('O'));
        assert!(is_cjk_punct('，'));
        assert!(is_cjk_punct('。'));
        assert!(!is_cjk_punct(','));
        assert!(is_cjk('Ａ'));
        assert!(is_space('\u{3000}'));
    }

    #[test]
    fn is_han_covers_the_han_script() {
        // Every character, in one string: `\p{Han}` (the regex crate's Unicode tables) and
        // `HAN_CLASS` are matched over it and compared with `is_han` character by character.
        let all: String = (0..=0x10FFFFu32).filter_map(char::from_u32).collect();
        let matched = |re: &str| -> std::collections::HashSet<usize> {
            let re = regex::Regex::new(re).expect("regex");
            re.find_iter(&all).map(|m| m.start()).collect()
        };
        let script = matched(r"\p{Han}");
        let class = matched(&format!("[{HAN_CLASS}]"));
        let mut extra = 0;
        for (i, c) in all.char_indices() {
            assert_eq!(
                class.contains(&i),
                is_han(c),
                "HAN_CLASS and is_han differ: U+{:04X}",
                c as u32
            );
            if script.contains(&i) {
                assert!(is_han(c), "U+{:04X} is Han script but not is_han", c as u32);
            } else if is_han(c) {
                extra += 1;
                // Only unassigned code points inside the ideograph planes and blocks.
                let u = c as u32;
                assert!(
                    (0x20000..=0x3FFFD).contains(&u) || (0xF900..=0xFAFF).contains(&u),
                    "U+{u:04X} is_han but not Han script"
                );
            }
        }
        assert!(extra > 0);
        // Extensions G and H (Unicode 13 and 15), J (Unicode 17), and the marks.
        for c in ['𰻝', '\u{31350}', '\u{323B0}', '々', '〇', '⺀', '⼀', '〡'] {
            assert!(is_han(c), "{c}");
        }
        for c in ['〆', '、', '。', 'A', '\u{3000}', '\u{FF0C}'] {
            assert!(!is_han(c), "{c}");
        }
    }

    #[test]
    fn non_han_skips_only_the_main_block() {
        let s = "GDP增长5%，𠀀 好\u{3000}〇㐀丂鿿ＡＢ“”";
        let want: Vec<(usize, char)> = s
            .char_indices()
            .filter(|&(_, c)| !(0x4000..=0x9FFF).contains(&(c as u32)))
            .collect();
        assert_eq!(non_han(s).collect::<Vec<_>>(), want);
        assert_eq!(non_han("").count(), 0);
        assert_eq!(non_han("中文").count(), 0);
    }

    #[test]
    fn width_table_is_utf8_width() {
        for b in 0..=255u8 {
            assert_eq!(
                usize::from(UTF8_WIDTH[usize::from(b)]),
                utf8_width(b),
                "{b:#x}"
            );
        }
    }

    #[test]
    fn wide_digit_runs_are_maximal() {
        let s = "１２，３中４a５６７";
        let runs: Vec<&str> = wide_digit_runs(non_han(s))
            .into_iter()
            .map(|r| &s[r])
            .collect();
        assert_eq!(runs, ["１２", "３", "４", "５６７"]);
        assert!(
            wide_digit_runs(non_han("，。１")).len() == 1
                && wide_digit_runs(non_han("12")).is_empty()
        );
    }

    proptest::proptest! {
        #[test]
        fn char_count_is_chars_count(s in "[一二，a1 \u{3000}é𠀀]{0,40}", n in 0usize..50) {
            let chars = s.chars().count();
            proptest::prop_assert_eq!(char_count(&s), chars);
            proptest::prop_assert_eq!(more_chars_than(&s, n), chars > n);
            proptest::prop_assert_eq!(char_count_capped(&s, n), chars.min(n));
        }

        /// The byte-level scans against decoding, on text of Han runs of every length broken
        /// by marks of each UTF-8 width.
        #[test]
        fn scans_match_decoding(picks in proptest::collection::vec(0usize..18, 0..80)) {
            const ALPHABET: [char; 12] =
                ['中', '文', '社', '〇', '㐀', '鿿', '，', 'a', ' ', '·', '𠀀', '\u{3000}'];
            // Mostly Han, so that runs are long enough for whole blocks.
            let s: String = picks
                .iter()
                .map(|&k| ALPHABET[if k < 12 { k % 6 } else { k - 6 }])
                .collect();
            let want: Vec<(usize, char)> = s
                .char_indices()
                .filter(|&(_, c)| !(0x4000..=0x9FFF).contains(&(c as u32)))
                .collect();
            proptest::prop_assert_eq!(non_han(&s).collect::<Vec<_>>(), want);
            let n = s.chars().filter(|&c| !is_space(c)).count();
            for cap in [0, 1, 7, n, n + 1] {
                proptest::prop_assert_eq!(non_space_count_capped(&s, cap), n.min(cap));
            }
        }
    }

    /// Where a string can start by definition: the first character start whose next `len`
    /// bytes are the first `len` bytes of one of `strings`.
    fn first_by_definition(h: &Heads, strings: &[String], s: &str) -> Option<usize> {
        if h.len == 0 {
            return Some(0);
        }
        s.char_indices().map(|(i, _)| i).find(|&i| {
            i + h.len <= s.len()
                && strings
                    .iter()
                    .any(|w| s.as_bytes()[i..i + h.len] == w.as_bytes()[..h.len])
        })
    }

    proptest::proptest! {
        /// The block loop of `Heads::first` against its definition, on text of every UTF-8
        /// width, with keys of one to eight bytes.
        #[test]
        fn heads_first_is_its_definition(
            picks in proptest::collection::vec(0usize..12, 0..70),
            words in proptest::collection::vec(proptest::collection::vec(0usize..12, 1..4), 1..5),
        ) {
            const ALPHABET: [char; 12] =
                ['中', '文', '社', '其', '它', 'a', 'b', '，', '·', '𠀀', '\u{3000}', '１'];
            let s: String = picks.iter().map(|&k| ALPHABET[k]).collect();
            let strings: Vec<String> = words
                .iter()
                .map(|w| w.iter().map(|&k| ALPHABET[k]).collect())
                .collect();
            let h = Heads::new(&strings);
            let want = first_by_definition(&h, &strings, &s);
            proptest::prop_assert_eq!(h.first(&s), want);
            // From every character start, as callers resume after a hit.
            for (i, _) in s.char_indices() {
                proptest::prop_assert_eq!(
                    h.first(&s[i..]),
                    first_by_definition(&h, &strings, &s[i..])
                );
            }
        }
    }

    proptest::proptest! {
        /// The four-character blocks of `Heads::first`: long runs of three-byte characters, so
        /// that a key falls at every position of a block, now and then broken by a character
        /// of another width (a block is not taken across it).
        #[test]
        fn heads_first_blocks_drop_no_key(
            picks in proptest::collection::vec(0usize..40, 0..120),
            words in proptest::collection::vec(proptest::collection::vec(0usize..6, 1..4), 1..4),
        ) {
            const ALPHABET: [char; 10] = ['中', '文', '社', '其', '它', '，', 'a', '·', '𠀀', '１'];
            // Mostly the first six, three bytes each; the others one pick in ten.
            let s: String = picks
                .iter()
                .map(|&k| ALPHABET[if k < 36 { k % 6 } else { k - 30 }])
                .collect();
            let strings: Vec<String> = words
                .iter()
                .map(|w| w.iter().map(|&k| ALPHABET[k]).collect())
                .collect();
            let h = Heads::new(&strings);
            for (i, _) in s.char_indices() {
                proptest::prop_assert_eq!(
                    h.first(&s[i..]),
                    first_by_definition(&h, &strings, &s[i..])
                );
            }
        }
    }

    #[test]
    fn counts_match_decoding() {
        for s in [
            "",
            "a",
            "新华社",
            "GDP增长5%，𠀀 好\u{3000}\u{200B}x",
            "  \u{3000}记者　张三 ",
            "ＡＢＣ１２３——“引号”",
        ] {
            let n = s.chars().count();
            assert_eq!(char_count(s), n, "{s:?}");
            for k in 0..=n + 2 {
                assert_eq!(more_chars_than(s, k), n > k, "{s:?} {k}");
                assert_eq!(char_count_capped(s, k), n.min(k), "{s:?} {k}");
                let spaces = s.chars().filter(|&c| !is_space(c)).take(k).count();
                assert_eq!(non_space_count_capped(s, k), spaces, "{s:?} {k}");
            }
        }
    }
}
