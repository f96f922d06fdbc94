//! CSDL XML writer: [`Model`] → a CSDL 4.0 `$metadata` document.
//!
//! Reading a document, writing it with [`write_csdl`] and reading the result again gives an equal
//! model, up to the differences listed here (the round-trip test in `tests/csdl_round_trip.rs`
//! checks this for the whole corpus). The writer is also how V2/V3 metadata is converted to
//! CSDL 4.0 and how the CLI shows the model a crate was generated from (`--emit-csdl`).
//!
//! What the V4 form represents differently (V2/V3 inputs):
//! - `Association` / `AssociationSet` are not written: the reader has already lowered them into
//!   navigation properties (`Type`, `Nullable`, `Partner`, `OnDelete`, `ReferentialConstraint`)
//!   and `NavigationPropertyBinding`s. Annotations, foreign attributes and foreign elements of
//!   associations, association sets and their ends have no V4 place and are not written; nor is a referential
//!   constraint whose dependent end has no navigation property.
//! - A V2/V3 `FunctionImport` is written as an `Action` (or a `Function`: `m:HttpMethod="GET"` or
//!   `IsSideEffecting="false"`, the reader's choice) in the container's schema, plus an
//!   `ActionImport` / `FunctionImport` when it is not bindable. `m:HttpMethod` is kept as a
//!   foreign attribute of the operation; `IsSideEffecting` / `IsBindable` are expressed by the
//!   operation kind and `IsBound`; the `EntitySet` of a bindable import is not written.
//! - Parameter `Mode` (V2/V3 only) is not written.
//! - `FixedLength` (V2/V3 only, a storage hint without a V4 equivalent) is not written.
//! - `ConcurrencyMode="Fixed"` becomes its V4 equivalent: an
//!   `Org.OData.Core.V1.OptimisticConcurrency` annotation (a collection of property paths) on
//!   every entity set whose entity type declares or inherits such properties (unless the set
//!   already has one).
//! - `Edm.DateTime` becomes `Edm.DateTimeOffset`; `Edm.Time` becomes `Edm.TimeOfDay` in V2
//!   documents (how V2 services use it) and `Edm.Duration` in V3 documents (its V3 meaning).
//! - `m:IsDefaultEntityContainer` is written as a foreign `m:` attribute (it is harmless in V4
//!   and keeps the information); `m:HasStream` becomes `HasStream`; `m:DataServiceVersion` and
//!   `m:MaxDataServiceVersion` are dropped (the output is V4).
//! - `Documentation` was already read as `Org.OData.Core.V1.Description` / `LongDescription`
//!   annotations; V3 `ValueAnnotation` / `TypeAnnotation` as `Annotation`s (a type annotation's
//!   value is a `Record`); V3 `ValueTerm` as `Term`; V3 `Using` as an `edmx:Reference` with an
//!   empty `Uri`; the V3 `DateTime` / `Time` expressions stay as written elements.
//!
//! In general:
//! - One document for the whole model: every schema of every file read. References that were
//!   loaded as files of the model are not written (their schemas are in the document);
//!   identical references of several files are written once.
//! - When the document uses `Org.OData.Core.V1` terms (descriptions, concurrency) and has no
//!   reference including that namespace, a reference to the OASIS Core vocabulary is added.
//! - Foreign attributes (`sap:`, `m:`, ...) and foreign elements (V2/V3 annotation elements:
//!   SAP's `atom:link`s) keep their prefix unless two namespaces share one, then a number is
//!   appended; all namespace declarations are on `edmx:Edmx`. Foreign elements follow the
//!   node's other children (those read inside a V2/V3 `Documentation`, which becomes
//!   annotations, are children of the documented element).
//! - Names are written as read (alias-qualified names stay alias-qualified); a primitive type is
//!   written by its `Edm.` name once resolved (so the lenient `Int32` becomes `Edm.Int32`), and a
//!   navigation property without `Type` gets the type [`crate::model::resolve`] inferred.
//! - Constants and paths directly under `Annotation` / `PropertyValue` use attribute notation,
//!   everything else element notation. Output is indented, deterministic, without timestamps.
//! - `Version` is `4.01` when an input was 4.01, else `4.0`.

use crate::model::*;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::collections::{BTreeMap, HashMap};

const EDMX_NS: &str = "http://docs.oasis-open.org/odata/ns/edmx";
const EDM_NS: &str = "http://docs.oasis-open.org/odata/ns/edm";
const M_NS: &str = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// Where the Core vocabulary is published (used when a reference to it has to be added).
pub const CORE_VOCABULARY_URI: &str =
    "https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml";

/// Generic expression elements whose content is text (the reader keeps it as a trailing
/// `String` constant child).
const TEXT_ELEMENTS: &[&str] = &["LabeledElementReference", "DateTime", "Time"];

/// One element to write.
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: Option<String>,
}

