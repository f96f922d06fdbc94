//! Items written straight as formatted text, skipping tokens, `syn` and `prettyplease`.
//!
//! Most of a large crate's lines come in a few fixed shapes: the `rt::Structured` impls (Graph
//! v1.0: 166,000 of 446,000 lines), plain struct declarations, enum types with their
//! `rt::EnumType` impls, and the builders' property and navigation enums. Building those as
//! tokens, parsing the tokens into a syntax tree and pretty-printing it was most of the
//! generation time. This module writes them directly, laid out exactly as `prettyplease` lays
//! out the same tokens; a test compares both over every corpus document. Where a line would need
//! a break this module does not reproduce, it returns `None` and the caller formats the tokens.

use proc_macro2::{TokenStream, TokenTree};
use std::fmt::Write as _;

/// `prettyplease`'s line width: text that ends at or before this column stays on its line.
pub const MARGIN: usize = 89;

/// One field of a `Structured` impl: wire name and the `read_field`/`write_field` arms.
pub struct FieldText {
    pub wire: String,
    pub read: String,
    pub write: String,
}

/// What a `Structured` impl is made of.
pub struct StructuredText<'a> {
    /// The type's identifier as written (`r#` form for raw identifiers).
    pub name: &'a str,
    pub qualified: &'a str,
    pub fields: Vec<FieldText>,
    pub sorted: &'a [usize],
    pub open: bool,
    /// `V2`, `V3` or `V4`.
    pub version: &'a str,
    pub read_only: &'a [usize],
    pub immutable: &'a [usize],
    pub navigation: &'a [usize],
    /// An entity type (`const ENTITY: bool = true;`).
    pub entity: bool,
}

/// The `rt::Structured` impl and the `rt::impl_structured_serde!` line, formatted; `None` when
/// a line needs a break this writer does not do.
pub fn structured_impl(s: &StructuredText<'_>) -> Option<String> {
    // A long type name breaks the impl header and the macro call; `prettyplease` does that.
    if "impl rt::Structured for  {".len() + s.name.len() > MARGIN
        || "rt::impl_structured_serde!();".len() + s.name.len() > MARGIN
    {
        return None;
    }
    let mut out = String::with_capacity(256 + s.fields.len() * 120);
    let _ = writeln!(out, "impl rt::Structured for {} {{", s.name);
    out.push_str("    const INFO: &'static rt::StructInfo = &rt::StructInfo {\n");
    let _ = writeln!(out, "        name: {},", string_literal(s.qualified));
    let wires: Vec<String> = s.fields.iter().map(|f| string_literal(&f.wire)).collect();
    array(&mut out, 8, "fields: &[", &wires, false, "],");
    let sorted: Vec<String> = s.sorted.iter().map(usize::to_string).collect();
    array(&mut out, 8, "sorted: &[", &sorted, true, "],");
    let _ = writeln!(out, "        open: {},", s.open);
    let _ = writeln!(out, "        version: rt::Version::{},", s.version);
    out.push_str("    };\n");
    let lists = [
        ("READ_ONLY", s.read_only),
        ("IMMUTABLE", s.immutable),
        ("NAVIGATION", s.navigation),
    ];
    for (label, list) in lists {
        if list.is_empty() {
            continue;
        }
        let items: Vec<String> = list.iter().map(usize::to_string).collect();
        let line = format!(
            "    const {label}: &'static [u16] = &[{}];",
            items.join(", ")
        );
        if line.len() > MARGIN {
            return None;
        }
        out.push_str(&line);
        out.push('\n');
    }
    if s.entity {
        out.push_str("    const ENTITY: bool = true;\n");
    }
    out.push_str(
        "    fn extra(&self) -> &rt::Extra {
        &self.extra
    }
    fn extra_mut(&mut self) -> &mut rt::Extra {
        &mut self.extra
    }
    fn read_field<'de, A: rt::serde::de::MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
    ) -> ::core::result::Result<bool, A::Error> {
",
    );
    if s.fields.is_empty() {
        out.push_str("        let _ = index;\n        rt::skip(map)\n");
    } else {
        out.push_str("        match index {\n");
        for (i, f) in s.fields.iter().enumerate() {
            arm(&mut out, i, &f.read)?;
        }
        out.push_str("            _ => rt::skip(map),\n        }\n");
    }
    out.push_str(
        "    }
    fn write_field<M: rt::serde::ser::SerializeMap>(
        &self,
        index: usize,
        name: &'static str,
        map: &mut M,
    ) -> ::core::result::Result<bool, M::Error> {
",
    );
    if s.fields.is_empty() {
        out.push_str("        let _ = (index, name, map);\n        Ok(false)\n");
    } else {
        out.push_str("        match index {\n");
        for (i, f) in s.fields.iter().enumerate() {
            arm(&mut out, i, &f.write)?;
        }
        out.push_str("            _ => Ok(false),\n        }\n");
    }
    out.push_str("    }\n}\n");
    let _ = writeln!(out, "rt::impl_structured_serde!({});", s.name);
    Some(out)
}

