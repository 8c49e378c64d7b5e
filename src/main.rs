//! The `newslint` binary: parse the command line, call the library, print, map to an exit code.
//!
//! Exit codes: 0 no error-level finding; 1 error-level findings (or more warnings than
//! `--max-warnings`); 2 usage, configuration or I/O trouble (every readable file is still linted).

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

mod cli;
mod human;
mod server;

use clap::Parser;
use cli::{CheckArgs, Cli, ColorChoice, Command, ErrorOn, OutputFormat};
use newslint_core::baseline::{self, Baseline};
use newslint_core::config::{self, Config, ConfigError};
use newslint_core::document::{Document, Format};
use newslint_core::driver::{self, CheckOptions, FixMode};
use newslint_core::lint::{DiscoveryError, Linter, Selection};
use newslint_core::report::{self, Summary};
use newslint_core::source::SourceFile;

/// The terminal's progress bar, as the core's [`driver::Progress`].
struct Bar(indicatif::ProgressBar);

impl std::fmt::Debug for Bar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Bar")
    }
}

impl driver::Progress for Bar {
    fn file_done(&self) {
        self.0.inc(1);
    }
    fn suspend(&self, write: &mut dyn FnMut()) {
        self.0.suspend(write);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => check(*args),
        Command::Rules => list_rules(),
        Command::Explain { rule } => explain(&rule),
        Command::Init { force, stdout } => init(force, stdout),
        Command::Zones { file } => zones(&file),
        Command::TestPack { dir } => test_pack(&dir),
        Command::Completions { shell } => completions(shell),
        Command::Man { command } => man(command.as_deref()),
        Command::Server => server(),
    };
    ExitCode::from(code)
}

/// The current folder (`.` if it cannot be read).
fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| ".".into())
}

fn use_color(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// Which stream human output goes to, for its width.
#[derive(Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
}

/// The width human output fits: `$COLUMNS` when set (as clap and most tools honour it), else
/// the width of the terminal the stream is (at least 40), else 100.
fn width(stream: Stream) -> usize {
    if let Some(w) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|&w| w >= 40)
    {
        return w;
    }
    let size = match stream {
        Stream::Stdout => terminal_size::terminal_size_of(std::io::stdout()),
        Stream::Stderr => terminal_size::terminal_size_of(std::io::stderr()),
    };
    size.map_or(100, |(w, _)| usize::from(w.0).max(40))
}

fn print_config_error(e: &ConfigError, color: bool) {
    let style = human::Style {
        color,
        width: width(Stream::Stderr),
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

/// The run's config: `--config FILE`, none with `--no-config`, else the nearest to the current
/// folder (the fallback of files with no `.lintrc.toml` above them). Returns it and, when files
/// get the config nearest to them (neither option given), the file it came from.
fn load_config(args: &CheckArgs, color: bool) -> Result<(Config, Option<Option<PathBuf>>), u8> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let discover = !args.no_config && args.config.is_none();
    let path = if args.no_config {
        None
    } else if let Some(p) = &args.config {
        Some(p.clone())
    } else {
        config::discover(&cwd)
    };
    let config = match &path {
        None => Config::defaults(&cwd),
        Some(p) => Config::load(p).map_err(|e| {
            print_config_error(&e, color);
            2
        })?,
    };
    Ok((config, discover.then_some(path)))
}

/// The name standard input is linted as: `--stdin-filename NAME`, or `-` when `-` is the path
/// (as in ruff, black and most Unix tools). Paths given besides `--stdin-filename` are not
/// linted, with a warning each (ruff's); `-` among other paths is a usage error (`None`).
fn stdin_name(args: &CheckArgs) -> Option<Option<PathBuf>> {
    let is_dash = |p: &PathBuf| p.as_os_str() == "-";
    let dash = args.paths.iter().any(is_dash);
    if dash && args.stdin_filename.is_none() && args.paths.len() > 1 {
        eprintln!("error: `-`（标准输入）不能与其他路径同时检查");
        return None;
    }
    let name = match &args.stdin_filename {
        Some(n) => n.clone(),
        None if dash => PathBuf::from("-"),
        None => return Some(None),
    };
    if args.files_from.as_deref() == Some("-") {
        eprintln!("error: 标准输入不能既是要检查的文字，又是 --files-from 的路径列表");
        return None;
    }
    for p in args.paths.iter().filter(|p| !is_dash(p)) {
        eprintln!(
            "warning: 忽略路径 {}：指定了 --stdin-filename，只检查标准输入",
            p.display()
        );
    }
    if let Some(list) = &args.files_from {
        eprintln!("warning: 忽略 --files-from {list}：只检查标准输入");
    }
    if let Some(rev) = &args.changed_since {
        eprintln!("warning: 忽略 --changed-since {rev}：只检查标准输入");
    }
    Some(Some(name))
}

/// Whether a config met near the files, or a `--select`/`--ignore` name, is wrong (printed).
fn discovery_failed(linter: &Linter, color: bool) -> bool {
    match linter.finish_discovery() {
        Ok(()) => false,
        Err(DiscoveryError::Config(e)) => {
            print_config_error(&e, color);
            true
        }
        Err(DiscoveryError::Selection(e)) => {
            eprintln!("error: {e}");
            true
        }
    }
}

/// Paths from `--files-from` (a file, or `-` for standard input), one a line.
fn read_path_list(src: &str) -> Result<Vec<PathBuf>, String> {
    let text = if src == "-" {
        let mut t = String::new();
        std::io::stdin()
            .read_to_string(&mut t)
            .map_err(|e| format!("无法读取标准输入：{e}"))?;
        t
    } else {
        std::fs::read_to_string(src).map_err(|e| format!("无法读取路径列表 {src}：{e}"))?
    };
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(PathBuf::from)
        .collect())
}

