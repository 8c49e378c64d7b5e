//! The word segmenter, shared by the rules that need to know where words are.
//!
//! Word boundaries ([`words`]: jieba's `cut` without its HMM, which [`split_word`],
//! [`is_whole_words`], [`first_word`] and [`last_word`] use), part-of-speech tags ([`tag`]:
//! jieba's `tag`, with or without its HMM), [`has_word`] and [`suggest_freq`] come from jieba's
//! dictionary compiled into the binary as a finite-state transducer (`lints/segment/`, built by
//! `build.rs`: word → frequency and tag): nothing is loaded, and a page needs a few microseconds
//! of lookups. What jieba computes without its dictionary is asked of jieba-rs instances that
//! have none ([`Jieba::empty`], created at no cost): the HMM's cut of characters the dictionary
//! leaves single (its built-in model) and whether its HMM reads a word as one piece. The tag
//! jieba guesses for a word the dictionary does not know is this module's own search of jieba's
//! part-of-speech HMM ([`posseg`]), its tables built by `build.rs` from `lints/segment/posseg.txt`
//! and read in place (jieba-rs parses them on first use, about 200 M instructions once).
//!
//! jieba itself, with its dictionary loaded ([`jieba`]: about 100 ms of CPU and 40 MiB), is for
//! the rules that need more of it (the opt-in `typo` rules); the default rules never load it.

use std::sync::OnceLock;

use jieba_rs::{HmmModel, Jieba};

use crate::text;

/// The segmenter with jieba's default dictionary, loaded on first use.
pub fn jieba() -> &'static Jieba {
    static J: OnceLock<Jieba> = OnceLock::new();
    J.get_or_init(Jieba::new)
}

/// Runs over many files call this before they start. Nothing is loaded ahead any more: the
/// dictionary and the part-of-speech HMM's tables are compiled in.
pub fn warm_up() {}

/// jieba-rs without a dictionary and with its built-in HMM: its `cut(run, true)` of a run of
/// characters is the HMM's cut of the run, as jieba with its dictionary cuts what its best path
/// leaves as single characters that do not form a word (`tests::tags_are_jiebas`).
fn hmm_cutter() -> &'static Jieba {
    static J: OnceLock<Jieba> = OnceLock::new();
    J.get_or_init(Jieba::empty)
}

/// jieba-rs without a dictionary and with an HMM that reads every run of Han characters as one
/// word (a begin, middles and an end: every other state and transition is impossible). Its
/// `cut(word, true)` tells whether jieba's `tag` reads the word as one token, which then gets the
/// tag jieba guesses for an unknown word ([`posseg::guess`]).
fn tag_guesser() -> Option<&'static Jieba> {
    static J: OnceLock<Option<Jieba>> = OnceLock::new();
    J.get_or_init(|| {
        // States B, E, M, S; log probabilities, -3.14e100 for "impossible". The emission lines
        // must not be empty; 'a' never reaches the HMM (it cuts Han only).
        const NO: &str = "-3.14e100";
        let model = format!(
            "0 {NO} {NO} {NO}\n\
             {NO} 0 0 {NO}\n\
             {NO} {NO} {NO} {NO}\n\
             {NO} 0 0 {NO}\n\
             {NO} {NO} {NO} {NO}\n\
             a:0\na:0\na:0\na:0\n"
        );
        let model = HmmModel::load(&mut model.as_bytes()).ok()?;
        let mut j = Jieba::empty();
        j.set_hmm_model(model);
        Some(j)
    })
    .as_ref()
}

/// A word of [`words`] and its byte range in the text cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    pub word: &'a str,
    pub byte_start: usize,
    pub byte_end: usize,
}

/// jieba's dictionary, word → `frequency << TAG_BITS | tag`, as `build.rs` compiled it.
static DICT_FST: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/segment.fst"));
/// The sum of the dictionary's frequencies.
const DICT_TOTAL: u64 = include!(concat!(env!("OUT_DIR"), "/segment_total.rs"));
/// The dictionary's part-of-speech tags, by the index an FST value holds.
static DICT_TAGS: &[&str] = &include!(concat!(env!("OUT_DIR"), "/segment_tags.rs"));
/// The bits of an FST value that hold the tag (as in `build.rs`).
const TAG_BITS: u32 = 6;
/// The tags of jieba's part-of-speech HMM, which it gives words the dictionary does not know.
static HMM_TAGS: &[&str] = posseg::TAGS;

fn dict() -> &'static fst::Map<&'static [u8]> {
    static D: OnceLock<fst::Map<&'static [u8]>> = OnceLock::new();
    D.get_or_init(|| fst::Map::new(DICT_FST).expect("build.rs writes a valid FST"))
}

