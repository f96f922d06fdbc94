//! Resolves every name in the model once: namespaces and aliases, type references, base types,
//! derived types, keys, partners, container `Extends`, imports and external annotation targets;
//! then assigns Rust identifiers. Problems are left for [`super::validate`] to report, which can
//! then say everything at once.

use super::*;
use crate::naming::{self, Scope};
use std::collections::BTreeMap;

/// Field names the generator itself uses in every struct.
pub const RESERVED_FIELDS: &[&str] = &["extra"];

pub fn resolve(model: &mut Model) {
    index_namespaces(model);
    let types = type_index(model);
    resolve_type_refs(model, &types);
    link_bases(model, &types);
    infer_navigation_types(model);
    resolve_keys(model);
    resolve_partners(model);
    resolve_containers(model);
    resolve_annotation_targets(model, &types);
    assign_rust_names(model);
}

fn index_namespaces(model: &mut Model) {
    let mut namespaces = BTreeMap::new();
    for (i, s) in model.schemas.iter().enumerate() {
        let id = SchemaId(i as u32);
        namespaces.entry(s.namespace.clone()).or_insert(id);
        if let Some(a) = &s.alias {
            namespaces.entry(a.clone()).or_insert(id);
        }
    }
    let mut included = BTreeMap::new();
    for f in &model.files {
        for r in &f.references {
            for inc in &r.includes {
                included.insert(inc.namespace.clone(), inc.namespace.clone());
                if let Some(a) = &inc.alias {
                    included.insert(a.clone(), inc.namespace.clone());
                }
            }
        }
    }
    model.namespaces = namespaces;
    model.included = included;
}

/// (namespace, name) → type; the first declaration wins (duplicates are validation errors).
pub(super) type TypeIndex = BTreeMap<(String, String), TypeId>;

pub(super) fn type_index(model: &Model) -> TypeIndex {
    let mut map = TypeIndex::new();
    for t in model.type_ids() {
        let ty = &model[t];
        let ns = model[ty.schema].namespace.clone();
        map.entry((ns, ty.name.clone())).or_insert(t);
    }
    map
}

/// Looks up a qualified name (`ns.Name`, `alias.Name`, or `alias.Name` with the alias of an
/// `edmx:Include`, whose namespace a loaded referenced document declares).
pub fn lookup(model: &Model, types: &TypeIndex, qualified: &str) -> Option<TypeId> {
    let (q, n) = qualified.rsplit_once('.')?;
    let ns = match model.namespaces.get(q) {
        Some(s) => model[*s].namespace.as_str(),
        None => model.included.get(q)?.as_str(),
    };
    types.get(&(ns.to_string(), n.to_string())).copied()
}

/// The namespace an alias stands for in the document of schema `home`: one of its schemas'
/// aliases, or an alias of one of its `edmx:Include`s. Aliases belong to their document (CSDL
/// 3.3), so two documents may each say `Alias="Self"` (SAP's `SAP__self`) for their own schema.
fn document_alias<'m>(model: &'m Model, home: SchemaId, alias: &str) -> Option<&'m str> {
    let file = model[home].file;
    model
        .schemas
        .iter()
        .find(|s| s.file == file && s.alias.as_deref() == Some(alias))
        .map(|s| s.namespace.as_str())
        .or_else(|| {
            model.files[file.0 as usize]
                .references
                .iter()
                .flat_map(|r| &r.includes)
                .find(|i| i.alias.as_deref() == Some(alias))
                .map(|i| i.namespace.as_str())
        })
}

/// [`lookup`], with the aliases of `home`'s document first.
pub(super) fn lookup_from(
    model: &Model,
    types: &TypeIndex,
    home: SchemaId,
    qualified: &str,
) -> Option<TypeId> {
    let (q, n) = qualified.rsplit_once('.')?;
    match document_alias(model, home, q) {
        Some(ns) => types.get(&(ns.to_string(), n.to_string())).copied(),
        // Another document's `Self` is not this one's: [`undeclared_self`] reads it.
        None if undeclared_self(model, home, qualified).is_some() => None,
        None => lookup(model, types, qualified),
    }
}

