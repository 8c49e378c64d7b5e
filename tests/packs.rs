//! Rule packs: the built-in packs' examples, a user pack end to end, and broken packs.

mod common;
use common::*;

use newslint_core::catalog::Catalog;
use newslint_core::packs as pack;

#[test]
fn builtin_pack_examples_hold() {
    let cat = Catalog::builtin();
    let mut failures = Vec::new();
    let mut total = 0;
    for info in &cat.packs {
        for rule in cat.pack_rules(&info.name) {
            let (n, f) = pack::run_examples(&rule);
            total += n;
            failures.extend(f);
        }
    }
    assert!(total >= 30, "built-in packs carry examples ({total})");
    assert!(failures.is_empty(), "{failures:#?}");
    for name in ["typo", "xinhua", "terms"] {
        assert!(
            cat.packs.iter().any(|p| p.name == name),
            "built-in pack {name}"
        );
    }
}

#[test]
fn typo_pack_reports_narenn_in_seed_001() {
    let o = bin()
        .args([
            "check",
            "--no-config",
            "--select",
            "typo",
            "--format",
            "short",
        ])
        .arg(fixture("seeds"))
        .output()
        .unwrap();
    let text = out(&o);
    assert!(
        text.contains("001_09808162e94c1a38.txt:23:") && text.contains("“纳人”应为“纳入”"),
        "{text}"
    );
    assert_contains(&text, "“形式”应为“形势”");
}

const HOUSE_PACK: &[(&str, &str)] = &[
    ("pack.toml", "name = \"house\"\nversion = \"0.1.0\"\ndescription = \"A copy desk's own rules\"\n"),
    (
        "banned.toml",
        "kind = \"existence\"\ndescription = \"Words our desk does not print\"\nmessage = \"本报不用“{found}”\"\nseverity = \"error\"\ntokens = [\"网红\"]\nexceptions = [\"网红经济\"]\n\n[[examples]]\ntext = \"她是一名网红。\"\nreport = true\n\n[[examples]]\ntext = \"发展网红经济。\"\nreport = false\n",
    ),
    (
        "places.toml",
        "kind = \"substitution\"\ndescription = \"House spellings of places\"\nmessage = \"“{found}”本报写作“{expected}”\"\nfix = \"safe\"\n\n[swap]\n\"东昌府区政府\" = \"东昌府区人民政府\"\n\n[[examples]]\ntext = \"东昌府区政府召开会议。\"\nreport = true\n",
    ),
    (
        "spelling.toml",
        "kind = \"consistency\"\ndescription = \"One spelling per article\"\nmessage = \"“{found}”与本文的“{expected}”不一致\"\ngroups = [[\"其他\", \"其它\"]]\n",
    ),
    (
        "length.toml",
        "kind = \"occurrence\"\ndescription = \"Short paragraphs only\"\nmessage = \"段落有 {found} 字，超过 {expected} 字\"\nunit = \"paragraph\"\nmax-chars = 60\nscope = [\"body\"]\nseverity = \"info\"\n",
    ),
];

#[test]
fn user_pack_end_to_end_with_fix() {
    let long: String = "这是一段很长的正文，".repeat(8) + "结束。";
    let story = format!("东昌府区举办活动\n\n东昌府讯 东昌府区政府召开会议，她是一名网红，也谈到网红经济。其他地区和其它部门参加，其他单位列席。\n\n{long}\n");
    let repo = folder(&[
        (
            ".lintrc.toml",
            "packs = [\"style/house\"]\n\n[rules.\"house/spelling\"]\nseverity = \"error\"\n",
        ),
        ("story.txt", &story),
    ]);
    put(&repo.path().join("style/house"), HOUSE_PACK);
    let o = run(repo.path(), &["check", "--format", "short"]);
    let text = out(&o);
    assert_eq!(code(&o), 1, "{text}{}", err(&o));
    assert_contains(&text, "error[house/banned] 本报不用“网红”");
    assert_eq!(
        text.matches("house/banned").count(),
        1,
        "the exception is honoured: {text}"
    );
    assert_contains(
        &text,
        "warning[house/places] “东昌府区政府”本报写作“东昌府区人民政府”",
    );
    assert!(
        text.contains("error[house/spelling] “其它”与本文的“其他”不一致"),
        "severity from the config: {text}"
    );
    assert_contains(&text, "info[house/length]");
    // The pack's rules are listed, explained and testable.
    assert!(out(&run(repo.path(), &["rules"])).contains("house/places"));
    assert!(out(&run(repo.path(), &["explain", "house/banned"]))
        .contains("Words our desk does not print"));
    let t = run(repo.path(), &["test-pack", "style/house"]);
    assert_eq!(code(&t), 0, "{}", out(&t));
    assert_contains(&out(&t), "3 passed, 0 failed");
    // --fix applies the safe substitution and nothing else.
    let o = run(
        repo.path(),
        &["check", "--fix", "--select", "house", "--format", "short"],
    );
    assert_eq!(code(&o), 1);
    let story = std::fs::read_to_string(repo.path().join("story.txt")).unwrap();
    assert_contains(&story, "东昌府区人民政府召开会议");
    assert!(
        story.contains("其它部门"),
        "the consistency finding has no fix"
    );
    // Disabled like any other rule.
    write(
        repo.path(),
        ".lintrc.toml",
        "packs = [\"style/house\"]\n[rules.\"house/banned\"]\nseverity = \"off\"\n",
    );
    let o = run(repo.path(), &["check", "--format", "short"]);
    assert!(!out(&o).contains("house/banned"), "{}", out(&o));
    assert_contains(&out(&o), "house/spelling");
}

