//! `typo/variants`: non-standard variant words (异形词), confirmed by the segmenter. See
//! [`DOCS`].

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use super::{self as typo, Table};
use crate::diagnostic::{Edit, Finding, Fix, Severity};
use crate::document::{quotes, scan_cache, Document};
use crate::rules::{Fixability, OptionError, Rule, RuleEntry, RuleMeta};

pub const DOCS: &str = r#"## What it does

Reports a variant word of 第一批异形词整理表 (2001) where the table recommends another form
(精采 → 精彩, 图象 → 图像, 百废具兴 → 百废俱兴): 378 of the table's 400 pairs
(`lints/typo-data/variants.tsv`; the 22 left out and why are in `variants-left-out.tsv`).

The characters of a variant often meet across two words (发展转向 holds 展转, 屈原故里 holds
原故, 220千伏输变电 holds 伏输), so a match is reported only when jieba's segmentation of the
clause keeps it whole or splits it only inside itself, it is not tagged as a person's name
(丁宁), no name touches it (希奇莱马, a president's name), and no place suffix follows it
(磁器口). 《》 titles, quotations in “”, and set phrases the dictionary knows (筚路蓝缕) are left alone.

## Why

GB/T and the press regulations follow the table; a paper mixing 精采 and 精彩 looks careless.

## Examples

Reported:

    晚会节目精采纷呈。                    (精采 → 精彩)

Not reported:

    从单个机构的发展转向县域医疗体系。    (发展 + 转向, not 展转)
    筚路蓝缕，以启山林。                  (a set phrase)

## Options

None.

## Fix safety

Unsafe: the fix writes the recommended form; a quotation may keep its original.
"#;

pub static META: RuleMeta = RuleMeta {
    id: Cow::Borrowed("typo/variants"),
    summary: Cow::Borrowed(
        "Non-standard variant words (异形词, 第一批异形词整理表): 精采 → 精彩, 图象 → 图像",
    ),
    default_severity: Severity::Warning,
    default_enabled: true,
    fix: Fixability::Unsafe,
    docs: Cow::Borrowed(DOCS),
    options: Cow::Borrowed(""),
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build };

fn build(table: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
    crate::rules::parse_options::<crate::rules::NoOptions>(&META, table)?;
    Ok(Box::new(Variants))
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| Table::parse(include_str!("../../../../../lints/typo-data/variants.tsv")))
}

/// The table's wrong forms: the packs' shared scan finds them with its own strings (see
/// `packs::scan`), once per document.
pub fn wrong_forms() -> &'static [&'static str] {
    &table().keys
}

/// The wrong forms in the body piece `s` at document offset `base`, as [`Table::find_iter`]
/// finds them (leftmost-longest, not overlapping, from the start of `s`), taken from `hits`:
/// every occurrence of every form in the document's prose, sorted by start and, at one start,
/// longest first. A body piece is a piece of prose or its end (the dateline cut off) at a
/// character boundary, so the occurrences inside it are those that start and end in it.
pub(crate) fn from_hits(hits: &[(usize, usize)], base: usize, s: &str) -> Vec<Range<usize>> {
    let end = base + s.len();
    let from = hits.partition_point(|&(start, _)| start < base);
    let mut out = Vec::new();
    let mut next = base;
    for &(start, stop) in hits[from..].iter().take_while(|h| h.0 < end) {
        if start >= next && stop <= end {
            out.push(start - base..stop - base);
            next = stop;
        }
    }
    out
}

struct Variants;

impl Rule for Variants {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let t = table();
        // The document's occurrences from the packs' shared scan, when it runs (none: done).
        let shared = scan_cache::table_hits(doc, wrong_forms());
        if shared.is_some_and(|h| h.is_empty()) {
            return;
        }
        for (_, base, s) in typo::body_pieces(doc) {
            let found = match shared {
                Some(hits) => from_hits(hits, base, s),
                None => t.find_iter(s),
            };
            // Quotations and titles keep their wording (the document model's quoted spans, as
            // the packs' `quoted = "skip"` reads them).
            let mut quoted = None;
            for m in found {
                let quoted = quoted.get_or_insert_with(|| quotes::spans(s));
                if quotes::within(quoted, &m) {
                    continue;
                }
                let v = &s[m.clone()];
                let Some(&(standard, _)) = t.entries.get(v) else {
                    continue;
                };
                if !confirmed(s, m.clone()) {
                    continue;
                }
                let r = base + m.start..base + m.end;
                let edits = typo::differing(v, standard, r.start)
                    .into_iter()
                    .map(|(range, _, y)| Edit {
                        range,
                        replacement: y.to_string(),
                    })
                    .collect();
                out.push(
                    Finding::new(r, format!("“{v}”是异形词，推荐写作“{standard}”"))
                        .label(format!("推荐“{standard}”"))
                        .help(format!("按《第一批异形词整理表》写作“{standard}”"))
                        .fix(Fix::unsafe_(edits)),
                );
            }
        }
    }
}

/// Whether the segmenter keeps `s[r]` together: token boundaries at both ends, and no name
/// next to it.
fn confirmed(s: &str, r: std::ops::Range<usize>) -> bool {
    let c = typo::clause(s, r.start, r.end, 12);
    let clause = &s[c.clone()];
    let local = r.start - c.start..r.end - c.start;
    let seg = typo::segment(clause);
    let named = seg
        .tokens
        .iter()
        .any(|(t, tag)| t.start < local.end && local.start < t.end && tag.starts_with("nr"));
    // A place name (磁器口, a street or a village) keeps its historic form.
    let place = clause[local.end..]
        .chars()
        .next()
        .is_some_and(|c| "口村镇乡街路巷桥寨".contains(c));
    seg.boundary_at(local.start)
        && seg.boundary_at(local.end)
        && !named
        && !place
        && !typo::near_name(&seg, clause, &local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_the_full_list_less_the_documented_exceptions() {
        let kept = table().keys.len();
        let left = include_str!("../../../../../lints/typo-data/variants-left-out.tsv")
            .lines()
            .count();
        assert_eq!(kept + left, 400);
    }

    #[test]
    fn across_words_is_not_a_variant() {
        let s = "从单个机构的发展转向县域医疗卫生体系";
        let at = s.find("展转").unwrap_or(0);
        assert!(!confirmed(s, at..at + 6));
        let s = "晚会节目精采纷呈";
        let at = s.find("精采").unwrap_or(0);
        assert!(confirmed(s, at..at + 6));
    }
}
