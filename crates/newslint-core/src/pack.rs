//! Declarative rule packs: rules written in TOML, loaded from `lints/` (built in) and from the
//! folders a config lists in `packs = [...]`.
//!
//! A pack is a folder with `pack.toml` (`name`, `version`, `description`) and one TOML file per
//! rule; the rule id is `<pack>/<file stem>`. A rule file names its `kind` (existence,
//! substitution, consistency, occurrence); the file is parsed twice, first for `kind`, then into
//! the strict struct of that kind, so that an unknown key is reported with its line. Han text has
//! no word boundaries: no kind uses `\b`; context is given as characters before and after.
//! Packs cannot run code; their regexes compile under size limits.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use miette::NamedSource;
use regex::{Regex, RegexBuilder};
use serde::Deserialize;

use crate::diagnostic::{Edit, Finding, Fix, Severity};
use crate::document::scan_cache::Hit;
use crate::document::{Document, Paragraph, Zone};
use crate::error::ConfigError;
use crate::rules::{Fixability, OptionError, Rule, RuleMeta};

/// The largest compiled regex a pack may ask for (bytes).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

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

fn error(
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

fn toml_error(file: &PackFile, e: toml::de::Error) -> Box<ConfigError> {
    let msg = e.message().trim().to_string();
    let help = msg
        .starts_with("unknown field")
        .then(|| "可用的键见 lints/README.md".to_string());
    let why = crate::error::zh_message(&msg);
    error(file, format!("规则包文件有误：{why}"), e.span(), help)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackManifest {
    name: String,
    version: String,
    description: String,
    /// The default of its rules' `quoted`.
    #[serde(default)]
    quoted: Option<Quoted>,
}

/// What a rule does with text inside quotation and title marks (“…”, 《…》: see
/// [`crate::document::quotes`]). Quotations keep their original wording: a rule that prescribes
/// the copy's own wording (a banned word, a variant form) skips them; a typo is a typo anywhere.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Quoted {
    #[default]
    Report,
    Skip,
}

/// Where a rule looks: zones of the document model.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Any,
    Headline,
    Body,
    Credit,
}

impl Scope {
    fn covers(self, zone: Zone) -> bool {
        match self {
            Scope::Any => true,
            Scope::Headline => matches!(zone, Zone::Headline | Zone::Deck | Zone::Subheading),
            Scope::Body => matches!(
                zone,
                Zone::Body | Zone::LeadIn | Zone::Callout | Zone::Verse | Zone::Caption
            ),
            Scope::Credit => matches!(zone, Zone::Credit | Zone::EditorLine),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    pub report: bool,
    #[serde(default)]
    pub why: Option<String>,
}

/// The struct of each kind repeats the keys every kind shares (`kind` to `examples`): serde's
/// `flatten` would lose `deny_unknown_fields`, and an unknown key must be reported with its line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Existence {
    kind: String,
    description: String,
    message: String,
    #[serde(default)]
    help: Option<String>,
    #[serde(default = "warning")]
    severity: String,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default = "any")]
    scope: Vec<Scope>,
    #[serde(default)]
    quoted: Option<Quoted>,
    #[serde(default)]
    examples: Vec<Example>,
    #[serde(default)]
    tokens: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    exceptions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Substitution {
    kind: String,
    description: String,
    message: String,
    #[serde(default)]
    help: Option<String>,
    #[serde(default = "warning")]
    severity: String,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default = "any")]
    scope: Vec<Scope>,
    #[serde(default)]
    quoted: Option<Quoted>,
    #[serde(default)]
    examples: Vec<Example>,
    /// `"safe"`, `"unsafe"` or `"none"`.
    #[serde(default = "unsafe_fix")]
    fix: String,
    /// wrong → right, with no context.
    #[serde(default)]
    swap: toml::Table,
    /// wrong → right with context.
    #[serde(default)]
    entry: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Entry {
    wrong: String,
    right: String,
    /// Text that, right before `wrong`, makes it correct (吸|纳人才).
    #[serde(default)]
    not_before: Vec<String>,
    /// Text that, right after `wrong`, makes it correct (纳人|才).
    #[serde(default)]
    not_after: Vec<String>,
    /// When given, `wrong` counts only right before one of these (经济形式|，).
    #[serde(default)]
    only_after: Vec<String>,
    /// When given, `wrong` counts only right after one of these.
    #[serde(default)]
    only_before: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Consistency {
    kind: String,
    description: String,
    message: String,
    #[serde(default)]
    help: Option<String>,
    #[serde(default = "warning")]
    severity: String,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default = "any")]
    scope: Vec<Scope>,
    #[serde(default)]
    quoted: Option<Quoted>,
    #[serde(default)]
    examples: Vec<Example>,
    groups: Vec<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Occurrence {
    kind: String,
    description: String,
    message: String,
    #[serde(default)]
    help: Option<String>,
    #[serde(default = "warning")]
    severity: String,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default = "any")]
    scope: Vec<Scope>,
    #[serde(default)]
    examples: Vec<Example>,
    /// `"sentence"`, `"paragraph"` or `"article"`.
    unit: String,
    /// Report a unit longer than this many characters.
    #[serde(default)]
    max_chars: Option<usize>,
    /// Report a unit with more than `max` of these tokens.
    #[serde(default)]
    tokens: Vec<String>,
    #[serde(default)]
    max: Option<usize>,
}

