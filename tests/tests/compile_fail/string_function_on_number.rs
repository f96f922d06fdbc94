// String functions only on strings: `height` is an `Edm.Int32`.
use graph_directory::microsoft_graph::ProfilePhoto;

fn main() {
    let _ = ProfilePhoto::HEIGHT.contains("4");
}
