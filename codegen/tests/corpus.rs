//! Every `$metadata` document of the shared corpus (and every schema of `schemas/`, every
//! recovery fixture of `tests/fixtures/recover/`, and a document per primitive type used only by
//! operations or type definitions) generates, through the CLI, a crate that passes
//! `cargo clippy -- -D warnings` with exactly the runtime features it enables.
//!
//! All crates go into one workspace under the cargo target directory, so a re-run rebuilds only
//! what changed (unchanged generated files keep their modification time).

mod shared_data;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn crate_dir_name(p: &Path) -> String {
    let stem = p.file_stem().unwrap().to_string_lossy().to_lowercase();
    stem.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Primitive types whose Rust type needs a runtime feature or a codec, V4.
const V4_PRIMITIVES: &[&str] = &[
    "Binary",
    "Date",
    "DateTimeOffset",
    "TimeOfDay",
    "Duration",
    "Guid",
    "Decimal",
    "Int64",
    "Double",
    "GeographyPoint",
];

/// The same for V2 (`DateTime` and `Time` exist only there; `Int64` and `Decimal` are strings).
const V2_PRIMITIVES: &[&str] = &[
    "Binary",
    "DateTime",
    "Time",
    "DateTimeOffset",
    "Guid",
    "Decimal",
    "Int64",
];

/// One small document per primitive type and use that is not a property: the type is used only
/// as an action parameter (a JSON body), only as a function parameter (a URL literal), only as
/// a result, only through a type definition, or only in collections. Each must enable the
/// runtime feature its Rust type needs (issue 12: `Edm.Binary` only in an operation did not).
fn primitive_use_documents() -> Vec<(String, String)> {
    const V4_HEAD: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="P" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<EntityType Name="Item"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.String" Nullable="false"/></EntityType>
"#;
    const V4_TAIL: &str = "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>\n";
    let mut docs = Vec::new();
    for p in V4_PRIMITIVES {
        let uses = [
            (
                "action-parameter",
                format!(
                    r#"<Action Name="Put" IsBound="true"><Parameter Name="item" Type="P.Item"/><Parameter Name="value" Type="Edm.{p}" Nullable="false"/></Action>
<EntityContainer Name="C"><EntitySet Name="Items" EntityType="P.Item"/>"#
                ),
            ),
            (
                "function-parameter",
                format!(
                    r#"<Function Name="Find"><Parameter Name="value" Type="Edm.{p}" Nullable="false"/><Parameter Name="other" Type="Edm.{p}"/><ReturnType Type="Edm.Boolean"/></Function>
<EntityContainer Name="C"><FunctionImport Name="Find" Function="P.Find"/>"#
                ),
            ),
            (
                "result",
                format!(
                    r#"<Function Name="Get"><ReturnType Type="Edm.{p}"/></Function>
<EntityContainer Name="C"><FunctionImport Name="Get" Function="P.Get"/>"#
                ),
            ),
            (
                "type-definition",
                format!(
                    r#"<TypeDefinition Name="Value" UnderlyingType="Edm.{p}"/>
<Action Name="Put" IsBound="true"><Parameter Name="item" Type="P.Item"/><Parameter Name="value" Type="P.Value"/></Action>
<EntityContainer Name="C"><EntitySet Name="Items" EntityType="P.Item"/>"#
                ),
            ),
            (
                "collection",
                format!(
                    r#"<Action Name="Put" IsBound="true"><Parameter Name="item" Type="P.Item"/><Parameter Name="values" Type="Collection(Edm.{p})"/><ReturnType Type="Collection(Edm.{p})"/></Action>
<EntityContainer Name="C"><EntitySet Name="Items" EntityType="P.Item"/>"#
                ),
            ),
        ];
        for (usage, body) in uses {
            docs.push((
                format!("v4-{}-{usage}", p.to_lowercase()),
                format!("{V4_HEAD}{body}{V4_TAIL}"),
            ));
        }
    }
    const V2_HEAD: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx"><edmx:DataServices m:DataServiceVersion="2.0" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
<Schema Namespace="P" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">
<EntityType Name="Item"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.String" Nullable="false"/></EntityType>
<EntityContainer Name="C" m:IsDefaultEntityContainer="true"><EntitySet Name="Items" EntityType="P.Item"/>
"#;
    const V2_TAIL: &str = "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>\n";
    for p in V2_PRIMITIVES {
        let uses = [
            (
                "get-parameter",
                format!(
                    r#"<FunctionImport Name="Find" ReturnType="Edm.Boolean" m:HttpMethod="GET"><Parameter Name="value" Type="Edm.{p}" Nullable="false"/><Parameter Name="other" Type="Edm.{p}"/></FunctionImport>"#
                ),
            ),
            (
                "post-parameter",
                format!(
                    r#"<FunctionImport Name="Put" m:HttpMethod="POST"><Parameter Name="value" Type="Edm.{p}" Nullable="false"/></FunctionImport>"#
                ),
            ),
            (
                "result",
                format!(
                    r#"<FunctionImport Name="Get" ReturnType="Collection(Edm.{p})" m:HttpMethod="GET"/>"#
                ),
            ),
        ];
        for (usage, body) in uses {
            docs.push((
                format!("v2-{}-{usage}", p.to_lowercase()),
                format!("{V2_HEAD}{body}{V2_TAIL}"),
            ));
        }
    }
    docs
}

/// The runtime feature the Rust type of `Edm.{name}` needs.
fn feature_of(name: &str) -> Option<&'static str> {
    match name {
        "Binary" => Some("base64"),
        "Date" | "DateTimeOffset" | "TimeOfDay" | "DateTime" => Some("chrono"),
        "Guid" => Some("uuid"),
        "Decimal" => Some("decimal"),
        _ => None,
    }
}

