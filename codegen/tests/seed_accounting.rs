//! Every row of the seed pages' tables is accounted for in the checked-in crates' model
//! (`schemas/*.xml` merged with `schemas/docs/`, as `cargo xtask regenerate` builds it): present
//! with each fact the row states, or listed here with the reason it is not (the type or property
//! is not in the schema slice, or the row disagrees with `$metadata`; `schemas/docs/README.md`
//! records the same). The seeds are read by path from `../shared/seeds/`, never copied.

mod shared_data;

use odata_codegen::diag::{Diagnostics, Severity};
use odata_codegen::doctables::{self, DocProperty};
use odata_codegen::model::{Expr, Model, NodeRef, PropertyId, TypeId};

const S004: &str = "seeds/004_eaf2e9ac62ef8ebc.txt";

fn checked_in(schema: &str, docs: &str) -> Model {
    let root = shared_data::repo_root();
    let (model, diags) =
        odata_codegen::load_with_docs(&[root.join(schema)], &[root.join(docs)], true);
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.diagnostic.severity == Severity::Error)
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    model
}

fn find_type(model: &Model, name: &str) -> Option<TypeId> {
    model
        .type_ids()
        .find(|t| model[*t].name.eq_ignore_ascii_case(name))
}

fn find_property(model: &Model, t: TypeId, name: &str) -> Option<PropertyId> {
    model
        .all_properties(t)
        .into_iter()
        .find(|p| model[*p].name.eq_ignore_ascii_case(name))
}

fn annotation<'a>(model: &'a Model, p: PropertyId, term: &str) -> Option<&'a Expr> {
    model
        .annotations_of(NodeRef::Property(p), &model[p].extras.annotations)
        .into_iter()
        .find(|a| a.qualifier.is_none() && model.term_full_name(&a.term).ends_with(term))
        .map(|a| a.value.as_ref().unwrap_or(&Expr::Null))
}

/// Constant strings of a collection (or of the `Value` of its records).
fn strings(e: Option<&Expr>) -> Vec<String> {
    let Some(Expr::Collection(items)) = e else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|i| match i {
            Expr::Constant(_, v) | Expr::Path(_, v) => Some(v.clone()),
            Expr::Record { properties, .. } => properties
                .iter()
                .find(|p| p.property == "Value")
                .and_then(|p| match &p.value {
                    Some(Expr::Constant(_, v)) => Some(v.clone()),
                    _ => None,
                }),
            _ => None,
        })
        .collect()
}

fn required_on_create(model: &Model, t: TypeId) -> Vec<String> {
    let mut out = Vec::new();
    for a in model.ancestry(t) {
        for ann in model.annotations_of(NodeRef::Type(a), &model[a].extras.annotations) {
            if model
                .term_full_name(&ann.term)
                .ends_with("InsertRestrictions")
                && let Some(Expr::Record { properties, .. }) = &ann.value
                && let Some(r) = properties
                    .iter()
                    .find(|p| p.property == "RequiredProperties")
            {
                out.extend(strings(r.value.as_ref()));
            }
        }
    }
    out
}

/// The facts of one documented property that the model does not show; empty when all are there.
fn missing_facts(model: &Model, t: TypeId, p: PropertyId, d: &DocProperty) -> Vec<String> {
    let mut out = Vec::new();
    if d.read_only == Some(true) {
        let ro = annotation(model, p, "Core.V1.Permissions")
            .is_some_and(|e| matches!(e, Expr::Constant(_, v) if v.ends_with("/Read")))
            || annotation(model, p, "Core.V1.Computed").is_some();
        if !ro {
            out.push("read-only".to_string());
        }
    }
    if let Some(ops) = &d.filter
        && strings(annotation(model, p, "FilterOperators")) != *ops
    {
        out.push(format!("$filter {ops:?}"));
    }
    if d.select_only && annotation(model, p, "SelectOnly").is_none() {
        out.push("returned only on $select".into());
    }
    if !d.allowed_values.is_empty()
        && strings(annotation(model, p, "AllowedValues")) != d.allowed_values
    {
        out.push(format!("allowed values {:?}", d.allowed_values));
    }
    if d.required_on_create == Some(true) && !required_on_create(model, t).contains(&model[p].name)
    {
        out.push("required on create".into());
    }
    if d.default_value.is_some() && model[p].default_value != d.default_value {
        out.push(format!("default {:?}", d.default_value));
    }
    if !d.versions.is_empty() && strings(annotation(model, p, "Versions")) != d.versions {
        out.push(format!("versions {:?}", d.versions));
    }
    if d.nullable == Some(false) && model[p].facets.nullable != Some(false) {
        out.push("not nullable".into());
    }
    out
}

