//! In-file suppressions and `ignore-patterns`.
//!
//! Markdown: `<!-- newslint-disable RULE,... -->` … `<!-- newslint-enable -->` and
//! `<!-- newslint-disable-next-line RULE,... -->`. Plain text: the same directives on lines of
//! their own starting with `#` (`#newslint-disable-next-line RULE`); such a line cannot be copy,
//! and the document model never lints it. No rule list means every rule; a pack name covers
//! its rules (`typo` covers `typo/idioms`). A name that is no rule, pack or plugin is reported
//! ([`unknown`]).

use std::ops::Range;

use regex::Regex;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::directive::{parse_body, Kind};
use crate::document::{Document, Format};

/// The id of the finding for a directive that names a rule no config of the run knows.
pub const INVALID: &str = "invalid-suppression";

/// One directive in a file.
#[derive(Debug, Clone)]
pub struct Directive {
    kind: Kind,
    /// Rules named (empty: all).
    rules: Vec<String>,
    /// Byte range of each name of `rules` in the text.
    spans: Vec<Range<usize>>,
    /// 0-based line of the directive.
    line: usize,
    /// Byte range of the directive, for "unused" reports.
    pub range: Range<usize>,
}

fn covers(rules: &[String], id: &str) -> bool {
    rules.is_empty()
        || rules.iter().any(|r| {
            r == id
                || id
                    .strip_prefix(r.as_str())
                    .is_some_and(|x| x.starts_with('/'))
        })
}

/// Every directive of a document.
pub fn directives(doc: &Document) -> Vec<Directive> {
    let text = doc.text();
    let src = &doc.source;
    let mut out = Vec::new();
    match doc.format {
        Format::Plain => {
            // Only a line holding '#' can be one: those lines are visited, each once, in order
            // (not every line of a 100 MB file).
            let mut last = None;
            for hit in memchr::memchr_iter(b'#', text.as_bytes()) {
                let i = src.line_index(hit);
                if last == Some(i) {
                    continue;
                }
                last = Some(i);
                let r = src.line_range(i);
                let line = &text[r.clone()];
                let trimmed = line.trim_start();
                if let Some(body) = trimmed.strip_prefix('#') {
                    if let Some((kind, named)) = parse_body(body) {
                        let base = r.start + (line.len() - trimmed.len()) + 1;
                        let (rules, spans) = split_named(named, base);
                        out.push(Directive {
                            kind,
                            rules,
                            spans,
                            line: i,
                            range: r,
                        });
                    }
                }
            }
        }
        Format::Markdown => {
            if !text.contains("newslint-") {
                return out;
            }
            let mut from = 0;
            while let Some(k) = text[from..].find("<!--") {
                let start = from + k;
                let Some(e) = text[start + 4..].find("-->") else {
                    break;
                };
                let end = start + 4 + e + 3;
                if let Some((kind, named)) = parse_body(&text[start + 4..end - 3]) {
                    let (rules, spans) = split_named(named, start + 4);
                    out.push(Directive {
                        kind,
                        rules,
                        spans,
                        line: src.line_index(start),
                        range: start..end,
                    });
                }
                from = end;
            }
        }
    }
    out
}

/// Names with offsets in a directive's body → names and their spans in the text.
fn split_named(named: Vec<(String, usize)>, base: usize) -> (Vec<String>, Vec<Range<usize>>) {
    named
        .into_iter()
        .map(|(n, at)| {
            let span = base + at..base + at + n.len();
            (n, span)
        })
        .unzip()
}

/// Directives that name a rule that does not exist (a typo, a rule since renamed): they
/// suppress nothing, and silently. One [`INVALID`] warning per unknown name, on the name, as
/// ruff reports unknown codes in `# noqa`. `known` says whether a name is a rule, a pack or a
/// plugin of the file's config. Also returns the ranges of the directives whose every name is
/// unknown (an "unused" report of those would say the same again).
pub fn unknown(
    doc: &Document,
    known: &dyn Fn(&str) -> bool,
) -> (Vec<Diagnostic>, Vec<Range<usize>>) {
    let mut found = Vec::new();
    let mut all_unknown = Vec::new();
    if !doc.text().contains("newslint-") {
        return (found, all_unknown);
    }
    for d in directives(doc) {
        let mut bad = 0;
        for (name, span) in d.rules.iter().zip(&d.spans) {
            if known(name) {
                continue;
            }
            bad += 1;
            let f = crate::diagnostic::Finding::new(
                span.clone(),
                format!("屏蔽指令里的规则 `{name}` 不存在，这条指令屏蔽不了它"),
            )
            .label("没有这条规则")
            .help("核对规则名（`newslint rules` 列出全部规则和规则包）");
            found.push(Diagnostic::resolve(
                INVALID,
                Severity::Warning,
                f,
                &doc.source,
            ));
        }
        if bad > 0 && bad == d.rules.len() {
            all_unknown.push(d.range.clone());
        }
    }
    (found, all_unknown)
}

