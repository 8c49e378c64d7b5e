//! The fix engine behind `--fix` and `--diff`, and writing files without ever losing one.
//!
//! The engine works in passes, as ruff's does. A pass takes the fixes of one lint of the text as
//! it was when linted, with the applicability that lint gave them, applies those that can go
//! together, and the text is linted again for the next pass. Within a pass:
//!
//! - a fix is applied whole or not at all; its edits must lie inside the text, on character
//!   boundaries, and not overlap each other;
//! - fixes are taken in order of position (at one position, the one covering more first), and a
//!   fix with an edit that overlaps **or touches** an edit already taken waits for the next pass,
//!   where it is judged again on the text as it is then (two edits that meet at one byte were each
//!   computed without the other: a move that ends where a join starts glues the wrong text);
//! - applying N edits costs O(N log N): the taken edits are kept in a sorted map and each new edit
//!   is checked against its neighbour only, then the text is rebuilt in one copy.
//!
//! Across passes, a verdict given once sticks for the run:
//!
//! - a fix that was not applied because it is unsafe (without `--unsafe-fixes`), or because a
//!   fix of another rule rewrote the text it would edit, leaves its place to that verdict: a later
//!   pass does not apply a fix of the same rule touching that place. Otherwise the rule would be
//!   judging, on text the report never showed, what the report said to leave alone (seed 002: a
//!   join reported unsafe because its continuation is a pasted duplicate becomes "safe" once an
//!   earlier join hides the first copy);
//! - a fix that would edit text that its own rule wrote earlier in the run is a loop
//!   (`北京` → `北京北京`): the engine stops and the file is left as it was ([`Stop::Loop`]);
//! - the text may not grow past four times its size plus 64 KiB ([`Stop::Growth`]);
//! - at most [`MAX_PASSES`] passes; fixes still pending then are reported ([`Stop::PassLimit`]).
//!
//! What was done is recorded twice: every applied fix with the pass it was applied in (its edits
//! in the coordinates of that pass's text, so the run can be replayed), and the net
//! [`Change`]s to the text as it was read, through a piece table kept across passes.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::document::Document;
use crate::error::WriteError;

/// How many passes (lint, then apply) fixing runs at most.
pub const MAX_PASSES: usize = 100;
/// The text may grow to `GROWTH_FACTOR` times its size plus [`GROWTH_SLACK`] bytes. Legitimate
/// fixes stay far below it: the largest growth a built-in fix makes is an ASCII mark becoming a
/// full-width one (1 byte to 3), so even a text made only of marks grows three times.
pub const GROWTH_FACTOR: usize = 4;
/// See [`GROWTH_FACTOR`].
pub const GROWTH_SLACK: usize = 64 * 1024;

/// One fix the engine applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedFix {
    /// The pass it was applied in, from 1. Pass 1's fixes are the report's.
    pub pass: usize,
    pub rule: String,
    pub applicability: Applicability,
    /// Sorted; in the coordinates of the text its pass linted.
    pub edits: Vec<Edit>,
}

/// A net change to the text as it was read: `range` (bytes of that text) became `replacement`.
/// Changes are sorted, and neither overlap nor touch; applying them to the original text gives
/// the fixed text exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub range: Range<usize>,
    pub replacement: String,
    /// The rules whose fixes made it, sorted.
    pub rules: Vec<String>,
}

/// A fix the engine held back at the end of a run: its place got a verdict earlier in the run
/// (its fix was unsafe, or another rule's fix rewrote its text) and its rule judged it again,
/// differently, on the fixed text. A second run, which knows nothing of the first verdict,
/// would apply it: the rule's verdict depends on what other fixes did, and an editor should
/// look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldFix {
    pub rule: String,
    /// The line of its finding in the fixed text.
    pub line: usize,
    /// Sorted; in the coordinates of the fixed text.
    pub edits: Vec<Edit>,
}

/// Why fixing stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// Nothing left to apply.
    Converged,
    /// [`MAX_PASSES`] passes ran and these rules still had fixes to apply; what was applied is
    /// kept.
    PassLimit { rules: Vec<String> },
    /// `rule`'s fix would edit text that the same rule's fix wrote in an earlier pass: it would
    /// never end. Nothing may be written.
    Loop {
        rule: String,
        /// The text the fix would replace and its replacement.
        found: String,
        replacement: String,
    },
    /// The next pass would make the text longer than the bound (`len` bytes, from `original`).
    /// Nothing may be written.
    Growth {
        rules: Vec<String>,
        len: usize,
        original: usize,
    },
}

impl Stop {
    /// Whether the run failed and its text must not be written.
    pub fn is_error(&self) -> bool {
        matches!(self, Stop::Loop { .. } | Stop::Growth { .. })
    }

    /// The message for the user (Chinese, like every message), or `None` when fixing converged.
    pub fn message(&self) -> Option<String> {
        match self {
            Stop::Converged => None,
            Stop::PassLimit { rules } => Some(format!(
                "修复进行了 {MAX_PASSES} 轮仍未结束，已停止（仍有可修复的问题：{}）；已做的修复照常写入，剩下的问题照常报告，可再运行一次 --fix",
                rules.join("、")
            )),
            Stop::Loop {
                rule,
                found,
                replacement,
            } => Some(format!(
                "规则 `{rule}` 的修复会再次修改它自己写入的文字（“{found}”→“{replacement}”），修复永远不会结束：已停止，文件没有改动；请检查这条规则（替换后的文字不应再含被替换的文字）"
            )),
            Stop::Growth {
                rules,
                len,
                original,
            } => Some(format!(
                "修复会让文本从 {original} 字节增长到 {len} 字节（超过 {GROWTH_FACTOR} 倍），已停止，文件没有改动；涉及的规则：{}",
                rules.join("、")
            )),
        }
    }
}

