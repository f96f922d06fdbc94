//! Types written by hand exactly in the shape odata-codegen emits, and
//! end-to-end tests of the runtime through serde_json.

#![cfg(all(feature = "chrono", feature = "decimal", feature = "base64"))]

use serde_json::{Value, json};

pub mod ns {
    use ::odata_runtime as rt;

    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct DirectoryObject {
        pub id: ::core::option::Option<::std::string::String>,
        pub deleted_date_time: ::core::option::Option<rt::DateTimeOffset>,
        pub extra: rt::Extra,
    }
    impl rt::Structured for DirectoryObject {
        const INFO: &'static rt::StructInfo = &rt::StructInfo {
            name: "microsoft.graph.directoryObject",
            fields: &["id", "deletedDateTime"],
            sorted: &[1, 0],
            open: false,
            version: rt::Version::V4,
        };
        fn extra(&self) -> &rt::Extra {
            &self.extra
        }
        fn extra_mut(&mut self) -> &mut rt::Extra {
            &mut self.extra
        }
        fn read_field<'de, A: rt::serde::de::MapAccess<'de>>(
            &mut self,
            index: usize,
            map: &mut A,
        ) -> ::core::result::Result<bool, A::Error> {
            match index {
                0 => rt::read(map, &mut self.id),
                1 => rt::read(map, &mut self.deleted_date_time),
                _ => rt::skip(map),
            }
        }
        fn write_field<M: rt::serde::ser::SerializeMap>(
            &self,
            index: usize,
            name: &'static str,
            map: &mut M,
        ) -> ::core::result::Result<bool, M::Error> {
            match index {
                0 => rt::write(map, name, &self.id),
                1 => rt::write(map, name, &self.deleted_date_time),
                _ => Ok(false),
            }
        }
    }
    rt::impl_structured_serde!(DirectoryObject);

    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct User {
        pub id: ::core::option::Option<::std::string::String>,
        pub display_name: ::core::option::Option<::std::string::String>,
        pub size: ::core::option::Option<i64>,
        pub tags: ::core::option::Option<::std::vec::Vec<::std::string::String>>,
        pub manager: ::core::option::Option<crate::ns::AnyDirectoryObject>,
        pub settings: ::core::option::Option<::std::boxed::Box<crate::ns::Settings>>,
        pub color: ::core::option::Option<crate::ns::Color>,
        pub days: ::core::option::Option<rt::Flags<crate::ns::Day>>,
        pub deleted_date_time: ::core::option::Option<rt::DateTimeOffset>,
        pub balance: ::core::option::Option<rt::Decimal>,
        pub score: ::core::option::Option<f64>,
        pub photo: ::core::option::Option<rt::Binary>,
        pub timeout: ::core::option::Option<rt::Duration>,
        pub extra: rt::Extra,
    }
    impl rt::Structured for User {
        const INFO: &'static rt::StructInfo = &rt::StructInfo {
            name: "microsoft.graph.user",
            fields: &[
                "id",
                "displayName",
                "size",
                "tags",
                "manager",
                "settings",
                "color",
                "days",
                "deletedDateTime",
                "balance",
                "score",
                "photo",
                "timeout",
            ],
            sorted: &[9, 6, 7, 8, 1, 0, 4, 11, 10, 5, 2, 3, 12],
            open: false,
            version: rt::Version::V4,
        };
        fn extra(&self) -> &rt::Extra {
            &self.extra
        }
        fn extra_mut(&mut self) -> &mut rt::Extra {
            &mut self.extra
        }
        fn read_field<'de, A: rt::serde::de::MapAccess<'de>>(
            &mut self,
            index: usize,
            map: &mut A,
        ) -> ::core::result::Result<bool, A::Error> {
            match index {
                0 => rt::read(map, &mut self.id),
                1 => rt::read(map, &mut self.display_name),
                2 => rt::read_as::<rt::codec::Int64, _>(map, &mut self.size),
                3 => rt::read(map, &mut self.tags),
                4 => rt::read(map, &mut self.manager),
                5 => rt::read(map, &mut self.settings),
                6 => rt::read(map, &mut self.color),
                7 => rt::read(map, &mut self.days),
                8 => rt::read(map, &mut self.deleted_date_time),
                9 => rt::read_as::<rt::codec::Decimal, _>(map, &mut self.balance),
                10 => rt::read_as::<rt::codec::Double, _>(map, &mut self.score),
                11 => rt::read(map, &mut self.photo),
                12 => rt::read(map, &mut self.timeout),
                _ => rt::skip(map),
            }
        }
        fn write_field<M: rt::serde::ser::SerializeMap>(
            &self,
            index: usize,
            name: &'static str,
            map: &mut M,
        ) -> ::core::result::Result<bool, M::Error> {
            match index {
                0 => rt::write(map, name, &self.id),
                1 => rt::write(map, name, &self.display_name),
                2 => rt::write_as::<rt::codec::Int64, _>(map, name, &self.size),
                3 => rt::write(map, name, &self.tags),
                4 => rt::write(map, name, &self.manager),
                5 => rt::write(map, name, &self.settings),
                6 => rt::write(map, name, &self.color),
                7 => rt::write(map, name, &self.days),
                8 => rt::write(map, name, &self.deleted_date_time),
                9 => rt::write_as::<rt::codec::Decimal, _>(map, name, &self.balance),
                10 => rt::write_as::<rt::codec::Double, _>(map, name, &self.score),
                11 => rt::write(map, name, &self.photo),
                12 => rt::write(map, name, &self.timeout),
                _ => Ok(false),
            }
        }
    }
    rt::impl_structured_serde!(User);

    /// What the request emitter writes for `User`'s properties (a subset).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum UserProperty {
        DisplayName,
        Tags,
        Settings,
    }
    impl rt::Name for UserProperty {
        fn name(self) -> &'static str {
            ["displayName", "tags", "settings"][self as usize]
        }
    }
    impl<T: rt::IsA<User>> rt::PropertyOf<T> for UserProperty {}

    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct Group {
        pub id: ::core::option::Option<::std::string::String>,
        pub deleted_date_time: ::core::option::Option<rt::DateTimeOffset>,
        pub members: ::core::option::Option<::std::vec::Vec<crate::ns::AnyDirectoryObject>>,
        pub display_name: ::core::option::Option<::std::string::String>,
        pub extra: rt::Extra,
    }
    impl rt::Structured for Group {
        const INFO: &'static rt::StructInfo = &rt::StructInfo {
            name: "microsoft.graph.group",
            fields: &["id", "deletedDateTime", "members", "displayName"],
            sorted: &[1, 3, 0, 2],
            open: false,
            version: rt::Version::V4,
        };
        fn extra(&self) -> &rt::Extra {
            &self.extra
        }
        fn extra_mut(&mut self) -> &mut rt::Extra {
            &mut self.extra
        }
        fn read_field<'de, A: rt::serde::de::MapAccess<'de>>(
            &mut self,
            index: usize,
            map: &mut A,
        ) -> ::core::result::Result<bool, A::Error> {
            match index {
                0 => rt::read(map, &mut self.id),
                1 => rt::read(map, &mut self.deleted_date_time),
                2 => rt::read(map, &mut self.members),
                3 => rt::read(map, &mut self.display_name),
                _ => rt::skip(map),
            }
        }
        fn write_field<M: rt::serde::ser::SerializeMap>(
            &self,
            index: usize,
            name: &'static str,
            map: &mut M,
        ) -> ::core::result::Result<bool, M::Error> {
            match index {
                0 => rt::write(map, name, &self.id),
                1 => rt::write(map, name, &self.deleted_date_time),
                2 => rt::write(map, name, &self.members),
                3 => rt::write(map, name, &self.display_name),
                _ => Ok(false),
            }
        }
    }
    rt::impl_structured_serde!(Group);

    /// An open complex type.
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct Settings {
        pub theme: ::core::option::Option<::std::string::String>,
        pub font_size: ::core::option::Option<i32>,
        pub extra: rt::Extra,
    }
    impl rt::Structured for Settings {
        const INFO: &'static rt::StructInfo = &rt::StructInfo {
            name: "microsoft.graph.settings",
            fields: &["theme", "fontSize"],
            sorted: &[1, 0],
            open: true,
            version: rt::Version::V4,
        };
        fn extra(&self) -> &rt::Extra {
            &self.extra
        }
        fn extra_mut(&mut self) -> &mut rt::Extra {
            &mut self.extra
        }
        fn read_field<'de, A: rt::serde::de::MapAccess<'de>>(
            &mut self,
            index: usize,
            map: &mut A,
        ) -> ::core::result::Result<bool, A::Error> {
            match index {
                0 => rt::read(map, &mut self.theme),
                1 => rt::read(map, &mut self.font_size),
                _ => rt::skip(map),
            }
        }
        fn write_field<M: rt::serde::ser::SerializeMap>(
            &self,
            index: usize,
            name: &'static str,
            map: &mut M,
        ) -> ::core::result::Result<bool, M::Error> {
            match index {
                0 => rt::write(map, name, &self.theme),
                1 => rt::write(map, name, &self.font_size),
                _ => Ok(false),
            }
        }
    }
    rt::impl_structured_serde!(Settings);

    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Color {
        Red,
        Green,
        Unknown(::std::string::String),
    }
    impl rt::EnumType for Color {
        const INFO: &'static rt::EnumInfo = &rt::EnumInfo {
            name: "microsoft.graph.color",
            members: &["Red", "Green"],
            values: &[0, 1],
            flags: false,
        };
        fn from_index(index: usize) -> ::core::option::Option<Self> {
            match index {
                0 => Some(Self::Red),
                1 => Some(Self::Green),
                _ => None,
            }
        }
        fn index(&self) -> ::core::result::Result<usize, &str> {
            match self {
                Self::Red => Ok(0),
                Self::Green => Ok(1),
                Self::Unknown(s) => Err(s),
            }
        }
        fn unknown(name: ::std::string::String) -> Self {
            Self::Unknown(name)
        }
    }
    rt::impl_enum_serde!(Color);

    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Day {
        None,
        Mon,
        Tue,
        Wed,
        Thu,
        Fri,
        Weekdays,
        Unknown(::std::string::String),
    }
    impl rt::EnumType for Day {
        const INFO: &'static rt::EnumInfo = &rt::EnumInfo {
            name: "microsoft.graph.day",
            members: &["None", "Mon", "Tue", "Wed", "Thu", "Fri", "Weekdays"],
            values: &[0, 1, 2, 4, 8, 16, 31],
            flags: true,
        };
        fn from_index(index: usize) -> ::core::option::Option<Self> {
            match index {
                0 => Some(Self::None),
                1 => Some(Self::Mon),
                2 => Some(Self::Tue),
                3 => Some(Self::Wed),
                4 => Some(Self::Thu),
                5 => Some(Self::Fri),
                6 => Some(Self::Weekdays),
                _ => None,
            }
        }
        fn index(&self) -> ::core::result::Result<usize, &str> {
            match self {
                Self::None => Ok(0),
                Self::Mon => Ok(1),
                Self::Tue => Ok(2),
                Self::Wed => Ok(3),
                Self::Thu => Ok(4),
                Self::Fri => Ok(5),
                Self::Weekdays => Ok(6),
                Self::Unknown(s) => Err(s),
            }
        }
        fn unknown(name: ::std::string::String) -> Self {
            Self::Unknown(name)
        }
    }
    rt::impl_enum_serde!(Day);

    #[derive(Clone, Debug, PartialEq)]
    pub enum AnyDirectoryObject {
        DirectoryObject(::std::boxed::Box<DirectoryObject>),
        User(::std::boxed::Box<User>),
        Group(::std::boxed::Box<Group>),
        Unknown(::std::boxed::Box<DirectoryObject>),
    }
    impl rt::Polymorphic for AnyDirectoryObject {
        const TYPES: &'static [&'static str] = &[
            "microsoft.graph.directoryObject",
            "microsoft.graph.user",
            "microsoft.graph.group",
        ];
        const ALIASES: &'static [(&'static str, &'static str)] = &[("graph", "microsoft.graph")];
        fn read_variant(
            index: ::core::option::Option<usize>,
            value: rt::serde_json::Value,
        ) -> ::core::result::Result<Self, rt::serde_json::Error> {
            Ok(match index {
                Some(0) => Self::DirectoryObject(rt::serde_json::from_value(value)?),
                Some(1) => Self::User(rt::serde_json::from_value(value)?),
                Some(2) => Self::Group(rt::serde_json::from_value(value)?),
                _ => Self::Unknown(rt::serde_json::from_value(value)?),
            })
        }
        fn write_variant<S: rt::serde::Serializer>(
            &self,
            s: S,
        ) -> ::core::result::Result<S::Ok, S::Error> {
            match self {
                Self::DirectoryObject(v) => rt::ser_struct(&**v, s),
                Self::User(v) => rt::ser_tagged(&**v, s),
                Self::Group(v) => rt::ser_tagged(&**v, s),
                Self::Unknown(v) => rt::ser_struct(&**v, s),
            }
        }
    }
    rt::impl_polymorphic_serde!(AnyDirectoryObject);

    #[derive(Clone, Debug, PartialEq)]
    pub struct Age(pub i32);
    rt::impl_newtype_serde!(Age);

    #[derive(Clone, Debug, PartialEq)]
    pub struct Big(pub i64);
    rt::impl_newtype_serde!(Big as rt::codec::Int64);
}

