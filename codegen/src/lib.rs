//! odata-codegen: reads OData `$metadata` (CSDL XML, V2, V3 and V4) into one model and emits
//! a Rust crate of typed values.

pub mod diag;
pub mod edmx;
pub mod model;
