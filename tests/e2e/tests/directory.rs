//! The directory service (`schemas/graph-directory.xml`) end to end: raw `odata_runtime`
//! requests sent with `reqwest`'s blocking client to a real OData server (odatapy, see
//! `tests/e2e/server.py` for the seed data), responses read into the generated types.
//!
//! Each test starts its own server, so tests are independent and may run in parallel.
//! These requests are what the generated request builders are to produce.

use graph_directory::microsoft_graph::{
    AnyDirectoryObject, AssignedLicense, Calendar, CalendarColor, DateTimeTimeZone, Event, Group,
    ProfilePhoto, Reminder, User,
};
use odata_e2e_tests::Server;
use odata_runtime::Structured as _;
use odata_runtime::serde::de::DeserializeOwned;
use odata_runtime::serde_json::{Value, json};
use odata_runtime::{
    BlockingClient, Error, Guid, Method, Page, Query, Request, Response, Version,
    function_parameters, items, key_segment, pages,
};

const V4: Version = Version::V4;
/// The license alice holds in the seed data.
const E5_SKU: &str = "6fd2c87f-b296-42f0-b197-1e91e994b900";
/// The bytes of alice's seeded profile photo.
const PHOTO: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDRe2e-photo\x00\xff";
/// The seeded users, in the order of the `users` set.
const USERS: [&str; 5] = ["alice", "bob", "carol", "o'neil", "dave"];

/// A server and a client for one test.
struct Api {
    server: Server,
    client: reqwest::blocking::Client,
}

impl Api {
    /// `None` when the end-to-end tests are skipped on this machine (see the harness docs).
    fn start() -> Option<Api> {
        let server = Server::start()?;
        let client = reqwest::blocking::Client::builder()
            .no_proxy()
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .expect("a reqwest client");
        Some(Api { server, client })
    }

    /// An OData V4 request (`Accept: application/json`, `OData-MaxVersion: 4.0`) to a path
    /// below the service root.
    fn request(&self, method: Method, path: &str) -> Request {
        Request::odata(method, self.server.url(path), V4)
    }

    fn with_json(&self, method: Method, path: &str, body: &Value) -> Request {
        self.request(method, path)
            .json_body(body)
            .expect("a JSON body")
    }

    /// Sends a request; the response whatever its status (transport errors panic).
    fn send(&self, request: Request) -> Response {
        let what = format!("{} {}", request.method, request.url);
        self.client
            .send(request)
            .unwrap_or_else(|e| panic!("{what}: {e}\n--- server log ---\n{}", self.server.log()))
    }

    /// Sends a request that must succeed.
    fn ok(&self, request: Request) -> Response {
        let what = format!("{} {}", request.method, request.url);
        self.send(request)
            .error_for_status()
            .unwrap_or_else(|e| panic!("{what}: {e}"))
    }

    /// Sends a request that must fail, and returns the runtime's error for it.
    fn fails(&self, request: Request) -> Error {
        let what = format!("{} {}", request.method, request.url);
        match self.send(request).error_for_status() {
            Ok(r) => panic!("{what} succeeded ({}): {}", r.status, r.text()),
            Err(e) => e,
        }
    }

    /// `GET` a single entity (or any JSON body) into `T`.
    fn get<T: DeserializeOwned>(&self, path: &str) -> T {
        self.ok(self.request(Method::Get, path))
            .entity(V4)
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// `GET` every item of a collection, following `@odata.nextLink`.
    fn all<T: DeserializeOwned>(&self, path: &str) -> Vec<T> {
        items(&self.client, self.request(Method::Get, path))
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("GET {path} (all pages): {e}"))
    }
}

/// `users('id')`, the key as a percent-encoded OData literal.
fn user(id: &str) -> String {
    format!("users{}", key_segment(&[("id", &id)], V4))
}

/// A path with query options.
fn with_query(path: &str, query: Query) -> String {
    let mut path = path.to_owned();
    query.append_to(&mut path, V4);
    path
}

fn ids_of_users(users: &[User]) -> Vec<&str> {
    users.iter().map(|u| u.id.as_deref().unwrap()).collect()
}

fn guid(s: &str) -> Guid {
    s.parse().expect("a GUID")
}

fn license(sku: &str) -> AssignedLicense {
    AssignedLicense {
        sku_id: Some(guid(sku)),
        disabled_plans: Some(vec![]),
        ..Default::default()
    }
}

