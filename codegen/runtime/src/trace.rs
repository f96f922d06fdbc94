//! Tracing of requests (feature `tracing`): [`Traced`] wraps any client and opens a span per
//! request sent, named `odata.request`, with the fields
//!
//! - `method` and `url` (the query's values are kept only for OData system query options
//!   (`$filter`, `$skiptoken`, …), parameter aliases (`@p`) and `api-version`: other
//!   parameters may carry secrets (`code`, `sig`, `key`, …) and are written `REDACTED`);
//! - `attempt`: 1, or the attempt number when [`crate::Retry`] sends it again (wrap the raw
//!   client: `Retry::new(Traced::new(client))`, so each attempt is a span);
//! - `status` (or `error` for a transport failure) and `duration_ms` when the response came.
//!
//! ```
//! use odata_runtime::trace::Traced;
//! use odata_runtime::retry::Retry;
//! # struct MyClient;
//! # impl odata_runtime::BlockingClient for MyClient {
//! #     fn send(&self, _: odata_runtime::Request) -> Result<odata_runtime::Response, odata_runtime::Error> {
//! #         Ok(odata_runtime::Response::new(200, vec![], vec![]))
//! #     }
//! # }
//! let client = Retry::new(Traced::new(MyClient));
//! # let _ = client;
//! ```

use std::cell::Cell;
use std::future::Future;
use std::time::Instant;

use tracing::Instrument as _;

use crate::client::{BlockingClient, Client};
use crate::error::Error;
use crate::request::{Request, Response};

