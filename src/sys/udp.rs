//! UDP datagrams with their local address: what a wildcard-bound socket
//! needs to answer from the address a client wrote to. `IP_PKTINFO` /
//! `IPV6_RECVPKTINFO` make `recvmsg` report each datagram's destination, and
//! `sendmsg` with a pktinfo control message picks the reply's source, as
//! docker-proxy's UDP proxy does (moby `cmd/docker-proxy/udp_proxy_linux.go`:
//! `ReadMsgUDP` with `FlagDst`, `WriteMsgUDP` with `ControlMessage{Src}`).
//! Without it a multi-homed host could answer from another address, and a
//! client that `connect`ed its socket would never see the reply. `rustix`
//! carries no pktinfo control messages, hence `libc` here.

// Used by shim::proxy, which the shim's loop wires in; until then by tests.

use std::io;
use std::mem::{size_of, MaybeUninit};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::fd::{AsRawFd, BorrowedFd};

/// Room for one `in6_pktinfo` control message (the larger of the two),
/// 8-byte aligned as `cmsghdr` wants.
type ControlBuf = [u64; 8];

/// Ask the kernel to report each datagram's destination address.
pub fn set_recv_pktinfo(fd: BorrowedFd<'_>, v6: bool) -> io::Result<()> {
    let (level, name) = if v6 {
        (libc::IPPROTO_IPV6, libc::IPV6_RECVPKTINFO)
    } else {
        (libc::IPPROTO_IP, libc::IP_PKTINFO)
    };
    let one: libc::c_int = 1;
    // SAFETY: a valid fd and a pointer to an int of the size passed.
    let r = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&one as *const libc::c_int).cast(),
            size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Receive one datagram into `buf`'s capacity (its length becomes the
/// datagram's; a longer one is cut, as `recv` does). Returns the sender
/// and, on a socket with [`set_recv_pktinfo`], the address it was sent to.
pub fn recv_from_to(
    fd: BorrowedFd<'_>,
    buf: &mut Vec<u8>,
) -> io::Result<(SocketAddr, Option<IpAddr>)> {
    buf.clear();
    let cap = buf.capacity();
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: cap,
    };
    let mut name = MaybeUninit::<libc::sockaddr_storage>::zeroed();
    let mut control: ControlBuf = [0; 8];
    // SAFETY: an all-zero msghdr is valid; every pointer set below outlives
    // the call and its length is the size of what it points at.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_name = name.as_mut_ptr().cast();
    msg.msg_namelen = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.as_mut_ptr().cast();
    msg.msg_controllen = size_of::<ControlBuf>() as _;
    // SAFETY: msg describes writable memory owned by this frame and `buf`.
    let n = unsafe { libc::recvmsg(fd.as_raw_fd(), &mut msg, libc::MSG_DONTWAIT) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the kernel wrote n bytes (at most `cap`, no MSG_TRUNC asked)
    // into the vector's spare capacity.
    unsafe { buf.set_len((n as usize).min(cap)) };
    // SAFETY: recvmsg filled in the sender's address (zeroed otherwise).
    let from = unsafe { sockaddr_to_std(name.as_ptr()) }
        .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidData))?;
    let mut dst = None;
    // SAFETY: msg's control buffer was filled by recvmsg; the CMSG_* walk
    // stays inside msg_controllen and each payload read matches its type.
    unsafe {
        let mut c = libc::CMSG_FIRSTHDR(&msg);
        while !c.is_null() {
            let (level, kind) = ((*c).cmsg_level, (*c).cmsg_type);
            if level == libc::IPPROTO_IP && kind == libc::IP_PKTINFO {
                let info: libc::in_pktinfo = std::ptr::read_unaligned(libc::CMSG_DATA(c).cast());
                dst = Some(IpAddr::V4(Ipv4Addr::from(u32::from_be(
                    info.ipi_addr.s_addr,
                ))));
            } else if level == libc::IPPROTO_IPV6 && kind == libc::IPV6_PKTINFO {
                let info: libc::in6_pktinfo = std::ptr::read_unaligned(libc::CMSG_DATA(c).cast());
                dst = Some(IpAddr::V6(Ipv6Addr::from(info.ipi6_addr.s6_addr)));
            }
            c = libc::CMSG_NXTHDR(&msg, c);
        }
    }
    Ok((from, dst))
}