fn resolve_ref(model: &Model, types: &TypeIndex, home: SchemaId, r: &mut TypeRef) {
    if r.target != TypeTarget::Unresolved {
        return;
    }
    if let Some(t) = lookup_from(model, types, home, &r.name) {
        r.target = TypeTarget::Type(t);
    } else if let Some(t) = (!r.name.contains('.'))
        .then(|| types.get(&(model[home].namespace.clone(), r.name.clone())))
        .flatten()
    {
        // `Type="Date"` next to a schema type `Date`: the schema's type, not `Edm.Date`.
        // Validation warns about the missing namespace.
        r.target = TypeTarget::Type(*t);
    } else if let Some(p) = unqualified_primitive(&r.name) {
        // Some hand-written documents write `Int32` for `Edm.Int32` (a type of that name in the
        // enclosing schema was tried first, above). Validation warns about it.
        r.target = TypeTarget::Primitive(p);
    } else if let Some(local) = undeclared_self(model, home, &r.name) {
        // `Self.X` where the document declares no alias `Self` (the CSDL specification's
        // examples use it by convention): the enclosing schema. Validation warns about it.
        let ns = model[home].namespace.clone();
        if let Some(t) = types.get(&(ns, local.to_string())) {
            r.target = TypeTarget::Type(*t);
        }
    } else if !r.name.contains('.') {
        // `Type="Country"`: a schema type must be qualified, but some hand-written V2
        // documents leave it out. Not in the enclosing schema (tried above): the one type of
        // that name in the schemas of the same document, or else in any schema, if there is
        // exactly one. Validation warns about it.
        let file = model[home].file;
        let one = |same_document: bool| {
            let mut named = types.iter().filter(|((_, n), t)| {
                *n == r.name && (!same_document || model[model[**t].schema].file == file)
            });
            match (named.next(), named.next()) {
                (Some((_, t)), None) => Some(*t),
                _ => None,
            }
        };
        let found = one(true).or_else(|| one(false));
        if let Some(t) = found {
            r.target = TypeTarget::Type(t);
        }
    }
}

/// The local name of `Self.X` when the document of schema `home` declares no alias `Self` (in a
/// schema or an `edmx:Include`) and no schema is named `Self`.
pub fn undeclared_self<'a>(model: &Model, home: SchemaId, name: &'a str) -> Option<&'a str> {
    let local = name.strip_prefix("Self.")?;
    let declared = document_alias(model, home, "Self").is_some()
        || model.schemas.iter().any(|s| s.namespace == "Self");
    (!declared && !local.contains('.')).then_some(local)
}

/// `Int32` → `Edm.Int32`, for names without a qualifier only.
pub fn unqualified_primitive(name: &str) -> Option<Primitive> {
    if name.contains('.') {
        return None;
    }
    Primitive::from_edm(&format!("Edm.{name}"))
}

fn resolve_type_refs(model: &mut Model, types: &TypeIndex) {
    // Take each vector out so the model can be read while the references are updated.
    let mut props = std::mem::take(&mut model.properties);
    for p in &mut props {
        let home = model[p.owner].schema;
        resolve_ref(model, types, home, &mut p.ty);
    }
    model.properties = props;

    let mut navs = std::mem::take(&mut model.navigations);
    for n in &mut navs {
        let home = model[n.owner].schema;
        resolve_ref(model, types, home, &mut n.ty);
    }
    model.navigations = navs;

    let mut tys = std::mem::take(&mut model.types);
    for t in &mut tys {
        let home = t.schema;
        if let TypeKind::Definition(d) = &mut t.kind {
            resolve_ref(model, types, home, &mut d.underlying);
        }
    }
    model.types = tys;

    let mut ops = std::mem::take(&mut model.operations);
    for o in &mut ops {
        let home = o.schema;
        for p in &mut o.parameters {
            resolve_ref(model, types, home, &mut p.ty);
        }
        if let Some(r) = &mut o.return_type {
            resolve_ref(model, types, home, &mut r.ty);
        }
    }
    model.operations = ops;

    let mut containers = std::mem::take(&mut model.containers);
    for c in &mut containers {
        let home = c.schema;
        for s in &mut c.entity_sets {
            resolve_ref(model, types, home, &mut s.ty);
        }
        for s in &mut c.singletons {
            resolve_ref(model, types, home, &mut s.ty);
        }
    }
    model.containers = containers;

    let mut terms = std::mem::take(&mut model.terms);
    for t in &mut terms {
        let home = t.schema;
        resolve_ref(model, types, home, &mut t.ty);
    }
    model.terms = terms;
}

