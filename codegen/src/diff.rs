//! Semantic diff of two resolved models: what changed in the API, and whether it breaks code
//! that uses the crate generated from the old document.
//!
//! Nodes are matched by qualified name, never by position: types by namespace-qualified name
//! (aliases resolved), properties and navigation properties by (type, name), enum members by
//! name, operations by (namespace, name, binding type, parameter names) with a fallback that
//! pairs the remaining overloads of one (namespace, name, binding type) whose parameters changed,
//! container children by name. Type references are compared in their resolved, namespace-qualified
//! form (`Collection(microsoft.graph.user)`), so switching between alias and namespace is no change.
//!
//! Every [`Entry`] carries its classification (`breaking`) and the rule that decided it
//! ([`Entry::rule`]); the rules are listed in the README ("Reviewing metadata changes").
//! Entries are sorted by kind, path, change, aspect: the output is deterministic.

use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// What kind of model node an entry is about. The order is the report's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Type,
    BaseType,
    Key,
    Property,
    Navigation,
    EnumMember,
    Operation,
    Parameter,
    ReturnType,
    Container,
    EntitySet,
    Singleton,
    OperationImport,
    Description,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::Type,
        Kind::BaseType,
        Kind::Key,
        Kind::Property,
        Kind::Navigation,
        Kind::EnumMember,
        Kind::Operation,
        Kind::Parameter,
        Kind::ReturnType,
        Kind::Container,
        Kind::EntitySet,
        Kind::Singleton,
        Kind::OperationImport,
        Kind::Description,
    ];

    /// Identifier used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Type => "type",
            Kind::BaseType => "base_type",
            Kind::Key => "key",
            Kind::Property => "property",
            Kind::Navigation => "navigation",
            Kind::EnumMember => "enum_member",
            Kind::Operation => "operation",
            Kind::Parameter => "parameter",
            Kind::ReturnType => "return_type",
            Kind::Container => "container",
            Kind::EntitySet => "entity_set",
            Kind::Singleton => "singleton",
            Kind::OperationImport => "operation_import",
            Kind::Description => "description",
        }
    }

    /// Heading used in Markdown.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Type => "Types",
            Kind::BaseType => "Base types",
            Kind::Key => "Keys",
            Kind::Property => "Properties",
            Kind::Navigation => "Navigation properties",
            Kind::EnumMember => "Enum members",
            Kind::Operation => "Operations",
            Kind::Parameter => "Parameters",
            Kind::ReturnType => "Return types",
            Kind::Container => "Entity containers",
            Kind::EntitySet => "Entity sets",
            Kind::Singleton => "Singletons",
            Kind::OperationImport => "Operation imports",
            Kind::Description => "Descriptions",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    pub fn name(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

/// One change.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub kind: Kind,
    /// The node: `ns.Type`, `ns.Type/property`, `ns.op(binding, param)`, `ns.Container/set`.
    pub path: String,
    pub change: Change,
    /// For [`Change::Changed`], what changed (`type`, `nullable`, `facets`, `kind`, ...); empty otherwise.
    pub aspect: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
    pub breaking: bool,
    /// Why it is (or is not) breaking, in a few words.
    pub rule: &'static str,
}

/// Counts of one kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub breaking: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.added + self.removed + self.changed
    }
    fn add(&mut self, e: &Entry) {
        match e.change {
            Change::Added => self.added += 1,
            Change::Removed => self.removed += 1,
            Change::Changed => self.changed += 1,
        }
        if e.breaking {
            self.breaking += 1;
        }
    }
}

/// The difference between two models, sorted.
#[derive(Clone, Debug, Default)]
pub struct Diff {
    /// Every change, descriptions included, sorted by kind, path, change and aspect.
    pub entries: Vec<Entry>,
}

// Classification rules (the README's "Reviewing metadata changes" lists the same).
const R_ADDED: &str = "additions are compatible";
const R_REMOVED: &str = "code naming it no longer compiles";
const R_INHERITED: &str = "still inherited from a base type: the struct keeps the field";
const R_TYPE: &str = "the Rust type of the field, variant or argument changes";
const R_KIND: &str = "the generated item changes shape";
const R_BASE: &str = "inherited fields and polymorphic enums change";
const R_KEY: &str = "code addressing entities by key changes";
const R_KEY_ADDED: &str = "a key where there was none only adds addressing";
const R_POLY: &str = "fields of this type switch between `T` and `AnyT`";
const R_FLAGS: &str = "fields switch between `E` and `Flags<E>`";
const R_NULLABLE: &str = "every field is an `Option`: nullability does not change Rust types";
const R_COLLECTION_NULLABLE: &str =
    "collection items are `Option<T>` exactly when `Nullable=\"true\"` is written";
const R_FACETS: &str = "facets are documented, not part of Rust types";
const R_ATTRIBUTE: &str = "documented only; Rust types are unchanged";
const R_ENUM_VALUE: &str = "enum values travel by member name";
const R_UNDERLYING_ENUM: &str = "enum Rust types do not depend on the underlying integer type";
const R_REQUIRED_PARAM: &str = "a new required parameter: existing calls lack it";
const R_OPTIONAL_PARAM: &str = "a new optional parameter: existing calls stay valid";
const R_BECAME_REQUIRED: &str = "callers that left it out must now pass it";
const R_BECAME_OPTIONAL: &str = "callers may still pass it";
const R_RETURN: &str = "callers reading the result see another type";
const R_TARGET: &str = "the set or import now means something else";
const R_DESCRIPTION: &str = "documentation only";