/// Files changed since `rev` (committed, staged or not) and untracked files, that the config
/// includes and that still exist. Names are read NUL-separated (`-z`), so every path git can
/// hold arrives as it is: non-ASCII (which git otherwise quotes as octal escapes), spaces,
/// quotes, newlines.
fn changed_since(rev: &str, linter: &Linter) -> Result<Vec<PathBuf>, String> {
    let git = |args: &[&str]| -> Result<Vec<u8>, String> {
        let out = std::process::Command::new("git")
            .args(args)
            .output()
            .map_err(|e| format!("--changed-since 需要 git：{e}"))?;
        if !out.status.success() {
            let msg = String::from_utf8_lossy(&out.stderr).trim().to_string();
            return Err(format!("--changed-since {rev}：git 出错：{msg}"));
        }
        Ok(out.stdout)
    };
    git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{rev}^{{commit}}"),
    ])
    .map_err(|_| format!("--changed-since：找不到 git 修订 `{rev}`"))?;
    let mut top = git(&["rev-parse", "--show-toplevel"])?;
    while top.last().is_some_and(|b| b.is_ascii_whitespace()) {
        top.pop();
    }
    let top = path_from_git(&top);
    // Both lists relative to the top folder (`--full-name`); untracked files below the current
    // folder, as `git ls-files` lists them.
    let mut names = git(&["diff", "-z", "--name-only", "--diff-filter=ACMR", rev])?;
    names.extend(git(&[
        "ls-files",
        "-z",
        "--full-name",
        "--others",
        "--exclude-standard",
    ])?);
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut files: Vec<PathBuf> = Vec::new();
    for n in names.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let p = top.join(path_from_git(n));
        if p.is_file() && linter.for_path(&p).config.is_included(&p) {
            let shown = p.strip_prefix(&cwd).map(PathBuf::from).unwrap_or(p);
            files.push(shown);
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// A path as git prints it: bytes on Unix, UTF-8 elsewhere.
fn path_from_git(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

fn check(args: CheckArgs) -> u8 {
    let wall = std::time::Instant::now();
    if args.timings {
        newslint_core::timings::enable();
    }
    let code = check_inner(&args);
    if args.timings {
        eprint!("{}", newslint_core::timings::report(wall.elapsed()));
    }
    code
}

fn check_inner(args: &CheckArgs) -> u8 {
    let stderr_color = use_color(args.color, std::io::stderr().is_terminal());
    let linter = match linter_for(args, stderr_color) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let fix = if args.diff {
        FixMode::Diff
    } else if args.fix {
        FixMode::Apply
    } else {
        FixMode::Off
    };
    let opts = match check_options(args, fix) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let to_file = args.output.is_some();
    let style = human::Style {
        color: !to_file && use_color(args.color, std::io::stdout().is_terminal()),
        width: width(Stream::Stdout),
    };
    let format = args.format;
    let keep_all = linter.may_cross_file();
    let render =
        move |path: &str, doc: &Document, diags: &[newslint_core::diagnostic::Diagnostic]| {
            match format {
                _ if fix == FixMode::Diff => String::new(),
                OutputFormat::Human => human::render_file(path, doc, diags, &style),
                OutputFormat::Html => report::html::file_text(doc, diags, keep_all),
                // Fix offsets in the file's own bytes need its text.
                OutputFormat::Sarif => report::sarif::file_results(path, doc, diags),
                _ => String::new(),
            }
        };

    // What to lint: standard input, a path list, changed files, or paths (default ".").
    let mut outcomes = Vec::new();
    let Some(stdin_name) = stdin_name(args) else {
        return 2;
    };
    if let Some(name) = &stdin_name {
        match lint_stdin(args, name, &linter, &opts, &render, stderr_color) {
            Ok(o) => outcomes.push(o),
            Err(code) => return code,
        }
    } else {
        let paths = match paths_to_lint(args, &linter) {
            Ok(p) => p,
            Err(code) => return code,
        };
        let t = newslint_core::timings::start();
        let (files, errors) = driver::collect_files(&paths, &linter);
        newslint_core::timings::phase(newslint_core::timings::Phase::Walk, t);
        // Configs met while walking: their errors stop the run before anything is linted.
        if discovery_failed(&linter, stderr_color) {
            return 2;
        }
        outcomes.extend(errors);
        let mut opts = opts.clone();
        if let Some(bar) = progress_bar(args, files.len()) {
            opts.progress = Some(bar);
        }
        // Line formats to standard output print each file's findings as soon as the files
        // before it are done, unless findings across files need the whole run first.
        let streams = matches!(
            format,
            OutputFormat::Short | OutputFormat::Human | OutputFormat::Github
        ) && fix != FixMode::Diff
            && args.write_baseline.is_none()
            && args.output.is_none()
            && !linter.may_cross_file();
        if streams {
            let walk_errors = std::mem::take(&mut outcomes);
            // One file in the human format (a large file above all): its report goes to
            // standard output as it is rendered, instead of being held whole until the file
            // is done.
            let direct =
                (format == OutputFormat::Human && files.len() == 1 && walk_errors.is_empty())
                    .then(Direct::default);
            let direct_render =
                |path: &str, doc: &Document, diags: &[newslint_core::diagnostic::Diagnostic]| {
                    match &direct {
                        Some(d) => {
                            d.write(|w| human::write_file(w, path, doc, diags, &style));
                            String::new()
                        }
                        None => render(path, doc, diags),
                    }
                };
            let code = stream(
                args,
                &linter,
                &files,
                walk_errors,
                &opts,
                &direct_render,
                direct.as_ref(),
            );
            if let Some(pb) = &opts.progress {
                pb.finish();
            }
            return code;
        }
        outcomes.extend(driver::check(&files, &linter, &opts, &render));
        if let Some(pb) = &opts.progress {
            pb.finish();
        }
    }
    outcomes.sort_by(|a, b| a.path.cmp(&b.path));
    driver::cross_file(&mut outcomes, &linter);
    let summary = Summary::of(&outcomes);

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut err = std::io::stderr().lock();
    let estyle = human::Style {
        color: stderr_color,
        width: width(Stream::Stderr),
    };

    if let Some(path) = &args.write_baseline {
        return write_baseline(path, &outcomes, &summary);
    }

    if fix == FixMode::Diff {
        return write_diff(&outcomes, &summary, &estyle);
    }
    // Fixing standard input: the (fixed) text is the output; findings go to stderr.
    if stdin_name.is_some() && fix == FixMode::Apply {
        if let Some(t) = outcomes.first().and_then(|o| o.fixed_text.as_ref()) {
            if let Err(e) = out.write_all(t).and_then(|()| out.flush()) {
                return output_failed(&e, exit_code(args, &summary));
            }
        }
    }

    let t_out = newslint_core::timings::start();
    let report = Report {
        format,
        outcomes: &outcomes,
        summary: &summary,
        linter: &linter,
        style: &style,
        summary_line: !args.quiet && !to_file,
    };
    if args.verbose {
        for o in outcomes.iter().filter(|o| o.skipped) {
            let _ = err.write_all(skipped_line(o).as_bytes());
        }
    }
    for o in &outcomes {
        let _ = err.write_all(problems(o, format, &estyle).as_bytes());
    }
    let stdin_fixed = stdin_name.is_some() && fix == FixMode::Apply;
    match &args.output {
        Some(path) => {
            let written = std::fs::File::create(path).and_then(|f| {
                let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
                report.write(&mut w)?;
                w.flush()
            });
            if let Err(e) = written {
                eprintln!("error: 无法写入报告 {}：{e}", path.display());
                return 2;
            }
            if !args.quiet {
                if let Err(e) = out.write_all(human::summary_line(&summary).as_bytes()) {
                    return output_failed(&e, exit_code(args, &summary));
                }
            }
        }
        None if stdin_fixed => {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut err);
            if let Err(e) = report.write(&mut w).and_then(|()| w.flush()) {
                return output_failed(&e, exit_code(args, &summary));
            }
        }
        None => {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut out);
            if let Err(e) = report.write(&mut w).and_then(|()| w.flush()) {
                return output_failed(&e, exit_code(args, &summary));
            }
        }
    }
    if let Err(e) = out.flush() {
        return output_failed(&e, exit_code(args, &summary));
    }
    newslint_core::timings::phase(newslint_core::timings::Phase::Output, t_out);
    exit_code(args, &summary)
}

