//! The built-in packs' shared scan: one search for the strings of all their rules (the filter
//! of their first bytes and the strings at its keys; an automaton when the filter is off), run once
//! per document (its hits kept in the document's `scan_cache`), from which each rule takes its
//! own matches as its own automaton would find them.
//!
//! The same pass finds the wrong forms of `typo/variants`' table (registered with
//! `document::scan_cache`, which the rule reads): a second pass of the same filter over the body
//! prose cost as much as this one, the union of keys costs 8 % more than the packs' keys alone.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use rustc_hash::FxBuildHasher;

use super::PackRule;
use crate::document::scan_cache::{self, DocumentScan, Hit, Scanned};
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
    /// Fused pattern → whether it is a string of the table (see [`Scanned::table`]).
    in_table: Vec<bool>,
    /// The fused patterns.
    strings: Vec<String>,
    /// The key of [`Heads`] → the fused patterns that start with it.
    by_key: HashMap<u64, Vec<usize>, FxBuildHasher>,
}

impl SharedScan {
    /// The scan of `strings` (distinct, in fused pattern order) with their owners and whether
    /// each is a string of the table; `None` when it needs an automaton and that is too big.
    fn new(
        strings: Vec<String>,
        owners: Vec<Vec<(usize, usize)>>,
        in_table: Vec<bool>,
    ) -> Option<SharedScan> {
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
            in_table,
            strings,
            by_key,
        })
    }

    pub(super) fn hits<'a>(&self, doc: &'a Document) -> std::borrow::Cow<'a, [Hit]> {
        let (id, scanned) = doc
            .scan_cache
            .0
            .get_or_init(|| (self.id, DocumentScan::scan(self, doc)));
        if *id == self.id {
            std::borrow::Cow::Borrowed(&scanned.hits)
        } else {
            std::borrow::Cow::Owned(self.scan(doc).hits)
        }
    }

    /// Record an occurrence of fused pattern `p` at document bytes `start..end`: in the packs'
    /// hits if a rule has the string, in the table's if it is one of the table's.
    #[inline]
    fn push(&self, out: &mut Scanned, start: usize, end: usize, p: usize) {
        if !self.owners[p].is_empty() {
            out.hits.push(Hit {
                start,
                end,
                pattern: p,
            });
        }
        if self.in_table[p] {
            out.table.push((start, end));
        }
    }

    /// Every occurrence of every string in the prose, sorted by start.
    ///
    /// Most pieces have none (2 % of paragraphs of news copy have one), so each piece is first
    /// searched for its earliest-ending occurrence, with the automaton's fast non-overlapping
    /// search; only a piece that has one is searched for all of them, from the earliest byte
    /// where an occurrence can start: every occurrence ends at or after that first one.
    fn scan(&self, doc: &Document) -> Scanned {
        let mut hits = Scanned::default();
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
            for m in ac.find_overlapping_iter(input) {
                let p = m.pattern().as_usize();
                self.push(&mut hits, base + m.start(), base + m.end(), p);
            }
        }
        hits.hits
            .sort_unstable_by_key(|h| (h.start, h.end, h.pattern));
        hits.table
            .sort_unstable_by_key(|&(start, end)| (start, std::cmp::Reverse(end)));
        hits
    }

    /// Every occurrence in `s` (at document offset `base`) of every string, from the first
    /// byte where a key is, `head`: at each character where the filter finds a key, the strings
    /// with that key are compared. The automaton's overlapping search finds the same: every
    /// string starts with its key at a character boundary, and none before `head`.
    fn scan_keys(&self, base: usize, s: &str, head: usize, hits: &mut Scanned) {
        let b = s.as_bytes();
        let mut at = head;
        loop {
            if let Some(ids) = self.by_key.get(&self.heads.key(&b[at..])) {
                for &p in ids {
                    let w = self.strings[p].as_bytes();
                    if b[at..].starts_with(w) {
                        self.push(hits, base + at, base + at + w.len(), p);
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

impl DocumentScan for SharedScan {
    fn id(&self) -> usize {
        self.id
    }

    fn scan(&self, doc: &Document) -> Scanned {
        let t = crate::timings::start();
        let hits = SharedScan::scan(self, doc);
        crate::timings::nested("packs: shared scan", t);
        hits
    }
}

/// The filter of first bytes the scan tests before its automaton (see [`Heads`]).
pub(super) use crate::text::Heads;

/// Merge the automata of `rules` into one [`SharedScan`], which also finds the wrong forms of
/// `typo/variants` (registered with `document::scan_cache` for the rule to read). Used for the
/// built-in packs.
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
    let table = crate::rules::typo::variants::wrong_forms();
    let mut in_table = vec![false; strings.len()];
    for &w in table {
        let k = *index.entry(w.to_string()).or_insert_with(|| {
            strings.push(w.to_string());
            owners.push(Vec::new());
            in_table.push(false);
            strings.len() - 1
        });
        in_table[k] = true;
    }
    let Some(scan) = SharedScan::new(strings, owners, in_table) else {
        return; // too big to merge: every rule keeps its own automaton
    };
    let scan = Arc::new(scan);
    scan_cache::register(scan.clone(), table);
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
            let owners = vec![vec![(0, 0)]; strings.len()];
            let in_table = vec![false; strings.len()];
            let scan = SharedScan::new(strings, owners, in_table).expect("small automaton");
            proptest::prop_assume!(scan.heads.len > 0);
            let want: Vec<(usize, usize, usize)> = {
                let mut v: Vec<_> = ac
                    .find_overlapping_iter(s.as_str())
                    .map(|m| (m.start() + 7, m.end() + 7, m.pattern().as_usize()))
                    .collect();
                v.sort_unstable();
                v
            };
            let mut hits = Scanned::default();
            if let Some(head) = scan.heads.first(&s) {
                scan.scan_keys(7, &s, head, &mut hits);
            }
            let mut got: Vec<_> = hits.hits.iter().map(|h| (h.start, h.end, h.pattern)).collect();
            got.sort_unstable();
            proptest::prop_assert_eq!(got, want);
        }
    }
}

#[cfg(test)]
mod table_tests {
    use super::*;
    use crate::document::Format;
    use crate::rules::typo::{self, variants, Table};
    use crate::source::SourceFile;

    /// A scan of pack strings fused with a table's wrong forms, as [`share`] builds it.
    fn fused(packs: &[&str], table: &Table) -> SharedScan {
        let mut strings: Vec<String> = Vec::new();
        let mut owners = Vec::new();
        let mut in_table = Vec::new();
        for (slot, w) in packs.iter().enumerate() {
            strings.push(w.to_string());
            owners.push(vec![(slot, 0)]);
            in_table.push(false);
        }
        for w in &table.keys {
            match strings.iter().position(|s| s == w) {
                Some(k) => in_table[k] = true,
                None => {
                    strings.push(w.to_string());
                    owners.push(Vec::new());
                    in_table.push(true);
                }
            }
        }
        SharedScan::new(strings, owners, in_table).expect("small scan")
    }

    proptest::proptest! {
        /// The table's matches taken from the shared scan are what `Table::find_iter` finds
        /// in every body piece (a dateline cut off: a piece that starts mid-paragraph), in
        /// every prose piece and from every character of one: forms that overlap, are prefixes
        /// of each other, share a string with a pack, Markdown code that splits a paragraph.
        #[test]
        fn table_hits_are_find_iter(
            lines in proptest::collection::vec(
                (proptest::bool::ANY, proptest::collection::vec(0usize..16, 0..40)),
                1..6,
            ),
        ) {
            const ALPHABET: [char; 16] = [
                '逆', '竟', '时', '精', '采', '百', '废', '具', '兴', '其', '它', '，', '。', 'a', '`',
                '𠀀',
            ];
            let table = Table::parse(
                "逆竟\t逆境\n逆竟时\t逆境时\n竟时\t境时\n精采\t精彩\n百废具兴\t百废俱兴\n其它\t其他\n",
            );
            let scan = fused(&["其它", "时精采", "废具"], &table);
            let text: String = lines
                .iter()
                .map(|(dateline, picks)| {
                    let body: String = picks.iter().map(|&k| ALPHABET[k]).collect();
                    let head = if *dateline { "新华社北京12月4日电 " } else { "" };
                    format!("{head}{body}\n\n")
                })
                .collect();
            for format in [Format::Plain, Format::Markdown] {
                let doc = Document::parse(SourceFile::from_text(text.clone(), false), format);
                let hits = scan.scan(&doc).table;
                for (_, base, s) in typo::body_pieces(&doc) {
                    proptest::prop_assert_eq!(variants::from_hits(&hits, base, s), table.find_iter(s));
                }
                for (_, base, s) in doc.all_prose() {
                    for (i, _) in s.char_indices() {
                        proptest::prop_assert_eq!(
                            variants::from_hits(&hits, base + i, &s[i..]),
                            table.find_iter(&s[i..])
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_builtin_scan_is_registered_with_the_variant_table() {
        let _ = crate::catalog::Catalog::builtin();
        let text = "新华社北京12月4日电 晚会节目精采纷呈，其它节目也好。\n";
        let doc = Document::parse(SourceFile::from_text(text.into(), false), Format::Plain);
        let hits = scan_cache::table_hits(&doc, variants::wrong_forms()).expect("registered");
        let found: Vec<&str> = hits.iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(found, ["精采"]);
    }
}