/// A V3 model (JSON light, `odata.type` without `#`) and a V2 one
/// (`__metadata`), with a derived type each.
pub mod legacy {
    use ::odata_runtime as rt;

    macro_rules! simple {
        ($t:ident, $name:literal, $v:ident) => {
            #[derive(Clone, Debug, Default, PartialEq)]
            pub struct $t {
                pub id: ::core::option::Option<::std::string::String>,
                pub extra: rt::Extra,
            }
            impl rt::Structured for $t {
                const INFO: &'static rt::StructInfo = &rt::StructInfo {
                    name: $name,
                    fields: &["ID"],
                    sorted: &[0],
                    open: false,
                    version: rt::Version::$v,
                };
                fn extra(&self) -> &rt::Extra {
                    &self.extra
                }
                fn extra_mut(&mut self) -> &mut rt::Extra {
                    &mut self.extra
                }
                fn read_field<'de, A: rt::serde::de::MapAccess<'de>>(
                    &mut self,
                    index: usize,
                    map: &mut A,
                ) -> ::core::result::Result<bool, A::Error> {
                    match index {
                        0 => rt::read(map, &mut self.id),
                        _ => rt::skip(map),
                    }
                }
                fn write_field<M: rt::serde::ser::SerializeMap>(
                    &self,
                    index: usize,
                    name: &'static str,
                    map: &mut M,
                ) -> ::core::result::Result<bool, M::Error> {
                    match index {
                        0 => rt::write(map, name, &self.id),
                        _ => Ok(false),
                    }
                }
            }
            rt::impl_structured_serde!($t);
        };
    }
    simple!(Object3, "Microsoft.DirectoryServices.DirectoryObject", V3);
    simple!(User3, "Microsoft.DirectoryServices.user", V3);
    simple!(Product2, "ODataDemo.Product", V2);
    simple!(Special2, "ODataDemo.SpecialProduct", V2);

    macro_rules! any {
        ($t:ident, $base:ident, $derived:ident, [$($n:literal),*]) => {
            #[derive(Clone, Debug, PartialEq)]
            pub enum $t {
                Base(::std::boxed::Box<$base>),
                Derived(::std::boxed::Box<$derived>),
                Unknown(::std::boxed::Box<$base>),
            }
            impl rt::Polymorphic for $t {
                const TYPES: &'static [&'static str] = &[$($n),*];
                const ALIASES: &'static [(&'static str, &'static str)] = &[];
                fn read_variant(
                    index: ::core::option::Option<usize>,
                    value: rt::serde_json::Value,
                ) -> ::core::result::Result<Self, rt::serde_json::Error> {
                    Ok(match index {
                        Some(0) => Self::Base(rt::serde_json::from_value(value)?),
                        Some(1) => Self::Derived(rt::serde_json::from_value(value)?),
                        _ => Self::Unknown(rt::serde_json::from_value(value)?),
                    })
                }
                fn write_variant<S: rt::serde::Serializer>(
                    &self,
                    s: S,
                ) -> ::core::result::Result<S::Ok, S::Error> {
                    match self {
                        Self::Base(v) => rt::ser_struct(&**v, s),
                        Self::Derived(v) => rt::ser_tagged(&**v, s),
                        Self::Unknown(v) => rt::ser_struct(&**v, s),
                    }
                }
            }
            rt::impl_polymorphic_serde!($t);
        };
    }
    any!(
        AnyObject3,
        Object3,
        User3,
        [
            "Microsoft.DirectoryServices.DirectoryObject",
            "Microsoft.DirectoryServices.user"
        ]
    );
    any!(
        AnyProduct2,
        Product2,
        Special2,
        ["ODataDemo.Product", "ODataDemo.SpecialProduct"]
    );
}