/// The record of a fixing run.
#[derive(Debug, Clone)]
pub struct FixRun {
    /// Every applied fix, in the order applied.
    pub applied: Vec<AppliedFix>,
    /// The net changes to the text as it was read.
    pub changes: Vec<Change>,
    /// Passes that applied at least one fix.
    pub passes: usize,
    pub stop: Stop,
    /// Fixes held back at the end (see [`HeldFix`]).
    pub held: Vec<HeldFix>,
}

impl Default for FixRun {
    fn default() -> FixRun {
        FixRun {
            applied: Vec::new(),
            changes: Vec::new(),
            passes: 0,
            stop: Stop::Converged,
            held: Vec::new(),
        }
    }
}

impl FixRun {
    /// The number of fixes applied.
    pub fn fixed(&self) -> usize {
        self.applied.len()
    }

    /// What the user should be told about the run besides its findings: why it stopped early,
    /// and the fixes it held back. One message each.
    pub fn notes(&self) -> Vec<String> {
        let mut out: Vec<String> = self.stop.message().into_iter().collect();
        if !self.held.is_empty() {
            const SHOWN: usize = 5;
            let mut places: Vec<String> = self
                .held
                .iter()
                .take(SHOWN)
                .map(|h| format!("{} 第 {} 行", h.rule, h.line))
                .collect();
            if self.held.len() > SHOWN {
                places.push("等".into());
            }
            out.push(format!(
                "{} 处修复没有应用（{}）：报告里这个位置的修复是不安全的，或已被其他修复取代；修复别处后规则改判了它，请人工核对",
                self.held.len(),
                places.join("、")
            ));
        }
        out
    }
}

/// The result of [`fix_document`].
pub struct Fixed<T> {
    /// The fixed document; on a [`Stop::is_error`] stop, the document of the last pass (never to
    /// be written).
    pub doc: Document,
    /// The diagnostics of `doc`.
    pub diagnostics: Vec<Diagnostic>,
    /// What `lint` returned besides diagnostics, for `doc`.
    pub extra: T,
    pub run: FixRun,
}

/// Fix `doc` in passes: `lint` lints a document (suppressions applied); fixes of every
/// applicability are applied when `allow_unsafe`, safe ones otherwise.
pub fn fix_document<T>(
    mut doc: Document,
    allow_unsafe: bool,
    lint: &mut dyn FnMut(&Document) -> (Vec<Diagnostic>, T),
) -> Fixed<T> {
    let (mut diags, mut extra) = lint(&doc);
    let original = doc.text().len();
    let limit = original
        .saturating_mul(GROWTH_FACTOR)
        .saturating_add(GROWTH_SLACK);
    let mut state = State::new(original);
    let mut run = FixRun::default();
    loop {
        let plan = state.select(doc.text(), &diags, allow_unsafe);
        if let Some((rule, found, replacement)) = plan.looping {
            run.stop = Stop::Loop {
                rule,
                found,
                replacement,
            };
            break;
        }
        if plan.edits.is_empty() {
            run.held = plan
                .held
                .iter()
                .filter_map(|&i| {
                    let d = &diags[i];
                    let mut edits = d.fix.as_ref()?.edits.to_vec();
                    edits.sort_by_key(|e| (e.range.start, e.range.end));
                    Some(HeldFix {
                        rule: d.rule.to_string(),
                        line: d.start.line as usize,
                        edits,
                    })
                })
                .collect();
            break;
        }
        if run.passes == MAX_PASSES {
            run.stop = Stop::PassLimit {
                rules: plan.rules(&diags),
            };
            break;
        }
        let len = plan.new_len(doc.text().len());
        if len > limit {
            run.stop = Stop::Growth {
                rules: plan.rules(&diags),
                len,
                original,
            };
            break;
        }
        run.passes += 1;
        let text = plan.apply(doc.text(), len);
        for &i in &plan.applied {
            if let Some(f) = &diags[i].fix {
                let mut edits = f.edits.to_vec();
                edits.sort_by_key(|e| (e.range.start, e.range.end));
                run.applied.push(AppliedFix {
                    pass: run.passes,
                    rule: diags[i].rule.to_string(),
                    applicability: f.applicability,
                    edits,
                });
            }
        }
        state.advance(&plan, &diags);
        let format = doc.format;
        doc = Document::parse(doc.source.with_text(text), format);
        (diags, extra) = lint(&doc);
    }
    run.changes = state.changes(doc.text());
    Fixed {
        doc,
        diagnostics: diags,
        extra,
        run,
    }
}

/// One pass over `text` with the fixes of `diags` (its lint): the new text and the number of
/// fixes applied. What [`fix_document`] does in each pass, without what it keeps across passes.
pub fn apply(text: &str, diags: &[Diagnostic], allow_unsafe: bool) -> (String, usize) {
    let mut state = State::new(text.len());
    let plan = state.select(text, diags, allow_unsafe);
    if plan.applied.is_empty() {
        return (text.to_string(), 0);
    }
    let len = plan.new_len(text.len());
    (plan.apply(text, len), plan.applied.len())
}

/// An edit a pass takes.
#[derive(Debug, Clone, Copy)]
struct Taken<'a> {
    replacement: &'a str,
    rule: u32,
}

