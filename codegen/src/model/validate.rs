//! Validation of a resolved model. Every problem is reported, located, in one pass; generation
//! stops only after all of them are known.

use super::*;
use crate::diag::Diagnostics;
use std::collections::{BTreeMap, BTreeSet};

pub fn validate(model: &Model, diags: &mut Diagnostics) {
    check_identifiers(model, diags);
    check_type_refs(model, diags);
    check_bases(model, diags);
    check_duplicates(model, diags);
    check_keys(model, diags);
    check_enums(model, diags);
    check_navigations(model, diags);
    check_operations(model, diags);
    check_containers(model, diags);
    check_annotation_targets(model, diags);
    check_annotations_only(model, diags);
}

/// CSDL `SimpleIdentifier` (`[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}\p{Cf}]*`, at
/// most 128 characters), read as Unicode's identifier classes: a letter or `_` (`XID_Start`),
/// then letters, digits, marks and connector punctuation (`XID_Continue`) or format characters
/// (`Cf`: zero-width joiners and the like).
pub fn is_simple_identifier(s: &str) -> bool {
    let format = |c: char| {
        matches!(c, '\u{AD}' | '\u{600}'..='\u{605}' | '\u{61C}' | '\u{6DD}' | '\u{70F}'
            | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
    };
    let mut chars = s.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| unicode_ident::is_xid_start(c) || c == '_');
    first_ok
        && chars.all(|c| unicode_ident::is_xid_continue(c) || format(c))
        && s.chars().count() <= 128
}

/// Names that are not identifiers still generate (the Rust name is a deterministic rename, see
/// `naming`), but the document is non-conformant: say so where it happens. Empty names are
/// errors, reported by the reader.
fn check_identifiers(model: &Model, diags: &mut Diagnostics) {
    for s in &model.schemas {
        if !s.namespace.is_empty() && !s.namespace.split('.').all(is_simple_identifier) {
            let what = "schema namespace";
            diags.warning(
                s.loc,
                format!(
                    "{what} `{}` is not a dotted CSDL identifier; its module is `{}`",
                    s.namespace, s.rust_module
                ),
            );
        }
    }
    let mut check = |name: &str, rust: &str, loc: Loc, what: &str| {
        if !name.is_empty() && !is_simple_identifier(name) {
            diags.warning(
                loc,
                format!(
                    "{what} name `{name}` is not a valid CSDL identifier; generated as `{rust}`"
                ),
            );
        }
    };
    for t in &model.types {
        check(&t.name, &t.rust_name, t.loc, t.kind_name());
        if let TypeKind::Enum(e) = &t.kind {
            for m in &e.members {
                check(&m.name, &m.rust_name, m.loc, "enum member");
            }
        }
    }
    for p in &model.properties {
        check(&p.name, &p.rust_name, p.loc, "property");
    }
    for n in &model.navigations {
        check(&n.name, &n.rust_name, n.loc, "navigation property");
    }
    for o in &model.operations {
        check(&o.name, &o.rust_name, o.loc, "operation");
        for p in &o.parameters {
            check(&p.name, &p.rust_name, p.loc, "parameter");
        }
    }
    for c in &model.containers {
        for s in &c.entity_sets {
            check(&s.name, &s.rust_name, s.loc, "entity set");
        }
        for s in &c.singletons {
            check(&s.name, &s.rust_name, s.loc, "singleton");
        }
    }
}

/// The qualifier of `name` when it is a namespace that no schema of the input declares and no
/// reference names (real documents are published with some sub-namespace schemas stripped).
/// `Edm` and the `Self` alias are not missing namespaces: a name they qualify is a typo.
pub(super) fn missing_namespace<'a>(model: &Model, name: &'a str) -> Option<&'a str> {
    let (q, _) = name.rsplit_once('.')?;
    let missing = !model.namespaces.contains_key(q)
        && !model.included.contains_key(q)
        && !q.starts_with("Edm")
        && q != "Self"
        && !name.starts_with("Collection(");
    missing.then_some(q)
}

