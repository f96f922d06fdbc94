//! What goes over the wire: V2/V3 verbose JSON read and written back losslessly, update bodies
//! that carry only what changed, entity tags, nullable results and optional parameters.
//!
//! The types are those the generator emits for `tests/fixtures/golden/runtime_shape.xml` (V4:
//! `Desk.Ticket`, an open entity type with a computed, an immutable and a navigation property,
//! and a complex `Desk.Place`) and `runtime_shape_v2.xml` (V2: `Shop.Customer` with a
//! collection of `Shop.Order`s, each with its customer).

use golden_runtime_shape::desk::requests::TicketItem;
use golden_runtime_shape::desk::{Place, Ticket};
use golden_runtime_shape_v2::shop::requests::CustomerItem;
use golden_runtime_shape_v2::shop::{Customer, Order};
use odata_runtime::prelude::*;
use odata_runtime::resource::{Arg, MaybeOne, MaybeValueOf, One, Outcome};
use odata_runtime::serde;
use odata_runtime::{self as rt, Method, Path, Response, Version};
use serde_json::{Value, json};

fn text<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap()
}

/// The body of a request as JSON.
fn body(r: &rt::Request) -> Value {
    serde_json::from_slice(r.body.as_deref().expect("a body")).expect("a JSON body")
}

fn ticket_item() -> TicketItem {
    TicketItem::from_path(
        Path::root("https://desk.example.com/odata", Version::V4).segment("Tickets(7)"),
    )
}

const CUSTOMER_DEFERRED: &str = r#"{
  "__metadata": {"uri": "https://h/svc/Customers('A')", "type": "Shop.Customer", "etag": "W/\"1\""},
  "Code": "A",
  "Name": "Ann",
  "Since": "/Date(1234567890000)/",
  "Tags": {"__metadata": {"type": "Collection(Edm.String)"}, "results": ["x", "y"]},
  "Orders": {"__deferred": {"uri": "https://h/svc/Customers('A')/Orders"}}
}"#;

#[test]
fn v2_deferred_navigation_and_metadata_are_kept() {
    let c: Customer = serde_json::from_str(CUSTOMER_DEFERRED).unwrap();
    assert_eq!(c.code.as_deref(), Some("A"));
    assert_eq!(
        c.orders, None,
        "a deferred navigation property has no value"
    );
    assert_eq!(
        c.extra.navigation_link("Orders"),
        Some("https://h/svc/Customers('A')/Orders")
    );
    assert_eq!(
        c.tags.as_deref(),
        Some(&["x".to_owned(), "y".to_owned()][..])
    );
    assert_eq!(c.extra.etag(), Some("W/\"1\""));
    assert_eq!(c.extra.entity_url(), Some("https://h/svc/Customers('A')"));
    assert_eq!(c.extra.odata_type(), Some("Shop.Customer"));
    assert_eq!(c.since.unwrap().to_string(), "/Date(1234567890000)/");
    // Written back: the same JSON value.
    let back = text(&c);
    assert_eq!(
        back,
        serde_json::from_str::<Value>(CUSTOMER_DEFERRED).unwrap()
    );
}

