//! End-to-end tests of odata-codegen live in `tests/`.
