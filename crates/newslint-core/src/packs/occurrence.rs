//! `kind = "occurrence"`: a sentence, paragraph or article longer than `max-chars`, or with more
//! than `max` of some `tokens`.

use std::ops::Range;

use aho_corasick::AhoCorasick;

use super::loader::{automaton, common, error, find_key, no_empty, toml_error, PackFile};
use super::schema::Occurrence;
use super::{Matcher, PackRule, Unit};
use crate::diagnostic::Finding;
use crate::document::Document;
use crate::error::ConfigError;
use crate::rules::Fixability;

pub(super) fn load(
    file: &PackFile,
    id: &str,
    span: Range<usize>,
) -> Result<PackRule, Box<ConfigError>> {
    let r: Occurrence = toml::from_str(&file.text).map_err(|e| toml_error(file, e))?;
    let unit = match r.unit.as_str() {
        "sentence" => Unit::Sentence,
        "paragraph" => Unit::Paragraph,
        "article" => Unit::Article,
        v => {
            return Err(error(
                file,
                format!("`unit` 的值无效：\"{v}\""),
                find_key(&file.text, "unit"),
                Some("可用的值：\"sentence\"、\"paragraph\"、\"article\"".into()),
            ))
        }
    };
    if r.max_chars.is_none() && (r.tokens.is_empty() || r.max.is_none()) {
        return Err(error(
            file,
            "occurrence 规则需要 `max-chars`，或 `tokens` 加 `max`".into(),
            Some(span),
            None,
        ));
    }
    no_empty(file, "tokens", &r.tokens)?;
    let tokens = if r.tokens.is_empty() {
        None
    } else {
        Some(automaton(file, &r.tokens, "tokens")?)
    };
    let (meta, scope, message, help, examples) = common(file, id, &r.common(), Fixability::None)?;
    Ok(PackRule {
        meta,
        scope,
        message,
        help,
        examples,
        matcher: Matcher::Occurrence {
            unit,
            max_chars: r.max_chars,
            tokens,
            max: r.max.unwrap_or(usize::MAX),
        },
        words: r.tokens,
        shared: None,
        skip_quoted: false,
    })
}

impl PackRule {
    pub(super) fn check_occurrence(
        &self,
        doc: &Document,
        out: &mut Vec<Finding>,
        unit: &Unit,
        max_chars: &Option<usize>,
        tokens: &Option<AhoCorasick>,
        max: &usize,
    ) {
        let mut units: Vec<Vec<(usize, &str)>> = Vec::new();
        match unit {
            Unit::Article => {
                for a in &doc.articles {
                    units.push(
                        doc.paragraphs[a.paragraphs.clone()]
                            .iter()
                            .filter(|p| self.in_scope(p.zone))
                            .flat_map(|p| doc.prose(p))
                            .collect(),
                    );
                }
            }
            Unit::Paragraph => {
                for p in doc.paragraphs.iter().filter(|p| self.in_scope(p.zone)) {
                    units.push(doc.prose(p).collect());
                }
            }
            Unit::Sentence => {
                for p in doc.paragraphs.iter().filter(|p| self.in_scope(p.zone)) {
                    for (base, s) in doc.prose(p) {
                        let mut start = 0;
                        for (i, c) in s.char_indices() {
                            if matches!(c, '。' | '！' | '？' | '!' | '?') {
                                let end = i + c.len_utf8();
                                units.push(vec![(base + start, &s[start..end])]);
                                start = end;
                            }
                        }
                        if start < s.len() {
                            units.push(vec![(base + start, &s[start..])]);
                        }
                    }
                }
            }
        }
        for u in units {
            let (Some(first), Some(last)) = (u.first(), u.last()) else {
                continue;
            };
            let range = first.0..last.0 + last.1.len();
            let chars: usize = u
                .iter()
                .map(|(_, s)| s.chars().filter(|c| !c.is_whitespace()).count())
                .sum();
            if let Some(limit) = max_chars {
                if chars > *limit {
                    out.push(self.finding(range.clone(), &chars.to_string(), &limit.to_string()));
                    continue;
                }
            }
            if let Some(ac) = tokens {
                let n: usize = u
                    .iter()
                    .map(|(base, s)| self.find(doc, *base, s, ac).len())
                    .sum();
                if n > *max {
                    out.push(self.finding(range, &n.to_string(), &max.to_string()));
                }
            }
        }
    }
}
