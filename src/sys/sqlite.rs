//! The SQLite C call rusqlite has no safe wrapper for: the OS error number
//! behind the last I/O error (store::space tells a full disk by it).

use rusqlite::{ffi, Connection};

/// The `errno` of the last failed system call SQLite made on `conn` (0 if none).
pub fn system_errno(conn: &Connection) -> i32 {
    // SAFETY: the handle is the live connection `conn` borrows; the call
    // only reads a field of it.
    unsafe { ffi::sqlite3_system_errno(conn.handle()) }
}
