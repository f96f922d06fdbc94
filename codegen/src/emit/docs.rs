//! Rustdoc from the schema: `Core.Description`, `Core.LongDescription` (V2 `Documentation` is
//! lowered to these by the reader) and facts; `Core.Revisions` deprecation → `#[deprecated]`.
//!
//! Descriptions are text, never code: every line is trimmed (no indented code blocks), code
//! fences are escaped, and each line becomes one `#[doc]` attribute.

use crate::model::meaning::{
    annotation, const_text, immutable, read_only, record_field, required_on_create, strings_of,
};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

const DESCRIPTION: &str = vocab::DESCRIPTION;
const LONG_DESCRIPTION: &str = vocab::LONG_DESCRIPTION;

/// Turns free text into doc lines that rustdoc shows as text.
pub fn clean_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.replace("\r\n", "\n").replace('\r', "\n").split('\n') {
        let mut l = escape_markdown(line.trim());
        // A fence would start a code block (and a doctest); escape its first character.
        if l.starts_with("```") || l.starts_with("~~~") {
            l.insert(0, '\\');
        }
        out.push(format!(" {l}"));
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.trim().is_empty()) {
        out.remove(0);
    }
    out
}

/// Escapes what rustdoc would read as links or HTML (`[x]`, `<T>`), and makes bare URLs
/// autolinks, so descriptions render as written and `cargo doc` stays warning-free.
fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let word = word.replace('\t', " ");
        if let Some(start) = word.find("https://").or_else(|| word.find("http://")) {
            let (before, url) = word.split_at(start);
            let end = url
                .trim_end_matches(['.', ',', ';', ':', ')', '\'', '"'])
                .len();
            let (url, after) = url.split_at(end);
            if !url.contains(['<', '>']) {
                out.push_str(&escape_chars(before));
                out.push('<');
                out.push_str(url);
                out.push('>');
                out.push_str(&escape_chars(after));
                continue;
            }
        }
        out.push_str(&escape_chars(&word));
    }
    out
}

fn escape_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `#[doc]` attributes for a node: description, long description, then `facts` (one line each).
pub fn doc_attrs(
    model: &Model,
    node: NodeRef,
    inline: &[Annotation],
    facts: &[String],
) -> TokenStream {
    let lines = doc_lines(model, node, inline, facts);
    quote! { #(#[doc = #lines])* }
}

/// The lines of [`doc_attrs`], each the value of one `#[doc]` attribute.
pub fn doc_lines(
    model: &Model,
    node: NodeRef,
    inline: &[Annotation],
    facts: &[String],
) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(d) = model.string_annotation(node, inline, DESCRIPTION) {
        lines.extend(clean_lines(&d));
    }
    if let Some(d) = model.string_annotation(node, inline, LONG_DESCRIPTION) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(clean_lines(&d));
    }
    if !facts.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        for f in facts {
            lines.extend(clean_lines(f));
        }
    }
    let documented = vocabulary_facts(model, node, inline);
    if !documented.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        for f in &documented {
            lines.extend(
                clean_lines(f)
                    .into_iter()
                    .map(|l| keep_permission_links(&l)),
            );
        }
    }
    lines
}

const CAPABILITIES: &str = vocab::CAPABILITIES;
const ALLOWED_VALUES: &str = vocab::ALLOWED_VALUES;

/// Where a doc line's links to the `permissions` module start from: the namespace module. Lines
/// for the `requests` module below it go through [`for_requests`].
const PERMISSIONS_LINK: &str = "](super::permissions::";

/// Undoes the escaping of [`clean_lines`] for the links [`permission_link`] writes (a line of
/// scopes holds nothing else in brackets).
fn keep_permission_links(line: &str) -> String {
    let escaped = format!("`\\{PERMISSIONS_LINK}");
    if !line.contains(&escaped) {
        return line.to_string();
    }
    line.replace(&escaped, &format!("`{PERMISSIONS_LINK}"))
        .replace("\\[`", "[`")
}

/// Doc lines written for the namespace module, made right for its `requests` module.
pub fn for_requests(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .map(|l| l.replace(PERMISSIONS_LINK, "](super::super::permissions::"))
        .collect()
}

