//! Enumeration types and flags sets.
//!
//! Generated enums have one variant per member plus `Unknown(String)`, so a
//! member added to the service after code generation is kept rather than
//! failing the whole payload. [`Flags`] is the set type for `IsFlags` enums,
//! written in OData's comma-separated form (`"Mon,Fri"`).

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ops::{BitAnd, BitOr, BitOrAssign, Sub};

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

/// Static description of a generated enumeration type.
#[derive(Debug)]
pub struct EnumInfo {
    /// Namespace-qualified EDM name.
    pub name: &'static str,
    /// Member names, in declaration order.
    pub members: &'static [&'static str],
    /// Member values, parallel to `members`.
    pub values: &'static [i64],
    /// Whether the enum is declared `IsFlags`.
    pub flags: bool,
}

/// A generated enumeration type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a primitive or enum value",
    label = "`$orderby` and comparisons need a property of a primitive or enum type",
    note = "a collection, complex or navigation property cannot be ordered by or compared"
)]
pub trait EnumType: Sized {
    /// The static description.
    const INFO: &'static EnumInfo;
    /// The member at `index` (declaration order) or, for an index past the members, the
    /// unknown member named `name`: the one constructor a generated enum writes out
    /// ([`EnumType::from_index`] and [`EnumType::unknown`] come from it: one function per
    /// type, not two, issue 14). For every `index < INFO.members.len()` it must give the
    /// member whose [`EnumType::index`] is `Ok(index)`, whatever `name` is; for any other, the
    /// unknown member keeping `name`.
    fn member_or(index: usize, name: String) -> Self;
    /// The declaration index, or the kept name of an unknown member.
    fn index(&self) -> Result<usize, &str>;

    /// The member at `index` (declaration order); `None` past the members.
    #[inline]
    fn from_index(index: usize) -> Option<Self> {
        (index < Self::INFO.members.len()).then(|| Self::member_or(index, String::new()))
    }

    /// An unknown member with the given name.
    #[inline]
    fn unknown(name: String) -> Self {
        Self::member_or(usize::MAX, name)
    }

    /// The member name (or the unknown name as read).
    fn name(&self) -> &str {
        match self.index() {
            Ok(i) => Self::INFO.members[i],
            Err(s) => s,
        }
    }

    /// The member value; `None` for unknown members.
    fn value(&self) -> Option<i64> {
        self.index().ok().map(|i| Self::INFO.values[i])
    }

    /// The member with this name, or an unknown member keeping it.
    fn from_name(name: &str) -> Self {
        match Self::INFO.members.iter().position(|m| *m == name) {
            Some(i) => Self::from_index(i).unwrap_or_else(|| Self::unknown(name.to_owned())),
            None => Self::unknown(name.to_owned()),
        }
    }

    /// The first member with this value.
    fn from_value(value: i64) -> Option<Self> {
        Self::INFO
            .values
            .iter()
            .position(|v| *v == value)
            .and_then(Self::from_index)
    }
}

/// Serializes an enum member as its name.
pub fn ser_enum<E: EnumType, S: Serializer>(v: &E, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v.name())
}

/// Deserializes an enum member from its name (unknown names are kept) or
/// from its integer value.
pub fn de_enum<'de, E: EnumType, D: Deserializer<'de>>(d: D) -> Result<E, D::Error> {
    struct V<E>(PhantomData<E>);
    impl<E: EnumType> Visitor<'_> for V<E> {
        type Value = E;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a member of `{}`", E::INFO.name)
        }
        fn visit_str<Er: de::Error>(self, v: &str) -> Result<E, Er> {
            Ok(E::from_name(v))
        }
        fn visit_string<Er: de::Error>(self, v: String) -> Result<E, Er> {
            match E::INFO.members.iter().position(|m| *m == v) {
                Some(i) => Ok(E::from_index(i).unwrap_or_else(|| E::unknown(v))),
                None => Ok(E::unknown(v)),
            }
        }
        fn visit_i64<Er: de::Error>(self, v: i64) -> Result<E, Er> {
            Ok(E::from_value(v).unwrap_or_else(|| E::unknown(v.to_string())))
        }
        fn visit_u64<Er: de::Error>(self, v: u64) -> Result<E, Er> {
            match i64::try_from(v) {
                Ok(i) => self.visit_i64(i),
                Err(_) => Ok(E::unknown(v.to_string())),
            }
        }
    }
    d.deserialize_any(V(PhantomData))
}

