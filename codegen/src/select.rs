//! Include/exclude filters and their closure: which types a generation emits, and why.
//!
//! Patterns are qualified names or globs (`microsoft.graph.user`, `graph.*Request*`), matched
//! against both the namespace- and the alias-qualified name of each type, and entity set or
//! singleton names (`users`, `me`), which select their entity type. What a selected type needs
//! comes along: its base types and the types of its properties (keys included). Derived types and
//! navigation targets come along only when asked for. Excluded types are never selected; a
//! property typed by one is generated as untyped JSON, a navigation property to one is left out,
//! and both are noted in the docs.

use crate::model::*;
use globset::{Glob, GlobMatcher};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// What to generate. The default selects everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// Also select every type derived from a selected type.
    pub with_derived: bool,
    /// Also select the targets of navigation properties of selected types.
    pub with_navigation_targets: bool,
    /// (EDM type, Rust type path): use a type from another crate instead of generating one. The
    /// EDM type is a schema type's qualified name (namespace or alias) or a primitive (`Edm.Guid`);
    /// the Rust type must implement serde's traits (and `Clone`, `Debug`, `PartialEq`).
    pub extern_types: Vec<(String, String)>,
}

impl Filter {
    pub fn is_everything(&self) -> bool {
        self.include.is_empty() && self.exclude.is_empty() && self.extern_types.is_empty()
    }
}

/// The types a filter selected, each with the reason it was selected.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub types: BTreeSet<TypeId>,
    pub reasons: BTreeMap<TypeId, String>,
    /// Types an exclude pattern kept out, with the pattern.
    pub excluded: BTreeMap<TypeId, String>,
    /// Include patterns that matched nothing.
    pub unmatched: Vec<String>,
    /// Schema types replaced by a type from another crate (not generated), by Rust path.
    pub externs: BTreeMap<TypeId, String>,
    /// Primitive types replaced by a type from another crate, by Rust path.
    pub extern_primitives: BTreeMap<Primitive, String>,
}

impl Selection {
    pub fn contains(&self, t: TypeId) -> bool {
        self.types.contains(&t)
    }
}

fn compile(patterns: &[String]) -> Result<Vec<(String, GlobMatcher)>, String> {
    patterns
        .iter()
        .map(|p| {
            Glob::new(p)
                .map(|g| (p.clone(), g.compile_matcher()))
                .map_err(|e| format!("invalid pattern `{p}`: {e}"))
        })
        .collect()
}

/// Names a type can be matched by: `ns.Name` and, when the schema has one, `alias.Name`.
fn type_names(model: &Model, t: TypeId) -> Vec<String> {
    let s = &model[model[t].schema];
    let mut names = vec![format!("{}.{}", s.namespace, model[t].name)];
    if let Some(a) = &s.alias {
        names.push(format!("{a}.{}", model[t].name));
    }
    names
}

fn first_match<'a>(patterns: &'a [(String, GlobMatcher)], names: &[String]) -> Option<&'a str> {
    patterns
        .iter()
        .find(|(_, m)| names.iter().any(|n| m.is_match(n)))
        .map(|(p, _)| p.as_str())
}

/// Resolves extern type mappings: the EDM side must name a type of the model or a primitive,
/// the Rust side must parse as a type.
fn externs(model: &Model, filter: &Filter, sel: &mut Selection) -> Result<(), String> {
    for (edm, rust) in &filter.extern_types {
        if syn::parse_str::<syn::Type>(rust).is_err() {
            return Err(format!(
                "extern type for `{edm}`: `{rust}` is not a Rust type"
            ));
        }
        if let Some(p) = Primitive::from_edm(edm) {
            sel.extern_primitives.insert(p, rust.clone());
            continue;
        }
        let t = model
            .type_ids()
            .find(|t| type_names(model, *t).iter().any(|n| n == edm))
            .ok_or_else(|| {
                format!("extern type: `{edm}` is not a type of the model nor an `Edm.` primitive")
            })?;
        sel.externs.insert(t, rust.clone());
    }
    Ok(())
}

