//! The EDMX / CSDL reader alone: any bytes, read as one document. It must return (with or without
//! errors), never panic, hang or allocate without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use odata_codegen::diag::Diagnostics;
use odata_codegen::model::Model;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let mut model = Model::default();
    let mut diags = Diagnostics::default();
    let read =
        odata_codegen::edmx::read_document(&mut model, Path::new("fuzz.xml"), data, &mut diags);
    // A document that failed to read leaves an error behind.
    assert!(read.is_some() || diags.has_errors());
});
