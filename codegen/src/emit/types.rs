//! Type emitters: a struct per entity and complex type (inherited properties included), an
//! `Any{Name}` enum per type with derived types, an enum per enum type, a newtype per type
//! definition. All serde work is delegated to the runtime through static tables.

use super::docs::doc_attrs;
use super::{Gate, Piece, ident};
use crate::model::analysis::Analysis;
use crate::model::meaning::{self, deprecation};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The items of one type, in order: its struct, enum or newtype, and for a type with derived
/// types its `Any{Name}` enum right after it. With area features, every item is behind the
/// type's `#[cfg]` (and [`fallbacks`] makes its names untyped JSON when it is off).
pub fn emit_type(model: &Model, a: &Analysis, t: TypeId) -> Vec<Piece> {
    let areas = a.areas_of.get(&t).map(Vec::as_slice);
    let gate = Gate::new(areas);
    match &model[t].kind {
        TypeKind::Entity(_) | TypeKind::Complex(_) => {
            let mut pieces = emit_struct(model, a, t, &gate);
            let handles = super::filter::handles(model, a, t);
            if !handles.is_empty() {
                let g = &gate.tokens;
                pieces.push(Piece::Tokens(quote! { #g #handles }));
            }
            if a.polymorphic.contains_key(&t) {
                pieces.push(Piece::Tokens(emit_polymorphic(model, a, t, &gate)));
            }
            pieces
        }
        TypeKind::Enum(e) => vec![emit_enum(model, a, t, e, &gate)],
        TypeKind::Definition(d) => vec![Piece::Tokens(emit_definition(model, t, d, &gate))],
    }
}

/// With area features, `#[cfg(not(...))]` fallbacks that make the names of type `t` untyped
/// JSON when none of its areas is on, so fields that refer to it compile either way. They are
/// compiled exactly when the type's items are not, so they are not among them.
pub fn fallbacks(model: &Model, a: &Analysis, t: TypeId) -> Option<Piece> {
    let areas = a.areas_of.get(&t)?;
    let mut names = vec![model[t].rust_name.as_str()];
    if let Some(p) = a.polymorphic.get(&t) {
        names.push(&p.enum_name);
    }
    Some(Piece::Text(super::text::gated_fallbacks(areas, &names)))
}

/// The Rust path of a named type as seen from `module`: its bare name in its own module (where
/// only generated names live, so it cannot be shadowed), `crate::module::Name` elsewhere.
pub(super) fn type_path(model: &Model, t: TypeId, from: &str) -> TokenStream {
    named_path(
        &model[model[t].schema].rust_module,
        &model[t].rust_name,
        from,
    )
}

pub(super) fn named_path(module: &str, name: &str, from: &str) -> TokenStream {
    let n = ident(name);
    // `from` is a namespace module, or the request builders' module nested in one.
    if let Some(parent) = from.strip_suffix(&format!("::{}", super::requests::MODULE)) {
        if module == parent {
            return quote! { super::#n };
        }
        let m = ident(module);
        return quote! { super::super::#m::#n };
    }
    if module == from {
        quote! { #n }
    } else {
        let m = ident(module);
        quote! { super::#m::#n }
    }
}

fn lit_usize(i: usize) -> proc_macro2::Literal {
    proc_macro2::Literal::usize_unsuffixed(i)
}

/// Rust type and codec (when the runtime needs one beyond plain serde) of a primitive; the one
/// place that names a primitive's runtime type, so it records the runtime feature that needs.
/// V2 and V3 JSON write `Edm.Int64` and `Edm.Decimal` as strings, V4 as numbers; V2 JSON also
/// `Edm.Double`, `Edm.Single`, `Edm.Byte` and `Edm.SByte`.
pub(super) fn primitive(p: Primitive, version: ODataVersion) -> (TokenStream, Option<TokenStream>) {
    let v4 = version == ODataVersion::V4;
    let v2 = version == ODataVersion::V2;
    // (Rust type, codec, runtime feature): one row per primitive, no catch-all, so a new
    // primitive does not compile until it has all three.
    let (ty, codec, feature) = match p {
        Primitive::Int64 if !v4 => (
            quote! { i64 },
            Some(quote! { rt::codec::Int64String }),
            None,
        ),
        Primitive::Decimal if !v4 => (
            quote! { rt::Decimal },
            Some(quote! { rt::codec::DecimalString }),
            Some("decimal"),
        ),
        Primitive::Double if v2 => (
            quote! { f64 },
            Some(quote! { rt::codec::DoubleString }),
            None,
        ),
        Primitive::Single if v2 => (
            quote! { f32 },
            Some(quote! { rt::codec::SingleString }),
            None,
        ),
        Primitive::Byte if v2 => (
            quote! { u8 },
            Some(quote! { rt::codec::SmallIntString<u8> }),
            None,
        ),
        Primitive::SByte if v2 => (
            quote! { i8 },
            Some(quote! { rt::codec::SmallIntString<i8> }),
            None,
        ),
        Primitive::String => (quote! { ::std::string::String }, None, None),
        Primitive::Boolean => (quote! { bool }, None, None),
        Primitive::Byte => (quote! { u8 }, None, None),
        Primitive::SByte => (quote! { i8 }, None, None),
        Primitive::Int16 => (quote! { i16 }, None, None),
        Primitive::Int32 => (quote! { i32 }, None, None),
        Primitive::Int64 => (quote! { i64 }, Some(quote! { rt::codec::Int64 }), None),
        Primitive::Single => (quote! { f32 }, Some(quote! { rt::codec::Single }), None),
        Primitive::Double => (quote! { f64 }, Some(quote! { rt::codec::Double }), None),
        Primitive::Decimal => (
            quote! { rt::Decimal },
            Some(quote! { rt::codec::Decimal }),
            Some("decimal"),
        ),
        Primitive::Guid => (
            quote! { rt::Guid },
            Some(quote! { rt::codec::Guid }),
            Some("uuid"),
        ),
        Primitive::DateTimeOffset => (quote! { rt::DateTimeOffset }, None, Some("chrono")),
        Primitive::Date => (quote! { rt::Date }, None, Some("chrono")),
        Primitive::TimeOfDay => (quote! { rt::TimeOfDay }, None, Some("chrono")),
        Primitive::DateTime => (quote! { rt::DateTime }, None, Some("chrono")),
        Primitive::Duration | Primitive::Time => (quote! { rt::Duration }, None, None),
        Primitive::Binary => (quote! { rt::Binary }, None, Some("base64")),
        Primitive::Stream => (quote! { rt::Stream }, None, None),
        Primitive::Geography(_) | Primitive::Geometry(_) => (quote! { rt::Geo }, None, None),
        Primitive::Untyped | Primitive::PrimitiveType => (quote! { rt::Json }, None, None),
    };
    if let Some(f) = feature {
        super::needs(f);
    }
    (ty, codec)
}

/// The Rust type of a value of `r` (without the outer `Option`) held by struct `owner`, and the
/// codec to read and write it with, if plain serde does not do.
pub(super) fn value_type(
    model: &Model,
    a: &Analysis,
    from: &str,
    owner: Option<TypeId>,
    r: &TypeRef,
    facets: &Facets,
) -> (TokenStream, Option<TokenStream>) {
    let extern_path = |path: &str| {
        path.parse::<TokenStream>()
            .expect("validated when selecting")
    };
    let (item, codec) = match r.target {
        TypeTarget::Primitive(p) if a.extern_primitives.contains_key(&p) => {
            (extern_path(&a.extern_primitives[&p]), None)
        }
        TypeTarget::Primitive(p) => {
            primitive(p, owner.map(|o| version_of(model, o)).unwrap_or_default())
        }
        TypeTarget::Abstract(_) | TypeTarget::Unresolved => (quote! { rt::Json }, None),
        TypeTarget::Type(t) if a.externs.contains_key(&t) => (extern_path(&a.externs[&t]), None),
        // A type the filter left out: the value is kept, untyped.
        TypeTarget::Type(t) if !a.selected.contains(&t) => (quote! { rt::Json }, None),
        TypeTarget::Type(t) => match &model[t].kind {
            TypeKind::Enum(e) if e.is_flags => {
                let p = type_path(model, t, from);
                (quote! { rt::Flags<#p> }, None)
            }
            TypeKind::Enum(_) | TypeKind::Definition(_) => (type_path(model, t, from), None),
            TypeKind::Entity(_) | TypeKind::Complex(_) => match a.polymorphic.get(&t) {
                Some(poly) => (
                    named_path(&model[model[t].schema].rust_module, &poly.enum_name, from),
                    None,
                ),
                None => {
                    let p = type_path(model, t, from);
                    let boxed = !r.collection && owner.is_some_and(|o| a.boxed.contains(&(o, t)));
                    if boxed {
                        (quote! { ::std::boxed::Box<#p> }, None)
                    } else {
                        (p, None)
                    }
                }
            },
        },
    };
    if !r.collection {
        return (item, codec);
    }
    // Collections: items may be null only where the schema says so explicitly.
    if facets.nullable == Some(true) {
        let c = codec.map(|c| quote! { rt::codec::List<rt::codec::Nullable<#c>> });
        (quote! { ::std::vec::Vec<::core::option::Option<#item>> }, c)
    } else {
        let c = codec.map(|c| quote! { rt::codec::List<#c> });
        (quote! { ::std::vec::Vec<#item> }, c)
    }
}

fn describe_type(model: &Model, r: &TypeRef) -> String {
    match r.type_id() {
        Some(t) => {
            let q = model.qualified_name(t);
            if r.collection {
                format!("Collection({q})")
            } else {
                q
            }
        }
        None => r.written(),
    }
}

fn facet_facts(f: &Facets, collection: bool) -> Vec<String> {
    let mut out = Vec::new();
    match (f.nullable, collection) {
        (Some(false), false) => out.push("not nullable".to_string()),
        (Some(true), true) => out.push("items nullable".to_string()),
        _ => {}
    }
    if let Some(m) = f.max_length {
        out.push(match m {
            MaxLength::Max => "max length: max".to_string(),
            MaxLength::Value(v) => format!("max length {v}"),
        });
    }
    if let Some(p) = f.precision {
        out.push(format!("precision {p}"));
    }
    if let Some(s) = f.scale {
        out.push(match s {
            Scale::Value(v) => format!("scale {v}"),
            Scale::Variable => "scale variable".to_string(),
            Scale::Floating => "scale floating".to_string(),
        });
    }
    if let Some(s) = f.srid {
        out.push(match s {
            Srid::Value(v) => format!("SRID {v}"),
            Srid::Variable => "SRID variable".to_string(),
        });
    }
    if f.unicode == Some(false) {
        out.push("not Unicode".to_string());
    }
    if f.fixed_length == Some(true) {
        out.push("fixed length".to_string());
    }
    out
}

/// A key as the docs name it: `Number`, or a path with the name URLs give it
/// (`` `Site/Building` (`Building` in URLs) ``).
fn key_text(model: &Model, k: &crate::model::KeyPath) -> String {
    let path: Vec<&str> = k.props.iter().map(|p| model[*p].name.as_str()).collect();
    match (&k.alias, path.len()) {
        (Some(alias), 2..) => format!("`{}` (`{alias}` in URLs)", path.join("/")),
        _ => format!("`{}`", path.join("/")),
    }
}

/// What property `p` of `owner` is to the key: `key`, or for a complex property that holds key
/// values, which ones.
fn key_fact(model: &Model, owner: TypeId, p: PropertyId) -> Option<String> {
    let s = model[owner].structured()?;
    if s.key_paths.is_empty() {
        return s.key_properties.contains(&p).then(|| "key".to_string());
    }
    let mine: Vec<&crate::model::KeyPath> = s
        .key_paths
        .iter()
        .filter(|k| k.props.first() == Some(&p))
        .collect();
    if mine.iter().any(|k| k.props.len() == 1) {
        return Some("key".to_string());
    }
    if mine.is_empty() {
        return None;
    }
    let parts: Vec<String> = mine.iter().map(|k| key_text(model, k)).collect();
    Some(format!("holds the key {}", parts.join(", ")))
}

/// One field of a struct: what its declaration and its read and write arms are printed from.
struct Field {
    text: super::text::FieldText,
    /// The field's name and its type inside the `Option` (for `for_create`).
    rust_name: String,
    value_type: TokenStream,
    /// Left out of create and update bodies.
    read_only: bool,
    /// Left out of update bodies.
    immutable: bool,
    /// A navigation property: left out of update bodies.
    navigation: bool,
}

fn field(model: &Model, a: &Analysis, owner: TypeId, member: Member) -> Field {
    let (name, rust_name, ty, facets, node, extras, mut facts) = match member {
        Member::Property(p) => {
            let prop = &model[p];
            let mut facts = vec![format!(
                "`{}`: `{}`",
                prop.name,
                describe_type(model, &prop.ty)
            )];
            facts.extend(facet_facts(&prop.facets, prop.ty.collection));
            if let Some(d) = &prop.default_value {
                facts.push(format!("default `{d}`"));
            }
            if let Some(fact) = key_fact(model, owner, p) {
                facts.insert(1, fact);
            }
            if prop.concurrency_fixed {
                facts.push("concurrency token".to_string());
            }
            (
                prop.name.clone(),
                prop.rust_name.clone(),
                prop.ty.clone(),
                prop.facets.clone(),
                NodeRef::Property(p),
                &prop.extras,
                facts,
            )
        }
        Member::Navigation(n) => {
            let nav = &model[n];
            let mut facts = vec![format!(
                "`{}`: navigation to `{}`",
                nav.name,
                describe_type(model, &nav.ty)
            )];
            if nav.contains_target {
                facts.push("contained".to_string());
            }
            if nav.nullable == Some(false) && !nav.ty.collection {
                facts.push("not nullable".to_string());
            }
            facts.push("present when expanded".to_string());
            let facets = Facets {
                nullable: if nav.ty.collection {
                    None
                } else {
                    nav.nullable
                },
                ..Facets::default()
            };
            (
                nav.name.clone(),
                nav.rust_name.clone(),
                nav.ty.clone(),
                facets,
                NodeRef::Navigation(n),
                &nav.extras,
                facts,
            )
        }
    };
    if ty
        .type_id()
        .is_some_and(|t| !a.selected.contains(&t) && !a.externs.contains_key(&t))
    {
        facts.push("its type is left out by the filter, so the value is kept as JSON".to_string());
    }
    if ty.target == TypeTarget::Unresolved {
        // A type in a namespace the input does not declare (see `model::recover`).
        facts.push(
            "its type is not declared in the input, so the value is kept as JSON".to_string(),
        );
    }
    // Which bodies leave the member out: vocabulary annotations, or SAP's V2 attributes.
    let w = meaning::writability(model, node, extras);
    if w.by_sap && w.read_only {
        facts.push("read-only (`sap:creatable` and `sap:updatable` are false)".to_string());
    } else if w.by_sap {
        facts.push("immutable (`sap:updatable` is false)".to_string());
    }
    let facts_line = facts.join(", ");
    facts.clear();
    facts.push(format!("{facts_line}."));
    let doc_lines = super::docs::doc_lines(model, node, &extras.annotations, &facts);
    let deprecated = deprecation(model, node, &extras.annotations);
    let from = &model[model[owner].schema].rust_module;
    let (vt, codec) = value_type(model, a, from, Some(owner), &ty, &facets);
    Field {
        text: super::text::FieldText {
            doc_lines,
            deprecated,
            ident: ident(&rust_name).to_string(),
            wire: name,
            value_type: super::text::path_text(&vt),
            codec: codec.as_ref().map(super::text::path_text),
        },
        read_only: w.read_only,
        immutable: w.immutable,
        navigation: matches!(member, Member::Navigation(_)),
        rust_name,
        value_type: vt,
    }
}

#[derive(Clone, Copy)]
enum Member {
    Property(PropertyId),
    Navigation(NavId),
}

/// The protocol version of the document that declared `t`.
pub(super) fn version_of(model: &Model, t: TypeId) -> ODataVersion {
    schema_version(model, model[t].schema)
}

/// The protocol version of the document that declared schema `s`.
pub(super) fn schema_version(model: &Model, s: SchemaId) -> ODataVersion {
    model
        .files
        .get(model[s].file.0 as usize)
        .map(|f| f.version)
        .unwrap_or_default()
}

fn emit_struct(model: &Model, a: &Analysis, t: TypeId, gate: &Gate) -> Vec<Piece> {
    let ty = &model[t];
    let s = ty.structured().expect("structured");
    let qualified = model.qualified_name(t);

    // Navigation properties to types the filter left out are not generated; the docs say so.
    let (navigations, omitted): (Vec<NavId>, Vec<NavId>) =
        model.all_navigations(t).into_iter().partition(|n| {
            model[*n].ty.type_id().is_none_or(|target| {
                a.selected.contains(&target) || a.externs.contains_key(&target)
            })
        });
    let members: Vec<Member> = model
        .all_properties(t)
        .into_iter()
        .map(Member::Property)
        .chain(navigations.into_iter().map(Member::Navigation))
        .collect();
    let fields: Vec<Field> = members.into_iter().map(|m| field(model, a, t, m)).collect();

    let mut facts = vec![format!(
        "OData {} `{qualified}`{}{}{}.",
        if ty.is_entity() {
            "entity type"
        } else {
            "complex type"
        },
        s.base
            .map(|b| format!(", derived from `{}`", model.qualified_name(b)))
            .unwrap_or_default(),
        if s.is_abstract { ", abstract" } else { "" },
        if s.open {
            ", open (dynamic properties are kept in `extra.dynamic`)"
        } else {
            ""
        },
    )];
    if ty.is_entity() && !s.key_paths.is_empty() {
        let keys: Vec<String> = s.key_paths.iter().map(|k| key_text(model, k)).collect();
        facts.push(format!("Key: {}.", keys.join(", ")));
    } else if ty.is_entity() && !s.key_properties.is_empty() {
        let keys: Vec<String> = s
            .key_properties
            .iter()
            .map(|p| format!("`{}`", model[*p].name))
            .collect();
        facts.push(format!("Key: {}.", keys.join(", ")));
    }
    if !omitted.is_empty() {
        let names: Vec<String> = omitted
            .iter()
            .map(|n| format!("`{}`", model[*n].name))
            .collect();
        facts.push(format!(
            "Navigation properties left out by the filter (their targets are not generated): {}.",
            names.join(", ")
        ));
    }
    if s.has_stream {
        facts.push("Media entity: its content is a stream.".to_string());
    }
    let type_doc_lines =
        super::docs::doc_lines(model, NodeRef::Type(t), &ty.extras.annotations, &facts);
    let deprecated = deprecation(model, NodeRef::Type(t), &ty.extras.annotations);

    let mut order: Vec<usize> = (0..fields.len()).collect();
    order.sort_by(|x, y| {
        let (x, y) = (&fields[*x].text.wire, &fields[*y].text.wire);
        x.as_bytes().cmp(y.as_bytes())
    });
    // Indices of the properties create and update bodies leave out; the trait's defaults
    // (empty) when there are none.
    let skips = |pick: fn(&Field) -> bool| -> Vec<usize> {
        fields
            .iter()
            .enumerate()
            .filter(|(_, f)| pick(f))
            .map(|(i, _)| i)
            .collect()
    };
    let texts: Vec<&super::text::FieldText> = fields.iter().map(|f| &f.text).collect();
    let text = super::text::structured(&super::text::StructText {
        attrs: super::text::Attrs {
            gate: &gate.text,
            doc_lines: &type_doc_lines,
            deprecated: deprecated.as_deref(),
        },
        name: &ident(&ty.rust_name).to_string(),
        qualified: &qualified,
        fields: &texts,
        sorted: &order,
        open: s.open,
        version: match version_of(model, t) {
            ODataVersion::V2 => "V2",
            ODataVersion::V3 => "V3",
            ODataVersion::V4 => "V4",
        },
        read_only: &skips(|f| f.read_only),
        immutable: &skips(|f| f.immutable && !f.read_only),
        navigation: &skips(|f| f.navigation),
        entity: ty.is_entity(),
    });
    let mut pieces = vec![Piece::Text(text)];
    if ty.is_entity() {
        let for_create = for_create(model, a, t, &fields, gate);
        if !for_create.is_empty() {
            pieces.push(Piece::Tokens(for_create));
        }
    }
    pieces
}

/// `T::for_create(required…)`: a value with the properties the documentation requires when
/// creating a `T` (`Capabilities.InsertRestrictions/RequiredProperties`), ready for
/// `collection.create(&value)` once optional properties are set; with many, `T::for_create(TRequired
/// { a, b, … })`, by name (the struct is named by the analysis). Nothing when none are known.
fn for_create(
    model: &Model,
    a: &Analysis,
    t: TypeId,
    fields: &[Field],
    gate: &Gate,
) -> TokenStream {
    let picked: Vec<&Field> = (a.create_requirements.get(&t).into_iter().flatten())
        .filter_map(|r| fields.iter().find(|f| &f.text.wire == r))
        .collect();
    if picked.is_empty() {
        return TokenStream::new();
    }
    let names: Vec<String> = picked
        .iter()
        .map(|f| format!("`{}`", f.text.wire))
        .collect();
    let (q, name, gate) = (
        model.qualified_name(t),
        ident(&model[t].rust_name),
        &gate.tokens,
    );
    let Some(req_name) = a.required_structs.get(&t) else {
        let doc = format!(
            " A `{q}` with the properties required when creating one ({}); set others on the value, then pass it to the collection's `create`.",
            names.join(", ")
        );
        let params = picked.iter().map(|f| {
            let p = ident(&f.rust_name);
            let vt = &f.value_type;
            quote! { #p: impl ::core::convert::Into<#vt> }
        });
        let inits = picked.iter().map(|f| {
            let p = ident(&f.rust_name);
            quote! { #p: ::core::option::Option::Some(#p.into()) }
        });
        return quote! {
            #gate
            impl #name {
                #[doc = #doc]
                pub fn for_create(#(#params),*) -> Self {
                    Self { #(#inits,)* ..::core::default::Default::default() }
                }
            }
        };
    };
    // Many required properties are passed by name, in a `{T}Required` struct (a positional
    // list of a dozen `impl Into<…>` arguments is unreadable at the call site).
    let req = ident(req_name);
    let doc_struct = format!(
        " The properties required when creating a `{q}`, by name: the argument of [`{}::for_create`].",
        model[t].rust_name
    );
    let doc_fn = format!(
        " A `{q}` with the properties required when creating one ({}), given by name in a [`{req_name}`]; set others on the value, then pass it to the collection's `create`.",
        names.join(", ")
    );
    let fields = picked.iter().map(|f| {
        let p = ident(&f.rust_name);
        let vt = &f.value_type;
        let doc = format!(" `{}`.", f.text.wire);
        quote! { #[doc = #doc] pub #p: #vt }
    });
    let inits = picked.iter().map(|f| {
        let p = ident(&f.rust_name);
        quote! { #p: ::core::option::Option::Some(required.#p) }
    });
    quote! {
        #gate
        #[doc = #doc_struct]
        #[derive(Clone, Debug, PartialEq)]
        pub struct #req { #(#fields,)* }
        #gate
        impl #name {
            #[doc = #doc_fn]
            pub fn for_create(required: #req) -> Self {
                Self { #(#inits,)* ..::core::default::Default::default() }
            }
        }
    }
}

fn emit_polymorphic(model: &Model, a: &Analysis, t: TypeId, gate: &Gate) -> TokenStream {
    let poly = &a.polymorphic[&t];
    let name = ident(&poly.enum_name);
    let unknown = ident(&poly.unknown_variant);
    let unknown_s = poly.unknown_variant.trim_start_matches("r#");
    let module = &model[model[t].schema].rust_module;
    let base = type_path(model, t, module);
    let qualified = model.qualified_name(t);
    let doc =
        format!(" A `{qualified}` or any type derived from it, told apart by the JSON type tag.");
    let doc2 = " A value without a tag is the declared type; a tag this crate does not know is kept, with all data, as `Unknown`.".to_string();

    let mut variants = Vec::new();
    let mut types = Vec::new();
    let mut streamed = Vec::new();
    let mut writes = Vec::new();
    let (mut clones, mut eqs, mut debugs) = (Vec::new(), Vec::new(), Vec::new());
    for (i, (vt, vname)) in poly.variants.iter().enumerate() {
        let v = ident(vname);
        let p = type_path(model, *vt, module);
        let i = lit_usize(i);
        let vdoc = format!(" `{}`", model.qualified_name(*vt));
        // A derived type in other areas than the base: its variant exists only when it is compiled.
        let gate = match a.areas_of.get(vt) {
            Some(areas) if *vt != t => {
                let predicate = super::cfg_predicate(areas);
                quote! { #[cfg(#predicate)] }
            }
            _ => TokenStream::new(),
        };
        variants.push(quote! { #gate #[doc = #vdoc] #v(::std::boxed::Box<#p>), });
        let vs = vname.trim_start_matches("r#");
        clones.push(quote! { #gate Self::#v(v) => Self::#v(::core::clone::Clone::clone(v)), });
        eqs.push(quote! { #gate (Self::#v(a), Self::#v(b)) => a == b, });
        debugs.push(quote! { #gate Self::#v(v) => f.debug_tuple(#vs).field(v).finish(), });
        types.push(model.qualified_name(*vt));
        streamed.push(quote! { #gate Some(#i) => rt::de_variant_after_tag(read, map, Self::#v), });
        writes.push(if types.len() == 1 {
            quote! { Self::#v(v) => rt::ser_struct(&**v, serializer), }
        } else {
            quote! { #gate Self::#v(v) => rt::ser_tagged(&**v, serializer), }
        });
    }
    let udoc =
        " A derived type this crate does not know; its tag and properties are kept in `extra`.";
    let gate = &gate.tokens;
    quote! {
        #gate
        #[doc = #doc]
        #[doc = ""]
        #[doc = #doc2]
        pub enum #name {
            #(#variants)*
            #[doc = #udoc]
            #unknown(::std::boxed::Box<#base>),
        }
        // `Clone`, `PartialEq` and `Debug` written out, as the derives would give them: the derive
        // machinery costs the compiler more than the impls (issue 14).
        #gate
        impl ::core::clone::Clone for #name {
            #[inline]
            fn clone(&self) -> Self {
                match self {
                    #(#clones)*
                    Self::#unknown(v) => Self::#unknown(::core::clone::Clone::clone(v)),
                }
            }
        }
        #gate
        impl ::core::cmp::PartialEq for #name {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                match (self, other) {
                    #(#eqs)*
                    (Self::#unknown(a), Self::#unknown(b)) => a == b,
                    _ => false,
                }
            }
        }
        #gate
        impl ::core::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    #(#debugs)*
                    Self::#unknown(v) => f.debug_tuple(#unknown_s).field(v).finish(),
                }
            }
        }
        #gate
        impl rt::Polymorphic for #name {
            const TYPES: &'static [&'static str] = &[#(#types),*];
            const ALIASES: &'static [(&'static str, &'static str)] = super::ODATA_ALIASES;
            fn read_variant_from<'de, A: rt::serde::de::MapAccess<'de>>(index: ::core::option::Option<usize>, read: rt::Leading, map: A) -> ::core::result::Result<Self, A::Error> {
                match index {
                    #(#streamed)*
                    _ => rt::de_variant_after_tag(read, map, Self::#unknown),
                }
            }
            fn write_variant<S: rt::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    #(#writes)*
                    Self::#unknown(v) => rt::ser_struct(&**v, serializer),
                }
            }
        }
        #gate
        rt::impl_polymorphic_serde!(#name);
    }
}

fn emit_enum(model: &Model, a: &Analysis, t: TypeId, e: &EnumType, gate: &Gate) -> Piece {
    let ty = &model[t];
    let qualified = model.qualified_name(t);
    let mut facts = vec![format!(
        "OData enum type `{qualified}`{}, underlying type `{}`.",
        if e.is_flags {
            " (flags: use it through `odata_runtime::Flags`)"
        } else {
            ""
        },
        e.underlying.edm_name()
    )];
    facts.push("Members this crate does not know are kept in the last variant.".to_string());
    let type_doc_lines =
        super::docs::doc_lines(model, NodeRef::Type(t), &ty.extras.annotations, &facts);
    let deprecated = deprecation(model, NodeRef::Type(t), &ty.extras.annotations);

    let mut variants = Vec::new();
    for (i, m) in e.members.iter().enumerate() {
        let node = NodeRef::Member(t, i as u32);
        let fact = format!("`{}` = {}", m.name, m.value);
        variants.push(super::text::VariantText {
            doc_lines: super::docs::doc_lines(model, node, &m.extras.annotations, &[fact]),
            deprecated: deprecation(model, node, &m.extras.annotations),
            ident: ident(&m.rust_name).to_string(),
        });
    }
    let unknown = ident(&a.unknown_variants[&t]).to_string();
    let values: Vec<i64> = e.members.iter().map(|m| m.value).collect();
    Piece::Text(super::text::enum_items(&super::text::EnumText {
        attrs: super::text::Attrs {
            gate: &gate.text,
            doc_lines: &type_doc_lines,
            deprecated: deprecated.as_deref(),
        },
        name: &ident(&ty.rust_name).to_string(),
        qualified: &qualified,
        variants,
        unknown: &unknown,
        members: e.members.iter().map(|m| m.name.clone()).collect(),
        values: &values,
        flags: e.is_flags,
    }))
}

fn emit_definition(model: &Model, t: TypeId, d: &TypeDefinition, gate: &Gate) -> TokenStream {
    let ty = &model[t];
    let name = ident(&ty.rust_name);
    let qualified = model.qualified_name(t);
    let mut fact = format!(
        "OData type definition `{qualified}` of `{}`",
        d.underlying.written()
    );
    let ff = facet_facts(&d.facets, false);
    if !ff.is_empty() {
        fact.push_str(&format!(" ({})", ff.join(", ")));
    }
    fact.push('.');
    let docs = doc_attrs(model, NodeRef::Type(t), &ty.extras.annotations, &[fact]);
    let dep = super::docs::deprecated_attr(
        deprecation(model, NodeRef::Type(t), &ty.extras.annotations).as_deref(),
    );
    let (inner, codec) = match d.underlying.target {
        TypeTarget::Primitive(p) => primitive(p, version_of(model, t)),
        _ => (quote! { rt::Json }, None),
    };
    let gate = &gate.tokens;
    let serde = match codec {
        Some(c) => quote! { #gate rt::impl_newtype_serde!(#name as #c); },
        None => quote! { #gate rt::impl_newtype_serde!(#name); },
    };
    quote! {
        #gate
        #docs
        #dep
        #[derive(Clone, Debug, PartialEq)]
        pub struct #name(pub #inner);
        #serde
    }
}
