//! The directory service end to end through the *generated request builders* of
//! `generated/graph-directory`: every request below is built by the generated crate (paths,
//! keys, casts, references, operations, query options) and sent with `reqwest`'s blocking
//! client to the odatapy server (`tests/e2e/server.py`, seed data described there).
//!
//! `directory.rs` checks the same behaviour with hand-written requests; a difference between
//! the two points at the builders.

use graph_directory::microsoft_graph::requests::{
    DirectoryObjectItem, GraphService, GroupCollection, GroupItem, UserCollection, UserItem,
};
use graph_directory::microsoft_graph::{
    AnyDirectoryObject, AssignedLicense, DirectoryObject, Event, ItemBody, User,
};
use odata_e2e_tests::Server;
use odata_runtime::prelude::*;
use odata_runtime::{Error, Guid};

struct Api {
    server: Server,
    client: reqwest::blocking::Client,
    graph: GraphService,
}

impl Api {
    fn start() -> Option<Api> {
        let server = Server::start()?;
        let client = reqwest::blocking::Client::builder()
            .no_proxy()
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .expect("a reqwest client");
        let graph = GraphService::new(server.base_url());
        Some(Api {
            server,
            client,
            graph,
        })
    }

    fn user(&self, id: &str) -> UserItem {
        self.graph.users().by_key(id)
    }

    /// Panics with the server log when a call fails.
    fn ok<T>(&self, what: &str, r: Result<T, Error>) -> T {
        r.unwrap_or_else(|e| panic!("{what}: {e}\n--- server log ---\n{}", self.server.log()))
    }
}

fn ids(users: &[User]) -> Vec<&str> {
    users.iter().map(|u| u.id.as_deref().unwrap()).collect()
}

fn object_id(o: &AnyDirectoryObject) -> &str {
    match o {
        AnyDirectoryObject::User(u) => u.id.as_deref().unwrap(),
        AnyDirectoryObject::Group(g) => g.id.as_deref().unwrap(),
        other => panic!("not a user or group: {other:?}"),
    }
}

fn license(sku: &str) -> AssignedLicense {
    AssignedLicense {
        sku_id: Some(sku.parse::<Guid>().unwrap()),
        disabled_plans: Some(vec![]),
        ..Default::default()
    }
}

#[test]
fn create_read_update_and_delete() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let erin = User {
        id: Some("erin".into()),
        display_name: Some("Erin Example".into()),
        job_title: Some("Engineer".into()),
        city: Some("Bergen".into()),
        account_enabled: Some(true),
        business_phones: Some(vec![]),
        ..Default::default()
    };
    // `id` is read-only in the documentation tables merged into this crate (the directory assigns
    // it), so `create` leaves it out; this test server needs client-assigned keys, so the test
    // sends the value as it is.
    let body = api
        .graph
        .users()
        .create(&erin)
        .to_request()
        .unwrap()
        .body
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body.get("id"), None, "{body}");
    assert_eq!(body["displayName"], "Erin Example");
    let created = api.ok(
        "create",
        api.graph.users().create_as_is(&erin).send_blocking(c),
    );
    assert_eq!(created.display_name.as_deref(), Some("Erin Example"));

    let read = api.ok("get", api.user("erin").get().send_blocking(c));
    assert_eq!(read.city.as_deref(), Some("Bergen"));

    // PATCH: one property set, one cleared with an explicit null, the rest untouched.
    let mut patch = User {
        city: Some("Oslo".into()),
        ..Default::default()
    };
    patch.set_null(User::JOB_TITLE);
    let request = api.user("erin").update(&patch).to_request().unwrap();
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(
        String::from_utf8(request.body.clone().unwrap()).unwrap(),
        r#"{"city":"Oslo","jobTitle":null}"#
    );
    api.ok("update", api.user("erin").update(&patch).send_blocking(c));
    let read = api.ok("get", api.user("erin").get().send_blocking(c));
    assert_eq!(read.city.as_deref(), Some("Oslo"));
    assert_eq!(read.job_title, None);
    assert!(
        read.extra.is_null("jobTitle"),
        "jobTitle comes back as null"
    );
    assert_eq!(read.display_name.as_deref(), Some("Erin Example"));

    api.ok("delete", api.user("erin").delete().send_blocking(c));
    let gone = api.user("erin").get().send_blocking(c).unwrap_err();
    assert_eq!(gone.status(), Some(404));
}

#[test]
fn keys_are_literals() {
    let Some(api) = Api::start() else { return };
    let oneil = api.ok("get", api.user("o'neil").get().send_blocking(&api.client));
    assert_eq!(oneil.id.as_deref(), Some("o'neil"));
    assert!(api.user("o'neil").url().ends_with("/users('o''neil')"));
}

