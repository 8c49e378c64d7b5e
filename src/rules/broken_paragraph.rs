//! `broken-paragraph`: a paragraph cut mid-sentence by layout, continued in the next one. See
//! [`DOCS`].

use serde::Deserialize;

use super::{Fixability, OptionError, Rule, RuleEntry, RuleMeta};
use crate::diagnostic::{Edit, Finding, Fix, Severity};
use crate::document::{is_terminated, Block, Document, Paragraph, Zone};
use crate::text;

pub const DOCS: &str = r#"## What it does

Reports a paragraph that ends mid-sentence (no sentence-final punctuation, or a comma) and
continues in the next body paragraph, as print layout leaves it when a column break falls inside
a sentence ("着力在提高社" ⏎⏎ "会救助工作质效……"). A photo caption dropped into the gap is looked
past: the continuation is the next body paragraph after it. Both halves are labelled.

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

Not reported:

- headlines, subheads and credit lines ("冰糖葫芦甜 劳动滋味长", "(通讯员 张喜红)");
- a paragraph that ends with a colon or semicolon (a list or a series follows);
- list items and table cells in Markdown; lines of verse (short lines with no punctuation);
- a next paragraph that opens a new story (a dateline, "(上接1版)").

A short paragraph with a comma and no final punctuation that follows body text is treated as a
possible fragment ("此次活动不仅是对体育教学的课堂分析，更是展现该校"), since in-body subheads
rarely contain a comma.

## Options

- `after-caption` (bool, default `true`): look past photo captions for the continuation.

## Fix safety

The fix joins the two halves. It is safe when the continuation is the very next paragraph and
is not itself a repeat of an earlier paragraph (a continuation lost in a layout slip); with a
caption in between, the fix moves the continuation up to join the first half and is unsafe.
"#;

pub static META: RuleMeta = RuleMeta {
    id: "broken-paragraph",
    summary: "A paragraph cut mid-sentence by layout and continued in the next one",
    default_severity: Severity::Error,
    default_enabled: true,
    fix: Fixability::Sometimes,
    docs: DOCS,
    options: "# Look past photo captions for the continuation\nafter-caption = true\n",
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build };

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    #[serde(default = "yes")]
    after_caption: bool,
}

fn yes() -> bool {
    true
}

fn build(table: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
    let o: Options = super::parse_options(table)?;
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

/// Could `p` be the first half of a broken sentence?
fn open_end(doc: &Document, idx: usize) -> bool {
    let p = &doc.paragraphs[idx];
    if matches!(
        p.block,
        Block::ListItem | Block::TableCell | Block::Heading(_)
    ) {
        return false;
    }
    let s = doc.para_text(p);
    if is_terminated(s) || text::starts_with_list_marker(s) || !open_clause(s) {
        return false;
    }
    // A line with no full stop right under a deck line is one more deck line.
    let prev_zone = idx.checked_sub(1).map(|i| doc.paragraphs[i].zone);
    if prev_zone == Some(Zone::Subheading) && !s.contains('。') && s.chars().count() <= 60 {
        return false;
    }
    match p.zone {
        Zone::Body => {
            // A dateline-only paragraph ("本报讯（记者 张三）") is not a sentence.
            if p.dateline.as_ref().is_some_and(|d| d.end >= p.range.end) {
                return false;
            }
            true
        }
        // A title-shaped line inside body text with a comma is a fragment, not a subhead.
        Zone::Subheading => {
            let prev_body = idx > 0 && doc.paragraphs[idx - 1].zone == Zone::Body;
            prev_body && s.contains(['，', ','])
        }
        _ => false,
    }
}

/// The last sentence of `s` (after its last full stop) is a clause in progress: it has a clause
/// separator (，、；) or an opening mark never closed. A final line with none of these
/// ("胡锦涛送花圈表示哀悼", "江泽民伟大光辉的一生") is a summary or title line, not a cut sentence.
fn open_clause(s: &str) -> bool {
    let tail = s.rfind('。').map_or(s, |i| &s[i + '。'.len_utf8()..]);
    if tail.contains(['，', ',', '、', '；', ';']) {
        return true;
    }
    let count = |c: char| tail.chars().filter(|&x| x == c).count();
    count('“') > count('”') || count('《') > count('》') || count('（') > count('）')
}

/// Could `q` continue a sentence?
fn continues(doc: &Document, q: &Paragraph) -> bool {
    if q.zone != Zone::Body || q.dateline.is_some() {
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

/// Verse and lists of short lines have no punctuation at all; do not join them.
fn looks_like_verse(doc: &Document, p: &Paragraph, q: &Paragraph) -> bool {
    let short = |x: &Paragraph| {
        let t = doc.para_text(x);
        t.chars().count() <= 16 && !t.contains(['，', '。', ',', '、'])
    };
    short(p) && short(q)
}

impl Rule for BrokenParagraph {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let paras = &doc.paragraphs;
        for i in 0..paras.len() {
            if !open_end(doc, i) {
                continue;
            }
            // The continuation: the next paragraph, or the next after photo captions.
            let mut j = i + 1;
            while self.after_caption && j < paras.len() && paras[j].zone == Zone::Caption {
                j += 1;
            }
            let Some(q) = paras.get(j) else { continue };
            let p = &paras[i];
            if !continues(doc, q) || looks_like_verse(doc, p, q) {
                continue;
            }
            let comma = matches!(last_char(doc, p), Some('，' | ',' | '、'));
            let msg = if comma {
                "段落在逗号处断开，句子接在下一段"
            } else {
                "段落在句子中间断开，接在下一段"
            };
            let head: String = doc.para_text(q).chars().take(6).collect();
            let mut f = Finding::new(p.range.end..p.range.end, msg)
                .label("断在这里")
                .with_label(q.range.start..q.range.start, format!("接续“{head}…”"))
                .help("排版造成的断段：把两段合成一段");
            // Point at the last character, so the line and column are where the cut is.
            if let Some(c) = last_char(doc, p) {
                f.range = p.range.end - c.len_utf8()..p.range.end;
            }
            let repeat = paras[..i]
                .iter()
                .any(|e| e.zone == Zone::Body && doc.para_text(e) == doc.para_text(q));
            if j == i + 1 {
                let fix = vec![Edit {
                    range: p.range.end..q.range.start,
                    replacement: String::new(),
                }];
                f = f.fix(if repeat {
                    Fix::unsafe_(fix)
                } else {
                    Fix::safe(fix)
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
            out.push(f);
        }
    }
}
