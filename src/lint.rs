//! Turning configuration into the set of rules that runs on a file, and running it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::catalog::Catalog;
use crate::config::{Config, Level};
use crate::diagnostic::{Diagnostic, Finding, Severity};
use crate::document::Document;
use crate::rules::{RepoKey, RepoSite, Rule};

/// `--select` / `--ignore`: rule ids, or a pack prefix (`typo` selects `typo/...`).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
}

fn selects(pattern: &str, id: &str) -> bool {
    pattern == id
        || pattern == "ALL"
        || id.strip_prefix(pattern).is_some_and(|r| r.starts_with('/'))
}

impl Selection {
    /// Every name must select at least one rule.
    pub fn validate(&self, catalog: &Catalog, plugins: &[&str]) -> Result<(), String> {
        let names = self.select.iter().flatten().chain(self.ignore.iter());
        for n in names {
            if !catalog.entries.iter().any(|e| selects(n, e.meta.id))
                && !plugins.contains(&n.as_str())
            {
                return Err(format!("未知的规则 `{n}`（`newslint rules` 列出全部规则）"));
            }
        }
        Ok(())
    }
}

/// Configured rules with their severities, in registry order.
pub struct RuleSet {
    rules: Vec<(Box<dyn Rule>, Severity)>,
}

impl RuleSet {
    /// Run every rule; diagnostics sorted by position, then rule.
    pub fn lint(&self, doc: &Document) -> Vec<Diagnostic> {
        self.lint_with(doc, Diagnostic::resolve)
    }

    /// [`RuleSet::lint`] with lines only, no columns (see [`Diagnostic::resolve_lines`]).
    pub fn lint_lines(&self, doc: &Document) -> Vec<Diagnostic> {
        self.lint_with(doc, Diagnostic::resolve_lines)
    }

    fn lint_with(
        &self,
        doc: &Document,
        resolve: fn(&str, Severity, Finding, &crate::source::SourceFile) -> Diagnostic,
    ) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let mut findings = Vec::new();
        for (rule, severity) in &self.rules {
            let t = crate::timings::start();
            rule.check(doc, &mut findings);
            let id = rule.meta().id;
            crate::timings::rule(id, t);
            out.extend(
                findings
                    .drain(..)
                    .map(|f| resolve(id, *severity, f, &doc.source)),
            );
        }
        sort_diagnostics(&mut out);
        out
    }

    /// Cross-file keys of every rule that has them, with the rule id.
    pub fn repo_keys(&self, doc: &Document) -> Vec<(&'static str, RepoKey)> {
        let mut out = Vec::new();
        let mut keys = Vec::new();
        for (rule, _) in &self.rules {
            rule.repo_keys(doc, &mut keys);
            out.extend(keys.drain(..).map(|k| (rule.meta().id, k)));
        }
        out
    }

    /// The repo finding of rule `id` for `key`, with the rule's configured severity.
    pub fn repo_finding(
        &self,
        id: &str,
        key: &RepoKey,
        first: &RepoSite,
    ) -> Option<(Finding, Severity)> {
        let (rule, sev) = self.rules.iter().find(|(r, _)| r.meta().id == id)?;
        rule.repo_finding(key, first).map(|f| (f, *sev))
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Whether a rule of the set reports across files.
    pub fn cross_file(&self) -> bool {
        self.rules.iter().any(|(r, _)| r.cross_file())
    }

    pub fn ids(&self) -> Vec<&'static str> {
        self.rules.iter().map(|(r, _)| r.meta().id).collect()
    }
}

/// The canonical order of diagnostics within a file.
pub fn sort_diagnostics(d: &mut [Diagnostic]) {
    d.sort_by(|a, b| {
        (a.range.start, &a.rule, a.range.end, &a.message).cmp(&(
            b.range.start,
            &b.rule,
            b.range.end,
            &b.message,
        ))
    });
}

/// The configuration and selection, with rule sets built once per combination of overrides.
pub struct Linter {
    pub config: Config,
    selection: Selection,
    cache: Mutex<HashMap<Vec<usize>, Arc<RuleSet>>>,
}

impl Linter {
    pub fn new(config: Config, selection: Selection) -> Result<Linter, String> {
        let plugins: Vec<&str> = config.plugins.iter().map(|p| p.name.as_str()).collect();
        selection.validate(&config.catalog, &plugins)?;
        let linter = Linter {
            config,
            selection,
            cache: Mutex::new(HashMap::new()),
        };
        // Build the base set now so that option errors surface before any file is read.
        linter.rules_with(Vec::new())?;
        Ok(linter)
    }

    /// Whether `--select`/`--ignore` let a rule id through (for plugin rules, known only when
    /// they report).
    pub fn selects(&self, id: &str) -> bool {
        let selected = self
            .selection
            .select
            .as_ref()
            .is_none_or(|s| s.iter().any(|p| selects(p, id)));
        selected && !self.selection.ignore.iter().any(|p| selects(p, id))
    }

    /// The rules that apply to `path`.
    pub fn rules_for(&self, path: &Path) -> Result<Arc<RuleSet>, String> {
        self.rules_with(self.config.overrides_for(path))
    }

    /// The rules with these overrides applied, built once.
    fn rules_with(&self, key: Vec<usize>) -> Result<Arc<RuleSet>, String> {
        if let Some(set) = self.cache.lock().map_err(|e| e.to_string())?.get(&key) {
            return Ok(set.clone());
        }
        let set = Arc::new(self.build(&key)?);
        self.cache
            .lock()
            .map_err(|e| e.to_string())?
            .insert(key, set.clone());
        Ok(set)
    }

    /// Whether some file of a run could get a rule that reports across files: the base rules,
    /// or the base with any one override (a later override can only turn it off again, so
    /// this never misses one).
    pub fn may_cross_file(&self) -> bool {
        let set = |key: Vec<usize>| self.rules_with(key).is_ok_and(|r| r.cross_file());
        set(vec![]) || (0..self.config.overrides.len()).any(|i| set(vec![i]))
    }

    fn build(&self, overrides: &[usize]) -> Result<RuleSet, String> {
        let mut rules = Vec::new();
        for entry in &self.config.catalog.entries {
            let meta = entry.meta;
            let default = Level::On(meta.default_severity);
            let mut level = if meta.default_enabled {
                default
            } else {
                Level::Off
            };
            let mut options = toml::Table::new();
            let tables = std::iter::once(self.config.rules.get(meta.id)).chain(
                overrides
                    .iter()
                    .map(|&i| self.config.overrides[i].rules.get(meta.id)),
            );
            for setting in tables.flatten() {
                if let Some(l) = setting.level {
                    level = l;
                }
                options.extend(setting.options.clone());
            }
            if let Some(select) = &self.selection.select {
                if select.iter().any(|s| selects(s, meta.id)) {
                    if level == Level::Off {
                        level = default;
                    }
                } else {
                    level = Level::Off;
                }
            }
            if self.selection.ignore.iter().any(|s| selects(s, meta.id)) {
                level = Level::Off;
            }
            if let Level::On(severity) = level {
                let rule = entry
                    .build(&options)
                    .map_err(|e| format!("规则 `{}` 的选项有误：{}", meta.id, e.message))?;
                rules.push((rule, severity));
            }
        }
        Ok(RuleSet { rules })
    }
}
