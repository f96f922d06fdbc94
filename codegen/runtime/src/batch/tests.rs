use super::*;
use crate::resource::{Bytes, NoContent, One};
use std::sync::Mutex;

struct Res(Path);

impl Resource for Res {
    fn from_path(path: Path) -> Self {
        Res(path)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

fn root() -> Path {
    Path::root("http://h/svc/", Version::V4).with_header("Authorization", "Bearer t")
}

fn get(path: &str) -> Call<One<Value>> {
    root().segment(path).call(Method::Get)
}

/// A blocking client answering with a function of the request, recording them.
struct Mock<F> {
    answer: F,
    seen: Mutex<Vec<Request>>,
}

impl<F: Fn(&Request) -> Response> Mock<F> {
    fn new(answer: F) -> Self {
        Mock {
            answer,
            seen: Mutex::new(Vec::new()),
        }
    }
}

impl<F: Fn(&Request) -> Response> BlockingClient for Mock<F> {
    fn send(&self, request: Request) -> Result<Response, Error> {
        let r = (self.answer)(&request);
        self.seen.lock().unwrap().push(request);
        Ok(r)
    }
}

impl<F: Fn(&Request) -> Response + Sync> Client for Mock<F> {
    fn send(&self, request: Request) -> impl Future<Output = Result<Response, Error>> + Send {
        std::future::ready(BlockingClient::send(self, request))
    }
}

fn json_response(v: Value) -> Response {
    Response::new(
        200,
        vec![("Content-Type".into(), "application/json".into())],
        serde_json::to_vec(&v).unwrap(),
    )
}

#[test]
fn json_request_shape() {
    let mut b = Batch::json(&root());
    let a = b.add(get("Plants").param("$top", "2"));
    let set = b.change_set();
    let created = b.add_to(
        set,
        root()
            .segment("Plants")
            .call::<One<Value>>(Method::Post)
            .json_body(&serde_json::json!({"name": "x"})),
    );
    let other = b.add(get("Suppliers(1)"));
    let upd = b.add_to(
        set,
        created
            .resource::<Res>()
            .0
            .call::<NoContent>(Method::Patch)
            .json_body(&serde_json::json!({"stock": 2})),
    );
    b.depends_on(other.id(), a.id());
    let r = b.to_request().unwrap();
    assert_eq!(r.method, Method::Post);
    assert_eq!(r.url, "http://h/svc/$batch");
    assert_eq!(r.header("Authorization"), Some("Bearer t"));
    assert_eq!(r.header("Content-Type"), Some("application/json"));
    let v: Value = serde_json::from_slice(r.body.as_ref().unwrap()).unwrap();
    let reqs = v["requests"].as_array().unwrap();
    // The change set is written where its first request was.
    let ids: Vec<&str> = reqs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["1", "2", "4", "3"]);
    assert_eq!(reqs[0]["url"], "Plants?$top=2");
    assert_eq!(reqs[0]["method"], "GET");
    assert_eq!(reqs[0]["headers"]["accept"], "application/json");
    assert_eq!(reqs[1]["atomicityGroup"], "g1");
    assert_eq!(reqs[1]["body"], serde_json::json!({"name": "x"}));
    assert_eq!(reqs[2]["url"], "$2");
    assert_eq!(reqs[2]["method"], "PATCH");
    assert_eq!(reqs[2]["atomicityGroup"], "g1");
    assert_eq!(reqs[2]["dependsOn"], serde_json::json!(["2"]));
    assert_eq!(reqs[3]["dependsOn"], serde_json::json!(["1"]));
    assert_eq!(reqs[3]["url"], "Suppliers(1)");
    assert_eq!((created.reference(), upd.id().get()), ("$2".to_owned(), 4));
}

#[test]
fn json_results_per_request() {
    let mut b = Batch::json(&root());
    let a = b.add(get("A"));
    let gone = b.add(get("B"));
    let stale = b.add(root().segment("C").call::<NoContent>(Method::Delete));
    let media = b.add(root().segment("D").call::<Bytes>(Method::Get));
    let missing = b.add(get("E"));
    let bad = b.add(
        root()
            .segment("F")
            .call::<crate::resource::Count>(Method::Get),
    );
    let client = Mock::new(|_| {
        json_response(serde_json::json!({"responses": [
            {"id": "3", "status": 412, "headers": {"content-type": "application/json"},
             "body": {"error": {"code": "Stale", "message": "changed"}}},
            {"id": "1", "status": 200, "headers": {"content-type": "application/json", "ETag": "W/\"1\""},
             "body": {"name": "a"}},
            {"id": "2", "status": 404, "body": {"error": {"code": "NotFound", "message": "no B"}}},
            {"id": "4", "status": 200, "headers": {"Content-Type": "image/png"}, "body": "AAEC_w"},
            {"id": "6", "status": 200, "headers": {"Content-Type": "application/json"}, "body": [1]}
        ]}))
    });
    let r = b.send_blocking(&client).unwrap();
    assert_eq!(r.len(), 6);
    // An item of another batch is not read from this response.
    let other = Batch::json(&root()).add(get("A"));
    assert!(matches!(r.get(&other), Err(Error::Unexpected(_))));
    let v = r.get(&a).unwrap();
    assert_eq!(v["name"], "a");
    assert_eq!(v["@odata.etag"], "W/\"1\"", "the ETag header is kept");
    let e = r.get(&gone).unwrap_err();
    assert_eq!(e.status(), Some(404));
    assert_eq!(e.odata().unwrap().message, "no B");
    assert!(r.get(&stale).unwrap_err().is_precondition_failed());
    assert_eq!(r.get(&media).unwrap(), [0, 1, 2, 255]);
    assert!(matches!(r.get(&missing), Err(Error::Unexpected(_))));
    match r.get(&bad) {
        Err(Error::Decode(d)) => assert_eq!(d.url(), "http://h/svc/F"),
        other => panic!("{other:?}"),
    }

    // The batch itself failing is the error of `send`.
    let client = Mock::new(|_| {
        Response::new(
            400,
            vec![],
            br#"{"error":{"code":"x","message":"bad batch"}}"#.to_vec(),
        )
    });
    assert_eq!(b.send_blocking(&client).unwrap_err().status(), Some(400));
}

#[test]
fn base64url_round_trip() {
    for n in 0..20 {
        let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 250) as u8).collect();
        assert_eq!(base64url_decode(&base64url_encode(&bytes)).unwrap(), bytes);
    }
    assert_eq!(base64url_encode(b"\xfb\xff"), "-_8");
    assert_eq!(json_body_value("text/plain", b"hi"), Value::from("hi"));
}

