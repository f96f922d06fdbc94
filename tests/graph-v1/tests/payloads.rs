//! Realistic Microsoft Graph v1.0 payloads (written for this test) through the full generated
//! crate: each is read into the generated types, written back, and compared with the input as a
//! JSON value — nothing dropped, nothing altered — with typed assertions on what was read.

// Only with the shared corpus (see `build.rs`).
#![cfg(graph_v1_corpus)]

use graph_v1_payloads::graph::microsoft_graph as g;
use graph_v1_payloads::graph::microsoft_graph_call_records as call_records;
use odata_runtime::EnumType;
use serde_json::{Value, json};

/// Reads `value` as `T`, writes it back and checks the JSON is unchanged.
#[track_caller]
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: &Value) -> T {
    let typed: T = serde_json::from_value(value.clone()).expect("reads");
    let written = serde_json::to_value(&typed).expect("writes");
    assert_eq!(&written, value, "written JSON differs from the input");
    typed
}

#[test]
fn users_with_select_and_dynamic_properties() {
    let response = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(id,displayName,mail,createdDateTime)",
        "value": [
            {
                "id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
                "displayName": "Adele Vance",
                "mail": "AdeleV@contoso.com",
                "createdDateTime": "2026-01-02T03:04:05.1234567+01:00"
            },
            {
                "id": "5bde3e51-d13b-4db1-9948-fe4b109d11a7",
                "displayName": "Alex Wilber",
                "mail": null,
                "createdDateTime": "2025-12-31T23:59:59Z",
                "extension_39b5d1_department": "Sales",
                "businessPhones@odata.type": "#Collection(String)",
                "businessPhones": ["+1 425 555 0109"]
            }
        ]
    });
    let users: Vec<g::User> = round_trip(&response["value"]);
    assert_eq!(users[0].display_name.as_deref(), Some("Adele Vance"));
    let created = users[0].created_date_time.as_ref().unwrap();
    assert_eq!(created.to_string(), "2026-01-02T03:04:05.1234567+01:00");
    assert_eq!(created.value().offset().local_minus_utc(), 3600);
    // Absent under $select: None and not written; sent as null: None and written back as null.
    assert_eq!(users[0].job_title, None);
    assert_eq!(users[1].mail, None);
    assert!(users[1].extra.is_null("mail"));
    // `user` is an open type: the directory extension is a dynamic property.
    assert_eq!(
        users[1].extra.dynamic["extension_39b5d1_department"],
        "Sales"
    );
    assert_eq!(
        users[1].business_phones.as_deref(),
        Some(&["+1 425 555 0109".to_string()][..])
    );
}

