//! `odata-codegen diff --old FILE... --new FILE...`: each side may be several documents (the
//! inputs of a generated crate), and the usage is checked.

use std::process::Command;

const MAIN: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:Reference Uri="types.xml"><edmx:Include Namespace="Shared"/></edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="Main" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="Person"><Property Name="Home" Type="Shared.Address"/></ComplexType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;

fn types(extra: &str) -> String {
    format!(
        r#"<Schema Namespace="Shared" xmlns="http://docs.oasis-open.org/odata/ns/edm"><ComplexType Name="Address"><Property Name="City" Type="Edm.String"/>{extra}</ComplexType></Schema>"#
    )
}

fn diff(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_odata-codegen"))
        .arg("diff")
        .args(args)
        .output()
        .unwrap();
    let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        out.status.code().unwrap_or(-1),
        s(&out.stdout),
        s(&out.stderr),
    )
}

#[test]
fn several_documents_per_side() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    for (dir, extra) in [
        (&old, ""),
        (&new, r#"<Property Name="Zip" Type="Edm.String"/>"#),
    ] {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("main.xml"), MAIN).unwrap();
        std::fs::write(dir.join("types.xml"), types(extra)).unwrap();
    }
    let (om, ot, nm, nt) = (
        old.join("main.xml"),
        old.join("types.xml"),
        new.join("main.xml"),
        new.join("types.xml"),
    );
    let (code, out, err) = diff(&[
        "--old".as_ref(),
        om.as_os_str(),
        "--old".as_ref(),
        ot.as_os_str(),
        "--new".as_ref(),
        nm.as_os_str(),
        "--new".as_ref(),
        nt.as_os_str(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Shared.Address/Zip"), "{out}");
    // Mixing the forms is a usage error.
    let (code, _, err) = diff(&[
        om.as_os_str(),
        nm.as_os_str(),
        "--old".as_ref(),
        ot.as_os_str(),
    ]);
    assert_eq!(code, 2, "{err}");
}
