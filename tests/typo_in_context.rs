//! typo/in-context's language-model checks through `check` (`language-model = true`): a wrong
//! character is reported with an unsafe fix, and the page's guards hold (numerals, surnames and
//! names, a word the segmenter reads, a character written again in a parallel phrase).

mod common;
use common::*;

/// The suggested characters `check` reports for `body` with the model on.
fn suggested(body: &str) -> Vec<String> {
    let dir = folder(&[
        (
            ".lintrc.toml",
            "[rules.\"typo/in-context\"]\nlanguage-model = true\n",
        ),
        ("a.txt", &format!("标题\n\n{body}\n")),
    ]);
    let o = run(
        dir.path(),
        &[
            "check",
            "--select",
            "typo/in-context",
            "--format",
            "json",
            "a.txt",
        ],
    );
    let v = json(&o);
    v["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    assert_eq!(d["fix"]["applicability"], "unsafe", "{d}");
                    d["fix"]["edits"][0]["replacement"]
                        .as_str()
                        .unwrap_or("")
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_wrong_character_is_reported_with_the_model() {
    assert_eq!(suggested("执法有机结合，严历打击违法行为。"), ["厉"]);
    assert_eq!(suggested("他对工作认真负则。"), ["责"]);
}

#[test]
fn must_not_cases() {
    for body in [
        // A surname and its given name (陈严历: 严厉 would lie inside the name).
        "陈严历出席会议。",
        // A transliterated name the segmenter reads as one.
        "尼日尔总统巴祖姆表示。",
        // A character written again in a parallel phrase.
        "加快推进复工复产复商复市。",
        // Right copy; next to a numeral.
        "执法有机结合，严厉打击违法行为。",
        "党的十八届三中全会召开。",
    ] {
        assert!(suggested(body).is_empty(), "{body}");
    }
}
