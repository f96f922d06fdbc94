//! V2/V3 lowering, run once a whole document is read: associations become the type, nullability,
//! partner, referential constraints and `OnDelete` of navigation properties; association sets
//! become navigation property bindings.

use crate::diag::{Diagnostics, Loc};
use crate::model::*;
use std::collections::HashMap;

/// Associations by (namespace or alias, name).
fn association_index(model: &Model) -> HashMap<(String, String), usize> {
    let mut map = HashMap::new();
    for (i, a) in model.associations.iter().enumerate() {
        let s = &model.schemas[a.schema.index()];
        map.entry((s.namespace.clone(), a.name.clone()))
            .or_insert(i);
        if let Some(alias) = &s.alias {
            map.entry((alias.clone(), a.name.clone())).or_insert(i);
        }
    }
    map
}

fn resolve(index: &HashMap<(String, String), usize>, qualified: &str) -> Option<usize> {
    let (q, n) = qualified.trim().rsplit_once('.')?;
    index.get(&(q.to_string(), n.to_string())).copied()
}

/// Namespace- and alias-qualified names of a type.
fn qualified_names(model: &Model, t: TypeId) -> (String, Option<String>) {
    let ty = &model.types[t.index()];
    let s = &model.schemas[ty.schema.index()];
    (
        format!("{}.{}", s.namespace, ty.name),
        s.alias.as_ref().map(|a| format!("{a}.{}", ty.name)),
    )
}

pub(super) fn lower(
    model: &mut Model,
    first_nav: usize,
    first_set: usize,
    constraint_locs: &[(usize, Loc)],
    diags: &mut Diagnostics,
) {
    let has_legacy_navs = model.navigations[first_nav..]
        .iter()
        .any(|n| n.association.is_some());
    if !has_legacy_navs && model.association_sets.len() == first_set {
        return;
    }
    let index = association_index(model);
    let constraint_loc: HashMap<usize, Loc> = constraint_locs.iter().copied().collect();

    let resolved = resolve_navigations(model, first_nav, &index, diags);
    partners_and_constraints(model, &resolved, &constraint_loc);
    association_set_bindings(model, first_set, &index, &resolved, diags);
}

/// Completes the navigation properties from `first_nav` on from their associations (type,
/// nullability, `OnDelete`); returns (navigation property, association) of every resolved one.
fn resolve_navigations(
    model: &mut Model,
    first_nav: usize,
    index: &HashMap<(String, String), usize>,
    diags: &mut Diagnostics,
) -> Vec<(NavId, usize)> {
    let mut resolved: Vec<(NavId, usize)> = Vec::new();
    for n in first_nav..model.navigations.len() {
        let Some(ar) = model.navigations[n].association.clone() else {
            continue;
        };
        let nav_loc = model.navigations[n].loc;
        let Some(ai) = resolve(index, &ar.relationship) else {
            diags.error(
                nav_loc,
                format!(
                    "navigation property `{}`: association `{}` not found",
                    model.navigations[n].name, ar.relationship
                ),
            );
            continue;
        };
        let assoc = &model.associations[ai];
        let from = assoc.ends.iter().find(|e| e.role == ar.from_role);
        let to = assoc.ends.iter().find(|e| e.role == ar.to_role);
        let (Some(from), Some(to)) = (from, to) else {
            let missing = if from.is_none() {
                &ar.from_role
            } else {
                &ar.to_role
            };
            diags.error(
                nav_loc,
                format!(
                    "navigation property `{}`: association `{}` has no end with role `{missing}`",
                    model.navigations[n].name, ar.relationship
                ),
            );
            continue;
        };
        let mut ty = TypeRef::new(&to.ty);
        ty.collection = to.multiplicity == "*";
        let nullable = match to.multiplicity.as_str() {
            "1" => Some(false),
            "0..1" => Some(true),
            _ => None,
        };
        let on_delete = from.on_delete.clone();
        let nav = &mut model.navigations[n];
        if nav.ty.name.is_empty() {
            nav.ty = ty;
        }
        if nav.nullable.is_none() {
            nav.nullable = nullable;
        }
        if nav.on_delete.is_none() {
            nav.on_delete = on_delete;
        }
        resolved.push((NavId(n as u32), ai));
    }
    resolved
}

