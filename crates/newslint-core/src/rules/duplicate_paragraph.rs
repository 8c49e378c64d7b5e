//! `duplicate-paragraph`: a paragraph repeated by a layout or CMS slip. See [`DOCS`].

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;

use super::{Fixability, OptionError, RepoKey, RepoSite, Rule, RuleEntry, RuleMeta};
use crate::diagnostic::{Edit, Finding, Fix, Message, Severity};
use crate::document::{Document, Paragraph, Zone};
use crate::text;

pub const DOCS: &str = r#"## What it does

Reports a paragraph that repeats an earlier one on the same page, exactly or nearly (white
space, punctuation width or a few characters changed), and a paragraph that repeats the
beginning or the end of another (a cut-off copy). The repeat is underlined; a second label points at the first copy; the message gives
the similarity.

With `scope = "repo"`, a paragraph that also appears in another file of the tree (copy reused
between stories) is reported too, naming the other file. Files are matched through a hash index,
so the cost grows with the number of paragraphs, not with the number of pairs of files.

## Why

A layout or CMS slip can paste a pair of paragraphs twice, often into the next article on the
page (seed page 002 repeats two paragraphs of one story inside another). Proofreaders reading for
sense rarely notice a paragraph they have just read.

## Examples

Reported:

    根据现场勘查的整改情况作出联合审批结论,有效引导了诚信经营。   (line 59)
    …
    根据现场勘查的整改情况作出联合审批结论，有效引导了诚信经营。   (line 71: same text, other comma)

Not reported:

- headlines, subheads and credit lines, which repeat legitimately on a page ("(融媒体 全兴社)");
- paragraphs shorter than `min-chars`;
- two paragraphs that merely share a phrase.

## Options

- `threshold` (number): the similarity (0–1, by characters, after dropping
  white space and unifying punctuation width) from which two different paragraphs count as the
  same. Near (not identical) repeats are only looked for between paragraphs of at least twice
  `min-chars`: short formulaic paragraphs ("会议经过表决，决定……") legitimately differ by a word.
- `min-chars` (integer): shorter paragraphs are never compared.
Exact repeats are found anywhere in a file; near and contained repeats among the 400 paragraphs
before (several pages), so a 100 MB file is linted in linear time.

- `containment` (bool): also report a paragraph that repeats the beginning or
  the end of another
  at least twice its length or less (a lead that contains one sentence which the next paragraph
  repeats is normal broadcast style and is not reported).
- `scope` (`"file"` or `"repo"`): `"repo"` also matches paragraphs across the
  files of one run.

## Fix safety

An exact repeat on the same page can be removed with `--fix --unsafe-fixes`: unsafe, because
which copy to keep, and whether the repetition is intended, is an editor's decision. Near
repeats, contained paragraphs and cross-file repeats have no fix.
"#;

pub static META: RuleMeta = RuleMeta {
    id: Cow::Borrowed("duplicate-paragraph"),
    summary: Cow::Borrowed("A paragraph repeats an earlier one (layout or CMS slip)"),
    default_severity: Severity::Error,
    default_enabled: true,
    fix: Fixability::Unsafe,
    docs: Cow::Borrowed(DOCS),
    options: Cow::Borrowed("# Similarity (0-1) from which two paragraphs count as the same\nthreshold = 0.95\n# Paragraphs shorter than this (characters, white space excluded) are not compared\nmin-chars = 20\n# Also report a paragraph that repeats the beginning or end of another\ncontainment = true\n# \"file\", or \"repo\" to also match paragraphs across the files of a run\nscope = \"file\"\n"),
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build };

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Scope {
    File,
    Repo,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    threshold: f64,
    min_chars: usize,
    containment: bool,
    scope: Scope,
}

fn build(table: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
    let o: Options = super::parse_options(&META, table)?;
    if !(0.5..=1.0).contains(&o.threshold) {
        return Err(OptionError {
            key: Some("threshold".into()),
            message: format!(
                "`threshold` must be between 0.5 and 1.0, not {}",
                o.threshold
            ),
        });
    }
    Ok(Box::new(DuplicateParagraph {
        o,
        index_from: INDEX_FROM,
    }))
}

struct DuplicateParagraph {
    o: Options,
    /// [`INDEX_FROM`]; the tests also walk every window.
    index_from: usize,
}

/// A paragraph reduced for comparison: no white space, one width of punctuation and digits,
/// with what every comparison needs computed once. The characters themselves are decoded only
/// for the few pairs that reach the similarity test.
struct Norm {
    /// The reduced text, UTF-8 (kept as bytes: [`normalize_into`] writes bytes, and only the
    /// few pairs that reach the similarity test decode it, see [`Norm::as_str`]).
    text: Box<[u8]>,
    /// Its length in characters.
    len: usize,
    /// Byte length of `text` without its closing punctuation (see [`contains`]).
    trimmed: usize,
    /// The first and the last (up to) 8 bytes of `text[..trimmed]` as numbers: most pairs
    /// differ there, and [`contains`] looks at them before comparing texts.
    head: u64,
    tail: u64,
    /// `text` as characters, for the similarity test.
    chars: std::cell::OnceCell<Vec<char>>,
    /// How many of `text`'s characters fall in each of 64 classes (code point mod 64), counted
    /// while normalising: the cheapest test of a near repeat (see [`histograms_close`]).
    hist: Hist,
    /// [`coarse`] of `hist`: [`norms_close`]'s first test.
    coarse: Coarse,
}

/// The last (up to) 8 bytes of `b` as a number, the last one lowest: the `k` bytes nearest the
/// end are its `k` lowest, as [`crate::hash::le_word`] holds the first ones.
/// Eight bytes or more: the last eight read big-endian, without a loop
/// (`tests::edge_words_are_the_plain_ones`).
fn tail_word(b: &[u8]) -> u64 {
    match b.last_chunk::<8>() {
        Some(w) => u64::from_be_bytes(*w),
        None => tail_word_plain(b),
    }
}

/// [`tail_word`] a byte at a time.
fn tail_word_plain(b: &[u8]) -> u64 {
    b[b.len() - b.len().min(8)..]
        .iter()
        .fold(0, |v, &x| v << 8 | u64::from(x))
}

/// [`crate::hash::le_word`], eight bytes or more read without a copy of variable length.
fn head_word(b: &[u8]) -> u64 {
    match b.first_chunk::<8>() {
        Some(w) => u64::from_le_bytes(*w),
        None => crate::hash::le_word(b),
    }
}

/// The `k` lowest bytes of a u64 (`k` ≤ 8).
fn low_bytes(k: usize) -> u64 {
    if k >= 8 {
        u64::MAX
    } else {
        (1 << (8 * k)) - 1
    }
}

/// Do `a` and `b` agree on their `k` lowest bytes (`k` ≤ 8)?
fn low_bytes_equal(a: u64, b: u64, k: usize) -> bool {
    (a ^ b) & low_bytes(k) == 0
}

/// `contains(long, short)`'s first test, where `short` is `a` unless `b` is shorter: the
/// XORs are symmetric, the mask is the needle's.
#[inline]
fn edges_may_contain(a: &Edge, b: &Edge) -> bool {
    let mask = if a.len <= b.len { a.mask } else { b.mask };
    (a.head ^ b.head) & mask == 0 || (a.tail ^ b.tail) & mask == 0
}

/// Necessary conditions of `check`'s two pair tests, from [`Edge`]s alone: most pairs are
/// settled here. Neither passes below half the length (`threshold` ≥ 0.5); a near repeat needs
/// the length ratio, a contained one [`edges_may_contain`]. What [`Reach::admits`] answers
/// without a division.
#[cfg(test)]
fn may_pair(a: &Edge, b: &Edge, o: &Options) -> bool {
    let (sl, ll) = (a.len.min(b.len), a.len.max(b.len));
    if 2 * sl < ll {
        return false;
    }
    let near = sl >= 2 * o.min_chars && sl as f64 / ll as f64 >= o.threshold;
    near || o.containment && edges_may_contain(a, b)
}

