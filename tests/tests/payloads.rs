//! JSON round trips through the checked-in golden crates (`tests/golden/*`): every payload is
//! read into the generated type, written back, and compared with the input as a
//! `serde_json::Value` (nothing dropped, nothing altered); the typed values are checked too.

use odata_runtime::Structured as _;
use serde_json::{Value, json};

use golden_evolvable_enum::golden_evolvable as evo;
use golden_flags_enum::golden_flags as flags;
use golden_inheritance::golden_inheritance as inh;
use golden_keywords_and_std_names::golden_keywords as kw;
use golden_open_type::golden_open as open;
use golden_polymorphism::golden_poly as poly;
use golden_primitives::golden_primitives as prim;
use golden_primitives_v3::golden_primitives_v3 as prim3;
use golden_recursion::golden_recursion as rec;
use golden_type_definition::golden_type_defs as td;
use golden_v2_association::golden_v2 as v2;
use golden_v3_function_import::golden_v3 as v3;

/// Reads `payload` as `T`, writes it back (plain mode) and checks that nothing changed.
fn round_trip<T>(payload: &Value) -> T
where
    T: odata_runtime::serde::de::DeserializeOwned + odata_runtime::serde::Serialize,
{
    let value: T = serde_json::from_value(payload.clone())
        .unwrap_or_else(|e| panic!("cannot read {payload:#}: {e}"));
    let back = serde_json::to_value(&value).expect("serializes");
    assert_eq!(
        &back, payload,
        "written back differs from the input\n written: {back:#}\n   input: {payload:#}"
    );
    // From text too, not only from a `Value` (serde_json takes other paths).
    let text = serde_json::to_string(payload).unwrap();
    let from_text: T = serde_json::from_str(&text).expect("reads from text");
    assert_eq!(serde_json::to_value(&from_text).unwrap(), *payload);
    value
}

/// Like [`round_trip`], but writes inside `with_ieee754_compatible` (Int64 and Decimal as
/// strings).
fn round_trip_ieee754<T>(payload: &Value) -> T
where
    T: odata_runtime::serde::de::DeserializeOwned + odata_runtime::serde::Serialize,
{
    let value: T = serde_json::from_value(payload.clone())
        .unwrap_or_else(|e| panic!("cannot read {payload:#}: {e}"));
    let back = odata_runtime::with_ieee754_compatible(|| serde_json::to_value(&value))
        .expect("serializes");
    assert_eq!(
        &back, payload,
        "written back differs from the input\n written: {back:#}\n   input: {payload:#}"
    );
    value
}

// ---------------------------------------------------------------- polymorphism (V4)

fn message_payload() -> Value {
    json!({
        "@odata.context": "$metadata#Messages/$entity",
        "@odata.etag": "W/\"42\"",
        "id": "m1",
        "mainAttachment": {
            "@odata.type": "#Golden.Poly.FileAttachment",
            "name": "report.pdf",
            "size@odata.type": "#Int64",
            "size": 1024
        },
        "attachments": [
            { "name": "untagged" },
            { "@odata.type": "#poly.LinkAttachment", "name": "link", "url": "https://example.com" },
            {
                "@odata.type": "#Golden.Poly.VideoAttachment",
                "name": "clip",
                "codec": "h264",
                "frames": [1, 2, 3]
            },
            { "@odata.type": "#Golden.Poly.FileAttachment", "name": "f", "size": 7 }
        ],
        "sender": {
            "@odata.type": "#Golden.Poly.Person",
            "id": "p1",
            "displayName": "Ann",
            "age": 41
        },
        "recipients": [
            { "@odata.type": "#Golden.Poly.Company", "id": "c1", "vatNumber": "DE123" },
            { "id": "p2", "displayName": "no tag" },
            { "@odata.type": "#Golden.Poly.Robot", "id": "r1", "serial": 9 }
        ]
    })
}

