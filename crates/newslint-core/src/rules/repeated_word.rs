//! `repeated-word`: a word or phrase repeated by mistake. See [`DOCS`].

use serde::Deserialize;
use std::borrow::Cow;

use super::{Fixability, OptionError, Rule, RuleEntry, RuleMeta};
use crate::diagnostic::{Finding, Severity};
use crate::document::Document;
use crate::text::{is_han, utf8_width};

pub const DOCS: &str = r#"## What it does

Reports a word or phrase typed twice by mistake:

- a word followed by a longer word that starts with it ("流程流程图");
- a noun typed twice in a row ("国旗国旗" outside a title);
- a doubled function character ("的的", "了了", "是是", "在在", "和和", "把把").

Han text has no spaces, so candidates (a character or a two- to four-character string repeated
at once) are confirmed with a word segmenter (jieba's segmentation and part-of-speech tags,
its dictionary compiled into the program), asked only about a clause that has a candidate.

## Why

Repeats come from editing: a word retyped after a cursor slip, a phrase pasted twice. They survive
spell checkers because every word is spelled right.

## Examples

Reported:

    请按照审批流程流程图办理              (流程 + 流程图)
    我们的的工作                          (的的)

Not reported:

- reduplication Chinese uses on purpose: 看看, 常常, 天天, 一串串, 一个个, 实实在在, 研究研究,
  商量商量 (verbs, adjectives, adverbs, measure words and numerals are never reported); a doubled
  character inside AABB (是是非非, 和和美美) is not even segmented;
- rhetoric: "防汛防汛，立足于防" (a doubled word before punctuation);
- overlaps of two different words: 俄罗斯罗斯托夫, 退税缓税缓费, 增进了了解, 党对对台工作;
- titles of works in 《》, and a job title after its unit (支队支队长, 工序工序长);
- a verb before a noun compound that starts with it (生产生产资料, 研究研究生: verb + object);
- a word that closes a compound before a longer word (健康产业产业链: 健康产业 + 产业链), and a
  doubled noun used as an adverb (大块大块切割);
- a doubled character whose first copy ends a word (碳中和和“1+N”政策).

## Options

- `function-chars` (string): the characters whose doubling is
  reported.

## Fix safety

No automatic fix: which copy to keep, and whether the repeat is a repeat at all, is an editor's
call.
"#;

pub static META: RuleMeta = RuleMeta {
    id: Cow::Borrowed("repeated-word"),
    summary: Cow::Borrowed("A word or phrase typed twice by mistake (流程流程图, 的的)"),
    default_severity: Severity::Warning,
    default_enabled: true,
    fix: Fixability::None,
    docs: Cow::Borrowed(DOCS),
    options: Cow::Borrowed("# Characters whose doubling (的的) is reported\nfunction-chars = \"的了是在和与把被将从\"\n"),
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build };

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    function_chars: String,
}

fn build(table: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
    let o: Options = super::parse_options(&META, table)?;
    Ok(Box::new(RepeatedWord {
        function_chars: o.function_chars.chars().collect(),
    }))
}

struct RepeatedWord {
    function_chars: Vec<char>,
}

/// Verbs the dictionary tags as nouns but that reduplicate on purpose (商量商量).
const REDUPLICATING: &[&str] = &[
    "商量", "联系", "研究", "讨论", "学习", "交流", "考虑", "休息", "活动", "锻炼", "打扫", "整理",
    "准备", "了解", "体验", "感受", "放松", "琢磨", "比划", "收拾", "打听", "检查", "介绍",
];

/// Modal verbs: a predicate follows them (要生产生产资料).
const MODALS: &[&str] = &[
    "要", "能", "会", "应", "应当", "应该", "可以", "能够", "需要", "必须", "愿意", "敢于", "善于",
];

/// Measure words that make a quantity phrase with 成 or 大 (成片, 大块).
const MEASURES: &str = "片块朵群批串堆把张颗条捆箱车盆摞叠缕团簇排";

