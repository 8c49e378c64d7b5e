//! `--format html`: marks, escaping, self-containment, large files, determinism. The page is read
//! back with a small tokenizer of the markup the renderer writes (lines, marks, anchors), so a
//! finding's marked characters can be compared with its byte range in the JSON report. The same
//! check in a real browser is `tests/html_browser.rs`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{code, err, folder, out, root, run, sandbox, unescape_html, write};
use newslint_core::catalog::Catalog;
use newslint_core::diagnostic::{Applicability, Diagnostic, Edit, Fix, ResolvedLabel, Severity};
use newslint_core::driver::FileOutcome;
use newslint_core::report::{html, Summary};
use newslint_core::source::SourceFile;
use proptest::prelude::*;
use regex::Regex;

/// One position of a rendered line: a character with the findings and labels marked on it, or a
/// point mark (a finding that shows no character) at that place.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cell {
    Char(char, BTreeSet<usize>, BTreeSet<String>),
    Point(BTreeSet<usize>, BTreeSet<String>),
}

/// A rendered line: its number and cells.
type Line = (usize, Vec<Cell>);

fn ids(s: Option<regex::Match<'_>>) -> BTreeSet<usize> {
    s.map(|m| m.as_str().split(' ').map(|x| x.parse().unwrap()).collect())
        .unwrap_or_default()
}

fn labels(s: Option<regex::Match<'_>>) -> BTreeSet<String> {
    s.map(|m| m.as_str().split(' ').map(str::to_string).collect())
        .unwrap_or_default()
}