impl Node {
    fn new(name: impl Into<String>) -> Node {
        Node {
            name: name.into(),
            attrs: Vec::new(),
            children: Vec::new(),
            text: None,
        }
    }
    fn attr(&mut self, k: impl Into<String>, v: impl Into<String>) -> &mut Node {
        self.attrs.push((k.into(), v.into()));
        self
    }
    fn opt(&mut self, k: &str, v: Option<&str>) -> &mut Node {
        if let Some(v) = v {
            self.attrs.push((k.to_string(), v.to_string()));
        }
        self
    }
    fn flag(&mut self, k: &str, v: bool) -> &mut Node {
        if v {
            self.attrs.push((k.to_string(), "true".to_string()));
        }
        self
    }
    fn opt_bool(&mut self, k: &str, v: Option<bool>) -> &mut Node {
        if let Some(v) = v {
            self.attrs.push((k.to_string(), v.to_string()));
        }
        self
    }
}

/// Writes the model as one CSDL 4.0 document (see the module documentation for what changes).
pub fn write_csdl(model: &Model) -> String {
    write_csdl_selected(model, &|_| true)
}

/// Writes the part of the model a filter selected: types for which `keep` is false are left out,
/// and so are navigation properties to them, entity sets and singletons of them, and bindings
/// to the entity sets and singletons left out. Operations, terms and annotations are written as
/// they are.
pub fn write_csdl_selected<'m>(model: &'m Model, keep: &'m dyn Fn(TypeId) -> bool) -> String {
    let mut cx = Cx::new(model);
    cx.keep = keep;
    let root = cx.document();
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let decl = BytesDecl::new("1.0", Some("utf-8"), None);
    w.write_event(Event::Decl(decl))
        .and_then(|()| emit(&mut w, &root))
        .expect("writing to a Vec cannot fail");
    let mut out = String::from_utf8(w.into_inner()).expect("all written text is UTF-8");
    out.push('\n');
    out
}

fn escape_attr(v: &str) -> String {
    let e = quick_xml::escape::escape(v);
    if e.contains(['\n', '\r', '\t']) {
        e.replace('\n', "&#10;")
            .replace('\r', "&#13;")
            .replace('\t', "&#9;")
    } else {
        e.into_owned()
    }
}

fn escape_text(v: &str) -> String {
    let e = quick_xml::escape::escape(v);
    if e.contains('\r') {
        e.replace('\r', "&#13;")
    } else {
        e.into_owned()
    }
}

fn emit(w: &mut Writer<Vec<u8>>, n: &Node) -> std::io::Result<()> {
    let mut content = n.name.clone();
    for (k, v) in &n.attrs {
        content.push(' ');
        content.push_str(k);
        content.push_str("=\"");
        content.push_str(&escape_attr(v));
        content.push('"');
    }
    let start = BytesStart::from_content(content, n.name.len());
    if n.children.is_empty() && n.text.is_none() {
        return w.write_event(Event::Empty(start));
    }
    w.write_event(Event::Start(start))?;
    if let Some(t) = &n.text {
        w.write_event(Event::Text(BytesText::from_escaped(escape_text(t))))?;
    }
    for c in &n.children {
        emit(w, c)?;
    }
    w.write_event(Event::End(BytesEnd::new(n.name.as_str())))
}

/// What the writer needs besides the model: namespace prefixes and a type index.
struct Cx<'m> {
    m: &'m Model,
    /// Namespace URI → prefix.
    prefixes: BTreeMap<String, String>,
    /// (namespace or alias, name) → type.
    types: HashMap<(&'m str, &'m str), TypeId>,
    /// Which types to write.
    keep: &'m dyn Fn(TypeId) -> bool,
}

