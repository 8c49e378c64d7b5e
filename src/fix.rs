//! Applying fixes to text, and writing files without ever losing one.

use std::io::Write;
use std::path::Path;

use crate::diagnostic::{Applicability, Diagnostic};

/// Apply the non-overlapping fixes of `diags` to `text`. Returns the new text and the number of
/// fixes applied. A fix is applied whole or not at all; a fix that overlaps one already taken
/// waits for the next pass (the caller re-lints and calls again).
pub fn apply(text: &str, diags: &[Diagnostic], allow_unsafe: bool) -> (String, usize) {
    let mut fixes: Vec<_> = diags
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| allow_unsafe || f.applicability == Applicability::Safe)
        .filter(|f| !f.edits.is_empty())
        .collect();
    fixes.sort_by_key(|f| (f.range().start, f.range().end));
    let mut edits = Vec::new();
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    let mut count = 0;
    for fix in fixes {
        let mut own: Vec<_> = fix.edits.iter().collect();
        own.sort_by_key(|e| (e.range.start, e.range.end));
        let valid = own.iter().all(|e| {
            e.range.start <= e.range.end
                && e.range.end <= text.len()
                && text.is_char_boundary(e.range.start)
                && text.is_char_boundary(e.range.end)
        }) && own.windows(2).all(|w| w[0].range.end <= w[1].range.start);
        let overlaps = own.iter().any(|e| {
            taken
                .iter()
                .any(|t| e.range.start < t.end && t.start < e.range.end || e.range == *t)
        });
        if !valid || overlaps {
            continue;
        }
        taken.extend(own.iter().map(|e| e.range.clone()));
        edits.extend(own);
        count += 1;
    }
    if count == 0 {
        return (text.to_string(), 0);
    }
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for e in edits {
        out.push_str(&text[last..e.range.start]);
        out.push_str(&e.replacement);
        last = e.range.end;
    }
    out.push_str(&text[last..]);
    (out, count)
}

/// Replace `path`'s content atomically: a temporary file in the same folder, then a rename.
/// Symlinks are followed (the target is rewritten, the link kept) and permissions are kept.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let perms = std::fs::metadata(&target)?.permissions();
    let mut tmp = tempfile::Builder::new()
        .prefix(".newslint-")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    std::fs::set_permissions(tmp.path(), perms)?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// A unified diff of `old` → `new` for `--diff`.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(1)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
    use crate::source::Position;

    fn diag(fix: Fix) -> Diagnostic {
        let p = Position { line: 1, column: 1 };
        Diagnostic {
            rule: "t".into(),
            severity: Severity::Error,
            message: String::new(),
            label: String::new(),
            help: None,
            range: fix.range(),
            start: p,
            end: p,
            labels: vec![],
            fix: Some(fix),
        }
    }

    fn e(r: std::ops::Range<usize>, s: &str) -> Edit {
        Edit {
            range: r,
            replacement: s.into(),
        }
    }

    #[test]
    fn applies_non_overlapping_and_skips_unsafe() {
        let text = "ab,cd;ef";
        let d = vec![
            diag(Fix::safe(vec![e(2..3, "，")])),
            diag(Fix::safe(vec![e(2..4, "X")])),
            diag(Fix::unsafe_(vec![e(5..6, "；")])),
        ];
        assert_eq!(apply(text, &d, false), ("ab，cd;ef".to_string(), 1));
        assert_eq!(apply(text, &d, true), ("ab，cd；ef".to_string(), 2));
    }

    #[test]
    fn rejects_edits_off_char_boundaries() {
        let d = vec![diag(Fix::safe(vec![e(1..2, "x")]))];
        assert_eq!(apply("中", &d, false).1, 0);
    }
}
