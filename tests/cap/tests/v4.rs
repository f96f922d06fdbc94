//! The CAP service through the client generated from its own V4 `$metadata`
//! (`/odata/v4/nursery/`): every request is built by the generated crate and sent with
//! `reqwest`'s blocking client.
//!
//! All tests share one server (`odata_cap_tests::shared`): they read the seed rows
//! (`server/db/data/*.csv`) and change only rows they create. Plants created here cost 100 or
//! more, so `price lt 20` still selects the three cheap seed plants.

use odata_cap_tests::v4::nursery_service::requests::{EntityContainer, PlantsItem};
use odata_cap_tests::v4::nursery_service::{CareNotes, NurseryPot, Plants, Readings, Suppliers};
use odata_cap_tests::{Server, http_client, shared};
use odata_runtime::prelude::*;
use odata_runtime::{Date, Decimal, Error, Filter, Guid};

const ROWAN: &str = "3f1c0a52-6a0e-4d3b-9a57-0c1b2f0e7a01";
const LAVENDER: &str = "3f1c0a52-6a0e-4d3b-9a57-0c1b2f0e7a02";

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

    fn plant(&self, id: &str) -> PlantsItem {
        self.svc.plants().by_key(guid(id))
    }

    /// Panics with the server log when a call fails.
    fn ok<T>(&self, what: &str, r: Result<T, Error>) -> T {
        r.unwrap_or_else(|e| panic!("{what}: {e}\n--- server log ---\n{}", self.server.log()))
    }

    /// Creates a plant of this test's own (price 100 or more, see the module docs).
    fn new_plant(&self, name: &str, supplier: Option<i32>) -> Plants {
        let plant = Plants {
            name: Some(name.into()),
            price: Some(dec("100.00")),
            stock: Some(1),
            supplier_id: supplier,
            ..Default::default()
        };
        self.ok(
            "create plant",
            self.svc.plants().create(&plant).send_blocking(&self.client),
        )
    }

    fn new_supplier(&self, id: i32, name: &str, city: &str) -> Suppliers {
        let supplier = Suppliers {
            id: Some(id),
            name: Some(name.into()),
            city: Some(city.into()),
            ..Default::default()
        };
        self.ok(
            "create supplier",
            self.svc
                .suppliers()
                .create(&supplier)
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

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn names(plants: &[Plants]) -> Vec<&str> {
    plants.iter().map(|p| p.name.as_deref().unwrap()).collect()
}

fn etag(plant: &Plants) -> String {
    plant
        .extra
        .etag()
        .unwrap_or_else(|| panic!("no @odata.etag on {plant:?}"))
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
    assert_eq!(
        page.count,
        Some(3),
        "$count counts all matches, not the top 2"
    );
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
            &format!("filter {}", f.text(odata_runtime::Version::V4)),
            api.svc
                .plants()
                .list()
                .filter(f)
                .select(Plants::NAME)
                .send_blocking(c),
        )
        .value
    };
    // Int64 beyond 32 bits, Edm.Date, Edm.Guid, a string with a quote, and a combination.
    let rowan = by(Plants::BARCODE.eq(9_007_199_254_740_991_i64));
    assert_eq!(names(&rowan), ["Rowan"]);
    let sown = by(Plants::SOWN_ON.eq(date("2024-04-02")));
    assert_eq!(names(&sown), ["Lavender"]);
    let by_id = by(Plants::ID.eq(guid(ROWAN)));
    assert_eq!(names(&by_id), ["Rowan"]);
    assert!(by(Plants::NAME.eq("O'Hara's fern")).is_empty());
    let both = by(Plants::NAME.startswith("L").and(Plants::HABIT.eq("shrub")));
    assert_eq!(names(&both), ["Lavender"]);
}