/// Implements `Serialize`/`Deserialize` for an [`EnumType`].
#[macro_export]
macro_rules! impl_enum_serde {
    ($t:ty) => {
        impl $crate::serde::Serialize for $t {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                s: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::ser_enum(self, s)
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $t {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::de_enum(d)
            }
        }
    };
}

/// `Debug` of an enum type through its description: the member name as the service spells it
/// (`Unknown("name")` for a member this crate does not know).
pub fn debug_enum<E: EnumType>(v: &E, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    match v.index() {
        Ok(i) => f.write_str(E::INFO.members[i]),
        Err(name) => f.debug_tuple("Unknown").field(&name).finish(),
    }
}

/// `Clone` of an enum type through [`EnumType::index`] and [`EnumType::member_or`] instead of
/// a `match` of its own: the same member, an unknown one with its name copied.
#[inline]
pub fn clone_enum<E: EnumType>(v: &E) -> E {
    match v.index() {
        Ok(i) => E::member_or(i, String::new()),
        Err(name) => E::unknown(name.to_owned()),
    }
}

/// Implements serde, `Debug`, `PartialEq`, `Eq`, `Hash`, `PartialOrd` and `Ord` for an
/// [`EnumType`] through its description (no code per member): members compare in declaration
/// order, unknown members after them by name; `Debug` is [`debug_enum`]. With `, Clone` also
/// `Clone`, through [`clone_enum`] (what generated enums use).
#[macro_export]
macro_rules! impl_enum {
    ($t:ty, Clone) => {
        $crate::impl_enum!($t);
        impl ::core::clone::Clone for $t {
            #[inline]
            fn clone(&self) -> Self {
                $crate::clone_enum(self)
            }
        }
    };
    ($t:ty) => {
        $crate::impl_enum_serde!($t);
        impl ::core::fmt::Debug for $t {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                $crate::debug_enum(self, f)
            }
        }
        impl ::core::cmp::PartialEq for $t {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                $crate::EnumType::index(self) == $crate::EnumType::index(other)
            }
        }
        impl ::core::cmp::Eq for $t {}
        impl ::core::hash::Hash for $t {
            fn hash<H: ::core::hash::Hasher>(&self, state: &mut H) {
                ::core::hash::Hash::hash(&$crate::EnumType::index(self), state)
            }
        }
        impl ::core::cmp::PartialOrd for $t {
            #[inline]
            fn partial_cmp(&self, other: &Self) -> ::core::option::Option<::core::cmp::Ordering> {
                ::core::option::Option::Some(::core::cmp::Ord::cmp(self, other))
            }
        }
        impl ::core::cmp::Ord for $t {
            #[inline]
            fn cmp(&self, other: &Self) -> ::core::cmp::Ordering {
                ::core::cmp::Ord::cmp(
                    &$crate::EnumType::index(self),
                    &$crate::EnumType::index(other),
                )
            }
        }
    };
}

/// A set of members of a flags enumeration.
///
/// Known members are bits; names this crate version does not know are kept
/// (in the order read) so they are written back.
pub struct Flags<E: EnumType> {
    /// The bits of the known members in the set.
    pub bits: u64,
    /// Names of unknown members in the set.
    pub unknown: Vec<String>,
    _e: PhantomData<fn() -> E>,
}

impl<E: EnumType> Flags<E> {
    /// The empty set.
    pub fn new() -> Self {
        Flags {
            bits: 0,
            unknown: Vec::new(),
            _e: PhantomData,
        }
    }

    /// A set with exactly these bits.
    pub fn from_bits(bits: u64) -> Self {
        Flags {
            bits,
            ..Self::new()
        }
    }

    /// Adds a member.
    pub fn insert(&mut self, member: E) {
        match member.index() {
            Ok(i) => self.bits |= E::INFO.values[i] as u64,
            Err(name) => {
                if !self.unknown.iter().any(|u| u == name) {
                    self.unknown.push(name.to_owned());
                }
            }
        }
    }

    /// Removes a member (all of its bits).
    pub fn remove(&mut self, member: &E) {
        match member.index() {
            Ok(i) => self.bits &= !(E::INFO.values[i] as u64),
            Err(name) => self.unknown.retain(|u| u != name),
        }
    }

