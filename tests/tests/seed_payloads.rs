//! JSON round trips of real payloads through the checked-in generated crates.
//!
//! The Azure AD Graph (OData V3) payloads are the sample responses in the
//! seed documents under `/work/shared/seeds/` (read at test time, never
//! copied here): every user must deserialize into the generated `User` and
//! into the polymorphic `AnyDirectoryObject`, and serialize back to the same
//! JSON value. The Microsoft Graph (V4) payloads are hand-written in the
//! shape `GET /users/{id}?$select=...&$expand=...` and `GET /me/events/{id}`
//! return.

// The `json!` literals of the Graph payloads are deeper than the default
// macro recursion limit allows.
#![recursion_limit = "256"]

use std::any::type_name;
use std::collections::BTreeSet;
use std::fmt::Write as _;

use azure_ad_graph::microsoft_directory_services as ad;
use graph_directory::microsoft_graph as graph;
use odata_runtime::serde::Serialize;
use odata_runtime::serde::de::DeserializeOwned;
use serde_json::{Value, json};

#[path = "../../codegen/tests/shared_data/mod.rs"]
mod shared_data;

const SEED_001: &str = "seeds/001_bf404e7aa6cf4218.txt";
const SEED_002: &str = "seeds/002_10caf1d709b9b1b7.txt";

const USER_TYPE: &str = "Microsoft.DirectoryServices.User";
const SKU_ENTERPRISE_PACK: &str = "6fd2c87f-b296-42f0-b197-1e91e994b900";

// ---------------------------------------------------------------------------
// Extraction of JSON payloads from the seed text
// ---------------------------------------------------------------------------

/// A JSON object found in a seed document.
#[derive(Debug)]
struct Payload {
    /// Where it was found, for messages (`001:71`, `001:2785 /paths/...`).
    origin: String,
    /// The JSON text as written (top-level blocks) or re-serialized
    /// (examples embedded in a Swagger document).
    text: String,
    value: Value,
}

/// Top-level `{ ... }` blocks of `text` (balanced braces, braces inside
/// JSON strings ignored) that parse as JSON, with their 1-based line.
///
/// Quotes outside a block are prose and do not start strings. A block that
/// does not parse (C# code, URL templates like `{user_id}`) is dropped as a
/// whole; its inner braces are not searched.
fn json_blocks(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' if depth > 0 => in_string = true,
            b'{' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            b'}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let block = &text[start..=i];
                    if serde_json::from_str::<Value>(block).is_ok() {
                        let line = 1 + text[..start].matches('\n').count();
                        out.push((line, block));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// `examples["application/json"]` objects inside a Swagger 2.0 document,
/// with their JSON path.
fn swagger_examples(v: &Value, path: &str, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                if k == "examples"
                    && let Some(example @ Value::Object(_)) = x.get("application/json")
                {
                    out.push((path.to_owned(), example.clone()));
                }
                swagger_examples(x, &format!("{path}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                swagger_examples(x, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// A seed's text, `path` relative to `../shared`.
fn read_seed(path: &str) -> String {
    let full = shared_data::repo_root().join("../shared").join(path);
    std::fs::read_to_string(&full)
        .unwrap_or_else(|e| panic!("cannot read seed {}: {e}", full.display()))
}

/// The JSON object payloads of a seed: its top-level blocks, plus the
/// response examples of the Swagger documents among them.
fn seed_payloads(tag: &str, path: &str) -> Vec<Payload> {
    let text = read_seed(path);
    let mut out = Vec::new();
    for (line, block) in json_blocks(&text) {
        let value: Value = serde_json::from_str(block).unwrap();
        if !value.is_object() {
            continue;
        }
        if value.get("swagger").is_some() {
            let mut examples = Vec::new();
            swagger_examples(&value, "", &mut examples);
            for (at, example) in examples {
                out.push(Payload {
                    origin: format!("{tag}:{line} (Swagger {at})"),
                    text: example.to_string(),
                    value: example,
                });
            }
        }
        out.push(Payload {
            origin: format!("{tag}:{line}"),
            text: block.to_owned(),
            value,
        });
    }
    out
}

fn metadata(v: &Value) -> Option<&str> {
    v.get("odata.metadata")?.as_str()
}

fn odata_type(v: &Value) -> Option<&str> {
    v.get("odata.type")?.as_str()
}

/// A single user: tagged as one, or described as one by its metadata URL.
fn is_user(v: &Value) -> bool {
    odata_type(v) == Some(USER_TYPE)
        || metadata(v).is_some_and(|m| {
            m.ends_with(&format!("/{USER_TYPE}/@Element"))
                || m.ends_with(&format!("#directoryObjects/{USER_TYPE}/@Element"))
        })
}

/// The items of a collection of users or other directory objects (not of
/// `$links` entity references, whose items are `{"url": ...}`).
fn directory_object_items(v: &Value) -> Option<&Vec<Value>> {
    let items = v.get("value")?.as_array()?;
    let fragment = metadata(v)?.rsplit_once('#')?.1;
    let of_objects = fragment == "directoryObjects" || fragment.starts_with("directoryObjects/");
    let tagged = !items.is_empty()
        && items
            .iter()
            .all(|i| odata_type(i).is_some_and(|t| t.starts_with("Microsoft.DirectoryServices.")));
    ((of_objects && !fragment.contains("$links")) || tagged).then_some(items)
}

// ---------------------------------------------------------------------------
// Round-trip helpers
// ---------------------------------------------------------------------------

/// The first place where two JSON values differ, as a path and both sides.
fn first_difference(path: &str, a: &Value, b: &Value) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| {
                let p = format!("{path}/{k}");
                match (x.get(k), y.get(k)) {
                    (Some(l), Some(r)) => first_difference(&p, l, r),
                    (l, r) => Some(format!("{p}: {l:?} != {r:?}")),
                }
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (l, r))| first_difference(&format!("{path}[{i}]"), l, r)),
        _ if a == b => None,
        _ => Some(format!("{path}: {a} != {b}")),
    }
}

#[track_caller]
fn assert_same_json(what: &str, expected: &Value, actual: &Value) {
    if let Some(d) = first_difference("", expected, actual) {
        panic!("{what}: not lossless, first difference (read vs written) at {d}");
    }
}

/// Reads `text` as `T` (from the JSON text, as a client would), writes it
/// back, and asserts the written JSON equals `expected`.
#[track_caller]
fn round_trip<T: Serialize + DeserializeOwned>(what: &str, text: &str, expected: &Value) -> T {
    let typed: T = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("{what}: does not deserialize as {}: {e}", type_name::<T>()));
    let written = serde_json::to_value(&typed)
        .unwrap_or_else(|e| panic!("{what}: {} does not serialize: {e}", type_name::<T>()));
    assert_same_json(
        &format!("{what} as {}", type_name::<T>()),
        expected,
        &written,
    );
    // Writing is stable: reading the written form gives the same value.
    let again: Value = serde_json::to_value(
        serde_json::from_value::<T>(written.clone())
            .unwrap_or_else(|e| panic!("{what}: written form does not read back: {e}")),
    )
    .unwrap();
    assert_eq!(again, written, "{what}: second round trip differs");
    typed
}

#[track_caller]
fn round_trip_value<T: Serialize + DeserializeOwned>(what: &str, v: &Value) -> T {
    round_trip(what, &v.to_string(), v)
}

fn guid(s: &str) -> odata_runtime::Guid {
    s.parse().unwrap()
}

/// The variant name of an Azure AD Graph directory object.
fn ad_variant(v: &ad::AnyDirectoryObject) -> &'static str {
    match v {
        ad::AnyDirectoryObject::DirectoryObject(_) => "DirectoryObject",
        ad::AnyDirectoryObject::User(_) => "User",
        ad::AnyDirectoryObject::Group(_) => "Group",
        ad::AnyDirectoryObject::Contact(_) => "Contact",
        ad::AnyDirectoryObject::DirectoryRole(_) => "DirectoryRole",
        ad::AnyDirectoryObject::Device(_) => "Device",
        ad::AnyDirectoryObject::Application(_) => "Application",
        ad::AnyDirectoryObject::ServicePrincipal(_) => "ServicePrincipal",
        ad::AnyDirectoryObject::Unknown(_) => "Unknown",
    }
}