/// [`may_pair`] of one paragraph (`b`) with each of many (`a`): the lengths it admits worked
/// out once, so that a pair costs integer comparisons. `check` asks it of every paragraph of
/// the window (`tests::reach_is_may_pair`).
struct Reach {
    edge: Edge,
    /// The lengths within a factor of 2 of the paragraph's (`2 * short >= long`).
    half: Span,
    /// The lengths with which a near repeat is possible (empty: none).
    near: Span,
    containment: bool,
}

/// The lengths `lo..lo + count`, asked with one subtraction and one comparison (a
/// `RangeInclusive` also reads its exhaustion flag).
#[derive(Clone, Copy)]
struct Span {
    lo: usize,
    count: usize,
}

impl Span {
    /// `lo..=hi` (none when `lo > hi`; `usize::MAX` left out of `0..=usize::MAX`, no
    /// paragraph's length).
    fn new(lo: usize, hi: usize) -> Span {
        let count = hi.checked_sub(lo).map_or(0, |d| d.saturating_add(1));
        Span { lo, count }
    }

    #[inline]
    fn contains(&self, x: usize) -> bool {
        x.wrapping_sub(self.lo) < self.count
    }
}

impl Reach {
    fn new(e: &Edge, o: &Options) -> Reach {
        let l = e.len;
        let mut near = Span::new(1, 0);
        if l >= 2 * o.min_chars && l > 0 {
            // A shorter length `s` passes when `s / l >= threshold`, a longer one when
            // `l / s >= threshold`: monotone, so each bound is found from an estimate with the
            // very comparison `may_pair` makes (`l` itself always passes).
            let t = o.threshold;
            let below = |s: usize| s as f64 / l as f64 >= t;
            let above = |s: usize| l as f64 / s as f64 >= t;
            // Estimates truncated (no call to `floor` or `ceil`): the loops that follow find
            // the bounds from any start.
            let mut lo = ((l as f64 * t) as usize).min(l);
            while lo > 0 && below(lo - 1) {
                lo -= 1;
            }
            while !below(lo) {
                lo += 1;
            }
            let mut hi = ((l as f64 / t) as usize + 1).max(l);
            while !above(hi) {
                hi -= 1;
            }
            while above(hi + 1) {
                hi += 1;
            }
            near = Span::new(lo.max(2 * o.min_chars), hi);
        }
        Reach {
            edge: *e,
            half: Span::new(l.div_ceil(2), l.saturating_mul(2)),
            near,
            containment: o.containment,
        }
    }

    /// `may_pair(a, &self.edge, o)`.
    #[inline]
    fn admits(&self, a: &Edge) -> bool {
        self.half.contains(a.len)
            && (self.near.contains(a.len) || self.containment && edges_may_contain(a, &self.edge))
    }
}

/// What a pair of paragraphs is first judged by (see `check`): a [`Norm`]'s length, and the
/// first test of [`contains`] with it as the needle (`mask`: its `k` lowest bytes).
#[derive(Clone, Copy)]
struct Edge {
    len: usize,
    head: u64,
    tail: u64,
    mask: u64,
}

impl Norm {
    /// `text` reduced, `len` characters long, with its histogram.
    fn new(text: Box<[u8]>, len: usize, hist: Hist) -> Norm {
        let trimmed = trimmed_len(&text);
        Norm {
            head: head_word(&text[..trimmed]),
            tail: tail_word(&text[..trimmed]),
            len,
            trimmed,
            text,
            chars: std::cell::OnceCell::new(),
            coarse: coarse(&hist),
            hist,
        }
    }

    fn edge(&self) -> Edge {
        Edge {
            len: self.len,
            head: self.head,
            tail: self.tail,
            mask: low_bytes(self.trimmed.min(8)),
        }
    }

    /// `text` as a string: it is UTF-8, as [`normalize_into`] writes whole characters only.
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.text).expect("a reduced text is UTF-8")
    }

    fn chars(&self) -> &[char] {
        self.chars.get_or_init(|| self.as_str().chars().collect())
    }
}

/// `text.trim_end_matches(|c| !letter_or_digit(c)).len()`, the commonest endings answered from
/// their bytes: an ASCII character, a Han character of U+5000–U+9FFF (first bytes 0xE5–0xE9,
/// letters by [`text::is_letter_or_digit`]'s definition), the CJK marks U+3001–U+3004 and
/// U+3008–U+3020 (。、《》…, none a letter: see [`letter_or_digit`]). Checked by
/// `tests::trimmed_len_is_trim_end_matches`. `text` is UTF-8; other characters are decoded
/// one at a time from the end.
fn trimmed_len(text: &[u8]) -> usize {
    let mut n = text.len();
    loop {
        match text[..n] {
            [.., x] if x.is_ascii() => {
                if x.is_ascii_alphanumeric() {
                    return n;
                }
                n -= 1;
            }
            [.., 0xE5..=0xE9, _, _] => return n,
            [.., 0xE3, 0x80, 0x81..=0x84 | 0x88..=0xA0] => n -= 3,
            [] => return 0,
            _ => {
                // The last character: from its lead byte, at most three bytes back.
                let start = (n.saturating_sub(4)..n)
                    .rev()
                    .find(|&k| text[k] & 0xC0 != 0x80)
                    .unwrap_or(0);
                let last = std::str::from_utf8(&text[start..n])
                    .ok()
                    .and_then(|c| c.chars().next());
                match last {
                    Some(c) if !letter_or_digit(c) => n = start,
                    _ => return n,
                }
            }
        }
    }
}

/// [`text::is_letter_or_digit`], with the marks that end most paragraphs answered without the
/// Unicode tables: ASCII, and CJK punctuation U+3001–U+3004 and U+3008–U+3020 (、。《》「」【】〜…),
/// none of which is a letter or a digit (`tests::letter_or_digit_is_the_text_one`).
fn letter_or_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if matches!(c, '\u{3001}'..='\u{3004}' | '\u{3008}'..='\u{3020}') {
        return false;
    }
    text::is_letter_or_digit(c)
}

/// `p` reduced for comparison (see [`normalize_into`]).
#[cfg(test)]
fn normalize(doc: &Document, p: &Paragraph) -> Norm {
    let mut text = Reduced::default();
    let mut hist = Tally::new();
    let len = normalize_into(doc, p, &mut text, &mut hist);
    Norm::new(text.bytes().into(), len, hist.hist())
}

/// Counts of characters by code point mod 64, wrapping: exact for texts of up to `u16::MAX`
/// characters, the only ones [`histograms_close`] judges (a saturating count cost three more
/// instructions a character).
#[derive(Clone)]
struct Hist([u16; 64]);

#[cfg(test)]
impl Hist {
    /// What [`Tally`] counts, by code point: for the tests.
    fn feed(&mut self, c: u32) {
        let n = &mut self.0[(c & 63) as usize];
        *n = n.wrapping_add(1);
    }
}

/// A [`Hist`] as [`normalize_into`] counts it, by bytes: class `k` at `0x80 + k`, where the
/// last byte of a character of two bytes or more (a continuation byte, 0x80–0xBF, whose low
/// 6 bits are the class) counts as it is, with no masking: one instruction less for each Han
/// character. Only `0x80..0xC0` is ever counted.
struct Tally([u16; 256]);

impl Tally {
    fn new() -> Tally {
        Tally([0; 256])
    }

    /// Counts the character whose last byte is `z`, a continuation byte.
    #[inline]
    fn last_byte(&mut self, z: u8) {
        let n = &mut self.0[usize::from(z)];
        *n = n.wrapping_add(1);
    }

