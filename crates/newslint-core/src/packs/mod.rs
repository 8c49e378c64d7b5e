//! Declarative rule packs: rules written in TOML, loaded from `lints/` (built in) and from the
//! folders a config lists in `packs = [...]`.
//!
//! A pack is a folder with `pack.toml` (`name`, `version`, `description`) and one TOML file per
//! rule; the rule id is `<pack>/<file stem>`. A rule file names its `kind` (existence,
//! substitution, consistency, occurrence); the file is parsed twice, first for `kind`, then into
//! the strict struct of that kind, so that an unknown key is reported with its line. Han text has
//! no word boundaries: no kind uses `\b`; context is given as characters before and after.
//! Packs cannot run code; their regexes compile under size limits.
//!
//! The modules: [`schema`] (what serde reads), [`loader`] (files, manifest, shared checks),
//! one module a kind ([`existence`], [`substitution`], [`consistency`], [`occurrence`]: its
//! loading and its matching), [`scan`] (the built-in packs' one scan per document) and
//! [`examples`] (a rule's examples as tests).

use std::ops::Range;
use std::sync::Arc;

use aho_corasick::AhoCorasick;
use regex::Regex;

use crate::diagnostic::Finding;
use crate::document::{Document, Paragraph, Zone};
use crate::rules::{OptionError, Rule, RuleMeta};

mod consistency;
pub mod examples;
mod existence;
pub mod loader;
mod occurrence;
pub mod scan;
pub mod schema;
mod substitution;

pub use examples::{run_examples, ExampleFailure};
pub use loader::{builtin, load_dir, load_pack, load_rule, Pack, PackFile};
pub use scan::{share, SharedScan};
pub use schema::{Example, Quoted, Scope};

use schema::Entry;

/// A pack rule, compiled.
pub struct PackRule {
    /// Owned, and shared with the catalog's entry: loading a pack again leaks nothing.
    meta: Arc<RuleMeta>,
    scope: Vec<Scope>,
    message: String,
    help: Option<String>,
    pub examples: Vec<Example>,
    matcher: Matcher,
    /// The strings of the rule's automaton, in pattern order.
    words: Vec<String>,
    /// Built-in rules: their automata are merged into one scan per document (see [`share`]).
    shared: Option<(Arc<SharedScan>, usize)>,
    /// `quoted = "skip"`: matches inside quotation and title marks are not reported.
    skip_quoted: bool,
}

enum Matcher {
    Existence {
        tokens: Option<AhoCorasick>,
        patterns: Vec<Regex>,
        exceptions: Vec<String>,
    },
    /// One automaton over the distinct wrong strings; `by_wrong[k]` lists the entries of the
    /// k-th string, tried in file order (the first whose context fits wins).
    Substitution {
        ac: AhoCorasick,
        entries: Vec<Entry>,
        by_wrong: Vec<Vec<usize>>,
        fix: Option<bool>,
    },
    Consistency {
        ac: AhoCorasick,
        variants: Vec<(usize, String)>,
    },
    Occurrence {
        unit: Unit,
        max_chars: Option<usize>,
        tokens: Option<AhoCorasick>,
        max: usize,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Sentence,
    Paragraph,
    Article,
}

impl PackRule {
    /// With `quoted = "skip"`: whether `r` lies inside quotation or title marks of `p`. The
    /// paragraph's quotations are found on first need and kept in `cache`.
    fn quoted(
        &self,
        doc: &Document,
        p: &Paragraph,
        cache: &mut Option<Vec<Range<usize>>>,
        r: &Range<usize>,
    ) -> bool {
        self.skip_quoted
            && crate::document::quotes::within(cache.get_or_insert_with(|| doc.quoted(p)), r)
    }

    fn in_scope(&self, zone: Zone) -> bool {
        self.scope.iter().any(|s| s.covers(zone))
    }

    fn finding(&self, range: Range<usize>, found: &str, expected: &str) -> Finding {
        let mut f = Finding::new(range, render(&self.message, found, expected));
        if let Some(h) = &self.help {
            f = f.help(render(h, found, expected));
        }
        f
    }
}

fn render(template: &str, found: &str, expected: &str) -> String {
    template
        .replace("{found}", found)
        .replace("{expected}", expected)
}

impl PackRule {
    pub fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    /// The rule's metadata, shared (the catalog's entry holds it too).
    pub fn shared_meta(&self) -> Arc<RuleMeta> {
        self.meta.clone()
    }
}

impl Rule for PackRule {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        // A rule on the shared scan with none of its strings in the document (most documents,
        // for most rules) and nothing else to look for is done.
        let word_lists_only = match &self.matcher {
            Matcher::Existence { patterns, .. } => patterns.is_empty(),
            Matcher::Substitution { .. } | Matcher::Consistency { .. } => true,
            Matcher::Occurrence { .. } => false,
        };
        if word_lists_only && !self.any_shared_hit(doc) {
            return;
        }
        match &self.matcher {
            Matcher::Existence {
                tokens,
                patterns,
                exceptions,
            } => self.check_existence(doc, out, tokens, patterns, exceptions),
            Matcher::Substitution {
                ac,
                entries,
                by_wrong,
                fix,
            } => self.check_substitution(doc, out, ac, entries, by_wrong, fix),
            Matcher::Consistency { ac, variants } => self.check_consistency(doc, out, ac, variants),
            Matcher::Occurrence {
                unit,
                max_chars,
                tokens,
                max,
            } => self.check_occurrence(doc, out, unit, max_chars, tokens, max),
        }
    }
}

