//! The CAP service through the client generated from its V2 `$metadata`
//! (`/odata/v2/nursery/`, served by `@cap-js-community/odata-v2-adapter`, which translates each
//! request to V4 and each answer to V2 verbose JSON: `{"d": …}`, `{"d": {"results": […]}}`,
//! `__metadata`, `__deferred`, `/Date(ms)/`, Decimal and Int64 as strings).
//!
//! Bound operations are function imports there: `Plants_water?ID=guid'…'`,
//! `Plants_priceWithTax?ID=guid'…'&rate=…` (`sap:action-for`), generated as methods of the
//! container. The same seed rows and rules as `v4.rs`: only rows a test creates are changed,
//! created plants cost 100 or more.
//!
//! Rows a test needs as a fixture are created through the V4 client (same server, same data),
//! so that a V2 test fails only for what it is about; creating through V2 is tested on its own.
//! Reads `$select` the structural properties (`select_plant`) unless the test is about
//! navigation: V2 answers every navigation property that is not expanded as
//! `{"__deferred": {"uri": …}}`, which the `deferred_*` tests cover.

use odata_cap_tests::v2::nursery_service::requests::{EntityContainer, PlantsItem};
use odata_cap_tests::v2::nursery_service::{CareNotes, NurseryPot, Plants, Readings, Suppliers};
use odata_cap_tests::{Server, http_client, shared, v4};
use odata_runtime::prelude::*;
use odata_runtime::{DateTime, Decimal, Error, Filter, Guid, Select};

const ROWAN: &str = "3f1c0a52-6a0e-4d3b-9a57-0c1b2f0e7a01";
const LAVENDER: &str = "3f1c0a52-6a0e-4d3b-9a57-0c1b2f0e7a02";

/// Every structural property of a plant: a read without the navigation properties.
fn select_plant() -> impl Select<Plants> {
    (
        (
            Plants::ID,
            Plants::CREATED_AT,
            Plants::CREATED_BY,
            Plants::MODIFIED_AT,
            Plants::MODIFIED_BY,
            Plants::NAME,
            Plants::HABIT,
            Plants::PRICE,
            Plants::STOCK,
        ),
        (
            Plants::BARCODE,
            Plants::SOWN_ON,
            Plants::TAGS,
            Plants::CARE_WATERING_DAYS,
            Plants::CARE_LIGHT,
            Plants::POTS,
            Plants::TIMES_WATERED,
            Plants::SUPPLIER_ID,
        ),
    )
}

fn select_supplier() -> impl Select<Suppliers> {
    (Suppliers::ID, Suppliers::NAME, Suppliers::CITY)
}

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
            svc: EntityContainer::new(&server.v2_url()),
        })
    }

    fn plant(&self, id: &str) -> PlantsItem {
        self.svc.plants().by_key(guid(id))
    }

    /// Panics with the server log when a call fails.
    fn ok<T>(&self, what: &str, r: Result<T, Error>) -> T {
        r.unwrap_or_else(|e| panic!("{what}: {e}\n--- server log ---\n{}", self.server.log()))
    }

    /// Creates a plant of this test's own (price 100 or more, see the module docs) through
    /// the V4 client; returns its key.
    fn new_plant(&self, name: &str, supplier: Option<i32>) -> Guid {
        let plant = v4::nursery_service::Plants {
            name: Some(name.into()),
            price: Some(dec("100.00")),
            stock: Some(1),
            supplier_id: supplier,
            ..Default::default()
        };
        let v4 = v4::nursery_service::requests::EntityContainer::new(&self.server.v4_url());
        let created = self.ok(
            "create plant (V4)",
            v4.plants().create(&plant).send_blocking(&self.client),
        );
        created.id.unwrap()
    }

    /// Creates a supplier through the V4 client.
    fn new_supplier(&self, id: i32, name: &str, city: &str) {
        let supplier = v4::nursery_service::Suppliers {
            id: Some(id),
            name: Some(name.into()),
            city: Some(city.into()),
            ..Default::default()
        };
        let v4 = v4::nursery_service::requests::EntityContainer::new(&self.server.v4_url());
        self.ok(
            "create supplier (V4)",
            v4.suppliers().create(&supplier).send_blocking(&self.client),
        );
    }

    /// Reads a plant's structural properties through V2.
    fn read_plant(&self, id: Guid) -> Plants {
        self.ok(
            "get plant",
            self.svc
                .plants()
                .by_key(id)
                .get()
                .select(select_plant())
                .send_blocking(&self.client),
        )
    }
}

