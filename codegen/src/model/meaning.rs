//! What the model's annotations and foreign attributes mean for generated code, decided here
//! once and read by the emitters: which members are read-only or immutable (vocabulary terms,
//! or SAP's V2 `sap:creatable`/`sap:updatable`), which properties a create requires, which
//! parameters may be left out, which elements are deprecated.

use crate::model::*;

use crate::model::vocab::{
    COMPUTED, DOCS_ONLY_THROUGH, IMMUTABLE, INSERT_RESTRICTIONS, OPTIONAL_PARAMETER, PERMISSIONS,
    REVISIONS,
};
/// The namespaces of SAP's annotation attributes (`sap:creatable`, `sap:label`, ...): SAP
/// Gateway's and S/4HANA's, and SAP SuccessFactors', whose OData API declares its own for the
/// same attributes with the same meaning.
const SAP_DATA: [&str; 2] = [
    "http://www.sap.com/Protocols/SAPData",
    "http://www.successfactors.com/edm/sap",
];

/// Whether a foreign attribute is one of SAP's.
fn is_sap(f: &ForeignAttr) -> bool {
    SAP_DATA.contains(&f.namespace.as_str())
}

/// More required properties than this, and `for_create` takes them by name, in a struct.
pub const NAMED_CREATE_ABOVE: usize = 4;

/// Which bodies leave a member out, and why.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Writability {
    /// Left out of create and update bodies.
    pub read_only: bool,
    /// Left out of update bodies (and not read-only).
    pub immutable: bool,
    /// Said by SAP's attributes rather than by vocabulary annotations (the docs say which).
    pub by_sap: bool,
}

/// Whether container `c` is an SAP service: it, its schema, or one of its entity sets carries
/// SAP's `sap:` attributes (every SAP Gateway and S/4HANA V2 service does). Such services want
/// an `X-CSRF-Token` on every write.
pub fn is_sap_service(model: &Model, c: ContainerId) -> bool {
    let sap = |e: &Extras| e.foreign.iter().any(is_sap);
    let cont = &model[c];
    sap(&cont.extras)
        || sap(&model[cont.schema].extras)
        || cont.entity_sets.iter().any(|s| sap(&s.extras))
}

/// A member's writability: `Core.Computed` or `Core.Permissions` `Read` (read-only),
/// `Core.Immutable` (immutable), or SAP's V2 attributes: `sap:creatable` and `sap:updatable`
/// both false is read-only, `sap:updatable` false alone immutable.
pub fn writability(model: &Model, node: NodeRef, extras: &Extras) -> Writability {
    let sap_false = |attr: &str| {
        extras
            .foreign
            .iter()
            .any(|f| is_sap(f) && f.name == attr && f.value == "false")
    };
    let (no_create, no_update) = (sap_false("creatable"), sap_false("updatable"));
    let annotated_read_only = read_only(model, node, &extras.annotations);
    let read_only = annotated_read_only || (no_create && no_update);
    let annotated_immutable = immutable(model, node, &extras.annotations);
    let immutable = !read_only && (annotated_immutable || no_update);
    Writability {
        read_only,
        immutable,
        by_sap: (read_only && !annotated_read_only) || (immutable && no_update),
    }
}

/// The unqualified annotation of `term` (full name) on a node.
pub fn annotation<'a>(
    model: &'a Model,
    node: NodeRef,
    inline: &'a [Annotation],
    term: &str,
) -> Option<&'a Annotation> {
    let all = model.annotations_of(node, inline);
    // Documented scopes kept beside a `$metadata` record of the same term come first.
    let docs = crate::doctables::build::DOCS_QUALIFIER;
    if term.ends_with("Restrictions")
        && let Some(a) = all
            .iter()
            .copied()
            .find(|a| a.qualifier.as_deref() == Some(docs) && model.term_full_name(&a.term) == term)
    {
        return Some(a);
    }
    all.into_iter()
        .find(|a| a.qualifier.is_none() && model.term_full_name(&a.term) == term)
}