/// Whether the doubled character at tokens `i`, `i + 1` closes a line of verse: a phrase of
/// four characters with punctuation (or the clause's edge) on both sides, next to another
/// phrase of four (磬莞将将，降福穰穰。).
fn verse_reduplicative(tokens: &[crate::segment::Word<'_>], i: usize) -> bool {
    let punct = |t: &crate::segment::Word<'_>| is_punct(t.word);
    if !tokens.get(i + 2).is_none_or(punct) {
        return false;
    }
    // The phrase's first token, and its length in characters.
    let mut k = i;
    let mut chars = 2;
    while k > 0 && !punct(&tokens[k - 1]) {
        k -= 1;
        chars += tokens[k].word.chars().count();
    }
    if chars != 4 {
        return false;
    }
    // The characters of the phrase that starts after the punctuation at `from`.
    let phrase_after = |from: usize| -> usize {
        tokens[from..]
            .iter()
            .skip_while(|t| punct(t))
            .take_while(|t| !punct(t))
            .map(|t| t.word.chars().count())
            .sum()
    };
    // The characters of the phrase that ends before the punctuation before token `to`.
    let phrase_before = |to: usize| -> usize {
        tokens[..to]
            .iter()
            .rev()
            .skip_while(|t| punct(t))
            .take_while(|t| !punct(t))
            .map(|t| t.word.chars().count())
            .sum()
    };
    phrase_after(i + 2) == 4 || phrase_before(k) == 4
}

/// Direction complements: "联系联系起来" is 联系 + 联系起来.
const COMPLEMENTS: &[&str] = &[
    "起来", "起", "上来", "下来", "下去", "出来", "进来", "一下", "过来", "到",
];

/// Byte offsets in `s` where a repeat starts that needs the segmenter: a doubled function
/// character or a 2–4 character Han string repeated at once.
///
/// Works on bytes: a repeat of k characters is a byte string repeated at once, so each position
/// costs a few byte comparisons and no decoding. Two shapes that can never be reported are left
/// out here, so that most articles never load the segmenter:
/// - a doubled character inside AABB reduplication (实实在在, 的的确确, 是是非非);
/// - a repeated string before punctuation or the end of the text (防汛防汛，): rhetoric.
///
/// Each character start is decided on its own ([`is_candidate`]); [`maybe`] rules out, 59 bytes
/// at a time, the starts that cannot be one (almost all of them).
fn candidates(s: &str, function_chars: &[char]) -> Vec<usize> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut q = 0;
    while q < b.len() {
        let mut m = maybe(b, q);
        while m != 0 {
            let i = q + m.trailing_zeros() as usize;
            m &= m - 1;
            if is_candidate(s, i, function_chars) {
                out.push(i);
            }
        }
        q += STRIDE;
    }
    out
}

/// The byte positions [`maybe`] decides at a time.
const STRIDE: usize = 59;
/// The bytes [`maybe`] reads from its first position.
const WINDOW: usize = 76;

/// Bit `p` (for `p` < [`STRIDE`]) set when byte `q + p` starts a non-ASCII character that may
/// be a candidate ([`is_candidate`]); every candidate's bit is set. With `w` the [`WINDOW`]
/// bytes from `q` (zeros after the text's end), a three-byte character at `p` can only be one
/// when `w[p..p + 3] == w[p + 3..p + 6]` (a doubled character) or the two characters from `p`
/// recur 2, 3 or 4 characters on (`w[p..p + 6] == w[p + d..p + d + 6]`, `d` = 6, 9, 12): the
/// repeated string is Han, so its characters are three bytes wide unless one is a four-byte
/// character. So every other non-ASCII start is kept (two- and four-byte characters), and every
/// start when the window holds a four-byte character's lead byte.
fn maybe(b: &[u8], q: usize) -> u64 {
    let padded;
    let w: &[u8; WINDOW] = match b.get(q..q + WINDOW).and_then(|w| w.try_into().ok()) {
        Some(w) => w,
        None => {
            let rest = &b[q.min(b.len())..];
            let mut p = [0u8; WINDOW];
            p[..rest.len()].copy_from_slice(rest);
            padded = p;
            &padded
        }
    };
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of the x86_64 baseline: every x86_64 CPU has it.
        unsafe { maybe_sse2(w) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        maybe_scalar(w)
    }
}

