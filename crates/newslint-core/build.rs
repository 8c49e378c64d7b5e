//! Embeds the built-in rule packs (every folder of `lints/` that has a `pack.toml`) and builds
//! the segmenter's dictionary, `lints/segment/dict.txt`, into a finite-state transducer.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lints");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("lints/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("pack.toml").is_file())
        .collect();
    dirs.sort();
    let mut out = String::from("&[\n");
    for d in dirs {
        println!("cargo:rerun-if-changed={}", d.display());
        let name = d.file_name().and_then(|n| n.to_str()).expect("utf-8 name");
        let mut files: Vec<_> = std::fs::read_dir(&d)
            .expect("pack dir")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().and_then(|x| x.to_str()) == Some("toml"))
            .collect();
        files.sort();
        let _ = writeln!(out, "    ({name:?}, &[");
        for f in files {
            println!("cargo:rerun-if-changed={}", f.display());
            let file = f.file_name().and_then(|n| n.to_str()).expect("utf-8 name");
            let _ = writeln!(
                out,
                "        ({file:?}, include_str!({:?})),",
                f.display().to_string()
            );
        }
        out.push_str("    ]),\n");
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("builtin_packs.rs");
    std::fs::write(dest, out).expect("write builtin_packs.rs");
    segment_dict(&root.join("segment/dict.txt"));
}

/// `dict.txt` (`word freq tag` lines) as an FST from each word's bytes to its frequency, in
/// `OUT_DIR/segment.fst`, and the sum of the frequencies in `OUT_DIR/segment_total.rs`.
fn segment_dict(path: &Path) {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).expect("lints/segment/dict.txt");
    let mut words: Vec<(&str, u64)> = Vec::new();
    let mut total: u64 = 0;
    for line in text.lines() {
        let mut it = line.split_ascii_whitespace();
        let Some(word) = it.next() else { continue };
        let freq: u64 = it.next().map_or(0, |f| f.parse().expect("frequency"));
        total += freq;
        words.push((word, freq));
    }
    words.sort_unstable();
    // A word listed twice would be a question of which frequency counts: the file has none.
    assert!(
        words.windows(2).all(|w| w[0].0 != w[1].0),
        "a word is listed twice in dict.txt"
    );
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).to_path_buf();
    let map = fst::Map::from_iter(words).expect("sorted, distinct words");
    std::fs::write(out.join("segment.fst"), map.as_fst().as_bytes()).expect("write segment.fst");
    std::fs::write(out.join("segment_total.rs"), format!("{total}"))
        .expect("write segment_total.rs");
}