#[test]
fn v2_expanded_collections_at_any_depth_round_trip() {
    let payload = json!({"d": {
        "__metadata": {"uri": "https://h/svc/Customers('B')", "type": "Shop.Customer"},
        "Code": "B",
        "Since": "/Date(1234567890000+0120)/",
        "Orders": {"results": [
            {"__metadata": {"uri": "https://h/svc/Orders(1)", "type": "Shop.Order"},
             "Number": 1, "Total": "12.50", "Quantity": "9007199254740993",
             "Customer": {"__deferred": {"uri": "https://h/svc/Orders(1)/Customer"}}},
            {"__metadata": {"uri": "https://h/svc/Orders(2)", "type": "Shop.Order"},
             "Number": 2, "Total": "0.10", "Quantity": "1",
             "Customer": {"__metadata": {"uri": "https://h/svc/Customers('B')", "type": "Shop.Customer"},
                          "Code": "B", "Orders": {"results": [], "__count": "0"}}}
        ], "__count": "2", "__next": "https://h/svc/Customers('B')/Orders?$skiptoken=2"}
    }});
    let response = Response::new(200, vec![], serde_json::to_vec(&payload).unwrap());
    let c: Customer = One::<Customer>::read(response, Version::V2).unwrap();
    let orders = c.orders.as_ref().unwrap();
    assert_eq!(orders.len(), 2);
    assert_eq!(orders[0].total.unwrap().to_string(), "12.50");
    assert_eq!(orders[0].quantity, Some(9_007_199_254_740_993));
    assert_eq!(
        orders[0].extra.navigation_link("Customer"),
        Some("https://h/svc/Orders(1)/Customer")
    );
    let inner = orders[1].customer.as_ref().unwrap();
    assert_eq!(inner.orders.as_deref(), Some(&[][..]));
    assert_eq!(
        inner.extra.collection_wrapper("Orders").unwrap()["__count"],
        "0"
    );
    let wrapper = c.extra.collection_wrapper("Orders").unwrap();
    assert_eq!(wrapper["__count"], "2");
    assert!(
        wrapper["__next"]
            .as_str()
            .unwrap()
            .ends_with("$skiptoken=2")
    );
    // Lossless: what was read is written back.
    assert_eq!(text(&c), payload["d"]);
}

#[test]
fn v2_write_bodies_leave_out_metadata_deferred_links_and_wrappers() {
    let mut c: Customer = serde_json::from_str(CUSTOMER_DEFERRED).unwrap();
    c.name = Some("Anna".into());
    // The V2 builders share the runtime's code; only the version differs.
    let customer =
        CustomerItem::from_path(Path::root("https://h/svc", Version::V2).segment("Customers('A')"));
    let request = customer.update(&c).to_request().unwrap();
    assert_eq!(request.method, Method::Merge);
    assert_eq!(body(&request), json!({"Name": "Anna"}));
    assert_eq!(request.header("If-Match"), Some("W/\"1\""));

    // Replace: every set property, collections as plain arrays, no metadata, no deferred link.
    let request = customer.replace(&c).to_request().unwrap();
    assert_eq!(
        body(&request),
        json!({"Code": "A", "Name": "Anna", "Since": "/Date(1234567890000)/", "Tags": ["x", "y"]})
    );
    // Nor the deferred link of a navigation property the type does not declare (a newer
    // service's, or one a filter left out: SAP sends one for each), in any body; a round trip
    // keeps it.
    let mut newer: Value = serde_json::from_str(CUSTOMER_DEFERRED).unwrap();
    newer["to_CreditWorthiness"] =
        json!({"__deferred": {"uri": "https://h/svc/Customers('A')/to_CreditWorthiness"}});
    newer["Rank"] = json!({"value": 3});
    let n: Customer = serde_json::from_value(newer.clone()).unwrap();
    assert_eq!(text(&n), newer);
    let replace = body(&customer.replace(&n).to_request().unwrap());
    assert!(replace.get("to_CreditWorthiness").is_none(), "{replace}");
    assert_eq!(
        replace["Rank"],
        json!({"value": 3}),
        "other undeclared members are data"
    );
    let customers = golden_runtime_shape_v2::shop::requests::ShopService::new("https://h/svc");
    let create = body(&customers.customers().create(&n).to_request().unwrap());
    assert!(create.get("to_CreditWorthiness").is_none(), "{create}");
    // Clearing a property: `null`.
    c.set_null(Customer::SINCE);
    let request = customer.update(&c).to_request().unwrap();
    assert_eq!(body(&request), json!({"Name": "Anna", "Since": null}));
}

fn read_ticket() -> Ticket {
    serde_json::from_value(json!({
        "@odata.context": "https://desk.example.com/odata/$metadata#Tickets/$entity",
        "@odata.etag": "W/\"2026-12-04T10:00:00Z\"",
        "id": 7,
        "title": "Printer on fire",
        "created": "2026-12-04T09:00:00Z",
        "reference": "R-7",
        "place": {"city": "Oslo", "room": "4.12"},
        "owner": {"id": 1, "title": "Boss"},
        "notes": null,
        "mood": "grim"
    }))
    .unwrap()
}