fn display_name(o: &AnyDirectoryObject) -> Option<&str> {
    match o {
        AnyDirectoryObject::User(u) => u.display_name.as_deref(),
        AnyDirectoryObject::Group(g) => g.display_name.as_deref(),
        other => panic!("not a user or group: {other:?}"),
    }
}

fn utc(date_time: &str) -> DateTimeTimeZone {
    DateTimeTimeZone {
        date_time: Some(date_time.into()),
        time_zone: Some("UTC".into()),
        ..Default::default()
    }
}

// POST /users, GET /users('erin'), GET /directoryObjects('erin'), DELETE /users('erin')
#[test]
fn create_read_and_delete_a_user() {
    let Some(api) = Api::start() else { return };
    let erin = User {
        id: Some("erin".into()),
        display_name: Some("Erin Evans".into()),
        job_title: Some("Intern".into()),
        account_enabled: Some(true),
        business_phones: Some(vec!["+47 555 0199".into()]),
        assigned_licenses: Some(vec![]),
        ..Default::default()
    };
    let body = odata_runtime::serde_json::to_value(&erin).unwrap();
    let created = api.ok(api.with_json(Method::Post, "users", &body));
    assert_eq!(created.status, 201);
    assert!(
        created
            .header("Location")
            .unwrap()
            .ends_with("/users('erin')"),
        "{:?}",
        created.header("Location")
    );
    let echoed: User = created.entity(V4).unwrap();
    assert_eq!(echoed.display_name.as_deref(), Some("Erin Evans"));
    assert_eq!(
        echoed.extra.annotation("@odata.context"),
        Some(&json!(api.server.url("$metadata#users/$entity")))
    );

    let read: User = api.get(&user("erin"));
    assert_eq!(read.id.as_deref(), Some("erin"));
    assert_eq!(read.job_title.as_deref(), Some("Intern"));
    assert_eq!(read.account_enabled, Some(true));
    assert_eq!(
        read.business_phones.as_deref(),
        Some(&["+47 555 0199".to_owned()][..])
    );
    // The directory sees the new user under its base type too.
    let AnyDirectoryObject::User(seen) = api.get("directoryObjects('erin')") else {
        panic!("directoryObjects('erin') is not a user");
    };
    assert_eq!(seen.display_name.as_deref(), Some("Erin Evans"));
    // Keys are unique: a second POST conflicts.
    let err = api.fails(api.with_json(Method::Post, "users", &body));
    assert_eq!(err.status(), Some(409));

    let deleted = api.ok(api.request(Method::Delete, &user("erin")));
    assert_eq!(deleted.status, 204);
    for gone in [user("erin"), "directoryObjects('erin')".to_owned()] {
        let err = api.fails(api.request(Method::Get, &gone));
        assert_eq!(err.status(), Some(404), "{gone}");
    }
    let left: Vec<User> = api.all("users?$select=id");
    assert_eq!(ids_of_users(&left), USERS);
}

// GET /users('o''neil'), the key literal's quote doubled
#[test]
fn read_by_a_key_with_a_quote() {
    let Some(api) = Api::start() else { return };
    let path = user("o'neil");
    assert_eq!(path, "users('o''neil')");
    let pat: User = api.get(&path);
    assert_eq!(pat.id.as_deref(), Some("o'neil"));
    assert_eq!(pat.display_name.as_deref(), Some("Pat O'Neil"));
    assert_eq!(pat.surname.as_deref(), Some("O'Neil"));
}