fn warning() -> String {
    "warning".into()
}
fn yes() -> bool {
    true
}
fn any() -> Vec<Scope> {
    vec![Scope::Any]
}
fn unsafe_fix() -> String {
    "unsafe".into()
}

/// A pack rule, compiled.
pub struct PackRule {
    meta: &'static RuleMeta,
    scope: Vec<Scope>,
    message: String,
    help: Option<String>,
    pub examples: Vec<Example>,
    matcher: Matcher,
    /// The strings of the rule's automaton, in pattern order.
    words: Vec<String>,
    /// Built-in rules: their automata are merged into one scan per document (see [`share`]).
    shared: Option<(Arc<SharedScan>, usize)>,
    /// `quoted = "skip"`: matches inside quotation and title marks are not reported.
    skip_quoted: bool,
}

enum Matcher {
    Existence {
        tokens: Option<AhoCorasick>,
        patterns: Vec<Regex>,
        exceptions: Vec<String>,
    },
    /// One automaton over the distinct wrong strings; `by_wrong[k]` lists the entries of the
    /// k-th string, tried in file order (the first whose context fits wins).
    Substitution {
        ac: AhoCorasick,
        entries: Vec<Entry>,
        by_wrong: Vec<Vec<usize>>,
        fix: Option<bool>,
    },
    Consistency {
        ac: AhoCorasick,
        variants: Vec<(usize, String)>,
    },
    Occurrence {
        unit: Unit,
        max_chars: Option<usize>,
        tokens: Option<AhoCorasick>,
        max: usize,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Sentence,
    Paragraph,
    Article,
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn severity(file: &PackFile, s: &str) -> Result<Severity, Box<ConfigError>> {
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

fn find_key(text: &str, key: &str) -> Option<Range<usize>> {
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
fn no_empty(file: &PackFile, key: &str, words: &[String]) -> Result<(), Box<ConfigError>> {
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
fn check_entry(file: &PackFile, e: &Entry, from_swap: bool) -> Result<(), Box<ConfigError>> {
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

fn automaton(
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
    macro_rules! common {
        ($r:expr, $fix:expr) => {{
            let r = &$r;
            let meta: &'static RuleMeta = Box::leak(Box::new(RuleMeta {
                id: leak(id.clone()),
                summary: leak(r.description.clone()),
                default_severity: severity(file, &r.severity)?,
                default_enabled: r.enabled,
                fix: $fix,
                docs: leak(docs_for(&r.kind, &r.description, &r.examples, &file.name)),
                options: "",
            }));
            (
                meta,
                r.scope.clone(),
                r.message.clone(),
                r.help.clone(),
                r.examples.clone(),
            )
        }};
    }
    let rule = match kind.as_str() {
        "existence" => {
            let r: Existence = toml::from_str(&file.text).map_err(|e| toml_error(file, e))?;
            if r.tokens.is_empty() && r.patterns.is_empty() {
                return Err(error(
                    file,
                    "existence 规则至少要有 `tokens` 或 `patterns`".into(),
                    Some(span),
                    None,
                ));
            }
            no_empty(file, "tokens", &r.tokens)?;
            no_empty(file, "exceptions", &r.exceptions)?;
            let mut patterns = Vec::new();
            for p in &r.patterns {
                if p.contains("\\b") {
                    return Err(error(
                        file,
                        format!("正则 `{p}` 用了 `\\b`：汉字之间没有词边界"),
                        find_key(&file.text, "patterns"),
                        Some(
                            "用前后字符写出上下文，或用 substitution 的 not-before / not-after"
                                .into(),
                        ),
                    ));
                }
                let re = RegexBuilder::new(p)
                    .size_limit(REGEX_SIZE_LIMIT)
                    .dfa_size_limit(REGEX_SIZE_LIMIT)
                    .build()
                    .map_err(|e| {
                        error(
                            file,
                            format!("正则 `{p}` 无效：{e}"),
                            find_key(&file.text, "patterns"),
                            None,
                        )
                    })?;
                patterns.push(re);
            }
            let tokens = if r.tokens.is_empty() {
                None
            } else {
                Some(automaton(file, &r.tokens, "tokens")?)
            };
            let (meta, scope, message, help, examples) = common!(r, Fixability::None);
            PackRule {
                meta,
                scope,
                message,
                help,
                examples,
                matcher: Matcher::Existence {
                    tokens,
                    patterns,
                    exceptions: r.exceptions,
                },
                words: r.tokens,
                shared: None,
                skip_quoted: r.quoted.unwrap_or(quoted) == Quoted::Skip,
            }
        }
        "substitution" => {
            let mut r: Substitution =
                toml::from_str(&file.text).map_err(|e| toml_error(file, e))?;
            for e in &r.entry {
                check_entry(file, e, false)?;
            }
            for (wrong, right) in std::mem::take(&mut r.swap) {
                let Some(right) = right.as_str() else {
                    return Err(error(
                        file,
                        format!("`swap` 里“{wrong}”的值必须是字符串"),
                        find_key(&file.text, &wrong),
                        None,
                    ));
                };
                let entry = Entry {
                    wrong,
                    right: right.to_string(),
                    not_before: vec![],
                    not_after: vec![],
                    only_after: vec![],
                    only_before: vec![],
                };
                check_entry(file, &entry, true)?;
                r.entry.push(entry);
            }
            if r.entry.is_empty() {
                return Err(error(
                    file,
                    "substitution 规则至少要有一项 `swap` 或 `[[entry]]`".into(),
                    Some(span),
                    None,
                ));
            }
            let fix = match r.fix.as_str() {
                "safe" => Some(true),
                "unsafe" => Some(false),
                "none" => None,
                v => {
                    return Err(error(
                        file,
                        format!("`fix` 的值无效：\"{v}\""),
                        find_key(&file.text, "fix"),
                        Some("可用的值：\"safe\"、\"unsafe\"、\"none\"".into()),
                    ))
                }
            };
            let mut wrongs: Vec<String> = Vec::new();
            let mut by_wrong: Vec<Vec<usize>> = Vec::new();
            for (i, e) in r.entry.iter().enumerate() {
                match wrongs.iter().position(|w| *w == e.wrong) {
                    Some(k) => by_wrong[k].push(i),
                    None => {
                        wrongs.push(e.wrong.clone());
                        by_wrong.push(vec![i]);
                    }
                }
            }
            let ac = automaton(file, &wrongs, "swap")?;
            let fixability = match fix {
                Some(true) => Fixability::Safe,
                Some(false) => Fixability::Unsafe,
                None => Fixability::None,
            };
            let (meta, scope, message, help, examples) = common!(r, fixability);
            PackRule {
                meta,
                scope,
                message,
                help,
                examples,
                matcher: Matcher::Substitution {
                    ac,
                    entries: r.entry,
                    by_wrong,
                    fix,
                },
                words: wrongs,
                shared: None,
                skip_quoted: r.quoted.unwrap_or(quoted) == Quoted::Skip,
            }
        }
        "consistency" => {
            let r: Consistency = toml::from_str(&file.text).map_err(|e| toml_error(file, e))?;
            let mut variants = Vec::new();
            for (g, group) in r.groups.iter().enumerate() {
                if group.len() < 2 {
                    return Err(error(
                        file,
                        "`groups` 的每一组至少要有两种写法".into(),
                        find_key(&file.text, "groups"),
                        None,
                    ));
                }
                no_empty(file, "groups", group)?;
                variants.extend(group.iter().map(|v| (g, v.clone())));
            }
            let words: Vec<String> = variants.iter().map(|v| v.1.clone()).collect();
            let ac = automaton(file, &words, "groups")?;
            let (meta, scope, message, help, examples) = common!(r, Fixability::None);
            PackRule {
                meta,
                scope,
                message,
                help,
                examples,
                matcher: Matcher::Consistency { ac, variants },
                words,
                shared: None,
                skip_quoted: r.quoted.unwrap_or(quoted) == Quoted::Skip,
            }
        }
        "occurrence" => {
            let r: Occurrence = toml::from_str(&file.text).map_err(|e| toml_error(file, e))?;
            let unit = match r.unit.as_str() {
                "sentence" => Unit::Sentence,
                "paragraph" => Unit::Paragraph,
                "article" => Unit::Article,
                v => {
                    return Err(error(
                        file,
                        format!("`unit` 的值无效：\"{v}\""),
                        find_key(&file.text, "unit"),
                        Some("可用的值：\"sentence\"、\"paragraph\"、\"article\"".into()),
                    ))
                }
            };
            if r.max_chars.is_none() && (r.tokens.is_empty() || r.max.is_none()) {
                return Err(error(
                    file,
                    "occurrence 规则需要 `max-chars`，或 `tokens` 加 `max`".into(),
                    Some(span),
                    None,
                ));
            }
            no_empty(file, "tokens", &r.tokens)?;
            let tokens = if r.tokens.is_empty() {
                None
            } else {
                Some(automaton(file, &r.tokens, "tokens")?)
            };
            let (meta, scope, message, help, examples) = common!(r, Fixability::None);
            PackRule {
                meta,
                scope,
                message,
                help,
                examples,
                matcher: Matcher::Occurrence {
                    unit,
                    max_chars: r.max_chars,
                    tokens,
                    max: r.max.unwrap_or(usize::MAX),
                },
                words: r.tokens,
                shared: None,
                skip_quoted: false,
            }
        }
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

fn render(template: &str, found: &str, expected: &str) -> String {
    template
        .replace("{found}", found)
        .replace("{expected}", expected)
}

/// One automaton over the strings of many pack rules: a document is scanned once for all of
/// them, not once per rule. Each rule then picks its own matches and resolves them leftmost-
/// longest, exactly as its own automaton would (see [`PackRule::find`]).
pub struct SharedScan {
    /// Tells caches of different scans apart.
    id: usize,
    ac: AhoCorasick,
    /// Which pieces can hold a string at all, tested before the automaton runs.
    heads: Heads,
    /// The longest string's length in bytes.
    max_len: usize,
    /// Fused pattern → (rule slot, the rule's own pattern id) for every rule that has the string.
    owners: Vec<Vec<(usize, usize)>>,
}

impl SharedScan {
    fn hits<'a>(&self, doc: &'a Document) -> std::borrow::Cow<'a, [Hit]> {
        let (id, hits) = doc.scan_cache.0.get_or_init(|| {
            let t = crate::timings::start();
            let hits = self.scan(doc);
            crate::timings::nested("packs: shared scan", t);
            (self.id, hits)
        });
        if *id == self.id {
            std::borrow::Cow::Borrowed(hits)
        } else {
            std::borrow::Cow::Owned(self.scan(doc))
        }
    }

    /// Every occurrence of every string in the prose, sorted by start.
    ///
    /// Most pieces have none (2 % of paragraphs of news copy have one), so each piece is first
    /// searched for its earliest-ending occurrence, with the automaton's fast non-overlapping
    /// search; only a piece that has one is searched for all of them, from the earliest byte
    /// where an occurrence can start: every occurrence ends at or after that first one.
    fn scan(&self, doc: &Document) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (_, base, s) in doc.all_prose() {
            // No string starts before the first key.
            let Some(head) = self.heads.first(s) else {
                continue;
            };
            let Some(first) = self.ac.find(aho_corasick::Input::new(s).range(head..)) else {
                continue;
            };
            let from = first.end().saturating_sub(self.max_len).max(head);
            let input = aho_corasick::Input::new(s).range(from..);
            hits.extend(self.ac.find_overlapping_iter(input).map(|m| Hit {
                start: base + m.start(),
                end: base + m.end(),
                pattern: m.pattern().as_usize(),
            }));
        }
        hits.sort_unstable_by_key(|h| (h.start, h.end, h.pattern));
        hits
    }
}

/// The first bytes of every string of a [`SharedScan`]: a filter that tells, character by
/// character, whether a string can start there.
///
/// The automaton reads every byte through a table too big for the fastest cache (~3 ns a byte
/// on news copy); this reads one word and tests one bit of an 8 KiB table per character, and a
/// hit is confirmed exactly before the piece goes to the automaton. Pack strings are words of
/// two or more Han characters, so the first 6 bytes of a string are usually its key.
struct Heads {
    /// Key length in bytes: the shortest string's length, at most 8. 0 disables the filter.
    len: usize,
    /// 65,536 bits, one per hashed key.
    bits: Vec<u64>,
    /// Every key, sorted: what a set bit is checked against.
    keys: Vec<u64>,
}

impl Heads {
    fn new(strings: &[String]) -> Heads {
        let len = strings.iter().map(String::len).min().unwrap_or(0).min(8);
        let mut h = Heads {
            // One- and two-byte keys would match almost everywhere: no filter.
            len: if len >= 3 { len } else { 0 },
            bits: vec![0; 1024],
            keys: Vec::new(),
        };
        if h.len > 0 {
            for s in strings {
                let k = h.key(&s.as_bytes()[..h.len]);
                let b = Self::bit(k);
                h.bits[b / 64] |= 1 << (b % 64);
                h.keys.push(k);
            }
            h.keys.sort_unstable();
            h.keys.dedup();
        }
        h
    }

    /// The first `len` bytes of `b` as a number.
    #[inline]
    fn key(&self, b: &[u8]) -> u64 {
        crate::hash::le_word(&b[..self.len])
    }

    #[inline]
    fn bit(k: u64) -> usize {
        (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize
    }

    /// The first byte of `s` where a string can start, if any. No false negatives: every
    /// string starts at a character boundary with its key.
    fn first(&self, s: &str) -> Option<usize> {
        if self.len == 0 {
            return Some(0);
        }
        let b = s.as_bytes();
        let mask = if self.len == 8 {
            u64::MAX
        } else {
            (1u64 << (8 * self.len)) - 1
        };
        let mut i = 0;
        while i + self.len <= b.len() {
            let lead = b[i];
            let k = if i + 8 <= b.len() {
                u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes")) & mask
            } else {
                self.key(&b[i..])
            };
            let bit = Self::bit(k);
            if self.bits[bit / 64] & (1 << (bit % 64)) != 0 && self.keys.binary_search(&k).is_ok() {
                return Some(i);
            }
            i += crate::text::utf8_width(lead);
        }
        None
    }
}

/// Merge the automata of `rules` into one [`SharedScan`]. Used for the built-in packs.
pub fn share(rules: &mut [&mut PackRule]) {
    static NEXT_ID: AtomicUsize = AtomicUsize::new(0);
    let mut strings: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut owners: Vec<Vec<(usize, usize)>> = Vec::new();
    for (slot, r) in rules.iter().enumerate() {
        for (local, w) in r.words.iter().enumerate() {
            let k = *index.entry(w.clone()).or_insert_with(|| {
                strings.push(w.clone());
                owners.push(Vec::new());
                strings.len() - 1
            });
            owners[k].push((slot, local));
        }
    }
    if strings.is_empty() {
        return;
    }
    let Ok(ac) = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::DFA))
        .build(&strings)
    else {
        return; // too big to merge: every rule keeps its own automaton
    };
    let scan = Arc::new(SharedScan {
        id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        heads: Heads::new(&strings),
        max_len: strings.iter().map(String::len).max().unwrap_or(0),
        ac,
        owners,
    });
    for (slot, r) in rules.iter_mut().enumerate() {
        if !r.words.is_empty() {
            r.shared = Some((scan.clone(), slot));
        }
    }
}

impl PackRule {
    /// Matches of the rule's own automaton `ac` in `s` (at document offset `base`): byte
    /// ranges relative to `s` and the rule's pattern ids, leftmost-longest and non-overlapping.
    /// From the shared scan when there is one.
    fn find(
        &self,
        doc: &Document,
        base: usize,
        s: &str,
        ac: &AhoCorasick,
    ) -> Vec<(Range<usize>, usize)> {
        let Some((scan, slot)) = &self.shared else {
            return ac
                .find_iter(s)
                .map(|m| (m.range(), m.pattern().as_usize()))
                .collect();
        };
        let hits = scan.hits(doc);
        let end = base + s.len();
        let from = hits.partition_point(|h| h.start < base);
        let mut mine: Vec<(usize, std::cmp::Reverse<usize>, usize)> = hits[from..]
            .iter()
            .take_while(|h| h.start < end)
            .filter(|h| h.end <= end)
            .flat_map(|h| {
                scan.owners[h.pattern]
                    .iter()
                    .filter(|(sl, _)| sl == slot)
                    .map(move |&(_, local)| {
                        (h.start - base, std::cmp::Reverse(h.end - base), local)
                    })
            })
            .collect();
        // Leftmost first; at one start the longest, then the first pattern; no overlaps.
        mine.sort_unstable();
        let mut out = Vec::new();
        let mut next = 0;
        for (start, std::cmp::Reverse(stop), local) in mine {
            if start >= next {
                out.push((start..stop, local));
                next = stop;
            }
        }
        out
    }
}

impl PackRule {
    /// Has the shared scan found any of this rule's strings in `doc`? True without a shared
    /// scan: the rule's own search decides.
    fn any_shared_hit(&self, doc: &Document) -> bool {
        let Some((scan, slot)) = &self.shared else {
            return true;
        };
        scan.hits(doc)
            .iter()
            .any(|h| scan.owners[h.pattern].iter().any(|(sl, _)| sl == slot))
    }