#[test]
fn every_corpus_document_generates_a_crate_that_passes_clippy() {
    let (Some(corpus), Some(seeds)) = (shared_data::path("corpus"), shared_data::path("seeds"))
    else {
        return;
    };
    let files = shared_data::corpus_and_schemas(&corpus);
    assert!(
        files.len() >= 26,
        "expected the 24 corpus documents and 2 schemas, found {}",
        files.len()
    );
    let ws = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("corpus-check");
    std::fs::create_dir_all(&ws).unwrap();
    let mut crates = Crates {
        ws: ws.clone(),
        members: Vec::new(),
        failures: Vec::new(),
    };
    crates.corpus_documents(&files);
    crates.variants(&corpus, &seeds);
    crates.recovery_fixtures();
    crates.primitive_uses();
    assert!(
        crates.failures.is_empty(),
        "generation failed:\n{}",
        crates.failures.join("\n")
    );
    write_workspace(&ws, &crates.members);
    clippy_by_features(&ws, &crates.members);
    clippy_users_area(&ws);
}

/// The crates generated into one workspace for clippy, and what failed to generate.
struct Crates {
    ws: PathBuf,
    members: Vec<String>,
    failures: Vec<String>,
}

impl Crates {
    /// Runs `odata-codegen generate --in-workspace --crate-name {crate_name} {args} --out
    /// {ws}/{dir}`; the output, or (after recording a failure labelled `what`) `None`.
    fn generate(
        &mut self,
        what: &str,
        crate_name: &str,
        dir: &str,
        args: &[&std::ffi::OsStr],
    ) -> Option<std::process::Output> {
        let out = Command::new(env!("CARGO_BIN_EXE_odata-codegen"))
            .args(["generate", "--in-workspace", "--crate-name", crate_name])
            .args(args)
            .arg("--out")
            .arg(self.ws.join(dir))
            .output()
            .unwrap();
        if !out.status.success() {
            self.failures.push(format!(
                "{what}: exit {:?}\n{}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
            return None;
        }
        Some(out)
    }

    /// Every corpus document and schema, with all it declares.
    fn corpus_documents(&mut self, files: &[PathBuf]) {
        for f in files {
            let name = crate_dir_name(f);
            let what = f.display().to_string();
            let args = ["--input".as_ref(), f.as_os_str()];
            if let Some(out) = self.generate(&what, &format!("corpus-{name}"), &name, &args) {
                let stderr = String::from_utf8_lossy(&out.stderr);
                let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": error:")).collect();
                if !errors.is_empty() {
                    self.failures
                        .push(format!("{what}: exit {:?}\n{stderr}", out.status.code()));
                }
            }
            self.members.push(name);
        }
    }

