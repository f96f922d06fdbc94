//! Request builders: per entity type an item builder (`UserItem`: one entity) and a collection
//! builder (`UserCollection`), names of the module's two generic builders (`Item<super::User>`,
//! `Collection<super::User>`), and per entity container a root builder (`GraphService`) with its
//! entity sets, singletons and operation imports.
//!
//! Code grows with types and navigation properties, not with URL paths: a navigation method
//! returns the target type's builder, so every path reaches the same few builders. What every
//! entity shares (get, update, delete, list, create, count, casts, references) lives once in the
//! runtime as provided methods of `rt::EntityResource` and `rt::CollectionResource`.
//!
//! Builders live in a `requests` module inside each namespace module, so their names cannot
//! collide with schema types.

use super::docs::request_doc_attrs as doc_attrs;
use super::ident;
use super::types::{named_path, primitive, schema_version, type_path, value_type, version_of};
use super::{Gate, Piece};
use crate::model::analysis::Analysis;
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

/// Which operations the builders get, computed once (the builders' names are the analysis').
#[derive(Debug, Default)]
pub struct Plan {
    /// Bound operations by binding type and whether the binding parameter is a collection.
    pub bound: BTreeMap<(TypeId, bool), Vec<OperationId>>,
    /// Whether bound and unbound operations get methods.
    pub operations: bool,
}

