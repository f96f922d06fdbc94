//! CSRF tokens: [`Csrf`], a wrapper over any [`Client`] or
//! [`BlockingClient`] that fetches the token SAP services ask for and sends
//! it with every request that changes something.
//!
//! SAP Gateway, S/4HANA, the SAP application router and other SAP services
//! refuse a `POST`, `PUT`, `PATCH`, `MERGE` or `DELETE` (a `$batch`
//! included) that does not carry a valid `X-CSRF-Token` header:
//! `403 Forbidden` with the response header `X-CSRF-Token: Required`. A
//! client gets a token by sending a `GET` with `X-CSRF-Token: Fetch`; the
//! service answers it in the `X-CSRF-Token` response header and binds it to
//! the session cookies it sets with that answer, so the token is only valid
//! with those cookies.
//!
//! `Csrf` does this for you:
//! - Before the first modifying request it sends `GET` to the service root
//!   with `X-CSRF-Token: Fetch` and the request's own headers
//!   (`Authorization` and whatever else the caller set, not its body's
//!   headers), and keeps the token and the `name=value` of each
//!   `Set-Cookie` of the answer.
//! - Every modifying request then carries `X-CSRF-Token: <token>` and those
//!   cookies (added to a `Cookie` header the request may already have; a
//!   cookie the request sets itself wins).
//! - When a modifying request is answered `403` with `X-CSRF-Token:
//!   Required` (the token expired with its session), the token is fetched
//!   again and the request is sent once more; the service refused the first
//!   one, so nothing is applied twice.
//! - A service that answers the fetch without a token (one that does not
//!   use them) gets its modifying requests as they are, and no second fetch
//!   until it answers one `403 … Required`.
//! - `GET` requests, and requests that already carry an `X-CSRF-Token`
//!   header, go through untouched.
//!
//! The token is shared by every request sent through one `Csrf` (it is
//! behind a mutex; clones of the wrapper share it too): use one wrapper per
//! service root and session, as the service binds the token to both.
//!
//! ```
//! use odata_runtime::csrf::Csrf;
//! use odata_runtime::{BlockingClient, Error, Request, Response};
//!
//! /// A service that wants a token: it hands out "t1" with a session cookie
//! /// and accepts a POST only with both.
//! struct Gateway;
//!
//! impl BlockingClient for Gateway {
//!     fn send(&self, r: Request) -> Result<Response, Error> {
//!         let fetch = r.header("X-CSRF-Token") == Some("Fetch");
//!         Ok(match (r.method, fetch) {
//!             (odata_runtime::Method::Get, true) => Response::new(
//!                 200,
//!                 vec![
//!                     ("x-csrf-token".into(), "t1".into()),
//!                     ("set-cookie".into(), "SAP_SESSIONID=s1; path=/".into()),
//!                 ],
//!                 b"{}".to_vec(),
//!             ),
//!             _ if r.header("X-CSRF-Token") == Some("t1")
//!                 && r.header("Cookie") == Some("SAP_SESSIONID=s1") =>
//!             {
//!                 Response::new(201, vec![], b"{}".to_vec())
//!             }
//!             _ => Response::new(403, vec![("x-csrf-token".into(), "Required".into())], vec![]),
//!         })
//!     }
//! }
//!
//! let client = Csrf::new(Gateway, "https://host/sap/opu/odata/sap/API_BUSINESS_PARTNER/");
//! let created = client.send(Request::post(
//!     "https://host/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner",
//! ))?;
//! assert_eq!(created.status, 201);
//! # Ok::<(), Error>(())
//! ```
//!
//! With a generated crate, the service root comes from the root builder,
//! service-wide query parameters (`sap-client=100`) included:
//! `Csrf::for_service(rt::client::reqwest_blocking_client(), svc.path())`.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use crate::client::{BlockingClient, Client};
use crate::error::Error;
use crate::request::{Method, Request, Response};
use crate::resource::Path;

/// The header that asks for, carries and demands a token.
pub const HEADER: &str = "X-CSRF-Token";

/// What the wrapper knows of the service's token.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
enum Token {
    /// Nothing fetched yet.
    #[default]
    Unknown,
    /// The last fetch gave no token: the service does not use them.
    NotUsed,
    /// A token and the cookies it is bound to (`name=value` each).
    Known {
        token: String,
        cookies: Vec<(String, String)>,
    },
}

