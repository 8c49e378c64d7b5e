//! `unit-consistency`: one kind of quantity written with different unit spellings in one
//! article, an amount given with and without its currency, mixed digit widths. See [`DOCS`].

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::number_style::{number_marks, Mark, DIGITS};
use super::{Fixability, OptionError, Rule, RuleEntry, RuleMeta};
use crate::diagnostic::{Edit, Finding, Fix, Severity};
use crate::document::{class, Document, Zone};

pub const DOCS: &str = r#"## What it does

Within one article (a page is split into articles by its headlines):

- one kind of quantity written with different unit spellings: 公里/千米/km, 平方米/平米/㎡/m²,
  千克/公斤/kg, 摄氏度/℃, 千瓦时/kWh, 公顷/hm², % and ％ … The spelling used less often is
  reported, with a label on the first use of the other and a help naming the preferred form;
- an amount given with its currency in one place and without it in another: "16.59亿元" in the
  headline, "16.59亿" in the body. Only specific figures (three significant digits or more,
  with 万 or 亿) are matched: "3亿" may be 3亿 people;
- full-width digits (２０２４) in an article that also uses ASCII digits.

The unit classes are data, in `lints/units.toml`; a spelling counts only right after Arabic
digits (and an optional 万 or 亿), so "三公里" or "五千米" are never guessed at.

## Why

A reader who meets 122公里 and then 80km wonders whether two sources were pasted together; an
amount that loses its unit ("额度16.59亿") is ambiguous. News style (GB 3100–3102, GB/T
15835-2011) wants one spelling per unit and half-width Arabic digits.

## Examples

Reported:

    我区成功发行地方政府专项债券16.59亿元        (headline)
    上级下达我区新增专项债券额度16.59亿，……      (body: 16.59亿 lacks 元)

    线路总长122.16公里……新建线路80km            (km is the minority)

Not reported:

- different units of different quantities (公里 and 公斤);
- one spelling throughout, whatever it is;
- spellings in different articles of a page;
- an amount without its unit in a headline or subhead ("总票房突破8亿"): headlines drop units
  by convention;
- 度 (kilowatt-hour, temperature and angle cannot be told apart) and 5G.

## Options

- `classes` (array of tables): more unit classes, each
  `{ name = "...", preferred = "...", spellings = ["...", ...] }`, added to the built-in ones.
- `amounts` (bool): check amounts with and without their currency.
- `digits` (bool): check full-width digits.

## Fix safety

Full-width digits are replaced with ASCII digits (safe). Unit spellings and missing currencies
have no automatic fix: which spelling the house prefers, and whether the bare amount really is
the same sum, are an editor's call.
"#;

pub static META: RuleMeta = RuleMeta {
    id: Cow::Borrowed("unit-consistency"),
    summary: Cow::Borrowed("One quantity written with different unit spellings in one article"),
    default_severity: Severity::Warning,
    default_enabled: true,
    fix: Fixability::Sometimes,
    docs: Cow::Borrowed(DOCS),
    options: Cow::Borrowed("# More unit classes, e.g. [{ name = \"mu\", preferred = \"亩\", spellings = [\"亩\", \"mu\"] }]\nclasses = []\n# Check amounts given with and without their currency (16.59亿元 / 16.59亿)\namounts = true\n# Check full-width digits in articles that also use ASCII digits\ndigits = true\n"),
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build };

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct UnitClass {
    name: String,
    preferred: String,
    spellings: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitTable {
    class: Vec<UnitClass>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    classes: Vec<UnitClass>,
    amounts: bool,
    digits: bool,
}

fn builtin_classes() -> &'static [UnitClass] {
    static TABLE: OnceLock<Vec<UnitClass>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let t: UnitTable =
            toml::from_str(include_str!("../../../../lints/units.toml")).expect("lints/units.toml");
        t.class
    })
}

