//! `typo/in-context`: a wrong character in a word (错别字), confirmed by the segmenter. See
//! [`DOCS`].

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::Deserialize;

use super::{self as typo, after_surname, Table, SURNAMES};
use crate::diagnostic::{Edit, Finding, Fix, Severity};
use crate::document::Document;
use crate::rules::{Fixability, OptionError, Rule, RuleEntry, RuleMeta};

mod page;
#[cfg(test)]
mod reference;
mod sentence;

pub const DOCS: &str = r#"## What it does

Off by default: on the 20,000-file bench tree it costs about a sixth of the whole run (0.69–
0.74 s of 4.1–4.4 s summed over threads), which puts the family at 33–34 % of the run, over
issue 18's budget of 30 %, and its recall on the public spelling-check sets is still low
(README, "Wrong characters"). Turn it on with `[rules."typo/in-context"]` or `--select`.

Reports a word written with a wrong character that sounds or looks like the right one (陪偿 for
赔偿, 贫脊 for 贫瘠, 按磨 for 按摩), when the context confirms it.

Candidates come from a table of real misspellings (`lints/typo-data/confusion-pairs.tsv`: 2,975
pairs from macro-correct's confusion dictionary, Apache-2.0, whole or cut into words along jieba's
segmentation, kept only where the wrong form is not a word of jieba's dictionary or of the
language model's lexicon and the right one is; see `scripts/build_typo_data.py`). A candidate is reported only when the
segmenter agrees, on the clause around it:

- the corrected clause is at least `min-gain` (natural log) more probable than the written one
  under jieba's word frequencies (e^4 ≈ 55 times by default);
- the corrected word comes out of the segmenter as one word, and the written form does not sit
  inside a longer word of the clause, nor right after a number (10时后: 时 is the hour);
- no person or place name (jieba's nr/ns tags, or a rare single character) touches it.

A second check finds a character one off a four-character idiom or set phrase (交相辉应 for
交相辉映, 夜慕降临 for 夜幕降临). The 34,630 four-character words tagged `i` or `l` in jieba's
dictionary (`lints/typo-data/idioms.txt`) are indexed by every three of their four characters;
where the text has three of them in place and a fourth that sounds or looks like the idiom's
(`lints/typo-data/similar-chars.tsv`, pycorrector's same-pinyin and same-stroke tables,
Apache-2.0), it is reported only when:

- the written character is a word of its own in the clause (not part of another word);
- the idiom comes out of the segmenter as one word, and the corrected clause is at least
  `min-idiom-gain` (natural log, default 14: about a million times) more probable;
- the written character is at least as common as the idiom's (jieba's frequencies): a slip of
  the keyboard gives the commoner character of a pair (应 for 映), a rarer one is chosen on
  purpose (闻汛而动 in flood news, 以工哺农 as a policy term);
- the written character does not recur within six characters (头疼医头、脚疼医脚 is parallel on
  purpose), the idiom's character is not within eight (授人以鱼不如授人以渔 is a contrast), and
  the idiom is not made of numerals (党的十八届 is not 第十八届).

A third check, off unless `language-model = true`, weighs one character no table lists with a language model of Chinese
(`lints/typo-data/lm.bin`: a pruned word bigram of open-gram, CC BY-SA 3.0, see
`scripts/build_typo_lm.py`). A Han character that the segmenter leaves as a word of its own is
replaced by each character alike in sound or shape (`similar-chars.tsv`); it is reported when:

- the replacement makes a word of the segmenter's dictionary with a neighbour (规模 for 规磨),
  the written characters are no word, and the segmenter reads that word in the corrected text;
- it is not in quotation marks (slogans coin puns on purpose: “智绘未来”), not after a
  common surname or a surname itself that starts a name (彭湃), and the model's corpus did not
  see the written pair as two words side by side (提质);
- the written pair does not recur in the article (思政课, 抗疫: words newer than the
  dictionary are written again and again; a slip is not);
- the corrected window (six characters either side, within the clause) costs at least
  `min-lm-gain` (natural log, default 10: about 22,000 times more probable) less under the model,
  and 6 more where the written character is rarer than the suggested one (a slip gives the
  commoner character). Of two neighbours both suspect, the better reading is reported.

A fourth check, also run only with `language-model = true`, finds a wrong character inside
a valid word or next to one (形式 for 形势, 严历 for 严厉, 在次 for 再次): every Han character
of a clause is tried with each character alike in sound or shape (`similar-chars.tsv`) that
makes a word of 2 to 4 characters of both the model and the segmenter's dictionary (used at
least 50 times) with its written neighbours. It is reported when the window of six characters
either side (within the clause) costs at least `min-sentence-gain` (natural log, default 8:
about 3,000 times more probable) less under the model with the character replaced, and:

- 6 more where the written characters are a word of the dictionary themselves (used 500 times
  or more: 形式 is a reading of its own);
- 2 × ln(f(suggested) / f(written)) more where the two sound alike only and the written
  character is the rarer (a pinyin slip gives the commoner character; 抗疫 is picked on
  purpose, not a slip for 抗议);
- not next to a number or numeral, not in quotation marks or titles, not after a common
  surname unless the word takes the character before it (严厉), not where the corrected word
  would take a character out of a word the segmenter reads in the written clause (货箱到人:
  想到 would break 货箱), and not where the written form recurs in the article.

Both language-model checks also leave alone a character in a parallel phrase (written again
within six characters in the sentence, or a neighbour repeated two to four characters away:
复工复产复商复市, 考人与考事), a name the segmenter's HMM reads (巴祖姆, 佐科; a given name
after a surname: 陈严历), and need 3 more where the two characters are alike in shape only
(copy is typed by pinyin) and, in the fourth check, 4 more where the written characters are a
word of the dictionary or the model at all (车企).

Of two suspects of one clause a character or two apart, the better reading is reported. On the papers' copy
its findings are still mostly new compounds of news language that a 2010 model does not know
(提质, 焕新, 智造): see the README.

Only body text is read: headlines, captions, credits, datelines and 《》 titles are left alone.

## Why

A wrong character survives spell checking because each character is valid; copy desks count it
as the first error class (《报纸期刊质量管理规定》: at most 3 errors per 10,000 characters).

## Examples

Reported:

    保险公司按合同陪偿了全部损失。          (陪偿 → 赔偿: 音近)
    公司决定扩大生产规磨。                  (磨 → 模: 音近, 规模)
    这里土地贫脊，缺水少雨。                (贫脊 → 贫瘠: 形近)
    烟花秀交相辉应，人们在喜庆的气氛中。    (交相辉应 → 交相辉映: 音近)