fn guid(s: &str) -> Guid {
    s.parse().unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// An `Edm.DateTime` at midnight: what V2 makes of CDS `Date` (`sap:display-format="Date"`).
fn day(s: &str) -> DateTime {
    format!("{s}T00:00:00").parse().unwrap()
}

fn names(plants: &[Plants]) -> Vec<&str> {
    plants.iter().map(|p| p.name.as_deref().unwrap()).collect()
}

fn etag(plant: &Plants) -> String {
    plant
        .extra
        .etag()
        .unwrap_or_else(|| panic!("no etag in __metadata of {plant:?}"))
        .to_owned()
}

#[test]
fn list_with_top_orderby_select_filter_and_count() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let cheap = Plants::PRICE.lt(dec("20"));
    let page = api.ok(
        "list",
        api.svc
            .plants()
            .list()
            .filter(cheap.clone())
            .orderby(Plants::NAME)
            .select((Plants::ID, Plants::NAME, Plants::PRICE))
            .top(2)
            .with_count()
            .send_blocking(c),
    );
    assert_eq!(page.count, Some(3), "$inlinecount counts all matches");
    assert_eq!(names(&page.value), ["Basil", "Ivy"]);
    assert_eq!(page.value[0].price, Some(dec("3.20")));
    assert_eq!(page.value[0].stock, None, "stock is not selected");
    assert!(page.next_link.is_none());

    let desc = api.ok(
        "orderby desc",
        api.svc
            .plants()
            .list()
            .filter(cheap)
            .orderby_desc(Plants::PRICE)
            .select(Plants::NAME)
            .send_blocking(c),
    );
    assert_eq!(names(&desc.value), ["Lavender", "Ivy", "Basil"]);
}

#[test]
fn filters_write_literals_cap_accepts() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let by = |f: Filter<Plants>| {
        api.ok(
            &format!("filter {}", f.text(odata_runtime::Version::V2)),
            api.svc
                .plants()
                .list()
                .filter(f)
                .select(Plants::NAME)
                .send_blocking(c),
        )
        .value
    };
    // V2 literal forms: `…L`, `datetime'…'`, `guid'…'`, `substringof`.
    let rowan = by(Plants::BARCODE.eq(9_007_199_254_740_991_i64));
    assert_eq!(names(&rowan), ["Rowan"]);
    let sown = by(Plants::SOWN_ON.eq(day("2024-04-02")));
    assert_eq!(names(&sown), ["Lavender"]);
    let by_id = by(Plants::ID.eq(guid(ROWAN)));
    assert_eq!(names(&by_id), ["Rowan"]);
    assert!(by(Plants::NAME.eq("O'Hara's fern")).is_empty());
    let both = by(Plants::NAME.contains("aven").and(Plants::HABIT.eq("shrub")));
    assert_eq!(names(&both), ["Lavender"]);
}

