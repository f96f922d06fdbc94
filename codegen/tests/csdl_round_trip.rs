//! Round trip through the model: for every `*.xml` of the shared corpus and of `schemas/`,
//! read → [`write_csdl`] → read again gives an equal model, and writing that model again gives
//! the same document.
//!
//! Both models are normalised into lines keyed by qualified names (not ids). Ignored, or mapped
//! before comparing, because the CSDL 4.0 form legitimately represents them differently (the
//! same list is in the README and in `src/csdl.rs`):
//! - source positions, Rust names, resolved ids, the files' OData/EDMX/data-service versions and
//!   whether a reference was loaded;
//! - V2/V3 `Association` / `AssociationSet` (`model.associations`, `model.association_sets`,
//!   `NavigationProperty::association`): their content is compared through the navigation
//!   properties and bindings they were lowered into;
//! - V2/V3 `FunctionImport` origin: `IsSideEffecting` / `IsBindable` are compared as the
//!   operation kind and `IsBound`; `m:HttpMethod` as a foreign attribute of the operation;
//! - `FixedLength` and parameter `Mode` (V2/V3 only, not written);
//! - `ConcurrencyMode="Fixed"`: compared as the `Core.OptimisticConcurrency` annotation the writer
//!   adds to the entity sets of the type;
//! - `Edm.DateTime` → `Edm.DateTimeOffset`, `Edm.Time` → `Edm.TimeOfDay` (V2) / `Edm.Duration` (V3);
//! - the reference to the Core vocabulary the writer adds when the document uses Core terms
//!   without including them; identical references written once;
//! - foreign attribute prefixes (compared by namespace URI).

mod shared_data;

use odata_codegen::csdl::{self, write_csdl};
use odata_codegen::diag::{Diagnostics, Severity};
use odata_codegen::edmx;
use odata_codegen::model::*;
use std::collections::BTreeSet;
use std::path::Path;

/// Reads one document (references are not followed) and resolves it.
fn read(path: &Path, bytes: &[u8]) -> Result<Model, String> {
    let mut model = Model::default();
    let mut diags = Diagnostics::default();
    let ok = edmx::read_document(&mut model, path, bytes, &mut diags).is_some();
    let errors: Vec<String> = diags
        .items
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}:{}: {}", d.loc.line, d.loc.col, d.message))
        .collect();
    if !ok || !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    resolve::resolve(&mut model);
    Ok(model)
}

struct Norm<'m> {
    m: &'m Model,
    /// Whether this is the model read from the original (V2/V3 mappings apply).
    original: bool,
    out: Vec<String>,
}

fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    match v {
        Some(v) => v.to_string(),
        None => "-".into(),
    }
}

fn facets(f: &Facets) -> String {
    let f = Facets {
        fixed_length: None,
        ..f.clone()
    };
    format!("{f:?}")
}

impl<'m> Norm<'m> {
    fn version(&self, s: SchemaId) -> ODataVersion {
        self.m.files[self.m[s].file.0 as usize].version
    }

    fn ty(&self, t: &TypeRef, s: SchemaId) -> String {
        let name = match t.target {
            TypeTarget::Primitive(p) => csdl::v4_primitive(p, self.version(s)).edm_name(),
            TypeTarget::Type(id) => self.m.qualified_name(id),
            _ => t.name.clone(),
        };
        if t.collection {
            format!("Collection({name})")
        } else {
            name
        }
    }

    fn foreign(&mut self, path: &str, f: &[ForeignAttr], extra: &[(String, String)]) {
        let mut seen = BTreeSet::new();
        let mut items: Vec<(String, String)> = f
            .iter()
            .map(|a| (format!("{}|{}", a.namespace, a.name), a.value.clone()))
            .collect();
        items.extend(extra.iter().cloned());
        for (k, v) in items {
            if seen.insert(k.clone()) {
                self.out.push(format!("{path} foreign {k}={v:?}"));
            }
        }
    }

    fn anns(&mut self, path: &str, anns: &[Annotation]) {
        for (i, a) in anns.iter().enumerate() {
            self.out.push(format!("{path} @{i} {}", ann(a)));
        }
    }