#[test]
fn list_with_paging_select_filter_and_order() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    // The server pages by 2: five users come in three pages.
    let list = api
        .graph
        .users()
        .list()
        .select((User::ID, User::DISPLAY_NAME))
        .with_count();
    let pages: Vec<_> = api.ok("pages", list.pages(c).unwrap().collect::<Result<_, _>>());
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0].count, Some(5));
    let all: Vec<User> = pages.into_iter().flat_map(|p| p.value).collect();
    assert_eq!(ids(&all), ["alice", "bob", "carol", "o'neil", "dave"]);
    assert!(
        all.iter().all(|u| u.city.is_none()),
        "$select is kept on every page"
    );

    let ordered: Vec<User> = api.ok(
        "ordered",
        api.graph
            .users()
            .list()
            .select((User::ID, User::DISPLAY_NAME))
            .orderby_desc(User::DISPLAY_NAME)
            .items(c)
            .unwrap()
            .collect(),
    );
    let names: Vec<&str> = ordered
        .iter()
        .map(|u| u.display_name.as_deref().unwrap())
        .collect();
    let mut descending = names.clone();
    descending.sort_by(|a, b| b.cmp(a));
    assert_eq!(names.len(), 5);
    assert_eq!(names, descending);

    let filtered = api.ok(
        "filter",
        api.graph
            .users()
            .list()
            .filter(User::DISPLAY_NAME.startswith("Bo"))
            .send_blocking(c),
    );
    assert_eq!(ids(&filtered.value), ["bob"]);

    let n = api.ok("count", api.graph.users().count().send_blocking(c));
    assert_eq!(n, 5);
    let top = api.ok(
        "top",
        api.graph.users().list().top(1).skip(1).send_blocking(c),
    );
    assert_eq!(ids(&top.value), ["bob"]);
}

/// Typed `$filter` and `$orderby` combined, and `$expand` with nested `$select`.
#[test]
fn typed_filter_and_expand_options() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let found = api.ok(
        "typed filter",
        api.graph
            .users()
            .list()
            .filter(
                User::DISPLAY_NAME
                    .startswith("Bo")
                    .or(User::ID.eq("alice"))
                    .and(User::ID.ne("nobody")),
            )
            .orderby(User::ID)
            .send_blocking(c),
    );
    assert_eq!(ids(&found.value), ["alice", "bob"]);

    let alice = api.ok(
        "expand_with",
        api.user("alice")
            .get()
            .select(User::ID)
            .expand_with(User::MANAGER, |e| e.select(DirectoryObject::ID))
            .send_blocking(c),
    );
    let manager = alice.manager.expect("manager expanded");
    assert_eq!(object_id(&manager), "bob");
}

#[test]
fn select_and_expand_on_an_item() {
    let Some(api) = Api::start() else { return };
    let alice = api.ok(
        "get",
        api.user("alice")
            .get()
            .select((User::ID, User::DISPLAY_NAME))
            .expand((User::MANAGER, User::MEMBER_OF))
            .send_blocking(&api.client),
    );
    assert_eq!(alice.display_name.as_deref(), Some("Alice Adams"));
    assert_eq!(alice.city, None);
    let manager = alice.manager.expect("manager expanded");
    assert_eq!(object_id(&manager), "bob");
    let groups: Vec<&str> = alice
        .member_of
        .as_deref()
        .unwrap()
        .iter()
        .map(object_id)
        .collect();
    assert_eq!(groups, ["g-eng", "g-all"]);
}

#[test]
fn navigation_and_casts() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let manager = api.ok(
        "manager",
        api.user("alice").manager().get().send_blocking(c),
    );
    assert_eq!(object_id(&manager), "bob");
    let mine = api.ok(
        "me/manager",
        api.graph.me().manager().get().send_blocking(c),
    );
    assert_eq!(object_id(&mine), "bob");
    // memberOf: directory objects that are groups.
    let groups = api.ok(
        "memberOf",
        api.user("alice").member_of().list().send_blocking(c),
    );
    let mut all: Vec<&str> = groups.value.iter().map(object_id).collect();
    all.sort();
    assert_eq!(all, ["g-all", "g-eng"]);
    // A cast on an item of the base-typed set gives the user builder.
    let as_user: UserItem = api.graph.directory_objects().by_key("alice").cast();
    assert!(
        as_user
            .url()
            .ends_with("/directoryObjects('alice')/microsoft.graph.user")
    );
    let alice = api.ok("cast item", as_user.get().send_blocking(c));
    assert_eq!(alice.display_name.as_deref(), Some("Alice Adams"));
    // A cast on the collection.
    let groups: GroupCollection = api.graph.directory_objects().cast();
    let names: Vec<String> = api.ok(
        "cast set",
        groups
            .list()
            .items(c)
            .unwrap()
            .map(|g| g.map(|g| g.id.unwrap()))
            .collect(),
    );
    assert_eq!(names, ["g-eng", "g-all", "g-ops"]);
    // A cast to the wrong type is a 404 from the service.
    let wrong: UserItem = api.graph.directory_objects().by_key("g-eng").cast();
    assert_eq!(
        wrong.get().send_blocking(c).unwrap_err().status(),
        Some(404)
    );
}