/// The fixes one pass applies, and what it learnt about the others.
#[derive(Debug, Default)]
struct Plan<'a> {
    /// The edits to apply, keyed by (start, end): taken edits never overlap, and edits of
    /// different fixes never touch, so ends grow with starts.
    edits: BTreeMap<(usize, usize), Taken<'a>>,
    /// Diagnostics whose fixes are applied.
    applied: Vec<usize>,
    /// Diagnostics whose fixes leave their place to their verdict (see the module docs).
    sticky: Vec<usize>,
    /// Diagnostics whose fixes touch a place whose verdict sticks.
    held: Vec<usize>,
    /// A fix that would edit its own rule's earlier output: (rule, found, replacement).
    looping: Option<(String, String, String)>,
}

/// How a fix stands against the edits a pass has taken.
enum Conflict {
    /// Free to take.
    None,
    /// Touches or overlaps a taken edit of its own rule, or only touches one of another rule:
    /// judged again next pass.
    Waits,
    /// Overlaps a taken edit of another rule, which rewrites its text.
    Displaced,
}

impl<'a> Plan<'a> {
    /// The length of the text after the plan.
    fn new_len(&self, len: usize) -> usize {
        let removed: usize = self.edits.keys().map(|(s, e)| e - s).sum();
        let added: usize = self.edits.values().map(|t| t.replacement.len()).sum();
        len - removed + added
    }

    /// The text with the plan's edits applied: one copy, in order.
    fn apply(&self, text: &str, len: usize) -> String {
        let mut out = String::with_capacity(len);
        let mut last = 0;
        for (&(start, end), t) in &self.edits {
            out.push_str(&text[last..start]);
            out.push_str(t.replacement);
            last = end;
        }
        out.push_str(&text[last..]);
        out
    }

    /// The rules of the fixes the plan applies, sorted, without repeats.
    fn rules(&self, diags: &[Diagnostic]) -> Vec<String> {
        let mut r: Vec<String> = self
            .applied
            .iter()
            .map(|&i| diags[i].rule.to_string())
            .collect();
        r.sort();
        r.dedup();
        r
    }

    /// How `edits` (sorted, valid) of rule `rule` stand against the taken edits. Each edit is
    /// checked against the taken edit with the greatest start not after its end: taken edits
    /// are disjoint, so that one has the greatest end too, and if it ends before the edit
    /// starts, every other does. Whether another rule's edit overlaps it is judged on the
    /// nearest few conflicting edits (`NEAREST`), so that a wide edit over many taken ones
    /// costs O(log N) too.
    fn conflict(&self, edits: &[&Edit], rule: u32) -> Conflict {
        const NEAREST: usize = 8;
        let mut waits = false;
        for e in edits {
            let (s, t) = (e.range.start, e.range.end);
            let taken = self.edits.range(..=(t, usize::MAX)).rev().take(NEAREST);
            for (&(a, b), taken) in taken {
                if b < s {
                    break;
                }
                // Touching or overlapping. Overlapping means sharing a byte, or one zero-width
                // edit strictly inside the other.
                let overlaps =
                    a.max(s) < b.min(t) || (s == t && a < s && s < b) || (a == b && s < a && a < t);
                if overlaps && taken.rule != rule {
                    return Conflict::Displaced;
                }
                waits = true;
            }
        }
        if waits {
            Conflict::Waits
        } else {
            Conflict::None
        }
    }
}

/// A fix's edits, sorted, if they lie inside `text` on character boundaries and neither overlap
/// nor repeat one another.
fn valid_edits<'e>(text: &str, edits: &'e [Edit]) -> Option<Vec<&'e Edit>> {
    let mut own: Vec<&Edit> = edits.iter().collect();
    own.sort_by_key(|e| (e.range.start, e.range.end));
    let inside = own.iter().all(|e| {
        e.range.start <= e.range.end
            && e.range.end <= text.len()
            && text.is_char_boundary(e.range.start)
            && text.is_char_boundary(e.range.end)
    });
    let apart = own
        .windows(2)
        .all(|w| w[0].range.end <= w[1].range.start && w[0].range != w[1].range);
    (inside && apart && !own.is_empty()).then_some(own)
}

/// A piece of the current text: a range of the original text, or text written by fixes.
#[derive(Debug, Clone)]
enum Piece {
    Orig(Range<usize>),
    New {
        len: usize,
        /// The rule of the fix that wrote it.
        writer: u32,
        /// Every rule whose fixes made this text (the writer and those whose text it replaced).
        rules: Vec<u32>,
    },
}

impl Piece {
    fn len(&self) -> usize {
        match self {
            Piece::Orig(r) => r.len(),
            Piece::New { len, .. } => *len,
        }
    }

    /// The part `a..b` of the piece (offsets within it).
    fn part(&self, a: usize, b: usize) -> Piece {
        match self {
            Piece::Orig(r) => Piece::Orig(r.start + a..r.start + b),
            Piece::New { writer, rules, .. } => Piece::New {
                len: b - a,
                writer: *writer,
                rules: rules.clone(),
            },
        }
    }
}

/// What the engine keeps across passes.
struct State {
    /// Rule ids, interned.
    rules: Vec<String>,
    ids: HashMap<String, u32>,
    /// Per rule: places whose verdict sticks, sorted and merged, in current coordinates.
    sticky: HashMap<u32, Vec<Range<usize>>>,
    /// The current text as pieces of the original and of text fixes wrote.
    pieces: Vec<Piece>,
    /// The current start of each piece.
    starts: Vec<usize>,
    /// Non-empty text written by fixes: (current range, writer), sorted.
    written: Vec<(Range<usize>, u32)>,
    original: usize,
}

impl State {
    fn new(original: usize) -> State {
        let pieces = if original == 0 {
            Vec::new()
        } else {
            vec![Piece::Orig(0..original)]
        };
        State {
            rules: Vec::new(),
            ids: HashMap::new(),
            sticky: HashMap::new(),
            starts: vec![0; pieces.len()],
            pieces,
            written: Vec::new(),
            original,
        }
    }

