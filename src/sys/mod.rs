//! Thin wrappers over the system calls berth needs: signals, locks, mounts,
//! namespaces, pidfds. This is the only module allowed to contain `unsafe`;
//! every block carries a `// SAFETY:` line.

pub mod fs;
pub mod lock;
pub mod mount;
pub mod process;
pub mod pty;
pub mod signal;
pub mod signalfd;
pub mod unix_socket;
pub mod xattr;
