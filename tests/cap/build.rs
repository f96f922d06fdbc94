//! Generates the two clients of the CAP service from its own `$metadata`, as checked in under
//! `metadata/` (a test compares them with what the running server serves):
//! `$OUT_DIR/nursery_v4.rs` from `/odata/v4/nursery/$metadata` and `$OUT_DIR/nursery_v2.rs` from
//! `/odata/v2/nursery/$metadata` (the V2 adapter's translation of the same service).
//!
//! And `$OUT_DIR/sap_business_partner.rs` from the S/4HANA Business Partner API's `$metadata` in
//! `../shared/corpus` (served by SAP's Fiori mock server in `tests/sap_mock.rs`). Without that
//! file the crate builds without this client (`cfg(sap_bp_corpus)` unset) and the test that
//! needs it says what is missing, failing on CI.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    sap_business_partner(&dir)?;
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

/// The path of the S/4HANA Business Partner API's `$metadata` in the shared corpus.
const SAP_BP: &str = "../../../shared/corpus/services/sap_API_BUSINESS_PARTNER_v2.xml";

fn sap_business_partner(dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rustc-check-cfg=cfg(sap_bp_corpus)");
    let metadata = dir.join(SAP_BP);
    println!("cargo::rerun-if-changed={}", metadata.display());
    if !metadata.exists() {
        println!(
            "cargo::warning=the S/4HANA Business Partner $metadata is not at {}: \
             odata-cap-tests builds without its client",
            metadata.display()
        );
        return Ok(());
    }
    println!("cargo::rustc-cfg=sap_bp_corpus");
    let output = odata_codegen::Config::new()
        .input(&metadata)
        .file_name("sap_business_partner.rs")
        .generate()?;
    assert_eq!(
        output.runtime_features,
        ["chrono", "decimal", "uuid"],
        "the runtime features in Cargo.toml must match what the Business Partner client needs"
    );
    Ok(())
}
