//! The core's configuration error, below the modules that report one (config, catalog and
//! packs): a type with the file, the span and the parts of the message; the CLI draws it with
//! miette, the language server sends its text.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use miette::{LabeledSpan, NamedSource};

/// Why a linter could not be built, or a file's rules could not be set up: a rule selection or
/// a rule's options that no rule accepts. Its `Display` is the Chinese sentence the CLI prints
/// after `error: ` (and the language server sends); the parts are fields, for other front ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LintError {
    /// `--select`/`--ignore` (or [`crate::lint::Selection`]) names no rule, pack or plugin.
    UnknownRule(String),
    /// A rule's options in the config are wrong. `why` is serde's message (English).
    RuleOptions { rule: String, why: String },
    /// The rule sets' cache is unusable (a thread panicked while holding it).
    Poisoned(String),
}

impl fmt::Display for LintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LintError::UnknownRule(n) => {
                write!(f, "未知的规则 `{n}`（`newslint rules` 列出全部规则）")
            }
            LintError::RuleOptions { rule, why } => {
                write!(f, "规则 `{rule}` 的选项有误：{}", zh_message(why))
            }
            LintError::Poisoned(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for LintError {}

/// A baseline file (`--baseline`) that cannot be used. `Display` is the CLI's sentence.
#[derive(Debug)]
pub enum BaselineError {
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Not a baseline's JSON; `why` is serde_json's message (English).
    Format {
        path: PathBuf,
        why: String,
    },
    Version {
        path: PathBuf,
        version: u32,
    },
}

impl fmt::Display for BaselineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BaselineError::Read { path, error } => {
                write!(f, "无法读取基线文件 {}：{error}", path.display())
            }
            BaselineError::Format { path, why } => {
                write!(
                    f,
                    "基线文件 {} 格式有误：{}",
                    path.display(),
                    zh_message(why)
                )
            }
            BaselineError::Version { path, version } => {
                write!(f, "基线文件 {} 的版本 {version} 不受支持", path.display())
            }
        }
    }
}

impl std::error::Error for BaselineError {}

/// Why `--fix` left a file as it was. `Display` is the CLI's sentence.
#[derive(Debug)]
pub enum WriteError {
    Io(std::io::Error),
    /// A pipe, a device, `/dev/stdin`: not a regular file.
    NotAFile,
    /// Read-only; `mode` describes its permissions (`权限 0444`).
    ReadOnly {
        mode: String,
    },
    /// A file with this many hard links (see `fix::write_fixed`).
    HardLinks(u64),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Io(e) => write!(f, "无法写回修复后的文件：{e}"),
            WriteError::NotAFile => f.write_str(
                "不是普通文件（管道、设备或 <(命令)），修复无法写回，文件没有改动；修复标准输入请用 --stdin-filename",
            ),
            WriteError::ReadOnly { mode } => write!(
                f,
                "文件是只读的（{mode}），--fix 不改写只读文件，文件没有改动；确要修复请先改权限"
            ),
            WriteError::HardLinks(n) => write!(
                f,
                "文件有 {n} 个硬链接：原子写回会断开链接（其他路径仍是旧文本），原地改写又可能在中断时留下半截文件，所以 --fix 没有改动它；可用 --diff 查看修复后手工改"
            ),
        }
    }
}

impl std::error::Error for WriteError {}

/// A configuration problem, pointing into the config file where it can.
#[derive(Debug)]
pub struct ConfigError {
    pub message: String,
    pub path: Option<PathBuf>,
    pub source: Option<NamedSource<String>>,
    pub span: Option<Range<usize>>,
    pub label: String,
    pub help: Option<String>,
    /// `config` or `pack`: shown as the diagnostic's code.
    pub code: &'static str,
}

impl ConfigError {
    /// An error with no span to point at.
    pub fn plain(message: impl Into<String>, path: Option<&Path>) -> ConfigError {
        ConfigError {
            message: message.into(),
            path: path.map(Path::to_path_buf),
            source: None,
            span: None,
            label: String::new(),
            help: None,
            code: "config",
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, &self.source) {
            (Some(p), None) => write!(f, "{}: {}", p.display(), self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl miette::Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span.clone()?;
        let label = if self.label.is_empty() {
            None
        } else {
            Some(self.label.clone())
        };
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(label, span),
        )))
    }
}

/// serde's and toml's English messages ("invalid type: string \"x\", expected f64") in
/// Chinese, for the config and pack errors that quote them inside a Chinese sentence. Lines it
/// does not know are kept as they are; names in backticks are kept.
pub fn zh_message(msg: &str) -> String {
    msg.trim()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(zh_line)
        .collect::<Vec<_>>()
        .join("；")
}

