//! The default format: miette graphical reports.
//!
//! miette's own `[file:line:col]` header counts bytes; newslint turns it off and names the source
//! `path:line:col` with a character column. News paragraphs are single lines of hundreds of
//! characters, so each snippet shows a window around the spans rather than the whole line: the
//! report is built from an [`Excerpt`] that keeps the real line numbers for the gutter.

use std::fmt::Write;
use std::ops::Range;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use newslint_core::diagnostic::{Applicability, Diagnostic, Severity, Text};
use newslint_core::document::Document;
use newslint_core::report::Summary;
use newslint_core::source::SourceFile;

/// Rendering settings.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// The terminal's width in cells: messages and help wrap to it, and source lines are cut
    /// to fit it.
    pub width: usize,
}

/// Terminal cells of context shown on each side of the spans of a long line (16 Han).
const CONTEXT_CELLS: usize = 32;
/// Cells miette puts before a label's text: `╰── `.
const LABEL_LEAD: usize = 4;

/// The cells `s` takes in a terminal (Han and full-width forms two, tabs four, as miette
/// counts them; ambiguous-width marks such as “ ” … one, as unicode-width does).
fn cells(s: &str) -> usize {
    s.chars().map(char_cells).sum()
}

fn char_cells(c: char) -> usize {
    if c == '\t' {
        4
    } else {
        unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
    }
}

/// The lines of a file that a diagnostic's spans touch, each clipped to a window.
struct Excerpt {
    /// The file, for the headers of snippets that do not hold the primary span.
    path: String,
    /// `path:line:col` of the diagnostic: the header of the snippet that holds its span.
    name: String,
    /// Offset of the primary span's start in `data`.
    primary: usize,
    data: String,
    lines: Vec<ExcerptLine>,
}

/// One line of an excerpt.
struct ExcerptLine {
    /// 0-based line number in the file.
    line: usize,
    /// Offset in the excerpt of the window's first byte (after a leading `…`).
    synth_start: usize,
    /// Characters of the file's line before the window.
    column: usize,
}

impl Excerpt {
    /// The excerpt line holding excerpt offset `o`.
    fn line_at(&self, o: usize) -> usize {
        self.data[..o].matches('\n').count()
    }

    /// `path:line:col` of excerpt offset `o`, in the file's numbering.
    fn place(&self, o: usize) -> String {
        let k = self.line_at(o).min(self.lines.len().saturating_sub(1));
        let Some(l) = self.lines.get(k) else {
            return self.name.clone();
        };
        let into = self
            .data
            .get(l.synth_start..o.max(l.synth_start))
            .unwrap_or("");
        format!(
            "{}:{}:{}",
            self.path,
            l.line + 1,
            l.column + into.chars().count() + 1
        )
    }
}

impl SourceCode for Excerpt {
    /// Always whole excerpt lines covering `span`, numbered as in the original file. Context lines
    /// are never added: the excerpt holds only the lines the diagnostic touches. The snippet
    /// holding the primary span is named by the diagnostic's position; another (a label on a
    /// later line) by the position of its own first span.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        _before: usize,
        _after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let data = self.data.as_str();
        let start = span.offset();
        let end = start + span.len();
        if end > data.len() {
            return Err(MietteError::OutOfBounds);
        }
        let line_start = data[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = data[end..].find('\n').map_or(data.len(), |i| end + i);
        let first = self.line_at(line_start);
        let line_count = data[line_start..line_end].matches('\n').count() + 1;
        let column = data[line_start..start].chars().count();
        let name = if (line_start..=line_end).contains(&self.primary) {
            self.name.clone()
        } else {
            self.place(start)
        };
        Ok(Box::new(MietteSpanContents::new_named(
            name,
            &data.as_bytes()[line_start..line_end],
            SourceSpan::from((line_start, line_end - line_start)),
            self.lines.get(first).map_or(first, |l| l.line),
            column,
            line_count,
        )))
    }
}