/// Typed filters CAP evaluates: string functions, Decimal and Date comparisons, `in`, a path
/// through a single-valued navigation property, lambdas over a navigation collection and a
/// collection of complex values, `not`; and `$expand` with nested options.
#[test]
fn typed_filters_and_expand_options() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    // The seed plants only (plants created by tests cost 100 or more), sorted by name.
    let by = |f: Filter<Plants>| {
        let f = f.and(Plants::PRICE.lt(dec("100")));
        api.ok(
            &format!("filter {}", f.text(odata_runtime::Version::V4)),
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
        .and(Plants::SOWN_ON.lt(date("2024-04-01"))));
    assert_eq!(names(&found), ["Ivy", "Rowan"]);
    let found = by(Plants::HABIT.is_in(["herb", "climber"]));
    assert_eq!(names(&found), ["Basil", "Ivy"]);
    let found = by(Plants::SUPPLIER.then(Suppliers::CITY).eq("Oslo"));
    assert_eq!(names(&found), ["Basil", "Ivy", "Lavender"]);
    let found = by(Plants::NOTES.any(|n| n.then(CareNotes::TEXT).contains("deer")));
    assert_eq!(names(&found), ["Rowan"]);
    let found = by(Plants::NOTES
        .all(|n| n.then(CareNotes::WRITTEN_ON).gt(date("2024-06-01")))
        .and(Plants::NOTES.is_not_empty()));
    assert_eq!(names(&found), ["Lavender"]);
    let found = by(Plants::NOTES.is_not_empty().not());
    assert_eq!(names(&found), ["Basil", "Ivy"]);

    // $expand=notes($select=text;$orderby=writtenOn desc;$top=1),supplier($select=name)
    let rowan = api.ok(
        "expand with options",
        api.plant(ROWAN)
            .get()
            .select(Plants::NAME)
            .expand_with(Plants::NOTES, |e| {
                e.select(CareNotes::TEXT)
                    .orderby_desc(CareNotes::WRITTEN_ON)
                    .top(1)
            })
            .expand_with(Plants::SUPPLIER, |e| e.select(Suppliers::NAME))
            .send_blocking(c),
    );
    let notes = rowan.notes.expect("notes expanded");
    let texts: Vec<_> = notes.iter().map(|n| n.text.as_deref().unwrap()).collect();
    assert_eq!(texts, ["Protect from deer"]);
    assert_eq!(notes[0].written_on, None, "only `text` is selected");
    let supplier = rowan.supplier.expect("supplier expanded");
    assert_eq!(supplier.name.as_deref(), Some("Green Thumb Ltd"));
    assert_eq!(supplier.city, None);
}

