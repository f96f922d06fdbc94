//! Generates every Microsoft Graph v1.0 type (the shared corpus copy) into `$OUT_DIR/graph_v1.rs`.
//!
//! Types only: this crate round-trips payloads, and the test profile builds it with code
//! generation; the full crate with request builders is checked (clippy) by the corpus test.
//!
//! The document is read from `../shared/corpus` next to the repository. Without it the crate
//! builds empty (`cfg(graph_v1_corpus)` unset) and its one remaining test says what is missing.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rustc-check-cfg=cfg(graph_v1_corpus)");
    let dir = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let metadata =
        dir.join("../../../shared/corpus/graph/graph-v1.0_schemas-v1.0-Prod_2026-08-03.xml");
    if !metadata.exists() {
        println!("cargo::rerun-if-changed={}", metadata.display());
        println!(
            "cargo::warning=Graph v1.0 $metadata not found at {}: graph-v1-payloads builds without its types",
            metadata.display()
        );
        return Ok(());
    }
    println!("cargo::rustc-cfg=graph_v1_corpus");
    let output = odata_codegen::Config::new()
        .input(&metadata)
        .file_name("graph_v1.rs")
        .builders(false)
        .generate()?;
    assert_eq!(
        output.runtime_features,
        ["base64", "chrono", "decimal", "uuid"]
    );
    Ok(())
}