#[test]
fn polymorphism_round_trip_and_variants() {
    let m: poly::Message = round_trip(&message_payload());
    assert_eq!(m.id.as_deref(), Some("m1"));
    assert_eq!(m.extra.etag(), Some("W/\"42\""));
    assert_eq!(
        m.extra.annotation("@odata.context"),
        Some(&json!("$metadata#Messages/$entity"))
    );

    // A derived type through a base-typed single property.
    let Some(poly::AnyAttachment::FileAttachment(file)) = &m.main_attachment else {
        panic!("mainAttachment: {:?}", m.main_attachment);
    };
    assert_eq!(file.name.as_deref(), Some("report.pdf"));
    assert_eq!(file.size, Some(1024));
    assert_eq!(
        file.extra.annotation("size@odata.type"),
        Some(&json!("#Int64"))
    );

    // A base-typed collection: untagged, alias-qualified tag, unknown tag, derived.
    let atts = m.attachments.as_ref().unwrap();
    assert_eq!(atts.len(), 4);
    let poly::AnyAttachment::Attachment(plain) = &atts[0] else {
        panic!("missing tag must give the declared type: {:?}", atts[0]);
    };
    assert_eq!(plain.name.as_deref(), Some("untagged"));
    let poly::AnyAttachment::LinkAttachment(link) = &atts[1] else {
        panic!("alias-qualified tag: {:?}", atts[1]);
    };
    assert_eq!(link.url.as_deref(), Some("https://example.com"));
    assert_eq!(link.extra.odata_type(), Some("#poly.LinkAttachment"));
    let poly::AnyAttachment::Unknown(unknown) = &atts[2] else {
        panic!("unknown tag must give Unknown: {:?}", atts[2]);
    };
    assert_eq!(unknown.name.as_deref(), Some("clip"));
    assert_eq!(
        unknown.extra.odata_type(),
        Some("#Golden.Poly.VideoAttachment")
    );
    assert_eq!(unknown.extra.dynamic.get("codec"), Some(&json!("h264")));
    assert_eq!(unknown.extra.dynamic.get("frames"), Some(&json!([1, 2, 3])));
    assert!(matches!(&atts[3], poly::AnyAttachment::FileAttachment(f) if f.size == Some(7)));

    // Navigation properties: single and collection.
    let Some(poly::AnyParty::Person(person)) = &m.sender else {
        panic!("sender: {:?}", m.sender);
    };
    assert_eq!(person.age, Some(41));
    assert_eq!(person.display_name.as_deref(), Some("Ann"));
    let rs = m.recipients.as_ref().unwrap();
    assert!(
        matches!(&rs[0], poly::AnyParty::Company(c) if c.vat_number.as_deref() == Some("DE123"))
    );
    assert!(matches!(&rs[1], poly::AnyParty::Party(p) if p.id.as_deref() == Some("p2")));
    let poly::AnyParty::Unknown(robot) = &rs[2] else {
        panic!("unknown navigation target type: {:?}", rs[2]);
    };
    assert_eq!(robot.id.as_deref(), Some("r1"));
    assert_eq!(robot.extra.dynamic.get("serial"), Some(&json!(9)));
}

#[test]
fn polymorphism_writes_tags_for_derived_values_built_in_code() {
    let att = poly::AnyAttachment::LinkAttachment(Box::new(poly::LinkAttachment {
        name: Some("x".into()),
        url: Some("https://x".into()),
        ..Default::default()
    }));
    assert_eq!(
        serde_json::to_value(&att).unwrap(),
        json!({ "@odata.type": "#Golden.Poly.LinkAttachment", "name": "x", "url": "https://x" })
    );
    let base = poly::AnyAttachment::Attachment(Box::default());
    assert_eq!(serde_json::to_value(&base).unwrap(), json!({}));
}

#[test]
fn polymorphic_tags_are_matched_loosely() {
    // Without `#`, and in another ASCII case.
    for tag in ["Golden.Poly.Person", "#golden.poly.person"] {
        let p: poly::AnyParty =
            serde_json::from_value(json!({ "@odata.type": tag, "age": 3 })).unwrap();
        assert!(matches!(p, poly::AnyParty::Person(_)), "{tag}: {p:?}");
    }
}

// ---------------------------------------------------------------- inheritance

