//! `byline-format`: malformed credit lines and datelines. See [`DOCS`].

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

use super::{Fixability, OptionError, Rule, RuleEntry, RuleMeta};
use crate::diagnostic::{Edit, Finding, Fix, Severity};
use crate::document::{Document, Zone, ROLES};

pub const DOCS: &str = r#"## What it does

Checks the credit lines of Chinese news, as the document model recognises them: datelines that
open a story (本报讯（记者 张三）, 本报北京1月18日电（记者X、Y）, 新华社北京11月22日电（记者张三）,
东昌府讯, 央视网消息（新闻联播）：) and standalone credits ((通讯员 付笛 王金华), 李军 聊城报道,
文/图 鞠圣妍, ■ 马红坤 王欣楠, 《光明网》). It reports:

- brackets that do not pair ("（记者 张三") or mix widths ("(记者 张三）");
- misspelled role words (记着 → 记者, 通迅员 → 通讯员);
- a role with no name ("（记者）");
- a name that cannot be one: a single character, or five or more characters run together with
  no separator (several names without 、 or a space);
- mixed separators in one list of names ("记者 张三、李四 王五");
- a byline split over two lines ("谢晓丽 通讯员 刘培卓" / "聊城报道");
- a dateline with an impossible date (11月32日电, 2月30日电);
- house style: bracket width, a space after the role word or not, the separator between names.
  Each is set in the options; when not set, the style most bylines of the file use is the
  reference and the others are reported (a tie reports nothing).

## Why

Bylines are read by the people named in them. A broken bracket, a misspelled 记者 or two names
run together is the first thing a reporter notices, and a page that sets half its bylines one
way and half the other looks careless.

## Examples

Reported:

    本报讯（记着 张三）              (misspelled role word)
    (记者 张三）                    (mixed bracket widths)
    （记者）                        (no name)
    新华社北京11月32日电（记者张三）  (no 32nd day)

Not reported:

    本报讯（记者 张三 通讯员 李四）
    新华社北京11月22日电（记者张三、李四）
    （区教体局）  （东昌路小学 许海英）  （融媒体 全兴社）
    央视网消息（新闻联播）：

Two-character names padded to three characters' width ("本报记者 李 想", "张 文摄") where the
file pads names more than once: the page's convention, not a name split by a space (a lone one
is still reported).

## Options

- `brackets` (`"auto"`, `"full"` or `"half"`): the bracket width of bylines.
- `role-space` (`"auto"`, `"yes"` or `"no"`): a space between the role word
  and the first name ("记者 张三" or "记者张三").
- `separator` (`"auto"`, `"、"` or `" "`): between names of one role.

## Fix safety

Safe: a misspelled role word, and brackets set to the house width. Unsafe: joining a byline
split over two lines. The rest needs an editor.
"#;

pub static META: RuleMeta = RuleMeta {
    id: Cow::Borrowed("byline-format"),
    summary: Cow::Borrowed("Malformed bylines and datelines (brackets, role words, names, dates, house style)"),
    default_severity: Severity::Warning,
    default_enabled: true,
    fix: Fixability::Sometimes,
    docs: Cow::Borrowed(DOCS),
    options: Cow::Borrowed("# Bracket width of bylines: \"auto\" (the file's majority), \"full\" or \"half\"\nbrackets = \"auto\"\n# A space after the role word (记者 张三): \"auto\", \"yes\" or \"no\"\nrole-space = \"auto\"\n# Separator between names of one role: \"auto\", \"、\" or \" \"\nseparator = \"auto\"\n"),
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build };

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    brackets: String,
    role_space: String,
    separator: String,
}

/// A house-style choice: fixed by config, or the file's majority.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style<T> {
    Auto,
    Fixed(T),
}

fn build(table: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
    let o: Options = super::parse_options(&META, table)?;
    let bad = |key: &str, v: &str, allowed: &str| OptionError {
        key: Some(key.into()),
        message: format!("`{key}` must be {allowed}, not {v:?}"),
    };
    let brackets = match o.brackets.as_str() {
        "auto" => Style::Auto,
        "full" => Style::Fixed(true),
        "half" => Style::Fixed(false),
        v => return Err(bad("brackets", v, "\"auto\", \"full\" or \"half\"")),
    };
    let role_space = match o.role_space.as_str() {
        "auto" => Style::Auto,
        "yes" => Style::Fixed(true),
        "no" => Style::Fixed(false),
        v => return Err(bad("role-space", v, "\"auto\", \"yes\" or \"no\"")),
    };
    let separator = match o.separator.as_str() {
        "auto" => Style::Auto,
        "、" => Style::Fixed('、'),
        " " => Style::Fixed(' '),
        v => return Err(bad("separator", v, "\"auto\", \"、\" or \" \"")),
    };
    Ok(Box::new(BylineFormat {
        brackets,
        role_space,
        separator,
    }))
}