/// Partners of the `resolved` navigation properties, and the referential constraints of their
/// associations (`constraint_loc`: where each was written).
fn partners_and_constraints(
    model: &mut Model,
    resolved: &[(NavId, usize)],
    constraint_loc: &HashMap<usize, Loc>,
) {
    // Partners: the navigation property of the same association starting at our ToRole.
    let mut by_role: HashMap<(usize, String), NavId> = HashMap::new();
    for &(nid, ai) in resolved {
        let role = model.navigations[nid.index()]
            .association
            .as_ref()
            .map(|a| a.from_role.clone())
            .unwrap_or_default();
        by_role.entry((ai, role)).or_insert(nid);
    }
    for &(nid, ai) in resolved {
        let Some(ar) = model.navigations[nid.index()].association.clone() else {
            continue;
        };
        if let Some(&other) = by_role.get(&(ai, ar.to_role.clone()))
            && other != nid
        {
            let name = model.navigations[other.index()].name.clone();
            let nav = &mut model.navigations[nid.index()];
            if nav.partner_name.is_none() {
                nav.partner_name = Some(name);
            }
        }
        // Referential constraints go onto the dependent end's navigation property.
        if let Some((_, dependent, pairs)) = model.associations[ai].constraint.clone()
            && dependent == ar.from_role
        {
            let loc = constraint_loc
                .get(&ai)
                .copied()
                .unwrap_or(model.associations[ai].loc);
            let nav = &mut model.navigations[nid.index()];
            for (principal_prop, dependent_prop) in pairs {
                nav.referential_constraints.push(ReferentialConstraint {
                    property: dependent_prop,
                    referenced_property: principal_prop,
                    loc,
                    extras: Extras::default(),
                });
            }
        }
    }
}

/// Association sets from `first_set` on → navigation property bindings of their entity sets.
fn association_set_bindings(
    model: &mut Model,
    first_set: usize,
    index: &HashMap<(String, String), usize>,
    resolved: &[(NavId, usize)],
    diags: &mut Diagnostics,
) {
    for psi in first_set..model.association_sets.len() {
        let ps = model.association_sets[psi].clone();
        let Some(ai) = resolve(index, &ps.association) else {
            diags.error(
                ps.loc,
                format!(
                    "association set `{}`: association `{}` not found",
                    ps.name, ps.association
                ),
            );
            continue;
        };
        if ps.ends.len() != 2 {
            diags.error(
                ps.loc,
                format!(
                    "association set `{}` has {} ends; it needs exactly two",
                    ps.name,
                    ps.ends.len()
                ),
            );
            continue;
        }
        let roles: Vec<String> = ps
            .ends
            .iter()
            .enumerate()
            .map(|(i, end)| {
                end.role
                    .clone()
                    .or_else(|| model.associations[ai].ends.get(i).map(|e| e.role.clone()))
                    .unwrap_or_default()
            })
            .collect();
        for (i, role) in roles.iter().enumerate() {
            let j = 1 - i;
            let set_name = &ps.ends[i].entity_set;
            let end_loc = &ps.ends[i].loc;
            let target = ps.ends[j].entity_set.clone();
            if !model.associations[ai].ends.iter().any(|e| e.role == *role) {
                diags.error(
                    *end_loc,
                    format!(
                        "association set `{}`: association `{}` has no end with role `{}`",
                        ps.name, ps.association, role
                    ),
                );
                continue;
            }
            let container = &model.containers[ps.container.index()];
            let Some(si) = container
                .entity_sets
                .iter()
                .position(|s| &s.name == set_name)
            else {
                diags.error(
                    *end_loc,
                    format!(
                        "association set `{}`: entity set `{set_name}` not found in `{}`",
                        ps.name, container.name
                    ),
                );
                continue;
            };
            let set_ty = container.entity_sets[si].ty.name.clone();
            let mut new = Vec::new();
            for &(nid, nai) in resolved {
                let nav = &model.navigations[nid.index()];
                if nai != ai || nav.association.as_ref().map(|a| &a.from_role) != Some(role) {
                    continue;
                }
                let (full, alias) = qualified_names(model, nav.owner);
                let path = if full == set_ty || alias.as_deref() == Some(set_ty.as_str()) {
                    nav.name.clone()
                } else {
                    format!("{full}/{}", nav.name)
                };
                new.push(NavigationPropertyBinding {
                    path,
                    target: target.clone(),
                    loc: *end_loc,
                });
            }
            let set = &mut model.containers[ps.container.index()].entity_sets[si];
            for b in new {
                if !set.bindings.iter().any(|x| x.path == b.path) {
                    set.bindings.push(b);
                }
            }
        }
    }
}
