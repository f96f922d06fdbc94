//! Codecs: (de)serialization strategies for values whose OData JSON form
//! differs from their plain serde form.
//!
//! Generated code names a codec as a type parameter, e.g.
//! `rt::read_as::<rt::codec::List<rt::codec::Int64>, _>(map, &mut self.ids)`,
//! so no wrapper type appears in the public field types.
//!
//! `Edm.Int64` and `Edm.Decimal` are written as strings when the
//! IEEE754-compatible mode is on (`IEEE754Compatible=true` in the media
//! type), see [`with_ieee754_compatible`]. `Edm.Double`/`Edm.Single` use the
//! strings `"INF"`, `"-INF"` and `"NaN"` for non-finite values.

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A (de)serialization strategy for values of type [`Codec::Value`].
pub trait Codec {
    /// The Rust type of the value.
    type Value;
    /// Reads a value.
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Value, D::Error>;
    /// Writes a value.
    fn serialize<S: Serializer>(v: &Self::Value, s: S) -> Result<S::Ok, S::Error>;
    /// Reads a value that may be absent: `None` for `null`, and for a codec that says so for a
    /// form services write for "no value" (an empty string for [`Guid`]).
    fn deserialize_nullable<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Self::Value>, D::Error>
    where
        Self: Sized,
    {
        struct V<C>(PhantomData<C>);
        impl<'de, C: Codec> Visitor<'de> for V<C> {
            type Value = Option<C::Value>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                C::deserialize(d).map(Some)
            }
        }
        d.deserialize_option(V::<Self>(PhantomData))
    }
}

thread_local! {
    static IEEE754: Cell<bool> = const { Cell::new(false) };
}

/// Whether IEEE754-compatible mode is on for this thread.
pub fn ieee754_compatible() -> bool {
    IEEE754.with(Cell::get)
}

/// Runs `f` with IEEE754-compatible mode on: `Edm.Int64` and
/// `Edm.Decimal` values are written as JSON strings. Reading always accepts
/// both forms. The previous mode is restored afterwards, even on panic.
pub fn with_ieee754_compatible<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            IEEE754.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(IEEE754.with(|c| c.replace(true)));
    f()
}

/// Adapts a codec to serde's `DeserializeSeed`.
pub struct Seed<C>(pub PhantomData<C>);

impl<C> Default for Seed<C> {
    fn default() -> Self {
        Seed(PhantomData)
    }
}

impl<'de, C: Codec> DeserializeSeed<'de> for Seed<C> {
    type Value = C::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<C::Value, D::Error> {
        C::deserialize(d)
    }
}

/// Adapts a codec and a value to serde's `Serialize`.
pub struct SerializeWith<'a, C: Codec>(&'a C::Value, PhantomData<C>);

impl<'a, C: Codec> SerializeWith<'a, C> {
    /// Wraps a value.
    pub fn new(v: &'a C::Value) -> Self {
        SerializeWith(v, PhantomData)
    }
}

impl<C: Codec> Serialize for SerializeWith<'_, C> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        C::serialize(self.0, s)
    }
}

/// The plain serde form of `T` (for composing, e.g. `Nullable<Plain<String>>`).
pub struct Plain<T>(PhantomData<T>);

impl<T: Serialize + for<'de> Deserialize<'de>> Codec for Plain<T> {
    type Value = T;
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        T::deserialize(d)
    }
    fn serialize<S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }
}

/// A collection: a JSON array of `C` values.
pub struct List<C>(PhantomData<C>);

impl<C: Codec> Codec for List<C> {
    type Value = Vec<C::Value>;
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Value, D::Error> {
        struct V<C>(PhantomData<C>);
        impl<'de, C: Codec> Visitor<'de> for V<C> {
            type Value = Vec<C::Value>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(v) = seq.next_element_seed(Seed::<C>::default())? {
                    out.push(v);
                }
                Ok(out)
            }
        }
        d.deserialize_seq(V::<C>(PhantomData))
    }
    fn serialize<S: Serializer>(v: &Self::Value, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for item in v {
            seq.serialize_element(&SerializeWith::<C>::new(item))?;
        }
        seq.end()
    }
}

