//! Embeds the built-in rule packs: every folder of `lints/` that has a `pack.toml`.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("lints");
    println!("cargo:rerun-if-changed=lints");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("lints/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("pack.toml").is_file())
        .collect();
    dirs.sort();
    let mut out = String::from("&[\n");
    for d in dirs {
        println!("cargo:rerun-if-changed={}", d.display());
        let name = d.file_name().and_then(|n| n.to_str()).expect("utf-8 name");
        let mut files: Vec<_> = std::fs::read_dir(&d)
            .expect("pack dir")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().and_then(|x| x.to_str()) == Some("toml"))
            .collect();
        files.sort();
        let _ = writeln!(out, "    ({name:?}, &[");
        for f in files {
            println!("cargo:rerun-if-changed={}", f.display());
            let file = f.file_name().and_then(|n| n.to_str()).expect("utf-8 name");
            let _ = writeln!(
                out,
                "        ({file:?}, include_str!({:?})),",
                f.display().to_string()
            );
        }
        out.push_str("    ]),\n");
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("builtin_packs.rs");
    std::fs::write(dest, out).expect("write builtin_packs.rs");
}