    /// Whether all bits of `member` are set. A member with value 0 is
    /// contained only in the empty set.
    pub fn contains(&self, member: &E) -> bool {
        match member.index() {
            Ok(i) => {
                let v = E::INFO.values[i] as u64;
                if v == 0 {
                    self.is_empty()
                } else {
                    self.bits & v == v
                }
            }
            Err(name) => self.unknown.iter().any(|u| u == name),
        }
    }

    /// Whether no member is set.
    pub fn is_empty(&self) -> bool {
        self.bits == 0 && self.unknown.is_empty()
    }

    /// The members as written to JSON: declared members in declaration
    /// order, skipping those whose bits are already covered by earlier ones,
    /// then unknown names.
    pub fn iter(&self) -> FlagsIter<'_, E> {
        FlagsIter {
            flags: self,
            next: 0,
            covered: 0,
            unknown: 0,
        }
    }

    /// Bits set that no declared member accounts for (e.g. read from an
    /// integer); written back as a number inside the list.
    fn leftover(&self) -> u64 {
        let mut covered = 0u64;
        for &v in E::INFO.values {
            let v = v as u64;
            if v != 0 && self.bits & v == v {
                covered |= v;
            }
        }
        self.bits & !covered
    }

    fn add_name(&mut self, name: &str) {
        if let Some(i) = E::INFO.members.iter().position(|m| *m == name) {
            self.bits |= E::INFO.values[i] as u64;
        } else if let Ok(n) = name.parse::<u64>() {
            self.bits |= n;
        } else if !self.unknown.iter().any(|u| u == name) {
            self.unknown.push(name.to_owned());
        }
    }
}

impl<E: EnumType> fmt::Display for Flags<E> {
    /// The OData comma-separated form.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.is_empty() {
            let zero = E::INFO.values.iter().position(|v| *v == 0);
            return f.write_str(zero.map_or("", |i| E::INFO.members[i]));
        }
        let mut first = true;
        let mut sep = |f: &mut fmt::Formatter| {
            if !std::mem::take(&mut first) {
                f.write_str(",")
            } else {
                Ok(())
            }
        };
        for m in self.iter() {
            sep(f)?;
            f.write_str(m.name())?;
        }
        let left = self.leftover();
        if left != 0 {
            sep(f)?;
            write!(f, "{left}")?;
        }
        Ok(())
    }
}

impl<E: EnumType> std::str::FromStr for Flags<E> {
    type Err = std::convert::Infallible;
    /// Parses the comma-separated form; unknown names are kept, integers
    /// add their bits.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut out = Self::new();
        for part in s.split(',') {
            let part = part.trim();
            if !part.is_empty() {
                out.add_name(part);
            }
        }
        Ok(out)
    }
}

/// Iterator over the members of a [`Flags`] set, see [`Flags::iter`].
pub struct FlagsIter<'a, E: EnumType> {
    flags: &'a Flags<E>,
    next: usize,
    covered: u64,
    unknown: usize,
}

impl<E: EnumType> Iterator for FlagsIter<'_, E> {
    type Item = E;
    fn next(&mut self) -> Option<E> {
        let values = E::INFO.values;
        while self.next < values.len() {
            let i = self.next;
            self.next += 1;
            let v = values[i] as u64;
            if v != 0 && self.flags.bits & v == v && v & !self.covered != 0 {
                self.covered |= v;
                if let Some(m) = E::from_index(i) {
                    return Some(m);
                }
            }
        }
        let name = self.flags.unknown.get(self.unknown)?;
        self.unknown += 1;
        Some(E::unknown(name.clone()))
    }
}

impl<'a, E: EnumType> IntoIterator for &'a Flags<E> {
    type Item = E;
    type IntoIter = FlagsIter<'a, E>;
    fn into_iter(self) -> FlagsIter<'a, E> {
        self.iter()
    }
}

impl<E: EnumType> Clone for Flags<E> {
    fn clone(&self) -> Self {
        Flags {
            bits: self.bits,
            unknown: self.unknown.clone(),
            _e: PhantomData,
        }
    }
}

impl<E: EnumType> Default for Flags<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: EnumType> fmt::Debug for Flags<E> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Flags<{}>({:?})", E::INFO.name, self.to_string())
    }
}

impl<E: EnumType> PartialEq for Flags<E> {
    fn eq(&self, other: &Self) -> bool {
        self.bits == other.bits && self.unknown == other.unknown
    }
}

impl<E: EnumType> Eq for Flags<E> {}

impl<E: EnumType> Hash for Flags<E> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.bits.hash(h);
        self.unknown.hash(h);
    }
}