/// A client that fetches and sends CSRF tokens for SAP services (see the
/// [module documentation](self)).
#[derive(Clone)]
pub struct Csrf<C> {
    inner: C,
    fetch_url: String,
    token: Arc<Mutex<Token>>,
}

/// Shows the fetch URL and whether a token is held, not the token or its cookies.
impl<C: fmt::Debug> fmt::Debug for Csrf<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &*self.lock() {
            Token::Unknown => "not fetched",
            Token::NotUsed => "not used by the service",
            Token::Known { .. } => "held",
        };
        f.debug_struct("Csrf")
            .field("inner", &self.inner)
            .field("fetch_url", &self.fetch_url)
            .field("token", &state)
            .finish()
    }
}

impl<C> Csrf<C> {
    /// `client`, fetching tokens from `fetch_url` (the service root, with any
    /// query parameters every request carries, such as `sap-client`).
    pub fn new(client: C, fetch_url: impl Into<String>) -> Self {
        Csrf {
            inner: client,
            fetch_url: fetch_url.into(),
            token: Arc::default(),
        }
    }

    /// `client`, fetching tokens from the root of the service `root` belongs
    /// to, with its service-wide query parameters (a generated root builder's
    /// `path()`).
    pub fn for_service(client: C, root: &Path) -> Self {
        let root = root.service_root();
        let mut url = root.url();
        root.query().append_to(&mut url, root.version());
        Self::new(client, url)
    }

    /// The URL tokens are fetched from.
    pub fn fetch_url(&self) -> &str {
        &self.fetch_url
    }

    /// The token the next modifying request will carry, if one was fetched.
    pub fn token(&self) -> Option<String> {
        match &*self.lock() {
            Token::Known { token, .. } => Some(token.clone()),
            Token::Unknown | Token::NotUsed => None,
        }
    }

    /// Forgets the token, so the next modifying request fetches a new one.
    pub fn reset(&self) {
        *self.lock() = Token::Unknown;
    }

    /// The client wrapped.
    pub fn inner(&self) -> &C {
        &self.inner
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Token> {
        self.token.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The token request, carrying the headers of `request` that are about
    /// the caller (authorization, cookies, custom headers), not its body.
    fn fetch_request(&self, request: &Request) -> Request {
        const NOT_COPIED: [&str; 14] = [
            "accept",
            "content-type",
            "content-length",
            "content-encoding",
            "content-id",
            "content-transfer-encoding",
            "if-match",
            "if-none-match",
            "if-modified-since",
            "if-unmodified-since",
            "if-range",
            "prefer",
            "x-http-method",
            HEADER,
        ];
        let mut fetch = Request::get(self.fetch_url.clone());
        for (name, value) in &request.headers {
            if !NOT_COPIED.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                fetch.headers.push((name.clone(), value.clone()));
            }
        }
        fetch
            .with_header("Accept", "application/json")
            .with_header(HEADER, "Fetch")
    }

    /// Keeps what a token request was answered: a token, or that the service does not use
    /// them. A failed fetch (`401`, `5xx`) decides nothing: the request goes without a token
    /// (and fails as the service says) and the next one fetches again.
    fn store(&self, answer: &Response) -> Token {
        let token = match answer.header(HEADER) {
            _ if !answer.is_success() => Token::Unknown,
            Some(t) if !t.is_empty() && !t.eq_ignore_ascii_case("required") => Token::Known {
                token: t.to_owned(),
                cookies: set_cookies(answer),
            },
            _ => Token::NotUsed,
        };
        *self.lock() = token.clone();
        token
    }

    /// A token another request fetched since `sent` was refused, if there is one: used instead
    /// of fetching again.
    fn renewed(&self, sent: &Token) -> Option<Token> {
        let now = self.lock().clone();
        (matches!(now, Token::Known { .. }) && now != *sent).then_some(now)
    }

    /// Whether `request` changes something at this service, and so needs a token: not a `GET`,
    /// not carrying a token of the caller's, and addressed below the service root (a link to
    /// another host gets neither the token nor the session cookies).
    fn needs_token(&self, request: &Request) -> bool {
        let root = self.fetch_url.split('?').next().unwrap_or_default();
        let root = root.trim_end_matches('/');
        let below = request
            .url
            .strip_prefix(root)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'));
        below && request.method != Method::Get && request.header(HEADER).is_none()
    }
}

/// Whether a response says the token was missing or is no longer valid.
fn token_refused(response: &Response) -> bool {
    response.status == 403
        && response
            .header(HEADER)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("required"))
}

