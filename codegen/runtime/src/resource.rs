//! Typed resources: the pieces generated request builders are made of.
//!
//! A generated crate has, per entity type, an *item* builder (one entity:
//! `users('a')`, `me`, `users('a')/manager`) and a *collection* builder
//! (`users`, `users('a')/memberOf`), each a thin wrapper around a [`Path`].
//! Navigation properties, keys and bound operations are inherent methods of
//! those wrappers; what every entity shares (read, update, delete, list,
//! create, count, casts, references) is written once here, as provided
//! methods of [`EntityResource`] and [`CollectionResource`]. Bring them into
//! scope with `use odata_runtime::prelude::*;`.
//!
//! Builders only describe requests: a method like
//! [`EntityResource::get`] returns a [`Call`] (or [`Get`]/[`List`], which add
//! typed query options), a value holding the [`Request`] and how to read the
//! response. Send it with any [`Client`] or [`BlockingClient`], or take the
//! request with [`Call::into_request`] and send it yourself.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Version;
use crate::client::{BlockingClient, Client};
use crate::error::Error;
pub use crate::filter::Filter;
use crate::filter::{
    Expand, ExpandList, Expandable, IntoFilter, OrderKey, Prop, Select, expand_items, select_items,
};
use crate::literal::{Literal, encode_path_segment, function_parameters, key_segment};
use crate::paging::{Items, Page, Pages};
use crate::query::Query;
use crate::request::{Method, Request, Response};
use crate::structured::{Purpose, Structured, ser_struct, ser_tagged, with_purpose};

/// What a service's requests share: the root URL, the protocol version, and
/// the query parameters and headers sent with every request (Azure AD
/// Graph's `api-version`, an `Authorization` header).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Service {
    root: String,
    version: Version,
    params: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

/// A resource of a service: the service root and a resource path below it
/// (`users('a')/manager`), plus the parameter aliases a function call in the
/// path needs.
#[derive(Clone, PartialEq, Eq)]
pub struct Path {
    service: Arc<Service>,
    path: String,
    aliases: Vec<(String, String)>,
}

impl fmt::Debug for Path {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_tuple("Path").field(&self.url()).finish()
    }
}

/// A function or action argument in a URL: a literal written inline, or a
/// JSON value (complex and collection values) passed as a parameter alias.
pub enum Arg<'a> {
    /// Written inline as a URL literal (`'x'`, `42`, `ns.Color'Red'`).
    Literal(&'a dyn Literal),
    /// Passed as the parameter alias `@name` with a JSON value.
    Json(Value),
    /// Left out (an optional parameter without a value).
    Omitted,
}

impl<'a> Arg<'a> {
    /// An optional parameter written as a literal: left out when `None`.
    pub fn optional<T: Literal>(value: &'a Option<T>) -> Arg<'a> {
        match value {
            Some(v) => Arg::Literal(v),
            None => Arg::Omitted,
        }
    }

    /// An optional parameter passed as JSON: left out when `None`.
    pub fn optional_json<T: Serialize>(value: &Option<T>) -> Arg<'a> {
        match value {
            Some(v) => Arg::Json(serde_json::to_value(v).unwrap_or_default()),
            None => Arg::Omitted,
        }
    }
}

/// A literal written as it is (a parameter alias `@p`).
struct Verbatim(String);

impl Literal for Verbatim {
    fn write_literal(&self, _: Version, out: &mut String) {
        out.push_str(&self.0);
    }
}

impl Path {
    /// The root of a service (`https://graph.microsoft.com/v1.0`); a trailing
    /// `/` is ignored.
    pub fn root(root: &str, version: Version) -> Path {
        Path {
            service: Arc::new(Service {
                root: root.trim_end_matches('/').to_owned(),
                version,
                params: Vec::new(),
                headers: Vec::new(),
            }),
            path: String::new(),
            aliases: Vec::new(),
        }
    }

    /// The protocol version of the service.
    pub fn version(&self) -> Version {
        self.service.version
    }

    /// Adds a query parameter sent with every request made from this path
    /// and the paths derived from it (`api-version=1.6`); setting a name
    /// again replaces its value.
    pub fn with_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Path {
        let (name, value) = (name.into(), value.into());
        let params = &mut Arc::make_mut(&mut self.service).params;
        match params.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => params.push((name, value)),
        }
        self
    }

    /// Adds a header sent with every request made from this path and the
    /// paths derived from it (`Authorization`); setting a name again
    /// replaces its value.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Path {
        let (name, value) = (name.into(), value.into());
        let headers = &mut Arc::make_mut(&mut self.service).headers;
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        headers.push((name, value));
        self
    }

    /// The path with one more segment, percent-encoded (`manager`,
    /// `microsoft.graph.user`, `$value`).
    pub fn segment(&self, name: &str) -> Path {
        let mut p = self.clone();
        if !p.path.is_empty() {
            p.path.push('/');
        }
        p.path.push_str(&encode_path_segment(name));
        p
    }

    /// The path with a key predicate appended to its last segment:
    /// `users('a')`, `orders(id=1,line=2)`.
    pub fn key(&self, values: &[(&str, &dyn Literal)]) -> Path {
        let mut p = self.clone();
        p.path.push_str(&key_segment(values, self.version()));
        p
    }

    /// The path with a function call appended: `ns.f(a=1,b=@b)` with `@b`
    /// as a parameter alias for JSON arguments (V4), or the parameters in the
    /// query string (`f?a=1`, V2/V3 service operations and V3 functions).
    pub fn function(&self, name: &str, args: &[(&str, Arg<'_>)]) -> Path {
        let version = self.version();
        let mut p = self.segment(name);
        if version == Version::V4 {
            let aliases: Vec<Verbatim> = args
                .iter()
                .map(|(n, _)| Verbatim(format!("@{n}")))
                .collect();
            let mut inline: Vec<(&str, &dyn Literal)> = Vec::new();
            for ((n, a), alias) in args.iter().zip(&aliases) {
                match a {
                    Arg::Omitted => {}
                    Arg::Literal(l) => inline.push((n, *l)),
                    Arg::Json(v) => {
                        inline.push((n, alias));
                        p.aliases.push((alias.0.clone(), v.to_string()));
                    }
                }
            }
            p.path.push_str(&function_parameters(&inline, version));
        } else {
            for (n, a) in args {
                let v = match a {
                    Arg::Omitted => continue,
                    Arg::Literal(l) => l.to_literal(version),
                    Arg::Json(v) => v.to_string(),
                };
                p.aliases.push(((*n).to_owned(), v));
            }
        }
        p
    }

    /// The root of the service this path belongs to, with its service-wide
    /// parameters and headers.
    pub fn service_root(&self) -> Path {
        Path {
            service: Arc::clone(&self.service),
            path: String::new(),
            aliases: Vec::new(),
        }
    }

    /// The resource path below the service root, percent-encoded.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The absolute URL of the resource, without query options.
    pub fn url(&self) -> String {
        if self.path.is_empty() {
            format!("{}/", self.service.root)
        } else {
            format!("{}/{}", self.service.root, self.path)
        }
    }

    /// The path of the references (links) of a navigation property ending
    /// this path: V4 `…/memberOf/$ref`, V2/V3 `…/$links/memberOf`.
    pub fn references(&self) -> Path {
        match self.version() {
            Version::V4 => self.segment("$ref"),
            Version::V2 | Version::V3 => {
                let mut p = self.clone();
                let at = p.path.rfind('/').map_or(0, |i| i + 1);
                p.path.insert_str(at, "$links/");
                p
            }
        }
    }

    /// The query options this path itself needs: parameter aliases of
    /// function calls in it, then the service-wide parameters.
    pub fn query(&self) -> Query {
        let mut q = Query::new();
        for (n, v) in self.aliases.iter().chain(&self.service.params) {
            q = q.param(n.clone(), v.clone());
        }
        q
    }

    /// A request for this resource with the OData headers of the service
    /// version and the service-wide headers; query options are added when
    /// the [`Call`] is turned into a request.
    pub fn request(&self, method: Method) -> Request {
        let mut r = Request::odata(method, self.url(), self.version());
        for (n, v) in &self.service.headers {
            r.set_header(n.clone(), v.clone());
        }
        r
    }

    /// A call of `method` on this resource.
    pub fn call<O: Outcome>(&self, method: Method) -> Call<O> {
        Call::new(self.request(method), self.query(), self.version())
    }
}

/// How the response of a [`Call`] is read.
pub trait Outcome {
    /// What a successful call gives.
    type Output;
    /// Reads a successful response.
    fn read(response: Response, version: Version) -> Result<Self::Output, Error>;
}

/// A response without a body to read (`204 No Content`): `()`.
pub struct NoContent;

impl Outcome for NoContent {
    type Output = ();
    fn read(_: Response, _: Version) -> Result<(), Error> {
        Ok(())
    }
}

/// What a successful [`update`](EntityResource::update) or
/// [`replace`](EntityResource::replace) gives: the entity tag the entity
/// has now, when the service said. Hand it the value that was sent
/// ([`Updated::apply_to`]) so that the next update of that value sends the
/// new tag and only what changes from here.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Updated {
    /// The entity's new entity tag: the `ETag` header, else the tag of the
    /// entity in the body (`@odata.etag`, V3 `odata.etag`, V2
    /// `__metadata.etag`) when the service answered with the entity.
    pub etag: Option<String>,
}

