//! Analyses the emitters need, computed once before any code is emitted: which structured types
//! are used polymorphically, which fields must be boxed to break recursion, and which runtime
//! features the generated crate needs.

use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default)]
pub struct Analysis {
    /// The types to emit (all of them unless a filter was given).
    pub selected: BTreeSet<TypeId>,
    /// Types and primitives mapped to Rust types from other crates.
    pub externs: BTreeMap<TypeId, String>,
    pub extern_primitives: BTreeMap<Primitive, String>,
    /// Structured types with derived types: they get an `Any{Name}` enum, used wherever the
    /// type is referenced. Value: the enum's Rust name and its variants (type, variant name).
    pub polymorphic: BTreeMap<TypeId, Poly>,
    /// (struct, field type) pairs in one strongly connected component of the "contains by value"
    /// graph: such fields are boxed.
    pub boxed: BTreeSet<(TypeId, TypeId)>,
    /// Runtime features the generated crate needs.
    pub features: BTreeSet<&'static str>,
    /// With per-area Cargo features: the crate features (areas) whose closure holds each type,
    /// and every area with what it stands for. Empty when the crate has no such features.
    pub areas_of: BTreeMap<TypeId, Vec<String>>,
    pub areas: Vec<(String, String)>,
    /// Typed property handles on structured types (`User::DISPLAY_NAME`), for the request
    /// builders' `$filter`, `$orderby` and `$expand`: emitted with the builders only.
    pub filter_handles: bool,
}

/// One Cargo feature per entity set and singleton ("area"): the feature turns on the types that
/// the set's entity type needs (its closure, as `--include NAME` computes it). Types no area
/// needs are in the `other` feature. `full` (the default) turns every area on.
pub fn compute_areas(model: &Model, a: &mut Analysis) {
    let mut scope = crate::naming::Scope::with_reserved(&["default", "full", "other"]);
    for c in &model.containers {
        let sets = c.entity_sets.iter().map(|s| (&s.name, "entity set"));
        let singletons = c.singletons.iter().map(|s| (&s.name, "singleton"));
        for (name, what) in sets.chain(singletons) {
            let filter = crate::select::Filter {
                include: vec![name.clone()],
                ..Default::default()
            };
            let Ok(sel) = crate::select::select(model, &filter) else {
                continue;
            };
            let feature = scope.claim(
                crate::naming::field_name(name)
                    .trim_start_matches("r#")
                    .to_string(),
            );
            for t in sel.types.iter().filter(|t| a.selected.contains(t)) {
                a.areas_of.entry(*t).or_default().push(feature.clone());
            }
            a.areas.push((feature, format!("{what} `{name}`")));
        }
    }
    let unreached: Vec<TypeId> = a
        .selected
        .iter()
        .copied()
        .filter(|t| !a.areas_of.contains_key(t))
        .collect();
    if !unreached.is_empty() {
        for t in unreached {
            a.areas_of.insert(t, vec!["other".to_string()]);
        }
        a.areas.push((
            "other".to_string(),
            "types no entity set or singleton needs".to_string(),
        ));
    }
}

#[derive(Debug)]
pub struct Poly {
    pub enum_name: String,
    /// Index 0 is the type itself, then every derived type, depth-first in declaration order.
    pub variants: Vec<(TypeId, String)>,
    pub unknown_variant: String,
}

pub fn analyse(model: &Model, selection: &crate::select::Selection) -> Analysis {
    let mut a = Analysis {
        selected: selection.types.clone(),
        externs: selection.externs.clone(),
        extern_primitives: selection.extern_primitives.clone(),
        ..Analysis::default()
    };
    polymorphic(model, &mut a);
    boxing(model, &mut a);
    features(model, &mut a);
    a
}

