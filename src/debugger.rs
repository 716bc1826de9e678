//! The debugging front ends of emu (issue 8), and what they share: the list of machines a debugger
//! can reach, each through its [`DebugHub`], and the `--gdb` / `--monitor` addresses.
//!
//! `main` makes one hub per machine slot, attaches every machine it builds for that slot to it (a
//! guest reboot builds a new one) and starts the servers once: the GDB stub (`gdb.rs`) on its port,
//! the monitor (`monitor/`) on its socket, and the terminal monitor behind Ctrl-A c.

use emu_machine::DebugHub;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, RwLock};

/// The machines of this process a debugger can reach, by name, in order. One machine is called
/// `default`; with several (a fleet), each is registered under its own name.
#[derive(Default)]
pub struct Machines {
    list: RwLock<Vec<(String, DebugHub)>>,
}

impl Machines {
    /// A list with one machine, `name`.
    pub fn one(name: &str, hub: DebugHub) -> Arc<Machines> {
        let machines = Machines::default();
        machines.add(name, hub);
        Arc::new(machines)
    }

    /// Adds (or replaces) the machine `name`.
    pub fn add(&self, name: &str, hub: DebugHub) {
        let mut list = self.list.write().unwrap_or_else(|e| e.into_inner());
        match list.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = hub,
            None => list.push((name.to_string(), hub)),
        }
    }

    /// The names, in order.
    pub fn names(&self) -> Vec<String> {
        let list = self.list.read().unwrap_or_else(|e| e.into_inner());
        list.iter().map(|(n, _)| n.clone()).collect()
    }

    /// The hub of machine `name`.
    pub fn get(&self, name: &str) -> Option<DebugHub> {
        let list = self.list.read().unwrap_or_else(|e| e.into_inner());
        list.iter().find(|(n, _)| n == name).map(|(_, h)| h.clone())
    }
}

/// Where `--monitor` listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MonitorAddr {
    /// `tcp:HOST:PORT` (port 0: any free port, reported on stderr).
    Tcp(String),
    /// `unix:PATH`.
    #[cfg(unix)]
    Unix(PathBuf),
}

impl FromStr for MonitorAddr {
    type Err = String;

    fn from_str(text: &str) -> Result<MonitorAddr, String> {
        if let Some(addr) = text.strip_prefix("tcp:") {
            return tcp_addr(addr).map(MonitorAddr::Tcp);
        }
        #[cfg(unix)]
        if let Some(path) = text.strip_prefix("unix:") {
            if path.is_empty() {
                return Err("expected unix:PATH".into());
            }
            return Ok(MonitorAddr::Unix(path.into()));
        }
        Err("expected tcp:HOST:PORT or unix:PATH".into())
    }
}

/// Where `--gdb` listens: `tcp::PORT` (localhost) or `tcp:HOST:PORT`, as QEMU's `-gdb`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GdbAddr(pub String);

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

/// The debugging servers of a one-machine run.
pub struct Frontends {
    /// The machine slot's hub: attach every machine built for it.
    pub hub: DebugHub,
    /// The machines the monitor reaches.
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
        machine.attach_debugger(&self.hub);
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
        let machines = Machines::one("default", hub.clone());
        if let Some(addr) = gdb {
            let local = crate::gdb::serve(&addr.0, hub.clone())?;
            eprintln!("emu: gdb: listening on {local}");
        }
        if let Some(addr) = monitor {
            let local = crate::monitor::serve(addr, machines.clone())?;
            eprintln!("emu: monitor: listening on {local}");
        }
        Ok(Frontends {
            hub,
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
            "unix:/tmp/m.sock".parse(),
            Ok(MonitorAddr::Unix("/tmp/m.sock".into()))
        );
        assert!("stdio".parse::<MonitorAddr>().is_err());
        assert!("unix:".parse::<MonitorAddr>().is_err());
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
