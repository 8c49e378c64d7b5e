//! The library's small public API: a [`Checker`] built from a config, [`Checker::lint`] of one
//! text returning a [`Report`] of owned diagnostics and problems, and [`Checker::walk`] of files
//! and folders as an iterator of [`FileReport`]s. Nothing here prints.
//!
//! It wraps the engine the CLI uses ([`crate::driver::check_source`] with fixing off and a
//! renderer that renders nothing), so a text gets exactly the findings `newslint check` reports
//! for it: the same rules, packs, overrides, suppressions and `ignore-patterns`. What is wrong
//! with the run rather than with the copy (a file that cannot be read or decoded, a plugin that
//! failed, a config whose options are wrong) is a [`Problem`], never a diagnostic with a made-up
//! rule id.
//!
//! ```no_run
//! let checker = newslint_core::api::Checker::defaults();
//! let report = checker.lint("稿件.txt", "记者(实习)报道。");
//! for d in &report.diagnostics {
//!     println!("{} {}..{} {}", d.rule, d.span.start, d.span.end, d.message);
//! }
//! ```

// Nothing here prints: an embedder (the server, an editor plugin) owns stdout and stderr.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

pub use crate::diagnostic::{Applicability, Edit, Severity};
pub use crate::source::Position;

use crate::config::{Config, ConfigError};
use crate::driver::{CheckOptions, FixMode};
use crate::lint::{Linter, Selection};
use crate::source::SourceFile;

/// A set of edits that together repair one finding, as the library hands it out (the linter
/// keeps a fix's one edit inline; here the edits are a plain list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(edits: Vec<Edit>) -> Fix {
        Fix {
            applicability: Applicability::Safe,
            edits,
        }
    }
    pub fn unsafe_(edits: Vec<Edit>) -> Fix {
        Fix {
            applicability: Applicability::Unsafe,
            edits,
        }
    }
}

/// What kind of trouble a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// A config file that cannot be read or is invalid (its TOML, a key, a rule's options).
    Config,
    /// Text that cannot be read or decoded.
    Io,
    /// An external plugin that crashed, timed out or answered something that is not protocol.
    Plugin,
}

/// Trouble with the run, not a finding in the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    /// In Chinese, as the CLI prints it (without the file name; see `path`).
    pub message: String,
    /// The file the problem is about: the config file for [`ProblemKind::Config`] when known,
    /// the linted path otherwise.
    pub path: Option<PathBuf>,
    /// For [`ProblemKind::Config`]: the byte range in the config file, when the error has one.
    pub span: Option<Range<usize>>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{}: {}", p.display(), self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Problem {}

impl Problem {
    fn config(e: &ConfigError) -> Problem {
        Problem {
            kind: ProblemKind::Config,
            message: e.message.clone(),
            path: e.path.clone(),
            span: e.span.clone(),
        }
    }
}

/// A secondary place of a finding, with its own message ("首次出现在这里").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Byte range in the linted text.
    pub span: Range<usize>,
    pub start: Position,
    pub end: Position,
    pub message: String,
}

/// One finding, owned: nothing borrows the text or the checker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule id (`punctuation-width`, `typo/idioms`, a plugin's `name/rule`).
    pub rule: String,
    pub severity: Severity,
    /// Byte range in the linted text (UTF-8); may be empty (a point).
    pub span: Range<usize>,
    /// 1-based line and character column (Unicode scalar values) of `span`'s ends.
    pub start: Position,
    pub end: Position,
    /// In Chinese.
    pub message: String,
    /// The text under the primary underline; empty for none.
    pub label: String,
    pub help: Option<String>,
    /// Secondary places (the first copy of a duplicate, a partner mark).
    pub labels: Vec<Label>,
    /// The fix, safe or unsafe, when the rule has one.
    pub fix: Option<Fix>,
}

impl From<crate::diagnostic::Diagnostic> for Diagnostic {
    fn from(d: crate::diagnostic::Diagnostic) -> Diagnostic {
        Diagnostic {
            rule: d.rule.into_owned(),
            severity: d.severity,
            span: d.range,
            start: d.start,
            end: d.end,
            message: d.message.into_string(),
            label: d.label.into_owned(),
            help: d.help.map(std::borrow::Cow::into_owned),
            labels: d
                .labels
                .into_iter()
                .map(|l| Label {
                    span: l.range,
                    start: l.start,
                    end: l.end,
                    message: l.message.into_owned(),
                })
                .collect(),
            fix: d.fix.map(|f| Fix {
                applicability: f.applicability,
                edits: f.edits.into_vec(),
            }),
        }
    }
}

