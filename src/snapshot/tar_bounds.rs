//! Size limits on the tar records that the `tar` crate buffers whole.
//!
//! The crate reads a GNU long name (`L`) or long link (`K`) record and a PAX
//! extended header (`x`, and `g` when asked for its extensions) into memory
//! before handing back the entry they describe, whatever size the header
//! claims: a 256 MiB long-name record made berth allocate over a GiB.
//! [`BoundedTar`] sits between the layer stream and the crate, follows the
//! archive's structure itself (each 512-byte header, its data rounded up to
//! a block, GNU sparse extension blocks, a PAX `size` that overrides the next
//! entry's size, the end-of-archive block), and fails the read that would
//! hand the crate such a header when its size field is over the limit, so the
//! body is never read. It reads nothing ahead: what it returns is exactly
//! what the crate asked for, and [`BoundedTar::into_inner`] gives the stream
//! back at the same position.
//!
//! Limits: a name is at most `PATH_MAX` (4096 bytes, its NUL included, as
//! GNU tar writes it); a PAX header of all records for one entry at most
//! 1 MiB, far above what real layers carry (a few paths and xattrs; even
//! large `SCHILY.xattr` ACLs or capabilities are a few KiB).

use std::io::{self, Read};

/// Largest GNU long name or long link record (`PATH_MAX`).
pub const MAX_NAME: u64 = 4096;
/// Largest PAX extended header (all records for one entry, or a global one).
pub const MAX_PAX: u64 = 1 << 20;

const BLOCK: usize = 512;

enum State {
    /// Collecting a header block.
    Header,
    /// Collecting a GNU sparse extension block; the entry's data follows.
    SparseExt { size: u64 },
    /// Passing an entry's data, then its padding; a local PAX header's body
    /// is kept to find a `size` record.
    Data {
        body: u64,
        pad: u64,
        pax: Option<Vec<u8>>,
    },
    /// After the end-of-archive block: trailing bytes pass untouched.
    End,
}

/// A reader that refuses tar headers whose records are over the limits.
pub struct BoundedTar<R> {
    inner: R,
    block: [u8; BLOCK],
    have: usize,
    state: State,
    /// `size` from the last local PAX header, for the next real entry.
    pax_size: Option<u64>,
}

impl<R: Read> BoundedTar<R> {
    pub fn new(inner: R) -> BoundedTar<R> {
        BoundedTar {
            inner,
            block: [0; BLOCK],
            have: 0,
            state: State::Header,
            pax_size: None,
        }
    }

    pub fn into_inner(self) -> R {
        self.inner
    }

    /// Follow the archive through `bytes` (just read, not yet handed out).
    fn observe(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        while !bytes.is_empty() {
            match &mut self.state {
                State::End => return Ok(()),
                State::Data { body, pad, pax } => {
                    if *body > 0 {
                        let k = (*body).min(bytes.len() as u64) as usize;
                        if let Some(p) = pax {
                            p.extend_from_slice(&bytes[..k]);
                        }
                        *body -= k as u64;
                        bytes = &bytes[k..];
                    } else {
                        let k = (*pad).min(bytes.len() as u64) as usize;
                        *pad -= k as u64;
                        bytes = &bytes[k..];
                    }
                    if *body == 0 && *pad == 0 {
                        self.end_data();
                    }
                }
                State::Header | State::SparseExt { .. } => {
                    let k = (BLOCK - self.have).min(bytes.len());
                    self.block[self.have..self.have + k].copy_from_slice(&bytes[..k]);
                    self.have += k;
                    bytes = &bytes[k..];
                    if self.have == BLOCK {
                        self.have = 0;
                        self.on_block()?;
                    }
                }
            }
        }
        Ok(())
    }

    fn end_data(&mut self) {
        if let State::Data { pax: Some(p), .. } = &self.state {
            self.pax_size = pax_size(p);
        }
        self.state = State::Header;
    }