#[test]
fn get_by_uuid_key_reads_every_kind_of_property() {
    let Some(api) = Api::start() else { return };
    let rowan = api.ok("get", api.plant(ROWAN).get().send_blocking(&api.client));
    assert_eq!(rowan.id, Some(guid(ROWAN)));
    assert_eq!(rowan.name.as_deref(), Some("Rowan"));
    assert_eq!(rowan.habit.as_deref(), Some("tree"));
    assert_eq!(rowan.price, Some(dec("49.90")));
    assert_eq!(rowan.barcode, Some(9_007_199_254_740_991));
    assert_eq!(rowan.sown_on, Some(date("2024-03-15")));
    assert_eq!(
        rowan.tags,
        Some(vec![Some("native".into()), Some("berries".into())])
    );
    // The structured `care` is flattened by CAP's (default) flat V4 format.
    assert_eq!(rowan.care_watering_days, Some(7));
    assert_eq!(rowan.care_light.as_deref(), Some("full sun"));
    assert_eq!(
        rowan.pots,
        Some(vec![
            Some(NurseryPot {
                litres: Some(dec("10.0")),
                price: Some(dec("49.90")),
                ..Default::default()
            }),
            Some(NurseryPot {
                litres: Some(dec("30.0")),
                price: Some(dec("89.00")),
                ..Default::default()
            }),
        ])
    );
    assert_eq!(rowan.supplier_id, Some(1));
    assert_eq!(
        rowan.modified_at.map(|t| t.to_utc().to_rfc3339()),
        Some("2024-03-15T08:00:00+00:00".to_owned())
    );
    assert_eq!(etag(&rowan), r#"W/"2024-03-15T08:00:00.000Z""#);
    assert_eq!(rowan.supplier, None, "not expanded");
}

#[test]
fn get_by_integer_key() {
    let Some(api) = Api::start() else { return };
    let s = api.ok(
        "get",
        api.svc
            .suppliers()
            .by_key(2)
            .get()
            .send_blocking(&api.client),
    );
    assert_eq!(s.name.as_deref(), Some("Fern & Frond"));
    assert_eq!(s.city.as_deref(), Some("Oslo"));
    let r = api.ok(
        "get reading",
        api.svc
            .readings()
            .by_key(1234)
            .get()
            .send_blocking(&api.client),
    );
    assert_eq!(r.sensor.as_deref(), Some("shed"));
    assert_eq!(r.celsius, Some(dec("-4.2")));
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

    // To one, to many, and back.
    let supplier = api.ok(
        "supplier",
        api.plant(ROWAN).supplier().get().send_blocking(c),
    );
    assert_eq!(supplier.id, Some(1));
    let notes = api.ok(
        "notes",
        api.plant(ROWAN)
            .notes()
            .list()
            .orderby(CareNotes::WRITTEN_ON)
            .send_blocking(c),
    );
    let written: Vec<_> = notes.value.iter().map(|n| n.written_on.unwrap()).collect();
    assert_eq!(written, [date("2024-03-20"), date("2024-04-01")]);
    let oslo = api.ok(
        "supplier's plants",
        api.svc
            .suppliers()
            .by_key(2)
            .plants()
            .list()
            .orderby(Plants::NAME)
            .send_blocking(c),
    );
    assert_eq!(names(&oslo.value), ["Basil", "Lavender"]);
    let back = api.ok(
        "note's plant",
        api.svc
            .care_notes()
            .by_key(notes.value[0].id.unwrap())
            .plant()
            .get()
            .send_blocking(c),
    );
    assert_eq!(back.name.as_deref(), Some("Rowan"));
}

#[test]
fn create_update_and_delete_without_etag() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let created = api.new_supplier(101, "Tide Pool", "Ålesund");
    assert_eq!(created.id, Some(101));
    let item = api.svc.suppliers().by_key(101);

    // PATCH: one property set, one cleared with an explicit null, the rest untouched.
    let mut patch = Suppliers {
        name: Some("Tide Pool AS".into()),
        ..Default::default()
    };
    patch.set_null(Suppliers::CITY);
    let request = item.update(&patch).to_request().unwrap();
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(
        String::from_utf8(request.body.clone().unwrap()).unwrap(),
        r#"{"name":"Tide Pool AS","city":null}"#
    );
    api.ok("update", item.update(&patch).send_blocking(c));
    let read = api.ok("get", item.get().send_blocking(c));
    assert_eq!(read.name.as_deref(), Some("Tide Pool AS"));
    assert_eq!(read.city, None);
    assert!(read.extra.is_null("city"), "city comes back as null");

    api.ok("delete", item.delete().send_blocking(c));
    let gone = item.get().send_blocking(c).unwrap_err();
    assert_eq!(gone.status(), Some(404), "{gone}");
}