/// The qualifier of `name` when it is the namespace or alias of an `edmx:Include` whose
/// namespace no loaded document declares (a reference to a remote document, or to a file that
/// was not passed): as for a [`missing_namespace`], what refers to it can be generated without it.
pub(super) fn unloaded_namespace<'a>(model: &Model, name: &'a str) -> Option<&'a str> {
    let (q, _) = name.rsplit_once('.')?;
    let ns = model.included.get(q)?;
    (!model.namespaces.contains_key(ns.as_str()) && !name.starts_with("Collection(")).then_some(q)
}

/// A namespace the input lacks, missing or referenced but not loaded: references to its types
/// have a recovery.
pub(super) fn absent_namespace<'a>(model: &Model, name: &'a str) -> Option<&'a str> {
    missing_namespace(model, name).or_else(|| unloaded_namespace(model, name))
}

/// Why a name did not resolve, for the message.
pub(super) fn unresolved_reason(model: &Model, name: &str) -> String {
    if let Some((q, _)) = name.rsplit_once('.') {
        if let Some(ns) = model.included.get(q)
            && !model.namespaces.contains_key(ns.as_str())
        {
            let uri = model
                .files
                .iter()
                .flat_map(|f| &f.references)
                .find(|r| r.includes.iter().any(|i| &i.namespace == ns))
                .map(|r| r.uri.as_str())
                .unwrap_or("");
            return format!(
                "type `{name}` is declared in referenced namespace `{ns}`, whose document (`{uri}`) was not loaded; pass it as an input or reference a local file"
            );
        }
        if !model.namespaces.contains_key(q) && !q.starts_with("Edm") {
            return format!("unknown type `{name}`: no schema has namespace or alias `{q}`");
        }
    }
    if name.starts_with("Edm.") {
        return format!("unknown primitive type `{name}`");
    }
    format!("unknown type `{name}`")
}

/// Checks one type reference. `recovery` says what is generated when the reference names a type
/// in a namespace the input lacks ([`absent_namespace`]) or an unknown `Edm.` type; without one,
/// that is an error too.
fn check_ref(
    model: &Model,
    home: SchemaId,
    r: &TypeRef,
    loc: Loc,
    what: &str,
    recovery: Option<&str>,
    diags: &mut Diagnostics,
) {
    if r.name.starts_with("Collection(") {
        return diags.error(
            loc,
            format!("{what}: nested collection `{}` is not allowed: a collection's items cannot be collections", r.written()),
        );
    }
    match r.target {
        TypeTarget::Unresolved => {
            let message = format!("{what}: {}", unresolved_reason(model, &r.name));
            // A primitive type this crate does not know (`Edm.Float` in SAP's test services, a
            // later version's type): the value is read as it comes, like a type from a missing
            // namespace.
            let typo = edm_typo(&r.name);
            let recoverable = absent_namespace(model, &r.name).is_some()
                || (r.name.starts_with("Edm.") && typo.is_none());
            let message = match typo {
                Some(known) => format!("{message}; did you mean `Edm.{known}`?"),
                None => message,
            };
            match recovery.filter(|_| recoverable) {
                Some(recovery) => diags.recovered(loc, message, recovery),
                None => diags.error(loc, message),
            }
        }
        TypeTarget::Type(_) if super::resolve::undeclared_self(model, home, &r.name).is_some() => {
            diags.warning(
                loc,
                format!(
                    "{what}: alias `Self` in `{}` is not declared; read as the enclosing schema",
                    r.name
                ),
            )
        }
        TypeTarget::Type(t) if !r.name.contains('.') => diags.recovered(
            loc,
            format!("{what}: type `{}` is not qualified", r.name),
            format!("read as `{}`", model.qualified_name(t)),
        ),
        // Entity Framework's CSDL (V1-V3 namespaces, its conceptual models and the services
        // built from them) names primitive types without `Edm.`: only V4 is warned about.
        TypeTarget::Primitive(p)
            if !r.name.starts_with("Edm.")
                && model.files[model[home].file.0 as usize].version == ODataVersion::V4 =>
        {
            diags.warning(
                loc,
                format!(
                    "{what}: type `{}` is not qualified; read as `{}`",
                    r.name,
                    p.edm_name()
                ),
            )
        }
        _ => {}
    }
}