#[test]
fn broken_pack_unknown_key_is_shown_with_file_line_and_key() {
    let mut files = HOUSE_PACK.to_vec();
    files[1] = ("banned.toml", "kind = \"existence\"\ndescription = \"x\"\nmessage = \"y\"\ntokens = [\"网红\"]\ntokenz = [\"直播\"]\n");
    let repo = folder(&[
        (".lintrc.toml", "packs = [\"house\"]\n"),
        ("a.txt", "正文。\n"),
    ]);
    put(&repo.path().join("house"), &files);
    let o = run(repo.path(), &["check", "--color", "never"]);
    assert_eq!(code(&o), 2);
    assert!(out(&o).is_empty(), "nothing is linted");
    let e = err(&o);
    assert_contains(&e, "banned.toml:5:1");
    assert_contains(&e, "未知的键 `tokenz`");
    assert_contains(&e, "5 │ tokenz");
    // test-pack reports the same.
    let o = run(repo.path(), &["test-pack", "house"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn broken_packs_bad_regex_word_boundary_duplicate_missing() {
    let cases: &[(&str, &str, &str)] = &[
        ("bad.toml", "kind = \"existence\"\ndescription = \"x\"\nmessage = \"y\"\npatterns = [\"(unclosed\"]\n", "无效"),
        ("wb.toml", "kind = \"existence\"\ndescription = \"x\"\nmessage = \"y\"\npatterns = [\"\\\\b网红\\\\b\"]\n", "\\b"),
        ("kind.toml", "kind = \"banana\"\ndescription = \"x\"\nmessage = \"y\"\n", "未知的规则类型"),
        ("nofix.toml", "kind = \"substitution\"\ndescription = \"x\"\nmessage = \"y\"\nfix = \"maybe\"\n[swap]\n\"a\" = \"b\"\n", "`fix` 的值无效"),
    ];
    for (name, text, needle) in cases {
        let repo = tempfile::tempdir().unwrap();
        put(&repo.path().join("house"), &[HOUSE_PACK[0], (name, text)]);
        let o = run(repo.path(), &["test-pack", "house"]);
        assert_eq!(code(&o), 2, "{name}");
        assert!(err(&o).contains(needle), "{name}: {}", err(&o));
        assert!(err(&o).contains(name), "names the file: {}", err(&o));
    }
    // A duplicate id (two files with one stem differing in case) and a missing pack folder.
    let repo = folder(&[(".lintrc.toml", "packs = [\"nowhere\"]\n")]);
    let o = run(repo.path(), &["check", "--color", "never"]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("packs = [\"nowhere\"]"),
        "points at the config: {}",
        err(&o)
    );
    // A pack whose name clashes with a built-in one.
    let repo = folder(&[
        (
            "t/pack.toml",
            "name = \"typo\"\nversion = \"1\"\ndescription = \"x\"\n",
        ),
        (".lintrc.toml", "packs = [\"t\"]\n"),
    ]);
    let o = run(repo.path(), &["check"]);
    assert_eq!(code(&o), 2);
    assert_contains(&err(&o), "重复");
}
