//! The `odata-codegen` command: argument handling over the library, nothing else.
//!
//! Exit status: 0 success, 1 schema errors (diagnostics on stderr, `file:line:column` first),
//! 2 usage errors (bad arguments, missing inputs, an output directory it may not replace).

use clap::{Args, Parser, Subcommand};
use odata_codegen::diag::Severity;
use odata_codegen::{Error, RuntimeDep, Settings};
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
}

#[derive(Args)]
struct Inputs {
    /// A $metadata document (EDMX or bare <Schema>); repeat for several.
    #[arg(long = "input", short = 'i', required = true, value_name = "FILE")]
    inputs: Vec<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    quiet: bool,
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
}

fn check_inputs(inputs: &Inputs) -> Result<(), ExitCode> {
    for p in &inputs.inputs {
        if !p.is_file() {
            eprintln!("error: input `{}` is not a readable file", p.display());
            return Err(ExitCode::from(2));
        }
    }
    Ok(())
}

fn report(diags: &[odata_codegen::diag::Located], quiet: bool) {
    let mut warnings = 0;
    for d in diags {
        if d.diagnostic.severity == Severity::Warning {
            warnings += 1;
            if quiet {
                continue;
            }
        }
        eprintln!("{d}");
    }
    if warnings > 0 && !quiet {
        eprintln!("{warnings} warning(s)");
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(inputs) => {
            if let Err(code) = check_inputs(&inputs) {
                return code;
            }
            let (_, diags) = odata_codegen::load(&inputs.inputs);
            report(&diags, inputs.quiet);
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
            if let Err(code) = check_inputs(&g.inputs) {
                return code;
            }
            let mut settings = Settings::new(g.inputs.inputs.clone());
            settings.crate_name = g.crate_name.clone();
            settings.standalone_workspace = !g.in_workspace;
            if let Some(p) = g.runtime_path {
                settings.runtime = RuntimeDep::Path(p);
            } else if let Some(v) = g.runtime_version {
                settings.runtime = RuntimeDep::Version(v);
            }
            match odata_codegen::generate_to(&settings, &g.out) {
                Ok((generated, written)) => {
                    report(&generated.warnings, g.inputs.quiet);
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
                    report(&diags, g.inputs.quiet);
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