/// From byte `from` in `text`, forward while the characters fit in `n` cells, up to `limit`.
fn forward_cells(text: &str, from: usize, limit: usize, n: usize) -> usize {
    let mut used = 0;
    for (i, c) in text[from..limit].char_indices() {
        used += char_cells(c);
        if used > n {
            return from + i;
        }
    }
    limit
}

/// From byte `from` in `text`, back while the characters fit in `n` cells, down to `limit`.
fn back_cells(text: &str, from: usize, limit: usize, n: usize) -> usize {
    let mut used = 0;
    let mut at = from;
    for (i, c) in text[limit..from].char_indices().rev() {
        used += char_cells(c);
        if used > n {
            return at;
        }
        at = limit + i;
    }
    limit
}

/// The window of line `lr` to show: the whole line when it fits in `avail` cells, else the
/// spans `lo..hi` with context on both sides, so that the line (with a `…` at each cut end) and
/// each label's text (`labels`: its span on this line, the cells of its text) fit.
fn window(
    text: &str,
    lr: Range<usize>,
    (lo, hi): (usize, usize),
    labels: &[(usize, usize, usize)],
    avail: usize,
) -> Range<usize> {
    let lead = |ws: usize| usize::from(ws > lr.start);
    // miette draws a label's text from the middle cell of its underline.
    let labels_fit = |ws: usize| {
        labels.iter().all(|&(a, b, w)| {
            a < ws || {
                let mid = cells(&text[ws..a]) + cells(&text[a..b]) / 2;
                lead(ws) + mid + LABEL_LEAD + w <= avail
            }
        })
    };
    if cells(&text[lr.clone()]) <= avail && labels_fit(lr.start) {
        return lr;
    }
    // Two cells for the `…` at each end.
    let budget = avail.saturating_sub(2);
    let span = cells(&text[lo..hi]);
    if span >= budget {
        return lo..forward_cells(text, lo, lr.end, budget).max(lo);
    }
    // Context on each side; when one side reaches the line's end, the other may use the rest.
    let spare = budget - span;
    let mut ws = back_cells(text, lo, lr.start, CONTEXT_CELLS.min(spare / 2));
    let left = cells(&text[ws..lo]);
    let right_cap = if ws == lr.start {
        spare - left
    } else {
        CONTEXT_CELLS.min(spare - left)
    };
    let we = forward_cells(text, hi, lr.end, right_cap);
    if we == lr.end {
        ws = back_cells(text, lo, lr.start, spare - cells(&text[hi..we]));
    }
    // A label's text runs to the right of its underline: start later until it fits.
    while !labels_fit(ws) && ws < lo {
        ws += text[ws..].chars().next().map_or(1, char::len_utf8);
    }
    ws..we
}

