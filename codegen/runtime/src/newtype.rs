//! Serde for generated newtypes (`TypeDefinition`s).

/// Implements transparent `Serialize`/`Deserialize` for a tuple newtype.
///
/// `impl_newtype_serde!(Age)` uses the inner type's own serde impls;
/// `impl_newtype_serde!(Big as rt::codec::Int64)` goes through a codec.
#[macro_export]
macro_rules! impl_newtype_serde {
    ($t:ty) => {
        impl $crate::serde::Serialize for $t {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                s: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::serde::Serialize::serialize(&self.0, s)
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $t {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::serde::Deserialize::deserialize(d).map(Self)
            }
        }
    };
    ($t:ty as $c:ty) => {
        impl $crate::serde::Serialize for $t {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                s: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                <$c as $crate::codec::Codec>::serialize(&self.0, s)
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $t {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                <$c as $crate::codec::Codec>::deserialize(d).map(Self)
            }
        }
    };
}