    /// Counts a character of code point `c`.
    #[inline]
    fn feed(&mut self, c: u32) {
        self.last_byte(0x80 | (c & 63) as u8);
    }

    fn clear(&mut self) {
        self.0[0x80..0xC0].fill(0);
    }

    fn hist(&self) -> Hist {
        let mut h = Hist([0; 64]);
        h.0.copy_from_slice(&self.0[0x80..0xC0]);
        h
    }
}

/// Can two texts of `la` and `lb` characters, with these histograms, reach Myers similarity
/// `threshold`? An exact necessary condition, like [`may_be_similar`] and cheaper: the matched
/// characters of an alignment are the same in both, so the histograms differ by at most the
/// unmatched ones, U ≤ (1 − t)·len (one more for the rounding of the similarity). Texts too
/// long for exact counts pass.
fn histograms_close(a: &Hist, la: usize, b: &Hist, lb: usize, threshold: f64) -> bool {
    if la.max(lb) > usize::from(u16::MAX) {
        return true;
    }
    // `as` truncates, the floor of a non-negative number (and saturates as `floor` then `as`
    // would): no call to `floor` for each of millions of pairs.
    let budget = ((1.0 - threshold) * (la + lb) as f64) as u32 + 1;
    let d: u32 =
        a.0.iter()
            .zip(&b.0)
            .map(|(&x, &y)| u32::from(x.abs_diff(y)))
            .sum();
    d <= budget
}

/// A [`Hist`] folded to 16 classes (class `c` counts those of `c`, `c + 16`, `c + 32`,
/// `c + 48`), exact where the histogram is.
type Coarse = [u16; 16];

fn coarse(h: &Hist) -> Coarse {
    // Four rows of 16 added lane by lane (a few vector additions: once per paragraph).
    let h = &h.0;
    let mut c = [0u16; 16];
    for (j, c) in c.iter_mut().enumerate() {
        *c = h[j]
            .wrapping_add(h[j + 16])
            .wrapping_add(h[j + 32])
            .wrapping_add(h[j + 48]);
    }
    c
}

/// [`histograms_close`] of two norms, the folded histograms asked first: the distance of
/// sums is at most the sum of distances, so a pair they reject the full ones reject too, and
/// most pairs of a window are settled by 16 counts instead of 64
/// (`tests::norms_close_is_histograms_close`).
#[inline]
fn norms_close(a: &Norm, b: &Norm, threshold: f64) -> bool {
    if a.len.max(b.len) > usize::from(u16::MAX) {
        return true;
    }
    let budget = ((1.0 - threshold) * (a.len + b.len) as f64) as u32 + 1;
    let d: u32 = a
        .coarse
        .iter()
        .zip(&b.coarse)
        .map(|(&x, &y)| u32::from(x.abs_diff(y)))
        .sum();
    d <= budget && histograms_close(&a.hist, a.len, &b.hist, b.len, threshold)
}

/// `c` reduced for comparison: none for white space, one width of punctuation and digits.
#[inline]
fn reduced(c: char) -> Option<char> {
    if text::is_space(c) {
        return None;
    }
    Some(match c {
        '，' => ',',
        '；' => ';',
        '：' => ':',
        '？' => '?',
        '！' => '!',
        '（' => '(',
        '）' => ')',
        '“' | '”' => '"',
        '‘' | '’' => '\'',
        _ => text::halfwidth(c),
    })
}

/// [`reduced`], with the commonest marks of Chinese copy answered first: full-width forms
/// U+FF01–U+FF5E (，：；（）！？ and the rest, each its ASCII twin) and CJK marks U+3001–U+303F
/// (。、《》「」…, kept as they are) (`tests::reduced_fast_is_reduced`).
#[inline]
fn reduced_fast(c: char) -> Option<char> {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        '\u{3001}'..='\u{303F}' => Some(c),
        _ => reduced(c),
    }
}

/// A reduced text as [`normalize_into`] writes it: `buf[..n]`, UTF-8. `buf` only grows (one
/// serves every paragraph), and is kept 16 bytes longer than the paragraph being reduced: a
/// margin, since every 16-byte write ends within the bytes already read.
#[derive(Default)]
struct Reduced {
    buf: Vec<u8>,
    n: usize,
}

impl Reduced {
    fn bytes(&self) -> &[u8] {
        &self.buf[..self.n]
    }
}

/// The text `p` is reduced to for comparison: no white space, one width of punctuation and
/// digits; written to `out`, its characters counted into `hist` (cleared first); its length
/// in characters.
///
/// Characters of lead bytes 0xE4–0xEB (U+4000–U+BFFF: Han, Yi, Hangul, three bytes each, none
/// a space or with a half-width form) are never decoded: on x86_64 five at a time by one SSE2
/// comparison ([`three_byte_leads_sse2`]), elsewhere and near the end two at a time. Nor are
/// the other characters of Chinese copy: ASCII, U+3000–U+3FFF (CJK marks, kept but for the
/// ideographic space), the full-width forms U+FF01–U+FF5E (each its ASCII twin) and the curly
/// quotes, all answered from their bytes; the rest is decoded and [`reduced_fast`]. A
/// character's class in `hist` (code point mod 64) is the low 6 bits of its last byte.
///
/// Every character is written where it goes, no run copied by a call: nothing grows when
/// reduced, so the text written never passes the text read, and 16 bytes at a time fit in
/// `buf` (a block of five characters is written with the 16 bytes it was read with, the
/// bytes past them overwritten next).
fn normalize_into(doc: &Document, p: &Paragraph, out: &mut Reduced, hist: &mut Tally) -> usize {
    let need = p.range.len() + 16;
    if out.buf.len() < need {
        out.buf.resize(need, 0);
    }
    let o = out.buf.as_mut_slice();
    hist.clear();
    // Characters counted, bytes written.
    let (mut len, mut w) = (0, 0);
    for (_, s) in doc.prose(p) {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            // Whether `b[i]` is known to start no character of lead 0xE4–0xEB.
            #[cfg_attr(not(target_arch = "x86_64"), allow(unused_mut))]
            let mut other = false;
            #[cfg(target_arch = "x86_64")]
            if let Some(c) = b[i..].first_chunk::<16>() {
                let m = three_byte_leads_sse2(c);
                o[w..w + 16].copy_from_slice(c);
                // Bytes 0, 3, 6, 9, 12: five characters, if each is such a lead.
                if m & 0x1249 == 0x1249 {
                    for k in [2, 5, 8, 11, 14] {
                        hist.last_byte(c[k]);
                    }
                    len += 5;
                    i += 15;
                    w += 15;
                    continue;
                }
                // The leading ones, up to the first character that is not one.
                let k = (!m & 0x1249).trailing_zeros() as usize;
                let mut j = 2;
                while j < k {
                    hist.last_byte(c[j]);
                    j += 3;
                }
                len += k / 3;
                i += k;
                w += k;
                other = true;
            }
            if !other {
                if let [x, _, z, y, _, v, ..] = b[i..] {
                    if x.wrapping_sub(0xE4) | y.wrapping_sub(0xE4) < 8 {
                        o[w..w + 6].copy_from_slice(&b[i..i + 6]);
                        hist.last_byte(z);
                        hist.last_byte(v);
                        len += 2;
                        i += 6;
                        w += 6;
                        continue;
                    }
                }
                if let [x @ 0xE4..=0xEB, y, z, ..] = b[i..] {
                    o[w..w + 3].copy_from_slice(&[x, y, z]);
                    hist.last_byte(z);
                    len += 1;
                    i += 3;
                    w += 3;
                    continue;
                }
            }
            // What the character at `i` becomes when it is one byte of ASCII.
            let ascii = match b[i..] {
                // ASCII: only white space changes (`char::is_whitespace`: TAB–CR and space).
                [9..=13 | b' ', ..] => {
                    i += 1;
                    continue;
                }
                [x @ 0..=0x7F, ..] => {
                    i += 1;
                    x
                }
                // The ideographic space.
                [0xE3, 0x80, 0x80, ..] => {
                    i += 3;
                    continue;
                }
                // U+3001–U+3FFF (。、《》…, kana, CJK extension A), kept as they are.
                [x @ 0xE3, y, z, ..] => {
                    o[w..w + 3].copy_from_slice(&[x, y, z]);
                    hist.last_byte(z);
                    len += 1;
                    i += 3;
                    w += 3;
                    continue;
                }
                // Full-width forms U+FF01–U+FF3F and U+FF40–U+FF5E: their ASCII twins.
                [0xEF, 0xBC, z @ 0x81..=0xBF, ..] => {
                    i += 3;
                    0x20 + (z & 0x3F)
                }
                [0xEF, 0xBD, z @ 0x80..=0x9E, ..] => {
                    i += 3;
                    0x60 + (z & 0x3F)
                }
                // “ ” and ‘ ’.
                [0xE2, 0x80, 0x9C | 0x9D, ..] => {
                    i += 3;
                    b'"'
                }
                [0xE2, 0x80, 0x98 | 0x99, ..] => {
                    i += 3;
                    b'\''
                }
                _ => {
                    let Some(c) = s[i..].chars().next() else {
                        break;
                    };
                    i += c.len_utf8();
                    if let Some(r) = reduced_fast(c) {
                        let r8 = r.encode_utf8(&mut [0; 4]).len();
                        r.encode_utf8(&mut o[w..w + r8]);
                        hist.feed(r as u32);
                        len += 1;
                        w += r8;
                    }
                    continue;
                }
            };
            o[w] = ascii;
            hist.feed(u32::from(ascii));
            len += 1;
            w += 1;
        }
    }
    out.n = w;
    len
}

