//! Table-driven (de)serialization of entity and complex types.
//!
//! A generated struct implements [`Structured`]: a static [`StructInfo`]
//! plus `read_field`/`write_field`, which are plain `match`es over the field
//! index. [`de_struct`] and [`ser_struct`] do the rest once, generically.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::ser::{self, SerializeMap};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::Version;
use crate::codec::{Codec, Nullable, SerializeWith};

/// Static description of a generated structured type.
#[derive(Debug)]
pub struct StructInfo {
    /// Namespace-qualified EDM name, e.g. `microsoft.graph.user`.
    pub name: &'static str,
    /// Wire names of the declared properties, in field order.
    pub fields: &'static [&'static str],
    /// Indices into `fields`, ordered by wire name (byte order), so lookups
    /// are a binary search without a hash map per type.
    pub sorted: &'static [u16],
    /// Whether the type is an `OpenType` (dynamic properties allowed).
    pub open: bool,
    /// Protocol version of the service the type comes from.
    pub version: Version,
}

impl StructInfo {
    /// The index (into `fields`) of the property with wire name `key`.
    pub fn lookup(&self, key: &str) -> Option<usize> {
        self.sorted
            .binary_search_by(|&i| self.fields[usize::from(i)].cmp(key))
            .ok()
            .map(|p| usize::from(self.sorted[p]))
    }

    /// Checks that `sorted` is a permutation of the field indices in wire
    /// name order; meant for tests of generated code.
    pub fn validate(&self) -> Result<(), String> {
        if self.sorted.len() != self.fields.len() {
            return Err(format!("{}: `sorted` has the wrong length", self.name));
        }
        let mut seen = vec![false; self.fields.len()];
        for &i in self.sorted {
            let i = usize::from(i);
            if i >= self.fields.len() || std::mem::replace(&mut seen[i], true) {
                return Err(format!("{}: `sorted` is not a permutation", self.name));
            }
        }
        for w in self.sorted.windows(2) {
            if self.fields[usize::from(w[0])] >= self.fields[usize::from(w[1])] {
                return Err(format!(
                    "{}: `sorted` is not in byte order at `{}`",
                    self.name,
                    self.fields[usize::from(w[1])]
                ));
            }
        }
        Ok(())
    }
}

/// Everything in a payload that is not a declared, non-null property.
///
/// Kept so that writing a value back loses nothing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extra {
    /// Instance and property annotations (`@odata.etag`,
    /// `displayName@odata.type`, V3 `odata.metadata`, V2 `__metadata`), in
    /// the order read.
    pub annotations: Vec<(String, Value)>,
    /// Dynamic properties of open types, and properties unknown to this
    /// crate version.
    pub dynamic: serde_json::Map<String, Value>,
    /// Properties that were (or should be written as) an explicit `null`.
    pub nulls: Vec<&'static str>,
}

impl Extra {
    /// Marks `name` to be written as an explicit `null` when its field is
    /// `None` (e.g. to clear a property in a `PATCH`).
    pub fn set_null(&mut self, name: &'static str) {
        if !self.is_null(name) {
            self.nulls.push(name);
        }
    }

    /// Whether `name` is marked as an explicit `null`.
    pub fn is_null(&self, name: &str) -> bool {
        self.nulls.contains(&name)
    }

    /// Removes the explicit-`null` mark of `name`.
    pub fn clear_null(&mut self, name: &str) {
        self.nulls.retain(|n| *n != name);
    }

    /// The value of the first annotation with exactly this key.
    pub fn annotation(&self, key: &str) -> Option<&Value> {
        self.annotations
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Sets (replacing) or adds an annotation.
    pub fn set_annotation(&mut self, key: impl Into<String>, value: Value) {
        let key = key.into();
        match self.annotations.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.annotations.push((key, value)),
        }
    }

    /// The type tag as written (`@odata.type`, `odata.type` or
    /// `__metadata.type`), without any processing.
    pub fn odata_type(&self) -> Option<&str> {
        self.tagged("type")
    }

    /// The entity tag (`@odata.etag`, `odata.etag` or `__metadata.etag`).
    pub fn etag(&self) -> Option<&str> {
        self.tagged("etag")
    }

    fn tagged(&self, what: &str) -> Option<&str> {
        self.annotations.iter().find_map(|(k, v)| {
            let hit = match k.strip_prefix('@').unwrap_or(k).strip_prefix("odata.") {
                Some(rest) => rest == what,
                None if k == "__metadata" => return v.get(what)?.as_str(),
                None => false,
            };
            if hit { v.as_str() } else { None }
        })
    }
}

