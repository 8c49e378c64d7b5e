//! Signs in the text that a paragraph was cut and goes on in the next one: a word or a number
//! split across the break, a mark closed or a particle opening the next paragraph, a word that
//! cannot end a sentence. The document model uses them to tell a deck from a cut first
//! paragraph; `broken-paragraph` adds the signs of the page's layout.

use crate::segment;
use crate::text;

use super::zones::parallel_clauses;

/// Why a pair of paragraphs is taken for one sentence cut in two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// A word of the dictionary is split across the break (提高社|会救助).
    Word(String),
    /// A number is split from its digits or its unit ("全市共有33" | "个").
    Number,
    /// The next paragraph closes a mark this one opened (《关于促进……交 | 流合作的若干措施》).
    Closes(char),
    /// The next paragraph opens with a mark no sentence opens with (，、。 or a closing mark).
    MarkStart(char),
    /// The next paragraph opens with a particle or suffix no sentence opens with (的 了 着 们).
    ParticleStart(String),
    /// This paragraph ends with a word that needs what follows (a preposition or conjunction);
    /// `true` when the word never ends a title either.
    DanglingEnd(String, bool),
    /// The next paragraph's first sentence is a fragment of a few characters ("质增效。");
    /// `true` for one or two characters ("库。"), which no sentence is.
    Fragment(bool),
    /// This paragraph holds finished sentences and its last one breaks off ("……。读书从来不").
    RunningText,
    /// The page indents its paragraphs and the next line is not indented: a continuation line.
    Unindented,
    /// This paragraph ends with a comma or 顿号.
    Comma(char),
    /// This paragraph's last sentence is a clause in progress (a comma inside it, an open mark).
    OpenClause,
    /// A dateline alone, separated from the text it opens.
    Dateline,
}

impl Evidence {
    /// Evidence that holds whatever the paragraph looks like: it is enough after a line that
    /// could be a heading.
    pub fn strong(&self) -> bool {
        !matches!(
            self,
            Evidence::Comma(_)
                | Evidence::OpenClause
                | Evidence::Dateline
                | Evidence::Fragment(false)
                | Evidence::RunningText
                | Evidence::DanglingEnd(_, false)
        )
    }

    /// The join is right whatever the page looks like: the break falls inside a word or a
    /// number. Only then is the fix safe.
    pub fn join_is_certain(&self) -> bool {
        matches!(self, Evidence::Word(_) | Evidence::Number)
    }
}

/// Prepositions and conjunctions that never end a sentence or a title: a paragraph ending with
/// one was cut, whatever the paragraph looks like.
const DANGLING: &[&str] = &[
    "把", "被", "从", "向", "往", "对于", "关于", "随着", "根据", "按照", "为了", "由于", "因为",
    "如果", "虽然", "尽管", "以便", "以免", "除了", "以及", "并且", "而且", "或者", "还是", "是",
    "都是", "就是", "也是", "正是", "而是", "不是", "还有",
];

/// Words that end a sentence only rarely but may end a title ("政通方能人和", "初心永在",
/// "再次未获通过"): evidence of a cut in running text only.
const DANGLING_IN_TEXT: &[&str] = &[
    "在", "对", "和", "与", "及", "或", "并", "而", "将", "让", "使", "由", "给", "跟", "同", "比",
    "于", "自", "当", "通过", "包括", "的", "为", "不", "很", "最", "更", "越", "都", "也", "就",
    "才", "还", "又", "再", "正", "已", "曾", "刚", "要", "能", "会", "应", "可",
];

/// Particles and suffixes that cannot open a sentence.
const BOUND_START: &[&str] = &[
    "的", "地", "得", "了", "着", "过", "们", "之", "时", "里", "内",
];

