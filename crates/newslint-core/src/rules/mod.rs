//! The rule API, and the list of the Rust rules that `catalog::Catalog` (the one registry of
//! rules, Rust rules and pack rules alike) starts from.
//!
//! Adding a rule is one file in this folder (its options, documentation and check), one line in
//! [`REGISTRY`], and a fixture in `fixtures/rules/<id>.toml` with cases that must and must not be
//! reported.

use crate::diagnostic::{Finding, Severity};
use crate::document::Document;
use std::borrow::Cow;

pub mod broken_paragraph;
pub mod byline_format;
pub mod duplicate_paragraph;
pub mod number_style;
pub mod punctuation_width;
pub mod repeated_word;
pub mod stray_latin;
pub mod typo;
pub mod unit_consistency;
pub mod unpaired_mark;

/// Whether, and how safely, a rule can fix what it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixability {
    None,
    Safe,
    Unsafe,
    Sometimes,
}

impl Fixability {
    pub fn as_str(self) -> &'static str {
        match self {
            Fixability::None => "no",
            Fixability::Safe => "safe",
            Fixability::Unsafe => "unsafe",
            Fixability::Sometimes => "sometimes",
        }
    }
}

/// What `newslint rules` and `newslint explain` show about a rule. A Rust rule's is a static
/// (its strings borrowed); a pack rule owns its own (a config reload frees the old ones).
#[derive(Debug, Clone)]
pub struct RuleMeta {
    /// kebab-case id, used in config, `--select`, suppressions and output.
    pub id: Cow<'static, str>,
    /// One line, English.
    pub summary: Cow<'static, str>,
    pub default_severity: Severity,
    /// Whether the rule runs when the config does not mention it.
    pub default_enabled: bool,
    pub fix: Fixability,
    /// Markdown with the headings: What it does, Why, Examples, Options, Fix safety.
    pub docs: Cow<'static, str>,
    /// The rule's options as commented TOML lines with their defaults: what `newslint init`
    /// writes, and the one definition of the defaults ([`parse_options`] lays the user's table
    /// over it; the docs describe the keys without repeating the values).
    pub options: Cow<'static, str>,
}

/// A configured rule, ready to check documents. Shared across threads.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &RuleMeta;
    /// Report findings in `doc`. Spans are byte ranges into `doc.text()`.
    fn check(&self, doc: &Document, out: &mut Vec<Finding>);

    /// Cross-file rules: keys of the parts of `doc` to match against other files (for example
    /// hashes of normalised paragraphs). The driver groups equal keys across the tree in path
    /// order and calls [`Rule::repo_finding`] for every repeat in a later file.
    fn repo_keys(&self, _doc: &Document, _out: &mut Vec<RepoKey>) {}

    /// Whether this rule, as configured, reports across files ([`Rule::repo_keys`] gives keys).
    /// Such a run cannot print a file's findings before every file is linted.
    fn cross_file(&self) -> bool {
        false
    }

    /// The finding for `key` in this file, first seen at `first` in another file.
    fn repo_finding(&self, _key: &RepoKey, _first: &RepoSite) -> Option<Finding> {
        None
    }
}

/// A part of a document to be matched across files.
#[derive(Debug, Clone)]
pub struct RepoKey {
    pub key: u64,
    pub range: std::ops::Range<usize>,
}

/// Where a repo key was first seen.
#[derive(Debug, Clone)]
pub struct RepoSite {
    pub path: String,
    pub line: u32,
    pub column: u32,
}

/// A bad rule option: the message, and the key it is about when known (for the config span).
#[derive(Debug, Clone)]
pub struct OptionError {
    pub key: Option<String>,
    pub message: String,
}

impl OptionError {
    /// Convert a serde error from deserializing an options table, recovering the key it names.
    pub fn from_toml(e: toml::de::Error) -> OptionError {
        let message = e.message().to_string();
        let key = message.split('`').nth(1).map(str::to_string);
        OptionError { key, message }
    }
}

/// A registered rule: metadata and a constructor from its options table (`severity` removed).
pub struct RuleEntry {
    pub meta: &'static RuleMeta,
    pub build: fn(&toml::Table) -> Result<Box<dyn Rule>, OptionError>,
}

/// Every built-in Rust rule, in the order they run and are listed: the catalog's first entries
/// (use `catalog::Catalog::builtin()` from outside the crate).
pub(crate) static REGISTRY: &[RuleEntry] = &[
    punctuation_width::ENTRY,
    duplicate_paragraph::ENTRY,
    stray_latin::ENTRY,
    unit_consistency::ENTRY,
    byline_format::ENTRY,
    broken_paragraph::ENTRY,
    repeated_word::ENTRY,
    unpaired_mark::ENTRY,
    number_style::ENTRY,
    typo::in_context::ENTRY,
    typo::variants::ENTRY,
    typo::non_standard_char::ENTRY,
    typo::de_di_de::ENTRY,
    typo::series_punctuation::ENTRY,
];

/// The options of a rule that has none: an empty table, unknown keys rejected.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}

/// The rule's options: its `init` template (`meta.options`, the one place a default is
/// written) with the user's table `t` laid over it (user keys win), deserialized into the typed
/// options. The options structs have no serde defaults, so a key missing from the template is an
/// error (tests/option_defaults.rs builds every rule from its template alone), and an unknown user
/// key is still rejected by the type's `deny_unknown_fields`, with the same message as before.
pub fn parse_options<T: serde::de::DeserializeOwned>(
    meta: &RuleMeta,
    t: &toml::Table,
) -> Result<T, OptionError> {
    let mut merged: toml::Table = toml::from_str(&meta.options).map_err(|e| OptionError {
        key: None,
        message: format!("the `{}` rule's option template is not TOML: {e}", meta.id),
    })?;
    for (k, v) in t {
        merged.insert(k.clone(), v.clone());
    }
    toml::Value::Table(merged)
        .try_into()
        .map_err(OptionError::from_toml)
}

impl RuleMeta {
    /// The documentation followed by the option defaults (the `init` template, when the rule has
    /// options): what `newslint explain` prints and SARIF's rule help carries. The docs describe
    /// each option; the values are given only here, from the one definition.
    pub fn docs_with_defaults(&self) -> String {
        let mut s = self.docs.to_string();
        if !self.options.trim().is_empty() {
            s.push_str("\n## Defaults (what `newslint init` writes)\n\n```toml\n");
            s.push_str(&self.options);
            if !self.options.ends_with('\n') {
                s.push('\n');
            }
            s.push_str("```\n");
        }
        s
    }
}

/// The findings of `entry` with its default options on a plain-text page: the rules' unit tests
/// read them instead of building the rule and the document each time.
#[cfg(test)]
pub fn findings_with_defaults(entry: &RuleEntry, text: &str) -> Vec<crate::diagnostic::Finding> {
    let rule = (entry.build)(&toml::Table::new()).expect("defaults");
    let doc = crate::document::Document::parse(
        crate::source::SourceFile::from_text(text.to_string(), false),
        crate::document::Format::Plain,
    );
    let mut out = Vec::new();
    rule.check(&doc, &mut out);
    out
}