fn link_bases(model: &mut Model, types: &TypeIndex) {
    let mut bases = Vec::new();
    for t in model.type_ids() {
        let home = model[t].schema;
        let base = model[t]
            .structured()
            .and_then(|s| s.base_name.as_deref())
            .and_then(|b| lookup_from(model, types, home, b))
            .filter(|b| {
                // A base of the other kind is a validation error; do not link it.
                model[*b].is_entity() == model[t].is_entity() && model[*b].structured().is_some()
            });
        bases.push(base);
    }
    for (i, base) in bases.into_iter().enumerate() {
        let t = TypeId(i as u32);
        if let Some(s) = model[t].structured_mut() {
            s.base = base;
        }
    }
    // Break cycles so every later walk up the chain terminates; validation reports them from
    // `base_name`, which still names the base. Each walk stops at a type an earlier walk already
    // finished (its chain is known to end), so this is linear in the number of types, not cubic
    // in the length of a chain (a hand-made chain of 2,000 bases took 80 s before).
    const UNSEEN: u8 = 0;
    const ON_WALK: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![UNSEEN; model.types.len()];
    for t in model.type_ids() {
        if state[t.0 as usize] == DONE {
            continue;
        }
        let mut walk = vec![t];
        state[t.0 as usize] = ON_WALK;
        let mut cur = t;
        while let Some(b) = model[cur].structured().and_then(|s| s.base) {
            match state[b.0 as usize] {
                DONE => break,
                ON_WALK => {
                    if let Some(s) = model[cur].structured_mut() {
                        s.base = None;
                    }
                    break;
                }
                _ => {
                    state[b.0 as usize] = ON_WALK;
                    walk.push(b);
                    cur = b;
                }
            }
        }
        for w in walk {
            state[w.0 as usize] = DONE;
        }
    }
    for t in model.type_ids() {
        if let Some(b) = model[t].structured().and_then(|s| s.base)
            && let Some(s) = model[b].structured_mut()
        {
            s.derived.push(t);
        }
    }
}

fn resolve_keys(model: &mut Model) {
    for t in model.type_ids() {
        let Some(_) = model[t].structured() else {
            continue;
        };
        let keyed = model
            .ancestry(t)
            .into_iter()
            .find(|a| model[*a].structured().is_some_and(|s| !s.key.is_empty()));
        let Some(k) = keyed else { continue };
        let all = model.all_properties(t);
        let refs = model[k]
            .structured()
            .map(|s| s.key.clone())
            .unwrap_or_default();
        let mut ids = Vec::new();
        let mut paths = Vec::new();
        for r in &refs {
            // A key path (`Address/Street`) names a property of a complex property; the key value
            // is the leaf, which may live in another type.
            let first = r.name.split('/').next().unwrap_or(&r.name);
            if let Some(p) = all.iter().copied().find(|p| model[*p].name == first) {
                ids.push(p);
            }
            if let Ok(props) = key_path(model, &all, &r.name) {
                paths.push(KeyPath {
                    props,
                    alias: r.alias.clone(),
                });
            }
        }
        if paths.len() != refs.len() {
            paths.clear();
        }
        if let Some(s) = model[t].structured_mut() {
            s.key_properties = ids;
            s.key_paths = paths;
        }
    }
}

/// Why a key's path does not lead to a property.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum KeyPathError {
    /// The property before this segment has a type the model does not know (an unloaded
    /// reference, `Edm.ComplexType`): nothing to say about the rest.
    Unknown(String),
    /// The property before this segment is a collection.
    Collection(String),
    /// The property before this segment is not of a complex type.
    NotStructured(String),
    /// This segment names no property of the complex type before it.
    Missing(String),
}