/// Measure words and units that follow a number ("33" | "个非洲国家").
fn is_unit_start(c: char) -> bool {
    c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || matches!(c, '%' | '％' | '.' | '．')
        || "个位名家次年月日时分秒天周岁万亿千百元米克吨度倍项件条所户人辆架座台部批种类份股只头张本册篇场届期号层栋余多".contains(c)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// The strongest sign in the text alone that `a` was cut and continues in `b`. `display`: `a`
/// is a display line (a heading, deck or callout), where a composed line of parallel clauses
/// ends where it means to ("过犹不及，饮食有节" / "食养思想……": 节食 read across is a
/// coincidence).
pub fn in_text(a: &str, b: &str, display: bool) -> Option<Evidence> {
    let last = a.chars().next_back()?;
    let first = b.chars().next()?;
    let composed = display && parallel_clauses(a);
    if let Some(w) = segment::split_word(a, b).filter(|_| !composed) {
        return Some(Evidence::Word(w));
    }
    if is_digit(last) && is_unit_start(first) {
        return Some(Evidence::Number);
    }
    if let Some(c) = closes_first(a, b) {
        return Some(Evidence::Closes(c));
    }
    if matches!(first, '，' | '、' | '。' | '；' | ',' | ';') || text::is_closing_mark(first) {
        return Some(Evidence::MarkStart(first));
    }
    if let Some(w) = segment::first_word(b).filter(|w| BOUND_START.contains(w)) {
        return Some(Evidence::ParticleStart(w.to_string()));
    }
    let last_word = segment::last_word(a);
    if let Some(w) = last_word.filter(|w| DANGLING.contains(w)) {
        return Some(Evidence::DanglingEnd(w.to_string(), true));
    }
    if let Some(w) = last_word.filter(|w| DANGLING_IN_TEXT.contains(w)) {
        return Some(Evidence::DanglingEnd(w.to_string(), false));
    }
    if let Some(n) = fragment_start(b) {
        // One or two characters, then the text goes on ("库。市委党校牵头……"): no sentence.
        let goes_on = b
            .chars()
            .skip(n + 1)
            .filter(|c| text::is_han(*c))
            .nth(3)
            .is_some();
        return Some(Evidence::Fragment(n <= 2 && goes_on));
    }
    // A short first sentence that opens with a conjunction ("和精神根源。") continues a phrase.
    if b.starts_with(['和', '与', '及', '或']) && b.find('。').is_some_and(|e| e <= 8 * 3) {
        return Some(Evidence::Fragment(true));
    }
    None
}

/// The weaker signs, in running text only: a comma at the end, a clause in progress, a last
/// sentence that breaks off.
pub fn in_running_text(a: &str) -> Option<Evidence> {
    let last = a.chars().next_back()?;
    if matches!(last, '，' | ',' | '、') {
        return Some(Evidence::Comma(last));
    }
    if open_clause(a) {
        return Some(Evidence::OpenClause);
    }
    running_text(a).then_some(Evidence::RunningText)
}

/// `a` holds a finished sentence before its unfinished last one of four or more characters.
fn running_text(a: &str) -> bool {
    let Some(i) = a.rfind(['。', '！', '？']) else {
        return false;
    };
    a[i..]
        .chars()
        .skip(1)
        .filter(|&c| text::is_han(c))
        .nth(1)
        .is_some()
}

/// A mark that `a` leaves open and `b` closes before it opens any: 》 ” ） 】.
fn closes_first(a: &str, b: &str) -> Option<char> {
    let pairs = [
        ('“', '”'),
        ('《', '》'),
        ('（', '）'),
        ('(', ')'),
        ('【', '】'),
    ];
    let close = b
        .chars()
        .take(80)
        .take_while(|c| !pairs.iter().any(|p| p.0 == *c))
        .find(|c| pairs.iter().any(|p| p.1 == *c))?;
    let (open, _) = pairs.iter().find(|p| p.1 == close).copied()?;
    let depth = a.chars().fold(0i32, |d, c| {
        if c == open {
            d + 1
        } else if c == close {
            d - 1
        } else {
            d
        }
    });
    (depth > 0).then_some(close)
}

/// The first sentence of `b` is a fragment of one to four Han characters ("质增效。"), not a
/// quote: its length.
fn fragment_start(b: &str) -> Option<usize> {
    let (end, _) = b
        .char_indices()
        .find(|&(_, c)| matches!(c, '。' | '！' | '？'))?;
    let head = &b[..end];
    let n = head.chars().count();
    ((1..=4).contains(&n) && head.chars().all(text::is_han)).then_some(n)
}

/// The last sentence of `s` (after its last full stop) is a clause in progress: it has a clause
/// separator (，、；) or an opening mark never closed. A final line with none of these
/// ("胡锦涛送花圈表示哀悼", "江泽民伟大光辉的一生") is a summary or title line, not a cut sentence.
fn open_clause(s: &str) -> bool {
    let tail = s.rfind('。').map_or(s, |i| &s[i + '。'.len_utf8()..]);
    if tail.contains(['，', ',', '、', '；', ';']) {
        return true;
    }
    let count = |c: char| tail.chars().filter(|&x| x == c).count();
    count('“') > count('”') || count('《') > count('》') || count('（') > count('）')
}
