//! Date and time primitives (feature `chrono`): `Edm.DateTimeOffset`,
//! `Edm.Date`, `Edm.TimeOfDay` and the V2/V3 `Edm.DateTime`.
//!
//! Each wraps a chrono value and remembers how it was written (fraction
//! digits, whether seconds were present, `Z` vs `+00:00`, the V2
//! `/Date(..)/` form) so a value read from a payload is written back as
//! the same text. Equality, ordering and hashing ignore the spelling.

use std::cmp::Ordering;
use std::fmt::{self, Write as _};
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};

/// Error returned when parsing a date/time value fails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseTemporalError {
    ty: &'static str,
    input: String,
    reason: &'static str,
}

impl fmt::Display for ParseTemporalError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "invalid {} `{}`: {}", self.ty, self.input, self.reason)
    }
}

impl std::error::Error for ParseTemporalError {}

type Res<T> = Result<T, &'static str>;

/// A byte cursor over ASCII date/time text.
struct Cur<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cur<'a> {
    fn new(s: &'a str) -> Self {
        Cur {
            b: s.as_bytes(),
            i: 0,
        }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        self.i += usize::from(hit);
        hit
    }
    fn expect(&mut self, c: u8, msg: &'static str) -> Res<()> {
        if self.eat(c) { Ok(()) } else { Err(msg) }
    }
    /// A run of digits (possibly empty), as text.
    fn run(&mut self) -> &'a [u8] {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        &self.b[start..self.i]
    }
    /// Exactly `n` digits.
    fn fixed(&mut self, n: usize, msg: &'static str) -> Res<u32> {
        let d = self.b.get(self.i..self.i + n).ok_or(msg)?;
        if !d.iter().all(u8::is_ascii_digit) {
            return Err(msg);
        }
        self.i += n;
        Ok(num(d))
    }
    fn end(&self) -> Res<()> {
        if self.i == self.b.len() {
            Ok(())
        } else {
            Err("unexpected trailing text")
        }
    }
}

fn num(d: &[u8]) -> u32 {
    d.iter().fold(0u32, |a, c| {
        a.wrapping_mul(10).wrapping_add(u32::from(c - b'0'))
    })
}

fn parse_date(c: &mut Cur) -> Res<NaiveDate> {
    let neg = c.eat(b'-');
    let y = c.run();
    if y.len() < 4 {
        return Err("the year needs at least 4 digits");
    }
    if y.len() > 4 && y[0] == b'0' {
        return Err("the year has a leading zero");
    }
    if y.len() > 6 {
        return Err("the year is out of range");
    }
    let mut year = num(y) as i32;
    if neg {
        if year == 0 {
            return Err("year -0000 is not supported");
        }
        year = -year;
    }
    c.expect(b'-', "expected `-` after the year")?;
    let m = c.fixed(2, "expected a 2-digit month")?;
    c.expect(b'-', "expected `-` after the month")?;
    let d = c.fixed(2, "expected a 2-digit day")?;
    NaiveDate::from_ymd_opt(year, m, d).ok_or("no such date")
}

fn write_date(f: &mut fmt::Formatter, d: NaiveDate) -> fmt::Result {
    let y = d.year();
    if y < 0 {
        write!(f, "-{:04}-{:02}-{:02}", -y, d.month(), d.day())
    } else {
        write!(f, "{:04}-{:02}-{:02}", y, d.month(), d.day())
    }
}

/// How a time of day was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct TimeForm {
    seconds: bool,
    /// Number of fraction digits (0: no fraction).
    frac: u8,
    /// Fraction digits beyond nanoseconds (OData allows 12), as a number
    /// of `frac - 9` digits.
    sub_nano: u16,
}

