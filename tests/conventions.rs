//! The conventions users bring from ruff, typos, git and pre-commit (issue 19): set-up files,
//! config discovery, baselines, hooks, standard input, suppressions, SARIF, human output,
//! built-in packs, messages, XML, Han characters, completions, the man page and the action.
//! Each test runs the built binary or reads a file a user meets, as that user would.

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;

use common::{
    assert_contains, bin, code, err, feed, finding_paths, folder, git, git_init, json, out, put,
    root, run, short_paths, write,
};

/// A page with one ASCII comma between Han characters (one punctuation-width error).
const COMMA: &str = "标题\n\n正文,继续。\n";

/// A config that loads the pack `house` of one rule, `house/banned` (据悉 is a warning).
const HOUSE: &[(&str, &str)] = &[
    (
        "house/pack.toml",
        "name = \"house\"\nversion = \"1\"\ndescription = \"house style\"\n",
    ),
    (
        "house/banned.toml",
        "kind = \"existence\"\ndescription = \"banned words\"\nmessage = \"不用“{found}”\"\ntokens = [\"据悉\"]\n",
    ),
    (".lintrc.toml", "packs = [\"house\"]\n"),
];

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
    let dir = folder(&[("a\nb.txt", COMMA)]);
    for format in ["checkstyle", "junit"] {
        let o = run(dir.path(), &["check", "--format", format, "."]);
        assert_eq!(code(&o), 1, "{}", err(&o));
        let xml = out(&o);
        assert_contains(&xml, "name=\"a&#10;b.txt\"");
        // No attribute value spans a line: every quote opened on a line closes on it.
        for line in xml.lines() {
            assert_eq!(line.matches('"').count() % 2, 0, "{line}");
        }
    }
}

// 2. Each file gets the config nearest to it; standard input the one nearest to its name.
#[test]
fn config_nearest_to_each_file() {
    let dir = folder(&[
        ("proj/a.txt", COMMA),
        ("proj/archive/old.txt", COMMA),
        ("proj/sub/b.txt", COMMA),
        ("top.txt", COMMA),
        (
            "proj/.lintrc.toml",
            "[files]\nexclude = [\"archive/\"]\n[rules.punctuation-width]\nseverity = \"warning\"\n",
        ),
    ]);
    let d = dir.path();
    let o = run(d, &["check", "--format", "short"]);
    assert_eq!(
        out(&o),
        "proj/a.txt:3:3: warning[punctuation-width] 中文里用了半角逗号“,”\n\
         proj/sub/b.txt:3:3: warning[punctuation-width] 中文里用了半角逗号“,”\n\
         top.txt:3:3: error[punctuation-width] 中文里用了半角逗号“,”\n"
    );
    // A file named from the parent folder.
    let o = run(d, &["check", "--format", "short", "proj/a.txt"]);
    assert_eq!(code(&o), 0, "warnings only: {}", out(&o));
    assert!(out(&o).contains("warning[punctuation-width]"));
    // From inside the project, the same config (found upward from the current folder).
    let o = run(
        &d.join("proj/sub"),
        &["check", "--format", "short", "../a.txt", "."],
    );
    assert_eq!(short_paths(&o), ["../a.txt", "b.txt"]);
    assert!(!out(&o).contains("error["), "{}", out(&o));
    // Standard input: the config nearest to the name it is given.
    let o = feed(
        d,
        &[
            "check",
            "--format",
            "short",
            "--stdin-filename",
            "proj/x.txt",
        ],
        COMMA.as_bytes(),
    );
    assert_eq!(code(&o), 0, "{}", out(&o));
    assert!(
        out(&o).starts_with("proj/x.txt:3:3: warning"),
        "{}",
        out(&o)
    );
    // `--config` names one config for every file.
    write(d, "strict.toml", "");
    let o = run(
        d,
        &["check", "--format", "short", "--config", "strict.toml"],
    );
    assert_eq!(
        short_paths(&o),
        [
            "proj/a.txt",
            "proj/archive/old.txt",
            "proj/sub/b.txt",
            "top.txt"
        ]
    );
    assert!(!out(&o).contains("warning["), "{}", out(&o));
    // A broken config near a file stops the run before anything is linted.
    write(d, "proj/sub/.lintrc.toml", "[rules.nosuchrule]\n");
    let o = run(d, &["check", "--format", "short"]);
    assert_eq!(code(&o), 2);
    assert_eq!(out(&o), "", "nothing linted");
    assert_contains(&err(&o), "proj/sub/.lintrc.toml");
    assert_contains(&err(&o), "未知的规则 `nosuchrule`");
}

