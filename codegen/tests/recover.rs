//! Recovery from the ways real services break the spec (issue 12): every document of
//! `tests/fixtures/recover/` generates, with a located warning per problem that names the
//! recovery (exit status 0); with `--strict` the same problems are located errors (exit status 1,
//! nothing written). That the generated crates pass clippy is checked by `corpus.rs`, in the
//! same cargo workspace as the corpus.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_odata-codegen");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/recover")
}

/// A fixture and the problems it must report: line, column, a substring of the message (also
/// the whole error in strict mode) and a substring of the recovery.
struct Case {
    file: &'static str,
    problems: &'static [(u32, u32, &'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        file: "base_type_cycles.xml",
        problems: &[
            // `Category` names itself.
            (
                6,
                7,
                "entity type `Category`: inheritance cycle through base type `Shop.Category`",
                "`Category` is generated without a base type",
            ),
            // Postal → Street → Geo → Postal: the walk from the first declared closes at Geo.
            (
                22,
                7,
                "complex type `GeoAddress`: inheritance cycle through base type `Shop.PostalAddress`",
                "the cycle is broken here",
            ),
        ],
    },
    Case {
        file: "container_name_clashes.xml",
        problems: &[
            (
                18,
                9,
                "duplicate name `Books` in entity container `LibraryContext`",
                "this function import is `books_2` in Rust, the entity set of line 15 is `books`",
            ),
            (
                21,
                9,
                "duplicate name `Loans` in entity container `LibraryContext`",
                "`loans_2`",
            ),
            (
                26,
                9,
                "duplicate name `Renew` in entity container `LibraryContext`",
                "`renew_2`",
            ),
        ],
    },
    Case {
        file: "duplicate_parameters.xml",
        problems: &[
            (
                13,
                9,
                "duplicate parameter `driver` in `Assign`",
                "this one is `driver_2` in Rust; both are sent as `driver`",
            ),
            (
                19,
                9,
                "duplicate parameter `from` in `Distance`",
                "this one is `from_3` in Rust",
            ),
        ],
    },
    Case {
        file: "facets_out_of_range.xml",
        problems: &[
            (
                5,
                7,
                "type definition `Rate`: Scale 5 is greater than Precision 2",
                "`Scale` is ignored",
            ),
            (
                9,
                9,
                "property `Amount`: Scale 10 is greater than Precision 3",
                "`Scale` is ignored",
            ),
            (
                16,
                9,
                "parameter `delta`: Scale 8 is greater than Precision 4",
                "`Scale` is ignored",
            ),
        ],
    },
    Case {
        file: "import_of_unknown_operation.xml",
        problems: &[
            (
                19,
                9,
                "operation import `Merge` names unknown unbound operation `Crm.Merge`",
                "the import is left out",
            ),
            (
                21,
                9,
                "operation import `Score` names `Crm.Score`, which is bound (`IsBound=\"true\"`); an import names unbound operations only",
                "the import is left out; the operation is a method of its binding type's request builder",
            ),
        ],
    },
    Case {
        file: "stripped_namespace.xml",
        problems: &[
            (
                9,
                9,
                "property `Salary`: unknown type `acme.hr.payroll.Amount`: no schema has namespace or alias `acme.hr.payroll`",
                "its value is kept as untyped JSON",
            ),
            (
                10,
                9,
                "property `History`: unknown type `acme.hr.payroll.Amount`",
                "its value is kept as untyped JSON",
            ),
            (
                11,
                9,
                "navigation property `Payslips`: unknown type `acme.hr.payroll.Payslip`",
                "its value is kept as untyped JSON",
            ),
            (
                12,
                9,
                "navigation property `Account`: unknown type `acme.hr.payroll.Account`",
                "its value is kept as untyped JSON",
            ),
            (
                14,
                7,
                "entity type `Contractor`: base type: unknown type `acme.hr.payroll.Payee`",
                "`Contractor` is generated without a base type",
            ),
            (
                20,
                9,
                "parameter `amount` of `Pay`: unknown type `acme.hr.payroll.Amount`",
                "the argument is untyped JSON",
            ),
            (
                21,
                9,
                "return type of `Pay`: unknown type `acme.hr.payroll.Payslip`",
                "the result is untyped JSON",
            ),
            (
                26,
                9,
                "entity set `Payslips`: unknown type `acme.hr.payroll.Payslip`",
                "the entity set is left out of the request builders",
            ),
            (
                27,
                9,
                "singleton `Payroll`: unknown type `acme.hr.payroll.Run`",
                "the singleton is left out of the request builders",
            ),
        ],
    },
    // The same in V2: the navigation property's type comes from an association end.
    Case {
        file: "stripped_namespace_v2.xml",
        problems: &[
            (
                9,
                9,
                "property `Total`: unknown type `Sales.Money.Amount`: no schema has namespace or alias `Sales.Money`",
                "its value is kept as untyped JSON",
            ),
            (
                10,
                9,
                "navigation property `Customer`: unknown type `Sales.Crm.Customer`",
                "its value is kept as untyped JSON",
            ),
            (
                18,
                9,
                "entity set `Customers`: unknown type `Sales.Crm.Customer`",
                "the entity set is left out of the request builders",
            ),
            // At the `ReturnType` attribute of the `FunctionImport`.
            (
                23,
                45,
                "return type of `TopCustomers`: unknown type `Sales.Crm.Customer`",
                "the result is untyped JSON",
            ),
            (
                24,
                11,
                "parameter `since` of `TopCustomers`: unknown type `Sales.Money.Period`",
                "the argument is untyped JSON",
            ),
        ],
    },
    Case {
        file: "partners_extends_and_non_entity_sets.xml",
        problems: &[
            (
                16,
                9,
                "navigation property `Origin`: partner `Flights` is not a navigation property of `Travel.Airport`",
                "the partner is ignored",
            ),
            (
                24,
                7,
                "entity container `TravelService` extends unknown container `Travel.Base.Service`",
                "`Extends` is ignored",
            ),
            (
                28,
                9,
                "entity set `Seats`: `Travel.Seat` is not an entity type",
                "the entity set is left out of the request builders",
            ),
            (
                29,
                9,
                "singleton `Favourite`: `Travel.WindowSeat` is not an entity type",
                "the singleton is left out of the request builders",
            ),
        ],
    },
    // Booleans in capitals and schema types without their namespace (both seen in real V2
    // documents): read in any case, and resolved in the enclosing schema or else as the one type
    // of that name.
    Case {
        file: "unqualified_types_and_capitalised_booleans.xml",
        problems: &[
            (
                7,
                49,
                "`Nullable=\"False\"`: a boolean is `true` or `false`, in lower case",
                "read as `false`",
            ),
            (
                9,
                9,
                "property `Soil`: type `SoilMix` is not qualified",
                "read as `Garden.SoilMix`",
            ),
            (12, 48, "`Nullable=\"TRUE\"`", "read as `true`"),
            (
                18,
                9,
                "entity set `Beds`: type `Bed` is not qualified",
                "read as `Garden.Bed`",
            ),
            (
                19,
                39,
                "return type of `Driest`: type `Bed` is not qualified",
                "read as `Garden.Bed`",
            ),
        ],
    },
    // Shapes from real V4 documents: a 4.01 vocabulary's `Edm.AnyPropertyPath` (OASIS
    // Aggregation) is read without a word; a primitive type this crate does not know
    // (`Edm.Float`, SAP's test services) is untyped JSON; CSDL 2.0's `CollectionKind` is a
    // collection; an annotation with two values (Microsoft's capability drafts) keeps the
    // first; a function without a return type (SAP's SDK tests) returns nothing; a singleton
    // typed with `EntityType` (early Web API OData) is read.
    Case {
        file: "real_v4_shapes.xml",
        problems: &[
            (
                14,
                9,
                "property `Depth`: unknown primitive type `Edm.Float`",
                "its value is kept as untyped JSON",
            ),
            (
                15,
                50,
                "property `Crops`: `CollectionKind=\"List\"` is CSDL 2.0/3.0; V4 writes `Collection(…)`",
                "read as `Collection(Edm.String)`",
            ),
            (
                25,
                11,
                "annotation `Garden.Note` has at most one value",
                "this one is ignored; the first is kept",
            ),
            (
                28,
                7,
                "function `Forecast` has no return type",
                "it is generated as returning nothing",
            ),
            (
                31,
                38,
                "singleton `Greenhouse`: its type is `Type`, not `EntityType`",
                "read as `Type=\"Garden.Bed\"`",
            ),
        ],
    },
    // Entity Framework's Northwind (Simple.OData.Client's copy): association ends typed by the
    // names of entity sets, the container in another schema; `Type="Int32"` is EF's spelling
    // of a primitive type before V4, `CollectionKind="Bag"` a CSDL 2.0 collection (no warning).
    Case {
        file: "association_end_names_an_entity_set.xml",
        problems: &[
            (
                19,
                9,
                "association `Plants_Supplier`: end `Supplier` has type `Nursery.Suppliers`, the name of an entity set",
                "read as `Nursery.Supplier`, the set's entity type",
            ),
            (
                20,
                9,
                "end `Plants` has type `Nursery.Plants`",
                "read as `Nursery.Plant`",
            ),
        ],
    },
    // `<Schema>` without `xmlns` (SAP's SDK samples): read as CSDL, with everything in it.
    Case {
        file: "schema_without_xmlns.xml",
        problems: &[(
            4,
            5,
            "`Schema` is in no XML namespace (its `xmlns` is missing)",
            "read as V4 CSDL, and so are the elements in it",
        )],
    },
    // Entity Framework's `edmx:Runtime/edmx:ConceptualModels` wrapper (ASP.NET Web API OData
    // baselines; the .NET reader accepts it).
    Case {
        file: "entity_framework_runtime_wrapper.xml",
        problems: &[(
            3,
            3,
            "`Runtime` is Entity Framework's wrapper, not OData's",
            "its `ConceptualModels` is read as `DataServices`",
        )],
    },
    // Keys against CSDL's rules: a path into a complex property without the `Alias` URLs use,
    // and a key of a complex type (written by us after shapes seen in real documents).
    Case {
        file: "key_paths_without_alias_or_literal.xml",
        problems: &[
            (
                9,
                14,
                "key `Tag/Serial` of entity type `Crate` is a path without the `Alias` CSDL requires",
                "URLs name it `Serial`",
            ),
            (
                13,
                14,
                "key `Tag` of entity type `Shelf` is of type `Depot.Tag`, which a URL cannot carry",
                "its entities are read and listed, not addressed by key",
            ),
        ],
    },
    // A key path through a property whose type is in a referenced document not passed: the
    // property is untyped JSON and the key cannot be written (this was an error for a while).
    Case {
        file: "key_path_through_an_unloaded_reference.xml",
        problems: &[
            (
                11,
                14,
                "key `Tag/Serial` of entity type `Crate` passes through `Tag`, whose type is not known",
                "its entities are read and listed, not addressed by key",
            ),
            (
                12,
                9,
                "type `shared.Tag` is declared in referenced namespace `Shared.Types`",
                "its value is kept as untyped JSON",
            ),
        ],
    },
    // A derived type declaring its base's properties again (SAP's vocabularies do, to describe
    // them again): with the same type, or narrowing an untyped one, the base's is generated.
    Case {
        file: "redeclared_inherited_properties.xml",
        problems: &[
            (
                13,
                9,
                "complex type `FieldWithAction` declares property `Value` again, which its base type `Field` declares (line 9)",
                "the base type's declaration (`Edm.Untyped`) is generated",
            ),
            (
                14,
                9,
                "complex type `FieldWithAction` declares property `Label` again",
                "the base type's declaration (`Edm.String`) is generated",
            ),
        ],
    },
    // Nothing to recover from: the runtime features come from the operations (checked, with
    // a compile per primitive type, by `corpus.rs`).
    Case {
        file: "binary_only_in_operations.xml",
        problems: &[],
    },
];

