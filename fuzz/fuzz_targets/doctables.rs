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
        let selection = odata_codegen::select::select(&model, &Default::default())
            .expect("the default filter is valid");
        let opts = odata_codegen::emit::CrateOptions {
            crate_name: "fuzz".into(),
            runtime: odata_codegen::default_runtime(),
            standalone_workspace: true,
            inputs: vec!["fuzz.md".into()],
            area_features: false,
            parts: Default::default(),
        };
        if let Ok(tokens) = odata_codegen::emit::emit_crate(&model, &selection, &opts) {
            let _ = odata_codegen::write::render(tokens);
        }
    }
});
