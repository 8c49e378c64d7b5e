//! The HTML report in a real browser: Debian's headless Chromium renders the seed pages' report
//! (and one whose copy and file name hold markup) inside `tests/browser/probe.html`, which
//! measures the pages as rendered and acts on them (focus, hover, tap, filters, links, a phone
//! width) and writes what it saw into the DOM; `--dump-dom` hands that back here, where it is
//! compared with the JSON report of the same run.
//!
//! A fresh clone has no browser, so this test is `#[ignore]`d in a plain `cargo test` (listed as
//! ignored, with the reason). `.ci/run` installs Debian's chromium and runs it with
//! `cargo test --test html_browser -- --ignored`; there a missing browser fails the run with the
//! command that installs one. `NEWSLINT_CHROMIUM` names another binary.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{code, err, folder, root, run, unescape_html, wait_or_kill, write};
use serde_json::Value;

/// The flags every headless run of the report takes, from the file the screenshot script reads.
fn chromium_flags() -> Vec<&'static str> {
    include_str!("../scripts/chromium_flags.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("NEWSLINT_CHROMIUM") {
        return PathBuf::from(p);
    }
    for dir in std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain([PathBuf::from("/usr/bin")])
    {
        for name in ["chromium", "chromium-browser"] {
            let p = dir.join(name);
            if p.is_file() {
                return p;
            }
        }
    }
    panic!(
        "the browser test needs Chromium and none was found: install Debian's package \
         (`apt-get install -y chromium`, as .ci/run does) or set NEWSLINT_CHROMIUM to a binary"
    );
}

/// `url` as Chromium's DOM after the page's scripts ran.
fn dump_dom(dir: &Path, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let browser = chromium();
    let child = Command::new(&browser)
        .args(chromium_flags())
        .args([
            "--allow-file-access-from-files",
            "--window-size=1280,1000",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start {} ({e}): install Debian's chromium (`apt-get install -y chromium`) \
                 or point NEWSLINT_CHROMIUM at a working binary",
                browser.display()
            )
        });
    let o = wait_or_kill(child, Duration::from_secs(120), "chromium");
    let dom = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        o.status.success() && dom.contains("<pre id=\"result\">"),
        "chromium failed ({}): {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    dom
}

fn words(s: &str) -> Vec<usize> {
    s.split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| w.parse().unwrap())
        .collect()
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

fn no_errors(v: &Value, what: &str) {
    assert_eq!(
        v["hidden"], true,
        "{what}: the page reports errors: {}",
        v["text"]
    );
    assert_eq!(v["scripts"], 2, "{what}: only the page's own two scripts");
    assert!(
        v["ready"].is_string(),
        "{what}: the page's script did not finish"
    );
}

/// After a filter: a mark is off exactly when none of its findings or labels is shown, and the
/// list shows exactly the findings shown.
fn check_filter(state: &Value, shown: &dyn Fn(usize) -> bool, n: usize, what: &str) {
    let mut marked = BTreeSet::new();
    for m in state["marks"].as_array().unwrap() {
        let f = words(m[0].as_str().unwrap());
        let l: Vec<usize> = m[1]
            .as_str()
            .unwrap()
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| w.split('.').next().unwrap().parse().unwrap())
            .collect();
        let on = f.iter().chain(&l).any(|&k| shown(k));
        assert_eq!(m[2], !on, "{what}: mark {m}");
        // A tab stop: the first piece of a finding or label (an anchor before it), when shown.
        let stop = on && m[4] == true;
        assert_eq!(m[3], if stop { 0 } else { -1 }, "{what}: tab stop of {m}");
        if on {
            marked.extend(f.into_iter().filter(|&k| shown(k)));
        }
    }
    let want: BTreeSet<usize> = (0..n).filter(|&k| shown(k)).collect();
    assert_eq!(marked, want, "{what}: every finding shown keeps a mark");
    let listed: BTreeSet<usize> = strs(&state["listed"])
        .iter()
        .map(|k| k.parse().unwrap())
        .collect();
    assert_eq!(listed, want, "{what}: the lists");
    assert_eq!(
        state["shown"],
        format!("显示 {} / {n} 个问题", want.len()),
        "{what}"
    );
}

