//! `unpaired-mark`: quotation marks, book-title marks and brackets that do not pair up within a
//! paragraph. See [`DOCS`].

use serde::Deserialize;

use super::{Fixability, OptionError, Rule, RuleEntry, RuleMeta};
use crate::diagnostic::{Finding, Severity};
use crate::document::{Block, Document, Paragraph, Zone};
use crate::text;

pub const DOCS: &str = r#"## What it does

Reports “ ” ‘ ’ 《 》 （ ） 【 】 「 」 『 』 ( ) that do not pair up within a paragraph: an
opening mark never closed, a closing mark never opened, or a pair closed in the wrong order
(“《……”》). When the missing partner is found at the start of the next paragraph, the message says
the paragraph looks broken instead: the marks are fine, the paragraph was cut.

## Why

Unpaired marks are what proofreaders hunt for by hand. A quotation left open changes who is
speaking; a 《 without 》 runs a title into the sentence.

## Examples

Reported:

    “聊城是个美丽的城市，东昌湖真漂亮！他说。         (“ never closed)
    出台《关于促进聊台经济文化交流合作的若干措施，      (《 never closed)
    聊粮军供公司以“区域性军粮配 ⏎⏎ 送中心”项目……     (the paragraph looks broken)

Not reported:

- a quotation that runs over several paragraphs, each opening with “ and only the last closing
  it (the convention of Chinese typesetting);
- list markers such as "1）" at the start of a paragraph;
- an apostrophe between Latin letters (O’Brien).

## Options

- `marks` (string, default `"“”‘’《》（）【】「」『』()"`): the pairs to check, opening mark
  then closing mark.

## Fix safety

No automatic fix: where the missing mark belongs is for the editor to decide.
"#;

pub static META: RuleMeta = RuleMeta {
    id: "unpaired-mark",
    summary: "Quotation marks, book-title marks or brackets that do not pair up in a paragraph",
    default_severity: Severity::Warning,
    default_enabled: true,
    fix: Fixability::None,
    docs: DOCS,
    options: "# The pairs to check, opening mark then closing mark\nmarks = \"“”‘’《》（）【】「」『』()\"\n",
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build };

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    #[serde(default = "default_marks")]
    marks: String,
}

fn default_marks() -> String {
    "“”‘’《》（）【】「」『』()".to_string()
}

fn build(table: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
    let o: Options = super::parse_options(table)?;
    let chars: Vec<char> = o.marks.chars().collect();
    if chars.len() % 2 != 0 || chars.is_empty() {
        return Err(OptionError {
            key: Some("marks".into()),
            message: "`marks` must list pairs: an opening mark, then its closing mark".into(),
        });
    }
    let pairs = chars.chunks(2).map(|c| (c[0], c[1])).collect();
    Ok(Box::new(UnpairedMark { pairs }))
}

struct UnpairedMark {
    pairs: Vec<(char, char)>,
}

/// An unpaired mark: byte offset, the mark as written, whether it opens, and its kind (the
/// opening mark of its pair, ASCII brackets counted as full-width ones).
type Unpaired = (usize, char, bool, char);

/// Unpaired marks of one paragraph, in order.
fn scan(doc: &Document, p: &Paragraph, pairs: &[(char, char)]) -> Vec<Unpaired> {
    let text = doc.text();
    let full_brackets = pairs.contains(&('（', '）'));
    let mut stack: Vec<(usize, char, char)> = Vec::new(); // offset, kind, as written
    let mut bad = Vec::new();
    for (base, s) in doc.prose(p) {
        for (i, raw) in doc.non_han(base, s) {
            // Almost every character is Han or plain text: reject those at once.
            if !matches!(raw as u32, 0x28 | 0x29 | 0x2018..=0x201F | 0x3008..=0x301F | 0xFF08 | 0xFF09)
            {
                continue;
            }
            let at = base + i;
            // Width is punctuation-width's business: "(9月1日）" pairs here.
            let c = match raw {
                '(' if full_brackets => '（',
                ')' if full_brackets => '）',
                c => c,
            };
            if let Some(&(o, _)) = pairs.iter().find(|(o, cl)| *o == c && *cl != c) {
                stack.push((at, o, raw));
                continue;
            }
            let Some(&(o, _)) = pairs.iter().find(|(_, cl)| *cl == c) else {
                continue;
            };
            // An apostrophe between Latin letters is not a quotation mark.
            if c == '’' {
                let prev = text[..at].chars().next_back();
                let next = text[at + c.len_utf8()..].chars().next();
                if prev.is_some_and(|x| x.is_ascii_alphabetic())
                    && next.is_some_and(|x| x.is_ascii_alphabetic())
                {
                    continue;
                }
            }
            match stack.iter().rposition(|&(_, kind, _)| kind == o) {
                Some(k) => {
                    // Everything opened after the partner was never closed.
                    for &(pos, kind, m) in &stack[k + 1..] {
                        bad.push((pos, m, true, kind));
                    }
                    stack.truncate(k);
                }
                None => bad.push((at, raw, false, o)),
            }
        }
    }
    bad.extend(stack.into_iter().map(|(pos, kind, m)| (pos, m, true, kind)));
    bad.sort_unstable();
    bad
}