/// The primitive an `Edm.` name misspells (one edit away from it): such a typo stays an error.
fn edm_typo(name: &str) -> Option<&'static str> {
    const OTHERS: &[&str] = &[
        "PrimitiveType",
        "Untyped",
        "EntityType",
        "ComplexType",
        "AnnotationPath",
        "AnyPropertyPath",
        "ModelElementPath",
        "NavigationPropertyPath",
        "PropertyPath",
        "Geography",
        "GeographyPoint",
        "GeographyLineString",
        "GeographyPolygon",
        "GeographyMultiPoint",
        "GeographyMultiLineString",
        "GeographyMultiPolygon",
        "GeographyCollection",
        "Geometry",
        "GeometryPoint",
        "GeometryLineString",
        "GeometryPolygon",
        "GeometryMultiPoint",
        "GeometryMultiLineString",
        "GeometryMultiPolygon",
        "GeometryCollection",
    ];
    let local = name.strip_prefix("Edm.")?.to_ascii_lowercase();
    Primitive::ALL_SIMPLE
        .iter()
        .map(|(known, _)| *known)
        .chain(OTHERS.iter().copied())
        .find(|known| crate::naming::edit_distance(&known.to_ascii_lowercase(), &local) <= 1)
}

/// The recovery for a value typed by a type in a missing namespace.
const UNTYPED_VALUE: &str = "its value is kept as untyped JSON";

fn check_type_refs(model: &Model, diags: &mut Diagnostics) {
    for p in &model.properties {
        check_ref(
            model,
            model[p.owner].schema,
            &p.ty,
            p.loc,
            &format!("property `{}`", p.name),
            Some(UNTYPED_VALUE),
            diags,
        );
        if let TypeTarget::Abstract(_) = p.ty.target {
            // Abstract types are for vocabularies; a service property typed by one is still readable.
        }
    }
    for n in &model.navigations {
        check_ref(
            model,
            model[n.owner].schema,
            &n.ty,
            n.loc,
            &format!("navigation property `{}`", n.name),
            Some(UNTYPED_VALUE),
            diags,
        );
    }
    for t in &model.types {
        if let TypeKind::Definition(d) = &t.kind {
            check_ref(
                model,
                t.schema,
                &d.underlying,
                t.loc,
                &format!("type definition `{}`", t.name),
                None,
                diags,
            );
            if !matches!(
                d.underlying.target,
                TypeTarget::Primitive(_) | TypeTarget::Unresolved
            ) || d.underlying.collection
            {
                diags.error(t.loc, format!("type definition `{}`: the underlying type must be a primitive type, not `{}`", t.name, d.underlying.written()));
            }
        }
    }
    for o in &model.operations {
        for p in &o.parameters {
            check_ref(
                model,
                o.schema,
                &p.ty,
                p.loc,
                &format!("parameter `{}` of `{}`", p.name, o.name),
                Some("the argument is untyped JSON"),
                diags,
            );
        }
        if let Some(r) = &o.return_type {
            check_ref(
                model,
                o.schema,
                &r.ty,
                r.loc,
                &format!("return type of `{}`", o.name),
                Some("the result is untyped JSON"),
                diags,
            );
        }
    }
    for c in &model.containers {
        for s in &c.entity_sets {
            check_ref(
                model,
                c.schema,
                &s.ty,
                s.loc,
                &format!("entity set `{}`", s.name),
                Some("the entity set is left out of the request builders"),
                diags,
            );
        }
        for s in &c.singletons {
            check_ref(
                model,
                c.schema,
                &s.ty,
                s.loc,
                &format!("singleton `{}`", s.name),
                Some("the singleton is left out of the request builders"),
                diags,
            );
        }
    }
    for t in &model.terms {
        if t.ty.target == TypeTarget::Unresolved {
            diags.warning(
                t.loc,
                format!(
                    "term `{}`: {}; its annotations are kept as written",
                    t.name,
                    unresolved_reason(model, &t.ty.name)
                ),
            );
        }
    }
}

