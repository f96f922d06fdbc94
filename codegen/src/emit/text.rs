//! The printer of the fixed shapes, written straight as text (no tokens, `syn` or `prettyplease`).
//!
//! Most of a large crate's lines come in a few fixed shapes: the `rt::Structured` impls (Graph
//! v1.0: 166,000 of 446,000 lines), struct declarations, enum types with their `rt::EnumType`
//! impls, and the builders' boilerplate. These are printed here and only here;
//! every other item is built as tokens and formatted by the render stage ([`crate::render`]).
//!
//! The layout follows `rustfmt`'s habits (four-space indents, one item per line, a match arm on
//! its line when it fits within [`MARGIN`] columns, else its expression in a block; arrays on one
//! line when they fit, else integers filled and other items one per line). Generated modules are
//! `#[rustfmt::skip]`: the golden snapshots (`tests/golden`) are what defines this layout.

use proc_macro2::{TokenStream, TokenTree};
use std::fmt::Write as _;

/// The line width: text that ends at or before this column stays on its line.
pub const MARGIN: usize = 89;

/// What every printed item may carry before it: its `#[cfg(...)]` (area features), doc lines and
/// deprecation note.
#[derive(Clone, Copy, Default)]
pub struct Attrs<'a> {
    /// The `#[cfg(...)]` line (with its newline) every item of a type is compiled under, or "".
    pub gate: &'a str,
    pub doc_lines: &'a [String],
    pub deprecated: Option<&'a str>,
}

impl Attrs<'_> {
    fn write(&self, out: &mut String, indent: &str) {
        out.push_str(self.gate);
        for line in self.doc_lines {
            out.push_str(&doc_comment(indent, line));
        }
        if let Some(note) = self.deprecated {
            let _ = writeln!(
                out,
                "{indent}#[deprecated(note = {})]",
                string_literal(note)
            );
        }
    }
}

/// `#[cfg(feature = "a")]` for one area, `#[cfg(any(feature = "a", ...))]` for several, with a
/// newline; "" for none.
pub fn gate_line(areas: Option<&[String]>) -> String {
    match areas {
        None => String::new(),
        Some(areas) => format!("#[cfg({})]\n", predicate(areas)),
    }
}

/// `feature = "a"` for one area, `any(feature = "a", ...)` for several (one feature per line
/// when the attribute would not fit on one).
fn predicate(areas: &[String]) -> String {
    let fs: Vec<String> = areas
        .iter()
        .map(|a| format!("feature = {}", string_literal(a)))
        .collect();
    match fs.as_slice() {
        [one] => one.clone(),
        _ if "#[cfg(any())]".len() + fs.join(", ").len() <= MARGIN => {
            format!("any({})", fs.join(", "))
        }
        _ => format!("any(\n    {}\n)", fs.join(",\n    ")),
    }
}

/// One field of a struct: its doc lines, deprecation, declaration and codec.
pub struct FieldText {
    pub doc_lines: Vec<String>,
    pub deprecated: Option<String>,
    /// The identifier as written (`r#` form for raw identifiers).
    pub ident: String,
    pub wire: String,
    /// The value's type inside the `Option`.
    pub value_type: String,
    /// The codec path, when plain serde does not do.
    pub codec: Option<String>,
}

/// What a struct and its `Structured` impl are made of.
pub struct StructText<'a> {
    pub attrs: Attrs<'a>,
    /// The type's identifier as written (`r#` form for raw identifiers).
    pub name: &'a str,
    pub qualified: &'a str,
    pub fields: &'a [&'a FieldText],
    pub sorted: &'a [usize],
    pub open: bool,
    /// `V2`, `V3` or `V4`.
    pub version: &'a str,
    pub read_only: &'a [usize],
    pub immutable: &'a [usize],
    pub navigation: &'a [usize],
    /// An entity type (`entity: true` in `INFO`).
    pub entity: bool,
}