/// The properties a key's `PropertyRef/@Name` walks, from `props` (the entity type's) through
/// single-valued complex properties.
pub(crate) fn key_path(
    model: &Model,
    props: &[PropertyId],
    name: &str,
) -> Result<Vec<PropertyId>, KeyPathError> {
    let mut out: Vec<PropertyId> = Vec::new();
    let mut here = props.to_vec();
    for segment in name.split('/') {
        let Some(p) = here.iter().copied().find(|p| model[*p].name == segment) else {
            let Some(&prev) = out.last() else {
                return Err(KeyPathError::Missing(segment.to_owned()));
            };
            let prev_p = &model[prev];
            let before = prev_p.name.clone();
            return Err(match prev_p.ty.target {
                TypeTarget::Unresolved | TypeTarget::Abstract(_) => KeyPathError::Unknown(before),
                _ if prev_p.ty.collection => KeyPathError::Collection(before),
                TypeTarget::Type(c) if model[c].structured().is_some() => {
                    KeyPathError::Missing(segment.to_owned())
                }
                _ => KeyPathError::NotStructured(before),
            });
        };
        out.push(p);
        here = match model[p].ty.target {
            TypeTarget::Type(c) if !model[p].ty.collection && model[c].structured().is_some() => {
                model.all_properties(c)
            }
            _ => Vec::new(),
        };
    }
    Ok(out)
}

/// A navigation property without `Type` but with a `Partner` (the reader warned): its target is
/// the entity type that declares the partner pointing back at it. A single-valued partner makes
/// this side a collection (the usual one-to-many shape), a collection-valued one makes it single.
fn infer_navigation_types(model: &mut Model) {
    for i in 0..model.navigations.len() {
        let n = &model.navigations[i];
        if !n.ty.name.is_empty() || n.association.is_some() {
            continue;
        }
        let Some(partner) = n.partner_name.clone() else {
            continue;
        };
        let (name, owner) = (n.name.clone(), n.owner);
        let owners = model.ancestry(owner);
        let found = model.navigations.iter().find(|c| {
            c.name == partner
                && c.partner_name.as_deref() == Some(name.as_str())
                && c.ty.type_id().is_some_and(|t| owners.contains(&t))
        });
        if let Some(c) = found {
            let target = model.qualified_name(c.owner);
            let written = if c.ty.collection {
                target
            } else {
                format!("Collection({target})")
            };
            let mut ty = TypeRef::new(&written);
            ty.target = TypeTarget::Type(c.owner);
            model.navigations[i].ty = ty;
        }
    }
}

pub(super) fn resolve_partners(model: &mut Model) {
    let mut partners = Vec::new();
    for n in &model.navigations {
        let partner = n.partner_name.as_deref().and_then(|name| {
            let target = n.ty.type_id()?;
            // The partner is declared on the target or one of its bases; a path (`a/b`) names a
            // property of a derived type, which is looked up among all types derived from it.
            let last = name.rsplit('/').next().unwrap_or(name);
            let mut candidates = model.all_navigations(target);
            for d in model.all_derived(target) {
                candidates.extend(
                    model[d]
                        .structured()
                        .map(|s| s.navigations.clone())
                        .unwrap_or_default(),
                );
            }
            candidates.into_iter().find(|c| model[*c].name == last)
        });
        partners.push(partner);
    }
    for (n, p) in model.navigations.iter_mut().zip(partners) {
        n.partner = p;
    }
}

