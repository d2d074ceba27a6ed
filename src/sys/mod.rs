//! Thin wrappers over the system calls berth needs: signals, locks, mounts,
//! namespaces, pidfds. This is the only module allowed to contain `unsafe`;
//! every block carries a `// SAFETY:` line. The crate denies `unsafe_code`
//! (Cargo.toml `[lints.rust]`); this module alone allows it. What `rustix`
//! or std wrap safely is called through them; `unsafe` is left for what they
//! do not offer (fork, sigaction/sigprocmask, signalfd, openpty, malloc_trim).

#![allow(unsafe_code)]

pub mod fs;
pub mod lock;
pub mod mount;
pub mod netns;
pub mod process;
pub mod pty;
pub mod signal;
pub mod signalfd;
pub mod sqlite;
pub mod udp;
pub mod unix_socket;
pub mod xattr;
