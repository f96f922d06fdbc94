//! The `odata-codegen` command: argument handling over the library, nothing else.
//!
//! Exit status: 0 success, 1 schema errors (diagnostics on stderr, `file:line:column` first),
//! 2 usage errors (bad arguments, missing inputs, an output directory it may not replace).

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use clap::{Args, Parser, Subcommand};
use odata_codegen::diag::Located;
use odata_codegen::diag::Severity;
use odata_codegen::{Error, RuntimeDep, Settings};
use std::collections::BTreeMap;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "odata-codegen",
    version,
    about = "Generate typed Rust crates from OData $metadata (CSDL XML V2, V3, V4)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a crate from $metadata documents.
    Generate(Generate),
    /// Read and validate $metadata documents without generating anything.
    Check(Inputs),
    /// Summarise a model: counts by kind, inheritance roots, largest types, and with
    /// --include/--exclude what a filter selects and why.
    Inspect(InspectArgs),
    /// Compare two $metadata documents: what changed for code using the generated crate.
    /// Exit status 0 when nothing breaking changed, 3 when something did.
    Diff(DiffArgs),
}

#[derive(Args)]
struct InspectArgs {
    #[command(flatten)]
    inputs: Inputs,
    #[command(flatten)]
    filter: FilterArgs,
}

#[derive(Args)]
struct DiffArgs {
    /// The previous and the new $metadata document (EDMX or bare <Schema>); for several
    /// documents per side (a generated crate's inputs), use --old and --new instead.
    #[arg(value_name = "OLD NEW", num_args = 0..=2)]
    files: Vec<PathBuf>,
    /// A previous document; repeat for all inputs of the previous generation.
    #[arg(long = "old", value_name = "FILE")]
    old: Vec<PathBuf>,
    /// A new document; repeat for all inputs of the new generation.
    #[arg(long = "new", value_name = "FILE")]
    new: Vec<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
    format: DiffFormat,
    /// List description changes too (they are only counted by default).
    #[arg(long)]
    docs: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DiffFormat {
    Markdown,
    Json,
}

#[derive(Args)]
struct Inputs {
    /// A $metadata document (EDMX or bare <Schema>); repeat for several. `generate` may leave
    /// it out when --docs gives documentation tables to build the model from.
    #[arg(long = "input", short = 'i', value_name = "FILE")]
    inputs: Vec<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    quiet: bool,
    /// Print every warning with its source line (by default the first 20, at most 3 of one
    /// kind, as one line each, then the count of each kind).
    #[arg(long, short = 'v')]
    verbose: bool,
    /// Make every problem the generator recovers from (an inheritance cycle, a duplicate name, a
    /// type in a namespace no schema declares, ...: warnings naming the recovery) an error, and
    /// with --docs every conflict between documentation tables and $metadata.
    #[arg(long)]
    strict: bool,
}

#[derive(Args)]
struct Generate {
    #[command(flatten)]
    inputs: Inputs,
    /// Directory to write the crate to (replaced atomically; must be empty, absent, or generated).
    #[arg(long, short = 'o', value_name = "DIR")]
    out: PathBuf,
    /// Package name of the generated crate (default: the first input's file stem).
    #[arg(long, value_name = "NAME")]
    crate_name: Option<String>,
    /// Path to the odata-runtime crate (default: the one in this checkout).
    #[arg(long, value_name = "DIR", conflicts_with = "runtime_version")]
    runtime_path: Option<String>,
    /// Depend on odata-runtime from the registry with this version requirement instead.
    #[arg(long, value_name = "REQ")]
    runtime_version: Option<String>,
    /// The crate is a member of an enclosing workspace: do not write a `[workspace]` table.
    #[arg(long)]
    in_workspace: bool,
    /// One Cargo feature per entity set and singleton (default: all on), so a user who needs
    /// `users` compiles only what `users` needs.
    #[arg(long)]
    area_features: bool,
    /// Types only: no request builders (entity sets, navigation, keys, casts, references,
    /// media) and no operations.
    #[arg(long)]
    no_builders: bool,
    /// Request builders without bound operations and operation imports.
    #[arg(long)]
    no_operations: bool,
    /// Items of V4 collections whose `Nullable` is not written are `Option<T>` (CSDL leaves
    /// them open), for services that send null items there; by default only items of
    /// collections declared `Nullable="true"` are optional.
    #[arg(long)]
    nullable_items: bool,
    /// Also write the CSDL 4.0 `$metadata` of what was generated to FILE (V2/V3 inputs are
    /// converted to V4; with --include/--exclude, only the selected types).
    #[arg(long, value_name = "FILE")]
    emit_csdl: Option<PathBuf>,
    #[command(flatten)]
    filter: FilterArgs,
    /// Documentation tables (a file, or a directory of .md/.txt/.json files): merged onto the
    /// $metadata inputs (which win on structure; conflicts are warnings), or without --input,
    /// the whole model. Repeatable.
    #[arg(long = "docs", value_name = "DIR_OR_FILE")]
    docs: Vec<PathBuf>,
}

/// Which types to generate; what selected types need comes along.
#[derive(Args)]
struct FilterArgs {
    /// Generate only this type (qualified name or glob, namespace or alias, e.g.
    /// `microsoft.graph.user`, `graph.*Request*`) or this entity set or singleton (`users`, `me`),
    /// with what it needs (base types, property types); repeatable.
    #[arg(long, value_name = "PATTERN")]
    include: Vec<String>,
    /// Never generate types matching this pattern; repeatable.
    #[arg(long, value_name = "PATTERN")]
    exclude: Vec<String>,
    /// Also generate the types derived from selected types.
    #[arg(long)]
    with_derived: bool,
    /// Also generate the targets of navigation properties of selected types.
    #[arg(long)]
    with_navigation_targets: bool,
    /// Use a Rust type from another crate for an EDM type instead of generating one:
    /// `EDM=PATH`, e.g. `Edm.Guid=::uuid::Uuid` or `graph.user=::my_crate::User`; repeatable.
    #[arg(long, value_name = "EDM=PATH", value_parser = parse_extern)]
    extern_type: Vec<(String, String)>,
}

fn parse_extern(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((edm, rust)) if !edm.trim().is_empty() && !rust.trim().is_empty() => {
            Ok((edm.trim().to_string(), rust.trim().to_string()))
        }
        _ => Err(format!("expected EDM=PATH, got `{s}`")),
    }
}

