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
    let s = Service::new("https://graph.windows.net/myorganization");
    let user = s.users().by_key("alex@contoso.com");
    let text = [
        line("users().list()", s.users().list().to_request()),
        line("users().by_key(..).get()", user.get().to_request()),
        line(
            "users().by_key(..).invalidate_all_refresh_tokens()",
            user.invalidate_all_refresh_tokens().to_request(),
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