/// Bit `k` set when byte `k` of `c` is 0xE4–0xEB, the lead byte of a character of
/// U+4000–U+BFFF. As signed bytes: -28 to -21.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn three_byte_leads_sse2(c: &[u8; 16]) -> u32 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86_64 baseline; the load reads the 16 bytes of `c`,
    // unaligned.
    unsafe {
        let x = _mm_loadu_si128(c.as_ptr().cast());
        let leads = _mm_and_si128(
            _mm_cmpgt_epi8(x, _mm_set1_epi8(-29)),
            _mm_cmplt_epi8(x, _mm_set1_epi8(-20)),
        );
        _mm_movemask_epi8(leads) as u32
    }
}

/// [`normalize_into`] decoding every character: what it is checked against.
#[cfg(test)]
fn normalize_plain(doc: &Document, p: &Paragraph, text: &mut String) -> usize {
    text.clear();
    for (_, s) in doc.prose(p) {
        text.extend(s.chars().filter_map(reduced));
    }
    text.chars().count()
}

/// Three characters packed exactly into a u64, 21 bits each.
fn pack(w: &[char]) -> u64 {
    (w[0] as u64) << 42 | (w[1] as u64) << 21 | w[2] as u64
}

/// Sorted, deduplicated character trigrams, each packed exactly into a u64 (21 bits per code
/// point): a cheap filter before the real diff.
fn trigrams(c: &[char]) -> Vec<u64> {
    let mut v: Vec<u64> = c.windows(3).map(pack).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// A 512-bit Bloom signature of a paragraph's trigrams.
type Sig = [u64; 8];

fn signature(text: &str) -> Sig {
    let mut sig = [0u64; 8];
    // The trigrams of `pack`, decoded on the way: no character vector.
    let mut cs = text.chars();
    let (Some(a), Some(b)) = (cs.next(), cs.next()) else {
        return sig;
    };
    let mut g = (a as u64) << 21 | b as u64;
    for c in cs {
        g = (g << 21 | c as u64) & ((1 << 63) - 1);
        let bit = (g.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 55) as usize; // 0..512
        sig[bit / 64] |= 1 << (bit % 64);
    }
    sig
}

/// Bits set in `a` but not in `b`.
fn bits_missing(a: &Sig, b: &Sig) -> u32 {
    a.iter().zip(b).map(|(x, y)| (x & !y).count_ones()).sum()
}

/// Can two paragraphs of `len` characters together reach Myers similarity `threshold`, judging
/// by their trigram signatures? An exact necessary condition, not an estimate: in any alignment
/// with U unmatched characters, at most 3·U of a paragraph's trigram positions are not also
/// trigrams of the other (each unmatched character of a spoils the ≤ 3 trigrams over it, each
/// gap where b has unmatched characters the ≤ 2 over it), and similarity ≥ t means
/// U ≤ (1 − t)·len. A bit set in one signature only comes from such a trigram.
fn may_be_similar(a: &Sig, b: &Sig, len: usize, threshold: f64) -> bool {
    let budget = (3.0 * (1.0 - threshold) * len as f64).floor() as u32;
    bits_missing(a, b) <= budget && bits_missing(b, a) <= budget
}

fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        1.0
    } else {
        both as f64 / union as f64
    }
}

/// Similarity by characters: 2·matches / (len a + len b), from a Myers diff.
fn similarity(a: &[char], b: &[char]) -> f64 {
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, a, b);
    similar::get_diff_ratio(&ops, a.len(), b.len()) as f64
}

/// Whether `needle`, less its closing punctuation, opens or closes `hay`: the shape of a layout
/// slip that repeats part of a paragraph. (Any position would need a substring search per pair.)
/// Byte comparisons of whole characters: the texts are UTF-8, so a byte prefix or suffix that
/// ends or starts at a character boundary of both is one of characters too.
fn contains(hay: &Norm, needle: &Norm) -> bool {
    let n = &needle.text[..needle.trimmed];
    let h = &hay.text;
    // The first and last bytes decide most pairs without a call to memcmp. If `h` starts with
    // `n`, which ends in a letter or digit, `hay`'s trimmed text is at least as long as `n`, so
    // `hay.head` holds `n`'s first k bytes too; `tail` likewise for `ends_with`.
    let k = n.len().min(8);
    !n.is_empty()
        && (low_bytes_equal(hay.head, needle.head, k) && h.starts_with(n)
            || low_bytes_equal(hay.tail, needle.tail, k) && h[..hay.trimmed].ends_with(n))
}

/// How many earlier paragraphs a paragraph is compared with for near and contained repeats.
const WINDOW: usize = 400;

/// From how many paragraphs in the window their pairs are looked up in an [`Index`] (below, a
/// walk over the window is cheaper).
const INDEX_FROM: usize = 64;

/// The paragraphs of the window (by index in the document) by length, and by the first and the
/// last 8 bytes of their trimmed text: the only ones that can pass the pair tests of `check`
/// are found without a walk over the window. `check` asks only with a needle mask of 8 bytes
/// when containment is sought (other paragraphs walk the window).
/// Paragraphs are named by their sequence number in the window (how many were pushed before
/// them), so that `check` finds one at `seq - front` without a search, and a set of candidates
/// is a bitmap over the window ([`Window`]) rather than a list to sort and deduplicate.
#[derive(Default)]
struct Index {
    by_len: std::collections::BTreeSet<(usize, usize)>,
    by_head: std::collections::BTreeSet<(u64, usize)>,
    by_tail: std::collections::BTreeSet<(u64, usize)>,
    /// Paragraphs whose trimmed text is under 8 bytes: as needles, any pair may contain them.
    partial: std::collections::BTreeSet<usize>,
}

impl Index {
    fn insert(&mut self, e: &Edge, idx: usize) {
        self.by_len.insert((e.len, idx));
        if e.mask == u64::MAX {
            self.by_head.insert((e.head, idx));
            self.by_tail.insert((e.tail, idx));
        } else {
            self.partial.insert(idx);
        }
    }

