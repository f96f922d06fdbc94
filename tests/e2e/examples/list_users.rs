//! The README's example: list users with `$select`, follow `manager`, call
//! `checkMemberGroups`, with reqwest's blocking client. Run it against the test server:
//! `python3 tests/e2e/server.py schemas/graph-directory.xml --ignore-stdin` in one shell, then
//! `cargo run -p odata-e2e-tests --example list_users -- http://127.0.0.1:PORT/`.

use graph_directory::microsoft_graph::AnyDirectoryObject;
use graph_directory::microsoft_graph::User;
use graph_directory::microsoft_graph::requests::GraphService;
use odata_runtime::prelude::*; // get, list, update, delete, create, count, cast, references

fn main() -> Result<(), odata_runtime::Error> {
    let client = odata_runtime::client::reqwest_blocking_client(); // retries 429/503/504
    let root = std::env::args()
        .nth(1)
        .unwrap_or("https://graph.microsoft.com/v1.0".into());
    let graph = GraphService::new(&root).with_header(
        "Authorization",
        &format!("Bearer {}", std::env::var("TOKEN").unwrap_or_default()),
    );

    // GET /users?$select=id,displayName, following @odata.nextLink page after page.
    for user in graph
        .users()
        .list()
        .select((User::ID, User::DISPLAY_NAME))
        .items(&client)?
    {
        let user = user?;
        let id = user.id.as_deref().unwrap_or_default();
        // GET /users('id')/manager: a directoryObject, typed by its @odata.type.
        match graph
            .users()
            .by_key(id)
            .manager()
            .get()
            .send_blocking(&client)
        {
            Ok(AnyDirectoryObject::User(m)) => println!("{id}: manager {:?}", m.display_name),
            Ok(other) => println!("{id}: managed by {other:?}"),
            Err(e) if e.is_not_found() => println!("{id}: no manager"),
            Err(e) => return Err(e),
        }
        // POST /users('id')/microsoft.graph.checkMemberGroups {"groupIds": [...]}
        let groups = graph
            .users()
            .by_key(id)
            .check_member_groups(vec!["g-eng".into(), "g-all".into()])
            .send_blocking(&client)?;
        println!("{id}: member of {:?}", groups.value);
    }
    Ok(())
}
