//! Baselines: record today's findings so that only new ones are reported.
//!
//! A finding is identified by its path, rule and a fingerprint of the text it points at with a
//! little context on each side, not by its line, which moves when copy above it changes. The
//! fingerprint is FNV-1a over that text, stable across platforms and releases.
//!
//! Paths are stored relative to the baseline file's folder, with `/` separators, so a baseline
//! written from the repository's root applies when newslint runs in a subfolder, or is given
//! absolute paths, or another machine's checkout.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::error::BaselineError;

/// Characters of context on each side of a span in its fingerprint.
const CONTEXT: usize = 12;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub fingerprint: String,
}

fn fnv1a(data: &[u8]) -> u64 {
    let mut h = crate::hash::Fnv1a::default();
    h.bytes(data);
    h.value()
}

/// The fingerprint of a diagnostic in `text`.
pub fn fingerprint(text: &str, d: &Diagnostic) -> String {
    let start = d.range.start.min(text.len());
    let end = d.range.end.clamp(start, text.len());
    let before: String = text[..start]
        .chars()
        .rev()
        .take(CONTEXT)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = text[end..].chars().take(CONTEXT).collect();
    let key = format!(
        "{}\u{0}{before}\u{0}{}\u{0}{after}",
        d.rule,
        &text[start..end]
    );
    format!("{:016x}", fnv1a(key.as_bytes()))
}

/// `file` as a baseline names it: relative to `dir` (both absolute and normalised, see
/// `lint::normalize`), `/`-separated, with `..` for a file outside `dir`.
pub fn relative_path(dir: &Path, file: &Path) -> String {
    let d: Vec<Component> = dir.components().collect();
    let f: Vec<Component> = file.components().collect();
    let common = d.iter().zip(&f).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); d.len() - common];
    parts.extend(
        f[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The folder a baseline file's paths are relative to, absolute and normalised.
pub fn folder_of(baseline: &Path, cwd: &Path) -> PathBuf {
    let abs = crate::lint::normalize(cwd, baseline);
    abs.parent().map(Path::to_path_buf).unwrap_or(abs)
}

/// A loaded baseline for the workers: the findings it excuses, by file.
#[derive(Debug, Default)]
pub struct Index {
    /// The baseline's folder (paths are relative to it).
    dir: PathBuf,
    /// The folder relative file paths start from.
    cwd: PathBuf,
    by_path: HashMap<String, HashMap<(String, String), usize>>,
}

impl Index {
    /// The baseline in file `path`, indexed; relative paths start from `cwd`.
    pub fn new(baseline: &Baseline, path: &Path, cwd: &Path) -> Index {
        let mut by_path: HashMap<String, HashMap<(String, String), usize>> = HashMap::new();
        for e in &baseline.findings {
            *by_path
                .entry(e.path.clone())
                .or_default()
                .entry((e.rule.clone(), e.fingerprint.clone()))
                .or_insert(0) += 1;
        }
        Index {
            dir: folder_of(path, cwd),
            cwd: cwd.to_path_buf(),
            by_path,
        }
    }

    /// The recorded findings of the file at `path` (as named on the command line): rule and
    /// fingerprint → how many.
    pub fn for_file(&self, path: &Path) -> Option<&HashMap<(String, String), usize>> {
        let abs = crate::lint::normalize(&self.cwd, path);
        self.by_path.get(&relative_path(&self.dir, &abs))
    }
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|error| BaselineError::Read {
            path: path.to_path_buf(),
            error,
        })?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| BaselineError::Format {
            path: path.to_path_buf(),
            why: e.to_string(),
        })?;
        if b.version != 1 {
            return Err(BaselineError::Version {
                path: path.to_path_buf(),
                version: b.version,
            });
        }
        Ok(b)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// A counting index: each recorded finding excuses one current finding.
    pub fn index(&self) -> HashMap<Entry, usize> {
        let mut m = HashMap::new();
        for e in &self.findings {
            *m.entry(e.clone()).or_insert(0) += 1;
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::relative_path;
    use std::path::Path;

    #[test]
    fn paths_relative_to_the_baseline_folder() {
        let rel = |d: &str, f: &str| relative_path(Path::new(d), Path::new(f));
        assert_eq!(rel("/repo", "/repo/news/a.txt"), "news/a.txt");
        assert_eq!(rel("/repo/ci", "/repo/news/a.txt"), "../news/a.txt");
        assert_eq!(rel("/repo", "/repo/a b/新闻.md"), "a b/新闻.md");
        assert_eq!(rel("/", "/a.txt"), "a.txt");
        assert_eq!(rel("/repo/x/y", "/other/a.txt"), "../../../other/a.txt");
    }
}
