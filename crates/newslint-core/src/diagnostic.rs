//! Findings as rules report them and as the report layer sees them.

use std::ops::Range;

use serde::Serialize;

use crate::source::{Position, SourceFile};

/// How serious a finding is. `Off` only appears in configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Whether a fix can be applied without a human looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Cannot change meaning (the width of a comma): applied by `--fix`.
    Safe,
    /// May change meaning (removing a paragraph): applied only with `--unsafe-fixes`.
    Unsafe,
}

/// One replacement of a byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

/// A set of edits that together repair one finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(edits: Vec<Edit>) -> Fix {
        Fix {
            applicability: Applicability::Safe,
            edits,
        }
    }
    pub fn unsafe_(edits: Vec<Edit>) -> Fix {
        Fix {
            applicability: Applicability::Unsafe,
            edits,
        }
    }
    /// The smallest range covering every edit.
    pub fn range(&self) -> Range<usize> {
        let start = self.edits.iter().map(|e| e.range.start).min().unwrap_or(0);
        let end = self.edits.iter().map(|e| e.range.end).max().unwrap_or(0);
        start..end
    }
}

/// A secondary span with its own message ("first copy here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub range: Range<usize>,
    pub message: String,
}

/// What a rule reports. The rule id and severity are filled in by the context, so a rule cannot
/// get them wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub range: Range<usize>,
    pub message: String,
    /// Text under the primary underline; empty for none.
    pub label: String,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(range: Range<usize>, message: impl Into<String>) -> Finding {
        Finding {
            range,
            message: message.into(),
            label: String::new(),
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }
    pub fn label(mut self, text: impl Into<String>) -> Finding {
        self.label = text.into();
        self
    }
    pub fn with_label(mut self, range: Range<usize>, message: impl Into<String>) -> Finding {
        // Most findings have one label or two: a first push would make room for four (160
        // bytes a finding, three quarters unused, on a file with 200,000 repeats).
        self.labels.reserve_exact(1);
        self.labels.push(Label {
            range,
            message: message.into(),
        });
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }
    pub fn fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }
}

/// A finding with its rule, severity and resolved positions: what every report format prints.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
    pub range: Range<usize>,
    pub start: Position,
    pub end: Position,
    pub labels: Vec<ResolvedLabel>,
    pub fix: Option<Fix>,
}

/// A secondary label with resolved positions.
#[derive(Debug, Clone)]
pub struct ResolvedLabel {
    pub range: Range<usize>,
    pub start: Position,
    pub end: Position,
    pub message: String,
}

impl Diagnostic {
    /// Resolve a rule's finding against its source.
    pub fn resolve(rule: &str, severity: Severity, f: Finding, src: &SourceFile) -> Diagnostic {
        Diagnostic::resolve_with(rule, severity, f, |r| src.span(r))
    }

    /// [`Diagnostic::resolve`] with lines only (columns 0): what suppressions need, and all the
    /// fix engine's passes need, as their findings are mostly fixed. Character columns cost a
    /// count of the characters before each offset; the findings that remain get them from
    /// [`Diagnostic::locate`].
    pub fn resolve_lines(
        rule: &str,
        severity: Severity,
        f: Finding,
        src: &SourceFile,
    ) -> Diagnostic {
        let at = |offset: usize| Position {
            line: src.line_index(offset.min(src.text().len())) + 1,
            column: 0,
        };
        Diagnostic::resolve_with(rule, severity, f, |r| (at(r.start), at(r.end)))
    }

    /// A finding with the positions of both ends of every span resolved by `at`.
    fn resolve_with(
        rule: &str,
        severity: Severity,
        f: Finding,
        at: impl Fn(&Range<usize>) -> (Position, Position),
    ) -> Diagnostic {
        let labels = f
            .labels
            .into_iter()
            .map(|l| {
                let (start, end) = at(&l.range);
                ResolvedLabel {
                    start,
                    end,
                    range: l.range,
                    message: l.message,
                }
            })
            .collect();
        let (start, end) = at(&f.range);
        Diagnostic {
            rule: rule.to_string(),
            severity,
            start,
            end,
            range: f.range,
            message: f.message,
            label: f.label,
            help: f.help,
            labels,
            fix: f.fix,
        }
    }

    /// Compute every position (lines and character columns) from the ranges.
    pub fn locate(&mut self, src: &SourceFile) {
        (self.start, self.end) = src.span(&self.range);
        for l in &mut self.labels {
            (l.start, l.end) = src.span(&l.range);
        }
    }

    /// A whole-file problem (unreadable, undecodable): rule `io`, at the file's start.
    pub fn io(message: String) -> Diagnostic {
        let p = Position { line: 1, column: 1 };
        Diagnostic {
            rule: "io".to_string(),
            severity: Severity::Error,
            message,
            label: String::new(),
            help: None,
            range: 0..0,
            start: p,
            end: p,
            labels: Vec::new(),
            fix: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_takes_room_for_one() {
        let f = Finding::new(3..6, "m").with_label(0..3, "首次出现在这里");
        assert_eq!(f.labels.capacity(), 1);
        let f = f.with_label(6..9, "又一处");
        assert_eq!((f.labels.len(), f.labels.capacity()), (2, 2));
    }
}
