//! `edmx:Reference` to a local file is followed and its types are generated; a vocabulary
//! reference that cannot be read is fine while only annotations use it; a type from it is
//! untyped JSON with a warning (an error with `--strict`).

use std::path::Path;

const TYPES: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Shared.Types" Alias="st" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="Address"><Property Name="City" Type="Edm.String"/></ComplexType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

fn main_doc(type_ref: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:Reference Uri="types.xml">
    <edmx:Include Namespace="Shared.Types" Alias="st"/>
  </edmx:Reference>
  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">
    <edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/>
  </edmx:Reference>
  <edmx:Reference Uri="https://example.invalid/Missing.xml">
    <edmx:Include Namespace="Missing.Types" Alias="mt"/>
  </edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="Main" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="Person">
        <Key><PropertyRef Name="Id"/></Key>
        <Property Name="Id" Type="Edm.Int32" Nullable="false"/>
        <Property Name="Home" Type="{type_ref}">
          <Annotation Term="Core.Description" String="Where the person lives."/>
        </Property>
      </EntityType>
      <EntityContainer Name="Service"><EntitySet Name="People" EntityType="Main.Person"/></EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#
    )
}

/// Writes `dir/file` as a V4 document with one schema (`schema`: its attributes) holding `body`.
fn schema_doc(dir: &Path, file: &str, schema: &str, body: &str) -> std::path::PathBuf {
    let path = dir.join(file);
    std::fs::write(
        &path,
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema {schema} xmlns="http://docs.oasis-open.org/odata/ns/edm">
{body}
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#
        ),
    )
    .unwrap();
    path
}

fn write(dir: &Path, main: &str) -> std::path::PathBuf {
    std::fs::write(dir.join("types.xml"), TYPES).unwrap();
    let p = dir.join("main.xml");
    std::fs::write(&p, main).unwrap();
    p
}

#[test]
fn types_from_a_local_reference_are_generated() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(dir.path(), &main_doc("st.Address"));
    let generated =
        odata_codegen::generate(&odata_codegen::Settings::new([&main])).expect("generates");
    let shared = &generated.files["src/shared_types.rs"];
    assert!(shared.contains("pub struct Address"), "{shared}");
    let person = &generated.files["src/main.rs"];
    assert!(person.contains("super::shared_types::Address"), "{person}");
    assert!(person.contains("/// Where the person lives."), "{person}");
}

#[test]
fn a_type_from_an_unread_reference_is_a_located_warning_or_a_strict_error() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(dir.path(), &main_doc("mt.Address"));
    let check = |text: String, severity: &str| {
        assert!(
            text.starts_with(&format!("{}:17:9: {severity}:", main.display())),
            "{text}"
        );
        assert!(
            text.contains("`mt.Address`")
                && text.contains("Missing.Types")
                && text.contains("not loaded"),
            "{text}"
        );
    };
    // As for a type in a namespace the input lacks: the value is untyped JSON, with a warning.
    let generated =
        odata_codegen::generate(&odata_codegen::Settings::new([&main])).expect("generates");
    let warning = generated
        .warnings
        .iter()
        .find(|d| d.to_string().contains("mt.Address"))
        .expect("a warning");
    check(warning.to_string(), "warning");
    assert!(warning.to_string().contains("untyped JSON"), "{warning}");
    let person = &generated.files["src/main.rs"];
    assert!(person.contains("pub home: Option<rt::Json>"), "{person}");

    let mut strict = odata_codegen::Settings::new([&main]);
    strict.strict = true;
    let err = odata_codegen::generate(&strict).unwrap_err();
    let first = err
        .diagnostics()
        .iter()
        .find(|d| d.diagnostic.severity == odata_codegen::diag::Severity::Error)
        .expect("an error");
    check(first.to_string(), "error");
}