impl TimeForm {
    /// The shortest form that shows `t` exactly.
    fn for_time(t: NaiveTime) -> Self {
        let n = t.nanosecond() % 1_000_000_000;
        let frac = if n == 0 {
            0
        } else {
            9 - (0..9)
                .take_while(|k| n.is_multiple_of(10u32.pow(k + 1)))
                .count() as u8
        };
        TimeForm {
            seconds: true,
            frac,
            sub_nano: 0,
        }
    }
}

fn parse_time(c: &mut Cur) -> Res<(NaiveTime, TimeForm)> {
    let h = c.fixed(2, "expected 2-digit hours")?;
    c.expect(b':', "expected `:` after the hours")?;
    let m = c.fixed(2, "expected 2-digit minutes")?;
    let mut form = TimeForm {
        seconds: false,
        frac: 0,
        sub_nano: 0,
    };
    let (mut s, mut nanos) = (0, 0);
    if c.eat(b':') {
        form.seconds = true;
        s = c.fixed(2, "expected 2-digit seconds")?;
        if c.eat(b'.') {
            let d = c.run();
            if d.is_empty() {
                return Err("expected digits after `.`");
            }
            if d.len() > 12 {
                return Err("more than 12 fractional digits");
            }
            let (head, tail) = d.split_at(d.len().min(9));
            nanos = num(head) * 10u32.pow(9 - head.len() as u32);
            form.frac = d.len() as u8;
            form.sub_nano = num(tail) as u16;
        }
    }
    let t = NaiveTime::from_hms_nano_opt(h, m, s, nanos).ok_or("no such time of day")?;
    Ok((t, form))
}

fn write_time(f: &mut fmt::Formatter, t: NaiveTime, form: TimeForm) -> fmt::Result {
    write!(f, "{:02}:{:02}", t.hour(), t.minute())?;
    if form.seconds {
        write!(f, ":{:02}", t.second())?;
        if form.frac > 0 {
            let n = format!("{:09}", t.nanosecond() % 1_000_000_000);
            f.write_char('.')?;
            f.write_str(&n[..usize::from(form.frac.min(9))])?;
            if form.frac > 9 {
                let w = usize::from(form.frac - 9);
                write!(f, "{:0w$}", form.sub_nano)?;
            }
        }
    }
    Ok(())
}

/// The V2 JSON form `/Date(<ms>[(+|-)<minutes>])/`: milliseconds since the
/// Unix epoch (UTC) and an optional offset in minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct MsForm {
    /// `(sign, minutes, digits)` of the offset, if written.
    offset: Option<(u8, u32, u8)>,
}

fn parse_ms(s: &str) -> Option<Res<(i64, MsForm)>> {
    let inner = s.strip_prefix("/Date(")?.strip_suffix(")/")?;
    Some((|| {
        let b = inner.as_bytes();
        let split = b
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, c)| matches!(c, b'+' | b'-'))
            .map_or(b.len(), |(i, _)| i);
        let ms: i64 = inner[..split]
            .parse()
            .map_err(|_| "expected milliseconds in /Date(..)/")?;
        let offset = if split < b.len() {
            let digits = &inner[split + 1..];
            if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|c| c.is_ascii_digit())
            {
                return Err("expected offset minutes in /Date(..)/");
            }
            Some((b[split], num(digits.as_bytes()), digits.len() as u8))
        } else {
            None
        };
        Ok((ms, MsForm { offset }))
    })())
}

fn write_ms(f: &mut fmt::Formatter, ms: i64, form: MsForm) -> fmt::Result {
    write!(f, "/Date({ms}")?;
    if let Some((sign, minutes, w)) = form.offset {
        write!(f, "{}{:0w$}", char::from(sign), minutes, w = usize::from(w))?;
    }
    f.write_str(")/")
}

fn offset_minutes(form: MsForm) -> i32 {
    match form.offset {
        Some((b'-', m, _)) => -(m as i32),
        Some((_, m, _)) => m as i32,
        None => 0,
    }
}