pub fn plan(model: &Model, a: &Analysis, operations: bool) -> Plan {
    let mut p = Plan {
        operations,
        ..Plan::default()
    };
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
            if !a.builders.contains_key(&t) || !operation_types_selected(a, op) {
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

/// What the emitters of one entity type's builders share.
struct Entity<'a> {
    model: &'a Model,
    a: &'a Analysis,
    t: TypeId,
    /// The builders' module path, for [`named_path`] and [`builder_path`].
    from: String,
    owner_areas: Option<&'a [String]>,
    gate: Gate,
    /// The navigation properties whose targets are generated.
    navigations: Vec<NavId>,
}

/// The items for entity type `t`: the item and collection builders with their methods, and
/// `rt::IsA` for each of its base types.
pub fn emit_entity(model: &Model, a: &Analysis, plan: &Plan, t: TypeId) -> Vec<Piece> {
    let owner_areas = a.areas_of.get(&t).map(Vec::as_slice);
    let e = Entity {
        model,
        a,
        t,
        from: nested(&model[model[t].schema].rust_module),
        owner_areas,
        gate: Gate::new(owner_areas),
        navigations: model
            .all_navigations(t)
            .into_iter()
            .filter(|n| {
                model[*n]
                    .ty
                    .type_id()
                    .is_none_or(|x| a.selected.contains(&x) || a.externs.contains_key(&x))
            })
            .collect(),
    };
    let names = &a.builders[&t];
    let (item_methods, collection_methods) = e.methods(plan);
    let mut pieces: Vec<Piece> = Vec::new();
    let entity = type_path(model, t, &e.from);
    let value = match a.polymorphic.get(&t) {
        Some(p) => named_path(&model[model[t].schema].rust_module, &p.enum_name, &e.from),
        None => entity.clone(),
    };
    let text = super::text::path_text;
    let (item_doc_lines, coll_doc_lines) = e.builder_doc_lines();
    let item_attrs = super::text::Attrs {
        gate: &e.gate.text,
        doc_lines: &item_doc_lines,
        deprecated: None,
    };
    pieces.push(Piece::Text(super::text::builder_boilerplate(
        item_attrs,
        &names.item,
        "Item",
        &text(&entity),
        "rt::EntityResource",
        &[("Entity", &text(&entity)), ("Value", &text(&value))],
    )));
    pieces.extend(e.inherent(&names.item, &item_methods));
    let coll_attrs = super::text::Attrs {
        doc_lines: &coll_doc_lines,
        ..item_attrs
    };
    pieces.push(Piece::Text(super::text::builder_boilerplate(
        coll_attrs,
        &names.collection,
        "Collection",
        &text(&entity),
        "rt::CollectionResource",
        &[("Item", &names.item)],
    )));
    pieces.extend(e.inherent(&names.collection, &collection_methods));
    let is_a = e.is_a(&entity);
    if !is_a.is_empty() {
        pieces.push(Piece::Tokens(quote! { #(#is_a)* }));
    }
    pieces
}

impl Entity<'_> {
    /// The item builder's methods (navigation, stream properties, media, bound operations) and
    /// the collection builder's (`by_key`, bound operations). Method names are claimed per
    /// builder, clear of the runtime traits' methods ([`RESERVED`]).
    fn methods(&self, plan: &Plan) -> (Vec<TokenStream>, Vec<TokenStream>) {
        let (model, a, t) = (self.model, self.a, self.t);
        let mut scope = crate::naming::Scope::with_reserved(RESERVED);
        let mut item_methods: Vec<TokenStream> = (self.navigations.iter())
            .filter_map(|&n| self.navigation_method(n, &mut scope))
            .collect();
        // After the typed ones, so a typed navigation keeps its name.
        for link in crate::model::meaning::link_navigations(model, t) {
            item_methods.push(link_method(&link, &mut scope));
        }
        for p in model.all_properties(t).into_iter().map(|p| &model[p]) {
            if matches!(p.ty.target, TypeTarget::Primitive(Primitive::Stream)) && !p.ty.collection {
                let name = ident(&scope.claim(p.rust_name.clone()));
                let wire = &p.name;
                let doc = format!(" `…/{wire}`: the content of the stream property `{wire}`.");
                item_methods.push(quote! {
                    #[doc = #doc]
                    #[inline] pub fn #name(&self) -> rt::Media { rt::Media::new(self.0.segment(#wire)) }
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
        let item = ident(&a.builders[&t].item);
        let mut collection_methods = vec![key_method(model, a, t, &item, &self.from)];
        if plan.operations {
            let mut coll_scope = crate::naming::Scope::with_reserved(RESERVED);
            for (binding_collection, methods, scope) in [
                (false, &mut item_methods, &mut scope),
                (true, &mut collection_methods, &mut coll_scope),
            ] {
                for op in bound_operations(model, plan, t, binding_collection) {
                    // Valid only through an alias (`me`): a method of that alias' builder.
                    if a.only_through_alias(op) {
                        continue;
                    }
                    let name = scope.claim(model[op].rust_name.clone());
                    methods.push(operation_method(
                        model,
                        a,
                        op,
                        &name,
                        Receiver::Bound,
                        &self.from,
                        self.owner_areas,
                    ));
                }
            }
        }
        (item_methods, collection_methods)
    }

    /// `…/nav`: the target's item or collection builder (none when the target has none).
    fn navigation_method(
        &self,
        nid: NavId,
        scope: &mut crate::naming::Scope,
    ) -> Option<TokenStream> {
        let (model, a) = (self.model, self.a);
        let n = &model[nid];
        let target = n.ty.type_id()?;
        let target_names = a.builders.get(&target)?;
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
        let builder = builder_path(model, target, builder, &self.from);
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
        let g = gate_for(a, self.owner_areas, target);
        Some(quote! {
            #docs #g
            #[inline] pub fn #name(&self) -> #builder { rt::Resource::from_path(self.0.segment(#wire)) }
        })
    }

    /// `impl Builder { methods }`, or nothing without methods.
    fn inherent(&self, builder: &str, methods: &[TokenStream]) -> Option<Piece> {
        if methods.iter().all(TokenStream::is_empty) {
            return None;
        }
        let (gate, ty) = (&self.gate.tokens, ident(builder));
        Some(Piece::Tokens(quote! { #gate impl #ty { #(#methods)* } }))
    }

    /// `rt::IsA` for each generated base type (the base type's property constants select,
    /// filter and clear properties of this type: `user.set_null(DirectoryObject::DELETED_DATE_TIME)`).
    fn is_a(&self, entity: &TokenStream) -> Vec<TokenStream> {
        let (model, a, t) = (self.model, self.a, self.t);
        let mut is_a = Vec::new();
        for base in model.ancestry(t).into_iter().filter(|b| *b != t) {
            if !a.selected.contains(&base) || a.externs.contains_key(&base) {
                continue;
            }
            let base_path = type_path(model, base, &self.from);
            let g = match (a.areas_of.get(&t), a.areas_of.get(&base)) {
                (Some(x), Some(y)) => {
                    let (px, py) = (super::cfg_predicate(x), super::cfg_predicate(y));
                    quote! { #[cfg(all(#px, #py))] }
                }
                _ => TokenStream::new(),
            };
            is_a.push(quote! { #g impl rt::IsA<#base_path> for #entity {} });
        }
        is_a
    }

    /// The item and collection builders' doc lines, with the scopes documented for the entity
    /// sets of this type (documentation tables).
    fn builder_doc_lines(&self) -> (Vec<String>, Vec<String>) {
        let (model, t) = (self.model, self.t);
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
        let qualified = model.qualified_name(t);
        (
            builder_docs(format!(
                " Requests on one `{qualified}` entity: `get`, `update`, `replace`, `delete` and more from `odata_runtime::prelude::EntityResource`."
            )),
            builder_docs(format!(
                " Requests on a collection of `{qualified}` entities: `list`, `create`, `count` and more from `odata_runtime::prelude::CollectionResource`."
            )),
        )
    }
}

/// `…/$links/nav` of a navigation property the documentation addresses only through `$links`,
/// naming no target type: `{nav}_link()` (`rt::Reference`: get, `set_url`, delete) or
/// `{nav}_links()` (`rt::References`: list, `add_url`, `remove_key`), never a typed builder.
fn link_method(
    link: &crate::model::meaning::LinkNavigation,
    scope: &mut crate::naming::Scope,
) -> TokenStream {
    let wire = &link.name;
    let snake = heck::ToSnakeCase::to_snake_case(wire.as_str());
    let documented = if link.methods.is_empty() {
        String::new()
    } else {
        format!(" Documented requests: {}.", link.methods.join(", "))
    };
    let (suffix, fact, ret, ctor) = if link.collection {
        (
            "links",
            format!(
                "`…/$links/{wire}`: the links of the collection-valued navigation property `{wire}`: `list` the entity URLs, `add_url`, `remove_key`."
            ),
            quote! { rt::References },
            quote! { rt::References::of },
        )
    } else {
        (
            "link",
            format!(
                "`…/$links/{wire}`: the link of the single-valued navigation property `{wire}`: `get` the entity URL, `set_url`, `delete`."
            ),
            quote! { rt::Reference },
            quote! { rt::Reference::of },
        )
    };
    let name = ident(&scope.claim(format!("{snake}_{suffix}")));
    let mut lines = vec![
        fact,
        String::new(),
        format!(
            "The documentation gives no target type for `{wire}`, so it is reached by links (entity URLs) only.{documented}"
        ),
    ];
    if !link.scopes.is_empty() {
        lines.push(String::new());
    }
    for (method, scopes) in &link.scopes {
        let names: Vec<String> = scopes.iter().map(|s| format!("`{s}`")).collect();
        lines.push(format!(
            "Scopes that authorise {method} on `$links/{wire}`: {}.",
            names.join(", ")
        ));
    }
    let docs = lines.iter().map(|l| {
        let l = format!(" {l}");
        let l = l.trim_end();
        quote! { #[doc = #l] }
    });
    quote! {
        #(#docs)*
        #[inline] pub fn #name(&self) -> #ret { #ctor(&self.0.segment(#wire)) }
    }
}

/// The keys of `t` (declared on it or inherited), each as the properties from the entity type to
/// the key value; empty when `t` has none or one does not resolve.
fn key_paths(model: &Model, t: TypeId) -> Vec<KeyPath> {
    for x in model.ancestry(t).into_iter().rev() {
        if let Some(s) = model[x].structured()
            && !s.key.is_empty()
        {
            return s.key_paths.clone();
        }
    }
    Vec::new()
}

/// `by_key(...)` on a collection builder: the item with that key, typed from the key
/// properties. A key path into a complex property (`Info/ID`) is named in the URL and in the
/// parameters by its alias (`EntityInfoID`, `entity_info_id`).
fn key_method(
    model: &Model,
    a: &Analysis,
    t: TypeId,
    item: &syn::Ident,
    from: &str,
) -> TokenStream {
    let keys = key_paths(model, t);
    let mut params = Vec::new();
    let mut pairs = Vec::new();
    let mut wires = Vec::new();
    let mut names = crate::naming::Scope::with_reserved(&["self"]);
    for k in &keys {
        let Some(&leaf) = k.props.last() else {
            return TokenStream::new();
        };
        let p = &model[leaf];
        let Some(ty) = literal_type(model, a, &p.ty, from, version_of(model, p.owner)) else {
            // A key that cannot be written as a literal: no typed key access (validation warned
            // where the document is the reason).
            return TokenStream::new();
        };
        let (wire, rust) = match &k.alias {
            Some(alias) if k.props.len() > 1 => (alias.clone(), crate::naming::field_name(alias)),
            _ => (p.name.clone(), p.rust_name.clone()),
        };
        let name = ident(&names.claim(rust));
        params.push(quote! { #name: #ty });
        pairs.push(quote! { (#wire, &#name as &dyn rt::Literal) });
        let path: Vec<&str> = k.props.iter().map(|p| model[*p].name.as_str()).collect();
        wires.push(if k.props.len() > 1 {
            format!("`{wire}` (`{}`)", path.join("/"))
        } else {
            format!("`{wire}`")
        });
    }
    if keys.is_empty() {
        return TokenStream::new();
    }
    let doc = format!(" `…({})`: the member with this key.", wires.join(", "));
    quote! {
        #[doc = #doc]
        #[inline] pub fn by_key(&self, #(#params),*) -> #item {
            rt::Resource::from_path(self.0.key(&[#(#pairs),*]))
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
        // The runtime writes the others as literals (`rt::Literal`).
        TypeTarget::Primitive(p) if !p.in_urls() => None,
        TypeTarget::Primitive(p) => Some(primitive(p, version).0),
        TypeTarget::Type(t) if !a.selected.contains(&t) || a.externs.contains_key(&t) => None,
        TypeTarget::Type(t) => match &model[t].kind {
            TypeKind::Enum(e) if e.is_flags => {
                let p = type_path(model, t, from);
                Some(quote! { rt::Flags<#p> })
            }
            TypeKind::Enum(_) => Some(type_path(model, t, from)),
            TypeKind::Definition(d) => literal_type(model, a, &d.underlying, from, version),
            TypeKind::Entity(_) | TypeKind::Complex(_) => None,
        },
        TypeTarget::Abstract(_) | TypeTarget::Unresolved => None,
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
    /// A method on a root builder for the import `imp`.
    Import(&'a crate::model::OperationImport),
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
fn operation_method(
    model: &Model,
    a: &Analysis,
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
        Receiver::Import(import) => import.name.clone(),
    };
    let base = quote! { self.0 };

    if crate::model::meaning::untyped_call(model, oid) {
        return untyped_call_method(model, oid, name, &segment);
    }

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

    let Params {
        decls,
        args,
        body,
        docs: param_docs,
    } = parameters(model, a, oid, from, url_params);

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
    let (ret, composed) = result_type(model, a, op, from, is_get);
    let path = if url_params {
        quote! { #base.function(#segment, &[#(#args),*]) }
    } else {
        quote! { #base.segment(#segment) }
    };
    let call = if composed {
        quote! { rt::Resource::from_path(#path) }
    } else if url_params {
        quote! { #path.call(rt::Method::Get) }
    } else {
        quote! { rt::Args::new() #(#body)* .post(&#path) }
    };
    // A V2 service operation is called with the method its `m:HttpMethod` names (`POST` unless
    // that is one the runtime sends; validation warns about the others).
    let declared = op
        .function_import
        .as_ref()
        .and_then(|f| f.http_method.as_deref())
        .map(str::to_ascii_uppercase);
    let (method_token, method_name) = match declared.as_deref() {
        Some("PUT") => (quote! { rt::Method::Put }, "PUT"),
        Some("MERGE") => (quote! { rt::Method::Merge }, "MERGE"),
        Some("PATCH") => (quote! { rt::Method::Patch }, "PATCH"),
        Some("DELETE") => (quote! { rt::Method::Delete }, "DELETE"),
        _ => (quote! { rt::Method::Post }, "POST"),
    };
    let call = if url_params && !is_get {
        quote! { #path.call(#method_token) }
    } else {
        call
    };

    let kind = match op.kind {
        OperationKind::Action => "action",
        OperationKind::Function => "function",
    };
    let mut facts = vec![format!(
        "`{} …/{segment}`: the {kind} `{}.{}`{}.",
        if is_get {
            "GET"
        } else if url_params {
            method_name
        } else {
            "POST"
        },
        model[op.schema].namespace,
        op.name,
        match &op.return_type {
            Some(r) => format!(", returning `{}`", r.ty.written()),
            None => String::new(),
        }
    )];
    let wanted = match receiver {
        Receiver::Bound => &op.rust_name,
        Receiver::Import(import) => &import.rust_name,
    };
    if name != wanted {
        facts.push(format!(
            "Named `{name}`: `{}` is taken by another method of this builder.",
            wanted.trim_start_matches("r#")
        ));
    }
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
        #[inline] pub fn #name(&self, #(#decls),*) -> #ret { #call }
    }
}

/// A method calling an operation the documentation names without parameters or result
/// (`Codegen.Docs.V1.UntypedCall`): `POST` with the caller's JSON body, the response as JSON
/// (`None` for `204 No Content`). Nothing is typed that the documentation does not state.
fn untyped_call_method(model: &Model, oid: OperationId, name: &str, segment: &str) -> TokenStream {
    let op = &model[oid];
    let kind = match op.kind {
        OperationKind::Action => "action",
        OperationKind::Function => "function",
    };
    let facts = [
        format!(
            "`POST …/{segment}`: the {kind} `{}.{}`, with `body` as the request body.",
            model[op.schema].namespace, op.name
        ),
        String::new(),
        "The documentation names this operation without its parameters or result: `body` is \
         sent as given and the response is read as JSON (`None` for `204 No Content`)."
            .to_string(),
    ];
    let docs = doc_attrs(
        model,
        NodeRef::Operation(oid),
        &op.extras.annotations,
        &facts,
    );
    let name = ident(name);
    quote! {
        #docs
        #[inline] pub fn #name(&self, body: &rt::Json) -> rt::Call<rt::resource::MaybeOne<rt::Json>> {
            self.0.segment(#segment).call(rt::Method::Post).json_body(body)
        }
    }
}

/// An operation's parameters as its method takes and sends them.
#[derive(Default)]
struct Params {
    /// `name: Type` of the method's signature.
    decls: Vec<TokenStream>,
    /// `(wire, rt::resource::Arg)` pairs for parameters in the URL.
    args: Vec<TokenStream>,
    /// `.arg(..)`/`.opt(..)` calls building an action's body.
    body: Vec<TokenStream>,
    /// A doc line per parameter.
    docs: Vec<String>,
}

/// The parameters of operation `oid` (the binding parameter left out): in the URL for
/// `url_params` (functions, V2 service operations), else in a JSON body.
fn parameters(
    model: &Model,
    a: &Analysis,
    oid: OperationId,
    from: &str,
    url_params: bool,
) -> Params {
    let op = &model[oid];
    let version = schema_version(model, op.schema);
    let skip = usize::from(op.is_bound);
    let params: Vec<&Parameter> = op.parameters.iter().skip(skip).collect();
    let Params {
        mut decls,
        mut args,
        mut body,
        docs: mut param_docs,
    } = Params::default();
    let mut pscope = crate::naming::Scope::with_reserved(&["self"]);
    for (pi, p) in params.iter().enumerate() {
        let pname = ident(&pscope.claim(p.rust_name.clone()));
        let wire = &p.name;
        let nullable = p.facets.nullable != Some(false);
        // Optional: left out of the call when `None`. V4 says so with `Core.OptionalParameter`;
        // a V2/V3 service operation takes a parameter left out as null.
        let node = NodeRef::Parameter(oid, (pi + skip) as u32);
        let optional =
            crate::model::meaning::optional_parameter(model, node, &p.extras.annotations)
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
    Params {
        decls,
        args,
        body,
        docs: param_docs,
    }
}

/// The method's return type, and whether it continues the path (a composable function returning
/// entities gives the target's builder) rather than making a call.
fn result_type(
    model: &Model,
    a: &Analysis,
    op: &Operation,
    from: &str,
    is_get: bool,
) -> (TokenStream, bool) {
    match &op.return_type {
        None => (quote! { rt::Call<rt::resource::NoContent> }, false),
        Some(r) => {
            let target = r.ty.type_id();
            let builder = target.and_then(|t| a.builders.get(&t).map(|n| (t, n)));
            match builder {
                // A composable function returning entities continues the path.
                Some((t, n)) if op.is_composable && is_get => {
                    let b = if r.ty.collection {
                        &n.collection
                    } else {
                        &n.item
                    };
                    (builder_path(model, t, b, from), true)
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
                        // Items may be null where the schema says so, as for properties
                        // (entities never: a result set holds no null).
                        (true, _, _)
                            if r.facets.nullable == Some(true)
                                && !target.is_some_and(|t| model[t].is_entity()) =>
                        {
                            quote! { rt::resource::Many<::core::option::Option<#vt>> }
                        }
                        (true, _, _) => quote! { rt::resource::Many<#vt> },
                        (false, true, false) => quote! { rt::resource::One<#vt> },
                        (false, true, true) => quote! { rt::resource::MaybeOne<#vt> },
                        (false, false, false) => quote! { rt::resource::ValueOf<#vt> },
                        (false, false, true) => quote! { rt::resource::MaybeValueOf<#vt> },
                    };
                    (quote! { rt::Call<#outcome> }, false)
                }
            }
        }
    }
}

/// The root builder's methods for the entity sets, singletons and operation imports of container
/// `c` and of those it extends.
fn children(
    model: &Model,
    a: &Analysis,
    plan: &Plan,
    c: ContainerId,
    from: &str,
    scope: &mut crate::naming::Scope,
) -> Vec<TokenStream> {
    let mut methods = Vec::new();
    // The container and those it extends (nearest first).
    let mut chain = vec![c];
    let mut next = model.containers[c.0 as usize].extends;
    while let Some(x) = next {
        if chain.contains(&x) {
            break;
        }
        chain.push(x);
        next = model.containers[x.0 as usize].extends;
    }
    for &cid in &chain {
        let cont = &model.containers[cid.0 as usize];
        // Entity sets give the collection builder, singletons the item builder.
        let sets = (cont.entity_sets.iter().enumerate()).map(|(i, s)| {
            (
                NodeRef::EntitySet(cid, i as u32),
                &s.name,
                &s.ty,
                &s.rust_name,
                &s.extras,
            )
        });
        let singletons = (cont.singletons.iter().enumerate()).map(|(i, s)| {
            (
                NodeRef::Singleton(cid, i as u32),
                &s.name,
                &s.ty,
                &s.rust_name,
                &s.extras,
            )
        });
        for (node, wire, ty, rust_name, extras) in sets.chain(singletons) {
            let Some((t, n)) = ty
                .type_id()
                .and_then(|t| a.builders.get(&t).map(|n| (t, n)))
            else {
                continue;
            };
            let m = ident(&scope.claim(rust_name.clone()));
            let q = model.qualified_name(t);
            let (b, facts) = if let NodeRef::EntitySet(..) = node {
                let mut facts = vec![format!("`{wire}`: the entity set of `{q}`.")];
                facts.extend(super::docs::scope_lines(model, node));
                facts.extend(super::docs::resource_permission_lines(model, t));
                (&n.collection, facts)
            } else {
                (&n.item, vec![format!("`{wire}`: the singleton `{q}`.")])
            };
            let b = builder_path(model, t, b, from);
            let docs = doc_attrs(model, node, &extras.annotations, &facts);
            let g = gate_for(a, None, t);
            methods.push(quote! {
                #docs #g
                #[inline] pub fn #m(&self) -> #b { rt::Resource::from_path(self.0.segment(#wire)) }
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
                        op,
                        &m,
                        Receiver::Import(imp),
                        from,
                        None,
                    ));
                }
            }
        }
    }
    methods
}

/// Addressing aliases the documentation shows (Azure AD Graph's `me`, `myorganization`): a
/// constructor each on the root builder.
fn alias_methods(
    model: &Model,
    a: &Analysis,
    c: ContainerId,
    from: &str,
    scope: &mut crate::naming::Scope,
) -> Vec<TokenStream> {
    let mut methods = Vec::new();
    for (alias, ty) in crate::model::meaning::aliases(model, c) {
        let m = ident(&scope.claim(heck::ToSnakeCase::to_snake_case(alias.as_str())));
        match ty {
            Some(q) => {
                let Some((t, n)) = model
                    .type_ids()
                    .find(|t| model.qualified_name(*t) == q)
                    .and_then(|t| a.builders.get(&t).map(|n| (t, n)))
                else {
                    continue;
                };
                let own = (a.alias_builders.iter()).find(|b| b.container == c && b.alias == alias);
                let b = match own {
                    Some(own) => {
                        let n = ident(&own.name);
                        quote! { #n }
                    }
                    None => builder_path(model, t, &n.item, from),
                };
                let g = gate_for(a, None, t);
                let doc = format!(
                    " `host/{alias}`: the `{q}` the documentation's `{alias}` alias addresses (the signed-in one), from the service's host (`https://graph.windows.net`), in place of a tenant."
                );
                methods.push(quote! {
                    #[doc = #doc] #g
                    #[inline] pub fn #m(host: &str) -> #b { rt::Resource::from_path(Self::new(host).0.segment(#alias)) }
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
    methods
}

/// The builders of the entities container `c`'s aliases reach, for aliases with operations
/// valid only through them (`me` with `changePassword`): a path and the entity's item builder,
/// which it dereferences to, the `rt::EntityResource` of that builder, and those operations.
fn alias_builders(
    model: &Model,
    a: &Analysis,
    plan: &Plan,
    c: ContainerId,
    from: &str,
) -> TokenStream {
    let mut out = TokenStream::new();
    for b in a.alias_builders.iter().filter(|b| b.container == c) {
        let t = b.entity;
        let item = builder_path(model, t, &a.builders[&t].item, from);
        let (name, alias, q) = (ident(&b.name), &b.alias, model.qualified_name(t));
        let gate = gate_for(a, None, t);
        let doc = format!(
            " Requests on the `{q}` the `{alias}` alias addresses: everything its item builder offers (it dereferences to one) and the operations valid only through `{alias}`."
        );
        let mut scope = crate::naming::Scope::with_reserved(RESERVED);
        let methods = bound_operations(model, plan, t, false)
            .into_iter()
            .filter(|op| b.operations.contains(op))
            .map(|op| {
                let m = scope.claim(model[op].rust_name.clone());
                operation_method(model, a, op, &m, Receiver::Bound, from, None)
            });
        let assoc = |n: &str| {
            let n = ident(n);
            quote! { <#item as rt::EntityResource>::#n }
        };
        let (entity, value) = (assoc("Entity"), assoc("Value"));
        out.extend(quote! {
            #[doc = #doc]
            #gate
            #[derive(Clone)]
            pub struct #name(rt::Path, #item);
            #gate
            impl ::core::ops::Deref for #name {
                type Target = #item;
                fn deref(&self) -> &#item { &self.1 }
            }
            #gate
            impl rt::Resource for #name {
                fn from_path(path: rt::Path) -> Self { Self(path.clone(), rt::Resource::from_path(path)) }
                fn path(&self) -> &rt::Path { &self.0 }
            }
            #gate
            impl rt::EntityResource for #name {
                type Entity = #entity;
                type Value = #value;
            }
            #gate
            impl #name { #(#methods)* }
        });
    }
    out
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
    methods.extend(children(model, a, plan, c, &from, &mut scope));
    methods.extend(alias_methods(model, a, c, &from, &mut scope));
    let alias_builders = alias_builders(model, a, plan, c, &from);
    let n = ident(name);
    let doc = format!(
        " The root of the service of entity container `{}.{}`: entity sets, singletons and operation imports.",
        model[container.schema].namespace, container.name
    );
    // Query parameters the documentation requires, with their default (`api-version=1.6`).
    let defaults = crate::model::meaning::default_query_parameters(model, c);
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
    let sap_doc = crate::model::meaning::is_sap_service(model, c).then(|| {
        quote! {
            #[doc = ""]
            #[doc = " An SAP service (its `$metadata` carries SAP's `sap:` attributes): SAP Gateway and S/4HANA refuse a write (create, update, delete, `$batch`) without the `X-CSRF-Token` of the session; send writes through `odata_runtime::Csrf::for_service(client, svc.path())`, which fetches the token and sends it with its session cookies."]
        }
    });
    quote! {
        #[doc = #doc]
        #[doc = ""]
        #[doc = " Requests are sent by any `rt::Client` or `rt::BlockingClient`; read, update and the other shared methods come from the traits in `odata_runtime::prelude`."]
        #sap_doc
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
        #alias_builders
    }
}
