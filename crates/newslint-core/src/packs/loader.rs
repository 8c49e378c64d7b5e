//! Loading packs: the files of a folder (or the built-in ones embedded from `lints/`), the
//! manifest, each rule file's kind, the checks every kind shares and their error messages.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use miette::NamedSource;

use super::schema::{Common, Entry, Example, PackManifest, Quoted, Scope};
use super::{consistency, existence, occurrence, substitution, PackRule};
use crate::diagnostic::Severity;
use crate::error::ConfigError;
use crate::rules::{Fixability, RuleMeta};

/// The largest compiled regex a pack may ask for (bytes).
pub(super) const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Where a pack file came from, for error messages.
#[derive(Debug, Clone)]
pub struct PackFile {
    /// Shown in errors: `lints/typo/common.toml` or the user's path.
    pub name: String,
    pub text: String,
    /// A built-in pack file: its rules will use the shared scan (see [`share`]), so their own
    /// automata, kept as a fallback, are built as the cheap-to-build kind.
    pub builtin: bool,
}

pub(super) fn error(
    file: &PackFile,
    message: String,
    span: Option<Range<usize>>,
    help: Option<String>,
) -> Box<ConfigError> {
    Box::new(ConfigError {
        message,
        path: Some(PathBuf::from(&file.name)),
        source: Some(NamedSource::new(file.name.clone(), file.text.clone())),
        span,
        label: "这里".into(),
        help,
        code: "pack",
    })
}

pub(super) fn toml_error(file: &PackFile, e: toml::de::Error) -> Box<ConfigError> {
    let msg = e.message().trim().to_string();
    let help = msg
        .starts_with("unknown field")
        .then(|| "可用的键见 lints/README.md".to_string());
    let why = crate::error::zh_message(&msg);
    error(file, format!("规则包文件有误：{why}"), e.span(), help)
}

pub(super) fn severity(file: &PackFile, s: &str) -> Result<Severity, Box<ConfigError>> {
    Ok(match s {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "info" => Severity::Info,
        _ => {
            return Err(error(
                file,
                format!("`severity` 的值无效：\"{s}\""),
                find_key(&file.text, "severity"),
                Some("可用的值：\"error\"、\"warning\"、\"info\"".into()),
            ))
        }
    })
}

pub(super) fn find_key(text: &str, key: &str) -> Option<Range<usize>> {
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with(key) && t[key.len()..].trim_start().starts_with('=') {
            let s = off + line.len() - t.len();
            return Some(s..s + key.len());
        }
        off += line.len();
    }
    None
}

/// The span of the first empty string literal (`""`) on or after the line of `key` (or in the
/// whole file when the key is not found), for pointing at an empty token.
fn find_empty_string(text: &str, key: &str) -> Option<Range<usize>> {
    let from = find_key(text, key).map_or(0, |r| r.start);
    text[from..]
        .find("\"\"")
        .map(|i| from + i..from + i + 2)
        .or_else(|| find_key(text, key))
}

/// Reject empty strings in a list of strings a rule searches for: an empty string matches at
/// every position (the matcher would loop or report every character).
pub(super) fn no_empty(
    file: &PackFile,
    key: &str,
    words: &[String],
) -> Result<(), Box<ConfigError>> {
    if words.iter().any(String::is_empty) {
        return Err(error(
            file,
            format!("`{key}` 里有空字符串：空字符串在每个位置都匹配"),
            find_empty_string(&file.text, key),
            Some("删去这个空字符串".into()),
        ));
    }
    Ok(())
}

