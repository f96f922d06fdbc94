//! odata-codegen: reads OData `$metadata` (CSDL XML, V2, V3 and V4) into one model and emits
//! a Rust crate of typed values.
//!
//! One engine, thin front-ends: the CLI, `cargo xtask regenerate` and `build.rs` users ([`Config`])
//! all run [`generate`] with one [`Settings`]; [`generate_to`] also writes the result atomically.
//!
//! The data flows one way: read ([`edmx`], [`doctables`]) → model ([`model`]: resolve, recover,
//! validate; names and meaning decided there) → emit ([`emit`]: items) → render ([`render`]:
//! format, lay out as a crate or one include file) → write ([`write`]).

pub mod config;
pub mod csdl;
pub mod diag;
pub mod diff;
pub mod doctables;
pub mod edmx;
pub mod emit;
pub mod inspect;
pub mod model;
pub mod naming;
mod prelude_paths;
pub mod render;
pub mod select;
pub mod write;

#[cfg(test)]
#[path = "../tests/shared_data/mod.rs"]
mod shared_data;

pub use config::{Config, compile};
use diag::{Diagnostics, Located, Severity};
pub use emit::{Parts, RuntimeDep};
use model::Model;
pub use render::Layout;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Everything a generation run needs.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `$metadata` documents (EDMX or bare CSDL `<Schema>`); local `edmx:Reference`s are followed.
    pub inputs: Vec<PathBuf>,
    /// How the output is laid out: a crate (the default) or one file to `include!`.
    pub layout: Layout,
    /// Name of the generated package; defaults to the first input's file stem.
    pub crate_name: Option<String>,
    /// Where the generated crate finds `odata-runtime`.
    pub runtime: RuntimeDep,
    /// Write an empty `[workspace]` table so the crate builds on its own wherever it is written.
    /// Turn off for crates that are members of an enclosing workspace.
    pub standalone_workspace: bool,
    /// Which types to generate (everything by default).
    pub filter: select::Filter,
    /// A Cargo feature per entity set and singleton in the generated crate (`default = ["full"]`),
    /// so a user who needs `users` compiles only what `users` needs.
    pub area_features: bool,
    /// Which parts to emit besides the types (request builders, operations).
    pub parts: emit::Parts,
    /// Documentation files or directories of them (see [`doctables`]): merged onto the
    /// `$metadata` inputs, or, with no inputs, the whole model.
    pub docs: Vec<PathBuf>,
    /// Conflicts between documentation and `$metadata` are errors instead of warnings, and so is
    /// every problem of the input that generation would otherwise recover from (each reported
    /// as a located warning naming the recovery).
    pub strict: bool,
    /// Items of V4 collections whose `Nullable` is not written are `Option<T>`, as CSDL leaves
    /// them (a client cannot assume they are never null): for services that send
    /// `["a", null]` there. By default only collections declared `Nullable="true"` have
    /// optional items, and a null item elsewhere is an error when the value is read.
    pub nullable_items: bool,
}

impl Settings {
    pub fn new(inputs: impl IntoIterator<Item = impl Into<PathBuf>>) -> Self {
        Settings {
            inputs: inputs.into_iter().map(Into::into).collect(),
            layout: Layout::Crate,
            crate_name: None,
            runtime: default_runtime(),
            standalone_workspace: true,
            filter: select::Filter::default(),
            area_features: false,
            parts: emit::Parts::default(),
            docs: Vec::new(),
            strict: false,
            nullable_items: false,
        }
    }
}

/// The runtime crate of this checkout, by absolute path.
pub fn default_runtime() -> RuntimeDep {
    RuntimeDep::Path(concat!(env!("CARGO_MANIFEST_DIR"), "/runtime").to_string())
}

/// A run's outcome: the files to write and the warnings seen.
#[derive(Debug)]
pub struct Generated {
    pub files: BTreeMap<String, String>,
    pub warnings: Vec<Located>,
    pub model: Model,
    /// The `odata-runtime` features the generated code needs (the crate layout's `Cargo.toml`
    /// enables them; a crate including the include-file layout must).
    pub runtime_features: Vec<&'static str>,
    /// Include patterns of the filter that matched nothing.
    pub unmatched: Vec<String>,
}

