use odata_codegen::diag::Diagnostics;
use odata_codegen::doctables::{self, DocSet};
use std::path::PathBuf;

fn seeds() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds")
}

fn read(names: &[&str]) -> (DocSet, Diagnostics) {
    let mut diags = Diagnostics::default();
    let paths: Vec<PathBuf> = names.iter().map(|n| seeds().join(n)).collect();
    let set = doctables::read_docs(&paths, 0, &mut diags);
    (set, diags)
}

#[test]
fn dump() {
    for s in [
        "000_c1375e0292258f86.txt",
        "003_8abac902b6d3cbfe.txt",
        "004_eaf2e9ac62ef8ebc.txt",
        "002_10caf1d709b9b1b7.txt",
        "001_bf404e7aa6cf4218.txt",
    ] {
        let (set, diags) = read(&[s]);
        println!(
            "== {s}: {} types, {} paths, {} ops, {} perms",
            set.types.len(),
            set.paths.len(),
            set.operations.len(),
            set.permissions.len()
        );
        for t in &set.types {
            println!(
                "  {} {:?} ns={:?} base={:?} props={} navs={} actions={} entity={:?}",
                t.name,
                t.format,
                t.namespace,
                t.base.as_ref().map(|b| &b.name),
                t.properties.len(),
                t.navigations.len(),
                t.actions.len(),
                t.entity
            );
        }
        for o in set.operations.iter().take(4) {
            println!(
                "  op {:?} {:?} {:?} {:?}",
                o.label,
                o.method,
                o.path.as_ref().map(|p| &p.segments),
                o.scopes
                    .iter()
                    .map(|s| (&s.name, &s.consent))
                    .collect::<Vec<_>>()
            );
        }
        for p in &set.permissions {
            println!("  perm {:?}", p);
        }
        for d in diags.items.iter().take(15) {
            println!("  {:?}", d);
        }
        println!("  {} diags", diags.items.len());
    }
}

#[test]
fn dump_user() {
    let (set, _) = read(&["004_eaf2e9ac62ef8ebc.txt"]);
    let u = set.types.iter().find(|t| t.name == "user").unwrap();
    for p in &u.properties {
        println!(
            "{} {:?} line {}",
            p.name,
            p.ty.as_ref().map(|t| &t.written),
            p.loc.line
        );
    }
}

#[test]
fn dump_generate() {
    let mut s = odata_codegen::Settings::new(Vec::<PathBuf>::new());
    s.docs = vec![
        seeds().join("000_c1375e0292258f86.txt"),
        seeds().join("003_8abac902b6d3cbfe.txt"),
    ];
    match odata_codegen::generate(&s) {
        Ok(g) => {
            for w in &g.warnings {
                println!("{w}");
            }
            for (k, v) in &g.files {
                println!("{k} {}", v.len());
            }
        }
        Err(e) => println!("ERR {e}"),
    }
}