/// The linter of a `check` run: the config (found or named) with `--select`/`--ignore`.
fn linter_for(args: &CheckArgs, stderr_color: bool) -> Result<Linter, u8> {
    let (config, discovery) = load_config(args, stderr_color)?;
    let selection = Selection {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    let linter = match discovery {
        Some(file) => Linter::discovering(config, selection, file.as_deref()),
        None => Linter::new(config, selection),
    };
    linter.map_err(|e| {
        eprintln!("error: {e}");
        2
    })
}

/// The options of a `check` run from its flags: the baseline and encoding are read and
/// checked here.
fn check_options(args: &CheckArgs, fix: FixMode) -> Result<CheckOptions, u8> {
    let baseline = match &args.baseline {
        None => None,
        Some(p) => match Baseline::load(p) {
            Ok(b) => Some(std::sync::Arc::new(baseline::Index::new(&b, p, &cwd()))),
            Err(e) => {
                eprintln!("error: {e}");
                return Err(2);
            }
        },
    };
    let encoding = match args
        .encoding
        .as_deref()
        .map(newslint_core::source::Encoding::parse)
    {
        None => None,
        Some(Ok(e)) => e,
        Some(Err(e)) => {
            eprintln!("error: {e}");
            return Err(2);
        }
    };
    Ok(CheckOptions {
        threads: args.threads,
        fix,
        unsafe_fixes: args.unsafe_fixes,
        plugins: !args.no_plugins,
        report_unused_suppressions: args.report_unused_suppressions,
        baseline,
        encoding,
        progress: None,
        fingerprints: args.write_baseline.is_some(),
    })
}

/// Lint standard input as the file `name`. `Err` is the run's exit code: 2 when the input or
/// a config cannot be read, 0 when `--force-exclude` drops `name` (with `--fix` the text goes
/// back unchanged: an editor replaces its buffer with what it reads).
fn lint_stdin(
    args: &CheckArgs,
    name: &std::path::Path,
    linter: &Linter,
    opts: &CheckOptions,
    render: &driver::Renderer<'_>,
    stderr_color: bool,
) -> Result<driver::FileOutcome, u8> {
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("error: 无法读取标准输入：{e}");
        return Err(2);
    }
    let shown = driver::display_path(name);
    // The config nearest to NAME, as if the text were that file.
    let name_config = &linter.for_path(name).config;
    let name_encoding = name_config.encoding;
    let excluded = args.force_exclude && name_config.is_excluded(name);
    if discovery_failed(linter, stderr_color) {
        return Err(2);
    }
    if excluded {
        if opts.fix == FixMode::Apply {
            let _ = std::io::stdout().write_all(&bytes);
        }
        return Err(0);
    }
    Ok(
        match SourceFile::decode(bytes, opts.encoding.or(name_encoding)) {
            Ok(src) => driver::check_source(&shown, name, src, None, linter, opts, render),
            Err(e) => driver::FileOutcome {
                path: shown,
                diagnostics: vec![newslint_core::diagnostic::Diagnostic::io(e.to_string())],
                failed: true,
                ..Default::default()
            },
        },
    )
}

