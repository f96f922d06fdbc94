//! `for_create` on the checked-in crates: the required properties of `microsoft.graph.user`
//! (five, from the documentation tables; `onPremisesImmutableId` is required only for a
//! federated domain, so it is not one of them) are given by name, in `UserRequired`.

use graph_directory::microsoft_graph as graph;

#[test]
fn many_required_properties_are_given_by_name() {
    let user = graph::User::for_create(graph::UserRequired {
        account_enabled: true,
        display_name: "Adele Vance".into(),
        mail_nickname: "adelev".into(),
        password_profile: graph::PasswordProfile {
            password: Some("x".into()),
            ..Default::default()
        },
        user_principal_name: "adelev@contoso.com".into(),
    });
    let json = serde_json::to_value(&user).unwrap();
    for key in [
        "accountEnabled",
        "displayName",
        "mailNickname",
        "passwordProfile",
        "userPrincipalName",
    ] {
        assert!(json.get(key).is_some(), "{key} missing from {json}");
    }
    assert!(json.get("onPremisesImmutableId").is_none());
}
