//! `typo/non-standard-char`: traditional and variant characters in simplified copy. See
//! [`DOCS`].

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use rustc_hash::FxBuildHasher;

use super::{self as typo, after_surname};
use crate::diagnostic::{Edit, Finding, Fix, Severity};
use crate::document::{quotes, Document};
use crate::rules::{Fixability, OptionError, Rule, RuleEntry, RuleMeta};

pub const DOCS: &str = r#"## What it does

On by default since issue 18's third session: the false alarms that kept it opt-in (the
Japanese surname 大塚, the brand 乾崑, the medical term 黑矇) are now left alone, see below.

Reports a character outside 通用规范汉字表 (2013, 8,105 characters) that the table maps to one
standard character: a traditional form (們 → 们, 這 → 这) or a variant (綫 → 线, 覆 is standard
but 答覆 is a variant word, see `typo/variants`). 3,517 characters
(`lints/typo-data/non-standard-chars.tsv`).

Left alone:
- characters the table's notes allow in surnames, personal and place names or terms (迺, 椏 …);
- characters the table maps to more than one standard character (乾 → 干 or 乾): the right one
  depends on the word;
- 《》 titles, text in quotation marks (an inscription, a classical quotation: “山隂丞印”,
  “大车无輗”), and paragraphs written mostly in traditional characters: at least half of
  their Han characters are non-standard;
- names: a character in a word the segmenter tags as a person or place name, one of the two
  characters after a common surname (刘炤, 宋懋璗), or one before a place suffix (里砦村);
- name characters that names keep (塚, 澤, 邉, 髙, 崑 …, `NAME_CHARS`) where they make no word
  of the dictionary with a neighbour (大塚海夫, 乾崑), and terms written so (黑矇);
- a character whose standard form lies outside the Basic Multilingual Plane (輗 → 𫐐): most
  fonts and editorial systems lack those.

## Why

Simplified copy must use standard characters (国家通用语言文字法); a traditional character usually
comes from pasted text or an input-method slip.

## Examples

Reported:

    我們將繼續推進改革。                  (們, 將, 繼, 續: in a mostly simplified paragraph)

Not reported:

    他的名著《紅樓夢》研究。              (in a title)

## Options

None.

## Fix safety

Unsafe: the fix writes the standard character; a quotation or a name may want the original.
"#;

pub static META: RuleMeta = RuleMeta {
    id: Cow::Borrowed("typo/non-standard-char"),
    summary: Cow::Borrowed(
        "Traditional or variant characters in simplified copy (們 → 们), per 通用规范汉字表",
    ),
    default_severity: Severity::Warning,
    default_enabled: true,
    fix: Fixability::Unsafe,
    docs: Cow::Borrowed(DOCS),
    options: Cow::Borrowed(""),
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build };

fn build(table: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
    crate::rules::parse_options::<crate::rules::NoOptions>(&META, table)?;
    Ok(Box::new(NonStandard))
}

struct Chars {
    /// The table's three-byte characters by their first two bytes, read as one little-endian
    /// `u16` (`lead | b1 << 8`): bit `b2 & 63` of the entry is set when the character `lead b1
    /// b2` is in the table, for a three-byte lead (0xE0..=0xEF). Every bit of the entries of any
    /// other first byte (ASCII, a continuation byte, the lead of a two- or four-byte character)
    /// is set: four characters read as if each were three bytes long find a "hit" at a
    /// character of another width (or at a misread offset after one), so the block loop of
    /// [`next_candidate`] needs no test of their lead bytes. Exact for a three-byte character:
    /// one 16-bit load, one table load, one byte load and one shift, with no decoding. The
    /// entries of three-byte leads are 1,024 words in 64 runs of 16 (8 KiB read).
    heads: Box<[u64; 1 << 16]>,
    map: HashMap<char, (char, &'static str), FxBuildHasher>,
}

fn chars() -> &'static Chars {
    static C: OnceLock<Chars> = OnceLock::new();
    C.get_or_init(build_chars)
}

