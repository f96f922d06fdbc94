//! `$batch` against CAP through the generated clients: V4 JSON batch, V4 multipart and V2
//! multipart (the V2 adapter), each with reads, a change set whose second request addresses
//! the first one's result (`$<id>`), per-request errors, and the splitter.
//!
//! The same rules as `v4.rs`: only rows a test creates are changed; created plants cost 100 or
//! more.

use odata_cap_tests::v4::nursery_service::requests::{EntityContainer, PlantsItem};
use odata_cap_tests::v4::nursery_service::{Plants, Suppliers};
use odata_cap_tests::{Server, http_client, shared, v2};
use odata_runtime::prelude::*;
use odata_runtime::{Batch, BatchFormat, BatchSplitter, Decimal, Error, Guid};

const ROWAN: &str = "3f1c0a52-6a0e-4d3b-9a57-0c1b2f0e7a01";
const LAVENDER: &str = "3f1c0a52-6a0e-4d3b-9a57-0c1b2f0e7a02";
const NOBODY: &str = "00000000-0000-4000-8000-000000000000";

struct Api {
    server: &'static Server,
    client: reqwest::blocking::Client,
    svc: EntityContainer,
}

impl Api {
    fn start() -> Option<Api> {
        let server = shared()?;
        Some(Api {
            server,
            client: http_client(),
            svc: EntityContainer::new(&server.v4_url()),
        })
    }

    /// Panics with the server log when a call fails.
    fn ok<T>(&self, what: &str, r: Result<T, Error>) -> T {
        r.unwrap_or_else(|e| panic!("{what}: {e:?}\n--- server log ---\n{}", self.server.log()))
    }

    fn plant(&self, id: &str) -> PlantsItem {
        self.svc.plants().by_key(guid(id))
    }
}