impl Updated {
    /// An outcome with this entity tag (a mock client's answer, say).
    pub fn new(etag: Option<String>) -> Self {
        Updated { etag }
    }

    /// Brings `sent`, the value that was updated, up to date with the
    /// service: its entity tag becomes the new one, and its current state
    /// becomes the baseline for change tracking
    /// ([`Structured::mark_unchanged`]). A second update of `sent` then
    /// sends what changed since this one, with `If-Match` set to the new
    /// tag, instead of resending this change with a tag the service no
    /// longer accepts (`412`).
    ///
    /// When the service answered without a tag (`etag` is `None`), the
    /// value keeps the one it has: if the service versions the entity,
    /// that tag is stale and the next conditional update is answered
    /// `412`; read the entity again first. Returns whether the tag was
    /// replaced.
    pub fn apply_to<B: Structured>(&self, sent: &mut B) -> bool {
        if let Some(tag) = &self.etag {
            sent.set_etag(tag);
        }
        sent.mark_unchanged();
        self.etag.is_some()
    }
}

impl Outcome for Updated {
    type Output = Updated;
    fn read(response: Response, version: Version) -> Result<Updated, Error> {
        if let Some(tag) = response.etag() {
            return Ok(Updated::new(Some(tag.to_owned())));
        }
        if no_content(&response) {
            return Ok(Updated::default());
        }
        // The entity as the service answered (`Prefer: return=representation`, or a service
        // that always does): its tag, if it has one. A body that is not JSON says nothing
        // about the tag; the update itself succeeded.
        let Ok(v) = response.json::<Value>() else {
            return Ok(Updated::default());
        };
        let tag = match version {
            Version::V2 => v.pointer("/d/__metadata/etag"),
            Version::V3 => v.get("odata.etag"),
            // 4.01 may leave out the `odata.` prefix.
            Version::V4 => v.get("@odata.etag").or_else(|| v.get("@etag")),
        };
        Ok(Updated::new(tag.and_then(Value::as_str).map(str::to_owned)))
    }
}

/// A single entity or complex value (V2: unwrapped from `d`). An `ETag`
/// header the body does not repeat is kept as the value's entity tag, so a
/// later update or delete of the value sends it back.
pub struct One<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned> Outcome for One<T> {
    type Output = T;
    fn read(response: Response, version: Version) -> Result<T, Error> {
        entity_with_etag(&response, version)
    }
}

/// A single entity or complex value, or nothing when the service answers
/// `204 No Content` or `null` (a result whose type is nullable).
pub struct MaybeOne<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned> Outcome for MaybeOne<T> {
    type Output = Option<T>;
    fn read(response: Response, version: Version) -> Result<Option<T>, Error> {
        if no_content(&response) {
            Ok(None)
        } else {
            entity_with_etag(&response, version)
        }
    }
}

/// Whether a response carries no value: `204 No Content`, or an empty body.
fn no_content(response: &Response) -> bool {
    response.status == 204 || response.body.iter().all(u8::is_ascii_whitespace)
}

/// The body as one entity (V2: from `d`), with the `ETag` header added as
/// the entity tag when the body has none.
fn entity_with_etag<T: DeserializeOwned>(
    response: &Response,
    version: Version,
) -> Result<T, Error> {
    let Some(etag) = response.etag() else {
        return response.entity(version);
    };
    let version = response.wire_version(version);
    let mut v: Value = response.json()?;
    let target = match (version, &mut v) {
        (Version::V2, Value::Object(m)) => m.get_mut("d"),
        (_, v) => Some(v),
    };
    if let Some(Value::Object(m)) = target {
        match version {
            Version::V4 if !m.contains_key("@odata.etag") => {
                m.insert("@odata.etag".into(), etag.into());
            }
            Version::V3 if !m.contains_key("odata.etag") => {
                m.insert("odata.etag".into(), etag.into());
            }
            Version::V2 => {
                let meta = m
                    .entry("__metadata")
                    .or_insert_with(|| Value::Object(Default::default()));
                if let Value::Object(meta) = meta {
                    meta.entry("etag").or_insert_with(|| etag.into());
                }
            }
            _ => {}
        }
    }
    let body = match version {
        Version::V2 => crate::request::unwrap_v2_result(
            v.get_mut("d")
                .map(Value::take)
                .ok_or_else(|| Error::Unexpected("a V2 response without `d`".into()))?,
        ),
        _ => v,
    };
    Ok(serde_json::from_value(body)?)
}

/// A primitive or enum value wrapped as `{"value": …}` (V2: `{"d": …}`).
pub struct ValueOf<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned> Outcome for ValueOf<T> {
    type Output = T;
    fn read(response: Response, version: Version) -> Result<T, Error> {
        response.value(version)
    }
}

/// A primitive or enum value that may be null: `None` for `204 No Content`
/// or a `null` value.
pub struct MaybeValueOf<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned> Outcome for MaybeValueOf<T> {
    type Output = Option<T>;
    fn read(response: Response, version: Version) -> Result<Option<T>, Error> {
        if no_content(&response) {
            Ok(None)
        } else {
            response.value(version)
        }
    }
}

/// One page of a collection ([`Page`]), with its next link and count.
pub struct Many<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned> Outcome for Many<T> {
    type Output = Page<T>;
    fn read(response: Response, _: Version) -> Result<Page<T>, Error> {
        response.page()
    }
}

/// The plain-text body of `$count`.
pub struct Count;

impl Outcome for Count {
    type Output = i64;
    fn read(response: Response, _: Version) -> Result<i64, Error> {
        response.count()
    }
}

/// The raw body (media resources, `$value`).
pub struct Bytes;

impl Outcome for Bytes {
    type Output = Vec<u8>;
    fn read(response: Response, _: Version) -> Result<Vec<u8>, Error> {
        Ok(response.body)
    }
}

/// The whole response, for callers that read headers or status themselves.
pub struct Raw;

impl Outcome for Raw {
    type Output = Response;
    fn read(response: Response, _: Version) -> Result<Response, Error> {
        Ok(response)
    }
}

/// A request ready to send, and how to read its response.
///
/// Query options, headers and the body can still be changed; a body that
/// failed to serialize is reported when the call is sent or turned into a
/// request.
#[must_use = "a call does nothing until it is sent"]
pub struct Call<O> {
    request: Request,
    query: Query,
    version: Version,
    error: Option<Error>,
    _o: PhantomData<fn() -> O>,
}