/// The frequency of `w` in the segmenter's dictionary, if `w` is one of its words (one lookup
/// in the transducer [`words`] reads; no jieba needed).
pub fn dict_freq(w: &str) -> Option<u64> {
    dict().get(w)
}

/// `ln` of the sum of the dictionary's frequencies: `ln(freq) - dict_log_total()` is a word's
/// log-probability as [`words`] scores it.
pub fn dict_log_total() -> f64 {
    (DICT_TOTAL as f64).ln()
}

/// The characters jieba segments with its dictionary (its `RE_HAN_DEFAULT`): CJK ideographs,
/// ASCII letters and digits and `+#&._%-`. Everything else is a token of one character.
fn in_block(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2B73F}'
        | '\u{2B740}'..='\u{2B81F}'
        | '\u{2B820}'..='\u{2CEAF}'
        | '\u{2CEB0}'..='\u{2EBEF}'
        | '\u{2F800}'..='\u{2FA1F}'
        | 'a'..='z' | 'A'..='Z' | '0'..='9'
        | '+' | '#' | '&' | '.' | '_' | '%' | '-')
}

/// A dictionary entry: its frequency and tag.
fn entry(word: &str) -> Option<(u64, &'static str)> {
    let v = dict().get(word)?;
    Some((v >> TAG_BITS, tag_name(v)))
}

/// The tag in a dictionary value's low [`TAG_BITS`].
fn tag_name(v: u64) -> &'static str {
    DICT_TAGS
        .get((v & ((1 << TAG_BITS) - 1)) as usize)
        .copied()
        .unwrap_or("")
}

/// Whether `word` is in jieba's dictionary (jieba's `has_word`).
pub fn has_word(word: &str) -> bool {
    dict().contains_key(word)
}

/// jieba's `suggest_freq`: the frequency `segment` would need to be cut as one word (at least its
/// own frequency).
pub fn suggest_freq(segment: &str) -> usize {
    let freq = |w: &str| entry(w).map_or(1, |(f, _)| f as usize);
    let log_total = (DICT_TOTAL as f64).ln();
    let log_freq = words(segment)
        .iter()
        .fold(0f64, |acc, t| acc + (freq(t.word) as f64).ln() - log_total);
    std::cmp::max((log_freq + log_total).exp() as usize + 1, freq(segment))
}

/// A word of [`tag`], its part-of-speech tag and its byte range in the text tagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag<'a> {
    pub word: &'a str,
    pub tag: &'static str,
    pub byte_start: usize,
    pub byte_end: usize,
}

/// `s` cut and tagged as jieba's `tag(s, hmm)` does (`tests::tags_are_jiebas`): the words of
/// [`cut`], each with its tag ([`tag_of`]).
pub fn tag(s: &str, hmm: bool) -> Vec<Tag<'_>> {
    let mut out = Vec::with_capacity((s.len() / 4).min(1024) + 1);
    let mut guessed = false;
    for_each_word(s, hmm, &mut |a, b, bits| {
        if guessed {
            return;
        }
        let word = &s[a..b];
        // A word the path took from the dictionary comes with its tag (the one `entry` reads).
        let tag = match bits {
            0 => known_tag(word),
            t => Some(tag_name(u64::from(t - 1))),
        };
        match tag {
            Some(tag) => out.push(Tag {
                word,
                tag,
                byte_start: a,
                byte_end: b,
            }),
            None => guessed = true,
        }
    });
    if guessed {
        // A guess this module cannot reproduce (never seen; `tags_are_jiebas`): ask jieba.
        return from_jieba(s, hmm);
    }
    out
}

/// `s` cut into words as jieba's `cut(s, hmm)` cuts it: [`words`] without `hmm`; with it, what
/// the best path leaves as single characters is cut by jieba's HMM where they do not form a word.
pub fn cut(s: &str, hmm: bool) -> Vec<Word<'_>> {
    let mut out = Vec::with_capacity((s.len() / 4).min(1024) + 1);
    for_each_word(s, hmm, &mut |a, b, _| {
        out.push(Word {
            word: &s[a..b],
            byte_start: a,
            byte_end: b,
        })
    });
    out
}

