//! Type emitters: a struct per entity and complex type (inherited properties included), an
//! `Any{Name}` enum per type with derived types, an enum per enum type, a newtype per type
//! definition. All serde work is delegated to the runtime through static tables.

use super::analysis::Analysis;
use super::docs::{deprecation, doc_attrs};
use super::ident;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The items of one type, in order: its struct, enum or newtype, and for a type with derived
/// types its `Any{Name}` enum right after it.
pub fn emit_type(model: &Model, a: &Analysis, t: TypeId) -> TokenStream {
    let mut out = TokenStream::new();
    for piece in emit_type_pieces(model, a, t, false) {
        match piece {
            Piece::Tokens(ts) => out.extend(ts),
            Piece::Text(_) => unreachable!("no text pieces without `fast`"),
        }
    }
    out
}

/// Part of a type's items: tokens still to format, or items already formatted as text.
pub enum Piece {
    Tokens(TokenStream),
    Text(String),
}

/// The text of `pieces` in order, formatting the token pieces (`path` names the file in errors).
pub fn render_pieces(path: &str, pieces: Vec<Piece>) -> Result<String, crate::write::WriteError> {
    let mut text = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => text.push_str(&t),
            Piece::Tokens(ts) => text.push_str(&crate::write::format_tokens(path, ts)?),
        }
    }
    Ok(text)
}