/// A generated entity or complex type.
///
/// Implemented by generated code; see the crate docs for the shape.
pub trait Structured: Default + Sized {
    /// The static description of the type.
    const INFO: &'static StructInfo;
    /// Indices (into `INFO.fields`, ascending) of the read-only properties
    /// (`Core.Computed`, or `Core.Permissions` `Read`): set by the service,
    /// left out of create and update bodies.
    const READ_ONLY: &'static [u16] = &[];
    /// Indices (ascending) of the `Core.Immutable` properties: written when
    /// creating, left out of update bodies.
    const IMMUTABLE: &'static [u16] = &[];
    /// The kept annotations, dynamic properties and explicit nulls.
    fn extra(&self) -> &Extra;
    /// Mutable access to [`Structured::extra`].
    fn extra_mut(&mut self) -> &mut Extra;
    /// Reads the value of field `index` from `map`; `Ok(true)` if it was
    /// `null`.
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
    ) -> Result<bool, A::Error>;
    /// Writes field `index` under `name` if it has a value; `Ok(true)` if
    /// an entry was written.
    fn write_field<M: SerializeMap>(
        &self,
        index: usize,
        name: &'static str,
        map: &mut M,
    ) -> Result<bool, M::Error>;
}

/// Reads a plain serde value into `slot`; returns whether it was `null`.
pub fn read<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<bool, A::Error> {
    *slot = map.next_value::<Option<T>>()?;
    Ok(slot.is_none())
}

/// Reads a value through codec `C` into `slot`; returns whether it was
/// `null`.
pub fn read_as<'de, C: Codec, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<C::Value>,
) -> Result<bool, A::Error> {
    *slot = map.next_value_seed(crate::codec::Seed::<Nullable<C>>(PhantomData))?;
    Ok(slot.is_none())
}

/// Consumes and discards the next value; always `Ok(false)`.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<bool, A::Error> {
    map.next_value::<de::IgnoredAny>()?;
    Ok(false)
}

/// Writes `name: value` if `slot` is `Some`; returns whether it wrote.
pub fn write<M: SerializeMap, T: Serialize>(
    map: &mut M,
    name: &'static str,
    slot: &Option<T>,
) -> Result<bool, M::Error> {
    match slot {
        Some(v) => map.serialize_entry(name, v).map(|()| true),
        None => Ok(false),
    }
}

/// Writes `name: value` through codec `C` if `slot` is `Some`; returns
/// whether it wrote.
pub fn write_as<C: Codec, M: SerializeMap>(
    map: &mut M,
    name: &'static str,
    slot: &Option<C::Value>,
) -> Result<bool, M::Error> {
    match slot {
        Some(v) => map
            .serialize_entry(name, &SerializeWith::<C>::new(v))
            .map(|()| true),
        None => Ok(false),
    }
}

/// Whether a key is an annotation (kept in [`Extra::annotations`]) rather
/// than a property.
pub(crate) fn is_annotation(key: &str) -> bool {
    key.contains('@') || key.starts_with("odata.") || key == "__metadata"
}

/// A classified map key: a declared field, or anything else (owned,
/// because it is stored in [`Extra`]).
enum Key {
    Field(usize),
    Other(String),
}

struct KeySeed(&'static StructInfo);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a property name")
    }
    // Known keys are resolved here, on the borrowed text, so they never
    // allocate.
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(match self.0.lookup(v) {
            Some(i) => Key::Field(i),
            None => Key::Other(v.to_owned()),
        })
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
        Ok(match self.0.lookup(&v) {
            Some(i) => Key::Field(i),
            None => Key::Other(v),
        })
    }
}

/// Bit set of fields already seen, to reject duplicate keys. Inline for
/// the common case; types with more than 256 properties spill to the heap.
struct Seen {
    inline: [u64; 4],
    heap: Vec<u64>,
}