/// A value that may be `null` (collections of nullable items).
pub struct Nullable<C>(PhantomData<C>);

impl<C: Codec> Codec for Nullable<C> {
    type Value = Option<C::Value>;
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Value, D::Error> {
        C::deserialize_nullable(d)
    }
    fn serialize<S: Serializer>(v: &Self::Value, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.serialize_some(&SerializeWith::<C>::new(v)),
            None => s.serialize_none(),
        }
    }
}

/// `Edm.Guid`: a string holding a GUID. A property that may be absent also reads an empty
/// string as absent (`None`): SAP's Fiori mock server writes `""` for every GUID a row leaves
/// out, and other services do the same for an unset one. Writes the hyphenated lower-case form.
#[cfg(feature = "uuid")]
pub struct Guid;

#[cfg(feature = "uuid")]
impl Codec for Guid {
    type Value = uuid::Uuid;
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<uuid::Uuid, D::Error> {
        uuid::Uuid::deserialize(d)
    }
    fn serialize<S: Serializer>(v: &uuid::Uuid, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }
    fn deserialize_nullable<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<uuid::Uuid>, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Option<uuid::Uuid>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a GUID (Edm.Guid), null, or an empty string for none")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                if v.is_empty() {
                    return Ok(None);
                }
                v.parse()
                    .map(Some)
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        d.deserialize_any(V)
    }
}

/// `Edm.Int64`: a JSON number, or a string holding an integer.
pub struct Int64;

/// Reads an integer from a JSON number or a string holding one; `.0` says what is expected.
struct IntVisitor(&'static str);

impl Visitor<'_> for IntVisitor {
    type Value = i64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

impl Codec for Int64 {
    type Value = i64;
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        d.deserialize_any(IntVisitor(
            "an integer (Edm.Int64), as a number or a string",
        ))
    }
    fn serialize<S: Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
        if ieee754_compatible() {
            s.collect_str(v)
        } else {
            s.serialize_i64(*v)
        }
    }
}

/// `Edm.Int64` in OData V2 and V3 JSON, where it is always a string (only 16- and 32-bit
/// integers are JSON numbers there). Reads a number or a string, like [`Int64`].
pub struct Int64String;

impl Codec for Int64String {
    type Value = i64;
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        Int64::deserialize(d)
    }
    fn serialize<S: Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }
}

/// `Edm.Decimal` in OData V2 and V3 JSON, where it is always a string. Reads a number or a
/// string, like [`Decimal`]; writes the decimal's own text (its scale kept).
#[cfg(feature = "decimal")]
pub struct DecimalString;

#[cfg(feature = "decimal")]
impl Codec for DecimalString {
    type Value = rust_decimal::Decimal;
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Value, D::Error> {
        Decimal::deserialize(d)
    }
    fn serialize<S: Serializer>(v: &Self::Value, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }
}

/// Parses OData's special floating-point literals.
fn special_float(v: &str) -> Option<f64> {
    match v {
        "INF" => Some(f64::INFINITY),
        "-INF" => Some(f64::NEG_INFINITY),
        "NaN" => Some(f64::NAN),
        _ => None,
    }
}

/// Below this magnitude every integral `f64` is an exact integer.
const EXACT_INT: f64 = 9_007_199_254_740_992.0;

fn write_float<S: Serializer>(v: f64, s: S, single: Option<f32>) -> Result<S::Ok, S::Error> {
    write_float_as(v, s, single, false)
}

/// Writes a float as V2 JSON does: a string (`"4.25"`, `"15"`, `"1e300"`; `"INF"`, `"-INF"`,
/// `"NaN"`). `single`: the `f32` it came from, written at its own shortest form.
fn write_float_text<S: Serializer>(v: f64, s: S, single: Option<f32>) -> Result<S::Ok, S::Error> {
    write_float_as(v, s, single, true)
}

