//! `number-style`: numbers as GB/T 15835-2011 (出版物上数字用法) wants them. See [`DOCS`].

use std::borrow::Cow;
use std::ops::Range;

use serde::Deserialize;

use super::{Fixability, OptionError, Rule, RuleEntry, RuleMeta};
use crate::diagnostic::{Edit, Finding, Fix, Severity};
use crate::document::{class, Document, NonHanIn};

pub const DOCS: &str = r#"## What it does

Four checks from GB/T 15835-2011《出版物上数字用法》, each switched on and off on its own. The
standard's text is not bundled; each check names the provision it follows.

- `full-width-digits` (阿拉伯数字的字体：用半角): full-width digits (２０２４) in an article that
  uses no ASCII digits. An article that mixes both is reported by `unit-consistency`.
- `thousands` (多位数的分节): in one article, numbers of five or more digits grouped with commas
  (570,475) and written without (22916): one style per article.
- `ranges` (数值范围): a range written with a hyphen or an ASCII/wave-dash tilde (3-5公里,
  2024-2028年) instead of "～" (quantities; "—" is also accepted) or "—" (years and dates).
- `range-units` (off by default): a range that repeats its unit on both ends (3公里～5公里). The
  standard says the first unit *may* be dropped, and professional copy often keeps both
  (8℃—12℃), so this is opt-in. Magnitudes (万, 亿) and % are never flagged: 3万～5万元 must keep
  both.
- `approximate` (概数：两个数字连用表示概数，中间不用顿号): "三、四十年代" → "三四十年代".

## Why

Copy desks apply GB/T 15835 to every page; these are the slips that survive: a hyphen typed for
a range, full-width digits from an old input method, 顿号 between approximate numbers.

## Examples

Reported:

    全程3-5公里                        (ranges: use ～)
    规划期为2024-2028年                (ranges: use —)
    线路长3公里～5公里                 (range-units, when switched on: the first 公里 may go)
    上世纪三、四十年代                  (approximate)
    ２０２４年                          (full-width digits)

Not reported:

    电话0635-8241234, F-35, 2024-01-05   (codes, model names, ISO dates)
    比分3-2                              (no unit: a score)
    一、二年级，第一、二季度               (an enumeration, not an approximation)
    3万～5万元, 20%～30%                 (magnitudes and % stay on both ends)

## Options

`full-width-digits`, `thousands`, `ranges`, `approximate` (bool);
`range-units` (bool).

## Fix safety

Safe: full-width digits to ASCII, the range mark, and removing 顿号 from approximate numbers.
A hyphen between two numbers that both carry a unit ("4.41%-4.8%") may be a minus: its fix is
unsafe unless 之间, 左右, 不等 or 以内 follows; a hyphen followed by = or after 差/减 is a
subtraction and not reported. Dropping a repeated unit has no automatic fix.
"#;

pub static META: RuleMeta = RuleMeta {
    id: Cow::Borrowed("number-style"),
    summary: Cow::Borrowed("Numbers as GB/T 15835-2011 wants them: digit width, grouping, ranges, approximations"),
    default_severity: Severity::Warning,
    default_enabled: true,
    fix: Fixability::Sometimes,
    docs: Cow::Borrowed(DOCS),
    options: Cow::Borrowed("# Full-width digits in an article with no ASCII digits\nfull-width-digits = true\n# One grouping style (570,475 or 570475) per article\nthousands = true\n# Range marks: 3～5公里 for quantities, 2024—2028年 for time\nranges = true\n# Also report a unit repeated on both ends of a range (3公里～5公里): the standard allows it\nrange-units = false\n# No 顿号 between approximate numbers (三四十年代)\napproximate = true\n"),
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build };

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    full_width_digits: bool,
    thousands: bool,
    ranges: bool,
    approximate: bool,
    range_units: bool,
}

fn build(table: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
    let o: Options = super::parse_options(&META, table)?;
    Ok(Box::new(NumberStyle { o }))
}

struct NumberStyle {
    o: Options,
}

/// Units after the second number of a range that make it a range of quantities or time, in the
/// order the matcher tries them (the first that fits wins: 万 before 万人). [`units_from`] holds
/// them by first character; this list is its reference (`tests::units_by_first_character`).
#[cfg(test)]
const RANGE_UNITS: &str = "年代|年级|年|个月|月|日|时|分钟|小时|天|周|岁|公里|千米|平方米|平方公里|米|厘米|毫米|公斤|千克|克|吨|元|万元|亿元|万|亿|%|℃|个|人|家|次|倍|户|座|项|件|所|名|种|只|头|亩|公顷|层|辆|架|艘|台|套|部|张|条|篇|场|届|期|批|万人|亿人";

/// The units of `RANGE_UNITS` (the list the tests build the regex from) that start with `c`,
/// in that list's order (units with different first characters never fit at the same place, so
/// only the order within one first character matters).
#[inline]
fn units_from(c: char) -> &'static [&'static str] {
    match c {
        '年' => &["年代", "年级", "年"],
        '个' => &["个月", "个"],
        '分' => &["分钟"],
        '小' => &["小时"],
        '公' => &["公里", "公斤", "公顷"],
        '千' => &["千米", "千克"],
        '平' => &["平方米", "平方公里"],
        '厘' => &["厘米"],
        '毫' => &["毫米"],
        '万' => &["万元", "万", "万人"],
        '亿' => &["亿元", "亿", "亿人"],
        '月' => &["月"],
        '日' => &["日"],
        '时' => &["时"],
        '天' => &["天"],
        '周' => &["周"],
        '岁' => &["岁"],
        '米' => &["米"],
        '克' => &["克"],
        '吨' => &["吨"],
        '元' => &["元"],
        '%' => &["%"],
        '℃' => &["℃"],
        '人' => &["人"],
        '家' => &["家"],
        '次' => &["次"],
        '倍' => &["倍"],
        '户' => &["户"],
        '座' => &["座"],
        '项' => &["项"],
        '件' => &["件"],
        '所' => &["所"],
        '名' => &["名"],
        '种' => &["种"],
        '只' => &["只"],
        '头' => &["头"],
        '亩' => &["亩"],
        '层' => &["层"],
        '辆' => &["辆"],
        '架' => &["架"],
        '艘' => &["艘"],
        '台' => &["台"],
        '套' => &["套"],
        '部' => &["部"],
        '张' => &["张"],
        '条' => &["条"],
        '篇' => &["篇"],
        '场' => &["场"],
        '届' => &["届"],
        '期' => &["期"],
        '批' => &["批"],
        _ => &[],
    }
}

/// The units of [`units_from`] that `rest` starts with, in order.
#[inline]
fn units_at(rest: &str) -> impl Iterator<Item = &'static str> + '_ {
    let first = rest.chars().next().map_or(&[][..], units_from);
    first.iter().copied().filter(move |u| rest.starts_with(u))
}

/// The byte length of the digit (ASCII or full-width: `[0-9０-９]`) at byte `i` of `b`, 0 if none.
#[inline(always)]
fn digit_len(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'0'..=b'9') => 1,
        Some(0xEF)
            if b.get(i + 1) == Some(&0xBC)
                && b.get(i + 2).is_some_and(|x| (0x90..=0x99).contains(x)) =>
        {
            3
        }
        _ => 0,
    }
}

