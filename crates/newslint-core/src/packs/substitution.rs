//! `kind = "substitution"`: a wrong form and its right one (`swap`, or `[[entry]]` with context
//! before and after), fixed as the file says.

use std::ops::Range;

use aho_corasick::AhoCorasick;

use super::loader::{automaton, check_entry, common, error, find_key, toml_error, PackFile};
use super::schema::{Entry, Quoted, Substitution};
use super::{Matcher, PackRule};
use crate::diagnostic::{Edit, Finding, Fix};
use crate::document::Document;
use crate::error::ConfigError;
use crate::rules::Fixability;

pub(super) fn load(
    file: &PackFile,
    id: &str,
    span: Range<usize>,
    quoted: Quoted,
) -> Result<PackRule, Box<ConfigError>> {
    let mut r: Substitution = toml::from_str(&file.text).map_err(|e| toml_error(file, e))?;
    for e in &r.entry {
        check_entry(file, e, false)?;
    }
    for (wrong, right) in std::mem::take(&mut r.swap) {
        let Some(right) = right.as_str() else {
            return Err(error(
                file,
                format!("`swap` 里“{wrong}”的值必须是字符串"),
                find_key(&file.text, &wrong),
                None,
            ));
        };
        let entry = Entry {
            wrong,
            right: right.to_string(),
            not_before: vec![],
            not_after: vec![],
            only_after: vec![],
            only_before: vec![],
        };
        check_entry(file, &entry, true)?;
        r.entry.push(entry);
    }
    if r.entry.is_empty() {
        return Err(error(
            file,
            "substitution 规则至少要有一项 `swap` 或 `[[entry]]`".into(),
            Some(span),
            None,
        ));
    }
    let fix = match r.fix.as_str() {
        "safe" => Some(true),
        "unsafe" => Some(false),
        "none" => None,
        v => {
            return Err(error(
                file,
                format!("`fix` 的值无效：\"{v}\""),
                find_key(&file.text, "fix"),
                Some("可用的值：\"safe\"、\"unsafe\"、\"none\"".into()),
            ))
        }
    };
    let mut wrongs: Vec<String> = Vec::new();
    let mut by_wrong: Vec<Vec<usize>> = Vec::new();
    for (i, e) in r.entry.iter().enumerate() {
        match wrongs.iter().position(|w| *w == e.wrong) {
            Some(k) => by_wrong[k].push(i),
            None => {
                wrongs.push(e.wrong.clone());
                by_wrong.push(vec![i]);
            }
        }
    }
    let ac = automaton(file, &wrongs, "swap")?;
    let fixability = match fix {
        Some(true) => Fixability::Safe,
        Some(false) => Fixability::Unsafe,
        None => Fixability::None,
    };
    let (meta, scope, message, help, examples) = common(file, id, &r.common(), fixability)?;
    Ok(PackRule {
        meta,
        scope,
        message,
        help,
        examples,
        matcher: Matcher::Substitution {
            ac,
            entries: r.entry,
            by_wrong,
            fix,
        },
        words: wrongs,
        shared: None,
        skip_quoted: r.quoted.unwrap_or(quoted) == Quoted::Skip,
    })
}

impl PackRule {
    pub(super) fn check_substitution(
        &self,
        doc: &Document,
        out: &mut Vec<Finding>,
        ac: &AhoCorasick,
        entries: &[Entry],
        by_wrong: &[Vec<usize>],
        fix: &Option<bool>,
    ) {
        for p in doc.paragraphs.iter().filter(|p| self.in_scope(p.zone)) {
            let mut quoted = None;
            for (base, s) in doc.prose(p) {
                for (m, pattern) in self.find(doc, base, s, ac) {
                    let candidates = &by_wrong[pattern];
                    let Some(e) = candidates
                        .iter()
                        .map(|&i| &entries[i])
                        .find(|e| context_ok(e, s, m.start, m.end))
                    else {
                        continue;
                    };
                    let r = base + m.start..base + m.end;
                    if self.quoted(doc, p, &mut quoted, &r) {
                        continue;
                    }
                    let mut f = self.finding(r.clone(), &e.wrong, &e.right);
                    if let Some(safe) = fix {
                        let edit = vec![Edit {
                            range: r,
                            replacement: e.right.clone(),
                        }];
                        f = f.fix(if *safe {
                            Fix::safe(edit)
                        } else {
                            Fix::unsafe_(edit)
                        });
                    }
                    out.push(f);
                }
            }
        }
    }
}

/// Does `entry` apply at `start..end` of `s`, given its context lists?
fn context_ok(e: &Entry, s: &str, start: usize, end: usize) -> bool {
    let before = &s[..start];
    let after = &s[end..];
    if e.not_before.iter().any(|x| before.ends_with(x.as_str()))
        || e.not_after.iter().any(|x| after.starts_with(x.as_str()))
    {
        return false;
    }
    (e.only_after.is_empty() || e.only_after.iter().any(|x| after.starts_with(x.as_str())))
        && (e.only_before.is_empty() || e.only_before.iter().any(|x| before.ends_with(x.as_str())))
}
