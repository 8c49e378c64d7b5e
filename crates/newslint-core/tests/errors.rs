//! The core's errors are types: a front end matches on their parts, and their `Display` is the
//! sentence the CLI prints.

use std::path::Path;

use newslint_core::config::Config;
use newslint_core::error::LintError;
use newslint_core::lint::{Linter, Selection};

#[test]
fn an_unknown_rule_is_a_typed_error() {
    let selection = Selection {
        select: Some(vec!["punctuation-width".into(), "no-such-rule".into()]),
        ignore: vec![],
    };
    let err = Linter::new(Config::defaults(Path::new(".")), selection)
        .err()
        .expect("an unknown rule is refused");
    assert_eq!(err, LintError::UnknownRule("no-such-rule".into()));
    assert_eq!(
        err.to_string(),
        "未知的规则 `no-such-rule`（`newslint rules` 列出全部规则）"
    );
}

#[test]
fn rule_option_errors_keep_the_rule_and_the_reason_apart() {
    let err = LintError::RuleOptions {
        rule: "number-style".into(),
        why: "invalid type: string \"x\", expected a boolean".into(),
    };
    assert_eq!(
        err.to_string(),
        "规则 `number-style` 的选项有误：类型不对：这里是字符串 \"x\"，应为布尔值（true 或 false）"
    );
}

#[test]
fn baseline_errors_name_the_file_and_the_reason() {
    use newslint_core::baseline::Baseline;
    use newslint_core::error::BaselineError;
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.json");
    match Baseline::load(&missing) {
        Err(BaselineError::Read { path, error }) => {
            assert_eq!(path, missing);
            assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("{other:?}"),
    }
    let future = dir.path().join("v2.json");
    std::fs::write(&future, r#"{"version": 2, "findings": []}"#).expect("write");
    match Baseline::load(&future) {
        Err(e @ BaselineError::Version { version: 2, .. }) => {
            assert!(e.to_string().contains("的版本 2 不受支持"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}
