//! Embeds the built-in rule packs (every folder of `lints/` that has a `pack.toml`), builds
//! the segmenter's dictionary, `lints/segment/dict.txt`, into a finite-state transducer, and
//! jieba's part-of-speech HMM, `lints/segment/posseg.txt`, into tables read in place, and
//! typo/in-context's index of four-character idioms, `lints/typo-data/idioms.txt`, into tables
//! read in place.

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
    posseg_tables(&root.join("segment/posseg.txt"));
    let similar = similar_chars(&root.join("typo-data/similar-chars.tsv"));
    idiom_tables(&root.join("typo-data/idioms.txt"), &similar);
}

/// `similar-chars.tsv` (`char, alike in sound, alike in shape, frequency` lines) as a Rust
/// array sorted by character, `OUT_DIR/similar_chars.rs`, for typo/in-context to search in
/// place: `(char, sound, shape, frequency)`, the frequency at least 1 (0 or unreadable counts
/// as 1), a character listed twice read from its last line.
fn similar_chars(path: &Path) -> std::collections::BTreeMap<char, (String, String, f64)> {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).expect("lints/typo-data/similar-chars.tsv");
    let mut rows = std::collections::BTreeMap::new();
    for line in text.lines() {
        let mut f = line.split('\t');
        let (Some(c), Some(sound), Some(shape), Some(n)) = (f.next(), f.next(), f.next(), f.next())
        else {
            continue;
        };
        if let Some(c) = c.chars().next() {
            let n = n.parse::<f64>().unwrap_or(0.0).max(1.0);
            rows.insert(c, (sound.to_string(), shape.to_string(), n));
        }
    }
    let mut out = String::from("&[\n");
    for (c, (sound, shape, n)) in &rows {
        let _ = writeln!(out, "    ({c:?}, {sound:?}, {shape:?}, {n:?}),");
    }
    out.push(']');
    let dir = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).to_path_buf();
    std::fs::write(dir.join("similar_chars.rs"), out).expect("write similar_chars.rs");
    rows
}

/// typo/in-context's idiom index (`rules::typo::in_context::Idioms` reads it in place; the
/// hashes and layout here and there must agree, which its tests check against a build from
/// `idioms.txt` at run time). Every four-character line of Han characters U+4E00..U+9FFF gives
/// four masked keys (`k << 45 | the other three characters' offsets from U+4E00, 15 bits each`)
/// with the character that fills position `k`. Written to `OUT_DIR/idioms.bin`, little-endian:
///
/// - `u32` entries `n`; `n` `u64` entries `masked key << 15 | fill offset`, ascending, distinct;
/// - `2^17 + 1` `u32` bucket starts (a bucket: `entry >> 45`, a key's mask and first kept
///   character);
/// - `2^KEY_BITS` bits of hashed masked keys and `2^KEY_BITS` bits of hashed whole idioms;
/// - `2^SLIP_WORDS` `u64` words of hashed slips (one hash picks a word, a second three bits of
///   it; a window passes when all three are set: one word read, so one cache line): an idiom
///   with one character `c` replaced by a character
///   `x` of `similar-chars.tsv` whose sound or shape list holds `c` and whose frequency is at
///   least `c`'s (what the idiom check can report, and so the only windows it reads further).
fn idiom_tables(path: &Path, similar: &std::collections::BTreeMap<char, (String, String, f64)>) {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).expect("lints/typo-data/idioms.txt");
    const KEY_BITS: u32 = 21;
    const SLIP_WORDS: u32 = 16;
    let mix = |v: u64, bits: u32| (v.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize;
    let offset = |c: char| (c as u32).checked_sub(0x4E00).filter(|&v| v < 0x5200);
    // Character c → the characters x that list c as alike (x written for c is a slip).
    let mut written_for: std::collections::BTreeMap<char, Vec<(char, f64)>> = Default::default();
    for (&x, (sound, shape, f)) in similar {
        for c in sound.chars().chain(shape.chars()) {
            if c != x {
                written_for.entry(c).or_default().push((x, *f));
            }
        }
    }
    let mut keyed: Vec<u64> = Vec::new();
    let mut key_bits = vec![0u8; 1 << (KEY_BITS - 3)];
    let mut whole_bits = vec![0u8; 1 << (KEY_BITS - 3)];
    let mut slip_words = vec![0u64; 1 << SLIP_WORDS];
    let set = |bits: &mut [u8], h: usize| bits[h >> 3] |= 1 << (h & 7);
    for line in text.lines() {
        let w: Vec<char> = line.chars().collect();
        if w.len() != 4 {
            continue;
        }
        let Some(o) = w.iter().map(|&c| offset(c)).collect::<Option<Vec<u32>>>() else {
            continue;
        };
        let whole = o.iter().fold(0u64, |k, &v| (k << 15) | u64::from(v));
        set(&mut whole_bits, mix(whole, KEY_BITS));
        for k in 0..4 {
            let mut key = k as u64;
            for (i, &v) in o.iter().enumerate() {
                if i != k {
                    key = (key << 15) | u64::from(v);
                }
            }
            keyed.push((key << 15) | u64::from(o[k]));
            set(&mut key_bits, mix(key, KEY_BITS));
            let f_c = similar.get(&w[k]).map_or(1.0, |x| x.2);
            for &(x, f_x) in written_for.get(&w[k]).map_or(&[][..], |v| &v[..]) {
                let Some(v) = offset(x) else {
                    continue;
                };
                if f_x < f_c {
                    continue;
                }
                let shift = 15 * (3 - k as u32);
                let slip = (whole & !(0x7FFF << shift)) | (u64::from(v) << shift);
                slip_words[mix(slip, SLIP_WORDS)] |= slip_mask(slip);
            }
        }
    }
    keyed.sort_unstable();
    keyed.dedup();
    let mut buckets = vec![0u32; (1 << 17) + 1];
    for &x in &keyed {
        buckets[(x >> 45) as usize + 1] += 1;
    }
    for b in 1..buckets.len() {
        buckets[b] += buckets[b - 1];
    }
    let mut out = Vec::new();
    out.extend((keyed.len() as u32).to_le_bytes());
    for x in &keyed {
        out.extend(x.to_le_bytes());
    }
    for b in &buckets {
        out.extend(b.to_le_bytes());
    }
    out.extend(&key_bits);
    out.extend(&whole_bits);
    for w in &slip_words {
        out.extend(w.to_le_bytes());
    }
    let dir = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).to_path_buf();
    std::fs::write(dir.join("idioms.bin"), out).expect("write idioms.bin");
}