    fn extras(&mut self, path: &str, x: &Extras) {
        self.foreign(path, &x.foreign, &[]);
        self.anns(path, &x.annotations);
        self.elements(path, &x.elements);
    }

    /// Foreign-namespace elements, compared by namespace URI (not prefix), with their
    /// attributes, trimmed text and children.
    fn elements(&mut self, path: &str, els: &[ForeignElement]) {
        fn show(e: &ForeignElement) -> String {
            let attrs: Vec<String> = e
                .attributes
                .iter()
                .map(|a| format!("{}|{}={:?}", a.namespace, a.name, a.value))
                .collect();
            let children: Vec<String> = e.children.iter().map(show).collect();
            format!(
                "<{}|{} {} {:?} [{}]>",
                e.namespace,
                e.name,
                attrs.join(" "),
                e.text.trim(),
                children.join(" ")
            )
        }
        for e in els {
            self.out.push(format!("{path} element {}", show(e)));
        }
    }

    fn run(mut self) -> Vec<String> {
        let m = self.m;
        // References (loaded ones are not written; identical ones are written once).
        let mut refs: Vec<String> = Vec::new();
        for f in &m.files {
            for r in &f.references {
                if r.loaded.is_some() {
                    continue;
                }
                let mut s = format!("ref {:?} {:?}", r.uri, foreign_str(&r.extras.foreign));
                for i in &r.includes {
                    s += &format!(
                        " include({} {} {:?} [{}])",
                        i.namespace,
                        opt(&i.alias),
                        foreign_str(&i.extras.foreign),
                        anns_str(&i.extras.annotations)
                    );
                }
                for i in &r.include_annotations {
                    s += &format!(
                        " include-annotations({} {} {})",
                        i.term_namespace,
                        opt(&i.qualifier),
                        opt(&i.target_namespace)
                    );
                }
                s += &format!(" [{}]", anns_str(&r.extras.annotations));
                if !refs.contains(&s) {
                    refs.push(s);
                }
            }
        }
        self.out.extend(refs);
        let mut file_foreign = Vec::new();
        for f in &m.files {
            file_foreign.extend(f.foreign.iter().cloned());
        }
        self.foreign("edmx", &file_foreign, &[]);

        for (si, s) in m.schemas.iter().enumerate() {
            let sid = SchemaId(si as u32);
            let sp = format!("schema[{si}] {}", s.namespace);
            self.out.push(format!("{sp} alias {}", opt(&s.alias)));
            self.extras(&sp, &s.extras);
            for &t in &s.types {
                self.ty_node(t);
            }
            for (oi, &o) in s.operations.iter().enumerate() {
                self.operation(&sp, oi, o);
            }
            for &c in &s.containers {
                self.container(c);
            }
            for &t in &s.terms {
                let term = &m[t];
                let p = format!("term {}.{}", s.namespace, term.name);
                self.out.push(format!(
                    "{p} type={} facets={} base={} default={:?} applies={:?}",
                    self.ty(&term.ty, sid),
                    facets(&term.facets),
                    opt(&term.base_term),
                    term.default_value,
                    term.applies_to
                ));
                self.extras(&p, &term.extras);
            }
            for (bi, &b) in s.annotation_blocks.iter().enumerate() {
                let b = &m[b];
                let p = format!(
                    "{sp} annotations[{bi}] target={:?} qualifier={}",
                    b.target,
                    opt(&b.qualifier)
                );
                self.out.push(p.clone());
                self.anns(&p, &b.annotations);
            }
        }
        self.out
    }