/// [`chars`], built.
fn build_chars() -> Chars {
    // Every entry a hit, then those of the three-byte leads cleared (see `Chars::heads`).
    let mut heads: Box<[u64; 1 << 16]> = vec![u64::MAX; 1 << 16]
        .into_boxed_slice()
        .try_into()
        .expect("65,536 entries");
    for b1 in 0..=255u8 {
        for lead in 0xE0..=0xEFu8 {
            heads[head_key(lead, b1)] = 0;
        }
    }
    let mut map = HashMap::with_capacity_and_hasher(4096, FxBuildHasher);
    for (a, b, k) in rows(include_str!(
        "../../../../../lints/typo-data/non-standard-chars.tsv"
    )) {
        map.insert(a, (b, k));
        // Only Han characters count (U+3400 and up): the bits of lead bytes 0xE0..0xE2 and
        // of lower three-byte code points stay clear.
        if (0x3400..65536).contains(&(a as u32)) {
            let mut utf8 = [0u8; 4];
            a.encode_utf8(&mut utf8);
            heads[head_key(utf8[0], utf8[1])] |= 1 << (utf8[2] & 0x3F);
        }
    }
    Chars { heads, map }
}

/// The rows of a TSV of the table as `str::lines` and `split('\t')` read them: the first
/// character of the first two fields and the third field, for each line that has them. On
/// bytes: the standard library's searchers cost ~130 instructions a call on lines this short
/// (`tests::rows_are_lines_and_fields` holds it to them).
fn rows(tsv: &str) -> impl Iterator<Item = (char, char, &str)> {
    let tab = |s: &str| s.bytes().position(|c| c == b'\t');
    let mut start = 0;
    std::iter::from_fn(move || {
        while start < tsv.len() {
            let rest = &tsv[start..];
            let (line, more) = match rest.bytes().position(|c| c == b'\n') {
                // `lines` drops a line's "\n" and then its "\r".
                Some(i) => (rest[..i].strip_suffix('\r').unwrap_or(&rest[..i]), i + 1),
                None => (rest, rest.len()),
            };
            start += more;
            let Some(t1) = tab(line) else { continue };
            let (a, after) = (&line[..t1], &line[t1 + 1..]);
            let Some(t2) = tab(after) else { continue };
            let (b, k) = (&after[..t2], &after[t2 + 1..]);
            let k = tab(k).map_or(k, |t3| &k[..t3]);
            if let (Some(a), Some(b)) = (a.chars().next(), b.chars().next()) {
                return Some((a, b, k));
            }
        }
        None
    })
}

/// The index of [`Chars::heads`] for the first two bytes `lead`, `b1` of a character.
#[inline(always)]
fn head_key(lead: u8, b1: u8) -> usize {
    usize::from(u16::from_le_bytes([lead, b1]))
}

/// Whether the three-byte character `lead, b1, b2` (`head` = `[lead, b1]`) is in the table, as
/// 0 or 1 in bit 0 (the higher bits are noise). Exact when `lead` is a three-byte lead
/// (0xE0..=0xEF); every other first byte gives 1 (see [`Chars::heads`]). `head` as an array:
/// one 16-bit load from the text.
#[inline(always)]
fn in_table3(heads: &[u64; 1 << 16], head: [u8; 2], b2: u8) -> u64 {
    heads[usize::from(u16::from_le_bytes(head))].wrapping_shr(u32::from(b2))
}

/// [`in_table3`] of the character at `k` of the block `r`.
#[inline(always)]
fn in_block<const N: usize>(heads: &[u64; 1 << 16], r: &[u8; N], k: usize) -> u64 {
    let head: &[u8; 2] = r[k..k + 2].try_into().expect("2 bytes");
    in_table3(heads, *head, r[k + 2])
}

/// Whether one of the four characters from byte `k` of `r`, read as three-byte characters, is
/// a hit of [`in_table3`].
#[inline(always)]
fn block_hit<const N: usize>(heads: &[u64; 1 << 16], r: &[u8; N], k: usize) -> bool {
    let hit = in_block(heads, r, k)
        | in_block(heads, r, k + 3)
        | in_block(heads, r, k + 6)
        | in_block(heads, r, k + 9);
    hit & 1 != 0
}

