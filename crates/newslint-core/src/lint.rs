//! Turning configuration into the set of rules that runs on a file, and running it.
//!
//! A run may meet several configs: as in ruff and typos, each file uses the `.lintrc.toml`
//! nearest to it (see [`Linter::discovering`]); the config found from the current folder (or
//! the defaults) is the fallback for files with none above them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use crate::catalog::{Catalog, Entry};
use crate::config::{Config, ConfigError, Level};
use crate::diagnostic::{Diagnostic, Finding, Severity};
use crate::document::Document;
use crate::error::LintError;
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
    pub fn validate(&self, catalog: &Catalog, plugins: &[&str]) -> Result<(), LintError> {
        let names = self.select.iter().flatten().chain(self.ignore.iter());
        for n in names {
            if !catalog.entries.iter().any(|e| selects(n, &e.meta.id))
                && !plugins.contains(&n.as_str())
            {
                return Err(LintError::UnknownRule(n.clone()));
            }
        }
        Ok(())
    }
}

/// From this size on, a document's rules run in parallel (see [`RuleSet::lint`]): a large file
/// (see [`crate::source::LARGE_FILE_BYTES`]).
pub const PARALLEL_RULES_BYTES: usize = crate::source::LARGE_FILE_BYTES;

/// Findings a task resolves when a large file's findings are resolved in parallel.
const RESOLVE_CHUNK: usize = 2048;