impl<'m> Cx<'m> {
    fn new(m: &'m Model) -> Cx<'m> {
        let mut types = HashMap::new();
        for t in m.type_ids() {
            let ty = &m[t];
            let s = &m[ty.schema];
            types
                .entry((s.namespace.as_str(), ty.name.as_str()))
                .or_insert(t);
            if let Some(a) = &s.alias {
                types.entry((a.as_str(), ty.name.as_str())).or_insert(t);
            }
        }
        let mut cx = Cx {
            m,
            prefixes: BTreeMap::new(),
            types,
            keep: &|_| true,
        };
        cx.collect_prefixes();
        cx
    }

    fn collect_prefixes(&mut self) {
        let m = self.m;
        let mut found: Vec<(&str, &str)> = Vec::new();
        fn walk<'m>(found: &mut Vec<(&'m str, &'m str)>, els: &'m [ForeignElement]) {
            for e in els {
                // No namespace: written with `xmlns=""`, no prefix to declare.
                if !e.namespace.is_empty() {
                    found.push((e.namespace.as_str(), e.prefix.as_str()));
                }
                for a in e.attributes.iter().filter(|a| !a.namespace.is_empty()) {
                    found.push((a.namespace.as_str(), a.prefix.as_str()));
                }
                walk(found, &e.children);
            }
        }
        let mut add = |f: &'m [ForeignAttr], els: &'m [ForeignElement]| {
            for a in f {
                found.push((a.namespace.as_str(), a.prefix.as_str()));
            }
            walk(&mut found, els);
        };
        for f in &m.files {
            add(&f.foreign, &[]);
            for r in &f.references {
                add(&r.extras.foreign, &r.extras.elements);
                for i in &r.includes {
                    add(&i.extras.foreign, &i.extras.elements);
                }
            }
        }
        for s in &m.schemas {
            add(&s.extras.foreign, &s.extras.elements);
        }
        for t in &m.types {
            add(&t.extras.foreign, &t.extras.elements);
            if let TypeKind::Enum(e) = &t.kind {
                for mem in &e.members {
                    add(&mem.extras.foreign, &mem.extras.elements);
                }
            }
        }
        for p in &m.properties {
            add(&p.extras.foreign, &p.extras.elements);
        }
        for n in &m.navigations {
            add(&n.extras.foreign, &n.extras.elements);
            for rc in &n.referential_constraints {
                add(&rc.extras.foreign, &rc.extras.elements);
            }
        }
        for o in &m.operations {
            add(&o.extras.foreign, &o.extras.elements);
            for p in &o.parameters {
                add(&p.extras.foreign, &p.extras.elements);
            }
            if let Some(r) = &o.return_type {
                add(&r.extras.foreign, &r.extras.elements);
            }
        }
        for c in &m.containers {
            add(&c.extras.foreign, &c.extras.elements);
            for s in &c.entity_sets {
                add(&s.extras.foreign, &s.extras.elements);
            }
            for s in &c.singletons {
                add(&s.extras.foreign, &s.extras.elements);
            }
            for i in c.action_imports.iter().chain(&c.function_imports) {
                add(&i.extras.foreign, &i.extras.elements);
            }
        }
        for t in &m.terms {
            add(&t.extras.foreign, &t.extras.elements);
        }
        let needs_m = m.containers.iter().any(|c| c.is_default.is_some())
            || m.operations.iter().any(|o| {
                o.function_import
                    .as_ref()
                    .is_some_and(|f| f.http_method.is_some())
            });
        if needs_m {
            found.push((M_NS, "m"));
        }
        let mut used: BTreeMap<String, String> = BTreeMap::new();
        used.insert("edmx".into(), EDMX_NS.into());
        used.insert("xml".into(), XML_NS.into());
        // EDMX elements inside a foreign element use the root's `edmx` prefix.
        self.prefixes
            .insert(EDMX_NS.to_string(), "edmx".to_string());
        for (ns, prefix) in found {
            if ns == XML_NS || self.prefixes.contains_key(ns) {
                continue;
            }
            let base = if prefix.is_empty()
                || prefix.eq_ignore_ascii_case("xmlns")
                || prefix.to_ascii_lowercase().starts_with("xml")
            {
                "ns"
            } else {
                prefix
            };
            let mut p = base.to_string();
            let mut k = 2;
            while used.get(&p).is_some_and(|u| u != ns) {
                p = format!("{base}{k}");
                k += 1;
            }
            used.insert(p.clone(), ns.to_string());
            self.prefixes.insert(ns.to_string(), p);
        }
    }

    fn foreign(&self, n: &mut Node, f: &[ForeignAttr]) {
        for a in f {
            let key = if a.namespace == XML_NS {
                format!("xml:{}", a.name)
            } else {
                format!("{}:{}", self.prefixes[&a.namespace], a.name)
            };
            // The same attribute twice would not be well-formed; the first wins.
            if n.attrs.iter().any(|(k, _)| *k == key) {
                continue;
            }
            n.attrs.push((key, a.value.clone()));
        }
    }

    fn extras(&self, n: &mut Node, x: &Extras) {
        self.foreign(n, &x.foreign);
        self.annotations(n, &x.annotations);
        self.elements(n, &x.elements);
    }

    /// Foreign-namespace child elements, as read (after the node's other children).
    fn elements(&self, n: &mut Node, els: &[ForeignElement]) {
        for e in els {
            let name = if e.namespace.is_empty() {
                e.name.clone()
            } else {
                format!("{}:{}", self.prefixes[&e.namespace], e.name)
            };
            let mut c = Node::new(name);
            if e.namespace.is_empty() {
                // Unprefixed: not in the default (CSDL) namespace of the output.
                c.attr("xmlns", "");
            }
            for a in &e.attributes {
                let key = match a.namespace.as_str() {
                    "" => a.name.clone(),
                    XML_NS => format!("xml:{}", a.name),
                    ns => format!("{}:{}", self.prefixes[ns], a.name),
                };
                if !c.attrs.iter().any(|(k, _)| *k == key) {
                    c.attrs.push((key, a.value.clone()));
                }
            }
            if !e.text.trim().is_empty() {
                c.text = Some(e.text.clone());
            }
            self.elements(&mut c, &e.children);
            n.children.push(c);
        }
    }

    // ----- document -----

