//! SIGINT, SIGTERM and SIGHUP stop the machine cleanly instead of killing the process: the
//! handler only records the signal; a watcher thread then sends [`Control::Quit`] to the running
//! machine, whose `run` returns between two slices like for Ctrl-A x. So everything that a normal
//! exit does still happens: every disk is flushed (fdatasync) and closed, the terminal leaves raw
//! mode, and emu exits with status 128 + the signal number, as a shell reports a process killed
//! by that signal.
//!
//! A second signal while the first is being served gets the default action (the process dies at
//! once): the way out if the machine does not stop.
//!
//! The handler's state is necessarily process-wide (a signal handler gets no context), so it is
//! here, in the binary, not in the library crates, whose machines stay plain values.

use emu_machine::Control;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Mutex;
use std::time::Duration;

/// The signal caught, or 0.
static CAUGHT: AtomicI32 = AtomicI32::new(0);
/// The control channel of the machine running now.
static TARGET: Mutex<Option<Sender<Control>>> = Mutex::new(None);

/// How often the watcher looks for a caught signal.
const POLL: Duration = Duration::from_millis(20);

#[cfg(unix)]
mod sys {
    use std::os::raw::c_int;

    // The same numbers on Linux, the BSDs and macOS.
    pub const SIGHUP: c_int = 1;
    pub const SIGINT: c_int = 2;
    pub const SIGTERM: c_int = 15;
    pub const SIG_DFL: usize = 0;
    pub const SIG_ERR: usize = usize::MAX;

    extern "C" {
        // `signal` installs with BSD semantics on glibc and macOS: the handler stays installed and
        // interrupted system calls restart.
        pub fn signal(signum: c_int, handler: usize) -> usize;
        pub fn raise(sig: c_int) -> c_int;
    }
}

#[cfg(unix)]
extern "C" fn on_signal(sig: std::os::raw::c_int) {
    // Only async-signal-safe work here: an atomic swap, and for a second signal `signal` and
    // `raise`.
    if CAUGHT.swap(sig, Ordering::SeqCst) != 0 {
        // SAFETY: restoring the default disposition and re-raising are async-signal-safe.
        unsafe {
            sys::signal(sig, sys::SIG_DFL);
            sys::raise(sig);
        }
    }
}

/// Installs the handlers and starts the watcher thread. Call once, early in `main`.
pub fn install() {
    #[cfg(unix)]
    for sig in [sys::SIGINT, sys::SIGTERM, sys::SIGHUP] {
        let handler = on_signal as extern "C" fn(std::os::raw::c_int) as usize;
        // SAFETY: `on_signal` is an `extern "C" fn(c_int)` that only does async-signal-safe work.
        let previous = unsafe { sys::signal(sig, handler) };
        if previous == sys::SIG_ERR {
            log::warn!("cannot handle signal {sig}; it will end emu without flushing disks");
        }
    }
    std::thread::spawn(|| loop {
        std::thread::sleep(POLL);
        if CAUGHT.load(Ordering::SeqCst) != 0 {
            if let Some(control) = TARGET.lock().map(|mut t| t.take()).ok().flatten() {
                let _ = control.send(Control::Quit);
            }
        }
    });
}

/// Makes a caught signal stop the machine whose control channel is `control` (the one about to
/// run; a reboot's new machine replaces the old one's).
pub fn watch(control: Sender<Control>) {
    if let Ok(mut target) = TARGET.lock() {
        *target = Some(control);
    }
}

/// The signal that stopped emu, if one did: its name and the exit status to report.
pub fn caught() -> Option<(&'static str, u8)> {
    match CAUGHT.load(Ordering::SeqCst) {
        0 => None,
        1 => Some(("SIGHUP", 129)),
        2 => Some(("SIGINT", 130)),
        15 => Some(("SIGTERM", 143)),
        _ => Some(("a signal", 128)),
    }
}