/// How a rule's findings are resolved in place: with every position, or lines only.
type Resolve = fn(&mut Diagnostic, Cow<'static, str>, Severity, &crate::source::SourceFile);

/// Configured rules with their severities, in registry order.
pub struct RuleSet {
    rules: Vec<(Box<dyn Rule>, Severity)>,
}

impl RuleSet {
    /// Run every rule; diagnostics sorted by position, then rule.
    pub fn lint(&self, doc: &Document) -> Vec<Diagnostic> {
        self.lint_with(doc, Diagnostic::resolve_in_place)
    }

    /// [`RuleSet::lint`] with lines only, no columns (see
    /// [`Diagnostic::resolve_lines_in_place`]).
    pub fn lint_lines(&self, doc: &Document) -> Vec<Diagnostic> {
        self.lint_with(doc, Diagnostic::resolve_lines_in_place)
    }

    fn lint_with(&self, doc: &Document, resolve: Resolve) -> Vec<Diagnostic> {
        let parallel = doc.text().len() >= PARALLEL_RULES_BYTES;
        self.lint_in(doc, resolve, parallel)
    }

    /// [`RuleSet::lint_with`], the rules run one after the other or in parallel. A rule's
    /// findings become diagnostics where they are (a finding is a diagnostic with its rule,
    /// severity and positions still to fill in): no second list of them is ever held.
    fn lint_in(&self, doc: &Document, resolve: Resolve, parallel: bool) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if parallel && self.rules.len() > 1 {
            // One large file keeps one worker busy while the others wait: its rules run in
            // parallel instead. Each rule's findings are resolved in rule order as below, so the
            // report is the same.
            use rayon::prelude::*;
            let mut found: Vec<Vec<Diagnostic>> = self
                .rules
                .par_iter()
                .map(|(rule, severity)| {
                    let mut findings = Vec::new();
                    let t = crate::timings::start();
                    rule.check(doc, &mut findings);
                    let id = &rule.meta().id;
                    crate::timings::rule(id, t);
                    // The rule that runs longest (on a large file, duplicate-paragraph with its
                    // hundreds of thousands of repeats) finishes last: its positions are
                    // computed on every core, not on its one.
                    findings.par_chunks_mut(RESOLVE_CHUNK).for_each(|c| {
                        for f in c {
                            resolve(f, id.clone(), *severity, &doc.source);
                        }
                    });
                    findings
                })
                .collect();
            // The largest rule's findings (on a large file, often nearly all of them) become
            // the output, the others appended: moving them into a new list would hold them
            // twice. The order before sorting does not matter: findings that compare equal
            // have the same rule, and each rule's keep their order.
            let largest = (0..found.len())
                .max_by_key(|&i| found[i].len())
                .unwrap_or(0);
            if !found.is_empty() {
                out = found.swap_remove(largest);
            }
            out.reserve_exact(found.iter().map(Vec::len).sum());
            for rest in found {
                out.extend(rest);
            }
        } else {
            // Each rule gets an empty list (some look at their own earlier findings).
            let mut findings = Vec::new();
            for (rule, severity) in &self.rules {
                let t = crate::timings::start();
                rule.check(doc, &mut findings);
                let id = &rule.meta().id;
                crate::timings::rule(id, t);
                for f in &mut findings {
                    resolve(f, id.clone(), *severity, &doc.source);
                }
                if out.is_empty() {
                    std::mem::swap(&mut out, &mut findings);
                } else {
                    out.append(&mut findings);
                }
            }
        }
        sort_diagnostics(&mut out);
        out
    }

    /// Cross-file keys of every rule that has them, with the rule id.
    pub fn repo_keys(&self, doc: &Document) -> Vec<(Cow<'static, str>, RepoKey)> {
        let mut out = Vec::new();
        let mut keys = Vec::new();
        for (rule, _) in &self.rules {
            rule.repo_keys(doc, &mut keys);
            let id = &rule.meta().id;
            out.extend(keys.drain(..).map(|k| (id.clone(), k)));
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

    pub fn ids(&self) -> Vec<&str> {
        self.rules.iter().map(|(r, _)| &*r.meta().id).collect()
    }
}

/// The canonical order of diagnostics within a file: by start, rule, end, then message.
pub(crate) fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    (a.range.start, &a.rule, a.range.end, &a.message).cmp(&(
        b.range.start,
        &b.rule,
        b.range.end,
        &b.message,
    ))
}

/// Sort a file's diagnostics into the canonical [`order`].
pub fn sort_diagnostics(d: &mut [Diagnostic]) {
    // A stable sort's scratch space is half the slice: for the findings of a large file
    // (hundreds of thousands), sort their indices instead and move each finding once.
    const BY_INDEX: usize = 4096;
    // Sorted again after plugins and directives add theirs: usually nothing moves.
    if d.is_sorted_by(|a, b| order(a, b).is_le()) {
        return;
    }
    if d.len() < BY_INDEX || u32::try_from(d.len()).is_err() {
        d.sort_by(order);
        return;
    }
    let mut idx = match sorted_by_key(d) {
        Some(idx) => idx,
        None => {
            let mut idx: Vec<u32> = (0..d.len() as u32).collect();
            idx.sort_by(|&a, &b| order(&d[a as usize], &d[b as usize]));
            idx
        }
    };
    permute(d, &mut idx);
}

/// The indices of `d` in [`order`], found by sorting one integer a finding instead of comparing
/// findings (a large file's hundreds of thousands, where each comparison reads two findings and
/// may compare their rule ids): `start << 96 | rank << 64 | end << 32 | index`, the rank being
/// the rule id's place among the ids present. Keys equal but for the index (same start, rule
/// and end) are then put in the order of their messages, stably. `None` when an offset does not
/// fit 32 bits.
fn sorted_by_key(d: &[Diagnostic]) -> Option<Vec<u32>> {
    let mut ids: Vec<&str> = Vec::new();
    // The same id is usually the same literal: compared by address first.
    let same = |a: &str, b: &str| std::ptr::eq(a, b) || a == b;
    for x in d {
        if !ids.last().is_some_and(|l| same(l, &x.rule)) {
            if let Err(at) = ids.binary_search(&&*x.rule) {
                ids.insert(at, &x.rule);
            }
        }
    }
    let mut keys = Vec::with_capacity(d.len());
    // The rank of the last id seen ("" is the least id, rank 0 if present).
    let mut last: (&str, u128) = ("", 0);
    for (i, x) in d.iter().enumerate() {
        if !same(&x.rule, last.0) {
            let rank = ids.binary_search(&&*x.rule).unwrap_or(0);
            last = (&x.rule, rank as u128);
        }
        let start = u32::try_from(x.range.start).ok()? as u128;
        let end = u32::try_from(x.range.end).ok()? as u128;
        keys.push(start << 96 | last.1 << 64 | end << 32 | i as u128);
    }
    keys.sort_unstable();
    let mut idx: Vec<u32> = keys.iter().map(|&k| k as u32).collect();
    // Runs of equal (start, rule, end): by message, in index order where messages are equal.
    let mut from = 0;
    while from < keys.len() {
        let mut to = from + 1;
        while to < keys.len() && keys[to] >> 32 == keys[from] >> 32 {
            to += 1;
        }
        if to - from > 1 {
            idx[from..to].sort_by(|&a, &b| d[a as usize].message.cmp(&d[b as usize].message));
        }
        from = to;
    }
    Some(idx)
}

/// Reorder `d` so that position `j` holds what was at `idx[j]`, in place, following each
/// cycle of the permutation (`idx` is used up). Each item is moved once: the first of a cycle
/// is taken out, the others moved up into the gap it leaves, and it is put in the last gap (a
/// large file's hundreds of thousands of findings, over 200 bytes each, were swapped before: three
/// moves an item). Panics, before moving anything, when `idx` is not a permutation.
pub(crate) fn permute<T>(d: &mut [T], idx: &mut [u32]) {
    assert_eq!(d.len(), idx.len());
    let mut seen = vec![false; idx.len()];
    for &k in idx.iter() {
        let k = k as usize;
        assert!(k < seen.len() && !seen[k], "not a permutation");
        seen[k] = true;
    }
    drop(seen);
    let p = d.as_mut_ptr();
    for s in 0..idx.len() {
        if idx[s] as usize == s {
            continue;
        }
        // SAFETY: every index is in bounds and each is the target of one move (checked above),
        // so each item is read once and written once, and no code between the read of the
        // first item and its write can panic (no index operation, no user code): no item is
        // dropped twice or lost.
        unsafe {
            let first = std::ptr::read(p.add(s));
            let mut j = s;
            loop {
                let k = *idx.get_unchecked(j) as usize;
                *idx.get_unchecked_mut(j) = j as u32;
                if k == s {
                    std::ptr::write(p.add(j), first);
                    break;
                }
                std::ptr::copy_nonoverlapping(p.add(k), p.add(j), 1);
                j = k;
            }
        }
    }
}

/// The configuration and selection, with rule sets built once per combination of overrides.
pub struct Linter {
    pub config: Config,
    selection: Selection,
    cache: Mutex<HashMap<Vec<usize>, Arc<RuleSet>>>,
    /// The configs found nearer to files than `config`, when discovery is on.
    nested: Arc<Nested>,
}

/// The linter a file uses: the run's own, or one of a config nearer to the file.
pub enum Scoped<'a> {
    Root(&'a Linter),
    Nested(Arc<Linter>),
}

impl std::ops::Deref for Scoped<'_> {
    type Target = Linter;
    fn deref(&self) -> &Linter {
        match self {
            Scoped::Root(l) => l,
            Scoped::Nested(l) => l,
        }
    }
}

