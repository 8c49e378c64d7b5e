//! Gating copy in hooks and CI: formats, exit policy, suppressions, baselines, inputs.

mod common;
use common::*;

#[test]
fn sarif_has_rules_results_and_code_point_columns() {
    let dir = sandbox("seeds");
    let o = run(dir.path(), &["check", "--format", "sarif"]);
    assert_eq!(code(&o), 1);
    let v = json(&o);
    assert_eq!(v["version"], "2.1.0");
    let run0 = &v["runs"][0];
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "punctuation-width"
        && r["help"]["text"]
            .as_str()
            .unwrap()
            .contains("## What it does")));
    let results = run0["results"].as_array().unwrap();
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "stray-latin")
        .unwrap();
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(39), Some(14))
    );
    assert_eq!(
        rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "stray-latin"
    );
    let dup = results
        .iter()
        .find(|r| r["ruleId"] == "duplicate-paragraph")
        .unwrap();
    assert_eq!(
        dup["relatedLocations"][0]["message"]["text"],
        "首次出现在这里"
    );
}

#[test]
fn github_checkstyle_junit() {
    let dir = folder(&[
        ("a b.txt", "标题\n\n正文,继续。\n"),
        ("clean.txt", "标题\n\n正文，继续。\n"),
    ]);
    let o = run(dir.path(), &["check", "--format", "github"]);
    assert_eq!(
        out(&o),
        "::error file=a b.txt,line=3,col=3,endLine=3,endColumn=4,title=newslint punctuation-width::中文里用了半角逗号“%2C”（改为全角“，”（GB/T 15834-2011））\n"
            .replace("%2C", ",")
    );
    let o = run(dir.path(), &["check", "--format", "checkstyle"]);
    let x = out(&o);
    assert!(
        x.starts_with("<?xml") && x.contains("<file name=\"a b.txt\">"),
        "{x}"
    );
    assert_contains(&x, "<error line=\"3\" column=\"3\" severity=\"error\" message=\"中文里用了半角逗号“,”\" source=\"newslint.punctuation-width\"/>");
    let o = run(dir.path(), &["check", "--format", "junit"]);
    let x = out(&o);
    assert_contains(&x, "tests=\"2\" failures=\"1\"");
    assert_contains(&x, "<testcase name=\"clean.txt\" classname=\"newslint\"/>");
    assert_contains(&x, "<failure message=\"1 个问题\"");
}

#[test]
fn output_file_keeps_the_summary_on_the_terminal() {
    let dir = sandbox("seeds");
    let o = run(
        dir.path(),
        &["check", "--format", "json", "--output", "report.json"],
    );
    assert_eq!(code(&o), 1);
    assert!(out(&o).starts_with("检查了 3 个文件"), "{}", out(&o));
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(v["version"], 1);
}

#[test]
fn exit_policy() {
    let dir = folder(&[
        (
            ".lintrc.toml",
            "[rules.punctuation-width]\nseverity = \"warning\"\n",
        ),
        ("a.txt", "标题\n\n正文,继续。\n"),
    ]);
    assert_eq!(code(&run(dir.path(), &["check"])), 0, "warnings alone pass");
    assert_eq!(
        code(&run(dir.path(), &["check", "--error-on", "warning"])),
        1
    );
    assert_eq!(code(&run(dir.path(), &["check", "--max-warnings", "0"])), 1);
    write(dir.path(), ".lintrc.toml", "");
    assert_eq!(code(&run(dir.path(), &["check"])), 1);
    assert_eq!(code(&run(dir.path(), &["check", "--exit-zero"])), 0);
    assert_eq!(
        code(&run(dir.path(), &["check", "--exit-zero", "missing.txt"])),
        2,
        "I/O trouble is never zero"
    );
}

#[test]
fn markdown_disable_enable_and_next_line() {
    let dir = folder(&[(
        "a.md",
        "# 标题\n\n<!-- newslint-disable punctuation-width -->\n\n正文,一。\n\n正文,二。\n\n<!-- newslint-enable -->\n\n正文,三。\n\n<!-- newslint-disable-next-line punctuation-width -->\n正文,四。\n\n正文,五。\n",
    )]);
    let o = run(dir.path(), &["check", "--format", "short"]);
    let text = out(&o);
    let lines: Vec<&str> = text.lines().map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(lines, ["a.md:11:3:", "a.md:16:3:"], "{}", out(&o));
}

#[test]
fn text_directives_are_not_copy() {
    let dir = folder(&[(
        "a.txt",
        "标题\n\n#newslint-disable-next-line punctuation-width\n正文,一。\n\n正文,二。\n\n#newslint-disable typo\n会议对工作进行了部暑,三。\n#newslint-enable typo\n\n会议对工作进行了部暑。\n",
    )]);
    let o = run(dir.path(), &["check", "--format", "short"]);
    let text = out(&o);
    assert!(!text.contains("a.txt:4:"), "next line suppressed: {text}");
    assert_contains(&text, "a.txt:6:3:");
    assert!(
        text.contains("a.txt:9:") && text.contains("punctuation-width"),
        "only typo is disabled there: {text}"
    );
    assert!(!text.contains("a.txt:9:14: error[typo"), "{text}");
    assert!(
        text.contains("a.txt:12:") && text.contains("typo/common"),
        "enabled again: {text}"
    );
    assert!(
        !text.contains("a.txt:3:"),
        "the directive line itself is never linted: {text}"
    );
}

