//! Time arguments as Docker parses them, in one place: Go's
//! `time.ParseDuration` (signs, fractions, units `ns us µs ms s m h`, a bare
//! `0`, Go's error texts and its overflow limits) and the timestamps that
//! `logs --since/--until` and the `until=` filters take (moby's
//! `timetypes.GetTimestamp`: a duration counted back from now, an RFC 3339
//! time or date, or Unix seconds with an optional fraction); and the other
//! way, Go's `time.Time.String()` of a stored RFC 3339 time.
//!
//! A leaf: it parses text and never reads a clock itself (callers pass `now`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Why a Go duration did not parse; the texts are Go's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("time: invalid duration {}", go_quote(.0))]
    Invalid(String),
    #[error("time: missing unit in duration {}", go_quote(.0))]
    MissingUnit(String),
    #[error("time: unknown unit {} in duration {}", go_quote(.unit), go_quote(.input))]
    UnknownUnit { unit: String, input: String },
}

const LIMIT: u64 = 1 << 63;

/// Go's `time.ParseDuration`: signed nanoseconds.
pub fn parse_duration(input: &str) -> Result<i64, DurationError> {
    let invalid = || DurationError::Invalid(input.to_string());
    let (neg, mut s) = match input.as_bytes().first() {
        Some(b'-') => (true, &input[1..]),
        Some(b'+') => (false, &input[1..]),
        _ => (false, input),
    };
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while !s.is_empty() {
        if !(s.starts_with('.') || s.as_bytes()[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        let mut v: u64 = 0;
        for b in s[..digits].bytes() {
            if v > LIMIT / 10 {
                return Err(invalid());
            }
            v = v * 10 + u64::from(b - b'0');
            if v > LIMIT {
                return Err(invalid());
            }
        }
        let pre = digits > 0;
        s = &s[digits..];
        // Fraction digits past what fits are ignored, as Go does.
        let (mut frac, mut scale, mut post) = (0u64, 1f64, false);
        if let Some(rest) = s.strip_prefix('.') {
            let n = rest.bytes().take_while(u8::is_ascii_digit).count();
            let mut overflow = false;
            for b in rest[..n].bytes() {
                if overflow || frac > (LIMIT - 1) / 10 {
                    overflow = true;
                    continue;
                }
                let y = frac * 10 + u64::from(b - b'0');
                if y > LIMIT {
                    overflow = true;
                    continue;
                }
                frac = y;
                scale *= 10.0;
            }
            post = n > 0;
            s = &rest[n..];
        }
        if !pre && !post {
            return Err(invalid());
        }
        let ulen = s
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if ulen == 0 {
            return Err(DurationError::MissingUnit(input.to_string()));
        }
        let unit_text = &s[..ulen];
        s = &s[ulen..];
        let unit: u64 = match unit_text {
            "ns" => 1,
            // U+00B5 (micro sign) and U+03BC (Greek mu), as Go accepts both.
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(DurationError::UnknownUnit {
                    unit: unit_text.to_string(),
                    input: input.to_string(),
                })
            }
        };
        if v > LIMIT / unit {
            return Err(invalid());
        }
        v *= unit;
        if frac > 0 {
            // Go converts the fraction through float64 and truncates.
            v += (frac as f64 * (unit as f64 / scale)) as u64;
            if v > LIMIT {
                return Err(invalid());
            }
        }
        total += v;
        if total > LIMIT {
            return Err(invalid());
        }
    }
    if neg {
        // -(1<<63) is the one negative value without a positive twin.
        return Ok((total as i128).wrapping_neg() as i64);
    }
    i64::try_from(total).map_err(|_| invalid())
}

/// moby's `timetypes.GetTimestamp` as a time: a Go duration (not `0`)
/// counted back from `now`, an RFC 3339 time or date, or Unix seconds
/// (`1700000000`, `1700000000.5`). None when it is none of these.
pub fn parse_timestamp(s: &str, now: SystemTime) -> Option<SystemTime> {
    if s != "0" {
        if let Ok(nanos) = parse_duration(s) {
            let d = Duration::from_nanos(nanos.unsigned_abs());
            return if nanos >= 0 {
                now.checked_sub(d)
            } else {
                now.checked_add(d)
            };
        }
    }
    if let Some(t) = crate::shim::time::parse_rfc3339(s) {
        return Some(t);
    }
    let (secs, frac) = s.split_once('.').unwrap_or((s, ""));
    if secs.is_empty()
        || !secs.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let secs: u64 = secs.parse().ok()?;
    let nanos: u32 = if frac.is_empty() {
        0
    } else {
        format!("{:0<9}", &frac[..frac.len().min(9)]).parse().ok()?
    };
    UNIX_EPOCH.checked_add(Duration::new(secs, nanos))
}

/// Go's `time.quote`: double quotes, `\x` escapes for bytes of non-ASCII
/// or control characters, and backslashes before `"` and `\`.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if !c.is_ascii() || c < ' ' {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

/// Go's `time.Time.String()` of an RFC 3339 time as a client that decoded
/// it from JSON prints it (`2026-12-05 18:40:04.055141198 +0000 UTC`:
/// trailing zeros of the fraction dropped, no dot for whole seconds; a
/// non-UTC offset is an unnamed zone, `+0100 +0100`). Text that is not
/// RFC 3339 is returned as it is.
pub fn go_time_string(rfc3339: &str) -> String {
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(rfc3339) else {
        return rfc3339.to_string();
    };
    let mut out = t.format("%Y-%m-%d %H:%M:%S").to_string();
    let nanos = t.timestamp_subsec_nanos();
    if nanos > 0 {
        let frac = format!("{nanos:09}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    let offset = t.format("%z").to_string();
    if t.offset().local_minus_utc() == 0 {
        out.push_str(" +0000 UTC");
    } else {
        out.push_str(&format!(" {offset} {offset}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000_000;

    #[test]
    fn durations_parse_as_go_does() {
        // Inputs and results of Go's own ParseDuration table.
        let ok: &[(&str, i64)] = &[
            ("0", 0),
            ("5s", 5 * S),
            ("30s", 30 * S),
            ("1478s", 1478 * S),
            ("-5s", -5 * S),
            ("+5s", 5 * S),
            ("-0", 0),
            ("+0", 0),
            ("5.0s", 5 * S),
            ("5.6s", 5 * S + 600_000_000),
            ("5.s", 5 * S),
            (".5s", S / 2),
            ("1.0s", S),
            ("1.00s", S),
            ("1.004s", S + 4_000_000),
            ("1.0040s", S + 4_000_000),
            ("100.00100s", 100 * S + 1_000_000),
            ("10ns", 10),
            ("11us", 11_000),
            ("12µs", 12_000),
            ("12\u{3bc}s", 12_000),
            ("13ms", 13_000_000),
            ("14s", 14 * S),
            ("15m", 15 * 60 * S),
            ("16h", 16 * 3600 * S),
            ("3h30m", (3 * 3600 + 30 * 60) * S),
            ("10.5s4m", 4 * 60 * S + 10 * S + S / 2),
            ("-2m3.4s", -(2 * 60 * S + 3 * S + 400_000_000)),
            (
                "1h2m3s4ms5us6ns",
                3600 * S + 2 * 60 * S + 3 * S + 4_000_000 + 5_000 + 6,
            ),
            ("39h9m14.425s", (39 * 3600 + 9 * 60 + 14) * S + 425_000_000),
            ("52763797000ns", 52_763_797_000),
            ("0.3333333333333333333h", 20 * 60 * S),
            ("9007199254740993ns", 9_007_199_254_740_993),
            ("9223372036854775807ns", i64::MAX),
            ("9223372036854775.807us", i64::MAX),
            ("9223372036s854ms775us807ns", i64::MAX),
            ("-9223372036854775808ns", i64::MIN),
            ("-9223372036s854ms775us808ns", i64::MIN),
            ("-2562047h47m16.854775808s", i64::MIN),
            ("0.100000000000000000000h", 6 * 60 * S),
            ("0.830103483285477580700h", 49 * 60 * S + 48_372_539_827),
        ];
        for (input, want) in ok {
            assert_eq!(parse_duration(input), Ok(*want), "{input}");
        }
        let bad: &[(&str, &str)] = &[
            ("", r#"time: invalid duration """#),
            ("3", r#"time: missing unit in duration "3""#),
            ("-", r#"time: invalid duration "-""#),
            ("s", r#"time: invalid duration "s""#),
            (".", r#"time: invalid duration ".""#),
            ("-.", r#"time: invalid duration "-.""#),
            (".s", r#"time: invalid duration ".s""#),
            ("+.s", r#"time: invalid duration "+.s""#),
            ("1d", r#"time: unknown unit "d" in duration "1d""#),
            ("1.1.1s", r#"time: missing unit in duration "1.1.1s""#),
            ("\u{b5}s", r#"time: invalid duration "\xc2\xb5s""#),
            (
                "9223372036854775808ns",
                r#"time: invalid duration "9223372036854775808ns""#,
            ),
            (
                "9223372036854775.808us",
                r#"time: invalid duration "9223372036854775.808us""#,
            ),
            (
                "-9223372036854775809ns",
                r#"time: invalid duration "-9223372036854775809ns""#,
            ),
            ("3000000h", r#"time: invalid duration "3000000h""#),
        ];
        for (input, want) in bad {
            assert_eq!(
                parse_duration(input).unwrap_err().to_string(),
                *want,
                "{input}"
            );
        }
    }

    #[test]
    fn timestamps_take_durations_times_and_unix_seconds() {
        let at = |s: u64| UNIX_EPOCH + Duration::from_secs(1_700_000_000 + s);
        let now = at(100);
        assert_eq!(parse_timestamp("10s", now), Some(at(90)));
        assert_eq!(parse_timestamp("1m30s", now), Some(at(10)));
        assert_eq!(parse_timestamp("-10s", now), Some(at(110)));
        assert_eq!(parse_timestamp("1700000005", now), Some(at(5)));
        assert_eq!(
            parse_timestamp("1700000005.5", now),
            Some(at(5) + Duration::from_millis(500))
        );
        // "0" is a Unix time, not a zero duration.
        assert_eq!(parse_timestamp("0", now), Some(UNIX_EPOCH));
        assert_eq!(parse_timestamp("2023-11-14T22:13:25Z", now), Some(at(5)));
        assert_eq!(parse_timestamp("yesterday", now), None);
        assert_eq!(parse_timestamp("", now), None);
    }

    #[test]
    fn time_string_as_go() {
        assert_eq!(
            go_time_string("2026-12-05T18:40:04.055141198Z"),
            "2026-12-05 18:40:04.055141198 +0000 UTC"
        );
        assert_eq!(
            go_time_string("2026-12-05T18:40:04.0551Z"),
            "2026-12-05 18:40:04.0551 +0000 UTC"
        );
        assert_eq!(
            go_time_string("0001-01-01T00:00:00Z"),
            "0001-01-01 00:00:00 +0000 UTC"
        );
        assert_eq!(
            go_time_string("2026-12-05T19:40:04.5+01:00"),
            "2026-12-05 19:40:04.5 +0100 +0100"
        );
        assert_eq!(go_time_string("garbage"), "garbage");
    }
}