/// The paths a `check` run names: its arguments, `--files-from`, `--changed-since` (the
/// current folder when none is named), less those `--force-exclude` drops.
fn paths_to_lint(args: &CheckArgs, linter: &Linter) -> Result<Vec<PathBuf>, u8> {
    let mut paths = args.paths.clone();
    let fail = |e: String| {
        eprintln!("error: {e}");
        2
    };
    if let Some(list) = &args.files_from {
        paths.extend(read_path_list(list).map_err(fail)?);
    }
    if let Some(rev) = &args.changed_since {
        paths.extend(changed_since(rev, linter).map_err(fail)?);
    }
    let nothing_named = args.files_from.is_none() && args.changed_since.is_none();
    if paths.is_empty() && nothing_named {
        paths.push(".".into());
    }
    if args.force_exclude {
        // As ruff's: named paths that `[files] exclude` matches are dropped too.
        paths.retain(|p| !linter.for_path(p).config.is_excluded(p));
    }
    Ok(paths)
}

/// The progress bar on a terminal's stderr for long runs; never when output is redirected.
fn progress_bar(args: &CheckArgs, files: usize) -> Option<std::sync::Arc<Bar>> {
    let shown = std::io::stderr().is_terminal()
        && std::io::stdout().is_terminal()
        && !args.quiet
        && files >= 500;
    if !shown {
        return None;
    }
    let pb = indicatif::ProgressBar::new(files as u64);
    pb.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} 个文件 {rate} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            // indicatif's {per_sec} prints four decimals ("162.2095/s").
            .with_key(
                "rate",
                |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = w.write_str(&human::rate(s.per_sec()));
                },
            ),
    );
    Some(std::sync::Arc::new(Bar(pb)))
}