fn build(table: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
    let o: Options = super::parse_options(&META, table)?;
    let mut classes = builtin_classes().to_vec();
    for c in &o.classes {
        if c.spellings.len() < 2 || c.spellings.iter().any(String::is_empty) {
            return Err(OptionError {
                key: Some("classes".into()),
                message: format!("class `{}` needs at least two non-empty spellings", c.name),
            });
        }
    }
    classes.extend(o.classes);
    // Longest spelling first, so 平方米 wins over 米 and mm over m.
    let mut spellings: Vec<(String, usize)> = classes
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.spellings.iter().map(move |s| (s.clone(), i)))
        .collect();
    spellings.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    // The spellings by first character, in the order above: a number looks only at its bucket.
    let mut by_first: FxHashMap<char, Vec<usize>> = FxHashMap::default();
    for (k, (sp, _)) in spellings.iter().enumerate() {
        if let Some(c) = sp.chars().next() {
            by_first.entry(c).or_default().push(k);
        }
    }
    // Each spelling's place in its class's list.
    let spellings = spellings
        .into_iter()
        .enumerate()
        .map(|(k, (sp, class))| {
            let at = classes[class].spellings.iter().position(|x| *x == sp);
            (sp, class, at.unwrap_or(k))
        })
        .collect();
    Ok(Box::new(UnitConsistency {
        classes,
        spellings,
        by_first,
        amounts: o.amounts,
        digits: o.digits,
    }))
}

struct UnitConsistency {
    classes: Vec<UnitClass>,
    /// Longest first: the spelling, its class, its index in the class's spellings.
    spellings: Vec<(String, usize, usize)>,
    by_first: FxHashMap<char, Vec<usize>>,
    amounts: bool,
    digits: bool,
}

/// A number in running text: ASCII digits with an optional decimal part.
#[cfg_attr(test, derive(Debug, PartialEq, Eq))]
struct Number {
    /// Byte range of the digits.
    range: Range<usize>,
    /// Byte offset just past the digits and an optional 万/亿/万亿.
    after: usize,
}

impl Number {
    /// The digits and magnitude, as written ("16.59亿").
    fn key<'a>(&self, s: &'a str) -> &'a str {
        &s[self.range.start..self.after]
    }
}

const CURRENCIES: &[&str] = &[
    "元",
    "美元",
    "欧元",
    "日元",
    "英镑",
    "港元",
    "港币",
    "澳门元",
];

/// What one walk over a piece's digits finds: whether it holds ASCII digits and full-width
/// digits at all (its numbers go to the caller's buffer).
#[cfg_attr(test, derive(Debug, PartialEq, Eq))]
struct Digits {
    ascii: bool,
    wide: bool,
}

fn numbers(
    s: &str,
    marks: impl Iterator<Item = (usize, Mark)>,
    numbers: &mut Vec<Number>,
) -> Digits {
    numbers.clear();
    let mut out = Digits {
        ascii: false,
        wide: false,
    };
    // Digits are ASCII: walk the digits, skipping what a number consumed.
    let mut resume = 0;
    for (start, m) in marks {
        match m {
            Mark::Ascii => {}
            Mark::Wide => {
                out.wide = true;
                continue;
            }
            Mark::Dun => continue,
        }
        out.ascii = true;
        if start < resume {
            continue;
        }
        resume = number_at(s, start, numbers);
    }
    out
}

/// The number whose first digit is at byte `start` of `s` goes to `numbers` unless glued to a
/// letter, a point or a hyphen before it; the byte after its digits (and points and commas
/// between them).
#[inline]
fn number_at(s: &str, start: usize, numbers: &mut Vec<Number>) -> usize {
    let b = s.as_bytes();
    let glued = start > 0
        && (b[start - 1].is_ascii_alphabetic() || b[start - 1] == b'.' || b[start - 1] == b'-');
    let mut i = start;
    while i < b.len()
        && (b[i].is_ascii_digit()
            || (b[i] == b'.' || b[i] == b',') && b.get(i + 1).is_some_and(u8::is_ascii_digit))
    {
        i += 1;
    }
    if glued {
        return i;
    }
    let after = i + magnitude_len(&b[i..]);
    numbers.push(Number {
        range: start..i,
        after,
    });
    i
}

