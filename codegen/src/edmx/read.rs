//! Walks the element tree of one document into the model.

use super::lower;
use super::xml::{Elem, Pos, Tree, XML_NS};
use super::{EDM_LEGACY, EDM_V3, EDM_V4, EDMX_ENTITY_FRAMEWORK, EDMX_V1, EDMX_V4, M_NS};
use crate::diag::{Diagnostics, FileId, Loc};
use crate::model::*;

/// The attribute names of attribute-notation expressions (V4, plus V3 `DateTime` / `Time`),
/// after the element's own attributes given first.
macro_rules! with_value_attrs {
    ($($own:literal),*) => {
        &[
            $($own,)*
            "Binary", "Bool", "Date", "DateTimeOffset", "Decimal", "Duration", "EnumMember",
            "Float", "Guid", "Int", "String", "TimeOfDay", "AnnotationPath", "ModelElementPath",
            "NavigationPropertyPath", "PropertyPath", "Path", "DateTime", "Time", "UrlRef",
        ]
    };
}

/// Attribute names of attribute-notation expressions.
const VALUE_ATTRS: &[&str] = with_value_attrs!();

const ANNOTATION_ATTRS: &[&str] = with_value_attrs!("Term", "Qualifier");

const PROPERTY_VALUE_ATTRS: &[&str] = with_value_attrs!("Property");

/// The attribute names of a typed element: its own, then the facets all typed elements but
/// `TypeDefinition` (no `Nullable`) share; `FixedLength` (V2/V3) is among the own ones.
macro_rules! with_facets {
    ($($own:literal),*) => {
        &[$($own,)* "Nullable", "MaxLength", "Precision", "Scale", "SRID", "Unicode"]
    };
}

/// Element-notation expressions kept generically as [`Expr::Element`] (V4 and V3 names).
const GENERIC_EXPRS: &[&str] = &[
    "Apply",
    "Cast",
    "IsOf",
    "If",
    "Eq",
    "Ne",
    "Gt",
    "Ge",
    "Lt",
    "Le",
    "Has",
    "In",
    "And",
    "Or",
    "Not",
    "Add",
    "Sub",
    "Neg",
    "Mul",
    "Div",
    "DivBy",
    "Mod",
    "LabeledElement",
    "LabeledElementReference",
    "UrlRef",
    // V3
    "AssertType",
    "IsType",
    "DateTime",
    "Time",
    "EntitySetReference",
    "EnumMemberReference",
    "FunctionReference",
    "ParameterReference",
    "PropertyReference",
    "ValueTermReference",
];

fn is_edm_ns(ns: &str) -> bool {
    ns == EDM_V4 || EDM_LEGACY.contains(&ns)
}

/// Attribute values of one element, by position in its list of known names.
struct A<'t> {
    known: &'static [&'static str],
    vals: Vec<Option<(&'t str, Loc)>>,
    at: Loc,
}

impl<'t> A<'t> {
    fn get(&self, name: &str) -> Option<&'t str> {
        let i = self.known.iter().position(|k| *k == name)?;
        self.vals[i].map(|(v, _)| v)
    }
    fn loc(&self, name: &str) -> Loc {
        self.known
            .iter()
            .position(|k| *k == name)
            .and_then(|i| self.vals[i])
            .map(|(_, l)| l)
            .unwrap_or(self.at)
    }
    fn string(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }
}

/// What every typed element (property, parameter, return type, term, type definition) reads
/// the same way: see [`Walker::typed`].
struct Typed<'t> {
    a: A<'t>,
    extras: Extras,
    /// Empty for an element without a `Name` (a return type).
    name: String,
    ty: TypeRef,
    facets: Facets,
}

pub(super) struct Walker<'t, 'm> {
    tree: &'t Tree<'t>,
    file: FileId,
    model: &'m mut Model,
    diags: &'m mut Diagnostics,
    version: ODataVersion,
    /// `Some(true)` inside an EDMX 1.0 wrapper, `Some(false)` inside a V4 one, `None` for a bare schema.
    legacy_wrapper: Option<bool>,
    /// Locations of `ReferentialConstraint` elements of associations, by association index.
    constraint_locs: Vec<(usize, Loc)>,
    /// Foreign-namespace elements kept in their parent's [`Extras`] (by address in the tree),
    /// so that walking the parent's children does not report them as ignored.
    kept_elements: std::collections::HashSet<usize>,
    /// Inside a `Schema` written without its XML namespace (no `xmlns`): elements in no
    /// namespace are read as CSDL.
    unnamespaced_csdl: bool,
}

/// Reads the tree of one document; returns false (after reporting an error) for a wrong root.
pub(super) fn read_tree(
    model: &mut Model,
    file: FileId,
    tree: &Tree<'_>,
    diags: &mut Diagnostics,
) -> bool {
    let root = tree.elem(tree.root);
    let ns = tree.ns(root).to_string();
    let first_nav = model.navigations.len();
    let first_set = model.association_sets.len();
    let mut w = Walker {
        tree,
        file,
        model,
        diags,
        version: ODataVersion::V4,
        legacy_wrapper: None,
        constraint_locs: Vec::new(),
        kept_elements: Default::default(),
        unnamespaced_csdl: false,
    };
    match root.local() {
        "Edmx" if ns == EDMX_V4 || ns == EDMX_V1 => w.edmx(root, ns == EDMX_V1),
        "Schema" if is_edm_ns(&ns) => {
            w.version = if ns == EDM_V4 {
                ODataVersion::V4
            } else if ns == EDM_V3 {
                ODataVersion::V3
            } else {
                ODataVersion::V2
            };
            w.model.files[file.0 as usize].version = w.version;
            w.schema(root);
        }
        // Entity Framework's designer files (`Model.edmx`) wrap their conceptual model, with a
        // database's, in EDMX namespaces of their own.
        "Edmx" if EDMX_ENTITY_FRAMEWORK.contains(&ns.as_ref()) => {
            let at = w.loc(root.pos);
            w.diags.error(
                at,
                format!(
                    "`<{}>` of namespace `{ns}` is an Entity Framework designer file, not a service's `$metadata`: the `Schema` inside its `edmx:ConceptualModels` is CSDL; read the service's `$metadata`, or save that `Schema` element alone as a file",
                    root.qname
                ),
            );
            return false;
        }
        _ => {
            let shown = if ns.is_empty() {
                "no namespace".to_string()
            } else {
                format!("namespace `{ns}`")
            };
            let at = w.loc(root.pos);
            w.diags.error(
                at,
                format!(
                    "wrong root element `<{}>` ({shown}): expected `edmx:Edmx` ({EDMX_V4} or {EDMX_V1}) or a CSDL `Schema`",
                    root.qname
                ),
            );
            return false;
        }
    }
    let locs = std::mem::take(&mut w.constraint_locs);
    lower::lower(w.model, first_nav, first_set, &locs, w.diags);
    true
}

impl<'t, 'm> Walker<'t, 'm> {
    fn loc(&self, p: Pos) -> Loc {
        Loc {
            file: self.file,
            line: p.line,
            col: p.col,
        }
    }

    fn eloc(&self, e: &Elem<'_>) -> Loc {
        self.loc(e.pos)
    }

    fn children(&self, e: &'t Elem<'t>) -> impl Iterator<Item = &'t Elem<'t>> + use<'t, 'm> {
        self.tree.children(e)
    }

    fn is_edm(&self, e: &Elem<'_>) -> bool {
        self.is_edm_uri(self.tree.ns(e))
    }

    /// A CSDL namespace URI, or no namespace inside a `Schema` written without one.
    fn is_edm_uri(&self, ns: &str) -> bool {
        is_edm_ns(ns) || (self.unnamespaced_csdl && ns.is_empty())
    }

