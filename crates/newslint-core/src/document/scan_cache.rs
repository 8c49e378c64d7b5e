//! The packs' per-document cache: the built-in packs scan a document once for all their rules
//! and keep the occurrences here, with the document, so the document model needs nothing from
//! the packs above it.

use std::sync::OnceLock;

/// An occurrence of a fused pattern, in document bytes.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) pattern: usize,
}

/// Per-document result of the packs' shared scan (`packs::SharedScan`), kept with the document.
#[derive(Debug, Default)]
pub struct ScanCache(pub(crate) OnceLock<(usize, Vec<Hit>)>);