/// [`doc_attrs`] for an item of the `requests` module.
pub fn request_doc_attrs(
    model: &Model,
    node: NodeRef,
    inline: &[Annotation],
    facts: &[String],
) -> TokenStream {
    let lines = for_requests(doc_lines(model, node, inline, facts));
    quote! { #(#[doc = #lines])* }
}

/// `[`User.Read`](super::permissions::USER_READ)`: a scope linked to its constant in the
/// generated `permissions` module (plain code when the catalogue does not know it), with
/// `delegated`/`application` when the catalogue has an id for that form.
fn permission_link(model: &Model, name: &str) -> String {
    let consts = super::permissions::constants(model);
    let Some((wire, r, ident)) = consts.iter().find(|(n, _, _)| n.eq_ignore_ascii_case(name))
    else {
        return format!("`{name}`");
    };
    let forms: Vec<&str> = [
        ("DelegatedId", "delegated"),
        ("ApplicationId", "application"),
    ]
    .iter()
    .filter(|(f, _)| super::permissions::field_text(r, f).is_some())
    .map(|(_, w)| *w)
    .collect();
    if forms.is_empty() {
        format!("[`{wire}`{PERMISSIONS_LINK}{ident})")
    } else {
        format!(
            "[`{wire}`{PERMISSIONS_LINK}{ident}) ({})",
            forms.join(" and ")
        )
    }
}

/// Permissions of the catalogue whose documentation lists `t` (or a base type) among the
/// resources it covers (seed 004's permission pages): one line for the requests on `t`.
pub fn resource_permission_lines(model: &Model, t: TypeId) -> Vec<String> {
    let names: Vec<String> = model
        .ancestry(t)
        .iter()
        .map(|a| model[*a].name.to_ascii_lowercase())
        .collect();
    let mut links = Vec::new();
    for (name, r, _) in super::permissions::constants(model) {
        let covers = match field(r, "Resources") {
            Some(Expr::Collection(items)) => items.iter().filter_map(const_text).any(|res| {
                let res = res.rsplit('.').next().unwrap_or(res).to_ascii_lowercase();
                names.contains(&res)
            }),
            _ => false,
        };
        if covers {
            links.push(permission_link(model, &name));
        }
    }
    if links.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "Permissions whose documentation covers `{}` resources: {}.",
        model[t].name,
        links.join(", ")
    )]
}

fn field<'a>(e: &'a Expr, name: &str) -> Option<&'a Expr> {
    record_field(e, name)
}

/// The scopes of a `Permissions` collection, in documentation order (the tables list them from
/// least to most privileged): `[`User.Read`](…) (User consent), [`User.Read.All`](…) (Admin
/// consent)`.
fn scopes_text(model: &Model, permissions: Option<&Expr>) -> Option<String> {
    let Some(Expr::Collection(perms)) = permissions else {
        return None;
    };
    let mut out = Vec::new();
    for p in perms {
        let Some(Expr::Collection(scopes)) = record_field(p, "Scopes") else {
            continue;
        };
        for s in scopes {
            let Some(name) = record_field(s, "Scope").and_then(const_text) else {
                continue;
            };
            let consent = match s {
                Expr::Record { annotations, .. } => annotations
                    .iter()
                    .find(|a| a.term == vocab::DOCS_CONSENT_TYPE)
                    .and_then(|a| a.value.as_ref())
                    .and_then(const_text),
                _ => None,
            };
            let link = permission_link(model, name);
            out.push(match consent {
                Some(c) => format!("{link} ({c} consent)"),
                None => link,
            });
        }
    }
    (!out.is_empty()).then(|| out.join(", "))
}

/// Scope lines of a restrictions record: `get: ...`, `create: ...`.
fn restriction_lines(model: &Model, what: &str, record: &Expr, out: &mut Vec<String>) {
    for (term, verb) in [
        ("ReadRestrictions", "get"),
        ("InsertRestrictions", "create"),
        ("UpdateRestrictions", "update"),
        ("DeleteRestrictions", "delete"),
    ] {
        if let Some(r) = record_field(record, term)
            && let Some(t) = scopes_text(model, record_field(r, "Permissions"))
        {
            out.push(format!("Scopes that authorise {verb} of {what}: {t}."));
        }
    }
}

