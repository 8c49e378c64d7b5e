//! The packs' per-document cache: the built-in packs scan a document once for all their rules
//! (and for the wrong forms of the word tables the rules below them register, see
//! [`register`]) and keep the occurrences here, with the document, so the document model needs
//! nothing from the packs or rules above it.

use std::sync::{Arc, OnceLock};

use super::Document;

/// An occurrence of a fused pattern, in document bytes.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) pattern: usize,
}

/// What one scan of a document found.
#[derive(Debug, Default)]
pub struct Scanned {
    /// Every occurrence of every pack string, sorted by (start, end, pattern).
    pub(crate) hits: Vec<Hit>,
    /// Every occurrence of every string of the registered table (overlapping, at every
    /// character), as document byte ranges sorted by start and, at one start, longest first.
    pub(crate) table: Vec<(usize, usize)>,
}

/// Per-document result of the packs' shared scan (`packs::SharedScan`), kept with the document:
/// the id of the scan that filled it, and what it found.
#[derive(Debug, Default)]
pub struct ScanCache(pub(crate) OnceLock<(usize, Scanned)>);

/// A scan that fills [`ScanCache`]: the packs' shared scan, seen from below.
pub trait DocumentScan: Send + Sync {
    /// Tells caches of different scans apart.
    fn id(&self) -> usize;
    /// Scan `doc`.
    fn scan(&self, doc: &Document) -> Scanned;
}

/// The scan registered with [`register`], with the strings of the table it also looks for.
struct Registered {
    scan: Arc<dyn DocumentScan>,
    table: &'static [&'static str],
}

static REGISTERED: OnceLock<Registered> = OnceLock::new();

/// Register the built-in packs' shared scan, which also finds every occurrence of `table`'s
/// strings (the first registration stays; later ones are ignored).
pub fn register(scan: Arc<dyn DocumentScan>, table: &'static [&'static str]) {
    let _ = REGISTERED.set(Registered { scan, table });
}

/// Every occurrence in `doc`'s prose of every string of `table`, from the registered scan (run
/// now if the document has not been scanned yet), when that scan looks for exactly these
/// strings (the same slice, not a copy) and filled the document's cache. `None` otherwise: the
/// caller searches itself.
pub fn table_hits<'a>(
    doc: &'a Document,
    table: &'static [&'static str],
) -> Option<&'a [(usize, usize)]> {
    let r = REGISTERED.get()?;
    if !std::ptr::eq(r.table, table) {
        return None;
    }
    let (id, scanned) = doc
        .scan_cache
        .0
        .get_or_init(|| (r.scan.id(), r.scan.scan(doc)));
    (*id == r.scan.id()).then_some(&scanned.table[..])
}
