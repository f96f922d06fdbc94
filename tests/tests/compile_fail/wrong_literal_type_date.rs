// `createdDateTime` is an `Edm.DateTimeOffset`: it compares with dates, not with text.
use graph_directory::microsoft_graph::User;

fn main() {
    let _ = User::CREATED_DATE_TIME.ge("2026-01-01T00:00:00Z");
}
