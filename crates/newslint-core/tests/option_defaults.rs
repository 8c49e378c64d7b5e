//! An option's default is written once: in the rule's `init` template (`RuleMeta::options`,
//! which `newslint init` writes and `.lintrc.toml` must equal, tests/cli.rs). `parse_options`
//! lays the user's table over it and the options structs have no serde defaults, so these tests
//! check what could break that: every rule builds from its template alone, with nothing added
//! (a field added to a struct but not to the template fails, as does a template key the struct
//! does not know); an unknown user key is still refused; a user value wins over the template;
//! the docs describe every key without repeating its value; `explain`'s text carries the
//! template.

use newslint_core::catalog::Catalog;
use newslint_core::document::{Document, Format};
use newslint_core::rules::RuleMeta;
use newslint_core::source::SourceFile;

fn rust_rules() -> Vec<RuleMeta> {
    Catalog::builtin()
        .entries
        .iter()
        .filter(|e| e.pack.is_none())
        .map(|e| (*e.meta).clone())
        .collect()
}

fn template(m: &RuleMeta) -> toml::Table {
    toml::from_str(&m.options)
        .unwrap_or_else(|e| panic!("{}: the init template is not TOML: {e}", m.id))
}

#[test]
fn every_rule_builds_from_its_template_and_every_template_key_is_known() {
    let cat = Catalog::builtin();
    let mut with_options = 0;
    for m in rust_rules() {
        let entry = cat.find(&m.id).expect("listed");
        let t = template(&m);
        if !t.is_empty() {
            with_options += 1;
        }
        // No options at all: every field must come from the template.
        entry
            .build(&toml::Table::new())
            .unwrap_or_else(|e| panic!("{}: the template alone is refused: {e:?}", m.id));
        // Each template key, given back by the user with its template value, is accepted.
        for (k, v) in &t {
            let mut one = toml::Table::new();
            one.insert(k.clone(), v.clone());
            entry
                .build(&one)
                .unwrap_or_else(|e| panic!("{}: `{k}` from the template is refused: {e:?}", m.id));
        }
    }
    assert!(with_options >= 9, "only {with_options} rules with options");
}

#[test]
fn a_key_missing_from_the_template_is_an_error() {
    // What a rule with a struct field the template lacks would see: the field is required.
    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    #[allow(dead_code)]
    struct Two {
        a: bool,
        b_key: bool,
    }
    let mut m = rust_rules().remove(0);
    m.options = "# a\na = true\n".into();
    let e = newslint_core::rules::parse_options::<Two>(&m, &toml::Table::new()).unwrap_err();
    assert!(e.message.contains("missing field `b-key`"), "{}", e.message);
    m.options = "a = true\nb-key = false\n".into();
    let two: Two = newslint_core::rules::parse_options(&m, &toml::Table::new()).expect("complete");
    assert!(two.a && !two.b_key);
}

#[test]
fn an_unknown_user_key_is_refused_with_its_name() {
    let cat = Catalog::builtin();
    for m in rust_rules() {
        let mut t = toml::Table::new();
        t.insert("no-such-option".into(), toml::Value::Boolean(true));
        let e = cat
            .find(&m.id)
            .expect("listed")
            .build(&t)
            .err()
            .unwrap_or_else(|| panic!("{}: an unknown key is accepted", m.id));
        assert_eq!(e.key.as_deref(), Some("no-such-option"), "{}", m.id);
        assert!(
            e.message.starts_with("unknown field `no-such-option`"),
            "{}: {}",
            m.id,
            e.message
        );
    }
}

#[test]
fn a_user_value_overrides_the_template() {
    let cat = Catalog::builtin();
    let entry = cat.find("repeated-word").expect("listed");
    let doc = Document::parse(
        SourceFile::from_text("会议通过了了决议。\n".to_string(), false),
        Format::Plain,
    );
    let count = |t: &toml::Table| {
        let mut out = Vec::new();
        entry.build(t).expect("valid").check(&doc, &mut out);
        out.len()
    };
    assert_eq!(
        count(&toml::Table::new()),
        1,
        "了 is among the template's characters"
    );
    let mut t = toml::Table::new();
    t.insert("function-chars".into(), toml::Value::String("的".into()));
    assert_eq!(count(&t), 0, "the user's characters replace the template's");
    // A bad user value is reported on its key, not hidden by the template's good one.
    t.insert("function-chars".into(), toml::Value::Integer(3));
    let e = entry.build(&t).err().expect("refused");
    assert!(e.message.contains("invalid type"), "{}", e.message);
}

#[test]
fn the_docs_describe_every_key_and_explain_shows_the_template() {
    for m in rust_rules() {
        let t = template(&m);
        let options = m
            .docs
            .split("## Options")
            .nth(1)
            .map(|s| s.split("\n## ").next().unwrap_or(s))
            .unwrap_or("");
        for key in t.keys() {
            assert!(
                options.contains(&format!("`{key}`")),
                "{}: option `{key}` is not documented under ## Options",
                m.id
            );
        }
        // The values are not repeated in the docs: they come from the template.
        assert!(
            !options.contains(", default "),
            "{}: the docs repeat a default; it is written in the template only",
            m.id
        );
        let shown = m.docs_with_defaults();
        if t.is_empty() {
            assert_eq!(shown, m.docs, "{}", m.id);
        } else {
            assert!(shown.contains("## Defaults (what `newslint init` writes)"));
            assert!(shown.contains(m.options.as_ref()), "{}", m.id);
        }
    }
}