fn check_bases(model: &Model, diags: &mut Diagnostics) {
    let types = super::resolve::type_index(model);
    for t in model.type_ids() {
        let ty = &model[t];
        let Some(s) = ty.structured() else { continue };
        let Some(base_name) = &s.base_name else {
            continue;
        };
        if s.base.is_some() {
            continue;
        }
        // Not linked: unknown, of the wrong kind, or part of a cycle.
        let target = TypeRef::new(base_name);
        let found = super::resolve::lookup_from(model, &types, ty.schema, base_name);
        match found {
            None => diags.error(
                ty.loc,
                format!(
                    "{} `{}`: base type: {}",
                    ty.kind_name(),
                    ty.name,
                    unresolved_reason(model, &target.name)
                ),
            ),
            Some(b)
                if model[b].is_entity() != ty.is_entity() || model[b].structured().is_none() =>
            {
                diags.error(
                    ty.loc,
                    format!(
                        "{} `{}` cannot derive from {} `{}`",
                        ty.kind_name(),
                        ty.name,
                        model[b].kind_name(),
                        base_name
                    ),
                )
            }
            Some(_) => diags.error(
                ty.loc,
                format!(
                    "{} `{}`: inheritance cycle through base type `{}`",
                    ty.kind_name(),
                    ty.name,
                    base_name
                ),
            ),
        }
    }
}

fn check_duplicates(model: &Model, diags: &mut Diagnostics) {
    duplicate_schema_members(model, diags);
    duplicate_properties(model, diags);
    duplicate_enum_members(model, diags);
    duplicate_container_children(model, diags);
    duplicate_parameters(model, diags);
}

/// Types, terms and containers: one name per schema namespace.
fn duplicate_schema_members(model: &Model, diags: &mut Diagnostics) {
    // Types and terms share one namespace per schema namespace (containers too).
    let mut seen: BTreeMap<(String, String), Loc> = BTreeMap::new();
    let mut dup = |ns: &str, name: &str, loc: Loc, what: &str, diags: &mut Diagnostics| match seen
        .get(&(ns.to_string(), name.to_string()))
    {
        // Terms generate no code, and real services (Graph v1.0 in 2023) repeat them with
        // different `AppliesTo`: every declaration is kept, annotations resolve to the first.
        Some(first) if what == "term" => diags.warning(
            loc,
            format!(
                "duplicate term `{ns}.{name}` (first declared at line {}); both are kept",
                first.line
            ),
        ),
        Some(first) => diags.error(
            loc,
            format!(
                "duplicate {what} name `{ns}.{name}` (first declared at line {})",
                first.line
            ),
        ),
        None => {
            seen.insert((ns.to_string(), name.to_string()), loc);
        }
    };
    for t in &model.types {
        dup(
            &model[t.schema].namespace,
            &t.name,
            t.loc,
            t.kind_name(),
            diags,
        );
    }
    for t in &model.terms {
        dup(&model[t.schema].namespace, &t.name, t.loc, "term", diags);
    }
    for c in &model.containers {
        dup(
            &model[c.schema].namespace,
            &c.name,
            c.loc,
            "entity container",
            diags,
        );
    }
}

/// Properties and navigation properties: one name per type, inherited ones included.
fn duplicate_properties(model: &Model, diags: &mut Diagnostics) {
    // Properties and navigation properties share one namespace per type, inherited ones included.
    for t in model.type_ids() {
        let Some(s) = model[t].structured() else {
            continue;
        };
        let mut inherited: BTreeMap<&str, Loc> = BTreeMap::new();
        for a in model.ancestry(t).into_iter().skip(1) {
            if let Some(bs) = model[a].structured() {
                for p in &bs.properties {
                    inherited.insert(&model[*p].name, model[*p].loc);
                }
                for n in &bs.navigations {
                    inherited.insert(&model[*n].name, model[*n].loc);
                }
            }
        }
        let mut own: BTreeMap<&str, Loc> = BTreeMap::new();
        let declared = s
            .properties
            .iter()
            .map(|p| (&model[*p].name, model[*p].loc))
            .chain(
                s.navigations
                    .iter()
                    .map(|n| (&model[*n].name, model[*n].loc)),
            );
        for (name, loc) in declared {
            let (what, t_name) = (model[t].kind_name(), &model[t].name);
            if let Some(first) = inherited.get(name.as_str()) {
                diags.error(loc, format!("duplicate property `{name}` in {what} `{t_name}`: a base type already declares it (line {})", first.line));
            } else if let Some(first) = own.get(name.as_str()) {
                diags.error(loc, format!("duplicate property `{name}` in {what} `{t_name}` (first declared at line {})", first.line));
            } else {
                own.insert(name, loc);
            }
        }
    }
}