/// The lines of every text block in `html` (or in one file's section of it), in order.
fn lines(html: &str) -> Vec<Line> {
    let line = Regex::new(r#"<div class="l" data-n="(\d+)">(.*?)</div>\n"#).unwrap();
    let token = Regex::new(
        r#"<span class="anc" id="[^"]+"></span>|<span class="cut">…</span>|<mark class="([^"]*)"(?: data-f="([^"]*)")?(?: data-l="([^"]*)")? tabindex="(0|-1)">([^<]*)</mark>|([^<]+)"#,
    )
    .unwrap();
    let mut out = Vec::new();
    for l in line.captures_iter(html) {
        let n: usize = l[1].parse().unwrap();
        let mut cells = Vec::new();
        let body = &l[2];
        let mut seen = 0;
        let mut after_anchor = false;
        for t in token.captures_iter(body) {
            let m = t.get(0).unwrap();
            assert_eq!(m.start(), seen, "unexpected markup in line {n}: {body}");
            seen = m.end();
            let anchor = m.as_str().starts_with("<span class=\"anc\"");
            if t.get(1).is_some() {
                // The first piece of a finding or label (an anchor before it) is a tab stop.
                assert_eq!(&t[4] == "0", after_anchor, "tab stop: {}", m.as_str());
            }
            after_anchor = anchor;
            if let Some(text) = t.get(6) {
                for c in unescape_html(text.as_str()).chars() {
                    cells.push(Cell::Char(c, BTreeSet::new(), BTreeSet::new()));
                }
            } else if t.get(1).is_some() {
                let (f, lb) = (ids(t.get(2)), labels(t.get(3)));
                assert!(
                    !f.is_empty() || !lb.is_empty(),
                    "a mark for nothing: {}",
                    m.as_str()
                );
                let text = unescape_html(&t[5]);
                if text.is_empty() {
                    assert!(t[1].contains(" pt"), "an empty mark that is no point mark");
                    cells.push(Cell::Point(f, lb));
                } else {
                    for c in text.chars() {
                        cells.push(Cell::Char(c, f.clone(), lb.clone()));
                    }
                }
            }
        }
        assert_eq!(seen, body.len(), "unexpected markup in line {n}: {body}");
        out.push((n, cells));
    }
    out
}

/// The section of file `i` (up to the next section).
fn section(html: &str, i: usize) -> &str {
    let start = html
        .find(&format!("<section class=\"file\" id=\"file-{i}\">"))
        .unwrap_or_else(|| panic!("no section for file {i}"));
    let end = html[start..].find("</section>").unwrap() + start;
    &html[start..end]
}

/// Characters marked for finding `k`, in page order, and the number of its point marks.
fn marked(lines: &[Line], k: usize) -> (String, usize) {
    let mut s = String::new();
    let mut points = 0;
    for (_, cells) in lines {
        for c in cells {
            match c {
                Cell::Char(ch, f, _) if f.contains(&k) => s.push(*ch),
                Cell::Point(f, _) if f.contains(&k) => points += 1,
                _ => {}
            }
        }
    }
    (s, points)
}

/// What a finding must show: its text without line breaks.
fn visible(text: &str, range: std::ops::Range<usize>) -> String {
    text[range]
        .chars()
        .filter(|&c| c != '\n' && c != '\r')
        .collect()
}

/// The HTML report of every page in `dir`, without a config.
fn html_of(dir: &Path) -> std::process::Output {
    run(dir, &["check", "--no-config", "--format", "html", "."])
}

// ---------------------------------------------------------------------------------------------
// The seed pages: every finding of the JSON report is marked, on exactly its characters.

#[test]
fn every_seed_finding_is_marked_on_its_characters() {
    let json = run(
        root(),
        &["check", "--no-config", "--format", "json", "fixtures/seeds"],
    );
    let page = run(
        root(),
        &["check", "--no-config", "--format", "html", "fixtures/seeds"],
    );
    assert_eq!(code(&page), 1, "{}", err(&page));
    let html = out(&page);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(diags.len() > 300, "the seeds have 304 findings");
    let paths: Vec<&str> = {
        let mut p: Vec<&str> = diags.iter().map(|d| d["path"].as_str().unwrap()).collect();
        p.dedup();
        p
    };
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, path) in paths.iter().enumerate() {
        let text = std::fs::read_to_string(root().join(path)).unwrap();
        let sec = section(&html, i);
        let ls = lines(sec);
        // The file's text is all there, line by line.
        let shown: Vec<String> = ls
            .iter()
            .map(|(_, cells)| {
                cells
                    .iter()
                    .filter_map(|c| match c {
                        Cell::Char(ch, ..) => Some(*ch),
                        Cell::Point(..) => None,
                    })
                    .collect()
            })
            .collect();
        let want: Vec<&str> = text.lines().collect();
        assert_eq!(shown, want, "{path}");
        for (k, d) in diags.iter().enumerate() {
            if d["path"] != *path {
                continue;
            }
            let range = d["byte_start"].as_u64().unwrap() as usize
                ..d["byte_end"].as_u64().unwrap() as usize;
            let want = visible(&text, range);
            let (got, points) = marked(&ls, k);
            assert_eq!(
                got, want,
                "finding {k} ({}) at {path}:{}",
                d["rule"], d["line"]
            );
            assert_eq!(points, usize::from(want.is_empty()), "finding {k}");
            assert_eq!(sec.matches(&format!("id=\"f{k}\"")).count(), 1);
            assert!(
                sec.contains(&format!("<li id=\"d{k}\" ")),
                "list entry of {k}"
            );
            // Labels: each marked (a point when empty) with an anchor.
            for j in 0..d["labels"].as_array().unwrap().len() {
                let key = format!("{k}.{j}");
                let n: usize = ls
                    .iter()
                    .flat_map(|(_, c)| c)
                    .filter(|c| match c {
                        Cell::Char(_, _, l) | Cell::Point(_, l) => l.contains(&key),
                    })
                    .count();
                assert!(n > 0, "label {key} is not marked");
                assert_eq!(sec.matches(&format!("id=\"f{k}l{j}\"")).count(), 1);
            }
            *by_rule.entry(d["rule"].as_str().unwrap()).or_default() += 1;
        }
    }
    // The summary's rule table agrees with the JSON report.
    for (rule, n) in by_rule {
        let row = format!("<input type=\"checkbox\" data-rule=\"{rule}\" checked> <code>{rule}</code> <span class=\"c\">{n}</span>");
        assert!(html.contains(&row), "{row}");
    }
}

