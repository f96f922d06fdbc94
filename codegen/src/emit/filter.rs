//! Typed property handles for `$select`, `$filter`, `$orderby`, `$expand` and `set_null`: per
//! entity and complex type one associated constant per property and navigation property
//! (inherited ones included, like the struct's fields), `User::DISPLAY_NAME: rt::Prop<Self,
//! Option<String>>`. They are the only names of properties the request builders take.
//!
//! A handle is only a name and two type parameters: the type that has the property and the type
//! of its value (`Option<…>` when nullable, `Vec<…>` for collections, `rt::Nav<…>` for
//! navigation targets, `rt::V2Collection<…>` for V2 collections, which have no lambdas). What a
//! property allows (comparisons, string functions, lambdas, nested properties, `$expand`) is
//! decided in `odata_runtime::filter` by traits on the value type, so the generated code per
//! property stays one constant.
//!
//! Handles are part of the request builders and emitted only with them: like any per-property
//! item they cost compile time (Graph v1.0 with builders: about +10 % `cargo check`, see
//! `BENCHMARKS.md`), which a types-only crate would pay for nothing it uses.

use super::analysis::Analysis;
use super::ident;
use super::types::{primitive, type_path, version_of};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

/// Associated constants of the runtime's traits, and names they once had (`READ_ONLY`,
/// `IMMUTABLE`, `NAVIGATION` and `ENTITY` are fields of `INFO` now), and names a reader would
/// take for them:
/// a property handle never takes these names, so `User::INFO` stays the type's description and
/// the handles' names do not change with the runtime.
const RESERVED: &[&str] = &[
    "INFO",
    "READ_ONLY",
    "IMMUTABLE",
    "NAVIGATION",
    "ENTITY",
    "TYPES",
];

/// `impl Type { pub const NAME: rt::Prop<Self, …> = rt::Prop::new("name"); … }` for the entity
/// or complex type `t`; nothing for a type without properties.
pub fn handles(model: &Model, a: &Analysis, t: TypeId) -> TokenStream {
    if !a.filter_handles {
        return TokenStream::new();
    }
    let module = &model[model[t].schema].rust_module;
    let version = version_of(model, t);
    let mut scope = crate::naming::Scope::with_reserved(RESERVED);
    let mut consts = Vec::new();
    let mut push = |rust_name: &str, wire: &str, value: TokenStream| {
        let name = rust_name
            .strip_prefix("r#")
            .unwrap_or(rust_name)
            .to_uppercase();
        let name = ident(&scope.claim(name));
        consts.push(quote! { pub const #name: rt::Prop<Self, #value> = rt::Prop::new(#wire); });
    };
    for p in model.all_properties(t) {
        let p = &model[p];
        let item = value_tag(model, a, module, &p.ty, version);
        let nullable = p.facets.nullable;
        let value = if p.ty.target == TypeTarget::Primitive(Primitive::Stream) {
            // Selectable, nothing else: `rt::Stream` allows no filter, not even `eq null`.
            item
        } else if p.ty.collection {
            collection(item, nullable == Some(true), version)
        } else {
            optional(item, nullable != Some(false))
        };
        push(&p.rust_name, &p.name, value);
    }
    for n in model.all_navigations(t) {
        let n = &model[n];
        let target = match n.ty.target {
            TypeTarget::Type(x) if a.externs.contains_key(&x) || a.selected.contains(&x) => {
                value_tag(model, a, module, &n.ty, version)
            }
            // Left out by the filter: the struct has no field for it either.
            TypeTarget::Type(_) => continue,
            _ => quote! { rt::Json },
        };
        let item = quote! { rt::Nav<#target> };
        let value = if n.ty.collection {
            collection(item, false, version)
        } else {
            optional(item, n.nullable != Some(false))
        };
        push(&n.rust_name, &n.name, value);
    }
    if consts.is_empty() {
        return TokenStream::new();
    }
    let ty = ident(&model[t].rust_name);
    let doc = format!(
        " Typed properties of `{}` for `$select`, `$filter`, `$orderby` and `$expand`, and `set_null` (see `odata_runtime::filter`).",
        model.qualified_name(t)
    );
    quote! {
        #[doc = #doc]
        impl #ty { #(#consts)* }
    }
}

fn optional(item: TokenStream, nullable: bool) -> TokenStream {
    if nullable {
        quote! { ::core::option::Option<#item> }
    } else {
        item
    }
}

fn collection(item: TokenStream, nullable_items: bool, version: ODataVersion) -> TokenStream {
    let item = optional(item, nullable_items);
    match version {
        ODataVersion::V2 => quote! { rt::V2Collection<#item> },
        ODataVersion::V3 | ODataVersion::V4 => quote! { ::std::vec::Vec<#item> },
    }
}

/// The value type of one item of `r` in a handle: the Rust type of a primitive, enum or
/// structured value (the declared type: no `Box`, no `Any…` enum), a type definition as its
/// underlying type (how it is written as a literal), `rt::Json` for what has no type here,
/// `rt::Stream` for streams (which allows no filter).
fn value_tag(
    model: &Model,
    a: &Analysis,
    from: &str,
    r: &TypeRef,
    version: ODataVersion,
) -> TokenStream {
    let extern_path = |path: &str| {
        path.parse::<TokenStream>()
            .expect("validated when selecting")
    };
    match r.target {
        TypeTarget::Primitive(p) if a.extern_primitives.contains_key(&p) => {
            extern_path(&a.extern_primitives[&p])
        }
        TypeTarget::Primitive(Primitive::Stream) => quote! { rt::Stream },
        TypeTarget::Primitive(p) => primitive(p, version).0,
        TypeTarget::Abstract(_) | TypeTarget::Unresolved => quote! { rt::Json },
        TypeTarget::Type(t) if a.externs.contains_key(&t) => extern_path(&a.externs[&t]),
        TypeTarget::Type(t) if !a.selected.contains(&t) => quote! { rt::Json },
        TypeTarget::Type(t) => match &model[t].kind {
            TypeKind::Enum(e) if e.is_flags => {
                let p = type_path(model, t, from);
                quote! { rt::Flags<#p> }
            }
            TypeKind::Definition(d) => {
                let underlying = TypeRef {
                    collection: false,
                    ..d.underlying.clone()
                };
                value_tag(model, a, from, &underlying, version)
            }
            TypeKind::Enum(_) | TypeKind::Entity(_) | TypeKind::Complex(_) => {
                type_path(model, t, from)
            }
        },
    }
}