/// The non-standard characters of `s` with their offsets.
fn find(s: &str) -> Vec<(usize, char, char, &'static str)> {
    let c = chars();
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(at) = next_candidate(c, b, i) {
        let Some(ch) = s[at..].chars().next() else {
            break;
        };
        if let Some(&(std, kind)) = c.map.get(&ch) {
            out.push((at, ch, std, kind));
        }
        i = at + ch.len_utf8();
    }
    out
}

/// The offset of the next character from byte `i` (a character boundary) that may be in the
/// table: a three-byte character in [`Chars::heads`], or any four-byte one (the map decides).
///
/// The table holds Han characters only (U+3400 and up): the loop steps over a character by
/// its lead byte and tests a three-byte one by its bytes, undecoded.
#[inline(never)]
fn next_candidate(chars: &Chars, b: &[u8], i: usize) -> Option<usize> {
    let heads = &*chars.heads;
    let mut rest = b.get(i..)?;
    loop {
        // Four three-byte characters at a time while they last (most of Chinese copy), read as
        // if each were three bytes long: a table character, a character of another width or
        // one read at a wrong offset after it gives a hit (see `Chars::heads`), and the block
        // is left to the step below, a character at a time. Four table loads and shifts and
        // one branch a block; two blocks a turn while 24 bytes remain.
        'blocks: {
            while let Some(r) = rest.first_chunk::<24>() {
                if block_hit(heads, r, 0) {
                    break 'blocks;
                }
                if block_hit(heads, r, 12) {
                    rest = &rest[12..];
                    break 'blocks;
                }
                rest = &rest[24..];
            }
            while let Some(r) = rest.first_chunk::<12>() {
                if block_hit(heads, r, 0) {
                    break;
                }
                rest = &rest[12..];
            }
        }
        // The characters of the block that stopped, one at a time (a block tried at each of
        // them would stop again at the same character).
        let stop = rest.len().saturating_sub(12);
        loop {
            match *rest {
                [lead, b1, b2, ref tail @ ..] if (0xE3..0xF0).contains(&lead) => {
                    if in_table3(heads, [lead, b1], b2) & 1 != 0 {
                        return Some(b.len() - rest.len());
                    }
                    rest = tail;
                }
                [lead, ..] if lead >= 0xF0 => return Some(b.len() - rest.len()),
                // Fewer than three bytes left hold no table character.
                [lead, ..] => {
                    rest = rest.get(usize::from(crate::text::UTF8_WIDTH[usize::from(lead)])..)?
                }
                [] => return None,
            }
            if rest.len() <= stop {
                break;
            }
        }
    }
}

/// [`find`] decoding every character: what the tests hold it to.
#[cfg(test)]
fn find_slow(s: &str) -> Vec<(usize, char, char, &'static str)> {
    let c = chars();
    s.char_indices()
        .filter(|&(_, ch)| ch as u32 >= 0x3400)
        .filter_map(|(i, ch)| c.map.get(&ch).map(|&(std, kind)| (i, ch, std, kind)))
        .collect()
}

struct NonStandard;

impl Rule for NonStandard {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        for (_, base, s) in typo::body_pieces(doc) {
            let hits = find(s);
            if hits.is_empty() {
                continue;
            }
            // A passage in traditional characters is a quotation, not a slip.
            let han = s.chars().filter(|&c| crate::text::is_han(c)).count();
            if hits.len() * 2 >= han {
                continue;
            }
            let quoted = quotes::spans(s);
            for (i, ch, std, kind) in hits {
                if quotes::within(&quoted, &(i..i + ch.len_utf8())) {
                    continue;
                }
                // A standard form outside the BMP (𫐐, 𬶐) is one most fonts and systems lack.
                if std as u32 > 0xFFFF {
                    continue;
                }
                if after_surname(s, i) || before_place_suffix(s, i + ch.len_utf8()) {
                    continue;
                }
                if in_name(s, i, ch.len_utf8()) || kept_in_name(s, i, ch) || in_term(s, i, ch) {
                    continue;
                }
                let what = if kind == "traditional" {
                    "繁体字"
                } else {
                    "异体字"
                };
                let r = base + i..base + i + ch.len_utf8();
                out.push(
                    Finding::new(r.clone(), format!("“{ch}”是{what}，规范字为“{std}”"))
                        .label(format!("规范字“{std}”"))
                        .help(format!(
                            "按《通用规范汉字表》写作“{std}”；人名、地名或引文需保留原字的，可忽略"
                        ))
                        .fix(Fix::unsafe_(vec![Edit {
                            range: r,
                            replacement: std.to_string(),
                        }])),
                );
            }
        }
    }
}

