//! `cargo xtask bench ladder [RUNS]`: where the peak memory of the complete Graph v1.0 crate
//! comes from, as a ladder of crates that add one kind of generated code at a time.
//!
//! The release CLI generates Graph v1.0 into `target/bench-ladder/generated`. Each rung is a copy
//! of it with some kinds of items taken out, written in turn into the one crate directory
//! `target/bench-ladder/crate` (so the rungs share their dependencies' build): after a warm-up
//! `cargo check`, each run touches `src/lib.rs` and measures `cargo check` (wall time and GNU
//! `time`'s peak memory, the measure of `cargo xtask bench compile`), then the rung's
//! incremental dependency graph is counted. The kinds, cumulative in this order:
//!
//! 1. the struct, enum and type alias definitions (an `rt::Flags<E>` field as `Vec<E>`, since
//!    `Flags` needs the enum's impl);
//! 2. `Default`;
//! 3. the enum types' impls: `rt::EnumType` with serde and the std traits (`rt::impl_enum!`);
//! 4. the structs' impls, `rt::Structured` with serde, `Debug`, `Clone` and `PartialEq`
//!    (`rt::impl_structured!`), and the polymorphic enums' impls;
//! 5. the property constants (`User::DISPLAY_NAME`: the inherent impls);
//! 6. the doc comments;
//! 7. the request builders (`requests` modules): the crate as generated (the filter keeping
//!    everything is checked to give the generated text back byte for byte);
//!
//! and, apart, the crate as generated without its property constants.

use crate::bench::{median, median_mb};
use crate::compile::{dep_graph_size, generate_graph_v1, timed, touch, walk_lines, write};
use std::path::Path;

/// A kind of generated item a rung keeps or leaves out.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Part {
    Default,
    EnumImpls,
    TraitImpls,
    PropertyConstants,
    Docs,
    Builders,
}

use Part::*;

/// The kind of the top-level item that starts on `line` (at column 0), when it is one a rung
/// can leave out; `None` for the definitions every rung keeps.
fn part_of(line: &str) -> Option<Part> {
    const TRAIT_IMPLS: &[&str] = &[
        "unsafe impl rt::Structured for ",
        "impl rt::Polymorphic for ",
        "impl PartialEq for ",
        "impl Clone for ",
        "impl ::core::fmt::Debug for ",
        "rt::impl_structured!",
        "rt::impl_polymorphic_serde!",
    ];
    if line.starts_with("impl Default for ") {
        Some(Default)
    } else if line.starts_with("impl rt::EnumType for ") || line.starts_with("rt::impl_enum!") {
        Some(EnumImpls)
    } else if TRAIT_IMPLS.iter().any(|p| line.starts_with(p)) {
        Some(TraitImpls)
    } else if line
        .strip_prefix("impl ")
        .and_then(|r| r.strip_suffix(" {"))
        .is_some_and(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        // An inherent impl of a generated type: its property constants.
        Some(PropertyConstants)
    } else if line.starts_with("pub mod requests;") {
        Some(Builders)
    } else {
        None
    }
}

/// `text` (one generated `.rs` file) with the items of the kinds not in `keep` taken out, and
/// how many items of each kind were. In a `requests` module (`builders`), whose impls are all
/// request builders, only doc comments are.
fn filter(text: &str, keep: &[Part], builders: bool, removed: &mut Vec<(Part, usize)>) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut lines = text.split_inclusive('\n');
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if !keep.contains(&Docs) && (trimmed.starts_with("///") || trimmed.starts_with("//!")) {
            continue;
        }
        let Some(part) = part_of(line.trim_end()).filter(|_| !builders) else {
            out.push(line);
            continue;
        };
        if keep.contains(&part) {
            out.push(line);
            continue;
        }
        match removed.iter_mut().find(|(p, _)| *p == part) {
            Some((_, n)) => *n += 1,
            None => removed.push((part, 1)),
        }
        // The item's attributes and doc comment go with it.
        while out.last().is_some_and(|l| {
            let l = l.trim_start();
            l.starts_with("#[") || l.starts_with("///")
        }) {
            out.pop();
        }
        // A one-line item ends here; a block ends at the first line closing at column 0.
        let one_line = {
            let l = line.trim_end();
            l.ends_with('}') || l.ends_with(';')
        };
        if !one_line {
            for l in lines.by_ref() {
                if l.starts_with('}') || l.starts_with(");") {
                    break;
                }
            }
        }
    }
    let text = out.concat();
    if builders || keep.contains(&EnumImpls) {
        text
    } else {
        text.replace("rt::Flags<", "Vec<")
    }
}

/// Writes the rung keeping `keep` of the crate in `from` into `to` (its `src`, replaced).
fn write_rung(from: &Path, to: &Path, keep: &[Part]) -> Result<Vec<(Part, usize)>, String> {
    let src = to.join("src");
    if src.exists() {
        std::fs::remove_dir_all(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    }
    let mut removed = Vec::new();
    copy_filtered(&from.join("src"), &src, keep, false, &mut removed)?;
    Ok(removed)
}

fn copy_filtered(
    from: &Path,
    to: &Path,
    keep: &[Part],
    builders: bool,
    removed: &mut Vec<(Part, usize)>,
) -> Result<(), String> {
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let dest = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            // A namespace's directory holds its `requests` module.
            if keep.contains(&Builders) {
                copy_filtered(&path, &dest, keep, true, removed)?;
            }
        } else {
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            write(&dest, &filter(&text, keep, builders, removed))?;
        }
    }
    Ok(())
}

const ALL: &[Part] = &[
    Default,
    EnumImpls,
    TraitImpls,
    PropertyConstants,
    Docs,
    Builders,
];