/// Per-folder config discovery: folder → the nearest config at or above it, each config file
/// loaded once. Shared with the walker, which prunes folders by the config of their parent.
struct Nested {
    enabled: bool,
    selection: Selection,
    /// The folder relative paths start from (the process's, captured once).
    cwd: PathBuf,
    /// The file of the run's own config, which is not loaded a second time.
    root_file: Option<PathBuf>,
    state: RwLock<NestedState>,
}

#[derive(Default)]
struct NestedState {
    /// Normalised absolute folder → index into `linters`; `None` is the run's own config.
    dirs: HashMap<PathBuf, Option<usize>>,
    /// The same by folder as named (the bytes of a file path before its last separator): the
    /// lookup of every file, a few times each, without making paths absolute or splitting them
    /// into components.
    named: HashMap<Vec<u8>, Option<usize>>,
    linters: Vec<Arc<Linter>>,
    /// Configs that could not be loaded, reported before anything is linted.
    errors: Vec<ConfigError>,
}

impl Nested {
    fn off() -> Nested {
        Nested {
            enabled: false,
            selection: Selection::default(),
            cwd: PathBuf::new(),
            root_file: None,
            state: RwLock::new(NestedState::default()),
        }
    }

    /// The config of files in folder `dir` (absolute and normalised): `None` for the run's own.
    fn index_for_dir(&self, dir: &Path) -> Option<usize> {
        if !self.enabled {
            return None;
        }
        if let Ok(state) = self.state.read() {
            if let Some(&found) = state.dirs.get(dir) {
                return found;
            }
        }
        // Discover under the write lock, so that a config is loaded once.
        let Ok(mut state) = self.state.write() else {
            return None;
        };
        let mut pending: Vec<&Path> = Vec::new();
        let mut found = None;
        for folder in dir.ancestors() {
            if let Some(&f) = state.dirs.get(folder) {
                found = f;
                break;
            }
            pending.push(folder);
            let file = folder.join(crate::config::CONFIG_FILE);
            if file.is_file() {
                found = self.load(&file, &mut state);
                break;
            }
        }
        for folder in pending {
            state.dirs.insert(folder.to_path_buf(), found);
        }
        found
    }