impl FilterArgs {
    fn filter(&self) -> odata_codegen::select::Filter {
        odata_codegen::select::Filter {
            include: self.include.clone(),
            exclude: self.exclude.clone(),
            with_derived: self.with_derived,
            with_navigation_targets: self.with_navigation_targets,
            extern_types: self.extern_type.clone(),
        }
    }
}

fn check_inputs(inputs: &Inputs) -> Result<(), ExitCode> {
    if inputs.inputs.is_empty() {
        eprintln!("error: no input: give --input FILE");
        return Err(ExitCode::from(2));
    }
    check_files(inputs)
}

fn check_files(inputs: &Inputs) -> Result<(), ExitCode> {
    for p in &inputs.inputs {
        if !p.is_file() {
            eprintln!("error: input `{}` is not a readable file", p.display());
            return Err(ExitCode::from(2));
        }
    }
    Ok(())
}

/// Inputs at least this large (bytes, all inputs together) take a noticeable time to generate.
const LARGE_INPUT: u64 = 1 << 20;

/// A spinner on stderr while a large input is generated; none when stderr is not a terminal, with
/// `--quiet`, or for small inputs.
fn progress(inputs: &Inputs) -> Option<indicatif::ProgressBar> {
    let size: u64 = inputs
        .inputs
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    if inputs.quiet || size < LARGE_INPUT || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_message(format!(
        "generating from {:.1} MB of metadata",
        size as f64 / 1e6
    ));
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    Some(bar)
}

/// How many warnings are printed without `--verbose`, and how many of one kind at most.
const WARNINGS_SHOWN: usize = 20;
const SHOWN_PER_KIND: usize = 3;

