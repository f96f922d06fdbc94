//! The request and response values generated builders produce and read,
//! independent of any HTTP library.

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::Version;
use crate::error::Error;

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
    /// `MERGE`: the V2/V3 partial update (V3 services also accept `PATCH`).
    Merge,
}

impl Method {
    /// The method name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Merge => "MERGE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request: method, absolute URL, headers and body.
///
/// Headers are kept in order; names compare ASCII-case-insensitively in the
/// lookup and replacing helpers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The absolute, already percent-encoded URL.
    pub url: String,
    /// Header names and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<Vec<u8>>,
}

impl Request {
    /// A request without headers or body.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Request {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// A `GET` request.
    pub fn get(url: impl Into<String>) -> Self {
        Self::new(Method::Get, url)
    }

    /// A `POST` request.
    pub fn post(url: impl Into<String>) -> Self {
        Self::new(Method::Post, url)
    }

    /// A `PUT` request.
    pub fn put(url: impl Into<String>) -> Self {
        Self::new(Method::Put, url)
    }

    /// A `PATCH` request.
    pub fn patch(url: impl Into<String>) -> Self {
        Self::new(Method::Patch, url)
    }

    /// A `DELETE` request.
    pub fn delete(url: impl Into<String>) -> Self {
        Self::new(Method::Delete, url)
    }

    /// A request with the headers an OData client sends: `Accept:
    /// application/json` and the protocol version headers (V4
    /// `OData-Version`/`OData-MaxVersion: 4.0`; V2/V3 `DataServiceVersion`
    /// and `MaxDataServiceVersion`, which make a V3 service answer in JSON
    /// light and a V2 service in verbose JSON).
    pub fn odata(method: Method, url: impl Into<String>, version: Version) -> Self {
        let r = Self::new(method, url).with_header("Accept", "application/json");
        match version {
            Version::V4 => r
                .with_header("OData-MaxVersion", "4.0")
                .with_header("OData-Version", "4.0"),
            Version::V3 => r
                .with_header("MaxDataServiceVersion", "3.0")
                .with_header("DataServiceVersion", "3.0"),
            Version::V2 => r
                .with_header("MaxDataServiceVersion", "2.0")
                .with_header("DataServiceVersion", "2.0"),
        }
    }

    /// Adds a header (after any with the same name).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets a header, replacing every header of that name.
    pub fn set_header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        self.headers.push((name, value.into()));
    }

    /// The value of the first header with this name.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Sets the body and its `Content-Type`.
    pub fn with_body(mut self, content_type: &str, body: Vec<u8>) -> Self {
        self.set_header("Content-Type", content_type);
        self.body = Some(body);
        self
    }

    /// Sets a JSON body (`Content-Type: application/json`).
    pub fn json_body<T: Serialize + ?Sized>(self, value: &T) -> Result<Self, Error> {
        let body = serde_json::to_vec(value)?;
        Ok(self.with_body("application/json", body))
    }

    /// Sets `If-Match` to an entity tag as the service sent it (`W/"…"`
    /// included), for optimistic concurrency on update and delete.
    pub fn if_match(mut self, etag: &str) -> Self {
        self.set_header("If-Match", etag);
        self
    }

    /// Sets `If-Match: *` (update or delete whatever the current version).
    pub fn if_match_any(self) -> Self {
        self.if_match("*")
    }

    /// Sets `If-None-Match` (a `GET` answered `304` when unchanged).
    pub fn if_none_match(mut self, etag: &str) -> Self {
        self.set_header("If-None-Match", etag);
        self
    }
}

pub(crate) fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The content of V2's `d` for one value: an entity as it is, and a complex
/// value a service operation returns wrapped in its name (`{"d": {"GetStats":
/// {…}}}`, which has no `__metadata` of its own) unwrapped, `null` too (`{"d":
/// {"GetStats": null}}`: no result).
pub(crate) fn unwrap_v2_result(d: serde_json::Value) -> serde_json::Value {
    match d {
        serde_json::Value::Object(m)
            if m.len() == 1
                && !m.contains_key("__metadata")
                && m.values().all(|v| v.is_object() || v.is_null()) =>
        {
            m.into_iter().next().map(|(_, v)| v).unwrap_or_default()
        }
        other => other,
    }
}

