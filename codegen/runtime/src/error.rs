//! The error type of requests, and OData error payloads.
//!
//! A service reports a failed request with a status code and, usually, an
//! error object in the body:
//!
//! - V4: `{"error": {"code", "message", "target", "details": [..], "innererror": {..}}}`
//!   (Microsoft Graph spells the last one `innerError`);
//! - V3 (JSON light): `{"odata.error": {"code", "message": {"lang", "value"}, "innererror"}}`;
//! - V2 (verbose JSON): `{"error": {"code", "message": {"lang", "value"}, "innererror"}}`.
//!
//! [`ODataError::from_slice`] reads all three into one [`ODataError`].
//!
//! A non-success response becomes [`Error::Status`], which keeps what a
//! caller needs to react: the status, every header (`Retry-After`,
//! `request-id`, `ETag`, …) and the body, read as an OData error when it is
//! one. [`Error`] has accessors for all of it, and predicates for the
//! statuses a caller commonly handles:
//!
//! ```
//! use odata_runtime::{Error, Response};
//!
//! let response = Response::new(
//!     412,
//!     vec![("ETag".into(), "W/\"8\"".into()), ("request-id".into(), "r-1".into())],
//!     br#"{"error":{"code":"PreconditionFailed","message":"changed"}}"#.to_vec(),
//! );
//! match response.error_for_status() {
//!     Err(e) if e.is_precondition_failed() => {
//!         // Someone else changed the entity: read it again and retry.
//!         assert_eq!(e.etag(), Some("W/\"8\""));
//!         assert_eq!(e.request_id(), Some("r-1"));
//!         assert_eq!(e.odata().unwrap().code, "PreconditionFailed");
//!     }
//!     Err(e) if e.is_not_found() => unreachable!(),
//!     other => panic!("{other:?}"),
//! }
//! ```
//!
//! A successful response whose body cannot be read as expected becomes
//! [`Error::Decode`], naming the method, URL and status it came from.

use std::fmt;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

use crate::request::{Method, Response, find_header};

/// Everything that can go wrong sending a request and reading its response.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be sent or its response not received (DNS,
    /// connection, TLS, timeouts, an invalid header for the HTTP library).
    Transport(Box<dyn std::error::Error + Send + Sync>),
    /// The service answered with a non-success status: the status, headers
    /// and body, with the OData error payload when the body is one (boxed:
    /// every `Result` of this crate carries an `Error`). See the accessors
    /// ([`Error::status`], [`Error::odata`], [`Error::retry_after`],
    /// [`Error::request_id`], [`Error::etag`], [`Error::headers`]) and the
    /// predicates ([`Error::is_not_found`],
    /// [`Error::is_precondition_failed`],
    /// [`Error::is_precondition_required`]).
    Status(Box<StatusError>),
    /// A successful response whose body is not what the request asks for
    /// (invalid JSON, not of the expected OData shape), with the method, URL
    /// and status it came from; the error itself is its
    /// [`source`](std::error::Error::source).
    Decode(Box<DecodeError>),
    /// A request body could not be written or a body not read as the
    /// expected JSON (where the request is not known, e.g.
    /// [`Response::json`]; sending a [`crate::Call`] or fetching a page
    /// gives [`Error::Decode`]).
    Json(serde_json::Error),
    /// A response that is valid JSON but not of the expected OData shape, or
    /// a body that is not what the request asks for (e.g. a `$count` that is
    /// not a number), where the request is not known.
    Unexpected(String),
    /// A URL (e.g. a next link) that cannot be resolved.
    Url(String),
}

impl Error {
    /// Wraps any error as a [`Error::Transport`] error (what client
    /// implementations use).
    pub fn transport(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Error::Transport(e.into())
    }

    /// The error for a non-success response ([`Error::Status`]).
    pub fn from_response(response: Response) -> Self {
        Error::Status(Box::new(StatusError::new(
            response.status,
            response.headers,
            response.body,
        )))
    }

    /// An error reading the body of a (successful) response to `method
    /// url` ([`Error::Decode`]); `source` is what reading it gave.
    pub fn decode(
        method: Method,
        url: impl Into<String>,
        status: u16,
        headers: Vec<(String, String)>,
        source: Error,
    ) -> Self {
        Error::Decode(Box::new(DecodeError {
            method,
            url: url.into(),
            status,
            headers,
            source,
        }))
    }

