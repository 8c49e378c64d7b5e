//! `broken-paragraph`: a paragraph cut mid-sentence by layout, continued in the next one. See
//! [`DOCS`].

use serde::Deserialize;
use std::borrow::Cow;

use super::{Fixability, OptionError, Rule, RuleEntry, RuleMeta};
use crate::diagnostic::{Edit, Finding, Fix, Severity};
use crate::document::continuation::{self, Evidence};
use crate::document::{is_terminated, Block, Document, Paragraph, Zone};
use crate::text;

pub const DOCS: &str = r#"## What it does

Reports a paragraph that was cut mid-sentence by layout and continues in the next one, when the
text shows the cut (not merely because a line lacks a final stop):

- a word of the dictionary is split across the break ("着力在提高社" ⏎ "会救助……": 社会), or a
  number from its unit ("全市共有33" ⏎ "个");
- the next paragraph closes a mark this one opened, or opens with a mark, particle or suffix no
  sentence opens with (，、 ” 了 的 们 时);
- this paragraph ends with a word that cannot end a sentence (把 被 从 向 关于 随着 …), or the
  next one opens with a fragment of a character or two ("库。市委党校……");
- on a page that indents its paragraphs, the next line lost the indent;
- between two paragraphs of running text also: a comma at the end, a clause in progress, a last
  sentence that breaks off after finished ones, a dateline alone above its text.

A photo caption dropped into the gap is looked past. Both halves are labelled; the message names
the split word where there is one.

## Why

Copy taken from a laid-out page (PDF, e-paper, a CMS export of print) keeps the page's line
breaks. A sentence split over two paragraphs reads as two broken sentences, and search engines
and screen readers see a word cut in half.

## Examples

Reported:

    入冬以来，……积极谋划部署，着力在提高社
    会救助工作质效上下功夫，……

    聊粮军供公司强化后勤服务，……积极与部队沟通,
    紧贴部队实际需求，……

Not reported: what the document model (`newslint zones`) takes for structure, unless the text
itself shows a cut: headlines, decks and summary lines, in-story subheadings ("以立法引领改革，为
发展破除障碍", a series of them, numbered, quoted, in 【】), lead-ins ending in "——" or "：",
verse, callouts and pull-quotes, credits, source, page and editor lines, closing datelines
("……。" ⏎ "新华社北京5月3日电"), list items and table cells, and a composed line of parallel clauses
("过犹不及，饮食有节").

## Options

- `after-caption` (bool): look past photo captions for the continuation.

## Fix safety

The fix joins the two halves. It is safe only when the join is right whatever the page looks
like: the break falls inside a word or a number, between two body paragraphs, the continuation
is the very next paragraph and not a repeat of an earlier one. Every other join (after a comma,
after a line that may be a heading, past a caption, where the fix moves the continuation up) is
unsafe.
"#;

pub static META: RuleMeta = RuleMeta {
    id: Cow::Borrowed("broken-paragraph"),
    summary: Cow::Borrowed("A paragraph cut mid-sentence by layout and continued in the next one"),
    default_severity: Severity::Error,
    default_enabled: true,
    fix: Fixability::Sometimes,
    docs: Cow::Borrowed(DOCS),
    options: Cow::Borrowed(
        "# Look past photo captions for the continuation\nafter-caption = true\n",
    ),
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build };

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    after_caption: bool,
}

fn build(table: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
    let o: Options = super::parse_options(&META, table)?;
    Ok(Box::new(BrokenParagraph {
        after_caption: o.after_caption,
    }))
}

struct BrokenParagraph {
    after_caption: bool,
}

/// The last character of a paragraph's prose.
fn last_char(doc: &Document, p: &Paragraph) -> Option<char> {
    doc.para_text(p).chars().next_back()
}