Not reported:

    保险公司按合同赔偿了全部损失。          (right)
    《陪偿》是一部小说。                    (inside a title)

## Options

- `min-gain` (number): how much more probable, as a natural log, the corrected
  clause must be.
- `min-idiom-gain` (number): the same for a character one off an idiom (set on
  the even-numbered sentences of the spelling-check sets, see `scripts/csc_eval.py`).
- `language-model` (bool): run the third and fourth checks. On the spelling-check sets they
  are precise (test split, README), but on the papers' copy their findings (about 1,300 in
  the four corpora) are coined words and terms (鼓粒, 提质, 焕新, 智造), not slips, and the
  fourth check costs about 35,000 instructions a character: opt-in until it knows them.
- `min-lm-gain` (number): the language model's margin for one character no table
  lists (set on the same dev split).
- `min-sentence-gain` (number): the language model's margin for a wrong character inside a
  word, the fourth check (set on the same dev split).

## Fix safety

Unsafe: the fix puts the suggested character in, which a name or a quotation may not want.
"#;

pub static META: RuleMeta = RuleMeta {
    id: Cow::Borrowed("typo/in-context"),
    summary: Cow::Borrowed("A wrong character in a word (陪偿 → 赔偿), confirmed by the segmenter in context"),
    default_severity: Severity::Warning,
    default_enabled: false,
    fix: Fixability::Unsafe,
    docs: Cow::Borrowed(DOCS),
    // The defaults: `min-lm-gain` was set on the dev split of the spelling-check sets.
    options: Cow::Borrowed("# How much more probable (natural log) the corrected clause must be\nmin-gain = 4.0\n# The same for a character one off a four-character idiom (交相辉应 → 交相辉映)\nmin-idiom-gain = 14.0\n# The same under the language model, for a character no table lists (具下 → 具有)\nmin-lm-gain = 10.0\n# The same for a wrong character inside a word (形式 → 形势), over the words either side\nmin-sentence-gain = 8.0\n# Run those two checks (off: on news copy its findings are coined words, see the docs)\nlanguage-model = false\n"),
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build };

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    min_gain: f64,
    min_idiom_gain: f64,
    min_lm_gain: f64,
    min_sentence_gain: f64,
    language_model: bool,
}

fn build(table: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
    let o: Options = crate::rules::parse_options(&META, table)?;
    if !o.min_gain.is_finite() || o.min_gain < 0.0 {
        return Err(OptionError {
            key: Some("min-gain".into()),
            message: "`min-gain` must be a number ≥ 0".into(),
        });
    }
    if !o.min_idiom_gain.is_finite() || o.min_idiom_gain < 0.0 {
        return Err(OptionError {
            key: Some("min-idiom-gain".into()),
            message: "`min-idiom-gain` must be a number ≥ 0".into(),
        });
    }
    if !o.min_lm_gain.is_finite() || o.min_lm_gain < 0.0 {
        return Err(OptionError {
            key: Some("min-lm-gain".into()),
            message: "`min-lm-gain` must be a number ≥ 0".into(),
        });
    }
    if !o.min_sentence_gain.is_finite() || o.min_sentence_gain < 0.0 {
        return Err(OptionError {
            key: Some("min-sentence-gain".into()),
            message: "`min-sentence-gain` must be a number ≥ 0".into(),
        });
    }
    Ok(Box::new(InContext {
        min_gain: o.min_gain,
        min_idiom_gain: o.min_idiom_gain,
        min_lm_gain: o.min_lm_gain,
        min_sentence_gain: o.min_sentence_gain,
        language_model: o.language_model,
    }))
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        Table::parse(include_str!(
            "../../../../../lints/typo-data/confusion-pairs.tsv"
        ))
    })
}

struct InContext {
    min_gain: f64,
    min_idiom_gain: f64,
    min_lm_gain: f64,
    min_sentence_gain: f64,
    language_model: bool,
}

impl Rule for InContext {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let t = table();
        let mut all: Option<String> = None;
        for (_, base, s) in typo::body_pieces(doc) {
            let scan = scan(s, true);
            let mut titles = None;
            for m in scan.table {
                let titles = titles.get_or_insert_with(|| typo::title_spans(s));
                if titles.iter().any(|r| r.start <= m.start && m.end <= r.end) {
                    continue;
                }
                let wrong = &s[m.clone()];
                let Some(&(right, why)) = t.entries.get(wrong) else {
                    continue;
                };
                // After a number the form's first character is a unit or a clock time (10时后:
                // 时 is the hour, not a slip for 之).
                if s[..m.start].chars().next_back().is_some_and(is_number) {
                    continue;
                }
                if let Some(f) = confirm(s, m.clone(), right, why, self.min_gain) {
                    out.push(shift(f, base));
                }
            }
            let titles = match titles {
                Some(t) => t,
                None if s.contains('《') => typo::title_spans(s),
                None => Vec::new(),
            };
            let mut more = idiom_findings_in(s, &scan.windows, &titles, self.min_idiom_gain);
            if self.language_model {
                let all = all.get_or_insert_with(|| {
                    typo::body_pieces(doc)
                        .map(|x| x.2)
                        .collect::<Vec<_>>()
                        .join("\n")
                });
                // Titles and quotations: where copy quotes as published and coins on purpose
                // (“智绘未来”, “京彩”).
                let mut skip = crate::document::quotes::spans(s);
                skip.extend(titles.iter().cloned());
                more.extend(lm_findings(s, all, &skip, self.min_lm_gain));
                more.extend(sentence::findings(
                    s,
                    all,
                    &skip,
                    &similar,
                    self.min_sentence_gain,
                ));
            }
            for f in more {
                if !out.iter().any(|g| {
                    g.range.start < f.range.end + base && f.range.start + base < g.range.end
                }) {
                    out.push(shift(f, base));
                }
            }
        }
    }
}

/// A digit (ASCII or full-width) or a Chinese numeral.
fn is_number(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c) || NUMERALS.contains(c)
}

/// Move a finding made on a piece to document offsets.
fn shift(mut f: Finding, base: usize) -> Finding {
    f.range = f.range.start + base..f.range.end + base;
    for l in &mut f.labels {
        l.range = l.range.start + base..l.range.end + base;
    }
    if let Some(fix) = &mut f.fix {
        for e in &mut fix.edits {
            e.range = e.range.start + base..e.range.end + base;
        }
    }
    f
}