/// The `name=value` of every `Set-Cookie` of a response, in order, the last
/// one of a name winning.
fn set_cookies(response: &Response) -> Vec<(String, String)> {
    let mut cookies: Vec<(String, String)> = Vec::new();
    for (name, value) in &response.headers {
        if !name.eq_ignore_ascii_case("set-cookie") {
            continue;
        }
        let pair = value.split(';').next().unwrap_or_default();
        let Some((n, v)) = pair.split_once('=') else {
            continue;
        };
        let (n, v) = (n.trim(), v.trim());
        if n.is_empty() {
            continue;
        }
        cookies.retain(|(m, _)| m != n);
        cookies.push((n.to_owned(), v.to_owned()));
    }
    cookies
}

/// `request` with the token and its cookies (a cookie the request already
/// names is left as the request has it).
fn with_token(mut request: Request, token: &Token) -> Request {
    let Token::Known { token, cookies } = token else {
        return request;
    };
    request.set_header(HEADER, token.clone());
    if !cookies.is_empty() {
        let mine = request
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
            .map(|(_, v)| v.trim().trim_end_matches(';'))
            .filter(|v| !v.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        let named: Vec<&str> = mine
            .split(';')
            .filter_map(|c| c.split_once('=').map(|(n, _)| n.trim()))
            .collect();
        let mut all = mine.clone();
        for (n, v) in cookies {
            if named.contains(&n.as_str()) {
                continue;
            }
            if !all.is_empty() {
                all.push_str("; ");
            }
            all.push_str(n);
            all.push('=');
            all.push_str(v);
        }
        request.set_header("Cookie", all);
    }
    request
}

impl<C: BlockingClient> BlockingClient for Csrf<C> {
    fn send(&self, request: Request) -> Result<Response, Error> {
        if !self.needs_token(&request) {
            return self.inner.send(request);
        }
        let known = self.lock().clone();
        let token = match known {
            Token::Unknown => self.store(&self.inner.send(self.fetch_request(&request))?),
            other => other,
        };
        let again = request.clone();
        let response = self.inner.send(with_token(request, &token))?;
        if !token_refused(&response) {
            return Ok(response);
        }
        let fresh = match self.renewed(&token) {
            Some(t) => t,
            None => self.store(&self.inner.send(self.fetch_request(&again))?),
        };
        if !matches!(fresh, Token::Known { .. }) {
            return Ok(response);
        }
        self.inner.send(with_token(again, &fresh))
    }
}

impl<C: Client + Sync> Client for Csrf<C> {
    async fn send(&self, request: Request) -> Result<Response, Error> {
        if !self.needs_token(&request) {
            return self.inner.send(request).await;
        }
        let known = self.lock().clone();
        let token = match known {
            Token::Unknown => {
                let answer = self.inner.send(self.fetch_request(&request)).await?;
                self.store(&answer)
            }
            other => other,
        };
        let again = request.clone();
        let response = self.inner.send(with_token(request, &token)).await?;
        if !token_refused(&response) {
            return Ok(response);
        }
        let fresh = match self.renewed(&token) {
            Some(t) => t,
            None => {
                let answer = self.inner.send(self.fetch_request(&again)).await?;
                self.store(&answer)
            }
        };
        if !matches!(fresh, Token::Known { .. }) {
            return Ok(response);
        }
        self.inner.send(with_token(again, &fresh)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    const ROOT: &str = "https://h/sap/opu/odata/sap/SRV/";

    /// A service that follows SAP's protocol: a fetch answers a token bound
    /// to a new session cookie; a modifying request needs both, and the
    /// current session's token (`expire` ends the session).
    #[derive(Debug, Default)]
    struct Gateway {
        session: AtomicU32,
        seen: Mutex<Vec<Request>>,
        /// Answer fetches without a token (a service that does not use them).
        no_tokens: bool,
    }

    impl Gateway {
        fn expire(&self) {
            self.session.fetch_add(100, Ordering::SeqCst);
        }
        fn seen(&self) -> Vec<Request> {
            std::mem::take(&mut *self.seen.lock().unwrap())
        }
    }

    impl BlockingClient for Gateway {
        fn send(&self, r: Request) -> Result<Response, Error> {
            self.seen.lock().unwrap().push(r.clone());
            if r.method == Method::Get {
                if r.header(HEADER) != Some("Fetch") || self.no_tokens {
                    return Ok(Response::new(200, vec![], b"{}".to_vec()));
                }
                let s = self.session.fetch_add(1, Ordering::SeqCst) + 1;
                return Ok(Response::new(
                    200,
                    vec![
                        ("x-csrf-token".into(), format!("tok{s}")),
                        (
                            "set-cookie".into(),
                            format!("SAP_SESSIONID={s}; path=/; HttpOnly"),
                        ),
                        ("set-cookie".into(), format!("sap-XSRF_X={s}x; path=/")),
                    ],
                    b"{}".to_vec(),
                ));
            }
            let s = self.session.load(Ordering::SeqCst);
            let cookie = format!("SAP_SESSIONID={s}; sap-XSRF_X={s}x");
            let ok = self.no_tokens
                || (r.header(HEADER) == Some(&format!("tok{s}"))
                    && r.header("Cookie").is_some_and(|c| c.ends_with(&cookie)));
            Ok(if ok {
                Response::new(204, vec![], vec![])
            } else {
                Response::new(
                    403,
                    vec![("x-csrf-token".into(), "Required".into())],
                    b"CSRF token validation failed".to_vec(),
                )
            })
        }
    }

    #[test]
    fn fetches_once_and_sends_the_token_with_its_cookies() {
        let gw = Gateway::default();
        let c = Csrf::new(&gw, ROOT);
        let post = Request::post(format!("{ROOT}Items"))
            .with_header("Authorization", "Basic dTpw")
            .with_header("sap-language", "EN")
            .json_body(&serde_json::json!({"a": 1}))
            .unwrap();
        assert_eq!(c.send(post.clone()).unwrap().status, 204);
        let seen = gw.seen();
        assert_eq!(seen.len(), 2, "{seen:#?}");
        let fetch = &seen[0];
        assert_eq!((fetch.method, fetch.url.as_str()), (Method::Get, ROOT));
        assert_eq!(fetch.header(HEADER), Some("Fetch"));
        assert_eq!(fetch.header("Authorization"), Some("Basic dTpw"));
        assert_eq!(fetch.header("sap-language"), Some("EN"));
        assert_eq!(fetch.header("Content-Type"), None, "not the body's headers");
        assert_eq!(fetch.body, None);
        assert_eq!(seen[1].header(HEADER), Some("tok1"));
        assert_eq!(
            seen[1].header("Cookie"),
            Some("SAP_SESSIONID=1; sap-XSRF_X=1x")
        );
        assert_eq!(seen[1].body, post.body);
        assert_eq!(c.token().as_deref(), Some("tok1"));

        // The next ones reuse it; reads go through untouched.
        let merge = Request::new(Method::Merge, format!("{ROOT}Items('1')"));
        assert_eq!(c.send(merge).unwrap().status, 204);
        assert_eq!(
            c.send(Request::get(format!("{ROOT}Items"))).unwrap().status,
            200
        );
        let seen = gw.seen();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].header(HEADER), Some("tok1"));
        assert_eq!(seen[1].header(HEADER), None);
        assert_eq!(seen[1].header("Cookie"), None);
    }

    #[test]
    fn an_expired_token_is_fetched_again_and_the_request_resent_once() {
        let gw = Gateway::default();
        let c = Csrf::new(&gw, ROOT);
        assert_eq!(
            c.send(Request::delete(format!("{ROOT}Items('1')")))
                .unwrap()
                .status,
            204
        );
        gw.seen();
        gw.expire();
        let r = c
            .send(Request::delete(format!("{ROOT}Items('2')")))
            .unwrap();
        assert_eq!(r.status, 204);
        let seen = gw.seen();
        let shape: Vec<_> = seen
            .iter()
            .map(|r| (r.method, r.header(HEADER).unwrap_or("").to_owned()))
            .collect();
        assert_eq!(
            shape,
            [
                (Method::Delete, "tok1".to_owned()),
                (Method::Get, "Fetch".to_owned()),
                (Method::Delete, "tok102".to_owned()),
            ]
        );
        assert_eq!(seen[2].url, format!("{ROOT}Items('2')"));
    }

    #[test]
    fn a_service_without_tokens_gets_requests_as_they_are() {
        let gw = Gateway {
            no_tokens: true,
            ..Gateway::default()
        };
        let c = Csrf::new(&gw, ROOT);
        for _ in 0..2 {
            assert_eq!(
                c.send(Request::post(format!("{ROOT}Items")))
                    .unwrap()
                    .status,
                204
            );
        }
        let seen = gw.seen();
        assert_eq!(seen.len(), 3, "one fetch, then the two posts: {seen:#?}");
        assert!(seen[1..].iter().all(|r| r.header(HEADER).is_none()));
        assert_eq!(c.token(), None);
    }

    #[test]
    fn a_refusal_that_persists_is_returned_and_callers_tokens_are_left_alone() {
        struct Refuses(AtomicU32);
        impl BlockingClient for Refuses {
            fn send(&self, r: Request) -> Result<Response, Error> {
                self.0.fetch_add(1, Ordering::SeqCst);
                let h = vec![("x-csrf-token".into(), "Required".into())];
                Ok(if r.method == Method::Get {
                    Response::new(200, vec![("X-CSRF-Token".into(), "t".into())], vec![])
                } else {
                    Response::new(403, h, vec![])
                })
            }
        }
        let c = Csrf::new(Refuses(AtomicU32::new(0)), ROOT);
        let err = c
            .send(Request::post(format!("{ROOT}Items")))
            .unwrap()
            .error_for_status()
            .unwrap_err();
        assert_eq!(err.status(), Some(403));
        assert_eq!(
            c.inner().0.load(Ordering::SeqCst),
            4,
            "fetch, post, fetch, post"
        );

        // A request with its own token is the caller's business.
        let gw = Gateway::default();
        let c = Csrf::new(&gw, ROOT);
        let own = Request::post(format!("{ROOT}Items")).with_header("x-csrf-token", "mine");
        assert_eq!(c.send(own).unwrap().status, 403);
        assert_eq!(gw.seen().len(), 1);
    }

    #[test]
    fn only_requests_to_the_service_get_the_token() {
        let gw = Gateway::default();
        let c = Csrf::new(&gw, "https://h/sap/opu/odata/sap/SRV/?sap-client=100");
        // An edit link to another host, and a service whose root only starts the same.
        for url in [
            "https://cdn.example.com/SRV/Items('1')",
            "https://h/sap/opu/odata/sap/SRV2/X",
        ] {
            c.send(Request::post(url)).unwrap();
        }
        let seen = gw.seen();
        assert_eq!(seen.len(), 2, "no fetch: {seen:#?}");
        assert!(
            seen.iter()
                .all(|r| r.header(HEADER).is_none() && r.header("Cookie").is_none())
        );
        assert_eq!(c.token(), None);
        c.send(Request::post(
            "https://h/sap/opu/odata/sap/SRV/$batch?sap-client=100",
        ))
        .unwrap();
        assert_eq!(gw.seen()[1].header(HEADER), Some("tok1"));
        // The token and cookies stay out of debug output.
        let shown = format!("{c:?}");
        assert!(shown.contains("held") && !shown.contains("tok1"), "{shown}");
    }

    #[test]
    fn a_failed_fetch_decides_nothing() {
        struct Down(AtomicU32);
        impl BlockingClient for Down {
            fn send(&self, r: Request) -> Result<Response, Error> {
                self.0.fetch_add(1, Ordering::SeqCst);
                let status = if r.method == Method::Get { 503 } else { 401 };
                Ok(Response::new(status, vec![], vec![]))
            }
        }
        let c = Csrf::new(Down(AtomicU32::new(0)), ROOT);
        for _ in 0..2 {
            assert_eq!(
                c.send(Request::post(format!("{ROOT}Items")))
                    .unwrap()
                    .status,
                401
            );
        }
        assert_eq!(
            c.inner().0.load(Ordering::SeqCst),
            4,
            "fetch and post, twice"
        );
    }

    #[test]
    fn a_token_another_request_renewed_is_used_without_fetching() {
        let c = Csrf::new((), ROOT);
        let known = |t: &str| Token::Known {
            token: t.into(),
            cookies: vec![],
        };
        *c.lock() = known("tok2");
        assert_eq!(c.renewed(&known("tok1")), Some(known("tok2")));
        assert_eq!(
            c.renewed(&known("tok2")),
            None,
            "the refused token itself: fetch"
        );
        *c.lock() = Token::NotUsed;
        assert_eq!(c.renewed(&known("tok1")), None);
    }

    #[test]
    fn a_refusal_whose_refetch_fails_is_returned_without_sending_again() {
        struct Flaky(AtomicU32);
        impl BlockingClient for Flaky {
            fn send(&self, r: Request) -> Result<Response, Error> {
                let n = self.0.fetch_add(1, Ordering::SeqCst);
                Ok(match (r.method, n) {
                    (Method::Get, 0) => {
                        Response::new(200, vec![(HEADER.into(), "t".into())], vec![])
                    }
                    (Method::Get, _) => Response::new(503, vec![], vec![]),
                    _ => Response::new(403, vec![(HEADER.into(), "Required".into())], vec![]),
                })
            }
        }
        let c = Csrf::new(Flaky(AtomicU32::new(0)), ROOT);
        let r = c.send(Request::post(format!("{ROOT}Items"))).unwrap();
        assert_eq!(r.status, 403);
        assert_eq!(
            c.inner().0.load(Ordering::SeqCst),
            3,
            "fetch, post, failed fetch; no second post"
        );
    }

    #[test]
    fn cookies_merge_with_the_callers() {
        let token = Token::Known {
            token: "t".into(),
            cookies: vec![("a".into(), "1".into()), ("b".into(), "2".into())],
        };
        let r = with_token(
            Request::post("x").with_header("cookie", "b=mine; c=3"),
            &token,
        );
        assert_eq!(r.header("Cookie"), Some("b=mine; c=3; a=1"));
        let r = with_token(Request::post("x"), &token);
        assert_eq!(r.header("Cookie"), Some("a=1; b=2"));
        let two = Request::post("x")
            .with_header("Cookie", "b=mine")
            .with_header("cookie", "c=3;");
        let r = with_token(two, &token);
        assert_eq!(r.header("Cookie"), Some("b=mine; c=3; a=1"));
        assert_eq!(
            r.headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
                .count(),
            1
        );
        let answer = Response::new(
            200,
            vec![
                ("Set-Cookie".into(), "a=1; Path=/".into()),
                ("set-cookie".into(), "junk".into()),
                ("set-cookie".into(), "a=2".into()),
            ],
            vec![],
        );
        assert_eq!(set_cookies(&answer), [("a".to_owned(), "2".to_owned())]);
    }

    #[test]
    fn the_fetch_url_of_a_service_keeps_its_parameters() {
        let root = Path::root("https://h/sap/opu/odata/sap/SRV", crate::Version::V2)
            .with_param("sap-client", "100");
        let c = Csrf::for_service((), &root);
        assert_eq!(
            c.fetch_url(),
            "https://h/sap/opu/odata/sap/SRV/?sap-client=100"
        );
        let c = Csrf::for_service((), &root.segment("Items"));
        assert_eq!(
            c.fetch_url(),
            "https://h/sap/opu/odata/sap/SRV/?sap-client=100"
        );
    }

    #[test]
    fn async_clients_get_the_same() {
        struct Async(Gateway);
        impl Client for Async {
            fn send(
                &self,
                r: Request,
            ) -> impl std::future::Future<Output = Result<Response, Error>> + Send {
                std::future::ready(BlockingClient::send(&self.0, r))
            }
        }
        let c = Csrf::new(Async(Gateway::default()), ROOT);
        let run = |r: Request| {
            let fut = Client::send(&c, r);
            let waker = std::task::Waker::noop();
            let mut cx = std::task::Context::from_waker(waker);
            let mut fut = std::pin::pin!(fut);
            match fut.as_mut().poll(&mut cx) {
                std::task::Poll::Ready(r) => r.unwrap().status,
                std::task::Poll::Pending => panic!("ready futures only"),
            }
        };
        assert_eq!(run(Request::post(format!("{ROOT}Items"))), 204);
        c.inner().0.expire();
        assert_eq!(run(Request::patch(format!("{ROOT}Items('1')"))), 204);
        let methods: Vec<_> = c.inner().0.seen().iter().map(|r| r.method).collect();
        assert_eq!(
            methods,
            [
                Method::Get,
                Method::Post,
                Method::Patch,
                Method::Get,
                Method::Patch
            ]
        );
    }
}