fn polymorphic(model: &Model, a: &mut Analysis) {
    // Rust names per module so `Any{Name}` cannot collide with a schema type.
    let mut taken: BTreeMap<String, crate::naming::Scope> = BTreeMap::new();
    for t in model.type_ids() {
        let module = &model[model[t].schema].rust_module;
        taken
            .entry(module.clone())
            .or_insert_with(|| crate::naming::Scope::with_separator(""))
            .claim(model[t].rust_name.clone());
    }
    for t in a.selected.clone() {
        if model[t].structured().is_none() {
            continue;
        }
        // Only selected derived types are variants; a type none of whose derived types is
        // selected is used directly.
        let mut members = vec![t];
        members.extend(
            model
                .all_derived(t)
                .into_iter()
                .filter(|d| a.selected.contains(d)),
        );
        if members.len() == 1 {
            continue;
        }
        let module = model[model[t].schema].rust_module.clone();
        let enum_name = taken
            .get_mut(&module)
            .expect("claimed above")
            .claim(format!("Any{}", model[t].rust_name));
        // Variant names: the type's Rust name, or module-prefixed where two modules share it.
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for m in &members {
            *count.entry(model[*m].rust_name.as_str()).or_default() += 1;
        }
        let mut scope = crate::naming::Scope::with_separator("");
        let mut variants = Vec::new();
        for m in &members {
            let name = &model[*m].rust_name;
            let wanted = if count[name.as_str()] > 1 {
                use heck::ToUpperCamelCase;
                format!(
                    "{}{}",
                    model[model[*m].schema].rust_module.to_upper_camel_case(),
                    name
                )
            } else {
                name.clone()
            };
            variants.push((*m, scope.claim(wanted)));
        }
        let unknown_variant = scope.claim("Unknown".to_string());
        a.polymorphic.insert(
            t,
            Poly {
                enum_name,
                variants,
                unknown_variant,
            },
        );
    }
}

/// The structured type a single-valued field holds by value, if any (polymorphic types are held
/// through boxed enum variants, so they break recursion themselves).
fn by_value(model: &Model, a: &Analysis, r: &TypeRef) -> Option<TypeId> {
    let t = r.type_id()?;
    if r.collection || model[t].structured().is_none() || a.polymorphic.contains_key(&t) {
        return None;
    }
    Some(t)
}

fn boxing(model: &Model, a: &mut Analysis) {
    let structs: Vec<TypeId> = model
        .type_ids()
        .filter(|t| model[*t].structured().is_some())
        .collect();
    let mut edges: BTreeMap<TypeId, BTreeSet<TypeId>> = BTreeMap::new();
    for &s in &structs {
        let mut out = BTreeSet::new();
        for p in model.all_properties(s) {
            if let Some(t) = by_value(model, a, &model[p].ty) {
                out.insert(t);
            }
        }
        for n in model.all_navigations(s) {
            if let Some(t) = by_value(model, a, &model[n].ty) {
                out.insert(t);
            }
        }
        edges.insert(s, out);
    }
    let scc = tarjan(&structs, &edges);
    for (s, targets) in &edges {
        for t in targets {
            if scc[s] == scc[t] {
                a.boxed.insert((*s, *t));
            }
        }
    }
}

