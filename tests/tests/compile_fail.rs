//! Typed filters that must not compile (`odata_runtime::filter`): each case in
//! `tests/compile_fail/` is checked to fail with the error in its `.stderr` file.
//!
//! After an intended change of the messages (or a new Rust version wording them differently):
//! `TRYBUILD=overwrite cargo test -p odata-codegen-tests --test compile_fail`, then review the
//! `.stderr` diffs.

#[test]
fn wrong_filters_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/compile_fail/*.rs");
}
