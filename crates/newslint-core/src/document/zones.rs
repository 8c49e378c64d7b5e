//! Zones: what each paragraph is, from the shape of its text and its place on the page.

use crate::source::SourceFile;
use crate::text;

use super::{Article, Block, Format, Paragraph, Zone};

/// A role word of Chinese bylines, with the misspellings that `byline-format` reports (记着,
/// 通迅员, …) so that a misspelled credit line is still recognised as one.
pub const ROLES: &str = r"(?:特约记者|见习记者|实习记者|融媒体记者|摄影记者|本报记者|记者|通讯员|实习生|融媒体|摄影|记着|纪者|通迅员|通讯元|通信员|通汛员|实习声)";

/// The role words of [`ROLES`], longest first (the regex alternation, for code that matches
/// without a regex).
const ROLE_WORDS: &[&str] = &[
    "融媒体记者",
    "特约记者",
    "见习记者",
    "实习记者",
    "摄影记者",
    "本报记者",
    "记者",
    "通讯员",
    "实习生",
    "融媒体",
    "摄影",
    "记着",
    "纪者",
    "通迅员",
    "通讯元",
    "通信员",
    "通汛员",
    "实习声",
];

/// The roles of an agency's writer that are not [`ROLE_WORDS`] (新华社特约评论员).
const AGENCY_ROLES: &[&str] = &["特约评论员", "评论员", "观察员"];

/// The first characters of [`AGENCY_ROLES`] and [`ROLE_WORDS`] (`tests::role_first_chars`);
/// the code tests them with [`is_role_first`].
#[cfg(test)]
const AGENCY_ROLE_FIRST: [char; 11] = [
    '特', '评', '观', '融', '见', '实', '摄', '本', '记', '通', '纪',
];

/// Is `c` one of the first characters of [`AGENCY_ROLES`] and [`ROLE_WORDS`]? The list
/// `AGENCY_ROLE_FIRST` as a match (`tests::role_first_is_the_list`).
fn is_role_first(c: char) -> bool {
    matches!(
        c,
        '特' | '评' | '观' | '融' | '见' | '实' | '摄' | '本' | '记' | '通' | '纪'
    )
}

/// `s.contains(['。', '，', '！', '？', '；'])`, found by their lead bytes (E3 and EF; the text
/// is UTF-8, so these start a character wherever they are) instead of decoding every character.
fn has_sentence_mark(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr2_iter(0xE3, 0xEF, b).any(|i| {
        matches!(
            b.get(i + 1..i + 3),
            Some([0x80, 0x82]) | Some([0xBC, 0x8C | 0x81 | 0x9F | 0x9B])
        )
    })
}

/// `s.contains('。')`, by lead bytes as [`has_sentence_mark`].
fn has_full_stop(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(0xE3, b).any(|i| b.get(i + 1..i + 3) == Some(&[0x80, 0x82]))
}

/// `s.contains(['。', '，'])`, by lead bytes as [`has_sentence_mark`].
fn has_period_or_comma(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr2_iter(0xE3, 0xEF, b)
        .any(|i| matches!(b.get(i + 1..i + 3), Some([0x80, 0x82]) | Some([0xBC, 0x8C])))
}

/// Does this whole paragraph look like a credit or source line?
///
/// Written without regexes: this runs on every short paragraph, and compiling six Unicode
/// regexes cost a one-article run more than linting it.
pub fn is_credit_line(s: &str) -> bool {
    // Body paragraphs are long: reject them before counting.
    if s.len() > 4 * 48 {
        return false;
    }
    // No credit holds sentence punctuation (the bracketed form below excludes it inside the
    // brackets, and its first and last characters are brackets): most short body paragraphs
    // are rejected here, before counting and decoding.
    if has_sentence_mark(s) {
        return false;
    }
    let n = text::char_count(s);
    if n > 48 {
        return false;
    }
    // White space as the rest of the model sees it (U+3000 and zero-width marks included).
    let space = text::is_space;
    let first = s.chars().next().unwrap_or(' ');
    let last = s.chars().next_back().unwrap_or(' ');
    // （通讯员 付笛）: a bracketed line of 1–40 characters without sentence punctuation.
    if matches!(first, '（' | '(') && matches!(last, '）' | ')') && (3..=42).contains(&n) {
        let inner = &s[first.len_utf8()..s.len() - last.len_utf8()];
        if !inner.contains([
            '（', '(', ')', '）', '。', '，', ',', '！', '!', '？', '?', '；', ';',
        ]) {
            // "(上接1版)" and "（图为…）" are not credits.
            let inner = s.trim_start_matches(['（', '(']);
            return !(inner.starts_with("上接")
                || inner.starts_with("下转")
                || inner.starts_with("图"));
        }
    }
    if s.starts_with(['■', '▲', '◆', '●', '□', '△']) && n <= 30 {
        return true;
    }
    let starts_han = |t: &str| t.chars().next().is_some_and(text::is_han);
    // 记者 张三: a role word, optional white space or colon, a Han character.
    // (Only a line that opens with a role's first character can.)
    let role_first = is_role_first(first)
        && ROLE_WORDS.iter().any(|r| {
            s.strip_prefix(r).is_some_and(|t| {
                starts_han(t.trim_start_matches(|c: char| space(c) || c == ':' || c == '：'))
            })
        });
    // 文/图 张三, 编辑 李四: at least one separator, then a Han character.
    let text_photo = matches!(first, '文' | '图' | '摄' | '编' | '责' | '校')
        && [
            "文/图",
            "图/文",
            "文 / 图",
            "图文",
            "文",
            "图",
            "摄影",
            "编辑",
            "责编",
            "责任编辑",
            "校对",
        ]
        .iter()
        .any(|p| {
            s.strip_prefix(p).is_some_and(|t| {
                let rest =
                    t.trim_start_matches(|c: char| space(c) || matches!(c, '/' | ':' | '：'));
                rest.len() < t.len() && starts_han(rest)
            })
        });
    // 李军 聊城报道: up to 24 Han characters, spaces, 、 or ·, then an action: 报道, 摄, 供图,
    // 采写, 整理, 编译, 制图, 撰稿.
    let reported = || {
        // The actions' last characters first: most lines end with none of them.
        matches!(last, '道' | '摄' | '图' | '写' | '理' | '译' | '稿' | '影')
            && [
                "报道", "摄", "供图", "采写", "整理", "编译", "制图", "撰稿", "摄影",
            ]
            .iter()
            .any(|suffix| {
                s.strip_suffix(suffix).is_some_and(|head| {
                    head.chars().count() <= 24
                        && head
                            .chars()
                            .all(|c| text::is_han(c) || space(c) || matches!(c, '、' | '·'))
                })
            })
    };
    // 谢晓丽 通讯员 刘培卓: a 2–4 character name, spaces, a role word, a space.
    let role_inside = || {
        // Only 2–4 passes: count no further than 5.
        let name = s
            .chars()
            .take_while(|&c| text::is_han(c) || c == '·')
            .take(5)
            .count();
        if !(2..=4).contains(&name) {
            return false;
        }
        let after_name = &s[s.char_indices().nth(name).map_or(s.len(), |(i, _)| i)..];
        let rest = after_name.trim_start_matches(space);
        rest.len() < after_name.len()
            && rest.starts_with(is_role_first)
            && ROLE_WORDS.iter().any(|r| {
                rest.strip_prefix(r)
                    .is_some_and(|t| t.chars().next().is_some_and(space))
            })
    };
    // 《光明网》 (1–15 characters) or 来源：… (1–30 characters).
    let source = || {
        if let Some(inner) = s.strip_prefix('《').and_then(|t| t.strip_suffix('》')) {
            return (1..=15).contains(&inner.chars().count()) && !inner.contains('》');
        }
        ["来源：", "来源:", "稿源：", "稿源:"].iter().any(|p| {
            s.strip_prefix(p)
                .is_some_and(|t| (1..=30).contains(&t.chars().count()) && !t.contains('\n'))
        })
    };
    // 新华社记者 邬焕庆 方益波, 人民日报记者 张三, 新华社记者: an agency or paper (1–8 Han
    // characters or a title in 《》), a role word, then nothing or names.
    let agency_role = || {
        let names_after = |rest: &str| {
            (rest.is_empty() || rest.starts_with(|c: char| space(c) || c == '：' || c == ':'))
                && rest
                    .chars()
                    .all(|c| text::is_han(c) || space(c) || matches!(c, '、' | '·' | '：' | ':'))
        };
        // The head is at most ten Han characters (or 《》): the role word starts at one of the
        // first eleven characters, and most short lines have none of the roles' first
        // characters there. A role's first occurrence further on fails the head test, so its
        // first occurrence among these starts decides as `s.find(r)` would.
        let mut starts = [0usize; 11];
        let mut count = 0;
        for (k, (at, c)) in s.char_indices().enumerate() {
            if is_role_first(c) {
                starts[count] = at;
                count += 1;
            }
            if k == 10 || !(text::is_han(c) || matches!(c, '《' | '》')) {
                break;
            }
        }
        let starts = &starts[..count];
        !starts.is_empty()
            && AGENCY_ROLES.iter().chain(ROLE_WORDS).any(|r| {
                let first = starts.iter().copied().find(|&at| s[at..].starts_with(r));
                first.is_some_and(|pos| {
                    let head = &s[..pos];
                    (1..=10).contains(&head.chars().count())
                        && head
                            .chars()
                            .all(|c| text::is_han(c) || matches!(c, '《' | '》'))
                        && names_after(&s[pos + r.len()..])
                })
            })
    };
    // 高晓东（复旦大学附属中山医院感染管理科副科长）: a name and the person's title in brackets.
    let name_and_title = || {
        if !s.ends_with(['）', ')']) {
            return false;
        }
        let name = s
            .chars()
            .take_while(|&c| text::is_han(c) || c == '·')
            .take(5)
            .count();
        (2..=4).contains(&name)
            && s[s.char_indices().nth(name).map_or(s.len(), |(i, _)| i)..].starts_with(['（', '('])
            && s.ends_with(['）', ')'])
            && !has_sentence_mark(s)
    };
    role_first
        || name_and_title()
        || text_photo
        || (n <= 30 && reported())
        || (n <= 30 && role_inside())
        || source()
        || (n <= 40 && agency_role())
}

/// The length of a dateline opening `s`, if any.
pub fn dateline_len(s: &str) -> Option<usize> {
    // Every dateline has 讯, 电 or 消息 within its first 22 characters (经济日报 + 10 + 11月22日电):
    // most paragraphs are rejected without the regex.
    let mut head = s.len().min(96);
    while !s.is_char_boundary(head) {
        head -= 1;
    }
    if !dateline_signal(&s[..head]) {
        return None;
    }
    // "据新华社北京5月2日电": a dateline credited to another agency.
    let (skip, t) = match s.strip_prefix('据') {
        Some(t) => ('据'.len_utf8(), t),
        None => (0, s),
    };
    let end = dateline_head(t)?;
    Some(skip + dateline_tail(t, end))
}

/// Does `head` hold 讯, 电 or 消息?
///
/// Searched as UTF-8 bytes, not decoded: 讯 E8 AE AF, 电 E7 94 B5 and 息 E6 81 AF end in AF or
/// B5 (1 character in 32 does), and a lead byte starts a character wherever it is.
fn dateline_signal(head: &str) -> bool {
    let b = head.as_bytes();
    memchr::memchr2_iter(0xAF, 0xB5, b).any(|j| {
        j >= 2 && {
            let w = &b[j - 2..=j];
            w == "讯".as_bytes()
                || w == "电".as_bytes()
                || w == "息".as_bytes() && b[..j - 2].ends_with("消".as_bytes())
        }
    })
}

