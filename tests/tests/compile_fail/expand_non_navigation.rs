// `$expand` takes navigation properties: `employeeOrgData` is a complex property.
use graph_directory::microsoft_graph::User;
use graph_directory::microsoft_graph::requests::GraphService;
use odata_runtime::prelude::*;

fn main() {
    let g = GraphService::new("https://graph.microsoft.com/v1.0");
    let _ = g.users().list().expand_with(User::EMPLOYEE_ORG_DATA, |e| e);
}