/// The part-of-speech tag jieba's `tag` gives `word` wherever it cuts it (the tag depends on the
/// word alone): its dictionary tag; for a word the dictionary does not know, `m` when its ASCII
/// letters and digits are all digits, `eng` when it has letters, the guess of jieba's
/// part-of-speech HMM when it has Han characters (its tables are parsed on the first such
/// guess), `x` otherwise. Rules that read the tags of a few words of a clause ask for those.
pub fn tag_of(word: &str) -> &'static str {
    known_tag(word).unwrap_or_else(|| {
        // A guess this module cannot reproduce (never seen; `tags_are_jiebas`): ask jieba.
        match from_jieba(word, true).as_slice() {
            [t] => t.tag,
            _ => "x",
        }
    })
}

/// [`tag_of`], `None` when the guesser does not read the word as one token.
fn known_tag(word: &str) -> Option<&'static str> {
    match entry(word) {
        Some((_, tag)) => Some(tag),
        None => guess_tag(word),
    }
}

/// jieba's own tags of `s`.
fn from_jieba(s: &str, hmm: bool) -> Vec<Tag<'_>> {
    let intern = |t: &str| DICT_TAGS.iter().chain(HMM_TAGS).find(|&&x| x == t).copied();
    jieba()
        .tag(s, hmm)
        .iter()
        .map(|t| Tag {
            word: t.word,
            tag: intern(t.tag).unwrap_or("x"),
            byte_start: t.byte_start,
            byte_end: t.byte_end,
        })
        .collect()
}

/// The characters jieba reads as Han when it guesses a tag (its `is_cjk`).
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2B73F}'
        | '\u{2B740}'..='\u{2B81F}'
        | '\u{2B820}'..='\u{2CEAF}'
        | '\u{2CEB0}'..='\u{2EBEF}'
        | '\u{2F800}'..='\u{2FA1F}')
}

/// The tag jieba gives a word its dictionary does not know (its `guess_tag`); `None` when the
/// guesser does not read the word as one token.
fn guess_tag(word: &str) -> Option<&'static str> {
    let (mut eng, mut m) = (0, 0);
    for c in word.chars() {
        if c.is_ascii_alphanumeric() {
            eng += 1;
            if c.is_ascii_digit() {
                m += 1;
            }
        }
    }
    if eng > 0 {
        return Some(if eng == m { "m" } else { "eng" });
    }
    if !word.chars().any(is_cjk) {
        return Some("x");
    }
    // jieba cuts the word (its HMM reads a Han run as one word) and guesses each piece's tag:
    // one piece, the whole word, is the case this module answers.
    match tag_guesser()?.cut(word, true).as_slice() {
        [t] if t.word == word => Some(posseg::guess(word)),
        _ => None,
    }
}

/// jieba's part-of-speech HMM (jieba-rs' `posseg`), its tables built by `build.rs` from
/// `lints/segment/posseg.txt` and read in place: the same Viterbi search over the same numbers
/// in the same order (`tests::posseg_guesses_are_jiebas`), with nothing parsed at run time.
mod posseg {
    /// The tables (layout in `build.rs`, `posseg_tables`).
    static DATA: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/posseg.bin"));
    /// The tags, by index (a state is `position * 64 + tag`).
    pub(super) static TAGS: &[&str] = &include!(concat!(env!("OUT_DIR"), "/posseg_tags.rs"));
    const NUM_TAGS: usize = 64;
    const NUM_STATES: usize = 4 * NUM_TAGS;
    const MIN_FLOAT: f64 = -3.14e100;
    /// The positions that may precede each position (B after E, S; M and E after B, M; S after
    /// E, S), as jieba-rs searches them.
    const PREV_POS: [[usize; 2]; 4] = [[2, 3], [0, 1], [0, 1], [2, 3]];
    const START: usize = 8;
    const TRANS: usize = START + 8 * NUM_STATES;
    const CHARS: usize = TRANS + 8 * NUM_STATES * NUM_STATES;

    fn bytes<const N: usize>(at: usize) -> [u8; N] {
        let mut b = [0u8; N];
        if let Some(s) = DATA.get(at..at + N) {
            b.copy_from_slice(s);
        }
        b
    }
    fn u32_at(at: usize) -> usize {
        u32::from_le_bytes(bytes(at)) as usize
    }
    fn u16_at(at: usize) -> usize {
        usize::from(u16::from_le_bytes(bytes(at)))
    }
    fn f64_at(at: usize) -> f64 {
        f64::from_le_bytes(bytes(at))
    }
    fn chars() -> usize {
        u32_at(0)
    }
    fn entries() -> usize {
        u32_at(4)
    }
    fn start_prob(s: usize) -> f64 {
        f64_at(START + 8 * s)
    }
    fn trans_prob(to: usize, from: usize) -> f64 {
        f64_at(TRANS + 8 * (to * NUM_STATES + from))
    }

