//! `Checker::walk`: the files of a tree as an iterator of reports, walked as `newslint check`
//! walks them, each report the same as linting the file's text alone.

use std::path::{Path, PathBuf};

use newslint_core::api::{Checker, ProblemKind};

#[test]
fn walk_yields_each_file_in_order_with_the_findings_of_its_text() {
    let seeds = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/seeds"));
    let checker = Checker::defaults();
    let reports: Vec<_> = checker.walk(&[seeds.to_path_buf()]).collect();
    assert_eq!(reports.len(), 3, "the three seed pages");
    let paths: Vec<&PathBuf> = reports.iter().map(|r| &r.path).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "the CLI's sorted order");
    for r in &reports {
        let text = std::fs::read_to_string(&r.path).expect("seed page");
        let alone = checker.lint(&r.path, &text);
        assert!(!r.report.diagnostics.is_empty(), "{}", r.path.display());
        assert_eq!(r.report, alone, "{}", r.path.display());
    }
}

#[test]
fn walk_skips_ignored_and_binary_files_and_reports_unreadable_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join("a.txt"), "本报讯(记者 李明)昨日").expect("write");
    std::fs::write(root.join("b.txt"), b"\x00\x01binary\x00").expect("write");
    std::fs::write(root.join("skip.txt"), "本报讯(记者 李明)昨日").expect("write");
    std::fs::write(root.join("z.txt"), "本报讯(记者 李明)昨日").expect("write");
    std::fs::write(root.join(".ignore"), "skip.txt\n").expect("write");
    let missing = root.join("missing.txt");
    let checker = Checker::defaults();
    let reports: Vec<_> = checker
        .walk(&[root.to_path_buf(), missing.clone()])
        .collect();
    let names: Vec<String> = reports
        .iter()
        .map(|r| {
            r.path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    // As `newslint check` sorts its report: the unwalkable path where its name sorts.
    assert_eq!(names, ["a.txt", "missing.txt", "z.txt"], "{reports:#?}");
    assert_eq!(reports[1].report.problems.len(), 1);
    assert_eq!(reports[1].report.problems[0].kind, ProblemKind::Io);
    assert!(reports[1].report.diagnostics.is_empty());
    for r in [&reports[0], &reports[2]] {
        assert!(r
            .report
            .diagnostics
            .iter()
            .any(|d| d.rule == "punctuation-width"));
        assert!(r.report.problems.is_empty());
    }
}