    fn intern(&mut self, rule: &str) -> u32 {
        if let Some(&id) = self.ids.get(rule) {
            return id;
        }
        let id = self.rules.len() as u32;
        self.rules.push(rule.to_string());
        self.ids.insert(rule.to_string(), id);
        id
    }

    /// Whether an edit of `rule` touches a place whose verdict sticks.
    fn is_sticky(&self, rule: u32, edits: &[&Edit]) -> bool {
        let Some(places) = self.sticky.get(&rule) else {
            return false;
        };
        edits.iter().any(|e| {
            let k = places.partition_point(|p| p.end < e.range.start);
            places.get(k).is_some_and(|p| p.start <= e.range.end)
        })
    }

    /// The first edit of `rule` that would change text the same rule wrote in an earlier pass.
    fn rewrites_own<'e>(&self, rule: u32, edits: &[&'e Edit]) -> Option<&'e Edit> {
        edits.iter().copied().find(|e| {
            let (s, t) = (e.range.start, e.range.end);
            let k = self.written.partition_point(|(w, _)| w.end <= s);
            self.written[k..]
                .iter()
                .take_while(|(w, _)| w.start < t || (s == t && w.start < s))
                .any(|(w, writer)| {
                    *writer == rule && (w.start.max(s) < w.end.min(t) || (s == t && w.start < s))
                })
        })
    }

    /// Choose the fixes of one pass from `diags`, the lint of `text`.
    fn select<'a>(&mut self, text: &str, diags: &'a [Diagnostic], allow_unsafe: bool) -> Plan<'a> {
        let mut order: Vec<(usize, usize, usize)> = diags
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let f = d.fix.as_ref().filter(|f| !f.edits.is_empty())?;
                let r = f.range();
                Some((r.start, r.end, i))
            })
            .collect();
        // By position; at one start the fix covering more first (a deleted paragraph before a
        // join of its first line); then by rule and report order, so the choice is stable.
        order.sort_by(|a, b| {
            (a.0, std::cmp::Reverse(a.1), &diags[a.2].rule, a.2).cmp(&(
                b.0,
                std::cmp::Reverse(b.1),
                &diags[b.2].rule,
                b.2,
            ))
        });
        let mut plan = Plan::default();
        for (_, _, i) in order {
            let d = &diags[i];
            let Some(fix) = &d.fix else { continue };
            let Some(edits) = valid_edits(text, &fix.edits) else {
                continue;
            };
            let rule = self.intern(&d.rule);
            if fix.applicability == Applicability::Unsafe && !allow_unsafe {
                plan.sticky.push(i);
                continue;
            }
            if self.is_sticky(rule, &edits) {
                plan.held.push(i);
                continue;
            }
            match plan.conflict(&edits, rule) {
                Conflict::Waits => continue,
                Conflict::Displaced => {
                    plan.sticky.push(i);
                    continue;
                }
                Conflict::None => {}
            }
            if let Some(e) = self.rewrites_own(rule, &edits) {
                plan.looping = Some((
                    d.rule.to_string(),
                    text[e.range.clone()].to_string(),
                    e.replacement.clone(),
                ));
                return plan;
            }
            for e in edits {
                plan.edits.insert(
                    (e.range.start, e.range.end),
                    Taken {
                        replacement: &e.replacement,
                        rule,
                    },
                );
            }
            plan.applied.push(i);
        }
        plan
    }

    /// Carry the state over `plan`, applied to the current text.
    fn advance(&mut self, plan: &Plan<'_>, diags: &[Diagnostic]) {
        // New places whose verdict sticks, in the coordinates of the text just linted.
        for &i in &plan.sticky {
            let d = &diags[i];
            let rule = self.intern(&d.rule);
            let places = self.sticky.entry(rule).or_default();
            places.extend(
                d.fix
                    .iter()
                    .flat_map(|f| f.edits.iter().map(|e| e.range.clone())),
            );
        }
        let map = Mapping::new(plan);
        for places in self.sticky.values_mut() {
            for p in places.iter_mut() {
                *p = map.map(p.start, true)..map.map(p.end, false);
            }
            places.sort_by_key(|p| (p.start, p.end));
            let mut merged: Vec<Range<usize>> = Vec::with_capacity(places.len());
            for p in places.drain(..) {
                match merged.last_mut() {
                    Some(m) if p.start <= m.end => m.end = m.end.max(p.end),
                    _ => merged.push(p),
                }
            }
            *places = merged;
        }
        // The pieces of the new text: the kept stretches of the current text, and each edit's
        // replacement as text written by its rule.
        let mut pieces = Vec::with_capacity(self.pieces.len() + 2 * plan.edits.len());
        let mut last = 0;
        for (&(start, end), t) in &plan.edits {
            self.slice(last, start, false, &mut pieces);
            let mut rules = vec![t.rule];
            rules.extend(self.rules_within(start, end));
            rules.sort_unstable();
            rules.dedup();
            pieces.push(Piece::New {
                len: t.replacement.len(),
                writer: t.rule,
                rules,
            });
            last = end;
        }
        let len = self
            .starts
            .last()
            .map_or(0, |s| s + self.pieces[self.pieces.len() - 1].len());
        self.slice(last, len, true, &mut pieces);
        self.pieces = pieces;
        self.starts.clear();
        self.written.clear();
        let mut pos = 0;
        for p in &self.pieces {
            self.starts.push(pos);
            if let Piece::New { len, writer, .. } = p {
                if *len > 0 {
                    self.written.push((pos..pos + len, *writer));
                }
            }
            pos += p.len();
        }
    }

    /// Append the pieces of the current text's `a..b` (and the zero-length ones in it, which
    /// mark deletions: those at `a`, and those at `b` when `to_end`, as nothing follows).
    fn slice(&self, a: usize, b: usize, to_end: bool, out: &mut Vec<Piece>) {
        if a >= b && !to_end {
            return;
        }
        // The first piece that ends after `a`, or a zero-length one at `a`.
        let mut k = self.starts.partition_point(|&s| s < a);
        if k > 0 && self.starts[k - 1] + self.pieces[k - 1].len() > a {
            k -= 1;
        }
        while k < self.pieces.len() && (self.starts[k] < b || to_end) {
            let (ps, p) = (self.starts[k], &self.pieces[k]);
            let pe = ps + p.len();
            if pe > a || (p.len() == 0 && ps >= a) {
                let from = a.max(ps) - ps;
                let to = b.min(pe) - ps;
                if to > from || p.len() == 0 {
                    out.push(p.part(from, to.max(from)));
                }
            }
            k += 1;
        }
    }

    /// The rules that wrote text within the current `a..b` (zero-length pieces included).
    fn rules_within(&self, a: usize, b: usize) -> Vec<u32> {
        let mut out = Vec::new();
        let mut k = self.starts.partition_point(|&s| s < a).saturating_sub(1);
        while k < self.pieces.len() && self.starts[k] <= b {
            let (ps, p) = (self.starts[k], &self.pieces[k]);
            if let Piece::New { rules, len, .. } = p {
                let pe = ps + len;
                if (ps < b && pe > a) || (ps >= a && pe <= b) {
                    out.extend(rules);
                }
            }
            k += 1;
        }
        out
    }

    /// The net changes to the original text; `text` is the current text.
    fn changes(&self, text: &str) -> Vec<Change> {
        let mut out = Vec::new();
        let mut next = 0; // the original byte the next kept piece should start at
        let mut pending: Option<(String, Vec<u32>)> = None;
        let mut pos = 0;
        let emit =
            |from: usize, to: usize, p: Option<(String, Vec<u32>)>, out: &mut Vec<Change>| {
                let (replacement, mut rules) = p.unwrap_or_default();
                if from == to && replacement.is_empty() {
                    return;
                }
                rules.sort_unstable();
                rules.dedup();
                out.push(Change {
                    range: from..to,
                    replacement,
                    rules: rules
                        .iter()
                        .map(|&r| self.rules[r as usize].clone())
                        .collect(),
                });
            };
        for p in &self.pieces {
            match p {
                Piece::New { len, rules, .. } => {
                    let (t, r) = pending.get_or_insert_with(Default::default);
                    t.push_str(&text[pos..pos + len]);
                    r.extend(rules);
                }
                Piece::Orig(r) => {
                    if r.start != next || pending.is_some() {
                        emit(next, r.start, pending.take(), &mut out);
                    }
                    next = r.end;
                }
            }
            pos += p.len();
        }
        if next != self.original || pending.is_some() {
            emit(next, self.original, pending.take(), &mut out);
        }
        out
    }
}

