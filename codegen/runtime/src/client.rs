//! Sending requests: one small trait per style, implemented by users for
//! any HTTP client, and by this crate for `reqwest` (features `reqwest` and
//! `reqwest-blocking`).
//!
//! An implementation sends the [`Request`] as it is (method, URL, headers,
//! body) and returns the whole [`Response`] *whatever its status*: turning a
//! non-success status into an [`Error`] is left to the caller
//! ([`Response::error_for_status`]), so every client behaves alike.
//! [`Error::Transport`] is for failures to get a response at all.
//!
//! Retrying throttled (`429`) and unavailable (`503`, `504`) responses is a
//! wrapper over any client, [`crate::Retry`] (see [`crate::retry`]);
//! `reqwest_client()` and `reqwest_blocking_client()` are `reqwest` clients
//! wrapped in it, and what to use unless you need other settings.
//!
//! ```
//! use odata_runtime::{BlockingClient, Error, Request, Response};
//!
//! /// A client that answers every request with an empty collection.
//! struct Canned;
//!
//! impl BlockingClient for Canned {
//!     fn send(&self, request: Request) -> Result<Response, Error> {
//!         assert!(request.url.starts_with("https://"));
//!         Ok(Response::new(200, vec![], br#"{"value":[]}"#.to_vec()))
//!     }
//! }
//!
//! let page: odata_runtime::Page<u32> = Canned
//!     .send(Request::get("https://example.com/svc/Items"))?
//!     .error_for_status()?
//!     .json()?;
//! assert!(page.value.is_empty());
//! # Ok::<(), Error>(())
//! ```

use std::future::Future;

use crate::error::Error;
use crate::request::{Request, Response};
#[cfg(any(feature = "reqwest", feature = "reqwest-blocking"))]
use crate::retry::Retry;

/// An asynchronous HTTP client.
pub trait Client {
    /// Sends a request and reads the whole response.
    fn send(&self, request: Request) -> impl Future<Output = Result<Response, Error>> + Send;
}

/// A blocking HTTP client.
pub trait BlockingClient {
    /// Sends a request and reads the whole response.
    fn send(&self, request: Request) -> Result<Response, Error>;
}

impl<C: Client + Sync + ?Sized> Client for &C {
    fn send(&self, request: Request) -> impl Future<Output = Result<Response, Error>> + Send {
        (**self).send(request)
    }
}

impl<C: BlockingClient + ?Sized> BlockingClient for &C {
    fn send(&self, request: Request) -> Result<Response, Error> {
        (**self).send(request)
    }
}

/// A `reqwest::Client` (default settings) that retries throttled and
/// unavailable responses with the default [`RetryPolicy`](crate::RetryPolicy)
/// (feature `reqwest`). Build the `reqwest::Client` yourself and wrap it in
/// [`Retry::new`] for other settings; see [`crate::retry`].
#[cfg(feature = "reqwest")]
pub fn reqwest_client() -> Retry<reqwest::Client> {
    Retry::new(reqwest::Client::new())
}

/// A `reqwest::blocking::Client` (default settings) that retries throttled
/// and unavailable responses with the default
/// [`RetryPolicy`](crate::RetryPolicy) (feature `reqwest-blocking`). Build
/// the `reqwest::blocking::Client` yourself and wrap it in [`Retry::new`]
/// for other settings; see [`crate::retry`].
#[cfg(feature = "reqwest-blocking")]
pub fn reqwest_blocking_client() -> Retry<reqwest::blocking::Client> {
    Retry::new(reqwest::blocking::Client::new())
}

#[cfg(any(feature = "reqwest", feature = "reqwest-blocking"))]
mod reqwest_common {
    use crate::request::Method;

    pub(super) fn method(m: Method) -> reqwest::Method {
        match m {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
            Method::Merge => reqwest::Method::from_bytes(b"MERGE").expect("a valid method"),
        }
    }

    pub(super) fn headers(h: &reqwest::header::HeaderMap) -> Vec<(String, String)> {
        h.iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect()
    }
}

