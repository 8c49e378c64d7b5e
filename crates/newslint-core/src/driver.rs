//! Walking the paths, linting files in parallel, fixing, and keeping the output order fixed.
//!
//! Paths are collected and sorted first, then linted with rayon; `collect` keeps input order, so
//! the output is the same with `-j1` and with every core. A file that cannot be read becomes an
//! `io` diagnostic and the run goes on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::document::{Document, Format};
use crate::fix;
use crate::lint::{Linter, RuleSet};
use crate::rules::{RepoKey, RepoSite};
use crate::source::Position;
use crate::source::{ReadError, SourceFile};
use crate::timings::{self, Phase};
use crate::{baseline, suppress};
use regex::Regex;

/// What to do with fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixMode {
    /// Report only.
    Off,
    /// Apply and write the file.
    Apply,
    /// Apply in memory and return a unified diff; write nothing.
    Diff,
}

/// Progress of a run, reported from the worker threads. The core draws nothing: a front end
/// implements this (the CLI with a terminal progress bar).
pub trait Progress: Send + Sync + std::fmt::Debug {
    /// One more file is done.
    fn file_done(&self);
    /// Run `write` with the progress display paused, so that lines written to the terminal are
    /// not torn by it.
    fn suspend(&self, write: &mut dyn FnMut()) {
        write();
    }
    /// The run is over: remove the display.
    fn finish(&self) {}
}

/// How a check runs.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub threads: Option<usize>,
    pub fix: FixMode,
    pub unsafe_fixes: bool,
    /// Run the config's external plugins.
    pub plugins: bool,
    /// Report suppression directives that suppressed nothing.
    pub report_unused_suppressions: bool,
    /// Findings to excuse: path → (rule, fingerprint) → count.
    pub baseline: Option<BaselineIndex>,
    /// `--encoding`: read every file in this encoding instead of detecting it.
    pub encoding: Option<crate::source::Encoding>,
    /// Told of each file done (the CLI draws a progress bar on the terminal with it).
    pub progress: Option<std::sync::Arc<dyn Progress>>,
    /// Compute each finding's baseline fingerprint ([`FileOutcome::fingerprints`]): only
    /// `--write-baseline` needs them.
    pub fingerprints: bool,
}

/// A baseline split by path (relative to the baseline's folder), for the workers.
pub type BaselineIndex = std::sync::Arc<baseline::Index>;

/// The result for one file.
#[derive(Debug, Default)]
pub struct FileOutcome {
    /// The path as shown to the user.
    pub path: String,
    /// Remaining diagnostics (after fixes, when fixing).
    pub diagnostics: Vec<Diagnostic>,
    /// Output prepared by the renderer while the document was at hand (human format).
    pub rendered: String,
    /// Fixes applied (or that would be, with `--diff`).
    pub fixed: usize,
    /// `--diff` output.
    pub diff: Option<String>,
    /// The file could not be linted (an `io` diagnostic is in `diagnostics`).
    pub failed: bool,
    /// Skipped as binary.
    pub skipped: bool,
    /// Cross-file keys (rules with a repository scope), with positions.
    pub repo_keys: Vec<RepoEntry>,
    /// Fingerprints of `diagnostics` (same order), for `--write-baseline` (empty unless
    /// [`CheckOptions::fingerprints`]).
    pub fingerprints: Vec<String>,
    /// The fixed text when fixing text that has no file (standard input).
    pub fixed_text: Option<Vec<u8>>,
    /// Indices into `diagnostics` of the findings added by [`cross_file`] (not in `rendered`),
    /// ascending.
    pub cross_file: Vec<usize>,
    /// What the applied fixes changed, in the text as it was read (with `--fix` or `--diff`).
    pub changes: Vec<fix::Change>,
    /// Warnings about the file that are not findings (fixing stopped before it converged), for
    /// stderr.
    pub warnings: Vec<String>,
}

/// A cross-file key of one file.
#[derive(Debug, Clone)]
pub struct RepoEntry {
    pub rule: std::borrow::Cow<'static, str>,
    pub key: RepoKey,
    pub start: Position,
    pub end: Position,
}

