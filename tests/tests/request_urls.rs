//! URL snapshot tests of the request builders of the checked-in generated
//! crates: every construct of the builders is turned into the
//! [`odata_runtime::Request`] it would send (nothing is sent) and rendered as
//! `METHOD URL`, the headers that differ from the defaults every request of
//! the service carries, and the body. One snapshot per construct group, under
//! `tests/snapshots/`; a reviewer reads the exact wire form there.
//!
//! - OData V4: `graph-directory` (Microsoft Graph, root `GraphService`).
//! - OData V3: `azure-ad-graph` (Azure AD Graph, root `DirectoryDataService`):
//!   `api-version` on every request, `$links`, V3 literals, `$inlinecount`,
//!   bindable and non-bindable function imports.
//!
//! Update the snapshots after an intended change with
//! `INSTA_UPDATE=always cargo test -p odata-codegen-tests --test request_urls`
//! and review the diff.

use std::fmt::Write as _;

use azure_ad_graph::microsoft_directory_services as ad;
use graph_directory::microsoft_graph as graph;
use odata_runtime::prelude::*;
use odata_runtime::resource::{Arg, Raw};
use odata_runtime::{DateTime, DateTimeOffset, Error, Guid, Method, Request, Version};

use ad::requests::DirectoryDataService;
use graph::requests::GraphService;

const GRAPH: &str = "https://graph.microsoft.com/v1.0";
const AAD: &str = "https://graph.windows.net/contoso.com";

