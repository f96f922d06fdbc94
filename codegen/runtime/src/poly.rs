//! Polymorphic values: a declared type or any of its derived types,
//! resolved by the type tag of the payload.
//!
//! Generated code has one enum per base type that has derived types, with a
//! variant for the base, one per derived type, and `Unknown` for tags this
//! crate version does not know (everything kept, including the tag).

use std::fmt;

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
    /// Builds the variant for `index` (`None`: unknown type) from the
    /// buffered object.
    fn read_variant(index: Option<usize>, value: Value) -> Result<Self, serde_json::Error>;
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
pub fn de_polymorphic<'de, P: Polymorphic, D: Deserializer<'de>>(d: D) -> Result<P, D::Error> {
    let map = d.deserialize_map(Buffer)?;
    let index = match find_tag(&map) {
        None => Some(0),
        Some(tag) => tag_index::<P>(tag),
    };
    P::read_variant(index, Value::Object(map)).map_err(D::Error::custom)
}

/// Buffers an object, rejecting duplicate keys (which `serde_json::Map`
/// would silently collapse) just as reading a struct directly does.
struct Buffer;

impl<'de> Visitor<'de> for Buffer {
    type Value = Map<String, Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        // Room for the usual number of members: no rehashing as a typical object is read.
        let mut map = Map::with_capacity(access.size_hint().map_or(16, |n| n.min(64)));
        while let Some(k) = access.next_key::<String>()? {
            let v: Value = access.next_value()?;
            // One lookup (one hash of the key) for the check and the insertion.
            match map.entry(k) {
                Entry::Vacant(slot) => {
                    slot.insert(v);
                }
                Entry::Occupied(slot) => {
                    let k = slot.key();
                    return Err(A::Error::custom(format_args!("duplicate property `{k}`")));
                }
            }
        }
        Ok(map)
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