impl<O> fmt::Debug for Call<O> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_struct("Call")
            .field("request", &self.request)
            .field("query", &self.query)
            .finish()
    }
}

impl<O: Outcome> Call<O> {
    /// A call of `request` (whose URL has no query) with `query`.
    pub fn new(request: Request, query: Query, version: Version) -> Self {
        Call {
            request,
            query,
            version,
            error: None,
            _o: PhantomData,
        }
    }

    /// The protocol version of the service.
    pub fn version(&self) -> Version {
        self.version
    }

    /// The query options.
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// Changes the query options.
    pub fn map_query(mut self, f: impl FnOnce(Query) -> Query) -> Self {
        self.query = f(std::mem::take(&mut self.query));
        self
    }

    /// Adds a query parameter (`api-version`, a custom option); setting a
    /// name again replaces its value.
    pub fn param(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let (name, value) = (name.into(), value.into());
        self.map_query(|q| q.param(name, value))
    }

    /// Sets a header, replacing any of the same name.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request.set_header(name, value);
        self
    }

    /// Sets `If-Match` to an entity tag as the service sent it (optimistic
    /// concurrency on update and delete; `*` for any version).
    pub fn if_match(self, etag: &str) -> Self {
        self.header("If-Match", etag)
    }

    /// Sets `If-None-Match` (a read answered `304 Not Modified` when
    /// unchanged).
    pub fn if_none_match(self, etag: &str) -> Self {
        self.header("If-None-Match", etag)
    }

    /// Sets a JSON body.
    pub fn json_body<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.request = std::mem::replace(&mut self.request, Request::get(""))
                    .with_body("application/json", bytes);
            }
            Err(e) => self.error = Some(e.into()),
        }
        self
    }

    /// Sets a body of another content type (media upload).
    pub fn body(mut self, content_type: &str, bytes: Vec<u8>) -> Self {
        self.request =
            std::mem::replace(&mut self.request, Request::get("")).with_body(content_type, bytes);
        self
    }

    /// The request as it will be sent: the URL with its query options.
    pub fn to_request(&self) -> Result<Request, Error> {
        match &self.error {
            Some(Error::Url(e)) => return Err(Error::Url(e.clone())),
            Some(e) => return Err(Error::Unexpected(format!("the request body: {e}"))),
            None => {}
        }
        let mut r = self.request.clone();
        self.query.append_to(&mut r.url, self.version);
        // A V2/V3 service operation called with POST takes its parameters in the query string
        // and has no body; servers (SAP CAP's V2 adapter) read them only from a JSON request.
        if self.version != Version::V4
            && r.method == Method::Post
            && r.body.is_none()
            && r.header("Content-Type").is_none()
        {
            r.set_header("Content-Type", "application/json");
        }
        Ok(r)
    }

    /// The request as it will be sent.
    pub fn into_request(self) -> Result<Request, Error> {
        self.to_request()
    }

    /// Sends the call with an asynchronous client and reads the response
    /// (a non-success status is an [`Error`]).
    pub async fn send<C: Client + ?Sized>(self, client: &C) -> Result<O::Output, Error> {
        let version = self.version;
        let request = self.into_request()?;
        let (method, url) = (request.method, request.url.clone());
        let response = client.send(request).await?;
        response.read_success(method, &url, |r| O::read(r, version))
    }

    /// Sends the call with a blocking client and reads the response.
    pub fn send_blocking<C: BlockingClient + ?Sized>(self, client: &C) -> Result<O::Output, Error> {
        let version = self.version;
        let request = self.into_request()?;
        let (method, url) = (request.method, request.url.clone());
        let response = client.send(request)?;
        response.read_success(method, &url, |r| O::read(r, version))
    }
}

impl<T: DeserializeOwned> Call<Many<T>> {
    /// Every page, following next links, with a blocking client.
    pub fn pages<C: BlockingClient + ?Sized>(self, client: &C) -> Result<Pages<'_, C, T>, Error> {
        Ok(crate::paging::pages(client, self.into_request()?))
    }

    /// Every item across all pages, with a blocking client.
    pub fn items<C: BlockingClient + ?Sized>(self, client: &C) -> Result<Items<'_, C, T>, Error> {
        Ok(crate::paging::items(client, self.into_request()?))
    }
}

impl<T: DeserializeOwned> Call<Many<T>> {
    /// The changes since the delta link this call was resumed from (or, for a first call of a
    /// `delta` function, the current state and a link to resume from), following next links
    /// to the delta link, with a blocking client. See [`crate::delta`].
    pub fn changes_blocking<C: BlockingClient + ?Sized>(
        self,
        client: &C,
    ) -> Result<crate::Delta<T>, Error> {
        crate::delta::fetch_delta_blocking(client, self.into_request()?)
    }

    /// [`changes_blocking`](Self::changes_blocking) with an async client.
    pub async fn changes<C: Client + ?Sized>(self, client: &C) -> Result<crate::Delta<T>, Error> {
        crate::delta::fetch_delta(client, self.into_request()?).await
    }

    /// This call sent to a stored delta link instead: the link carries the query; the
    /// call's headers are kept and so are its custom query parameters the link lacks (as
    /// for next links).
    pub fn resume(self, link: &crate::DeltaLink) -> Self {
        let version = self.version;
        let request = match self.to_request() {
            Ok(r) => r,
            Err(_) => return self,
        };
        let page = Page::<()> {
            next_link: Some(link.as_str().to_owned()),
            ..Page::default()
        };
        match page.next_request(&request) {
            Ok(Some(r)) => Call::new(r, Query::default(), version),
            Ok(None) => self,
            Err(e) => Call {
                error: Some(e),
                ..self
            },
        }
    }
}

#[cfg(feature = "stream")]
impl<T: DeserializeOwned + Send> Call<Many<T>> {
    /// Every page as a `Stream`, following next links, with an async
    /// client (feature `stream`); pages are requested as the stream is
    /// polled.
    pub fn page_stream<'c, C: Client + Sync + ?Sized>(
        self,
        client: &'c C,
    ) -> Result<crate::stream::PageStream<'c, C, T>, Error>
    where
        T: 'c,
    {
        Ok(crate::stream::page_stream(client, self.into_request()?))
    }

    /// Every item across all pages as a `Stream`, with an async client
    /// (feature `stream`).
    pub fn item_stream<'c, C: Client + Sync + ?Sized>(
        self,
        client: &'c C,
    ) -> Result<crate::stream::ItemStream<'c, C, T>, Error>
    where
        T: 'c,
    {
        Ok(crate::stream::item_stream(client, self.into_request()?))
    }
}

/// `Self` is the type `T` or derives from it: a value of `Self` can be
/// written where a `T` is expected, and a cast from `T` to `Self` is valid.
/// Generated crates implement it for every derived entity type and each of
/// its base types.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not `{T}` nor derived from it",
    label = "something of `{Self}` (or of a base type of it) is expected here"
)]
pub trait IsA<T: ?Sized> {}

impl<T: ?Sized> IsA<T> for T {}

/// A builder of some resource: a typed wrapper around a [`Path`].
pub trait Resource: Sized {
    /// The builder of the resource at `path` (no check that the path fits).
    fn from_path(path: Path) -> Self;
    /// The path of the resource.
    fn path(&self) -> &Path;
    /// The absolute URL of the resource, without query options.
    fn url(&self) -> String {
        self.path().url()
    }
}

/// A builder that is nothing but a [`Path`]: [`Resource`] comes with it, with no code per
/// builder (generated crates have thousands of builders; two trivial functions each cost the
/// compiler more than the one empty impl of this trait).
///
/// # Safety
///
/// `Self` must be a `#[repr(transparent)]` struct whose only non-zero-sized field is a [`Path`],
/// and any value of that field must be a valid `Self`.
pub unsafe trait PathBuilder {}

impl<T: PathBuilder> Resource for T {
    #[inline]
    fn from_path(path: Path) -> Self {
        let path = std::mem::ManuallyDrop::new(path);
        // SAFETY: `T` has the layout of `Path` and accepts any of its values (the trait's
        // contract); the `Path` is moved into the result, not dropped here.
        unsafe { std::ptr::read(&*path as *const Path as *const T) }
    }