/// The length of the magnitude (万亿, 万 or 亿) `rest` starts with, 0 if none, on the bytes
/// (万 is E4 B8 87, 亿 E4 BA BF).
#[inline]
fn magnitude_len(rest: &[u8]) -> usize {
    const WAN: &[u8] = "万".as_bytes();
    const YI: &[u8] = "亿".as_bytes();
    match rest {
        [0xE4, 0xB8, 0x87, 0xE4, 0xBA, 0xBF, ..] => WAN.len() + YI.len(),
        [0xE4, 0xB8, 0x87, ..] => WAN.len(),
        [0xE4, 0xBA, 0xBF, ..] => YI.len(),
        _ => 0,
    }
}

/// [`numbers`] of the piece of `text` from byte `base` to `end`, read off the document's index
/// entries from the piece's first on (offsets `a`, classes `c`:
/// [`crate::document::NonHanCursor::piece`]), with how many entries the piece took. The digits
/// a number took are passed over on their entries (`tests::indexed_numbers_are_the_walk_s`).
fn indexed_numbers(
    text: &str,
    base: usize,
    end: usize,
    a: &[u32],
    c: &[u8],
    numbers: &mut Vec<Number>,
) -> (Digits, usize) {
    let (s, b) = (&text[base..end], text.as_bytes());
    let n = a.len().min(c.len());
    numbers.clear();
    let mut out = Digits {
        ascii: false,
        wide: false,
    };
    let mut k = 0;
    while k < n {
        let i = a[k] as usize;
        if i >= end {
            break;
        }
        let cl = c[k];
        k += 1;
        if cl & class::ASCII_DIGIT != 0 {
            out.ascii = true;
            // Only ASCII digits, points and commas up to there.
            let resume = base + number_at(s, i - base, numbers);
            while k < n && (a[k] as usize) < resume {
                k += 1;
            }
        } else if cl & class::WIDE_ALNUM != 0
            && b[i] == 0xEF
            && b[i + 1] == 0xBC
            && (0x90..=0x99).contains(&b[i + 2])
        {
            out.wide = true;
        }
    }
    (out, k)
}

/// Up to six characters of `text` from byte `at`.
fn following(text: &str, at: usize) -> &str {
    let t = &text[at..];
    let end = t.char_indices().nth(6).map_or(t.len(), |(i, _)| i);
    &t[..end]
}

/// Whether an amount in 万/亿 followed by `rest` stands without a unit: no currency, unit or
/// measure word follows ("300万。", "1万补贴", "450亿用于", "安排1000亿支持", "迈上140万亿台阶",
/// "1.8万/千瓦"), and it does not share the unit of the next figure ("5万亿、6万亿元",
/// "1.3万—1.8万元").
fn is_bare(rest: &str) -> bool {
    let mut it = rest.chars();
    let Some(c) = it.next() else {
        return true;
    };
    if matches!(c, '、' | '—' | '～' | '~' | '-' | '至' | '到' | '或')
        && it.next().is_some_and(|d| d.is_ascii_digit())
    {
        return false;
    }
    if rest.starts_with("人民币") {
        return false;
    }
    // 多/余 before the unit: "300多万人".
    let rest = rest.strip_prefix(['多', '余']).unwrap_or(rest);
    let Some(c) = rest.chars().next() else {
        return true;
    };
    if c.is_ascii_alphanumeric() || matches!(c, '%' | '％') {
        return false;
    }
    const MEASURES: &str = "人个名位户家只头条件辆架艘台部座栋套张本册份篇次项株棵亩吨斤公千米克度倍年岁天元美欧日英港澳股手笔单票粒瓶箱袋盒平立升毫瓦伏安焦帧字页种类批支双对幅场届期级所间处块口";
    if !MEASURES.contains(c) {
        return true;
    }
    // A measure character may open another word: 台阶, 支持, 项目, 部署 are not units.
    crate::segment::first_word(rest).is_some_and(|w| {
        w.chars().count() > 1
            && !crate::segment::cut(w, false).first().is_some_and(|t| {
                let tag = crate::segment::tag_of(t.word);
                tag.starts_with('q') || tag.starts_with('m')
            })
            && ![
                "公里",
                "千米",
                "公斤",
                "千克",
                "美元",
                "欧元",
                "日元",
                "英镑",
                "港元",
                "港币",
                "平方米",
                "平方公里",
                "立方米",
                "毫米",
                "千瓦",
                "万千瓦",
                "年底",
                "年初",
                "年间",
            ]
            .contains(&w)
    })
}