    /// A character's states: entries `first + bounds[p]..first + bounds[p + 1]` have position
    /// `p`. Empty for a character the model has never seen.
    #[derive(Clone, Copy)]
    struct Row {
        first: usize,
        bounds: [usize; 5],
    }

    fn row(c: char) -> Row {
        let n = chars();
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match u32_at(CHARS + 4 * mid).cmp(&(c as usize)) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let at = CHARS + 4 * n + 14 * mid;
                    let mut bounds = [0; 5];
                    for (p, b) in bounds.iter_mut().enumerate() {
                        *b = u16_at(at + 4 + 2 * p);
                    }
                    return Row {
                        first: u32_at(at),
                        bounds,
                    };
                }
            }
        }
        Row {
            first: 0,
            bounds: [0; 5],
        }
    }

    /// The entries of `row` with positions `from..to`: (state, emission log-probability).
    fn states(row: Row, from: usize, to: usize) -> impl Iterator<Item = (usize, f64)> {
        let n = chars();
        let states = CHARS + 18 * n;
        let emits = states + 2 * entries();
        (row.first + row.bounds[from]..row.first + row.bounds[to])
            .map(move |e| (u16_at(states + 2 * e), f64_at(emits + 8 * e)))
    }

    /// The bounds of each position's states in `live` (ascending by state).
    fn bounds(live: &[(usize, f64)]) -> [usize; 5] {
        let mut b = [0; 5];
        for pos in 0..4 {
            b[pos + 1] = live.partition_point(|&(s, _)| s / NUM_TAGS <= pos);
        }
        b
    }

    /// jieba's guess of the tag of a word its dictionary does not know: the tag of the longest
    /// span of the HMM's best path through the word (the last on ties), `x` when none.
    pub(super) fn guess(word: &str) -> &'static str {
        let cs: Vec<(usize, char)> = word.char_indices().collect();
        let mut best: Option<(usize, &'static str)> = None;
        spans(&cs, word.len(), &mut |a, b, tag| {
            if best.is_none_or(|(len, _)| b - a >= len) {
                best = Some((b - a, tag));
            }
        });
        best.map_or("x", |(_, t)| t)
    }

    fn tag(s: usize) -> &'static str {
        TAGS.get(s % NUM_TAGS).copied().unwrap_or("x")
    }

    /// The spans of the best path through `cs` (jieba-rs' `viterbi_posseg`), handed to `emit`.
    fn spans(cs: &[(usize, char)], end: usize, emit: &mut dyn FnMut(usize, usize, &'static str)) {
        let n = cs.len();
        let Some(&(first_at, first)) = cs.first() else {
            return;
        };
        if n == 1 {
            let mut best: Option<(f64, usize)> = None;
            for (s, em) in states(row(first), 3, 4) {
                let prob = start_prob(s) + em;
                if prob > MIN_FLOAT && best.is_none_or(|(p, _)| prob >= p) {
                    best = Some((prob, s));
                }
            }
            emit(first_at, end, best.map_or("x", |(_, s)| tag(s)));
            return;
        }
        let mut live: Vec<(usize, f64)> = states(row(first), 0, 4)
            .map(|(s, em)| (s, start_prob(s) + em))
            .filter(|&(_, p)| p > MIN_FLOAT)
            .collect();
        if live.is_empty() {
            emit(first_at, end, "x");
            return;
        }
        let mut b = bounds(&live);
        let mut prev = vec![u16::MAX; n * NUM_STATES];
        let mut next: Vec<(usize, f64)> = Vec::new();
        for (t, &(_, c)) in cs.iter().enumerate().skip(1) {
            next.clear();
            for (s, em) in states(row(c), 0, 4) {
                let (mut best_prob, mut best_prev) = (MIN_FLOAT, u16::MAX);
                for &pp in &PREV_POS[s / NUM_TAGS] {
                    for &(ps, pv) in &live[b[pp]..b[pp + 1]] {
                        let tp = trans_prob(s, ps);
                        if tp <= MIN_FLOAT {
                            continue;
                        }
                        let prob = pv + tp + em;
                        if prob > best_prob {
                            best_prob = prob;
                            best_prev = ps as u16;
                        }
                    }
                }
                prev[t * NUM_STATES + s] = best_prev;
                if best_prob > MIN_FLOAT {
                    next.push((s, best_prob));
                }
            }
            std::mem::swap(&mut live, &mut next);
            if live.is_empty() {
                emit(first_at, end, "x");
                return;
            }
            b = bounds(&live);
        }
        let (mut best_prob, mut best_state) = (MIN_FLOAT, usize::MAX);
        for pos in [2, 3] {
            for &(s, p) in &live[b[pos]..b[pos + 1]] {
                if p > best_prob {
                    best_prob = p;
                    best_state = s;
                }
            }
        }
        if best_state == usize::MAX || best_prob <= MIN_FLOAT {
            emit(first_at, end, "x");
            return;
        }
        let mut path = vec![0usize; n];
        path[n - 1] = best_state;
        for t in (1..n).rev() {
            path[t - 1] = usize::from(prev[t * NUM_STATES + path[t]]);
        }
        let byte_after = |t: usize| cs.get(t + 1).map_or(end, |&(at, _)| at);
        let mut word_start = first_at;
        let mut last_end = None;
        for (t, &s) in path.iter().enumerate() {
            match s / NUM_TAGS {
                0 => word_start = cs[t].0,
                2 => {
                    emit(word_start, byte_after(t), tag(s));
                    last_end = Some(byte_after(t));
                }
                3 => {
                    emit(cs[t].0, byte_after(t), tag(s));
                    last_end = Some(byte_after(t));
                }
                _ => {}
            }
        }
        match last_end {
            None => emit(first_at, end, "x"),
            Some(e) if e < end => emit(e, end, "x"),
            Some(_) => {}
        }
    }
}