/// The struct declaration, its `Default` impl, its `rt::Structured` impl (the description, with
/// the offset of `extra` and the lists of read-only, immutable and navigation properties, and the
/// one `match` reading and writing go through: no other code per field) and its
/// `rt::impl_structured!` line (serde, `Debug`, `Clone` and `PartialEq`
/// through the description and that `match`). The macro stays: writing its impls out measured
/// no faster for the complete Graph crate and added 80,000 lines that an area build parses
/// before its `#[cfg]`s drop them; `Clone` and `PartialEq` were written out field by field, and
/// going through the `match` instead took 80 MB off `cargo check` of the complete Graph crate
/// (issue 14).
pub fn structured(s: &StructText<'_>) -> String {
    let gate = s.attrs.gate;
    let mut out = String::with_capacity(512 + s.fields.len() * 240);
    s.attrs.write(&mut out, "");
    let _ = writeln!(out, "pub struct {} {{", s.name);
    for f in s.fields {
        let attrs = Attrs {
            gate: "",
            doc_lines: &f.doc_lines,
            deprecated: f.deprecated.as_deref(),
        };
        attrs.write(&mut out, "    ");
        let _ = writeln!(
            out,
            "    pub {}: ::core::option::Option<{}>,",
            f.ident, f.value_type
        );
    }
    out.push_str(
        "    /// Annotations, dynamic and unknown properties, and properties to write as explicit `null`.
    pub extra: rt::Extra,
}
",
    );
    default_impl(&mut out, gate, s.name, s.fields);
    out.push_str(gate);
    let _ = writeln!(out, "unsafe impl rt::Structured for {} {{", s.name);
    out.push_str("    const INFO: &'static rt::StructInfo = &rt::StructInfo {\n");
    let _ = writeln!(out, "        name: {},", string_literal(s.qualified));
    let wires: Vec<String> = s.fields.iter().map(|f| string_literal(&f.wire)).collect();
    array(&mut out, 8, "fields: &[", &wires, false, "],");
    let sorted: Vec<String> = s.sorted.iter().map(usize::to_string).collect();
    array(&mut out, 8, "sorted: &[", &sorted, true, "],");
    let _ = writeln!(out, "        open: {},", s.open);
    let _ = writeln!(out, "        version: rt::Version::{},", s.version);
    out.push_str("        extra: ::core::mem::offset_of!(Self, extra),\n");
    let _ = writeln!(out, "        entity: {},", s.entity);
    let lists = [
        ("read_only", s.read_only),
        ("immutable", s.immutable),
        ("navigation", s.navigation),
    ];
    for (label, list) in lists {
        let items: Vec<String> = list.iter().map(usize::to_string).collect();
        array(&mut out, 8, &format!("{label}: &["), &items, true, "],");
    }
    out.push_str(
        "    };
    unsafe fn field<O: rt::FieldOp>(
        this: *mut Self,
        index: usize,
        op: &mut O,
    ) -> ::core::result::Result<bool, O::Error> {
",
    );
    if s.fields.is_empty() {
        out.push_str("        let _ = (this, index);\n        op.unknown()\n");
    } else {
        // One `unsafe` block: every arm hands `op` a pointer to a field of `*this`, as the
        // trait's contract says.
        out.push_str(
            "        // SAFETY: each arm hands `op` a pointer to a field of `*this` (the trait's contract).\n        unsafe {\n            match index {\n",
        );
        for (i, f) in s.fields.iter().enumerate() {
            let call = match &f.codec {
                Some(c) => format!("op.codec::<{c}>(&raw mut (*this).{})", f.ident),
                None => format!("op.plain(&raw mut (*this).{})", f.ident),
            };
            arm_at(&mut out, 16, i, &call);
        }
        out.push_str("                _ => op.unknown(),\n            }\n        }\n");
    }
    out.push_str("    }\n}\n");
    out.push_str(gate);
    let _ = writeln!(out, "rt::impl_structured!({}, Clone, PartialEq);", s.name);
    out
}

/// `Default` of a struct, written out: every field `None`, `extra` empty. Unlike `Clone` and
/// `PartialEq` not through the field `match`: reading starts from it, and straight-line code is
/// 2.6x as fast as a loop over that `match` (150 against 400 ns a Graph user), while it costs
/// the compiler no measurable memory (issue 14).
fn default_impl(out: &mut String, gate: &str, name: &str, fields: &[&FieldText]) {
    out.push_str(gate);
    let _ = writeln!(out, "impl ::core::default::Default for {name} {{");
    out.push_str("    #[inline]\n    fn default() -> Self {\n        Self {\n");
    for f in fields {
        let _ = writeln!(
            out,
            "            {}: ::core::option::Option::None,",
            f.ident
        );
    }
    out.push_str("            extra: ::core::default::Default::default(),\n        }\n    }\n}\n");
}

/// A match arm at indent 12: on one line when it fits, else the expression alone in a block.
fn arm(out: &mut String, pattern: impl std::fmt::Display, expr: &str) {
    arm_at(out, 12, pattern, expr);
}