/// Typed filters through the V2 adapter: `substringof`, `tolower`, `…M` and `datetime'…'`
/// literals, `in` as `or`, a path through a navigation property, `not`; and `$expand` (nested
/// `$select`: `nested_select_of_an_expansion`).
#[test]
fn typed_filters_and_expand() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let by = |f: Filter<Plants>| {
        let f = f.and(Plants::PRICE.lt(dec("100")));
        api.ok(
            &format!("filter {}", f.text(odata_runtime::Version::V2)),
            api.svc
                .plants()
                .list()
                .filter(f)
                .orderby(Plants::NAME)
                .select(Plants::NAME)
                .send_blocking(c),
        )
        .value
    };
    let found = by(Plants::NAME.tolower().contains("aven"));
    assert_eq!(names(&found), ["Lavender"]);
    let found = by(Plants::PRICE
        .ge(dec("8.00"))
        .and(Plants::SOWN_ON.lt(day("2024-04-01"))));
    assert_eq!(names(&found), ["Ivy", "Rowan"]);
    let found = by(Plants::HABIT.is_in(["herb", "climber"]));
    assert_eq!(names(&found), ["Basil", "Ivy"]);
    let found = by(Plants::SUPPLIER.then(Suppliers::CITY).eq("Oslo"));
    assert_eq!(names(&found), ["Basil", "Ivy", "Lavender"]);
    let found = by(Plants::NAME.startswith("L").not());
    assert_eq!(names(&found), ["Basil", "Ivy", "Rowan"]);

    let rowan = api.ok(
        "expand",
        api.plant(ROWAN)
            .get()
            .expand_with(Plants::SUPPLIER, |e| e)
            .send_blocking(c),
    );
    let supplier = rowan.supplier.expect("supplier expanded");
    assert_eq!(supplier.name.as_deref(), Some("Green Thumb Ltd"));
}

/// A nested `$select` in V2 is a path of the request's `$select`
/// (`$select=*,supplier/name,supplier/plants/name&$expand=supplier/plants`): the plant comes
/// whole (`*`), its supplier with the name only (and its key, which the adapter adds), and the
/// supplier's plants, expanded below it, with their names only.
#[test]
fn nested_select_of_an_expansion() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let rowan = api.ok(
        "nested select",
        api.plant(ROWAN)
            .get()
            .expand_with(Plants::SUPPLIER, |s| {
                s.select(Suppliers::NAME)
                    .expand_with(Suppliers::PLANTS, |p| p.select(Plants::NAME))
            })
            .send_blocking(c),
    );
    assert_eq!(rowan.name.as_deref(), Some("Rowan"));
    assert_eq!(
        rowan.price,
        Some(dec("49.90")),
        "the plant's own properties"
    );
    let supplier = rowan.supplier.expect("supplier expanded");
    assert_eq!(supplier.name.as_deref(), Some("Green Thumb Ltd"));
    assert_eq!(supplier.city, None, "only the supplier's name is selected");
    let plants = supplier.plants.expect("the supplier's plants expanded");
    assert!(!plants.is_empty());
    for p in &plants {
        assert!(p.name.is_some(), "{p:?}");
        assert_eq!(
            p.price, None,
            "only the names of the supplier's plants: {p:?}"
        );
    }

    // With the plant's own `$select`: no `*`, and the supplier still comes (named by its path).
    let rowan = api.ok(
        "nested select with own select",
        api.plant(ROWAN)
            .get()
            .select(Plants::NAME)
            .expand_with(Plants::SUPPLIER, |s| s.select(Suppliers::CITY))
            .send_blocking(c),
    );
    assert_eq!(rowan.name.as_deref(), Some("Rowan"));
    assert_eq!(rowan.price, None, "only the plant's name is selected");
    let supplier = rowan.supplier.expect("supplier expanded");
    assert_eq!(supplier.city.as_deref(), Some("Bergen"));
    assert_eq!(supplier.name, None);

    // A level with no `select` of its own between the request and a nested one comes whole
    // (`supplier/*`), as in V4: only the supplier's plants are narrowed to their names.
    let rowan = api.ok(
        "nested select one level down",
        api.plant(ROWAN)
            .get()
            .select(Plants::NAME)
            .expand_with(Plants::SUPPLIER, |s| {
                s.expand_with(Suppliers::PLANTS, |p| p.select(Plants::NAME))
            })
            .send_blocking(c),
    );
    let supplier = rowan.supplier.expect("supplier expanded");
    assert_eq!(supplier.name.as_deref(), Some("Green Thumb Ltd"));
    assert_eq!(supplier.city.as_deref(), Some("Bergen"));
    let plants = supplier.plants.expect("the supplier's plants expanded");
    assert!(plants.iter().all(|p| p.name.is_some() && p.price.is_none()));
}