#[test]
fn create_with_collections_and_a_composition() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let fern = Plants {
        name: Some("Hart's-tongue fern".into()),
        habit: Some("herb".into()),
        price: Some(dec("120.50")),
        barcode: Some(4_006_381_333_962),
        sown_on: Some(date("2025-02-28")),
        tags: Some(vec![Some("shade".into()), Some("evergreen".into())]),
        care_watering_days: Some(3),
        care_light: Some("shade".into()),
        pots: Some(vec![Some(NurseryPot {
            litres: Some(dec("1.5")),
            price: Some(dec("120.50")),
            ..Default::default()
        })]),
        supplier_id: Some(3),
        // A deep insert through the composition.
        notes: Some(vec![CareNotes {
            text: Some("Keep moist".into()),
            written_on: Some(date("2025-03-01")),
            ..Default::default()
        }]),
        ..Default::default()
    };
    let created = api.ok("create", api.svc.plants().create(&fern).send_blocking(c));
    let id = created.id.expect("the server assigns the UUID key");
    assert!(created.created_at.is_some());
    assert!(created.extra.etag().is_some());
    let read = api.ok(
        "get",
        api.svc
            .plants()
            .by_key(id)
            .get()
            .expand(Plants::NOTES)
            .send_blocking(c),
    );
    assert_eq!(read.tags, fern.tags);
    assert_eq!(read.pots, fern.pots);
    assert_eq!(read.sown_on, fern.sown_on);
    assert_eq!(read.barcode, fern.barcode);
    assert_eq!(read.care_light.as_deref(), Some("shade"));
    let notes = read.notes.unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].text.as_deref(), Some("Keep moist"));
    assert_eq!(notes[0].plant_id, Some(id));
}

#[test]
fn update_and_delete_with_the_etag() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let created = api.new_plant("Etag thyme", None);
    let item = api.svc.plants().by_key(created.id.unwrap());
    let first = etag(&created);

    // Without If-Match CAP refuses (428).
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
    let read = api.ok("get", item.get().send_blocking(c));
    assert_eq!(read.stock, Some(7));
    let second = etag(&read);
    assert_ne!(
        first, second,
        "the managed timestamp is the ETag and changed"
    );

    // The old ETag is stale now: 412.
    let stale = item
        .update(&patch)
        .if_match(&first)
        .send_blocking(c)
        .unwrap_err();
    assert_eq!(stale.status(), Some(412), "{stale}");
    let stale = item.delete().if_match(&first).send_blocking(c).unwrap_err();
    assert_eq!(stale.status(), Some(412), "{stale}");

    api.ok("delete", item.delete().if_match(&second).send_blocking(c));
    assert_eq!(item.get().send_blocking(c).unwrap_err().status(), Some(404));
}

#[test]
fn patch_of_a_read_entity_with_its_etag() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let created = api.new_plant("Patched basil", None);
    let item = api.svc.plants().by_key(created.id.unwrap());
    // A read entity, changed, with its tag given explicitly.
    let mut read = api.ok("get", item.get().send_blocking(c));
    read.stock = Some(4);
    let tag = etag(&read);
    api.ok(
        "PATCH of the read entity",
        item.update(&read).if_match(&tag).send_blocking(c),
    );
    let again = api.ok("get", item.get().send_blocking(c));
    assert_eq!(again.stock, Some(4));
    assert_eq!(again.name.as_deref(), Some("Patched basil"));
}

#[test]
fn update_and_delete_of_a_read_entity_send_its_etag() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let created = api.new_plant("Auto-etag sage", None);
    let item = api.svc.plants().by_key(created.id.unwrap());
    let mut read = api.ok("get", item.get().send_blocking(c));
    read.stock = Some(9);
    api.ok(
        "update of a read entity",
        item.update(&read).send_blocking(c),
    );
    let read = api.ok("get", item.get().send_blocking(c));
    assert_eq!(read.stock, Some(9));
    // `delete()` sends no If-Match (CAP: 428); `delete_entity` sends the read value's tag.
    let err = item.delete().send_blocking(c).unwrap_err();
    assert_eq!(err.status(), Some(428), "{err}");
    api.ok("delete_entity", item.delete_entity(&read).send_blocking(c));
    assert_eq!(item.get().send_blocking(c).unwrap_err().status(), Some(404));
}

