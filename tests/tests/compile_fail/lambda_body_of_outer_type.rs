// The inner expression of a lambda is over the item (`x0`), not over the outer entity.
use graph_directory::microsoft_graph::User;

fn main() {
    let _ = User::MEMBER_OF.any(|_group| User::DISPLAY_NAME.eq("a"));
}