/// The variant an `odata.type` tag must resolve to.
fn expected_ad_variant(tag: Option<&str>) -> &'static str {
    const KNOWN: [&str; 8] = [
        "DirectoryObject",
        "User",
        "Group",
        "Contact",
        "DirectoryRole",
        "Device",
        "Application",
        "ServicePrincipal",
    ];
    let Some(tag) = tag else {
        return "DirectoryObject";
    };
    let name = tag.strip_prefix("Microsoft.DirectoryServices.");
    KNOWN
        .into_iter()
        .find(|k| name == Some(*k))
        .unwrap_or("Unknown")
}

/// Round-trips a user payload as `User` and as `AnyDirectoryObject` and
/// checks the two readings agree.
#[track_caller]
fn check_user(what: &str, text: &str, value: &Value) -> ad::User {
    let user: ad::User = round_trip(what, text, value);
    let any: ad::AnyDirectoryObject = round_trip(what, text, value);
    match any {
        ad::AnyDirectoryObject::User(u) => assert_eq!(*u, user.clone(), "{what}: readings differ"),
        other => panic!(
            "{what}: expected the User variant, got {}",
            ad_variant(&other)
        ),
    }
    if let Some(tag) = odata_type(value) {
        assert_eq!(user.extra.odata_type(), Some(tag), "{what}: tag not kept");
    }
    user
}

// ---------------------------------------------------------------------------
// Azure AD Graph (V3) seed payloads
// ---------------------------------------------------------------------------

/// What the seed payload checks exercised.
#[derive(Default)]
struct Exercised {
    users: Vec<(String, ad::User)>,
    collections: usize,
    items: usize,
    log: String,
}

fn exercise(payloads: &[Payload], seen: &mut Exercised) {
    for p in payloads {
        let v = &p.value;
        if is_user(v) {
            let user = check_user(&p.origin, &p.text, v);
            let _ = writeln!(seen.log, "{}: user {:?}", p.origin, user.display_name);
            seen.users.push((p.origin.clone(), user));
        } else if let Some(items) = directory_object_items(v) {
            // The collection wrapper is not a type; each item is.
            seen.collections += 1;
            for (i, item) in items.iter().enumerate() {
                let what = format!("{} value[{i}]", p.origin);
                let any: ad::AnyDirectoryObject = round_trip_value(&what, item);
                let want = expected_ad_variant(odata_type(item));
                assert_eq!(ad_variant(&any), want, "{what}: wrong variant");
                if let ad::AnyDirectoryObject::User(u) = any {
                    assert_eq!(check_user(&what, &item.to_string(), item), *u);
                    seen.users.push((what.clone(), *u));
                }
                seen.items += 1;
                let _ = writeln!(seen.log, "{what}: {want}");
            }
        }
    }
}