    fn start_data(&mut self, size: u64, pax: Option<Vec<u8>>) {
        let pad = (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64;
        self.state = State::Data {
            body: size,
            pad,
            pax,
        };
        if size == 0 {
            self.end_data();
        }
    }

    fn on_block(&mut self) -> io::Result<()> {
        if let State::SparseExt { size } = self.state {
            // `isextended` of a GNU sparse extension block.
            if self.block[504] != 1 {
                self.start_data(size, None);
            }
            return Ok(());
        }
        if self.block.iter().all(|&b| b == 0) {
            self.state = State::End;
            return Ok(());
        }
        let header = tar::Header::from_byte_slice(&self.block);
        let Ok(mut size) = header.entry_size() else {
            // The crate fails on this header itself.
            self.state = State::End;
            return Ok(());
        };
        match self.block[156] {
            kind @ (b'x' | b'g') => {
                if size > MAX_PAX {
                    return Err(too_large("PAX extended header", size, MAX_PAX));
                }
                // A global header ends a pending local one, as in the crate.
                self.pax_size = None;
                let keep = (kind == b'x').then(|| Vec::with_capacity(size as usize));
                self.start_data(size, keep);
            }
            kind @ (b'L' | b'K') => {
                if size > MAX_NAME {
                    let what = if kind == b'L' {
                        "GNU long name record"
                    } else {
                        "GNU long link record"
                    };
                    return Err(too_large(what, size, MAX_NAME));
                }
                self.start_data(size, None);
            }
            kind => {
                if let Some(s) = self.pax_size.take() {
                    size = s;
                }
                let extended = kind == b'S' && header.as_gnu().is_some_and(|g| g.is_extended());
                if extended {
                    self.state = State::SparseExt { size };
                } else {
                    self.start_data(size, None);
                }
            }
        }
        Ok(())
    }
}

/// The first `size` record of a PAX header, read as the crate reads it.
fn pax_size(body: &[u8]) -> Option<u64> {
    for ext in tar::PaxExtensions::new(body) {
        let ext = ext.ok()?;
        if ext.key() == Ok("size") {
            return ext.value().ok()?.parse().ok();
        }
    }
    None
}

fn too_large(what: &str, size: u64, limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{what} of {size} bytes is over the {limit}-byte limit"),
    )
}

