//! The built-in packs' shared scan: one automaton over the strings of all their rules, run once
//! per document (its hits kept in the document's `scan_cache`), from which each rule takes its
//! own matches as its own automaton would find them.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use super::PackRule;
use crate::document::scan_cache::Hit;
use crate::document::Document;

/// One automaton over the strings of many pack rules: a document is scanned once for all of
/// them, not once per rule. Each rule then picks its own matches and resolves them leftmost-
/// longest, exactly as its own automaton would (see [`PackRule::find`]).
pub struct SharedScan {
    /// Tells caches of different scans apart.
    id: usize,
    ac: AhoCorasick,
    /// Which pieces can hold a string at all, tested before the automaton runs.
    heads: Heads,
    /// The longest string's length in bytes.
    max_len: usize,
    /// Fused pattern → (rule slot, the rule's own pattern id) for every rule that has the string.
    owners: Vec<Vec<(usize, usize)>>,
}

impl SharedScan {
    pub(super) fn hits<'a>(&self, doc: &'a Document) -> std::borrow::Cow<'a, [Hit]> {
        let (id, hits) = doc.scan_cache.0.get_or_init(|| {
            let t = crate::timings::start();
            let hits = self.scan(doc);
            crate::timings::nested("packs: shared scan", t);
            (self.id, hits)
        });
        if *id == self.id {
            std::borrow::Cow::Borrowed(hits)
        } else {
            std::borrow::Cow::Owned(self.scan(doc))
        }
    }

    /// Every occurrence of every string in the prose, sorted by start.
    ///
    /// Most pieces have none (2 % of paragraphs of news copy have one), so each piece is first
    /// searched for its earliest-ending occurrence, with the automaton's fast non-overlapping
    /// search; only a piece that has one is searched for all of them, from the earliest byte
    /// where an occurrence can start: every occurrence ends at or after that first one.
    fn scan(&self, doc: &Document) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (_, base, s) in doc.all_prose() {
            // No string starts before the first key.
            let Some(head) = self.heads.first(s) else {
                continue;
            };
            let Some(first) = self.ac.find(aho_corasick::Input::new(s).range(head..)) else {
                continue;
            };
            let from = first.end().saturating_sub(self.max_len).max(head);
            let input = aho_corasick::Input::new(s).range(from..);
            hits.extend(self.ac.find_overlapping_iter(input).map(|m| Hit {
                start: base + m.start(),
                end: base + m.end(),
                pattern: m.pattern().as_usize(),
            }));
        }
        hits.sort_unstable_by_key(|h| (h.start, h.end, h.pattern));
        hits
    }
}

/// The first bytes of every string of a [`SharedScan`]: a filter that tells, character by
/// character, whether a string can start there.
///
/// The automaton reads every byte through a table too big for the fastest cache (~3 ns a byte
/// on news copy); this reads one word and tests one bit of an 8 KiB table per character, and a
/// hit is confirmed exactly before the piece goes to the automaton. Pack strings are words of
/// two or more Han characters, so the first 6 bytes of a string are usually its key.
pub(super) struct Heads {
    /// Key length in bytes: the shortest string's length, at most 8. 0 disables the filter.
    pub(super) len: usize,
    /// 65,536 bits, one per hashed key.
    bits: Vec<u64>,
    /// Every key, sorted: what a set bit is checked against.
    keys: Vec<u64>,
}

impl Heads {
    pub(super) fn new(strings: &[String]) -> Heads {
        let len = strings.iter().map(String::len).min().unwrap_or(0).min(8);
        let mut h = Heads {
            // One- and two-byte keys would match almost everywhere: no filter.
            len: if len >= 3 { len } else { 0 },
            bits: vec![0; 1024],
            keys: Vec::new(),
        };
        if h.len > 0 {
            for s in strings {
                let k = h.key(&s.as_bytes()[..h.len]);
                let b = Self::bit(k);
                h.bits[b / 64] |= 1 << (b % 64);
                h.keys.push(k);
            }
            h.keys.sort_unstable();
            h.keys.dedup();
        }
        h
    }

    /// The first `len` bytes of `b` as a number.
    #[inline]
    fn key(&self, b: &[u8]) -> u64 {
        crate::hash::le_word(&b[..self.len])
    }