/// A response: status, headers and the whole body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header names and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Self {
        Response {
            status,
            headers,
            body,
        }
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The value of the first header with this name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The `ETag` header.
    pub fn etag(&self) -> Option<&str> {
        self.header("ETag")
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON (a leading UTF-8 byte order mark, which some servers send, ignored).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        Ok(serde_json::from_slice(without_bom(&self.body))?)
    }

    /// The format of the body: `version`, but V2 for V3 verbose JSON (`{"d": …}`, what
    /// SharePoint 2013 and WCF Data Services answer to `odata=verbose`), which is V2's.
    pub fn wire_version(&self, version: Version) -> Version {
        if version != Version::V3 {
            return version;
        }
        // A prefix check first, so JSON light bodies are not parsed twice.
        let body = std::str::from_utf8(without_bom(&self.body)).unwrap_or("");
        let rest = body
            .trim_start()
            .strip_prefix('{')
            .unwrap_or("")
            .trim_start();
        let verbose = rest
            .strip_prefix("\"d\"")
            .is_some_and(|r| r.trim_start().starts_with(':'))
            && self
                .json::<serde_json::Map<String, serde_json::Value>>()
                .is_ok_and(|m| m.len() == 1);
        if verbose { Version::V2 } else { version }
    }

    /// A single entity or complex value: the body as JSON, unwrapped from
    /// V2's `{"d": …}` (and V3 verbose JSON's).
    pub fn entity<T: DeserializeOwned>(&self, version: Version) -> Result<T, Error> {
        if self.wire_version(version) == Version::V2 {
            let mut v: serde_json::Value = self.json()?;
            let d = v
                .get_mut("d")
                .map(serde_json::Value::take)
                .ok_or_else(|| Error::Unexpected("a V2 response without `d`".into()))?;
            Ok(serde_json::from_value(unwrap_v2_result(d))?)
        } else {
            self.json()
        }
    }

    /// The value of a primitive or collection result of a function or
    /// action (or a property): V4/V3 `{"value": …}`; V2 `{"d": {"Name": …}}`
    /// (the one member), `{"d": {"results": […]}}` or `{"d": […]}`.
    pub fn value<T: DeserializeOwned>(&self, version: Version) -> Result<T, Error> {
        let mut v: serde_json::Value = self.json()?;
        let inner = match self.wire_version(version) {
            Version::V4 | Version::V3 => v.get_mut("value").map(serde_json::Value::take),
            Version::V2 => match v.get_mut("d").map(serde_json::Value::take) {
                Some(serde_json::Value::Object(mut m)) => match m.remove("results") {
                    Some(r) => Some(r),
                    None if m.len() == 1 => m.into_iter().next().map(|(_, v)| v),
                    None => None,
                },
                other => other,
            },
        };
        let inner =
            inner.ok_or_else(|| Error::Unexpected("the response has no value member".into()))?;
        match T::deserialize(&inner) {
            Ok(v) => Ok(v),
            // V2 JSON writes Int64, Decimal, Double, Single, Byte and SByte as strings, V3 JSON
            // Int64 and Decimal (`{"d": {"Total": "42"}}`, `{"value": ["1", "2"]}`): numbers
            // in strings are read as numbers when the value does not read as it is.
            Err(e) => match numbers_from_text(&inner) {
                Some(numbers) => Ok(T::deserialize(&numbers).map_err(|_| e)?),
                None => Err(e.into()),
            },
        }
    }

    /// One page of a collection result ([`crate::Page`]): as [`Response::json`], and where its
    /// items do not read as they are, with numbers in strings read as numbers (V2 and V3 JSON
    /// write Int64, Decimal and, in V2, Double, Single, Byte and SByte as strings:
    /// `{"d": {"results": ["1", "2"]}}`).
    pub fn page<T: DeserializeOwned>(&self) -> Result<crate::Page<T>, Error> {
        let e = match self.json() {
            Ok(page) => return Ok(page),
            Err(e) => e,
        };
        let Ok(mut v) = self.json::<serde_json::Value>() else {
            return Err(e);
        };
        let items = match &mut v {
            serde_json::Value::Object(m) => match m.get_mut("d") {
                Some(serde_json::Value::Object(d)) => d.get_mut("results"),
                Some(d) => Some(d),
                None => m.get_mut("value"),
            },
            array => Some(array),
        };
        match items.and_then(|items| Some((numbers_from_text(items)?, items))) {
            Some((numbers, items)) => {
                *items = numbers;
                serde_json::from_value(v).map_err(|_| e)
            }
            None => Err(e),
        }
    }

    /// The body of a `$count` request: a plain-text integer.
    pub fn count(&self) -> Result<i64, Error> {
        let text = self.text();
        let t = text.trim().trim_start_matches('\u{feff}');
        t.parse()
            .map_err(|_| Error::Unexpected(format!("`{t}` is not a count")))
    }

    /// The response itself when the status is 2xx, else the error it
    /// carries ([`Error::Status`], with the status, headers, body and the
    /// OData error payload when the body is one).
    pub fn error_for_status(self) -> Result<Self, Error> {
        if self.is_success() {
            Ok(self)
        } else {
            Err(Error::from_response(self))
        }
    }

    /// Reads the response to `method url`: a non-success status is an
    /// [`Error::Status`]; an error `read` gives is wrapped in an
    /// [`Error::Decode`] naming the request and status.
    pub(crate) fn read_success<T>(
        self,
        method: Method,
        url: &str,
        read: impl FnOnce(Response) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let response = self.error_for_status()?;
        let (status, headers) = (response.status, response.headers.clone());
        read(response).map_err(|e| Error::decode(method, url, status, headers, e))
    }
}

