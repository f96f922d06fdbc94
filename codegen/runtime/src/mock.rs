//! A client for tests of code written against a generated crate (feature `mock`): it answers
//! from expectations and records what it was sent, with no server.
//!
//! ```
//! use odata_runtime::mock::MockClient;
//! use odata_runtime::{BlockingClient, Method, Request};
//!
//! let client = MockClient::new();
//! client
//!     .expect(Method::Get, "https://example.com/svc/People('russell')*")
//!     .respond_json(200, serde_json::json!({"UserName": "russell"}));
//! client
//!     .expect(Method::Patch, "*/People('russell')")
//!     .body_json(serde_json::json!({"FirstName": "Russ"}))
//!     .respond(204, "");
//!
//! // The code under test sends requests (built with the generated API) through `client`.
//! let r = client.send(Request::get("https://example.com/svc/People('russell')?$select=UserName"))?;
//! assert_eq!(r.status, 200);
//! let patch = Request::patch("https://example.com/svc/People('russell')")
//!     .json_body(&serde_json::json!({"FirstName": "Russ"}))?;
//! assert_eq!(client.send(patch)?.status, 204);
//!
//! client.verify(); // every expectation was met
//! assert_eq!(client.requests().len(), 2);
//! # Ok::<(), odata_runtime::Error>(())
//! ```
//!
//! Expectations are tried in the order they were added; the first that matches and has uses
//! left answers (once by default, [`Expect::times`] or [`Expect::always`] otherwise). A
//! request no expectation matches is an [`Error::Transport`] that lists the expectations, so
//! the test fails where the unexpected request was sent.

use std::fmt;
use std::future::Future;
use std::sync::Mutex;

use serde_json::Value;

use crate::client::{BlockingClient, Client};
use crate::error::Error;
use crate::request::{Method, Request, Response};

type BodyMatcher = Box<dyn Fn(&[u8]) -> bool + Send + Sync>;

struct Expectation {
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<(String, BodyMatcher)>,
    response: Response,
    /// How many more requests it answers; `None`: any number.
    left: Option<usize>,
    used: usize,
}

impl Expectation {
    fn matches(&self, r: &Request) -> bool {
        self.left != Some(0)
            && self.method == r.method
            && wildcard(&self.url, &r.url)
            && self
                .headers
                .iter()
                .all(|(n, v)| r.header(n).is_some_and(|x| x == v))
            && self
                .body
                .as_ref()
                .is_none_or(|(_, m)| m(r.body.as_deref().unwrap_or_default()))
    }
}

impl fmt::Display for Expectation {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} {}", self.method.as_str(), self.url)?;
        for (n, v) in &self.headers {
            write!(f, " [{n}: {v}]")?;
        }
        if let Some((what, _)) = &self.body {
            write!(f, " with body {what}")?;
        }
        match self.left {
            Some(n) => write!(f, " ({} used, {n} left)", self.used),
            None => write!(f, " ({} used, any number)", self.used),
        }
    }
}

/// `*` matches any run of characters (none included); everything else matches itself.
fn wildcard(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for p in middle {
        match rest.find(p) {
            Some(i) => rest = &rest[i + p.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// A [`Client`] and [`BlockingClient`] that answers from expectations; see the
/// [module documentation](self).
#[derive(Default)]
pub struct MockClient {
    expectations: Mutex<Vec<Expectation>>,
    requests: Mutex<Vec<Request>>,
}

impl fmt::Debug for MockClient {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_struct("MockClient")
            .field(
                "expectations",
                &self.expectations.lock().map(|e| e.len()).unwrap_or(0),
            )
            .field("requests", &self.requests().len())
            .finish()
    }
}

/// An expectation being built: what a request must be, then [`Expect::respond`] (or one of its
/// siblings) with what it gets.
#[must_use = "an expectation is registered by one of the `respond` methods"]
pub struct Expect<'m> {
    client: &'m MockClient,
    e: Expectation,
}

impl Expect<'_> {
    /// The request must carry this header value.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.e.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The request body must be this JSON (compared as values: key order and layout do not
    /// matter).
    pub fn body_json(mut self, expected: Value) -> Self {
        let what = expected.to_string();
        self.e.body = Some((
            what,
            Box::new(move |b| serde_json::from_slice::<Value>(b).is_ok_and(|v| v == expected)),
        ));
        self
    }

    /// The request body (as JSON) must satisfy `pred`.
    pub fn body_matches(mut self, pred: impl Fn(&Value) -> bool + Send + Sync + 'static) -> Self {
        self.e.body = Some((
            "matching a predicate".into(),
            Box::new(move |b| serde_json::from_slice::<Value>(b).is_ok_and(|v| pred(&v))),
        ));
        self
    }

    /// Answers `n` matching requests (instead of one).
    pub fn times(mut self, n: usize) -> Self {
        self.e.left = Some(n);
        self
    }

    /// Answers every matching request.
    pub fn always(mut self) -> Self {
        self.e.left = None;
        self
    }

    /// Registers the expectation with this response.
    pub fn respond_with(mut self, response: Response) {
        self.e.response = response;
        let mut all = self
            .client
            .expectations
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        all.push(self.e);
    }

    /// Registers the expectation with a response of `status` and a text body.
    pub fn respond(self, status: u16, body: &str) {
        self.respond_with(Response::new(status, vec![], body.as_bytes().to_vec()));
    }

    /// Registers the expectation with a response of `status` and a JSON body.
    pub fn respond_json(self, status: u16, body: Value) {
        let headers = vec![("Content-Type".into(), "application/json".into())];
        self.respond_with(Response::new(
            status,
            headers,
            body.to_string().into_bytes(),
        ));
    }
}

impl MockClient {
    /// A client without expectations.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts an expectation: a request with `method` whose whole URL (query included)
    /// matches `url`, where `*` stands for any run of characters.
    pub fn expect(&self, method: Method, url: &str) -> Expect<'_> {
        Expect {
            client: self,
            e: Expectation {
                method,
                url: url.to_owned(),
                headers: Vec::new(),
                body: None,
                response: Response::default(),
                left: Some(1),
                used: 0,
            },
        }
    }

    /// Every request sent so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Panics, listing them, when an expectation with a fixed number of uses has uses left.
    pub fn verify(&self) {
        let all = self.expectations.lock().unwrap_or_else(|p| p.into_inner());
        let unmet: Vec<String> = all
            .iter()
            .filter(|e| e.left.is_some_and(|n| n > 0))
            .map(|e| format!("  {e}"))
            .collect();
        assert!(
            unmet.is_empty(),
            "MockClient: expectations not met:\n{}",
            unmet.join("\n")
        );
    }

    fn answer(&self, request: Request) -> Result<Response, Error> {
        let mut all = self.expectations.lock().unwrap_or_else(|p| p.into_inner());
        let found = all.iter_mut().find(|e| e.matches(&request));
        let result = match found {
            Some(e) => {
                e.used += 1;
                if let Some(n) = &mut e.left {
                    *n -= 1;
                }
                Ok(e.response.clone())
            }
            None => {
                let list: Vec<String> = all.iter().map(|e| format!("  {e}")).collect();
                Err(Error::transport(format!(
                    "MockClient: no expectation matches {} {}; expectations:\n{}",
                    request.method.as_str(),
                    request.url,
                    if list.is_empty() {
                        "  (none)".to_owned()
                    } else {
                        list.join("\n")
                    }
                )))
            }
        };
        drop(all);
        self.requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(request);
        result
    }
}