/// Maps offsets of a text to offsets of the text after a plan's edits.
struct Mapping {
    /// (start, end, new start, new end) of each edit, sorted.
    edits: Vec<(usize, usize, usize, usize)>,
}

impl Mapping {
    fn new(plan: &Plan<'_>) -> Mapping {
        let mut delta: isize = 0;
        let edits = plan
            .edits
            .iter()
            .map(|(&(s, e), t)| {
                let ns = (s as isize + delta) as usize;
                let ne = ns + t.replacement.len();
                delta += t.replacement.len() as isize - (e - s) as isize;
                (s, e, ns, ne)
            })
            .collect();
        Mapping { edits }
    }

    /// Where `x` goes. An offset inside an edit goes to the start of its replacement when
    /// `left`, to its end otherwise; an insertion at `x` falls after a `left` offset and before
    /// a right one. A range mapped with a left start and a right end grows over the edits
    /// inside it and at its ends.
    fn map(&self, x: usize, left: bool) -> usize {
        // Edits wholly before `x` (ends never decrease, so this is a prefix).
        let k = self
            .edits
            .partition_point(|&(s, e, _, _)| e <= x && !(left && s == x && e == x));
        if let Some(&(s, _, ns, ne)) = self.edits.get(k) {
            if s < x {
                return if left { ns } else { ne };
            }
        }
        match k.checked_sub(1).map(|j| self.edits[j]) {
            Some((_, e, _, ne)) => ne + (x - e),
            None => x,
        }
    }
}