/// Applies `filter` to `model`. Errors are invalid patterns or extern mappings (usage errors).
pub fn select(model: &Model, filter: &Filter) -> Result<Selection, String> {
    let include = compile(&filter.include)?;
    let exclude = compile(&filter.exclude)?;
    let mut sel = Selection::default();
    externs(model, filter, &mut sel)?;

    for t in model.type_ids() {
        if let Some(p) = first_match(&exclude, &type_names(model, t)) {
            sel.excluded.insert(t, p.to_string());
        }
    }

    let mut queue: VecDeque<(TypeId, String)> = VecDeque::new();
    let mut matched: BTreeSet<&str> = BTreeSet::new();
    if include.is_empty() {
        for t in model.type_ids() {
            queue.push_back((t, "no include filter".to_string()));
        }
    } else {
        for t in model.type_ids() {
            if let Some(p) = first_match(&include, &type_names(model, t)) {
                matched.insert(p);
                queue.push_back((t, format!("matches `{p}`")));
            }
        }
        for c in &model.containers {
            let sets = c.entity_sets.iter().map(|s| (&s.name, &s.ty, "entity set"));
            let singletons = c.singletons.iter().map(|s| (&s.name, &s.ty, "singleton"));
            for (name, ty, what) in sets.chain(singletons) {
                let names = [name.clone()];
                if let (Some(p), Some(t)) = (first_match(&include, &names), ty.type_id()) {
                    matched.insert(p);
                    queue.push_back((t, format!("entity type of {what} `{name}` (matches `{p}`)")));
                }
            }
        }
        sel.unmatched = filter
            .include
            .iter()
            .filter(|p| !matched.contains(p.as_str()))
            .cloned()
            .collect();
    }

    while let Some((t, reason)) = queue.pop_front() {
        // Extern types are used, not generated: nothing they need comes along.
        if sel.excluded.contains_key(&t) || sel.types.contains(&t) || sel.externs.contains_key(&t) {
            continue;
        }
        sel.types.insert(t);
        sel.reasons.insert(t, reason);
        let q = model.qualified_name(t);
        // (type reference, reason) pairs this type needs.
        let mut needs: Vec<(Option<TypeId>, String)> = Vec::new();
        match &model[t].kind {
            TypeKind::Definition(d) => {
                needs.push((d.underlying.type_id(), format!("underlying type of `{q}`")))
            }
            TypeKind::Enum(_) => {}
            TypeKind::Entity(s) | TypeKind::Complex(s) => {
                needs.push((s.base, format!("base type of `{q}`")));
                for p in model.all_properties(t) {
                    needs.push((
                        model[p].ty.type_id(),
                        format!("type of property `{q}/{}`", model[p].name),
                    ));
                }
                if filter.with_navigation_targets {
                    for n in model.all_navigations(t) {
                        let why = format!("target of navigation property `{q}/{}`", model[n].name);
                        needs.push((model[n].ty.type_id(), why));
                    }
                }
                if filter.with_derived {
                    for d in &s.derived {
                        needs.push((Some(*d), format!("derived from `{q}`")));
                    }
                }
            }
        }
        queue.extend(needs.into_iter().filter_map(|(t, why)| Some((t?, why))));
    }
    Ok(sel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn model(xml: &str) -> Model {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.xml");
        std::fs::write(&p, xml).unwrap();
        let (m, diags) = crate::load(&[PathBuf::from(&p)]);
        assert!(diags.is_empty(), "{diags:?}");
        m
    }

    const XML: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="ns" Alias="a" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EntityType Name="base" Abstract="true"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
  <EntityType Name="user" BaseType="a.base"><Property Name="addr" Type="a.address"/><NavigationProperty Name="manager" Type="a.base"/><NavigationProperty Name="groups" Type="Collection(a.group)"/></EntityType>
  <EntityType Name="group" BaseType="a.base"><Property Name="kind" Type="a.kind"/></EntityType>
  <EntityType Name="fooRequest" BaseType="a.base"/>
  <ComplexType Name="address"><Property Name="geo" Type="a.point"/></ComplexType>
  <ComplexType Name="point"><Property Name="x" Type="Edm.Double"/></ComplexType>
  <EnumType Name="kind"><Member Name="a"/></EnumType>
  <EntityContainer Name="c"><EntitySet Name="users" EntityType="a.user"/><Singleton Name="me" Type="a.user"/></EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>"#;

    fn names(m: &Model, s: &Selection) -> Vec<String> {
        s.types.iter().map(|t| m[*t].name.clone()).collect()
    }

    #[test]
    fn closure_follows_bases_and_property_types_only() {
        let m = model(XML);
        let s = select(
            &m,
            &Filter {
                include: vec!["users".into()],
                ..Filter::default()
            },
        )
        .unwrap();
        assert_eq!(names(&m, &s), ["base", "user", "address", "point"]);
        let user = m.type_ids().find(|t| m[*t].name == "user").unwrap();
        assert_eq!(
            s.reasons[&user],
            "entity type of entity set `users` (matches `users`)"
        );
        let point = m.type_ids().find(|t| m[*t].name == "point").unwrap();
        assert_eq!(s.reasons[&point], "type of property `ns.address/geo`");
    }

    #[test]
    fn derived_and_navigation_targets_on_request() {
        let m = model(XML);
        let f = Filter {
            include: vec!["ns.user".into()],
            with_navigation_targets: true,
            ..Filter::default()
        };
        assert_eq!(
            names(&m, &select(&m, &f).unwrap()),
            ["base", "user", "group", "address", "point", "kind"]
        );
        let f = Filter {
            include: vec!["a.base".into()],
            with_derived: true,
            ..Filter::default()
        };
        assert_eq!(
            names(&m, &select(&m, &f).unwrap()),
            [
                "base",
                "user",
                "group",
                "fooRequest",
                "address",
                "point",
                "kind"
            ]
        );
    }

    #[test]
    fn globs_excludes_and_unmatched_patterns() {
        let m = model(XML);
        let f = Filter {
            include: vec!["ns.*Request*".into(), "nothing.here".into()],
            exclude: vec!["a.point".into()],
            ..Filter::default()
        };
        let s = select(&m, &f).unwrap();
        assert_eq!(names(&m, &s), ["base", "fooRequest"]);
        assert_eq!(s.unmatched, ["nothing.here"]);
        let f = Filter {
            include: vec!["me".into()],
            exclude: vec!["a.point".into()],
            ..Filter::default()
        };
        let s = select(&m, &f).unwrap();
        assert_eq!(names(&m, &s), ["base", "user", "address"]);
        assert!(
            select(
                &m,
                &Filter {
                    include: vec!["a[".into()],
                    ..Filter::default()
                }
            )
            .is_err()
        );
    }

    #[test]
    fn extern_types_are_used_not_generated() {
        let m = model(XML);
        let f = Filter {
            include: vec!["users".into()],
            extern_types: vec![
                ("a.address".into(), "my::Address".into()),
                ("Edm.Double".into(), "f64".into()),
            ],
            ..Filter::default()
        };
        let s = select(&m, &f).unwrap();
        // `address` is extern, so `point` (only needed by it) does not come along.
        assert_eq!(names(&m, &s), ["base", "user"]);
        assert_eq!(s.externs.values().collect::<Vec<_>>(), ["my::Address"]);
        assert_eq!(s.extern_primitives[&Primitive::Double], "f64");
        let bad = Filter {
            extern_types: vec![("ns.nope".into(), "x::Y".into())],
            ..Filter::default()
        };
        assert!(
            select(&m, &bad)
                .unwrap_err()
                .contains("`ns.nope` is not a type")
        );
        let bad = Filter {
            extern_types: vec![("a.address".into(), "not a type!".into())],
            ..Filter::default()
        };
        assert!(select(&m, &bad).unwrap_err().contains("is not a Rust type"));
    }
}