/// [`maybe`] on the window, one byte at a time (the oracle of [`maybe_sse2`]).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn maybe_scalar(w: &[u8; WINDOW]) -> u64 {
    let four = w.iter().any(|&x| x >= 0xF0);
    let same = |p: usize, d: usize, len: usize| w[p..p + len] == w[p + d..p + d + len];
    let mut m = 0;
    for (p, &x) in w[..STRIDE].iter().enumerate() {
        if x < 0xC0 {
            continue; // ASCII or a continuation byte
        }
        let keep = four
            || x & 0xF0 != 0xE0
            || same(p, 3, 3)
            || same(p, 6, 6)
            || same(p, 9, 6)
            || same(p, 12, 6);
        if keep {
            m |= 1 << p;
        }
    }
    m
}

/// [`maybe`] on the window, sixteen bytes at a time (SSE2).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn maybe_sse2(w: &[u8; WINDOW]) -> u64 {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };
    let load = |at: usize| -> __m128i {
        let bytes: &[u8; 16] = w[at..at + 16].try_into().expect("16 bytes");
        // SAFETY: `bytes` is 16 readable bytes, and an unaligned load needs no more.
        unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) }
    };
    // Sixteen bits of a byte mask, placed at `16 * k`.
    let bits = |v: __m128i, k: usize| u64::from(_mm_movemask_epi8(v) as u16) << (16 * k);
    let x = [load(0), load(16), load(32), load(48)];
    // Bit p: w[p] == w[p + d], for p < 64.
    let eq = |d: usize| {
        (0..4).fold(0u64, |m, k| {
            m | bits(_mm_cmpeq_epi8(x[k], load(16 * k + d)), k)
        })
    };
    // Bit p: three equal bytes from p; and six.
    let three = |e: u64| e & e >> 1 & e >> 2;
    let six = |e: u64| {
        let t = three(e);
        t & t >> 3
    };
    let repeat = three(eq(3)) | six(eq(6)) | six(eq(9)) | six(eq(12));
    // Lead bytes: 0xC0–0xFF (signed > -65 and negative), 0xE0–0xEF, 0xF0–0xFF.
    let c0 = _mm_set1_epi8(-65);
    let f0 = _mm_set1_epi8(0xF0u8 as i8);
    let e0 = _mm_set1_epi8(0xE0u8 as i8);
    let (mut leads, mut lead3) = (0u64, 0u64);
    let mut high = _mm_cmpeq_epi8(_mm_and_si128(load(WINDOW - 16), f0), f0);
    for (k, &v) in x.iter().enumerate() {
        leads |= bits(_mm_cmpgt_epi8(v, c0), k) & bits(v, k);
        let h = _mm_and_si128(v, f0);
        lead3 |= bits(_mm_cmpeq_epi8(h, e0), k);
        high = _mm_or_si128(high, _mm_cmpeq_epi8(h, f0));
    }
    let first = (1u64 << STRIDE) - 1;
    if _mm_movemask_epi8(high) != 0 {
        return leads & first;
    }
    leads & (repeat | !lead3) & first
}