/// A type named through the alias of an `edmx:Include` (`lib.Address`) when the referenced
/// document declares its schema without that alias.
#[test]
fn an_include_alias_names_the_types_of_a_loaded_reference() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(
        dir.path(),
        &main_doc("lib.Address").replace(r#"Alias="st"/>"#, r#"Alias="lib"/>"#),
    );
    std::fs::write(
        dir.path().join("types.xml"),
        TYPES.replace(r#" Alias="st""#, ""),
    )
    .unwrap();
    let generated =
        odata_codegen::generate(&odata_codegen::Settings::new([&main])).expect("generates");
    let person = &generated.files["src/main.rs"];
    assert!(person.contains("super::shared_types::Address"), "{person}");
}

#[test]
fn external_annotations_target_overloads_bound_to_collections() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("ops.xml");
    std::fs::write(
        &p,
        r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="ns" Alias="a" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EntityType Name="t"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
  <Function Name="f" IsBound="true"><Parameter Name="b" Type="Collection(a.t)"/><ReturnType Type="Edm.Int32"/></Function>
  <Function Name="f" IsBound="true"><Parameter Name="b" Type="a.t"/><ReturnType Type="Edm.Int32"/></Function>
  <Annotations Target="ns.f(Collection(ns.t))"><Annotation Term="Org.OData.Core.V1.Description" String="on collections"/></Annotations>
  <Annotations Target="ns.f(ns.t)"><Annotation Term="Org.OData.Core.V1.Description" String="on one"/></Annotations>
</Schema></edmx:DataServices></edmx:Edmx>"#,
    )
    .unwrap();
    let (model, diags) = odata_codegen::load(&[p]);
    assert!(diags.is_empty(), "{diags:?}");
    use odata_codegen::model::NodeRef;
    let resolved: Vec<Option<NodeRef>> =
        model.annotation_blocks.iter().map(|b| b.resolved).collect();
    assert_eq!(
        resolved,
        [
            Some(NodeRef::Operation(odata_codegen::model::OperationId(0))),
            Some(NodeRef::Operation(odata_codegen::model::OperationId(1)))
        ]
    );
}

/// A target without an overload signature applies to every overload (CSDL 4.0, 14.1.1): the
/// operation's, and a parameter's where the overload has that parameter.
#[test]
fn a_target_without_signature_annotates_every_overload() {
    let (model, diags) = odata_codegen::load_from_bytes(
        "overloads.xml",
        br#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="ns" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <Function Name="f"><Parameter Name="x" Type="Edm.Int32"/><ReturnType Type="Edm.Int32"/></Function>
  <Function Name="f"><Parameter Name="x" Type="Edm.String"/><Parameter Name="y" Type="Edm.String"/><ReturnType Type="Edm.Int32"/></Function>
  <Function Name="f"><Parameter Name="z" Type="Edm.Boolean"/><ReturnType Type="Edm.Int32"/></Function>
  <Annotations Target="ns.f"><Annotation Term="Org.OData.Core.V1.Description" String="all"/></Annotations>
  <Annotations Target="ns.f/x"><Annotation Term="Org.OData.Core.V1.Description" String="every x"/></Annotations>
  <Annotations Target="ns.f(Edm.Boolean)"><Annotation Term="Org.OData.Core.V1.Description" String="one"/></Annotations>
</Schema></edmx:DataServices></edmx:Edmx>"#,
    );
    assert!(diags.is_empty(), "{diags:?}");
    use odata_codegen::model::{NodeRef, OperationId};
    let annotated: Vec<NodeRef> = model.external.keys().copied().collect();
    assert_eq!(
        annotated,
        [
            NodeRef::Operation(OperationId(0)),
            NodeRef::Operation(OperationId(1)),
            NodeRef::Operation(OperationId(2)),
            NodeRef::Parameter(OperationId(0), 0),
            NodeRef::Parameter(OperationId(1), 0),
        ]
    );
    assert_eq!(
        model.external[&NodeRef::Operation(OperationId(2))].len(),
        2,
        "all, and its own"
    );
    assert_eq!(model.external[&NodeRef::Operation(OperationId(1))].len(), 1);
}

