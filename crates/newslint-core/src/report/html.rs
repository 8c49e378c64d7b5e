//! `--format html`: one self-contained page for a copy desk.
//!
//! The page holds every file's text with its findings marked in place, a summary by rule and by
//! file, and filters by rule and severity. It loads nothing: the style and the script are inline
//! ([`STYLE`], [`SCRIPT`], [`ERROR_SCRIPT`]) and a Content-Security-Policy allows exactly those
//! three by their SHA-256 hashes (`default-src 'none'`), so neither a network resource nor a
//! script smuggled in through copy or a file name could run even if escaping failed.
//!
//! Marks are computed here, not in the browser: the text of a line is cut at every start and end
//! of a finding or label, and each piece covered by one or more of them becomes a `<mark>`
//! listing them (`data-f` for findings, `data-l` for secondary labels as `finding.label`).
//! Overlapping and nested findings therefore share the pieces they have in common, and every
//! finding is reachable: hovering, focusing or tapping a piece shows all that cover it, and the
//! first piece of each finding or label is a tab stop (the others are not, so a long paragraph
//! cut by its commas is still one stop).
//! A finding with no visible character (an empty range, or one covering only a line break) is
//! an empty point mark at its position. Findings are numbered in the order of the JSON report
//! (files by path, then position), so finding `k` here is `diagnostics[k]` there; `#fK` links to
//! its place, `#dK` is its entry in the file's list (which the popup shows).
//!
//! Without JavaScript the page still shows the marks, the lists and the summary; the script adds
//! the popup, the filters and focus on `#fK` links. Output is deterministic: no timestamps, the
//! order of the findings, nothing hashed by address.
//!
//! Large runs: files without findings are listed in the summary without their text, and the
//! renderer keeps a file's text only when the file has findings (see [`file_text`]). A file over
//! [`FULL_TEXT_FILE`] bytes, and every file when those with findings hold more than
//! [`FULL_TEXT_PAGE`] bytes together, is shown as an excerpt: the lines with a mark and
//! [`CONTEXT_LINES`] on each side, lines longer than [`LONG_LINE`] bytes cut to windows around
//! their marks.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::ops::Range;

use super::Summary;
use crate::catalog::Catalog;
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::document::Document;
use crate::driver::FileOutcome;
use crate::source::SourceFile;

/// The page's style sheet.
pub const STYLE: &str = include_str!("html.css");
/// The page's behaviour: popups, filters, links to findings.
pub const SCRIPT: &str = include_str!("html.js");
/// Runs first: writes script errors and blocked resources into the page (`#nl-errors`).
pub const ERROR_SCRIPT: &str = include_str!("html-errors.js");

/// CSP source of [`STYLE`]: `'sha256-` base64(SHA-256) `'`. `tests/html.rs` recomputes the three
/// hashes and prints the new value when a file changed.
pub const STYLE_HASH: &str = "'sha256-sPwzxxhhKtmIQRXBapldh0D6rFArY9fbEYV61Acp1Po='";
/// CSP source of [`SCRIPT`].
pub const SCRIPT_HASH: &str = "'sha256-hFu7fVrOfY2bU+tlM0smVklG6+I50/FJu0sKFYR7aws='";
/// CSP source of [`ERROR_SCRIPT`].
pub const ERROR_SCRIPT_HASH: &str = "'sha256-PVkTxjignQCc+sPoEShkwwYfrwjifI7bVAirAxtWqko='";

/// A file with more text than this (bytes) is shown as an excerpt.
pub const FULL_TEXT_FILE: usize = 256 * 1024;
/// When the files with findings hold more text than this together, all are shown as excerpts.
pub const FULL_TEXT_PAGE: usize = 16 * 1024 * 1024;
/// Lines shown before and after a line with a mark, in an excerpt.
pub const CONTEXT_LINES: usize = 1;
/// In an excerpt, a line longer than this (bytes) is cut to windows around its marks.
pub const LONG_LINE: usize = 2048;
/// Characters kept on each side of a mark in a cut line.
const WINDOW_CHARS: usize = 80;

