//! Every `$metadata` document of the shared corpus (and every schema of `schemas/`) generates,
//! through the CLI, a crate that passes `cargo clippy -- -D warnings`.
//!
//! All crates go into one workspace under the cargo target directory, so a re-run rebuilds only
//! what changed (unchanged generated files keep their modification time).

mod shared_data;

use std::path::{Path, PathBuf};
use std::process::Command;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The documents of the shared corpus and the schemas.
fn corpus_files(corpus: &Path) -> Vec<PathBuf> {
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
    walk(corpus, &mut files);
    walk(&manifest_dir().join("../schemas"), &mut files);
    files
}

fn crate_dir_name(p: &Path) -> String {
    let stem = p.file_stem().unwrap().to_string_lossy().to_lowercase();
    stem.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

#[test]
fn every_corpus_document_generates_a_crate_that_passes_clippy() {
    let (Some(corpus), Some(seeds)) = (shared_data::path("corpus"), shared_data::path("seeds"))
    else {
        return;
    };
    let files = corpus_files(&corpus);
    assert!(
        files.len() >= 26,
        "expected the 24 corpus documents and 2 schemas, found {}",
        files.len()
    );
    let ws = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("corpus-check");
    std::fs::create_dir_all(&ws).unwrap();
    let mut members = Vec::new();
    let mut failures = Vec::new();
    for f in &files {
        let name = crate_dir_name(f);
        let out = Command::new(env!("CARGO_BIN_EXE_odata-codegen"))
            .args(["generate", "--in-workspace", "--crate-name"])
            .arg(format!("corpus-{name}"))
            .arg("--input")
            .arg(f)
            .arg("--out")
            .arg(ws.join(&name))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": error:")).collect();
        if !out.status.success() || !errors.is_empty() {
            failures.push(format!(
                "{}: exit {:?}\n{}",
                f.display(),
                out.status.code(),
                stderr
            ));
        }
        members.push(name);
    }
    // Filtered: only Graph v1.0's `users` entity set and what it needs.
    let graph = corpus.join("graph/graph-v1.0_schemas-v1.0-Prod_2026-08-03.xml");
    let out = Command::new(env!("CARGO_BIN_EXE_odata-codegen"))
        .args([
            "generate",
            "--in-workspace",
            "--crate-name",
            "corpus-graph-users",
        ])
        .args(["--include", "users", "--input"])
        .arg(&graph)
        .arg("--out")
        .arg(ws.join("graph-users"))
        .output()
        .unwrap();
    if !out.status.success() {
        failures.push(format!(
            "graph users subset: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    members.push("graph-users".to_string());
    // Extern type mappings: the generated code must compile against the mapped types.
    let out = Command::new(env!("CARGO_BIN_EXE_odata-codegen"))
        .args([
            "generate",
            "--in-workspace",
            "--crate-name",
            "corpus-graph-extern",
        ])
        .args(["--extern-type", "Edm.Guid=::std::string::String"])
        .args([
            "--extern-type",
            "graph.passwordProfile=::odata_runtime::Json",
            "--input",
        ])
        .arg(manifest_dir().join("../schemas/graph-directory.xml"))
        .arg("--out")
        .arg(ws.join("graph-extern"))
        .output()
        .unwrap();
    if !out.status.success() {
        failures.push(format!(
            "extern types: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    members.push("graph-extern".to_string());
    // Cargo features per entity set and singleton: all on here (the default), `users` alone below.
    let out = Command::new(env!("CARGO_BIN_EXE_odata-codegen"))
        .args([
            "generate",
            "--in-workspace",
            "--crate-name",
            "corpus-graph-areas",
        ])
        .args(["--area-features", "--input"])
        .arg(&graph)
        .arg("--out")
        .arg(ws.join("graph-areas"))
        .output()
        .unwrap();
    if !out.status.success() {
        failures.push(format!(
            "area features: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    members.push("graph-areas".to_string());
    // Documentation tables alone (seeds 000, 003 and 004, no `$metadata`): the model they build
    // generates a crate that passes clippy like the others (issue 4).
    let out = Command::new(env!("CARGO_BIN_EXE_odata-codegen"))
        .args(["generate", "--in-workspace", "--crate-name", "seed-docs"])
        .arg("--docs")
        .arg(seeds.join("000_c1375e0292258f86.txt"))
        .arg("--docs")
        .arg(seeds.join("003_8abac902b6d3cbfe.txt"))
        .arg("--docs")
        .arg(seeds.join("004_eaf2e9ac62ef8ebc.txt"))
        .arg("--out")
        .arg(ws.join("seed-docs"))
        .output()
        .unwrap();
    if !out.status.success() {
        failures.push(format!(
            "documentation tables alone: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    members.push("seed-docs".to_string());
    assert!(
        failures.is_empty(),
        "generation failed:\n{}",
        failures.join("\n")
    );

    let list: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n",
        list.join("\n")
    );
    std::fs::write(ws.join("Cargo.toml"), manifest).unwrap();
    // Same dependency versions as this repository: no resolution surprises, no network needed
    // when the registry cache is warm.
    let lock = ws.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(manifest_dir().join("../Cargo.lock"), &lock).unwrap();
    }

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(&ws)
        .env("CARGO_TARGET_DIR", ws.join("target"))
        .env_remove("RUSTFLAGS")
        .args([
            "clippy",
            "--workspace",
            "--keep-going",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo clippy -D warnings failed on the generated crates in {}:\n{}",
        ws.display(),
        String::from_utf8_lossy(&out.stderr)
    );

    // With only the `users` feature, the Graph crate still compiles warning-free: navigation
    // properties to types of other areas fall back to JSON.
    let manifest = std::fs::read_to_string(ws.join("graph-areas/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("default = [\"full\"]") && manifest.contains("\n\"users\" = []\n"),
        "{manifest}"
    );
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(&ws)
        .env("CARGO_TARGET_DIR", ws.join("target"))
        .env_remove("RUSTFLAGS")
        .args([
            "clippy",
            "--quiet",
            "-p",
            "corpus-graph-areas",
            "--no-default-features",
        ])
        .args(["--features", "users", "--", "-D", "warnings"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo clippy --features users failed on graph-areas:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
