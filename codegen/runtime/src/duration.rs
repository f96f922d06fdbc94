//! `Edm.Duration` (and V3 `Edm.Time`): ISO 8601 day-time durations.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// An ISO 8601 day-time duration, `[-]P[nD][T[nH][nM][n[.f]S]]`.
///
/// The text is kept as read so it is written back unchanged (`PT1H` stays
/// `PT1H`, `PT60M` stays `PT60M`); comparison and hashing use the length
/// of time only, so `PT1H == PT60M`.
#[derive(Clone, Debug)]
pub struct Duration {
    text: Box<str>,
    negative: bool,
    secs: u64,
    nanos: u32,
}

/// Error returned when parsing a [`Duration`] fails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseDurationError {
    input: String,
    reason: &'static str,
}

impl fmt::Display for ParseDurationError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "invalid Edm.Duration `{}`: {}", self.input, self.reason)
    }
}

impl std::error::Error for ParseDurationError {}

impl Duration {
    /// A duration of `secs` seconds and `nanos` nanoseconds (`nanos` above
    /// one second carry over), negative if `negative`, with the shortest
    /// canonical text (`P1DT2H`, `PT0.5S`, `PT0S`).
    pub fn from_secs_nanos(negative: bool, secs: u64, nanos: u32) -> Self {
        let secs = secs.saturating_add(u64::from(nanos / 1_000_000_000));
        let nanos = nanos % 1_000_000_000;
        let negative = negative && (secs, nanos) != (0, 0);
        let mut t = String::new();
        if negative {
            t.push('-');
        }
        t.push('P');
        let (days, rem) = (secs / 86_400, secs % 86_400);
        let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
        if days > 0 {
            t.push_str(&format!("{days}D"));
        }
        if rem > 0 || nanos > 0 || days == 0 {
            t.push('T');
            if h > 0 {
                t.push_str(&format!("{h}H"));
            }
            if m > 0 {
                t.push_str(&format!("{m}M"));
            }
            if s > 0 || nanos > 0 || rem == 0 {
                t.push_str(&s.to_string());
                if nanos > 0 {
                    let f = format!("{nanos:09}");
                    t.push('.');
                    t.push_str(f.trim_end_matches('0'));
                }
                t.push('S');
            }
        }
        Duration {
            text: t.into(),
            negative,
            secs,
            nanos,
        }
    }

    /// Whether the duration is negative (a zero duration never is).
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// Whole seconds of the magnitude.
    pub fn secs(&self) -> u64 {
        self.secs
    }

    /// Sub-second nanoseconds of the magnitude.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Signed total nanoseconds.
    pub fn as_nanos(&self) -> i128 {
        let n = i128::from(self.secs) * 1_000_000_000 + i128::from(self.nanos);
        if self.negative { -n } else { n }
    }

    /// Total seconds as a float (may round).
    pub fn total_seconds(&self) -> f64 {
        let v = self.secs as f64 + f64::from(self.nanos) / 1e9;
        if self.negative { -v } else { v }
    }

    /// As a `std::time::Duration`; `None` if negative.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        (!self.negative).then(|| std::time::Duration::new(self.secs, self.nanos))
    }

    /// The text as read (or the canonical text of a constructed value).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl From<std::time::Duration> for Duration {
    fn from(d: std::time::Duration) -> Self {
        Duration::from_secs_nanos(false, d.as_secs(), d.subsec_nanos())
    }
}

impl Default for Duration {
    /// `PT0S`.
    fn default() -> Self {
        Duration::from_secs_nanos(false, 0, 0)
    }
}

