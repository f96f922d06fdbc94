//! From documentation facts to the model: a whole model from tables alone
//! ([`model_from_docs`]), or facts merged onto a `$metadata` model ([`overlay`]).
//!
//! Facts become standard vocabulary annotations where a standard term says the same thing, so
//! the emitter reads them the same way whether they came from `$metadata` or from the docs:
//!
//! | fact | annotation |
//! |---|---|
//! | description | `Org.OData.Core.V1.Description` on the node |
//! | read-only | `Org.OData.Core.V1.Permissions` = `Org.OData.Core.V1.Permission/Read` on the property |
//! | required on create | `Org.OData.Capabilities.V1.InsertRestrictions/RequiredProperties` on the owning type |
//! | allowed values | `Org.OData.Validation.V1.AllowedValues` (records with `Value`) on the property |
//! | scopes of get / create / update / delete | `Capabilities.ReadRestrictions` / `InsertRestrictions` / `UpdateRestrictions` / `DeleteRestrictions` `/Permissions` on the entity set |
//! | scopes of a navigation property's operations | `Capabilities.NavigationRestrictions/RestrictedProperties` on the entity set |
//! | scopes of an action | `Capabilities.OperationRestrictions/Permissions` on the action |
//! | versions | `Codegen.Docs.V1.Versions` (collection of strings) |
//! | `$filter` support and operators | `Codegen.Docs.V1.FilterOperators` (collection of strings, empty: operators not said) |
//! | returned only on `$select` | `Codegen.Docs.V1.SelectOnly` |
//! | consent type of a scope | `Codegen.Docs.V1.ConsentType` on the scope record |
//! | permission pages | `Codegen.Docs.V1.Permissions` on the first schema |
//!
//! `Codegen.Docs.V1` is this generator's own vocabulary for what no standard term says.
//! `InsertRestrictions` is specified for entity sets; the docs state required-on-create per
//! type (complex types included), so the generator places it on the type.
//!
//! Merge rule ([`overlay`]): **`$metadata` wins on structure** (types, property types,
//! nullability, keys, base types, navigation targets, which properties exist); **the docs add**
//! descriptions, read-only and required-on-create flags, versions, filter support, allowed values
//! and scopes, each only where `$metadata` has no annotation of the same term. Every
//! disagreement on structure, and every property in one and not the other, is a warning located
//! at the documentation naming the `$metadata` location (errors with `strict`).

use super::{
    CallTarget, DocAction, DocPath, DocProperty, DocScope, DocSet, DocType, DocTypeRef, PathSegment,
};
use crate::diag::{Diagnostics, FileId, Loc};
use crate::model::*;
use std::collections::BTreeMap;

fn string(s: &str) -> Expr {
    Expr::Constant(ConstKind::String, s.to_string())
}

fn strings(items: &[String]) -> Expr {
    Expr::Collection(items.iter().map(|s| string(s)).collect())
}

fn record(props: Vec<(&str, Expr)>, loc: Loc) -> Expr {
    Expr::Record {
        ty: None,
        properties: props
            .into_iter()
            .map(|(n, v)| PropertyValue {
                property: n.to_string(),
                value: Some(v),
                annotations: Vec::new(),
                loc,
            })
            .collect(),
        annotations: Vec::new(),
    }
}

/// An annotation of `term` (full name, from [`vocab`]).
fn ann(term: &str, value: Expr, loc: Loc) -> Annotation {
    Annotation {
        term: term.to_string(),
        qualifier: None,
        value: Some(value),
        annotations: Vec::new(),
        loc,
    }
}

/// Adds `a` unless the node already has an unqualified annotation of the same term.
fn add(model: &Model, node: NodeRef, inline: &mut Vec<Annotation>, a: Annotation) {
    let full = model.term_full_name(&a.term);
    let present = inline
        .iter()
        .any(|x| x.qualifier.is_none() && model.term_full_name(&x.term) == full)
        || model.external.get(&node).is_some_and(|v| {
            v.iter().any(|(b, i)| {
                let x = &model[*b].annotations[*i];
                x.qualifier.is_none() && model.term_full_name(&x.term) == full
            })
        });
    if !present {
        inline.push(a);
    } else if full.ends_with("Restrictions") {
        // `$metadata` has its own record (Graph's carry descriptions, not scopes): the
        // documented scopes are kept beside it under the `Docs` qualifier, not dropped.
        inline.push(Annotation {
            qualifier: Some(DOCS_QUALIFIER.to_string()),
            ..a
        });
    }
}

/// The inline annotations of a node the documentation adds facts to.
fn inline_mut(model: &mut Model, node: NodeRef) -> &mut Vec<Annotation> {
    let extras = match node {
        NodeRef::Type(t) => &mut model.types[t.index()].extras,
        NodeRef::Property(p) => &mut model.properties[p.index()].extras,
        NodeRef::Navigation(n) => &mut model.navigations[n.index()].extras,
        NodeRef::Operation(o) => &mut model.operations[o.index()].extras,
        NodeRef::Container(c) => &mut model.containers[c.index()].extras,
        NodeRef::EntitySet(c, s) => &mut model.containers[c.index()].entity_sets[s as usize].extras,
        NodeRef::Schema(_)
        | NodeRef::Member(..)
        | NodeRef::Parameter(..)
        | NodeRef::ReturnType(_)
        | NodeRef::Singleton(..)
        | NodeRef::ActionImport(..)
        | NodeRef::FunctionImport(..)
        | NodeRef::Term(_) => unreachable!("the documentation adds no facts to {node:?}"),
    };
    &mut extras.annotations
}

/// [`add`]s each of `anns` to `node`'s inline annotations.
fn add_all(model: &mut Model, node: NodeRef, anns: impl IntoIterator<Item = Annotation>) {
    let mut inline = std::mem::take(inline_mut(model, node));
    for a in anns {
        add(model, node, &mut inline, a);
    }
    *inline_mut(model, node) = inline;
}

/// The qualifier of documented `Capabilities.*Restrictions` kept beside `$metadata`'s own.
pub const DOCS_QUALIFIER: &str = "Docs";

/// Annotations stating a property's documented facts (not its structure).
fn property_facts(p: &DocProperty) -> Vec<Annotation> {
    let mut out = Vec::new();
    // The sentences that only state a fact are left out: the fact is rendered from its annotation.
    if let Some(d) = p.description.as_deref().and_then(super::text::prose) {
        out.push(ann(vocab::DESCRIPTION, string(&d), p.loc));
    }
    if p.read_only == Some(true) {
        out.push(ann(
            vocab::PERMISSIONS,
            Expr::Constant(ConstKind::EnumMember, vocab::PERMISSION_READ.into()),
            p.loc,
        ));
    }
    if !p.allowed_values.is_empty() {
        let values = p
            .allowed_values
            .iter()
            .map(|v| record(vec![("Value", string(v))], p.loc))
            .collect();
        out.push(ann(vocab::ALLOWED_VALUES, Expr::Collection(values), p.loc));
    }
    if !p.versions.is_empty() {
        out.push(ann(vocab::DOCS_VERSIONS, strings(&p.versions), p.loc));
    }
    if let Some(ops) = &p.filter {
        out.push(ann(vocab::DOCS_FILTER_OPERATORS, strings(ops), p.loc));
    }
    if p.select_only {
        out.push(ann(
            vocab::DOCS_SELECT_ONLY,
            Expr::Constant(ConstKind::Bool, "true".into()),
            p.loc,
        ));
    }
    out
}

/// `InsertRestrictions { RequiredProperties: [...] }` for a type.
fn required_annotation(names: &[String], loc: Loc) -> Annotation {
    let paths = names
        .iter()
        .map(|n| Expr::Path(PathKind::PropertyPath, n.clone()))
        .collect();
    ann(
        vocab::INSERT_RESTRICTIONS,
        record(vec![("RequiredProperties", Expr::Collection(paths))], loc),
        loc,
    )
}

// ---------------------------------------------------------------------------------------------
// Type names as the docs write them.

/// `String`, `edm.string`, `Int32`, `date-time`... → the primitive.
pub fn primitive(name: &str) -> Option<Primitive> {
    // `get` keeps this on char boundaries: a name may start with any UTF-8 text.
    let local = match (name.get(..4), name.get(4..)) {
        (Some(prefix), Some(rest)) if !rest.is_empty() && prefix.eq_ignore_ascii_case("edm.") => {
            rest
        }
        _ => name,
    };
    if let Some((_, p)) = Primitive::ALL_SIMPLE
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(local))
    {
        return Some(*p);
    }
    Some(match local.to_ascii_lowercase().as_str() {
        "int" | "integer" => Primitive::Int32,
        "long" => Primitive::Int64,
        "bool" => Primitive::Boolean,
        "float" => Primitive::Single,
        "number" => Primitive::Double,
        "date-time" => Primitive::DateTimeOffset,
        "uuid" => Primitive::Guid,
        _ => return None,
    })
}

/// Two primitives the docs and `$metadata` may name differently for the same thing.
fn same_primitive(a: Primitive, b: Primitive) -> bool {
    use Primitive::*;
    a == b
        || matches!(
            (a, b),
            (DateTime, DateTimeOffset) | (DateTimeOffset, DateTime)
        )
}

fn loc_text(model: &Model, loc: Loc) -> String {
    let path = model
        .files
        .get(loc.file.0 as usize)
        .map(|f| f.path.display().to_string())
        .unwrap_or_default();
    format!("{path}:{}:{}", loc.line, loc.col)
}

// ---------------------------------------------------------------------------------------------
// Tables alone.

/// One model type made of every documented type of the same name.
struct Group<'a> {
    name: String,
    parts: Vec<&'a DocType>,
    entity: bool,
}

/// The group a documented type name (qualified or not) belongs to.
fn find_group(groups: &[Group], name: &str) -> Option<usize> {
    let short = name.rsplit('.').next().unwrap_or(name);
    groups
        .iter()
        .position(|g| g.name.eq_ignore_ascii_case(short))
}

