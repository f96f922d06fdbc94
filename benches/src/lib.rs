//! Input and baselines of the runtime benchmarks (issue 14): `cargo bench -p odata-benches
//! --bench users` reads and writes a page of 1,000 Microsoft Graph users
//! ([`page::page_bytes`]) through the generated types of `graph-directory`, through
//! `serde_json::Value`, and through the serde-derive structs of [`derive`].

pub mod derive;
pub mod page;

use graph_directory::microsoft_graph::User;
use odata_runtime::Page;
use serde::Serialize;

/// A page of generated values written back as the service sent it: the context, the next
/// link, then the items (`Page` itself is only read).
#[derive(Serialize)]
pub struct PageOut<'a, T> {
    /// `@odata.context`.
    #[serde(rename = "@odata.context", skip_serializing_if = "Option::is_none")]
    pub context: Option<&'a str>,
    /// `@odata.nextLink`.
    #[serde(rename = "@odata.nextLink", skip_serializing_if = "Option::is_none")]
    pub next_link: Option<&'a str>,
    /// The items.
    pub value: &'a [T],
}

impl<'a, T> PageOut<'a, T> {
    /// What `page` was read from (the members the benchmark's page has).
    pub fn of(page: &'a Page<T>) -> Self {
        PageOut {
            context: page.context_url(),
            next_link: page.next_link.as_deref(),
            value: &page.value,
        }
    }
}

/// Reads the page as a list request does (`Response::json` is `serde_json::from_slice`).
pub fn read_generated(bytes: &[u8]) -> Page<User> {
    serde_json::from_slice(bytes).expect("the page reads")
}

/// Writes a page of generated users.
pub fn write_generated(page: &Page<User>) -> Vec<u8> {
    serde_json::to_vec(&PageOut::of(page)).expect("the page writes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use graph_directory::microsoft_graph::AnyDirectoryObject;
    use serde_json::Value;

    /// `v` without `null` object members, recursively (what the derive structs drop).
    fn without_nulls(v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .filter(|(_, x)| !x.is_null())
                    .map(|(k, x)| (k.clone(), without_nulls(x)))
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(without_nulls).collect()),
            x => x.clone(),
        }
    }

    /// Asserts equal texts, showing where they part.
    fn same_text(a: &[u8], b: &[u8]) {
        if a != b {
            let at = a.iter().zip(b).take_while(|(x, y)| x == y).count();
            let around = |t: &[u8]| {
                String::from_utf8_lossy(&t[at.saturating_sub(80)..(at + 80).min(t.len())])
                    .into_owned()
            };
            panic!("texts differ at byte {at}:\n{}\n{}", around(a), around(b));
        }
    }

    #[test]
    fn the_page_is_deterministic_and_reads_three_ways() {
        let bytes = page::page_bytes();
        same_text(&bytes, &page::page_bytes());
        let tree: Value = serde_json::from_slice(&bytes).unwrap();
        same_text(&serde_json::to_vec(&tree).unwrap(), &bytes);

        // The generated types keep everything: written back byte for byte.
        let page = read_generated(&bytes);
        assert_eq!(page.value.len(), page::USERS);
        for u in &page.value {
            assert!(u.extra.dynamic.is_empty(), "every property is declared");
            let member_of = u.member_of.as_deref().unwrap();
            assert!((3..=5).contains(&member_of.len()));
            assert!(member_of.iter().all(|m| matches!(
                m,
                AnyDirectoryObject::Group(_) | AnyDirectoryObject::DirectoryRole(_)
            )));
            assert!(u.mailbox_settings.as_ref().unwrap().working_hours.is_some());
        }
        same_text(&write_generated(&page), &bytes);

        // The derive structs read every property; they drop the `null`s.
        let plain: derive::Page<derive::User> = serde_json::from_slice(&bytes).unwrap();
        let back: Value = serde_json::to_value(&plain).unwrap();
        assert_eq!(back, without_nulls(&tree));
    }
}
