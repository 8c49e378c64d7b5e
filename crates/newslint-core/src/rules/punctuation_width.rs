//! `punctuation-width`: ASCII punctuation in Chinese text. See [`DOCS`].

use serde::Deserialize;
use std::borrow::Cow;
use std::ops::Range;

use super::{OptionError, Rule, RuleEntry, RuleMeta};
use crate::diagnostic::{Edit, Finding, Fix, Severity};
use crate::document::{class, Document};
use crate::text::{is_cjk, is_neutral_mark};

pub const DOCS: &str = r#"## What it does

Reports the ASCII marks `, ; : ? ! ( )` where they stand in Chinese text, and replaces each with
its full-width form `， ； ： ？ ！ （ ）`.

A mark is in Chinese text when the nearest character before or after it (looking past spaces
and quotation marks) is a Han character or full-width punctuation. A pair of parentheses is in
Chinese text when its content or either outside neighbour is.

## Why

GB/T 15834-2011 (标点符号用法) prescribes full-width marks in Chinese text. Half-width marks
come from typing with an English input method or from CMS conversions; on the page they crowd
the next character and look like a typo.

## Examples

Reported:

    本报讯(记者 王培源)纳入低收入人口动态监测2016人,在享低保对象676户
    “聊·胜一筹!”是2016年我市重点推出的农产品区域整体品牌

Not reported:

    比分3:2，时间20:30，人数1,000人      (numbers, times and ratios)
    详见 https://example.com/a?b=1,2     (URLs and e-mail addresses)
    他说 “Hello, world!” 就走了          (Latin text inside Chinese)
    `printf("a,b")` in Markdown          (code is never linted)

## Options

`marks` (string): the ASCII marks to check. For example `marks = "()"`
checks parentheses only.

## Fix safety

Safe: the full-width mark replaces the ASCII one, and ASCII spaces between it and the Chinese
text are removed (full-width marks carry their own spacing). Nothing else changes.
"#;

pub static META: RuleMeta = RuleMeta {
    id: Cow::Borrowed("punctuation-width"),
    summary: Cow::Borrowed(
        "ASCII , ; : ? ! ( ) in Chinese text should be full-width (GB/T 15834-2011)",
    ),
    default_severity: Severity::Error,
    default_enabled: true,
    fix: super::Fixability::Safe,
    docs: Cow::Borrowed(DOCS),
    options: Cow::Borrowed(
        "# The ASCII marks to check: any of , ; : ? ! ( )\nmarks = \",;:?!()\"\n",
    ),
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build };

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    marks: String,
}

fn build(table: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
    let opts: Options = super::parse_options(&META, table)?;
    let mut enabled = [false; 128];
    for c in opts.marks.chars() {
        if full_width(c).is_none() {
            return Err(OptionError {
                key: Some("marks".into()),
                message: format!("`marks` may only contain , ; : ? ! ( ) — found {c:?}"),
            });
        }
        enabled[c as usize] = true;
    }
    Ok(Box::new(PunctuationWidth { enabled }))
}

struct PunctuationWidth {
    enabled: [bool; 128],
}

fn full_width(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

fn name(c: char) -> &'static str {
    match c {
        ',' => "逗号",
        ';' => "分号",
        ':' => "冒号",
        '?' => "问号",
        '!' => "叹号",
        _ => "括号",
    }
}

/// How far the context search looks past spaces, quotation marks and other ASCII marks.
const MAX_SKIP: usize = 64;

/// Looked past when deciding the context: a run of ASCII marks ("))))中") is judged by what
/// stands around the run, so fixing one mark never changes the verdict on its neighbours.
fn transparent(c: char) -> bool {
    c == ' '
        || c == '\t'
        || is_neutral_mark(c)
        || matches!(c, ',' | ';' | ':' | '?' | '!' | '(' | ')')
}

/// The nearest meaningful character before byte `i`.
fn before(s: &str, i: usize) -> Option<char> {
    s[..i]
        .chars()
        .rev()
        .take(MAX_SKIP)
        .find(|&c| !transparent(c))
}

/// The nearest meaningful character after byte `i` (exclusive of the char at `i`).
fn after(s: &str, i: usize) -> Option<char> {
    s[i..]
        .chars()
        .skip(1)
        .take(MAX_SKIP)
        .find(|&c| !transparent(c))
}

/// Extend `i..i+1` over ASCII spaces that separate the mark from Chinese text.
fn with_spaces(s: &str, i: usize, left: bool, right: bool) -> Range<usize> {
    let b = s.as_bytes();
    let mut start = i;
    let mut end = i + 1;
    if left {
        while start > 0 && b[start - 1] == b' ' {
            start -= 1;
        }
    }
    if right {
        while end < b.len() && b[end] == b' ' {
            end += 1;
        }
    }
    start..end
}

fn adjacent_cjk_before(s: &str, i: usize) -> bool {
    s[..i]
        .trim_end_matches(' ')
        .chars()
        .next_back()
        .is_some_and(is_cjk)
}

