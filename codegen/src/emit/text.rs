//! Items written straight as formatted text, skipping tokens, `syn` and `prettyplease`.
//!
//! The `rt::Structured` impls are more than a third of a large crate's lines (Graph v1.0: 166,000
//! of 446,000) and all have one shape, so building them as tokens, parsing those into a syntax
//! tree and pretty-printing it is most of the generation time for little reason. This module
//! writes them directly, laid out exactly as `prettyplease` lays out the same tokens (a test
//! compares both over every corpus document). Where a line would need a break this module does
//! not reproduce, it returns `None` and the caller formats the tokens as before.

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
    for (label, list) in [("READ_ONLY", s.read_only), ("IMMUTABLE", s.immutable)] {
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
fn arm(out: &mut String, index: usize, expr: &str) -> Option<()> {
    let head = format!("            {index} => ");
    if head.len() + expr.len() <= MARGIN {
        let _ = writeln!(out, "{head}{expr},");
    } else if 16 + expr.len() <= MARGIN {
        let _ = writeln!(
            out,
            "            {index} => {{\n                {expr}\n            }}"
        );
    } else {
        return None;
    }
    Some(())
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
    use super::super::{analysis, types};
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
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
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
                let pieces = types::emit_type_pieces(&model, &a, *t, true);
                let mut fast = String::new();
                for p in pieces {
                    match p {
                        types::Piece::Text(s) => {
                            as_text += 1;
                            fast.push_str(&s)
                        }
                        types::Piece::Tokens(ts) => {
                            fast.push_str(&crate::write::format_tokens("x.rs", ts).unwrap())
                        }
                    }
                }
                let slow =
                    crate::write::format_tokens("x.rs", types::emit_type(&model, &a, *t)).unwrap();
                if fast != slow {
                    let line = fast
                        .lines()
                        .zip(slow.lines())
                        .position(|(x, y)| x != y)
                        .unwrap_or(0);
                    panic!(
                        "{}: `{}` differs at line {}:\ntext:     {:?}\ntokens:   {:?}",
                        f.display(),
                        model.qualified_name(*t),
                        line + 1,
                        fast.lines().nth(line),
                        slow.lines().nth(line)
                    );
                }
                compared += 1;
            }
        }
        assert!(compared > 2000 && as_text > 2000, "{compared} {as_text}");
    }
}
