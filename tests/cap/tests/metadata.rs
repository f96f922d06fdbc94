//! The clients are generated from checked-in copies of the server's `$metadata`: they must be
//! what the server answers now, or the tests would exercise a stale client.

use odata_cap_tests::{V2_PATH, V4_PATH, metadata_dir, normalize_xml, shared};

const REFRESH: &str = "cargo run -p odata-cap-tests --example refresh_metadata";

fn check(path: &str, file: &str) {
    let Some(server) = shared() else { return };
    let (status, live) = server
        .get_text(&format!("{path}/$metadata"))
        .unwrap_or_else(|e| panic!("{e}\n--- server ---\n{}", server.log()));
    assert_eq!(
        status,
        200,
        "{path}/$metadata: {live}\n--- server ---\n{}",
        server.log()
    );
    let copy = metadata_dir().join(file);
    let checked_in =
        std::fs::read_to_string(&copy).unwrap_or_else(|e| panic!("{}: {e}", copy.display()));
    assert!(
        normalize_xml(&live) == normalize_xml(&checked_in),
        "{} is not what the server answers for {path}/$metadata; run `{REFRESH}` and review the \
         diff (the generated client changes with it)",
        copy.display()
    );
}

#[test]
fn v4_metadata_is_the_checked_in_copy() {
    check(V4_PATH, "v4.xml");
}

#[test]
fn v2_metadata_is_the_checked_in_copy() {
    check(V2_PATH, "v2.xml");
}
