//! OData URL literals (key values, function parameters, parameter aliases)
//! and percent-encoding.
//!
//! [`Literal::write_literal`] writes the *unencoded* literal text of a value
//! as the protocol version spells it; [`key_segment`] and
//! [`function_parameters`] put literals together and percent-encode them for
//! a path segment, [`encode_query_value`] does it for a query option.
//!
//! | EDM type | V4 | V2/V3 |
//! |---|---|---|
//! | `Edm.String` | `'O''Neil'` | same |
//! | `Edm.Boolean` | `true` | same |
//! | `Edm.Byte`, `SByte`, `Int16`, `Int32` | `42` | same |
//! | `Edm.Int64` | `42` | `42L` |
//! | `Edm.Double`, `Edm.Single` | `1.5`, `1e300`, `INF`, `NaN` | `1.5d`, `1.5f`, `INFd` |
//! | `Edm.Decimal` | `1.50` | `1.50M` |
//! | `Edm.Guid` | `01234567-89ab-cdef-0123-456789abcdef` | `guid'01234567-…'` |
//! | `Edm.DateTimeOffset` | `2026-08-03T10:11:12Z` | `datetimeoffset'2026-08-03T10:11:12Z'` |
//! | V2/V3 `Edm.DateTime` | (`2026-08-03T10:11:12Z`) | `datetime'2026-08-03T10:11:12'` |
//! | `Edm.Date`, `Edm.TimeOfDay` | `2026-08-03`, `10:11:12` | same (no such V2/V3 types) |
//! | `Edm.Duration` / V3 `Edm.Time` | `duration'P1DT2H'` | `time'P1DT2H'` |
//! | `Edm.Binary` | `binary'AQID'` (base64url) | `X'010203'` |
//! | enum member / flags | `ns.Color'Red'`, `ns.Days'Mon,Fri'` | same |
//! | `null` (`None`) | `null` | same |
//!
//! # Percent-encoding
//!
//! Literals are written unencoded; these rules apply when they are put into a
//! URL (RFC 3986 `pchar` and `query`, and the OData ABNF, which treats `'`,
//! `(`, `)`, `,`, `:`, `@`, `*`, `;` and percent-encoded forms alike but
//! *requires* `+` to be written `%2B`):
//!
//! - **Path segments** ([`encode_path_segment`], used by [`key_segment`] and
//!   [`function_parameters`]) keep ASCII letters and digits, `-._~` and
//!   `!$&'()*,=:@` literal; everything else is encoded as UTF-8 bytes:
//!   space (`%20`), `"`, `#`, `%`, `+`, `/`, `;`, `<`, `>`, `?`, `[`, `\`,
//!   `]`, `^`, `` ` ``, `{`, `|`, `}`, control characters and non-ASCII.
//!   `;` is not required by RFC 3986 but servlet containers cut path
//!   parameters at it, and `/` must never split a key.
//! - **Query values** ([`encode_query_value`]) keep the same characters plus
//!   `/`, `?` and `;` (`$expand=a($select=b;$top=1)`) but encode `&`, which
//!   separates options (and `=` in option *names*, see
//!   [`encode_query_name`]). `+` is encoded because form decoding reads it
//!   as a space.

use std::fmt::Write as _;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::{EnumType, Flags, Version};

/// Characters encoded in a path segment (see the module docs).
pub const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// Characters encoded in a query option value (see the module docs).
pub const QUERY_VALUE: &AsciiSet = &PATH_SEGMENT
    .add(b'&')
    .remove(b'/')
    .remove(b'?')
    .remove(b';');

/// Characters encoded in a query option name: those of [`QUERY_VALUE`] and `=`.
pub const QUERY_NAME: &AsciiSet = &QUERY_VALUE.add(b'=');

/// Percent-encodes text for a path segment.
pub fn encode_path_segment(s: &str) -> String {
    utf8_percent_encode(s, PATH_SEGMENT).to_string()
}