#[cfg(feature = "reqwest")]
impl Client for reqwest::Client {
    fn send(&self, request: Request) -> impl Future<Output = Result<Response, Error>> + Send {
        let mut b = self.request(reqwest_common::method(request.method), request.url);
        for (n, v) in request.headers {
            b = b.header(n, v);
        }
        if let Some(body) = request.body {
            b = b.body(body);
        }
        async move {
            let resp = b.send().await.map_err(Error::transport)?;
            let status = resp.status().as_u16();
            let headers = reqwest_common::headers(resp.headers());
            let body = resp.bytes().await.map_err(Error::transport)?.to_vec();
            Ok(Response {
                status,
                headers,
                body,
            })
        }
    }
}

#[cfg(feature = "reqwest-blocking")]
impl BlockingClient for reqwest::blocking::Client {
    fn send(&self, request: Request) -> Result<Response, Error> {
        let mut b = self.request(reqwest_common::method(request.method), request.url);
        for (n, v) in request.headers {
            b = b.header(n, v);
        }
        if let Some(body) = request.body {
            b = b.body(body);
        }
        let resp = b.send().map_err(Error::transport)?;
        let status = resp.status().as_u16();
        let headers = reqwest_common::headers(resp.headers());
        let body = resp.bytes().map_err(Error::transport)?.to_vec();
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

/// Runs a future on a current-thread tokio runtime (what `reqwest` needs),
/// for tests.
#[cfg(all(test, feature = "reqwest"))]
pub(crate) fn block_on<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(f)
}

/// A tiny HTTP/1.1 server for tests: serves canned responses, one request
/// per connection, on 127.0.0.1, and stops by itself after the last one or
/// after a deadline.
#[cfg(all(test, any(feature = "reqwest", feature = "reqwest-blocking")))]
pub(crate) mod test_server {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::mpsc;
    use std::thread::JoinHandle;
    use std::time::{Duration, Instant};

    /// A request as the server received it.
    #[derive(Debug)]
    pub struct Seen {
        pub method: String,
        pub target: String,
        pub headers: Vec<(String, String)>,
        pub body: Vec<u8>,
    }

    impl Seen {
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }
    }

    /// A canned response: status, extra headers, body. `{base}` in the body
    /// is replaced with `http://127.0.0.1:PORT`.
    pub type Canned = (u16, Vec<(&'static str, &'static str)>, String);

    pub struct Server {
        pub base: String,
        seen: mpsc::Receiver<Seen>,
        thread: Option<JoinHandle<()>>,
    }