/// Compares two resolved, valid models.
pub fn diff(old: &Model, new: &Model) -> Diff {
    let mut d = Differ {
        old,
        new,
        out: Vec::new(),
    };
    d.types();
    d.operations();
    d.containers();
    let mut entries = d.out;
    entries.sort();
    entries.dedup();
    Diff { entries }
}

struct Differ<'a> {
    old: &'a Model,
    new: &'a Model,
    out: Vec<Entry>,
}

/// A type reference, resolved and namespace-qualified, with `Collection(...)`.
pub fn type_string(m: &Model, r: &TypeRef) -> String {
    let name = match r.target {
        TypeTarget::Type(t) => m.qualified_name(t),
        TypeTarget::Primitive(p) => p.edm_name(),
        _ => match r.name.rsplit_once('.') {
            Some((q, n)) => format!("{}.{n}", m.resolve_namespace(q)),
            None => r.name.clone(),
        },
    };
    if r.collection {
        format!("Collection({name})")
    } else {
        name
    }
}

fn qualify(m: &Model, written: &str) -> String {
    match written.rsplit_once('.') {
        Some((q, n)) => format!("{}.{n}", m.resolve_namespace(q)),
        None => written.to_string(),
    }
}

fn facets_string(f: &Facets) -> String {
    let mut parts = Vec::new();
    match f.max_length {
        Some(MaxLength::Max) => parts.push("MaxLength=max".to_string()),
        Some(MaxLength::Value(v)) => parts.push(format!("MaxLength={v}")),
        None => {}
    }
    if let Some(p) = f.precision {
        parts.push(format!("Precision={p}"));
    }
    match f.scale {
        Some(Scale::Value(v)) => parts.push(format!("Scale={v}")),
        Some(Scale::Variable) => parts.push("Scale=variable".into()),
        Some(Scale::Floating) => parts.push("Scale=floating".into()),
        None => {}
    }
    match f.srid {
        Some(Srid::Value(v)) => parts.push(format!("SRID={v}")),
        Some(Srid::Variable) => parts.push("SRID=variable".into()),
        None => {}
    }
    if let Some(u) = f.unicode {
        parts.push(format!("Unicode={u}"));
    }
    if let Some(x) = f.fixed_length {
        parts.push(format!("FixedLength={x}"));
    }
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

fn description(m: &Model, node: NodeRef, inline: &[Annotation]) -> Option<String> {
    let d = m.string_annotation(node, inline, vocab::DESCRIPTION);
    let l = m.string_annotation(node, inline, vocab::LONG_DESCRIPTION);
    match (d, l) {
        (None, None) => None,
        (Some(x), None) | (None, Some(x)) => Some(x),
        (Some(d), Some(l)) => Some(format!("{d}\n\n{l}")),
    }
}

fn type_index(m: &Model) -> BTreeMap<String, TypeId> {
    let mut map = BTreeMap::new();
    for t in m.type_ids() {
        map.entry(m.qualified_name(t)).or_insert(t);
    }
    map
}

/// Key property paths of an entity type, own or inherited.
fn key_names(m: &Model, t: TypeId) -> Vec<String> {
    for a in m.ancestry(t) {
        if let Some(s) = m[a].structured()
            && !s.key.is_empty()
        {
            return s.key.iter().map(|k| k.name.clone()).collect();
        }
    }
    Vec::new()
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn bool_word(b: bool) -> String {
    b.to_string()
}

impl Differ<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: Kind,
        path: String,
        change: Change,
        aspect: &'static str,
        old: Option<String>,
        new: Option<String>,
        breaking: bool,
        rule: &'static str,
    ) {
        self.out.push(Entry {
            kind,
            path,
            change,
            aspect,
            old,
            new,
            breaking,
            rule,
        });
    }

    fn added(&mut self, kind: Kind, path: String, what: String) {
        self.push(
            kind,
            path,
            Change::Added,
            "",
            None,
            Some(what),
            false,
            R_ADDED,
        );
    }

    fn removed(&mut self, kind: Kind, path: String, what: String) {
        self.push(
            kind,
            path,
            Change::Removed,
            "",
            Some(what),
            None,
            true,
            R_REMOVED,
        );
    }

    /// A member no longer declared on the type but inherited from a base type now.
    fn inherited(&mut self, kind: Kind, path: String, what: String) {
        self.push(
            kind,
            path,
            Change::Removed,
            "",
            Some(what),
            None,
            false,
            R_INHERITED,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn changed(
        &mut self,
        kind: Kind,
        path: &str,
        aspect: &'static str,
        old: String,
        new: String,
        breaking: bool,
        rule: &'static str,
    ) {
        if old != new {
            self.push(
                kind,
                path.to_string(),
                Change::Changed,
                aspect,
                Some(old),
                Some(new),
                breaking,
                rule,
            );
        }
    }

    /// The description of a node (written inline as `annotations`, or targeting it from
    /// outside) before and after.
    fn descriptions(
        &mut self,
        path: &str,
        (onode, oanns): (NodeRef, &[Annotation]),
        (nnode, nanns): (NodeRef, &[Annotation]),
    ) {
        let old = description(self.old, onode, oanns);
        let new = description(self.new, nnode, nanns);
        let change = match (&old, &new) {
            (None, None) => return,
            (None, Some(_)) => Change::Added,
            (Some(_), None) => Change::Removed,
            (Some(a), Some(b)) if a == b => return,
            _ => Change::Changed,
        };
        self.push(
            Kind::Description,
            path.to_string(),
            change,
            "",
            old,
            new,
            false,
            R_DESCRIPTION,
        );
    }

    fn types(&mut self) {
        let (old, new) = (self.old, self.new);
        let (oi, ni) = (type_index(old), type_index(new));
        for (name, p) in paired(&oi, &ni) {
            match p {
                Paired::Removed(ot) => {
                    self.removed(Kind::Type, name.clone(), old[ot].kind_name().into())
                }
                Paired::Kept(ot, nt) => self.type_pair(name, ot, nt),
                Paired::Added(nt) => {
                    let ty = &new[nt];
                    let what = match ty.structured() {
                        Some(s) => format!(
                            "{}, {}, {}",
                            ty.kind_name(),
                            count(s.properties.len(), "property", "properties"),
                            count(
                                s.navigations.len(),
                                "navigation property",
                                "navigation properties"
                            )
                        ),
                        None => match &ty.kind {
                            TypeKind::Enum(e) => {
                                format!(
                                    "enum type, {}",
                                    count(e.members.len(), "member", "members")
                                )
                            }
                            _ => ty.kind_name().to_string(),
                        },
                    };
                    self.added(Kind::Type, name.clone(), what);
                }
            }
        }
    }

    fn type_pair(&mut self, name: &str, ot: TypeId, nt: TypeId) {
        let (old, new) = (self.old, self.new);
        let (o, n) = (&old[ot], &new[nt]);
        self.changed(
            Kind::Type,
            name,
            "kind",
            o.kind_name().into(),
            n.kind_name().into(),
            true,
            R_KIND,
        );
        self.descriptions(
            name,
            (NodeRef::Type(ot), &o.extras.annotations),
            (NodeRef::Type(nt), &n.extras.annotations),
        );
        match (&o.kind, &n.kind) {
            (TypeKind::Enum(oe), TypeKind::Enum(ne)) => self.enum_pair(name, ot, nt, oe, ne),
            (TypeKind::Definition(od), TypeKind::Definition(nd)) => {
                self.changed(
                    Kind::Type,
                    name,
                    "underlying type",
                    type_string(old, &od.underlying),
                    type_string(new, &nd.underlying),
                    true,
                    R_TYPE,
                );
                self.changed(
                    Kind::Type,
                    name,
                    "facets",
                    facets_string(&od.facets),
                    facets_string(&nd.facets),
                    false,
                    R_FACETS,
                );
            }
            _ => {}
        }
        if let (Some(os), Some(ns)) = (o.structured(), n.structured()) {
            self.structured_pair(name, ot, nt, os, ns);
        }
    }

    fn enum_pair(&mut self, name: &str, ot: TypeId, nt: TypeId, oe: &EnumType, ne: &EnumType) {
        self.changed(
            Kind::Type,
            name,
            "flags",
            bool_word(oe.is_flags),
            bool_word(ne.is_flags),
            true,
            R_FLAGS,
        );
        self.changed(
            Kind::Type,
            name,
            "underlying type",
            oe.underlying.edm_name(),
            ne.underlying.edm_name(),
            false,
            R_UNDERLYING_ENUM,
        );
        let members = |e: &'_ EnumType| -> BTreeMap<String, usize> {
            first_by_name(
                e.members
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (m.name.clone(), i)),
            )
        };
        for (mname, p) in paired(&members(oe), &members(ne)) {
            let path = format!("{name}/{mname}");
            match p {
                Paired::Removed(i) => {
                    self.removed(Kind::EnumMember, path, oe.members[i].value.to_string())
                }
                Paired::Added(j) => {
                    self.added(Kind::EnumMember, path, ne.members[j].value.to_string())
                }
                Paired::Kept(i, j) => {
                    let (o, n) = (&oe.members[i], &ne.members[j]);
                    self.changed(
                        Kind::EnumMember,
                        &path,
                        "value",
                        o.value.to_string(),
                        n.value.to_string(),
                        false,
                        R_ENUM_VALUE,
                    );
                    self.descriptions(
                        &path,
                        (NodeRef::Member(ot, i as u32), &o.extras.annotations),
                        (NodeRef::Member(nt, j as u32), &n.extras.annotations),
                    );
                }
            }
        }
    }

    fn structured_pair(
        &mut self,
        name: &str,
        ot: TypeId,
        nt: TypeId,
        os: &StructuredType,
        ns: &StructuredType,
    ) {
        let (old, new) = (self.old, self.new);
        let base = |m: &Model, s: &StructuredType| match (s.base, &s.base_name) {
            (Some(b), _) => m.qualified_name(b),
            (None, Some(w)) => qualify(m, w),
            (None, None) => "none".to_string(),
        };
        self.changed(
            Kind::BaseType,
            name,
            "base type",
            base(old, os),
            base(new, ns),
            true,
            R_BASE,
        );
        if old[ot].is_entity() && new[nt].is_entity() {
            let (ok, nk) = (key_names(old, ot), key_names(new, nt));
            if ok != nk {
                let show = |k: &[String]| {
                    if k.is_empty() {
                        "none".to_string()
                    } else {
                        k.join(", ")
                    }
                };
                let (breaking, rule) = if ok.is_empty() {
                    (false, R_KEY_ADDED)
                } else {
                    (true, R_KEY)
                };
                self.changed(Kind::Key, name, "key", show(&ok), show(&nk), breaking, rule);
            }
        }
        // A type gaining its first derived type (or losing its last) switches every field of
        // that type between the struct and its `Any{Name}` enum.
        let poly = |s: &StructuredType| {
            if s.derived.is_empty() {
                "no derived types".to_string()
            } else {
                "has derived types".to_string()
            }
        };
        self.changed(
            Kind::Type,
            name,
            "polymorphism",
            poly(os),
            poly(ns),
            true,
            R_POLY,
        );
        self.changed(
            Kind::Type,
            name,
            "abstract",
            bool_word(os.is_abstract),
            bool_word(ns.is_abstract),
            false,
            R_ATTRIBUTE,
        );
        self.changed(
            Kind::Type,
            name,
            "open",
            bool_word(os.open),
            bool_word(ns.open),
            false,
            R_ATTRIBUTE,
        );
        self.changed(
            Kind::Type,
            name,
            "media entity",
            bool_word(os.has_stream),
            bool_word(ns.has_stream),
            false,
            R_ATTRIBUTE,
        );

        // Structural properties.
        let props = |m: &Model, s: &StructuredType| -> BTreeMap<String, PropertyId> {
            first_by_name(s.properties.iter().map(|&p| (m[p].name.clone(), p)))
        };
        let new_all: BTreeMap<String, PropertyId> = first_by_name(
            new.all_properties(nt)
                .into_iter()
                .map(|p| (new[p].name.clone(), p)),
        );
        for (pname, p) in paired(&props(old, os), &props(new, ns)) {
            let path = format!("{name}/{pname}");
            match p {
                Paired::Removed(pid) => {
                    let ot = type_string(old, &old[pid].ty);
                    match new_all.get(pname) {
                        // Moved to a base type: the struct keeps the field, unless its type changed.
                        Some(&inherited) => {
                            let it = type_string(new, &new[inherited].ty);
                            self.inherited(Kind::Property, path.clone(), ot.clone());
                            self.changed(Kind::Property, &path, "type", ot, it, true, R_TYPE);
                        }
                        None => self.removed(Kind::Property, path, ot),
                    }
                }
                Paired::Kept(pid, nid) => self.property_pair(&path, pid, nid),
                Paired::Added(nid) => {
                    self.added(Kind::Property, path, type_string(new, &new[nid].ty))
                }
            }
        }

        // Navigation properties.
        let navs = |m: &Model, s: &StructuredType| -> BTreeMap<String, NavId> {
            first_by_name(s.navigations.iter().map(|&p| (m[p].name.clone(), p)))
        };
        let new_all: BTreeSet<&str> = new
            .all_navigations(nt)
            .into_iter()
            .map(|p| new[p].name.as_str())
            .collect();
        for (pname, p) in paired(&navs(old, os), &navs(new, ns)) {
            let path = format!("{name}/{pname}");
            match p {
                Paired::Removed(oid) => {
                    let ot = type_string(old, &old[oid].ty);
                    if new_all.contains(pname.as_str()) {
                        self.inherited(Kind::Navigation, path, ot);
                    } else {
                        self.removed(Kind::Navigation, path, ot);
                    }
                }
                Paired::Kept(oid, nid) => self.navigation_pair(&path, oid, nid),
                Paired::Added(nid) => {
                    self.added(Kind::Navigation, path, type_string(new, &new[nid].ty))
                }
            }
        }
    }

    fn navigation_pair(&mut self, path: &str, oid: NavId, nid: NavId) {
        let (old, new) = (self.old, self.new);
        let (o, n) = (&old[oid], &new[nid]);
        self.changed(
            Kind::Navigation,
            path,
            "type",
            type_string(old, &o.ty),
            type_string(new, &n.ty),
            true,
            R_TYPE,
        );
        if !o.ty.collection && !n.ty.collection {
            self.changed(
                Kind::Navigation,
                path,
                "nullable",
                bool_word(o.nullable.unwrap_or(true)),
                bool_word(n.nullable.unwrap_or(true)),
                false,
                R_NULLABLE,
            );
        }
        self.changed(
            Kind::Navigation,
            path,
            "containment",
            bool_word(o.contains_target),
            bool_word(n.contains_target),
            false,
            R_ATTRIBUTE,
        );
        self.descriptions(
            path,
            (NodeRef::Navigation(oid), &o.extras.annotations),
            (NodeRef::Navigation(nid), &n.extras.annotations),
        );
    }

    fn property_pair(&mut self, path: &str, oid: PropertyId, nid: PropertyId) {
        let (old, new) = (self.old, self.new);
        let (o, n) = (&old[oid], &new[nid]);
        let (ot, nt) = (type_string(old, &o.ty), type_string(new, &n.ty));
        self.changed(Kind::Property, path, "type", ot, nt, true, R_TYPE);
        if o.ty.collection && n.ty.collection {
            // `Vec<Option<T>>` exactly when `Nullable="true"` is written on the collection.
            let items = |f: &Facets| {
                if f.nullable == Some(true) {
                    "nullable items".to_string()
                } else {
                    "non-null items".to_string()
                }
            };
            self.changed(
                Kind::Property,
                path,
                "nullable",
                items(&o.facets),
                items(&n.facets),
                true,
                R_COLLECTION_NULLABLE,
            );
        } else if !o.ty.collection && !n.ty.collection {
            self.changed(
                Kind::Property,
                path,
                "nullable",
                bool_word(o.facets.nullable.unwrap_or(true)),
                bool_word(n.facets.nullable.unwrap_or(true)),
                false,
                R_NULLABLE,
            );
        }
        self.changed(
            Kind::Property,
            path,
            "facets",
            facets_string(&o.facets),
            facets_string(&n.facets),
            false,
            R_FACETS,
        );
        let default = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".into());
        self.changed(
            Kind::Property,
            path,
            "default",
            default(&o.default_value),
            default(&n.default_value),
            false,
            R_ATTRIBUTE,
        );
        self.descriptions(
            path,
            (NodeRef::Property(oid), &o.extras.annotations),
            (NodeRef::Property(nid), &n.extras.annotations),
        );
    }

    fn operations(&mut self) {
        let (old, new) = (self.old, self.new);
        let og = op_groups(old);
        let ng = op_groups(new);
        let empty = Vec::new();
        let keys: BTreeSet<&OpGroup> = og.keys().chain(ng.keys()).collect();
        for key in keys {
            let os = og.get(key).unwrap_or(&empty);
            let ns = ng.get(key).unwrap_or(&empty);
            let mut o_left: Vec<OperationId> = Vec::new();
            let mut n_used = vec![false; ns.len()];
            let mut pairs: Vec<(OperationId, OperationId)> = Vec::new();
            // Exact matches on parameter names first.
            for &o in os {
                let sig = param_names(old, o);
                match ns
                    .iter()
                    .enumerate()
                    .find(|(i, n)| !n_used[*i] && param_names(new, **n) == sig)
                {
                    Some((i, &n)) => {
                        n_used[i] = true;
                        pairs.push((o, n));
                    }
                    None => o_left.push(o),
                }
            }
            // Then pair the overloads whose parameters changed: a lone pair always, otherwise
            // by the most parameter names in common.
            let n_left_count = n_used.iter().filter(|u| !**u).count();
            let mut o_unpaired = Vec::new();
            for o in o_left {
                let names: BTreeSet<String> = param_names(old, o).into_iter().collect();
                let best = ns
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !n_used[*i])
                    .map(|(i, &n)| {
                        let common = param_names(new, n)
                            .into_iter()
                            .filter(|p| names.contains(p))
                            .count();
                        (common, std::cmp::Reverse(i), n)
                    })
                    .max();
                match best {
                    Some((common, std::cmp::Reverse(i), n))
                        if common > 0 || (os.len() == 1 && n_left_count == 1) =>
                    {
                        n_used[i] = true;
                        pairs.push((o, n));
                    }
                    _ => o_unpaired.push(o),
                }
            }
            for o in o_unpaired {
                let what = op_summary(old, o);
                self.removed(Kind::Operation, op_path(old, o), what);
            }
            for (i, &n) in ns.iter().enumerate() {
                if !n_used[i] {
                    let what = op_summary(new, n);
                    self.added(Kind::Operation, op_path(new, n), what);
                }
            }
            for (o, n) in pairs {
                self.operation_pair(o, n);
            }
        }
    }

    fn operation_pair(&mut self, oid: OperationId, nid: OperationId) {
        let (old, new) = (self.old, self.new);
        let (o, n) = (&old[oid], &new[nid]);
        let path = op_path(old, oid);
        let kind = |k: OperationKind| match k {
            OperationKind::Action => "action".to_string(),
            OperationKind::Function => "function".to_string(),
        };
        self.changed(
            Kind::Operation,
            &path,
            "kind",
            kind(o.kind),
            kind(n.kind),
            true,
            R_KIND,
        );
        self.descriptions(
            &path,
            (NodeRef::Operation(oid), &o.extras.annotations),
            (NodeRef::Operation(nid), &n.extras.annotations),
        );
        let ret = |m: &Model, r: &Option<ReturnType>| match r {
            Some(r) => type_string(m, &r.ty),
            None => "none".to_string(),
        };
        self.changed(
            Kind::ReturnType,
            &path,
            "type",
            ret(old, &o.return_type),
            ret(new, &n.return_type),
            true,
            R_RETURN,
        );
        let params = |m: &'_ Model, id: OperationId| -> BTreeMap<String, usize> {
            let op = &m[id];
            first_by_name(
                (op.parameters.iter().enumerate())
                    .skip(usize::from(op.is_bound))
                    .map(|(i, p)| (p.name.clone(), i)),
            )
        };
        for (pname, p) in paired(&params(old, oid), &params(new, nid)) {
            let ppath = format!("{path}/{pname}");
            match p {
                Paired::Removed(i) => self.removed(
                    Kind::Parameter,
                    ppath,
                    type_string(old, &o.parameters[i].ty),
                ),
                Paired::Kept(i, j) => self.parameter_pair(&ppath, (oid, i), (nid, j)),
                Paired::Added(j) => {
                    let q = &n.parameters[j];
                    let t = type_string(new, &q.ty);
                    if param_optional(new, nid, j, q) {
                        let what = Some(format!("{t}, optional"));
                        let (b, rule) = (false, R_OPTIONAL_PARAM);
                        self.push(
                            Kind::Parameter,
                            ppath,
                            Change::Added,
                            "",
                            None,
                            what,
                            b,
                            rule,
                        );
                    } else {
                        let what = Some(format!("{t}, required"));
                        let (b, rule) = (true, R_REQUIRED_PARAM);
                        self.push(
                            Kind::Parameter,
                            ppath,
                            Change::Added,
                            "",
                            None,
                            what,
                            b,
                            rule,
                        );
                    }
                }
            }
        }
    }

    fn parameter_pair(
        &mut self,
        path: &str,
        (oid, i): (OperationId, usize),
        (nid, j): (OperationId, usize),
    ) {
        let (old, new) = (self.old, self.new);
        let (p, q) = (&old[oid].parameters[i], &new[nid].parameters[j]);
        self.changed(
            Kind::Parameter,
            path,
            "type",
            type_string(old, &p.ty),
            type_string(new, &q.ty),
            true,
            R_TYPE,
        );
        let (was, is) = (
            param_optional(old, oid, i, p),
            param_optional(new, nid, j, q),
        );
        let word = |b: bool| if b { "optional" } else { "required" }.to_string();
        let rule = if is {
            R_BECAME_OPTIONAL
        } else {
            R_BECAME_REQUIRED
        };
        self.changed(
            Kind::Parameter,
            path,
            "required",
            word(was),
            word(is),
            !is,
            rule,
        );
        self.changed(
            Kind::Parameter,
            path,
            "facets",
            facets_string(&p.facets),
            facets_string(&q.facets),
            false,
            R_FACETS,
        );
        self.descriptions(
            path,
            (NodeRef::Parameter(oid, i as u32), &p.extras.annotations),
            (NodeRef::Parameter(nid, j as u32), &q.extras.annotations),
        );
    }

    fn containers(&mut self) {
        let (old, new) = (self.old, self.new);
        let index = |m: &Model| -> BTreeMap<String, ContainerId> {
            first_by_name((m.containers.iter().enumerate()).map(|(i, c)| {
                let name = format!("{}.{}", m[c.schema].namespace, c.name);
                (name, ContainerId(i as u32))
            }))
        };
        for (name, p) in paired(&index(old), &index(new)) {
            let what = || "entity container".to_string();
            match p {
                Paired::Removed(_) => self.removed(Kind::Container, name.clone(), what()),
                Paired::Kept(oc, nc) => self.container_pair(name, oc, nc),
                Paired::Added(_) => self.added(Kind::Container, name.clone(), what()),
            }
        }
    }

    fn container_pair(&mut self, name: &str, ocid: ContainerId, ncid: ContainerId) {
        let (old, new) = (self.old, self.new);
        let (oc, nc) = (&old[ocid], &new[ncid]);
        self.descriptions(
            name,
            (NodeRef::Container(ocid), &oc.extras.annotations),
            (NodeRef::Container(ncid), &nc.extras.annotations),
        );
        let kinds = [
            (
                Kind::EntitySet,
                entity_sets(oc, ocid),
                entity_sets(nc, ncid),
            ),
            (Kind::Singleton, singletons(oc, ocid), singletons(nc, ncid)),
            (Kind::OperationImport, imports(oc, ocid), imports(nc, ncid)),
        ];
        for (kind, o, n) in kinds {
            self.container_children(name, kind, &o, &n);
        }
    }

    /// Compares the entity sets, singletons or operation imports (`kind`) of two containers.
    fn container_children(
        &mut self,
        name: &str,
        kind: Kind,
        old: &BTreeMap<String, Child>,
        new: &BTreeMap<String, Child>,
    ) {
        let (om, nm) = (self.old, self.new);
        for (cname, p) in paired(old, new) {
            let path = format!("{name}/{cname}");
            match p {
                Paired::Removed(o) => self.removed(kind, path, o.target(om)),
                Paired::Added(n) => self.added(kind, path, n.target(nm)),
                Paired::Kept(o, n) => {
                    let aspect = match o.target {
                        Target::Type(_) => "type",
                        Target::Operation(_) => "operation",
                    };
                    let (ot, nt) = (o.target(om), n.target(nm));
                    self.changed(kind, &path, aspect, ot, nt, true, R_TARGET);
                    if let (Some(a), Some(b)) = (o.nullable, n.nullable) {
                        let (a, b) = (bool_word(a), bool_word(b));
                        self.changed(kind, &path, "nullable", a, b, false, R_ATTRIBUTE);
                    }
                    self.descriptions(&path, (o.node, o.annotations), (n.node, n.annotations));
                }
            }
        }
    }
}