/// Enum members: one name per enum type.
fn duplicate_enum_members(model: &Model, diags: &mut Diagnostics) {
    for t in &model.types {
        if let TypeKind::Enum(e) = &t.kind {
            let mut names = BTreeSet::new();
            for m in &e.members {
                if !names.insert(&m.name) {
                    diags.error(
                        m.loc,
                        format!("duplicate member `{}` in enum type `{}`", m.name, t.name),
                    );
                }
            }
        }
    }
}

/// Entity sets, singletons and operation imports: one name per container.
fn duplicate_container_children(model: &Model, diags: &mut Diagnostics) {
    // Children of a container with one name (an entity set and a V3 function import, seen
    // several times in one document) have distinct Rust names already: both are kept.
    for c in &model.containers {
        let mut children: Vec<(&str, &str, &str, Loc)> = c
            .entity_sets
            .iter()
            .map(|s| ("entity set", &s.name, &s.rust_name, s.loc))
            .chain(
                c.singletons
                    .iter()
                    .map(|s| ("singleton", &s.name, &s.rust_name, s.loc)),
            )
            .chain(
                c.action_imports
                    .iter()
                    .map(|s| ("action import", &s.name, &s.rust_name, s.loc)),
            )
            .chain(
                c.function_imports
                    .iter()
                    .map(|s| ("function import", &s.name, &s.rust_name, s.loc)),
            )
            .map(|(what, name, rust, loc)| (what, name.as_str(), rust.as_str(), loc))
            .collect();
        // Report at the later declaration.
        children.sort_by_key(|c| c.3);
        let mut first: BTreeMap<&str, (&str, &str, Loc)> = BTreeMap::new();
        for (what, name, rust, loc) in children {
            match first.get(name) {
                Some((what1, rust1, loc1)) => diags.recovered(
                    loc,
                    format!("duplicate name `{name}` in entity container `{}`", c.name),
                    format!(
                        "both are kept: this {what} is `{}` in Rust, the {what1} of line {} is `{}`",
                        rust.trim_start_matches("r#"),
                        loc1.line,
                        rust1.trim_start_matches("r#")
                    ),
                ),
                None => {
                    first.insert(name, (what, rust, loc));
                }
            }
        }
    }
}

/// Parameters: one name per operation.
fn duplicate_parameters(model: &Model, diags: &mut Diagnostics) {
    for o in &model.operations {
        let mut names = BTreeSet::new();
        for p in &o.parameters {
            if !names.insert(&p.name) {
                diags.recovered(
                    p.loc,
                    format!("duplicate parameter `{}` in `{}`", p.name, o.name),
                    format!(
                        "both are kept: this one is `{}` in Rust; both are sent as `{}`",
                        p.rust_name.trim_start_matches("r#"),
                        p.name
                    ),
                );
            }
        }
    }
}

fn has_key(model: &Model, t: TypeId) -> bool {
    model
        .ancestry(t)
        .into_iter()
        .any(|a| model[a].structured().is_some_and(|s| !s.key.is_empty()))
}

