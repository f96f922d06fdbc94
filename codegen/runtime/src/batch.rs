//! `$batch`: many requests in one HTTP round trip, each read back as its own
//! typed result.
//!
//! A [`Batch`] is built from the [`Call`]s generated builders produce;
//! [`Batch::add`] gives a typed handle, a [`BatchItem`], from which the
//! [`BatchResponse`] reads that request's own `Result<O::Output, Error>`:
//! a non-success status is an [`Error::Status`] (so [`Error::status`],
//! [`Error::odata`], [`Error::is_precondition_failed`] work as for a single
//! request), a body that cannot be read an [`Error::Decode`] naming the
//! request.
//!
//! ```no_run
//! # use odata_runtime::{Batch, Call, Path, Version, resource::{One, NoContent}};
//! # fn f(client: &impl odata_runtime::BlockingClient, root: &Path,
//! #      read: Call<One<serde_json::Value>>, create: Call<One<serde_json::Value>>,
//! #      delete: Call<NoContent>) -> Result<(), odata_runtime::Error> {
//! let mut batch = Batch::multipart(root); // or Batch::json(root)
//! let a = batch.add(read);
//! let set = batch.change_set();
//! let b = batch.add_to(set, create);
//! let c = batch.add_to(set, delete);
//! let response = batch.send_blocking(client)?; // or `.send(&client).await`
//! let first = response.get(&a); // Result<serde_json::Value, Error>
//! # let _ = (first, b, c); Ok(()) }
//! ```
//!
//! # Formats
//!
//! - [`Batch::json`]: the OData 4.01 JSON batch format (and Microsoft
//!   Graph's `$batch`): `{"requests": [{"id", "method", "url", "headers",
//!   "body", "dependsOn", "atomicityGroup"}]}`, answered `{"responses":
//!   [{"id", "status", "headers", "body"}]}` in any order (matched by `id`).
//!   JSON bodies are embedded as JSON; other bodies as text (`text/*`) or
//!   base64url, as the format says.
//! - [`Batch::multipart`]: `multipart/mixed` (OData V2, V3 and V4, what SAP
//!   services use), one `application/http` part per request, change sets as
//!   nested `multipart/mixed` parts. The response has one part per request
//!   or change set, in order; the parts of a change set are matched by
//!   `Content-ID` (else by order), and a change set that failed as a whole
//!   (one `application/http` part instead of a nested multipart) gives its
//!   error to every request in it. Reading is binary-safe (bodies are
//!   bytes; with a `Content-Length`, a body is read to that length, even if
//!   it contains the delimiter) and accepts CRLF or bare LF line ends.
//!
//! The multipart writer and reader are hand-written for this narrow format
//! (no crate): the general multipart crates (`multer`, `mime_multipart`)
//! are either built on an async runtime and streams or are for
//! `multipart/form-data`; a batch response is already in memory as a
//! [`Response`] body.
//!
//! # Ids, change sets, references
//!
//! Every request gets an id, its 1-based position in the order of
//! [`Batch::add`] calls: the JSON `id`, and the `Content-ID` of a request in
//! a multipart change set. [`Batch::change_set`] opens an atomicity group
//! (JSON `atomicityGroup`, a multipart change set); requests added to it
//! with [`Batch::add_to`] are written next to each other at the place of
//! its first request. A later request of the same change set may address
//! the result of an earlier one (the entity a `POST` created) as `$<id>`:
//! [`BatchItem::resource`] gives a typed builder rooted there
//! (`item.resource::<PlantsItem>().update(&patch)`). In a JSON batch, a
//! request whose URL references another gets it in its `dependsOn`; more
//! order constraints are added with [`Batch::depends_on`] (ignored by
//! multipart, whose order is the order of the parts).
//!
//! A V4 service may stop processing a batch at the first failed request
//! (SAP CAP does, for multipart): [`Batch::continue_on_error`] asks it to go
//! on (`Prefer: odata.continue-on-error`).
//!
//! Header names inside a JSON batch are written in lower case (HTTP header
//! names are case-insensitive; SAP CAP only finds `if-match` so spelled).
//!
//! URLs inside the batch are relative to the service root (`Plants(1)`), as
//! every version allows; a call for another service keeps its absolute URL.
//! The headers of each call (`Accept`, the version headers, `If-Match`,
//! `Content-Type`, service-wide headers) go with it; the batch request
//! itself carries the service-wide headers of the root path
//! (`Authorization`).
//!
//! # Many requests: [`BatchSplitter`]
//!
//! Microsoft Graph takes at most 20 requests per JSON batch.
//! [`BatchSplitter`] sends any number of calls as batches of at most that
//! many and gives the results in the order of the calls. A request answered
//! `429`/`503`/`504` inside a batch is sent again on its own terms, in a
//! follow-up batch, as its [`RetryPolicy`] says (idempotent methods only by
//! default, honouring that response's `Retry-After`); the others are not
//! sent again. A follow-up batch waits for the longest of its requests'
//! delays. A batch request throttled as a whole counts as each of its
//! requests throttled. The calls are independent requests (no change sets),
//! so the splitter's batches ask the service to go on after a failed one
//! ([`Batch::continue_on_error`]).
//!
//! # What the batch does not decide for the service
//!
//! - Results are what the service answered for each request: when a JSON
//!   atomicity group fails, SAP CAP answers each of its requests on its own
//!   (a rolled-back `POST` still `201`); multipart change sets fail with one
//!   response, given to each request.
//! - A [`Retry`](crate::Retry) client does not send a `$batch` again (a
//!   `POST`); the splitter retries per request instead.
//! - A call whose body could not be written makes the whole batch fail in
//!   [`Batch::to_request`] (and `send`).

