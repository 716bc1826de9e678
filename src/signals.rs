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
//! The handlers are the `signal-hook` crate's, which installs them portably (sigaction with
//! SA_RESTART on Unix, the C runtime's `signal` on Windows) and emulates the default action for
//! the second signal. Windows has no SIGHUP: there SIGINT (Ctrl-C while the terminal is not in raw
//! mode) and SIGTERM are served the same way.
//!
//! The handler's state is necessarily process-wide (a signal handler gets no context), so it is
//! here, in the binary, not in the library crates, whose machines stay plain values.

use emu_machine::Control;
use signal_hook::consts::signal::{SIGINT, SIGTERM};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Mutex;
use std::time::Duration;

/// The signals that stop emu.
#[cfg(unix)]
const STOPPING: [i32; 3] = [SIGINT, SIGTERM, signal_hook::consts::signal::SIGHUP];
#[cfg(not(unix))]
const STOPPING: [i32; 2] = [SIGINT, SIGTERM];

/// The signal caught, or 0.
static CAUGHT: AtomicUsize = AtomicUsize::new(0);
/// The control channel of the machine running now.
static TARGET: Mutex<Option<Sender<Control>>> = Mutex::new(None);

/// How often the watcher looks for a caught signal.
const POLL: Duration = Duration::from_millis(20);

/// What a signal does: the first one is recorded, any later one gets the default action. One
/// atomic swap decides which is first, even when two signals are handled on two threads at once.
fn on_signal(sig: i32) {
    if CAUGHT.swap(sig as usize, Ordering::SeqCst) != 0 {
        let _ = signal_hook::low_level::emulate_default_handler(sig);
    }
}

/// Installs the handlers and starts the watcher thread. Call once, early in `main`.
pub fn install() {
    for sig in STOPPING {
        // SAFETY: the action is async-signal-safe: an atomic swap, and for a second signal
        // signal-hook's emulation of the default action (restoring it and re-raising).
        let installed = unsafe { signal_hook::low_level::register(sig, move || on_signal(sig)) };
        if let Err(e) = installed {
            log::warn!(
                "cannot handle {} ({e}); it will end emu without flushing disks",
                name(sig)
            );
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
        sig => Some((name(sig as i32), (128 + sig).min(255) as u8)),
    }
}

/// `SIGTERM` and the like.
fn name(sig: i32) -> &'static str {
    signal_hook::low_level::signal_name(sig).unwrap_or("a signal")
}
