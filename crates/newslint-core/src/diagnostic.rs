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

/// A fix's edits: most fixes have one, kept inline (no allocation per fix).
pub type Edits = smallvec::SmallVec<[Edit; 1]>;

/// `edits` as [`Edits`]: one edit is moved inline and its list freed, whatever the list's
/// capacity (`SmallVec::from_vec` keeps a list of capacity 2 or more on the heap).
fn edits_of(edits: Vec<Edit>) -> Edits {
    if edits.len() <= 1 {
        edits.into_iter().collect()
    } else {
        Edits::from_vec(edits)
    }
}

/// A set of edits that together repair one finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub edits: Edits,
}

impl Fix {
    pub fn safe(edits: Vec<Edit>) -> Fix {
        Fix {
            applicability: Applicability::Safe,
            edits: edits_of(edits),
        }
    }
    pub fn unsafe_(edits: Vec<Edit>) -> Fix {
        Fix {
            applicability: Applicability::Unsafe,
            edits: edits_of(edits),
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

/// A finding's message. Most are text; a message that is a line number between two literals
/// ("段落与第 12 行的段落完全相同") is kept as its parts and written out where it is read, so a
/// file with 200,000 repeats holds no string for each.
#[derive(Debug, Clone)]
pub enum Message {
    Text(Text),
    /// The first part, the line, the second part.
    Line(&'static [&'static str; 2], u32),
}

impl Message {
    /// The line number `line` between `parts`.
    pub fn line(parts: &'static [&'static str; 2], line: usize) -> Message {
        Message::Line(parts, u32::try_from(line).unwrap_or(u32::MAX))
    }

    /// The message as a string, moved where it is one already.
    pub fn into_string(self) -> String {
        match self {
            Message::Text(t) => t.into_owned(),
            m => m.to_string(),
        }
    }

    /// The message in three parts to be written one after the other (a text and two empty
    /// strings, or the line between its literals), with no string built; `digits` holds the
    /// line's.
    pub fn parts<'a>(&'a self, digits: &'a mut itoa::Buffer) -> [&'a str; 3] {
        match self {
            Message::Text(t) => [t, "", ""],
            Message::Line([pre, post], line) => [pre, digits.format(*line), post],
        }
    }

    /// The message as text: borrowed where it is text already.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Message::Text(t) => Cow::Borrowed(t),
            Message::Line(..) => Cow::Owned(self.to_string()),
        }
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Message::Text(t) => f.pad(t),
            Message::Line([pre, post], line) => {
                f.write_str(pre)?;
                f.write_str(itoa::Buffer::new().format(*line))?;
                f.write_str(post)
            }
        }
    }
}

impl From<String> for Message {
    fn from(s: String) -> Message {
        Message::Text(Cow::Owned(exact(s)))
    }
}

impl From<&'static str> for Message {
    fn from(s: &'static str) -> Message {
        Message::Text(Cow::Borrowed(s))
    }
}

impl From<Text> for Message {
    fn from(t: Text) -> Message {
        match t {
            Cow::Owned(s) => s.into(),
            Cow::Borrowed(s) => s.into(),
        }
    }
}

/// Messages compare as their text, whatever their form (a line message is written out to be
/// compared with another form: only findings tied on position and rule are compared so).
impl PartialEq for Message {
    fn eq(&self, other: &Message) -> bool {
        match (self, other) {
            (Message::Text(a), Message::Text(b)) => a == b,
            (Message::Line(a, x), Message::Line(b, y)) if a == b => x == y,
            _ => self.text() == other.text(),
        }
    }
}

impl Eq for Message {}

impl PartialOrd for Message {
    fn partial_cmp(&self, other: &Message) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Message {
    fn cmp(&self, other: &Message) -> std::cmp::Ordering {
        match (self, other) {
            (Message::Text(a), Message::Text(b)) => a.cmp(b),
            _ => self.text().cmp(&other.text()),
        }
    }
}

impl PartialEq<str> for Message {
    fn eq(&self, other: &str) -> bool {
        match self {
            Message::Text(t) => t == other,
            Message::Line([pre, post], line) => other
                .strip_prefix(pre)
                .and_then(|r| r.strip_suffix(post))
                .is_some_and(|n| n == itoa::Buffer::new().format(*line)),
        }
    }
}

impl PartialEq<&str> for Message {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text())
    }
}

