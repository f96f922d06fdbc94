// Null checks only on nullable properties: `id` is a key (`Nullable="false"`).
use graph_directory::microsoft_graph::User;

fn main() {
    let _ = User::ID.is_null();
}
