//! The `build.rs` front-end: a builder in the style of `prost_build::Config` over [`Settings`]
//! with the include-file layout. It runs the same [`crate::generate`] as the CLI, writes the one
//! Rust file to `OUT_DIR` for `include!`, prints `cargo::rerun-if-changed` for every document read
//! and `cargo::warning`s (a few of each kind, then their count), and fails with located
//! diagnostics.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     odata_codegen::Config::new()
//!         .input("metadata.xml")
//!         .include("users")
//!         .generate()?;
//!     Ok(())
//! }
//! // src/lib.rs:
//! // pub mod service { include!(concat!(env!("OUT_DIR"), "/metadata.rs")); }
//! ```

use crate::diag::Severity;
use crate::{Error, Layout, Settings};
use std::path::{Path, PathBuf};

/// How many warnings of one kind a build prints (`cargo::warning`); the rest are counted.
const WARNINGS_PER_KIND: usize = 3;

/// Settings for generating from a build script. See the module docs.
#[derive(Clone, Debug)]
pub struct Config {
    settings: Settings,
    out_dir: Option<PathBuf>,
    file_name: Option<String>,
    quiet: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            settings: Settings::new(Vec::<PathBuf>::new()),
            out_dir: None,
            file_name: None,
            quiet: false,
        }
    }
}

/// What [`Config::generate`] wrote.
#[derive(Clone, Debug)]
pub struct Output {
    /// The generated file.
    pub path: PathBuf,
    /// Whether its content changed (an unchanged file is not rewritten, so it keeps its mtime).
    pub changed: bool,
    /// `odata-runtime` features the generated code needs; the crate's dependency on
    /// `odata-runtime` must enable them.
    pub runtime_features: Vec<&'static str>,
    /// Every document read, references included.
    pub sources: Vec<PathBuf>,
}

impl Config {
    pub fn new() -> Config {
        Config::default()
    }

    /// Emit request builders (entity sets, navigation, keys, casts, references, media): on by
    /// default. Without them only the types are generated.
    pub fn builders(&mut self, yes: bool) -> &mut Self {
        self.settings.parts.builders = yes;
        self
    }

    /// Emit bound operations on the builders and operation imports on the root: on by default.
    pub fn operations(&mut self, yes: bool) -> &mut Self {
        self.settings.parts.operations = yes;
        self
    }

    /// A `$metadata` document (local `edmx:Reference`s are followed).
    pub fn input(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.settings.inputs.push(path.as_ref().to_path_buf());
        self
    }

    /// Documentation tables (a file or a directory) to merge onto the inputs, or, with no
    /// input, to build the model from (see [`crate::doctables`]).
    pub fn docs(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.settings.docs.push(path.as_ref().to_path_buf());
        self
    }

    /// Strict mode: every problem of the inputs that generation would recover from (reported as
    /// a warning naming the recovery: an inheritance cycle, a duplicate name, a type in a
    /// namespace no schema declares, ...) is an error, and so is every conflict between
    /// documentation tables and `$metadata`.
    pub fn strict(&mut self, yes: bool) -> &mut Self {
        self.settings.strict = yes;
        self
    }

    /// Items of V4 collections whose `Nullable` is not written are `Option<T>` (see
    /// [`crate::Settings::nullable_items`]): for services that send null items there.
    pub fn nullable_items(&mut self, yes: bool) -> &mut Self {
        self.settings.nullable_items = yes;
        self
    }

    /// Generate only types matching `pattern` (qualified name or glob) or the entity type of the
    /// entity set or singleton named `pattern`, with what they need.
    pub fn include(&mut self, pattern: &str) -> &mut Self {
        self.settings.filter.include.push(pattern.to_string());
        self
    }

    /// Never generate types matching `pattern`.
    pub fn exclude(&mut self, pattern: &str) -> &mut Self {
        self.settings.filter.exclude.push(pattern.to_string());
        self
    }

    /// Also generate the types derived from selected types.
    pub fn with_derived(&mut self, yes: bool) -> &mut Self {
        self.settings.filter.with_derived = yes;
        self
    }

    /// Also generate the targets of navigation properties of selected types.
    pub fn with_navigation_targets(&mut self, yes: bool) -> &mut Self {
        self.settings.filter.with_navigation_targets = yes;
        self
    }