fn resolve_containers(model: &mut Model) {
    let mut by_name = BTreeMap::new();
    for (i, c) in model.containers.iter().enumerate() {
        let ns = &model[c.schema].namespace;
        by_name.insert(format!("{ns}.{}", c.name), ContainerId(i as u32));
        if let Some(a) = &model[c.schema].alias {
            by_name.insert(format!("{a}.{}", c.name), ContainerId(i as u32));
        }
    }
    let mut ops_by_name: BTreeMap<String, Vec<OperationId>> = BTreeMap::new();
    for (i, o) in model.operations.iter().enumerate() {
        let s = &model[o.schema];
        ops_by_name
            .entry(format!("{}.{}", s.namespace, o.name))
            .or_default()
            .push(OperationId(i as u32));
        if let Some(a) = &s.alias {
            ops_by_name
                .entry(format!("{a}.{}", o.name))
                .or_default()
                .push(OperationId(i as u32));
        }
    }
    // Names are read with the aliases of the container's own document first (its schemas' and
    // its `edmx:Include`s'), then with every schema's: `Extends="GPS.GPSContainer"` through an
    // include alias, or another document's `Self`.
    let homes: Vec<(Option<String>, Vec<Option<String>>)> = model
        .containers
        .iter()
        .map(|c| {
            let local = |name: &str| {
                let (q, n) = name.rsplit_once('.')?;
                document_alias(model, c.schema, q).map(|ns| format!("{ns}.{n}"))
            };
            // V2/V3 (MC-CSDL) name the base container without a namespace: it is in the
            // container's own schema.
            let extends = c
                .extends_name
                .as_deref()
                .and_then(|e| match e.contains('.') {
                    true => local(e),
                    false => Some(format!("{}.{e}", model[c.schema].namespace)),
                });
            let imports = c
                .action_imports
                .iter()
                .chain(&c.function_imports)
                .map(|imp| local(&imp.operation_name))
                .collect();
            (extends, imports)
        })
        .collect();
    for (c, (extends, imports)) in model.containers.iter_mut().zip(homes) {
        c.extends = extends
            .as_ref()
            .or(c.extends_name.as_ref())
            .and_then(|e| by_name.get(e).copied());
        for (imp, local) in c
            .action_imports
            .iter_mut()
            .chain(c.function_imports.iter_mut())
            .zip(imports)
            // A V2/V3 `FunctionImport` is linked to the operation lowered from it by the reader:
            // two imports of one name (overloads, or one per container) are each one operation.
            .filter(|(imp, _)| imp.operations.is_empty())
        {
            // An alias of the import's own document is read there only (as for `Extends`).
            let ops = match &local {
                Some(l) => ops_by_name.get(l),
                None => ops_by_name.get(&imp.operation_name),
            }
            .cloned()
            .unwrap_or_default();
            // An import names unbound operations only.
            imp.operations = ops
                .into_iter()
                .filter(|o| !model.operations[o.index()].is_bound)
                .collect();
        }
    }
}

/// [`resolve_annotation_targets`] again, after a recovery removed nodes they may address.
pub(super) fn resolve_external_annotations(model: &mut Model) {
    let types = type_index(model);
    resolve_annotation_targets(model, &types);
}

/// Resolves `Annotations/@Target` paths to model nodes. Unresolvable targets stay `None` and are
/// reported as warnings by validation (annotations on vocabulary elements of unloaded references
/// are normal and are kept as written).
fn resolve_annotation_targets(model: &mut Model, types: &TypeIndex) {
    let mut resolved = Vec::new();
    for b in &model.annotation_blocks {
        resolved.push(resolve_target(model, types, b.schema, &b.target));
    }
    let mut external: BTreeMap<NodeRef, Vec<(AnnotationsId, usize)>> = BTreeMap::new();
    for (i, r) in resolved.into_iter().enumerate() {
        model.annotation_blocks[i].resolved = r;
        let Some(node) = r else { continue };
        let n = model.annotation_blocks[i].annotations.len();
        for node in [node].into_iter().chain(other_overloads(model, i, node)) {
            external
                .entry(node)
                .or_default()
                .extend((0..n).map(|j| (AnnotationsId(i as u32), j)));
        }
    }
    model.external = external;
}

/// A target naming an operation without an overload signature (`ns.Op`, `ns.Op/param`) applies
/// to every overload (CSDL 4.0, 14.1.1): the same node on the overloads after the one it
/// resolved to (those of the same name and namespace that have that parameter).
fn other_overloads(model: &Model, block: usize, node: NodeRef) -> Vec<NodeRef> {
    let head = model.annotation_blocks[block]
        .target
        .split('/')
        .next()
        .unwrap_or_default();
    if head.contains('(') {
        return Vec::new();
    }
    let (op, param) = match node {
        NodeRef::Operation(op) => (op, None),
        NodeRef::Parameter(op, i) => (op, Some(&model[op].parameters[i as usize].name)),
        _ => return Vec::new(),
    };
    let (name, namespace) = (&model[op].name, &model[model[op].schema].namespace);
    (0..model.operations.len() as u32)
        .map(OperationId)
        .filter(|o| {
            *o != op && model[*o].name == *name && model[model[*o].schema].namespace == *namespace
        })
        // V2/V3 function imports are named through their container, not as overloads.
        .filter(|o| model[*o].function_import.is_none())
        .filter_map(|o| match param {
            None => Some(NodeRef::Operation(o)),
            Some(p) => model[o]
                .parameters
                .iter()
                .position(|x| x.name == *p)
                .map(|i| NodeRef::Parameter(o, i as u32)),
        })
        .collect()
}