    #[inline]
    fn path(&self) -> &Path {
        // SAFETY: `T` has the layout of `Path` (the trait's contract).
        unsafe { &*(self as *const T as *const Path) }
    }
}

/// A builder of one entity (`users('a')`, `me`, `users('a')/manager`).
pub trait EntityResource: Resource {
    /// The declared entity type (what is written).
    type Entity: Structured;
    /// What reading gives: the entity type, or for a type with derived types
    /// its `Any{Name}` enum.
    type Value: DeserializeOwned;

    /// `GET` the entity.
    fn get(&self) -> Get<Self> {
        Get {
            call: self.path().call(Method::Get),
            _r: PhantomData,
        }
    }

    /// `PATCH` (V2: `MERGE`) the entity with what `patch` changes.
    ///
    /// For a value read from the service (or deserialized), that is the
    /// properties changed since it was read: set, changed, or cleared
    /// (`None` now, or [`Structured::set_null`]). For a value built by hand,
    /// every property that is set or marked `null`. Never read-only,
    /// immutable or navigation properties, and no annotations but the type
    /// tag (sent when `patch` is of a derived type) and `…@odata.bind`.
    ///
    /// When `patch` carries an entity tag (it was read with `@odata.etag`,
    /// V2 `__metadata.etag` or an `ETag` header), `If-Match` is set to it: a
    /// change made by someone else since is answered `412 Precondition
    /// Failed` instead of being overwritten. Replace it with
    /// [`Call::if_match`] (`"*"` to update whatever the version).
    ///
    /// The outcome carries the entity's new tag: `updated.apply_to(&mut
    /// patch)` after sending, before changing and updating `patch` again.
    fn update<B: Structured + IsA<Self::Entity>>(&self, patch: &B) -> Call<Updated> {
        let method = match self.path().version() {
            Version::V2 => Method::Merge,
            Version::V3 | Version::V4 => Method::Patch,
        };
        let call =
            write_body::<_, Self::Entity, _>(self.path().call(method), patch, Purpose::Update);
        with_etag(call, patch)
    }

    /// `PUT` the entity: replaces it with `value`: every property that is
    /// set or marked `null` (properties left `None` get their defaults on
    /// the service), without read-only, immutable and navigation
    /// properties. `If-Match` and the outcome as for [`update`](Self::update).
    fn replace<B: Structured + IsA<Self::Entity>>(&self, value: &B) -> Call<Updated> {
        let call = write_body::<_, Self::Entity, _>(
            self.path().call(Method::Put),
            value,
            Purpose::Replace,
        );
        with_etag(call, value)
    }

    /// `DELETE` the entity (or, for a single-valued navigation property,
    /// the entity it points to), whatever its version. A service that
    /// requires optimistic concurrency answers `428 Precondition Required`:
    /// use [`delete_entity`](Self::delete_entity), or `.if_match("*")`.
    fn delete(&self) -> Call<NoContent> {
        self.path().call(Method::Delete)
    }

    /// `DELETE` the entity as it was read: `If-Match` is set to the entity
    /// tag `read` carries (if any), so a version changed by someone else
    /// since is answered `412 Precondition Failed` and not deleted.
    fn delete_entity<B: Structured + IsA<Self::Entity>>(&self, read: &B) -> Call<NoContent> {
        with_etag(self.path().call(Method::Delete), read)
    }

    /// A type cast to a derived type (`directoryObjects('a')/microsoft.graph.user`):
    /// `item.cast::<UserItem>()`.
    fn cast<D>(&self) -> D
    where
        D: EntityResource,
        D::Entity: IsA<Self::Entity>,
    {
        D::from_path(self.path().segment(<D::Entity as Structured>::INFO.name))
    }

    /// The reference to this entity (`…/manager/$ref`, V2/V3
    /// `…/$links/manager`): read, set or delete a single-valued link.
    fn reference(&self) -> Reference {
        Reference::of(self.path())
    }
}

/// A builder of a collection of entities (`users`, `users('a')/memberOf`).
pub trait CollectionResource: Resource {
    /// The builder of one member.
    type Item: EntityResource;

    /// `GET` a page of the collection; see [`List`] for query options and
    /// paging.
    fn list(&self) -> List<Self> {
        List {
            call: self.path().call(Method::Get),
            _r: PhantomData,
        }
    }

    /// `POST` a new entity and read the created entity back. `value` may be
    /// of a derived type (its type tag is sent). Read-only properties (the
    /// service sets them) are not written, in nested values neither.
    fn create<B>(&self, value: &B) -> Call<One<ValueOf2<Self>>>
    where
        B: Structured + IsA<<Self::Item as EntityResource>::Entity>,
    {
        write_body::<_, <Self::Item as EntityResource>::Entity, _>(
            self.path().call(Method::Post),
            value,
            Purpose::Create,
        )
    }

    /// Like [`create`](Self::create), but writes every property that is set,
    /// read-only ones included: for a service that takes a client-assigned
    /// key its documentation calls read-only.
    fn create_as_is<B>(&self, value: &B) -> Call<One<ValueOf2<Self>>>
    where
        B: Structured + IsA<<Self::Item as EntityResource>::Entity>,
    {
        write_body::<_, <Self::Item as EntityResource>::Entity, _>(
            self.path().call(Method::Post),
            value,
            Purpose::Data,
        )
    }

    /// The number of entities (`…/$count`), as plain text.
    fn count(&self) -> Call<Count> {
        self.path()
            .segment("$count")
            .call(Method::Get)
            .header("Accept", "text/plain")
    }

    /// A type cast to a derived type (`directoryObjects/microsoft.graph.user`):
    /// `set.cast::<UserCollection>()`.
    fn cast<D>(&self) -> D
    where
        D: CollectionResource,
        <D::Item as EntityResource>::Entity: IsA<<Self::Item as EntityResource>::Entity>,
    {
        let name = <<D::Item as EntityResource>::Entity as Structured>::INFO.name;
        D::from_path(self.path().segment(name))
    }

    /// The references of a collection-valued navigation property
    /// (`…/memberOf/$ref`, V2/V3 `…/$links/memberOf`): list, add and remove
    /// links.
    fn references(&self) -> References {
        References::of(self.path())
    }
}

/// The value type a collection's members read as.
pub type ValueOf2<C> = <<C as CollectionResource>::Item as EntityResource>::Value;

/// A create or update body: read-only properties (and, for updates, immutable ones) are left
/// out, in nested values too.
fn write_body<O: Outcome, E: Structured, B: Structured>(
    call: Call<O>,
    body: &B,
    purpose: Purpose,
) -> Call<O> {
    // A value of a derived type carries its type tag, so the service knows what it gets.
    struct Body<'a, B, E>(&'a B, PhantomData<E>);
    impl<B: Structured, E: Structured> Serialize for Body<'_, B, E> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            if B::INFO.name == E::INFO.name {
                ser_struct(self.0, s)
            } else {
                ser_tagged(self.0, s)
            }
        }
    }
    with_purpose(purpose, || call.json_body(&Body::<B, E>(body, PhantomData)))
}

/// `If-Match` set to the entity tag of `value`, when it has one.
fn with_etag<O: Outcome, B: Structured>(call: Call<O>, value: &B) -> Call<O> {
    match value.extra().etag() {
        Some(etag) => call.if_match(etag),
        None => call,
    }
}

/// A `GET` of one entity, with typed `$select` and `$expand`.
#[must_use = "a call does nothing until it is sent"]
pub struct Get<R: EntityResource> {
    call: Call<One<R::Value>>,
    _r: PhantomData<fn() -> R>,
}