/// The end of the digits (`[0-9０-９]*`) from byte `i` of `b`, and how many there are.
#[inline]
fn digits_end(b: &[u8], mut i: usize) -> (usize, usize) {
    let mut n = 0;
    loop {
        let w = digit_len(b, i);
        if w == 0 {
            return (i, n);
        }
        i += w;
        n += 1;
    }
}

/// The end of the number (`[0-9０-９]+(?:\.[0-9０-９]+)?`, as long as it goes) from byte `i` of `b`,
/// if a digit is there.
#[inline]
fn number_end(b: &[u8], i: usize) -> Option<usize> {
    let (e, n) = digits_end(b, i);
    if n == 0 {
        return None;
    }
    if b.get(e) == Some(&b'.') && digit_len(b, e + 1) > 0 {
        return Some(digits_end(b, e + 1).0);
    }
    Some(e)
}

/// The byte after the white space (`\s*`) from byte `i` of `s`.
#[inline]
fn skip_space(s: &str, i: usize) -> usize {
    match s.as_bytes().get(i) {
        // The common cases: no white space. White space is ASCII (space, tab, line breaks) or
        // starts with C2 (U+0085, U+00A0), E1 (U+1680), E2 (U+2000–U+205F) or E3 (U+3000), never
        // with a Han lead byte (E4–E9) or EF (full-width forms).
        Some(&x) if x > b' ' && x < 0x80 || (0xE4..=0xE9).contains(&x) || x == 0xEF => i,
        None => i,
        _ => s.len() - s[i..].trim_start_matches(char::is_whitespace).len(),
    }
}

/// A range (`3-5公里`): the byte ranges of its first number, the unit after it (if any), the
/// mark, the second number and its unit.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RangeMatch {
    n1: Range<usize>,
    u1: Option<Range<usize>>,
    sep: Range<usize>,
    n2: Range<usize>,
    u2: Range<usize>,
}

/// The range marks: `[-－~〜～—至到]`.
#[inline]
fn is_range_mark(c: char) -> bool {
    matches!(c, '-' | '－' | '~' | '〜' | '～' | '—' | '至' | '到')
}

/// What follows the first number and its unit of a range, from byte `i` of `s`: `\s*`, a mark,
/// `\s*`, the second number and its unit (the first of [`units_from`] that fits).
#[inline]
fn range_rest(s: &str, i: usize) -> Option<(Range<usize>, Range<usize>, Range<usize>)> {
    let at = skip_space(s, i);
    let c = s[at..].chars().next().filter(|&c| is_range_mark(c))?;
    let sep = at..at + c.len_utf8();
    let n2_start = skip_space(s, sep.end);
    let n2_end = number_end(s.as_bytes(), n2_start)?;
    let u2 = units_at(&s[n2_end..]).next()?;
    Some((sep, n2_start..n2_end, n2_end..n2_end + u2.len()))
}

/// The range that starts at byte `p` of `s`, as the regex
/// `([0-9０-９]+(?:\.[0-9０-９]+)?)(UNITS)?\s*([-－~〜～—至到])\s*([0-9０-９]+(?:\.[0-9０-９]+)?)(UNITS)`
/// would take it (leftmost first; `tests::matchers_match_the_regexes_on_ranges`). Each number can only be as
/// long as it goes (a shorter one is followed by a digit or a point, which neither a unit nor
/// a mark starts with), and each `\s*` as well (a mark and a digit are no white space): what is
/// left to try is the first unit, in order, then none.
fn range_at(s: &str, p: usize) -> Option<RangeMatch> {
    let n1_end = number_end(s.as_bytes(), p)?;
    let rest = &s[n1_end..];
    let found = units_at(rest)
        .find_map(|u| {
            let u1 = n1_end..n1_end + u.len();
            range_rest(s, u1.end).map(|r| (Some(u1), r))
        })
        .or_else(|| range_rest(s, n1_end).map(|r| (None, r)));
    let (u1, (sep, n2, u2)) = found?;
    Some(RangeMatch {
        n1: p..n1_end,
        u1,
        sep,
        n2,
        u2,
    })
}

/// The ranges of `s` from byte `from` on (a character boundary), one after the other, as the
/// regex of [`range_at`] finds them.
fn range_matches(s: &str, mut from: usize) -> impl Iterator<Item = RangeMatch> + '_ {
    let b = s.as_bytes();
    std::iter::from_fn(move || {
        while from < b.len() {
            if digit_len(b, from) == 0 {
                from += crate::text::utf8_width(b[from]);
                continue;
            }
            if let Some(m) = range_at(s, from) {
                from = m.u2.end;
                return Some(m);
            }
            // Every digit of this run up to a point reads the same number's end: no range
            // starts there either.
            from = digits_end(b, from).0;
        }
        None
    })
}

/// Whether `c` may stand before a grouped or long number (`[^0-9０-９.,A-Za-z\-]`).
#[inline]
fn may_lead_number(c: char) -> bool {
    !(c.is_ascii_alphanumeric() || matches!(c, '.' | ',' | '-' | '０'..='９'))
}

/// A grouped (1,234) or long (12345) number at byte `q` of `s` (a digit), with an optional
/// decimal part and a Han character after it: the number's range (without the decimal part)
/// and the Han character's. What follows is as long as it goes: one to three digits then
/// groups of three, or five digits or more; a shorter reading leaves a digit, a comma or a point
/// where the Han character must be.
fn grouped_at(s: &str, q: usize) -> Option<(Range<usize>, Range<usize>)> {
    let b = s.as_bytes();
    let (mut e, run) = digits_end(b, q);
    match run {
        1..=3 => {
            let mut groups = 0;
            // A comma and exactly three digits, as many times as they come.
            'groups: while b.get(e) == Some(&b',') {
                let mut g = e + 1;
                for _ in 0..3 {
                    match digit_len(b, g) {
                        0 => break 'groups,
                        w => g += w,
                    }
                }
                e = g;
                groups += 1;
            }
            if groups == 0 {
                return None;
            }
        }
        5.. => {}
        _ => return None,
    }
    let mut h = e;
    if b.get(h) == Some(&b'.') && digit_len(b, h + 1) > 0 {
        h = digits_end(b, h + 1).0;
    }
    let c = s[h..].chars().next().filter(|&c| crate::text::is_han(c))?;
    Some((q..e, h..h + c.len_utf8()))
}

/// The grouped and long numbers of `s` with a Han character after them, from byte `from` on,
/// as the regex
/// `(^|[^0-9０-９.,A-Za-z\-])([0-9０-９]{1,3}(?:,[0-9０-９]{3})+|[0-9０-９]{5,})(?:\.[0-9０-９]+)?([HAN_CLASS])`
/// finds them (`tests::matchers_match_the_regexes`): the number and the Han character. A Han
/// character is [`crate::text::is_han`]'s, the house definition; the regex this replaced had
/// `\p{Han}`, which leaves out a few unassigned code points the house class counts (U+FA6E,
/// U+FA6F, U+FADA..U+FAFF and gaps in planes 2 and 3): after a number only those differ.
fn grouped_matches(
    s: &str,
    mut from: usize,
) -> impl Iterator<Item = (Range<usize>, Range<usize>)> + '_ {
    let b = s.as_bytes();
    // `q`: where to look for the next digit. A match starts at the character before its
    // number (or at the start of `s`), which must be at or after `from`.
    let mut q = from;
    std::iter::from_fn(move || {
        while q < b.len() {
            if digit_len(b, q) == 0 {
                q += crate::text::utf8_width(b[q]);
                continue;
            }
            let lead_ok = match s[..q].chars().next_back() {
                None => true,
                Some(c) => q - c.len_utf8() >= from && may_lead_number(c),
            };
            if lead_ok {
                if let Some((m, h)) = grouped_at(s, q) {
                    from = h.end;
                    q = h.end;
                    return Some((m, h));
                }
            }
            // The rest of this run has a digit before it.
            q = digits_end(b, q).0;
        }
        None
    })
}