use legacy::*;
use ns::*;
use odata_runtime::{self as rt, EnumType, Flags, Polymorphic, Structured};

/// Reads `v` as `T` and writes it back; the JSON values must be equal.
fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(v: &Value) -> T {
    let text = v.to_string();
    let t: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let back = serde_json::to_value(&t).unwrap();
    assert_eq!(&back, v, "round trip changed the payload");
    // Reading from a `Value` (as polymorphic buffering does) agrees too.
    let t2: T = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(serde_json::to_value(&t2).unwrap(), back);
    t
}

fn full_user() -> Value {
    json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
        "@odata.etag": "W/\"abc\"",
        "@odata.type": "#microsoft.graph.user",
        "id": "u1",
        "displayName@odata.type": "#String",
        "displayName": "Ann",
        "size": 9007199254740993_i64,
        "tags": ["a", "b"],
        "manager": {
            "@odata.type": "#microsoft.graph.servicePrincipal",
            "id": "sp1",
            "appId": "x-y",
            "deletedDateTime": null
        },
        "settings": { "theme": "dark", "fontSize": 12, "customFlag": true, "nested": {"a": [1, 2]} },
        "color": "Purple",
        "days": "Mon,Fri",
        "deletedDateTime": null,
        "balance": 1.5,
        "score": "INF",
        "photo": "-_8",
        "timeout": "P1DT2H",
        "officeLocation": "Bldg 1",
        "extension@odata.navigationLink": "users/u1/extension",
        "unknownNull": null
    })
}