#[test]
fn get_by_uuid_key_reads_every_kind_of_property() {
    let Some(api) = Api::start() else { return };
    let rowan = api.read_plant(guid(ROWAN));
    assert_eq!(rowan.id, Some(guid(ROWAN)));
    assert_eq!(rowan.name.as_deref(), Some("Rowan"));
    assert_eq!(rowan.habit.as_deref(), Some("tree"));
    // Decimal and Int64 come as strings in V2: `"49.9"`, `"9007199254740991"`.
    assert_eq!(rowan.price, Some(dec("49.90")));
    assert_eq!(rowan.barcode, Some(9_007_199_254_740_991));
    // `/Date(1710460800000)/`
    assert_eq!(rowan.sown_on, Some(day("2024-03-15")));
    assert_eq!(
        rowan.tags,
        Some(vec![Some("native".into()), Some("berries".into())])
    );
    assert_eq!(rowan.care_watering_days, Some(7));
    assert_eq!(rowan.care_light.as_deref(), Some("full sun"));
    // Items of a complex collection carry `"__metadata": {"type": "NurseryService."}`.
    let pots: Vec<_> = rowan
        .pots
        .iter()
        .flatten()
        .map(|p| p.as_ref().unwrap().price.unwrap())
        .collect();
    assert_eq!(pots, [dec("49.90"), dec("89.00")]);
    assert_eq!(rowan.supplier_id, Some(1));
    // `/Date(1710489600000+0000)/`
    assert_eq!(
        rowan.created_at.map(|t| t.to_utc().to_rfc3339()),
        Some("2024-03-15T08:00:00+00:00".to_owned())
    );
    // The etag is in `__metadata`.
    assert!(etag(&rowan).starts_with("W/\""), "{}", etag(&rowan));
}

#[test]
fn get_by_integer_key() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let s = api.ok(
        "get",
        api.svc
            .suppliers()
            .by_key(2)
            .get()
            .select(select_supplier())
            .send_blocking(c),
    );
    assert_eq!(s.name.as_deref(), Some("Fern & Frond"));
    assert_eq!(s.city.as_deref(), Some("Oslo"));
    let r = api.ok(
        "get reading",
        api.svc.readings().by_key(1234).get().send_blocking(c),
    );
    assert_eq!(r.sensor.as_deref(), Some("shed"));
    assert_eq!(r.celsius, Some(dec("-4.2")));
}

#[test]
fn navigation_with_select() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let supplier = api.ok(
        "supplier",
        api.plant(ROWAN)
            .supplier()
            .get()
            .select(select_supplier())
            .send_blocking(c),
    );
    assert_eq!(supplier.id, Some(1));
    let notes = api.ok(
        "notes",
        api.plant(ROWAN)
            .notes()
            .list()
            .select((CareNotes::ID, CareNotes::WRITTEN_ON))
            .orderby(CareNotes::WRITTEN_ON)
            .send_blocking(c),
    );
    let written: Vec<_> = notes.value.iter().map(|n| n.written_on.unwrap()).collect();
    assert_eq!(written, [day("2024-03-20"), day("2024-04-01")]);
    let oslo = api.ok(
        "supplier's plants",
        api.svc
            .suppliers()
            .by_key(2)
            .plants()
            .list()
            .select(select_plant())
            .orderby(Plants::NAME)
            .send_blocking(c),
    );
    assert_eq!(names(&oslo.value), ["Basil", "Lavender"]);
}

#[test]
fn deferred_to_one_navigation_is_not_an_entity() {
    let Some(api) = Api::start() else { return };
    // `"plant": {"__deferred": {"uri": …}}`: not expanded, so no value (not an entity with
    // every field `None`).
    let note = api.ok(
        "get note",
        api.svc
            .care_notes()
            .by_key(guid("9b2d4c10-1111-4e6f-8a00-000000000001"))
            .get()
            .send_blocking(&api.client),
    );
    assert_eq!(note.text.as_deref(), Some("Prune in late winter"));
    assert!(note.plant.is_none(), "{:?}", note.plant);
}