/// V2/V3 name an extended container without its namespace (MC-CSDL; odata4j's test services):
/// the container of that name in the same schema, whose entity sets the extending one has too.
#[test]
fn a_v2_container_extends_one_named_without_namespace() {
    let (model, diags) = odata_codegen::load_from_bytes(
        "containers.xml",
        br#"<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">
<edmx:DataServices m:DataServiceVersion="2.0" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
<Schema Namespace="Example" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">
  <EntityType Name="T"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.Int32" Nullable="false"/></EntityType>
  <EntityContainer Name="Container" m:IsDefaultEntityContainer="true"><EntitySet Name="Ts" EntityType="Example.T"/></EntityContainer>
  <EntityContainer Name="Container2" Extends="Container"><EntitySet Name="More" EntityType="Example.T"/></EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>"#,
    );
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        model.containers[1].extends,
        Some(odata_codegen::model::ContainerId(0))
    );
}

/// V3 annotation targets name a function import through its container, with the types of all
/// its parameters, the binding one included (SharePoint: `SP.ApiData/JoinGroup(SP.Directory.
/// DirectorySession, Edm.Guid)`), or empty parentheses; a bindable one is an operation without
/// an import.
#[test]
fn v3_targets_name_function_imports_with_their_signature() {
    let (model, diags) = odata_codegen::load_from_bytes(
        "v3.xml",
        br#"<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">
<edmx:DataServices m:DataServiceVersion="3.0" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
<Schema Namespace="SP" xmlns="http://schemas.microsoft.com/ado/2009/11/edm">
  <EntityType Name="Session"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.Guid" Nullable="false"/></EntityType>
  <EntityContainer Name="ApiData" m:IsDefaultEntityContainer="true">
    <EntitySet Name="Sessions" EntityType="SP.Session"/>
    <FunctionImport Name="Join" ReturnType="Edm.Boolean" IsBindable="true" IsSideEffecting="true">
      <Parameter Name="this" Type="SP.Session"/><Parameter Name="group" Type="Edm.Guid"/>
    </FunctionImport>
    <FunctionImport Name="Join" ReturnType="Edm.Boolean" IsBindable="true" IsSideEffecting="true">
      <Parameter Name="this" Type="SP.Session"/><Parameter Name="name" Type="Edm.String"/>
    </FunctionImport>
    <FunctionImport Name="Ping" ReturnType="Edm.Int32" m:HttpMethod="GET"/>
  </EntityContainer>
  <Annotations Target="SP.ApiData/Join(SP.Session, Edm.String)"><ValueAnnotation Term="Org.OData.Core.V1.Description" String="by name"/></Annotations>
  <Annotations Target="SP.ApiData/Join(SP.Session,Edm.Guid)"><ValueAnnotation Term="Org.OData.Core.V1.Description" String="by id"/></Annotations>
  <Annotations Target="SP.ApiData/Join/name"><ValueAnnotation Term="Org.OData.Core.V1.Description" String="a parameter"/></Annotations>
  <Annotations Target="SP.ApiData/Ping()"><ValueAnnotation Term="Org.OData.Core.V1.Description" String="empty parentheses"/></Annotations>
  <Annotations Target="SP.ApiData/Ping"><ValueAnnotation Term="Org.OData.Core.V1.Description" String="no parentheses"/></Annotations>
  <Annotations Target="SP.ApiData/Join(SP.Session)"><ValueAnnotation Term="Org.OData.Core.V1.Description" String="no such overload"/></Annotations>
</Schema></edmx:DataServices></edmx:Edmx>"#,
    );
    use odata_codegen::model::{ContainerId, NodeRef, OperationId};
    let resolved: Vec<Option<NodeRef>> =
        model.annotation_blocks.iter().map(|b| b.resolved).collect();
    assert_eq!(
        resolved,
        [
            Some(NodeRef::Operation(OperationId(1))),
            Some(NodeRef::Operation(OperationId(0))),
            Some(NodeRef::Parameter(OperationId(1), 1)),
            Some(NodeRef::FunctionImport(ContainerId(0), 0)),
            Some(NodeRef::FunctionImport(ContainerId(0), 0)),
            None
        ],
        "{diags:?}"
    );
}