#[test]
fn infos_are_valid() {
    for info in [
        DirectoryObject::INFO,
        User::INFO,
        Group::INFO,
        Settings::INFO,
        Object3::INFO,
        Product2::INFO,
    ] {
        info.validate().unwrap();
    }
    assert!(
        rt::StructInfo {
            name: "bad",
            fields: &["b", "a"],
            sorted: &[0, 1],
            open: false,
            version: rt::Version::V4,
        }
        .validate()
        .is_err()
    );
}

#[test]
fn full_payload_round_trips() {
    let v = full_user();
    let u: User = round_trip(&v);
    assert_eq!(u.id.as_deref(), Some("u1"));
    assert_eq!(u.size, Some(9007199254740993));
    assert_eq!(u.color, Some(Color::Unknown("Purple".into())));
    let days = u.days.clone().unwrap();
    assert!(days.contains(&Day::Mon) && days.contains(&Day::Fri) && !days.contains(&Day::Tue));
    assert_eq!(u.score, Some(f64::INFINITY));
    assert_eq!(u.photo.as_ref().unwrap().bytes(), &[0xfb, 0xff]);
    assert_eq!(u.timeout.as_ref().unwrap().secs(), 93_600);
    assert!(u.deleted_date_time.is_none());
    assert!(u.extra.is_null("deletedDateTime"));
    assert_eq!(u.extra.etag(), Some("W/\"abc\""));
    assert_eq!(u.extra.odata_type(), Some("#microsoft.graph.user"));
    assert_eq!(
        u.extra.annotation("displayName@odata.type"),
        Some(&json!("#String"))
    );
    assert_eq!(u.extra.dynamic["officeLocation"], json!("Bldg 1"));
    assert_eq!(u.extra.dynamic["unknownNull"], Value::Null);
    let settings = u.settings.as_ref().unwrap();
    assert_eq!(settings.font_size, Some(12));
    assert_eq!(settings.extra.dynamic["customFlag"], json!(true));
    match u.manager.as_ref().unwrap() {
        AnyDirectoryObject::Unknown(m) => {
            assert_eq!(m.id.as_deref(), Some("sp1"));
            assert_eq!(
                m.extra.odata_type(),
                Some("#microsoft.graph.servicePrincipal")
            );
            assert!(m.extra.is_null("deletedDateTime"));
        }
        other => panic!("expected Unknown, got {other:?}"),
    }

    // The same payload through the polymorphic type resolves to User and
    // still round-trips (the tag is written once, as read).
    let any: AnyDirectoryObject = round_trip(&v);
    assert!(matches!(any, AnyDirectoryObject::User(ref b) if **b == u));
}

