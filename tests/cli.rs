//! CLI tests: the built binary on small fixture trees copied into a temporary folder (so that no
//! `.lintrc.toml` above them interferes and `--fix` may write). Output is snapshotted with insta.

mod common;
use common::*;

use std::path::{Path, PathBuf};

/// Replace the sandbox path so snapshots are stable.
fn scrub(s: &str, dir: &Path) -> String {
    s.replace(&dir.display().to_string(), "[TMP]")
}

#[test]
fn seeds_short_format_and_exit_1() {
    let dir = sandbox("seeds");
    let o = run(dir.path(), &["check", "--format", "short", "."]);
    assert_eq!(code(&o), 1, "{}", err(&o));
    insta::assert_snapshot!("seeds-short", out(&o));
}

#[test]
fn tree_human_format() {
    let dir = sandbox("cli/tree");
    write(dir.path(), ".gitignore", "archive/\n");
    let o = run(dir.path(), &["check", "--color", "never"]);
    assert_eq!(code(&o), 1);
    insta::assert_snapshot!("tree-human", out(&o));
}

#[test]
fn walking_honours_include_exclude_and_gitignore() {
    let dir = sandbox("cli/tree");
    // Defaults: *.txt and *.md; notes.log is not included; code in Markdown is not prose.
    let o = run(dir.path(), &["check", "--format", "short"]);
    assert_eq!(
        short_paths(&o),
        ["archive/old.txt", "article.txt", "sub/more.md"]
    );
    // .gitignore is honoured even outside a git repository.
    write(dir.path(), ".gitignore", "archive/\n");
    let o = run(dir.path(), &["check", "--format", "short"]);
    assert_eq!(short_paths(&o), ["article.txt", "sub/more.md"]);
    // include / exclude from the config.
    write(
        dir.path(),
        ".lintrc.toml",
        "[files]\ninclude = [\"*.txt\", \"*.log\"]\nexclude = [\"article.txt\"]\n",
    );
    let o = run(dir.path(), &["check", "--format", "short"]);
    assert_eq!(short_paths(&o), ["notes.log"]);
    // A file named on the command line is always linted.
    let o = run(
        dir.path(),
        &[
            "check",
            "--format",
            "short",
            "article.txt",
            "archive/old.txt",
        ],
    );
    assert_eq!(short_paths(&o), ["archive/old.txt", "article.txt"]);
}

#[test]
fn clean_files_exit_0() {
    let dir = sandbox("clean");
    let o = run(dir.path(), &["check"]);
    assert_eq!(code(&o), 0, "{}", out(&o));
    assert!(out(&o).contains("未发现问题"));
}

#[test]
fn json_follows_the_schema() {
    let dir = sandbox("seeds");
    let o = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(code(&o), 1);
    let v = json(&o);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(keys, ["diagnostics", "summary", "version"]);
    assert_eq!(v["version"], 1);
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(v["summary"]["files"], 3);
    let sum = &v["summary"];
    let counted: u64 = ["errors", "warnings", "infos"]
        .iter()
        .map(|k| sum[k].as_u64().unwrap())
        .sum();
    assert_eq!(counted as usize, diags.len());
    for sev in ["error", "warning", "info"] {
        let n = diags.iter().filter(|d| d["severity"] == sev).count() as u64;
        assert_eq!(sum[format!("{sev}s")].as_u64().unwrap(), n);
    }
    let texts: std::collections::HashMap<String, String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    for d in diags {
        let obj = d.as_object().unwrap();
        for k in [
            "path",
            "rule",
            "severity",
            "message",
            "help",
            "line",
            "column",
            "end_line",
            "end_column",
            "byte_start",
            "byte_end",
            "labels",
            "fix",
        ] {
            assert!(obj.contains_key(k), "missing {k}");
        }
        assert_eq!(obj.len(), 13);
        // Columns count characters: recompute from the byte offset.
        let text = &texts[d["path"].as_str().unwrap()];
        let start = d["byte_start"].as_u64().unwrap() as usize;
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        assert_eq!(
            d["column"].as_u64().unwrap() as usize,
            text[line_start..start].chars().count() + 1
        );
        assert_eq!(
            d["line"].as_u64().unwrap() as usize,
            text[..start].matches('\n').count() + 1
        );
        let fix = &d["fix"];
        if fix.is_null() {
            continue;
        }
        assert!(fix["applicability"] == "safe" || fix["applicability"] == "unsafe");
        for e in fix["edits"].as_array().unwrap() {
            assert!(e["byte_start"].as_u64() <= e["byte_end"].as_u64());
            assert!(e["replacement"].is_string());
        }
    }
}