use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::{Map, Value};

use crate::Version;
use crate::client::{BlockingClient, Client};
use crate::error::Error;
use crate::query::Query;
use crate::request::{Method, Request, Response, find_header};
use crate::resource::{Call, Outcome, Path, Resource};
use crate::retry::{DefaultSleep, RetryPolicy, Sleep};

/// The wire format of a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BatchFormat {
    /// OData 4.01 JSON batch (`application/json`; Microsoft Graph).
    Json,
    /// `multipart/mixed` with change sets (V2, V3, V4).
    Multipart,
}

/// An atomicity group: a multipart change set, a JSON `atomicityGroup`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChangeSet(u32);

/// The id of a request in a batch (its 1-based position in the order added).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId(u32);

impl ItemId {
    /// The id as written in the batch (`"3"`).
    pub fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A request in a [`Batch`]: reads its own result from the
/// [`BatchResponse`] ([`BatchResponse::get`]).
pub struct BatchItem<O> {
    id: ItemId,
    batch: u64,
    version: Version,
    _o: PhantomData<fn() -> O>,
}

impl<O> Clone for BatchItem<O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O> Copy for BatchItem<O> {}

impl<O> fmt::Debug for BatchItem<O> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_tuple("BatchItem").field(&self.id.0).finish()
    }
}

impl<O> BatchItem<O> {
    /// The request's id in the batch.
    pub fn id(&self) -> ItemId {
        self.id
    }

    /// `$<id>`: how a later request of the same change set addresses this
    /// one's result.
    pub fn reference(&self) -> String {
        format!("${}", self.id.0)
    }

    /// A typed builder of the resource this request created or addressed,
    /// rooted at `$<id>` (for a later request of the same change set):
    /// `created.resource::<PlantsItem>().update(&patch)`.
    pub fn resource<R: Resource>(&self) -> R {
        R::from_path(Path::root(&self.reference(), self.version))
    }
}

struct Entry {
    request: Request,
    group: Option<u32>,
    depends_on: Vec<u32>,
}

/// Requests to send as one `$batch` request (see the [module
/// documentation](self)).
pub struct Batch {
    format: BatchFormat,
    root: Path,
    entries: Vec<Entry>,
    // Tells the items of this batch from those of another.
    serial: u64,
    groups: u32,
    error: Option<Error>,
    continue_on_error: bool,
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_struct("Batch")
            .field("format", &self.format)
            .field("root", &self.root)
            .field("requests", &self.entries.len())
            .finish()
    }
}

impl Batch {
    /// An empty batch of `format` to the service at `root` (a generated
    /// service's `path()`).
    pub fn new(format: BatchFormat, root: &Path) -> Batch {
        Batch {
            format,
            root: root.clone(),
            entries: Vec::new(),
            serial: {
                static SERIAL: AtomicU64 = AtomicU64::new(0);
                SERIAL.fetch_add(1, Ordering::Relaxed)
            },
            groups: 0,
            error: None,
            continue_on_error: false,
        }
    }

    /// Asks the service to go on after a request fails (`Prefer:
    /// odata.continue-on-error`). Without it a V4 service may stop at the
    /// first failed request; the requests after it then read an
    /// [`Error::Unexpected`] saying so.
    pub fn continue_on_error(mut self) -> Batch {
        self.continue_on_error = true;
        self
    }

    /// An empty OData 4.01 JSON batch (Microsoft Graph's format).
    pub fn json(root: &Path) -> Batch {
        Batch::new(BatchFormat::Json, root)
    }

    /// An empty `multipart/mixed` batch (V2, V3, V4).
    pub fn multipart(root: &Path) -> Batch {
        Batch::new(BatchFormat::Multipart, root)
    }

    /// The format.
    pub fn format(&self) -> BatchFormat {
        self.format
    }

    /// The number of requests.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is no request.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds a request outside any change set.
    pub fn add<O: Outcome>(&mut self, call: Call<O>) -> BatchItem<O> {
        self.push(call, None)
    }

    /// Opens a change set (atomicity group); add to it with
    /// [`add_to`](Self::add_to).
    pub fn change_set(&mut self) -> ChangeSet {
        self.groups += 1;
        ChangeSet(self.groups)
    }