impl<R: Read> Read for BoundedTar<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.observe(&buf[..n])?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// A header block of `kind` claiming `size` bytes, then `size` bytes
    /// produced on demand (never held in memory), counting what was read.
    struct Hostile {
        head: Cursor<Vec<u8>>,
        left: u64,
        pub read: u64,
    }

    impl Hostile {
        fn new(kind: tar::EntryType, size: u64) -> Hostile {
            let mut h = tar::Header::new_gnu();
            h.set_entry_type(kind);
            h.set_path("././@LongLink").unwrap();
            h.set_size(size);
            h.set_cksum();
            Hostile {
                head: Cursor::new(h.as_bytes().to_vec()),
                left: size,
                read: 0,
            }
        }
    }

    impl Read for Hostile {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let mut n = self.head.read(buf)?;
            if n == 0 {
                n = (self.left.min(buf.len() as u64)) as usize;
                buf[..n].fill(b'a');
                self.left -= n as u64;
            }
            self.read += n as u64;
            Ok(n)
        }
    }

    fn entries_of(data: impl Read) -> io::Result<Vec<String>> {
        let mut ar = tar::Archive::new(BoundedTar::new(data));
        let mut out = Vec::new();
        for e in ar.entries()? {
            let mut e = e?;
            let mut name = String::from_utf8_lossy(&e.path_bytes()).into_owned();
            if let Some(pax) = e.pax_extensions()? {
                for x in pax {
                    let x = x?;
                    name += &format!(" {}={}", x.key().unwrap(), x.value().unwrap());
                }
            }
            let mut body = Vec::new();
            e.read_to_end(&mut body)?;
            out.push(format!("{name} {}", body.len()));
        }
        Ok(out)
    }

    #[test]
    fn oversized_extension_headers_fail_before_their_body_is_read() {
        use tar::EntryType as T;
        for (kind, what) in [
            (T::GNULongName, "GNU long name record of 268435456 bytes"),
            (T::GNULongLink, "GNU long link record of 268435456 bytes"),
            (T::XHeader, "PAX extended header of 268435456 bytes"),
            (T::XGlobalHeader, "PAX extended header of 268435456 bytes"),
        ] {
            let mut src = Hostile::new(kind, 256 << 20);
            let e = entries_of(&mut src).unwrap_err();
            assert!(e.to_string().starts_with(what), "{kind:?}: {e}");
            assert!(e.to_string().len() < 100, "{e}");
            assert!(src.read < 1 << 20, "{kind:?}: read {} bytes", src.read);
        }
    }

    #[test]
    fn archives_within_the_limits_read_as_before() {
        let mut b = tar::Builder::new(Vec::new());
        // A long name (GNU L record), PAX records with an xattr, a global
        // header, a link with a long target, and empty and odd-sized files.
        let long = "d/".repeat(200) + "file";
        let mut h = tar::Header::new_gnu();
        h.set_size(3);
        h.set_mode(0o644);
        b.append_data(&mut h, &long, &b"abc"[..]).unwrap();
        b.append_pax_extensions([("SCHILY.xattr.user.k", &b"v"[..])])
            .unwrap();
        let mut h = tar::Header::new_ustar();
        h.set_size(513);
        b.append_data(&mut h, "pax", &[7u8; 513][..]).unwrap();
        let mut g = tar::Header::new_ustar();
        g.set_entry_type(tar::EntryType::XGlobalHeader);
        let rec = b"15 comment=hey\n";
        g.set_size(rec.len() as u64);
        b.append_data(&mut g, "global", &rec[..]).unwrap();
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        b.append_link(&mut h, "link", "t/".repeat(100)).unwrap();
        let mut h = tar::Header::new_gnu();
        h.set_size(0);
        b.append_data(&mut h, "empty", &b""[..]).unwrap();
        let mut data = b.into_inner().unwrap();
        data.extend_from_slice(b"trailing bytes after the end");
        let want = entries_of(Cursor::new(data.clone())).unwrap();
        let mut plain = Vec::new();
        for e in tar::Archive::new(Cursor::new(&data)).entries().unwrap() {
            let mut e = e.unwrap();
            let mut name = String::from_utf8_lossy(&e.path_bytes()).into_owned();
            if let Some(pax) = e.pax_extensions().unwrap() {
                for x in pax {
                    let x = x.unwrap();
                    name += &format!(" {}={}", x.key().unwrap(), x.value().unwrap());
                }
            }
            let mut body = Vec::new();
            e.read_to_end(&mut body).unwrap();
            plain.push(format!("{name} {}", body.len()));
        }
        assert_eq!(want, plain);
        assert_eq!(want.len(), 5, "{want:?}");
        // The stream is handed back where the crate stopped.
        let mut ar = tar::Archive::new(BoundedTar::new(Cursor::new(&data)));
        for e in ar.entries().unwrap() {
            e.unwrap();
        }
        let mut rest = Vec::new();
        ar.into_inner().into_inner().read_to_end(&mut rest).unwrap();
        assert!(rest.ends_with(b"trailing bytes after the end"));
    }

    #[test]
    fn a_pax_size_record_moves_the_next_header() {
        // `size` in a PAX header overrides the entry's header size: the
        // guard must follow it to find the next header, which is hostile.
        let mut b = tar::Builder::new(Vec::new());
        b.append_pax_extensions([("size", &b"1024"[..])]).unwrap();
        let mut h = tar::Header::new_ustar();
        h.set_path("f").unwrap();
        h.set_size(0);
        h.set_cksum();
        // Not `into_inner`: that would end the archive here.
        let mut data = b.get_ref().clone();
        data.extend_from_slice(h.as_bytes());
        data.extend_from_slice(&[1u8; 1024]);
        let mut hostile = Hostile::new(tar::EntryType::GNULongName, 1 << 30);
        let mut evil = Vec::new();
        hostile.head.read_to_end(&mut evil).unwrap();
        data.extend_from_slice(&evil);
        data.extend_from_slice(&[b'a'; 4096]);
        let e = entries_of(Cursor::new(data)).unwrap_err();
        assert!(e.to_string().starts_with("GNU long name record"), "{e}");
    }

    #[test]
    fn gnu_sparse_extension_blocks_are_followed() {
        fn octal(field: &mut [u8; 12], n: u64) {
            field.copy_from_slice(format!("{n:011o}\0").as_bytes());
        }
        // A sparse file with one chunk in its header and one in an extension
        // block, then a hostile long-name record.
        let mut h = tar::Header::new_gnu();
        h.set_path("sparse").unwrap();
        h.set_entry_type(tar::EntryType::GNUSparse);
        h.set_mode(0o644);
        h.set_size(1024);
        {
            let g = h.as_gnu_mut().unwrap();
            octal(&mut g.sparse[0].offset, 0);
            octal(&mut g.sparse[0].numbytes, 512);
            octal(&mut g.realsize, 1536);
            g.isextended[0] = 1;
        }
        h.set_cksum();
        let mut ext = tar::GnuExtSparseHeader::new();
        octal(&mut ext.sparse[0].offset, 1024);
        octal(&mut ext.sparse[0].numbytes, 512);
        let mut data = h.as_bytes().to_vec();
        data.extend_from_slice(ext.as_bytes());
        data.extend_from_slice(&[9u8; 1024]);
        let mut hostile = Hostile::new(tar::EntryType::GNULongName, 1 << 30);
        hostile.head.read_to_end(&mut data).unwrap();
        data.extend_from_slice(&[b'a'; 8192]);
        let mut ar = tar::Archive::new(BoundedTar::new(Cursor::new(data)));
        let mut entries = ar.entries().unwrap();
        let mut e = entries.next().unwrap().unwrap();
        let mut body = Vec::new();
        e.read_to_end(&mut body).unwrap();
        assert_eq!(body.len(), 1536);
        let err = entries.next().unwrap().err().expect("the long name passed");
        assert!(err.to_string().starts_with("GNU long name record"), "{err}");
    }
}
