//! Swagger 2.0 documents embedded in a page (or a `.json` file): a `{` line followed by a
//! `"swagger"` member starts one; several may follow each other. Read with `serde_json`; since
//! `serde_json::Value` keeps no positions, each fact is located by finding its key in the
//! document's text, in order.

use super::markdown::parse_path;
use super::{DocOperation, DocParameter, DocProperty, DocSet, DocType, DocTypeRef, Format, Source};
use crate::diag::{Diagnostics, Loc};
use serde_json::Value;

pub fn read(src: &Source, set: &mut DocSet, diags: &mut Diagnostics) {
    let text = src.text;
    let mut search = 0;
    while let Some(rel) = text[search..].find("\"swagger\"") {
        let key_at = search + rel;
        // The opening brace of the document: the last `{` before the key.
        let Some(open) = text[..key_at].rfind('{') else {
            search = key_at + 1;
            continue;
        };
        let mut stream = serde_json::Deserializer::from_str(&text[open..]).into_iter::<Value>();
        match stream.next() {
            Some(Ok(doc)) => {
                let end = open + stream.byte_offset();
                read_document(src, open, end, &doc, set, diags);
                search = end.max(key_at + 1);
            }
            Some(Err(e)) => {
                // serde_json counts lines and columns from the document's start.
                let (line0, col0) = {
                    let l = src.loc(open);
                    (l.line, l.col)
                };
                let line = line0 + e.line().saturating_sub(1) as u32;
                let col = if e.line() <= 1 {
                    col0 + e.column().saturating_sub(1) as u32
                } else {
                    e.column() as u32
                };
                diags.warning(
                    Loc {
                        file: src.file,
                        line,
                        col: col.max(1),
                    },
                    format!("embedded Swagger document is not valid JSON ({e}); not read"),
                );
                search = key_at + 1;
            }
            None => search = key_at + 1,
        }
    }
}

/// Finds `"key"` in `text[from..to]`: its offset, or `from` when absent.
fn find_key(text: &str, from: usize, to: usize, key: &str) -> usize {
    let needle = format!("\"{key}\"");
    text.get(from..to)
        .and_then(|t| t.find(&needle))
        .map(|i| from + i)
        .unwrap_or(from)
}