/// `s` cut into words as jieba's `cut(s, false)` cuts it (`tests::words_are_jiebas_cut`): runs of
/// [`in_block`] characters by the most probable path through the dictionary's words (a
/// character no word covers counts as a word of frequency 1; on equal probability the longer
/// step wins), what that path leaves as single ASCII letters and digits joined into one word;
/// every other character a word of its own (`\r\n` one word).
pub fn words(s: &str) -> Vec<Word<'_>> {
    cut(s, false)
}

/// The words of `s` as jieba's `cut(s, hmm)` cuts it, handed to `emit` as byte ranges.
/// `emit(start, end, tag)`: each word's byte range, and for a word of the dictionary that the
/// best path took, its tag bits plus one (0: look it up).
fn for_each_word(s: &str, hmm: bool, emit: &mut impl FnMut(usize, usize, u32)) {
    let mut chars: Vec<(usize, char)> = Vec::with_capacity(s.len().min(256));
    let mut pos = 0;
    while let Some(first) = s[pos..].chars().next() {
        let inside = in_block(first);
        chars.clear();
        let mut end = pos;
        for (i, c) in s[pos..].char_indices() {
            if in_block(c) != inside {
                break;
            }
            chars.push((pos + i, c));
            end = pos + i + c.len_utf8();
        }
        if inside {
            cut_block(s, &chars, end, hmm, emit);
        } else {
            let mut k = 0;
            while let Some(&(at, c)) = chars.get(k) {
                if c == '\r' && chars.get(k + 1).is_some_and(|&(_, n)| n == '\n') {
                    emit(at, at + 2, 0);
                    k += 2;
                } else {
                    emit(at, at + c.len_utf8(), 0);
                    k += 1;
                }
            }
        }
        pos = end;
    }
}

/// The transducer's node after reading `c` from its root, and the output on the way, when `c`
/// is a character of the main Han block (`None` otherwise, or when the node does not fit the
/// cache): `Some(None)` when no word starts with `c`. Each character is walked once per process
/// (a table of 20,992 numbers, 168 KB, written by whichever thread needs it first; every thread
/// writes the same number), so [`cut_block`] starts a word at a Han character with one node
/// instead of three bytes' steps.
fn after_first(
    fst: &fst::raw::Fst<&'static [u8]>,
    c: char,
) -> Option<Option<(fst::raw::CompiledAddr, u64)>> {
    use std::sync::atomic::{AtomicU64, Ordering};
    const FIRST: u32 = 0x4E00;
    const SIZE: usize = 0x9FFF - 0x4E00 + 1;
    // 0: not walked yet; NONE: no word starts with the character; WALK: walk it each time;
    // else SOME | address << 32 | output.
    const NONE: u64 = 1;
    const WALK: u64 = 2;
    const SOME: u64 = 1 << 63;
    static AFTER: [AtomicU64; SIZE] = [const { AtomicU64::new(0) }; SIZE];
    let slot = AFTER.get((c as u32).checked_sub(FIRST)? as usize)?;
    let mut v = slot.load(Ordering::Relaxed);
    if v == 0 {
        let mut buf = [0u8; 4];
        let mut node = fst.root();
        let mut output = fst::raw::Output::zero();
        v = SOME;
        for &x in c.encode_utf8(&mut buf).as_bytes() {
            let Some(t) = node.find_input(x) else {
                v = NONE;
                break;
            };
            let t = node.transition(t);
            output = output.cat(t.out);
            node = fst.node(t.addr);
        }
        if v == SOME {
            let (addr, out) = (node.addr() as u64, output.value());
            v = if addr < 1 << 31 && out < 1 << 32 {
                SOME | addr << 32 | out
            } else {
                WALK
            };
        }
        slot.store(v, Ordering::Relaxed);
    }
    match v {
        NONE => Some(None),
        WALK => None,
        _ => Some(Some((
            ((v >> 32) & 0x7FFF_FFFF) as fst::raw::CompiledAddr,
            v & 0xFFFF_FFFF,
        ))),
    }
}