#[test]
fn multipart_request_shape() {
    let v2 = Path::root("http://h/v2/svc", Version::V2);
    let mut b = Batch::multipart(&v2);
    b.add(v2.segment("Plants").call::<One<Value>>(Method::Get));
    let set = b.change_set();
    let c = b.add_to(
        set,
        v2.segment("Plants")
            .call::<One<Value>>(Method::Post)
            .json_body(&serde_json::json!({"name": "x\r\n--y"})),
    );
    b.add_to(
        set,
        c.resource::<Res>()
            .0
            .call::<NoContent>(Method::Merge)
            .json_body(&serde_json::json!({})),
    );
    let r = b.to_request().unwrap();
    let ct = r.header("Content-Type").unwrap().to_owned();
    let boundary = boundary_of(&ct).unwrap();
    assert!(ct.starts_with("multipart/mixed; boundary=batch_"));
    let body = String::from_utf8(r.body.unwrap()).unwrap();
    assert!(body.starts_with(&format!(
        "--{boundary}\r\nContent-Type: application/http\r\n"
    )));
    assert!(body.contains("\r\n\r\nGET Plants HTTP/1.1\r\nAccept: application/json\r\n"));
    assert!(body.contains("DataServiceVersion: 2.0\r\n"));
    assert!(body.contains(&format!(
        "Content-Type: multipart/mixed; boundary=changeset_{boundary}_1\r\n\r\n--changeset_"
    )));
    assert!(body.contains("Content-ID: 2\r\n\r\nPOST Plants HTTP/1.1\r\n"));
    assert!(body.contains("Content-ID: 3\r\n\r\nMERGE $2 HTTP/1.1\r\n"));
    assert!(body.contains("Content-Length: 19\r\n\r\n{\"name\":\"x\\r\\n--y\"}\r\n"));
    assert!(body.ends_with(&format!("--changeset_{boundary}_1--\r\n--{boundary}--\r\n")));
    // What we write, we read (the parts and their order).
    let parts = parse_multipart(body.as_bytes(), &boundary).unwrap();
    assert_eq!(parts.len(), 2);
    let inner = boundary_of(find_header(&parts[1].headers, "Content-Type").unwrap()).unwrap();
    let inner = parse_multipart(parts[1].body, &inner).unwrap();
    assert_eq!(find_header(&inner[1].headers, "Content-ID"), Some("3"));
    assert!(inner[1].body.starts_with(b"MERGE $2 HTTP/1.1\r\n"));
}