impl<R: EntityResource> Get<R> {
    /// Adds properties to `$select`: property constants of the entity type or a base type,
    /// one or several in a tuple (`.select((User::ID, User::DISPLAY_NAME))`, see [`Select`]).
    pub fn select(mut self, properties: impl Select<R::Entity>) -> Self {
        self.call = add_items(self.call, select_items(properties), Query::select);
        self
    }

    /// Adds navigation properties to `$expand`: navigation property constants of the entity
    /// type or a base type, one or several in a tuple (`.expand((User::MANAGER,
    /// User::MEMBER_OF))`, see [`ExpandList`]).
    pub fn expand(mut self, navigations: impl ExpandList<R::Entity>) -> Self {
        self.call = add_items(self.call, expand_items(navigations), Query::expand);
        self
    }

    /// Adds a navigation property to `$expand` with nested options, typed
    /// by the entity type it points to:
    /// `.expand_with(User::MANAGER, |e| e.select(DirectoryObject::ID))`
    /// is `$expand=manager($select=id)`. See [`Expand`] (V2/V3: nested
    /// expansion and `select` only, as paths: `$select=*,manager/id&$expand=manager`).
    pub fn expand_with<B, N: Expandable>(
        mut self,
        navigation: Prop<B, N>,
        options: impl FnOnce(Expand<N::Target>) -> Expand<N::Target>,
    ) -> Self
    where
        R::Entity: IsA<B>,
    {
        self.call = expand_call(self.call, navigation, options);
        self
    }

    /// Changes the query options directly (`$select` of a derived type's
    /// property `ns.type/name`).
    pub fn map(mut self, f: impl FnOnce(Query) -> Query) -> Self {
        self.call = self.call.map_query(f);
        self
    }

    /// Sets a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.call = self.call.header(name, value);
        self
    }

    /// Sets `If-None-Match`.
    pub fn if_none_match(self, etag: &str) -> Self {
        self.header("If-None-Match", etag)
    }

    /// The call, to send or to change further.
    pub fn call(self) -> Call<One<R::Value>> {
        self.call
    }

    /// The request as it will be sent.
    pub fn to_request(&self) -> Result<Request, Error> {
        self.call.to_request()
    }

    /// Sends the request with an asynchronous client.
    pub async fn send<C: Client + ?Sized>(self, client: &C) -> Result<R::Value, Error> {
        self.call.send(client).await
    }

    /// Sends the request with a blocking client.
    pub fn send_blocking<C: BlockingClient + ?Sized>(self, client: &C) -> Result<R::Value, Error> {
        self.call.send_blocking(client)
    }
}

/// A `GET` of a collection, with typed `$select`, `$expand` and `$orderby`,
/// `$filter`, `$search`, `$top`, `$skip` and `$count`.
#[must_use = "a call does nothing until it is sent"]
pub struct List<R: CollectionResource> {
    call: Call<Many<ValueOf2<R>>>,
    _r: PhantomData<fn() -> R>,
}

type EntityOf<R> = <<R as CollectionResource>::Item as EntityResource>::Entity;

/// `call` with `items` added to its query by `add` (`$select`, `$expand`), or with the
/// error that kept them out (an expression where a property belongs, nested options in V2/V3):
/// the request then fails before it is sent.
fn add_items<O>(
    mut call: Call<O>,
    items: Result<Vec<String>, String>,
    add: impl FnOnce(Query, Vec<String>) -> Query,
) -> Call<O> {
    match items {
        Ok(items) => call.query = add(std::mem::take(&mut call.query), items),
        Err(e) => call.error = call.error.or(Some(Error::Url(e))),
    }
    call
}

/// `call` with `navigation` and its options added to `$expand`.
fn expand_call<O, B, N: Expandable>(
    mut call: Call<O>,
    navigation: Prop<B, N>,
    options: impl FnOnce(Expand<N::Target>) -> Expand<N::Target>,
) -> Call<O> {
    match options(Expand::new(call.version)).expansion(&navigation.expr()) {
        Ok((items, selects)) => {
            let query = std::mem::take(&mut call.query);
            call.query = query.expand(items).select_below(selects);
            call
        }
        Err(e) => add_items(call, Err(e), Query::expand),
    }
}

impl<R: CollectionResource> List<R> {
    /// Adds properties to `$select`: property constants of the entity type or a base type,
    /// one or several in a tuple (`.select((User::ID, User::DISPLAY_NAME))`, see [`Select`]).
    pub fn select(mut self, properties: impl Select<EntityOf<R>>) -> Self {
        self.call = add_items(self.call, select_items(properties), Query::select);
        self
    }

    /// Adds navigation properties to `$expand`: navigation property constants of the entity
    /// type or a base type, one or several in a tuple (`.expand((User::MANAGER,
    /// User::MEMBER_OF))`, see [`ExpandList`]).
    pub fn expand(mut self, navigations: impl ExpandList<EntityOf<R>>) -> Self {
        self.call = add_items(self.call, expand_items(navigations), Query::expand);
        self
    }

    /// Adds a navigation property to `$expand` with nested options, typed
    /// by the entity type it points to:
    /// `.expand_with(User::MEMBER_OF, |e| e.select(DirectoryObject::ID).top(5))`
    /// is `$expand=memberOf($select=id;$top=5)`. See [`Expand`] (V2/V3:
    /// nested expansion and `select` only, as paths).
    pub fn expand_with<B, N: Expandable>(
        mut self,
        navigation: Prop<B, N>,
        options: impl FnOnce(Expand<N::Target>) -> Expand<N::Target>,
    ) -> Self
    where
        EntityOf<R>: IsA<B>,
    {
        self.call = expand_call(self.call, navigation, options);
        self
    }

    /// Sets `$filter`: a [`Filter`] built from the typed properties of the
    /// entity type (`User::DISPLAY_NAME.startswith("A")`) or of a base
    /// type, or text used as it is (`"startswith(displayName,'A')"`).
    pub fn filter(self, expr: impl IntoFilter<EntityOf<R>>) -> Self {
        let version = self.call.version();
        let expr = expr.into_filter();
        self.map(|q| q.filter(expr.text(version)))
    }

    /// Sets `$search`.
    pub fn search(self, expr: impl Into<String>) -> Self {
        let expr = expr.into();
        self.map(|q| q.search(expr))
    }

    /// Adds an ascending `$orderby` item: a typed property
    /// (`User::DISPLAY_NAME`, nested `User::ADDRESS.then(Address::CITY)`,
    /// `User::MAIL.tolower()`).
    pub fn orderby(self, key: impl OrderKey<EntityOf<R>>) -> Self {
        self.map(|q| q.orderby([key.order_expr()]))
    }

    /// Adds a descending `$orderby` item.
    pub fn orderby_desc(self, key: impl OrderKey<EntityOf<R>>) -> Self {
        self.map(|q| q.orderby([format!("{} desc", key.order_expr())]))
    }

    /// Sets `$top`.
    pub fn top(self, n: u64) -> Self {
        self.map(|q| q.top(n))
    }

    /// Sets `$skip`.
    pub fn skip(self, n: u64) -> Self {
        self.map(|q| q.skip(n))
    }

    /// Asks for the total count with the page (`$count=true`, V2/V3
    /// `$inlinecount=allpages`): see [`Page::count`].
    pub fn with_count(self) -> Self {
        self.map(|q| q.count(true))
    }

    /// Asks the service for pages of at most `n` items (`Prefer:
    /// odata.maxpagesize`, V4).
    pub fn max_page_size(self, n: u32) -> Self {
        self.header("Prefer", format!("odata.maxpagesize={n}"))
    }

    /// Changes the query options directly.
    pub fn map(mut self, f: impl FnOnce(Query) -> Query) -> Self {
        self.call = self.call.map_query(f);
        self
    }