    fn document(&self) -> Node {
        let m = self.m;
        let version = if m
            .files
            .iter()
            .any(|f| f.edmx_version.as_deref() == Some("4.01"))
        {
            "4.01"
        } else {
            "4.0"
        };
        let mut root = Node::new("edmx:Edmx");
        root.attr("Version", version).attr("xmlns:edmx", EDMX_NS);
        let mut decls: Vec<(&String, &String)> =
            self.prefixes.iter().map(|(ns, p)| (p, ns)).collect();
        decls.sort();
        for (p, ns) in decls {
            if ns != EDMX_NS {
                root.attr(format!("xmlns:{p}"), ns.clone());
            }
        }
        for f in &m.files {
            self.foreign(&mut root, &f.foreign);
        }
        // References.
        let mut written: Vec<Node> = Vec::new();
        let mut has_core = m.schemas.iter().any(|s| s.namespace == vocab::CORE);
        for f in &m.files {
            for r in &f.references {
                if r.loaded.is_some() {
                    continue;
                }
                has_core |= r.includes.iter().any(|i| i.namespace == vocab::CORE);
                let node = self.reference(r);
                if !written.iter().any(|w| same_node(w, &node)) {
                    written.push(node);
                }
            }
        }
        if !has_core && self.uses_core() {
            let mut r = Node::new("edmx:Reference");
            r.attr("Uri", CORE_VOCABULARY_URI);
            let mut i = Node::new("edmx:Include");
            i.attr("Namespace", vocab::CORE);
            r.children.push(i);
            written.push(r);
        }
        root.children.extend(written);
        let mut ds = Node::new("edmx:DataServices");
        for s in 0..m.schemas.len() {
            ds.children.push(self.schema(SchemaId(s as u32)));
        }
        root.children.push(ds);
        root
    }

    /// Whether the document uses terms of the Core vocabulary by their full namespace.
    fn uses_core(&self) -> bool {
        let m = self.m;
        if m.properties.iter().any(|p| p.concurrency_fixed) {
            return true;
        }
        let mut found = false;
        let mut visit = |a: &Annotation| {
            found |= a
                .term
                .strip_prefix(vocab::CORE)
                .is_some_and(|r| r.starts_with('.'));
        };
        for_each_annotation(m, &mut visit);
        found
    }

    fn reference(&self, r: &Reference) -> Node {
        let mut n = Node::new("edmx:Reference");
        n.attr("Uri", r.uri.clone());
        self.foreign(&mut n, &r.extras.foreign);
        for i in &r.includes {
            let mut c = Node::new("edmx:Include");
            c.attr("Namespace", i.namespace.clone())
                .opt("Alias", i.alias.as_deref());
            self.extras(&mut c, &i.extras);
            n.children.push(c);
        }
        for i in &r.include_annotations {
            let mut c = Node::new("edmx:IncludeAnnotations");
            c.attr("TermNamespace", i.term_namespace.clone())
                .opt("Qualifier", i.qualifier.as_deref())
                .opt("TargetNamespace", i.target_namespace.as_deref());
            n.children.push(c);
        }
        self.annotations(&mut n, &r.extras.annotations);
        self.elements(&mut n, &r.extras.elements);
        n
    }

    fn schema(&self, sid: SchemaId) -> Node {
        let m = self.m;
        let s = &m[sid];
        let mut n = Node::new("Schema");
        n.attr("xmlns", EDM_NS)
            .attr("Namespace", s.namespace.clone())
            .opt("Alias", s.alias.as_deref());
        self.foreign(&mut n, &s.extras.foreign);
        for &t in &s.types {
            if (self.keep)(t) {
                n.children.push(self.ty(t));
            }
        }
        for &t in &s.terms {
            n.children.push(self.term(t));
        }
        for &o in &s.operations {
            n.children.push(self.operation(o));
        }
        for &c in &s.containers {
            n.children.push(self.container(c));
        }
        for &b in &s.annotation_blocks {
            let b = &m[b];
            let mut c = Node::new("Annotations");
            c.attr("Target", b.target.clone())
                .opt("Qualifier", b.qualifier.as_deref());
            self.annotations(&mut c, &b.annotations);
            n.children.push(c);
        }
        self.annotations(&mut n, &s.extras.annotations);
        self.elements(&mut n, &s.extras.elements);
        n
    }

    fn version_of(&self, sid: SchemaId) -> ODataVersion {
        let f = self.m[sid].file;
        self.m
            .files
            .get(f.0 as usize)
            .map(|f| f.version)
            .unwrap_or_default()
    }

    /// A type reference in its V4 form.
    fn type_name(&self, t: &TypeRef, sid: SchemaId) -> String {
        let name = match t.target {
            TypeTarget::Primitive(p) => v4_primitive(p, self.version_of(sid)).edm_name(),
            _ => t.name.clone(),
        };
        if t.collection {
            format!("Collection({name})")
        } else {
            name
        }
    }