// 2. A pack that only a nearer config loads can be selected.
#[test]
fn select_names_a_pack_of_a_nearer_config() {
    let dir = folder(&[("proj/a.txt", "标题\n\n据悉，正文继续。\n")]);
    let d = dir.path();
    put(&d.join("proj"), HOUSE);
    let o = run(d, &["check", "--format", "short", "--select", "house"]);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    assert_eq!(
        out(&o),
        "proj/a.txt:3:1: warning[house/banned] 不用“据悉”\n"
    );
    let o = run(d, &["check", "--format", "short", "--select", "nosuchpack"]);
    assert_eq!(code(&o), 2);
    assert_contains(&err(&o), "未知的规则 `nosuchpack`");
}

// 1. Set-up: what `cargo install` and `cargo package` read, and the README's install line.
#[test]
fn set_up_files_are_complete() {
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(root().join("Cargo.toml")).unwrap()).unwrap();
    let package = manifest["package"].as_table().unwrap();
    // `cargo package` warns unless one of these is set; all three are.
    for key in ["repository", "homepage", "documentation"] {
        let url = package.get(key).and_then(|v| v.as_str()).unwrap_or("");
        assert!(url.starts_with("https://"), "package.{key} = {url:?}");
    }
    // `cargo install` resolves no dev-dependencies: a profile entry naming one warns.
    let dev: Vec<&String> = manifest["dev-dependencies"]
        .as_table()
        .unwrap()
        .keys()
        .filter(|k| {
            !manifest["dependencies"]
                .as_table()
                .unwrap()
                .contains_key(*k)
        })
        .collect();
    let profiled = manifest
        .get("profile")
        .and_then(|p| p.get("dev"))
        .and_then(|d| d.get("package"))
        .and_then(|p| p.as_table())
        .map(|t| t.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    for k in &profiled {
        assert!(
            !dev.contains(&k),
            "[profile.dev.package.{k}] names a dev-only dependency"
        );
    }
    // The licence Cargo.toml declares is in the repository.
    assert_eq!(package["license"].as_str(), Some("MIT"));
    let license = std::fs::read_to_string(root().join("LICENSE")).unwrap();
    assert!(license.starts_with("MIT License"), "{license}");
    assert!(license.contains("THE SOFTWARE IS PROVIDED \"AS IS\""));
    // Every `cargo install` the README shows uses the lock file, as CI does.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let installs: Vec<&str> = readme
        .lines()
        .filter(|l| l.contains("cargo install"))
        .collect();
    assert!(!installs.is_empty());
    for l in installs {
        assert!(l.contains("--locked"), "README: {l}");
    }
}