/// One name of two by-name maps: only in the old one, in both, or only in the new one.
enum Paired<V> {
    Removed(V),
    Kept(V, V),
    Added(V),
}

/// Pairs two by-name maps: each old name, removed or kept, then each name only in `new`.
fn paired<'k, K: Ord, V: Copy>(
    old: &'k BTreeMap<K, V>,
    new: &'k BTreeMap<K, V>,
) -> impl Iterator<Item = (&'k K, Paired<V>)> {
    let olds = old.iter().map(|(k, &o)| match new.get(k) {
        Some(&n) => (k, Paired::Kept(o, n)),
        None => (k, Paired::Removed(o)),
    });
    let news = (new.iter())
        .filter(|(k, _)| !old.contains_key(*k))
        .map(|(k, &n)| (k, Paired::Added(n)));
    olds.chain(news)
}

/// `items` by name, the first of each name winning.
fn first_by_name<K: Ord, V>(items: impl DoubleEndedIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    items.rev().collect()
}

/// What is compared of one entity set, singleton or operation import.
#[derive(Clone, Copy)]
struct Child<'m> {
    target: Target<'m>,
    /// Whether it may be null: singletons only.
    nullable: Option<bool>,
    node: NodeRef,
    annotations: &'m [Annotation],
}

/// What an entity set or singleton holds, or what an operation import imports.
#[derive(Clone, Copy)]
enum Target<'m> {
    Type(&'m TypeRef),
    Operation(&'m str),
}

impl Child<'_> {
    fn target(&self, m: &Model) -> String {
        match self.target {
            Target::Type(t) => type_string(m, t),
            Target::Operation(o) => qualify(m, o),
        }
    }
}

