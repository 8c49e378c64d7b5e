//! A pruned word-bigram language model of Chinese (`lints/typo-data/lm.bin`, built by
//! `scripts/build_typo_lm.py` from open-gram's model, CC BY-SA 3.0): the evidence
//! `typo/in-context` weighs a written reading against a corrected one with.
//!
//! [`Lm::cost`] is `-ln P` of a short string: the cheapest path through the model's words
//! (Viterbi over the lattice of its lexicon, bigram where the model has the pair, back-off to
//! the unigram otherwise; a character the lexicon lacks costs [`UNKNOWN`]).

use std::collections::HashMap;
use std::sync::OnceLock;

static DATA: &[u8] = include_bytes!("../../../../../lints/typo-data/lm.bin");

/// The cost of a character no word of the model covers (the model's costliest unigram is 19.9).
pub const UNKNOWN: f64 = 21.0;

/// The longest word of the lexicon read, in characters.
const MAX_WORD: usize = 8;

pub struct Lm {
    ids: HashMap<&'static str, u32, rustc_hash::FxBuildHasher>,
    uni: &'static [u8],
    bow: &'static [u8],
    offs: Vec<u32>,
    second: &'static [u8],
    cost: &'static [u8],
    /// Hashed pairs of adjacent characters inside the lexicon's words of 2 to 4 characters
    /// ([`PAIR_BITS`] bits): a correction that makes no such pair with a neighbour makes no
    /// word, and is dropped before any look-up ([`Lm::may_pair`]).
    pairs: Vec<u64>,
}

/// Bits of the pair filter (2^21 bits, 256 KiB; the lexicon has about 170,000 pairs).
const PAIR_BITS: u32 = 21;

fn pair_hash(a: char, b: char) -> usize {
    let v = (u64::from(a as u32) << 21) | u64::from(b as u32);
    (v.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - PAIR_BITS)) as usize
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .map_or(0, |x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
}

/// The model, parsed on first use (about 10 ms: a hash map of its 71,729 words).
pub fn lm() -> &'static Lm {
    static L: OnceLock<Lm> = OnceLock::new();
    L.get_or_init(|| parse(DATA).expect("lints/typo-data/lm.bin is built by build_typo_lm.py"))
}

fn parse(b: &'static [u8]) -> Option<Lm> {
    if b.get(..8)? != b"NLLM1\0\0\0" {
        return None;
    }
    let n = u32_at(b, 8) as usize;
    let nb = u32_at(b, 12) as usize;
    let wlen = u32_at(b, 16) as usize;
    let mut at = 20;
    let words = std::str::from_utf8(b.get(at..at + wlen)?).ok()?;
    at += wlen;
    let mut ids = HashMap::with_capacity_and_hasher(n, rustc_hash::FxBuildHasher);
    let mut pairs = vec![0u64; 1 << (PAIR_BITS - 6)];
    for (i, w) in words.split_terminator('\n').enumerate() {
        ids.insert(w, i as u32);
        if (2..=4).contains(&w.chars().count()) {
            let mut cs = w.chars();
            let mut prev = cs.next();
            for c in cs {
                if let Some(p) = prev {
                    let h = pair_hash(p, c);
                    pairs[h >> 6] |= 1 << (h & 63);
                }
                prev = Some(c);
            }
        }
    }
    let uni = b.get(at..at + n)?;
    at += n;
    let bow = b.get(at..at + n)?;
    at += n;
    let offs = (0..=n).map(|i| u32_at(b, at + 4 * i)).collect();
    at += 4 * (n + 1);
    let second = b.get(at..at + 3 * nb)?;
    at += 3 * nb;
    let cost = b.get(at..at + nb)?;
    Some(Lm {
        ids,
        uni,
        bow,
        offs,
        second,
        cost,
        pairs,
    })
}

impl Lm {
    fn unigram(&self, w: u32) -> f64 {
        f64::from(self.uni[w as usize]) / 8.0
    }

    /// `-ln P(w | prev)`: the bigram if the model kept it, else back-off to the unigram.
    fn step(&self, prev: Option<u32>, w: u32) -> f64 {
        let Some(p) = prev else {
            return self.unigram(w);
        };
        let (lo, hi) = (
            self.offs[p as usize] as usize,
            self.offs[p as usize + 1] as usize,
        );
        let second = |i: usize| {
            let x = &self.second[3 * i..3 * i + 3];
            u32::from(x[0]) | (u32::from(x[1]) << 8) | (u32::from(x[2]) << 16)
        };
        let (mut a, mut b) = (lo, hi);
        while a < b {
            let m = (a + b) / 2;
            match second(m).cmp(&w) {
                std::cmp::Ordering::Less => a = m + 1,
                std::cmp::Ordering::Greater => b = m,
                std::cmp::Ordering::Equal => return f64::from(self.cost[m]) / 8.0,
            }
        }
        f64::from(self.bow[p as usize]) / 16.0 - 4.0 + self.unigram(w)
    }

