//! `Settings::nullable_items`: what it changes in the model (and so in `--emit-csdl`'s output),
//! and what it leaves as declared.

use odata_codegen::csdl::write_csdl;

#[test]
fn nullable_items_marks_collections_of_values_not_entities_nor_parameters() {
    let xml = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="N" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EntityType Name="Person"><Key><PropertyRef Name="Id"/></Key>
    <Property Name="Id" Type="Edm.Int32" Nullable="false"/>
    <Property Name="Emails" Type="Collection(Edm.String)"/>
    <Property Name="Phones" Type="Collection(Edm.String)" Nullable="false"/>
  </EntityType>
  <Function Name="Oldest"><ReturnType Type="Collection(N.Person)"/></Function>
  <Function Name="Tags"><Parameter Name="Prefixes" Type="Collection(Edm.String)"/><ReturnType Type="Collection(Edm.String)"/></Function>
  <EntityContainer Name="C"><EntitySet Name="People" EntityType="N.Person"/></EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>"#;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("svc.xml");
    std::fs::write(&p, xml).unwrap();
    let mut settings = odata_codegen::Settings::new([&p]);
    settings.nullable_items = true;
    let model = odata_codegen::generate(&settings).expect("generates").model;
    let nullable = |name: &str| {
        model
            .properties
            .iter()
            .find(|q| q.name == name)
            .unwrap()
            .facets
            .nullable
    };
    assert_eq!(nullable("Emails"), Some(true));
    assert_eq!(nullable("Phones"), Some(false));
    let op = |name: &str| model.operations.iter().find(|o| o.name == name).unwrap();
    assert_eq!(
        op("Tags").return_type.as_ref().unwrap().facets.nullable,
        Some(true)
    );
    assert_eq!(op("Tags").parameters[0].facets.nullable, None);
    // A result set holds no null entity, and CSDL forbids `Nullable` on such a result.
    assert_eq!(
        op("Oldest").return_type.as_ref().unwrap().facets.nullable,
        None
    );
    let csdl = write_csdl(&model);
    assert!(
        csdl.contains(r#"<ReturnType Type="Collection(N.Person)"/>"#),
        "{csdl}"
    );
}