fn check_keys(model: &Model, diags: &mut Diagnostics) {
    for t in model.type_ids() {
        let ty = &model[t];
        let Some(s) = ty.structured() else { continue };
        if !s.key.is_empty() && !ty.is_entity() {
            diags.error(
                s.key_loc.unwrap_or(ty.loc),
                format!("complex type `{}` cannot declare a key", ty.name),
            );
        }
        let all = model.all_properties(t);
        for k in &s.key {
            let first = k.name.split('/').next().unwrap_or(&k.name);
            match all.iter().find(|p| model[**p].name == first) {
                None => diags.error(
                    k.loc,
                    format!(
                        "key property `{}` of entity type `{}` is not a property of the type",
                        k.name, ty.name
                    ),
                ),
                Some(p) if model[*p].ty.collection => diags.error(
                    k.loc,
                    format!(
                        "key property `{}` of entity type `{}` is a collection",
                        k.name, ty.name
                    ),
                ),
                Some(_) => check_key_path(model, &all, k, &ty.name, diags),
            }
        }
    }
    // Entity types addressed by key must have one. Real documents break this rule (a key-less
    // type behind an entity set in odata.net's AdventureWorks model); their values can still be
    // read and written, only not addressed by key, so this is a warning.
    let needs = |t: Option<TypeId>, loc: Loc, why: String, diags: &mut Diagnostics| {
        if let Some(t) = t
            && model[t].is_entity()
            && !has_key(model, t)
        {
            diags.warning(
                    loc,
                    format!(
                        "entity type `{}` has no key (own or inherited) but is used by {why}; its entities cannot be addressed by key",
                        model.qualified_name(t)
                    ),
                );
        }
    };
    for c in &model.containers {
        for s in &c.entity_sets {
            needs(
                s.ty.type_id(),
                s.loc,
                format!("entity set `{}`", s.name),
                diags,
            );
        }
    }
    for n in &model.navigations {
        if n.ty.collection {
            needs(
                n.ty.type_id(),
                n.loc,
                format!("collection-valued navigation property `{}`", n.name),
                diags,
            );
        }
    }
}

/// A key whose first property exists: the rest of a path (`Info/ID`) must name properties of
/// the complex types on the way, a path needs an `Alias` (its name in URLs), and the value must
/// be of a type a URL can carry, or the entities cannot be addressed by key.
fn check_key_path(
    model: &Model,
    all: &[PropertyId],
    k: &KeyRef,
    owner: &str,
    diags: &mut Diagnostics,
) {
    use super::resolve::KeyPathError;
    let path = match super::resolve::key_path(model, all, &k.name) {
        Ok(path) => path,
        Err(KeyPathError::Unknown(via)) => {
            diags.recovered(
                k.loc,
                format!(
                    "key `{}` of entity type `{owner}` passes through `{via}`, whose type is not known",
                    k.name
                ),
                "its entities are read and listed, not addressed by key",
            );
            return;
        }
        Err(e) => {
            let why = match e {
                KeyPathError::Collection(via) => format!("passes through `{via}`, a collection"),
                KeyPathError::NotStructured(via) => {
                    format!("passes through `{via}`, which is not of a complex type")
                }
                KeyPathError::Missing(segment) | KeyPathError::Unknown(segment) => {
                    format!(
                        "names `{segment}`, which is not a property of the complex type before it"
                    )
                }
            };
            diags.error(
                k.loc,
                format!("key `{}` of entity type `{owner}` {why}", k.name),
            );
            return;
        }
    };
    if path.len() > 1 && k.alias.is_none() {
        let last = k.name.rsplit('/').next().unwrap_or(&k.name);
        diags.recovered(
            k.loc,
            format!(
                "key `{}` of entity type `{owner}` is a path without the `Alias` CSDL requires",
                k.name
            ),
            format!("URLs name it `{last}`"),
        );
    }
    let leaf = &model[*path.last().expect("a path has a segment")];
    let addressable = !leaf.ty.collection
        && match leaf.ty.target {
            TypeTarget::Primitive(p) => p.in_urls(),
            TypeTarget::Type(t) => match &model[t].kind {
                TypeKind::Entity(_) | TypeKind::Complex(_) => false,
                TypeKind::Enum(_) => true,
                TypeKind::Definition(d) => match d.underlying.target {
                    TypeTarget::Primitive(p) => p.in_urls(),
                    _ => true,
                },
            },
            TypeTarget::Abstract(_) => false,
            TypeTarget::Unresolved => true,
        };
    if !addressable {
        diags.recovered(
            k.loc,
            format!(
                "key `{}` of entity type `{owner}` is of type `{}`, which a URL cannot carry",
                k.name, leaf.ty.name
            ),
            "its entities are read and listed, not addressed by key",
        );
    }
}