#[cfg(feature = "http")]
mod http_impls {
    use super::*;

    impl TryFrom<Request> for http::Request<Vec<u8>> {
        type Error = http::Error;
        fn try_from(r: Request) -> Result<Self, http::Error> {
            let method = http::Method::from_bytes(r.method.as_str().as_bytes())?;
            let mut b = http::Request::builder().method(method).uri(r.url);
            for (n, v) in &r.headers {
                b = b.header(n.as_str(), v.as_str());
            }
            b.body(r.body.unwrap_or_default())
        }
    }

    impl From<http::Response<Vec<u8>>> for Response {
        /// Header values that are not UTF-8 are decoded lossily.
        fn from(r: http::Response<Vec<u8>>) -> Self {
            let (parts, body) = r.into_parts();
            Response {
                status: parts.status.as_u16(),
                headers: header_pairs(&parts.headers),
                body,
            }
        }
    }

    /// The headers of an `http` header map as pairs.
    fn header_pairs(h: &http::HeaderMap) -> Vec<(String, String)> {
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

/// `body` without a leading UTF-8 byte order mark: RFC 8259 lets a JSON reader ignore one, and
/// Azure's endpoints have been seen to send it; serde_json does not.
pub(crate) fn without_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body)
}

/// `v` with every string that holds a number (`"42"`, `"-4.25"`, `"1.5E+01"`, V2 URL literals
/// with their type suffix, `"4.25d"`) made that number, itself or as an item of an array; `None`
/// when there is none.
fn numbers_from_text(v: &serde_json::Value) -> Option<serde_json::Value> {
    use serde_json::Value;
    match v {
        Value::String(s) => number_text(s).map(Value::Number),
        Value::Array(items) => {
            let mut any = false;
            let out = items
                .iter()
                .map(|i| match i {
                    Value::String(s) => match number_text(s) {
                        Some(n) => {
                            any = true;
                            Value::Number(n)
                        }
                        None => i.clone(),
                    },
                    other => other.clone(),
                })
                .collect();
            any.then_some(Value::Array(out))
        }
        _ => None,
    }
}