    fn load(&self, file: &Path, state: &mut NestedState) -> Option<usize> {
        if self.root_file.as_deref() == Some(file) {
            return None;
        }
        // Named as the user would type it: relative to the current folder when below it.
        let shown = file.strip_prefix(&self.cwd).unwrap_or(file);
        let linter = Config::load(shown).and_then(|config| {
            Linter::build(config, self.selection.clone(), Arc::new(Nested::off()))
                .map_err(|e| Box::new(ConfigError::plain(e.to_string(), Some(shown))))
        });
        match linter {
            Ok(l) => {
                state.linters.push(Arc::new(l));
                Some(state.linters.len() - 1)
            }
            Err(e) => {
                state.errors.push(*e);
                None
            }
        }
    }

    fn linter(&self, index: usize) -> Option<Arc<Linter>> {
        self.state.read().ok()?.linters.get(index).cloned()
    }

    fn linters(&self) -> Vec<Arc<Linter>> {
        self.state
            .read()
            .map(|s| s.linters.clone())
            .unwrap_or_default()
    }
}

/// What [`Linter::finish_discovery`] found wrong.
#[derive(Debug)]
pub enum DiscoveryError {
    /// A config near some file could not be loaded.
    Config(Box<ConfigError>),
    /// A `--select`/`--ignore` name that no config of the run knows.
    Selection(LintError),
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved lexically (as ruff does; a
/// symbolic link is not followed, so a file's configs are those above the path it was named by).
pub fn normalize(cwd: &Path, path: &Path) -> PathBuf {
    use std::path::Component;
    let joined = cwd.join(path);
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(c);
                }
            }
            c => out.push(c),
        }
    }
    out
}

impl Linter {
    /// A linter of one config for every file.
    pub fn new(config: Config, selection: Selection) -> Result<Linter, LintError> {
        let plugins: Vec<&str> = config.plugins.iter().map(|p| p.name.as_str()).collect();
        selection.validate(&config.catalog, &plugins)?;
        Linter::build(config, selection, Arc::new(Nested::off()))
    }