fn check_enums(model: &Model, diags: &mut Diagnostics) {
    for t in &model.types {
        let TypeKind::Enum(e) = &t.kind else { continue };
        let Some((lo, hi)) = e.underlying.int_range() else {
            diags.error(t.loc, format!("enum type `{}`: underlying type `{}` is not Edm.Byte, Edm.SByte, Edm.Int16, Edm.Int32 or Edm.Int64", t.name, e.underlying.edm_name()));
            continue;
        };
        for m in &e.members {
            if (m.value as i128) < lo || (m.value as i128) > hi {
                diags.error(
                    m.loc,
                    format!(
                        "value {} of member `{}` is out of the range of {} ({lo}..={hi})",
                        m.value,
                        m.name,
                        e.underlying.edm_name()
                    ),
                );
            }
        }
    }
}

fn check_navigations(model: &Model, diags: &mut Diagnostics) {
    for n in &model.navigations {
        if let Some(t) = n.ty.type_id() {
            if !model[t].is_entity() {
                diags.error(
                    n.loc,
                    format!(
                        "navigation property `{}` targets {} `{}`, not an entity type",
                        n.name,
                        model[t].kind_name(),
                        n.ty.name
                    ),
                );
            }
        } else if let TypeTarget::Primitive(_) = n.ty.target {
            diags.error(
                n.loc,
                format!(
                    "navigation property `{}` targets primitive type `{}`, not an entity type",
                    n.name, n.ty.name
                ),
            );
        }
        if let (Some(p), None) = (&n.partner_name, n.partner)
            && n.ty.type_id().is_some()
        {
            diags.error(
                n.loc,
                format!(
                    "navigation property `{}`: partner `{p}` is not a navigation property of `{}`",
                    n.name, n.ty.name
                ),
            );
        }
    }
}

fn check_operations(model: &Model, diags: &mut Diagnostics) {
    for o in &model.operations {
        if o.is_bound && o.parameters.is_empty() {
            diags.error(
                o.loc,
                format!("bound operation `{}` has no binding parameter", o.name),
            );
        }
        if let Some(m) = o
            .function_import
            .as_ref()
            .and_then(|f| f.http_method.as_deref())
            && !["GET", "POST", "PUT", "MERGE", "PATCH", "DELETE"]
                .iter()
                .any(|k| k.eq_ignore_ascii_case(m))
        {
            diags.recovered(
                o.loc,
                format!("service operation `{}`: `m:HttpMethod=\"{m}\"` is not an HTTP method a client sends", o.name),
                "it is called with POST",
            );
        }
        // Bound operations are methods of request builders, which entity types have: one bound
        // to a primitive, complex or abstract type has no builder to be a method of.
        if o.is_bound
            && let Some(binding) = o.parameters.first()
        {
            let builder = match binding.ty.target {
                TypeTarget::Type(t) => model[t].is_entity(),
                TypeTarget::Unresolved => true, // reported where the type is named
                TypeTarget::Primitive(_) | TypeTarget::Abstract(_) => false,
            };
            if !builder {
                diags.warning(
                    o.loc,
                    format!(
                        "operation `{}` is bound to `{}`, which has no request builder (only entity types and collections of them do); no method is generated for it",
                        o.name,
                        binding.ty.written()
                    ),
                );
            }
        }
        if o.kind == OperationKind::Function
            && o.return_type.is_none()
            && o.function_import.is_none()
        {
            // A function must return something (CSDL); one that does not is still callable
            // (SAP's test services): its response is not read.
            diags.recovered(
                o.loc,
                format!("function `{}` has no return type", o.name),
                "it is generated as returning nothing",
            );
        }
    }
}

