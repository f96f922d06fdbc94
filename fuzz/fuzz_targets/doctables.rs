//! Documentation tables: read one in-memory document in every format (pipe tables, permission
//! blocks, numbered lists, embedded Swagger), build a model from it alone and emit the crate.
//! Warnings and schema errors are fine; panics, hangs and unbounded memory are not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use odata_codegen::diag::Diagnostics;
use odata_codegen::doctables::{self, DocSet};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let mut diags = Diagnostics::default();
    let mut set = DocSet::default();
    doctables::read_bytes(&mut set, Path::new("fuzz.md"), data, &mut diags);
    let mut diags = Diagnostics::default();
    let model = doctables::build::model_from_docs(&set, &mut diags);
    if !diags.has_errors() {
        let settings = odata_codegen::Settings::new(["fuzz.md"]);
        let _ = odata_codegen::generate_loaded(&settings, model, Vec::new());
    }
});
