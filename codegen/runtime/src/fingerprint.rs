//! A `serde::Serializer` that hashes what it is given, for the fingerprints change tracking keeps
//! of the entities it reads ([`crate::Structured`]).
//!
//! Hashing the serde data model directly (a tag byte per item, then the item's bytes) is several
//! times cheaper than writing JSON text and hashing it: no escaping, no number formatting, no
//! buffer. Two values hash alike when they serialize alike, which is what an update compares.

use std::fmt;
use std::hash::Hasher;

use serde::ser::{self, Serialize};

/// The hasher: `foldhash` with a fixed seed. Fingerprints are compared within one process only,
/// and a collision (two different values of one property hashing alike) would only leave that
/// change out of an update; nothing an outsider can steer.
pub(crate) fn hasher() -> foldhash::fast::FoldHasher<'static> {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x0da7_a5ee_d0f0_0d11).build_hasher()
}

/// The hash of `value`, `None` when it cannot be serialized.
pub(crate) fn hash<T: Serialize + ?Sized>(value: &T) -> Option<u64> {
    let mut h = HashSer(hasher());
    value.serialize(&mut h).ok()?;
    Some(h.0.finish())
}

/// The hash of the values `write` writes into a map (the keys are not hashed) and what `write`
/// returned, `None` when a value cannot be serialized. For a property's fingerprint: the
/// caller knows which property it is, so hashing its name again is work for nothing.
pub(crate) fn hash_entry(
    write: impl FnOnce(&mut ValuesOnly) -> Result<bool, Unhashable>,
) -> Option<(u64, bool)> {
    let mut h = HashSer(hasher());
    let wrote = write(&mut ValuesOnly(&mut h)).ok()?;
    Some((h.0.finish(), wrote))
}

/// A map that hashes only the values written into it.
pub(crate) struct ValuesOnly<'a>(&'a mut HashSer);

impl ser::SerializeMap for ValuesOnly<'_> {
    type Ok = ();
    type Error = Unhashable;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, _: &T) -> R {
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        v.serialize(&mut *self.0)
    }
    fn end(self) -> R {
        Ok(())
    }
}

/// A value that could not be serialized (its error message is not kept).
#[derive(Debug)]
pub(crate) struct Unhashable;

impl fmt::Display for Unhashable {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the value cannot be serialized")
    }
}

impl std::error::Error for Unhashable {}

impl ser::Error for Unhashable {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unhashable
    }
}