#[test]
fn references_add_remove_and_set() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let dave = api.user("dave");
    let g_ops: GroupItem = api.graph.groups().by_key("g-ops");
    let before = api.ok(
        "refs",
        dave.member_of().references().list().send_blocking(c),
    );
    api.ok(
        "add",
        dave.member_of().references().add(&g_ops).send_blocking(c),
    );
    let after = api.ok(
        "refs",
        dave.member_of().references().list().send_blocking(c),
    );
    assert_eq!(after.value.len(), before.value.len() + 1);
    assert!(after.value.iter().any(|r| r.0.ends_with("('g-ops')")));
    api.ok(
        "remove",
        dave.member_of()
            .references()
            .remove(&g_ops)
            .send_blocking(c),
    );
    let removed = api.ok(
        "refs",
        dave.member_of().references().list().send_blocking(c),
    );
    assert_eq!(removed.value.len(), before.value.len());

    // A single-valued reference: set dave's manager, read it, delete it.
    let carol: DirectoryObjectItem = api.graph.directory_objects().by_key("carol");
    api.ok(
        "set",
        dave.manager().reference().set(&carol).send_blocking(c),
    );
    let manager = api.ok("manager", dave.manager().get().send_blocking(c));
    assert_eq!(object_id(&manager), "carol");
    let id = api.ok("get ref", dave.manager().reference().get().send_blocking(c));
    assert!(id.0.ends_with("('carol')"), "{}", id.0);
    api.ok(
        "unset",
        dave.manager().reference().delete().send_blocking(c),
    );
    assert_eq!(
        dave.manager().get().send_blocking(c).unwrap_err().status(),
        Some(404)
    );
}

#[test]
fn a_derived_type_through_the_base_typed_set() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let frank = User {
        id: Some("frank".into()),
        display_name: Some("Frank Foster".into()),
        usage_location: Some("NO".into()),
        business_phones: Some(vec![]),
        ..Default::default()
    };
    // A `User` written into the `directoryObject` set carries its type tag.
    let call = api.graph.directory_objects().create_as_is(&frank);
    let body = call.to_request().unwrap().body.unwrap();
    assert!(
        String::from_utf8(body)
            .unwrap()
            .contains("\"@odata.type\":\"#microsoft.graph.user\"")
    );
    let created = api.ok("create", call.send_blocking(c));
    assert!(matches!(created, AnyDirectoryObject::User(_)));
    let read = api.ok(
        "get",
        api.graph
            .directory_objects()
            .by_key("frank")
            .get()
            .send_blocking(c),
    );
    let AnyDirectoryObject::User(read) = read else {
        panic!("frank reads back as {read:?}");
    };
    assert_eq!(read.usage_location.as_deref(), Some("NO"));
}

#[test]
fn bound_actions_and_functions() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let added = license("11111111-2222-3333-4444-555555555555");
    let e5: Guid = "6fd2c87f-b296-42f0-b197-1e91e994b900".parse().unwrap();
    let returned = api.ok(
        "assignLicense",
        api.user("alice")
            .assign_license(vec![added.clone()], vec![e5])
            .send_blocking(c),
    );
    let returned = returned.expect("the action returns the user");
    assert_eq!(returned.assigned_licenses, Some(vec![added]));

    let groups = api.ok(
        "checkMemberGroups",
        api.graph
            .me()
            .check_member_groups(vec!["g-all".into(), "g-ops".into(), "g-eng".into()])
            .send_blocking(c),
    );
    assert_eq!(groups.value, ["g-all", "g-eng"]);
    // Bound to directoryObject, inherited by the user builder and callable on the base set.
    let on_base = api.ok(
        "checkMemberGroups on directoryObjects",
        api.graph
            .directory_objects()
            .by_key("o'neil")
            .check_member_groups(vec!["g-eng".into(), "g-all".into()])
            .send_blocking(c),
    );
    assert_eq!(on_base.value, ["g-eng"]);

    let reminders = api.ok(
        "reminderView",
        api.user("alice")
            .reminder_view("2024-05-06T00:00:00Z", Some("2024-05-07T00:00:00Z"))
            .send_blocking(c),
    );
    assert_eq!(reminders.value.len(), 1);
    assert_eq!(reminders.value[0].event_id.as_deref(), Some("standup"));
    let open = api.ok(
        "reminderView with null",
        api.graph
            .me()
            .reminder_view("2024-05-01T00:00:00Z", None)
            .send_blocking(c),
    );
    let ids: Vec<_> = open
        .value
        .iter()
        .map(|r| r.event_id.clone().unwrap())
        .collect();
    assert_eq!(ids, ["standup", "review"]);
}