/// What the driver keeps of a file for this format while the document is at hand: its text when
/// it has findings or when cross-file rules may still add some (`keep_all`), else nothing.
pub fn file_text(doc: &Document, diags: &[Diagnostic], keep_all: bool) -> String {
    if keep_all || !diags.is_empty() {
        doc.text().to_string()
    } else {
        String::new()
    }
}

/// Diagnostics that are not about the copy (unreadable file, failed plugin): listed, not marked.
fn is_problem(d: &Diagnostic) -> bool {
    d.rule == "io" || d.rule == "plugin"
}

fn sev_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "e",
        Severity::Warning => "w",
        Severity::Info => "i",
    }
}

fn sev_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
    }
}

const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

fn sev_index(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// Append `s` escaped for HTML text or a quoted attribute. C0 control characters (other than
/// tab) and DEL, which HTML does not allow, are shown as their Unicode control pictures.
pub fn escape_into(out: &mut String, s: &str) {
    let b = s.as_bytes();
    let mut from = 0;
    for (i, &c) in b.iter().enumerate() {
        let rep: &str = match c {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            b'\t' => continue,
            0..=0x1f | 0x7f => {
                out.push_str(&s[from..i]);
                let pic = if c == 0x7f {
                    0x2421
                } else {
                    0x2400 + u32::from(c)
                };
                out.push(char::from_u32(pic).unwrap_or('\u{fffd}'));
                from = i + 1;
                continue;
            }
            _ => continue,
        };
        out.push_str(&s[from..i]);
        out.push_str(rep);
        from = i + 1;
    }
    out.push_str(&s[from..]);
}

/// `s` escaped for HTML (see [`escape_into`]).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_into(&mut out, s);
    out
}

/// A piece of a finding (or of one of its labels) on one line: a non-empty byte range, or a
/// point (`start == end`) when the finding shows no character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Item {
    start: usize,
    end: usize,
    /// The finding's number in the page.
    k: usize,
    /// `None` for the finding's own range, `Some(j)` for its label `j`.
    label: Option<usize>,
}

/// The largest char boundary at or below `i`.
fn floor(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Cut `range` into the lines of `src`, without line terminators; a range that shows nothing
/// becomes a point at its start. Pushes `(line index, item)`.
fn spans(
    src: &SourceFile,
    range: &Range<usize>,
    k: usize,
    label: Option<usize>,
    out: &mut Vec<(usize, Item)>,
) {
    let text = src.text();
    let start = floor(text, range.start);
    let end = floor(text, range.end).max(start);
    let first = src.line_index(start);
    let last = src.line_index(end);
    let before = out.len();
    for line in first..=last {
        let c = src.line_range(line);
        let (s, e) = (start.max(c.start), end.min(c.end));
        if s < e {
            out.push((
                line,
                Item {
                    start: s,
                    end: e,
                    k,
                    label,
                },
            ));
        }
    }
    if out.len() == before {
        let c = src.line_range(first);
        let p = start.clamp(c.start, c.end);
        out.push((
            first,
            Item {
                start: p,
                end: p,
                k,
                label,
            },
        ));
    }
}

/// Everything one page needs to know about its findings.
struct Page<'a> {
    /// Per finding number: the diagnostic and the index of its file.
    findings: Vec<(&'a Diagnostic, usize)>,
    /// Per file: the number of its first finding.
    base: Vec<usize>,
    /// Anchors (`f12`, `f12l0`) already written.
    anchored: std::collections::HashSet<(usize, Option<usize>)>,
}

impl Page<'_> {
    fn sev(&self, k: usize) -> Severity {
        self.findings[k].0.severity
    }
}

