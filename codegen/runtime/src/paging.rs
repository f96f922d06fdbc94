//! Collections in pages, and following next links.
//!
//! A [`Page`] reads every protocol version's collection payload:
//!
//! - V4: `{"@odata.context": …, "@odata.count": 3, "value": […], "@odata.nextLink": …}`
//!   (and `@odata.deltaLink`);
//! - V3 (JSON light): `{"odata.metadata": …, "odata.count": "3", "value": […], "odata.nextLink": …}`;
//! - V2 (verbose JSON): `{"d": {"results": […], "__count": "3", "__next": …}}`, and the
//!   V1-style `{"d": […]}`;
//! - a bare JSON array.
//!
//! OData 4.01 payloads may leave out the `odata.` prefix (`@context`,
//! `@count`, `@nextLink`, `@deltaLink`); those are read too.
//!
//! [`pages`] and [`items`] follow next links with a [`BlockingClient`];
//! with an async [`crate::Client`], loop on [`fetch_page`] and
//! [`Page::next_request`].
//!
//! # Relative next links
//!
//! A next link may be relative. As the OData JSON format says (V4 §4.3
//! "Relative URLs"; V3 JSON light likewise with `odata.metadata`), it is
//! relative to the payload's *context URL* (`@odata.context`, V3
//! `odata.metadata`), which may itself be relative to the request URL; only
//! a payload without a context URL (V2 verbose JSON, `metadata=none`) has
//! its links relative to the request URL. Since a context URL is
//! `{service root}/$metadata#…`, RFC 3986 resolution against it drops the
//! `$metadata#…` part: the link is relative to the service root. Azure AD
//! Graph relies on this: paging `users('x')/memberOf` it answers with
//! `"odata.nextLink": "directoryObjects/$/Microsoft.DirectoryServices.User?$skiptoken=…"`,
//! which is `{root}/directoryObjects/…`, not `{root}/users('x')/directoryObjects/…`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::client::{BlockingClient, Client};
use crate::error::Error;
use crate::request::{Method, Request};

/// One page of a collection.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items.
    pub value: Vec<T>,
    /// The link to the next page as the service sent it (absolute, or
    /// relative to the context URL, see [`Page::base_url`]), if there is one.
    pub next_link: Option<String>,
    /// The total count, when it was asked for (`$count=true`,
    /// `$inlinecount=allpages`).
    pub count: Option<i64>,
    /// The delta link (on the last page of a change-tracking request), as
    /// the service sent it (see [`Page::resolve_link`]).
    pub delta_link: Option<String>,
    /// Every other member (`@odata.context`, `odata.metadata`, custom
    /// annotations), in the order read.
    pub annotations: Vec<(String, Value)>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            value: Vec::new(),
            next_link: None,
            count: None,
            delta_link: None,
            annotations: Vec::new(),
        }
    }
}

impl<T> Page<T> {
    /// The context URL of the payload, as sent (`@odata.context`, 4.01
    /// `@context`, V3 `odata.metadata`), if it has one.
    pub fn context_url(&self) -> Option<&str> {
        self.annotations
            .iter()
            .find(|(k, _)| {
                matches!(
                    k.as_str(),
                    "@odata.context" | "@context" | "odata.metadata" | "odata.context"
                )
            })
            .and_then(|(_, v)| v.as_str())
    }

    /// The base URL relative links of this page are resolved against, for a
    /// page read from a response to `request_url`: the context URL (resolved
    /// against `request_url` when it is relative itself), else `request_url`
    /// (see the [module documentation](self)).
    pub fn base_url(&self, request_url: &str) -> Result<String, Error> {
        match self.context_url() {
            Some(context) => resolve(request_url, context),
            None => Ok(request_url.to_owned()),
        }
    }

    /// A link of this page (the next or delta link) as an absolute URL,
    /// for a page read from a response to `request_url`.
    pub fn resolve_link(&self, request_url: &str, link: &str) -> Result<String, Error> {
        resolve(&self.base_url(request_url)?, link)
    }

