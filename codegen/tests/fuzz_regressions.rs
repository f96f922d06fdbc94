//! Regressions from fuzzing and hostile-input work (`fuzz/`): every file in
//! `tests/fixtures/fuzz/` goes through what the fuzz targets run (the reader; read, resolve and
//! validate; the whole pipeline to formatted files) and must come back, with or without errors,
//! quickly and without panicking. Hostile shapes too large to commit are built here.

use odata_codegen::Error;
use odata_codegen::diag::Severity;
use std::path::Path;
use std::time::{Duration, Instant};

/// What the `model` and `pipeline` fuzz targets do with one input, and how long it took.
fn run_pipeline(name: &str, bytes: &[u8]) -> Duration {
    let start = Instant::now();
    let (_, diags) = odata_codegen::load_from_bytes(name, bytes);
    let has_errors = diags
        .iter()
        .any(|d| d.diagnostic.severity == Severity::Error);
    match odata_codegen::generate_from_bytes(name, bytes) {
        Ok(generated) => {
            assert!(!has_errors, "{name}: generated despite errors");
            assert!(generated.files.contains_key("src/lib.rs"), "{name}");
        }
        Err(Error::Schema(d)) => assert!(has_errors && !d.is_empty(), "{name}"),
        Err(e) => panic!("{name}: not a schema error: {e}"),
    }
    start.elapsed()
}

#[test]
fn fuzz_fixtures_do_not_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/fuzz");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    entries.sort();
    for path in entries {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let took = run_pipeline(&name, &bytes);
        assert!(took < Duration::from_secs(20), "{name} took {took:?}");
    }
}

fn schema(body: &str) -> Vec<u8> {
    format!(
        r#"<Schema Namespace="N" xmlns="http://docs.oasis-open.org/odata/ns/edm">{body}</Schema>"#
    )
    .into_bytes()
}

/// A chain of 5,000 base types: breaking inheritance cycles and walking ancestries used a
/// `contains` per link, cubic over the chain (2,000 types took 80 s to load, 5,000 would take
/// about 20 minutes). Loading is now quadratic at worst (ancestry walks per type): a few seconds. (Generating such a chain is quadratic in output by design:
/// every type gets a polymorphic enum of all its derived types, so only loading is checked.)
#[test]
fn long_base_type_chain_loads_quickly() {
    let n = 5_000;
    let mut body = String::from(
        r#"<ComplexType Name="T0"><Property Name="p" Type="Edm.String"/></ComplexType>"#,
    );
    for i in 1..n {
        body.push_str(&format!(
            r#"<ComplexType Name="T{i}" BaseType="N.T{}"/>"#,
            i - 1
        ));
    }
    let start = Instant::now();
    let (model, diags) = odata_codegen::load_from_bytes("chain.xml", &schema(&body));
    assert!(
        diags
            .iter()
            .all(|d| d.diagnostic.severity != Severity::Error),
        "{diags:?}"
    );
    assert_eq!(model.types.len(), n);
    let took = start.elapsed();
    assert!(took < Duration::from_secs(30), "took {took:?}");
}

/// A base-type cycle through 5,000 types loads quickly and is reported, once: where it is
/// broken (a recovered problem, an error only in strict mode).
#[test]
fn long_base_type_cycle_is_reported_quickly() {
    let n = 5_000;
    let mut body = String::new();
    for i in 0..n {
        body.push_str(&format!(
            r#"<ComplexType Name="T{i}" BaseType="N.T{}"/>"#,
            (i + 1) % n
        ));
    }
    let start = Instant::now();
    let (_, diags) = odata_codegen::load_from_bytes("cycle.xml", &schema(&body));
    let cycles: Vec<_> = diags
        .iter()
        .filter(|d| d.diagnostic.message.contains("inheritance cycle"))
        .collect();
    assert_eq!(cycles.len(), 1, "a cycle must be reported once");
    assert!(cycles[0].diagnostic.recovery.is_some(), "{:?}", cycles[0]);
    let took = start.elapsed();
    assert!(took < Duration::from_secs(30), "took {took:?}");
}

/// What the `doctables` fuzz target does with one input: read it as a documentation-table
/// document, build a model from it alone, emit and render the crate.
fn run_doctables(name: &str, bytes: &[u8]) {
    use odata_codegen::diag::Diagnostics;
    use odata_codegen::doctables::{self, DocSet};
    let mut diags = Diagnostics::default();
    let mut set = DocSet::default();
    doctables::read_bytes(&mut set, Path::new(name), bytes, &mut diags);
    let mut diags = Diagnostics::default();
    let model = doctables::build::model_from_docs(&set, &mut diags);
    if diags.has_errors() {
        return;
    }
    let settings = odata_codegen::Settings::new([name]);
    let files = odata_codegen::generate_loaded(&settings, model, Vec::new())
        .unwrap_or_else(|e| panic!("{name}: generating failed: {e}"))
        .files;
    assert!(files.contains_key("src/lib.rs"), "{name}");
}

#[test]
fn doctables_fuzz_fixtures_do_not_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/fuzz-doctables");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    entries.sort();
    assert!(!entries.is_empty(), "no fixtures in {}", dir.display());
    for path in entries {
        let bytes = std::fs::read(&path).unwrap();
        run_doctables(&path.file_name().unwrap().to_string_lossy(), &bytes);
    }
}