/// Pack rules take no options besides `severity`.
pub fn no_options(t: &toml::Table) -> Result<(), OptionError> {
    match t.keys().next() {
        Some(k) => Err(OptionError {
            key: Some(k.clone()),
            message: format!("unknown field `{k}`: pack rules take only `severity`"),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::scan::Heads;
    use super::{builtin, load_pack, PackFile, PackRule};
    use crate::document::{Document, Format};
    use crate::rules::Rule;
    use crate::source::SourceFile;
    use proptest::prelude::*;
    use serde::Deserialize;

    fn findings(rule: &PackRule, text: &str) -> usize {
        let doc = Document::parse(
            SourceFile::from_text(text.to_string(), false),
            Format::Plain,
        );
        let mut out = Vec::new();
        rule.check(&doc, &mut out);
        out.len()
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Cases {
        case: Vec<Case>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Case {
        rule: String,
        text: String,
        report: usize,
        why: String,
    }

    /// fixtures/packs/quoted.toml: built-in rules with and without `quoted = "skip"`.
    #[test]
    fn quoted_fixture_cases_hold() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/packs/quoted.toml"
        );
        let text = std::fs::read_to_string(path).expect("fixture");
        let cases: Cases = toml::from_str(&text).expect("case file");
        let packs = builtin();
        let mut failures = Vec::new();
        for c in &cases.case {
            let rule = packs
                .iter()
                .flat_map(|p| &p.rules)
                .find(|r| r.meta.id == c.rule)
                .unwrap_or_else(|| panic!("no built-in rule {}", c.rule));
            let n = findings(rule, &c.text);
            if n != c.report {
                failures.push(format!(
                    "{}: {n} findings, want {} ({}): {}",
                    c.rule, c.report, c.why, c.text
                ));
            }
        }
        assert!(cases.case.len() >= 5);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    fn user_pack(manifest_extra: &str, rule_extra: &str) -> Result<PackRule, String> {
        let files = [
            PackFile {
                builtin: false,
                name: "house/pack.toml".into(),
                text: format!("name = \"house\"\nversion = \"1\"\ndescription = \"d\"\n{manifest_extra}"),
            },
            PackFile {
                builtin: false,
                name: "house/ban.toml".into(),
                text: format!(
                    "kind = \"existence\"\ndescription = \"d\"\nmessage = \"m\"\ntokens = [\"禁用语\"]\n{rule_extra}"
                ),
            },
        ];
        load_pack("house", &files)
            .map(|mut p| p.rules.remove(0))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn quoted_is_a_pack_default_that_a_rule_overrides() {
        let text = "他说“禁用语”不能用。禁用语不能用。";
        let report = user_pack("", "").expect("pack");
        assert_eq!(
            findings(&report, text),
            2,
            "default: quoted text is reported"
        );
        let skip = user_pack("quoted = \"skip\"", "").expect("pack");
        assert_eq!(findings(&skip, text), 1, "pack.toml: quoted text skipped");
        let over = user_pack("quoted = \"skip\"", "quoted = \"report\"").expect("pack");
        assert_eq!(findings(&over, text), 2, "the rule file overrides its pack");
        let rule_only = user_pack("", "quoted = \"skip\"").expect("pack");
        assert_eq!(
            findings(&rule_only, "《禁用语》一书"),
            0,
            "title marks count as quoted"
        );
        assert!(user_pack("", "quoted = \"never\"").is_err());
        assert!(user_pack("quoted = 1", "").is_err());
    }

    fn heads(words: &[&str]) -> Heads {
        Heads::new(&words.iter().map(|w| w.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn heads_find_every_start_and_reject_the_rest() {
        let h = heads(&["截止目前", "其它", "纳人"]);
        assert_eq!(h.len, 6);
        // The first key's byte offset: the automaton starts there.
        assert_eq!(h.first("全省截止目前已有"), Some(6));
        assert_eq!(h.first("其它"), Some(0));
        assert_eq!(h.first("a其它，其它"), Some(1));
        assert!(h.first("截至目前，其他工作").is_none());
        assert!(h.first("").is_none());
        assert!(h.first("其").is_none());
        // A string shorter than 3 bytes disables the filter.
        assert_eq!(heads(&["ab", "其它"]).first("xyz"), Some(0));
    }

    proptest! {
        #[test]
        fn heads_have_no_false_negatives(
            before in "[a-z1，其它截止目前的 ]{0,12}",
            after in "[a-z1，其它截止目前的 ]{0,12}",
            k in 0usize..3,
        ) {
            let words = ["截止目前", "其它", "Ｘ光片"];
            let h = heads(&words);
            let s = format!("{before}{}{after}", words[k]);
            // At or before the string we put in: never past a string's start.
            prop_assert!(h.first(&s).is_some_and(|i| i <= before.len()));
        }
    }
}