    /// Use `rust_path` (a type from another crate, implementing serde's traits, `Clone`, `Debug`
    /// and `PartialEq`) wherever `edm_type` is used, instead of generating it: a schema type's
    /// qualified name (`microsoft.graph.user`) or a primitive (`Edm.Guid`).
    pub fn extern_type(&mut self, edm_type: &str, rust_path: &str) -> &mut Self {
        self.settings
            .filter
            .extern_types
            .push((edm_type.to_string(), rust_path.to_string()));
        self
    }

    /// Where to write (default: `$OUT_DIR`).
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// The generated file's name (default: the first input's file stem in snake_case, `.rs`).
    pub fn file_name(&mut self, name: &str) -> &mut Self {
        self.file_name = Some(name.to_string());
        self
    }

    /// Print no `cargo::` directives (when not run from a build script).
    pub fn quiet(&mut self, yes: bool) -> &mut Self {
        self.quiet = yes;
        self
    }

    fn say(&self, line: &str) {
        if !self.quiet {
            println!("{line}");
        }
    }

    /// Reads, validates and generates; writes the file only when its content changed.
    pub fn generate(&self) -> Result<Output, Error> {
        let (inputs, docs) = (&self.settings.inputs, &self.settings.docs);
        for p in inputs.iter().chain(docs) {
            self.say(&format!("cargo::rerun-if-changed={}", p.display()));
        }
        // Checked before reading anything, so a misplaced call fails at once.
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    Error::Setup(
                        "OUT_DIR is not set: call out_dir() when not run from a build script"
                            .into(),
                    )
                })?,
        };
        let file_name = self.file_name.clone().unwrap_or_else(|| {
            let stem = inputs
                .first()
                .or(docs.first())
                .and_then(|p| p.file_stem())
                .map(|s| s.to_string_lossy().into_owned());
            format!(
                "{}.rs",
                crate::naming::module_name(&stem.unwrap_or_else(|| "odata".into()))
            )
        });
        let settings = Settings {
            layout: Layout::IncludeFile {
                file_name: file_name.clone(),
            },
            ..self.settings.clone()
        };
        let (model, diags) = crate::load_settings(&settings);
        for p in model
            .files
            .iter()
            .map(|f| &f.path)
            .filter(|p| !inputs.contains(p) && !docs.iter().any(|d| p.starts_with(d)))
        {
            self.say(&format!("cargo::rerun-if-changed={}", p.display()));
        }
        if !diags
            .iter()
            .any(|d| d.diagnostic.severity == Severity::Error)
        {
            self.report_warnings(&diags);
        }
        let generated = crate::generate_loaded(&settings, model, diags)?;
        for p in &generated.unmatched {
            self.say(&format!(
                "cargo::warning=include pattern `{p}` matched nothing"
            ));
        }
        let text = &generated.files[&file_name];
        let path = out_dir.join(&file_name);
        let changed = std::fs::read(&path)
            .map(|old| old != text.as_bytes())
            .unwrap_or(true);
        if changed {
            crate::write::write_file_atomic(&path, text.as_bytes())?;
        }
        Ok(Output {
            path,
            changed,
            runtime_features: generated.runtime_features,
            sources: generated
                .model
                .files
                .iter()
                .map(|f| f.path.clone())
                .collect(),
        })
    }

    /// One line per warning (cargo shows each `cargo::warning` as one line), at most
    /// `WARNINGS_PER_KIND` of one kind, then how many more of that kind there are.
    fn report_warnings(&self, diags: &[crate::diag::Located]) {
        for g in crate::diag::group_warnings(diags) {
            for &i in g.items.iter().take(WARNINGS_PER_KIND) {
                self.say(&format!(
                    "cargo::warning={}",
                    diags[i].to_string().replace('\n', " ")
                ));
            }
            if g.items.len() > WARNINGS_PER_KIND {
                self.say(&format!(
                    "cargo::warning=... and {} more like this: {}",
                    g.items.len() - WARNINGS_PER_KIND,
                    g.kind.replace('\n', " ")
                ));
            }
        }
    }
}

/// The common case in one call: generate `$OUT_DIR/<stem>.rs` from `inputs`.
pub fn compile(inputs: &[impl AsRef<Path>]) -> Result<Output, Error> {
    let mut c = Config::new();
    for i in inputs {
        c.input(i);
    }
    c.generate()
}
