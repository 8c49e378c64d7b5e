//! `.lintrc.toml`: discovery, strict parsing, and errors that point into the file.
//!
//! Each file uses the `.lintrc.toml` nearest to it, from its folder upward, as in ruff and
//! typos (`lint::Linter::discovering`); files with none above them use the one found from the
//! current folder upward, or the defaults. `--config` names one for every file. Unknown keys,
//! unknown rules and bad values are errors with the TOML span, rendered by miette; the run stops
//! with exit 2 before anything is linted.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use miette::NamedSource;
use serde::Deserialize;

use crate::catalog::Catalog;
use crate::diagnostic::Severity;
use crate::rules;

/// The name of the config file.
pub const CONFIG_FILE: &str = ".lintrc.toml";

/// Default `[files] include` globs.
pub const DEFAULT_INCLUDE: &[&str] = &["*.txt", "*.md", "*.markdown"];

pub use crate::error::{zh_message, ConfigError};

/// A rule's level in the config: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

/// The settings of one rule in one table (`[rules.<id>]` or an override's).
#[derive(Debug, Clone, Default)]
pub struct RuleSetting {
    pub level: Option<Level>,
    pub options: toml::Table,
}

/// `[[overrides]]`: rule settings for paths that match `files`.
#[derive(Debug)]
pub struct Override {
    pub files: Vec<String>,
    matcher: Gitignore,
    pub rules: BTreeMap<String, RuleSetting>,
}

/// A loaded, validated configuration.
#[derive(Debug)]
pub struct Config {
    /// The config file, if one was used.
    pub path: Option<PathBuf>,
    /// Globs are relative to this folder: the config file's, or the current one.
    pub root: PathBuf,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    include_matcher: Gitignore,
    exclude_matcher: Gitignore,
    pub rules: BTreeMap<String, RuleSetting>,
    pub overrides: Vec<Override>,
    /// Pack folders from `packs = [...]`, resolved against `root`.
    pub packs: Vec<PathBuf>,
    /// Every rule available: built-in rules and packs, and the config's packs.
    pub catalog: Catalog,
    /// External plugins from `[[plugins]]`.
    pub plugins: Vec<crate::plugin::Plugin>,
    /// `ignore-patterns`: findings inside a match are dropped.
    pub ignore_patterns: Vec<regex::Regex>,
    /// `[files] encoding`: `None` detects (see `SourceFile::decode`).
    pub encoding: Option<crate::source::Encoding>,
    /// The current folder when the config was made: relative paths are made absolute against
    /// it (`std::path::absolute` asks the OS each time, twice per file linted).
    cwd: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    packs: Option<toml::Spanned<Vec<String>>>,
    #[serde(default)]
    ignore_patterns: Option<toml::Spanned<Vec<String>>>,
    #[serde(default)]
    files: Option<toml::Spanned<RawFiles>>,
    #[serde(default)]
    rules: BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Table>>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    plugins: Vec<toml::Spanned<RawPlugin>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPlugin {
    name: String,
    command: Vec<String>,
    #[serde(default = "default_timeout_ms")]
    timeout_ms: u64,
}

fn default_timeout_ms() -> u64 {
    10_000
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFiles {
    #[serde(default)]
    encoding: Option<toml::Spanned<String>>,
    include: Option<toml::Spanned<Vec<String>>>,
    #[serde(default)]
    exclude: Option<toml::Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    files: toml::Spanned<Vec<String>>,
    #[serde(default)]
    rules: BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Table>>,
}

/// Find the nearest `.lintrc.toml` from `start` upward.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|p| p.is_file())
}

impl Config {
    /// Built-in defaults only (`--no-config`, or no file found).
    pub fn defaults(root: &Path) -> Config {
        let include: Vec<String> = DEFAULT_INCLUDE.iter().map(|s| s.to_string()).collect();
        Config {
            path: None,
            root: root.to_path_buf(),
            include_matcher: build_globs(root, &include).expect("default globs"),
            exclude_matcher: build_globs(root, &[]).expect("empty globs"),
            include,
            exclude: Vec::new(),
            rules: BTreeMap::new(),
            overrides: Vec::new(),
            packs: Vec::new(),
            catalog: Catalog::builtin(),
            plugins: Vec::new(),
            ignore_patterns: Vec::new(),
            encoding: None,
            cwd: std::env::current_dir().ok(),
        }
    }

