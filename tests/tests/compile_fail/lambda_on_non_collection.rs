// `any`/`all` only over collections: `displayName` is a single string.
use graph_directory::microsoft_graph::User;

fn main() {
    let _ = User::DISPLAY_NAME.any(|x| x.eq("a"));
}