/// The shared flags file reads as flags (no comment or blank line passed on to the browser);
/// runs in a plain `cargo test`, without a browser.
#[test]
fn the_shared_chromium_flags_are_flags() {
    let flags = chromium_flags();
    assert_eq!(flags.first(), Some(&"--headless"), "{flags:?}");
    assert!(
        flags
            .iter()
            .all(|f| f.starts_with("--") && !f.contains(char::is_whitespace)),
        "{flags:?}"
    );
    assert!(flags.contains(&"--no-sandbox"), "{flags:?}");
}

#[test]
#[ignore = "needs Debian's chromium; .ci/run installs it and runs `cargo test --test html_browser -- --ignored`"]
fn seed_report_in_headless_chromium_marks_every_finding_without_script_errors() {
    let dir = tempfile::tempdir().unwrap();
    let report = |args: &[&str], cwd: &Path| {
        let o = run(cwd, args);
        assert_eq!(code(&o), 1, "{}", err(&o));
        o.stdout
    };
    let seeds = ["check", "--no-config", "fixtures/seeds", "--format"];
    let json: Value =
        serde_json::from_slice(&report(&[&seeds[..], &["json"]].concat(), root())).unwrap();
    write(
        dir.path(),
        "report.html",
        report(&[&seeds[..], &["html"]].concat(), root()),
    );
    // Markup in the copy and in the file name.
    let evil = folder(&[(
        "稿<script>&b.txt",
        "<b>粗体</b> & 今天(9月1日)开会。<img src=x>\n",
    )]);
    let esc = report(
        &["check", "--no-config", "--format", "html", "."],
        evil.path(),
    );
    write(dir.path(), "escape.html", esc);
    std::fs::copy(
        root().join("tests/browser/probe.html"),
        dir.path().join("probe.html"),
    )
    .unwrap();

    let url = format!("file://{}/probe.html", dir.path().display());
    let dom = dump_dom(dir.path(), &url);
    let start = dom.find("<pre id=\"result\">").unwrap() + "<pre id=\"result\">".len();
    let end = dom[start..].find("</pre>").unwrap() + start;
    let res: Value = serde_json::from_str(&unescape_html(&dom[start..end]))
        .unwrap_or_else(|e| panic!("the probe wrote no result ({e}): {}", &dom[start..end]));
    assert!(
        res.get("fatal").is_none(),
        "the probe failed: {}",
        res["fatal"]
    );

    // No script errors, and the script finished.
    no_errors(&res["errors"], "seed report");

    // Every finding of the JSON report is marked on exactly its characters, drawn, focusable.
    let diags = json["diagnostics"].as_array().unwrap();
    let n = diags.len();
    assert_eq!(n, 304, "the seed pages' findings");
    let found = res["marks"]["findings"].as_object().unwrap();
    assert_eq!(found.len(), n, "marked findings");
    let mut anchors = 0;
    for (k, d) in diags.iter().enumerate() {
        let path = d["path"].as_str().unwrap();
        let text = std::fs::read_to_string(root().join(path)).unwrap();
        let range =
            d["byte_start"].as_u64().unwrap() as usize..d["byte_end"].as_u64().unwrap() as usize;
        let want: String = text[range]
            .chars()
            .filter(|&c| c != '\n' && c != '\r')
            .collect();
        let got = &found[&k.to_string()];
        let at = format!("finding {k} ({} at {path}:{})", d["rule"], d["line"]);
        assert_eq!(got["text"], want.as_str(), "{at}");
        assert_eq!(got["points"], u64::from(want.is_empty()), "{at}");
        assert_eq!(got["drawn"], true, "{at} is not drawn");
        assert_eq!(
            got["focusable"], true,
            "{at} cannot be reached with the keyboard"
        );
        anchors += 1;
        for j in 0..d["labels"].as_array().unwrap().len() {
            let l = &res["marks"]["labels"][format!("{k}.{j}")];
            assert!(
                l["marks"].as_u64().unwrap_or(0) > 0,
                "{at}: label {j} is not marked"
            );
            assert_eq!(l["drawn"], true, "{at}: label {j} is not drawn");
            anchors += 1;
        }
    }
    assert_eq!(res["marks"]["anchors"], anchors);

    // Keyboard focus on a piece shared by several findings shows them all; Escape closes.
    let shared = strs(&res["sharedIds"]);
    assert!(shared.len() > 1);
    assert_eq!(res["focused"], true);
    assert_eq!(res["focusPopup"]["hidden"], false);
    assert_eq!(strs(&res["focusPopup"]["cards"]), shared);
    for k in &shared {
        let msg = diags[k.parse::<usize>().unwrap()]["message"]
            .as_str()
            .unwrap();
        assert!(res["focusPopup"]["text"].as_str().unwrap().contains(msg));
    }
    assert_eq!(res["afterEscape"], true);
    // Hovering a point mark (no character of its own) shows what it belongs to.
    assert_eq!(res["hoverPopup"]["hidden"], false);
    assert_eq!(strs(&res["hoverPopup"]["cards"]), strs(&res["pointIds"]));

    // Filters.
    assert_eq!(res["filtersShown"], true);
    let rule = |k: usize| diags[k]["rule"].as_str().unwrap().to_string();
    let sev = |k: usize| diags[k]["severity"].as_str().unwrap().to_string();
    check_filter(
        &res["withoutRule"],
        &|k| rule(k) != "punctuation-width",
        n,
        "without punctuation-width",
    );
    check_filter(
        &res["withoutRuleAndWarnings"],
        &|k| rule(k) != "punctuation-width" && sev(k) != "warning",
        n,
        "without punctuation-width and warnings",
    );
    check_filter(&res["restored"], &|_| true, n, "everything again");

    // A summary link focuses its place and opens the popup.
    let target: usize = res["linkTarget"]
        .as_str()
        .unwrap()
        .trim_start_matches("#f")
        .parse()
        .unwrap();
    assert!(strs(&res["linkPopup"]["cards"]).contains(&target.to_string()));
    assert!(words(res["linkFocus"].as_str().unwrap()).contains(&target));

    // A phone: no horizontal scrolling, and a tap opens the popup as a sheet on the screen.
    no_errors(&res["phoneErrors"], "phone");
    let client = res["phoneWidth"]["client"].as_f64().unwrap();
    assert!(client <= 360.0);
    assert!(
        res["phoneWidth"]["scroll"].as_f64().unwrap() <= client,
        "{}",
        res["phoneWidth"]
    );
    assert!(
        res["phoneWidth"]["body"].as_f64().unwrap() <= client,
        "{}",
        res["phoneWidth"]
    );
    assert!(
        res["phoneWidest"].as_f64().unwrap() <= client + 0.5,
        "{}",
        res["phoneWidest"]
    );
    let pop = &res["phonePopup"];
    assert_eq!(pop["hidden"], false);
    assert_eq!(pop["sheet"], true);
    assert_eq!(strs(&pop["cards"]), strs(&res["phoneTapIds"]));
    assert!(
        pop["left"].as_f64().unwrap() >= 0.0 && pop["right"].as_f64().unwrap() <= client + 0.5,
        "{pop}"
    );
    assert!(
        pop["bottom"].as_f64().unwrap() <= pop["viewport"][1].as_f64().unwrap() + 0.5,
        "{pop}"
    );

    // report.html#f5 opens finding 5.
    no_errors(&res["hashErrors"], "#f5");
    assert_eq!(res["hashPopup"]["hidden"], false);
    assert!(strs(&res["hashPopup"]["cards"]).contains(&"5".to_string()));

    // Markup in copy and file name is text: no element from it, the name shown as it is.
    let e = &res["escape"];
    no_errors(&e["errors"], "escape page");
    assert_eq!(e["heading"], "稿<script>&b.txt");
    assert_eq!(e["images"], 0);
    assert_eq!(e["bold"], 0);
    assert!(e["line"]
        .as_str()
        .unwrap()
        .contains("<b>粗体</b> & 今天(9月1日)开会。<img src=x>"));
    assert_eq!(e["marks"]["findings"]["0"]["text"], "(");
    assert_eq!(e["marks"]["findings"]["0"]["drawn"], true);

    for (i, v) in res["errorsAtEnd"].as_array().unwrap().iter().enumerate() {
        no_errors(v, &format!("frame {i} after the interactions"));
    }
}
