//! Vendors' own attributes and elements in real `$metadata`: what they mean for generated
//! code, and that they are kept without noise.

use odata_codegen::csdl::write_csdl;

fn generate(xml: &str) -> odata_codegen::Generated {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("svc.xml");
    std::fs::write(&p, xml).unwrap();
    odata_codegen::generate(&odata_codegen::Settings::new([&p])).expect("generates")
}

/// A V2 document whose `sap:` prefix is bound to `sap_ns`, with an entity of a key set once
/// (`creatable`, not `updatable`), a server-set time stamp (neither) and a name (both).
fn v2(sap_ns: &str, set_body: &str) -> String {
    format!(
        r#"<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">
<edmx:DataServices m:DataServiceVersion="2.0" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
<Schema Namespace="SFOData" xmlns="http://schemas.microsoft.com/ado/2008/09/edm" xmlns:sap="{sap_ns}">
  <EntityType Name="User">
    <Key><PropertyRef Name="userId"/></Key>
    <Property Name="userId" Type="Edm.String" Nullable="false" sap:creatable="true" sap:updatable="false" sap:upsertable="true"/>
    <Property Name="lastModifiedDateTime" Type="Edm.DateTimeOffset" sap:creatable="false" sap:updatable="false"/>
    <Property Name="firstName" Type="Edm.String" sap:creatable="true" sap:updatable="true"/>
  </EntityType>
  <EntityContainer Name="EntityContainer" m:IsDefaultEntityContainer="true">
    <EntitySet Name="User" EntityType="SFOData.User" sap:creatable="true" sap:deletable="false">{set_body}</EntitySet>
  </EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>"#
    )
}

const SAP_GATEWAY: &str = "http://www.sap.com/Protocols/SAPData";
const SUCCESSFACTORS: &str = "http://www.successfactors.com/edm/sap";

/// The writability a generated type's description gives its properties (in declaration order:
/// `userId` 0, `lastModifiedDateTime` 1, `firstName` 2).
fn writability(files: &std::collections::BTreeMap<String, String>) -> (String, String) {
    let types = &files["src/sfo_data.rs"];
    let field = |name: &str| {
        let at = types
            .find(&format!("{name}: &["))
            .unwrap_or_else(|| panic!("{types}"));
        let rest = &types[at..];
        rest[..rest.find(']').unwrap() + 1].to_string()
    };
    (field("read_only"), field("immutable"))
}

#[test]
fn successfactors_sap_attributes_mean_what_sap_gateways_do() {
    let gateway = generate(&v2(SAP_GATEWAY, ""));
    let sf = generate(&v2(SUCCESSFACTORS, ""));
    // The time stamp is left out of create and update bodies, the key out of update bodies.
    let want = ("read_only: &[1]".to_string(), "immutable: &[0]".to_string());
    assert_eq!(writability(&gateway.files), want);
    assert_eq!(writability(&sf.files), want);
    // And the service is one that wants a CSRF token on writes.
    let csrf = "odata_runtime::Csrf::for_service";
    assert!(sf.files["src/sfo_data/requests.rs"].contains(csrf));
    // Another namespace bound to `sap` is not SAP's.
    let other = generate(&v2("urn:example:not-sap", ""));
    assert_eq!(
        writability(&other.files),
        ("read_only: &[]".to_string(), "immutable: &[]".to_string())
    );
}

#[test]
fn successfactors_tags_in_documentation_are_kept_without_warnings() {
    let tags = r#"<Documentation><Summary>Users</Summary>
      <sap:tagcollection><sap:tag>Employee Central (EC)</sap:tag><sap:tag>User Management</sap:tag></sap:tagcollection>
    </Documentation>"#;
    let g = generate(&v2(SUCCESSFACTORS, tags));
    assert!(g.warnings.is_empty(), "{:#?}", g.warnings);
    // The summary is the set's description; the tags are written back by `--emit-csdl`.
    let csdl = write_csdl(&g.model);
    assert!(csdl.contains(r#"String="Users""#), "{csdl}");
    let tagged = csdl.find("<sap:tagcollection>").expect(&csdl);
    assert!(
        csdl[tagged..].contains("<sap:tag>Employee Central (EC)</sap:tag>"),
        "{csdl}"
    );
    // An unknown CSDL element in `Documentation` is still reported.
    let g = generate(&v2(
        SUCCESSFACTORS,
        "<Documentation><Sumary>Users</Sumary></Documentation>",
    ));
    assert!(
        g.warnings.iter().any(|w| w
            .diagnostic
            .text()
            .contains("unknown element `Sumary` in `Documentation`")),
        "{:#?}",
        g.warnings
    );
}
