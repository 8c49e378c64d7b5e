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