/// The three bits of a slip's word that [`idiom_tables`] sets (`Idioms::may_slip` reads them
/// the same way): six bits of a second hash each.
fn slip_mask(whole: u64) -> u64 {
    let h = whole.wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    (1 << (h >> 58)) | (1 << ((h >> 52) & 63)) | (1 << ((h >> 46) & 63))
}

/// `dict.txt` (`word freq tag` lines) as an FST from each word's bytes to its frequency and
/// part-of-speech tag (`freq << TAG_BITS | tag index`), in `OUT_DIR/segment.fst`; the sum of the
/// frequencies in `OUT_DIR/segment_total.rs`, the tags in `OUT_DIR/segment_tags.rs` (an array of
/// strings, in order of first appearance).
fn segment_dict(path: &Path) {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).expect("lints/segment/dict.txt");
    // The tag's bits in an FST value; `segment::TAG_BITS` reads them back.
    const TAG_BITS: u32 = 6;
    let mut words: Vec<(&str, u64)> = Vec::new();
    let mut tags: Vec<&str> = Vec::new();
    let mut total: u64 = 0;
    for line in text.lines() {
        let mut it = line.split_ascii_whitespace();
        let Some(word) = it.next() else { continue };
        let freq: u64 = it.next().map_or(0, |f| f.parse().expect("frequency"));
        let tag = it.next().unwrap_or("");
        let t = match tags.iter().position(|&x| x == tag) {
            Some(t) => t,
            None => {
                tags.push(tag);
                tags.len() - 1
            }
        };
        assert!(
            t < 1 << TAG_BITS,
            "more part-of-speech tags than TAG_BITS holds"
        );
        assert!(
            freq < 1 << (64 - TAG_BITS),
            "a frequency too large for its bits"
        );
        total += freq;
        words.push((word, freq << TAG_BITS | t as u64));
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
    std::fs::write(out.join("segment_tags.rs"), format!("{tags:?}"))
        .expect("write segment_tags.rs");
}