/// The strongest evidence that `p` was cut and continues in `q`, if any.
fn evidence(doc: &Document, index: usize, q: &Paragraph, indented_page: bool) -> Option<Evidence> {
    let p = &doc.paragraphs[index];
    let a = doc.para_text(p);
    let b = doc.para_text(q);
    let last = a.chars().next_back()?;
    // A dateline alone ("新华社北京4月26日电（记者张三）") belongs at the start of its text.
    // "央视网消息（新闻联播）：" alone introduces what follows, as a lead-in does; a dateline
    // after the story's text closes it ("……。" / "新华社北京5月3日电").
    if p.dateline().is_some_and(|d| d.end >= p.range.end) {
        let lead_in = matches!(last, '：' | ':');
        let opens_story = !doc.paragraphs[..index]
            .iter()
            .rev()
            .take_while(|e| e.article == p.article)
            .any(|e| e.zone == Zone::Body);
        return (!lead_in && opens_story && q.zone.is_running_text() && q.dateline().is_none())
            .then_some(Evidence::Dateline);
    }
    if let Some(e) = continuation::in_text(a, b, p.zone != Zone::Body) {
        return Some(e);
    }
    if indented_page && p.indent && !q.indent && q.blank_lines_before == 0 && p.block == Block::Line
    {
        return Some(Evidence::Unindented);
    }
    continuation::in_running_text(a)
}

/// Could `p` be the first half of a broken sentence at all?
fn candidate(doc: &Document, p: &Paragraph) -> bool {
    if matches!(
        p.block,
        Block::ListItem | Block::TableCell | Block::Heading(_)
    ) {
        return false;
    }
    if !matches!(
        p.zone,
        Zone::Body | Zone::Subheading | Zone::Deck | Zone::Callout | Zone::Verse
    ) {
        return false;
    }
    let s = doc.para_text(p);
    let dateline_only = p.dateline().is_some_and(|d| d.end >= p.range.end);
    dateline_only || !is_terminated(s)
}

/// Could `q` continue a sentence?
fn continues(doc: &Document, q: &Paragraph) -> bool {
    if !matches!(q.zone, Zone::Body | Zone::LeadIn | Zone::Subheading) || q.dateline().is_some() {
        return false;
    }
    if matches!(
        q.block,
        Block::ListItem | Block::TableCell | Block::Heading(_)
    ) {
        return false;
    }
    let s = doc.para_text(q);
    !(s.starts_with("(上接")
        || s.starts_with("（上接")
        || s.starts_with("——")
        || text::starts_with_list_marker(s))
}

/// Whether the plain-text page indents its body paragraphs (most body lines start with white
/// space): then a line without the indent right under an indented one continues it.
fn indented_page(doc: &Document) -> bool {
    let (mut body, mut indented) = (0usize, 0usize);
    for p in &doc.paragraphs {
        if p.zone == Zone::Body && p.block == Block::Line {
            body += 1;
            indented += usize::from(p.indent);
        }
    }
    body >= 4 && indented * 10 >= body * 8
}