/// A match arm at indent 12: on one line when it fits, else the expression alone in a block.
fn arm(out: &mut String, pattern: impl std::fmt::Display, expr: &str) -> Option<()> {
    let head = format!("            {pattern} => ");
    if head.len() + expr.len() <= MARGIN {
        let _ = writeln!(out, "{head}{expr},");
    } else if 16 + expr.len() <= MARGIN && head.len() < MARGIN {
        let _ = writeln!(out, "{head}{{\n                {expr}\n            }}");
    } else {
        return None;
    }
    Some(())
}

/// One member of an enum type: its doc lines and its variant's identifier.
pub struct VariantText {
    pub doc_lines: Vec<String>,
    pub ident: String,
}

/// What an enum type's items are made of.
pub struct EnumText<'a> {
    pub name: &'a str,
    pub doc_lines: &'a [String],
    pub qualified: &'a str,
    pub variants: Vec<VariantText>,
    /// The identifier of the variant for members this crate does not know.
    pub unknown: &'a str,
    pub members: Vec<String>,
    pub values: &'a [i64],
    pub flags: bool,
}

/// The enum, its `rt::EnumType` impl and the `rt::impl_enum_serde!` line, formatted; `None`
/// when a line needs a break this writer does not do.
pub fn enum_items(e: &EnumText<'_>) -> Option<String> {
    let longest = "rt::impl_enum_serde!();"
        .len()
        .max("impl rt::EnumType for  {".len());
    if longest + e.name.len() > MARGIN || e.values.iter().any(|v| *v < 0) {
        return None;
    }
    let mut out = String::with_capacity(512 + e.variants.len() * 160);
    for line in e.doc_lines {
        out.push_str(&doc_comment("", line)?);
    }
    out.push_str("#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]\n");
    let _ = writeln!(out, "pub enum {} {{", e.name);
    for v in &e.variants {
        for line in &v.doc_lines {
            out.push_str(&doc_comment("    ", line)?);
        }
        let _ = writeln!(out, "    {},", v.ident);
    }
    out.push_str("    /// A member this crate does not know, as the service wrote it.\n");
    let _ = writeln!(out, "    {}(::std::string::String),\n}}", e.unknown);
    let _ = writeln!(out, "impl rt::EnumType for {} {{", e.name);
    out.push_str("    const INFO: &'static rt::EnumInfo = &rt::EnumInfo {\n");
    let _ = writeln!(out, "        name: {},", string_literal(e.qualified));
    let members: Vec<String> = e.members.iter().map(|m| string_literal(m)).collect();
    array(&mut out, 8, "members: &[", &members, false, "],");
    let values: Vec<String> = e.values.iter().map(i64::to_string).collect();
    array(&mut out, 8, "values: &[", &values, true, "],");
    let _ = writeln!(out, "        flags: {},\n    }};", e.flags);
    out.push_str("    fn from_index(index: usize) -> ::core::option::Option<Self> {\n");
    if e.variants.is_empty() {
        out.push_str("        let _ = index;\n        None\n");
    } else {
        out.push_str("        match index {\n");
        for (i, v) in e.variants.iter().enumerate() {
            arm(&mut out, i, &format!("Some(Self::{})", v.ident))?;
        }
        out.push_str("            _ => None,\n        }\n");
    }
    out.push_str("    }\n    fn index(&self) -> ::core::result::Result<usize, &str> {\n");
    out.push_str("        match self {\n");
    for (i, v) in e.variants.iter().enumerate() {
        arm(&mut out, format!("Self::{}", v.ident), &format!("Ok({i})"))?;
    }
    arm(&mut out, format!("Self::{}(s)", e.unknown), "Err(s)")?;
    out.push_str("        }\n    }\n    fn unknown(name: ::std::string::String) -> Self {\n");
    let _ = writeln!(out, "        Self::{}(name)\n    }}\n}}", e.unknown);
    let _ = writeln!(out, "rt::impl_enum_serde!({});", e.name);
    Some(out)
}