/// What `target` names, its aliases read in the document of schema `home` first.
fn resolve_target(
    model: &Model,
    types: &TypeIndex,
    home: SchemaId,
    target: &str,
) -> Option<NodeRef> {
    let mut segments = target.split('/');
    let head = segments.next()?;
    let rest: Vec<&str> = segments.collect();
    // `ns.Op(ns.T,...)` names an overload; `ns.Op` all overloads (we attach to the first).
    let (head_name, overload) = match head.split_once('(') {
        // Exactly one closing parenthesis: the arguments may be `Collection(...)`.
        Some((n, args)) => (n, Some(args.strip_suffix(')').unwrap_or(args))),
        None => (head, None),
    };
    if let Some(t) = lookup_from(model, types, home, head_name) {
        let ty = &model[t];
        return match (rest.as_slice(), &ty.kind) {
            ([], _) => Some(NodeRef::Type(t)),
            ([m], TypeKind::Enum(e)) => e
                .members
                .iter()
                .position(|x| x.name == *m)
                .map(|i| NodeRef::Member(t, i as u32)),
            ([path @ .., p], TypeKind::Entity(_) | TypeKind::Complex(_)) => {
                // A path through complex-typed properties (SAP RAP's
                // `T/__OperationControl/registerWorkflow`) names a property of the last
                // complex type. The annotation goes to that property only when each complex
                // type on the path is the type of that one property in the whole model: applied
                // to a shared type it would annotate every other use of it too.
                let mut owner = t;
                for step in path {
                    let via = model
                        .all_properties(owner)
                        .into_iter()
                        .find(|x| model[*x].name == *step)?;
                    let c = model[via]
                        .ty
                        .type_id()
                        .filter(|c| matches!(model[*c].kind, TypeKind::Complex(_)))?;
                    let uses = model
                        .properties
                        .iter()
                        .filter(|p| p.ty.type_id() == Some(c))
                        .count();
                    if uses != 1 {
                        return None;
                    }
                    owner = c;
                }
                if let Some(p) = model
                    .all_properties(owner)
                    .into_iter()
                    .find(|x| model[*x].name == *p)
                {
                    Some(NodeRef::Property(p))
                } else {
                    model
                        .all_navigations(owner)
                        .into_iter()
                        .find(|x| model[*x].name == *p)
                        .map(NodeRef::Navigation)
                }
            }
            _ => None,
        };
    }
    let (q, n) = head_name.rsplit_once('.')?;
    let ns = match document_alias(model, home, q) {
        Some(ns) => ns.to_string(),
        None => model
            .namespaces
            .get(q)
            .map(|s| model[*s].namespace.clone())?,
    };
    // Operations.
    let ops: Vec<OperationId> = (0..model.operations.len() as u32)
        .map(OperationId)
        .filter(|o| model[*o].name == n && model[model[*o].schema].namespace == ns)
        .collect();
    if let Some(first) = ops.first().copied() {
        let op = match overload {
            Some(args) => {
                let args: Vec<&str> = args
                    .split(',')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .collect();
                ops.iter().copied().find(|o| {
                    let ps = &model[*o].parameters;
                    let bound: Vec<String> = ps
                        .iter()
                        .take(if model[*o].is_bound { 1 } else { ps.len() })
                        .map(|p| p.ty.written())
                        .collect();
                    let matches = |w: &str, a: &str| same_written_type(model, types, w, a);
                    if model[*o].is_bound {
                        !args.is_empty() && matches(&bound[0], args[0])
                    } else if model[*o].kind == OperationKind::Action {
                        // An action's parentheses hold its binding parameter's type only:
                        // `ns.Act()` is the unbound action, whatever its parameters.
                        args.is_empty()
                    } else {
                        args.len() == ps.len()
                            && ps
                                .iter()
                                .zip(&args)
                                .all(|(p, a)| matches(&p.ty.written(), a))
                    }
                })?
            }
            // Without a signature, a parameter is that of the first overload that has one of
            // that name (`ns.Create/CurrencyCode` when only the second overload has it).
            None => match rest.as_slice() {
                [p] => ops
                    .iter()
                    .copied()
                    .find(|o| model[*o].parameters.iter().any(|x| x.name == *p))
                    .unwrap_or(first),
                _ => first,
            },
        };
        return match rest.as_slice() {
            [] => Some(NodeRef::Operation(op)),
            ["$ReturnType"] => Some(NodeRef::ReturnType(op)),
            [p] => model[op]
                .parameters
                .iter()
                .position(|x| x.name == *p)
                .map(|i| NodeRef::Parameter(op, i as u32)),
            _ => None,
        };
    }
    // Containers and their children.
    let c = model
        .containers
        .iter()
        .position(|c| c.name == n && model[c.schema].namespace == ns)
        .map(|i| ContainerId(i as u32))?;
    let cont = &model[c];
    match rest.as_slice() {
        [] => Some(NodeRef::Container(c)),
        [child, tail @ ..] => {
            // V3 targets a function import with its parameter types (`C/F(T, Edm.Guid)`, all
            // of them, the binding one included) or empty parentheses.
            let (child, signature) = match child.split_once('(') {
                Some((n, args)) => (n, Some(args.strip_suffix(')').unwrap_or(args))),
                None => (*child, None),
            };
            if signature.is_some() {
                return legacy_function_import(model, types, c, child, signature, tail);
            }
            if !tail.is_empty()
                && let Some(found) = legacy_function_import(model, types, c, child, None, tail)
            {
                return Some(found);
            }
            if let Some(i) = cont.entity_sets.iter().position(|s| s.name == *child) {
                Some(NodeRef::EntitySet(c, i as u32))
            } else if let Some(i) = cont.singletons.iter().position(|s| s.name == *child) {
                Some(NodeRef::Singleton(c, i as u32))
            } else if let Some(i) = cont.action_imports.iter().position(|s| s.name == *child) {
                Some(NodeRef::ActionImport(c, i as u32))
            } else if let Some(i) = cont.function_imports.iter().position(|s| s.name == *child) {
                Some(NodeRef::FunctionImport(c, i as u32))
            } else {
                legacy_function_import(model, types, c, child, None, tail)
            }
        }
    }
}