pub fn const_text(e: &Expr) -> Option<&str> {
    match e {
        Expr::Constant(_, v) => Some(v),
        Expr::Path(_, v) => Some(v),
        _ => None,
    }
}

pub fn strings_of(e: Option<&Expr>) -> Vec<String> {
    match e {
        Some(Expr::Collection(items)) => items
            .iter()
            .filter_map(|i| match i {
                Expr::Record { properties, .. } => properties
                    .iter()
                    .find(|p| p.property == "Value")
                    .and_then(|p| p.value.as_ref())
                    .and_then(const_text)
                    .map(str::to_string),
                other => const_text(other).map(str::to_string),
            })
            .collect(),
        _ => Vec::new(),
    }
}

pub fn record_field<'a>(e: &'a Expr, name: &str) -> Option<&'a Expr> {
    match e {
        Expr::Record { properties, .. } => properties
            .iter()
            .find(|p| p.property == name)
            .and_then(|p| p.value.as_ref()),
        _ => None,
    }
}

/// Whether a `Core.Immutable` annotation (value absent or `true`) marks the member: set when
/// creating, never updated.
pub fn immutable(model: &Model, node: NodeRef, inline: &[Annotation]) -> bool {
    tagged(model, node, inline, IMMUTABLE)
}

/// Whether a parameter is annotated `Core.OptionalParameter`: it may be left out of a call.
pub fn optional_parameter(model: &Model, node: NodeRef, inline: &[Annotation]) -> bool {
    annotation(model, node, inline, OPTIONAL_PARAMETER).is_some()
}

/// Whether a Boolean tag term (`Core.Computed`, `Core.Immutable`) marks the node: annotated
/// without a value or with `true`.
pub fn tagged(model: &Model, node: NodeRef, inline: &[Annotation], term: &str) -> bool {
    annotation(model, node, inline, term).is_some_and(|a| {
        a.value
            .as_ref()
            .and_then(const_text)
            .is_none_or(|v| v == "true")
    })
}

/// Whether the member is read-only: `Core.Computed` (absent value or `true`), or
/// `Core.Permissions` `Read`.
pub fn read_only(model: &Model, node: NodeRef, inline: &[Annotation]) -> bool {
    let by_permissions = annotation(model, node, inline, PERMISSIONS)
        .and_then(|a| a.value.as_ref())
        .and_then(const_text)
        .is_some_and(|v| {
            let v = v.trim();
            v.ends_with("/Read") || v == "Read"
        });
    by_permissions || tagged(model, node, inline, COMPUTED)
}