/// [`write_float`] (`text` false) and [`write_float_text`] (`text` true): the same text either
/// way, as a JSON number or in a string.
fn write_float_as<S: Serializer>(
    v: f64,
    s: S,
    single: Option<f32>,
    text: bool,
) -> Result<S::Ok, S::Error> {
    if v.is_nan() {
        s.serialize_str("NaN")
    } else if v.is_infinite() {
        s.serialize_str(if v > 0.0 { "INF" } else { "-INF" })
    } else if v.fract() == 0.0 && v.abs() < EXACT_INT && !(v == 0.0 && v.is_sign_negative()) {
        // Integral values go out as integers (as .NET and Java services write them), so such
        // payloads round-trip unchanged.
        if text {
            s.collect_str(&(v as i64))
        } else {
            s.serialize_i64(v as i64)
        }
    } else {
        match (single, text) {
            (Some(f), false) => s.serialize_f32(f),
            (None, false) => s.serialize_f64(v),
            (Some(f), true) => s.collect_str(&format_args!("{f:?}")),
            (None, true) => s.collect_str(&format_args!("{v:?}")),
        }
    }
}

struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(r#"a number or one of "INF", "-INF", "NaN""#)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        special_float(v)
            .or_else(|| float_text(v))
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

/// The text of a number written in a string, without the V2 URL literal's type suffix (one of
/// `suffixes`, as in `"4.25d"`); `None` when it does not start as a number does (a sign, then a
/// digit or a point): Rust also parses `inf` and `NaN` spelt otherwise, and OData's are
/// `special_float`'s.
pub(crate) fn numeric_text<'a>(s: &'a str, suffixes: &[char]) -> Option<&'a str> {
    let t = s.strip_suffix(suffixes).unwrap_or(s);
    t.trim_start_matches(['-', '+'])
        .starts_with(|c: char| c.is_ascii_digit() || c == '.')
        .then_some(t)
}

/// A number written as a JSON string, as OData V2 JSON writes `Edm.Double` and `Edm.Single`
/// (`"4.25"`, SAP's `"1.5000000000000000E+01"`, the URL literal's `"4.25d"`, `"4.25f"`).
fn float_text(v: &str) -> Option<f64> {
    numeric_text(v, &['d', 'D', 'f', 'F'])?.parse().ok()
}

/// `Edm.Double`: a number, or `"INF"`, `"-INF"`, `"NaN"`; a number in a string is read too
/// (V2 JSON's form).
pub struct Double;

impl Codec for Double {
    type Value = f64;
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        d.deserialize_any(FloatVisitor)
    }
    fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        write_float(*v, s, None)
    }
}

/// `Edm.Single`: a number, or `"INF"`, `"-INF"`, `"NaN"`; a number in a string is read too
/// (V2 JSON's form).
pub struct Single;

impl Codec for Single {
    type Value = f32;
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f32, D::Error> {
        d.deserialize_any(FloatVisitor).map(|v| v as f32)
    }
    fn serialize<S: Serializer>(v: &f32, s: S) -> Result<S::Ok, S::Error> {
        write_float(f64::from(*v), s, Some(*v))
    }
}

/// `Edm.Double` in OData V2 JSON, where it is a string (`"4.25"`). Reads a number or a string,
/// like [`Double`]; writes a string.
pub struct DoubleString;

impl Codec for DoubleString {
    type Value = f64;
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Double::deserialize(d)
    }
    fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        write_float_text(*v, s, None)
    }
}

/// `Edm.Single` in OData V2 JSON, where it is a string. Reads a number or a string, like
/// [`Single`]; writes a string.
pub struct SingleString;

impl Codec for SingleString {
    type Value = f32;
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f32, D::Error> {
        Single::deserialize(d)
    }
    fn serialize<S: Serializer>(v: &f32, s: S) -> Result<S::Ok, S::Error> {
        write_float_text(f64::from(*v), s, Some(*v))
    }
}

/// `Edm.Byte` and `Edm.SByte` in OData V2 JSON, where they are strings (`"200"`; CAP's V2
/// adapter writes numbers, and takes both). Reads a number or a string; writes a string.
pub struct SmallIntString<T>(PhantomData<T>);