    /// Read and validate a config file.
    pub fn load(path: &Path) -> Result<Config, Box<ConfigError>> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Box::new(ConfigError::plain(
                format!("无法读取配置文件：{e}"),
                Some(path),
            ))
        })?;
        let root = path
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .unwrap_or(Path::new("."));
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        Config::parse(&text, path, &root)
    }

    /// Parse and validate config text; `path` names it in errors, `root` anchors its globs.
    pub fn parse(text: &str, path: &Path, root: &Path) -> Result<Config, Box<ConfigError>> {
        let err =
            |message: String, span: Option<Range<usize>>, label: &str, help: Option<String>| {
                Box::new(ConfigError {
                    message,
                    path: Some(path.to_path_buf()),
                    source: Some(NamedSource::new(
                        path.display().to_string(),
                        text.to_string(),
                    )),
                    span,
                    label: label.to_string(),
                    help,
                    code: "config",
                })
            };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let msg = e.message().trim().to_string();
            let help = msg
                .starts_with("unknown field")
                .then(|| "可用的键见 `newslint init` 生成的配置文件或 README".to_string());
            err(
                format!("配置文件有误：{}", zh_message(&msg)),
                e.span(),
                "这里",
                help,
            )
        })?;

        let mut cfg = Config::defaults(root);
        cfg.path = Some(path.to_path_buf());
        if let Some(files) = raw.files {
            let files = files.into_inner();
            if let Some(enc) = files.encoding {
                let span = enc.span();
                cfg.encoding = crate::source::Encoding::parse(enc.get_ref())
                    .map_err(|m| err(m, Some(span), "这里", None))?;
            }
            let glob_error =
                |globs: &[String], span: &Range<usize>, (i, m): (Option<usize>, String)| {
                    let at = i
                        .and_then(|i| globs.get(i))
                        .map_or(span.clone(), |g| element_span(text, span, g, i));
                    err(format!("无效的 glob：{m}"), Some(at), "这里", None)
                };
            if let Some(inc) = files.include {
                let span = inc.span();
                cfg.include = inc.into_inner();
                cfg.include_matcher = build_globs_at(root, &cfg.include)
                    .map_err(|e| glob_error(&cfg.include, &span, e))?;
            }
            if let Some(exc) = files.exclude {
                let span = exc.span();
                cfg.exclude = exc.into_inner();
                cfg.exclude_matcher = build_globs_at(root, &cfg.exclude)
                    .map_err(|e| glob_error(&cfg.exclude, &span, e))?;
            }
        }
        if let Some(packs) = raw.packs {
            let span = packs.span();
            cfg.packs = crate::catalog::resolve(root, &packs.into_inner());
            cfg.catalog = Catalog::with_packs(&cfg.packs).map_err(|e| {
                // A pack that cannot be read at all is pointed at in the config.
                if e.source.is_some() {
                    e
                } else {
                    err(e.message.clone(), Some(span.clone()), "这里", None)
                }
            })?;
        }
        cfg.rules = rule_settings(text, raw.rules, &cfg.catalog, &err)?;
        if let Some(pats) = raw.ignore_patterns {
            let span = pats.span();
            for p in pats.into_inner() {
                let re = regex::RegexBuilder::new(&p)
                    .size_limit(1 << 20)
                    .build()
                    .map_err(|e| {
                        err(
                            format!("`ignore-patterns` 里的正则 `{p}` 无效：{e}"),
                            Some(span.clone()),
                            "这里",
                            None,
                        )
                    })?;
                cfg.ignore_patterns.push(re);
            }
        }
        for p in raw.plugins {
            let span = p.span();
            let p = p.into_inner();
            let valid = !p.name.is_empty()
                && p.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !valid {
                return Err(err(
                    format!("插件名 `{}` 无效：只能用小写字母、数字和 -", p.name),
                    Some(span),
                    "这里",
                    None,
                ));
            }
            if p.command.is_empty() {
                return Err(err(
                    "插件的 `command` 不能为空".into(),
                    Some(span),
                    "这里",
                    Some("例如 command = [\"python3\", \"plugins/check.py\"]".into()),
                ));
            }
            if cfg.catalog.packs.iter().any(|k| k.name == p.name)
                || cfg.plugins.iter().any(|k| k.name == p.name)
            {
                return Err(err(
                    format!("插件名 `{}` 与规则包或其他插件重名", p.name),
                    Some(span),
                    "这里",
                    None,
                ));
            }
            cfg.plugins.push(crate::plugin::Plugin {
                name: p.name,
                command: p.command,
                timeout: std::time::Duration::from_millis(p.timeout_ms.max(1)),
                dir: root.to_path_buf(),
            });
        }
        for o in raw.overrides {
            let span = o.files.span();
            let files = o.files.into_inner();
            let matcher = build_globs_at(root, &files).map_err(|(i, m)| {
                let at = i
                    .and_then(|i| files.get(i))
                    .map_or(span.clone(), |g| element_span(text, &span, g, i));
                err(format!("无效的 glob：{m}"), Some(at), "这里", None)
            })?;
            let rules = rule_settings(text, o.rules, &cfg.catalog, &err)?;
            cfg.overrides.push(Override {
                files,
                matcher,
                rules,
            });
        }
        Ok(cfg)
    }

    /// Whether a file met while walking a folder is linted (`include` and not `exclude`).
    pub fn is_included(&self, path: &Path) -> bool {
        let abs = self.absolute(path);
        matches_path(&self.include_matcher, &abs, &self.root, false)
            && !matches_path(&self.exclude_matcher, &abs, &self.root, false)
    }

    /// Whether `[files] exclude` matches `path` or a folder it is in (`--force-exclude`).
    pub fn is_excluded(&self, path: &Path) -> bool {
        let abs = self.absolute(path);
        matches_path(&self.exclude_matcher, &abs, &self.root, path.is_dir())
    }

    /// The `exclude` globs, for pruning folders while walking.
    pub fn exclude_matcher(&self) -> &Gitignore {
        &self.exclude_matcher
    }

    fn absolute(&self, path: &Path) -> PathBuf {
        absolute(self.cwd.as_deref(), path)
    }

    /// The current folder when the config was made.
    pub fn cwd(&self) -> Option<&Path> {
        self.cwd.as_deref()
    }

    /// The overrides that apply to `path`, as indices.
    pub fn overrides_for(&self, path: &Path) -> Vec<usize> {
        let abs = self.absolute(path);
        (0..self.overrides.len())
            .filter(|&i| matches_path(&self.overrides[i].matcher, &abs, &self.root, false))
            .collect()
    }
}