    fn ns_of(&self, e: &Elem<'_>) -> &'t str {
        let tree = self.tree;
        &tree.namespaces[e.ns as usize]
    }

    /// Reads the attributes of `e` that are in `known`; foreign-namespace attributes go to
    /// `foreign` (or are reported as ignored when the node cannot keep them); unknown ones are
    /// warned about, and read as the known attribute they unambiguously misspell.
    fn attrs(
        &mut self,
        e: &'t Elem<'t>,
        known: &'static [&'static str],
        mut foreign: Option<&mut Vec<ForeignAttr>>,
    ) -> A<'t> {
        let mut vals: Vec<Option<(&'t str, Loc)>> = vec![None; known.len()];
        let mut unknown: Vec<usize> = Vec::new();
        let tree = self.tree;
        let all = tree.attrs_of(e);
        for (ai, a) in all.iter().enumerate() {
            let loc = self.loc(a.pos);
            let local = a.local();
            if a.ns != 0 && a.ns != e.ns {
                let uri = &self.tree.namespaces[a.ns as usize];
                if uri == M_NS
                    && let Some(i) = known
                        .iter()
                        .position(|k| k.strip_prefix("m:") == Some(local))
                {
                    vals[i] = Some((&a.value, loc));
                    continue;
                }
                match foreign.as_deref_mut() {
                    Some(f) => f.push(ForeignAttr {
                        namespace: uri.clone(),
                        prefix: a.prefix().to_string(),
                        name: local.to_string(),
                        value: a.value.to_string(),
                        loc,
                    }),
                    None => {
                        if uri != XML_NS {
                            self.diags.warning(
                                loc,
                                format!(
                                    "attribute `{}` on `{}` cannot be kept here; ignored",
                                    a.qname,
                                    e.local()
                                ),
                            );
                        }
                    }
                }
                continue;
            }
            match known.iter().position(|k| *k == local) {
                Some(i) => vals[i] = Some((&a.value, loc)),
                None => unknown.push(ai),
            }
        }
        for ai in unknown {
            let a = &all[ai];
            let local = a.local();
            let loc = self.loc(a.pos);
            let cands: Vec<(usize, usize)> = known
                .iter()
                .enumerate()
                .filter(|(_, k)| !k.starts_with("m:"))
                .map(|(i, k)| {
                    (
                        i,
                        if k.eq_ignore_ascii_case(local) {
                            0
                        } else {
                            crate::naming::edit_distance(k, local)
                        },
                    )
                })
                .collect();
            let best = cands.iter().map(|c| c.1).min().unwrap_or(usize::MAX);
            let mut at_best: Vec<usize> =
                cands.iter().filter(|c| c.1 == best).map(|c| c.0).collect();
            if at_best.len() > 1 {
                // Prefer an abbreviation or extension (`FixLength` / `FixedLength`) over other
                // candidates at the same distance (`MaxLength`).
                let sub: Vec<usize> = at_best
                    .iter()
                    .copied()
                    .filter(|&i| is_subsequence(local, known[i]) || is_subsequence(known[i], local))
                    .collect();
                if sub.len() == 1 {
                    at_best = sub;
                }
            }
            if best <= 1 && at_best.len() == 1 && vals[at_best[0]].is_none() {
                let i = at_best[0];
                vals[i] = Some((&a.value, loc));
                self.diags.warning(
                    loc,
                    format!(
                        "unknown attribute `{}` on `{}`; read as `{}`",
                        a.qname,
                        e.local(),
                        known[i]
                    ),
                );
            } else if best <= 2 && at_best.len() == 1 {
                self.diags.warning(
                    loc,
                    format!(
                        "unknown attribute `{}` on `{}`; did you mean `{}`? (ignored)",
                        a.qname,
                        e.local(),
                        known[at_best[0]]
                    ),
                );
            } else {
                self.diags.warning(
                    loc,
                    format!(
                        "unknown attribute `{}` on `{}`; ignored",
                        a.qname,
                        e.local()
                    ),
                );
            }
        }
        A {
            known,
            vals,
            at: self.eloc(e),
        }
    }