#[test]
fn inheritance_three_levels() {
    let payload = json!([
        { "@odata.type": "#Golden.Inheritance.Dog", "id": "d", "label": "Rex", "legs": 4, "breed": "lab" },
        { "@odata.type": "#inh.Animal", "id": "a", "legs": 6 },
        { "id": "t", "label": "abstract base, untagged" },
        { "@odata.type": "#Golden.Inheritance.Plant", "id": "p", "leaves": 12 }
    ]);
    let things: Vec<inh::AnyThing> = round_trip(&payload);
    let inh::AnyThing::Dog(dog) = &things[0] else {
        panic!("{:?}", things[0]);
    };
    // The key is inherited from the abstract base, two levels up.
    assert_eq!(dog.id.as_deref(), Some("d"));
    assert_eq!(dog.legs, Some(4));
    assert_eq!(dog.breed.as_deref(), Some("lab"));
    assert!(matches!(&things[1], inh::AnyThing::Animal(a) if a.legs == Some(6)));
    assert!(matches!(&things[2], inh::AnyThing::Thing(t) if t.id.as_deref() == Some("t")));
    assert!(matches!(&things[3], inh::AnyThing::Unknown(u) if u.extra.dynamic["leaves"] == 12));

    // Through the middle of the hierarchy.
    let animal: inh::AnyAnimal = round_trip(&json!({
        "@odata.type": "#Golden.Inheritance.Dog", "id": "d2", "breed": "pug"
    }));
    assert!(matches!(animal, inh::AnyAnimal::Dog(d) if d.breed.as_deref() == Some("pug")));
    let shape: inh::AnyShape = round_trip(&json!({
        "@odata.type": "#Golden.Inheritance.Square", "area": 4, "side": 2.5
    }));
    assert!(matches!(shape, inh::AnyShape::Square(s) if s.side == Some(2.5)));
}

// ---------------------------------------------------------------- enums

#[test]
fn evolvable_enums_keep_unknown_members() {
    let payload = json!({
        "status": "archived",
        "health": "Unknown",
        "history": ["active", "unknownFutureValue", "hibernating"],
        "mode": "manual"
    });
    let r: evo::Report = round_trip(&payload);
    assert_eq!(r.status, Some(evo::Status::Unknown("archived".into())));
    // The member named `Unknown` is a normal member; the catch-all is renamed.
    assert_eq!(r.health, Some(evo::Health::Unknown));
    assert_eq!(
        r.history,
        Some(vec![
            evo::Status::Active,
            evo::Status::UnknownFutureValue,
            evo::Status::Unknown("hibernating".into())
        ])
    );
    assert_eq!(r.mode, Some(evo::Mode::Manual));

    let r: evo::Report = round_trip(&json!({ "health": "Critical" }));
    assert_eq!(r.health, Some(evo::Health::Unknown2("Critical".into())));

    // Integers are accepted on input and written as names.
    let r: evo::Report = serde_json::from_value(json!({ "status": 1, "health": -1 })).unwrap();
    assert_eq!(r.status, Some(evo::Status::Suspended));
    assert_eq!(r.health, Some(evo::Health::Unknown));
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({ "status": "suspended", "health": "Unknown" })
    );
}

#[test]
fn flags_enums() {
    let payload = json!({
        "permissions": "read,write",
        "days": ["monday,tuesday", "weekend", "monday,holiday"]
    });
    let g: flags::Grant = round_trip(&payload);
    let p = g.permissions.as_ref().unwrap();
    assert!(p.contains(&flags::Permission::Read));
    assert!(p.contains(&flags::Permission::Write));
    assert!(p.contains(&flags::Permission::ReadWrite));
    assert!(!p.contains(&flags::Permission::Execute));
    assert!(!p.contains(&flags::Permission::None));
    let days = g.days.as_ref().unwrap();
    assert_eq!(days[1].bits, 96);
    assert!(days[2].contains(&flags::Day::Monday));
    assert!(days[2].contains(&flags::Day::Unknown("holiday".into())));

    // Built in code, with the operators.
    let mut perms =
        odata_runtime::Flags::from(flags::Permission::Read) | flags::Permission::Execute;
    perms.insert(flags::Permission::Write);
    let all = odata_runtime::Flags::from(flags::Permission::All);
    assert_eq!(perms, all);
    let g = flags::Grant {
        permissions: Some(perms - odata_runtime::Flags::from(flags::Permission::Write)),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&g).unwrap(),
        json!({ "permissions": "read,execute" })
    );
    let empty = flags::Grant {
        permissions: Some(odata_runtime::Flags::new()),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&empty).unwrap(),
        json!({ "permissions": "none" })
    );
}

#[test]
fn flags_combined_member_is_read_as_its_bits() {
    let g: flags::Grant = serde_json::from_value(json!({ "permissions": "readWrite" })).unwrap();
    let p = g.permissions.unwrap();
    assert_eq!(p.bits, 3);
    assert!(p.contains(&flags::Permission::Read) && p.contains(&flags::Permission::Write));
}