    /// Generation options on Graph and the documentation tables.
    fn variants(&mut self, corpus: &Path, seeds: &Path) {
        let graph = corpus.join("graph/graph-v1.0_schemas-v1.0-Prod_2026-08-03.xml");
        let graph = graph.as_os_str();
        // Filtered: only Graph v1.0's `users` entity set and what it needs.
        let args = [
            "--include".as_ref(),
            "users".as_ref(),
            "--input".as_ref(),
            graph,
        ];
        self.generate(
            "graph users subset",
            "corpus-graph-users",
            "graph-users",
            &args,
        );
        self.members.push("graph-users".to_string());
        // Extern type mappings: the generated code must compile against the mapped types.
        let directory = manifest_dir().join("../schemas/graph-directory.xml");
        let args = [
            "--extern-type".as_ref(),
            "Edm.Guid=::std::string::String".as_ref(),
            "--extern-type".as_ref(),
            "graph.passwordProfile=::odata_runtime::Json".as_ref(),
            "--input".as_ref(),
            directory.as_os_str(),
        ];
        self.generate("extern types", "corpus-graph-extern", "graph-extern", &args);
        self.members.push("graph-extern".to_string());
        // Cargo features per entity set and singleton: all on here (the default), `users` alone
        // in `clippy_users_area`.
        let args = ["--area-features".as_ref(), "--input".as_ref(), graph];
        self.generate("area features", "corpus-graph-areas", "graph-areas", &args);
        self.members.push("graph-areas".to_string());
        // Documentation tables alone (seeds 000, 003 and 004, no `$metadata`): the model they
        // build generates a crate that passes clippy like the others (issue 4).
        let pages = [
            seeds.join("000_c1375e0292258f86.txt"),
            seeds.join("003_8abac902b6d3cbfe.txt"),
            seeds.join("004_eaf2e9ac62ef8ebc.txt"),
        ];
        let args: Vec<&std::ffi::OsStr> = pages
            .iter()
            .flat_map(|p| ["--docs".as_ref(), p.as_os_str()])
            .collect();
        self.generate(
            "documentation tables alone",
            "seed-docs",
            "seed-docs",
            &args,
        );
        self.members.push("seed-docs".to_string());
    }

    /// Recovery fixtures (issue 12): documents that break the spec in the ways real services do
    /// generate, with warnings, crates that pass clippy like the others.
    fn recovery_fixtures(&mut self) {
        let recover = manifest_dir().join("../tests/fixtures/recover");
        let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&recover)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "xml"))
            .collect();
        fixtures.sort();
        assert!(fixtures.len() >= 7, "{fixtures:?}");
        for f in &fixtures {
            let name = format!("recover-{}", crate_dir_name(f));
            let args = ["--quiet".as_ref(), "--input".as_ref(), f.as_os_str()];
            self.generate(&f.display().to_string(), &name, &name, &args);
            self.members.push(name);
        }
    }

    /// Primitive types used only by operations or type definitions: each crate enables the
    /// runtime feature the type needs (checked here) and compiles (checked by clippy).
    fn primitive_uses(&mut self) {
        let docs_dir = self.ws.join("primitive-use-documents");
        std::fs::create_dir_all(&docs_dir).unwrap();
        for (name, xml) in primitive_use_documents() {
            let input = docs_dir.join(format!("{name}.xml"));
            if std::fs::read_to_string(&input).ok().as_deref() != Some(xml.as_str()) {
                std::fs::write(&input, &xml).unwrap();
            }
            let args = ["--quiet".as_ref(), "--input".as_ref(), input.as_os_str()];
            if self
                .generate(&name, &format!("use-{name}"), &name, &args)
                .is_none()
            {
                continue;
            }
            let manifest = std::fs::read_to_string(self.ws.join(&name).join("Cargo.toml")).unwrap();
            let primitive = V4_PRIMITIVES
                .iter()
                .chain(V2_PRIMITIVES)
                .find(|p| name.split('-').nth(1) == Some(p.to_lowercase().as_str()))
                .unwrap();
            if let Some(feature) = feature_of(primitive)
                && !manifest.contains(&format!("\"{feature}\""))
            {
                self.failures.push(format!(
                    "{name}: the runtime feature `{feature}` is not enabled:\n{manifest}"
                ));
            }
            self.members.push(name);
        }
    }
}

/// The workspace of the generated crates, locked like this repository.
fn write_workspace(ws: &Path, members: &[String]) {
    let list: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n",
        list.join("\n")
    );
    std::fs::write(ws.join("Cargo.toml"), manifest).unwrap();
    // Same dependency versions as this repository: no resolution surprises, no network needed
    // when the registry cache is warm.
    let lock = ws.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(manifest_dir().join("../Cargo.lock"), &lock).unwrap();
    }
}