    /// With `quoted = "skip"`: whether `r` lies inside quotation or title marks of `p`. The
    /// paragraph's quotations are found on first need and kept in `cache`.
    fn quoted(
        &self,
        doc: &Document,
        p: &Paragraph,
        cache: &mut Option<Vec<Range<usize>>>,
        r: &Range<usize>,
    ) -> bool {
        self.skip_quoted
            && crate::document::quotes::within(cache.get_or_insert_with(|| doc.quoted(p)), r)
    }

    fn in_scope(&self, zone: Zone) -> bool {
        self.scope.iter().any(|s| s.covers(zone))
    }

    fn finding(&self, range: Range<usize>, found: &str, expected: &str) -> Finding {
        let mut f = Finding::new(range, render(&self.message, found, expected));
        if let Some(h) = &self.help {
            f = f.help(render(h, found, expected));
        }
        f
    }
}

/// Whether an existence token found at `r` of `s` is the word: a token of up to three Han
/// characters must be read as whole words by the segmenter (呆子 is not the word in 书呆子, 影后
/// not in 踪影后). A two-character token must also not share a character with a more common word
/// next to it: in 弱智能 (弱 + 智能) the segmenter reads 弱智 + 能, but 智 makes 智能 with the
/// character after it, a word far more common than 弱智; the reading that makes the copy wrong is
/// the less likely one. (亲自带队 keeps 亲自: 自带 is the rarer word.)
fn short_token_is_a_word(s: &str, r: Range<usize>) -> bool {
    let t = &s[r.clone()];
    let n = t.chars().count();
    if n > 3 || !t.chars().all(crate::text::is_han) {
        return true;
    }
    if !crate::segment::is_whole_words(s, r.clone()) {
        return false;
    }
    if n != 2 {
        return true;
    }
    let last = t.char_indices().next_back().map_or(0, |(i, _)| i);
    let first_end = t.chars().next().map_or(0, char::len_utf8);
    let j = crate::segment::jieba();
    let freq = j.suggest_freq(t);
    let rivals = |w: Option<&str>| {
        w.is_some_and(|w| w.chars().count() >= 2 && j.has_word(w) && j.suggest_freq(w) >= freq)
    };
    // Read from the token's last character on, and up to its first character.
    !(rivals(crate::segment::first_word(&s[r.start + last..]))
        || rivals(crate::segment::last_word(&s[..r.start + first_end])))
}

/// Does `entry` apply at `start..end` of `s`, given its context lists?
fn context_ok(e: &Entry, s: &str, start: usize, end: usize) -> bool {
    let before = &s[..start];
    let after = &s[end..];
    if e.not_before.iter().any(|x| before.ends_with(x.as_str()))
        || e.not_after.iter().any(|x| after.starts_with(x.as_str()))
    {
        return false;
    }
    (e.only_after.is_empty() || e.only_after.iter().any(|x| after.starts_with(x.as_str())))
        && (e.only_before.is_empty() || e.only_before.iter().any(|x| before.ends_with(x.as_str())))
}

impl PackRule {
    pub fn meta(&self) -> &'static RuleMeta {
        self.meta
    }
}

