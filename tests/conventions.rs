//! The conventions users bring from ruff, typos, git and pre-commit (issue 19): set-up files,
//! config discovery, baselines, hooks, standard input, suppressions, SARIF, human output,
//! built-in packs, messages, XML, Han characters, completions, the man page and the action.
//! Each test runs the built binary or reads a file a user meets, as that user would.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use common::{bin, code, err, out, run};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p
}

/// Run `newslint ARGS` in `dir` with `input` on standard input.
fn feed(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut c = bin()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    c.stdin.take().unwrap().write_all(input).unwrap();
    c.wait_with_output().unwrap()
}

/// The paths that `--format short` output names, in order, once each.
fn short_paths(o: &Output) -> Vec<String> {
    let mut v: Vec<String> = out(o)
        .lines()
        .filter_map(|l| l.split(':').next())
        .map(String::from)
        .collect();
    v.dedup();
    v
}

/// A page with one ASCII comma between Han characters (one punctuation-width error).
const COMMA: &str = "标题\n\n正文,继续。\n";

// 13. Han characters of every extension are Han to the rules.
#[test]
fn han_of_extensions_g_and_h_is_chinese_context() {
    let dir = tempfile::tempdir().unwrap();
    for text in [
        "𰻝𰻝,𰻝𰻝。\n",
        "\u{31350}\u{31350},\u{31350}。\n",
        "鑫鑫,鑫鑫。\n",
    ] {
        let o = feed(
            dir.path(),
            &["check", "--format", "short", "--stdin-filename", "a.txt"],
            text.as_bytes(),
        );
        assert_eq!(code(&o), 1, "{text}: {}", out(&o));
        assert!(
            out(&o).contains("error[punctuation-width]"),
            "{text}: {}",
            out(&o)
        );
    }
}

// 12. A newline in an XML attribute is a character reference, so it reads back as a newline.
#[test]
fn xml_attributes_keep_newlines_as_references() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a\nb.txt", COMMA);
    for format in ["checkstyle", "junit"] {
        let o = run(dir.path(), &["check", "--format", format, "."]);
        assert_eq!(code(&o), 1, "{}", err(&o));
        let xml = out(&o);
        assert!(xml.contains("name=\"a&#10;b.txt\""), "{xml}");
        // No attribute value spans a line: every quote opened on a line closes on it.
        for line in xml.lines() {
            assert_eq!(line.matches('"').count() % 2, 0, "{line}");
        }
    }
}
