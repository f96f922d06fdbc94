//! Generates the two clients of the CAP service from its own `$metadata`, as checked in under
//! `metadata/` (a test compares them with what the running server serves):
//! `$OUT_DIR/nursery_v4.rs` from `/odata/v4/nursery/$metadata` and `$OUT_DIR/nursery_v2.rs` from
//! `/odata/v2/nursery/$metadata` (the V2 adapter's translation of the same service).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    for (version, file) in [("v4", "nursery_v4.rs"), ("v2", "nursery_v2.rs")] {
        let output = odata_codegen::Config::new()
            .input(dir.join("metadata").join(format!("{version}.xml")))
            .file_name(file)
            .generate()?;
        assert_eq!(
            output.runtime_features,
            ["chrono", "decimal", "uuid"],
            "the runtime features in Cargo.toml must match what the {version} client needs"
        );
    }
    Ok(())
}