    fn remove(&mut self, e: &Edge, idx: usize) {
        self.by_len.remove(&(e.len, idx));
        if e.mask == u64::MAX {
            self.by_head.remove(&(e.head, idx));
            self.by_tail.remove(&(e.tail, idx));
        } else {
            self.partial.remove(&idx);
        }
    }

    /// Every paragraph of the window that can make a near or a contained repeat with one of
    /// edge `e` (whose mask is full when `containment`), as bits `seq - front` of `out`: a
    /// superset of those `check`'s pair tests pass. Near: a length within the similarity
    /// `threshold` (one more each side for the rounding), both at least `2 * min_chars`.
    /// Contained: the same first or last 8 bytes, or a needle of fewer.
    fn candidates(
        &self,
        e: &Edge,
        min_chars: usize,
        threshold: f64,
        containment: bool,
        front: usize,
        out: &mut Window,
    ) {
        *out = [0; WINDOW_WORDS];
        let mut set = |seq: usize| {
            let k = seq - front;
            out[k / 64] |= 1 << (k % 64);
        };
        if e.len >= 2 * min_chars {
            let lo = ((e.len as f64 * threshold).floor() as usize)
                .saturating_sub(1)
                .max(2 * min_chars);
            let hi = (e.len as f64 / threshold).ceil() as usize + 1;
            if lo <= hi {
                self.by_len
                    .range((lo, 0)..=(hi, usize::MAX))
                    .for_each(|&(_, i)| set(i));
            }
        }
        if containment {
            self.by_head
                .range((e.head, 0)..=(e.head, usize::MAX))
                .for_each(|&(_, i)| set(i));
            self.by_tail
                .range((e.tail, 0)..=(e.tail, usize::MAX))
                .for_each(|&(_, i)| set(i));
            self.partial.iter().for_each(|&i| set(i));
        }
    }
}

/// Words of a bitmap over the window's positions (at most `WINDOW` when candidates are sought).
const WINDOW_WORDS: usize = WINDOW.div_ceil(64);

/// A set of positions in the window, bit `k` for `seen[k]`.
type Window = [u64; WINDOW_WORDS];

/// The paragraphs this rule compares: running text and captions.
fn candidate(p: &Paragraph) -> bool {
    matches!(p.zone, Zone::Body | Zone::Caption)
}

impl Rule for DuplicateParagraph {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        struct Seen {
            edge: Edge,
            idx: usize,
            norm: Norm,
            sig: std::cell::OnceCell<Sig>,
            grams: std::cell::OnceCell<Vec<u64>>,
        }
        // The last `WINDOW` paragraphs, with what near repeats are sought with; older ones are
        // dropped (a 100 MB file would otherwise keep a normalised copy of all its text and
        // 200 bytes a paragraph). Exact repeats go through `exact`: the hash of every
        // paragraph's normalised text to the first paragraph with it, whose text is
        // normalised again on a hit when it has left the window.
        let mut seen: std::collections::VecDeque<Seen> =
            std::collections::VecDeque::with_capacity(doc.paragraphs.len().min(WINDOW + 1));
        // Keyed by `hash::words` values, already mixed: no SipHash over them.
        let mut exact: HashMap<u64, usize, rustc_hash::FxBuildHasher> =
            HashMap::with_capacity_and_hasher(doc.paragraphs.len(), rustc_hash::FxBuildHasher);
        // Across files, `repo_keys` wants the first paragraph of each hash (the keys `exact`
        // gets): kept with the document.
        let repo = self.o.scope == Scope::Repo;
        let mut keys = Vec::new();
        // Each paragraph is reduced into `buf`; only those kept in the window get a copy.
        let (mut buf, mut old) = (Reduced::default(), Reduced::default());
        // Built once the window is long (see `Index`).
        let mut index: Option<Index> = None;
        let mut cands: Window = [0; WINDOW_WORDS];
        // How many paragraphs entered the window: `seen[k]`'s sequence number (the name the
        // index knows it by) is `pushed - seen.len() + k`.
        let mut pushed = 0usize;
        let mut hist = Tally::new();
        for (idx, p) in doc.paragraphs.iter().enumerate() {
            if !candidate(p) {
                continue;
            }
            let len = normalize_into(doc, p, &mut buf, &mut hist);
            if len < self.o.min_chars {
                continue;
            }
            let first_line = |i: usize| doc.paragraphs[i].lines.start as usize + 1;
            let key = crate::hash::words(buf.bytes());
            let known = exact.get(&key).copied();
            if repo && known.is_none() {
                keys.push((idx, key));
            }
            if let Some(j) = known {
                let same = match seen.binary_search_by_key(&j, |s| s.idx) {
                    Ok(k) => *seen[k].norm.text == *buf.bytes(),
                    Err(_) => {
                        // Out of the window: the same prose needs no second normalisation.
                        let f = &doc.paragraphs[j];
                        doc.prose(p).map(|x| x.1).eq(doc.prose(f).map(|x| x.1)) || {
                            normalize_into(doc, f, &mut old, &mut Tally::new());
                            old.bytes() == buf.bytes()
                        }
                    }
                };
                if same {
                    out.push(self.finding(doc, idx, j, 1.0, first_line(j)));
                    continue;
                }
            }
            let norm = Norm::new(buf.bytes().into(), len, hist.hist());
            // Trigrams are computed only for paragraphs that reach the near-repeat test.
            let sig: std::cell::OnceCell<Sig> = std::cell::OnceCell::new();
            let grams: std::cell::OnceCell<Vec<u64>> = std::cell::OnceCell::new();
            // Near and contained repeats are sought among the last `WINDOW` paragraphs (a page);
            // exact repeats, through the hash map, anywhere in the file. A 100 MB file stays linear.
            let edge = norm.edge();
            let reach = Reach::new(&edge, &self.o);
            // The pair with a paragraph of the window: a near repeat (its similarity,
            // false) or a contained one (the length ratio, true).
            let pair = |s: &Seen| -> Option<(f64, bool)> {
                if !reach.admits(&s.edge) {
                    return None;
                }
                let (short, long) = if s.norm.len <= norm.len {
                    (&s.norm, &norm)
                } else {
                    (&norm, &s.norm)
                };
                // Computed only where needed (most pairs are settled by `contains`'s first test).
                let ratio = || short.len as f64 / long.len as f64;
                // Near repeats only between longer paragraphs: short formulaic paragraphs
                // ("会议经过表决，决定…") legitimately differ by a word or a number.
                let near_ok = short.len >= 2 * self.o.min_chars;
                if near_ok && ratio() >= self.o.threshold && {
                    // Histograms first (counted while normalising), then signatures (no
                    // sorting); trigram lists only for the survivors.
                    let len = norm.len + s.norm.len;
                    norms_close(&norm, &s.norm, self.o.threshold)
                        && {
                            let sa = sig.get_or_init(|| signature(norm.as_str()));
                            let sb = s.sig.get_or_init(|| signature(s.norm.as_str()));
                            may_be_similar(sa, sb, len, self.o.threshold)
                        }
                        && jaccard(
                            grams.get_or_init(|| trigrams(norm.chars())),
                            s.grams.get_or_init(|| trigrams(s.norm.chars())),
                        ) >= 0.4
                } {
                    let sim = similarity(s.norm.chars(), norm.chars());
                    if sim >= self.o.threshold {
                        return Some((sim, false));
                    }
                }
                // A lead that contains a sentence repeated as the next paragraph is normal
                // broadcast style; a contained paragraph counts when it is at least half the other.
                if self.o.containment && contains(long, short) && ratio() >= 0.5 {
                    return Some((ratio(), true));
                }
                None
            };
            // The first pair that is a repeat, oldest first: through the index, when there is
            // one and it can answer, among the paragraphs it names (the only ones that can be).
            let named = index
                .as_ref()
                .filter(|_| !self.o.containment || edge.mask == u64::MAX)
                .map(|ix| {
                    ix.candidates(
                        &edge,
                        self.o.min_chars,
                        self.o.threshold,
                        self.o.containment,
                        pushed - seen.len(),
                        &mut cands,
                    )
                });
            let hit = if named.is_some() {
                // The candidates in window order, that is document order.
                cands.iter().enumerate().find_map(|(w, &bits)| {
                    let mut bits = bits;
                    while bits != 0 {
                        let k = w * 64 + bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        if let Some((v, c)) = pair(&seen[k]) {
                            return Some((k, v, c));
                        }
                    }
                    None
                })
            } else {
                // The prefilter inlined here, `pair` called for the few pairs it leaves. A plain
                // loop: as an iterator adapter's closure the prefilter was left out of line in
                // some builds (one call per pair, 310,000 on five tree folders).
                let mut hit = None;
                for (k, s) in seen.iter().enumerate() {
                    if reach.admits(&s.edge) {
                        if let Some((v, c)) = pair(s) {
                            hit = Some((k, v, c));
                            break;
                        }
                    }
                }
                hit
            };
            match hit {
                Some((k, sim, false)) => {
                    out.push(self.finding(doc, idx, seen[k].idx, sim, first_line(seen[k].idx)))
                }
                Some((k, _, true)) => {
                    let j = seen[k].idx;
                    let inner = norm.len <= seen[k].norm.len;
                    let msg = if inner {
                        Message::line(&["本段内容已完整出现在第 ", " 行的段落中"], first_line(j))
                    } else {
                        Message::line(&["本段包含了第 ", " 行的整段内容"], first_line(j))
                    };
                    out.push(
                        Finding::new(p.range.clone(), msg)
                            .label("重复的内容")
                            .with_label(doc.paragraphs[j].range.clone(), "首次出现在这里")
                            .help("排版或复制时重复了段落；核对后删除多余的部分"),
                    );
                }
                None => {}
            }
            exact.entry(key).or_insert(idx);
            seen.push_back(Seen {
                edge,
                idx,
                norm,
                sig,
                grams,
            });
            pushed += 1;
            if let Some(ix) = &mut index {
                ix.insert(&edge, pushed - 1);
            } else if seen.len() >= self.index_from {
                let mut ix = Index::default();
                let front = pushed - seen.len();
                seen.iter()
                    .enumerate()
                    .for_each(|(k, s)| ix.insert(&s.edge, front + k));
                index = Some(ix);
            }
            if seen.len() > WINDOW {
                let front = pushed - seen.len();
                if let Some(s) = seen.pop_front() {
                    if let Some(ix) = &mut index {
                        ix.remove(&s.edge, front);
                    }
                }
            }
        }
        if repo {
            // Already set when the same document is checked twice: the same keys.
            let _ = doc.para_hashes.set((self.o.min_chars, keys));
        }
    }

    fn cross_file(&self) -> bool {
        self.o.scope == Scope::Repo
    }

    fn repo_keys(&self, doc: &Document, out: &mut Vec<RepoKey>) {
        if self.o.scope != Scope::Repo {
            return;
        }
        // One key per distinct paragraph: a repeat within the file is reported by `check`.
        if let Some((min_chars, keys)) = doc.para_hashes.get() {
            if *min_chars == self.o.min_chars {
                // What `check` found for this document.
                out.extend(keys.iter().map(|&(idx, key)| RepoKey {
                    key,
                    range: doc.paragraphs[idx].range.clone(),
                }));
                return;
            }
        }
        let mut seen = std::collections::HashSet::new();
        let mut text = Reduced::default();
        let mut hist = Tally::new();
        for p in doc.paragraphs.iter().filter(|p| candidate(p)) {
            let len = normalize_into(doc, p, &mut text, &mut hist);
            // The key `check` computes.
            let key = crate::hash::words(text.bytes());
            if len >= self.o.min_chars && seen.insert(key) {
                out.push(RepoKey {
                    key,
                    range: p.range.clone(),
                });
            }
        }
    }

    fn repo_finding(&self, key: &RepoKey, first: &RepoSite) -> Option<Finding> {
        Some(
            Finding::new(
                key.range.clone(),
                format!(
                    "本段与 {}:{} 的段落完全相同（跨文件重复）",
                    first.path, first.line
                ),
            )
            .help("同一段文字出现在两篇稿件中；核对是否误用了别的稿件的内容"),
        )
    }
}

