//! Functions and actions the prose names without a parameter table (Azure AD Graph's pages):
//!
//! - `You can call the isMemberOf function …` sentences (one per line) in a section titled
//!   `Functions and actions on users` (the entity set whose members they are called on);
//! - the addressing examples of an overview page: a `/{function_name}` path (at the tenant) or
//!   `/{resource_collection}/{resource_id}/{function_name}` (on a resource), followed by
//!   `E.g. Targeting the isMemberOf function` and an example URL naming the collection.
//!
//! What these say is a name, function or action, and where it is called; never parameters or a
//! result. A sentence that goes on `on the signed-in <noun>` (`You can call the changePassword
//! action on the signed-in user …`) says the call is valid only on the signed-in one
//! ([`DocCall::signed_in`]); any other wording leaves it a call on every member. A sentence or
//! example that cannot be placed is a located warning.

use super::{CallTarget, DocCall, DocSet, Source};
use crate::diag::Diagnostics;

/// `… the {name} function|action …`: the name and whether it is an action.
fn named_call(text: &str) -> Option<(String, bool, usize)> {
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    words.windows(3).find_map(|w| {
        let [(_, the), (at, name), (_, kind)] = w else {
            return None;
        };
        if !the.eq_ignore_ascii_case("the") || !super::markdown::is_identifier(name) {
            return None;
        }
        let kind = kind.to_ascii_lowercase();
        let action = if kind.starts_with("action") {
            true
        } else if kind.starts_with("function") {
            false
        } else {
            return None;
        };
        Some((name.to_string(), action, *at))
    })
}

/// `… on the signed-in user …` → `user`: the noun the first `on the signed-in` is followed by.
fn on_signed_in(sentence: &str) -> Option<String> {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    words.windows(4).find_map(|w| {
        let [on, the, signed_in, noun] = w else {
            return None;
        };
        let noun = noun.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
        (on.eq_ignore_ascii_case("on")
            && the.eq_ignore_ascii_case("the")
            && signed_in.eq_ignore_ascii_case("signed-in")
            && super::markdown::is_identifier(noun))
        .then(|| noun.to_string())
    })
}

/// `Functions and actions on users` / `Functions or actions exposed on the tenant`: what
/// follows `on`, when the line is such a title.
fn section_target(line: &str) -> Option<&str> {
    let l = line.trim();
    let rest = l
        .strip_prefix("Functions and actions ")
        .or_else(|| l.strip_prefix("Functions or actions "))?;
    let rest = rest.strip_prefix("exposed ").unwrap_or(rest);
    rest.strip_prefix("on ").map(str::trim)
}

/// The entity set an example URL addresses: the segment after the tenant
/// (`https://graph.windows.net/contoso.com/users/…` → `users`).
fn url_collection(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let path = rest.split(['?', '#']).next()?;
    let mut segs = path.split('/').skip(2);
    segs.next().filter(|s| super::markdown::is_identifier(s))
}

