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
