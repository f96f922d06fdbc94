// `$orderby` takes primitive or enum values: `proxyAddresses` is a collection.
use graph_directory::microsoft_graph::User;
use graph_directory::microsoft_graph::requests::GraphService;
use odata_runtime::prelude::*;

fn main() {
    let g = GraphService::new("https://graph.microsoft.com/v1.0");
    let _ = g.users().list().orderby(User::PROXY_ADDRESSES);
}