/// Whether a place-name suffix follows (里砦村, 鮀岛).
fn before_place_suffix(s: &str, end: usize) -> bool {
    s[end..]
        .chars()
        .next()
        .is_some_and(|c| "村镇乡县市州山河湖岛港湾寨口街路桥江".contains(c))
}

/// Characters outside the table that names keep: Japanese surnames and given names (大塚, 中澤,
/// 渡邉, 髙橋, 斎藤, 桜井) and brands (乾崑). A name is a string the dictionary does not know.
const NAME_CHARS: &str = "塚澤沢邉邊髙﨑嶋濱渕淵桜斎斉崑峯栁籐";

/// Whether `ch` at byte `i` is a name character that makes no word of the dictionary with its
/// neighbours (大塚海夫, 乾崑): a name, not a slip.
fn kept_in_name(s: &str, i: usize, ch: char) -> bool {
    if !NAME_CHARS.contains(ch) {
        return false;
    }
    let prev = s[..i].chars().next_back();
    let next = s[i + ch.len_utf8()..].chars().next();
    let word = |a: char, b: char| crate::segment::dict_freq(&format!("{a}{b}")).is_some();
    let han = |c: Option<char>| c.is_some_and(crate::text::is_han);
    (han(prev) || han(next))
        && !prev.is_some_and(|p| word(p, ch))
        && !next.is_some_and(|n| word(ch, n))
}

/// Terms that keep a character outside the table: 黑矇 (amaurosis, as 医学名词 writes it).
const TERMS: &[&str] = &["黑矇"];

/// Whether `ch` at byte `i` is part of one of [`TERMS`].
fn in_term(s: &str, i: usize, ch: char) -> bool {
    TERMS.iter().any(|t| {
        t.char_indices().any(|(k, c)| {
            c == ch && i >= k && s.get(i - k..).is_some_and(|rest| rest.starts_with(t))
        })
    })
}

