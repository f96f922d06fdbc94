//! Polymorphic values: a declared type or any of its derived types,
//! resolved by the type tag of the payload.
//!
//! Generated code has one enum per base type that has derived types, with a
//! variant for the base, one per derived type, and `Unknown` for tags this
//! crate version does not know (everything kept, including the tag).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Error as _, MapAccess, Visitor};
use serde::{Deserializer, Serializer};
use serde_json::map::Entry;
use serde_json::{Map, Value};

/// A generated polymorphic enum.
pub trait Polymorphic: Sized {
    /// Qualified names of the variants; index 0 is the declared type.
    const TYPES: &'static [&'static str];
    /// Namespace aliases usable in tags: `(alias, namespace)`.
    const ALIASES: &'static [(&'static str, &'static str)];
    /// Builds the variant for `index` (`None`: unknown type) from the rest of an object whose
    /// first members, `read`, were read to find the type, without buffering it: an
    /// implementation reads each variant with [`crate::de_variant_after_tag`]. The one `match`
    /// over the variants a generated enum has.
    fn read_variant_from<'de, A: MapAccess<'de>>(
        index: Option<usize>,
        read: Leading,
        map: A,
    ) -> Result<Self, A::Error>;
    /// Builds the variant for `index` (`None`: unknown type) from the buffered object (a tag
    /// that did not come first): through [`Polymorphic::read_variant_from`], over the
    /// buffered members.
    fn read_variant(index: Option<usize>, value: Value) -> Result<Self, serde_json::Error> {
        struct Rest<P>(Option<usize>, PhantomData<P>);
        impl<'de, P: Polymorphic> Visitor<'de> for Rest<P> {
            type Value = P;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<P, A::Error> {
                P::read_variant_from(self.0, Leading::none(), map)
            }
        }
        value.deserialize_map(Rest(index, PhantomData))
    }
    /// Writes the value, with the type tag where the variant needs one.
    fn write_variant<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;
}

/// The type tag of an object: `@odata.type` (V4), `odata.type` (V3) or
/// `__metadata.type` (V2).
pub(crate) fn find_tag(map: &Map<String, Value>) -> Option<&str> {
    if let Some(t) = map.get("@odata.type").or_else(|| map.get("odata.type")) {
        return t.as_str();
    }
    map.get("__metadata")?.get("type")?.as_str()
}

/// The index in `P::TYPES` named by a type tag, trying in turn: the exact
/// name (after stripping a leading `#`), the name with a namespace alias
/// resolved, and both ASCII-case-insensitively.
pub fn tag_index<P: Polymorphic>(tag: &str) -> Option<usize> {
    let tag = tag.strip_prefix('#').unwrap_or(tag);
    let exact = |t: &str| P::TYPES.iter().position(|n| *n == t);
    let loose = |t: &str| P::TYPES.iter().position(|n| n.eq_ignore_ascii_case(t));
    let resolved = P::ALIASES.iter().find_map(|(alias, ns)| {
        let rest = tag.strip_prefix(alias)?.strip_prefix('.')?;
        Some(format!("{ns}.{rest}"))
    });
    exact(tag)
        .or_else(|| resolved.as_deref().and_then(exact))
        .or_else(|| loose(tag))
        .or_else(|| resolved.as_deref().and_then(loose))
}

/// Deserializes a [`Polymorphic`] value: buffers the object, resolves the
/// tag (absent: the declared type) and builds the variant.
///
/// When the tag comes first, as OData JSON writes it (`@odata.type`, after `@odata.context`
/// if any), the object is not buffered: [`Polymorphic::read_variant_from`] reads the rest.
pub fn de_polymorphic<'de, P: Polymorphic, D: Deserializer<'de>>(d: D) -> Result<P, D::Error> {
    d.deserialize_map(PolyVisitor(PhantomData))
}

struct PolyVisitor<P>(PhantomData<P>);

