//! docker-cli's sort order for names and port lines: `sortorder.NaturalLess`
//! of github.com/fvbommel/sortorder, as an `Ordering` for `sort_by`.

use std::cmp::Ordering;

/// Natural order: runs of ASCII digits compare as numbers (a shorter number
/// without its leading zeros is less; equal numbers, the one with fewer
/// leading zeros is less), a digit sorts before any other byte, other bytes
/// compare as bytes, and a string that is a prefix of the other is less.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (da, db) = (a[i].is_ascii_digit(), b[j].is_ascii_digit());
        if da != db {
            return if da {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        if !da {
            if a[i] != b[j] {
                return a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
            continue;
        }
        let (za, zb) = (zeros(&a[i..]), zeros(&b[j..]));
        let (sa, sb) = (i + za, j + zb);
        let (ea, eb) = (sa + digits(&a[sa..]), sb + digits(&b[sb..]));
        let ord = (ea - sa)
            .cmp(&(eb - sb))
            .then_with(|| a[sa..ea].cmp(&b[sb..eb]))
            .then_with(|| sa.cmp(&sb));
        if ord != Ordering::Equal {
            return ord;
        }
        i = ea;
        j = eb;
    }
    a.len().cmp(&b.len())
}

fn zeros(s: &[u8]) -> usize {
    s.iter().take_while(|c| **c == b'0').count()
}

fn digits(s: &[u8]) -> usize {
    s.iter().take_while(|c| c.is_ascii_digit()).count()
}

#[cfg(test)]
mod tests {
    use super::natural_cmp;

    fn sorted(v: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| natural_cmp(a, b));
        v
    }

    #[test]
    fn as_sortorder() {
        assert_eq!(
            sorted(&["v10", "v9", "a", "v1", "v01", "B"]),
            ["B", "a", "v1", "v01", "v9", "v10"]
        );
        // A digit sorts before every other byte, '.' and '/' too.
        assert_eq!(sorted(&["a.", "a1", "a/"]), ["a1", "a.", "a/"]);
        // Port lines as `port` prints them.
        assert_eq!(
            sorted(&[
                "80/tcp -> [::]:18500",
                "443/tcp -> 0.0.0.0:18443",
                "80/tcp -> 0.0.0.0:18500",
                "53/udp -> 0.0.0.0:18053",
                "9000/tcp -> 0.0.0.0:9000",
            ]),
            [
                "53/udp -> 0.0.0.0:18053",
                "80/tcp -> 0.0.0.0:18500",
                "80/tcp -> [::]:18500",
                "443/tcp -> 0.0.0.0:18443",
                "9000/tcp -> 0.0.0.0:9000",
            ]
        );
        assert_eq!(sorted(&["ab", "a", "abc"]), ["a", "ab", "abc"]);
    }
}