/// How a zone was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Zone {
    Z,
    LowerZ,
    Offset,
    /// `-00:00` (RFC 3339: offset unknown).
    NegZero,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DtoForm {
    Iso { sep: u8, time: TimeForm, zone: Zone },
    Ms(MsForm),
}

/// `Edm.DateTimeOffset`: an instant with the offset it was written in.
///
/// Accepts RFC 3339 / OData text (`2026-08-03T10:11:12Z`,
/// `2026-08-03T10:11:12.1234567+02:00`, `2026-08-03T10:11z`, up to 12
/// fraction digits) and the V2 JSON form `/Date(1234567890000+0120)/`.
/// Equality compares the instant and the offset.
#[derive(Clone, Copy, Debug)]
pub struct DateTimeOffset {
    value: chrono::DateTime<FixedOffset>,
    form: DtoForm,
}

impl DateTimeOffset {
    /// The chrono value.
    pub fn value(&self) -> chrono::DateTime<FixedOffset> {
        self.value
    }

    /// The instant in UTC.
    pub fn to_utc(&self) -> chrono::DateTime<Utc> {
        self.value.to_utc()
    }
}

impl From<chrono::DateTime<FixedOffset>> for DateTimeOffset {
    fn from(value: chrono::DateTime<FixedOffset>) -> Self {
        let zone = if value.offset().local_minus_utc() == 0 {
            Zone::Z
        } else {
            Zone::Offset
        };
        DateTimeOffset {
            value,
            form: DtoForm::Iso {
                sep: b'T',
                time: TimeForm::for_time(value.time()),
                zone,
            },
        }
    }
}

impl From<chrono::DateTime<Utc>> for DateTimeOffset {
    fn from(value: chrono::DateTime<Utc>) -> Self {
        Self::from(value.fixed_offset())
    }
}

impl From<DateTimeOffset> for chrono::DateTime<FixedOffset> {
    fn from(v: DateTimeOffset) -> Self {
        v.value
    }
}

impl PartialEq for DateTimeOffset {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for DateTimeOffset {}
impl Hash for DateTimeOffset {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.value.naive_utc().hash(h);
        self.value.offset().local_minus_utc().hash(h);
    }
}
impl PartialOrd for DateTimeOffset {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for DateTimeOffset {
    /// By instant, then by offset.
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.naive_utc().cmp(&other.value.naive_utc()).then(
            self.value
                .offset()
                .local_minus_utc()
                .cmp(&other.value.offset().local_minus_utc()),
        )
    }
}

fn parse_zone(c: &mut Cur) -> Res<(i32, Zone)> {
    if c.eat(b'Z') {
        return Ok((0, Zone::Z));
    }
    if c.eat(b'z') {
        return Ok((0, Zone::LowerZ));
    }
    let neg = match c.peek() {
        Some(b'+') => false,
        Some(b'-') => true,
        _ => return Err("expected `Z` or an offset like `+02:00`"),
    };
    c.i += 1;
    let h = c.fixed(2, "expected 2-digit offset hours")?;
    c.expect(b':', "expected `:` in the offset")?;
    let m = c.fixed(2, "expected 2-digit offset minutes")?;
    if h > 23 || m > 59 {
        return Err("offset out of range");
    }
    let secs = (h * 3600 + m * 60) as i32;
    Ok(match (neg, secs) {
        (true, 0) => (0, Zone::NegZero),
        (true, s) => (-s, Zone::Offset),
        (false, s) => (s, Zone::Offset),
    })
}

/// Writes a zone as read: `Z`, `z`, `-00:00`, or the offset of `secs` seconds east of UTC.
fn write_zone(f: &mut fmt::Formatter, zone: Zone, secs: i32) -> fmt::Result {
    match zone {
        Zone::Z => f.write_char('Z'),
        Zone::LowerZ => f.write_char('z'),
        Zone::NegZero => f.write_str("-00:00"),
        Zone::Offset => {
            let sign = if secs < 0 { '-' } else { '+' };
            let o = secs.unsigned_abs();
            write!(f, "{sign}{:02}:{:02}", o / 3600, o % 3600 / 60)
        }
    }
}