/// The entity sets of container `c` (`id`), by name.
fn entity_sets(c: &EntityContainer, id: ContainerId) -> BTreeMap<String, Child<'_>> {
    let items = c
        .entity_sets
        .iter()
        .map(|s| (&s.name, &s.ty, None, &s.extras));
    typed_children(id, NodeRef::EntitySet, items)
}

/// The singletons of container `c` (`id`), by name.
fn singletons(c: &EntityContainer, id: ContainerId) -> BTreeMap<String, Child<'_>> {
    let nullable = |s: &Singleton| Some(s.nullable.unwrap_or(false));
    let items = (c.singletons.iter()).map(|s| (&s.name, &s.ty, nullable(s), &s.extras));
    typed_children(id, NodeRef::Singleton, items)
}

/// Entity sets or singletons (`items`: name, type, nullable, extras) of container `id`, by
/// name; `node` makes the node of the `i`th.
fn typed_children<'m>(
    id: ContainerId,
    node: fn(ContainerId, u32) -> NodeRef,
    items: impl DoubleEndedIterator<Item = (&'m String, &'m TypeRef, Option<bool>, &'m Extras)>
    + ExactSizeIterator,
) -> BTreeMap<String, Child<'m>> {
    first_by_name(items.enumerate().map(|(i, (name, ty, nullable, x))| {
        let child = Child {
            target: Target::Type(ty),
            nullable,
            node: node(id, i as u32),
            annotations: &x.annotations,
        };
        (name.clone(), child)
    }))
}

