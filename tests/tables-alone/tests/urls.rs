//! The URLs (and action bodies) of requests built with the clients generated from documentation
//! tables alone: Microsoft Graph from seeds 000+003+004, Azure AD Graph (V3) from seeds 001+002.

#![cfg(seeds)]

use odata_runtime::Request;
use odata_runtime::prelude::*;
use tables_alone::{aad, graph};

/// `METHOD URL`, then the body when there is one.
fn line(what: &str, r: Result<Request, odata_runtime::Error>) -> String {
    let r = r.expect("builds");
    let mut out = format!("# {what}\n{:?} {}\n", r.method, r.url);
    if let Some(b) = &r.body {
        out.push_str(&String::from_utf8_lossy(b));
        out.push('\n');
    }
    out
}

#[test]
fn graph_from_tables() {
    use graph::microsoft_graph::requests::Service;
    let s = Service::new("https://graph.microsoft.com/beta");
    let user = s.users().by_key("a'b");
    let text = [
        line("users().list()", s.users().list().to_request()),
        line("users().by_key(\"a'b\").get()", user.get().to_request()),
        line(
            "users().by_key(..).manager().get()",
            user.manager().get().to_request(),
        ),
        line(
            "users().by_key(..).events().list()",
            user.events().list().to_request(),
        ),
        line(
            "users().by_key(..).events().by_key(\"e1\").get()",
            user.events().by_key("e1").get().to_request(),
        ),
        line(
            "directory_objects().by_key(\"d1\").check_member_groups(\"g1\")",
            s.directory_objects()
                .by_key("d1")
                .check_member_groups("g1")
                .to_request(),
        ),
        line("users().by_key(..).delete()", user.delete().to_request()),
    ]
    .concat();
    insta::assert_snapshot!("graph_from_tables", text);
}

#[test]
fn azure_ad_graph_from_tables() {
    use aad::docs::requests::Service;
    let host = "https://graph.windows.net";
    let s = Service::new("https://graph.windows.net/myorganization");
    let user = s.users().by_key("alex@contoso.com");
    let manager = "https://graph.windows.net/myorganization/directoryObjects/fabeb27a";
    let group = "https://graph.windows.net/myorganization/directoryObjects/12345678";
    let text = [
        line("users().list()", s.users().list().to_request()),
        line("users().by_key(..).get()", user.get().to_request()),
        line(
            "users().by_key(..).invalidate_all_refresh_tokens()",
            user.invalidate_all_refresh_tokens().to_request(),
        ),
        // `$links` navigation the pages give no target type for: links (entity URLs) only.
        line(
            "users().by_key(..).manager_link().get()",
            user.manager_link().get().to_request(),
        ),
        line(
            "users().by_key(..).manager_link().set_url(..)",
            user.manager_link().set_url(manager).to_request(),
        ),
        line(
            "users().by_key(..).manager_link().delete()",
            user.manager_link().delete().to_request(),
        ),
        line(
            "users().by_key(..).direct_reports_links().list()",
            user.direct_reports_links().list().to_request(),
        ),
        line(
            "users().by_key(..).direct_reports_links().add_url(..)",
            user.direct_reports_links().add_url(manager).to_request(),
        ),
        line(
            "users().by_key(..).direct_reports_links().remove_key(\"r1\")",
            user.direct_reports_links().remove_key(&"r1").to_request(),
        ),
        line(
            "users().by_key(..).member_of_links().list()",
            user.member_of_links().list().to_request(),
        ),
        line(
            "users().by_key(..).member_of_links().add_url(..)",
            user.member_of_links().add_url(group).to_request(),
        ),
        line(
            "users().by_key(..).member_of_links().remove_key(\"g1\")",
            user.member_of_links().remove_key(&"g1").to_request(),
        ),
        // Functions and actions the pages name without parameters: untyped JSON body.
        line(
            "is_member_of(..) at the tenant",
            s.is_member_of(&serde_json::json!({"groupId": "g1", "memberId": "u1"}))
                .to_request(),
        ),
        line(
            "users().by_key(..).check_member_groups(..)",
            user.check_member_groups(&serde_json::json!({"groupIds": ["g1", "g2"]}))
                .to_request(),
        ),
        line(
            "users().by_key(..).assign_license(..)",
            user.assign_license(&serde_json::json!({"addLicenses": [], "removeLicenses": []}))
                .to_request(),
        ),
        // Seed 002's `me`, the signed-in user from the host; `changePassword`, which seed 001
        // calls "on the signed-in user", is a method of its builder only.
        line("me(host).get()", Service::me(host).get().to_request()),
        line(
            "me(host).manager_link().get()",
            Service::me(host).manager_link().get().to_request(),
        ),
        line(
            "me(host).change_password(..)",
            Service::me(host)
                .change_password(&serde_json::json!({"currentPassword": "a", "newPassword": "b"}))
                .to_request(),
        ),
        // The tenant alias the pages' URLs are written with.
        line(
            "myorganization(host).users().list()",
            Service::myorganization(host).users().list().to_request(),
        ),
        line(
            "with_param(\"api-version\", \"1.5\"): users().list()",
            Service::new("https://graph.windows.net/myorganization")
                .with_param("api-version", "1.5")
                .users()
                .list()
                .to_request(),
        ),
    ]
    .concat();
    insta::assert_snapshot!("azure_ad_graph_from_tables", text);
}

/// `changePassword`, which seed 001 calls "on the signed-in user", is a method of the `me`
/// alias' builder only (`users().by_key(..).change_password(..)` does not compile): one
/// `change_password` in the generated client, inside `impl Me`.
#[test]
fn azure_ad_graph_change_password_only_on_me() {
    let src = include_str!(concat!(env!("OUT_DIR"), "/aad_tables.rs"));
    assert_eq!(src.matches("pub fn change_password(").count(), 1);
    let me = src.find("impl Me {").expect("`Me` has its own methods");
    let at = src.find("pub fn change_password(").unwrap();
    let body = me + "impl Me {".len();
    let next_impl = src[body..].find("impl ").map(|i| body + i);
    assert!(
        at > me && next_impl.is_none_or(|n| at < n),
        "change_password is not a method of Me"
    );
}