    fn facets(&self, n: &mut Node, f: &Facets) {
        n.opt_bool("Nullable", f.nullable);
        if let Some(ml) = f.max_length {
            n.attr(
                "MaxLength",
                match ml {
                    MaxLength::Max => "max".to_string(),
                    MaxLength::Value(v) => v.to_string(),
                },
            );
        }
        if let Some(p) = f.precision {
            n.attr("Precision", p.to_string());
        }
        if let Some(s) = f.scale {
            n.attr(
                "Scale",
                match s {
                    Scale::Value(v) => v.to_string(),
                    Scale::Variable => "variable".to_string(),
                    Scale::Floating => "floating".to_string(),
                },
            );
        }
        if let Some(s) = f.srid {
            n.attr(
                "SRID",
                match s {
                    Srid::Value(v) => v.to_string(),
                    Srid::Variable => "variable".to_string(),
                },
            );
        }
        n.opt_bool("Unicode", f.unicode);
    }

    fn ty(&self, t: TypeId) -> Node {
        let m = self.m;
        let ty = &m[t];
        match &ty.kind {
            TypeKind::Entity(st) | TypeKind::Complex(st) => {
                let mut n = Node::new(if ty.is_entity() {
                    "EntityType"
                } else {
                    "ComplexType"
                });
                n.attr("Name", ty.name.clone())
                    .opt("BaseType", st.base_name.as_deref())
                    .flag("Abstract", st.is_abstract)
                    .flag("OpenType", st.open)
                    .flag("HasStream", st.has_stream);
                self.foreign(&mut n, &ty.extras.foreign);
                if !st.key.is_empty() || st.key_loc.is_some() {
                    let mut k = Node::new("Key");
                    for r in &st.key {
                        let mut c = Node::new("PropertyRef");
                        c.attr("Name", r.name.clone())
                            .opt("Alias", r.alias.as_deref());
                        k.children.push(c);
                    }
                    n.children.push(k);
                }
                for &p in &st.properties {
                    n.children.push(self.property(p, ty.schema));
                }
                for &nv in &st.navigations {
                    if self.lookup(&m[nv].ty).is_none_or(|t| (self.keep)(t)) {
                        n.children.push(self.navigation(nv));
                    }
                }
                self.annotations(&mut n, &ty.extras.annotations);
                self.elements(&mut n, &ty.extras.elements);
                n
            }
            TypeKind::Enum(e) => {
                let mut n = Node::new("EnumType");
                n.attr("Name", ty.name.clone())
                    .opt("UnderlyingType", e.underlying_written.as_deref())
                    .flag("IsFlags", e.is_flags);
                self.foreign(&mut n, &ty.extras.foreign);
                for mem in &e.members {
                    let mut c = Node::new("Member");
                    c.attr("Name", mem.name.clone())
                        .opt("Value", mem.value_written.as_deref());
                    self.extras(&mut c, &mem.extras);
                    n.children.push(c);
                }
                self.annotations(&mut n, &ty.extras.annotations);
                self.elements(&mut n, &ty.extras.elements);
                n
            }
            TypeKind::Definition(d) => {
                let mut n = Node::new("TypeDefinition");
                n.attr("Name", ty.name.clone())
                    .attr("UnderlyingType", self.type_name(&d.underlying, ty.schema));
                let facets = Facets {
                    nullable: None,
                    ..d.facets.clone()
                };
                self.facets(&mut n, &facets);
                self.extras(&mut n, &ty.extras);
                n
            }
        }
    }

    fn property(&self, p: PropertyId, sid: SchemaId) -> Node {
        let prop = &self.m[p];
        let mut n = Node::new("Property");
        n.attr("Name", prop.name.clone())
            .attr("Type", self.type_name(&prop.ty, sid));
        self.facets(&mut n, &prop.facets);
        n.opt("DefaultValue", prop.default_value.as_deref());
        self.extras(&mut n, &prop.extras);
        n
    }

    fn navigation(&self, nv: NavId) -> Node {
        let m = self.m;
        let nav = &m[nv];
        let mut n = Node::new("NavigationProperty");
        n.attr("Name", nav.name.clone());
        if !nav.ty.name.is_empty() {
            n.attr("Type", nav.ty.written());
        }
        n.opt_bool("Nullable", nav.nullable)
            .opt("Partner", nav.partner_name.as_deref())
            .flag("ContainsTarget", nav.contains_target);
        self.foreign(&mut n, &nav.extras.foreign);
        for rc in &nav.referential_constraints {
            let mut c = Node::new("ReferentialConstraint");
            c.attr("Property", rc.property.clone())
                .attr("ReferencedProperty", rc.referenced_property.clone());
            self.extras(&mut c, &rc.extras);
            n.children.push(c);
        }
        if let Some(d) = &nav.on_delete {
            let mut c = Node::new("OnDelete");
            c.attr("Action", d.action.clone());
            n.children.push(c);
        }
        self.annotations(&mut n, &nav.extras.annotations);
        self.elements(&mut n, &nav.extras.elements);
        n
    }