    /// Sets a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.call = self.call.header(name, value);
        self
    }

    /// The call, to send or to change further.
    pub fn call(self) -> Call<Many<ValueOf2<R>>> {
        self.call
    }

    /// The request as it will be sent.
    pub fn to_request(&self) -> Result<Request, Error> {
        self.call.to_request()
    }

    /// Sends the request for the first page with an asynchronous client;
    /// [`Page::next_request`] gives the request for the next one.
    pub async fn send<C: Client + ?Sized>(self, client: &C) -> Result<Page<ValueOf2<R>>, Error> {
        self.call.send(client).await
    }

    /// Sends the request for the first page with a blocking client.
    pub fn send_blocking<C: BlockingClient + ?Sized>(
        self,
        client: &C,
    ) -> Result<Page<ValueOf2<R>>, Error> {
        self.call.send_blocking(client)
    }

    /// Every page, following next links, with a blocking client.
    pub fn pages<C: BlockingClient + ?Sized>(
        self,
        client: &C,
    ) -> Result<Pages<'_, C, ValueOf2<R>>, Error> {
        self.call.pages(client)
    }

    /// Every item across all pages, with a blocking client.
    pub fn items<C: BlockingClient + ?Sized>(
        self,
        client: &C,
    ) -> Result<Items<'_, C, ValueOf2<R>>, Error> {
        self.call.items(client)
    }

    /// Every page as a `Stream`, with an async client (feature `stream`).
    #[cfg(feature = "stream")]
    pub fn page_stream<'c, C: Client + Sync + ?Sized>(
        self,
        client: &'c C,
    ) -> Result<crate::stream::PageStream<'c, C, ValueOf2<R>>, Error>
    where
        ValueOf2<R>: Send + 'c,
    {
        self.call.page_stream(client)
    }

    /// Every item across all pages as a `Stream`, with an async client
    /// (feature `stream`): `while let Some(user) = stream.next().await`.
    #[cfg(feature = "stream")]
    pub fn item_stream<'c, C: Client + Sync + ?Sized>(
        self,
        client: &'c C,
    ) -> Result<crate::stream::ItemStream<'c, C, ValueOf2<R>>, Error>
    where
        ValueOf2<R>: Send + 'c,
    {
        self.call.item_stream(client)
    }
}

/// The body that names an entity in reference requests: V4
/// `{"@odata.id": url}`, V3 `{"url": url}`, V2 `{"uri": url}`.
fn reference_body(version: Version, url: String) -> Value {
    let key = match version {
        Version::V4 => "@odata.id",
        Version::V3 => "url",
        Version::V2 => "uri",
    };
    let mut m = serde_json::Map::new();
    m.insert(key.to_owned(), Value::String(url));
    Value::Object(m)
}

/// A reference to an entity as a service returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityId(pub String);

impl<'de> Deserialize<'de> for EntityId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        ["@odata.id", "odata.id", "url", "uri"]
            .iter()
            .find_map(|k| v.get(k).and_then(Value::as_str))
            .map(|s| EntityId(s.to_owned()))
            .ok_or_else(|| serde::de::Error::custom("a reference without `@odata.id`/`url`/`uri`"))
    }
}

/// The single-valued reference `…/nav/$ref` (V2/V3 `…/$links/nav`).
#[derive(Clone, Debug)]
pub struct Reference {
    path: Path,
}

impl Reference {
    /// The reference of the single-valued navigation property whose path is `navigation`
    /// (`users('a')/manager` → `users('a')/$links/manager`, V4 `…/manager/$ref`): for a
    /// navigation property known by name only, without a target type to build
    /// [`EntityResource::reference`] from.
    pub fn of(navigation: &Path) -> Reference {
        Reference {
            path: navigation.references(),
        }
    }

    /// Reads the id (URL) of the entity the reference points to.
    pub fn get(&self) -> Call<One<EntityId>> {
        self.path.call(Method::Get)
    }

    /// Points the reference at `target` (`PUT`).
    pub fn set<T: EntityResource>(&self, target: &T) -> Call<NoContent> {
        self.set_url(&target.url())
    }

    /// Points the reference at the entity whose URL (id) is `url` (`PUT`), for a target
    /// without a typed builder: `url` is sent as written.
    pub fn set_url(&self, url: &str) -> Call<NoContent> {
        let body = reference_body(self.path.version(), url.to_owned());
        self.path.call(Method::Put).json_body(&body)
    }

    /// Removes the reference (`DELETE`).
    pub fn delete(&self) -> Call<NoContent> {
        self.path.call(Method::Delete)
    }
}

/// The references of a collection-valued navigation property.
#[derive(Clone, Debug)]
pub struct References {
    collection: Path,
}

impl References {
    /// The references of the collection-valued navigation property whose path is
    /// `navigation` (`users('a')/memberOf` → `users('a')/$links/memberOf`, V4
    /// `…/memberOf/$ref`): for a navigation property known by name only, without a target type
    /// to build [`CollectionResource::references`] from.
    pub fn of(navigation: &Path) -> References {
        References {
            collection: navigation.clone(),
        }
    }

    /// Reads a page of the ids (URLs) of the entities referenced.
    pub fn list(&self) -> Call<Many<EntityId>> {
        self.collection.references().call(Method::Get)
    }

    /// Adds a reference to `target` (`POST`).
    pub fn add<T: EntityResource>(&self, target: &T) -> Call<NoContent> {
        self.add_url(&target.url())
    }

    /// Adds a reference to the entity whose URL (id) is `url` (`POST`), for a target without a
    /// typed builder: `url` is sent as written.
    pub fn add_url(&self, url: &str) -> Call<NoContent> {
        let body = reference_body(self.collection.version(), url.to_owned());
        self.collection
            .references()
            .call(Method::Post)
            .json_body(&body)
    }

    /// Removes the reference to the member with key `key`: V2/V3
    /// `DELETE …/$links/nav(key)`, V4 `DELETE …/nav(key)/$ref`.
    pub fn remove_key(&self, key: &dyn Literal) -> Call<NoContent> {
        let key = [("", key)];
        match self.collection.version() {
            Version::V4 => self
                .collection
                .key(&key)
                .segment("$ref")
                .call(Method::Delete),
            Version::V2 | Version::V3 => {
                self.collection.references().key(&key).call(Method::Delete)
            }
        }
    }

    /// Removes the reference to `target`: V4 `DELETE …/nav/$ref?$id=url`,
    /// V2/V3 `DELETE …/$links/nav(key)` (the key of `target`'s path; a
    /// target addressed without a key, like `users('a')/manager`, gives an
    /// [`Error::Url`] when the call is sent).
    pub fn remove<T: EntityResource>(&self, target: &T) -> Call<NoContent> {
        match self.collection.version() {
            Version::V4 => self
                .collection
                .references()
                .call(Method::Delete)
                .param("$id", target.url()),
            Version::V2 | Version::V3 => {
                let mut p = self.collection.references();
                match key_predicate(target.path().path()) {
                    Some(key) => {
                        p.path.push_str(key);
                        p.call(Method::Delete)
                    }
                    None => {
                        let mut call = p.call(Method::Delete);
                        call.error = Some(Error::Url(format!(
                            "no key in `{}` to remove a link to",
                            target.url()
                        )));
                        call
                    }
                }
            }
        }
    }
}

/// The key predicate `(…)` of the entity a resource path addresses, for a
/// V2/V3 `…/$links/nav(key)`: that of the last segment, looking past type
/// casts (`directoryObjects('a')/ns.User` → `('a')`); `None` when the entity
/// is addressed without a key (`users('a')/manager`, a singleton). The
/// predicate starts at the segment's first `(`: a key value may contain
/// parentheses (`users('a(b)')`), a segment name cannot.
fn key_predicate(path: &str) -> Option<&str> {
    path.rsplit('/')
        .find_map(|segment| match segment.find('(') {
            Some(i) if segment.ends_with(')') => Some(Some(&segment[i..])),
            // A type cast (qualified name): the key is further left.
            _ if segment.contains('.') => None,
            _ => Some(None),
        })
        .flatten()
}

/// The media resource of an entity with a stream (`…/$value`) or a stream
/// property.
#[derive(Clone, Debug)]
pub struct Media {
    path: Path,
}