/// Whether the character at `i` is in or next to a word tagged as a person or place name.
fn in_name(s: &str, i: usize, len: usize) -> bool {
    let c = typo::clause(s, i, i + len, 8);
    let clause = &s[c.clone()];
    let local = i - c.start..i - c.start + len;
    let seg = typo::segment(clause);
    seg.tokens.iter().any(|(t, tag)| {
        (t.start < local.end && local.start < t.end || t.end == local.start || t.start == local.end)
            && (tag.starts_with("nr") || tag == "ns")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_terms_keep_their_characters() {
        let keep = |s: &str, ch: char| {
            let i = s.find(ch).unwrap_or(0);
            kept_in_name(s, i, ch) || in_term(s, i, ch)
        };
        assert!(keep("退役将领大塚海夫出任", '塚'));
        assert!(keep("与华为乾崑合作打造", '崑'));
        assert!(keep("眼前发黑（黑矇）、严重头晕", '矇'));
        // Not a name character, or in a word: reported.
        assert!(!keep("充电服务优惠劵", '劵'));
        assert!(!keep("他们矇骗了大家", '矇'));
    }

    #[test]
    fn the_byte_loop_finds_what_decoding_finds() {
        let fixture = include_str!("../../../../../fixtures/rules/typo/non-standard-char.txt");
        let hits = find(fixture);
        assert!(hits.len() >= 3, "{hits:?}");
        assert_eq!(hits, find_slow(fixture));
        // Every width of character, a table character outside the BMP if there is one, and the
        // edges of the three-byte range.
        let mut s = String::from("a·é，們𠀀\u{3400}\u{33FF}\u{FFFF}\u{E000}這");
        s.extend(chars().map.keys().filter(|c| (**c as u32) > 0xFFFF).take(3));
        s.push('裡');
        assert_eq!(find(&s), find_slow(&s));
        assert!(find(&s).len() >= 3);
    }

    proptest::proptest! {
        /// The four-character blocks of `next_candidate`: runs of three-byte characters with
        /// table characters at every position of a block, broken now and then by a character
        /// of another width.
        #[test]
        fn the_blocks_drop_no_character(picks in proptest::collection::vec(0usize..40, 0..100)) {
            const ALPHABET: [char; 10] = ['中', '文', '們', '這', '，', '\u{3400}', 'a', '·', '𠀀', '１'];
            let s: String = picks
                .iter()
                .map(|&k| ALPHABET[if k < 36 { k % 6 } else { k - 30 }])
                .collect();
            proptest::prop_assert_eq!(find(&s), find_slow(&s));
            for (i, _) in s.char_indices() {
                proptest::prop_assert_eq!(find(&s[i..]), find_slow(&s[i..]));
            }
        }
    }

    #[test]
    fn every_table_character_is_found_at_every_position_of_a_block() {
        // Each table character at each position of two four-character blocks of Han filler.
        let mut keys: Vec<char> = chars().map.keys().copied().collect();
        keys.sort_unstable();
        for at in 0..8 {
            let s: String = keys
                .iter()
                .flat_map(|&k| {
                    let mut block = ['中'; 8];
                    block[at] = k;
                    block
                })
                .collect();
            assert_eq!(find(&s), find_slow(&s), "position {at}");
            assert_eq!(find(&s).len(), keys.len());
        }
    }

    #[test]
    fn the_head_table_is_the_map_for_every_three_byte_character() {
        let c = chars();
        for cp in 0x800..0x10000u32 {
            let Some(ch) = char::from_u32(cp) else {
                continue;
            };
            let mut b = [0u8; 4];
            ch.encode_utf8(&mut b);
            let want = cp >= 0x3400 && c.map.contains_key(&ch);
            assert_eq!(
                in_table3(&c.heads, [b[0], b[1]], b[2]) & 1 != 0,
                want,
                "{ch}"
            );
        }
        // Any other first byte is a hit, whatever follows (the blocks' stop).
        for lead in (0..=255u8).filter(|b| !(0xE0..0xF0).contains(b)) {
            for next in 0..=255u8 {
                for b2 in [0, 0x41, 0x80, 0xBF, 0xFF] {
                    assert_eq!(in_table3(&c.heads, [lead, next], b2) & 1, 1);
                }
            }
        }
    }

    /// [`rows`] as the standard library's `lines` and `split` read them.
    fn rows_slow(tsv: &str) -> Vec<(char, char, &str)> {
        tsv.lines()
            .filter_map(|line| {
                let mut f = line.split('\t');
                let (a, b, k) = (f.next()?, f.next()?, f.next()?);
                Some((a.chars().next()?, b.chars().next()?, k))
            })
            .collect()
    }

    #[test]
    fn rows_are_lines_and_fields() {
        let tsv = include_str!("../../../../../lints/typo-data/non-standard-chars.tsv");
        assert_eq!(rows(tsv).collect::<Vec<_>>(), rows_slow(tsv));
        assert_eq!(rows(tsv).count(), 3517);
        for t in [
            "",
            "\n",
            "們\t们\ttraditional",
            "們\t们\ttraditional\r\n這\t这\tvariant\n",
            "們\t们\n\t这\tx\n這\t\tx\n這這\t这这\tk\tmore\n這\t这\t\n",
            "們\t们\tk\r",
            "\r\n們\t们\tk\r\r\n\n",
        ] {
            assert_eq!(rows(t).collect::<Vec<_>>(), rows_slow(t), "{t:?}");
        }
    }

    #[test]
    fn standard_characters_are_not_in_the_table() {
        // 著, 乾, 于 are standard characters (乾 is also a traditional form, one-to-many).
        assert!(find("著名的乾坤于是").is_empty());
        let hits: Vec<char> = find("我們這裡").iter().map(|h| h.2).collect();
        assert_eq!(hits, ['们', '这', '里']);
    }
}
