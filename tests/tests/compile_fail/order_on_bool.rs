// `gt`, `ge`, `lt`, `le` need ordered values: `accountEnabled` is an `Edm.Boolean`.
use graph_directory::microsoft_graph::User;

fn main() {
    let _ = User::ACCOUNT_ENABLED.gt(false);
}