/// `--write-baseline`: every finding's fingerprint, with paths relative to the baseline's
/// folder whatever folder this run is in.
fn write_baseline(
    path: &std::path::Path,
    outcomes: &[driver::FileOutcome],
    summary: &Summary,
) -> u8 {
    // Paths relative to the baseline's folder, whatever folder this run is in.
    let cwd = cwd();
    let dir = baseline::folder_of(path, &cwd);
    let mut findings: Vec<baseline::Entry> = outcomes
        .iter()
        .flat_map(|o| {
            let file = baseline::relative_path(
                &dir,
                &newslint_core::lint::normalize(&cwd, std::path::Path::new(&o.path)),
            );
            // `fingerprints` follow the file's own findings: not the cross-file ones added
            // after them, nor plugin failures.
            o.diagnostics
                .iter()
                .enumerate()
                .filter(|(k, d)| o.cross_file.binary_search(k).is_err() && d.rule != "plugin")
                .zip(&o.fingerprints)
                .map(move |((_, d), f)| baseline::Entry {
                    path: file.clone(),
                    rule: d.rule.to_string(),
                    fingerprint: f.clone(),
                })
        })
        .collect();
    findings.sort();
    let n = findings.len();
    let b = Baseline {
        version: 1,
        findings,
    };
    if let Err(e) = std::fs::write(path, b.to_json()) {
        eprintln!("error: 无法写入基线文件 {}：{e}", path.display());
        return 2;
    }
    let _ = writeln!(
        std::io::stderr(),
        "已把 {n} 个问题记入基线 {}。",
        path.display()
    );
    if summary.io_errors > 0 {
        2
    } else {
        0
    }
}

/// `--diff`: the fixes as a unified diff on stdout (files unchanged), failures on stderr.
fn write_diff(outcomes: &[driver::FileOutcome], summary: &Summary, estyle: &human::Style) -> u8 {
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    for o in outcomes {
        if let Some(d) = &o.diff {
            if let Err(e) = out.write_all(d.as_bytes()) {
                return output_failed(&e, 1);
            }
        }
    }
    if let Err(e) = out.flush() {
        return output_failed(&e, 1);
    }
    for o in outcomes.iter().filter(|o| o.failed) {
        let _ = err.write_all(human::render_plain(&o.path, &o.diagnostics[0], estyle).as_bytes());
    }
    let _ = writeln!(err, "可修复 {} 处（未写入文件）。", summary.fixed);
    if summary.io_errors > 0 {
        2
    } else {
        u8::from(summary.fixed > 0)
    }
}

/// A collected run's report, written to its destination as it is rendered.
struct Report<'a> {
    format: OutputFormat,
    outcomes: &'a [driver::FileOutcome],
    summary: &'a Summary,
    linter: &'a Linter,
    style: &'a human::Style,
    /// The human format ends with the summary line (not with `--quiet`, nor in a file).
    summary_line: bool,
}