/// Inputs that hold annotations of another document and nothing else (SAP's `*_VAN.xml` and
/// `*_ANNO_MDL.xml` annotation files): the crate would be empty, so say what is missing.
fn check_annotations_only(model: &Model, diags: &mut Diagnostics) {
    let Some(first) = model.annotation_blocks.first() else {
        return;
    };
    if !model.types.is_empty() || !model.containers.is_empty() || !model.operations.is_empty() {
        return;
    }
    let mut annotated: Vec<&str> = Vec::new();
    for b in &model.annotation_blocks {
        let head = b.target.split(['/', '(']).next().unwrap_or_default();
        let ns = head.rsplit_once('.').map_or(head, |(ns, _)| ns);
        if !annotated.contains(&ns) {
            annotated.push(ns);
        }
    }
    let shown: Vec<String> = annotated.iter().take(3).map(|n| format!("`{n}`")).collect();
    diags.warning(
        first.loc,
        format!(
            "the input holds only annotations (of {}{}) and no types, containers or operations: nothing is generated from them alone; pass the `$metadata` they annotate as an input too",
            shown.join(", "),
            if annotated.len() > 3 { ", …" } else { "" }
        ),
    );
}

fn check_containers(model: &Model, diags: &mut Diagnostics) {
    for c in &model.containers {
        if let (Some(e), None) = (&c.extends_name, c.extends) {
            diags.error(
                c.loc,
                format!(
                    "entity container `{}` extends unknown container `{e}`",
                    c.name
                ),
            );
        }
        for s in &c.entity_sets {
            if let Some(t) = s.ty.type_id()
                && !model[t].is_entity()
            {
                diags.recovered(
                    s.loc,
                    format!(
                        "entity set `{}`: `{}` is not an entity type",
                        s.name, s.ty.name
                    ),
                    "the entity set is left out of the request builders",
                );
            }
        }
        for s in &c.singletons {
            if let Some(t) = s.ty.type_id()
                && !model[t].is_entity()
            {
                diags.recovered(
                    s.loc,
                    format!(
                        "singleton `{}`: `{}` is not an entity type",
                        s.name, s.ty.name
                    ),
                    "the singleton is left out of the request builders",
                );
            }
        }
        for i in c.action_imports.iter().chain(&c.function_imports) {
            if i.operations.is_empty()
                && !model
                    .operations
                    .iter()
                    .any(|o| o.function_import.is_some() && o.name == i.name)
            {
                diags.error(
                    i.loc,
                    format!(
                        "operation import `{}` names unknown unbound operation `{}`",
                        i.name, i.operation_name
                    ),
                );
            }
        }
    }
}

fn check_annotation_targets(model: &Model, diags: &mut Diagnostics) {
    for b in &model.annotation_blocks {
        if b.resolved.is_some() {
            continue;
        }
        // Targets in namespaces of this model should resolve; others (vocabularies of unloaded
        // references) are kept as written without comment.
        let head = b.target.split(['/', '(']).next().unwrap_or("");
        let in_model = head
            .rsplit_once('.')
            .is_some_and(|(q, _)| model.namespaces.contains_key(q));
        if in_model {
            diags.warning(b.loc, format!("annotation target `{}` does not name an element of the model; its annotations are kept but not applied", b.target));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_simple_identifier;

    #[test]
    fn simple_identifiers_are_unicode_identifiers() {
        // Letters of any script, `_`, then digits, combining marks, connector punctuation and
        // format characters (OASIS' special-characters example).
        for ok in [
            "Name",
            "_x",
            "Größe",
            "名前",
            "Pc_‿⁀⁔︳︴﹍﹎﹏＿",
            "e\u{301}t\u{e9}",
            "a\u{200D}b",
            "x1",
        ] {
            assert!(is_simple_identifier(ok), "{ok:?}");
        }
        for bad in ["", "1x", "a-b", "a b", "a.b", "‿x", "a/b", &"x".repeat(129)] {
            assert!(!is_simple_identifier(bad), "{bad:?}");
        }
    }
}
