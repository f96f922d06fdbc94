//! Keys that are paths into complex properties (`<PropertyRef Name="Tag/Serial" Alias="TagSerial"/>`,
//! CSDL 4.0 section 8.3): `by_key` takes the key values under their aliases, and the URL names
//! them by alias, as OData's URL conventions write such keys (`Crates(TagSerial=7)` or
//! `Crates(7)` when it is the only key part).

use golden_key_paths::golden_keys::requests::Depot;
use golden_key_paths::golden_keys::{Crate, Room, Site, Tag};
use odata_runtime::prelude::*;

const ROOT: &str = "https://example.com/depot";

#[test]
fn a_key_path_is_addressed_by_its_alias() {
    let svc = Depot::new(ROOT);
    let one = svc.crates().by_key(7).get().to_request().unwrap();
    assert_eq!(one.url, format!("{ROOT}/Crates(7)"));
    let room = svc
        .rooms()
        .by_key("North", 12, 3)
        .get()
        .to_request()
        .unwrap();
    assert_eq!(
        room.url,
        format!("{ROOT}/Rooms(Building='North',LabelSerial=12,Number=3)")
    );
    let nested = svc
        .rooms()
        .by_key("North", 12, 3)
        .crates()
        .by_key(7)
        .get()
        .to_request()
        .unwrap();
    assert_eq!(
        nested.url,
        format!("{ROOT}/Rooms(Building='North',LabelSerial=12,Number=3)/Crates(7)")
    );
}

#[test]
fn the_key_values_stay_in_their_complex_properties() {
    let room = Room {
        site: Some(Site {
            building: Some("North".into()),
            label: Some(Tag {
                serial: Some(12),
                ..Default::default()
            }),
            ..Default::default()
        }),
        number: Some(3),
        ..Default::default()
    };
    let json = serde_json::to_value(&room).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"Site": {"Building": "North", "Label": {"Serial": 12}}, "Number": 3})
    );
    let read: Crate = serde_json::from_value(serde_json::json!({"Tag": {"Serial": 7}})).unwrap();
    assert_eq!(read.tag.and_then(|t| t.serial), Some(7));
}
