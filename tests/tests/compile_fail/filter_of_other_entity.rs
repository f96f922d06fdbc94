// A filter over users is not a filter over groups.
use graph_directory::microsoft_graph::User;
use graph_directory::microsoft_graph::requests::GraphService;
use odata_runtime::prelude::*;

fn main() {
    let g = GraphService::new("https://graph.microsoft.com/v1.0");
    let _ = g.groups().list().filter(User::DISPLAY_NAME.eq("a"));
}
