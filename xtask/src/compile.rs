//! `cargo xtask bench compile [RUNS]`: how long the complete Microsoft Graph v1.0 crate takes to
//! compile, side by side with graph-rs-sdk (a hand-written Rust Graph client) in one run.
//!
//! - Ours: the release CLI generates Graph v1.0 (types, builders, operations) into
//!   `target/bench-compile/ours`, a crate with its own target directory. After one warm-up build
//!   of its dependencies, each run touches `src/lib.rs` and times `cargo build`, then touches it
//!   again and times `cargo check`.
//! - graph-rs-sdk: a crate depending on `graph-rs-sdk = "=3.0.1"` (downloaded by cargo) in
//!   `target/bench-compile/graph-rs`, built once; each run does `cargo clean -p graph-rs-sdk` and
//!   times `cargo build`.
//!
//! - `--before DIR`: a crate generated earlier (by an older generator, say), timed like ours in
//!   the same runs with its own target directory, for a before/after comparison from one run.
//!
//! Runs alternate between the crates so that a busy moment hits all; the report gives the
//! medians, GNU `time`'s peak memory (resident set of the largest process, rustc) and the ratios,
//! then the size of each generated crate's incremental dependency graph (nodes and edges, from
//! `-Zincremental-info`), which does not move with the machine's load as times do.

use crate::bench::{median, peak_kb, with_peak_memory};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const GRAPH_V1: &str = "../shared/corpus/graph/graph-v1.0_schemas-v1.0-Prod_2026-08-03.xml";
const GRAPH_RS_SDK: &str = "=3.0.1";

/// One timed cargo command: wall seconds and peak resident memory in KB.
pub(crate) struct Timed {
    pub(crate) seconds: f64,
    pub(crate) peak_kb: Option<f64>,
}

pub(crate) fn timed(dir: &Path, target: &Path, args: &[&str]) -> Result<Timed, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = with_peak_memory(&cargo);
    cmd.current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS");
    let start = Instant::now();
    let out = cmd.output().map_err(|e| format!("cargo: {e}"))?;
    let seconds = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!(
            "`cargo {}` in {} failed:\n{stderr}",
            args.join(" "),
            dir.display()
        ));
    }
    Ok(Timed {
        seconds,
        peak_kb: peak_kb(&stderr),
    })
}

pub(crate) fn touch(file: &Path) -> Result<(), String> {
    let f = std::fs::OpenOptions::new()
        .append(true)
        .open(file)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    f.set_modified(std::time::SystemTime::now())
        .map_err(|e| format!("{}: {e}", file.display()))
}

pub(crate) fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `cargo build` and `cargo check` of one generated crate after touching its sources.
struct Crate {
    dir: PathBuf,
    target: PathBuf,
    build: Vec<f64>,
    check: Vec<f64>,
    build_mem: Vec<f64>,
    check_mem: Vec<f64>,
}

impl Crate {
    fn new(dir: PathBuf, target: PathBuf) -> Self {
        Crate {
            dir,
            target,
            build: Vec::new(),
            check: Vec::new(),
            build_mem: Vec::new(),
            check_mem: Vec::new(),
        }
    }

    /// Builds and checks once, so that the dependencies of both profiles are there.
    fn warm_up(&self) -> Result<(), String> {
        timed(&self.dir, &self.target, &["build", "--quiet"])?;
        timed(&self.dir, &self.target, &["check", "--quiet"])?;
        Ok(())
    }

    fn run(&mut self) -> Result<(), String> {
        let lib = self.dir.join("src/lib.rs");
        touch(&lib)?;
        let b = timed(&self.dir, &self.target, &["build", "--quiet"])?;
        self.build.push(b.seconds);
        self.build_mem.extend(b.peak_kb);
        touch(&lib)?;
        let c = timed(&self.dir, &self.target, &["check", "--quiet"])?;
        self.check.push(c.seconds);
        self.check_mem.extend(c.peak_kb);
        Ok(())
    }
}

/// Builds the release CLI and generates the complete Graph v1.0 crate into `out`.
pub(crate) fn generate_graph_v1(root: &Path, out: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .current_dir(root)
        .args(["build", "--release", "--quiet", "-p", "odata-codegen"])
        .args(["--bin", "odata-codegen"])
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("cargo build --release failed".into());
    }
    let input = root.join(GRAPH_V1);
    if !input.exists() {
        return Err(format!("{} is missing (../shared)", input.display()));
    }
    let runtime = root.join("codegen/runtime");
    let status = Command::new(root.join("target/release/odata-codegen"))
        .args(["generate", "-q", "--crate-name", "graph-v1-complete", "-i"])
        .arg(&input)
        .arg("--runtime-path")
        .arg(&runtime)
        .arg("-o")
        .arg(out)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("generating Graph v1.0 failed".into());
    }
    Ok(())
}

