//! Numbered property lists: under a `Properties` line, each property is
//!
//! ```text
//!     1. accountEnabled
//!     2. Edm.Boolean
//!
//!     Description text.
//!
//!     1. C
//!     2. R
//!     3. U
//!     4. D
//!     5. Filterable
//! ```
//!
//! The owner is the nearest title line above `Properties`: `The User entity` names an entity
//! type, a bare type name (`AppRole`) a complex type; any other title (`Get a user`) makes the
//! list the parameters of an operation.

use super::text::apply_description_facts;
use super::{DocOperation, DocParameter, DocProperty, DocSet, DocType, DocTypeRef, Format, Source};
use crate::diag::Diagnostics;

/// `1. text` (indented or not) → (number, text).
fn numbered(line: &str) -> Option<(u32, &str)> {
    let t = line.trim();
    let (n, rest) = t.split_once(". ")?;
    let n: u32 = n.parse().ok()?;
    Some((n, rest.trim()))
}

fn is_marker(s: &str) -> bool {
    matches!(s, "C" | "R" | "U" | "D" | "Filterable")
}

#[derive(Clone, Copy)]
enum Owner {
    Type(usize),
    Operation(usize),
}

pub fn read(src: &Source, set: &mut DocSet, diags: &mut Diagnostics) {
    let lines = src.lines();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i].1;
        if l.trim() != "Properties" || l.starts_with(' ') {
            i += 1;
            continue;
        }
        // The first numbered item must follow within a few lines, else this is prose.
        let first_item = (i + 1..lines.len().min(i + 6)).find(|j| numbered(lines[*j].1).is_some());
        let Some(first_item) = first_item else {
            i += 1;
            continue;
        };
        let Some(owner) = list_owner(src, &lines, i, set, diags) else {
            i += 1;
            continue;
        };
        let j = read_items(src, &lines, first_item, owner, set, diags);
        i = j.max(i + 1);
    }
}

/// The type or operation of the numbered list under the `Properties` line `i`: the nearest
/// non-indented title line above (skipping prose paragraphs), added to `set`; `None` (after a
/// warning) without a title.
fn list_owner(
    src: &Source,
    lines: &[(usize, &str)],
    i: usize,
    set: &mut DocSet,
    diags: &mut Diagnostics,
) -> Option<Owner> {
    let o = lines[i].0;
    let title = lines[..i]
        .iter()
        .rev()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with(' '))
        .find(|(_, l)| {
            let t = l.trim();
            t.len() < 60
                && !t.ends_with('.')
                && !t.ends_with(':')
                && !matches!(
                    t,
                    "Important" | "Importante" | "Note" | "Tip" | "Warning" | "Caution"
                )
        })
        .copied();
    let Some((to, title)) = title else {
        diags.warning(
            src.loc(o),
            "numbered property list without a title naming its type; not read",
        );
        return None;
    };
    let title = title.trim();
    let owner = if let Some(name) = title
        .strip_prefix("The ")
        .and_then(|r| r.strip_suffix(" entity"))
        .filter(|n| super::markdown::is_identifier(n))
    {
        let loc = src.loc(to + 4);
        let mut t = DocType::new(name, Format::NumberedLists, loc);
        t.entity = Some(true);
        // `Represents ... Inherits from DirectoryObject.` between title and list.
        for (bo, bl) in &lines[..i] {
            if *bo <= to {
                continue;
            }
            if let Some(at) = bl
                .find("Inherits from ")
                .or_else(|| bl.find("Inherited from "))
            {
                let rest = &bl[at..];
                let rest = rest.split_once("from ").map(|x| x.1).unwrap_or("");
                let base = rest.trim().trim_end_matches('.').trim();
                t.base = DocTypeRef::parse(base, src.loc(bo + at));
            }
            let d = bl.trim();
            if !d.is_empty() && t.description.is_none() {
                t.description = Some(d.to_string());
            }
        }
        set.types.push(t);
        Owner::Type(set.types.len() - 1)
    } else if super::markdown::is_identifier(title)
        && title.chars().next().is_some_and(|c| c.is_ascii_uppercase())
    {
        let mut t = DocType::new(title, Format::NumberedLists, src.loc(to));
        t.entity = Some(false);
        set.types.push(t);
        Owner::Type(set.types.len() - 1)
    } else {
        set.operations.push(DocOperation {
            label: title.to_string(),
            method: None,
            path: None,
            scopes: Vec::new(),
            parameters: Vec::new(),
            returns_collection: None,
            loc: src.loc(to),
        });
        Owner::Operation(set.operations.len() - 1)
    };
    Some(owner)
}