/// Send one datagram to `to`, from the local address `from` when given
/// (which must be one of the host's: the destination a client used).
pub fn send_to_from(
    fd: BorrowedFd<'_>,
    data: &[u8],
    to: SocketAddr,
    from: Option<IpAddr>,
) -> io::Result<usize> {
    let (mut name, namelen) = std_to_sockaddr(to);
    let mut iov = libc::iovec {
        iov_base: data.as_ptr() as *mut libc::c_void,
        iov_len: data.len(),
    };
    let mut control: ControlBuf = [0; 8];
    // SAFETY: as in recv_from_to; sendmsg only reads through these pointers.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_name = (&mut name as *mut libc::sockaddr_storage).cast();
    msg.msg_namelen = namelen;
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    if let Some(src) = from {
        let (level, kind, len) = match src {
            IpAddr::V4(_) => (
                libc::IPPROTO_IP,
                libc::IP_PKTINFO,
                size_of::<libc::in_pktinfo>(),
            ),
            IpAddr::V6(_) => (
                libc::IPPROTO_IPV6,
                libc::IPV6_PKTINFO,
                size_of::<libc::in6_pktinfo>(),
            ),
        };
        msg.msg_control = control.as_mut_ptr().cast();
        // SAFETY: CMSG_SPACE of a small constant; the buffer holds it.
        msg.msg_controllen = unsafe { libc::CMSG_SPACE(len as u32) } as _;
        // SAFETY: the control buffer is large and aligned enough for one
        // cmsghdr with this payload (ControlBuf), and zeroed.
        unsafe {
            let c = libc::CMSG_FIRSTHDR(&msg);
            (*c).cmsg_level = level;
            (*c).cmsg_type = kind;
            (*c).cmsg_len = libc::CMSG_LEN(len as u32) as _;
            match src {
                IpAddr::V4(a) => {
                    let info = libc::in_pktinfo {
                        ipi_ifindex: 0,
                        ipi_spec_dst: libc::in_addr {
                            s_addr: u32::from(a).to_be(),
                        },
                        ipi_addr: libc::in_addr { s_addr: 0 },
                    };
                    std::ptr::write_unaligned(libc::CMSG_DATA(c).cast(), info);
                }
                IpAddr::V6(a) => {
                    let info = libc::in6_pktinfo {
                        ipi6_addr: libc::in6_addr {
                            s6_addr: a.octets(),
                        },
                        ipi6_ifindex: 0,
                    };
                    std::ptr::write_unaligned(libc::CMSG_DATA(c).cast(), info);
                }
            }
        }
    }
    // SAFETY: msg points at memory owned by this frame and `data`.
    let n = unsafe { libc::sendmsg(fd.as_raw_fd(), &msg, libc::MSG_DONTWAIT) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(n as usize)
}

/// # Safety
/// `p` points at a `sockaddr_storage` whose family field is initialised.
unsafe fn sockaddr_to_std(p: *const libc::sockaddr_storage) -> Option<SocketAddr> {
    match i32::from((*p).ss_family) {
        libc::AF_INET => {
            let a = &*(p as *const libc::sockaddr_in);
            Some(SocketAddr::V4(SocketAddrV4::new(
                Ipv4Addr::from(u32::from_be(a.sin_addr.s_addr)),
                u16::from_be(a.sin_port),
            )))
        }
        libc::AF_INET6 => {
            let a = &*(p as *const libc::sockaddr_in6);
            Some(SocketAddr::V6(SocketAddrV6::new(
                Ipv6Addr::from(a.sin6_addr.s6_addr),
                u16::from_be(a.sin6_port),
                u32::from_be(a.sin6_flowinfo),
                a.sin6_scope_id,
            )))
        }
        _ => None,
    }
}

fn std_to_sockaddr(a: SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    // SAFETY: an all-zero sockaddr_storage is valid.
    let mut s: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let len = match a {
        SocketAddr::V4(a) => {
            let sin = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: a.port().to_be(),
                sin_addr: libc::in_addr {
                    s_addr: u32::from(*a.ip()).to_be(),
                },
                sin_zero: [0; 8],
            };
            // SAFETY: sockaddr_storage is larger than and aligned for sockaddr_in.
            unsafe { std::ptr::write((&mut s as *mut libc::sockaddr_storage).cast(), sin) };
            size_of::<libc::sockaddr_in>()
        }
        SocketAddr::V6(a) => {
            let sin6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: a.port().to_be(),
                sin6_flowinfo: a.flowinfo().to_be(),
                sin6_addr: libc::in6_addr {
                    s6_addr: a.ip().octets(),
                },
                sin6_scope_id: a.scope_id(),
            };
            // SAFETY: sockaddr_storage is larger than and aligned for sockaddr_in6.
            unsafe { std::ptr::write((&mut s as *mut libc::sockaddr_storage).cast(), sin6) };
            size_of::<libc::sockaddr_in6>()
        }
    };
    (s, len as libc::socklen_t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::UdpSocket;
    use std::os::fd::AsFd;

    #[test]
    fn the_destination_comes_back_and_the_reply_leaves_from_it() {
        for (wild, lo) in [
            ("0.0.0.0:0", IpAddr::from([127, 0, 0, 1])),
            ("[::]:0", IpAddr::from(Ipv6Addr::LOCALHOST)),
        ] {
            let server = UdpSocket::bind(wild).unwrap();
            set_recv_pktinfo(server.as_fd(), lo.is_ipv6()).unwrap();
            let port = server.local_addr().unwrap().port();
            let client = UdpSocket::bind(SocketAddr::new(lo, 0)).unwrap();
            client.connect(SocketAddr::new(lo, port)).unwrap();
            client.send(b"ping").unwrap();
            let mut buf = Vec::with_capacity(64);
            let (from, dst) = loop {
                match recv_from_to(server.as_fd(), &mut buf) {
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                    r => break r.unwrap(),
                }
            };
            assert_eq!(buf, b"ping");
            assert_eq!(from, client.local_addr().unwrap());
            assert_eq!(dst, Some(lo));
            assert_eq!(send_to_from(server.as_fd(), b"pong", from, dst).unwrap(), 4);
            let mut b = [0u8; 16];
            let n = client.recv(&mut b).unwrap();
            assert_eq!(&b[..n], b"pong");
        }
    }
}