/// `prefix[a, b, c]suffix` at `indent`: on one line when it fits; else one item per line, or,
/// for `fill` (integers, as `prettyplease` does for arrays of simple literals), as many per line
/// as fit.
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

/// A request builders' name enum (`UserProperty`) and its `rt::Name` impl, formatted: `variants`
/// are (doc line, identifier), `wires` the names in the same order; `None` when a line needs a
/// break this writer does not do.
pub fn name_enum(
    name: &str,
    doc: &str,
    variants: &[(String, String)],
    wires: &[String],
) -> Option<String> {
    if "impl rt::Name for  {".len().max("pub enum  {".len()) + name.len() > MARGIN {
        return None;
    }
    let mut out = String::with_capacity(128 + variants.len() * 80);
    out.push_str(&doc_comment("", doc)?);
    out.push_str("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\n");
    let _ = writeln!(out, "pub enum {name} {{");
    for (d, v) in variants {
        out.push_str(&doc_comment("    ", d)?);
        let _ = writeln!(out, "    {v},");
    }
    let _ = writeln!(out, "}}\nimpl rt::Name for {name} {{");
    out.push_str("    fn name(self) -> &'static str {\n");
    let wires: Vec<String> = wires.iter().map(|w| string_literal(w)).collect();
    array(
        &mut out,
        8,
        "const NAMES: &[&str] = &[",
        &wires,
        false,
        "];",
    );
    out.push_str("        NAMES[self as usize]\n    }\n}\n");
    Some(out)
}

/// A request builder's doc lines, its struct and its `rt::Resource` impl, then `trait_path`'s impl
/// with `assoc` types, formatted; `None` when a line would not fit.
pub fn builder_boilerplate(
    doc_lines: &[String],
    name: &str,
    trait_path: &str,
    assoc: &[(&str, &str)],
) -> Option<String> {
    let mut out = String::with_capacity(512);
    for line in doc_lines {
        out.push_str(&doc_comment("", line)?);
    }
    out.push_str("#[derive(Clone, Debug, PartialEq, Eq)]\n");
    let _ = writeln!(out, "pub struct {name}(rt::Path);");
    let _ = writeln!(out, "impl rt::Resource for {name} {{");
    out.push_str("    fn from_path(path: rt::Path) -> Self {\n        Self(path)\n    }\n");
    out.push_str("    fn path(&self) -> &rt::Path {\n        &self.0\n    }\n}\n");
    let _ = writeln!(out, "impl {trait_path} for {name} {{");
    for (n, ty) in assoc {
        let _ = writeln!(out, "    type {n} = {ty};");
    }
    out.push_str("}\n");
    if out
        .lines()
        .any(|l| l.len() > MARGIN && !l.starts_with("///"))
    {
        return None;
    }
    Some(out)
}

/// A string literal as `proc_macro2` (and so `prettyplease`) writes it.
fn string_literal(s: &str) -> String {
    proc_macro2::Literal::string(s).to_string()
}

/// A type path such as `rt::codec::Nullable<rt::codec::Int64>` as `prettyplease` prints it;
/// `None` for anything but identifiers, `::`, angle brackets and commas.
pub fn path_text(tokens: &TokenStream) -> Option<String> {
    let mut out = String::new();
    for t in tokens.clone() {
        match t {
            TokenTree::Ident(i) => out.push_str(&i.to_string()),
            TokenTree::Punct(p) => match p.as_char() {
                ':' | '<' | '>' => out.push(p.as_char()),
                ',' => out.push_str(", "),
                _ => return None,
            },
            _ => return None,
        }
    }
    Some(out)
}

