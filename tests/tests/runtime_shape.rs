//! End-to-end tests of the runtime through serde_json on types the generator emits: the golden
//! crates of `tests/fixtures/golden/runtime_shape.xml` (V4, a Graph-like model),
//! `runtime_shape_v3.xml` (V3 JSON light) and `runtime_shape_v2.xml` (V2 verbose JSON), so a
//! change of the generated shape is seen here.

use golden_runtime_shape::microsoft_graph::{
    Age, AnyDirectoryObject, Big, Color, Day, DirectoryObject, Group, Settings, User,
};
use golden_runtime_shape_v2::o_data_demo::{AnyProduct, Product};
use golden_runtime_shape_v3::microsoft_directory_services as v3;
use odata_runtime::serde;
use odata_runtime::{self as rt, EnumType, Flags, Polymorphic, Structured};
use serde_json::{Value, json};

/// Reads `v` as `T` and writes it back; the JSON values must be equal.
fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(v: &Value) -> T {
    let text = v.to_string();
    let t: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let back = serde_json::to_value(&t).unwrap();
    assert_eq!(&back, v, "round trip changed the payload");
    // Reading from a `Value` (as polymorphic buffering does) agrees too.
    let t2: T = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(serde_json::to_value(&t2).unwrap(), back);
    t
}

fn full_user() -> Value {
    json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
        "@odata.etag": "W/\"abc\"",
        "@odata.type": "#microsoft.graph.user",
        "id": "u1",
        "displayName@odata.type": "#String",
        "displayName": "Ann",
        "size": 9007199254740993_i64,
        "tags": ["a", "b"],
        "manager": {
            "@odata.type": "#microsoft.graph.servicePrincipal",
            "id": "sp1",
            "appId": "x-y",
            "deletedDateTime": null
        },
        "settings": { "theme": "dark", "fontSize": 12, "customFlag": true, "nested": {"a": [1, 2]} },
        "color": "Purple",
        "days": "Mon,Fri",
        "deletedDateTime": null,
        "balance": 1.5,
        "score": "INF",
        "photo": "-_8",
        "timeout": "P1DT2H",
        "officeLocation": "Bldg 1",
        "extension@odata.navigationLink": "users/u1/extension",
        "unknownNull": null
    })
}

#[test]
fn infos_are_valid() {
    for info in [
        DirectoryObject::INFO,
        User::INFO,
        Group::INFO,
        Settings::INFO,
        v3::DirectoryObject::INFO,
        Product::INFO,
    ] {
        info.validate().unwrap();
    }
    assert!(
        rt::StructInfo {
            name: "bad",
            fields: &["b", "a"],
            sorted: &[0, 1],
            open: false,
            version: rt::Version::V4,
            extra: 0,
            entity: false,
            read_only: &[],
            immutable: &[],
            navigation: &[],
        }
        .validate()
        .is_err()
    );
}

#[test]
fn full_payload_round_trips() {
    let v = full_user();
    let u: User = round_trip(&v);
    assert_eq!(u.id.as_deref(), Some("u1"));
    assert_eq!(u.size, Some(9007199254740993));
    assert_eq!(u.color, Some(Color::Unknown("Purple".into())));
    let days = u.days.clone().unwrap();
    assert!(days.contains(&Day::Mon) && days.contains(&Day::Fri) && !days.contains(&Day::Tue));
    assert_eq!(u.score, Some(f64::INFINITY));
    assert_eq!(u.photo.as_ref().unwrap().bytes(), &[0xfb, 0xff]);
    assert_eq!(u.timeout.as_ref().unwrap().secs(), 93_600);
    assert!(u.deleted_date_time.is_none());
    assert!(u.extra.is_null("deletedDateTime"));
    assert_eq!(u.extra.etag(), Some("W/\"abc\""));
    assert_eq!(u.extra.odata_type(), Some("#microsoft.graph.user"));
    assert_eq!(
        u.extra.annotation("displayName@odata.type"),
        Some(&json!("#String"))
    );
    assert_eq!(u.extra.dynamic["officeLocation"], json!("Bldg 1"));
    assert_eq!(u.extra.dynamic["unknownNull"], Value::Null);
    let settings = u.settings.as_ref().unwrap();
    assert_eq!(settings.font_size, Some(12));
    assert_eq!(settings.extra.dynamic["customFlag"], json!(true));
    match u.manager.as_ref().unwrap() {
        AnyDirectoryObject::Unknown(m) => {
            assert_eq!(m.id.as_deref(), Some("sp1"));
            assert_eq!(
                m.extra.odata_type(),
                Some("#microsoft.graph.servicePrincipal")
            );
            assert!(m.extra.is_null("deletedDateTime"));
        }
        other => panic!("expected Unknown, got {other:?}"),
    }

    // The same payload through the polymorphic type resolves to User and
    // still round-trips (the tag is written once, as read).
    let any: AnyDirectoryObject = round_trip(&v);
    assert!(matches!(any, AnyDirectoryObject::User(ref b) if **b == u));
}

