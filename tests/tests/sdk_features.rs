//! What users of the generated crates reach for beyond single requests, through
//! `graph-directory`: delta queries, the mock client for their own tests, and paging streams.

use graph_directory::microsoft_graph::requests::GraphService;
use graph_directory::microsoft_graph::{AnyDirectoryObject, User};
use odata_runtime::mock::MockClient;
use odata_runtime::prelude::*;
use odata_runtime::{Change, DeltaLink, Method};
use serde_json::json;

const ROOT: &str = "https://graph.example.com/v1.0";

fn graph() -> GraphService {
    GraphService::new(ROOT).with_header("Authorization", "Bearer t")
}

#[test]
fn delta_of_users_through_the_generated_function() {
    let client = MockClient::new();
    client
        .expect(Method::Get, "*/users/microsoft.graph.delta()")
        .header("Authorization", "Bearer t")
        .respond_json(
            200,
            json!({
                "@odata.context": format!("{ROOT}/$metadata#directoryObjects"),
                "value": [{"@odata.type": "#microsoft.graph.user", "id": "u1", "displayName": "Ann"}],
                "@odata.nextLink": format!("{ROOT}/users/microsoft.graph.delta()?$skiptoken=s1")
            }),
        );
    client
        .expect(Method::Get, "*$skiptoken=s1")
        .respond_json(
            200,
            json!({
                "@odata.context": format!("{ROOT}/$metadata#directoryObjects"),
                "value": [
                    {"@odata.type": "#microsoft.graph.user", "id": "u2", "@removed": {"reason": "deleted"}},
                    {"@odata.type": "#microsoft.graph.group", "id": "g1", "displayName": "Eng"}
                ],
                "@odata.deltaLink": "users/microsoft.graph.delta()?$deltatoken=d1"
            }),
        );
    let delta = graph().users().delta().changes_blocking(&client).unwrap();
    assert_eq!(delta.changes.len(), 3);
    match &delta.changes[0] {
        Change::Changed(AnyDirectoryObject::User(u)) => {
            assert_eq!(u.display_name.as_deref(), Some("Ann"))
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(&delta.changes[1], Change::Removed(r) if r.id.as_deref() == Some("u2")));
    assert!(matches!(
        &delta.changes[2],
        Change::Changed(AnyDirectoryObject::Group(_))
    ));
    // Stored as text, resumed later: the link carries the token, the call keeps its headers.
    let stored = serde_json::to_string(&delta.delta_link).unwrap();
    let link: DeltaLink = serde_json::from_str(&stored).unwrap();
    assert_eq!(
        link.as_str(),
        format!("{ROOT}/users/microsoft.graph.delta()?$deltatoken=d1")
    );
    client
        .expect(Method::Get, "*$deltatoken=d1")
        .header("Authorization", "Bearer t")
        .respond_json(
            200,
            json!({"value": [], "@odata.deltaLink": format!("{ROOT}/users/microsoft.graph.delta()?$deltatoken=d2")}),
        );
    let next = graph()
        .users()
        .delta()
        .resume(&link)
        .changes_blocking(&client)
        .unwrap();
    assert!(next.changes.is_empty());
    assert!(next.delta_link.as_str().ends_with("$deltatoken=d2"));
    client.verify();
}

/// A user's own code, under test with the mock client: read a user, change a field, update,
/// and keep the user up to date with the service (its new entity tag).
fn rename(client: &MockClient, id: &str, name: &str) -> Result<User, odata_runtime::Error> {
    let graph = graph();
    let mut user: User = graph
        .users()
        .by_key(id)
        .cast::<graph_directory::microsoft_graph::requests::UserItem>()
        .get()
        .select((User::ID, User::DISPLAY_NAME, User::CITY))
        .send_blocking(client)?;
    user.display_name = Some(name.into());
    let updated = graph
        .users()
        .by_key(id)
        .update(&user)
        .send_blocking(client)?;
    updated.apply_to(&mut user);
    Ok(user)
}

#[test]
fn a_users_code_tested_with_the_mock_client() {
    let client = MockClient::new();
    client
        .expect(
            Method::Get,
            "*/users('u1')/microsoft.graph.user?$select=id,displayName,city",
        )
        .respond_with(odata_runtime::Response::new(
            200,
            vec![("ETag".into(), "W/\"7\"".into())],
            br#"{"id": "u1", "displayName": "Ann", "city": "Oslo"}"#.to_vec(),
        ));
    client
        .expect(Method::Patch, "*/users('u1')")
        .header("If-Match", "W/\"7\"")
        .body_json(json!({"displayName": "Anna"}))
        .respond_with(odata_runtime::Response::new(
            204,
            vec![("ETag".into(), "W/\"8\"".into())],
            Vec::new(),
        ));
    let user = rename(&client, "u1", "Anna").unwrap();
    client.verify();
    assert_eq!(
        user.extra.etag(),
        Some("W/\"8\""),
        "the tag the service answered with"
    );
    assert!(
        user.changed_properties().is_empty(),
        "{:?}",
        user.changed_properties()
    );
    let sent = client.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].header("Authorization"), Some("Bearer t"));

    // A server answering 412 (someone changed it since): a typed error to match on.
    let client = MockClient::new();
    client
        .expect(Method::Get, "*")
        .respond_json(200, json!({"@odata.etag": "W/\"7\"", "id": "u1"}));
    client.expect(Method::Patch, "*").respond_json(
        412,
        json!({"error": {"code": "PreconditionFailed", "message": "changed"}}),
    );
    let e = rename(&client, "u1", "Anna").unwrap_err();
    assert!(e.is_precondition_failed(), "{e}");
    assert_eq!(e.odata().unwrap().code, "PreconditionFailed");
}