// ---------------------------------------------------------------- open types, nulls

#[test]
fn open_types_keep_dynamic_properties_and_nulls() {
    let payload = json!({
        "@odata.context": "$metadata#Items/$entity",
        "@odata.etag": "W/\"7\"",
        "id": 1,
        "title": null,
        "bag": {
            "kind": "k",
            "size": 3,
            "nested": { "a": [1, { "b": null }] },
            "nothing": null
        },
        "color": "red",
        "rating@odata.type": "#Decimal",
        "rating": 4.5,
        "tags": ["x", "y"]
    });
    let item: open::Item = round_trip(&payload);
    assert_eq!(item.id, Some(1));
    assert_eq!(item.title, None);
    assert!(item.extra.is_null("title"));
    assert_eq!(item.extra.nulls(), vec!["title"]);
    assert_eq!(item.extra.etag(), Some("W/\"7\""));
    assert_eq!(item.extra.dynamic.get("color"), Some(&json!("red")));
    assert_eq!(item.extra.dynamic.get("rating"), Some(&json!(4.5)));
    assert_eq!(item.extra.dynamic.get("tags"), Some(&json!(["x", "y"])));
    assert_eq!(
        item.extra.annotation("rating@odata.type"),
        Some(&json!("#Decimal"))
    );
    let bag = item.bag.as_ref().unwrap();
    assert_eq!(bag.kind.as_deref(), Some("k"));
    assert_eq!(bag.extra.dynamic.len(), 3);
    assert_eq!(bag.extra.dynamic.get("nothing"), Some(&Value::Null));

    // Clearing a property in a PATCH body, and dropping the mark again.
    let mut patch = open::Item::default();
    patch.set_null(open::Item::TITLE);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({ "title": null })
    );
    patch.title = Some("t".into());
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({ "title": "t" })
    );
    patch.title = None;
    patch.extra.clear_null("title");
    assert_eq!(serde_json::to_value(&patch).unwrap(), json!({}));

    // By wire name, as with a crate generated without property constants (`--no-builders`):
    // a name the type does not declare changes nothing.
    let mut patch = open::Item {
        title: Some("t".into()),
        ..Default::default()
    };
    assert!(!patch.set_null_by_name("Title"));
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({ "title": "t" })
    );
    assert!(patch.set_null_by_name("title"));
    assert_eq!(patch.title, None);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({ "title": null })
    );
}

#[test]
fn duplicate_properties_are_rejected() {
    let text = r#"{"id": 1, "id": 2}"#;
    assert!(serde_json::from_str::<open::Item>(text).is_err());
}

// ---------------------------------------------------------------- primitives