impl Seen {
    fn new(n: usize) -> Self {
        let words = n.div_ceil(64);
        Seen {
            inline: [0; 4],
            heap: if words > 4 {
                vec![0; words]
            } else {
                Vec::new()
            },
        }
    }
    /// Marks `i`; returns whether it was already marked.
    fn mark(&mut self, i: usize) -> bool {
        let words = if self.heap.is_empty() {
            &mut self.inline[..]
        } else {
            &mut self.heap[..]
        };
        let (w, b) = (i / 64, 1u64 << (i % 64));
        let was = words[w] & b != 0;
        words[w] |= b;
        was
    }
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: Structured> Visitor<'de> for StructVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object of type `{}`", T::INFO.name)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let info = T::INFO;
        let mut out = T::default();
        let mut seen = Seen::new(info.fields.len());
        while let Some(key) = map.next_key_seed(KeySeed(info))? {
            match key {
                Key::Field(i) => {
                    let name = info.fields[i];
                    if seen.mark(i) {
                        return Err(de::Error::custom(format_args!(
                            "duplicate property `{name}` in `{}`",
                            info.name
                        )));
                    }
                    // The prefix names the property; serde_json re-parses a
                    // trailing "at line L column C" of the inner message, so
                    // the position survives the wrapping.
                    let null = out.read_field(i, &mut map).map_err(|e| {
                        de::Error::custom(format_args!("property `{name}` of `{}`: {e}", info.name))
                    })?;
                    if null {
                        out.extra_mut().nulls.push(name);
                    }
                }
                Key::Other(k) => {
                    let v: Value = map.next_value()?;
                    let extra = out.extra_mut();
                    if is_annotation(&k) {
                        extra.annotations.push((k, v));
                    } else {
                        extra.dynamic.insert(k, v);
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Deserializes a [`Structured`] type from a map.
pub fn de_struct<'de, T: Structured, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_map(StructVisitor(PhantomData))
}

/// Serializes a [`Structured`] type: annotations, fields in order (with
/// kept explicit nulls), other explicit nulls, then dynamic properties.
pub fn ser_struct<T: Structured, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(None)?;
    for (k, a) in &v.extra().annotations {
        map.serialize_entry(k, a)?;
    }
    write_body(v, &mut map)?;
    map.end()
}

/// What a value is being written for: which properties are left out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Purpose {
    /// All of it (a round trip, an action parameter).
    #[default]
    Data,
    /// A create body (`POST` to a collection): no read-only properties.
    Create,
    /// An update body (`PATCH`, `MERGE`, `PUT`): no read-only or immutable properties.
    Update,
}

thread_local! {
    static PURPOSE: std::cell::Cell<Purpose> = const { std::cell::Cell::new(Purpose::Data) };
}

/// Runs `f` (which serializes) with values written for `purpose`, nested values included;
/// the previous purpose is restored afterwards, also if `f` panics.
pub fn with_purpose<R>(purpose: Purpose, f: impl FnOnce() -> R) -> R {
    struct Restore(Purpose);
    impl Drop for Restore {
        fn drop(&mut self) {
            PURPOSE.with(|p| p.set(self.0));
        }
    }
    let _restore = Restore(PURPOSE.with(|p| p.replace(purpose)));
    f()
}

/// Whether field `i` of `T` is left out when writing for the current purpose.
fn left_out<T: Structured>(purpose: Purpose, i: usize) -> bool {
    let has = |list: &[u16]| list.binary_search(&(i as u16)).is_ok();
    match purpose {
        Purpose::Data => false,
        Purpose::Create => has(T::READ_ONLY),
        Purpose::Update => has(T::READ_ONLY) || has(T::IMMUTABLE),
    }
}

fn write_body<T: Structured, M: SerializeMap>(v: &T, map: &mut M) -> Result<(), M::Error> {
    let info = T::INFO;
    let extra = v.extra();
    let purpose = PURPOSE.with(|p| p.get());
    for (i, &name) in info.fields.iter().enumerate() {
        if left_out::<T>(purpose, i) {
            continue;
        }
        if !v.write_field(i, name, map)? && extra.is_null(name) {
            map.serialize_entry(name, &())?;
        }
    }
    for &name in &extra.nulls {
        if info.lookup(name).is_none() && !extra.dynamic.contains_key(name) {
            map.serialize_entry(name, &())?;
        }
    }
    for (k, d) in &extra.dynamic {
        map.serialize_entry(k, d)?;
    }
    Ok(())
}

fn is_tag_key(k: &str) -> bool {
    k == "@odata.type" || k == "odata.type"
}

/// Whether a kept tag still names `name`: the same final segment (case
/// insensitive), so an alias-qualified or differently-cased tag that was
/// read into this type is written back exactly as read.
fn tag_names(tag: &str, name: &str) -> bool {
    let tag = tag.strip_prefix('#').unwrap_or(tag);
    let last = |s: &str| s.rsplit('.').next().unwrap_or(s).to_owned();
    tag.eq_ignore_ascii_case(name) || last(tag).eq_ignore_ascii_case(&last(name))
}

/// Like [`ser_struct`], but writes the type tag first (after the context annotation, if any).
///
/// V4 writes `"@odata.type": "#ns.Type"`, V3 and V2 `"odata.type":
/// "ns.Type"`. A tag kept in [`Extra`] is not written again; if it still
/// names this type its spelling (alias, case, key) is reused so a read
/// value is written back unchanged. A V2 value that was read with a
/// `__metadata` object gets its `type` set there instead of a separate tag.
pub fn ser_tagged<T: Structured, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    let info = T::INFO;
    let extra = v.extra();
    let mut map = s.serialize_map(None)?;
    let kept = extra
        .annotations
        .iter()
        .find(|(k, _)| is_tag_key(k))
        .and_then(|(k, t)| Some((k.as_str(), t.as_str()?)))
        .filter(|(_, t)| tag_names(t, info.name));
    let v2_meta = info.version == Version::V2
        && kept.is_none()
        && extra
            .annotations
            .iter()
            .any(|(k, m)| k == "__metadata" && m.is_object());
    // The context annotation comes first in OData JSON, the type tag right after it.
    let is_context = |k: &str| k == "@odata.context" || k == "odata.metadata";
    for (k, a) in &extra.annotations {
        if is_context(k) {
            map.serialize_entry(k, a)?;
        }
    }
    match kept {
        Some((k, t)) => map.serialize_entry(k, t)?,
        None if v2_meta => {}
        None if info.version == Version::V4 => {
            map.serialize_entry("@odata.type", &format_args!("#{}", info.name))?
        }
        None => map.serialize_entry("odata.type", info.name)?,
    }
    for (k, a) in &extra.annotations {
        if is_tag_key(k) || is_context(k) {
            continue;
        }
        if v2_meta && k == "__metadata" {
            map.serialize_entry(k, &MetadataWithType(a, info.name))?;
        } else {
            map.serialize_entry(k, a)?;
        }
    }
    write_body(v, &mut map)?;
    map.end()
}

/// A V2 `__metadata` object with its `type` replaced.
struct MetadataWithType<'a>(&'a Value, &'static str);

impl Serialize for MetadataWithType<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Some(obj) = self.0.as_object() else {
            return Err(ser::Error::custom("`__metadata` is not an object"));
        };
        let mut map = s.serialize_map(None)?;
        let mut typed = false;
        for (k, v) in obj {
            if k == "type" {
                typed = true;
                map.serialize_entry(k, self.1)?;
            } else {
                map.serialize_entry(k, v)?;
            }
        }
        if !typed {
            map.serialize_entry("type", self.1)?;
        }
        map.end()
    }
}