/// Whether the character at byte `i` (a character start) starts a candidate of [`candidates`].
fn is_candidate(s: &str, i: usize, function_chars: &[char]) -> bool {
    let b = s.as_bytes();
    let n = b.len();
    let lead = b[i];
    if lead < 0x80 {
        return false; // ASCII: never part of a candidate.
    }
    let char_at = |i: usize| s[i..].chars().next().unwrap_or(' ');
    // Byte loops, not memcmp: the strings are at most 16 bytes and most differ at once.
    let same =
        |i: usize, j: usize, len: usize| j + len <= n && (0..len).all(|k| b[i + k] == b[j + k]);
    // The start of the character before the one at `at`.
    let before = |at: usize| {
        (at > 0).then(|| {
            let mut k = at - 1;
            while k > 0 && b[k] & 0xC0 == 0x80 {
                k -= 1;
            }
            k
        })
    };
    let w = utf8_width(lead);
    if same(i, i + w, w) {
        // A doubled character.
        let c = char_at(i);
        if function_chars.contains(&c) {
            // AABB: the two characters before, or the two after, are a doubled pair too.
            let after_pair = before(i)
                .and_then(|p1| Some((p1, before(p1)?)))
                .is_some_and(|(p1, p2)| {
                    let wp = i - p1;
                    p1 - p2 == wp && same(p2, p1, wp)
                });
            let j = i + 2 * w;
            let before_pair = j < n && {
                let wj = utf8_width(b[j]);
                b[j] >= 0x80 && same(j, j + wj, wj)
            };
            return !(after_pair || before_pair);
        }
    }
    let c = char_at(i);
    if !is_han(c) {
        return false;
    }
    // The byte length of k characters from i, for k = 2..=4, all Han.
    let mut len = w;
    let mut j = i + w;
    for _k in 2..=4 {
        if j >= n {
            break;
        }
        let cj = char_at(j);
        if !is_han(cj) {
            break;
        }
        len += cj.len_utf8();
        j += cj.len_utf8();
        // chars[i..i+k] == chars[i+k..i+2k]
        if same(i, i + len, len) {
            let next = s[i + 2 * len..].chars().next();
            return next.is_some_and(char::is_alphanumeric);
        }
    }
    false
}

/// The clause around byte `at`: from the previous to the next clause punctuation, at most
/// `MAX_CLAUSE` bytes each way. Segmenting a clause, not the paragraph, keeps a 10 MB line cheap.
fn clause(s: &str, at: usize) -> std::ops::Range<usize> {
    const MAX_CLAUSE: usize = 240;
    let stop = |c: char| matches!(c, '。' | '！' | '？' | '；' | '\n');
    let lo = at.saturating_sub(MAX_CLAUSE);
    let mut start = s[..at]
        .char_indices()
        .rev()
        .take_while(|&(i, _)| i >= lo)
        .find(|&(_, c)| stop(c))
        .map_or(lo, |(i, c)| i + c.len_utf8());
    while !s.is_char_boundary(start) {
        start += 1;
    }
    let hi = (at + MAX_CLAUSE).min(s.len());
    let mut end = s[at..]
        .char_indices()
        .take_while(|&(i, _)| at + i <= hi)
        .find(|&(_, c)| stop(c))
        .map_or(hi, |(i, _)| at + i);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    start..end.max(start)
}

fn is_punct(w: &str) -> bool {
    w.chars().all(|c| !crate::text::is_letter_or_digit(c))
}

impl Rule for RepeatedWord {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        for p in &doc.paragraphs {
            for (base, s) in doc.prose(p) {
                let mut done = 0;
                for at in candidates(s, &self.function_chars) {
                    if at < done {
                        continue;
                    }
                    let r = clause(s, at);
                    self.check_text(base + r.start, &s[r.clone()], out);
                    done = r.end.max(at + 1);
                }
            }
        }
    }
}