    fn ty_node(&mut self, t: TypeId) {
        let m = self.m;
        let ty = &m[t];
        let p = format!("type {}", m.qualified_name(t));
        match &ty.kind {
            TypeKind::Entity(st) | TypeKind::Complex(st) => {
                let keys: Vec<String> = st
                    .key
                    .iter()
                    .map(|k| format!("{}/{}", k.name, opt(&k.alias)))
                    .collect();
                self.out.push(format!(
                    "{p} {} base={} abstract={} open={} stream={} key={keys:?}",
                    ty.kind_name(),
                    st.base
                        .map(|b| m.qualified_name(b))
                        .unwrap_or_else(|| opt(&st.base_name)),
                    st.is_abstract,
                    st.open,
                    st.has_stream,
                ));
                for (i, &pid) in st.properties.iter().enumerate() {
                    let prop = &m[pid];
                    let pp = format!("{p}/prop[{i}] {}", prop.name);
                    self.out.push(format!(
                        "{pp} type={} facets={} default={:?}",
                        self.ty(&prop.ty, ty.schema),
                        facets(&prop.facets),
                        prop.default_value
                    ));
                    self.extras(&pp, &prop.extras);
                }
                for (i, &nid) in st.navigations.iter().enumerate() {
                    let nav = &m[nid];
                    let np = format!("{p}/nav[{i}] {}", nav.name);
                    self.out.push(format!(
                        "{np} type={} nullable={:?} partner={} contains={} on_delete={}",
                        self.ty(&nav.ty, ty.schema),
                        nav.nullable,
                        opt(&nav.partner_name),
                        nav.contains_target,
                        nav.on_delete
                            .as_ref()
                            .map(|d| d.action.clone())
                            .unwrap_or_default()
                    ));
                    for (ri, rc) in nav.referential_constraints.iter().enumerate() {
                        let rp =
                            format!("{np}/rc[{ri}] {}={}", rc.property, rc.referenced_property);
                        self.out.push(rp.clone());
                        self.extras(&rp, &rc.extras);
                    }
                    self.extras(&np, &nav.extras);
                }
            }
            TypeKind::Enum(e) => {
                self.out.push(format!(
                    "{p} enum underlying={:?}/{} flags={}",
                    e.underlying,
                    opt(&e.underlying_written),
                    e.is_flags
                ));
                for (i, mem) in e.members.iter().enumerate() {
                    let mp = format!(
                        "{p}/member[{i}] {}={} ({})",
                        mem.name,
                        mem.value,
                        opt(&mem.value_written)
                    );
                    self.out.push(mp.clone());
                    self.extras(&mp, &mem.extras);
                }
            }
            TypeKind::Definition(d) => {
                self.out.push(format!(
                    "{p} definition underlying={} facets={}",
                    self.ty(&d.underlying, ty.schema),
                    facets(&Facets {
                        nullable: None,
                        ..d.facets.clone()
                    })
                ));
            }
        }
        self.extras(&p, &ty.extras);
    }

    fn operation(&mut self, sp: &str, oi: usize, o: OperationId) {
        let m = self.m;
        let op = &m[o];
        let p = format!("{sp} op[{oi}] {:?} {}", op.kind, op.name);
        self.out.push(format!(
            "{p} bound={} entity_set_path={} composable={}",
            op.is_bound,
            opt(&op.entity_set_path),
            op.is_composable
        ));
        for (i, prm) in op.parameters.iter().enumerate() {
            let pp = format!("{p}/param[{i}] {}", prm.name);
            self.out.push(format!(
                "{pp} type={} facets={}",
                self.ty(&prm.ty, op.schema),
                facets(&prm.facets)
            ));
            self.extras(&pp, &prm.extras);
        }
        if let Some(r) = &op.return_type {
            let rp = format!("{p}/return");
            self.out.push(format!(
                "{rp} type={} facets={}",
                self.ty(&r.ty, op.schema),
                facets(&r.facets)
            ));
            self.extras(&rp, &r.extras);
        }
        let mut extra = Vec::new();
        if self.original
            && let Some(method) = op
                .function_import
                .as_ref()
                .and_then(|f| f.http_method.clone())
        {
            extra.push((
                "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata|HttpMethod"
                    .to_string(),
                method,
            ));
        }
        self.foreign(&p, &op.extras.foreign, &extra);
        self.anns(&p, &op.extras.annotations);
        self.elements(&p, &op.extras.elements);
    }