    /// A linter that gives each file the `.lintrc.toml` nearest to it, as ruff and typos do,
    /// with `config` for files that have none above them. `config_file` is the file `config`
    /// was read from. Files are met while walking (folders too, for their excludes); the
    /// configs found there are loaded then, and [`Linter::finish_discovery`] reports what was
    /// wrong with them (and checks `--select`/`--ignore` against every config's rules) before
    /// anything is linted.
    pub fn discovering(
        config: Config,
        selection: Selection,
        config_file: Option<&Path>,
    ) -> Result<Linter, LintError> {
        let cwd = config
            .cwd()
            .map(Path::to_path_buf)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        let nested = Nested {
            enabled: true,
            selection: selection.clone(),
            root_file: config_file.map(|f| normalize(&cwd, f)),
            cwd,
            state: RwLock::new(NestedState::default()),
        };
        Linter::build(config, selection, Arc::new(nested))
    }

    fn build(
        config: Config,
        selection: Selection,
        nested: Arc<Nested>,
    ) -> Result<Linter, LintError> {
        let linter = Linter {
            config,
            selection,
            cache: Mutex::new(HashMap::new()),
            nested,
        };
        // Build the base set now so that option errors surface before any file is read.
        linter.rules_with(Vec::new())?;
        Ok(linter)
    }

    /// Whether a suppression directive may name `name`: a rule or pack of the config, one of
    /// its plugins (`plugin` or `plugin/rule`: a plugin's rules are known only when they
    /// report), or a finding newslint makes itself.
    pub fn knows(&self, name: &str) -> bool {
        let cat = &self.config.catalog;
        cat.find(name).is_some()
            || cat.packs.iter().any(|p| p.name == name)
            || self.config.plugins.iter().any(|p| {
                name.strip_prefix(p.name.as_str())
                    .is_some_and(|r| r.is_empty() || r.starts_with('/'))
            })
            || matches!(name, "unused-suppression" | crate::suppress::INVALID)
    }