impl Media {
    /// The media resource at `path` (already ending in `$value` or the
    /// stream property's name).
    pub fn new(path: Path) -> Media {
        Media { path }
    }

    /// The path of the media resource.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Downloads the content.
    pub fn get(&self) -> Call<Bytes> {
        self.path.call(Method::Get).header("Accept", "*/*")
    }

    /// Uploads new content (`PUT`).
    pub fn put(&self, content_type: &str, bytes: Vec<u8>) -> Call<NoContent> {
        self.path.call(Method::Put).body(content_type, bytes)
    }
}

/// Arguments of an action, written as a JSON object body.
#[derive(Default)]
pub struct Args {
    map: serde_json::Map<String, Value>,
    error: Option<serde_json::Error>,
}

impl Args {
    /// No arguments.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an argument.
    pub fn arg<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        match serde_json::to_value(value) {
            Ok(v) => {
                self.map.insert(name.to_owned(), v);
            }
            Err(e) => self.error = Some(e),
        }
        self
    }

    /// Adds an argument that may be absent: left out of the body when
    /// `None` (a parameter left out is null to the service, and optional
    /// ones take their default).
    pub fn opt<T: Serialize>(self, name: &str, value: &Option<T>) -> Self {
        match value {
            Some(v) => self.arg(name, v),
            None => self,
        }
    }

    /// [`opt`](Self::opt) through a codec.
    pub fn opt_as<C: crate::codec::Codec>(self, name: &str, value: &Option<C::Value>) -> Self {
        match value {
            Some(v) => self.arg_as::<C>(name, v),
            None => self,
        }
    }

    /// Adds an argument written through a codec (Int64 and Decimal as
    /// strings in V2/V3, non-finite doubles).
    pub fn arg_as<C: crate::codec::Codec>(self, name: &str, value: &C::Value) -> Self {
        self.arg(name, &crate::codec::SerializeWith::<C>::new(value))
    }

    /// An action call: `POST` to `path` with the arguments as body.
    pub fn post<O: Outcome>(self, path: &Path) -> Call<O> {
        let call = path.call(Method::Post);
        match self.error {
            Some(e) => Call {
                error: Some(e.into()),
                ..call
            },
            None => call.json_body(&Value::Object(self.map)),
        }
    }
}

/// The traits generated builders are used through.
pub mod prelude {
    pub use super::{CollectionResource, EntityResource, Resource};
    pub use crate::structured::Structured;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structured::StructInfo;
    use Version::{V2, V3, V4};

    /// An entity type without properties, enough to drive the builders.
    #[derive(Default)]
    struct Thing {
        extra: crate::Extra,
    }