/// Whether the clause before a figure counts people or things ("人口已超过", "用户达").
fn counts_people_or_things(before: &str) -> bool {
    let clause = before
        .rsplit(['，', '。', '；', '：', '！', '？'])
        .next()
        .unwrap_or(before);
    const WORDS: &[&str] = &[
        "人口", "人次", "人数", "用户", "网民", "观众", "游客", "旅客", "居民", "群众", "职工",
        "学生", "党员", "会员", "粉丝", "人员", "乘客", "患者", "参保", "就业",
    ];
    WORDS.iter().any(|w| clause.contains(w))
}

/// An amount in 万/亿 without a currency after it, in the document's offsets.
struct Bare {
    /// The digits and magnitude: the key of [`Number::key`].
    range: Range<usize>,
    /// The end of the digits.
    digits_end: usize,
    /// The start of the piece it is in.
    piece: usize,
}

struct Use {
    class: usize,
    spelling: usize,
    range: Range<usize>,
}

impl Rule for UnitConsistency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let text = doc.text();
        // Kept from one article to the next, emptied for each.
        let mut uses: Vec<Use> = Vec::new();
        let mut with_currency: FxHashMap<&str, (Range<usize>, &'static str)> = FxHashMap::default();
        let mut bare: Vec<Bare> = Vec::new();
        let mut wide_runs: Vec<Range<usize>> = Vec::new();
        let mut found: Vec<Number> = Vec::new();
        // The document's index, read piece by piece in order (one pass, not one search a piece).
        let mut index = doc.non_han_cursor();
        for article in &doc.articles {
            let paras = &doc.paragraphs[article.paragraphs.clone()];
            uses.clear();
            with_currency.clear();
            bare.clear();
            wide_runs.clear();
            let mut ascii_digits = false;
            for p in paras {
                // Headlines drop units by convention ("总票房突破8亿"): their bare amounts are
                // not reported, but their amounts with a unit count as the reference.
                let headline = matches!(p.zone, Zone::Headline | Zone::Deck | Zone::Subheading);
                for (base, s) in doc.prose(p) {
                    let before = bare.len();
                    // One walk over the piece's marks for the numbers and the digit styles.
                    let digits = match index.piece(base, base + s.len()) {
                        Some((at, classes)) => {
                            let end = base + s.len();
                            let (d, k) = indexed_numbers(text, base, end, at, classes, &mut found);
                            index.advance(k);
                            d
                        }
                        // A piece before one already read (not in document order), or no index.
                        None => numbers(
                            s,
                            number_marks(doc.non_han_in(base, s, DIGITS), s),
                            &mut found,
                        ),
                    };
                    self.scan(base, s, &found, &mut uses, &mut with_currency, &mut bare);
                    if headline {
                        bare.truncate(before);
                    }
                    if self.digits {
                        ascii_digits |= digits.ascii;
                        if digits.wide {
                            wide_runs.extend(
                                crate::text::wide_digit_runs(doc.non_han_in(
                                    base,
                                    s,
                                    class::WIDE_ALNUM,
                                ))
                                .into_iter()
                                .map(|r| base + r.start..base + r.end),
                            );
                        }
                    }
                }
            }
            self.report_units(&uses, out);
            if self.amounts {
                for b in &bare {
                    let (key, r) = (&text[b.range.clone()], &b.range);
                    let Some((first, cur)) = with_currency.get(key) else {
                        continue;
                    };
                    // A round figure ("3亿", "100万亿") may well be another quantity than an
                    // amount of the same figure elsewhere: only when the clause counts no people
                    // or things ("60周岁及以上人口已超过3亿" is not 3亿元). A specific one
                    // (16.59亿, 134万亿) identifies the same amount.
                    let digits = text[r.start..b.digits_end]
                        .trim_start_matches('0')
                        .replace(['.', ','], "");
                    let round = digits.trim_end_matches('0').len() < 3;
                    if round && counts_people_or_things(&text[b.piece..r.start]) {
                        continue;
                    }
                    if is_bare(following(text, r.end)) {
                        out.push(
                            Finding::new(
                                r.clone(),
                                format!("“{key}”缺少单位，本文别处写作“{key}{cur}”"),
                            )
                            .label("缺少单位")
                            .with_label(first.clone(), "这里带单位")
                            .help(format!("补上“{cur}”，或核对这是否是另一个数")),
                        );
                    }
                }
            }
            if ascii_digits {
                for r in wide_runs.drain(..) {
                    let run = &doc.text()[r.clone()];
                    let ascii = crate::text::to_halfwidth(run);
                    out.push(
                        Finding::new(r.clone(), format!("全角数字“{run}”与本文的半角数字不一致"))
                            .label("全角数字")
                            .help(format!("数字用半角：“{ascii}”（GB/T 15835-2011）"))
                            .fix(Fix::safe(vec![Edit {
                                range: r,
                                replacement: ascii,
                            }])),
                    );
                }
            }
        }
    }
}

