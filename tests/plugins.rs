//! External plugins: the example plugin in the repository, and plugins that hang, crash or
//! answer nonsense. Needs `python3` on PATH (the machine and CI have it).

mod common;
use common::*;

/// A folder with the example plugin, `plugins` as its config, a page for the plugin (two
/// exclamation marks in a paragraph) and one for a built-in rule (an ASCII comma).
fn repo_with(plugins: &str) -> tempfile::TempDir {
    let dir = folder(&[
        (".lintrc.toml", plugins),
        (
            "a.txt",
            "标题一行\n\n聊城是个美丽的城市！东昌湖真漂亮！我们都爱她。\n",
        ),
        ("b.txt", "标题二行\n\n正文,继续。\n"),
    ]);
    let example = root().join("examples/plugins/exclaim.py");
    std::fs::copy(example, dir.path().join("exclaim.py")).unwrap();
    dir
}

const EXCLAIM: &str = "[[plugins]]\nname = \"exclaim\"\ncommand = [\"python3\", \"exclaim.py\"]\n";

#[test]
fn example_plugin_reports_under_its_name() {
    let dir = repo_with(EXCLAIM);
    let o = run(dir.path(), &["check", "--format", "short"]);
    let text = out(&o);
    assert_eq!(code(&o), 1, "{text}{}", err(&o));
    assert_contains(
        &text,
        "a.txt:3:17: warning[exclaim/too-many] 一段里用了 2 个感叹号",
    );
    assert!(
        text.contains("b.txt:3:3: error[punctuation-width]"),
        "built-in rules still run: {text}"
    );
    // JSON carries the plugin's help and byte span.
    let o = run(dir.path(), &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "exclaim/too-many")
        .unwrap();
    assert_eq!(d["help"], "新闻稿慎用感叹号：一段至多一个");
    // --no-plugins and --ignore turn it off.
    let o = run(dir.path(), &["check", "--format", "short", "--no-plugins"]);
    assert!(!out(&o).contains("exclaim"), "{}", out(&o));
    let o = run(
        dir.path(),
        &["check", "--format", "short", "--ignore", "exclaim"],
    );
    assert!(!out(&o).contains("exclaim"), "{}", out(&o));
}

#[test]
fn a_hanging_plugin_is_killed_at_the_timeout() {
    let dir = repo_with(
        "[[plugins]]\nname = \"sleepy\"\ncommand = [\"python3\", \"-c\", \"import time; time.sleep(30)\"]\ntimeout-ms = 300\n",
    );
    let start = std::time::Instant::now();
    let o = run(dir.path(), &["check", "--format", "short", "-j1"]);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(10),
        "killed, not waited for"
    );
    assert_eq!(code(&o), 2);
    let e = err(&o);
    assert!(
        e.contains("a.txt") && e.contains("b.txt"),
        "one error per file: {e}"
    );
    assert_contains(&e, "插件 `sleepy` 出错：超过 300 毫秒没有结束，已终止");
    assert!(
        out(&o).contains("b.txt:3:3: error[punctuation-width]"),
        "the run goes on"
    );
}

#[test]
fn crashing_and_babbling_plugins_are_errors_for_the_file() {
    for (cmd, needle) in [
        ("[\"python3\", \"-c\", \"import sys; sys.stderr.write('boom'); sys.exit(3)\"]", "异常退出"),
        ("[\"python3\", \"-c\", \"print('hello')\"]", "输出不是有效的协议 JSON"),
        ("[\"python3\", \"-c\", \"print('{\\\"protocol\\\":1,\\\"diagnostics\\\":[{\\\"rule\\\":\\\"x\\\",\\\"message\\\":\\\"m\\\",\\\"byte_start\\\":1,\\\"byte_end\\\":2}]}')\"]", "字符边界"),
        ("[\"/no/such/program\"]", "无法启动"),
    ] {
        let dir = repo_with(&format!("[[plugins]]\nname = \"bad\"\ncommand = {cmd}\n"));
        let o = run(dir.path(), &["check", "--format", "short"]);
        assert_eq!(code(&o), 2, "{cmd}: {}", err(&o));
        assert!(err(&o).contains(needle), "{cmd}: {}", err(&o));
        assert!(out(&o).contains("b.txt:3:3"), "the run goes on");
    }
}

#[test]
fn plugin_config_is_validated() {
    for (cfg, needle) in [
        (
            "[[plugins]]\nname = \"Bad Name\"\ncommand = [\"x\"]\n",
            "插件名",
        ),
        ("[[plugins]]\nname = \"x\"\ncommand = []\n", "不能为空"),
        ("[[plugins]]\nname = \"typo\"\ncommand = [\"x\"]\n", "重名"),
        (
            "[[plugins]]\nname = \"x\"\ncommand = [\"x\"]\ntimeout = 5\n",
            "未知的键 `timeout`",
        ),
    ] {
        let dir = repo_with(cfg);
        let o = run(dir.path(), &["check"]);
        assert_eq!(code(&o), 2, "{cfg}");
        assert!(err(&o).contains(needle), "{cfg}: {}", err(&o));
    }
}

/// Issue 15's zones reach plugins under their documented names (README "Plugins"): a plugin
/// that echoes each paragraph's zone sees every one of them on a page that has them all.
#[test]
fn plugin_protocol_sends_every_zone_name() {
    let fixtures = fixture("plugins");
    let dir = folder(&[(
        ".lintrc.toml",
        "[[plugins]]\nname = \"zones\"\ncommand = [\"python3\", \"zones.py\"]\n",
    )]);
    std::fs::copy(fixtures.join("zones.py"), dir.path().join("zones.py")).unwrap();
    std::fs::copy(fixtures.join("zones.txt"), dir.path().join("page.txt")).unwrap();
    let o = run(
        dir.path(),
        &["check", "--format", "json", "--select", "zones"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let zones: Vec<(u64, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "zones/zone")
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let at = |line: u64| {
        zones
            .iter()
            .find(|z| z.0 == line)
            .map(|z| z.1.as_str())
            .unwrap_or("")
    };
    // Line numbers of fixtures/plugins/zones.txt.
    let want = [
        (1, "page-line"),
        (3, "headline"),
        (5, "deck"),
        (7, "body"),
        (9, "lead-in"),
        (11, "subheading"),
        (13, "callout"),
        (19, "verse"),
        (27, "credit"),
        (29, "caption"),
        (31, "editor-line"),
    ];
    for (line, zone) in want {
        assert_eq!(at(line), zone, "line {line}: {zones:?}\n{}", err(&o));
    }
}