#[derive(thiserror::Error)]
pub enum Error {
    /// The inputs have errors; all of them, located, warnings included.
    #[error("{}", render(.0))]
    Schema(Vec<Located>),
    #[error(transparent)]
    Render(#[from] render::Unparsable),
    #[error(transparent)]
    Write(#[from] write::WriteError),
    /// An include or exclude pattern is not a valid glob.
    #[error("{0}")]
    Filter(String),
    /// The settings cannot work where they are used (a build script's output directory unknown).
    #[error("{0}")]
    Setup(String),
}

/// `Debug` shows the located diagnostics, so a build script's `fn main() -> Result<..>` prints
/// them readably when it fails.
impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl Error {
    /// Diagnostics of a schema error (empty for other errors).
    pub fn diagnostics(&self) -> &[Located] {
        match self {
            Error::Schema(d) => d,
            Error::Render(_) | Error::Write(_) | Error::Filter(_) | Error::Setup(_) => &[],
        }
    }
}

fn render(diags: &[Located]) -> String {
    let lines: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    lines.join("\n")
}

fn locate(model: &Model, diags: Diagnostics, inputs: &[PathBuf]) -> Vec<Located> {
    let mut diags = diags;
    diags.sort();
    diags
        .items
        .into_iter()
        .map(|d| {
            let path = model
                .files
                .get(d.loc.file.0 as usize)
                .map(|f| f.path.clone())
                .or_else(|| inputs.get(d.loc.file.0 as usize).cloned())
                .unwrap_or_default();
            Located {
                path,
                diagnostic: d,
            }
        })
        .collect()
}

/// Reads, resolves and validates the inputs. Returns the model and every diagnostic; the model is
/// usable only when no diagnostic is an error. Problems with a deterministic recovery are
/// recovered from and reported as warnings (see [`load_with_docs`] for strict mode).
pub fn load(inputs: &[PathBuf]) -> (Model, Vec<Located>) {
    load_with_docs(inputs, &[], false)
}

/// What a model is read from.
enum Source<'a> {
    /// `$metadata` files (`edmx:Reference`s followed) and documentation tables.
    Files {
        inputs: &'a [PathBuf],
        docs: &'a [PathBuf],
    },
    /// One document held in memory, as the file `name` (references are not followed).
    Bytes { name: &'a str, bytes: &'a [u8] },
}

/// The one loader: reads the source, then resolves, merges documentation, recovers and
/// validates, and locates every diagnostic in its file. `strict` makes conflicts errors, and
/// every problem recovered from an error again.
fn load_source(source: Source<'_>, strict: bool) -> (Model, Vec<Located>) {
    let mut diags = Diagnostics::default();
    let (model, paths) = match source {
        Source::Files { inputs, docs } if inputs.is_empty() && !docs.is_empty() => {
            // The documentation tables alone: the model they describe.
            let set = doctables::read_docs(docs, 0, &mut diags);
            (
                doctables::build::model_from_docs(&set, &mut diags),
                docs.to_vec(),
            )
        }
        Source::Files { inputs, docs } => {
            let mut model = edmx::load(inputs, &mut diags);
            checked(&mut model, &mut diags, |model, diags| {
                if !docs.is_empty() {
                    let set = doctables::read_docs(docs, model.files.len() as u32, diags);
                    doctables::build::overlay(model, &set, strict, diags);
                }
            });
            (model, inputs.to_vec())
        }
        Source::Bytes { name, bytes } => {
            let mut model = Model::default();
            edmx::read_document(&mut model, Path::new(name), bytes, &mut diags);
            checked(&mut model, &mut diags, |_, _| {});
            (model, vec![PathBuf::from(name)])
        }
    };
    if strict {
        diags.make_strict();
    }
    let located = locate(&model, diags, &paths);
    (model, located)
}

/// Resolves a model read without errors, runs `merge` (documentation tables), then repairs what
/// has a deterministic recovery (each reported) and validates the rest.
fn checked(
    model: &mut Model,
    diags: &mut Diagnostics,
    merge: impl FnOnce(&mut Model, &mut Diagnostics),
) {
    if diags.has_errors() {
        return;
    }
    model::resolve::resolve(model);
    merge(model, diags);
    model::recover::recover(model, diags);
    model::validate::validate(model, diags);
}

/// [`load`] with documentation tables: with `inputs`, the `$metadata` model with the documented
/// facts merged onto it ([`doctables::build::overlay`]); without, a model built from the tables
/// alone ([`doctables::build::model_from_docs`]). `strict` makes conflicts errors, and every
/// problem recovered from (an inheritance cycle, a duplicate name, ...) an error again.
pub fn load_with_docs(inputs: &[PathBuf], docs: &[PathBuf], strict: bool) -> (Model, Vec<Located>) {
    load_source(Source::Files { inputs, docs }, strict)
}

/// [`load`] for one document held in memory: reads, resolves and validates `bytes` as the file
/// `name`, without touching the file system (`edmx:Reference`s are not followed).
pub fn load_from_bytes(name: &str, bytes: &[u8]) -> (Model, Vec<Located>) {
    load_source(Source::Bytes { name, bytes }, false)
}

/// A valid package name from a file stem (`graph-v1.0_schemas` → `graph-v1-0-schemas`).
pub fn crate_name_for(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while name.contains("--") {
        name = name.replace("--", "-");
    }
    let name = name.trim_matches('-').to_string();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("odata-{name}").trim_end_matches('-').to_string()
    } else {
        name
    }
}

