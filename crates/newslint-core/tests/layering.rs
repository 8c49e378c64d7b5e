//! The core's modules form no import cycle: arrows point down only (report → check → engine →
//! rules/packs → document → source/text), so that a module can be understood, tested and reused
//! without the ones above it.
//!
//! The test reads the core's sources, maps every file to its top-level module (`packs/scan.rs` →
//! `packs`, `rules/typo/variants.rs` → `rules`), collects the top-level modules each one names
//! through a `crate::` path (`use crate::error::ConfigError;`, `use crate::{baseline, suppress};`,
//! `crate::timings::start()` in an expression), and asserts that the graph is acyclic, printing
//! a cycle when it is not. Comments and the unit tests at the bottom of a file (from its first
//! `#[cfg(test)]`) are not read: a test may use any module to build its input.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src/").flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file belongs to (`None` for `lib.rs`, the crate root).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).expect("under src/");
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    if first == "lib.rs" {
        return None;
    }
    Some(first.trim_end_matches(".rs").to_string())
}

/// The code of a file without comments and without its unit tests.
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let line = match line.find("//") {
            // `//` inside a string literal ("https://…") is rare in `use` lines; a line cut
            // there only loses names, it cannot add any.
            Some(i) => &line[..i],
            None => line,
        };
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The top-level modules named by `crate::` paths in `code`.
fn targets(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        // `newslint_core::` or `$crate::` is not this crate's path.
        let before = rest[..i].chars().next_back();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::c, d::{e, f}}`: the first segment of each top-level item.
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        push_first(&item, &mut out);
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    item.push(c);
                }
            }
            push_first(&item, &mut out);
        } else {
            push_first(rest, &mut out);
        }
    }
    out
}

fn push_first(path: &str, out: &mut BTreeSet<String>) {
    let name: String = path
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if !name.is_empty() && name != "self" {
        out.insert(name);
    }
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut g = Graph::new();
    for f in files {
        let Some(m) = module_of(&src, &f) else {
            continue;
        };
        let text = std::fs::read_to_string(&f).expect("read source");
        let deps = g.entry(m.clone()).or_default();
        deps.extend(targets(&code(&text)).into_iter().filter(|t| *t != m));
    }
    g
}

/// A cycle of `g`, as the modules along it (first = last), or `None`.
fn find_cycle(g: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        n: &str,
        g: &Graph,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(n.to_string(), Mark::Open);
        path.push(n.to_string());
        for d in g.get(n).into_iter().flatten() {
            match marks.get(d.as_str()).copied().unwrap_or(Mark::New) {
                Mark::Open => {
                    let at = path
                        .iter()
                        .position(|p| p == d)
                        .expect("open is on the path");
                    let mut cycle = path[at..].to_vec();
                    cycle.push(d.clone());
                    return Some(cycle);
                }
                Mark::New => {
                    if let Some(c) = visit(d, g, marks, path) {
                        return Some(c);
                    }
                }
                Mark::Done => {}
            }
        }
        path.pop();
        marks.insert(n.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for n in g.keys() {
        if marks.get(n.as_str()).copied().unwrap_or(Mark::New) == Mark::New {
            if let Some(c) = visit(n, g, &mut marks, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn the_core_has_no_import_cycle() {
    let g = graph();
    // The graph is read, not empty: these arrows exist today and would be missed if parsing
    // broke.
    assert!(g.len() >= 15, "too few modules read: {g:?}");
    assert!(g["packs"].contains("document"), "{:?}", g["packs"]);
    assert!(g["driver"].contains("baseline"), "{:?}", g["driver"]);
    if let Some(cycle) = find_cycle(&g) {
        panic!(
            "import cycle among the core's modules: {}",
            cycle.join(" → ")
        );
    }
}

#[test]
fn the_document_model_is_below_packs_suppressions_and_config() {
    let g = graph();
    let mut below = BTreeSet::new();
    let mut todo = vec!["document".to_string()];
    while let Some(n) = todo.pop() {
        for d in g.get(&n).into_iter().flatten() {
            if below.insert(d.clone()) {
                todo.push(d.clone());
            }
        }
    }
    for above in [
        "packs", "suppress", "config", "catalog", "rules", "lint", "driver",
    ] {
        assert!(
            !below.contains(above),
            "document reaches {above}: {below:?}"
        );
    }
}

#[test]
fn the_parser_reads_paths_and_finds_cycles() {
    let t = targets(&code(
        "use crate::{baseline, suppress::{a, b}};\nuse crate::config::X; // crate::lint\n\
         let x = crate::timings::start();\nuse newslint_core::api;\n#[cfg(test)]\nuse crate::fix;",
    ));
    let want: BTreeSet<String> = ["baseline", "suppress", "config", "timings"]
        .map(String::from)
        .into();
    assert_eq!(t, want);
    let mut g = Graph::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("c".into());
    g.entry("c".into()).or_default().insert("a".into());
    assert_eq!(
        find_cycle(&g).map(|c| c.join(" ")),
        Some("a b c a".to_string())
    );
    g.get_mut("c").expect("c").clear();
    assert_eq!(find_cycle(&g), None);
}
