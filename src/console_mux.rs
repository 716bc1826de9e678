//! The consoles of a fleet: one machine is attached to the terminal at a time (Ctrl-A n / Ctrl-A p
//! switch, with a `[emu: attached to NAME]` banner); every machine's output also goes to its
//! scrollback (the last [`SCROLLBACK`] bytes), which is replayed when the user switches to it, and
//! to its `console=file:` or `console=socket:` sink if it has one. Nothing a guest prints is lost
//! while it is detached.

use emu_machine::Control;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Write};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex, MutexGuard};

/// Bytes of output kept per machine for replay.
pub const SCROLLBACK: usize = 64 << 10;

/// One machine's console.
struct Screen {
    name: String,
    /// Its control channel while it runs.
    control: Option<Sender<Control>>,
    /// How it ended, once it has.
    ended: Option<String>,
    /// The last [`SCROLLBACK`] bytes it printed.
    history: VecDeque<u8>,
    /// Bytes it printed in all.
    total: u64,
    /// Bytes the user has seen (everything printed while it was attached, and what the last
    /// switch to it replayed).
    seen: u64,
    file: Option<File>,
    /// Writer threads of the socket's connected clients.
    clients: Vec<Sender<Vec<u8>>>,
}

struct State {
    terminal: Box<dyn Write + Send>,
    attached: usize,
    /// The monitor has the terminal (Ctrl-A c): output waits in the scrollback, as a detached
    /// machine's does, and is shown when the console gets the terminal back.
    held: bool,
    screens: Vec<Screen>,
}

/// The consoles of all machines of a fleet; clones share them.
#[derive(Clone)]
pub struct ConsoleMux {
    state: Arc<Mutex<State>>,
}