#[test]
fn threads_do_not_change_output() {
    let dir = sandbox("seeds");
    copy_dir(&fixture("clean"), &dir.path().join("clean"));
    for format in ["human", "short", "json"] {
        let a = run(dir.path(), &["check", "--format", format, "-j1"]);
        let b = run(dir.path(), &["check", "--format", format]);
        let c = run(dir.path(), &["check", "--format", format, "-j", "4"]);
        assert_eq!(out(&a), out(&b), "{format}");
        assert_eq!(out(&a), out(&c), "{format}");
    }
}

/// `short`, `human` and `github` stream each file's findings as the run goes; whole-document
/// formats collect them. Both must list files in the same order, including where sorting
/// paths by component and as strings differ ("a-b/" sorts before "a/" as a string), and merge
/// a path that cannot be read in its place.
#[test]
fn streamed_output_is_in_the_order_of_a_collected_run() {
    let dir = tempfile::tempdir().unwrap();
    let line = "本报讯 督导组 and 执法组今天到达现场，检查了防汛准备工作。\n";
    for name in [
        "a/x.txt",
        "a-b/x.txt",
        "a.txt",
        "a/b/y.txt",
        "b.txt",
        "a0/z.txt",
    ] {
        write(dir.path(), name, line);
    }
    let args = [
        "check",
        "--no-config",
        "--select",
        "stray-latin",
        "a",
        "a-b",
        "a.txt",
        "a0",
        "b.txt",
        "a-missing",
    ];
    let short = run(dir.path(), &[&args[..], &["--format", "short"]].concat());
    let json = run(dir.path(), &[&args[..], &["--format", "json"]].concat());
    let streamed: Vec<String> = out(&short)
        .lines()
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect();
    assert_eq!(streamed, finding_paths(&json));
    assert_eq!(
        streamed,
        [
            "a-b/x.txt",
            "a-missing",
            "a.txt",
            "a/b/y.txt",
            "a/x.txt",
            "a0/z.txt",
            "b.txt"
        ]
    );
    assert_eq!(code(&short), 2, "an unreadable path exits 2");
    assert_contains(&err(&short), "a-missing");
}

#[test]
fn unknown_config_key_is_shown_with_its_line() {
    let dir = sandbox("cli/tree");
    write(dir.path(), ".lintrc.toml", "[files]\ninclude = [\"*.txt\"]\n\n[rules.punctuation-width]\nseverity = \"warning\"\ncolour = \"red\"\n");
    let o = run(dir.path(), &["check", "--color", "never"]);
    assert_eq!(code(&o), 2);
    assert!(out(&o).is_empty(), "nothing is linted on a config error");
    insta::assert_snapshot!("config-unknown-key", scrub(&err(&o), dir.path()));
}