// ---------------------------------------------------------------------------------------------
// Overlapping, nested, identical and empty findings, built through the library.

fn diag(src: &SourceFile, rule: &str, sev: Severity, range: std::ops::Range<usize>) -> Diagnostic {
    Diagnostic {
        rule: rule.to_string().into(),
        severity: sev,
        message: format!("{rule} 的问题").into(),
        label: "".into(),
        help: None,
        start: src.position(range.start),
        end: src.position(range.end),
        range,
        labels: Default::default(),
        fix: None,
    }
}

fn label(src: &SourceFile, range: std::ops::Range<usize>, message: &str) -> ResolvedLabel {
    ResolvedLabel {
        start: src.position(range.start),
        end: src.position(range.end),
        range,
        message: message.to_string().into(),
    }
}

fn page_of(path: &str, text: &str, diagnostics: Vec<Diagnostic>) -> String {
    let outcomes = vec![FileOutcome {
        path: path.to_string(),
        diagnostics,
        rendered: text.to_string(),
        ..Default::default()
    }];
    newslint_core::report::to_string(|w| {
        html::write(w, &outcomes, &Summary::of(&outcomes), &Catalog::builtin())
    })
}

/// Check a page of one file against coverage computed character by character.
fn check_coverage(text: &str, diags: &[Diagnostic], html: &str) {
    let ls = lines(html);
    let src = SourceFile::from_text(text.to_string(), false);
    let mut offset_of_line = BTreeMap::new();
    for i in 0..src.line_count() {
        offset_of_line.insert(i + 1, src.line_range(i));
    }
    let mut points: BTreeMap<(usize, String), usize> = BTreeMap::new();
    for (n, cells) in &ls {
        let mut at = offset_of_line[n].start;
        for c in cells {
            match c {
                Cell::Char(ch, f, l) => {
                    let end = at + ch.len_utf8();
                    let want_f: BTreeSet<usize> = diags
                        .iter()
                        .enumerate()
                        .filter(|(_, d)| d.range.start <= at && end <= d.range.end)
                        .map(|(k, _)| k)
                        .collect();
                    let want_l: BTreeSet<String> = diags
                        .iter()
                        .enumerate()
                        .flat_map(|(k, d)| d.labels.iter().enumerate().map(move |(j, l)| (k, j, l)))
                        .filter(|(_, _, l)| l.range.start <= at && end <= l.range.end)
                        .map(|(k, j, _)| format!("{k}.{j}"))
                        .collect();
                    assert_eq!(
                        (&want_f, &want_l),
                        (f, l),
                        "character {ch:?} at {at} in {text:?}"
                    );
                    at = end;
                }
                Cell::Point(f, l) => {
                    for k in f {
                        *points.entry((at, k.to_string())).or_default() += 1;
                    }
                    for k in l {
                        *points.entry((at, k.clone())).or_default() += 1;
                    }
                }
            }
        }
        assert_eq!(at, offset_of_line[n].end, "line {n} is shown whole");
    }
    // A finding (or label) that covers no visible character is a point at its start (clamped to
    // its line's text), exactly once.
    let mut want_points = BTreeMap::new();
    let mut point = |range: &std::ops::Range<usize>, key: String| {
        let shows = text[range.clone()].chars().any(|c| c != '\n' && c != '\r');
        if !shows {
            let c = src.line_range(src.line_index(range.start));
            want_points.insert((range.start.clamp(c.start, c.end), key), 1);
        }
    };
    for (k, d) in diags.iter().enumerate() {
        point(&d.range, k.to_string());
        for (j, l) in d.labels.iter().enumerate() {
            point(&l.range, format!("{k}.{j}"));
        }
    }
    assert_eq!(points, want_points, "point marks in {text:?}");
    for k in 0..diags.len() {
        assert_eq!(
            html.matches(&format!("id=\"f{k}\"")).count(),
            1,
            "anchor of {k}"
        );
    }
}

