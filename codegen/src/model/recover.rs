//! Recovery from the ways real services break the spec. Users cannot edit the `$metadata` a
//! service publishes, so every rule that has one sensible reading is repaired here, after
//! [`super::resolve`] and before [`super::validate`], and reported with
//! [`Diagnostics::recovered`]: a located warning naming the recovery, or in strict mode an error.
//!
//! What is repaired in the model:
//! - an inheritance cycle (a type whose base type is itself, or a cycle through several types)
//!   is broken at the edge that closes it: that type has no base type;
//! - a base type in a namespace that no schema declares and no reference names (documents
//!   published with some schemas stripped), or that a reference names but no loaded document
//!   declares, is ignored;
//! - `Scale` greater than `Precision` is ignored;
//! - a V2/V3 association end typed by the name of an entity set is read as the set's entity
//!   type;
//! - a `Partner` that is not a navigation property of the target is ignored;
//! - an import naming no unbound operation is left out;
//! - `Extends` naming no entity container is ignored;
//! - a property a derived type declares again with its base's type (or narrowing an untyped one)
//!   is left to the base type's declaration.
//!
//! Rules whose recovery needs no change to the model are reported by [`super::validate`] with
//! [`Diagnostics::recovered`] too: duplicate names of container children and of parameters (the
//! Rust names are distinct already, the wire names stay), references to types in such a
//! missing namespace (unresolved references are untyped JSON to the emitters), and entity sets
//! and singletons of a type that is not an entity type (they get no request builder).

use super::resolve::{lookup_from, type_index};
use super::validate::{absent_namespace, unresolved_reason};
use super::*;
use crate::diag::Diagnostics;

pub fn recover(model: &mut Model, diags: &mut Diagnostics) {
    base_types(model, diags);
    association_ends(model, diags);
    facets(model, diags);
    partners(model, diags);
    imports(model, diags);
    extends(model, diags);
    redeclared_properties(model, diags);
}

/// A property a derived type declares again with its base type's type, or narrowing a base
/// property of `Edm.Untyped`/`Edm.PrimitiveType` (SAP's UI, Common and Hierarchy vocabularies do
/// both, to describe the property again for the derived type): the base type's declaration is
/// the one generated. A redeclaration with another type stays an error (validation).
fn redeclared_properties(model: &mut Model, diags: &mut Diagnostics) {
    let mut drop: Vec<(TypeId, PropertyId)> = Vec::new();
    for t in model.type_ids() {
        let Some(s) = model[t].structured() else {
            continue;
        };
        let inherited: Vec<PropertyId> = model
            .ancestry(t)
            .into_iter()
            .skip(1)
            .filter_map(|a| model[a].structured().map(|b| b.properties.clone()))
            .flatten()
            .collect();
        for &p in &s.properties {
            let mine = &model[p];
            let Some(&base) = inherited.iter().find(|b| model[**b].name == mine.name) else {
                continue;
            };
            let theirs = &model[base];
            let general = matches!(
                theirs.ty.target,
                TypeTarget::Primitive(Primitive::Untyped | Primitive::PrimitiveType)
            );
            let compatible = mine.ty.collection == theirs.ty.collection
                && mine.ty.target != TypeTarget::Unresolved
                && (mine.ty.target == theirs.ty.target || general);
            if !compatible {
                continue;
            }
            let owner = &model[theirs.owner];
            diags.recovered(
                mine.loc,
                format!(
                    "{} `{}` declares property `{}` again, which its base type `{}` declares (line {})",
                    model[t].kind_name(),
                    model[t].name,
                    mine.name,
                    owner.name,
                    theirs.loc.line
                ),
                format!(
                    "the base type's declaration (`{}`) is generated; this one's annotations are not applied",
                    theirs.ty.written()
                ),
            );
            drop.push((t, p));
        }
    }
    for (t, p) in drop {
        if let Some(s) = model[t].structured_mut() {
            s.properties.retain(|x| *x != p);
        }
    }
}