/// The agency part of a dateline opening `s`: 本报讯; 本报 + place + date + 电/讯; an agency +
/// place + date + 电/讯; 央视网消息; or a place + 讯 + space or bracket. In code rather than a
/// regex (counted Han classes are slow to compile); the alternatives are tried in that order
/// and each is the regex alternative it replaces.
fn dateline_head(s: &str) -> Option<usize> {
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    // A run of Han characters of `min..=max` at the start of `t`, then a date and 电/讯: the
    // end of the date's 电/讯, relative to `t`.
    let place_and_date = |t: &str, min: usize, max: usize| -> Option<usize> {
        let place = t.chars().take_while(|&c| text::is_han(c)).count();
        if place < min || place > max {
            return None;
        }
        let mut i = t.char_indices().nth(place).map_or(t.len(), |(i, _)| i);
        for unit in ['月', '日'] {
            let n = t[i..].chars().take_while(|&c| digit(c)).take(3).count();
            if !(1..=2).contains(&n) {
                return None;
            }
            i += t[i..].chars().take(n).map(char::len_utf8).sum::<usize>();
            t[i..].strip_prefix(unit)?;
            i += unit.len_utf8();
        }
        let last = t[i..].chars().next().filter(|c| matches!(c, '电' | '讯'))?;
        Some(i + last.len_utf8())
    };
    if s.starts_with("本报讯") {
        return Some("本报讯".len());
    }
    if let Some(end) = s.strip_prefix("本报").and_then(|t| place_and_date(t, 1, 8)) {
        return Some("本报".len() + end);
    }
    const AGENCIES: &[&str] = &[
        "新华社",
        "中新社",
        "中新网",
        "人民网",
        "央视网",
        "央广网",
        "光明网",
        "新华网",
        "经济日报",
    ];
    for a in AGENCIES {
        if let Some(end) = s.strip_prefix(a).and_then(|t| place_and_date(t, 0, 10)) {
            return Some(a.len() + end);
        }
    }
    if s.starts_with("央视网消息") {
        return Some("央视网消息".len());
    }
    // 东昌府讯 : 2–8 Han characters, then 讯, then a space or a bracket, which the tail takes
    // (so that "东昌府讯（记者 张三）" keeps its credit).
    // The first ten characters, on the stack.
    let mut buf = [(0usize, '\0'); 10];
    let mut len = 0;
    for (slot, ci) in buf.iter_mut().zip(s.char_indices()) {
        *slot = ci;
        len += 1;
    }
    let chars = &buf[..len];
    (2..=8).rev().find_map(|k| {
        let (_, c) = *chars.get(k)?;
        let (next_at, next) = *chars.get(k + 1)?;
        (c == '讯'
            && chars[..k].iter().all(|&(_, c)| text::is_han(c))
            && (text::is_space(next) || matches!(next, '（' | '(')))
        .then_some(next_at)
    })
}

/// Where a dateline that opens `s` and ends its agency part at `end` ends: after an optional
/// bracketed credit (at most 40 characters, closing mark optional), an optional colon and
/// white space. The same as the regex tail `(?:\s*[（(][^（()）。，\n]{0,40}[）)]?)?[：:]?\s*`, in
/// code because that counted class is slow to compile.
fn dateline_tail(s: &str, end: usize) -> usize {
    // White space as the rest of the model sees it (U+3000 and zero-width marks included).
    let space = text::is_space;
    let mut i = end;
    let after_space = end + (s[end..].len() - s[end..].trim_start_matches(space).len());
    if let Some(open) = s[after_space..]
        .chars()
        .next()
        .filter(|c| matches!(c, '（' | '('))
    {
        i = after_space + open.len_utf8();
        for c in s[i..].chars().take(40) {
            if matches!(c, '（' | '(' | ')' | '）' | '。' | '，' | '\n') {
                break;
            }
            i += c.len_utf8();
        }
        if let Some(close) = s[i..].chars().next().filter(|c| matches!(c, '）' | ')')) {
            i += close.len_utf8();
        }
    }
    if let Some(colon) = s[i..].chars().next().filter(|c| matches!(c, '：' | ':')) {
        i += colon.len_utf8();
    }
    i + (s[i..].len() - s[i..].trim_start_matches(space).len())
}