/// The members of `t` a create requires ([`required_on_create`]), each once, in the order the
/// annotations name them; names that are not members of `t` are left out.
pub fn create_requirements(model: &Model, t: TypeId) -> Vec<String> {
    let mut members: std::collections::BTreeSet<&str> = model
        .all_properties(t)
        .into_iter()
        .map(|p| model[p].name.as_str())
        .collect();
    members.extend(
        model
            .all_navigations(t)
            .into_iter()
            .map(|n| model[n].name.as_str()),
    );
    let mut out: Vec<String> = Vec::new();
    for r in required_on_create(model, t) {
        if members.contains(r.as_str()) && !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// Properties a type requires on create: `Capabilities.InsertRestrictions/RequiredProperties`
/// on the type or one of its bases.
pub fn required_on_create(model: &Model, t: TypeId) -> Vec<String> {
    let mut out = Vec::new();
    for a in model.ancestry(t) {
        let ty = &model[a];
        if let Some(ann) = annotation(
            model,
            NodeRef::Type(a),
            &ty.extras.annotations,
            INSERT_RESTRICTIONS,
        ) && let Some(v) = &ann.value
        {
            out.extend(strings_of(record_field(v, "RequiredProperties")));
        }
    }
    out
}

/// The deprecation note when a `Core.Revisions` record has `Kind` `Deprecated` (its description and version).
pub fn deprecation(model: &Model, node: NodeRef, inline: &[Annotation]) -> Option<String> {
    for a in model.annotations_of(node, inline) {
        if model.term_full_name(&a.term) != REVISIONS {
            continue;
        }
        let Some(Expr::Collection(items)) = &a.value else {
            continue;
        };
        for item in items {
            let Expr::Record { properties, .. } = item else {
                continue;
            };
            let kind = properties.iter().find(|p| p.property == "Kind");
            let deprecated = kind.is_some_and(|k| match &k.value {
                Some(Expr::Constant(ConstKind::EnumMember, v)) => {
                    v.ends_with("/Deprecated")
                        || v.ends_with("'Deprecated'")
                        || v.rsplit(['/', '.']).next() == Some("Deprecated")
                }
                Some(Expr::Constant(_, v)) => v == "Deprecated",
                _ => false,
            });
            if !deprecated {
                continue;
            }
            let text = |name: &str| {
                properties
                    .iter()
                    .find(|p| p.property == name)
                    .and_then(|p| match &p.value {
                        Some(Expr::Constant(_, v)) => Some(v.clone()),
                        _ => None,
                    })
            };
            let mut note = text("Description").unwrap_or_default();
            if let Some(v) = text("Version") {
                note = if note.is_empty() {
                    format!("deprecated as of {v}")
                } else {
                    format!("{note} (deprecated as of {v})")
                };
            }
            return Some(note.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    None
}

/// The records of a container's documentation term `term` (full name), each read by `read`.
fn container_records<T>(
    model: &Model,
    c: ContainerId,
    term: &str,
    read: impl Fn(&Expr) -> Option<T>,
) -> Vec<T> {
    let cont = &model.containers[c.index()];
    let node = NodeRef::Container(c);
    match annotation(model, node, &cont.extras.annotations, term).and_then(|a| a.value.as_ref()) {
        Some(Expr::Collection(items)) => items.iter().filter_map(read).collect(),
        _ => Vec::new(),
    }
}

/// Addressing aliases of a container (`Codegen.Docs.V1.Aliases`): (alias, entity type it
/// addresses, if one).
pub fn aliases(model: &Model, c: ContainerId) -> Vec<(String, Option<String>)> {
    container_records(model, c, crate::model::vocab::DOCS_ALIASES, |r| {
        let name = record_field(r, "Name").and_then(const_text)?;
        let ty = record_field(r, "Type").and_then(const_text);
        Some((name.to_string(), ty.map(str::to_string)))
    })
}

/// Query parameters every request of a container's service carries unless the caller sets
/// another value (`Codegen.Docs.V1.DefaultQueryParameters`: `api-version` = `1.6`).
pub fn default_query_parameters(model: &Model, c: ContainerId) -> Vec<(String, String)> {
    container_records(
        model,
        c,
        crate::model::vocab::DOCS_DEFAULT_QUERY_PARAMETERS,
        |r| {
            let name = record_field(r, "Name").and_then(const_text)?;
            let value = record_field(r, "Value").and_then(const_text)?;
            Some((name.to_string(), value.to_string()))
        },
    )
}

/// The addressing alias an operation is valid only through (`Codegen.Docs.V1.OnlyThrough`:
/// Azure AD Graph's `changePassword` only on `me`).
pub fn only_through(model: &Model, op: OperationId) -> Option<String> {
    let o = &model[op];
    annotation(
        model,
        NodeRef::Operation(op),
        &o.extras.annotations,
        DOCS_ONLY_THROUGH,
    )
    .and_then(|a| a.value.as_ref())
    .and_then(const_text)
    .map(str::to_string)
}

/// A navigation property the documentation addresses only through `$links`, without a target
/// type (`Codegen.Docs.V1.Links` on the entity type): read and written as links (entity URLs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkNavigation {
    /// As in URLs (`memberOf`).
    pub name: String,
    /// Collection-valued (`…/$links/memberOf` lists links) or single-valued (`manager`).
    pub collection: bool,
    /// The HTTP methods the documentation shows on it (`GET`, `PUT`, `DELETE`).
    pub methods: Vec<String>,
    /// The scopes the documentation gives per method: (method, scope names).
    pub scopes: Vec<(String, Vec<String>)>,
}

/// The link-only navigation properties of entity type `t` and its bases, base first; a name
/// that is also a navigation property of the model is left out (the typed one wins).
pub fn link_navigations(model: &Model, t: TypeId) -> Vec<LinkNavigation> {
    let typed: Vec<String> = model
        .all_navigations(t)
        .into_iter()
        .map(|n| model[n].name.to_ascii_lowercase())
        .collect();
    let mut out: Vec<LinkNavigation> = Vec::new();
    for x in model.ancestry(t).into_iter().rev() {
        let node = NodeRef::Type(x);
        let Some(Expr::Collection(items)) = annotation(
            model,
            node,
            &model[x].extras.annotations,
            crate::model::vocab::DOCS_LINKS,
        )
        .and_then(|a| a.value.as_ref()) else {
            continue;
        };
        for r in items {
            let Some(name) = record_field(r, "Name").and_then(const_text) else {
                continue;
            };
            let lower = name.to_ascii_lowercase();
            if typed.contains(&lower) || out.iter().any(|l| l.name.to_ascii_lowercase() == lower) {
                continue;
            }
            out.push(LinkNavigation {
                name: name.to_string(),
                collection: record_field(r, "Collection").and_then(const_text) == Some("true"),
                methods: strings_of(record_field(r, "Methods")),
                scopes: match record_field(r, "Scopes") {
                    Some(Expr::Collection(items)) => items
                        .iter()
                        .filter_map(|s| {
                            let m = record_field(s, "Method").and_then(const_text)?;
                            Some((m.to_string(), strings_of(record_field(s, "Scopes"))))
                        })
                        .collect(),
                    _ => Vec::new(),
                },
            });
        }
    }
    out
}

/// Whether an operation is called untyped (`Codegen.Docs.V1.UntypedCall`): the documentation
/// names it, where it is called and with which method, but gives no parameters or result.
pub fn untyped_call(model: &Model, op: OperationId) -> bool {
    annotation(
        model,
        NodeRef::Operation(op),
        &model[op].extras.annotations,
        crate::model::vocab::DOCS_UNTYPED_CALL,
    )
    .is_some_and(|a| {
        a.value
            .as_ref()
            .is_none_or(|v| const_text(v) == Some("true"))
    })
}

/// [`crate::Settings::nullable_items`]: every collection-valued property and result (but of
/// entities) of a V4 document whose `Nullable` is not written gets `Nullable="true"` (CSDL 4.0 leaves such items'
/// nullability open; 4.01 asks services to write it). V2/V3 collections hold no nulls (MC-CSDL),
/// and parameters, which the client writes, stay as declared.
pub fn nullable_collection_items(model: &mut Model) {
    let v4 = |model: &Model, s: SchemaId| {
        model
            .files
            .get(model[s].file.0 as usize)
            .is_some_and(|f| f.version == ODataVersion::V4)
    };
    let v4_types: Vec<bool> = model
        .type_ids()
        .map(|t| v4(model, model[t].schema))
        .collect();
    for p in &mut model.properties {
        if p.ty.collection && p.facets.nullable.is_none() && v4_types[p.owner.0 as usize] {
            p.facets.nullable = Some(true);
        }
    }
    // Results: not collections of entities, which hold no nulls (and where CSDL forbids
    // `Nullable`).
    let eligible: Vec<bool> = model
        .operations
        .iter()
        .map(|o| {
            v4(model, o.schema)
                && o.return_type.as_ref().is_some_and(|r| {
                    r.ty.collection && !r.ty.type_id().is_some_and(|t| model[t].is_entity())
                })
        })
        .collect();
    for (o, eligible) in model.operations.iter_mut().zip(eligible) {
        if let Some(r) = &mut o.return_type
            && eligible
            && r.facets.nullable.is_none()
        {
            r.facets.nullable = Some(true);
        }
    }
}