#[test]
fn contained_navigation_to_any_depth() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let work = api.graph.me().calendars().by_key("work");
    assert!(
        work.events()
            .url()
            .ends_with("/me/calendars('work')/events")
    );
    let events = api.ok(
        "events",
        work.events()
            .list()
            .orderby(Event::SUBJECT)
            .items(c)
            .unwrap()
            .collect::<Result<Vec<Event>, _>>(),
    );
    let subjects: Vec<_> = events.iter().map(|e| e.subject.clone().unwrap()).collect();
    assert_eq!(subjects, ["Design review", "Stand-up"]);

    let home = api.graph.me().calendars().by_key("home");
    let gym = Event {
        id: Some("gym".into()),
        subject: Some("Gym".into()),
        body: Some(ItemBody {
            content: Some("Legs".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    api.ok(
        "create event",
        home.events().create_as_is(&gym).send_blocking(c),
    );
    let patch = Event {
        subject: Some("Gym (moved)".into()),
        ..Default::default()
    };
    api.ok(
        "update event",
        home.events().by_key("gym").update(&patch).send_blocking(c),
    );
    let read = api.ok(
        "get event",
        home.events().by_key("gym").get().send_blocking(c),
    );
    assert_eq!(read.subject.as_deref(), Some("Gym (moved)"));
    api.ok(
        "delete event",
        home.events().by_key("gym").delete().send_blocking(c),
    );
    assert_eq!(
        home.events()
            .by_key("gym")
            .get()
            .send_blocking(c)
            .unwrap_err()
            .status(),
        Some(404)
    );
}

#[test]
fn media_value() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let photo = api.user("alice").photo();
    assert!(
        photo
            .value()
            .path()
            .url()
            .ends_with("/users('alice')/photo/$value")
    );
    let bytes = api.ok("photo", photo.value().get().send_blocking(c));
    assert!(bytes.starts_with(b"\x89PNG"));
    let jpeg = b"\xff\xd8\xff\xe0 new photo".to_vec();
    api.ok(
        "upload",
        api.graph
            .me()
            .photo()
            .value()
            .put("image/jpeg", jpeg.clone())
            .send_blocking(c),
    );
    assert_eq!(api.ok("photo", photo.value().get().send_blocking(c)), jpeg);
}

#[test]
fn errors_are_typed() {
    let Some(api) = Api::start() else { return };
    let err = api
        .user("nobody")
        .get()
        .send_blocking(&api.client)
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    let odata = err.odata().expect("an OData error payload");
    assert!(!odata.message.is_empty());

    let groups: UserCollection = api.graph.users();
    let dup = User {
        id: Some("alice".into()),
        ..Default::default()
    };
    let err = groups
        .create_as_is(&dup)
        .send_blocking(&api.client)
        .unwrap_err();
    assert_eq!(err.status(), Some(409));
}

// GET /users('alice')?$expand=manager, PATCH /users('alice') {"city":"Trondheim"}
#[test]
fn an_update_of_a_read_entity_sends_only_the_change() {
    let Some(api) = Api::start() else { return };
    let c = &api.client;
    let mut alice = api.ok(
        "get",
        api.user("alice")
            .get()
            .expand(User::MANAGER)
            .send_blocking(c),
    );
    assert!(alice.manager.is_some(), "expanded");
    assert!(!alice.extra.annotations.is_empty(), "read with annotations");
    let before = alice.clone();
    alice.city = Some("Trondheim".into());
    let request = api.user("alice").update(&alice).to_request().unwrap();
    // Only the change: no @odata.context, no expanded manager, no unchanged property.
    assert_eq!(
        String::from_utf8(request.body.clone().unwrap()).unwrap(),
        r#"{"city":"Trondheim"}"#
    );
    api.ok("update", api.user("alice").update(&alice).send_blocking(c));
    let after = api.ok("get", api.user("alice").get().send_blocking(c));
    assert_eq!(after.city.as_deref(), Some("Trondheim"));
    assert_eq!(after.job_title, before.job_title);
    assert_eq!(after.display_name, before.display_name);

    // Cleared since read: sent as null, and the service clears it.
    let mut again = after.clone();
    again.job_title = None;
    let request = api.user("alice").update(&again).to_request().unwrap();
    assert_eq!(
        String::from_utf8(request.body.clone().unwrap()).unwrap(),
        r#"{"jobTitle":null}"#
    );
    api.ok("clear", api.user("alice").update(&again).send_blocking(c));
    let cleared = api.ok("get", api.user("alice").get().send_blocking(c));
    assert_eq!(cleared.job_title, None);
    assert_eq!(cleared.city.as_deref(), Some("Trondheim"));
}