/// What linting one text found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Findings, in the CLI's order (position, then rule).
    pub diagnostics: Vec<Diagnostic>,
    /// Trouble that kept some or all of the text from being linted.
    pub problems: Vec<Problem>,
}

/// Rules of a config, ready to lint texts. Cheap to share between threads (`Sync`); build one
/// per config and reuse it: rule sets are built once.
pub struct Checker {
    linter: Linter,
    plugins: bool,
    unused_suppressions: bool,
}

impl fmt::Debug for Checker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Checker")
            .field("config", &self.linter.config.path)
            .field("plugins", &self.plugins)
            .finish()
    }
}

impl Checker {
    /// Built-in defaults only (as `--no-config`).
    pub fn defaults() -> Checker {
        let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
        Checker::from_config(Config::defaults(&cwd)).expect("the built-in defaults are valid")
    }

    /// A checker of a loaded config. Plugins are off until [`Checker::with_plugins`].
    pub fn from_config(config: Config) -> Result<Checker, Problem> {
        let path = config.path.clone();
        let linter = Linter::new(config, Selection::default()).map_err(|e| Problem {
            kind: ProblemKind::Config,
            message: e.to_string(),
            path,
            span: None,
        })?;
        Ok(Checker {
            linter,
            plugins: false,
            unused_suppressions: false,
        })
    }

    /// A checker of the config file `file` (`.lintrc.toml` syntax).
    pub fn from_file(file: &Path) -> Result<Checker, Problem> {
        let config = Config::load(file).map_err(|e| Problem::config(&e))?;
        Checker::from_config(config)
    }

    /// A checker of the `.lintrc.toml` nearest to `path` (in its folder or above, as the CLI
    /// finds it for each file), or of the defaults when there is none. A relative `path` is
    /// taken from the current folder.
    pub fn for_path(path: &Path) -> Result<Checker, Problem> {
        match config_for(path) {
            Some(file) => Checker::from_file(&file),
            None => {
                let dir = folder_of(path);
                Checker::from_config(Config::defaults(&dir))
            }
        }
    }

    /// Run the config's `[[plugins]]` (external programs) too. Off by default: a config next
    /// to a file someone sent must not start programs unless the embedder trusts it.
    pub fn with_plugins(mut self, on: bool) -> Checker {
        self.plugins = on;
        self
    }

    /// Also report suppression directives that suppress nothing (`unused-suppression`).
    pub fn with_unused_suppressions(mut self, on: bool) -> Checker {
        self.unused_suppressions = on;
        self
    }

    /// The config file this checker was built from (`None`: the defaults).
    pub fn config_path(&self) -> Option<&Path> {
        self.linter.config.path.as_deref()
    }

    /// Whether the config lists external plugins.
    pub fn has_plugins(&self) -> bool {
        !self.linter.config.plugins.is_empty()
    }

    /// Whether `[files] exclude` of the config matches `path` (or a folder it is in), as
    /// `--force-exclude` applies it to a file named on the command line.
    pub fn excludes(&self, path: &Path) -> bool {
        self.linter.config.is_excluded(path)
    }

    /// The address of a rule's documentation (the text `newslint explain` prints): the rule's
    /// file in the repository, as SARIF's `helpUri`. `None` for rules of a user's own pack.
    pub fn docs_url(&self, rule: &str) -> Option<String> {
        static BUILTIN_PACKS: std::sync::OnceLock<std::collections::HashSet<String>> =
            std::sync::OnceLock::new();
        if matches!(rule, "unused-suppression" | crate::suppress::INVALID) {
            let base = env!("CARGO_PKG_REPOSITORY")
                .trim_end_matches('/')
                .trim_end_matches(".git");
            return Some(format!(
                "{base}/blob/main/README.md#suppressions-baselines-and-ignore-patterns"
            ));
        }
        let entry = self.linter.config.catalog.find(rule)?;
        let builtin = BUILTIN_PACKS.get_or_init(|| {
            crate::catalog::Catalog::builtin()
                .packs
                .into_iter()
                .map(|p| p.name)
                .collect()
        });
        crate::report::sarif::help_uri(entry, builtin)
    }

    /// Lint `text` as the file `path` (which decides plain text or Markdown by its extension,
    /// and which `[[overrides]]` apply). The file is not read.
    pub fn lint(&self, path: impl AsRef<Path>, text: &str) -> Report {
        let src = SourceFile::from_text(text.to_string(), false);
        self.lint_source(path.as_ref(), src)
    }

