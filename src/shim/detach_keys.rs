//! Detach keys: Docker's `--detach-keys` syntax and the one matcher that finds
//! the sequence in a user's input, used by every attached session (`run`,
//! `start -a`, `attach` through [`super::attach::Client::pump`], and
//! `exec -it` through `container::exec`).
//!
//! The syntax is moby's `term.ToBytes`: a comma-separated list whose items
//! are a single character (its byte), `ctrl-@`, `ctrl-a` … `ctrl-z`, `ctrl-[`,
//! `ctrl-\`, `ctrl-]`, `ctrl-^`, `ctrl-_` (bytes 0–31, lowercase as Docker
//! spells them) or `DEL` (127). Anything else is refused with moby's exec
//! wording. Unlike Docker's escape proxy, which only sees a sequence typed one
//! key per read, the matcher also finds it inside a larger read (a paste, or a
//! script writing both keys at once); bytes that start the sequence are held
//! back until it is complete or broken, then passed on unchanged.

/// Docker's default detach sequence, ctrl-p ctrl-q.
pub const DEFAULT_DETACH_KEYS: &[u8] = &[0x10, 0x11];

/// `--detach-keys` that moby's `term.ToBytes` would refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Invalid escape keys ({keys}) provided")]
pub struct DetachKeysError {
    /// The whole value as given.
    pub keys: String,
}

/// Parse a `--detach-keys` value into the bytes of the sequence. An empty
/// value selects Docker's default (moby treats `""` as "not given").
pub fn parse(keys: &str) -> Result<Vec<u8>, DetachKeysError> {
    if keys.is_empty() {
        return Ok(DEFAULT_DETACH_KEYS.to_vec());
    }
    keys.split(',')
        .map(|key| key_byte(key).ok_or_else(|| DetachKeysError { keys: keys.into() }))
        .collect()
}

fn key_byte(key: &str) -> Option<u8> {
    if let [b] = key.as_bytes() {
        return Some(*b);
    }
    if key == "DEL" {
        return Some(127);
    }
    match key.strip_prefix("ctrl-")?.as_bytes() {
        [c @ b'a'..=b'z'] => Some(c - b'a' + 1),
        // '@' is 64 and '[' '\' ']' '^' '_' are 91-95: each minus 64.
        [c @ (b'@' | b'[' | b'\\' | b']' | b'^' | b'_')] => Some(c - b'@'),
        _ => None,
    }
}

/// Finds the detach sequence in a stream of input bytes.
#[derive(Debug)]
pub struct DetachMatcher<'a> {
    keys: &'a [u8],
    /// How many leading bytes of `keys` the input has just matched (held back).
    matched: usize,
}

impl<'a> DetachMatcher<'a> {
    /// A matcher for `keys`; an empty sequence never detaches.
    pub fn new(keys: &'a [u8]) -> DetachMatcher<'a> {
        DetachMatcher { keys, matched: 0 }
    }

    /// Append to `out` what should go on to the process; `true` once the
    /// whole sequence was typed (the rest of `input` is then dropped).
    pub fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) -> bool {
        if self.keys.is_empty() {
            out.extend_from_slice(input);
            return false;
        }
        for &b in input {
            if b == self.keys[self.matched] {
                self.matched += 1;
                if self.matched == self.keys.len() {
                    self.matched = 0;
                    return true;
                }
                continue;
            }
            // The held bytes plus `b` broke the sequence: keep the longest
            // tail of them that still starts it, pass the rest on.
            let mut held = self.keys[..self.matched].to_vec();
            held.push(b);
            let keep = (1..=held.len().min(self.keys.len() - 1))
                .rev()
                .find(|&n| held[held.len() - n..] == self.keys[..n])
                .unwrap_or(0);
            out.extend_from_slice(&held[..held.len() - keep]);
            self.matched = keep;
        }
        false
    }

    /// At the end of the input: the held-back bytes go on to the process.
    pub fn flush(&mut self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.keys[..self.matched]);
        self.matched = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_key_syntax() {
        assert_eq!(parse("ctrl-p,ctrl-q").unwrap(), [16, 17]);
        assert_eq!(parse("a,ctrl-a").unwrap(), [b'a', 1]);
        assert_eq!(parse("ctrl-z").unwrap(), [26]);
        assert_eq!(
            parse("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_").unwrap(),
            [0, 27, 28, 29, 30, 31]
        );
        assert_eq!(parse("DEL,,,x").unwrap_err().keys, "DEL,,,x");
        assert_eq!(parse("DEL,x").unwrap(), [127, b'x']);
        assert_eq!(parse("").unwrap(), DEFAULT_DETACH_KEYS);
        for bad in [
            "ctrl-long",
            "ctrl-P",
            "ctrl-1",
            "ab",
            "a,,b",
            ",",
            " a",
            "é",
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("Invalid escape keys ({bad}) provided")
            );
        }
    }

    #[test]
    fn holds_prefixes_and_releases_them() {
        let mut m = DetachMatcher::new(DEFAULT_DETACH_KEYS);
        let mut out = Vec::new();
        assert!(!m.feed(b"a\x10b\x10", &mut out));
        assert_eq!(out, b"a\x10b");
        m.flush(&mut out);
        assert_eq!(out, b"a\x10b\x10");
        out.clear();
        assert!(!m.feed(b"\x10\x10", &mut out));
        assert!(m.feed(b"\x11zz", &mut out));
        assert_eq!(out, b"\x10");
    }

    #[test]
    fn sequence_split_across_reads_and_overlapping_starts() {
        let keys = parse("ctrl-p,ctrl-p,ctrl-q").unwrap();
        let mut m = DetachMatcher::new(&keys);
        let mut out = Vec::new();
        assert!(!m.feed(b"\x10", &mut out));
        assert!(!m.feed(b"\x10\x10", &mut out));
        assert!(m.feed(b"\x11", &mut out));
        assert_eq!(out, b"\x10", "only the byte before the sequence passes");
        let mut m = DetachMatcher::new(b"ab");
        out.clear();
        assert!(!m.feed(b"xaay", &mut out));
        assert_eq!(out, b"xaay");
    }

    #[test]
    fn single_key_and_no_keys() {
        let mut out = Vec::new();
        assert!(DetachMatcher::new(&[1]).feed(b"xy\x01z", &mut out));
        assert_eq!(out, b"xy");
        out.clear();
        let mut none = DetachMatcher::new(&[]);
        assert!(!none.feed(b"\x10\x11", &mut out));
        none.flush(&mut out);
        assert_eq!(out, b"\x10\x11");
    }
}
