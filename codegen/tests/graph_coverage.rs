//! Microsoft Graph v1.0: every entity, complex and enum type, every property, navigation
//! property and enum member of the input appears in the generated code, and generation is
//! deterministic byte for byte.
//!
//! The expected lists come from an independent scan of the XML text (one element per line in
//! this document), not from the generator's reader; the generated side is read back from the
//! static tables (`INFO`) of the generated source.

mod shared_data;

use std::collections::{BTreeMap, BTreeSet};

const GRAPH: &str = "corpus/graph/graph-v1.0_schemas-v1.0-Prod_2026-08-03.xml";

fn attr<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = line.find(&key)? + key.len();
    let end = line[start..].find('"')? + start;
    Some(&line[start..end])
}

#[derive(Default, Debug)]
struct Expected {
    /// qualified name → (kind, base (qualified), own property and navigation names)
    structured: BTreeMap<String, (String, Option<String>, Vec<String>)>,
    /// qualified name → member names
    enums: BTreeMap<String, Vec<String>>,
}

fn scan(xml: &str) -> Expected {
    let mut e = Expected::default();
    // Aliases of every schema first: a base type may use another schema's alias.
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
    let mut ns = String::new();
    let mut current: Option<(String, bool)> = None; // (qualified, is_enum)
    for line in xml.lines() {
        let t = line.trim_start();
        if t.starts_with("<Schema ") {
            ns = attr(t, "Namespace").unwrap().to_string();
        } else if t.starts_with("<EntityType ") || t.starts_with("<ComplexType ") {
            let q = format!("{ns}.{}", attr(t, "Name").unwrap());
            let kind = if t.starts_with("<EntityType") {
                "entity"
            } else {
                "complex"
            };
            let base = attr(t, "BaseType").map(qualify);
            e.structured
                .insert(q.clone(), (kind.to_string(), base, Vec::new()));
            current = if t.ends_with("/>") {
                None
            } else {
                Some((q, false))
            };
        } else if t.starts_with("<EnumType ") {
            let q = format!("{ns}.{}", attr(t, "Name").unwrap());
            e.enums.insert(q.clone(), Vec::new());
            current = if t.ends_with("/>") {
                None
            } else {
                Some((q, true))
            };
        } else if t.starts_with("</EntityType>")
            || t.starts_with("</ComplexType>")
            || t.starts_with("</EnumType>")
        {
            current = None;
        } else if let Some((q, is_enum)) = &current {
            if t.starts_with("<Property ") || t.starts_with("<NavigationProperty ") {
                assert!(!is_enum);
                e.structured
                    .get_mut(q)
                    .unwrap()
                    .2
                    .push(attr(t, "Name").unwrap().to_string());
            } else if t.starts_with("<Member ") {
                e.enums
                    .get_mut(q)
                    .unwrap()
                    .push(attr(t, "Name").unwrap().to_string());
            }
        }
    }
    e
}

/// `name: "q"` → the quoted strings of the following `fields: &[...]` (or `members: &[...]`).
fn tables(generated: &str, list: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let mut rest = generated;
    while let Some(i) = rest.find("name: \"") {
        rest = &rest[i + 7..];
        let end = rest.find('"').unwrap();
        let name = rest[..end].to_string();
        let Some(start) = rest.find(&format!("{list}: &[")) else {
            break;
        };
        // Only the table directly after this name (not one belonging to a later item).
        if rest[..start].contains("name: \"") {
            continue;
        }
        let body = &rest[start..];
        let close = body.find(']').unwrap();
        let items: Vec<String> = body[..close]
            .split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        out.insert(name, items);
    }
    out
}

#[test]
fn graph_v1_types_and_properties_are_all_generated_deterministically() {
    let Some(path) = shared_data::path(GRAPH) else {
        return;
    };
    let xml = std::fs::read_to_string(&path).unwrap();
    let expected = scan(xml.trim_start_matches('\u{feff}'));
    assert_eq!(
        expected
            .structured
            .values()
            .filter(|v| v.0 == "entity")
            .count(),
        1182
    );
    assert_eq!(
        expected
            .structured
            .values()
            .filter(|v| v.0 == "complex")
            .count(),
        1779
    );
    assert_eq!(expected.enums.len(), 861);

    let settings = odata_codegen::Settings::new([&path]);
    let first = odata_codegen::generate(&settings).expect("Graph v1.0 generates");
    let second = odata_codegen::generate(&settings).expect("Graph v1.0 generates");
    assert!(
        first.files == second.files,
        "two runs on the same input differ"
    );

    let all: String = first
        .files
        .iter()
        .filter(|(p, _)| p.ends_with(".rs"))
        .map(|(_, t)| t.as_str())
        .collect();
    let structs = tables(&all, "fields");
    let enums = tables(&all, "members");

    let mut missing = Vec::new();
    let mut properties = 0;
    for (q, (_, _, _)) in &expected.structured {
        let Some(fields) = structs.get(q) else {
            missing.push(format!("type {q}"));
            continue;
        };
        let fields: BTreeSet<&str> = fields.iter().map(String::as_str).collect();
        // Own and inherited properties.
        let mut cur = Some(q.clone());
        let mut seen = BTreeSet::new();
        while let Some(t) = cur {
            if !seen.insert(t.clone()) {
                break;
            }
            let (_, base, props) = &expected.structured[&t];
            for p in props {
                if t == *q {
                    properties += 1;
                }
                if !fields.contains(p.as_str()) {
                    missing.push(format!("property {q}/{p} (declared on {t})"));
                }
            }
            cur = base.clone();
        }
    }
    for (q, members) in &expected.enums {
        match enums.get(q) {
            None => missing.push(format!("enum {q}")),
            Some(got) => {
                if got != members {
                    missing.push(format!("enum {q}: members {got:?}, expected {members:?}"));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} missing, first: {:#?}",
        missing.len(),
        &missing[..missing.len().min(20)]
    );
    // 10,525 structural + 1,432 navigation properties in the document.
    assert_eq!(properties, 10525 + 1432);
}
