//! Prelude names in a generated module: emitters write `::core::option::Option`,
//! `::std::string::String` and the like in full, so that no schema name can break them; this
//! pass rewrites them to `Option`, `String`, ... in every module that defines no item of that
//! name (it does for a schema type called `Option` or `String`: `keywords_and_std_names`).
//!
//! Why: the compiler parses, expands and resolves every path of the crate on every build,
//! incremental or not, and a path of three segments costs three times one. On Microsoft
//! Graph v1.0 (about 100,000 such paths) the incremental `cargo check` is about 5% faster and
//! needs 140 MB less (BENCHMARKS.md, "Fifth step"); the code also reads as Rust is written.
//!
//! The rewrite is lexical, over the printed text: it never touches comments, string or
//! character literals, and only rewrites a path that starts where a path can start (not after
//! an identifier or `::`) and ends at the end of a name.

use std::collections::BTreeSet;

/// The paths rewritten and the prelude name each is (Rust 2021/2024 prelude of `std`).
const PRELUDE: &[(&str, &str)] = &[
    ("::core::option::Option", "Option"),
    ("::core::result::Result", "Result"),
    ("::std::string::String", "String"),
    ("::std::vec::Vec", "Vec"),
    ("::std::boxed::Box", "Box"),
    ("::core::clone::Clone", "Clone"),
    ("::core::default::Default", "Default"),
    ("::core::cmp::PartialEq", "PartialEq"),
    ("::core::convert::Into", "Into"),
];

/// Rewrites the prelude paths in the texts of one module (all of them: the items always
/// compiled and every area file, which are one scope), except those whose short name the
/// module itself defines or imports.
pub fn shorten_module(texts: &mut [&mut String]) {
    let defined = defined_names(texts.iter().map(|t| t.as_str()));
    if defined.contains("*") {
        return;
    }
    let rewrites: Vec<(&str, &str)> = PRELUDE
        .iter()
        .copied()
        .filter(|(_, short)| !defined.contains(*short))
        .collect();
    if rewrites.is_empty() {
        return;
    }
    for text in texts.iter_mut() {
        if let Some(new) = rewrite(text, &rewrites) {
            **text = new;
        }
    }
}

/// Every name a module's text could put in its type namespace, over-approximated: the names of
/// `struct`, `enum`, `union`, `type`, `trait` and `mod` items at any depth, and every identifier
/// of a `use` or `extern crate` item (to its `;`, over lines). A glob import (`use a::*`) could
/// bring any name: it puts `*` in the set, and [`shorten_module`] then rewrites nothing.
fn defined_names<'a>(texts: impl Iterator<Item = &'a str>) -> BTreeSet<&'a str> {
    const KINDS: &[&str] = &["struct ", "enum ", "union ", "type ", "trait ", "mod "];
    const PREFIXES: &[&str] = &["unsafe ", "auto "];
    let mut out = BTreeSet::new();
    for text in texts {
        let mut in_use = false;
        for line in text.lines() {
            let mut l = line.trim_start();
            if l.starts_with("//") {
                continue;
            }
            if !in_use {
                if let Some(rest) = l.strip_prefix("pub") {
                    // `pub`, `pub(crate)`, `pub(super)`, `pub(in path)`.
                    let rest = match rest.strip_prefix('(') {
                        Some(r) => r.split_once(')').map_or(r, |(_, after)| after),
                        None => rest,
                    };
                    l = rest.trim_start();
                }
                in_use = l.starts_with("use ") || l.starts_with("extern crate ");
            }
            if in_use {
                let item = l.split_once(';').map_or(l, |(item, _)| item);
                out.extend(idents(item));
                if item.contains('*') {
                    out.insert("*");
                }
                in_use = !l.contains(';');
                continue;
            }
            for prefix in PREFIXES {
                l = l.strip_prefix(prefix).unwrap_or(l);
            }
            for kind in KINDS {
                if let Some(name) = l.strip_prefix(kind).and_then(|rest| idents(rest).next()) {
                    out.insert(name);
                }
            }
        }
    }
    out
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// The identifiers (and keywords) of `s`, in order.
fn idents(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty() && !w.starts_with(|c: char| c.is_ascii_digit()))
}