impl DuplicateParagraph {
    fn finding(&self, doc: &Document, idx: usize, first: usize, sim: f64, line: usize) -> Finding {
        let p = &doc.paragraphs[idx];
        let f = &doc.paragraphs[first];
        let exact = sim >= 1.0 && doc.para_text(p) == doc.para_text(f);
        let msg = if exact {
            Message::line(&["段落与第 ", " 行的段落完全相同"], line)
        } else if sim >= 1.0 {
            Message::line(
                &["段落与第 ", " 行的段落相同（仅空格或标点宽度不同）"],
                line,
            )
        } else {
            format!(
                "段落与第 {line} 行的段落几乎相同（相似度 {:.0}%）",
                sim * 100.0
            )
            .into()
        };
        let mut finding = Finding::new(p.range.clone(), msg)
            .label("重复的段落")
            .with_label(f.range.clone(), "首次出现在这里")
            .help("排版或复制时重复了段落；核对后删除多余的一份");
        if exact {
            // Remove the repeat together with the line break and blank lines before it.
            let start = if idx > 0 {
                doc.paragraphs[idx - 1].range.end
            } else {
                p.range.start
            };
            let end = if idx == 0 {
                doc.paragraphs
                    .get(1)
                    .map_or(doc.text().len(), |n| n.range.start)
            } else {
                p.range.end
            };
            finding = finding.fix(Fix::unsafe_(vec![Edit {
                range: start..end,
                replacement: String::new(),
            }]));
        }
        finding
    }
}

#[cfg(test)]
mod tests {
    use super::{contains, letter_or_digit, Norm};
    use proptest::prelude::*;

    proptest! {
        /// The folded histograms never reject a pair the full ones admit.
        #[test]
        fn norms_close_is_histograms_close(
            a in proptest::collection::vec(0u16..6, 64),
            d in proptest::collection::vec(-2i32..=2, 64),
            t in prop_oneof![0.5f64..=1.0, Just(0.95)],
        ) {
            let b: Vec<u16> = a.iter().zip(&d).map(|(&x, &e)| (i32::from(x) + e).max(0) as u16).collect();
            let hist = |v: &[u16]| super::Hist(v.try_into().unwrap());
            let (ha, hb) = (hist(&a), hist(&b));
            let la: usize = a.iter().map(|&x| usize::from(x)).sum();
            let lb: usize = b.iter().map(|&x| usize::from(x)).sum();
            let na = Norm::new("甲".repeat(la).into_bytes().into(), la, ha.clone());
            let nb = Norm::new("乙".repeat(lb).into_bytes().into(), lb, hb.clone());
            prop_assert_eq!(
                super::norms_close(&na, &nb, t),
                super::histograms_close(&ha, la, &hb, lb, t)
            );
        }
    }

    #[test]
    fn edge_words_are_the_plain_ones() {
        // Below 8 bytes the fast words are the plain ones by definition: the lengths from 8 on
        // are what this holds.
        let bytes: Vec<u8> = (0u8..24).map(|i| i.wrapping_mul(37) ^ 0xA5).collect();
        for n in 0..=bytes.len() {
            let b = &bytes[..n];
            assert_eq!(super::head_word(b), crate::hash::le_word(b), "{n}");
            assert_eq!(super::tail_word(b), super::tail_word_plain(b), "{n}");
        }
    }