/// Seed 004 (`Calendars.ReadWrite`, `Property | Type | Description` tables) against
/// `graph-directory`: every row is on its type with every fact its description states, but for
/// the rows listed here.
#[test]
fn seed_004_every_row_is_in_graph_directory() {
    let Some(seed) = shared_data::path(S004) else {
        return;
    };
    // Resource types of the page the schema slice does not have.
    const TYPES_NOT_IN_SCHEMA: &[&str] = &[
        "attachmentItem",
        "bookingAppointment",
        "bookingStaffMember",
        "scheduleInformation",
        "staffAvailabilityItem",
        "uploadSession",
    ];
    // (type.property, why).
    const LISTED: &[(&str, &str)] = &[
        (
            "user.refreshTokensValidFromDateTime",
            "not a property of `user` in the schema slice (as in Graph v1.0 `$metadata`)",
        ),
        (
            "user.usageLocation",
            "not nullable in the seed, nullable in `$metadata`: `$metadata` wins, the fact is left out",
        ),
    ];
    let mut diags = Diagnostics::default();
    let set = doctables::read_docs(&[seed], 0, &mut diags);
    // One row of the page is cut (two cells under a three-column header): a located warning.
    assert_eq!(
        diags
            .items
            .iter()
            .filter(|d| d.message.contains("row not read"))
            .count(),
        1
    );
    let model = checked_in(
        "schemas/graph-directory.xml",
        "schemas/docs/graph-directory",
    );
    let (mut rows, mut present, mut listed, mut facts) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for t in &set.types {
        rows += t.properties.len();
        if TYPES_NOT_IN_SCHEMA.contains(&t.name.as_str()) {
            assert!(
                find_type(&model, &t.name).is_none(),
                "{} is in the schema",
                t.name
            );
            listed += t.properties.len();
            continue;
        }
        let Some(tid) = find_type(&model, &t.name) else {
            failures.push(format!("type {} missing", t.name));
            continue;
        };
        for p in &t.properties {
            let key = format!("{}.{}", t.name, p.name);
            let is_listed = LISTED.iter().any(|(k, _)| *k == key);
            let Some(pid) = find_property(&model, tid, &p.name) else {
                if is_listed {
                    listed += 1;
                } else {
                    failures.push(format!("{key}: not in the model"));
                }
                continue;
            };
            present += 1;
            facts += [
                p.read_only == Some(true),
                p.filter.is_some(),
                p.select_only,
                !p.allowed_values.is_empty(),
                p.required_on_create == Some(true),
                p.default_value.is_some(),
            ]
            .iter()
            .filter(|x| **x)
            .count();
            let missing = missing_facts(&model, tid, pid, p);
            if !missing.is_empty() && !is_listed {
                failures.push(format!("{key}: {}", missing.join(", ")));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(rows, present + listed);
    // 247 rows on the page, one of them cut; `location` and `user` included.
    assert_eq!((rows, present, listed), (246, 195, 51));
    eprintln!(
        "seed 004: {rows} rows, {present} on the generated types, {listed} listed; {facts} facts"
    );
    // The permission: both forms' ids, the delegated consent type and both display strings.
    let p = set
        .permission("Calendars.ReadWrite")
        .expect("the page's permission");
    let catalogue = format!("{:?}", model.schemas[0].extras.annotations);
    for fact in [
        p.delegated.as_ref().and_then(|d| d.id.clone()),
        p.delegated.as_ref().and_then(|d| d.consent.clone()),
        p.delegated.as_ref().and_then(|d| d.display.clone()),
        p.application.as_ref().and_then(|d| d.id.clone()),
        p.application.as_ref().and_then(|d| d.display.clone()),
    ] {
        let fact = fact.expect("stated on the page");
        assert!(
            catalogue.contains(&format!("{fact:?}")),
            "{fact} not in the catalogue"
        );
    }
}

/// Seeds 000 and 003 (reference pages: properties, navigation properties, actions) merged onto
/// `schemas/graph-directory.xml`, and seeds 001 and 002 (Swagger definitions and numbered property
/// lists) merged onto `schemas/azure-ad-graph.xml`: every row is in the model with each fact it
/// states, or a warning located at that row names the disagreement with `$metadata` (and its
/// location): a type or member the schema slice lacks, another type, another nullability. The
/// counts are pinned so a row that stops being read fails here.
#[test]
fn seed_reference_pages_lists_and_swagger_account_for_every_row() {
    // (seed, schema, rows with a located disagreement: properties, navigation properties, actions).
    // Seed 000: 52 properties, 24 navigation properties, 5 actions; 003: 3, 0, 3; 001: 107
    // Swagger properties; 002: 46 numbered-list properties.
    let cases = [
        (
            "seeds/000_c1375e0292258f86.txt",
            "schemas/graph-directory.xml",
            (17, 9, 0),
        ),
        (
            "seeds/003_8abac902b6d3cbfe.txt",
            "schemas/graph-directory.xml",
            (3, 0, 0),
        ),
        (
            "seeds/001_bf404e7aa6cf4218.txt",
            "schemas/azure-ad-graph.xml",
            (0, 0, 0),
        ),
        (
            "seeds/002_10caf1d709b9b1b7.txt",
            "schemas/azure-ad-graph.xml",
            (2, 0, 0),
        ),
    ];
    let mut report = Vec::new();
    for (seed, schema, expected) in cases {
        let Some(seed_path) = shared_data::path(seed) else {
            return;
        };
        let mut diags = Diagnostics::default();
        let set = doctables::read_docs(std::slice::from_ref(&seed_path), 0, &mut diags);
        let (model, merged) = odata_codegen::load_with_docs(
            &[shared_data::repo_root().join(schema)],
            std::slice::from_ref(&seed_path),
            false,
        );
        // Lines of the seed with a warning about the merge.
        let warned: Vec<(u32, &str)> = merged
            .iter()
            .filter(|d| d.path == seed_path && d.diagnostic.severity == Severity::Warning)
            .map(|d| (d.diagnostic.loc.line, d.diagnostic.message.as_str()))
            .collect();
        let explained = |line: u32| warned.iter().any(|(l, _)| *l == line);
        let mut failures = Vec::new();
        let (mut props, mut navs, mut actions) = (0, 0, 0);
        let (mut p_listed, mut n_listed, mut a_listed) = (0, 0, 0);
        for t in &set.types {
            let tid = find_type(&model, &t.name);
            for p in &t.properties {
                props += 1;
                let pid = tid.and_then(|tid| find_property(&model, tid, &p.name));
                let missing = match (tid, pid) {
                    (Some(tid), Some(pid)) => missing_facts(&model, tid, pid, p),
                    _ => vec!["not in the model".into()],
                };
                if missing.is_empty() {
                    continue;
                }
                if explained(p.loc.line) || tid.is_none() && explained(t.loc.line) {
                    p_listed += 1;
                } else {
                    failures.push(format!(
                        "{seed}:{}: {}.{}: {missing:?}",
                        p.loc.line, t.name, p.name
                    ));
                }
            }
            for n in &t.navigations {
                navs += 1;
                let found = tid.and_then(|tid| {
                    model
                        .all_navigations(tid)
                        .into_iter()
                        .find(|x| model[*x].name.eq_ignore_ascii_case(&n.name))
                });
                let target_ok = found.is_some_and(|x| {
                    model[x]
                        .ty
                        .type_id()
                        .is_some_and(|tt| model[tt].name.eq_ignore_ascii_case(n.target.short()))
                });
                if target_ok {
                    continue;
                }
                if explained(n.loc.line) {
                    n_listed += 1;
                } else {
                    failures.push(format!(
                        "{seed}:{}: navigation {}.{}",
                        n.loc.line, t.name, n.name
                    ));
                }
            }
            for a in &t.actions {
                actions += 1;
                let found = model.operations.iter().any(|o| {
                    o.is_bound
                        && o.name.eq_ignore_ascii_case(&a.name)
                        && o.parameters.len() == a.parameters.len() + 1
                });
                if found {
                    continue;
                }
                if explained(a.loc.line) {
                    a_listed += 1;
                } else {
                    failures.push(format!("{seed}:{}: action {}", a.loc.line, a.name));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        report.push(format!(
            "{seed}: {props} properties ({p_listed} with a located disagreement), {navs} navigation properties ({n_listed}), {actions} actions ({a_listed})"
        ));
        assert_eq!(
            (p_listed, n_listed, a_listed),
            expected,
            "{}",
            report.join(
                "
"
            )
        );
    }
    eprintln!("{}", report.join("\n"));
}

/// Seeds 001 (Swagger definitions) and 002 (numbered property lists) against the checked-in
/// `azure-ad-graph` (`schemas/docs/azure-ad-graph/seed-facts.txt` transcribes their facts): every
/// property row is on its type with every fact it states, but for the rows listed here.
#[test]
fn seeds_001_002_every_row_is_in_azure_ad_graph() {
    let (Some(s001), Some(s002)) = (
        shared_data::path("seeds/001_bf404e7aa6cf4218.txt"),
        shared_data::path("seeds/002_10caf1d709b9b1b7.txt"),
    ) else {
        return;
    };
    // (type.property, why); `:nullable` for a nullability fact only.
    const LISTED: &[(&str, &str)] = &[
        (
            "User.Email",
            "not a property of `User` in `$metadata` (a sample's field in seed 002)",
        ),
        (
            "User.usageLocation:nullable",
            "not nullable in seed 002, nullable in `$metadata`: `$metadata` wins",
        ),
    ];
    let mut diags = Diagnostics::default();
    let set = doctables::read_docs(&[s001, s002], 0, &mut diags);
    let model = checked_in("schemas/azure-ad-graph.xml", "schemas/docs/azure-ad-graph");
    let (mut rows, mut present, mut listed) = (0, 0, 0);
    let mut failures = Vec::new();
    for t in &set.types {
        let Some(tid) = find_type(&model, &t.name) else {
            failures.push(format!("type {} missing", t.name));
            continue;
        };
        for p in &t.properties {
            rows += 1;
            let key = format!("{}.{}", t.name, p.name);
            let Some(pid) = find_property(&model, tid, &p.name) else {
                if LISTED.iter().any(|(k, _)| *k == key) {
                    listed += 1;
                } else {
                    failures.push(format!("{key}: not in the model"));
                }
                continue;
            };
            present += 1;
            let mut missing = missing_facts(&model, tid, pid, p);
            if LISTED.iter().any(|(k, _)| *k == format!("{key}:nullable")) {
                missing.retain(|m| m != "not nullable");
            }
            if !missing.is_empty() {
                failures.push(format!("{key}: {}", missing.join(", ")));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("seeds 001+002: {rows} rows, {present} on the generated types, {listed} listed");
    assert_eq!(rows, present + listed);
    // 107 Swagger properties (two `user` definitions and five complex types), 46 list entries.
    assert_eq!((rows, present, listed), (153, 152, 1));
}

/// Seeds 001 and 002's `$links` requests (Swagger paths of seed 001) and the functions and
/// actions their prose names (seed 001's `You can call the … function` sentences, seed 002's
/// `/{function_name}` examples), read by path: alone, each is a link-only navigation of `user`
/// with the cardinality the requests state, or an untyped operation bound where the page says;
/// against `schemas/azure-ad-graph.xml`, the typed navigation and operations of `$metadata` are
/// used (nothing link-only, nothing untyped, nothing twice), and a call `$metadata` has elsewhere
/// is a warning at its line. Seed 002's `me` (`me targets the signed-in user.`, addressed as
/// `https://graph.windows.net/me`) is an alias of `user` and seed 001's `changePassword` (called
/// "on the signed-in user") is valid only through it, alone and against `$metadata`; the pages'
/// URLs written with `myorganization` give the tenant alias.
#[test]
fn seeds_001_002_links_and_calls_are_accounted_for() {
    use odata_codegen::doctables::CallTarget;
    use odata_codegen::model::meaning;
    let (Some(s001), Some(s002)) = (
        shared_data::path("seeds/001_bf404e7aa6cf4218.txt"),
        shared_data::path("seeds/002_10caf1d709b9b1b7.txt"),
    ) else {
        return;
    };
    let seeds = [s001.clone(), s002.clone()];
    let mut diags = Diagnostics::default();
    let set = doctables::read_docs(&seeds, 0, &mut diags);
    let link_requests = set
        .operations
        .iter()
        .filter(|o| {
            o.path
                .as_ref()
                .is_some_and(|p| p.written.contains("/$links/"))
        })
        .count();
    assert_eq!(
        link_requests, 5,
        "GET, PUT, DELETE manager; GET directReports, memberOf"
    );
    let links = doctables::build::link_facts(&set, &mut diags);
    assert!(diags.items.is_empty(), "{:?}", diags.items);
    let summary: Vec<(&str, &str, bool, usize)> = links
        .iter()
        .map(|l| {
            (
                l.set.as_str(),
                l.name.as_str(),
                l.collection,
                l.methods.len(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("users", "manager", false, 3),
            ("users", "directReports", true, 1),
            ("users", "memberOf", true, 1),
        ]
    );
    // Six sentences in seed 001 (on users), two examples in seed 002 (`isMemberOf` at the
    // tenant, `getMemberGroups` on users again).
    let calls: Vec<(&str, &CallTarget)> = set
        .calls
        .iter()
        .map(|c| (c.name.as_str(), &c.target))
        .collect();
    assert_eq!(calls.len(), 7, "{calls:?}");
    assert!(calls.contains(&("isMemberOf", &CallTarget::Tenant)));
    let signed_in: Vec<(&str, &str)> = set
        .calls
        .iter()
        .filter_map(|c| Some((c.name.as_str(), c.signed_in.as_deref()?)))
        .collect();
    assert_eq!(signed_in, vec![("changePassword", "user")]);
    let aliases: Vec<(&str, &str, Option<&std::path::Path>, u32)> = set
        .aliases
        .iter()
        .map(|a| {
            (
                a.name.as_str(),
                a.signed_in.as_str(),
                set.path_of(a.loc),
                a.loc.line,
            )
        })
        .collect();
    assert_eq!(aliases, vec![("me", "user", Some(s002.as_path()), 865)]);
    // The alias, then the tenant alias as the first URL written with it (seed 001's example
    // `GET https://graph.windows.net/myorganization/users/…/$links/manager`) writes it.
    let addressing = |model: &Model, user: TypeId| {
        let only: Vec<(String, String)> = (0..model.operations.len())
            .filter_map(|o| {
                let oid = odata_codegen::model::OperationId(o as u32);
                Some((model[oid].name.clone(), meaning::only_through(model, oid)?))
            })
            .collect();
        assert_eq!(only, vec![("changePassword".to_string(), "me".to_string())]);
        let c = odata_codegen::model::ContainerId(0);
        assert_eq!(
            meaning::aliases(model, c),
            vec![
                ("me".to_string(), Some(model.qualified_name(user))),
                ("myorganization".to_string(), None),
            ]
        );
    };

    // Tables alone.
    let (model, _) = odata_codegen::load_with_docs(&[], &seeds, false);
    let user = find_type(&model, "user").expect("user");
    addressing(&model, user);
    let got = meaning::link_navigations(&model, user);
    for l in &links {
        assert!(
            got.iter().any(|g| g.name == l.name
                && g.collection == l.collection
                && g.methods == l.methods
                && g.scopes == l.scopes),
            "{} not on `user`: {got:?}",
            l.name
        );
    }
    assert_eq!(got.len(), links.len());
    // Every `$links` request of seed 001 names its scopes.
    assert_eq!(links.iter().map(|l| l.scopes.len()).sum::<usize>(), 5);
    for c in &set.calls {
        let ops: Vec<usize> = (0..model.operations.len())
            .filter(|&o| {
                let op = &model.operations[o];
                op.name == c.name
                    && match c.target {
                        CallTarget::Tenant => !op.is_bound,
                        CallTarget::Member(_) => {
                            op.is_bound && op.parameters[0].ty.type_id() == Some(user)
                        }
                    }
            })
            .collect();
        assert_eq!(ops.len(), 1, "{} {:?}", c.name, c.target);
        let oid = odata_codegen::model::OperationId(ops[0] as u32);
        assert!(meaning::untyped_call(&model, oid), "{}", c.name);
        if c.target == CallTarget::Tenant {
            assert!(
                model.containers[0]
                    .function_imports
                    .iter()
                    .any(|i| i.operations == [oid])
            );
        }
    }

    // Against `$metadata`.
    let (model, merged) = odata_codegen::load_with_docs(
        &[shared_data::repo_root().join("schemas/azure-ad-graph.xml")],
        &seeds,
        false,
    );
    let user = find_type(&model, "User").expect("User");
    addressing(&model, user);
    assert!(meaning::link_navigations(&model, user).is_empty());
    for l in &links {
        let nav = model
            .all_navigations(user)
            .into_iter()
            .find(|n| model[*n].name == l.name)
            .unwrap_or_else(|| panic!("{}", l.name));
        assert_eq!(model[nav].ty.collection, l.collection, "{}", l.name);
    }
    assert!(
        (0..model.operations.len())
            .all(|o| !meaning::untyped_call(&model, odata_codegen::model::OperationId(o as u32)))
    );
    let mut conflicts = Vec::new();
    for c in &set.calls {
        let n = model.operations.iter().filter(|o| o.name == c.name).count();
        assert_eq!(n, 1, "{}: one operation, from $metadata", c.name);
        let warned = merged.iter().any(|d| {
            d.diagnostic.loc.line == c.loc.line
                && d.diagnostic.message.contains(&format!("`{}`", c.name))
        });
        if warned {
            conflicts.push(c.name.as_str());
        }
    }
    // `$metadata` imports `isMemberOf` at the root; seed 001 lists it among the functions on
    // users.
    assert_eq!(conflicts, vec!["isMemberOf"]);
}

/// Seed 002's addressing in the checked-in `azure-ad-graph` (`schemas/docs/azure-ad-graph/
/// addressing.md`): `me` and `myOrganization` are root constructors, and `changePassword`, which
/// the service takes only on the signed-in user, is a method of the `me` builder only and says
/// so (`tests/src/lib.rs` checks that it does not compile on another user).
#[test]
fn azure_ad_graph_addressing_reaches_the_root() {
    let requests = std::fs::read_to_string(
        shared_data::repo_root()
            .join("generated/azure-ad-graph/src/microsoft_directory_services/requests.rs"),
    )
    .unwrap();
    assert!(requests.contains("pub fn me(host: &str) -> Me {"));
    assert!(requests.contains("pub struct Me(rt::Path, UserItem);"));
    assert_eq!(requests.matches("pub fn change_password(").count(), 1);
    let me_impl = requests.find("impl Me {").unwrap();
    assert!(requests.contains("pub fn my_organization(host: &str) -> Self {"));
    let at = requests.find("pub fn change_password(").unwrap();
    assert!(at > me_impl, "change_password is not a method of Me");
    let before = &requests[..at];
    let doc_start = before
        .rfind("*/")
        .unwrap_or(0)
        .max(before.rfind("}\n").unwrap_or(0));
    assert!(
        before[doc_start..].contains("Valid only on `me`"),
        "{}",
        &before[doc_start..]
    );
}