/// A read entity updated twice: the first update's outcome carries the tag CAP answers with;
/// applied to the entity, the second update sends that tag and only its own change. Without
/// it the second update is refused (`412`, the tag it sends is the stale one).
#[test]
fn a_read_entity_updated_twice() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let created = api.new_plant("Twice rosemary", None);
    let item = api.svc.plants().by_key(created.id.unwrap());
    let mut read = api.ok("get", item.get().send_blocking(c));
    let first = etag(&read);
    read.stock = Some(2);
    let updated = api.ok("first update", item.update(&read).send_blocking(c));
    let new = updated
        .etag
        .clone()
        .expect("CAP answers an update with the new ETag");
    assert_ne!(new, first);
    let stale = read.clone();
    updated.apply_to(&mut read);
    assert_eq!(etag(&read), new);

    read.name = Some("Twice rosemary, pruned".into());
    let request = item.update(&read).to_request().unwrap();
    assert_eq!(request.header("If-Match"), Some(new.as_str()));
    let body = String::from_utf8(request.body.unwrap()).unwrap();
    assert_eq!(body, r#"{"name":"Twice rosemary, pruned"}"#);
    api.ok("second update", item.update(&read).send_blocking(c));
    let again = api.ok("get", item.get().send_blocking(c));
    assert_eq!(again.stock, Some(2));
    assert_eq!(again.name.as_deref(), Some("Twice rosemary, pruned"));

    let err = item.update(&stale).send_blocking(c).unwrap_err();
    assert_eq!(err.status(), Some(412), "{err}");
}

#[test]
fn patch_of_a_read_entity_sends_only_what_changed() {
    let Some(api) = Api::start() else { return };
    let mut rowan = api.ok("get", api.plant(ROWAN).get().send_blocking(&api.client));
    rowan.stock = Some(13);
    let request = api.plant(ROWAN).update(&rowan).to_request().unwrap();
    let body = String::from_utf8(request.body.unwrap()).unwrap();
    assert_eq!(body, r#"{"stock":13}"#);
}

#[test]
fn bound_action_and_bound_function() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let created = api.new_plant("Watered mint", None);
    let item = api.svc.plants().by_key(created.id.unwrap());
    // The action needs the ETag too (the plant has one).
    let watered = api.ok(
        "water",
        item.water(Some(2))
            .if_match(&etag(&created))
            .send_blocking(c),
    );
    let watered = watered.expect("the action returns the plant");
    assert_eq!(watered.times_watered, Some(2));
    let again = api.ok(
        "water with the default",
        item.water(None).if_match("*").send_blocking(c),
    );
    assert_eq!(again.unwrap().times_watered, Some(3));
    let err = item
        .water(Some(1000))
        .if_match("*")
        .send_blocking(c)
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
    let odata = err.odata().expect("an OData error body");
    assert_eq!(odata.message, "times must be an integer from 1 to 100");

    // A Decimal parameter: an integer and a fraction.
    let taxed = api.ok(
        "priceWithTax",
        api.plant(ROWAN)
            .price_with_tax(Some(dec("10")))
            .send_blocking(c),
    );
    assert_eq!(taxed, Some(dec("54.89")));
    let taxed = api.ok(
        "priceWithTax 12.5",
        api.plant(LAVENDER)
            .price_with_tax(Some(dec("12.5")))
            .send_blocking(c),
    );
    assert_eq!(taxed, Some(dec("14.06")));
}

#[test]
fn unbound_function_and_action() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let found = api.ok(
        "supplierIn",
        api.svc.supplier_in(Some("Oslo")).send_blocking(c),
    );
    let found = found.expect("a supplier in Oslo");
    assert_eq!(found.id, Some(2), "the first supplier in Oslo by ID");
    let quoted = api.ok(
        "supplierIn with a quote",
        api.svc.supplier_in(Some("Tromsø")).send_blocking(c),
    );
    assert_eq!(quoted.unwrap().name.as_deref(), Some("Moss Works"));

    api.new_supplier(102, "Restock Test", "Bodø");
    let a = api.new_plant("Restock A", Some(102));
    api.new_plant("Restock B", Some(102));
    let changed = api.ok(
        "restock",
        api.svc.restock(Some(102), Some(5)).send_blocking(c),
    );
    assert_eq!(changed, Some(2));
    let a = api.ok(
        "get",
        api.svc
            .plants()
            .by_key(a.id.unwrap())
            .get()
            .send_blocking(c),
    );
    assert_eq!(a.stock, Some(6));
    let none = api.ok(
        "restock nobody",
        api.svc.restock(Some(999), Some(1)).send_blocking(c),
    );
    assert_eq!(none, Some(0));
}