fn truthy(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A Swagger schema → a documentation type (`string` → `Edm.String`, `$ref` → the definition,
/// `array` → a collection).
fn schema_type(v: &Value, loc: Loc) -> Option<DocTypeRef> {
    let v = v.get("schema").unwrap_or(v);
    if let Some(r) = v.get("$ref").and_then(Value::as_str) {
        return DocTypeRef::parse(r.rsplit('/').next().unwrap_or(r), loc);
    }
    let ty = v.get("type").and_then(Value::as_str)?;
    if ty == "array" {
        let mut inner = schema_type(v.get("items")?, loc)?;
        inner.collection = true;
        inner.written = format!("Collection({})", inner.name);
        return Some(inner);
    }
    let format = v.get("format").and_then(Value::as_str).unwrap_or("");
    let edm = match (ty, format) {
        ("string", "date-time") | ("date-time", _) => "Edm.DateTimeOffset",
        ("string", "uuid") => "Edm.Guid",
        ("string", "byte") | ("string", "binary") => "Edm.Binary",
        ("string", _) => "Edm.String",
        ("boolean", _) => "Edm.Boolean",
        ("integer", "int64") => "Edm.Int64",
        ("integer", _) => "Edm.Int32",
        ("number", "float") => "Edm.Single",
        ("number", _) => "Edm.Double",
        ("file", _) => "Edm.Stream",
        (other, _) => other,
    };
    DocTypeRef::parse(edm, loc)
}

/// Whether the first success (`2xx`) response of an operation holds a collection: its `schema`
/// (`array`, or an object / `$ref`), else its JSON example (an object with a `value` array, or
/// another object). `None` when the response shows no body (`204`, `"none"`).
fn returns_collection(op: &Value) -> Option<bool> {
    let responses = op.get("responses")?.as_object()?;
    let (_, ok) = responses.iter().find(|(code, _)| code.starts_with('2'))?;
    if let Some(schema) = ok.get("schema") {
        return match schema.get("type").and_then(Value::as_str) {
            Some("array") => Some(true),
            Some("object") | None => Some(false),
            Some(_) => None,
        };
    }
    match ok.get("examples")?.get("application/json")? {
        Value::Object(m) => Some(m.get("value").is_some_and(Value::is_array)),
        _ => None,
    }
}

/// Scope names in an operation description: `<b><i>Contacts.Read</i></b>`.
fn scopes_in(description: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = description;
    while let Some(at) = rest.find("<b><i>") {
        let after = &rest[at + 6..];
        let Some(end) = after.find("</i></b>") else {
            break;
        };
        let s = after[..end].trim();
        if !s.is_empty() && !s.contains(char::is_whitespace) && s.contains('.') {
            out.push(s.to_string());
        }
        rest = &after[end..];
    }
    out
}

fn read_document(
    src: &Source,
    start: usize,
    end: usize,
    doc: &Value,
    set: &mut DocSet,
    diags: &mut Diagnostics,
) {
    let text = src.text;
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        let base = find_key(text, start, end, "paths");
        for (path, ops) in paths {
            // Object members may come in another order than written: search each from its
            // container's start.
            let cursor = find_key(text, base, end, path);
            let path_loc = src.loc(cursor + 1);
            let Some(ops) = ops.as_object() else { continue };
            for (method, op) in ops {
                let op_cursor = find_key(text, cursor, end, method);
                let loc = src.loc(op_cursor + 1);
                let mut parameters = Vec::new();
                let mut pc = op_cursor;
                for p in op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let Some(name) = p.get("name").and_then(Value::as_str) else {
                        diags.warning(
                            loc,
                            format!(
                                "{} {path}: a parameter without a name",
                                method.to_uppercase()
                            ),
                        );
                        continue;
                    };
                    pc = find_key(text, pc, end, "name");
                    let ploc = src.loc(pc);
                    pc += 1;
                    parameters.push(DocParameter {
                        name: name.to_string(),
                        ty: schema_type(p, ploc),
                        location: p.get("in").and_then(Value::as_str).map(str::to_string),
                        required: truthy(p.get("required")),
                        default_value: p.get("default").map(|d| match d {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        }),
                        description: p
                            .get("description")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                        loc: ploc,
                    });
                }
                let description = op.get("description").and_then(Value::as_str).unwrap_or("");
                let scopes = scopes_in(description)
                    .into_iter()
                    .map(|name| super::DocScope {
                        name,
                        consent: None,
                        scenario: None,
                        loc,
                    })
                    .collect();
                let label = op
                    .get("summary")
                    .and_then(Value::as_str)
                    .or_else(|| op.get("operationId").and_then(Value::as_str))
                    .unwrap_or("")
                    .to_string();
                set.operations.push(DocOperation {
                    label,
                    method: Some(method.to_uppercase()),
                    path: Some(parse_path(path, path_loc)),
                    scopes,
                    parameters,
                    returns_collection: returns_collection(op),
                    loc,
                });
            }
        }
    }
    if let Some(defs) = doc.get("definitions").and_then(Value::as_object) {
        let base = find_key(text, start, end, "definitions");
        for (name, def) in defs {
            let cursor = find_key(text, base, end, name);
            let loc = src.loc(cursor + 1);
            if !super::markdown::is_identifier(name) {
                diags.warning(
                    loc,
                    format!("Swagger definition `{name}` is not a type name; not read"),
                );
                continue;
            }
            let mut t = DocType::new(name, Format::Swagger, loc);
            for (pname, pdef) in def
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let pc = find_key(text, cursor, end, pname);
                let ploc = src.loc(pc + 1);
                let ty = schema_type(pdef, ploc);
                if ty.is_none() {
                    diags.warning(
                        ploc,
                        format!("Swagger definition `{name}`: property `{pname}` has no type"),
                    );
                }
                t.properties.push(DocProperty {
                    name: pname.clone(),
                    ty,
                    read_only: truthy(pdef.get("readOnly")),
                    description: pdef
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    loc: ploc,
                    ..DocProperty::default()
                });
            }
            let mut rc = find_key(text, cursor, end, "required");
            for r in def
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(r) = r.as_str() {
                    rc = find_key(text, rc, end, r);
                    t.required.push((r.to_string(), src.loc(rc + 1)));
                    if let Some(p) = t.properties.iter_mut().find(|p| p.name == r) {
                        p.required_on_create = Some(true);
                    }
                    rc += 1;
                }
            }
            set.types.push(t);
        }
    }
}
