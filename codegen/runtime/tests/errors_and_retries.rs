//! Errors and retries as a generated crate's user meets them: a call sent
//! through a user's client, wrapped in `Retry`.

use std::sync::Mutex;
use std::time::Duration;

use odata_runtime as rt;
use rt::resource::{NoContent, One};
use rt::serde_json::{Value, json};
use rt::{
    BlockingClient, Call, Error, Method, Query, Request, Response, Retry, RetryPolicy, Version,
};

/// Answers from a list, recording what was sent.
#[derive(Default)]
struct Script(Mutex<Vec<Response>>, Mutex<Vec<Request>>);

impl Script {
    fn new(responses: Vec<Response>) -> Self {
        Script(Mutex::new(responses), Mutex::default())
    }
}

impl BlockingClient for Script {
    fn send(&self, request: Request) -> Result<Response, Error> {
        self.1.lock().unwrap().push(request);
        Ok(self.0.lock().unwrap().remove(0))
    }
}

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
    let headers = headers
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    Response::new(status, headers, body.as_bytes().to_vec())
}

fn get(url: &str) -> Call<One<Value>> {
    Call::new(
        Request::odata(Method::Get, url, Version::V4),
        Query::new(),
        Version::V4,
    )
}

#[test]
fn decode_errors_name_method_url_and_status() {
    let client = Script::new(vec![response(200, &[], r#"{"id":"a","#)]);
    let err = get("https://h/svc/People('a')")
        .map_query(|q| q.select(["id"]))
        .send_blocking(&client)
        .unwrap_err();
    assert!(
        err.to_string().starts_with(
            "reading the response to GET https://h/svc/People('a')?$select=id (HTTP 200): JSON error: EOF while parsing"
        ),
        "{err}"
    );
    assert!(matches!(err, Error::Decode(_)));

    // V2 without `d`: the shape error names the request too.
    let client = Script::new(vec![response(200, &[], r#"{"ID":1}"#)]);
    let call: Call<One<Value>> = Call::new(
        Request::odata(Method::Get, "https://h/v2/P(1)", Version::V2),
        Query::new(),
        Version::V2,
    );
    let err = call.send_blocking(&client).unwrap_err();
    assert!(
        err.to_string().starts_with(
            "reading the response to GET https://h/v2/P(1) (HTTP 200): unexpected response"
        ),
        "{err}"
    );
}

#[test]
fn a_stale_etag_is_matched_on() {
    let client = Script::new(vec![response(
        412,
        &[("ETag", "W/\"9\""), ("request-id", "r-412")],
        r#"{"error":{"code":"PreconditionFailed","message":"The entity changed."}}"#,
    )]);
    let call: Call<NoContent> = Call::new(
        Request::odata(Method::Patch, "https://h/svc/People('a')", Version::V4),
        Query::new(),
        Version::V4,
    )
    .if_match("W/\"8\"")
    .json_body(&json!({"name": "b"}));
    match call.send_blocking(&client) {
        Err(e) if e.is_precondition_failed() => {
            assert_eq!(e.etag(), Some("W/\"9\""));
            assert_eq!(e.request_id(), Some("r-412"));
            assert_eq!(e.odata().unwrap().message, "The entity changed.");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn calls_retry_through_the_wrapper() {
    let client = Retry::new(Script::new(vec![
        response(429, &[("Retry-After", "0")], ""),
        response(200, &[], r#"{"id":"a"}"#),
    ]))
    .policy(RetryPolicy::new().max_retry_after(Duration::from_millis(1)));
    let v = get("https://h/svc/People('a')")
        .send_blocking(&client)
        .unwrap();
    assert_eq!(v["id"], "a");
    assert_eq!(client.inner().1.lock().unwrap().len(), 2);

    // Never: the 429 is the error, with what it said.
    let client = Retry::new(Script::new(vec![response(
        429,
        &[("Retry-After", "120")],
        r#"{"error":{"code":"TooManyRequests","message":"slow down"}}"#,
    )]))
    .policy(RetryPolicy::never());
    let err = get("https://h/svc/People('a')")
        .send_blocking(&client)
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
}