struct BylineFormat {
    brackets: Style<bool>,
    role_space: Style<bool>,
    separator: Style<char>,
}

fn roles_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(&format!("{ROLES}|文/图|图/文")).expect("built-in regex"))
}

fn correct_role(r: &str) -> Option<&'static str> {
    Some(match r {
        "记着" | "纪者" => "记者",
        "通迅员" | "通讯元" | "通信员" | "通汛员" => "通讯员",
        "实习声" => "实习生",
        _ => return None,
    })
}

/// How many two-character names padded with a space ("李 想", "张 文摄") the text has: a Han
/// character, one space, a Han character, with no Han character on either side (摄 may follow).
fn padded_names(text: &str) -> usize {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?m)(?:^|[^\p{Han}])\p{Han}[ \x{3000}]\p{Han}(?:摄|[^\p{Han}]|$)")
            .expect("built-in regex")
    });
    re.find_iter(text).count()
}

/// One list of names after a role word.
struct Group {
    role: Range<usize>,
    role_text: String,
    /// Whether white space separates the role word from the first name.
    space_after: Option<bool>,
    names: Vec<(Range<usize>, String)>,
    /// The separators used between names: '、' or ' '.
    seps: Vec<(Range<usize>, char)>,
}

/// A credit line or dateline, parsed.
struct Byline {
    range: Range<usize>,
    open: Option<(usize, char)>,
    close: Option<(usize, char)>,
    /// A closing bracket before the opening one.
    stray: Option<(usize, char)>,
    groups: Vec<Group>,
}

fn is_sep(c: char) -> bool {
    c == ' ' || c == '\u{3000}' || c == '、' || c == '，' || c == ','
}

fn parse(text: &str, base: usize) -> Byline {
    let open = text.char_indices().find(|(_, c)| matches!(c, '（' | '('));
    // The closing bracket after the opening one; a closing bracket before it is stray.
    let after_open = open.map_or(0, |(i, _)| i);
    let close = text
        .char_indices()
        .rev()
        .find(|&(i, c)| matches!(c, '）' | ')') && i >= after_open);
    let stray = match open {
        Some((o, _)) => text[..o]
            .char_indices()
            .find(|(_, c)| matches!(c, '）' | ')')),
        None => None,
    };
    let inner_start = open.map_or(0, |(i, c)| i + c.len_utf8());
    let inner_end = match close {
        Some((i, _)) if i >= inner_start => i,
        _ => text.len(),
    };
    let inner = &text[inner_start..inner_end];
    let roles: Vec<_> = roles_re().find_iter(inner).collect();
    let mut groups = Vec::new();
    for (k, m) in roles.iter().enumerate() {
        let names_end = roles.get(k + 1).map_or(inner.len(), |n| n.start());
        let names = &inner[m.end()..names_end];
        let space_after = names.chars().next().map(|c| c == ' ' || c == '\u{3000}');
        let mut group = Group {
            role: base + inner_start + m.start()..base + inner_start + m.end(),
            role_text: m.as_str().to_string(),
            space_after,
            names: Vec::new(),
            seps: Vec::new(),
        };
        let off = base + inner_start + m.end();
        let mut i = 0;
        let chars: Vec<(usize, char)> = names.char_indices().collect();
        while i < chars.len() {
            let (st, c) = chars[i];
            if is_sep(c) {
                let mut j = i;
                while j < chars.len() && is_sep(chars[j].1) {
                    j += 1;
                }
                let en = chars.get(j).map_or(names.len(), |x| x.0);
                let run = &names[st..en];
                let kind = if run.contains('、') || run.contains('，') || run.contains(',') {
                    '、'
                } else {
                    ' '
                };
                // Separators before the first name or after the last are not between names.
                if !group.names.is_empty() && j < chars.len() {
                    group.seps.push((off + st..off + en, kind));
                }
                i = j;
                continue;
            }
            let mut j = i;
            while j < chars.len() && !is_sep(chars[j].1) {
                j += 1;
            }
            let en = chars.get(j).map_or(names.len(), |x| x.0);
            let mut name = &names[st..en];
            for suffix in ["报道", "供图", "摄"] {
                if let Some(n) = name.strip_suffix(suffix) {
                    name = n;
                }
            }
            if !name.is_empty() {
                group
                    .names
                    .push((off + st..off + st + name.len(), name.to_string()));
            }
            i = j;
        }
        groups.push(group);
    }
    Byline {
        range: base..base + text.len(),
        open: open.map(|(i, c)| (base + i, c)),
        close: close.map(|(i, c)| (base + i, c)),
        stray: stray.map(|(i, c)| (base + i, c)),
        groups,
    }
}