    /// The linter for `path`: the one of the config nearest to it.
    pub fn for_path(&self, path: &Path) -> Scoped<'_> {
        if !self.nested.enabled {
            return Scoped::Root(self);
        }
        let bytes = path.as_os_str().as_encoded_bytes();
        let named = match bytes
            .iter()
            .rposition(|&b| std::path::is_separator(b as char))
        {
            Some(i) => &bytes[..i],
            None => &[][..],
        };
        let known = self
            .nested
            .state
            .read()
            .ok()
            .and_then(|s| s.named.get(named).copied());
        let index = match known {
            Some(i) => i,
            None => {
                let abs = normalize(&self.nested.cwd, path);
                let i = abs.parent().and_then(|dir| self.nested.index_for_dir(dir));
                if let Ok(mut s) = self.nested.state.write() {
                    s.named.insert(named.to_vec(), i);
                }
                i
            }
        };
        match index.and_then(|i| self.nested.linter(i)) {
            Some(l) => Scoped::Nested(l),
            None => Scoped::Root(self),
        }
    }

    /// For the walker: whether folder `dir` is excluded by the config of the folder it is in.
    /// `'static`, as `ignore`'s entry filter needs.
    pub fn folder_filter(&self) -> impl Fn(&Path) -> bool + Send + Sync + 'static {
        let nested = self.nested.clone();
        let root = self.config.exclude_matcher().clone();
        let cwd = self.config.cwd().map(Path::to_path_buf);
        move |dir: &Path| {
            let abs = crate::config::absolute(cwd.as_deref(), dir);
            let parent = normalize(&nested.cwd, dir);
            let found = parent
                .parent()
                .and_then(|p| nested.index_for_dir(p))
                .and_then(|i| nested.linter(i));
            match found {
                Some(l) => l.config.exclude_matcher().matched(&abs, true).is_ignore(),
                None => root.matched(&abs, true).is_ignore(),
            }
        }
    }

    /// After the files are collected: the first config that could not be loaded, or a
    /// `--select`/`--ignore` name that no config of the run knows.
    pub fn finish_discovery(&self) -> Result<(), DiscoveryError> {
        if let Ok(mut state) = self.nested.state.write() {
            if !state.errors.is_empty() {
                return Err(DiscoveryError::Config(Box::new(state.errors.remove(0))));
            }
        }
        if !self.nested.enabled {
            return Ok(());
        }
        let linters = self.scoped_linters();
        let known = |n: &str| {
            linters.iter().any(|l| {
                l.config
                    .catalog
                    .entries
                    .iter()
                    .any(|e| selects(n, &e.meta.id))
                    || l.config.plugins.iter().any(|p| p.name == n)
            })
        };
        let names = self.selection.select.iter().flatten();
        for n in names.chain(self.selection.ignore.iter()) {
            if !known(n) {
                return Err(DiscoveryError::Selection(LintError::UnknownRule(n.clone())));
            }
        }
        Ok(())
    }

    /// This linter and those of the configs found near files.
    fn scoped_linters(&self) -> Vec<Scoped<'_>> {
        let mut v = vec![Scoped::Root(self)];
        v.extend(self.nested.linters().into_iter().map(Scoped::Nested));
        v
    }

    /// Every rule any config of the run knows, each id once (for SARIF's rule list).
    pub fn all_entries(&self) -> Vec<Entry> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for l in self.scoped_linters() {
            for e in &l.config.catalog.entries {
                if seen.insert(e.meta.id.clone()) {
                    out.push(e.clone());
                }
            }
        }
        out
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

    /// The rules that apply to `path` (in the config nearest to it).
    pub fn rules_for(&self, path: &Path) -> Result<Arc<RuleSet>, LintError> {
        match self.for_path(path) {
            Scoped::Root(l) => l.rules_with(l.config.overrides_for(path)),
            Scoped::Nested(l) => l.rules_for(path),
        }
    }

    /// The rules with these overrides applied, built once.
    fn rules_with(&self, key: Vec<usize>) -> Result<Arc<RuleSet>, LintError> {
        if let Some(set) = self
            .cache
            .lock()
            .map_err(|e| LintError::Poisoned(e.to_string()))?
            .get(&key)
        {
            return Ok(set.clone());
        }
        let set = Arc::new(self.build_set(&key)?);
        self.cache
            .lock()
            .map_err(|e| LintError::Poisoned(e.to_string()))?
            .insert(key, set.clone());
        Ok(set)
    }

    /// Whether some file of a run could get a rule that reports across files: the base rules,
    /// or the base with any one override (a later override can only turn it off again, so
    /// this never misses one).
    /// Configs found near files count too.
    pub fn may_cross_file(&self) -> bool {
        self.scoped_linters().iter().any(|l| {
            let set = |key: Vec<usize>| l.rules_with(key).is_ok_and(|r| r.cross_file());
            set(vec![]) || (0..l.config.overrides.len()).any(|i| set(vec![i]))
        })
    }

    fn build_set(&self, overrides: &[usize]) -> Result<RuleSet, LintError> {
        let mut rules = Vec::new();
        for entry in &self.config.catalog.entries {
            let meta = &entry.meta;
            let default = Level::On(meta.default_severity);
            let mut level = if meta.default_enabled {
                default
            } else {
                Level::Off
            };
            let mut options = toml::Table::new();
            let tables = std::iter::once(self.config.rules.get(&*meta.id)).chain(
                overrides
                    .iter()
                    .map(|&i| self.config.overrides[i].rules.get(&*meta.id)),
            );
            for setting in tables.flatten() {
                if let Some(l) = setting.level {
                    level = l;
                }
                options.extend(setting.options.clone());
            }
            if let Some(select) = &self.selection.select {
                if select.iter().any(|s| selects(s, &meta.id)) {
                    if level == Level::Off {
                        level = default;
                    }
                } else {
                    level = Level::Off;
                }
            }
            if self.selection.ignore.iter().any(|s| selects(s, &meta.id)) {
                level = Level::Off;
            }
            if let Level::On(severity) = level {
                let rule = entry.build(&options).map_err(|e| LintError::RuleOptions {
                    rule: meta.id.to_string(),
                    why: e.message.clone(),
                })?;
                rules.push((rule, severity));
            }
        }
        Ok(RuleSet { rules })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Format;
    use crate::source::SourceFile;

    #[test]
    fn sorting_many_findings_by_index_keeps_the_stable_order() {
        // More than BY_INDEX findings with many ties on (start, rule, end, message) and a
        // label telling equal keys apart: the index sort must give what a stable sort gives.
        let mut d: Vec<Diagnostic> = (0..10_000usize)
            .map(|i| {
                let mut x = Diagnostic::io(format!("m{}", i % 3));
                x.rule = ["b", "a", "c"][i % 3].into();
                let start = (i * 7919) % 613;
                x.range = start..start + i % 2;
                x.label = i.to_string().into();
                x
            })
            .collect();
        let mut want = d.clone();
        want.sort_by(|a, b| {
            (a.range.start, &a.rule, a.range.end, &a.message).cmp(&(
                b.range.start,
                &b.rule,
                b.range.end,
                &b.message,
            ))
        });
        sort_diagnostics(&mut d);
        let labels = |v: &[Diagnostic]| v.iter().map(|x| x.label.clone()).collect::<Vec<_>>();
        assert_eq!(labels(&d), labels(&want));
    }

    mod permute_props {
        use super::permute;
        use proptest::prelude::*;

        proptest! {
            /// Any permutation, of items that own memory (a double drop or a lost item would
            /// show as a wrong value, or under Miri).
            #[test]
            fn permute_is_indexing(
                idx in (0u32..300).prop_flat_map(|n| Just((0..n).collect::<Vec<u32>>()).prop_shuffle())
            ) {
                let mut d: Vec<String> = (0..idx.len()).map(|i| i.to_string()).collect();
                let want: Vec<String> = idx.iter().map(|&i| i.to_string()).collect();
                permute(&mut d, &mut idx.clone());
                prop_assert_eq!(d, want);
            }
        }
    }

    #[test]
    #[should_panic(expected = "not a permutation")]
    fn permute_refuses_what_is_no_permutation() {
        let mut d = vec![String::from("a"), String::from("b")];
        permute(&mut d, &mut [1, 1]);
    }

    #[test]
    fn permute_moves_each_item_to_its_place() {
        let idx: Vec<u32> = vec![3, 0, 4, 1, 2, 5, 7, 6];
        let mut d: Vec<u32> = (10..18).collect();
        let want: Vec<u32> = idx.iter().map(|&i| 10 + i).collect();
        permute(&mut d, &mut idx.clone());
        assert_eq!(d, want);
    }

    #[test]
    fn rules_in_parallel_report_the_same() {
        let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
        let linter = Linter::new(Config::defaults(root), Selection::default()).expect("linter");
        let rules = linter.rules_for(Path::new("page.txt")).expect("rules");
        let mut checked = 0;
        for name in [
            "000_53873edf1b1d3b95.txt",
            "001_09808162e94c1a38.txt",
            "002_6007f0643364af9b.txt",
        ] {
            let src = SourceFile::read(&root.join("fixtures/seeds").join(name)).expect("seed");
            let doc = Document::parse(src, Format::Plain);
            let key = |d: &Diagnostic| {
                (
                    d.rule.clone(),
                    d.range.clone(),
                    d.start,
                    d.end,
                    d.message.clone(),
                )
            };
            let one: Vec<_> = rules
                .lint_in(&doc, Diagnostic::resolve_in_place, false)
                .iter()
                .map(key)
                .collect();
            let all: Vec<_> = rules
                .lint_in(&doc, Diagnostic::resolve_in_place, true)
                .iter()
                .map(key)
                .collect();
            assert_eq!(one, all, "{name}");
            checked += one.len();
        }
        assert!(checked > 100, "the seed pages have findings of many rules");
    }
}