impl<'de, P: Polymorphic> Visitor<'de> for PolyVisitor<P> {
    type Value = P;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<P, A::Error> {
        // Only `@odata.type` (after `@odata.context`, as OData JSON writes them) leads without
        // buffering: a V3 `odata.type` or V2 `__metadata` gives way to an `@odata.type` that
        // comes later (see `find_tag`).
        let mut context = None;
        let mut other = None;
        while let Some(k) = access.next_key::<String>()? {
            let v: Value = access.next_value()?;
            if k == "@odata.type" {
                let index = match v.as_str() {
                    None => Some(0),
                    Some(tag) => tag_index::<P>(tag),
                };
                let read = Leading {
                    context,
                    tag: Some((k, v)),
                };
                return P::read_variant_from(index, read, access);
            }
            if k == "@odata.context" && context.is_none() {
                context = Some((k, v));
            } else {
                other = Some((k, v));
                break;
            }
        }
        let mut buffer = Buffer(buffer_for(&access));
        for (k, v) in context.into_iter().chain(other) {
            buffer.add(k, v)?;
        }
        let map = buffer.visit_map(access)?;
        let index = match find_tag(&map) {
            None => Some(0),
            Some(tag) => tag_index::<P>(tag),
        };
        P::read_variant(index, Value::Object(map)).map_err(A::Error::custom)
    }
}

/// The members of an object read to find its type ([`Polymorphic::read_variant_from`]): its
/// `@odata.context`, if it came first, and its type tag.
#[derive(Debug)]
pub struct Leading {
    context: Option<(String, Value)>,
    tag: Option<(String, Value)>,
}

impl Leading {
    /// Nothing read before the rest (a buffered object, read whole).
    fn none() -> Self {
        Leading {
            context: None,
            tag: None,
        }
    }

    /// The members (keys and values), in the order read.
    pub fn into_members(self) -> impl Iterator<Item = (String, Value)> {
        self.context.into_iter().chain(self.tag)
    }
}

/// An empty buffer for the members of `map`, with room for the usual number.
fn buffer_for<'de, A: MapAccess<'de>>(map: &A) -> Map<String, Value> {
    Map::with_capacity(map.size_hint().map_or(16, |n| n.min(64)))
}

/// Buffers (the rest of) an object after what it holds, rejecting duplicate keys (which
/// `serde_json::Map` would silently collapse) just as reading a struct directly does.
struct Buffer(Map<String, Value>);

impl Buffer {
    /// Adds a member; a key already there is an error. One lookup (one hash of the key) for
    /// the check and the insertion.
    fn add<E: serde::de::Error>(&mut self, k: String, v: Value) -> Result<(), E> {
        match self.0.entry(k) {
            Entry::Vacant(slot) => {
                slot.insert(v);
                Ok(())
            }
            Entry::Occupied(slot) => {
                let k = slot.key();
                Err(E::custom(format_args!("duplicate property `{k}`")))
            }
        }
    }
}

impl<'de> Visitor<'de> for Buffer {
    type Value = Map<String, Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut buffer = self;
        while let Some(k) = access.next_key::<String>()? {
            let v: Value = access.next_value()?;
            buffer.add(k, v)?;
        }
        Ok(buffer.0)
    }
}

