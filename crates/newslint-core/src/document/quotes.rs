//! Quoted text: what stands inside quotation marks (“…”, ‘…’, 「…」, 『…』) and title marks
//! (《…》, 〈…〉) in one paragraph.
//!
//! Quoted text is another's wording or a mention of a word, not the copy's own voice: a quotation
//! of a historical document (“沧州多回回，与汉人杂居”), of a leader's writings, the title of a
//! work, an exhibition or a cartoon (“光眼瞎子张保”). A copy editor does not rewrite it, so rules
//! that prescribe the copy's own wording (pack option `quoted = "skip"`) leave it alone.
//!
//! Marks pair as a stack, innermost first; a closing mark with no opening of its kind is ignored.
//! A quotation still open at the end of the paragraph runs to its end: Chinese quotations over
//! several paragraphs open each paragraph with “ and close only the last.

use std::ops::Range;

/// The opening marks and their closing partners.
const PAIRS: [(char, char); 6] = [
    ('“', '”'),
    ('‘', '’'),
    ('「', '」'),
    ('『', '』'),
    ('《', '》'),
    ('〈', '〉'),
];

/// The byte ranges of `s` inside quotation or title marks, outermost quotations only, marks
/// excluded, in order and disjoint.
pub fn spans(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    // Open marks: (closing partner, byte after the opening mark).
    let mut open: Vec<(char, usize)> = Vec::new();
    for (i, c) in s.char_indices() {
        if let Some(&(_, close)) = PAIRS.iter().find(|(o, _)| *o == c) {
            open.push((close, i + c.len_utf8()));
        } else if PAIRS.iter().any(|(_, cl)| *cl == c) {
            let Some(k) = open.iter().rposition(|(close, _)| *close == c) else {
                continue;
            };
            let start = open[k].1;
            open.truncate(k);
            if open.is_empty() {
                out.push(start..i);
            }
        }
    }
    if let Some(&(_, start)) = open.first() {
        out.push(start..s.len());
    }
    out
}

/// Whether `r` lies inside one of `spans` (as [`spans`] returns them).
pub fn within(spans: &[Range<usize>], r: &Range<usize>) -> bool {
    let k = spans.partition_point(|q| q.end < r.end);
    spans
        .get(k)
        .is_some_and(|q| q.start <= r.start && r.end <= q.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(s: &str) -> Vec<&str> {
        spans(s).into_iter().map(|r| &s[r]).collect()
    }

    #[test]
    fn quotations_and_titles_are_found_outermost_first() {
        assert_eq!(
            quoted("清代《辛卯侍行记》记载，“沧州多回回，与汉人杂居”。"),
            ["辛卯侍行记", "沧州多回回，与汉人杂居"]
        );
        // Nested: the outer quotation only.
        assert_eq!(
            quoted("他说：“我读了《论持久战》。”然后"),
            ["我读了《论持久战》。"]
        );
        assert_eq!(
            quoted("“穆斯林国家的非穆斯林移民”“斯里兰卡冲突”等"),
            ["穆斯林国家的非穆斯林移民", "斯里兰卡冲突"]
        );
        assert!(quoted("没有引号的句子。").is_empty());
    }

    #[test]
    fn an_open_quotation_runs_to_the_end_and_a_stray_close_is_ignored() {
        // The first paragraphs of a quotation over several paragraphs.
        assert_eq!(
            quoted("“一、将第二条修改为：本法适用于"),
            ["一、将第二条修改为：本法适用于"]
        );
        assert_eq!(quoted("本法适用于全国。”他说"), Vec::<&str>::new());
        // Mismatched marks: 」 closes nothing.
        assert_eq!(quoted("“甲」乙”丙"), ["甲」乙"]);
    }

    #[test]
    fn within_tells_inside_from_outside() {
        let s = "甲“乙丙”丁";
        let q = spans(s);
        let at = |t: &str| {
            let i = s.find(t).expect("in s");
            within(&q, &(i..i + t.len()))
        };
        assert!(at("乙丙"));
        assert!(at("丙"));
        assert!(!at("甲"));
        assert!(!at("丁"));
        assert!(!at("丙”丁"));
        assert!(!within(&[], &(0..1)));
    }
}
