//! Inputs that once broke an invariant (found by the fuzzer in `fuzz/`, or written by hand to
//! pin an edge case) run through the same checks as the fuzz target.

use std::path::Path;

#[test]
fn fuzz_regression_inputs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz");
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let data = std::fs::read(&p).unwrap();
        newslint_core::selfcheck::check_bytes(&data);
        n += 1;
    }
    assert!(n >= 5, "regression inputs present ({n})");
}

#[test]
fn edge_cases() {
    let cases: &[&[u8]] = &[
        b"",
        b"\n\n\n",
        b"\r\r\r\n\r",
        "\u{FEFF}".as_bytes(),
        "\u{3000}\u{3000}".as_bytes(),
        "(".as_bytes(),
        "中(".as_bytes(),
        ")中".as_bytes(),
        "中,".as_bytes(),
        "“”‘’《》（）【】".as_bytes(),
        "# \n\n```\n中,文\n".as_bytes(),
        "[链接](http://a.com/,)中,".as_bytes(),
        "本报讯（".as_bytes(),
        "本报讯(记者".as_bytes(),
        "二O".as_bytes(),
        "O二".as_bytes(),
        "１２３".as_bytes(),
        "3-".as_bytes(),
        "三、".as_bytes(),
        "的的的的的的".as_bytes(),
        "流程流程流程流程".as_bytes(),
        "16.59亿元\n\n16.59亿".as_bytes(),
        "a\n\nb\n\na\n\nb".as_bytes(),
        "标题\n\n正文，提高社\n\n会救助。\n\n正文，提高社\n\n会救助。".as_bytes(),
        &[0xE4, 0xB8],
        &[0xFF, 0xFE, 0x00],
    ];
    for c in cases {
        newslint_core::selfcheck::check_bytes(c);
    }
}