#[test]
fn bad_config_values() {
    let dir = sandbox("cli/tree");
    for (cfg, needle) in [
        ("[filez]\n", "未知的键 `filez`"),
        ("[rules.no-such-rule]\n", "未知的规则 `no-such-rule`"),
        ("[rules.punctuation-width]\nseverity = \"fatal\"\n", "`severity` 的值无效"),
        ("[rules.punctuation-width]\nmarks = \"x\"\n", "`marks` may only contain"),
        ("[[overrides]]\nfiles = [\"a/**\"]\n[overrides.rules.punctuation-width]\nseverty = \"off\"\n", "未知的键 `severty`"),
        ("[files]\ninclude = \"*.txt\"\n", "类型不对：这里是字符串 \"*.txt\"，应为数组"),
    ] {
        write(dir.path(), ".lintrc.toml", cfg);
        let o = run(dir.path(), &["check", "--color", "never"]);
        assert_eq!(code(&o), 2, "{cfg}");
        assert!(err(&o).contains(needle), "{cfg}: {}", err(&o));
        assert!(err(&o).contains(".lintrc.toml"), "names the file");
    }
    // --no-config ignores the broken file.
    let o = run(dir.path(), &["check", "--no-config", "--format", "short"]);
    assert_eq!(code(&o), 1);
}

#[test]
fn overrides_severity_and_max_warnings() {
    let dir = sandbox("cli/tree");
    write(dir.path(), ".lintrc.toml", "[rules.punctuation-width]\nseverity = \"warning\"\n\n[[overrides]]\nfiles = [\"archive/**\"]\n[overrides.rules.punctuation-width]\nseverity = \"off\"\n");
    let o = run(dir.path(), &["check", "--format", "short"]);
    assert_eq!(code(&o), 0, "warnings only");
    let out = out(&o);
    assert!(out.contains("warning[punctuation-width]"));
    assert!(
        !out.contains("archive/old.txt"),
        "override turned the rule off there"
    );
    let o = run(
        dir.path(),
        &["check", "--format", "short", "--max-warnings", "0"],
    );
    assert_eq!(code(&o), 1);
    let o = run(
        dir.path(),
        &["check", "--format", "short", "--max-warnings", "100"],
    );
    assert_eq!(code(&o), 0);
    // --config names a file explicitly.
    write(
        dir.path(),
        "strict.toml",
        "[rules.punctuation-width]\nseverity = \"error\"\n",
    );
    let o = run(
        dir.path(),
        &["check", "--format", "short", "--config", "strict.toml"],
    );
    assert_eq!(code(&o), 1);
}

#[test]
fn select_and_ignore() {
    let dir = sandbox("cli/tree");
    let o = run(dir.path(), &["check", "--ignore", "punctuation-width"]);
    assert_eq!(code(&o), 0);
    let o = run(
        dir.path(),
        &[
            "check",
            "--select",
            "punctuation-width",
            "--format",
            "short",
        ],
    );
    assert_eq!(code(&o), 1);
    let o = run(dir.path(), &["check", "--select", "no-such-rule"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("no-such-rule"));
    let o = run(dir.path(), &["check", "--format", "yaml"]);
    assert_eq!(code(&o), 2, "usage errors exit 2");
}

#[test]
fn io_errors_name_the_file_and_the_run_goes_on() {
    let dir = sandbox("cli/tree");
    write(dir.path(), "gbk.txt", b"\xfd\xff\xff,\n");
    let o = run(
        dir.path(),
        &["check", "--format", "short", ".", "missing.txt"],
    );
    assert_eq!(code(&o), 2);
    let err = err(&o);
    assert!(err.contains("gbk.txt") && err.contains("UTF-8"), "{err}");
    assert_contains(&err, "missing.txt");
    assert!(
        out(&o).contains("article.txt"),
        "other files are still linted"
    );
    let o = run(dir.path(), &["check", "--format", "json", "."]);
    let v = json(&o);
    let io = findings_of(&v, "io");
    assert_eq!(io.len(), 1);
    assert_eq!(io[0]["path"], "gbk.txt");
}

/// Strip the marks the rule changes; what is left must be byte-for-byte the original.
fn skeleton(s: &str) -> String {
    s.chars()
        .filter(|c| !",;:?!() ，；：？！（）".contains(*c))
        .collect()
}

#[test]
fn fix_rewrites_only_the_marks_and_relint_is_clean() {
    let dir = sandbox("seeds");
    let before: Vec<(PathBuf, String)> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let t = std::fs::read_to_string(&p).unwrap();
            (p, t)
        })
        .collect();
    let o = run(
        dir.path(),
        &[
            "check",
            "--fix",
            "--format",
            "short",
            "--select",
            "punctuation-width",
        ],
    );
    assert_eq!(code(&o), 0, "{}", out(&o));
    assert!(out(&o).is_empty());
    for (p, old) in &before {
        let new = std::fs::read_to_string(p).unwrap();
        assert_ne!(&new, old);
        assert_eq!(
            skeleton(&new),
            skeleton(old),
            "{p:?}: only marks and spaces changed"
        );
        assert_eq!(new.lines().count(), old.lines().count());
    }
    let o = run(
        dir.path(),
        &[
            "check",
            "--format",
            "short",
            "--select",
            "punctuation-width",
        ],
    );
    assert_eq!(
        code(&o),
        0,
        "re-linting reports none of the fixed findings: {}",
        out(&o)
    );
    // No temporary files are left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), before.len());
}