    /// Adds a request to a change set: all its requests succeed or none.
    pub fn add_to<O: Outcome>(&mut self, set: ChangeSet, call: Call<O>) -> BatchItem<O> {
        self.push(call, Some(set.0))
    }

    /// Makes `item` wait for `on` to complete (JSON `dependsOn`; multipart
    /// keeps the order of the parts anyway).
    pub fn depends_on(&mut self, item: ItemId, on: ItemId) {
        if let Some(e) = self.entries.get_mut(item.0 as usize - 1)
            && !e.depends_on.contains(&on.0)
        {
            e.depends_on.push(on.0);
        }
    }

    fn push<O: Outcome>(&mut self, call: Call<O>, group: Option<u32>) -> BatchItem<O> {
        let version = call.version();
        let id = ItemId(self.entries.len() as u32 + 1);
        let request = match call.into_request() {
            Ok(r) => r,
            Err(e) => {
                if self.error.is_none() {
                    self.error = Some(e);
                }
                Request::get("")
            }
        };
        let mut depends_on = Vec::new();
        if let Some(r) = reference_of(&request.url)
            && r < id.0
        {
            depends_on.push(r);
        }
        self.entries.push(Entry {
            request,
            group,
            depends_on,
        });
        BatchItem {
            id,
            batch: self.serial,
            version,
            _o: PhantomData,
        }
    }

    /// The URL of a request relative to the service root (`$1/…` as it is).
    fn relative_url(&self, url: &str) -> String {
        if url.starts_with('$') {
            // `$1/` (a resource rooted at a reference) → `$1`.
            let end = url.find(['/', '?']).unwrap_or(url.len());
            let (head, rest) = url.split_at(end);
            let rest = rest
                .strip_prefix('/')
                .filter(|r| r.is_empty() || r.starts_with('?'));
            return match rest {
                Some(r) => format!("{head}{r}"),
                None => url.to_owned(),
            };
        }
        let root = self.root.url(); // ends with `/`
        match url.strip_prefix(root.as_str()) {
            Some(rel) => rel.to_owned(),
            None => match url.strip_prefix(root.trim_end_matches('/')) {
                Some(rel) if rel.is_empty() || rel.starts_with('?') => rel.to_owned(),
                _ => url.to_owned(),
            },
        }
    }