    /// The `GET` request for the next page, if any: the next link resolved
    /// as the OData JSON format says (against the context URL, else the URL
    /// of `previous`; see the [module documentation](self)), with the headers
    /// of `previous` (so authorization and version headers carry over) and no
    /// body.
    ///
    /// Custom query parameters of `previous` (names not starting with `$` or
    /// `@`, such as Azure AD Graph's `api-version`) that the next link lacks
    /// are added back: services that require them on every request do not
    /// always repeat them in their next links. Query options (`$filter`,
    /// `$skiptoken`, ...) and aliases are left as the link has them.
    pub fn next_request(&self, previous: &Request) -> Result<Option<Request>, Error> {
        let Some(link) = &self.next_link else {
            return Ok(None);
        };
        let mut url = self.resolve_link(&previous.url, link)?;
        let present: Vec<String> = query_pairs(&url).map(|(name, _)| name.to_owned()).collect();
        for (name, pair) in query_pairs(&previous.url) {
            if name.is_empty()
                || name.starts_with('$')
                || name.starts_with('@')
                || name.starts_with("%24")
                || name.starts_with("%40")
                || present.iter().any(|p| p == name)
            {
                continue;
            }
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(pair);
        }
        Ok(Some(Request {
            method: Method::Get,
            url,
            headers: previous.headers.clone(),
            body: None,
        }))
    }
}

/// The query parameters of `url` as (name, `name=value` as written).
fn query_pairs(url: &str) -> impl Iterator<Item = (&str, &str)> {
    url.split_once('?')
        .map_or("", |(_, q)| q)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| (p.split('=').next().unwrap_or(""), p))
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.value.into_iter()
    }
}

/// The kind of a control member, by its name in any version.
enum Member {
    Value,
    Next,
    Count,
    Delta,
    V2,
    Other,
}

fn member(key: &str) -> Member {
    match key {
        "value" => Member::Value,
        "@odata.nextLink" | "@nextLink" | "odata.nextLink" | "__next" => Member::Next,
        "@odata.count" | "@count" | "odata.count" | "__count" => Member::Count,
        "@odata.deltaLink" | "@deltaLink" | "odata.deltaLink" | "__delta" => Member::Delta,
        "d" => Member::V2,
        _ => Member::Other,
    }
}

/// A count as a number or a string (V2/V3, IEEE754Compatible).
struct CountSeed;

impl<'de> DeserializeSeed<'de> for CountSeed {
    type Value = i64;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<i64, D::Error> {
        match Value::deserialize(d)? {
            Value::Number(n) => n
                .as_i64()
                .ok_or_else(|| de::Error::custom(format_args!("invalid count {n}"))),
            Value::String(s) => s
                .trim()
                .parse()
                .map_err(|_| de::Error::custom(format_args!("invalid count `{s}`"))),
            other => Err(de::Error::custom(format_args!("invalid count {other}"))),
        }
    }
}

