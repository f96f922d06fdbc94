// A comparison takes a literal of the property's type: `displayName` is a string.
use graph_directory::microsoft_graph::User;

fn main() {
    let _ = User::DISPLAY_NAME.eq(42);
}
