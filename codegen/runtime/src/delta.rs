//! Delta queries: the changes to a collection since a delta link was handed out (Microsoft
//! Graph's `delta` functions, and any collection whose last page ends with `@odata.deltaLink`).
//!
//! [`fetch_delta`] / [`fetch_delta_blocking`] send the first request, follow next links to the
//! page that carries the delta link, and give back a [`Delta`]: the changes in order
//! ([`Change::Changed`] entities, typed; [`Change::Removed`] for entities that were deleted or
//! left the collection, marked `@removed` (4.01 and Microsoft Graph) or sent as a V4.0
//! `$deletedEntity`), and the [`DeltaLink`] to ask for the next round of changes. A
//! `DeltaLink` is plain data: serialize it (serde), store it, and resume from it later with
//! [`crate::Call::resume`].
//!
//! ```no_run
//! # fn f(users: odata_runtime::Call<odata_runtime::resource::Many<serde_json::Value>>,
//! #      client: &impl odata_runtime::BlockingClient, stored: Option<odata_runtime::DeltaLink>)
//! #      -> Result<(), odata_runtime::Error> {
//! use odata_runtime::Change;
//! // `users` is a generated `graph.users().delta()`; `client` a `reqwest::blocking::Client` with
//! // the `reqwest-blocking` feature, or any other `BlockingClient`.
//! let call = match &stored { Some(link) => users.resume(link), None => users };
//! let delta = call.changes_blocking(client)?;
//! for change in delta.changes {
//!     match change {
//!         Change::Changed(user) => println!("changed: {user}"),
//!         Change::Removed(gone) => println!("removed: {:?} ({:?})", gone.id, gone.reason),
//!     }
//! }
//! let next_time: String = serde_json::to_string(&delta.delta_link).unwrap();
//! # Ok(()) }
//! ```

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::client::{BlockingClient, Client};
use crate::error::Error;
use crate::paging::{Page, fetch_page, fetch_page_blocking};
use crate::request::Request;

/// One change in a delta response.
#[derive(Clone, Debug, PartialEq)]
pub enum Change<T> {
    /// An entity that was added or changed, with the properties the service sent (Microsoft
    /// Graph sends only the changed ones for an update).
    Changed(T),
    /// An entity that was deleted or no longer belongs to the collection.
    Removed(Removed),
}

/// An entity a delta response marks as removed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Removed {
    /// Its id: `@id` / `@odata.id`, else its `id` property.
    pub id: Option<String>,
    /// Why: `deleted` (gone for good) or `changed` (no longer matches, or soft-deleted), when
    /// the service says.
    pub reason: Option<String>,
    /// The object as sent.
    pub object: Map<String, Value>,
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Change<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        let removed = value.as_object().and_then(|m| {
            let marker = m.get("@removed").or_else(|| m.get("@odata.removed"));
            let deleted_entity = m
                .get("@odata.context")
                .or_else(|| m.get("@context"))
                .and_then(Value::as_str)
                .is_some_and(|c| c.ends_with("$deletedEntity"));
            if marker.is_none() && !deleted_entity {
                return None;
            }
            let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
            Some(Removed {
                id: text(
                    m.get("@id")
                        .or_else(|| m.get("@odata.id"))
                        .or_else(|| m.get("id")),
                ),
                reason: text(
                    marker
                        .and_then(|r| r.get("reason"))
                        .or_else(|| m.get("reason")),
                ),
                object: m.clone(),
            })
        });
        match removed {
            Some(r) => Ok(Change::Removed(r)),
            None => serde_json::from_value(value)
                .map(Change::Changed)
                .map_err(D::Error::custom),
        }
    }
}

/// Where the next round of changes starts: an absolute URL with the service's delta token.
/// Serialize it to store it; resume with [`crate::Call::resume`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DeltaLink(String);

/// A JSON string.
impl Serialize for DeltaLink {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DeltaLink {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(DeltaLink)
    }
}