/// Write the whole page to `out`, a file's section at a time.
pub fn write<W: std::io::Write>(
    w: &mut W,
    outcomes: &[FileOutcome],
    summary: &Summary,
    catalog: &Catalog,
) -> std::io::Result<()> {
    let mut page = Page {
        findings: Vec::new(),
        base: Vec::with_capacity(outcomes.len()),
        anchored: std::collections::HashSet::new(),
    };
    for (i, o) in outcomes.iter().enumerate() {
        page.base.push(page.findings.len());
        page.findings.extend(o.diagnostics.iter().map(|d| (d, i)));
    }
    let marked = |o: &FileOutcome| o.diagnostics.iter().any(|d| !is_problem(d));
    let kept: usize = outcomes
        .iter()
        .filter(|o| marked(o))
        .map(|o| o.rendered.len())
        .sum();
    let excerpt_all = kept > FULL_TEXT_PAGE;
    // The head and summary, then one section at a time: the buffer holds the largest part.
    let mut out = String::with_capacity(32 * 1024);

    head(&mut out, summary);
    top(&mut out, outcomes, summary, &page, catalog, excerpt_all);
    out.push_str("<main>\n");
    w.write_all(out.as_bytes())?;
    for (i, o) in outcomes.iter().enumerate() {
        out.clear();
        file_section(&mut out, i, o, &mut page, excerpt_all);
        w.write_all(out.as_bytes())?;
    }
    out.clear();
    out.push_str("</main>\n");
    let _ = write!(
        out,
        "<footer>由 newslint {} 生成。位置为“行:列”，列按字符计。</footer>\n\
         <div id=\"nl-pop\" role=\"tooltip\" hidden></div>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    w.write_all(out.as_bytes())
}

fn head(out: &mut String, summary: &Summary) {
    let n = summary.errors + summary.warnings + summary.infos;
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src {STYLE_HASH}; script-src {SCRIPT_HASH} {ERROR_SCRIPT_HASH}; img-src data:; \
         base-uri 'none'; form-action 'none'\">\n\
         <meta name=\"generator\" content=\"newslint {}\">\n\
         <title>newslint 报告：{} 个文件，{n} 个问题</title>\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <script>{ERROR_SCRIPT}</script>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <div id=\"nl-errors\" role=\"alert\" hidden></div>\n",
        env!("CARGO_PKG_VERSION"),
        summary.files,
    );
}

/// Counts of one rule or one file: by severity, with fixes.
#[derive(Default)]
struct Tally {
    by_sev: [usize; 3],
    safe: usize,
    files: usize,
    first: Option<usize>,
    last_file: Option<usize>,
}

impl Tally {
    fn add(&mut self, k: usize, d: &Diagnostic, file: usize) {
        self.by_sev[sev_index(d.severity)] += 1;
        if d.fix.as_ref().map(|f| f.applicability) == Some(Applicability::Safe) {
            self.safe += 1;
        }
        if self.last_file != Some(file) {
            self.files += 1;
            self.last_file = Some(file);
        }
        self.first.get_or_insert(k);
    }
    fn total(&self) -> usize {
        self.by_sev.iter().sum()
    }
}

fn count_cells(out: &mut String, t: &Tally) {
    for (n, s) in t.by_sev.iter().zip(SEVERITIES) {
        if *n == 0 {
            out.push_str("<td class=\"n z\">0</td>");
        } else {
            let _ = write!(out, "<td class=\"n {}\">{n}</td>", sev_class(s));
        }
    }
}

