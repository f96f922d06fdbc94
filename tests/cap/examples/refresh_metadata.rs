//! Rewrites `metadata/v4.xml` and `metadata/v2.xml` with what the CAP server answers for
//! `$metadata` now: `cargo run -p odata-cap-tests --example refresh_metadata` (after changing
//! the CDS model in `server/`, or the npm packages). The clients are generated from these files
//! in build.rs; `tests/metadata.rs` fails when they are stale.

use odata_cap_tests::{Server, V2_PATH, V4_PATH, metadata_dir};

fn main() {
    let server =
        Server::start().expect("the npm packages are not installed: npm ci in tests/cap/server");
    for (path, file) in [(V4_PATH, "v4.xml"), (V2_PATH, "v2.xml")] {
        let (status, text) = server
            .get_text(&format!("{path}/$metadata"))
            .unwrap_or_else(|e| panic!("{e}\n--- server ---\n{}", server.log()));
        assert_eq!(
            status,
            200,
            "{path}/$metadata: {text}\n--- server ---\n{}",
            server.log()
        );
        let target = metadata_dir().join(file);
        std::fs::write(&target, text).unwrap_or_else(|e| panic!("{}: {e}", target.display()));
        println!("wrote {}", target.display());
    }
}