/// The action and function imports of container `id`, by name: they share one namespace of
/// names; a function import wins a name both have.
fn imports(c: &EntityContainer, id: ContainerId) -> BTreeMap<String, Child<'_>> {
    fn by_name(
        id: ContainerId,
        list: &[OperationImport],
        node: fn(ContainerId, u32) -> NodeRef,
    ) -> BTreeMap<String, Child<'_>> {
        first_by_name(list.iter().enumerate().map(|(i, x)| {
            let child = Child {
                target: Target::Operation(&x.operation_name),
                nullable: None,
                node: node(id, i as u32),
                annotations: &x.extras.annotations,
            };
            (x.name.clone(), child)
        }))
    }
    let mut map = by_name(id, &c.action_imports, NodeRef::ActionImport);
    map.extend(by_name(id, &c.function_imports, NodeRef::FunctionImport));
    map
}

/// Operations are grouped by (namespace, name, binding type); overloads within a group are
/// told apart by their parameter names.
type OpGroup = (String, String, String);

fn op_groups(m: &Model) -> BTreeMap<OpGroup, Vec<OperationId>> {
    let mut map: BTreeMap<OpGroup, Vec<OperationId>> = BTreeMap::new();
    for (i, op) in m.operations.iter().enumerate() {
        let binding = match (op.is_bound, op.parameters.first()) {
            (true, Some(p)) => type_string(m, &p.ty),
            _ => String::new(),
        };
        map.entry((m[op.schema].namespace.clone(), op.name.clone(), binding))
            .or_default()
            .push(OperationId(i as u32));
    }
    map
}

