//! The `newslint` binary: parse the command line, call the library, print, map to an exit code.
//!
//! Exit codes: 0 no error-level finding; 1 error-level findings (or more warnings than
//! `--max-warnings`); 2 usage, configuration or I/O trouble (every readable file is still linted).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use newslint::cli::{CheckArgs, Cli, ColorChoice, Command, OutputFormat};
use newslint::config::{self, Config, ConfigError};
use newslint::document::{Document, Format};
use newslint::driver::{self, CheckOptions, FixMode};
use newslint::lint::{Linter, Selection};
use newslint::report::{self, human, Summary};
use newslint::source::SourceFile;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => check(args),
        Command::Rules => list_rules(),
        Command::Explain { rule } => explain(&rule),
        Command::Init { force, stdout } => init(force, stdout),
        Command::Zones { file } => zones(&file),
        Command::TestPack { dir } => test_pack(&dir),
    };
    ExitCode::from(code)
}

fn use_color(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(100)
}

fn print_config_error(e: &ConfigError, color: bool) {
    let style = human::Style {
        color,
        width: width(),
    };
    let theme = if style.color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(style.width);
    let _ = handler.render_report(&mut out, e);
    eprintln!("{out}");
}

fn load_config(args: &CheckArgs, color: bool) -> Result<Config, u8> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let path = if args.no_config {
        None
    } else if let Some(p) = &args.config {
        Some(p.clone())
    } else {
        config::discover(&cwd)
    };
    match path {
        None => Ok(Config::defaults(&cwd)),
        Some(p) => Config::load(&p).map_err(|e| {
            print_config_error(&e, color);
            2
        }),
    }
}

fn check(args: CheckArgs) -> u8 {
    let stderr_color = use_color(args.color, std::io::stderr().is_terminal());
    let config = match load_config(&args, stderr_color) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let selection = Selection {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    let linter = match Linter::new(config, selection) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let paths = if args.paths.is_empty() {
        vec![".".into()]
    } else {
        args.paths.clone()
    };
    let fix = if args.diff {
        FixMode::Diff
    } else if args.fix {
        FixMode::Apply
    } else {
        FixMode::Off
    };
    let opts = CheckOptions {
        paths,
        threads: args.threads,
        fix,
        unsafe_fixes: args.unsafe_fixes,
        plugins: !args.no_plugins,
    };
    let style = human::Style {
        color: use_color(args.color, std::io::stdout().is_terminal()),
        width: width(),
    };
    let format = args.format;
    let render = move |path: &str, doc: &Document, diags: &[newslint::diagnostic::Diagnostic]| {
        if format == OutputFormat::Human && fix != FixMode::Diff {
            human::render_file(path, doc, diags, &style)
        } else {
            String::new()
        }
    };
    let (files, mut outcomes) = driver::collect_files(&opts.paths, &linter);
    outcomes.extend(driver::check(&files, &linter, &opts, &render));
    outcomes.sort_by(|a, b| a.path.cmp(&b.path));
    driver::cross_file(&mut outcomes, &linter);
    let summary = Summary::of(&outcomes);

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut err = std::io::stderr().lock();
    let estyle = human::Style {
        color: stderr_color,
        width: width(),
    };
    if fix == FixMode::Diff {
        for o in &outcomes {
            if let Some(d) = &o.diff {
                let _ = out.write_all(d.as_bytes());
            }
        }
        for o in outcomes.iter().filter(|o| o.failed) {
            let _ =
                err.write_all(human::render_plain(&o.path, &o.diagnostics[0], &estyle).as_bytes());
        }
        let _ = writeln!(err, "可修复 {} 处（未写入文件）。", summary.fixed);
        return if summary.io_errors > 0 {
            2
        } else {
            u8::from(summary.fixed > 0)
        };
    }
    match format {
        OutputFormat::Json => {
            let _ = out.write_all(report::json::render(&outcomes, &summary).as_bytes());
        }
        OutputFormat::Short => {
            let _ = out.write_all(report::short::render(&outcomes).as_bytes());
        }
        OutputFormat::Human => {
            for o in &outcomes {
                if o.failed {
                    let text = human::render_plain(&o.path, &o.diagnostics[0], &estyle);
                    let _ = err.write_all(text.as_bytes());
                } else {
                    for d in o.diagnostics.iter().filter(|d| d.rule == "plugin") {
                        let _ = err.write_all(human::render_plain(&o.path, d, &estyle).as_bytes());
                    }
                    let _ = out.write_all(o.rendered.as_bytes());
                    for d in o.cross_file.iter().map(|&k| &o.diagnostics[k]) {
                        let at = format!("{}:{}:{}", o.path, d.start.line, d.start.column);
                        let _ = out.write_all(human::render_plain(&at, d, &style).as_bytes());
                    }
                }
            }
            if !args.quiet {
                let _ = out.write_all(human::summary_line(&summary).as_bytes());
            }
        }
    }
    if format != OutputFormat::Human {
        for o in &outcomes {
            for d in o
                .diagnostics
                .iter()
                .filter(|d| d.rule == "io" || d.rule == "plugin")
            {
                let _ = writeln!(err, "error[{}]: {}: {}", d.rule, o.path, d.message);
            }
        }
    }
    let _ = out.flush();
    if summary.io_errors > 0 {
        2
    } else if summary.errors > 0 || args.max_warnings.is_some_and(|m| summary.warnings > m) {
        1
    } else {
        0
    }
}

/// The catalog of the config found from the current folder (built-ins when there is none).
fn catalog() -> Result<newslint::catalog::Catalog, u8> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    match config::discover(&cwd) {
        None => Ok(newslint::catalog::Catalog::builtin()),
        Some(p) => Config::load(&p).map(|c| c.catalog).map_err(|e| {
            print_config_error(&e, std::io::stderr().is_terminal());
            2
        }),
    }
}