// GET /users?$select=id,displayName&$count=true, then each @odata.nextLink
// GET /users?$select=id&$orderby=displayName desc, with Prefer: odata.maxpagesize=1
#[test]
fn list_with_server_driven_paging() {
    let Some(api) = Api::start() else { return };
    let path = with_query(
        "users",
        Query::new().select(["id", "displayName"]).count(true),
    );
    assert_eq!(path, "users?$select=id,displayName&$count=true");
    let first = api.request(Method::Get, &path);
    let got: Vec<Page<User>> = pages(&api.client, first).collect::<Result<_, _>>().unwrap();
    let sizes: Vec<usize> = got.iter().map(|p| p.value.len()).collect();
    assert_eq!(sizes, [2, 2, 1], "page size {}", odata_e2e_tests::PAGE_SIZE);
    assert_eq!(got[0].count, Some(5));
    let next = got[0].next_link.as_deref().unwrap();
    assert!(
        next.starts_with(&api.server.url("users?")) && next.contains("$skiptoken="),
        "{next}"
    );
    assert_eq!(got[2].next_link, None);
    let users: Vec<User> = got.into_iter().flatten().collect();
    assert_eq!(ids_of_users(&users), USERS);
    // $select holds on every page: only the selected properties come back.
    assert!(
        users
            .iter()
            .all(|u| u.display_name.is_some() && u.mail.is_none())
    );

    // The client may ask for smaller pages; ordering holds across pages.
    let path = with_query(
        "users",
        Query::new().select(["id"]).orderby(["displayName desc"]),
    );
    let first = api
        .request(Method::Get, &path)
        .with_header("Prefer", "odata.maxpagesize=1");
    let got: Vec<Page<User>> = pages(&api.client, first).collect::<Result<_, _>>().unwrap();
    assert_eq!(got.len(), 5);
    let users: Vec<User> = got.into_iter().flatten().collect();
    assert_eq!(
        ids_of_users(&users),
        ["o'neil", "dave", "carol", "bob", "alice"]
    );
}

// GET /users/$count, /directoryObjects/$count, /directoryObjects/microsoft.graph.user/$count
#[test]
fn count_segments() {
    let Some(api) = Api::start() else { return };
    let count = |path: &str| {
        api.ok(api
            .request(Method::Get, path)
            .with_header("Accept", "text/plain"))
            .count()
            .unwrap()
    };
    assert_eq!(count("users/$count"), 5);
    assert_eq!(count("directoryObjects/$count"), 8);
    assert_eq!(count("directoryObjects/microsoft.graph.user/$count"), 5);
    assert_eq!(count("users('alice')/memberOf/$count"), 2);
    // odatapy answers a `$count` that asks for JSON with 406.
    let err = api.fails(api.request(Method::Get, "users/$count"));
    assert_eq!(err.status(), Some(406));
}

// GET /users('alice')?$select=id,displayName
//     &$expand=manager($select=microsoft.graph.user/displayName),memberOf
#[test]
fn select_and_expand() {
    let Some(api) = Api::start() else { return };
    let path = with_query(
        &user("alice"),
        Query::new().select(["id", "displayName"]).expand([
            "manager($select=microsoft.graph.user/displayName)",
            "memberOf",
        ]),
    );
    let alice: User = api.get(&path);
    assert_eq!(alice.display_name.as_deref(), Some("Alice Adams"));
    assert_eq!(alice.mail, None, "not selected");
    assert_eq!(alice.job_title, None, "not selected");
    let Some(AnyDirectoryObject::User(manager)) = &alice.manager else {
        panic!("manager not expanded as a user: {:?}", alice.manager);
    };
    assert_eq!(manager.id.as_deref(), Some("bob"));
    assert_eq!(manager.display_name.as_deref(), Some("Bob Brown"));
    assert_eq!(manager.job_title, None, "not selected in the expansion");
    let groups: Vec<&str> = alice
        .member_of
        .as_deref()
        .unwrap()
        .iter()
        .map(|g| display_name(g).unwrap())
        .collect();
    assert_eq!(groups, ["Engineering", "Everyone"]);
}

// PATCH /users('alice') {"city":"Oslo","jobTitle":null}
#[test]
fn patch_with_an_explicit_null() {
    let Some(api) = Api::start() else { return };
    let before: User = api.get(&user("alice"));
    assert_eq!(before.job_title.as_deref(), Some("Engineer"));

    let mut patch = User {
        city: Some("Oslo".into()),
        ..Default::default()
    };
    patch.set_null(graph_directory::microsoft_graph::User::JOB_TITLE);
    let body = odata_runtime::serde_json::to_value(&patch).unwrap();
    assert_eq!(body, json!({"city": "Oslo", "jobTitle": null}));
    let response = api.ok(api.with_json(Method::Patch, &user("alice"), &body));
    assert_eq!(response.status, 204);

    let after: User = api.get(&user("alice"));
    assert_eq!(after.city.as_deref(), Some("Oslo"));
    assert_eq!(after.job_title, None);
    assert!(
        after.extra.is_null("jobTitle"),
        "jobTitle is an explicit null now"
    );
    // What the PATCH did not name is unchanged.
    assert_eq!(after.display_name, before.display_name);
    assert_eq!(after.department, before.department);
    assert_eq!(after.business_phones, before.business_phones);
}