struct PageVisitor<T> {
    /// Inside V2's `d`, where `results` holds the items.
    v2: bool,
    _t: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for PageVisitor<T> {
    type Value = Page<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an OData collection")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Page<T>, A::Error> {
        let mut value = Vec::new();
        while let Some(item) = seq.next_element()? {
            value.push(item);
        }
        Ok(Page {
            value,
            ..Page::default()
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Page<T>, A::Error> {
        let mut page = Page::default();
        let mut items = false;
        while let Some(key) = map.next_key::<String>()? {
            let kind = match (self.v2, member(&key)) {
                // V2's collection is `results`; `value` there is a property.
                (true, _) if key == "results" => Member::Value,
                (true, Member::Value | Member::V2) => Member::Other,
                (_, m) => m,
            };
            match kind {
                Member::Value => {
                    if std::mem::replace(&mut items, true) {
                        return Err(de::Error::duplicate_field("value"));
                    }
                    page.value = map.next_value()?;
                }
                Member::Next => page.next_link = map.next_value()?,
                Member::Count => page.count = Some(map.next_value_seed(CountSeed)?),
                Member::Delta => page.delta_link = map.next_value()?,
                Member::V2 => {
                    if std::mem::replace(&mut items, true) {
                        return Err(de::Error::duplicate_field("d"));
                    }
                    let inner: Page<T> = map.next_value_seed(V2Seed(PhantomData))?;
                    page.value = inner.value;
                    page.next_link = page.next_link.or(inner.next_link);
                    page.count = page.count.or(inner.count);
                    page.delta_link = page.delta_link.or(inner.delta_link);
                    page.annotations.extend(inner.annotations);
                }
                Member::Other => page.annotations.push((key, map.next_value()?)),
            }
        }
        if !items {
            return Err(de::Error::custom(
                "not an OData collection: no `value`, `d` or `results` member",
            ));
        }
        Ok(page)
    }
}

/// The content of V2's `d`: an object with `results` or an array.
struct V2Seed<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for V2Seed<T> {
    type Value = Page<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Page<T>, D::Error> {
        d.deserialize_any(PageVisitor {
            v2: true,
            _t: PhantomData,
        })
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PageVisitor {
            v2: false,
            _t: PhantomData,
        })
    }
}

/// Sends a request for one page and reads it (a non-success status is an
/// [`Error::Status`], a body that is not a collection an [`Error::Decode`]
/// naming the request), with an async client.
pub async fn fetch_page<C: Client + ?Sized, T: DeserializeOwned>(
    client: &C,
    request: Request,
) -> Result<Page<T>, Error> {
    let (method, url) = (request.method, request.url.clone());
    let response = client.send(request).await?;
    response.read_success(method, &url, |r| r.json())
}

/// Sends a request for one page and reads it (as [`fetch_page`]), with a
/// blocking client.
pub fn fetch_page_blocking<C: BlockingClient + ?Sized, T: DeserializeOwned>(
    client: &C,
    request: Request,
) -> Result<Page<T>, Error> {
    let (method, url) = (request.method, request.url.clone());
    let response = client.send(request)?;
    response.read_success(method, &url, |r| r.json())
}

/// The pages of a collection, following next links, see [`pages`].
pub struct Pages<'c, C: ?Sized, T> {
    client: &'c C,
    next: Option<Request>,
    _t: PhantomData<fn() -> T>,
}

/// Iterates over the pages of a collection: sends `first`, then a `GET` of
/// each next link (see [`Page::next_request`]: resolved against the page's
/// context URL or the URL of the request before, with the same headers)
/// until a page has none. After an error the iterator
/// ends.
pub fn pages<C: BlockingClient + ?Sized, T: DeserializeOwned>(
    client: &C,
    first: Request,
) -> Pages<'_, C, T> {
    Pages {
        client,
        next: Some(first),
        _t: PhantomData,
    }
}

impl<C: BlockingClient + ?Sized, T: DeserializeOwned> Iterator for Pages<'_, C, T> {
    type Item = Result<Page<T>, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        let request = self.next.take()?;
        let result = fetch_page_blocking::<C, T>(self.client, request.clone()).and_then(|page| {
            self.next = page.next_request(&request)?;
            Ok(page)
        });
        Some(result)
    }
}

impl<C: BlockingClient + ?Sized, T: DeserializeOwned> std::iter::FusedIterator for Pages<'_, C, T> {}

/// The items of a collection across all its pages, see [`items`].
pub struct Items<'c, C: ?Sized, T> {
    pages: Pages<'c, C, T>,
    current: std::vec::IntoIter<T>,
}

/// Iterates over the items of a collection, fetching pages as needed (see
/// [`pages`]). A failed page yields one error and ends the iteration.
pub fn items<C: BlockingClient + ?Sized, T: DeserializeOwned>(
    client: &C,
    first: Request,
) -> Items<'_, C, T> {
    Items {
        pages: pages(client, first),
        current: Vec::new().into_iter(),
    }
}

