//! `typo/in-context`: a wrong character in a word (错别字), confirmed by the segmenter. See
//! [`DOCS`].

use std::sync::OnceLock;

use serde::Deserialize;

use super::{self as typo, Table};
use crate::diagnostic::{Edit, Finding, Fix, Severity};
use crate::document::Document;
use crate::rules::{Fixability, OptionError, Rule, RuleEntry, RuleMeta};

pub const DOCS: &str = r#"## What it does

Reports a word written with a wrong character that sounds or looks like the right one (陪偿 for
赔偿, 贫脊 for 贫瘠, 按磨 for 按摩), when the context confirms it.

Candidates come from a table of real misspellings (`lints/typo-data/confusion-pairs.tsv`: 1,996
pairs from macro-correct's confusion dictionary, Apache-2.0, kept only where the wrong form is not
a word of jieba's dictionary and the right one is). A candidate is reported only when the
segmenter agrees, on the clause around it:

- the corrected clause is at least `min-gain` (natural log) more probable than the written one
  under jieba's word frequencies (e^4 ≈ 55 times by default);
- the corrected word comes out of the segmenter as one word, and the written form does not sit
  inside a longer word of the clause;
- no person or place name (jieba's nr/ns tags, or a rare single character) touches it.

Only body text is read: headlines, captions, credits, datelines and 《》 titles are left alone.

## Why

A wrong character survives spell checking because each character is valid; copy desks count it
as the first error class (《报纸期刊质量管理规定》: at most 3 errors per 10,000 characters).

## Examples

Reported:

    保险公司按合同陪偿了全部损失。          (陪偿 → 赔偿: 音近)
    这里土地贫脊，缺水少雨。                (贫脊 → 贫瘠: 形近)

Not reported:

    保险公司按合同赔偿了全部损失。          (right)
    《陪偿》是一部小说。                    (inside a title)

## Options

- `min-gain` (number, default 4.0): how much more probable, as a natural log, the corrected
  clause must be.

## Fix safety

Unsafe: the fix puts the suggested character in, which a name or a quotation may not want.
"#;

pub static META: RuleMeta = RuleMeta {
    id: "typo/in-context",
    summary: "A wrong character in a word (陪偿 → 赔偿), confirmed by the segmenter in context",
    default_severity: Severity::Warning,
    default_enabled: true,
    fix: Fixability::Unsafe,
    docs: DOCS,
    options:
        "# How much more probable (natural log) the corrected clause must be\nmin-gain = 4.0\n",
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build };

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    #[serde(default = "default_gain")]
    min_gain: f64,
}

fn default_gain() -> f64 {
    4.0
}

fn build(table: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
    let o: Options = crate::rules::parse_options(table)?;
    if !o.min_gain.is_finite() || o.min_gain < 0.0 {
        return Err(OptionError {
            key: Some("min-gain".into()),
            message: "`min-gain` must be a number ≥ 0".into(),
        });
    }
    Ok(Box::new(InContext {
        min_gain: o.min_gain,
    }))
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| Table::parse(include_str!("../../../lints/typo-data/confusion-pairs.tsv")))
}

struct InContext {
    min_gain: f64,
}

impl Rule for InContext {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let t = table();
        for (_, base, s) in typo::body_pieces(doc) {
            let mut titles = None;
            for m in t.automaton.find_iter(s) {
                let titles = titles.get_or_insert_with(|| typo::title_spans(s));
                if titles
                    .iter()
                    .any(|r| r.start <= m.start() && m.end() <= r.end)
                {
                    continue;
                }
                let wrong = &s[m.range()];
                let Some(&(right, why)) = t.entries.get(wrong) else {
                    continue;
                };
                if let Some(f) = confirm(s, m.range(), right, why, self.min_gain) {
                    out.push(shift(f, base));
                }
            }
        }
    }
}

/// Move a finding made on a piece to document offsets.
fn shift(mut f: Finding, base: usize) -> Finding {
    f.range = f.range.start + base..f.range.end + base;
    for l in &mut f.labels {
        l.range = l.range.start + base..l.range.end + base;
    }
    if let Some(fix) = &mut f.fix {
        for e in &mut fix.edits {
            e.range = e.range.start + base..e.range.end + base;
        }
    }
    f
}

/// The finding for `s[r]` written for `right`, if the segmenter confirms it.
fn confirm(
    s: &str,
    r: std::ops::Range<usize>,
    right: &str,
    why: &str,
    min_gain: f64,
) -> Option<Finding> {
    const WINDOW: usize = 12;
    let c = typo::clause(s, r.start, r.end, WINDOW);
    let written = &s[c.clone()];
    let local = r.start - c.start..r.end - c.start;
    let corrected = format!(
        "{}{right}{}",
        &written[..local.start],
        &written[local.end..]
    );
    let seg_w = typo::segment(written);
    // The written form inside a longer word (逆竟 in a name, a word of the dictionary that
    // the table does not know) is no error of this shape.
    if !seg_w.boundary_at(local.start) || !seg_w.boundary_at(local.end) {
        return None;
    }
    let seg_c = typo::segment(&corrected);
    let local_c = local.start..local.start + right.len();
    if !seg_c.has_token(&local_c) {
        return None;
    }
    if typo::near_name(&seg_c, &corrected, &local_c) {
        return None;
    }
    let gain = seg_c.logp - seg_w.logp;
    if gain < min_gain {
        return None;
    }
    let wrong = &s[r.clone()];
    let diffs = typo::differing(wrong, right, r.start);
    let (a, b): (String, String) = diffs.iter().map(|(_, x, y)| (*x, *y)).unzip();
    let relation = match why {
        "音近" | "形近" => format!("“{a}”与“{b}”{why}"),
        "音形皆近" => format!("“{a}”与“{b}”音近、形近"),
        _ => format!("“{b}”常被误写作“{a}”"),
    };
    let edits = diffs
        .iter()
        .map(|(range, _, y)| Edit {
            range: range.clone(),
            replacement: y.to_string(),
        })
        .collect();
    Some(
        Finding::new(r, format!("“{wrong}”疑为“{right}”之误"))
            .label(format!("应为“{right}”"))
            .help(format!(
                "{relation}；此处应为“{right}”（按分词词频，改后的分句可能性高约 {:.0} 倍）",
                gain.exp().min(1e9)
            ))
            .fix(Fix::unsafe_(edits)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_entry_is_one_to_one_in_characters() {
        let t = table();
        assert!(t.keys.len() > 1000, "{}", t.keys.len());
        for (w, (r, _)) in &t.entries {
            assert_eq!(w.chars().count(), r.chars().count(), "{w} {r}");
            assert_ne!(w, r);
        }
    }

    #[test]
    fn confirmed_in_context_only() {
        let s = "保险公司按合同陪偿了全部损失";
        let at = s.find("陪偿").unwrap_or(0);
        let f = confirm(s, at..at + 6, "赔偿", "音近", 4.0);
        let f = f.expect("reported");
        assert!(f.help.as_deref().unwrap_or("").contains("“陪”与“赔”音近"));
        // A gain threshold no context can reach.
        assert!(confirm(s, at..at + 6, "赔偿", "音近", 1e6).is_none());
    }
}