impl ConsoleMux {
    /// Consoles for machines named `names`, the first attached to `terminal`.
    pub fn new(names: &[String], terminal: Box<dyn Write + Send>) -> ConsoleMux {
        let screens = names
            .iter()
            .map(|name| Screen {
                name: name.clone(),
                control: None,
                ended: None,
                history: VecDeque::new(),
                total: 0,
                seen: 0,
                file: None,
                clients: Vec::new(),
            })
            .collect();
        ConsoleMux {
            state: Arc::new(Mutex::new(State {
                terminal,
                attached: 0,
                held: false,
                screens,
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics while holding the lock; if something did, the consoles are still
        // consistent enough to go on printing.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The writer to give machine `index` as its console.
    pub fn console(&self, index: usize) -> MachineConsole {
        MachineConsole {
            mux: self.clone(),
            index,
        }
    }

    /// Also appends machine `index`'s output to `file`.
    pub fn set_file(&self, index: usize, file: File) {
        self.lock().screens[index].file = Some(file);
    }

    /// Machine `index` runs (again, after a reboot) with this control channel.
    pub fn set_control(&self, index: usize, control: Sender<Control>) {
        self.lock().screens[index].control = Some(control);
    }

    /// Machine `index` ended, as `how` says; its clients are disconnected. If it was attached, the
    /// next machine still running is attached instead.
    pub fn ended(&self, index: usize, how: &str) {
        let mut state = self.lock();
        let screen = &mut state.screens[index];
        screen.control = None;
        screen.ended = Some(how.to_string());
        screen.clients.clear();
        if state.attached == index {
            let n = state.screens.len();
            if let Some(next) = (1..n)
                .map(|k| (index + k) % n)
                .find(|&i| state.screens[i].ended.is_none())
            {
                state.attach(next);
            }
        }
    }

    /// Bytes typed on the terminal: for the attached machine.
    pub fn type_on_terminal(&self, bytes: Vec<u8>) {
        let state = self.lock();
        if let Some(control) = &state.screens[state.attached].control {
            let _ = control.send(Control::Input(bytes));
        }
    }

    /// Bytes for machine `index`'s console (from its socket).
    pub fn type_on(&self, index: usize, bytes: Vec<u8>) {
        if let Some(control) = &self.lock().screens[index].control {
            let _ = control.send(Control::Input(bytes));
        }
    }

    /// Sends `message` to every running machine.
    pub fn broadcast(&self, message: Control) {
        for screen in &self.lock().screens {
            if let Some(control) = &screen.control {
                let _ = control.send(message.clone());
            }
        }
    }

    /// Holds the terminal for the monitor (`held`), or gives it back to the attached machine: a
    /// banner, then what it printed meanwhile.
    pub fn hold_terminal(&self, held: bool) {
        let mut state = self.lock();
        state.held = held;
        if !held {
            let attached = state.attached;
            state.attach(attached);
        }
    }

    /// Attaches the next (`forward`) or previous machine to the terminal.
    pub fn switch(&self, forward: bool) {
        let mut state = self.lock();
        let n = state.screens.len();
        let next = if forward {
            (state.attached + 1) % n
        } else {
            (state.attached + n - 1) % n
        };
        state.attach(next);
    }

    /// Connects a socket client to machine `index`: it gets the scrollback, then the output as it
    /// comes, through `client`.
    pub fn add_client(&self, index: usize, client: Sender<Vec<u8>>) {
        let mut state = self.lock();
        let screen = &mut state.screens[index];
        if screen.ended.is_some() {
            // Dropping the sender ends the connection once the scrollback is sent.
            let _ = client.send(screen.history.iter().copied().collect());
            return;
        }
        let _ = client.send(screen.history.iter().copied().collect());
        screen.clients.push(client);
    }

    /// A machine's output.
    fn output(&self, index: usize, bytes: &[u8]) -> io::Result<()> {
        let mut state = self.lock();
        let shown = state.attached == index && !state.held;
        let State {
            terminal, screens, ..
        } = &mut *state;
        let screen = &mut screens[index];
        screen.history.extend(bytes);
        let excess = screen.history.len().saturating_sub(SCROLLBACK);
        screen.history.drain(..excess);
        screen.total += bytes.len() as u64;
        if let Some(file) = &mut screen.file {
            if let Err(e) = file.write_all(bytes) {
                log::warn!(
                    "machine {}: console file: {e}; no more output goes there",
                    screen.name
                );
                screen.file = None;
            }
        }
        screen.clients.retain(|c| c.send(bytes.to_vec()).is_ok());
        if shown {
            screen.seen = screen.total;
            // The terminal going away must not stop the guest.
            let _ = terminal.write_all(bytes).and_then(|()| terminal.flush());
        }
        Ok(())
    }
}

impl State {
    /// Attaches screen `index`: a banner, then what it printed that the user has not seen (once
    /// the monitor gives the terminal back, if it holds it).
    fn attach(&mut self, index: usize) {
        self.attached = index;
        if self.held {
            return;
        }
        let screen = &mut self.screens[index];
        let mut out = format!("\r\n[emu: attached to {}", screen.name);
        if let Some(how) = &screen.ended {
            out.push_str(&format!(" ({how})"));
        }
        out.push_str("]\r\n");
        let kept = screen.total - screen.history.len() as u64;
        if screen.seen < kept {
            out.push_str(&format!(
                "[emu: {} earlier bytes not kept]\r\n",
                kept - screen.seen
            ));
        }
        let unseen = (screen.total - screen.seen.max(kept)) as usize;
        let start = screen.history.len() - unseen;
        let mut bytes = out.into_bytes();
        bytes.extend(screen.history.range(start..));
        screen.seen = screen.total;
        let _ = self
            .terminal
            .write_all(&bytes)
            .and_then(|()| self.terminal.flush());
    }
}

/// What a machine writes its console output to.
pub struct MachineConsole {
    mux: ConsoleMux,
    index: usize,
}

impl Write for MachineConsole {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.mux.output(self.index, buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let mut state = self.mux.lock();
        if let Some(file) = &mut state.screens[self.index].file {
            let _ = file.flush();
        }
        Ok(())
    }
}

/// Serves machine `index`'s console on a Unix socket at `path` (replacing a stale socket there):
/// one thread accepts clients; each client gets a writer thread (so a slow client never holds up
/// the machine) and a reader thread whose bytes are typed on the console.
pub fn serve_socket(mux: &ConsoleMux, index: usize, path: &std::path::Path) -> io::Result<()> {
    let listener = crate::unix_socket::bind(path)?;
    let mux = mux.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let (Ok(mut writer), Ok(mut reader)) = (stream.try_clone(), stream.try_clone()) else {
                continue;
            };
            let (sender, output) = channel::<Vec<u8>>();
            std::thread::spawn(move || {
                for bytes in output {
                    if writer.write_all(&bytes).is_err() {
                        break;
                    }
                }
                // The machine ended (or the client left): end the connection, and its reader.
                let _ = stream.shutdown(std::net::Shutdown::Both);
            });
            mux.add_client(index, sender);
            let mux = mux.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                loop {
                    match io::Read::read(&mut reader, &mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => mux.type_on(index, buf[..n].to_vec()),
                    }
                }
            });
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A terminal whose output the test can read.
    #[derive(Clone, Default)]
    struct Screenful(Arc<Mutex<Vec<u8>>>);

    impl Write for Screenful {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Screenful {
        fn take(&self) -> String {
            String::from_utf8(std::mem::take(&mut *self.0.lock().unwrap())).unwrap()
        }
    }

    fn mux(n: usize) -> (ConsoleMux, Screenful) {
        let names: Vec<String> = ["a", "b", "c"][..n].iter().map(|s| s.to_string()).collect();
        let terminal = Screenful::default();
        (
            ConsoleMux::new(&names, Box::new(terminal.clone())),
            terminal,
        )
    }

    #[test]
    fn only_the_attached_machine_reaches_the_terminal_and_a_switch_replays_the_rest() {
        let (mux, terminal) = mux(3);
        mux.console(0).write_all(b"a1 ").unwrap();
        mux.console(1).write_all(b"b1 ").unwrap();
        mux.console(1).write_all(b"b2 ").unwrap();
        assert_eq!(terminal.take(), "a1 ");
        mux.switch(true);
        assert_eq!(terminal.take(), "\r\n[emu: attached to b]\r\nb1 b2 ");
        mux.console(1).write_all(b"b3").unwrap();
        mux.console(0).write_all(b"a2").unwrap();
        assert_eq!(terminal.take(), "b3");
        mux.switch(false);
        assert_eq!(terminal.take(), "\r\n[emu: attached to a]\r\na2");
        // Backwards from the first is the last.
        mux.switch(false);
        assert_eq!(terminal.take(), "\r\n[emu: attached to c]\r\n");
        mux.switch(true);
        assert_eq!(terminal.take(), "\r\n[emu: attached to a]\r\n");
    }

    #[test]
    fn while_the_monitor_holds_the_terminal_output_waits_for_it() {
        let (mux, terminal) = mux(2);
        mux.console(0).write_all(b"a1 ").unwrap();
        mux.hold_terminal(true);
        mux.console(0).write_all(b"a2 ").unwrap();
        // The attached machine ends meanwhile: the next is attached, quietly.
        mux.ended(0, "powered off");
        mux.console(1).write_all(b"b1").unwrap();
        assert_eq!(terminal.take(), "a1 ");
        mux.hold_terminal(false);
        assert_eq!(terminal.take(), "\r\n[emu: attached to b]\r\nb1");
        mux.console(1).write_all(b" b2").unwrap();
        assert_eq!(terminal.take(), " b2");
    }

    #[test]
    fn the_scrollback_is_bounded_and_says_what_it_dropped() {
        let (mux, terminal) = mux(2);
        let mut b = mux.console(1);
        b.write_all(&vec![b'x'; SCROLLBACK + 10]).unwrap();
        b.write_all(b"end").unwrap();
        mux.switch(true);
        let shown = terminal.take();
        assert!(
            shown.starts_with("\r\n[emu: attached to b]\r\n[emu: 13 earlier bytes not kept]\r\n"),
            "{}",
            &shown[..80]
        );
        assert!(shown.ends_with("xxend"));
        assert_eq!(shown.matches('x').count(), SCROLLBACK - 3);
    }

    #[test]
    fn input_goes_to_the_attached_machine_and_quit_to_all() {
        let (mux, _terminal) = mux(2);
        let (a, a_rx) = channel();
        let (b, b_rx) = channel();
        mux.set_control(0, a);
        mux.set_control(1, b);
        mux.type_on_terminal(b"ls\n".to_vec());
        mux.switch(true);
        mux.type_on_terminal(b"id\n".to_vec());
        mux.type_on(0, b"sock".to_vec());
        mux.broadcast(Control::Quit);
        assert_eq!(messages(&a_rx), ["input ls\n", "input sock", "quit"]);
        assert_eq!(messages(&b_rx), ["input id\n", "quit"]);
    }

    fn messages(rx: &std::sync::mpsc::Receiver<Control>) -> Vec<String> {
        rx.try_iter()
            .map(|m| match m {
                Control::Input(bytes) => format!("input {}", String::from_utf8_lossy(&bytes)),
                Control::Quit => "quit".into(),
                _ => "other".into(),
            })
            .collect()
    }

    #[test]
    fn when_the_attached_machine_ends_the_next_running_one_is_attached() {
        let (mux, terminal) = mux(3);
        mux.console(2).write_all(b"c up").unwrap();
        mux.ended(1, "powered off");
        mux.ended(0, "crashed");
        assert_eq!(terminal.take(), "\r\n[emu: attached to c]\r\nc up");
        mux.switch(true);
        assert_eq!(terminal.take(), "\r\n[emu: attached to a (crashed)]\r\n");
    }

    #[test]
    fn socket_clients_get_the_scrollback_then_the_output() {
        let (mux, _terminal) = mux(2);
        mux.console(1).write_all(b"early ").unwrap();
        let (client, received) = channel();
        mux.add_client(1, client);
        mux.console(1).write_all(b"late").unwrap();
        mux.ended(1, "powered off");
        let all: Vec<u8> = received.iter().flatten().collect();
        assert_eq!(all, b"early late");
    }

    #[cfg(unix)]
    #[test]
    fn a_socket_console_talks_both_ways() {
        use std::io::Read;
        let (mux, _terminal) = mux(1);
        let (control, input) = channel();
        mux.set_control(0, control);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sock");
        serve_socket(&mux, 0, &path).unwrap();
        mux.console(0).write_all(b"hello").unwrap();
        let mut client = std::os::unix::net::UnixStream::connect(&path).unwrap();
        client.write_all(b"typed").unwrap();
        let typed = input.recv_timeout(std::time::Duration::from_secs(10));
        assert!(matches!(typed, Ok(Control::Input(bytes)) if bytes == b"typed"));
        mux.console(0).write_all(b" world").unwrap();
        mux.ended(0, "powered off");
        let mut got = String::new();
        client.read_to_string(&mut got).unwrap();
        assert_eq!(got, "hello world");
    }
}