/// A `#[doc = "…"]` line as `prettyplease` prints it (`///` and the text, trailing spaces
/// trimmed) at `indent`; `None` where it would print something else.
pub fn doc_comment(indent: &str, line: &str) -> Option<String> {
    if line.contains(['\n', '\r']) || line.starts_with('/') {
        return None;
    }
    Some(format!("{indent}///{}\n", line.trim_end_matches(' ')))
}

/// A struct field's doc lines and declaration (`pub f: T,`) at indent 4; `None` when the
/// declaration does not fit on one line.
pub fn field_decl(doc_lines: &[String], decl: &str) -> Option<String> {
    if 4 + decl.len() > MARGIN {
        return None;
    }
    let mut out = String::new();
    for line in doc_lines {
        out.push_str(&doc_comment("    ", line)?);
    }
    out.push_str("    ");
    out.push_str(decl);
    out.push('\n');
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::{analysis, requests, types};

    /// The pieces' text, formatting the token pieces with `prettyplease`; counts text pieces.
    fn joined(pieces: Vec<types::Piece>, as_text: &mut usize) -> String {
        *as_text += pieces
            .iter()
            .filter(|p| matches!(p, types::Piece::Text(_)))
            .count();
        types::render_pieces("x.rs", pieces).unwrap()
    }

    fn first_difference(what: &str, fast: &str, slow: &str) -> String {
        let line = fast
            .lines()
            .zip(slow.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(0);
        format!(
            "{what} differs at line {}:\ntext:   {:?}\ntokens: {:?}",
            line + 1,
            fast.lines().nth(line),
            slow.lines().nth(line)
        )
    }
    use std::path::{Path, PathBuf};

    fn corpus_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                corpus_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "xml") {
                out.push(p);
            }
        }
    }

    /// For every corpus document, the text this module writes is exactly what `prettyplease`
    /// makes of the same items' tokens (in the Graph documents, every fifth type, to keep the
    /// debug-build test short; the other types of those were compared once in release builds).
    #[test]
    fn text_items_equal_prettyplease_output() {
        let Some(root) = crate::shared_data::path("corpus") else {
            return;
        };
        let mut files = Vec::new();
        corpus_files(&root, &mut files);
        files.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/graph-directory.xml"));
        files.sort();
        assert!(files.len() >= 20, "corpus at {}", root.display());
        let mut compared = 0;
        let mut as_text = 0;
        for f in &files {
            let (model, diags) = crate::load(std::slice::from_ref(f));
            if diags
                .iter()
                .any(|d| d.diagnostic.severity == crate::diag::Severity::Error)
            {
                continue;
            }
            let selection = crate::select::select(&model, &Default::default()).unwrap();
            let a = analysis::analyse(&model, &selection);
            let step = if f.to_string_lossy().contains("graph-") {
                5
            } else {
                1
            };
            for t in a.selected.iter().step_by(step) {
                let fast = joined(types::emit_type_pieces(&model, &a, *t, true), &mut as_text);
                let slow =
                    crate::write::format_tokens("x.rs", types::emit_type(&model, &a, *t)).unwrap();
                let what = format!("{}: `{}`", f.display(), model.qualified_name(*t));
                assert!(fast == slow, "{}", first_difference(&what, &fast, &slow));
                compared += 1;
            }
            let plan = requests::plan(&model, &a, true);
            for t in plan.builders.keys().step_by(step) {
                let fast = joined(
                    requests::emit_entity(&model, &a, &plan, *t, true),
                    &mut as_text,
                );
                let slow = joined(requests::emit_entity(&model, &a, &plan, *t, false), &mut 0);
                let what = format!(
                    "{}: builders of `{}`",
                    f.display(),
                    model.qualified_name(*t)
                );
                assert!(fast == slow, "{}", first_difference(&what, &fast, &slow));
                compared += 1;
            }
        }
        assert!(compared > 2000 && as_text > 2000, "{compared} {as_text}");
    }
}
