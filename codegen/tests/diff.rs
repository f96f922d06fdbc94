//! The semantic schema diff: Microsoft Graph v1.0 2023 → 2026 against an independent count,
//! golden reports on small fixture pairs (one per change kind), and the CLI's exit codes.

mod shared_data;

use odata_codegen::diag::Severity;
use odata_codegen::diff::{Change, Diff, Kind};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const GRAPH_2023: &str =
    "corpus/graph/graph-v1.0_cleanMetadataWithDescriptionsAndAnnotations_2023-05-09.xml";
const GRAPH_2026: &str = "corpus/graph/graph-v1.0_schemas-v1.0-Prod_2026-08-03.xml";

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load_ok(path: &Path) -> odata_codegen::model::Model {
    let (model, diags) = odata_codegen::load(&[path.to_path_buf()]);
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.diagnostic.severity == Severity::Error)
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    model
}

fn diff_files(old: &Path, new: &Path) -> Diff {
    odata_codegen::diff::diff(&load_ok(old), &load_ok(new))
}

// ---------------------------------------------------------------------------------------------
// Graph v1.0, 2023 → 2026, against a scan of the XML text (one element per line in these files).

fn attr<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = line.find(&key)? + key.len();
    let end = line[start..].find('"')? + start;
    Some(&line[start..end])
}

#[derive(Default)]
struct Scan {
    /// qualified type name → "structured" or "enum" or "definition"
    types: BTreeMap<String, &'static str>,
    /// (qualified type, property) → Type, aliases replaced by namespaces
    properties: BTreeMap<(String, String), String>,
}

fn scan(xml: &str) -> Scan {
    let aliases: BTreeMap<String, String> = xml
        .lines()
        .map(str::trim_start)
        .filter(|t| t.starts_with("<Schema "))
        .filter_map(|t| {
            Some((
                attr(t, "Alias")?.to_string(),
                attr(t, "Namespace")?.to_string(),
            ))
        })
        .collect();
    let qualify = |name: &str| match name.rsplit_once('.') {
        Some((q, local)) if aliases.contains_key(q) => format!("{}.{local}", aliases[q]),
        _ => name.to_string(),
    };
    let normalize = |t: &str| match t
        .strip_prefix("Collection(")
        .and_then(|r| r.strip_suffix(')'))
    {
        Some(inner) => format!("Collection({})", qualify(inner)),
        None => qualify(t),
    };
    let mut s = Scan::default();
    let mut ns = String::new();
    let mut current: Option<String> = None;
    for line in xml.lines() {
        let t = line.trim_start();
        if t.starts_with("<Schema ") {
            ns = attr(t, "Namespace").unwrap().to_string();
        } else if t.starts_with("<EntityType ") || t.starts_with("<ComplexType ") {
            let q = format!("{ns}.{}", attr(t, "Name").unwrap());
            s.types.entry(q.clone()).or_insert("structured");
            current = if t.ends_with("/>") { None } else { Some(q) };
        } else if t.starts_with("</EntityType>") || t.starts_with("</ComplexType>") {
            current = None;
        } else if t.starts_with("<EnumType ") {
            s.types
                .entry(format!("{ns}.{}", attr(t, "Name").unwrap()))
                .or_insert("enum");
        } else if t.starts_with("<TypeDefinition ") {
            s.types
                .entry(format!("{ns}.{}", attr(t, "Name").unwrap()))
                .or_insert("definition");
        } else if t.starts_with("<Property ")
            && let Some(ty) = &current
        {
            s.properties
                .entry((ty.clone(), attr(t, "Name").unwrap().to_string()))
                .or_insert_with(|| normalize(attr(t, "Type").unwrap()));
        }
    }
    s
}

fn paths(diff: &Diff, kind: Kind, change: Change) -> BTreeSet<String> {
    diff.entries
        .iter()
        .filter(|e| e.kind == kind && e.change == change)
        .map(|e| e.path.clone())
        .collect()
}

