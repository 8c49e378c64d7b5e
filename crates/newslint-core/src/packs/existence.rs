//! `kind = "existence"`: words (`tokens`) or regexes (`patterns`) that should not appear,
//! with `exceptions` that contain them and are right.

use std::ops::Range;

use aho_corasick::AhoCorasick;
use regex::{Regex, RegexBuilder};

use super::loader::{
    automaton, common, error, find_key, no_empty, toml_error, PackFile, REGEX_SIZE_LIMIT,
};
use super::schema::{Existence, Quoted};
use super::{Matcher, PackRule};
use crate::diagnostic::Finding;
use crate::document::Document;
use crate::error::ConfigError;
use crate::rules::Fixability;

pub(super) fn load(
    file: &PackFile,
    id: &str,
    span: Range<usize>,
    quoted: Quoted,
) -> Result<PackRule, Box<ConfigError>> {
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
                Some("用前后字符写出上下文，或用 substitution 的 not-before / not-after".into()),
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
    let (meta, scope, message, help, examples) = common(file, id, &r.common(), Fixability::None)?;
    Ok(PackRule {
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
    })
}

impl PackRule {
    pub(super) fn check_existence(
        &self,
        doc: &Document,
        out: &mut Vec<Finding>,
        tokens: &Option<AhoCorasick>,
        patterns: &[Regex],
        exceptions: &[String],
    ) {
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
                    hits.extend(re.find_iter(s).filter(|m| !m.is_empty()).map(|m| m.range()));
                }
                hits.sort_by_key(|r| (r.start, r.end));
                hits.dedup();
                for r in hits {
                    let found = &s[r.clone()];
                    let excepted = exceptions.iter().any(|x| {
                        x.match_indices(found).any(|(k, _)| {
                            r.start >= k
                                && s.get(r.start - k..r.start - k + x.len()) == Some(x.as_str())
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
    use crate::segment::{has_word, suggest_freq};
    let freq = suggest_freq(t);
    let rivals = |w: Option<&str>| {
        w.is_some_and(|w| w.chars().count() >= 2 && has_word(w) && suggest_freq(w) >= freq)
    };
    // Read from the token's last character on, and up to its first character.
    !(rivals(crate::segment::first_word(&s[r.start + last..]))
        || rivals(crate::segment::last_word(&s[..r.start + first_end])))
}