#[test]
fn fix_keeps_bom_crlf_and_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "a.txt", b"\xEF\xBB\xBF\xE6\xA0\x87\xE9\xA2\x98\r\n\r\n\xE6\xAD\xA3\xE6\x96\x87,\xE7\xBB\xA7\xE7\xBB\xAD\xE3\x80\x82\r\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let o = run(dir.path(), &["check", "--fix", "a.txt"]);
    assert_eq!(code(&o), 0, "{}", out(&o));
    let bytes = std::fs::read(&p).unwrap();
    assert_eq!(bytes, "\u{FEFF}标题\r\n\r\n正文，继续。\r\n".as_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }
}

#[test]
fn diff_prints_and_writes_nothing() {
    let dir = sandbox("cli/tree");
    let before = std::fs::read_to_string(dir.path().join("article.txt")).unwrap();
    let o = run(dir.path(), &["check", "--diff", "article.txt"]);
    assert_eq!(code(&o), 1);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("article.txt")).unwrap(),
        before
    );
    insta::assert_snapshot!("diff", out(&o));
}

#[test]
fn color_flag_and_no_color() {
    let dir = sandbox("cli/tree");
    let o = run(dir.path(), &["check", "--color", "always", "article.txt"]);
    assert!(out(&o).contains("\u{1b}["));
    let o = run(dir.path(), &["check", "--color", "never", "article.txt"]);
    assert!(!out(&o).contains("\u{1b}["));
    let o = bin()
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["check", "article.txt"])
        .output()
        .unwrap();
    assert!(!out(&o).contains("\u{1b}["));
}

#[test]
fn quiet_drops_the_summary() {
    let dir = sandbox("clean");
    let o = run(dir.path(), &["check", "--quiet"]);
    assert_eq!(code(&o), 0);
    assert!(out(&o).is_empty());
}

