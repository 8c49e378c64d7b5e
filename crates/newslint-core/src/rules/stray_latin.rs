//! `stray-latin`: Latin-script words and look-alike letters inside Chinese sentences. See
//! [`DOCS`].

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Deserialize;

use super::{Fixability, OptionError, Rule, RuleEntry, RuleMeta};
use crate::diagnostic::{Edit, Finding, Fix, Severity};
use crate::document::{class, Document};
use crate::text::{is_cjk, is_han};

pub const DOCS: &str = r#"## What it does

Reports Latin-script text that does not belong in a Chinese sentence:

- an ordinary English word standing alone between Chinese characters ("督导组 and 执法组",
  "中国company走出国门"), looked up in a built-in list of function words and common words
  (`lints/stray-latin/english.txt`) plus the `deny` option;
- a Latin letter O (or the digit 0) used for the Chinese numeral 〇 ("二O二二年");
- a Cyrillic or Greek letter hiding inside a Latin word ("GDР" with a Cyrillic Р);
- Latin letters hiding inside a Cyrillic or Greek word: "ШAHC" (ШАНС) has a Ш, which no Latin
  letter looks like, so the word is Cyrillic and the Latin A, H, C are the intruders;
- full-width Latin letters ("ＡＢＣ").

## Why

A stray English word is a leftover from translation or a slip of the input method; look-alike
letters break search and text-to-speech; full-width Latin letters are not news style.

## Examples

Reported:

    工作站下设综合组、督导组 and 执法组。     ("and")
    二O二二年十月                           (a Latin O for 〇)
    ＡＢＣ公司                               (full-width letters)

Not reported:

- acronyms and terms news copy uses: GDP, PPT, APEC, 5G, PM2.5, iPhone, WiFi, TikTok (all
  capitals, digits or camel case), and the words in `lints/stray-latin/allow.txt` and `allow`;
- units and symbols after a number (5km, 10kV, 3.5kWh), chemical formulas (CO2, NaCl);
- URLs and e-mail addresses, code in Markdown;
- a gloss or a quoted term in brackets or quotation marks (世界卫生组织（WHO）, “Citywalk”);
- a phrase or sentence of two or more Latin words ("China Travel", a quotation);
- a lone Greek letter between Chinese characters (α粒子, γ射线).

## Options

- `allow` (list of strings): more Latin words never to report.
- `deny` (list of strings): more words to report when they stand alone in
  Chinese text.

## Fix safety

Safe for look-alikes (O → 〇 between Chinese numerals, a Cyrillic or Greek letter → its Latin
twin) and for full-width letters (→ half-width): the text reads the same. Latin letters in a
Cyrillic word (→ their Cyrillic twins) are an unsafe fix: the editor checks the original name.
The help names the intruders, never the letters of the word's own script. English words have no
fix; the help names a Chinese equivalent where there is an obvious one.
"#;

pub static META: RuleMeta = RuleMeta {
    id: Cow::Borrowed("stray-latin"),
    summary: Cow::Borrowed("English words and look-alike letters inside Chinese sentences"),
    default_severity: Severity::Error,
    default_enabled: true,
    fix: Fixability::Sometimes,
    docs: Cow::Borrowed(DOCS),
    options: Cow::Borrowed("# More Latin words never to report (case-insensitive)\nallow = []\n# More words to report when they stand alone in Chinese text\ndeny = []\n"),
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build };

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    allow: Vec<String>,
    deny: Vec<String>,
}

fn word_list(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .flat_map(str::split_whitespace)
        .map(str::to_lowercase)
}

fn builtin_english() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        word_list(include_str!("../../../../lints/stray-latin/english.txt")).collect()
    })
}

fn builtin_allow() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| word_list(include_str!("../../../../lints/stray-latin/allow.txt")).collect())
}

/// English function words: reported even when capitalised.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "from",
    "with", "is", "are", "was", "were", "this", "that",
];

/// A Chinese equivalent for the help line, where one is obvious.
fn chinese_for(word: &str) -> Option<&'static str> {
    Some(match word {
        "and" => "和",
        "or" => "或",
        "with" => "与",
        "of" => "的",
        "for" => "为",
        "company" => "公司",
        "economy" => "经济",
        "market" => "市场",
        "business" => "业务",
        "team" => "团队",
        "meeting" => "会议",
        "project" => "项目",
        "online" => "线上",
        "offline" => "线下",
        _ => return None,
    })
}