impl Rule for PackRule {
    fn meta(&self) -> &'static RuleMeta {
        self.meta
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        // A rule on the shared scan with none of its strings in the document (most documents,
        // for most rules) and nothing else to look for is done.
        let word_lists_only = match &self.matcher {
            Matcher::Existence { patterns, .. } => patterns.is_empty(),
            Matcher::Substitution { .. } | Matcher::Consistency { .. } => true,
            Matcher::Occurrence { .. } => false,
        };
        if word_lists_only && !self.any_shared_hit(doc) {
            return;
        }
        match &self.matcher {
            Matcher::Existence {
                tokens,
                patterns,
                exceptions,
            } => {
                for p in doc.paragraphs.iter().filter(|p| self.in_scope(p.zone)) {
                    let mut quoted = None;
                    for (base, s) in doc.prose(p) {
                        let mut hits: Vec<Range<usize>> = Vec::new();
                        if let Some(ac) = tokens {
                            // A short token inside another word is not the word: 呆子 in 书呆子,
                            // 影后 in 踪影后 (the segmenter decides), 弱智 in 弱智能.
                            hits.extend(
                                self.find(doc, base, s, ac)
                                    .into_iter()
                                    .map(|m| m.0)
                                    .filter(|r| short_token_is_a_word(s, r.clone())),
                            );
                        }
                        for re in patterns {
                            hits.extend(
                                re.find_iter(s).filter(|m| !m.is_empty()).map(|m| m.range()),
                            );
                        }
                        hits.sort_by_key(|r| (r.start, r.end));
                        hits.dedup();
                        for r in hits {
                            let found = &s[r.clone()];
                            let excepted = exceptions.iter().any(|x| {
                                x.match_indices(found).any(|(k, _)| {
                                    r.start >= k
                                        && s.get(r.start - k..r.start - k + x.len())
                                            == Some(x.as_str())
                                })
                            });
                            let at = base + r.start..base + r.end;
                            if !excepted && !self.quoted(doc, p, &mut quoted, &at) {
                                out.push(self.finding(at, found, ""));
                            }
                        }
                    }
                }
            }
            Matcher::Substitution {
                ac,
                entries,
                by_wrong,
                fix,
            } => {
                for p in doc.paragraphs.iter().filter(|p| self.in_scope(p.zone)) {
                    let mut quoted = None;
                    for (base, s) in doc.prose(p) {
                        for (m, pattern) in self.find(doc, base, s, ac) {
                            let candidates = &by_wrong[pattern];
                            let Some(e) = candidates
                                .iter()
                                .map(|&i| &entries[i])
                                .find(|e| context_ok(e, s, m.start, m.end))
                            else {
                                continue;
                            };
                            let r = base + m.start..base + m.end;
                            if self.quoted(doc, p, &mut quoted, &r) {
                                continue;
                            }
                            let mut f = self.finding(r.clone(), &e.wrong, &e.right);
                            if let Some(safe) = fix {
                                let edit = vec![Edit {
                                    range: r,
                                    replacement: e.right.clone(),
                                }];
                                f = f.fix(if *safe {
                                    Fix::safe(edit)
                                } else {
                                    Fix::unsafe_(edit)
                                });
                            }
                            out.push(f);
                        }
                    }
                }
            }
            Matcher::Consistency { ac, variants } => {
                for article in &doc.articles {
                    // group -> variant -> uses
                    let mut uses: HashMap<usize, Vec<(usize, Range<usize>)>> = HashMap::new();
                    for p in doc.paragraphs[article.paragraphs.clone()]
                        .iter()
                        .filter(|p| self.in_scope(p.zone))
                    {
                        let mut quoted = None;
                        for (base, s) in doc.prose(p) {
                            for (m, k) in self.find(doc, base, s, ac) {
                                if self.quoted(doc, p, &mut quoted, &(base + m.start..base + m.end))
                                {
                                    continue;
                                }
                                uses.entry(variants[k].0)
                                    .or_default()
                                    .push((k, base + m.start..base + m.end));
                            }
                        }
                    }
                    let mut groups: Vec<_> = uses.into_iter().collect();
                    groups.sort_by_key(|(g, _)| *g);
                    for (_, list) in groups {
                        let mut counts: HashMap<usize, usize> = HashMap::new();
                        for (k, _) in &list {
                            *counts.entry(*k).or_default() += 1;
                        }
                        if counts.len() < 2 {
                            continue;
                        }
                        let first_of =
                            |k: usize| list.iter().position(|(x, _)| *x == k).unwrap_or(0);
                        let (&major, _) = counts
                            .iter()
                            .max_by_key(|(k, n)| (**n, std::cmp::Reverse(first_of(**k))))
                            .expect("two variants");
                        let first_major = list
                            .iter()
                            .find(|(k, _)| *k == major)
                            .map(|x| x.1.clone())
                            .unwrap_or(0..0);
                        for (k, r) in list.iter().filter(|(k, _)| *k != major) {
                            out.push(
                                self.finding(r.clone(), &variants[*k].1, &variants[major].1)
                                    .with_label(
                                        first_major.clone(),
                                        format!("这里写作“{}”", variants[major].1),
                                    ),
                            );
                        }
                    }
                }
            }
            Matcher::Occurrence {
                unit,
                max_chars,
                tokens,
                max,
            } => {
                let mut units: Vec<Vec<(usize, &str)>> = Vec::new();
                match unit {
                    Unit::Article => {
                        for a in &doc.articles {
                            units.push(
                                doc.paragraphs[a.paragraphs.clone()]
                                    .iter()
                                    .filter(|p| self.in_scope(p.zone))
                                    .flat_map(|p| doc.prose(p))
                                    .collect(),
                            );
                        }
                    }
                    Unit::Paragraph => {
                        for p in doc.paragraphs.iter().filter(|p| self.in_scope(p.zone)) {
                            units.push(doc.prose(p).collect());
                        }
                    }
                    Unit::Sentence => {
                        for p in doc.paragraphs.iter().filter(|p| self.in_scope(p.zone)) {
                            for (base, s) in doc.prose(p) {
                                let mut start = 0;
                                for (i, c) in s.char_indices() {
                                    if matches!(c, '。' | '！' | '？' | '!' | '?') {
                                        let end = i + c.len_utf8();
                                        units.push(vec![(base + start, &s[start..end])]);
                                        start = end;
                                    }
                                }
                                if start < s.len() {
                                    units.push(vec![(base + start, &s[start..])]);
                                }
                            }
                        }
                    }
                }
                for u in units {
                    let (Some(first), Some(last)) = (u.first(), u.last()) else {
                        continue;
                    };
                    let range = first.0..last.0 + last.1.len();
                    let chars: usize = u
                        .iter()
                        .map(|(_, s)| s.chars().filter(|c| !c.is_whitespace()).count())
                        .sum();
                    if let Some(limit) = max_chars {
                        if chars > *limit {
                            out.push(self.finding(
                                range.clone(),
                                &chars.to_string(),
                                &limit.to_string(),
                            ));
                            continue;
                        }
                    }
                    if let Some(ac) = tokens {
                        let n: usize = u
                            .iter()
                            .map(|(base, s)| self.find(doc, *base, s, ac).len())
                            .sum();
                        if n > *max {
                            out.push(self.finding(range, &n.to_string(), &max.to_string()));
                        }
                    }
                }
            }
        }
    }
}

