//! Building and reading a 100-request `$batch` (JSON and multipart): `cargo bench -p
//! odata-runtime --bench batch`. Each request reads one entity with `$select`, every tenth is
//! a `POST` with a JSON body in a change set; each response is a ~300-byte entity.

use odata_runtime::resource::One;
use odata_runtime::{Batch, BatchFormat, BatchItem, Method, Path, Response, Version};
use serde_json::Value;

fn main() {
    divan::main();
}

const N: usize = 100;

fn root() -> Path {
    Path::root("https://host/odata/v4/nursery", Version::V4)
}

fn build(format: BatchFormat) -> (Batch, Vec<BatchItem<One<Value>>>) {
    let root = root();
    let mut b = Batch::new(format, &root);
    let set = b.change_set();
    let items = (0..N)
        .map(|i| {
            if i % 10 == 9 {
                let call = root
                    .segment("Plants")
                    .call::<One<Value>>(Method::Post)
                    .json_body(&serde_json::json!({"name": format!("plant {i}"), "price": 100, "stock": i}));
                b.add_to(set, call)
            } else {
                let call = root
                    .segment(&format!("Plants({i})"))
                    .call::<One<Value>>(Method::Get)
                    .param("$select", "ID,name,price,stock");
                b.add(call)
            }
        })
        .collect();
    (b, items)
}

fn entity(i: usize) -> String {
    format!(
        r#"{{"@odata.context":"$metadata#Plants/$entity","@odata.etag":"W/\"2024-03-15T08:00:00.000Z\"","ID":"3f1c0a52-6a0e-4d3b-9a57-0c1b2f0e{i:04}","name":"plant {i}","habit":"shrub","price":100,"stock":{i},"tags":["a","b"],"modifiedAt":"2024-03-15T08:00:00.000Z"}}"#
    )
}

/// The service's answer to `build(format)`, as CAP writes it.
fn answer(format: BatchFormat) -> Response {
    match format {
        BatchFormat::Json => {
            let responses: Vec<Value> = (0..N)
                .map(|i| {
                    serde_json::json!({"id": (i + 1).to_string(), "status": 200,
                        "headers": {"content-type": "application/json", "etag": "W/\"1\""},
                        "body": serde_json::from_str::<Value>(&entity(i)).unwrap()})
                })
                .collect();
            Response::new(
                200,
                vec![("Content-Type".into(), "application/json".into())],
                serde_json::to_vec(&serde_json::json!({ "responses": responses })).unwrap(),
            )
        }
        BatchFormat::Multipart => {
            let part = |i: usize, cid: bool| {
                let body = entity(i);
                format!(
                    "content-type: application/http\r\ncontent-transfer-encoding: binary\r\n{}\r\nHTTP/1.1 200 OK\r\nodata-version: 4.0\r\netag: W/\"1\"\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: {}\r\n\r\n{body}\r\n",
                    if cid {
                        format!("content-id: {}\r\n", i + 1)
                    } else {
                        String::new()
                    },
                    body.len()
                )
            };
            let mut out = String::new();
            for i in (0..N).filter(|i| i % 10 != 9) {
                out.push_str("--b\r\n");
                out.push_str(&part(i, false));
            }
            // The change set is written where its first request was: the 10th.
            let mut cs = String::from("--b\r\ncontent-type: multipart/mixed;boundary=cs\r\n\r\n");
            for i in (0..N).filter(|i| i % 10 == 9) {
                cs.push_str("--cs\r\n");
                cs.push_str(&part(i, true));
            }
            cs.push_str("--cs--\r\n");
            // Insert the change set after the 9th single part.
            let at = out
                .match_indices("--b\r\n")
                .nth(9)
                .map_or(out.len(), |(k, _)| k);
            out.insert_str(at, &cs);
            out.push_str("--b--\r\n");
            Response::new(
                200,
                vec![("Content-Type".into(), "multipart/mixed;boundary=b".into())],
                out.into_bytes(),
            )
        }
    }
}

const FORMATS: [BatchFormat; 2] = [BatchFormat::Json, BatchFormat::Multipart];

/// Adding 100 calls and writing the `$batch` request.
#[divan::bench(args = FORMATS)]
fn build_request(bencher: divan::Bencher, format: BatchFormat) {
    bencher.bench(|| {
        let (b, _) = build(divan::black_box(format));
        b.to_request().unwrap()
    });
}

/// Reading the 100 responses and each item's typed result.
#[divan::bench(args = FORMATS)]
fn read_response(bencher: divan::Bencher, format: BatchFormat) {
    let (b, items) = build(format);
    let response = answer(format);
    bencher.bench(|| {
        let r = b.read(divan::black_box(response.clone())).unwrap();
        items.iter().map(|h| r.get(h).unwrap()).collect::<Vec<_>>()
    });
}

/// Reading the 100 responses only (no typed results).
#[divan::bench(args = FORMATS)]
fn read_parts_only(bencher: divan::Bencher, format: BatchFormat) {
    let (b, _) = build(format);
    let response = answer(format);
    bencher.bench(|| b.read(divan::black_box(response.clone())).unwrap());
}

/// One typed result read from a plain response, 100 times: what the same reads cost without a
/// batch.
#[divan::bench]
fn typed_reads_without_batch(bencher: divan::Bencher) {
    use odata_runtime::resource::Outcome;
    let responses: Vec<Response> = (0..N)
        .map(|i| {
            Response::new(
                200,
                vec![("etag".into(), "W/\"1\"".into())],
                entity(i).into_bytes(),
            )
        })
        .collect();
    bencher.bench(|| {
        responses
            .iter()
            .map(|r| One::<Value>::read(r.clone(), Version::V4).unwrap())
            .collect::<Vec<_>>()
    });
}

/// Both: what a 100-request batch costs on the client besides the round trip.
#[divan::bench(args = FORMATS)]
fn build_and_read(bencher: divan::Bencher, format: BatchFormat) {
    let response = answer(format);
    bencher.bench(|| {
        let (b, items) = build(divan::black_box(format));
        let _ = b.to_request().unwrap();
        let r = b.read(response.clone()).unwrap();
        items.iter().map(|h| r.get(h).unwrap()).collect::<Vec<_>>()
    });
}
