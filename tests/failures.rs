//! Failures that used to pass in silence or panic (issue 16, items 6–8, and issue 19 item 15):
//! each is now a clear error naming the file, exit 2, and the run goes on.

mod common;
use common::*;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

const MANIFEST: &str = "name = \"house\"\nversion = \"1.0.0\"\ndescription = \"house rules\"\n";

/// Item 6: an empty token or wrong-string is a pack error with its file, line and key, for
/// `check` and for `test-pack`; nothing panics.
#[test]
fn empty_pack_strings_are_rejected_with_file_line_and_key() {
    let cases = [
        (
            "kind = \"existence\"\ndescription = \"d\"\nmessage = \"m\"\ntokens = [\"网红\", \"\"]\n",
            "r.toml:4:",
            "`tokens` 里有空字符串",
        ),
        (
            "kind = \"substitution\"\ndescription = \"d\"\nmessage = \"m\"\n\n[swap]\n\"\" = \"x\"\n",
            "r.toml:6:",
            "`swap` 里被替换的文字是空字符串",
        ),
        (
            "kind = \"substitution\"\ndescription = \"d\"\nmessage = \"m\"\n\n[[entry]]\nwrong = \"\"\nright = \"x\"\n",
            "r.toml:6:",
            "`wrong` 里被替换的文字是空字符串",
        ),
        (
            "kind = \"consistency\"\ndescription = \"d\"\nmessage = \"m\"\ngroups = [[\"其他\", \"\"]]\n",
            "r.toml:4:",
            "`groups` 里有空字符串",
        ),
        (
            "kind = \"occurrence\"\ndescription = \"d\"\nmessage = \"m\"\nunit = \"sentence\"\ntokens = [\"\"]\nmax = 2\n",
            "r.toml:5:",
            "`tokens` 里有空字符串",
        ),
        (
            "kind = \"substitution\"\ndescription = \"d\"\nmessage = \"m\"\n\n[[entry]]\nwrong = \"纳人\"\nright = \"纳入\"\nnot-after = [\"\"]\n",
            "r.toml:8:",
            "`not-after` 里有空字符串",
        ),
    ];
    for (rule, at, message) in cases {
        let dir = folder(&[
            (".lintrc.toml", "packs = [\"house\"]\n"),
            ("house/pack.toml", MANIFEST),
            ("house/r.toml", rule),
            ("a.txt", "她是一名网红，纳人低保。\n"),
        ]);
        for args in [&["check", "a.txt"][..], &["test-pack", "house"][..]] {
            let o = run(dir.path(), args);
            let e = err(&o);
            assert_eq!(code(&o), 2, "{args:?} {rule}: {}{e}", out(&o));
            assert!(!e.contains("panicked"), "{e}");
            assert!(e.contains(at) && e.contains(message), "{args:?}: {e}");
        }
    }
}

/// Item 7: a glob that cannot be what was meant (`[` never closed) is a config error pointing
/// at it, not a pattern that silently matches nothing.
#[test]
fn an_invalid_glob_in_files_is_a_config_error() {
    for (config, at) in [
        ("[files]\ninclude = [\"*.txt\", \"[\"]\n", ".lintrc.toml:2:21"),
        ("[files]\nexclude = [\"archive/[ab\"]\n", ".lintrc.toml:2:12"),
        (
            "[[overrides]]\nfiles = [\"[\"]\n[overrides.rules.punctuation-width]\nseverity = \"warning\"\n",
            ".lintrc.toml:2:10",
        ),
    ] {
        let dir = folder(&[(".lintrc.toml", config), ("a.txt", "中文,测试。\n")]);
        let o = run(dir.path(), &["check"]);
        let e = err(&o);
        assert_eq!(code(&o), 2, "{config}: {}{e}", out(&o));
        assert!(e.contains("无效的 glob") && e.contains(at), "{config}: {e}");
    }
    // A literal bracket is written escaped, and works.
    let dir = folder(&[
        (".lintrc.toml", "[files]\ninclude = [\"\\\\[a\\\\].txt\"]\n"),
        ("[a].txt", "中文,测试。\n"),
    ]);
    let o = run(dir.path(), &["check", "--format", "short"]);
    assert_eq!(code(&o), 1, "{}{}", out(&o), err(&o));
    assert_contains(&out(&o), "[a].txt:1:3");
}

/// Item 7: a report that cannot be written is an error (exit 2, even with `--exit-zero`),
/// naming what failed; not exit 1 or 0 in silence.
#[cfg(target_os = "linux")]
#[test]
fn a_report_that_cannot_be_written_is_an_error() {
    let dir = folder(&[("a.txt", "中文,测试。\n"), ("clean.txt", "中文，测试。\n")]);
    for format in ["json", "short", "human", "sarif", "github", "junit"] {
        for extra in [&[][..], &["--exit-zero"][..]] {
            // Short and GitHub output print nothing for a clean file: nothing to fail.
            let files: &[&str] = if matches!(format, "short" | "github") {
                &["a.txt"]
            } else {
                &["a.txt", "clean.txt"]
            };
            for &file in files {
                let full = std::fs::File::options()
                    .write(true)
                    .open("/dev/full")
                    .unwrap();
                let o = bin()
                    .current_dir(dir.path())
                    .args(["check", "--no-config", "--format", format])
                    .args(extra)
                    .arg(file)
                    .stdout(full)
                    .output()
                    .unwrap();
                let e = err(&o);
                assert_eq!(code(&o), 2, "{format} {extra:?} {file}: {e}");
                assert!(e.contains("无法写出报告"), "{format}: {e}");
            }
        }
    }
    // A reader that goes away early is no error: the run's own exit code.
    let mut child = spawn(dir.path(), &["check", "--no-config", "a.txt"]);
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert!(!err(&o).contains("无法写出报告"), "{}", err(&o));
}