impl RepeatedWord {
    fn check_text(&self, base: usize, s: &str, out: &mut Vec<Finding>) {
        let tokens = crate::segment::cut(s, true);
        // Tags only for the words a test reads (most clauses need none): a word's tag depends
        // on the word alone.
        let tag = |t: &crate::segment::Word<'_>| crate::segment::tag_of(t.word);
        // Byte offsets of the tokens, and whether each lies inside 《》.
        let mut offsets = Vec::with_capacity(tokens.len());
        let mut pos = 0;
        let mut depth = 0i32;
        let mut in_title = Vec::with_capacity(tokens.len());
        for t in &tokens {
            offsets.push(pos);
            in_title.push(depth > 0);
            depth += t.word.matches('《').count() as i32 - t.word.matches('》').count() as i32;
            pos += t.word.len();
        }
        for i in 0..tokens.len().saturating_sub(1) {
            let (a, b) = (&tokens[i], &tokens[i + 1]);
            if in_title[i] {
                continue;
            }
            let (wa, wb) = (a.word, b.word);
            let start = base + offsets[i];
            let end = base + offsets[i + 1] + wb.len();
            let alen = wa.chars().count();
            let han = wa.chars().all(is_han);
            // 的的, 了了: a doubled function character.
            if alen == 1
                && wa == wb
                && self
                    .function_chars
                    .contains(&wa.chars().next().unwrap_or(' '))
            {
                let next = tokens.get(i + 2).map(|t| t.word).unwrap_or("");
                if wa == "的" && next.starts_with('确') {
                    continue; // 的的确确
                }
                // 碳中和和: the first 和 ends a word with the characters before it.
                let prev = if i > 0 { tokens[i - 1].word } else { "" };
                let tail: String = prev
                    .chars()
                    .rev()
                    .take(2)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                let ends_word = (1..=tail.chars().count()).any(|k| {
                    let t: String = tail.chars().skip(tail.chars().count() - k).collect();
                    crate::segment::has_word(&format!("{t}{wa}"))
                });
                if ends_word {
                    continue;
                }
                // 磬莞将将，降福穰穰: a doubled character that closes a four-character phrase set
                // off by punctuation is the reduplicative of classical verse, not a slip.
                if verse_reduplicative(&tokens, i) {
                    continue;
                }
                out.push(
                    Finding::new(start..end, format!("“{wa}”重复了"))
                        .label("重复的字")
                        .help(format!("删去一个“{wa}”")),
                );
                continue;
            }
            if alen < 2 || !han {
                continue;
            }
            // 流程流程图: a word followed by a longer word that starts with it.
            if wb.len() > wa.len() && wb.starts_with(wa) {
                let suffix = &wb[wa.len()..];
                if matches!(suffix, "长" | "们") {
                    continue; // 支队支队长
                }
                // 打扫打扫卫生: a verb that reduplicates on purpose, before its object.
                if REDUPLICATING.contains(&wa) {
                    continue;
                }
                // 健康产业产业链: the first word closes a compound with the word before it.
                let prev_tag = if i > 0 { tag(&tokens[i - 1]) } else { "x" };
                if prev_tag.starts_with('n')
                    || prev_tag.starts_with('a')
                    || matches!(prev_tag, "vn" | "j")
                {
                    continue;
                }
                // 生产生产资料, 研究研究生: a verb and a noun compound that starts with it read
                // as verb + object (produce the means of production), a sentence with no repeat.
                // Only where a predicate can start: after punctuation, an adverb, a pronoun, a
                // conjunction or a modal verb; after a verb, 的 or a measure word the first word
                // is a noun (提交申请申请书 is a repeat).
                let verb = matches!(tag(a), "v" | "vn");
                let object = tag(b).starts_with('n') || tag(b) == "l";
                let prev = if i > 0 { tokens[i - 1].word } else { "" };
                let predicate_starts = i == 0
                    || matches!(prev_tag, "x" | "d" | "r" | "c" | "t" | "s")
                    || MODALS.contains(&prev);
                if verb && object && predicate_starts {
                    continue;
                }
                out.push(
                    Finding::new(start..end, format!("“{wa}”重复了（{wa}{wb}）"))
                        .label("重复")
                        .help(format!("核对是否多打了一个“{wa}”")),
                );
                continue;
            }
            // 国旗国旗: the same noun twice in a row.
            if wa == wb {
                let noun = matches!(tag(a), "n" | "nz" | "ng");
                let next = tokens.get(i + 2).map(|t| t.word).unwrap_or("");
                let rhetoric = next.is_empty() || is_punct(next);
                let prev_yi = i > 0 && tokens[i - 1].word.ends_with('一');
                // 大块大块切割: a doubled noun used as an adverb before a verb; 工序工序长: a title.
                let next_tag = tokens.get(i + 2).map(tag).unwrap_or("x");
                if next_tag.starts_with('v') || next.starts_with('长') {
                    continue;
                }
                // 大朵大朵的白云, 成片成片的: a doubled word before 的 or 地 modifies what follows.
                let modifier = matches!(next, "的" | "地");
                // 成片成片连起来, 大块大块: 成/大 + a measure word, doubled, tells the manner.
                let quantity = wa.chars().count() == 2
                    && wa.starts_with(['成', '大'])
                    && wa.chars().nth(1).is_some_and(|c| MEASURES.contains(c));
                // 精准精准再精准: a slogan says the word a third time.
                let third = tokens.get(i + 3).is_some_and(|t| t.word == wa)
                    && tokens.get(i + 2).is_some_and(|t| tag(t) == "d");
                // 哔哩哔哩: a "word" the dictionary does not know (the segmenter guessed it) is a
                // name or a brand, and its doubling no evidence of a slip.
                let known = crate::segment::has_word(wa);
                if !noun
                    || !known
                    || rhetoric
                    || modifier
                    || quantity
                    || third
                    || prev_yi
                    || wa.starts_with('一')
                    || REDUPLICATING.contains(&wa)
                    || COMPLEMENTS.iter().any(|c| next.starts_with(c))
                {
                    continue;
                }
                // The help asks for a check: a doubled noun can be meant (a name, a slogan).
                out.push(
                    Finding::new(start..end, format!("“{wa}”连写了两次"))
                        .label("重复")
                        .help(format!("核对是否多打了一个“{wa}”")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::candidates;
    use crate::text::is_han;
    use proptest::prelude::*;

    /// What [`candidates`] finds, stated on decoded characters.
    fn reference(s: &str, function_chars: &[char]) -> Vec<usize> {
        let cs: Vec<(usize, char)> = s.char_indices().collect();
        let at = |i: usize| cs.get(i).map(|&(_, c)| c);
        let mut out = Vec::new();
        for (i, &(off, c)) in cs.iter().enumerate() {
            if c.is_ascii() {
                continue;
            }
            if at(i + 1) == Some(c) && function_chars.contains(&c) {
                let after_pair = i >= 2 && at(i - 2) == at(i - 1);
                let before_pair = at(i + 2).is_some_and(|d| !d.is_ascii() && at(i + 3) == Some(d));
                if !(after_pair || before_pair) {
                    out.push(off);
                }
                continue;
            }
            if !is_han(c) {
                continue;
            }
            for k in 2..=4 {
                if !at(i + k - 1).is_some_and(is_han) {
                    break;
                }
                if (0..k).all(|m| at(i + m) == at(i + k + m)) {
                    if at(i + 2 * k).is_some_and(char::is_alphanumeric) {
                        out.push(off);
                    }
                    break;
                }
            }
        }
        out
    }

    proptest! {
        #[test]
        fn candidates_match_the_reference(picks in prop::collection::vec(0usize..24, 0..120),
                                          pure in any::<bool>()) {
            // Mostly a few Han characters, so that repeats and long runs are common; some
            // punctuation, ASCII, a two-byte and a four-byte character.
            const ALPHABET: [char; 20] = ['的', '的', '国', '国', '旗', '一', '二', '二', '实', '在',
                '了', '研', '究', '，', '。', '5', 'G', ' ', '·', '𠀀'];
            // Half the cases only three-byte characters (the first 15): long runs for the
            // block scan. Picks 20–23 repeat the last 1–4 characters.
            let mut cs: Vec<char> = Vec::new();
            for &k in &picks {
                if k >= 20 {
                    let from = cs.len().saturating_sub(k - 19);
                    cs.extend_from_within(from..);
                } else {
                    cs.push(ALPHABET[if pure { k % 15 } else { k }]);
                }
            }
            let s: String = cs.into_iter().collect();
            let f: Vec<char> = "的了是在和与把被将从".chars().collect();
            prop_assert_eq!(candidates(&s, &f), reference(&s, &f), "{}", s);
        }

        #[test]
        fn candidates_match_the_reference_on_varied_text(
            picks in prop::collection::vec(0usize..400, 0..200)
        ) {
            // Copy-like text: many distinct Han characters, so that long stretches have no
            // repeat (the two-at-a-time skip) and repeats (picks 390–399) and function
            // characters (380–389) are scattered; a few marks and ASCII.
            let f: Vec<char> = "的了是在和与把被将从".chars().collect();
            let mut cs: Vec<char> = Vec::new();
            for &k in &picks {
                match k {
                    0..=359 => cs.push(char::from_u32(0x4E00 + 7 * k as u32).unwrap_or('中')),
                    360..=369 => cs.push(['，', '。', '、', '“', '”', 'a', '1', ' ', '·', '𠀀'][k - 360]),
                    370..=379 => cs.push('国'),
                    380..=389 => cs.push(f[k - 380]),
                    _ => {
                        let from = cs.len().saturating_sub(k - 389);
                        cs.extend_from_within(from..);
                    }
                }
            }
            let s: String = cs.into_iter().collect();
            prop_assert_eq!(candidates(&s, &f), reference(&s, &f), "{}", s);
        }
    }

    #[cfg(target_arch = "x86_64")]
    proptest! {
        #[test]
        fn maybe_sse2_is_maybe_scalar(picks in prop::collection::vec(0usize..12, 40),
                                      skip in 0usize..4, no_four in any::<bool>(),
                                      len in 0usize..2 * super::WINDOW) {
            // Text of a few characters of every width, so that repeats at every distance are
            // common, cut into a window from any byte (a continuation byte first, too) and
            // padded with zeros as near the end of a text.
            const ALPHABET: [char; 12] =
                ['的', '的', '国', '国', '旗', '，', 'a', '5', '·', '𠀀', '二', '在'];
            let text: String = picks
                .iter()
                .map(|&k| if no_four && k == 9 { '的' } else { ALPHABET[k] })
                .collect();
            let bytes = &text.as_bytes()[skip.min(text.len())..];
            let mut w = [0u8; super::WINDOW];
            let n = bytes.len().min(len).min(super::WINDOW);
            w[..n].copy_from_slice(&bytes[..n]);
            // SAFETY: SSE2 is part of the x86_64 baseline.
            let fast = unsafe { super::maybe_sse2(&w) };
            prop_assert_eq!(fast, super::maybe_scalar(&w), "{:x?}", w);
        }
    }

    #[test]
    fn candidates_match_the_reference_on_fixtures() {
        let f: Vec<char> = "的了是在和与把被将从".chars().collect();
        let mut found = 0;
        for text in [
            include_str!("../../../../fixtures/seeds/001_09808162e94c1a38.txt"),
            "阿卜杜勒·马赫迪的的确确𠀀𠀀研究研究𠀀国旗国旗在。流程流程图·的的工作",
        ] {
            for line in text.lines() {
                let ours = candidates(line, &f);
                assert_eq!(ours, reference(line, &f), "{line}");
                found += ours.len();
            }
        }
        assert!(found >= 3, "{found}");
    }

    #[test]
    fn candidates_by_example() {
        let f: Vec<char> = "的了是在和与把被将从".chars().collect();
        let at = |s: &str| candidates(s, &f);
        assert_eq!(at("我们的的工作"), [6]);
        assert_eq!(at("请按照审批流程流程图办理"), [15]);
        assert_eq!(at("国旗国旗在飘扬"), [0]);
        // AABB reduplication and rhetoric before punctuation: never candidates.
        assert!(at("实实在在的的确确").is_empty());
        assert!(at("防汛防汛，立足于防").is_empty());
        assert!(at("5G5G网络").is_empty());
        // The fast path (five three-byte characters in view) and the end of the text.
        assert_eq!(at("一二三四五六七八九十的的"), [30]);
        assert_eq!(at("的的"), [0]);
        assert!(at("一二三四五六七八九十").is_empty());
    }
}