/// Names of the non-binding parameters, in order.
fn param_names(m: &Model, id: OperationId) -> Vec<String> {
    let op = &m[id];
    op.parameters
        .iter()
        .skip(usize::from(op.is_bound))
        .map(|p| p.name.clone())
        .collect()
}

/// `ns.name(BindingType, param, ...)`: unique per overload (CSDL overloads of one binding type
/// differ in their parameter names).
fn op_path(m: &Model, id: OperationId) -> String {
    let op = &m[id];
    let mut args = Vec::new();
    if op.is_bound
        && let Some(p) = op.parameters.first()
    {
        args.push(type_string(m, &p.ty));
    }
    args.extend(param_names(m, id));
    format!(
        "{}.{}({})",
        m[op.schema].namespace,
        op.name,
        args.join(", ")
    )
}

fn op_summary(m: &Model, id: OperationId) -> String {
    let op = &m[id];
    let kind = match op.kind {
        OperationKind::Action => "action",
        OperationKind::Function => "function",
    };
    match &op.return_type {
        Some(r) => format!("{kind} returning {}", type_string(m, &r.ty)),
        None => kind.to_string(),
    }
}

/// A parameter callers may leave out: `Nullable="true"` written, or `Core.OptionalParameter`.
fn param_optional(m: &Model, op: OperationId, i: usize, p: &Parameter) -> bool {
    p.facets.nullable == Some(true)
        || m.annotations_of(NodeRef::Parameter(op, i as u32), &p.extras.annotations)
            .iter()
            .any(|a| m.term_full_name(&a.term) == vocab::OPTIONAL_PARAMETER)
}