#[test]
fn polymorphic_resolution() {
    let base = json!({"id": "d1", "deletedDateTime": "2026-08-03T10:11:12.1234567+02:00"});
    let any: AnyDirectoryObject = round_trip(&base);
    let AnyDirectoryObject::DirectoryObject(d) = any else {
        panic!("missing tag must give the declared type")
    };
    assert_eq!(
        d.deleted_date_time.unwrap().to_utc().to_rfc3339(),
        "2026-08-03T08:11:12.123456700+00:00"
    );

    let alias = json!({"@odata.type": "#graph.user", "id": "u2"});
    assert!(matches!(
        round_trip::<AnyDirectoryObject>(&alias),
        AnyDirectoryObject::User(_)
    ));

    let cased = json!({"@odata.type": "#Microsoft.Graph.Group", "id": "g1", "members": [
        {"@odata.type": "#microsoft.graph.user", "id": "u3", "days": "Mon,Holiday"},
        {"id": "d2"},
        {"@odata.type": "#microsoft.graph.device", "id": "dev"}
    ]});
    let AnyDirectoryObject::Group(g) = round_trip::<AnyDirectoryObject>(&cased) else {
        panic!("expected group")
    };
    let members = g.members.as_ref().unwrap();
    assert!(matches!(members[0], AnyDirectoryObject::User(_)));
    assert!(matches!(members[1], AnyDirectoryObject::DirectoryObject(_)));
    assert!(matches!(members[2], AnyDirectoryObject::Unknown(_)));
    if let AnyDirectoryObject::User(u) = &members[0] {
        let days = u.days.as_ref().unwrap();
        assert!(days.contains(&Day::Mon));
        assert!(days.contains(&Day::Unknown("Holiday".into())));
    }

    // V3: `odata.type` without `#`, case differs from metadata.
    let v3 = json!({"odata.metadata": "https://x/$metadata#directoryObjects/@Element",
        "odata.type": "Microsoft.DirectoryServices.User", "ID": "7"});
    assert!(matches!(
        round_trip::<v3::AnyDirectoryObject>(&v3),
        v3::AnyDirectoryObject::User(_)
    ));
    let u3 = v3::User {
        id: Some("8".into()),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(v3::AnyDirectoryObject::User(Box::new(u3))).unwrap(),
        json!({"odata.type": "Microsoft.DirectoryServices.user", "ID": "8"})
    );

    // V2 verbose: the tag lives in `__metadata`.
    let v2 = json!({"__metadata": {"uri": "https://x/Products(1)", "type": "ODataDemo.SpecialProduct"},
        "ID": "1"});
    assert!(matches!(
        round_trip::<AnyProduct>(&v2),
        AnyProduct::SpecialProduct(_)
    ));
    let v2_base = json!({"__metadata": {"uri": "https://x/Products(2)", "type": "ODataDemo.Product"},
        "ID": "2"});
    assert!(matches!(
        round_trip::<AnyProduct>(&v2_base),
        AnyProduct::Product(_)
    ));
    let fresh = AnyProduct::SpecialProduct(Box::default());
    assert_eq!(
        serde_json::to_value(fresh).unwrap(),
        json!({"odata.type": "ODataDemo.SpecialProduct"})
    );

    assert_eq!(
        rt::tag_index::<AnyDirectoryObject>("#microsoft.graph.user"),
        Some(1)
    );
    assert_eq!(
        rt::tag_index::<AnyDirectoryObject>("microsoft.graph.group"),
        Some(2)
    );
    assert_eq!(rt::tag_index::<AnyDirectoryObject>("#graph.group"), Some(2));
    assert_eq!(rt::tag_index::<AnyDirectoryObject>("#GRAPH.USER"), None);
    assert_eq!(rt::tag_index::<AnyDirectoryObject>("#Graph.User"), None);
    assert_eq!(rt::tag_index::<AnyDirectoryObject>("#graph.USER"), Some(1));
    assert_eq!(
        rt::tag_index::<AnyDirectoryObject>("#MICROSOFT.GRAPH.DIRECTORYOBJECT"),
        Some(0)
    );
    assert_eq!(rt::tag_index::<AnyDirectoryObject>("#graphx.user"), None);
    assert_eq!(rt::tag_index::<AnyDirectoryObject>(""), None);
    assert_eq!(AnyDirectoryObject::TYPES.len(), 3);
}

