//! Retrying throttled and unavailable responses.

use std::time::{Duration, SystemTime};

/// A `Retry-After` header value as a delay from `now`: delta-seconds
/// (`120`) or an HTTP date (`Fri, 31 Dec 1999 23:59:59 GMT`, and the
/// obsolete RFC 850 and asctime forms); a date before `now` is zero. `None`
/// when the value is neither.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Digits only: seconds (saturating: a huge value is just "very long").
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}
