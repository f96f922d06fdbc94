//! Reading, then resolving, recovering and validating the model (what `odata_codegen::load`
//! does, for one in-memory document): these run only on documents read without errors, as in
//! the real pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;
use odata_codegen::diag::Diagnostics;
use odata_codegen::model::{Model, recover, resolve, validate};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let mut model = Model::default();
    let mut diags = Diagnostics::default();
    odata_codegen::edmx::read_document(&mut model, Path::new("fuzz.xml"), data, &mut diags);
    if !diags.has_errors() {
        resolve::resolve(&mut model);
        recover::recover(&mut model, &mut diags);
        validate::validate(&model, &mut diags);
    }
});