#[test]
fn polymorphic_resolution() {
    let base = json!({"id": "d1", "deletedDateTime": "2026-08-03T10:11:12.1234567+02:00"});
    let any: AnyDirectoryObject = round_trip(&base);
    let AnyDirectoryObject::DirectoryObject(d) = any else {
        panic!("missing tag must give the declared type")
    };
    assert_eq!(
        d.deleted_date_time.unwrap().to_utc().to_rfc3339(),
        "2026-08-03T08:11:12.123456700+00:00"
    );

    let alias = json!({"@odata.type": "#graph.user", "id": "u2"});
    assert!(matches!(
        round_trip::<AnyDirectoryObject>(&alias),
        AnyDirectoryObject::User(_)
    ));

    let cased = json!({"@odata.type": "#Microsoft.Graph.Group", "id": "g1", "members": [
        {"@odata.type": "#microsoft.graph.user", "id": "u3", "days": "Mon,Holiday"},
        {"id": "d2"},
        {"@odata.type": "#microsoft.graph.device", "id": "dev"}
    ]});
    let AnyDirectoryObject::Group(g) = round_trip::<AnyDirectoryObject>(&cased) else {
        panic!("expected group")
    };
    let members = g.members.as_ref().unwrap();
    assert!(matches!(members[0], AnyDirectoryObject::User(_)));
    assert!(matches!(members[1], AnyDirectoryObject::DirectoryObject(_)));
    assert!(matches!(members[2], AnyDirectoryObject::Unknown(_)));
    if let AnyDirectoryObject::User(u) = &members[0] {
        let days = u.days.as_ref().unwrap();
        assert!(days.contains(&Day::Mon));
        assert!(days.contains(&Day::Unknown("Holiday".into())));
    }

    // V3: `odata.type` without `#`, case differs from metadata.
    let v3 = json!({"odata.metadata": "https://x/$metadata#directoryObjects/@Element",
        "odata.type": "Microsoft.DirectoryServices.User", "ID": "7"});
    assert!(matches!(
        round_trip::<AnyObject3>(&v3),
        AnyObject3::Derived(_)
    ));
    let u3 = User3 {
        id: Some("8".into()),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(AnyObject3::Derived(Box::new(u3))).unwrap(),
        json!({"odata.type": "Microsoft.DirectoryServices.user", "ID": "8"})
    );

    // V2 verbose: the tag lives in `__metadata`.
    let v2 = json!({"__metadata": {"uri": "https://x/Products(1)", "type": "ODataDemo.SpecialProduct"},
        "ID": "1"});
    assert!(matches!(
        round_trip::<AnyProduct2>(&v2),
        AnyProduct2::Derived(_)
    ));
    let v2_base = json!({"__metadata": {"uri": "https://x/Products(2)", "type": "ODataDemo.Product"},
        "ID": "2"});
    assert!(matches!(
        round_trip::<AnyProduct2>(&v2_base),
        AnyProduct2::Base(_)
    ));
    let fresh = AnyProduct2::Derived(Box::default());
    assert_eq!(
        serde_json::to_value(fresh).unwrap(),
        json!({"odata.type": "ODataDemo.SpecialProduct"})
    );

    assert_eq!(
        rt::tag_index::<AnyDirectoryObject>("#microsoft.graph.user"),
        Some(1)
    );
    assert_eq!(
        rt::tag_index::<AnyDirectoryObject>("microsoft.graph.group"),
        Some(2)
    );
    assert_eq!(rt::tag_index::<AnyDirectoryObject>("#graph.group"), Some(2));
    assert_eq!(rt::tag_index::<AnyDirectoryObject>("#GRAPH.USER"), None);
    assert_eq!(rt::tag_index::<AnyDirectoryObject>("#Graph.User"), None);
    assert_eq!(rt::tag_index::<AnyDirectoryObject>("#graph.USER"), Some(1));
    assert_eq!(
        rt::tag_index::<AnyDirectoryObject>("#MICROSOFT.GRAPH.DIRECTORYOBJECT"),
        Some(0)
    );
    assert_eq!(rt::tag_index::<AnyDirectoryObject>("#graphx.user"), None);
    assert_eq!(rt::tag_index::<AnyDirectoryObject>(""), None);
    assert_eq!(AnyDirectoryObject::TYPES.len(), 3);
}