    fn operation(&self, o: OperationId) -> Node {
        let op = &self.m[o];
        let mut n = Node::new(match op.kind {
            OperationKind::Action => "Action",
            OperationKind::Function => "Function",
        });
        n.attr("Name", op.name.clone())
            .flag("IsBound", op.is_bound)
            .opt("EntitySetPath", op.entity_set_path.as_deref())
            .flag("IsComposable", op.is_composable);
        self.foreign(&mut n, &op.extras.foreign);
        if let Some(method) = op
            .function_import
            .as_ref()
            .and_then(|f| f.http_method.as_deref())
        {
            let key = format!("{}:HttpMethod", self.prefixes[M_NS]);
            if !n.attrs.iter().any(|(k, _)| *k == key) {
                n.attr(key, method);
            }
        }
        for p in &op.parameters {
            let mut c = Node::new("Parameter");
            c.attr("Name", p.name.clone())
                .attr("Type", self.type_name(&p.ty, op.schema));
            self.facets(&mut c, &p.facets);
            self.extras(&mut c, &p.extras);
            n.children.push(c);
        }
        if let Some(r) = &op.return_type {
            let mut c = Node::new("ReturnType");
            c.attr("Type", self.type_name(&r.ty, op.schema));
            self.facets(&mut c, &r.facets);
            self.extras(&mut c, &r.extras);
            n.children.push(c);
        }
        self.annotations(&mut n, &op.extras.annotations);
        self.elements(&mut n, &op.extras.elements);
        n
    }

    fn term(&self, t: TermId) -> Node {
        let term = &self.m[t];
        let mut n = Node::new("Term");
        n.attr("Name", term.name.clone())
            .attr("Type", self.type_name(&term.ty, term.schema))
            .opt("BaseTerm", term.base_term.as_deref())
            .opt("DefaultValue", term.default_value.as_deref());
        if !term.applies_to.is_empty() {
            n.attr("AppliesTo", term.applies_to.join(" "));
        }
        self.facets(&mut n, &term.facets);
        self.extras(&mut n, &term.extras);
        n
    }

    fn container(&self, c: ContainerId) -> Node {
        let ec = &self.m[c];
        let mut n = Node::new("EntityContainer");
        n.attr("Name", ec.name.clone())
            .opt("Extends", ec.extends_name.as_deref());
        if let Some(d) = ec.is_default {
            n.attr(
                format!("{}:IsDefaultEntityContainer", self.prefixes[M_NS]),
                d.to_string(),
            );
        }
        self.foreign(&mut n, &ec.extras.foreign);
        let kept = |t: &TypeRef| self.lookup(t).is_none_or(|t| (self.keep)(t));
        let dropped: Vec<&str> = ec
            .entity_sets
            .iter()
            .filter(|s| !kept(&s.ty))
            .map(|s| s.name.as_str())
            .chain(
                ec.singletons
                    .iter()
                    .filter(|s| !kept(&s.ty))
                    .map(|s| s.name.as_str()),
            )
            .collect();
        let bindings = |e: &mut Node, b: &[NavigationPropertyBinding]| {
            let b: Vec<NavigationPropertyBinding> = b
                .iter()
                .filter(|b| !dropped.contains(&b.target.as_str()))
                .cloned()
                .collect();
            bindings(e, &b);
        };
        for s in ec.entity_sets.iter().filter(|s| kept(&s.ty)) {
            let mut e = Node::new("EntitySet");
            e.attr("Name", s.name.clone())
                .attr("EntityType", s.ty.written())
                .opt_bool("IncludeInServiceDocument", s.include_in_service_document);
            self.foreign(&mut e, &s.extras.foreign);
            bindings(&mut e, &s.bindings);
            self.annotations(&mut e, &s.extras.annotations);
            self.elements(&mut e, &s.extras.elements);
            if let Some(a) = self.concurrency_annotation(s) {
                self.annotations(&mut e, &[a]);
            }
            n.children.push(e);
        }
        for s in ec.singletons.iter().filter(|s| kept(&s.ty)) {
            let mut e = Node::new("Singleton");
            e.attr("Name", s.name.clone())
                .attr("Type", s.ty.written())
                .opt_bool("Nullable", s.nullable);
            self.foreign(&mut e, &s.extras.foreign);
            bindings(&mut e, &s.bindings);
            self.annotations(&mut e, &s.extras.annotations);
            self.elements(&mut e, &s.extras.elements);
            n.children.push(e);
        }
        for i in &ec.action_imports {
            let mut e = Node::new("ActionImport");
            e.attr("Name", i.name.clone())
                .attr("Action", i.operation_name.clone())
                .opt("EntitySet", i.entity_set.as_deref());
            self.extras(&mut e, &i.extras);
            n.children.push(e);
        }
        for i in &ec.function_imports {
            let mut e = Node::new("FunctionImport");
            e.attr("Name", i.name.clone())
                .attr("Function", i.operation_name.clone())
                .opt("EntitySet", i.entity_set.as_deref())
                .opt_bool("IncludeInServiceDocument", i.include_in_service_document);
            self.extras(&mut e, &i.extras);
            n.children.push(e);
        }
        self.annotations(&mut n, &ec.extras.annotations);
        self.elements(&mut n, &ec.extras.elements);
        n
    }