fn parse_sep(c: &mut Cur) -> Res<u8> {
    match c.peek() {
        Some(s @ (b'T' | b't')) => {
            c.i += 1;
            Ok(s)
        }
        _ => Err("expected `T` between date and time"),
    }
}

fn parse_dto(s: &str) -> Res<DateTimeOffset> {
    if let Some(ms) = parse_ms(s) {
        let (ms, form) = ms?;
        let off = FixedOffset::east_opt(offset_minutes(form) * 60).ok_or("offset out of range")?;
        let utc = chrono::DateTime::from_timestamp_millis(ms).ok_or("out of range")?;
        return Ok(DateTimeOffset {
            value: utc.with_timezone(&off),
            form: DtoForm::Ms(form),
        });
    }
    let mut c = Cur::new(s);
    let date = parse_date(&mut c)?;
    let sep = parse_sep(&mut c)?;
    let (time, tf) = parse_time(&mut c)?;
    let (secs, zone) = parse_zone(&mut c)?;
    c.end()?;
    let off = FixedOffset::east_opt(secs).ok_or("offset out of range")?;
    let value = NaiveDateTime::new(date, time)
        .and_local_timezone(off)
        .single()
        .ok_or("out of range")?;
    Ok(DateTimeOffset {
        value,
        form: DtoForm::Iso {
            sep,
            time: tf,
            zone,
        },
    })
}

impl FromStr for DateTimeOffset {
    type Err = ParseTemporalError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_dto(s).map_err(|reason| ParseTemporalError {
            ty: "Edm.DateTimeOffset",
            input: s.to_owned(),
            reason,
        })
    }
}

impl fmt::Display for DateTimeOffset {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.form {
            DtoForm::Ms(form) => write_ms(f, self.value.timestamp_millis(), form),
            DtoForm::Iso { sep, time, zone } => {
                let local = self.value.naive_local();
                write_date(f, local.date())?;
                f.write_char(char::from(sep))?;
                write_time(f, local.time(), time)?;
                write_zone(f, zone, self.value.offset().local_minus_utc())
            }
        }
    }
}

crate::string_serde!(DateTimeOffset, "an Edm.DateTimeOffset string");

/// `Edm.Date`: a calendar date, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(NaiveDate);

impl Date {
    /// The chrono value.
    pub fn value(&self) -> NaiveDate {
        self.0
    }
}

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Self {
        Date(d)
    }
}

impl From<Date> for NaiveDate {
    fn from(d: Date) -> Self {
        d.0
    }
}

impl FromStr for Date {
    type Err = ParseTemporalError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut c = Cur::new(s);
        parse_date(&mut c)
            .and_then(|d| c.end().map(|()| Date(d)))
            .map_err(|reason| ParseTemporalError {
                ty: "Edm.Date",
                input: s.to_owned(),
                reason,
            })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write_date(f, self.0)
    }
}

crate::string_serde!(Date, "an Edm.Date string");

/// `Edm.TimeOfDay`: `HH:MM[:SS[.fffffff]]`, keeping the written precision.
#[derive(Clone, Copy, Debug)]
pub struct TimeOfDay {
    value: NaiveTime,
    form: TimeForm,
}

impl TimeOfDay {
    /// The chrono value.
    pub fn value(&self) -> NaiveTime {
        self.value
    }
}

impl From<NaiveTime> for TimeOfDay {
    fn from(value: NaiveTime) -> Self {
        TimeOfDay {
            value,
            form: TimeForm::for_time(value),
        }
    }
}

impl From<TimeOfDay> for NaiveTime {
    fn from(t: TimeOfDay) -> Self {
        t.value
    }
}