    /// The entries in wire order: each change set at the place of its first
    /// request.
    fn wire_order(&self) -> Vec<Vec<usize>> {
        let mut blocks: Vec<(Option<u32>, Vec<usize>)> = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            match e.group {
                Some(g) => match blocks.iter_mut().find(|(bg, _)| *bg == Some(g)) {
                    Some((_, v)) => v.push(i),
                    None => blocks.push((Some(g), vec![i])),
                },
                None => blocks.push((None, vec![i])),
            }
        }
        blocks.into_iter().map(|(_, v)| v).collect()
    }

    /// The `$batch` request.
    pub fn to_request(&self) -> Result<Request, Error> {
        if let Some(e) = &self.error {
            return Err(Error::Unexpected(format!("a request of the batch: {e}")));
        }
        let batch = self.root.segment("$batch");
        let mut r = batch.request(Method::Post);
        // The service-wide parameters (`sap-client`, `api-version`) go on the `$batch` URL too:
        // the service reads them from the outer request before it reads any part.
        batch.query().append_to(&mut r.url, batch.version());
        if self.continue_on_error {
            r.set_header("Prefer", "odata.continue-on-error");
        }
        match self.format {
            BatchFormat::Json => {
                let body = self.json_body();
                r.set_header("Accept", "application/json");
                Ok(r.with_body("application/json", body))
            }
            BatchFormat::Multipart => {
                let boundary = new_boundary("batch");
                let body = self.multipart_body(&boundary);
                r.set_header("Accept", "multipart/mixed");
                Ok(r.with_body(&format!("multipart/mixed; boundary={boundary}"), body))
            }
        }
    }

    fn json_body(&self) -> Vec<u8> {
        // Written directly (no `Value` tree); JSON bodies are embedded as they are, once
        // checked to be JSON.
        fn string(out: &mut Vec<u8>, s: &str) {
            serde_json::to_writer(&mut *out, s).expect("writing to a Vec");
        }
        let mut out = Vec::with_capacity(256 * self.entries.len());
        out.extend_from_slice(b"{\"requests\":[");
        let mut first = true;
        for block in self.wire_order() {
            for i in block {
                let e = &self.entries[i];
                if !std::mem::take(&mut first) {
                    out.push(b',');
                }
                out.extend_from_slice(format!("{{\"id\":\"{}\",\"method\":", i + 1).as_bytes());
                string(&mut out, e.request.method.as_str());
                out.extend_from_slice(b",\"url\":");
                string(&mut out, &self.relative_url(&e.request.url));
                if let Some(g) = e.group {
                    out.extend_from_slice(format!(",\"atomicityGroup\":\"g{g}\"").as_bytes());
                }
                if !e.depends_on.is_empty() {
                    out.extend_from_slice(b",\"dependsOn\":[");
                    for (k, d) in e.depends_on.iter().enumerate() {
                        if k > 0 {
                            out.push(b',');
                        }
                        out.extend_from_slice(format!("\"{d}\"").as_bytes());
                    }
                    out.push(b']');
                }
                out.extend_from_slice(b",\"headers\":{");
                for (k, (n, v)) in e.request.headers.iter().enumerate() {
                    if k > 0 {
                        out.push(b',');
                    }
                    string(&mut out, &n.to_ascii_lowercase());
                    out.push(b':');
                    string(&mut out, v);
                }
                out.push(b'}');
                if let Some(body) = &e.request.body {
                    let ct = e.request.header("Content-Type").unwrap_or("");
                    out.extend_from_slice(b",\"body\":");
                    if is_json(ct)
                        && serde_json::from_slice::<&serde_json::value::RawValue>(body).is_ok()
                    {
                        out.extend_from_slice(body);
                    } else {
                        serde_json::to_writer(&mut out, &json_body_value(ct, body))
                            .expect("writing to a Vec");
                    }
                }
                out.push(b'}');
            }
        }
        out.extend_from_slice(b"]}");
        out
    }

    fn multipart_body(&self, boundary: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(256 * self.entries.len());
        for block in self.wire_order() {
            let group = self.entries[block[0]].group;
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match group {
                None => self.write_part(&mut out, block[0], false),
                Some(g) => {
                    let cs = format!("changeset_{boundary}_{g}");
                    out.extend_from_slice(
                        format!("Content-Type: multipart/mixed; boundary={cs}\r\n\r\n").as_bytes(),
                    );
                    for i in block {
                        out.extend_from_slice(format!("--{cs}\r\n").as_bytes());
                        self.write_part(&mut out, i, true);
                    }
                    out.extend_from_slice(format!("--{cs}--\r\n").as_bytes());
                }
            }
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        out
    }

    fn write_part(&self, out: &mut Vec<u8>, i: usize, content_id: bool) {
        let e = &self.entries[i];
        out.extend_from_slice(
            b"Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n",
        );
        if content_id {
            out.extend_from_slice(format!("Content-ID: {}\r\n", i + 1).as_bytes());
        }
        out.extend_from_slice(
            format!(
                "\r\n{} {} HTTP/1.1\r\n",
                e.request.method,
                self.relative_url(&e.request.url)
            )
            .as_bytes(),
        );
        for (n, v) in &e.request.headers {
            if !n.eq_ignore_ascii_case("Content-Length") {
                out.extend_from_slice(format!("{n}: {v}\r\n").as_bytes());
            }
        }
        if let Some(body) = &e.request.body {
            out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\r\n");
        } else {
            out.extend_from_slice(b"\r\n");
        }
    }

    /// Reads the response to [`to_request`](Self::to_request): a
    /// non-success status of the batch itself is an [`Error::Status`]; a
    /// body that is not a batch response an [`Error::Unexpected`].
    pub fn read(&self, response: Response) -> Result<BatchResponse, Error> {
        let response = response.error_for_status()?;
        let mut responses: Vec<Option<Response>> = vec![None; self.entries.len()];
        match self.format {
            BatchFormat::Json => read_json(&response.body, &mut responses)?,
            BatchFormat::Multipart => {
                let ct = response.header("Content-Type").unwrap_or("");
                let boundary = boundary_of(ct).ok_or_else(|| {
                    Error::Unexpected(format!("a batch response of type `{ct}`, not multipart"))
                })?;
                self.read_multipart(&response.body, &boundary, &mut responses)?;
            }
        }
        Ok(BatchResponse {
            serial: self.serial,
            responses,
            requests: self
                .entries
                .iter()
                .map(|e| (e.request.method, e.request.url.clone()))
                .collect(),
        })
    }

    fn read_multipart(
        &self,
        body: &[u8],
        boundary: &str,
        out: &mut [Option<Response>],
    ) -> Result<(), Error> {
        let parts = parse_multipart(body, boundary)?;
        let blocks = self.wire_order();
        for (block, part) in blocks.iter().zip(parts) {
            let ct = find_header(&part.headers, "Content-Type").unwrap_or("");
            let is_set = self.entries[block[0]].group.is_some();
            if is_set
                && ct
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("multipart/")
            {
                let inner = boundary_of(ct).ok_or_else(|| {
                    Error::Unexpected("a change set response without a boundary".into())
                })?;
                let inner_parts = parse_multipart(part.body, &inner)?;
                for (k, p) in inner_parts.into_iter().enumerate() {
                    let by_id = find_header(&p.headers, "Content-ID")
                        .and_then(|v| v.trim().trim_matches(['<', '>']).parse::<usize>().ok())
                        .filter(|id| block.contains(&id.wrapping_sub(1)))
                        .map(|id| id - 1);
                    let Some(i) = by_id.or_else(|| block.get(k).copied()) else {
                        continue;
                    };
                    out[i] = Some(parse_http_response(p.body)?);
                }
            } else {
                // One request, or a change set that failed as a whole.
                let r = parse_http_response(part.body)?;
                for &i in block {
                    out[i] = Some(r.clone());
                }
            }
        }
        Ok(())
    }

    /// The same response for every request (the batch as a whole was
    /// answered `response`).
    fn answer_all(&self, response: &Response) -> BatchResponse {
        BatchResponse {
            serial: self.serial,
            responses: vec![Some(response.clone()); self.entries.len()],
            requests: self
                .entries
                .iter()
                .map(|e| (e.request.method, e.request.url.clone()))
                .collect(),
        }
    }

    /// Sends the batch with an asynchronous client.
    pub async fn send<C: Client + ?Sized>(&self, client: &C) -> Result<BatchResponse, Error> {
        let request = self.to_request()?;
        let response = client.send(request).await?;
        self.read(response)
    }

    /// Sends the batch with a blocking client.
    pub fn send_blocking<C: BlockingClient + ?Sized>(
        &self,
        client: &C,
    ) -> Result<BatchResponse, Error> {
        let request = self.to_request()?;
        let response = client.send(request)?;
        self.read(response)
    }
}