// 3. Baseline paths are relative to the baseline's folder.
#[test]
fn baseline_applies_from_any_folder_and_to_absolute_paths() {
    let dir = folder(&[("news/a.txt", COMMA), ("news/b.txt", COMMA)]);
    let d = dir.path();
    let o = run(
        d,
        &["check", "--write-baseline", "ci/baseline.json", "news"],
    );
    assert_eq!(code(&o), 2);
    assert_contains(&err(&o), "无法写入基线文件 ci/baseline.json");
    // The folder does not exist yet: writing fails clearly. Make it and write again.
    std::fs::create_dir_all(d.join("ci")).unwrap();
    let o = run(
        d,
        &["check", "--write-baseline", "ci/baseline.json", "news"],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let text = std::fs::read_to_string(d.join("ci/baseline.json")).unwrap();
    assert_contains(&text, "\"path\": \"../news/a.txt\"");
    let abs = d.join("news/a.txt");
    let baseline = d.join("ci/baseline.json");
    for (cwd, args) in [
        (d.to_path_buf(), vec!["news"]),
        (d.join("news"), vec!["a.txt", "b.txt"]),
        (d.join("news"), vec!["."]),
        (d.join("ci"), vec!["../news"]),
        (PathBuf::from("/"), vec![abs.to_str().unwrap()]),
    ] {
        let mut a = vec!["check", "--format", "short", "--baseline"];
        a.push(baseline.to_str().unwrap());
        a.extend(args.iter().copied());
        let o = run(&cwd, &a);
        assert_eq!(
            code(&o),
            0,
            "{} {args:?}: {}{}",
            cwd.display(),
            out(&o),
            err(&o)
        );
        assert_eq!(out(&o), "", "{args:?}");
    }
    // A new finding is still reported, from the subfolder too.
    write(d, "news/c.txt", "标题\n\n另一篇稿子;分号。\n");
    let o = run(
        &d.join("news"),
        &[
            "check",
            "--format",
            "short",
            "--baseline",
            "../ci/baseline.json",
            ".",
        ],
    );
    assert_eq!(code(&o), 1);
    assert_eq!(out(&o).lines().count(), 1, "{}", out(&o));
    assert_contains(&out(&o), "分号");
}

// 4. --force-exclude: `[files] exclude` applies to named paths too.
#[test]
fn force_exclude_applies_to_named_paths_and_stdin() {
    let dir = folder(&[
        (
            ".lintrc.toml",
            "[files]\nexclude = [\"archive/\", \"draft-*.txt\"]\n",
        ),
        ("archive/old.txt", COMMA),
        ("news/draft-1.txt", COMMA),
        ("news/a.txt", COMMA),
    ]);
    let d = dir.path();
    let named = [
        "archive/old.txt",
        "news/draft-1.txt",
        "news/a.txt",
        "archive",
    ];
    let mut args = vec!["check", "--format", "short"];
    args.extend(named);
    // Named files are linted (as before) ...
    let o = run(d, &args);
    assert_eq!(
        short_paths(&o),
        ["archive/old.txt", "news/a.txt", "news/draft-1.txt"]
    );
    // ... unless --force-exclude.
    args.push("--force-exclude");
    let o = run(d, &args);
    assert_eq!(short_paths(&o), ["news/a.txt"]);
    // Only excluded files named: nothing is linted, exit 0 (not the current folder instead).
    let o = run(
        d,
        &[
            "check",
            "--force-exclude",
            "--format",
            "short",
            "archive/old.txt",
        ],
    );
    assert_eq!((code(&o), out(&o)), (0, String::new()), "{}", err(&o));
    // Standard input named as an excluded file: not linted; --fix gives the text back as it is.
    let o = feed(
        d,
        &[
            "check",
            "--force-exclude",
            "--stdin-filename",
            "archive/x.txt",
            "--fix",
        ],
        COMMA.as_bytes(),
    );
    assert_eq!((code(&o), out(&o)), (0, COMMA.to_string()));
    let o = feed(
        d,
        &[
            "check",
            "--force-exclude",
            "--stdin-filename",
            "news/x.txt",
            "--fix",
        ],
        COMMA.as_bytes(),
    );
    assert_eq!(out(&o), "标题\n\n正文，继续。\n");
}

// 4. The pre-commit hooks: force-exclude by default, and a hook for an installed newslint. Each
// hook's entry is run as pre-commit would, on a staged file the config excludes and on one it
// does not.
#[test]
fn pre_commit_hooks_exclude_and_offer_a_system_hook() {
    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let mut entries = Vec::new();
    let mut languages = Vec::new();
    for line in hooks.lines() {
        if let Some(e) = line.trim().strip_prefix("entry: ") {
            entries.push(e.to_string());
        }
        if let Some(l) = line.trim().strip_prefix("language: ") {
            languages.push(l.to_string());
        }
    }
    assert_eq!(entries.len(), 4, "{hooks}");
    assert!(languages.contains(&"system".to_string()), "{languages:?}");
    assert!(languages.contains(&"rust".to_string()), "{languages:?}");
    let dir = folder(&[(".lintrc.toml", "[files]\nexclude = [\"archive/\"]\n")]);
    let d = dir.path();
    for entry in &entries {
        let words: Vec<&str> = entry.split_whitespace().collect();
        assert_eq!(words[0], "newslint", "{entry}");
        assert!(words.contains(&"--force-exclude"), "{entry}");
        write(d, "archive/old.txt", COMMA);
        write(d, "news/a.txt", "标题\n\n正文，继续。\n");
        let mut args = words[1..].to_vec();
        args.extend(["archive/old.txt", "news/a.txt"]);
        let o = run(d, &args);
        assert_eq!(code(&o), 0, "{entry}: {}{}", out(&o), err(&o));
        assert_eq!(
            std::fs::read_to_string(d.join("archive/old.txt")).unwrap(),
            COMMA
        );
        write(d, "news/a.txt", COMMA);
        let o = run(d, &args);
        let fixes = words.contains(&"--fix");
        assert_eq!(code(&o), if fixes { 0 } else { 1 }, "{entry}: {}", out(&o));
    }
    // The README's snippet names a revision that exists: no tags yet, so none is made up.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(!readme.contains("rev: v0.1.0"));
}

// 5. --changed-since takes every path git can print: non-ASCII, spaces, quotes, newlines.
#[test]
fn changed_since_takes_every_path_git_prints() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git_init(d);
    let names = [
        "新 闻.txt",
        "稿件/第一版 \"终稿\".md",
        "a\nb.txt",
        "tab\there.txt",
    ];
    for n in names {
        write(d, n, "标题\n\n正文，旧。\n");
    }
    write(d, "same.txt", COMMA);
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "first"]);
    // Changed since HEAD: the committed files, edited; an untracked file in a subfolder.
    for n in names {
        write(d, n, COMMA);
    }
    write(d, "稿件/新 稿.txt", COMMA);
    let o = run(d, &["check", "--changed-since", "HEAD", "--format", "json"]);
    assert_eq!(code(&o), 1, "{}", err(&o));
    let mut paths = finding_paths(&o);
    paths.dedup();
    assert_eq!(
        paths,
        [
            "a\nb.txt",
            "tab\there.txt",
            "新 闻.txt",
            "稿件/新 稿.txt",
            "稿件/第一版 \"终稿\".md"
        ]
    );
    // From a subfolder: the changed files of the whole repository (outside the folder they are
    // named by absolute path), untracked ones below it.
    let o = run(
        &d.join("稿件"),
        &["check", "--changed-since", "HEAD", "--format", "json"],
    );
    let top = format!("{}/", d.canonicalize().unwrap().display());
    let mut paths: Vec<String> = finding_paths(&o)
        .iter()
        .map(|p| p.replace(&top, "/"))
        .collect();
    paths.dedup();
    assert_eq!(
        paths,
        [
            "/a\nb.txt",
            "/tab\there.txt",
            "/新 闻.txt",
            "新 稿.txt",
            "第一版 \"终稿\".md"
        ]
    );
}