impl Rule for BrokenParagraph {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let paras = &doc.paragraphs;
        let mut indented: Option<bool> = None;
        for i in 0..paras.len() {
            let p = &paras[i];
            if !candidate(doc, p) {
                continue;
            }
            // The continuation: the next paragraph, or the next after photo captions.
            let mut j = i + 1;
            while self.after_caption && j < paras.len() && paras[j].zone == Zone::Caption {
                j += 1;
            }
            let page_indents = *indented.get_or_insert_with(|| indented_page(doc));
            let mut found = paras
                .get(j)
                .filter(|q| continues(doc, q))
                .and_then(|q| evidence(doc, i, q, page_indents));
            // What the model took for a caption in the gap may be the continuation itself
            // ("……不怕被踩烂或磨坏。布" / blank lines / "置起来简单，还能灵活移动。"): then only
            // evidence that holds whatever the line is.
            if j > i + 1 {
                let caption_continues = || {
                    let c = &paras[i + 1];
                    evidence(doc, i, c, page_indents).filter(Evidence::strong)
                };
                if found.as_ref().is_none_or(|e| !e.strong()) {
                    if let Some(ev) = caption_continues() {
                        found = Some(ev);
                        j = i + 1;
                    }
                }
            }
            let Some(ev) = found else { continue };
            let q = &paras[j];
            // After a line that may be a heading, or before one, only evidence that holds
            // whatever the line is.
            // A numbered item ("1. 中国共产党第二十次全国代表大会在京召开") need not end like a
            // sentence.
            let item = text::starts_with_list_marker(doc.para_text(p));
            let running = p.zone == Zone::Body && q.zone.is_running_text() && !item;
            if !running && !ev.strong() {
                continue;
            }
            // Two display lines (a section number over its title) are not a cut sentence.
            if p.zone != Zone::Body && !q.zone.is_running_text() {
                continue;
            }
            out.push(self.finding(doc, i, j, &ev));
        }
    }
}

impl BrokenParagraph {
    fn finding(&self, doc: &Document, i: usize, j: usize, ev: &Evidence) -> Finding {
        let paras = &doc.paragraphs;
        let (p, q) = (&paras[i], &paras[j]);
        let head: String = doc.para_text(q).chars().take(6).collect();
        let (msg, label, help) = match ev {
            Evidence::Word(w) => (
                format!("段落在词语“{w}”中间断开，接在下一段"),
                "断在词中".to_string(),
                "排版造成的断段：把两段合成一段".to_string(),
            ),
            Evidence::Number => (
                "段落在数字和它的单位之间断开，接在下一段".to_string(),
                "断在数字后".to_string(),
                "排版造成的断段：把两段合成一段".to_string(),
            ),
            Evidence::Closes(c) => (
                format!("段落断开：下一段才有配对的{}", mark(*c)),
                "断在这里".to_string(),
                "若是排版造成的断段，把两段合成一段".to_string(),
            ),
            Evidence::MarkStart(c) => (
                format!("段落断开：下一段以{}开头", mark(*c)),
                "断在这里".to_string(),
                "若是排版造成的断段，把两段合成一段".to_string(),
            ),
            Evidence::ParticleStart(w) => (
                format!("段落断开：下一段以“{w}”开头，接的是这一段的话"),
                "断在这里".to_string(),
                "若是排版造成的断段，把两段合成一段".to_string(),
            ),
            Evidence::DanglingEnd(w, _) => (
                format!("段落在“{w}”后断开，句子接在下一段"),
                "断在这里".to_string(),
                "若是排版造成的断段，把两段合成一段".to_string(),
            ),
            Evidence::Fragment(_)
            | Evidence::Unindented
            | Evidence::OpenClause
            | Evidence::RunningText => (
                "段落在句子中间断开，接在下一段".to_string(),
                "断在这里".to_string(),
                "若是排版造成的断段，把两段合成一段".to_string(),
            ),
            Evidence::Comma(_) => (
                "段落在逗号处断开，句子接在下一段".to_string(),
                "断在这里".to_string(),
                "若是排版造成的断段，把两段合成一段".to_string(),
            ),
            Evidence::Dateline => (
                "电头单独成段，与正文断开".to_string(),
                "电头".to_string(),
                "电头应与正文第一段连在一起".to_string(),
            ),
        };
        let mut f = Finding::new(p.range.end..p.range.end, msg)
            .label(label)
            .with_label(q.range.start..q.range.start, format!("接续“{head}…”"))
            .help(help);
        // Point at the last character, so the line and column are where the cut is.
        if let Some(c) = last_char(doc, p) {
            f.range = p.range.end - c.len_utf8()..p.range.end;
        }
        // The continuation repeats an earlier paragraph, or one is the head of the other (a
        // paragraph pasted twice, once cut short: "今年以来，我市加大" before "今年以来，我市加大投入……").
        let qt = doc.para_text(q);
        let repeat = paras[..=i]
            .iter()
            .any(|e| e.zone == Zone::Body && is_head_or_copy(doc.para_text(e), qt));
        if j == i + 1 {
            let fix = vec![Edit {
                range: p.range.end..q.range.start,
                replacement: String::new(),
            }];
            // Safe only when the join is right whatever the page looks like: the break falls
            // inside a word or a number, between two running-text paragraphs, and the
            // continuation is not a repeat of an earlier paragraph (a continuation lost in a
            // layout slip).
            let safe =
                ev.join_is_certain() && p.zone == Zone::Body && q.zone == Zone::Body && !repeat;
            f = f.fix(if safe {
                Fix::safe(fix)
            } else {
                Fix::unsafe_(fix)
            });
        } else {
            // Move the continuation up to the first half; the caption stays below.
            let before_q = paras[j - 1].range.end;
            f = f
                .fix(Fix::unsafe_(vec![
                    Edit {
                        range: p.range.end..p.range.end,
                        replacement: doc.para_text(q).to_string(),
                    },
                    Edit {
                        range: before_q..q.range.end,
                        replacement: String::new(),
                    },
                ]))
                .with_label(paras[i + 1].range.clone(), "中间隔着图片说明");
        }
        f
    }
}

