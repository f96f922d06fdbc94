//! `cargo xtask bench`: generation speed of the release CLI, per phase and whole, with medians.
//!
//! Builds `odata-codegen` in release mode, then runs `generate` on each input several times with
//! `ODATA_CODEGEN_TIMINGS=1` (the CLI prints its phases) and measures the whole run's wall time
//! and, where GNU `time` is installed, its peak memory.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const INPUTS: &[(&str, &str)] = &[
    (
        "Graph v1.0",
        "../shared/corpus/graph/graph-v1.0_schemas-v1.0-Prod_2026-08-03.xml",
    ),
    (
        "Graph beta",
        "../shared/corpus/graph/graph-beta_beta_metadata_2021-07-13.xml",
    ),
    (
        "TripPin",
        "../shared/corpus/reference/trippin_v4_TripPinServiceRW.xml",
    ),
];

pub(crate) fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// The median of peak memories in KB, as `N MB`; `n/a` without any (no GNU `time`).
pub(crate) fn median_mb(peaks_kb: &mut [f64]) -> String {
    if peaks_kb.is_empty() {
        "n/a".to_string()
    } else {
        format!("{:.0} MB", median(peaks_kb) / 1024.0)
    }
}

/// One run of the CLI.
struct Run {
    wall_seconds: f64,
    /// Phase name and milliseconds, as the CLI printed them.
    phases: Vec<(String, f64)>,
    peak_kb: Option<f64>,
}

/// `program` run under GNU `time` (which prints `peak-kb N` last on stderr) where it is
/// installed, else plainly.
pub(crate) fn with_peak_memory(program: impl AsRef<std::ffi::OsStr>) -> Command {
    if Path::new("/usr/bin/time").exists() {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "peak-kb %M"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

/// The peak memory GNU `time` printed (see [`with_peak_memory`]), in KB.
pub(crate) fn peak_kb(stderr: &str) -> Option<f64> {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak-kb "))
        .and_then(|kb| kb.trim().parse().ok())
}

fn run_once(bin: &Path, input: &Path, out: &Path) -> Result<Run, String> {
    let mut cmd = with_peak_memory(bin);
    cmd.args(["generate", "-q", "-i"])
        .arg(input)
        .arg("-o")
        .arg(out)
        .env("ODATA_CODEGEN_TIMINGS", "1");
    let start = Instant::now();
    let output = cmd
        .output()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    let wall = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("{} failed:\n{stderr}", input.display()));
    }
    let mut phases = Vec::new();
    for line in stderr.lines() {
        if let Some(rest) = line.strip_prefix("timing: ") {
            let mut parts = rest.split_whitespace();
            if let (Some(name), Some(ms)) =
                (parts.next(), parts.next().and_then(|m| m.parse().ok()))
            {
                phases.push((name.to_string(), ms));
            }
        }
    }
    Ok(Run {
        wall_seconds: wall,
        phases,
        peak_kb: peak_kb(&stderr),
    })
}

pub fn bench(root: &Path, runs: usize) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .current_dir(root)
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "odata-codegen",
            "--bin",
            "odata-codegen",
        ])
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("cargo build --release failed".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let bin = target.join("release/odata-codegen");
    let tmp = std::env::temp_dir().join(format!("odata-codegen-bench-{}", std::process::id()));
    println!(
        "{runs} runs each; medians. Machine: {} cores.",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    println!("| input | whole (wall) | load | analyse | emit+render | peak memory |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, rel) in INPUTS {
        let input = root.join(rel);
        if !input.exists() {
            println!("| {name} | (missing: {}) | | | | |", input.display());
            continue;
        }
        let (mut walls, mut loads, mut analyses, mut emits, mut peaks) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for i in 0..runs {
            let out = tmp.join(format!("run{i}"));
            let run = run_once(&bin, &input, &out)?;
            walls.push(run.wall_seconds);
            for (phase, ms) in run.phases {
                match phase.as_str() {
                    "load" => loads.push(ms),
                    "analyse" => analyses.push(ms),
                    "emit+render" => emits.push(ms),
                    _ => {}
                }
            }
            peaks.extend(run.peak_kb);
            let _ = std::fs::remove_dir_all(&out);
        }
        let peak = median_mb(&mut peaks);
        println!(
            "| {name} | {:.3} s | {:.0} ms | {:.0} ms | {:.0} ms | {peak} |",
            median(&mut walls),
            median(&mut loads),
            median(&mut analyses),
            median(&mut emits)
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}