/// Implements `Serialize`/`Deserialize` for a [`Polymorphic`] enum.
#[macro_export]
macro_rules! impl_polymorphic_serde {
    ($t:ty) => {
        impl $crate::serde::Serialize for $t {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                s: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                <$t as $crate::Polymorphic>::write_variant(self, s)
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $t {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::de_polymorphic(d)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use serde::de::MapAccess;
    use serde_json::{Value, json};

    use crate::{Extra, Polymorphic, StructInfo, Structured, Version};

    macro_rules! entity {
        ($t:ident, $name:literal, [$($field:ident: $ty:ty = $wire:literal),*], $sorted:expr) => {
            #[derive(Clone, Default, PartialEq)]
            struct $t {
                $($field: Option<$ty>,)*
                extra: Extra,
            }
            unsafe impl Structured for $t {
                const INFO: &'static StructInfo = &StructInfo {
                    name: $name,
                    fields: &[$($wire),*],
                    sorted: $sorted,
                    open: true,
                    version: Version::V4,
                    extra: ::core::mem::offset_of!(Self, extra),
                    entity: true,
                    read_only: &[],
                    immutable: &[],
                    navigation: &[],
                };
                unsafe fn field<O: crate::FieldOp>(
                    this: *mut Self,
                    index: usize,
                    op: &mut O,
                ) -> Result<bool, O::Error> {
                    let mut i = 0;
                    $(
                        if index == i {
                            // SAFETY: a field of `*this`, which the caller hands over (the
                            // trait's contract).
                            return unsafe { op.plain(&raw mut (*this).$field) };
                        }
                        i += 1;
                    )*
                    let _ = i;
                    op.unknown()
                }
            }
            crate::impl_structured!($t);
        };
    }

    entity!(Base, "ns.base", [id: String = "id"], &[0]);
    entity!(
        Derived,
        "ns.derived",
        [id: String = "id", size: i32 = "size", tags: Vec<String> = "tags"],
        &[0, 1, 2]
    );

    /// A polymorphic value read without buffering when the tag leads (as generated code
    /// that overrides `read_variant_from` does).
    #[derive(Debug, PartialEq)]
    enum Direct {
        Base(Box<Base>),
        Derived(Box<Derived>),
        Unknown(Box<Base>),
    }

    impl Polymorphic for Direct {
        const TYPES: &'static [&'static str] = &["ns.base", "ns.derived"];
        const ALIASES: &'static [(&'static str, &'static str)] = &[("n", "ns")];
        fn read_variant_from<'de, A: MapAccess<'de>>(
            index: Option<usize>,
            read: crate::poly::Leading,
            map: A,
        ) -> Result<Self, A::Error> {
            match index {
                Some(0) => crate::de_variant_after_tag(read, map, Self::Base),
                Some(1) => crate::de_variant_after_tag(read, map, Self::Derived),
                _ => crate::de_variant_after_tag(read, map, Self::Unknown),
            }
        }
        fn write_variant<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                Self::Base(v) => crate::ser_struct(&**v, s),
                Self::Derived(v) => crate::ser_tagged(&**v, s),
                Self::Unknown(v) => crate::ser_struct(&**v, s),
            }
        }
    }
    crate::impl_polymorphic_serde!(Direct);

    /// The same, always buffered (the provided `read_variant`, over the buffered members).
    #[derive(Debug, PartialEq)]
    struct Buffered(Direct);

    impl Polymorphic for Buffered {
        const TYPES: &'static [&'static str] = Direct::TYPES;
        const ALIASES: &'static [(&'static str, &'static str)] = Direct::ALIASES;
        fn read_variant_from<'de, A: MapAccess<'de>>(
            index: Option<usize>,
            read: crate::poly::Leading,
            map: A,
        ) -> Result<Self, A::Error> {
            use serde::de::{Error as _, Visitor as _};
            let mut buffer = super::Buffer(serde_json::Map::new());
            for (k, v) in read.into_members() {
                buffer.add(k, v)?;
            }
            let buffered = buffer.visit_map(map)?;
            Direct::read_variant(index, Value::Object(buffered))
                .map(Buffered)
                .map_err(A::Error::custom)
        }
        fn write_variant<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            self.0.write_variant(s)
        }
    }
    crate::impl_polymorphic_serde!(Buffered);

    fn changed(v: &Direct) -> Vec<&'static str> {
        match v {
            Direct::Base(b) | Direct::Unknown(b) => b.changed_properties(),
            Direct::Derived(d) => d.changed_properties(),
        }
    }

    /// What generated structs get from `impl_structured!` (no derive): `Debug` lists the
    /// properties with a value and what `extra` keeps. (Equality is derived; `Extra`'s is of
    /// the data, not of where it came from.)
    #[test]
    fn debug_and_equality_through_the_description() {
        let d = Derived {
            id: Some("a".into()),
            tags: Some(vec!["x".into(), "y\"z".into()]),
            ..Default::default()
        };
        assert_eq!(
            format!("{d:?}"),
            r#"Derived { id: "a", tags: ["x","y\"z"] }"#
        );
        let mut read: Derived =
            serde_json::from_value(json!({"id": "a", "tags": ["x", "y\"z"], "size": null, "k": 1}))
                .unwrap();
        assert_eq!(
            format!("{read:?}"),
            r#"Derived { id: "a", tags: ["x","y\"z"], size: null, k: 1 }"#
        );
        assert_ne!(read, d, "an explicit null and a dynamic property are data");
        read.extra.dynamic.clear();
        read.extra.clear_null("size");
        assert_eq!(read, d, "equal data; having been read does not count");
        read.size = Some(3);
        assert_ne!(read, d);
        let mut other = d.clone();
        other.size = Some(3);
        assert_eq!(read, other);
        other.tags.as_mut().unwrap().pop();
        assert_ne!(read, other);
        assert_eq!(Derived::default(), Derived::default());
        assert_eq!(format!("{:?}", Base::default()), "Base");
    }

    #[test]
    fn reading_with_the_tag_first_is_reading_buffered() {
        let cases = [
            json!({"@odata.type": "#ns.derived", "id": "a", "size": 3, "tags": ["x"]}),
            json!({"@odata.type": "#n.derived", "size": null, "id": "a", "extra": {"k": 1}}),
            json!({"@odata.type": "#NS.DERIVED", "@odata.etag": "W/1", "id@odata.type": "#String"}),
            json!({"@odata.type": "#ns.base", "id": "b"}),
            json!({"@odata.type": "#ns.other", "id": "c", "colour": "red"}),
            json!({"@odata.type": 7, "id": "d"}),
            json!({"@odata.context": "$metadata#x/$entity", "@odata.type": "#ns.derived", "id": "e"}),
            json!({"id": "f", "@odata.type": "#ns.derived", "size": 1}),
            json!({"odata.type": "ns.derived", "@odata.type": "#ns.base", "id": "g"}),
            json!({"id": "h"}),
            json!({"@odata.context": "c", "id": "i", "@odata.type": "#ns.derived"}),
            json!({"@odata.context": "c"}),
            json!({}),
        ];
        for case in cases {
            let text = case.to_string();
            let direct: Direct = serde_json::from_str(&text).unwrap();
            let buffered: Buffered = serde_json::from_str(&text).unwrap();
            assert_eq!(direct, buffered.0, "{text}");
            assert_eq!(
                serde_json::to_string(&direct).unwrap(),
                serde_json::to_string(&buffered).unwrap(),
                "{text}"
            );
            assert!(changed(&direct).is_empty(), "{text}");
            // Also from a tree (not JSON text).
            let from_tree: Direct = serde_json::from_value(case.clone()).unwrap();
            assert_eq!(from_tree, direct, "{text}");
        }
        let text = r##"{"@odata.type":"#ns.derived","id":"a","size":3}"##;
        let Direct::Derived(mut d) = serde_json::from_str(text).unwrap() else {
            panic!("not derived")
        };
        d.size = Some(4);
        assert_eq!(d.changed_properties(), ["size"]);
    }

    /// After an update, the outcome's tag replaces the read one and the state sent becomes the
    /// baseline: the next update sends only what changes after it.
    #[test]
    fn an_update_outcome_brings_the_value_up_to_date() {
        let text = r##"{"@odata.type":"#ns.derived","@odata.etag":"W/1","id":"a","size":3}"##;
        let Direct::Derived(mut d) = serde_json::from_str(text).unwrap() else {
            panic!("not derived")
        };
        d.size = Some(4);
        assert_eq!(d.changed_properties(), ["size"]);
        assert!(crate::Updated::new(Some("W/2".into())).apply_to(&mut *d));
        assert_eq!(d.extra.etag(), Some("W/2"));
        assert!(d.changed_properties().is_empty());
        assert_eq!(
            d.extra.annotations.len(),
            2,
            "replaced, not added: {:?}",
            d.extra
        );
        d.tags = Some(vec!["x".into()]);
        assert_eq!(d.changed_properties(), ["tags"]);
        // A service that answers without a tag: the one the value has is kept.
        assert!(!crate::Updated::default().apply_to(&mut *d), "no new tag");
        assert_eq!(d.extra.etag(), Some("W/2"));
        assert!(d.changed_properties().is_empty());
    }

    #[test]
    fn repeated_keys_are_rejected_with_the_tag_first_too() {
        for text in [
            r##"{"@odata.type":"#ns.derived","id":"a","id":"b"}"##,
            r##"{"@odata.type":"#ns.derived","@odata.type":"#ns.base"}"##,
            r##"{"@odata.type":"#ns.derived","x":1,"x":2}"##,
            r##"{"@odata.type":"#ns.derived","@odata.etag":"1","@odata.etag":"2"}"##,
            r##"{"id":"a","@odata.type":"#ns.derived","id":"b"}"##,
            r##"{"@odata.context":"c","@odata.type":"#ns.derived","@odata.context":"d"}"##,
            r##"{"@odata.context":"c","@odata.context":"d","@odata.type":"#ns.derived"}"##,
        ] {
            assert!(serde_json::from_str::<Direct>(text).is_err(), "{text}");
            assert!(serde_json::from_str::<Buffered>(text).is_err(), "{text}");
        }
        // Errors in a variant read directly say where.
        let err = serde_json::from_str::<Direct>(r##"{"@odata.type":"#ns.derived","size":"x"}"##)
            .unwrap_err()
            .to_string();
        assert!(err.contains("property `size` of `ns.derived`"), "{err}");
        assert!(err.contains("column"), "{err}");
    }
}