/// Builds, resolves and validates a model from documentation alone. `docs.first_file` must be 0
/// (the model's files are the documentation files).
pub fn model_from_docs(docs: &DocSet, diags: &mut Diagnostics) -> Model {
    let derived = with_operation_paths(docs);
    let docs = &derived;
    let mut model = Model::default();
    let version = docs_version(docs);
    for f in &docs.files {
        let mut f = f.clone();
        f.version = version;
        model.files.push(f);
    }
    let namespace = docs
        .types
        .iter()
        .find_map(|t| t.namespace.clone())
        .unwrap_or_else(|| "Docs".to_string());
    let schema_loc = docs.types.first().map(|t| t.loc).unwrap_or(Loc {
        file: FileId(docs.first_file),
        line: 1,
        col: 1,
    });
    model.schemas.push(Schema {
        namespace: namespace.clone(),
        alias: None,
        file: schema_loc.file,
        loc: schema_loc,
        ..Schema::default()
    });

    let groups = group_types(docs);
    let enums = enum_like_types(docs, &groups);
    let bases = group_bases(&groups, diags);
    let tables = Tables {
        namespace,
        groups,
        bases,
        enums,
    };
    for gi in 0..tables.groups.len() {
        tables.push_structured(&mut model, gi, diags);
    }
    tables.push_enums(&mut model);
    tables.push_actions(&mut model, docs, diags);
    let entity_sets = tables.entity_sets(docs, diags);
    if !entity_sets.is_empty() {
        push_container(&mut model, entity_sets, version, schema_loc);
    }
    push_calls(&mut model, docs, version, diags);

    resolve::resolve(&mut model);
    attach_links(&mut model, &link_facts(docs, diags), None, diags);
    attach_scopes(&mut model, docs);
    attach_permissions(&mut model, docs);
    attach_query_defaults(&mut model, docs);
    attach_aliases(&mut model, docs);
    crate::model::recover::recover(&mut model, diags);
    validate::validate(&model, diags);
    model
}

/// `$links` exists only up to OData V3: documented requests through it (Azure AD Graph) make
/// the service a V3 one; otherwise V4.
fn docs_version(docs: &DocSet) -> ODataVersion {
    let links = docs
        .operations
        .iter()
        .filter_map(|o| o.path.as_ref())
        .chain(&docs.paths)
        .any(|p| {
            p.segments
                .iter()
                .any(|s| *s == PathSegment::Name("$links".into()))
        });
    if links {
        ODataVersion::V3
    } else {
        ODataVersion::V4
    }
}

