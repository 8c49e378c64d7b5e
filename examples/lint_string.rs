//! Lint a string through the library's API: `cargo run --example lint_string [TEXT]`.
use newslint_core::api::Checker;

fn main() {
    let default = "😀记者(实习)报道。".to_string();
    let text = std::env::args().nth(1).unwrap_or(default);
    // The `.lintrc.toml` nearest to the current folder, or the built-in defaults.
    let checker = Checker::for_path("稿件.txt".as_ref()).unwrap_or_else(|p| panic!("{p}"));
    let report = checker.lint("稿件.txt", &text);
    for d in &report.diagnostics {
        let (line, col, sev) = (d.start.line, d.start.column, d.severity.as_str());
        let fix = d.fix.as_ref().map(|f| format!(" [{:?}]", f.applicability));
        let fix = fix.unwrap_or_default();
        println!("{line}:{col} {sev}[{}] {}{fix}", d.rule, d.message);
    }
    report.problems.iter().for_each(|p| eprintln!("{p}"));
    std::process::exit(i32::from(!report.diagnostics.is_empty()));
}