/// Build the excerpt for `spans` (the first is the primary; `label_cells` are the cells of each
/// span's label text) and map each span into it. `width` is the terminal's.
fn excerpt(
    path: &str,
    name: String,
    src: &SourceFile,
    spans: &[Range<usize>],
    label_cells: &[usize],
    width: usize,
) -> (Excerpt, Vec<Range<usize>>) {
    let text = src.text();
    let mut lines: Vec<usize> = Vec::new();
    for s in spans {
        let l0 = src.line_index(s.start);
        let l1 = src.line_index(s.end.saturating_sub(1).max(s.start));
        lines.extend(l0..=l1);
    }
    lines.sort_unstable();
    lines.dedup();
    // miette's gutter: ` {line number} │ `.
    let digits = lines.last().map_or(1, |l| (l + 1).to_string().len());
    let avail = width.saturating_sub(digits + 4).max(20);

    let mut data = String::new();
    let mut windows: Vec<(Range<usize>, ExcerptLine)> = Vec::new();
    for (k, &line) in lines.iter().enumerate() {
        let lr = src.line_range(line);
        let mut touching = Vec::new();
        let mut labels = Vec::new();
        for (s, &w) in spans.iter().zip(label_cells) {
            let lo = s.start.max(lr.start);
            let hi = s.end.min(lr.end);
            if lo <= hi && s.start <= lr.end && s.end >= lr.start {
                touching.push(lo..hi);
                if w > 0 {
                    labels.push((lo, hi, w));
                }
            }
        }
        let (mut lo, mut hi) = (lr.end, lr.start);
        for t in &touching {
            lo = lo.min(t.start);
            hi = hi.max(t.end);
        }
        if lo > hi {
            (lo, hi) = (lr.start, lr.start);
        }
        let w = window(text, lr.clone(), (lo, hi), &labels, avail);
        if k > 0 {
            data.push('\n');
        }
        if w.start > lr.start {
            data.push('…');
        }
        let synth_start = data.len();
        data.push_str(&text[w.clone()]);
        if w.end < lr.end {
            data.push('…');
        }
        let column = text[lr.start..w.start].chars().count();
        windows.push((
            w,
            ExcerptLine {
                line,
                synth_start,
                column,
            },
        ));
    }
    let map = |o: usize| -> usize {
        let line = src.line_index(o);
        let (w, l) = windows
            .iter()
            .find(|(_, l)| l.line == line)
            .unwrap_or(&windows[0]);
        l.synth_start + (o.clamp(w.start, w.end) - w.start)
    };
    let mapped: Vec<Range<usize>> = spans
        .iter()
        .map(|s| {
            let a = map(s.start);
            let b = if s.end > s.start { map(s.end) } else { a };
            // A span that runs past a window's end is cut there.
            a..b.max(a)
        })
        .collect();
    let primary = mapped.first().map_or(0, |m| m.start);
    (
        Excerpt {
            path: path.to_string(),
            name,
            primary,
            data,
            lines: windows.into_iter().map(|(_, l)| l).collect(),
        },
        mapped,
    )
}

/// A diagnostic in the shape miette renders.
struct Report {
    message: String,
    code: Text,
    severity: miette::Severity,
    help: Option<Text>,
    labels: Vec<LabeledSpan>,
    source: Option<Excerpt>,
}

impl std::fmt::Debug for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
}

fn handler(style: &Style) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_context_lines(0)
        .without_primary_span_start()
        .with_links(false)
}

fn miette_severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn help_with_fix(d: &Diagnostic) -> Option<Text> {
    let tag = d.fix.as_ref().map(|f| match f.applicability {
        Applicability::Safe => "可用 --fix 自动修复",
        Applicability::Unsafe => "可用 --fix --unsafe-fixes 修复，请先核对",
    });
    match (&d.help, tag) {
        (Some(h), Some(t)) => Some(format!("{h}；{t}").into()),
        (Some(h), None) => Some(h.clone()),
        (None, Some(t)) => Some(t.into()),
        (None, None) => None,
    }
}

/// The rendered `help:` footers of a run of findings, by help text. miette writes a report's
/// help last, from the help text alone (its width and theme are the handler's): a file's
/// findings mostly share a few help texts (every repeat of a large file has the same one), and
/// wrapping it is a third of a finding's rendering.
type Footers = std::collections::HashMap<Text, String>;

/// Render one file's diagnostics.
pub fn render_file(path: &str, doc: &Document, diags: &[Diagnostic], style: &Style) -> String {
    let handler = handler(style);
    let mut footers = Footers::new();
    let mut out = String::new();
    for d in diags {
        render_one(&mut out, &handler, path, doc, d, style, Some(&mut footers));
    }
    out
}

/// [`render_file`] written to `w` a finding at a time, so that the file's whole report is never
/// held (a single large file streams its report while its document is at hand).
pub fn write_file<W: std::io::Write>(
    w: &mut W,
    path: &str,
    doc: &Document,
    diags: &[Diagnostic],
    style: &Style,
) -> std::io::Result<()> {
    // Many findings (a large file's repeats) are rendered on every core, a few pieces a thread
    // at a time so that only those are held, and written in order.
    const PIECE: usize = 256;
    let threads = newslint_core::report::threads();
    if threads > 1 && diags.len() > 2 * PIECE {
        for window in diags.chunks(PIECE * threads * 2) {
            let pieces = newslint_core::report::map_chunks(window, PIECE, |piece| {
                render_file(path, doc, piece, style)
            });
            for p in pieces {
                w.write_all(p.as_bytes())?;
            }
        }
        return Ok(());
    }
    let handler = handler(style);
    let mut footers = Footers::new();
    let mut out = String::new();
    for d in diags {
        out.clear();
        render_one(&mut out, &handler, path, doc, d, style, Some(&mut footers));
        w.write_all(out.as_bytes())?;
    }
    Ok(())
}