impl<E: EnumType> From<E> for Flags<E> {
    fn from(m: E) -> Self {
        let mut f = Self::new();
        f.insert(m);
        f
    }
}

impl<E: EnumType> FromIterator<E> for Flags<E> {
    fn from_iter<I: IntoIterator<Item = E>>(iter: I) -> Self {
        let mut f = Self::new();
        f.extend(iter);
        f
    }
}

impl<E: EnumType> Extend<E> for Flags<E> {
    fn extend<I: IntoIterator<Item = E>>(&mut self, iter: I) {
        for m in iter {
            self.insert(m);
        }
    }
}

impl<E: EnumType> BitOr for Flags<E> {
    type Output = Self;
    fn bitor(mut self, rhs: Self) -> Self {
        self |= rhs;
        self
    }
}

impl<E: EnumType> BitOr<E> for Flags<E> {
    type Output = Self;
    fn bitor(mut self, rhs: E) -> Self {
        self.insert(rhs);
        self
    }
}

impl<E: EnumType> BitOrAssign for Flags<E> {
    fn bitor_assign(&mut self, rhs: Self) {
        self.bits |= rhs.bits;
        for u in rhs.unknown {
            if !self.unknown.contains(&u) {
                self.unknown.push(u);
            }
        }
    }
}

impl<E: EnumType> BitOrAssign<E> for Flags<E> {
    fn bitor_assign(&mut self, rhs: E) {
        self.insert(rhs);
    }
}

impl<E: EnumType> BitAnd for Flags<E> {
    type Output = Self;
    fn bitand(mut self, rhs: Self) -> Self {
        self.bits &= rhs.bits;
        self.unknown.retain(|u| rhs.unknown.contains(u));
        self
    }
}

impl<E: EnumType> Sub for Flags<E> {
    type Output = Self;
    fn sub(mut self, rhs: Self) -> Self {
        self.bits &= !rhs.bits;
        self.unknown.retain(|u| !rhs.unknown.contains(u));
        self
    }
}

/// Serializes a flags set in the comma-separated form.
pub fn ser_flags<E: EnumType, S: Serializer>(v: &Flags<E>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// Deserializes a flags set from the comma-separated form or an integer.
pub fn de_flags<'de, E: EnumType, D: Deserializer<'de>>(d: D) -> Result<Flags<E>, D::Error> {
    struct V<E>(PhantomData<E>);
    impl<E: EnumType> Visitor<'_> for V<E> {
        type Value = Flags<E>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "comma-separated members of `{}`", E::INFO.name)
        }
        fn visit_str<Er: de::Error>(self, v: &str) -> Result<Flags<E>, Er> {
            let Ok(f) = v.parse();
            Ok(f)
        }
        fn visit_i64<Er: de::Error>(self, v: i64) -> Result<Flags<E>, Er> {
            Ok(Flags::from_bits(v as u64))
        }
        fn visit_u64<Er: de::Error>(self, v: u64) -> Result<Flags<E>, Er> {
            Ok(Flags::from_bits(v))
        }
    }
    d.deserialize_any(V(PhantomData))
}

impl<E: EnumType> serde::Serialize for Flags<E> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ser_flags(self, s)
    }
}