impl<C: BlockingClient + ?Sized, T: DeserializeOwned> Iterator for Items<'_, C, T> {
    type Item = Result<T, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.current.next() {
                return Some(Ok(item));
            }
            match self.pages.next()? {
                Ok(page) => self.current = page.value.into_iter(),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// Resolves a (next) link against a base URL (RFC 3986 §5.2, without the
/// base's fragment). Absolute links are returned as they are.
pub fn resolve(base: &str, link: &str) -> Result<String, Error> {
    if has_scheme(link) {
        return Ok(link.to_owned());
    }
    let base = base.split('#').next().unwrap_or(base);
    let scheme_end = base
        .find("://")
        .filter(|&i| has_scheme(&base[..i + 1]))
        .ok_or_else(|| Error::Url(format!("`{base}` is not an absolute URL")))?;
    let after_scheme = scheme_end + 3;
    let authority_end = base[after_scheme..]
        .find(['/', '?'])
        .map_or(base.len(), |i| after_scheme + i);
    let (origin, rest) = base.split_at(authority_end);
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    let (link, fragment) = match link.split_once('#') {
        Some((l, f)) => (l, Some(f)),
        None => (link, None),
    };
    let mut out = if let Some(net) = link.strip_prefix("//") {
        format!("{}//{net}", &base[..scheme_end + 1])
    } else if link.is_empty() {
        match query {
            Some(q) => format!("{origin}{path}?{q}"),
            None => format!("{origin}{path}"),
        }
    } else if link.starts_with('?') {
        format!("{origin}{path}{link}")
    } else {
        let (link_path, link_query) = match link.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (link, None),
        };
        let merged = if link_path.starts_with('/') {
            link_path.to_owned()
        } else {
            let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
            format!("{}{link_path}", if dir.is_empty() { "/" } else { dir })
        };
        let mut s = format!("{origin}{}", remove_dot_segments(&merged));
        if let Some(q) = link_query {
            s.push('?');
            s.push_str(q);
        }
        s
    };
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    Ok(out)
}