#[test]
fn graph_2023_to_2026_matches_an_independent_count() {
    let (Some(old_path), Some(new_path)) =
        (shared_data::path(GRAPH_2023), shared_data::path(GRAPH_2026))
    else {
        return;
    };
    let old = scan(&std::fs::read_to_string(&old_path).unwrap());
    let new = scan(&std::fs::read_to_string(&new_path).unwrap());
    let started = std::time::Instant::now();
    let diff = diff_files(&old_path, &new_path);
    eprintln!(
        "Graph v1.0 2023 → 2026: load and diff in {:?}",
        started.elapsed()
    );
    eprintln!("{}", diff.summary());

    let old_types: BTreeSet<&String> = old.types.keys().collect();
    let new_types: BTreeSet<&String> = new.types.keys().collect();
    let added: BTreeSet<String> = new_types
        .difference(&old_types)
        .map(|s| s.to_string())
        .collect();
    let removed: BTreeSet<String> = old_types
        .difference(&new_types)
        .map(|s| s.to_string())
        .collect();
    assert_eq!(paths(&diff, Kind::Type, Change::Added), added);
    assert_eq!(paths(&diff, Kind::Type, Change::Removed), removed);
    assert!(added.len() > 100, "{} types added", added.len());

    // Properties are compared on types that are structured in both documents.
    let common = |ty: &String| {
        old.types.get(ty) == Some(&"structured") && new.types.get(ty) == Some(&"structured")
    };
    let path = |(t, p): &(String, String)| format!("{t}/{p}");
    let props_added: BTreeSet<String> = new
        .properties
        .keys()
        .filter(|k| common(&k.0) && !old.properties.contains_key(*k))
        .map(path)
        .collect();
    let props_removed: BTreeSet<String> = old
        .properties
        .keys()
        .filter(|k| common(&k.0) && !new.properties.contains_key(*k))
        .map(path)
        .collect();
    assert_eq!(paths(&diff, Kind::Property, Change::Added), props_added);
    assert_eq!(paths(&diff, Kind::Property, Change::Removed), props_removed);
    let counts = diff.counts();
    assert_eq!(counts[&Kind::Type].added, added.len());
    assert_eq!(counts[&Kind::Type].removed, removed.len());
    assert_eq!(counts[&Kind::Property].added, props_added.len());
    assert_eq!(counts[&Kind::Property].removed, props_removed.len());

    // Every property whose Type changed is listed as a breaking type change, and nothing else is.
    let retyped: BTreeSet<String> = old
        .properties
        .iter()
        .filter(|(k, t)| new.properties.get(*k).is_some_and(|n| n != *t))
        .map(|(k, _)| path(k))
        .collect();
    assert!(!retyped.is_empty());
    let listed: BTreeSet<String> = diff
        .entries
        .iter()
        .filter(|e| e.kind == Kind::Property && e.aspect == "type")
        .inspect(|e| assert!(e.breaking, "{e:?}"))
        .map(|e| e.path.clone())
        .collect();
    let listed_common: BTreeSet<String> = listed
        .iter()
        .filter(|p| !props_removed.contains(*p))
        .cloned()
        .collect();
    assert_eq!(listed_common, retyped);
    assert!(diff.is_breaking());
    let md = diff.to_markdown(false);
    for p in &retyped {
        assert!(md.contains(&format!("`{p}` type")), "{p} not in the report");
    }
}

// ---------------------------------------------------------------------------------------------
// Golden fixture pairs: tests/fixtures/diff/<case>/{old.xml,new.xml,expected.md[,expected.json]}.
// `expected.md` is the Markdown report without `--docs`; `expected-docs.md` (where present) the
// Markdown report with it, `expected.json` the JSON report with it.
// UPDATE_DIFF_GOLDEN=1 rewrites them.

fn cases() -> Vec<PathBuf> {
    let dir = manifest().join("tests/fixtures/diff");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("old.xml").is_file())
        .collect();
    out.sort();
    out
}