    fn container(&mut self, c: ContainerId) {
        let m = self.m;
        let ec = &m[c];
        let p = format!("container {}.{}", m[ec.schema].namespace, ec.name);
        self.out.push(format!(
            "{p} extends={} default={:?}",
            opt(&ec.extends_name),
            ec.is_default
        ));
        self.extras(&p, &ec.extras);
        for (i, s) in ec.entity_sets.iter().enumerate() {
            let sp = format!("{p}/set[{i}] {}", s.name);
            self.out.push(format!(
                "{sp} type={} include={:?} bindings={:?}",
                self.ty(&s.ty, ec.schema),
                s.include_in_service_document,
                bindings(&s.bindings)
            ));
            self.foreign(&sp, &s.extras.foreign, &[]);
            let mut anns = s.extras.annotations.clone();
            if self.original
                && let Some(a) = csdl::concurrency_annotation(m, s, |t| t.type_id())
            {
                anns.push(a);
            }
            self.anns(&sp, &anns);
            self.elements(&sp, &s.extras.elements);
        }
        for (i, s) in ec.singletons.iter().enumerate() {
            let sp = format!("{p}/singleton[{i}] {}", s.name);
            self.out.push(format!(
                "{sp} type={} nullable={:?} bindings={:?}",
                self.ty(&s.ty, ec.schema),
                s.nullable,
                bindings(&s.bindings)
            ));
            self.extras(&sp, &s.extras);
        }
        for (kind, list) in [
            ("action-import", &ec.action_imports),
            ("function-import", &ec.function_imports),
        ] {
            for (i, imp) in list.iter().enumerate() {
                let ip = format!("{p}/{kind}[{i}] {}", imp.name);
                self.out.push(format!(
                    "{ip} op={} set={} include={:?}",
                    imp.operation_name,
                    opt(&imp.entity_set),
                    imp.include_in_service_document
                ));
                self.extras(&ip, &imp.extras);
            }
        }
    }
}

fn bindings(b: &[NavigationPropertyBinding]) -> Vec<String> {
    b.iter()
        .map(|b| format!("{}->{}", b.path, b.target))
        .collect()
}

fn foreign_str(f: &[ForeignAttr]) -> Vec<String> {
    f.iter()
        .map(|a| format!("{}|{}={}", a.namespace, a.name, a.value))
        .collect()
}

fn anns_str(a: &[Annotation]) -> String {
    a.iter().map(ann).collect::<Vec<_>>().join(", ")
}

fn ann(a: &Annotation) -> String {
    let mut s = format!("{}#{}", a.term, opt(&a.qualifier));
    if let Some(v) = &a.value {
        s += &format!(" = {}", expr(v));
    }
    if !a.annotations.is_empty() {
        s += &format!(" {{{}}}", anns_str(&a.annotations));
    }
    s
}

fn expr(e: &Expr) -> String {
    match e {
        Expr::Constant(k, v) => format!("{k:?}({v:?})"),
        Expr::Path(k, v) => format!("{k:?}({v:?})"),
        Expr::Null => "Null".into(),
        Expr::Record {
            ty,
            properties,
            annotations,
        } => {
            let props: Vec<String> = properties
                .iter()
                .map(|p| {
                    format!(
                        "{}={} {{{}}}",
                        p.property,
                        p.value.as_ref().map(expr).unwrap_or_default(),
                        anns_str(&p.annotations)
                    )
                })
                .collect();
            format!(
                "Record<{}>({}) {{{}}}",
                opt(ty),
                props.join(", "),
                anns_str(annotations)
            )
        }
        Expr::Collection(items) => {
            let items: Vec<String> = items.iter().map(expr).collect();
            format!("[{}]", items.join(", "))
        }
        Expr::Element {
            name,
            attributes,
            children,
            annotations,
        } => {
            let children: Vec<String> = children.iter().map(expr).collect();
            format!(
                "{name}{attributes:?}({}) {{{}}}",
                children.join(", "),
                anns_str(annotations)
            )
        }
    }
}

fn normalise(m: &Model, original: bool) -> Vec<String> {
    Norm {
        m,
        original,
        out: Vec::new(),
    }
    .run()
}

/// The added Core vocabulary reference, when the original has no Core include.
fn drop_added_core_reference(original: &Model, lines: &mut Vec<String>) {
    let has_core = original.schemas.iter().any(|s| s.namespace == vocab::CORE)
        || original
            .files
            .iter()
            .flat_map(|f| &f.references)
            .flat_map(|r| &r.includes)
            .any(|i| i.namespace == vocab::CORE);
    if !has_core {
        let added = format!("ref {:?} ", csdl::CORE_VOCABULARY_URI);
        lines.retain(|l| !l.starts_with(&added));
    }
}