/// The source line of a diagnostic with a caret under its column, rendered by annotate-snippets
/// (styled when stderr is a terminal). `None` when the file or line cannot be read.
fn snippet(d: &Located, texts: &mut BTreeMap<PathBuf, Option<String>>) -> Option<String> {
    let text = texts
        .entry(d.path.clone())
        .or_insert_with(|| std::fs::read_to_string(&d.path).ok())
        .as_ref()?;
    let line_no = d.diagnostic.loc.line as usize;
    let line = text
        .lines()
        .nth(line_no.checked_sub(1)?)?
        .trim_end_matches('\r');
    let col = (d.diagnostic.loc.col as usize).saturating_sub(1);
    let start = line
        .char_indices()
        .nth(col)
        .map(|(i, _)| i)
        .unwrap_or(line.len());
    // Underline the token at the column: up to the next space, `>` or `=`.
    let len = line[start..]
        .find([' ', '>', '=', '\t'])
        .filter(|n| *n > 0)
        .unwrap_or_else(|| line[start..].chars().next().map_or(0, char::len_utf8));
    let level = match d.diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let report = &[Group::with_level(level).element(
        Snippet::source(line)
            .line_start(line_no)
            .annotation(AnnotationKind::Primary.span(start..start + len)),
    )];
    let renderer = if std::io::stderr().is_terminal() {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    Some(renderer.render(report).to_string())
}

/// Prints diagnostics: every error as `file:line:column: error: message` followed by its source
/// line; warnings as one line each (without `--verbose` the first 20, at most 3 of one kind, then
/// the count of every kind with where it first occurs; with `--verbose` all of them with their
/// source lines; with `--quiet` none), then the counts.
fn report(diags: &[Located], inputs: &Inputs) {
    let mut texts = BTreeMap::new();
    let groups = odata_codegen::diag::group_warnings(diags);
    let mut kind_of = vec![0; diags.len()];
    for (k, g) in groups.iter().enumerate() {
        for &i in &g.items {
            kind_of[i] = k;
        }
    }
    let (mut errors, mut warnings, mut shown) = (0, 0, 0);
    let mut shown_of_kind = vec![0; groups.len()];
    for (i, d) in diags.iter().enumerate() {
        let is_error = d.diagnostic.severity == Severity::Error;
        if is_error {
            errors += 1;
        } else {
            warnings += 1;
            if inputs.quiet {
                continue;
            }
            if !inputs.verbose {
                let k = kind_of[i];
                if shown >= WARNINGS_SHOWN || shown_of_kind[k] >= SHOWN_PER_KIND {
                    continue;
                }
                shown += 1;
                shown_of_kind[k] += 1;
            }
        }
        eprintln!("{d}");
        if (is_error || inputs.verbose)
            && let Some(s) = snippet(d, &mut texts)
        {
            eprintln!("{s}");
        }
    }
    if warnings > shown && !inputs.quiet && !inputs.verbose {
        eprintln!(
            "warnings by kind ({} not shown; --verbose shows them all):",
            warnings - shown
        );
        let width = groups
            .iter()
            .map(|g| g.items.len().to_string().len())
            .max()
            .unwrap_or(1);
        for g in &groups {
            let first = &diags[g.items[0]];
            eprintln!(
                "  {:>width$} × {} (first at {}:{}:{})",
                g.items.len(),
                g.kind,
                first.path.display(),
                first.diagnostic.loc.line,
                first.diagnostic.loc.col
            );
        }
    }
    if errors + warnings > 0 && !inputs.quiet {
        eprintln!("{errors} error(s), {warnings} warning(s)");
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Diff(d) => run_diff(&d),
        Command::Inspect(args) => {
            if let Err(code) = check_inputs(&args.inputs) {
                return code;
            }
            let (model, diags) =
                odata_codegen::load_with_docs(&args.inputs.inputs, &[], args.inputs.strict);
            report(&diags, &args.inputs);
            if diags
                .iter()
                .any(|d| d.diagnostic.severity == Severity::Error)
            {
                return ExitCode::from(1);
            }
            let filter = args.filter.filter();
            let selection = if filter.is_everything() {
                None
            } else {
                match odata_codegen::select::select(&model, &filter) {
                    Ok(s) => Some(s),
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::from(2);
                    }
                }
            };
            print!(
                "{}",
                odata_codegen::inspect::summary(&model, selection.as_ref())
            );
            ExitCode::SUCCESS
        }
        Command::Check(inputs) => {
            if let Err(code) = check_inputs(&inputs) {
                return code;
            }
            let (_, diags) = odata_codegen::load_with_docs(&inputs.inputs, &[], inputs.strict);
            report(&diags, &inputs);
            if diags
                .iter()
                .any(|d| d.diagnostic.severity == Severity::Error)
            {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Generate(g) => {
            let checked = if g.docs.is_empty() {
                check_inputs(&g.inputs)
            } else {
                check_files(&g.inputs).and_then(|()| match g.docs.iter().find(|d| !d.exists()) {
                    Some(d) => {
                        eprintln!("error: --docs `{}` does not exist", d.display());
                        Err(ExitCode::from(2))
                    }
                    None => Ok(()),
                })
            };
            if let Err(code) = checked {
                return code;
            }
            let mut settings = Settings::new(g.inputs.inputs.clone());
            settings.crate_name = g.crate_name.clone();
            settings.standalone_workspace = !g.in_workspace;
            settings.area_features = g.area_features;
            settings.parts = odata_codegen::Parts {
                builders: !g.no_builders,
                operations: !g.no_builders && !g.no_operations,
            };
            settings.filter = g.filter.filter();
            settings.docs = g.docs.clone();
            settings.strict = g.inputs.strict;
            settings.nullable_items = g.nullable_items;
            if let Some(p) = g.runtime_path {
                settings.runtime = RuntimeDep::Path(p);
            } else if let Some(v) = g.runtime_version {
                settings.runtime = RuntimeDep::Version(v);
            }
            let progress = progress(&g.inputs);
            let result = odata_codegen::generate_to(&settings, &g.out);
            if let Some(p) = progress {
                p.finish_and_clear();
            }
            match result {
                Ok((generated, written)) => {
                    report(&generated.warnings, &g.inputs);
                    if let Some(path) = &g.emit_csdl
                        && let Err(e) = emit_csdl(path, &generated.model, &settings.filter)
                    {
                        eprintln!("error: cannot write `{}`: {e}", path.display());
                        return ExitCode::from(1);
                    }
                    if !g.inputs.quiet {
                        eprintln!(
                            "wrote {} ({} files changed, {} unchanged, {} removed)",
                            g.out.display(),
                            written.written.len(),
                            written.unchanged.len(),
                            written.removed.len()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(Error::Schema(diags)) => {
                    report(&diags, &g.inputs);
                    ExitCode::from(1)
                }
                Err(Error::Filter(e) | Error::Setup(e)) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
                Err(Error::Render(e)) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
                Err(Error::Write(e)) => {
                    eprintln!("error: {e}");
                    match e {
                        odata_codegen::write::WriteError::NotGenerated(_)
                        | odata_codegen::write::WriteError::UnsafePath(_) => ExitCode::from(2),
                        _ => ExitCode::from(1),
                    }
                }
            }
        }
    }
}

/// `diff OLD NEW`: 0 nothing breaking, 3 breaking, 1 schema errors, 2 usage.
fn run_diff(d: &DiffArgs) -> ExitCode {
    let (old, new) = match (d.files.as_slice(), d.old.is_empty(), d.new.is_empty()) {
        ([o, n], true, true) => (vec![o.clone()], vec![n.clone()]),
        ([], false, false) => (d.old.clone(), d.new.clone()),
        _ => {
            eprintln!("error: give OLD NEW, or --old FILE... and --new FILE...");
            return ExitCode::from(2);
        }
    };
    let mut models = Vec::new();
    for side in [&old, &new] {
        for p in side {
            if p.is_dir() {
                eprintln!(
                    "error: `{}` is a directory; pass the $metadata documents. A crate generated by \
                 odata-codegen records only the file names of its inputs (in its crate \
                 documentation), not the documents themselves",
                    p.display()
                );
                return ExitCode::from(2);
            }
            if !p.is_file() {
                eprintln!("error: input `{}` is not a readable file", p.display());
                return ExitCode::from(2);
            }
        }
        let (model, diags) = odata_codegen::load(side);
        let errors: Vec<_> = diags
            .iter()
            .filter(|x| x.diagnostic.severity == Severity::Error)
            .collect();
        if !errors.is_empty() {
            for e in errors {
                eprintln!("{e}");
            }
            return ExitCode::from(1);
        }
        models.push(model);
    }
    let diff = odata_codegen::diff::diff(&models[0], &models[1]);
    let text = match d.format {
        DiffFormat::Markdown => diff.to_markdown(d.docs),
        DiffFormat::Json => diff.to_json(d.docs),
    };
    print!("{text}");
    if diff.is_breaking() {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}

/// `--emit-csdl FILE`: the CSDL 4.0 of the generated model (only the selected types when a filter
/// is given), written atomically: a temporary file in the same directory, then renamed.
fn emit_csdl(
    path: &std::path::Path,
    model: &odata_codegen::model::Model,
    filter: &odata_codegen::select::Filter,
) -> std::io::Result<()> {
    use std::io::Write;
    let text = if filter.is_everything() {
        odata_codegen::csdl::write_csdl(model)
    } else {
        let selection =
            odata_codegen::select::select(model, filter).map_err(std::io::Error::other)?;
        odata_codegen::csdl::write_csdl_selected(model, &|t| selection.contains(t))
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    // A temporary file is private (0600); the document is not.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