    impl Server {
        pub fn start(responses: Vec<Canned>) -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            listener.set_nonblocking(true).unwrap();
            let base = format!("http://{}", listener.local_addr().unwrap());
            let (tx, seen) = mpsc::channel();
            let b = base.clone();
            let thread = std::thread::spawn(move || {
                let deadline = Instant::now() + Duration::from_secs(20);
                for (status, headers, body) in responses {
                    let stream = loop {
                        match listener.accept() {
                            Ok((s, _)) => break s,
                            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                                if Instant::now() > deadline {
                                    return;
                                }
                                std::thread::sleep(Duration::from_millis(5));
                            }
                            Err(_) => return,
                        }
                    };
                    let body = body.replace("{base}", &b);
                    match serve(stream, status, &headers, &body) {
                        Some(s) => {
                            let _ = tx.send(s);
                        }
                        None => return,
                    }
                }
            });
            Server {
                base,
                seen,
                thread: Some(thread),
            }
        }

        /// The next request received (waits up to 10 s).
        pub fn next(&self) -> Seen {
            self.seen.recv_timeout(Duration::from_secs(10)).unwrap()
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            if let Some(t) = self.thread.take()
                && !std::thread::panicking()
            {
                let _ = t.join();
            }
        }
    }

    fn serve(stream: TcpStream, status: u16, headers: &[(&str, &str)], body: &str) -> Option<Seen> {
        stream.set_nonblocking(false).ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .ok()?;
        let mut r = BufReader::new(stream.try_clone().ok()?);
        let mut line = String::new();
        r.read_line(&mut line).ok()?;
        let mut parts = line.trim_end().splitn(3, ' ');
        let method = parts.next()?.to_owned();
        let target = parts.next()?.to_owned();
        let mut seen_headers = Vec::new();
        loop {
            let mut h = String::new();
            r.read_line(&mut h).ok()?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (n, v) = h.split_once(':')?;
            seen_headers.push((n.trim().to_owned(), v.trim().to_owned()));
        }
        let len: usize = seen_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut req_body = vec![0; len.min(1 << 20)];
        r.read_exact(&mut req_body).ok()?;
        let mut out = format!(
            "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        );
        for (n, v) in headers {
            out.push_str(&format!("{n}: {v}\r\n"));
        }
        out.push_str("\r\n");
        out.push_str(body);
        let mut w = stream;
        w.write_all(out.as_bytes()).ok()?;
        w.flush().ok()?;
        Some(Seen {
            method,
            target,
            headers: seen_headers,
            body: req_body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Echo;

    impl BlockingClient for Echo {
        fn send(&self, request: Request) -> Result<Response, Error> {
            Ok(Response::new(
                200,
                request.headers,
                request.url.into_bytes(),
            ))
        }
    }

    #[test]
    fn user_implementations_and_refs() {
        let c = Echo;
        let r =
            <&Echo as BlockingClient>::send(&&c, Request::get("http://x/y").with_header("A", "b"))
                .unwrap();
        assert_eq!(r.text(), "http://x/y");
        assert_eq!(r.header("a"), Some("b"));
    }

    #[cfg(feature = "reqwest-blocking")]
    #[test]
    fn reqwest_blocking() {
        use test_server::Server;
        let server = Server::start(vec![(
            201,
            vec![("ETag", "W/\"2\""), ("Content-Type", "application/json")],
            r#"{"id":"7","name":"x y"}"#.into(),
        )]);
        let client = reqwest::blocking::Client::builder()
            .no_proxy()
            .build()
            .unwrap();
        let url = format!("{}/svc/People('O''Neil')/Trips?$top=1", server.base);
        let req = Request::post(url)
            .with_header("Authorization", "Bearer t")
            .if_match("W/\"1\"")
            .json_body(&serde_json::json!({"a": 1}))
            .unwrap();
        let resp = client.send(req).unwrap();
        let seen = server.next();
        assert_eq!(seen.method, "POST");
        assert_eq!(seen.target, "/svc/People('O''Neil')/Trips?$top=1");
        assert_eq!(seen.header("authorization"), Some("Bearer t"));
        assert_eq!(seen.header("if-match"), Some("W/\"1\""));
        assert_eq!(seen.header("content-type"), Some("application/json"));
        assert_eq!(seen.body, br#"{"a":1}"#);
        assert_eq!(resp.status, 201);
        assert_eq!(resp.etag(), Some("W/\"2\""));
        let v: serde_json::Value = resp.json().unwrap();
        assert_eq!(v["name"], "x y");

        // MERGE goes through as its own method; an error status is a
        // response, not an error.
        let server = Server::start(vec![(
            404,
            vec![],
            r#"{"error":{"code":"NotFound","message":"gone"}}"#.into(),
        )]);
        let resp = client
            .send(Request::new(
                crate::Method::Merge,
                format!("{}/x", server.base),
            ))
            .unwrap();
        assert_eq!(server.next().method, "MERGE");
        let err = resp.error_for_status().unwrap_err();
        assert_eq!(err.odata().unwrap().message, "gone");

        // Nothing listening: a transport error.
        let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", dead.local_addr().unwrap());
        drop(dead);
        let err = client.send(Request::get(url)).unwrap_err();
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
    }

    #[cfg(feature = "reqwest")]
    #[test]
    fn reqwest_async() {
        crate::client::block_on(reqwest_async_body());
    }

    #[cfg(feature = "reqwest")]
    async fn reqwest_async_body() {
        use test_server::Server;
        let server = Server::start(vec![(
            200,
            vec![("Content-Type", "application/json")],
            r#"{"value":[1,2]}"#.into(),
        )]);
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let req = Request::delete(format!("{}/svc/Items(1)", server.base)).if_match("*");
        let resp = Client::send(&client, req).await.unwrap();
        let seen = server.next();
        assert_eq!(seen.method, "DELETE");
        assert_eq!(seen.target, "/svc/Items(1)");
        assert_eq!(seen.header("If-Match"), Some("*"));
        assert!(seen.body.is_empty());
        let page: crate::Page<i32> = resp.json().unwrap();
        assert_eq!(page.value, [1, 2]);
        // The future is `Send`, so it can be spawned on a multi-threaded runtime.
        fn assert_send<T: Send>(_: &T) {}
        assert_send(&Client::send(&client, Request::get(server.base.clone())));
    }
}