impl<T> Codec for SmallIntString<T>
where
    T: TryFrom<i64> + std::str::FromStr + fmt::Display,
{
    type Value = T;
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        const WHAT: &str =
            "an integer in the range of Edm.Byte or Edm.SByte, as a number or a string";
        let wide = d.deserialize_any(IntVisitor(WHAT))?;
        T::try_from(wide).map_err(|_| de::Error::invalid_value(de::Unexpected::Signed(wide), &WHAT))
    }
    fn serialize<S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }
}

/// `Edm.Decimal` (feature `decimal`): a number or a string, read exactly.
///
/// Precision: strings are exact (up to the 28 significant digits of
/// `rust_decimal`). JSON numbers reach this codec as `f64` (unless
/// serde_json's `arbitrary_precision` is on), so a number with more than
/// about 15-17 significant digits has already been rounded by the JSON
/// parser; it is taken at the shortest text that round-trips the `f64`.
/// Services that send such values should be asked for
/// `IEEE754Compatible=true`.
///
/// Writing: in IEEE754-compatible mode always a string. Otherwise integers
/// (scale 0) that fit `i64`/`u64` are JSON integers, fractional values are
/// JSON numbers when they survive the trip through `f64` exactly, and
/// strings otherwise.
#[cfg(feature = "decimal")]
pub struct Decimal;

#[cfg(feature = "decimal")]
mod decimal_impl {
    use super::*;
    use rust_decimal::Decimal as D;
    use std::str::FromStr;

    pub(super) fn parse(s: &str) -> Option<D> {
        D::from_str(s).ok().or_else(|| D::from_scientific(s).ok())
    }

    /// `f64`'s `Debug` form is the shortest round-trip text and keeps a
    /// `.0` for integral values, so the scale records that the number had a
    /// fractional part (and it is written back as a float).
    pub(super) fn from_f64(v: f64) -> Option<D> {
        if !v.is_finite() {
            return None;
        }
        parse(&format!("{v:?}"))
    }