/// One finding's report, with the blank line after it, appended to `out`. With `footers`, a
/// help footer already rendered is reused: the report is rendered without its help and the
/// footer appended (the same text, see [`Footers`]).
fn render_one(
    out: &mut String,
    handler: &GraphicalReportHandler,
    path: &str,
    doc: &Document,
    d: &Diagnostic,
    style: &Style,
    footers: Option<&mut Footers>,
) {
    let mut spans = vec![d.range.clone()];
    spans.extend(d.labels.iter().map(|l| l.range.clone()));
    let name = format!("{path}:{}:{}", d.start.line, d.start.column);
    let mut label_cells = vec![cells(&d.label)];
    label_cells.extend(d.labels.iter().map(|l| cells(&l.message)));
    let (source, mapped) = excerpt(path, name, &doc.source, &spans, &label_cells, style.width);
    let mut labels = Vec::with_capacity(mapped.len());
    let primary = (!d.label.is_empty()).then(|| d.label.to_string());
    labels.push(LabeledSpan::new_primary_with_span(
        primary,
        mapped[0].clone(),
    ));
    for (l, m) in d.labels.iter().zip(&mapped[1..]) {
        labels.push(LabeledSpan::new_with_span(
            Some(l.message.to_string()),
            m.clone(),
        ));
    }
    let mut report = Report {
        message: d.message.to_string(),
        code: d.rule.clone(),
        severity: miette_severity(d.severity),
        help: help_with_fix(d),
        labels,
        source: Some(source),
    };
    match (footers, report.help.take()) {
        (Some(footers), Some(help)) => match footers.get(&help) {
            Some(footer) => {
                let _ = handler.render_report(out, &report);
                out.push_str(footer);
            }
            None => {
                // The first finding with this help: rendered without it, then with it; the
                // difference is the footer.
                let mut bare = String::new();
                let _ = handler.render_report(&mut bare, &report);
                report.help = Some(help.clone());
                let start = out.len();
                let _ = handler.render_report(out, &report);
                if let Some(footer) = out[start..].strip_prefix(bare.as_str()) {
                    footers.insert(help, footer.to_string());
                }
            }
        },
        (_, help) => {
            report.help = help;
            let _ = handler.render_report(out, &report);
        }
    }
    out.push('\n');
}

/// Render a diagnostic without a source excerpt (`io`, cross-file findings); `at` names the
/// place (`path` or `path:line:col`).
pub fn render_plain(at: &str, d: &Diagnostic, style: &Style) -> String {
    let path = at;
    let report = Report {
        message: format!("{path}: {}", d.message),
        code: d.rule.clone(),
        severity: miette_severity(d.severity),
        help: d.help.clone(),
        labels: Vec::new(),
        source: None,
    };
    let mut out = String::new();
    let _ = handler(style).render_report(&mut out, &report);
    out.push('\n');
    out
}

/// Files per second for the progress bar: whole numbers ("162 个/秒"), one decimal below 10.
pub fn rate(per_sec: f64) -> String {
    if !per_sec.is_finite() || per_sec <= 0.0 {
        "0 个/秒".to_string()
    } else if per_sec < 10.0 {
        format!("{per_sec:.1} 个/秒")
    } else {
        format!("{per_sec:.0} 个/秒")
    }
}

