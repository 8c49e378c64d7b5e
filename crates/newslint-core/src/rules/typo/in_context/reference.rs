//! Test-only: the idiom index as it was built at run time from `idioms.txt` and
//! `similar-chars.tsv` (sorted keys, bit sets of 2^20 bits, a hash map of similar characters),
//! and the window scan over a collected character vector. The compiled tables and the
//! streaming scan of [`super::idiom_findings`] are checked against it.

use std::collections::HashMap;

use super::{idiom_confirm, masked_key, page, NUMERALS};
use crate::diagnostic::Finding;

const PAIR_BITS: u32 = 20;
const KEY_BITS: u32 = 20;

fn mix(v: u64, bits: u32) -> usize {
    (v.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
}

fn pair_bit(a: char, b: char) -> usize {
    mix((u64::from(a as u32) << 21) | u64::from(b as u32), PAIR_BITS)
}

fn bit(set: &[u64], i: usize) -> bool {
    (set[i >> 6] >> (i & 63)) & 1 == 1
}

fn set_bit(set: &mut [u64], i: usize) {
    set[i >> 6] |= 1 << (i & 63);
}

pub struct Idioms {
    pub keyed: Vec<u64>,
    key_bits: Vec<u64>,
    front: Vec<u64>,
    back: Vec<u64>,
    mid: Vec<u64>,
    gap02: Vec<u64>,
    gap13: Vec<u64>,
    pub similar: HashMap<char, (&'static str, &'static str, f64)>,
}

impl Idioms {
    fn fills(&self, key: u64) -> Vec<char> {
        let from = self.keyed.partition_point(|&x| x >> 15 < key);
        self.keyed[from..]
            .iter()
            .take_while(|&&x| x >> 15 == key)
            .filter_map(|&x| char::from_u32(0x4E00 + (x & 0x7FFF) as u32))
            .collect()
    }
}

pub fn build() -> Idioms {
    let text = include_str!("../../../../../../lints/typo-data/idioms.txt");
    let mut keyed = Vec::new();
    let mut key_bits = vec![0u64; 1 << (KEY_BITS - 6)];
    let mut front = vec![0u64; 1 << (PAIR_BITS - 6)];
    let mut back = vec![0u64; 1 << (PAIR_BITS - 6)];
    let mut mid = vec![0u64; 1 << (PAIR_BITS - 6)];
    let mut gap02 = vec![0u64; 1 << (PAIR_BITS - 6)];
    let mut gap13 = vec![0u64; 1 << (PAIR_BITS - 6)];
    for line in text.lines() {
        let w: Vec<char> = line.chars().collect();
        let Ok(w) = <[char; 4]>::try_from(w) else {
            continue;
        };
        for k in 0..4 {
            if let Some(key) = masked_key(w, k) {
                keyed.push((key << 15) | u64::from(w[k] as u32 - 0x4E00));
                set_bit(&mut key_bits, mix(key, KEY_BITS));
            }
        }
        set_bit(&mut front, pair_bit(w[0], w[1]));
        set_bit(&mut back, pair_bit(w[2], w[3]));
        set_bit(&mut mid, pair_bit(w[1], w[2]));
        set_bit(&mut gap02, pair_bit(w[0], w[2]));
        set_bit(&mut gap13, pair_bit(w[1], w[3]));
    }
    keyed.sort_unstable();
    keyed.dedup();
    let mut similar = HashMap::new();
    for line in include_str!("../../../../../../lints/typo-data/similar-chars.tsv").lines() {
        let mut f = line.split('\t');
        let (Some(c), Some(sound), Some(shape), Some(n)) = (f.next(), f.next(), f.next(), f.next())
        else {
            continue;
        };
        if let Some(c) = c.chars().next() {
            let n = n.parse::<f64>().unwrap_or(0.0).max(1.0);
            similar.insert(c, (sound, shape, n));
        }
    }
    Idioms {
        keyed,
        key_bits,
        front,
        back,
        mid,
        gap02,
        gap13,
        similar,
    }
}

/// The idiom check as it was: every window of a collected character vector.
pub fn idiom_findings(
    ix: &Idioms,
    s: &str,
    titles: &[std::ops::Range<usize>],
    min_gain: f64,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let han = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    let mut pairs = vec![0u8; chars.len()];
    for p in 0..chars.len().saturating_sub(1) {
        let (a, b) = (chars[p].1, chars[p + 1].1);
        if han(a) && han(b) {
            let h = pair_bit(a, b);
            pairs[p] = u8::from(bit(&ix.front, h)) | (u8::from(bit(&ix.back, h)) << 1);
        }
    }
    for st in 0..chars.len().saturating_sub(3) {
        let front = pairs[st] & 1 == 1;
        let back = pairs[st + 2] & 2 == 2;
        if !(front || back) {
            continue;
        }
        let w = [
            chars[st].1,
            chars[st + 1].1,
            chars[st + 2].1,
            chars[st + 3].1,
        ];
        if !w.iter().all(|&c| han(c)) {
            continue;
        }
        for k in 0..4 {
            if (k < 2 && !back) || (k >= 2 && !front) {
                continue;
            }
            let other = match k {
                0 | 3 => bit(&ix.mid, pair_bit(w[1], w[2])),
                1 => bit(&ix.gap02, pair_bit(w[0], w[2])),
                _ => bit(&ix.gap13, pair_bit(w[1], w[3])),
            };
            if !other {
                continue;
            }
            let Some(key) = masked_key(w, k) else {
                continue;
            };
            if !bit(&ix.key_bits, mix(key, KEY_BITS)) {
                continue;
            }
            let written = w[k];
            let fills = ix.fills(key);
            if fills.is_empty() || fills.contains(&written) {
                continue;
            }
            let Some(&(sound, shape, f_written)) = ix.similar.get(&written) else {
                continue;
            };
            for c in fills {
                let Some(relation) = page::relation(sound, shape, c) else {
                    continue;
                };
                let f_c = ix.similar.get(&c).map_or(1.0, |x| x.2);
                if f_written < f_c {
                    continue;
                }
                let i = st + k;
                if let Some(f) = idiom_confirm(s, &chars, st, i, c, relation, titles, min_gain) {
                    out.push(f);
                }
            }
        }
    }
    // Numerals are checked in idiom_confirm; named here so the reference reads as the rule.
    let _ = NUMERALS;
    out
}