/// The responses to the requests of a [`Batch`].
#[derive(Clone, Debug)]
pub struct BatchResponse {
    serial: u64,
    responses: Vec<Option<Response>>,
    requests: Vec<(Method, String)>,
}

impl BatchResponse {
    /// The result of one request: its output, an [`Error::Status`] for a
    /// non-success status (with the OData error), an [`Error::Decode`] for a
    /// body that cannot be read, an [`Error::Unexpected`] when the batch
    /// response has nothing for it or the item is of another batch.
    pub fn get<O: Outcome>(&self, item: &BatchItem<O>) -> Result<O::Output, Error> {
        if item.batch != self.serial {
            return Err(Error::Unexpected(format!(
                "request {} is of another batch than this response",
                item.id
            )));
        }
        let i = item.id.0 as usize - 1;
        let response = self.response(item.id).cloned().ok_or_else(|| {
            Error::Unexpected(format!(
                "no response in the batch for request {} (a service may stop at the first \
                 failed request; see `Batch::continue_on_error`)",
                item.id
            ))
        })?;
        let (method, url) = &self.requests[i];
        response.read_success(*method, url, |r| O::read(r, item.version))
    }

    /// The raw response to request `id`, if the batch response has one.
    pub fn response(&self, id: ItemId) -> Option<&Response> {
        self.responses
            .get((id.0 as usize).wrapping_sub(1))
            .and_then(Option::as_ref)
    }

    /// The number of requests.
    pub fn len(&self) -> usize {
        self.responses.len()
    }

    /// Whether the batch had no request.
    pub fn is_empty(&self) -> bool {
        self.responses.is_empty()
    }
}

/// The id a URL references (`$3/…` → 3).
fn reference_of(url: &str) -> Option<u32> {
    let rest = url.strip_prefix('$')?;
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    rest[..end].parse().ok()
}

fn is_json(content_type: &str) -> bool {
    let ct = content_type.trim_start().to_ascii_lowercase();
    ct.starts_with("application/json") || ct.split(';').next().is_some_and(|m| m.ends_with("+json"))
}

/// A request body in a JSON batch: JSON as JSON, text as a string, else
/// base64url.
fn json_body_value(content_type: &str, body: &[u8]) -> Value {
    if is_json(content_type)
        && let Ok(v) = serde_json::from_slice(body)
    {
        return v;
    }
    if content_type
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("text/")
        && let Ok(s) = std::str::from_utf8(body)
    {
        return s.into();
    }
    base64url_encode(body).into()
}

