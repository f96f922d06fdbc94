//! `cargo xtask regenerate` diffs each target's model against its inputs as committed in git HEAD.

use xtask::{Target, diff_against_head, root};

fn model(rel: &str) -> odata_codegen::model::Model {
    let (model, diags) = odata_codegen::load(&[root().join(rel)]);
    assert!(
        diags
            .iter()
            .all(|d| d.diagnostic.severity != odata_codegen::diag::Severity::Error)
    );
    model
}

fn in_git() -> bool {
    std::process::Command::new("git")
        .arg("-C")
        .arg(root())
        .args(["rev-parse", "HEAD"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn committed_inputs_are_diffed() {
    if !in_git() {
        eprintln!("not a git checkout: skipped");
        return;
    }
    let t = Target {
        inputs: &["schemas/graph-directory.xml"],
        docs: &[],
        dir: "generated/graph-directory",
        crate_name: "graph-directory",
    };
    // Against another service: plenty of changes, so the committed version was read and loaded.
    let other = model("schemas/azure-ad-graph.xml");
    let diff = diff_against_head(&root(), &t, &other).expect("HEAD has the schema");
    assert!(diff.is_breaking());
    assert!(diff.summary().contains("breaking"), "{}", diff.summary());
    // An input that is not committed is skipped with a note.
    let untracked = Target {
        inputs: &["schemas/no-such-schema.xml"],
        docs: &[],
        dir: "generated/none",
        crate_name: "none",
    };
    let err = diff_against_head(&root(), &untracked, &other).unwrap_err();
    assert!(err.contains("not in git HEAD"), "{err}");
}