fn top(
    out: &mut String,
    outcomes: &[FileOutcome],
    summary: &Summary,
    page: &Page<'_>,
    catalog: &Catalog,
    excerpt_all: bool,
) {
    let mut rules: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut sev_totals = [0usize; 3];
    for (k, (d, file)) in page.findings.iter().enumerate() {
        if is_problem(d) {
            continue;
        }
        rules.entry(&d.rule).or_default().add(k, d, *file);
        sev_totals[sev_index(d.severity)] += 1;
    }
    let _ = write!(
        out,
        "<header>\n<h1>newslint 报告</h1>\n<p class=\"totals\">{} 个文件 · \
         <span class=\"e\">{} 个错误</span> · <span class=\"w\">{} 个警告</span> · \
         <span class=\"i\">{} 个提示</span> · {} 处可用 --fix 安全修复",
        summary.files, summary.errors, summary.warnings, summary.infos, summary.fixable
    );
    if summary.io_errors > 0 {
        let _ = write!(
            out,
            " · <span class=\"e\">{} 处读取或插件故障</span>",
            summary.io_errors
        );
    }
    out.push_str("</p>\n");
    if excerpt_all {
        let _ = writeln!(
            out,
            "<p class=\"note\">有问题的文件正文合计超过 {} MiB：每个文件只显示有标记的行及前后各 {CONTEXT_LINES} 行。</p>",
            FULL_TEXT_PAGE / (1024 * 1024)
        );
    }

    // Filters: shown by the script (they need it).
    out.push_str(
        "<form id=\"nl-filters\" class=\"filters\" hidden>\n<fieldset><legend>严重程度</legend>",
    );
    for (s, n) in SEVERITIES.iter().zip(sev_totals) {
        let _ = write!(
            out,
            "<label class=\"{}\"><input type=\"checkbox\" data-sev=\"{}\" checked> {} <span class=\"c\">{n}</span></label>",
            sev_class(*s),
            s.as_str(),
            sev_name(*s)
        );
    }
    out.push_str("</fieldset>\n<fieldset><legend>规则</legend>");
    for (rule, t) in &rules {
        let r = escape(rule);
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" data-rule=\"{r}\" checked> <code>{r}</code> <span class=\"c\">{}</span></label>",
            t.total()
        );
    }
    out.push_str(
        "<span class=\"acts\"><button type=\"button\" data-act=\"all\">全选</button>\
         <button type=\"button\" data-act=\"none\">全不选</button></span></fieldset>\n\
         <p id=\"nl-shown\" aria-live=\"polite\"></p>\n</form>\n</header>\n",
    );

    // By rule, most frequent first.
    out.push_str("<section class=\"summary\" aria-label=\"汇总\">\n<h2>按规则</h2>\n");
    if rules.is_empty() {
        out.push_str("<p>没有发现问题。</p>\n");
    } else {
        out.push_str(
            "<div class=\"scroll\"><table class=\"by-rule\"><thead><tr><th scope=\"col\">规则</th>\
             <th scope=\"col\">错误</th><th scope=\"col\">警告</th><th scope=\"col\">提示</th>\
             <th scope=\"col\">文件</th><th scope=\"col\">位置</th></tr></thead><tbody>\n",
        );
        let mut order: Vec<(&&str, &Tally)> = rules.iter().collect();
        order.sort_by(|a, b| b.1.total().cmp(&a.1.total()).then(a.0.cmp(b.0)));
        for (rule, t) in order {
            let r = escape(rule);
            let _ = write!(out, "<tr><th scope=\"row\"><code>{r}</code>");
            if let Some(e) = catalog.find(rule) {
                let _ = write!(
                    out,
                    "<div class=\"desc\" lang=\"en\">{}</div>",
                    escape(&e.meta.summary)
                );
            }
            out.push_str("</th>");
            count_cells(out, t);
            let _ = write!(out, "<td class=\"n\">{}</td><td>", t.files);
            if let Some(k) = t.first {
                let _ = write!(out, "<a href=\"#f{k}\">第一处</a> ");
            }
            let _ = writeln!(
                out,
                "<button type=\"button\" class=\"only\" data-rule=\"{r}\" hidden>只看此规则</button></td></tr>"
            );
        }
        out.push_str("</tbody></table></div>\n");
    }

    // By file: files with findings or problems; the others in a closed list.
    out.push_str("<h2>按文件</h2>\n");
    let mut clean = Vec::new();
    let mut rows = String::new();
    for (i, o) in outcomes.iter().enumerate() {
        if o.skipped {
            continue;
        }
        if o.diagnostics.is_empty() {
            clean.push(i);
            continue;
        }
        let mut t = Tally::default();
        let mut problems = Vec::new();
        for (j, d) in o.diagnostics.iter().enumerate() {
            if is_problem(d) {
                problems.push(d);
            } else {
                t.add(page.base[i] + j, d, i);
            }
        }
        let _ = write!(
            rows,
            "<tr><th scope=\"row\"><a href=\"#file-{i}\"><bdi class=\"path\">{}</bdi></a>",
            escape(&o.path)
        );
        for d in problems {
            let _ = write!(
                rows,
                "<div class=\"pb\">{}</div>",
                escape(&d.message.text())
            );
        }
        rows.push_str("</th>");
        count_cells(&mut rows, &t);
        let _ = writeln!(rows, "<td class=\"n\">{}</td></tr>", t.safe);
    }
    if !rows.is_empty() {
        out.push_str(
            "<div class=\"scroll\"><table class=\"by-file\"><thead><tr><th scope=\"col\">文件</th>\
             <th scope=\"col\">错误</th><th scope=\"col\">警告</th><th scope=\"col\">提示</th>\
             <th scope=\"col\">可安全修复</th></tr></thead><tbody>\n",
        );
        out.push_str(&rows);
        out.push_str("</tbody></table></div>\n");
    }
    if !clean.is_empty() {
        let _ = write!(
            out,
            "<details class=\"clean\"><summary>没有问题的文件（{}）</summary><ul>",
            clean.len()
        );
        for i in clean {
            let _ = write!(
                out,
                "<li id=\"file-{i}\"><bdi class=\"path\">{}</bdi></li>",
                escape(&outcomes[i].path)
            );
        }
        out.push_str("</ul></details>\n");
    }
    out.push_str("</section>\n");
}