/// jieba's part-of-speech HMM (`posseg.txt`: 64 tags × 4 positions = 256 states) parsed as
/// jieba-rs 0.11 parses it (`posseg::parse_posseg_data`: the same numbers, the same rows), written
/// as little-endian tables to `OUT_DIR/posseg.bin` for `segment::posseg` to read in place:
///
/// - `u32` characters `n`, `u32` row entries `m`;
/// - 256 `f64` start log-probabilities, by state;
/// - 256 × 256 `f64` transition log-probabilities, `[to][from]` (-3.14e100: impossible);
/// - `n` `u32` characters, ascending; per character a row: `u32` first entry and 5 `u16`
///   bounds (its entries of position 0, 1, 2, 3 are `first + bounds[p]..first + bounds[p + 1]`);
/// - `m` `u16` states and `m` `f64` emission log-probabilities, each row's ascending by state.
///
/// The tags go to `OUT_DIR/posseg_tags.rs` (an array of strings, by tag index).
fn posseg_tables(path: &Path) {
    use std::collections::HashMap;
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).expect("lints/segment/posseg.txt");
    const MIN_FLOAT: f64 = -3.14e100;
    const TAGS: usize = 64;
    const STATES: usize = 4 * TAGS;
    let state = |pos: &str, tag: &str| -> usize {
        let pos: usize = pos.parse().expect("position");
        let tag: usize = tag.parse().expect("tag");
        assert!(pos < 4 && tag < TAGS, "state out of range");
        pos * TAGS + tag
    };
    let mut tags: Vec<&str> = Vec::new();
    let mut start = vec![MIN_FLOAT; STATES];
    let mut trans = vec![MIN_FLOAT; STATES * STATES];
    let mut emit: HashMap<char, Vec<(u16, f64)>> = HashMap::new();
    let mut char_states: HashMap<char, Vec<u16>> = HashMap::new();
    let mut section = "";
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('@') {
            section = line;
            continue;
        }
        match section {
            "@TAGS" => {
                tags = line.split(',').map(str::trim).collect();
                assert_eq!(tags.len(), TAGS, "64 part-of-speech tags");
            }
            "@START" => {
                let mut p = line.splitn(3, ',');
                let s = state(p.next().expect("pos"), p.next().expect("tag"));
                start[s] = p.next().expect("prob").parse().expect("prob");
            }
            "@TRANS" => {
                let mut segs = line.split('|');
                let mut f = segs.next().expect("from").splitn(2, ',');
                let from = state(f.next().expect("pos"), f.next().expect("tag"));
                for seg in segs.map(str::trim).filter(|x| !x.is_empty()) {
                    let mut p = seg.splitn(3, ',');
                    let to = state(p.next().expect("pos"), p.next().expect("tag"));
                    trans[to * STATES + from] = p.next().expect("prob").parse().expect("prob");
                }
            }
            "@EMIT" => {
                let mut segs = line.split('|');
                let mut f = segs.next().expect("state").splitn(2, ',');
                let s = state(f.next().expect("pos"), f.next().expect("tag")) as u16;
                for seg in segs.map(str::trim).filter(|x| !x.is_empty()) {
                    let mut p = seg.rsplitn(2, ',');
                    let prob: f64 = p.next().expect("prob").parse().expect("prob");
                    let c = p.next().and_then(|c| c.chars().next()).expect("char");
                    let entries = emit.entry(c).or_default();
                    match entries.iter_mut().find(|(x, _)| *x == s) {
                        Some(e) => e.1 = prob,
                        None => entries.push((s, prob)),
                    }
                }
            }
            "@CHAR_STATE" => {
                let mut segs = line.split('|');
                let c = segs.next().and_then(|c| c.chars().next()).expect("char");
                let mut states = Vec::new();
                for seg in segs.map(str::trim).filter(|x| !x.is_empty()) {
                    let mut p = seg.splitn(2, ',');
                    states.push(state(p.next().expect("pos"), p.next().expect("tag")) as u16);
                }
                // An empty list means no restriction, as no list at all (jieba-rs).
                if states.is_empty() {
                    char_states.remove(&c);
                } else {
                    char_states.insert(c, states);
                }
            }
            _ => {}
        }
    }
    // Each character's row: its listed states with their emissions (-3.14e100 when missing),
    // or, unlisted, the states it has an emission for.
    let mut rows: Vec<(char, Vec<(u16, f64)>)> = Vec::new();
    for (c, states) in &char_states {
        let em = emit.get(c);
        let row = states
            .iter()
            .map(|&s| {
                let p = em
                    .and_then(|e| e.iter().find(|(x, _)| *x == s))
                    .map_or(MIN_FLOAT, |&(_, p)| p);
                (s, p)
            })
            .collect();
        rows.push((*c, row));
    }
    for (c, em) in emit {
        if !char_states.contains_key(&c) {
            rows.push((c, em));
        }
    }
    rows.sort_by_key(|r| r.0);
    let mut out: Vec<u8> = Vec::new();
    let entries: usize = rows.iter().map(|r| r.1.len()).sum();
    out.extend((rows.len() as u32).to_le_bytes());
    out.extend((entries as u32).to_le_bytes());
    for p in &start {
        out.extend(p.to_le_bytes());
    }
    for p in &trans {
        out.extend(p.to_le_bytes());
    }
    for (c, _) in &rows {
        out.extend((*c as u32).to_le_bytes());
    }
    let mut first = 0u32;
    for (_, row) in &mut rows {
        row.sort_by_key(|&(s, _)| s);
        out.extend(first.to_le_bytes());
        for pos in 0..=4usize {
            let b = row.partition_point(|&(s, _)| (s as usize) / TAGS < pos);
            out.extend((b as u16).to_le_bytes());
        }
        first += row.len() as u32;
    }
    for (_, row) in &rows {
        for &(s, _) in row {
            out.extend(s.to_le_bytes());
        }
    }
    for (_, row) in &rows {
        for &(_, p) in row {
            out.extend(p.to_le_bytes());
        }
    }
    let dir = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).to_path_buf();
    std::fs::write(dir.join("posseg.bin"), out).expect("write posseg.bin");
    std::fs::write(dir.join("posseg_tags.rs"), format!("{tags:?}")).expect("write posseg_tags.rs");
}