#[test]
fn an_update_of_a_read_entity_sends_only_what_changed() {
    let item = ticket_item();
    let mut t = read_ticket();
    // Nothing changed: an empty object (and If-Match).
    let r = item.update(&t).to_request().unwrap();
    assert_eq!(body(&r), json!({}));
    assert_eq!(r.header("If-Match"), Some("W/\"2026-12-04T10:00:00Z\""));
    assert!(t.changed_properties().is_empty());

    // One field changed: only it, never the context, the etag, the navigation value, the
    // computed or the immutable property, nor unchanged dynamic properties.
    t.title = Some("Printer fixed".into());
    t.created = Some("2030-01-01T00:00:00Z".parse().unwrap());
    t.reference = Some("R-8".into());
    t.owner.as_mut().unwrap().title = Some("Other".into());
    let r = item.update(&t).to_request().unwrap();
    assert_eq!(r.method, Method::Patch);
    assert_eq!(body(&r), json!({"title": "Printer fixed"}));
    assert_eq!(t.changed_properties(), ["title"]);

    // Cleared (None now) and explicitly nulled: `null`; a nested change sends the whole value;
    // a read `null` set to a value is sent; a changed dynamic property is sent.
    t.title = None;
    t.place.as_mut().unwrap().room = Some("5.01".into());
    t.notes = Some("call facilities".into());
    t.extra.dynamic.insert("mood".into(), json!("calm"));
    let r = item.update(&t).to_request().unwrap();
    assert_eq!(
        body(&r),
        json!({"title": null, "place": {"city": "Oslo", "room": "5.01"}, "notes": "call facilities", "mood": "calm"})
    );

    // After the update succeeded, the caller makes this the baseline.
    t.mark_unchanged();
    assert_eq!(body(&item.update(&t).to_request().unwrap()), json!({}));
    t.set_null(Ticket::NOTES);
    assert_eq!(t.notes, None);
    assert_eq!(
        body(&item.update(&t).to_request().unwrap()),
        json!({"notes": null})
    );

    // A clone keeps what the value was read as; equality ignores it.
    let copy = t.clone();
    assert_eq!(copy.changed_properties(), ["notes"]);
    let mut fresh = t.clone();
    fresh.forget_origin();
    assert_eq!(fresh, t);
}

#[test]
fn an_update_of_a_value_built_by_hand_sends_what_is_set() {
    let item = ticket_item();
    let mut t = Ticket {
        title: Some("New title".into()),
        created: Some("2030-01-01T00:00:00Z".parse().unwrap()),
        reference: Some("immutable".into()),
        owner: Some(Box::default()),
        ..Default::default()
    };
    t.set_null(Ticket::NOTES);
    t.extra
        .set_annotation("@odata.context", json!("ignored in write bodies"));
    t.extra
        .set_annotation("owner@odata.bind", json!("Tickets(1)"));
    let r = item.update(&t).to_request().unwrap();
    assert_eq!(
        body(&r),
        json!({"owner@odata.bind": "Tickets(1)", "title": "New title", "notes": null})
    );
    assert_eq!(r.header("If-Match"), None, "no entity tag, no If-Match");
    // An explicit If-Match wins.
    let r = item.update(&t).if_match("*").to_request().unwrap();
    assert_eq!(r.header("If-Match"), Some("*"));
}

#[test]
fn a_value_deserialized_from_a_file_counts_as_read() {
    let saved = serde_json::to_string(&read_ticket()).unwrap();
    let mut t: Ticket = serde_json::from_str(&saved).unwrap();
    t.notes = Some("later".into());
    assert_eq!(
        body(&ticket_item().update(&t).to_request().unwrap()),
        json!({"notes": "later"})
    );
}