/// Short, no sentence-final punctuation, balanced marks: the shape of a headline or subhead.
fn is_title_shaped(s: &str, max_chars: usize) -> bool {
    // The last character first: most paragraphs end with 。 and need no counting.
    let last = s.chars().next_back().unwrap_or(' ');
    if matches!(
        last,
        '。' | '，' | '、' | '；' | '：' | ',' | ';' | ':' | '…'
    ) {
        return false;
    }
    // One pass, given up as soon as the answer is no: at most `max_chars` characters that are
    // not white space (at least 2), a Han character, no 。, at most one comma ("心中有数，防汛不容
    // 闪失" is a headline; a line with two commas is a sentence), and balanced quotes and
    // brackets. A character with lead byte E5–E9 (U+5000–U+9FFF) is Han and none of the marks:
    // counted without decoding.
    let b = s.as_bytes();
    let (mut n, mut i) = (0, 0);
    let (mut han, mut commas) = (false, 0);
    let mut open = [0i32; 4]; // “” 《》 （） ()
    while let Some(&lead) = b.get(i) {
        if (0xE5..=0xE9).contains(&lead) {
            han = true;
            n += 1;
            if n > max_chars {
                return false;
            }
            i += 3;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or(' ');
        i += c.len_utf8();
        if !text::is_space(c) {
            n += 1;
            if n > max_chars {
                return false;
            }
        }
        match c {
            '“' => open[0] += 1,
            '”' => open[0] -= 1,
            '《' => open[1] += 1,
            '》' => open[1] -= 1,
            '（' => open[2] += 1,
            '）' => open[2] -= 1,
            '(' => open[3] += 1,
            ')' => open[3] -= 1,
            '，' | ',' => {
                commas += 1;
                if commas >= 2 {
                    return false;
                }
            }
            '。' => return false,
            c => han |= text::is_han(c),
        }
    }
    n >= 2 && han && open == [0; 4]
}

/// Ends like a finished sentence (or a line that needs no ending).
pub fn is_terminated(s: &str) -> bool {
    let t = s.trim_end_matches(text::is_closing_mark);
    let Some(c) = t.chars().next_back() else {
        return true;
    };
    if text::is_sentence_end(c) || matches!(c, '；' | ';' | '：') {
        return true;
    }
    // "……" typed as ASCII dots ("......"), and a lead-in's dash ("于是，变化发生了——").
    if t.ends_with("...") || t.ends_with("——") {
        return true;
    }
    // A closing dateline or credit after the last sentence: "……。　　新华社北京5月3日电",
    // "……处理。本报记者  左妍".
    if let Some(i) = s.rfind(['。', '！', '？', '”']) {
        let rest = s[i..]
            .trim_start_matches(['。', '！', '？', '”'])
            .trim_start_matches(text::is_space);
        if !rest.is_empty()
            && !text::more_chars_than(rest, 40)
            && (is_credit_line(rest) || dateline_len(rest).is_some_and(|n| n >= rest.len()))
        {
            return true;
        }
    }
    // A source in brackets after a finished sentence: "……的使者……”（柿本人麻吕：《万叶集》第137页）".
    if s.ends_with(['）', ')']) {
        if let Some(open) = matching_open(s) {
            let before = s[..open].trim_end_matches(text::is_space);
            return !before.is_empty() && before != s && is_terminated(before);
        }
    }
    false
}

/// The byte offset of the bracket that opens the one closing `s`.
fn matching_open(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices().rev() {
        match c {
            '）' | ')' => depth += 1,
            '（' | '(' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// What the first pass of [`classify`] reads of the paragraph before the one it shapes: that
/// paragraph as the pass left it (its zone and dateline), and whether it is title-shaped.
type Before<'a> = (&'a Paragraph, bool);

/// The first pass of [`classify`]: the shape of each line, from the line itself and what the
/// pass made of the one before ([`Before`]).
struct FirstPass<'a> {
    text: &'a str,
    format: Format,
    min_heading: Option<u8>,
    usual_gap: usize,
    /// Paragraphs in the document.
    count: usize,
}

impl FirstPass<'_> {
    /// Shape every paragraph (each starts as the parser left it: body, no dateline): set its
    /// zone and dateline, and give whether each is title-shaped and heading-shaped (long).
    ///
    /// With `split` (a large file), the paragraphs from `split` on are shaped on a second
    /// core while those before it are, as if the one before `split` were as the parser left
    /// it. Each paragraph's shape depends only on its own text and the shape of the one before,
    /// so the second half is then shaped again, from `split` on, with the true one before, up
    /// to the first paragraph whose shape comes out as it did: from there on every paragraph
    /// sees what it saw. Exactly the shapes of one pass in order (`tests::split_first_pass`).
    fn run(&self, paras: &mut [Paragraph], split: Option<usize>) -> (Vec<bool>, Vec<bool>) {
        let n = paras.len();
        let (mut title_shaped, mut long_heading) = (vec![false; n], vec![false; n]);
        let Some(m) = split.filter(|&m| m > 0 && m < n) else {
            self.shape(paras, 0, None, &mut title_shaped, &mut long_heading);
            return (title_shaped, long_heading);
        };
        let guess = paras[m - 1].clone();
        {
            let (pa, pb) = paras.split_at_mut(m);
            let (ta, tb) = title_shaped.split_at_mut(m);
            let (la, lb) = long_heading.split_at_mut(m);
            rayon::join(
                || self.shape(pa, 0, None, ta, la),
                || self.shape(pb, m, Some((&guess, false)), tb, lb),
            );
        }
        for k in m..n {
            let (done, rest) = paras.split_at_mut(k);
            let p = &mut rest[0];
            let was = (p.zone, p.dateline(), title_shaped[k], long_heading[k]);
            p.zone = Zone::Body;
            p.set_dateline(0);
            let (t, l) = self.one(k, p, Some((&done[k - 1], title_shaped[k - 1])));
            (title_shaped[k], long_heading[k]) = (t, l);
            if was == (p.zone, p.dateline(), t, l) {
                break;
            }
        }
        (title_shaped, long_heading)
    }

    /// Shape `paras`, the document's paragraphs from index `from`, the first after `before`.
    fn shape(
        &self,
        paras: &mut [Paragraph],
        from: usize,
        before: Option<Before>,
        title_shaped: &mut [bool],
        long_heading: &mut [bool],
    ) {
        for k in 0..paras.len() {
            let (done, rest) = paras.split_at_mut(k);
            let before = match done.last() {
                Some(b) => Some((b, title_shaped[k - 1])),
                None => before,
            };
            (title_shaped[k], long_heading[k]) = self.one(from + k, &mut rest[0], before);
        }
    }

    /// Shape paragraph `i`, `p`, after `before` (none for the first): set its zone and
    /// dateline; whether it is title-shaped, and heading-shaped (long).
    fn one(&self, i: usize, p: &mut Paragraph, before: Option<Before>) -> (bool, bool) {
        let FirstPass {
            text,
            format,
            min_heading,
            usual_gap,
            ..
        } = *self;
        let s = &text[p.range.clone()];
        if let Block::Heading(level) = p.block {
            p.zone = if Some(level) == min_heading {
                Zone::Headline
            } else {
                Zone::Subheading
            };
            return (false, false);
        }
        if matches!(p.block, Block::TableCell) {
            return (false, false);
        }
        // A dateline opens a story: never a caption or a credit ("新华社北京2月21日电").
        if let Some(len) = dateline_len(s) {
            p.set_dateline(len);
            return (false, false);
        }
        if is_editor_line(s) {
            p.zone = Zone::EditorLine;
            return (false, false);
        }
        if is_page_line(s) {
            p.zone = Zone::PageLine;
            return (false, false);
        }
        if is_credit_line(s) {
            p.zone = Zone::Credit;
            return (false, false);
        }
        // A caption sits among body paragraphs: the paragraph before it is running text, not a
        // headline, credit or source line (the first body paragraph under a byline set off by a
        // blank line is not a caption).
        let prev_running = before.is_some_and(|(b, title_shaped)| {
            b.zone == Zone::Body
                && b.dateline().is_none_or(|d| d.end < b.range.end)
                && !title_shaped
        });
        // Only compared with 80 and 60 below: count no further. Each test below is made only
        // when the ones before it leave the answer open (most paragraphs are no caption).
        let n = || text::char_count_capped(s, 81);
        let starts_caption = s.starts_with("图为")
            || s.starts_with("（图为")
            || s.starts_with("▲")
            || ends_with_picture_credit(s);
        let set_off = || {
            prev_running
                && p.blank_lines_before as usize > usual_gap
                && (s.ends_with('。')
                    || before.is_some_and(|(b, _)| !is_terminated(&text[b.range.clone()])))
        };
        if (starts_caption || set_off())
            && (n() <= 80 || (!text::more_chars_than(s, 160) && ends_with_picture_credit(s)))
        {
            p.zone = Zone::Caption;
            return (false, false);
        }
        let (mut title_shaped, mut long_heading) = (false, false);
        // A Markdown file without headings may open with its title as a plain paragraph.
        let md_title = format == Format::Markdown
            && i == 0
            && min_heading.is_none()
            && p.block == Block::Paragraph
            && self.count > 1;
        if md_title && is_title_shaped(s, 80) {
            title_shaped = true;
        }
        if format == Format::Plain && matches!(p.block, Block::Line) {
            let max = if i == 0 { 80 } else { 40 };
            title_shaped = is_title_shaped(s, max) || (s.starts_with("——") && n() <= 60);
            // Longer lines of a heading's shape are subheadings only in a series (third pass).
            long_heading = !title_shaped && is_long_heading_shaped(s);
        }
        (title_shaped, long_heading)
    }
}

/// Classify every paragraph and split the page into articles.
///
/// The passes, each on evidence from the page:
/// 1. the shape of each line alone: Markdown headings, editor lines, source and page lines,
///    credits, captions, datelines, title-shaped lines;
/// 2. headline runs (title-shaped lines that open a story) with their decks;
/// 3. per article: summary lines between the headline and the dateline (decks), in-story
///    subheadings (a title-shaped line is a subheading when it is marked, set off from the body
///    by the layout, one of a series, or has no comma), lead-ins, verse and callouts;
/// 4. bundles of short items (联播快讯, 简讯): each item is its own article.
pub(super) fn classify(src: &SourceFile, format: Format, paras: &mut [Paragraph]) -> Vec<Article> {
    // A large file's passes are shared between two cores, split at its middle paragraph.
    let split = (src.text().len() >= crate::source::LARGE_FILE_BYTES).then_some(paras.len() / 2);
    classify_split(src, format, paras, split)
}

/// [`classify`], the first and third passes split at paragraph `split` (two halves at once);
/// the same zones wherever it is split.
fn classify_split(
    src: &SourceFile,
    format: Format,
    paras: &mut [Paragraph],
    split: Option<usize>,
) -> Vec<Article> {
    let text = src.text();
    // The usual gap between paragraphs; a caption is set off by more.
    let mut gaps = [0usize; 4];
    for p in paras.iter().skip(1) {
        gaps[(p.blank_lines_before as usize).min(3)] += 1;
    }
    let usual_gap = (0..4)
        .max_by_key(|&g| (gaps[g], std::cmp::Reverse(g)))
        .unwrap_or(1);

    // First pass: the shape of each line.
    let min_heading = paras
        .iter()
        .filter_map(|p| match p.block {
            Block::Heading(l) => Some(l),
            _ => None,
        })
        .min();
    let first = FirstPass {
        text,
        format,
        min_heading,
        usual_gap,
        count: paras.len(),
    };
    // In two halves at once where split (see `FirstPass::run`).
    let (title_shaped, long_heading) = first.run(paras, split);

    // Second pass: a run of title-shaped lines is a headline run when it opens the file, follows
    // a credit, caption or source line, is followed by a credit, a dateline or a jump line, or
    // has a deck. Other title-shaped lines are in-story subheadings for now (third pass).
    let mut in_headline_run = vec![false; paras.len()];
    let mut i = 0;
    while i < paras.len() {
        if !title_shaped[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < paras.len() && title_shaped[i] {
            i += 1;
        }
        let run = start..i;
        // A credit or source line closes the story before it when body text precedes it
        // ("……。" / "(通讯员 张喜红)" / next headline); under a headline it is the byline of the
        // story that follows ("新华社记者 贾云鹏" / body), and a title-shaped line after it is
        // not a new headline.
        let closes_story = |k: usize| {
            let before = paras[..k]
                .iter()
                .rev()
                .find(|p| !matches!(p.zone, Zone::Credit | Zone::PageLine | Zone::EditorLine));
            before.is_none_or(|p| p.zone == Zone::Body || p.zone == Zone::Caption)
        };
        let opens = start == 0
            || paras[start - 1].dateline().is_none()
                && match paras[start - 1].zone {
                    Zone::Caption | Zone::EditorLine => true,
                    Zone::Credit | Zone::PageLine => closes_story(start - 1),
                    _ => false,
                };
        let next_is_lead = paras.get(i).is_some_and(|p| {
            let s = &text[p.range.clone()];
            matches!(p.zone, Zone::Credit | Zone::PageLine)
                || p.dateline().is_some()
                || s.starts_with("(上接")
                || s.starts_with("（上接")
        });
        // Two title-shaped lines among body paragraphs, with no byline or dateline under them,
        // are a two-line section head ("春日经济活力足" / "加速释放消费潜能"), not a new story.
        if opens || next_is_lead {
            paras[start].zone = Zone::Headline;
            for k in run.clone() {
                in_headline_run[k] = true;
                if k > start {
                    paras[k].zone = Zone::Deck;
                }
            }
        } else {
            for p in &mut paras[run] {
                p.zone = Zone::Subheading;
            }
        }
    }

    // Third pass, per article.
    let mut articles = split_articles(paras);
    // Articles in order, each on its own paragraphs: a large file's are zoned in two halves
    // at once, split at the first article from the middle on.
    let zone_all = |paras: &mut [Paragraph], articles: &[Article], from: usize| {
        for a in articles {
            let r = a.paragraphs.start - from..a.paragraphs.end - from;
            article_zones(
                text,
                usual_gap,
                &mut paras[r],
                &in_headline_run[a.paragraphs.clone()],
                &long_heading[a.paragraphs.clone()],
            );
        }
    };
    match split {
        Some(m) => {
            let j = articles.partition_point(|a| a.paragraphs.start < m);
            let b = articles.get(j).map_or(paras.len(), |a| a.paragraphs.start);
            let (left, right) = paras.split_at_mut(b);
            rayon::join(
                || zone_all(left, &articles[..j], 0),
                || zone_all(right, &articles[j..], b),
            );
        }
        None => zone_all(paras, &articles, 0),
    }

    // Fourth pass: the items of a bundle are articles of their own.
    let bundles: Vec<usize> = articles
        .iter()
        .filter(|a| {
            paras.get(a.paragraphs.start).is_some_and(|p| {
                p.zone == Zone::Headline && is_bundle_title(&text[p.range.clone()])
            })
        })
        .map(|a| a.paragraphs.start)
        .collect();
    if !bundles.is_empty() {
        for &start in &bundles {
            // The articles are in order and start at distinct paragraphs: a search, not a walk
            // (a large file has tens of thousands of articles and thousands of bundles).
            let end = articles
                .binary_search_by_key(&start, |a| a.paragraphs.start)
                .map_or(start, |k| articles[k].paragraphs.end);
            for p in &mut paras[start + 1..end] {
                if p.zone == Zone::Subheading && p.block == Block::Line {
                    p.zone = Zone::Headline;
                }
            }
        }
        articles = split_articles(paras);
    }
    articles
}

/// The zones that need the whole article: decks before the dateline, in-story subheadings,
/// lead-ins, verse and callouts. `paras` are the article's paragraphs.
fn article_zones(
    text: &str,
    usual_gap: usize,
    paras: &mut [Paragraph],
    headline_run: &[bool],
    long_heading: &[bool],
) {
    let s = |p: &Paragraph| &text[p.range.clone()];
    let n = paras.len();

    // Summary lines (提要) and decks between the headline run and the dateline: "……，不得层层加码
    // 一刀切" / "本报讯 昨天……". Only when the dateline comes early in the article.
    // A dateline alone after the text closes the story ("……。" / "新华社北京4月29日电"): what
    // comes before it is body.
    let opening_dateline = |k: usize| {
        let p = &paras[k];
        p.dateline().is_some_and(|d| d.end < p.range.end)
            || paras.get(k + 1).is_some_and(|q| q.zone == Zone::Body)
    };
    if let Some(d) = paras
        .iter()
        .take(8)
        .position(|p| p.dateline().is_some())
        .filter(|&d| opening_dateline(d))
    {
        let after_headline = headline_run.iter().rposition(|&h| h).map_or(0, |h| h + 1);
        for p in &mut paras[after_headline.min(d)..d] {
            if matches!(p.zone, Zone::Body | Zone::Subheading) {
                p.zone = Zone::Deck;
            }
        }
    }

    // Summary lines right under the headline run, none of them a finished sentence, before the
    // story's first finished paragraph: "坚持无症状感染者……全部找出来" / "昨天下午，……。".
    // Only under the file's first headline: a section head inside a feature is not a story's
    // headline, and the text under it is body.
    let after_headline = headline_run.iter().rposition(|&h| h).map(|h| h + 1);
    let first_article = paras.first().is_some_and(|p| p.article == 0);
    if let Some(h) = after_headline.filter(|_| first_article) {
        let run = paras[h..]
            .iter()
            .take_while(|p| {
                let t = &text[p.range.clone()];
                p.zone == Zone::Body
                    && p.dateline().is_none()
                    && p.block == Block::Line
                    && !is_terminated(t)
                    // A deck never ends in a comma, and a jump line opens continued text.
                    && !t.ends_with(['，', '、', ','])
                    && !(t.starts_with("(上接") || t.starts_with("（上接"))
            })
            .count();
        // A line the next one continues (a word split across the break, a particle opening the
        // next line) is the first half of a cut paragraph, not a deck.
        let run = (h..h + run)
            .find(|&k| {
                paras.get(k + 1).is_some_and(|q| {
                    super::continuation::in_text(s(&paras[k]), s(q), true)
                        .is_some_and(|e| e.strong())
                })
            })
            .map_or(run, |k| k - h);
        let story_follows = paras[h + run..]
            .iter()
            .find(|p| p.zone == Zone::Body)
            .is_some_and(|p| is_terminated(&text[p.range.clone()]));
        if run > 0 && story_follows {
            for p in &mut paras[h..h + run] {
                p.zone = Zone::Deck;
            }
        }
    }

    // In-story subheadings. A title-shaped line after the first running text is a subheading
    // when the page gives evidence that it is one: a heading mark (（一）, 一、, 1., 【】, ■), a
    // set-off (blank lines around it where body paragraphs have none), a series (two or more such
    // lines in the article), or no comma at all ("样本的困境"). A lone, unmarked line with a comma
    // among body paragraphs ("此次活动不仅是对体育教学的课堂分析，更是展现该校") is not: it is
    // running text (and may be the first half of a broken sentence).
    let first_body = paras.iter().position(|p| p.zone == Zone::Body);
    let candidates: Vec<usize> = (0..n)
        .filter(|&i| {
            (paras[i].zone == Zone::Subheading
                || paras[i].zone == Zone::Body && paras[i].dateline().is_none() && long_heading[i])
                && paras[i].block == Block::Line
        })
        .filter(|&i| first_body.is_some_and(|b| i > b))
        .collect();
    let series = candidates.len() >= 2;
    if series {
        for &i in &candidates {
            paras[i].zone = Zone::Subheading;
        }
    }
    for &i in &candidates {
        let line = s(&paras[i]);
        let set_off = usual_gap == 0
            && paras[i].blank_lines_before >= 1
            && paras.get(i + 1).is_none_or(|q| q.blank_lines_before >= 1);
        let marked = has_heading_mark(line);
        let comma = line.contains(['，', ',']);
        // In a series a verse-like last clause of three characters is fine ("唤起工农千百万，齐心干").
        let clauses_ok = balanced_clauses_with(line, 40, if series { 3 } else { 4 });
        if !(series || set_off || marked || !comma) || !clauses_ok {
            paras[i].zone = Zone::Body;
        }
    }
    // Marked lines are subheadings even when longer than a title ("（一）“下沉服务，在一线及时
    // 解决问题”", "一、千年友谊，源远流长"), as long as they are not sentences.
    for p in paras.iter_mut() {
        if p.zone == Zone::Body
            && p.dateline().is_none()
            && p.block == Block::Line
            && !text::more_chars_than(&text[p.range.clone()], 60)
            && has_heading_mark(&text[p.range.clone()])
            && is_marked_heading_shaped(&text[p.range.clone()])
        {
            p.zone = Zone::Subheading;
        }
    }

    // Lead-ins: running text that ends in "——" or "：" introduces what follows.
    for p in paras.iter_mut() {
        if matches!(p.zone, Zone::Body | Zone::Subheading) && p.dateline().is_none() {
            let t = &text[p.range.clone()];
            if t.ends_with("——") || t.ends_with('：') || t.ends_with(':') {
                p.zone = Zone::LeadIn;
            }
        }
    }

    // Verse, couplets and lyrics: two or more consecutive short lines without a full stop inside,
    // three or more, or two where the first ends in a comma ("春风得意马蹄疾，" / "一日看尽长安花。").
    let short = |p: &Paragraph| {
        let t = &text[p.range.clone()];
        matches!(p.zone, Zone::Body | Zone::Subheading)
            && p.dateline().is_none()
            && p.block == Block::Line
            && !text::more_chars_than(t, 24)
            && t.chars().any(text::is_han)
            && !t
                .char_indices()
                .any(|(k, c)| matches!(c, '。' | '！' | '？') && k + c.len_utf8() < t.len())
    };
    let mut i = first_body.map_or(n, |b| b + 1).min(n);
    while i < n {
        if !short(&paras[i]) {
            i += 1;
            continue;
        }
        let start = i;
        // The first line is short (tested above).
        i += 1;
        while i < n && short(&paras[i]) && paras[i].blank_lines_before <= 1 {
            i += 1;
        }
        let len = i - start;
        let first_ends_comma = s(&paras[start]).ends_with(['，', '、', '；', ',']);
        // Verse lines run on: most end with a comma or nothing, and the lines are of a length.
        let open_lines = paras[start..i]
            .iter()
            .filter(|p| !s(p).ends_with(['。', '！', '？', '”', '…']))
            .count();
        let lens: Vec<usize> = paras[start..i]
            .iter()
            .map(|p| text::char_count(s(p)))
            .collect();
        let even = lens.iter().max().unwrap_or(&0) <= &(2 * lens.iter().min().unwrap_or(&0));
        if (len >= 3 || (len == 2 && first_ends_comma)) && open_lines * 2 >= len && even {
            for p in &mut paras[start..i] {
                p.zone = Zone::Verse;
            }
        }
    }

    // Callouts: a short line that opens with a figure ("2.5%", "1061公里") over a sentence, and
    // a pull-quote or section-opening quote: the first paragraph of a section (after a headline,
    // deck or subheading) whose text recurs in a later paragraph of the article.
    for i in 0..n {
        let t = s(&paras[i]);
        if paras[i].zone == Zone::Body
            && paras[i].dateline().is_none()
            && i + 1 < n
            && is_figure_callout(t)
        {
            paras[i].zone = Zone::Callout;
            continue;
        }
        let opens_section = i > 0 && paras[i - 1].zone.is_display();
        if !(opens_section && paras[i].zone == Zone::Body && paras[i].dateline().is_none()) {
            continue;
        }
        // Compared without marks and white space: a pull-quote may change “” to ‘’ or drop a
        // comma. Its first 24 characters must recur.
        // An excerpt: the later paragraph is longer. An exact copy is a layout slip, not a
        // pull-quote.
        // On the stack: most section openers recur nowhere.
        let mut needle = ['\0'; 24];
        let mut len = 0;
        for c in letters(t).take(24) {
            needle[len] = c;
            len += 1;
        }
        if len < 10 {
            continue;
        }
        let mut buf = [0; 4];
        let needle = Needle::new(&needle[..len], &mut buf);
        // The byte length of all its letters, needed only for a paragraph the needle is in; a
        // later paragraph must have 12 bytes more. Its Han characters of lead byte E5–E9 are
        // letters, so a later paragraph with fewer bytes than theirs + 12 is rejected without
        // searching (a count the compiler vectorises).
        let own = std::cell::OnceCell::new();
        let own_len = || *own.get_or_init(|| letters_len(t));
        let own_min = 3 * han_leads(t);
        // An excerpt from inside a later paragraph; a copy of a paragraph's beginning is the
        // cut-off copy a layout slip leaves ("通过建立……纳入地方公共安全管理" / the full paragraph).
        let recurs = (i + 1..n).any(|j| {
            let later = &text[paras[j].range.clone()];
            later.len() >= own_min + 4 * 3
                && needle.find_in(later).is_some_and(|at| at > 0)
                && letters_len(later) >= own_len() + 4 * 3
        });
        if recurs {
            paras[i].zone = Zone::Callout;
        }
    }
}

/// The letters of `s` (Han, digits, Latin): its text without marks and white space.
fn letters(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().filter(|&c| is_letter(c))
}

/// The byte length of [`letters`] of `s` (`tests::letters_len_is_letters_summed`): the main
/// CJK block's characters from U+5000 on (lead bytes E5–E9) are counted without decoding.
fn letters_len(s: &str) -> usize {
    let b = s.as_bytes();
    let (mut n, mut i) = (0, 0);
    while let Some(&lead) = b.get(i) {
        if (0xE5..=0xE9).contains(&lead) {
            n += 3;
            i += 3;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or(' ');
        if is_letter(c) {
            n += c.len_utf8();
        }
        i += c.len_utf8();
    }
    n
}

/// The number of lead bytes E5–E9 in `s`: its characters U+5000–U+9FFF, all Han letters, so
/// `3 * han_leads(s) <= letters_len(s)` (`tests::letters_len_is_letters_summed`).
fn han_leads(s: &str) -> usize {
    s.bytes().filter(|b| b.wrapping_sub(0xE5) < 5).count()
}

/// [`text::is_letter_or_digit`], with the common marks of Chinese copy answered without a
/// Unicode table lookup (`tests::is_letter_is_letter_or_digit`).
fn is_letter(c: char) -> bool {
    match c {
        '\u{4E00}'..='\u{9FFF}' => true,
        '，' | '。' | '、' | '“' | '”' | '‘' | '’' | '：' | '；' | '！' | '？' | '（' | '）'
        | '《' | '》' | '【' | '】' | '—' | '…' | '·' | '\u{3000}' => false,
        c => text::is_letter_or_digit(c),
    }
}

/// The characters of a pull-quote's opening, searched for in later paragraphs as
/// `letters_find` (its test-only reference) does, with a prebuilt search for its first character's bytes.
struct Needle<'a, 'b> {
    chars: &'a [char],
    first: memchr::memmem::Finder<'b>,
}

impl<'a, 'b> Needle<'a, 'b> {
    /// `chars` must not be empty; `buf` holds the first character's bytes.
    fn new(chars: &'a [char], buf: &'b mut [u8; 4]) -> Self {
        let first = chars[0].encode_utf8(buf);
        Needle {
            chars,
            first: memchr::memmem::Finder::new(first.as_bytes()),
        }
    }

    /// `letters_find` of `s` and these characters (`tests::needle_is_letters_find`). A
    /// character's UTF-8 bytes occur in UTF-8 text only where the character does, so the byte
    /// search finds the same occurrences as `match_indices`.
    fn find_in(&self, s: &str) -> Option<usize> {
        let mut letter_before = false;
        let mut scanned = 0;
        for at in self.first.find_iter(s.as_bytes()) {
            letter_before = letter_before || letters(&s[scanned..at]).next().is_some();
            scanned = at;
            let mut have = letters(&s[at..]);
            if self.chars.iter().all(|&w| have.next() == Some(w)) {
                return Some(usize::from(letter_before));
            }
        }
        None
    }
}

/// Where `needle`, a string of [`letters`], first occurs in the letters of `s` (a byte offset
/// into `letters(s)` collected, as a search of that string gives it; `tests::letters_find`),
/// found in `s` itself: the occurrences of the needle's first character, each followed as far as
/// the needle goes with the marks and white space in between skipped. Only "at the start" or
/// "not" is counted: any later offset is returned as 1. The reference for [`Needle::find_in`].
#[cfg(test)]
fn letters_find(s: &str, needle: &str) -> Option<usize> {
    let first = needle.chars().next()?;
    // Whether a letter comes before the occurrence being tried.
    let mut letter_before = false;
    let mut scanned = 0;
    for (at, _) in s.match_indices(first) {
        letter_before = letter_before || letters(&s[scanned..at]).next().is_some();
        scanned = at;
        let mut want = needle.chars();
        let mut have = letters(&s[at..]);
        let found = loop {
            match want.next() {
                None => break true,
                Some(w) => {
                    if have.next() != Some(w) {
                        break false;
                    }
                }
            }
        };
        if found {
            return Some(usize::from(letter_before));
        }
    }
    None
}

/// A photo caption or a document's picture ends with a picture credit in brackets:
/// "（陕西省档案馆藏）", "（新华社记者 张三 摄）", "（资料图片）", "（受访者供图）".
fn ends_with_picture_credit(s: &str) -> bool {
    if !s.ends_with(['）', ')']) {
        return false;
    }
    let Some(open) = matching_open(s) else {
        return false;
    };
    let inner = s[open..]
        .trim_start_matches(['（', '('])
        .trim_end_matches(['）', ')'])
        .trim_end_matches(text::is_space);
    open > 0
        && !text::more_chars_than(inner, 24)
        && (inner.ends_with('藏')
            || inner.ends_with('摄')
            || inner.ends_with("供图")
            || inner.ends_with("资料图片")
            || inner.ends_with("资料图")
            || inner.ends_with("翻拍")
            || inner.ends_with("新华社发")
            || inner == "图片"
            || inner.ends_with("制图"))
}

/// A heading's shape but longer than a title (41–60 characters): no full stop, at most two
/// commas, balanced marks, not ended like a sentence. In a series of subheadings these are
/// subheadings too ("坚持党的领导、统一战线、协商民主有机结合，深刻把握……的重大意义").
fn is_long_heading_shaped(s: &str) -> bool {
    // Most lines end with 。, ！ or ？, which `is_terminated` would answer: no counting.
    if s.ends_with(['。', '！', '？'])
        || text::more_chars_than(s, 60)
        || is_terminated(s)
        || has_full_stop(s)
    {
        return false;
    }
    let last = s.chars().next_back().unwrap_or(' ');
    if matches!(last, '，' | '、' | ',' | '；') {
        return false;
    }
    // One pass: commas, a Han character, and as many “《（( as ”》）) (each pair counted apart).
    let (mut commas, mut han) = (0, false);
    let mut open = [0i32; 4];
    for c in s.chars() {
        match c {
            '“' => open[0] += 1,
            '”' => open[0] -= 1,
            '《' => open[1] += 1,
            '》' => open[1] -= 1,
            '（' => open[2] += 1,
            '）' => open[2] -= 1,
            '(' => open[3] += 1,
            ')' => open[3] -= 1,
            '，' | ',' => commas += 1,
            c => han |= text::is_han(c),
        }
    }
    commas <= 2 && open == [0; 4] && han && balanced_clauses(s, 32)
}

/// The comma-separated clauses of a heading are whole phrases: each has at least four
/// characters (two for the first: "向顶峰，不懈攀登"), none more than `max`. A line whose last
/// clause is a word or two ("……安全运行，核电厂", "近年来，杭州") is the first half of a cut
/// sentence, not a heading.
fn balanced_clauses(s: &str, max: usize) -> bool {
    balanced_clauses_with(s, max, 4)
}

/// [`balanced_clauses`] with the shortest last clause allowed.
fn balanced_clauses_with(s: &str, max: usize, last_min: usize) -> bool {
    // One clause (no comma: ， is EF BC 8C) is always balanced.
    if memchr::memchr2(b',', 0x8C, s.as_bytes()).is_none() {
        return true;
    }
    let mut clauses = s.split(['，', ',']).map(letter_count);
    let mut prev = clauses.next().unwrap_or(0);
    let mut many = false;
    for n in clauses {
        // `prev` is not the last clause.
        if prev > max || prev < 2 {
            return false;
        }
        prev = n;
        many = true;
    }
    !many || (prev <= max && prev >= last_min)
}

/// The number of [`letters`] of `s`.
fn letter_count(s: &str) -> usize {
    s.chars().filter(|&c| is_letter(c)).count()
}

/// Clauses of one length, as in composed headings, couplets and verse ("过犹不及，饮食有节",
/// "看得见山水，留得住乡愁"): two or more comma-separated clauses of two to eight characters each,
/// all the same length. A sentence cut by layout almost never breaks off at such a point.
pub fn parallel_clauses(s: &str) -> bool {
    let mut lens = s.split(['，', ',']).map(letter_count);
    let first = lens.next().unwrap_or(0);
    if !(2..=8).contains(&first) {
        return false;
    }
    let mut many = false;
    for n in lens {
        if n != first {
            return false;
        }
        many = true;
    }
    many
}

/// A heading mark at the start of a line: a numbering ((一), 一、, 1., 第一部分), 【…】, or a
/// bullet (■ ● ◆ ▲ ★ ▶), a section number alone ("3", "二"), or a line in quotes
/// ("“不把党的历史搞清楚……便不能把事情办得更好”").
/// Whether a list marker may open with `c`: a bullet, a bracket or a numeral
/// (`text::starts_with_list_marker` is false for any other first character; a test holds it to
/// that).
fn may_open_list(c: char) -> bool {
    matches!(c, '①'..='⑳' | '•' | '·' | '●' | '▪' | '（' | '(')
        || c.is_ascii_digit()
        || "一二三四五六七八九十".contains(c)
}

fn has_heading_mark(s: &str) -> bool {
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    if !s.is_empty() && !text::more_chars_than(s, 3) && s.chars().all(numeral) {
        return true;
    }
    if let Some(inner) = s.strip_prefix('“').and_then(|t| t.strip_suffix('”')) {
        if !inner.contains(['“', '”']) && !text::more_chars_than(inner, 60) {
            return true;
        }
    }
    if s.starts_with('【') && s.contains('】') {
        return true;
    }
    if s.starts_with(['■', '●', '◆', '▲', '★', '☆', '▶', '►', '◇', '□', '◎'])
    {
        return true;
    }
    if s.chars().next().is_some_and(may_open_list) && text::starts_with_list_marker(s) {
        return true;
    }
    // 第一部分, 第二章, 第三节
    let mut it = s.chars();
    if it.next() == Some('第') {
        let num: String = it
            .by_ref()
            .take_while(|c| "一二三四五六七八九十".contains(*c))
            .collect();
        if !num.is_empty() {
            let rest = &s['第'.len_utf8() + num.len()..];
            return ["部分", "章", "节", "篇"]
                .iter()
                .any(|w| rest.starts_with(w));
        }
    }
    false
}

/// A marked heading may be longer than a title ("（一）“下沉服务，在一线及时解决问题”") but is not
/// a sentence: at most 60 characters, no full stop before its end.
fn is_marked_heading_shaped(s: &str) -> bool {
    !text::more_chars_than(s, 60)
        && !is_terminated(s)
        && !s.contains('。')
        && s.chars().any(text::is_han)
}

/// A short line that opens with a figure and holds no sentence: "2.5%", "1061公里", "36万亿元".
fn is_figure_callout(s: &str) -> bool {
    let first = s.chars().next().unwrap_or(' ');
    (first.is_ascii_digit() || ('０'..='９').contains(&first))
        && !text::more_chars_than(s, 16)
        && !s.contains(['。', '，', '；', '：'])
}

/// The words of a bundle's title ([`is_bundle_title`]).
const BUNDLE_WORDS: &[&str] = &[
    "快讯", "简讯", "速览", "短讯", "速递", "集锦", "一览", "简报", "摘要", "要闻", "综述",
];

/// The first characters of [`BUNDLE_WORDS`] (`tests::bundle_word_first_chars`): a title with
/// none of them holds no word.
const BUNDLE_FIRST: [char; 9] = ['快', '简', '速', '短', '集', '一', '摘', '要', '综'];

/// The title of a bundle of short items: 联播快讯, 简讯, 新闻速览, 要闻速递.
fn is_bundle_title(s: &str) -> bool {
    !text::more_chars_than(s, 20)
        && s.contains(BUNDLE_FIRST)
        && BUNDLE_WORDS.iter().any(|w| s.contains(w))
}

/// The roles of an editor's line ([`is_editor_line`]).
const EDITOR_ROLES: &[&str] = &[
    "责任编辑",
    "值班编辑",
    "执行编辑",
    "实习编辑",
    "编辑",
    "责编",
    "校对",
    "审核",
    "审校",
    "终审",
    "复审",
    "初审",
    "一审",
    "二审",
    "三审",
    "监制",
    "统筹",
    "策划",
    "主编",
    "美编",
    "版式设计",
    "版式",
    "设计",
    "排版",
];

/// The first characters of [`EDITOR_ROLES`] (`tests::editor_role_first_chars`).
const EDITOR_ROLE_FIRST: [char; 21] = [
    '责', '值', '执', '实', '编', '校', '审', '终', '复', '初', '一', '二', '三', '监', '统', '策',
    '主', '美', '版', '设', '排',
];

/// An editor's line: 责任编辑：张三, 编辑 李四, （编辑：王五）, 校对：赵六.
pub fn is_editor_line(s: &str) -> bool {
    let t = s.trim_start_matches(['（', '(', '[', '【']);
    // Most lines open with none of the roles' first characters: tested before counting.
    if !t.starts_with(EDITOR_ROLE_FIRST) || text::more_chars_than(s, 40) || has_full_stop(s) {
        return false;
    }
    EDITOR_ROLES.iter().any(|r| {
        t.strip_prefix(r).is_some_and(|rest| {
            rest.starts_with(|c: char| matches!(c, '：' | ':' | '/' | '|') || text::is_space(c))
        })
    })
}

/// Whether `s` holds 稿件来源: 稿 (E7 A8 BF) looked for first, by its last byte (most lines
/// have none).
fn names_source(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(0xBF, b).any(|j| b[..=j].ends_with("稿".as_bytes()))
        && s.contains("稿件来源")
}

/// A source or page line: "（ 2026-04-27 ） 稿件来源：新华每日电讯 要闻", "《 学习时报 》（ 2026年
/// 04月27日  第 02 版 ）", "（下转2版）", "字数 3582", "2022年4月1日 星期五".
pub fn is_page_line(s: &str) -> bool {
    if text::more_chars_than(s, 60) || has_period_or_comma(s) {
        return false;
    }
    if names_source(s) {
        return true;
    }
    let page = page_reference(s);
    let date = has_full_date(s);
    if page && (date || s.contains('《')) {
        return true;
    }
    // A jump line alone: （上接1版） （下转第2版） （紧接第1版）
    let inner = s
        .trim_start_matches(['（', '('])
        .trim_end_matches(['）', ')']);
    if page
        && ["上接", "下转", "紧接", "转第", "转"]
            .iter()
            .any(|w| inner.starts_with(w))
        && !text::more_chars_than(inner, 10)
    {
        return true;
    }
    if let Some(rest) = s.strip_prefix("字数") {
        let rest = rest.trim_matches(|c: char| text::is_space(c) || c == ':' || c == '：');
        return !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit());
    }
    // A date alone, with at most a weekday.
    if date {
        let other = s
            .chars()
            .filter(|&c| text::is_han(c) && !"年月日星期周一二三四五六七天".contains(c));
        return other.count() == 0;
    }
    false
}

/// "第 02 版", "第3版", "A3版": a page reference.
fn page_reference(s: &str) -> bool {
    // Where 版 (E7 89 88) starts, found by its last byte as `match_indices('版')` would.
    let b = s.as_bytes();
    let mut starts = memchr::memchr_iter(0x88, b)
        .filter(|&j| b[..=j].ends_with("版".as_bytes()))
        .map(|j| j - 2);
    starts.any(|i| {
        let before = s[..i].trim_end_matches(text::is_space);
        before.ends_with(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c))
            || before.ends_with(|c: char| "一二三四五六七八九十".contains(c))
                && before.contains('第')
    })
}

/// A full date: 2026年04月27日 or 2026-04-27.
/// Whether the text holds a hyphen or 年 (E5 B9 B4), found by the hyphen and 年's last byte.
fn has_hyphen_or_year(b: &[u8]) -> bool {
    memchr::memchr2_iter(b'-', 0xB4, b).any(|i| b[i] == b'-' || b[..=i].ends_with("年".as_bytes()))
}

fn has_full_date(s: &str) -> bool {
    let b = s.as_bytes();
    // Either form needs 年 or a hyphen.
    if !has_hyphen_or_year(b) {
        return false;
    }
    let digits =
        |i: usize, n: usize| i + n <= b.len() && b[i..i + n].iter().all(u8::is_ascii_digit);
    // Only a digit can start one.
    for i in (0..b.len()).filter(|&i| b[i].is_ascii_digit()) {
        if !digits(i, 4) || (i > 0 && b[i - 1].is_ascii_digit()) {
            continue;
        }
        let rest = &s[i + 4..];
        if let Some(r) = rest.strip_prefix('年') {
            let m = r.chars().take_while(char::is_ascii_digit).count();
            if (1..=2).contains(&m) && r[m..].starts_with('月') {
                return true;
            }
        }
        if rest.len() >= 6
            && rest.as_bytes()[0] == b'-'
            && digits(i + 5, 2)
            && rest.as_bytes()[3] == b'-'
        {
            return true;
        }
    }
    false
}

/// Assign articles: a new one starts at every headline that follows non-headline paragraphs.
fn split_articles(paras: &mut [Paragraph]) -> Vec<Article> {
    let mut articles = Vec::new();
    let mut start = 0;
    for i in 0..paras.len() {
        let new_article = paras[i].zone == Zone::Headline
            && i > start
            && !matches!(
                paras[i - 1].zone,
                Zone::Headline | Zone::Deck | Zone::Subheading
            );
        if new_article {
            articles.push(Article {
                paragraphs: start..i,
            });
            start = i;
        }
    }
    articles.push(Article {
        paragraphs: start..paras.len(),
    });
    for (a, art) in articles.iter().enumerate() {
        for p in &mut paras[art.paragraphs.clone()] {
            p.article = super::to_u32(a);
        }
    }
    articles
}

/// The predicates as they were before they were made cheaper for the common case: the
/// references the tests compare them with, where the cheaper one differs in more than a
/// prefilter (a prefilter is tested against the plain test it stands for instead).
#[cfg(test)]
mod reference {
    use super::{
        has_sentence_mark, is_terminated, text, AGENCY_ROLES, AGENCY_ROLE_FIRST, EDITOR_ROLES,
        EDITOR_ROLE_FIRST, ROLE_WORDS,
    };

    pub(super) fn page_reference(s: &str) -> bool {
        s.match_indices('版').any(|(i, _)| {
            let before = s[..i].trim_end_matches(text::is_space);
            before.ends_with(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c))
                || before.ends_with(|c: char| "一二三四五六七八九十".contains(c))
                    && before.contains('第')
        })
    }

    pub(super) fn is_credit_line(s: &str) -> bool {
        // Body paragraphs are long: reject them before counting.
        if s.len() > 4 * 48 {
            return false;
        }
        // No credit holds sentence punctuation (the bracketed form below excludes it inside the
        // brackets, and its first and last characters are brackets): most short body paragraphs
        // are rejected here, before counting and decoding.
        if has_sentence_mark(s) {
            return false;
        }
        let n = text::char_count(s);
        if n > 48 {
            return false;
        }
        // White space as the rest of the model sees it (U+3000 and zero-width marks included).
        let space = text::is_space;
        let first = s.chars().next().unwrap_or(' ');
        let last = s.chars().next_back().unwrap_or(' ');
        // （通讯员 付笛）: a bracketed line of 1–40 characters without sentence punctuation.
        if matches!(first, '（' | '(') && matches!(last, '）' | ')') && (3..=42).contains(&n) {
            let inner = &s[first.len_utf8()..s.len() - last.len_utf8()];
            if !inner.contains([
                '（', '(', ')', '）', '。', '，', ',', '！', '!', '？', '?', '；', ';',
            ]) {
                // "(上接1版)" and "（图为…）" are not credits.
                let inner = s.trim_start_matches(['（', '(']);
                return !(inner.starts_with("上接")
                    || inner.starts_with("下转")
                    || inner.starts_with("图"));
            }
        }
        if s.starts_with(['■', '▲', '◆', '●', '□', '△']) && n <= 30 {
            return true;
        }
        let starts_han = |t: &str| t.chars().next().is_some_and(text::is_han);
        // 记者 张三: a role word, optional white space or colon, a Han character.
        // (Only a line that opens with a role's first character can.)
        let role_first = AGENCY_ROLE_FIRST.contains(&first)
            && ROLE_WORDS.iter().any(|r| {
                s.strip_prefix(r).is_some_and(|t| {
                    starts_han(t.trim_start_matches(|c: char| space(c) || c == ':' || c == '：'))
                })
            });
        // 文/图 张三, 编辑 李四: at least one separator, then a Han character.
        let text_photo = matches!(first, '文' | '图' | '摄' | '编' | '责' | '校')
            && [
                "文/图",
                "图/文",
                "文 / 图",
                "图文",
                "文",
                "图",
                "摄影",
                "编辑",
                "责编",
                "责任编辑",
                "校对",
            ]
            .iter()
            .any(|p| {
                s.strip_prefix(p).is_some_and(|t| {
                    let rest =
                        t.trim_start_matches(|c: char| space(c) || matches!(c, '/' | ':' | '：'));
                    rest.len() < t.len() && starts_han(rest)
                })
            });
        // 李军 聊城报道: up to 24 Han characters, spaces, 、 or ·, then an action: 报道, 摄, 供图,
        // 采写, 整理, 编译, 制图, 撰稿.
        let reported = || {
            [
                "报道", "摄", "供图", "采写", "整理", "编译", "制图", "撰稿", "摄影",
            ]
            .iter()
            .any(|suffix| {
                s.strip_suffix(suffix).is_some_and(|head| {
                    head.chars().count() <= 24
                        && head
                            .chars()
                            .all(|c| text::is_han(c) || space(c) || matches!(c, '、' | '·'))
                })
            })
        };
        // 谢晓丽 通讯员 刘培卓: a 2–4 character name, spaces, a role word, a space.
        let role_inside = || {
            let name = s
                .chars()
                .take_while(|&c| text::is_han(c) || c == '·')
                .count();
            if !(2..=4).contains(&name) {
                return false;
            }
            let after_name = &s[s.char_indices().nth(name).map_or(s.len(), |(i, _)| i)..];
            let rest = after_name.trim_start_matches(space);
            rest.len() < after_name.len()
                && ROLE_WORDS.iter().any(|r| {
                    rest.strip_prefix(r)
                        .is_some_and(|t| t.chars().next().is_some_and(space))
                })
        };
        // 《光明网》 (1–15 characters) or 来源：… (1–30 characters).
        let source = || {
            if let Some(inner) = s.strip_prefix('《').and_then(|t| t.strip_suffix('》')) {
                return (1..=15).contains(&inner.chars().count()) && !inner.contains('》');
            }
            ["来源：", "来源:", "稿源：", "稿源:"].iter().any(|p| {
                s.strip_prefix(p)
                    .is_some_and(|t| (1..=30).contains(&t.chars().count()) && !t.contains('\n'))
            })
        };
        // 新华社记者 邬焕庆 方益波, 人民日报记者 张三, 新华社记者: an agency or paper (1–8 Han
        // characters or a title in 《》), a role word, then nothing or names.
        let agency_role = || {
            let names_after = |rest: &str| {
                (rest.is_empty() || rest.starts_with(|c: char| space(c) || c == '：' || c == ':'))
                    && rest.chars().all(|c| {
                        text::is_han(c) || space(c) || matches!(c, '、' | '·' | '：' | ':')
                    })
            };
            // The head is at most ten Han characters (or 《》): the role word starts at one of the
            // first eleven characters, and most short lines have none of the roles' first
            // characters there. A role's first occurrence further on fails the head test, so its
            // first occurrence among these starts decides as `s.find(r)` would.
            let mut starts = [0usize; 11];
            let mut count = 0;
            for (k, (at, c)) in s.char_indices().enumerate() {
                if AGENCY_ROLE_FIRST.contains(&c) {
                    starts[count] = at;
                    count += 1;
                }
                if k == 10 || !(text::is_han(c) || matches!(c, '《' | '》')) {
                    break;
                }
            }
            let starts = &starts[..count];
            !starts.is_empty()
                && AGENCY_ROLES.iter().chain(ROLE_WORDS).any(|r| {
                    let first = starts.iter().copied().find(|&at| s[at..].starts_with(r));
                    first.is_some_and(|pos| {
                        let head = &s[..pos];
                        (1..=10).contains(&head.chars().count())
                            && head
                                .chars()
                                .all(|c| text::is_han(c) || matches!(c, '《' | '》'))
                            && names_after(&s[pos + r.len()..])
                    })
                })
        };
        // 高晓东（复旦大学附属中山医院感染管理科副科长）: a name and the person's title in brackets.
        let name_and_title = || {
            let name = s
                .chars()
                .take_while(|&c| text::is_han(c) || c == '·')
                .count();
            (2..=4).contains(&name)
                && s[s.char_indices().nth(name).map_or(s.len(), |(i, _)| i)..]
                    .starts_with(['（', '('])
                && s.ends_with(['）', ')'])
                && !has_sentence_mark(s)
        };
        role_first
            || name_and_title()
            || text_photo
            || (n <= 30 && reported())
            || (n <= 30 && role_inside())
            || source()
            || (n <= 40 && agency_role())
    }

    pub(super) fn is_title_shaped(s: &str, max_chars: usize) -> bool {
        // The last character first: most paragraphs end with 。 and need no counting.
        let last = s.chars().next_back().unwrap_or(' ');
        if matches!(
            last,
            '。' | '，' | '、' | '；' | '：' | ',' | ';' | ':' | '…'
        ) {
            return false;
        }
        // Count at most one past the limit: body paragraphs are long.
        let n = text::non_space_count_capped(s, max_chars + 1);
        if n < 2 || n > max_chars {
            return false;
        }
        // One pass: a Han character, no 。, at most one comma ("心中有数，防汛不容闪失" is a
        // headline; a line with two commas is a sentence), and balanced quotes and brackets.
        let (mut han, mut period, mut commas) = (false, false, 0);
        let mut open = [0i32; 4]; // “” 《》 （） ()
        for c in s.chars() {
            match c {
                '“' => open[0] += 1,
                '”' => open[0] -= 1,
                '《' => open[1] += 1,
                '》' => open[1] -= 1,
                '（' => open[2] += 1,
                '）' => open[2] -= 1,
                '(' => open[3] += 1,
                ')' => open[3] -= 1,
                '，' | ',' => commas += 1,
                '。' => period = true,
                c => han |= text::is_han(c),
            }
        }
        han && !period && commas < 2 && open == [0; 4]
    }

    pub(super) fn is_long_heading_shaped(s: &str) -> bool {
        if text::more_chars_than(s, 60) || is_terminated(s) || s.contains('。') {
            return false;
        }
        let last = s.chars().next_back().unwrap_or(' ');
        if matches!(last, '，' | '、' | ',' | '；') {
            return false;
        }
        let commas = s.chars().filter(|&c| c == '，' || c == ',').count();
        let balanced = [('“', '”'), ('《', '》'), ('（', '）'), ('(', ')')]
            .iter()
            .all(|&(o, c)| {
                s.chars().filter(|&x| x == o).count() == s.chars().filter(|&x| x == c).count()
            });
        commas <= 2 && balanced && s.chars().any(text::is_han) && balanced_clauses(s, 32)
    }

    pub(super) fn balanced_clauses(s: &str, max: usize) -> bool {
        balanced_clauses_with(s, max, 4)
    }

    pub(super) fn balanced_clauses_with(s: &str, max: usize, last_min: usize) -> bool {
        let clauses: Vec<usize> = s
            .split(['，', ','])
            .map(|c| c.chars().filter(|&c| text::is_letter_or_digit(c)).count())
            .collect();
        if clauses.len() < 2 {
            return true;
        }
        let last = clauses.len() - 1;
        clauses
            .iter()
            .enumerate()
            .all(|(k, &n)| n <= max && n >= if k == last { last_min } else { 2 })
    }

    pub(super) fn parallel_clauses(s: &str) -> bool {
        let lens: Vec<usize> = s
            .split(['，', ','])
            .map(|c| c.chars().filter(|&c| text::is_letter_or_digit(c)).count())
            .collect();
        lens.len() >= 2 && (2..=8).contains(&lens[0]) && lens.iter().all(|&n| n == lens[0])
    }

    pub(super) fn is_editor_line(s: &str) -> bool {
        if text::more_chars_than(s, 40) || s.contains('。') {
            return false;
        }
        let t = s.trim_start_matches(['（', '(', '[', '【']);
        // Most short lines open with none of the roles' first characters.
        t.starts_with(EDITOR_ROLE_FIRST)
            && EDITOR_ROLES.iter().any(|r| {
                t.strip_prefix(r).is_some_and(|rest| {
                    rest.starts_with(|c: char| {
                        matches!(c, '：' | ':' | '/' | '|') || text::is_space(c)
                    })
                })
            })
    }

    pub(super) fn is_bundle_title(s: &str) -> bool {
        const WORDS: &[&str] = &[
            "快讯", "简讯", "速览", "短讯", "速递", "集锦", "一览", "简报", "摘要", "要闻", "综述",
        ];
        !text::more_chars_than(s, 20) && WORDS.iter().any(|w| s.contains(w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    fn doc(text: &str, format: Format) -> Document {
        Document::parse(SourceFile::from_text(text.to_string(), false), format)
    }

    fn zones(d: &Document) -> Vec<(&str, &str)> {
        d.paragraphs
            .iter()
            .map(|p| (p.zone.as_str(), d.para_text(p)))
            .collect()
    }

    /// Split anywhere, the passes shared between two cores (as on a large file) give the
    /// zones, datelines and articles of one pass in order: on every real page of the fixtures,
    /// at every paragraph, and on pages joined (a split in the middle of a story, after a
    /// caption, a credit).
    #[test]
    fn split_first_pass() {
        let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures"));
        let mut pages = Vec::new();
        for dir in ["seeds", "pages", "clean"] {
            let mut names: Vec<_> = std::fs::read_dir(root.join(dir))
                .expect("fixtures")
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect();
            names.sort();
            for p in names {
                pages.push(std::fs::read_to_string(p).expect("page"));
            }
        }
        assert!(pages.len() >= 12, "{} pages", pages.len());
        let joined = pages.join("\n\n");
        let mut splits_checked = 0;
        for text in pages.iter().chain([&joined]) {
            for format in [Format::Plain, Format::Markdown] {
                let src = SourceFile::from_text(text.clone(), false);
                let parsed = match format {
                    Format::Plain => super::super::plain_paragraphs(&src),
                    Format::Markdown => super::super::markdown::markdown_paragraphs(&src),
                };
                let shape = |ps: &[Paragraph]| -> Vec<(Zone, Option<std::ops::Range<usize>>)> {
                    ps.iter().map(|p| (p.zone, p.dateline())).collect()
                };
                let mut one = parsed.clone();
                let want_articles: Vec<_> = classify_split(&src, format, &mut one, None)
                    .into_iter()
                    .map(|a| a.paragraphs)
                    .collect();
                let want = shape(&one);
                let step = if text.len() > 100_000 { 7 } else { 1 };
                for m in (0..=parsed.len()).step_by(step) {
                    let mut two = parsed.clone();
                    let got_articles: Vec<_> = classify_split(&src, format, &mut two, Some(m))
                        .into_iter()
                        .map(|a| a.paragraphs)
                        .collect();
                    assert_eq!(shape(&two), want, "split at {m}");
                    assert_eq!(got_articles, want_articles, "split at {m}");
                    splits_checked += 1;
                }
            }
        }
        assert!(splits_checked > 1000, "{splits_checked}");
    }

    #[test]
    fn full_dates() {
        for (s, want) in [
            ("2026年04月27日 星期一", true),
            ("（ 2026-04-27 ） 稿件来源", true),
            ("2026年4月", true),
            ("2026年", false),
            ("12026-04-27", false),
            ("2026 04 27", false),
            ("第 02 版", false),
        ] {
            assert_eq!(has_full_date(s), want, "{s}");
        }
    }

    #[test]
    fn editor_role_first_chars() {
        for r in EDITOR_ROLES {
            assert!(r.starts_with(EDITOR_ROLE_FIRST), "{r}");
        }
    }

    #[test]
    fn role_first_chars() {
        for r in AGENCY_ROLES.iter().chain(ROLE_WORDS) {
            assert!(r.starts_with(AGENCY_ROLE_FIRST), "{r}");
        }
    }

    proptest::proptest! {
        #[test]
        fn letters_find_is_a_search_of_the_letters(
            s in "[一二三，、 “”a1]{0,30}",
            needle in "[一二三a1]{1,4}",
        ) {
            let all: String = letters(&s).collect();
            let want = all.find(needle.as_str()).map(|at| usize::from(at > 0));
            proptest::prop_assert_eq!(letters_find(&s, &needle), want);
        }
    }

    proptest::proptest! {
        #[test]
        fn needle_is_letters_find(
            s in "[一二三，、 “”a1。]{0,30}",
            needle in "[一二三a1]{1,6}",
        ) {
            let chars: Vec<char> = needle.chars().collect();
            let mut buf = [0; 4];
            let fast = Needle::new(&chars, &mut buf);
            proptest::prop_assert_eq!(fast.find_in(&s), letters_find(&s, &needle));
        }

        #[test]
        fn letters_len_is_letters_summed(s in "[一二三䷀\u{4DBF}\u{4000}丁，、 “”a1。é😀]{0,30}") {
            proptest::prop_assert_eq!(letters_len(&s), letters(&s).map(char::len_utf8).sum::<usize>());
            proptest::prop_assert!(3 * han_leads(&s) <= letters_len(&s));
        }

        #[test]
        fn is_letter_is_letter_or_digit(c in proptest::char::any()) {
            proptest::prop_assert_eq!(is_letter(c), text::is_letter_or_digit(c));
        }
    }

    /// The real paragraphs of the fixtures, for comparing fast predicates with their references.
    fn fixture_paragraphs() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        let mut files = vec![root];
        let mut paras = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                for e in std::fs::read_dir(&path).unwrap() {
                    files.push(e.unwrap().path());
                }
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                paras.extend(
                    text.split('\n')
                        .map(|l| l.trim_matches(text::is_space).to_string())
                        .filter(|l| !l.is_empty()),
                );
            }
        }
        paras
    }

    proptest::proptest! {
        /// The byte prefilters of has_full_date, is_page_line and has_heading_mark are the
        /// plain tests they stand for.
        #[test]
        fn prefilters_are_their_plain_tests(s in "[-年稿件来源一1①（(•a，。\u{5E74}\u{7A3F}\u{4DBF}😀]{0,16}") {
            proptest::prop_assert_eq!(has_hyphen_or_year(s.as_bytes()), s.contains('-') || s.contains('年'));
            proptest::prop_assert_eq!(names_source(&s), s.contains("稿件来源"));
            if text::starts_with_list_marker(&s) {
                proptest::prop_assert!(s.chars().next().is_some_and(may_open_list), "{}", s);
            }
        }

        /// No character outside may_open_list starts a list marker.
        #[test]
        fn list_markers_open_with_may_open_list(c in proptest::char::any(), t in "[、.．）) 一a]{0,3}") {
            let s = format!("{c}{t}");
            proptest::prop_assert!(!text::starts_with_list_marker(&s) || may_open_list(c), "{}", s);
        }
    }

    /// Each predicate made cheaper gives what its reference gives.
    fn same_as_reference(s: &str) {
        assert_eq!(page_reference(s), reference::page_reference(s), "page {s}");
        assert!(3 * han_leads(s) <= letters_len(s), "{s}");
        assert_eq!(
            is_credit_line(s),
            reference::is_credit_line(s),
            "credit {s}"
        );
        for max in [40, 80] {
            assert_eq!(
                is_title_shaped(s, max),
                reference::is_title_shaped(s, max),
                "title {max} {s}"
            );
        }
        assert_eq!(
            is_long_heading_shaped(s),
            reference::is_long_heading_shaped(s),
            "long heading {s}"
        );
        for (max, last_min) in [(40, 3), (40, 4), (32, 4)] {
            assert_eq!(
                balanced_clauses_with(s, max, last_min),
                reference::balanced_clauses_with(s, max, last_min),
                "clauses {max} {last_min} {s}"
            );
        }
        assert_eq!(balanced_clauses(s, 32), reference::balanced_clauses(s, 32));
        assert_eq!(
            parallel_clauses(s),
            reference::parallel_clauses(s),
            "parallel {s}"
        );
        assert_eq!(
            is_editor_line(s),
            reference::is_editor_line(s),
            "editor {s}"
        );
        assert_eq!(
            is_bundle_title(s),
            reference::is_bundle_title(s),
            "bundle {s}"
        );
    }

    proptest::proptest! {
        #[test]
        fn role_first_is_the_list(c in proptest::char::any()) {
            proptest::prop_assert_eq!(is_role_first(c), AGENCY_ROLE_FIRST.contains(&c));
        }
    }

    #[test]
    fn bundle_word_first_chars() {
        for c in AGENCY_ROLE_FIRST {
            assert!(is_role_first(c), "{c}");
        }
        for w in BUNDLE_WORDS {
            assert!(w.starts_with(BUNDLE_FIRST), "{w}");
        }
    }

    proptest::proptest! {
        #[test]
        fn predicates_are_their_references(
            s in "[记者通讯员本报讯新华社北京月日电文图摄编辑责任校对（）()【】，,。、“”：:！？ \u{3000}一二三十1２a·《》■①第章版年-报道供图张三李四快简讯要闻速览]{0,40}",
        ) {
            same_as_reference(&s);
        }
    }

    #[test]
    fn fast_predicates_on_real_paragraphs() {
        let paras = fixture_paragraphs();
        assert!(paras.len() > 1000, "{} paragraphs", paras.len());
        for c in "，。、“”‘’：；！？（）《》【】—…·\u{3000}".chars() {
            assert!(!text::is_letter_or_digit(c), "{c}");
        }
        for (k, p) in paras.iter().enumerate() {
            same_as_reference(p);
            // Their openings and endings too: most real paragraphs are longer than the short
            // lines these predicates look for.
            for n in [2, 4, 6, 10, 16, 24, 40] {
                if let Some((at, _)) = p.char_indices().nth(n) {
                    same_as_reference(&p[..at]);
                    same_as_reference(&p[at..]);
                }
            }
            assert_eq!(
                letters_len(p),
                letters(p).map(char::len_utf8).sum::<usize>(),
                "{p}"
            );
            // Each paragraph's opening letters searched in the next few paragraphs.
            let needle: String = letters(p).take(24).collect();
            if needle.is_empty() {
                continue;
            }
            let chars: Vec<char> = needle.chars().collect();
            let mut buf = [0; 4];
            let fast = Needle::new(&chars, &mut buf);
            for later in paras.iter().skip(k).take(8) {
                assert_eq!(
                    fast.find_in(later),
                    letters_find(later, &needle),
                    "{needle} in {later}"
                );
            }
            // And from inside the paragraph: found after its first letter.
            let inner: String = letters(p).skip(5).take(24).collect();
            if !inner.is_empty() {
                let chars: Vec<char> = inner.chars().collect();
                let mut buf = [0; 4];
                let fast = Needle::new(&chars, &mut buf);
                assert_eq!(fast.find_in(p), letters_find(p, &inner), "{inner} in {p}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn sentence_marks_by_lead_bytes(s in "[一，。！？；：、“”a1 ｛｝\u{3001}\u{3003}]{0,20}") {
            proptest::prop_assert_eq!(
                has_sentence_mark(&s),
                s.contains(['。', '，', '！', '？', '；'])
            );
            proptest::prop_assert_eq!(has_period_or_comma(&s), s.contains(['。', '，']));
        }
    }

    #[test]
    fn pull_quotes_are_callouts() {
        // A section's first paragraph whose text recurs inside a later, longer paragraph is a
        // pull-quote; one that only recurs at the start of a later paragraph (a cut-off copy),
        // or in no longer paragraph, stays body.
        let page = |quote: &str, later: &str| {
            format!(
                "绿水青山就是金山银山\n\n新华社北京5月2日电 今年以来，各地持续推进生态文明建设，取得新的进展。\n\n\
                 一、守护绿水青山\n\n{quote}\n\n{later}\n\n二、建设美丽中国\n\n各地还要继续努力，久久为功。\n"
            )
        };
        let zone_of = |text: &str, line: &str| {
            let d = doc(text, Format::Plain);
            let z = zones(&d);
            z.iter()
                .find(|(_, t)| *t == line)
                .map(|(z, _)| z.to_string())
        };
        let quote = "保护生态环境就是保护生产力，改善生态环境就是发展生产力。";
        let inside =
            "他强调，保护生态环境就是保护生产力，改善生态环境就是发展生产力，要坚定不移走下去。";
        assert_eq!(
            zone_of(&page(quote, inside), quote).as_deref(),
            Some("callout")
        );
        let opening = "保护生态环境就是保护生产力，改善生态环境就是发展生产力，要坚定不移走下去。";
        assert_eq!(
            zone_of(&page(quote, opening), quote).as_deref(),
            Some("body")
        );
        let shorter = "他强调，保护生态环境就是保护生产力改善生态环境就是发展生产力";
        assert_eq!(
            zone_of(&page(quote, shorter), quote).as_deref(),
            Some("body")
        );
    }

    #[test]
    fn credit_lines() {
        for s in [
            "(通讯员 付笛 王金华)",
            "（区教体局）",
            "(融媒体 全兴社 通讯员 段金朝)",
            "李军 聊城报道",
            "谢晓丽 通讯员 刘培卓",
            "聊城报道",
            "文/图 鞠圣妍",
            "■ 马红坤 王欣楠",
            "《光明网》",
            "记者 张三 通讯员 李四",
            "通讯员 王五 摄",
        ] {
            assert!(is_credit_line(s), "{s}");
        }
        for s in [
            "(上接1版)",
            "了美好印象。",
            "新闻速览",
            "冰糖葫芦甜 劳动滋味长",
            "记者9月4日从国网聊城供电公司了解到，国网",
        ] {
            assert!(!is_credit_line(s), "{s}");
        }
    }

    proptest::proptest! {
        #[test]
        fn dateline_signal_matches_decoding(s in "[讯电消息信号记者讯\u{8BAE}\u{7534}a1，]{0,12}") {
            // 讯 U+8BAF's neighbours and 电 U+7535's share their lead bytes.
            let mut prev = ' ';
            let want = s.chars().any(|c| {
                let hit = c == '讯' || c == '电' || (prev == '消' && c == '息');
                prev = c;
                hit
            });
            proptest::prop_assert_eq!(dateline_signal(&s), want);
        }
    }

    #[test]
    fn datelines() {
        let cases = [
            ("本报讯(记者 王培源)纳入低收入", "本报讯(记者 王培源)"),
            (
                "本报讯（记者 张三 通讯员 李四）近日",
                "本报讯（记者 张三 通讯员 李四）",
            ),
            (
                "新华社北京11月22日电（记者张三）今天",
                "新华社北京11月22日电（记者张三）",
            ),
            ("东昌府讯 今年以来", "东昌府讯 "),
            (
                "央视网消息（新闻联播）：1月22日",
                "央视网消息（新闻联播）：",
            ),
            (
                "本报北京1月18日电（记者X、Y）据",
                "本报北京1月18日电（记者X、Y）",
            ),
        ];
        for (s, want) in cases {
            assert_eq!(dateline_len(s).map(|n| &s[..n]), Some(want), "{s}");
        }
        assert_eq!(dateline_len("记者9月4日从国网了解到"), None);
        assert_eq!(dateline_len("资讯服务"), None);
        // The shapes the code matcher must keep from the regex it replaced.
        let more = [
            ("本报北京１１月２２日讯 今天", "本报北京１１月２２日讯 "),
            ("新华社11月22日电 今天", "新华社11月22日电 "),
            ("东昌府讯（记者 张三）今天", "东昌府讯（记者 张三）"),
            ("经济日报北京3月1日讯：据", "经济日报北京3月1日讯："),
            (
                "据新华社北京5月2日电（记者樊曦）记者2日从",
                "据新华社北京5月2日电（记者樊曦）",
            ),
        ];
        for (s, want) in more {
            assert_eq!(dateline_len(s).map(|n| &s[..n]), Some(want), "{s}");
        }
        for s in [
            "本报北京123月4日电 今天",                // three digits of month
            "本报北京市东城区某某街道办事处3月1日电", // place longer than 8
            "讯 今天",                                // no place
            "新华社北京11月22日报道",                 // not 电 or 讯
        ] {
            assert_eq!(dateline_len(s), None, "{s}");
        }
    }

    #[test]
    fn page_is_split_into_articles() {
        let page = "\n\n聊城多措并举保障困难群众温暖过冬\n\n11月份为全市9类困难群众发放救助金9397.2万元\n\n李军 聊城报道\n\n入冬以来，聊城市民政局全面落实。\n\n(通讯员 张喜红)\n\n东昌实验小学开展体育组教研活动\n\n为提高体育课堂教学质量，促进教师专业成长。\n\n完善救助工作机制，推动社会救助提\n\n质增效。认真落实。\n";
        let d = doc(page, Format::Plain);
        assert_eq!(
            zones(&d),
            vec![
                ("headline", "聊城多措并举保障困难群众温暖过冬"),
                ("deck", "11月份为全市9类困难群众发放救助金9397.2万元"),
                ("credit", "李军 聊城报道"),
                ("body", "入冬以来，聊城市民政局全面落实。"),
                ("credit", "(通讯员 张喜红)"),
                ("headline", "东昌实验小学开展体育组教研活动"),
                ("body", "为提高体育课堂教学质量，促进教师专业成长。"),
                // A lone line with a comma among body paragraphs is not taken for a subheading.
                ("body", "完善救助工作机制，推动社会救助提"),
                ("body", "质增效。认真落实。"),
            ]
        );
        assert_eq!(d.articles.len(), 2);
        assert_eq!(d.paragraphs[5].article, 1);
        assert_eq!(d.paragraphs[0].lines, 2..3);
    }

    #[test]
    fn bundle_items_are_articles_of_their_own() {
        // Two bundles among other stories, as a bulletin's file of joined stories has them: the
        // items of each (subheadings after the second pass) become headlines of articles of their
        // own, up to the end of their bundle and no further.
        let page = "第一篇稿件的标题\n\n央视网消息（新闻联播）：这是第一篇稿件的正文，说了一件很重要的事情，篇幅比较长。\n\n国际联播快讯\n\n央视网消息（新闻联播）：\n\n不结盟运动峰会呼吁构建和平公正世界\n\n不结盟运动第19次峰会20日在乌干达首都坎帕拉闭幕，会议通过了成果文件。\n\n美国周末发生多起枪击事件 8人死亡\n\n当地时间21日凌晨，美国得克萨斯州凯蒂市发生一起枪击事件，造成多人伤亡。\n\n又一篇稿件的标题\n\n央视网消息（新闻联播）：这是又一篇稿件的正文，说了另一件很重要的事情。\n\n国内联播快讯\n\n央视网消息（新闻联播）：\n\n全国铁路迎来客流高峰\n\n今天，全国铁路预计发送旅客一千五百万人次，各地铁路部门加开列车。\n\n多地迎来今冬首场降雪\n\n受冷空气影响，北方多地今天迎来今冬首场降雪，交通部门提醒注意安全。\n";
        let d = doc(page, Format::Plain);
        let heads: Vec<&str> = zones(&d)
            .into_iter()
            .filter(|&(z, _)| z == "headline")
            .map(|(_, t)| t)
            .collect();
        assert_eq!(
            heads,
            vec![
                "第一篇稿件的标题",
                "国际联播快讯",
                "不结盟运动峰会呼吁构建和平公正世界",
                "美国周末发生多起枪击事件 8人死亡",
                "又一篇稿件的标题",
                "国内联播快讯",
                "全国铁路迎来客流高峰",
                "多地迎来今冬首场降雪",
            ]
        );
        assert_eq!(d.articles.len(), 8);
        assert_eq!(d.paragraphs.last().map(|p| p.article), Some(7));
    }

    #[test]
    fn people_daily_layout() {
        let d = doc(
            "标题一行\n\u{3000}\u{3000}第一段。\n\u{3000}\u{3000}第二段。\n",
            Format::Plain,
        );
        assert_eq!(
            zones(&d),
            vec![
                ("headline", "标题一行"),
                ("body", "第一段。"),
                ("body", "第二段。")
            ]
        );
        assert_eq!(d.paragraphs[1].blank_lines_before, 0);
    }

    #[test]
    fn a_dateline_set_off_by_blank_lines_is_no_caption() {
        let d = doc(
            "标题一行\n\n本报讯 各地加快推进重点工程建设，交通基础设施建设\n\n\n\n新华社北京2月21日电\n\n记者从国家发展改革委了解到，一批重大项目集中开工。\n",
            Format::Plain,
        );
        assert_eq!(d.paragraphs[2].zone, Zone::Body);
        assert!(d.paragraphs[2].dateline().is_some());
    }

    #[test]
    fn caption_between_broken_halves() {
        let d = doc(
            "一脉承两岸。出台《关于促进聊台经济文化交\n\n\n\n2023聊台文化经贸交流座谈会现场\n\n流合作的若干措施》，不断优化。\n",
            Format::Plain,
        );
        assert_eq!(d.paragraphs[1].zone, Zone::Caption);
    }

    #[test]
    fn markdown_hides_code_and_links() {
        let md = "---\ntitle: x,y\n---\n\n# 标题\n\n正文`a,b`见[链接](http://a.com/x,y)和<http://b.com/?q=1>。\n\n```\n代码,代码\n```\n\n## 小标题\n\n- 列表项,一\n";
        let d = doc(md, Format::Markdown);
        let prose: Vec<&str> = d.all_prose().map(|(_, _, s)| s).collect();
        assert_eq!(
            prose,
            vec![
                "标题",
                "正文",
                "见",
                "链接",
                "和",
                "。",
                "小标题",
                "列表项,一"
            ]
        );
        assert_eq!(d.paragraphs[0].zone, Zone::Headline);
        assert_eq!(d.paragraphs[2].zone, Zone::Subheading);
        assert_eq!(d.paragraphs[3].block, Block::ListItem);
    }
}