/// A match arm at `indent`, as [`arm`].
fn arm_at(out: &mut String, indent: usize, pattern: impl std::fmt::Display, expr: &str) {
    let pad = " ".repeat(indent);
    let head = format!("{pad}{pattern} => ");
    if head.len() + expr.len() <= MARGIN {
        let _ = writeln!(out, "{head}{expr},");
    } else {
        let _ = writeln!(out, "{head}{{\n{pad}    {expr}\n{pad}}}");
    }
}

/// One member of an enum type.
pub struct VariantText {
    pub doc_lines: Vec<String>,
    pub deprecated: Option<String>,
    pub ident: String,
}

/// What an enum type's items are made of.
pub struct EnumText<'a> {
    pub attrs: Attrs<'a>,
    pub name: &'a str,
    pub qualified: &'a str,
    pub variants: Vec<VariantText>,
    /// The identifier of the variant for members this crate does not know.
    pub unknown: &'a str,
    pub members: Vec<String>,
    pub values: &'a [i64],
    pub flags: bool,
}

/// The enum, its `rt::EnumType` impl and its `rt::impl_enum!` line (serde, `Debug`, `Clone`,
/// comparisons and `Hash` through the description and the two `match`es of `rt::EnumType`).
pub fn enum_items(e: &EnumText<'_>) -> String {
    let gate = e.attrs.gate;
    let mut out = String::with_capacity(512 + e.variants.len() * 160);
    e.attrs.write(&mut out, "");
    let _ = writeln!(out, "pub enum {} {{", e.name);
    for v in &e.variants {
        let attrs = Attrs {
            gate: "",
            doc_lines: &v.doc_lines,
            deprecated: v.deprecated.as_deref(),
        };
        attrs.write(&mut out, "    ");
        let _ = writeln!(out, "    {},", v.ident);
    }
    out.push_str("    /// A member this crate does not know, as the service wrote it.\n");
    let _ = writeln!(out, "    {}(::std::string::String),\n}}", e.unknown);
    out.push_str(gate);
    let _ = writeln!(out, "impl rt::EnumType for {} {{", e.name);
    out.push_str("    const INFO: &'static rt::EnumInfo = &rt::EnumInfo {\n");
    let _ = writeln!(out, "        name: {},", string_literal(e.qualified));
    let members: Vec<String> = e.members.iter().map(|m| string_literal(m)).collect();
    array(&mut out, 8, "members: &[", &members, false, "],");
    let values: Vec<String> = e.values.iter().map(i64::to_string).collect();
    array(&mut out, 8, "values: &[", &values, true, "],");
    let _ = writeln!(out, "        flags: {},\n    }};", e.flags);
    out.push_str(
        "    #[inline]\n    fn member_or(index: usize, name: ::std::string::String) -> Self {\n",
    );
    if e.variants.is_empty() {
        let _ = writeln!(
            out,
            "        let _ = index;\n        Self::{}(name)",
            e.unknown
        );
    } else {
        out.push_str("        match index {\n");
        for (i, v) in e.variants.iter().enumerate() {
            arm(&mut out, i, &format!("Self::{}", v.ident));
        }
        arm(&mut out, "_", &format!("Self::{}(name)", e.unknown));
        out.push_str("        }\n");
    }
    out.push_str(
        "    }\n    #[inline]\n    fn index(&self) -> ::core::result::Result<usize, &str> {\n",
    );
    out.push_str("        match self {\n");
    for (i, v) in e.variants.iter().enumerate() {
        arm(&mut out, format!("Self::{}", v.ident), &format!("Ok({i})"));
    }
    arm(&mut out, format!("Self::{}(s)", e.unknown), "Err(s)");
    out.push_str("        }\n    }\n}\n");
    out.push_str(gate);
    let _ = writeln!(out, "rt::impl_enum!({}, Clone);", e.name);
    out
}