    unsafe impl Structured for Thing {
        const INFO: &'static StructInfo = &StructInfo {
            name: "ns.Thing",
            fields: &[],
            sorted: &[],
            open: false,
            version: V4,
            extra: ::core::mem::offset_of!(Self, extra),
            entity: false,
            read_only: &[],
            immutable: &[],
            navigation: &[],
        };
        unsafe fn field<O: crate::FieldOp>(
            _: *mut Self,
            _: usize,
            op: &mut O,
        ) -> Result<bool, O::Error> {
            op.unknown()
        }
    }

    struct ThingItem(Path);

    impl Resource for ThingItem {
        fn from_path(path: Path) -> Self {
            ThingItem(path)
        }
        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl EntityResource for ThingItem {
        type Entity = Thing;
        type Value = Value;
    }

    // `Resource` through `PathBuilder`, as generated builders have it (`ThingItem` implements
    // `Resource` itself: both kinds live side by side).
    #[repr(transparent)]
    struct Things(Path);

    unsafe impl PathBuilder for Things {}

    impl CollectionResource for Things {
        type Item = ThingItem;
    }

    /// The tag an update's outcome carries: the `ETag` header, else the entity's tag in the
    /// body as each version writes it; none from a `204` without the header or a body that
    /// is not JSON.
    #[test]
    fn an_update_outcome_reads_the_new_tag() {
        let read = |v: Version, headers: &[(&str, &str)], status: u16, body: &str| {
            let headers = headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            let response = Response::new(status, headers, body.as_bytes().to_vec());
            Updated::read(response, v).unwrap().etag
        };
        let tag = Some("W/\"2\"".to_string());
        assert_eq!(read(V4, &[("etag", "W/\"2\"")], 204, ""), tag);
        assert_eq!(read(V4, &[], 204, ""), None);
        assert_eq!(
            read(V4, &[], 200, r#"{"@odata.etag":"W/\"2\"","id":"a"}"#),
            tag
        );
        assert_eq!(
            read(V3, &[], 200, r#"{"odata.etag":"W/\"2\"","id":"a"}"#),
            tag
        );
        let v2 = r#"{"d":{"__metadata":{"uri":"u","etag":"W/\"2\""},"id":"a"}}"#;
        assert_eq!(read(V2, &[], 200, v2), tag);
        assert_eq!(read(V4, &[], 200, v2), None, "V2's place is not V4's");
        assert_eq!(
            read(
                V4,
                &[("ETag", "W/\"2\"")],
                200,
                r#"{"@odata.etag":"W/\"1\""}"#
            ),
            tag,
            "the header first"
        );
        assert_eq!(read(V4, &[], 200, "<ok/>"), None);
        assert_eq!(
            read(V4, &[], 200, r#"{"@etag":"W/\"2\""}"#),
            tag,
            "4.01 without `odata.`"
        );
    }

    /// Setting the tag replaces it where the value keeps it, else writes it where the
    /// version does.
    #[test]
    fn the_etag_is_set_where_the_value_keeps_it() {
        use serde_json::json;
        let mut e = crate::Extra::default();
        e.set_etag(V2, "W/1");
        assert_eq!(
            e.annotations,
            [("__metadata".into(), json!({"etag": "W/1"}))]
        );
        let mut e = crate::Extra::default();
        e.set_annotation("__metadata", json!({"uri": "u", "type": "ns.T"}));
        e.set_etag(V2, "W/1");
        assert_eq!(
            e.annotation("__metadata"),
            Some(&json!({"uri": "u", "type": "ns.T", "etag": "W/1"}))
        );
        e.set_etag(V2, "W/2");
        assert_eq!(e.etag(), Some("W/2"));
        for (v, key) in [(V3, "odata.etag"), (V4, "@odata.etag")] {
            let mut e = crate::Extra::default();
            e.set_etag(v, "W/1");
            assert_eq!(e.annotations, [(key.into(), json!("W/1"))]);
            // Read V3-style into a V4 value: replaced where it is.
            e.annotations = vec![("odata.etag".into(), json!("W/1"))];
            e.set_etag(v, "W/2");
            assert_eq!(e.annotations, [("odata.etag".into(), json!("W/2"))]);
        }
    }

    const ROOT: &str = "https://host/svc";

    fn root(version: Version) -> Path {
        Path::root(ROOT, version)
    }

    /// `things('a')/parts` with one more segment.
    fn nav(version: Version, name: &str) -> Path {
        root(version)
            .segment("things")
            .key(&[("id", &"a")])
            .segment(name)
    }

    fn url<O: Outcome>(call: Call<O>) -> String {
        let r = call.into_request().unwrap();
        format!("{} {}", r.method.as_str(), r.url)
    }

    #[test]
    fn path_builder_moves_the_path_in_and_lends_it_out() {
        let p = root(V4).segment("things");
        let shared = Arc::strong_count(&p.service);
        let things = Things::from_path(p.clone());
        assert_eq!(Arc::strong_count(&p.service), shared + 1);
        assert_eq!(things.path(), &p);
        assert_eq!(things.url(), "https://host/svc/things");
        assert_eq!(
            things.0.key(&[("id", &"b")]).url(),
            "https://host/svc/things('b')"
        );
        drop(things);
        assert_eq!(Arc::strong_count(&p.service), shared);
    }

    #[test]
    fn references_v4_ref_v3_links() {
        assert_eq!(
            nav(V4, "parts").references().url(),
            "https://host/svc/things('a')/parts/$ref"
        );
        assert_eq!(
            nav(V3, "parts").references().url(),
            "https://host/svc/things('a')/$links/parts"
        );
        assert_eq!(
            nav(V2, "owner").references().url(),
            "https://host/svc/things('a')/$links/owner"
        );
        // Deeper paths: `$links` goes before the last segment only.
        let deep = nav(V3, "parts").key(&[("id", &"p/1")]).segment("owner");
        assert_eq!(
            deep.references().url(),
            "https://host/svc/things('a')/parts('p%2F1')/$links/owner"
        );
        // Through the builders: single-valued and collection-valued.
        let item = ThingItem(nav(V3, "owner"));
        assert_eq!(
            url(item.reference().get()),
            "GET https://host/svc/things('a')/$links/owner"
        );
        assert_eq!(
            url(item.reference().delete()),
            "DELETE https://host/svc/things('a')/$links/owner"
        );
        let parts = Things(nav(V4, "parts"));
        assert_eq!(
            url(parts.references().list()),
            "GET https://host/svc/things('a')/parts/$ref"
        );
    }

    #[test]
    fn reference_bodies() {
        let target = ThingItem(root(V4).segment("things").key(&[("id", &"b")]));
        for (version, key) in [(V4, "@odata.id"), (V3, "url"), (V2, "uri")] {
            let r = Things(nav(version, "parts"))
                .references()
                .add(&target)
                .into_request()
                .unwrap();
            let body: Value = serde_json::from_slice(r.body.as_deref().unwrap()).unwrap();
            assert_eq!(
                body,
                serde_json::json!({ key: "https://host/svc/things('b')" })
            );
            assert_eq!(r.method, Method::Post);
        }
    }

    #[test]
    fn function_json_args_as_aliases() {
        let ids = serde_json::json!(["x", "y z"]);
        let p = root(V4).segment("things").function(
            "ns.pick",
            &[
                ("n", Arg::Literal(&3)),
                ("ids", Arg::Json(ids.clone())),
                ("name", Arg::Literal(&"O'Neil")),
                ("range", Arg::Json(serde_json::json!({"from": 1}))),
            ],
        );
        assert_eq!(
            p.url(),
            "https://host/svc/things/ns.pick(n=3,ids=@ids,name='O''Neil',range=@range)"
        );
        assert_eq!(
            url(p.call::<Raw>(Method::Get)),
            "GET https://host/svc/things/ns.pick(n=3,ids=@ids,name='O''Neil',range=@range)\
             ?@ids=%5B%22x%22,%22y%20z%22%5D&@range=%7B%22from%22:1%7D"
        );
        // Aliases come before the service-wide parameters, and query options before both.
        let p = Path::root(ROOT, V4)
            .with_param("api-version", "2")
            .function("ns.f", &[("v", Arg::Json(serde_json::json!(1)))]);
        let call: Call<Raw> = p.call(Method::Get).map_query(|q| q.top(1));
        assert_eq!(
            url(call),
            "GET https://host/svc/ns.f(v=@v)?$top=1&@v=1&api-version=2"
        );
        // No parameters: `()`.
        assert_eq!(
            root(V4).function("ns.f", &[]).url(),
            "https://host/svc/ns.f()"
        );
    }

    #[test]
    fn function_v3_parameters_in_query() {
        let p = root(V3).function(
            "GetThings",
            &[
                ("n", Arg::Literal(&3i64)),
                ("name", Arg::Literal(&"a b")),
                ("ids", Arg::Json(serde_json::json!(["x"]))),
            ],
        );
        assert_eq!(p.url(), "https://host/svc/GetThings");
        assert_eq!(
            url(p.call::<Raw>(Method::Get)),
            "GET https://host/svc/GetThings?n=3L&name='a%20b'&ids=%5B%22x%22%5D"
        );
    }

    #[test]
    fn references_remove() {
        let target = |version: Version, path: &str| {
            let mut p = root(version);
            p.path = path.to_owned();
            ThingItem(p)
        };
        let remove = |version: Version, path: &str| {
            Things(nav(version, "parts"))
                .references()
                .remove(&target(version, path))
                .into_request()
                .map(|r| format!("{} {}", r.method.as_str(), r.url))
        };
        // V4: the target's URL as `$id`.
        assert_eq!(
            remove(V4, "things('b')").unwrap(),
            "DELETE https://host/svc/things('a')/parts/$ref?$id=https://host/svc/things('b')"
        );
        // V3/V2: the key of the target after `$links/nav`.
        assert_eq!(
            remove(V3, "things('b')").unwrap(),
            "DELETE https://host/svc/things('a')/$links/parts('b')"
        );
        assert_eq!(
            remove(V2, "things(1)").unwrap(),
            "DELETE https://host/svc/things('a')/$links/parts(1)"
        );
        assert_eq!(
            remove(V3, "things(k=1,l='x')").unwrap(),
            "DELETE https://host/svc/things('a')/$links/parts(k=1,l='x')"
        );
        // Parentheses inside the key value, a key before a type cast, a deeper path.
        assert_eq!(
            remove(V3, "things('a(b)')").unwrap(),
            "DELETE https://host/svc/things('a')/$links/parts('a(b)')"
        );
        assert_eq!(
            remove(V3, "things('b')/ns.Thing").unwrap(),
            "DELETE https://host/svc/things('a')/$links/parts('b')"
        );
        assert_eq!(
            remove(V3, "things('a')/parts('c')").unwrap(),
            "DELETE https://host/svc/things('a')/$links/parts('c')"
        );
        // No key: an error, never `DELETE …/$links/parts`.
        for path in ["things('a')/owner", "me", ""] {
            match remove(V3, path) {
                Err(Error::Url(m)) => assert!(m.contains("no key"), "{m}"),
                other => panic!("{path}: {other:?}"),
            }
        }
    }

    /// Links of a navigation property known by name only: by URL or key, the same requests as
    /// the typed `reference()`/`references()` make.
    #[test]
    fn untyped_links_by_url_and_key() {
        let manager = Reference::of(&nav(V3, "manager"));
        assert_eq!(
            url(manager.get()),
            "GET https://host/svc/things('a')/$links/manager"
        );
        let target = ThingItem(root(V3).segment("things").key(&[("id", &"b")]));
        let by_url = manager
            .set_url("https://host/svc/things('b')")
            .into_request()
            .unwrap();
        let typed = manager.set(&target).into_request().unwrap();
        assert_eq!(
            (by_url.method, &by_url.url, &by_url.body),
            (typed.method, &typed.url, &typed.body)
        );
        assert_eq!(
            by_url.body.as_deref(),
            Some(&br#"{"url":"https://host/svc/things('b')"}"#[..])
        );
        assert_eq!(
            url(manager.delete()),
            "DELETE https://host/svc/things('a')/$links/manager"
        );

        for (version, list, remove) in [
            (
                V3,
                "GET https://host/svc/things('a')/$links/parts",
                "DELETE https://host/svc/things('a')/$links/parts('k%2F1')",
            ),
            (
                V4,
                "GET https://host/svc/things('a')/parts/$ref",
                "DELETE https://host/svc/things('a')/parts('k%2F1')/$ref",
            ),
        ] {
            let parts = References::of(&nav(version, "parts"));
            assert_eq!(url(parts.list()), list);
            assert_eq!(url(parts.remove_key(&"k/1")), remove);
            let added = parts.add_url("https://host/svc/things('b')");
            let typed = Things(nav(version, "parts")).references().add(&target);
            let (added, typed) = (added.into_request().unwrap(), typed.into_request().unwrap());
            assert_eq!((added.method, &added.url), (Method::Post, &typed.url));
            assert_eq!(added.body, typed.body);
        }
        // A numeric key keeps its literal form.
        assert_eq!(
            url(References::of(&nav(V3, "parts")).remove_key(&7i32)),
            "DELETE https://host/svc/things('a')/$links/parts(7)"
        );
    }
}