/// The documented types grouped by name (first appearance first), each told entity or complex.
fn group_types(docs: &DocSet) -> Vec<Group<'_>> {
    let mut groups: Vec<Group> = Vec::new();
    for t in &docs.types {
        match groups
            .iter_mut()
            .find(|g| g.name.eq_ignore_ascii_case(&t.name))
        {
            Some(g) => g.parts.push(t),
            None => groups.push(Group {
                name: t.name.clone(),
                parts: vec![t],
                entity: false,
            }),
        }
    }

    // Entity or complex: said so, has a key, is a navigation target, is addressed by a path,
    // or has an `id` in a description table; bases of entities are entities too.
    for g in groups.iter_mut() {
        let said = g.parts.iter().find_map(|p| p.entity);
        let keyed = g.parts.iter().any(|p| p.properties.iter().any(|q| q.key));
        let id_prop = g.parts.iter().any(|p| {
            p.format == super::Format::DescriptionTables
                && p.properties.iter().any(|q| q.name == "id")
        });
        let navs = !g.parts.iter().all(|p| p.navigations.is_empty());
        g.entity = said.unwrap_or(keyed || id_prop || navs);
    }
    let mut targets: Vec<String> = Vec::new();
    for t in &docs.types {
        for n in &t.navigations {
            targets.push(n.target.name.clone());
        }
    }
    for p in &docs.paths {
        for s in &p.segments {
            if let PathSegment::Key { ty: Some(t), .. } = s {
                targets.push(t.clone());
            }
        }
    }
    for t in targets {
        if let Some(i) = find_group(&groups, &t)
            && groups[i].parts.iter().all(|p| p.entity != Some(false))
        {
            groups[i].entity = true;
        }
    }
    for _ in 0..groups.len() {
        let mut changed = false;
        for i in 0..groups.len() {
            if !groups[i].entity {
                continue;
            }
            let base = groups[i].parts.iter().find_map(|p| p.base.clone());
            if let Some(b) = base.and_then(|b| find_group(&groups, &b.name))
                && !groups[b].entity
            {
                groups[b].entity = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    groups
}

/// Enum-like types: a property typed by a name the tables do not document, whose row lists the
/// possible values (`color | calendarColor | Possible values are: auto, lightBlue, ...`),
/// becomes an enum type of those members (`null` is absence, not a member).
fn enum_like_types(docs: &DocSet, groups: &[Group]) -> Vec<(String, Vec<String>, Loc)> {
    let mut enums: Vec<(String, Vec<String>, Loc)> = Vec::new();
    for t in &docs.types {
        for p in &t.properties {
            let Some(r) = &p.ty else { continue };
            if p.allowed_values.is_empty()
                || primitive(&r.name).is_some()
                || find_group(groups, &r.name).is_some()
            {
                continue;
            }
            let short = r.short().to_string();
            let values: Vec<String> = p
                .allowed_values
                .iter()
                .filter(|v| {
                    *v != "null"
                        && v.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                        && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                })
                .cloned()
                .collect();
            if values.is_empty() || !short.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            match enums
                .iter_mut()
                .find(|(n, _, _)| n.eq_ignore_ascii_case(&short))
            {
                Some((_, members, _)) => {
                    for v in values {
                        if !members.contains(&v) {
                            members.push(v);
                        }
                    }
                }
                None => enums.push((short, values, r.loc)),
            }
        }
    }
    enums
}

/// Which group each group derives from (documented bases only).
fn group_bases(groups: &[Group], diags: &mut Diagnostics) -> Vec<Option<usize>> {
    groups
        .iter()
        .map(|g| {
            let b = g.parts.iter().find_map(|p| p.base.clone())?;
            match find_group(groups, &b.name) {
                Some(i) if !groups[i].name.eq_ignore_ascii_case(&g.name) => Some(i),
                _ => {
                    diags.warning(
                        b.loc,
                        format!(
                            "base type `{}` of `{}` is not documented; `{}` is generated without a base type",
                            b.name, g.name, g.name
                        ),
                    );
                    None
                }
            }
        })
        .collect()
}

/// The container of a model from tables alone, holding `entity_sets`.
fn push_container(model: &mut Model, entity_sets: Vec<EntitySet>, version: ODataVersion, loc: Loc) {
    model.containers.push(EntityContainer {
        name: "Service".into(),
        schema: SchemaId(0),
        entity_sets,
        loc,
        ..EntityContainer::default()
    });
    model.schemas[0].containers.push(ContainerId(0));
    // V3 has no bound actions of its own: they are bindable function imports of the
    // container (POST, unqualified in URLs: `users('x')/invalidateAllRefreshTokens`).
    if version == ODataVersion::V3 {
        for op in model.operations.iter_mut().filter(|o| o.is_bound) {
            op.function_import = Some(FunctionImportOrigin {
                http_method: Some("POST".into()),
                is_side_effecting: Some(true),
                is_bindable: Some(true),
                entity_set: None,
                container: ContainerId(0),
            });
        }
        model.containers[0].is_default = Some(true);
    }
}

/// What the steps of [`model_from_docs`] share: the schema's namespace, the type groups, their
/// bases and the enum-like types.
struct Tables<'a> {
    namespace: String,
    groups: Vec<Group<'a>>,
    bases: Vec<Option<usize>>,
    enums: Vec<(String, Vec<String>, Loc)>,
}

/// The properties of one group, merged over its parts: each with its fact annotations.
type MergedProperties = Vec<(DocProperty, Vec<Annotation>)>;

impl Tables<'_> {
    fn find(&self, name: &str) -> Option<usize> {
        find_group(&self.groups, name)
    }

    /// The qualified name of group `i`.
    fn qualified(&self, i: usize) -> String {
        format!("{}.{}", self.namespace, self.groups[i].name)
    }

    fn enum_name(&self, name: &str) -> Option<String> {
        let short = name.rsplit('.').next().unwrap_or(name);
        self.enums
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(short))
            .map(|(n, _, _)| format!("{}.{n}", self.namespace))
    }

    /// A documented type → the model's `TypeRef`; unknown types are untyped JSON, reported.
    fn type_ref(&self, r: &DocTypeRef, what: &str, diags: &mut Diagnostics) -> TypeRef {
        let written = if let Some(p) = primitive(&r.name) {
            p.edm_name()
        } else if let Some(i) = self.find(&r.name) {
            self.qualified(i)
        } else if let Some(e) = self.enum_name(&r.name) {
            e
        } else {
            diags.warning(
                r.loc,
                format!(
                    "{what}: type `{}` is neither an EDM primitive nor a documented type; kept as untyped JSON",
                    r.name
                ),
            );
            "Edm.Untyped".to_string()
        };
        let mut t = TypeRef::new(&written);
        t.collection = r.collection;
        t
    }

    /// The bases of group `i`, nearest first (a cycle ends the walk).
    fn base_chain(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = self.bases[i];
        while let Some(b) = cur {
            if out.len() >= self.groups.len() {
                break;
            }
            out.push(b);
            cur = self.bases[b];
        }
        out
    }

    /// Property names a group inherits (documented in a base): not repeated on the derived type.
    fn inherited(&self, i: usize) -> Vec<String> {
        let mut out = Vec::new();
        for b in self.base_chain(i) {
            for p in &self.groups[b].parts {
                out.extend(p.properties.iter().map(|q| q.name.to_ascii_lowercase()));
                out.extend(p.navigations.iter().map(|q| q.name.to_ascii_lowercase()));
            }
        }
        out
    }

    /// Whether a base of group `i` (transitively) documents a key.
    fn base_keyed(&self, i: usize) -> bool {
        // A base keyed by a documented key, or by its `id` (see `push_structured`).
        self.base_chain(i).into_iter().any(|b| {
            self.groups[b].parts.iter().any(|p| {
                p.properties
                    .iter()
                    .any(|q| q.key || (self.groups[b].entity && q.name.eq_ignore_ascii_case("id")))
            })
        })
    }

    /// Group `i` and its bases, nearest first (a cycle ends the walk).
    fn ancestors(&self, mut i: usize) -> Vec<usize> {
        let mut out = vec![i];
        while let Some(b) = self.bases[i] {
            if out.contains(&b) {
                break;
            }
            out.push(b);
            i = b;
        }
        out
    }

    /// The entity or complex type of group `gi`, with its properties and navigation properties.
    fn push_structured(&self, model: &mut Model, gi: usize, diags: &mut Diagnostics) {
        let g = &self.groups[gi];
        let tid = TypeId(model.types.len() as u32);
        let first = g.parts[0];
        let loc = g
            .parts
            .iter()
            .find(|p| p.format == super::Format::ReferenceTables)
            .map(|p| p.loc)
            .unwrap_or(first.loc);
        let mut st = StructuredType {
            base_name: self.bases[gi].map(|b| self.qualified(b)),
            ..StructuredType::default()
        };
        let mut extras = Extras::default();
        if let Some(d) = g.parts.iter().find_map(|p| p.description.clone()) {
            extras
                .annotations
                .push(ann(vocab::DESCRIPTION, string(&d), loc));
        }
        if let Some(v) = g.parts.iter().find(|p| !p.versions.is_empty()) {
            extras
                .annotations
                .push(ann(vocab::DOCS_VERSIONS, strings(&v.versions), loc));
        }
        let skip = self.inherited(gi);
        let (props, required) = self.merged_properties(model, gi, &skip, diags);
        self.push_properties(model, gi, tid, &mut st, props, diags);
        if !required.is_empty() {
            extras.annotations.push(required_annotation(&required, loc));
        }
        self.push_navigations(model, gi, tid, &mut st, &skip, diags);
        if !g.entity && !st.key.is_empty() {
            st.key.clear();
        }
        let kind = if g.entity {
            TypeKind::Entity(st)
        } else {
            TypeKind::Complex(st)
        };
        model.types.push(Type {
            name: g.name.clone(),
            schema: SchemaId(0),
            loc,
            extras,
            kind,
            rust_name: String::new(),
        });
        model.schemas[0].types.push(tid);
    }

    /// The properties of group `gi` over all its parts (but the `skip`ped inherited ones): the
    /// first source states structure, later ones add facts; and the properties required on
    /// create.
    fn merged_properties(
        &self,
        model: &Model,
        gi: usize,
        skip: &[String],
        diags: &mut Diagnostics,
    ) -> (MergedProperties, Vec<String>) {
        let g = &self.groups[gi];
        let mut props: MergedProperties = Vec::new();
        let mut required: Vec<String> = Vec::new();
        for part in &g.parts {
            for p in &part.properties {
                if skip.contains(&p.name.to_ascii_lowercase()) {
                    continue;
                }
                match props
                    .iter_mut()
                    .find(|(q, _)| q.name.eq_ignore_ascii_case(&p.name))
                {
                    Some((q, anns)) => {
                        if let (Some(a), Some(b)) = (&q.ty, &p.ty) {
                            let pa = primitive(&a.name);
                            let pb = primitive(&b.name);
                            let same = a.collection == b.collection
                                && match (pa, pb) {
                                    (Some(x), Some(y)) => same_primitive(x, y),
                                    (None, None) => a.short().eq_ignore_ascii_case(b.short()),
                                    _ => false,
                                };
                            if !same {
                                diags.warning(
                                    b.loc,
                                    format!(
                                        "`{}.{}`: this document says `{}`, an earlier one says `{}` at {}; the earlier one is used",
                                        g.name,
                                        p.name,
                                        b.written,
                                        a.written,
                                        loc_text(model, a.loc)
                                    ),
                                );
                            }
                        }
                        for a in property_facts(p) {
                            let dup = anns.iter().any(|x| x.term == a.term);
                            if !dup {
                                anns.push(a);
                            }
                        }
                        q.key |= p.key;
                        if q.nullable.is_none() {
                            q.nullable = p.nullable;
                        }
                    }
                    None => props.push((p.clone(), property_facts(p))),
                }
                if p.required_on_create == Some(true)
                    && !required.iter().any(|r| r.eq_ignore_ascii_case(&p.name))
                {
                    required.push(p.name.clone());
                }
            }
            for (r, _) in &part.required {
                if !required.iter().any(|x| x.eq_ignore_ascii_case(r))
                    && !skip.contains(&r.to_ascii_lowercase())
                {
                    required.push(r.clone());
                }
            }
        }
        (props, required)
    }

    /// The properties of group `gi` (type `tid`), and its key.
    fn push_properties(
        &self,
        model: &mut Model,
        gi: usize,
        tid: TypeId,
        st: &mut StructuredType,
        props: MergedProperties,
        diags: &mut Diagnostics,
    ) {
        let g = &self.groups[gi];
        for (p, anns) in props {
            let pid = PropertyId(model.properties.len() as u32);
            let ty = match &p.ty {
                Some(r) => self.type_ref(r, &format!("property `{}.{}`", g.name, p.name), diags),
                None => TypeRef::new("Edm.Untyped"),
            };
            if p.key && g.entity && self.base_keyed(gi) {
                diags.warning(
                    p.loc,
                    format!(
                        "`{}.{}` is marked as a key, but `{}` inherits its key from a base type; not a key here",
                        g.name, p.name, g.name
                    ),
                );
            } else if p.key && g.entity {
                st.key.push(KeyRef {
                    name: p.name.clone(),
                    alias: None,
                    loc: p.loc,
                });
                st.key_loc.get_or_insert(p.loc);
            }
            model.properties.push(Property {
                name: p.name.clone(),
                owner: tid,
                ty,
                facets: Facets {
                    nullable: if p.key { Some(false) } else { p.nullable },
                    unicode: p.unicode,
                    ..Facets::default()
                },
                default_value: p.default_value.clone(),
                concurrency_fixed: false,
                loc: p.loc,
                extras: Extras {
                    annotations: anns,
                    ..Extras::default()
                },
                rust_name: String::new(),
            });
            st.properties.push(pid);
        }
        // An entity type the tables give no key (seed 004's resource tables: an entity because it
        // has an `id`) is keyed by its `id`, as every Graph entity is; without a key it could not
        // be addressed (`/me/events/{id}`).
        if g.entity
            && st.key.is_empty()
            && !self.base_keyed(gi)
            && let Some(id) = st
                .properties
                .iter()
                .find(|p| model.properties[p.index()].name.eq_ignore_ascii_case("id"))
        {
            let prop = &mut model.properties[id.index()];
            prop.facets.nullable = Some(false);
            st.key.push(KeyRef {
                name: prop.name.clone(),
                alias: None,
                loc: prop.loc,
            });
            st.key_loc.get_or_insert(prop.loc);
        }
    }

    /// The navigation properties of group `gi` (type `tid`): targets must be documented entity
    /// types.
    fn push_navigations(
        &self,
        model: &mut Model,
        gi: usize,
        tid: TypeId,
        st: &mut StructuredType,
        skip: &[String],
        diags: &mut Diagnostics,
    ) {
        let g = &self.groups[gi];
        let mut seen_navs: Vec<String> = Vec::new();
        for part in &g.parts {
            for n in &part.navigations {
                if seen_navs.iter().any(|s| s.eq_ignore_ascii_case(&n.name))
                    || skip.contains(&n.name.to_ascii_lowercase())
                {
                    continue;
                }
                seen_navs.push(n.name.clone());
                let Some(target) = self.find(&n.target.name).filter(|i| self.groups[*i].entity)
                else {
                    diags.warning(
                        n.target.loc,
                        format!(
                            "navigation property `{}.{}`: target `{}` is not a documented entity type; left out",
                            g.name, n.name, n.target.name
                        ),
                    );
                    continue;
                };
                let mut ty = TypeRef::new(&self.qualified(target));
                ty.collection = n.target.collection;
                let nid = NavId(model.navigations.len() as u32);
                let mut extras = Extras::default();
                if !n.versions.is_empty() {
                    extras
                        .annotations
                        .push(ann(vocab::DOCS_VERSIONS, strings(&n.versions), n.loc));
                }
                model.navigations.push(NavigationProperty {
                    name: n.name.clone(),
                    owner: tid,
                    ty,
                    nullable: if n.target.collection {
                        None
                    } else {
                        n.nullable
                    },
                    partner_name: None,
                    contains_target: false,
                    on_delete: None,
                    referential_constraints: Vec::new(),
                    association: None,
                    loc: n.loc,
                    extras,
                    partner: None,
                    rust_name: String::new(),
                });
                st.navigations.push(nid);
            }
        }
    }

    /// The enum-like types.
    fn push_enums(&self, model: &mut Model) {
        for (name, members, loc) in &self.enums {
            let tid = TypeId(model.types.len() as u32);
            let members = members
                .iter()
                .enumerate()
                .map(|(i, m)| EnumMember {
                    name: m.clone(),
                    value: i as i64,
                    value_written: None,
                    loc: *loc,
                    extras: Extras::default(),
                    rust_name: String::new(),
                })
                .collect();
            model.types.push(Type {
                name: name.clone(),
                schema: SchemaId(0),
                loc: *loc,
                extras: Extras::default(),
                kind: TypeKind::Enum(EnumType {
                    underlying: Primitive::Int32,
                    underlying_written: None,
                    is_flags: false,
                    members,
                }),
                rust_name: String::new(),
            });
            model.schemas[0].types.push(tid);
        }
    }

    /// The documented actions, once per (name, binding type).
    fn push_actions(&self, model: &mut Model, docs: &DocSet, diags: &mut Diagnostics) {
        let mut seen_actions: Vec<(String, String)> = Vec::new();
        for t in &docs.types {
            for a in &t.actions {
                let binding = a
                    .binding
                    .as_ref()
                    .map(|b| b.name.clone())
                    .unwrap_or_else(|| t.name.clone());
                let key = (a.name.to_ascii_lowercase(), binding.to_ascii_lowercase());
                if seen_actions.contains(&key) {
                    continue;
                }
                seen_actions.push(key);
                self.push_action(model, a, &binding, diags);
            }
        }
    }

    /// Action `a`, bound to `binding` when that is a documented type.
    fn push_action(
        &self,
        model: &mut Model,
        a: &DocAction,
        binding: &str,
        diags: &mut Diagnostics,
    ) {
        let mut parameters = Vec::new();
        let bound = match self.find(binding) {
            Some(i) => {
                parameters.push(Parameter {
                    name: "bindingParameter".into(),
                    ty: TypeRef::new(&self.qualified(i)),
                    facets: Facets::default(),
                    mode: None,
                    loc: a.loc,
                    extras: Extras::default(),
                    rust_name: String::new(),
                });
                true
            }
            None => {
                diags.warning(
                    a.binding.as_ref().map(|b| b.loc).unwrap_or(a.loc),
                    format!(
                        "action `{}`: context `{binding}` is not a documented type; the action is generated unbound",
                        a.name
                    ),
                );
                false
            }
        };
        for p in &a.parameters {
            let ty = match &p.ty {
                Some(r) => self.type_ref(
                    r,
                    &format!("parameter `{}` of action `{}`", p.name, a.name),
                    diags,
                ),
                None => TypeRef::new("Edm.Untyped"),
            };
            // A documented input is required unless the document says it is optional.
            parameters.push(Parameter {
                name: p.name.clone(),
                ty,
                facets: Facets {
                    nullable: Some(p.required == Some(false)),
                    ..Facets::default()
                },
                mode: None,
                loc: p.loc,
                extras: Extras::default(),
                rust_name: String::new(),
            });
        }
        let return_type = a.return_type.as_ref().map(|r| ReturnType {
            ty: self.type_ref(r, &format!("return type of action `{}`", a.name), diags),
            facets: Facets::default(),
            loc: r.loc,
            extras: Extras::default(),
        });
        let mut extras = Extras::default();
        if !a.versions.is_empty() {
            extras
                .annotations
                .push(ann(vocab::DOCS_VERSIONS, strings(&a.versions), a.loc));
        }
        let oid = OperationId(model.operations.len() as u32);
        model.operations.push(Operation {
            kind: OperationKind::Action,
            name: a.name.clone(),
            schema: SchemaId(0),
            is_bound: bound,
            entity_set_path: None,
            is_composable: false,
            parameters,
            return_type,
            function_import: None,
            loc: a.loc,
            extras,
            rust_name: String::new(),
        });
        model.schemas[0].operations.push(oid);
    }

    /// Entity sets from resource paths: `/users/<User.objectId>` → `users` of `User`; a set
    /// reached with several types gets the one the others derive from.
    fn entity_sets(&self, docs: &DocSet, diags: &mut Diagnostics) -> Vec<EntitySet> {
        let mut sets: Vec<(String, Vec<usize>, Loc)> = Vec::new();
        for p in &docs.paths {
            let (Some(PathSegment::Name(set)), Some(PathSegment::Key { ty: Some(ty), .. })) =
                (p.segments.first(), p.segments.get(1))
            else {
                continue;
            };
            if set.starts_with('$') {
                continue;
            }
            let Some(g) = self.find(ty).filter(|g| self.groups[*g].entity) else {
                if !sets.iter().any(|(s, _, _)| s == set) {
                    diags.warning(
                        p.loc,
                        format!("resource path `{}`: `{ty}` is not a documented entity type; no entity set `{set}` from it", p.written),
                    );
                    sets.push((set.clone(), Vec::new(), p.loc));
                }
                continue;
            };
            match sets.iter_mut().find(|(s, _, _)| s == set) {
                Some((_, types, _)) => {
                    if !types.contains(&g) {
                        types.push(g);
                    }
                }
                None => sets.push((set.clone(), vec![g], p.loc)),
            }
        }
        let mut entity_sets = Vec::new();
        for (name, types, loc) in sets {
            if types.is_empty() {
                continue;
            }
            let root = types
                .iter()
                .copied()
                .find(|c| types.iter().all(|t| self.ancestors(*t).contains(c)));
            let chosen = match root {
                Some(r) => r,
                None => {
                    diags.warning(
                        loc,
                        format!(
                            "entity set `{name}` is reached with unrelated types ({}); typed as `{}`",
                            types
                                .iter()
                                .map(|t| self.groups[*t].name.clone())
                                .collect::<Vec<_>>()
                                .join(", "),
                            self.groups[types[0]].name
                        ),
                    );
                    types[0]
                }
            };
            entity_sets.push(EntitySet {
                name: name.clone(),
                ty: TypeRef::new(&self.qualified(chosen)),
                include_in_service_document: None,
                bindings: Vec::new(),
                loc,
                extras: Extras::default(),
                rust_name: String::new(),
            });
        }
        entity_sets
    }
}