fn build(table: &toml::Table) -> Result<Box<dyn Rule>, OptionError> {
    let o: Options = super::parse_options(&META, table)?;
    Ok(Box::new(StrayLatin {
        allow: o.allow.iter().map(|w| w.to_lowercase()).collect(),
        deny: o.deny.iter().map(|w| w.to_lowercase()).collect(),
    }))
}

struct StrayLatin {
    allow: HashSet<String>,
    deny: HashSet<String>,
}

fn is_cyrillic(c: char) -> bool {
    matches!(c as u32, 0x0400..=0x04FF)
}

fn is_greek(c: char) -> bool {
    matches!(c as u32, 0x0370..=0x03FF)
}

/// The Latin twin of a Cyrillic or Greek look-alike letter.
fn latin_twin(c: char) -> Option<char> {
    Some(match c {
        'А' | 'Α' => 'A',
        'В' | 'Β' => 'B',
        'С' => 'C',
        'Е' | 'Ε' => 'E',
        'Н' | 'Η' => 'H',
        'І' | 'Ι' => 'I',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        'У' | 'Υ' => 'Y',
        'Ζ' => 'Z',
        'Ν' => 'N',
        'а' => 'a',
        'е' => 'e',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'с' => 'c',
        'у' => 'y',
        'х' => 'x',
        'і' => 'i',
        _ => return None,
    })
}

/// The Cyrillic twin of a Latin letter (the inverse of [`latin_twin`] for Cyrillic).
fn cyrillic_twin(c: char) -> Option<char> {
    Some(match c {
        'A' => 'А',
        'B' => 'В',
        'C' => 'С',
        'E' => 'Е',
        'H' => 'Н',
        'I' => 'І',
        'K' => 'К',
        'M' => 'М',
        'O' => 'О',
        'P' => 'Р',
        'T' => 'Т',
        'X' => 'Х',
        'Y' => 'У',
        'a' => 'а',
        'e' => 'е',
        'o' => 'о',
        'p' => 'р',
        'c' => 'с',
        'y' => 'у',
        'x' => 'х',
        'i' => 'і',
        _ => return None,
    })
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
}

/// Letters that make up a word token: Latin, and Cyrillic/Greek look-alikes mixed into it.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || is_cyrillic(c) || is_greek(c)
}

fn is_chinese_numeral(c: char) -> bool {
    matches!(
        c,
        '〇' | '零' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九'
    )
}

/// The characters around `s[start..end]`, past spaces, are Chinese or nothing, and at least one
/// of them is Chinese.
fn neighbours_chinese(s: &str, start: usize, end: usize) -> bool {
    let prev = s[..start].chars().rev().find(|c| *c != ' ');
    let next = s[end..].chars().find(|c| *c != ' ');
    let ok = |c: Option<char>| c.is_none_or(|c| is_cjk(c) || is_han(c));
    let chinese = |c: Option<char>| c.is_some_and(is_cjk);
    ok(prev) && ok(next) && (chinese(prev) || chinese(next))
}

impl Rule for StrayLatin {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        for (_, base, s) in doc.all_prose() {
            self.check_piece(doc, base, s, out);
        }
    }
}