fn check_golden(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if std::env::var_os("UPDATE_DIFF_GOLDEN").is_some() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        failures.push(format!(
            "{} differs (UPDATE_DIFF_GOLDEN=1 rewrites it):\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        ));
    }
}

#[test]
fn golden_fixture_pairs() {
    let cases = cases();
    assert!(cases.len() >= 12, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let diff = diff_files(&case.join("old.xml"), &case.join("new.xml"));
        check_golden(
            &case.join("expected.md"),
            &diff.to_markdown(false),
            &mut failures,
        );
        let docs = case.join("expected-docs.md");
        if docs.exists() {
            check_golden(&docs, &diff.to_markdown(true), &mut failures);
        }
        let json = case.join("expected.json");
        if json.exists() {
            check_golden(&json, &diff.to_json(true), &mut failures);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The classification of each case, independent of the golden text.
#[test]
fn each_case_is_classified() {
    let expect: &[(&str, bool)] = &[
        ("base_type", true),
        ("containers", true),
        ("descriptions", false),
        ("enum_members", true),
        ("keys", true),
        ("moved_to_base", false),
        ("navigation", true),
        ("operations", true),
        ("parameters", true),
        ("polymorphism", true),
        ("properties", true),
        ("types", true),
        ("unchanged", false),
    ];
    let dir = manifest().join("tests/fixtures/diff");
    for (case, breaking) in expect {
        let d = dir.join(case);
        let diff = diff_files(&d.join("old.xml"), &d.join("new.xml"));
        assert_eq!(diff.is_breaking(), *breaking, "{case}");
    }
    let d = dir.join("unchanged");
    assert!(
        diff_files(&d.join("old.xml"), &d.join("new.xml"))
            .entries
            .is_empty()
    );
    // Swapping alias and namespace spellings changes nothing but the moved property.
    let d = dir.join("moved_to_base");
    let diff = diff_files(&d.join("old.xml"), &d.join("new.xml"));
    assert!(
        diff.entries.iter().all(|e| e.path.ends_with("/subject")),
        "{diff:?}"
    );
}

#[test]
fn json_is_valid_and_sorted() {
    let d = manifest().join("tests/fixtures/diff/parameters");
    let diff = diff_files(&d.join("old.xml"), &d.join("new.xml"));
    let text = diff.to_json(false);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["breaking"], serde_json::Value::Bool(true));
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), diff.entries.len());
    let mut sorted = diff.entries.clone();
    sorted.sort();
    assert_eq!(sorted, diff.entries);
}

// ---------------------------------------------------------------------------------------------
// The command line.

fn run(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_odata-codegen"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn cli_exit_codes() {
    let dir = manifest().join("tests/fixtures/diff");
    let pair = |case: &str| {
        (
            dir.join(case).join("old.xml"),
            dir.join(case).join("new.xml"),
        )
    };

    let (o, n) = pair("descriptions");
    let (code, out, _) = run(&["diff".as_ref(), o.as_os_str(), n.as_os_str()]);
    assert_eq!(code, 0, "{out}");
    // (Goldens are being rewritten by another test under UPDATE_DIFF_GOLDEN.)
    let updating = std::env::var_os("UPDATE_DIFF_GOLDEN").is_some();
    if !updating {
        assert_eq!(
            out,
            std::fs::read_to_string(dir.join("descriptions/expected.md")).unwrap()
        );
    }

    let (o, n) = pair("enum_members");
    let (code, out, _) = run(&["diff".as_ref(), o.as_os_str(), n.as_os_str()]);
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("### Breaking changes"));

    let (o, n) = pair("parameters");
    let (code, out, _) = run(&[
        "diff".as_ref(),
        o.as_os_str(),
        n.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--docs".as_ref(),
    ]);
    assert_eq!(code, 3);
    if !updating {
        assert_eq!(
            out,
            std::fs::read_to_string(dir.join("parameters/expected.json")).unwrap()
        );
    }

    // A directory (a generated crate) is a usage error with an explanation.
    let (code, _, err) = run(&["diff".as_ref(), dir.as_os_str(), n.as_os_str()]);
    assert_eq!(code, 2);
    assert!(err.contains("is a directory"), "{err}");
    // Bad arguments.
    let (code, _, _) = run(&["diff".as_ref(), o.as_os_str()]);
    assert_eq!(code, 2);
    let (code, _, _) = run(&[
        "diff".as_ref(),
        o.as_os_str(),
        n.as_os_str(),
        "--format".as_ref(),
        "yaml".as_ref(),
    ]);
    assert_eq!(code, 2);

    // Schema errors in either input.
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.xml");
    std::fs::write(
        &bad,
        "<Schema Namespace=\"X\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\"><EntityType Name=\"A\" BaseType=\"X.Missing\"/></Schema>",
    )
    .unwrap();
    let (code, _, err) = run(&["diff".as_ref(), o.as_os_str(), bad.as_os_str()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("bad.xml"), "{err}");
}