#[test]
fn deferred_to_many_navigation_is_absent() {
    let Some(api) = Api::start() else { return };
    // `"notes": {"__deferred": {"uri": …}}` (and `supplier` the same way).
    let rowan = api.ok("get", api.plant(ROWAN).get().send_blocking(&api.client));
    assert_eq!(rowan.name.as_deref(), Some("Rowan"));
    assert_eq!(rowan.supplier, None);
    assert_eq!(rowan.notes, None);
}

#[test]
fn expand_and_navigation() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let rowan = api.ok(
        "expand",
        api.plant(ROWAN)
            .get()
            .select((Plants::ID, Plants::NAME))
            .expand((Plants::SUPPLIER, Plants::NOTES))
            .send_blocking(c),
    );
    assert_eq!(rowan.price, None);
    let supplier = rowan.supplier.expect("supplier expanded");
    assert_eq!(supplier.name.as_deref(), Some("Green Thumb Ltd"));
    let mut notes: Vec<_> = rowan
        .notes
        .expect("notes expanded")
        .into_iter()
        .map(|n| n.text.unwrap())
        .collect();
    notes.sort();
    assert_eq!(notes, ["Protect from deer", "Prune in late winter"]);
    let supplier = api.ok(
        "supplier",
        api.plant(ROWAN).supplier().get().send_blocking(c),
    );
    assert_eq!(supplier.id, Some(1));
}

/// V2 JSON writes `Edm.Double` as a string (CAP's adapter: `"rating":"4.25"`), and `Edm.Byte`
/// as one too by the V2 JSON format (CAP writes a number): both forms are read, a null is none,
/// and what the client writes (strings, as the format says) is stored exactly, as the V4
/// service shows.
#[test]
fn v2_numbers_written_as_strings() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let get = |id: i32| {
        api.ok(
            "get supplier",
            api.svc.suppliers().by_key(id).get().send_blocking(c),
        )
    };
    let green = get(1);
    assert_eq!(
        (green.rating, green.shelf, green.floor),
        (Some(4.25), Some(3), Some(-1))
    );
    let fern = get(2);
    assert_eq!((fern.rating, fern.shelf), (Some(15.0), Some(200)));
    let moss = get(4);
    assert_eq!((moss.rating, moss.shelf, moss.floor), (None, None, None));
    // A page of them, with the wrappers of V2's collections.
    let all = api.ok(
        "list suppliers",
        api.svc.suppliers().list().top(4).send_blocking(c),
    );
    assert_eq!(all.value.len(), 4);

    let new = Suppliers {
        id: Some(207),
        name: Some("Double Dig".into()),
        rating: Some(0.1),
        shelf: Some(255),
        floor: Some(-3),
        ..Default::default()
    };
    let request = api.svc.suppliers().create(&new).to_request().unwrap();
    let body: serde_json::Value = serde_json::from_slice(&request.body.unwrap()).unwrap();
    assert_eq!(
        (&body["rating"], &body["shelf"], &body["floor"]),
        (
            &serde_json::json!("0.1"),
            &serde_json::json!("255"),
            &serde_json::json!(-3)
        ),
        "{body}"
    );
    let created = api.ok(
        "create supplier",
        api.svc.suppliers().create(&new).send_blocking(c),
    );
    assert_eq!((created.rating, created.shelf), (Some(0.1), Some(255)));
    let v4 = v4::nursery_service::requests::EntityContainer::new(&api.server.v4_url());
    let stored = api.ok(
        "get supplier (V4)",
        v4.suppliers().by_key(207).get().send_blocking(c),
    );
    assert_eq!(
        (stored.rating, stored.shelf, stored.floor),
        (Some(0.1), Some(255), Some(-3))
    );
}

