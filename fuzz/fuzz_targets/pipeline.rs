//! The whole pipeline for one in-memory document: read, resolve, validate, select, emit tokens,
//! format with prettyplease (which parses every generated file with syn first) and render the
//! files of the crate. Schema errors are fine; panics, hangs, unbounded memory, generated code
//! that does not parse and file paths outside the crate are not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use odata_codegen::Error;
use std::path::{Component, Path};

fuzz_target!(|data: &[u8]| {
    match odata_codegen::generate_from_bytes("fuzz.xml", data) {
        Ok(generated) => {
            assert!(generated.files.contains_key("src/lib.rs"));
            for path in generated.files.keys() {
                assert!(
                    Path::new(path)
                        .components()
                        .all(|c| matches!(c, Component::Normal(_))),
                    "generated file path `{path}` leaves the crate directory"
                );
            }
        }
        Err(Error::Schema(diags)) => assert!(!diags.is_empty()),
        Err(e) => panic!("not a schema error: {e}"),
    }
});