#[test]
fn unbound_function_without_a_result() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    // CAP answers 204 No Content: the result is `None`, not an error.
    let nothing = api.ok(
        "supplierIn without a result",
        api.svc.supplier_in(Some("Nowhere")).send_blocking(c),
    );
    assert_eq!(nothing, None);
}

#[test]
fn paging_over_server_pages() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    // CAP pages at 1,000 rows: 1,500 readings come in two pages.
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
    assert!(pages[0].next_link.is_some());
    assert_eq!(pages[1].value.len(), 500);
    assert!(pages[1].next_link.is_none());
    let ids: Vec<i32> = pages
        .iter()
        .flat_map(|p| p.value.iter().map(|r| r.id.unwrap()))
        .collect();
    assert_eq!(ids, (1..=1500).collect::<Vec<_>>());

    // items() with a filter and $select: the options are kept on the next page.
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
    assert!(shed.iter().all(|r| r.sensor.as_deref() != Some("field")));
    assert!(
        shed.iter().all(|r| r.celsius.is_none()),
        "$select kept on every page"
    );

    let n = api.ok("count", api.svc.readings().count().send_blocking(c));
    assert_eq!(n, 1500);
    let top = api.ok(
        "skip and top",
        api.svc
            .readings()
            .list()
            .orderby_desc(Readings::ID)
            .skip(10)
            .top(3)
            .send_blocking(c),
    );
    let ids: Vec<i32> = top.value.iter().map(|r| r.id.unwrap()).collect();
    assert_eq!(ids, [1490, 1489, 1488]);
}

#[test]
fn errors_are_typed() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let err = api
        .plant("00000000-0000-4000-8000-000000000000")
        .get()
        .send_blocking(c)
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
    let odata = err.odata().expect("an OData error body");
    assert_eq!(odata.code, "404");
    assert!(!odata.message.is_empty());

    let err = api
        .svc
        .suppliers()
        .by_key(-1)
        .get()
        .send_blocking(c)
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");

    // A duplicate key: CAP on SQLite answers 500 with the constraint in the message, not 409.
    let dup = Suppliers {
        id: Some(1),
        name: Some("Again".into()),
        ..Default::default()
    };
    let err = api
        .svc
        .suppliers()
        .create(&dup)
        .send_blocking(c)
        .unwrap_err();
    assert_eq!(err.status(), Some(500), "{err}");
    let odata = err.odata().expect("an OData error body");
    assert!(odata.message.contains("UNIQUE constraint"), "{err}");

    // Readings are read-only.
    let r = Readings {
        id: Some(5000),
        ..Default::default()
    };
    let err = api.svc.readings().create(&r).send_blocking(c).unwrap_err();
    assert_eq!(err.status(), Some(405), "{err}");
}

#[test]
fn paging_as_an_async_stream() {
    use futures_util::StreamExt as _;
    let Some(api) = Api::start() else { return };
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("an async reqwest client");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // 1,500 readings over two server pages, as a stream of items.
    let ids: Vec<i32> = runtime.block_on(async {
        let stream = api
            .svc
            .readings()
            .list()
            .orderby(Readings::ID)
            .select(Readings::ID)
            .item_stream(&client)
            .unwrap();
        stream
            .map(|r| api.ok("a reading", r).id.unwrap())
            .collect()
            .await
    });
    assert_eq!(ids, (1..=1500).collect::<Vec<_>>());
    // Pages: the first one full, and stopping after it fetches no more.
    let first = runtime.block_on(async {
        let mut pages = api.svc.readings().list().page_stream(&client).unwrap();
        pages.next().await
    });
    let first = api.ok("the first page", first.expect("a page"));
    assert_eq!(first.value.len(), 1000);
    assert!(first.next_link.is_some());
}