    impl Codec for super::Decimal {
        type Value = D;
        fn deserialize<'de, De: Deserializer<'de>>(d: De) -> Result<D, De::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = D;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a decimal number, as a number or a string")
                }
                fn visit_i64<E: de::Error>(self, v: i64) -> Result<D, E> {
                    Ok(D::from(v))
                }
                fn visit_u64<E: de::Error>(self, v: u64) -> Result<D, E> {
                    Ok(D::from(v))
                }
                fn visit_f64<E: de::Error>(self, v: f64) -> Result<D, E> {
                    from_f64(v).ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &self))
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<D, E> {
                    parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
            d.deserialize_any(V)
        }
        fn serialize<S: Serializer>(v: &D, s: S) -> Result<S::Ok, S::Error> {
            if ieee754_compatible() {
                return s.collect_str(v);
            }
            if v.scale() == 0 {
                if let Ok(i) = i64::try_from(*v) {
                    return s.serialize_i64(i);
                }
                if let Ok(u) = u64::try_from(*v) {
                    return s.serialize_u64(u);
                }
                return s.collect_str(v);
            }
            match v.to_string().parse::<f64>() {
                Ok(f) if from_f64(f).is_some_and(|back| back == *v) => s.serialize_f64(f),
                _ => s.collect_str(v),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ser<C: Codec>(v: &C::Value) -> String {
        serde_json::to_string(&SerializeWith::<C>::new(v)).unwrap()
    }
    fn de<C: Codec>(s: &str) -> Result<C::Value, serde_json::Error> {
        Seed::<C>::default().deserialize(&mut serde_json::Deserializer::from_str(s))
    }

    #[test]
    fn int64_forms() {
        assert_eq!(de::<Int64>("42").unwrap(), 42);
        assert_eq!(de::<Int64>("\"-9223372036854775808\"").unwrap(), i64::MIN);
        assert!(de::<Int64>("\"4x\"").is_err());
        assert!(de::<Int64>("18446744073709551615").is_err());
        assert!(de::<Int64>("1.5").is_err());
        assert!(de::<Int64>("true").is_err());
        assert_eq!(ser::<Int64>(&7), "7");
        assert_eq!(with_ieee754_compatible(|| ser::<Int64>(&7)), "\"7\"");
        assert!(!ieee754_compatible());
    }

    #[cfg(feature = "uuid")]
    #[test]
    fn guids_and_the_empty_string_for_none() {
        const G: &str = "6f1c0a52-6a0e-4d3b-9a57-0c1b2f0e7a01";
        let g: uuid::Uuid = G.parse().unwrap();
        assert_eq!(de::<Guid>(&format!("\"{G}\"")).unwrap(), g);
        assert_eq!(ser::<Guid>(&g), format!("\"{G}\""));
        // Where the property may be absent, "" and null are both none.
        type N = Nullable<Guid>;
        assert_eq!(de::<N>(&format!("\"{G}\"")).unwrap(), Some(g));
        assert_eq!(de::<N>("\"\"").unwrap(), None);
        assert_eq!(de::<N>("null").unwrap(), None);
        let e = de::<N>("\"not-a-guid\"").unwrap_err().to_string();
        assert!(e.contains("not-a-guid") && e.contains("Edm.Guid"), "{e}");
        assert!(de::<N>("7").is_err());
        // A GUID that must be there is still a GUID (an element of a collection).
        assert!(de::<Guid>("\"\"").is_err());
        assert!(de::<List<Guid>>("[\"\"]").is_err());
    }

    #[test]
    fn ieee754_restored_on_panic() {
        let r = std::panic::catch_unwind(|| with_ieee754_compatible(|| panic!("boom")));
        assert!(r.is_err());
        assert!(!ieee754_compatible());
        with_ieee754_compatible(|| {
            with_ieee754_compatible(|| ());
            assert!(ieee754_compatible());
        });
    }

    #[test]
    fn doubles() {
        assert!(de::<Double>("\"NaN\"").unwrap().is_nan());
        assert_eq!(de::<Double>("\"INF\"").unwrap(), f64::INFINITY);
        assert_eq!(de::<Double>("\"-INF\"").unwrap(), f64::NEG_INFINITY);
        assert_eq!(de::<Double>("2").unwrap(), 2.0);
        // V2 JSON's form: a number in a string, with the URL literal's suffix or not.
        assert_eq!(de::<Double>("\"1.5\"").unwrap(), 1.5);
        assert_eq!(de::<Double>("\"1.5000000000000000E+01\"").unwrap(), 15.0);
        assert_eq!(de::<Double>("\"456.8d\"").unwrap(), 456.8);
        assert_eq!(de::<Double>("\"-.5\"").unwrap(), -0.5);
        assert_eq!(de::<Single>("\"0.35f\"").unwrap(), 0.35);
        for bad in [
            "\"\"", "\"d\"", "\"inf\"", "\"nan\"", "\"1.5x\"", "\"one\"", "\"-\"",
        ] {
            assert!(de::<Double>(bad).is_err(), "{bad}");
        }
        assert_eq!(ser::<Double>(&f64::NAN), "\"NaN\"");
        assert_eq!(ser::<Double>(&f64::NEG_INFINITY), "\"-INF\"");
        assert_eq!(ser::<Double>(&2.0), "2");
        assert_eq!(ser::<Double>(&-0.0), "-0.0");
        assert_eq!(ser::<Double>(&0.1), "0.1");
        assert_eq!(ser::<Single>(&0.1), "0.1");
        assert_eq!(ser::<Single>(&f32::INFINITY), "\"INF\"");
        assert_eq!(de::<Single>("0.25").unwrap(), 0.25);
    }

    #[test]
    fn lists_and_nullable() {
        type L = List<Nullable<Int64>>;
        let v = de::<L>("[1, null, \"3\"]").unwrap();
        assert_eq!(v, vec![Some(1), None, Some(3)]);
        assert_eq!(ser::<L>(&v), "[1,null,3]");
        assert!(de::<L>("{}").is_err());
        assert_eq!(ser::<List<Plain<String>>>(&vec!["a".into()]), "[\"a\"]");
    }

    #[cfg(feature = "decimal")]
    #[test]
    fn decimals() {
        use rust_decimal::Decimal as D;
        let d = de::<Decimal>("\"12345678901234567890.123456789\"").unwrap();
        assert_eq!(d.to_string(), "12345678901234567890.123456789");
        assert_eq!(ser::<Decimal>(&d), "\"12345678901234567890.123456789\"");
        assert_eq!(ser::<Decimal>(&de::<Decimal>("1.5").unwrap()), "1.5");
        assert_eq!(ser::<Decimal>(&de::<Decimal>("5.0").unwrap()), "5.0");
        assert_eq!(ser::<Decimal>(&de::<Decimal>("5").unwrap()), "5");
        assert_eq!(ser::<Decimal>(&de::<Decimal>("1e3").unwrap()), "1000.0");
        assert_eq!(de::<Decimal>("\"1E3\"").unwrap(), D::from(1000));
        assert_eq!(
            with_ieee754_compatible(|| ser::<Decimal>(&D::new(150, 2))),
            "\"1.50\""
        );
        assert!(de::<Decimal>("\"abc\"").is_err());
        assert!(de::<Decimal>("[]").is_err());
    }
}

#[cfg(test)]
mod v2_v3_tests {
    use super::*;

    fn write<C: Codec>(v: &C::Value) -> String {
        serde_json::to_string(&SerializeWith::<C>::new(v)).unwrap()
    }

    #[test]
    fn int64_string_reads_both_forms_and_writes_a_string() {
        let a: i64 = Int64String::deserialize(serde_json::json!("42")).unwrap();
        let b: i64 = Int64String::deserialize(serde_json::json!(42)).unwrap();
        assert_eq!((a, b), (42, 42));
        assert_eq!(write::<Int64String>(&-7), "\"-7\"");
    }

    #[test]
    fn v2_floats_and_small_integers_are_strings() {
        use serde_json::json;
        // What CAP's V2 adapter and SAP write, and numbers, are read.
        assert_eq!(DoubleString::deserialize(json!("4.25")).unwrap(), 4.25);
        assert_eq!(DoubleString::deserialize(json!(4.25)).unwrap(), 4.25);
        assert_eq!(SingleString::deserialize(json!("0.35")).unwrap(), 0.35);
        assert_eq!(write::<DoubleString>(&4.25), "\"4.25\"");
        assert_eq!(write::<DoubleString>(&15.0), "\"15\"");
        assert_eq!(write::<DoubleString>(&1e300), "\"1e300\"");
        assert_eq!(write::<DoubleString>(&f64::NEG_INFINITY), "\"-INF\"");
        // An f32 at its own shortest form, not widened (0.3499999940395355).
        assert_eq!(write::<SingleString>(&0.35), "\"0.35\"");
        // Each text written reads back as the same value.
        for v in [0.1, -2.5e-7, 123456.789, 9.007199254740993e15] {
            let text = write::<DoubleString>(&v);
            let back = DoubleString::deserialize(
                serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            );
            assert_eq!(back.unwrap(), v, "{text}");
        }
        type Byte = SmallIntString<u8>;
        type SByte = SmallIntString<i8>;
        assert_eq!(Byte::deserialize(json!("200")).unwrap(), 200);
        assert_eq!(Byte::deserialize(json!(200)).unwrap(), 200);
        assert_eq!(SByte::deserialize(json!("-7")).unwrap(), -7);
        assert!(Byte::deserialize(json!("256")).is_err());
        let e = Byte::deserialize(json!("x")).unwrap_err().to_string();
        assert!(e.contains("Edm.Byte or Edm.SByte"), "{e}");
        assert!(Byte::deserialize(json!(1.5)).is_err());
        assert!(SByte::deserialize(json!(-129)).is_err());
        assert_eq!(write::<Byte>(&200), "\"200\"");
        assert_eq!(write::<SByte>(&-7), "\"-7\"");
    }

    #[cfg(feature = "decimal")]
    #[test]
    fn decimal_string_keeps_its_scale() {
        let d = DecimalString::deserialize(serde_json::json!("12.50")).unwrap();
        assert_eq!(write::<DecimalString>(&d), "\"12.50\"");
    }
}