/// Strongly connected components (iterative Tarjan): node → component number.
fn tarjan(nodes: &[TypeId], edges: &BTreeMap<TypeId, BTreeSet<TypeId>>) -> BTreeMap<TypeId, usize> {
    let mut index: BTreeMap<TypeId, usize> = BTreeMap::new();
    let mut low: BTreeMap<TypeId, usize> = BTreeMap::new();
    let mut on_stack: BTreeSet<TypeId> = BTreeSet::new();
    let mut stack: Vec<TypeId> = Vec::new();
    let mut comp: BTreeMap<TypeId, usize> = BTreeMap::new();
    let mut next = 0;
    let mut ncomp = 0;
    let empty = BTreeSet::new();
    for &root in nodes {
        if index.contains_key(&root) {
            continue;
        }
        // Work stack of (node, successors, position).
        let mut work: Vec<(TypeId, Vec<TypeId>, usize)> = Vec::new();
        index.insert(root, next);
        low.insert(root, next);
        next += 1;
        stack.push(root);
        on_stack.insert(root);
        work.push((
            root,
            edges.get(&root).unwrap_or(&empty).iter().copied().collect(),
            0,
        ));
        while let Some((v, succ, pos)) = work.last_mut() {
            let v = *v;
            if *pos < succ.len() {
                let w = succ[*pos];
                *pos += 1;
                if let std::collections::btree_map::Entry::Vacant(e) = index.entry(w) {
                    e.insert(next);
                    low.insert(w, next);
                    next += 1;
                    stack.push(w);
                    on_stack.insert(w);
                    work.push((
                        w,
                        edges.get(&w).unwrap_or(&empty).iter().copied().collect(),
                        0,
                    ));
                } else if on_stack.contains(&w) {
                    let lw = index[&w];
                    let lv = low.get_mut(&v).expect("visited");
                    *lv = (*lv).min(lw);
                }
            } else {
                work.pop();
                if let Some((parent, _, _)) = work.last() {
                    let lv = low[&v];
                    let lp = low.get_mut(parent).expect("visited");
                    *lp = (*lp).min(lv);
                }
                if low[&v] == index[&v] {
                    while let Some(w) = stack.pop() {
                        on_stack.remove(&w);
                        comp.insert(w, ncomp);
                        if w == v {
                            break;
                        }
                    }
                    ncomp += 1;
                }
            }
        }
    }
    comp
}

/// The runtime feature a primitive type needs, if any.
pub fn primitive_feature(p: Primitive) -> Option<&'static str> {
    match p {
        Primitive::DateTimeOffset
        | Primitive::Date
        | Primitive::TimeOfDay
        | Primitive::DateTime => Some("chrono"),
        Primitive::Guid => Some("uuid"),
        Primitive::Decimal => Some("decimal"),
        Primitive::Binary => Some("base64"),
        _ => None,
    }
}

/// The runtime features the types need: every primitive a selected type's properties, or a
/// selected type definition, is typed by. [`add_operation_features`] adds what operations need.
fn features(model: &Model, a: &mut Analysis) {
    let mut refs = Vec::new();
    for t in &a.selected {
        match &model[*t].kind {
            TypeKind::Definition(d) => refs.push(&d.underlying),
            TypeKind::Entity(s) | TypeKind::Complex(s) => {
                refs.extend(s.properties.iter().map(|p| &model[*p].ty));
            }
            TypeKind::Enum(_) => {}
        }
    }
    add_features(a, refs);
}

/// Adds the runtime features that the methods of `operations` need: a primitive used only as a
/// parameter or result (`Edm.Binary` uploaded by an action) is emitted as the runtime's type
/// (`rt::Binary`) in the method's signature, which exists only with its feature.
pub fn add_operation_features(
    model: &Model,
    a: &mut Analysis,
    operations: impl IntoIterator<Item = OperationId>,
) {
    let mut refs = Vec::new();
    for o in operations {
        let op = &model[o];
        refs.extend(op.parameters.iter().map(|p| &p.ty));
        refs.extend(op.return_type.iter().map(|r| &r.ty));
    }
    add_features(a, refs);
}

fn add_features<'m>(a: &mut Analysis, refs: impl IntoIterator<Item = &'m TypeRef>) {
    for r in refs {
        if let TypeTarget::Primitive(p) = r.target
            && let Some(f) = primitive_feature(p).filter(|_| !a.extern_primitives.contains_key(&p))
        {
            a.features.insert(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tarjan_finds_cycles_and_singletons() {
        let n: Vec<TypeId> = (0..5).map(TypeId).collect();
        let mut e: BTreeMap<TypeId, BTreeSet<TypeId>> = BTreeMap::new();
        e.insert(n[0], [n[1]].into());
        e.insert(n[1], [n[2]].into());
        e.insert(n[2], [n[0]].into());
        e.insert(n[3], [n[3]].into());
        e.insert(n[4], [n[0]].into());
        let c = tarjan(&n, &e);
        assert_eq!(c[&n[0]], c[&n[1]]);
        assert_eq!(c[&n[1]], c[&n[2]]);
        assert_ne!(c[&n[3]], c[&n[0]]);
        assert_ne!(c[&n[4]], c[&n[0]]);
    }
}