#[test]
fn create_reads_back_the_created_entity() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let supplier = Suppliers {
        id: Some(203),
        name: Some("Created over V2".into()),
        city: Some("Narvik".into()),
        ..Default::default()
    };
    let created = api.ok(
        "create supplier",
        api.svc.suppliers().create(&supplier).send_blocking(c),
    );
    assert_eq!(created.name.as_deref(), Some("Created over V2"));

    let fern = Plants {
        name: Some("Hart's-tongue fern".into()),
        habit: Some("herb".into()),
        price: Some(dec("120.50")),
        barcode: Some(4_006_381_333_962),
        sown_on: Some(day("2025-02-28")),
        tags: Some(vec![Some("shade".into()), Some("evergreen".into())]),
        care_light: Some("shade".into()),
        pots: Some(vec![Some(NurseryPot {
            litres: Some(dec("1.5")),
            price: Some(dec("120.50")),
            ..Default::default()
        })]),
        supplier_id: Some(203),
        notes: Some(vec![CareNotes {
            text: Some("Keep moist".into()),
            written_on: Some(day("2025-03-01")),
            ..Default::default()
        }]),
        ..Default::default()
    };
    let created = api.ok("create", api.svc.plants().create(&fern).send_blocking(c));
    let read = api.read_plant(created.id.expect("the server assigns the UUID key"));
    assert_eq!(read.tags, fern.tags);
    assert_eq!(read.sown_on, fern.sown_on);
    assert_eq!(read.barcode, fern.barcode);
    assert_eq!(read.price, fern.price);
    // Compared by value: each item read carries CAP's `"__metadata": {"type": "NurseryService."}`.
    let pots = |p: &Plants| -> Vec<(Option<Decimal>, Option<Decimal>)> {
        p.pots
            .iter()
            .flatten()
            .flatten()
            .map(|pot| (pot.litres, pot.price))
            .collect()
    };
    assert_eq!(pots(&read), pots(&fern));
}

#[test]
fn update_and_delete_without_etag() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    api.new_supplier(201, "Tide Pool", "Ålesund");
    let item = api.svc.suppliers().by_key(201);

    // MERGE: one property set, one cleared with an explicit null, the rest untouched.
    let mut patch = Suppliers {
        name: Some("Tide Pool AS".into()),
        ..Default::default()
    };
    patch.set_null(Suppliers::CITY);
    let request = item.update(&patch).to_request().unwrap();
    assert_eq!(request.method.as_str(), "MERGE");
    assert_eq!(
        String::from_utf8(request.body.clone().unwrap()).unwrap(),
        r#"{"name":"Tide Pool AS","city":null}"#
    );
    api.ok("update", item.update(&patch).send_blocking(c));
    let read = api.ok("get", item.get().select(select_supplier()).send_blocking(c));
    assert_eq!(read.name.as_deref(), Some("Tide Pool AS"));
    assert_eq!(read.city, None);

    api.ok("delete", item.delete().send_blocking(c));
    let gone = item.get().send_blocking(c).unwrap_err();
    assert_eq!(gone.status(), Some(404), "{gone}");
}

#[test]
fn update_and_delete_with_the_etag() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let id = api.new_plant("Etag thyme", None);
    let item = api.svc.plants().by_key(id);
    let first = etag(&api.read_plant(id));
    let patch = Plants {
        stock: Some(7),
        ..Default::default()
    };
    let err = item.update(&patch).send_blocking(c).unwrap_err();
    assert_eq!(err.status(), Some(428), "{err}");
    api.ok(
        "update with If-Match",
        item.update(&patch).if_match(&first).send_blocking(c),
    );
    let read = api.read_plant(id);
    assert_eq!(read.stock, Some(7));
    let second = etag(&read);
    assert_ne!(first, second);
    let stale = item
        .update(&patch)
        .if_match(&first)
        .send_blocking(c)
        .unwrap_err();
    assert_eq!(stale.status(), Some(412), "{stale}");
    api.ok("delete", item.delete().if_match(&second).send_blocking(c));
    assert_eq!(item.get().send_blocking(c).unwrap_err().status(), Some(404));
}

#[test]
fn merge_of_a_read_entity_with_its_etag() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let id = api.new_plant("Merged basil", None);
    let mut read = api.read_plant(id);
    read.stock = Some(4);
    let tag = etag(&read);
    api.ok(
        "MERGE of the read entity",
        api.svc
            .plants()
            .by_key(id)
            .update(&read)
            .if_match(&tag)
            .send_blocking(c),
    );
    let again = api.read_plant(id);
    assert_eq!(again.stock, Some(4));
    assert_eq!(again.name.as_deref(), Some("Merged basil"));
}

