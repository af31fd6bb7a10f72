//! Guard: the billing engine stays pure Rust. It must not import any web crate, so that it is
//! tested natively and could be reused anywhere (the CLI already does).

use std::fs;
use std::path::{Path, PathBuf};

const WEB_CRATES: [&str; 6] = [
    "leptos",
    "web_sys",
    "wasm_bindgen",
    "js_sys",
    "gloo",
    "console_error_panic_hook",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn engine_imports_no_web_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("src/engine.rs"), root.join("src/input.rs")];
    rust_files(&root.join("src/engine"), &mut files);
    assert!(files.len() > 8, "the engine modules were not found");
    let mut offenders = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for krate in WEB_CRATES {
                if code.contains(&format!("{krate}::"))
                    || code.contains(&format!("use {krate}"))
                    || code.contains(&format!("extern crate {krate}"))
                {
                    offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "the engine must stay free of web crates:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_guard_would_catch_an_import() {
    // The check above is only worth something if it fires on a real import line.
    let line = "use leptos::prelude::*;";
    assert!(WEB_CRATES.iter().any(|k| line.contains(&format!("{k}::"))));
}
