//! The request side as a generated crate uses it, from outside the runtime:
//! a generated enum gets its URL literal from the blanket impl, a generated
//! newtype can implement `Literal` itself, and a page of generated entities
//! is read through a user's `BlockingClient`.

use odata_runtime as rt;
use rt::{BlockingClient, Literal, Version};

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    User,
    Group,
    Unknown(String),
}

impl rt::EnumType for Kind {
    const INFO: &'static rt::EnumInfo = &rt::EnumInfo {
        name: "microsoft.graph.kind",
        members: &["user", "group"],
        values: &[0, 1],
        flags: false,
    };
    fn member_or(index: usize, name: String) -> Self {
        match index {
            0 => Kind::User,
            1 => Kind::Group,
            _ => Kind::Unknown(name),
        }
    }
    fn index(&self) -> Result<usize, &str> {
        match self {
            Kind::User => Ok(0),
            Kind::Group => Ok(1),
            Kind::Unknown(s) => Err(s),
        }
    }
}
rt::impl_enum_serde!(Kind);

/// A type definition over `Edm.Int64`.
#[derive(Clone, Debug, PartialEq)]
pub struct Serial(pub i64);

impl Literal for Serial {
    fn write_literal(&self, version: Version, out: &mut String) {
        self.0.write_literal(version, out);
    }
}

struct Fake;

impl BlockingClient for Fake {
    fn send(&self, request: rt::Request) -> Result<rt::Response, rt::Error> {
        let body = if request.url.ends_with("skiptoken=2") {
            r#"{"value":["group"]}"#
        } else {
            r#"{"value":["user","robot"],"@odata.nextLink":"kinds?$skiptoken=2"}"#
        };
        Ok(rt::Response::new(200, vec![], body.as_bytes().to_vec()))
    }
}

#[test]
fn downstream_use() {
    let key = rt::key_segment(
        &[("kind", &Kind::Group), ("serial", &Serial(7))],
        Version::V3,
    );
    assert_eq!(key, "(kind=microsoft.graph.kind'group',serial=7L)");
    let mut url = format!("https://example.com/svc/things{key}/kinds");
    rt::Query::new()
        .filter(format!("kind eq {}", Kind::User.to_literal(Version::V4)))
        .append_to(&mut url, Version::V4);
    assert!(url.ends_with("/kinds?$filter=kind%20eq%20microsoft.graph.kind'user'"));
    let kinds: Vec<Kind> = rt::items(&Fake, rt::Request::get(url))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        kinds,
        [Kind::User, Kind::Unknown("robot".into()), Kind::Group]
    );
}
