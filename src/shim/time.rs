//! Timestamps in Go's `time.RFC3339Nano` layout, as Docker writes them in
//! json-file logs (`2006-01-02T15:04:05.999999999Z07:00`: UTC, trailing zeros
//! of the fraction trimmed) and prints them in `docker logs -t` (fixed nine
//! digits). The one RFC3339Nano formatter in berth: the shim writes log and
//! exit times with it and the container engine records `StartedAt`,
//! `FinishedAt` and `Created` with it. Hand-written civil-date arithmetic keeps
//! the shim free of a date library; it must not grow a dependency on chrono.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) → days since 1970-01-01.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 } as i64;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn split(t: SystemTime) -> (i64, u32) {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(_) => (0, 0),
    }
}

fn format(t: SystemTime, fixed: bool) -> String {
    let (secs, nanos) = split(t);
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    let mut s = format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    if fixed {
        s.push_str(&format!(".{nanos:09}"));
    } else if nanos != 0 {
        let frac = format!("{nanos:09}");
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    s.push('Z');
    s
}

/// Go's `RFC3339Nano` in UTC: what Docker stores in a json-file `time` field.
pub fn rfc3339_nano(t: SystemTime) -> String {
    format(t, false)
}

/// Nine fractional digits always, like `docker logs --timestamps`.
pub fn rfc3339_nano_fixed(t: SystemTime) -> String {
    format(t, true)
}

fn num(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parse RFC 3339 with optional fraction and `Z` or `±hh:mm` offset; also
/// accepts a missing offset (taken as UTC) and a bare date `2006-01-02`.
pub fn parse_rfc3339(s: &str) -> Option<SystemTime> {
    let (date, rest) = match s.find(['T', 't']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, "00:00:00Z"),
    };
    let mut dp = date.split('-');
    let (y, mo, d) = (
        num(dp.next()?)?,
        num(dp.next()?)? as u32,
        num(dp.next()?)? as u32,
    );
    if dp.next().is_some() || !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    // Split the offset off the time of day.
    let (tod, offset_secs) = if let Some(t) = rest.strip_suffix(['Z', 'z']) {
        (t, 0)
    } else if let Some(i) = rest.rfind(['+', '-']) {
        let (t, off) = rest.split_at(i);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let mut op = off[1..].split(':');
        let oh = num(op.next()?)?;
        let om = op.next().map(num).unwrap_or(Some(0))?;
        (t, sign * (oh * 3600 + om * 60))
    } else {
        (rest, 0)
    };
    let (hms, frac) = match tod.split_once('.') {
        Some((a, b)) => (a, b),
        None => (tod, ""),
    };
    let mut tp = hms.split(':');
    let (h, mi) = (num(tp.next()?)?, num(tp.next()?)?);
    let sec = tp.next().map(num).unwrap_or(Some(0))?;
    if tp.next().is_some() || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let nanos = if frac.is_empty() {
        0
    } else {
        if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        format!("{frac:0<9}").parse::<u32>().ok()?
    };
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offset_secs;
    if secs < 0 {
        return None;
    }
    Some(UNIX_EPOCH + Duration::new(secs as u64, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_go() {
        let t = UNIX_EPOCH + Duration::new(1_700_000_000, 120_000_000);
        assert_eq!(rfc3339_nano(t), "2023-11-14T22:13:20.12Z");
        assert_eq!(rfc3339_nano_fixed(t), "2023-11-14T22:13:20.120000000Z");
        assert_eq!(
            rfc3339_nano(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(
            rfc3339_nano(UNIX_EPOCH + Duration::new(1_704_164_645, 1)),
            "2024-01-02T03:04:05.000000001Z"
        );
        assert_eq!(
            rfc3339_nano(UNIX_EPOCH + Duration::new(1_704_164_645, 123_450_000)),
            "2024-01-02T03:04:05.12345Z"
        );
    }

    #[test]
    fn parses_what_it_formats_and_offsets() {
        let t = UNIX_EPOCH + Duration::new(1_700_000_000, 123_456_789);
        assert_eq!(parse_rfc3339(&rfc3339_nano(t)), Some(t));
        assert_eq!(
            parse_rfc3339("2023-11-15T00:13:20+02:00"),
            Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
        assert_eq!(
            parse_rfc3339("1970-01-02"),
            Some(UNIX_EPOCH + Duration::from_secs(86_400))
        );
        assert_eq!(parse_rfc3339("2023-13-01T00:00:00Z"), None);
        assert_eq!(parse_rfc3339("nonsense"), None);
    }
}
