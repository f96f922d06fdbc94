//! Generates the TripPin reference service's types into `$OUT_DIR/trippin.rs`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let metadata = dir.join("../../../shared/corpus/reference/trippin_v4_TripPinServiceRW.xml");
    let output = odata_codegen::Config::new()
        .input(&metadata)
        .file_name("trippin.rs")
        .generate()?;
    // The dependency on odata-runtime in Cargo.toml must enable these.
    assert_eq!(output.runtime_features, ["chrono", "uuid"]);
    Ok(())
}