impl UnitConsistency {
    fn scan<'a>(
        &self,
        base: usize,
        s: &'a str,
        numbers: &[Number],
        uses: &mut Vec<Use>,
        with_currency: &mut FxHashMap<&'a str, (Range<usize>, &'static str)>,
        bare: &mut Vec<Bare>,
    ) {
        for n in numbers {
            let rest = &s[n.after..];
            let rest_trim = rest.strip_prefix(' ').unwrap_or(rest);
            let unit_at = n.after + (rest.len() - rest_trim.len());
            let bucket = rest_trim
                .chars()
                .next()
                .and_then(|c| self.by_first.get(&c))
                .map_or(&[][..], Vec::as_slice);
            if let Some((sp, class, spelling)) = bucket
                .iter()
                .map(|&k| &self.spellings[k])
                .find(|(sp, ..)| rest_trim.starts_with(sp.as_str()) && unit_ends(rest_trim, sp))
            {
                uses.push(Use {
                    class: *class,
                    spelling: *spelling,
                    range: base + unit_at..base + unit_at + sp.len(),
                });
                continue;
            }
            if !self.amounts || !n.key(s).ends_with(['万', '亿']) {
                continue;
            }
            if let Some(cur) = CURRENCIES.iter().find(|c| rest.starts_with(*c)) {
                with_currency
                    .entry(n.key(s))
                    .or_insert((base + n.range.start..base + n.after + cur.len(), cur));
                continue;
            }
            // Whether it stands bare (and whether a round figure counts people or things) is
            // decided when the same figure is known with its currency (rarely): that may need
            // the segmenter.
            bare.push(Bare {
                range: base + n.range.start..base + n.after,
                digits_end: base + n.range.end,
                piece: base,
            });
        }
    }

    fn report_units(&self, uses: &[Use], out: &mut Vec<Finding>) {
        if uses.is_empty() {
            return;
        }
        let mut by_class: FxHashMap<usize, Vec<&Use>> = FxHashMap::default();
        for u in uses {
            by_class.entry(u.class).or_default().push(u);
        }
        let mut classes: Vec<_> = by_class.into_iter().collect();
        classes.sort_by_key(|(c, _)| *c);
        for (class, list) in classes {
            let c = &self.classes[class];
            let mut counts: FxHashMap<usize, (usize, usize)> = FxHashMap::default(); // spelling -> (count, first index)
            for (i, u) in list.iter().enumerate() {
                counts.entry(u.spelling).or_insert((0, i)).0 += 1;
            }
            if counts.len() < 2 {
                continue;
            }
            let preferred = c.spellings.iter().position(|s| *s == c.preferred);
            // The majority spelling: most uses, then the preferred one, then the first used.
            let (&major, _) = counts
                .iter()
                .max_by_key(|(sp, (n, first))| {
                    (*n, Some(**sp) == preferred, std::cmp::Reverse(*first))
                })
                .expect("two spellings");
            let first_major = list.iter().find(|u| u.spelling == major).expect("used");
            let major_text = &c.spellings[major];
            for u in list.iter().filter(|u| u.spelling != major) {
                let this = &c.spellings[u.spelling];
                out.push(
                    Finding::new(
                        u.range.clone(),
                        format!("同一篇稿件里“{this}”和“{major_text}”混用"),
                    )
                    .label(format!("写作“{this}”"))
                    .with_label(first_major.range.clone(), format!("这里写作“{major_text}”"))
                    .help(format!("统一写作“{}”", c.preferred)),
                );
            }
        }
    }
}