/// An input of annotations only (SAP's `*_VAN.xml`) gives an empty crate: a warning says what
/// is missing, naming what the annotations are for.
#[test]
fn annotations_alone_say_what_is_missing() {
    let (_, diags) = odata_codegen::load_from_bytes(
        "svc_VAN.xml",
        br#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="svc_van.annotation" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <Annotations Target="ZSVC.Travel/Agency"><Annotation Term="Org.OData.Core.V1.Description" String="x"/></Annotations>
  <Annotations Target="ZSVC.Travel"><Annotation Term="Org.OData.Core.V1.Description" String="y"/></Annotations>
</Schema></edmx:DataServices></edmx:Edmx>"#,
    );
    let text: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    assert!(
        text.iter().any(|t| t
            .contains("svc_VAN.xml:3:3: warning: the input holds only annotations (of `ZSVC`)")
            && t.contains("pass the `$metadata` they annotate as an input too")),
        "{text:#?}"
    );
}

/// `ns.Op/Param` without an overload signature names the parameter of the overload that has it,
/// not only of the first overload (SAP UI5's test services annotate `Create/CurrencyCode`, a
/// parameter of the second of two `Create` overloads).
#[test]
fn a_parameter_target_without_signature_finds_its_overload() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("ops.xml");
    std::fs::write(
        &p,
        r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="ns" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EntityType Name="a"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
  <EntityType Name="b"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
  <Action Name="Create" IsBound="true"><Parameter Name="it" Type="Collection(ns.a)"/><Parameter Name="Country" Type="Edm.String"/></Action>
  <Action Name="Create" IsBound="true"><Parameter Name="it" Type="Collection(ns.b)"/><Parameter Name="CurrencyCode" Type="Edm.String"/></Action>
  <Annotations Target="ns.Create/CurrencyCode"><Annotation Term="Org.OData.Core.V1.Description" String="ISO 4217"/></Annotations>
  <Annotations Target="ns.Create/Country"><Annotation Term="Org.OData.Core.V1.Description" String="ISO 3166"/></Annotations>
  <Annotations Target="ns.Create/Nothing"><Annotation Term="Org.OData.Core.V1.Description" String="none"/></Annotations>
</Schema></edmx:DataServices></edmx:Edmx>"#,
    )
    .unwrap();
    let (model, _) = odata_codegen::load(&[p]);
    use odata_codegen::model::{NodeRef, OperationId};
    let resolved: Vec<Option<NodeRef>> =
        model.annotation_blocks.iter().map(|b| b.resolved).collect();
    assert_eq!(
        resolved,
        [
            Some(NodeRef::Parameter(OperationId(1), 1)),
            Some(NodeRef::Parameter(OperationId(0), 1)),
            None
        ]
    );
}

/// Aliases belong to their document: two documents that each call their own schema `Self`
/// (SAP's services say `SAP__self`) resolve `Self.X` in their own schema, for property types,
/// base types and annotation targets.
#[test]
fn each_document_has_its_own_aliases() {
    let dir = tempfile::tempdir().unwrap();
    let first = schema_doc(
        dir.path(),
        "first.xml",
        r#"Namespace="First" Alias="Self""#,
        r#"      <ComplexType Name="Money"><Property Name="Amount" Type="Edm.Decimal"/></ComplexType>
      <ComplexType Name="Order"><Property Name="Total" Type="Self.Money"/></ComplexType>"#,
    );
    let second = schema_doc(
        dir.path(),
        "second.xml",
        r#"Namespace="Second" Alias="Self""#,
        r#"      <ComplexType Name="Point"><Property Name="Lat" Type="Edm.Double"/></ComplexType>
      <ComplexType Name="Place" BaseType="Self.Point"><Property Name="Near" Type="Self.Point"/></ComplexType>
      <Annotations Target="Self.Point/Lat"><Annotation Term="Org.OData.Core.V1.Description" String="Degrees north."/></Annotations>"#,
    );
    let generated = odata_codegen::generate(&odata_codegen::Settings::new([&first, &second]))
        .expect("generates");
    let first_rs = &generated.files["src/first.rs"];
    assert!(first_rs.contains("pub total: Option<Money>"), "{first_rs}");
    let second_rs = &generated.files["src/second.rs"];
    assert!(
        second_rs.contains("pub near: Option<AnyPoint>"),
        "{second_rs}"
    );
    let place = &second_rs[second_rs.find("pub struct Place").expect("Place")..];
    let place = &place[..place.find("\n}").expect("end of Place")];
    assert!(
        place.contains("pub lat: Option<f64>"),
        "the base type's property, inherited: {place}"
    );
    assert!(
        second_rs.contains("/// Degrees north."),
        "an annotation target: {second_rs}"
    );
    assert!(
        !generated
            .warnings
            .iter()
            .any(|w| w.to_string().contains("target")),
        "{:?}",
        generated.warnings
    );
}