#[test]
fn ser_tagged_writes_tag_once() {
    let count = |s: &str| s.matches("odata.type").count();

    let fresh = AnyDirectoryObject::User(Box::default());
    let s = serde_json::to_string(&fresh).unwrap();
    assert_eq!(s, r##"{"@odata.type":"#microsoft.graph.user"}"##);

    let mut u = User::default();
    u.extra
        .annotations
        .push(("@odata.type".into(), json!("#microsoft.graph.user")));
    u.extra.annotations.push(("@odata.etag".into(), json!("1")));
    let s = serde_json::to_string(&AnyDirectoryObject::User(Box::new(u.clone()))).unwrap();
    assert_eq!(count(&s), 1, "{s}");
    assert!(
        s.starts_with(r##"{"@odata.type":"#microsoft.graph.user""##),
        "{s}"
    );

    // A stale tag naming another type is replaced, not duplicated.
    u.extra.annotations[0].1 = json!("#microsoft.graph.group");
    let s = serde_json::to_string(&AnyDirectoryObject::User(Box::new(u.clone()))).unwrap();
    assert_eq!(count(&s), 1, "{s}");
    assert!(s.contains("#microsoft.graph.user"), "{s}");

    // A V3-spelled tag kept in a V4 value is not written twice either.
    u.extra.annotations[0] = ("odata.type".into(), json!("microsoft.graph.group"));
    let s = serde_json::to_string(&AnyDirectoryObject::User(Box::new(u))).unwrap();
    assert_eq!(count(&s), 1, "{s}");

    // Plain serialization of the struct writes no tag of its own.
    assert_eq!(serde_json::to_string(&User::default()).unwrap(), "{}");
}

#[test]
fn explicit_nulls() {
    let mut u = User {
        id: Some("u".into()),
        ..Default::default()
    };
    u.display_name = Some("was".into());
    u.set_null(User::DISPLAY_NAME);
    u.set_null(User::DISPLAY_NAME);
    assert_eq!(u.display_name, None, "set_null clears the field");
    // A dynamic property is nulled by its value.
    u.extra.dynamic.insert("customNull".into(), Value::Null);
    assert_eq!(u.extra.nulls(), ["displayName"]);
    let v = serde_json::to_value(&u).unwrap();
    assert_eq!(
        v,
        json!({"id": "u", "displayName": null, "customNull": null})
    );

    // A value set later wins over the null mark.
    u.display_name = Some("x".into());
    let v = serde_json::to_value(&u).unwrap();
    assert_eq!(v["displayName"], json!("x"));
    u.extra.dynamic.remove("customNull");
    assert!(
        serde_json::to_value(&u)
            .unwrap()
            .get("customNull")
            .is_none()
    );

    // A navigation property is cleared, not marked: updates never write navigation properties.
    u.manager = Some(AnyDirectoryObject::User(Box::default()));
    assert!(u.set_null(User::MANAGER));
    assert!(u.manager.is_none());
    assert_eq!(u.extra.nulls(), ["displayName"]);
    // A nested path is not a property of `User`: nothing changes, and `false` says so.
    assert!(!u.set_null(User::SETTINGS.then(Settings::THEME)));
    assert_eq!(u.extra.nulls(), ["displayName"]);

    let read: User = serde_json::from_str(r#"{"tags": null, "settings": null}"#).unwrap();
    assert!(read.extra.is_null("tags") && read.extra.is_null("settings"));
    assert!(!read.extra.is_null("id"));
}

#[test]
fn order_of_output() {
    let mut u = User::default();
    u.extra
        .annotations
        .push(("@odata.context".into(), json!("c")));
    u.extra.dynamic.insert("zz".into(), json!(1));
    u.size = Some(3);
    u.id = Some("i".into());
    u.set_null(User::SETTINGS);
    assert_eq!(
        serde_json::to_string(&u).unwrap(),
        r#"{"@odata.context":"c","id":"i","size":3,"settings":null,"zz":1}"#
    );
}

#[test]
fn number_modes() {
    let strings = json!({"size": "123", "balance": "1.50", "score": "NaN"});
    // Reading accepts strings in either mode; writing follows the mode.
    rt::with_ieee754_compatible(|| {
        let u: User = round_trip(&strings);
        assert_eq!(u.size, Some(123));
        assert_eq!(u.balance.unwrap().to_string(), "1.50");
    });
    let u: User = serde_json::from_value(strings).unwrap();
    assert_eq!(
        serde_json::to_value(&u).unwrap(),
        json!({"size": 123, "balance": 1.5, "score": "NaN"})
    );

    let numbers = json!({"size": -5, "balance": 2.25, "score": -0.5});
    round_trip::<User>(&numbers);
    let integral = json!({"balance": 7, "score": 3});
    round_trip::<User>(&integral);
    let u: User = serde_json::from_value(numbers).unwrap();
    assert_eq!(
        rt::with_ieee754_compatible(|| serde_json::to_value(&u).unwrap()),
        json!({"size": "-5", "balance": "2.25", "score": -0.5})
    );
    let precise = json!({"balance": "12345678901234567890.12345"});
    let u: User = serde_json::from_value(precise.clone()).unwrap();
    assert_eq!(serde_json::to_value(&u).unwrap(), precise);
}

#[test]
fn primitives_in_payloads() {
    round_trip::<User>(&json!({"photo": "+/8=", "timeout": "-P1DT2.5S",
        "deletedDateTime": "2026-08-03T10:11:12.1234567+02:00"}));
    round_trip::<User>(&json!({"photo": "aGVsbG8", "timeout": "PT0S",
        "deletedDateTime": "/Date(1234567890000+0120)/"}));
    round_trip::<User>(&json!({"color": "Green", "days": "None", "score": "-INF"}));
    // The empty set is written as the value-0 member when there is one.
    let u: User = serde_json::from_value(json!({"days": ""})).unwrap();
    assert_eq!(serde_json::to_value(&u).unwrap(), json!({"days": "None"}));
    // `Weekdays` is written as its parts (greedy, declaration order).
    let u: User = serde_json::from_value(json!({"days": "Weekdays,Unknown1"})).unwrap();
    assert_eq!(
        serde_json::to_value(&u).unwrap(),
        json!({"days": "Mon,Tue,Wed,Thu,Fri,Unknown1"})
    );
}

#[test]
fn errors_never_panic() {
    let dup = serde_json::from_str::<User>(r#"{"id": "a", "id": "b"}"#).unwrap_err();
    assert!(dup.to_string().contains("duplicate property `id`"), "{dup}");

    let wrong = serde_json::from_str::<User>(
        r#"{"id": "a",
        "size": true}"#,
    )
    .unwrap_err();
    let msg = wrong.to_string();
    assert!(
        msg.contains("`size`") && msg.contains("microsoft.graph.user"),
        "{msg}"
    );
    assert_eq!(wrong.line(), 2, "{msg}");

    for bad in [
        r#"{"tags": "x"}"#,
        r#"{"tags": [1]}"#,
        r#"{"color": {}}"#,
        r#"{"days": []}"#,
        r#"{"settings": 5}"#,
        r#"{"settings": {"fontSize": "big"}}"#,
        r#"{"manager": "x"}"#,
        r##"{"manager": {"@odata.type": "#graph.user", "size": "abc"}}"##,
        r#"{"manager": {"id": 1}}"#,
        r#"{"deletedDateTime": "yesterday"}"#,
        r#"{"timeout": "P1Y"}"#,
        r#"{"photo": "*"}"#,
        r#"{"score": "1.5x"}"#,
        r#"{"balance": true}"#,
        r#"{"size": 1e3}"#,
        r#"{"id": "a""#,
        r#"[]"#,
        r#""user""#,
        r#"null"#,
    ] {
        assert!(
            serde_json::from_str::<User>(bad).is_err(),
            "{bad} should fail"
        );
        let as_value: Result<Value, _> = serde_json::from_str(bad);
        if let Ok(v) = as_value {
            assert!(serde_json::from_value::<User>(v.clone()).is_err(), "{bad}");
            // Through the polymorphic type, with a tag selecting `User`.
            if let Value::Object(mut m) = v {
                m.insert("@odata.type".into(), json!("#microsoft.graph.user"));
                let tagged = Value::Object(m);
                assert!(
                    serde_json::from_value::<AnyDirectoryObject>(tagged).is_err(),
                    "{bad}"
                );
            }
        }
    }
    // Duplicates inside a buffered polymorphic value are caught as well.
    let e = serde_json::from_str::<User>(r#"{"manager": {"id": "a", "id": "b"}}"#).unwrap_err();
    assert!(e.to_string().contains("duplicate property `id`"), "{e}");
    assert!(serde_json::from_str::<AnyDirectoryObject>("[1]").is_err());
    assert!(serde_json::from_str::<AnyDirectoryObject>("null").is_err());
    let e = serde_json::from_str::<AnyDirectoryObject>(r#"{"id": 5}"#).unwrap_err();
    assert!(e.to_string().contains("`id`"), "{e}");
}

#[test]
fn flags_operations() {
    let mut f = Flags::from(Day::Mon) | Day::Fri;
    assert_eq!(f.to_string(), "Mon,Fri");
    assert!(f.contains(&Day::Mon) && !f.contains(&Day::Tue) && !f.contains(&Day::None));
    f |= Day::Tue;
    f |= Flags::from(Day::Unknown("Sun".into()));
    assert_eq!(f.to_string(), "Mon,Tue,Fri,Sun");
    assert_eq!(
        f.iter().collect::<Vec<_>>(),
        vec![Day::Mon, Day::Tue, Day::Fri, Day::Unknown("Sun".into())]
    );
    let g = f.clone() & (Flags::from(Day::Tue) | Day::Wed | Day::Unknown("Sun".into()));
    assert_eq!(g.to_string(), "Tue,Sun");
    let h = f.clone() - g.clone();
    assert_eq!(h.to_string(), "Mon,Fri");
    f.remove(&Day::Mon);
    f.remove(&Day::Unknown("Sun".into()));
    assert_eq!(f.to_string(), "Tue,Fri");
    let mut e: Flags<Day> = Flags::new();
    assert!(e.is_empty() && e.contains(&Day::None));
    assert_eq!(serde_json::to_value(&e).unwrap(), json!("None"));
    e.insert(Day::None);
    assert!(e.is_empty());
    let all: Flags<Day> = [Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri]
        .into_iter()
        .collect();
    assert!(all.contains(&Day::Weekdays));
    assert_eq!(all, Flags::from(Day::Weekdays));
    let from_int: Flags<Day> = serde_json::from_value(json!(17)).unwrap();
    assert_eq!(from_int, Flags::from(Day::Mon) | Day::Fri);
    let spaced: Flags<Day> = serde_json::from_value(json!(" Mon , Fri ")).unwrap();
    assert_eq!(spaced, from_int);
    use std::collections::HashSet;
    let set: HashSet<Flags<Day>> = [from_int.clone(), spaced].into_iter().collect();
    assert_eq!(set.len(), 1);
    assert_eq!(
        format!("{from_int:?}"),
        "Flags<microsoft.graph.day>(\"Mon,Fri\")"
    );
}

#[test]
fn enums_and_newtypes() {
    assert_eq!(Color::Green.name(), "Green");
    assert_eq!(Color::Unknown("Teal".into()).name(), "Teal");
    assert_eq!(Color::from_name("Red"), Color::Red);
    assert_eq!(Color::from_value(1), Some(Color::Green));
    assert_eq!(
        serde_json::from_value::<Color>(json!(0)).unwrap(),
        Color::Red
    );
    assert_eq!(
        serde_json::to_value(Color::Unknown("Teal".into())).unwrap(),
        json!("Teal")
    );

    assert_eq!(serde_json::from_value::<Age>(json!(42)).unwrap(), Age(42));
    assert_eq!(serde_json::to_value(Age(42)).unwrap(), json!(42));
    assert_eq!(serde_json::from_value::<Big>(json!("77")).unwrap(), Big(77));
    assert_eq!(serde_json::to_value(Big(77)).unwrap(), json!(77));
    assert_eq!(
        rt::with_ieee754_compatible(|| serde_json::to_value(Big(77)).unwrap()),
        json!("77")
    );
    assert!(serde_json::from_value::<Age>(json!("x")).is_err());
}
