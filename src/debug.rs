//! `--debug` output: one line per interesting step (registry requests,
//! runtime invocations, shim launches, garbage collection) on stderr, as
//! `DEBU[<seconds since start>] <message>` like docker's logrus lines.
//! Off unless `--debug`, `BERTH_DEBUG` or `debug = true` in the config.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

static ENABLED: AtomicBool = AtomicBool::new(false);
static START: OnceLock<Instant> = OnceLock::new();

pub fn enable(on: bool) {
    START.get_or_init(Instant::now);
    ENABLED.store(on, Ordering::Relaxed);
}

pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Write one debug line (use the `debug!` macro).
pub fn emit(args: std::fmt::Arguments<'_>) {
    let t = START.get_or_init(Instant::now).elapsed().as_secs_f64();
    eprintln!("DEBU[{t:08.4}] {args}");
}

/// `debug!("pulling {}", r)`: formats only when debugging is on.
macro_rules! debug {
    ($($arg:tt)*) => {
        if $crate::debug::enabled() {
            $crate::debug::emit(format_args!($($arg)*));
        }
    };
}
pub(crate) use debug;