/// A V2/V3 `FunctionImport` of container `c` named in an annotation target, as the operation
/// the reader lowered it to (a bindable one has no import), or one of its parameters: with a
/// signature, the overload whose parameter types it lists.
fn legacy_function_import(
    model: &Model,
    types: &TypeIndex,
    c: ContainerId,
    name: &str,
    signature: Option<&str>,
    tail: &[&str],
) -> Option<NodeRef> {
    let candidates: Vec<OperationId> = (0..model.operations.len() as u32)
        .map(OperationId)
        .filter(|o| {
            let op = &model[*o];
            op.name == name
                && op
                    .function_import
                    .as_ref()
                    .is_some_and(|f| f.container == c)
        })
        .collect();
    let op = match signature {
        Some(args) => {
            let args: Vec<&str> = args
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .collect();
            candidates.into_iter().find(|o| {
                let ps = &model[*o].parameters;
                ps.len() == args.len()
                    && ps
                        .iter()
                        .zip(&args)
                        .all(|(p, a)| same_written_type(model, types, &p.ty.written(), a))
            })?
        }
        None => match tail {
            [p] => candidates
                .iter()
                .copied()
                .find(|o| model[*o].parameters.iter().any(|x| x.name == *p))
                .or(candidates.first().copied())?,
            _ => *candidates.first()?,
        },
    };
    // An import of the operation answers for it where there is one (what the target named).
    match tail {
        [] => {
            let cont = &model[c];
            let import = cont
                .function_imports
                .iter()
                .position(|i| i.operations.contains(&op));
            Some(match import {
                Some(i) => NodeRef::FunctionImport(c, i as u32),
                None => NodeRef::Operation(op),
            })
        }
        [p] => model[op]
            .parameters
            .iter()
            .position(|x| x.name == *p)
            .map(|i| NodeRef::Parameter(op, i as u32)),
        _ => None,
    }
}