/// `std::path::absolute(path)`, taking the current folder from `cwd` when there is one: no
/// system call.
pub fn absolute(cwd: Option<&Path>, path: &Path) -> PathBuf {
    match cwd {
        Some(cwd) if path.is_relative() && !path.as_os_str().is_empty() => {
            std::path::absolute(cwd.join(path))
        }
        _ => std::path::absolute(path),
    }
    .unwrap_or_else(|_| path.to_path_buf())
}

/// gitignore-style match of a path or any of its parent folders below `root`.
fn matches_path(gi: &Gitignore, abs: &Path, root: &Path, is_dir: bool) -> bool {
    if gi.matched(abs, is_dir).is_ignore() {
        return true;
    }
    abs.ancestors()
        .skip(1)
        .take_while(|a| a.starts_with(root) && *a != root)
        .any(|a| gi.matched(a, true).is_ignore())
}

fn build_globs(root: &Path, globs: &[String]) -> Result<Gitignore, String> {
    build_globs_at(root, globs).map_err(|(_, m)| m)
}

/// [`build_globs`], naming the glob that is wrong (its index and a message). An unclosed `[` is
/// an error, not a literal bracket as git would take it: in a config it is almost always a typo
/// that would otherwise match nothing in silence (write `\[` for a literal one).
fn build_globs_at(root: &Path, globs: &[String]) -> Result<Gitignore, (Option<usize>, String)> {
    let mut b = GitignoreBuilder::new(root);
    b.allow_unclosed_class(false);
    for (i, g) in globs.iter().enumerate() {
        b.add_line(None, g).map_err(|e| {
            let why = match &e {
                ignore::Error::Glob { err, .. } if err.contains("unclosed character class") => {
                    "字符类 `[` 没有闭合（要匹配字面的 [ 请写 \\[）".to_string()
                }
                ignore::Error::Glob { err, .. } => err.clone(),
                other => other.to_string(),
            };
            (Some(i), format!("`{g}` {why}"))
        })?;
    }
    b.build().map_err(|e| (None, e.to_string()))
}