    #[test]
    fn reduced_fast_is_reduced() {
        for c in '\0'..=char::MAX {
            assert_eq!(super::reduced_fast(c), super::reduced(c), "{c:?}");
        }
    }

    #[test]
    fn letter_or_digit_is_the_text_one() {
        for c in ('\0'..='\u{3100}').chain('\u{FF00}'..='\u{FFFF}') {
            assert_eq!(
                letter_or_digit(c),
                crate::text::is_letter_or_digit(c),
                "{c:?}"
            );
        }
    }

    fn norm(s: &str) -> Norm {
        let mut hist = super::Hist([0; 64]);
        s.chars().for_each(|c| hist.feed(c as u32));
        Norm::new(s.as_bytes().into(), s.chars().count(), hist)
    }

    /// [`contains`] without the filter on the first and last bytes.
    fn reference(hay: &Norm, needle: &Norm) -> bool {
        let n = &needle.text[..needle.trimmed];
        !n.is_empty() && (hay.text.starts_with(n) || hay.text[..hay.trimmed].ends_with(n))
    }

    /// `repo_keys` after `check` (the keys `check` left with the document) gives exactly the
    /// keys it computes on its own: same keys, same ranges, same order, same filter.
    #[test]
    fn repo_keys_from_check_match_recomputed() {
        use crate::document::{Document, Format};
        use crate::rules::RepoKey;
        use crate::source::SourceFile;
        let text = "国务院常务会议今天召开，研究部署防汛救灾工作。\n\n短段。\n\n\
                    国务院常务会议今天召开，研究部署防汛救灾工作。\n\n\
                    会议强调，要压实责任，确保人民群众生命财产安全。\n\n\
                    国务院常务会议今天召开 ，研究部署防汛救灾工作。\n";
        let parse = || Document::parse(SourceFile::from_text(text.into(), false), Format::Plain);
        let table: toml::Table = toml::from_str("scope = \"repo\"\nmin-chars = 10").unwrap();
        let rule = super::build(&table).unwrap();
        let keys = |doc: &Document| {
            let mut v: Vec<RepoKey> = Vec::new();
            rule.repo_keys(doc, &mut v);
            v.into_iter().map(|k| (k.key, k.range)).collect::<Vec<_>>()
        };
        let alone = parse();
        let fresh = keys(&alone);
        assert!(alone.para_hashes.get().is_none());
        let checked = parse();
        rule.check(&checked, &mut Vec::new());
        assert!(checked.para_hashes.get().is_some());
        assert_eq!(keys(&checked), fresh);
        // Two distinct long paragraphs (the repeats share a key; the short one is filtered).
        assert_eq!(fresh.len(), 2, "{fresh:?}");
        // Keys left by a rule with another `min-chars` are not taken: the short paragraph too.
        let other: toml::Table = toml::from_str("scope = \"repo\"\nmin-chars = 2").unwrap();
        let other = super::build(&other).unwrap();
        let mut all = Vec::new();
        other.repo_keys(&parse(), &mut all);
        let mut reused = Vec::new();
        other.repo_keys(&checked, &mut reused);
        assert_eq!(reused.len(), 3);
        assert_eq!(
            reused
                .iter()
                .map(|k| (k.key, k.range.clone()))
                .collect::<Vec<_>>(),
            all.iter()
                .map(|k| (k.key, k.range.clone()))
                .collect::<Vec<_>>()
        );
    }

    /// What `normalize_into` answers from a character's bytes alone: every character of first
    /// byte 0xE3–0xEB but the ideographic space is three bytes long and kept as it is; the
    /// full-width forms become their ASCII twins, the curly quotes straight ones.
    #[test]
    fn byte_paths_are_reduced() {
        for c in '\0'..=char::MAX {
            let mut b = [0; 4];
            let e = c.encode_utf8(&mut b).as_bytes();
            let r = super::reduced(c);
            match *e {
                [0xE3, 0x80, 0x80] => assert_eq!(r, None),
                [0xE3..=0xEB, ..] => {
                    assert_eq!(e.len(), 3, "{c:?}");
                    assert_eq!(r, Some(c), "{c:?}");
                }
                [0xEF, 0xBC, z @ 0x81..=0xBF] => {
                    assert_eq!(r, Some(char::from(0x20 + (z & 0x3F))), "{c:?}")
                }
                [0xEF, 0xBD, z @ 0x80..=0x9E] => {
                    assert_eq!(r, Some(char::from(0x60 + (z & 0x3F))), "{c:?}")
                }
                [0xE2, 0x80, 0x9C | 0x9D] => assert_eq!(r, Some('"'), "{c:?}"),
                [0xE2, 0x80, 0x98 | 0x99] => assert_eq!(r, Some('\''), "{c:?}"),
                _ => {}
            }
        }
    }

    /// `normalize_into` gives `normalize_plain`'s text and length, and the histogram of that
    /// text, for every paragraph of `a` (its buffers start stale, as in a run).
    fn normalize_agrees(
        a: &str,
        markdown: bool,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        use crate::document::{Document, Format};
        use crate::source::SourceFile;
        let format = if markdown {
            Format::Markdown
        } else {
            Format::Plain
        };
        let doc = Document::parse(SourceFile::from_text(a.to_string(), false), format);
        let mut x = super::Reduced {
            buf: b"stale".to_vec(),
            n: 5,
        };
        let mut y = String::from("stale");
        let mut hist = super::Tally([7; 256]);
        for p in &doc.paragraphs {
            let n = super::normalize_into(&doc, p, &mut x, &mut hist);
            let m = super::normalize_plain(&doc, p, &mut y);
            proptest::prop_assert_eq!(x.bytes(), y.as_bytes(), "{:?}", a);
            proptest::prop_assert_eq!(n, m);
            let mut want = super::Hist([0; 64]);
            y.chars().for_each(|c| want.feed(c as u32));
            proptest::prop_assert_eq!(hist.hist().0, want.0);
        }
        Ok(())
    }