/// Inheritance cycles (already cut by [`super::resolve`] so that walks terminate) and base types
/// in missing namespaces: the type is generated without a base type. `base_name` is cleared so
/// the model says what is generated (and `--emit-csdl` writes it so).
fn base_types(model: &mut Model, diags: &mut Diagnostics) {
    let types = type_index(model);
    for t in model.type_ids() {
        let ty = &model[t];
        let Some(s) = ty.structured() else { continue };
        let (Some(base_name), None) = (&s.base_name, s.base) else {
            continue;
        };
        let what = format!("{} `{}`", ty.kind_name(), ty.name);
        match lookup_from(model, &types, ty.schema, base_name) {
            // Of the right kind but not linked: resolution cut the edge that closes a cycle.
            Some(b)
                if model[b].is_entity() == ty.is_entity() && model[b].structured().is_some() =>
            {
                diags.recovered(
                    ty.loc,
                    format!("{what}: inheritance cycle through base type `{base_name}`"),
                    format!(
                        "the cycle is broken here: `{}` is generated without a base type",
                        ty.name
                    ),
                );
            }
            Some(_) => continue,
            None if absent_namespace(model, base_name).is_some() => {
                diags.recovered(
                    ty.loc,
                    format!("{what}: base type: {}", unresolved_reason(model, base_name)),
                    format!(
                        "`{}` is generated without a base type; properties it would inherit are kept in `extra`",
                        ty.name
                    ),
                );
            }
            None => continue,
        }
        if let Some(s) = model[t].structured_mut() {
            s.base_name = None;
        }
    }
}

/// `Scale` greater than `Precision` on a decimal: the scale is ignored, as if it were not
/// written. (On a temporal type, where SAP and Olingo documents write it beside the fractional
/// seconds' `Precision`, `Scale` means nothing: it is kept as written, without a word.)
fn facets(model: &mut Model, diags: &mut Diagnostics) {
    let decimals = model.decimal_definitions();
    let fix = |f: &mut Facets, ty: &TypeRef, loc: Loc, what: &str, diags: &mut Diagnostics| {
        if let (Some(p), Some(Scale::Value(s))) = (f.precision, f.scale)
            && s > p
            && scale_applies(ty, &decimals)
        {
            diags.recovered(
                loc,
                format!("{what}: Scale {s} is greater than Precision {p}"),
                "`Scale` is ignored",
            );
            f.scale = None;
        }
    };
    for p in &mut model.properties {
        let what = format!("property `{}`", p.name);
        fix(&mut p.facets, &p.ty, p.loc, &what, diags);
    }
    for o in &mut model.operations {
        for p in &mut o.parameters {
            let what = format!("parameter `{}`", p.name);
            fix(&mut p.facets, &p.ty, p.loc, &what, diags);
        }
        if let Some(r) = &mut o.return_type {
            let what = format!("return type of `{}`", o.name);
            fix(&mut r.facets, &r.ty, r.loc, &what, diags);
        }
    }
    for t in &mut model.types {
        let what = format!("type definition `{}`", t.name);
        if let TypeKind::Definition(d) = &mut t.kind {
            fix(&mut d.facets, &d.underlying, t.loc, &what, diags);
        }
    }
}

/// An action or function import that names no unbound operation: it is left out (it could not
/// be called anyway). External annotations are resolved again, since they address imports by
/// position.
fn imports(model: &mut Model, diags: &mut Diagnostics) {
    let legacy: Vec<String> = model
        .operations
        .iter()
        .filter(|o| o.function_import.is_some())
        .map(|o| o.name.clone())
        .collect();
    let count = |m: &Model| -> usize {
        m.containers
            .iter()
            .map(|c| c.action_imports.len() + c.function_imports.len())
            .sum()
    };
    // The bound operations by qualified name (with the namespace, and with the alias): an
    // import naming one is told apart from an import naming nothing.
    let mut bound = std::collections::HashSet::new();
    for o in model.operations.iter().filter(|o| o.is_bound) {
        let schema = &model[o.schema];
        bound.insert(format!("{}.{}", schema.namespace, o.name));
        if let Some(a) = &schema.alias {
            bound.insert(format!("{a}.{}", o.name));
        }
    }
    let before = count(model);
    for c in &mut model.containers {
        for imports in [&mut c.action_imports, &mut c.function_imports] {
            imports.retain(|i| {
                let dangling = i.operations.is_empty() && !legacy.contains(&i.name);
                if dangling && bound.contains(&i.operation_name) {
                    diags.recovered(
                        i.loc,
                        format!(
                            "operation import `{}` names `{}`, which is bound (`IsBound=\"true\"`); an import names unbound operations only",
                            i.name, i.operation_name
                        ),
                        "the import is left out; the operation is a method of its binding type's request builder",
                    );
                } else if dangling {
                    diags.recovered(
                        i.loc,
                        format!(
                            "operation import `{}` names unknown unbound operation `{}`",
                            i.name, i.operation_name
                        ),
                        "the import is left out",
                    );
                }
                !dangling
            });
        }
    }
    if count(model) != before {
        super::resolve::resolve_external_annotations(model);
    }
}