fn file_section(
    out: &mut String,
    i: usize,
    o: &FileOutcome,
    page: &mut Page<'_>,
    excerpt_all: bool,
) {
    if o.diagnostics.is_empty() {
        return;
    }
    let base = page.base[i];
    let marks: Vec<usize> = (0..o.diagnostics.len())
        .filter(|&j| !is_problem(&o.diagnostics[j]))
        .map(|j| base + j)
        .collect();
    let _ = write!(
        out,
        "<section class=\"file\" id=\"file-{i}\">\n<h2><bdi class=\"path\">{}</bdi></h2>\n",
        escape(&o.path)
    );
    // The driver keeps the text of every file with findings (an empty text is an empty file).
    let text = o.rendered.as_str();
    if !marks.is_empty() {
        let excerpt = excerpt_all || text.len() > FULL_TEXT_FILE;
        if excerpt && !excerpt_all {
            let _ = writeln!(
                out,
                "<p class=\"note\">文件较大（{} KiB）：只显示有标记的行及前后各 {CONTEXT_LINES} 行。</p>",
                text.len() / 1024
            );
        }
        text_block(out, text, &marks, page, excerpt);
    }
    let _ = writeln!(
        out,
        "<details class=\"list\"><summary>本文件的问题（{}）</summary><ol>",
        o.diagnostics.len()
    );
    for k in base..base + o.diagnostics.len() {
        entry(out, k, page.findings[k].0, text);
    }
    out.push_str("</ol></details>\n</section>\n");
}

/// The text of one file, line by line, with its marks.
fn text_block(out: &mut String, text: &str, marks: &[usize], page: &mut Page<'_>, excerpt: bool) {
    let src = SourceFile::from_text(text.to_string(), false);
    let mut items: Vec<(usize, Item)> = Vec::new();
    for &k in marks {
        let d = page.findings[k].0;
        spans(&src, &d.range, k, None, &mut items);
        for (j, l) in d.labels.iter().enumerate() {
            spans(&src, &l.range, k, Some(j), &mut items);
        }
    }
    items.sort_unstable();
    let mut lines = src.line_count();
    // The empty line after a final line break is no line of the copy.
    if lines > 1
        && src.line_range(lines - 1).is_empty()
        && items.last().is_none_or(|l| l.0 < lines - 1)
    {
        lines -= 1;
    }
    // Which lines to show.
    let shown: Vec<bool> = if excerpt {
        let mut s = vec![false; lines];
        for (l, _) in &items {
            let from = l.saturating_sub(CONTEXT_LINES);
            let to = (l + CONTEXT_LINES).min(lines.saturating_sub(1));
            for x in s.iter_mut().take(to + 1).skip(from) {
                *x = true;
            }
        }
        s
    } else {
        vec![true; lines]
    };
    out.push_str("<div class=\"text\" lang=\"zh-CN\">\n");
    let mut at = 0;
    let mut gap = 0;
    for (line, show) in shown.iter().enumerate() {
        let from = at;
        while at < items.len() && items[at].0 == line {
            at += 1;
        }
        if !show {
            gap += 1;
            continue;
        }
        if gap > 0 {
            let _ = writeln!(out, "<div class=\"gap\">…… 略去 {gap} 行 ……</div>");
            gap = 0;
        }
        let its: Vec<Item> = items[from..at].iter().map(|x| x.1).collect();
        let c = src.line_range(line);
        let _ = write!(out, "<div class=\"l\" data-n=\"{}\">", line + 1);
        if excerpt && c.len() > LONG_LINE {
            long_line(out, text, c, &its, page);
        } else {
            piece(out, text, c, &its, page);
        }
        out.push_str("</div>\n");
    }
    if gap > 0 {
        let _ = writeln!(out, "<div class=\"gap\">…… 略去 {gap} 行 ……</div>");
    }
    out.push_str("</div>\n");
}