impl PartialEq for TimeOfDay {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl Eq for TimeOfDay {}
impl Hash for TimeOfDay {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.value.hash(h);
    }
}
impl PartialOrd for TimeOfDay {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for TimeOfDay {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl FromStr for TimeOfDay {
    type Err = ParseTemporalError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut c = Cur::new(s);
        parse_time(&mut c)
            .and_then(|(value, form)| c.end().map(|()| TimeOfDay { value, form }))
            .map_err(|reason| ParseTemporalError {
                ty: "Edm.TimeOfDay",
                input: s.to_owned(),
                reason,
            })
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write_time(f, self.value, self.form)
    }
}

crate::string_serde!(TimeOfDay, "an Edm.TimeOfDay string");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DtForm {
    Iso {
        sep: u8,
        time: TimeForm,
        /// A trailing zone as written (`Z`, `z`, `+02:00`, `-00:00`), with its offset in
        /// seconds east of UTC.
        zone: Option<(Zone, i32)>,
    },
    Ms(MsForm),
}

/// V2/V3 `Edm.DateTime`: a date and time without offset.
///
/// Accepts ISO text `2026-08-03T10:11[:12[.fff]]`, and the V2 JSON form
/// `/Date(<ms>)/`, where the milliseconds count from the Unix epoch. A zone
/// is read too: a trailing `Z`, an offset (`2026-08-03T10:11:12+02:00`, as
/// WCF Data Services writes the date-times it holds as local times) or the
/// offset of the V2 form (`/Date(<ms>+0060)/`). It is kept for writing back;
/// the value is the UTC time the text denotes (`08:11:12` for the example).
/// Text without a zone is taken as written. Equality compares the value
/// only.
#[derive(Clone, Copy, Debug)]
pub struct DateTime {
    value: NaiveDateTime,
    form: DtForm,
}

impl DateTime {
    /// The chrono value.
    pub fn value(&self) -> NaiveDateTime {
        self.value
    }
}

impl From<NaiveDateTime> for DateTime {
    fn from(value: NaiveDateTime) -> Self {
        DateTime {
            value,
            form: DtForm::Iso {
                sep: b'T',
                time: TimeForm::for_time(value.time()),
                zone: None,
            },
        }
    }
}

impl From<DateTime> for NaiveDateTime {
    fn from(v: DateTime) -> Self {
        v.value
    }
}

impl PartialEq for DateTime {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl Eq for DateTime {}
impl Hash for DateTime {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.value.hash(h);
    }
}
impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for DateTime {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

fn parse_dt(s: &str) -> Res<DateTime> {
    if let Some(ms) = parse_ms(s) {
        let (ms, form) = ms?;
        let v = chrono::DateTime::from_timestamp_millis(ms).ok_or("out of range")?;
        return Ok(DateTime {
            value: v.naive_utc(),
            form: DtForm::Ms(form),
        });
    }
    let mut c = Cur::new(s);
    let date = parse_date(&mut c)?;
    let sep = parse_sep(&mut c)?;
    let (time, tf) = parse_time(&mut c)?;
    let zone = match c.peek() {
        Some(b'Z' | b'z' | b'+' | b'-') => {
            let (secs, zone) = parse_zone(&mut c)?;
            Some((zone, secs))
        }
        _ => None,
    };
    c.end()?;
    let written = NaiveDateTime::new(date, time);
    let value = match zone {
        Some((_, secs)) => written
            .checked_sub_signed(chrono::TimeDelta::seconds(i64::from(secs)))
            .ok_or("out of range")?,
        None => written,
    };
    Ok(DateTime {
        value,
        form: DtForm::Iso {
            sep,
            time: tf,
            zone,
        },
    })
}

impl FromStr for DateTime {
    type Err = ParseTemporalError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_dt(s).map_err(|reason| ParseTemporalError {
            ty: "Edm.DateTime",
            input: s.to_owned(),
            reason,
        })
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.form {
            DtForm::Ms(form) => write_ms(f, self.value.and_utc().timestamp_millis(), form),
            DtForm::Iso { sep, time, zone } => {
                let offset = zone.map_or(0, |(_, secs)| secs);
                let written = self
                    .value
                    .checked_add_signed(chrono::TimeDelta::seconds(i64::from(offset)))
                    .unwrap_or(self.value);
                write_date(f, written.date())?;
                f.write_char(char::from(sep))?;
                write_time(f, written.time(), time)?;
                match zone {
                    Some((zone, secs)) => write_zone(f, zone, secs),
                    None => Ok(()),
                }
            }
        }
    }
}

crate::string_serde!(DateTime, "an Edm.DateTime string");

#[cfg(test)]
mod tests {
    use super::*;