/// The items of one type, in order; with `fast`, the `rt::Structured` impls come as formatted
/// text where [`super::text`] can write them (the same text `prettyplease` would produce).
pub fn emit_type_pieces(model: &Model, a: &Analysis, t: TypeId, fast: bool) -> Vec<Piece> {
    match &model[t].kind {
        TypeKind::Entity(_) | TypeKind::Complex(_) => {
            let mut pieces = emit_struct(model, a, t, fast);
            pieces.push(Piece::Tokens(super::filter::handles(model, a, t)));
            if a.polymorphic.contains_key(&t) {
                pieces.push(Piece::Tokens(emit_polymorphic(model, a, t)));
            }
            pieces
        }
        TypeKind::Enum(e) => vec![emit_enum(model, t, e, fast)],
        TypeKind::Definition(d) => vec![Piece::Tokens(emit_definition(model, t, d))],
    }
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

/// Rust type and codec (when the runtime needs one beyond plain serde) of a primitive.
/// V2 and V3 JSON write `Edm.Int64` and `Edm.Decimal` as strings, V4 as numbers.
pub(super) fn primitive(p: Primitive, version: ODataVersion) -> (TokenStream, Option<TokenStream>) {
    let v4 = version == ODataVersion::V4;
    match p {
        Primitive::Int64 if !v4 => (quote! { i64 }, Some(quote! { rt::codec::Int64String })),
        Primitive::Decimal if !v4 => (
            quote! { rt::Decimal },
            Some(quote! { rt::codec::DecimalString }),
        ),
        Primitive::String => (quote! { ::std::string::String }, None),
        Primitive::Boolean => (quote! { bool }, None),
        Primitive::Byte => (quote! { u8 }, None),
        Primitive::SByte => (quote! { i8 }, None),
        Primitive::Int16 => (quote! { i16 }, None),
        Primitive::Int32 => (quote! { i32 }, None),
        Primitive::Int64 => (quote! { i64 }, Some(quote! { rt::codec::Int64 })),
        Primitive::Single => (quote! { f32 }, Some(quote! { rt::codec::Single })),
        Primitive::Double => (quote! { f64 }, Some(quote! { rt::codec::Double })),
        Primitive::Decimal => (quote! { rt::Decimal }, Some(quote! { rt::codec::Decimal })),
        Primitive::Guid => (quote! { rt::Guid }, None),
        Primitive::DateTimeOffset => (quote! { rt::DateTimeOffset }, None),
        Primitive::Date => (quote! { rt::Date }, None),
        Primitive::TimeOfDay => (quote! { rt::TimeOfDay }, None),
        Primitive::DateTime => (quote! { rt::DateTime }, None),
        Primitive::Duration | Primitive::Time => (quote! { rt::Duration }, None),
        Primitive::Binary => (quote! { rt::Binary }, None),
        Primitive::Stream => (quote! { rt::Stream }, None),
        Primitive::Geography(_) | Primitive::Geometry(_) => (quote! { rt::Geo }, None),
        Primitive::Untyped | Primitive::PrimitiveType => (quote! { rt::Json }, None),
    }
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

/// The namespace of SAP's annotation attributes (`sap:creatable`, `sap:label`, ...).
const SAP_DATA: &str = "http://www.sap.com/Protocols/SAPData";

/// One field of a struct: its declaration and its read and write arms.
struct Field {
    /// Doc lines, deprecation, identifier and codec: what the tokens are made of, turned into
    /// tokens only where the text path is not taken.
    doc_lines: Vec<String>,
    dep: TokenStream,
    ident: proc_macro2::Ident,
    codec: Option<TokenStream>,
    wire: String,
    /// The field's name and its type inside the `Option`.
    rust_name: String,
    value_type: TokenStream,
    /// The `read`/`write` expressions as formatted text, when [`super::text`] can write them.
    text: Option<(String, String)>,
    /// The declaration with its docs as formatted text (indented for a struct body), likewise.
    decl_text: Option<String>,
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
            if model[owner]
                .structured()
                .is_some_and(|s| s.key_properties.contains(&p))
            {
                facts.insert(1, "key".to_string());
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
    let sap_false = |attr: &str| {
        extras
            .foreign
            .iter()
            .any(|f| f.namespace == SAP_DATA && f.name == attr && f.value == "false")
    };
    let (no_create, no_update) = (sap_false("creatable"), sap_false("updatable"));
    let annotated_read_only = super::docs::read_only(model, node, &extras.annotations);
    let read_only = annotated_read_only || (no_create && no_update);
    let immutable =
        !read_only && (super::docs::immutable(model, node, &extras.annotations) || no_update);
    if read_only && !annotated_read_only {
        facts.push("read-only (`sap:creatable` and `sap:updatable` are false)".to_string());
    } else if immutable && no_update {
        facts.push("immutable (`sap:updatable` is false)".to_string());
    }
    let facts_line = facts.join(", ");
    facts.clear();
    facts.push(format!("{facts_line}."));
    let doc_lines = super::docs::doc_lines(model, node, &extras.annotations, &facts);
    let dep = deprecation(model, node, &extras.annotations);
    let from = &model[model[owner].schema].rust_module;
    let (vt, codec) = value_type(model, a, from, Some(owner), &ty, &facets);
    let f = ident(&rust_name);
    // The declaration as text, when it is plain enough for [`super::text`].
    let decl_text = match (dep.is_empty(), super::text::path_text(&vt)) {
        (true, Some(vt)) => super::text::field_decl(
            &doc_lines,
            &format!("pub {f}: ::core::option::Option<{vt}>,"),
        ),
        _ => None,
    };
    let fname = f.to_string();
    let text = match &codec {
        Some(c) => super::text::path_text(c).map(|c| {
            (
                format!("rt::read_as::<{c}, _>(map, &mut self.{fname})"),
                format!("rt::write_as::<{c}, _>(map, name, &self.{fname})"),
            )
        }),
        None => Some((
            format!("rt::read(map, &mut self.{fname})"),
            format!("rt::write(map, name, &self.{fname})"),
        )),
    };
    Field {
        doc_lines,
        dep,
        ident: f,
        codec,
        wire: name,
        read_only,
        immutable,
        navigation: matches!(member, Member::Navigation(_)),
        text,
        decl_text,
        rust_name,
        value_type: vt,
    }
}

impl Field {
    fn decl(&self) -> TokenStream {
        let (doc_lines, dep, f, vt) = (&self.doc_lines, &self.dep, &self.ident, &self.value_type);
        quote! { #(#[doc = #doc_lines])* #dep pub #f: ::core::option::Option<#vt>, }
    }

    fn read(&self) -> TokenStream {
        let f = &self.ident;
        match &self.codec {
            Some(c) => quote! { rt::read_as::<#c, _>(map, &mut self.#f) },
            None => quote! { rt::read(map, &mut self.#f) },
        }
    }

    fn write(&self) -> TokenStream {
        let f = &self.ident;
        match &self.codec {
            Some(c) => quote! { rt::write_as::<#c, _>(map, name, &self.#f) },
            None => quote! { rt::write(map, name, &self.#f) },
        }
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

fn version_tokens(model: &Model, t: TypeId) -> TokenStream {
    match version_of(model, t) {
        ODataVersion::V2 => quote! { rt::Version::V2 },
        ODataVersion::V3 => quote! { rt::Version::V3 },
        ODataVersion::V4 => quote! { rt::Version::V4 },
    }
}

fn emit_struct(model: &Model, a: &Analysis, t: TypeId, fast: bool) -> Vec<Piece> {
    let ty = &model[t];
    let s = ty.structured().expect("structured");
    let name = ident(&ty.rust_name);
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
    if ty.is_entity() && !s.key_properties.is_empty() {
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
    let docs = quote! { #(#[doc = #type_doc_lines])* };
    let dep = deprecation(model, NodeRef::Type(t), &ty.extras.annotations);

    let wires: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
    let mut order: Vec<usize> = (0..fields.len()).collect();
    order.sort_by(|x, y| wires[*x].as_bytes().cmp(wires[*y].as_bytes()));
    let open = s.open;
    let version = version_tokens(model, t);

    let (read_body, write_body) = if fields.is_empty() {
        (
            quote! { let _ = index; rt::skip(map) },
            quote! { let _ = (index, name, map); Ok(false) },
        )
    } else {
        let idx: Vec<_> = (0..fields.len()).map(lit_usize).collect();
        let reads = fields.iter().map(Field::read);
        let writes = fields.iter().map(Field::write);
        (
            quote! { match index { #(#idx => #reads,)* _ => rt::skip(map), } },
            quote! { match index { #(#idx => #writes,)* _ => Ok(false), } },
        )
    };

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
    let read_only_list = skips(|f| f.read_only);
    let immutable_list = skips(|f| f.immutable && !f.read_only);
    let navigation_list = skips(|f| f.navigation);
    let entity = ty.is_entity();
    let for_create = if ty.is_entity() {
        for_create(model, t, &fields)
    } else {
        TokenStream::new()
    };
    let head = || {
        let decls = fields.iter().map(Field::decl);
        quote! {
            #docs
            #dep
            #[derive(Clone, Debug, Default, PartialEq)]
            pub struct #name {
                #(#decls)*
                /// Annotations, dynamic and unknown properties, and properties to write as explicit `null`.
                pub extra: rt::Extra,
            }
        }
    };
    if fast && fields.iter().all(|f| f.text.is_some()) {
        let name_text = name.to_string();
        let text = super::text::structured_impl(&super::text::StructuredText {
            name: &name_text,
            qualified: &qualified,
            fields: fields
                .iter()
                .map(|f| {
                    let (read, write) = f.text.clone().unwrap_or_default();
                    super::text::FieldText {
                        wire: f.wire.clone(),
                        read,
                        write,
                    }
                })
                .collect(),
            sorted: &order,
            open: s.open,
            version: match version_of(model, t) {
                ODataVersion::V2 => "V2",
                ODataVersion::V3 => "V3",
                ODataVersion::V4 => "V4",
            },
            read_only: &read_only_list,
            immutable: &immutable_list,
            navigation: &navigation_list,
            entity,
        });
        if let Some(text) = text {
            let head = match struct_head_text(&name.to_string(), &type_doc_lines, &dep, &fields) {
                Some(h) => Piece::Text(h),
                None => Piece::Tokens(head()),
            };
            let mut pieces = vec![head, Piece::Text(text)];
            if !for_create.is_empty() {
                pieces.push(Piece::Tokens(for_create));
            }
            return pieces;
        }
    }
    let read_only = (!read_only_list.is_empty()).then(|| {
        let i = read_only_list.iter().map(|i| lit_usize(*i));
        quote! { const READ_ONLY: &'static [u16] = &[#(#i),*]; }
    });
    let immutable = (!immutable_list.is_empty()).then(|| {
        let i = immutable_list.iter().map(|i| lit_usize(*i));
        quote! { const IMMUTABLE: &'static [u16] = &[#(#i),*]; }
    });
    let navigation = (!navigation_list.is_empty()).then(|| {
        let i = navigation_list.iter().map(|i| lit_usize(*i));
        quote! { const NAVIGATION: &'static [u16] = &[#(#i),*]; }
    });
    let entity = entity.then(|| quote! { const ENTITY: bool = true; });
    let sorted = order.iter().map(|i| lit_usize(*i));

    let head = head();
    vec![Piece::Tokens(quote! {
        #head
        impl rt::Structured for #name {
            const INFO: &'static rt::StructInfo = &rt::StructInfo {
                name: #qualified,
                fields: &[#(#wires),*],
                sorted: &[#(#sorted),*],
                open: #open,
                version: #version,
            };
            #read_only
            #immutable
            #navigation
            #entity
            fn extra(&self) -> &rt::Extra { &self.extra }
            fn extra_mut(&mut self) -> &mut rt::Extra { &mut self.extra }
            fn read_field<'de, A: rt::serde::de::MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> ::core::result::Result<bool, A::Error> {
                #read_body
            }
            fn write_field<M: rt::serde::ser::SerializeMap>(&self, index: usize, name: &'static str, map: &mut M) -> ::core::result::Result<bool, M::Error> {
                #write_body
            }
        }
        rt::impl_structured_serde!(#name);
        #for_create
    })]
}

/// The struct declaration as formatted text, when every part of it is plain enough.
fn struct_head_text(
    name: &str,
    doc_lines: &[String],
    dep: &TokenStream,
    fields: &[Field],
) -> Option<String> {
    if !dep.is_empty() || "pub struct  {".len() + name.len() > super::text::MARGIN {
        return None;
    }
    let mut out = String::new();
    for line in doc_lines {
        out.push_str(&super::text::doc_comment("", line)?);
    }
    out.push_str(
        "#[derive(Clone, Debug, Default, PartialEq)]
",
    );
    out.push_str("pub struct ");
    out.push_str(name);
    out.push_str(
        " {
",
    );
    for f in fields {
        out.push_str(f.decl_text.as_deref()?);
    }
    out.push_str("    /// Annotations, dynamic and unknown properties, and properties to write as explicit `null`.
    pub extra: rt::Extra,
}
");
    Some(out)
}

/// `T::for_create(required…)`: a value with the properties the documentation requires when
/// creating a `T` (`Capabilities.InsertRestrictions/RequiredProperties`), ready for
/// `collection.create(&value)` once optional properties are set. Nothing when none are known.
fn for_create(model: &Model, t: TypeId, fields: &[Field]) -> TokenStream {
    let required = super::docs::required_on_create(model, t);
    let mut seen = std::collections::BTreeSet::new();
    let picked: Vec<&Field> = required
        .iter()
        .filter_map(|r| fields.iter().find(|f| &f.wire == r))
        .filter(|f| seen.insert(f.wire.clone()))
        .collect();
    if picked.is_empty() {
        return TokenStream::new();
    }
    let names: Vec<String> = picked.iter().map(|f| format!("`{}`", f.wire)).collect();
    let doc1 = format!(
        " A `{}` with the properties required when creating one ({}); set others on the value, then pass it to the collection's `create`.",
        model.qualified_name(t),
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
    let name = ident(&model[t].rust_name);
    if picked.len() > NAMED_CREATE_ABOVE {
        return named_for_create(model, t, &picked);
    }
    quote! {
        impl #name {
            #[doc = #doc1]
            pub fn for_create(#(#params),*) -> Self {
                Self { #(#inits,)* ..::core::default::Default::default() }
            }
        }
    }
}

/// More required properties than this, and `for_create` takes them by name, in a struct.
const NAMED_CREATE_ABOVE: usize = 4;

/// `T::for_create(TRequired { a, b, … })`: many required properties are passed by name (a
/// positional list of a dozen `impl Into<…>` arguments is unreadable at the call site). The
/// struct is `{T}Required`, or `{T}Required2`, … when a type of the schema has that name.
fn named_for_create(model: &Model, t: TypeId, picked: &[&Field]) -> TokenStream {
    let base = format!("{}Required", model[t].rust_name);
    let taken = |n: &str| {
        model
            .schemas
            .iter()
            .flat_map(|s| &s.types)
            .any(|x| model[*x].schema == model[t].schema && model[*x].rust_name == n)
    };
    let mut req_name = base.clone();
    let mut n = 2;
    while taken(&req_name) {
        req_name = format!("{base}{n}");
        n += 1;
    }
    let req = ident(&req_name);
    let name = ident(&model[t].rust_name);
    let names: Vec<String> = picked.iter().map(|f| format!("`{}`", f.wire)).collect();
    let doc_struct = format!(
        " The properties required when creating a `{}`, by name: the argument of [`{}::for_create`].",
        model.qualified_name(t),
        model[t].rust_name
    );
    let doc_fn = format!(
        " A `{}` with the properties required when creating one ({}), given by name in a [`{req_name}`]; set others on the value, then pass it to the collection's `create`.",
        model.qualified_name(t),
        names.join(", ")
    );
    let fields = picked.iter().map(|f| {
        let p = ident(&f.rust_name);
        let vt = &f.value_type;
        let doc = format!(" `{}`.", f.wire);
        quote! { #[doc = #doc] pub #p: #vt }
    });
    let inits = picked.iter().map(|f| {
        let p = ident(&f.rust_name);
        quote! { #p: ::core::option::Option::Some(required.#p) }
    });
    quote! {
        #[doc = #doc_struct]
        #[derive(Clone, Debug, PartialEq)]
        pub struct #req { #(#fields,)* }
        impl #name {
            #[doc = #doc_fn]
            pub fn for_create(required: #req) -> Self {
                Self { #(#inits,)* ..::core::default::Default::default() }
            }
        }
    }
}

fn emit_polymorphic(model: &Model, a: &Analysis, t: TypeId) -> TokenStream {
    let poly = &a.polymorphic[&t];
    let name = ident(&poly.enum_name);
    let unknown = ident(&poly.unknown_variant);
    let module = &model[model[t].schema].rust_module;
    let base = type_path(model, t, module);
    let qualified = model.qualified_name(t);
    let doc =
        format!(" A `{qualified}` or any type derived from it, told apart by the JSON type tag.");
    let doc2 = " A value without a tag is the declared type; a tag this crate does not know is kept, with all data, as `Unknown`.".to_string();

    let mut variants = Vec::new();
    let mut types = Vec::new();
    let mut reads = Vec::new();
    let mut writes = Vec::new();
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
        types.push(model.qualified_name(*vt));
        reads.push(quote! { #gate Some(#i) => Self::#v(rt::serde_json::from_value(value)?), });
        writes.push(if types.len() == 1 {
            quote! { Self::#v(v) => rt::ser_struct(&**v, serializer), }
        } else {
            quote! { #gate Self::#v(v) => rt::ser_tagged(&**v, serializer), }
        });
    }
    let udoc =
        " A derived type this crate does not know; its tag and properties are kept in `extra`.";
    quote! {
        #[doc = #doc]
        #[doc = ""]
        #[doc = #doc2]
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
            #[doc = #udoc]
            #unknown(::std::boxed::Box<#base>),
        }
        impl rt::Polymorphic for #name {
            const TYPES: &'static [&'static str] = &[#(#types),*];
            const ALIASES: &'static [(&'static str, &'static str)] = super::ODATA_ALIASES;
            fn read_variant(index: ::core::option::Option<usize>, value: rt::serde_json::Value) -> ::core::result::Result<Self, rt::serde_json::Error> {
                Ok(match index {
                    #(#reads)*
                    _ => Self::#unknown(rt::serde_json::from_value(value)?),
                })
            }
            fn write_variant<S: rt::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    #(#writes)*
                    Self::#unknown(v) => rt::ser_struct(&**v, serializer),
                }
            }
        }
        rt::impl_polymorphic_serde!(#name);
    }
}

fn emit_enum(model: &Model, t: TypeId, e: &EnumType, fast: bool) -> Piece {
    let ty = &model[t];
    let name = ident(&ty.rust_name);
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
    let docs = quote! { #(#[doc = #type_doc_lines])* };
    let dep = deprecation(model, NodeRef::Type(t), &ty.extras.annotations);

    let mut scope = crate::naming::Scope::with_separator("");
    let mut variants = Vec::new();
    let mut froms = Vec::new();
    let mut indexes = Vec::new();
    let mut texts = Vec::new();
    let mut plain = fast && dep.is_empty();
    for (i, m) in e.members.iter().enumerate() {
        let v = ident(&scope.claim(m.rust_name.clone()));
        let node = NodeRef::Member(t, i as u32);
        let fact = format!("`{}` = {}", m.name, m.value);
        let doc_lines = super::docs::doc_lines(model, node, &m.extras.annotations, &[fact]);
        let dep = deprecation(model, node, &m.extras.annotations);
        plain &= dep.is_empty();
        variants.push(quote! { #(#[doc = #doc_lines])* #dep #v, });
        if plain {
            texts.push(super::text::VariantText {
                doc_lines,
                ident: v.to_string(),
            });
        }
        let i = lit_usize(i);
        froms.push(quote! { #i => Some(Self::#v), });
        indexes.push(quote! { Self::#v => Ok(#i), });
    }
    let unknown = ident(&scope.claim("Unknown".to_string()));
    if plain {
        let values: Vec<i64> = e.members.iter().map(|m| m.value).collect();
        let text = super::text::enum_items(&super::text::EnumText {
            name: &name.to_string(),
            doc_lines: &type_doc_lines,
            qualified: &qualified,
            variants: texts,
            unknown: &unknown.to_string(),
            members: e.members.iter().map(|m| m.name.clone()).collect(),
            values: &values,
            flags: e.is_flags,
        });
        if let Some(text) = text {
            return Piece::Text(text);
        }
    }
    let members: Vec<&str> = e.members.iter().map(|m| m.name.as_str()).collect();
    let values = e
        .members
        .iter()
        .map(|m| proc_macro2::Literal::i64_unsuffixed(m.value));
    let flags = e.is_flags;
    let from_body = if froms.is_empty() {
        quote! { let _ = index; None }
    } else {
        quote! { match index { #(#froms)* _ => None, } }
    };
    Piece::Tokens(quote! {
        #docs
        #dep
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A member this crate does not know, as the service wrote it.
            #unknown(::std::string::String),
        }
        impl rt::EnumType for #name {
            const INFO: &'static rt::EnumInfo = &rt::EnumInfo {
                name: #qualified,
                members: &[#(#members),*],
                values: &[#(#values),*],
                flags: #flags,
            };
            fn from_index(index: usize) -> ::core::option::Option<Self> {
                #from_body
            }
            fn index(&self) -> ::core::result::Result<usize, &str> {
                match self {
                    #(#indexes)*
                    Self::#unknown(s) => Err(s),
                }
            }
            fn unknown(name: ::std::string::String) -> Self {
                Self::#unknown(name)
            }
        }
        rt::impl_enum_serde!(#name);
    })
}

fn emit_definition(model: &Model, t: TypeId, d: &TypeDefinition) -> TokenStream {
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
    let dep = deprecation(model, NodeRef::Type(t), &ty.extras.annotations);
    let (inner, codec) = match d.underlying.target {
        TypeTarget::Primitive(p) => primitive(p, version_of(model, t)),
        _ => (quote! { rt::Json }, None),
    };
    let serde = match codec {
        Some(c) => quote! { rt::impl_newtype_serde!(#name as #c); },
        None => quote! { rt::impl_newtype_serde!(#name); },
    };
    quote! {
        #docs
        #dep
        #[derive(Clone, Debug, PartialEq)]
        pub struct #name(pub #inner);
        #serde
    }
}
