//! What the server shows of a finding: the LSP diagnostic, its quick fix, and the edit that
//! disables a rule for the finding's line with the project's suppression syntax
//! (`newslint_core::suppress`): `#newslint-disable-next-line RULE` on a line of its own in plain
//! text, `<!-- newslint-disable-next-line RULE -->` in Markdown.

use std::ops::Range;

use newslint_core::api;
use newslint_core::diagnostic::Applicability;
use newslint_core::document::Format;

use super::position::LineIndex;

/// How many characters of copy a fix's title quotes before cutting with `…`.
const QUOTE_CHARS: usize = 12;

/// The title of a fix's code action: what it changes, and for an unsafe fix that it needs a
/// human to look (unsafe fixes may change meaning: removing a paragraph, a word).
pub fn fix_title(text: &str, rule: &str, fix: &api::Fix) -> String {
    let mut parts: Vec<String> = fix
        .edits
        .iter()
        .take(3)
        .map(|e| {
            let old = text.get(e.range.clone()).unwrap_or_default();
            if old.is_empty() {
                format!("插入「{}」", quote(&e.replacement))
            } else if e.replacement.is_empty() {
                format!("删除「{}」", quote(old))
            } else {
                format!("「{}」→「{}」", quote(old), quote(&e.replacement))
            }
        })
        .collect();
    if fix.edits.len() > 3 {
        parts.push(format!("等 {} 处", fix.edits.len()));
    }
    let what = parts.join("，");
    match fix.applicability {
        Applicability::Safe => format!("修复 {rule}：{what}"),
        Applicability::Unsafe => format!("修复 {rule}（不安全，可能改变原意，请核对）：{what}"),
    }
}

/// Copy as a title shows it: line breaks visible, long text cut.
fn quote(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(QUOTE_CHARS)
        .map(|c| match c {
            '\n' => '↵',
            '\r' => '␍',
            c => c,
        })
        .collect();
    if s.chars().count() > QUOTE_CHARS {
        out.push('…');
    }
    out
}

/// The edit (a byte range of `text` and its replacement) that makes `rule` silent on 0-based
/// line `line`, or `None` where no directive can go without changing how the page reads.
///
/// The directive goes on the line before, where `newslint-disable-next-line` looks for it (it
/// applies to the next line that is neither blank nor a directive). An existing next-line
/// directive there that names rules gets this one added. Otherwise plain text gets a line of
/// its own (a directive line is never copy). Markdown gets the comment on a line of its own
/// where a block starts (an HTML comment between blocks renders as nothing); inside a
/// paragraph, where a line of its own would split the paragraph, the comment goes at the end
/// of the previous line (inline HTML) — unless that line ends with a hard break or is a table
/// row, which the comment would change: then no action is offered.
pub fn disable_edit(
    text: &str,
    lines: &LineIndex,
    format: Format,
    line: usize,
    rule: &str,
) -> Option<(Range<usize>, String)> {
    // Findings about a directive itself: a directive above would look past it (directive
    // lines are skipped), so the directive is to be corrected instead.
    if matches!(
        rule,
        "unused-suppression" | newslint_core::suppress::INVALID
    ) {
        return None;
    }
    let this = lines.line_range(text, line);
    let eol = line_ending(text);
    let prev = line.checked_sub(1).map(|l| (l, lines.line_range(text, l)));
    let prev_text = prev.as_ref().map(|(_, r)| &text[r.clone()]).unwrap_or("");
    if let Some(edit) = prev
        .as_ref()
        .and_then(|(_, r)| extend_directive(text, r.clone(), format, rule))
    {
        return Some(edit);
    }
    match format {
        Format::Plain => Some((
            this.start..this.start,
            format!("#newslint-disable-next-line {rule}{eol}"),
        )),
        Format::Markdown => {
            // A directive on the finding's own line would make the suppression engine look
            // past that line for its target.
            if text[this.clone()].contains("newslint-") {
                return None;
            }
            let p = prev_text.trim();
            let block_starts = prev.is_none()
                || p.is_empty()
                || p.starts_with("```")
                || p.starts_with("~~~")
                || p.chars().all(|c| matches!(c, '-' | '=' | '*' | '_' | ' '))
                || p.ends_with("-->");
            if block_starts {
                // Inside a block quote the comment keeps the quote's markers; indentation (at
                // most three spaces, as a list item's continuation has) is kept too.
                let line_text = &text[this.clone()];
                let lead: String = line_text
                    .chars()
                    .take_while(|c| matches!(c, ' ' | '>'))
                    .collect();
                let spaces = lead.len() - lead.trim_end_matches(' ').len();
                if spaces > 3 && !lead.contains('>') {
                    return None;
                }
                return Some((
                    this.start..this.start,
                    format!("{lead}<!-- newslint-disable-next-line {rule} -->{eol}"),
                ));
            }
            if prev_text.ends_with("  ") || prev_text.ends_with('\\') || prev_text.contains('|') {
                return None;
            }
            let (_, r) = prev?;
            Some((
                r.end..r.end,
                format!(" <!-- newslint-disable-next-line {rule} -->"),
            ))
        }
    }
}