fn list_rules() -> u8 {
    let cat = match catalog() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let width = cat
        .entries
        .iter()
        .map(|e| e.meta.id.chars().count())
        .max()
        .unwrap_or(20)
        .max(20);
    let mut out = String::new();
    out.push_str(&format!(
        "{:<width$} {:<8} {:<8} {:<10} {}\n",
        "RULE", "DEFAULT", "ENABLED", "FIX", "SUMMARY"
    ));
    for e in &cat.entries {
        let m = e.meta;
        out.push_str(&format!(
            "{:<width$} {:<8} {:<8} {:<10} {}\n",
            m.id,
            m.default_severity.as_str(),
            if m.default_enabled { "yes" } else { "no" },
            m.fix.as_str(),
            m.summary
        ));
    }
    print!("{out}");
    0
}

fn explain(id: &str) -> u8 {
    let cat = match catalog() {
        Ok(c) => c,
        Err(code) => return code,
    };
    match cat.find(id) {
        Some(e) => {
            let m = e.meta;
            println!("# {}\n\n{}\n", m.id, m.summary);
            println!(
                "Default severity: {}. Enabled by default: {}. Fix: {}.\n",
                m.default_severity.as_str(),
                if m.default_enabled { "yes" } else { "no" },
                m.fix.as_str()
            );
            print!("{}", m.docs);
            0
        }
        None => {
            eprintln!("error: 未知的规则 `{id}`（`newslint rules` 列出全部规则）");
            2
        }
    }
}

fn test_pack(dir: &std::path::Path) -> u8 {
    let pack = match newslint::pack::load_dir(dir) {
        Ok(p) => p,
        Err(e) => {
            print_config_error(&e, std::io::stderr().is_terminal());
            return 2;
        }
    };
    let (mut total, mut failed) = (0, 0);
    for rule in &pack.rules {
        let (n, failures) = newslint::pack::run_examples(rule);
        total += n;
        failed += failures.len();
        for f in failures {
            let want = if f.expected {
                "应报告"
            } else {
                "不应报告"
            };
            println!("FAIL {}: {want}，实际 {} 处：{}", f.rule, f.found, f.text);
            if let Some(why) = f.why {
                println!("     why: {why}");
            }
        }
        if n == 0 {
            println!("note {}: 没有 [[examples]]", rule.meta().id);
        }
    }
    println!(
        "pack {} {}: {} passed, {} failed",
        pack.name,
        pack.version,
        total - failed,
        failed
    );
    u8::from(failed > 0)
}

fn init(force: bool, stdout: bool) -> u8 {
    let text = config::template();
    if stdout {
        print!("{text}");
        return 0;
    }
    let path = std::path::Path::new(config::CONFIG_FILE);
    if path.exists() && !force {
        eprintln!("error: {} 已存在；用 --force 覆盖", config::CONFIG_FILE);
        return 2;
    }
    match std::fs::write(path, text) {
        Ok(()) => {
            println!("已写入 {}", config::CONFIG_FILE);
            0
        }
        Err(e) => {
            eprintln!("error: 无法写入 {}：{e}", config::CONFIG_FILE);
            2
        }
    }
}

fn zones(file: &std::path::Path) -> u8 {
    let src = match SourceFile::read(file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error[io]: {}: {e}", file.display());
            return 2;
        }
    };
    let doc = Document::parse(src, Format::from_path(file));
    let mut out = String::new();
    for p in &doc.paragraphs {
        let text = doc.para_text(p);
        let head: String = text.chars().take(24).collect();
        let more = if text.chars().count() > 24 { "…" } else { "" };
        let dateline = p.dateline.as_ref().map_or(String::new(), |d| {
            format!(" [dateline {}]", &doc.text()[d.clone()])
        });
        out.push_str(&format!(
            "{:>4}  a{:<3} {:<10} {head}{more}{dateline}\n",
            p.lines.start + 1,
            p.article,
            p.zone.as_str()
        ));
    }
    print!("{out}");
    0
}