#[test]
fn update_and_delete_of_a_read_entity_send_its_etag() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let id = api.new_plant("Auto-etag sage", None);
    let item = api.svc.plants().by_key(id);
    let mut read = api.read_plant(id);
    read.stock = Some(9);
    api.ok(
        "update of a read entity",
        item.update(&read).send_blocking(c),
    );
    let read = api.read_plant(id);
    assert_eq!(read.stock, Some(9));
    api.ok("delete_entity", item.delete_entity(&read).send_blocking(c));
    assert_eq!(item.get().send_blocking(c).unwrap_err().status(), Some(404));
}

/// V2: a read entity merged twice. The first `MERGE`'s outcome carries the new tag (CAP's V2
/// adapter sends it as `ETag` and in `__metadata`); applied, it goes into `__metadata.etag`, and
/// the second `MERGE` sends it and only its own change. Without it: `412`.
#[test]
fn a_read_entity_merged_twice() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let id = api.new_plant("Twice oregano", None);
    let item = api.svc.plants().by_key(id);
    let mut read = api.read_plant(id);
    let first = etag(&read);
    read.stock = Some(3);
    let updated = api.ok("first MERGE", item.update(&read).send_blocking(c));
    let new = updated
        .etag
        .clone()
        .expect("the V2 adapter answers with the new ETag");
    assert_ne!(new, first);
    let stale = read.clone();
    updated.apply_to(&mut read);
    assert_eq!(etag(&read), new);

    read.name = Some("Twice oregano, cut".into());
    let request = item.update(&read).to_request().unwrap();
    assert_eq!(request.header("If-Match"), Some(new.as_str()));
    let body = String::from_utf8(request.body.unwrap()).unwrap();
    assert_eq!(body, r#"{"name":"Twice oregano, cut"}"#);
    api.ok("second MERGE", item.update(&read).send_blocking(c));
    let again = api.read_plant(id);
    assert_eq!(again.stock, Some(3));
    assert_eq!(again.name.as_deref(), Some("Twice oregano, cut"));

    let err = item.update(&stale).send_blocking(c).unwrap_err();
    assert_eq!(err.status(), Some(412), "{err}");
}

#[test]
fn merge_of_a_read_entity_sends_only_what_changed() {
    let Some(api) = Api::start() else { return };
    let mut rowan = api.read_plant(guid(ROWAN));
    rowan.stock = Some(13);
    let request = api.plant(ROWAN).update(&rowan).to_request().unwrap();
    let body = String::from_utf8(request.body.unwrap()).unwrap();
    assert_eq!(body, r#"{"stock":13}"#);
}

#[test]
fn a_double_result_is_read_from_its_string() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    // `GET meanRating?city='Oslo'`: `{"d": {"meanRating": "7.55"}}`.
    let mean = api.ok(
        "meanRating",
        api.svc.mean_rating(Some("Oslo")).send_blocking(c),
    );
    assert_eq!(mean, Some(7.55));
    // No rated supplier in Tromsø: `{"d": {"meanRating": null}}`.
    let none = api.ok(
        "meanRating",
        api.svc.mean_rating(Some("Tromsø")).send_blocking(c),
    );
    assert_eq!(none, None);
}

#[test]
fn bound_function_as_a_function_import() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    // `GET Plants_priceWithTax?ID=guid'…'&rate=10m`: `{"d": {"Plants_priceWithTax": "54.89"}}`
    let taxed = api.ok(
        "Plants_priceWithTax",
        api.svc
            .plants_price_with_tax(guid(ROWAN), Some(dec("10")))
            .send_blocking(c),
    );
    assert_eq!(taxed, Some(dec("54.89")));
    let taxed = api.ok(
        "Plants_priceWithTax 12.5",
        api.svc
            .plants_price_with_tax(guid(LAVENDER), Some(dec("12.5")))
            .send_blocking(c),
    );
    assert_eq!(taxed, Some(dec("14.06")));
}