fn guid(s: &str) -> Guid {
    s.parse().unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn new_plant(name: &str) -> Plants {
    Plants {
        name: Some(name.into()),
        price: Some(dec("100.00")),
        stock: Some(1),
        ..Default::default()
    }
}

/// Reads, a missing entity, `$count`, and a change set creating a plant and updating it
/// through `$<id>`; then reads the plant back outside the batch.
fn v4_batch(format: BatchFormat, name: &str) {
    let Some(api) = Api::start() else { return };
    let mut b = Batch::new(format, api.svc.path()).continue_on_error();
    let rowan = b.add(api.plant(ROWAN).get().select(Plants::NAME).call());
    let cheap = b.add(
        api.svc
            .plants()
            .list()
            .filter(Plants::PRICE.lt(dec("20")))
            .orderby(Plants::NAME)
            .call(),
    );
    let missing = b.add(api.plant(NOBODY).get().call());
    let count = b.add(api.svc.suppliers().count());
    let set = b.change_set();
    let created = b.add_to(set, api.svc.plants().create(&new_plant(name)));
    let patch = Plants {
        stock: Some(7),
        ..Default::default()
    };
    let updated = b.add_to(
        set,
        created
            .resource::<PlantsItem>()
            .update(&patch)
            .if_match("*"),
    );
    let r = api.ok("batch", b.send_blocking(&api.client));

    assert_eq!(
        api.ok("rowan", r.get(&rowan)).name.as_deref(),
        Some("Rowan")
    );
    let cheap = api.ok("cheap", r.get(&cheap));
    assert_eq!(cheap.value.len(), 3, "{cheap:?}");
    let e = r.get(&missing).unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    assert!(e.odata().is_some(), "{e:?}");
    assert!(api.ok("count", r.get(&count)) >= 2);
    let created = api.ok("created", r.get(&created));
    api.ok("updated", r.get(&updated));

    let id = created.id.expect("the created plant's ID");
    let read = api.ok(
        "read back",
        api.svc.plants().by_key(id).get().send_blocking(&api.client),
    );
    assert_eq!(read.name.as_deref(), Some(name));
    assert_eq!(read.stock, Some(7), "the update through $<id> applied");
}

#[test]
fn v4_json_batch() {
    v4_batch(BatchFormat::Json, "Batch fern (JSON)");
}

#[test]
fn v4_multipart_batch() {
    v4_batch(BatchFormat::Multipart, "Batch fern (multipart)");
}

/// A change set that fails rolls back as a whole: every request in it reports the error,
/// and requests outside it still succeed.
fn failing_change_set(format: BatchFormat, id: i32) {
    let Some(api) = Api::start() else { return };
    let supplier = |name: &str| Suppliers {
        id: Some(id),
        name: Some(name.into()),
        city: Some("Batchtown".into()),
        ..Default::default()
    };
    let mut b = Batch::new(format, api.svc.path()).continue_on_error();
    let set = b.change_set();
    let first = b.add_to(set, api.svc.suppliers().create(&supplier("first")));
    // The same key again: the change set fails.
    let again = b.add_to(set, api.svc.suppliers().create(&supplier("again")));
    let read = b.add(api.plant(LAVENDER).get().call());
    let r = api.ok("batch", b.send_blocking(&api.client));
    let e = r.get(&again).unwrap_err();
    // CAP answers 500 for the duplicate key (an SQLite constraint).
    assert!(e.status().is_some(), "{e:?}");
    if format == BatchFormat::Multipart {
        // One response for the failed change set, given to each of its requests.
        assert_eq!(r.get(&first).unwrap_err().status(), e.status());
    } else {
        // CAP answers each request of the failed atomicity group on its own (`first` 201,
        // though rolled back); the batch reports what the service said.
        assert!(r.response(first.id()).is_some());
    }
    assert_eq!(
        api.ok("read", r.get(&read)).name.as_deref(),
        Some("Lavender")
    );
    // Nothing was created.
    let e = api
        .svc
        .suppliers()
        .by_key(id)
        .get()
        .send_blocking(&api.client)
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
}

#[test]
fn v4_json_failing_change_set() {
    failing_change_set(BatchFormat::Json, 9101);
}

#[test]
fn v4_multipart_failing_change_set() {
    failing_change_set(BatchFormat::Multipart, 9102);
}

/// An update with a stale entity tag inside a batch is answered 412, read as such.
#[test]
fn v4_precondition_failed_in_a_batch() {
    let Some(api) = Api::start() else { return };
    let plant = api.ok(
        "create",
        api.svc
            .plants()
            .create(&new_plant("Batch stale"))
            .send_blocking(&api.client),
    );
    let item = api.svc.plants().by_key(plant.id.unwrap());
    let mut b = Batch::json(api.svc.path());
    let stale = b.add(
        item.update(&Plants {
            stock: Some(3),
            ..Default::default()
        })
        .if_match("W/\"1999-01-01T00:00:00.000Z\""),
    );
    let r = api.ok("batch", b.send_blocking(&api.client));
    let e = r.get(&stale).unwrap_err();
    assert!(e.is_precondition_failed(), "{e:?}");
}

/// 45 reads as JSON batches of 20: the results come back in order.
#[test]
fn v4_splitter_keeps_order() {
    let Some(api) = Api::start() else { return };
    let ids = [ROWAN, LAVENDER];
    let calls = (0..45)
        .map(|i| api.plant(ids[i % 2]).get().select(Plants::NAME).call())
        .collect();
    let results = api.ok(
        "send_all",
        BatchSplitter::json(api.svc.path()).send_all_blocking(&api.client, calls),
    );
    assert_eq!(results.len(), 45);
    for (i, r) in results.into_iter().enumerate() {
        let name = api.ok("result", r).name;
        let want = if i % 2 == 0 { "Rowan" } else { "Lavender" };
        assert_eq!(name.as_deref(), Some(want), "result {i}");
    }
}

/// V2 (the adapter) answers multipart batches: reads in verbose JSON, a change set creating a
/// plant and merging into it through `$<Content-ID>`.
#[test]
fn v2_multipart_batch() {
    use v2::nursery_service::Plants as Plants2;
    use v2::nursery_service::requests::{EntityContainer as V2, PlantsItem as PlantsItem2};
    let Some(api) = Api::start() else { return };
    let svc = V2::new(&api.server.v2_url());
    let mut b = Batch::multipart(svc.path()).continue_on_error();
    let rowan = b.add(
        svc.plants()
            .by_key(guid(ROWAN))
            .get()
            .select((Plants2::ID, Plants2::NAME))
            .call(),
    );
    let missing = b.add(
        svc.plants()
            .by_key(guid(NOBODY))
            .get()
            .select(Plants2::ID)
            .call(),
    );
    let set = b.change_set();
    let fern = Plants2 {
        name: Some("Batch fern (V2)".into()),
        price: Some(dec("100.00")),
        stock: Some(1),
        ..Default::default()
    };
    let created = b.add_to(set, svc.plants().create(&fern));
    let merged = b.add_to(
        set,
        created
            .resource::<PlantsItem2>()
            .update(&Plants2 {
                stock: Some(9),
                ..Default::default()
            })
            .if_match("*"),
    );
    let r = api.ok("batch", b.send_blocking(&api.client));
    assert_eq!(
        api.ok("rowan", r.get(&rowan)).name.as_deref(),
        Some("Rowan")
    );
    let e = r.get(&missing).unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    let created = api.ok("created", r.get(&created));
    api.ok("merged", r.get(&merged));
    let read = api.ok(
        "read back",
        api.svc
            .plants()
            .by_key(created.id.unwrap())
            .get()
            .send_blocking(&api.client),
    );
    assert_eq!(
        read.stock,
        Some(9),
        "the MERGE through $<Content-ID> applied"
    );
}

/// V2 multipart through the splitter: 25 reads in batches of 10, a missing entity among them;
/// each result in order, the missing one a 404 of its own.
#[test]
fn v2_splitter_multipart() {
    use v2::nursery_service::Plants as Plants2;
    use v2::nursery_service::requests::EntityContainer as V2;
    let Some(api) = Api::start() else { return };
    let svc = V2::new(&api.server.v2_url());
    let ids = [ROWAN, LAVENDER, NOBODY];
    let calls = (0..25)
        .map(|i| {
            svc.plants()
                .by_key(guid(ids[i % 3]))
                .get()
                .select((Plants2::ID, Plants2::NAME))
                .call()
        })
        .collect();
    let results = api.ok(
        "send_all",
        BatchSplitter::new(BatchFormat::Multipart, svc.path())
            .size(10)
            .send_all_blocking(&api.client, calls),
    );
    assert_eq!(results.len(), 25);
    for (i, r) in results.into_iter().enumerate() {
        match i % 3 {
            0 => assert_eq!(api.ok("rowan", r).name.as_deref(), Some("Rowan"), "{i}"),
            1 => assert_eq!(
                api.ok("lavender", r).name.as_deref(),
                Some("Lavender"),
                "{i}"
            ),
            _ => assert!(r.unwrap_err().is_not_found(), "{i}"),
        }
    }
}

/// Without `continue_on_error`, CAP stops a multipart batch at the first failed request: the
/// requests after it read an error saying so.
#[test]
fn v4_multipart_stops_at_the_first_error_by_default() {
    let Some(api) = Api::start() else { return };
    let mut b = Batch::multipart(api.svc.path());
    let rowan = b.add(api.plant(ROWAN).get().select(Plants::NAME).call());
    let missing = b.add(api.plant(NOBODY).get().call());
    let after = b.add(api.svc.suppliers().count());
    let r = api.ok("batch", b.send_blocking(&api.client));
    api.ok("rowan", r.get(&rowan));
    assert!(r.get(&missing).unwrap_err().is_not_found());
    let e = r.get(&after).unwrap_err();
    assert!(matches!(e, Error::Unexpected(_)), "{e:?}");
}

/// Timing, not a check (`cargo test -p odata-cap-tests --test batch -- --ignored --nocapture
/// round_trips`): 100 reads one by one, and as one JSON and one multipart batch, against CAP on
/// localhost (see BENCHMARKS.md).
#[test]
#[ignore = "a timing measurement, run by hand (see BENCHMARKS.md)"]
fn round_trips_versus_one_batch() {
    use std::time::Instant;
    let Some(api) = Api::start() else { return };
    let call = || api.plant(ROWAN).get().select(Plants::NAME).call();
    for round in 0..3 {
        let t = Instant::now();
        for _ in 0..100 {
            api.ok("get", call().send_blocking(&api.client));
        }
        let single = t.elapsed();
        let mut times = Vec::new();
        for format in [BatchFormat::Json, BatchFormat::Multipart] {
            let t = Instant::now();
            let mut b = Batch::new(format, api.svc.path());
            let items: Vec<_> = (0..100).map(|_| b.add(call())).collect();
            let r = api.ok("batch", b.send_blocking(&api.client));
            for h in &items {
                api.ok("item", r.get(h));
            }
            times.push(t.elapsed());
        }
        eprintln!(
            "round {round}: 100 GETs one by one {single:?} ({:?} each); one JSON batch {:?}; one multipart batch {:?}",
            single / 100,
            times[0],
            times[1]
        );
    }
}

/// The same batch through `reqwest`'s async client (and the async splitter).
#[test]
fn v4_async_client() {
    let Some(api) = Api::start() else { return };
    let client = odata_runtime::client::reqwest_client();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut b = Batch::multipart(api.svc.path()).continue_on_error();
        let rowan = b.add(api.plant(ROWAN).get().select(Plants::NAME).call());
        let missing = b.add(api.plant(NOBODY).get().call());
        let r = api.ok("batch", b.send(&client).await);
        assert_eq!(
            api.ok("rowan", r.get(&rowan)).name.as_deref(),
            Some("Rowan")
        );
        assert!(r.get(&missing).unwrap_err().is_not_found());

        let calls = (0..5).map(|_| api.plant(LAVENDER).get().call()).collect();
        let results = api.ok(
            "send_all",
            BatchSplitter::json(api.svc.path())
                .size(2)
                .send_all(&client, calls)
                .await,
        );
        assert_eq!(results.len(), 5);
        for r in results {
            assert_eq!(api.ok("lavender", r).name.as_deref(), Some("Lavender"));
        }
    });
}