/// The byte of `s` from which on a grouped or long number may match, given the first digit's
/// offset: the character before it (what stands before the number).
fn thousands_from(s: &str, first_digit: usize) -> usize {
    s[..first_digit]
        .chars()
        .next_back()
        .map_or(0, |c| first_digit - c.len_utf8())
}

/// The approximations of `s` (`三、四十`): the two numerals and what follows, as the regex
/// `([一二三四五六七八九])、([二三四五六七八九十])(十|百|千|万|亿|个|岁|天|人|次|倍|成|多)` finds them
/// (`tests::matchers_match_the_regexes`, `tests::matchers_by_example`).
fn approx_matches(s: &str) -> impl Iterator<Item = [Range<usize>; 3]> + '_ {
    const DUN: usize = '、'.len_utf8();
    // `start`: the end of the last match (no match starts before it); `next`: where to look
    // for the next 、.
    let (mut start, mut next) = (0, 0);
    std::iter::from_fn(move || {
        while let Some(k) = s[next..].find('、') {
            let i = next + k;
            next = i + DUN;
            let Some(a) = s[..i].chars().next_back() else {
                continue;
            };
            let a_at = i - a.len_utf8();
            let mut after = s[next..].chars();
            let (Some(b), Some(c)) = (after.next(), after.next()) else {
                continue;
            };
            if a_at >= start
                && matches!(
                    a,
                    '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九'
                )
                && matches!(
                    b,
                    '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
                )
                && matches!(
                    c,
                    '十' | '百'
                        | '千'
                        | '万'
                        | '亿'
                        | '个'
                        | '岁'
                        | '天'
                        | '人'
                        | '次'
                        | '倍'
                        | '成'
                        | '多'
                )
            {
                let b_at = i + DUN;
                let c_at = b_at + b.len_utf8();
                start = c_at + c.len_utf8();
                next = start;
                return Some([a_at..i, b_at..c_at, c_at..start]);
            }
        }
        None
    })
}

/// Whether the 、 at byte `i` of `s` stands between 一–九 and 二–十: what an approximation
/// needs.
#[inline]
fn around_dun(s: &str, i: usize) -> bool {
    let before = s[..i].chars().next_back();
    let after = s[i + '、'.len_utf8()..].chars().next();
    before.is_some_and(|c| {
        matches!(
            c,
            '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九'
        )
    }) && after.is_some_and(|c| {
        matches!(
            c,
            '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
        )
    })
}

fn numeral_value(c: char) -> u32 {
    "〇一二三四五六七八九十"
        .chars()
        .position(|x| x == c)
        .unwrap_or(99) as u32
}

impl Rule for NumberStyle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let text = doc.text();
        // The document's index, read piece by piece in order (one pass, not one search a piece).
        let mut index = doc.non_han_cursor();
        // Reused from article to article.
        let mut pieces: Vec<(usize, &str, Shapes)> = Vec::new();
        let mut long: Vec<(usize, &str, usize)> = Vec::new();
        for article in &doc.articles {
            pieces.clear();
            // One walk over each piece's marks (ASCII digits are among them) for every check.
            for p in &doc.paragraphs[article.paragraphs.clone()] {
                for (base, s) in doc.prose(p) {
                    let sh = match index.piece(base, base + s.len()) {
                        Some((at, classes)) => {
                            let (sh, k) = indexed_shapes(text, base, base + s.len(), at, classes);
                            index.advance(k);
                            sh
                        }
                        // A piece before one already read (not in document order), or no index.
                        None => shapes(s, number_marks(doc.non_han_in(base, s, MARKS), s)),
                    };
                    pieces.push((base, s, sh));
                }
            }
            if self.o.full_width_digits {
                let ascii = pieces.iter().any(|(_, _, sh)| sh.ascii_digit);
                let wide = pieces.iter().any(|(_, _, sh)| sh.wide_digit);
                if !ascii && wide {
                    for (base, s, _) in &pieces {
                        full_width_runs(doc, *base, s, out);
                    }
                }
            }
            if self.o.thousands {
                // No match starts before the character ahead of the first digit.
                long.clear();
                long.extend(pieces.iter().filter(|(_, _, sh)| sh.five_digits).map(
                    |&(base, s, sh)| (base, s, thousands_from(s, sh.first_digit.unwrap_or(0))),
                ));
                self.thousands(&long, out);
            }
            for (base, s, sh) in &pieces {
                // `ranges` without its test for an ASCII digit, which `shapes` made; every match
                // starts at a digit.
                if self.o.ranges && sh.range_mark && sh.ascii_digit {
                    let from = sh.first_digit.unwrap_or(0);
                    let to = range_end(s, sh.last_range);
                    ranges_from(*base, s, from..to, self.o.range_units, out);
                }
                if self.o.approximate && sh.approximation {
                    approximate(*base, s, out);
                }
            }
        }
    }
}

fn full_width_runs(doc: &Document, base: usize, s: &str, out: &mut Vec<Finding>) {
    for r in crate::text::wide_digit_runs(doc.non_han_in(base, s, class::WIDE_ALNUM)) {
        let run = &s[r.clone()];
        let ascii = crate::text::to_halfwidth(run);
        let range = base + r.start..base + r.end;
        out.push(
            Finding::new(range.clone(), format!("全角数字“{run}”"))
                .label("全角")
                .help(format!(
                    "阿拉伯数字用半角：“{ascii}”（GB/T 15835-2011，阿拉伯数字的字体）"
                ))
                .fix(Fix::safe(vec![Edit {
                    range,
                    replacement: ascii,
                }])),
        );
    }
}

/// What a piece holds that the regexes look for, from one pass over its bytes (the regexes
/// themselves are far slower than this scan, and most paragraphs have neither shape).
#[derive(Default, Clone, Copy, PartialEq, Eq, Debug)]
struct Shapes {
    /// A run of at least five digits (ASCII or full-width), thousands separators allowed
    /// between them: what `thousands` looks at.
    five_digits: bool,
    /// A range mark (- － ~ 〜 ～ — 至 到) followed, after optional white space, by a digit:
    /// what every range has.
    range_mark: bool,
    /// A 、 between Chinese numerals (一、二, 三、四十): what an approximation has.
    approximation: bool,
    /// An ASCII digit.
    ascii_digit: bool,
    /// A full-width digit (０–９).
    wide_digit: bool,
    /// The offset of the first digit (ASCII or full-width).
    first_digit: Option<usize>,
    /// The offset of the last digit with a range mark before it (when `range_mark`): the
    /// second number of every range starts at such a digit.
    last_range: usize,
}