/// The span of the `index`-th string of an array whose span is `array` (the array itself
/// when it cannot be found), for pointing at one bad glob.
fn element_span(
    text: &str,
    array: &Range<usize>,
    value: &str,
    index: Option<usize>,
) -> Range<usize> {
    let Some(_) = index else {
        return array.clone();
    };
    let inner = text.get(array.clone()).unwrap_or_default();
    for quoted in [format!("\"{value}\""), format!("'{value}'")] {
        if let Some(i) = inner.find(&quoted) {
            return array.start + i..array.start + i + quoted.len();
        }
    }
    array.clone()
}

/// Builds a config error from a message, a span, a label and a help line.
type ErrorAt<'a> =
    dyn Fn(String, Option<Range<usize>>, &str, Option<String>) -> Box<ConfigError> + 'a;

/// Validate `[rules.<id>]` tables: known id, valid severity, options accepted by the rule.
fn rule_settings(
    text: &str,
    raw: BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Table>>,
    catalog: &Catalog,
    err: &ErrorAt<'_>,
) -> Result<BTreeMap<String, RuleSetting>, Box<ConfigError>> {
    let mut out = BTreeMap::new();
    for (id, table) in raw {
        let id_span = id.span();
        let id = id.into_inner();
        let table_span = table.span();
        let mut options = table.into_inner();
        let Some(entry) = catalog.find(&id) else {
            let near: Vec<&str> = catalog
                .entries
                .iter()
                .map(|e| &*e.meta.id)
                .filter(|k| {
                    k.split('/')
                        .next_back()
                        .is_some_and(|t| id.contains(t) || t.contains(id.as_str()))
                })
                .take(5)
                .collect();
            let help = if near.is_empty() {
                "`newslint rules` 列出全部规则".to_string()
            } else {
                format!(
                    "是不是：{}？（`newslint rules` 列出全部规则）",
                    near.join("、")
                )
            };
            return Err(err(
                format!("未知的规则 `{id}`"),
                Some(id_span),
                "没有这条规则",
                Some(help),
            ));
        };
        let key_span =
            |key: &str| find_key(text, table_span.clone(), key).or(Some(id_span.clone()));
        let level = match options.remove("severity") {
            None => None,
            Some(toml::Value::String(s)) => Some(match s.as_str() {
                "off" => Level::Off,
                "info" => Level::On(Severity::Info),
                "warning" => Level::On(Severity::Warning),
                "error" => Level::On(Severity::Error),
                _ => {
                    return Err(err(
                        format!("`severity` 的值无效：\"{s}\""),
                        key_span("severity"),
                        "这里",
                        Some("可用的值：\"error\"、\"warning\"、\"info\"、\"off\"".into()),
                    ))
                }
            }),
            Some(_) => {
                return Err(err(
                    "`severity` 必须是字符串".into(),
                    key_span("severity"),
                    "这里",
                    Some("可用的值：\"error\"、\"warning\"、\"info\"、\"off\"".into()),
                ))
            }
        };
        validate_options(entry, &options).map_err(|e| {
            let span = e
                .key
                .as_deref()
                .and_then(|k| find_key(text, table_span.clone(), k));
            err(
                format!("规则 `{id}` 的选项有误：{}", zh_message(&e.message)),
                span.or(Some(id_span.clone())),
                "这里",
                Some(format!("`newslint explain {id}` 列出这条规则的选项")),
            )
        })?;
        out.insert(id, RuleSetting { level, options });
    }
    Ok(out)
}

