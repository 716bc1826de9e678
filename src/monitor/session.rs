//! Monitor sessions: on a socket (`--monitor`), one per connection, and on the terminal (Ctrl-A c).
//!
//! A session runs commands one at a time. Stops of the machines (a breakpoint hit after
//! `continue`, a step's end) arrive on their own: a printer thread per session shows them as they
//! happen, then the prompt again. A command that waits for a stop (`step`, `stop`) returns once the
//! printer has shown it, so the answer always comes before the next prompt.

use super::lineedit::{Edit, LineEditor, PROMPT};
use super::{Effect, Monitor};
use crate::debugger::{Machines, MonitorAddr};
use emu_machine::StopEvent;
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Write};
use std::sync::mpsc::channel;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a command waits for the stop it asked for before giving the prompt back.
const STOP_WAIT: Duration = Duration::from_secs(30);

/// What a session's command side and its printer share.
struct State {
    out: Box<dyn Write + Send>,
    /// Terminal output: `\n` becomes `\r\n` (raw mode), and the prompt is the line editor's.
    terminal: bool,
    /// On the terminal: the monitor is shown (not the guest console).
    shown: bool,
    /// A command is running: the printer shows stops without a prompt after them.
    busy: bool,
    /// The line editor (terminal sessions).
    editor: LineEditor,
    /// Per machine, the last run whose stop was shown (none: no stop shown yet).
    shown_runs: HashMap<String, u64>,
    /// The session ended: the printer stops.
    closed: bool,
}

impl State {
    fn write(&mut self, text: &str) {
        let text = if self.terminal {
            text.replace('\n', "\r\n")
        } else {
            text.to_string()
        };
        let _ = self.out.write_all(text.as_bytes());
        let _ = self.out.flush();
    }

    fn prompt(&mut self) {
        if self.terminal {
            let line = self.editor.render();
            self.write(&line);
        } else {
            self.write(PROMPT);
        }
    }
}

struct Shared {
    state: Mutex<State>,
    shown: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A monitor session: the command side.
struct Session {
    monitor: Monitor,
    shared: Arc<Shared>,
}

impl Session {
    /// A session writing to `out`, whose printer shows the stops of every machine.
    fn new(machines: Arc<Machines>, out: Box<dyn Write + Send>, terminal: bool) -> Session {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                out,
                terminal,
                shown: !terminal,
                busy: false,
                editor: LineEditor::default(),
                shown_runs: HashMap::new(),
                closed: false,
            }),
            shown: Condvar::new(),
        });
        let (events, stops) = channel::<(String, StopEvent)>();
        for name in machines.names() {
            if let Some(hub) = machines.get(&name) {
                let events = events.clone();
                hub.subscribe(move |event| events.send((name.clone(), event.clone())).is_ok());
            }
        }
        drop(events);
        let printer_shared = shared.clone();
        let printer_machines = machines.clone();
        std::thread::spawn(move || {
            for (name, event) in stops {
                let Some(hub) = printer_machines.get(&name) else {
                    continue;
                };
                let mut text = Monitor::describe_stop(&hub, event.hart, &event.reason);
                if printer_machines.names().len() > 1 {
                    text = format!("[{name}] {text}");
                }
                let mut state = printer_shared.lock();
                if state.closed {
                    return;
                }
                if state.terminal {
                    // Over whatever the prompt line holds.
                    state.write("\r\x1b[K");
                }
                state.write(&text);
                let idle = !state.busy && state.shown;
                if idle {
                    state.prompt();
                }
                let run = state.shown_runs.entry(name).or_insert(0);
                *run = (*run).max(event.run);
                printer_shared.shown.notify_all();
            }
        });
        Session {
            monitor: Monitor::new(machines),
            shared,
        }
    }

    /// Runs one command line and writes its answer, then the prompt (under one lock, so a stop
    /// shown meanwhile never doubles it). False once the user quit emu (no prompt then).
    fn run_line(&mut self, line: &str) -> bool {
        self.shared.lock().busy = true;
        let (text, effect) = self.monitor.execute(line);
        let mut state = self.shared.lock();
        state.write(&text);
        if let Effect::WaitStop(run) = effect {
            let machine = self.monitor.selected().to_string();
            let deadline = Instant::now() + STOP_WAIT;
            // No stop shown yet is "not shown", even for run 0 (a machine no debugger has
            // resumed yet is still in its first run).
            while state
                .shown_runs
                .get(&machine)
                .is_none_or(|&shown| shown < run)
            {
                let now = Instant::now();
                if now >= deadline {
                    state.write("(still running: the stop will show when it comes)\n");
                    break;
                }
                state = self
                    .shared
                    .shown
                    .wait_timeout(state, deadline - now)
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
            }
        }
        state.busy = false;
        if effect == Effect::Quit {
            return false;
        }
        state.prompt();
        true
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
    }
}