    /// Lint raw bytes as the file `path`, decoding them as the CLI does (byte-order mark,
    /// UTF-8, GBK/GB18030, or `[files] encoding`). Byte spans index the decoded UTF-8 text.
    pub fn lint_bytes(&self, path: impl AsRef<Path>, bytes: Vec<u8>) -> Report {
        let path = path.as_ref();
        match SourceFile::decode(bytes, self.linter.config.encoding) {
            Ok(src) => self.lint_source(path, src),
            Err(e) => Report {
                diagnostics: Vec::new(),
                problems: vec![Problem {
                    kind: ProblemKind::Io,
                    message: e.to_string(),
                    path: Some(path.to_path_buf()),
                    span: None,
                }],
            },
        }
    }

    /// The files `paths` name and the files in the folders they name, walked as `newslint
    /// check` walks them (`.gitignore` and `.ignore` files, `[files]` include and exclude, the
    /// nearest config of each folder, binary files skipped), in the CLI's sorted order. Each file
    /// is read and linted when the iterator reaches it, on the caller's thread (`newslint check`
    /// runs files in parallel; an embedder may do so with rayon's `par_bridge`). A path that
    /// cannot be walked or a file that cannot be read is a report with an I/O [`Problem`].
    /// Cross-file findings (`scope = "repo"`) need the whole run and are not made here.
    pub fn walk(&self, paths: &[PathBuf]) -> Walk<'_> {
        let (files, mut failures) = crate::driver::collect_files(paths, &self.linter);
        // Merged in by path as `newslint check` sorts its report.
        failures.sort_by(|a, b| a.path.cmp(&b.path));
        Walk {
            checker: self,
            failures: failures.into_iter().peekable(),
            files: files.into_iter().peekable(),
        }
    }

    fn options(&self) -> CheckOptions {
        CheckOptions {
            threads: None,
            fix: FixMode::Off,
            unsafe_fixes: false,
            plugins: self.plugins,
            report_unused_suppressions: self.unused_suppressions,
            baseline: None,
            encoding: None,
            progress: None,
            fingerprints: false,
        }
    }

    /// The option errors of the `[[overrides]]` entries that match `path`, as a report: they
    /// surface for the files an entry matches.
    fn override_problem(&self, path: &Path) -> Option<Report> {
        // The config nearest to the file decides, as in `newslint check`.
        let scoped = self.linter.for_path(path);
        let e = scoped.rules_for(path).err()?;
        Some(Report {
            diagnostics: Vec::new(),
            problems: vec![Problem {
                kind: ProblemKind::Config,
                message: e.to_string(),
                path: scoped.config.path.clone(),
                span: None,
            }],
        })
    }

    fn lint_source(&self, path: &Path, src: SourceFile) -> Report {
        if let Some(report) = self.override_problem(path) {
            return report;
        }
        let shown = crate::driver::display_path(path);
        let outcome = crate::driver::check_source(
            &shown,
            path,
            src,
            None,
            &self.linter,
            &self.options(),
            &|_, _, _| String::new(),
        );
        report_of(outcome, path)
    }
}

/// One file's [`Report`], from [`Checker::walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// The file (or the path that could not be walked), as found.
    pub path: PathBuf,
    pub report: Report,
}

/// The iterator of [`Checker::walk`].
#[derive(Debug)]
pub struct Walk<'a> {
    checker: &'a Checker,
    failures: std::iter::Peekable<std::vec::IntoIter<crate::driver::FileOutcome>>,
    files: std::iter::Peekable<std::vec::IntoIter<PathBuf>>,
}

impl Iterator for Walk<'_> {
    type Item = FileReport;

    fn next(&mut self) -> Option<FileReport> {
        loop {
            // A path that could not be walked comes where its name sorts among the files.
            let failure_first = match (self.failures.peek(), self.files.peek()) {
                (Some(f), Some(p)) => f.path <= crate::driver::display_path(p),
                (Some(_), None) => true,
                (None, _) => false,
            };
            if failure_first {
                let outcome = self.failures.next()?;
                let path = PathBuf::from(&outcome.path);
                let report = report_of(outcome, &path);
                return Some(FileReport { path, report });
            }
            let path = self.files.next()?;
            let checker = self.checker;
            let outcome = crate::driver::check_file(
                &path,
                &checker.linter,
                &checker.options(),
                &|_, _, _| String::new(),
            );
            if outcome.skipped {
                continue;
            }
            // A file that failed because an `[[overrides]]` entry's options are wrong is a
            // config problem, as `lint` reports it (asked only of failures: no second look-up
            // per file).
            let problem = outcome.failed.then(|| checker.override_problem(&path));
            let report = match problem.flatten() {
                Some(report) => report,
                None => report_of(outcome, &path),
            };
            return Some(FileReport { path, report });
        }
    }
}