/// Start of the window `n` characters before `i`, not before `min`.
fn back_chars(text: &str, i: usize, n: usize, min: usize) -> usize {
    text[min..i]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(min, |(o, _)| min + o)
}

/// End of the window `n` characters after `i`, not after `max`.
fn fwd_chars(text: &str, i: usize, n: usize, max: usize) -> usize {
    text[i..max]
        .char_indices()
        .nth(n)
        .map_or(max, |(o, _)| i + o)
}

/// A long line in an excerpt: windows around its marks (merged where they touch), `…` between.
/// A context line (no marks) shows its beginning.
fn long_line(out: &mut String, text: &str, c: Range<usize>, its: &[Item], page: &mut Page<'_>) {
    let mut windows: Vec<Range<usize>> = Vec::new();
    if its.is_empty() {
        windows.push(c.start..fwd_chars(text, c.start, 2 * WINDOW_CHARS, c.end));
    }
    let mut sorted = its.to_vec();
    sorted.sort_unstable();
    for it in &sorted {
        let w = back_chars(text, it.start, WINDOW_CHARS, c.start)
            ..fwd_chars(text, it.end, WINDOW_CHARS, c.end);
        match windows.last_mut() {
            Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
            _ => windows.push(w),
        }
    }
    let mut rest = sorted.as_slice();
    for w in &windows {
        if w.start > c.start {
            out.push_str("<span class=\"cut\">…</span>");
        }
        let n = rest.iter().take_while(|it| it.start <= w.end).count();
        piece(out, text, w.clone(), &rest[..n], page);
        rest = &rest[n..];
    }
    if windows.last().is_some_and(|w| w.end < c.end) {
        out.push_str("<span class=\"cut\">…</span>");
    }
}

/// Text `r` of one line with the marks of `its` (items inside `r`, sorted by start).
fn piece(out: &mut String, text: &str, r: Range<usize>, its: &[Item], page: &mut Page<'_>) {
    let mut bounds: Vec<usize> = Vec::with_capacity(its.len() * 2 + 2);
    bounds.push(r.start);
    bounds.push(r.end);
    for it in its {
        bounds.push(it.start);
        bounds.push(it.end);
    }
    bounds.sort_unstable();
    bounds.dedup();
    let (points, mut ranges): (Vec<&Item>, Vec<&Item>) =
        its.iter().partition(|it| it.start == it.end);
    ranges.sort_by_key(|it| it.start);
    let mut next_range = 0;
    let mut next_point = 0;
    let mut active: Vec<&Item> = Vec::new();
    for (bi, &x) in bounds.iter().enumerate() {
        while next_point < points.len() && points[next_point].start == x {
            let p = points[next_point];
            mark(out, "", std::slice::from_ref(&p), page);
            next_point += 1;
        }
        let Some(&y) = bounds.get(bi + 1) else { break };
        active.retain(|it| it.end > x);
        while next_range < ranges.len() && ranges[next_range].start <= x {
            active.push(ranges[next_range]);
            next_range += 1;
        }
        let seg = &text[x..y];
        if active.is_empty() {
            escape_into(out, seg);
        } else {
            active.sort_unstable();
            mark(out, seg, &active, page);
        }
    }
}

