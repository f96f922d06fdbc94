// `then` reaches the properties of the complex type: `passwordProfile/password` is not a
// property of `employeeOrgData`.
use graph_directory::microsoft_graph::{PasswordProfile, User};

fn main() {
    let _ = User::EMPLOYEE_ORG_DATA.then(PasswordProfile::PASSWORD);
}
