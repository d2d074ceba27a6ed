//! Network namespaces that outlive the process making them: a new namespace
//! is created on a short-lived thread (`unshare(CLONE_NEWNET)` moves only the
//! calling thread) and bind-mounted onto a file, the way `ip netns add` pins
//! one, so any later process (the runtime, CNI plugins, another berth) can
//! reach it by path. Unmounting the file (and the last process leaving)
//! frees it.

use rustix::mount::{mount_bind, unmount, UnmountFlags};
use rustix::thread::UnshareFlags;
use std::io;
use std::path::Path;

/// Create a new network namespace and bind-mount it onto `target`, which
/// must exist (an empty file).
pub fn create_pinned(target: &Path) -> io::Result<()> {
    let target = target.to_path_buf();
    std::thread::spawn(move || -> io::Result<()> {
        // SAFETY: only CLONE_NEWNET: the thread's file table, memory and
        // credentials stay shared, so no other thread can observe anything
        // but this thread's network namespace change, and the thread ends
        // right after the bind mount.
        unsafe { rustix::thread::unshare_unsafe(UnshareFlags::NEWNET) }?;
        mount_bind("/proc/thread-self/ns/net", &target)?;
        Ok(())
    })
    .join()
    .map_err(|_| io::Error::other("the netns thread panicked"))?
}

/// Unmount a pinned namespace (lazily: a process still inside keeps it
/// alive until it leaves). A file that is not a mount point is fine.
pub fn unpin(target: &Path) -> io::Result<()> {
    match unmount(target, UnmountFlags::DETACH) {
        Ok(()) => Ok(()),
        Err(rustix::io::Errno::INVAL) | Err(rustix::io::Errno::NOENT) => Ok(()),
        Err(e) => Err(e.into()),
    }
}