/// The numbered items from line `first_item` on, until a non-indented, non-empty line, as
/// properties (or parameters) of `owner`; returns the line after them.
fn read_items(
    src: &Source,
    lines: &[(usize, &str)],
    first_item: usize,
    owner: Owner,
    set: &mut DocSet,
    diags: &mut Diagnostics,
) -> usize {
    let mut j = first_item;
    let mut current: Option<DocProperty> = None;
    let mut desc: Vec<String> = Vec::new();
    let flush = |cur: &mut Option<DocProperty>, desc: &mut Vec<String>, set: &mut DocSet| {
        if let Some(mut p) = cur.take() {
            let d = desc.join(" ");
            if !d.trim().is_empty() {
                apply_description_facts(&mut p, &d);
                p.description = Some(d.trim().to_string());
            }
            match owner {
                Owner::Type(t) => set.types[t].properties.push(p),
                Owner::Operation(op) => set.operations[op].parameters.push(DocParameter {
                    name: p.name,
                    ty: p.ty,
                    location: None,
                    required: p.required_on_create,
                    default_value: p.default_value,
                    description: p.description,
                    loc: p.loc,
                }),
            }
        }
        desc.clear();
    };
    let mut markers: Vec<String> = Vec::new();
    while j < lines.len() {
        let (lo, l) = lines[j];
        if !l.trim().is_empty() && !l.starts_with(' ') && !l.starts_with('\t') {
            break;
        }
        if let Some((n, text)) = numbered(l) {
            if is_marker(text) {
                markers.push(text.to_string());
                if let Some(p) = current.as_mut() {
                    apply_markers(p, &markers);
                }
                j += 1;
                continue;
            }
            if n == 1 {
                flush(&mut current, &mut desc, set);
                markers.clear();
                let col = l.find(text).unwrap_or(0);
                if !super::markdown::is_identifier(text) && !text.contains('-') {
                    diags.warning(
                        src.loc(lo + col),
                        format!("`{text}` is not a property name; item not read"),
                    );
                    j += 1;
                    continue;
                }
                current = Some(DocProperty {
                    name: text.to_string(),
                    loc: src.loc(lo + col),
                    ..DocProperty::default()
                });
            } else if n == 2
                && let Some(p) = current.as_mut()
            {
                let col = l.find(text).unwrap_or(0);
                p.ty = DocTypeRef::parse(text, src.loc(lo + col));
                if p.ty.is_none() {
                    diags.warning(
                        src.loc(lo + col),
                        format!("property `{}`: `{text}` is not a type", p.name),
                    );
                }
            }
        } else if !l.trim().is_empty() && current.is_some() {
            desc.push(l.trim().to_string());
        }
        j += 1;
    }
    flush(&mut current, &mut desc, set);
    j
}

/// `C R U D Filterable` markers: writable when created or updated, read-only when only read.
fn apply_markers(p: &mut DocProperty, markers: &[String]) {
    let has = |m: &str| markers.iter().any(|x| x == m);
    if has("R") && !has("C") && !has("U") {
        p.read_only = Some(true);
    } else if has("C") || has("U") {
        p.read_only = Some(false);
    }
    if has("Filterable") {
        p.filter.get_or_insert_with(Vec::new);
    }
}