/// The prefix and suffix of the temporary files `--fix` writes next to the file it replaces:
/// hidden, and named so that nobody (and no walker) takes them for copy.
const TEMP_PREFIX: &str = ".newslint-fix-";
const TEMP_SUFFIX: &str = ".tmp";
const TEMP_RANDOM: usize = 8;
/// A temporary file older than this was left by a run that was killed between writing it and
/// renaming it over its file; a live one exists for well under a second.
pub const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// Whether `name` is one of the temporary files [`write_fixed`] creates.
pub fn is_temp_name(name: &str) -> bool {
    name.strip_prefix(TEMP_PREFIX)
        .and_then(|r| r.strip_suffix(TEMP_SUFFIX))
        .is_some_and(|r| r.len() == TEMP_RANDOM && r.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Remove the stale temporary files of killed runs from `dir` (once per folder and process).
/// Returns the paths removed.
pub fn clean_stale_temps(dir: &Path) -> Vec<PathBuf> {
    static CLEANED: std::sync::Mutex<Option<std::collections::HashSet<PathBuf>>> =
        std::sync::Mutex::new(None);
    {
        let mut seen = CLEANED.lock().unwrap_or_else(|e| e.into_inner());
        if !seen
            .get_or_insert_with(Default::default)
            .insert(dir.to_path_buf())
        {
            return Vec::new();
        }
    }
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return removed;
    };
    let now = std::time::SystemTime::now();
    for e in entries.flatten() {
        let name = e.file_name();
        if !name.to_str().is_some_and(is_temp_name) {
            continue;
        }
        let Ok(meta) = e.metadata() else { continue };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if meta.is_file() && old && std::fs::remove_file(e.path()).is_ok() {
            removed.push(e.path());
        }
    }
    removed
}

/// Replace `path`'s content with `bytes`, atomically: a temporary file in the same folder
/// (see [`TEMP_PREFIX`]), synced, then renamed over the file, and the folder synced. A reader
/// sees the old file or the new one, never half of one. Symlinks are followed (the target is
/// rewritten, the link kept) and permissions are kept. Errors are messages for the user.
///
/// Refused, leaving the file as it is:
/// - a file that is read-only (no write permission bit, or not writable by this user): the mode
///   is the owner's "do not change"; replacing the file by rename would ignore it, as the folder
///   is writable (and root could write it anyway);
/// - a file with several hard links. A rename gives this path a new file and leaves the other
///   paths with the old text, silently forking the copy (the unfixed text is what the other
///   path publishes); writing in place keeps the link but a kill or a full disk mid-write leaves
///   a half-written file, which the atomic rename exists to rule out. A careful user would want
///   neither, so newslint says so and writes nothing: `--diff` shows the fixes to apply by hand.
pub fn write_fixed(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let meta = std::fs::metadata(path).map_err(WriteError::Io)?;
    // `/dev/stdin` or `/dev/fd/N` redirected from a file is that file, but whoever wrote
    // `check --fix /dev/stdin < a.txt` did not ask for a.txt to be rewritten.
    let via_descriptor = path.starts_with("/dev") || path.starts_with("/proc");
    if !meta.is_file() || via_descriptor {
        return Err(WriteError::NotAFile);
    }
    let target = std::fs::canonicalize(path).map_err(WriteError::Io)?;
    let perms = meta.permissions();
    let denied = std::fs::OpenOptions::new()
        .write(true)
        .open(&target)
        .is_err_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied);
    if perms.readonly() || denied {
        return Err(WriteError::ReadOnly {
            mode: mode_text(&meta),
        });
    }
    if let Some(n) = hard_links(&meta).filter(|&n| n > 1) {
        return Err(WriteError::HardLinks(n));
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    clean_stale_temps(dir);
    let written = (|| -> std::io::Result<()> {
        let mut tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(TEMP_SUFFIX)
            .rand_bytes(TEMP_RANDOM)
            .tempfile_in(dir)?;
        tmp.write_all(bytes)?;
        tmp.as_file().sync_all()?;
        std::fs::set_permissions(tmp.path(), perms)?;
        tmp.persist(&target).map_err(|e| e.error)?;
        // The rename itself is durable once the folder is synced (not possible everywhere).
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    written.map_err(WriteError::Io)
}

#[cfg(unix)]
fn hard_links(meta: &std::fs::Metadata) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    Some(meta.nlink())
}

#[cfg(not(unix))]
fn hard_links(_: &std::fs::Metadata) -> Option<u64> {
    None
}

#[cfg(unix)]
fn mode_text(meta: &std::fs::Metadata) -> String {
    use std::os::unix::fs::PermissionsExt;
    format!("权限 {:04o}", meta.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn mode_text(_: &std::fs::Metadata) -> String {
    "只读属性".into()
}

/// A unified diff of `old` → `new` for `--diff`.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(1)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
    use crate::document::Format;
    use crate::source::{Position, SourceFile};

    fn diag_of(rule: &str, fix: Fix) -> Diagnostic {
        let p = Position { line: 1, column: 1 };
        Diagnostic {
            rule: rule.to_string().into(),
            severity: Severity::Error,
            message: "".into(),
            label: "".into(),
            help: None,
            range: fix.range(),
            start: p,
            end: p,
            labels: Default::default(),
            fix: Some(Box::new(fix)),
        }
    }

    fn diag(fix: Fix) -> Diagnostic {
        diag_of("t", fix)
    }

    fn e(r: Range<usize>, s: &str) -> Edit {
        Edit {
            range: r,
            replacement: s.into(),
        }
    }

    fn doc(text: &str) -> Document {
        Document::parse(SourceFile::from_text(text.into(), false), Format::Plain)
    }

    /// Apply `changes` to `text`.
    fn apply_changes(text: &str, changes: &[Change]) -> String {
        let mut out = String::new();
        let mut last = 0;
        for c in changes {
            out.push_str(&text[last..c.range.start]);
            out.push_str(&c.replacement);
            last = c.range.end;
        }
        out.push_str(&text[last..]);
        out
    }

    /// Replay the applied fixes pass by pass.
    fn replay(text: &str, applied: &[AppliedFix]) -> String {
        let mut text = text.to_string();
        let passes = applied.iter().map(|a| a.pass).max().unwrap_or(0);
        for pass in 1..=passes {
            let mut edits: Vec<&Edit> = applied
                .iter()
                .filter(|a| a.pass == pass)
                .flat_map(|a| &a.edits)
                .collect();
            edits.sort_by_key(|e| (e.range.start, e.range.end));
            let mut out = String::new();
            let mut last = 0;
            for e in edits {
                out.push_str(&text[last..e.range.start]);
                out.push_str(&e.replacement);
                last = e.range.end;
            }
            out.push_str(&text[last..]);
            text = out;
        }
        text
    }

    #[test]
    fn applies_apart_fixes_and_skips_unsafe() {
        let text = "ab,cd;ef";
        let d = vec![
            diag(Fix::safe(vec![e(2..3, "，")])),
            diag(Fix::safe(vec![e(2..4, "X")])),
            diag(Fix::unsafe_(vec![e(5..6, "；")])),
        ];
        // 2..4 covers more and goes first; 2..3 overlaps it and waits.
        assert_eq!(apply(text, &d, false), ("abXd;ef".to_string(), 1));
        assert_eq!(apply(text, &d, true), ("abXd；ef".to_string(), 2));
    }

    #[test]
    fn touching_edits_wait_for_the_next_pass() {
        // A comma fix ending where a join starts, and an insertion where another edit ends.
        let text = "甲,\n\n乙";
        let d = vec![
            diag(Fix::safe(vec![e(3..4, "，")])),
            diag_of("join", Fix::safe(vec![e(4..6, "")])),
        ];
        assert_eq!(apply(text, &d, false), ("甲，\n\n乙".to_string(), 1));
        let d = vec![
            diag(Fix::safe(vec![e(0..3, "丙")])),
            diag_of("other", Fix::safe(vec![e(3..3, "丁")])),
        ];
        assert_eq!(apply(text, &d, false).1, 1);
        // Two insertions at one byte touch too.
        let d = vec![
            diag(Fix::safe(vec![e(3..3, "x")])),
            diag_of("other", Fix::safe(vec![e(3..3, "y")])),
        ];
        assert_eq!(apply(text, &d, false).1, 1);
    }

    #[test]
    fn edits_inside_another_fixes_span_but_apart_from_its_edits_go_together() {
        // A pair of brackets with a comma between: three edits, none touching.
        let text = "甲(乙,丙)丁";
        let d = vec![
            diag(Fix::safe(vec![e(3..4, "（"), e(11..12, "）")])),
            diag(Fix::safe(vec![e(7..8, "，")])),
        ];
        assert_eq!(apply(text, &d, false), ("甲（乙，丙）丁".to_string(), 2));
    }

    #[test]
    fn rejects_edits_off_char_boundaries_or_overlapping_each_other() {
        let d = vec![diag(Fix::safe(vec![e(1..2, "x")]))];
        assert_eq!(apply("中", &d, false).1, 0);
        let d = vec![diag(Fix::safe(vec![e(0..2, "x"), e(1..3, "y")]))];
        assert_eq!(apply("abc", &d, false).1, 0);
        let d = vec![diag(Fix::safe(vec![e(1..1, "x"), e(1..1, "y")]))];
        assert_eq!(apply("abc", &d, false).1, 0);
        let d = vec![diag(Fix::safe(vec![e(2..9, "x")]))];
        assert_eq!(apply("abc", &d, false).1, 0);
    }

    /// A lint that reports every ASCII comma after a Han character, with a fix of the given
    /// applicability per pass.
    fn commas(doc: &Document) -> (Vec<Diagnostic>, ()) {
        let t = doc.text();
        let d = t
            .match_indices(',')
            .map(|(i, _)| diag_of("comma", Fix::safe(vec![e(i..i + 1, "，")])))
            .collect();
        (d, ())
    }

    #[test]
    fn fixes_converge_and_changes_are_in_the_original_coordinates() {
        let text = "甲,乙,丙";
        let f = fix_document(doc(text), false, &mut commas);
        assert_eq!(f.doc.text(), "甲，乙，丙");
        assert_eq!(f.run.stop, Stop::Converged);
        assert_eq!(f.run.fixed(), 2);
        assert_eq!(
            f.run.changes,
            vec![
                Change {
                    range: 3..4,
                    replacement: "，".into(),
                    rules: vec!["comma".into()]
                },
                Change {
                    range: 7..8,
                    replacement: "，".into(),
                    rules: vec!["comma".into()]
                },
            ]
        );
        assert_eq!(apply_changes(text, &f.run.changes), f.doc.text());
        assert_eq!(replay(text, &f.run.applied), f.doc.text());
    }

    #[test]
    fn a_fix_that_rewrites_its_own_output_stops_the_run() {
        let mut lint = |doc: &Document| {
            let d = doc
                .text()
                .match_indices("北京")
                .map(|(i, _)| diag_of("house/bj", Fix::safe(vec![e(i..i + 6, "北京北京")])))
                .collect();
            (d, ())
        };
        let f = fix_document(doc("我在北京。"), false, &mut lint);
        assert!(f.run.stop.is_error(), "{:?}", f.run.stop);
        assert!(matches!(&f.run.stop, Stop::Loop { rule, .. } if rule == "house/bj"));
        assert_eq!(f.run.passes, 1, "stopped before the second application");
        let m = f.run.stop.message().unwrap_or_default();
        assert!(m.contains("house/bj") && m.contains("没有改动"), "{m}");
    }

    #[test]
    fn growth_past_the_bound_stops_the_run() {
        // Each pass doubles the text (written by a different rule each time, so it is not a
        // loop of one rule): the bound stops it.
        let mut pass = 0;
        let mut lint = |doc: &Document| {
            pass += 1;
            let rule = format!("r{pass}");
            let t = doc.text();
            let d = vec![diag_of(&rule, Fix::safe(vec![e(0..t.len(), &t.repeat(2))]))];
            (d, ())
        };
        let f = fix_document(doc(&"中".repeat(10_000)), false, &mut lint);
        assert!(
            matches!(
                f.run.stop,
                Stop::Growth {
                    original: 30_000,
                    ..
                }
            ),
            "{:?}",
            f.run.stop
        );
        assert!(f.doc.text().len() <= 30_000 * GROWTH_FACTOR + GROWTH_SLACK);
    }

    #[test]
    fn the_pass_limit_is_reported() {
        // One more comma every pass, forever.
        let mut lint = |doc: &Document| {
            let t = doc.text();
            let d = vec![diag_of("more", Fix::safe(vec![e(t.len()..t.len(), ",")]))];
            (d, ())
        };
        let f = fix_document(doc("甲"), false, &mut lint);
        assert_eq!(f.run.passes, MAX_PASSES);
        assert_eq!(
            f.run.stop,
            Stop::PassLimit {
                rules: vec!["more".into()]
            }
        );
        assert!(!f.run.stop.is_error());
        assert_eq!(f.doc.text().len(), 3 + MAX_PASSES);
    }

    #[test]
    fn an_unsafe_verdict_sticks_when_an_earlier_fix_changes_the_context() {
        // "join" is unsafe while the text holds "dup"; the first pass's other fix removes it,
        // and the second lint calls the join safe. It is not applied: the report said unsafe.
        let mut lint = |doc: &Document| {
            let t = doc.text();
            let mut d = Vec::new();
            if let Some(i) = t.find("dup") {
                d.push(diag_of("dedup", Fix::safe(vec![e(i..i + 3, "")])));
            }
            if let Some(i) = t.find('\n') {
                let fix = vec![e(i..i + 1, "")];
                d.push(diag_of(
                    "join",
                    if t.contains("dup") {
                        Fix::unsafe_(fix)
                    } else {
                        Fix::safe(fix)
                    },
                ));
            }
            (d, ())
        };
        let f = fix_document(doc("甲\n乙dup"), false, &mut lint);
        assert_eq!(f.doc.text(), "甲\n乙");
        assert_eq!(f.run.fixed(), 1);
        // And the run says it held the join back.
        assert_eq!(f.run.held.len(), 1);
        assert_eq!(f.run.held[0].rule, "join");
        assert!(f.run.notes().iter().any(|n| n.contains("join 第 1 行")));
        // Without the first verdict (a fresh run on the fixed text) the join is safe.
        let again = fix_document(doc("甲\n乙"), false, &mut lint);
        assert_eq!(again.doc.text(), "甲乙");
    }

    #[test]
    fn a_fix_displaced_by_another_rules_fix_keeps_its_place() {
        // "delete" removes the second paragraph; "join" would join the first paragraph to
        // whatever follows it. Once the deletion wins, the join to the next paragraph is a new
        // verdict on text the report never showed: it is not applied.
        let mut lint = |doc: &Document| {
            let t = doc.text();
            let mut d = Vec::new();
            if let Some(i) = t.find("\n复") {
                let end = i + 1 + "复制".len();
                d.push(diag_of("delete", Fix::unsafe_(vec![e(i..end, "")])));
            }
            if let Some(i) = t.find('\n') {
                d.push(diag_of("join", Fix::unsafe_(vec![e(i..i + 1, "")])));
            }
            (d, ())
        };
        let f = fix_document(doc("断开，\n复制\n别的。"), true, &mut lint);
        assert_eq!(f.doc.text(), "断开，\n别的。");
        assert_eq!(f.run.stop, Stop::Converged);
    }

    #[test]
    fn a_waiting_fix_is_applied_in_the_next_pass() {
        // The comma fix and the join touch: the join waits one pass and is then applied.
        let mut lint = |doc: &Document| {
            let t = doc.text();
            let mut d = Vec::new();
            if let Some(i) = t.find(',') {
                d.push(diag_of("comma", Fix::safe(vec![e(i..i + 1, "，")])));
            }
            if let Some(i) = t.find('\n') {
                d.push(diag_of("join", Fix::safe(vec![e(i..i + 1, "")])));
            }
            (d, ())
        };
        let f = fix_document(doc("甲,\n乙"), false, &mut lint);
        assert_eq!(f.doc.text(), "甲，乙");
        assert_eq!(f.run.passes, 2);
        assert_eq!(
            f.run.changes,
            vec![Change {
                range: 3..5,
                replacement: "，".into(),
                rules: vec!["comma".into(), "join".into()]
            }]
        );
    }

    #[test]
    fn mapping_moves_offsets_over_edits() {
        let mut plan = Plan::default();
        plan.edits.insert(
            (2, 4),
            Taken {
                replacement: "xyz",
                rule: 0,
            },
        );
        plan.edits.insert(
            (6, 6),
            Taken {
                replacement: "ab",
                rule: 0,
            },
        );
        let m = Mapping::new(&plan);
        assert_eq!(m.map(0, true), 0);
        assert_eq!(m.map(2, true), 2);
        assert_eq!(m.map(3, true), 2);
        assert_eq!(m.map(3, false), 5);
        assert_eq!(m.map(4, true), 5);
        assert_eq!(m.map(5, true), 6);
        // The insertion at 6 falls after a left offset, before a right one.
        assert_eq!(m.map(6, true), 7);
        assert_eq!(m.map(6, false), 9);
        assert_eq!(m.map(8, true), 11);
    }

    #[test]
    fn temp_names_are_recognised_exactly() {
        assert!(is_temp_name(".newslint-fix-Ab3dE6fG.tmp"));
        assert!(!is_temp_name(".newslint-baseline.json"));
        assert!(!is_temp_name(".newslint-fix-short.tmp"));
        assert!(!is_temp_name(".newslint-fix-Ab3dE6fG.tmp.txt"));
        assert!(!is_temp_name("newslint-fix-Ab3dE6fG.tmp"));
    }
}