/// `Self.` in a document that declares no alias `Self` is its own schema (with a warning), even
/// when another input calls its schema `Self`.
#[test]
fn an_undeclared_self_is_the_enclosing_schema_whatever_other_documents_say() {
    let dir = tempfile::tempdir().unwrap();
    let first = schema_doc(
        dir.path(),
        "first.xml",
        r#"Namespace="First" Alias="Self""#,
        r#"      <ComplexType Name="Money"><Property Name="Amount" Type="Edm.Decimal"/></ComplexType>"#,
    );
    let third = schema_doc(
        dir.path(),
        "third.xml",
        r#"Namespace="Third""#,
        r#"      <ComplexType Name="Money"><Property Name="Cents" Type="Edm.Int64"/></ComplexType>
      <ComplexType Name="Price"><Property Name="Value" Type="Self.Money"/></ComplexType>"#,
    );
    let generated = odata_codegen::generate(&odata_codegen::Settings::new([&first, &third]))
        .expect("generates");
    let third_rs = &generated.files["src/third.rs"];
    let price = &third_rs[third_rs.find("pub struct Price").expect("Price")..];
    assert!(
        price.contains("`Third.Money`") && !price.contains("super::first"),
        "{price}"
    );
    assert!(
        generated.warnings.iter().any(|w| w
            .to_string()
            .contains("alias `Self` in `Self.Money` is not declared")),
        "{:?}",
        generated.warnings
    );
}

/// An entity container's `Extends` and an action import's `Action`, named through the alias of
/// an `edmx:Include` (odata.net's multi-reference model: `Extends="GPS.GPSContainer"`), with the
/// referenced document passed too: the inherited entity set and the import are generated.
#[test]
fn extends_and_imports_through_an_include_alias() {
    let dir = tempfile::tempdir().unwrap();
    let gps = schema_doc(
        dir.path(),
        "gps.xml",
        r#"Namespace="Fleet.Gps""#,
        r#"      <EntityType Name="Position"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.Int32" Nullable="false"/></EntityType>
      <Action Name="Recalibrate"/>
      <EntityContainer Name="GpsContainer"><EntitySet Name="Positions" EntityType="Fleet.Gps.Position"/></EntityContainer>"#,
    );
    let main = dir.path().join("main.xml");
    std::fs::write(
        &main,
        r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:Reference Uri="gps.xml"><edmx:Include Namespace="Fleet.Gps" Alias="GPS"/></edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="Fleet" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="Truck"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.Int32" Nullable="false"/></EntityType>
      <EntityContainer Name="TruckService" Extends="GPS.GpsContainer">
        <EntitySet Name="Trucks" EntityType="Fleet.Truck"/>
        <ActionImport Name="Recalibrate" Action="GPS.Recalibrate"/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#,
    )
    .unwrap();
    let generated =
        odata_codegen::generate(&odata_codegen::Settings::new([&main, &gps])).expect("generates");
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let requests = &generated.files["src/fleet/requests.rs"];
    for method in ["pub fn trucks(", "pub fn positions(", "pub fn recalibrate("] {
        assert!(requests.contains(method), "{method}: {requests}");
    }
}