/// The number a string holds, if it holds one (see [`numbers_from_text`]).
fn number_text(s: &str) -> Option<serde_json::Number> {
    let t = crate::codec::numeric_text(s, &['d', 'D', 'f', 'F', 'm', 'M', 'l', 'L'])?;
    // JSON's own grammar keeps integers exact; `+1`, `.5` and `1.` are floats' only.
    serde_json::from_str(t)
        .ok()
        .or_else(|| t.parse::<f64>().ok().and_then(serde_json::Number::from_f64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn building() {
        let r = Request::patch("https://example.com/svc/People('a')")
            .with_header("Authorization", "Bearer x")
            .if_match("W/\"abc\"")
            .json_body(&json!({"Name": null}))
            .unwrap();
        assert_eq!(r.method, Method::Patch);
        assert_eq!(r.header("if-match"), Some("W/\"abc\""));
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.body.as_deref(), Some(&br#"{"Name":null}"#[..]));
        let r = r.if_match_any().if_none_match("\"x\"");
        assert_eq!(r.headers.iter().filter(|(n, _)| n == "If-Match").count(), 1);
        assert_eq!(r.header("If-Match"), Some("*"));
        assert_eq!(r.header("If-None-Match"), Some("\"x\""));
        assert_eq!(Method::Merge.to_string(), "MERGE");
        for (r, m) in [
            (Request::get("u"), "GET"),
            (Request::post("u"), "POST"),
            (Request::put("u"), "PUT"),
            (Request::delete("u"), "DELETE"),
        ] {
            assert_eq!(r.method.as_str(), m);
        }
    }

    #[test]
    fn odata_headers() {
        let r = Request::odata(Method::Get, "u", Version::V4);
        assert_eq!(r.header("Accept"), Some("application/json"));
        assert_eq!(r.header("OData-MaxVersion"), Some("4.0"));
        let r = Request::odata(Method::Get, "u", Version::V3);
        assert_eq!(r.header("MaxDataServiceVersion"), Some("3.0"));
        let r = Request::odata(Method::Get, "u", Version::V2);
        assert_eq!(r.header("DataServiceVersion"), Some("2.0"));
    }

    #[test]
    fn responses() {
        let r = Response::new(
            200,
            vec![("etag".into(), "W/\"1\"".into())],
            br#"{"@odata.etag":"W/\"1\"","id":"a"}"#.to_vec(),
        );
        assert_eq!(r.etag(), Some("W/\"1\""));
        let v: Value = r.json().unwrap();
        assert_eq!(v["id"], "a");
        let r = r.error_for_status().unwrap();
        assert!(r.is_success());

        let v2 = Response::new(200, vec![], br#"{"d":{"ID":1}}"#.to_vec());
        let e: Value = v2.entity(Version::V2).unwrap();
        assert_eq!(e, json!({"ID": 1}));
        let e: Value = v2.entity(Version::V4).unwrap();
        assert_eq!(e, json!({"d": {"ID": 1}}));
        let v: i32 = v2.value(Version::V2).unwrap();
        assert_eq!(v, 1);
        // V3 verbose JSON (`odata=verbose`) is V2's format; JSON light is not unwrapped.
        let v3 = Response::new(
            200,
            vec![],
            br#" {"d" : {"__metadata":{},"ID":1}}"#.to_vec(),
        );
        assert_eq!(v3.wire_version(Version::V3), Version::V2);
        let e: Value = v3.entity(Version::V3).unwrap();
        assert_eq!(e, json!({"__metadata": {}, "ID": 1}));
        let v3 = Response::new(200, vec![], br#"{"d":{"Count":3}}"#.to_vec());
        assert_eq!(v3.value::<i32>(Version::V3).unwrap(), 3);
        let light = Response::new(200, vec![], br#"{"d":1,"odata.metadata":"x"}"#.to_vec());
        assert_eq!(light.wire_version(Version::V3), Version::V3);
        let e: Value = light.entity(Version::V3).unwrap();
        assert_eq!(e["d"], 1);
        assert_eq!(v2.wire_version(Version::V4), Version::V4);
        // A complex result that is none.
        let none = Response::new(200, vec![], br#"{"d":{"CheckDoc":null}}"#.to_vec());
        assert_eq!(none.entity::<Option<Value>>(Version::V2).unwrap(), None);

        let r = Response::new(
            200,
            vec![],
            br#"{"@odata.context":"x","value":true}"#.to_vec(),
        );
        assert!(r.value::<bool>(Version::V4).unwrap());
        let r = Response::new(200, vec![], br#"{"d":{"results":["a","b"]}}"#.to_vec());
        assert_eq!(r.value::<Vec<String>>(Version::V2).unwrap(), ["a", "b"]);
        let r = Response::new(200, vec![], br#"{"d":["a"]}"#.to_vec());
        assert_eq!(r.value::<Vec<String>>(Version::V2).unwrap(), ["a"]);
        // Numbers in strings, as V2 and V3 JSON write some (a string stays a string).
        let r = Response::new(200, vec![], br#"{"d":{"Big":"9007199254740993"}}"#.to_vec());
        assert_eq!(r.value::<i64>(Version::V2).unwrap(), 9_007_199_254_740_993);
        assert_eq!(r.value::<String>(Version::V2).unwrap(), "9007199254740993");
        let r = Response::new(
            200,
            vec![],
            br#"{"d":{"Score":"1.5000000000000000E+01"}}"#.to_vec(),
        );
        assert_eq!(r.value::<f64>(Version::V2).unwrap(), 15.0);
        let r = Response::new(200, vec![], br#"{"d":{"S":"4.25d"}}"#.to_vec());
        assert_eq!(r.value::<f64>(Version::V2).unwrap(), 4.25);
        let r = Response::new(200, vec![], br#"{"value":["1","-2",null]}"#.to_vec());
        assert_eq!(
            r.value::<Vec<Option<i64>>>(Version::V3).unwrap(),
            [Some(1), Some(-2), None]
        );
        // The same in pages of collection results.
        let r = Response::new(
            200,
            vec![],
            br#"{"d":{"results":["1","2"],"__count":"2"}}"#.to_vec(),
        );
        let page = r.page::<i64>().unwrap();
        assert_eq!((page.value, page.count), (vec![1, 2], Some(2)));
        let r = Response::new(200, vec![], br#"{"d":["4.25d"]}"#.to_vec());
        assert_eq!(r.page::<f64>().unwrap().value, [4.25]);
        let r = Response::new(200, vec![], br#"{"value":["9007199254740993"]}"#.to_vec());
        assert_eq!(r.page::<i64>().unwrap().value, [9_007_199_254_740_993]);
        assert_eq!(r.page::<String>().unwrap().value, ["9007199254740993"]);
        let r = Response::new(200, vec![], br#"{"value":["x"]}"#.to_vec());
        assert!(matches!(r.page::<i64>(), Err(Error::Json(_))));
        let r = Response::new(200, vec![], br#"{"d":{"S":"four"}}"#.to_vec());
        assert!(matches!(r.value::<f64>(Version::V2), Err(Error::Json(_))));
        let r = Response::new(200, vec![], br#"{"other":1}"#.to_vec());
        assert!(matches!(
            r.value::<i32>(Version::V4),
            Err(Error::Unexpected(_))
        ));
        assert!(matches!(r.json::<Vec<i32>>(), Err(Error::Json(_))));

        let r = Response::new(200, vec![], b"\xef\xbb\xbf{\"value\":[1]}".to_vec());
        assert_eq!(r.value::<Vec<i32>>(Version::V4).unwrap(), [1]);
        assert_eq!(r.page::<i32>().unwrap().value, [1]);
        let r = Response::new(200, vec![], b"\xef\xbb\xbf42\r\n".to_vec());
        assert_eq!(r.count().unwrap(), 42);
        assert!(Response::new(200, vec![], b"x".to_vec()).count().is_err());
    }

    #[test]
    fn error_statuses() {
        let r = Response::new(
            404,
            vec![],
            br#"{"error":{"code":"NotFound","message":"no"}}"#.to_vec(),
        );
        match r.error_for_status() {
            Err(Error::Status(e)) => {
                assert_eq!(e.status(), 404);
                assert_eq!(e.odata().unwrap().code, "NotFound");
            }
            other => panic!("{other:?}"),
        }
        let r = Response::new(
            503,
            vec![("Retry-After".into(), "7".into())],
            b"busy".to_vec(),
        );
        match r.error_for_status() {
            Err(Error::Status(e)) => {
                assert_eq!((e.status(), e.text().as_str()), (503, "busy"));
                assert_eq!(e.odata(), None);
                assert_eq!(e.retry_after(), Some(std::time::Duration::from_secs(7)));
            }
            other => panic!("{other:?}"),
        }
        assert!(
            Response::new(204, vec![], vec![])
                .error_for_status()
                .is_ok()
        );
        assert!(
            Response::new(304, vec![], vec![])
                .error_for_status()
                .is_err()
        );
    }

    #[cfg(feature = "http")]
    #[test]
    fn http_conversions() {
        let r = Request::post("http://localhost/svc/Orders")
            .with_header("X-A", "1")
            .with_body("text/plain", b"hi".to_vec());
        let h: http::Request<Vec<u8>> = r.try_into().unwrap();
        assert_eq!(h.method(), http::Method::POST);
        assert_eq!(h.uri(), "http://localhost/svc/Orders");
        assert_eq!(h.headers()["x-a"], "1");
        assert_eq!(h.headers()["content-type"], "text/plain");
        assert_eq!(h.body(), b"hi");
        let m: http::Request<Vec<u8>> = Request::new(Method::Merge, "http://h/x")
            .try_into()
            .unwrap();
        assert_eq!(m.method().as_str(), "MERGE");
        assert!(m.body().is_empty());
        let bad = Request::get("http://h/x").with_header("bad header", "v");
        assert!(http::Request::<Vec<u8>>::try_from(bad).is_err());

        let resp = http::Response::builder()
            .status(201)
            .header("ETag", "\"7\"")
            .body(b"{}".to_vec())
            .unwrap();
        let r = Response::from(resp);
        assert_eq!(r.status, 201);
        assert_eq!(r.etag(), Some("\"7\""));
        assert_eq!(r.body, b"{}");
    }
}