/// Whether two written types are the same type (as written, or once aliases are resolved): the
/// parameter types of an overload signature in an annotation target.
fn same_written_type(model: &Model, types: &TypeIndex, written: &str, other: &str) -> bool {
    written == other || {
        let w = lookup_written(model, types, written);
        w.is_some() && w == lookup_written(model, types, other)
    }
}

/// A written type (`Collection(graph.user)`) to a comparable key, aliases resolved.
fn lookup_written(model: &Model, types: &TypeIndex, written: &str) -> Option<(bool, String)> {
    let r = TypeRef::new(written);
    let key = match r.target {
        TypeTarget::Primitive(p) => p.edm_name(),
        _ => lookup(model, types, &r.name).map(|t| model.qualified_name(t))?,
    };
    Some((r.collection, key))
}

/// Module names per namespace, type names per module, field names per struct (inherited fields
/// included), member names per enum, and names of operations, parameters and container children.
fn assign_rust_names(model: &mut Model) {
    // Modules: one per namespace, in first-declaration order.
    let mut modules = Scope::new();
    let mut module_of: BTreeMap<String, String> = BTreeMap::new();
    for s in &model.schemas {
        if !module_of.contains_key(&s.namespace) {
            let m = modules.claim(naming::module_name(&s.namespace));
            module_of.insert(s.namespace.clone(), m);
        }
    }
    for s in &mut model.schemas {
        s.rust_module = module_of[&s.namespace].clone();
    }

    // Types, per module, in declaration order. `Any{Name}` enums for types with derived types
    // share the module's type namespace; they claim after all types so schema names win.
    let mut type_scopes: BTreeMap<String, Scope> = BTreeMap::new();
    for t in model.type_ids() {
        let module = model[model[t].schema].rust_module.clone();
        let scope = type_scopes
            .entry(module)
            .or_insert_with(|| Scope::with_separator(""));
        let name = scope.claim(naming::type_name(&model[t].name));
        model[t].rust_name = name;
    }

    // Fields: base types first so a derived type's fields avoid every inherited name.
    let mut order: Vec<TypeId> = model
        .type_ids()
        .filter(|t| model[*t].structured().is_some())
        .collect();
    order.sort_by_key(|t| (model.ancestry(*t).len(), *t));
    let mut field_scopes: BTreeMap<TypeId, Scope> = BTreeMap::new();
    for t in order {
        let mut scope = match model[t].structured().and_then(|s| s.base) {
            Some(b) => field_scopes
                .get(&b)
                .cloned()
                .unwrap_or_else(|| Scope::with_reserved(RESERVED_FIELDS)),
            None => Scope::with_reserved(RESERVED_FIELDS),
        };
        let s = model[t].structured().cloned().unwrap_or_default();
        for p in &s.properties {
            let n = scope.claim(naming::field_name(&model[*p].name));
            model[*p].rust_name = n;
        }
        for n in &s.navigations {
            let name = scope.claim(naming::field_name(&model[*n].name));
            model[*n].rust_name = name;
        }
        field_scopes.insert(t, scope);
    }

    // Enum members.
    for t in model.type_ids() {
        if let TypeKind::Enum(e) = &mut model[t].kind {
            let mut scope = Scope::with_separator("");
            for m in &mut e.members {
                m.rust_name = scope.claim(naming::type_name(&m.name));
            }
        }
    }

    // Operations (per schema; overloads share a name and are told apart by their binding), parameters.
    for o in &mut model.operations {
        o.rust_name = naming::field_name(&o.name);
        let mut scope = Scope::new();
        for p in &mut o.parameters {
            p.rust_name = scope.claim(naming::field_name(&p.name));
        }
    }

    // Container children share one namespace per container.
    for c in &mut model.containers {
        let mut scope = Scope::new();
        for s in &mut c.entity_sets {
            s.rust_name = scope.claim(naming::field_name(&s.name));
        }
        for s in &mut c.singletons {
            s.rust_name = scope.claim(naming::field_name(&s.name));
        }
        for s in c
            .action_imports
            .iter_mut()
            .chain(c.function_imports.iter_mut())
        {
            s.rust_name = scope.claim(naming::field_name(&s.name));
        }
    }
}