/// An annotation target that walks complex-typed properties (SAP RAP's
/// `SAP__self.T/__OperationControl/registerWorkflow`) names the property of the last complex
/// type when that type is used by that one property only: no warning, and its description
/// documents that field. Through a shared complex type it is not applied (a warning).
#[test]
fn a_target_through_complex_properties_names_the_inner_property() {
    let dir = tempfile::tempdir().unwrap();
    let doc = schema_doc(
        dir.path(),
        "rap.xml",
        r#"Namespace="Shop" Alias="SAP__self""#,
        r#"      <EntityType Name="Order"><Key><PropertyRef Name="Id"/></Key>
        <Property Name="Id" Type="Edm.Int32" Nullable="false"/>
        <Property Name="__OperationControl" Type="Shop.OrderControl"/>
        <Property Name="Home" Type="Shop.Address"/>
        <Property Name="Work" Type="Shop.Address"/>
      </EntityType>
      <ComplexType Name="OrderControl"><Property Name="approve" Type="Edm.Boolean"/></ComplexType>
      <ComplexType Name="Address"><Property Name="Street" Type="Edm.String"/></ComplexType>
      <Annotations Target="SAP__self.Order/Home/Street">
        <Annotation Term="Org.OData.Core.V1.Computed"/>
      </Annotations>
      <Annotations Target="SAP__self.Order/__OperationControl/approve">
        <Annotation Term="Org.OData.Core.V1.Description" String="Whether approve is available."/>
      </Annotations>
      <Annotations Target="SAP__self.Order/Id/approve">
        <Annotation Term="Org.OData.Core.V1.Description" String="Id is not complex."/>
      </Annotations>"#,
    );
    let generated =
        odata_codegen::generate(&odata_codegen::Settings::new([&doc])).expect("generates");
    let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
    // `Address` is the type of two properties: `Computed` on its `Street` through one of them
    // would make the other's read-only too. Not applied, with the warning.
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains("`SAP__self.Order/Home/Street`"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].contains("`SAP__self.Order/Id/approve`"),
        "{warnings:?}"
    );
    let shop = &generated.files["src/shop.rs"];
    let address = &shop[shop
        .find("impl rt::Structured for Address")
        .expect("Address")..];
    assert!(address.contains("read_only: &[],"), "{address}");
    let control = &shop[shop.find("pub struct OrderControl").expect("OrderControl")..];
    assert!(
        control.contains("/// Whether approve is available.\n    ///\n    /// `approve`: `Edm.Boolean`.\n    pub approve: Option<bool>"),
        "{control}"
    );
}

/// `ns.Act()/Param`: an action's parentheses hold only its binding parameter's type, so empty
/// ones name the unbound action, whatever parameters it has (SAP's V4 services annotate
/// parameters this way).
#[test]
fn empty_parentheses_name_the_unbound_action() {
    let dir = tempfile::tempdir().unwrap();
    let doc = schema_doc(
        dir.path(),
        "act.xml",
        r#"Namespace="Shop""#,
        r#"      <Action Name="Notify"><Parameter Name="MessageText" Type="Edm.String"/></Action>
      <EntityContainer Name="Service"><ActionImport Name="Notify" Action="Shop.Notify"/></EntityContainer>
      <Annotations Target="Shop.Notify()/MessageText">
        <Annotation Term="Org.OData.Core.V1.Description" String="What to tell."/>
      </Annotations>
      <Annotations Target="Shop.Notify(Shop.Nothing)/MessageText">
        <Annotation Term="Org.OData.Core.V1.Description" String="No such overload."/>
      </Annotations>"#,
    );
    let generated =
        odata_codegen::generate(&odata_codegen::Settings::new([&doc])).expect("generates");
    let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("`Shop.Notify(Shop.Nothing)/MessageText`"),
        "{warnings:?}"
    );
}

/// An import's `Self.` is its own document's schema only: an operation of that name in
/// another document whose schema is also `Self` is not imported.
#[test]
fn an_import_reads_its_own_documents_alias_only() {
    let dir = tempfile::tempdir().unwrap();
    let one = schema_doc(
        dir.path(),
        "one.xml",
        r#"Namespace="One" Alias="Self""#,
        r#"      <EntityContainer Name="Service"><ActionImport Name="Ping" Action="Self.Ping"/></EntityContainer>"#,
    );
    let two = schema_doc(
        dir.path(),
        "two.xml",
        r#"Namespace="Two" Alias="Self""#,
        r#"      <Action Name="Ping"/>"#,
    );
    let generated =
        odata_codegen::generate(&odata_codegen::Settings::new([&one, &two])).expect("generates");
    let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("operation import `Ping` names unknown unbound operation")),
        "{warnings:?}"
    );
    let requests = &generated.files["src/one/requests.rs"];
    assert!(!requests.contains("pub fn ping("), "{requests}");
}