#[test]
fn unused_suppressions_are_reported_on_request() {
    let dir = folder(&[("a.md", "# 标题\n\n<!-- newslint-disable-next-line stray-latin -->\n正文，一。\n\n<!-- newslint-disable-next-line punctuation-width -->\n正文,二。\n")]);
    let o = run(dir.path(), &["check", "--format", "short"]);
    assert_eq!(code(&o), 0, "{}", out(&o));
    let o = run(
        dir.path(),
        &["check", "--format", "short", "--report-unused-suppressions"],
    );
    assert_eq!(
        out(&o),
        "a.md:3:1: warning[unused-suppression] 这条屏蔽指令没有屏蔽任何问题\n"
    );
}

#[test]
fn ignore_patterns() {
    let dir = folder(&[
        (".lintrc.toml", "ignore-patterns = [\"【原文】[^。]*。\"]\n"),
        ("a.txt", "标题\n\n【原文】天下,大同。\n\n正文,继续。\n"),
    ]);
    let o = run(dir.path(), &["check", "--format", "short"]);
    assert_eq!(out(&o).lines().count(), 1, "{}", out(&o));
    assert!(out(&o).starts_with("a.txt:5:3"));
}

#[test]
fn baseline_excuses_todays_findings_and_reports_new_ones() {
    let dir = sandbox("seeds");
    let o = run(dir.path(), &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(
        code(&run(dir.path(), &["check", "--baseline", "baseline.json"])),
        0
    );
    // Lines move: insert a paragraph at the top of a page; nothing new is reported.
    let page = dir.path().join("000_53873edf1b1d3b95.txt");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("本版导读。\n\n{text}")).unwrap();
    let o = run(
        dir.path(),
        &["check", "--baseline", "baseline.json", "--format", "short"],
    );
    assert_eq!(code(&o), 0, "{}", out(&o));
    // One duplicated paragraph: exit 1 and only that finding.
    let para = "此次劳动课，孩子们不仅学会了冰糖葫芦的制作方法，更是在实践中体会到劳动的乐趣与价值收获了满满的成就感。";
    assert!(text.contains(para));
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\n{para}\n")).unwrap();
    let o = run(
        dir.path(),
        &["check", "--baseline", "baseline.json", "--format", "short"],
    );
    assert_eq!(code(&o), 1);
    let text = out(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("error[duplicate-paragraph]"), "{lines:?}");
    // A broken baseline file is an error.
    write(dir.path(), "bad.json", "{}");
    assert_eq!(
        code(&run(dir.path(), &["check", "--baseline", "bad.json"])),
        2
    );
}

#[test]
fn stdin_filename() {
    let dir = folder(&[(".lintrc.toml", "[[overrides]]\nfiles = [\"archive/**\"]\n[overrides.rules.punctuation-width]\nseverity = \"off\"\n")]);
    let o = feed(
        dir.path(),
        &[
            "check",
            "--stdin-filename",
            "news/a.txt",
            "--format",
            "short",
        ],
        "标题\n\n正文,继续。\n",
    );
    assert_eq!(code(&o), 1);
    assert!(
        out(&o).starts_with("news/a.txt:3:3: error[punctuation-width]"),
        "{}",
        out(&o)
    );
    let o = feed(
        dir.path(),
        &[
            "check",
            "--stdin-filename",
            "archive/a.txt",
            "--format",
            "short",
        ],
        "标题\n\n正文,继续。\n",
    );
    assert_eq!(
        code(&o),
        0,
        "overrides apply by the given name: {}",
        out(&o)
    );
    let o = feed(
        dir.path(),
        &["check", "--stdin-filename", "a.txt", "--fix"],
        "标题\n\n正文,继续。\n",
    );
    assert_eq!(
        out(&o),
        "标题\n\n正文，继续。\n",
        "--fix prints the fixed text"
    );
    assert_eq!(code(&o), 0);
}

#[test]
fn files_from() {
    let dir = folder(&[
        ("a.txt", "标题\n\n正文,一。\n"),
        ("b.txt", "标题\n\n正文,二。\n"),
        ("list", "b.txt\n\n"),
    ]);
    let o = run(
        dir.path(),
        &["check", "--files-from", "list", "--format", "short"],
    );
    assert!(
        out(&o).starts_with("b.txt:") && !out(&o).contains("a.txt"),
        "{}",
        out(&o)
    );
    let o = feed(
        dir.path(),
        &["check", "--files-from", "-", "--format", "short"],
        "a.txt\n",
    );
    assert!(
        out(&o).starts_with("a.txt:") && !out(&o).contains("b.txt"),
        "{}",
        out(&o)
    );
    assert_eq!(
        code(&run(dir.path(), &["check", "--files-from", "nope"])),
        2
    );
}

#[test]
fn changed_since() {
    let dir = folder(&[("old.txt", "标题\n\n正文,旧。\n")]);
    git_init(dir.path());
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "first"]);
    put(
        dir.path(),
        &[
            ("new.txt", "标题\n\n正文,新。\n"),
            ("notes.log", "正文,日志。\n"),
        ],
    );
    let o = run(
        dir.path(),
        &["check", "--changed-since", "HEAD", "--format", "short"],
    );
    assert!(
        out(&o).starts_with("new.txt:")
            && !out(&o).contains("old.txt")
            && !out(&o).contains("notes.log"),
        "{}",
        out(&o)
    );
    let o = run(dir.path(), &["check", "--changed-since", "no-such-rev"]);
    assert_eq!(code(&o), 2);
    assert_contains(&err(&o), "找不到 git 修订 `no-such-rev`");
    let outside = tempfile::tempdir().unwrap();
    let o = run(outside.path(), &["check", "--changed-since", "HEAD"]);
    assert_eq!(code(&o), 2, "not a git repository: {}", err(&o));
}