    fn same<T: FromStr + fmt::Display>(s: &str)
    where
        T::Err: fmt::Debug,
    {
        let v: T = s.parse().unwrap();
        assert_eq!(v.to_string(), s);
    }

    #[test]
    fn date_time_offset_forms() {
        for s in [
            "2026-08-03T10:11:12Z",
            "2026-08-03T10:11:12.1234567+02:00",
            "2026-08-03T10:11Z",
            "2026-08-03t10:11:12z",
            "2026-08-03T10:11:12.1-05:30",
            "2026-08-03T10:11:12.000000000Z",
            "2026-08-03T10:11:12.123456789012+00:00",
            "2026-08-03T10:11:12-00:00",
            "0001-01-01T00:00:00Z",
            "-0044-03-15T12:00:00Z",
            "12026-01-01T00:00:00Z",
            "/Date(1234567890000)/",
            "/Date(1234567890000+0120)/",
            "/Date(-1000-0060)/",
        ] {
            same::<DateTimeOffset>(s);
        }
        let v: DateTimeOffset = "2026-08-03T10:11:12.1234567+02:00".parse().unwrap();
        assert_eq!(
            v.to_utc().to_rfc3339(),
            "2026-08-03T08:11:12.123456700+00:00"
        );
        let ms: DateTimeOffset = "/Date(1234567890000+0120)/".parse().unwrap();
        assert_eq!(ms.value().to_rfc3339(), "2009-02-14T01:31:30+02:00");
        let a: DateTimeOffset = "2026-08-03T10:11:00Z".parse().unwrap();
        let b: DateTimeOffset = "2026-08-03T10:11z".parse().unwrap();
        assert_eq!(a, b);
        let c: DateTimeOffset = "2026-08-03T12:11+02:00".parse().unwrap();
        assert_ne!(a, c);
        assert_eq!(a.to_utc(), c.to_utc());
    }

    #[test]
    fn date_time_offset_constructed() {
        let utc = chrono::DateTime::from_timestamp(1_700_000_000, 120_000_000).unwrap();
        let v = DateTimeOffset::from(utc);
        assert_eq!(v.to_string(), "2023-11-14T22:13:20.12Z");
        let off = utc.with_timezone(&FixedOffset::east_opt(-3600).unwrap());
        assert_eq!(
            DateTimeOffset::from(off).to_string(),
            "2023-11-14T21:13:20.12-01:00"
        );
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(serde_json::from_str::<DateTimeOffset>(&json).unwrap(), v);
    }

    #[test]
    fn date_time_offset_errors() {
        for s in [
            "",
            "2026-08-03",
            "2026-08-03T10:11:12",
            "2026-13-03T10:11:12Z",
            "2026-02-30T10:11:12Z",
            "2026-08-03T24:00:00Z",
            "2026-08-03T10:11:12.Z",
            "2026-08-03T10:11:12.1234567890123Z",
            "2026-08-03T10:11:12+2:00",
            "2026-08-03T10:11:12+24:00",
            "2026-08-03 10:11:12Z",
            "26-08-03T10:11:12Z",
            "02026-08-03T10:11:12Z",
            "2026-08-03T10:11:12Zx",
            "2026-8-3T10:11:12Z",
            "/Date(abc)/",
            "/Date(1+)/",
            "/Date(1+12345)/",
            "/Date(99999999999999999)/",
            "2026-08-03T10:11:60Z",
            "２０２６-08-03T10:11Z",
        ] {
            assert!(s.parse::<DateTimeOffset>().is_err(), "{s:?} should fail");
        }
        let e = "2026-02-30T10:11:12Z"
            .parse::<DateTimeOffset>()
            .unwrap_err();
        assert!(e.to_string().contains("no such date"), "{e}");
        assert!(serde_json::from_str::<DateTimeOffset>("12").is_err());
    }