/// One response of a JSON batch, its body as the raw JSON text.
struct RawItem<'a> {
    id: Option<usize>,
    status: u16,
    headers: Vec<(String, String)>,
    body: Option<&'a serde_json::value::RawValue>,
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for RawItem<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = RawItem<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a response of a JSON batch")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<RawItem<'a>, A::Error> {
                let mut item = RawItem {
                    id: None,
                    status: 0,
                    headers: Vec::new(),
                    body: None,
                };
                while let Some(key) = m.next_key::<std::borrow::Cow<'de, str>>()? {
                    match &*key {
                        "id" => {
                            item.id = match m.next_value::<Value>()? {
                                Value::String(s) => s.parse().ok(),
                                Value::Number(n) => n.as_u64().map(|n| n as usize),
                                _ => None,
                            }
                        }
                        "status" => item.status = m.next_value::<u64>()?.min(999) as u16,
                        "headers" => {
                            let h: Option<Map<String, Value>> = m.next_value()?;
                            item.headers = h
                                .unwrap_or_default()
                                .into_iter()
                                .map(|(n, v)| match v {
                                    Value::String(s) => (n, s),
                                    other => (n, other.to_string()),
                                })
                                .collect();
                        }
                        "body" => item.body = Some(m.next_value()?),
                        _ => {
                            m.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(item)
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

/// The `responses` of a JSON batch.
struct RawResponses<'a>(Vec<RawItem<'a>>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for RawResponses<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = RawResponses<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON batch response")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<RawResponses<'a>, A::Error> {
                let mut list = None;
                while let Some(key) = m.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "responses" {
                        list = Some(m.next_value()?);
                    } else {
                        m.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                list.map(RawResponses)
                    .ok_or_else(|| serde::de::Error::missing_field("responses"))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

fn read_json(body: &[u8], out: &mut [Option<Response>]) -> Result<(), Error> {
    let list = serde_json::from_slice::<RawResponses>(crate::request::without_bom(body))
        .map_err(|e| Error::Unexpected(format!("not a JSON batch response: {e}")))?;
    for r in list.0 {
        let Some(slot) = r.id.and_then(|id| out.get_mut(id.wrapping_sub(1))) else {
            continue;
        };
        let mut headers = r.headers;
        let ct = find_header(&headers, "Content-Type")
            .unwrap_or("")
            .to_owned();
        let body = match r.body.map(|b| b.get()) {
            None | Some("null") => Vec::new(),
            Some(text) if text.starts_with('"') && !is_json(&ct) => {
                let s: String = serde_json::from_str(text)?;
                if ct.trim_start().to_ascii_lowercase().starts_with("text/") {
                    s.into_bytes()
                } else {
                    base64url_decode(&s).unwrap_or_else(|| s.into_bytes())
                }
            }
            Some(text) => {
                if ct.is_empty() {
                    headers.push(("Content-Type".into(), "application/json".into()));
                }
                text.as_bytes().to_vec()
            }
        };
        *slot = Some(Response::new(r.status, headers, body));
    }
    Ok(())
}

/// A fresh boundary: the prefix, a process-wide counter and the clock.
fn new_boundary(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos() as u64;
    format!("{prefix}_{t:016x}{n:04x}")
}

/// The `boundary` parameter of a `multipart/…` content type.
fn boundary_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (n, v) = p.split_once('=')?;
        n.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

type Headers = Vec<(String, String)>;

/// A MIME part: its headers and body.
struct Part<'a> {
    headers: Vec<(String, String)>,
    body: &'a [u8],
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let mut i = from;
    while i + needle.len() <= hay.len() {
        let at = hay[i..=hay.len() - needle.len()]
            .iter()
            .position(|&b| b == first)?;
        i += at;
        if &hay[i..i + needle.len()] == needle {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The parts of a multipart body (the preamble and epilogue are skipped).
fn parse_multipart<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, Error> {
    let delim = format!("--{boundary}");
    let delim = delim.as_bytes();
    // Delimiters start a line.
    let next_delim = |from: usize| -> Option<usize> {
        let mut at = from;
        loop {
            let i = find(body, delim, at)?;
            if i == 0 || body[i - 1] == b'\n' {
                return Some(i);
            }
            at = i + 1;
        }
    };
    let mut parts = Vec::new();
    let Some(mut at) = next_delim(0) else {
        return Err(Error::Unexpected(format!(
            "a multipart body without the boundary `{boundary}`"
        )));
    };
    loop {
        let after = at + delim.len();
        if body[after..].starts_with(b"--") {
            break;
        }
        // The rest of the delimiter line.
        let start = match body[after..].iter().position(|&b| b == b'\n') {
            Some(p) => after + p + 1,
            None => break,
        };
        // A part whose HTTP message declares its body's length cannot end inside that body,
        // even if the body holds the delimiter.
        let Some(end) = next_delim(start + declared_len(&body[start..])) else {
            return Err(Error::Unexpected(
                "a multipart body without its closing boundary".into(),
            ));
        };
        // The line break before a delimiter belongs to it.
        let mut content = &body[start..end];
        content = content.strip_suffix(b"\n").unwrap_or(content);
        content = content.strip_suffix(b"\r").unwrap_or(content);
        let (_, headers, body) = split_head(content, false);
        parts.push(Part { headers, body });
        at = end;
    }
    Ok(parts)
}

/// How far into a part its declared content reaches: for an `application/http` part whose
/// message has a `Content-Length`, the end of that body; else 0. (No allocation: this runs
/// before the part is parsed.)
fn declared_len(part: &[u8]) -> usize {
    let (ct, rest) = scan_head(part, false, b"content-type");
    let is_http = ct.is_some_and(|v| {
        v.trim_ascii_start()
            .get(..16)
            .is_some_and(|m| m.eq_ignore_ascii_case(b"application/http"))
    });
    if !is_http {
        return 0;
    }
    let (len, body) = scan_head(&part[rest..], true, b"content-length");
    let body = rest + body;
    let len = len.and_then(|v| {
        std::str::from_utf8(v.trim_ascii())
            .ok()?
            .parse::<usize>()
            .ok()
    });
    match len {
        Some(len) if body + len <= part.len() => body + len,
        _ => 0,
    }
}

/// The value of header `name` (lower case) in the head of `msg`, and where its body starts.
fn scan_head<'a>(msg: &'a [u8], start_line: bool, name: &[u8]) -> (Option<&'a [u8]>, usize) {
    let mut pos = 0;
    let mut found = None;
    let mut skip = start_line;
    while pos < msg.len() {
        let end = msg[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(msg.len(), |p| pos + p);
        let line = &msg[pos..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        pos = (end + 1).min(msg.len());
        if skip {
            skip = line.is_empty(); // blank lines before the start line
            continue;
        }
        if line.is_empty() {
            return (found, pos);
        }
        if found.is_none()
            && line.len() > name.len()
            && line[name.len()] == b':'
            && line[..name.len()].eq_ignore_ascii_case(name)
        {
            found = Some(&line[name.len() + 1..]);
        }
    }
    (found, msg.len())
}

/// Splits a message at its first empty line: the first line (when
/// `start_line`), the headers and the body.
fn split_head(msg: &[u8], start_line: bool) -> (String, Headers, &[u8]) {
    let mut pos = 0;
    let mut first = String::new();
    let mut headers = Vec::new();
    let mut first_done = !start_line;
    loop {
        let (line, next) = match msg[pos..].iter().position(|&b| b == b'\n') {
            Some(p) => (&msg[pos..pos + p], pos + p + 1),
            None => (&msg[pos..], msg.len()),
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        pos = next;
        if !first_done {
            if line.is_empty() && pos < msg.len() {
                continue; // blank lines before the status line
            }
            first = String::from_utf8_lossy(line).into_owned();
            first_done = true;
            continue;
        }
        if line.is_empty() {
            return (first, headers, &msg[pos.min(msg.len())..]);
        }
        let text = String::from_utf8_lossy(line);
        if let Some((n, v)) = text.split_once(':') {
            headers.push((n.trim().to_owned(), v.trim().to_owned()));
        }
        if pos >= msg.len() {
            return (first, headers, &[]);
        }
    }
}

/// An `application/http` part: `HTTP/1.1 201 Created`, headers, body.
fn parse_http_response(msg: &[u8]) -> Result<Response, Error> {
    let (status_line, headers, body) = split_head(msg, true);
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| {
            Error::Unexpected(format!(
                "a batch part without an HTTP status line: `{status_line}`"
            ))
        })?;
    let mut body = body;
    if let Some(len) = find_header(&headers, "Content-Length").and_then(|v| v.trim().parse().ok())
        && len <= body.len()
    {
        body = &body[..len];
    }
    Ok(Response::new(status, headers, body.to_vec()))
}

const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (chunk.get(1).copied().unwrap_or(0) as u32) << 8
            | chunk.get(2).copied().unwrap_or(0) as u32;
        for k in 0..=chunk.len() {
            out.push(B64URL[(n >> (18 - 6 * k)) as usize & 63] as char);
        }
    }
    out
}

fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|&c| c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// Sends any number of calls as batches of at most [`size`](Self::size)
/// requests (20 by default: Microsoft Graph's limit) and gives their
/// results in order; requests throttled inside a batch are sent again, in
/// follow-up batches, as the [`RetryPolicy`] says (see the [module
/// documentation](self)).
#[derive(Clone, Debug)]
pub struct BatchSplitter<S = DefaultSleep> {
    format: BatchFormat,
    root: Path,
    size: usize,
    policy: RetryPolicy,
    sleep: S,
}

impl BatchSplitter {
    /// JSON batches to the service at `root`, 20 requests each, with the
    /// default [`RetryPolicy`].
    pub fn json(root: &Path) -> Self {
        Self::new(BatchFormat::Json, root)
    }

    /// Batches of `format` to the service at `root`, 20 requests each, with
    /// the default [`RetryPolicy`].
    pub fn new(format: BatchFormat, root: &Path) -> Self {
        BatchSplitter {
            format,
            root: root.clone(),
            size: 20,
            policy: RetryPolicy::default(),
            sleep: DefaultSleep,
        }
    }
}

impl<S: Sleep> BatchSplitter<S> {
    /// The most requests per batch (at least 1).
    pub fn size(mut self, size: usize) -> Self {
        self.size = size.max(1);
        self
    }

    /// The policy for requests throttled inside a batch.
    pub fn policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// How to wait before a follow-up batch (async; the blocking sender
    /// uses [`Sleep::sleep_blocking`]).
    pub fn with_sleep<S2: Sleep>(self, sleep: S2) -> BatchSplitter<S2> {
        BatchSplitter {
            format: self.format,
            root: self.root,
            size: self.size,
            policy: self.policy,
            sleep,
        }
    }

    /// A batch answered as a whole with a status the policy retries (`429`
    /// for the batch request itself) is that answer for each of its
    /// requests, so each is retried (or not) on its own terms.
    fn whole(
        &self,
        batch: &Batch,
        sent: Result<BatchResponse, Error>,
    ) -> Result<BatchResponse, Error> {
        match sent {
            Err(Error::Status(e)) if self.policy.should_retry(Method::Get, e.status(), 0) => {
                let response = Response::new(e.status(), e.headers().to_vec(), e.body().to_vec());
                Ok(batch.answer_all(&response))
            }
            other => other,
        }
    }

    /// Sends `calls` with a blocking client; the results are in the order of
    /// `calls`. An error sending a batch (transport, another non-success
    /// status of the batch itself) ends it.
    pub fn send_all_blocking<C: BlockingClient + ?Sized, O: Outcome>(
        &self,
        client: &C,
        calls: Vec<Call<O>>,
    ) -> Result<Vec<Result<O::Output, Error>>, Error> {
        let mut run = Run::new(self, calls);
        while let Some(wait) = run.wait() {
            self.sleep.sleep_blocking(wait);
            for batch in run.batches() {
                let response = self.whole(&batch.0, batch.0.send_blocking(client))?;
                run.settle(batch, response);
            }
        }
        Ok(run.finish())
    }

    /// Sends `calls` with an asynchronous client; the results are in the
    /// order of `calls`.
    pub async fn send_all<C: Client + ?Sized, O: Outcome>(
        &self,
        client: &C,
        calls: Vec<Call<O>>,
    ) -> Result<Vec<Result<O::Output, Error>>, Error> {
        let mut run = Run::new(self, calls);
        while let Some(wait) = run.wait() {
            if !wait.is_zero() {
                self.sleep.sleep(wait).await;
            }
            for batch in run.batches() {
                let response = self.whole(&batch.0, batch.0.send(client).await)?;
                run.settle(batch, response);
            }
        }
        Ok(run.finish())
    }
}

/// The state of a [`BatchSplitter`] run: requests still to send (with their
/// attempt numbers) and the results so far.
struct Run<'s, S, O: Outcome> {
    splitter: &'s BatchSplitter<S>,
    pending: Vec<(usize, u32, Request, Version)>,
    results: Vec<Option<Result<O::Output, Error>>>,
    wait: Option<Duration>,
}

/// A batch of a run, with (call index, attempt, item, the request kept for
/// a retry) per request.
type RunBatch<O> = (Batch, Vec<(usize, u32, BatchItem<O>, Option<Request>)>);

impl<'s, S, O: Outcome> Run<'s, S, O> {
    fn new(splitter: &'s BatchSplitter<S>, calls: Vec<Call<O>>) -> Self {
        let mut results: Vec<Option<Result<O::Output, Error>>> = Vec::with_capacity(calls.len());
        let mut pending = Vec::with_capacity(calls.len());
        for (i, call) in calls.into_iter().enumerate() {
            let version = call.version();
            match call.into_request() {
                Ok(r) => {
                    pending.push((i, 1, r, version));
                    results.push(None);
                }
                Err(e) => results.push(Some(Err(e))),
            }
        }
        Run {
            splitter,
            pending,
            results,
            wait: Some(Duration::ZERO),
        }
    }

    /// How long to wait before the next round; `None` when done.
    fn wait(&mut self) -> Option<Duration> {
        if self.pending.is_empty() {
            return None;
        }
        Some(self.wait.take().unwrap_or_default())
    }

    fn batches(&mut self) -> Vec<RunBatch<O>> {
        let pending = std::mem::take(&mut self.pending);
        let mut out = Vec::new();
        let mut it = pending.into_iter().peekable();
        while it.peek().is_some() {
            let mut batch =
                Batch::new(self.splitter.format, &self.splitter.root).continue_on_error();
            let mut items = Vec::new();
            for (i, attempt, request, version) in it.by_ref().take(self.splitter.size) {
                let keep = self
                    .splitter
                    .policy
                    .retries_method(request.method)
                    .then(|| request.clone());
                let item = batch.add(Call::<O>::new(request, Query::new(), version));
                items.push((i, attempt, item, keep));
            }
            out.push((batch, items));
        }
        out
    }

    fn settle(&mut self, batch: RunBatch<O>, response: BatchResponse) {
        let (_, items) = batch;
        for (i, attempt, item, keep) in items {
            if let (Some(request), Some(r)) = (keep, response.response(item.id)) {
                let delay = self.splitter.policy.next_delay(request.method, r, attempt);
                if let Some(delay) = delay {
                    self.pending.push((i, attempt + 1, request, item.version));
                    self.wait = Some(self.wait.unwrap_or_default().max(delay));
                    continue;
                }
            }
            self.results[i] = Some(response.get(&item));
        }
        self.pending.sort_by_key(|(i, _, _, _)| *i);
    }

    fn finish(self) -> Vec<Result<O::Output, Error>> {
        self.results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err(Error::Unexpected("not sent".into()))))
            .collect()
    }
}

#[cfg(test)]
mod tests;