fn validate_options(
    entry: &crate::catalog::Entry,
    options: &toml::Table,
) -> Result<(), rules::OptionError> {
    entry.build(options).map(|_| ())
}

/// The span of `key = ...` inside `within` (a table's span), for errors serde cannot place.
fn find_key(text: &str, within: Range<usize>, key: &str) -> Option<Range<usize>> {
    let within = within.start.min(text.len())..within.end.min(text.len());
    let region = &text[within.clone()];
    let mut offset = 0;
    for line in region.split_inclusive('\n') {
        let t = line.trim_start();
        let lead = line.len() - t.len();
        for cand in [key.to_string(), format!("\"{key}\"")] {
            if let Some(rest) = t.strip_prefix(cand.as_str()) {
                if rest.trim_start().starts_with('=') {
                    let start = within.start + offset + lead;
                    return Some(start..start + cand.len());
                }
            }
        }
        offset += line.len();
    }
    None
}

/// The commented `.lintrc.toml` that `newslint init` writes: every key with its default.
pub fn template() -> String {
    let mut s = String::from(
        r#"# newslint configuration.
#
# Every file is linted with the .lintrc.toml nearest to it (in its folder or the closest folder
# above); files with none above them use the one nearest to the current folder. `--config FILE`
# names one for every file and `--no-config` ignores them all. Every key is shown below with
# its default value. Globs use .gitignore syntax and are relative to this file's folder.

# Rule packs to load besides the built-in ones (folders with a pack.toml), relative to this
# file. See lints/README.md for the format.
packs = []

# Regular expressions: a finding that lies inside a match is not reported (e.g. quoted
# historical text, or a column name).
ignore-patterns = []

[files]
# The encoding of the files: "auto" detects (BOM, then UTF-8, then GBK/GB18030); or "utf-8",
# "utf-16le", "utf-16be", "gbk", "gb18030". Fixes write a file back in its own encoding.
encoding = "auto"
# Files to lint when a folder is walked. A file named on the command line is always linted.
include = ["*.txt", "*.md", "*.markdown"]
# Files and folders to skip when walking, e.g. ["archive/", "drafts/**/*.txt"].
exclude = []

# One table per rule. `severity` is "error", "warning", "info" or "off"; the other keys are the
# rule's options (`newslint explain RULE` documents them).
"#,
    );
    for e in &Catalog::builtin().entries {
        let m = &e.meta;
        let sev = if m.default_enabled {
            m.default_severity.as_str()
        } else {
            "off"
        };
        let key = if m.id.contains('/') {
            format!("\"{}\"", m.id)
        } else {
            m.id.to_string()
        };
        s.push_str(&format!(
            "\n[rules.{key}]\n# {}\nseverity = \"{sev}\"\n{}",
            m.summary, m.options
        ));
    }
    s.push_str(
        r#"
# External plugins: a program that reads one JSON document on stdin and writes JSON diagnostics
# (protocol 1, see README "Plugins"). They run only when listed here, in this file's folder, and
# never with --no-plugins. For example:
#
# [[plugins]]
# name = "exclaim"
# command = ["python3", "examples/plugins/exclaim.py"]
# timeout-ms = 10000

# Overrides give rule settings to the paths that match `files`; later overrides win.
# For example, to relax a rule in an archive of old copy:
#
# [[overrides]]
# files = ["archive/**"]
# [overrides.rules.punctuation-width]
# severity = "warning"
"#,
    );
    s
}

#[cfg(test)]
mod tests {
    use super::absolute;
    use std::path::Path;

    #[test]
    fn absolute_from_a_known_folder_is_what_std_gives() {
        let cwd = std::env::current_dir().expect("cwd");
        for p in ["a/b.txt", "./a/../b", "a//b/./c", ".", "..", "/x/./y", "/"] {
            let p = Path::new(p);
            assert_eq!(
                absolute(Some(&cwd), p),
                std::path::absolute(p).expect("absolute"),
                "{}",
                p.display()
            );
        }
        // Another folder than the process's: relative paths are resolved against it.
        assert_eq!(
            absolute(Some(Path::new("/srv/news")), Path::new("./a/b.md")),
            Path::new("/srv/news/a/b.md")
        );
    }
}
