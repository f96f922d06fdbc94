//! `--include` / `--exclude` through the CLI: what is generated, what is noted, and what
//! `inspect` says about it. Uses the Graph directory schema of this repository.

use std::path::PathBuf;
use std::process::Command;

fn schema() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas/graph-directory.xml")
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_odata-codegen"))
        .args(args)
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

#[test]
fn include_an_entity_set_generates_its_closure_only() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("users");
    let schema = schema();
    let (code, _, err) = run(&[
        "generate",
        "-q",
        "--include",
        "users",
        "--exclude",
        "graph.passwordProfile",
        "-i",
        schema.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(out.join("src/microsoft_graph.rs")).unwrap();
    // The set's type, its bases and its property types; not unrelated entity types.
    for present in [
        "pub struct User ",
        "pub struct DirectoryObject ",
        "pub struct Entity ",
        "pub struct AssignedLicense ",
    ] {
        assert!(text.contains(present), "missing {present}");
    }
    for absent in [
        "pub struct Group ",
        "pub struct Device ",
        "pub struct Event ",
        "pub struct PasswordProfile ",
    ] {
        assert!(!text.contains(absent), "unexpected {absent}");
    }
    // Navigation properties to types left out are omitted, and the docs say which.
    assert!(text.contains("Navigation properties left out by the filter"));
    assert!(!text.contains("pub calendars:"));
    // A property typed by an excluded type keeps its value as JSON, and says so.
    assert!(text.contains("pub password_profile: Option<rt::Json>"));
    assert!(text.contains("its type is left out by the filter"));
}

#[test]
fn inspect_explains_the_selection() {
    let schema = schema();
    let (code, out, err) = run(&[
        "inspect",
        "-q",
        "--include",
        "me",
        "--include",
        "nothing.matches",
        "-i",
        schema.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("entity types: 19"), "{out}");
    assert!(
        out.contains("microsoft.graph.user: entity type of singleton `me` (matches `me`)"),
        "{out}"
    );
    assert!(
        out.contains("microsoft.graph.directoryObject: base type of `microsoft.graph.user`"),
        "{out}"
    );
    assert!(
        out.contains("warning: include pattern `nothing.matches` matched nothing"),
        "{out}"
    );
}

#[test]
fn an_invalid_pattern_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let schema = schema();
    let out = dir.path().join("x");
    let (code, _, err) = run(&[
        "generate",
        "--include",
        "a[",
        "-i",
        schema.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid pattern `a[`"), "{err}");
    assert!(!out.exists());
}

#[test]
fn extern_types_replace_generated_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ext");
    let schema = schema();
    let (code, _, err) = run(&[
        "generate",
        "-q",
        "--extern-type",
        "Edm.Guid=::std::string::String",
        "--extern-type",
        "graph.passwordProfile=::odata_runtime::Json",
        "-i",
        schema.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(out.join("src/microsoft_graph.rs")).unwrap();
    assert!(!text.contains("pub struct PasswordProfile "));
    assert!(text.contains("pub password_profile: Option<::odata_runtime::Json>"));
    assert!(!text.contains("rt::Guid"));
    // No Guid left, so the generated crate does not ask for the uuid feature.
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(!manifest.contains("\"uuid\""), "{manifest}");
    let (code, _, err) = run(&[
        "generate",
        "--extern-type",
        "nope",
        "-i",
        schema.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
}