/// Pack rules take no options besides `severity`.
pub fn no_options(t: &toml::Table) -> Result<(), OptionError> {
    match t.keys().next() {
        Some(k) => Err(OptionError {
            key: Some(k.clone()),
            message: format!("unknown field `{k}`: pack rules take only `severity`"),
        }),
        None => Ok(()),
    }
}

/// An example of a pack rule that did not behave as its file says.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    pub rule: String,
    pub text: String,
    pub expected: bool,
    pub found: usize,
    pub why: Option<String>,
}

/// Run a rule's `[[examples]]`: each text is linted as a whole plain-text document (so a short
/// line without final punctuation is a headline, as in real copy).
pub fn run_examples(rule: &PackRule) -> (usize, Vec<ExampleFailure>) {
    let mut failures = Vec::new();
    for e in &rule.examples {
        let doc = Document::parse(
            crate::source::SourceFile::from_text(e.text.clone(), false),
            crate::document::Format::Plain,
        );
        let mut out = Vec::new();
        rule.check(&doc, &mut out);
        if out.is_empty() == e.report {
            failures.push(ExampleFailure {
                rule: rule.meta.id.to_string(),
                text: e.text.clone(),
                expected: e.report,
                found: out.len(),
                why: e.why.clone(),
            });
        }
    }
    (rule.examples.len(), failures)
}