/// Remove the diagnostics that a directive or an ignore pattern covers. Returns, for each
/// directive, whether it suppressed anything.
pub fn apply(
    doc: &Document,
    dirs: &[Directive],
    ignore: &[Regex],
    diags: &mut Vec<Diagnostic>,
) -> Vec<bool> {
    let mut used = vec![false; dirs.len()];
    if dirs.is_empty() && ignore.is_empty() {
        return used;
    }
    let text = doc.text();
    let src = &doc.source;
    // The line a next-line directive points at: the next line that is not blank or a directive.
    let target = |d: &Directive| -> usize {
        let mut l = d.line + 1;
        while l < src.line_count() {
            let t = text[src.line_range(l)].trim();
            let directive = dirs.iter().any(|x| x.line == l);
            if !t.is_empty() && !directive {
                break;
            }
            l += 1;
        }
        l
    };
    let ignored: Vec<Range<usize>> = ignore
        .iter()
        .flat_map(|re| re.find_iter(text).map(|m| m.range()))
        .collect();
    diags.retain(|diag| {
        if diag.rule == "io" || diag.rule == "plugin" {
            return true;
        }
        if ignored
            .iter()
            .any(|r| r.start <= diag.range.start && diag.range.end <= r.end)
        {
            return false;
        }
        // A line past `u32::MAX` (a file over 4 GiB) is held saturated: found again.
        let line = match diag.start.line {
            u32::MAX => src.line_index(diag.range.start.min(text.len())),
            l => l as usize - 1,
        };
        let mut suppressed_by = None;
        // Regions: the last disable/enable for this rule before the line decides.
        let mut region: Option<usize> = None;
        for (k, d) in dirs.iter().enumerate() {
            if d.line >= line {
                break;
            }
            match d.kind {
                Kind::Disable if covers(&d.rules, &diag.rule) => region = Some(k),
                Kind::Enable if covers(&d.rules, &diag.rule) => region = None,
                _ => {}
            }
        }
        if let Some(k) = region {
            suppressed_by = Some(k);
        }
        for (k, d) in dirs.iter().enumerate() {
            if d.kind == Kind::NextLine && covers(&d.rules, &diag.rule) && target(d) == line {
                suppressed_by = Some(k);
            }
        }
        match suppressed_by {
            Some(k) => {
                used[k] = true;
                false
            }
            None => true,
        }
    });
    used
}

/// The diagnostics for directives that suppressed nothing (`--report-unused-suppressions`).
pub fn unused(doc: &Document, dirs: &[Directive], used: &[bool]) -> Vec<Diagnostic> {
    dirs.iter()
        .zip(used)
        .filter(|(d, u)| !**u && d.kind != Kind::Enable)
        .map(|(d, _)| {
            let f =
                crate::diagnostic::Finding::new(d.range.clone(), "这条屏蔽指令没有屏蔽任何问题")
                    .label("未使用的屏蔽")
                    .help("删去它，或核对规则名");
            Diagnostic::resolve("unused-suppression", Severity::Warning, f, &doc.source)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::document::directive::{parse_body, Kind};

    #[test]
    fn names_and_their_offsets() {
        let body = " newslint-disable-next-line typo, nosuch，punctuation-width  x ";
        let (kind, names) = parse_body(body).expect("directive");
        assert_eq!(kind, Kind::NextLine);
        let got: Vec<(&str, &str)> = names
            .iter()
            .map(|(n, at)| (n.as_str(), &body[*at..*at + n.len()]))
            .collect();
        assert_eq!(
            got,
            [
                ("typo", "typo"),
                ("nosuch", "nosuch"),
                ("punctuation-width", "punctuation-width"),
                ("x", "x")
            ]
        );
        assert_eq!(
            parse_body("newslint-enable").map(|(k, n)| (k, n.len())),
            Some((Kind::Enable, 0))
        );
        assert!(parse_body("newslint-disabled x").is_none());
    }
}