// GET /users('alice')/manager, /users('bob')/manager, /me/manager, /users('carol')/manager,
// /users('alice')/memberOf, /users('alice')/memberOf/microsoft.graph.group?$select=displayName
#[test]
fn navigation_manager_and_member_of() {
    let Some(api) = Api::start() else { return };
    let manager_of = |id: &str| -> AnyDirectoryObject { api.get(&format!("{}/manager", user(id))) };
    let AnyDirectoryObject::User(bob) = manager_of("alice") else {
        panic!("alice's manager is not a user");
    };
    assert_eq!(bob.id.as_deref(), Some("bob"));
    assert_eq!(bob.job_title.as_deref(), Some("Engineering Manager"));
    assert_eq!(display_name(&manager_of("bob")), Some("Carol Clark"));
    assert_eq!(display_name(&manager_of("o'neil")), Some("Bob Brown"));
    let me_manager: AnyDirectoryObject = api.get("me/manager");
    assert_eq!(display_name(&me_manager), Some("Bob Brown"));
    let err = api.fails(api.request(Method::Get, &format!("{}/manager", user("carol"))));
    assert_eq!(err.status(), Some(404), "carol has no manager");

    let member_of: Vec<AnyDirectoryObject> = api.all(&format!("{}/memberOf", user("alice")));
    let names: Vec<_> = member_of.iter().map(|g| display_name(g).unwrap()).collect();
    assert_eq!(names, ["Engineering", "Everyone"]);
    assert!(matches!(member_of[0], AnyDirectoryObject::Group(_)));

    // A type cast on the navigation, with $select on the derived type.
    let groups: Vec<Group> =
        api.all("users('alice')/memberOf/microsoft.graph.group?$select=displayName");
    let groups: Vec<_> = groups
        .iter()
        .map(|g| (g.id.as_deref().unwrap(), g.display_name.as_deref().unwrap()))
        .collect();
    assert_eq!(groups, [("g-eng", "Engineering"), ("g-all", "Everyone")]);
}

