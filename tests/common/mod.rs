//! Helpers shared by the CLI test files: set up a folder, run the built binary (with or without
//! standard input) and read what it printed.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The repository's root (where `fixtures/` and `Cargo.toml` are).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `fixtures/<name>` in the repository.
pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// The built binary, with colour and width fixed so output is stable.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_newslint"));
    c.env_remove("NO_COLOR").env("COLUMNS", "100");
    c
}

/// Run `newslint ARGS` in `dir`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

/// Start `newslint ARGS` in `dir`, its output and errors piped back.
pub fn spawn(dir: &Path, args: &[&str]) -> Child {
    bin()
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Run `newslint ARGS` in `dir` with `input` on standard input.
pub fn feed(dir: &Path, args: &[&str], input: impl AsRef<[u8]>) -> Output {
    let mut child = bin()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Dropped at the end of the statement: the program sees the end of its input.
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_ref())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

pub fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Standard output read as JSON (a report of `--format json` or `sarif`).
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", out(o), err(o)))
}

/// The paths that `--format short` output names, in order, once each.
pub fn short_paths(o: &Output) -> Vec<String> {
    let mut v: Vec<String> = out(o)
        .lines()
        .filter_map(|l| l.split(':').next())
        .map(String::from)
        .collect();
    v.dedup();
    v
}

/// Write `text` to `dir/name` (making the folders on the way), and give its path.
pub fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p
}

/// Write each of `files` (path, text) into the existing folder `dir`.
pub fn put(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        write(dir, name, text);
    }
}

/// A temporary folder with `files` written in it.
pub fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), files);
    dir
}

/// Copy the tree `from` into `to` (made if missing).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// A temporary folder holding a copy of `fixtures/<name>` (so that no `.lintrc.toml` above it
/// interferes and `--fix` may write).
pub fn sandbox(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    dir
}

/// Run `git ARGS` in `dir`; it must succeed.
pub fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", err(&o));
}

/// A git repository in `dir` with a committer set, nothing committed.
pub fn git_init(dir: &Path) {
    git(dir, &["init", "-q"]);
    git(dir, &["config", "user.email", "t@example.com"]);
    git(dir, &["config", "user.name", "t"]);
}

/// The path of every finding of a `--format json` report, in the report's order.
pub fn finding_paths(o: &Output) -> Vec<String> {
    json(o)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect()
}

/// Wait for `child` (the program `what`) up to `limit`, and take its output; past the limit it
/// is killed and the test fails. A guard against hanging the suite, not a timing assertion: the
/// bound is far above what the run takes.
pub fn wait_or_kill(mut child: Child, limit: Duration, what: &str) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{what} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// HTML text or an attribute value back to its characters: the references the report's
/// renderer writes (`&#39;` among them) and those Chromium's `--dump-dom` writes (`&nbsp;`).
/// `&amp;` last, so that `&amp;lt;` reads back as `&lt;`.
pub fn unescape_html(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Fails unless `text` contains `needle`; the message shows both.
#[track_caller]
pub fn assert_contains(text: &str, needle: &str) {
    assert!(text.contains(needle), "{needle:?} is not in:\n{text}");
}

/// The text of the seed page `fixtures/seeds/<name>`.
pub fn seed(name: &str) -> String {
    std::fs::read_to_string(fixture("seeds").join(name)).unwrap()
}

/// The findings of `rule` in the JSON report `v`, in the report's order.
pub fn findings_of<'a>(v: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == rule)
        .collect()
}
