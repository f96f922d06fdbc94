//! Hostile and malformed inputs: every file in `tests/fixtures/malformed/` must make
//! `odata-codegen generate` (with `--strict` where the problem has a deterministic recovery,
//! issue 12) exit with status 1, print located diagnostics
//! (`file:line:column: error: message`, the first one at the place at fault), finish quickly
//! (no hang, no entity expansion), and write nothing. Usage errors exit with status 2.

mod shared_data;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_odata-codegen");
const TIMEOUT: Duration = Duration::from_secs(20);

/// A malformed input and where its first error must be reported.
struct Case {
    /// File name in `tests/fixtures/malformed/`.
    file: &'static str,
    /// 1-based line and column of the first error.
    line: u32,
    col: u32,
    /// A substring of the first error's message.
    msg: &'static str,
    /// The file the first error is reported in, when it is not the input (a referenced file).
    reported_in: Option<&'static str>,
    /// Run with `--strict`: the problem has a deterministic recovery, so without `--strict` it
    /// is a warning and the crate is generated (issue 12; `tests/recover.rs`).
    strict: bool,
}

const fn case(file: &'static str, line: u32, col: u32, msg: &'static str) -> Case {
    Case {
        file,
        line,
        col,
        msg,
        reported_in: None,
        strict: false,
    }
}

const fn strict_case(file: &'static str, line: u32, col: u32, msg: &'static str) -> Case {
    Case {
        strict: true,
        ..case(file, line, col, msg)
    }
}

