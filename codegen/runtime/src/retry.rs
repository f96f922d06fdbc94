//! Retrying throttled and unavailable responses: [`Retry`], a wrapper over
//! any [`Client`] or [`BlockingClient`], with a [`RetryPolicy`].
//!
//! Services throttle (`429 Too Many Requests`) and shed load (`503 Service
//! Unavailable`, `504 Gateway Timeout`), usually with a `Retry-After`
//! header. `Retry` sends the request again after the delay the service asks
//! for (seconds or an HTTP date, capped by
//! [`RetryPolicy::max_retry_after`]), or else after a capped exponential
//! backoff with jitter, up to [`RetryPolicy::max_attempts`] attempts in all.
//! When attempts run out it returns the last response, whose error
//! ([`Response::error_for_status`]) carries its status and headers.
//!
//! Only idempotent requests are retried (`GET`, `PUT`, `DELETE`): a `POST`,
//! `PATCH` or `MERGE` might be applied twice, so it is sent once unless
//! [`RetryPolicy::retry_non_idempotent`] says otherwise. Transport errors
//! are returned as they are, not retried.
//!
//! # Retries are on for the reqwest clients
//!
//! Like Microsoft Graph's SDKs, whose default HTTP client retries, the
//! clients this crate makes for `reqwest`,
//! `client::reqwest_client()` and
//! `client::reqwest_blocking_client()`, are `Retry` wrappers with
//! the default policy. The [`Client`]/[`BlockingClient`] implementations of
//! `reqwest::Client` and `reqwest::blocking::Client` themselves stay raw
//! (one request, one response, as every implementation of those traits):
//! a client that retried on its own could not be wrapped with another
//! policy without multiplying attempts, and would surprise those who
//! implement their own. So `Retry::new(client)` is how any client,
//! a configured `reqwest` one included, gets retries:
//!
//! ```
//! use std::time::Duration;
//! use odata_runtime::retry::{Retry, RetryPolicy};
//! # struct MyClient;
//! # impl odata_runtime::BlockingClient for MyClient {
//! #     fn send(&self, _: odata_runtime::Request) -> Result<odata_runtime::Response, odata_runtime::Error> {
//! #         Ok(odata_runtime::Response::new(200, vec![], vec![]))
//! #     }
//! # }
//!
//! let client = Retry::new(MyClient).policy(
//!     RetryPolicy::new()
//!         .max_attempts(5)
//!         .base_delay(Duration::from_millis(200))
//!         .max_retry_after(Duration::from_secs(30)),
//! );
//! # let _ = client;
//! ```
//!
//! # Sleeping without an async runtime dependency
//!
//! The blocking client sleeps with `std::thread::sleep`. The async client
//! sleeps with a [`Sleep`]: the default, [`DefaultSleep`], is a future
//! woken by a short-lived helper thread, so it works under any executor
//! (tokio, async-std, smol, …) and this crate depends on none. Retries are
//! rare, so a thread per wait costs little; with tokio, its own timer is
//! one line away: `Retry::new(client).with_sleep(tokio::time::sleep)` (any
//! `Fn(Duration) -> impl Future<Output = ()> + Send` is a `Sleep`).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant, SystemTime};

use crate::client::{BlockingClient, Client};
use crate::error::Error;
use crate::request::{Method, Request, Response};