/// Implements `Serialize` and `Deserialize` for a [`Structured`] type via
/// [`ser_struct`] and [`de_struct`].
#[macro_export]
macro_rules! impl_structured_serde {
    ($t:ty) => {
        impl $crate::serde::Serialize for $t {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                s: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::ser_struct(self, s)
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $t {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::de_struct(d)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_inline_and_heap() {
        for n in [1, 64, 256, 257, 1000] {
            let mut s = Seen::new(n);
            for i in (0..n).rev() {
                assert!(!s.mark(i));
            }
            for i in 0..n {
                assert!(s.mark(i));
            }
        }
    }

    #[test]
    fn annotation_keys() {
        for k in [
            "@odata.etag",
            "displayName@odata.type",
            "odata.metadata",
            "__metadata",
        ] {
            assert!(is_annotation(k), "{k}");
        }
        for k in ["odataType", "__deferred", "id", "metadata"] {
            assert!(!is_annotation(k), "{k}");
        }
    }

    #[test]
    fn extra_helpers() {
        let mut e = Extra::default();
        e.annotations.push((
            "__metadata".into(),
            serde_json::json!({"type": "A.B", "etag": "W/1"}),
        ));
        assert_eq!(e.odata_type(), Some("A.B"));
        assert_eq!(e.etag(), Some("W/1"));
        e.set_annotation("odata.etag", "W/2".into());
        e.set_annotation("odata.etag", "W/3".into());
        assert_eq!(e.annotations.len(), 2);
        assert_eq!(e.annotation("odata.etag"), Some(&Value::from("W/3")));
        let mut e = Extra::default();
        e.set_annotation("@odata.type", "#x.Y".into());
        assert_eq!(e.odata_type(), Some("#x.Y"));
        assert_eq!(e.etag(), None);
    }

    #[test]
    fn tag_matching() {
        assert!(tag_names("#graph.user", "microsoft.graph.user"));
        assert!(tag_names(
            "Microsoft.DirectoryServices.User",
            "microsoft.directoryservices.user"
        ));
        assert!(!tag_names("#microsoft.graph.group", "microsoft.graph.user"));
    }
}
