//! A readable summary of a model for people: counts by kind, inheritance roots, the largest
//! types, and what a filter selects and why (`odata-codegen inspect`).

use crate::model::*;
use crate::select::Selection;
use std::fmt::Write;

/// Renders the summary. With a selection, also lists each selected type with its reason and
/// each type an exclude pattern kept out.
pub fn summary(model: &Model, selection: Option<&Selection>) -> String {
    let mut out = String::new();
    let count = |f: &dyn Fn(&Type) -> bool| model.types.iter().filter(|t| f(t)).count();
    let _ = writeln!(out, "documents: {}", model.files.len());
    let namespaces: Vec<&str> = {
        let mut v: Vec<&str> = model.schemas.iter().map(|s| s.namespace.as_str()).collect();
        v.dedup();
        v
    };
    let _ = writeln!(
        out,
        "namespaces: {} ({})",
        namespaces.len(),
        namespaces.join(", ")
    );
    let _ = writeln!(
        out,
        "entity types: {}",
        count(&|t| matches!(t.kind, TypeKind::Entity(_)))
    );
    let _ = writeln!(
        out,
        "complex types: {}",
        count(&|t| matches!(t.kind, TypeKind::Complex(_)))
    );
    let _ = writeln!(
        out,
        "enum types: {}",
        count(&|t| matches!(t.kind, TypeKind::Enum(_)))
    );
    let _ = writeln!(
        out,
        "type definitions: {}",
        count(&|t| matches!(t.kind, TypeKind::Definition(_)))
    );
    let _ = writeln!(out, "properties: {}", model.properties.len());
    let _ = writeln!(out, "navigation properties: {}", model.navigations.len());
    let actions = model
        .operations
        .iter()
        .filter(|o| o.kind == OperationKind::Action)
        .count();
    let bound = model.operations.iter().filter(|o| o.is_bound).count();
    let _ = writeln!(
        out,
        "operations: {} ({actions} actions, {} functions; {bound} bound)",
        model.operations.len(),
        model.operations.len() - actions
    );
    let sets: usize = model.containers.iter().map(|c| c.entity_sets.len()).sum();
    let singletons: usize = model.containers.iter().map(|c| c.singletons.len()).sum();
    let _ = writeln!(out, "entity sets: {sets}, singletons: {singletons}");

    // Inheritance roots with the most derived types.
    let mut roots: Vec<(usize, String)> = model
        .type_ids()
        .filter(|t| {
            model[*t]
                .structured()
                .is_some_and(|s| s.base.is_none() && !s.derived.is_empty())
        })
        .map(|t| (model.all_derived(t).len(), model.qualified_name(t)))
        .collect();
    roots.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let _ = writeln!(out, "inheritance roots: {}", roots.len());
    for (n, name) in roots.iter().take(10) {
        let _ = writeln!(out, "  {name}: {n} derived");
    }

    // Largest structured types by property count (inherited included).
    let mut largest: Vec<(usize, String)> = model
        .type_ids()
        .filter(|t| model[*t].structured().is_some())
        .map(|t| {
            (
                model.all_properties(t).len() + model.all_navigations(t).len(),
                model.qualified_name(t),
            )
        })
        .collect();
    largest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let _ = writeln!(
        out,
        "largest types (properties and navigation properties, inherited included):"
    );
    for (n, name) in largest.iter().take(10) {
        let _ = writeln!(out, "  {name}: {n}");
    }

    if let Some(sel) = selection {
        let _ = writeln!(
            out,
            "selected: {} of {} types",
            sel.types.len(),
            model.types.len()
        );
        for t in &sel.types {
            let _ = writeln!(out, "  {}: {}", model.qualified_name(*t), sel.reasons[t]);
        }
        if !sel.excluded.is_empty() {
            let _ = writeln!(out, "excluded: {}", sel.excluded.len());
            for (t, p) in &sel.excluded {
                let _ = writeln!(out, "  {}: matches `{p}`", model.qualified_name(*t));
            }
        }
        for p in &sel.unmatched {
            let _ = writeln!(out, "warning: include pattern `{p}` matched nothing");
        }
    }
    out
}
