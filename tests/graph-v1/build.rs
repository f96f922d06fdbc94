//! Generates every Microsoft Graph v1.0 type (the shared corpus copy) into `$OUT_DIR/graph_v1.rs`.
//!
//! Types only: this crate round-trips payloads, and the test profile builds it with code
//! generation; the full crate with request builders is checked (clippy) by the corpus test.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let metadata =
        dir.join("../../../shared/corpus/graph/graph-v1.0_schemas-v1.0-Prod_2026-08-03.xml");
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
