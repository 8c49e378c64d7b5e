//! `unpaired-mark`: quotation marks, book-title marks and brackets that do not pair up within a
//! paragraph. See [`DOCS`].

use serde::Deserialize;
use std::borrow::Cow;

use super::{Fixability, OptionError, Rule, RuleEntry, RuleMeta};
use crate::diagnostic::{Finding, Severity};
use crate::document::{class, is_terminated, Block, Document, Paragraph, Zone};
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
  it (the convention of Chinese typesetting: legal amendments quoted article by article);
- a note in （…） or 【…】 over up to four paragraphs, each complete (it ends a sentence);
- list markers such as "1）" at the start of a paragraph;
- an apostrophe between Latin letters (O’Brien).

## Options

- `marks` (string): the pairs to check, opening mark
  then closing mark.

## Fix safety

No automatic fix: where the missing mark belongs is for the editor to decide.
"#;

pub static META: RuleMeta = RuleMeta {
    id: Cow::Borrowed("unpaired-mark"),
    summary: Cow::Borrowed("Quotation marks, book-title marks or brackets that do not pair up in a paragraph"),
    default_severity: Severity::Warning,
    default_enabled: true,
    fix: Fixability::None,
    docs: Cow::Borrowed(DOCS),
    options: Cow::Borrowed("# The pairs to check, opening mark then closing mark\nmarks = \"“”‘’《》（）【】「」『』()\"\n"),
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build };

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    marks: String,
}