/// Renders one file's diagnostics while its document is still in memory.
pub type Renderer<'a> = dyn Fn(&str, &Document, &[Diagnostic]) -> String + Sync + 'a;

/// The display form of a path: as the user wrote it, without a leading `./`.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

/// Collect the files to lint, sorted. Unwalkable paths come back as failed outcomes.
pub fn collect_files(paths: &[PathBuf], linter: &Linter) -> (Vec<PathBuf>, Vec<FileOutcome>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                let is_link =
                    std::fs::symlink_metadata(root).is_ok_and(|m| m.file_type().is_symlink());
                let msg = if is_link {
                    symlink_message(root, &e)
                } else {
                    format!("无法访问路径：{e}")
                };
                errors.push(failed(display_path(root), msg));
                continue;
            }
        };
        // A named file is always linted: a regular file, and also a named pipe, `/dev/stdin`,
        // a process substitution (`<(cmd)`) or a device, read as a stream by `read_input`.
        // Only folders are walked (where pipes and devices are never opened).
        if !meta.is_dir() {
            // Its config is found now, so that its errors come before any linting.
            let _ = linter.for_path(root);
            files.push(root.clone());
            continue;
        }
        let mut walk = ignore::WalkBuilder::new(root);
        walk.require_git(false).follow_links(false);
        let root_owned = root.clone();
        // Each folder by the config of the folder it is in (the nearest to it).
        let excluded = linter.folder_filter();
        walk.filter_entry(move |e| {
            // Prune excluded folders, never the root itself.
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            e.path() == root_owned || !is_dir || !excluded(e.path())
        });
        for entry in walk.build() {
            match entry {
                Ok(e) => {
                    let ft = e.file_type();
                    let config = &linter.for_path(e.path()).config;
                    if e.depth() == 0 || !config.is_included(e.path()) {
                        continue;
                    }
                    if ft.is_some_and(|t| t.is_file()) {
                        files.push(e.path().to_path_buf());
                    } else if ft.is_some_and(|t| t.is_symlink()) {
                        // A link to a file is linted; a broken link or a loop is reported.
                        match std::fs::metadata(e.path()) {
                            Ok(m) if m.is_file() => files.push(e.path().to_path_buf()),
                            Ok(_) => {}
                            Err(err) => errors.push(failed(
                                display_path(e.path()),
                                symlink_message(e.path(), &err),
                            )),
                        }
                    }
                }
                Err(e) => {
                    let path = io_error_path(&e)
                        .map(|p| display_path(&p))
                        .unwrap_or_default();
                    errors.push(failed(path, format!("遍历目录时出错：{e}")));
                }
            }
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

/// The message for a symbolic link that cannot be followed.
fn symlink_message(path: &Path, err: &std::io::Error) -> String {
    let target = std::fs::read_link(path)
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    if err.raw_os_error() == Some(40) || err.to_string().contains("level") {
        format!("符号链接成环（指向 {target}），已跳过")
    } else {
        format!("符号链接指向的文件不存在（{target}），已跳过：{err}")
    }
}

fn io_error_path(e: &ignore::Error) -> Option<PathBuf> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            io_error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn failed(path: String, message: String) -> FileOutcome {
    FileOutcome {
        path,
        diagnostics: vec![Diagnostic::io(message)],
        failed: true,
        ..FileOutcome::default()
    }
}

/// Lint every file; outcomes come back in display order (see [`check_each`]).
pub fn check(
    files: &[PathBuf],
    linter: &Linter,
    opts: &CheckOptions,
    render: &Renderer<'_>,
) -> Vec<FileOutcome> {
    let mut out = Vec::with_capacity(files.len());
    check_each(files, linter, opts, render, &mut |o| out.push(o));
    out
}

/// Lint every file, handing each outcome to `emit` in the order of the files' display paths
/// (as strings, the order of the report) as soon as it and every file before it are done. Output
/// can then start while the run goes on, in the order of a sorted run, and only the outcomes
/// that finished ahead of their turn are held.
pub fn check_each(
    files: &[PathBuf],
    linter: &Linter,
    opts: &CheckOptions,
    render: &Renderer<'_>,
    emit: &mut (dyn FnMut(FileOutcome) + Send),
) {
    // One file (a pre-commit hook on one article, stdin): no thread pool to start.
    if files.len() <= 1 {
        for p in files {
            emit(check_file(p, linter, opts, render));
        }
        return;
    }
    // Big runs will meet a repeat candidate somewhere: load the segmenter meanwhile.
    const WARM_UP_FILES: usize = 64;
    if files.len() >= WARM_UP_FILES
        && linter
            .rules_for(&files[0])
            .is_ok_and(|r| r.ids().contains(&&*crate::rules::repeated_word::META.id))
    {
        crate::segment::warm_up();
    }
    // The rank of each file in the report. `files` is sorted as paths (by component), the
    // report as strings: the two differ only around characters below '/', such as '-'.
    let shown: Vec<String> = files.iter().map(|p| display_path(p)).collect();
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by(|&a, &b| shown[a].cmp(&shown[b]));
    let mut rank = vec![0; files.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    // Outcomes that finished before their turn, and the rank of the next one to hand on. The
    // worker that completes the next one emits it and whatever it unblocks: no emitting thread
    // to wake per file.
    struct Queue<'e> {
        next: usize,
        early: std::collections::BTreeMap<usize, FileOutcome>,
        emit: &'e mut (dyn FnMut(FileOutcome) + Send),
    }
    let queue = std::sync::Mutex::new(Queue {
        next: 0,
        early: Default::default(),
        emit,
    });
    let run = || {
        files.par_iter().enumerate().for_each(|(i, p)| {
            let o = check_file(p, linter, opts, render);
            // A panic while emitting poisons the lock; the queue itself is still whole.
            let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
            q.early.insert(rank[i], o);
            loop {
                let next = q.next;
                let Some(o) = q.early.remove(&next) else {
                    break;
                };
                (q.emit)(o);
                q.next += 1;
            }
        })
    };
    match opts.threads {
        Some(n) => match rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
        {
            Ok(pool) => pool.install(run),
            Err(_) => run(),
        },
        None => run(),
    }
}

/// How many passes fixing runs at most (see [`fix::MAX_PASSES`]).
pub const MAX_FIX_PASSES: usize = fix::MAX_PASSES;

/// Lint a document and, when `fix` is set, apply fixes and re-lint until nothing more applies.
/// Suppression directives and `ignore` patterns are honoured before anything is fixed.
/// Returns the final document, its remaining diagnostics and the number of fixes applied.
pub fn lint_and_fix(
    doc: Document,
    rules: &RuleSet,
    fix: bool,
    unsafe_fixes: bool,
) -> (Document, Vec<Diagnostic>, usize) {
    let l = lint_document(doc, rules, fix, unsafe_fixes, &[]);
    let fixed = l.run.fixed();
    (l.doc, l.diagnostics, fixed)
}

/// A document linted, and fixed when asked.
pub struct Linted {
    /// The document after the fixes (the one read, when not fixing).
    pub doc: Document,
    /// Its diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// The suppression directives that suppressed nothing, as diagnostics.
    pub unused: Vec<Diagnostic>,
    /// What fixing did (empty when not fixing).
    pub run: fix::FixRun,
}

/// Lint `doc` with `ignore-patterns` applied and, when `fix` is set, fix it with the engine of
/// [`fix::fix_document`].
pub fn lint_document(
    doc: Document,
    rules: &RuleSet,
    fix: bool,
    unsafe_fixes: bool,
    ignore: &[Regex],
) -> Linted {
    // The first lint is the rules' time; the passes after it are the fixing's.
    let t0 = timings::start();
    let mut first: Option<Option<std::time::Duration>> = None;
    let mut lint = |doc: &Document| {
        let t = timings::start();
        // While fixing, most findings of a pass are fixed: columns are computed once, for the
        // findings of the last pass (below).
        let mut diags = if fix {
            rules.lint_lines(doc)
        } else {
            rules.lint(doc)
        };
        let dirs = suppress::directives(doc);
        let used = suppress::apply(doc, &dirs, ignore, &mut diags);
        let unused = suppress::unused(doc, &dirs, &used);
        if first.is_none() {
            first = Some(t.map(|t| t.elapsed()));
            timings::phase(Phase::Rules, t);
        }
        (diags, unused)
    };
    if !fix {
        let (diagnostics, unused) = lint(&doc);
        return Linted {
            doc,
            diagnostics,
            unused,
            run: fix::FixRun::default(),
        };
    }
    let mut fixed = fix::fix_document(doc, unsafe_fixes, &mut lint);
    for d in &mut fixed.diagnostics {
        d.locate(&fixed.doc.source);
    }
    let first_took = first.flatten().unwrap_or_default();
    timings::phase(Phase::Fix, t0.map(|t| t + first_took));
    Linted {
        doc: fixed.doc,
        diagnostics: fixed.diagnostics,
        unused: fixed.extra,
        run: fixed.run,
    }
}

/// Read, lint, fix and render one file.
pub fn check_file(
    path: &Path,
    linter: &Linter,
    opts: &CheckOptions,
    render: &Renderer<'_>,
) -> FileOutcome {
    let shown = display_path(path);
    let scoped = linter.for_path(path);
    let linter: &Linter = &scoped;
    let encoding = opts.encoding.or(linter.config.encoding);
    let t = timings::start();
    let read = read_input(path, encoding);
    timings::phase(Phase::Read, t);
    let src = match read {
        Ok(s) => {
            timings::bytes(s.text().len());
            s
        }
        Err(Input::Read(ReadError::Binary)) => {
            return FileOutcome {
                path: shown,
                skipped: true,
                ..FileOutcome::default()
            }
        }
        Err(Input::Read(e)) => return failed(shown, e.to_string()),
        Err(Input::Stream(message)) => return failed(shown, message),
    };
    check_source(&shown, path, src, Some(path), linter, opts, render)
}

/// The most a named stream (a pipe, `/dev/stdin`, `<(cmd)`, a character device) may hold.
pub const MAX_STREAM_BYTES: u64 = 1 << 30;

/// Why an input could not be read.
#[derive(Debug)]
pub enum Input {
    /// As for any file (binary files among them, which are skipped).
    Read(ReadError),
    /// A named stream that is not text, too long, or a block device.
    Stream(String),
}

/// Read a file named on the command line or found by walking, and decode it. A regular file is
/// read whole, as `std::fs::read` does (one open, one stat). Anything else that can be opened is
/// a stream the user named, read to its end: a named pipe, `/dev/stdin`, `<(cmd)`, a terminal.
/// A stream of NUL bytes (`/dev/zero`), one longer than [`MAX_STREAM_BYTES`] (`/dev/urandom`
/// soon has a NUL anyway) and a block device are errors, not files skipped: the user named them.
pub fn read_input(
    path: &Path,
    encoding: Option<crate::source::Encoding>,
) -> Result<SourceFile, Input> {
    use std::io::Read;
    let io = |e: std::io::Error| Input::Read(ReadError::Io(e));
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_file() {
        let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
        (&file).read_to_end(&mut bytes).map_err(io)?;
        return SourceFile::decode(bytes, encoding).map_err(Input::Read);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if meta.file_type().is_block_device() {
            return Err(Input::Stream(
                "是块设备，不是文本文件：newslint 不读取它".into(),
            ));
        }
    }
    // Read in steps, so that a stream of NUL bytes is recognised at its start.
    let mut bytes = Vec::new();
    let mut reader = file.take(MAX_STREAM_BYTES + 1);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        bytes.extend_from_slice(&chunk[..n]);
        // UTF-16 (with its byte-order mark, or forced) is full of NUL bytes; nothing else is.
        let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
        if encoding.is_none() && !utf16 && memchr::memchr(0, &chunk[..n]).is_some() {
            return Err(Input::Stream(
                "不是文本：读到 NUL 字节（像 /dev/zero 这样的设备或二进制数据流），已停止读取"
                    .into(),
            ));
        }
        if bytes.len() as u64 > MAX_STREAM_BYTES {
            return Err(Input::Stream(format!(
                "数据流超过 {} MiB，已停止读取",
                MAX_STREAM_BYTES >> 20
            )));
        }
    }
    SourceFile::decode(bytes, encoding).map_err(|e| match e {
        ReadError::Binary => Input::Stream("不是文本：含 NUL 字节".into()),
        e => Input::Read(e),
    })
}

