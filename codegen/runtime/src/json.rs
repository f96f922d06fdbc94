//! Primitive types whose values are arbitrary JSON: geo values, inline
//! streams and untyped values.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// `Edm.Untyped` / `Edm.PrimitiveType`: any JSON value.
pub type Json = Value;

/// A value of one of the `Edm.Geography*` / `Edm.Geometry*` types, kept as
/// its GeoJSON-shaped JSON (`{"type": "Point", "coordinates": [..], "crs": ..}`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Geo(pub Value);

impl Geo {
    /// The GeoJSON `type` (`Point`, `Polygon`, ...), if present.
    pub fn kind(&self) -> Option<&str> {
        self.0.get("type")?.as_str()
    }

    /// The `coordinates` member, if present.
    pub fn coordinates(&self) -> Option<&Value> {
        self.0.get("coordinates")
    }
}

/// An inline `Edm.Stream` value (OData 4.01). Usually a stream property is
/// absent from the payload and only its `name@odata.mediaReadLink` etc.
/// annotations appear (kept in [`crate::Extra`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stream(pub Value);

macro_rules! transparent {
    ($t:ident) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(s)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Value::deserialize(d).map($t)
            }
        }
        impl From<Value> for $t {
            fn from(v: Value) -> Self {
                $t(v)
            }
        }
        impl std::fmt::Display for $t {
            /// The JSON text.
            fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
        impl std::str::FromStr for $t {
            type Err = serde_json::Error;
            /// Parses JSON text.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                serde_json::from_str(s).map($t)
            }
        }
    };
}
transparent!(Geo);
transparent!(Stream);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geo_kind() {
        let g: Geo = r#"{"type":"Point","coordinates":[1.5,2]}"#.parse().unwrap();
        assert_eq!(g.kind(), Some("Point"));
        // Keys keep the order they were read in.
        assert_eq!(g.to_string(), r#"{"type":"Point","coordinates":[1.5,2]}"#);
        assert_eq!(Geo(Value::Null).kind(), None);
        let s: Stream = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"abc\"");
    }
}