impl UnpairedMark {
    /// The closing mark of the pair that `kind` opens (`m` itself when unknown).
    fn closing(&self, kind: char, m: char) -> char {
        self.pairs
            .iter()
            .find(|(o, _)| *o == kind)
            .map_or(m, |p| p.1)
    }
}

impl Rule for UnpairedMark {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let paras = &doc.paragraphs;
        // Each paragraph is scanned once; the next paragraph's result is reused.
        let scans: Vec<Vec<Unpaired>> = paras.iter().map(|p| scan(doc, p, &self.pairs)).collect();
        let mut carried: Vec<(usize, char)> = Vec::new(); // closings already explained as broken
        for (idx, p) in paras.iter().enumerate() {
            if matches!(p.block, Block::TableCell) {
                continue;
            }
            let bad = &scans[idx];
            let s = doc.para_text(p);
            let next_idx = (idx + 1..paras.len()).find(|&j| paras[j].zone != Zone::Caption);
            let next = next_idx.map(|j| &paras[j]);
            let empty = Vec::new();
            let next_bad = next_idx.map_or(&empty, |j| &scans[j]);
            // Two unclosed openings of one kind: the second was meant to close the first
            // ("“活力赛事”“避暑康养“等"): report it once, as the wrong mark.
            let mut wrong_way: Vec<usize> = Vec::new();
            let mut skip: Vec<usize> = Vec::new();
            for w in bad.windows(2) {
                let ((a, _, ao, ak), (b, _, bo, bk)) = (w[0], w[1]);
                if ao && bo && ak == bk && !skip.contains(&a) {
                    skip.push(a);
                    wrong_way.push(b);
                }
            }
            for &(pos, m, opening, kind) in bad {
                if skip.contains(&pos) {
                    continue;
                }
                if wrong_way.contains(&pos) {
                    let close = self.closing(kind, m);
                    out.push(
                        Finding::new(
                            pos..pos + m.len_utf8(),
                            format!("这里的“{m}”应为后半“{close}”"),
                        )
                        .label("方向写反")
                        .help(format!("改为“{close}”")),
                    );
                    continue;
                }
                if !opening {
                    if carried.contains(&(pos, m)) {
                        continue;
                    }
                    // "1）" opening a list item.
                    if pos == p.range.start
                        || (text::starts_with_list_marker(s) && pos < p.range.start + 8)
                    {
                        continue;
                    }
                    out.push(
                        Finding::new(pos..pos + m.len_utf8(), format!("“{m}”没有配对的前半"))
                            .label("多出的后半")
                            .help("补上前半，或删去多余的符号"),
                    );
                    continue;
                }
                let close = self.closing(kind, m);
                // A quotation running over paragraphs: this one opens with “, the next does too.
                if pos == p.range.start && next.is_some_and(|q| doc.para_text(q).starts_with(m)) {
                    continue;
                }
                // The partner opens the next paragraph: the paragraph was cut.
                if let Some(&(qpos, qm, _, _)) =
                    next_bad.iter().find(|(_, _, o, k)| !o && *k == kind)
                {
                    carried.push((qpos, qm));
                    out.push(
                        Finding::new(
                            pos..pos + m.len_utf8(),
                            format!("“{m}”的后半在下一段：段落像是在中间断开了"),
                        )
                        .label("前半在这里")
                        .with_label(qpos..qpos + qm.len_utf8(), "后半在下一段")
                        .help("符号本身没错：把断开的两段合成一段"),
                    );
                    continue;
                }
                out.push(
                    Finding::new(
                        pos..pos + m.len_utf8(),
                        format!("“{m}”没有配对的后半“{close}”"),
                    )
                    .label("没有闭合")
                    .help(format!("在该结束的地方补上“{close}”")),
                );
            }
        }
    }
}