impl Report<'_> {
    fn write<W: Write>(&self, w: &mut W) -> std::io::Result<()> {
        let outcomes = self.outcomes;
        match self.format {
            OutputFormat::Json => report::json::write(w, outcomes, self.summary),
            OutputFormat::Short => report::short::write(w, outcomes),
            OutputFormat::Sarif => report::sarif::write(w, outcomes, &self.linter.all_entries()),
            OutputFormat::Github => report::github::write(w, outcomes),
            OutputFormat::Checkstyle => report::xml::write_checkstyle(w, outcomes),
            OutputFormat::Junit => report::xml::write_junit(w, outcomes),
            OutputFormat::Html => {
                report::html::write(w, outcomes, self.summary, &self.linter.config.catalog)
            }
            OutputFormat::Human => {
                for o in outcomes.iter().filter(|o| !o.failed) {
                    w.write_all(o.rendered.as_bytes())?;
                    for d in o.cross_file.iter().map(|&k| &o.diagnostics[k]) {
                        let at = format!("{}:{}:{}", o.path, d.start.line, d.start.column);
                        w.write_all(human::render_plain(&at, d, self.style).as_bytes())?;
                    }
                }
                if self.summary_line {
                    w.write_all(human::summary_line(self.summary).as_bytes())?;
                }
                Ok(())
            }
        }
    }
}

/// `--verbose`'s line for a file skipped as binary.
fn skipped_line(o: &driver::FileOutcome) -> String {
    format!("skipped: {}: 含 NUL 字节，按二进制文件跳过\n", o.path)
}

/// A file's problems that are not findings (it could not be read, a plugin failed), for stderr
/// in every format.
fn problems(o: &driver::FileOutcome, format: OutputFormat, style: &human::Style) -> String {
    let mut text = String::new();
    for d in o
        .diagnostics
        .iter()
        .filter(|d| d.rule == "io" || d.rule == "plugin")
    {
        if format == OutputFormat::Human {
            text.push_str(&human::render_plain(&o.path, d, style));
        } else {
            text.push_str(&format!("error[{}]: {}: {}\n", d.rule, o.path, d.message));
        }
    }
    for w in &o.warnings {
        text.push_str(&format!("warning[fix]: {}: {w}\n", o.path));
    }
    text
}

/// `check` in a line format to standard output: each file's findings are written as soon as
/// it and the files before it are linted, so a long run shows output at once and holds only
/// the outcomes that finished ahead of their turn. The output is the same as a collected run.
fn stream(
    args: &CheckArgs,
    linter: &Linter,
    files: &[PathBuf],
    mut walk_errors: Vec<driver::FileOutcome>,
    opts: &CheckOptions,
    render: &driver::Renderer<'_>,
    direct: Option<&Direct>,
) -> u8 {
    let format = args.format;
    let estyle = human::Style {
        color: use_color(args.color, std::io::stderr().is_terminal()),
        width: width(Stream::Stderr),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let mut summary = Summary::default();
    // Failures found while walking, merged in by path as in a collected run.
    walk_errors.sort_by(|a, b| a.path.cmp(&b.path));
    let mut walk_errors = walk_errors.into_iter().peekable();
    let mut print = |mut o: driver::FileOutcome| {
        let t = newslint_core::timings::start();
        summary.add(&o);
        if let Some(Err(e)) = direct.map(Direct::finish) {
            std::process::exit(output_failed(&e, exit_code(args, &summary)).into());
        }
        // Rendered while checking (human, JSON and the others), or line by line below (short
        // and github lines go straight to the buffered output: a file with 200,000 findings
        // would otherwise grow a 20 MB buffer first).
        let rendered = match format {
            OutputFormat::Short | OutputFormat::Github => Vec::new(),
            _ if o.failed => Vec::new(),
            _ => std::mem::take(&mut o.rendered).into_bytes(),
        };
        let mut problems = problems(&o, format, &estyle);
        if args.verbose && o.skipped {
            problems.insert_str(0, &skipped_line(&o));
        }
        let mut write = || {
            let one = std::slice::from_ref(&o);
            let written = match format {
                OutputFormat::Short | OutputFormat::Github if o.diagnostics.is_empty() => None,
                OutputFormat::Short => Some(report::short::write(&mut out, one)),
                OutputFormat::Github => Some(report::github::write(&mut out, one)),
                _ if rendered.is_empty() => None,
                _ => Some(out.write_all(&rendered)),
            };
            if let Some(Err(e)) = written.map(|w| w.and_then(|()| out.flush())) {
                // The reader has gone (`newslint check | head`): stop, as ripgrep does. Any
                // other failure means the report is lost: say so and stop with exit 2.
                std::process::exit(output_failed(&e, exit_code(args, &summary)).into());
            }
            let _ = std::io::stderr().write_all(problems.as_bytes());
        };
        // Lines written while a progress bar is drawn would be torn by it.
        match &opts.progress {
            Some(pb) => pb.suspend(&mut write),
            None => write(),
        }
        newslint_core::timings::phase(newslint_core::timings::Phase::Output, t);
        // A file with many findings (a large file's repeats) frees them on a thread of its own:
        // its hundreds of thousands of allocations, freed one by one, would hold up the next
        // file's output or the exit by tens of milliseconds.
        if o.diagnostics.len() >= 10_000 {
            std::thread::spawn(move || drop(o));
        }
    };
    driver::check_each(files, linter, opts, render, &mut |o| {
        while let Some(e) = walk_errors.next_if(|e| e.path <= o.path) {
            print(e);
        }
        print(o);
    });
    walk_errors.for_each(&mut print);
    if format == OutputFormat::Human && !args.quiet {
        if let Err(e) = out.write_all(human::summary_line(&summary).as_bytes()) {
            return output_failed(&e, exit_code(args, &summary));
        }
    }
    if let Err(e) = out.flush() {
        return output_failed(&e, exit_code(args, &summary));
    }
    exit_code(args, &summary)
}

/// Standard output written to by the renderer itself, from a worker (see `stream`): the first
/// failure is kept, and nothing more is written after it.
#[derive(Default)]
struct Direct(std::sync::Mutex<Option<DirectOut>>);

struct DirectOut {
    out: std::io::BufWriter<std::io::Stdout>,
    failed: Option<std::io::Error>,
}

impl Direct {
    fn write(
        &self,
        f: impl FnOnce(&mut std::io::BufWriter<std::io::Stdout>) -> std::io::Result<()>,
    ) {
        let mut guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let d = guard.get_or_insert_with(|| DirectOut {
            out: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()),
            failed: None,
        });
        if d.failed.is_none() {
            if let Err(e) = f(&mut d.out) {
                d.failed = Some(e);
            }
        }
    }

    /// Flush what was written; the first failure, if any.
    fn finish(&self) -> std::io::Result<()> {
        let mut guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match guard.as_mut() {
            None => Ok(()),
            Some(d) => match d.failed.take() {
                Some(e) => Err(e),
                None => d.out.flush(),
            },
        }
    }
}