/// Set a byline's opening and closing brackets to the given pair (safe: width only).
fn bracket_fix(open: (usize, char), close: (usize, char), to: (&str, &str)) -> Fix {
    Fix::safe(vec![
        Edit {
            range: open.0..open.0 + open.1.len_utf8(),
            replacement: to.0.into(),
        },
        Edit {
            range: close.0..close.0 + close.1.len_utf8(),
            replacement: to.1.into(),
        },
    ])
}

fn days_in_month(m: u32) -> u32 {
    match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The majority of a set of votes, if there is a strict one.
fn majority<T: Copy + PartialEq>(votes: &[T]) -> Option<T> {
    let mut best: Option<(T, usize)> = None;
    let mut tie = false;
    let mut seen: Vec<(T, usize)> = Vec::new();
    for &v in votes {
        match seen.iter_mut().find(|(x, _)| *x == v) {
            Some(e) => e.1 += 1,
            None => seen.push((v, 1)),
        }
    }
    for &(v, n) in &seen {
        match best {
            None => best = Some((v, n)),
            Some((_, b)) if n > b => {
                best = Some((v, n));
                tie = false;
            }
            Some((_, b)) if n == b => tie = true,
            _ => {}
        }
    }
    if tie {
        None
    } else {
        best.map(|(v, _)| v)
    }
}

fn resolve<T: Copy + PartialEq>(style: Style<T>, votes: &[T]) -> Option<T> {
    match style {
        Style::Fixed(v) => Some(v),
        Style::Auto => majority(votes),
    }
}

impl Rule for BylineFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let text = doc.text();
        let mut bylines: Vec<Byline> = Vec::new();
        for (idx, p) in doc.paragraphs.iter().enumerate() {
            if p.zone == Zone::Credit {
                bylines.push(parse(&text[p.range.clone()], p.range.start));
                // A byline split over two lines: "谢晓丽 通讯员 刘培卓" / "聊城报道".
                if let Some(prev) = idx.checked_sub(1).map(|i| &doc.paragraphs[i]) {
                    let this = &text[p.range.clone()];
                    let reported = this.ends_with("报道") && this.chars().count() <= 8;
                    if prev.zone == Zone::Credit && p.blank_lines_before == 0 && reported {
                        let join = prev.range.end..p.range.start;
                        out.push(
                            Finding::new(p.range.clone(), "署名被拆成了两行")
                                .label("署名的后半部分")
                                .with_label(prev.range.clone(), "前半部分")
                                .help("把两行合成一行")
                                .fix(Fix::unsafe_(vec![Edit {
                                    range: join,
                                    replacement: " ".into(),
                                }])),
                        );
                    }
                }
            } else if let Some(d) = p.dateline() {
                let b = parse(&text[d.clone()], d.start);
                self.check_date(&text[d.clone()], d.start, out);
                bylines.push(b);
            }
        }
        // Names padded to three characters' width ("张 文摄") more than once: the page's
        // convention, not a split name. Counted over the whole text, so only when a byline has
        // a padded-looking name (rare).
        let padding = std::cell::OnceCell::new();
        let padding = || *padding.get_or_init(|| padded_names(text) >= 2);
        for b in &bylines {
            self.check_one(doc, b, &padding, out);
        }
        self.check_house_style(&bylines, out);
    }
}

impl BylineFormat {
    fn check_date(&self, s: &str, base: usize, out: &mut Vec<Finding>) {
        static RE: OnceLock<Regex> = OnceLock::new();
        let re = RE.get_or_init(|| Regex::new(r"(\d{1,2})月(\d{1,2})日").expect("built-in regex"));
        if let Some(c) = re.captures(s) {
            // Full-width digits (新华网马那瓜６月１５日电) are the same date.
            let num = |t: &str| crate::text::to_halfwidth(t).parse::<u32>().unwrap_or(0);
            let m: u32 = num(&c[1]);
            let d: u32 = num(&c[2]);
            let whole = c.get(0).map_or(0..0, |g| g.range());
            if !(1..=12).contains(&m) || d == 0 || d > days_in_month(m) {
                out.push(
                    Finding::new(
                        base + whole.start..base + whole.end,
                        format!("电头日期“{m}月{d}日”不存在"),
                    )
                    .label("日期有误")
                    .help("核对电头的日期"),
                );
            }
        }
    }