    #[test]
    fn dates() {
        for s in ["2026-08-03", "0000-01-01", "-0001-12-31", "10000-01-01"] {
            same::<Date>(s);
        }
        for s in [
            "2026-8-3",
            "2026-08-03T",
            "2026-02-29",
            "2026/08/03",
            "",
            "-0000-01-01",
        ] {
            assert!(s.parse::<Date>().is_err(), "{s:?} should fail");
        }
        let d = Date::from(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2024-02-29\"");
    }

    #[test]
    fn times_of_day() {
        for s in [
            "10:11",
            "10:11:12",
            "10:11:12.5",
            "23:59:59.9999999",
            "00:00:00.000",
        ] {
            same::<TimeOfDay>(s);
        }
        for s in [
            "1:11",
            "10:11:",
            "10:11:12.",
            "24:00",
            "10:60",
            "10:11:12Z",
            "10",
        ] {
            assert!(s.parse::<TimeOfDay>().is_err(), "{s:?} should fail");
        }
        let a: TimeOfDay = "10:11".parse().unwrap();
        let b: TimeOfDay = "10:11:00.000".parse().unwrap();
        assert_eq!(a, b);
        let t = TimeOfDay::from(NaiveTime::from_hms_milli_opt(1, 2, 3, 400).unwrap());
        assert_eq!(t.to_string(), "01:02:03.4");
    }

    #[test]
    fn date_times() {
        for s in [
            "2026-08-03T10:11:12",
            "2026-08-03T10:11",
            "2026-08-03T10:11:12.123Z",
            "/Date(1234567890000)/",
            "/Date(1234567890000+0060)/",
            // WCF Data Services' local date-times, with 7 fractional digits.
            "5431-05-27T11:53:49.8454872+02:00",
            "2026-08-03T00:30:00-05:30",
            "2026-08-03T10:11:12-00:00",
            "2026-08-03t10:11:12z",
        ] {
            same::<DateTime>(s);
        }
        for s in [
            "2026-08-03T10:11:12+1:00",
            "2026-08-03T10:11:12+01",
            "2026-08-03T10:11:12+24:00",
            "2026-08-03",
            "/Date()/",
            "/Date(1)",
        ] {
            assert!(s.parse::<DateTime>().is_err(), "{s:?} should fail");
        }
        let a: DateTime = "/Date(0)/".parse().unwrap();
        let b: DateTime = "1970-01-01T00:00".parse().unwrap();
        assert_eq!(a, b);
        // A zone is kept as written; the value is the UTC time it denotes, in every form.
        let utc = |s: &str| s.parse::<DateTime>().unwrap().value().to_string();
        assert_eq!(utc("2026-08-03T10:11:12+02:00"), "2026-08-03 08:11:12");
        assert_eq!(utc("2026-08-03T00:30:00-05:30"), "2026-08-03 06:00:00");
        assert_eq!(utc("2026-08-03T01:00:00+02:00"), "2026-08-02 23:00:00");
        assert_eq!(utc("2026-08-03T08:11:12Z"), "2026-08-03 08:11:12");
        assert_eq!(utc("2026-08-03T08:11:12"), "2026-08-03 08:11:12");
        let a: DateTime = "2026-08-03T10:11:12+02:00".parse().unwrap();
        let b: DateTime = "/Date(1785744672000+0120)/".parse().unwrap();
        assert_eq!(a, b);
    }
}
