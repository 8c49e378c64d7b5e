//! The library API's example (`examples/lint_string.rs`) runs and finds what the CLI finds.

use std::path::PathBuf;
use std::process::Command;

/// The example's binary: built by `cargo test` with the tests, or built now when only this
/// test target was built (`cargo test --test api`).
fn example() -> PathBuf {
    let mut dir = std::env::current_exe().expect("test binary path");
    dir.pop(); // deps/
    dir.pop(); // debug/
    let exe = dir
        .join("examples")
        .join(format!("lint_string{}", std::env::consts::EXE_SUFFIX));
    if !exe.is_file() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "--example", "lint_string"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo build --example");
        assert!(status.success());
    }
    exe
}

#[test]
fn the_example_lints_a_string_through_the_api() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The text has an emoji before the bracket: the column counts characters, not bytes.
    let out = Command::new(example())
        .arg("🙂🙂本报讯(记者 李明)昨日")
        .current_dir(dir.path())
        .output()
        .expect("run the example");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("1:6 error[punctuation-width] 中文里用了半角括号“()” [Safe]"),
        "{stdout}"
    );
    // A config next to the text is honoured: the rule turned off, nothing is found.
    std::fs::write(
        dir.path().join(".lintrc.toml"),
        "[rules.punctuation-width]\nseverity = \"off\"\n",
    )
    .expect("write config");
    let out = Command::new(example())
        .arg("本报讯(记者 李明)昨日")
        .current_dir(dir.path())
        .output()
        .expect("run the example");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
