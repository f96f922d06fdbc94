//! `Edm.Binary` (feature `base64`).

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::{
    STANDARD, STANDARD_NO_PAD, STANDARD_PAD_INDIFFERENT, URL_SAFE, URL_SAFE_NO_PAD,
    URL_SAFE_PAD_INDIFFERENT,
};

/// Binary data, written as base64.
///
/// V4 uses base64url; V2/V3 services (and some V4 ones) use standard
/// base64. The alphabet and padding that were read are remembered so the
/// value is written back unchanged; new values use base64url without
/// padding. Equality and hashing consider the bytes only.
#[derive(Clone, Debug, Default)]
pub struct Binary {
    bytes: Vec<u8>,
    standard: bool,
    padded: bool,
}

/// Error returned when parsing a [`Binary`] fails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseBinaryError(String);

impl fmt::Display for ParseBinaryError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "invalid Edm.Binary (base64): {}", self.0)
    }
}

impl std::error::Error for ParseBinaryError {}

impl Binary {
    /// Wraps bytes (written as unpadded base64url).
    pub fn new(bytes: Vec<u8>) -> Self {
        Binary {
            bytes,
            standard: false,
            padded: false,
        }
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Takes the bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Whether the value is written with the standard (`+/`) alphabet.
    pub fn is_standard(&self) -> bool {
        self.standard
    }

    /// Switches to standard base64 with padding (what V2/V3 services
    /// expect).
    pub fn with_standard_alphabet(mut self) -> Self {
        self.standard = true;
        self.padded = true;
        self
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary::new(bytes)
    }
}

impl AsRef<[u8]> for Binary {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl PartialEq for Binary {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}
impl Eq for Binary {}
impl Hash for Binary {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.bytes.hash(h);
    }
}

impl fmt::Display for Binary {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let engine = match (self.standard, self.padded) {
            (true, true) => &STANDARD,
            (true, false) => &STANDARD_NO_PAD,
            (false, true) => &URL_SAFE,
            (false, false) => &URL_SAFE_NO_PAD,
        };
        f.write_str(&engine.encode(&self.bytes))
    }
}

impl FromStr for Binary {
    type Err = ParseBinaryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Text without any of `+/-_` decodes the same under both alphabets
        // and re-encodes identically, so the choice only matters when one
        // of them appears.
        let standard = s.contains(['+', '/']);
        if standard && s.contains(['-', '_']) {
            return Err(ParseBinaryError(
                "mixes base64 and base64url alphabets".into(),
            ));
        }
        let engine = if standard {
            &STANDARD_PAD_INDIFFERENT
        } else {
            &URL_SAFE_PAD_INDIFFERENT
        };
        let bytes = engine
            .decode(s)
            .map_err(|e| ParseBinaryError(e.to_string()))?;
        Ok(Binary {
            bytes,
            standard,
            padded: s.ends_with('='),
        })
    }
}

crate::string_serde!(Binary, "base64 or base64url text (Edm.Binary)");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_form() {
        for s in [
            "", "AA", "AA==", "-_8", "+/8=", "+/8", "-_8=", "aGVsbG8", "aGVsbG8=",
        ] {
            let b: Binary = s.parse().unwrap();
            assert_eq!(b.to_string(), s);
        }
        let b: Binary = "+/8=".parse().unwrap();
        assert_eq!(b.bytes(), &[0xfb, 0xff]);
        assert_eq!(b, "-_8".parse::<Binary>().unwrap());
        assert_eq!(Binary::new(vec![0xfb, 0xff]).to_string(), "-_8");
        assert_eq!(
            Binary::new(vec![0xfb, 0xff])
                .with_standard_alphabet()
                .to_string(),
            "+/8="
        );
        assert_eq!(Binary::new(b"hi".to_vec()).into_bytes(), b"hi");
    }

    #[test]
    fn errors() {
        for s in ["A", "+_8=", "a b", "AB=C", "!!!!", "AB==="] {
            assert!(s.parse::<Binary>().is_err(), "{s:?} should fail");
        }
        assert!(serde_json::from_str::<Binary>("12").is_err());
    }
}