/// Lint text that is already read: `shown` names it in output, `config_path` chooses the
/// overrides and the format, `write_to` is where `--fix` writes (`None`: keep the fixed text in
/// the outcome, as for standard input).
pub fn check_source(
    shown: &str,
    config_path: &Path,
    src: SourceFile,
    write_to: Option<&Path>,
    linter: &Linter,
    opts: &CheckOptions,
    render: &Renderer<'_>,
) -> FileOutcome {
    let shown = shown.to_string();
    // The config nearest to the file decides everything below (rules, patterns, plugins).
    let scoped = linter.for_path(config_path);
    let linter: &Linter = &scoped;
    let rules = match linter.rules_for(config_path) {
        Ok(r) => r,
        Err(e) => return failed(shown, e.to_string()),
    };
    let format = Format::from_path(config_path);
    // `--diff` needs the text as it was; so does fixing standard input, to print it unchanged
    // when fixing fails.
    let stdin_fix = opts.fix == FixMode::Apply && write_to.is_none();
    let original = (opts.fix == FixMode::Diff || stdin_fix).then(|| src.text().to_string());
    let t = timings::start();
    let doc = Document::parse(src, format);
    timings::phase(Phase::Model, t);
    let mode = opts.fix;
    let ignore = linter.config.ignore_patterns.as_slice();
    let linted = lint_document(doc, &rules, mode != FixMode::Off, opts.unsafe_fixes, ignore);
    let Linted {
        doc,
        diagnostics: mut diags,
        unused,
        run,
    } = linted;
    // A fix that loops or makes the text grow without bound: the file is left as it was.
    if run.stop.is_error() {
        let message = run.stop.message().unwrap_or_default();
        let mut o = failed(shown, message);
        if stdin_fix {
            // An editor replaces its buffer with what is printed: the text as it came.
            let text = original.as_deref().unwrap_or_default();
            o.fixed_text = Some(doc.source.encode(text).unwrap_or_else(|_| text.into()));
        }
        return o;
    }
    let mut outcome = FileOutcome {
        path: shown,
        fixed: run.fixed(),
        warnings: run.notes(),
        ..FileOutcome::default()
    };
    if run.fixed() > 0 {
        match (mode, write_to) {
            (FixMode::Apply, Some(path)) => {
                let bytes = match doc.source.encode(doc.text()) {
                    Ok(b) => b,
                    Err(e) => return failed(outcome.path, e),
                };
                if let Err(e) = fix::write_fixed(path, &bytes) {
                    return failed(outcome.path, e.to_string());
                }
            }
            (FixMode::Diff, _) => {
                let old = original.as_deref().unwrap_or_default();
                outcome.diff = Some(fix::unified_diff(&outcome.path, old, doc.text()))
            }
            (FixMode::Off, _) | (FixMode::Apply, None) => {}
        }
        outcome.changes = run.changes;
    }
    if mode == FixMode::Apply && write_to.is_none() {
        outcome.fixed_text = Some(
            doc.source
                .encode(doc.text())
                .unwrap_or_else(|_| doc.text().as_bytes().to_vec()),
        );
    }
    outcome.repo_keys = rules
        .repo_keys(&doc)
        .into_iter()
        .map(|(rule, key)| {
            let (start, end) = doc.source.span(&key.range);
            RepoEntry {
                rule,
                start,
                end,
                key,
            }
        })
        .collect();
    let mut plugin_errors = Vec::new();
    let t = timings::start();
    if opts.plugins {
        for plugin in &linter.config.plugins {
            match crate::plugin::run(plugin, &outcome.path, &doc) {
                Ok(found) => diags.extend(found.into_iter().filter(|d| linter.selects(&d.rule))),
                Err(message) => plugin_errors.push(crate::plugin::failure(plugin, message)),
            }
        }
    }
    timings::phase(Phase::Plugins, t);
    // Directives naming a rule that does not exist suppress nothing: say so.
    let (invalid, all_invalid) = suppress::unknown(&doc, &|n| linter.knows(n));
    diags.extend(invalid);
    if opts.report_unused_suppressions {
        diags.extend(
            unused
                .into_iter()
                .filter(|u| !all_invalid.contains(&u.range)),
        );
    }
    crate::lint::sort_diagnostics(&mut diags);
    // A baseline excuses the findings it recorded, one for one.
    if let Some(baseline) = opts.baseline.as_ref().and_then(|b| b.for_file(config_path)) {
        let mut left = baseline.clone();
        diags.retain(|d| {
            let key = (d.rule.to_string(), baseline::fingerprint(doc.text(), d));
            match left.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
    }
    if opts.fingerprints {
        outcome.fingerprints = diags
            .iter()
            .map(|d| baseline::fingerprint(doc.text(), d))
            .collect();
    }
    let t = timings::start();
    outcome.rendered = render(&outcome.path, &doc, &diags);
    timings::phase(Phase::Render, t);
    if let Some(p) = &opts.progress {
        p.file_done();
    }
    diags.extend(plugin_errors);
    outcome.diagnostics = diags;
    outcome
}

/// Match cross-file keys over the whole run: the first occurrence of a key (in path order, then
/// position) is the original; every occurrence in another, later file gets the rule's finding.
/// Grouping is by hash, so the cost is linear in the number of keys.
pub fn cross_file(outcomes: &mut [FileOutcome], linter: &Linter) {
    // The first occurrence of each key: its file (by index, so that no path is copied per
    // key), line and column.
    let keys: usize = outcomes.iter().map(|o| o.repo_keys.len()).sum();
    // FxHash (rustc-hash): its keys are a rule id and a hash already, so SipHash's work per key
    // (a tree of copies has hundreds of thousands) buys nothing.
    let mut first: HashMap<(&str, u64), (usize, u32, u32), rustc_hash::FxBuildHasher> =
        HashMap::with_capacity_and_hasher(keys, rustc_hash::FxBuildHasher);
    let mut found: Vec<(usize, Diagnostic)> = Vec::new();
    let mut site = RepoSite {
        path: String::new(),
        line: 0,
        column: 0,
    };
    for (i, o) in outcomes.iter().enumerate() {
        // The file's rules, looked up once for all its repeats (a tree of copies has hundreds
        // of thousands).
        let mut file_rules: Option<Result<std::sync::Arc<RuleSet>, crate::error::LintError>> = None;
        for e in &o.repo_keys {
            match first.entry((&*e.rule, e.key.key)) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert((i, e.start.line, e.start.column));
                }
                std::collections::hash_map::Entry::Occupied(f) if f.get().0 != i => {
                    let &(fi, line, column) = f.get();
                    let rules =
                        file_rules.get_or_insert_with(|| linter.rules_for(Path::new(&o.path)));
                    let Ok(rules) = rules else {
                        continue;
                    };
                    // One site for every finding: its path's buffer is reused.
                    site.path.clear();
                    site.path.push_str(&outcomes[fi].path);
                    (site.line, site.column) = (line, column);
                    if let Some((f, sev)) = rules.repo_finding(&e.rule, &e.key, &site) {
                        let d = Diagnostic {
                            rule: e.rule.clone(),
                            severity: sev,
                            message: f.message,
                            label: f.label,
                            help: f.help,
                            range: e.key.range.clone(),
                            start: e.start,
                            end: e.end,
                            labels: Default::default(),
                            fix: None,
                        };
                        found.push((i, d));
                    }
                }
                std::collections::hash_map::Entry::Occupied(_) => {}
            }
        }
    }
    // `found` is in file order: each file's findings are one run of it. They join the file's
    // own, sorted (stably) by index, each finding moved once into its place.
    let mut found = found.into_iter().peekable();
    while let Some((i, d)) = found.next() {
        let o = &mut outcomes[i];
        let own = o.diagnostics.len();
        o.diagnostics.push(d);
        while let Some((_, d)) = found.next_if(|(j, _)| *j == i) {
            o.diagnostics.push(d);
        }
        let all = &mut o.diagnostics;
        let mut idx: Vec<u32> = (0..all.len() as u32).collect();
        idx.sort_by(|&a, &b| crate::lint::order(&all[a as usize], &all[b as usize]));
        o.cross_file = idx
            .iter()
            .enumerate()
            .filter(|(_, &k)| k as usize >= own)
            .map(|(k, _)| k)
            .collect();
        crate::lint::permute(all, &mut idx);
    }
}