/// A spelling ends where the unit ends: a Latin spelling may not run into more Latin letters
/// or digits (5km is a unit, 5kmh is not ours to judge).
fn unit_ends(rest: &str, sp: &str) -> bool {
    let last = sp.chars().next_back().unwrap_or(' ');
    // 公斤力, 千克力: a unit of force, not of mass.
    if rest[sp.len()..].starts_with('力') {
        return false;
    }
    if !last.is_ascii_alphanumeric() {
        return true;
    }
    !rest[sp.len()..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Format;
    use crate::source::SourceFile;
    use proptest::prelude::*;

    proptest! {
        /// The magnitude read on the bytes is the one the strings name.
        #[test]
        fn magnitudes_on_bytes(s in "[万亿元0-9a中]{0,4}") {
            let want = ["万亿", "万", "亿"]
                .iter()
                .find(|mag| s.starts_with(*mag))
                .map_or(0, |mag| mag.len());
            prop_assert_eq!(magnitude_len(s.as_bytes()), want);
        }

        /// The numbers read off the index, piece after piece as `check` reads them, are those of
        /// the per-piece lookup, in plain text and in Markdown.
        #[test]
        fn indexed_numbers_are_the_walk_s(
            s in "[0-9０９.,，\\-万亿元的中 \n\u{3000}／ｐＡ、。ak𠀀é#*`|]{0,160}",
            markdown in any::<bool>(),
        ) {
            let format = if markdown { Format::Markdown } else { Format::Plain };
            let doc = Document::parse(SourceFile::from_text(s.clone(), false), format);
            let mut cursor = doc.non_han_cursor();
            let (mut got, mut want) = (Vec::new(), Vec::new());
            for p in &doc.paragraphs {
                for (base, piece) in doc.prose(p) {
                    let end = base + piece.len();
                    let (at, classes) = cursor.piece(base, end).expect("pieces in order");
                    let (g, k) = indexed_numbers(doc.text(), base, end, at, classes, &mut got);
                    cursor.advance(k);
                    let w = numbers(piece, number_marks(doc.non_han_in(base, piece, DIGITS), piece), &mut want);
                    prop_assert_eq!(g, w, "{:?}", piece);
                    prop_assert_eq!(&got, &want, "{:?}", piece);
                }
            }
        }
    }
}