/// Scopes documented for requests on `node` (an entity set, a navigation property reached
/// through an entity set, or a bound action), one line per request kind. For request builders:
/// their rustdoc lists what can authorise them.
pub fn scope_lines(model: &Model, node: NodeRef) -> Vec<String> {
    let mut out = Vec::new();
    match node {
        NodeRef::EntitySet(c, i) => {
            let Some(set) = model
                .containers
                .get(c.index())
                .and_then(|c| c.entity_sets.get(i as usize))
            else {
                return out;
            };
            let mut restrictions = Vec::new();
            for term in [
                "ReadRestrictions",
                "InsertRestrictions",
                "UpdateRestrictions",
                "DeleteRestrictions",
            ] {
                let full = format!("{CAPABILITIES}.{term}");
                if let Some(v) = annotation(model, node, &set.extras.annotations, &full)
                    .and_then(|a| a.value.clone())
                {
                    restrictions.push(PropertyValue {
                        property: term.to_string(),
                        value: Some(v),
                        annotations: Vec::new(),
                        loc: set.loc,
                    });
                }
            }
            let record = Expr::Record {
                ty: None,
                properties: restrictions,
                annotations: Vec::new(),
            };
            restriction_lines(model, &format!("`{}`", set.name), &record, &mut out);
        }
        NodeRef::Navigation(n) => {
            let nav = &model[n];
            let owner = nav.owner;
            for (ci, c) in model.containers.iter().enumerate() {
                for (si, set) in c.entity_sets.iter().enumerate() {
                    let Some(t) = set.ty.type_id() else { continue };
                    if !model.ancestry(t).contains(&owner) {
                        continue;
                    }
                    let node = NodeRef::EntitySet(ContainerId(ci as u32), si as u32);
                    let full = vocab::NAVIGATION_RESTRICTIONS;
                    let Some(v) = annotation(model, node, &set.extras.annotations, full)
                        .and_then(|a| a.value.as_ref())
                    else {
                        continue;
                    };
                    let Some(Expr::Collection(props)) = record_field(v, "RestrictedProperties")
                    else {
                        continue;
                    };
                    for p in props {
                        if record_field(p, "NavigationProperty").and_then(const_text)
                            == Some(nav.name.as_str())
                        {
                            restriction_lines(
                                model,
                                &format!("`{}/{}`", set.name, nav.name),
                                p,
                                &mut out,
                            );
                        }
                    }
                }
            }
            if let Some(t) = nav.ty.type_id() {
                out.extend(resource_permission_lines(model, t));
            }
        }
        NodeRef::Singleton(c, i) => {
            // The documentation tables give scopes per entity set (`/users/{id}`); a singleton
            // of the same type (`/me`) is the same requests on one entity of it.
            let Some(single) = model
                .containers
                .get(c.index())
                .and_then(|c| c.singletons.get(i as usize))
            else {
                return out;
            };
            let Some(t) = single.ty.type_id() else {
                return out;
            };
            for (ci, cont) in model.containers.iter().enumerate() {
                for (si, set) in cont.entity_sets.iter().enumerate() {
                    if set.ty.type_id() == Some(t) {
                        let lines = scope_lines(
                            model,
                            NodeRef::EntitySet(ContainerId(ci as u32), si as u32),
                        );
                        if !lines.is_empty() {
                            out.push(format!(
                                "`{}` is one `{}` entity: the scopes documented for `{}` apply.",
                                single.name, model[t].name, set.name
                            ));
                            out.extend(lines);
                        }
                    }
                }
            }
        }
        NodeRef::Operation(o) => {
            let op = &model[o];
            let full = vocab::OPERATION_RESTRICTIONS;
            if let Some(t) = annotation(model, node, &op.extras.annotations, full)
                .and_then(|a| a.value.as_ref())
                .and_then(|v| scopes_text(model, record_field(v, "Permissions")))
            {
                out.push(format!("Scopes that authorise calling `{}`: {t}.", op.name));
            }
        }
        _ => {}
    }
    out
}