#[cfg(test)]
mod tests {
    use super::{builtin, load_pack, Heads, PackFile, PackRule};
    use crate::document::{Document, Format};
    use crate::rules::Rule;
    use crate::source::SourceFile;
    use proptest::prelude::*;
    use serde::Deserialize;

    fn findings(rule: &PackRule, text: &str) -> usize {
        let doc = Document::parse(
            SourceFile::from_text(text.to_string(), false),
            Format::Plain,
        );
        let mut out = Vec::new();
        rule.check(&doc, &mut out);
        out.len()
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Cases {
        case: Vec<Case>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Case {
        rule: String,
        text: String,
        report: usize,
        why: String,
    }

    /// fixtures/packs/quoted.toml: built-in rules with and without `quoted = "skip"`.
    #[test]
    fn quoted_fixture_cases_hold() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/packs/quoted.toml"
        );
        let text = std::fs::read_to_string(path).expect("fixture");
        let cases: Cases = toml::from_str(&text).expect("case file");
        let packs = builtin();
        let mut failures = Vec::new();
        for c in &cases.case {
            let rule = packs
                .iter()
                .flat_map(|p| &p.rules)
                .find(|r| r.meta.id == c.rule)
                .unwrap_or_else(|| panic!("no built-in rule {}", c.rule));
            let n = findings(rule, &c.text);
            if n != c.report {
                failures.push(format!(
                    "{}: {n} findings, want {} ({}): {}",
                    c.rule, c.report, c.why, c.text
                ));
            }
        }
        assert!(cases.case.len() >= 5);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    fn user_pack(manifest_extra: &str, rule_extra: &str) -> Result<PackRule, String> {
        let files = [
            PackFile {
                builtin: false,
                name: "house/pack.toml".into(),
                text: format!("name = \"house\"\nversion = \"1\"\ndescription = \"d\"\n{manifest_extra}"),
            },
            PackFile {
                builtin: false,
                name: "house/ban.toml".into(),
                text: format!(
                    "kind = \"existence\"\ndescription = \"d\"\nmessage = \"m\"\ntokens = [\"禁用语\"]\n{rule_extra}"
                ),
            },
        ];
        load_pack("house", &files)
            .map(|mut p| p.rules.remove(0))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn quoted_is_a_pack_default_that_a_rule_overrides() {
        let text = "他说“禁用语”不能用。禁用语不能用。";
        let report = user_pack("", "").expect("pack");
        assert_eq!(
            findings(&report, text),
            2,
            "default: quoted text is reported"
        );
        let skip = user_pack("quoted = \"skip\"", "").expect("pack");
        assert_eq!(findings(&skip, text), 1, "pack.toml: quoted text skipped");
        let over = user_pack("quoted = \"skip\"", "quoted = \"report\"").expect("pack");
        assert_eq!(findings(&over, text), 2, "the rule file overrides its pack");
        let rule_only = user_pack("", "quoted = \"skip\"").expect("pack");
        assert_eq!(
            findings(&rule_only, "《禁用语》一书"),
            0,
            "title marks count as quoted"
        );
        assert!(user_pack("", "quoted = \"never\"").is_err());
        assert!(user_pack("quoted = 1", "").is_err());
    }

    fn heads(words: &[&str]) -> Heads {
        Heads::new(&words.iter().map(|w| w.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn heads_find_every_start_and_reject_the_rest() {
        let h = heads(&["截止目前", "其它", "纳人"]);
        assert_eq!(h.len, 6);
        // The first key's byte offset: the automaton starts there.
        assert_eq!(h.first("全省截止目前已有"), Some(6));
        assert_eq!(h.first("其它"), Some(0));
        assert_eq!(h.first("a其它，其它"), Some(1));
        assert!(h.first("截至目前，其他工作").is_none());
        assert!(h.first("").is_none());
        assert!(h.first("其").is_none());
        // A string shorter than 3 bytes disables the filter.
        assert_eq!(heads(&["ab", "其它"]).first("xyz"), Some(0));
    }

    proptest! {
        #[test]
        fn heads_have_no_false_negatives(
            before in "[a-z1，其它截止目前的 ]{0,12}",
            after in "[a-z1，其它截止目前的 ]{0,12}",
            k in 0usize..3,
        ) {
            let words = ["截止目前", "其它", "Ｘ光片"];
            let h = heads(&words);
            let s = format!("{before}{}{after}", words[k]);
            // At or before the string we put in: never past a string's start.
            prop_assert!(h.first(&s).is_some_and(|i| i <= before.len()));
        }
    }
}
