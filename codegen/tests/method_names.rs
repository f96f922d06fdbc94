//! Names of generated methods that differ from what the document suggests say why in their
//! rustdoc, and only then; a key path without an `Alias` is addressed by its last segment.

fn generate(xml: &str) -> std::collections::BTreeMap<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("svc.xml");
    std::fs::write(&p, xml).unwrap();
    odata_codegen::generate(&odata_codegen::Settings::new([&p]))
        .expect("generates")
        .files
}

const OPS: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="Main" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EntityType Name="Thing"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.Int32" Nullable="false"/></EntityType>
  <Function Name="GetTopThings"><ReturnType Type="Collection(Main.Thing)"/></Function>
  <Action Name="Create" IsBound="true"><Parameter Name="it" Type="Collection(Main.Thing)"/><ReturnType Type="Main.Thing"/></Action>
  <EntityContainer Name="C">
    <EntitySet Name="Things" EntityType="Main.Thing"/>
    <FunctionImport Name="Top" Function="Main.GetTopThings" EntitySet="Things"/>
  </EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>"#;

#[test]
fn a_renamed_method_says_so_and_an_import_named_otherwise_does_not() {
    let files = generate(OPS);
    let requests = &files["src/main/requests.rs"];
    // The import is `top`, its function `GetTopThings`: nothing was renamed.
    assert!(requests.contains("pub fn top("), "{requests}");
    assert!(!requests.contains("Named `top`"), "{requests}");
    // The collection-bound action `Create` meets the builders' own `create`.
    let at = requests.find("pub fn create_2(").expect("create_2");
    let doc = &requests[..at];
    let doc = &doc[doc.rfind("/// `POST").expect("its doc")..];
    assert!(
        doc.contains("Named `create_2`: `create` is taken by another method of this builder."),
        "{doc}"
    );
}

#[test]
fn a_key_path_without_alias_is_named_by_its_last_segment() {
    let files = generate(
        r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="Depot" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <ComplexType Name="Tag"><Property Name="Serial" Type="Edm.Int32" Nullable="false"/></ComplexType>
  <EntityType Name="Crate"><Key><PropertyRef Name="Tag/Serial"/></Key><Property Name="Tag" Type="Depot.Tag" Nullable="false"/></EntityType>
  <EntityContainer Name="C"><EntitySet Name="Crates" EntityType="Depot.Crate"/></EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>"#,
    );
    let requests = &files["src/depot/requests.rs"];
    assert!(
        requests.contains("pub fn by_key(&self, serial: i32)"),
        "{requests}"
    );
    assert!(
        requests.contains(r#"("Serial", &serial as &dyn rt::Literal)"#),
        "{requests}"
    );
}

#[test]
fn an_operation_bound_to_what_has_no_builder_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("svc.xml");
    std::fs::write(
        &p,
        r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="Main" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <ComplexType Name="Box"><Property Name="N" Type="Edm.Int64"/></ComplexType>
  <Function Name="increment" IsBound="true"><Parameter Name="a" Type="Edm.Int64"/><ReturnType Type="Edm.Int64"/></Function>
  <Action Name="pack" IsBound="true"><Parameter Name="b" Type="Collection(Main.Box)"/></Action>
</Schema></edmx:DataServices></edmx:Edmx>"#,
    )
    .unwrap();
    let (_, diags) = odata_codegen::load(&[p]);
    let text: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    for (op, on) in [("increment", "Edm.Int64"), ("pack", "Collection(Main.Box)")] {
        let want = format!("operation `{op}` is bound to `{on}`, which has no request builder");
        assert!(
            text.iter()
                .any(|t| t.contains(&want) && t.contains("no method is generated")),
            "{text:#?}"
        );
    }
}

#[test]
fn the_root_of_an_sap_service_says_how_to_write() {
    let doc = |sap: &str| {
        let files = generate(&format!(
            r#"<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" xmlns:sap="http://www.sap.com/Protocols/SAPData">
<edmx:DataServices m:DataServiceVersion="2.0" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
<Schema Namespace="ZSRV" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">
  <EntityType Name="Order"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.String" Nullable="false"/></EntityType>
  <EntityContainer Name="ZSRV_Entities" m:IsDefaultEntityContainer="true"><EntitySet Name="Orders" EntityType="ZSRV.Order" {sap}/></EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>"#
        ));
        files["src/zsrv/requests.rs"].clone()
    };
    let csrf = "send writes through `odata_runtime::Csrf::for_service(client, svc.path())`";
    assert!(doc(r#"sap:creatable="true" sap:content-version="1""#).contains(csrf));
    assert!(!doc("").contains(csrf));
}

#[test]
fn v2_service_operations_use_their_http_method() {
    let xml = r#"<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">
<edmx:DataServices m:DataServiceVersion="2.0" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
<Schema Namespace="S" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">
  <EntityContainer Name="C" m:IsDefaultEntityContainer="true">
    <FunctionImport Name="fPUT" ReturnType="Edm.String" m:HttpMethod="PUT"/>
    <FunctionImport Name="fMERGE" ReturnType="Edm.String" m:HttpMethod="merge"/>
    <FunctionImport Name="fDELETE" m:HttpMethod="DELETE"/>
    <FunctionImport Name="fPROXY" ReturnType="Edm.String" m:HttpMethod="PROXY"/>
  </EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>"#;
    let requests = &generate(xml)["src/s/requests.rs"];
    for (name, method, shown) in [
        ("f_put", "Put", "PUT"),
        ("f_merge", "Merge", "MERGE"),
        ("f_delete", "Delete", "DELETE"),
        ("f_proxy", "Post", "POST"),
    ] {
        let at = requests.find(&format!("pub fn {name}(")).expect(name);
        let body = &requests[at..at + requests[at..].find("\n    }").unwrap()];
        assert!(
            body.contains(&format!("rt::Method::{method}")),
            "{name}: {body}"
        );
        let doc = &requests[..at];
        let doc = &doc[doc.rfind("/// `").unwrap()..];
        assert!(
            doc.starts_with(&format!("/// `{shown} …/")),
            "{name}: {doc}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("svc.xml");
    std::fs::write(&p, xml).unwrap();
    let (_, diags) = odata_codegen::load(&[p]);
    let text: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    assert!(
        text.iter().any(|t| t
            .contains("`m:HttpMethod=\"PROXY\"` is not an HTTP method a client sends")
            && t.contains("it is called with POST")),
        "{text:#?}"
    );
    assert_eq!(text.len(), 1, "{text:#?}");
}
