//! Rustdoc from the schema: `Core.Description`, `Core.LongDescription` (V2 `Documentation` is
//! lowered to these by the reader) and facts; `Core.Revisions` deprecation → `#[deprecated]`.
//!
//! Descriptions are text, never code: every line is trimmed (no indented code blocks), code
//! fences are escaped, and each line becomes one `#[doc]` attribute.

use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

const DESCRIPTION: &str = "Org.OData.Core.V1.Description";
const LONG_DESCRIPTION: &str = "Org.OData.Core.V1.LongDescription";
const REVISIONS: &str = "Org.OData.Core.V1.Revisions";

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
    quote! { #(#[doc = #lines])* }
}

/// `#[deprecated(note = ...)]` when a `Core.Revisions` record has `Kind` `Deprecated`.
pub fn deprecation(model: &Model, node: NodeRef, inline: &[Annotation]) -> TokenStream {
    for a in model.annotations_of(node, inline) {
        if model.term_full_name(&a.term) != REVISIONS {
            continue;
        }
        let Some(Expr::Collection(items)) = &a.value else {
            continue;
        };
        for item in items {
            let Expr::Record { properties, .. } = item else {
                continue;
            };
            let kind = properties.iter().find(|p| p.property == "Kind");
            let deprecated = kind.is_some_and(|k| match &k.value {
                Some(Expr::Constant(ConstKind::EnumMember, v)) => {
                    v.ends_with("/Deprecated")
                        || v.ends_with("'Deprecated'")
                        || v.rsplit(['/', '.']).next() == Some("Deprecated")
                }
                Some(Expr::Constant(_, v)) => v == "Deprecated",
                _ => false,
            });
            if !deprecated {
                continue;
            }
            let text = |name: &str| {
                properties
                    .iter()
                    .find(|p| p.property == name)
                    .and_then(|p| match &p.value {
                        Some(Expr::Constant(_, v)) => Some(v.clone()),
                        _ => None,
                    })
            };
            let mut note = text("Description").unwrap_or_default();
            if let Some(v) = text("Version") {
                note = if note.is_empty() {
                    format!("deprecated as of {v}")
                } else {
                    format!("{note} (deprecated as of {v})")
                };
            }
            let note = note.split_whitespace().collect::<Vec<_>>().join(" ");
            return quote! { #[deprecated(note = #note)] };
        }
    }
    TokenStream::new()
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
