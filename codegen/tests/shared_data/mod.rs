//! Where the shared test data lives, and what a test does without it.
//!
//! The corpus of real `$metadata` documents (`corpus/`) and the documentation pages the
//! documentation-table reader was built from (`seeds/`) are not part of this repository: tests
//! read them by path from `../shared/`, next to the repository root, and never copy them. A test
//! that needs a missing file or directory says which and how to get it: on CI (`CI` set to
//! anything but `false`/`0`) it fails; elsewhere it is skipped with that note on stderr.
//!
//! Included by path (`#[path = ...] mod shared_data;`) from every test crate that reads them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root: the nearest ancestor of the including crate's directory that holds
/// `schemas/` and `codegen/`.
pub fn repo_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .find(|d| d.join("schemas").is_dir() && d.join("codegen").is_dir())
        .unwrap_or(here)
        .to_path_buf()
}

/// `../shared/{rel}` from the repository root (`rel` like `seeds/000_….txt` or
/// `corpus/graph`), or `None` after the note (off CI) when it is missing; panics on CI.
pub fn path(rel: &str) -> Option<PathBuf> {
    let p = repo_root().join("../shared").join(rel);
    if p.exists() {
        return Some(p);
    }
    missing(&p);
    None
}

/// Says that `p` is missing: a panic on CI, a note on stderr elsewhere.
pub fn missing(p: &Path) {
    let msg = format!(
        "test data missing: {} — the shared test data (corpus/: real $metadata documents; \
         seeds/: documentation pages) is read from ../shared next to the repository root; \
         put a copy of it there to run this test",
        p.display()
    );
    if on_ci() {
        panic!("{msg}");
    }
    eprintln!("skipped: {msg}");
}

fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Whether every `../shared/{rel}` exists; the missing ones are reported as by [`path`].
pub fn available(rels: &[&str]) -> bool {
    // Every one is looked up, so every missing one is reported.
    let missing = rels.iter().filter(|rel| path(rel).is_none()).count();
    missing == 0
}

/// The `.xml` files below `dir`, at any depth, in path order; panics when `dir` cannot be read.
pub fn xml_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "xml") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    files
}

/// The documents of the shared corpus (`corpus`, from [`path`]), then the repository's own
/// schemas (`schemas/`): every real `$metadata` the tests walk.
pub fn corpus_and_schemas(corpus: &Path) -> Vec<PathBuf> {
    let mut files = xml_files(corpus);
    files.extend(xml_files(&repo_root().join("schemas")));
    files
}

/// Runs `check` on every corpus document and schema (see [`corpus_and_schemas`]; at least 26),
/// printing `ok` with its summary or `FAIL` per document; returns `(file name, error)` of each
/// failure, or `None` (after the note) without the corpus.
pub fn check_corpus(
    check: impl Fn(&Path) -> Result<String, String>,
) -> Option<Vec<(String, String)>> {
    let files = corpus_and_schemas(&path("corpus")?);
    assert!(files.len() >= 26, "found only {} documents", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        match check(f) {
            Ok(summary) => eprintln!("ok   {name}: {summary}"),
            Err(e) => {
                eprintln!("FAIL {name}");
                failures.push((name, e));
            }
        }
    }
    Some(failures)
}