    proptest! {
        /// [`super::trimmed_len`] trims what `trim_end_matches` trims.
        #[test]
        fn trimmed_len_is_trim_end_matches(
            s in "[防汛一二鿿䷀䶵𠀀ab1１ｅ，。、《》〿〡「」…“”（）〜!?.\"' ]{0,12}",
        ) {
            prop_assert_eq!(
                super::trimmed_len(s.as_bytes()),
                s.trim_end_matches(|c: char| !letter_or_digit(c)).len(),
                "{:?}", s
            );
        }

        /// Runs of Han and of other three-byte characters (the two-at-a-time step, cut
        /// anywhere), broken by marks and spaces of every kind, normalise as decoding every
        /// character does ([`super::normalize_plain`], the reference), histogram included.
        #[test]
        fn han_runs_normalize_as_the_plain_one(
            parts in proptest::collection::vec(
                prop_oneof![
                    "[防汛一二三鿿䀀ꀀ가힣\u{E000}\u{EFFF}]{0,9}",
                    "[，。、《》〿\u{3000}\u{3040}あ\u{FF00}\u{FF01}\u{FF5E}\u{FF5F}ﾀ\u{FEFF}“”‘’\u{2000}\u{200B}\u{2028}\u{205F}\u{2060}\u{1680}\u{85}\u{A0}µé\u{1}\u{7F} \t\r\na1𠀀]{1,3}",
                ],
                0..24,
            ),
            markdown in any::<bool>(),
        ) {
            normalize_agrees(&parts.concat(), markdown)?;
        }

        /// Long runs (the five-at-a-time step, cut anywhere) of Han, Yi and Hangul mixed with
        /// ASCII, every full-width form and its neighbours, curly quotes, CJK marks and kana,
        /// white space of every kind and rarer characters normalise as decoding every
        /// character does, histogram included.
        #[test]
        fn mixed_text_normalizes_as_the_plain_one(
            parts in proptest::collection::vec(
                prop_oneof![
                    4 => "[防汛一二三鿿䀀ꀀ가힣]{0,20}",
                    1 => "[\u{FF00}-\u{FF60}\u{FEFF}\u{FE30}\u{F900}]{1,3}",
                    1 => "[“”‘’\u{2017}\u{201A}\u{201B}\u{201E}…—\u{2000}-\u{2010}\u{2028}\u{2029}\u{202F}\u{205F}\u{2060}\u{1680}\u{180E}\u{85}\u{A0}]{1,3}",
                    1 => "[\u{3000}-\u{3003}。、《》「」〇ぁアー㐀㿿]{1,3}",
                    1 => "[ \t\r\na-zA-Z0-9,.;:!?()\"'éµ𠀀😀\u{7F}\u{1}]{1,4}",
                ],
                0..16,
            ),
            markdown in any::<bool>(),
        ) {
            normalize_agrees(&parts.concat(), markdown)?;
        }

        /// [`super::Reach`] admits exactly the pairs [`super::may_pair`] does, whatever the
        /// lengths, options and edges.
        #[test]
        fn reach_is_may_pair(
            la in 0usize..600,
            lb in 0usize..600,
            min_chars in 0usize..40,
            threshold in prop_oneof![0.5f64..=1.0, Just(0.5), Just(0.8), Just(0.95), Just(1.0)],
            containment in any::<bool>(),
            heads in (0u64..4, 0u64..4, 0u64..4, 0u64..4),
            masks in (0usize..=8, 0usize..=8),
        ) {
            let o = super::Options { threshold, min_chars, containment, scope: super::Scope::File };
            let a = super::Edge { len: la, head: heads.0, tail: heads.1, mask: super::low_bytes(masks.0) };
            let b = super::Edge { len: lb, head: heads.2, tail: heads.3, mask: super::low_bytes(masks.1) };
            let reach = super::Reach::new(&b, &o);
            prop_assert_eq!(reach.admits(&a), super::may_pair(&a, &b, &o));
            // Lengths next to the bounds, where rounding could differ.
            for len in [la, lb.saturating_sub(1), lb + 1, lb / 2, lb * 2, lb * 2 + 1] {
                let a = super::Edge { len, ..a };
                prop_assert_eq!(reach.admits(&a), super::may_pair(&a, &b, &o), "{}", len);
            }
        }

        /// The histograms counted while normalising are those of the normalised text, and
        /// their test never rejects a pair that reaches the threshold (Myers similarity).
        #[test]
        fn histograms_never_reject_a_near_repeat(
            a in "[防汛一二䶵𠀀ab1１，。：“” \u{3000}!？]{1,40}",
            edits in proptest::collection::vec((0usize..40, "[防汛三b2，]{0,2}"), 0..4),
            t in 0.5f64..=1.0,
        ) {
            use crate::document::{Document, Format};
            use crate::source::SourceFile;
            // b: a with a few characters replaced, inserted or removed.
            let mut b: Vec<char> = a.chars().collect();
            for (at, with) in &edits {
                let at = (*at).min(b.len());
                let end = (at + 1).min(b.len());
                b.splice(at..end, with.chars());
            }
            let b: String = b.into_iter().collect();
            let norm = |s: &str| {
                let doc = Document::parse(SourceFile::from_text(s.to_string(), false), Format::Plain);
                doc.paragraphs.first().map(|p| super::normalize(&doc, p))
            };
            let (Some(na), Some(nb)) = (norm(&a), norm(&b)) else {
                return Ok(());
            };
            for n in [&na, &nb] {
                prop_assert_eq!(n.len, n.as_str().chars().count());
            }
            let sim = super::similarity(na.chars(), nb.chars());
            if sim >= t {
                prop_assert!(super::histograms_close(&na.hist, na.len, &nb.hist, nb.len, t));
            }
        }

        /// Normalising without decoding Han characters gives the text, length and histogram of
        /// decoding every character, in plain text and in Markdown (several pieces).
        #[test]
        fn indexed_normalize_is_the_plain_one(
            a in "[防汛一二䷀䶵𠀀ab1１ｅ｟～é，。、《》〿：“”‘’（）\u{1680}\u{2000}\u{202F}\u{205F}\u{2029}\u{2060}\u{200D}\u{0B}\u{85}\u{2028}\u{3000}\u{00A0}\u{200B}\u{FEFF} \t!？*`_\n]{0,60}",
            markdown in any::<bool>(),
        ) {
            normalize_agrees(&a, markdown)?;
        }

        /// The window's index finds the repeats a walk over the window finds: same findings,
        /// in the same order, on pages of near, contained and exact repeats.
        #[test]
        fn index_finds_what_the_walk_finds(
            pool in proptest::collection::vec("[防汛一二三四ab1，。]{3,16}", 1..24),
            picks in proptest::collection::vec(
                (0usize..24, 0usize..24, 0usize..5, "[防汛五六七b，]{0,3}"),
                40..160,
            ),
            containment in any::<bool>(),
            threshold in prop_oneof![Just(0.5f64), Just(0.8), Just(0.95), Just(1.0)],
        ) {
            use crate::document::{Document, Format};
            use crate::rules::Rule;
            use crate::source::SourceFile;
            // Each paragraph: one or two pool texts, cut or edited a little.
            let text: String = picks
                .iter()
                .map(|(a, b, how, with)| {
                    let (a, b) = (&pool[a % pool.len()], &pool[b % pool.len()]);
                    let half: String = b.chars().take(b.chars().count() / 2).collect();
                    match how {
                        0 => format!("{a}{with}{b}。\n\n"),
                        1 => format!("{a}{half}。\n\n"),
                        2 => format!("{half}{with}{a}。\n\n"),
                        3 => format!("{a}。\n\n"),
                        _ => format!("{b}{a}。\n\n"),
                    }
                })
                .collect();
            let table: toml::Table = toml::from_str(&format!(
                "min-chars = 3\ncontainment = {containment}\nthreshold = {threshold:?}"
            ))
            .unwrap();
            let o: super::Options = super::super::parse_options(&super::META, &table).unwrap();
            let doc = Document::parse(SourceFile::from_text(text, false), Format::Plain);
            let run = |index_from: usize| {
                let o = super::Options { ..o };
                let rule = super::DuplicateParagraph { o, index_from };
                let mut out = Vec::new();
                rule.check(&doc, &mut out);
                out.iter()
                    .map(|f| format!("{:?} {} {:?}", f.range, f.message, f.labels.iter().map(|l| l.range.clone()).collect::<Vec<_>>()))
                    .collect::<Vec<_>>()
            };
            let walk = run(usize::MAX);
            prop_assert_eq!(run(2), walk.clone());
            prop_assert_eq!(run(super::INDEX_FROM), walk);
        }

        #[test]
        fn edge_filter_keeps_every_containment(
            a in "[防汛一二ab1,.\"]{0,14}", b in "[防汛一二ab1,.\"]{0,14}", c in "[防汛一二ab1,.\"]{0,6}",
        ) {
            // Needles that open or close the hay, with trailing punctuation on either side.
            for (hay, needle) in [
                (format!("{a}{b}"), a.clone()),
                (format!("{a}{b}"), b.clone()),
                (format!("{a}{b}{c}"), format!("{b}{c}")),
                (a.clone(), b.clone()),
                (format!("{c}{a}"), format!("{c}{b}")),
            ] {
                let (h, n) = (norm(&hay), norm(&needle));
                prop_assert_eq!(contains(&h, &n), reference(&h, &n), "{:?} {:?}", hay, needle);
                // `check`'s prefilter, as `check` calls it: the needle no longer.
                if n.len <= h.len && contains(&h, &n) {
                    prop_assert!(super::edges_may_contain(&n.edge(), &h.edge()));
                }
            }
        }
    }
}