/// The headers every request of a service of `version` carries; left out of
/// the snapshots except where a test shows them.
fn default_headers(version: Version) -> Vec<(String, String)> {
    let pairs: &[(&str, &str)] = match version {
        Version::V4 => &[
            ("Accept", "application/json"),
            ("OData-MaxVersion", "4.0"),
            ("OData-Version", "4.0"),
        ],
        Version::V3 => &[
            ("Accept", "application/json"),
            ("MaxDataServiceVersion", "3.0"),
            ("DataServiceVersion", "3.0"),
        ],
        Version::V2 => &[
            ("Accept", "application/json"),
            ("MaxDataServiceVersion", "2.0"),
            ("DataServiceVersion", "2.0"),
        ],
    };
    pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

/// A set of labelled requests rendered as text for one snapshot.
struct Wire {
    version: Version,
    all_headers: bool,
    out: String,
}

impl Wire {
    fn new(version: Version) -> Self {
        Wire {
            version,
            all_headers: false,
            out: String::new(),
        }
    }

    /// Renders every header, the defaults included.
    fn all_headers(mut self) -> Self {
        self.all_headers = true;
        self
    }

    /// Adds a request under a label (what the test wrote, in words).
    fn add(&mut self, label: &str, request: Result<Request, Error>) -> &mut Self {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        writeln!(self.out, "# {label}").unwrap();
        let r = match request {
            Ok(r) => r,
            Err(e) => {
                writeln!(self.out, "error: {e}").unwrap();
                return self;
            }
        };
        writeln!(self.out, "{} {}", r.method.as_str(), r.url).unwrap();
        let defaults = default_headers(self.version);
        for (n, v) in &r.headers {
            if self.all_headers || !defaults.iter().any(|(dn, dv)| dn == n && dv == v) {
                writeln!(self.out, "{n}: {v}").unwrap();
            }
        }
        if !self.all_headers {
            // A default header the request no longer carries is worth showing too.
            for (n, _) in &defaults {
                if r.header(n).is_none() {
                    writeln!(self.out, "(no {n})").unwrap();
                }
            }
        }
        if let Some(body) = &r.body {
            let json = r
                .header("Content-Type")
                .is_some_and(|t| t.starts_with("application/json"));
            match serde_json::from_slice::<serde_json::Value>(body) {
                Ok(v) if json => {
                    writeln!(self.out).unwrap();
                    writeln!(self.out, "{}", serde_json::to_string_pretty(&v).unwrap()).unwrap();
                }
                _ => {
                    writeln!(self.out).unwrap();
                    let hex: Vec<String> = body.iter().map(|b| format!("{b:02x}")).collect();
                    writeln!(self.out, "<{} bytes: {}>", body.len(), hex.join(" ")).unwrap();
                }
            }
        }
        self
    }

    fn text(&self) -> &str {
        &self.out
    }
}

fn graph() -> GraphService {
    GraphService::new(GRAPH)
}

fn aad() -> DirectoryDataService {
    DirectoryDataService::new(AAD).with_param("api-version", "1.6")
}

fn guid(s: &str) -> Guid {
    s.parse().unwrap()
}

// ---------------------------------------------------------------------------
// OData V4: Microsoft Graph (graph-directory)
// ---------------------------------------------------------------------------

#[test]
fn v4_entity_sets_keys_singletons() {
    let g = graph();
    let mut w = Wire::new(Version::V4);
    w.add("users().list()", g.users().list().to_request())
        .add(
            "directory_objects().list()",
            g.directory_objects().list().to_request(),
        )
        .add(
            "users().by_key(\"48d31887-5fad-4d73-a9f5-3c356e68a038\").get()",
            g.users()
                .by_key("48d31887-5fad-4d73-a9f5-3c356e68a038")
                .get()
                .to_request(),
        )
        .add(
            "users().by_key(\"O'Neil Zoë/x y#1?\").get(): quote doubled, UTF-8, space, / # ? percent-encoded",
            g.users().by_key("O'Neil Zoë/x y#1?").get().to_request(),
        )
        .add(
            "users().by_key(\"alexd@contoso.com\").get(): @ kept",
            g.users().by_key("alexd@contoso.com").get().to_request(),
        )
        .add(
            "users().by_key(\"a+b%c&d\").get(): + and % encoded, & kept",
            g.users().by_key("a+b%c&d").get().to_request(),
        )
        .add("me().get()", g.me().get().to_request())
        .add(
            "groups().by_key(\"g1\").get()",
            g.groups().by_key("g1").get().to_request(),
        );
    insta::assert_snapshot!("v4_entity_sets_keys_singletons", w.text());
}

#[test]
fn v4_navigation() {
    let g = graph();
    let mut w = Wire::new(Version::V4);
    w.add(
        "users().by_key(\"id\").manager().get(): single-valued",
        g.users().by_key("id").manager().get().to_request(),
    )
    .add(
        "users().by_key(\"id\").member_of().list(): collection-valued",
        g.users().by_key("id").member_of().list().to_request(),
    )
    .add(
        "me().manager().get()",
        g.me().manager().get().to_request(),
    )
    .add(
        "me().calendars().by_key(\"x\").events().list()",
        g.me().calendars().by_key("x").events().list().to_request(),
    )
    .add(
        "me().calendars().by_key(\"x\").events().by_key(\"y\").attachments().list()",
        g.me()
            .calendars()
            .by_key("x")
            .events()
            .by_key("y")
            .attachments()
            .list()
            .to_request(),
    )
    .add(
        "users().by_key(\"id\").calendar().events().by_key(\"e\").instances().by_key(\"i\").get(): deeper",
        g.users()
            .by_key("id")
            .calendar()
            .events()
            .by_key("e")
            .instances()
            .by_key("i")
            .get()
            .to_request(),
    )
    .add(
        "groups().by_key(\"g\").members().by_key(\"m\").get()",
        g.groups().by_key("g").members().by_key("m").get().to_request(),
    );
    insta::assert_snapshot!("v4_navigation", w.text());
}

#[test]
fn v4_type_casts() {
    use graph::requests::{FileAttachmentItem, GroupCollection, UserCollection, UserItem};
    let g = graph();
    let mut w = Wire::new(Version::V4);
    w.add(
        "directory_objects().by_key(\"id\").cast::<UserItem>().get()",
        g.directory_objects()
            .by_key("id")
            .cast::<UserItem>()
            .get()
            .to_request(),
    )
    .add(
        "directory_objects().cast::<UserCollection>().list()",
        g.directory_objects()
            .cast::<UserCollection>()
            .list()
            .to_request(),
    )
    .add(
        "users().by_key(\"id\").member_of().cast::<GroupCollection>().list()",
        g.users()
            .by_key("id")
            .member_of()
            .cast::<GroupCollection>()
            .list()
            .to_request(),
    )
    .add(
        "directory_objects().cast::<UserCollection>().by_key(\"id\").manager().get(): key after the cast",
        g.directory_objects()
            .cast::<UserCollection>()
            .by_key("id")
            .manager()
            .get()
            .to_request(),
    )
    .add(
        "users().by_key(\"id\").manager().cast::<UserItem>().get()",
        g.users()
            .by_key("id")
            .manager()
            .cast::<UserItem>()
            .get()
            .to_request(),
    )
    .add(
        "me().messages().by_key(\"m\").attachments().by_key(\"a\").cast::<FileAttachmentItem>().value().get()",
        g.me()
            .messages()
            .by_key("m")
            .attachments()
            .by_key("a")
            .cast::<FileAttachmentItem>()
            .value()
            .get()
            .to_request(),
    );
    insta::assert_snapshot!("v4_type_casts", w.text());
}

#[test]
fn v4_entity_crud() {
    let g = graph();
    let user = g.users().by_key("id");
    let mut patch = graph::User {
        job_title: Some("Engineer".into()),
        business_phones: Some(vec!["+1 425 555 0100".into()]),
        ..Default::default()
    };
    patch.set_null(graph::User::OFFICE_LOCATION);
    let replacement = graph::User {
        id: Some("id".into()),
        display_name: Some("Adele Vance".into()),
        account_enabled: Some(true),
        ..Default::default()
    };
    let new_user = graph::User {
        display_name: Some("Zoë O'Neil".into()),
        user_principal_name: Some("zoe@contoso.com".into()),
        account_enabled: Some(true),
        ..Default::default()
    };
    let new_group = graph::Group {
        display_name: Some("Team".into()),
        mail_enabled: Some(false),
        security_enabled: Some(true),
        ..Default::default()
    };
    let etag = "W/\"CQAAABYAAAB1\"";
    let mut w = Wire::new(Version::V4);
    w.add("users().by_key(\"id\").get()", user.get().to_request())
        .add(
            "users().by_key(\"id\").get().if_none_match(etag)",
            user.get().if_none_match(etag).to_request(),
        )
        .add(
            "users().by_key(\"id\").update(&patch): only set fields, officeLocation explicit null",
            user.update(&patch).to_request(),
        )
        .add(
            "users().by_key(\"id\").update(&patch).if_match(etag)",
            user.update(&patch).if_match(etag).to_request(),
        )
        .add(
            "users().by_key(\"id\").replace(&user).if_match(etag)",
            user.replace(&replacement).if_match(etag).to_request(),
        )
        .add(
            "users().by_key(\"id\").delete().if_match(etag)",
            user.delete().if_match(etag).to_request(),
        )
        .add("me().delete()", g.me().delete().to_request())
        .add(
            "users().create(&user): declared type, no type tag",
            g.users().create(&new_user).to_request(),
        )
        .add(
            "directory_objects().create(&user): derived value in a base-typed collection carries @odata.type",
            g.directory_objects().create(&new_user).to_request(),
        )
        .add(
            "directory_objects().create(&group)",
            g.directory_objects().create(&new_group).to_request(),
        )
        .add(
            "users().by_key(\"id\").member_of().create(&group)",
            user.member_of().create(&new_group).to_request(),
        );
    insta::assert_snapshot!("v4_entity_crud", w.text());
}

#[test]
fn v4_count_references_media() {
    use graph::requests::GroupCollection;
    let g = graph();
    let user = g.users().by_key("id");
    let target = g.users().by_key("m'1");
    let group = g.groups().by_key("g1");
    let mut w = Wire::new(Version::V4);
    w.add("users().count()", g.users().count().to_request())
        .add(
            "users().by_key(\"id\").member_of().count()",
            user.member_of().count().to_request(),
        )
        .add(
            "users().by_key(\"id\").member_of().cast::<GroupCollection>().count()",
            user.member_of()
                .cast::<GroupCollection>()
                .count()
                .to_request(),
        )
        .add(
            "users().by_key(\"id\").manager().reference().get()",
            user.manager().reference().get().to_request(),
        )
        .add(
            "users().by_key(\"id\").manager().reference().set(&users().by_key(\"m'1\"))",
            user.manager().reference().set(&target).to_request(),
        )
        .add(
            "users().by_key(\"id\").manager().reference().delete()",
            user.manager().reference().delete().to_request(),
        )
        .add(
            "users().by_key(\"id\").member_of().references().list()",
            user.member_of().references().list().to_request(),
        )
        .add(
            "groups().by_key(\"g1\").members().references().add(&users().by_key(\"m'1\"))",
            group.members().references().add(&target).to_request(),
        )
        .add(
            "groups().by_key(\"g1\").members().references().remove(&users().by_key(\"m'1\"))",
            group.members().references().remove(&target).to_request(),
        )
        .add(
            "me().photo().value().get()",
            g.me().photo().value().get().to_request(),
        )
        .add(
            "users().by_key(\"id\").photo().value().put(\"image/jpeg\", bytes)",
            user.photo()
                .value()
                .put("image/jpeg", vec![0xff, 0xd8, 0xff, 0xe0])
                .to_request(),
        )
        .add(
            "me().photos().by_key(\"48x48\").value().get()",
            g.me().photos().by_key("48x48").value().get().to_request(),
        )
        .add(
            "applications().by_key(\"a\").logo().get(): stream property",
            g.applications().by_key("a").logo().get().to_request(),
        );
    insta::assert_snapshot!("v4_count_references_media", w.text());
}

#[test]
fn v4_bound_operations() {
    let g = graph();
    let user = g.users().by_key("id");
    let sku = guid("6fd2c87f-b296-42f0-b197-1e91e994b900");
    let plan = guid("efb87545-963c-4e0d-99df-69c6916d9eb0");
    let old_sku = guid("c7df2760-2c81-4ef7-b578-5b5392b571df");
    let start: DateTimeOffset = "2026-08-03T08:00:00Z".parse().unwrap();
    let end: DateTimeOffset = "2026-08-03T17:30:00+02:00".parse().unwrap();
    let mut w = Wire::new(Version::V4);
    w.add(
        "users().by_key(\"id\").assign_license(add, remove)",
        user.assign_license(
            vec![graph::AssignedLicense {
                disabled_plans: Some(vec![plan]),
                sku_id: Some(sku),
                ..Default::default()
            }],
            vec![old_sku],
        )
        .to_request(),
    )
    .add(
        "me().check_member_groups(ids): inherited from directoryObject",
        g.me()
            .check_member_groups(vec!["g1".into(), "g2".into()])
            .to_request(),
    )
    .add(
        "directory_objects().by_key(\"id\").check_member_groups(ids)",
        g.directory_objects()
            .by_key("id")
            .check_member_groups(vec!["g1".into()])
            .to_request(),
    )
    .add(
        "users().by_key(\"id\").get_member_groups(Some(true))",
        user.get_member_groups(Some(true)).to_request(),
    )
    .add(
        "users().by_key(\"id\").get_member_objects(None): explicit null argument",
        user.get_member_objects(None).to_request(),
    )
    .add(
        "users().by_key(\"id\").revoke_sign_in_sessions(): no parameters, empty object body",
        user.revoke_sign_in_sessions().to_request(),
    )
    .add(
        "users().get_by_ids(ids, Some(types)): collection-bound action",
        g.users()
            .get_by_ids(vec!["a".into(), "b".into()], Some(vec!["user".into()]))
            .to_request(),
    )
    .add(
        "me().reminder_view(start, Some(end)): function parameters inline (Edm.String in this schema)",
        g.me()
            .reminder_view(&start.to_string(), Some(&end.to_string()))
            .to_request(),
    )
    .add(
        "users().by_key(\"id\").reminder_view(\"O'Neil\", None): quote doubled, null",
        user.reminder_view("O'Neil", None).to_request(),
    )
    .add(
        "me().export_device_and_app_management_data_2(10, 5): Int32 parameters (overload)",
        g.me()
            .export_device_and_app_management_data_2(10, 5)
            .to_request(),
    )
    .add(
        "me().export_device_and_app_management_data(): no parameters, ()",
        g.me().export_device_and_app_management_data().to_request(),
    )
    .add(
        "users().delta(): collection-bound function",
        g.users().delta().to_request(),
    )
    .add(
        "me().calendars().by_key(\"x\").events().delta()",
        g.me().calendars().by_key("x").events().delta().to_request(),
    )
    .add(
        "me().events().by_key(\"e\").accept(send_response, comment)",
        g.me()
            .events()
            .by_key("e")
            .accept(Some(true), Some("See you"))
            .to_request(),
    );
    insta::assert_snapshot!("v4_bound_operations", w.text());
}

/// Typed `$filter`, `$orderby` and `$expand` (`odata_runtime::filter`): literals checked
/// against the property types, string functions, enums, dates, nested properties of complex
/// types, lambdas over collections and navigation properties, `in`, and only the parentheses
/// the operator precedence needs.
#[test]
fn v4_typed_filters() {
    use graph::{
        Attendee, Calendar, DateTimeTimeZone, DirectoryObject, EmailAddress, EmployeeOrgData,
        Event, Importance, User,
    };
    let g = graph();
    let since: DateTimeOffset = "2026-01-01T00:00:00Z".parse().unwrap();
    let mut w = Wire::new(Version::V4);
    w.add(
        "users: MAIL.tolower().endswith(\"@contoso.com\").and(DISPLAY_NAME.contains(\"Zoë\"))",
        g.users()
            .list()
            .filter(
                User::MAIL
                    .tolower()
                    .endswith("@contoso.com")
                    .and(User::DISPLAY_NAME.contains("Zoë")),
            )
            .to_request(),
    )
    .add(
        "users: ACCOUNT_ENABLED.eq(true).and(CITY.eq(\"Oslo\").or(CITY.is_null())).not()",
        g.users()
            .list()
            .filter(
                User::ACCOUNT_ENABLED
                    .eq(true)
                    .and(User::CITY.eq("Oslo").or(User::CITY.is_null()))
                    .not(),
            )
            .to_request(),
    )
    .add(
        "users: DISPLAY_NAME.is_in([\"Ann\", \"O'Neil\"])",
        g.users()
            .list()
            .filter(User::DISPLAY_NAME.is_in(["Ann", "O'Neil"]))
            .to_request(),
    )
    .add(
        "users: a base type's property (DirectoryObject::DELETED_DATE_TIME.is_null()) and text",
        g.users()
            .list()
            .filter(
                User::GIVEN_NAME
                    .ne("x")
                    .and(DirectoryObject::DELETED_DATE_TIME.is_null())
                    .or("startswith(surname,'Z')"),
            )
            .to_request(),
    )
    .add(
        "users: EMPLOYEE_ORG_DATA.then(DIVISION).eq(\"R&D\"), orderby nested and tolower",
        g.users()
            .list()
            .filter(User::EMPLOYEE_ORG_DATA.then(EmployeeOrgData::DIVISION).eq("R&D"))
            .orderby(User::EMPLOYEE_ORG_DATA.then(EmployeeOrgData::COST_CENTER))
            .orderby_desc(User::DISPLAY_NAME.tolower())
            .to_request(),
    )
    .add(
        "users: lambdas over a string collection and a navigation property",
        g.users()
            .list()
            .filter(
                User::PROXY_ADDRESSES
                    .any(|a| a.startswith("smtp:"))
                    .and(User::MEMBER_OF.any(|m| m.then(DirectoryObject::ID).eq("g1")))
                    .and(User::BUSINESS_PHONES.all(|p| p.length().gt(3)))
                    .and(User::OWNED_DEVICES.is_not_empty()),
            )
            .to_request(),
    )
    .add(
        "me/events: IMPORTANCE.eq(High), CREATED_DATE_TIME.ge(since), START.then(DATE_TIME), ATTENDEES.any(…EMAIL_ADDRESS.then(ADDRESS)…)",
        g.me()
            .events()
            .list()
            .filter(
                Event::IMPORTANCE
                    .eq(Importance::High)
                    .and(Event::CREATED_DATE_TIME.ge(since))
                    .and(Event::START.then(DateTimeTimeZone::DATE_TIME).lt("2026-02-01"))
                    .and(Event::ATTENDEES.any(|a| {
                        a.then(Attendee::EMAIL_ADDRESS)
                            .then(EmailAddress::ADDRESS)
                            .eq("ann@contoso.com")
                    })),
            )
            .to_request(),
    )
    .add(
        "users: expand_with(MANAGER, select) and expand_with(MEMBER_OF, filter, orderby, top, count)",
        g.users()
            .list()
            .expand_with(User::MANAGER, |e| {
                e.select(DirectoryObject::ID)
            })
            .expand_with(User::MEMBER_OF, |e| {
                e.filter(DirectoryObject::DELETED_DATE_TIME.is_null())
                    .orderby(DirectoryObject::ID)
                    .top(5)
                    .with_count()
            })
            .to_request(),
    )
    .add(
        "users('a').get(): expand_with(CALENDARS, select and a nested expand_with(EVENTS, …))",
        g.users()
            .by_key("a")
            .get()
            .expand_with(User::CALENDARS, |c| {
                c.select(Calendar::NAME).expand_with(Calendar::EVENTS, |e| {
                    e.select(Event::SUBJECT)
                        .orderby_desc(Event::START.then(DateTimeTimeZone::DATE_TIME))
                        .top(3)
                })
            })
            .to_request(),
    );
    insta::assert_snapshot!("v4_typed_filters", w.text());
}

#[test]
fn v4_query_options() {
    use graph::{DirectoryObject, EmployeeOrgData, Event, User};
    let g = graph();
    let since: DateTimeOffset = "2026-01-01T00:00:00Z".parse().unwrap();
    let mut w = Wire::new(Version::V4);
    w.add(
        "users().list().select((Id, DisplayName, Mail))",
        g.users()
            .list()
            .select((User::ID, User::DISPLAY_NAME, User::MAIL))
            .to_request(),
    )
    .add(
        "users().list().expand((Manager, MemberOf))",
        g.users()
            .list()
            .expand((User::MANAGER, User::MEMBER_OF))
            .to_request(),
    )
    .add(
        "users().by_key(\"id\").get().select(DisplayName).expand(Manager)",
        g.users()
            .by_key("id")
            .get()
            .select(User::DISPLAY_NAME)
            .expand(User::MANAGER)
            .to_request(),
    )
    .add(
        "users().list().select((DirectoryObject::ID, User::MAIL)): a base type's property",
        g.users()
            .list()
            .select((DirectoryObject::ID, User::MAIL))
            .to_request(),
    )
    .add(
        "users().list().select(EMPLOYEE_ORG_DATA.then(DIVISION)): a nested path is not a property",
        g.users()
            .list()
            .select(User::EMPLOYEE_ORG_DATA.then(EmployeeOrgData::DIVISION))
            .to_request(),
    )
    .add(
        "users().list().select(MAIL.tolower()): an expression is not a property",
        g.users().list().select(User::MAIL.tolower()).to_request(),
    )
    .add(
        "users().list().filter(User::DISPLAY_NAME.eq(\"O'Neil & Zoë\"))",
        g.users()
            .list()
            .filter(User::DISPLAY_NAME.eq("O'Neil & Zoë"))
            .to_request(),
    )
    .add(
        "users().list().filter(GIVEN_NAME.startswith(\"A\").and(ACCOUNT_ENABLED.eq(true)).or(CREATED_DATE_TIME.ge(since)))",
        g.users()
            .list()
            .filter(
                User::GIVEN_NAME
                    .startswith("A")
                    .and(User::ACCOUNT_ENABLED.eq(true))
                    .or(User::CREATED_DATE_TIME.ge(since)),
            )
            .to_request(),
    )
    .add(
        "users().list().filter(MAIL.is_null().not())",
        g.users()
            .list()
            .filter(User::MAIL.is_null().not())
            .to_request(),
    )
    .add(
        "users().list().filter(\"endswith(mail,'@contoso.com')\") as text",
        g.users()
            .list()
            .filter("endswith(mail,'@contoso.com')")
            .to_request(),
    )
    .add(
        "users().list().orderby(DisplayName).orderby_desc(CreatedDateTime)",
        g.users()
            .list()
            .orderby(User::DISPLAY_NAME)
            .orderby_desc(User::CREATED_DATE_TIME)
            .to_request(),
    )
    .add(
        "users().list().top(5).skip(10).with_count()",
        g.users().list().top(5).skip(10).with_count().to_request(),
    )
    .add(
        "users().list().search(\"\\\"displayName:Zoë\\\"\") with ConsistencyLevel header",
        g.users()
            .list()
            .search("\"displayName:Zoë\"")
            .header("ConsistencyLevel", "eventual")
            .to_request(),
    )
    .add(
        "users().list().max_page_size(50)",
        g.users().list().max_page_size(50).to_request(),
    )
    .add(
        "users().list().map(|q| q.param(\"$format\", \"json\").param(\"custom\", \"a&b=c\")): extra params",
        g.users()
            .list()
            .map(|q| q.param("$format", "json").param("custom", "a&b=c"))
            .to_request(),
    )
    .add(
        "users().list() with every option, added in reverse order (rendered in a fixed order)",
        g.users()
            .list()
            .map(|q| q.param("x", "1"))
            .max_page_size(10)
            .with_count()
            .skip(2)
            .top(3)
            .orderby(User::DISPLAY_NAME)
            .search("pizza")
            .filter(User::DISPLAY_NAME.startswith("a"))
            .expand(User::MANAGER)
            .select((User::ID, User::DISPLAY_NAME))
            .to_request(),
    )
    .add(
        "me().events().list().select(Subject).orderby_desc(CreatedDateTime).top(1)",
        g.me()
            .events()
            .list()
            .select(Event::SUBJECT)
            .orderby_desc(Event::CREATED_DATE_TIME)
            .top(1)
            .to_request(),
    )
    .add(
        "users().by_key(\"id\").member_of().list().with_count().top(0)",
        g.users()
            .by_key("id")
            .member_of()
            .list()
            .with_count()
            .top(0)
            .to_request(),
    )
    .add(
        "users().delta().param(\"$deltatoken\", \"abc\"): query on an operation call",
        g.users().delta().param("$deltatoken", "abc").to_request(),
    );
    insta::assert_snapshot!("v4_query_options", w.text());
}

#[test]
fn v4_service_wide_params_and_headers() {
    use graph::User;
    let g = GraphService::new("https://graph.microsoft.com/v1.0/")
        .with_param("tenant", "contoso")
        .with_header("Authorization", "Bearer t0ken")
        .with_header("authorization", "Bearer replaced")
        .with_param("tenant", "fabrikam");
    let target = g.users().by_key("m");
    let mut w = Wire::new(Version::V4).all_headers();
    w.add(
        "service root path",
        g.path().call::<Raw>(Method::Get).to_request(),
    )
        .add(
            "users().list().select(Id): service params after the options",
            g.users().list().select(User::ID).to_request(),
        )
        .add(
            "users().by_key(\"id\").update(&patch)",
            g.users()
                .by_key("id")
                .update(&graph::User {
                    city: Some("Oslo".into()),
                    ..Default::default()
                })
                .to_request(),
        )
        .add(
            "users().count(): Accept replaced",
            g.users().count().to_request(),
        )
        .add(
            "groups().by_key(\"g\").members().references().remove(&target): $id without the service params",
            g.groups()
                .by_key("g")
                .members()
                .references()
                .remove(&target)
                .to_request(),
        )
        .add(
            "me().reminder_view(..).header(\"Prefer\", ..): per-call header",
            g.me()
                .reminder_view("a", Some("b"))
                .header("Prefer", "outlook.timezone=\"UTC\"")
                .to_request(),
        );
    insta::assert_snapshot!("v4_service_wide_params_and_headers", w.text());
}

// ---------------------------------------------------------------------------
// OData V3: Azure AD Graph (azure-ad-graph)
// ---------------------------------------------------------------------------

#[test]
fn v3_entity_sets_keys_navigation_casts() {
    use ad::requests::{GroupCollection, UserCollection, UserItem};
    let s = aad();
    let mut w = Wire::new(Version::V3);
    w.add("users().list()", s.users().list().to_request())
        .add(
            "users().by_key(\"alexd@contoso.com\").get()",
            s.users().by_key("alexd@contoso.com").get().to_request(),
        )
        .add(
            "users().by_key(\"O'Neil Zoë\").get()",
            s.users().by_key("O'Neil Zoë").get().to_request(),
        )
        .add(
            "users().by_key(\"id\").manager().get()",
            s.users().by_key("id").manager().get().to_request(),
        )
        .add(
            "users().by_key(\"id\").member_of().list()",
            s.users().by_key("id").member_of().list().to_request(),
        )
        .add(
            "directory_objects().by_key(\"id\").cast::<UserItem>().get()",
            s.directory_objects()
                .by_key("id")
                .cast::<UserItem>()
                .get()
                .to_request(),
        )
        .add(
            "directory_objects().cast::<UserCollection>().list()",
            s.directory_objects()
                .cast::<UserCollection>()
                .list()
                .to_request(),
        )
        .add(
            "groups().by_key(\"g\").members().cast::<GroupCollection>().list()",
            s.groups()
                .by_key("g")
                .members()
                .cast::<GroupCollection>()
                .list()
                .to_request(),
        )
        .add("users().count()", s.users().count().to_request())
        .add(
            "users().by_key(\"id\").thumbnail_photo().get(): stream property",
            s.users().by_key("id").thumbnail_photo().get().to_request(),
        )
        .add(
            "users().by_key(\"id\").thumbnail_photo().put(\"image/png\", bytes)",
            s.users()
                .by_key("id")
                .thumbnail_photo()
                .put("image/png", vec![0x89, b'P', b'N', b'G'])
                .to_request(),
        );
    insta::assert_snapshot!("v3_entity_sets_keys_navigation_casts", w.text());
}

#[test]
fn v3_entity_crud() {
    let s = aad();
    let user = s.users().by_key("id");
    let mut patch = ad::User {
        job_title: Some("Engineer".into()),
        ..Default::default()
    };
    patch.set_null(ad::User::DEPARTMENT);
    let new_user = ad::User {
        display_name: Some("Zoë".into()),
        account_enabled: Some(true),
        ..Default::default()
    };
    let mut w = Wire::new(Version::V3);
    w.add("users().by_key(\"id\").get()", user.get().to_request())
        .add(
            "users().by_key(\"id\").update(&patch).if_match(etag): PATCH, explicit null",
            user.update(&patch).if_match("W/\"1\"").to_request(),
        )
        .add(
            "users().by_key(\"id\").replace(&user)",
            user.replace(&new_user).to_request(),
        )
        .add(
            "users().by_key(\"id\").delete().if_match(\"*\")",
            user.delete().if_match("*").to_request(),
        )
        .add(
            "users().create(&user)",
            s.users().create(&new_user).to_request(),
        )
        .add(
            "directory_objects().create(&user): derived value carries odata.type",
            s.directory_objects().create(&new_user).to_request(),
        );
    insta::assert_snapshot!("v3_entity_crud", w.text());
}

#[test]
fn v3_links() {
    let s = aad();
    let user = s.users().by_key("id");
    let target = s.users().by_key("m'1");
    let group = s.groups().by_key("g1");
    let mut w = Wire::new(Version::V3);
    w.add(
        "users().by_key(\"id\").manager().reference().get()",
        user.manager().reference().get().to_request(),
    )
    .add(
        "users().by_key(\"id\").manager().reference().set(&users().by_key(\"m'1\"))",
        user.manager().reference().set(&target).to_request(),
    )
    .add(
        "users().by_key(\"id\").manager().reference().delete()",
        user.manager().reference().delete().to_request(),
    )
    .add(
        "users().by_key(\"id\").member_of().references().list()",
        user.member_of().references().list().to_request(),
    )
    .add(
        "users().by_key(\"id\").direct_reports().references().list()",
        user.direct_reports().references().list().to_request(),
    )
    .add(
        "groups().by_key(\"g1\").members().references().add(&users().by_key(\"m'1\"))",
        group.members().references().add(&target).to_request(),
    )
    .add(
        "groups().by_key(\"g1\").members().references().remove(&users().by_key(\"m'1\"))",
        group.members().references().remove(&target).to_request(),
    )
    .add(
        "groups().by_key(\"g1\").members().references().remove(&users().by_key(\"a(b)\")): parentheses in the key",
        group
            .members()
            .references()
            .remove(&s.users().by_key("a(b)"))
            .to_request(),
    )
    .add(
        "groups().by_key(\"g1\").members().references().remove(&users().by_key(\"id\").manager()): no key, an error",
        group
            .members()
            .references()
            .remove(&user.manager())
            .to_request(),
    )
    .add(
        "groups().by_key(\"g1\").members().references().remove(&directory_objects().by_key(\"x\").cast::<UserItem>()): key before the cast",
        group
            .members()
            .references()
            .remove(
                &s.directory_objects()
                    .by_key("x")
                    .cast::<ad::requests::UserItem>(),
            )
            .to_request(),
    );
    insta::assert_snapshot!("v3_links", w.text());
}

#[test]
fn v3_function_imports() {
    let s = aad();
    let mut w = Wire::new(Version::V3);
    w.add(
        "users().by_key(\"id\").check_member_groups(ids): bindable import, unqualified",
        s.users()
            .by_key("id")
            .check_member_groups(vec!["g1".into(), "g2".into()])
            .to_request(),
    )
    .add(
        "groups().by_key(\"g\").get_member_groups(Some(false))",
        s.groups()
            .by_key("g")
            .get_member_groups(Some(false))
            .to_request(),
    )
    .add(
        "directory_objects().by_key(\"id\").get_member_objects(None)",
        s.directory_objects()
            .by_key("id")
            .get_member_objects(None)
            .to_request(),
    )
    .add(
        "users().by_key(\"id\").assign_license(add, remove)",
        s.users()
            .by_key("id")
            .assign_license(
                vec![ad::AssignedLicense {
                    sku_id: Some(guid("6fd2c87f-b296-42f0-b197-1e91e994b900")),
                    disabled_plans: Some(vec![]),
                    ..Default::default()
                }],
                vec![],
            )
            .to_request(),
    )
    .add(
        "me(host).change_password(old, new): only through `me`",
        DirectoryDataService::me("https://graph.windows.net")
            .change_password(Some("old"), Some("n3w"))
            .to_request(),
    )
    .add(
        "me(host).get(): the alias builder reads like an item builder",
        DirectoryDataService::me("https://graph.windows.net")
            .get()
            .to_request(),
    )
    .add(
        "me(host).manager().get(): and dereferences to one",
        DirectoryDataService::me("https://graph.windows.net")
            .manager()
            .get()
            .to_request(),
    )
    .add(
        "users().by_key(\"id\").invalidate_all_refresh_tokens()",
        s.users()
            .by_key("id")
            .invalidate_all_refresh_tokens()
            .to_request(),
    )
    .add(
        "is_member_of(group, member): non-bindable import on the root",
        s.is_member_of(Some("g"), Some("m")).to_request(),
    );
    // The schema has no Guid, Int64 or DateTime key and no GET function import: the V3
    // literal forms in keys and function parameters through the runtime's `Path` on this service.
    let id = guid("84fba1e8-b942-47c9-a10e-a4bee353ce60");
    let at: DateTime = "2026-08-03T10:11:12Z".parse().unwrap();
    w.add(
        "path().segment(\"devices\").key(guid): guid'…' key",
        s.path()
            .segment("devices")
            .key(&[("deviceId", &id)])
            .call::<Raw>(Method::Get)
            .to_request(),
    )
    .add(
        "path().segment(\"items\").key(a: i64, b: DateTime): composite key, 42L and datetime'…'",
        s.path()
            .segment("items")
            .key(&[("a", &42i64), ("b", &at)])
            .call::<Raw>(Method::Get)
            .to_request(),
    )
    .add(
        "path().function(\"getThings\", id: Guid, n: i64, name: &str): V3 parameters in the query string",
        s.path()
            .function(
                "getThings",
                &[
                    ("id", Arg::Literal(&id)),
                    ("n", Arg::Literal(&7i64)),
                    ("name", Arg::Literal(&"O'Neil Zoë")),
                ],
            )
            .call::<Raw>(Method::Get)
            .to_request(),
    );
    insta::assert_snapshot!("v3_function_imports", w.text());
}

#[test]
fn v3_query_options() {
    use ad::{DirectoryObject, ServicePrincipal, User};
    let s = aad();
    let since: DateTime = "2026-01-01T00:00:00Z".parse().unwrap();
    let mut w = Wire::new(Version::V3);
    w.add(
        "users().list().select((ObjectId, DisplayName)).expand(Manager)",
        s.users()
            .list()
            .select((User::OBJECT_ID, User::DISPLAY_NAME))
            .expand(User::MANAGER)
            .to_request(),
    )
    .add(
        "users().list().filter(startswith(DisplayName, \"A\")).top(5).with_count(): $inlinecount",
        s.users()
            .list()
            .filter(ad::User::DISPLAY_NAME.startswith("A"))
            .top(5)
            .with_count()
            .to_request(),
    )
    .add(
        "devices().list().filter(DEVICE_ID.eq(guid)): V3 guid literal",
        s.devices()
            .list()
            .filter(ad::Device::DEVICE_ID.eq(guid("84fba1e8-b942-47c9-a10e-a4bee353ce60")))
            .to_request(),
    )
    .add(
        "users().list().filter(ge(RefreshTokensValidFromDateTime, datetime).and(eq(Mail, \"O'Neil\"))): V3 datetime literal",
        s.users()
            .list()
            .filter(
                ad::User::REFRESH_TOKENS_VALID_FROM_DATE_TIME
                    .ge(since)
                    .and(ad::User::MAIL.eq("O'Neil")),
            )
            .to_request(),
    )
    .add(
        "service_principals().list().filter(eq(AppId, \"x\").or(ne(AccountEnabled, false))).orderby(DisplayName)",
        s.service_principals()
            .list()
            .filter(
                ad::ServicePrincipal::APP_ID
                    .eq("x")
                    .or(ad::ServicePrincipal::ACCOUNT_ENABLED.ne(false)),
            )
            .orderby(ServicePrincipal::DISPLAY_NAME)
            .to_request(),
    )
    .add(
        "devices().list().filter(DEVICE_OBJECT_VERSION.is_in([1, 2]).and(DISPLAY_NAME.contains(\"O'N\"))): V3 has no `in` and no `contains`",
        s.devices()
            .list()
            .filter(
                ad::Device::DEVICE_OBJECT_VERSION
                    .is_in([1, 2])
                    .and(ad::Device::DISPLAY_NAME.contains("O'N")),
            )
            .to_request(),
    )
    .add(
        "users().list().filter(OTHER_MAILS.any(|m| m.endswith(\"@x.com\")).or(PASSWORD_PROFILE.then(FORCE_CHANGE_PASSWORD_NEXT_LOGIN).eq(true)))",
        s.users()
            .list()
            .filter(
                ad::User::OTHER_MAILS.any(|m| m.endswith("@x.com")).or(ad::User::PASSWORD_PROFILE
                    .then(ad::PasswordProfile::FORCE_CHANGE_PASSWORD_NEXT_LOGIN)
                    .eq(true)),
            )
            .to_request(),
    )
    .add(
        "users().list().expand_with(MANAGER, |e| e): V3, no options",
        s.users()
            .list()
            .expand_with(ad::User::MANAGER, |e| e)
            .to_request(),
    )
    .add(
        "users().list().expand_with(MANAGER, |e| e.select(ObjectId)): V3 writes the nested $select as a path of the request's, after * (all of the user still comes; the shape CAP's V2 adapter answers, not tried against Azure AD Graph)",
        s.users()
            .list()
            .expand_with(ad::User::MANAGER, |e| e.select(DirectoryObject::OBJECT_ID))
            .to_request(),
    )
    .add(
        "users().list().select(DisplayName).expand_with(MANAGER, |e| e.select(ObjectId)).expand(MEMBER_OF): the user's own $select, the manager's path, and memberOf added so that it comes",
        s.users()
            .list()
            .select(User::DISPLAY_NAME)
            .expand_with(ad::User::MANAGER, |e| e.select(DirectoryObject::OBJECT_ID))
            .expand(ad::User::MEMBER_OF)
            .to_request(),
    )
    .add(
        "users().list().expand_with(MANAGER, |e| e.top(1)): other nested options need V4",
        s.users()
            .list()
            .expand_with(ad::User::MANAGER, |e| e.top(1))
            .to_request(),
    )
    .add(
        "users().list().orderby_desc(DisplayName).skip(5): no $count in V3",
        s.users()
            .list()
            .orderby_desc(User::DISPLAY_NAME)
            .skip(5)
            .to_request(),
    );
    insta::assert_snapshot!("v3_query_options", w.text());
}

#[test]
fn v3_api_version_everywhere() {
    let s = DirectoryDataService::new(AAD)
        .with_param("api-version", "1.5")
        .with_header("Authorization", "Bearer t0ken")
        .with_param("api-version", "1.6");
    let user = s.users().by_key("id");
    let mut w = Wire::new(Version::V3).all_headers();
    w.add("users().list()", s.users().list().to_request())
        .add(
            "users().by_key(\"id\").get().param(\"api-version\", \"beta\"): replaced per call",
            user.get().call().param("api-version", "beta").to_request(),
        )
        .add(
            "users().by_key(\"id\").member_of().references().list()",
            user.member_of().references().list().to_request(),
        )
        .add(
            "users().by_key(\"id\").check_member_groups(ids)",
            user.check_member_groups(vec!["g".into()]).to_request(),
        )
        .add(
            "is_member_of(..)",
            s.is_member_of(Some("g"), Some("m")).to_request(),
        )
        .add("users().count()", s.users().count().to_request())
        .add(
            "DirectoryDataService::new(root): the documented default api-version=1.6",
            DirectoryDataService::new(AAD).users().list().to_request(),
        )
        .add(
            "DirectoryDataService::new(root).with_param(\"api-version\", \"1.5\"): the caller's value replaces it",
            DirectoryDataService::new(AAD)
                .with_param("api-version", "1.5")
                .users()
                .list()
                .to_request(),
        )
        .add(
            "DirectoryDataService::me(host).get(): the signed-in user, in place of the tenant",
            DirectoryDataService::me("https://graph.windows.net")
                .get()
                .to_request(),
        )
        .add(
            "DirectoryDataService::me(host).member_of().references().list()",
            DirectoryDataService::me("https://graph.windows.net")
                .member_of()
                .references()
                .list()
                .to_request(),
        )
        .add(
            "DirectoryDataService::my_organization(host).users().list()",
            DirectoryDataService::my_organization("https://graph.windows.net/")
                .users()
                .list()
                .to_request(),
        );
    insta::assert_snapshot!("v3_api_version_everywhere", w.text());
}

/// Create and update bodies leave out what the service sets: `Core.Computed` and
/// `Core.Permissions` `Read` properties (also inside nested complex values and in derived
/// types), and, in updates, `Core.Immutable` ones. `create_as_is` writes everything, and
/// `for_create` takes the properties `Capabilities.InsertRestrictions` requires.
#[test]
fn write_bodies_leave_out_read_only_and_immutable_properties() {
    use golden_write_bodies::golden_bodies::{Stamp, Ticket, UrgentTicket, requests::Desk};

    fn body(request: Result<Request, Error>) -> serde_json::Value {
        let bytes = request.expect("request builds").body.expect("a body");
        serde_json::from_slice(&bytes).expect("a JSON body")
    }
    let stamp = || Stamp {
        at: Some("2026-11-22T10:00:00Z".parse().unwrap()),
        note: Some("n".into()),
        ..Default::default()
    };
    let mut ticket = Ticket::for_create("Printer on fire", 1);
    assert_eq!(ticket.title.as_deref(), Some("Printer on fire"));
    assert_eq!(ticket.priority, Some(1));
    ticket.id = Some(7);
    ticket.reference = Some("R-1".into());
    ticket.revision = Some("3".into());
    ticket.computed_not = Some("kept".into());
    ticket.stamp = Some(stamp());
    ticket.tags = Some(vec![stamp()]);
    // An explicit null of a read-only property is left out of create and update bodies too.
    ticket.set_null(golden_write_bodies::golden_bodies::Ticket::COMPUTED_NOT);
    ticket.set_null(golden_write_bodies::golden_bodies::Ticket::REVISION);
    assert_eq!(ticket.revision, None, "set_null clears the field");
    ticket.revision = Some("3".into());
    ticket.computed_not = Some("kept".into());

    let desk = Desk::new("https://desk.example.com/odata");
    let created = body(desk.tickets().create(&ticket).to_request());
    assert_eq!(
        created,
        serde_json::json!({
            "title": "Printer on fire", "priority": 1, "reference": "R-1",
            "computedNot": "kept", "stamp": {"note": "n"}, "tags": [{"note": "n"}]
        })
    );
    let updated = body(desk.tickets().by_key(7).update(&ticket).to_request());
    assert_eq!(
        updated,
        serde_json::json!({
            "title": "Printer on fire", "priority": 1, "computedNot": "kept",
            "stamp": {"note": "n"}, "tags": [{"note": "n"}]
        })
    );
    let replaced = body(desk.tickets().by_key(7).replace(&ticket).to_request());
    assert_eq!(replaced, updated);

    // Everything, read-only properties included, when asked for.
    let as_is = body(desk.tickets().create_as_is(&ticket).to_request());
    assert_eq!(as_is["id"], 7);
    assert_eq!(as_is["revision"], "3");
    assert_eq!(as_is["stamp"]["at"], "2026-11-22T10:00:00Z");

    // A derived type: its own read-only property too, and the type tag.
    let mut urgent = UrgentTicket::for_create("Server down", 0);
    urgent.escalated_by = Some("ops".into());
    urgent.pager = Some("555".into());
    urgent.id = Some(8);
    let created = body(desk.tickets().create(&urgent).to_request());
    assert_eq!(
        created,
        serde_json::json!({
            "@odata.type": "#Golden.Bodies.UrgentTicket",
            "title": "Server down", "priority": 0, "pager": "555"
        })
    );

    // Plain serialization (a round trip) keeps every property, and afterwards too.
    let plain = serde_json::to_value(&ticket).unwrap();
    assert_eq!(plain["id"], 7);
    assert_eq!(plain["stamp"]["at"], "2026-11-22T10:00:00Z");
}
