//! EDM names → Rust identifiers: casing (heck), keywords, invalid characters and collisions.
//!
//! Every identifier the emitters print comes from here, so the rules live in one place and one
//! test table. The EDM name is always kept beside the Rust name for the wire (`INFO.fields`).

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Rust keywords (strict, reserved and 2024-edition) that can be written as raw identifiers.
const RAW_OK: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield", "union", "raw", "safe",
];

/// Keywords that cannot be raw identifiers: they get a trailing `_`.
const NO_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names that generated code must never shadow in a way that breaks it. Emitters write
/// fully qualified paths for these, and a module keeps them only where it defines the name
/// itself (`prelude_paths`), so schema types may take these names; the list is for tests.
pub const STD_NAMES: &[&str] = &[
    "Option", "Result", "String", "Box", "Vec", "Some", "None", "Ok", "Err",
];

/// Makes `s` a valid identifier: characters that cannot appear become `_`, a leading digit gets a
/// prefix, and an empty result becomes `prefix`.
fn sanitize(s: &str, prefix: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.chars().all(|c| c == '_') {
        return format!("{prefix}{out}");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, prefix);
    }
    out
}

fn keyword_safe(s: String) -> String {
    if NO_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if RAW_OK.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// A field, parameter or function name: `snake_case`.
pub fn field_name(edm: &str) -> String {
    let cased = edm.to_snake_case();
    keyword_safe(sanitize(&cased, "f_"))
}

/// A type or variant name: `UpperCamelCase`.
pub fn type_name(edm: &str) -> String {
    let cased = edm.to_upper_camel_case();
    // `Self` is the only keyword UpperCamelCase can produce.
    keyword_safe(sanitize(&cased, "T"))
}

/// A module name for a namespace: `microsoft.graph.callRecords` → `microsoft_graph_call_records`.
pub fn module_name(namespace: &str) -> String {
    let cased = namespace.replace('.', "_").to_snake_case();
    keyword_safe(sanitize(&cased, "ns_"))
}

/// Hands out unique identifiers within one scope: the first claimant keeps a name, later ones get
/// `_2`, `_3`, ... in claim order, so results depend only on declaration order.
#[derive(Clone, Debug)]
pub struct Scope {
    taken: BTreeSet<String>,
    /// Between a name and its number: `_` for snake_case names, empty for CamelCase ones
    /// (`User2`), so numbered names keep their casing lint-clean.
    separator: &'static str,
}

impl Default for Scope {
    fn default() -> Self {
        Scope {
            taken: BTreeSet::new(),
            separator: "_",
        }
    }
}

impl Scope {
    pub fn new() -> Self {
        Scope::default()
    }

    pub fn with_separator(separator: &'static str) -> Self {
        Scope {
            taken: BTreeSet::new(),
            separator,
        }
    }

    /// Reserves names the generator itself uses in this scope.
    pub fn with_reserved(names: &[&str]) -> Self {
        let mut s = Scope::new();
        for n in names {
            s.taken.insert(Self::key(n));
        }
        s
    }

    /// Identifiers compare without a raw prefix: `r#type` and `type` are the same name.
    fn key(name: &str) -> String {
        name.strip_prefix("r#").unwrap_or(name).to_string()
    }

    pub fn claim(&mut self, wanted: String) -> String {
        if self.taken.insert(Self::key(&wanted)) {
            return wanted;
        }
        let base = Self::key(&wanted);
        let base = base.trim_end_matches('_');
        let mut n = 2;
        loop {
            let candidate = format!("{base}{}{n}", self.separator);
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(&Self::key(name))
    }
}

/// Levenshtein distance (ASCII case-sensitive), small strings only.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 2 {
        return 3;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names() {
        let table: &[(&str, &str)] = &[
            ("displayName", "display_name"),
            ("ID", "id"),
            ("businessPhones", "business_phones"),
            ("oDataType", "o_data_type"),
            ("type", "r#type"),
            ("Type", "r#type"),
            ("self", "self_"),
            ("Self", "self_"),
            ("super", "super_"),
            ("crate", "crate_"),
            ("_", "f_"),
            ("final", "r#final"),
            ("move", "r#move"),
            ("gen", "r#gen"),
            ("async", "r#async"),
            ("await", "r#await"),
            ("dyn", "r#dyn"),
            ("try", "r#try"),
            ("extern", "r#extern"),
            ("union", "r#union"),
            ("1stName", "f_1st_name"),
            ("a-b", "a_b"),
            ("Größe", "größe"),
            ("", "f_"),
            ("X509Thumbprint", "x509_thumbprint"),
            ("onPremisesSamAccountName", "on_premises_sam_account_name"),
        ];
        for (edm, rust) in table {
            assert_eq!(field_name(edm), *rust, "field name for {edm:?}");
        }
    }

    #[test]
    fn every_keyword_is_escaped() {
        for k in RAW_OK {
            let f = field_name(k);
            assert!(
                f == format!("r#{k}") || !RAW_OK.contains(&f.as_str()),
                "{k} -> {f}"
            );
            syn::parse_str::<syn::Ident>(&f).unwrap_or_else(|e| panic!("{k} -> {f}: {e}"));
        }
        for k in NO_RAW {
            let f = field_name(k);
            syn::parse_str::<syn::Ident>(&f).unwrap_or_else(|e| panic!("{k} -> {f}: {e}"));
            let t = type_name(k);
            syn::parse_str::<syn::Ident>(&t).unwrap_or_else(|e| panic!("{k} -> {t}: {e}"));
        }
    }

    #[test]
    fn type_names() {
        let table: &[(&str, &str)] = &[
            ("user", "User"),
            ("directoryObject", "DirectoryObject"),
            ("Self", "Self_"),
            ("self", "Self_"),
            ("HTTPMethod", "HttpMethod"),
            ("oAuth2PermissionGrant", "OAuth2PermissionGrant"),
            ("9lives", "T9lives"),
            ("Option", "Option"),
            ("a.b", "AB"),
            ("", "T"),
        ];
        for (edm, rust) in table {
            assert_eq!(type_name(edm), *rust, "type name for {edm:?}");
        }
    }

    #[test]
    fn module_names() {
        assert_eq!(module_name("microsoft.graph"), "microsoft_graph");
        assert_eq!(
            module_name("microsoft.graph.callRecords"),
            "microsoft_graph_call_records"
        );
        assert_eq!(module_name("ODataDemo"), "o_data_demo");
        assert_eq!(module_name("NS*2"), "ns_2");
        assert_eq!(module_name("self"), "self_");
    }

    #[test]
    fn collisions_are_numbered_in_claim_order() {
        let mut s = Scope::with_reserved(&["extra"]);
        assert_eq!(s.claim(field_name("Name")), "name");
        assert_eq!(s.claim(field_name("name")), "name_2");
        assert_eq!(s.claim(field_name("NAME")), "name_3");
        assert_eq!(s.claim(field_name("extra")), "extra_2");
        assert_eq!(s.claim(field_name("type")), "r#type");
        assert_eq!(s.claim(field_name("Type")), "type_2");
        assert_eq!(s.claim("name_2".to_string()), "name_2_2");
        let mut t = Scope::with_separator("");
        assert_eq!(t.claim(type_name("user")), "User");
        assert_eq!(t.claim(type_name("User")), "User2");
        assert_eq!(t.claim(type_name("self")), "Self_");
        assert_eq!(t.claim(type_name("Self")), "Self2");
    }
}
