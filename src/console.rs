//! The terminal side of the guest console: raw mode while the guest runs, and the input thread
//! with QEMU's Ctrl-A escapes (Ctrl-A x quits, Ctrl-A c shows the monitor and back, Ctrl-A Ctrl-A
//! sends a literal Ctrl-A; with several machines, Ctrl-A n and Ctrl-A p attach the next and the
//! previous one).

use emu_machine::Control;
use std::io::{IsTerminal, Read};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

/// The escape character: Ctrl-A.
const ESCAPE: u8 = 0x01;

/// Puts the terminal in raw mode (when stdin is one) and restores it when dropped, which happens
/// on every exit path of `main`, including errors and panics (the panic strategy is unwind).
/// crossterm does it on every OS (termios on Unix, the console mode on Windows).
pub struct RawMode {
    enabled: bool,
    /// Dropped after raw mode is left (fields drop after `drop`): restores what it changed.
    _vt: vt::Console,
}

impl RawMode {
    /// Raw mode on stdin's terminal, or nothing when stdin is a pipe or file.
    pub fn enable() -> RawMode {
        let enabled =
            std::io::stdin().is_terminal() && crossterm::terminal::enable_raw_mode().is_ok();
        RawMode {
            enabled,
            _vt: vt::Console::enable(enabled),
        }
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        if self.enabled {
            let _ = crossterm::terminal::disable_raw_mode();
        }
    }
}

/// A Unix terminal speaks VT (ANSI escapes) both ways, as the guest does. A Windows console does
/// only when asked: for output, so what the guest prints (colours, cursor moves) is shown rather
/// than printed as text, which crossterm's `ansi_support` turns on; and for input, so that keys
/// without a character (arrows, Home, Delete) reach the guest as the escapes a Unix terminal
/// sends, which crossterm has no call for, so its console-mode crate (`crossterm_winapi`) sets the
/// flag. Not run here (the project has no Windows machine): `cargo check` for Windows only.
#[cfg(windows)]
mod vt {
    use crossterm_winapi::{ConsoleMode, Handle};

    /// `ENABLE_VIRTUAL_TERMINAL_INPUT` of the console input mode (wincon.h).
    const VT_INPUT: u32 = 0x0200;

    /// The console input mode to restore, if VT input was turned on.
    pub struct Console(Option<(ConsoleMode, u32)>);

    impl Console {
        /// VT output always (guest output goes to the console even when stdin is a pipe); VT
        /// input while the console is in raw mode (`raw`).
        pub fn enable(raw: bool) -> Console {
            let _ = crossterm::ansi_support::supports_ansi();
            if !raw {
                return Console(None);
            }
            let Ok(input) = Handle::current_in_handle().map(ConsoleMode::from) else {
                return Console(None);
            };
            match input.mode() {
                Ok(mode) if input.set_mode(mode | VT_INPUT).is_ok() => Console(Some((input, mode))),
                _ => Console(None),
            }
        }
    }

    impl Drop for Console {
        fn drop(&mut self) {
            if let Some((input, mode)) = &self.0 {
                let _ = input.set_mode(*mode);
            }
        }
    }
}

/// Nothing to ask of a Unix terminal (see the Windows one).
#[cfg(not(windows))]
mod vt {
    pub struct Console;

    impl Console {
        pub fn enable(_raw: bool) -> Console {
            Console
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
    /// Attach the next (true) or previous (false) machine.
    Switch(bool),
    /// Ctrl-A c: show the monitor (src/monitor/).
    Monitor,
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
            b'n' => Action::Switch(true),
            b'p' => Action::Switch(false),
            b'c' | b'C' => Action::Monitor,
            ESCAPE => Action::Send(ESCAPE),
            _ => Action::Nothing,
        }
    }
}

/// Where console input goes: the control channel of the current machine (replaced when a guest
/// reboot builds a new machine).
pub type InputTarget = Arc<Mutex<Sender<Control>>>;

/// Where the input thread sends what the user types.
pub trait InputSink: Send + 'static {
    /// Sends `message` to the machine the terminal is attached to (Ctrl-A x: to every machine).
    fn send(&self, message: Control);
    /// Ctrl-A n (`forward`) or Ctrl-A p. Nothing to do with one machine.
    fn switch(&self, _forward: bool) {}
    /// The monitor Ctrl-A c shows, if this console has one.
    fn monitor(&self) -> Option<crate::monitor::Terminal> {
        None
    }
    /// The monitor now has the terminal (`shown`), or gives it back to the console.
    fn monitor_shown(&self, _shown: bool) {}
}

impl InputSink for InputTarget {
    fn send(&self, message: Control) {
        // A send fails only between a machine's end and the next one's start.
        let _ = self.lock().map(|t| t.send(message));
    }
}

/// Reads stdin on a thread of its own and sends the guest's input (and Ctrl-A x) to the machine
/// `target` names at the time. At end of input the thread just stops: the guest keeps running until
/// it powers off.
pub fn spawn_input(target: impl InputSink) {
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut escapes = Escapes::default();
        let mut buf = [0u8; 256];
        let mut monitor = target.monitor();
        let mut in_monitor = false;
        loop {
            let n = match stdin.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            let mut input = Vec::with_capacity(n);
            for &byte in &buf[..n] {
                // While the monitor is shown, it gets the bytes (Ctrl-A c gives them back).
                if let (true, Some(m)) = (in_monitor, monitor.as_mut()) {
                    match m.feed(byte) {
                        crate::monitor::TerminalAction::Stay => {}
                        crate::monitor::TerminalAction::Leave => {
                            in_monitor = false;
                            target.monitor_shown(false);
                        }
                        crate::monitor::TerminalAction::Quit => {
                            target.send(Control::Quit);
                            return;
                        }
                    }
                    continue;
                }
                match escapes.feed(byte) {
                    Action::Send(b) => input.push(b),
                    Action::Nothing => {}
                    Action::Quit => {
                        target.send(Control::Quit);
                        return;
                    }
                    Action::Switch(forward) => {
                        // What was typed before the switch goes to the machine it was typed for.
                        if !input.is_empty() {
                            target.send(Control::Input(std::mem::take(&mut input)));
                        }
                        target.switch(forward);
                    }
                    Action::Monitor => {
                        if let Some(m) = monitor.as_mut() {
                            if !input.is_empty() {
                                target.send(Control::Input(std::mem::take(&mut input)));
                            }
                            target.monitor_shown(true);
                            m.enter();
                            in_monitor = true;
                        }
                    }
                }
            }
            if !input.is_empty() {
                target.send(Control::Input(input));
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
        assert_eq!(e.feed(b'n'), Action::Switch(true));
        assert_eq!(e.feed(b'p'), Action::Send(b'p'));
        assert_eq!(e.feed(ESCAPE), Action::Nothing);
        assert_eq!(e.feed(b'p'), Action::Switch(false));
        assert_eq!(e.feed(ESCAPE), Action::Nothing);
        assert_eq!(e.feed(b'c'), Action::Monitor);
        assert_eq!(e.feed(ESCAPE), Action::Nothing);
        assert_eq!(e.feed(b'x'), Action::Quit);
    }
}
