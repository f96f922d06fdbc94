use super::*;
use crate::diag::Severity;
use crate::model::*;

fn read(xml: &str) -> (Model, Diagnostics, Option<FileId>) {
    let mut m = Model::default();
    let mut d = Diagnostics::default();
    let r = read_document(&mut m, Path::new("t.xml"), xml.as_bytes(), &mut d);
    (m, d, r)
}

fn ok(xml: &str) -> Model {
    let (m, d, r) = read(xml);
    assert!(r.is_some() && !d.has_errors(), "{:?}", d.items);
    m
}

/// The single diagnostic of `severity`, as (line, col, message).
fn only(d: &Diagnostics, severity: Severity) -> (u32, u32, String) {
    let v: Vec<_> = d.items.iter().filter(|x| x.severity == severity).collect();
    assert_eq!(v.len(), 1, "{:?}", d.items);
    (v[0].loc.line, v[0].loc.col, v[0].message.clone())
}

fn fatal(xml: &[u8]) -> (u32, u32, String) {
    let mut m = Model::default();
    let mut d = Diagnostics::default();
    let r = read_document(&mut m, Path::new("t.xml"), xml, &mut d);
    assert!(r.is_none(), "expected a fatal error: {:?}", d.items);
    assert!(m.schemas.is_empty() && m.types.is_empty());
    assert_eq!(
        m.files.len(),
        1,
        "the file stays registered for diagnostics"
    );
    only(&d, Severity::Error)
}

const V4_HEAD: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
<edmx:DataServices>
<Schema Namespace="NS" Alias="Self" xmlns="http://docs.oasis-open.org/odata/ns/edm">
"#;
const V4_TAIL: &str = "</Schema>\n</edmx:DataServices>\n</edmx:Edmx>\n";

fn v4(body: &str) -> String {
    format!("{V4_HEAD}{body}{V4_TAIL}")
}

fn v2(dsv: &str, edm: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">
<edmx:DataServices {dsv} xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
<Schema Namespace="NS" xmlns="{edm}" xmlns:sap="http://www.sap.com/Protocols/SAPData">
{body}</Schema>
</edmx:DataServices>
</edmx:Edmx>
"#
    )
}

const EDM2: &str = "http://schemas.microsoft.com/ado/2008/09/edm";
const EDM3: &str = "http://schemas.microsoft.com/ado/2009/11/edm";

#[test]
fn root_forms_and_versions() {
    let m = ok(&v4(""));
    assert_eq!(m.files[0].version, ODataVersion::V4);
    assert_eq!(m.files[0].edmx_version.as_deref(), Some("4.0"));
    assert_eq!(m.schemas[0].namespace, "NS");
    assert_eq!(m.schemas[0].alias.as_deref(), Some("Self"));
    assert_eq!(m.schemas[0].loc.line, 4);

    let m = ok(&v4("").replace("Version=\"4.0\"", "Version=\"4.01\""));
    assert_eq!(m.files[0].edmx_version.as_deref(), Some("4.01"));

    for (dsv, edm, want) in [
        (r#"m:DataServiceVersion="1.0""#, EDM2, ODataVersion::V2),
        (
            r#"m:DataServiceVersion="2.0" m:MaxDataServiceVersion="3.0""#,
            EDM3,
            ODataVersion::V2,
        ),
        (r#"m:DataServiceVersion="3.0""#, EDM3, ODataVersion::V3),
        ("", EDM3, ODataVersion::V3),
        ("", EDM2, ODataVersion::V2),
        (
            "",
            "http://schemas.microsoft.com/ado/2006/04/edm",
            ODataVersion::V2,
        ),
    ] {
        let m = ok(&v2(dsv, edm, ""));
        assert_eq!(m.files[0].version, want, "{dsv} {edm}");
        assert_eq!(m.files[0].edmx_version.as_deref(), Some("1.0"));
        assert_eq!(m.schemas.len(), 1);
    }
    let m = ok(&v2(
        r#"m:DataServiceVersion="2.0" m:MaxDataServiceVersion="3.0""#,
        EDM2,
        "",
    ));
    assert_eq!(m.files[0].data_service_version.as_deref(), Some("2.0"));
    assert_eq!(m.files[0].max_data_service_version.as_deref(), Some("3.0"));
    assert!(
        m.files[0].foreign.is_empty(),
        "m: attributes are consumed: {:?}",
        m.files[0].foreign
    );

    for (edm, want) in [
        ("http://docs.oasis-open.org/odata/ns/edm", ODataVersion::V4),
        (EDM3, ODataVersion::V3),
        (
            "http://schemas.microsoft.com/ado/2007/05/edm",
            ODataVersion::V2,
        ),
        (
            "http://schemas.microsoft.com/ado/2008/01/edm",
            ODataVersion::V2,
        ),
    ] {
        let m = ok(&format!(
            r#"<Schema Namespace="B" xmlns="{edm}"><EntityType Name="T"/></Schema>"#
        ));
        assert_eq!(m.files[0].version, want);
        assert_eq!(m.files[0].edmx_version, None);
        assert_eq!(m.types.len(), 1);
    }
}

#[test]
fn bom_comment_and_pi_before_root() {
    let xml = "\u{feff}<?xml version=\"1.0\"?>\n<!-- a comment -->\n<?some-pi data?>\n<Schema Namespace=\"A\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\"><EntityType/></Schema>";
    let (m, d, r) = read(xml);
    assert!(r.is_some());
    assert_eq!(
        m.schemas[0].loc,
        Loc {
            file: FileId(0),
            line: 4,
            col: 1
        }
    );
    assert_eq!(
        only(&d, Severity::Error),
        (
            4,
            77,
            "missing required attribute `Name` on `EntityType`".into()
        )
    );
    assert_eq!(m.files[0].text, xml);
    // The BOM is not a column on line 1.
    let (l, c, _) = fatal("\u{feff}<foo/>".as_bytes());
    assert_eq!((l, c), (1, 1));
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"))
}

fn corpus_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![corpus_dir()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "xml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn corpus_reads_without_errors() {
    let files = corpus_files();
    assert!(
        files.len() >= 20,
        "corpus not found at {}",
        corpus_dir().display()
    );
    for f in files {
        let mut m = Model::default();
        let mut d = Diagnostics::default();
        let bytes = std::fs::read(&f).unwrap();
        let t = std::time::Instant::now();
        let r = read_document(&mut m, &f, &bytes, &mut d);
        let el = t.elapsed();
        let errors: Vec<_> = d.errors().collect();
        let warnings: Vec<_> = d.warnings().collect();
        eprintln!(
            "{}: {:?} {} errors {} warnings",
            f.display(),
            el,
            errors.len(),
            warnings.len()
        );
        for w in warnings.iter().take(if std::env::var("ALLW").is_ok() {
            1000
        } else {
            5
        }) {
            eprintln!("   warning {}:{} {}", w.loc.line, w.loc.col, w.message);
        }
        // One corpus file is broken on purpose: its `NavigationProperty` lost its `Type` (the
        // attribute ended up as text after the tag).
        let known_defect = f.ends_with("edge/olingo4_fromdoc1-metadata.xml")
            && errors.len() == 1
            && errors[0].message == "missing required attribute `Type` on `NavigationProperty`"
            && (errors[0].loc.line, errors[0].loc.col) == (80, 9);
        assert!(
            r.is_some() && (errors.is_empty() || known_defect),
            "{}: {:?}",
            f.display(),
            errors
        );
    }
}