/// The closing line of a human report.
pub fn summary_line(s: &Summary) -> String {
    let mut out = String::new();
    let total = s.errors + s.warnings + s.infos;
    if total == 0 {
        let _ = write!(out, "检查了 {} 个文件，未发现问题。", s.files);
    } else {
        let _ = write!(
            out,
            "检查了 {} 个文件：{} 个错误，{} 个警告，{} 个提示。",
            s.files, s.errors, s.warnings, s.infos
        );
        if s.fixable > 0 {
            let _ = write!(out, "其中 {} 个可自动修复（--fix）。", s.fixable);
        }
        if s.fixable_unsafe > 0 {
            let _ = write!(
                out,
                "{} 个可在核对后修复（--fix --unsafe-fixes）。",
                s.fixable_unsafe
            );
        }
    }
    if s.fixed > 0 {
        let _ = write!(out, "已修复 {} 处。", s.fixed);
    }
    if s.io_errors > 0 {
        let _ = write!(out, "{} 个路径无法读取。", s.io_errors);
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use newslint_core::diagnostic::{Edit, Fix};
    use newslint_core::document::Format;

    #[test]
    fn reused_footers_are_the_rendered_ones() {
        let text = "第一段文字，今天天气很好。\n\n第二段文字，今天天气很好。\n\n第一段文字，今天天气很好。\n";
        let doc = Document::parse(
            SourceFile::from_text(text.to_string(), false),
            Format::Plain,
        );
        let helps = [
            None,
            Some("短的帮助"),
            Some("排版或复制时重复了段落；核对后删除多余的一份，这一行足够长，窄的终端上要折行"),
        ];
        let mut diags = Vec::new();
        for i in 0..24usize {
            let start = [0, 41, 82][i % 3];
            let mut f = Diagnostic::new(start..start + 15, format!("第 {i} 处问题"))
                .label(if i % 2 == 0 { "这里" } else { "" });
            if let Some(h) = helps[i % 3] {
                f = f.help(h);
            }
            if i % 4 == 1 {
                f = f.with_label(0..15, "首次出现在这里");
            }
            if i % 5 < 2 {
                let edits = vec![Edit {
                    range: start..start + 3,
                    replacement: String::new(),
                }];
                f = f.fix(if i % 5 == 0 {
                    Fix::safe(edits)
                } else {
                    Fix::unsafe_(edits)
                });
            }
            let mut d = f;
            d.resolve_in_place("rule/x".into(), Severity::Warning, &doc.source);
            diags.push(d);
        }
        for (color, width) in [(false, 80), (false, 30), (true, 50)] {
            let style = Style { color, width };
            let handler = handler(&style);
            let mut plain = String::new();
            for d in &diags {
                render_one(&mut plain, &handler, "a.txt", &doc, d, &style, None);
            }
            assert_eq!(render_file("a.txt", &doc, &diags, &style), plain);
            let mut written = Vec::new();
            write_file(&mut written, "a.txt", &doc, &diags, &style).expect("into memory");
            assert_eq!(String::from_utf8(written).expect("UTF-8"), plain);
            assert!(plain.matches("help:").count() >= 16, "{plain}");
        }
        // Enough findings to be rendered in parallel pieces: the same bytes in the same order.
        let many: Vec<Diagnostic> = diags.iter().cycle().take(1500).cloned().collect();
        let style = Style {
            color: false,
            width: 60,
        };
        let handler = handler(&style);
        let mut plain = String::new();
        for d in &many {
            render_one(&mut plain, &handler, "a.txt", &doc, d, &style, None);
        }
        let mut written = Vec::new();
        write_file(&mut written, "a.txt", &doc, &many, &style).expect("into memory");
        assert_eq!(String::from_utf8(written).expect("UTF-8"), plain);
    }

    #[test]
    fn rates_are_short() {
        assert_eq!(rate(162.2095), "162 个/秒");
        assert_eq!(rate(4321.5), "4322 个/秒");
        assert_eq!(rate(2.54), "2.5 个/秒");
        assert_eq!(rate(0.0), "0 个/秒");
        assert_eq!(rate(f64::NAN), "0 个/秒");
    }
}
