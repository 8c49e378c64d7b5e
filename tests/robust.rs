//! Robust input: legacy encodings, odd files, bad paths. Nothing is lost and the run goes on.

mod common;
use common::*;

use std::process::Output;

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// (rule, line, column) of every finding, from JSON output.
fn findings(o: &Output) -> Vec<(String, u64, u64)> {
    json(o)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn gbk_copy_of_seed_002_gives_the_same_findings_and_fixes_to_valid_gbk() {
    let text = seed("002_6007f0643364af9b.txt");
    let utf8 = folder(&[("page.txt", &text)]);
    let legacy = tempfile::tempdir().unwrap();
    write(legacy.path(), "page.txt", gbk(&text));
    let a = run(utf8.path(), &["check", "--no-config", "--format", "json"]);
    let b = run(legacy.path(), &["check", "--no-config", "--format", "json"]);
    assert_eq!(code(&b), 1, "{}", err(&b));
    let (fa, fb) = (findings(&a), findings(&b));
    assert!(fa.len() > 50);
    assert_eq!(fa, fb, "same rules, lines and columns");
    // --fix writes GBK back, and the fixed file decodes to what the UTF-8 copy becomes.
    run(utf8.path(), &["check", "--no-config", "--fix"]);
    let o = run(legacy.path(), &["check", "--no-config", "--fix"]);
    assert_ne!(code(&o), 2, "{}", err(&o));
    let bytes = std::fs::read(legacy.path().join("page.txt")).unwrap();
    let (decoded, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
    assert!(!had_errors, "valid GBK");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "still GBK, not converted to UTF-8"
    );
    assert_eq!(
        decoded,
        std::fs::read_to_string(utf8.path().join("page.txt")).unwrap()
    );
}

#[test]
fn utf16_and_forced_encodings() {
    let dir = tempfile::tempdir().unwrap();
    let mut le = vec![0xFF, 0xFE];
    for u in "标题\n\n正文,继续。\n".encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
    }
    write(dir.path(), "le.txt", &le);
    let o = run(
        dir.path(),
        &["check", "--no-config", "--format", "short", "le.txt"],
    );
    assert_eq!(
        out(&o),
        "le.txt:3:3: error[punctuation-width] 中文里用了半角逗号“,”\n"
    );
    run(dir.path(), &["check", "--no-config", "--fix", "le.txt"]);
    let bytes = std::fs::read(dir.path().join("le.txt")).unwrap();
    assert_eq!(&bytes[..2], &[0xFF, 0xFE], "BOM kept");
    let units: Vec<u16> = bytes[2..]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(
        String::from_utf16(&units).unwrap(),
        "标题\n\n正文，继续。\n"
    );
    // Forcing an encoding the file is not in is a clear error for that file.
    write(dir.path(), "g.txt", gbk("正文,继续。\n"));
    let o = run(
        dir.path(),
        &["check", "--no-config", "--encoding", "utf-8", "g.txt"],
    );
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("g.txt") && err(&o).contains("不是有效的 UTF-8"),
        "{}",
        err(&o)
    );
    let o = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--encoding",
            "gbk",
            "--format",
            "short",
            "g.txt",
        ],
    );
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert_eq!(
        run(dir.path(), &["check", "--encoding", "latin9"])
            .status
            .code(),
        Some(2)
    );
    // The config's [files] encoding is used too.
    write(
        dir.path(),
        ".lintrc.toml",
        "[files]\nencoding = \"gb18030\"\n",
    );
    let o = run(dir.path(), &["check", "--format", "short", "g.txt"]);
    assert_eq!(code(&o), 1, "{}", err(&o));
}

#[test]
fn a_gbk_file_refuses_a_fix_it_cannot_encode() {
    let dir = folder(&[
        (
            "pack/pack.toml",
            "name = \"emoji\"\nversion = \"1\"\ndescription = \"x\"\n",
        ),
        (
            "pack/smile.toml",
            "kind = \"substitution\"\ndescription = \"x\"\nmessage = \"y\"\nfix = \"safe\"\n[swap]\n\"微笑\" = \"😀\"\n",
        ),
        (".lintrc.toml", "packs = [\"pack\"]\n"),
    ]);
    let original = gbk("标题\n\n他微笑着说。\n");
    write(dir.path(), "a.txt", &original);
    let o = run(dir.path(), &["check", "--fix", "a.txt"]);
    assert_eq!(code(&o), 2);
    assert_contains(&err(&o), "“😀”无法用 GBK 编码，文件没有改动");
    assert_eq!(
        std::fs::read(dir.path().join("a.txt")).unwrap(),
        original,
        "not a byte lost"
    );
}

#[cfg(unix)]
#[test]
fn a_tree_of_bad_paths_reports_each_once_and_lints_the_rest() {
    use std::os::unix::fs::symlink;
    let dir = folder(&[
        ("good.txt", "标题\n\n正文,继续。\n"),
        ("新闻 稿件/第 1 篇.txt", "标题\n\n正文,继续。\n"),
        ("binary.txt", "abc\0def"),
        ("empty.txt", ""),
    ]);
    let d = dir.path();
    symlink("missing.txt", d.join("broken.txt")).unwrap();
    symlink("loop.txt", d.join("loop.txt")).unwrap();
    // A file that cannot be read, even by root.
    symlink("/proc/self/mem", d.join("unreadable.txt")).unwrap();
    let o = run(
        d,
        &["check", "--no-config", "--format", "short", "--verbose"],
    );
    assert_eq!(code(&o), 2);
    let text = out(&o);
    assert_contains(&text, "good.txt:3:3");
    assert_contains(&text, "新闻 稿件/第 1 篇.txt:3:3");
    let e = err(&o);
    for (path, needle) in [
        ("broken.txt", "不存在"),
        ("loop.txt", "成环"),
        ("unreadable.txt", "无法读取"),
    ] {
        let lines: Vec<&str> = e.lines().filter(|l| l.contains(path)).collect();
        assert_eq!(lines.len(), 1, "one message for {path}: {e}");
        assert!(lines[0].contains(needle), "{path}: {}", lines[0]);
    }
    assert!(
        e.contains("skipped: binary.txt"),
        "binary listed with --verbose: {e}"
    );
    let o = run(d, &["check", "--no-config", "--format", "short"]);
    assert!(!err(&o).contains("binary.txt"), "and only with --verbose");
}

#[test]
fn a_long_line_and_a_large_file() {
    let dir = tempfile::tempdir().unwrap();
    // A 10 MB line with no newline (a seed page with its line breaks removed, over and over),
    // with findings spread through it; every rule runs.
    let page: String = seed("000_53873edf1b1d3b95.txt")
        .split_whitespace()
        .collect();
    let line: String = std::iter::repeat_n(page.as_str(), 10 * 1024 * 1024 / page.len()).collect();
    write(dir.path(), "line.txt", &line);
    let start = std::time::Instant::now();
    let o = run(
        dir.path(),
        &["check", "--no-config", "--format", "json", "line.txt"],
    );
    assert_eq!(code(&o), 1, "{}", err(&o));
    let v = json(&o);
    let diags = findings_of(&v, "punctuation-width");
    assert_eq!(diags.len(), line.matches('(').count());
    let last = diags.last().unwrap();
    assert_eq!(last["line"], 1);
    let last_paren = line.rfind('(').unwrap();
    assert_eq!(
        last["column"].as_u64().unwrap() as usize,
        line[..last_paren].chars().count() + 1
    );
    assert!(
        start.elapsed().as_secs() < 300,
        "a long line is not quadratic"
    );
}
