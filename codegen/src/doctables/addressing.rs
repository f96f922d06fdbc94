//! Addressing the prose shows (Azure AD Graph's pages, seeds 001 and 002):
//!
//! - the example and request URLs on lines of their own (`https://graph.windows.net/me?api-version=1.6`,
//!   `GET https://graph.windows.net/me/$links/manager?api-version`): each kept written in full
//!   with the segments of its path after the host ([`DocSet::urls`]);
//! - an alias of the signed-in principal: a sentence or list item `<alias> targets the signed-in
//!   <noun>` (`• me targets the signed-in user.`), read only when an example URL of the same page
//!   is the host followed by the alias alone (`https://graph.windows.net/me`: addressed from the
//!   host, in place of the tenant) ([`DocSet::aliases`]). Without such a URL it is a located
//!   warning: where the alias is addressed from is not known.
//!
//! The noun names the entity type the alias addresses; the model stage finds that type
//! ([`super::build::attach_aliases`]).

use super::markdown::{is_identifier, parse_path};
use super::{DocAlias, DocSet, Source};
use crate::diag::Diagnostics;

/// The URL of a line that is one (`https://…`) or a request (`GET https://…`): (its offset in the
/// line, the URL, the path after the host without query, fragment or `[?…]`).
fn line_url(line: &str) -> Option<(usize, &str, &str)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let url = match words.as_slice() {
        [url] => *url,
        [m, url] if matches!(*m, "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "MERGE") => *url,
        _ => return None,
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let path = rest.find('/').map(|i| &rest[i..]).unwrap_or("");
    let path = path.split(['?', '#', '[']).next().unwrap_or("");
    let at = url.as_ptr() as usize - line.as_ptr() as usize;
    Some((at, url, path))
}

/// `<alias> targets the signed-in <noun>` (after a list bullet): (offset of the alias, alias,
/// noun).
fn alias_sentence(line: &str) -> Option<(usize, &str, &str)> {
    let t = line.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '•' | '-' | '*'));
    let words: Vec<&str> = t.split_whitespace().take(5).collect();
    let [alias, targets, the, signed_in, noun] = words.as_slice() else {
        return None;
    };
    let noun = noun.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    let ok = is_identifier(alias)
        && *targets == "targets"
        && the.eq_ignore_ascii_case("the")
        && signed_in.eq_ignore_ascii_case("signed-in")
        && is_identifier(noun);
    let at = alias.as_ptr() as usize - line.as_ptr() as usize;
    ok.then_some((at, *alias, noun))
}

pub fn read(src: &Source, set: &mut DocSet, diags: &mut Diagnostics) {
    let lines = src.lines();
    let mut paths: Vec<&str> = Vec::new();
    for (o, l) in &lines {
        let Some((at, url, path)) = line_url(l) else {
            continue;
        };
        if path.trim_matches('/').is_empty() {
            continue;
        }
        let mut p = parse_path(path, src.loc(o + at));
        p.written = url.to_string();
        set.urls.push(p);
        paths.push(path);
    }
    for (o, l) in &lines {
        let Some((at, alias, noun)) = alias_sentence(l) else {
            continue;
        };
        let loc = src.loc(o + at);
        let from_host = paths.iter().any(|p| {
            p.trim_end_matches('/')
                .eq_ignore_ascii_case(&format!("/{alias}"))
        });
        if !from_host {
            diags.warning(
                loc,
                format!(
                    "`{alias}` targets the signed-in {noun}, but no example URL of this page addresses `{alias}` from the host; not read"
                ),
            );
            continue;
        }
        if !set
            .aliases
            .iter()
            .any(|a| a.name.eq_ignore_ascii_case(alias))
        {
            set.aliases.push(DocAlias {
                name: alias.to_string(),
                signed_in: noun.to_string(),
                loc,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::FileId;
    use crate::doctables::PathSegment;

    fn read_text(text: &str) -> (DocSet, Diagnostics) {
        let mut set = DocSet::default();
        let mut diags = Diagnostics::default();
        read(&Source::new(FileId(0), text), &mut set, &mut diags);
        (set, diags)
    }

    /// Seed 002's `The signed-in user` section: the alias with the noun it targets, and every
    /// URL line (not one inside JSON or prose); an alias no URL addresses from the host is a
    /// located warning.
    #[test]
    fn signed_in_alias_and_urls() {
        let text = "\
The signed-in user
Endpoint
https://graph.windows.net/me?api-version=1.6

  \u{2022} me targets the signed-in user. You can use this resource path to get it.
  \u{2022} me/{nav_property} targets the specified navigation property of the signed-in user.
  \u{2022} you targets the signed-in admin.
Gets the signed-in user's manager
GET https://graph.windows.net/me/manager?api-version
PATCH https://graph.windows.net/me[?api-version]
  \"odata.metadata\": \"https://graph.windows.net/myorganization/$metadata#users\",
Addressing the users of a tenant using this alias
https://graph.windows.net/myorganization/users?api-version=1.6
";
        let (set, diags) = read_text(text);
        let aliases: Vec<(&str, &str, u32, u32)> = set
            .aliases
            .iter()
            .map(|a| (a.name.as_str(), a.signed_in.as_str(), a.loc.line, a.loc.col))
            .collect();
        assert_eq!(aliases, vec![("me", "user", 5, 5)]);
        let urls: Vec<(&str, &[PathSegment])> = set
            .urls
            .iter()
            .map(|u| (u.written.as_str(), u.segments.as_slice()))
            .collect();
        let name = |s: &str| PathSegment::Name(s.into());
        assert_eq!(
            urls,
            vec![
                (
                    "https://graph.windows.net/me?api-version=1.6",
                    &[name("me")][..]
                ),
                (
                    "https://graph.windows.net/me/manager?api-version",
                    &[name("me"), name("manager")][..]
                ),
                (
                    "https://graph.windows.net/me[?api-version]",
                    &[name("me")][..]
                ),
                (
                    "https://graph.windows.net/myorganization/users?api-version=1.6",
                    &[name("users")][..]
                ),
            ]
        );
        let warned: Vec<(u32, u32)> = diags
            .items
            .iter()
            .map(|d| (d.loc.line, d.loc.col))
            .collect();
        assert_eq!(warned, vec![(7, 5)], "{diags:?}");
    }
}