/// `text` with `rewrites` applied outside comments and literals, or `None` if nothing changed.
fn rewrite(text: &str, rewrites: &[(&str, &str)]) -> Option<String> {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // Bytes before `copied` are in `out`; `i` is the scan position.
    let (mut copied, mut i) = (0, 0);
    let mut changed = false;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(b.len(), |n| i + n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => i = skip_block_comment(b, i),
            b'"' => i = skip_string(b, i),
            // `r"…"`, `r#"…"#`, and with a `b` or `c` prefix (`br"…"`).
            b'r' if (i == 0
                || !is_ident(b[i - 1])
                || (matches!(b[i - 1], b'b' | b'c') && (i == 1 || !is_ident(b[i - 2]))))
                && raw_string_at(b, i).is_some() =>
            {
                let hashes = raw_string_at(b, i).unwrap_or(0);
                let close = format!("\"{}", "#".repeat(hashes));
                let body = i + 1 + hashes + 1;
                i = text[body..]
                    .find(&close)
                    .map_or(b.len(), |n| body + n + close.len());
            }
            b'\'' => i = skip_char_or_lifetime(text, i),
            b':' if b.get(i + 1) == Some(&b':')
                && (i == 0 || !(is_ident(b[i - 1]) || b[i - 1] == b':')) =>
            {
                let found = rewrites.iter().find(|(long, _)| {
                    text[i..].starts_with(long)
                        && b.get(i + long.len()).is_none_or(|&c| !is_ident(c))
                });
                match found {
                    Some((long, short)) => {
                        out.push_str(&text[copied..i]);
                        out.push_str(short);
                        i += long.len();
                        copied = i;
                        changed = true;
                    }
                    None => i += 2,
                }
            }
            _ => i += 1,
        }
    }
    if !changed {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// The index after the block comment that starts at `b[start..]` == `/*`; block comments nest
/// (prettyplease writes a doc string with a newline in it as `/** … */`, and a description or
/// name may hold `/*` or `*/`).
fn skip_block_comment(b: &[u8], start: usize) -> usize {
    let (mut depth, mut i) = (0usize, start);
    while i + 1 < b.len() {
        match (b[i], b[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    b.len()
}

/// The index after the string literal that starts at `b[start] == '"'`.
fn skip_string(b: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// The number of `#`s of a raw string literal starting at `b[i] == 'r'`, if one does.
fn raw_string_at(b: &[u8], i: usize) -> Option<usize> {
    let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
    (b.get(i + 1 + hashes) == Some(&b'"')).then_some(hashes)
}

/// The index after the character literal or lifetime that starts at `text[start] == '\''`.
fn skip_char_or_lifetime(text: &str, start: usize) -> usize {
    let rest = &text[start + 1..];
    let mut chars = rest.char_indices();
    match chars.next() {
        // `'\n'`, `'\''`, `'\u{..}'`: to the closing quote after the escape.
        Some((_, '\\')) => {
            let after = &rest[2.min(rest.len())..];
            after
                .find('\'')
                .map_or(text.len(), |n| start + 1 + 2 + n + 1)
        }
        Some((_, _)) => match chars.next() {
            Some((n, '\'')) => start + 1 + n + 1,
            // A lifetime or label (`'de`): the quote alone.
            _ => start + 1,
        },
        None => text.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn short(text: &str) -> String {
        let mut s = text.to_string();
        shorten_module(&mut [&mut s]);
        s
    }

    #[test]
    fn rewrites_paths_in_code() {
        assert_eq!(
            short("pub a: ::core::option::Option<::std::string::String>,"),
            "pub a: Option<String>,"
        );
        assert_eq!(
            short("x: ::core::clone::Clone::clone(&self.x), <T as ::core::default::Default>"),
            "x: Clone::clone(&self.x), <T as Default>"
        );
        assert_eq!(
            short("fn f<'de>(v: &'de str) -> ::core::result::Result<(), E>"),
            "fn f<'de>(v: &'de str) -> Result<(), E>"
        );
    }

    #[test]
    fn leaves_comments_literals_and_other_paths() {
        for text in [
            "/// `::core::option::Option`\n",
            "// ::std::vec::Vec\n",
            "/* ::std::vec::Vec */",
            "/** a /* b */ \" ::std::vec::Vec */ \"s\"",
            "br#\"x \" ::std::vec::Vec\"#",
            "\"::std::vec::Vec\"",
            "\"a \\\" ::std::vec::Vec\"",
            "r#\"\" ::std::vec::Vec\"#",
            "x::core::option::Option",
            "::core::option::OptionX",
            "::core::fmt::Result",
            "::std::collections::HashMap<K, V>",
        ] {
            assert_eq!(short(text), text, "{text}");
        }
        assert_eq!(
            short("'\"' ::std::vec::Vec<u8> '\\'' ::std::vec::Vec<u8>"),
            "'\"' Vec<u8> '\\'' Vec<u8>"
        );
    }

    #[test]
    fn keeps_full_paths_for_names_the_module_defines() {
        let mut types = "pub enum Option { A }\npub type String = ::std::string::String;\n\
            pub a: ::core::option::Option<::std::string::String>, b: ::std::vec::Vec<u8>,\n"
            .to_string();
        // An area file of the same module: one scope.
        let mut area = "pub c: ::core::option::Option<::std::boxed::Box<u8>>,\n".to_string();
        shorten_module(&mut [&mut types, &mut area]);
        assert!(
            types.contains("pub type String = ::std::string::String;"),
            "{types}"
        );
        assert!(
            types.contains("pub a: ::core::option::Option<::std::string::String>, b: Vec<u8>"),
            "{types}"
        );
        assert_eq!(area, "pub c: ::core::option::Option<Box<u8>>,\n");
        let mut imports =
            "use ::odata_runtime::{\n    Box as B,\n    Vec,\n};\n::std::vec::Vec<::std::boxed::Box<u8>>"
                .to_string();
        shorten_module(&mut [&mut imports]);
        assert!(
            imports.ends_with("::std::vec::Vec<::std::boxed::Box<u8>>"),
            "{imports}"
        );
        // A glob import may bring any name: nothing is rewritten.
        let text = "use a::*;\npub unsafe trait Clone {}\n::core::option::Option<u8>";
        assert_eq!(short(text), text);
        assert_eq!(
            short("pub unsafe trait Clone {}\n::core::clone::Clone, ::core::option::Option<u8>"),
            "pub unsafe trait Clone {}\n::core::clone::Clone, Option<u8>"
        );
    }
}