    fn lookup(&self, t: &TypeRef) -> Option<TypeId> {
        if let Some(id) = t.type_id() {
            return Some(id);
        }
        let (q, name) = t.name.trim().rsplit_once('.')?;
        self.types.get(&(q, name)).copied()
    }

    /// V2/V3 `ConcurrencyMode="Fixed"` properties of a set's entity type (declared or
    /// inherited) as the V4 `Core.OptimisticConcurrency` annotation of the set.
    fn concurrency_annotation(&self, s: &EntitySet) -> Option<Annotation> {
        concurrency_annotation(self.m, s, |t| self.lookup(t))
    }

    fn annotations(&self, n: &mut Node, anns: &[Annotation]) {
        for a in anns {
            n.children.push(self.annotation(a));
        }
    }

    fn annotation(&self, a: &Annotation) -> Node {
        let mut n = Node::new("Annotation");
        n.attr("Term", a.term.clone())
            .opt("Qualifier", a.qualifier.as_deref());
        self.annotations(&mut n, &a.annotations);
        if let Some(v) = &a.value {
            self.value(&mut n, v);
        }
        n
    }

    /// The value of an annotation or property value: attribute notation when it is a constant
    /// or a path, else a child element.
    fn value(&self, n: &mut Node, v: &Expr) {
        match v {
            Expr::Constant(k, s) => {
                n.attr(k.name(), s.clone());
            }
            Expr::Path(k, s) => {
                n.attr(k.name(), s.clone());
            }
            other => n.children.push(self.expr(other)),
        }
    }

    fn expr(&self, e: &Expr) -> Node {
        match e {
            Expr::Constant(k, s) => {
                let mut n = Node::new(k.name());
                n.text = Some(s.clone());
                n
            }
            Expr::Path(k, s) => {
                let mut n = Node::new(k.name());
                n.text = Some(s.clone());
                n
            }
            Expr::Null => Node::new("Null"),
            Expr::Record {
                ty,
                properties,
                annotations,
            } => {
                let mut n = Node::new("Record");
                n.opt("Type", ty.as_deref());
                self.annotations(&mut n, annotations);
                for pv in properties {
                    let mut c = Node::new("PropertyValue");
                    c.attr("Property", pv.property.clone());
                    self.annotations(&mut c, &pv.annotations);
                    if let Some(v) = &pv.value {
                        self.value(&mut c, v);
                    }
                    n.children.push(c);
                }
                n
            }
            Expr::Collection(items) => {
                let mut n = Node::new("Collection");
                for i in items {
                    n.children.push(self.expr(i));
                }
                n
            }
            Expr::Element {
                name,
                attributes,
                children,
                annotations,
            } => {
                let mut n = Node::new(name.clone());
                for (k, v) in attributes {
                    n.attr(k.clone(), v.clone());
                }
                self.annotations(&mut n, annotations);
                match children.as_slice() {
                    [Expr::Constant(ConstKind::String, s)]
                        if TEXT_ELEMENTS.contains(&name.as_str()) =>
                    {
                        n.text = Some(s.clone());
                    }
                    _ => {
                        for c in children {
                            n.children.push(self.expr(c));
                        }
                    }
                }
                n
            }
        }
    }
}

fn bindings(n: &mut Node, b: &[NavigationPropertyBinding]) {
    for b in b {
        let mut c = Node::new("NavigationPropertyBinding");
        c.attr("Path", b.path.clone())
            .attr("Target", b.target.clone());
        n.children.push(c);
    }
}

fn same_node(a: &Node, b: &Node) -> bool {
    a.name == b.name
        && a.attrs == b.attrs
        && a.text == b.text
        && a.children.len() == b.children.len()
        && a.children
            .iter()
            .zip(&b.children)
            .all(|(x, y)| same_node(x, y))
}

/// The V4 primitive for a V2/V3 one (see the module documentation).
pub fn v4_primitive(p: Primitive, version: ODataVersion) -> Primitive {
    match p {
        Primitive::DateTime => Primitive::DateTimeOffset,
        Primitive::Time if version == ODataVersion::V2 => Primitive::TimeOfDay,
        Primitive::Time => Primitive::Duration,
        Primitive::Binary
        | Primitive::Boolean
        | Primitive::Byte
        | Primitive::Date
        | Primitive::DateTimeOffset
        | Primitive::Decimal
        | Primitive::Double
        | Primitive::Duration
        | Primitive::Guid
        | Primitive::Int16
        | Primitive::Int32
        | Primitive::Int64
        | Primitive::SByte
        | Primitive::Single
        | Primitive::Stream
        | Primitive::String
        | Primitive::TimeOfDay
        | Primitive::Geography(_)
        | Primitive::Geometry(_)
        | Primitive::Untyped
        | Primitive::PrimitiveType => p,
    }
}

