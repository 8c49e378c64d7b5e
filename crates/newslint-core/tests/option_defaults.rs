//! An option's default is stated in three places: the serde default of the rule's options, the
//! `init` template's lines (`RuleMeta::options`, which `newslint init` writes and which
//! `.lintrc.toml` must equal, tests/cli.rs) and the rule's documentation. These tests check
//! that they agree: every rule built with its template's values behaves exactly as with no
//! options (on every page of `fixtures/`), and every key of the template is documented with a
//! default in the rule's "Options" section.

use std::path::{Path, PathBuf};

use newslint_core::catalog::Catalog;
use newslint_core::document::{Document, Format};
use newslint_core::source::SourceFile;

fn fixture_pages() -> Vec<(PathBuf, String)> {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures"));
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = ["rules", "seeds", "pages", "clean"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "txt" || x == "md") {
                if let Ok(text) = std::fs::read_to_string(&p) {
                    out.push((p, text));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_init_template_values_are_the_defaults() {
    let pages = fixture_pages();
    assert!(pages.len() >= 20, "too few fixture pages: {}", pages.len());
    let docs: Vec<Document> = pages
        .iter()
        .map(|(p, t)| {
            Document::parse(
                SourceFile::from_text(t.clone(), false),
                Format::from_path(p),
            )
        })
        .collect();
    let mut checked = 0;
    for entry in Catalog::builtin()
        .entries
        .iter()
        .filter(|e| e.pack.is_none())
    {
        let id = &entry.meta.id;
        let template: toml::Table = toml::from_str(&entry.meta.options)
            .unwrap_or_else(|e| panic!("{id}: the init template is not TOML: {e}"));
        if template.is_empty() {
            continue;
        }
        let with_template = entry
            .build(&template)
            .unwrap_or_else(|e| panic!("{id}: the init template's options are refused: {e:?}"));
        let with_defaults = entry.build(&toml::Table::new()).expect("defaults");
        let mut found = 0;
        for (doc, (path, _)) in docs.iter().zip(&pages) {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            with_template.check(doc, &mut a);
            with_defaults.check(doc, &mut b);
            found += b.len();
            assert_eq!(
                a, b,
                "{id}: the template's values differ from the defaults on {path:?}"
            );
        }
        assert!(
            found > 0,
            "{id}: no finding on the fixtures, the comparison says nothing"
        );
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} rules with options");
}

#[test]
fn every_template_key_is_documented_with_a_default() {
    for entry in Catalog::builtin()
        .entries
        .iter()
        .filter(|e| e.pack.is_none())
    {
        let id = &entry.meta.id;
        let template: toml::Table = toml::from_str(&entry.meta.options).expect("TOML");
        let docs = &entry.meta.docs;
        let options = docs
            .split("## Options")
            .nth(1)
            .map(|s| s.split("\n## ").next().unwrap_or(s))
            .unwrap_or("");
        for key in template.keys() {
            // The option's entry: from its name (in a list item, a paragraph, or a group of
            // options sharing one description) to the next blank line.
            let Some(at) = options.find(&format!("`{key}`")) else {
                panic!("{id}: option `{key}` is not documented under ## Options");
            };
            let entry = &options[at..];
            let entry = entry[1..]
                .find("\n\n")
                .map_or(entry, |end| &entry[..end + 1]);
            assert!(
                entry.contains("default"),
                "{id}: `{key}`'s documentation gives no default"
            );
        }
    }
}
