//! The command line (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "newslint",
    version,
    about = "A fast, precise linter for Chinese news copy"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files and folders (default: the current folder).
    Check(Box<CheckArgs>),
    /// List every rule: id, default severity, fix, summary.
    Rules,
    /// Print a rule's documentation, or a rule pack's rules.
    Explain {
        /// The rule id, e.g. punctuation-width, or a pack's name, e.g. typo.
        rule: String,
    },
    /// Write a commented .lintrc.toml with every key and its default.
    Init {
        /// Overwrite an existing .lintrc.toml.
        #[arg(long)]
        force: bool,
        /// Print to standard output instead of writing the file.
        #[arg(long)]
        stdout: bool,
    },
    /// Run the [[examples]] of a rule pack's rules.
    TestPack {
        /// The pack folder (with pack.toml), or the name of a built-in pack (typo, xinhua,
        /// terms) when no folder has that name.
        dir: PathBuf,
    },
    /// Show how a file is split into paragraphs, zones and articles.
    Zones {
        /// The file to show.
        file: PathBuf,
    },
    /// Run the language server on standard input and output, for editors.
    #[command(
        long_about = "Run the language server (LSP) on standard input and output, for \
editors: diagnostics as you type (150 ms after the last change), on open and on save; quick \
fixes and \"disable for this line\" as code actions. Each document gets the .lintrc.toml \
nearest to it, read again when one changes. Plugins run only for configs inside a workspace \
folder the editor opened (initializationOptions {\"plugins\": false} turns them off). The \
editor starts this command; the README shows the setup for VS Code, Neovim and Helix."
    )]
    Server,
    /// Print a shell completion script (e.g. `newslint completions bash > /etc/bash_completion.d/newslint`).
    Completions {
        /// The shell: bash, elvish, fish, powershell or zsh.
        shell: clap_complete::Shell,
    },
    /// Print the manual page in roff (e.g. `newslint man | man -l -`); with a subcommand, its own
    /// page (newslint-check(1)).
    Man {
        /// A subcommand, e.g. check.
        command: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// miette reports with source excerpts.
    Human,
    /// `path:line:col: severity[rule] message`, one a line.
    Short,
    /// One JSON document (schema in the README).
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// Checkstyle XML.
    Checkstyle,
    /// JUnit XML: one test case per file.
    Junit,
    /// One self-contained HTML page: the text with findings marked, summary, filters.
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ErrorOn {
    Warning,
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to lint ("-" reads standard input).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Use this config file for every file instead of the .lintrc.toml nearest to each.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore any .lintrc.toml: built-in defaults only.
    #[arg(long)]
    pub no_config: bool,
    /// Run only these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub select: Option<Vec<String>>,
    /// Do not run these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub ignore: Vec<String>,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Exit 1 when there are more than N warnings.
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Print findings only, no summary.
    #[arg(short, long)]
    pub quiet: bool,
    /// Colour in human output (NO_COLOR is respected by `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Apply safe fixes and write the files.
    #[arg(long)]
    pub fix: bool,
    /// Also apply unsafe fixes (with --fix or --diff).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing files.
    #[arg(long)]
    pub diff: bool,
    /// Do not run the config's external plugins (for untrusted input, e.g. CI on forks).
    #[arg(long)]
    pub no_plugins: bool,
    /// Write the report to FILE; the terminal still gets the summary.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 0 even when there are findings (configuration and I/O trouble still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = ErrorOn::Error)]
    pub error_on: ErrorOn,
    /// Report suppression directives that suppress nothing.
    #[arg(long)]
    pub report_unused_suppressions: bool,
    /// Record today's findings in FILE and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Report only findings not recorded in this baseline FILE.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Lint standard input as if it were this file (with --fix, print the fixed text).
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    /// Lint the paths listed in FILE, one a line ("-" reads standard input).
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<String>,
    /// Read files in this encoding instead of detecting it (utf-8, utf-16le, utf-16be, gbk,
    /// gb18030, auto).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// Print time per phase and per rule on stderr after the run.
    #[arg(long)]
    pub timings: bool,
    /// List skipped files (binary) on stderr.
    #[arg(short, long)]
    pub verbose: bool,
    /// Lint the files changed since a git revision (and untracked ones).
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// Apply `[files] exclude` to paths named on the command line (and --stdin-filename) too,
    /// as pre-commit needs: it names every staged file.
    #[arg(long)]
    pub force_exclude: bool,
}