#[test]
fn replace_sends_every_writable_property() {
    let t = read_ticket();
    let r = ticket_item().replace(&t).to_request().unwrap();
    assert_eq!(r.method, Method::Put);
    assert_eq!(
        body(&r),
        json!({"id": 7, "title": "Printer on fire", "place": {"city": "Oslo", "room": "4.12"}, "notes": null, "mood": "grim"})
    );
    assert_eq!(r.header("If-Match"), Some("W/\"2026-12-04T10:00:00Z\""));
}

#[test]
fn delete_entity_sends_the_entity_tag() {
    let t = read_ticket();
    let r = ticket_item().delete_entity(&t).to_request().unwrap();
    assert_eq!(r.method, Method::Delete);
    assert_eq!(r.header("If-Match"), Some("W/\"2026-12-04T10:00:00Z\""));
    assert_eq!(
        ticket_item()
            .delete()
            .to_request()
            .unwrap()
            .header("If-Match"),
        None
    );
}

#[test]
fn an_etag_header_becomes_the_entity_tag() {
    // V4 without @odata.etag in the body.
    let response = Response::new(
        200,
        vec![("ETag".into(), "W/\"9\"".into())],
        br#"{"id": 7, "title": "t"}"#.to_vec(),
    );
    let t = One::<Ticket>::read(response, Version::V4).unwrap();
    assert_eq!(t.extra.etag(), Some("W/\"9\""));
    let r = ticket_item().update(&t).to_request().unwrap();
    assert_eq!(r.header("If-Match"), Some("W/\"9\""));
    // The body's own tag wins over the header.
    let response = Response::new(
        200,
        vec![("ETag".into(), "W/\"header\"".into())],
        br#"{"@odata.etag": "W/\"body\"", "id": 7}"#.to_vec(),
    );
    let t = One::<Ticket>::read(response, Version::V4).unwrap();
    assert_eq!(t.extra.etag(), Some("W/\"body\""));
    // V2: into `__metadata`.
    let response = Response::new(
        200,
        vec![("etag".into(), "W/\"v2\"".into())],
        br#"{"d": {"__metadata": {"uri": "u"}, "Code": "A"}}"#.to_vec(),
    );
    let c = One::<Customer>::read(response, Version::V2).unwrap();
    assert_eq!(c.extra.etag(), Some("W/\"v2\""));
    assert_eq!(c.extra.entity_url(), Some("u"));
}