/// Percent-encodes text for a query option value.
pub fn encode_query_value(s: &str) -> String {
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// Percent-encodes text for a query option name.
pub fn encode_query_name(s: &str) -> String {
    utf8_percent_encode(s, QUERY_NAME).to_string()
}

/// A value that can be written as an OData URL literal.
pub trait Literal {
    /// Appends the literal, unencoded, as `version` spells it.
    fn write_literal(&self, version: Version, out: &mut String);

    /// The literal, unencoded.
    fn to_literal(&self, version: Version) -> String {
        let mut s = String::new();
        self.write_literal(version, &mut s);
        s
    }
}

fn old(version: Version) -> bool {
    matches!(version, Version::V2 | Version::V3)
}

/// Writes `'text'` with single quotes doubled.
fn quoted(out: &mut String, text: &str) {
    out.push('\'');
    for c in text.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
}

impl Literal for str {
    fn write_literal(&self, _: Version, out: &mut String) {
        quoted(out, self);
    }
}

impl Literal for &str {
    fn write_literal(&self, version: Version, out: &mut String) {
        (**self).write_literal(version, out);
    }
}

impl Literal for String {
    fn write_literal(&self, version: Version, out: &mut String) {
        self.as_str().write_literal(version, out);
    }
}

impl Literal for bool {
    fn write_literal(&self, _: Version, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! plain_int {
    ($($t:ty),*) => {$(
        impl Literal for $t {
            fn write_literal(&self, _: Version, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
plain_int!(u8, i8, i16, i32);

impl Literal for i64 {
    fn write_literal(&self, version: Version, out: &mut String) {
        let _ = write!(out, "{self}");
        if old(version) {
            out.push('L');
        }
    }
}

/// Finite floats use Rust's shortest round-trip text (`1.5`, `1e300`,
/// `1e-7`: no `+` in the exponent, which a URL would need as `%2B`).
macro_rules! float {
    ($t:ty, $suffix:literal) => {
        impl Literal for $t {
            fn write_literal(&self, version: Version, out: &mut String) {
                if self.is_nan() {
                    out.push_str("NaN");
                } else if self.is_infinite() {
                    out.push_str(if *self < 0.0 { "-INF" } else { "INF" });
                } else {
                    let _ = write!(out, "{self:?}");
                }
                if old(version) {
                    out.push($suffix);
                }
            }
        }
    };
}
float!(f64, 'd');
float!(f32, 'f');

#[cfg(feature = "decimal")]
impl Literal for crate::Decimal {
    fn write_literal(&self, version: Version, out: &mut String) {
        let _ = write!(out, "{self}");
        if old(version) {
            out.push('M');
        }
    }
}

#[cfg(feature = "uuid")]
impl Literal for crate::Guid {
    fn write_literal(&self, version: Version, out: &mut String) {
        if old(version) {
            let _ = write!(out, "guid'{self}'");
        } else {
            let _ = write!(out, "{self}");
        }
    }
}

#[cfg(feature = "chrono")]
mod temporal_literals {
    use super::*;
    use crate::{Date, DateTime, DateTimeOffset, TimeOfDay};

    /// The ISO text of a value (a value read in the V2 `/Date(..)/` form
    /// is written in ISO form, UTC as `Z`).
    fn dto_text(v: &DateTimeOffset) -> String {
        let s = v.to_string();
        if s.starts_with("/Date(") {
            v.value()
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        } else {
            s
        }
    }

    impl Literal for DateTimeOffset {
        fn write_literal(&self, version: Version, out: &mut String) {
            if old(version) {
                let _ = write!(out, "datetimeoffset'{}'", dto_text(self));
            } else {
                out.push_str(&dto_text(self));
            }
        }
    }

    impl Literal for DateTime {
        /// V2/V3: `datetime'…'` without a zone; V4 has no `Edm.DateTime`,
        /// and the value is written as a UTC `Edm.DateTimeOffset`. A value read
        /// with a zone (`/Date(ms+0120)/`, `…+02:00`) is written as the UTC time
        /// it denotes ([`DateTime::value`]), so equal values are equal literals.
        fn write_literal(&self, version: Version, out: &mut String) {
            let s = self.to_string();
            let offset = s.get(10..).is_some_and(|time| time.contains(['+', '-']));
            let iso = if s.starts_with("/Date(") || offset {
                let v = self.value();
                let mut iso = v.format("%Y-%m-%dT%H:%M:%S").to_string();
                let nanos = chrono::Timelike::nanosecond(&v);
                if nanos != 0 {
                    let digits = format!("{nanos:09}");
                    let _ = write!(iso, ".{}", digits.trim_end_matches('0'));
                }
                iso
            } else {
                s.trim_end_matches(['Z', 'z']).to_owned()
            };
            if old(version) {
                let _ = write!(out, "datetime'{iso}'");
            } else {
                out.push_str(&iso);
                if iso.len() == "2026-08-03T10:11".len() {
                    out.push_str(":00");
                }
                out.push('Z');
            }
        }
    }

    impl Literal for Date {
        fn write_literal(&self, _: Version, out: &mut String) {
            let _ = write!(out, "{self}");
        }
    }

    impl Literal for TimeOfDay {
        fn write_literal(&self, _: Version, out: &mut String) {
            let _ = write!(out, "{self}");
        }
    }
}

impl Literal for crate::Duration {
    /// V4 `duration'…'`; V2/V3 `time'…'` (their `Edm.Time`).
    fn write_literal(&self, version: Version, out: &mut String) {
        let prefix = if old(version) { "time" } else { "duration" };
        let _ = write!(out, "{prefix}'{self}'");
    }
}

#[cfg(feature = "base64")]
impl Literal for crate::Binary {
    /// V4 `binary'…'` in base64url without padding; V2/V3 `X'…'` in
    /// upper-case hex.
    fn write_literal(&self, version: Version, out: &mut String) {
        use base64::Engine as _;
        if old(version) {
            out.push_str("X'");
            for b in self.bytes() {
                let _ = write!(out, "{b:02X}");
            }
            out.push('\'');
        } else {
            out.push_str("binary'");
            out.push_str(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(self.bytes()));
            out.push('\'');
        }
    }
}

/// Enum members: `ns.Type'Member'`, qualified so the literal is valid in
/// OData 4.0 as well as 4.01. A member unknown to this crate version is
/// written with the name it was read with.
impl<E: EnumType> Literal for E {
    fn write_literal(&self, _: Version, out: &mut String) {
        out.push_str(E::INFO.name);
        quoted(out, self.name());
    }
}

/// Flags: `ns.Type'A,B'`; the empty set is `ns.Type'0'` unless a member has
/// the value 0.
impl<E: EnumType> Literal for Flags<E> {
    fn write_literal(&self, _: Version, out: &mut String) {
        let text = self.to_string();
        out.push_str(E::INFO.name);
        quoted(out, if text.is_empty() { "0" } else { &text });
    }
}

/// `None` is `null`.
impl<T: Literal> Literal for Option<T> {
    fn write_literal(&self, version: Version, out: &mut String) {
        match self {
            Some(v) => v.write_literal(version, out),
            None => out.push_str("null"),
        }
    }
}

/// A key predicate, percent-encoded for a path segment: `('x')` for a single
/// key (the name is left out), `(a=1,b='x')` for a composite key.
pub fn key_segment(values: &[(&str, &dyn Literal)], version: Version) -> String {
    if let [(_, value)] = values {
        let mut out = String::from("(");
        out.push_str(&encode_path_segment(&value.to_literal(version)));
        out.push(')');
        out
    } else {
        function_parameters(values, version)
    }
}

/// Inline function parameters, percent-encoded for a path segment:
/// `(a=1,b='x')`, `()` when there are none.
pub fn function_parameters(values: &[(&str, &dyn Literal)], version: Version) -> String {
    let mut out = String::from("(");
    for (i, (name, value)) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&encode_path_segment(name));
        out.push('=');
        out.push_str(&encode_path_segment(&value.to_literal(version)));
    }
    out.push(')');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Version::{V2, V3, V4};

    fn lit(v: &dyn Literal, version: Version) -> String {
        v.to_literal(version)
    }

    #[test]
    fn strings() {
        assert_eq!(lit(&"O'Neil", V4), "'O''Neil'");
        assert_eq!(lit(&String::from("''"), V2), "''''''");
        assert_eq!(lit(&"", V3), "''");
        assert_eq!(key_segment(&[("UserName", &"O'Neil")], V4), "('O''Neil')");
        assert_eq!(
            format!(
                "People{}",
                key_segment(&[("UserName", &"russellwhyte")], V4)
            ),
            "People('russellwhyte')"
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(
            format!("Products{}", key_segment(&[("ID", &1)], V4)),
            "Products(1)"
        );
        assert_eq!(lit(&1i64, V4), "1");
        // [MS-ODATA] int64UriLiteral: digits and a required `L`.
        assert_eq!(
            format!("Orders{}", key_segment(&[("OrderID", &10248i64)], V3)),
            "Orders(10248L)"
        );
        assert_eq!(lit(&-5i64, V2), "-5L");
        assert_eq!(lit(&10248i32, V3), "10248");
        assert_eq!(lit(&255u8, V2), "255");
        assert_eq!(lit(&-128i8, V4), "-128");
        assert_eq!(lit(&-3i16, V4), "-3");
        assert_eq!(lit(&true, V4), "true");
        assert_eq!(lit(&false, V2), "false");
        assert_eq!(lit(&1.5f64, V4), "1.5");
        assert_eq!(lit(&2.0f64, V4), "2.0");
        assert_eq!(lit(&1e300f64, V4), "1e300");
        assert_eq!(lit(&1e-7f64, V4), "1e-7");
        assert_eq!(lit(&1.5f64, V3), "1.5d");
        assert_eq!(lit(&1.5f32, V2), "1.5f");
        assert_eq!(lit(&f64::INFINITY, V4), "INF");
        assert_eq!(lit(&f64::NEG_INFINITY, V4), "-INF");
        assert_eq!(lit(&f64::NAN, V4), "NaN");
        assert_eq!(lit(&f32::INFINITY, V3), "INFf");
        assert_eq!(lit(&f64::NAN, V2), "NaNd");
        // No `+` ever appears in a float literal.
        for v in [1e21f64, 1.7976931348623157e308, 5e-324, 123456789.125] {
            assert!(!lit(&v, V4).contains('+'), "{v}");
        }
    }

    #[test]
    fn options() {
        assert_eq!(lit(&None::<i32>, V4), "null");
        assert_eq!(lit(&Some("a"), V4), "'a'");
        assert_eq!(lit(&Some(7i64), V3), "7L");
    }

    #[test]
    fn composite_keys() {
        assert_eq!(
            key_segment(&[("OrderID", &10248), ("ProductID", &11)], V4),
            "(OrderID=10248,ProductID=11)"
        );
        assert_eq!(
            key_segment(&[("a", &1i64), ("b", &"x y")], V3),
            "(a=1L,b='x%20y')"
        );
        assert_eq!(function_parameters(&[], V4), "()");
        assert_eq!(
            function_parameters(&[("groupIds", &"a"), ("securityEnabledOnly", &true)], V4),
            "(groupIds='a',securityEnabledOnly=true)"
        );
    }

    #[test]
    fn key_encoding() {
        assert_eq!(key_segment(&[("k", &"a/b")], V4), "('a%2Fb')");
        assert_eq!(key_segment(&[("k", &"a#b")], V4), "('a%23b')");
        assert_eq!(key_segment(&[("k", &"a?b")], V4), "('a%3Fb')");
        assert_eq!(key_segment(&[("k", &"100%")], V4), "('100%25')");
        assert_eq!(key_segment(&[("k", &"a b")], V4), "('a%20b')");
        assert_eq!(key_segment(&[("k", &"a+b")], V4), "('a%2Bb')");
        assert_eq!(key_segment(&[("k", &"a;b")], V4), "('a%3Bb')");
        assert_eq!(
            key_segment(&[("k", &"Zoë 東京")], V4),
            "('Zo%C3%AB%20%E6%9D%B1%E4%BA%AC')"
        );
        // Kept literal: sub-delimiters and what the key syntax itself uses.
        assert_eq!(
            key_segment(&[("k", &"(a=b,c)!$&*:@~._-")], V4),
            "('(a=b,c)!$&*:@~._-')"
        );
        assert_eq!(key_segment(&[("k", &"it's")], V4), "('it''s')");
        assert_eq!(
            key_segment(&[("k", &"\"<>[]\\^`{|}\n")], V4),
            "('%22%3C%3E%5B%5D%5C%5E%60%7B%7C%7D%0A')"
        );
    }

    #[test]
    fn query_encoding() {
        assert_eq!(
            encode_query_value("startswith(displayName,'a b')"),
            "startswith(displayName,'a%20b')"
        );
        assert_eq!(encode_query_value("a&b=c+d#e%f"), "a%26b=c%2Bd%23e%25f");
        assert_eq!(
            encode_query_value("a($select=b;$top=1)/c?d"),
            "a($select=b;$top=1)/c?d"
        );
        assert_eq!(encode_query_name("@p=1&"), "@p%3D1%26");
        assert_eq!(
            encode_query_value("\"mountain bike\""),
            "%22mountain%20bike%22"
        );
    }

    #[cfg(feature = "uuid")]
    #[test]
    fn guids() {
        let g: crate::Guid = "01234567-89ab-cdef-0123-456789abcdef".parse().unwrap();
        assert_eq!(
            format!("users{}", key_segment(&[("id", &g)], V4)),
            "users(01234567-89ab-cdef-0123-456789abcdef)"
        );
        assert_eq!(
            key_segment(&[("id", &g)], V2),
            "(guid'01234567-89ab-cdef-0123-456789abcdef')"
        );
        assert_eq!(lit(&g, V3), "guid'01234567-89ab-cdef-0123-456789abcdef'");
    }

    #[cfg(feature = "decimal")]
    #[test]
    fn decimals() {
        let d: crate::Decimal = "1.50".parse().unwrap();
        assert_eq!(lit(&d, V4), "1.50");
        assert_eq!(lit(&d, V3), "1.50M");
        assert_eq!(lit(&-d, V2), "-1.50M");
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn temporal() {
        use crate::{Date, DateTime, DateTimeOffset, TimeOfDay};
        let dto: DateTimeOffset = "2026-08-03T10:11:12.5+02:00".parse().unwrap();
        assert_eq!(lit(&dto, V4), "2026-08-03T10:11:12.5+02:00");
        assert_eq!(
            key_segment(&[("t", &dto)], V4),
            "(2026-08-03T10:11:12.5%2B02:00)"
        );
        assert_eq!(lit(&dto, V3), "datetimeoffset'2026-08-03T10:11:12.5+02:00'");
        let ms: DateTimeOffset = "/Date(1234567890000)/".parse().unwrap();
        assert_eq!(lit(&ms, V4), "2009-02-13T23:31:30Z");
        let dt: DateTime = "2026-08-03T10:11:12Z".parse().unwrap();
        assert_eq!(lit(&dt, V2), "datetime'2026-08-03T10:11:12'");
        let dt: DateTime = "/Date(1234567890123)/".parse().unwrap();
        assert_eq!(lit(&dt, V3), "datetime'2009-02-13T23:31:30.123'");
        let dt: DateTime = "2026-08-03T10:11".parse().unwrap();
        assert_eq!(lit(&dt, V4), "2026-08-03T10:11:00Z");
        // A zone read is the UTC time it denotes: equal values, equal literals.
        let zoned: DateTime = "2026-08-03T10:11:12.8454872+02:00".parse().unwrap();
        assert_eq!(lit(&zoned, V2), "datetime'2026-08-03T08:11:12.8454872'");
        assert_eq!(lit(&zoned, V4), "2026-08-03T08:11:12.8454872Z");
        let neg: DateTime = "2026-08-03T10:11:12-00:00".parse().unwrap();
        assert_eq!(lit(&neg, V4), "2026-08-03T10:11:12Z");
        let a: DateTime = "2026-08-03T10:11:12+02:00".parse().unwrap();
        let b: DateTime = "/Date(1785744672000+0120)/".parse().unwrap();
        assert_eq!(lit(&a, V3), lit(&b, V3));
        let d: Date = "2026-08-03".parse().unwrap();
        assert_eq!(lit(&d, V4), "2026-08-03");
        let t: TimeOfDay = "10:11:12.1234567".parse().unwrap();
        assert_eq!(lit(&t, V4), "10:11:12.1234567");
    }

    #[test]
    fn durations() {
        let d: crate::Duration = "P1DT2H3.5S".parse().unwrap();
        assert_eq!(lit(&d, V4), "duration'P1DT2H3.5S'");
        assert_eq!(lit(&d, V3), "time'P1DT2H3.5S'");
        let neg: crate::Duration = "-PT1M".parse().unwrap();
        assert_eq!(lit(&neg, V4), "duration'-PT1M'");
    }

    #[cfg(feature = "base64")]
    #[test]
    fn binaries() {
        let b = crate::Binary::new(vec![0xfb, 0xff, 0x01]);
        assert_eq!(lit(&b, V4), "binary'-_8B'");
        assert_eq!(lit(&b, V2), "X'FBFF01'");
        let std_form = crate::Binary::new(vec![0xfb, 0xff]).with_standard_alphabet();
        assert_eq!(lit(&std_form, V4), "binary'-_8'");
    }

    mod color {
        use crate::{EnumInfo, EnumType};
        #[derive(Debug, PartialEq)]
        pub enum Color {
            Red,
            Blue,
            Unknown(String),
        }
        impl EnumType for Color {
            const INFO: &'static EnumInfo = &EnumInfo {
                name: "ns.Color",
                members: &["Red", "Blue"],
                values: &[1, 2],
                flags: true,
            };
            fn member_or(i: usize, name: String) -> Self {
                match i {
                    0 => Color::Red,
                    1 => Color::Blue,
                    _ => Color::Unknown(name),
                }
            }
            fn index(&self) -> Result<usize, &str> {
                match self {
                    Color::Red => Ok(0),
                    Color::Blue => Ok(1),
                    Color::Unknown(s) => Err(s),
                }
            }
        }
    }

    #[test]
    fn enums() {
        use color::Color;
        assert_eq!(lit(&Color::Red, V4), "ns.Color'Red'");
        assert_eq!(lit(&Color::Unknown("Teal".into()), V4), "ns.Color'Teal'");
        assert_eq!(key_segment(&[("c", &Color::Blue)], V4), "(ns.Color'Blue')");
        let f = Flags::from(Color::Red) | Color::Blue;
        assert_eq!(lit(&f, V4), "ns.Color'Red,Blue'");
        assert_eq!(key_segment(&[("c", &f)], V4), "(ns.Color'Red,Blue')");
        assert_eq!(lit(&Flags::<Color>::new(), V4), "ns.Color'0'");
        assert_eq!(lit(&Some(Color::Red), V3), "ns.Color'Red'");
    }
}
