//! `kind = "consistency"`: an article uses one form of each group (其他/其它); the forms in the
//! minority are reported, pointing at the first use of the majority's.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::AhoCorasick;

use super::loader::{automaton, common, error, find_key, no_empty, toml_error, PackFile};
use super::schema::{Consistency, Quoted};
use super::{Matcher, PackRule};
use crate::diagnostic::Finding;
use crate::document::Document;
use crate::error::ConfigError;
use crate::rules::Fixability;

pub(super) fn load(
    file: &PackFile,
    id: &str,
    quoted: Quoted,
) -> Result<PackRule, Box<ConfigError>> {
    let r: Consistency = toml::from_str(&file.text).map_err(|e| toml_error(file, e))?;
    let mut variants = Vec::new();
    for (g, group) in r.groups.iter().enumerate() {
        if group.len() < 2 {
            return Err(error(
                file,
                "`groups` 的每一组至少要有两种写法".into(),
                find_key(&file.text, "groups"),
                None,
            ));
        }
        no_empty(file, "groups", group)?;
        variants.extend(group.iter().map(|v| (g, v.clone())));
    }
    let words: Vec<String> = variants.iter().map(|v| v.1.clone()).collect();
    let ac = automaton(file, &words, "groups")?;
    let (meta, scope, message, help, examples) = common(file, id, &r.common(), Fixability::None)?;
    Ok(PackRule {
        meta,
        scope,
        message,
        help,
        examples,
        matcher: Matcher::Consistency { ac, variants },
        words,
        shared: None,
        skip_quoted: r.quoted.unwrap_or(quoted) == Quoted::Skip,
    })
}

impl PackRule {
    pub(super) fn check_consistency(
        &self,
        doc: &Document,
        out: &mut Vec<Finding>,
        ac: &AhoCorasick,
        variants: &[(usize, String)],
    ) {
        for article in &doc.articles {
            // group -> variant -> uses
            let mut uses: HashMap<usize, Vec<(usize, Range<usize>)>> = HashMap::new();
            for p in doc.paragraphs[article.paragraphs.clone()]
                .iter()
                .filter(|p| self.in_scope(p.zone))
            {
                let mut quoted = None;
                for (base, s) in doc.prose(p) {
                    for (m, k) in self.find(doc, base, s, ac) {
                        if self.quoted(doc, p, &mut quoted, &(base + m.start..base + m.end)) {
                            continue;
                        }
                        uses.entry(variants[k].0)
                            .or_default()
                            .push((k, base + m.start..base + m.end));
                    }
                }
            }
            let mut groups: Vec<_> = uses.into_iter().collect();
            groups.sort_by_key(|(g, _)| *g);
            for (_, list) in groups {
                let mut counts: HashMap<usize, usize> = HashMap::new();
                for (k, _) in &list {
                    *counts.entry(*k).or_default() += 1;
                }
                if counts.len() < 2 {
                    continue;
                }
                let first_of = |k: usize| list.iter().position(|(x, _)| *x == k).unwrap_or(0);
                let (&major, _) = counts
                    .iter()
                    .max_by_key(|(k, n)| (**n, std::cmp::Reverse(first_of(**k))))
                    .expect("two variants");
                let first_major = list
                    .iter()
                    .find(|(k, _)| *k == major)
                    .map(|x| x.1.clone())
                    .unwrap_or(0..0);
                for (k, r) in list.iter().filter(|(k, _)| *k != major) {
                    out.push(
                        self.finding(r.clone(), &variants[*k].1, &variants[major].1)
                            .with_label(
                                first_major.clone(),
                                format!("这里写作“{}”", variants[major].1),
                            ),
                    );
                }
            }
        }
    }
}