/// The finding for `s[r]` written for `right`, if the segmenter confirms it.
fn confirm(
    s: &str,
    r: std::ops::Range<usize>,
    right: &str,
    why: &str,
    min_gain: f64,
) -> Option<Finding> {
    const WINDOW: usize = 12;
    let c = typo::clause(s, r.start, r.end, WINDOW);
    let written = &s[c.clone()];
    let local = r.start - c.start..r.end - c.start;
    let corrected = format!(
        "{}{right}{}",
        &written[..local.start],
        &written[local.end..]
    );
    let seg_w = typo::segment(written);
    // The written form inside a longer word (逆竟 in a name, a word of the dictionary that
    // the table does not know) is no error of this shape.
    if !seg_w.boundary_at(local.start) || !seg_w.boundary_at(local.end) {
        return None;
    }
    let seg_c = typo::segment(&corrected);
    let local_c = local.start..local.start + right.len();
    if !seg_c.has_token(&local_c) {
        return None;
    }
    if typo::near_name(&seg_c, &corrected, &local_c) {
        return None;
    }
    let gain = seg_c.logp - seg_w.logp;
    if gain < min_gain {
        return None;
    }
    let wrong = &s[r.clone()];
    let diffs = typo::differing(wrong, right, r.start);
    let (a, b): (String, String) = diffs.iter().map(|(_, x, y)| (*x, *y)).unzip();
    let relation = match why {
        "音近" | "形近" => format!("“{a}”与“{b}”{why}"),
        "音形皆近" => format!("“{a}”与“{b}”音近、形近"),
        _ => format!("“{b}”常被误写作“{a}”"),
    };
    let edits = diffs
        .iter()
        .map(|(range, _, y)| Edit {
            range: range.clone(),
            replacement: y.to_string(),
        })
        .collect();
    Some(
        Finding::new(r, format!("“{wrong}”疑为“{right}”之误"))
            .label(format!("应为“{right}”"))
            .help(format!(
                "{relation}；此处应为“{right}”（按分词词频，改后的分句可能性高约 {:.0} 倍）",
                gain.exp().min(1e9)
            ))
            .fix(Fix::unsafe_(edits)),
    )
}

/// The four-character idioms and set phrases of jieba's dictionary (`idioms.txt`), indexed by
/// each three-of-four: the key of a word with one position masked, and the character that fills
/// it. Built by `build.rs` into `OUT_DIR/idioms.bin` (its layout is documented there) and read in
/// place, so a run pays nothing to load it: the sorted keys with their fills and their buckets
/// (about 1.6 MB), bit sets of the masked keys and of the whole idioms (256 KiB each), and a
/// filter of the slips the check can report (512 KiB) that nearly every window of text fails.
struct Idioms {
    /// `masked key << 15 | (fill - U+4E00)`, ascending, as little-endian `u64`s.
    keyed: &'static [u8],
    /// For each bucket (a key's mask position and first character, `key >> 30`), where its
    /// entries of `keyed` start, as little-endian `u32`s.
    buckets: &'static [u8],
    /// Hashed masked keys; hashed whole idioms.
    key_bits: &'static [u8],
    whole_bits: &'static [u8],
    /// Hashed four characters that are an idiom with one character replaced by one alike in
    /// sound or shape and at least as common (a hash: a bit may be set for other windows, never
    /// missing for one of those).
    slip_words: &'static [u8; 8 << SLIP_WORDS],
}

/// The bits of `build.rs`' hashes (`idiom_tables`).
const KEY_BITS: u32 = 21;
const SLIP_WORDS: u32 = 16;

static IDIOMS_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/idioms.bin"));

fn mix(v: u64, bits: u32) -> usize {
    (v.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
}

fn bit(set: &[u8], i: usize) -> bool {
    (set[i >> 3] >> (i & 7)) & 1 == 1
}

fn le_u64(b: &[u8], i: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[i * 8..i * 8 + 8]);
    u64::from_le_bytes(a)
}

fn le_u32(b: &[u8], i: usize) -> usize {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[i * 4..i * 4 + 4]);
    u32::from_le_bytes(a) as usize
}

/// Four characters' offsets from U+4E00, 15 bits each, the first highest.
fn whole_key(w: [char; 4]) -> Option<u64> {
    w.iter().try_fold(0u64, |k, &c| {
        let v = (c as u32).checked_sub(0x4E00).filter(|&v| v < 0x8000)?;
        Some((k << 15) | u64::from(v))
    })
}

impl Idioms {
    /// The characters that fill `key`'s masked position.
    fn fills(&self, key: u64) -> impl Iterator<Item = char> + '_ {
        let b = (key >> 30) as usize;
        let (mut lo, mut hi) = (le_u32(self.buckets, b), le_u32(self.buckets, b + 1));
        // A bucket holds every idiom with this mask and first character (hundreds for 一):
        // the key's run is found by binary search.
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if le_u64(self.keyed, mid) >> 15 < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let n = self.keyed.len() / 8;
        (lo..n)
            .map(|j| le_u64(self.keyed, j))
            .take_while(move |&x| x >> 15 == key)
            .filter_map(|x| char::from_u32(0x4E00 + (x & 0x7FFF) as u32))
    }

    /// Whether some idiom has the three characters of `key` in place.
    fn may_have(&self, key: u64) -> bool {
        bit(self.key_bits, mix(key, KEY_BITS))
    }

    /// Whether the four characters whose [`whole_key`] is `whole` may be one off an idiom, as a
    /// slip the check reports.
    fn may_slip(&self, whole: u64) -> bool {
        // A word of 64 bits picked by one hash, three of its bits by a second: one read, where
        // two bit sets under two hashes (the filter before) cost a second cache miss for one
        // window in nine, which perf put at a quarter of the pass. It passes 0.64 % of random
        // windows.
        let at = mix(whole, SLIP_WORDS) * 8;
        let word = u64::from_le_bytes(self.slip_words[at..at + 8].try_into().expect("8 bytes"));
        let h = whole.wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
        let mask = (1 << (h >> 58)) | (1 << ((h >> 52) & 63)) | (1 << ((h >> 46) & 63));
        word & mask == mask
    }

    /// Whether the four characters are an idiom themselves.
    fn is_idiom(&self, w: [char; 4]) -> bool {
        whole_key(w).is_some_and(|whole| bit(self.whole_bits, mix(whole, KEY_BITS)))
            && masked_key(w, 0).is_some_and(|key| self.fills(key).any(|c| c == w[0]))
    }
}