/// One `<mark>` covering `seg` (empty for a point) for the items in `on`, preceded by the
/// anchors of the findings and labels that start here.
fn mark(out: &mut String, seg: &str, on: &[&Item], page: &mut Page<'_>) {
    // The first piece of each finding and label is a tab stop; the rest answer the pointer (one
    // stop a finding, not one a piece of a long paragraph).
    let mut starts = false;
    for it in on {
        if page.anchored.insert((it.k, it.label)) {
            starts = true;
            match it.label {
                None => {
                    let _ = write!(out, "<span class=\"anc\" id=\"f{}\"></span>", it.k);
                }
                Some(j) => {
                    let _ = write!(out, "<span class=\"anc\" id=\"f{}l{j}\"></span>", it.k);
                }
            }
        }
    }
    let mut fs: Vec<usize> = on
        .iter()
        .filter(|it| it.label.is_none())
        .map(|it| it.k)
        .collect();
    fs.sort_unstable();
    fs.dedup();
    let mut ls: Vec<(usize, usize)> = on
        .iter()
        .filter_map(|it| it.label.map(|j| (it.k, j)))
        .collect();
    ls.sort_unstable();
    ls.dedup();
    let sev = if fs.is_empty() {
        ls.iter().map(|l| page.sev(l.0)).max()
    } else {
        fs.iter().map(|&k| page.sev(k)).max()
    }
    .unwrap_or(Severity::Info);
    let _ = write!(out, "<mark class=\"m {}", sev_class(sev));
    if seg.is_empty() {
        out.push_str(" pt");
    }
    if fs.is_empty() {
        out.push_str(" lb");
    }
    if fs.len() > 1 {
        out.push_str(" x");
    }
    out.push('"');
    if !fs.is_empty() {
        out.push_str(" data-f=\"");
        for (n, k) in fs.iter().enumerate() {
            let _ = write!(out, "{}{k}", if n > 0 { " " } else { "" });
        }
        out.push('"');
    }
    if !ls.is_empty() {
        out.push_str(" data-l=\"");
        for (n, (k, j)) in ls.iter().enumerate() {
            let _ = write!(out, "{}{k}.{j}", if n > 0 { " " } else { "" });
        }
        out.push('"');
    }
    out.push_str(if starts {
        " tabindex=\"0\">"
    } else {
        " tabindex=\"-1\">"
    });
    escape_into(out, seg);
    out.push_str("</mark>");
}

/// Copy in a fix description: at most `MAX` characters (head and tail), whitespace made visible.
fn visible(out: &mut String, s: &str) {
    const MAX: usize = 40;
    let n = s.chars().count();
    let shown: String = if n > MAX {
        let head: String = s.chars().take(24).collect();
        let tail: String = s.chars().skip(n - 10).collect();
        format!("{head}\u{0}{tail}")
    } else {
        s.to_string()
    };
    for c in shown.chars() {
        match c {
            '\u{0}' => {
                let _ = write!(out, "<span class=\"ws\">…（共 {n} 字）…</span>");
            }
            '\n' => out.push_str("<span class=\"ws\" title=\"换行\">↵</span>"),
            '\r' => {}
            '\t' => out.push_str("<span class=\"ws\" title=\"制表符\">⇥</span>"),
            ' ' => out.push_str("<span class=\"ws\" title=\"半角空格\">␣</span>"),
            '\u{3000}' => out.push_str("<span class=\"ws fw\" title=\"全角空格\">\u{3000}</span>"),
            c => {
                let mut b = [0u8; 4];
                escape_into(out, c.encode_utf8(&mut b));
            }
        }
    }
}