/// One run of [`in_block`] characters of the text `s` (`chars`: their byte offsets and
/// characters; `end`: the byte after the last), its words handed to `emit` as byte ranges.
fn cut_block(
    s: &str,
    chars: &[(usize, char)],
    end: usize,
    hmm: bool,
    emit: &mut impl FnMut(usize, usize, u32),
) {
    let b = s.as_bytes();
    let fst = dict().as_fst();
    let tag_of = |v: u64| (v & ((1 << TAG_BITS) - 1)) as u32 + 1;
    let n = chars.len();
    let byte_at = |i: usize| chars.get(i).map_or(end, |&(at, _)| at);
    // The dictionary words starting at each character: (start, end character, ln frequency,
    // tag bits plus one), by start.
    let mut edges: Vec<(usize, usize, f64, u32)> = Vec::with_capacity(2 * n + 4);
    let root = fst.root();
    for (i, &(start, c)) in chars.iter().enumerate() {
        let mut node = root;
        let mut output = fst::raw::Output::zero();
        let mut k = i; // the character being read
        let mut at = start;
        let mut next_char = byte_at(i + 1);
        // A character of the main Han block: the node after it, from the cache.
        if let Some(after) = after_first(fst, c) {
            let Some((addr, out)) = after else {
                continue; // no word starts with it
            };
            node = fst.node(addr);
            output = fst::raw::Output::new(out);
            at = next_char;
            k += 1;
            next_char = byte_at(k + 1);
            if node.is_final() {
                let v = output.cat(node.final_output()).value();
                edges.push((i, k, ((v >> TAG_BITS) as f64).ln(), tag_of(v)));
            }
        }
        while at < end {
            let Some(t) = node.find_input(b[at]) else {
                break;
            };
            let t = node.transition(t);
            output = output.cat(t.out);
            node = fst.node(t.addr);
            at += 1;
            if at == next_char {
                k += 1;
                next_char = byte_at(k + 1);
                if node.is_final() {
                    let v = output.cat(node.final_output()).value();
                    edges.push((i, k, ((v >> TAG_BITS) as f64).ln(), tag_of(v)));
                }
            }
        }
    }
    // The best path from each character to the end, computed from the end, as jieba does
    // (the same sums in the same order, so the same ties).
    let log_total = (DICT_TOTAL as f64).ln();
    let log1 = 0.0f64 - log_total;
    // (probability, end, the word's tag bits plus one: 0 for a character no word starts with).
    let mut route: Vec<(f64, usize, u32)> = vec![(0.0, 0, 0); n + 1];
    route[n] = (0.0, n, 0);
    let mut e = edges.len();
    for idx in (0..n).rev() {
        let mut best: Option<(f64, usize, u32)> = None;
        let mut from = e;
        while from > 0 && edges[from - 1].0 == idx {
            from -= 1;
        }
        for &(_, to, log_freq, tag) in &edges[from..e] {
            let prob = log_freq - log_total + route[to].0;
            if best.is_none_or(|(p, b, _)| prob > p || (prob == p && to > b)) {
                best = Some((prob, to, tag));
            }
        }
        e = from;
        route[idx] = best.unwrap_or((log1 + route[idx + 1].0, idx + 1, 0));
    }
    // A run of steps of one character: without the HMM (only ASCII letters and digits are
    // gathered) one word; with it (any character), as jieba's `cut_unjoined_run` has it, one
    // character stays one, a run the dictionary knows as a word stays single characters (the
    // path chose them over the word), any other run goes to the HMM.
    let run = |from: usize, to: usize, emit: &mut dyn FnMut(usize, usize, u32)| {
        let (a, z) = (byte_at(from), byte_at(to));
        if !hmm || to - from == 1 {
            emit(a, z, 0);
        } else if has_word(&s[a..z]) {
            for k in from..to {
                emit(byte_at(k), byte_at(k + 1), 0);
            }
        } else {
            for t in hmm_cutter().cut(&s[a..z], true) {
                emit(a + t.byte_start, a + t.byte_end, 0);
            }
        }
    };
    let mut x = 0;
    let mut left: Option<usize> = None;
    while x < n {
        let y = route[x].1;
        if y - x == 1 && (hmm || chars[x].1.is_ascii_alphanumeric()) {
            left.get_or_insert(x);
        } else {
            if let Some(start) = left.take() {
                run(start, x, emit);
            }
            emit(byte_at(x), byte_at(y), route[x].2);
        }
        x = y;
    }
    if let Some(start) = left {
        run(start, n, emit);
    }
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
    let tokens = words(&joined);
    let across = tokens
        .iter()
        .find(|t| t.byte_start < cut && t.byte_end > cut)?;
    let word = across.word;
    if word.chars().count() < 2 || !word.chars().all(text::is_han) {
        return None;
    }
    let (start, end) = (across.byte_start, across.byte_end);
    // Read apart, no token of either side may cross the word's edge.
    let left_alone = words(a);
    let right_alone = words(b);
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
    let tokens = words(window);
    let starts = tokens.iter().any(|t| t.byte_start == start);
    let ends = tokens.iter().any(|t| t.byte_end == end);
    starts && ends
}