/// A V2/V3 association `End` whose `Type` names an entity set instead of its entity type
/// (`Type="NorthwindModel.Shippers"` for the set `Shippers` of `NorthwindModel.Shipper`): the
/// navigation properties that lead to that end are typed by the set's entity type. Reported at
/// the `End`, once per end.
fn association_ends(model: &mut Model, diags: &mut Diagnostics) {
    let mut reported = Vec::new();
    for n in 0..model.navigations.len() {
        let nav = &model.navigations[n];
        let Some(ar) = &nav.association else { continue };
        if nav.ty.target != TypeTarget::Unresolved {
            continue;
        }
        let Some((q, set_name)) = nav.ty.name.rsplit_once('.') else {
            continue;
        };
        // The qualifier must be a schema of the input (a namespace no schema declares has its
        // own recovery: untyped JSON).
        if !model
            .schemas
            .iter()
            .any(|s| s.namespace == q || s.alias.as_deref() == Some(q))
        {
            continue;
        }
        // The sets of that name in any container (the container may be in another schema than
        // the association, as Entity Framework writes it): one entity type among them.
        let mut types: Vec<TypeId> = model
            .containers
            .iter()
            .flat_map(|c| &c.entity_sets)
            .filter(|s| s.name == set_name)
            .filter_map(|s| s.ty.type_id())
            .filter(|t| model[*t].is_entity())
            .collect();
        types.sort();
        types.dedup();
        let [t] = types[..] else { continue };
        let end = model
            .associations
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                ar.relationship.rsplit_once('.').is_some_and(|(aq, an)| {
                    a.name == an
                        && (model[a.schema].namespace == aq
                            || model[a.schema].alias.as_deref() == Some(aq))
                })
            })
            .find_map(|(i, a)| {
                let e = a.ends.iter().position(|e| e.role == ar.to_role)?;
                Some((i, e, a.ends[e].loc, a.name.clone()))
            });
        let (key, loc, association) = match end {
            Some((i, e, loc, name)) => (Some((i, e)), loc, name),
            None => (None, nav.loc, ar.relationship.clone()),
        };
        let written = nav.ty.name.clone();
        let qualified = model.qualified_name(t);
        if key.is_none() || !reported.contains(&key) {
            reported.push(key);
            diags.recovered(
                loc,
                format!(
                    "association `{association}`: end `{}` has type `{written}`, the name of an entity set, not of an entity type",
                    ar.to_role
                ),
                format!("read as `{qualified}`, the set's entity type"),
            );
        }
        let nav = &mut model.navigations[n];
        nav.ty.name = qualified;
        nav.ty.target = TypeTarget::Type(t);
    }
    if !reported.is_empty() {
        // Partners are found on the target type, which is known now.
        super::resolve::resolve_partners(model);
    }
}

/// A `Partner` that is not a navigation property of the target type: the navigation property
/// is generated without a partner.
fn partners(model: &mut Model, diags: &mut Diagnostics) {
    for n in &mut model.navigations {
        if let (Some(p), None, Some(_)) = (&n.partner_name, n.partner, n.ty.type_id()) {
            diags.recovered(
                n.loc,
                format!(
                    "navigation property `{}`: partner `{p}` is not a navigation property of `{}`",
                    n.name, n.ty.name
                ),
                "the partner is ignored",
            );
            n.partner_name = None;
        }
    }
}

/// An entity container that extends a container no schema declares: `Extends` is ignored.
fn extends(model: &mut Model, diags: &mut Diagnostics) {
    for c in &mut model.containers {
        if let (Some(e), None) = (&c.extends_name, c.extends) {
            diags.recovered(
                c.loc,
                format!(
                    "entity container `{}` extends unknown container `{e}`",
                    c.name
                ),
                "`Extends` is ignored",
            );
            c.extends_name = None;
        }
    }
}