pub fn bench_compile(root: &Path, runs: usize, before: Option<&Path>) -> Result<(), String> {
    let base: PathBuf = root.join("target/bench-compile");
    let ours = base.join("ours");
    let ours_target = base.join("ours-target");
    generate_graph_v1(root, &ours)?;
    let theirs = base.join("graph-rs");
    let theirs_target = base.join("graph-rs-target");
    write(
        &theirs.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"graph-rs-bench\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\ngraph-rs-sdk = \"{GRAPH_RS_SDK}\"\n\n[workspace]\n"
        ),
    )?;
    write(&theirs.join("src/lib.rs"), "pub use graph_rs_sdk;\n")?;

    let mut crates = vec![Crate::new(ours.clone(), ours_target)];
    if let Some(dir) = before {
        if !dir.join("Cargo.toml").exists() {
            return Err(format!("--before {}: no Cargo.toml there", dir.display()));
        }
        crates.push(Crate::new(dir.to_path_buf(), base.join("before-target")));
    }
    eprintln!("warming up: building the crates and their dependencies once");
    for c in &crates {
        c.warm_up()?;
    }
    timed(&theirs, &theirs_target, &["build", "--quiet"])?;

    let (mut their_build, mut their_mem) = (Vec::new(), Vec::new());
    for i in 0..runs {
        eprintln!("run {} of {runs}", i + 1);
        for c in &mut crates {
            c.run()?;
        }
        timed(
            &theirs,
            &theirs_target,
            &["clean", "--quiet", "-p", "graph-rs-sdk"],
        )?;
        let t = timed(&theirs, &theirs_target, &["build", "--quiet"])?;
        their_build.push(t.seconds);
        their_mem.extend(t.peak_kb);
    }
    let mem = |v: &mut Vec<f64>| {
        if v.is_empty() {
            "n/a".to_string()
        } else {
            format!("{:.2} GB", median(v) / 1024.0 / 1024.0)
        }
    };
    let tb = median(&mut their_build);
    println!(
        "{runs} runs, alternating; medians. Machine: {} cores.",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    println!(
        "| crate | lines | `cargo build` | `cargo check` | peak memory (build) | peak memory (check) | build / graph-rs-sdk |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (i, c) in crates.iter_mut().enumerate() {
        let label = if i == 0 {
            "ours, Graph v1.0 complete"
        } else {
            "before (`--before`)"
        };
        let (ob, oc) = (median(&mut c.build), median(&mut c.check));
        println!(
            "| {label} | {} | {ob:.1} s | {oc:.1} s | {} | {} | {:.2}x |",
            walk_lines(&c.dir.join("src")),
            mem(&mut c.build_mem),
            mem(&mut c.check_mem),
            ob / tb
        );
    }
    println!(
        "| graph-rs-sdk {} | | {tb:.1} s | | {} | | 1.00x |",
        GRAPH_RS_SDK.trim_start_matches('='),
        mem(&mut their_mem)
    );
    println!();
    println!("Incremental dependency graph of a `cargo check` (the same on every run):");
    println!("| crate | nodes | edges |");
    println!("|---|---:|---:|");
    for (i, c) in crates.iter().enumerate() {
        let label = if i == 0 { "ours" } else { "before" };
        match dep_graph_size(&c.dir, &c.target) {
            Ok((nodes, edges)) => println!("| {label} | {nodes} | {edges} |"),
            Err(e) => println!("| {label} | n/a | n/a |\n\n({e})"),
        }
    }
    Ok(())
}

/// The node and edge counts of the crate's incremental dependency graph, from rustc's
/// `-Zincremental-info` (a nightly flag, let through on stable by `RUSTC_BOOTSTRAP=1`; only
/// this report uses it). Unlike wall-clock time on a shared machine, these counts do not move
/// between runs, and the time of an incremental rebuild follows them: most of it is loading,
/// checking and writing back this graph.
pub fn dep_graph_size(dir: &Path, target: &Path) -> Result<(u64, u64), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    touch(&dir.join("src/lib.rs"))?;
    let out = Command::new(cargo)
        .current_dir(dir)
        .args([
            "rustc",
            "--quiet",
            "--profile=check",
            "--",
            "-Zincremental-info",
        ])
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("cargo rustc: {e}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(12).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "`cargo rustc` in {} failed:\n{}",
            dir.display(),
            tail.join("\n")
        ));
    }
    let text =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    let count = |label: &str| {
        text.lines()
            .find(|l| l.contains(label))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|n| n.trim().parse::<u64>().ok())
    };
    match (count("Total Node Count:"), count("Total Edge Count:")) {
        (Some(n), Some(e)) => Ok((n, e)),
        _ => Err("rustc printed no dependency-graph counts for -Zincremental-info".into()),
    }
}

/// Lines of the `.rs` files below `dir`.
pub(crate) fn walk_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                walk_lines(&p)
            } else if p.extension().is_some_and(|x| x == "rs") {
                std::fs::read_to_string(&p)
                    .map(|t| t.lines().count())
                    .unwrap_or(0)
            } else {
                0
            }
        })
        .sum()
}