pub(crate) struct HashSer(foldhash::fast::FoldHasher<'static>);

impl HashSer {
    fn tag(&mut self, t: u8) {
        self.0.write_u8(t);
    }
    fn bytes(&mut self, t: u8, b: &[u8]) {
        self.0.write_u8(t);
        self.0.write_usize(b.len());
        self.0.write(b);
    }
}

type R = Result<(), Unhashable>;

impl ser::Serializer for &mut HashSer {
    type Ok = ();
    type Error = Unhashable;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> R {
        self.tag(1 + u8::from(v));
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> R {
        self.tag(3);
        self.0.write_i64(v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> R {
        self.tag(4);
        self.0.write_i128(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> R {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> R {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> R {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> R {
        self.tag(5);
        self.0.write_u64(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> R {
        self.tag(6);
        self.0.write_u128(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> R {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> R {
        self.tag(7);
        self.0.write_u64(v.to_bits());
        Ok(())
    }
    fn serialize_char(self, v: char) -> R {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> R {
        self.bytes(8, v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        self.bytes(9, v);
        Ok(())
    }
    fn serialize_none(self) -> R {
        self.tag(10);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_unit(self) -> R {
        self.tag(10);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> R {
        self.bytes(11, variant.as_bytes());
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Unhashable> {
        self.tag(12);
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Unhashable> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Unhashable> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Unhashable> {
        self.bytes(11, variant.as_bytes());
        self.serialize_seq(None)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Unhashable> {
        self.tag(13);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Unhashable> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Unhashable> {
        self.bytes(11, variant.as_bytes());
        self.serialize_map(None)
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, v: &T) -> R {
        // The text as a string (the hasher's result depends on how its input is split), on the
        // stack when it is short, as dates and numbers are.
        struct Text {
            stack: [u8; 64],
            len: usize,
            heap: String,
        }
        impl fmt::Write for Text {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                if self.heap.is_empty() && self.len + s.len() <= self.stack.len() {
                    self.stack[self.len..self.len + s.len()].copy_from_slice(s.as_bytes());
                    self.len += s.len();
                } else {
                    if self.heap.is_empty() {
                        let head =
                            std::str::from_utf8(&self.stack[..self.len]).map_err(|_| fmt::Error)?;
                        self.heap.push_str(head);
                    }
                    self.heap.push_str(s);
                }
                Ok(())
            }
        }
        let mut t = Text {
            stack: [0; 64],
            len: 0,
            heap: String::new(),
        };
        fmt::write(&mut t, format_args!("{v}")).map_err(|_| Unhashable)?;
        if t.heap.is_empty() {
            self.bytes(8, &t.stack[..t.len]);
        } else {
            self.bytes(8, t.heap.as_bytes());
        }
        Ok(())
    }
}

/// The end of a sequence or a map.
const END: u8 = 14;

impl ser::SerializeSeq for &mut HashSer {
    type Ok = ();
    type Error = Unhashable;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        v.serialize(&mut **self)
    }
    fn end(self) -> R {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeTuple for &mut HashSer {
    type Ok = ();
    type Error = Unhashable;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        v.serialize(&mut **self)
    }
    fn end(self) -> R {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeTupleStruct for &mut HashSer {
    type Ok = ();
    type Error = Unhashable;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        v.serialize(&mut **self)
    }
    fn end(self) -> R {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeTupleVariant for &mut HashSer {
    type Ok = ();
    type Error = Unhashable;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        v.serialize(&mut **self)
    }
    fn end(self) -> R {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeMap for &mut HashSer {
    type Ok = ();
    type Error = Unhashable;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> R {
        k.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        v.serialize(&mut **self)
    }
    fn end(self) -> R {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeStruct for &mut HashSer {
    type Ok = ();
    type Error = Unhashable;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, k: &'static str, v: &T) -> R {
        self.serialize_str_key(k);
        v.serialize(&mut **self)
    }
    fn end(self) -> R {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut HashSer {
    type Ok = ();
    type Error = Unhashable;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, k: &'static str, v: &T) -> R {
        self.serialize_str_key(k);
        v.serialize(&mut **self)
    }
    fn end(self) -> R {
        self.tag(END);
        Ok(())
    }
}

impl HashSer {
    fn serialize_str_key(&mut self, k: &str) {
        self.bytes(8, k.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equal_values_hash_alike_and_different_ones_do_not() {
        let a = json!({"a": [1, "x", null, true, 1.5], "b": {"c": "d"}});
        assert_eq!(hash(&a), hash(&a.clone()));
        let different = [
            json!({"a": [1, "x", null, true, 1.5], "b": {"c": "e"}}),
            json!({"a": [1, "x", null, false, 1.5], "b": {"c": "d"}}),
            json!({"a": [1, "x", null, true], "b": {"c": "d"}}),
            json!({"a": [[1, "x"], null, true, 1.5], "b": {"c": "d"}}),
            json!({"a": [1, "x", null, true, 1.5], "b": {"cd": ""}}),
            json!({"a": [1, "x", null, true, 1.5], "bc": {}}),
        ];
        for d in &different {
            assert_ne!(hash(&a), hash(d), "{d}");
        }
        // Strings written with `collect_str` hash alike however they are split, and like the
        // same string written whole.
        struct Parts(&'static str, &'static str);
        impl Serialize for Parts {
            fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(&format_args!("{}{}", self.0, self.1))
            }
        }
        assert_eq!(hash(&Parts("ab", "c")), hash(&Parts("a", "bc")));
        assert_ne!(hash(&Parts("ab", "c")), hash(&Parts("ab", "d")));
        assert_eq!(hash(&Parts("ab", "c")), hash("abc"));
        let long = "x".repeat(100);
        assert_eq!(hash(&Parts("", "")), hash(""));
        struct Long<'a>(&'a str);
        impl Serialize for Long<'_> {
            fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(&format_args!("{}{}", &self.0[..50], &self.0[50..]))
            }
        }
        assert_eq!(hash(&Long(&long)), hash(long.as_str()));
    }
}
