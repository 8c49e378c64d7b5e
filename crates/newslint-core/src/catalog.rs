//! Every rule a run can use: the built-in rules written in Rust, the built-in packs of `lints/`,
//! and the packs a config adds. Configuration, selection and listing all go through it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::diagnostic::Finding;
use crate::document::Document;
use crate::error::ConfigError;
use crate::packs::{self, PackRule};
use crate::rules::{self, OptionError, RepoKey, RepoSite, Rule, RuleMeta};

/// How a rule is built from its options.
#[derive(Clone)]
pub enum Builder {
    Code(fn(&toml::Table) -> Result<Box<dyn Rule>, OptionError>),
    Pack(Arc<PackRule>),
}

/// One rule of the catalog.
#[derive(Clone)]
pub struct Entry {
    /// Shared with the rule (a pack rule owns its metadata: nothing is leaked per load).
    pub meta: Arc<RuleMeta>,
    pub builder: Builder,
    /// The pack the rule comes from (`None` for built-in Rust rules).
    pub pack: Option<String>,
}

impl Entry {
    /// Build the rule with its options (`severity` already removed).
    pub fn build(&self, options: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
        match &self.builder {
            Builder::Code(f) => f(options),
            Builder::Pack(r) => {
                packs::no_options(options)?;
                Ok(Box::new(Shared(r.clone())))
            }
        }
    }
}

/// A pack rule shared by every rule set that uses it.
struct Shared(Arc<PackRule>);

impl Rule for Shared {
    fn meta(&self) -> &RuleMeta {
        self.0.meta()
    }
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        self.0.check(doc, out)
    }
    fn repo_keys(&self, doc: &Document, out: &mut Vec<RepoKey>) {
        self.0.repo_keys(doc, out)
    }
    fn repo_finding(&self, key: &RepoKey, first: &RepoSite) -> Option<Finding> {
        self.0.repo_finding(key, first)
    }
}

/// A pack as listed by `newslint rules`.
#[derive(Debug, Clone)]
pub struct PackInfo {
    pub name: String,
    pub version: String,
    pub description: String,
    /// `None` for built-in packs.
    pub dir: Option<PathBuf>,
}

/// The rules available to a run.
#[derive(Clone)]
pub struct Catalog {
    pub entries: Vec<Entry>,
    pub packs: Vec<PackInfo>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field(
                "rules",
                &self.entries.iter().map(|e| &*e.meta.id).collect::<Vec<_>>(),
            )
            .field("packs", &self.packs)
            .finish()
    }
}

fn builtin_packs() -> &'static (Vec<Entry>, Vec<PackInfo>) {
    static PACKS: OnceLock<(Vec<Entry>, Vec<PackInfo>)> = OnceLock::new();
    PACKS.get_or_init(|| {
        let mut entries = Vec::new();
        let mut infos = Vec::new();
        let mut packs = packs::builtin();
        // One scan per document for every built-in pack rule.
        packs::share(
            &mut packs
                .iter_mut()
                .flat_map(|p| p.rules.iter_mut())
                .collect::<Vec<_>>(),
        );
        for p in packs {
            infos.push(PackInfo {
                name: p.name.clone(),
                version: p.version,
                description: p.description,
                dir: None,
            });
            for r in p.rules {
                entries.push(Entry {
                    meta: r.shared_meta(),
                    builder: Builder::Pack(Arc::new(r)),
                    pack: Some(p.name.clone()),
                });
            }
        }
        (entries, infos)
    })
}

impl Catalog {
    /// Built-in rules and packs only.
    pub fn builtin() -> Catalog {
        let mut entries: Vec<Entry> = rules::REGISTRY
            .iter()
            .map(|e| Entry {
                meta: Arc::new(e.meta.clone()),
                builder: Builder::Code(e.build),
                pack: None,
            })
            .collect();
        let (pack_entries, infos) = builtin_packs();
        entries.extend(pack_entries.iter().cloned());
        Catalog {
            entries,
            packs: infos.clone(),
        }
    }

    /// Built-in rules and packs plus the packs in `dirs`.
    pub fn with_packs(dirs: &[PathBuf]) -> Result<Catalog, Box<ConfigError>> {
        let mut cat = Catalog::builtin();
        for dir in dirs {
            let p = packs::load_dir(dir)?;
            if let Some(other) = cat.packs.iter().find(|i| i.name == p.name) {
                let where_ = other
                    .dir
                    .as_ref()
                    .map_or("内置规则包".to_string(), |d| d.display().to_string());
                return Err(Box::new(ConfigError::plain(
                    format!("规则包名 `{}` 与 {where_} 重复", p.name),
                    Some(&dir.join("pack.toml")),
                )));
            }
            cat.packs.push(PackInfo {
                name: p.name.clone(),
                version: p.version,
                description: p.description,
                dir: Some(dir.clone()),
            });
            for r in p.rules {
                cat.entries.push(Entry {
                    meta: r.shared_meta(),
                    builder: Builder::Pack(Arc::new(r)),
                    pack: Some(p.name.clone()),
                });
            }
        }
        Ok(cat)
    }

    pub fn find(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.meta.id == id)
    }

    /// The pack rules with examples, for `test-pack` and the test suite.
    pub fn pack_rules(&self, pack: &str) -> Vec<Arc<PackRule>> {
        self.entries
            .iter()
            .filter(|e| e.pack.as_deref() == Some(pack))
            .filter_map(|e| match &e.builder {
                Builder::Pack(r) => Some(r.clone()),
                Builder::Code(_) => None,
            })
            .collect()
    }
}

/// Resolve `packs = [...]` entries relative to the config file's folder.
pub fn resolve(root: &Path, dirs: &[String]) -> Vec<PathBuf> {
    dirs.iter().map(|d| root.join(d)).collect()
}