/// When and how long to wait before sending a request again.
///
/// The default: at most 4 attempts (3 retries), of `GET`, `PUT` and `DELETE`
/// requests answered `429`, `503` or `504`; waiting what `Retry-After` says,
/// up to 3 minutes, else 1 s, 2 s, 4 s … (at most 30 s), each with jitter
/// that takes off up to half.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
    statuses: Vec<u16>,
    non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(180),
            statuses: vec![429, 503, 504],
            non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// The default policy (see the type's documentation).
    pub fn new() -> Self {
        Self::default()
    }

    /// A policy that never retries (one attempt).
    pub fn never() -> Self {
        Self::default().max_attempts(1)
    }

    /// The number of attempts in all, the first one included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry when the service gives no
    /// `Retry-After`; it doubles with each retry.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest backoff (when the service gives no `Retry-After`).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest wait for a `Retry-After`: a longer one is waited for
    /// this long.
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// The statuses that are retried (default `429`, `503`, `504`).
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = u16>) -> Self {
        self.statuses = statuses.into_iter().collect();
        self
    }

    /// Whether `POST`, `PATCH` and `MERGE` requests are retried too (default
    /// no: they might be applied twice).
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.non_idempotent = yes;
        self
    }

    /// Whether requests of this method are retried at all.
    pub fn retries_method(&self, method: Method) -> bool {
        self.non_idempotent || matches!(method, Method::Get | Method::Put | Method::Delete)
    }

    /// Whether a request of `method` that got `status` on attempt number
    /// `attempt` (the first is 1) is sent again.
    pub fn should_retry(&self, method: Method, status: u16, attempt: u32) -> bool {
        attempt < self.max_attempts
            && self.retries_method(method)
            && self.statuses.contains(&status)
    }

    /// The wait after attempt number `attempt` (the first is 1) failed: the
    /// `Retry-After` delay, if the service gave one, capped at
    /// [`RetryPolicy::max_retry_after`]; else the backoff `b = min(max_delay,
    /// base_delay × 2^(attempt − 1))` less up to half of it: `b/2 + b/2 ×
    /// jitter`, for a `jitter` in `[0, 1]`.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
        if let Some(after) = retry_after {
            return after.min(self.max_retry_after);
        }
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let backoff = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let half = backoff / 2;
        half + half.mul_f64(jitter.clamp(0.0, 1.0))
    }

    /// The wait before sending again a request of `method` that got
    /// `response` on attempt number `attempt`, or `None` when it is not
    /// sent again.
    pub fn next_delay(
        &self,
        method: Method,
        response: &Response,
        attempt: u32,
    ) -> Option<Duration> {
        if !self.should_retry(method, response.status, attempt) {
            return None;
        }
        let after = response
            .header("Retry-After")
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        Some(self.delay(attempt, after, jitter()))
    }
}