impl Diff {
    /// True when any change breaks code using the crate generated from the old document.
    pub fn is_breaking(&self) -> bool {
        self.entries.iter().any(|e| e.breaking)
    }

    /// Counts per kind (every kind, zero or not).
    pub fn counts(&self) -> BTreeMap<Kind, Counts> {
        let mut map: BTreeMap<Kind, Counts> =
            Kind::ALL.iter().map(|k| (*k, Counts::default())).collect();
        for e in &self.entries {
            map.entry(e.kind).or_default().add(e);
        }
        map
    }

    /// Counts over every kind but descriptions.
    pub fn total(&self) -> Counts {
        let mut c = Counts::default();
        for e in self.entries.iter().filter(|e| e.kind != Kind::Description) {
            c.add(e);
        }
        c
    }

    /// One paragraph: totals, then counts per kind, then descriptions.
    pub fn summary(&self) -> String {
        let total = self.total();
        let counts = self.counts();
        let docs = counts[&Kind::Description].total();
        if total.total() == 0 {
            return if docs == 0 {
                "no changes to the model.".to_string()
            } else {
                format!("no changes to the model but {docs} description change(s).")
            };
        }
        let mut parts = Vec::new();
        for (k, c) in &counts {
            if *k == Kind::Description || c.total() == 0 {
                continue;
            }
            let mut p = Vec::new();
            for (n, w) in [
                (c.added, "added"),
                (c.removed, "removed"),
                (c.changed, "changed"),
            ] {
                if n > 0 {
                    p.push(format!("{n} {w}"));
                }
            }
            parts.push(format!("{} {}", k.title().to_lowercase(), p.join(", ")));
        }
        let mut s = format!(
            "{} change(s), {} breaking: {}",
            total.total(),
            total.breaking,
            parts.join("; ")
        );
        if docs > 0 {
            let _ = write!(s, "; {docs} description change(s)");
        }
        s.push('.');
        s
    }