/// Reject a substitution entry whose `wrong` is empty, or whose `right` contains its `wrong`
/// with no context to stop it: the fix would apply again to its own result on every pass.
pub(super) fn check_entry(
    file: &PackFile,
    e: &Entry,
    from_swap: bool,
) -> Result<(), Box<ConfigError>> {
    let span = |text: &str| {
        if from_swap {
            find_key(text, &format!("\"{}\"", e.wrong)).or_else(|| find_key(text, &e.wrong))
        } else {
            text.find(&format!("\"{}\"", e.wrong))
                .map(|i| i..i + e.wrong.len() + 2)
                .or_else(|| find_key(text, "wrong"))
        }
    };
    if e.wrong.is_empty() {
        let key = if from_swap { "swap" } else { "wrong" };
        let at = if from_swap {
            find_key(&file.text, "\"\"").or_else(|| find_key(&file.text, "[swap]"))
        } else {
            find_empty_string(&file.text, "wrong")
        };
        return Err(error(
            file,
            format!("`{key}` 里被替换的文字是空字符串：空字符串在每个位置都匹配"),
            at,
            Some("写出要替换的文字".into()),
        ));
    }
    for (key, list) in [
        ("not-before", &e.not_before),
        ("not-after", &e.not_after),
        ("only-before", &e.only_before),
        ("only-after", &e.only_after),
    ] {
        no_empty(file, key, list)?;
    }
    let no_context = e.not_before.is_empty()
        && e.not_after.is_empty()
        && e.only_before.is_empty()
        && e.only_after.is_empty();
    if no_context && e.right.contains(e.wrong.as_str()) {
        return Err(error(
            file,
            format!(
                "“{}”→“{}”：替换后的文字又含有“{}”，修复会一遍遍作用在自己的结果上",
                e.wrong, e.right, e.wrong
            ),
            span(&file.text),
            Some("给这一项加上 not-after / not-before 上下文，或改写替换".into()),
        ));
    }
    Ok(())
}

pub(super) fn automaton(
    file: &PackFile,
    words: &[String],
    key: &str,
) -> Result<AhoCorasick, Box<ConfigError>> {
    // A DFA searches fastest but takes longest to build; a one-article run notices.
    let kind = file.builtin.then_some(AhoCorasickKind::ContiguousNFA);
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(kind)
        .build(words)
        .map_err(|e| {
            error(
                file,
                format!("`{key}` 无法编译：{e}"),
                find_key(&file.text, key),
                None,
            )
        })
}

fn docs_for(kind: &str, description: &str, examples: &[Example], file: &str) -> String {
    let mut d = format!("## What it does\n\n{description}\n\nA `{kind}` rule from the pack file `{file}`.\n\n## Examples\n\n");
    for e in examples {
        let tag = if e.report { "Reported" } else { "Not reported" };
        d.push_str(&format!("- {tag}: {}\n", e.text));
    }
    d.push_str("\n## Options\n\nNone besides `severity`.\n");
    d
}

/// A rule's metadata and the keys every kind shares, compiled: (meta, scope, message, help,
/// examples).
pub(super) type Shared = (
    Arc<RuleMeta>,
    Vec<Scope>,
    String,
    Option<String>,
    Vec<Example>,
);

/// The shared keys of rule `id`, checked; `fix` is what the kind's fix says.
pub(super) fn common(
    file: &PackFile,
    id: &str,
    r: &Common<'_>,
    fix: Fixability,
) -> Result<Shared, Box<ConfigError>> {
    let meta = Arc::new(RuleMeta {
        id: Cow::Owned(id.to_string()),
        summary: Cow::Owned(r.description.to_string()),
        default_severity: severity(file, r.severity)?,
        default_enabled: r.enabled,
        fix,
        docs: Cow::Owned(docs_for(r.kind, r.description, r.examples, &file.name)),
        options: Cow::Borrowed(""),
    });
    Ok((
        meta,
        r.scope.to_vec(),
        r.message.to_string(),
        r.help.map(str::to_string),
        r.examples.to_vec(),
    ))
}