/// A `Retry-After` header value as a delay from `now`: delta-seconds
/// (`120`) or an HTTP date (`Fri, 31 Dec 1999 23:59:59 GMT`, and the
/// obsolete RFC 850 and asctime forms); a date before `now` is zero. `None`
/// when the value is neither.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Digits only: seconds (saturating: a huge value is just "very long").
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A number in `[0, 1)`, different at each call (randomly keyed hashing of
/// the clock): enough to spread retries, no `rand` needed.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// How [`Retry`] waits between attempts.
pub trait Sleep {
    /// Waits `duration` (async [`Client`]).
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;

    /// Waits `duration` ([`BlockingClient`]); `std::thread::sleep` by
    /// default.
    fn sleep_blocking(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

/// Any `Fn(Duration) -> impl Future` sleeps, e.g. `tokio::time::sleep`.
impl<F, Fut> Sleep for F
where
    F: Fn(Duration) -> Fut,
    Fut: Future<Output = ()> + Send,
{
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        self(duration)
    }
}

/// The default [`Sleep`]: `std::thread::sleep` for the blocking client; for
/// the async one a future woken by a helper thread, which works under any
/// executor.
#[derive(Clone, Copy, Debug, Default)]
pub struct DefaultSleep;

impl Sleep for DefaultSleep {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        ThreadTimer {
            deadline: Instant::now() + duration,
            waker: None,
        }
    }
}

/// A future ready at `deadline`; the first poll before it starts a thread
/// that sleeps until then and wakes the latest waker.
struct ThreadTimer {
    deadline: Instant,
    waker: Option<Arc<Mutex<Waker>>>,
}

impl Future for ThreadTimer {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // The thread wakes only once the deadline passed, so a wake is never
        // lost: a poll after it sees the deadline passed.
        if Instant::now() >= self.deadline {
            return Poll::Ready(());
        }
        match &self.waker {
            Some(w) => {
                let mut w = w.lock().unwrap_or_else(|e| e.into_inner());
                if !w.will_wake(cx.waker()) {
                    *w = cx.waker().clone();
                }
            }
            None => {
                let shared = Arc::new(Mutex::new(cx.waker().clone()));
                let (deadline, theirs) = (self.deadline, Arc::clone(&shared));
                let spawned = std::thread::Builder::new()
                    .name("odata-retry-sleep".into())
                    .spawn(move || {
                        std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
                        theirs
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .wake_by_ref();
                    });
                if spawned.is_err() {
                    // No thread: poll again until the deadline.
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                self.waker = Some(shared);
            }
        }
        Poll::Pending
    }
}

/// A client that sends requests again as a [`RetryPolicy`] says, over any
/// [`Client`] or [`BlockingClient`] (see the [module documentation](self)).
#[derive(Clone, Debug)]
pub struct Retry<C, S = DefaultSleep> {
    inner: C,
    policy: RetryPolicy,
    sleep: S,
}

impl<C> Retry<C> {
    /// `client` with the default policy.
    pub fn new(client: C) -> Self {
        Retry {
            inner: client,
            policy: RetryPolicy::default(),
            sleep: DefaultSleep,
        }
    }
}

impl<C, S> Retry<C, S> {
    /// Sets the policy.
    pub fn policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Sets how to wait (e.g. `tokio::time::sleep`).
    pub fn with_sleep<S2: Sleep>(self, sleep: S2) -> Retry<C, S2> {
        Retry {
            inner: self.inner,
            policy: self.policy,
            sleep,
        }
    }

    /// The policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// The client wrapped.
    pub fn inner(&self) -> &C {
        &self.inner
    }

    /// The client wrapped, unwrapped.
    pub fn into_inner(self) -> C {
        self.inner
    }
}

/// The request for attempt `attempt`, and a copy to send again when the
/// policy may retry it.
/// Starts sending attempt `n` (with feature `tracing`, its span says which attempt it is).
fn attempt_send<R>(n: u32, send: impl FnOnce() -> R) -> R {
    #[cfg(feature = "tracing")]
    return crate::trace::as_attempt(n, send);
    #[cfg(not(feature = "tracing"))]
    {
        let _ = n;
        send()
    }
}

fn split(policy: &RetryPolicy, request: Request, attempt: u32) -> (Request, Option<Request>) {
    if attempt < policy.max_attempts && policy.retries_method(request.method) {
        (request.clone(), Some(request))
    } else {
        (request, None)
    }
}

impl<C: BlockingClient, S: Sleep> BlockingClient for Retry<C, S> {
    fn send(&self, request: Request) -> Result<Response, Error> {
        let mut request = request;
        let mut attempt = 1;
        loop {
            let method = request.method;
            let (now, again) = split(&self.policy, request, attempt);
            let response = attempt_send(attempt, || self.inner.send(now))?;
            match again.zip(self.policy.next_delay(method, &response, attempt)) {
                Some((again, delay)) => {
                    self.sleep.sleep_blocking(delay);
                    request = again;
                    attempt += 1;
                }
                None => return Ok(response),
            }
        }
    }
}

impl<C: Client + Sync, S: Sleep + Sync> Client for Retry<C, S> {
    async fn send(&self, request: Request) -> Result<Response, Error> {
        let mut request = request;
        let mut attempt = 1;
        loop {
            let method = request.method;
            let (now, again) = split(&self.policy, request, attempt);
            let response = attempt_send(attempt, || self.inner.send(now)).await?;
            match again.zip(self.policy.next_delay(method, &response, attempt)) {
                Some((again, delay)) => {
                    self.sleep.sleep(delay).await;
                    request = again;
                    attempt += 1;
                }
                None => return Ok(response),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    const MS: Duration = Duration::from_millis(1);

    /// A sleeper that records the waits asked for and does not wait.
    #[derive(Clone, Default)]
    struct Recorder(Arc<Mutex<Vec<Duration>>>);

    impl Recorder {
        fn waits(&self) -> Vec<Duration> {
            self.0.lock().unwrap().clone()
        }
    }

    impl Sleep for Recorder {
        fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
            self.0.lock().unwrap().push(duration);
            std::future::ready(())
        }
        fn sleep_blocking(&self, duration: Duration) {
            self.0.lock().unwrap().push(duration);
        }
    }

    #[test]
    fn delays_are_what_the_policy_says() {
        let p = RetryPolicy::new()
            .base_delay(100 * MS)
            .max_delay(Duration::from_secs(1))
            .max_retry_after(Duration::from_secs(5));
        // Backoff: b = base × 2^(attempt − 1), capped; waits b/2 + b/2 × jitter.
        assert_eq!(p.delay(1, None, 0.0), 50 * MS);
        assert_eq!(p.delay(1, None, 1.0), 100 * MS);
        assert_eq!(p.delay(2, None, 0.0), 100 * MS);
        assert_eq!(p.delay(3, None, 0.5), 300 * MS);
        assert_eq!(p.delay(4, None, 1.0), 800 * MS);
        assert_eq!(p.delay(5, None, 1.0), 1000 * MS);
        assert_eq!(p.delay(5, None, 0.0), 500 * MS);
        assert_eq!(p.delay(100, None, 1.0), 1000 * MS, "no overflow");
        assert_eq!(p.delay(1, None, 7.0), 100 * MS, "jitter is clamped");
        // Retry-After wins over backoff, without jitter, up to its cap.
        assert_eq!(p.delay(1, Some(Duration::from_secs(2)), 0.7), 2000 * MS);
        assert_eq!(p.delay(3, Some(Duration::ZERO), 0.7), Duration::ZERO);
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(60)), 0.0),
            Duration::from_secs(5)
        );
        let d = RetryPolicy::default();
        assert_eq!(d.delay(1, None, 1.0), Duration::from_secs(1));
        assert_eq!(d.delay(3, None, 1.0), Duration::from_secs(4));
        assert_eq!(d.delay(9, None, 1.0), Duration::from_secs(30));
        assert_eq!(
            d.delay(1, Some(Duration::from_secs(3600)), 0.0),
            Duration::from_secs(180)
        );
        let j: Vec<f64> = (0..50).map(|_| jitter()).collect();
        assert!(j.iter().all(|x| (0.0..1.0).contains(x)), "{j:?}");
        assert!(j.iter().any(|x| *x != j[0]), "{j:?}");
    }

    #[test]
    fn which_requests_are_retried() {
        let p = RetryPolicy::new();
        for m in [Method::Get, Method::Put, Method::Delete] {
            assert!(p.should_retry(m, 429, 1), "{m}");
            assert!(p.should_retry(m, 503, 3), "{m}");
            assert!(p.should_retry(m, 504, 1), "{m}");
            assert!(!p.should_retry(m, 429, 4), "{m}: 4 attempts made");
            assert!(!p.should_retry(m, 500, 1), "{m}");
            assert!(!p.should_retry(m, 200, 1), "{m}");
        }
        for m in [Method::Post, Method::Patch, Method::Merge] {
            assert!(!p.should_retry(m, 429, 1), "{m}");
            assert!(
                p.clone().retry_non_idempotent(true).should_retry(m, 429, 1),
                "{m}"
            );
        }
        let p = RetryPolicy::new().statuses([500]).max_attempts(2);
        assert!(p.should_retry(Method::Get, 500, 1));
        assert!(!p.should_retry(Method::Get, 500, 2));
        assert!(!p.should_retry(Method::Get, 429, 1));
        assert!(!RetryPolicy::never().should_retry(Method::Get, 429, 1));
        assert_eq!(RetryPolicy::new().max_attempts(0), RetryPolicy::never());
        let r = Response::new(200, vec![], vec![]);
        assert_eq!(RetryPolicy::new().next_delay(Method::Get, &r, 1), None);
        let r = Response::new(429, vec![("retry-after".into(), "2".into())], vec![]);
        assert_eq!(
            RetryPolicy::new().next_delay(Method::Get, &r, 1),
            Some(Duration::from_secs(2))
        );
        assert_eq!(RetryPolicy::new().next_delay(Method::Post, &r, 1), None);
    }

    #[test]
    fn retry_after_values() {
        let at = |s: &str| httpdate::parse_http_date(s).unwrap();
        let now = at("Fri, 31 Dec 1999 23:58:29 GMT");
        let secs = |n| Some(Duration::from_secs(n));
        assert_eq!(parse_retry_after("120", now), secs(120));
        assert_eq!(parse_retry_after(" 0 ", now), secs(0));
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            secs(u64::MAX)
        );
        // IMF-fixdate, and the obsolete RFC 850 and asctime forms.
        assert_eq!(
            parse_retry_after("Fri, 31 Dec 1999 23:59:59 GMT", now),
            secs(90)
        );
        assert_eq!(
            parse_retry_after("Friday, 31-Dec-99 23:59:59 GMT", now),
            secs(90)
        );
        assert_eq!(parse_retry_after("Fri Dec 31 23:59:59 1999", now), secs(90));
        // A date in the past: now.
        assert_eq!(
            parse_retry_after("Fri, 31 Dec 1999 23:00:00 GMT", now),
            secs(0)
        );
        for bad in [
            "",
            "soon",
            "-1",
            "1.5",
            "+3",
            "Fri, 32 Dec 1999 23:59:59 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad:?}");
        }
        // Through an error, against the clock.
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
        let e = Response::new(503, vec![("Retry-After".into(), later)], vec![])
            .error_for_status()
            .unwrap_err();
        let wait = e.retry_after().unwrap();
        assert!(
            wait > Duration::from_secs(3000) && wait <= Duration::from_secs(3600),
            "{wait:?}"
        );
    }

    /// Answers from a list, counting requests.
    struct Script(Mutex<Vec<Response>>, Mutex<Vec<Request>>);

    impl Script {
        fn new(responses: Vec<Response>) -> Self {
            Script(Mutex::new(responses), Mutex::default())
        }
        fn sent(&self) -> usize {
            self.1.lock().unwrap().len()
        }
    }

    impl BlockingClient for Script {
        fn send(&self, request: Request) -> Result<Response, Error> {
            self.1.lock().unwrap().push(request);
            let mut r = self.0.lock().unwrap();
            if r.is_empty() {
                return Err(Error::transport("no more responses"));
            }
            Ok(r.remove(0))
        }
    }

    fn resp(status: u16, headers: &[(&str, &str)]) -> Response {
        let h = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        Response::new(status, h, b"{}".to_vec())
    }

    #[test]
    fn blocking_retries_as_the_policy_says() {
        let rec = Recorder::default();
        let c = Retry::new(Script::new(vec![
            resp(429, &[("Retry-After", "3")]),
            resp(504, &[]),
            resp(200, &[]),
        ]))
        .policy(RetryPolicy::new().base_delay(10 * MS))
        .with_sleep(rec.clone());
        let r = c
            .send(Request::put("http://h/x").with_body("text/plain", b"v".to_vec()))
            .unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(c.inner().sent(), 3);
        let waits = rec.waits();
        assert_eq!(waits[0], Duration::from_secs(3));
        // The second retry's backoff: 10 ms × 2, less up to half.
        assert!((10 * MS..=20 * MS).contains(&waits[1]), "{waits:?}");
        // Every attempt sends the same request.
        let sent = c.inner().1.lock().unwrap();
        assert!(sent.iter().all(|r| r == &sent[0]));
        assert_eq!(sent[2].body.as_deref(), Some(&b"v"[..]));
        drop(sent);

        // A transport error is returned at once.
        let c = Retry::new(Script::new(vec![])).with_sleep(rec.clone());
        assert!(matches!(
            c.send(Request::get("http://h/x")),
            Err(Error::Transport(_))
        ));
        assert_eq!(c.inner().sent(), 1);
        assert_eq!(c.into_inner().sent(), 1);
    }

    #[cfg(feature = "reqwest-blocking")]
    fn blocking_client() -> reqwest::blocking::Client {
        reqwest::blocking::Client::builder()
            .no_proxy()
            .build()
            .unwrap()
    }

    #[cfg(feature = "reqwest-blocking")]
    #[test]
    fn throttled_then_ok_over_http() {
        use crate::client::test_server::Server;
        let server = Server::start(vec![
            (
                429,
                vec![("Retry-After", "1")],
                r#"{"error":{"code":"TooManyRequests","message":"slow down"}}"#.into(),
            ),
            (200, vec![], r#"{"value":[1,2]}"#.into()),
        ]);
        let rec = Recorder::default();
        let client = Retry::new(blocking_client()).with_sleep(rec.clone());
        let url = format!("{}/svc/Items", server.base);
        let page: crate::Page<i32> =
            crate::fetch_page_blocking(&client, Request::get(url).with_header("A", "1")).unwrap();
        assert_eq!(page.value, [1, 2]);
        let (first, second) = (server.next(), server.next());
        assert_eq!(
            (first.target.as_str(), second.target.as_str()),
            ("/svc/Items", "/svc/Items")
        );
        assert_eq!(second.header("A"), Some("1"));
        assert_eq!(rec.waits(), [Duration::from_secs(1)]);

        // Really sleeping (Retry-After: 0, then a 1 ms backoff).
        let server = Server::start(vec![
            (503, vec![("Retry-After", "0")], String::new()),
            (503, vec![], String::new()),
            (204, vec![], String::new()),
        ]);
        let client =
            Retry::new(blocking_client()).policy(RetryPolicy::new().base_delay(MS).max_delay(MS));
        let r = client
            .send(Request::delete(format!("{}/svc/Items(1)", server.base)))
            .unwrap();
        assert_eq!(r.status, 204);
        for _ in 0..3 {
            assert_eq!(server.next().method, "DELETE");
        }
    }

    #[cfg(feature = "reqwest-blocking")]
    #[test]
    fn post_is_not_retried_unless_asked() {
        use crate::client::test_server::Server;
        // One response only: a second attempt would find no server.
        let server = Server::start(vec![(429, vec![("Retry-After", "1")], String::new())]);
        let rec = Recorder::default();
        let client = Retry::new(blocking_client()).with_sleep(rec.clone());
        let r = client
            .send(Request::post(format!("{}/svc/Items", server.base)))
            .unwrap();
        assert_eq!(r.status, 429);
        assert_eq!(server.next().method, "POST");
        let e = r.error_for_status().unwrap_err();
        assert_eq!(e.retry_after(), Some(Duration::from_secs(1)));
        assert!(rec.waits().is_empty());
        drop(server);

        let server = Server::start(vec![
            (429, vec![("Retry-After", "1")], String::new()),
            (201, vec![], "{}".into()),
        ]);
        let client = client.policy(RetryPolicy::new().retry_non_idempotent(true));
        let r = client
            .send(Request::post(format!("{}/svc/Items", server.base)))
            .unwrap();
        assert_eq!(r.status, 201);
        assert_eq!(rec.waits(), [Duration::from_secs(1)]);
    }

    #[cfg(feature = "reqwest-blocking")]
    #[test]
    fn the_last_error_when_attempts_run_out() {
        use crate::client::test_server::Server;
        let server = Server::start(vec![
            (503, vec![("request-id", "r1")], "busy".into()),
            (503, vec![("request-id", "r2")], "busy".into()),
            (
                503,
                vec![("request-id", "r3"), ("Retry-After", "30")],
                r#"{"error":{"code":"serviceNotAvailable","message":"try later"}}"#.into(),
            ),
        ]);
        let rec = Recorder::default();
        let client = Retry::new(blocking_client())
            .policy(RetryPolicy::new().max_attempts(3).base_delay(8 * MS))
            .with_sleep(rec.clone());
        let call = crate::Call::<crate::resource::Raw>::new(
            Request::get(format!("{}/svc/Items", server.base)),
            crate::Query::new(),
            crate::Version::V4,
        );
        let e = call.send_blocking(&client).unwrap_err();
        assert_eq!(e.status(), Some(503));
        assert_eq!(e.request_id(), Some("r3"));
        assert_eq!(e.retry_after(), Some(Duration::from_secs(30)));
        assert_eq!(e.odata().unwrap().code, "serviceNotAvailable");
        assert!(
            e.headers()
                .iter()
                .any(|(n, v)| n == "request-id" && v == "r3")
        );
        let waits = rec.waits();
        assert_eq!(waits.len(), 2);
        assert!((4 * MS..=8 * MS).contains(&waits[0]), "{waits:?}");
        assert!((8 * MS..=16 * MS).contains(&waits[1]), "{waits:?}");
        for _ in 0..3 {
            server.next();
        }
    }

    #[cfg(feature = "reqwest")]
    #[test]
    fn async_retries_over_http() {
        crate::client::block_on(async_retries_body());
    }

    #[cfg(feature = "reqwest")]
    async fn async_retries_body() {
        use crate::client::test_server::Server;
        let reqwest = reqwest::Client::builder().no_proxy().build().unwrap();

        // The default sleep (a helper thread), under tokio.
        let server = Server::start(vec![
            (429, vec![("Retry-After", "0")], String::new()),
            (503, vec![], String::new()),
            (200, vec![], r#"{"value":[3]}"#.into()),
        ]);
        let client = Retry::new(reqwest.clone()).policy(RetryPolicy::new().base_delay(2 * MS));
        let page: crate::Page<i32> =
            crate::fetch_page(&client, Request::get(format!("{}/p", server.base)))
                .await
                .unwrap();
        assert_eq!(page.value, [3]);
        for _ in 0..3 {
            assert_eq!(server.next().target, "/p");
        }

        // tokio's timer as the sleep; a recorder to see the waits.
        let server = Server::start(vec![
            (503, vec![("Retry-After", "1")], String::new()),
            (200, vec![], "{}".into()),
        ]);
        let rec = Recorder::default();
        let client = Retry::new(reqwest.clone()).with_sleep(rec.clone());
        let r = Client::send(&client, Request::get(server.base.clone()))
            .await
            .unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(rec.waits(), [Duration::from_secs(1)]);
        let server2 = Server::start(vec![
            (503, vec![("Retry-After", "0")], String::new()),
            (200, vec![], "{}".into()),
        ]);
        let client = Retry::new(reqwest).with_sleep(tokio::time::sleep);
        let r = Client::send(&client, Request::get(server2.base.clone()))
            .await
            .unwrap();
        assert_eq!(r.status, 200);
        fn assert_send<T: Send>(_: &T) {}
        assert_send(&Client::send(&client, Request::get(server.base.clone())));
    }

    #[test]
    fn thread_timer_wakes_any_executor() {
        // A minimal executor: park the thread until woken.
        struct Unpark(std::thread::Thread);
        impl std::task::Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
        }
        let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        let start = Instant::now();
        let mut f = std::pin::pin!(DefaultSleep.sleep(5 * MS));
        let mut polls = 0;
        while f.as_mut().poll(&mut cx).is_pending() {
            polls += 1;
            std::thread::park();
        }
        assert!(start.elapsed() >= 5 * MS);
        assert!(polls >= 1);
        let mut f = std::pin::pin!(DefaultSleep.sleep(Duration::ZERO));
        assert!(f.as_mut().poll(&mut cx).is_ready());
    }
}