impl StrayLatin {
    fn check_piece(&self, doc: &Document, base: usize, s: &str, out: &mut Vec<Finding>) {
        // Only pieces with something non-ASCII are of interest.
        if s.is_ascii() {
            return;
        }
        // URLs are found only when a word token needs the answer.
        let mut urls: Option<Vec<std::ops::Range<usize>>> = None;
        // Everything this rule starts at is a non-Han character; `resume` skips what a run or
        // token already consumed.
        let mut resume = 0;
        // The classes hold everything below U+0500 and the full-width letters: the index passes
        // over CJK marks undecoded.
        const READ: u8 = class::ASCII_LETTER
            | class::ASCII_DIGIT
            | class::ASCII_OTHER
            | class::LATIN_EXT
            | class::WIDE_ALNUM;
        for (i, c) in doc.non_han_in(base, s, READ) {
            // Everything the rule reads is ASCII, Greek, Cyrillic or a full-width letter: the
            // marks of Chinese copy (，。“”) are passed over first.
            if c as u32 >= 0x500 && !matches!(c, 'Ａ'..='Ｚ' | 'ａ'..='ｚ') {
                continue;
            }
            if i < resume {
                continue;
            }
            // Full-width Latin letters.
            if matches!(c, 'Ａ'..='Ｚ' | 'ａ'..='ｚ') {
                let end = s[i..]
                    .char_indices()
                    .find(|&(_, ch)| !matches!(ch, 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '０'..='９'))
                    .map_or(s.len(), |(j, _)| i + j);
                let run = &s[i..end];
                let ascii = crate::text::to_halfwidth(run);
                out.push(
                    Finding::new(base + i..base + end, format!("全角英文字母“{run}”"))
                        .label("全角字母")
                        .help(format!("英文字母用半角：“{ascii}”"))
                        .fix(Fix::safe(vec![Edit {
                            range: base + i..base + end,
                            replacement: ascii,
                        }])),
                );
                resume = end;
                continue;
            }
            // O, o, 0 (or a Cyrillic or Greek look-alike) between Chinese numerals: 二O二二.
            let after = i + c.len_utf8();
            if matches!(c, 'O' | 'o' | '0' | 'О' | 'о' | 'Ο' | 'ο')
                && s[..i].chars().next_back().is_some_and(is_chinese_numeral)
                && s[after..]
                    .chars()
                    .next()
                    .is_some_and(|n| is_chinese_numeral(n) || matches!(n, 'O' | 'o' | '0'))
            {
                let end = i + c.len_utf8();
                out.push(
                    Finding::new(base + i..base + end, format!("中文数字里混入了“{c}”"))
                        .label("应为〇")
                        .help("汉字数字的零写作“〇”（如“二〇二二年”）")
                        .fix(Fix::safe(vec![Edit {
                            range: base + i..base + end,
                            replacement: "〇".into(),
                        }])),
                );
                resume = end;
                continue;
            }
            if !is_word_char(c) {
                continue;
            }
            // A word token: letters and digits, with . - ' + & _ inside.
            let mut end = after;
            let mut rest = s[after..].chars().peekable();
            while let Some(ch) = rest.next() {
                let inner = matches!(ch, '.' | '-' | '\'' | '+' | '&' | '_')
                    && rest.peek().is_some_and(|&n| is_word_char(n));
                if is_word_char(ch) || inner {
                    end += ch.len_utf8();
                } else {
                    break;
                }
            }
            resume = end;
            // A run of digits is never reported (see `check_token`): no need to know URLs.
            if s[i..end].bytes().all(|x| x.is_ascii_digit()) {
                continue;
            }
            let urls = urls.get_or_insert_with(|| crate::text::url_spans(s));
            if urls.iter().any(|r| r.contains(&i)) {
                continue;
            }
            self.check_token(base, s, i, &s[i..end], out);
        }
    }