/// Facts stated by vocabulary annotations (from `$metadata` or merged from documentation
/// tables): read-only, required on create, versions, `$filter` support, `$select`-only, allowed
/// values, and the scopes documented for requests.
pub fn vocabulary_facts(model: &Model, node: NodeRef, inline: &[Annotation]) -> Vec<String> {
    let mut out = Vec::new();
    let is_member = matches!(node, NodeRef::Property(_) | NodeRef::Navigation(_));
    if is_member && read_only(model, node, inline) {
        out.push("Read-only: set by the service, not written in create or update bodies.".into());
    } else if is_member && immutable(model, node, inline) {
        out.push("Immutable: written when creating, not in update bodies.".into());
    }
    if let NodeRef::Property(p) = node {
        let prop = &model[p];
        // Required on create by the declaring type (or a type derived from it that is generated).
        if required_on_create(model, prop.owner)
            .iter()
            .any(|r| r == &prop.name)
        {
            out.push("Required when creating.".into());
        }
    }
    if let NodeRef::Type(t) = node {
        let req = required_on_create(model, t);
        if !req.is_empty() {
            let names: Vec<String> = req.iter().map(|r| format!("`{r}`")).collect();
            out.push(format!("Required when creating: {}.", names.join(", ")));
        }
        for (ci, c) in model.containers.iter().enumerate() {
            for (si, set) in c.entity_sets.iter().enumerate() {
                if set.ty.type_id() == Some(t) {
                    out.extend(scope_lines(
                        model,
                        NodeRef::EntitySet(ContainerId(ci as u32), si as u32),
                    ));
                }
            }
        }
    }
    let versions = strings_of(
        annotation(model, node, inline, vocab::DOCS_VERSIONS).and_then(|a| a.value.as_ref()),
    );
    if !versions.is_empty() {
        out.push(format!("Available in versions: {}.", versions.join(", ")));
    }
    if let Some(a) = annotation(model, node, inline, vocab::DOCS_FILTER_OPERATORS) {
        let ops = strings_of(a.value.as_ref());
        out.push(if ops.is_empty() {
            "Supports `$filter`.".to_string()
        } else {
            format!("Supports `$filter` ({}).", ops.join(", "))
        });
    }
    if annotation(model, node, inline, vocab::DOCS_SELECT_ONLY).is_some() {
        out.push("Returned only when named in `$select`.".into());
    }
    let allowed =
        strings_of(annotation(model, node, inline, ALLOWED_VALUES).and_then(|a| a.value.as_ref()));
    if !allowed.is_empty() {
        let v: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
        out.push(format!("Allowed values: {}.", v.join(", ")));
    }
    if let Some(alias) = annotation(model, node, inline, vocab::DOCS_ONLY_THROUGH)
        .and_then(|a| a.value.as_ref())
        .and_then(const_text)
    {
        out.push(format!(
            "Valid only on `{alias}`: call it on the root's `{}(host)`.",
            heck::ToSnakeCase::to_snake_case(alias)
        ));
    }
    if matches!(
        node,
        NodeRef::Navigation(_) | NodeRef::Operation(_) | NodeRef::Singleton(..)
    ) {
        out.extend(scope_lines(model, node));
    }
    out
}

/// `#[deprecated(note = "…")]` for a [`crate::model::meaning::deprecation`] note, or nothing.
pub fn deprecated_attr(note: Option<&str>) -> TokenStream {
    match note {
        Some(note) => quote! { #[deprecated(note = #note)] },
        None => TokenStream::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_trimmed_and_fences_escaped() {
        let lines = clean_lines("  First line.\n\n    indented code?\n```rust\nfn x() {}\n```\n");
        assert_eq!(
            lines,
            vec![
                " First line.",
                " ",
                " indented code?",
                " \\```rust",
                " fn x() {}",
                " \\```"
            ]
        );
    }

    #[test]
    fn links_html_and_urls_are_made_plain_text() {
        let lines = clean_lines(
            "See [attr] and Collection<Note> at https://example.com/a_b. Or (http://x.y).",
        );
        assert_eq!(
            lines,
            vec![
                r" See \[attr\] and Collection\<Note\> at <https://example.com/a_b>. Or (<http://x.y>)."
            ]
        );
    }
}
