//! Clients generated from documentation tables alone (see `build.rs`); `tests/urls.rs` snapshots
//! the URLs of their requests.

/// Microsoft Graph from seeds 000 (`User`), 003 (`DirectoryObject`) and 004 (`Calendars.ReadWrite`).
#[cfg(seeds)]
pub mod graph {
    include!(concat!(env!("OUT_DIR"), "/graph_tables.rs"));
}

/// Azure AD Graph (OData V3) from seeds 001 (operations on users, Swagger) and 002 (overview,
/// numbered property lists).
#[cfg(seeds)]
pub mod aad {
    include!(concat!(env!("OUT_DIR"), "/aad_tables.rs"));
}

/// Without the seed pages the crate has no clients: this says so (and fails on CI).
#[cfg(all(test, not(seeds)))]
#[path = "../../../codegen/tests/shared_data/mod.rs"]
mod shared_data;

#[cfg(all(test, not(seeds)))]
#[test]
fn the_seed_pages_are_missing() {
    shared_data::missing(&shared_data::repo_root().join("../shared/seeds"));
}