fn generate(input: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(BIN)
        .arg("generate")
        .args(extra)
        .arg("--input")
        .arg(input)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// Lines of `stderr` that are diagnostics of `severity` (`warning` or `error`).
fn diagnostics<'a>(stderr: &'a str, severity: &str) -> Vec<&'a str> {
    let tag = format!(": {severity}: ");
    stderr.lines().filter(|l| l.contains(&tag)).collect()
}

#[test]
fn every_case_has_a_fixture_and_every_fixture_a_case() {
    let mut files: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.file.to_string()).collect();
    listed.sort();
    assert_eq!(files, listed);
}

#[test]
fn recoverable_problems_are_located_warnings_naming_the_recovery() {
    let mut failures = Vec::new();
    for c in CASES {
        let input = fixtures().join(c.file);
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        // `--verbose`: every warning, each once.
        let r = generate(&input, &out, &["--verbose"]);
        let stderr = String::from_utf8_lossy(&r.stderr);
        if r.status.code() != Some(0) || !out.join("Cargo.toml").is_file() {
            failures.push(format!("{}: exit {:?}\n{stderr}", c.file, r.status.code()));
            continue;
        }
        let warnings = diagnostics(&stderr, "warning");
        if warnings.len() != c.problems.len() {
            failures.push(format!(
                "{}: {} warnings, expected {}\n{stderr}",
                c.file,
                warnings.len(),
                c.problems.len()
            ));
        }
        for (line, col, message, recovery) in c.problems {
            let prefix = format!("{}:{line}:{col}: warning: ", input.display());
            let found = warnings
                .iter()
                .any(|w| w.starts_with(&prefix) && w.contains(message) && w.contains(recovery));
            if !found {
                failures.push(format!(
                    "{}: no warning `{prefix}{message} ... {recovery}`\n{stderr}",
                    c.file
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn strict_makes_every_recovered_problem_a_located_error() {
    let mut failures = Vec::new();
    for c in CASES.iter().filter(|c| !c.problems.is_empty()) {
        let input = fixtures().join(c.file);
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let r = generate(&input, &out, &["--strict"]);
        let stderr = String::from_utf8_lossy(&r.stderr);
        if r.status.code() != Some(1) || out.exists() {
            failures.push(format!(
                "{}: exit {:?} (expected 1, nothing written)\n{stderr}",
                c.file,
                r.status.code()
            ));
            continue;
        }
        let errors = diagnostics(&stderr, "error");
        if errors.len() != c.problems.len() {
            failures.push(format!(
                "{}: {} errors, expected {}\n{stderr}",
                c.file,
                errors.len(),
                c.problems.len()
            ));
        }
        for (line, col, message, recovery) in c.problems {
            // The error is the problem alone: no recovery was applied.
            let prefix = format!("{}:{line}:{col}: error: ", input.display());
            if !errors
                .iter()
                .any(|e| e.starts_with(&prefix) && e.contains(message) && !e.contains(recovery))
            {
                failures.push(format!(
                    "{}: no error `{prefix}{message}`\n{stderr}",
                    c.file
                ));
            }
        }
        // `check --strict` agrees.
        let r = Command::new(BIN)
            .args(["check", "--strict", "--input"])
            .arg(&input)
            .output()
            .unwrap();
        if r.status.code() != Some(1) {
            failures.push(format!(
                "{}: check --strict exit {:?}",
                c.file,
                r.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A misspelt type in a namespace the document declares is a typo its author can fix: an error
/// without `--strict`, unlike a type in a namespace no schema declares.
#[test]
fn a_misspelt_type_in_a_present_namespace_stays_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("typo.xml");
    std::fs::write(
        &input,
        r#"<Schema Namespace="acme.hr" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <ComplexType Name="Address"><Property Name="Street" Type="Edm.String"/></ComplexType>
  <ComplexType Name="Person">
    <Property Name="Home" Type="acme.hr.Adress"/>
    <Property Name="Pay" Type="acme.hr.payroll.Amount"/>
  </ComplexType>
</Schema>
"#,
    )
    .unwrap();
    let out = tmp.path().join("out");
    let r = generate(&input, &out, &[]);
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{stderr}");
    let errors = diagnostics(&stderr, "error");
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        errors[0].starts_with(&format!(
            "{}:4:5: error: property `Home`: unknown type `acme.hr.Adress`",
            input.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{}:5:5: warning: property `Pay`: unknown type `acme.hr.payroll.Amount`",
            input.display()
        )),
        "{stderr}"
    );
}

/// `build.rs`: recovered problems are `cargo::warning`s, and errors with `Config::strict`.
#[test]
fn config_strict_fails_the_build_with_the_located_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let input = fixtures().join("base_type_cycles.xml");
    let ok = odata_codegen::Config::new()
        .input(&input)
        .out_dir(tmp.path())
        .quiet(true)
        .generate()
        .unwrap();
    assert!(ok.path.is_file());
    let err = odata_codegen::Config::new()
        .input(&input)
        .out_dir(tmp.path())
        .quiet(true)
        .strict(true)
        .generate()
        .unwrap_err();
    let shown = format!("{err:?}");
    assert!(
        shown.starts_with(&format!(
            "{}:6:7: error: entity type `Category`: inheritance cycle through base type `Shop.Category`\n",
            input.display()
        )),
        "{shown}"
    );
}

/// The library: the dropped import's neighbours keep their external annotations (they are
/// addressed by position, resolved again after the drop).
#[test]
fn annotations_of_imports_survive_dropping_another_import() {
    use odata_codegen::model::NodeRef;
    let (model, diags) = odata_codegen::load(&[fixtures().join("import_of_unknown_operation.xml")]);
    assert!(
        diags
            .iter()
            .all(|d| d.diagnostic.severity == odata_codegen::diag::Severity::Warning),
        "{diags:?}"
    );
    let c = &model.containers[0];
    let names: Vec<&str> = c
        .action_imports
        .iter()
        .chain(&c.function_imports)
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(names, ["Newest"]);
    let block = model
        .annotation_blocks
        .iter()
        .find(|b| b.target.ends_with("/Newest"))
        .unwrap();
    assert!(
        matches!(block.resolved, Some(NodeRef::FunctionImport(_, 0))),
        "{:?}",
        block.resolved
    );
}

/// The warning summary groups repeated warnings by kind: a thousand of one kind do not bury the
/// one of another kind; `--verbose` lists them all.
#[test]
fn warnings_are_summarised_by_kind() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("noisy.xml");
    let mut doc = String::from(
        r#"<Schema Namespace="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<ComplexType Name="T" BaseType="n.T"><Property Name="p" Type="Edm.String"/></ComplexType>
"#,
    );
    for i in 0..1000 {
        doc.push_str(&format!(
            "<Annotations Target=\"n.Missing{i}\"><Annotation Term=\"Core.Description\" String=\"x\"/></Annotations>\n"
        ));
    }
    doc.push_str("</Schema>\n");
    std::fs::write(&input, doc).unwrap();
    let check = |extra: &[&str]| {
        let r = Command::new(BIN)
            .arg("check")
            .args(extra)
            .arg("--input")
            .arg(&input)
            .output()
            .unwrap();
        assert_eq!(r.status.code(), Some(0));
        String::from_utf8_lossy(&r.stderr).into_owned()
    };
    let stderr = check(&[]);
    let warnings = diagnostics(&stderr, "warning");
    assert_eq!(warnings.len(), 4, "{stderr}");
    assert!(
        warnings[0].contains(":2:1: warning: complex type `T`: inheritance cycle"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "  1000 × annotation target `…` does not name an element of the model; its annotations are kept but not applied (first at {}:3:1)",
            input.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("     1 × complex type `…`: inheritance cycle through base type `…`"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("0 error(s), 1001 warning(s)\n"),
        "{stderr}"
    );
    let verbose = check(&["--verbose"]);
    assert_eq!(diagnostics(&verbose, "warning").len(), 1001);
}

/// `Type="Int32"` without `Edm.`: how Entity Framework writes primitive types in V1-V3 CSDL
/// (read without a word), a warning in a V4 document.
#[test]
fn unqualified_primitive_types_are_warned_about_in_v4_only() {
    let dir = tempfile::tempdir().unwrap();
    let schema = |ns: &str| {
        format!(
            r#"<Schema Namespace="Shed" xmlns="{ns}">
  <EntityType Name="Tool"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Int32" Nullable="false"/></EntityType>
</Schema>
"#
        )
    };
    for (ns, warned) in [
        ("http://schemas.microsoft.com/ado/2006/04/edm", false),
        ("http://schemas.microsoft.com/ado/2009/11/edm", false),
        ("http://docs.oasis-open.org/odata/ns/edm", true),
    ] {
        let input = dir.path().join("shed.xml");
        std::fs::write(&input, schema(ns)).unwrap();
        let generated =
            odata_codegen::generate(&odata_codegen::Settings::new([&input])).expect("generates");
        let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
        let expected: &[&str] = if warned {
            &["property `Id`: type `Int32` is not qualified; read as `Edm.Int32`"]
        } else {
            &[]
        };
        assert_eq!(warnings.len(), expected.len(), "{ns}: {warnings:?}");
        for (w, e) in warnings.iter().zip(expected) {
            assert!(w.contains(e), "{ns}: {w}");
        }
        assert!(
            generated.files["src/shed.rs"].contains("pub id: Option<i32>"),
            "{ns}"
        );
    }
}

/// A `Schema` without `xmlns` gives its types and entity sets, not an empty crate.
#[test]
fn a_schema_without_xmlns_is_generated() {
    let generated = odata_codegen::generate(&odata_codegen::Settings::new([
        fixtures().join("schema_without_xmlns.xml")
    ]))
    .expect("generates");
    let grocery = &generated.files["src/grocery.rs"];
    assert!(grocery.contains("pub aisle: Option<String>"), "{grocery}");
    assert!(generated.files["src/grocery/requests.rs"].contains("pub fn shelves("));
}

/// CSDL 2.0/3.0 `CollectionKind="List"`/`"Bag"` makes a property a collection, in V2 (without a
/// word) and V4 (with the warning above).
#[test]
fn collection_kind_makes_a_collection() {
    for (file, field) in [
        (
            "association_end_names_an_entity_set.xml",
            "pub regions: Option<Vec<String>>",
        ),
        ("real_v4_shapes.xml", "pub crops: Option<Vec<String>>"),
    ] {
        let generated =
            odata_codegen::generate(&odata_codegen::Settings::new([fixtures().join(file)]))
                .expect("generates");
        assert!(
            generated.files.values().any(|text| text.contains(field)),
            "{file}: {field}"
        );
    }
}