#[test]
fn directory_objects_mix_known_and_unknown_derived_types() {
    let member_of = json!([
        {"@odata.type": "#microsoft.graph.group", "id": "g1", "displayName": "Sales", "groupTypes": ["Unified"], "securityEnabled": false},
        {"@odata.type": "#microsoft.graph.directoryRole", "id": "r1", "displayName": "Global Reader", "roleTemplateId": "f2ef992c-3afb-46b9-b7cf-a126ee74c451"},
        {"@odata.type": "#microsoft.graph.administrativeUnit", "id": "a1", "displayName": "Seattle"},
        {"@odata.type": "#microsoft.graph.agentCollection", "id": "x1", "displayName": "Not in this crate", "newProperty": {"nested": [1, 2]}},
        {"id": "d1", "deletedDateTime": null}
    ]);
    let items: Vec<g::AnyDirectoryObject> = round_trip(&member_of);
    assert!(
        matches!(&items[0], g::AnyDirectoryObject::Group(x) if x.group_types.as_deref() == Some(&["Unified".to_string()][..]))
    );
    assert!(
        matches!(&items[1], g::AnyDirectoryObject::DirectoryRole(x) if x.display_name.as_deref() == Some("Global Reader"))
    );
    assert!(matches!(
        &items[2],
        g::AnyDirectoryObject::AdministrativeUnit(_)
    ));
    match &items[3] {
        g::AnyDirectoryObject::Unknown(x) => {
            assert_eq!(
                x.extra.odata_type(),
                Some("#microsoft.graph.agentCollection")
            );
            assert_eq!(x.extra.dynamic["newProperty"], json!({"nested": [1, 2]}));
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
    // No tag: the declared type.
    assert!(
        matches!(&items[4], g::AnyDirectoryObject::DirectoryObject(x) if x.id.as_deref() == Some("d1"))
    );
}

#[test]
fn event_with_time_zones_recurrence_and_an_unknown_member() {
    let event = json!({
        "@odata.etag": "W/\"ZlnW4RIAV06KYYwlrfNZvQAAKGWwbw==\"",
        "id": "AAMkAGI1AAAt9AHjAAA=",
        "subject": "Weekly sync",
        "importance": "critical",
        "showAs": "busy",
        "isAllDay": false,
        "start": {"dateTime": "2026-08-03T09:00:00.0000000", "timeZone": "Pacific Standard Time"},
        "end": {"dateTime": "2026-08-03T09:30:00.0000000", "timeZone": "Pacific Standard Time"},
        "recurrence": {
            "pattern": {"type": "weekly", "interval": 1, "month": 0, "dayOfMonth": 0,
                        "daysOfWeek": ["monday", "thursday"], "firstDayOfWeek": "sunday", "index": "first"},
            "range": {"type": "endDate", "startDate": "2026-08-03", "endDate": "2026-12-31",
                      "recurrenceTimeZone": "Pacific Standard Time", "numberOfOccurrences": 0}
        },
        "attendees": [
            {"type": "required", "status": {"response": "accepted", "time": "2026-07-30T10:00:00Z"},
             "emailAddress": {"name": "Adele Vance", "address": "AdeleV@contoso.com"}}
        ]
    });
    let e: g::Event = round_trip(&event);
    assert_eq!(
        e.extra.etag(),
        Some("W/\"ZlnW4RIAV06KYYwlrfNZvQAAKGWwbw==\"")
    );
    assert_eq!(
        e.start.as_ref().unwrap().time_zone.as_deref(),
        Some("Pacific Standard Time")
    );
    let pattern = e.recurrence.as_ref().unwrap().pattern.as_ref().unwrap();
    assert_eq!(
        pattern.days_of_week.as_deref(),
        Some(&[g::DayOfWeek::Monday, g::DayOfWeek::Thursday][..])
    );
    assert_eq!(pattern.r#type, Some(g::RecurrencePatternType::Weekly));
    let range = e.recurrence.as_ref().unwrap().range.as_ref().unwrap();
    assert_eq!(range.end_date.as_ref().unwrap().to_string(), "2026-12-31");
    // Evolvable enum: a member added after this crate was generated is kept.
    assert_eq!(e.importance.as_ref().unwrap().name(), "critical");
    assert_eq!(e.importance.as_ref().unwrap().value(), None);
    assert_eq!(e.show_as, Some(g::FreeBusyStatus::Busy));
}

#[test]
fn flags_with_an_unknown_member() {
    let item = json!({
        "actions": "reactionAdded,reactionRemoved,messagePinned",
        "modifiedDateTime": "2026-08-03T10:11:12.5+02:00",
        "reaction": null
    });
    let h: g::ChatMessageHistoryItem = round_trip(&item);
    let actions = h.actions.as_ref().unwrap();
    assert!(actions.contains(&g::ChatMessageActions::ReactionAdded));
    assert!(actions.contains(&g::ChatMessageActions::ReactionRemoved));
    assert!(!actions.contains(&g::ChatMessageActions::ActionUndefined));
    let names: Vec<String> = actions.iter().map(|a| a.name().to_string()).collect();
    assert_eq!(names, ["reactionAdded", "reactionRemoved", "messagePinned"]);
}

#[test]
fn int64_and_decimal_as_strings_and_numbers() {
    // IEEE754Compatible=true: Int64 and Decimal travel as strings; written back as strings in
    // that mode.
    let attachment = json!({"name": "big.iso", "size": "9007199254740993", "contentType": "application/octet-stream"});
    let a: g::AttachmentInfo = serde_json::from_value(attachment.clone()).unwrap();
    assert_eq!(a.size, Some(9_007_199_254_740_993));
    assert_eq!(
        odata_runtime::with_ieee754_compatible(|| serde_json::to_value(&a)).unwrap(),
        attachment
    );
    // Without it, the same values as numbers.
    let plain = json!({"name": "small.txt", "size": 42});
    let p: g::AttachmentInfo = round_trip(&plain);
    assert_eq!(p.size, Some(42));

    let row =
        json!({"callId": "c1", "charge": "0.0123", "connectionCharge": "1.10", "currency": "USD"});
    let r: call_records::PstnCallLogRow = serde_json::from_value(row.clone()).unwrap();
    assert_eq!(r.charge.unwrap().to_string(), "0.0123");
    assert_eq!(r.connection_charge.unwrap().to_string(), "1.10");
    assert_eq!(
        odata_runtime::with_ieee754_compatible(|| serde_json::to_value(&r)).unwrap(),
        row
    );
}