fn shapes(s: &str, marks: impl Iterator<Item = (usize, Mark)>) -> Shapes {
    let b = s.as_bytes();
    let mut out = Shapes::default();
    // `run`: digits in a row (commas between them allowed); `prev_end`: the byte after the
    // previous digit.
    let (mut run, mut prev_end) = (0, None);
    for (i, m) in marks {
        if m == Mark::Dun {
            out.approximation = out.approximation || around_dun(s, i);
            continue;
        }
        let ascii = m == Mark::Ascii;
        out.first_digit = out.first_digit.or(Some(i));
        out.ascii_digit |= ascii;
        out.wide_digit |= !ascii;
        if prev_end.is_some_and(|e: usize| b[e..i].iter().all(|&x| x == b',')) {
            run += 1;
        } else {
            // A new run: a range mark before it (white space between allowed) makes a range.
            run = 1;
            if mark_before(&s[..i]) {
                out.range_mark = true;
                out.last_range = i;
            }
        }
        prev_end = Some(i + m.width());
        out.five_digits |= run >= 5;
    }
    out
}

/// [`shapes`] of the piece of `text` from byte `base` to `end`, read off the document's index
/// entries from the piece's first on (offsets `a`, classes `c`:
/// [`crate::document::NonHanCursor::piece`]), with how many entries the piece took. A run of
/// digits is read off the text at once, its entries passed over
/// (`tests::indexed_shapes_are_the_walk_s`).
fn indexed_shapes(text: &str, base: usize, end: usize, a: &[u32], c: &[u8]) -> (Shapes, usize) {
    let b = text.as_bytes();
    let n = a.len().min(c.len());
    let mut out = Shapes::default();
    let mut k = 0;
    while k < n {
        let i = a[k] as usize;
        if i >= end {
            break;
        }
        let cl = c[k];
        k += 1;
        if cl & DIGITS != 0 {
            if digit_len(b, i) == 0 {
                // A full-width letter.
                continue;
            }
            // The run: digits with commas between them (and perhaps after them).
            let (mut j, mut digits) = (i, 0);
            while j < end {
                match b[j] {
                    b'0'..=b'9' => {
                        out.ascii_digit = true;
                        j += 1;
                    }
                    b',' => {
                        j += 1;
                        continue;
                    }
                    0xEF if b[j + 1] == 0xBC && (0x90..=0x99).contains(&b[j + 2]) => {
                        out.wide_digit = true;
                        j += 3;
                    }
                    _ => break,
                }
                digits += 1;
            }
            out.five_digits |= digits >= 5;
            let at = i - base;
            out.first_digit = out.first_digit.or(Some(at));
            // A range mark before the run (white space between allowed) makes a range.
            if mark_before_at(text, base, i) {
                out.range_mark = true;
                out.last_range = at;
            }
            // The run's entries (its digits and commas).
            while k < n && (a[k] as usize) < j {
                k += 1;
            }
        } else if cl & class::OTHER != 0
            && !out.approximation
            && b[i] == 0xE3
            && b[i + 1] == 0x80
            && b[i + 2] == 0x81
        {
            out.approximation = dun_between_numerals(b, base, i, end);
        }
    }
    (out, k)
}

/// The three bytes of `b` from `i` as one number (a three-byte character's encoding).
#[inline(always)]
fn three(b: &[u8], i: usize) -> u32 {
    u32::from(b[i]) << 16 | u32::from(b[i + 1]) << 8 | u32::from(b[i + 2])
}

/// [`around_dun`] for the 、 at byte `i` of the piece of `b` from `lo` to `hi`, on the bytes: the
/// numerals are three-byte characters, so the three bytes before and after the 、 are they or
/// not.
#[inline]
fn dun_between_numerals(b: &[u8], lo: usize, i: usize, hi: usize) -> bool {
    i >= lo + 3
        && i + 6 <= hi
        && matches!(
            three(b, i - 3),
            // 一 二 三 四 五 六 七 八 九
            0xE4B880
                | 0xE4BA8C
                | 0xE4B889
                | 0xE59B9B
                | 0xE4BA94
                | 0xE585AD
                | 0xE4B883
                | 0xE585AB
                | 0xE4B99D
        )
        && matches!(
            three(b, i + 3),
            // 二 三 四 五 六 七 八 九 十
            0xE4BA8C
                | 0xE4B889
                | 0xE59B9B
                | 0xE4BA94
                | 0xE585AD
                | 0xE4B883
                | 0xE585AB
                | 0xE4B99D
                | 0xE58D81
        )
}

/// [`mark_before`] of the text from byte `lo` to byte `i` of `text`, on its last bytes where they
/// tell: an ASCII character, or a three-byte character that is a mark, Han or a full-width form
/// (no white space among those).
#[inline]
fn mark_before_at(text: &str, lo: usize, i: usize) -> bool {
    let b = text.as_bytes();
    if i == lo {
        return false;
    }
    match b[i - 1] {
        b'-' | b'~' => return true,
        x if x > b' ' && x < 0x80 => return false,
        _ => {}
    }
    if i >= lo + 3 {
        let c = three(b, i - 3);
        match c {
            // － 〜 ～ — 至 到
            0xEFBC8D | 0xE3809C | 0xEFBD9E | 0xE28094 | 0xE887B3 | 0xE588B0 => return true,
            0xE40000..=0xE9FFFF | 0xEF0000..=0xEFFFFF => return false,
            _ => {}
        }
    }
    mark_before(&text[lo..i])
}

/// Whether `s` ends with a range mark (- ~ － 〜 ～ — 至 到), white space after it allowed.
#[inline]
fn mark_before(s: &str) -> bool {
    const MARKS: [char; 8] = ['-', '~', '－', '〜', '～', '—', '至', '到'];
    match s.chars().next_back() {
        None => false,
        Some(c) if c.is_whitespace() => s.trim_end_matches(char::is_whitespace).ends_with(MARKS),
        Some(c) => MARKS.contains(&c),
    }
}

/// The characters number-style and unit-consistency read: digits and 顿号.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mark {
    /// An ASCII digit.
    Ascii,
    /// A full-width digit (０–９).
    Wide,
    /// 、
    Dun,
}

impl Mark {
    pub(crate) fn width(self) -> usize {
        match self {
            Mark::Ascii => 1,
            Mark::Wide | Mark::Dun => 3,
        }
    }
}

/// What the character starting at byte `i` of `b` (valid UTF-8) is, if a [`Mark`].
#[inline(always)]
fn classify(b: &[u8], i: usize) -> Option<Mark> {
    match b[i] {
        b'0'..=b'9' => Some(Mark::Ascii),
        // A lead byte: two continuation bytes follow.
        0xEF if b[i + 1] == 0xBC && (0x90..=0x99).contains(&b[i + 2]) => Some(Mark::Wide),
        0xE3 if b[i + 1] == 0x80 && b[i + 2] == 0x81 => Some(Mark::Dun),
        _ => None,
    }
}

/// The index classes of the [`Mark`]s: ASCII digits, full-width digits (with the full-width
/// letters) and 、 (with the other CJK marks).
pub(crate) const MARKS: u8 = class::ASCII_DIGIT | class::WIDE_ALNUM | class::OTHER;

/// The index classes of the digit [`Mark`]s (ASCII and full-width): [`MARKS`] without 、.
pub(crate) const DIGITS: u8 = class::ASCII_DIGIT | class::WIDE_ALNUM;

/// The [`Mark`]s among the non-Han characters `marks` of the piece `s` (from
/// [`Document::non_han_in`] with [`MARKS`], or [`DIGITS`] for the digits only), with their
/// offsets in `s`.
pub(crate) fn number_marks<'a>(
    marks: NonHanIn<'a>,
    s: &'a str,
) -> impl Iterator<Item = (usize, Mark)> + 'a {
    picked(marks, s, classify)
}