/// Load one rule file of pack `pack`.
/// `quoted` is the pack's default for the rule's `quoted` key.
pub fn load_rule(
    pack: &str,
    stem: &str,
    file: &PackFile,
    quoted: Quoted,
) -> Result<PackRule, Box<ConfigError>> {
    let value: toml::Value = toml::from_str(&file.text).map_err(|e| toml_error(file, e))?;
    let Some(kind) = value
        .get("kind")
        .and_then(|k| k.as_str())
        .map(str::to_string)
    else {
        return Err(error(
            file,
            "规则文件缺少 `kind`，或 `kind` 不是字符串".into(),
            find_key(&file.text, "kind").or(Some(0..0)),
            Some(
                "kind = \"existence\" | \"substitution\" | \"consistency\" | \"occurrence\"".into(),
            ),
        ));
    };
    let id = format!("{pack}/{stem}");
    let span = find_key(&file.text, "kind").unwrap_or(0..0);
    let rule = match kind.as_str() {
        "existence" => existence::load(file, &id, span, quoted)?,
        "substitution" => substitution::load(file, &id, span, quoted)?,
        "consistency" => consistency::load(file, &id, quoted)?,
        "occurrence" => occurrence::load(file, &id, span)?,
        other => {
            return Err(error(
                file,
                format!("未知的规则类型 `{other}`"),
                Some(span),
                Some("可用的类型：existence、substitution、consistency、occurrence".into()),
            ))
        }
    };
    Ok(rule)
}

/// A loaded pack: its name and rules (in file-name order).
pub struct Pack {
    pub name: String,
    pub version: String,
    pub description: String,
    pub rules: Vec<PackRule>,
}

/// Load a pack from (file name, text) pairs; `pack.toml` must be among them.
pub fn load_pack(dir_name: &str, files: &[PackFile]) -> Result<Pack, Box<ConfigError>> {
    let manifest_file = files
        .iter()
        .find(|f| f.name.ends_with("pack.toml"))
        .ok_or_else(|| {
            Box::new(ConfigError::plain(
                format!("规则包 {dir_name} 缺少 pack.toml"),
                Some(Path::new(dir_name)),
            ))
        })?;
    let m: PackManifest =
        toml::from_str(&manifest_file.text).map_err(|e| toml_error(manifest_file, e))?;
    let valid_name = !m.name.is_empty()
        && m.name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid_name {
        return Err(error(
            manifest_file,
            format!("规则包名 `{}` 无效：只能用小写字母、数字和 -", m.name),
            find_key(&manifest_file.text, "name"),
            None,
        ));
    }
    let mut rules = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut sorted: Vec<&PackFile> = files
        .iter()
        .filter(|f| !f.name.ends_with("pack.toml"))
        .collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    for f in sorted {
        let stem = Path::new(&f.name)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        if let Some(prev) = seen.insert(stem.to_lowercase(), f.name.clone()) {
            return Err(error(
                f,
                format!("规则 `{}/{stem}` 重复定义（另见 {prev}）", m.name),
                Some(0..0),
                None,
            ));
        }
        rules.push(load_rule(&m.name, &stem, f, m.quoted.unwrap_or_default())?);
    }
    Ok(Pack {
        name: m.name,
        version: m.version,
        description: m.description,
        rules,
    })
}

/// Load a pack folder from disk.
pub fn load_dir(dir: &Path) -> Result<Pack, Box<ConfigError>> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Box::new(ConfigError::plain(
            format!("无法读取规则包目录：{e}"),
            Some(dir),
        ))
    })?;
    for e in entries.flatten() {
        let p = e.path();
        if p.extension().and_then(|x| x.to_str()) != Some("toml") {
            continue;
        }
        let text = std::fs::read_to_string(&p).map_err(|err| {
            Box::new(ConfigError::plain(
                format!("无法读取规则文件：{err}"),
                Some(&p),
            ))
        })?;
        files.push(PackFile {
            builtin: false,
            name: p.display().to_string(),
            text,
        });
    }
    load_pack(&dir.display().to_string(), &files)
}

/// The packs embedded from `lints/` (every folder there with a `pack.toml`).
pub fn builtin() -> Vec<Pack> {
    static BUILTIN: &[(&str, &[(&str, &str)])] =
        include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));
    BUILTIN
        .iter()
        .map(|(dir, files)| {
            let files: Vec<PackFile> = files
                .iter()
                .map(|(n, t)| PackFile {
                    builtin: true,
                    name: format!("lints/{dir}/{n}"),
                    text: t.to_string(),
                })
                .collect();
            load_pack(dir, &files)
                .unwrap_or_else(|e| panic!("built-in pack lints/{dir} is broken: {e}"))
        })
        .collect()
}