impl DeltaLink {
    /// A delta link stored earlier as text.
    pub fn new(url: impl Into<String>) -> Self {
        DeltaLink(url.into())
    }

    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The changes of one delta round and the link to the next.
#[derive(Clone, Debug, PartialEq)]
pub struct Delta<T> {
    /// The changes, in the order the service sent them, across all pages.
    pub changes: Vec<Change<T>>,
    /// The link to ask for the changes after these.
    pub delta_link: DeltaLink,
}

/// Accumulates pages; `Some(request)` for the next page, `None` when the delta link came.
fn take_page<T>(
    page: Page<Change<T>>,
    request: &Request,
    changes: &mut Vec<Change<T>>,
) -> Result<Result<Request, DeltaLink>, Error> {
    let next = page.next_request(request)?;
    let delta = match &page.delta_link {
        Some(link) => Some(DeltaLink(page.resolve_link(&request.url, link)?)),
        None => None,
    };
    changes.extend(page.value);
    match (next, delta) {
        (Some(next), _) => Ok(Ok(next)),
        (None, Some(link)) => Ok(Err(link)),
        (None, None) => Err(Error::Unexpected(format!(
            "the delta response to {} ended without a delta link",
            request.url
        ))),
    }
}

/// Sends `first` and follows next links until the page with the delta link, with a blocking
/// client.
pub fn fetch_delta_blocking<C: BlockingClient + ?Sized, T: DeserializeOwned>(
    client: &C,
    first: Request,
) -> Result<Delta<T>, Error> {
    let mut changes = Vec::new();
    let mut request = first;
    loop {
        let page = fetch_page_blocking::<C, Change<T>>(client, request.clone())?;
        match take_page(page, &request, &mut changes)? {
            Ok(next) => request = next,
            Err(delta_link) => {
                return Ok(Delta {
                    changes,
                    delta_link,
                });
            }
        }
    }
}

/// Sends `first` and follows next links until the page with the delta link, with an async
/// client.
pub async fn fetch_delta<C: Client + ?Sized, T: DeserializeOwned>(
    client: &C,
    first: Request,
) -> Result<Delta<T>, Error> {
    let mut changes = Vec::new();
    let mut request = first;
    loop {
        let page = fetch_page::<C, Change<T>>(client, request.clone()).await?;
        match take_page(page, &request, &mut changes)? {
            Ok(next) => request = next,
            Err(delta_link) => {
                return Ok(Delta {
                    changes,
                    delta_link,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Response;
    use std::sync::Mutex;

    /// A Microsoft Graph-like delta: two pages, then a delta link; a resumed round.
    struct Graphish(Mutex<Vec<String>>);

    impl BlockingClient for Graphish {
        fn send(&self, request: Request) -> Result<Response, Error> {
            let mut seen = self.0.lock().unwrap();
            seen.push(request.url.clone());
            let body = if request.url.contains("$deltatoken=t1") {
                r##"{"@odata.context":"https://g/v1.0/$metadata#users","value":[
                    {"id":"u3","displayName":"New"}],
                    "@odata.deltaLink":"https://g/v1.0/users/delta()?$deltatoken=t2"}"##
            } else if request.url.contains("$skiptoken=s1") {
                r##"{"@odata.context":"https://g/v1.0/$metadata#users","value":[
                    {"@odata.type":"#microsoft.graph.user","id":"u2","@removed":{"reason":"deleted"}},
                    {"@odata.context":"https://g/v1.0/$metadata#users/$deletedEntity","id":"u9","reason":"changed"}],
                    "@odata.deltaLink":"users/delta()?$deltatoken=t1"}"##
            } else {
                r##"{"@odata.context":"https://g/v1.0/$metadata#users","value":[
                    {"id":"u1","displayName":"Ann"}],
                    "@odata.nextLink":"https://g/v1.0/users/delta()?$skiptoken=s1"}"##
            };
            Ok(Response::new(200, vec![], body.as_bytes().to_vec()))
        }
    }

    #[test]
    fn follows_next_links_to_the_delta_link() {
        let client = Graphish(Mutex::default());
        let first = Request::get("https://g/v1.0/users/delta()");
        let delta: Delta<Value> = fetch_delta_blocking(&client, first).unwrap();
        assert_eq!(delta.changes.len(), 3);
        assert!(matches!(&delta.changes[0], Change::Changed(u) if u["id"] == "u1"));
        let Change::Removed(gone) = &delta.changes[1] else {
            panic!("{:?}", delta.changes[1])
        };
        assert_eq!(gone.id.as_deref(), Some("u2"));
        assert_eq!(gone.reason.as_deref(), Some("deleted"));
        let Change::Removed(left) = &delta.changes[2] else {
            panic!("{:?}", delta.changes[2])
        };
        assert_eq!(
            (left.id.as_deref(), left.reason.as_deref()),
            (Some("u9"), Some("changed"))
        );
        // The relative delta link resolved against the context URL; stored and read back.
        assert_eq!(
            delta.delta_link.as_str(),
            "https://g/v1.0/users/delta()?$deltatoken=t1"
        );
        let stored = serde_json::to_string(&delta.delta_link).unwrap();
        let link: DeltaLink = serde_json::from_str(&stored).unwrap();
        assert_eq!(link, delta.delta_link);

        // Resuming: a call sent to the stored link, headers kept.
        let call = crate::Path::root("https://g/v1.0", crate::Version::V4)
            .with_header("Authorization", "Bearer x")
            .segment("users")
            .function("delta", &[])
            .call::<crate::resource::Many<Value>>(crate::Method::Get)
            .resume(&link);
        let request = call.to_request().unwrap();
        assert_eq!(request.url, "https://g/v1.0/users/delta()?$deltatoken=t1");
        assert_eq!(request.header("Authorization"), Some("Bearer x"));
        let again = call.changes_blocking(&client).unwrap();
        assert_eq!(again.changes.len(), 1);
        assert_eq!(
            again.delta_link,
            DeltaLink::new("https://g/v1.0/users/delta()?$deltatoken=t2")
        );
    }

    #[test]
    fn a_response_without_a_delta_link_is_an_error() {
        struct Plain;
        impl BlockingClient for Plain {
            fn send(&self, _: Request) -> Result<Response, Error> {
                Ok(Response::new(200, vec![], br#"{"value":[]}"#.to_vec()))
            }
        }
        let e =
            fetch_delta_blocking::<_, Value>(&Plain, Request::get("https://h/s/x")).unwrap_err();
        assert!(e.to_string().contains("without a delta link"), "{e}");
    }
}
