//! Golden tests: every fixture in `tests/fixtures/golden/<concept>.xml` is generated in memory and
//! compared byte for byte with the checked-in crate in `tests/golden/<concept>/`. The checked-in
//! crates are workspace members, so `cargo test --workspace` and `cargo clippy --workspace` also
//! compile them.
//!
//! To accept new output: `UPDATE_GOLDEN=1 cargo test -p odata-codegen-tests --test golden`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const UPDATE: &str = "UPDATE_GOLDEN=1 cargo test -p odata-codegen-tests --test golden";

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures_dir() -> PathBuf {
    manifest_dir().join("fixtures").join("golden")
}

fn snapshots_dir() -> PathBuf {
    manifest_dir().join("golden")
}

/// `(concept, fixture path)` for every `*.xml` in the fixtures directory, sorted.
fn fixtures() -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures/golden exists")
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .map(|p| {
            let concept = p.file_stem().unwrap().to_string_lossy().into_owned();
            (concept, p)
        })
        .collect();
    out.sort();
    assert!(
        !out.is_empty(),
        "no fixtures in {}",
        fixtures_dir().display()
    );
    out
}

fn settings(concept: &str, fixture: &Path) -> odata_codegen::Settings {
    let mut s = odata_codegen::Settings::new([fixture]);
    s.crate_name = Some(format!("golden-{}", concept.replace('_', "-")));
    s.standalone_workspace = false;
    // Relative to tests/golden/<concept>/, so the snapshot is the same on every machine.
    s.runtime = odata_codegen::RuntimeDep::Path("../../../codegen/runtime".into());
    // The fixture of a setting is generated with it.
    s.nullable_items = concept == "nullable_items";
    s
}

fn generate(concept: &str, fixture: &Path) -> BTreeMap<String, String> {
    match odata_codegen::generate(&settings(concept, fixture)) {
        Ok(g) => g.files,
        Err(e) => panic!("{}: generation failed:\n{e}", fixture.display()),
    }
}

/// Files under `dir`, relative, with `/` separators.
fn files_on_disk(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap();
                let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                out.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Differences between the generated files and the snapshot directory, described.
fn compare(concept: &str, generated: &BTreeMap<String, String>, dir: &Path) -> Vec<String> {
    let disk = files_on_disk(dir);
    let mut out = Vec::new();
    let shown = format!("tests/golden/{concept}");
    for (rel, text) in generated {
        match disk.get(rel) {
            None => out.push(format!("{shown}/{rel}: missing")),
            Some(b) if b != text.as_bytes() => {
                let first = first_difference(&String::from_utf8_lossy(b), text);
                out.push(format!("{shown}/{rel}: differs ({first})"));
            }
            Some(_) => {}
        }
    }
    for rel in disk.keys() {
        if !generated.contains_key(rel) {
            out.push(format!("{shown}/{rel}: not generated (extra file)"));
        }
    }
    out
}

fn first_difference(old: &str, new: &str) -> String {
    let (mut a, mut b) = (old.lines(), new.lines());
    for n in 1.. {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => continue,
            (None, None) => return "line endings or trailing newline".into(),
            (x, y) => {
                return format!(
                    "first at line {n}: snapshot {:?}, generated {:?}",
                    x.unwrap_or("<end>"),
                    y.unwrap_or("<end>")
                );
            }
        }
    }
    unreachable!()
}

#[test]
fn snapshots_match_generated_code() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| !v.is_empty() && v != "0");
    let mut problems = Vec::new();
    for (concept, fixture) in fixtures() {
        let files = generate(&concept, &fixture);
        let dir = snapshots_dir().join(&concept);
        if update && let Err(e) = odata_codegen::write::write_atomic(&dir, &files) {
            panic!("{}: cannot write snapshot: {e}", dir.display());
        }
        problems.extend(compare(&concept, &files, &dir));
    }
    assert!(
        problems.is_empty(),
        "golden snapshots are stale:\n  {}\nIf the change is intended, run:\n  {UPDATE}",
        problems.join("\n  ")
    );
}

#[test]
fn every_snapshot_has_a_fixture() {
    let concepts: Vec<String> = fixtures().into_iter().map(|(c, _)| c).collect();
    let mut orphans = Vec::new();
    // A missing directory is reported by `snapshots_match_generated_code`.
    for e in std::fs::read_dir(snapshots_dir()).into_iter().flatten() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        // Hidden entries are staging directories of an interrupted update.
        if p.is_dir() && !name.starts_with('.') && !concepts.contains(&name) {
            orphans.push(format!("tests/golden/{name}"));
        }
    }
    assert!(
        orphans.is_empty(),
        "snapshot directories without a fixture in tests/fixtures/golden: {orphans:?}"
    );
}

#[test]
fn fixtures_generate_without_diagnostics() {
    let mut problems = Vec::new();
    for (concept, fixture) in fixtures() {
        match odata_codegen::generate(&settings(&concept, &fixture)) {
            Ok(g) => {
                for w in &g.warnings {
                    problems.push(format!("{concept}: {w}"));
                }
                assert!(
                    g.files.contains_key("Cargo.toml"),
                    "{concept}: no Cargo.toml"
                );
                assert!(
                    g.files.contains_key("src/lib.rs"),
                    "{concept}: no src/lib.rs"
                );
            }
            Err(e) => problems.push(format!("{concept}: {e}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn generation_is_deterministic() {
    for (concept, fixture) in fixtures() {
        let a = generate(&concept, &fixture);
        let b = generate(&concept, &fixture);
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{concept}"
        );
        for (rel, text) in &a {
            assert!(
                text.as_bytes() == b[rel].as_bytes(),
                "{concept}: {rel} differs between two runs: {}",
                first_difference(text, &b[rel])
            );
        }
    }
}

#[test]
fn snapshots_are_workspace_members() {
    let root = manifest_dir().parent().unwrap().join("Cargo.toml");
    let manifest = std::fs::read_to_string(&root).unwrap();
    let missing: Vec<String> = fixtures()
        .into_iter()
        .map(|(c, _)| format!("\"tests/golden/{c}\""))
        .filter(|m| !manifest.contains(m.as_str()))
        .collect();
    // Crates excluded while a generator bug is open are listed here, with the reason.
    let excluded: &[&str] = EXCLUDED;
    let missing: Vec<&String> = missing
        .iter()
        .filter(|m| !excluded.iter().any(|e| m.contains(&format!("/{e}\""))))
        .collect();
    assert!(
        missing.is_empty(),
        "add these to `members` in Cargo.toml so they are compiled: {missing:?}"
    );
}

/// Golden crates left out of the workspace members because their generated code does not
/// compile or is not clippy-clean (see the report of the commit that added them).
const EXCLUDED: &[&str] = &[];

/// Descriptions are text: `[x]`, `<T>`, bare URLs and code fences in a schema's descriptions
/// must not become links, HTML, doctests or rustdoc warnings.
#[test]
fn descriptions_render_without_rustdoc_warnings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("doc-check");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTDOCFLAGS", "-D warnings")
        .args(["doc", "--quiet", "--no-deps", "-p", "golden-descriptions"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo doc -p golden-descriptions with -D warnings failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