/// The exit code when writing the report to standard output failed. A reader that went away
/// (`newslint check | head`) is no error: the run stops with the code it had, as ripgrep's
/// does. Anything else (a full disk, `> /dev/full`, a closed descriptor) loses the report,
/// which `--exit-zero` must not hide: the error is named and the exit code is 2.
fn output_failed(e: &std::io::Error, code: u8) -> u8 {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return code;
    }
    eprintln!("error: 无法写出报告（标准输出）：{e}");
    2
}

/// The exit code, from the README's table.
fn exit_code(args: &CheckArgs, s: &Summary) -> u8 {
    if s.io_errors > 0 {
        return 2;
    }
    if args.exit_zero {
        return 0;
    }
    let failing = match args.error_on {
        ErrorOn::Error => s.errors,
        ErrorOn::Warning => s.errors + s.warnings,
    };
    u8::from(failing > 0 || args.max_warnings.is_some_and(|m| s.warnings > m))
}

/// The catalog of the config found from the current folder (built-ins when there is none).
fn catalog() -> Result<newslint_core::catalog::Catalog, u8> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    match config::discover(&cwd) {
        None => Ok(newslint_core::catalog::Catalog::builtin()),
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
        let m = &e.meta;
        out.push_str(&format!(
            "{:<width$} {:<8} {:<8} {:<10} {}\n",
            m.id,
            m.default_severity.as_str(),
            if m.default_enabled { "yes" } else { "no" },
            m.fix.as_str(),
            m.summary
        ));
    }
    write_stdout(out.as_bytes())
}