/// Whether `a` and `b` are the same paragraph, or the shorter (of at least eight characters)
/// is the head of the longer.
fn is_head_or_copy(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short == long || (short.chars().count() >= 8 && long.starts_with(short))
}

/// A mark in a message: quotation marks and brackets by name (后引号, 后括号“）”) rather than
/// quoted alone (““””); other marks in quotation marks.
fn mark(c: char) -> String {
    if "“”‘’《》（）【】「」『』()".contains(c) {
        super::unpaired_mark::name(c, "“‘《（【「『(".contains(c))
    } else {
        format!("“{c}”")
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Applicability;

    /// The applicability of each finding's fix.
    fn fixes(text: &str) -> Vec<Option<Applicability>> {
        let out = crate::rules::findings_with_defaults(&super::ENTRY, text);
        out.iter()
            .map(|f| f.fix.as_ref().map(|x| x.applicability))
            .collect()
    }

    #[test]
    fn heads_and_copies() {
        assert!(super::is_head_or_copy(
            "根据现场勘查的整改情况",
            "根据现场勘查的整改情况"
        ));
        assert!(super::is_head_or_copy(
            "根据现场勘查的整改情况",
            "根据现场勘查的整改情况作出联合审批结论。"
        ));
        assert!(!super::is_head_or_copy(
            "根据现场",
            "根据现场勘查的整改情况作出联合审批结论。"
        ));
        assert!(!super::is_head_or_copy(
            "作出联合审批结论。",
            "根据现场勘查的整改情况作出联合审批结论。"
        ));
    }

    /// Review of issue 15: a continuation that is the head of an earlier paragraph (or has one
    /// as its head) is no certain join: the fix is unsafe, as for an exact repeat.
    #[test]
    fn a_continuation_that_repeats_the_head_of_a_paragraph_is_no_safe_join() {
        let cut = "标题一行\n\n入冬以来，聊城市民政局全面落实上级部署，着力在提高社\n\n会救助工作质效上下功夫。\n\n三尺讲台，关乎未来。\n";
        assert_eq!(fixes(cut), [Some(Applicability::Safe)]);
        // The same continuation, already on the page as the head of an earlier paragraph.
        let head = "标题一行\n\n会救助工作质效上下功夫。全市的救助队伍也在壮大。\n\n入冬以来，聊城市民政局全面落实上级部署，着力在提高社\n\n会救助工作质效上下功夫。\n\n三尺讲台，关乎未来。\n";
        assert_eq!(fixes(head), [Some(Applicability::Unsafe)]);
    }
}