fn build(table: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
    let o: Options = super::parse_options(&META, table)?;
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

/// Unpaired marks of one paragraph, in order. `stack` is scratch space (offset, kind, as
/// written), empty on entry and on return: one allocation for the document, not one a
/// paragraph.
fn scan(
    doc: &Document,
    p: &Paragraph,
    pairs: &[(char, char)],
    stack: &mut Vec<(usize, char, char)>,
) -> Vec<Unpaired> {
    let text = doc.text();
    let full_brackets = pairs.contains(&('（', '）'));
    debug_assert!(stack.is_empty());
    let mut bad = Vec::new();
    for (base, s) in doc.prose(p) {
        // Only quotation marks and brackets: the index passes over the rest undecoded.
        for (i, raw) in doc.non_han_in(base, s, class::PAIRED) {
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
    bad.extend(stack.drain(..).map(|(pos, kind, m)| (pos, m, true, kind)));
    bad.sort_unstable();
    bad
}

/// What a mark is called: 前引号, 后书名号 … (`opening` says which half an unknown mark is).
/// Messages name marks instead of quoting them: 前引号 reads, ““”…后半“”” does not.
fn short(c: char, opening: bool) -> String {
    let (half, kind) = match c {
        '“' => ("前", "引号"),
        '”' => ("后", "引号"),
        '‘' => ("前", "单引号"),
        '’' => ("后", "单引号"),
        '《' => ("前", "书名号"),
        '》' => ("后", "书名号"),
        '（' | '(' => ("前", "括号"),
        '）' | ')' => ("后", "括号"),
        '【' => ("前", "方头括号"),
        '】' => ("后", "方头括号"),
        '「' => ("前", "直角引号"),
        '」' => ("后", "直角引号"),
        '『' => ("前", "双直角引号"),
        '』' => ("后", "双直角引号"),
        _ => (if opening { "前" } else { "后" }, "半符号"),
    };
    format!("{half}{kind}")
}

/// How a message names a mark: quotation marks by name only (前引号: quoting a quotation mark in
/// quotation marks, ““”, does not read), other marks by name and mark (前括号“（”).
pub(crate) fn name(c: char, opening: bool) -> String {
    if "“”‘’「」『』".contains(c) {
        short(c, opening)
    } else {
        format!("{}“{c}”", short(c, opening))
    }
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
        let mut stack = Vec::new();
        let scans: Vec<Vec<Unpaired>> = paras
            .iter()
            .map(|p| scan(doc, p, &self.pairs, &mut stack))
            .collect();
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
                            format!("这里的{}应为{}", name(m, true), name(close, false)),
                        )
                        .label("方向写反")
                        .help(format!("改为{}", name(close, false))),
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
                    let open = name(kind, true);
                    out.push(
                        Finding::new(
                            pos..pos + m.len_utf8(),
                            format!("{}没有配对的{}", name(m, false), short(kind, true)),
                        )
                        .label(format!("多出的{}", short(m, false)))
                        .help(format!("补上{open}，或删去多余的符号")),
                    );
                    continue;
                }
                let close = self.closing(kind, m);
                // A quotation running over paragraphs: this one opens with “, the next does too.
                if pos == p.range.start && next.is_some_and(|q| doc.para_text(q).starts_with(m)) {
                    continue;
                }
                // A note in brackets over paragraphs ("（注：……。⏎……。）"): every paragraph up to
                // the one that closes it is complete, so nothing was cut.
                if matches!(kind, '（' | '【') && is_terminated(s) {
                    let mut partner = None;
                    for j in idx + 1..(idx + 4).min(paras.len()) {
                        let found = scans[j].iter().find(|(_, _, o, k)| !o && *k == kind);
                        if let Some(&(qpos, qm, _, _)) = found {
                            partner = Some((qpos, qm));
                            break;
                        }
                        if !is_terminated(doc.para_text(&paras[j])) {
                            break;
                        }
                    }
                    if let Some(q) = partner {
                        carried.push(q);
                        continue;
                    }
                }
                // The partner opens the next paragraph: the paragraph was cut.
                if let Some(&(qpos, qm, _, _)) =
                    next_bad.iter().find(|(_, _, o, k)| !o && *k == kind)
                {
                    carried.push((qpos, qm));
                    out.push(
                        Finding::new(
                            pos..pos + m.len_utf8(),
                            format!(
                                "{}的{}在下一段：段落像是在中间断开了",
                                name(m, true),
                                short(qm, false)
                            ),
                        )
                        .label(format!("{}在这里", short(m, true)))
                        .with_label(
                            qpos..qpos + qm.len_utf8(),
                            format!("{}在下一段", short(qm, false)),
                        )
                        .help("符号本身没错：把断开的两段合成一段"),
                    );
                    continue;
                }
                out.push(
                    Finding::new(
                        pos..pos + m.len_utf8(),
                        format!("{}没有配对的{}", name(m, true), name(close, false)),
                    )
                    .label("没有闭合")
                    .help(format!("在该结束的地方补上{}", short(close, false))),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {

    fn messages(text: &str) -> Vec<String> {
        let out = crate::rules::findings_with_defaults(&super::ENTRY, text);
        out.iter()
            .flat_map(|f| {
                let mut v = vec![f.message.to_string(), f.label.to_string()];
                v.extend(f.help.as_deref().map(str::to_string));
                v.extend(f.labels.iter().map(|l| l.message.to_string()));
                v
            })
            .collect()
    }

    /// Issue 15: quote marks are named 前引号/后引号, never quoted in quotation marks.
    #[test]
    fn messages_name_quotation_marks() {
        let cases = [
            (
                "标题\n\n“聊城是个美丽的城市，东昌湖真漂亮！他说。\n",
                "前引号没有配对的后引号",
            ),
            (
                "标题\n\n推进中国式现代化作为最大的政治”。广大干部群众表示赞同。\n",
                "后引号没有配对的前引号",
            ),
            (
                "标题\n\n黑龙江推出“活力赛事”“避暑康养“等十大类主题旅游产品。\n",
                "这里的前引号应为后引号",
            ),
            (
                "标题\n\n以“区域性军粮配\n\n送中心”项目建设为依托。\n",
                "前引号的后引号在下一段",
            ),
        ];
        for (text, want) in cases {
            let m = messages(text);
            assert!(m.iter().any(|x| x.contains(want)), "{want} not in {m:?}");
            for x in &m {
                assert!(
                    !x.contains("““") && !x.contains("“”") && !x.contains("后半"),
                    "{x}"
                );
            }
        }
        // Other marks keep the mark beside the name.
        let m = messages("标题\n\n出台《关于促进经济文化交流合作的若干措施，提出建议。\n");
        assert!(
            m.iter()
                .any(|x| x.contains("前书名号“《”没有配对的后书名号“》”")),
            "{m:?}"
        );
    }
}