/// Service-wide parameters (`sap-client`, `api-version`) are on the `$batch` URL as on every other
/// request: SAP Gateway picks the client of the whole batch from it.
#[test]
fn the_batch_url_carries_the_service_parameters() {
    let v2 =
        Path::root("http://h/sap/opu/odata/sap/SRV", Version::V2).with_param("sap-client", "100");
    let mut b = Batch::multipart(&v2);
    b.add(v2.segment("Plants").call::<One<Value>>(Method::Get));
    let r = b.to_request().unwrap();
    assert_eq!(
        r.url,
        "http://h/sap/opu/odata/sap/SRV/$batch?sap-client=100"
    );
    let body = String::from_utf8(r.body.unwrap()).unwrap();
    assert!(
        body.contains("GET Plants?sap-client=100 HTTP/1.1\r\n"),
        "{body}"
    );
    let mut b = Batch::json(&root().with_param("api-version", "1.6"));
    b.add(get("A"));
    assert_eq!(
        b.to_request().unwrap().url,
        "http://h/svc/$batch?api-version=1.6"
    );
}

/// A multipart response as services write it: LF line ends here, the change
/// set's parts out of order (matched by Content-ID), a binary body.
#[test]
fn multipart_results() {
    let root = Path::root("http://h/svc", Version::V4);
    let mut b = Batch::multipart(&root);
    let a = b.add(root.segment("A").call::<One<Value>>(Method::Get));
    let bin = b.add(root.segment("B").call::<Bytes>(Method::Get));
    let set = b.change_set();
    let c1 = b.add_to(set, root.segment("C").call::<One<Value>>(Method::Post));
    let c2 = b.add_to(set, root.segment("D").call::<NoContent>(Method::Delete));
    let failed = b.change_set();
    let f1 = b.add_to(failed, root.segment("E").call::<NoContent>(Method::Delete));
    let f2 = b.add_to(failed, root.segment("F").call::<NoContent>(Method::Delete));
    // The delimiter inside a body whose length is declared does not end the part.
    let binary: &[u8] = b"\x00\xff\r\n--b1\r\n\r\nx\n";
    let mut body = Vec::new();
    body.extend_from_slice(
        b"preamble\n--b1\nContent-Type: application/http\n\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"x\":1}\n",
    );
    body.extend_from_slice(
        format!(
            "--b1\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n",
            binary.len()
        )
        .as_bytes(),
    );
    body.extend_from_slice(binary);
    body.extend_from_slice(b"\r\n");
    body.extend_from_slice(
        b"--b1\nContent-Type: multipart/mixed; boundary=\"cs\"\n\n\
--cs\nContent-Type: application/http\nContent-ID: 4\n\nHTTP/1.1 204 No Content\n\n\n\
--cs\nContent-Type: application/http\nContent-ID: 3\n\nHTTP/1.1 201 Created\nContent-Type: application/json\n\n{\"id\":3}\n\
--cs--\n\
--b1\nContent-Type: application/http\n\nHTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n{\"error\":{\"code\":\"E\",\"message\":\"no\"}}\n\
--b1--\nepilogue",
    );
    let client = Mock::new(move |_| {
        Response::new(
            202,
            vec![("Content-Type".into(), "multipart/mixed; boundary=b1".into())],
            body.clone(),
        )
    });
    let r = b.send_blocking(&client).unwrap();
    assert_eq!(r.get(&a).unwrap()["x"], 1);
    assert_eq!(r.get(&bin).unwrap(), binary);
    assert_eq!(r.get(&c1).unwrap()["id"], 3);
    assert_eq!(r.response(c1.id()).unwrap().status, 201);
    r.get(&c2).unwrap();
    for f in [f1, f2] {
        let e = r.get(&f).unwrap_err();
        assert_eq!(
            (e.status(), e.odata().unwrap().code.as_str()),
            (Some(400), "E")
        );
    }

    // A response that is not multipart.
    let client = Mock::new(|_| json_response(serde_json::json!({})));
    assert!(matches!(
        b.send_blocking(&client),
        Err(Error::Unexpected(_))
    ));
}

