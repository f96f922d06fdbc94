//! Generates two clients from documentation tables alone, no `$metadata`: Microsoft Graph from
//! seeds 000, 003 and 004 (`graph_tables.rs`) and Azure AD Graph from seeds 001 and 002
//! (`aad_tables.rs`), read by path from `../shared/seeds` next to the repository and generated
//! into `OUT_DIR` (never checked in: their descriptions are the pages' text).
//!
//! Without the seeds the crate builds empty (`cfg(seeds)` unset) and its one remaining test says
//! what is missing. The tables' warnings (types they do not document) are not repeated here:
//! `odata-codegen generate --docs ...` shows them.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rustc-check-cfg=cfg(seeds)");
    let dir = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let seeds = dir.join("../../../shared/seeds");
    let seed = |name: &str| seeds.join(name);
    let graph = [
        seed("000_c1375e0292258f86.txt"),
        seed("003_8abac902b6d3cbfe.txt"),
        seed("004_eaf2e9ac62ef8ebc.txt"),
    ];
    let aad = [
        seed("001_bf404e7aa6cf4218.txt"),
        seed("002_10caf1d709b9b1b7.txt"),
    ];
    for p in graph.iter().chain(&aad) {
        println!("cargo::rerun-if-changed={}", p.display());
    }
    if !graph.iter().chain(&aad).all(|p| p.exists()) {
        println!(
            "cargo::warning=seed pages not found in {}: tables-alone builds without its clients",
            seeds.display()
        );
        return Ok(());
    }
    println!("cargo::rustc-cfg=seeds");
    for (docs, file) in [(&graph[..], "graph_tables.rs"), (&aad[..], "aad_tables.rs")] {
        let mut config = odata_codegen::Config::new();
        for d in docs {
            config.docs(d);
        }
        config.file_name(file).quiet(true).generate()?;
    }
    Ok(())
}
