//! `cargo xtask regenerate [--check]`, `cargo xtask bench [RUNS]` (generation speed) and
//! `cargo xtask bench compile [RUNS]` (compile time of Graph v1.0 beside graph-rs-sdk) and
//! `cargo xtask bench depgraph DIR...` (the incremental dependency graph of generated crates) and
//! `cargo xtask bench ladder [RUNS]` (where the Graph v1.0 crate's peak memory comes from).

mod bench;
mod compile;
mod ladder;

use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!(
        "usage: cargo xtask regenerate [--check] | cargo xtask bench [RUNS] | cargo xtask bench compile [RUNS] [--before DIR] | cargo xtask bench ladder [RUNS] | cargo xtask bench depgraph DIR..."
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = xtask::root();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["regenerate"] => {
            for t in xtask::TARGETS {
                let settings = xtask::settings(&root, t);
                match odata_codegen::generate_to(&settings, &root.join(t.dir)) {
                    Ok((generated, report)) => {
                        for w in &generated.warnings {
                            eprintln!("{w}");
                        }
                        println!(
                            "{}: {} written, {} unchanged, {} removed",
                            t.dir,
                            report.written.len(),
                            report.unchanged.len(),
                            report.removed.len()
                        );
                        for f in report.written.iter().chain(&report.removed) {
                            println!("  {}/{f}", t.dir);
                        }
                        match xtask::diff_against_head(&root, t, &generated.model) {
                            Ok(diff) => println!(
                                "  model diff against the inputs in git HEAD: {}",
                                diff.summary()
                            ),
                            Err(note) => println!("  model diff skipped: {note}"),
                        }
                    }
                    Err(e) => {
                        eprintln!("{e}");
                        return ExitCode::from(1);
                    }
                }
            }
            ExitCode::SUCCESS
        }
        ["regenerate", "--check"] => match xtask::stale(&root) {
            Ok(stale) if stale.is_empty() => {
                println!("generated/ is up to date");
                ExitCode::SUCCESS
            }
            Ok(stale) => {
                for s in stale {
                    eprintln!("stale: {s}");
                }
                eprintln!("generated/ is out of date: run `cargo xtask regenerate`");
                ExitCode::from(1)
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::from(1)
            }
        },
        ["bench", "compile", rest @ ..] => {
            // `[RUNS] [--before DIR]`: DIR is a crate generated earlier (by an older generator),
            // timed in the same runs for a before/after comparison.
            let (mut runs, mut before) = (3, None);
            let mut rest = rest.iter();
            while let Some(a) = rest.next() {
                match (*a, a.parse::<usize>()) {
                    ("--before", _) => match rest.next() {
                        Some(d) => before = Some(std::path::PathBuf::from(d)),
                        None => return usage(),
                    },
                    (_, Ok(n)) if n > 0 => runs = n,
                    _ => return usage(),
                }
            }
            match compile::bench_compile(&root, runs, before.as_deref()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::from(1)
                }
            }
        }
        ["bench", "ladder", rest @ ..] => {
            // Where the peak memory of the Graph v1.0 crate comes from: one kind of generated
            // code added at a time.
            let runs = match rest {
                [] => 2,
                [n] => match n.parse::<usize>() {
                    Ok(n) if n > 0 => n,
                    _ => return usage(),
                },
                _ => return usage(),
            };
            match ladder::bench_ladder(&root, runs) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::from(1)
                }
            }
        }
        ["bench", "depgraph", dirs @ ..] if !dirs.is_empty() => {
            // The incremental dependency graph of each generated crate: a size that does not
            // move with the machine's load, for comparing two versions of a crate.
            println!("| crate | nodes | edges |\n|---|---:|---:|");
            for d in dirs {
                let dir = std::path::PathBuf::from(d);
                let target = root.join("target/bench-compile/depgraph-target");
                match compile::dep_graph_size(&dir, &target) {
                    Ok((nodes, edges)) => println!("| {d} | {nodes} | {edges} |"),
                    Err(e) => {
                        eprintln!("{d}: {e}");
                        return ExitCode::from(1);
                    }
                }
            }
            ExitCode::SUCCESS
        }
        ["bench"] | ["bench", _] => {
            let runs = match args.get(1).map(|r| r.parse::<usize>()) {
                None => 5,
                Some(Ok(n)) if n > 0 => n,
                Some(_) => return usage(),
            };
            match bench::bench(&root, runs) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::from(1)
                }
            }
        }
        _ => usage(),
    }
}