pub fn read(src: &Source, set: &mut DocSet, diags: &mut Diagnostics) {
    let lines = src.lines();
    let mut section: Option<(String, usize)> = None;
    for (i, (o, l)) in lines.iter().enumerate() {
        if let Some(t) = section_target(l) {
            section = Some((t.to_string(), *o));
            continue;
        }
        let t = l.trim();
        let col = l.len() - l.trim_start().len();
        if let Some(sentence) = t.strip_prefix("You can call the ") {
            let Some((name, action, at)) = named_call(&format!("the {sentence}")) else {
                continue;
            };
            let loc = src.loc(o + col + "You can call ".len() + at);
            let target = match &section {
                Some((s, _)) if super::markdown::is_identifier(s) => CallTarget::Member(s.clone()),
                Some((s, _)) if s.eq_ignore_ascii_case("the tenant") => CallTarget::Tenant,
                _ => {
                    diags.warning(
                        loc,
                        format!(
                            "`{name}` is named here outside a `Functions and actions on <entity set>` section: not known where it is called; not read"
                        ),
                    );
                    continue;
                }
            };
            let signed_in = on_signed_in(sentence);
            push(
                set,
                name,
                action,
                target,
                Some(t.to_string()),
                signed_in,
                loc,
            );
            continue;
        }
        // An addressing example: the path, then `E.g. Targeting the X function`, then the URL.
        if t == "/{function_name}" || t.ends_with("/{resource_id}/{function_name}") {
            let next: Vec<(usize, &str)> = lines[i + 1..]
                .iter()
                .filter(|(_, l)| !l.trim().is_empty())
                .take(2)
                .copied()
                .collect();
            let named = next.first().and_then(|(no, nl)| {
                let (name, action, at) = named_call(nl)?;
                Some((name, action, src.loc(no + at)))
            });
            let Some((name, action, loc)) = named else {
                diags.warning(
                    src.loc(o + col),
                    "function address without an example naming a function or action; not read",
                );
                continue;
            };
            let target = if t == "/{function_name}" {
                CallTarget::Tenant
            } else {
                match next.get(1).and_then(|(_, u)| url_collection(u.trim())) {
                    Some(c) => CallTarget::Member(c.to_string()),
                    None => {
                        diags.warning(
                            loc,
                            format!(
                                "`{name}`: the example gives no URL naming the resource collection it is called on; not read"
                            ),
                        );
                        continue;
                    }
                }
            };
            push(set, name, action, target, None, None, loc);
        }
    }
}

/// Adds a call unless the same name and target is already read (a sentence and an example).
fn push(
    set: &mut DocSet,
    name: String,
    action: bool,
    target: CallTarget,
    description: Option<String>,
    signed_in: Option<String>,
    loc: crate::diag::Loc,
) {
    let same = set
        .calls
        .iter()
        .any(|c| c.name.eq_ignore_ascii_case(&name) && c.target == target);
    if !same {
        set.calls.push(DocCall {
            name,
            action,
            target,
            description,
            signed_in,
            loc,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::FileId;

    fn read_text(text: &str) -> (DocSet, Diagnostics) {
        let mut set = DocSet::default();
        let mut diags = Diagnostics::default();
        read(&Source::new(FileId(0), text), &mut set, &mut diags);
        (set, diags)
    }

    #[test]
    fn sentences_in_a_section_and_addressing_examples() {
        let text = "\
You can call the stray function before any section.
Functions and actions on users

You can call the assignLicense action to assign licenses.
You can call the isMemberOf function to check membership.
You can call the changePassword action on the signed-in user to change their password.

Functions or actions exposed on the tenant
Path
/{function_name}
E.g. Targetting the isMemberOf function
https://graph.windows.net/myorganization/isMemberOf?api-version=1.6

Path
/{resource_collection}/{resource_id}/{function_name}
E.g. Targetting the getMemberGroups function/figcaption>
https://graph.windows.net/contoso.com/users/a@b?api-version=1.6
Path
/{resource_collection}/{resource_id}/{function_name}
E.g. Targetting the lost function
";
        let (set, diags) = read_text(text);
        let got: Vec<(String, bool, CallTarget, u32, u32)> = set
            .calls
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    c.action,
                    c.target.clone(),
                    c.loc.line,
                    c.loc.col,
                )
            })
            .collect();
        let users = || CallTarget::Member("users".into());
        assert_eq!(
            got,
            vec![
                ("assignLicense".into(), true, users(), 4, 18),
                ("isMemberOf".into(), false, users(), 5, 18),
                ("changePassword".into(), true, users(), 6, 18),
                ("isMemberOf".into(), false, CallTarget::Tenant, 11, 21),
                ("getMemberGroups".into(), false, users(), 16, 21),
            ]
        );
        // Only the sentence that says so is about the signed-in one.
        let signed_in: Vec<Option<&str>> =
            set.calls.iter().map(|c| c.signed_in.as_deref()).collect();
        assert_eq!(signed_in, vec![None, None, Some("user"), None, None]);
        assert_eq!(
            set.calls[0].description.as_deref(),
            Some("You can call the assignLicense action to assign licenses.")
        );
        // The stray sentence and the example without a URL are located warnings.
        let warned: Vec<u32> = diags.items.iter().map(|d| d.loc.line).collect();
        assert_eq!(warned, vec![1, 20], "{diags:?}");
    }
}