/// Answers a JSON batch: each request's `url` is `N` (the call's index);
/// `throttle` says which get a 429 the first time they are seen.
fn splitter_server(throttle: impl Fn(u32) -> bool) -> impl Fn(&Request) -> Response {
    let seen = Mutex::new(std::collections::HashSet::new());
    move |req: &Request| {
        let v: Value = serde_json::from_slice(req.body.as_ref().unwrap()).unwrap();
        let reqs = v["requests"].as_array().unwrap();
        let responses: Vec<Value> = reqs
            .iter()
            .rev() // any order
            .map(|r| {
                let n: u32 = r["url"].as_str().unwrap().parse().unwrap();
                let first = seen.lock().unwrap().insert(n);
                if first && throttle(n) {
                    serde_json::json!({"id": r["id"], "status": 429,
                        "headers": {"Retry-After": "0"}, "body": {"error": {"code": "TooMany", "message": "slow down"}}})
                } else {
                    serde_json::json!({"id": r["id"], "status": 200, "body": {"n": n}})
                }
            })
            .collect();
        json_response(serde_json::json!({"responses": responses}))
    }
}

#[test]
fn splitter_keeps_order_and_retries_throttled_items() {
    let root = root();
    let calls: Vec<Call<One<Value>>> = (0..45).map(|n| get(&n.to_string())).collect();
    let client = Mock::new(splitter_server(|n| n % 7 == 3));
    let splitter = BatchSplitter::json(&root).policy(RetryPolicy::new().base_delay(Duration::ZERO));
    let results = splitter.send_all_blocking(&client, calls).unwrap();
    assert_eq!(results.len(), 45);
    for (n, r) in results.iter().enumerate() {
        assert_eq!(r.as_ref().unwrap()["n"], n, "result {n}");
    }
    let seen = client.seen.lock().unwrap();
    let sizes: Vec<usize> = seen
        .iter()
        .map(|r| {
            let v: Value = serde_json::from_slice(r.body.as_ref().unwrap()).unwrap();
            v["requests"].as_array().unwrap().len()
        })
        .collect();
    // 45 = 20 + 20 + 5; then the 6 throttled ones again.
    assert_eq!(sizes, [20, 20, 5, 6]);

    // POST is not retried by default: its 429 is its result.
    let posts: Vec<Call<One<Value>>> = (0..3)
        .map(|n| root.segment(&n.to_string()).call(Method::Post))
        .collect();
    let client = Mock::new(splitter_server(|n| n == 1));
    let results = BatchSplitter::json(&root)
        .send_all_blocking(&client, posts)
        .unwrap();
    assert_eq!(results[1].as_ref().unwrap_err().status(), Some(429));
    assert!(results[0].is_ok() && results[2].is_ok());
    assert_eq!(client.seen.lock().unwrap().len(), 1);

    // Attempts run out: the last 429 is the result.
    let client = Mock::new(|req: &Request| {
        let v: Value = serde_json::from_slice(req.body.as_ref().unwrap()).unwrap();
        let responses: Vec<Value> = v["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| serde_json::json!({"id": r["id"], "status": 429, "headers": {"Retry-After": "0"}}))
            .collect();
        json_response(serde_json::json!({"responses": responses}))
    });
    let results = BatchSplitter::json(&root)
        .size(2)
        .policy(RetryPolicy::new().max_attempts(3))
        .send_all_blocking(&client, (0..3).map(|n| get(&n.to_string())).collect())
        .unwrap();
    assert!(
        results
            .iter()
            .all(|r| r.as_ref().unwrap_err().status() == Some(429))
    );
    assert_eq!(
        client.seen.lock().unwrap().len(),
        6,
        "2 batches × 3 attempts"
    );
}

/// A batch throttled as a whole: its GETs are sent again, its POST is not.
#[test]
fn splitter_retries_a_batch_throttled_as_a_whole() {
    let root = root();
    let first = std::sync::atomic::AtomicBool::new(true);
    let answer = splitter_server(|_| false);
    let client = Mock::new(move |req: &Request| {
        if first.swap(false, Ordering::Relaxed) {
            Response::new(
                429,
                vec![("Retry-After".into(), "0".into())],
                b"slow down".to_vec(),
            )
        } else {
            answer(req)
        }
    });
    let mut calls: Vec<Call<One<Value>>> = (0..3).map(|n| get(&n.to_string())).collect();
    calls.push(root.segment("3").call(Method::Post));
    let results = BatchSplitter::json(&root)
        .send_all_blocking(&client, calls)
        .unwrap();
    for (n, r) in results.iter().take(3).enumerate() {
        assert_eq!(r.as_ref().unwrap()["n"], n);
    }
    let e = results[3].as_ref().unwrap_err();
    assert_eq!(
        (e.status(), e.http().unwrap().text().as_str()),
        (Some(429), "slow down")
    );
    assert_eq!(client.seen.lock().unwrap().len(), 2);
    // Another status of the batch itself ends the run.
    let client = Mock::new(|_| Response::new(400, vec![], Vec::new()));
    let err = BatchSplitter::json(&root)
        .send_all_blocking(&client, vec![get("1")])
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
}

#[test]
fn async_send_and_splitter() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        let root = root();
        let client = Mock::new(splitter_server(|n| n == 0));
        let mut b = Batch::json(&root);
        let h = b.add(get("5"));
        let r = b.send(&client).await.unwrap();
        assert_eq!(r.get(&h).unwrap()["n"], 5);
        let results = BatchSplitter::json(&root)
            .size(3)
            .with_sleep(|_| std::future::ready(()))
            .send_all(&client, (0..7).map(|n| get(&n.to_string())).collect())
            .await
            .unwrap();
        let ns: Vec<u64> = results
            .iter()
            .map(|r| r.as_ref().unwrap()["n"].as_u64().unwrap())
            .collect();
        assert_eq!(ns, [0, 1, 2, 3, 4, 5, 6]);
        // The futures are `Send`: they can be spawned on a multi-threaded runtime.
        fn assert_send<T: Send>(_: &T) {}
        assert_send(&b.send(&client));
        let splitter = BatchSplitter::json(&root);
        assert_send(&splitter.send_all(&client, vec![get("1")]));
    });
}