    fn check_one(
        &self,
        doc: &Document,
        b: &Byline,
        padding: &dyn Fn() -> bool,
        out: &mut Vec<Finding>,
    ) {
        let text = doc.text();
        // Brackets: pairing and width.
        if let Some((c, cc)) = b.stray {
            out.push(
                Finding::new(c..c + cc.len_utf8(), "署名的括号没有配对")
                    .label("多出的右括号")
                    .help("删去它，或补上左括号"),
            );
        }
        match (b.open, b.close) {
            (Some((o, oc)), None) => out.push(
                Finding::new(o..o + oc.len_utf8(), "署名的括号没有配对")
                    .label("缺少右括号")
                    .help("补上右括号"),
            ),
            (None, Some((c, cc))) => out.push(
                Finding::new(c..c + cc.len_utf8(), "署名的括号没有配对")
                    .label("缺少左括号")
                    .help("补上左括号"),
            ),
            (Some((o, oc)), Some((c, cc))) if (oc == '（') != (cc == '）') => {
                let full = self.brackets != Style::Fixed(false);
                let (no, nc) = if full { ("（", "）") } else { ("(", ")") };
                out.push(
                    Finding::new(o..c + cc.len_utf8(), "署名的括号全角半角混用")
                        .label("括号宽度不一致")
                        .help(format!(
                            "统一为{}括号“{no}{nc}”",
                            if full { "全角" } else { "半角" }
                        ))
                        .fix(bracket_fix((o, oc), (c, cc), (no, nc))),
                );
            }
            _ => {}
        }
        for (k, g) in b.groups.iter().enumerate() {
            if let Some(right) = correct_role(&g.role_text) {
                out.push(
                    Finding::new(
                        g.role.clone(),
                        format!("署名里的“{}”应为“{right}”", g.role_text),
                    )
                    .label("错别字")
                    .help(format!("改为“{right}”"))
                    .fix(Fix::safe(vec![Edit {
                        range: g.role.clone(),
                        replacement: right.into(),
                    }])),
                );
            }
            // A role with no name ("（记者）"); 摄影 may close a credit ("张三 摄影").
            let last = k + 1 == b.groups.len();
            if g.names.is_empty() && !(last && matches!(g.role_text.as_str(), "摄影" | "融媒体"))
            {
                let prefix_has_name = k == 0 && {
                    let before = &text
                        [b.open.map_or(b.range.start, |(o, c)| o + c.len_utf8())..g.role.start];
                    before.chars().any(crate::text::is_han)
                };
                if !prefix_has_name {
                    out.push(
                        Finding::new(g.role.clone(), format!("“{}”后面缺少姓名", g.role_text))
                            .label("没有姓名")
                            .help("补上姓名，或删去这个署名"),
                    );
                }
            }
            // A two-character name padded to the width of three ("李 想", "张 文摄"): two
            // one-character names one space apart are one name; no name has one character.
            let single = |k: usize| {
                g.names.get(k).is_some_and(|(_, n)| {
                    n.chars().count() == 1 && n.chars().all(crate::text::is_han)
                })
            };
            let padded_after = |k: usize| {
                single(k)
                    && single(k + 1)
                    && matches!(
                        text.get(g.names[k].0.end..g.names[k + 1].0.start),
                        Some(" " | "\u{3000}")
                    )
            };
            let padded: Vec<bool> = (0..g.names.len())
                .map(|k| (padded_after(k) || (k > 0 && padded_after(k - 1))) && padding())
                .collect();
            for (k, (r, name)) in g.names.iter().enumerate() {
                let n = name.chars().count();
                let han = name.chars().all(crate::text::is_han);
                if han && n == 1 && !padded[k] {
                    out.push(
                        Finding::new(r.clone(), format!("“{name}”不像人名（只有一个字）"))
                            .label("只有一个字")
                            .help("核对姓名是否被空格拆开，或缺了字"),
                    );
                } else if han && n >= 5 {
                    out.push(
                        Finding::new(r.clone(), format!("“{name}”像是几个名字连在一起"))
                            .label("缺少分隔")
                            .help("名字之间用“、”或空格隔开"),
                    );
                }
            }
            // Mixed separators within one role's names; the space inside a padded name is none.
            let inside_padded = |r: &Range<usize>| {
                (0..g.names.len().saturating_sub(1)).any(|k| {
                    padded_after(k)
                        && g.names[k].0.end <= r.start
                        && r.end <= g.names[k + 1].0.start
                }) && padding()
            };
            let seps: Vec<&(Range<usize>, char)> =
                g.seps.iter().filter(|s| !inside_padded(&s.0)).collect();
            let kinds: Vec<char> = seps.iter().map(|s| s.1).collect();
            if kinds.contains(&'、') && kinds.contains(&' ') {
                let odd = majority(&kinds).unwrap_or('、');
                let (r, _) = seps
                    .iter()
                    .find(|s| s.1 != odd)
                    .map(|s| (*s).clone())
                    .unwrap_or((g.role.clone(), ' '));
                let want = if odd == '、' { "“、”" } else { "空格" };
                out.push(
                    Finding::new(r, "同一署名里的姓名分隔符不一致")
                        .label("分隔符不同")
                        .help(format!("统一用{want}分隔姓名")),
                );
            }
        }
    }