pub fn bench_ladder(root: &Path, runs: usize) -> Result<(), String> {
    let base = root.join("target/bench-ladder");
    let generated = base.join("generated");
    let dir = base.join("crate");
    let target = base.join("target");
    generate_graph_v1(root, &generated)?;
    for f in ["Cargo.toml", "Cargo.lock"] {
        if generated.join(f).exists() {
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            std::fs::copy(generated.join(f), dir.join(f)).map_err(|e| format!("{f}: {e}"))?;
        }
    }
    let rungs: Vec<(&str, Vec<Part>)> = vec![
        ("definitions only", vec![]),
        ("+ `Default`", vec![Default]),
        ("+ enum types' impls", vec![Default, EnumImpls]),
        (
            "+ structs' and polymorphic enums' impls",
            vec![Default, EnumImpls, TraitImpls],
        ),
        (
            "+ property constants",
            vec![Default, EnumImpls, TraitImpls, PropertyConstants],
        ),
        (
            "+ doc comments",
            vec![Default, EnumImpls, TraitImpls, PropertyConstants, Docs],
        ),
        ("+ request builders (as generated)", ALL.to_vec()),
        (
            "as generated, without property constants",
            vec![Default, EnumImpls, TraitImpls, Docs, Builders],
        ),
    ];
    println!(
        "Each rung: `cargo check` after a touch, {runs} runs, medians; dependency graph of one more."
    );
    println!(
        "| crate | lines | items left out | `cargo check` | peak memory (check) | dep-graph nodes | dep-graph edges |"
    );
    println!("|---|---:|---|---:|---:|---:|---:|");
    for (name, keep) in rungs {
        eprintln!("rung: {name}");
        let removed = write_rung(&generated, &dir, &keep)?;
        if keep == ALL && !removed.is_empty() {
            return Err(format!("the filter keeping everything removed {removed:?}"));
        }
        timed(&dir, &target, &["check", "--quiet"])?;
        let (mut secs, mut mem) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            touch(&dir.join("src/lib.rs"))?;
            let t = timed(&dir, &target, &["check", "--quiet"])?;
            secs.push(t.seconds);
            mem.extend(t.peak_kb);
        }
        let (nodes, edges) = dep_graph_size(&dir, &target)?;
        let left_out: Vec<String> = removed.iter().map(|(p, n)| format!("{p:?} {n}")).collect();
        let mem = median_mb(&mut mem);
        println!(
            "| {name} | {} | {} | {:.1} s | {mem} | {nodes} | {edges} |",
            walk_lines(&dir.join("src")),
            left_out.join(", "),
            median(&mut secs),
        );
    }
    // The filter keeping everything gives the generated text back.
    let check = base.join("identity");
    write_rung(&generated, &check, ALL)?;
    if !same_tree(&generated.join("src"), &check.join("src"))? {
        return Err("the filter keeping everything changed the generated text".into());
    }
    Ok(())
}

fn same_tree(a: &Path, b: &Path) -> Result<bool, String> {
    let list = |d: &Path| -> Result<Vec<std::path::PathBuf>, String> {
        let mut v: Vec<_> = std::fs::read_dir(d)
            .map_err(|e| format!("{}: {e}", d.display()))?
            .flatten()
            .map(|e| e.path())
            .collect();
        v.sort();
        Ok(v)
    };
    let (la, lb) = (list(a)?, list(b)?);
    if la.len() != lb.len() {
        return Ok(false);
    }
    for (x, y) in la.iter().zip(&lb) {
        if x.file_name() != y.file_name() {
            return Ok(false);
        }
        let same = if x.is_dir() {
            same_tree(x, y)?
        } else {
            std::fs::read(x).ok() == std::fs::read(y).ok()
        };
        if !same {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
/// A user.
pub struct User {
    /// `flags`
    pub flags: Option<rt::Flags<Mode>>,
    pub extra: rt::Extra,
}
impl Default for User {
    fn default() -> Self {
        Self { flags: None, extra: Default::default() }
    }
}
unsafe impl rt::Structured for User {
    const INFO: X = Y;
}
rt::impl_structured!(User, Clone, PartialEq);
impl rt::EnumType for Mode {
    const INFO: X = Y;
}
rt::impl_enum!(Mode, Clone);
/// Typed properties.
impl User {
    pub const ID: rt::Prop<Self, String> = rt::Prop::new(
        \"id\",
    );
}
/// Request builders of this namespace.
#[rustfmt::skip]
pub mod requests;
";

    #[test]
    fn keeping_everything_gives_the_text_back() {
        let mut removed = Vec::new();
        assert_eq!(filter(SAMPLE, ALL, false, &mut removed), SAMPLE);
        assert!(removed.is_empty());
    }

    #[test]
    fn each_kind_goes_with_its_docs_and_attributes() {
        let mut removed = Vec::new();
        let out = filter(
            SAMPLE,
            &[Default, EnumImpls, TraitImpls, Docs],
            false,
            &mut removed,
        );
        assert!(!out.contains("impl User {") && !out.contains("Typed properties"));
        assert!(!out.contains("mod requests") && !out.contains("rustfmt"));
        assert!(out.contains("rt::Flags<Mode>") && out.contains("impl Default for User"));
        assert_eq!(removed, vec![(PropertyConstants, 1), (Builders, 1)]);

        let mut removed = Vec::new();
        let out = filter(SAMPLE, &[], false, &mut removed);
        assert_eq!(
            out,
            "pub struct User {\n    pub flags: Option<Vec<Mode>>,\n    pub extra: rt::Extra,\n}\n"
        );
        assert_eq!(
            removed,
            vec![
                (Default, 1),
                (TraitImpls, 2),
                (EnumImpls, 2),
                (PropertyConstants, 1),
                (Builders, 1)
            ]
        );
    }
}
