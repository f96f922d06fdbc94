//! Generates the TripPin reference service's types into `$OUT_DIR/trippin.rs`.
//!
//! The document is read from `../shared/corpus` next to the repository. Without it the crate
//! builds empty (`cfg(trippin_corpus)` unset) and its one remaining test says what is missing.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rustc-check-cfg=cfg(trippin_corpus)");
    let dir = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let metadata = dir.join("../../../shared/corpus/reference/trippin_v4_TripPinServiceRW.xml");
    if !metadata.exists() {
        println!("cargo::rerun-if-changed={}", metadata.display());
        println!(
            "cargo::warning=TripPin $metadata not found at {}: trippin-example builds without its types",
            metadata.display()
        );
        return Ok(());
    }
    println!("cargo::rustc-cfg=trippin_corpus");
    let output = odata_codegen::Config::new()
        .input(&metadata)
        .file_name("trippin.rs")
        .generate()?;
    // The dependency on odata-runtime in Cargo.toml must enable these.
    assert_eq!(output.runtime_features, ["chrono", "uuid"]);
    Ok(())
}