#[test]
fn ser_tagged_writes_tag_once() {
    let count = |s: &str| s.matches("odata.type").count();

    let fresh = AnyDirectoryObject::User(Box::default());
    let s = serde_json::to_string(&fresh).unwrap();
    assert_eq!(s, r##"{"@odata.type":"#microsoft.graph.user"}"##);

    let mut u = User::default();
    u.extra
        .annotations
        .push(("@odata.type".into(), json!("#microsoft.graph.user")));
    u.extra.annotations.push(("@odata.etag".into(), json!("1")));
    let s = serde_json::to_string(&AnyDirectoryObject::User(Box::new(u.clone()))).unwrap();
    assert_eq!(count(&s), 1, "{s}");
    assert!(
        s.starts_with(r##"{"@odata.type":"#microsoft.graph.user""##),
        "{s}"
    );

    // A stale tag naming another type is replaced, not duplicated.
    u.extra.annotations[0].1 = json!("#microsoft.graph.group");
    let s = serde_json::to_string(&AnyDirectoryObject::User(Box::new(u.clone()))).unwrap();
    assert_eq!(count(&s), 1, "{s}");
    assert!(s.contains("#microsoft.graph.user"), "{s}");

    // A V3-spelled tag kept in a V4 value is not written twice either.
    u.extra.annotations[0] = ("odata.type".into(), json!("microsoft.graph.group"));
    let s = serde_json::to_string(&AnyDirectoryObject::User(Box::new(u))).unwrap();
    assert_eq!(count(&s), 1, "{s}");

    // Plain serialization of the struct writes no tag of its own.
    assert_eq!(serde_json::to_string(&User::default()).unwrap(), "{}");
}

#[test]
fn explicit_nulls() {
    let mut u = User {
        id: Some("u".into()),
        ..Default::default()
    };
    u.display_name = Some("was".into());
    u.set_null(UserProperty::DisplayName);
    u.set_null(UserProperty::DisplayName);
    assert_eq!(u.display_name, None, "set_null clears the field");
    // A dynamic property is nulled by its value.
    u.extra.dynamic.insert("customNull".into(), Value::Null);
    assert_eq!(u.extra.nulls(), ["displayName"]);
    let v = serde_json::to_value(&u).unwrap();
    assert_eq!(
        v,
        json!({"id": "u", "displayName": null, "customNull": null})
    );

    // A value set later wins over the null mark.
    u.display_name = Some("x".into());
    let v = serde_json::to_value(&u).unwrap();
    assert_eq!(v["displayName"], json!("x"));
    u.extra.dynamic.remove("customNull");
    assert!(
        serde_json::to_value(&u)
            .unwrap()
            .get("customNull")
            .is_none()
    );

    let read: User = serde_json::from_str(r#"{"tags": null, "settings": null}"#).unwrap();
    assert!(read.extra.is_null("tags") && read.extra.is_null("settings"));
    assert!(!read.extra.is_null("id"));
}

#[test]
fn order_of_output() {
    let mut u = User::default();
    u.extra
        .annotations
        .push(("@odata.context".into(), json!("c")));
    u.extra.dynamic.insert("zz".into(), json!(1));
    u.size = Some(3);
    u.id = Some("i".into());
    u.set_null(UserProperty::Tags);
    assert_eq!(
        serde_json::to_string(&u).unwrap(),
        r#"{"@odata.context":"c","id":"i","size":3,"tags":null,"zz":1}"#
    );
}

#[test]
fn number_modes() {
    let strings = json!({"size": "123", "balance": "1.50", "score": "NaN"});
    // Reading accepts strings in either mode; writing follows the mode.
    rt::with_ieee754_compatible(|| {
        let u: User = round_trip(&strings);
        assert_eq!(u.size, Some(123));
        assert_eq!(u.balance.unwrap().to_string(), "1.50");
    });
    let u: User = serde_json::from_value(strings).unwrap();
    assert_eq!(
        serde_json::to_value(&u).unwrap(),
        json!({"size": 123, "balance": 1.5, "score": "NaN"})
    );

    let numbers = json!({"size": -5, "balance": 2.25, "score": -0.5});
    round_trip::<User>(&numbers);
    let integral = json!({"balance": 7, "score": 3});
    round_trip::<User>(&integral);
    let u: User = serde_json::from_value(numbers).unwrap();
    assert_eq!(
        rt::with_ieee754_compatible(|| serde_json::to_value(&u).unwrap()),
        json!({"size": "-5", "balance": "2.25", "score": -0.5})
    );
    let precise = json!({"balance": "12345678901234567890.12345"});
    let u: User = serde_json::from_value(precise.clone()).unwrap();
    assert_eq!(serde_json::to_value(&u).unwrap(), precise);
}

#[test]
fn primitives_in_payloads() {
    round_trip::<User>(&json!({"photo": "+/8=", "timeout": "-P1DT2.5S",
        "deletedDateTime": "2026-08-03T10:11:12.1234567+02:00"}));
    round_trip::<User>(&json!({"photo": "aGVsbG8", "timeout": "PT0S",
        "deletedDateTime": "/Date(1234567890000+0120)/"}));
    round_trip::<User>(&json!({"color": "Green", "days": "None", "score": "-INF"}));
    // The empty set is written as the value-0 member when there is one.
    let u: User = serde_json::from_value(json!({"days": ""})).unwrap();
    assert_eq!(serde_json::to_value(&u).unwrap(), json!({"days": "None"}));
    // `Weekdays` is written as its parts (greedy, declaration order).
    let u: User = serde_json::from_value(json!({"days": "Weekdays,Unknown1"})).unwrap();
    assert_eq!(
        serde_json::to_value(&u).unwrap(),
        json!({"days": "Mon,Tue,Wed,Thu,Fri,Unknown1"})
    );
}

#[test]
fn errors_never_panic() {
    let dup = serde_json::from_str::<User>(r#"{"id": "a", "id": "b"}"#).unwrap_err();
    assert!(dup.to_string().contains("duplicate property `id`"), "{dup}");

    let wrong = serde_json::from_str::<User>(
        r#"{"id": "a",
        "size": true}"#,
    )
    .unwrap_err();
    let msg = wrong.to_string();
    assert!(
        msg.contains("`size`") && msg.contains("microsoft.graph.user"),
        "{msg}"
    );
    assert_eq!(wrong.line(), 2, "{msg}");

    for bad in [
        r#"{"tags": "x"}"#,
        r#"{"tags": [1]}"#,
        r#"{"color": {}}"#,
        r#"{"days": []}"#,
        r#"{"settings": 5}"#,
        r#"{"settings": {"fontSize": "big"}}"#,
        r#"{"manager": "x"}"#,
        r##"{"manager": {"@odata.type": "#graph.user", "size": "abc"}}"##,
        r#"{"manager": {"id": 1}}"#,
        r#"{"deletedDateTime": "yesterday"}"#,
        r#"{"timeout": "P1Y"}"#,
        r#"{"photo": "*"}"#,
        r#"{"score": "1.5"}"#,
        r#"{"balance": true}"#,
        r#"{"size": 1e3}"#,
        r#"{"id": "a""#,
        r#"[]"#,
        r#""user""#,
        r#"null"#,
    ] {
        assert!(
            serde_json::from_str::<User>(bad).is_err(),
            "{bad} should fail"
        );
        let as_value: Result<Value, _> = serde_json::from_str(bad);
        if let Ok(v) = as_value {
            assert!(serde_json::from_value::<User>(v.clone()).is_err(), "{bad}");
            // Through the polymorphic type, with a tag selecting `User`.
            if let Value::Object(mut m) = v {
                m.insert("@odata.type".into(), json!("#microsoft.graph.user"));
                let tagged = Value::Object(m);
                assert!(
                    serde_json::from_value::<AnyDirectoryObject>(tagged).is_err(),
                    "{bad}"
                );
            }
        }
    }
    // Duplicates inside a buffered polymorphic value are caught as well.
    let e = serde_json::from_str::<User>(r#"{"manager": {"id": "a", "id": "b"}}"#).unwrap_err();
    assert!(e.to_string().contains("duplicate property `id`"), "{e}");
    assert!(serde_json::from_str::<AnyDirectoryObject>("[1]").is_err());
    assert!(serde_json::from_str::<AnyDirectoryObject>("null").is_err());
    let e = serde_json::from_str::<AnyDirectoryObject>(r#"{"id": 5}"#).unwrap_err();
    assert!(e.to_string().contains("`id`"), "{e}");
}

#[test]
fn flags_operations() {
    let mut f = Flags::from(Day::Mon) | Day::Fri;
    assert_eq!(f.to_string(), "Mon,Fri");
    assert!(f.contains(&Day::Mon) && !f.contains(&Day::Tue) && !f.contains(&Day::None));
    f |= Day::Tue;
    f |= Flags::from(Day::Unknown("Sun".into()));
    assert_eq!(f.to_string(), "Mon,Tue,Fri,Sun");
    assert_eq!(
        f.iter().collect::<Vec<_>>(),
        vec![Day::Mon, Day::Tue, Day::Fri, Day::Unknown("Sun".into())]
    );
    let g = f.clone() & (Flags::from(Day::Tue) | Day::Wed | Day::Unknown("Sun".into()));
    assert_eq!(g.to_string(), "Tue,Sun");
    let h = f.clone() - g.clone();
    assert_eq!(h.to_string(), "Mon,Fri");
    f.remove(&Day::Mon);
    f.remove(&Day::Unknown("Sun".into()));
    assert_eq!(f.to_string(), "Tue,Fri");
    let mut e: Flags<Day> = Flags::new();
    assert!(e.is_empty() && e.contains(&Day::None));
    assert_eq!(serde_json::to_value(&e).unwrap(), json!("None"));
    e.insert(Day::None);
    assert!(e.is_empty());
    let all: Flags<Day> = [Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri]
        .into_iter()
        .collect();
    assert!(all.contains(&Day::Weekdays));
    assert_eq!(all, Flags::from(Day::Weekdays));
    let from_int: Flags<Day> = serde_json::from_value(json!(17)).unwrap();
    assert_eq!(from_int, Flags::from(Day::Mon) | Day::Fri);
    let spaced: Flags<Day> = serde_json::from_value(json!(" Mon , Fri ")).unwrap();
    assert_eq!(spaced, from_int);
    use std::collections::HashSet;
    let set: HashSet<Flags<Day>> = [from_int.clone(), spaced].into_iter().collect();
    assert_eq!(set.len(), 1);
    assert_eq!(
        format!("{from_int:?}"),
        "Flags<microsoft.graph.day>(\"Mon,Fri\")"
    );
}

#[test]
fn enums_and_newtypes() {
    assert_eq!(Color::Green.name(), "Green");
    assert_eq!(Color::Unknown("Teal".into()).name(), "Teal");
    assert_eq!(Color::from_name("Red"), Color::Red);
    assert_eq!(Color::from_value(1), Some(Color::Green));
    assert_eq!(
        serde_json::from_value::<Color>(json!(0)).unwrap(),
        Color::Red
    );
    assert_eq!(
        serde_json::to_value(Color::Unknown("Teal".into())).unwrap(),
        json!("Teal")
    );

    assert_eq!(serde_json::from_value::<Age>(json!(42)).unwrap(), Age(42));
    assert_eq!(serde_json::to_value(Age(42)).unwrap(), json!(42));
    assert_eq!(serde_json::from_value::<Big>(json!("77")).unwrap(), Big(77));
    assert_eq!(serde_json::to_value(Big(77)).unwrap(), json!(77));
    assert_eq!(
        rt::with_ieee754_compatible(|| serde_json::to_value(Big(77)).unwrap()),
        json!("77")
    );
    assert!(serde_json::from_value::<Age>(json!("x")).is_err());
}
