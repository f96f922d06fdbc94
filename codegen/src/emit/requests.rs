//! Request builders: per entity type an item builder (`UserItem`: one entity) and a collection
//! builder (`UserCollection`), a `{Type}Property` and a `{Type}Navigation` enum for typed query
//! options, and per entity container a root builder (`GraphService`) with its entity sets,
//! singletons and operation imports.
//!
//! Code grows with types and navigation properties, not with URL paths: a navigation method
//! returns the target type's builder, so every path reaches the same few builders. What every
//! entity shares (get, update, delete, list, create, count, casts, references) lives once in the
//! runtime as provided methods of `rt::EntityResource` and `rt::CollectionResource`.
//!
//! Builders live in a `requests` module inside each namespace module, so their names cannot
//! collide with schema types.

use super::analysis::Analysis;
use super::docs::request_doc_attrs as doc_attrs;
use super::ident;
use super::types::{
    Piece, named_path, primitive, schema_version, type_path, value_type, version_of,
};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// The name of the builders' module inside each namespace module.
pub const MODULE: &str = "requests";

/// Methods the runtime traits provide: generated methods never take these names, so a
/// navigation property called `count` cannot hide `CollectionResource::count`.
const RESERVED: &[&str] = &[
    "from_path",
    "path",
    "url",
    "get",
    "update",
    "replace",
    "delete",
    "cast",
    "reference",
    "references",
    "list",
    "create",
    "create_as_is",
    "count",
    "by_key",
    "value",
    "new",
    "with_param",
    "with_header",
    // Methods of std traits the builders implement or users call on them: an inherent method
    // of the same name would shadow the trait's (`item.clone()` would send a request), and
    // clippy's `should_implement_trait` rejects most of them.
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "fmt",
    "from",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into",
    "into_iter",
    "mul",
    "ne",
    "neg",
    "next",
    "not",
    "partial_cmp",
    "rem",
    "shl",
    "shr",
    "sub",
    "to_owned",
    "to_string",
    "try_from",
    "try_into",
];

/// What the emitters of builders share, computed once.
#[derive(Debug, Default)]
pub struct Plan {
    /// Entity types with builders, and their names.
    pub builders: BTreeMap<TypeId, Names>,
    /// Bound operations by binding type and whether the binding parameter is a collection.
    pub bound: BTreeMap<(TypeId, bool), Vec<OperationId>>,
    /// Whether bound and unbound operations get methods.
    pub operations: bool,
}

#[derive(Debug, Clone)]
pub struct Names {
    pub item: String,
    pub collection: String,
    pub property: String,
    pub navigation: String,
}

pub fn plan(model: &Model, a: &Analysis, operations: bool) -> Plan {
    let mut p = Plan {
        operations,
        ..Plan::default()
    };
    for &t in &a.selected {
        if !model[t].is_entity() || a.externs.contains_key(&t) {
            continue;
        }
        let n = &model[t].rust_name;
        p.builders.insert(
            t,
            Names {
                item: format!("{n}Item"),
                collection: format!("{n}Collection"),
                property: format!("{n}Property"),
                navigation: format!("{n}Navigation"),
            },
        );
    }
    if operations {
        for (i, op) in model.operations.iter().enumerate() {
            if !op.is_bound {
                continue;
            }
            let Some(binding) = op.parameters.first() else {
                continue;
            };
            let Some(t) = binding.ty.type_id() else {
                continue;
            };
            if !p.builders.contains_key(&t) || !operation_types_selected(a, op) {
                continue;
            }
            p.bound
                .entry((t, binding.ty.collection))
                .or_default()
                .push(OperationId(i as u32));
        }
    }
    p
}

/// Every operation that gets a method: bound ones on the builders of their binding type, unbound
/// ones on the root builder of each container that imports them.
pub fn emitted_operations(model: &Model, a: &Analysis, plan: &Plan) -> Vec<OperationId> {
    if !plan.operations {
        return Vec::new();
    }
    let mut ops: Vec<OperationId> = plan.bound.values().flatten().copied().collect();
    for c in &model.containers {
        for imp in c.action_imports.iter().chain(&c.function_imports) {
            ops.extend(
                imp.operations
                    .iter()
                    .filter(|o| !model[**o].is_bound && operation_types_selected(a, &model[**o])),
            );
        }
    }
    ops.sort();
    ops.dedup();
    ops
}

/// Whether every type an operation's parameters and return type name is generated (or
/// mapped to an extern type): otherwise the operation is left out, like a navigation property
/// to a type the filter left out.
fn operation_types_selected(a: &Analysis, op: &Operation) -> bool {
    let ok = |r: &TypeRef| {
        r.type_id()
            .is_none_or(|t| a.selected.contains(&t) || a.externs.contains_key(&t))
    };
    op.parameters.iter().all(|p| ok(&p.ty)) && op.return_type.as_ref().is_none_or(|r| ok(&r.ty))
}