#[test]
fn nullable_results_read_no_content_as_none() {
    let none = Response::new(204, vec![], vec![]);
    assert_eq!(
        MaybeOne::<Ticket>::read(none.clone(), Version::V4).unwrap(),
        None
    );
    assert_eq!(
        MaybeValueOf::<i32>::read(none.clone(), Version::V4).unwrap(),
        None
    );
    let null = Response::new(200, vec![], br#"{"value": null}"#.to_vec());
    assert_eq!(MaybeValueOf::<i32>::read(null, Version::V4).unwrap(), None);
    let one = Response::new(200, vec![], br#"{"value": 3}"#.to_vec());
    assert_eq!(
        MaybeValueOf::<i32>::read(one, Version::V4).unwrap(),
        Some(3)
    );
    let v2 = Response::new(200, vec![], br#"{"d": {"Best": "Dune"}}"#.to_vec());
    assert_eq!(
        MaybeValueOf::<String>::read(v2, Version::V2)
            .unwrap()
            .as_deref(),
        Some("Dune")
    );
    let t = Response::new(200, vec![], br#"{"id": 1}"#.to_vec());
    assert_eq!(
        MaybeOne::<Ticket>::read(t, Version::V4)
            .unwrap()
            .unwrap()
            .id,
        Some(1)
    );
}

#[test]
fn optional_parameters_are_left_out() {
    let none: Option<bool> = None;
    let call = rt::Args::new()
        .arg("required", &1)
        .opt("optional", &none)
        .opt("given", &Some("x"))
        .post::<rt::resource::NoContent>(&ticket_item().path().segment("Desk.act"));
    assert_eq!(
        body(&call.to_request().unwrap()),
        json!({"required": 1, "given": "x"})
    );
    // In a URL: V4 function parameters, V2/V3 query parameters.
    let root = Path::root("https://h/svc", Version::V4);
    let absent: Option<i32> = None;
    let present: Option<i32> = Some(5);
    let p = root.function(
        "Desk.f",
        &[
            ("a", Arg::optional(&absent)),
            ("b", Arg::optional(&present)),
            ("c", Arg::Literal(&absent)),
        ],
    );
    assert_eq!(p.url(), "https://h/svc/Desk.f(b=5,c=null)");
    let v2 = Path::root("https://h/svc", Version::V2);
    let p = v2.function(
        "F",
        &[
            ("a", Arg::optional(&absent)),
            ("b", Arg::optional(&present)),
        ],
    );
    assert_eq!(
        p.call::<rt::resource::NoContent>(Method::Get)
            .to_request()
            .unwrap()
            .url,
        "https://h/svc/F?b=5"
    );
}

#[test]
fn set_null_takes_only_names_of_the_type() {
    let mut t = Ticket {
        title: Some("x".into()),
        ..Default::default()
    };
    t.set_null(Ticket::TITLE);
    assert_eq!(t.title, None);
    assert_eq!(t.extra.nulls(), ["title"]);
    assert_eq!(text(&t), json!({"title": null}));
    // `t.set_null(Customer::NAME)` and `t.set_null("title")` do not compile: neither is a
    // property constant of `Ticket` or a base type (the compile-fail doc tests of
    // `tests/src/lib.rs` check that on a generated crate).
    let _ = Place::default();
    let _ = Order::default();
}

#[test]
fn v2_complex_results_are_unwrapped_from_their_name() {
    let response = Response::new(
        200,
        vec![],
        br#"{"d": {"GetPlace": {"__metadata": {"type": "Desk.Place"}, "city": "Oslo"}}}"#.to_vec(),
    );
    let p = MaybeOne::<Place>::read(response, Version::V2)
        .unwrap()
        .unwrap();
    assert_eq!(p.city.as_deref(), Some("Oslo"));
    // An entity with one property stays as it is.
    let response = Response::new(200, vec![], br#"{"d": {"Code": "A"}}"#.to_vec());
    let c = One::<Customer>::read(response, Version::V2).unwrap();
    assert_eq!(c.code.as_deref(), Some("A"));
}

/// V3 verbose JSON (`odata=verbose`: SharePoint 2013, WCF Data Services) is V2's format: a
/// single entity comes as `{"d": {…}}` with its `__metadata`, and is read as one (it was read
/// as an empty entity holding a dynamic property `d`).
#[test]
fn v3_verbose_entities_are_unwrapped() {
    use golden_runtime_shape_v3::microsoft_directory_services as v3;
    let payload = json!({"d": {
        "__metadata": {"uri": "https://h/svc/directoryObjects('x')", "type": "Microsoft.DirectoryServices.user",
                       "etag": "W/\"7\""},
        "ID": "x"
    }});
    let response = Response::new(200, vec![], serde_json::to_vec(&payload).unwrap());
    let u: v3::User = One::<v3::User>::read(response, Version::V3).unwrap();
    assert_eq!(u.id.as_deref(), Some("x"));
    assert_eq!(u.extra.etag(), Some("W/\"7\""));
    assert!(u.extra.dynamic.is_empty(), "{:?}", u.extra.dynamic);
    // With an ETag header, as services send it too.
    let response = Response::new(
        200,
        vec![("ETag".into(), "W/\"8\"".into())],
        serde_json::to_vec(&json!({"d": {"ID": "y"}})).unwrap(),
    );
    let u: Option<v3::User> = MaybeOne::<v3::User>::read(response, Version::V3).unwrap();
    let u = u.unwrap();
    assert_eq!(
        (u.id.as_deref(), u.extra.etag()),
        (Some("y"), Some("W/\"8\""))
    );
}