impl BlockingClient for MockClient {
    fn send(&self, request: Request) -> Result<Response, Error> {
        self.answer(request)
    }
}

impl Client for MockClient {
    fn send(&self, request: Request) -> impl Future<Output = Result<Response, Error>> + Send {
        std::future::ready(self.answer(request))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wildcards() {
        assert!(wildcard("a*c", "abbbc"));
        assert!(wildcard("a*c", "ac"));
        assert!(wildcard("*", ""));
        assert!(wildcard("*/x?*", "https://h/x?$top=1"));
        assert!(!wildcard("a*c", "abcd"));
        assert!(!wildcard("abc", "abcd"));
        assert!(wildcard("*b*b*", "abab"));
        assert!(!wildcard("*b*b*", "ab"));
    }

    #[test]
    fn answers_in_order_and_counts_uses() {
        let m = MockClient::new();
        m.expect(Method::Get, "*/a").times(2).respond(200, "first");
        m.expect(Method::Get, "*/a").respond(200, "third");
        m.expect(Method::Delete, "*").always().respond(204, "");
        let text = |r: Result<Response, Error>| r.unwrap().text();
        assert_eq!(text(BlockingClient::send(&m, Request::get("h/a"))), "first");
        assert_eq!(text(BlockingClient::send(&m, Request::get("h/a"))), "first");
        assert_eq!(text(BlockingClient::send(&m, Request::get("h/a"))), "third");
        let e = BlockingClient::send(&m, Request::get("h/a")).unwrap_err();
        assert!(
            e.to_string().contains("no expectation matches GET h/a"),
            "{e}"
        );
        for _ in 0..3 {
            assert_eq!(
                BlockingClient::send(&m, Request::delete("x"))
                    .unwrap()
                    .status,
                204
            );
        }
        m.verify();
        assert_eq!(m.requests().len(), 7);
    }

    #[test]
    fn headers_and_bodies() {
        let m = MockClient::new();
        m.expect(Method::Patch, "*")
            .header("If-Match", "W/\"1\"")
            .body_json(json!({"a": 1, "b": [true]}))
            .respond(204, "");
        m.expect(Method::Post, "*")
            .body_matches(|v| v["n"].as_i64() > Some(3))
            .respond_json(201, json!({"id": 1}));
        let patch = Request::patch("u")
            .json_body(&json!({"b": [true], "a": 1}))
            .unwrap();
        assert!(
            BlockingClient::send(&m, patch.clone()).is_err(),
            "no If-Match"
        );
        let patch = patch.if_match("W/\"1\"");
        assert_eq!(BlockingClient::send(&m, patch).unwrap().status, 204);
        let post = |n: i64| Request::post("u").json_body(&json!({"n": n})).unwrap();
        assert!(BlockingClient::send(&m, post(2)).is_err());
        let created = BlockingClient::send(&m, post(5)).unwrap();
        assert_eq!(created.header("content-type"), Some("application/json"));
        m.verify();
    }

    #[test]
    #[should_panic(expected = "expectations not met")]
    fn verify_panics_on_unmet_expectations() {
        let m = MockClient::new();
        m.expect(Method::Get, "*").respond(200, "");
        m.verify();
    }
}