    /// A Markdown report for a pull-request description: summary counts, then breaking changes,
    /// then compatible ones (long groups folded). Descriptions are counted; `docs` lists them.
    pub fn to_markdown(&self, docs: bool) -> String {
        let mut s = String::from("## OData metadata changes\n\n");
        let total = self.total();
        let counts = self.counts();
        let ndocs = counts[&Kind::Description].total();
        if total.total() == 0 && ndocs == 0 {
            s.push_str("No changes to the model.\n");
            return s;
        }
        let _ = writeln!(
            s,
            "**{} breaking** and {} compatible change(s); {} description change(s){}.\n",
            total.breaking,
            total.total() - total.breaking,
            ndocs,
            if docs || ndocs == 0 {
                ""
            } else {
                " (not listed: `--docs` lists them)"
            }
        );
        s.push_str("| | added | removed | changed | breaking |\n|---|---:|---:|---:|---:|\n");
        for (k, c) in &counts {
            if c.total() == 0 {
                continue;
            }
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |",
                k.title(),
                c.added,
                c.removed,
                c.changed,
                c.breaking
            );
        }
        let _ = writeln!(
            s,
            "| **total** (without descriptions) | {} | {} | {} | {} |",
            total.added, total.removed, total.changed, total.breaking
        );
        for breaking in [true, false] {
            let listed: Vec<&Entry> = self
                .entries
                .iter()
                .filter(|e| e.breaking == breaking && (docs || e.kind != Kind::Description))
                .collect();
            if listed.is_empty() {
                continue;
            }
            s.push_str(if breaking {
                "\n### Breaking changes\n"
            } else {
                "\n### Compatible changes\n"
            });
            for k in Kind::ALL {
                let group: Vec<&&Entry> = listed.iter().filter(|e| e.kind == *k).collect();
                if group.is_empty() {
                    continue;
                }
                let fold = !breaking && group.len() > 20;
                if fold {
                    let _ = write!(
                        s,
                        "\n<details><summary>{} ({})</summary>\n\n",
                        k.title(),
                        group.len()
                    );
                } else {
                    let _ = write!(s, "\n#### {} ({})\n\n", k.title(), group.len());
                }
                for e in group {
                    s.push_str(&markdown_line(e));
                    s.push('\n');
                }
                if fold {
                    s.push_str("\n</details>\n");
                }
            }
        }
        s
    }

    /// A JSON report: `breaking`, `summary` (counts per kind and `total`), `entries` (sorted;
    /// descriptions only when `docs`). Keys are written in sorted order.
    pub fn to_json(&self, docs: bool) -> String {
        use serde_json::Value;
        let counts_value = |c: &Counts| {
            object(vec![
                ("added", Value::from(c.added)),
                ("breaking", Value::from(c.breaking)),
                ("changed", Value::from(c.changed)),
                ("removed", Value::from(c.removed)),
            ])
        };
        let mut summary: Vec<(&str, Value)> = self
            .counts()
            .iter()
            .map(|(k, c)| (k.name(), counts_value(c)))
            .collect();
        summary.push(("total", counts_value(&self.total())));
        let opt = |v: &Option<String>| v.clone().map(Value::from).unwrap_or(Value::Null);
        let entries: Vec<Value> = self
            .entries
            .iter()
            .filter(|e| docs || e.kind != Kind::Description)
            .map(|e| {
                object(vec![
                    (
                        "aspect",
                        if e.aspect.is_empty() {
                            Value::Null
                        } else {
                            Value::from(e.aspect)
                        },
                    ),
                    ("breaking", Value::from(e.breaking)),
                    ("change", Value::from(e.change.name())),
                    ("kind", Value::from(e.kind.name())),
                    ("new", opt(&e.new)),
                    ("old", opt(&e.old)),
                    ("path", Value::from(e.path.clone())),
                    ("rule", Value::from(e.rule)),
                ])
            })
            .collect();
        let root = object(vec![
            ("breaking", Value::from(self.is_breaking())),
            ("descriptions_listed", Value::from(docs)),
            ("entries", Value::Array(entries)),
            ("summary", object(summary)),
        ]);
        let mut text = serde_json::to_string_pretty(&root).expect("JSON values serialize");
        text.push('\n');
        text
    }
}

/// An object with its keys inserted in sorted order, so the text is the same whether or not
/// serde_json's `preserve_order` is enabled by another crate of the build.
fn object(mut fields: Vec<(&str, serde_json::Value)>) -> serde_json::Value {
    fields.sort_by(|a, b| a.0.cmp(b.0));
    let mut map = serde_json::Map::new();
    for (k, v) in fields {
        map.insert(k.to_string(), v);
    }
    serde_json::Value::Object(map)
}

/// Inline code that survives backticks in the text.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// Descriptions as one short line of inline code.
fn excerpt(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut short: String = flat.chars().take(100).collect();
    if short.len() < flat.len() {
        short.push('…');
    }
    code(&short)
}

fn markdown_line(e: &Entry) -> String {
    let show = |v: &Option<String>| {
        let v = v.as_deref().unwrap_or("");
        if e.kind == Kind::Description {
            excerpt(v)
        } else {
            code(v)
        }
    };
    let mut line = match e.change {
        Change::Added => format!("- added {} ({})", code(&e.path), show(&e.new)),
        Change::Removed => format!("- removed {} ({})", code(&e.path), show(&e.old)),
        Change::Changed if e.kind == Kind::Description => format!(
            "- changed {}: {} → {}",
            code(&e.path),
            show(&e.old),
            show(&e.new)
        ),
        Change::Changed => format!(
            "- changed {} {}: {} → {}",
            code(&e.path),
            e.aspect,
            show(&e.old),
            show(&e.new)
        ),
    };
    if e.breaking || e.rule == R_INHERITED {
        let _ = write!(line, ": {}", e.rule);
    }
    line
}