fn find_user<'a>(seen: &'a Exercised, origin_prefix: &str, object_id: &str) -> &'a ad::User {
    seen.users
        .iter()
        .find(|(o, u)| o.starts_with(origin_prefix) && u.object_id.as_deref() == Some(object_id))
        .map(|(_, u)| u)
        .unwrap_or_else(|| {
            panic!(
                "no user {object_id} found in {origin_prefix}; exercised:\n{}",
                seen.log
            )
        })
}

#[test]
fn extraction_ignores_prose_and_code_braces() {
    let text = r#"GET /users/{user_id}?x the "value" property's "odata.type"
{ "a": "}{", "b": {"c": [1, {"d": "\"}"}]} }
static void Main() { Console.WriteLine("{"); }
{"e": 1}"#;
    let blocks = json_blocks(text);
    assert_eq!(blocks.len(), 2, "{blocks:?}");
    assert_eq!(blocks[0].0, 2);
    assert_eq!(blocks[1], (4, r#"{"e": 1}"#));
}

#[test]
fn seed_001_users_round_trip() {
    if !shared_data::available(&[SEED_001]) {
        return;
    }
    let payloads = seed_payloads("001", SEED_001);
    let mut seen = Exercised::default();
    exercise(&payloads, &mut seen);
    println!("{}", seen.log);

    // Top-level blocks: the 5-user collection of "Get users", the users
    // returned by the two "Create a user" examples. The Swagger documents
    // repeat them and add "Get a user" (whose prose copy lacks its opening
    // brace, so only the Swagger copy is read).
    assert!(
        seen.users.len() >= 15,
        "only {} users:\n{}",
        seen.users.len(),
        seen.log
    );
    assert!(seen.collections >= 2, "{}", seen.log);
    assert!(seen.items >= 10, "{}", seen.log);

    // "Get users": the first item, Rob Young.
    let rob = find_user(
        &seen,
        "001:71 value[0]",
        "e61ff361-5baf-41f0-b2fd-380a6a5e406a",
    );
    assert_eq!(rob.display_name.as_deref(), Some("Rob Young"));
    assert_eq!(rob.given_name.as_deref(), Some("Rob"));
    assert_eq!(rob.surname.as_deref(), Some("Young"));
    assert_eq!(
        rob.user_principal_name.as_deref(),
        Some("roby@a830edad9050849NDA1.onmicrosoft.com")
    );
    assert_eq!(rob.account_enabled, Some(true));
    assert_eq!(rob.object_type.as_deref(), Some("User"));
    assert_eq!(rob.usage_location.as_deref(), Some("US"));
    assert_eq!(rob.password_policies.as_deref(), Some("None"));
    let licenses = rob.assigned_licenses.as_ref().unwrap();
    assert_eq!(licenses.len(), 1);
    assert_eq!(licenses[0].sku_id, Some(guid(SKU_ENTERPRISE_PACK)));
    assert_eq!(licenses[0].disabled_plans.as_deref(), Some(&[][..]));
    let plans = rob.assigned_plans.as_ref().unwrap();
    assert_eq!(plans.len(), 6);
    assert_eq!(plans[0].service.as_deref(), Some("exchange"));
    assert_eq!(plans[0].capability_status.as_deref(), Some("Enabled"));
    assert_eq!(
        plans[0].service_plan_id,
        Some(guid("efb87545-963c-4e0d-99df-69c6916d9eb0"))
    );
    assert_eq!(
        plans[0].assigned_timestamp.as_ref().unwrap().to_string(),
        "2014-10-14T02:54:57Z"
    );
    assert_eq!(rob.provisioned_plans.as_ref().unwrap().len(), 5);
    assert_eq!(
        rob.proxy_addresses.as_deref(),
        Some(&["SMTP:roby@a830edad9050849NDA1.onmicrosoft.com".to_owned()][..])
    );
    // `"city": null` is None and remembered as an explicit null.
    assert_eq!(rob.city, None);
    assert!(rob.extra.is_null("city"));
    assert!(rob.extra.is_null("deletionTimestamp"));
    assert!(rob.extra.is_null("passwordProfile"));
    assert!(!rob.extra.is_null("displayName"));
    assert!(rob.extra.dynamic.is_empty(), "{:?}", rob.extra.dynamic);

    // The other four items of the collection, in order.
    let names: Vec<_> = seen
        .users
        .iter()
        .filter(|(o, _)| o.starts_with("001:71 value["))
        .map(|(_, u)| u.display_name.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(
        names,
        [
            "Rob Young",
            "Katie Jordan",
            "Pavel Bansky",
            "Garth Fort",
            "Janet Schorr"
        ]
    );

    // "Create a user" (B2C local account): signInNames and userIdentities.
    let alex = seen
        .users
        .iter()
        .map(|(_, u)| u)
        .find(|u| u.creation_type.as_deref() == Some("LocalAccount"))
        .expect("the B2C create-user response");
    assert_eq!(alex.display_name.as_deref(), Some("Alex Wu"));
    assert_eq!(
        alex.extra
            .annotation("odata.metadata")
            .and_then(Value::as_str),
        Some(
            "https://graph.windows.net/myorganization/$metadata#directoryObjects/Microsoft.DirectoryServices.User/@Element"
        )
    );
    let sign_in = alex.sign_in_names.as_ref().unwrap();
    assert_eq!(sign_in[0].r#type.as_deref(), Some("userName"));
    assert_eq!(sign_in[0].value.as_deref(), Some("AlexW"));
    assert_eq!(sign_in[1].r#type.as_deref(), Some("emailAddress"));
    let identities = alex.user_identities.as_ref().unwrap();
    assert_eq!(identities[0].issuer.as_deref(), Some("facebook.com"));
    assert_eq!(
        identities[0].issuer_user_id.as_deref(),
        Some("MATxTNg5MzYyMzMyMNY1Njc=")
    );
    assert_eq!(
        alex.mail_nickname.as_deref(),
        Some("AlexW_example.com#EXT#")
    );

    // "Get a user" (Swagger copy): Garth Fort with an address.
    let garth = find_user(
        &seen,
        "001:2785 (Swagger /paths//users/{user_id}/get",
        "13addec1-c5ae-47f5-a1fe-202be14b1570",
    );
    assert_eq!(garth.display_name.as_deref(), Some("Garth Fort"));
    assert_eq!(garth.state.as_deref(), Some("OK"));
    assert_eq!(
        garth.street_address.as_deref(),
        Some("7633 E. 63rd Place, Suite 300")
    );
    assert_eq!(garth.telephone_number.as_deref(), Some("+1 918 555 0101"));
    assert_eq!(
        garth.assigned_licenses.as_ref().unwrap()[0].sku_id,
        Some(guid(SKU_ENTERPRISE_PACK))
    );
}

#[test]
fn seed_001_tagged_items_resolve_to_their_variant() {
    if !shared_data::available(&[SEED_001]) {
        return;
    }
    let payloads = seed_payloads("001", SEED_001);
    let collection = payloads
        .iter()
        .find(|p| p.origin == "001:71")
        .expect("the Get users response at line 71");
    let items: Vec<ad::AnyDirectoryObject> =
        serde_json::from_value(collection.value["value"].clone()).unwrap();
    assert_eq!(items.len(), 5);
    for item in &items {
        let ad::AnyDirectoryObject::User(u) = item else {
            panic!("expected User, got {}", ad_variant(item));
        };
        assert_eq!(u.extra.odata_type(), Some(USER_TYPE));
    }
    // The whole array writes back unchanged.
    assert_eq!(
        serde_json::to_value(&items).unwrap(),
        collection.value["value"]
    );
}

#[test]
fn seed_002_users_round_trip() {
    if !shared_data::available(&[SEED_002]) {
        return;
    }
    let payloads = seed_payloads("002", SEED_002);
    let mut seen = Exercised::default();
    exercise(&payloads, &mut seen);
    println!("{}", seen.log);
    // "Sample JSON Response", the "Create a user" response body and the
    // "Get a user" example response body.
    assert!(
        seen.users.len() >= 3,
        "only {} users:\n{}",
        seen.users.len(),
        seen.log
    );

    let garth = find_user(&seen, "002:", "13addec1-c5ae-47f5-a1fe-202be14b1570");
    assert_eq!(garth.display_name.as_deref(), Some("Garth Fort"));
    assert_eq!(garth.account_enabled, Some(true));
    assert_eq!(
        garth.assigned_licenses.as_ref().unwrap()[0].sku_id,
        Some(guid(SKU_ENTERPRISE_PACK))
    );
    assert_eq!(garth.extra.odata_type(), Some(USER_TYPE));

    let alex = find_user(&seen, "002:", "84fba1e8-b942-47c9-a10e-a4bee353ce60");
    assert_eq!(alex.display_name.as_deref(), Some("Alex Wu"));
    assert_eq!(alex.mail_nickname.as_deref(), Some("AlexW"));
    assert_eq!(alex.user_type.as_deref(), Some("Member"));
    assert_eq!(alex.assigned_licenses.as_deref(), Some(&[][..]));
    assert!(alex.extra.is_null("givenName"));
}

/// Which properties of `sample` do not read as their declared type in `T`
/// (each property tried on its own).
fn incompatible_properties<T: DeserializeOwned>(sample: &Value) -> BTreeSet<String> {
    sample
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, v)| {
            let single = json!({ k.as_str(): v });
            serde_json::from_value::<T>(single).is_err()
        })
        .map(|(k, _)| k.clone())
        .collect()
}

fn without(sample: &Value, keys: &BTreeSet<String>) -> Value {
    let mut v = sample.clone();
    for k in keys {
        v.as_object_mut().unwrap().remove(k);
    }
    v
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The AlternativeSecurityId and AppRole "Sample JSON" blocks of seed 002
/// do not match the schema (schemas/azure-ad-graph.xml) they document, so
/// reading them must fail, naming the property:
///
/// - AlternativeSecurityId: `"type": "2134214213421"` is a string, the
///   schema says `Edm.Int32` (schema line 333; the number would not fit an
///   Int32 either); `"key": "213421-214fgs32-gds532432-dsvcsg-532532"` is
///   not base64 for `Edm.Binary` (line 335): 39 characters whose last one,
///   `2`, leaves non-zero padding bits, so no byte string encodes to it.
/// - AppRole: `"allowedMemberTypes": "User"` is a string, the schema says
///   `Collection(Edm.String)` (line 341); `"id": "2134214213421"` is not an
///   `Edm.Guid` (line 348); `"isEnabled": "true"` is a string, not an
///   `Edm.Boolean` (line 349).
///
/// Everything else in the samples is conforming and round-trips.
#[test]
fn seed_002_complex_type_samples() {
    if !shared_data::available(&[SEED_002]) {
        return;
    }
    let payloads = seed_payloads("002", SEED_002);
    let find = |wanted: &[&str]| {
        let wanted: BTreeSet<&str> = wanted.iter().copied().collect();
        payloads
            .iter()
            .find(|p| keys(&p.value) == wanted)
            .unwrap_or_else(|| panic!("no sample with keys {wanted:?}"))
    };

    // AlternativeSecurityId.
    let alt = find(&["identityProvider", "key", "type"]);
    let err = serde_json::from_str::<ad::AlternativeSecurityId>(&alt.text)
        .expect_err("the seed's AlternativeSecurityId sample is mistyped")
        .to_string();
    assert!(err.contains("property `key`"), "{err}");
    assert!(err.contains("invalid Edm.Binary"), "{err}");
    let bad = incompatible_properties::<ad::AlternativeSecurityId>(&alt.value);
    assert_eq!(
        bad,
        BTreeSet::from(["key", "type"].map(str::to_owned)),
        "{}",
        alt.origin
    );
    let conforming = without(&alt.value, &bad);
    let alt_id: ad::AlternativeSecurityId = round_trip_value(&alt.origin, &conforming);
    assert_eq!(
        alt_id.identity_provider.as_deref(),
        Some("Lorem_ipsum_dolor_sit")
    );

    // AppRole.
    let role = find(&[
        "allowedMemberTypes",
        "description",
        "displayName",
        "id",
        "isEnabled",
        "value",
    ]);
    let err = serde_json::from_str::<ad::AppRole>(&role.text)
        .expect_err("the seed's AppRole sample has mistyped values")
        .to_string();
    assert!(err.contains("property `allowedMemberTypes`"), "{err}");
    let bad = incompatible_properties::<ad::AppRole>(&role.value);
    assert_eq!(
        bad,
        BTreeSet::from(["allowedMemberTypes", "id", "isEnabled"].map(str::to_owned)),
        "{}",
        role.origin
    );
    let conforming = without(&role.value, &bad);
    let app_role: ad::AppRole = round_trip_value(&role.origin, &conforming);
    assert_eq!(app_role.display_name.as_deref(), Some("Marketing"));
    assert_eq!(
        app_role.value.as_deref(),
        Some("213421-214fgs32-gds532432-dsvcsg-532532")
    );
    assert!(app_role.description.unwrap().starts_with("Lorem ipsum"));

    // The same samples with schema-conforming values round-trip whole.
    let fixed_role = json!({
        "allowedMemberTypes": ["User"],
        "description": role.value["description"],
        "displayName": "Marketing",
        "id": "7f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "isEnabled": true,
        "value": role.value["value"],
    });
    let app_role: ad::AppRole = round_trip_value("AppRole (conforming)", &fixed_role);
    assert_eq!(app_role.allowed_member_types, Some(vec!["User".to_owned()]));
    assert_eq!(app_role.is_enabled, Some(true));
    assert_eq!(
        app_role.id,
        Some(guid("7f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"))
    );
    let fixed_alt = json!({
        "identityProvider": "Lorem_ipsum_dolor_sit",
        "key": "AAECAwQFBgcICQ==",
        "type": 1,
    });
    let alt_id: ad::AlternativeSecurityId =
        round_trip_value("AlternativeSecurityId (conforming)", &fixed_alt);
    assert_eq!(alt_id.r#type, Some(1));
    assert_eq!(
        alt_id.key.as_ref().unwrap().bytes(),
        &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    );
}

// Reading through a polymorphic `Any...` enum keeps document order: the runtime buffers the
// object with serde_json's `preserve_order`, so `Extra` is the same as when read directly.
#[test]
fn polymorphic_reading_keeps_document_order() {
    let text = r#"{"odata.type":"Microsoft.DirectoryServices.User","odata.metadata":"m","surname":null,"city":null}"#;
    let direct: ad::User = serde_json::from_str(text).unwrap();
    let ad::AnyDirectoryObject::User(via_any) = serde_json::from_str(text).unwrap() else {
        panic!("expected the User variant");
    };
    assert_eq!(direct.extra.nulls(), ["surname", "city"]);
    assert_eq!(via_any.extra.nulls(), direct.extra.nulls());
    assert_eq!(via_any.extra.annotations, direct.extra.annotations);
    assert_eq!(*via_any, direct);
}

// ---------------------------------------------------------------------------
// Microsoft Graph (V4): hand-written payloads
// ---------------------------------------------------------------------------

fn graph_variant(v: &graph::AnyDirectoryObject) -> &'static str {
    match v {
        graph::AnyDirectoryObject::DirectoryObject(_) => "DirectoryObject",
        graph::AnyDirectoryObject::User(_) => "User",
        graph::AnyDirectoryObject::Group(_) => "Group",
        graph::AnyDirectoryObject::OrgContact(_) => "OrgContact",
        graph::AnyDirectoryObject::Device(_) => "Device",
        graph::AnyDirectoryObject::DirectoryRole(_) => "DirectoryRole",
        graph::AnyDirectoryObject::Application(_) => "Application",
        graph::AnyDirectoryObject::ServicePrincipal(_) => "ServicePrincipal",
        graph::AnyDirectoryObject::AppRoleAssignment(_) => "AppRoleAssignment",
        graph::AnyDirectoryObject::Unknown(_) => "Unknown",
    }
}

/// A weekly stand-up, as `GET /me/events/{id}` returns it.
fn standup_event() -> Value {
    json!({
        "@odata.etag": "W/\"ZlnW4RIAV06KYYwlrfNZvQAAKGWwbw==\"",
        "id": "AAMkAGIAAAoZDOFAAA=",
        "createdDateTime": "2024-04-29T16:20:31.4113914Z",
        "lastModifiedDateTime": "2024-04-30T08:02:11.0597265Z",
        "changeKey": "ZlnW4RIAV06KYYwlrfNZvQAAKGWwbw==",
        "categories": [],
        "originalStartTimeZone": "Pacific Standard Time",
        "originalEndTimeZone": "Pacific Standard Time",
        "iCalUId": "040000008200E00074C5B7101A82E00800000000D3D70B8A6A9ADA01",
        "reminderMinutesBeforeStart": 15,
        "isReminderOn": true,
        "hasAttachments": false,
        "subject": "Team stand-up",
        "bodyPreview": "Daily sync",
        "importance": "normal",
        "sensitivity": "normal",
        "isAllDay": false,
        "isCancelled": false,
        "isOrganizer": true,
        "responseRequested": true,
        "seriesMasterId": null,
        "showAs": "busy",
        "type": "seriesMaster",
        "webLink": "https://outlook.office365.com/owa/?itemid=AAMkAGIAAAoZDOFAAA%3D&exvsurl=1&path=/calendar/item",
        "onlineMeetingUrl": null,
        "isOnlineMeeting": false,
        "onlineMeetingProvider": "unknown",
        "allowNewTimeProposals": true,
        "responseStatus": {
            "response": "organizer",
            "time": "0001-01-01T00:00:00Z"
        },
        "body": {
            "contentType": "html",
            "content": "<html><body><p>Daily sync</p></body></html>"
        },
        "start": {
            "dateTime": "2024-05-06T09:00:00.0000000",
            "timeZone": "Pacific Standard Time"
        },
        "end": {
            "dateTime": "2024-05-06T09:15:00.0000000",
            "timeZone": "Pacific Standard Time"
        },
        "location": {
            "displayName": "Conf Room 3/1234",
            "locationType": "default",
            "uniqueId": "Conf Room 3/1234",
            "uniqueIdType": "private"
        },
        "locations": [{
            "displayName": "Conf Room 3/1234",
            "locationType": "default",
            "uniqueId": "Conf Room 3/1234",
            "uniqueIdType": "private"
        }],
        "recurrence": {
            "pattern": {
                "type": "weekly",
                "interval": 1,
                "month": 0,
                "dayOfMonth": 0,
                "daysOfWeek": ["monday", "wednesday", "friday"],
                "firstDayOfWeek": "sunday",
                "index": "first"
            },
            "range": {
                "type": "endDate",
                "startDate": "2024-05-06",
                "endDate": "2024-12-20",
                "recurrenceTimeZone": "Pacific Standard Time",
                "numberOfOccurrences": 0
            }
        },
        "attendees": [{
            "type": "required",
            "status": {"response": "accepted", "time": "2024-04-30T08:02:10.9875623Z"},
            "emailAddress": {"name": "Adele Vance", "address": "AdeleV@contoso.com"}
        }],
        "organizer": {
            "emailAddress": {"name": "Megan Bowen", "address": "MeganB@contoso.com"}
        },
        "onlineMeeting": null
    })
}

/// `GET /users/{id}?$select=id,displayName,...&$expand=manager,memberOf,events`.
fn megan_with_expansions() -> Value {
    let mut event = standup_event();
    // Inside the user the event is not the top-level resource.
    event.as_object_mut().unwrap().remove("@odata.etag");
    json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(id,displayName,userPrincipalName,accountEnabled,assignedLicenses,businessPhones,createdDateTime,deletedDateTime,manager(),memberOf(),events())/$entity",
        "@odata.etag": "W/\"JzEtVXNlciAgQEBAQEBAQEBAQEBAMSc=\"",
        "id": "48d31887-5fad-4d73-a9f5-3c356e68a038",
        "displayName": "Megan Bowen",
        "userPrincipalName": "MeganB@contoso.com",
        "accountEnabled": true,
        "businessPhones": ["+1 412 555 0109"],
        "createdDateTime": "2019-10-25T14:03:54Z",
        "deletedDateTime": null,
        "assignedLicenses": [{
            "disabledPlans": ["a23b959c-7ce8-4e57-9140-b90eb88a9e97"],
            "skuId": "c7df2760-2c81-4ef7-b578-5b5392b571df"
        }],
        "extension_4d2a1b2c3d4e5f60718293a4b5c6d7e8_costCenter": "CC-1042",
        "manager@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('48d31887-5fad-4d73-a9f5-3c356e68a038')/manager/$entity",
        "manager": {
            "@odata.type": "#microsoft.graph.user",
            "id": "5bde3e51-d13b-4db1-9948-fe4b109d11a7",
            "displayName": "Miriam Graham",
            "jobTitle": "Director",
            "mail": "MiriamG@contoso.com",
            "businessPhones": ["+1 206 555 0109"],
            "officeLocation": "131/2103"
        },
        "memberOf@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects",
        "memberOf@odata.nextLink": "https://graph.microsoft.com/v1.0/users/48d31887-5fad-4d73-a9f5-3c356e68a038/memberOf?$skiptoken=X%274453707402000100000017",
        "memberOf": [
            {
                "@odata.type": "#microsoft.graph.group",
                "id": "02bd9fd6-8f93-4758-87c3-1fb73740a315",
                "deletedDateTime": null,
                "displayName": "HR Taskforce",
                "description": "Marketing team for HR",
                "groupTypes": ["Unified"],
                "mail": "HRTaskforce@contoso.com",
                "mailEnabled": true,
                "mailNickname": "HRTaskforce",
                "securityEnabled": false,
                "visibility": "Private",
                "renewedDateTime": "2024-01-12T18:01:33.1234567Z",
                "resourceProvisioningOptions": ["Team"]
            },
            {
                "@odata.type": "#microsoft.graph.user",
                "id": "e3d0513b-449e-4198-ba6f-bd97ae7cae85",
                "displayName": "Isaiah Langer",
                "userPrincipalName": "IsaiahL@contoso.com"
            },
            {
                "@odata.type": "#microsoft.graph.administrativeUnit",
                "id": "4d7ea995-bc0f-45c0-8c3e-132e93bd3c8a",
                "deletedDateTime": null,
                "displayName": "Seattle District",
                "description": "Seattle district technical schools",
                "isMemberManagementRestricted": false,
                "visibility": "HiddenMembership"
            }
        ],
        "events@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('48d31887-5fad-4d73-a9f5-3c356e68a038')/events",
        "events": [event]
    })
}

fn check_standup(event: &graph::Event) {
    assert_eq!(event.subject.as_deref(), Some("Team stand-up"));
    assert_eq!(event.r#type, Some(graph::EventType::SeriesMaster));
    assert_eq!(event.show_as, Some(graph::FreeBusyStatus::Busy));
    assert_eq!(event.importance, Some(graph::Importance::Normal));
    assert_eq!(event.reminder_minutes_before_start, Some(15));
    assert!(event.extra.is_null("seriesMasterId"));
    assert!(event.extra.is_null("onlineMeeting"));
    let start = event.start.as_ref().unwrap();
    assert_eq!(
        start.date_time.as_deref(),
        Some("2024-05-06T09:00:00.0000000")
    );
    assert_eq!(start.time_zone.as_deref(), Some("Pacific Standard Time"));
    let end = event.end.as_ref().unwrap();
    assert_eq!(
        end.date_time.as_deref(),
        Some("2024-05-06T09:15:00.0000000")
    );
    let created = event.created_date_time.as_ref().unwrap();
    assert_eq!(created.to_string(), "2024-04-29T16:20:31.4113914Z");
    let status = event.response_status.as_ref().unwrap();
    assert_eq!(status.response, Some(graph::ResponseType::Organizer));
    assert_eq!(
        status.time.as_ref().unwrap().to_string(),
        "0001-01-01T00:00:00Z"
    );

    let recurrence = event.recurrence.as_ref().unwrap();
    let pattern = recurrence.pattern.as_ref().unwrap();
    assert_eq!(pattern.r#type, Some(graph::RecurrencePatternType::Weekly));
    assert_eq!(pattern.interval, Some(1));
    assert_eq!(
        pattern.days_of_week.as_deref(),
        Some(
            &[
                graph::DayOfWeek::Monday,
                graph::DayOfWeek::Wednesday,
                graph::DayOfWeek::Friday
            ][..]
        )
    );
    assert_eq!(pattern.first_day_of_week, Some(graph::DayOfWeek::Sunday));
    assert_eq!(pattern.index, Some(graph::WeekIndex::First));
    let range = recurrence.range.as_ref().unwrap();
    assert_eq!(range.r#type, Some(graph::RecurrenceRangeType::EndDate));
    assert_eq!(range.start_date.as_ref().unwrap().to_string(), "2024-05-06");
    assert_eq!(range.end_date.as_ref().unwrap().to_string(), "2024-12-20");
    assert_eq!(range.number_of_occurrences, Some(0));

    let attendee = &event.attendees.as_ref().unwrap()[0];
    assert_eq!(attendee.r#type, Some(graph::AttendeeType::Required));
    assert_eq!(
        attendee.status.as_ref().unwrap().response,
        Some(graph::ResponseType::Accepted)
    );
    assert_eq!(
        attendee.email_address.as_ref().unwrap().address.as_deref(),
        Some("AdeleV@contoso.com")
    );
    let Some(graph::AnyRecipient::Recipient(organizer)) = &event.organizer else {
        panic!("organizer: {:?}", event.organizer);
    };
    assert_eq!(
        organizer.email_address.as_ref().unwrap().name.as_deref(),
        Some("Megan Bowen")
    );
    assert_eq!(
        event.body.as_ref().unwrap().content_type,
        Some(graph::BodyType::Html)
    );
}

#[test]
fn graph_event_round_trips() {
    let payload = standup_event();
    let event: graph::Event = round_trip_value("event", &payload);
    check_standup(&event);
    assert_eq!(
        event.extra.etag(),
        Some("W/\"ZlnW4RIAV06KYYwlrfNZvQAAKGWwbw==\"")
    );
    // The event as an outlookItem / entity: resolved through its content
    // (no tag: the declared type), still lossless.
    let as_entity: graph::AnyEntity = round_trip_value("event as entity", &payload);
    assert!(matches!(as_entity, graph::AnyEntity::Entity(_)));
    // Tagged, it resolves to the event variant.
    let mut tagged = payload.clone();
    tagged["@odata.type"] = json!("#microsoft.graph.event");
    let as_entity: graph::AnyEntity = round_trip_value("tagged event as entity", &tagged);
    let graph::AnyEntity::Event(e) = as_entity else {
        panic!("expected the Event variant");
    };
    check_standup(&e);
}

#[test]
fn graph_user_with_expansions_round_trips() {
    let payload = megan_with_expansions();
    let user: graph::User = round_trip_value("user", &payload);
    let any: graph::AnyDirectoryObject = round_trip_value("user as directoryObject", &payload);
    // Untagged: the declared type, which keeps the user's properties.
    assert_eq!(graph_variant(&any), "DirectoryObject");

    assert_eq!(
        user.id.as_deref(),
        Some("48d31887-5fad-4d73-a9f5-3c356e68a038")
    );
    assert_eq!(user.display_name.as_deref(), Some("Megan Bowen"));
    assert_eq!(
        user.user_principal_name.as_deref(),
        Some("MeganB@contoso.com")
    );
    assert_eq!(user.account_enabled, Some(true));
    assert!(user.extra.is_null("deletedDateTime"));
    assert_eq!(
        user.extra.etag(),
        Some("W/\"JzEtVXNlciAgQEBAQEBAQEBAQEBAMSc=\"")
    );
    assert!(
        user.extra
            .annotation("@odata.context")
            .and_then(Value::as_str)
            .unwrap()
            .ends_with("/$entity")
    );
    assert_eq!(
        user.assigned_licenses.as_ref().unwrap()[0].sku_id,
        Some(guid("c7df2760-2c81-4ef7-b578-5b5392b571df"))
    );
    assert_eq!(
        user.extra.dynamic["extension_4d2a1b2c3d4e5f60718293a4b5c6d7e8_costCenter"],
        "CC-1042"
    );
    assert!(
        user.extra
            .annotation("memberOf@odata.nextLink")
            .is_some_and(Value::is_string)
    );

    // The manager: tagged #microsoft.graph.user.
    let Some(graph::AnyDirectoryObject::User(manager)) = &user.manager else {
        panic!("manager: {:?}", user.manager);
    };
    assert_eq!(manager.display_name.as_deref(), Some("Miriam Graham"));
    assert_eq!(manager.job_title.as_deref(), Some("Director"));
    assert_eq!(manager.office_location.as_deref(), Some("131/2103"));
    assert_eq!(manager.extra.odata_type(), Some("#microsoft.graph.user"));

    // memberOf: a group, a user and an administrativeUnit (not in this
    // schema: Unknown, everything kept).
    let member_of = user.member_of.as_ref().unwrap();
    let variants: Vec<_> = member_of.iter().map(graph_variant).collect();
    assert_eq!(variants, ["Group", "User", "Unknown"]);
    let graph::AnyDirectoryObject::Group(group) = &member_of[0] else {
        unreachable!()
    };
    assert_eq!(group.display_name.as_deref(), Some("HR Taskforce"));
    assert_eq!(
        group.group_types.as_deref(),
        Some(&["Unified".to_owned()][..])
    );
    assert_eq!(group.mail_enabled, Some(true));
    assert_eq!(group.security_enabled, Some(false));
    assert_eq!(
        group.renewed_date_time.as_ref().unwrap().to_string(),
        "2024-01-12T18:01:33.1234567Z"
    );
    assert_eq!(
        group.extra.dynamic["resourceProvisioningOptions"],
        json!(["Team"])
    );
    let graph::AnyDirectoryObject::User(isaiah) = &member_of[1] else {
        unreachable!()
    };
    assert_eq!(isaiah.display_name.as_deref(), Some("Isaiah Langer"));
    let graph::AnyDirectoryObject::Unknown(unit) = &member_of[2] else {
        unreachable!()
    };
    assert_eq!(
        unit.extra.odata_type(),
        Some("#microsoft.graph.administrativeUnit")
    );
    assert_eq!(
        unit.id.as_deref(),
        Some("4d7ea995-bc0f-45c0-8c3e-132e93bd3c8a")
    );
    assert!(unit.extra.is_null("deletedDateTime"));
    assert_eq!(unit.extra.dynamic["displayName"], "Seattle District");
    assert_eq!(unit.extra.dynamic["isMemberManagementRestricted"], false);

    // The expanded event.
    let events = user.events.as_ref().unwrap();
    assert_eq!(events.len(), 1);
    check_standup(&events[0]);

    // Each memberOf item also round-trips on its own.
    for (i, item) in payload["memberOf"].as_array().unwrap().iter().enumerate() {
        let any: graph::AnyDirectoryObject = round_trip_value(&format!("memberOf[{i}]"), item);
        assert_eq!(graph_variant(&any), variants[i]);
    }
}

/// The collection form, `GET /users?$select=id,displayName,manager&$expand=manager`.
#[test]
fn graph_user_collection_round_trips() {
    let payload = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(id,displayName,manager(id,displayName))",
        "value": [
            {
                "@odata.etag": "W/\"JzEtVXNlciAgQEBAQEBAQEBAQEBAMSc=\"",
                "id": "48d31887-5fad-4d73-a9f5-3c356e68a038",
                "displayName": "Megan Bowen",
                "manager": {
                    "@odata.type": "#microsoft.graph.user",
                    "id": "5bde3e51-d13b-4db1-9948-fe4b109d11a7",
                    "displayName": "Miriam Graham"
                }
            },
            {
                "@odata.etag": "W/\"JzEtVXNlciAgQEBAQEBAQEBAQEBAMyc=\"",
                "id": "5bde3e51-d13b-4db1-9948-fe4b109d11a7",
                "displayName": "Miriam Graham",
                "manager": null
            },
            {
                "@odata.etag": "W/\"JzEtVXNlciAgQEBAQEBAQEBAQEBANCc=\"",
                "id": "e3d0513b-449e-4198-ba6f-bd97ae7cae85",
                "displayName": "Isaiah Langer",
                "manager": {
                    "@odata.type": "#microsoft.graph.orgContact",
                    "id": "25ca3c6b-7ad4-4f3c-9ac8-1bd5a6bc51a6",
                    "displayName": "Contoso Partner Desk",
                    "mail": "partners@fabrikam.com"
                }
            }
        ]
    });
    let users: Vec<graph::User> = round_trip_value("users", &payload["value"]);
    assert_eq!(users.len(), 3);
    let Some(graph::AnyDirectoryObject::User(m)) = &users[0].manager else {
        panic!("{:?}", users[0].manager);
    };
    assert_eq!(m.display_name.as_deref(), Some("Miriam Graham"));
    assert_eq!(users[1].manager, None);
    assert!(users[1].extra.is_null("manager"));
    let Some(graph::AnyDirectoryObject::OrgContact(c)) = &users[2].manager else {
        panic!("{:?}", users[2].manager);
    };
    assert_eq!(c.display_name.as_deref(), Some("Contoso Partner Desk"));
    assert_eq!(
        users[2].extra.etag(),
        Some("W/\"JzEtVXNlciAgQEBAQEBAQEBAQEBANCc=\"")
    );
}