/// The first word of `s` as the segmenter reads it.
pub fn first_word(s: &str) -> Option<&str> {
    let b = head(s, 6);
    words(b).first().map(|t| t.word)
}

/// The last word of `s` as the segmenter reads it.
pub fn last_word(s: &str) -> Option<&str> {
    let a = tail(s, 6);
    words(a).last().map(|t| t.word)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text file under `fixtures/` (real pages of several outlets, rule cases, clean
    /// stories).
    fn fixture_texts() -> Vec<String> {
        let mut out = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures"
        ))];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).expect("fixtures").flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p
                    .extension()
                    .is_some_and(|x| x == "txt" || x == "md" || x == "toml")
                {
                    if let Ok(t) = std::fs::read_to_string(&p) {
                        out.push(t);
                    }
                }
            }
        }
        out
    }

    #[test]
    fn words_are_jiebas_cut() {
        let j = jieba();
        let same = |s: &str| {
            let ours: Vec<(usize, usize)> = words(s)
                .iter()
                .map(|w| (w.byte_start, w.byte_end))
                .collect();
            let theirs: Vec<(usize, usize)> = j
                .cut(s, false)
                .iter()
                .map(|t| (t.byte_start, t.byte_end))
                .collect();
            assert_eq!(ours, theirs, "{s:?}");
        };
        for s in [
            "",
            "\r\n",
            "a\r\nb",
            "5G网络和4S店，iPhone15 Pro售价6999元。",
            "𠀀中国%-_.",
        ] {
            same(s);
        }
        let mut windows = 0;
        for text in fixture_texts() {
            // Every line whole, and windows of 12 characters (what split_word cuts) from
            // every third character.
            for line in text.lines() {
                same(line);
            }
            let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            for (k, &a) in starts.iter().enumerate().step_by(3) {
                let b = starts.get(k + 12).copied().unwrap_or(text.len());
                same(&text[a..b]);
                windows += 1;
            }
        }
        assert!(windows > 10_000, "{windows} windows");
    }

    #[test]
    fn after_first_is_the_walk_from_the_root() {
        let fst = dict().as_fst();
        let mut words = 0;
        for c in ('\u{4DFF}'..='\u{A000}').chain(['a', '，', '𠀀']) {
            let mut buf = [0u8; 4];
            let mut node = Some(fst.root());
            let mut output = fst::raw::Output::zero();
            for &x in c.encode_utf8(&mut buf).as_bytes() {
                node = node.and_then(|n| {
                    let t = n.transition(n.find_input(x)?);
                    output = output.cat(t.out);
                    Some(fst.node(t.addr))
                });
            }
            let walked = node.map(|n| (n.addr(), output.value()));
            let main = ('\u{4E00}'..='\u{9FFF}').contains(&c);
            // Twice: the first call fills the cache.
            for _ in 0..2 {
                assert_eq!(after_first(fst, c), main.then_some(walked), "{c}");
            }
            words += usize::from(walked.is_some());
        }
        assert!(words > 10_000, "{words}");
    }

    #[test]
    fn tags_are_jiebas() {
        let j = jieba();
        // Words the dictionary does not know with Han in them (the guesser's part).
        let mut guessed = 0;
        let mut same = |s: &str| {
            for hmm in [true, false] {
                let ours: Vec<(usize, usize, &str)> = tag(s, hmm)
                    .iter()
                    .map(|t| (t.byte_start, t.byte_end, t.tag))
                    .collect();
                let theirs: Vec<(usize, usize, &str)> = j
                    .tag(s, hmm)
                    .iter()
                    .map(|t| (t.byte_start, t.byte_end, t.tag))
                    .collect();
                assert_eq!(ours, theirs, "{s:?} (hmm: {hmm})");
                for &(a, b, t) in &ours {
                    assert_eq!(tag_of(&s[a..b]), t, "{:?} in {s:?}", &s[a..b]);
                }
                let cut: Vec<(usize, usize)> = cut(s, hmm)
                    .iter()
                    .map(|w| (w.byte_start, w.byte_end))
                    .collect();
                let tagged: Vec<(usize, usize)> = ours.iter().map(|&(a, b, _)| (a, b)).collect();
                assert_eq!(cut, tagged);
                for &(a, b, _) in &ours {
                    if !has_word(&s[a..b]) && s[a..b].chars().any(is_cjk) {
                        // Guessed here, not asked of jieba.
                        assert!(guess_tag(&s[a..b]).is_some(), "{:?}", &s[a..b]);
                        guessed += 1;
                    }
                }
            }
        };
        for s in [
            "",
            "\r\n",
            "5G网络和4S店，iPhone15 Pro售价6999元。",
            "𠀀中国%-_.㐀㐁+龘龘",
            "哔哩哔哩的的确确是是非非",
        ] {
            same(s);
        }
        let mut windows = 0;
        for text in fixture_texts() {
            for line in text.lines() {
                same(line);
            }
            // Windows of 10 characters from every seventh character.
            let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            for (k, &a) in starts.iter().enumerate().step_by(7) {
                let b = starts.get(k + 10).copied().unwrap_or(text.len());
                same(&text[a..b]);
                windows += 1;
            }
        }
        assert!(windows > 4_000, "{windows} windows");
        assert!(guessed > 1_000, "{guessed} guessed tags");
    }

    #[test]
    fn posseg_guesses_are_jiebas() {
        // jieba-rs' own guess for a word: its tag of the word by an instance without a
        // dictionary whose HMM reads a Han run as one word (what `guess_tag` asked before).
        fn theirs(w: &str) -> Option<String> {
            match tag_guesser().map(|j| j.tag(w, true)).as_deref() {
                Some([t]) if t.word == w => Some(t.tag.to_string()),
                _ => None,
            }
        }
        let mut compared = 0;
        let mut tags = std::collections::BTreeSet::new();
        for text in fixture_texts() {
            let cs: Vec<(usize, char)> = text.char_indices().collect();
            // Windows of one to eight characters from every fifth character: known words,
            // unknown words, characters the model has never seen, punctuation inside.
            for k in (0..cs.len()).step_by(5) {
                for len in 1..=8 {
                    let Some(&(a, _)) = cs.get(k) else { break };
                    let b = cs.get(k + len).map_or(text.len(), |&(at, _)| at);
                    let w = &text[a..b];
                    // What reaches the HMM: Han in it, no ASCII letter or digit (`guess_tag`).
                    let hmm =
                        w.chars().any(is_cjk) && !w.chars().any(|c| c.is_ascii_alphanumeric());
                    if let Some(t) = theirs(w).filter(|_| hmm) {
                        assert_eq!(posseg::guess(w), t, "{w:?}");
                        tags.insert(t);
                        compared += 1;
                    }
                    if b == text.len() {
                        break;
                    }
                }
            }
        }
        for w in ["龘", "龘龘", "㐀㐁", "𠀀", "哔哩哔哩", "习近平总书记"] {
            if let Some(t) = theirs(w) {
                assert_eq!(posseg::guess(w), t, "{w:?}");
            }
        }
        assert!(compared > 20_000, "{compared} words compared");
        assert!(tags.len() > 20, "{tags:?}");
        assert_eq!(posseg::TAGS.len(), 64);
    }

    #[test]
    fn dictionary_lookups_are_jiebas() {
        let j = jieba();
        for w in [
            "中国",
            "开源",
            "不存在的词",
            "的",
            "",
            "a",
            "弱智",
            "智能",
            "亲自",
            "自带",
        ] {
            assert_eq!(has_word(w), j.has_word(w), "{w}");
        }
        for w in [
            "弱智",
            "智能",
            "亲自",
            "自带",
            "影后",
            "呆子",
            "不存在的词",
            "中国共产党",
        ] {
            assert_eq!(suggest_freq(w), j.suggest_freq(w), "{w}");
        }
        assert!(has_word("中国") && !has_word("不存在的词"));
    }

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