/// The non-Han characters `marks` of the piece `s` (those of the classes in the mask given to
/// [`Document::non_han_in`]) that `pick` (given the bytes and a character's offset in them) makes
/// something of, with their offsets in `s`. [`NonHanIn`] itself decodes every character of the
/// mask's classes; this reads only the bytes `pick` looks at, and skips the entries of other
/// classes on the index's class bytes.
pub(crate) fn picked<'a, T, F: Fn(&[u8], usize) -> Option<T>>(
    marks: NonHanIn<'a>,
    s: &'a str,
    pick: F,
) -> Picked<'a, F> {
    Picked { marks, s, pick }
}

/// See [`picked`]: [`NonHanIn::next_picked`] as an iterator.
pub(crate) struct Picked<'a, F> {
    marks: NonHanIn<'a>,
    s: &'a str,
    pick: F,
}

impl<T, F: Fn(&[u8], usize) -> Option<T>> Iterator for Picked<'_, F> {
    type Item = (usize, T);

    #[inline(always)]
    fn next(&mut self) -> Option<(usize, T)> {
        self.marks.next_picked(self.s, &self.pick)
    }
}

impl NumberStyle {
    /// Numbers of five or more digits, grouped (570,475) or not (22916), followed by Han text.
    /// `pieces`: the offset of each, its text, and the byte from which on the regex may match.
    fn thousands(&self, pieces: &[(usize, &str, usize)], out: &mut Vec<Finding>) {
        let mut grouped: Vec<Range<usize>> = Vec::new();
        let mut plain: Vec<Range<usize>> = Vec::new();
        for &(base, s, from) in pieces {
            for (m, h) in grouped_matches(s, from) {
                let (number, unit) = (&s[m.clone()], &s[h]);
                let commas = number.bytes().filter(|&x| x == b',').count();
                // Years, phone numbers, codes: not quantities.
                if matches!(unit, "年" | "号" | "次") && commas == 0 && number.len() <= 5 {
                    continue;
                }
                // The digits' bytes.
                let digits = number.len() - commas;
                if !(5..=12).contains(&digits) {
                    continue;
                }
                let r = base + m.start..base + m.end;
                if commas > 0 {
                    grouped.push(r)
                } else {
                    plain.push(r)
                }
            }
        }
        if grouped.is_empty() || plain.is_empty() {
            return;
        }
        let (minority, majority, style) = if grouped.len() <= plain.len() {
            (&grouped, &plain, "不分节")
        } else {
            (&plain, &grouped, "用千分撇分节")
        };
        for r in minority {
            out.push(
                Finding::new(
                    r.clone(),
                    format!("多位数的分节方式与本文其他数字不一致（本文多数{style}）"),
                )
                .label("分节方式不同")
                .with_label(majority[0].clone(), "本文的多数写法")
                .help("同一篇稿件里多位数统一分节或统一不分节（GB/T 15835-2011，多位数的分节）"),
            );
        }
    }
}

#[cfg(test)]
fn ranges(base: usize, s: &str, range_units: bool, out: &mut Vec<Finding>) {
    // `shapes` found a range mark before a digit; the regex reads ASCII digits only after it.
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return;
    }
    ranges_from(base, s, 0..s.len(), range_units, out);
}

/// How far a range whose second number starts at byte `at` of `s` can reach: past the digits
/// and decimal points there, then the longest unit of [`units_from`] (平方公里, 12 bytes).
fn range_end(s: &str, at: usize) -> usize {
    let b = s.as_bytes();
    let mut i = at;
    while i < b.len() {
        if b[i].is_ascii_digit() || b[i] == b'.' {
            i += 1;
        } else if b[i] == 0xEF
            && b.get(i + 1) == Some(&0xBC)
            && b.get(i + 2).is_some_and(|x| (0x90..=0x99).contains(x))
        {
            i += 3;
        } else {
            break;
        }
    }
    let mut end = (i + "平方公里".len()).min(s.len());
    while !s.is_char_boundary(end) {
        end += 1;
    }
    end
}

/// The ranges of `s`, all of which lie in `within` (the regex reads only that part; it has no
/// look-around, so a match there is one of the whole text).
fn ranges_from(
    base: usize,
    s: &str,
    within: Range<usize>,
    range_units: bool,
    out: &mut Vec<Finding>,
) {
    let b = s.as_bytes();
    for m in range_matches(&s[..within.end], within.start) {
        let (whole_start, whole_end) = (m.n1.start, m.u2.end);
        let (n1, sep, n2, u2) = (&s[m.n1], &s[m.sep.clone()], &s[m.n2.clone()], &s[m.u2]);
        let sep_at = m.sep;
        // Part of a code or model name (F-35, G0711, 0635-8241234) or a date (2024-01-05).
        let before = s[..whole_start].chars().next_back();
        if before.is_some_and(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '.') {
            continue;
        }
        if b.get(m.n2.end) == Some(&b'-') || n1.starts_with('0') && n1.len() >= 3 {
            continue;
        }
        let time = matches!(u2, "年" | "月" | "日" | "年代");
        let wrong_mark = matches!(sep, "-" | "－" | "~" | "〜");
        let v1: f64 = n1.parse().unwrap_or(0.0);
        let v2: f64 = n2.parse().unwrap_or(0.0);
        // A subtraction is not a range: "4.8%-4.41%=0.39个百分点", "差值为4.41%-4.8%".
        let after = s[whole_end..].trim_start();
        let before_text = &s[..whole_start];
        let hyphen = matches!(sep, "-" | "－");
        let arithmetic = hyphen
            && (after.starts_with(['=', '＝', '+', '＋', '×', '÷', '*', '/'])
                || ["差", "差为", "差值为", "之差为", "相差", "减", "减去"]
                    .iter()
                    .any(|w| before_text.ends_with(w)));
        if wrong_mark && v1 < v2 && !arithmetic {
            let want = if time { "—" } else { "～" };
            let kind = if time { "时间范围" } else { "数值范围" };
            // Safe only where the hyphen cannot be a minus: the unit only after the second
            // number (3-5公里: a difference would need it on both), or 之间/左右/不等 after it.
            // "4.41%-4.8%" may be a subtraction: the editor decides.
            let surely_range = !hyphen
                || m.u1.is_none()
                || ["之间", "左右", "不等", "以内"]
                    .iter()
                    .any(|w| after.starts_with(w));
            let edit = vec![Edit {
                range: base + sep_at.start..base + sep_at.end,
                replacement: want.into(),
            }];
            out.push(
                Finding::new(
                    base + sep_at.start..base + sep_at.end,
                    format!("{kind}用了“{}”", sep),
                )
                .label("连接号")
                .help(if surely_range {
                    format!("{kind}用“{want}”（GB/T 15835-2011 数值范围；GB/T 15834-2011 连接号）")
                } else {
                    format!(
                        "若是{kind}，用“{want}”（GB/T 15835-2011 数值范围）；若是减法，改用减号“−”"
                    )
                })
                .fix(if surely_range {
                    Fix::safe(edit)
                } else {
                    Fix::unsafe_(edit)
                }),
            );
        }
        // 3公里～5公里: the first unit may be dropped; never a magnitude or %.
        if let Some(u1) = m.u1.filter(|_| range_units) {
            let unit = &s[u1.clone()];
            let keeps = unit.starts_with('万')
                || unit.starts_with('亿')
                || unit == "%"
                || time
                || matches!(sep, "至" | "到");
            if unit == u2 && !keeps {
                out.push(
                    Finding::new(
                        base + u1.start..base + u1.end,
                        format!("数值范围前后都带了单位“{unit}”"),
                    )
                    .label("可省略")
                    .help(format!(
                        "前一个“{unit}”可以省略：{}～{}{unit}（GB/T 15835-2011 数值范围）",
                        n1, n2
                    )),
                );
            }
        }
    }
}