/// Inputs handled correctly today. Each location was checked by hand against the file.
const CASES: &[Case] = &[
    // Plain text: the first character is already outside any root element.
    case("not_xml.xml", 1, 1, "text outside the root element"),
    // Zero bytes.
    case("empty.xml", 1, 1, "no root element"),
    // Cut inside the attribute value of `<Property Name="Na`: the start of that tag.
    case("truncated.xml", 8, 9, "attribute value not closed"),
    case("wrong_root.xml", 2, 1, "wrong root element `<html>`"),
    // A `Model.edmx` of Entity Framework 6: said to be one, with what to do instead.
    case(
        "entity_framework_designer.xml",
        2,
        1,
        "is an Entity Framework designer file, not a service's `$metadata`",
    ),
    // `curl -i` output: the status line is text outside the root element, and said to be one.
    case(
        "http_response_with_headers.xml",
        1,
        1,
        "this looks like an HTTP response with its status line and headers; keep only the body",
    ),
    // `Type="Edm.Strng"`: a typo of a primitive stays an error (an `Edm.` type this crate does
    // not know at all, `Edm.Float`, is untyped JSON: see `recover.rs`).
    case(
        "edm_type_typo.xml",
        6,
        9,
        "unknown primitive type `Edm.Strng`; did you mean `Edm.String`?",
    ),
    // A key path whose second segment names no property of the complex type.
    case(
        "key_path_names_nothing.xml",
        7,
        14,
        "key `Tag/Serail` of entity type `Crate` names `Serail`, which is not a property of the complex type before it",
    ),
    // A `Schema` in a namespace that is not CSDL's: nothing would be generated.
    case(
        "no_schema.xml",
        3,
        3,
        "`edmx:DataServices` holds no CSDL `Schema` (its `Schema` is in XML namespace `urn:example:not-csdl`, which is not CSDL's): nothing to generate",
    ),
    // The `</ComplexType>` that closes an `<EntityType>`.
    case(
        "mismatched_tags.xml",
        8,
        7,
        "expected `</EntityType>`, found `</ComplexType>`",
    ),
    // Bytes 0xC3 0x28 inside `Name="Stra..e"`: the 0xC3, the 29th character of line 6.
    case(
        "invalid_utf8.xml",
        6,
        29,
        "not valid UTF-8 (invalid byte 0xC3)",
    ),
    // UTF-16 LE with a BOM: rejected at the BOM (see the report for a friendlier message).
    case("utf16.xml", 1, 1, "not valid UTF-8"),
    // Billion laughs: rejected at the DOCTYPE, nothing is expanded.
    case("dtd_entity_expansion.xml", 2, 1, "DTDs are not allowed"),
    // External entity (XXE) naming /etc/passwd: rejected at the DOCTYPE.
    case("xxe_external_entity.xml", 2, 1, "DTDs are not allowed"),
    // `DefaultValue="&foo;"`: the attribute.
    case("undefined_entity.xml", 6, 51, "unrecognized entity `foo`"),
    // `DefaultValue="a&#0;b"`: the attribute.
    case(
        "invalid_char_ref.xml",
        6,
        51,
        "0x0 character is not permitted",
    ),
    // 10,000 nested `<Record>`s on line 7; depth 201 is reached by the 196th `<Record>`
    // (Edmx, DataServices, Schema, ComplexType and Annotation come first), at column
    // 1 + 195 * 8 = 1561.
    case(
        "deeply_nested.xml",
        7,
        1561,
        "nested deeper than 200 levels",
    ),
    // `<foo:Extra>` with no `xmlns:foo`.
    case(
        "undeclared_prefix.xml",
        7,
        9,
        "undeclared namespace prefix `foo`",
    ),
    // A second `<edmx:Edmx>` after the first one closed.
    case(
        "content_after_root.xml",
        11,
        1,
        "content after the root element",
    ),
    // The `<Property>` typed `ns.Missing`.
    case("unknown_type.xml", 7, 9, "unknown type `ns.Missing`"),
    // The `<EntityType>` whose BaseType `ns.Person` does not exist.
    case(
        "unknown_base_type.xml",
        5,
        7,
        "base type: unknown type `ns.Person`",
    ),
    // A base B, B base A: reported once, at B (the type whose base closes the cycle).
    strict_case("inheritance_cycle.xml", 8, 7, "inheritance cycle"),
    // The second `Street`.
    case(
        "duplicate_property.xml",
        8,
        9,
        "duplicate property `Street`",
    ),
    // Employee's `Name`, already declared by its base Person with another type (the same type
    // is a recovered redeclaration, see `recover.rs`).
    case(
        "duplicate_inherited_property.xml",
        11,
        9,
        "a base type already declares it",
    ),
    // `<PropertyRef Name="PersonId"/>`.
    case("missing_key_property.xml", 7, 11, "key property `PersonId`"),
    // `Nullable="perhaps"` (the attribute); `MaxLength="-3"` follows at 7:49.
    case(
        "bad_facet.xml",
        6,
        51,
        "invalid value `perhaps` for `Nullable`",
    ),
    strict_case(
        "scale_above_precision.xml",
        6,
        9,
        "Scale 6 is greater than Precision 4",
    ),
    // `<EntitySet Name="People" EntityType="ns.Persn"/>`.
    case(
        "entity_set_unknown_type.xml",
        10,
        9,
        "unknown type `ns.Persn`",
    ),
    // `<NavigationProperty Name="Home" Type="ns.Address"/>`, a complex type.
    case(
        "navigation_to_complex.xml",
        11,
        9,
        "targets complex type `ns.Address`",
    ),
    // `<Member Name="Green" Value="300"/>` of an Edm.Byte enum.
    case(
        "enum_value_out_of_range.xml",
        7,
        9,
        "out of the range of Edm.Byte",
    ),
    // `<Property Type="Edm.String"/>`.
    case(
        "missing_name.xml",
        6,
        9,
        "missing required attribute `Name`",
    ),
    // `Type="MV.Location"` where MV is included from a reference that does not exist: like a
    // type in a namespace the input lacks, a warning (its value is untyped JSON), an error with
    // `--strict`.
    strict_case("type_from_unloaded_reference.xml", 10, 9, "was not loaded"),
    // The second `Address` (an entity type after a complex type).
    case(
        "duplicate_type.xml",
        8,
        7,
        "duplicate entity type name `ns.Address`",
    ),
    // Four independent errors; see `several_errors_are_all_reported`.
    case("several_errors.xml", 6, 9, "unknown type `ns.Missing`"),
    // A local reference to a file that is not XML: the error is in the referenced file (which
    // is named relative to the referencing document's directory).
    Case {
        file: "reference_to_malformed.xml",
        line: 1,
        col: 1,
        msg: "text outside the root element",
        reported_in: Some("not_xml.xml"),
        strict: false,
    },
    // `Collection(Collection(...))` is not a type: said so, rather than "unknown namespace".
    case("nested_collection.xml", 6, 9, "nested collection"),
    // An empty name is not an identifier: an error at the attribute, like a missing one.
    case("empty_name.xml", 6, 19, "empty `Name`"),
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/malformed")
}

fn corpus_odatademo() -> Option<PathBuf> {
    shared_data::path("corpus/reference/odatademo_v4.xml")
}