// ---------------------------------------------------------------------------------------------
// Scopes and permissions (both ways of use).

fn scope_records(scopes: &[DocScope]) -> Expr {
    let items = scopes
        .iter()
        .map(|s| {
            let mut r = record(vec![("Scope", string(&s.name))], s.loc);
            if let Expr::Record { annotations, .. } = &mut r {
                if let Some(c) = &s.consent {
                    annotations.push(ann(vocab::DOCS_CONSENT_TYPE, string(c), s.loc));
                }
                if let Some(d) = &s.scenario {
                    annotations.push(ann(vocab::DESCRIPTION, string(d), s.loc));
                }
            }
            r
        })
        .collect();
    Expr::Collection(items)
}

/// `{ Permissions: [{ SchemeName: "documented", Scopes: [...] }] }`.
fn restriction(scopes: &[DocScope], loc: Loc) -> Expr {
    let permission = record(
        vec![
            ("SchemeName", string("documented")),
            ("Scopes", scope_records(scopes)),
        ],
        loc,
    );
    record(
        vec![("Permissions", Expr::Collection(vec![permission]))],
        loc,
    )
}

fn restriction_term(method: &str) -> Option<&'static str> {
    Some(match method {
        "GET" => vocab::READ_RESTRICTIONS,
        "POST" => vocab::INSERT_RESTRICTIONS,
        "PUT" | "PATCH" => vocab::UPDATE_RESTRICTIONS,
        "DELETE" => vocab::DELETE_RESTRICTIONS,
        _ => return None,
    })
}

fn merge_scopes(into: &mut Vec<DocScope>, more: &[DocScope]) {
    for s in more {
        if !into.iter().any(|x| x.name == s.name) {
            into.push(s.clone());
        }
    }
}