/// The key of four Han characters (U+4E00..U+CDFF, 15 bits each) with position `k` masked.
fn masked_key(w: [char; 4], k: usize) -> Option<u64> {
    let mut key = k as u64;
    for (i, &c) in w.iter().enumerate() {
        if i == k {
            continue;
        }
        let v = (c as u32).checked_sub(0x4E00).filter(|&v| v < 0x8000)?;
        key = (key << 15) | u64::from(v);
    }
    Some(key)
}

fn idioms() -> &'static Idioms {
    static I: OnceLock<Idioms> = OnceLock::new();
    I.get_or_init(|| {
        let n = le_u32(IDIOMS_BIN, 0);
        let (keyed, rest) = IDIOMS_BIN[4..].split_at(8 * n);
        let (buckets, rest) = rest.split_at(4 * ((1 << 17) + 1));
        let (key_bits, rest) = rest.split_at(1 << (KEY_BITS - 3));
        let (whole_bits, slip_words) = rest.split_at(1 << (KEY_BITS - 3));
        let slip_words = slip_words
            .try_into()
            .expect("idioms.bin as build.rs writes it");
        Idioms {
            keyed,
            buckets,
            key_bits,
            whole_bits,
            slip_words,
        }
    })
}

/// `similar-chars.tsv` as `build.rs` writes it (`similar_chars`): (character, alike in sound,
/// alike in shape, jieba frequency, at least 1), sorted by character.
static SIMILAR: &[(char, &str, &str, f64)] =
    include!(concat!(env!("OUT_DIR"), "/similar_chars.rs"));

/// The characters alike in sound and in shape to `c`, and `c`'s jieba frequency.
fn similar(c: char) -> Option<(&'static str, &'static str, f64)> {
    SIMILAR
        .binary_search_by(|x| x.0.cmp(&c))
        .ok()
        .map(|i| (SIMILAR[i].1, SIMILAR[i].2, SIMILAR[i].3))
}

/// Hashed first two characters of the wrong forms of [`table`] (all U+4E00..U+9FFF: see the
/// tests), as [`scan`] keeps them: their offsets from U+4E00, 15 bits each, the first higher.
fn head_bits() -> &'static [u64; 1 << (HEAD_BITS - 6)] {
    static B: OnceLock<Box<[u64; 1 << (HEAD_BITS - 6)]>> = OnceLock::new();
    B.get_or_init(|| {
        let mut bits: Box<[u64; 1 << (HEAD_BITS - 6)]> = vec![0u64; 1 << (HEAD_BITS - 6)]
            .into_boxed_slice()
            .try_into()
            .expect("the bit set's length");
        for key in table().head_keys() {
            // `Table`'s head key: the first character's code point above bit 21.
            let (a, b) = (key >> 21, key & 0x1F_FFFF);
            let pair =
                ((a.wrapping_sub(0x4E00) & 0x7FFF) << 15) | (b.wrapping_sub(0x4E00) & 0x7FFF);
            let h = mix(pair, HEAD_BITS);
            bits[h >> 6] |= 1 << (h & 63);
        }
        bits
    })
}

const HEAD_BITS: u32 = 20;

/// What one pass over a piece finds for the two checks of the table and of the idioms.
#[derive(Default)]
struct Scan {
    /// The table's wrong forms in the piece, as [`Table::find_iter`] finds them.
    table: Vec<std::ops::Range<usize>>,
    /// Windows of four Han characters that may be one off an idiom: the character index of the
    /// first and the four characters.
    windows: Vec<(usize, [char; 4])>,
}

/// One pass over `s`, a character at a time: the forms of [`table`] (with `forms`) and the
/// windows worth the idiom check.
fn scan(s: &str, forms: bool) -> Scan {
    if forms {
        scan_with::<true>(s)
    } else {
        scan_with::<false>(s)
    }
}

/// [`scan`], with `FORMS` for its `forms`.
///
/// The pass goes from one run of Han characters (U+4E00..U+9FFF, three bytes each) to the
/// next. Inside a run a character's byte offset and index follow from its place in the run, so
/// the loop over it keeps little more than the last four characters' offsets from U+4E00 in one
/// word (`whole_key`'s layout, whose low 30 bits are the pair the table's head bits are hashed
/// by: [`head_bits`]) and takes each character's bytes by a slice pattern.
#[inline(never)]
fn scan_with<const FORMS: bool>(s: &str) -> Scan {
    let ix = idioms();
    let t = table();
    let heads = head_bits();
    let mut out = Scan::default();
    // A form found ends here: the next may start no earlier.
    let mut skip_to = 0usize;
    let b = s.as_bytes();
    let mut rest = b;
    // The index of the character `rest` starts with.
    let mut idx = 0usize;
    loop {
        // The run of Han characters that `rest` starts with, if any.
        let start = b.len() - rest.len();
        let mut whole = 0u64;
        let mut k = 0usize;
        // A Han character has a lead byte E4..E9 (U+4000..U+9FFF) and two continuation bytes
        // (`s` is UTF-8); U+4000..U+4DFF ends the run.
        while let [x @ 0xE4..=0xE9, b1, b2, ref tail @ ..] = *rest {
            let v =
                (u64::from(x & 0x0F) << 12) | (u64::from(b1 & 0x3F) << 6) | u64::from(b2 & 0x3F);
            let Some(v) = v.checked_sub(0x4E00) else {
                break;
            };
            rest = tail;
            whole = ((whole << 15) | v) & ((1 << 60) - 1);
            if FORMS && k >= 1 {
                // The pair of the character before and this one; the form would start at the
                // one before.
                let prev = start + 3 * (k - 1);
                let h = mix(whole & ((1 << 30) - 1), HEAD_BITS);
                if (heads[h >> 6] >> (h & 63)) & 1 == 1 && prev >= skip_to {
                    if let Some(n) = t.match_at(s, prev) {
                        out.table.push(prev..prev + n);
                        skip_to = prev + n;
                    }
                }
            }
            if k >= 3 && ix.may_slip(whole) {
                let w = [3u32, 2, 1, 0].map(|j| {
                    char::from_u32(0x4E00 + ((whole >> (15 * j)) & 0x7FFF) as u32).unwrap_or('\0')
                });
                out.windows.push((idx + k - 3, w));
            }
            k += 1;
        }
        idx += k;
        // The character after the run (or a Han character below U+4E00, or nothing).
        match *rest {
            [x, ..] => {
                rest = &rest[usize::from(crate::text::UTF8_WIDTH[usize::from(x)]).max(1)..];
                idx += 1;
            }
            [] => break,
        }
    }
    out
}