fn adjacent_cjk_after(s: &str, i: usize) -> bool {
    s[i + 1..]
        .trim_start_matches(' ')
        .chars()
        .next()
        .is_some_and(is_cjk)
}

impl Rule for PunctuationWidth {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        for (_, base, s) in doc.all_prose() {
            self.check_piece(doc, base, s, out);
        }
    }
}

impl PunctuationWidth {
    fn check_piece(&self, doc: &Document, base: usize, s: &str, out: &mut Vec<Finding>) {
        let b = s.as_bytes();
        // The marks are ASCII: the piece's non-Han characters hold them all.
        let is_mark = |c: char| c.is_ascii() && self.enabled[c as usize];
        // Only ASCII marks: the index passes over the rest undecoded.
        let mut marks = doc
            .non_han_in(base, s, class::ASCII_MARK)
            .filter(|&(_, c)| is_mark(c))
            .peekable();
        if marks.peek().is_none() {
            return;
        }
        let skip = crate::text::url_spans(s);
        let in_skip = |i: usize| skip.iter().any(|r| r.contains(&i));
        let mut paired_close = Vec::new();
        for (i, c) in marks {
            if in_skip(i) {
                continue;
            }
            match c {
                '(' => {
                    let close = matching_paren(b, i).filter(|&j| !in_skip(j));
                    // The pair is judged as one: its `)` is never reported on its own.
                    paired_close.extend(close);
                    let inside_cjk = close.is_some_and(|j| s[i + 1..j].chars().any(is_cjk));
                    let outside_cjk = before(s, i).is_some_and(is_cjk)
                        || close
                            .map_or(after(s, i), |j| after(s, j))
                            .is_some_and(is_cjk);
                    if !(inside_cjk || outside_cjk) {
                        continue;
                    }
                    let open = with_spaces(s, i, adjacent_cjk_before(s, i), false);
                    let mut edits = vec![edit(base, open, '（')];
                    let mut f = Finding::new(base + i..base + i + 1, "中文里用了半角括号“()”")
                        .label("半角括号");
                    if let Some(j) = close {
                        let close_r = with_spaces(s, j, false, adjacent_cjk_after(s, j));
                        edits.push(edit(base, close_r, '）'));
                        f = f.with_label(base + j..base + j + 1, "配对的右括号");
                    }
                    out.push(
                        f.help("改为全角括号“（）”（GB/T 15834-2011）")
                            .fix(Fix::safe(edits)),
                    );
                }
                ')' => {
                    if paired_close.contains(&i) {
                        continue;
                    }
                    if !(before(s, i).is_some_and(is_cjk) || after(s, i).is_some_and(is_cjk)) {
                        continue;
                    }
                    let r = with_spaces(s, i, false, adjacent_cjk_after(s, i));
                    out.push(
                        Finding::new(base + i..base + i + 1, "中文里用了半角括号“)”")
                            .label("半角括号")
                            .help("改为全角“）”（GB/T 15834-2011）")
                            .fix(Fix::safe(vec![edit(base, r, '）')])),
                    );
                }
                _ => {
                    let prev = before(s, i);
                    let next = after(s, i);
                    let digits = prev.is_some_and(|p| p.is_ascii_digit())
                        && next.is_some_and(|n| n.is_ascii_digit());
                    if matches!(c, ',' | ':') && digits {
                        continue; // 1,000 · 10:30 · 3:2
                    }
                    if !(prev.is_some_and(is_cjk) || next.is_some_and(is_cjk)) {
                        continue;
                    }
                    if ends_latin_quote(s, i) {
                        continue; // “Hello, world!”然后: the mark belongs to the Latin quotation
                    }
                    let fw = full_width(c).unwrap_or(c);
                    let r = with_spaces(s, i, adjacent_cjk_before(s, i), adjacent_cjk_after(s, i));
                    out.push(
                        Finding::new(
                            base + i..base + i + 1,
                            format!("中文里用了半角{}“{c}”", name(c)),
                        )
                        .label("半角")
                        .help(format!("改为全角“{fw}”（GB/T 15834-2011）"))
                        .fix(Fix::safe(vec![edit(base, r, fw)])),
                    );
                }
            }
        }
    }
}

/// The mark directly follows Latin text and directly precedes a closing quotation mark.
fn ends_latin_quote(s: &str, i: usize) -> bool {
    let prev = s[..i].chars().next_back();
    let next = s[i + 1..].trim_start_matches(' ').chars().next();
    prev.is_some_and(|c| c.is_ascii_alphanumeric()) && matches!(next, Some('”' | '’' | '"' | '\''))
}

fn edit(base: usize, r: Range<usize>, c: char) -> Edit {
    Edit {
        range: base + r.start..base + r.end,
        replacement: c.to_string(),
    }
}

/// The `)` closing the `(` at `i`, within the same piece.
fn matching_paren(b: &[u8], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (j, &c) in b.iter().enumerate().skip(i) {
        match c {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            b'\n' | b'\r' => return None,
            _ => {}
        }
    }
    None
}