thread_local! {
    /// The attempt [`crate::Retry`] is about to send, read when the span is opened (right
    /// then, on the same thread, for the async client too: the span is made before the
    /// request's future is first polled).
    static ATTEMPT: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f` (which starts sending) as attempt `n`.
pub(crate) fn as_attempt<R>(n: u32, f: impl FnOnce() -> R) -> R {
    let before = ATTEMPT.with(|a| a.replace(n));
    let r = f();
    ATTEMPT.with(|a| a.set(before));
    r
}

/// A client whose requests are traced; see the [module documentation](self).
#[derive(Clone, Debug, Default)]
pub struct Traced<C> {
    inner: C,
}

impl<C> Traced<C> {
    /// Traces the requests of `inner`.
    pub fn new(inner: C) -> Self {
        Traced { inner }
    }

    /// The client inside.
    pub fn inner(&self) -> &C {
        &self.inner
    }
}

/// `url` with the values of query parameters that may be secret replaced.
pub fn redact_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let (query, fragment) = match query.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (query, None),
    };
    let params: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((name, value)) => {
                let kept = ["$", "%24", "@", "%40"].iter().any(|s| name.starts_with(s))
                    || name.eq_ignore_ascii_case("api-version");
                if kept {
                    format!("{name}={value}")
                } else {
                    format!("{name}=REDACTED")
                }
            }
            None => p.to_owned(),
        })
        .collect();
    let mut out = format!("{base}?{}", params.join("&"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

fn span_for(request: &Request) -> tracing::Span {
    let attempt = ATTEMPT.with(Cell::get).max(1);
    tracing::info_span!(
        "odata.request",
        method = request.method.as_str(),
        url = redact_url(&request.url).as_str(),
        attempt,
        status = tracing::field::Empty,
        error = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
    )
}

fn record(span: &tracing::Span, started: Instant, result: &Result<Response, Error>) {
    span.record("duration_ms", started.elapsed().as_millis() as u64);
    match result {
        Ok(r) => {
            span.record("status", r.status);
        }
        Err(e) => {
            span.record("error", tracing::field::display(e));
        }
    }
}

impl<C: BlockingClient> BlockingClient for Traced<C> {
    fn send(&self, request: Request) -> Result<Response, Error> {
        let span = span_for(&request);
        let started = Instant::now();
        let result = span.in_scope(|| self.inner.send(request));
        record(&span, started, &result);
        result
    }
}

impl<C: Client + Sync> Client for Traced<C> {
    fn send(&self, request: Request) -> impl Future<Output = Result<Response, Error>> + Send {
        let span = span_for(&request);
        let inner = self.inner.send(request).instrument(span.clone());
        async move {
            let started = Instant::now();
            let result = inner.await;
            record(&span, started, &result);
            result
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::fmt::Debug;
    use std::sync::{Arc, Mutex};
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    #[test]
    fn redaction() {
        assert_eq!(
            redact_url("https://h/s/users?$filter=a%20eq%201&code=secret&api-version=1.6&@p=1&x"),
            "https://h/s/users?$filter=a%20eq%201&code=REDACTED&api-version=1.6&@p=1&x"
        );
        assert_eq!(redact_url("https://h/s/users"), "https://h/s/users");
        assert_eq!(
            redact_url("https://h/s?sig=abc#frag"),
            "https://h/s?sig=REDACTED#frag"
        );
    }

    /// Records every span's fields by span id.
    #[derive(Clone, Default)]
    struct Spans(Arc<Mutex<BTreeMap<u64, BTreeMap<String, String>>>>);

    struct Fields<'a>(&'a mut BTreeMap<String, String>);

    impl Visit for Fields<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
            self.0.insert(field.name().into(), format!("{value:?}"));
        }
        fn record_str(&mut self, field: &Field, value: &str) {
            self.0.insert(field.name().into(), value.into());
        }
    }

    impl Subscriber for Spans {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut all = self.0.lock().unwrap();
            let id = all.len() as u64 + 1;
            let mut fields = BTreeMap::new();
            fields.insert("name".into(), span.metadata().name().into());
            span.record(&mut Fields(&mut fields));
            all.insert(id, fields);
            Id::from_u64(id)
        }
        fn record(&self, span: &Id, values: &Record<'_>) {
            let mut all = self.0.lock().unwrap();
            values.record(&mut Fields(all.get_mut(&span.into_u64()).unwrap()));
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, _: &Event<'_>) {}
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }

    /// 503 (with `Retry-After: 0`), then 200.
    struct Flaky(Mutex<u32>);

    impl BlockingClient for Flaky {
        fn send(&self, _: Request) -> Result<Response, Error> {
            let mut n = self.0.lock().unwrap();
            *n += 1;
            let status = if *n == 1 { 503 } else { 200 };
            Ok(Response::new(
                status,
                vec![("Retry-After".into(), "0".into())],
                vec![],
            ))
        }
    }

    #[test]
    fn a_span_per_attempt() {
        let spans = Spans::default();
        let client = crate::retry::Retry::new(Traced::new(Flaky(Mutex::new(0))));
        tracing::subscriber::with_default(spans.clone(), || {
            let r = client
                .send(Request::get("https://h/s/users?$top=1&token=t"))
                .unwrap();
            assert_eq!(r.status, 200);
        });
        let all = spans.0.lock().unwrap();
        let spans: Vec<_> = all.values().collect();
        assert_eq!(spans.len(), 2, "{spans:?}");
        for (i, s) in spans.iter().enumerate() {
            assert_eq!(s["name"], "odata.request");
            assert_eq!(s["method"], "GET");
            assert_eq!(s["url"], "https://h/s/users?$top=1&token=REDACTED");
            assert_eq!(s["attempt"], (i + 1).to_string());
            assert!(s.contains_key("duration_ms"), "{s:?}");
        }
        assert_eq!(spans[0]["status"], "503");
        assert_eq!(spans[1]["status"], "200");
    }

    #[test]
    fn async_requests_are_traced_too() {
        struct Ok200;
        impl Client for Ok200 {
            fn send(&self, _: Request) -> impl Future<Output = Result<Response, Error>> + Send {
                std::future::ready(Ok(Response::new(200, vec![], vec![])))
            }
        }
        let spans = Spans::default();
        let client = Traced::new(Ok200);
        tracing::subscriber::with_default(spans.clone(), || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap();
            rt.block_on(Client::send(&client, Request::delete("https://h/s/x(1)")))
                .unwrap();
        });
        let all = spans.0.lock().unwrap();
        let s = all.values().next().unwrap();
        assert_eq!(
            (s["method"].as_str(), s["status"].as_str()),
            ("DELETE", "200")
        );
        assert_eq!(s["attempt"], "1");
    }
}