/// The `Org.OData.Core.V1.OptimisticConcurrency` annotation the writer adds to an entity set for
/// V2/V3 `ConcurrencyMode="Fixed"` properties of its entity type and its base types, or `None`
/// when there are none or the set already has such an annotation. `lookup` finds the entity type
/// of a type reference.
pub fn concurrency_annotation(
    m: &Model,
    s: &EntitySet,
    lookup: impl Fn(&TypeRef) -> Option<TypeId>,
) -> Option<Annotation> {
    if s.extras.annotations.iter().any(|a| {
        a.term == vocab::OPTIMISTIC_CONCURRENCY
            || (a.term.ends_with(".OptimisticConcurrency")
                && m.term_full_name(&a.term) == vocab::OPTIMISTIC_CONCURRENCY)
    }) {
        return None;
    }
    let t = lookup(&s.ty)?;
    // The base chain, root first, cycle-safe.
    let mut chain = vec![t];
    let mut cur = t;
    loop {
        let st = m[cur].structured()?;
        let next = match st.base {
            Some(b) => Some(b),
            None => st.base_name.as_ref().and_then(|b| lookup(&TypeRef::new(b))),
        };
        match next {
            Some(b) if !chain.contains(&b) => {
                chain.push(b);
                cur = b;
            }
            _ => break,
        }
    }
    let paths: Vec<Expr> = chain
        .iter()
        .rev()
        .filter_map(|&t| m[t].structured())
        .flat_map(|st| st.properties.iter())
        .filter(|&&p| m[p].concurrency_fixed)
        .map(|&p| Expr::Path(PathKind::PropertyPath, m[p].name.clone()))
        .collect();
    if paths.is_empty() {
        return None;
    }
    Some(Annotation {
        term: vocab::OPTIMISTIC_CONCURRENCY.to_string(),
        qualifier: None,
        value: Some(Expr::Collection(paths)),
        annotations: Vec::new(),
        loc: s.loc,
    })
}

/// Calls `f` on every annotation of the model, nested ones included.
pub fn for_each_annotation(m: &Model, f: &mut dyn FnMut(&Annotation)) {
    fn ann(a: &Annotation, f: &mut dyn FnMut(&Annotation)) {
        f(a);
        for n in &a.annotations {
            ann(n, f);
        }
        if let Some(v) = &a.value {
            expr(v, f);
        }
    }
    fn expr(e: &Expr, f: &mut dyn FnMut(&Annotation)) {
        match e {
            Expr::Record {
                properties,
                annotations,
                ..
            } => {
                for a in annotations {
                    ann(a, f);
                }
                for p in properties {
                    for a in &p.annotations {
                        ann(a, f);
                    }
                    if let Some(v) = &p.value {
                        expr(v, f);
                    }
                }
            }
            Expr::Collection(items) => {
                for i in items {
                    expr(i, f);
                }
            }
            Expr::Element {
                children,
                annotations,
                ..
            } => {
                for a in annotations {
                    ann(a, f);
                }
                for c in children {
                    expr(c, f);
                }
            }
            _ => {}
        }
    }
    let all = |x: &[Annotation], f: &mut dyn FnMut(&Annotation)| {
        for a in x {
            ann(a, f);
        }
    };
    for file in &m.files {
        for r in &file.references {
            all(&r.extras.annotations, f);
            for i in &r.includes {
                all(&i.extras.annotations, f);
            }
        }
    }
    for s in &m.schemas {
        all(&s.extras.annotations, f);
    }
    for t in &m.types {
        all(&t.extras.annotations, f);
        if let TypeKind::Enum(e) = &t.kind {
            for mem in &e.members {
                all(&mem.extras.annotations, f);
            }
        }
    }
    for p in &m.properties {
        all(&p.extras.annotations, f);
    }
    for n in &m.navigations {
        all(&n.extras.annotations, f);
        for rc in &n.referential_constraints {
            all(&rc.extras.annotations, f);
        }
    }
    for o in &m.operations {
        all(&o.extras.annotations, f);
        for p in &o.parameters {
            all(&p.extras.annotations, f);
        }
        if let Some(r) = &o.return_type {
            all(&r.extras.annotations, f);
        }
    }
    for c in &m.containers {
        all(&c.extras.annotations, f);
        for s in &c.entity_sets {
            all(&s.extras.annotations, f);
        }
        for s in &c.singletons {
            all(&s.extras.annotations, f);
        }
        for i in c.action_imports.iter().chain(&c.function_imports) {
            all(&i.extras.annotations, f);
        }
    }
    for t in &m.terms {
        all(&t.extras.annotations, f);
    }
    for b in &m.annotation_blocks {
        all(&b.annotations, f);
    }
}
