//! Baselines: record today's findings so that only new ones are reported.
//!
//! A finding is identified by its path, rule and a fingerprint of the text it points at with a
//! little context on each side, not by its line, which moves when copy above it changes. The
//! fingerprint is FNV-1a over that text, stable across platforms and releases.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;

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

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("无法读取基线文件 {}：{e}", path.display()))?;
        let b: Baseline = serde_json::from_str(&text)
            .map_err(|e| format!("基线文件 {} 格式有误：{e}", path.display()))?;
        if b.version != 1 {
            return Err(format!(
                "基线文件 {} 的版本 {} 不受支持",
                path.display(),
                b.version
            ));
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
