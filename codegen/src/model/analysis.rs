//! The analysis stage of the model, run once before anything is emitted: for a selection of the
//! model, which structured types are used polymorphically, which fields must be boxed to break
//! recursion, which areas (Cargo features) each type is in, and the names of the items that are
//! not schema elements (`Any{Name}` enums, request builders, root builders, the variant for
//! unknown enum members, `{Type}Required` structs). Emitters read these; they claim no names of
//! their own but those of methods and parameters inside one item.

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
    /// Entity types with request builders, and their builders' names.
    pub builders: BTreeMap<TypeId, BuilderNames>,
    /// Each entity container's root builder name.
    pub roots: Vec<(ContainerId, String)>,
    /// Builders of the entities an addressing alias reaches (`me`), for aliases with operations
    /// valid only through them; those operations are methods of this builder only.
    pub alias_builders: Vec<AliasBuilder>,
    /// Each enum type's variant for members the crate does not know (`Unknown`, or `Unknown2`
    /// where a member has that name).
    pub unknown_variants: BTreeMap<TypeId, String>,
    /// The names of the `{Type}Required` structs of types created with many required
    /// properties (see [`crate::model::meaning::NAMED_CREATE_ABOVE`]).
    pub required_structs: BTreeMap<TypeId, String>,
    /// The members each selected entity type requires on create
    /// ([`crate::model::meaning::create_requirements`]), for types that have any.
    pub create_requirements: BTreeMap<TypeId, Vec<String>>,
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
fn compute_areas(model: &Model, a: &mut Analysis) {
    let mut scope = Scope::with_reserved(&["default", "full", "other"]);
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

/// The names of an entity type's request builders.
#[derive(Debug, Clone)]
pub struct BuilderNames {
    pub item: String,
    pub collection: String,
}

/// The builder of the entity an addressing alias reaches (Azure AD Graph's `me`): an item
/// builder of the entity type (which it dereferences to) with the operations valid only there.
#[derive(Debug, Clone)]
pub struct AliasBuilder {
    pub container: ContainerId,
    /// The alias as written in URLs.
    pub alias: String,
    pub entity: TypeId,
    pub name: String,
    /// The operations valid only through the alias.
    pub operations: Vec<OperationId>,
}

impl Analysis {
    /// Whether an operation is valid only through an alias that has its own builder (and so is
    /// not a method of the entity's item builder).
    pub fn only_through_alias(&self, op: OperationId) -> bool {
        self.alias_builders
            .iter()
            .any(|b| b.operations.contains(&op))
    }
}

/// Analyses `model` for what `selection` picks; `builders`: the request builders are emitted;
/// `area_features`: a Cargo feature per entity set and singleton.
pub fn analyse(
    model: &Model,
    selection: &crate::select::Selection,
    builders: bool,
    area_features: bool,
) -> Analysis {
    let mut a = Analysis {
        selected: selection.types.clone(),
        externs: selection.externs.clone(),
        extern_primitives: selection.extern_primitives.clone(),
        ..Analysis::default()
    };
    // Rust names per module: the schema's types first, so the names chosen here cannot collide
    // with a schema type.
    let mut taken: BTreeMap<String, Scope> = BTreeMap::new();
    for t in model.type_ids() {
        let module = &model[model[t].schema].rust_module;
        taken
            .entry(module.clone())
            .or_insert_with(|| Scope::with_separator(""))
            .claim(model[t].rust_name.clone());
    }
    polymorphic(model, &mut a, &mut taken);
    required_structs(model, &mut a, &mut taken);
    unknown_variants(model, &mut a);
    boxing(model, &mut a);
    if area_features {
        compute_areas(model, &mut a);
    }
    if builders {
        builder_names(model, &mut a);
        a.filter_handles = true;
    }
    a
}

use crate::naming::Scope;

/// The names of a `requests` module, with the generic builders' (`Item`, `Collection`) taken.
fn builder_scope() -> Scope {
    let mut scope = Scope::with_separator("");
    for generic in ["Item", "Collection"] {
        scope.claim(generic.to_string());
    }
    scope
}

/// The builders of each selected entity type (`UserItem`, `UserCollection`), each container's
/// root builder, named after the container, and its alias builders (`Me`), all clear of each
/// other and of the generic builders `Item` and `Collection` in their module (builders live in
/// a `requests` module of their own).
fn builder_names(model: &Model, a: &mut Analysis) {
    let mut scopes: BTreeMap<String, Scope> = BTreeMap::new();
    for &t in &a.selected {
        if !model[t].is_entity() || a.externs.contains_key(&t) {
            continue;
        }
        let scope = scopes
            .entry(model[model[t].schema].rust_module.clone())
            .or_insert_with(builder_scope);
        let n = &model[t].rust_name;
        let mut claim = |suffix: &str| scope.claim(format!("{n}{suffix}"));
        let names = BuilderNames {
            item: claim("Item"),
            collection: claim("Collection"),
        };
        a.builders.insert(t, names);
    }
    for (i, c) in model.containers.iter().enumerate() {
        let module = model[c.schema].rust_module.clone();
        let scope = scopes.entry(module).or_insert_with(builder_scope);
        let container = ContainerId(i as u32);
        a.roots.push((container, scope.claim(root_name(&c.name))));
        for (alias, ty) in crate::model::meaning::aliases(model, container) {
            let Some(entity) = ty
                .and_then(|q| model.type_ids().find(|t| model.qualified_name(*t) == q))
                .filter(|t| a.builders.contains_key(t))
            else {
                continue;
            };
            let ancestry = model.ancestry(entity);
            let operations: Vec<OperationId> = (0..model.operations.len() as u32)
                .map(OperationId)
                .filter(|o| {
                    let op = &model[*o];
                    let binding = op.parameters.first().filter(|_| op.is_bound);
                    binding.is_some_and(|b| {
                        !b.ty.collection && b.ty.type_id().is_some_and(|x| ancestry.contains(&x))
                    }) && crate::model::meaning::only_through(model, *o)
                        .is_some_and(|x| x.eq_ignore_ascii_case(&alias))
                })
                .collect();
            if operations.is_empty() {
                continue;
            }
            let name = scope.claim(crate::naming::type_name(&alias));
            a.alias_builders.push(AliasBuilder {
                container,
                alias,
                entity,
                name,
                operations,
            });
        }
    }
}

/// The root builder's name: the container's, in type case; a container named `New` (whose
/// `new()` constructor clippy would take for a self-named one) becomes `NewService`.
fn root_name(container: &str) -> String {
    let name = crate::naming::type_name(container);
    if name == "New" {
        format!("{name}Service")
    } else {
        name
    }
}

/// The variant of each selected enum type for members the crate does not know: `Unknown`,
/// unless a member took that name.
fn unknown_variants(model: &Model, a: &mut Analysis) {
    for &t in &a.selected {
        if let TypeKind::Enum(e) = &model[t].kind {
            let mut scope = Scope::with_separator("");
            for m in &e.members {
                scope.claim(m.rust_name.clone());
            }
            a.unknown_variants
                .insert(t, scope.claim("Unknown".to_string()));
        }
    }
}

/// The create requirements of each selected entity type, and `{Type}Required` for each created
/// with more than [`crate::model::meaning::NAMED_CREATE_ABOVE`] required properties.
fn required_structs(model: &Model, a: &mut Analysis, taken: &mut BTreeMap<String, Scope>) {
    for &t in &a.selected {
        if !model[t].is_entity() {
            continue;
        }
        let required = crate::model::meaning::create_requirements(model, t);
        if required.len() > crate::model::meaning::NAMED_CREATE_ABOVE {
            let module = &model[model[t].schema].rust_module;
            let name = taken
                .get_mut(module)
                .expect("every module's types are claimed")
                .claim(format!("{}Required", model[t].rust_name));
            a.required_structs.insert(t, name);
        }
        if !required.is_empty() {
            a.create_requirements.insert(t, required);
        }
    }
}

fn polymorphic(model: &Model, a: &mut Analysis, taken: &mut BTreeMap<String, Scope>) {
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
        let mut scope = Scope::with_separator("");
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
