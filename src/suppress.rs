//! In-file suppressions and `ignore-patterns`.
//!
//! Markdown: `<!-- newslint-disable RULE,... -->` … `<!-- newslint-enable -->` and
//! `<!-- newslint-disable-next-line RULE,... -->`. Plain text: the same directives on lines of
//! their own starting with `#` (`#newslint-disable-next-line RULE`); such a line cannot be copy,
//! and the document model never lints it. No rule list means every rule; a pack name covers
//! its rules (`typo` covers `typo/idioms`).

use std::ops::Range;

use regex::Regex;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, Format};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Disable,
    Enable,
    NextLine,
}

/// One directive in a file.
#[derive(Debug, Clone)]
pub struct Directive {
    kind: Kind,
    /// Rules named (empty: all).
    rules: Vec<String>,
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

/// Parse `newslint-disable …` (without the comment markers).
fn parse_body(body: &str) -> Option<(Kind, Vec<String>)> {
    let body = body.trim();
    let (kind, rest) = if let Some(r) = body.strip_prefix("newslint-disable-next-line") {
        (Kind::NextLine, r)
    } else if let Some(r) = body.strip_prefix("newslint-disable") {
        (Kind::Disable, r)
    } else if let Some(r) = body.strip_prefix("newslint-enable") {
        (Kind::Enable, r)
    } else {
        return None;
    };
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let rules = rest
        .split([',', ' ', '，'])
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(String::from)
        .collect();
    Some((kind, rules))
}

/// Is this plain-text line a directive (and so not copy)?
pub fn is_plain_directive(line: &str) -> bool {
    line.trim_start()
        .strip_prefix('#')
        .is_some_and(|b| parse_body(b).is_some())
}

/// Every directive of a document.
pub fn directives(doc: &Document) -> Vec<Directive> {
    let text = doc.text();
    let src = &doc.source;
    let mut out = Vec::new();
    match doc.format {
        Format::Plain => {
            for i in 0..src.line_count() {
                let r = src.line_range(i);
                let line = &text[r.clone()];
                if let Some(body) = line.trim_start().strip_prefix('#') {
                    if let Some((kind, rules)) = parse_body(body) {
                        out.push(Directive {
                            kind,
                            rules,
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
                if let Some((kind, rules)) = parse_body(&text[start + 4..end - 3]) {
                    out.push(Directive {
                        kind,
                        rules,
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
        let line = diag.start.line - 1;
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