    #[inline]
    fn bit(k: u64) -> usize {
        (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize
    }

    /// The first byte of `s` where a string can start, if any. No false negatives: every
    /// string starts at a character boundary with its key.
    pub(super) fn first(&self, s: &str) -> Option<usize> {
        if self.len == 0 {
            return Some(0);
        }
        let b = s.as_bytes();
        let mask = if self.len == 8 {
            u64::MAX
        } else {
            (1u64 << (8 * self.len)) - 1
        };
        let mut i = 0;
        while i + self.len <= b.len() {
            let lead = b[i];
            let k = if i + 8 <= b.len() {
                u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes")) & mask
            } else {
                self.key(&b[i..])
            };
            let bit = Self::bit(k);
            if self.bits[bit / 64] & (1 << (bit % 64)) != 0 && self.keys.binary_search(&k).is_ok() {
                return Some(i);
            }
            i += crate::text::utf8_width(lead);
        }
        None
    }
}

/// Merge the automata of `rules` into one [`SharedScan`]. Used for the built-in packs.
pub fn share(rules: &mut [&mut PackRule]) {
    static NEXT_ID: AtomicUsize = AtomicUsize::new(0);
    let mut strings: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut owners: Vec<Vec<(usize, usize)>> = Vec::new();
    for (slot, r) in rules.iter().enumerate() {
        for (local, w) in r.words.iter().enumerate() {
            let k = *index.entry(w.clone()).or_insert_with(|| {
                strings.push(w.clone());
                owners.push(Vec::new());
                strings.len() - 1
            });
            owners[k].push((slot, local));
        }
    }
    if strings.is_empty() {
        return;
    }
    let Ok(ac) = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::DFA))
        .build(&strings)
    else {
        return; // too big to merge: every rule keeps its own automaton
    };
    let scan = Arc::new(SharedScan {
        id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        heads: Heads::new(&strings),
        max_len: strings.iter().map(String::len).max().unwrap_or(0),
        ac,
        owners,
    });
    for (slot, r) in rules.iter_mut().enumerate() {
        if !r.words.is_empty() {
            r.shared = Some((scan.clone(), slot));
        }
    }
}

impl PackRule {
    /// Matches of the rule's own automaton `ac` in `s` (at document offset `base`): byte
    /// ranges relative to `s` and the rule's pattern ids, leftmost-longest and non-overlapping.
    /// From the shared scan when there is one.
    pub(super) fn find(
        &self,
        doc: &Document,
        base: usize,
        s: &str,
        ac: &AhoCorasick,
    ) -> Vec<(Range<usize>, usize)> {
        let Some((scan, slot)) = &self.shared else {
            return ac
                .find_iter(s)
                .map(|m| (m.range(), m.pattern().as_usize()))
                .collect();
        };
        let hits = scan.hits(doc);
        let end = base + s.len();
        let from = hits.partition_point(|h| h.start < base);
        let mut mine: Vec<(usize, std::cmp::Reverse<usize>, usize)> = hits[from..]
            .iter()
            .take_while(|h| h.start < end)
            .filter(|h| h.end <= end)
            .flat_map(|h| {
                scan.owners[h.pattern]
                    .iter()
                    .filter(|(sl, _)| sl == slot)
                    .map(move |&(_, local)| {
                        (h.start - base, std::cmp::Reverse(h.end - base), local)
                    })
            })
            .collect();
        // Leftmost first; at one start the longest, then the first pattern; no overlaps.
        mine.sort_unstable();
        let mut out = Vec::new();
        let mut next = 0;
        for (start, std::cmp::Reverse(stop), local) in mine {
            if start >= next {
                out.push((start..stop, local));
                next = stop;
            }
        }
        out
    }
}

impl PackRule {
    /// Has the shared scan found any of this rule's strings in `doc`? True without a shared
    /// scan: the rule's own search decides.
    pub(super) fn any_shared_hit(&self, doc: &Document) -> bool {
        let Some((scan, slot)) = &self.shared else {
            return true;
        };
        scan.hits(doc)
            .iter()
            .any(|h| scan.owners[h.pattern].iter().any(|(sl, _)| sl == slot))
    }
}