    fn check_house_style(&self, bylines: &[Byline], out: &mut Vec<Finding>) {
        // Bracket width, from bylines whose brackets pair in one width.
        let widths: Vec<(bool, &Byline)> = bylines
            .iter()
            .filter_map(|b| match (b.open, b.close) {
                (Some((_, o)), Some((_, c))) if (o == '（') == (c == '）') => {
                    Some((o == '（', b))
                }
                _ => None,
            })
            .collect();
        let votes: Vec<bool> = widths.iter().map(|w| w.0).collect();
        if let Some(house) = resolve(self.brackets, &votes) {
            for (_, b) in widths.iter().filter(|w| w.0 != house) {
                let (o, oc) = b.open.expect("paired");
                let (c, cc) = b.close.expect("paired");
                let (no, nc) = if house { ("（", "）") } else { ("(", ")") };
                out.push(
                    Finding::new(
                        o..c + cc.len_utf8(),
                        format!(
                            "署名用了{}括号，本文其他署名用{}括号",
                            if house { "半角" } else { "全角" },
                            if house { "全角" } else { "半角" }
                        ),
                    )
                    .label("括号宽度")
                    .help(format!("改为“{no}{nc}”"))
                    .fix(bracket_fix((o, oc), (c, cc), (no, nc))),
                );
            }
        }
        // A space after the role word.
        let groups: Vec<&Group> = bylines
            .iter()
            .flat_map(|b| b.groups.iter())
            .filter(|g| !g.names.is_empty())
            .collect();
        let votes: Vec<bool> = groups.iter().filter_map(|g| g.space_after).collect();
        if let Some(house) = resolve(self.role_space, &votes) {
            for g in groups.iter().filter(|g| g.space_after == Some(!house)) {
                let msg = if house {
                    "角色词和姓名之间缺少空格"
                } else {
                    "角色词和姓名之间多了空格"
                };
                let r = if house {
                    g.role.clone()
                } else {
                    g.role.end..g.names[0].0.start
                };
                out.push(
                    Finding::new(r, format!("“{}”{msg}，与本文其他署名不一致", g.role_text))
                        .label("与其他署名不一致")
                        .help(if house {
                            "在角色词后加一个空格（如“记者 张三”）"
                        } else {
                            "去掉角色词后的空格（如“记者张三”）"
                        }),
                );
            }
        }
        // The separator between names.
        let seps: Vec<(Range<usize>, char)> =
            groups.iter().flat_map(|g| g.seps.iter().cloned()).collect();
        let votes: Vec<char> = seps.iter().map(|s| s.1).collect();
        if let Some(house) = resolve(self.separator, &votes) {
            // Mixed separators inside one byline are reported by `check_one`.
            for g in &groups {
                let kinds: Vec<char> = g.seps.iter().map(|s| s.1).collect();
                if kinds.is_empty() || kinds.contains(&house) {
                    continue;
                }
                let want = if house == '、' {
                    "“、”"
                } else {
                    "空格"
                };
                out.push(
                    Finding::new(g.seps[0].0.clone(), "姓名分隔符与本文其他署名不一致")
                        .label("分隔符")
                        .help(format!("统一用{want}分隔姓名")),
                );
            }
        }
    }
}