// 6. `-` is standard input; --stdin-filename with paths says it ignores them.
#[test]
fn dash_is_stdin_and_stdin_filename_warns_about_paths() {
    let dir = folder(&[("a.txt", COMMA)]);
    let d = dir.path();
    let o = feed(d, &["check", "--format", "short", "-"], COMMA.as_bytes());
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert_eq!(
        out(&o),
        "-:3:3: error[punctuation-width] 中文里用了半角逗号“,”\n"
    );
    // With --fix, the fixed text comes out.
    let o = feed(d, &["check", "--fix", "-"], COMMA.as_bytes());
    assert_eq!(
        (code(&o), out(&o)),
        (0, "标题\n\n正文，继续。\n".to_string())
    );
    // `-` with --stdin-filename: linted as NAME, no warning.
    let o = feed(
        d,
        &[
            "check",
            "--format",
            "short",
            "--stdin-filename",
            "b.md",
            "-",
        ],
        COMMA.as_bytes(),
    );
    assert!(out(&o).starts_with("b.md:3:3:"), "{}", out(&o));
    assert_eq!(err(&o), "");
    // Paths besides --stdin-filename are not linted, and the user is told.
    let o = feed(
        d,
        &[
            "check",
            "--format",
            "short",
            "--stdin-filename",
            "b.md",
            "a.txt",
        ],
        "标题\n\n正文。\n".as_bytes(),
    );
    assert_eq!((code(&o), out(&o)), (0, String::new()));
    assert_contains(&err(&o), "warning: 忽略路径 a.txt");
    // `-` among other paths is a usage error.
    let o = feed(d, &["check", "-", "a.txt"], COMMA.as_bytes());
    assert_eq!(code(&o), 2);
    assert_contains(&err(&o), "`-`");
}

// 7. A suppression naming a rule that does not exist is reported, on the name.
#[test]
fn suppressions_naming_unknown_rules_are_reported() {
    let dir = folder(&[
        (
            "a.txt",
            "#newslint-disable-next-line nosuchrule\n标题\n\n\
         #newslint-disable-next-line typo, punctuation-width，typo/nosuch\n正文,继续。\n",
        ),
        (
            "b.md",
            "# 标题\n\n<!-- newslint-disable punctuation-wdith -->\n正文,继续。\n",
        ),
    ]);
    let d = dir.path();
    let o = run(d, &["check", "--format", "short"]);
    assert_eq!(
        out(&o),
        "a.txt:1:29: warning[invalid-suppression] 屏蔽指令里的规则 `nosuchrule` 不存在，这条指令屏蔽不了它\n\
         a.txt:4:53: warning[invalid-suppression] 屏蔽指令里的规则 `typo/nosuch` 不存在，这条指令屏蔽不了它\n\
         b.md:3:23: warning[invalid-suppression] 屏蔽指令里的规则 `punctuation-wdith` 不存在，这条指令屏蔽不了它\n\
         b.md:4:3: error[punctuation-width] 中文里用了半角逗号“,”\n"
    );
    // With unused suppressions reported too, a directive of unknown names is reported once.
    let o = run(
        d,
        &[
            "check",
            "--format",
            "short",
            "--report-unused-suppressions",
            "b.md",
        ],
    );
    assert_eq!(out(&o).matches("b.md:3:").count(), 1, "{}", out(&o));
    // Plugin names (and their rules) are known only by prefix: not reported.
    write(
        d,
        ".lintrc.toml",
        "[[plugins]]\nname = \"house\"\ncommand = [\"true\"]\n",
    );
    write(
        d,
        "c.txt",
        "#newslint-disable house/anything\n#newslint-disable house\n标题\n",
    );
    let o = run(d, &["check", "--format", "short", "--no-plugins", "c.txt"]);
    assert_eq!((code(&o), out(&o)), (0, String::new()));
}