impl<'de, E: EnumType> serde::Deserialize<'de> for Flags<E> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de_flags(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone)]
    enum Perm {
        None,
        Read,
        Write,
        ReadWrite,
        Unknown(String),
    }
    impl EnumType for Perm {
        const INFO: &'static EnumInfo = &EnumInfo {
            name: "ns.Perm",
            members: &["None", "Read", "Write", "ReadWrite"],
            values: &[0, 1, 2, 3],
            flags: true,
        };
        fn member_or(i: usize, name: String) -> Self {
            match i {
                0 => Self::None,
                1 => Self::Read,
                2 => Self::Write,
                3 => Self::ReadWrite,
                _ => Self::Unknown(name),
            }
        }
        fn index(&self) -> Result<usize, &str> {
            match self {
                Self::None => Ok(0),
                Self::Read => Ok(1),
                Self::Write => Ok(2),
                Self::ReadWrite => Ok(3),
                Self::Unknown(s) => Err(s),
            }
        }
    }
    crate::impl_enum!(Perm);

    /// `Clone` through `index` and `member_or`: every member, and an unknown one with its name.
    #[test]
    fn clone_through_index_and_member_or() {
        for p in [Perm::None, Perm::Read, Perm::Write, Perm::ReadWrite] {
            assert_eq!(clone_enum(&p), p);
        }
        assert_eq!(
            clone_enum(&Perm::Unknown("Admin".into())),
            Perm::Unknown("Admin".into())
        );
    }

    /// `from_index` and `unknown` through the one constructor a generated enum writes out:
    /// `None` past the members (not an unknown member with an empty name).
    #[test]
    fn from_index_and_unknown_through_member_or() {
        assert_eq!(Perm::from_index(0), Some(Perm::None));
        assert_eq!(Perm::from_index(3), Some(Perm::ReadWrite));
        assert_eq!(Perm::from_index(4), None);
        assert_eq!(Perm::from_index(usize::MAX), None);
        assert_eq!(Perm::unknown("Admin".into()), Perm::Unknown("Admin".into()));
        assert_eq!(Perm::from_name("Write"), Perm::Write);
        assert_eq!(Perm::from_name("Admin"), Perm::Unknown("Admin".into()));
        assert_eq!(Perm::from_value(2), Some(Perm::Write));
        assert_eq!(Perm::from_value(9), None);
    }

    /// What generated enums get from `impl_enum!` (no derives): declaration order, unknown
    /// members last and by name, hashing consistent with equality, `Debug` as the member name.
    #[test]
    fn comparisons_hash_and_debug_through_the_description() {
        use std::collections::HashSet;
        let mut all = [
            Perm::Unknown("b".into()),
            Perm::ReadWrite,
            Perm::Unknown("a".into()),
            Perm::None,
            Perm::Write,
        ];
        all.sort();
        let debug: Vec<String> = all.iter().map(|p| format!("{p:?}")).collect();
        assert_eq!(
            debug,
            [
                "None",
                "Write",
                "ReadWrite",
                "Unknown(\"a\")",
                "Unknown(\"b\")"
            ]
        );
        assert!(Perm::Read < Perm::Write && Perm::ReadWrite < Perm::Unknown(String::new()));
        assert_ne!(Perm::Read, Perm::Write);
        assert_ne!(Perm::Unknown("a".into()), Perm::Unknown("b".into()));
        let set: HashSet<Perm> = [Perm::Read, Perm::Read, Perm::Unknown("x".into())].into();
        assert_eq!(set.len(), 2);
        assert!(set.contains(&Perm::Unknown("x".into())));
    }

    #[test]
    fn enum_names_and_values() {
        assert_eq!(Perm::from_name("Write"), Perm::Write);
        assert_eq!(Perm::from_name("Exec"), Perm::Unknown("Exec".into()));
        assert_eq!(Perm::from_value(3), Some(Perm::ReadWrite));
        assert_eq!(Perm::from_value(9), None);
        assert_eq!(Perm::Unknown("X".into()).value(), None);
        let p: Perm = serde_json::from_str("2").unwrap();
        assert_eq!(p, Perm::Write);
        let p: Perm = serde_json::from_str("7").unwrap();
        assert_eq!(p, Perm::Unknown("7".into()));
        assert!(serde_json::from_str::<Perm>("[]").is_err());
        assert_eq!(serde_json::to_string(&Perm::Read).unwrap(), "\"Read\"");
    }

    #[test]
    fn flags_forms() {
        let f: Flags<Perm> = serde_json::from_str("\" Read , Write \"").unwrap();
        assert_eq!(f.to_string(), "Read,Write");
        assert!(f.contains(&Perm::ReadWrite));
        assert!(!f.contains(&Perm::None));
        let f: Flags<Perm> = serde_json::from_str("\"ReadWrite\"").unwrap();
        assert_eq!(f.iter().collect::<Vec<_>>(), vec![Perm::Read, Perm::Write]);
        let f: Flags<Perm> = serde_json::from_str("\"\"").unwrap();
        assert!(f.is_empty() && f.contains(&Perm::None));
        assert_eq!(f.to_string(), "None");
        let f: Flags<Perm> = serde_json::from_str("5").unwrap();
        assert_eq!(f.to_string(), "Read,4");
        let back: Flags<Perm> = "Read,4".parse().unwrap();
        assert_eq!(back, f);
        let f: Flags<Perm> = serde_json::from_str("\"Read,Exec\"").unwrap();
        assert_eq!(serde_json::to_string(&f).unwrap(), "\"Read,Exec\"");
        assert!(serde_json::from_str::<Flags<Perm>>("true").is_err());
    }
}