/// Through `reqwest`'s async client over real HTTP (a canned multipart answer).
#[cfg(feature = "reqwest")]
#[test]
fn reqwest_async_multipart() {
    use crate::client::test_server::Server;
    let body = "--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"x\":1}\r\n--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\nContent-Type: application/http\r\nContent-ID: 2\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n\r\n--c--\r\n--b--\r\n";
    let server = Server::start(vec![(
        200,
        vec![("Content-Type", "multipart/mixed; boundary=b")],
        body.into(),
    )]);
    let root = Path::root(&format!("{}/svc", server.base), Version::V4);
    let mut b = Batch::multipart(&root);
    let a = b.add(root.segment("A").call::<One<Value>>(Method::Get));
    let set = b.change_set();
    let d = b.add_to(set, root.segment("B").call::<NoContent>(Method::Delete));
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let r = crate::client::block_on(b.send(&client)).unwrap();
    assert_eq!(r.get(&a).unwrap()["x"], 1);
    r.get(&d).unwrap();
    let seen = server.next();
    assert_eq!(
        (seen.method.as_str(), seen.target.as_str()),
        ("POST", "/svc/$batch")
    );
    assert!(
        seen.header("content-type")
            .unwrap()
            .starts_with("multipart/mixed; boundary=")
    );
    let text = String::from_utf8(seen.body).unwrap();
    assert!(text.contains("GET A HTTP/1.1\r\n") && text.contains("DELETE B HTTP/1.1\r\n"));
}