/// The outcome of one run of the binary.
struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

/// Runs the binary with `args`, killing it (and failing the test) after [`TIMEOUT`]. Output goes
/// to files, so a chatty process cannot block on a full pipe while we poll.
fn run(args: &[&std::ffi::OsStr]) -> Run {
    run_with(Command::new(BIN).args(args))
}

fn run_with(cmd: &mut Command) -> Run {
    let logs = tempfile::tempdir().unwrap();
    let out_path = logs.path().join("stdout");
    let err_path = logs.path().join("stderr");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).unwrap())
        .stderr(fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("spawn odata-codegen");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("hung: {cmd:?} did not finish within {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        status,
        stdout: fs::read_to_string(&out_path).unwrap(),
        stderr: String::from_utf8_lossy(&fs::read(&err_path).unwrap()).into_owned(),
    }
}

fn generate(input: &Path, out: &Path) -> Run {
    run(&[
        "generate".as_ref(),
        "--input".as_ref(),
        input.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
}

/// Checks one case; returns a description of every way it failed.
fn check(c: &Case) -> Vec<String> {
    let mut problems = Vec::new();
    let input = fixtures().join(c.file);
    if !input.is_file() {
        return vec![format!("{}: fixture missing", c.file)];
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let r = if c.strict {
        run(&[
            "generate".as_ref(),
            "--strict".as_ref(),
            "--input".as_ref(),
            input.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
    } else {
        generate(&input, &out)
    };
    if r.status.code() != Some(1) {
        problems.push(format!("exit status {:?}, expected 1", r.status.code()));
    }
    let reported = match c.reported_in {
        Some(f) => fixtures().join(f),
        None => input.clone(),
    };
    let prefix = format!("{}:{}:{}: error:", reported.display(), c.line, c.col);
    let first = r.stderr.lines().next().unwrap_or("");
    if !first.starts_with(&prefix) {
        problems.push(format!("first line does not start with `{prefix}`"));
    }
    if !first.contains(c.msg) {
        problems.push(format!("first line does not contain `{}`", c.msg));
    }
    if r.stderr.contains("panicked") {
        problems.push("the tool panicked".into());
    }
    if out.exists() {
        problems.push("the output directory was created".into());
    }
    let leftovers: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    if !leftovers.is_empty() {
        problems.push(format!("files left beside the output: {leftovers:?}"));
    }
    problems
        .into_iter()
        .map(|p| {
            format!(
                "{}: {p}\n  stdout: {}\n  stderr: {}",
                c.file, r.stdout, r.stderr
            )
        })
        .collect()
}

fn check_all(cases: &[Case]) {
    let failures: Vec<String> = cases.iter().flat_map(check).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn malformed_inputs_are_rejected_with_located_errors() {
    check_all(CASES);
}

#[test]
fn every_fixture_has_a_row() {
    let listed: Vec<&str> = CASES.iter().map(|c| c.file).collect();
    let mut files: Vec<String> = fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert!(files.len() >= 20, "only {} fixtures", files.len());
    for f in &files {
        assert!(listed.contains(&f.as_str()), "{f} has no row in CASES");
    }
}

#[test]
fn several_errors_are_all_reported() {
    let input = fixtures().join("several_errors.xml");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let r = generate(&input, &out);
    assert_eq!(r.status.code(), Some(1), "{}", r.stderr);
    let p = input.display().to_string();
    let expected = [
        (6, 9, "property `Country`: unknown type `ns.Missing`"),
        (9, 14, "key property `PersonId` of entity type `Person`"),
        (11, 9, "duplicate property `Id` in entity type `Person`"),
        (14, 9, "entity set `People`: unknown type `ns.Nobody`"),
    ];
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(errors.len(), expected.len(), "{}", r.stderr);
    for (line, (l, c, msg)) in errors.iter().zip(expected) {
        let prefix = format!("{p}:{l}:{c}: error: ");
        assert!(
            line.starts_with(&prefix),
            "`{line}` should start with `{prefix}`"
        );
        assert!(line.contains(msg), "`{line}` should contain `{msg}`");
    }
    assert!(!out.exists());
}

#[test]
fn bad_facet_reports_both_facets() {
    let input = fixtures().join("bad_facet.xml");
    let tmp = tempfile::tempdir().unwrap();
    let r = generate(&input, &tmp.path().join("out"));
    assert_eq!(r.status.code(), Some(1), "{}", r.stderr);
    let second = format!(
        "{}:7:49: error: invalid value `-3` for `MaxLength`",
        input.display()
    );
    assert!(r.stderr.contains(&second), "{}", r.stderr);
}

/// Every file under `dir`, by relative path, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn entries(dir: &Path) -> Vec<std::ffi::OsString> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    v.sort();
    v
}

#[test]
fn failed_run_leaves_existing_output_as_it_was() {
    let Some(source) = corpus_odatademo() else {
        return;
    };
    if !source.is_file() {
        eprintln!("skipped: {} is not there", source.display());
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let ok = generate(&source, &out);
    assert_eq!(ok.status.code(), Some(0), "{}", ok.stderr);
    let before = snapshot(&out);
    assert!(before.contains_key(Path::new("Cargo.toml")), "{before:?}");
    let mtime = fs::metadata(out.join("Cargo.toml"))
        .unwrap()
        .modified()
        .unwrap();
    for bad in [
        "several_errors.xml",
        "deeply_nested.xml",
        "not_xml.xml",
        "invalid_utf8.xml",
    ] {
        let r = generate(&fixtures().join(bad), &out);
        assert_eq!(r.status.code(), Some(1), "{bad}: {}", r.stderr);
        assert!(
            snapshot(&out) == before,
            "{bad}: the output directory changed"
        );
        assert_eq!(
            entries(tmp.path()),
            vec![std::ffi::OsString::from("out")],
            "{bad}: staging files left behind"
        );
    }
    let after = fs::metadata(out.join("Cargo.toml"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(mtime, after);
}

/// Peak memory of the hostile XML inputs stays small (they are rejected early). Uses GNU time's
/// `-v`; skipped where `/usr/bin/time` is not installed.
#[test]
fn hostile_inputs_use_little_memory() {
    let time = Path::new("/usr/bin/time");
    if !time.is_file() {
        eprintln!("skipped: /usr/bin/time is not installed");
        return;
    }
    const LIMIT_KB: u64 = 100 * 1024;
    for bad in [
        "deeply_nested.xml",
        "dtd_entity_expansion.xml",
        "xxe_external_entity.xml",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let input = fixtures().join(bad);
        let r = run_with(
            Command::new(time)
                .arg("-v")
                .arg(BIN)
                .arg("generate")
                .arg("--input")
                .arg(&input)
                .arg("--out")
                .arg(tmp.path().join("out")),
        );
        let Some(kb) = r.stderr.lines().find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes):")
                .and_then(|v| v.trim().parse::<u64>().ok())
        }) else {
            eprintln!("skipped: /usr/bin/time -v printed no maximum resident set size");
            return;
        };
        assert!(r.stderr.contains("Exit status: 1"), "{bad}: {}", r.stderr);
        assert!(
            kb < LIMIT_KB,
            "{bad}: peak RSS {kb} KiB, limit {LIMIT_KB} KiB"
        );
    }
}

#[test]
fn missing_out_is_a_usage_error() {
    let input = fixtures().join("unknown_type.xml");
    let r = run(&["generate".as_ref(), "--input".as_ref(), input.as_os_str()]);
    assert_eq!(r.status.code(), Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("--out"), "{}", r.stderr);
}

#[test]
fn nonexistent_input_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("no-such-file.xml");
    let out = tmp.path().join("out");
    let r = generate(&input, &out);
    assert_eq!(r.status.code(), Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("no-such-file.xml"), "{}", r.stderr);
    assert!(!out.exists());
}

#[test]
fn foreign_output_directory_is_a_usage_error_and_untouched() {
    let Some(source) = corpus_odatademo() else {
        return;
    };
    if !source.is_file() {
        eprintln!("skipped: {} is not there", source.display());
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("mine");
    fs::create_dir_all(out.join("src")).unwrap();
    fs::write(out.join("notes.txt"), "my notes\n").unwrap();
    fs::write(out.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
    fs::write(out.join("src/lib.rs"), "pub fn mine() {}\n").unwrap();
    let before = snapshot(&out);
    let r = generate(&source, &out);
    assert_eq!(r.status.code(), Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("was not written by odata-codegen"),
        "{}",
        r.stderr
    );
    assert!(snapshot(&out) == before, "the foreign directory changed");
    assert_eq!(entries(tmp.path()), vec![std::ffi::OsString::from("mine")]);
}