fn round_trip(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let a = read(path, &bytes).map_err(|e| format!("original does not read: {e}"))?;
    let written = write_csdl(&a);
    if write_csdl(&a) != written {
        return Err("writing is not deterministic".into());
    }
    let out_path = path.with_extension("round-trip.xml");
    let b = read(&out_path, written.as_bytes()).map_err(|e| {
        format!(
            "the written document does not read back: {e}\n--- document ---\n{}",
            head(&written)
        )
    })?;
    let expected = normalise(&a, true);
    let mut got = normalise(&b, false);
    drop_added_core_reference(&a, &mut got);
    if expected != got {
        let e: BTreeSet<&String> = expected.iter().collect();
        let g: BTreeSet<&String> = got.iter().collect();
        let missing: Vec<&&String> = e.difference(&g).take(15).collect();
        let extra: Vec<&&String> = g.difference(&e).take(15).collect();
        return Err(format!(
            "models differ ({} vs {} lines)\nonly in the original:\n  {}\nonly after the round trip:\n  {}",
            expected.len(),
            got.len(),
            missing
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n  "),
            extra
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n  "),
        ));
    }
    // Writing the read-back model gives the same document: the output is a fixed point.
    let again = write_csdl(&b);
    if again != written {
        let line = written
            .lines()
            .zip(again.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(0);
        return Err(format!(
            "writing the read-back model changes the document at line {}:\n  {}\n  {}",
            line + 1,
            written.lines().nth(line).unwrap_or(""),
            again.lines().nth(line).unwrap_or("")
        ));
    }
    Ok(format!(
        "{} schemas, {} types, {} properties, {} navigations, {} operations, {} annotation lines; {} → {} bytes",
        a.schemas.len(),
        a.types.len(),
        a.properties.len(),
        a.navigations.len(),
        a.operations.len(),
        expected.iter().filter(|l| l.contains(" @")).count(),
        bytes.len(),
        written.len()
    ))
}

fn head(s: &str) -> String {
    s.lines().take(60).collect::<Vec<_>>().join("\n")
}

#[test]
fn every_corpus_document_round_trips_through_csdl_4() {
    let Some(failures) = shared_data::check_corpus(round_trip) else {
        return;
    };
    let failures: Vec<String> = failures.iter().map(|(n, e)| format!("{n}: {e}")).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn v2_constructs_become_v4() {
    let v2 = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx"
  xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"
  xmlns:sap="http://www.sap.com/Protocols/SAPData">
  <edmx:DataServices m:DataServiceVersion="2.0">
    <Schema Namespace="S" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">
      <EntityType Name="Order" sap:label="An &quot;order&quot;">
        <Key><PropertyRef Name="Id"/></Key>
        <Property Name="Id" Type="Edm.Int32" Nullable="false"/>
        <Property Name="At" Type="Edm.DateTime" Precision="3" ConcurrencyMode="Fixed"/>
        <Property Name="Code" Type="Edm.String" FixedLength="true" MaxLength="4"/>
        <Property Name="T" Type="Edm.Time"/>
        <NavigationProperty Name="Lines" Relationship="S.OrderLines" FromRole="O" ToRole="L"/>
      </EntityType>
      <EntityType Name="Line">
        <Documentation><Summary>A line
of an order</Summary></Documentation>
        <Key><PropertyRef Name="Id"/></Key>
        <Property Name="Id" Type="Edm.Int32" Nullable="false"/>
        <Property Name="OrderId" Type="Edm.Int32" Nullable="false"/>
        <NavigationProperty Name="Order" Relationship="S.OrderLines" FromRole="L" ToRole="O"/>
      </EntityType>
      <Association Name="OrderLines">
        <End Role="O" Type="S.Order" Multiplicity="1"><OnDelete Action="Cascade"/></End>
        <End Role="L" Type="S.Line" Multiplicity="*"/>
        <ReferentialConstraint>
          <Principal Role="O"><PropertyRef Name="Id"/></Principal>
          <Dependent Role="L"><PropertyRef Name="OrderId"/></Dependent>
        </ReferentialConstraint>
      </Association>
      <EntityContainer Name="C" m:IsDefaultEntityContainer="true">
        <EntitySet Name="Orders" EntityType="S.Order"/>
        <EntitySet Name="Lines" EntityType="S.Line"/>
        <AssociationSet Name="OrderLinesSet" Association="S.OrderLines">
          <End EntitySet="Orders" Role="O"/><End EntitySet="Lines" Role="L"/>
        </AssociationSet>
        <FunctionImport Name="Top" ReturnType="Collection(S.Order)" EntitySet="Orders" m:HttpMethod="GET">
          <Parameter Name="n" Type="Edm.Int32" Mode="In"/>
        </FunctionImport>
        <FunctionImport Name="Reset" m:HttpMethod="POST"/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;
    let a = read(Path::new("v2.xml"), v2.as_bytes()).unwrap();
    let out = write_csdl(&a);
    for needle in [
        r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" xmlns:sap="http://www.sap.com/Protocols/SAPData">"#,
        r#"<edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">"#,
        r#"<Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="S">"#,
        r#"<EntityType Name="Order" sap:label="An &quot;order&quot;">"#,
        r#"<Property Name="At" Type="Edm.DateTimeOffset" Precision="3"/>"#,
        r#"<Property Name="Code" Type="Edm.String" MaxLength="4"/>"#,
        r#"<Property Name="T" Type="Edm.TimeOfDay"/>"#,
        r#"<NavigationProperty Name="Lines" Type="Collection(S.Line)" Partner="Order">"#,
        r#"<OnDelete Action="Cascade"/>"#,
        r#"<NavigationProperty Name="Order" Type="S.Order" Nullable="false" Partner="Lines">"#,
        r#"<ReferentialConstraint Property="OrderId" ReferencedProperty="Id"/>"#,
        r#"<Annotation Term="Org.OData.Core.V1.Description" String="A line&#10;of an order"/>"#,
        r#"<Function Name="Top" m:HttpMethod="GET">"#,
        r#"<Parameter Name="n" Type="Edm.Int32"/>"#,
        r#"<ReturnType Type="Collection(S.Order)"/>"#,
        r#"<Action Name="Reset" m:HttpMethod="POST"/>"#,
        r#"<EntityContainer Name="C" m:IsDefaultEntityContainer="true">"#,
        r#"<NavigationPropertyBinding Path="Lines" Target="Lines"/>"#,
        r#"<Annotation Term="Org.OData.Core.V1.OptimisticConcurrency">"#,
        r#"<PropertyPath>At</PropertyPath>"#,
        r#"<FunctionImport Name="Top" Function="S.Top" EntitySet="Orders"/>"#,
        r#"<ActionImport Name="Reset" Action="S.Reset"/>"#,
    ] {
        assert!(out.contains(needle), "missing `{needle}` in\n{out}");
    }
    for gone in [
        "Association",
        "FixedLength",
        "ConcurrencyMode",
        "Mode=",
        "Edm.DateTime\"",
        "Relationship",
        "DataServiceVersion",
    ] {
        assert!(!out.contains(gone), "`{gone}` is still in\n{out}");
    }
    let b = read(Path::new("v4.xml"), out.as_bytes()).unwrap();
    assert_eq!(b.files[0].version, ODataVersion::V4);
    let mut got = normalise(&b, false);
    drop_added_core_reference(&a, &mut got);
    assert_eq!(normalise(&a, true), got);
}

#[test]
fn values_that_need_escaping_survive() {
    let doc = "<?xml version=\"1.0\"?>\n<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\
<edmx:DataServices><Schema Namespace=\"N\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\
<ComplexType Name=\"C\"><Property Name=\"P\" Type=\"Edm.String\" DefaultValue=\"a&lt;b&gt;&amp;&quot;'&#9;&#10;&#13;\">\
<Annotation Term=\"Core.Description\"><String>  x &lt;&amp;&gt; \r\n y  </String></Annotation>\
<Annotation Term=\"Core.Example\"><Record><PropertyValue Property=\"V\"><Apply Function=\"odata.concat\"><String>a</String><LabeledElementReference>N.L</LabeledElementReference><Null/></Apply></PropertyValue></Record></Annotation>\
</Property></ComplexType></Schema></edmx:DataServices></edmx:Edmx>";
    let a = read(Path::new("e.xml"), doc.as_bytes()).unwrap();
    let out = write_csdl(&a);
    let b = read(Path::new("e2.xml"), out.as_bytes()).unwrap();
    assert_eq!(normalise(&a, true), normalise(&b, false), "{out}");
    assert_eq!(
        b.properties[0].default_value.as_deref(),
        Some("a<b>&\"'\t\n\r")
    );
}

/// Foreign-namespace elements (V2/V3 annotation elements: SAP's `atom:link`s, custom metadata
/// with attributes and children) are read without a warning, kept, and written back.
#[test]
fn foreign_elements_survive() {
    let doc = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">
  <edmx:DataServices m:DataServiceVersion="2.0" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
    <Schema Namespace="S" xmlns="http://schemas.microsoft.com/ado/2008/09/edm" xmlns:c="urn:custom">
      <EntityType Name="Order">
        <Key><PropertyRef Name="Id"/></Key>
        <Property Name="Id" Type="Edm.Int32" Nullable="false"><c:Hint level="2">narrow</c:Hint></Property>
        <c:Attributes><c:Attribute TypeName="A &amp; B" xml:lang="en"/><c:Attribute TypeName="C"/></c:Attributes>
        <hint xmlns="">in no namespace</hint>
        <c:Wrap><edmx:Note xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"/></c:Wrap>
      </EntityType>
      <atom:link rel="self" href="https://host/S/$metadata" xmlns:atom="http://www.w3.org/2005/Atom"/>
      <atom:link rel="latest-version" href="https://host/S/$metadata" xmlns:atom="http://www.w3.org/2005/Atom"/>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;
    let mut model = Model::default();
    let mut diags = Diagnostics::default();
    edmx::read_document(&mut model, Path::new("f.xml"), doc.as_bytes(), &mut diags).unwrap();
    assert!(diags.items.is_empty(), "{:?}", diags.items);
    let links = &model.schemas[0].extras.elements;
    assert_eq!(links.len(), 2);
    assert_eq!(links[0].namespace, "http://www.w3.org/2005/Atom");
    assert_eq!(links[0].name, "link");
    assert_eq!(links[1].attributes[0].value, "latest-version");
    let order = &model.types[0].extras.elements[0];
    assert_eq!(
        (order.name.as_str(), order.children.len()),
        ("Attributes", 2)
    );
    let hint = &model.types[0].extras.elements[1];
    assert_eq!((hint.namespace.as_str(), hint.name.as_str()), ("", "hint"));
    assert_eq!(order.children[0].attributes[0].value, "A & B");
    assert_eq!(model.properties[0].extras.elements[0].text, "narrow");

    let a = read(Path::new("f.xml"), doc.as_bytes()).unwrap();
    let out = write_csdl(&a);
    assert!(
        out.contains(r#"<atom:link rel="self" href="https://host/S/$metadata"/>"#),
        "{out}"
    );
    assert_eq!(out.matches("xmlns:edmx=").count(), 1, "{out}");
    assert!(!out.contains(r#"xmlns:ns="""#), "{out}");
    let b = read(Path::new("f2.xml"), out.as_bytes()).unwrap();
    assert_eq!(normalise(&a, true), normalise(&b, false), "{out}");
}

#[test]
fn the_cli_emits_csdl_next_to_the_crate() {
    let dir = tempfile::tempdir().unwrap();
    let Some(input) = shared_data::path("corpus/reference/odatademo_v2.xml") else {
        return;
    };
    let csdl_path = dir.path().join("service.xml");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_odata-codegen"))
        .args(["generate", "-q", "--input"])
        .arg(&input)
        .arg("--out")
        .arg(dir.path().join("crate"))
        .arg("--emit-csdl")
        .arg(&csdl_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(&csdl_path).unwrap();
    let a = read(&input, &std::fs::read(&input).unwrap()).unwrap();
    assert_eq!(written, write_csdl(&a));
    // Only the document is left in the directory (the temporary file was renamed).
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["crate", "service.xml"]);
}
