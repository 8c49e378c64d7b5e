//! Helpers shared by the CLI test files: run the built binary and read what it printed.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

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

pub fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

pub fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// A temporary folder with `files` written in it.
pub fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}