    /// Whether the model kept the bigram `a b` of two of its words: the pair was seen in the
    /// model's corpus more often than chance.
    pub fn has_bigram(&self, a: &str, b: &str) -> bool {
        let (Some(&x), Some(&y)) = (self.ids.get(a), self.ids.get(b)) else {
            return false;
        };
        let backoff = f64::from(self.bow[x as usize]) / 16.0 - 4.0 + self.unigram(y);
        self.step(Some(x), y) < backoff - 0.5
    }

    /// Whether `a b` may be two adjacent characters of a word of 2 to 4 characters of the
    /// lexicon (false: certainly not; true: probably, a hashed filter).
    pub fn may_pair(&self, a: char, b: char) -> bool {
        let h = pair_hash(a, b);
        (self.pairs[h >> 6] >> (h & 63)) & 1 == 1
    }

    /// Whether `w` is a word of the model's lexicon.
    pub fn has_word(&self, w: &str) -> bool {
        self.ids.contains_key(w)
    }

    /// `-ln P(s)` along the cheapest path through the model's words.
    pub fn cost(&self, s: &str) -> f64 {
        let idx: Vec<usize> = s
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(s.len()))
            .collect();
        let n = idx.len() - 1;
        // states[i]: (last word, cost) of the paths that end at character i.
        let mut states: Vec<Vec<(Option<u32>, f64)>> = vec![Vec::new(); n + 1];
        states[0].push((None, 0.0));
        for i in 0..n {
            if states[i].is_empty() {
                continue;
            }
            let here = std::mem::take(&mut states[i]);
            let mut any = false;
            for len in 1..=MAX_WORD.min(n - i) {
                let Some(&w) = self.ids.get(&s[idx[i]..idx[i + len]]) else {
                    continue;
                };
                any |= len == 1;
                let best = here
                    .iter()
                    .map(|&(p, c)| c + self.step(p, w))
                    .fold(f64::INFINITY, f64::min);
                push(&mut states[i + len], Some(w), best);
            }
            if !any {
                let best = here.iter().map(|x| x.1).fold(f64::INFINITY, f64::min);
                push(&mut states[i + 1], None, best + UNKNOWN);
            }
            states[i] = here;
        }
        states[n].iter().map(|x| x.1).fold(f64::INFINITY, f64::min)
    }
}

/// Keep the cheapest cost per last word.
fn push(v: &mut Vec<(Option<u32>, f64)>, w: Option<u32>, c: f64) {
    if let Some(x) = v.iter_mut().find(|x| x.0 == w) {
        if c < x.1 {
            x.1 = c;
        }
    } else {
        v.push((w, c));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_loads_with_its_words() {
        let m = lm();
        assert!(m.ids.len() > 70_000, "{}", m.ids.len());
        assert!(m.has_word("赔偿") && m.has_word("贫瘠"));
        assert!(!m.has_word("陪偿"));
    }

    #[test]
    fn the_pair_filter_keeps_every_pair_of_a_word() {
        let m = lm();
        for w in ["赔偿", "贫瘠", "严厉", "再次", "规模", "坚持不懈"] {
            let cs: Vec<char> = w.chars().collect();
            assert!(cs.windows(2).all(|p| m.may_pair(p[0], p[1])), "{w}");
        }
        // Pairs inside no word of the lexicon: the filter drops most (a hashed set lets a
        // few through).
        let dropped = [
            "陪偿", "偿陪", "脊贫", "贫脊", "厉严", "次再", "磨规", "规磨", "懈不",
        ]
        .iter()
        .filter(|p| {
            let cs: Vec<char> = p.chars().collect();
            !m.may_pair(cs[0], cs[1])
        })
        .count();
        assert!(dropped >= 7, "{dropped}");
    }

    #[test]
    fn right_readings_cost_less() {
        let m = lm();
        for (right, wrong) in [
            (
                "保险公司按合同赔偿了全部损失",
                "保险公司按合同陪偿了全部损失",
            ),
            ("这里土地贫瘠", "这里土地贫脊"),
            ("他们坚持不懈地努力", "他们坚持不谢地努力"),
            ("他再次来到北京", "他在次来到北京"),
        ] {
            let (a, b) = (m.cost(right), m.cost(wrong));
            assert!(a + 3.0 < b, "{right} {a} / {wrong} {b}");
        }
    }
}