/// Chinese numerals: an idiom with two of them (第十八届) is made of numbers, not fixed.
const NUMERALS: &str = "零〇一二三四五六七八九十百千万亿两";

/// Findings for a character one off a four-character idiom (交相辉应 → 交相辉映): the written
/// four characters are not a word, the character is a word of its own in the written clause, it
/// sounds or looks like the idiom's, and the idiom makes the clause at least `min_gain` (natural
/// log) more probable. Left alone: a character repeated nearby (头疼医头、脚疼医脚: parallel on
/// purpose), the idiom's character nearby (授人以鱼不如授人以渔: a contrast), idioms of numbers.
#[cfg(test)]
fn idiom_findings(s: &str, titles: &[std::ops::Range<usize>], min_gain: f64) -> Vec<Finding> {
    idiom_findings_in(s, &scan(s, false).windows, titles, min_gain)
}

/// [`idiom_findings`] for the windows [`scan`] found in `s`.
fn idiom_findings_in(
    s: &str,
    windows: &[(usize, [char; 4])],
    titles: &[std::ops::Range<usize>],
    min_gain: f64,
) -> Vec<Finding> {
    let ix = idioms();
    let mut out = Vec::new();
    // The piece's characters, collected for the first window that reaches the checks.
    let mut chars: Option<Vec<(usize, char)>> = None;
    let mut fills: Vec<char> = Vec::new();
    for &(st, w) in windows {
        // An idiom written right: every mask of it is filled by the written character.
        let mut checked_whole = false;
        for k in 0..4 {
            let Some(key) = masked_key(w, k) else {
                continue;
            };
            if !ix.may_have(key) {
                continue;
            }
            if !checked_whole {
                checked_whole = true;
                if ix.is_idiom(w) {
                    break;
                }
            }
            let written = w[k];
            fills.clear();
            fills.extend(ix.fills(key));
            if fills.is_empty() || fills.contains(&written) {
                // No idiom; or another idiom with this character is written.
                continue;
            }
            let Some((sound, shape, f_written)) = similar(written) else {
                continue;
            };
            for &c in &fills {
                let Some(relation) = page::relation(sound, shape, c) else {
                    continue;
                };
                // A typist's slip gives the commoner character of a pair (应 for 映); a rarer
                // one is chosen: a pun (闻汛而动 in flood news), a coined term (以工哺农).
                let f_c = similar(c).map_or(1.0, |x| x.2);
                if f_written < f_c {
                    continue;
                }
                let i = st + k;
                let chars = chars.get_or_insert_with(|| s.char_indices().collect());
                if let Some(f) = idiom_confirm(s, chars, st, i, c, relation, titles, min_gain) {
                    out.push(f);
                }
            }
        }
    }
    out
}
/// The checks of [`idiom_findings`] for the idiom at `chars[st..st + 4]` read with `c` at `i`.
#[allow(clippy::too_many_arguments)]
fn idiom_confirm(
    s: &str,
    chars: &[(usize, char)],
    st: usize,
    i: usize,
    c: char,
    relation: &str,
    titles: &[std::ops::Range<usize>],
    min_gain: f64,
) -> Option<Finding> {
    let written = chars[i].1;
    let start = chars[st].0;
    let end = chars.get(st + 4).map_or(s.len(), |x| x.0);
    if titles.iter().any(|r| r.start <= start && end <= r.end) {
        return None;
    }
    let near = |lo: usize, hi: usize, x: char| chars[lo..hi].iter().any(|&(_, y)| y == x);
    let lo6 = i.saturating_sub(6);
    let hi6 = (i + 7).min(chars.len());
    let lo8 = i.saturating_sub(8);
    let hi8 = (i + 9).min(chars.len());
    if near(lo6, i, written) || near(i + 1, hi6, written) || near(lo8, i, c) || near(i + 1, hi8, c)
    {
        return None;
    }
    let idiom: String = (st..st + 4)
        .map(|j| if j == i { c } else { chars[j].1 })
        .collect();
    if idiom.chars().filter(|x| NUMERALS.contains(*x)).count() >= 2 {
        return None;
    }
    let at = chars[i].0;
    let at_end = at + written.len_utf8();
    let cl = typo::clause(s, start, end, 12);
    let clause = &s[cl.clone()];
    let local = at - cl.start..at_end - cl.start;
    let seg_w = typo::segment(clause);
    // The written character is a word of its own: inside a word it is that word's.
    if !seg_w.has_token(&local) {
        return None;
    }
    let corrected = format!("{}{c}{}", &clause[..local.start], &clause[local.end..]);
    let word = start - cl.start..start - cl.start + idiom.len();
    let seg_c = typo::segment(&corrected);
    if !seg_c.has_token(&word) {
        return None;
    }
    let gain = seg_c.logp - seg_w.logp;
    if gain < min_gain {
        return None;
    }
    let wrong = &s[start..end];
    Some(
        Finding::new(start..end, format!("“{wrong}”疑为“{idiom}”之误"))
            .label(format!("应为“{c}”"))
            .help(format!(
                "“{written}”与“{c}”{relation}；此处应为四字语“{idiom}”（按分词词频，改后的分句可能性高约 {:.0} 倍）",
                gain.exp().min(1e9)
            ))
            .fix(Fix::unsafe_(vec![Edit {
                range: at..at_end,
                replacement: c.to_string(),
            }])),
    )
}

/// The least dictionary frequency of the word a correction makes.
const LM_MIN_WORD_FREQ: u64 = 20;

/// What a written character rarer than the suggested one adds to `min-lm-gain`.
const LM_RARER: f64 = 6.0;