/// Adds `rule` to a next-line directive on line range `r` that names rules.
fn extend_directive(
    text: &str,
    r: Range<usize>,
    format: Format,
    rule: &str,
) -> Option<(Range<usize>, String)> {
    const KEY: &str = "newslint-disable-next-line";
    let line = &text[r.clone()];
    let at = line.find(KEY)?;
    let names_start = at + KEY.len();
    let names_end = match format {
        Format::Plain => {
            if !line.trim_start().starts_with('#') {
                return None;
            }
            line.trim_end().len()
        }
        Format::Markdown => {
            if !line[..at].trim_end().ends_with("<!--") {
                return None;
            }
            names_start + line[names_start..].find("-->")?
        }
    };
    let names = line.get(names_start..names_end)?;
    let names_end = names_start + names.trim_end().len();
    let named: Vec<&str> = names
        .split([',', '，', ' '])
        .filter(|n| !n.is_empty())
        .collect();
    if named.is_empty() || named.contains(&rule) {
        return None;
    }
    let at = r.start + names_end;
    Some((at..at, format!(", {rule}")))
}

/// The text's first line break (as `source.rs` takes the dominant one), LF for none.
fn line_ending(text: &str) -> &'static str {
    match text.find(['\n', '\r']) {
        Some(i) if text[i..].starts_with("\r\n") => "\r\n",
        Some(i) if text[i..].starts_with('\r') => "\r",
        _ => "\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use newslint_core::api::Checker;

    fn apply(text: &str, (r, s): &(Range<usize>, String)) -> String {
        format!("{}{}{}", &text[..r.start], s, &text[r.end..])
    }

    /// Every finding of a text, disabled on its line by the action: that rule is silent on
    /// that line, and every other finding is still there with the same message (nothing about
    /// the page changed but the directive).
    fn check_every_finding(name: &str, text: &str) -> usize {
        let checker = Checker::defaults();
        let format = Format::from_path(name.as_ref());
        let before = checker.lint(name, text).diagnostics;
        let lines = LineIndex::new(text);
        let mut done = 0;
        for d in &before {
            let line = lines.line(d.span.start);
            let Some(edit) = disable_edit(text, &lines, format, line, &d.rule) else {
                continue;
            };
            let after_text = apply(text, &edit);
            let after = checker.lint(name, &after_text).diagnostics;
            let shift = |o: usize| {
                if o >= edit.0.start {
                    o + edit.1.len() - edit.0.len()
                } else {
                    o
                }
            };
            let key = |x: &api::Diagnostic| (x.rule.clone(), x.message.clone());
            let mut expected: Vec<_> = before
                .iter()
                .filter(|x| !(x.rule == d.rule && lines.line(x.span.start) == line))
                .map(|x| (key(x), shift(x.span.start)))
                .collect();
            let mut got: Vec<_> = after.iter().map(|x| (key(x), x.span.start)).collect();
            expected.sort();
            got.sort();
            assert_eq!(got, expected, "{name}: disabling {} on line {line}", d.rule);
            done += 1;
        }
        done
    }

    #[test]
    fn disabling_a_line_silences_that_rule_there_and_nothing_else_plain() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/seeds/001_09808162e94c1a38.txt"
        ))
        .expect("seed page");
        assert!(check_every_finding("page.txt", &text) > 10);
    }

    #[test]
    fn disabling_a_line_silences_that_rule_there_and_nothing_else_markdown() {
        let text = "# 标题(一)\n\n第一段(甲)，\n接着写(乙)。\n\n> 引文(丙)\n\n- 列表(丁)\n\n\
                    #newslint 不是指令(戊)\n";
        let n = check_every_finding("page.md", text);
        assert!(n >= 5, "{n}");
        // A second rule on a line with a directive joins it.
        let t = "<!-- newslint-disable-next-line typo -->\n记者(实习)报道。\n";
        let lines = LineIndex::new(t);
        let e = disable_edit(t, &lines, Format::Markdown, 1, "punctuation-width").expect("edit");
        assert_eq!(
            apply(t, &e),
            "<!-- newslint-disable-next-line typo, punctuation-width -->\n记者(实习)报道。\n"
        );
        // A finding about a directive is not disabled by another one.
        let t = "#newslint-disable-next-line nosuch\n好。\n";
        let lines = LineIndex::new(t);
        assert!(disable_edit(
            t,
            &lines,
            Format::Plain,
            0,
            newslint_core::suppress::INVALID
        )
        .is_none());
        // After a hard break the comment would change the page: no action.
        let t = "第一行  \n记者(实习)报道。\n";
        let lines = LineIndex::new(t);
        assert!(disable_edit(t, &lines, Format::Markdown, 1, "punctuation-width").is_none());
    }

    #[test]
    fn plain_text_gets_its_own_line_with_the_files_line_ending() {
        let t = "甲。\r\n记者(实习)报道。\r\n";
        let lines = LineIndex::new(t);
        let e = disable_edit(t, &lines, Format::Plain, 1, "punctuation-width").expect("edit");
        assert_eq!(
            apply(t, &e),
            "甲。\r\n#newslint-disable-next-line punctuation-width\r\n记者(实习)报道。\r\n"
        );
        let t = "甲。\r记者(实习)报道。\r";
        let e = disable_edit(t, &LineIndex::new(t), Format::Plain, 1, "x").expect("edit");
        assert_eq!(
            apply(t, &e),
            "甲。\r#newslint-disable-next-line x\r记者(实习)报道。\r"
        );
    }

    #[test]
    fn titles_say_what_changes_and_mark_unsafe_fixes() {
        let text = "记者(实习)";
        let fix = api::Fix::unsafe_(vec![api::Edit {
            range: 6..7,
            replacement: "（".into(),
        }]);
        let t = fix_title(text, "x", &fix);
        assert_eq!(t, "修复 x（不安全，可能改变原意，请核对）：「(」→「（」");
        let fix = api::Fix::safe(vec![api::Edit {
            range: 0..6,
            replacement: String::new(),
        }]);
        assert_eq!(fix_title(text, "x", &fix), "修复 x：删除「记者」");
    }
}
