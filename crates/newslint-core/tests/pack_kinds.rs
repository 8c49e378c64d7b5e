//! The keys every pack kind shares are declared once (packs/schema.rs): each kind reads them
//! alike, `quoted` is taken by every kind but occurrence, and an unknown key is still an error
//! that points at its line.

use newslint_core::diagnostic::Severity;
use newslint_core::packs::{load_pack, PackFile, PackRule};

/// The body of a minimal valid rule file of each kind (without the shared keys).
const KINDS: [(&str, &str); 4] = [
    ("existence", "tokens = [\"禁用语\"]"),
    ("substitution", "[swap]\n\"陪偿\" = \"赔偿\""),
    ("consistency", "groups = [[\"其他\", \"其它\"]]"),
    ("occurrence", "unit = \"sentence\"\nmax-chars = 80"),
];

fn load(kind: &str, body: &str, shared: &str) -> Result<PackRule, String> {
    let files = [
        PackFile {
            builtin: false,
            name: "house/pack.toml".into(),
            text: "name = \"house\"\nversion = \"1\"\ndescription = \"d\"\n".into(),
        },
        PackFile {
            builtin: false,
            name: "house/r.toml".into(),
            text: format!(
                "kind = \"{kind}\"\ndescription = \"说明\"\nmessage = \"m\"\n{shared}\n{body}\n"
            ),
        },
    ];
    load_pack("house", &files)
        .map(|mut p| p.rules.remove(0))
        .map_err(|e| format!("{e:?}"))
}

#[test]
fn every_kind_reads_the_shared_keys_alike() {
    let shared = "help = \"h\"\nseverity = \"error\"\nenabled = false\nscope = [\"body\"]";
    for (kind, body) in KINDS {
        // Tables (`[swap]`, `[[examples]]`) come after the plain keys.
        let body_examples = format!("{body}\n[[examples]]\ntext = \"x\"\nreport = false");
        let rule = load(kind, &body_examples, shared).unwrap_or_else(|e| panic!("{kind}: {e}"));
        let meta = rule.meta();
        assert_eq!(meta.id, "house/r", "{kind}");
        assert_eq!(meta.summary, "说明", "{kind}");
        assert_eq!(meta.default_severity, Severity::Error, "{kind}");
        assert!(!meta.default_enabled, "{kind}");
        assert_eq!(rule.examples.len(), 1, "{kind}");
        let defaults = load(kind, body, "").unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(
            defaults.meta().default_severity,
            Severity::Warning,
            "{kind}"
        );
        assert!(defaults.meta().default_enabled, "{kind}");
    }
}

#[test]
fn quoted_is_taken_by_every_kind_but_occurrence() {
    for (kind, body) in KINDS {
        let r = load(kind, body, "quoted = \"skip\"");
        assert_eq!(r.is_ok(), kind != "occurrence", "{kind}: {:?}", r.err());
    }
}

#[test]
fn an_unknown_key_is_an_error_at_its_line() {
    for (kind, body) in KINDS {
        let e = load(kind, body, "colour = \"red\"")
            .err()
            .unwrap_or_default();
        assert!(e.contains("colour"), "{kind}: {e}");
        assert!(e.contains("span: Some("), "{kind}: {e}");
    }
}

/// A pack rule owns its metadata (nothing is leaked to get `&'static` strings): loading the
/// same pack twice gives two metadata that are freed with their rules, as a language server
/// reloading a config needs.
#[test]
fn loading_a_pack_twice_leaks_no_metadata() {
    let (kind, body) = KINDS[0];
    let weak: Vec<std::sync::Weak<newslint_core::rules::RuleMeta>> = (0..2)
        .map(|_| {
            let rule = load(kind, body, "").expect("pack");
            let meta = rule.shared_meta();
            assert!(matches!(meta.id, std::borrow::Cow::Owned(_)), "owned id");
            assert!(
                matches!(meta.docs, std::borrow::Cow::Owned(_)),
                "owned docs"
            );
            std::sync::Arc::downgrade(&meta)
            // `rule` and `meta` are dropped here.
        })
        .collect();
    assert!(
        !std::sync::Weak::ptr_eq(&weak[0], &weak[1]),
        "one metadata per load"
    );
    assert!(
        weak.iter().all(|w| w.upgrade().is_none()),
        "the metadata is freed with its rule"
    );
}