/// The entry of finding `k` in its file's list (also what the popup shows).
fn entry(out: &mut String, k: usize, d: &Diagnostic, text: &str) {
    let sc = sev_class(d.severity);
    let _ = write!(
        out,
        "<li id=\"d{k}\" class=\"fd {sc}\" data-k=\"{k}\" data-rule=\"{}\" data-sev=\"{}\"><div class=\"fh\">",
        escape(&d.rule),
        d.severity.as_str()
    );
    if is_problem(d) {
        out.push_str("<span class=\"loc\">文件</span>");
    } else {
        let _ = write!(
            out,
            "<a class=\"loc\" href=\"#f{k}\">{}:{}</a>",
            d.start.line, d.start.column
        );
    }
    let _ = write!(
        out,
        " <span class=\"sev {sc}\">{}</span> <code class=\"rule\">{}</code></div><p class=\"msg\">{}",
        sev_name(d.severity),
        escape(&d.rule),
        escape(&d.message.text())
    );
    if !d.label.is_empty() {
        let _ = write!(out, " <span class=\"lab\">（{}）</span>", escape(&d.label));
    }
    out.push_str("</p>");
    if let Some(h) = &d.help {
        let _ = write!(out, "<p class=\"help\">建议：{}</p>", escape(h));
    }
    if let Some(f) = &d.fix {
        let (cls, what) = match f.applicability {
            Applicability::Safe => ("safe", "修复（安全，--fix 会自动改）"),
            Applicability::Unsafe => ("unsafe", "修复（需人工确认，--unsafe-fixes 才会改）"),
        };
        let _ = write!(
            out,
            "<div class=\"fix {cls}\"><span class=\"fa\">{what}：</span>"
        );
        for e in &f.edits {
            out.push_str("<span class=\"ed\">");
            let old = text.get(e.range.clone());
            let old = match old {
                Some(o) => o,
                None => {
                    // Outside the text kept (cannot happen for a file's own fixes).
                    out.push_str("替换为「");
                    visible(out, &e.replacement);
                    out.push_str("」</span>");
                    continue;
                }
            };
            if old.is_empty() {
                out.push_str("插入「");
                visible(out, &e.replacement);
                out.push('」');
            } else if e.replacement.is_empty() {
                out.push_str("删除「");
                visible(out, old);
                out.push('」');
            } else {
                out.push('「');
                visible(out, old);
                out.push_str("」→「");
                visible(out, &e.replacement);
                out.push('」');
            }
            out.push_str("</span>");
        }
        out.push_str("</div>");
    }
    if !d.labels.is_empty() {
        out.push_str("<ul class=\"lbs\">");
        for (j, l) in d.labels.iter().enumerate() {
            let _ = write!(
                out,
                "<li data-j=\"{j}\"><a class=\"loc\" href=\"#f{k}l{j}\">{}:{}</a> {}</li>",
                l.start.line,
                l.start.column,
                escape(&l.message)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</li>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_quotes_and_controls() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>\u{1}\u{7f}\t"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\u{2401}\u{2421}\t"
        );
        assert_eq!(escape("纳人（）"), "纳人（）");
    }

    #[test]
    fn spans_cut_at_line_ends_and_points_for_line_breaks() {
        let src = SourceFile::from_text("甲乙\r\n丙丁\n\n戊".to_string(), false);
        let mut v = Vec::new();
        // 乙 through 丙: two pieces, the CRLF left out.
        spans(&src, &(3..11), 0, None, &mut v);
        // Only the line break after 丁: a point at the end of line 2.
        spans(&src, &(14..15), 1, None, &mut v);
        // An empty range at the start of the last line.
        spans(&src, &(16..16), 2, Some(0), &mut v);
        let got: Vec<(usize, usize, usize)> =
            v.iter().map(|(l, it)| (*l, it.start, it.end)).collect();
        assert_eq!(got, vec![(0, 3, 6), (1, 8, 11), (1, 14, 14), (3, 16, 16)]);
    }

    #[test]
    fn windows_count_characters_not_bytes() {
        let t = "一二三四五六七八九十";
        assert_eq!(back_chars(t, 15, 2, 0), 9);
        assert_eq!(back_chars(t, 3, 5, 0), 0);
        assert_eq!(fwd_chars(t, 3, 2, t.len()), 9);
        assert_eq!(fwd_chars(t, 27, 5, t.len()), 30);
    }
}