fn zh_line(line: &str) -> String {
    // serde_json adds the place: "… at line 3 column 5".
    if let Some((m, place)) = line.rsplit_once(" at line ") {
        if let Some((l, c)) = place.split_once(" column ") {
            if l.parse::<usize>().is_ok() && c.parse::<usize>().is_ok() {
                return format!("{}（第 {l} 行第 {c} 列）", zh_line(m));
            }
        }
    }
    let pair = |rest: &str, sep: &str| {
        rest.split_once(sep)
            .map(|(a, b)| (a.to_string(), b.to_string()))
    };
    if let Some((u, e)) = line
        .strip_prefix("invalid type: ")
        .and_then(|r| pair(r, ", expected "))
    {
        return format!(
            "类型不对：这里是{}，应为{}",
            zh_unexpected(&u),
            zh_expected(&e)
        );
    }
    if let Some((u, e)) = line
        .strip_prefix("invalid value: ")
        .and_then(|r| pair(r, ", expected "))
    {
        return format!("值无效：{}，应为{}", zh_unexpected(&u), zh_expected(&e));
    }
    if let Some((n, e)) = line
        .strip_prefix("invalid length ")
        .and_then(|r| pair(r, ", expected "))
    {
        return format!("长度 {n} 不对，应为{}", zh_expected(&e));
    }
    for (prefix, what, choices) in [
        ("unknown field ", "未知的键", "可用的键"),
        ("unknown variant ", "未知的取值", "可用的值"),
    ] {
        if let Some(rest) = line.strip_prefix(prefix) {
            let (name, options) = rest.split_once(", ").unwrap_or((rest, ""));
            let options = options
                .strip_prefix("expected one of ")
                .or_else(|| options.strip_prefix("expected "))
                .map(|o| {
                    format!(
                        "，{choices}：{}",
                        o.replace("`, `", "`、`").replace("` or `", "`、`")
                    )
                })
                .unwrap_or_else(|| match options {
                    "there are no fields" | "there are no variants" => "，这里不能有任何键".into(),
                    _ => String::new(),
                });
            return format!("{what} {name}{options}");
        }
    }
    if let Some(f) = line.strip_prefix("missing field ") {
        return format!("缺少键 {f}");
    }
    for p in ["duplicate field ", "duplicate key "] {
        if let Some(f) = line.strip_prefix(p) {
            // toml adds where: "… in document root", "… in table `rules`".
            return match f.split_once(" in ") {
                Some((k, "document root")) => format!("键 {k} 重复（在文件顶层）"),
                Some((k, t)) => format!("键 {k} 重复（在{} 里）", t.replace("table ", "表 ")),
                None => format!("键 {f} 重复"),
            };
        }
    }
    if let Some(e) = line.strip_prefix("expected ") {
        return format!(
            "这里应为 {}",
            e.replace("`, `", "`、`")
                .replace("` or `", "`、`")
                .replace(", ", "、")
        );
    }
    let known = [
        ("invalid table header", "表头写错了"),
        ("invalid array", "数组写错了"),
        ("invalid inline table", "内联表写错了"),
        ("invalid key", "键写错了"),
        ("invalid string", "字符串写错了"),
        (
            "invalid basic string",
            "字符串写错了（引号不成对，或转义无效）",
        ),
        ("invalid literal string", "单引号字符串写错了"),
        ("invalid multiline basic string", "多行字符串写错了"),
        ("invalid number", "数写错了"),
        ("invalid floating-point number", "小数写错了"),
        ("invalid integer", "整数写错了"),
        ("invalid escape sequence", "转义序列无效"),
        ("invalid unicode 8-digit hex code", "Unicode 转义无效"),
        ("invalid unicode 4-digit hex code", "Unicode 转义无效"),
        ("key with no value", "键没有值"),
        ("unclosed array", "数组没有闭合"),
        ("unclosed table", "表没有闭合"),
        ("unexpected content", "多余的内容"),
        ("invalid assignment", "赋值写错了"),
        ("invalid boolean", "布尔值只能是 true 或 false"),
        ("string values must be quoted", "字符串要加引号"),
        (
            "data did not match any variant of untagged enum",
            "值的形式不对",
        ),
    ];
    for (en, zh) in known {
        if let Some(rest) = line.strip_prefix(en) {
            let rest = rest.trim_start_matches([',', ' ']);
            return if rest.is_empty() {
                zh.to_string()
            } else {
                format!("{zh}，{}", zh_line(rest))
            };
        }
    }
    line.to_string()
}

/// serde's `Unexpected`: what the file has.
fn zh_unexpected(u: &str) -> String {
    for (en, zh) in [
        ("boolean ", "布尔值 "),
        ("integer ", "整数 "),
        ("floating point ", "小数 "),
        ("character ", "字符 "),
        ("string ", "字符串 "),
    ] {
        if let Some(v) = u.strip_prefix(en) {
            return format!("{zh}{v}");
        }
    }
    match u {
        "byte array" => "字节数组".into(),
        "unit value" => "空值".into(),
        "Option value" => "可选值".into(),
        "sequence" => "数组".into(),
        "map" => "表".into(),
        other => other.to_string(),
    }
}

/// serde's `expected`: what the key takes.
fn zh_expected(e: &str) -> String {
    match e {
        "a string" | "a borrowed string" | "string" => "字符串".into(),
        "a sequence" | "a sequence of strings" => "数组".into(),
        "a boolean" | "bool" => "布尔值（true 或 false）".into(),
        "a character" | "char" => "单个字符".into(),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "非负整数".into(),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "an integer" => "整数".into(),
        "f32" | "f64" | "a float" => "数（如 0.8）".into(),
        "a map" | "a table" => "表".into(),
        _ if e.starts_with("struct ") => "表".into(),
        _ if e.starts_with("a sequence of ") || e.starts_with("a tuple") => "数组".into(),
        other => other.to_string(),
    }
}