    /// A word token `token` at byte `i` of `s`.
    fn check_token(&self, base: usize, s: &str, i: usize, token: &str, out: &mut Vec<Finding>) {
        let end = i + token.len();
        let has_latin = token.chars().any(is_latin_letter);
        // Look-alikes: Cyrillic or Greek letters mixed into a Latin word.
        let foreign: Vec<(usize, char)> = token
            .char_indices()
            .filter(|(_, c)| is_cyrillic(*c) || is_greek(*c))
            .collect();
        if !foreign.is_empty() {
            let mixed = has_latin || token.chars().any(|c| c.is_ascii_digit());
            let lone_cyrillic = !mixed
                && token.chars().count() == 1
                && is_cyrillic(foreign[0].1)
                && neighbours_chinese(s, i, end);
            // A Cyrillic or Greek letter with no Latin twin (Ш in "ШAHC", ШАНС typed with Latin
            // A, H, C) says the word is Cyrillic or Greek: the Latin letters are the intruders.
            let host_foreign = has_latin && foreign.iter().any(|&(_, c)| latin_twin(c).is_none());
            if host_foreign {
                let cyrillic = foreign.iter().any(|&(_, c)| is_cyrillic(c));
                let script = if cyrillic { "西里尔" } else { "希腊" };
                for (off, c) in token.char_indices().filter(|(_, c)| is_latin_letter(*c)) {
                    let r = base + i + off..base + i + off + 1;
                    let twin = if cyrillic { cyrillic_twin(c) } else { None };
                    let mut f =
                        Finding::new(r.clone(), format!("{script}字母拼写的“{token}”里混入了拉丁字母“{c}”"))
                            .label(if twin.is_some() { "形似西里尔字母" } else { "拉丁字母" })
                            .help(format!(
                                "“{token}”里有拉丁字母没有的{script}字母：核对原词，把拉丁字母换成对应的{script}字母"
                            ));
                    // Unsafe: a mixed-script name may be meant; the editor checks the original.
                    if let Some(t) = twin {
                        f = f.fix(Fix::unsafe_(vec![Edit {
                            range: r,
                            replacement: t.to_string(),
                        }]));
                    }
                    out.push(f);
                }
                return;
            }
            if mixed || lone_cyrillic {
                for (off, c) in foreign {
                    let r = base + i + off..base + i + off + c.len_utf8();
                    let script = if is_cyrillic(c) {
                        "西里尔"
                    } else {
                        "希腊"
                    };
                    let mut f =
                        Finding::new(r.clone(), format!("“{token}”里混入了{script}字母“{c}”"))
                            .label("形似拉丁字母")
                            .help("换成对应的拉丁字母；形似字母会让检索和朗读出错");
                    if let Some(t) = latin_twin(c) {
                        f = f.fix(Fix::safe(vec![Edit {
                            range: r,
                            replacement: t.to_string(),
                        }]));
                    }
                    out.push(f);
                }
            }
            return;
        }
        if !has_latin {
            return;
        }
        let lower = token.to_lowercase();
        let denied = self.deny.contains(&lower);
        let letters = token.chars().count();
        let all_upper = token.chars().all(|c| !c.is_ascii_lowercase());
        let camel = token.chars().skip(1).any(|c| c.is_ascii_uppercase());
        let capitalised = token.chars().next().is_some_and(|c| c.is_ascii_uppercase());
        if letters < 2
            || token
                .chars()
                .any(|c| c.is_ascii_digit() || !c.is_ascii_alphabetic())
            || all_upper
            || camel
            || self.allow.contains(&lower)
            || (!denied && builtin_allow().contains(&lower))
        {
            return;
        }
        let known = denied || builtin_english().contains(&lower);
        if !known || (capitalised && !FUNCTION_WORDS.contains(&lower.as_str())) {
            return;
        }
        // A unit after a number: 5km, 3 cm.
        let before = s[..i].trim_end_matches(' ').chars().next_back();
        if before.is_some_and(|c| c.is_ascii_digit()) {
            return;
        }
        // Alone between Chinese: not part of a Latin phrase, not quoted or glossed.
        if !neighbours_chinese(s, i, end) {
            return;
        }
        let prev = s[..i].chars().next_back();
        let next = s[end..].chars().next();
        let quoted = matches!(prev, Some('“' | '‘' | '《' | '（' | '(' | '「' | '"'))
            || matches!(next, Some('”' | '’' | '》' | '）' | ')' | '」' | '"'));
        if quoted {
            return;
        }
        let help = match chinese_for(&lower) {
            Some(zh) => format!("改用中文表述（如“{zh}”）"),
            None => "改用中文表述，或确认这是必须保留的外文".to_string(),
        };
        out.push(
            Finding::new(
                base + i..base + end,
                format!("中文句子里夹杂英文单词“{token}”"),
            )
            .label("英文单词")
            .help(help),
        );
    }
}

#[cfg(test)]
mod tests {

    fn findings(text: &str) -> Vec<crate::diagnostic::Finding> {
        crate::rules::findings_with_defaults(&super::ENTRY, text)
    }

    /// Issue 15: in "ШAHC" the Latin letters are the intruders; nothing tells the editor to
    /// replace or delete the Cyrillic Ш.
    #[test]
    fn latin_letters_in_a_cyrillic_word_are_the_intruders() {
        let text = "俄罗斯媒体ШAHC报道了这一消息。";
        let out = findings(text);
        let found: Vec<&str> = out.iter().map(|f| &text[f.range.clone()]).collect();
        assert_eq!(found, ["A", "H", "C"]);
        for f in &out {
            assert!(f.message.text().contains("混入了拉丁字母"), "{}", f.message);
            let help = f.help.as_deref().unwrap_or("");
            assert!(help.contains("把拉丁字母换成对应的西里尔字母"), "{help}");
            assert!(!help.contains("换成对应的拉丁字母"), "{help}");
        }
        // A Latin word with a Cyrillic look-alike is still the other way round.
        let text = "今年GDР增长5%。";
        let out = findings(text);
        assert_eq!(out.len(), 1);
        assert_eq!(&text[out[0].range.clone()], "Р");
        assert!(out[0].message.text().contains("西里尔字母"));
    }
}