/// Attaches the scopes of documented operations: entity-set operations and navigation
/// operations to the entity set (`Capabilities.*Restrictions`), action calls to the action
/// (`Capabilities.OperationRestrictions`). Paths that name no entity set of the model are
/// left as facts of the [`DocSet`].
pub fn attach_scopes(model: &mut Model, docs: &DocSet) {
    // (container, set) → term → scopes; (container, set, nav) → term → scopes; op → scopes.
    type Key = (usize, usize);
    let mut on_set: BTreeMap<(Key, &'static str), (Vec<DocScope>, Loc)> = BTreeMap::new();
    let mut on_nav: BTreeMap<(Key, String, &'static str), (Vec<DocScope>, Loc)> = BTreeMap::new();
    let mut on_op: BTreeMap<usize, (Vec<DocScope>, Loc)> = BTreeMap::new();
    for op in &docs.operations {
        let (Some(method), Some(path)) = (&op.method, &op.path) else {
            continue;
        };
        if op.scopes.is_empty() {
            continue;
        }
        let Some(term) = restriction_term(method) else {
            continue;
        };
        let Some(PathSegment::Name(set_name)) = path.segments.first() else {
            continue;
        };
        let Some((c, s)) = find_set(model, set_name) else {
            continue;
        };
        let rest: Vec<&PathSegment> = path
            .segments
            .iter()
            .skip(1)
            .filter(|s| !matches!(s, PathSegment::Key { .. }))
            .collect();
        let set_type = model.containers[c].entity_sets[s].ty.type_id();
        match rest.as_slice() {
            [] => {
                let e = on_set
                    .entry(((c, s), term))
                    .or_insert_with(|| (Vec::new(), op.loc));
                merge_scopes(&mut e.0, &op.scopes);
            }
            [PathSegment::Name(n)] => {
                let Some(t) = set_type else { continue };
                let nav = model
                    .all_navigations(t)
                    .into_iter()
                    .find(|x| model[*x].name.eq_ignore_ascii_case(n));
                if let Some(nav) = nav {
                    let e = on_nav
                        .entry(((c, s), model[nav].name.clone(), term))
                        .or_insert_with(|| (Vec::new(), op.loc));
                    merge_scopes(&mut e.0, &op.scopes);
                    continue;
                }
                let ancestry = model.ancestry(t);
                let action = model.operations.iter().position(|o| {
                    o.is_bound
                        && o.name.eq_ignore_ascii_case(n)
                        && o.parameters
                            .first()
                            .and_then(|p| p.ty.type_id())
                            .is_some_and(|b| {
                                ancestry.contains(&b) || model.all_derived(b).contains(&t)
                            })
                });
                if let Some(o) = action {
                    let e = on_op.entry(o).or_insert_with(|| (Vec::new(), op.loc));
                    merge_scopes(&mut e.0, &op.scopes);
                }
            }
            _ => {}
        }
    }
    for (((c, s), term), (scopes, loc)) in on_set {
        let node = NodeRef::EntitySet(ContainerId(c as u32), s as u32);
        let a = ann(term, restriction(&scopes, loc), loc);
        add_all(model, node, [a]);
    }
    // Navigation restrictions: one record per navigation property of each set.
    type NavTerms = Vec<(&'static str, Vec<DocScope>, Loc)>;
    let mut by_set: BTreeMap<Key, BTreeMap<String, NavTerms>> = BTreeMap::new();
    for ((set, nav, term), (scopes, loc)) in on_nav {
        by_set
            .entry(set)
            .or_default()
            .entry(nav)
            .or_default()
            .push((term, scopes, loc));
    }
    for ((c, s), navs) in by_set {
        let mut records = Vec::new();
        let mut first_loc = None;
        for (nav, terms) in navs {
            let mut props = vec![(
                "NavigationProperty",
                Expr::Path(PathKind::NavigationPropertyPath, nav.clone()),
            )];
            let loc = terms[0].2;
            first_loc.get_or_insert(loc);
            for (term, scopes, l) in terms {
                // The record's property is the restriction term's name without its namespace.
                let name = term.rsplit_once('.').map_or(term, |(_, n)| n);
                props.push((name, restriction(&scopes, l)));
            }
            records.push(record(props, loc));
        }
        let loc = first_loc.unwrap_or_default();
        let node = NodeRef::EntitySet(ContainerId(c as u32), s as u32);
        let a = ann(
            vocab::NAVIGATION_RESTRICTIONS,
            record(
                vec![("RestrictedProperties", Expr::Collection(records))],
                loc,
            ),
            loc,
        );
        add_all(model, node, [a]);
    }
    for (o, (scopes, loc)) in on_op {
        let node = NodeRef::Operation(OperationId(o as u32));
        let a = ann(
            vocab::OPERATION_RESTRICTIONS,
            restriction(&scopes, loc),
            loc,
        );
        add_all(model, node, [a]);
    }
}

// ---------------------------------------------------------------------------------------------
// `$links` navigation and untyped calls (pages that give no type for them).

/// A navigation property documented only through requests on `…/{set}/{key}/$links/{name}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkFact {
    /// The entity set whose members have it.
    pub set: String,
    pub name: String,
    pub collection: bool,
    /// The HTTP methods documented on it, in the order read.
    pub methods: Vec<String>,
    /// The scopes documented for each method that has any: (method, scope names).
    pub scopes: Vec<(String, Vec<String>)>,
    pub loc: Loc,
}

/// The `$links` navigation properties the documented requests show, grouped by entity set and
/// name. Single or collection, from what the requests state, in this order:
/// - the success response of a `GET …/$links/{name}`: one link (`{"url": …}`, an object schema)
///   or a collection of links (`{"value": [{"url": …}]}`, an `array` schema);
/// - else the methods: `PUT` on `…/$links/{name}` replaces the one link (single), `POST` on it
///   adds a link and `DELETE` on `…/$links/{name}/{key}` removes one (collection).
///
/// A navigation whose requests say neither, or contradict each other, is a located warning
/// (the response wins a contradiction).
pub fn link_facts(docs: &DocSet, diags: &mut Diagnostics) -> Vec<LinkFact> {
    // (set, name) → (methods, from the response, from the methods, loc, scopes)
    type Evidence = (
        Vec<String>,
        Option<bool>,
        Option<(bool, Loc)>,
        Loc,
        Vec<(String, Vec<String>)>,
    );
    let mut found: Vec<((String, String), Evidence)> = Vec::new();
    for op in &docs.operations {
        let (Some(method), Some(path)) = (&op.method, &op.path) else {
            continue;
        };
        let (set, name, member) = match path.segments.as_slice() {
            [
                PathSegment::Name(set),
                PathSegment::Key { .. },
                PathSegment::Name(links),
                PathSegment::Name(name),
                rest @ ..,
            ] if links == "$links"
                && rest.len() <= 1
                && rest.iter().all(|s| matches!(s, PathSegment::Key { .. })) =>
            {
                (set, name, !rest.is_empty())
            }
            _ => continue,
        };
        let key = (set.clone(), name.clone());
        let i = match found.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                found.push((key, (Vec::new(), None, None, path.loc, Vec::new())));
                found.len() - 1
            }
        };
        let e = &mut found[i].1;
        if !e.0.contains(method) {
            e.0.push(method.clone());
        }
        if !op.scopes.is_empty() && !e.4.iter().any(|(m, _)| m == method) {
            e.4.push((
                method.clone(),
                op.scopes.iter().map(|x| x.name.clone()).collect(),
            ));
        }
        match (method.as_str(), member) {
            ("GET", false) => {
                if let Some(c) = op.returns_collection {
                    e.1.get_or_insert(c);
                    e.3 = path.loc;
                }
            }
            ("PUT", false) => {
                e.2.get_or_insert((false, op.loc));
            }
            ("POST", false) | ("DELETE", true) => {
                e.2.get_or_insert((true, op.loc));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for ((set, name), (methods, response, by_method, loc, scopes)) in found {
        let collection = match (response, by_method) {
            (Some(r), Some((m, at))) if r != m => {
                diags.warning(
                    at,
                    format!(
                        "`$links/{name}` of `{set}`: this request treats it as {}, the response of its GET as {}; the response wins",
                        if m { "a collection" } else { "a single link" },
                        if r { "a collection" } else { "a single link" },
                    ),
                );
                r
            }
            (Some(r), _) => r,
            (None, Some((m, _))) => m,
            (None, None) => {
                diags.warning(
                    loc,
                    format!(
                        "`$links/{name}` of `{set}`: the requests do not say whether it holds one link or a collection; not read"
                    ),
                );
                continue;
            }
        };
        out.push(LinkFact {
            set,
            name,
            collection,
            methods,
            scopes,
            loc,
        });
    }
    out
}

/// Records each of `facts` as a link-only navigation (`Codegen.Docs.V1.Links`) on the type of
/// its entity set, unless the type has a navigation property of that name (then the typed one
/// is used; a different cardinality is reported). With `overlay` (a `$metadata` model), a link
/// the model has no navigation property for is reported and not added: `$metadata` says which
/// navigation properties exist. The scopes of the `$links` requests go with the record
/// (`Scopes`: `Method`, `Scopes`), since no navigation property carries restrictions for them.
fn attach_links(
    model: &mut Model,
    facts: &[LinkFact],
    overlay: Option<&Conflicts>,
    diags: &mut Diagnostics,
) {
    let mut by_type: BTreeMap<TypeId, (Vec<Expr>, Loc)> = BTreeMap::new();
    for f in facts {
        let Some(t) = find_set(model, &f.set)
            .and_then(|(c, s)| model.containers[c].entity_sets[s].ty.type_id())
        else {
            diags.warning(
                f.loc,
                format!(
                    "`$links/{}` is documented on `{}`, which is not an entity set; not read",
                    f.name, f.set
                ),
            );
            continue;
        };
        let typed = model
            .all_navigations(t)
            .into_iter()
            .find(|n| model[*n].name.eq_ignore_ascii_case(&f.name));
        let tname = model.qualified_name(t);
        match (typed, overlay) {
            (Some(n), _) => {
                if model[n].ty.collection != f.collection {
                    let msg = format!(
                        "the requests treat `$links/{}` as {}, navigation property `{tname}.{}` at {} is {}; the navigation property wins",
                        f.name,
                        if f.collection { "a collection" } else { "a single link" },
                        model[n].name,
                        loc_text(model, model[n].loc),
                        if model[n].ty.collection { "a collection" } else { "single-valued" },
                    );
                    match overlay {
                        Some(c) => c.report(diags, f.loc, msg),
                        None => diags.warning(f.loc, msg),
                    }
                }
            }
            (None, Some(c)) => c.report(
                diags,
                f.loc,
                format!(
                    "`$links/{}` is documented here but $metadata type `{tname}` has no such navigation property; ignored",
                    f.name
                ),
            ),
            (None, None) => {
                let e = by_type.entry(t).or_insert_with(|| (Vec::new(), f.loc));
                e.0.push(record(
                    vec![
                        ("Name", string(&f.name)),
                        (
                            "Collection",
                            Expr::Constant(ConstKind::Bool, f.collection.to_string()),
                        ),
                        ("Methods", strings(&f.methods)),
                        (
                            "Scopes",
                            Expr::Collection(
                                f.scopes
                                    .iter()
                                    .map(|(m, names)| {
                                        record(
                                            vec![("Method", string(m)), ("Scopes", strings(names))],
                                            f.loc,
                                        )
                                    })
                                    .collect(),
                            ),
                        ),
                    ],
                    f.loc,
                ));
            }
        }
    }
    for (t, (records, loc)) in by_type {
        let a = ann(vocab::DOCS_LINKS, Expr::Collection(records), loc);
        add_all(model, NodeRef::Type(t), [a]);
    }
}

/// The functions and actions the prose names ([`super::DocCall`]) in a model from tables alone:
/// each an operation with no parameters but its binding and an `Edm.Untyped` result, marked
/// `Codegen.Docs.V1.UntypedCall` (called with `POST` and a JSON body as the caller gives it, as
/// the pages say functions and actions are invoked). Bound to the type of the entity set it is
/// called on, or imported into the container for a call at the tenant. One already in the model
/// under that name and binding (a request the pages document with its parameters) is not
/// repeated; one that cannot be placed is a located warning.
fn push_calls(model: &mut Model, docs: &DocSet, version: ODataVersion, diags: &mut Diagnostics) {
    for call in &docs.calls {
        let Some(cont) = model.containers.first() else {
            diags.warning(
                call.loc,
                format!(
                    "`{}`: the documentation gives no entity set or container to call it on; not read",
                    call.name
                ),
            );
            continue;
        };
        let binding = match &call.target {
            CallTarget::Tenant => None,
            CallTarget::Member(set) => {
                match cont
                    .entity_sets
                    .iter()
                    .find(|s| s.name.eq_ignore_ascii_case(set))
                {
                    Some(s) => Some(s.ty.clone()),
                    None => {
                        diags.warning(
                            call.loc,
                            format!(
                                "`{}` is called on `{set}`, which is not a documented entity set; not read",
                                call.name
                            ),
                        );
                        continue;
                    }
                }
            }
        };
        let known = model.operations.iter().any(|o| {
            o.name.eq_ignore_ascii_case(&call.name)
                && match &binding {
                    None => !o.is_bound,
                    Some(b) => {
                        o.is_bound
                            && o.parameters
                                .first()
                                .is_some_and(|p| p.ty.written() == b.written())
                    }
                }
        });
        if known {
            continue;
        }
        let kind = if call.action {
            OperationKind::Action
        } else {
            OperationKind::Function
        };
        let mut extras = Extras::default();
        if let Some(d) = &call.description {
            extras
                .annotations
                .push(ann(vocab::DESCRIPTION, string(d), call.loc));
        }
        extras.annotations.push(ann(
            vocab::DOCS_UNTYPED_CALL,
            Expr::Constant(ConstKind::Bool, "true".into()),
            call.loc,
        ));
        let parameters = binding
            .iter()
            .map(|b| Parameter {
                name: "bindingParameter".into(),
                ty: b.clone(),
                facets: Facets::default(),
                mode: None,
                loc: call.loc,
                extras: Extras::default(),
                rust_name: String::new(),
            })
            .collect();
        let bound = binding.is_some();
        let oid = OperationId(model.operations.len() as u32);
        model.operations.push(Operation {
            kind,
            name: call.name.clone(),
            schema: SchemaId(0),
            is_bound: bound,
            entity_set_path: None,
            is_composable: false,
            parameters,
            return_type: Some(ReturnType {
                ty: TypeRef::new("Edm.Untyped"),
                facets: Facets::default(),
                loc: call.loc,
                extras: Extras::default(),
            }),
            // V3 has no bound operations of its own: every one is a function import (POST).
            function_import: (version != ODataVersion::V4).then(|| FunctionImportOrigin {
                http_method: Some("POST".into()),
                is_side_effecting: Some(call.action),
                is_bindable: Some(bound),
                entity_set: None,
                container: ContainerId(0),
            }),
            loc: call.loc,
            extras,
            rust_name: String::new(),
        });
        model.schemas[0].operations.push(oid);
        if !bound {
            let imp = OperationImport {
                name: call.name.clone(),
                operation_name: format!("{}.{}", model.schemas[0].namespace, call.name),
                entity_set: None,
                include_in_service_document: None,
                loc: call.loc,
                extras: Extras::default(),
                operations: vec![oid],
                rust_name: String::new(),
            };
            let c = &mut model.containers[0];
            match (version, kind) {
                (ODataVersion::V4, OperationKind::Action) => c.action_imports.push(imp),
                _ => c.function_imports.push(imp),
            }
        }
    }
}

/// The prose's functions and actions against a `$metadata` model: each must be an operation
/// of that name (bound to the type of its entity set or a base, or imported for the tenant);
/// one that is not is reported. The model's typed operation is what the crate gets.
fn overlay_calls(model: &Model, docs: &DocSet, c: &Conflicts, diags: &mut Diagnostics) {
    for call in &docs.calls {
        let binding = match &call.target {
            CallTarget::Tenant => None,
            CallTarget::Member(set) => {
                let Some(t) = find_set(model, set)
                    .and_then(|(ci, si)| model.containers[ci].entity_sets[si].ty.type_id())
                else {
                    c.report(
                        diags,
                        call.loc,
                        format!(
                            "`{}` is documented on `{set}`, which is not an entity set of $metadata; ignored",
                            call.name
                        ),
                    );
                    continue;
                };
                Some(t)
            }
        };
        let found = model.operations.iter().any(|o| {
            o.name.eq_ignore_ascii_case(&call.name)
                && match binding {
                    None => !o.is_bound,
                    Some(t) => {
                        let ancestry = model.ancestry(t);
                        o.is_bound
                            && o.parameters
                                .first()
                                .and_then(|p| p.ty.type_id())
                                .is_some_and(|b| ancestry.contains(&b))
                    }
                }
        });
        if !found {
            c.report(
                diags,
                call.loc,
                format!(
                    "`{}` is documented here but $metadata has no such {} {}; ignored",
                    call.name,
                    if call.action { "action" } else { "function" },
                    match binding {
                        None => "at the service root".to_string(),
                        Some(t) => format!("bound to `{}`", model.qualified_name(t)),
                    }
                ),
            );
        }
    }
}

fn find_set(model: &Model, name: &str) -> Option<(usize, usize)> {
    let mut fallback = None;
    for (c, cont) in model.containers.iter().enumerate() {
        for (s, set) in cont.entity_sets.iter().enumerate() {
            if set.name == name {
                return Some((c, s));
            }
            if fallback.is_none() && set.name.eq_ignore_ascii_case(name) {
                fallback = Some((c, s));
            }
        }
    }
    fallback
}

/// What documented requests say about the structure, added to a copy of `docs` for the
/// tables-alone model (Swagger `paths` and request lines name no type in `{user_id}`):
/// - an entity set per first path segment (`/users`, `/users/{user_id}`), typed by the body
///   parameter of a request on it (`#/definitions/user`) or else by the documented type whose
///   name is the set's singular (`users` → `user`), as a resource path `/users/<user.id>`;
/// - a bound action per `POST /{set}/{key}/{name}` whose `name` is not a documented navigation
///   property (`invalidateAllRefreshTokens`), with the request's body parameters.
fn with_operation_paths(docs: &DocSet) -> DocSet {
    let mut out = docs.clone();
    let find_type = |name: &str| {
        docs.types
            .iter()
            .position(|t| t.name.eq_ignore_ascii_case(name))
    };
    for op in &docs.operations {
        let Some(path) = &op.path else { continue };
        let Some(PathSegment::Name(set)) = path.segments.first() else {
            continue;
        };
        if set.starts_with('$') || set.contains('.') {
            continue;
        }
        let body_type = docs
            .operations
            .iter()
            .filter(|o| {
                o.path
                    .as_ref()
                    .and_then(|p| p.segments.first())
                    .is_some_and(|s| *s == PathSegment::Name(set.clone()))
            })
            .flat_map(|o| &o.parameters)
            .filter(|p| p.location.as_deref() == Some("body"))
            .filter_map(|p| p.ty.as_ref())
            .find(|t| !t.collection && find_type(&t.name).is_some())
            .map(|t| t.name.clone());
        let singular = set
            .strip_suffix('s')
            .filter(|s| find_type(s).is_some())
            .map(str::to_string);
        let Some(ty) = body_type.or(singular) else {
            continue;
        };
        let ti = find_type(&ty).expect("found above");
        let ty = docs.types[ti].name.clone();
        let known = out
            .paths
            .iter()
            .any(|p| matches!(p.segments.first(), Some(PathSegment::Name(s)) if s == set));
        if !known {
            out.paths.push(DocPath {
                written: format!("/{set}/<{ty}.id>"),
                segments: vec![
                    PathSegment::Name(set.clone()),
                    PathSegment::Key {
                        ty: Some(ty.clone()),
                        property: None,
                    },
                ],
                loc: path.loc,
            });
        }
        if let (Some("POST"), [_, PathSegment::Key { .. }, PathSegment::Name(name)]) =
            (op.method.as_deref(), path.segments.as_slice())
        {
            let t = &docs.types[ti];
            let taken = name.starts_with('$')
                || t.navigations
                    .iter()
                    .any(|n| n.name.eq_ignore_ascii_case(name))
                || t.properties
                    .iter()
                    .any(|p| p.name.eq_ignore_ascii_case(name))
                || out
                    .types
                    .iter()
                    .flat_map(|t| &t.actions)
                    .any(|a| a.name.eq_ignore_ascii_case(name));
            if !taken {
                let parameters = op
                    .parameters
                    .iter()
                    .filter(|p| p.location.as_deref() == Some("body"))
                    .cloned()
                    .collect();
                out.types[ti].actions.push(DocAction {
                    name: name.clone(),
                    versions: Vec::new(),
                    binding: None,
                    parameters,
                    return_type: None,
                    loc: op.loc,
                });
            }
        }
    }
    out
}

/// Addressing aliases the documentation shows, as `Codegen.Docs.V1.Aliases` (records `Name`,
/// and `Type` for an alias of one entity) on every entity container:
/// - a resource path that is one name the model has no entity set or singleton for (`/me`), on
///   a type's reference page: that entity, addressed from the host (Azure AD Graph's `me`
///   replaces the tenant segment);
/// - an alias the prose says targets the signed-in `<noun>`, addressed from the host by an
///   example URL ([`super::DocAlias`]: seed 002's `me targets the signed-in user.` with
///   `https://graph.windows.net/me`): the entity type the noun names (its name, any case, one
///   entity type of the model; none or several: not recorded), addressed from the host;
///   neither rule takes a name the model has an entity set or singleton for;
/// - the tenant alias `myOrganization`, when a documented path or an example URL is written
///   with it.
///
/// An alias recorded by both rules is recorded once (the first rule's).
///
/// Operations valid only through an alias of one entity get `Codegen.Docs.V1.OnlyThrough` = the
/// alias: an operation of the entity's type (or a base) documented only as `/<alias>/<name>` (a
/// resource path or a request), and one the prose says is called `on the signed-in <noun>`
/// ([`super::DocCall::signed_in`]: seed 001's `changePassword`), through the alias of the
/// signed-in `<noun>`. Other wording changes nothing.
pub fn attach_aliases(model: &mut Model, docs: &DocSet) {
    let mut records: Vec<Expr> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut loc = None;
    // An entity set or singleton of that name is no alias.
    let known = |model: &Model, alias: &str| {
        model.containers.iter().any(|c| {
            c.entity_sets
                .iter()
                .any(|s| s.name.eq_ignore_ascii_case(alias))
                || c.singletons
                    .iter()
                    .any(|s| s.name.eq_ignore_ascii_case(alias))
        })
    };
    for p in &docs.paths {
        let [PathSegment::Name(alias)] = p.segments.as_slice() else {
            continue;
        };
        if known(&*model, alias.as_str())
            || alias.starts_with('$')
            || names.contains(&alias.to_ascii_lowercase())
        {
            continue;
        }
        // The type of the reference page the path is listed on.
        let Some(page) = docs
            .types
            .iter()
            .find(|t| t.loc.file == p.loc.file && t.format == super::Format::ReferenceTables)
        else {
            continue;
        };
        let Some(t) = model.type_ids().find(|t| {
            model[*t].is_entity()
                && model[*t].name.eq_ignore_ascii_case(&page.name)
                && page
                    .namespace
                    .as_deref()
                    .is_none_or(|ns| model[model[*t].schema].namespace.eq_ignore_ascii_case(ns))
        }) else {
            continue;
        };
        names.push(alias.to_ascii_lowercase());
        loc.get_or_insert(p.loc);
        records.push(record(
            vec![
                ("Name", string(alias)),
                ("Type", string(&model.qualified_name(t))),
            ],
            p.loc,
        ));
    }
    for a in &docs.aliases {
        if known(&*model, a.name.as_str()) || names.contains(&a.name.to_ascii_lowercase()) {
            continue;
        }
        let mut typed = model
            .type_ids()
            .filter(|t| model[*t].is_entity() && model[*t].name.eq_ignore_ascii_case(&a.signed_in));
        let (Some(t), None) = (typed.next(), typed.next()) else {
            continue;
        };
        names.push(a.name.to_ascii_lowercase());
        loc.get_or_insert(a.loc);
        records.push(record(
            vec![
                ("Name", string(&a.name)),
                ("Type", string(&model.qualified_name(t))),
            ],
            a.loc,
        ));
    }
    let tenant = docs
        .paths
        .iter()
        .chain(docs.operations.iter().filter_map(|o| o.path.as_ref()))
        .chain(&docs.urls)
        .find(|p| p.written.to_ascii_lowercase().contains("/myorganization"));
    if let Some(p) = tenant {
        let at = p
            .written
            .to_ascii_lowercase()
            .find("myorganization")
            .unwrap_or(0);
        let written = &p.written[at..at + "myorganization".len()];
        loc.get_or_insert(p.loc);
        records.push(record(vec![("Name", string(written))], p.loc));
    }
    // Actions documented only through an alias of one entity (`/me/changePassword`, as a
    // resource path or a request):
    // `Codegen.Docs.V1.OnlyThrough` = the alias, on the action.
    let through_path = docs
        .operations
        .iter()
        .filter_map(|o| o.path.as_ref())
        .chain(&docs.paths)
        .filter_map(|path| match path.segments.as_slice() {
            [PathSegment::Name(alias), PathSegment::Name(name)] => Some((alias, name, path.loc)),
            _ => None,
        });
    // Called `on the signed-in <noun>`: through the alias of the signed-in `<noun>`.
    let through_signed_in = docs.calls.iter().filter_map(|c| {
        let noun = c.signed_in.as_ref()?;
        let a = (docs.aliases.iter()).find(|a| a.signed_in.eq_ignore_ascii_case(noun))?;
        Some((&a.name, &c.name, c.loc))
    });
    let only_through: Vec<(&String, &String, Loc)> =
        through_path.chain(through_signed_in).collect();
    for (alias, name, at) in only_through {
        let Some(t) = records.iter().find_map(|r| {
            let Expr::Record { properties, .. } = r else {
                return None;
            };
            let field = |n: &str| {
                properties
                    .iter()
                    .find(|p| p.property == n)
                    .and_then(|p| match &p.value {
                        Some(Expr::Constant(_, v)) => Some(v.clone()),
                        _ => None,
                    })
            };
            (field("Name")?.eq_ignore_ascii_case(alias)).then(|| field("Type"))?
        }) else {
            continue;
        };
        let Some(tid) = model.type_ids().find(|x| model.qualified_name(*x) == t) else {
            continue;
        };
        let ancestry = model.ancestry(tid);
        for o in 0..model.operations.len() {
            let op_m = &model.operations[o];
            let bound_here = op_m.is_bound
                && op_m.name.eq_ignore_ascii_case(name)
                && op_m
                    .parameters
                    .first()
                    .and_then(|p| p.ty.type_id())
                    .is_some_and(|b| ancestry.contains(&b));
            if !bound_here {
                continue;
            }
            let node = NodeRef::Operation(OperationId(o as u32));
            let a = ann(vocab::DOCS_ONLY_THROUGH, string(alias), at);
            add_all(model, node, [a]);
        }
    }
    let Some(loc) = loc else { return };
    for c in 0..model.containers.len() {
        let node = NodeRef::Container(ContainerId(c as u32));
        let a = ann(vocab::DOCS_ALIASES, Expr::Collection(records.clone()), loc);
        add_all(model, node, [a]);
    }
}

/// Query parameters the documentation marks required and gives a default (Azure AD Graph's
/// `api-version`, default `1.6`), as `Codegen.Docs.V1.DefaultQueryParameters` (records `Name`,
/// `Value`) on every entity container: the generated root sends them unless the caller sets
/// another value. A parameter documented with several defaults takes the first.
pub fn attach_query_defaults(model: &mut Model, docs: &DocSet) {
    let mut found: Vec<(String, String, Loc)> = Vec::new();
    for op in &docs.operations {
        for p in &op.parameters {
            if p.location.as_deref() == Some("query")
                && p.required == Some(true)
                && let Some(v) = &p.default_value
                && !p.name.starts_with('$')
                && !found.iter().any(|(n, _, _)| n == &p.name)
            {
                found.push((p.name.clone(), v.clone(), p.loc));
            }
        }
    }
    if found.is_empty() {
        return;
    }
    let loc = found[0].2;
    let records: Vec<Expr> = found
        .iter()
        .map(|(n, v, l)| record(vec![("Name", string(n)), ("Value", string(v))], *l))
        .collect();
    for c in 0..model.containers.len() {
        let node = NodeRef::Container(ContainerId(c as u32));
        let a = ann(
            vocab::DOCS_DEFAULT_QUERY_PARAMETERS,
            Expr::Collection(records.clone()),
            loc,
        );
        add_all(model, node, [a]);
    }
}

/// The permission catalogue: permission pages, then every other scope named by an operation
/// (with its consent type), as `Codegen.Docs.V1.Permissions` on the first schema.
pub fn attach_permissions(model: &mut Model, docs: &DocSet) {
    if model.schemas.is_empty() {
        return;
    }
    let mut records = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let opt = |s: &Option<String>| s.as_deref().map(string).unwrap_or(Expr::Null);
    for p in &docs.permissions {
        if names.iter().any(|n| n.eq_ignore_ascii_case(&p.name)) {
            continue;
        }
        names.push(p.name.clone());
        let d = p.delegated.clone().unwrap_or_default();
        let a = p.application.clone().unwrap_or_default();
        records.push(record(
            vec![
                ("Name", string(&p.name)),
                ("Description", opt(&p.description)),
                ("DelegatedId", opt(&d.id)),
                ("DelegatedConsentType", opt(&d.consent)),
                ("DelegatedDisplayString", opt(&d.display)),
                ("ApplicationId", opt(&a.id)),
                ("ApplicationConsentType", opt(&a.consent)),
                ("ApplicationDisplayString", opt(&a.display)),
                ("Resources", strings(&p.resources)),
            ],
            p.loc,
        ));
    }
    for op in &docs.operations {
        for s in &op.scopes {
            if names.iter().any(|n| n.eq_ignore_ascii_case(&s.name)) {
                continue;
            }
            names.push(s.name.clone());
            records.push(record(
                vec![
                    ("Name", string(&s.name)),
                    ("Description", Expr::Null),
                    ("DelegatedId", Expr::Null),
                    ("DelegatedConsentType", opt(&s.consent)),
                    ("DelegatedDisplayString", Expr::Null),
                    ("ApplicationId", Expr::Null),
                    ("ApplicationConsentType", Expr::Null),
                    ("ApplicationDisplayString", Expr::Null),
                    ("Resources", Expr::Collection(Vec::new())),
                ],
                s.loc,
            ));
        }
    }
    if records.is_empty() {
        return;
    }
    let loc = docs
        .permissions
        .first()
        .map(|p| p.loc)
        .or_else(|| docs.operations.first().map(|o| o.loc))
        .unwrap_or_default();
    model.schemas[0].extras.annotations.push(ann(
        vocab::DOCS_PERMISSIONS,
        Expr::Collection(records),
        loc,
    ));
}

// ---------------------------------------------------------------------------------------------
// Overlay.

/// Merges documentation facts onto a resolved `$metadata` model (see the module docs for the
/// rule). The documentation files are appended to `model.files`; `docs.first_file` must equal
/// the model's file count before the call. Conflicts are warnings, errors when `strict`.
pub fn overlay(model: &mut Model, docs: &DocSet, strict: bool, diags: &mut Diagnostics) {
    model.files.extend(docs.files.iter().cloned());
    let c = Conflicts { strict };
    // Required-on-create names per model type, from every document describing it.
    let mut required_by_type: BTreeMap<TypeId, (Vec<String>, Loc)> = BTreeMap::new();
    for dt in &docs.types {
        let Some(t) = find_model_type(model, dt) else {
            c.report(
                diags,
                dt.loc,
                format!(
                    "type `{}` is documented here but is not in $metadata; its facts are not used",
                    dt.name
                ),
            );
            continue;
        };
        let required = overlay_type(model, dt, t, &c, diags);
        if !required.is_empty() {
            let e = required_by_type
                .entry(t)
                .or_insert_with(|| (Vec::new(), dt.loc));
            for r in required {
                if !e.0.contains(&r) {
                    e.0.push(r);
                }
            }
        }
    }
    for (t, (names, loc)) in required_by_type {
        add_all(model, NodeRef::Type(t), [required_annotation(&names, loc)]);
    }
    attach_links(model, &link_facts(docs, diags), Some(&c), diags);
    overlay_calls(model, docs, &c, diags);
    attach_scopes(model, docs);
    attach_permissions(model, docs);
    attach_query_defaults(model, docs);
    attach_aliases(model, docs);
}

/// How [`overlay`] reports a disagreement with `$metadata`: a warning, an error when `strict`.
struct Conflicts {
    strict: bool,
}

impl Conflicts {
    fn report(&self, diags: &mut Diagnostics, loc: Loc, msg: String) {
        if self.strict {
            diags.error(loc, msg);
        } else {
            diags.warning(loc, msg);
        }
    }
}

/// Merges the facts of documented type `dt` onto model type `t`; returns the names of the
/// properties it says are required on create.
fn overlay_type(
    model: &mut Model,
    dt: &DocType,
    t: TypeId,
    c: &Conflicts,
    diags: &mut Diagnostics,
) -> Vec<String> {
    // Base type.
    if let Some(b) = &dt.base {
        let model_base = model[t].structured().and_then(|s| s.base);
        let same = model_base.is_some_and(|mb| model[mb].name.eq_ignore_ascii_case(b.short()));
        if !same {
            let said = model_base
                .map(|mb| format!("`{}`", model.qualified_name(mb)))
                .unwrap_or_else(|| "no base type".to_string());
            c.report(
                diags,
                b.loc,
                format!(
                    "the docs give `{}` base type `{}`, $metadata gives {said} at {}; $metadata wins",
                    dt.name,
                    b.name,
                    loc_text(model, model[t].loc)
                ),
            );
        }
    }
    // Type-level facts.
    let mut type_anns = Vec::new();
    if let Some(d) = &dt.description {
        type_anns.push(ann(vocab::DESCRIPTION, string(d), dt.loc));
    }
    if !dt.versions.is_empty() {
        type_anns.push(ann(vocab::DOCS_VERSIONS, strings(&dt.versions), dt.loc));
    }
    let mut required = overlay_properties(model, dt, t, c, diags);
    let all_props = model.all_properties(t);
    for (r, _) in &dt.required {
        if let Some(pid) = all_props
            .iter()
            .find(|x| model[**x].name.eq_ignore_ascii_case(r))
        {
            let n = model[*pid].name.clone();
            if !required.contains(&n) {
                required.push(n);
            }
        }
    }
    overlay_unlisted(model, dt, t, c, diags);
    overlay_navigations(model, dt, t, c, diags);
    overlay_actions(model, dt, t, c, diags);
    add_all(model, NodeRef::Type(t), type_anns);
    required
}

/// Merges the facts of `dt`'s properties onto `t`'s (own or inherited); returns the names of
/// those required on create.
fn overlay_properties(
    model: &mut Model,
    dt: &DocType,
    t: TypeId,
    c: &Conflicts,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let tname = model.qualified_name(t);
    let mut required: Vec<String> = Vec::new();
    let all_props = model.all_properties(t);
    let all_navs = model.all_navigations(t);
    let keys: Vec<PropertyId> = model[t]
        .structured()
        .map(|s| s.key_properties.clone())
        .unwrap_or_default();
    for p in &dt.properties {
        let found = all_props
            .iter()
            .copied()
            .find(|x| model[*x].name == p.name)
            .or_else(|| {
                all_props
                    .iter()
                    .copied()
                    .find(|x| model[*x].name.eq_ignore_ascii_case(&p.name))
            });
        let Some(pid) = found else {
            if let Some(n) = all_navs
                .iter()
                .copied()
                .find(|x| model[*x].name.eq_ignore_ascii_case(&p.name))
            {
                // Documented as a property, declared as a navigation property: facts still apply.
                add_all(model, NodeRef::Navigation(n), property_facts(p));
                continue;
            }
            c.report(
                diags,
                p.loc,
                format!(
                    "property `{}` of `{}` is documented here but $metadata type `{tname}` (at {}) has no such property; ignored",
                    p.name,
                    dt.name,
                    loc_text(model, model[t].loc)
                ),
            );
            continue;
        };
        let mp = &model[pid];
        let mloc = loc_text(model, mp.loc);
        if let Some(r) = &p.ty
            && let Some(why) = type_mismatch(model, r, &mp.ty)
        {
            c.report(
                diags,
                r.loc,
                format!(
                    "the docs give `{}.{}` type `{}`, $metadata gives `{}` at {mloc}{why}; $metadata wins",
                    dt.name,
                    p.name,
                    r.written,
                    mp.ty.written()
                ),
            );
        }
        if let Some(n) = p.nullable {
            let collection =
                p.ty.as_ref()
                    .map(|r| r.collection)
                    .unwrap_or(mp.ty.collection);
            let model_nullable = mp.facets.nullable.unwrap_or(true);
            if !collection && !mp.ty.collection && n != model_nullable {
                c.report(
                    diags,
                    p.loc,
                    format!(
                        "the docs say `{}.{}` is {}nullable, $metadata says {}nullable at {mloc}; $metadata wins",
                        dt.name,
                        p.name,
                        if n { "" } else { "not " },
                        if model_nullable { "" } else { "not " }
                    ),
                );
            }
        }
        if p.key && !keys.contains(&pid) {
            c.report(
                diags,
                p.loc,
                format!(
                    "the docs mark `{}.{}` as the key, $metadata does not (its key is declared at {}); $metadata wins",
                    dt.name,
                    p.name,
                    model[t]
                        .structured()
                        .and_then(|s| s.key_loc)
                        .map(|l| loc_text(model, l))
                        .unwrap_or_else(|| "no key".into())
                ),
            );
        }
        if p.required_on_create == Some(true) {
            required.push(model[pid].name.clone());
        }
        // A documented default is a fact `$metadata` may leave out; its own wins.
        if model[pid].default_value.is_none() {
            model.properties[pid.index()].default_value = p.default_value.clone();
        }
        add_all(model, NodeRef::Property(pid), property_facts(p));
    }
    required
}

/// Properties $metadata has and the docs' property table does not (only for tables that list
/// properties at all; Swagger and description tables often list a selection).
fn overlay_unlisted(
    model: &Model,
    dt: &DocType,
    t: TypeId,
    c: &Conflicts,
    diags: &mut Diagnostics,
) {
    let tname = model.qualified_name(t);
    let all_props = model.all_properties(t);
    if dt.format == super::Format::ReferenceTables && !dt.properties.is_empty() {
        for pid in &all_props {
            let name = &model[*pid].name;
            if !dt
                .properties
                .iter()
                .any(|p| p.name.eq_ignore_ascii_case(name))
            {
                c.report(
                    diags,
                    dt.loc,
                    format!(
                        "$metadata type `{tname}` has property `{name}` (at {}) that the docs of `{}` do not list",
                        loc_text(model, model[*pid].loc),
                        dt.name
                    ),
                );
            }
        }
    }
}

/// Checks `dt`'s navigation properties against `t`'s and adds their facts.
fn overlay_navigations(
    model: &mut Model,
    dt: &DocType,
    t: TypeId,
    c: &Conflicts,
    diags: &mut Diagnostics,
) {
    let tname = model.qualified_name(t);
    let all_navs = model.all_navigations(t);
    for n in &dt.navigations {
        let Some(nid) = all_navs
            .iter()
            .copied()
            .find(|x| model[*x].name.eq_ignore_ascii_case(&n.name))
        else {
            c.report(
                diags,
                n.loc,
                format!(
                    "navigation property `{}` of `{}` is documented here but $metadata type `{tname}` has no such navigation property; ignored",
                    n.name, dt.name
                ),
            );
            continue;
        };
        let mn = &model[nid];
        if let Some(why) = type_mismatch(model, &n.target, &mn.ty) {
            c.report(
                diags,
                n.target.loc,
                format!(
                    "the docs give navigation `{}.{}` target `{}`, $metadata gives `{}` at {}{why}; $metadata wins",
                    dt.name,
                    n.name,
                    n.target.written,
                    mn.ty.written(),
                    loc_text(model, mn.loc)
                ),
            );
        }
        if !n.versions.is_empty() {
            add_all(
                model,
                NodeRef::Navigation(nid),
                [ann(vocab::DOCS_VERSIONS, strings(&n.versions), n.loc)],
            );
        }
    }
}

/// Finds `dt`'s actions among the operations bound to `t` (or unbound) and adds their facts.
fn overlay_actions(
    model: &mut Model,
    dt: &DocType,
    t: TypeId,
    c: &Conflicts,
    diags: &mut Diagnostics,
) {
    for a in &dt.actions {
        let ancestry = model.ancestry(t);
        let found = model.operations.iter().position(|o| {
            o.name.eq_ignore_ascii_case(&a.name)
                && (!o.is_bound
                    || o.parameters
                        .first()
                        .and_then(|p| p.ty.type_id())
                        .is_some_and(|b| ancestry.contains(&b)))
        });
        match found {
            None => c.report(
                diags,
                a.loc,
                format!(
                    "action `{}` of `{}` is documented here but is not in $metadata; ignored",
                    a.name, dt.name
                ),
            ),
            Some(o) if !a.versions.is_empty() => {
                add_all(
                    model,
                    NodeRef::Operation(OperationId(o as u32)),
                    [ann(vocab::DOCS_VERSIONS, strings(&a.versions), a.loc)],
                );
            }
            Some(_) => {}
        }
    }
}

/// The model type a documented type describes: same name (case-insensitive), preferring the
/// documented namespace.
fn find_model_type(model: &Model, dt: &DocType) -> Option<TypeId> {
    let candidates: Vec<TypeId> = model
        .type_ids()
        .filter(|t| {
            model[*t].structured().is_some() && model[*t].name.eq_ignore_ascii_case(&dt.name)
        })
        .collect();
    if let Some(ns) = &dt.namespace
        && let Some(t) = candidates
            .iter()
            .find(|t| model[model[**t].schema].namespace.eq_ignore_ascii_case(ns))
    {
        return Some(*t);
    }
    candidates
        .iter()
        .find(|t| model[**t].name == dt.name)
        .or(candidates.first())
        .copied()
}

/// Why a documented type differs from a model type (`None`: they agree).
fn type_mismatch(model: &Model, doc: &DocTypeRef, m: &TypeRef) -> Option<String> {
    if doc.collection != m.collection {
        return Some(if doc.collection {
            " (a collection in the docs only)".into()
        } else {
            " (a collection in $metadata only)".into()
        });
    }
    match (primitive(&doc.name), m.target) {
        (Some(a), TypeTarget::Primitive(b)) => (!same_primitive(a, b)).then(String::new),
        (None, TypeTarget::Type(t)) => {
            (!model[t].name.eq_ignore_ascii_case(doc.short())).then(String::new)
        }
        (Some(_), TypeTarget::Type(t)) if matches!(model[t].kind, TypeKind::Definition(_)) => None,
        // A primitive in the docs for an enum in $metadata is how docs write enums.
        (Some(Primitive::String), TypeTarget::Type(t))
            if matches!(model[t].kind, TypeKind::Enum(_)) =>
        {
            None
        }
        _ => Some(String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The signed-in alias the prose defines (`me targets the signed-in user.` with a URL from
    /// the host) is an alias of the entity type the noun names, and a call `on the signed-in
    /// user` is valid only through it; a noun naming no entity type records nothing, other
    /// wording leaves a call on every user; the tenant alias comes from an example URL.
    #[test]
    fn signed_in_alias_and_only_through_from_prose() {
        let xml = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="ns" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EntityType Name="User"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
  <Action Name="changePassword" IsBound="true"><Parameter Name="bindingParameter" Type="ns.User"/></Action>
  <Action Name="assignLicense" IsBound="true"><Parameter Name="bindingParameter" Type="ns.User"/></Action>
  <EntityContainer Name="Service"><EntitySet Name="users" EntityType="ns.User"/></EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>"#;
        let (mut model, diags) = crate::load_from_bytes("m.xml", xml.as_bytes());
        assert!(diags.is_empty(), "{diags:?}");
        let text = "\
Functions and actions on users

You can call the changePassword action on the signed-in user to change their password.
You can call the assignLicense action on a user.

Addressing the users of the tenant of the signed-in user
https://graph.windows.net/myOrganization/users?api-version=1.6
The signed-in user
https://graph.windows.net/me?api-version=1.6
https://graph.windows.net/you?api-version=1.6
  \u{2022} me targets the signed-in user.
  \u{2022} you targets the signed-in admin.
";
        let mut diags = Diagnostics::default();
        let mut set = DocSet {
            first_file: model.files.len() as u32,
            ..DocSet::default()
        };
        super::super::read_bytes(
            &mut set,
            std::path::Path::new("aad.txt"),
            text.as_bytes(),
            &mut diags,
        );
        assert!(diags.items.is_empty(), "{:?}", diags.items);
        assert_eq!(set.aliases.len(), 2);
        model.files.extend(set.files.iter().cloned());
        attach_aliases(&mut model, &set);
        assert_eq!(
            meaning::aliases(&model, ContainerId(0)),
            vec![
                ("me".to_string(), Some("ns.User".to_string())),
                ("myOrganization".to_string(), None),
            ]
        );
        let only: Vec<(&str, Option<String>)> = (0..model.operations.len())
            .map(|o| {
                let oid = OperationId(o as u32);
                (model[oid].name.as_str(), meaning::only_through(&model, oid))
            })
            .collect();
        assert_eq!(
            only,
            vec![
                ("changePassword", Some("me".to_string())),
                ("assignLicense", None)
            ]
        );
    }

    /// `$links` requests in an embedded Swagger document: single or collection from the GET's
    /// response example, else from the methods; a contradiction and a navigation the requests
    /// say nothing about are located warnings.
    #[test]
    fn link_facts_from_swagger_requests() {
        let key = r#"{"in": "path", "name": "id", "type": "string"}"#;
        let swagger = format!(
            r#"Page text
{{
  "swagger": "2.0",
  "paths": {{
    "/users/{{id}}/$links/manager": {{
      "get": {{"parameters": [{key}], "responses": {{"200": {{"examples": {{"application/json": {{"url": "https://h/directoryObjects/1"}}}}}}}}}},
      "put": {{"parameters": [{key}], "responses": {{"204": {{"examples": {{"application/json": "none"}}}}}}}},
      "delete": {{"parameters": [{key}], "responses": {{"204": {{}}}}}}
    }},
    "/users/{{id}}/$links/memberOf": {{
      "get": {{"parameters": [{key}], "responses": {{"200": {{"examples": {{"application/json": {{"value": [{{"url": "https://h/x"}}]}}}}}}}}}}
    }},
    "/users/{{id}}/$links/owners": {{
      "post": {{"parameters": [{key}], "responses": {{"204": {{}}}}}}
    }},
    "/users/{{id}}/$links/sponsor": {{
      "get": {{"parameters": [{key}], "responses": {{"200": {{"schema": {{"type": "array", "items": {{"type": "string"}}}}}}}}}},
      "put": {{"parameters": [{key}], "responses": {{"204": {{}}}}}}
    }},
    "/users/{{id}}/$links/silent": {{
      "delete": {{"parameters": [{key}], "responses": {{"204": {{}}}}}}
    }},
    "/users/{{id}}/manager": {{
      "get": {{"parameters": [{key}], "responses": {{"200": {{}}}}}}
    }}
  }}
}}
"#
        );
        let mut diags = Diagnostics::default();
        let mut set = DocSet::default();
        super::super::read_bytes(
            &mut set,
            std::path::Path::new("links.txt"),
            swagger.as_bytes(),
            &mut diags,
        );
        assert!(diags.items.is_empty(), "{:?}", diags.items);
        let facts = link_facts(&set, &mut diags);
        let got: Vec<(&str, &str, bool, Vec<&str>)> = facts
            .iter()
            .map(|f| {
                (
                    f.set.as_str(),
                    f.name.as_str(),
                    f.collection,
                    f.methods.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("users", "manager", false, vec!["GET", "PUT", "DELETE"]),
                ("users", "memberOf", true, vec!["GET"]),
                ("users", "owners", true, vec!["POST"]),
                ("users", "sponsor", true, vec!["GET", "PUT"]),
            ]
        );
        let warnings: Vec<(u32, &str)> = diags
            .items
            .iter()
            .map(|d| (d.loc.line, d.message.as_str()))
            .collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        // The PUT of `sponsor` contradicts its GET's array response; `silent` says nothing.
        assert!(
            warnings[0].1.contains("`$links/sponsor`")
                && warnings[0].1.contains("the response wins")
        );
        assert_eq!(warnings[0].0, 18);
        assert!(warnings[1].1.contains("`$links/silent`") && warnings[1].1.contains("not read"));
        assert_eq!(warnings[1].0, 20);
    }
}