// POST /users('dave')/memberOf/$ref, GET /users('dave')/memberOf/$ref,
// DELETE /users('dave')/memberOf/$ref?$id=..., DELETE /users('dave')/memberOf('g-ops')/$ref,
// PUT and DELETE /users('dave')/manager/$ref
#[test]
fn references_add_and_remove() {
    let Some(api) = Api::start() else { return };
    let dave = user("dave");
    let refs = |api: &Api| -> Vec<String> {
        let page: Page<Value> = api.get(&format!("{dave}/memberOf/$ref"));
        page.value
            .iter()
            .map(|r| r["@odata.id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(refs(&api).is_empty());

    // Add: an absolute and a relative entity id.
    for id in [
        api.server.url("groups('g-ops')"),
        "groups('g-all')".to_owned(),
    ] {
        let r = api.with_json(
            Method::Post,
            &format!("{dave}/memberOf/$ref"),
            &json!({ "@odata.id": id }),
        );
        assert_eq!(api.ok(r).status, 204);
    }
    let added = refs(&api);
    assert_eq!(added.len(), 2);
    assert!(
        added[0].ends_with("('g-ops')") && added[1].ends_with("('g-all')"),
        "{added:?}"
    );
    let groups: Vec<AnyDirectoryObject> = api.all(&format!("{dave}/memberOf"));
    let names: Vec<_> = groups.iter().map(|g| display_name(g).unwrap()).collect();
    assert_eq!(names, ["Operations", "Everyone"]);

    // Remove: the 4.0 form with $id ...
    let mut url = format!("{dave}/memberOf/$ref");
    Query::new()
        .param("$id", api.server.url("groups('g-all')"))
        .append_to(&mut url, V4);
    assert_eq!(api.ok(api.request(Method::Delete, &url)).status, 204);
    assert_eq!(refs(&api).len(), 1);
    // ... and the 4.01 form with the key in the path.
    let url = format!("{dave}/memberOf('g-ops')/$ref");
    assert_eq!(api.ok(api.request(Method::Delete, &url)).status, 204);
    assert!(refs(&api).is_empty());

    // A single-valued navigation: set, read, remove.
    let r = api.with_json(
        Method::Put,
        &format!("{dave}/manager/$ref"),
        &json!({ "@odata.id": api.server.url("users('o''neil')") }),
    );
    assert_eq!(api.ok(r).status, 204);
    let manager: AnyDirectoryObject = api.get(&format!("{dave}/manager"));
    assert_eq!(display_name(&manager), Some("Pat O'Neil"));
    assert_eq!(
        api.ok(api.request(Method::Delete, &format!("{dave}/manager/$ref")))
            .status,
        204
    );
    let err = api.fails(api.request(Method::Get, &format!("{dave}/manager")));
    assert_eq!(err.status(), Some(404));
}

// GET /directoryObjects('alice')/microsoft.graph.user, /directoryObjects/microsoft.graph.user,
// /directoryObjects/microsoft.graph.group,
// /directoryObjects('g-eng')/microsoft.graph.user (404)
#[test]
fn type_casts() {
    let Some(api) = Api::start() else { return };
    let alice: User = api.get("directoryObjects('alice')/microsoft.graph.user");
    assert_eq!(alice.display_name.as_deref(), Some("Alice Adams"));
    assert_eq!(alice.city.as_deref(), Some("Seattle"));

    // On the collection: only users, read as users (across pages).
    let users: Vec<User> = api.all("directoryObjects/microsoft.graph.user?$select=id,city");
    assert_eq!(ids_of_users(&users), USERS);
    assert_eq!(users[0].city.as_deref(), Some("Seattle"));

    let groups: Vec<Group> = api.all("directoryObjects/microsoft.graph.group");
    let names: Vec<_> = groups
        .iter()
        .map(|g| g.display_name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["Engineering", "Everyone", "Operations"]);
    assert_eq!(
        groups[1].group_types.as_deref(),
        Some(&["Unified".to_owned()][..])
    );

    let err = api.fails(api.request(
        Method::Get,
        "directoryObjects('g-eng')/microsoft.graph.user",
    ));
    assert_eq!(err.status(), Some(404), "a group is not a user");
    // Type names are case-sensitive: the namespace is `microsoft.graph`.
    let err = api.fails(api.request(
        Method::Get,
        "directoryObjects('alice')/Microsoft.Graph.User",
    ));
    assert_eq!(err.status(), Some(404));
}

// POST /directoryObjects {"@odata.type":"#microsoft.graph.user",...}, then GET it back through
// /directoryObjects('frank'), /users('frank') and the whole /directoryObjects collection
#[test]
fn a_derived_type_through_a_base_typed_collection() {
    let Some(api) = Api::start() else { return };
    let frank = AnyDirectoryObject::User(Box::new(User {
        id: Some("frank".into()),
        display_name: Some("Frank Foster".into()),
        account_enabled: Some(false),
        usage_location: Some("NO".into()),
        business_phones: Some(vec![]),
        ..Default::default()
    }));
    let body = odata_runtime::serde_json::to_value(&frank).unwrap();
    assert_eq!(body["@odata.type"], "#microsoft.graph.user");
    let created = api.ok(api.with_json(Method::Post, "directoryObjects", &body));
    assert_eq!(created.status, 201);
    let AnyDirectoryObject::User(echoed) = created.entity(V4).unwrap() else {
        panic!(
            "the created object is not read back as a user: {}",
            created.text()
        );
    };
    assert_eq!(echoed.usage_location.as_deref(), Some("NO"));

    let AnyDirectoryObject::User(read) = api.get("directoryObjects('frank')") else {
        panic!("directoryObjects('frank') is not a user");
    };
    assert_eq!(read.extra.odata_type(), Some("#microsoft.graph.user"));
    assert_eq!(read.display_name.as_deref(), Some("Frank Foster"));
    assert_eq!(read.account_enabled, Some(false));
    let as_user: User = api.get(&user("frank"));
    assert_eq!(as_user.usage_location.as_deref(), Some("NO"));

    // The whole base-typed collection, across pages: users and groups, each its own type.
    let all: Vec<AnyDirectoryObject> = api.all("directoryObjects");
    let kinds: Vec<(&str, &str)> = all
        .iter()
        .map(|o| match o {
            AnyDirectoryObject::User(u) => ("user", u.id.as_deref().unwrap()),
            AnyDirectoryObject::Group(g) => ("group", g.id.as_deref().unwrap()),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(kinds.len(), 9);
    assert!(kinds.contains(&("user", "frank")) && kinds.contains(&("group", "g-ops")));
    assert_eq!(kinds.iter().filter(|(k, _)| *k == "user").count(), 6);
}

// POST /users('alice')/microsoft.graph.assignLicense
#[test]
fn bound_action_assign_license() {
    let Some(api) = Api::start() else { return };
    let before: User = api.get(&user("alice"));
    assert_eq!(before.assigned_licenses, Some(vec![license(E5_SKU)]));

    let added = license("11111111-2222-3333-4444-555555555555");
    let body = json!({ "addLicenses": [added], "removeLicenses": [E5_SKU] });
    let path = format!("{}/microsoft.graph.assignLicense", user("alice"));
    let response = api.ok(api.with_json(Method::Post, &path, &body));
    assert_eq!(response.status, 200);
    let returned: User = response.entity(V4).unwrap();
    assert_eq!(returned.id.as_deref(), Some("alice"));
    assert_eq!(returned.assigned_licenses, Some(vec![added.clone()]));
    let after: User = api.get(&user("alice"));
    assert_eq!(after.assigned_licenses, Some(vec![added]));

    // Bound operations need a qualified name: unqualified, the segment is a property.
    let err = api.fails(api.with_json(
        Method::Post,
        &format!("{}/assignLicense", user("alice")),
        &body,
    ));
    assert_eq!(err.status(), Some(404));
}

// POST /users('alice')/microsoft.graph.checkMemberGroups, /me/..., /users('o''neil')/...,
// /directoryObjects('alice')/..., /users('bob')/graph.checkMemberGroups
#[test]
fn bound_action_check_member_groups() {
    let Some(api) = Api::start() else { return };
    let check = |owner: &str, ids: &[&str]| -> Vec<String> {
        let path = format!("{owner}/microsoft.graph.checkMemberGroups");
        api.ok(api.with_json(Method::Post, &path, &json!({ "groupIds": ids })))
            .value(V4)
            .unwrap()
    };
    let asked = ["g-all", "g-ops", "g-eng"];
    assert_eq!(check(&user("alice"), &asked), ["g-all", "g-eng"]);
    assert_eq!(check("me", &asked), ["g-all", "g-eng"]);
    assert_eq!(check(&user("o'neil"), &asked), ["g-eng"]);
    assert!(check(&user("dave"), &asked).is_empty());
    // Bound to directoryObject: callable on an item of the base-typed set.
    assert_eq!(
        check("directoryObjects('alice')", &asked),
        ["g-all", "g-eng"]
    );
    // The alias-qualified name works too.
    let response = api.ok(api.with_json(
        Method::Post,
        "users('bob')/graph.checkMemberGroups",
        &json!({ "groupIds": ["g-all"] }),
    ));
    assert_eq!(response.value::<Vec<String>>(V4).unwrap(), ["g-all"]);
}

// GET /users('alice')/microsoft.graph.reminderView(StartDateTime='...',EndDateTime='...'),
// the same with EndDateTime=null, and with parameter aliases (@s, @e)
#[test]
fn bound_function_with_parameters() {
    let Some(api) = Api::start() else { return };
    let reminders =
        |path: &str| -> Vec<Reminder> { api.ok(api.request(Method::Get, path)).value(V4).unwrap() };
    let params = function_parameters(
        &[
            ("StartDateTime", &"2024-05-06T00:00:00Z"),
            ("EndDateTime", &"2024-05-07T00:00:00Z"),
        ],
        V4,
    );
    assert_eq!(
        params,
        "(StartDateTime='2024-05-06T00:00:00Z',EndDateTime='2024-05-07T00:00:00Z')"
    );
    let day = reminders(&format!(
        "{}/microsoft.graph.reminderView{params}",
        user("alice")
    ));
    assert_eq!(day.len(), 1);
    assert_eq!(day[0].event_id.as_deref(), Some("standup"));
    assert_eq!(day[0].event_subject.as_deref(), Some("Stand-up"));
    assert_eq!(day[0].event_start_time, Some(utc("2024-05-06T09:00:00")));
    // Five minutes before the start.
    assert_eq!(day[0].reminder_fire_time, Some(utc("2024-05-06T08:55:00")));

    // A null parameter: no end.
    let open: Option<&str> = None;
    let params = function_parameters(
        &[
            ("StartDateTime", &"2024-05-01T00:00:00Z"),
            ("EndDateTime", &open),
        ],
        V4,
    );
    assert!(params.ends_with("EndDateTime=null)"), "{params}");
    let all = reminders(&format!("me/microsoft.graph.reminderView{params}"));
    let ids: Vec<_> = all.iter().map(|r| r.event_id.as_deref().unwrap()).collect();
    assert_eq!(ids, ["standup", "review"]);
    assert_eq!(all[1].reminder_fire_time, Some(utc("2024-05-07T13:30:00")));

    // Parameter aliases in the query.
    let path = with_query(
        "me/microsoft.graph.reminderView(StartDateTime=@s,EndDateTime=@e)",
        Query::new().alias("@s", &"2024-05-07T00:00:00Z", V4).alias(
            "@e",
            &"2024-06-01T00:00:00Z",
            V4,
        ),
    );
    let later = reminders(&path);
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].event_subject.as_deref(), Some("Design review"));

    // Someone without events.
    let none = reminders(&format!(
        "{}/microsoft.graph.reminderView(StartDateTime='2024-01-01T00:00:00Z')",
        user("o'neil")
    ));
    assert!(none.is_empty());
}

// GET /me/calendars, /me/calendars('work')/events, POST/PATCH/DELETE
// /me/calendars('home')/events('gym'), GET /me?$expand=calendars($expand=events(...))
#[test]
fn contained_navigation() {
    let Some(api) = Api::start() else { return };
    let calendars: Vec<Calendar> = api.all("me/calendars");
    let names: Vec<_> = calendars
        .iter()
        .map(|c| c.name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["Work", "Home"]);
    assert_eq!(calendars[0].color, Some(CalendarColor::LightBlue));
    assert_eq!(calendars[0].is_default_calendar, Some(true));

    let events: Vec<Event> = api.all("me/calendars('work')/events");
    let subjects: Vec<_> = events
        .iter()
        .map(|e| e.subject.as_deref().unwrap())
        .collect();
    assert_eq!(subjects, ["Stand-up", "Design review"]);
    assert_eq!(events[1].start, Some(utc("2024-05-07T14:00:00")));
    assert_eq!(events[1].reminder_minutes_before_start, Some(30));

    // One item by key, two levels down; `me` and `users('alice')` are the same user.
    let review: Event = api.get("users('alice')/calendars('work')/events('review')");
    assert_eq!(review.subject.as_deref(), Some("Design review"));

    // Create, update and delete a contained event.
    let gym = Event {
        id: Some("gym".into()),
        subject: Some("Gym".into()),
        start: Some(utc("2024-05-06T18:00:00")),
        end: Some(utc("2024-05-06T19:00:00")),
        cancelled_occurrences: Some(vec![]),
        ..Default::default()
    };
    let body = odata_runtime::serde_json::to_value(&gym).unwrap();
    let created = api.ok(api.with_json(Method::Post, "me/calendars('home')/events", &body));
    assert_eq!(created.status, 201);
    assert!(
        created
            .header("Location")
            .unwrap()
            .ends_with("/users('alice')/calendars('home')/events('gym')"),
        "{:?}",
        created.header("Location")
    );
    let patch = json!({ "subject": "Gym (legs)" });
    let r = api.with_json(Method::Patch, "me/calendars('home')/events('gym')", &patch);
    assert_eq!(api.ok(r).status, 204);
    let read: Event = api.get("users('alice')/calendars('home')/events('gym')");
    assert_eq!(read.subject.as_deref(), Some("Gym (legs)"));
    assert_eq!(read.end, gym.end);

    // Nested $expand through the containment.
    let me: User = api.get("me?$select=id&$expand=calendars($expand=events($select=subject))");
    let expanded: Vec<(String, Vec<String>)> = me
        .calendars
        .unwrap()
        .into_iter()
        .map(|c| {
            let subjects = c.events.unwrap().into_iter().map(|e| e.subject.unwrap());
            (c.name.unwrap(), subjects.collect())
        })
        .collect();
    assert_eq!(
        expanded,
        [
            (
                "Work".into(),
                vec!["Stand-up".into(), "Design review".into()]
            ),
            ("Home".into(), vec!["Gym (legs)".into()]),
        ]
    );

    let r = api.request(Method::Delete, "me/calendars('home')/events('gym')");
    assert_eq!(api.ok(r).status, 204);
    let home: Vec<Event> = api.all("me/calendars('home')/events");
    assert!(home.is_empty());
    let err = api.fails(api.request(Method::Get, "me/calendars('nope')/events"));
    assert_eq!(err.status(), Some(404));
}

// GET /users('alice')/photo, its @odata.mediaReadLink, /users('alice')/photo/$value;
// PUT /me/photo/$value
#[test]
fn photo_stream() {
    let Some(api) = Api::start() else { return };
    let photo: ProfilePhoto = api.get(&format!("{}/photo", user("alice")));
    assert_eq!((photo.width, photo.height), (Some(48), Some(48)));
    assert_eq!(
        photo.extra.annotation("@odata.mediaContentType"),
        Some(&json!("image/png"))
    );
    let value_url = api.server.url("users('alice')/photo/$value");
    assert_eq!(
        photo.extra.annotation("@odata.mediaReadLink"),
        Some(&json!(value_url))
    );

    let bytes = api.ok(Request::get(value_url.clone()));
    assert_eq!(bytes.header("Content-Type"), Some("image/png"));
    assert_eq!(bytes.body, PHOTO);

    let upload = Request::put(api.server.url("me/photo/$value"))
        .with_body("image/jpeg", b"\xff\xd8\xff\xe0 new photo".to_vec());
    assert_eq!(api.ok(upload).status, 204);
    let bytes = api.ok(Request::get(value_url));
    assert_eq!(bytes.header("Content-Type"), Some("image/jpeg"));
    assert_eq!(bytes.body, b"\xff\xd8\xff\xe0 new photo");
}

// GET /users('nobody'); POST /users with an unknown property of a closed complex type;
// GET reminderView with a parameter that is not a date
#[test]
fn error_responses_are_typed() {
    let Some(api) = Api::start() else { return };
    let err = api.fails(api.request(Method::Get, &user("nobody")));
    let Some(error) = err.odata() else {
        panic!("not an OData error: {err:?}");
    };
    assert_eq!(err.status(), Some(404));
    assert!(err.is_not_found());
    assert_eq!(error.code, "404");
    assert_eq!(error.message, "Entity not found.");
    assert_eq!(err.to_string(), "HTTP 404: 404: Entity not found.");

    // Strict deserialization: assignedLicense is a closed type.
    let body = json!({
        "id": "mallory",
        "assignedLicenses": [{ "skuId": E5_SKU, "disabledPlans": [], "bogus": 1 }],
    });
    let err = api.fails(api.with_json(Method::Post, "users", &body));
    assert_eq!(err.status(), Some(400));
    let odata = err.odata().expect("an OData error payload");
    assert!(odata.message.contains("bogus"), "{odata:?}");
    let err = api.fails(api.request(Method::Get, &user("mallory")));
    assert_eq!(err.status(), Some(404), "nothing was created");

    // An error raised by the service's own handler, with its own code.
    let err = api.fails(api.request(
        Method::Get,
        "me/microsoft.graph.reminderView(StartDateTime='yesterday')",
    ));
    assert_eq!(err.status(), Some(400));
    let odata = err.odata().unwrap();
    assert_eq!(odata.code, "badRequest");
    assert!(odata.message.contains("yesterday"), "{odata:?}");
}

// Response headers: OData-Version follows OData-MaxVersion
#[test]
fn protocol_version_headers() {
    let Some(api) = Api::start() else { return };
    let with_max = api.ok(api.request(Method::Get, "users('bob')?$select=id"));
    assert_eq!(with_max.header("OData-Version"), Some("4.0"));
    let without = api.ok(Request::get(api.server.url("users('bob')?$select=id")));
    assert_eq!(without.header("OData-Version"), Some("4.01"));
    // The payload is the same V4 JSON either way.
    let a: User = with_max.entity(V4).unwrap();
    let b: User = without.entity(V4).unwrap();
    assert_eq!(a.id, b.id);
    assert!(b.extra.annotation("@odata.context").is_some());
}