/// Phase timings, printed to stderr when `ODATA_CODEGEN_TIMINGS` is set.
struct Timings {
    on: bool,
    last: std::time::Instant,
}

impl Timings {
    fn new() -> Self {
        Timings {
            on: std::env::var_os("ODATA_CODEGEN_TIMINGS").is_some(),
            last: std::time::Instant::now(),
        }
    }
    fn phase(&mut self, name: &str) {
        let now = std::time::Instant::now();
        if self.on {
            eprintln!(
                "timing: {name:<10} {:>8.1} ms",
                (now - self.last).as_secs_f64() * 1e3
            );
        }
        self.last = now;
    }
}

/// Generates in memory: loads the inputs, then [`generate_loaded`].
pub fn generate(settings: &Settings) -> Result<Generated, Error> {
    let mut t = Timings::new();
    let (model, diags) = load_settings(settings);
    t.phase("load");
    generate_loaded(settings, model, diags)
}

/// The first step of [`generate`]: the model and diagnostics of `settings`' inputs (front-ends
/// that report what was read before generating call this, then [`generate_loaded`]).
pub fn load_settings(settings: &Settings) -> (Model, Vec<Located>) {
    load_with_docs(&settings.inputs, &settings.docs, settings.strict)
}

/// [`generate`] for one document held in memory, with the default [`Settings`] for an input
/// called `name`: the whole pipeline up to formatted files, without touching the file system
/// (`edmx:Reference`s are not followed). Used by the fuzz targets.
pub fn generate_from_bytes(name: &str, bytes: &[u8]) -> Result<Generated, Error> {
    let settings = Settings::new([name]);
    let mut t = Timings::new();
    let (model, diags) = load_from_bytes(name, bytes);
    t.phase("load");
    generate_loaded(&settings, model, diags)
}

/// The rest of [`generate`] after loading: fails with the diagnostics when any is an error, else
/// selects, emits and renders (laid out as `settings.layout` says).
pub fn generate_loaded(
    settings: &Settings,
    mut model: Model,
    diags: Vec<Located>,
) -> Result<Generated, Error> {
    let mut t = Timings::new();
    if diags
        .iter()
        .any(|d| d.diagnostic.severity == Severity::Error)
    {
        return Err(Error::Schema(diags));
    }
    if settings.nullable_items {
        model::meaning::nullable_collection_items(&mut model);
    }
    let crate_name = settings.crate_name.clone().unwrap_or_else(|| {
        settings
            .inputs
            .first()
            .or(settings.docs.first())
            .map(|p| crate_name_for(p))
            .unwrap_or_else(|| "odata-service".into())
    });
    let selection = select::select(&model, &settings.filter).map_err(Error::Filter)?;
    let emitter = emit::Emitter::new(&model, &selection, settings.parts, settings.area_features);
    t.phase("analyse");
    let rendered = render::render(&emitter, settings, &crate_name)?;
    t.phase("emit+render");
    drop(emitter);
    Ok(Generated {
        files: rendered.files,
        warnings: diags,
        runtime_features: rendered.runtime_features,
        unmatched: selection.unmatched.clone(),
        model,
    })
}

/// Generates and writes the files to `out`, replacing a previous generation atomically. On any
/// error nothing is written and a previous `out` is left as it was.
pub fn generate_to(
    settings: &Settings,
    out: &Path,
) -> Result<(Generated, write::WriteReport), Error> {
    let generated = generate(settings)?;
    let report = write::write_atomic(out, &generated.files)?;
    Ok((generated, report))
}
