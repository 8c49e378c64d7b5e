//! The built-in packs' shared scan: one search for the strings of all their rules (the filter
//! of their first bytes and the strings at its keys; an automaton when the filter is off), run once
//! per document (its hits kept in the document's `scan_cache`), from which each rule takes its
//! own matches as its own automaton would find them.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use rustc_hash::FxBuildHasher;

use super::PackRule;
use crate::document::scan_cache::Hit;
use crate::document::Document;

/// One search over the strings of many pack rules: a document is scanned once for all of
/// them, not once per rule. Each rule then picks its own matches and resolves them leftmost-
/// longest, exactly as its own automaton would (see [`PackRule::find`]).
pub struct SharedScan {
    /// Tells caches of different scans apart.
    id: usize,
    /// The automaton over every string, for a filter turned off (a string shorter than three
    /// bytes); otherwise none is built, the filter's keys find the occurrences.
    ac: Option<AhoCorasick>,
    /// Which pieces can hold a string at all, tested before the automaton runs.
    heads: Heads,
    /// The longest string's length in bytes.
    max_len: usize,
    /// Fused pattern → (rule slot, the rule's own pattern id) for every rule that has the string.
    owners: Vec<Vec<(usize, usize)>>,
    /// The fused patterns.
    strings: Vec<String>,
    /// The key of [`Heads`] → the fused patterns that start with it.
    by_key: HashMap<u64, Vec<usize>, FxBuildHasher>,
}

impl SharedScan {
    /// The scan of `strings` (distinct, in fused pattern order) with their owners; `None` when
    /// it needs an automaton and that is too big.
    fn new(strings: Vec<String>, owners: Vec<Vec<(usize, usize)>>) -> Option<SharedScan> {
        static NEXT_ID: AtomicUsize = AtomicUsize::new(0);
        let heads = Heads::new(&strings);
        let ac = if heads.len == 0 {
            let ac = AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::DFA))
                .build(&strings)
                .ok()?;
            Some(ac)
        } else {
            None
        };
        let mut by_key: HashMap<u64, Vec<usize>, FxBuildHasher> = HashMap::default();
        if heads.len > 0 {
            for (p, w) in strings.iter().enumerate() {
                by_key.entry(heads.key(w.as_bytes())).or_default().push(p);
            }
        }
        Some(SharedScan {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            heads,
            max_len: strings.iter().map(String::len).max().unwrap_or(0),
            ac,
            owners,
            strings,
            by_key,
        })
    }

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
            let Some(ac) = &self.ac else {
                self.scan_keys(base, s, head, &mut hits);
                continue;
            };
            let Some(first) = ac.find(aho_corasick::Input::new(s).range(head..)) else {
                continue;
            };
            let from = first.end().saturating_sub(self.max_len).max(head);
            let input = aho_corasick::Input::new(s).range(from..);
            hits.extend(ac.find_overlapping_iter(input).map(|m| Hit {
                start: base + m.start(),
                end: base + m.end(),
                pattern: m.pattern().as_usize(),
            }));
        }
        hits.sort_unstable_by_key(|h| (h.start, h.end, h.pattern));
        hits
    }

    /// Every occurrence in `s` (at document offset `base`) of every string, from the first
    /// byte where a key is, `head`: at each character where the filter finds a key, the strings
    /// with that key are compared. The automaton's overlapping search finds the same: every
    /// string starts with its key at a character boundary, and none before `head`.
    fn scan_keys(&self, base: usize, s: &str, head: usize, hits: &mut Vec<Hit>) {
        let b = s.as_bytes();
        let mut at = head;
        loop {
            if let Some(ids) = self.by_key.get(&self.heads.key(&b[at..])) {
                for &p in ids {
                    let w = self.strings[p].as_bytes();
                    if b[at..].starts_with(w) {
                        hits.push(Hit {
                            start: base + at,
                            end: base + at + w.len(),
                            pattern: p,
                        });
                    }
                }
            }
            let next = at + crate::text::utf8_width(b[at]);
            match self.heads.first(&s[next..]) {
                Some(k) => at = next + k,
                None => break,
            }
        }
    }
}

/// The filter of first bytes the scan tests before its automaton (see [`Heads`]).
pub(super) use crate::text::Heads;

/// Merge the automata of `rules` into one [`SharedScan`]. Used for the built-in packs.
pub fn share(rules: &mut [&mut PackRule]) {
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
    let Some(scan) = SharedScan::new(strings, owners) else {
        return; // too big to merge: every rule keeps its own automaton
    };
    let scan = Arc::new(scan);
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

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The search from the filter's keys finds exactly the automaton's overlapping matches:
        /// strings that overlap, share keys, are prefixes of each other, on text of every width.
        #[test]
        fn keys_find_the_overlapping_matches(
            picks in proptest::collection::vec(0usize..10, 0..60),
            words in proptest::collection::vec(proptest::collection::vec(0usize..10, 1..4), 1..6),
        ) {
            const ALPHABET: [char; 10] = ['其', '它', '截', '止', '目', 'a', 'b', '，', '·', '𠀀'];
            let s: String = picks.iter().map(|&k| ALPHABET[k]).collect();
            let mut strings: Vec<String> = words
                .iter()
                .map(|w| w.iter().map(|&k| ALPHABET[k]).collect())
                .collect();
            strings.sort();
            strings.dedup();
            let ac = AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::DFA))
                .build(&strings)
                .expect("small automaton");
            let owners = vec![Vec::new(); strings.len()];
            let scan = SharedScan::new(strings, owners).expect("small automaton");
            proptest::prop_assume!(scan.heads.len > 0);
            let want: Vec<(usize, usize, usize)> = {
                let mut v: Vec<_> = ac
                    .find_overlapping_iter(s.as_str())
                    .map(|m| (m.start() + 7, m.end() + 7, m.pattern().as_usize()))
                    .collect();
                v.sort_unstable();
                v
            };
            let mut hits = Vec::new();
            if let Some(head) = scan.heads.first(&s) {
                scan.scan_keys(7, &s, head, &mut hits);
            }
            let mut got: Vec<_> = hits.iter().map(|h| (h.start, h.end, h.pattern)).collect();
            got.sort_unstable();
            proptest::prop_assert_eq!(got, want);
        }
    }
}