#[test]
fn bound_action_as_a_function_import() {
    let Some(api) = Api::start() else { return };
    let id = api.new_plant("Watered mint", None);
    // `POST Plants_water?ID=guid'…'&times=2`, with the ETag, and with `Content-Type` (see
    // `unbound_action`).
    let result = api
        .svc
        .plants_water(id, Some(2))
        .if_match(&etag(&api.read_plant(id)))
        .header("Content-Type", "application/json")
        .send_blocking(&api.client);
    assert_eq!(
        api.read_plant(id).times_watered,
        Some(2),
        "the action ran with its parameter ({result:?})"
    );
    let watered = api.ok("Plants_water", result);
    let watered = watered.expect("the action returns the plant");
    assert_eq!(watered.times_watered, Some(2));
}

#[test]
fn unbound_function() {
    let Some(api) = Api::start() else { return };
    // `GET supplierIn?city='Oslo'`
    let found = api.ok(
        "supplierIn",
        api.svc.supplier_in(Some("Oslo")).send_blocking(&api.client),
    );
    assert_eq!(found.expect("a supplier in Oslo").id, Some(2));
}

#[test]
fn unbound_action() {
    let Some(api) = Api::start() else { return };
    api.new_supplier(202, "Restock Test", "Bodø");
    let a = api.new_plant("Restock A", Some(202));
    api.new_plant("Restock B", Some(202));
    // `POST restock?supplier=202&quantity=5`: `{"d": {"restock": 2}}`. CAP's V2 adapter reads
    // the parameters only from a request with `Content-Type: application/json`, which the
    // runtime sends with a V2 POST without a body.
    let call = api.svc.restock(Some(202), Some(5));
    let request = call.to_request().unwrap();
    assert_eq!(request.header("Content-Type"), Some("application/json"));
    assert!(request.body.is_none());
    let changed = api.ok("restock", call.send_blocking(&api.client));
    assert_eq!(changed, Some(2));
    assert_eq!(api.read_plant(a).stock, Some(6));
}

#[test]
fn unbound_function_without_a_result() {
    let Some(api) = Api::start() else { return };
    // 204 No Content: the result is `None`, not an error.
    let nothing = api.ok(
        "supplierIn without a result",
        api.svc
            .supplier_in(Some("Nowhere"))
            .send_blocking(&api.client),
    );
    assert_eq!(nothing, None);
}

#[test]
fn paging_over_server_pages() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    // 1,500 readings in two pages; the next page's link is `__next`.
    let pages: Vec<_> = api.ok(
        "pages",
        api.svc
            .readings()
            .list()
            .with_count()
            .pages(c)
            .unwrap()
            .collect::<Result<_, _>>(),
    );
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].count, Some(1500));
    assert_eq!(pages[0].value.len(), 1000);
    assert_eq!(pages[1].value.len(), 500);
    let ids: Vec<i32> = pages
        .iter()
        .flat_map(|p| p.value.iter().map(|r| r.id.unwrap()))
        .collect();
    assert_eq!(ids, (1..=1500).collect::<Vec<_>>());

    let shed: Vec<Readings> = api.ok(
        "items",
        api.svc
            .readings()
            .list()
            .filter(Readings::SENSOR.ne("field"))
            .select((Readings::ID, Readings::SENSOR))
            .items(c)
            .unwrap()
            .collect(),
    );
    assert_eq!(shed.len(), 1000);
    assert!(shed.iter().all(|r| r.celsius.is_none()));

    let n = api.ok("count", api.svc.readings().count().send_blocking(c));
    assert_eq!(n, 1500);
}

#[test]
fn errors_are_typed() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    // `{"error": {"code": "404", "message": {"lang": "en", "value": "Not Found"}, …}}`
    let err = api
        .plant("00000000-0000-4000-8000-000000000000")
        .get()
        .send_blocking(c)
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
    let odata = err.odata().expect("an OData error body");
    assert_eq!(odata.code, "404");
    assert_eq!(odata.message, "Not Found");

    let err = api
        .svc
        .plants_price_with_tax(guid(ROWAN), Some(dec("-1")))
        .send_blocking(c)
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
    let odata = err.odata().expect("an OData error body");
    assert_eq!(odata.message, "rate must be a non-negative number");
}