fn explain(id: &str) -> u8 {
    let cat = match catalog() {
        Ok(c) => c,
        Err(code) => return code,
    };
    // A pack's name (as suppressions and --select accept it): the pack and its rules.
    let pack_name = id.strip_suffix('/').unwrap_or(id);
    if let Some(p) = cat.packs.iter().find(|p| p.name == pack_name) {
        let origin = match &p.dir {
            None => format!("built in, from lints/{}/", p.name),
            Some(d) => format!("from {}", d.display()),
        };
        println!("# {}\n\n{}\n", p.name, p.description);
        println!(
            "A rule pack, version {} ({origin}).\n\n## Rules\n",
            p.version
        );
        for e in cat
            .entries
            .iter()
            .filter(|e| e.pack.as_deref() == Some(p.name.as_str()))
        {
            let m = &e.meta;
            println!(
                "- `{}` ({}, fix: {}): {}",
                m.id,
                m.default_severity.as_str(),
                m.fix.as_str(),
                m.summary
            );
        }
        println!("\n`newslint explain {}/RULE` prints a rule's documentation; `newslint test-pack {}` runs the pack's examples.", p.name, p.name);
        return 0;
    }
    match cat.find(id) {
        Some(e) => {
            let m = &e.meta;
            println!("# {}\n\n{}\n", m.id, m.summary);
            println!(
                "Default severity: {}. Enabled by default: {}. Fix: {}.\n",
                m.default_severity.as_str(),
                if m.default_enabled { "yes" } else { "no" },
                m.fix.as_str()
            );
            print!("{}", m.docs_with_defaults());
            0
        }
        None => {
            eprintln!("error: 未知的规则 `{id}`（`newslint rules` 列出全部规则）");
            2
        }
    }
}

/// `test-pack DIR`: a pack folder, or the name of a built-in pack (`typo`) when no such
/// folder exists.
fn test_pack(dir: &std::path::Path) -> u8 {
    let builtin = || {
        let name = dir.to_str()?;
        newslint_core::packs::builtin()
            .into_iter()
            .find(|p| p.name == name)
    };
    let loaded = match (dir.is_dir(), builtin()) {
        (false, Some(p)) => Ok(p),
        _ => newslint_core::packs::load_dir(dir),
    };
    let pack = match loaded {
        Ok(p) => p,
        Err(mut e) => {
            if !dir.exists() {
                let names: Vec<String> = newslint_core::packs::builtin()
                    .into_iter()
                    .map(|p| p.name)
                    .collect();
                e.help = Some(format!(
                    "给出规则包的目录（含 pack.toml），或内置规则包的名字：{}",
                    names.join("、")
                ));
            }
            print_config_error(&e, std::io::stderr().is_terminal());
            return 2;
        }
    };
    let (mut total, mut failed) = (0, 0);
    for rule in &pack.rules {
        let (n, failures) = newslint_core::packs::run_examples(rule);
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

/// `newslint completions SHELL`: the completion script clap_complete generates from the
/// command line's definition.
fn completions(shell: clap_complete::Shell) -> u8 {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "newslint", &mut out);
    write_stdout(&out)
}

/// `newslint man [COMMAND]`: newslint(1), or newslint-COMMAND(1), from the command line's
/// definition (clap_mangen).
fn man(command: Option<&str>) -> u8 {
    let cmd = <Cli as clap::CommandFactory>::command();
    let page = match command {
        None => cmd,
        Some(name) => match cmd.find_subcommand(name) {
            // clap takes a `'static` name (without its `string` feature); the process prints
            // one page and exits.
            Some(sub) => sub
                .clone()
                .name(&*Box::leak(format!("newslint-{name}").into_boxed_str()))
                .version(env!("CARGO_PKG_VERSION")),
            None => {
                eprintln!("error: 没有子命令 `{name}`（`newslint --help` 列出全部子命令）");
                return 2;
            }
        },
    };
    let mut out = Vec::new();
    if let Err(e) = clap_mangen::Man::new(page).render(&mut out) {
        eprintln!("error: 无法生成手册页：{e}");
        return 2;
    }
    write_stdout(&out)
}

/// `newslint server`: 0 after `shutdown` and `exit`, 1 otherwise (as the protocol asks).
fn server() -> u8 {
    match server::run() {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: newslint server: {e}");
            1
        }
    }
}

/// Write generated text to standard output: exit 2, with the reason, if it cannot be written.
/// A reader that went away (`newslint zones page.txt | head`) is no error, as for reports.
fn write_stdout(bytes: &[u8]) -> u8 {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: 无法写入标准输出：{e}");
            2
        }
    }
}

fn init(force: bool, stdout: bool) -> u8 {
    let text = config::template();
    if stdout {
        return write_stdout(text.as_bytes());
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
        let dateline = p.dateline().map_or(String::new(), |d| {
            format!(" [dateline {}]", &doc.text()[d.clone()])
        });
        out.push_str(&format!(
            "{:>4}  a{:<3} {:<11} {head}{more}{dateline}\n",
            p.lines.start as usize + 1,
            p.article,
            p.zone.as_str()
        ));
    }
    write_stdout(out.as_bytes())
}