    /// The non-success response of an [`Error::Status`] error.
    pub fn http(&self) -> Option<&StatusError> {
        match self {
            Error::Status(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status of an [`Error::Status`] error (a non-success status;
    /// an [`Error::Decode`] has the status of its response in
    /// [`DecodeError::status`]).
    pub fn status(&self) -> Option<u16> {
        self.http().map(StatusError::status)
    }

    /// The OData error payload of an [`Error::Status`] error, if its body is
    /// one.
    pub fn odata(&self) -> Option<&ODataError> {
        self.http().and_then(StatusError::odata)
    }

    /// The response headers of an [`Error::Status`] error (empty for other
    /// errors).
    pub fn headers(&self) -> &[(String, String)] {
        self.http().map_or(&[], StatusError::headers)
    }

    /// A response header of an [`Error::Status`] error (ASCII
    /// case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.http().and_then(|e| e.header(name))
    }

    /// How long the service asks to wait before trying again: the
    /// `Retry-After` header of an [`Error::Status`] error, in seconds or as
    /// an HTTP date (a date in the past is zero).
    pub fn retry_after(&self) -> Option<Duration> {
        self.http().and_then(StatusError::retry_after)
    }

    /// The service's id of the failed request, for support: see
    /// [`StatusError::request_id`].
    pub fn request_id(&self) -> Option<&str> {
        self.http().and_then(StatusError::request_id)
    }

    /// The `client-request-id` header an [`Error::Status`] response echoes.
    pub fn client_request_id(&self) -> Option<&str> {
        self.header("client-request-id")
    }

    /// The `ETag` header of an [`Error::Status`] response (a `412` may
    /// carry the entity's current tag).
    pub fn etag(&self) -> Option<&str> {
        self.header("ETag")
    }

    /// `404 Not Found`.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// `412 Precondition Failed`: an `If-Match` (or `If-None-Match`) did not
    /// hold: the entity changed since its ETag was read (or was deleted).
    /// Read it again, then decide.
    pub fn is_precondition_failed(&self) -> bool {
        self.status() == Some(412)
    }

    /// `428 Precondition Required`: the service requires an `If-Match` with
    /// the entity's ETag on this update or delete.
    pub fn is_precondition_required(&self) -> bool {
        self.status() == Some(428)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Status(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::Json(e) => write!(f, "JSON error: {e}"),
            Error::Unexpected(m) => write!(f, "unexpected response: {m}"),
            Error::Url(m) => write!(f, "invalid URL: {m}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(&**e),
            Error::Json(e) => Some(e),
            Error::Decode(e) => Some(&e.source),
            _ => None,
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Json(e)
    }
}

/// A non-success response ([`Error::Status`]): status, headers, body, and
/// the OData error payload when the body is one.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusError {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    odata: Option<ODataError>,
}

impl StatusError {
    /// The error of a response (the body is read as an OData error payload
    /// when it is one).
    pub fn new(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Self {
        let odata = ODataError::from_slice(&body);
        StatusError {
            status,
            headers,
            body,
            odata,
        }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers, in order.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The value of the first header with this name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The body as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The OData error payload, when the body is one.
    pub fn odata(&self) -> Option<&ODataError> {
        self.odata.as_ref()
    }

    /// The `Retry-After` header as a delay from now (see
    /// [`crate::retry::parse_retry_after`]).
    pub fn retry_after(&self) -> Option<Duration> {
        self.header("Retry-After")
            .and_then(|v| crate::retry::parse_retry_after(v, SystemTime::now()))
    }

    /// The service's id of the request: the `request-id` header (Microsoft
    /// Graph, Azure AD Graph), else `x-ms-request-id`, else the id in the
    /// error payload (Graph's `innerError.request-id`, Azure AD Graph's
    /// `requestId`).
    pub fn request_id(&self) -> Option<&str> {
        self.header("request-id")
            .or_else(|| self.header("x-ms-request-id"))
            .or_else(|| {
                let e = self.odata.as_ref()?;
                e.innererror
                    .as_ref()
                    .and_then(|i| i.get("request-id"))
                    .or_else(|| e.extra.get("requestId"))
                    .and_then(Value::as_str)
            })
    }
}

impl fmt::Display for StatusError {
    /// `HTTP 404: code: message`, or `HTTP 502: body` (cut after 500 bytes).
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let status = self.status;
        if let Some(e) = &self.odata {
            return write!(f, "HTTP {status}: {e}");
        }
        let body = String::from_utf8_lossy(&self.body);
        const MAX: usize = 500;
        if body.len() > MAX {
            let cut = (0..=MAX).rev().find(|&i| body.is_char_boundary(i));
            write!(f, "HTTP {status}: {}…", &body[..cut.unwrap_or(0)])
        } else if body.is_empty() {
            write!(f, "HTTP {status}")
        } else {
            write!(f, "HTTP {status}: {body}")
        }
    }
}

impl std::error::Error for StatusError {}

/// A successful response whose body could not be read ([`Error::Decode`]).
#[derive(Debug)]
pub struct DecodeError {
    method: Method,
    url: String,
    status: u16,
    headers: Vec<(String, String)>,
    source: Error,
}

impl DecodeError {
    /// The method of the request.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The URL of the request.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The value of the first header with this name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// What reading the body gave ([`Error::Json`], [`Error::Unexpected`]).
    pub fn error(&self) -> &Error {
        &self.source
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "reading the response to {} {} (HTTP {}): {}",
            self.method, self.url, self.status, self.source
        )
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// An OData error payload, whatever the protocol version.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ODataError {
    /// The service-defined error code (may be empty).
    pub code: String,
    /// The human-readable message (V2/V3: the `value` of the message object).
    pub message: String,
    /// The target of the error (a property name, a key), if given.
    pub target: Option<String>,
    /// Detailed errors (V4 `details`).
    pub details: Vec<ODataErrorDetail>,
    /// Implementation-specific debugging information: V4/V2/V3 `innererror`,
    /// or Microsoft Graph's `innerError` (`date`, `request-id`,
    /// `client-request-id`).
    pub innererror: Option<Value>,
    /// The language of the message (V2/V3 `message.lang`).
    pub lang: Option<String>,
    /// Every other member of the error object, in the order read (Azure AD
    /// Graph's `requestId`, `date` and `values`, V4 instance annotations).
    pub extra: Map<String, Value>,
}

/// One entry of [`ODataError::details`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ODataErrorDetail {
    /// The service-defined error code.
    pub code: String,
    /// The human-readable message.
    pub message: String,
    /// The target of the error, if given.
    pub target: Option<String>,
}

impl ODataError {
    /// Reads an error payload from a response body; `None` when the body is
    /// not JSON or not an OData error object.
    pub fn from_slice(body: &[u8]) -> Option<Self> {
        let value: Value = serde_json::from_slice(crate::request::without_bom(body)).ok()?;
        Self::from_value(&value)
    }

    /// Reads an error payload (`{"error": {..}}` or `{"odata.error": {..}}`).
    pub fn from_value(value: &Value) -> Option<Self> {
        let outer = value.as_object()?;
        let inner = outer
            .get("error")
            .or_else(|| outer.get("odata.error"))?
            .as_object()?;
        let mut e = ODataError::default();
        for (k, v) in inner {
            match k.as_str() {
                "code" => e.code = scalar_text(v),
                "message" => match v {
                    Value::Object(m) => {
                        e.message = m.get("value").map(scalar_text).unwrap_or_default();
                        e.lang = m.get("lang").and_then(Value::as_str).map(str::to_owned);
                    }
                    other => e.message = scalar_text(other),
                },
                "target" => e.target = v.as_str().map(str::to_owned),
                "details" => {
                    e.details = v
                        .as_array()
                        .map(|items| items.iter().filter_map(detail).collect())
                        .unwrap_or_default();
                }
                "innererror" | "innerError" if e.innererror.is_none() => {
                    e.innererror = Some(v.clone());
                }
                _ => {
                    e.extra.insert(k.clone(), v.clone());
                }
            }
        }
        // SAP Gateway puts its messages in `innererror.errordetails` (`code`, `message`,
        // `target` or `propertyref`, `severity`), the first often the error itself: the others
        // are the details, kept in `innererror` too.
        if e.details.is_empty()
            && let Some(Value::Array(items)) =
                e.innererror.as_ref().and_then(|i| i.get("errordetails"))
        {
            e.details = items
                .iter()
                .filter_map(|item| {
                    let mut d = detail(item)?;
                    if d.target.as_deref().is_none_or(str::is_empty) {
                        d.target = item
                            .get("propertyref")
                            .and_then(Value::as_str)
                            .filter(|t| !t.is_empty())
                            .map(str::to_owned);
                    }
                    Some(d)
                })
                .filter(|d| !(d.code == e.code && d.message == e.message))
                .collect();
        }
        Some(e)
    }
}

fn detail(v: &Value) -> Option<ODataErrorDetail> {
    let m = v.as_object()?;
    Some(ODataErrorDetail {
        code: m.get("code").map(scalar_text).unwrap_or_default(),
        message: match m.get("message") {
            Some(Value::Object(o)) => o.get("value").map(scalar_text).unwrap_or_default(),
            Some(other) => scalar_text(other),
            None => String::new(),
        },
        target: m.get("target").and_then(Value::as_str).map(str::to_owned),
    })
}

/// A string as itself, `null` as empty, anything else as its JSON text.
fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl fmt::Display for ODataError {
    /// `code: message` (`target`), then the details.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match (self.code.is_empty(), self.message.is_empty()) {
            (false, false) => write!(f, "{}: {}", self.code, self.message)?,
            (false, true) => f.write_str(&self.code)?,
            (true, _) => f.write_str(&self.message)?,
        }
        if let Some(t) = &self.target {
            write!(f, " (target `{t}`)")?;
        }
        for d in &self.details {
            write!(f, "; {}: {}", d.code, d.message)?;
            if let Some(t) = &d.target {
                write!(f, " (target `{t}`)")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ODataError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(status: u16, body: &[u8]) -> Error {
        Error::from_response(Response::new(status, vec![], body.to_vec()))
    }

    #[test]
    fn graph_v4_error() {
        let body = br#"{
          "error": {
            "code": "Request_ResourceNotFound",
            "message": "Resource '0c2a4ba8-0000-0000-0000-000000000000' does not exist or one of its queried reference-property objects are not present.",
            "innerError": {
              "date": "2024-05-06T07:08:09",
              "request-id": "3d2a1f7e-1111-2222-3333-444455556666",
              "client-request-id": "3d2a1f7e-1111-2222-3333-444455556666"
            }
          }
        }"#;
        let e = ODataError::from_slice(body).unwrap();
        assert_eq!(e.code, "Request_ResourceNotFound");
        assert!(e.message.starts_with("Resource '0c2a4ba8"));
        let inner = e.innererror.as_ref().unwrap();
        assert_eq!(inner["request-id"], "3d2a1f7e-1111-2222-3333-444455556666");
        assert_eq!(inner["date"], "2024-05-06T07:08:09");
        assert_eq!(e.lang, None);
        assert!(e.extra.is_empty());
        let err = from(404, body);
        assert_eq!(err.status(), Some(404));
        assert_eq!(err.odata().unwrap().code, "Request_ResourceNotFound");
        assert!(
            err.to_string()
                .starts_with("HTTP 404: Request_ResourceNotFound: Resource '0c2a4ba8"),
            "{err}"
        );
    }

    #[test]
    fn v4_error_with_details() {
        let body =
            br#"{"error":{"code":"BadRequest","message":"Validation failed","target":"Person",
            "details":[{"code":"NullValue","target":"LastName","message":"Cannot be null"},
                       {"code":"TooLong","message":"Too long"}],
            "innererror":{"trace":[],"context":{}},
            "@Core.Retryable": false}}"#;
        let e = ODataError::from_slice(body).unwrap();
        assert_eq!(e.target.as_deref(), Some("Person"));
        assert_eq!(
            e.details,
            vec![
                ODataErrorDetail {
                    code: "NullValue".into(),
                    message: "Cannot be null".into(),
                    target: Some("LastName".into()),
                },
                ODataErrorDetail {
                    code: "TooLong".into(),
                    message: "Too long".into(),
                    target: None,
                },
            ]
        );
        assert!(e.innererror.is_some());
        assert_eq!(e.extra["@Core.Retryable"], false);
        assert_eq!(
            e.to_string(),
            "BadRequest: Validation failed (target `Person`); NullValue: Cannot be null \
             (target `LastName`); TooLong: Too long"
        );
    }

    #[test]
    fn azure_ad_graph_v3_error() {
        let body = br#"{"odata.error":{"code":"Request_BadRequest","message":{"lang":"en","value":"Invalid value specified for property 'mailNickname' of resource 'User'."},"requestId":"b2e8a6a4-aaaa-bbbb-cccc-ddddeeeeffff","date":"2019-01-02T03:04:05","values":[{"item":"PropertyName","value":"mailNickname"},{"item":"PropertyErrorCode","value":"InvalidValue"}]}}"#;
        let e = ODataError::from_slice(body).unwrap();
        assert_eq!(e.code, "Request_BadRequest");
        assert_eq!(
            e.message,
            "Invalid value specified for property 'mailNickname' of resource 'User'."
        );
        assert_eq!(e.lang.as_deref(), Some("en"));
        assert_eq!(e.extra["requestId"], "b2e8a6a4-aaaa-bbbb-cccc-ddddeeeeffff");
        assert_eq!(e.extra["values"][0]["value"], "mailNickname");
        let keys: Vec<&str> = e.extra.keys().map(String::as_str).collect();
        assert_eq!(keys, ["requestId", "date", "values"]);
    }

    #[test]
    fn v2_error() {
        let body = br#"{"error":{"code":"005056A509B11EE1B9A8FEC11C21578E","message":{"lang":"en","value":"Resource not found for segment 'Product'"},"innererror":{"transactionid":"F6B4C2A5","timestamp":"20240101120000.1234560","Error_Resolution":{"SAP_Transaction":"Run transaction /IWFND/ERROR_LOG"},"errordetails":[]}}}"#;
        let e = ODataError::from_slice(body).unwrap();
        assert_eq!(e.message, "Resource not found for segment 'Product'");
        assert_eq!(e.lang.as_deref(), Some("en"));
        assert_eq!(e.innererror.as_ref().unwrap()["transactionid"], "F6B4C2A5");
        assert!(e.details.is_empty());
    }

    #[test]
    fn sap_error_details_are_details() {
        // SAP Gateway: the error repeated as the first detail, then what it is about.
        let body = "\u{feff}{\"error\":{\"code\":\"BUPA/001\",\"message\":{\"lang\":\"en\",\"value\":\"Partner not saved\"},\
            \"innererror\":{\"transactionid\":\"9F1\",\"errordetails\":[\
            {\"code\":\"BUPA/001\",\"message\":\"Partner not saved\",\"propertyref\":\"\",\"severity\":\"error\",\"target\":\"\"},\
            {\"code\":\"R1/212\",\"message\":\"Enter a last name\",\"propertyref\":\"LastName\",\"severity\":\"error\",\"target\":\"\"},\
            {\"code\":\"R1/300\",\"message\":\"Check the country\",\"propertyref\":\"\",\"severity\":\"warning\",\"target\":\"/Country\"}]}}}";
        let e = from(400, body.as_bytes());
        let o = e.odata().expect("read past the byte order mark");
        assert_eq!(o.code, "BUPA/001");
        let details: Vec<_> = o
            .details
            .iter()
            .map(|d| (d.code.as_str(), d.message.as_str(), d.target.as_deref()))
            .collect();
        assert_eq!(
            details,
            [
                ("R1/212", "Enter a last name", Some("LastName")),
                ("R1/300", "Check the country", Some("/Country"))
            ]
        );
        assert!(
            e.to_string()
                .contains("; R1/212: Enter a last name (target `LastName`)"),
            "{e}"
        );
        assert_eq!(
            o.innererror.as_ref().unwrap()["errordetails"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
    }

    #[test]
    fn not_odata_errors() {
        for body in [
            &b""[..],
            b"<html>Bad Gateway</html>",
            br#"{"error":"invalid_grant","error_description":"expired"}"#,
            br#"{"value":[]}"#,
            b"[1,2]",
        ] {
            assert_eq!(ODataError::from_slice(body), None);
            let e = from(502, body);
            assert_eq!(e.status(), Some(502));
            assert!(e.odata().is_none(), "{e:?}");
            assert_eq!(e.http().unwrap().body(), body);
        }
        let e = from(500, b"");
        assert_eq!(e.to_string(), "HTTP 500");
        let long = "é".repeat(400);
        let e = from(500, long.as_bytes());
        assert!(e.to_string().ends_with('…'));
        // Odd but seen: a numeric code, a null message.
        let e = ODataError::from_slice(br#"{"error":{"code":42,"message":null}}"#).unwrap();
        assert_eq!((e.code.as_str(), e.message.as_str()), ("42", ""));
        assert_eq!(e.to_string(), "42");
    }

    #[test]
    fn error_sources() {
        use std::error::Error as _;
        let json = serde_json::from_str::<Value>("{").unwrap_err();
        let e = Error::from(json);
        assert!(e.source().is_some());
        assert!(e.to_string().starts_with("JSON error: "));
        let e = Error::transport("connection refused");
        assert_eq!(e.to_string(), "transport error: connection refused");
        assert_eq!(e.status(), None);
        assert!(e.odata().is_none());
    }

    #[test]
    fn what_a_caller_reacts_to() {
        let h = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect()
        };
        let e = Error::from_response(Response::new(
            412,
            h(&[
                ("ETag", "W/\"3\""),
                ("request-id", "rid"),
                ("client-request-id", "cid"),
                ("Retry-After", "5"),
            ]),
            br#"{"error":{"code":"PreconditionFailed","message":"changed"}}"#.to_vec(),
        ));
        assert!(e.is_precondition_failed());
        assert!(!e.is_not_found() && !e.is_precondition_required());
        assert_eq!(e.etag(), Some("W/\"3\""));
        assert_eq!(e.request_id(), Some("rid"));
        assert_eq!(e.client_request_id(), Some("cid"));
        assert_eq!(e.retry_after(), Some(Duration::from_secs(5)));
        assert_eq!(e.header("etag"), Some("W/\"3\""));
        assert_eq!(e.headers().len(), 4);
        assert_eq!(e.to_string(), "HTTP 412: PreconditionFailed: changed");
        let e = from(428, b"");
        assert!(e.is_precondition_required());
        assert_eq!(e.etag(), None);
        assert_eq!(e.retry_after(), None);

        // The request id from the body when the headers lack it: Graph's innerError, Azure
        // AD Graph's requestId.
        let e = from(
            404,
            br#"{"error":{"code":"x","message":"y","innerError":{"request-id":"in-body"}}}"#,
        );
        assert!(e.is_not_found());
        assert_eq!(e.request_id(), Some("in-body"));
        let e = from(
            400,
            br#"{"odata.error":{"code":"x","message":{"lang":"en","value":"y"},"requestId":"aad"}}"#,
        );
        assert_eq!(e.request_id(), Some("aad"));
        let e = Error::from_response(Response::new(500, h(&[("x-ms-request-id", "ms")]), vec![]));
        assert_eq!(e.request_id(), Some("ms"));

        // Errors without a response have none of it.
        let e = Error::Url("x".into());
        assert!(e.http().is_none() && e.headers().is_empty() && e.request_id().is_none());
        assert!(!e.is_not_found());
    }

    #[test]
    fn decode_errors_name_the_request() {
        use std::error::Error as _;
        let json = serde_json::from_slice::<Value>(br#"{"value":["#).unwrap_err();
        let e = Error::decode(
            Method::Get,
            "https://h/svc/People?$top=1",
            200,
            vec![("request-id".into(), "r".into())],
            json.into(),
        );
        let text = e.to_string();
        assert!(
            text.starts_with(
                "reading the response to GET https://h/svc/People?$top=1 (HTTP 200): JSON error: EOF while parsing"
            ),
            "{text}"
        );
        let Error::Decode(d) = &e else { panic!() };
        assert_eq!(
            (d.method(), d.url(), d.status()),
            (Method::Get, "https://h/svc/People?$top=1", 200)
        );
        assert_eq!(d.header("Request-Id"), Some("r"));
        assert!(matches!(d.error(), Error::Json(_)));
        assert!(e.source().unwrap().to_string().starts_with("JSON error"));
        // Not a non-success status.
        assert_eq!(e.status(), None);
    }
}