/// Findings for one wrong character that no table lists, judged by the language model
/// ([`super::lm`]): a Han character that the segmenter leaves as a word of its own, next to
/// another such character; replaced by one that sounds or looks like it
/// (`similar-chars.tsv`), it makes a word of the dictionary with a neighbour that the written
/// character does not, the segmenter reads that word as a word in the corrected text, and the
/// corrected window costs at least `min_gain` (natural log) less under the model.
fn lm_findings(s: &str, all: &str, skip: &[std::ops::Range<usize>], min_gain: f64) -> Vec<Finding> {
    let lm = super::lm::lm();
    let mut out: Vec<(f64, usize, Finding)> = Vec::new();
    let words = crate::segment::words(s);
    // Character indices, for the parallel-phrase guard (built on the first candidate).
    let mut chars: Option<Vec<(usize, char)>> = None;
    for &t in &words {
        let mut cs = t.word.chars();
        if !(cs.next().is_some_and(crate::text::is_han) && cs.next().is_none()) {
            continue;
        }
        // Titles and quotations (“智绘未来”: slogans coin puns on purpose).
        if skip
            .iter()
            .any(|r| r.start <= t.byte_start && t.byte_end <= r.end)
        {
            continue;
        }
        let Some(written) = t.word.chars().next() else {
            continue;
        };
        let Some((sound, shape, f_w)) = similar(written) else {
            continue;
        };
        if after_surname(s, t.byte_start) || starts_name(s, t.byte_start, written) {
            continue;
        }
        let before = &s[..t.byte_start];
        let after = &s[t.byte_end..];
        let b1: Vec<char> = before.chars().rev().take(2).collect();
        let a1: Vec<char> = after.chars().take(2).collect();
        let han_b = b1.first().copied().filter(|&c| crate::text::is_han(c));
        let han_a = a1.first().copied().filter(|&c| crate::text::is_han(c));
        // The words the correction would make with the neighbours, as (chars before, chars after).
        let mut best: Option<(f64, char, String, &'static str)> = None;
        let mut seen = String::new();
        for c in sound.chars().chain(shape.chars()) {
            if c == written || seen.contains(c) {
                continue;
            }
            seen.push(c);
            let Some(relation) = page::relation(sound, shape, c) else {
                continue;
            };
            let mut made: Option<String> = None;
            let mut try_word = |pre: &[char], post: &[char]| {
                if made.is_some() {
                    return;
                }
                let w: String = pre.iter().rev().chain([c].iter()).chain(post).collect();
                let x: String = pre
                    .iter()
                    .rev()
                    .chain([written].iter())
                    .chain(post)
                    .collect();
                // The written form again in the piece: written so on purpose (思政课, 抗疫), a
                // word the dictionary is too old to know.
                if crate::segment::dict_freq(&w).is_some_and(|f| f >= LM_MIN_WORD_FREQ)
                    && crate::segment::dict_freq(&x).is_none()
                    && all.matches(x.as_str()).nth(1).is_none()
                    && !attested(lm, pre, written, post)
                {
                    made = Some(w);
                }
            };
            if let Some(bc) = han_b {
                try_word(&[bc], &[]);
            }
            if let Some(ac) = han_a {
                try_word(&[], &[ac]);
            }
            if let (Some(bc), Some(ac)) = (han_b, han_a) {
                try_word(&[bc], &[ac]);
            }
            let Some(word) = made else {
                continue;
            };
            // A typist's slip gives the commoner character of a pair; a rarer written one needs
            // more evidence.
            let f_c = similar(c).map_or(1.0, |x| x.2);
            let mut need = if f_w >= f_c {
                min_gain
            } else {
                min_gain + LM_RARER
            };
            if relation == "形近" {
                need += page::SHAPE_MARGIN;
            }
            let gain = lm_gain(s, t.byte_start, t.byte_end, c, &word);
            if gain.is_some_and(|g| g >= need && best.as_ref().is_none_or(|b| g > b.0)) {
                best = gain.map(|g| (g, c, word, relation));
            }
        }
        let Some((gain, c, word, relation)) = best else {
            continue;
        };
        // The page's design: a parallel phrase (早诊早治), a name the segmenter reads (佐科).
        let chars = chars.get_or_insert_with(|| s.char_indices().collect());
        let i = chars.partition_point(|x| x.0 < t.byte_start);
        let start = if word.starts_with(c) {
            t.byte_start
        } else {
            han_b.map_or(t.byte_start, |b| t.byte_start - b.len_utf8())
        };
        if page::parallel(chars, i) || page::read_as_name(s, t.byte_start, start) {
            continue;
        }
        // Two neighbours both suspect (意议: 异议 or 意义): the better reading only.
        if let Some((g, _, _)) = out.last().filter(|(_, end, _)| *end == t.byte_start) {
            if *g >= gain {
                continue;
            }
            out.pop();
        }
        let f = page::finding(s, t.byte_start..t.byte_end, c, relation, &word, gain);
        out.push((gain, t.byte_end, f));
    }
    out.into_iter().map(|x| x.2).collect()
}

/// Whether the written characters were seen together in the language model's corpus: both
/// neighbours of the pair are words of the model and it kept their bigram (提质, 化险: new
/// compounds written as two one-character words).
fn attested(lm: &super::lm::Lm, pre: &[char], written: char, post: &[char]) -> bool {
    let mut buf = [0u8; 4];
    let w = written.encode_utf8(&mut buf);
    let mut b = [0u8; 4];
    pre.first()
        .is_some_and(|&p| lm.has_bigram(p.encode_utf8(&mut b), w))
        || post
            .first()
            .is_some_and(|&q| lm.has_bigram(w, q.encode_utf8(&mut b)))
}

/// Whether the character at byte `i` of `s` is a common surname that makes no word of the
/// dictionary with the character after it (彭湃): a name starts there.
fn starts_name(s: &str, i: usize, c: char) -> bool {
    SURNAMES.contains(c)
        && s[i + c.len_utf8()..].chars().next().is_some_and(|n| {
            crate::text::is_han(n) && crate::segment::dict_freq(&format!("{c}{n}")).is_none()
        })
}

/// How much less (natural log) the window around `s[at..end]` costs under the language model
/// with `c` written there, if the segmenter reads `word` as one word in the corrected window.
fn lm_gain(s: &str, at: usize, end: usize, c: char, word: &str) -> Option<f64> {
    let cl = typo::clause(s, at, end, page::WINDOW);
    let written = &s[cl.clone()];
    let local = at - cl.start..end - cl.start;
    let mut buf = [0u8; 4];
    let corrected = format!(
        "{}{}{}",
        &written[..local.start],
        c.encode_utf8(&mut buf),
        &written[local.end..]
    );
    let cut = crate::segment::words(&corrected);
    let covers = cut
        .iter()
        .any(|w| w.word == word && w.byte_start <= local.start && local.start < w.byte_end);
    if !covers {
        return None;
    }
    let lm = super::lm::lm();
    Some(lm.cost(written) - lm.cost(&corrected))
}

/// The options of the template, parsed once for the tests of this module and its checks.
#[cfg(test)]
fn template() -> &'static Options {
    static O: OnceLock<Options> = OnceLock::new();
    O.get_or_init(|| crate::rules::parse_options(&META, &toml::Table::new()).expect("the template"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_entry_is_one_to_one_in_characters() {
        let t = table();
        assert!(t.keys.len() > 1000, "{}", t.keys.len());
        for (w, (r, _)) in &t.entries {
            assert_eq!(w.chars().count(), r.chars().count(), "{w} {r}");
            assert_ne!(w, r);
        }
    }

    #[test]
    fn one_character_off_an_idiom() {
        let s = "烟花秀交相辉应，人们在喜庆的气氛中迎接新年";
        let f = idiom_findings(s, &[], 14.0);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(&s[f[0].range.clone()], "交相辉应");
        let help = f[0].help.as_deref().unwrap_or("");
        assert!(help.contains("“应”与“映”音近"), "{help}");
        let fix = f[0].fix.as_ref().map(|x| x.edits[0].replacement.clone());
        assert_eq!(fix.as_deref(), Some("映"));
        // Written right; parallel on purpose; a contrast with the idiom itself; inside a title.
        assert!(idiom_findings("烟花秀交相辉映，人们在喜庆的气氛中迎接新年", &[], 14.0).is_empty());
        assert!(idiom_findings("改变头疼医头、脚疼医脚的改造模式", &[], 14.0).is_empty());
        assert!(idiom_findings("授人以鱼不如授人以渔", &[], 14.0).is_empty());
        let t = "他读过《交相辉应》这本书";
        assert!(idiom_findings(t, &typo::title_spans(t), 14.0).is_empty());
        // A gain no context reaches.
        assert!(idiom_findings(s, &[], 1e6).is_empty());
    }

    #[test]
    fn compiled_tables_are_the_run_time_build() {
        let r = &*REFERENCE;
        let ix = idioms();
        let n = ix.keyed.len() / 8;
        assert_eq!(n, r.keyed.len());
        assert!((0..n).all(|i| le_u64(ix.keyed, i) == r.keyed[i]));
        assert_eq!(SIMILAR.len(), r.similar.len());
        for &(c, sound, shape, f) in SIMILAR {
            assert_eq!(r.similar.get(&c), Some(&(sound, shape, f)), "{c}");
            assert_eq!(similar(c), Some((sound, shape, f)));
        }
        // Character c → the characters whose sound or shape list holds it.
        let mut written_for: std::collections::HashMap<char, Vec<(char, f64)>> = Default::default();
        for &(x, sound, shape, f_x) in SIMILAR {
            for c in sound.chars().chain(shape.chars()) {
                written_for.entry(c).or_default().push((x, f_x));
            }
        }
        // Every idiom is found whole, and every one of its masks holds its character.
        for line in include_str!("../../../../../lints/typo-data/idioms.txt").lines() {
            let w: Vec<char> = line.chars().collect();
            let Ok(w) = <[char; 4]>::try_from(w) else {
                continue;
            };
            assert!(ix.is_idiom(w), "{line}");
            for k in 0..4 {
                let key = masked_key(w, k).expect("Han");
                assert!(
                    ix.may_have(key) && ix.fills(key).any(|c| c == w[k]),
                    "{line} {k}"
                );
                // Every slip the check can report passes the slip filter.
                let f_c = similar(w[k]).map_or(1.0, |x| x.2);
                for &(x, f_x) in written_for.get(&w[k]).map_or(&[][..], |v| &v[..]) {
                    if x == w[k] || f_x < f_c {
                        continue;
                    }
                    let mut slip = w;
                    slip[k] = x;
                    if let Some(whole) = whole_key(slip).filter(|_| x <= '\u{9FFF}') {
                        assert!(ix.may_slip(whole), "{line} {k} {x}");
                    }
                }
            }
        }
        assert!(!ix.is_idiom(['交', '相', '辉', '应']));
        let slip = whole_key(['交', '相', '辉', '应']).expect("Han");
        assert!(ix.may_slip(slip));
    }

    /// The wrong forms of the one pass are [`Table::find_iter`]'s, on text built from the
    /// forms' characters (prefixes, overlaps, forms cut short, marks between, and 䶵: a
    /// character of lead byte E4 below U+4E00, which ends a run of Han characters).
    fn table_text(picks: &[(usize, usize)]) -> String {
        let t = table();
        let mut s = String::new();
        for &(i, cut) in picks {
            let w = t.keys[i % t.keys.len()];
            let n = w.chars().count();
            s.extend(w.chars().take(n - cut % 2));
            if cut % 3 == 0 {
                s.push('，');
            }
            if cut == 4 {
                s.push('䶵');
            }
        }
        s
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn one_pass_finds_the_table_search(
            picks in proptest::collection::vec((0usize..4_000, 0usize..6), 0..30)
        ) {
            let s = table_text(&picks);
            proptest::prop_assert_eq!(scan(&s, true).table, table().find_iter(&s));
        }
    }

    #[test]
    fn one_pass_finds_the_table_search_on_fixtures() {
        let t = table();
        assert!(t
            .keys
            .iter()
            .all(|w| w.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))));
        let picks: Vec<(usize, usize)> = (0..400).map(|i| (i * 13, i)).collect();
        let s = table_text(&picks);
        let found = t.find_iter(&s);
        assert!(found.len() > 100, "{}", found.len());
        assert_eq!(scan(&s, true).table, found);
        for s in [
            include_str!("../../../../../fixtures/rules/typo/in-context.txt"),
            include_str!("../../../../../fixtures/seeds/001_09808162e94c1a38.txt"),
        ] {
            assert_eq!(scan(s, true).table, t.find_iter(s));
        }
    }

    static REFERENCE: std::sync::LazyLock<reference::Idioms> =
        std::sync::LazyLock::new(reference::build);

    /// Text made of idioms, some one character off (a character alike in sound or shape), and
    /// filler: characters of idioms, marks, Latin, a four-byte character, and characters of
    /// lead byte E4 below U+4E00 (䶵, ䷀), which end a run of Han characters.
    fn idiom_text(picks: &[(usize, usize, usize)]) -> String {
        let idioms: Vec<&str> = include_str!("../../../../../lints/typo-data/idioms.txt")
            .lines()
            .collect();
        const FILL: [&str; 10] = ["，", "的", "在", "一", "a", "𠀀", "、", "了", "䶵", "䷀"];
        let mut s = String::new();
        for &(i, k, m) in picks {
            let w: Vec<char> = idioms[i % idioms.len()].chars().collect();
            let pos = k % 5;
            for (j, &c) in w.iter().enumerate() {
                let alike = similar(c)
                    .map(|(a, b, _)| format!("{a}{b}"))
                    .unwrap_or_default();
                match alike.chars().nth(m % 7) {
                    Some(x) if j == pos => s.push(x),
                    _ => s.push(c),
                }
            }
            s.push_str(FILL[m % FILL.len()]);
        }
        s
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// The streaming scan over compiled tables finds what the old scan over a character
        /// vector found, finding for finding.
        #[test]
        fn idiom_scan_is_the_reference_scan(
            picks in proptest::collection::vec((0usize..40_000, 0usize..5, 0usize..64), 0..24)
        ) {
            let s = idiom_text(&picks);
            let r = &*REFERENCE;
            for gain in [0.0, 14.0] {
                let want = format!("{:?}", reference::idiom_findings(r, &s, &[], gain));
                proptest::prop_assert_eq!(format!("{:?}", idiom_findings(&s, &[], gain)), want);
            }
        }
    }

    #[test]
    fn idiom_scan_is_the_reference_scan_on_fixtures() {
        let r = &*REFERENCE;
        // The generated text of the property above does reach findings.
        let picks: Vec<(usize, usize, usize)> = (0..300).map(|i| (i * 97, i, i)).collect();
        let s = idiom_text(&picks);
        let f = idiom_findings(&s, &[], 0.0);
        assert!(f.len() >= 5, "{}", f.len());
        assert_eq!(
            format!("{f:?}"),
            format!("{:?}", reference::idiom_findings(r, &s, &[], 0.0))
        );
        for s in [
            include_str!("../../../../../fixtures/seeds/001_09808162e94c1a38.txt"),
            include_str!("../../../../../fixtures/rules/typo/in-context.txt"),
            include_str!("../../../../../fixtures/rules/typo/variants.txt"),
            "烟花秀交相辉应，人们在喜庆的气氛中迎接新年。改变头疼医头、脚疼医脚的改造模式",
        ] {
            for gain in [0.0, 14.0] {
                assert_eq!(
                    format!("{:?}", idiom_findings(s, &[], gain)),
                    format!("{:?}", reference::idiom_findings(r, s, &[], gain))
                );
            }
        }
    }

    #[test]
    fn a_form_after_a_number_is_left_alone() {
        // 时后 → 时候 is a slip after 什么 and a clock time after 10 (a pair cut out of
        // macro-correct's longer ones).
        let text = "标题在这里\n\n本报讯 今年以来，全市各项工作稳步推进，群众满意度持续提高。\n\n什么时后开会还没定。\n\n晚上10时后开会还没定。\n";
        let d = Document::parse(
            crate::source::SourceFile::from_text(text.to_string(), false),
            crate::document::Format::Plain,
        );
        let rule = InContext {
            min_gain: template().min_gain,
            min_idiom_gain: template().min_idiom_gain,
            min_lm_gain: template().min_lm_gain,
            min_sentence_gain: template().min_sentence_gain,
            language_model: false,
        };
        let mut out = Vec::new();
        rule.check(&d, &mut out);
        let at: Vec<&str> = out.iter().map(|f| &text[f.range.clone()]).collect();
        assert_eq!(at, ["时后"], "{out:?}");
        assert!(text[..out[0].range.start].ends_with('么'));
        assert!(is_number('1') && is_number('１') && is_number('十') && !is_number('到'));
    }

    #[test]
    fn confirmed_in_context_only() {
        let s = "保险公司按合同陪偿了全部损失";
        let at = s.find("陪偿").unwrap_or(0);
        let f = confirm(s, at..at + 6, "赔偿", "音近", 4.0);
        let f = f.expect("reported");
        assert!(f.help.as_deref().unwrap_or("").contains("“陪”与“赔”音近"));
        // A gain threshold no context can reach.
        assert!(confirm(s, at..at + 6, "赔偿", "音近", 1e6).is_none());
    }

    /// The template's `min-lm-gain`, the margin the tests below are set against.
    fn lm_gain() -> f64 {
        template().min_lm_gain
    }

    #[test]
    fn one_character_judged_by_the_language_model() {
        let s = "公司决定扩大生产规磨";
        let f = lm_findings(s, s, &[], lm_gain());
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(&s[f[0].range.clone()], "磨");
        let help = f[0].help.as_deref().unwrap_or("");
        assert!(
            help.contains("“磨”与“模”音近") && help.contains("“规模”"),
            "{help}"
        );
        let fix = f[0].fix.as_ref().map(|x| x.edits[0].replacement.clone());
        assert_eq!(fix.as_deref(), Some("模"));
        assert_eq!(
            lm_findings("这件事让他非常烦脑", "", &[], lm_gain()).len(),
            1
        );
        // Below the margin: 在次 → 再次 gains e^8.4.
        assert!(lm_findings("他在次来到北京参加会议", "", &[], lm_gain()).is_empty());
        assert_eq!(lm_findings("他在次来到北京参加会议", "", &[], 8.0).len(), 1);
        // Written right; the written form again in the piece (a word too new for the
        // dictionary); inside a title; a gain no context reaches.
        assert!(lm_findings("公司决定扩大生产规模", "", &[], lm_gain()).is_empty());
        let twice = "扩大生产规磨，规磨大";
        assert!(lm_findings(s, twice, &[], lm_gain()).is_empty());
        // After a surname: a given name; in quotation marks.
        assert!(lm_findings("扩大生产黄规磨", "", &[], lm_gain()).is_empty());
        let q = "口号是“扩大生产规磨”";
        assert_eq!(lm_findings(q, "", &[], lm_gain()).len(), 1);
        let quoted = crate::document::quotes::spans(q);
        assert!(lm_findings(q, "", &quoted, lm_gain()).is_empty());
        let t = "他读过《扩大生产规磨》这本书";
        assert!(lm_findings(t, t, &typo::title_spans(t), lm_gain()).is_empty());
        assert!(lm_findings(s, s, &[], 1e6).is_empty());
    }
}
