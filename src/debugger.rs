//! The debugging front ends of emu (issue 8), and what they share: the list of machines a debugger
//! can reach, each through its [`DebugHub`], and the `--gdb` / `--monitor` addresses.
//!
//! `main` makes one hub per machine slot, attaches every machine it builds for that slot to it (a
//! guest reboot builds a new one) and starts the servers once: the GDB stub (`gdb.rs`) on its port,
//! the monitor (`monitor/`) on its socket, and the terminal monitor behind Ctrl-A c. A fleet
//! (`fleet.rs`) does the same with one hub per machine, all in one [`Machines`] list for the
//! monitor, and a GDB port per machine.

use emu_machine::DebugHub;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, RwLock};

/// The machines of this process a debugger can reach, by name, in order. One machine is called
/// `default`; with several (a fleet), each is registered under its own name.
///
/// Besides each machine's hub, the list keeps what the hub cannot answer once the machine is gone:
/// its number of harts and how it ended, so that `info machines` can still describe it.
#[derive(Default)]
pub struct Machines {
    list: RwLock<Vec<Entry>>,
}

/// One machine of the list.
struct Entry {
    name: String,
    hub: DebugHub,
    /// Harts of the last machine attached (0 until one is).
    harts: usize,
    /// How it ended, once the fleet has reported it.
    ending: Option<Ending>,
}

/// How a machine ended, as `info machines` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// It ended well (powered off, exited with 0, stopped by the user or its instruction limit),
    /// as the text says.
    Stopped(String),
    /// It failed (a failure code, an error, a crash of its thread), as the text says.
    Failed(String),
}

impl Machines {
    /// A list with one machine, `name`.
    pub fn one(name: &str, hub: DebugHub) -> Arc<Machines> {
        let machines = Machines::default();
        machines.add(name, hub);
        Arc::new(machines)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Vec<Entry>> {
        // Nothing panics while holding the lock; if something did, the list is still whole.
        self.list.write().unwrap_or_else(|e| e.into_inner())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Vec<Entry>> {
        self.list.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds (or replaces) the machine `name`.
    pub fn add(&self, name: &str, hub: DebugHub) {
        let mut list = self.write();
        match list.iter_mut().find(|e| e.name == name) {
            Some(entry) => entry.hub = hub,
            None => list.push(Entry {
                name: name.to_string(),
                hub,
                harts: 0,
                ending: None,
            }),
        }
    }

    /// Attaches `machine` to the hub of `name` (debuggers talk to it from now on) and notes its
    /// harts. False if there is no machine `name`.
    pub fn attach(&self, name: &str, machine: &mut emu_machine::Machine) -> bool {
        let mut list = self.write();
        let Some(entry) = list.iter_mut().find(|e| e.name == name) else {
            return false;
        };
        machine.attach_debugger(&entry.hub);
        entry.harts = machine.harts().len();
        entry.ending = None;
        true
    }

    /// Machine `name` has ended, as `ending` says.
    pub fn ended(&self, name: &str, ending: Ending) {
        if let Some(entry) = self.write().iter_mut().find(|e| e.name == name) {
            entry.ending = Some(ending);
        }
    }

    /// The names, in order.
    pub fn names(&self) -> Vec<String> {
        self.read().iter().map(|e| e.name.clone()).collect()
    }

    /// The hub of machine `name`.
    pub fn get(&self, name: &str) -> Option<DebugHub> {
        self.read()
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.hub.clone())
    }

    /// How machine `name` ended, if it has.
    pub fn ending(&self, name: &str) -> Option<Ending> {
        self.read()
            .iter()
            .find(|e| e.name == name)
            .and_then(|e| e.ending.clone())
    }

    /// The harts of machine `name`'s last attached machine (0 if none was attached).
    pub fn harts(&self, name: &str) -> usize {
        self.read()
            .iter()
            .find(|e| e.name == name)
            .map_or(0, |e| e.harts)
    }
}

/// Where `--monitor` listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MonitorAddr {
    /// `tcp:HOST:PORT` (port 0: any free port, reported on stderr).
    Tcp(String),
    /// `unix:PATH` (Unix hosts only: refused when parsed elsewhere).
    Unix(PathBuf),
}

impl MonitorAddr {
    /// Parses `tcp:HOST:PORT` or `unix:PATH`; `unix:` is refused, saying TCP does the same job,
    /// where the host has no Unix-domain sockets (`unix_sockets`).
    fn parse(text: &str, unix_sockets: bool) -> Result<MonitorAddr, String> {
        if let Some(addr) = text.strip_prefix("tcp:") {
            return tcp_addr(addr).map(MonitorAddr::Tcp);
        }
        if let Some(path) = text.strip_prefix("unix:") {
            if !unix_sockets {
                return Err(crate::unix_socket::unavailable(
                    "unix:PATH",
                    "tcp:127.0.0.1:PORT does the same job",
                ));
            }
            if path.is_empty() {
                return Err("expected unix:PATH".into());
            }
            return Ok(MonitorAddr::Unix(path.into()));
        }
        Err("expected tcp:HOST:PORT or unix:PATH".into())
    }
}

impl FromStr for MonitorAddr {
    type Err = String;

    fn from_str(text: &str) -> Result<MonitorAddr, String> {
        MonitorAddr::parse(text, crate::unix_socket::AVAILABLE)
    }
}

/// Where `--gdb` listens: `tcp::PORT` (localhost) or `tcp:HOST:PORT`, as QEMU's `-gdb`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GdbAddr(pub String);

impl GdbAddr {
    /// The TCP port (0: any free one).
    pub fn port(&self) -> u16 {
        // `from_str` checked it; a hand-made address without one reads as "any".
        self.0
            .rsplit_once(':')
            .and_then(|(_, port)| port.parse().ok())
            .unwrap_or(0)
    }
}

impl FromStr for GdbAddr {
    type Err = String;

