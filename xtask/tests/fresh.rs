//! `generated/` matches what `cargo xtask regenerate` would write from `schemas/`.

#[test]
fn generated_crates_are_fresh() {
    let stale = xtask::stale(&xtask::root()).expect("schemas generate");
    assert!(
        stale.is_empty(),
        "generated/ is out of date; run `cargo xtask regenerate`:\n{}",
        stale.join("\n")
    );
}

/// Generated crates declare the workspace's minimum Rust version (the runtime's).
#[test]
fn generated_crates_declare_the_workspace_rust_version() {
    let manifest = std::fs::read_to_string(xtask::root().join("Cargo.toml")).unwrap();
    let declared = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .expect("the workspace declares rust-version")
        .trim_matches('"');
    assert_eq!(declared, odata_codegen::emit::RUST_VERSION);
}
