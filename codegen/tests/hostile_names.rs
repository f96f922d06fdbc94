//! Names from a schema never reach the file system or the generated code unchecked: path-like
//! namespaces and type names, and names that look like code, become deterministic identifiers
//! (with a located warning), every file stays inside the output directory, and the wire names
//! are kept exactly as string literals.

use std::path::Path;
use std::process::Command;

const EVIL: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="../../escape" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <ComplexType Name="a/b"><Property Name="../x" Type="Edm.String"/><Property Name="*/ fn main() {} /*" Type="Edm.String"/></ComplexType>
  <EnumType Name="..\y"><Member Name="a b"/></EnumType>
</Schema></edmx:DataServices></edmx:Edmx>
"#;

fn files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(root, &p, out);
        } else {
            out.push(
                p.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
}

#[test]
fn path_like_and_code_like_names_are_made_safe() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("a/b/c");
    std::fs::create_dir_all(&work).unwrap();
    let input = work.join("evil.xml");
    std::fs::write(&input, EVIL).unwrap();
    let out = work.join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_odata-codegen"))
        .args(["generate", "-i"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    for w in [
        "evil.xml:2:1: warning: schema namespace `../../escape` is not a dotted CSDL identifier; its module is `escape`",
        "evil.xml:3:3: warning: complex type name `a/b` is not a valid CSDL identifier; generated as `AB`",
        "evil.xml:3:68: warning: property name `*/ fn main() {} /*` is not a valid CSDL identifier; generated as `fn_main`",
    ] {
        assert!(stderr.contains(w), "missing warning {w:?} in:\n{stderr}");
    }
    // Nothing was written outside `out`.
    let mut all = Vec::new();
    files(tmp.path(), tmp.path(), &mut all);
    all.sort();
    assert_eq!(
        all,
        [
            "a/b/c/evil.xml",
            "a/b/c/out/Cargo.toml",
            "a/b/c/out/src/escape.rs",
            "a/b/c/out/src/lib.rs"
        ]
    );
    // Wire names are kept verbatim, as string literals; no name became code.
    let text = std::fs::read_to_string(out.join("src/escape.rs")).unwrap();
    assert!(
        text.contains(r#"fields: &["../x", "*/ fn main() {} /*"]"#),
        "{text}"
    );
    assert!(text.contains("pub fn_main: Option<String>"));
    assert!(!text.contains("fn main()\n"));
}
