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

use super::Summary;
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::document::Document;
use crate::source::SourceFile;

/// Rendering settings.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Wrap width for messages and help.
    pub width: usize,
}

/// Characters of context shown on each side of a span in a long line.
const CONTEXT_CHARS: usize = 16;
/// Lines up to this many characters are shown whole.
const SHORT_LINE: usize = 60;
/// The most characters of a long line one snippet shows.
const MAX_WINDOW: usize = 60;

/// The lines of a file that a diagnostic's spans touch, each clipped to a window.
struct Excerpt {
    name: String,
    data: String,
    /// Original 0-based line number of each synthetic line.
    line_map: Vec<usize>,
}

impl SourceCode for Excerpt {
    /// Always whole excerpt lines covering `span`, numbered as in the original file. Context lines
    /// are never added: the excerpt holds only the lines the diagnostic touches.
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
        let first = data[..line_start].matches('\n').count();
        let line_count = data[line_start..line_end].matches('\n').count() + 1;
        let column = data[line_start..start].chars().count();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &data.as_bytes()[line_start..line_end],
            SourceSpan::from((line_start, line_end - line_start)),
            self.line_map.get(first).copied().unwrap_or(first),
            column,
            line_count,
        )))
    }
}

struct LineWindow {
    line: usize,
    /// Byte window in the original text.
    window: Range<usize>,
    /// Offset of the window's first byte in the excerpt.
    synth_start: usize,
}

fn advance_chars(text: &str, from: usize, limit: usize, n: usize) -> usize {
    text[from..limit]
        .char_indices()
        .nth(n)
        .map_or(limit, |(i, _)| from + i)
}

fn back_chars(text: &str, from: usize, limit: usize, n: usize) -> usize {
    text[limit..from]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(limit, |(i, _)| limit + i)
}

/// Build the excerpt for `spans` and map each span into it.
fn excerpt(name: String, src: &SourceFile, spans: &[Range<usize>]) -> (Excerpt, Vec<Range<usize>>) {
    let text = src.text();
    let mut lines: Vec<usize> = Vec::new();
    for s in spans {
        let l0 = src.line_index(s.start);
        let l1 = src.line_index(s.end.saturating_sub(1).max(s.start));
        lines.extend(l0..=l1);
    }
    lines.sort_unstable();
    lines.dedup();

    let mut data = String::new();
    let mut windows = Vec::new();
    for (k, &line) in lines.iter().enumerate() {
        let lr = src.line_range(line);
        let touching = spans.iter().filter_map(|s| {
            let lo = s.start.max(lr.start);
            let hi = s.end.min(lr.end);
            (lo <= hi && s.start <= lr.end && s.end >= lr.start).then_some(lo..hi)
        });
        let (mut lo, mut hi) = (lr.end, lr.start);
        for t in touching {
            lo = lo.min(t.start);
            hi = hi.max(t.end);
        }
        if lo > hi {
            (lo, hi) = (lr.start, lr.start);
        }
        let short = lr.len() <= SHORT_LINE * 4 && text[lr.clone()].chars().count() <= SHORT_LINE;
        let window = if short {
            lr.clone()
        } else {
            let ws = back_chars(text, lo, lr.start, CONTEXT_CHARS);
            let we = advance_chars(text, hi, lr.end, CONTEXT_CHARS);
            let cap = advance_chars(text, ws, lr.end, MAX_WINDOW);
            ws..we.min(cap).max(ws)
        };
        if k > 0 {
            data.push('\n');
        }
        if window.start > lr.start {
            data.push('…');
        }
        let synth_start = data.len();
        data.push_str(&text[window.clone()]);
        if window.end < lr.end {
            data.push('…');
        }
        windows.push(LineWindow {
            line,
            window,
            synth_start,
        });
    }
    let map = |o: usize| -> usize {
        let line = src.line_index(o);
        let w = windows
            .iter()
            .find(|w| w.line == line)
            .unwrap_or(&windows[0]);
        w.synth_start + (o.clamp(w.window.start, w.window.end) - w.window.start)
    };
    let mapped = spans
        .iter()
        .map(|s| {
            let a = map(s.start);
            let b = if s.end > s.start { map(s.end) } else { a };
            // A span that runs past a window's end is cut there.
            a..b.max(a)
        })
        .collect();
    (
        Excerpt {
            name,
            data,
            line_map: lines,
        },
        mapped,
    )
}

/// A diagnostic in the shape miette renders.
struct Report {
    message: String,
    code: String,
    severity: miette::Severity,
    help: Option<String>,
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

fn help_with_fix(d: &Diagnostic) -> Option<String> {
    let tag = d.fix.as_ref().map(|f| match f.applicability {
        Applicability::Safe => "可用 --fix 自动修复",
        Applicability::Unsafe => "可用 --fix --unsafe-fixes 修复，请先核对",
    });
    match (&d.help, tag) {
        (Some(h), Some(t)) => Some(format!("{h}；{t}")),
        (Some(h), None) => Some(h.clone()),
        (None, Some(t)) => Some(t.to_string()),
        (None, None) => None,
    }
}

/// Render one file's diagnostics.
pub fn render_file(path: &str, doc: &Document, diags: &[Diagnostic], style: &Style) -> String {
    let handler = handler(style);
    let mut out = String::new();
    for d in diags {
        let mut spans = vec![d.range.clone()];
        spans.extend(d.labels.iter().map(|l| l.range.clone()));
        let name = format!("{path}:{}:{}", d.start.line, d.start.column);
        let (source, mapped) = excerpt(name, &doc.source, &spans);
        let mut labels = Vec::with_capacity(mapped.len());
        let primary = (!d.label.is_empty()).then(|| d.label.clone());
        labels.push(LabeledSpan::new_primary_with_span(
            primary,
            mapped[0].clone(),
        ));
        for (l, m) in d.labels.iter().zip(&mapped[1..]) {
            labels.push(LabeledSpan::new_with_span(
                Some(l.message.clone()),
                m.clone(),
            ));
        }
        let report = Report {
            message: d.message.clone(),
            code: d.rule.clone(),
            severity: miette_severity(d.severity),
            help: help_with_fix(d),
            labels,
            source: Some(source),
        };
        let _ = handler.render_report(&mut out, &report);
        out.push('\n');
    }
    out
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
