//! Repository tasks: regenerating the checked-in crates under `generated/` from `schemas/`.

use odata_codegen::{RuntimeDep, Settings};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One checked-in generated crate: its inputs (relative to the repository root) and its directory.
pub struct Target {
    pub inputs: &'static [&'static str],
    /// Documentation tables merged onto the inputs (files or directories).
    pub docs: &'static [&'static str],
    pub dir: &'static str,
    pub crate_name: &'static str,
}

/// Every crate `cargo xtask regenerate` writes.
pub const TARGETS: &[Target] = &[
    Target {
        inputs: &["schemas/graph-directory.xml"],
        docs: &["schemas/docs/graph-directory"],
        dir: "generated/graph-directory",
        crate_name: "graph-directory",
    },
    Target {
        inputs: &["schemas/azure-ad-graph.xml"],
        docs: &["schemas/docs/azure-ad-graph"],
        dir: "generated/azure-ad-graph",
        crate_name: "azure-ad-graph",
    },
];

/// The repository root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository")
        .to_path_buf()
}

pub fn settings(root: &Path, t: &Target) -> Settings {
    let mut s = Settings::new(t.inputs.iter().map(|i| root.join(i)));
    s.crate_name = Some(t.crate_name.to_string());
    s.docs = t.docs.iter().map(|d| root.join(d)).collect();
    // The checked-in docs are written to agree with the checked-in schemas.
    s.strict = true;
    s.standalone_workspace = false;
    // Relative, so the checked-in output is the same on every machine.
    let depth = Path::new(t.dir).components().count();
    let up = "../".repeat(depth);
    s.runtime = RuntimeDep::Path(format!("{up}codegen/runtime"));
    s
}

/// Files on disk under `dir`, relative, with `/` separators.
fn files_on_disk(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if let (Ok(rel), Ok(bytes)) = (p.strip_prefix(root), std::fs::read(&p)) {
                out.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Compares what would be generated with what is checked in. Returns the stale files, described.
pub fn stale(root: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for t in TARGETS {
        let generated =
            odata_codegen::generate(&settings(root, t)).map_err(|e| format!("{}: {e}", t.dir))?;
        let dir = root.join(t.dir);
        let disk = files_on_disk(&dir);
        for (rel, text) in &generated.files {
            match disk.get(rel) {
                None => out.push(format!("{}/{rel}: missing", t.dir)),
                Some(b) if b != text.as_bytes() => out.push(format!("{}/{rel}: differs", t.dir)),
                _ => {}
            }
        }
        for rel in disk.keys() {
            if !generated.files.contains_key(rel) {
                out.push(format!("{}/{rel}: not generated any more", t.dir));
            }
        }
    }
    Ok(out)
}

/// The model diff between the inputs of `t` (schemas and documentation tables) as committed in
/// git `HEAD` and `current` (the model just generated from the working tree). `Err` says why there
/// is no diff (no git, an input not in `HEAD`, schema errors in the committed version).
pub fn diff_against_head(
    root: &Path,
    t: &Target,
    current: &odata_codegen::model::Model,
) -> Result<odata_codegen::diff::Diff, String> {
    let git = |args: &[&str]| -> Result<Vec<u8>, String> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| format!("git is not available ({e})"))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    };
    let dir = tempfile::tempdir().map_err(|e| format!("no temporary directory: {e}"))?;
    // Each committed file at its own relative path, so the model's file names (and local
    // references) and the order of documentation files match the working tree's.
    let write = |rel: &str| -> Result<PathBuf, String> {
        let bytes = git(&["show", &format!("HEAD:{rel}")])
            .map_err(|_| format!("`{rel}` is not in git HEAD"))?;
        let path = dir.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    };
    let paths = t
        .inputs
        .iter()
        .map(|i| write(i))
        .collect::<Result<Vec<_>, _>>()?;
    let mut docs = Vec::new();
    for d in t.docs {
        let listed = git(&["ls-tree", "-r", "--name-only", "HEAD", "--", d])?;
        let listed = String::from_utf8_lossy(&listed).into_owned();
        if listed.trim().is_empty() {
            return Err(format!("`{d}` is not in git HEAD"));
        }
        for rel in listed.lines() {
            write(rel)?;
        }
        docs.push(dir.path().join(d));
    }
    let (old, diags) = odata_codegen::load_with_docs(&paths, &docs, false);
    if diags
        .iter()
        .any(|d| d.diagnostic.severity == odata_codegen::diag::Severity::Error)
    {
        return Err("the inputs in git HEAD have schema errors".into());
    }
    Ok(odata_codegen::diff::diff(&old, current))
}