fn approximate(base: usize, s: &str, out: &mut Vec<Finding>) {
    for [n1, n2, unit] in approx_matches(s) {
        let (x, y, unit) = (&s[n1.clone()], &s[n2], &s[unit]);
        let (a, b) = (
            x.chars().next().unwrap_or(' '),
            y.chars().next().unwrap_or(' '),
        );
        if numeral_value(b) != numeral_value(a) + 1 {
            continue;
        }
        // 第一、二季度 is an enumeration; 三十二、三十三届 are whole numbers, not digits.
        let before = s[..n1.start].chars().next_back();
        // 第三、四、五次: one numeral of a longer list.
        if before.is_some_and(|ch| {
            ch == '第' || ch == '、' || "〇一二三四五六七八九十百千万".contains(ch)
        }) {
            continue;
        }
        let dun = n1.end;
        out.push(
            Finding::new(
                base + dun..base + dun + '、'.len_utf8(),
                format!("概数“{x}{y}”中间不用顿号"),
            )
            .label("顿号")
            .help(format!("写作“{x}{y}{unit}”（GB/T 15835-2011，概数）"))
            .fix(Fix::safe(vec![Edit {
                range: base + dun..base + dun + '、'.len_utf8(),
                replacement: String::new(),
            }])),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Applicability;
    use crate::text;
    use proptest::prelude::*;
    use regex::Regex;

    /// The regexes the hand-written matchers stand for.
    fn range_re() -> Regex {
        Regex::new(&format!(
            r"([0-9０-９]+(?:\.[0-9０-９]+)?)({RANGE_UNITS})?\s*([-－~〜～—至到])\s*([0-9０-９]+(?:\.[0-9０-９]+)?)({RANGE_UNITS})"
        ))
        .expect("regex")
    }

    fn thousands_re() -> Regex {
        Regex::new(&format!(
            r"(^|[^0-9０-９.,A-Za-z\-])([0-9０-９]{{1,3}}(?:,[0-9０-９]{{3}})+|[0-9０-９]{{5,}})(?:\.[0-9０-９]+)?([{}])",
            crate::text::HAN_CLASS
        ))
        .expect("regex")
    }

    fn approx_re() -> Regex {
        Regex::new(r"([一二三四五六七八九])、([二三四五六七八九十])(十|百|千|万|亿|个|岁|天|人|次|倍|成|多)")
            .expect("regex")
    }

    /// Each match's groups as byte ranges.
    fn spans(re: &Regex, s: &str) -> Vec<Vec<Option<Range<usize>>>> {
        re.captures_iter(s)
            .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect())
            .collect()
    }

    /// The hand-written matchers' matches in the regexes' shape.
    fn range_spans(s: &str, from: usize) -> Vec<Vec<Option<Range<usize>>>> {
        range_matches(s, from)
            .map(|m| {
                vec![
                    Some(m.n1.start..m.u2.end),
                    Some(m.n1),
                    m.u1,
                    Some(m.sep),
                    Some(m.n2),
                    Some(m.u2),
                ]
            })
            .collect()
    }

    fn grouped_spans(s: &str, from: usize) -> Vec<(Range<usize>, Range<usize>)> {
        grouped_matches(s, from).collect()
    }

    fn approx_spans(s: &str) -> Vec<Vec<Option<Range<usize>>>> {
        approx_matches(s)
            .map(|[a, b, c]| vec![Some(a.start..c.end), Some(a), Some(b), Some(c)])
            .collect()
    }

    /// The three matchers find what their regexes find over the whole of `s`.
    fn matchers_are_the_regexes(s: &str) {
        assert_eq!(range_spans(s, 0), spans(&range_re(), s), "{s:?}");
        let want: Vec<_> = spans(&thousands_re(), s)
            .into_iter()
            .map(|g| (g[2].clone().expect("number"), g[3].clone().expect("Han")))
            .collect();
        assert_eq!(grouped_spans(s, 0), want, "{s:?}");
        assert_eq!(approx_spans(s), spans(&approx_re(), s), "{s:?}");
    }

    /// The applicability of each range finding's fix in `s`.
    fn range_fixes(s: &str) -> Vec<Option<Applicability>> {
        let mut out = Vec::new();
        ranges(0, s, false, &mut out);
        out.iter()
            .map(|f| f.fix.as_ref().map(|x| x.applicability))
            .collect()
    }

    /// Issue 15 item 10: "4.41%-4.8%" may be a subtraction; no safe fix turns it into a range.
    #[test]
    fn a_hyphen_that_may_be_a_minus_has_no_safe_fix() {
        assert_eq!(
            range_fixes("利率为4.41%-4.8%。"),
            [Some(Applicability::Unsafe)]
        );
        assert!(range_fixes("降幅为4.8%-4.41%=0.39个百分点").is_empty());
        assert!(range_fixes("两者之差为4.41%-4.8%，").is_empty());
        assert!(range_fixes("4.41%-4.8%=-0.39%").is_empty());
        // Surely a range: the unit on the second number only, or 之间 after it.
        assert_eq!(range_fixes("全程3-5公里"), [Some(Applicability::Safe)]);
        assert_eq!(range_fixes("在4.41%-4.8%之间"), [Some(Applicability::Safe)]);
        assert_eq!(range_fixes("3~5公里"), [Some(Applicability::Safe)]);
    }

    /// The walk over the non-Han characters that `shapes` replaced (the document's index of
    /// them was its input): the oracle for all five shapes.
    fn shapes_by_marks(s: &str, marks: impl Iterator<Item = (usize, char)>) -> Shapes {
        let is_mark = |c: char| matches!(c, '-' | '~' | '－' | '〜' | '～' | '—' | '至' | '到');
        let b = s.as_bytes();
        let mut out = Shapes::default();
        // `run`: digits in a row (a comma does not end a run); `after_mark`: a range mark came last,
        // white space after it allowed.
        let (mut run, mut after_mark) = (0, false);
        // The byte after the previous non-Han character: a gap before the next one is Han text.
        let mut next = 0;
        for (i, c) in marks {
            if i > next {
                // Han characters: no digit, and no white space; the last one decides whether a
                // range mark (至, 到) came last.
                run = 0;
                after_mark = matches!(&b[i - 3..i], [0xE8, 0x87, 0xB3] | [0xE5, 0x88, 0xB0]);
            }
            next = i + c.len_utf8();
            if c == ',' {
                after_mark = false;
                continue;
            }
            let ascii = c.is_ascii_digit();
            if ascii || ('０'..='９').contains(&c) {
                out.ascii_digit |= ascii;
                out.wide_digit |= !ascii;
                run += 1;
                out.five_digits |= run >= 5;
                out.range_mark |= after_mark;
                after_mark = false;
            } else {
                run = 0;
                if is_mark(c) {
                    after_mark = true;
                } else if !c.is_whitespace() {
                    after_mark = false;
                }
                if c == '、' && !out.approximation {
                    let before = s[..i].chars().next_back();
                    let after = s[next..].chars().next();
                    out.approximation = before.is_some_and(|c| "一二三四五六七八九".contains(c))
                        && after.is_some_and(|c| "二三四五六七八九十".contains(c));
                }
            }
            if out.five_digits
                && out.range_mark
                && out.approximation
                && out.ascii_digit
                && out.wide_digit
            {
                break;
            }
        }
        out
    }

    /// The byte-by-byte scan before `shapes_by_marks`, kept as the oracle for the two shapes it
    /// knew
    /// (its early exit ignores approximations).
    fn reference(s: &str) -> Shapes {
        // Three-byte characters as numbers: ０ is EF BC 90.
        const WIDE_ZERO: u32 = 0xEF_BC_90;
        const WIDE_NINE: u32 = 0xEF_BC_99;
        const MARKS: [u32; 6] = [
            0xEF_BC_8D, // －
            0xE3_80_9C, // 〜
            0xEF_BD_9E, // ～
            0xE2_80_94, // —
            0xE8_87_B3, // 至
            0xE5_88_B0, // 到
        ];
        let b = s.as_bytes();
        let mut out = Shapes::default();
        let (mut run, mut after_mark, mut i) = (0, false, 0);
        while i < b.len() {
            let x = b[i];
            let (digit, mark, space, width) = match x {
                b'0'..=b'9' => (true, false, false, 1),
                b',' => {
                    // Inside a grouped number; ends a range mark's reach.
                    after_mark = false;
                    i += 1;
                    continue;
                }
                b'-' | b'~' => (false, true, false, 1),
                b' ' | b'\t' => (false, false, true, 1),
                // Han (most of the text): only 至 and 到 matter.
                0xE4..=0xE9 if i + 3 <= b.len() => {
                    let c = u32::from(x) << 16 | u32::from(b[i + 1]) << 8 | u32::from(b[i + 2]);
                    (false, c == 0xE8_87_B3 || c == 0xE5_88_B0, false, 3)
                }
                0xE0..=0xEF if i + 3 <= b.len() => {
                    let c = u32::from(x) << 16 | u32::from(b[i + 1]) << 8 | u32::from(b[i + 2]);
                    let digit = (WIDE_ZERO..=WIDE_NINE).contains(&c);
                    (digit, MARKS.contains(&c), c == 0xE3_80_80, 3) // U+3000
                }
                0xF0..=0xF7 => (false, false, false, 4),
                0xC0..=0xDF => (false, false, false, 2),
                _ => (false, false, false, 1),
            };
            if digit {
                run += 1;
                out.five_digits |= run >= 5;
                out.range_mark |= after_mark;
                after_mark = false;
            } else {
                run = 0;
                if mark {
                    after_mark = true;
                } else if after_mark && !space {
                    // Any other white space (rare) keeps the mark in reach, as `\s` does.
                    after_mark = s[i..].chars().next().is_some_and(char::is_whitespace);
                }
            }
            if out.five_digits && out.range_mark {
                break;
            }
            i += width;
        }
        out
    }

    fn same(s: &str) {
        let (a, b) = (shapes(s, walk(s).into_iter()), reference(s));
        let c = shapes_by_marks(s, text::non_han(s));
        assert_eq!(
            (
                a.five_digits,
                a.range_mark,
                a.approximation,
                a.ascii_digit,
                a.wide_digit
            ),
            (
                c.five_digits,
                c.range_mark,
                c.approximation,
                c.ascii_digit,
                c.wide_digit
            ),
            "{s:?}"
        );
        assert_eq!(
            (a.five_digits, a.range_mark),
            (b.five_digits, b.range_mark),
            "{s:?}"
        );
        assert_eq!(
            a.ascii_digit,
            s.bytes().any(|b| b.is_ascii_digit()),
            "{s:?}"
        );
        assert_eq!(
            a.wide_digit,
            s.contains(|c| ('０'..='９').contains(&c)),
            "{s:?}"
        );
    }

    /// The regexes run from the first digit on find what they find from the start, and a piece
    /// without a range mark before a digit has no range.
    fn regexes_from_the_first_digit(s: &str) {
        let sh = shapes(s, walk(s).into_iter());
        assert_eq!(
            sh.first_digit,
            s.find(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c)),
            "{s:?}"
        );
        let (mut all, mut from) = (Vec::new(), Vec::new());
        ranges(0, s, true, &mut all);
        if sh.range_mark && sh.ascii_digit {
            let to = range_end(s, sh.last_range);
            ranges_from(0, s, sh.first_digit.unwrap_or(0)..to, true, &mut from);
        }
        assert_eq!(format!("{all:?}"), format!("{from:?}"), "{s:?}");
        assert_eq!(
            grouped_spans(s, 0),
            grouped_spans(s, thousands_from(s, sh.first_digit.unwrap_or(0))),
            "{s:?}"
        );
        matchers_are_the_regexes(s);
    }

    /// The matchers' matches by example (the proptests compare them with the regexes).
    #[test]
    fn matchers_by_example() {
        let n = |s: &str| {
            matchers_are_the_regexes(s);
            (
                range_spans(s, 0).len(),
                grouped_spans(s, 0).len(),
                approx_spans(s).len(),
            )
        };
        assert_eq!(n("全程3-5公里，3万人～5万人，1.2.3-4年"), (3, 0, 0));
        assert_eq!(n("3 至\u{3000}5.5平方公里"), (1, 0, 0));
        assert_eq!(
            n("12,345人，123456元，1,23人，1234人，12,3456人，a12345人"),
            (0, 2, 0)
        );
        assert_eq!(n("１２,３４５人口12345.6万"), (0, 2, 0));
        assert_eq!(n("三、四十年代，一、二、三十人"), (0, 0, 2));
        assert_eq!(range_spans("3万人～5万人", 0)[0][2], Some(1..7));
    }

    /// [`units_from`] holds [`RANGE_UNITS`], each under its first character in the list's order,
    /// and nothing else.
    #[test]
    fn units_by_first_character() {
        let units: Vec<&str> = RANGE_UNITS.split('|').collect();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let want: Vec<&str> = units.iter().copied().filter(|u| u.starts_with(c)).collect();
            assert_eq!(units_from(c), &want[..], "{c:?}");
        }
    }

    #[test]
    fn shapes_by_example() {
        for s in [
            "12345",
            "1,234,567",
            "1 2345",
            "3至5天",
            "3至 5天",
            "3至\u{3000}5",
            "3，至5",
            "2-3",
            "5~8",
            "５－８",
            "10至，5",
            "１２３４５",
            "至5",
            "到 9",
            "全年1至",
            "",
            "a-b 1",
        ] {
            same(s);
            regexes_from_the_first_digit(s);
        }
        for s in [
            "全程3-5公里",
            "面积3-5平方公里，1.5-2.5平方米",
            "３～５.５公里",
            "a12345人",
            "人口12,345,678人，另有３－５公里",
            "12345人",
            "规划期为2024-2028年，3公里～5公里",
        ] {
            regexes_from_the_first_digit(s);
        }
        // `range_end` counts on the longest unit.
        assert!(RANGE_UNITS.split('|').all(|u| u.len() <= "平方公里".len()));
        assert!(shapes("三、四十人", walk("三、四十人").into_iter()).approximation);
        assert!(shapes("一、二", walk("一、二").into_iter()).approximation);
        // Only a pre-check: 一、三 is rejected later, by the numerals' values.
        assert!(shapes("一、三", walk("一、三").into_iter()).approximation);
        assert!(!shapes("甲、乙", walk("甲、乙").into_iter()).approximation);
        assert!(shapes("3至5", walk("3至5").into_iter()).range_mark);
        assert!(!shapes("3至的5", walk("3至的5").into_iter()).range_mark);
        assert!(shapes("12,345", walk("12,345").into_iter()).five_digits);
        assert!(!shapes("1234年5", walk("1234年5").into_iter()).five_digits);
    }

    proptest! {
        #[test]
        fn shapes_match_the_byte_scan(s in "[0-9０-９,，\\-~－〜～—至到的 \t\u{3000}\u{2003}\na、一二三é𠀀]{0,40}") {
            same(&s);
        }

        /// Longer text, with the characters around the full-width digits (／ EF BC 8F, ：
        /// EF BC 9A, ｐ EF BD 90) and 、 (。 E3 80 82), and rarer white space.
        #[test]
        fn shapes_match_the_walk_on_long_text(s in "[0-9０９,，\\-～至到的中 \u{3000}\u{85}\u{a0}／：ｐ、。一二三四十a𠀀]{0,90}") {
            same(&s);
        }

        /// Ranges and grouped numbers, searched from the first digit on.
        #[test]
        fn regexes_match_from_the_first_digit(s in "[0-9０５,.\\-~～—至到 a年月公里平方万元%人的中、]{0,40}") {
            regexes_from_the_first_digit(&s);
        }

        /// The hand-written matchers find what the regexes they replaced find, on text that
        /// mixes digits of both widths, points and commas, Chinese numerals, range marks, units
        /// and their first characters, white space and Han text.
        #[test]
        fn matchers_match_the_regexes(s in "[0-9０５９.,，\\-－~〜～—至到 \t\u{3000}\u{85}\u{a0}a年代级个月公里斤平方米万元亿人%℃批一二三四五十百、第的中𠀀é\u{fa6e}]{0,40}") {
            matchers_are_the_regexes(&s);
        }

        /// The same on text shaped like ranges and grouped numbers: numbers, a unit or not, a
        /// mark, a number, a unit.
        #[test]
        fn matchers_match_the_regexes_on_ranges(
            parts in proptest::collection::vec(
                "[0-9０５]{1,4}(\\.[0-9]{1,2})?|,[0-9]{2,4}|(年代|年|个月|个|公里|平方公里|平方米|万元|万|万人|亿|%|℃|批)|[ \u{3000}]|[\\-－~〜～—至到]|[的中、.]|[一二三四十][、]?",
                0..12,
            ),
        ) {
            matchers_are_the_regexes(&parts.concat());
        }

        /// The shapes read off the index, piece after piece as `check` reads them, are those of
        /// the walk over each piece, in plain text and in Markdown.
        #[test]
        fn indexed_shapes_are_the_walk_s(
            s in "[0-9０９,，\\-~－〜～—至到的中 \n\t\u{3000}\u{2003}\u{1680}\u{85}\u{a0}／：ｐＡ、。一二三九十a𠀀é#*`|]{0,160}",
            markdown in any::<bool>(),
        ) {
            let format = if markdown { crate::document::Format::Markdown } else { crate::document::Format::Plain };
            let doc = Document::parse(crate::source::SourceFile::from_text(s.clone(), false), format);
            let mut cursor = doc.non_han_cursor();
            for p in &doc.paragraphs {
                for (base, piece) in doc.prose(p) {
                    let end = base + piece.len();
                    let (at, classes) = cursor.piece(base, end).expect("pieces in order");
                    let (got, k) = indexed_shapes(doc.text(), base, end, at, classes);
                    cursor.advance(k);
                    prop_assert_eq!(got, shapes(piece, walk(piece).into_iter()), "{:?}", piece);
                }
            }
        }

        /// The byte tests before a digit and around a 、 answer as the tests on characters, at
        /// every character boundary from one slice start on.
        #[test]
        fn byte_tests_are_the_char_tests(
            s in "[0-9-~－〜～—至到的中 \t\u{b}\u{3000}\u{2003}\u{1680}\u{205f}\u{85}\u{a0}，、。一二三四五六七八九十a𠀀é]{0,30}",
            cut in 0usize..40,
        ) {
            let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
            let lo = bounds[cut % bounds.len()];
            for &i in bounds.iter().filter(|&&i| i >= lo) {
                prop_assert_eq!(mark_before_at(&s, lo, i), mark_before(&s[lo..i]), "{:?} {} {}", s, lo, i);
            }
            for (i, _) in s.match_indices('、').filter(|&(i, _)| i >= lo) {
                prop_assert_eq!(
                    dun_between_numerals(s.as_bytes(), lo, i, s.len()),
                    around_dun(&s[lo..], i - lo),
                    "{:?} {} {}", s, lo, i
                );
            }
        }

        /// The document's index gives the marks the walk gives, piece by piece.
        #[test]
        fn indexed_marks_are_the_walked_ones(s in "[0-9０９,，\\-～的中 \n／：ｐ、。一二a𠀀]{0,120}") {
            let doc = Document::parse(
                crate::source::SourceFile::from_text(s.clone(), false),
                crate::document::Format::Plain,
            );
            for p in &doc.paragraphs {
                for (base, piece) in doc.prose(p) {
                    let from_index = matches!(doc.non_han_in(base, piece, MARKS), NonHanIn::Indexed { .. });
                    prop_assert!(from_index);
                    let indexed: Vec<_> = number_marks(doc.non_han_in(base, piece, MARKS), piece).collect();
                    prop_assert_eq!(&indexed, &walk(piece));
                    let digits: Vec<_> = number_marks(doc.non_han_in(base, piece, DIGITS), piece).collect();
                    let want: Vec<_> = indexed.iter().copied().filter(|&(_, m)| m != Mark::Dun).collect();
                    prop_assert_eq!(digits, want);
                }
            }
        }
    }

    /// The marks of `s` from every character, decoded: the oracle of the index's class masks.
    fn walk(s: &str) -> Vec<(usize, Mark)> {
        let decoded: Vec<(usize, Mark)> = s
            .char_indices()
            .filter_map(|(i, c)| match c {
                '0'..='9' => Some((i, Mark::Ascii)),
                '０'..='９' => Some((i, Mark::Wide)),
                '、' => Some((i, Mark::Dun)),
                _ => None,
            })
            .collect();
        let walked: Vec<(usize, Mark)> =
            number_marks(NonHanIn::Walk(text::non_han(s), MARKS), s).collect();
        assert_eq!(walked, decoded, "{s:?}");
        walked
    }

    /// Every mark is in the classes of [`MARKS`], the digits in those of [`DIGITS`].
    #[test]
    fn marks_are_in_their_classes() {
        use crate::document::class;
        for c in ('0'..='9').chain('０'..='９') {
            assert_ne!(class::of(c) & DIGITS, 0, "{c:?}");
        }
        assert_ne!(class::of('、') & MARKS, 0);
    }

    #[test]
    fn marks_by_example() {
        let s = "０１２３４５６７８９／：ｐ0123456789ab，。、ＡＺ";
        let m = walk(s);
        assert_eq!(m.len(), 21);
        assert_eq!(m[0], (0, Mark::Wide));
        assert_eq!(m[10], (39, Mark::Ascii));
        assert_eq!(m[20], (s.find('、').unwrap_or(0), Mark::Dun));
    }
}
