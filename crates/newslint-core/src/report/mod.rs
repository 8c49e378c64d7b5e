//! Output formats. Each turns diagnostics into text; the CLI decides where it goes (the human
//! format, miette's graphical reports, is the CLI's: `src/human.rs` at the workspace root).

use crate::diagnostic::Severity;
use crate::driver::FileOutcome;

pub mod github;
pub mod html;
pub mod json;
pub mod sarif;
pub mod short;
pub mod xml;

/// What a renderer's `write` puts out, as a string: for tests and callers that want the text in
/// memory (`report::to_string(|w| json::write(w, &outcomes, &summary))`). The renderers write
/// UTF-8 only; a write into memory cannot fail.
pub fn to_string(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&mut out).expect("writing into memory does not fail");
    String::from_utf8(out).expect("renderers write UTF-8")
}

/// `f` of each `chunk`-sized piece of `items`, the pieces done on every core, the results in
/// order (for a front end that renders a large file's findings: the CLI has no thread pool of its
/// own).
pub fn map_chunks<T: Sync, R: Send>(
    items: &[T],
    chunk: usize,
    f: impl Fn(&[T]) -> R + Sync + Send,
) -> Vec<R> {
    use rayon::prelude::*;
    items.par_chunks(chunk.max(1)).map(f).collect()
}

/// Threads that [`map_chunks`] shares its pieces out to.
pub fn threads() -> usize {
    rayon::current_num_threads()
}

/// Counts over a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings with a safe fix.
    pub fixable: usize,
    /// Findings with an unsafe fix.
    pub fixable_unsafe: usize,
    pub fixed: usize,
    pub io_errors: usize,
}

impl Summary {
    pub fn of(outcomes: &[FileOutcome]) -> Summary {
        let mut s = Summary::default();
        for o in outcomes {
            s.add(o);
        }
        s
    }

    /// Count one more file's outcome.
    pub fn add(&mut self, o: &FileOutcome) {
        if !o.failed && !o.skipped {
            self.files += 1;
        }
        if o.failed {
            self.io_errors += 1;
        }
        self.fixed += o.fixed;
        for d in &o.diagnostics {
            if d.rule == "plugin" {
                self.io_errors += 1;
                continue;
            }
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
            match d.fix.as_ref().map(|f| f.applicability) {
                Some(crate::diagnostic::Applicability::Safe) => self.fixable += 1,
                Some(crate::diagnostic::Applicability::Unsafe) => self.fixable_unsafe += 1,
                None => {}
            }
        }
    }
}