/// `prefix[a, b, c]suffix` at `indent`: on one line when it fits; else one item per line, or,
/// for `fill` (integers), as many per line as fit.
fn array(out: &mut String, indent: usize, prefix: &str, items: &[String], fill: bool, end: &str) {
    let pad = " ".repeat(indent);
    let joined = items.join(", ");
    // The closing bracket and the `,` after it must fit too.
    if indent + prefix.len() + joined.len() + end.len() <= MARGIN {
        let _ = writeln!(out, "{pad}{prefix}{joined}{end}");
        return;
    }
    let inner = indent + 4;
    let inner_pad = " ".repeat(inner);
    let _ = writeln!(out, "{pad}{prefix}");
    if fill {
        let last = items.len() - 1;
        let mut col = 0;
        for (k, item) in items.iter().enumerate() {
            // The item and the comma that follows it (the last one's comma is a trailing one,
            // which only appears because the line breaks, so it does not count).
            let seg = item.len() + usize::from(k < last);
            if k == 0 {
                out.push_str(&inner_pad);
                col = inner + seg;
            } else if col + 1 + seg > MARGIN {
                out.push('\n');
                out.push_str(&inner_pad);
                col = inner + seg;
            } else {
                out.push(' ');
                col += 1 + seg;
            }
            out.push_str(item);
            out.push(',');
        }
        out.push('\n');
    } else {
        for item in items {
            let _ = writeln!(out, "{inner_pad}{item},");
        }
    }
    let _ = writeln!(out, "{pad}{end}");
}

/// A request builder's doc lines, its name (`pub type UserItem = Item<super::User>;`: the
/// module's `generic` builder, [`GENERIC_BUILDERS`], for `entity`), then `trait_path`'s impl with
/// `assoc` types.
pub fn builder_boilerplate(
    attrs: Attrs<'_>,
    name: &str,
    generic: &str,
    entity: &str,
    trait_path: &str,
    assoc: &[(&str, &str)],
) -> String {
    let gate = attrs.gate;
    let mut out = String::with_capacity(512);
    attrs.write(&mut out, "");
    let _ = writeln!(out, "pub type {name} = {generic}<{entity}>;");
    out.push_str(gate);
    let _ = writeln!(out, "impl {trait_path} for {name} {{");
    for (n, ty) in assoc {
        let _ = writeln!(out, "    type {n} = {ty};");
    }
    out.push_str("}\n");
    out
}

/// The two builders every entity type's builders are (`UserItem` is `Item<super::User>`,
/// `UserCollection` is `Collection<super::User>`), once per `requests` module: one struct,
/// `Clone` and `rt::PathBuilder` impl each, not one per entity type, which cost the complete
/// Graph crate 100 MB of compiler memory (issue 14). Their names are kept free in the module.
pub const GENERIC_BUILDERS: &str = "\
/// Requests on one entity of type `E`: `get`, `update`, `replace`, `delete` and more from
/// `odata_runtime::prelude::EntityResource`. Each entity type has a name for its own (`UserItem`
/// is `Item<super::User>`), which has the type's navigation properties and bound operations as
/// methods.
#[repr(transparent)]
pub struct Item<E>(rt::Path, ::core::marker::PhantomData<fn() -> E>);
impl<E> ::core::clone::Clone for Item<E> {
    #[inline]
    fn clone(&self) -> Self {
        Self(::core::clone::Clone::clone(&self.0), ::core::marker::PhantomData)
    }
}
// SAFETY: `#[repr(transparent)]` over a `rt::Path`, beside a zero-sized marker; any path is a
// valid builder.
unsafe impl<E> rt::PathBuilder for Item<E> {}
/// Requests on a collection of entities of type `E`: `list`, `create`, `count` and more from
/// `odata_runtime::prelude::CollectionResource`. Each entity type has a name for its own
/// (`UserCollection` is `Collection<super::User>`), which has `by_key` and the type's bound
/// operations as methods.
#[repr(transparent)]
pub struct Collection<E>(rt::Path, ::core::marker::PhantomData<fn() -> E>);
impl<E> ::core::clone::Clone for Collection<E> {
    #[inline]
    fn clone(&self) -> Self {
        Self(::core::clone::Clone::clone(&self.0), ::core::marker::PhantomData)
    }
}
// SAFETY: as for `Item`.
unsafe impl<E> rt::PathBuilder for Collection<E> {}
";

/// `#[cfg(not(...))] pub type Name = rt::Json;` for each of `names`: what a gated type's names
/// mean when none of its areas is on, so fields that refer to it compile either way.
pub fn gated_fallbacks(areas: &[String], names: &[&str]) -> String {
    let predicate = predicate(areas).replace('\n', "\n    ");
    let mut out = String::new();
    for n in names {
        let _ = writeln!(out, "#[cfg(not({predicate}))]");
        out.push_str("/// Not compiled: none of the Cargo features that need this type is on.\n");
        let _ = writeln!(out, "pub type {n} = rt::Json;");
    }
    out
}

/// A string literal as Rust writes it.
pub fn string_literal(s: &str) -> String {
    proc_macro2::Literal::string(s).to_string()
}