/// A file's outcome as a report: failures and plugin trouble are problems, not diagnostics.
fn report_of(outcome: crate::driver::FileOutcome, path: &Path) -> Report {
    let mut report = Report::default();
    for d in outcome.diagnostics {
        let kind = match &*d.rule {
            _ if outcome.failed => ProblemKind::Io,
            "plugin" => ProblemKind::Plugin,
            _ => {
                report.diagnostics.push(d.into());
                continue;
            }
        };
        report.problems.push(Problem {
            kind,
            message: d.message.into_string(),
            path: Some(path.to_path_buf()),
            span: None,
        });
    }
    report
}

/// The `.lintrc.toml` nearest to `path`: in its folder or above.
pub fn config_for(path: &Path) -> Option<PathBuf> {
    crate::config::discover(&folder_of(path))
}

/// The folder of `path`, made absolute.
fn folder_of(path: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let abs = crate::lint::normalize(&cwd, path);
    abs.parent().map(Path::to_path_buf).unwrap_or(abs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_with_its_fix_and_positions() {
        let text = "😀😀记者(实习)报道。\n";
        let report = Checker::defaults().lint("a.txt", text);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        let d = report
            .diagnostics
            .iter()
            .find(|d| d.rule == "punctuation-width")
            .expect("a half-width bracket");
        assert_eq!(&text[d.span.clone()], "(");
        assert_eq!(d.start, Position { line: 1, column: 5 });
        assert_eq!(d.severity, Severity::Error);
        let fix = d.fix.as_ref().expect("a fix");
        assert_eq!(fix.applicability, Applicability::Safe);
        assert!(fix.edits.iter().any(|e| e.replacement == "（"));
        assert_eq!(d.labels.len(), 1, "the partner bracket");
        assert_eq!(&text[d.labels[0].span.clone()], ")");
        let url = Checker::defaults()
            .docs_url("punctuation-width")
            .expect("a page");
        assert!(url.ends_with("/src/rules/punctuation_width.rs"), "{url}");
        assert!(Checker::defaults().docs_url("no-such-rule").is_none());
    }

    #[test]
    fn markdown_by_extension_and_suppressions_honoured() {
        let text = "<!-- newslint-disable-next-line punctuation-width -->\n记者(实习)报道。\n";
        let checker = Checker::defaults();
        let pw = |r: &Report| r.diagnostics.iter().any(|d| d.rule == "punctuation-width");
        assert!(!pw(&checker.lint("a.md", text)));
        let (_, bare) = text.split_once('\n').expect("two lines");
        assert!(pw(&checker.lint("a.md", bare)));
        let report =
            Checker::defaults().lint("a.txt", "#newslint-disable-next-line nosuch\n好。\n");
        assert!(report
            .diagnostics
            .iter()
            .any(|d| d.rule == crate::suppress::INVALID));
    }

    #[test]
    fn undecodable_bytes_are_an_io_problem_not_a_rule() {
        let report = Checker::defaults().lint_bytes("a.txt", vec![0xff, 0xfe, 0x00]);
        assert!(report.diagnostics.is_empty());
        assert_eq!(report.problems.len(), 1);
        assert_eq!(report.problems[0].kind, ProblemKind::Io);
        assert_eq!(report.problems[0].path.as_deref(), Some(Path::new("a.txt")));
    }

    #[test]
    fn a_bad_config_is_a_config_problem_naming_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join(".lintrc.toml");
        std::fs::write(&file, "[rules.punctuation-width]\nseverity = \"loud\"\n").expect("write");
        let e = Checker::for_path(&dir.path().join("a.txt")).expect_err("bad level");
        assert_eq!(e.kind, ProblemKind::Config);
        assert_eq!(e.path.as_deref(), Some(file.as_path()));
        assert!(e.span.is_some(), "the span of the bad value");
        std::fs::write(&file, "[rules.punctuation-width]\nseverity = \"off\"\n").expect("write");
        let c = Checker::for_path(&dir.path().join("a.txt")).expect("valid");
        assert_eq!(c.config_path(), Some(file.as_path()));
        assert!(c.lint("a.txt", "记者(实习)报道。").diagnostics.is_empty());
    }
}