/// The module path the builders of namespace module `module` are emitted into, for
/// [`named_path`]: paths from it go one `super` further.
pub fn nested(module: &str) -> String {
    format!("{module}::{MODULE}")
}

/// The path of a builder named `name` of type `t`'s namespace, seen from the builders of
/// namespace module `from`.
fn builder_path(model: &Model, t: TypeId, name: &str, from: &str) -> TokenStream {
    let module = &model[model[t].schema].rust_module;
    let n = ident(name);
    if nested(module) == from {
        quote! { #n }
    } else {
        let m = ident(module);
        let r = ident(MODULE);
        quote! { super::super::#m::#r::#n }
    }
}

/// `#[cfg(...)]` for an item that needs the builders of `target`, on a builder of a type with
/// areas `owner` (none: always compiled): nothing when the owner's areas imply the target's.
fn gate_for(a: &Analysis, owner: Option<&[String]>, target: TypeId) -> TokenStream {
    operation_gate(a, owner, std::iter::once(target))
}

/// `#[cfg(all(...))]` over the areas of `types` that the owner's areas do not already imply;
/// nothing without area features or when every type is covered.
fn operation_gate(
    a: &Analysis,
    owner: Option<&[String]>,
    types: impl Iterator<Item = TypeId>,
) -> TokenStream {
    let mut predicates: Vec<Vec<String>> = Vec::new();
    for t in types {
        let Some(areas) = a.areas_of.get(&t) else {
            continue;
        };
        if owner.is_some_and(|o| o.iter().all(|x| areas.contains(x))) {
            continue;
        }
        if !predicates.contains(areas) {
            predicates.push(areas.clone());
        }
    }
    match predicates.len() {
        0 => TokenStream::new(),
        1 => {
            let p = super::cfg_predicate(&predicates[0]);
            quote! { #[cfg(#p)] }
        }
        _ => {
            let ps = predicates.iter().map(|p| super::cfg_predicate(p));
            quote! { #[cfg(all(#(#ps),*))] }
        }
    }
}

/// The items for entity type `t`: the property and navigation enums, the item and collection
/// builders with their methods, and `rt::IsA` for each of its base types.
pub fn emit_entity(model: &Model, a: &Analysis, plan: &Plan, t: TypeId, fast: bool) -> Vec<Piece> {
    let names = &plan.builders[&t];
    let module = &model[model[t].schema].rust_module;
    let from = nested(module);
    let qualified = model.qualified_name(t);
    let owner_areas = a.areas_of.get(&t).map(Vec::as_slice);
    let gate = match owner_areas {
        Some(areas) => {
            let p = super::cfg_predicate(areas);
            quote! { #[cfg(#p)] }
        }
        None => TokenStream::new(),
    };
    let item = ident(&names.item);
    let collection = ident(&names.collection);
    let entity = type_path(model, t, &from);
    let value = match a.polymorphic.get(&t) {
        Some(p) => named_path(module, &p.enum_name, &from),
        None => entity.clone(),
    };

    // Property and navigation enums (inherited members included: a derived type selects them too).
    let properties: Vec<&Property> = model
        .all_properties(t)
        .into_iter()
        .map(|p| &model[p])
        .collect();
    let navigations: Vec<NavId> = model
        .all_navigations(t)
        .into_iter()
        .filter(|n| {
            model[*n]
                .ty
                .type_id()
                .is_none_or(|x| a.selected.contains(&x) || a.externs.contains_key(&x))
        })
        .collect();
    let (property_enum, property_ty) = name_enum(
        &names.property,
        &format!(
            " A property of `{qualified}`, for `$select` and `$orderby` (`$filter`: the type's property constants)."
        ),
        properties.iter().map(|p| (p.name.as_str(), &p.rust_name)),
        &gate,
        fast,
    );
    let (navigation_enum, navigation_ty) = name_enum(
        &names.navigation,
        &format!(" A navigation property of `{qualified}`, for `$expand`."),
        navigations
            .iter()
            .map(|n| (model[*n].name.as_str(), &model[*n].rust_name)),
        &gate,
        fast,
    );

    // Item methods: navigation properties, stream properties, media, bound operations.
    let mut scope = crate::naming::Scope::with_reserved(RESERVED);
    let mut item_methods = Vec::new();
    for &nid in &navigations {
        let n = &model[nid];
        let Some(target) = n.ty.type_id() else {
            continue;
        };
        let Some(target_names) = plan.builders.get(&target) else {
            continue;
        };
        let name = ident(&scope.claim(n.rust_name.clone()));
        let wire = &n.name;
        let target_q = model.qualified_name(target);
        let (builder, what) = if n.ty.collection {
            (
                &target_names.collection,
                format!("the collection of `{target_q}`"),
            )
        } else {
            (&target_names.item, format!("the `{target_q}`"))
        };
        let builder = builder_path(model, target, builder, &from);
        let fact = format!(
            "`…/{wire}`: {what} the navigation property `{wire}` {}.",
            if n.contains_target {
                "contains"
            } else {
                "points to"
            }
        );
        let docs = doc_attrs(
            model,
            NodeRef::Navigation(nid),
            &n.extras.annotations,
            &[fact],
        );
        let g = gate_for(a, owner_areas, target);
        item_methods.push(quote! {
            #docs #g
            pub fn #name(&self) -> #builder { rt::Resource::from_path(self.0.segment(#wire)) }
        });
    }
    for p in &properties {
        if matches!(p.ty.target, TypeTarget::Primitive(Primitive::Stream)) && !p.ty.collection {
            let name = ident(&scope.claim(p.rust_name.clone()));
            let wire = &p.name;
            let doc = format!(" `…/{wire}`: the content of the stream property `{wire}`.");
            item_methods.push(quote! {
                #[doc = #doc]
                pub fn #name(&self) -> rt::Media { rt::Media::new(self.0.segment(#wire)) }
            });
        }
    }
    let has_stream = model
        .ancestry(t)
        .iter()
        .any(|x| model[*x].structured().is_some_and(|s| s.has_stream));
    if has_stream {
        item_methods.push(quote! {
            /// `…/$value`: the media content of this entity.
            pub fn value(&self) -> rt::Media { rt::Media::new(self.0.segment("$value")) }
        });
    }
    let mut collection_methods = Vec::new();
    let key = key_method(model, a, t, &item, &from);
    collection_methods.push(key);
    if plan.operations {
        let mut coll_scope = crate::naming::Scope::with_reserved(RESERVED);
        for (binding_collection, methods, scope) in [
            (false, &mut item_methods, &mut scope),
            (true, &mut collection_methods, &mut coll_scope),
        ] {
            for op in bound_operations(model, plan, t, binding_collection) {
                let name = scope.claim(model[op].rust_name.clone());
                methods.push(operation_method(
                    model,
                    a,
                    plan,
                    op,
                    &name,
                    Receiver::Bound,
                    &from,
                    owner_areas,
                ));
            }
        }
    }

    let mut is_a = Vec::new();
    for base in model.ancestry(t).into_iter().filter(|b| *b != t) {
        if !a.selected.contains(&base) || a.externs.contains_key(&base) {
            continue;
        }
        let base_path = type_path(model, base, &from);
        let g = match (a.areas_of.get(&t), a.areas_of.get(&base)) {
            (Some(x), Some(y)) => {
                let (px, py) = (super::cfg_predicate(x), super::cfg_predicate(y));
                quote! { #[cfg(all(#px, #py))] }
            }
            _ => TokenStream::new(),
        };
        is_a.push(quote! { #g impl rt::IsA<#base_path> for #entity {} });
    }

    // `value.set_null(UserProperty::JobTitle)` on the type and its derived types.
    if !property_ty.is_empty() && property_ty.to_string() != "rt :: NoName" {
        is_a.push(quote! { #gate impl<T: rt::IsA<#entity>> rt::PropertyOf<T> for #property_ty {} });
    }

    let inherent = |ty: &syn::Ident, methods: &[TokenStream]| {
        if methods.iter().all(TokenStream::is_empty) {
            TokenStream::new()
        } else {
            quote! { #gate impl #ty { #(#methods)* } }
        }
    };
    let item_impl = inherent(&item, &item_methods);
    let collection_impl = inherent(&collection, &collection_methods);
    // Scopes documented for the entity sets of this type (documentation tables).
    let mut scopes = Vec::new();
    for (ci, c) in model.containers.iter().enumerate() {
        for (si, set) in c.entity_sets.iter().enumerate() {
            if set.ty.type_id() == Some(t) {
                let node = NodeRef::EntitySet(ContainerId(ci as u32), si as u32);
                scopes.extend(super::docs::scope_lines(model, node));
            }
        }
    }
    scopes.extend(super::docs::resource_permission_lines(model, t));
    let scopes = super::docs::for_requests(scopes);
    let builder_docs = |first: String| {
        let mut lines = vec![first];
        if !scopes.is_empty() {
            lines.push(String::new());
            lines.extend(scopes.iter().map(|l| format!(" {l}")));
        }
        lines
    };
    let item_doc_lines = builder_docs(format!(
        " Requests on one `{qualified}` entity: `get`, `update`, `replace`, `delete` and more from `odata_runtime::prelude::EntityResource`."
    ));
    let coll_doc_lines = builder_docs(format!(
        " Requests on a collection of `{qualified}` entities: `list`, `create`, `count` and more from `odata_runtime::prelude::CollectionResource`."
    ));
    let mut pieces = Vec::new();
    for p in [property_enum, navigation_enum] {
        if !matches!(&p, Piece::Tokens(ts) if ts.is_empty()) {
            pieces.push(p);
        }
    }
    if fast && gate.is_empty() {
        let text = |t: &TokenStream| super::text::path_text(t);
        let builders = (|| {
            let (entity, value) = (text(&entity)?, text(&value)?);
            let (property, navigation) = (text(&property_ty)?, text(&navigation_ty)?);
            let item_text = super::text::builder_boilerplate(
                &item_doc_lines,
                &item.to_string(),
                "rt::EntityResource",
                &[
                    ("Entity", &entity),
                    ("Value", &value),
                    ("Property", &property),
                    ("Navigation", &navigation),
                ],
            )?;
            let coll_text = super::text::builder_boilerplate(
                &coll_doc_lines,
                &collection.to_string(),
                "rt::CollectionResource",
                &[("Item", &item.to_string())],
            )?;
            Some((item_text, coll_text))
        })();
        if let Some((item_text, coll_text)) = builders {
            pieces.push(Piece::Text(item_text));
            if !item_impl.is_empty() {
                pieces.push(Piece::Tokens(item_impl));
            }
            pieces.push(Piece::Text(coll_text));
            if !collection_impl.is_empty() {
                pieces.push(Piece::Tokens(collection_impl));
            }
            if !is_a.is_empty() {
                pieces.push(Piece::Tokens(quote! { #(#is_a)* }));
            }
            return pieces;
        }
    }
    let item_doc = quote! { #(#[doc = #item_doc_lines])* };
    let coll_doc = quote! { #(#[doc = #coll_doc_lines])* };
    let rest = quote! {
        #item_doc
        #gate
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct #item(rt::Path);
        #gate
        impl rt::Resource for #item {
            fn from_path(path: rt::Path) -> Self { Self(path) }
            fn path(&self) -> &rt::Path { &self.0 }
        }
        #gate
        impl rt::EntityResource for #item {
            type Entity = #entity;
            type Value = #value;
            type Property = #property_ty;
            type Navigation = #navigation_ty;
        }
        #item_impl
        #coll_doc
        #gate
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct #collection(rt::Path);
        #gate
        impl rt::Resource for #collection {
            fn from_path(path: rt::Path) -> Self { Self(path) }
            fn path(&self) -> &rt::Path { &self.0 }
        }
        #gate
        impl rt::CollectionResource for #collection {
            type Item = #item;
        }
        #collection_impl
        #(#is_a)*
    };
    pieces.push(Piece::Tokens(rest));
    pieces
}

/// A `Copy` enum of names implementing `rt::Name` (or `rt::NoName` when there are none).
fn name_enum<'a>(
    name: &str,
    doc: &str,
    members: impl Iterator<Item = (&'a str, &'a String)>,
    gate: &TokenStream,
    fast: bool,
) -> (Piece, TokenStream) {
    let mut scope = crate::naming::Scope::with_separator("");
    let mut variants = Vec::new();
    let mut wires = Vec::new();
    let mut texts = Vec::new();
    for (wire, rust) in members {
        let v = ident(&scope.claim(crate::naming::type_name(rust.trim_start_matches("r#"))));
        let d = format!(" `{wire}`");
        texts.push((d.clone(), v.to_string()));
        variants.push(quote! { #[doc = #d] #v });
        wires.push(wire.to_string());
    }
    if variants.is_empty() {
        return (Piece::Tokens(TokenStream::new()), quote! { rt::NoName });
    }
    let n = ident(name);
    if fast
        && gate.is_empty()
        && let Some(text) = super::text::name_enum(&n.to_string(), doc, &texts, &wires)
    {
        return (Piece::Text(text), quote! { #n });
    }
    (
        Piece::Tokens(quote! {
            #[doc = #doc]
            #gate
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            pub enum #n { #(#variants),* }
            #gate
            impl rt::Name for #n {
                fn name(self) -> &'static str {
                    const NAMES: &[&str] = &[#(#wires),*];
                    NAMES[self as usize]
                }
            }
        }),
        quote! { #n },
    )
}

/// The key properties of `t` (declared on it or inherited).
fn key_properties(model: &Model, t: TypeId) -> Vec<PropertyId> {
    for x in model.ancestry(t).into_iter().rev() {
        if let Some(s) = model[x].structured()
            && !s.key_properties.is_empty()
        {
            return s.key_properties.clone();
        }
    }
    Vec::new()
}

/// `by_key(...)` on a collection builder: the item with that key, typed from the key
/// properties.
fn key_method(
    model: &Model,
    a: &Analysis,
    t: TypeId,
    item: &syn::Ident,
    from: &str,
) -> TokenStream {
    let keys = key_properties(model, t);
    let mut params = Vec::new();
    let mut pairs = Vec::new();
    let mut wires = Vec::new();
    for k in &keys {
        let p = &model[*k];
        let Some(ty) = literal_type(model, a, &p.ty, from, version_of(model, p.owner)) else {
            // A key that cannot be written as a literal: no typed key access.
            return TokenStream::new();
        };
        let name = ident(&p.rust_name);
        let wire = &p.name;
        params.push(quote! { #name: #ty });
        pairs.push(quote! { (#wire, &#name as &dyn rt::Literal) });
        wires.push(format!("`{wire}`"));
    }
    if keys.is_empty() {
        return TokenStream::new();
    }
    let doc = format!(" `…({})`: the member with this key.", wires.join(", "));
    quote! {
        #[doc = #doc]
        pub fn by_key(&self, #(#params),*) -> #item {
            #item(self.0.key(&[#(#pairs),*]))
        }
    }
}

/// The Rust type of a value of `r` that can be written as a URL literal, if it can: strings as
/// `&str`, other primitives as themselves, enums and flags, type definitions as their
/// underlying type.
fn literal_type(
    model: &Model,
    a: &Analysis,
    r: &TypeRef,
    from: &str,
    version: ODataVersion,
) -> Option<TokenStream> {
    if r.collection {
        return None;
    }
    match r.target {
        TypeTarget::Primitive(p) if a.extern_primitives.contains_key(&p) => None,
        TypeTarget::Primitive(Primitive::String) => Some(quote! { &str }),
        TypeTarget::Primitive(
            Primitive::Stream
            | Primitive::Geography(_)
            | Primitive::Geometry(_)
            | Primitive::Untyped
            | Primitive::PrimitiveType,
        ) => None,
        TypeTarget::Primitive(p) => Some(primitive(p, version).0),
        TypeTarget::Type(t) if !a.selected.contains(&t) || a.externs.contains_key(&t) => None,
        TypeTarget::Type(t) => match &model[t].kind {
            TypeKind::Enum(e) if e.is_flags => {
                let p = type_path(model, t, from);
                Some(quote! { rt::Flags<#p> })
            }
            TypeKind::Enum(_) => Some(type_path(model, t, from)),
            TypeKind::Definition(d) => literal_type(model, a, &d.underlying, from, version),
            _ => None,
        },
        _ => None,
    }
}

/// The operations bound to `t` or a base type (entity or collection binding), the nearest
/// binding winning where a name is bound at several levels (an override); overloads at the same
/// level are all kept.
fn bound_operations(model: &Model, plan: &Plan, t: TypeId, collection: bool) -> Vec<OperationId> {
    let mut out: Vec<OperationId> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for x in model.ancestry(t).into_iter().rev() {
        let Some(ops) = plan.bound.get(&(x, collection)) else {
            continue;
        };
        let level: Vec<&str> = ops.iter().map(|o| model[*o].name.as_str()).collect();
        for (o, n) in ops.iter().zip(&level) {
            if !seen.contains(n) {
                out.push(*o);
            }
        }
        seen.extend(level);
    }
    out
}

#[derive(Clone, Copy)]
enum Receiver<'a> {
    /// A method on a builder: the path is `self.0`.
    Bound,
    /// A method on a root builder for an import named `.0`.
    Import(&'a str),
}

/// How an operation's name is written in a URL: V4 namespace-qualified; V2/V3 unqualified in the
/// default container, else qualified by the container's name.
fn url_name(model: &Model, op: &Operation) -> String {
    match &op.function_import {
        Some(fi) => {
            let c = &model.containers[fi.container.0 as usize];
            if c.is_default == Some(true) || model.containers.len() == 1 {
                op.name.clone()
            } else {
                format!("{}.{}", c.name, op.name)
            }
        }
        None => format!("{}.{}", model[op.schema].namespace, op.name),
    }
}

/// A method invoking an operation.
#[allow(clippy::too_many_arguments)]
fn operation_method(
    model: &Model,
    a: &Analysis,
    plan: &Plan,
    oid: OperationId,
    name: &str,
    receiver: Receiver<'_>,
    from: &str,
    owner_areas: Option<&[String]>,
) -> TokenStream {
    let op = &model[oid];
    let version = schema_version(model, op.schema);
    let skip = usize::from(op.is_bound);
    let params: Vec<&Parameter> = op.parameters.iter().skip(skip).collect();
    let segment = match receiver {
        Receiver::Bound => url_name(model, op),
        Receiver::Import(import) => import.to_string(),
    };
    let base = quote! { self.0 };

    // Is it called with GET (parameters in the URL) or POST (parameters in a JSON body)?
    let is_get = match &op.function_import {
        Some(fi) => match fi.http_method.as_deref() {
            Some(m) => m.eq_ignore_ascii_case("GET"),
            None => op.kind == OperationKind::Function,
        },
        None => op.kind == OperationKind::Function,
    };
    // V2 service operations take every parameter in the query string, also with POST.
    let url_params = is_get || version == ODataVersion::V2;

    let mut decls = Vec::new();
    let mut args = Vec::new();
    let mut body = Vec::new();
    let mut param_docs = Vec::new();
    let mut pscope = crate::naming::Scope::with_reserved(&["self"]);
    for (pi, p) in params.iter().enumerate() {
        let pname = ident(&pscope.claim(p.rust_name.clone()));
        let wire = &p.name;
        let nullable = p.facets.nullable != Some(false);
        // Optional: left out of the call when `None`. V4 says so with `Core.OptionalParameter`;
        // a V2/V3 service operation takes a parameter left out as null.
        let node = NodeRef::Parameter(oid, (pi + skip) as u32);
        let optional = super::docs::optional_parameter(model, node, &p.extras.annotations)
            || (version != ODataVersion::V4 && nullable);
        param_docs.push(format!(
            " - `{}`: `{}`{}",
            wire,
            p.ty.written(),
            if optional {
                ", optional: left out when `None`"
            } else if nullable {
                ", nullable"
            } else {
                ""
            }
        ));
        let wrap = |t: TokenStream| {
            if optional {
                quote! { rt::Optional<#t> }
            } else if nullable {
                quote! { ::core::option::Option<#t> }
            } else {
                t
            }
        };
        if url_params && let Some(lt) = literal_type(model, a, &p.ty, from, version) {
            decls.push({
                let t = wrap(lt);
                quote! { #pname: #t }
            });
            args.push(if optional {
                quote! { (#wire, rt::resource::Arg::optional(&#pname)) }
            } else {
                quote! { (#wire, rt::resource::Arg::Literal(&#pname)) }
            });
            continue;
        }
        let (vt, codec) = value_type(model, a, from, None, &p.ty, &p.facets);
        let vt = match (&p.ty.target, p.ty.collection) {
            (TypeTarget::Primitive(Primitive::String), false) => quote! { &str },
            _ => vt,
        };
        let decl_ty = wrap(vt);
        decls.push(quote! { #pname: #decl_ty });
        if url_params {
            args.push(if optional {
                quote! { (#wire, rt::resource::Arg::optional_json(&#pname)) }
            } else {
                quote! {
                    (#wire, rt::resource::Arg::Json(rt::serde_json::to_value(&#pname).unwrap_or_default()))
                }
            });
        } else {
            // A parameter left out of an action's body is null to the service (and takes its
            // default when optional): `None` is left out rather than sent as `null`.
            body.push(match (codec, nullable || optional) {
                (Some(c), true) => quote! { .opt_as::<#c>(#wire, &#pname) },
                (Some(c), false) => quote! { .arg_as::<#c>(#wire, &#pname) },
                (None, true) => quote! { .opt(#wire, &#pname) },
                (None, false) => quote! { .arg(#wire, &#pname) },
            });
        }
    }

    // With area features, the method exists when the areas of every type its parameters and
    // result name are on (a type of an area that is off is untyped JSON, and a flags enum of
    // one would not compile).
    let gate = operation_gate(
        a,
        owner_areas,
        params
            .iter()
            .filter_map(|p| p.ty.type_id())
            .chain(op.return_type.iter().filter_map(|r| r.ty.type_id())),
    );
    // The result.
    let (ret, composed) = match &op.return_type {
        None => (quote! { rt::Call<rt::resource::NoContent> }, None),
        Some(r) => {
            let target = r.ty.type_id();
            let builder = target.and_then(|t| plan.builders.get(&t).map(|n| (t, n)));
            match builder {
                // A composable function returning entities continues the path.
                Some((t, n)) if op.is_composable && is_get => {
                    let b = if r.ty.collection {
                        &n.collection
                    } else {
                        &n.item
                    };
                    (builder_path(model, t, b, from), Some(()))
                }
                _ => {
                    let (vt, _) = value_type(
                        model,
                        a,
                        from,
                        None,
                        &TypeRef {
                            collection: false,
                            ..r.ty.clone()
                        },
                        &r.facets,
                    );
                    let structured = target.is_some_and(|t| model[t].structured().is_some());
                    // A result is nullable unless it says otherwise (the CSDL default): then
                    // `Option<T>`, `None` for `204 No Content` or `null`.
                    let nullable = r.facets.nullable != Some(false);
                    let outcome = match (r.ty.collection, structured, nullable) {
                        (true, _, _) => quote! { rt::resource::Many<#vt> },
                        (false, true, false) => quote! { rt::resource::One<#vt> },
                        (false, true, true) => quote! { rt::resource::MaybeOne<#vt> },
                        (false, false, false) => quote! { rt::resource::ValueOf<#vt> },
                        (false, false, true) => quote! { rt::resource::MaybeValueOf<#vt> },
                    };
                    (quote! { rt::Call<#outcome> }, None)
                }
            }
        }
    };

    let path = if url_params {
        quote! { #base.function(#segment, &[#(#args),*]) }
    } else {
        quote! { #base.segment(#segment) }
    };
    let call = if composed.is_some() {
        quote! { rt::Resource::from_path(#path) }
    } else if url_params {
        quote! { #path.call(rt::Method::Get) }
    } else {
        quote! { rt::Args::new() #(#body)* .post(&#path) }
    };
    let call = if url_params && !is_get {
        // V2 service operation called with POST.
        quote! { #path.call(rt::Method::Post) }
    } else {
        call
    };

    let kind = match op.kind {
        OperationKind::Action => "action",
        OperationKind::Function => "function",
    };
    let mut facts = vec![format!(
        "`{} …/{segment}`: the {kind} `{}.{}`{}.",
        if is_get { "GET" } else { "POST" },
        model[op.schema].namespace,
        op.name,
        match &op.return_type {
            Some(r) => format!(", returning `{}`", r.ty.written()),
            None => String::new(),
        }
    )];
    if !param_docs.is_empty() {
        facts.push("Parameters:".to_string());
        facts.extend(param_docs.into_iter().map(|d| d.trim_start().to_string()));
    }
    let docs = doc_attrs(
        model,
        NodeRef::Operation(oid),
        &op.extras.annotations,
        &facts,
    );
    let name = ident(name);
    quote! {
        #docs #gate
        pub fn #name(&self, #(#decls),*) -> #ret { #call }
    }
}

/// The root builder of an entity container: its entity sets, singletons and operation imports.
pub fn emit_container(
    model: &Model,
    a: &Analysis,
    plan: &Plan,
    c: ContainerId,
    name: &str,
) -> TokenStream {
    let container = &model.containers[c.0 as usize];
    let module = &model[container.schema].rust_module;
    let from = nested(module);
    let version = match schema_version(model, container.schema) {
        ODataVersion::V2 => quote! { rt::Version::V2 },
        ODataVersion::V3 => quote! { rt::Version::V3 },
        ODataVersion::V4 => quote! { rt::Version::V4 },
    };
    let mut scope = crate::naming::Scope::with_reserved(RESERVED);
    let mut methods = Vec::new();
    // The container and those it extends (nearest first).
    let mut chain = vec![c];
    let mut next = container.extends;
    while let Some(x) = next {
        if chain.contains(&x) {
            break;
        }
        chain.push(x);
        next = model.containers[x.0 as usize].extends;
    }
    for &cid in &chain {
        let cont = &model.containers[cid.0 as usize];
        for (i, s) in cont.entity_sets.iter().enumerate() {
            let Some((t, n)) =
                s.ty.type_id()
                    .and_then(|t| plan.builders.get(&t).map(|n| (t, n)))
            else {
                continue;
            };
            let m = ident(&scope.claim(s.rust_name.clone()));
            let wire = &s.name;
            let b = builder_path(model, t, &n.collection, &from);
            let node = NodeRef::EntitySet(cid, i as u32);
            let mut facts = vec![format!(
                "`{wire}`: the entity set of `{}`.",
                model.qualified_name(t)
            )];
            facts.extend(super::docs::scope_lines(model, node));
            facts.extend(super::docs::resource_permission_lines(model, t));
            let docs = doc_attrs(model, node, &s.extras.annotations, &facts);
            let g = gate_for(a, None, t);
            methods.push(quote! {
                #docs #g
                pub fn #m(&self) -> #b { rt::Resource::from_path(self.0.segment(#wire)) }
            });
        }
        for (i, s) in cont.singletons.iter().enumerate() {
            let Some((t, n)) =
                s.ty.type_id()
                    .and_then(|t| plan.builders.get(&t).map(|n| (t, n)))
            else {
                continue;
            };
            let m = ident(&scope.claim(s.rust_name.clone()));
            let wire = &s.name;
            let b = builder_path(model, t, &n.item, &from);
            let fact = format!("`{wire}`: the singleton `{}`.", model.qualified_name(t));
            let node = NodeRef::Singleton(cid, i as u32);
            let docs = doc_attrs(model, node, &s.extras.annotations, &[fact]);
            let g = gate_for(a, None, t);
            methods.push(quote! {
                #docs #g
                pub fn #m(&self) -> #b { rt::Resource::from_path(self.0.segment(#wire)) }
            });
        }
        if plan.operations {
            for imp in cont.action_imports.iter().chain(&cont.function_imports) {
                for &op in &imp.operations {
                    if model[op].is_bound || !operation_types_selected(a, &model[op]) {
                        continue;
                    }
                    let m = scope.claim(imp.rust_name.clone());
                    methods.push(operation_method(
                        model,
                        a,
                        plan,
                        op,
                        &m,
                        Receiver::Import(&imp.name),
                        &from,
                        None,
                    ));
                }
            }
        }
    }
    // Addressing aliases the documentation shows (Azure AD Graph's `me`, `myorganization`).
    for (alias, ty) in super::docs::aliases(model, c) {
        let m = ident(&scope.claim(heck::ToSnakeCase::to_snake_case(alias.as_str())));
        match ty {
            Some(q) => {
                let Some((t, n)) = model
                    .type_ids()
                    .find(|t| model.qualified_name(*t) == q)
                    .and_then(|t| plan.builders.get(&t).map(|n| (t, n)))
                else {
                    continue;
                };
                let b = builder_path(model, t, &n.item, &from);
                let g = gate_for(a, None, t);
                let doc = format!(
                    " `host/{alias}`: the `{q}` the documentation's `{alias}` alias addresses (the signed-in one), from the service's host (`https://graph.windows.net`), in place of a tenant."
                );
                methods.push(quote! {
                    #[doc = #doc] #g
                    pub fn #m(host: &str) -> #b { rt::Resource::from_path(Self::new(host).0.segment(#alias)) }
                });
            }
            None => {
                let doc = format!(
                    " The service at `host/{alias}`: the documentation's alias for the tenant of the signed-in user."
                );
                methods.push(quote! {
                    #[doc = #doc]
                    pub fn #m(host: &str) -> Self {
                        Self::new(&::std::format!("{}/{}", host.trim_end_matches('/'), #alias))
                    }
                });
            }
        }
    }
    let n = ident(name);
    let doc = format!(
        " The root of the service of entity container `{}.{}`: entity sets, singletons and operation imports.",
        model[container.schema].namespace, container.name
    );
    // Query parameters the documentation requires, with their default (`api-version=1.6`).
    let defaults = super::docs::default_query_parameters(model, c);
    let (names, values): (Vec<&String>, Vec<&String>) =
        defaults.iter().map(|(n, v)| (n, v)).unzip();
    let new_doc = if defaults.is_empty() {
        " The service at `root` (`https://host/service`).".to_string()
    } else {
        let list: Vec<String> = defaults.iter().map(|(n, v)| format!("`{n}={v}`")).collect();
        format!(
            " The service at `root` (`https://host/service`), sending {} with every request (required by the service's documentation, which gives that default); `with_param` sets another value.",
            list.join(", ")
        )
    };
    quote! {
        #[doc = #doc]
        #[doc = ""]
        #[doc = " Requests are sent by any `rt::Client` or `rt::BlockingClient`; read, update and the other shared methods come from the traits in `odata_runtime::prelude`."]
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct #n(rt::Path);
        impl #n {
            #[doc = #new_doc]
            pub fn new(root: &str) -> Self { Self(rt::Path::root(root, #version)#(.with_param(#names, #values))*) }
            /// Adds a query parameter sent with every request (`api-version`).
            pub fn with_param(self, name: &str, value: &str) -> Self { Self(self.0.with_param(name, value)) }
            /// Adds a header sent with every request (`Authorization`).
            pub fn with_header(self, name: &str, value: &str) -> Self { Self(self.0.with_header(name, value)) }
            /// The service root.
            pub fn path(&self) -> &rt::Path { &self.0 }
            #(#methods)*
        }
    }
}
