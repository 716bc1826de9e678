//! The terminal side of the guest console: raw mode while the guest runs, and the input thread
//! with QEMU's Ctrl-A escapes (Ctrl-A x quits, Ctrl-A Ctrl-A sends a literal Ctrl-A).

use emu_machine::Control;
use std::io::{IsTerminal, Read};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

/// The escape character: Ctrl-A.
const ESCAPE: u8 = 0x01;

/// Puts the terminal in raw mode (when stdin is one) and restores it when dropped, which happens
/// on every exit path of `main`, including errors and panics (the panic strategy is unwind).
pub struct RawMode {
    enabled: bool,
}

impl RawMode {
    /// Raw mode on stdin's terminal, or nothing when stdin is a pipe or file.
    pub fn enable() -> RawMode {
        let enabled =
            std::io::stdin().is_terminal() && crossterm::terminal::enable_raw_mode().is_ok();
        RawMode { enabled }
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        if self.enabled {
            let _ = crossterm::terminal::disable_raw_mode();
        }
    }
}

/// What the escape state machine makes of one input byte.
#[derive(Debug, PartialEq, Eq)]
enum Action {
    /// Send this byte to the guest.
    Send(u8),
    /// Nothing (the byte started or ended an escape).
    Nothing,
    /// Quit emu.
    Quit,
}

/// Ctrl-A escapes, one byte at a time.
#[derive(Default)]
struct Escapes {
    pending: bool,
}

impl Escapes {
    fn feed(&mut self, byte: u8) -> Action {
        if !self.pending {
            if byte == ESCAPE {
                self.pending = true;
                return Action::Nothing;
            }
            return Action::Send(byte);
        }
        self.pending = false;
        match byte {
            b'x' | b'X' => Action::Quit,
            ESCAPE => Action::Send(ESCAPE),
            _ => Action::Nothing,
        }
    }
}

/// Where console input goes: the control channel of the current machine (replaced when a guest
/// reboot builds a new machine).
pub type InputTarget = Arc<Mutex<Sender<Control>>>;

/// Reads stdin on a thread of its own and sends the guest's input (and Ctrl-A x) to the machine
/// `target` names at the time. At end of input the thread just stops: the guest keeps running until
/// it powers off.
pub fn spawn_input(target: InputTarget) {
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut escapes = Escapes::default();
        let mut buf = [0u8; 256];
        loop {
            let n = match stdin.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            let mut input = Vec::with_capacity(n);
            for &byte in &buf[..n] {
                match escapes.feed(byte) {
                    Action::Send(b) => input.push(b),
                    Action::Nothing => {}
                    Action::Quit => {
                        let _ = target.lock().map(|t| t.send(Control::Quit));
                        return;
                    }
                }
            }
            if !input.is_empty() {
                // A send fails only between a machine's end and the next one's start.
                let _ = target.lock().map(|t| t.send(Control::Input(input)));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctrl_a_escapes_follow_qemu() {
        let mut e = Escapes::default();
        assert_eq!(e.feed(b'a'), Action::Send(b'a'));
        assert_eq!(e.feed(ESCAPE), Action::Nothing);
        assert_eq!(e.feed(ESCAPE), Action::Send(ESCAPE));
        assert_eq!(e.feed(ESCAPE), Action::Nothing);
        assert_eq!(e.feed(b'q'), Action::Nothing);
        assert_eq!(e.feed(b'x'), Action::Send(b'x'));
        assert_eq!(e.feed(ESCAPE), Action::Nothing);
        assert_eq!(e.feed(b'x'), Action::Quit);
    }
}