/// A reader that goes away is no error for the commands that print generated text either
/// (`newslint zones page.txt | head`): exit 0 and nothing on standard error, not a panic.
#[cfg(unix)]
#[test]
fn generated_text_to_a_reader_that_went_away_is_no_error() {
    // Far more output than a pipe holds, so that the write meets the closed pipe.
    let page = "测试文本的一个段落。\n\n".repeat(20_000);
    let dir = folder(&[("page.txt", page.as_str())]);
    for args in [
        &["zones", "page.txt"][..],
        &["init", "--stdout"][..],
        &["rules"][..],
    ] {
        let mut child = spawn(dir.path(), args);
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert_eq!(code(&o), 0, "{args:?}: {}", err(&o));
        assert_eq!(err(&o), "", "{args:?}");
    }
}

/// Item 7: named streams are linted (a named pipe, `/dev/stdin`, `<(cmd)`); a stream of NUL
/// bytes (`/dev/zero`) is an error naming it, and the run goes on; `--fix` does not write back
/// through one.
#[cfg(unix)]
#[test]
fn named_pipes_and_devices_are_linted_or_reported() {
    let dir = folder(&[("a.txt", "中文,测试。\n")]);
    let p = dir.path();
    // /dev/stdin, from a pipe.
    let o = feed(
        p,
        &[
            "check",
            "--no-config",
            "--format",
            "short",
            "/dev/stdin",
            "a.txt",
        ],
        "中文;测试。\n",
    );
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert_contains(&out(&o), "/dev/stdin:1:3: error[punctuation-width]");
    assert_contains(&out(&o), "a.txt:1:3:");
    // A named pipe, and process substitution (through bash, when there is one).
    let fifo = p.join("pipe.txt");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, "中文,管道。\n"))
    };
    let o = run(
        p,
        &["check", "--no-config", "--format", "short", "pipe.txt"],
    );
    writer.join().unwrap().unwrap();
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert_contains(&out(&o), "pipe.txt:1:3: error[punctuation-width]");
    if Path::new("/bin/bash").exists() {
        let o = Command::new("/bin/bash")
            .current_dir(p)
            .arg("-c")
            .arg(format!(
                "{} check --no-config --format short <(printf '中文,替换。\\n')",
                env!("CARGO_BIN_EXE_newslint")
            ))
            .output()
            .unwrap();
        assert_eq!(code(&o), 1, "{}", err(&o));
        assert_contains(&out(&o), ":1:3: error[punctuation-width]");
    }
    // /dev/zero: an error naming it, and the other file is still linted.
    let o = run(
        p,
        &[
            "check",
            "--no-config",
            "--format",
            "short",
            "/dev/zero",
            "a.txt",
        ],
    );
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(
        err(&o).contains("/dev/zero") && err(&o).contains("NUL"),
        "{}",
        err(&o)
    );
    assert_contains(&out(&o), "a.txt:1:3:");
    // --fix through /dev/stdin, even when it is a file: not written.
    let o = bin()
        .current_dir(p)
        .args(["check", "--no-config", "--fix", "/dev/stdin"])
        .stdin(std::fs::File::open(p.join("a.txt")).unwrap())
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert_contains(&err(&o), "修复无法写回");
    assert_eq!(
        std::fs::read_to_string(p.join("a.txt")).unwrap(),
        "中文,测试。\n"
    );
}

/// Whether process `pid` still runs (a zombie waiting to be reaped by init does not).
#[cfg(unix)]
fn alive(pid: &str) -> bool {
    let o = Command::new("ps")
        .args(["-o", "stat=", "-p", pid.trim()])
        .output()
        .unwrap();
    let stat = String::from_utf8_lossy(&o.stdout);
    !stat.trim().is_empty() && !stat.trim_start().starts_with('Z')
}

/// Item 8 and issue 19 item 15: a plugin that exits while a child of it keeps its output open
/// does not make newslint wait for the child (which is stopped); at a timeout the plugin's
/// whole process group is killed, not only the plugin.
#[cfg(unix)]
#[test]
fn plugins_children_neither_hold_the_run_nor_outlive_it() {
    let dir = folder(&[
        (
            "linger.sh",
            "cat > /dev/null\nsleep 300 &\necho $! > linger.pid\necho '{\"protocol\": 1, \"diagnostics\": [{\"rule\": \"x\", \"message\": \"m\", \"byte_start\": 0, \"byte_end\": 3}]}'\n",
        ),
        (
            "hang.sh",
            "cat > /dev/null\nsleep 300 &\necho $! > hang.pid\nsleep 300\n",
        ),
        (
            ".lintrc.toml",
            "[[plugins]]\nname = \"linger\"\ncommand = [\"sh\", \"linger.sh\"]\n\n[[plugins]]\nname = \"hang\"\ncommand = [\"sh\", \"hang.sh\"]\ntimeout-ms = 500\n",
        ),
        ("a.txt", "中文。\n"),
    ]);
    let p = dir.path();
    let child = spawn(p, &["check", "--format", "short", "a.txt"]);
    let o = wait_or_kill(child, Duration::from_secs(60), "newslint");
    // The lingering plugin's finding is reported; the hanging one is a plugin error.
    assert_contains(&out(&o), "a.txt:1:1: warning[linger/x] m");
    assert!(
        err(&o).contains("hang") && err(&o).contains("已终止"),
        "{}",
        err(&o)
    );
    assert_eq!(code(&o), 2);
    for f in ["linger.pid", "hang.pid"] {
        let pid = std::fs::read_to_string(p.join(f)).unwrap();
        assert!(
            !alive(&pid),
            "{f}: the plugin's child {} is still running",
            pid.trim()
        );
    }
}
