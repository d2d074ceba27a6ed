//! Telling compressions apart by their magic bytes, for whole archives and
//! for the layer files inside a Docker archive.

use crate::snapshot::Compression;
use std::io::{self, BufRead, Read};

/// What the first bytes of a stream say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Magic {
    Plain,
    Gzip,
    Zstd,
    Bzip2,
    Xz,
}

/// Classify a stream from its first bytes (fewer than 6 are fine).
pub fn detect(head: &[u8]) -> Magic {
    if head.starts_with(&[0x1f, 0x8b, 0x08]) {
        Magic::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Magic::Zstd
    } else if head.starts_with(b"BZh") {
        Magic::Bzip2
    } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        Magic::Xz
    } else {
        Magic::Plain
    }
}

impl Magic {
    /// The layer compression berth can unpack, or `None` for bzip2 and xz.
    pub fn compression(self) -> Option<Compression> {
        match self {
            Magic::Plain => Some(Compression::None),
            Magic::Gzip => Some(Compression::Gzip),
            Magic::Zstd => Some(Compression::Zstd),
            Magic::Bzip2 | Magic::Xz => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Magic::Plain => "uncompressed",
            Magic::Gzip => "gzip",
            Magic::Zstd => "zstd",
            Magic::Bzip2 => "bzip2",
            Magic::Xz => "xz",
        }
    }
}

/// Wrap `input` in the decompressor its magic bytes call for.
pub fn decompress<'a, R: BufRead + 'a>(mut input: R) -> io::Result<Box<dyn Read + 'a>> {
    let head = input.fill_buf()?;
    let magic = detect(&head[..head.len().min(6)]);
    Ok(match magic {
        Magic::Plain => Box::new(input),
        Magic::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(input)),
        Magic::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(input)?),
        Magic::Bzip2 | Magic::Xz => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} compressed archives are not supported", magic.name()),
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn detects_by_magic() {
        assert_eq!(detect(b"ustar"), Magic::Plain);
        assert_eq!(detect(&[]), Magic::Plain);
        assert_eq!(detect(&[0x1f, 0x8b, 0x08, 0]), Magic::Gzip);
        assert_eq!(detect(&[0x28, 0xb5, 0x2f, 0xfd, 1]), Magic::Zstd);
        assert_eq!(detect(b"BZh91AY"), Magic::Bzip2);
        assert_eq!(detect(&[0xfd, b'7', b'z', b'X', b'Z', 0]), Magic::Xz);
    }

    #[test]
    fn decompresses_gzip_and_zstd() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"hello").unwrap();
        let gz = gz.finish().unwrap();
        let zs = zstd::encode_all(&b"hello"[..], 1).unwrap();
        for data in [b"hello".to_vec(), gz, zs] {
            let mut out = String::new();
            decompress(io::BufReader::new(&data[..]))
                .unwrap()
                .read_to_string(&mut out)
                .unwrap();
            assert_eq!(out, "hello");
        }
        assert!(decompress(io::BufReader::new(&b"BZh9"[..])).is_err());
    }
}