/// A type path such as `rt::codec::Nullable<rt::codec::Int64>` as text: identifiers, `::`,
/// angle brackets and `, `; anything else (an extern type written by the user) as the tokens
/// print.
pub fn path_text(tokens: &TokenStream) -> String {
    let mut out = String::new();
    for t in tokens.clone() {
        match t {
            TokenTree::Ident(i) => out.push_str(&i.to_string()),
            TokenTree::Punct(p) if matches!(p.as_char(), ':' | '<' | '>') => out.push(p.as_char()),
            TokenTree::Punct(p) if p.as_char() == ',' => out.push_str(", "),
            other => {
                if !out.is_empty() && !out.ends_with([' ', '<', ':']) {
                    out.push(' ');
                }
                out.push_str(&other.to_string());
            }
        }
    }
    out
}

/// A doc line at `indent`: `///` and the text with trailing spaces trimmed, or `#[doc = "…"]`
/// where `///` cannot say it (a line break, or a text starting with `/`).
pub fn doc_comment(indent: &str, line: &str) -> String {
    if line.contains(['\n', '\r']) || line.starts_with('/') {
        return format!("{indent}#[doc = {}]\n", string_literal(line));
    }
    format!("{indent}///{}\n", line.trim_end_matches(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_arrays_fill_lines_and_others_go_one_per_line() {
        let mut out = String::new();
        let ints: Vec<String> = (0..40).map(|i| (i * 1000).to_string()).collect();
        array(&mut out, 8, "sorted: &[", &ints, true, "],");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "        sorted: &[");
        assert!(lines[1].starts_with("            0, 1000, 2000,"));
        assert!(lines.iter().all(|l| l.len() <= MARGIN), "{out}");
        assert_eq!(*lines.last().unwrap(), "        ],");
        let mut out = String::new();
        let names: Vec<String> = (0..9).map(|i| format!("\"aVeryLongName{i}\"")).collect();
        array(&mut out, 8, "fields: &[", &names, false, "],");
        assert_eq!(out.lines().count(), 11, "{out}");
        let mut out = String::new();
        array(&mut out, 8, "fields: &[", &names[..2], false, "],");
        assert_eq!(
            out,
            "        fields: &[\"aVeryLongName0\", \"aVeryLongName1\"],\n"
        );
    }

    #[test]
    fn long_arms_go_into_a_block() {
        let mut out = String::new();
        arm(&mut out, 3, "rt::read(map, &mut self.x)");
        arm(
            &mut out,
            4,
            &format!("rt::read(map, &mut self.{})", "y".repeat(80)),
        );
        assert_eq!(
            out,
            format!(
                "            3 => rt::read(map, &mut self.x),\n            4 => {{\n                rt::read(map, &mut self.{})\n            }}\n",
                "y".repeat(80)
            )
        );
    }

    #[test]
    fn doc_lines_that_slashes_cannot_say_become_attributes() {
        assert_eq!(doc_comment("    ", " text  "), "    /// text\n");
        assert_eq!(doc_comment("", "/path"), "#[doc = \"/path\"]\n");
        assert_eq!(doc_comment("", " a\nb"), "#[doc = \" a\\nb\"]\n");
    }

    #[test]
    fn gates_and_their_fallbacks() {
        let one = vec!["users".to_string()];
        let two = vec!["groups".to_string(), "users".to_string()];
        assert_eq!(gate_line(None), "");
        assert_eq!(gate_line(Some(&one)), "#[cfg(feature = \"users\")]\n");
        assert_eq!(
            gate_line(Some(&two)),
            "#[cfg(any(feature = \"groups\", feature = \"users\"))]\n"
        );
        assert_eq!(
            gated_fallbacks(&one, &["User"]),
            "#[cfg(not(feature = \"users\"))]\n/// Not compiled: none of the Cargo features that need this type is on.\npub type User = rt::Json;\n"
        );
    }

    #[test]
    fn paths_print_like_rust() {
        let t: TokenStream = "rt::codec::List<rt::codec::Nullable<rt::codec::Int64>>"
            .parse()
            .unwrap();
        assert_eq!(
            path_text(&t),
            "rt::codec::List<rt::codec::Nullable<rt::codec::Int64>>"
        );
        let t: TokenStream = "::std::collections::HashMap<String, [u8; 16]>"
            .parse()
            .unwrap();
        assert_eq!(
            path_text(&t),
            "::std::collections::HashMap<String, [u8 ; 16]>"
        );
    }
}