/// Serves the monitor on `addr` (a listener thread; each connection gets a session and a prompt).
/// Returns the address it listens on, for a TCP port of 0.
pub fn serve(addr: &MonitorAddr, machines: Arc<Machines>) -> io::Result<String> {
    match addr {
        MonitorAddr::Tcp(host) => {
            let listener = std::net::TcpListener::bind(host)?;
            let local = listener.local_addr()?.to_string();
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    let machines = machines.clone();
                    std::thread::spawn(move || {
                        let _ = stream.set_nodelay(true);
                        if let Ok(writer) = stream.try_clone() {
                            connection(BufReader::new(stream), Box::new(writer), machines);
                        }
                    });
                }
            });
            Ok(local)
        }
        MonitorAddr::Unix(path) => {
            let listener = crate::unix_socket::bind(path)?;
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    let machines = machines.clone();
                    std::thread::spawn(move || {
                        if let Ok(writer) = stream.try_clone() {
                            connection(BufReader::new(stream), Box::new(writer), machines);
                        }
                    });
                }
            });
            Ok(path.display().to_string())
        }
    }
}

/// One socket connection: a greeting and a prompt, then a command per line until the peer closes
/// or the user quits.
fn connection(reader: impl BufRead, out: Box<dyn Write + Send>, machines: Arc<Machines>) {
    let mut session = Session::new(machines, out, false);
    {
        let mut state = session.shared.lock();
        state.write("emu monitor: type 'help' for the commands\n");
        state.prompt();
    }
    for line in reader.lines() {
        let Ok(line) = line else { break };
        if !session.run_line(&line) {
            break;
        }
    }
}

/// The monitor on the terminal: the console's input thread feeds it the bytes typed while it is
/// shown (after Ctrl-A c).
pub struct Terminal {
    machines: Arc<Machines>,
    session: Option<Session>,
}

/// What the terminal monitor wants after a byte.
#[derive(Debug, PartialEq, Eq)]
pub enum TerminalAction {
    /// Keep feeding the monitor.
    Stay,
    /// Ctrl-A c: back to the guest console.
    Leave,
    /// Quit emu (`quit`, or Ctrl-A x).
    Quit,
}

impl Terminal {
    /// The terminal monitor of these machines (nothing runs until it is first shown).
    pub fn new(machines: Arc<Machines>) -> Terminal {
        Terminal {
            machines,
            session: None,
        }
    }

    fn session(&mut self) -> &mut Session {
        let machines = self.machines.clone();
        self.session
            .get_or_insert_with(|| Session::new(machines, Box::new(io::stdout()), true))
    }

    /// Shows the monitor (Ctrl-A c from the console).
    pub fn enter(&mut self) {
        let session = self.session();
        let mut state = session.shared.lock();
        state.shown = true;
        state.write("\nemu monitor: type 'help' for the commands, Ctrl-A c to go back\n");
        state.prompt();
    }

    /// Feeds one byte typed while the monitor is shown.
    pub fn feed(&mut self, byte: u8) -> TerminalAction {
        let session = self.session();
        let edit = session.shared.lock().editor.feed(byte);
        match edit {
            Edit::None => TerminalAction::Stay,
            Edit::Redraw => {
                let mut state = session.shared.lock();
                state.prompt();
                TerminalAction::Stay
            }
            Edit::Submit(line) => {
                session.shared.lock().write("\n");
                if !session.run_line(&line) {
                    return TerminalAction::Quit;
                }
                TerminalAction::Stay
            }
            Edit::Leave => {
                let mut state = session.shared.lock();
                state.shown = false;
                state.write("\n(back to the console)\n");
                TerminalAction::Leave
            }
            Edit::Quit => TerminalAction::Quit,
        }
    }
}