    fn from_str(text: &str) -> Result<GdbAddr, String> {
        let addr = text.strip_prefix("tcp:").unwrap_or(text);
        tcp_addr(addr).map(GdbAddr)
    }
}

/// `HOST:PORT` or `:PORT` (localhost).
fn tcp_addr(addr: &str) -> Result<String, String> {
    let Some((host, port)) = addr.rsplit_once(':') else {
        return Err("expected HOST:PORT or :PORT".into());
    };
    port.parse::<u16>()
        .map_err(|_| format!("bad port '{port}'"))?;
    let host = if host.is_empty() { "127.0.0.1" } else { host };
    Ok(format!("{host}:{port}"))
}

/// The console input of a one-machine run, with the terminal monitor behind Ctrl-A c.
pub struct MonitoredInput {
    /// The machine the console types into.
    pub target: crate::console::InputTarget,
    /// The machines the monitor reaches.
    pub machines: Arc<Machines>,
}

impl crate::console::InputSink for MonitoredInput {
    fn send(&self, message: emu_machine::Control) {
        self.target.send(message);
    }

    fn monitor(&self) -> Option<crate::monitor::Terminal> {
        Some(crate::monitor::Terminal::new(self.machines.clone()))
    }
}

/// The name of the one machine of a one-machine run, as the monitor shows it.
const DEFAULT: &str = "default";

/// The debugging servers of a one-machine run.
pub struct Frontends {
    /// The machines the monitor reaches: the one, with the hub every machine built for its slot
    /// is attached to.
    pub machines: Arc<Machines>,
    /// `-S`: pause the next machine attached before its first instruction.
    start_paused: bool,
}

impl Frontends {
    /// The front ends the command line asks for (`--gdb`, `--monitor`; the terminal monitor is
    /// always there on the Linux console).
    pub fn from_cli(cli: &crate::cli::Cli) -> std::io::Result<Frontends> {
        Frontends::start(cli.gdb.as_ref(), cli.monitor.as_ref(), cli.start_paused)
    }

    /// Attaches a machine built for the slot: debuggers talk to it from now on. The first one is
    /// paused before its first instruction under `-S`.
    pub fn attach(&mut self, machine: &mut emu_machine::Machine) {
        self.machines.attach(DEFAULT, machine);
        if std::mem::take(&mut self.start_paused) {
            machine.start_paused();
        }
    }

    /// Makes the hub of the one machine (`default`) and starts the servers asked for, printing
    /// where they listen on stderr.
    pub fn start(
        gdb: Option<&GdbAddr>,
        monitor: Option<&MonitorAddr>,
        start_paused: bool,
    ) -> std::io::Result<Frontends> {
        let hub = DebugHub::new();
        let machines = Machines::one(DEFAULT, hub.clone());
        if let Some(addr) = gdb {
            let local = crate::gdb::serve(&addr.0, hub)?;
            eprintln!("emu: gdb: listening on {local}");
        }
        if let Some(addr) = monitor {
            let local = crate::monitor::serve(addr, machines.clone())?;
            eprintln!("emu: monitor: listening on {local}");
        }
        Ok(Frontends {
            machines,
            start_paused,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_gdb_and_monitor_addresses_as_qemu_writes_them() {
        assert_eq!("tcp::1234".parse(), Ok(GdbAddr("127.0.0.1:1234".into())));
        assert_eq!(
            "tcp:0.0.0.0:1234".parse(),
            Ok(GdbAddr("0.0.0.0:1234".into()))
        );
        assert_eq!(":0".parse(), Ok(GdbAddr("127.0.0.1:0".into())));
        assert!("tcp:1234".parse::<GdbAddr>().is_err());
        assert!("tcp::99999".parse::<GdbAddr>().is_err());
        assert_eq!(
            "tcp:127.0.0.1:4444".parse(),
            Ok(MonitorAddr::Tcp("127.0.0.1:4444".into()))
        );
        assert_eq!(
            MonitorAddr::parse("unix:/tmp/m.sock", true),
            Ok(MonitorAddr::Unix("/tmp/m.sock".into()))
        );
        assert!("stdio".parse::<MonitorAddr>().is_err());
        assert!(MonitorAddr::parse("unix:", true).is_err());
    }

    /// Where the host has no Unix-domain sockets, `unix:` is refused in one line that says TCP
    /// does the same job (and TCP still works).
    #[test]
    fn unix_monitor_sockets_are_refused_without_unix_sockets() {
        let e = MonitorAddr::parse("unix:/tmp/m.sock", false).unwrap_err();
        assert_eq!(
            e,
            "unix:PATH needs Unix-domain sockets, which emu has only on Unix hosts; \
             tcp:127.0.0.1:PORT does the same job"
        );
        assert_eq!(
            MonitorAddr::parse("tcp:127.0.0.1:4444", false),
            Ok(MonitorAddr::Tcp("127.0.0.1:4444".into()))
        );
        assert_eq!(
            "unix:/tmp/m.sock".parse::<MonitorAddr>().is_ok(),
            crate::unix_socket::AVAILABLE
        );
    }

    #[test]
    fn machines_are_found_by_name_in_order() {
        let m = Machines::one("default", DebugHub::new());
        m.add("vm2", DebugHub::new());
        m.add("default", DebugHub::new());
        assert_eq!(m.names(), ["default", "vm2"]);
        assert!(m.get("vm2").is_some() && m.get("vm3").is_none());
    }
}