/// SARIF of `newslint check --format sarif ARGS` in `dir`.
fn sarif(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut a = vec!["check", "--format", "sarif"];
    a.extend(args);
    json(&run(dir, &a))
}

// 8. SARIF: byte offsets in the file's own bytes; failures as notifications; helpUri;
// partialFingerprints.
#[test]
fn sarif_offsets_notifications_help_and_fingerprints() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // "标题\n\n正文,继续。\n": the comma is byte 14 of the UTF-8 text.
    let utf8 = COMMA.as_bytes().to_vec();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(&utf8);
    let (gbk, _, _) = encoding_rs::GBK.encode(COMMA);
    let mut utf16 = b"\xFF\xFE".to_vec();
    utf16.extend(COMMA.encode_utf16().flat_map(u16::to_le_bytes));
    let files = [
        ("a-utf8.txt", utf8),
        ("b-bom.txt", bom),
        ("c-gbk.txt", gbk.into_owned()),
        ("d-utf16.txt", utf16),
    ];
    for (name, bytes) in &files {
        write(d, name, bytes);
    }
    let log = sarif(d, &["."]);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 4, "{results:?}");
    for ((name, bytes), r) in files.iter().zip(results) {
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            *name
        );
        let region = &r["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"];
        let at = region["byteOffset"].as_u64().unwrap() as usize;
        let len = region["byteLength"].as_u64().unwrap() as usize;
        // The region is the comma, in the file's own bytes.
        let comma: &[u8] = if name.contains("utf16") { b",\0" } else { b"," };
        assert_eq!(&bytes[at..at + len], comma, "{name}: {region}");
        // The baseline fingerprint, the same whatever the encoding.
        let fp = r["partialFingerprints"]["newslint/v1"].as_str().unwrap();
        assert_eq!(fp.len(), 16);
        assert_eq!(fp, results[0]["partialFingerprints"]["newslint/v1"]);
    }
    // Rules link their documentation.
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let help = |id: &str| {
        rules.iter().find(|r| r["id"] == id).unwrap()["helpUri"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert!(help("punctuation-width")
        .ends_with("/blob/main/crates/newslint-core/src/rules/punctuation_width.rs"));
    assert!(help("typo/idioms").ends_with("/blob/main/lints/typo/idioms.toml"));
    for r in rules {
        let id = r["id"].as_str().unwrap();
        let u = r["helpUri"].as_str().unwrap();
        assert!(u.starts_with("https://"), "{id}: {u}");
        // Every link names a file of this repository.
        let file = u
            .split("/blob/main/")
            .nth(1)
            .unwrap()
            .split('#')
            .next()
            .unwrap();
        assert!(root().join(file).is_file(), "{id}: {file}");
    }
    // A file that cannot be read is a notification of the invocation, not a result.
    write(d, "e-bad.txt", b"\xFF\xFE\x00");
    let log = sarif(d, &["."]);
    let run0 = &log["runs"][0];
    assert_eq!(run0["results"].as_array().unwrap().len(), 4);
    assert!(run0["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["ruleId"] != "io"));
    let inv = &run0["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let n = &inv["toolExecutionNotifications"][0];
    assert_eq!(n["level"], "error");
    assert_eq!(n["descriptor"]["id"], "io");
    assert_eq!(
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "e-bad.txt"
    );
    // Results of every rule have an entry: suppression directives too.
    write(d, "f.txt", "#newslint-disable nosuchrule\n标题\n");
    let log = sarif(d, &["f.txt"]);
    let r = &log["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "invalid-suppression");
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(
        rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "invalid-suppression"
    );
}

/// Whether util-linux `script` (which makes a pseudo-terminal) is installed; says so when not.
fn has_script() -> bool {
    let there = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok();
    if !there {
        eprintln!("skipped: util-linux `script` is not installed (it makes the pseudo-terminal)");
    }
    there
}

/// Lines of `text` wider than `width` terminal cells, but for the closing summary line (one
/// line, for scripts to read).
fn too_wide(text: &str, width: usize) -> Vec<(usize, String)> {
    text.lines()
        .filter(|l| !l.starts_with("检查了"))
        .map(|l| (unicode_width::UnicodeWidthStr::width(l), l.to_string()))
        .filter(|(w, _)| *w > width)
        .collect()
}

// 9. Human output fits the terminal, counted in display cells; each snippet's header names its
// own position.
#[test]
fn human_output_fits_the_width_in_cells() {
    for width in [60, 80, 100, 120] {
        let o = bin()
            .current_dir(root())
            .env("COLUMNS", width.to_string())
            .args(["check", "--color", "never", "fixtures/seeds"])
            .output()
            .unwrap();
        assert_eq!(code(&o), 1);
        let wide = too_wide(&out(&o), width);
        assert!(
            wide.is_empty(),
            "{width}: {} lines, e.g. {:?}",
            wide.len(),
            wide.first()
        );
    }
    // A finding with a label on a later line: the second snippet is headed by its own line.
    let o = bin()
        .current_dir(root())
        .args(["check", "--color", "never", "--select", "broken-paragraph"])
        .arg("fixtures/seeds/000_53873edf1b1d3b95.txt")
        .output()
        .unwrap();
    let text = out(&o);
    let headers: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split("╭─[").nth(1))
        .take(2)
        .collect();
    assert_eq!(
        headers,
        [
            "fixtures/seeds/000_53873edf1b1d3b95.txt:9:77]",
            "fixtures/seeds/000_53873edf1b1d3b95.txt:11:1]"
        ],
        "{text}"
    );
}

// 9. Without $COLUMNS, the terminal's own width (a pseudo-terminal of 70 columns, made by
// util-linux `script`).
#[test]
fn human_output_takes_the_terminals_width() {
    if !has_script() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_newslint");
    let seed = Path::new("fixtures/seeds/001_09808162e94c1a38.txt");
    let cmd = format!(
        "stty cols 70 rows 50; '{bin}' check --color never '{}'",
        seed.display()
    );
    let o = std::process::Command::new("script")
        .current_dir(root())
        .args(["-qec", &cmd, "/dev/null"])
        .env_remove("COLUMNS")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = out(&o).replace('\r', "");
    assert_contains(&text, "punctuation-width");
    let wide = too_wide(&text, 70);
    assert!(
        wide.is_empty(),
        "{} lines, e.g. {:?}",
        wide.len(),
        wide.first()
    );
    // The same output into a pipe is wider (100 cells, the default).
    let piped = bin_output_width(seed);
    assert!(piped > 70, "{piped}");
}

fn bin_output_width(file: &Path) -> usize {
    let o = bin()
        .current_dir(root())
        .env_remove("COLUMNS")
        .args(["check", "--color", "never"])
        .arg(file)
        .output()
        .unwrap();
    out(&o)
        .lines()
        .filter(|l| !l.starts_with("检查了"))
        .map(unicode_width::UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

// 10. Built-in packs by name: `test-pack typo` runs their examples, `explain typo` shows them.
#[test]
fn built_in_packs_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for pack in ["typo", "xinhua", "terms"] {
        let o = run(d, &["test-pack", pack]);
        assert_eq!(code(&o), 0, "{pack}: {}{}", out(&o), err(&o));
        let last = out(&o).lines().last().unwrap_or("").to_string();
        assert!(last.starts_with(&format!("pack {pack} ")), "{last}");
        assert!(
            last.ends_with(" 0 failed") && !last.contains(" 0 passed"),
            "{last}"
        );
    }
    // A folder of that name is a folder: it wins over the built-in pack.
    write(
        d,
        "typo/pack.toml",
        "name = \"typo2\"\nversion = \"0.1\"\ndescription = \"mine\"\n",
    );
    let o = run(d, &["test-pack", "typo"]);
    assert!(out(&o).contains("pack typo2 0.1"), "{}{}", out(&o), err(&o));
    // Neither a folder nor a built-in pack: the error lists the built-in ones.
    let o = run(d, &["test-pack", "nosuch"]);
    assert_eq!(code(&o), 2);
    assert_contains(&err(&o), "terms、typo、xinhua");
    // `explain` of a pack: its description and rules.
    let o = run(d, &["explain", "typo"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let text = out(&o);
    assert!(text.starts_with("# typo\n"), "{text}");
    for rule in ["typo/common", "typo/context", "typo/idioms"] {
        assert!(text.contains(&format!("- `{rule}`")), "{rule}: {text}");
    }
    let o = run(d, &["explain", "typo/idioms"]);
    assert!(out(&o).starts_with("# typo/idioms\n"), "{}", out(&o));
    // A config's own pack too.
    put(d, HOUSE);
    let o = run(d, &["explain", "house"]);
    assert!(
        out(&o).contains("- `house/banned`"),
        "{}{}",
        out(&o),
        err(&o)
    );
    assert_eq!(code(&run(d, &["explain", "nosuch"])), 2);
}

/// No serde or toml English in a message (names in backticks and quoted values aside).
fn assert_no_serde_english(text: &str) {
    for en in [
        "invalid type",
        "invalid value",
        "expected",
        "unknown field",
        "unknown variant",
        "missing field",
        "duplicate key",
        "duplicate field",
        "invalid table header",
        "at line",
    ] {
        assert!(!text.contains(en), "{en:?} in {text}");
    }
}

// 11. Config, pack and baseline errors in Chinese, not serde's English.
#[test]
fn config_and_pack_errors_are_chinese() {
    let dir = folder(&[("a.txt", COMMA)]);
    let d = dir.path();
    for (cfg, zh) in [
        (
            "[rules.duplicate-paragraph]\nthreshold = \"high\"\n",
            "类型不对：这里是字符串 \"high\"，应为数（如 0.8）",
        ),
        (
            "[files]\ninclude = \"*.txt\"\n",
            "类型不对：这里是字符串 \"*.txt\"，应为数组",
        ),
        ("[filez]\n", "未知的键 `filez`，可用的键：`packs`、"),
        ("[[plugins]]\nname = \"x\"\n", "缺少键 `command`"),
        (
            "[[plugins]]\nname = \"x\"\ncommand = [\"x\"]\ntimeout-ms = -1\n",
            "值无效：整数 `-1`，应为非负整数",
        ),
        ("[files\n", "表头写错了"),
        (
            "[rules.duplicate-paragraph]\nscope = \"everywhere\"\n",
            "未知的取值 `everywhere`，可用的值：`file`、`repo`",
        ),
        ("a = 1\na = 2\n", "键 `a` 重复（在文件顶层）"),
        (
            "[files]\ninclude = []\ninclude = []\n",
            "键 `include` 重复（在表 `files` 里）",
        ),
    ] {
        write(d, ".lintrc.toml", cfg);
        let o = run(d, &["check", "--color", "never"]);
        assert_eq!(code(&o), 2, "{cfg}");
        let e = err(&o);
        // miette wraps at 100 columns: compare the message without its line breaks.
        let flat: String = e
            .lines()
            .map(|l| l.trim_start_matches([' ', '×', '│']).trim())
            .collect();
        assert!(flat.contains(zh), "{cfg}: {e}");
        assert_no_serde_english(&e);
    }
    std::fs::remove_file(d.join(".lintrc.toml")).unwrap();
    // A pack file.
    write(
        d,
        "house/pack.toml",
        "name = \"house\"\nversion = 1\ndescription = \"x\"\n",
    );
    let o = run(d, &["test-pack", "house"]);
    assert_eq!(code(&o), 2);
    assert_contains(
        &err(&o),
        "规则包文件有误：类型不对：这里是整数 `1`，应为字符串",
    );
    assert_no_serde_english(&err(&o));
    // A baseline (serde_json's message, with its place).
    write(d, "b.json", "{\"version\": 1}");
    let o = run(d, &["check", "--baseline", "b.json", "a.txt"]);
    assert_eq!(code(&o), 2);
    assert_contains(&err(&o), "缺少键 `findings`（第 1 行第 14 列）");
    assert_no_serde_english(&err(&o));
}

// 11. The progress bar's rate is a whole number of files a second (indicatif's {per_sec} gave
// "162.2095/s"). It shows only on a terminal: a pseudo-terminal made by util-linux `script`.
#[test]
fn progress_rate_is_readable() {
    if !has_script() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for i in 0..600 {
        write(dir.path(), &format!("{i:03}.txt"), "标题\n\n正文，继续。\n");
    }
    let bin = env!("CARGO_BIN_EXE_newslint");
    let o = std::process::Command::new("script")
        .current_dir(dir.path())
        .args(["-qec", &format!("'{bin}' check ."), "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = out(&o);
    let bars: Vec<&str> = text
        .split(['\r', '\n'])
        .filter(|l| l.contains("个文件"))
        .collect();
    assert!(!bars.is_empty(), "no progress bar drawn: {text}");
    for b in bars {
        let rate = b.split("个文件").nth(1).unwrap_or("").trim();
        let number = rate.split(' ').next().unwrap_or("");
        assert!(rate.contains(" 个/秒"), "{b}");
        assert!(
            number.chars().all(|c| c.is_ascii_digit() || c == '.')
                && number.split('.').nth(1).is_none_or(|f| f.len() <= 1),
            "{b}"
        );
    }
}

// 14. Shell completions from the command line's definition.
#[test]
fn completions_for_every_shell() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "_newslint()"),
        ("zsh", "#compdef newslint"),
        ("fish", "complete -c newslint"),
        ("elvish", "edit:completion:arg-completer[newslint]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = run(dir.path(), &["completions", shell]);
        assert_eq!(code(&o), 0, "{shell}: {}", err(&o));
        let script = out(&o);
        assert!(script.contains(marker), "{shell}");
        // Subcommands and options of today's command line, the new ones too.
        for word in [
            "check",
            "explain",
            "test-pack",
            "completions",
            "force-exclude",
            "stdin-filename",
        ] {
            assert!(script.contains(word), "{shell}: {word}");
        }
    }
    // The bash script is valid bash.
    let o = run(dir.path(), &["completions", "bash"]);
    let path = write(dir.path(), "newslint.bash", &o.stdout);
    if let Ok(b) = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
    {
        assert!(b.status.success(), "{}", err(&b));
    }
    assert_eq!(code(&run(dir.path(), &["completions", "tcsh"])), 2);
}

// 14. A man page from the command line's definition, and one per subcommand.
#[test]
fn man_pages() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["man"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let page = out(&o);
    assert_contains(&page, ".TH newslint 1");
    assert_contains(&page, "newslint\\-check(1)");
    let o = run(dir.path(), &["man", "check"]);
    let page = out(&o);
    assert_contains(&page, ".TH newslint-check 1");
    assert_contains(&page, "\\-\\-force\\-exclude");
    assert_contains(&page, "\\-\\-stdin\\-filename");
    // groff, where it is installed, reads it without a warning.
    if let Ok(g) = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        use std::io::Write;
        let mut g = g;
        g.stdin.take().unwrap().write_all(page.as_bytes()).unwrap();
        let r = g.wait_with_output().unwrap();
        assert!(r.status.success() && r.stderr.is_empty(), "{}", err(&r));
    }
    let o = run(dir.path(), &["man", "nosuch"]);
    assert_eq!(code(&o), 2);
}

/// A step of `action.yml`: its name, `env:` and `run:` script.
type Step = (String, Vec<(String, String)>, String);

/// The `run:` scripts of `action.yml`'s steps, with their `env:` (a reader for this file's
/// shape: block scalars under `run: |`, plain `KEY: value` lines under `env:`).
fn action_steps() -> Vec<Step> {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let mut steps = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut i = 0;
    while i < lines.len() {
        if let Some(name) = lines[i].trim().strip_prefix("- name: ") {
            let base = indent(lines[i]) + 2;
            let (mut env, mut script) = (Vec::new(), String::new());
            let mut j = i + 1;
            while j < lines.len() && (lines[j].trim().is_empty() || indent(lines[j]) >= base) {
                let l = lines[j].trim();
                if l == "env:" {
                    j += 1;
                    while j < lines.len() && indent(lines[j]) > base {
                        let (k, v) = lines[j].trim().split_once(": ").unwrap();
                        env.push((k.to_string(), v.to_string()));
                        j += 1;
                    }
                    continue;
                }
                if l == "run: |" {
                    j += 1;
                    while j < lines.len() && (lines[j].trim().is_empty() || indent(lines[j]) > base)
                    {
                        script.push_str(lines[j].trim_start());
                        script.push('\n');
                        j += 1;
                    }
                    continue;
                }
                if let Some(r) = l.strip_prefix("run: ") {
                    script = format!("{r}\n");
                }
                j += 1;
            }
            steps.push((name.to_string(), env, script));
            i = j;
        } else {
            i += 1;
        }
    }
    steps
}

// 14. The action's lint and SARIF steps, run as the runner would (inputs in the environment,
// newslint on PATH), on a tree with one finding.
#[test]
fn action_steps_run() {
    let steps = action_steps();
    let names: Vec<&str> = steps.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(
        names,
        ["Install newslint", "Lint", "Write SARIF", "Upload SARIF"]
    );
    assert!(
        steps[0].2.contains("cargo install --locked --path"),
        "{}",
        steps[0].2
    );
    let dir = folder(&[
        ("articles/a.txt", COMMA),
        ("notes/b.txt", "标题\n\n正文，继续。\n"),
    ]);
    let d = dir.path();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_newslint"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let inputs = [
        ("inputs.paths", "articles/ notes/"),
        ("inputs.args", "--error-on error"),
        ("inputs.plugins", "false"),
        ("inputs.sarif-file", "out.sarif"),
    ];
    let step = |k: usize| {
        let (_, env, script) = &steps[k];
        let output = d.join("github_output");
        let mut c = std::process::Command::new("bash");
        c.current_dir(d)
            .args(["-e", "-c", script])
            .env("PATH", &path)
            .env("GITHUB_OUTPUT", &output)
            .env_remove("COLUMNS");
        for (k, v) in env {
            let v = inputs
                .iter()
                .find(|(i, _)| v == &format!("${{{{ {i} }}}}"))
                .map_or(v.as_str(), |(_, x)| x);
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let o = step(1);
    assert_eq!(code(&o), 1, "{}{}", out(&o), err(&o));
    assert!(
        out(&o).starts_with("::error file=articles/a.txt,line=3,col=3,"),
        "{}",
        out(&o)
    );
    let o = step(2);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out.sarif")).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 1);
    assert_eq!(
        std::fs::read_to_string(d.join("github_output")).unwrap(),
        "file=out.sarif\n"
    );
}