impl PartialEq for Duration {
    fn eq(&self, other: &Self) -> bool {
        self.as_nanos() == other.as_nanos()
    }
}
impl Eq for Duration {}
impl Hash for Duration {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.as_nanos().hash(h);
    }
}
impl PartialOrd for Duration {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Duration {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_nanos().cmp(&other.as_nanos())
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Duration {
    type Err = ParseDurationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason| ParseDurationError {
            input: s.to_owned(),
            reason,
        };
        let b = s.as_bytes();
        let mut i = 0;
        let negative = match b.first() {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        if !matches!(b.get(i), Some(b'P' | b'p')) {
            return Err(err("expected `P`"));
        }
        i += 1;
        let mut total: u64 = 0;
        let mut nanos: u32 = 0;
        let mut any = false;
        let mut in_time = false;
        // Components must appear in this order: D, then after T: H, M, S.
        let mut last_rank = 0u8;
        while i < b.len() {
            if matches!(b[i], b'T' | b't') {
                if in_time {
                    return Err(err("`T` appears twice"));
                }
                in_time = true;
                i += 1;
                if i == b.len() {
                    return Err(err("`T` must be followed by hours, minutes or seconds"));
                }
                continue;
            }
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return Err(err("expected digits"));
            }
            let n: u64 = s[start..i].parse().map_err(|_| err("number too large"))?;
            let mut frac = None;
            if i < b.len() && b[i] == b'.' {
                let fs = i + 1;
                i = fs;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                if i == fs {
                    return Err(err("expected digits after `.`"));
                }
                frac = Some(&s[fs..i]);
            }
            let unit = b.get(i).copied().ok_or_else(|| err("missing unit"))?;
            i += 1;
            let (rank, mult) = match (unit.to_ascii_uppercase(), in_time) {
                (b'D', false) => (1, 86_400),
                (b'H', true) => (2, 3600),
                (b'M', true) => (3, 60),
                (b'S', true) => (4, 1),
                (b'Y' | b'M' | b'W', false) => {
                    return Err(err(
                        "years, months and weeks are not allowed (Edm.Duration is day-time only)",
                    ));
                }
                _ => return Err(err("unexpected unit")),
            };
            if rank <= last_rank {
                return Err(err("components out of order or repeated"));
            }
            last_rank = rank;
            if let Some(f) = frac {
                if rank != 4 {
                    return Err(err("only seconds may have a fraction"));
                }
                // Digits beyond nanoseconds are kept in the text only.
                let digits: String = f.chars().chain(std::iter::repeat('0')).take(9).collect();
                nanos = digits.parse().map_err(|_| err("bad fraction"))?;
            }
            total = n
                .checked_mul(mult)
                .and_then(|v| total.checked_add(v))
                .ok_or_else(|| err("duration too large"))?;
            any = true;
        }
        if !any {
            return Err(err("no components"));
        }
        Ok(Duration {
            text: s.into(),
            negative: negative && (total, nanos) != (0, 0),
            secs: total,
            nanos,
        })
    }
}

crate::string_serde!(Duration, "an ISO 8601 duration (Edm.Duration)");

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Duration {
        s.parse().unwrap()
    }

    #[test]
    fn keeps_text() {
        for s in [
            "PT1H",
            "P0D",
            "PT0S",
            "-P1DT2.5S",
            "P1DT2H",
            "PT60M",
            "PT0.1234567S",
            "+PT1S",
            "P1DT2H3M4.000S",
            "PT1.0000000001S",
        ] {
            assert_eq!(d(s).to_string(), s);
            let json = serde_json::to_string(&d(s)).unwrap();
            assert_eq!(serde_json::from_str::<Duration>(&json).unwrap().as_str(), s);
        }
    }

    #[test]
    fn values() {
        assert_eq!(d("PT1H"), d("PT60M"));
        assert_eq!(d("-P1DT2.5S").as_nanos(), -(86_402_500_000_000));
        assert_eq!(
            d("P1DT2H").to_std(),
            Some(std::time::Duration::from_secs(93_600))
        );
        assert_eq!(d("-PT1S").to_std(), None);
        assert!(!d("-PT0S").is_negative());
        assert!(d("-PT1S") < d("PT0S"));
        assert_eq!(d("PT1.5S").total_seconds(), 1.5);
    }

    #[test]
    fn canonical() {
        assert_eq!(Duration::from_secs_nanos(false, 0, 0).to_string(), "PT0S");
        assert_eq!(
            Duration::from_secs_nanos(true, 93_600, 0).to_string(),
            "-P1DT2H"
        );
        assert_eq!(
            Duration::from_secs_nanos(false, 86_400, 0).to_string(),
            "P1D"
        );
        assert_eq!(
            Duration::from_secs_nanos(false, 61, 500_000_000).to_string(),
            "PT1M1.5S"
        );
        assert_eq!(Duration::from_secs_nanos(true, 0, 0).to_string(), "PT0S");
        assert_eq!(
            Duration::from(std::time::Duration::from_millis(3_600_250)).to_string(),
            "PT1H0.25S"
        );
    }

    #[test]
    fn errors() {
        for s in [
            "",
            "P",
            "PT",
            "1D",
            "P1Y",
            "P1M",
            "P2W",
            "PT1D",
            "P1H",
            "PT1S2M",
            "PT1H1H",
            "P1.5D",
            "PT.5S",
            "PT1.S",
            "PT1",
            "P1DT",
            "PTT1S",
            "P99999999999999999999D",
            "P213503982334602D",
            "PT1HX",
            "-",
        ] {
            assert!(s.parse::<Duration>().is_err(), "{s:?} should fail");
        }
        let e = "P1Y".parse::<Duration>().unwrap_err().to_string();
        assert!(e.contains("years"), "{e}");
        assert!(serde_json::from_str::<Duration>("5").is_err());
    }
}
