//! Signal helpers.

/// Restore the default SIGPIPE action so `berth images | head` ends quietly
/// instead of printing a broken-pipe error (Rust ignores SIGPIPE by default).
pub fn reset_sigpipe() {
    // SAFETY: setting a signal disposition to SIG_DFL at start-up, before any
    // thread exists, has no memory-safety implications.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