#[test]
fn rules_explain_init() {
    let o = bin().arg("rules").output().unwrap();
    assert_eq!(code(&o), 0);
    insta::assert_snapshot!("rules", out(&o));
    let o = bin()
        .args(["explain", "punctuation-width"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    let text = out(&o);
    for heading in [
        "## What it does",
        "## Why",
        "## Examples",
        "## Options",
        "## Fix safety",
    ] {
        assert!(text.contains(heading), "{heading}");
    }
    let o = bin().args(["explain", "nope"]).output().unwrap();
    assert_eq!(code(&o), 2);
    // `init` writes the project's own config, and it is valid.
    let o = bin().args(["init", "--stdout"]).output().unwrap();
    let repo = std::fs::read_to_string(root().join(".lintrc.toml")).unwrap();
    assert_eq!(
        out(&o),
        repo,
        ".lintrc.toml must equal `newslint init --stdout`"
    );
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["init"]);
    assert_eq!(code(&o), 0);
    let o = run(dir.path(), &["init"]);
    assert_eq!(code(&o), 2, "refuses to overwrite");
    write(dir.path(), "a.txt", "正文,继续。\n");
    let o = run(dir.path(), &["check", "--format", "short"]);
    assert_eq!(code(&o), 1, "{}", err(&o));
}

#[test]
fn zones_shows_the_document_model() {
    let o = bin()
        .args(["zones"])
        .arg(fixture("seeds/002_6007f0643364af9b.txt"))
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    insta::assert_snapshot!("zones-seed-002", out(&o));
}

#[test]
fn duplicate_paragraphs_across_files_with_repo_scope() {
    let dir = tempfile::tempdir().unwrap();
    let shared = "根据现场勘查的整改情况作出联合审批结论，有效引导了诚信经营。";
    write(
        dir.path(),
        "a.txt",
        format!("标题甲\n\n{shared}\n\n甲稿独有的一段文字，讲述了另一件事情的经过。\n"),
    );
    write(
        dir.path(),
        "b.txt",
        format!("标题乙\n\n乙稿独有的一段文字，讲述了别的事情的来龙去脉。\n\n{shared}\n"),
    );
    // Off by default: each file is clean on its own.
    let o = run(dir.path(), &["check", "--format", "short"]);
    assert_eq!(code(&o), 0, "{}", out(&o));
    write(
        dir.path(),
        ".lintrc.toml",
        "[rules.duplicate-paragraph]\nscope = \"repo\"\n",
    );
    let o = run(dir.path(), &["check", "--format", "short"]);
    assert_eq!(code(&o), 1);
    assert_eq!(
        out(&o),
        "b.txt:5:1: error[duplicate-paragraph] 本段与 a.txt:3 的段落完全相同（跨文件重复）\n"
    );
    let o = run(dir.path(), &["check", "--color", "never"]);
    assert_contains(&out(&o), "b.txt:5:1");
    assert!(out(&o).contains("a.txt:3"));
}

#[test]
fn fix_joins_the_broken_paragraphs_of_seed_000_and_nothing_else() {
    // Seed 000 has six breaks. Five fall inside a word (社|会, 及|时, 开|办, 孩|子, 主|题): their
    // joins are safe. The sixth follows a short line with a comma ("……更是展现该校" / "师生风采，……"),
    // which could be a heading: its join is unsafe and is applied only with --unsafe-fixes.
    let dir = sandbox("seeds");
    let page = "000_53873edf1b1d3b95.txt";
    let original = std::fs::read_to_string(dir.path().join(page)).unwrap();
    let o = run(
        dir.path(),
        &["check", "--fix", "--select", "broken-paragraph", page],
    );
    assert_eq!(code(&o), 1, "{}", out(&o));
    let safe = std::fs::read_to_string(dir.path().join(page)).unwrap();
    assert_eq!(original.replace('\n', ""), safe.replace('\n', ""));
    assert_eq!(
        original.matches('\n').count() - safe.matches('\n').count(),
        10
    );
    assert!(
        safe.contains("更是展现该校\n\n师生风采"),
        "the unsafe join waits"
    );
    let o = run(
        dir.path(),
        &[
            "check",
            "--fix",
            "--unsafe-fixes",
            "--select",
            "broken-paragraph",
            page,
        ],
    );
    assert_eq!(code(&o), 0, "{}", out(&o));
    let fixed = std::fs::read_to_string(dir.path().join(page)).unwrap();
    let expected =
        std::fs::read_to_string(fixture("fix/000-broken-paragraph.expected.txt")).unwrap();
    assert_eq!(fixed, expected);
    // The expected file itself: the same characters, six paragraph breaks (two newlines each) fewer.
    assert_eq!(original.replace('\n', ""), expected.replace('\n', ""));
    assert_eq!(
        original.matches('\n').count() - expected.matches('\n').count(),
        12
    );
}