fn has_scheme(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// RFC 3986 §5.2.4 on an absolute path.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn v4_page() {
        let p: Page<Value> = serde_json::from_str(
            r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users",
                "@odata.count":3,
                "value":[{"id":"a"},{"id":"b"}],
                "@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=X"}"#,
        )
        .unwrap();
        assert_eq!(p.value.len(), 2);
        assert_eq!(p.count, Some(3));
        assert_eq!(
            p.next_link.as_deref(),
            Some("https://graph.microsoft.com/v1.0/users?$skiptoken=X")
        );
        assert_eq!(p.annotations.len(), 1);
        assert_eq!(p.annotations[0].0, "@odata.context");
        let p: Page<i32> = serde_json::from_str(
            r#"{"value":[1],"@odata.deltaLink":"https://x/delta?$deltatoken=1","@odata.count":"1"}"#,
        )
        .unwrap();
        assert_eq!(
            p.delta_link.as_deref(),
            Some("https://x/delta?$deltatoken=1")
        );
        assert_eq!(p.count, Some(1));
        assert_eq!(p.next_link, None);
    }

    #[test]
    fn v3_page() {
        let p: Page<Value> = serde_json::from_str(
            r#"{"odata.metadata":"https://graph.windows.net/contoso.com/$metadata#directoryObjects",
                "odata.count":"12",
                "value":[{"objectId":"1"}],
                "odata.nextLink":"directoryObjects?$skiptoken=X'4453'"}"#,
        )
        .unwrap();
        assert_eq!(p.count, Some(12));
        assert_eq!(
            p.next_link.as_deref(),
            Some("directoryObjects?$skiptoken=X'4453'")
        );
        assert_eq!(p.value, [json!({"objectId": "1"})]);
    }

    #[test]
    fn v2_pages() {
        let p: Page<Value> = serde_json::from_str(
            r#"{"d":{"results":[{"__metadata":{"uri":"x"},"ID":1,"value":2}],"__count":"5",
                "__next":"https://services.odata.org/V2/Northwind/Northwind.svc/Customers?$skiptoken='ERNSH'"}}"#,
        )
        .unwrap();
        assert_eq!(p.count, Some(5));
        assert_eq!(p.value[0]["value"], 2);
        assert!(p.next_link.unwrap().ends_with("$skiptoken='ERNSH'"));
        let p: Page<i32> = serde_json::from_str(r#"{"d":[1,2,3]}"#).unwrap();
        assert_eq!(p.value, [1, 2, 3]);
        let p: Page<i32> = serde_json::from_str("[4]").unwrap();
        assert_eq!(p.value, [4]);
        let err = serde_json::from_str::<Page<i32>>(r#"{"d":{"ID":1}}"#).unwrap_err();
        assert!(err.to_string().contains("not an OData collection"), "{err}");
        assert!(serde_json::from_str::<Page<i32>>(r#"{"value":[1],"value":[2]}"#).is_err());
        assert!(serde_json::from_str::<Page<i32>>(r#"{"value":[1],"@odata.count":"x"}"#).is_err());
        assert!(serde_json::from_str::<Page<i32>>(r#"{"value":["a"]}"#).is_err());
    }

    #[test]
    fn resolving() {
        let base = "https://h.example/svc/People?$top=2#frag";
        for (link, want) in [
            ("https://other/x?a", "https://other/x?a"),
            (
                "People?$skiptoken=2",
                "https://h.example/svc/People?$skiptoken=2",
            ),
            ("/root?x", "https://h.example/root?x"),
            ("//cdn.example/p", "https://cdn.example/p"),
            ("?$skip=2", "https://h.example/svc/People?$skip=2"),
            ("../v2/People", "https://h.example/v2/People"),
            ("./a/./b/../c", "https://h.example/svc/a/c"),
            ("", "https://h.example/svc/People?$top=2"),
            ("People#x", "https://h.example/svc/People#x"),
            ("..", "https://h.example/"),
        ] {
            assert_eq!(resolve(base, link).unwrap(), want, "{link}");
        }
        assert_eq!(resolve("http://h:8080", "a").unwrap(), "http://h:8080/a");
        assert_eq!(resolve("http://h:8080?q", "a").unwrap(), "http://h:8080/a");
        assert!(matches!(resolve("not-absolute/x", "a"), Err(Error::Url(_))));
    }

    #[test]
    fn next_requests() {
        let page: Page<i32> = Page {
            next_link: Some("Items?$skiptoken=1".into()),
            ..Page::default()
        };
        let prev = Request::post("http://h/svc/Items")
            .with_header("Authorization", "t")
            .with_body("application/json", b"{}".to_vec());
        let next = page.next_request(&prev).unwrap().unwrap();
        assert_eq!(next.method, Method::Get);
        assert_eq!(next.url, "http://h/svc/Items?$skiptoken=1");
        assert_eq!(next.header("authorization"), Some("t"));
        assert_eq!(next.body, None);
        assert_eq!(Page::<i32>::default().next_request(&prev).unwrap(), None);

        // Azure AD Graph: the next link lacks `api-version`, which every request needs; query
        // options of the first request are not repeated, parameters the link has are kept.
        let prev = Request::get(
            "https://graph.windows.net/contoso.com/users?api-version=1.6&$filter=x%20eq%201&$top=5",
        );
        let page: Page<i32> = Page {
            next_link: Some("users?$skiptoken=X'4453'".into()),
            ..Page::default()
        };
        assert_eq!(
            page.next_request(&prev).unwrap().unwrap().url,
            "https://graph.windows.net/contoso.com/users?$skiptoken=X'4453'&api-version=1.6"
        );
        let page: Page<i32> = Page {
            next_link: Some("users?api-version=1.6&$skiptoken=Y".into()),
            ..Page::default()
        };
        assert_eq!(
            page.next_request(&prev).unwrap().unwrap().url,
            "https://graph.windows.net/contoso.com/users?api-version=1.6&$skiptoken=Y"
        );
        let v: Vec<i32> = Page {
            value: vec![1, 2],
            ..Page::default()
        }
        .into_iter()
        .collect();
        assert_eq!(v, [1, 2]);
    }

    /// The next request's URL for a payload read from a response to `request`.
    fn next_url(payload: &str, request: &str) -> String {
        let page: Page<Value> = serde_json::from_str(payload).unwrap();
        page.next_request(&Request::get(request))
            .unwrap()
            .expect("a next link")
            .url
    }

    #[test]
    fn next_links_are_relative_to_the_context_url_v4() {
        // An absolute context URL: the link is relative to the service root, not to the
        // (navigation) path requested.
        let payload = r#"{"@odata.context":"https://h.example/svc/$metadata#People",
            "value":[],"@odata.nextLink":"People?$skiptoken=2"}"#;
        assert_eq!(
            next_url(payload, "https://h.example/svc/People('a')/Friends?$top=2"),
            "https://h.example/svc/People?$skiptoken=2"
        );
        // A relative context URL is itself relative to the request URL.
        let payload = r#"{"@odata.context":"../$metadata#People",
            "value":[],"@odata.nextLink":"People?$skiptoken=2"}"#;
        assert_eq!(
            next_url(payload, "https://h.example/svc/People('a')/Friends"),
            "https://h.example/svc/People?$skiptoken=2"
        );
        let payload = r#"{"@odata.context":"$metadata#People",
            "value":[],"@odata.nextLink":"People?$skiptoken=2"}"#;
        assert_eq!(
            next_url(payload, "https://h.example/svc/People"),
            "https://h.example/svc/People?$skiptoken=2"
        );
        // 4.01 without the `odata.` prefix.
        let payload = r#"{"@context":"https://h.example/svc/$metadata#People",
            "@count":5,"value":[],"@nextLink":"People?$skip=2"}"#;
        let page: Page<Value> = serde_json::from_str(payload).unwrap();
        assert_eq!(page.count, Some(5));
        assert_eq!(
            page.context_url(),
            Some("https://h.example/svc/$metadata#People")
        );
        assert_eq!(
            next_url(payload, "https://h.example/svc/People('a')/Friends"),
            "https://h.example/svc/People?$skip=2"
        );
        // Microsoft Graph: absolute links stay as they are.
        let payload = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#directoryObjects",
            "value":[],"@odata.nextLink":"https://graph.microsoft.com/v1.0/users/x/memberOf?$skiptoken=Z"}"#;
        assert_eq!(
            next_url(payload, "https://graph.microsoft.com/v1.0/users/x/memberOf"),
            "https://graph.microsoft.com/v1.0/users/x/memberOf?$skiptoken=Z"
        );
        // No context URL (metadata=none): relative to the request URL.
        let payload = r#"{"value":[],"@odata.nextLink":"Friends?$skiptoken=2"}"#;
        assert_eq!(
            next_url(payload, "https://h.example/svc/People('a')/Friends"),
            "https://h.example/svc/People('a')/Friends?$skiptoken=2"
        );
        // The delta link resolves the same way.
        let page: Page<Value> = serde_json::from_str(
            r#"{"@odata.context":"https://h.example/svc/$metadata#People","value":[],
                "@odata.deltaLink":"People/delta()?$deltatoken=9"}"#,
        )
        .unwrap();
        let delta = page.delta_link.as_deref().unwrap();
        assert_eq!(
            page.resolve_link("https://h.example/svc/People('a')/Friends", delta)
                .unwrap(),
            "https://h.example/svc/People/delta()?$deltatoken=9"
        );
    }

    #[test]
    fn next_links_are_relative_to_the_metadata_url_v3() {
        // Azure AD Graph paging a navigation collection: the next link is relative to the
        // service root (the base of `odata.metadata`), and lacks `api-version`.
        let payload = r#"{"odata.metadata":"https://graph.windows.net/contoso.com/$metadata#directoryObjects",
            "value":[{"odata.type":"Microsoft.DirectoryServices.Group","objectId":"g1"}],
            "odata.nextLink":"directoryObjects/$/Microsoft.DirectoryServices.User('x')/memberOf?$skiptoken=X'4453'"}"#;
        let request = "https://graph.windows.net/contoso.com/users('x')/memberOf?api-version=1.6";
        assert_eq!(
            next_url(payload, request),
            "https://graph.windows.net/contoso.com/directoryObjects/$/Microsoft.DirectoryServices.User('x')/memberOf?$skiptoken=X'4453'&api-version=1.6"
        );
        let payload = r#"{"odata.metadata":"https://graph.windows.net/contoso.com/$metadata#directoryObjects/Microsoft.DirectoryServices.User",
            "value":[],"odata.nextLink":"directoryObjects/$/Microsoft.DirectoryServices.User?$skiptoken=X'4454'"}"#;
        assert_eq!(
            next_url(
                payload,
                "https://graph.windows.net/contoso.com/users?api-version=1.6&$top=100"
            ),
            "https://graph.windows.net/contoso.com/directoryObjects/$/Microsoft.DirectoryServices.User?$skiptoken=X'4454'&api-version=1.6"
        );
    }

    #[test]
    fn next_links_v2() {
        // Verbose JSON has no context URL: `__next` is usually absolute, and a relative one
        // is relative to the request URL.
        let payload = r#"{"d":{"results":[],"__next":"https://h.example/V2/N.svc/Customers?$skiptoken='ERNSH'"}}"#;
        assert_eq!(
            next_url(
                payload,
                "https://h.example/V2/N.svc/Customers?$inlinecount=allpages"
            ),
            "https://h.example/V2/N.svc/Customers?$skiptoken='ERNSH'"
        );
        let payload = r#"{"d":{"results":[],"__next":"Customers?$skiptoken='ERNSH'"}}"#;
        assert_eq!(
            next_url(
                payload,
                "https://h.example/V2/N.svc/Customers?sap-client=100"
            ),
            "https://h.example/V2/N.svc/Customers?$skiptoken='ERNSH'&sap-client=100"
        );
    }

    /// A scripted client: answers requests from a list, recording URLs.
    struct Script(
        std::cell::RefCell<Vec<(u16, String)>>,
        std::cell::RefCell<Vec<String>>,
    );

    impl BlockingClient for Script {
        fn send(&self, request: Request) -> Result<crate::Response, Error> {
            self.1.borrow_mut().push(request.url);
            let (status, body) = self.0.borrow_mut().remove(0);
            Ok(crate::Response::new(status, vec![], body.into_bytes()))
        }
    }

    #[test]
    fn items_stop_after_an_error() {
        let c = Script(
            vec![
                (
                    200,
                    r#"{"value":[1,2],"@odata.nextLink":"http://h/p2"}"#.into(),
                ),
                (500, r#"{"error":{"code":"Boom","message":"down"}}"#.into()),
            ]
            .into(),
            Default::default(),
        );
        let got: Vec<Result<i32, Error>> = items(&c, Request::get("http://h/p1")).collect();
        assert_eq!(got.len(), 3);
        assert_eq!(*got[0].as_ref().unwrap(), 1);
        assert_eq!(*got[1].as_ref().unwrap(), 2);
        assert_eq!(got[2].as_ref().unwrap_err().odata().unwrap().code, "Boom");
        assert_eq!(*c.1.borrow(), ["http://h/p1", "http://h/p2"]);
    }

    #[test]
    fn undecodable_pages_name_the_request() {
        let c = Script(
            vec![
                (
                    200,
                    r#"{"value":[1],"@odata.nextLink":"http://h/p2"}"#.into(),
                ),
                (200, r#"{"value":[2,"#.into()),
            ]
            .into(),
            Default::default(),
        );
        let got: Vec<Result<Page<i32>, Error>> = pages(&c, Request::get("http://h/p1")).collect();
        assert_eq!(got.len(), 2);
        let e = got[1].as_ref().unwrap_err();
        let Error::Decode(d) = e else { panic!("{e:?}") };
        assert_eq!(
            (d.method(), d.url(), d.status()),
            (Method::Get, "http://h/p2", 200)
        );
        assert!(
            e.to_string()
                .starts_with("reading the response to GET http://h/p2 (HTTP 200): JSON error: EOF"),
            "{e}"
        );
        // Not a collection at all.
        let c = Script(vec![(200, r#"{"id":1}"#.into())].into(), Default::default());
        let e = fetch_page_blocking::<_, i32>(&c, Request::get("http://h/x")).unwrap_err();
        assert!(e.to_string().contains("not an OData collection"), "{e}");
        assert!(matches!(e, Error::Decode(_)));
    }

    #[cfg(feature = "reqwest-blocking")]
    #[test]
    fn follows_next_links_over_http() {
        use crate::client::test_server::Server;
        let server = Server::start(vec![
            (
                200,
                vec![("Content-Type", "application/json")],
                r#"{"@odata.count":3,"value":[{"id":"a"},{"id":"b"}],"@odata.nextLink":"People?$skiptoken=2"}"#.into(),
            ),
            (
                200,
                vec![("Content-Type", "application/json")],
                r#"{"value":[{"id":"c"}]}"#.into(),
            ),
        ]);
        let client = reqwest::blocking::Client::builder()
            .no_proxy()
            .build()
            .unwrap();
        let first = Request::get(format!("{}/svc/People?$count=true", server.base))
            .with_header("Authorization", "Bearer t");
        let ids: Vec<String> = items::<_, Value>(&client, first)
            .map(|r| r.unwrap()["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, ["a", "b", "c"]);
        let s1 = server.next();
        let s2 = server.next();
        assert_eq!(s1.target, "/svc/People?$count=true");
        assert_eq!(s2.target, "/svc/People?$skiptoken=2");
        assert_eq!(s2.method, "GET");
        assert_eq!(s2.header("authorization"), Some("Bearer t"));
    }

    #[cfg(feature = "reqwest-blocking")]
    #[test]
    fn follows_root_relative_next_links_over_http() {
        use crate::client::test_server::Server;
        let server = Server::start(vec![
            (
                200,
                vec![],
                r#"{"odata.metadata":"{base}/tenant/$metadata#directoryObjects","value":[1],
                    "odata.nextLink":"directoryObjects/$/Microsoft.DirectoryServices.User('x')/memberOf?$skiptoken=X'44'"}"#
                    .into(),
            ),
            (200, vec![], r#"{"value":[2]}"#.into()),
        ]);
        let client = reqwest::blocking::Client::builder()
            .no_proxy()
            .build()
            .unwrap();
        let first = Request::get(format!(
            "{}/tenant/users('x')/memberOf?api-version=1.6",
            server.base
        ));
        let all: Vec<i32> = items(&client, first).collect::<Result<_, _>>().unwrap();
        assert_eq!(all, [1, 2]);
        assert_eq!(
            server.next().target,
            "/tenant/users('x')/memberOf?api-version=1.6"
        );
        // (The `url` crate under reqwest encodes `'` in queries.)
        assert_eq!(
            server.next().target,
            "/tenant/directoryObjects/$/Microsoft.DirectoryServices.User('x')/memberOf?$skiptoken=X%2744%27&api-version=1.6"
        );
    }

    #[cfg(feature = "reqwest-blocking")]
    #[test]
    fn pages_over_http() {
        use crate::client::test_server::Server;
        let server = Server::start(vec![
            (
                200,
                vec![],
                r#"{"d":{"results":[1,2],"__count":"3","__next":"{base}/svc/N?$skiptoken=2"}}"#
                    .into(),
            ),
            (200, vec![], r#"{"d":{"results":[3]}}"#.into()),
        ]);
        let client = reqwest::blocking::Client::builder()
            .no_proxy()
            .build()
            .unwrap();
        let got: Vec<Page<i32>> = pages(&client, Request::get(format!("{}/svc/N", server.base)))
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].count, Some(3));
        assert_eq!(got[0].value, [1, 2]);
        assert_eq!(got[1].value, [3]);
        assert_eq!(server.next().target, "/svc/N");
        assert_eq!(server.next().target, "/svc/N?$skiptoken=2");
    }

    #[cfg(feature = "reqwest")]
    #[test]
    fn async_paging_loop() {
        crate::client::block_on(async_paging_loop_body());
    }

    #[cfg(feature = "reqwest")]
    async fn async_paging_loop_body() {
        use crate::client::test_server::Server;
        let server = Server::start(vec![
            (
                200,
                vec![],
                r#"{"value":[1],"@odata.nextLink":"p2"}"#.into(),
            ),
            (200, vec![], r#"{"value":[2]}"#.into()),
        ]);
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let mut request = Some(Request::get(format!("{}/svc/p1", server.base)));
        let mut all = Vec::new();
        while let Some(r) = request.take() {
            let page: Page<i32> = fetch_page(&client, r.clone()).await.unwrap();
            request = page.next_request(&r).unwrap();
            all.extend(page);
        }
        assert_eq!(all, [1, 2]);
        assert_eq!(server.next().target, "/svc/p1");
        assert_eq!(server.next().target, "/svc/p2");
    }
}