/// One clippy run per set of runtime features the crates enable, each selecting only the
/// crates of that set: cargo unifies the features of a dependency over the packages of one
/// build, so a single `--workspace` run would compile a crate that forgot a feature against
/// a runtime another crate turned the feature on for (issue 12: `rt::Binary` was missing).
fn clippy_by_features(ws: &Path, members: &[String]) {
    let mut by_features: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for m in members {
        let manifest = std::fs::read_to_string(ws.join(m).join("Cargo.toml")).unwrap();
        let line = |prefix: &str| {
            manifest
                .lines()
                .find(|l| l.starts_with(prefix))
                .unwrap_or_else(|| panic!("{m}: no `{prefix}` line in\n{manifest}"))
                .to_string()
        };
        let package = line("name = ");
        let package = package.trim_start_matches("name = ").trim_matches('"');
        by_features
            .entry(line("odata-runtime = "))
            .or_default()
            .push(package.to_string());
    }
    for packages in by_features.values() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = Command::new(cargo)
            .current_dir(ws)
            .env("CARGO_TARGET_DIR", ws.join("target"))
            .env_remove("RUSTFLAGS")
            .args(["clippy", "--keep-going", "--quiet"])
            .args(packages.iter().flat_map(|p| ["-p", p.as_str()]))
            .args(["--", "-D", "warnings"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "cargo clippy -D warnings failed on the generated crates in {}:\n{}",
            ws.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// With only the `users` feature, the Graph crate still compiles warning-free: navigation
/// properties to types of other areas fall back to JSON.
fn clippy_users_area(ws: &Path) {
    let manifest = std::fs::read_to_string(ws.join("graph-areas/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("default = [\"full\"]") && manifest.contains("\n\"users\" = []\n"),
        "{manifest}"
    );
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", ws.join("target"))
        .env_remove("RUSTFLAGS")
        .args([
            "clippy",
            "--quiet",
            "--message-format=json",
            "-p",
            "corpus-graph-areas",
            "--no-default-features",
        ])
        .args(["--features", "users", "--", "-D", "warnings"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo clippy --features users failed on graph-areas:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Each set of areas has a file of its own behind a `#[cfg]`'d `include!`: this build read
    // the files of sets that contain `users` and no others (rustc's dep-info lists what it
    // read), so its time follows the area, not the whole crate.
    let stdout = String::from_utf8_lossy(&out.stdout);
    let rmeta = stdout
        .lines()
        .filter(|l| l.contains("\"compiler-artifact\"") && l.contains("libcorpus_graph_areas-"))
        .find_map(|l| {
            let start = l.find("libcorpus_graph_areas-")?;
            let end = start + l[start..].find(".rmeta")?;
            Some(l[start + 3..end].to_string())
        })
        .expect("the artifact of corpus-graph-areas in cargo's messages");
    let dep_info =
        std::fs::read_to_string(ws.join("target/debug/deps").join(format!("{rmeta}.d"))).unwrap();
    let read: BTreeSet<&str> = dep_info
        .lines()
        .filter_map(|l| l.strip_suffix(':'))
        .filter(|f| f.contains("graph-areas/src/"))
        .collect();
    let gates = include_gates(&ws.join("graph-areas/src"), "graph-areas/src");
    let included: Vec<&&str> = read.iter().filter(|f| gates.contains_key(**f)).collect();
    assert!(
        !included.is_empty() && included.len() < gates.len(),
        "{} of {} area files read for users alone",
        included.len(),
        gates.len()
    );
    for f in included {
        assert!(
            gates[*f].contains("feature = \"users\""),
            "a build for users alone read {f}, compiled under {}",
            gates[*f]
        );
    }
}

/// The files `include!`d by the Rust files under `dir` (named `prefix/…`, as rustc's dep-info
/// names them), each with the `#[cfg(...)]` written before its `include!`.
fn include_gates(dir: &Path, prefix: &str) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            out.extend(include_gates(&path, &format!("{prefix}/{name}")));
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut rest = text.as_str();
        while let Some(i) = rest.find("include!(\"") {
            let gate_start = rest[..i]
                .rfind("#[cfg(")
                .expect("an include! without a #[cfg]");
            let file = &rest[i + 10..];
            let file = &file[..file.find('"').unwrap()];
            out.insert(format!("{prefix}/{file}"), rest[gate_start..i].to_string());
            rest = &rest[i + 10..];
        }
    }
    out
}