    /// [`Self::attrs`] keeping the foreign-namespace attributes in the returned extras, and the
    /// foreign-namespace child elements (annotation elements, which MC-CSDL allows on every
    /// element that can be annotated), also those inside the element's V2/V3 `Documentation`
    /// (SAP SuccessFactors tags every entity set there: `<sap:tagcollection>`), which has no
    /// node of its own to keep them on.
    fn attrs_kept(&mut self, e: &'t Elem<'t>, known: &'static [&'static str]) -> (A<'t>, Extras) {
        let mut extras = Extras::default();
        let a = self.attrs(e, known, Some(&mut extras.foreign));
        for c in self.children(e) {
            if self.is_edm(c) && c.local() == "Documentation" {
                for d in self.children(c) {
                    self.keep_if_foreign(d, &mut extras);
                }
            } else {
                self.keep_if_foreign(c, &mut extras);
            }
        }
        (a, extras)
    }

    /// Keeps `c` in `extras` when it is in a namespace other than CSDL's and EDMX's.
    fn keep_if_foreign(&mut self, c: &'t Elem<'t>, extras: &mut Extras) {
        let ns = self.ns_of(c);
        if !self.is_edm_uri(ns) && ns != EDMX_V4 && ns != EDMX_V1 {
            extras.elements.push(self.foreign_element(c));
            self.kept_elements.insert(std::ptr::from_ref(c) as usize);
        }
    }

    /// `e` and everything inside it, as written.
    fn foreign_element(&self, e: &'t Elem<'t>) -> ForeignElement {
        let attributes = self
            .tree
            .attrs_of(e)
            .iter()
            .map(|a| ForeignAttr {
                namespace: self.tree.namespaces[a.ns as usize].clone(),
                prefix: a.prefix().to_string(),
                name: a.local().to_string(),
                value: a.value.to_string(),
                loc: self.loc(a.pos),
            })
            .collect();
        let prefix = match e.local_start {
            0 => "",
            n => &e.qname[..n - 1],
        };
        ForeignElement {
            namespace: self.ns_of(e).to_string(),
            prefix: prefix.to_string(),
            name: e.local().to_string(),
            attributes,
            children: self.children(e).map(|c| self.foreign_element(c)).collect(),
            text: e.text.to_string(),
            loc: self.eloc(e),
        }
    }

    /// Reads a typed element's attributes: `Name` (required when in `known`), the type
    /// (required, from `type_attr`) and the facets. The caller reads the rest and the children.
    fn typed(
        &mut self,
        e: &'t Elem<'t>,
        known: &'static [&'static str],
        type_attr: &str,
    ) -> Typed<'t> {
        let (a, extras) = self.attrs_kept(e, known);
        let name = if known.contains(&"Name") {
            self.required(&a, "Name", e)
        } else {
            String::new()
        };
        let ty = TypeRef::new(&self.required(&a, type_attr, e));
        let facets = self.facets(&a);
        Typed {
            a,
            extras,
            name,
            ty,
            facets,
        }
    }

    fn required(&mut self, a: &A<'t>, name: &str, e: &Elem<'_>) -> String {
        match a.get(name) {
            Some(v) if v.trim().is_empty() => {
                self.diags
                    .error(a.loc(name), format!("empty `{name}` on `{}`", e.local()));
                String::new()
            }
            Some(v) => v.to_string(),
            None => {
                self.diags.error(
                    a.at,
                    format!("missing required attribute `{name}` on `{}`", e.local()),
                );
                String::new()
            }
        }
    }

    fn bool_attr(&mut self, a: &A<'t>, name: &str) -> Option<bool> {
        let v = a.get(name)?;
        match v {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            // `True`, `FALSE`: not CSDL, but written by real services and tools (odata.net
            // reads booleans in any case).
            _ if v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false") => {
                let value = v.eq_ignore_ascii_case("true");
                self.diags.recovered(
                    a.loc(name),
                    format!("`{name}=\"{v}\"`: a boolean is `true` or `false`, in lower case"),
                    format!("read as `{value}`"),
                );
                Some(value)
            }
            _ => {
                self.diags.error(
                    a.loc(name),
                    format!("invalid value `{v}` for `{name}`: expected `true` or `false`"),
                );
                None
            }
        }
    }

    /// A non-negative integer attribute (parsed by `number`, which also bounds it), or one of
    /// the keywords `words` (any case); an invalid value is an error and reads as absent.
    fn number_or_word<T: Copy>(
        &mut self,
        a: &A<'t>,
        name: &str,
        words: &[(&str, T)],
        number: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let v = a.get(name)?;
        if let Some((_, t)) = words.iter().find(|(w, _)| v.eq_ignore_ascii_case(w)) {
            return Some(*t);
        }
        match number(v) {
            Some(n) if !v.starts_with('+') => Some(n),
            _ => {
                let mut expected = vec!["a non-negative integer".to_string()];
                expected.extend(words.iter().map(|(w, _)| format!("`{w}`")));
                let last = expected.pop().unwrap_or_default();
                let expected = if expected.is_empty() {
                    last
                } else {
                    format!("{} or {last}", expected.join(", "))
                };
                self.diags.error(
                    a.loc(name),
                    format!("invalid value `{v}` for `{name}`: expected {expected}"),
                );
                None
            }
        }
    }

    /// The facet attributes of a typed element (those not in `a`'s known names read as absent).
    fn facets(&mut self, a: &A<'t>) -> Facets {
        Facets {
            nullable: self.bool_attr(a, "Nullable"),
            unicode: self.bool_attr(a, "Unicode"),
            fixed_length: self.bool_attr(a, "FixedLength"),
            precision: self.number_or_word(a, "Precision", &[], |v| v.parse().ok()),
            max_length: self.number_or_word(a, "MaxLength", &[("max", MaxLength::Max)], |v| {
                v.parse().ok().map(MaxLength::Value)
            }),
            scale: self.number_or_word(
                a,
                "Scale",
                &[("variable", Scale::Variable), ("floating", Scale::Floating)],
                |v| v.parse().ok().map(Scale::Value),
            ),
            srid: self.number_or_word(a, "SRID", &[("variable", Srid::Variable)], |v| {
                v.parse().ok().map(Srid::Value)
            }),
        }
    }

    fn unknown_element(&mut self, c: &Elem<'_>, parent: &Elem<'_>) {
        if self
            .kept_elements
            .contains(&(std::ptr::from_ref(c) as usize))
        {
            return;
        }
        let at = self.eloc(c);
        let ns = self.ns_of(c);
        if self.is_edm_uri(ns) || ns == EDMX_V4 || ns == EDMX_V1 {
            self.diags.warning(
                at,
                format!(
                    "unknown element `{}` in `{}`; ignored",
                    c.qname,
                    parent.local()
                ),
            );
        } else {
            let shown = if ns.is_empty() {
                "no namespace".to_string()
            } else {
                format!("namespace `{ns}`")
            };
            self.diags.warning(
                at,
                format!(
                    "element `{}` ({shown}) in `{}` is not CSDL; ignored",
                    c.qname,
                    parent.local()
                ),
            );
        }
    }

    /// Children every annotatable element may have: `Annotation`, V3 `ValueAnnotation` /
    /// `TypeAnnotation`, and `Documentation`. Returns false when `c` is none of them.
    fn common_child(&mut self, c: &'t Elem<'t>, out: &mut Vec<Annotation>) -> bool {
        if !self.is_edm(c) {
            return false;
        }
        if c.local() == "Documentation" {
            self.documentation(c, out);
        } else if let Some(a) = self.annotation_child(c) {
            out.push(a);
        } else {
            return false;
        }
        true
    }

    /// `c` (in the EDM namespace) read as an `Annotation`, V3 `ValueAnnotation` or V3
    /// `TypeAnnotation`; `None` when it is none of them.
    fn annotation_child(&mut self, c: &'t Elem<'t>) -> Option<Annotation> {
        match c.local() {
            "Annotation" | "ValueAnnotation" => Some(self.annotation(c)),
            "TypeAnnotation" => Some(self.type_annotation(c)),
            _ => None,
        }
    }

    /// Handles a child that is not specific to its parent: common children, else a warning.
    fn other_child(&mut self, c: &'t Elem<'t>, parent: &Elem<'_>, out: &mut Vec<Annotation>) {
        if !self.common_child(c, out) {
            self.unknown_element(c, parent);
        }
    }

    /// An element that only carries common children.
    fn only_common(&mut self, e: &'t Elem<'t>, out: &mut Vec<Annotation>) {
        for c in self.children(e) {
            self.other_child(c, e, out);
        }
        self.no_text(e);
    }

    /// An element whose node cannot keep annotations: reads its common children and warns
    /// when there were any.
    fn no_annotations(&mut self, e: &'t Elem<'t>) {
        let mut sink = Vec::new();
        self.only_common(e, &mut sink);
        if !sink.is_empty() {
            let at = self.eloc(e);
            self.diags.warning(
                at,
                format!("annotations on `{}` cannot be kept; ignored", e.local()),
            );
        }
    }

    fn no_text(&mut self, e: &Elem<'_>) {
        if !e.text.trim().is_empty() {
            let at = self.eloc(e);
            self.diags
                .warning(at, format!("text content of `{}` ignored", e.local()));
        }
    }

    fn documentation(&mut self, e: &'t Elem<'t>, out: &mut Vec<Annotation>) {
        self.attrs(e, &[], None);
        for c in self.children(e) {
            let term = match (self.is_edm(c), c.local()) {
                (true, "Summary") => vocab::DESCRIPTION,
                (true, "LongDescription") => vocab::LONG_DESCRIPTION,
                _ => {
                    self.unknown_element(c, e);
                    continue;
                }
            };
            self.attrs(c, &[], None);
            out.push(Annotation {
                term: term.to_string(),
                qualifier: None,
                value: Some(Expr::Constant(ConstKind::String, c.text.to_string())),
                annotations: Vec::new(),
                loc: self.eloc(c),
            });
        }
    }

    // ----- roots -----

    fn edmx(&mut self, root: &'t Elem<'t>, legacy: bool) {
        self.legacy_wrapper = Some(legacy);
        let mut foreign = Vec::new();
        let a = self.attrs(root, &["Version"], Some(&mut foreign));
        let edmx_version = a.get("Version").map(str::to_string);
        if edmx_version.is_none() {
            self.diags
                .error(a.at, "missing required attribute `Version` on `Edmx`");
        }
        let edmx_ns = if legacy { EDMX_V1 } else { EDMX_V4 };
        let mut data_services: Vec<&'t Elem<'t>> = Vec::new();
        let mut references: Vec<&'t Elem<'t>> = Vec::new();
        for c in self.children(root) {
            let ns = self.ns_of(c);
            if ns == EDMX_V4 || ns == EDMX_V1 {
                // SAP V2 services reference V4 vocabularies with V4 `edmx:Reference`s: normal.
                if ns != edmx_ns && c.local() != "Reference" {
                    let at = self.eloc(c);
                    self.diags.warning(
                        at,
                        format!("`{}` of namespace `{ns}` inside an `Edmx` of namespace `{edmx_ns}`; read anyway", c.qname),
                    );
                }
                match c.local() {
                    "DataServices" => {
                        data_services.push(c);
                        continue;
                    }
                    "Reference" => {
                        references.push(c);
                        continue;
                    }
                    // Entity Framework's wrapper (`Runtime/ConceptualModels`, which the .NET
                    // reader accepts and ASP.NET Web API OData baselines use): its conceptual
                    // model is the service's schema.
                    "Runtime" => {
                        let models = self.children(c).find(|m| {
                            m.local() == "ConceptualModels"
                                && matches!(self.ns_of(m), EDMX_V4 | EDMX_V1)
                        });
                        if let Some(m) = models {
                            self.diags.recovered(
                                self.eloc(c),
                                "`Runtime` is Entity Framework's wrapper, not OData's",
                                "its `ConceptualModels` is read as `DataServices`",
                            );
                            data_services.push(m);
                            // Storage models and mappings describe a database, not the service.
                            for other in self.children(c) {
                                if !std::ptr::eq(other, m) {
                                    self.unknown_element(other, c);
                                }
                            }
                            continue;
                        }
                    }
                    _ => {}
                }
            }
            self.unknown_element(c, root);
        }
        if data_services.is_empty() {
            self.diags
                .error(a.at, "`Edmx` has no `DataServices` element");
        }
        for extra in data_services.iter().skip(1) {
            let at = self.eloc(extra);
            self.diags.error(at, "more than one `DataServices` element");
        }
        // Version detection.
        let mut dsv = None;
        let mut max_dsv = None;
        if let Some(ds) = data_services.first() {
            let da = self.attrs(
                ds,
                &["m:DataServiceVersion", "m:MaxDataServiceVersion"],
                Some(&mut foreign),
            );
            dsv = da.string("m:DataServiceVersion");
            max_dsv = da.string("m:MaxDataServiceVersion");
            self.version = if !legacy {
                ODataVersion::V4
            } else {
                let by_ns = || {
                    let first_schema = self.tree.children(ds).find(|c| c.local() == "Schema");
                    match first_schema {
                        Some(s) if self.tree.ns(s) == EDM_V3 => ODataVersion::V3,
                        Some(s) if self.tree.ns(s) == EDM_V4 => ODataVersion::V4,
                        _ => ODataVersion::V2,
                    }
                };
                match dsv.as_deref() {
                    Some("3.0") => ODataVersion::V3,
                    Some("1.0") | Some("2.0") => ODataVersion::V2,
                    None => by_ns(),
                    Some(other) => {
                        let v = by_ns();
                        self.diags.warning(
                            da.loc("m:DataServiceVersion"),
                            format!("unknown `DataServiceVersion` `{other}`; reading as {v:?}"),
                        );
                        v
                    }
                }
            };
        }
        {
            let f = &mut self.model.files[self.file.0 as usize];
            f.version = self.version;
            f.edmx_version = edmx_version;
            f.data_service_version = dsv;
            f.max_data_service_version = max_dsv;
            f.foreign = foreign;
        }
        for r in references {
            self.reference(r);
        }
        for ds in data_services {
            let schemas_before = self.model.schemas.len();
            for c in self.children(ds) {
                if self.is_edm(c) && c.local() == "Schema" {
                    let ns = self.ns_of(c);
                    if legacy && ns == EDM_V4 {
                        let at = self.eloc(c);
                        self.diags.warning(
                            at,
                            "V4 `Schema` inside an EDMX 1.0 (V2/V3) document; read anyway",
                        );
                    } else if !legacy && ns != EDM_V4 {
                        let at = self.eloc(c);
                        self.diags.warning(
                            at,
                            format!(
                                "V2/V3 `Schema` (namespace `{ns}`) inside a V4 `Edmx`; read anyway"
                            ),
                        );
                    }
                    self.schema(c);
                } else if c.local() == "Schema" && self.ns_of(c).is_empty() {
                    // `<Schema Namespace="…">` without `xmlns` (SAP's SDK samples): what else
                    // could it be.
                    let at = self.eloc(c);
                    let version = self.version;
                    self.diags.recovered(
                        at,
                        "`Schema` is in no XML namespace (its `xmlns` is missing)",
                        format!("read as {version:?} CSDL, and so are the elements in it"),
                    );
                    self.unnamespaced_csdl = true;
                    self.schema(c);
                    self.unnamespaced_csdl = false;
                } else {
                    self.unknown_element(c, ds);
                }
            }
            if self.model.schemas.len() == schemas_before {
                // An empty crate would be generated without a word otherwise. A `Schema` in
                // another XML namespace was warned about above, but `-q` hides warnings: the
                // error says it too.
                let foreign: Vec<String> = self
                    .children(ds)
                    .filter(|c| c.local() == "Schema" && !self.ns_of(c).is_empty())
                    .map(|c| format!("`{}`", self.ns_of(c)))
                    .collect();
                let why = if foreign.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (its `Schema` is in XML namespace {}, which is not CSDL's)",
                        foreign.join(", ")
                    )
                };
                let at = self.eloc(ds);
                self.diags.error(
                    at,
                    format!(
                        "`{}` holds no CSDL `Schema`{why}: nothing to generate",
                        ds.qname
                    ),
                );
            }
            self.no_text(ds);
        }
        self.no_text(root);
    }

    fn reference(&mut self, e: &'t Elem<'t>) {
        let mut r = Reference {
            loc: self.eloc(e),
            ..Reference::default()
        };
        let a = self.attrs(e, &["Uri", "Url"], Some(&mut r.extras.foreign));
        r.uri = match a.get("Uri").or(a.get("Url")) {
            Some(u) => u.to_string(),
            None => {
                self.diags
                    .error(a.at, "missing required attribute `Uri` on `Reference`");
                String::new()
            }
        };
        for c in self.children(e) {
            let ns = self.ns_of(c);
            if ns == EDMX_V4 || ns == EDMX_V1 {
                match c.local() {
                    "Include" => {
                        let mut inc = Include {
                            loc: self.eloc(c),
                            ..Include::default()
                        };
                        let ia =
                            self.attrs(c, &["Namespace", "Alias"], Some(&mut inc.extras.foreign));
                        inc.namespace = self.required(&ia, "Namespace", c);
                        inc.alias = ia.string("Alias");
                        self.only_common(c, &mut inc.extras.annotations);
                        r.includes.push(inc);
                        continue;
                    }
                    "IncludeAnnotations" => {
                        let ia =
                            self.attrs(c, &["TermNamespace", "Qualifier", "TargetNamespace"], None);
                        let inc = IncludeAnnotations {
                            term_namespace: self.required(&ia, "TermNamespace", c),
                            qualifier: ia.string("Qualifier"),
                            target_namespace: ia.string("TargetNamespace"),
                            loc: self.eloc(c),
                        };
                        self.no_annotations(c);
                        r.include_annotations.push(inc);
                        continue;
                    }
                    _ => {}
                }
            }
            self.other_child(c, e, &mut r.extras.annotations);
        }
        self.model.files[self.file.0 as usize].references.push(r);
    }

    // ----- schema -----

    fn schema(&mut self, e: &'t Elem<'t>) {
        let sid = SchemaId(self.model.schemas.len() as u32);
        let (a, mut extras) = self.attrs_kept(e, &["Namespace", "Alias"]);
        let namespace = self.required(&a, "Namespace", e);
        self.model.schemas.push(Schema {
            namespace,
            alias: a.string("Alias"),
            file: self.file,
            loc: self.eloc(e),
            ..Schema::default()
        });
        for c in self.children(e) {
            if !self.is_edm(c) {
                self.unknown_element(c, e);
                continue;
            }
            match c.local() {
                "EntityType" => self.structured(c, sid, true),
                "ComplexType" => self.structured(c, sid, false),
                "EnumType" => self.enum_type(c, sid),
                "TypeDefinition" => self.type_definition(c, sid),
                "Action" => self.operation(c, sid, OperationKind::Action),
                "Function" => self.operation(c, sid, OperationKind::Function),
                "EntityContainer" => self.container(c, sid),
                "Term" | "ValueTerm" => self.term(c, sid),
                "Annotations" => self.annotations_block(c, sid),
                "Association" => self.association(c, sid),
                "Using" => self.using(c),
                _ => self.other_child(c, e, &mut extras.annotations),
            }
        }
        self.no_text(e);
        self.model.schemas[sid.index()].extras = extras;
    }

    fn using(&mut self, e: &'t Elem<'t>) {
        let mut inc = Include {
            loc: self.eloc(e),
            ..Include::default()
        };
        let a = self.attrs(e, &["Namespace", "Alias"], Some(&mut inc.extras.foreign));
        inc.namespace = self.required(&a, "Namespace", e);
        inc.alias = a.string("Alias");
        self.only_common(e, &mut inc.extras.annotations);
        let r = Reference {
            uri: String::new(),
            includes: vec![inc],
            loc: self.eloc(e),
            ..Reference::default()
        };
        self.model.files[self.file.0 as usize].references.push(r);
    }

    fn push_type(&mut self, sid: SchemaId, name: String, e: &Elem<'_>, kind: TypeKind) -> TypeId {
        let tid = TypeId(self.model.types.len() as u32);
        self.model.types.push(Type {
            name,
            schema: sid,
            loc: self.eloc(e),
            extras: Extras::default(),
            kind,
            rust_name: String::new(),
        });
        self.model.schemas[sid.index()].types.push(tid);
        tid
    }

    fn structured(&mut self, e: &'t Elem<'t>, sid: SchemaId, entity: bool) {
        const ENTITY: &[&str] = &[
            "Name",
            "BaseType",
            "Abstract",
            "OpenType",
            "HasStream",
            "m:HasStream",
        ];
        const COMPLEX: &[&str] = &["Name", "BaseType", "Abstract", "OpenType"];
        let (a, mut extras) = self.attrs_kept(e, if entity { ENTITY } else { COMPLEX });
        let name = self.required(&a, "Name", e);
        let mut st = StructuredType {
            base_name: a.string("BaseType"),
            is_abstract: self.bool_attr(&a, "Abstract").unwrap_or(false),
            open: self.bool_attr(&a, "OpenType").unwrap_or(false),
            ..StructuredType::default()
        };
        if entity {
            let v4 = self.bool_attr(&a, "HasStream");
            let m = self.bool_attr(&a, "m:HasStream");
            st.has_stream = v4.or(m).unwrap_or(false);
        }
        let placeholder = if entity {
            TypeKind::Entity(StructuredType::default())
        } else {
            TypeKind::Complex(StructuredType::default())
        };
        let tid = self.push_type(sid, name, e, placeholder);
        for c in self.children(e) {
            if !self.is_edm(c) {
                self.unknown_element(c, e);
                continue;
            }
            match c.local() {
                "Key" if entity => {
                    if st.key_loc.is_some() {
                        let at = self.eloc(c);
                        self.diags.error(at, "more than one `Key` element");
                    }
                    st.key_loc = Some(self.eloc(c));
                    self.attrs(c, &[], None);
                    for k in self.children(c) {
                        if self.is_edm(k) && k.local() == "PropertyRef" {
                            let ka = self.attrs(k, &["Name", "Alias"], None);
                            let kr = KeyRef {
                                name: self.required(&ka, "Name", k),
                                alias: ka.string("Alias"),
                                loc: self.eloc(k),
                            };
                            self.no_annotations(k);
                            st.key.push(kr);
                        } else {
                            self.unknown_element(k, c);
                        }
                    }
                }
                "Property" => {
                    let p = self.property(c, tid);
                    st.properties.push(p);
                }
                "NavigationProperty" => {
                    let n = self.navigation(c, tid);
                    st.navigations.push(n);
                }
                _ => self.other_child(c, e, &mut extras.annotations),
            }
        }
        self.no_text(e);
        let t = &mut self.model.types[tid.index()];
        t.extras = extras;
        t.kind = if entity {
            TypeKind::Entity(st)
        } else {
            TypeKind::Complex(st)
        };
    }

    fn property(&mut self, e: &'t Elem<'t>, owner: TypeId) -> PropertyId {
        const KNOWN: &[&str] = with_facets!(
            "Name",
            "Type",
            "DefaultValue",
            "FixedLength",
            "ConcurrencyMode",
            "CollectionKind"
        );
        let mut t = self.typed(e, KNOWN, "Type");
        // CSDL 2.0/3.0 `CollectionKind="List"` (or `Bag`): a collection of the type, which V4
        // (and V3 services) write `Collection(T)`.
        match t.a.get("CollectionKind") {
            None => {}
            Some(kind) if kind.eq_ignore_ascii_case("none") => {}
            Some(kind) if kind.eq_ignore_ascii_case("list") || kind.eq_ignore_ascii_case("bag") => {
                if self.version == ODataVersion::V4 {
                    self.diags.recovered(
                        t.a.loc("CollectionKind"),
                        format!(
                            "property `{}`: `CollectionKind=\"{kind}\"` is CSDL 2.0/3.0; V4 writes `Collection(…)`",
                            t.name
                        ),
                        format!("read as `Collection({})`", t.ty.name),
                    );
                }
                t.ty.collection = true;
            }
            Some(v) => self.diags.warning(
                t.a.loc("CollectionKind"),
                format!(
                    "property `{}`: invalid value `{v}` for `CollectionKind` (expected `None`, `List` or `Bag`); ignored",
                    t.name
                ),
            ),
        }
        let a = &t.a;
        let concurrency_fixed = match a.get("ConcurrencyMode") {
            None | Some("None") => false,
            Some("Fixed") => true,
            Some(v) => {
                self.diags.error(
                    a.loc("ConcurrencyMode"),
                    format!(
                        "invalid value `{v}` for `ConcurrencyMode`: expected `None` or `Fixed`"
                    ),
                );
                false
            }
        };
        self.only_common(e, &mut t.extras.annotations);
        let id = PropertyId(self.model.properties.len() as u32);
        self.model.properties.push(Property {
            name: t.name,
            owner,
            ty: t.ty,
            facets: t.facets,
            default_value: t.a.string("DefaultValue"),
            concurrency_fixed,
            loc: t.a.at,
            extras: t.extras,
            rust_name: String::new(),
        });
        id
    }

    fn navigation(&mut self, e: &'t Elem<'t>, owner: TypeId) -> NavId {
        const KNOWN: &[&str] = &[
            "Name",
            "Type",
            "Nullable",
            "Partner",
            "ContainsTarget",
            "Relationship",
            "FromRole",
            "ToRole",
        ];
        let (a, mut extras) = self.attrs_kept(e, KNOWN);
        let name = self.required(&a, "Name", e);
        let (from_role, to_role) = if a.get("Relationship").is_some() {
            (
                self.required(&a, "FromRole", e),
                self.required(&a, "ToRole", e),
            )
        } else {
            (String::new(), String::new())
        };
        let association = a.get("Relationship").map(|rel| AssociationRef {
            relationship: rel.to_string(),
            from_role: from_role.clone(),
            to_role: to_role.clone(),
        });
        let ty = match a.get("Type") {
            Some(t) => TypeRef::new(t),
            None => {
                if association.is_none() && a.get("Partner").is_some() {
                    // Unambiguous when the partner names it back: resolution infers the type
                    // from the partner (olingo's copy of the CSDL spec example has this defect).
                    self.diags.warning(
                        a.at,
                        "missing required attribute `Type` on `NavigationProperty`; inferred from its `Partner`",
                    );
                } else if association.is_none() {
                    self.diags.error(
                        a.at,
                        "missing required attribute `Type` on `NavigationProperty`",
                    );
                }
                // Filled in from the association end when lowering.
                TypeRef::new("")
            }
        };
        let mut nav = NavigationProperty {
            name,
            owner,
            ty,
            nullable: self.bool_attr(&a, "Nullable"),
            partner_name: a.string("Partner"),
            contains_target: self.bool_attr(&a, "ContainsTarget").unwrap_or(false),
            on_delete: None,
            referential_constraints: Vec::new(),
            association,
            loc: a.at,
            extras: Extras::default(),
            partner: None,
            rust_name: String::new(),
        };
        for c in self.children(e) {
            match (self.is_edm(c), c.local()) {
                (true, "OnDelete") => {
                    let oa = self.attrs(c, &["Action"], None);
                    let action = self.required(&oa, "Action", c);
                    if nav.on_delete.is_some() {
                        let at = self.eloc(c);
                        self.diags.error(at, "more than one `OnDelete` element");
                    }
                    nav.on_delete = Some(OnDelete {
                        action,
                        loc: self.eloc(c),
                    });
                    let mut sink = Vec::new();
                    self.only_common(c, &mut sink);
                    // Annotations of OnDelete have no node of their own: keep them on the
                    // navigation property rather than dropping them.
                    extras.annotations.extend(sink);
                }
                (true, "ReferentialConstraint") => {
                    let (ra, mut rx) = self.attrs_kept(c, &["Property", "ReferencedProperty"]);
                    let rc = ReferentialConstraint {
                        property: self.required(&ra, "Property", c),
                        referenced_property: self.required(&ra, "ReferencedProperty", c),
                        loc: self.eloc(c),
                        extras: Extras::default(),
                    };
                    self.only_common(c, &mut rx.annotations);
                    nav.referential_constraints
                        .push(ReferentialConstraint { extras: rx, ..rc });
                }
                _ => self.other_child(c, e, &mut extras.annotations),
            }
        }
        self.no_text(e);
        nav.extras = extras;
        let id = NavId(self.model.navigations.len() as u32);
        self.model.navigations.push(nav);
        id
    }

    fn enum_type(&mut self, e: &'t Elem<'t>, sid: SchemaId) {
        let (a, mut extras) = self.attrs_kept(e, &["Name", "UnderlyingType", "IsFlags"]);
        let name = self.required(&a, "Name", e);
        let underlying_written = a.string("UnderlyingType");
        let underlying = match underlying_written.as_deref() {
            None => Primitive::Int32,
            Some(w) => match Primitive::from_edm(w) {
                Some(p) => p,
                None => {
                    self.diags.error(
                        a.loc("UnderlyingType"),
                        format!("invalid `UnderlyingType` `{w}`: expected `Edm.Byte`, `Edm.SByte`, `Edm.Int16`, `Edm.Int32` or `Edm.Int64`"),
                    );
                    Primitive::Int32
                }
            },
        };
        let is_flags = self.bool_attr(&a, "IsFlags").unwrap_or(false);
        let mut members = Vec::new();
        let mut next: i64 = 0;
        for c in self.children(e) {
            if self.is_edm(c) && c.local() == "Member" {
                let (ma, mut mx) = self.attrs_kept(c, &["Name", "Value"]);
                let mname = self.required(&ma, "Name", c);
                let written = ma.string("Value");
                let value = match written.as_deref() {
                    Some(v) => match v.trim().parse::<i64>() {
                        Ok(n) => n,
                        Err(e) => {
                            let message = match e.kind() {
                                std::num::IntErrorKind::PosOverflow
                                | std::num::IntErrorKind::NegOverflow => format!(
                                    "enum member value `{v}` is out of the range of {}",
                                    underlying.edm_name()
                                ),
                                _ => {
                                    format!("invalid enum member value `{v}`: expected an integer")
                                }
                            };
                            self.diags.error(ma.loc("Value"), message);
                            next
                        }
                    },
                    None => next,
                };
                next = value.wrapping_add(1);
                self.only_common(c, &mut mx.annotations);
                members.push(EnumMember {
                    name: mname,
                    value,
                    value_written: written,
                    loc: self.eloc(c),
                    extras: mx,
                    rust_name: String::new(),
                });
            } else {
                self.other_child(c, e, &mut extras.annotations);
            }
        }
        self.no_text(e);
        let tid = self.push_type(
            sid,
            name,
            e,
            TypeKind::Enum(EnumType {
                underlying,
                underlying_written,
                is_flags,
                members,
            }),
        );
        self.model.types[tid.index()].extras = extras;
    }

    fn type_definition(&mut self, e: &'t Elem<'t>, sid: SchemaId) {
        const KNOWN: &[&str] = &[
            "Name",
            "UnderlyingType",
            "MaxLength",
            "Precision",
            "Scale",
            "SRID",
            "Unicode",
        ];
        let mut t = self.typed(e, KNOWN, "UnderlyingType");
        self.only_common(e, &mut t.extras.annotations);
        let tid = self.push_type(
            sid,
            t.name,
            e,
            TypeKind::Definition(TypeDefinition {
                underlying: t.ty,
                facets: t.facets,
            }),
        );
        self.model.types[tid.index()].extras = t.extras;
    }

    fn parameter(&mut self, e: &'t Elem<'t>) -> Parameter {
        let mut t = self.typed(
            e,
            with_facets!("Name", "Type", "FixedLength", "Mode"),
            "Type",
        );
        self.only_common(e, &mut t.extras.annotations);
        Parameter {
            name: t.name,
            ty: t.ty,
            facets: t.facets,
            mode: t.a.string("Mode"),
            loc: t.a.at,
            extras: t.extras,
            rust_name: String::new(),
        }
    }

    fn return_type(&mut self, e: &'t Elem<'t>) -> ReturnType {
        let mut t = self.typed(e, with_facets!("Type", "FixedLength"), "Type");
        self.only_common(e, &mut t.extras.annotations);
        ReturnType {
            ty: t.ty,
            facets: t.facets,
            loc: t.a.at,
            extras: t.extras,
        }
    }

    fn operation(&mut self, e: &'t Elem<'t>, sid: SchemaId, kind: OperationKind) {
        const KNOWN: &[&str] = &[
            "Name",
            "IsBound",
            "EntitySetPath",
            "IsComposable",
            "ReturnType",
        ];
        let (a, mut extras) = self.attrs_kept(e, KNOWN);
        let name = self.required(&a, "Name", e);
        let mut op = Operation {
            kind,
            name,
            schema: sid,
            is_bound: self.bool_attr(&a, "IsBound").unwrap_or(false),
            entity_set_path: a.string("EntitySetPath"),
            is_composable: self.bool_attr(&a, "IsComposable").unwrap_or(false),
            parameters: Vec::new(),
            return_type: attr_return_type(&a),
            function_import: None,
            loc: a.at,
            extras: Extras::default(),
            rust_name: String::new(),
        };
        self.signature(
            e,
            &mut op.parameters,
            &mut op.return_type,
            &mut extras.annotations,
        );
        op.extras = extras;
        let id = OperationId(self.model.operations.len() as u32);
        self.model.operations.push(op);
        self.model.schemas[sid.index()].operations.push(id);
    }

    /// The children of an operation or V2/V3 function import: parameters, a return type (after
    /// any from the `ReturnType` attribute) and common children.
    fn signature(
        &mut self,
        e: &'t Elem<'t>,
        parameters: &mut Vec<Parameter>,
        return_type: &mut Option<ReturnType>,
        anns: &mut Vec<Annotation>,
    ) {
        for c in self.children(e) {
            match (self.is_edm(c), c.local()) {
                (true, "Parameter") => parameters.push(self.parameter(c)),
                (true, "ReturnType") => {
                    if return_type.is_some() {
                        let at = self.eloc(c);
                        self.diags.error(at, "more than one return type");
                    }
                    *return_type = Some(self.return_type(c));
                }
                _ => self.other_child(c, e, anns),
            }
        }
        self.no_text(e);
    }

    fn term(&mut self, e: &'t Elem<'t>, sid: SchemaId) {
        const KNOWN: &[&str] =
            with_facets!("Name", "Type", "BaseTerm", "DefaultValue", "AppliesTo");
        let mut t = self.typed(e, KNOWN, "Type");
        self.only_common(e, &mut t.extras.annotations);
        let id = TermId(self.model.terms.len() as u32);
        self.model.terms.push(Term {
            name: t.name,
            schema: sid,
            ty: t.ty,
            facets: t.facets,
            base_term: t.a.string("BaseTerm"),
            default_value: t.a.string("DefaultValue"),
            applies_to: (t.a.get("AppliesTo"))
                .map(|s| s.split_whitespace().map(str::to_string).collect())
                .unwrap_or_default(),
            loc: t.a.at,
            extras: t.extras,
        });
        self.model.schemas[sid.index()].terms.push(id);
    }

    fn annotations_block(&mut self, e: &'t Elem<'t>, sid: SchemaId) {
        let a = self.attrs(e, &["Target", "Qualifier"], None);
        let target = self.required(&a, "Target", e);
        let mut anns = Vec::new();
        for c in self.children(e) {
            let x = if self.is_edm(c) {
                self.annotation_child(c)
            } else {
                None
            };
            match x {
                Some(x) => anns.push(x),
                None => self.unknown_element(c, e),
            }
        }
        self.no_text(e);
        let id = AnnotationsId(self.model.annotation_blocks.len() as u32);
        self.model.annotation_blocks.push(AnnotationsBlock {
            target,
            qualifier: a.string("Qualifier"),
            schema: sid,
            annotations: anns,
            loc: a.at,
            resolved: None,
        });
        self.model.schemas[sid.index()].annotation_blocks.push(id);
    }

    // ----- containers -----

    fn container(&mut self, e: &'t Elem<'t>, sid: SchemaId) {
        let cid = ContainerId(self.model.containers.len() as u32);
        let (a, mut extras) =
            self.attrs_kept(e, &["Name", "Extends", "m:IsDefaultEntityContainer"]);
        let mut ec = EntityContainer {
            name: self.required(&a, "Name", e),
            schema: sid,
            extends_name: a.string("Extends"),
            is_default: self.bool_attr(&a, "m:IsDefaultEntityContainer"),
            loc: a.at,
            ..EntityContainer::default()
        };
        self.model.containers.push(EntityContainer::default());
        self.model.schemas[sid.index()].containers.push(cid);
        for c in self.children(e) {
            if !self.is_edm(c) {
                self.unknown_element(c, e);
                continue;
            }
            match c.local() {
                "EntitySet" => {
                    let (sa, mut x) =
                        self.attrs_kept(c, &["Name", "EntityType", "IncludeInServiceDocument"]);
                    let name = self.required(&sa, "Name", c);
                    let ty = self.required(&sa, "EntityType", c);
                    let include = self.bool_attr(&sa, "IncludeInServiceDocument");
                    let bindings = self.bindings(c, &mut x.annotations);
                    ec.entity_sets.push(EntitySet {
                        name,
                        ty: TypeRef::new(&ty),
                        include_in_service_document: include,
                        bindings,
                        loc: sa.at,
                        extras: x,
                        rust_name: String::new(),
                    });
                }
                "Singleton" => {
                    let (sa, mut x) =
                        self.attrs_kept(c, &["Name", "Type", "Nullable", "EntityType"]);
                    let name = self.required(&sa, "Name", c);
                    // `EntityType` (as an entity set says it) where `Type` belongs: early
                    // ASP.NET Web API OData wrote singletons so.
                    let ty = match (sa.get("Type"), sa.get("EntityType")) {
                        (None, Some(t)) => {
                            self.diags.recovered(
                                sa.loc("EntityType"),
                                format!("singleton `{name}`: its type is `Type`, not `EntityType`"),
                                format!("read as `Type=\"{t}\"`"),
                            );
                            t.to_string()
                        }
                        (_, Some(_)) => {
                            self.diags.warning(
                                sa.loc("EntityType"),
                                format!("singleton `{name}`: `EntityType` next to `Type`; ignored"),
                            );
                            self.required(&sa, "Type", c)
                        }
                        (_, None) => self.required(&sa, "Type", c),
                    };
                    let nullable = self.bool_attr(&sa, "Nullable");
                    let bindings = self.bindings(c, &mut x.annotations);
                    ec.singletons.push(Singleton {
                        name,
                        ty: TypeRef::new(&ty),
                        nullable,
                        bindings,
                        loc: sa.at,
                        extras: x,
                        rust_name: String::new(),
                    });
                }
                "ActionImport" => {
                    let imp = self.operation_import(c, &["Name", "Action", "EntitySet"]);
                    ec.action_imports.push(imp);
                }
                "FunctionImport" => {
                    let v4 = self
                        .tree
                        .attrs_of(c)
                        .iter()
                        .any(|at| at.ns == 0 && at.local() == "Function");
                    if v4 {
                        const KNOWN: &[&str] =
                            &["Name", "Function", "EntitySet", "IncludeInServiceDocument"];
                        let imp = self.operation_import(c, KNOWN);
                        ec.function_imports.push(imp);
                    } else {
                        if self.version == ODataVersion::V4 {
                            let at = self.eloc(c);
                            self.diags.warning(
                                at,
                                "V2/V3 `FunctionImport` (no `Function` attribute) in a V4 document; read as V2/V3",
                            );
                        }
                        self.legacy_function_import(c, sid, cid, &mut ec);
                    }
                }
                "AssociationSet" => self.association_set(c, cid),
                _ => self.other_child(c, e, &mut extras.annotations),
            }
        }
        self.no_text(e);
        ec.extras = extras;
        self.model.containers[cid.index()] = ec;
    }

    /// A V4 `ActionImport` or `FunctionImport`: `known` names the operation attribute
    /// (`Action` or `Function`) second.
    fn operation_import(
        &mut self,
        e: &'t Elem<'t>,
        known: &'static [&'static str],
    ) -> OperationImport {
        let (a, mut extras) = self.attrs_kept(e, known);
        let imp = OperationImport {
            name: self.required(&a, "Name", e),
            operation_name: self.required(&a, known[1], e),
            entity_set: a.string("EntitySet"),
            include_in_service_document: self.bool_attr(&a, "IncludeInServiceDocument"),
            loc: a.at,
            extras: Extras::default(),
            operations: Vec::new(),
            rust_name: String::new(),
        };
        self.only_common(e, &mut extras.annotations);
        OperationImport { extras, ..imp }
    }

    /// `NavigationPropertyBinding` children of an entity set or singleton, plus common children.
    fn bindings(
        &mut self,
        e: &'t Elem<'t>,
        anns: &mut Vec<Annotation>,
    ) -> Vec<NavigationPropertyBinding> {
        let mut out = Vec::new();
        for c in self.children(e) {
            if self.is_edm(c) && c.local() == "NavigationPropertyBinding" {
                let ba = self.attrs(c, &["Path", "Target"], None);
                out.push(NavigationPropertyBinding {
                    path: self.required(&ba, "Path", c),
                    target: self.required(&ba, "Target", c),
                    loc: ba.at,
                });
                self.no_annotations(c);
            } else {
                self.other_child(c, e, anns);
            }
        }
        self.no_text(e);
        out
    }

    /// A V2/V3 `FunctionImport`: an operation in the container's schema, plus an import when
    /// it is not bindable.
    fn legacy_function_import(
        &mut self,
        e: &'t Elem<'t>,
        sid: SchemaId,
        cid: ContainerId,
        ec: &mut EntityContainer,
    ) {
        const KNOWN: &[&str] = &[
            "Name",
            "ReturnType",
            "EntitySet",
            "EntitySetPath",
            "IsSideEffecting",
            "IsBindable",
            "IsComposable",
            "m:HttpMethod",
        ];
        let (a, mut extras) = self.attrs_kept(e, KNOWN);
        let name = self.required(&a, "Name", e);
        let http_method = a.string("m:HttpMethod");
        let is_side_effecting = self.bool_attr(&a, "IsSideEffecting");
        let is_bindable = self.bool_attr(&a, "IsBindable");
        let is_composable = self.bool_attr(&a, "IsComposable").unwrap_or(false);
        // [MS-CSDL] 2.1.15: IsSideEffecting defaults to true, but a composable function import
        // cannot have side effects, so there it defaults to false (as odata.net reads it;
        // SharePoint's `GetByTitle` says only `IsComposable="true"`); a GET service operation
        // is a function.
        let kind = if http_method
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case("GET"))
            || !is_side_effecting.unwrap_or(!is_composable)
        {
            OperationKind::Function
        } else {
            OperationKind::Action
        };
        let mut return_type = attr_return_type(&a);
        let mut parameters = Vec::new();
        self.signature(
            e,
            &mut parameters,
            &mut return_type,
            &mut extras.annotations,
        );
        let entity_set = a.string("EntitySet");
        let bound = is_bindable == Some(true);
        let namespace = self.model.schemas[sid.index()].namespace.clone();
        let oid = OperationId(self.model.operations.len() as u32);
        self.model.operations.push(Operation {
            kind,
            name: name.clone(),
            schema: sid,
            is_bound: bound,
            entity_set_path: a.string("EntitySetPath"),
            is_composable,
            parameters,
            return_type,
            function_import: Some(FunctionImportOrigin {
                http_method,
                is_side_effecting,
                is_bindable,
                entity_set: entity_set.clone(),
                container: cid,
            }),
            loc: a.at,
            extras,
            rust_name: String::new(),
        });
        self.model.schemas[sid.index()].operations.push(oid);
        if !bound {
            let imp = OperationImport {
                name: name.clone(),
                operation_name: format!("{namespace}.{name}"),
                entity_set,
                include_in_service_document: None,
                loc: a.at,
                extras: Extras::default(),
                operations: vec![oid],
                rust_name: String::new(),
            };
            match kind {
                OperationKind::Function => ec.function_imports.push(imp),
                OperationKind::Action => ec.action_imports.push(imp),
            }
        }
    }

    fn association_set(&mut self, e: &'t Elem<'t>, cid: ContainerId) {
        let (a, mut extras) = self.attrs_kept(e, &["Name", "Association"]);
        let name = self.required(&a, "Name", e);
        let association = self.required(&a, "Association", e);
        let mut ends = Vec::new();
        for c in self.children(e) {
            if self.is_edm(c) && c.local() == "End" {
                let ea = self.attrs(c, &["EntitySet", "Role"], None);
                let entity_set = self.required(&ea, "EntitySet", c);
                ends.push(AssociationSetEnd {
                    entity_set,
                    role: ea.string("Role"),
                    loc: ea.at,
                });
                // Documentation of an end has no node of its own: keep it on the set.
                self.only_common(c, &mut extras.annotations);
            } else {
                self.other_child(c, e, &mut extras.annotations);
            }
        }
        self.no_text(e);
        self.model.association_sets.push(AssociationSet {
            name,
            container: cid,
            association,
            ends,
            loc: a.at,
            extras,
        });
    }

    fn association(&mut self, e: &'t Elem<'t>, sid: SchemaId) {
        let (a, mut extras) = self.attrs_kept(e, &["Name"]);
        let name = self.required(&a, "Name", e);
        let mut ends = Vec::new();
        let mut constraint = None;
        let index = self.model.associations.len();
        for c in self.children(e) {
            match (self.is_edm(c), c.local()) {
                (true, "End") => {
                    let ea = self.attrs(c, &["Role", "Type", "Multiplicity"], None);
                    let mut end = AssociationEnd {
                        role: self.required(&ea, "Role", c),
                        ty: self.required(&ea, "Type", c),
                        multiplicity: self.required(&ea, "Multiplicity", c),
                        on_delete: None,
                        loc: ea.at,
                    };
                    if !matches!(end.multiplicity.as_str(), "1" | "0..1" | "*" | "") {
                        self.diags.error(
                            ea.loc("Multiplicity"),
                            format!(
                                "invalid `Multiplicity` `{}`: expected `1`, `0..1` or `*`",
                                end.multiplicity
                            ),
                        );
                    }
                    let mut sink = Vec::new();
                    for d in self.children(c) {
                        if self.is_edm(d) && d.local() == "OnDelete" {
                            let oa = self.attrs(d, &["Action"], None);
                            end.on_delete = Some(OnDelete {
                                action: self.required(&oa, "Action", d),
                                loc: oa.at,
                            });
                            self.only_common(d, &mut sink);
                        } else {
                            self.other_child(d, c, &mut sink);
                        }
                    }
                    extras.annotations.extend(sink);
                    ends.push(end);
                }
                (true, "ReferentialConstraint") => {
                    self.attrs(c, &[], None);
                    let mut principal: Option<(String, Vec<String>)> = None;
                    let mut dependent: Option<(String, Vec<String>)> = None;
                    for d in self.children(c) {
                        let which = match (self.is_edm(d), d.local()) {
                            (true, "Principal") => &mut principal,
                            (true, "Dependent") => &mut dependent,
                            _ => {
                                self.other_child(d, c, &mut extras.annotations);
                                continue;
                            }
                        };
                        let ra = self.attrs(d, &["Role"], None);
                        let role = self.required(&ra, "Role", d);
                        let mut props = Vec::new();
                        for p in self.children(d) {
                            if self.is_edm(p) && p.local() == "PropertyRef" {
                                let pa = self.attrs(p, &["Name"], None);
                                props.push(self.required(&pa, "Name", p));
                            } else {
                                self.other_child(p, d, &mut extras.annotations);
                            }
                        }
                        *which = Some((role, props));
                    }
                    let at = self.eloc(c);
                    match (principal, dependent) {
                        (Some((pr, pp)), Some((dr, dp))) => {
                            if pp.len() != dp.len() {
                                self.diags.error(
                                    at,
                                    format!(
                                        "referential constraint has {} principal and {} dependent properties",
                                        pp.len(),
                                        dp.len()
                                    ),
                                );
                            }
                            constraint = Some((pr, dr, pp.into_iter().zip(dp).collect()));
                            self.constraint_locs.push((index, at));
                        }
                        _ => self.diags.error(
                            at,
                            "`ReferentialConstraint` needs a `Principal` and a `Dependent`",
                        ),
                    }
                }
                _ => self.other_child(c, e, &mut extras.annotations),
            }
        }
        self.no_text(e);
        if ends.len() != 2 {
            self.diags.error(
                a.at,
                format!(
                    "association `{name}` has {} ends; an association has exactly two",
                    ends.len()
                ),
            );
        }
        self.model.associations.push(Association {
            name,
            schema: sid,
            ends,
            constraint,
            loc: a.at,
            extras,
        });
    }

    // ----- annotations and expressions -----

    /// `Annotation` (V4) or V3 `ValueAnnotation`.
    fn annotation(&mut self, e: &'t Elem<'t>) -> Annotation {
        let a = self.attrs(e, ANNOTATION_ATTRS, None);
        let term = self.required(&a, "Term", e);
        let (value, annotations) = self.value_children(e, &a, &format!("annotation `{term}`"));
        Annotation {
            term,
            qualifier: a.string("Qualifier"),
            value,
            annotations,
            loc: a.at,
        }
    }

    /// V3 `TypeAnnotation`: an annotation whose value is a record of its `PropertyValue`s.
    fn type_annotation(&mut self, e: &'t Elem<'t>) -> Annotation {
        let a = self.attrs(e, &["Term", "Qualifier"], None);
        let term = self.required(&a, "Term", e);
        let (properties, annotations) = self.property_values(e);
        Annotation {
            term,
            qualifier: a.string("Qualifier"),
            value: Some(Expr::Record {
                ty: None,
                properties,
                annotations: Vec::new(),
            }),
            annotations,
            loc: a.at,
        }
    }

    /// The value of attribute notation (`String="..."`, `Path="..."`, ...), if any.
    fn attr_value(&mut self, a: &A<'t>) -> Option<Expr> {
        let mut found: Option<Expr> = None;
        for name in VALUE_ATTRS {
            let Some(v) = a.get(name) else { continue };
            let x = if let Some(k) = ConstKind::from_name(name) {
                Expr::Constant(k, v.to_string())
            } else if let Some(k) = PathKind::from_name(name) {
                Expr::Path(k, v.to_string())
            } else {
                // V3 `DateTime` / `Time`; `UrlRef="…"` (edm.xsd's inline form of
                // `<UrlRef><String>…</String></UrlRef>`).
                Expr::Element {
                    name: name.to_string(),
                    attributes: Vec::new(),
                    children: vec![Expr::Constant(ConstKind::String, v.to_string())],
                    annotations: Vec::new(),
                }
            };
            if found.is_some() {
                self.diags.error(
                    a.loc(name),
                    format!("more than one value: `{name}` is ignored"),
                );
            } else {
                found = Some(x);
            }
        }
        found
    }

    /// The value of an annotation or property value (`what`), in attribute notation or as its
    /// one expression child, and its annotations.
    fn value_children(
        &mut self,
        e: &'t Elem<'t>,
        a: &A<'t>,
        what: &str,
    ) -> (Option<Expr>, Vec<Annotation>) {
        let mut value = self.attr_value(a);
        let mut annotations = Vec::new();
        for c in self.children(e) {
            if !self.is_edm(c) {
                self.unknown_element(c, e);
                continue;
            }
            if self.common_child(c, &mut annotations) {
                continue;
            }
            let x = self.expr(c);
            if value.is_some() {
                // Two values where one belongs (two `Record`s without a `Collection`, in
                // Microsoft's capability drafts): the first is kept, as the annotation reads.
                let at = self.eloc(c);
                self.diags.recovered(
                    at,
                    format!("{what} has at most one value"),
                    "this one is ignored; the first is kept",
                );
            } else {
                value = Some(x);
            }
        }
        self.no_text(e);
        (value, annotations)
    }

    /// The `PropertyValue` children of a record or V3 type annotation, and its annotations.
    fn property_values(&mut self, e: &'t Elem<'t>) -> (Vec<PropertyValue>, Vec<Annotation>) {
        let mut properties = Vec::new();
        let mut annotations = Vec::new();
        for c in self.children(e) {
            if self.is_edm(c) && c.local() == "PropertyValue" {
                let pv = self.property_value(c);
                properties.push(pv);
            } else if !self.common_child(c, &mut annotations) {
                self.unknown_element(c, e);
            }
        }
        self.no_text(e);
        (properties, annotations)
    }

    fn property_value(&mut self, e: &'t Elem<'t>) -> PropertyValue {
        let a = self.attrs(e, PROPERTY_VALUE_ATTRS, None);
        let property = self.required(&a, "Property", e);
        let (value, annotations) =
            self.value_children(e, &a, &format!("property value `{property}`"));
        PropertyValue {
            property,
            value,
            annotations,
            loc: a.at,
        }
    }

    /// An expression in element notation.
    fn expr(&mut self, e: &'t Elem<'t>) -> Expr {
        let name = e.local();
        if let Some(k) = ConstKind::from_name(name) {
            self.leaf(e);
            return Expr::Constant(k, e.text.to_string());
        }
        if let Some(k) = PathKind::from_name(name) {
            self.leaf(e);
            return Expr::Path(k, e.text.to_string());
        }
        match name {
            "Null" if !self.tree.children(e).any(|c| c.local() == "Annotation") => {
                self.leaf(e);
                return Expr::Null;
            }
            "Record" => {
                let a = self.attrs(e, &["Type"], None);
                let (properties, annotations) = self.property_values(e);
                return Expr::Record {
                    ty: a.string("Type"),
                    properties,
                    annotations,
                };
            }
            "Collection" => {
                self.attrs(e, &[], None);
                let mut items = Vec::new();
                for c in self.children(e) {
                    if !self.is_edm(c) {
                        self.unknown_element(c, e);
                    } else if matches!(
                        c.local(),
                        "Annotation" | "Documentation" | "ValueAnnotation"
                    ) {
                        let at = self.eloc(c);
                        self.diags
                            .warning(at, "annotations on `Collection` cannot be kept; ignored");
                    } else {
                        items.push(self.expr(c));
                    }
                }
                self.no_text(e);
                return Expr::Collection(items);
            }
            _ => {}
        }
        if !GENERIC_EXPRS.contains(&name) && name != "Null" {
            let at = self.eloc(e);
            self.diags.warning(
                at,
                format!("unknown expression element `{}`; kept as written", e.qname),
            );
        }
        let attributes = self
            .tree
            .attrs_of(e)
            .iter()
            .map(|a| (a.qname.to_string(), a.value.to_string()))
            .collect();
        let mut children = Vec::new();
        let mut annotations = Vec::new();
        for c in self.children(e) {
            if !self.is_edm(c) {
                self.unknown_element(c, e);
            } else if !self.common_child(c, &mut annotations) {
                children.push(self.expr(c));
            }
        }
        if !e.text.trim().is_empty() {
            children.push(Expr::Constant(ConstKind::String, e.text.to_string()));
        }
        Expr::Element {
            name: name.to_string(),
            attributes,
            children,
            annotations,
        }
    }

    /// A constant or path element: no attributes, no children.
    fn leaf(&mut self, e: &'t Elem<'t>) {
        self.attrs(e, &[], None);
        for c in self.children(e) {
            self.unknown_element(c, e);
        }
    }
}

/// The return type V2/V3 model functions and function imports write as an attribute.
fn attr_return_type(a: &A<'_>) -> Option<ReturnType> {
    a.get("ReturnType").map(|t| ReturnType {
        ty: TypeRef::new(t),
        facets: Facets::default(),
        loc: a.loc("ReturnType"),
        extras: Extras::default(),
    })
}

/// Whether `a`'s characters appear in `b` in order.
fn is_subsequence(a: &str, b: &str) -> bool {
    let mut it = b.chars();
    a.chars().all(|c| it.any(|d| d == c))
}