fn primitives_payload() -> Value {
    json!({
        "@odata.etag": "W/\"1\"",
        "binary": "AP__",
        "boolean": true,
        "byte": 255,
        "date": "2026-08-03",
        "dateTimeOffset": "2026-08-03T10:11:12.1234567+02:00",
        "decimal": "123456789012345.67890",
        "double": "INF",
        "duration": "P1DT2H3M4.5S",
        "guid": "4c0a3a5e-1b2c-4d3e-8f40-5a6b7c8d9e0f",
        "int16": -32768,
        "int32": 2147483647,
        "int64": "9007199254740993",
        "sByte": -128,
        "single": "NaN",
        "stream@odata.mediaReadLink": "AllTypes(1)/stream",
        "stream@odata.mediaContentType": "image/png",
        "string": "héllo \"world\"",
        "timeOfDay": "23:59:59.1234567",
        "geographyPoint": {
            "type": "Point",
            "coordinates": [7.1, 50.7],
            "crs": { "type": "name", "properties": { "name": "EPSG:4326" } }
        },
        "geometryPolygon": { "type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]] },
        "untyped": { "any": [1, "x", null, { "deep": true }] },
        "strings": ["a", ""],
        "int64s": ["1", "-9223372036854775808", "9223372036854775807"],
        "decimals": ["1.10", "0", "-0.0001"],
        "doubles": [1.5, "-INF", "NaN", "INF"],
        "dates": ["2000-02-29"],
        "guids": ["00000000-0000-0000-0000-000000000000"],
        "binaries": ["AQID", "_-8"],
        "maybeInts": [1, null, 3]
    })
}

#[test]
fn primitives_round_trip_ieee754_compatible() {
    let v: prim::AllTypes = round_trip_ieee754(&primitives_payload());
    assert_eq!(v.binary.as_ref().unwrap().bytes(), &[0, 255, 255]);
    assert_eq!(v.boolean, Some(true));
    assert_eq!(v.byte, Some(255));
    assert_eq!(v.date.unwrap().to_string(), "2026-08-03");
    let dto = v.date_time_offset.as_ref().unwrap();
    assert_eq!(dto.value().timestamp_subsec_nanos(), 123_456_700);
    assert_eq!(dto.value().offset().local_minus_utc(), 2 * 3600);
    assert_eq!(
        dto.to_utc().to_rfc3339(),
        "2026-08-03T08:11:12.123456700+00:00"
    );
    assert_eq!(
        v.decimal,
        Some(
            "123456789012345.67890"
                .parse::<odata_runtime::Decimal>()
                .unwrap()
        )
    );
    assert_eq!(v.double, Some(f64::INFINITY));
    let d = v.duration.as_ref().unwrap();
    assert_eq!(d.secs(), 86_400 + 2 * 3600 + 3 * 60 + 4);
    assert_eq!(d.subsec_nanos(), 500_000_000);
    assert!(!d.is_negative());
    assert_eq!(
        v.guid.unwrap().to_string(),
        "4c0a3a5e-1b2c-4d3e-8f40-5a6b7c8d9e0f"
    );
    assert_eq!(v.int16, Some(i16::MIN));
    assert_eq!(v.int32, Some(i32::MAX));
    assert_eq!(v.int64, Some(9_007_199_254_740_993));
    assert_eq!(v.s_byte, Some(i8::MIN));
    assert!(v.single.unwrap().is_nan());
    assert_eq!(v.stream, None);
    assert_eq!(
        v.extra.annotation("stream@odata.mediaReadLink"),
        Some(&json!("AllTypes(1)/stream"))
    );
    assert_eq!(v.string.as_deref(), Some("héllo \"world\""));
    assert_eq!(v.time_of_day.unwrap().to_string(), "23:59:59.1234567");
    assert_eq!(v.geography_point.as_ref().unwrap().kind(), Some("Point"));
    assert_eq!(
        v.geometry_polygon.as_ref().unwrap().coordinates(),
        Some(&json!([[[0, 0], [1, 0], [1, 1], [0, 0]]]))
    );
    assert_eq!(v.untyped.as_ref().unwrap()["any"][3]["deep"], json!(true));
    assert_eq!(v.int64s, Some(vec![1, i64::MIN, i64::MAX]));
    assert_eq!(v.decimals.as_ref().unwrap()[0].to_string(), "1.10");
    let ds = v.doubles.as_ref().unwrap();
    assert_eq!(ds[0], 1.5);
    assert_eq!(ds[1], f64::NEG_INFINITY);
    assert!(ds[2].is_nan());
    assert_eq!(v.binaries.as_ref().unwrap()[1].bytes(), &[0xff, 0xef]);
    assert_eq!(v.maybe_ints, Some(vec![Some(1), None, Some(3)]));
}

#[test]
fn primitives_round_trip_plain_numbers() {
    // Without IEEE754Compatible, Int64 and Decimal are JSON numbers.
    let payload = json!({
        "guid": "4c0a3a5e-1b2c-4d3e-8f40-5a6b7c8d9e0f",
        "int64": 9_007_199_254_740_993_i64,
        "decimal": 12.5,
        "int64s": [-1, 2],
        "double": -0.25,
        "single": 1.5,
        "binary": "AQID+/8=",
        "dateTimeOffset": "2026-08-03T10:11:12Z",
        "duration": "-PT0.000001S"
    });
    let v: prim::AllTypes = round_trip(&payload);
    assert_eq!(v.int64, Some(9_007_199_254_740_993));
    assert_eq!(v.decimal.unwrap().to_string(), "12.5");
    assert_eq!(v.binary.as_ref().unwrap().bytes(), &[1, 2, 3, 0xfb, 0xff]);
    assert!(v.duration.as_ref().unwrap().is_negative());

    // Strings are accepted on input even when writing plain numbers.
    let v: prim::AllTypes =
        serde_json::from_value(json!({ "int64": "-5", "decimal": "0.1" })).unwrap();
    assert_eq!(v.int64, Some(-5));
    assert_eq!(
        serde_json::to_value(&v).unwrap(),
        json!({ "int64": -5, "decimal": 0.1 })
    );
}

#[test]
fn type_definitions_use_the_underlying_codecs() {
    let payload = json!({
        "sku": "AB-12",
        "views": "9223372036854775807",
        "price": "19.9900",
        "history": ["1.5", "2.2500"],
        "aliases": ["x", "y"]
    });
    let p: td::Product = round_trip_ieee754(&payload);
    assert_eq!(p.sku, Some(td::Sku("AB-12".into())));
    assert_eq!(p.views, Some(td::Counter(i64::MAX)));
    assert_eq!(p.price.as_ref().unwrap().0.to_string(), "19.9900");
    assert_eq!(p.history.as_ref().unwrap().len(), 2);

    let plain = json!({ "views": 12, "price": 3.25 });
    let p: td::Product = round_trip(&plain);
    assert_eq!(p.views, Some(td::Counter(12)));
}

// ---------------------------------------------------------------- names, recursion, docs

#[test]
fn keyword_and_std_names_keep_wire_names() {
    let payload = json!({
        "Name": "upper",
        "name": "lower",
        "type": { "kind": "t" },
        "self": { "me": "myself" },
        "Self": "Self-string",
        "crate": "c",
        "extra": "not the Extra field",
        "async": true,
        "gen": 7,
        "move": { "items": [{ "inner": { "ok": true, "value": "v" } }], "choices": ["None", "Some", "Self", "Other"] },
        "option": "Some",
        "result": { "ok": false },
        "box": {},
        "string": "s",
        "super": { "kind": "second Type" },
        "@odata.etag": "e"
    });
    let r: kw::Record = round_trip(&payload);
    assert_eq!(r.name.as_deref(), Some("upper"));
    assert_eq!(r.name_2.as_deref(), Some("lower"));
    assert_eq!(r.r#type.as_ref().unwrap().kind.as_deref(), Some("t"));
    assert_eq!(r.self_.as_ref().unwrap().me.as_deref(), Some("myself"));
    assert_eq!(r.self_2.as_deref(), Some("Self-string"));
    assert_eq!(r.crate_.as_deref(), Some("c"));
    assert_eq!(r.extra_2.as_deref(), Some("not the Extra field"));
    assert!(r.extra.dynamic.is_empty());
    assert_eq!(r.r#async, Some(true));
    assert_eq!(r.r#gen, Some(7));
    let mv = r.r#move.as_ref().unwrap();
    assert_eq!(
        mv.choices,
        Some(vec![
            kw::Option::None,
            kw::Option::Some,
            kw::Option::Self_,
            kw::Option::Unknown("Other".into())
        ])
    );
    let inner = mv.items.as_ref().unwrap()[0].inner.as_ref().unwrap();
    assert_eq!(inner.value, Some(kw::String("v".into())));
    assert_eq!(r.option, Some(kw::Option::Some));
    assert_eq!(r.string, Some(kw::String("s".into())));
    assert_eq!(
        r.super_.as_ref().unwrap().kind.as_deref(),
        Some("second Type")
    );
}

#[test]
fn recursive_types() {
    let payload = json!({
        "root": {
            "value": "root",
            "parent": { "value": "grandparent", "parent": { "value": "ancestor" } },
            "children": [{ "value": "a", "children": [{ "value": "a1" }] }, { "value": "b" }]
        },
        "expr": {
            "binary": {
                "op": "+",
                "left": { "literal": 1 },
                "right": { "binary": { "op": "*", "left": { "literal": 2 }, "right": { "literal": 3 } } }
            }
        }
    });
    let h: rec::Holder = round_trip(&payload);
    let root = h.root.as_ref().unwrap();
    let parent: &rec::TreeNode = root.parent.as_deref().unwrap();
    assert_eq!(
        parent.parent.as_deref().unwrap().value.as_deref(),
        Some("ancestor")
    );
    assert_eq!(
        root.children.as_ref().unwrap()[0]
            .children
            .as_ref()
            .unwrap()[0]
            .value
            .as_deref(),
        Some("a1")
    );
    let bin = h.expr.as_ref().unwrap().binary.as_deref().unwrap();
    let right = bin.right.as_deref().unwrap().binary.as_deref().unwrap();
    assert_eq!(right.op.as_deref(), Some("*"));
    assert_eq!(right.right.as_deref().unwrap().literal, Some(3));
}

#[test]
#[allow(deprecated)]
fn deprecated_items_still_round_trip() {
    use golden_descriptions::golden_docs as docs;
    let payload = json!({
        "note": { "text": "t", "oldText": "o", "color": "magenta" },
        "legacy": { "body": "b" }
    });
    let h: docs::Holder = round_trip(&payload);
    let note = h.note.as_ref().unwrap();
    assert_eq!(note.old_text.as_deref(), Some("o"));
    assert_eq!(note.color, Some(docs::Color::Magenta));
    let legacy: &docs::LegacyNote = h.legacy.as_ref().unwrap();
    assert_eq!(legacy.body.as_deref(), Some("b"));
}

// ---------------------------------------------------------------- V3 and V2

#[test]
fn v3_type_tags_and_annotations() {
    let payload = json!([
        {
            "odata.type": "Golden.V3.Contract",
            "odata.id": "https://example.com/Documents(guid'4c0a3a5e-1b2c-4d3e-8f40-5a6b7c8d9e0f')",
            "odata.mediaReadLink": "Documents(guid'4c0a3a5e-1b2c-4d3e-8f40-5a6b7c8d9e0f')/$value",
            "Id": "4c0a3a5e-1b2c-4d3e-8f40-5a6b7c8d9e0f",
            "Title": "Lease",
            "SignedOn": "2026-08-03T10:11:12.123"
        },
        { "Id": "00000000-0000-0000-0000-000000000001", "Kind": "untagged" },
        { "odata.type": "Golden.V3.Invoice", "Id": "00000000-0000-0000-0000-000000000002", "Amount": "1.5" },
        { "odata.type": "Golden.V3.Document", "Id": "00000000-0000-0000-0000-000000000003" }
    ]);
    let docs: Vec<v3::AnyDocument> = round_trip(&payload);
    let v3::AnyDocument::Contract(c) = &docs[0] else {
        panic!("{:?}", docs[0]);
    };
    assert_eq!(c.title.as_deref(), Some("Lease"));
    assert_eq!(
        c.signed_on.unwrap().value().to_string(),
        "2026-08-03 10:11:12.123"
    );
    assert_eq!(c.extra.odata_type(), Some("Golden.V3.Contract"));
    assert!(
        matches!(&docs[1], v3::AnyDocument::Document(d) if d.kind.as_deref() == Some("untagged"))
    );
    let v3::AnyDocument::Unknown(u) = &docs[2] else {
        panic!("{:?}", docs[2]);
    };
    assert_eq!(u.extra.dynamic.get("Amount"), Some(&json!("1.5")));
    assert!(matches!(&docs[3], v3::AnyDocument::Document(_)));

    // A derived value built in code is written with the V3 tag.
    let c = v3::AnyDocument::Contract(Box::default());
    assert_eq!(
        serde_json::to_value(&c).unwrap(),
        json!({ "odata.type": "Golden.V3.Contract" })
    );
}

#[test]
fn v3_primitives() {
    let payload = json!({
        "odata.metadata": "https://example.com/$metadata#Events/@Element",
        "Id": "42",
        "Start": "2026-08-03T10:11:12.123",
        "Length": "PT1H30M",
        "Offset": "2026-08-03T10:11:12.1234567+02:00",
        "Dates": ["2026-01-01T00:00:00", "/Date(1785751872000)/", "2026-08-03T12:11:12.1234567+02:00"]
    });
    // Int64 as a string: V3 JSON writes it as a string, as IEEE754Compatible does.
    let e: prim3::Event = round_trip_ieee754(&payload);
    assert_eq!(e.id, Some(42));
    assert_eq!(e.length.as_ref().unwrap().secs(), 5400);
    assert_eq!(
        e.start.unwrap().value().to_string(),
        "2026-08-03 10:11:12.123"
    );
    let dates = e.dates.as_ref().unwrap();
    assert_eq!(
        dates[1].value().and_utc().timestamp_millis(),
        1_785_751_872_000
    );
    // WCF Data Services writes an `Edm.DateTime` it holds as a local time with its offset:
    // read as the UTC time it denotes, and written back as it came (`round_trip_ieee754`).
    assert_eq!(
        dates[2].value().to_string(),
        "2026-08-03 10:11:12.123456700"
    );
}

/// V2 and V3 JSON always write `Edm.Int64` and `Edm.Decimal` as strings, without
/// `with_ieee754_compatible`.
#[test]
fn v3_int64_is_a_string_without_ieee754_mode() {
    let _: prim3::Event = round_trip(&json!({ "Id": "42" }));
    let _: v2::Order = round_trip(&json!({ "Total": "12.50" }));
}

#[test]
fn v2_entities_with_expanded_associations() {
    let payload = json!({
        "__metadata": { "uri": "https://example.com/Customers('C1')", "type": "Golden.V2.Customer" },
        "Code": "C1",
        "Name": "Contoso",
        "Since": "/Date(1785751872000)/",
        "Orders": [
            { "Number": 1, "CustomerCode": "C1", "Total": "12.50" },
            { "Number": 2, "CustomerCode": "C1", "Total": null }
        ]
    });
    let c: v2::Customer = round_trip_ieee754(&payload);
    assert_eq!(c.code.as_deref(), Some("C1"));
    assert_eq!(c.extra.odata_type(), Some("Golden.V2.Customer"));
    assert_eq!(
        c.since.unwrap().value().and_utc().timestamp_millis(),
        1_785_751_872_000
    );
    let orders = c.orders.as_ref().unwrap();
    assert_eq!(orders[0].total.unwrap().to_string(), "12.50");
    assert!(orders[1].extra.is_null("Total"));
    let back: &v2::Order = &orders[0];
    assert_eq!(back.customer_code.as_deref(), Some("C1"));
}

// ---------------------------------------------------------------- null items of collections

/// Items of a collection whose `Nullable` is not written are not optional by default: a null
/// item there fails the value, with a message naming the property and the setting that makes
/// such items optional.
#[test]
fn a_null_item_where_items_are_not_declared_nullable_names_the_setting() {
    let payload = json!({ "strings": ["a", null, "b"] });
    let e = serde_json::from_value::<prim::AllTypes>(payload.clone()).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("property `strings` of `Golden.Primitives.AllTypes`"),
        "{text}"
    );
    assert!(text.contains("generate with `--nullable-items`"), "{text}");
    // From text, serde_json keeps the position after the hint.
    let e = serde_json::from_str::<prim::AllTypes>(&payload.to_string()).unwrap_err();
    assert!(e.to_string().contains("--nullable-items"), "{e}");
    assert_eq!((e.line(), e.column()), (1, 20), "{e}");
    // V3 collections hold no nulls (MC-CSDL), and the setting does not change them: no hint.
    let e =
        serde_json::from_value::<prim3::Event>(json!({ "Dates": ["2026-01-01T00:00:00", null] }))
            .unwrap_err();
    assert!(e.to_string().contains("property `Dates`"), "{e}");
    assert!(!e.to_string().contains("--nullable-items"), "{e}");
    // Declared nullable items read as before.
    let p: prim::AllTypes = round_trip(&json!({ "maybeInts": [1, null] }));
    assert_eq!(p.maybe_ints, Some(vec![Some(1), None]));
}

/// Generated with `nullable_items`: items whose nullability is not written are optional (read
/// and written back as they came, in every kind of collection); `Nullable="false"` ones are not.
#[test]
fn nullable_items_reads_null_items_where_nullable_is_not_written() {
    use golden_nullable_items::golden_items as items;
    let payload = json!({
        "Id": 1,
        "Emails": ["ana@example.com", null],
        "Phones": ["+47 1"],
        "Nicknames": [null],
        "Scores": [null, 9_007_199_254_740_993_i64],
        "Addresses": [{ "City": "Oslo" }, null]
    });
    let p: items::Person = round_trip(&payload);
    assert_eq!(p.emails, Some(vec![Some("ana@example.com".into()), None]));
    assert_eq!(p.scores, Some(vec![None, Some(9_007_199_254_740_993)]));
    let addresses = p.addresses.as_ref().unwrap();
    assert_eq!(addresses[0].as_ref().unwrap().city.as_deref(), Some("Oslo"));
    assert!(addresses[1].is_none());
    // `Nullable="false"` stays strict.
    let e = serde_json::from_value::<items::Person>(json!({ "Phones": [null] })).unwrap_err();
    assert!(e.to_string().contains("property `Phones`"), "{e}");
}
