//! Human-readable sizes, durations and timestamps, matching `github.com/docker/go-units` (which
//! the Docker CLI uses for `SIZE`, `CREATED`, `STATUS` and `stats` columns and for size flags
//! like `--memory 64m`). Timestamps in Go's `time.RFC3339Nano` layout have one formatter,
//! [`crate::shim::time`], shared with the shim (which links no date library).

use std::time::Duration;

use super::gofmt::format_g;

const DECIMAL_UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
const BINARY_UNITS: [&str; 9] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

/// An invalid size string given to [`parse_size`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SizeError {
    #[error("invalid size: '{0}'")]
    Invalid(String),
    #[error("invalid suffix: '{0}'")]
    Suffix(String),
}

fn scale(mut size: f64, base: f64, units: &[&'static str]) -> (f64, &'static str) {
    let mut i = 0;
    while size >= base && i < units.len() - 1 {
        size /= base;
        i += 1;
    }
    (size, units[i])
}

/// go-units `HumanSizeWithPrecision(size, 3)`, as `docker images` and `docker ps -s` print
/// sizes: decimal units, three significant digits (`4.26MB`, `128MB`, `1.5kB`, `0B`).
pub fn human_size(bytes: u64) -> String {
    human_size_with_precision(bytes as f64, 3)
}

/// go-units `HumanSizeWithPrecision`: `%.{precision}g` of the size in decimal units.
pub fn human_size_with_precision(size: f64, precision: usize) -> String {
    let (size, unit) = scale(size, 1000.0, &DECIMAL_UNITS);
    format!("{}{unit}", format_g(size, Some(precision)))
}

/// go-units `BytesSize`: binary units with four significant digits (`1.953MiB`), as
/// `docker stats` prints memory usage.
pub fn bytes_size(bytes: u64) -> String {
    let (size, unit) = scale(bytes as f64, 1024.0, &BINARY_UNITS);
    format!("{}{unit}", format_g(size, Some(4)))
}

/// go-units `HumanDuration`: the rounded, worded durations of `Up 3 hours` and `2 weeks ago`.
pub fn human_duration(d: Duration) -> String {
    let secs_f = d.as_secs_f64();
    let seconds = d.as_secs();
    if seconds < 1 {
        return "Less than a second".to_string();
    }
    if seconds == 1 {
        return "1 second".to_string();
    }
    if seconds < 60 {
        return format!("{seconds} seconds");
    }
    let minutes = seconds / 60;
    if minutes == 1 {
        return "About a minute".to_string();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    // Go: int(d.Hours() + 0.5), rounding to the nearest hour.
    let hours = (secs_f / 3600.0 + 0.5) as u64;
    if hours == 1 {
        return "About an hour".to_string();
    }
    if hours < 48 {
        return format!("{hours} hours");
    }
    if hours < 24 * 7 * 2 {
        return format!("{} days", hours / 24);
    }
    if hours < 24 * 30 * 2 {
        return format!("{} weeks", hours / 24 / 7);
    }
    if hours < 24 * 365 * 2 {
        return format!("{} months", hours / 24 / 30);
    }
    // Go truncates here instead of rounding: int(d.Hours())/24/365.
    format!("{} years", seconds / 3600 / 24 / 365)
}

/// Docker's `RAMInBytes` (go-units): a number with an optional binary suffix `b`, `k`, `m`,
/// `g`, `t`, `p` (any case, optionally followed by `b` or `ib`), e.g. `64m`, `1.5G`, `512KiB`.
pub fn parse_size(s: &str) -> Result<i64, SizeError> {
    let invalid = || SizeError::Invalid(s.to_string());
    let sep = s
        .rfind(|c: char| c.is_ascii_digit() || c == '.' || c == ' ')
        .ok_or_else(invalid)?;
    let (num, suffix) = if s.as_bytes()[sep] == b' ' {
        (&s[..sep], &s[sep + 1..])
    } else {
        (&s[..sep + 1], &s[sep + 1..])
    };
    let num = num.trim_start_matches('+');
    if num.is_empty()
        || !num
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'e' || b == b'E')
    {
        return Err(invalid());
    }
    let mut size: f64 = num.parse().map_err(|_| invalid())?;
    if suffix.is_empty() {
        return Ok(size as i64);
    }
    let bad_suffix = || SizeError::Suffix(suffix.to_lowercase());
    if suffix.len() > 3 {
        return Err(bad_suffix());
    }
    let sfx = suffix.to_ascii_lowercase();
    let b = sfx.as_bytes();
    if b[0] == b'b' {
        return if b.len() == 1 {
            Ok(size as i64)
        } else {
            Err(bad_suffix())
        };
    }
    let mul: i64 = match b[0] {
        b'k' => 1 << 10,
        b'm' => 1 << 20,
        b'g' => 1 << 30,
        b't' => 1 << 40,
        b'p' => 1 << 50,
        _ => return Err(bad_suffix()),
    };
    size *= mul as f64;
    match b.len() {
        2 if b[1] != b'b' => return Err(bad_suffix()),
        3 if &b[1..] != b"ib" => return Err(bad_suffix()),
        _ => {}
    }
    Ok(size as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes_like_docker_images() {
        assert_eq!(human_size(0), "0B");
        assert_eq!(human_size(999), "999B");
        assert_eq!(human_size(1000), "1kB");
        assert_eq!(human_size(1500), "1.5kB");
        assert_eq!(human_size(4_262_400), "4.26MB");
        assert_eq!(human_size(128_000_000), "128MB");
        assert_eq!(human_size(187_654_321), "188MB");
        assert_eq!(human_size(999_999), "1e+03kB");
        assert_eq!(human_size(7_780_000_000), "7.78GB");
        assert_eq!(human_size(u64::MAX), "18.4EB");
    }

    #[test]
    fn binary_sizes_like_docker_stats() {
        assert_eq!(bytes_size(0), "0B");
        assert_eq!(bytes_size(1023), "1023B");
        assert_eq!(bytes_size(2_048_000), "1.953MiB");
        assert_eq!(bytes_size(1 << 30), "1GiB");
        assert_eq!(bytes_size(1536), "1.5KiB");
    }

    #[test]
    fn durations_follow_go_units_thresholds() {
        let s = Duration::from_secs;
        assert_eq!(
            human_duration(Duration::from_millis(999)),
            "Less than a second"
        );
        assert_eq!(human_duration(s(1)), "1 second");
        assert_eq!(human_duration(s(59)), "59 seconds");
        assert_eq!(human_duration(s(60)), "About a minute");
        assert_eq!(human_duration(s(119)), "About a minute");
        assert_eq!(human_duration(s(120)), "2 minutes");
        assert_eq!(human_duration(s(59 * 60 + 59)), "59 minutes");
        assert_eq!(human_duration(s(3600)), "About an hour");
        assert_eq!(human_duration(s(5399)), "About an hour");
        assert_eq!(human_duration(s(5400)), "2 hours");
        assert_eq!(human_duration(s(47 * 3600)), "47 hours");
        assert_eq!(human_duration(s(48 * 3600 - 1800)), "2 days");
        assert_eq!(human_duration(s(13 * 86400)), "13 days");
        assert_eq!(human_duration(s(14 * 86400)), "2 weeks");
        assert_eq!(human_duration(s(59 * 86400)), "8 weeks");
        assert_eq!(human_duration(s(60 * 86400)), "2 months");
        assert_eq!(human_duration(s(729 * 86400)), "24 months");
        assert_eq!(human_duration(s(730 * 86400)), "2 years");
        assert_eq!(human_duration(s(4000 * 86400)), "10 years");
    }

    #[test]
    fn ram_in_bytes() {
        assert_eq!(parse_size("64m"), Ok(64 << 20));
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("64mb"), Ok(64 << 20));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("1.5g"), Ok(3 << 29));
        assert_eq!(parse_size("32"), Ok(32));
        assert_eq!(parse_size("32b"), Ok(32));
        assert_eq!(parse_size("32 k"), Ok(32 << 10));
        assert_eq!(parse_size("2t"), Ok(2 << 40));
        assert_eq!(parse_size("1p"), Ok(1 << 50));
        assert_eq!(parse_size(""), Err(SizeError::Invalid(String::new())));
        assert_eq!(parse_size("m"), Err(SizeError::Invalid("m".into())));
        assert_eq!(parse_size("-1"), Err(SizeError::Invalid("-1".into())));
        assert_eq!(parse_size("10x"), Err(SizeError::Suffix("x".into())));
        assert_eq!(parse_size("10kk"), Err(SizeError::Suffix("kk".into())));
        assert_eq!(parse_size("10bb"), Err(SizeError::Suffix("bb".into())));
        assert_eq!(
            parse_size("10kib2"),
            Err(SizeError::Invalid("10kib2".into()))
        );
    }
}
