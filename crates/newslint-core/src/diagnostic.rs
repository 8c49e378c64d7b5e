//! Findings as rules report them and as the report layer sees them.

use std::borrow::Cow;
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

/// Text of a finding that is mostly a literal (a label, a help line, a rule id): a literal costs
/// no allocation; a `String` (from `format!`) is kept as it is.
pub type Text = Cow<'static, str>;

/// A secondary span with its own message ("first copy here"), with the positions of its ends
/// (filled in with the finding's, see [`Diagnostic::locate`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub range: Range<usize>,
    pub start: Position,
    pub end: Position,
    pub message: Text,
}

/// A secondary label with resolved positions: since labels carry their positions, the same type
/// as [`Label`] (a finding's labels are resolved in place).
pub type ResolvedLabel = Label;

/// What a rule reports: a [`Diagnostic`] whose rule id, severity and positions are not filled in
/// yet. The context fills them in (the rule id and severity from the configuration, so a rule
/// cannot get them wrong), in place: a file's findings become its diagnostics without a copy.
pub type Finding = Diagnostic;

/// A finding with its rule, severity and resolved positions: what every report format prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: Text,
    pub severity: Severity,
    pub message: String,
    /// Text under the primary underline; empty for none.
    pub label: Text,
    pub help: Option<Text>,
    pub range: Range<usize>,
    pub start: Position,
    pub end: Position,
    pub labels: Vec<Label>,
    pub fix: Option<Fix>,
}

/// `s` in an allocation of its own length. `format!` makes room for twice its literal text, so
/// a message built with it keeps up to half its bytes unused for as long as the finding lives
/// (on a file with 200,000 repeats, 7 MB); a copy costs less than the room it gives back.
fn exact(s: String) -> String {
    if s.capacity() - s.len() >= 16 {
        s.as_str().to_owned()
    } else {
        s
    }
}

/// The position of a finding not resolved yet.
const UNRESOLVED: Position = Position { line: 0, column: 0 };

impl Diagnostic {
    /// A rule's finding at `range` (the rule id, severity and positions are filled in later).
    pub fn new(range: Range<usize>, message: impl Into<String>) -> Finding {
        Diagnostic {
            rule: Cow::Borrowed(""),
            severity: Severity::Warning,
            message: exact(message.into()),
            label: Cow::Borrowed(""),
            help: None,
            range,
            start: UNRESOLVED,
            end: UNRESOLVED,
            labels: Vec::new(),
            fix: None,
        }
    }
    pub fn label(mut self, text: impl Into<Text>) -> Finding {
        self.label = text.into();
        self
    }
    pub fn with_label(mut self, range: Range<usize>, message: impl Into<Text>) -> Finding {
        // Most findings have one label or two: a first push would make room for four (288
        // bytes a finding, three quarters unused, on a file with 200,000 repeats).
        self.labels.reserve_exact(1);
        self.labels.push(Label {
            range,
            start: UNRESOLVED,
            end: UNRESOLVED,
            message: message.into(),
        });
        self
    }
    pub fn help(mut self, help: impl Into<Text>) -> Finding {
        self.help = Some(help.into());
        self
    }
    pub fn fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }

    /// Resolve a rule's finding against its source.
    pub fn resolve(rule: &str, severity: Severity, f: Finding, src: &SourceFile) -> Diagnostic {
        let mut d = f;
        d.resolve_in_place(Cow::Owned(rule.to_string()), severity, src);
        d
    }

    /// Fill in the rule id, severity and every position (lines and character columns).
    pub fn resolve_in_place(&mut self, rule: Text, severity: Severity, src: &SourceFile) {
        self.rule = rule;
        self.severity = severity;
        self.locate(src);
    }

    /// [`Diagnostic::resolve_in_place`] with lines only (columns 0): what suppressions need, and
    /// all the fix engine's passes need, as their findings are mostly fixed. Character columns
    /// cost a count of the characters before each offset; the findings that remain get them
    /// from [`Diagnostic::locate`].
    pub fn resolve_lines_in_place(&mut self, rule: Text, severity: Severity, src: &SourceFile) {
        self.rule = rule;
        self.severity = severity;
        let at = |offset: usize| Position {
            line: src.line_index(offset.min(src.text().len())) + 1,
            column: 0,
        };
        (self.start, self.end) = (at(self.range.start), at(self.range.end));
        for l in &mut self.labels {
            (l.start, l.end) = (at(l.range.start), at(l.range.end));
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
            rule: Cow::Borrowed("io"),
            severity: Severity::Error,
            message,
            label: Cow::Borrowed(""),
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
    fn a_message_takes_room_for_itself() {
        let mut built = String::with_capacity(100);
        built.push_str("段落与第 12 行的段落完全相同");
        let f = Finding::new(0..3, built);
        assert_eq!(f.message, "段落与第 12 行的段落完全相同");
        assert!(f.message.capacity() < f.message.len() + 16);
        let f = Finding::new(0..3, format!("段落与第 {} 行的段落完全相同", 139_253));
        assert_eq!(f.message, "段落与第 139253 行的段落完全相同");
        assert!(f.message.capacity() < f.message.len() + 16);
    }

    #[test]
    fn a_label_takes_room_for_one() {
        let f = Finding::new(3..6, "m").with_label(0..3, "首次出现在这里");
        assert_eq!(f.labels.capacity(), 1);
        let f = f.with_label(6..9, "又一处");
        assert_eq!((f.labels.len(), f.labels.capacity()), (2, 2));
    }
}