/// A finding's secondary labels: most have one or none, kept inline (no allocation per finding).
pub type Labels = smallvec::SmallVec<[Label; 1]>;

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
    pub message: Message,
    /// Text under the primary underline; empty for none.
    pub label: Text,
    pub help: Option<Text>,
    pub range: Range<usize>,
    pub start: Position,
    pub end: Position,
    pub labels: Labels,
    /// Boxed: most findings have none, and a fix with its edit inline is 56 bytes.
    pub fix: Option<Box<Fix>>,
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
    pub fn new(range: Range<usize>, message: impl Into<Message>) -> Finding {
        Diagnostic {
            rule: Cow::Borrowed(""),
            severity: Severity::Warning,
            message: message.into(),
            label: Cow::Borrowed(""),
            help: None,
            range,
            start: UNRESOLVED,
            end: UNRESOLVED,
            labels: Labels::new(),
            fix: None,
        }
    }
    pub fn label(mut self, text: impl Into<Text>) -> Finding {
        self.label = text.into();
        self
    }
    pub fn with_label(mut self, range: Range<usize>, message: impl Into<Text>) -> Finding {
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
        self.fix = Some(Box::new(fix));
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
        let at = |offset: usize| Position::new(src.line_index(offset.min(src.text().len())) + 1, 0);
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
            message: message.into(),
            label: Cow::Borrowed(""),
            help: None,
            range: 0..0,
            start: p,
            end: p,
            labels: Labels::new(),
            fix: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_takes_room_for_itself() {
        let room = |m: &Message| match m {
            Message::Text(Cow::Owned(s)) => s.capacity() - s.len(),
            other => panic!("not an owned text: {other:?}"),
        };
        let mut built = String::with_capacity(100);
        built.push_str("段落与第 12 行的段落完全相同");
        let f = Finding::new(0..3, built);
        assert_eq!(f.message, "段落与第 12 行的段落完全相同");
        assert!(room(&f.message) < 16);
        let f = Finding::new(0..3, format!("段落与第 {} 行的段落完全相同", 139_253));
        assert_eq!(f.message, "段落与第 139253 行的段落完全相同");
        assert!(room(&f.message) < 16);
        // A literal is borrowed, not copied.
        let f = Finding::new(0..3, "全角");
        assert!(matches!(f.message, Message::Text(Cow::Borrowed("全角"))));
    }

    #[test]
    fn a_line_message_is_its_text() {
        for line in [0, 1, 9, 10, 99, 100, 12_345, 1_000_000, u32::MAX as usize] {
            let m = Message::line(&["段落与第 ", " 行"], line);
            let text = format!("段落与第 {line} 行");
            assert_eq!(m.to_string(), text);
            assert_eq!(m.text(), text);
            assert!(m == *text.as_str());
            assert!(m != "段落与第 1 行 ");
            let as_text = Message::from(text.clone());
            assert_eq!(m, as_text);
            assert_eq!(m.cmp(&as_text), std::cmp::Ordering::Equal);
            assert_eq!(m.clone().into_string(), text);
        }
        // Beyond 32 bits a line is held as u32::MAX, never wrapped.
        let far = Message::line(&["第 ", " 行"], usize::MAX);
        assert_eq!(far.to_string(), format!("第 {} 行", u32::MAX));
        // Ordered as their text, whatever their form.
        let (a, b) = (Message::line(&["第 ", " 行"], 10), Message::from("第 9 行"));
        assert_eq!(a.cmp(&b), "第 10 行".cmp("第 9 行"));
        assert_eq!(b.cmp(&a), std::cmp::Ordering::Greater);
        // Written in parts, the same text; a text message pads as a string does.
        let mut digits = itoa::Buffer::new();
        assert_eq!(a.parts(&mut digits).concat(), "第 10 行");
        assert_eq!(b.parts(&mut digits).concat(), "第 9 行");
        assert_eq!(format!("[{:<6}]", Message::from("ab")), "[ab    ]");
    }

    #[test]
    fn one_label_and_one_edit_are_inline() {
        let f = Finding::new(3..6, "m").with_label(0..3, "首次出现在这里");
        assert!(!f.labels.spilled());
        let f = f.with_label(6..9, "又一处");
        assert_eq!(f.labels.len(), 2);
        let fix = Fix::unsafe_(vec![Edit {
            range: 0..3,
            replacement: String::new(),
        }]);
        assert!(!fix.edits.spilled());
        // Inline whatever room the list had.
        let mut roomy = Vec::with_capacity(4);
        roomy.push(Edit {
            range: 0..3,
            replacement: "，".into(),
        });
        let fix = Fix::safe(roomy);
        assert!(!fix.edits.spilled());
        assert_eq!(fix.edits[0].replacement, "，");
    }
}