#[test]
fn overlapping_nested_identical_and_empty_findings_are_all_marked() {
    // 甲乙丙丁 / 戊己庚辛 (3 bytes a character).
    let text = "甲乙丙丁\n戊己庚辛\n";
    let src = SourceFile::from_text(text.to_string(), false);
    let mut a = diag(&src, "a", Severity::Warning, 0..12); // the whole first line
    a.labels.push(label(&src, 16..19, "相关位置")); // 己
    let diags = vec![
        a,
        diag(&src, "b", Severity::Error, 3..6), // 乙, nested in a
        diag(&src, "c", Severity::Info, 3..6),  // 乙 again, identical to b
        diag(&src, "d", Severity::Error, 9..19), // 丁 to 己, across the line break
        diag(&src, "e", Severity::Info, 6..6),  // empty, before 丙
        diag(&src, "f", Severity::Warning, 12..13), // only the line break
    ];
    let html = page_of("a.txt", text, diags.clone());
    check_coverage(text, &diags, &html);
    // The piece 乙 carries a, b and c, coloured as its worst (b: error) and marked as an overlap.
    assert!(
        html.contains(r#"<mark class="m e x" data-f="0 1 2" tabindex="0">乙</mark>"#),
        "{html}"
    );
    // 己 carries d and a's label.
    assert!(html.contains(r#"<mark class="m e" data-f="3" data-l="0.0" tabindex="0">己</mark>"#));
    // Every finding has its entry for the popup.
    for k in 0..diags.len() {
        assert!(html.contains(&format!("<li id=\"d{k}\" ")));
    }
}

/// A finding as a character range, with perhaps one label.
type Span = (usize, usize, Option<(usize, usize)>);

/// Text of a few short lines from a small alphabet, and findings as character ranges.
fn case() -> impl Strategy<Value = (String, Vec<Span>)> {
    let text = proptest::collection::vec(
        prop_oneof![
            Just('甲'),
            Just('乙'),
            Just('a'),
            Just('('),
            Just('\n'),
            Just('&')
        ],
        0..30,
    )
    .prop_map(|v| v.into_iter().collect::<String>());
    text.prop_flat_map(|t| {
        let n = t.chars().count();
        let range = (0..=n, 0..=n).prop_map(|(a, b)| (a.min(b), a.max(b)));
        let one = (range.clone(), proptest::option::of(range)).prop_map(|((s, e), l)| (s, e, l));
        (Just(t), proptest::collection::vec(one, 0..7))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn marks_match_coverage_for_any_overlap((text, spans) in case()) {
        let src = SourceFile::from_text(text.clone(), false);
        let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
        let sevs = [Severity::Error, Severity::Warning, Severity::Info];
        let diags: Vec<Diagnostic> = spans
            .iter()
            .enumerate()
            .map(|(k, (s, e, l))| {
                let mut d = diag(&src, "r", sevs[k % 3], byte(*s)..byte(*e));
                if let Some((ls, le)) = l {
                    d.labels.push(label(&src, byte(*ls)..byte(*le), "标注"));
                }
                d
            })
            .collect();
        let html = page_of("p.txt", &text, diags.clone());
        check_coverage(&text, &diags, &html);
    }
}

// ---------------------------------------------------------------------------------------------
// Escaping.

#[test]
fn markup_in_copy_messages_fixes_and_file_names_is_escaped() {
    let text = "<script>alert(1)</script> & 今天(9月1日)开会";
    let src = SourceFile::from_text(text.to_string(), false);
    let evil = "</script><img src=x onerror=alert(2)>&amp;\"'";
    let mut d = diag(&src, "exclaim/too-many", Severity::Error, 0..8);
    d.message = format!("消息{evil}").into();
    d.label = evil.to_string().into();
    d.help = Some(format!("帮助{evil}").into());
    d.labels.push(label(&src, 26..27, evil));
    d.fix = Some(Box::new(Fix {
        applicability: Applicability::Unsafe,
        edits: [Edit {
            range: 0..8,
            replacement: evil.to_string(),
        }]
        .into(),
    }));
    let path = "稿件<script>alert(3)</script>&\".txt";
    let html = page_of(path, text, vec![d.clone()]);
    // Only the page's own two scripts, no element from the copy.
    assert_eq!(html.matches("<script").count(), 2);
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(!html.contains("<img"));
    assert!(!html.contains("alert(2)>"));
    assert!(html.contains("稿件&lt;script&gt;alert(3)&lt;/script&gt;&amp;&quot;.txt"));
    assert!(html.contains("&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&amp;amp;&quot;&#39;"));
    // The copy reads back exactly, with the mark on "<script>".
    check_coverage(text, &[d], &html);
    let ls = lines(&html);
    assert_eq!(marked(&ls, 0).0, "<script>");
}

#[test]
fn a_file_name_with_markup_through_the_cli() {
    let dir = folder(&[("稿<script>&b.txt", "<b>粗体</b> & 今天(9月1日)开会。\n")]);
    let o = html_of(dir.path());
    assert_eq!(code(&o), 1, "{}", err(&o));
    let html = out(&o);
    assert_eq!(html.matches("<script").count(), 2);
    assert!(!html.contains("<b>"));
    assert!(html.contains("稿&lt;script&gt;&amp;b.txt"));
    assert!(html.contains("&lt;b&gt;粗体&lt;/b&gt; &amp; 今天"));
    let ls = lines(&html);
    assert_eq!(marked(&ls, 0).0, "(");
}

// ---------------------------------------------------------------------------------------------
// Self-contained, and the Content-Security-Policy allows exactly the inline style and scripts.

/// SHA-256 (FIPS 180-4), to check the CSP hashes without a dependency.
fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([
                block[4 * i],
                block[4 * i + 1],
                block[4 * i + 2],
                block[4 * i + 3],
            ]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7]
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [
                t1.wrapping_add(t2),
                v[0],
                v[1],
                v[2],
                v[3].wrapping_add(t1),
                v[4],
                v[5],
                v[6],
            ];
        }
        for (a, b) in h.iter_mut().zip(v) {
            *a = a.wrapping_add(b);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[test]
fn sha256_matches_the_standard_vectors() {
    assert_eq!(
        base64(&sha256(b"abc")),
        "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
    );
    // FIPS 180-2's two-block example, in hex.
    let hex: String = sha256(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        hex,
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
    // Sixteen blocks (Python's hashlib).
    assert_eq!(
        base64(&sha256(&[b'a'; 1000])),
        "Qe3s5C1j6Nm/UVqbppMuHCDLyfWl0TRkWttdsblzfqM="
    );
}

#[test]
fn page_is_self_contained_and_the_csp_hashes_match() {
    for (name, code, constant) in [
        ("html.css (STYLE_HASH)", html::STYLE, html::STYLE_HASH),
        ("html.js (SCRIPT_HASH)", html::SCRIPT, html::SCRIPT_HASH),
        (
            "html-errors.js (ERROR_SCRIPT_HASH)",
            html::ERROR_SCRIPT,
            html::ERROR_SCRIPT_HASH,
        ),
    ] {
        let want = format!("'sha256-{}'", base64(&sha256(code.as_bytes())));
        assert_eq!(
            constant, want,
            "{name} changed: run scripts/html_csp_hashes.sh (or set the constant to {want})"
        );
    }
    let page = run(
        root(),
        &["check", "--no-config", "--format", "html", "fixtures/seeds"],
    );
    let html = out(&page);
    let csp =
        Regex::new(r#"<meta http-equiv="Content-Security-Policy" content="([^"]+)">"#).unwrap();
    let policy = &csp.captures(&html).expect("a CSP")[1];
    assert!(policy.starts_with("default-src 'none';"), "{policy}");
    assert!(policy.contains(&format!("style-src {};", html::STYLE_HASH)));
    assert!(!policy.contains("unsafe-inline") && !policy.contains("http"));
    // The inline code is exactly what was hashed.
    assert!(html.contains(&format!("<style>{}</style>", html::STYLE)));
    assert!(html.contains(&format!("<script>{}</script>", html::SCRIPT)));
    assert!(html.contains(&format!("<script>{}</script>", html::ERROR_SCRIPT)));
    // Nothing to load: no src attributes, no links but the empty data: icon, no CSS urls.
    assert!(!html.contains(" src="));
    assert_eq!(html.matches("<link").count(), 1);
    assert!(html.contains("<link rel=\"icon\" href=\"data:,\">"));
    for bad in [
        "url(",
        "@import",
        "http://",
        "https://",
        "//cdn",
        "fetch(",
        "XMLHttpRequest",
    ] {
        assert!(!html.contains(bad), "{bad}");
    }
    assert!(
        html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
    );
}

// ---------------------------------------------------------------------------------------------
// Runs: files without findings, large files, determinism.

#[test]
fn files_without_findings_are_listed_without_their_text() {
    let dir = sandbox("clean");
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    write(dir.path(), "zz.txt", "今天(9月1日)开会。\n");
    let o = html_of(dir.path());
    let html = out(&o);
    assert!(
        html.contains(&format!("没有问题的文件（{}）", names.len())),
        "{html}"
    );
    for (i, n) in names.iter().enumerate() {
        assert!(html.contains(&format!(
            "<li id=\"file-{i}\"><bdi class=\"path\">{n}</bdi></li>"
        )));
        assert!(!html.contains(&format!("<section class=\"file\" id=\"file-{i}\">")));
        // None of a clean file's lines is on the page.
        let first = std::fs::read_to_string(dir.path().join(n)).unwrap();
        let line = first.lines().find(|l| l.chars().count() > 10).unwrap();
        assert!(!html.contains(line), "{n}'s text is on the page");
    }
    let last = names.len();
    assert!(html.contains(&format!("<section class=\"file\" id=\"file-{last}\">")));
    assert_eq!(lines(&html).len(), 1, "only zz.txt's one line");
}

#[test]
fn a_large_file_is_shown_as_an_excerpt_around_its_findings() {
    // 300 KB: 2,000 clean lines, a finding on line 1000 and on a 3,000-character line 1500.
    let mut text = String::new();
    for i in 1..=2000 {
        match i {
            1000 => text.push_str("今天(9月1日)开会。\n"),
            1500 => {
                text.push_str(&"中".repeat(1500));
                text.push_str("会议(北京)召开");
                text.push_str(&"文".repeat(1500));
                text.push('\n');
            }
            _ => text.push_str(&format!(
                "第{i}段，这是一段没有问题的新闻正文，用来把文件撑大，它只是很长，长到超过全文显示的上限。\n"
            )),
        }
    }
    assert!(text.len() > html::FULL_TEXT_FILE);
    let dir = folder(&[("big.txt", &text)]);
    let o = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "html",
            "--select",
            "punctuation-width",
            "big.txt",
        ],
    );
    let html = out(&o);
    let ls = lines(&html);
    let numbers: Vec<usize> = ls.iter().map(|l| l.0).collect();
    assert_eq!(numbers, [999, 1000, 1001, 1499, 1500, 1501]);
    assert!(html.contains("…… 略去 998 行 ……"));
    assert!(html.contains("…… 略去 497 行 ……"));
    assert!(html.contains("…… 略去 499 行 ……"));
    assert!(!html.contains("第10段"));
    // The long line is cut to a window of 80 characters around its marks.
    let long = &ls[4].1;
    let chars = long.iter().filter(|c| matches!(c, Cell::Char(..))).count();
    assert_eq!(chars, 80 + "(北京)".chars().count() + 80);
    // One finding a line (the bracket pair), both marked.
    assert_eq!(html.matches("<li id=\"d").count(), 2);
    assert_eq!(marked(&ls, 0).0, "(");
    assert_eq!(marked(&ls, 1).0, "(");
}

#[test]
fn output_is_deterministic_and_the_same_for_any_thread_count() {
    let a = run(
        root(),
        &[
            "check",
            "--no-config",
            "--format",
            "html",
            "-j1",
            "fixtures/seeds",
            "fixtures/clean",
        ],
    );
    let b = run(
        root(),
        &[
            "check",
            "--no-config",
            "--format",
            "html",
            "-j2",
            "fixtures/seeds",
            "fixtures/clean",
        ],
    );
    assert_eq!(code(&a), 1);
    assert!(out(&a) == out(&b), "-j1 and -j2 differ");
    let c = run(
        root(),
        &["check", "--no-config", "--format", "html", "fixtures/clean"],
    );
    assert_eq!(code(&c), 0);
    assert!(out(&c).contains("没有发现问题。"));
}

#[test]
fn snapshot_of_a_real_page_excerpt() {
    // Lines 55-73 of seed page 002: a paragraph broken at a comma, two duplicated paragraphs,
    // ASCII punctuation. The style and scripts are left out (their hashes are tested above).
    let o = run(
        root(),
        &[
            "check",
            "--no-config",
            "--format",
            "html",
            "fixtures/html/seed-excerpt.txt",
        ],
    );
    assert_eq!(code(&o), 1, "{}", err(&o));
    let html = out(&o)
        .replace(html::STYLE, "[STYLE]")
        .replace(html::SCRIPT, "[SCRIPT]")
        .replace(html::ERROR_SCRIPT, "[ERROR_SCRIPT]")
        .replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    insta::assert_snapshot!("seed-excerpt", html);
}

#[test]
fn a_cross_file_duplicate_is_marked_in_the_later_file() {
    // The text of a file without findings of its own is kept while cross-file rules may add one.
    let shared = "这是一段两篇稿件共用的文字，讲述了同一件事情的来龙去脉和结果。";
    let dir = folder(&[
        ("a.txt", &format!("标题甲\n\n{shared}\n")),
        (
            "b.txt",
            &format!("标题乙\n\n乙稿独有的一段文字，讲述了别的事情。\n\n{shared}\n"),
        ),
        (
            ".lintrc.toml",
            "[rules.duplicate-paragraph]\nscope = \"repo\"\n",
        ),
    ]);
    let o = run(dir.path(), &["check", "--format", "html"]);
    assert_eq!(code(&o), 1, "{}", err(&o));
    let html = out(&o);
    let ls = lines(section(&html, 1));
    assert_eq!(marked(&ls, 0).0, shared);
    assert!(html.contains("本段与 a.txt:3 的段落完全相同（跨文件重复）"));
    assert!(html.contains("没有问题的文件（1）"));
}

#[test]
fn an_unreadable_file_is_listed_as_a_problem_and_the_run_goes_on() {
    let dir = folder(&[("ok.txt", "今天(9月1日)开会。\n")]);
    std::os::unix::fs::symlink("missing.txt", dir.path().join("broken.txt")).unwrap();
    let o = html_of(dir.path());
    assert_eq!(code(&o), 2, "{}", err(&o));
    let html = out(&o);
    // Listed with its message in the file table and its section, not marked in any text.
    let problem = Regex::new(r#"<li id="d0" class="fd e" data-k="0" data-rule="io" data-sev="error"><div class="fh"><span class="loc">文件</span>"#).unwrap();
    assert!(problem.is_match(&html), "{html}");
    assert!(html.contains("<div class=\"pb\">"));
    assert!(html.contains("1 处读取或插件故障"));
    let ls = lines(&html);
    assert_eq!(ls.len(), 1, "only ok.txt's line");
    assert_eq!(marked(&ls, 1).0, "(");
    assert!(!html.contains("data-f=\"0\""));
}
