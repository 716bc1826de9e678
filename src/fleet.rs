//! Several machines in one process (`--config fleet.toml`, `--vm ...`).
//!
//! Every machine is built first (files read, disks opened, consoles set up), so that a problem with
//! any of them starts none; then each runs on a host thread of its own. One machine that ends
//! (powers off, fails, or hits a panic of the emulator) is reported and the others go on; emu exits
//! when the last one has ended: status 0 if every machine ended well, 1 if any failed, 124 if none
//! failed but one was stopped by its `max_instructions`.
//!
//! Debugging: every machine has a [`DebugHub`] in one [`Machines`] list, so the monitor
//! (`--monitor`, and Ctrl-A c on the terminal) reaches all of them (`info machines`, `machine
//! NAME`), and a machine with a `gdb` field gets a GDB stub of its own on that port. The global
//! `--gdb` and `-S` are refused here: a GDB connection debugs one target, so in a fleet they are
//! per machine (`gdb`, `paused`).
//!
//! Test-only fault injection: `EMU_TEST_PANIC_ON=NAME:TEXT` makes machine NAME's console panic
//! once its guest has printed TEXT, which is a panic inside that machine's run loop, as an
//! emulator bug would be. It is an environment variable so that it can never end up in a fleet
//! file or a command line by accident, and it is read here only, once, when the fleet is built.

use crate::cli::{Cli, EXIT_BAD_INPUT, EXIT_INSTRUCTION_LIMIT};
use crate::console::{self, InputSink};
use crate::console_mux::{ConsoleMux, MachineConsole};
use crate::debugger::{Ending, Machines, MonitorAddr};
use crate::fleet_config::{self, Boot, ConsoleSpec, VmSpec};
use emu_machine::{
    panic_message, Control, DebugHub, DiskConfig, Ended, LinuxBoot, Machine, MachineConfig,
    RunOutcome,
};
use std::io::{IsTerminal, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::channel;
use std::sync::Arc;

/// Exit status when at least one machine failed.
pub const EXIT_MACHINE_FAILED: u8 = 1;

/// The environment variable of the test-only fault injection (see the module comment).
const PANIC_ON: &str = "EMU_TEST_PANIC_ON";

/// Runs the fleet of `--config FILE` or of the `--vm` specs, with the `--monitor` asked for; the
/// exit status it earned.
pub fn run(cli: &Cli) -> ExitCode {
    if let Some(problem) = single_machine_debugging(cli) {
        eprintln!("emu: {problem}");
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let specs = match &cli.config {
        Some(path) => fleet_config::from_file(path),
        None => fleet_config::from_vm_args(&cli.vm),
    };
    let mut specs = match specs {
        Ok(specs) => specs,
        Err(problems) => {
            for problem in problems {
                eprintln!("emu: {problem}");
            }
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    if let Some(page_loop) = cli.page_loop {
        for spec in &mut specs {
            spec.page_loop = page_loop;
        }
    }
    let names: Vec<String> = specs.iter().map(|s| s.name.clone()).collect();
    let mux = ConsoleMux::new(&names, Box::new(std::io::stdout()));
    let machines = Arc::new(Machines::default());
    for name in &names {
        machines.add(name, DebugHub::new());
    }
    let panic_on = std::env::var(PANIC_ON).ok();
    let mut sockets = Vec::new();
    let mut built_machines = Vec::new();
    let mut problems = 0;
    for (index, spec) in specs.iter().enumerate() {
        let built = open_console(&mux, index, spec, &mut sockets).and_then(|()| {
            let console = machine_console(&mux, index, spec, panic_on.as_deref());
            build(spec, console, Vec::new())
        });
        match built {
            Ok(mut machine) => {
                machines.attach(&spec.name, &mut machine);
                if spec.paused {
                    machine.start_paused();
                }
                built_machines.push(machine);
            }
            Err(problem) => {
                eprintln!("emu: machine '{}': {problem}", spec.name);
                problems += 1;
            }
        }
    }
    if problems > 0 {
        remove_sockets(&sockets);
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    // After the machines, so that a bad machine starts no server; before they run, so that a
    // server that cannot listen starts no machine.
    if let Err(problem) = serve_debuggers(cli.monitor.as_ref(), &specs, &machines, &mut sockets) {
        eprintln!("emu: {problem}");
        remove_sockets(&sockets);
        return ExitCode::from(EXIT_BAD_INPUT);
    }

    let raw_mode = console::RawMode::enable();
    let newline = if std::io::stdin().is_terminal() {
        "\r\n"
    } else {
        "\n"
    };
    console::spawn_input(TerminalInput {
        mux: mux.clone(),
        machines: machines.clone(),
    });
    watch_signals(&mux);
    let (done, ended) = channel();
    for (index, (spec, machine)) in specs.iter().zip(built_machines).enumerate() {
        mux.set_control(index, machine.control());
        let (spec, mux, report_to) = (spec.clone(), mux.clone(), done.clone());
        let (panic_on, machines) = (panic_on.clone(), machines.clone());
        let thread = std::thread::Builder::new()
            .name(spec.name.clone())
            .spawn(move || {
                let report = panic::catch_unwind(AssertUnwindSafe(|| {
                    let console = FleetConsole {
                        mux: &mux,
                        index,
                        panic_on: panic_on.as_deref(),
                    };
                    run_machine(&spec, machine, &console, &machines)
                }))
                .unwrap_or_else(|payload| Report::crashed(&panic_message(payload.as_ref())));
                let _ = report_to.send((index, report));
            });
        if let Err(e) = thread {
            // The machine went with the failed spawn.
            let _ = done.send((
                index,
                Report::failed(format!("cannot start its thread: {e}")),
            ));
        }
    }
    drop(done);

    let mut failed = Vec::new();
    let mut limited = false;
    for (index, report) in ended.iter() {
        // The monitor knows of the end before the user reads of it.
        let ending = match report.kind {
            Kind::Failed => Ending::Failed(
                report
                    .text
                    .strip_prefix("failed: ")
                    .unwrap_or(&report.text)
                    .to_string(),
            ),
            Kind::Good | Kind::Limit => Ending::Stopped(report.text.clone()),
        };
        machines.ended(&names[index], ending);
        status_line(&format!(
            "emu: machine {} {}{newline}",
            names[index], report.text
        ));
        mux.ended(index, &report.text);
        match report.kind {
            Kind::Good => {}
            Kind::Limit => limited = true,
            Kind::Failed => failed.push(names[index].as_str()),
        }
    }
    drop(raw_mode);
    remove_sockets(&sockets);
    if !failed.is_empty() {
        status_line(&format!(
            "emu: {} of {} machines failed: {}\n",
            failed.len(),
            names.len(),
            failed.join(", ")
        ));
        ExitCode::from(EXIT_MACHINE_FAILED)
    } else if limited {
        ExitCode::from(EXIT_INSTRUCTION_LIMIT)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes a status line to stderr in one write: the machines' consoles write to the terminal at the
/// same time, and a line written piece by piece (as `write!` to the unbuffered stderr does) could
/// be cut by their output.
fn status_line(line: &str) {
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// What a machine's thread needs to build its console again after a reboot.
struct FleetConsole<'a> {
    mux: &'a ConsoleMux,
    index: usize,
    panic_on: Option<&'a str>,
}

/// Runs one machine to its end on this thread, building it again after each guest reboot (and
/// attaching the new one to the same debugger hub, which keeps its breakpoints).
fn run_machine(
    spec: &VmSpec,
    mut machine: Machine,
    console: &FleetConsole,
    machines: &Machines,
) -> Report {
    loop {
        console.mux.set_control(console.index, machine.control());
        match machine.run_guarded() {
            Ended::Ran(Ok(RunOutcome::Reboot)) => {
                // The disks stay open for the next machine: a snapshot's overlay keeps what the
                // guest wrote, as QEMU's does until the process ends.
                let disks = machine.into_disks();
                let writer = machine_console(console.mux, console.index, spec, console.panic_on);
                machine = match build(spec, writer, disks) {
                    Ok(machine) => machine,
                    Err(problem) => return Report::failed(format!("cannot reboot: {problem}")),
                };
                machines.attach(&spec.name, &mut machine);
            }
            ended => return Report::of(ended),
        }
    }
}

/// Why the one-machine debugging options cannot serve a fleet, if one is given.
fn single_machine_debugging(cli: &Cli) -> Option<&'static str> {
    if cli.gdb.is_some() {
        return Some(
            "--gdb serves one machine: in a fleet, give each machine its own port with its gdb \
             field (gdb=tcp::PORT in its --vm spec, gdb = \"tcp::PORT\" in its [[machine]] table)",
        );
    }
    if cli.start_paused {
        return Some(
            "-S holds one machine: in a fleet, hold each machine you want held with its paused \
             field (paused=on in its --vm spec, paused = true in its [[machine]] table)",
        );
    }
    None
}

/// Starts the GDB stub of every machine that has a `gdb` field, and the monitor of `--monitor`,
/// printing where each listens. A Unix monitor socket is added to `sockets` (removed at the end).
fn serve_debuggers(
    monitor: Option<&MonitorAddr>,
    specs: &[VmSpec],
    machines: &Arc<Machines>,
    sockets: &mut Vec<PathBuf>,
) -> Result<(), String> {
    for spec in specs {
        let (Some(addr), Some(hub)) = (&spec.gdb, machines.get(&spec.name)) else {
            continue;
        };
        let local = crate::gdb::serve(&addr.0, hub).map_err(|e| {
            format!(
                "machine '{}': field 'gdb': cannot listen on {}: {e}",
                spec.name, addr.0
            )
        })?;
        eprintln!("emu: gdb: listening on {local} (machine {})", spec.name);
    }
    if let Some(addr) = monitor {
        let local = crate::monitor::serve(addr, machines.clone()).map_err(|e| {
            let at = match addr {
                MonitorAddr::Tcp(host) => host.clone(),
                MonitorAddr::Unix(path) => path.display().to_string(),
            };
            format!("--monitor: cannot listen on {at}: {e}")
        })?;
        if let MonitorAddr::Unix(path) = addr {
            sockets.push(path.clone());
        }
        eprintln!("emu: monitor: listening on {local}");
    }
    Ok(())
}

/// How a machine ended, for the user and the exit status.
struct Report {
    text: String,
    kind: Kind,
}

enum Kind {
    Good,
    Limit,
    Failed,
}

impl Report {
    fn of(ended: Ended) -> Report {
        let (text, kind) = match ended {
            Ended::Ran(Ok(outcome)) => match outcome {
                RunOutcome::PowerOff => ("powered off".into(), Kind::Good),
                RunOutcome::Quit => ("stopped".into(), Kind::Good),
                RunOutcome::Exited(0) => ("exited with code 0".into(), Kind::Good),
                RunOutcome::Exited(code) => (format!("exited with code {code}"), Kind::Failed),
                RunOutcome::Failed(code) => (
                    format!("reported failure {code} through the test finisher"),
                    Kind::Failed,
                ),
                RunOutcome::InstructionLimit(n) => (
                    format!("stopped after {n} instructions (max_instructions)"),
                    Kind::Limit,
                ),
                RunOutcome::Reboot => ("rebooted".into(), Kind::Good),
            },
            Ended::Ran(Err(e)) => return Report::failed(e.to_string()),
            Ended::Panicked(message) => return Report::crashed(&message),
        };
        Report { text, kind }
    }

    fn failed(problem: String) -> Report {
        Report {
            text: format!("failed: {problem}"),
            kind: Kind::Failed,
        }
    }

    fn crashed(message: &str) -> Report {
        Report {
            text: format!("crashed: {}", message.replace('\n', " ")),
            kind: Kind::Failed,
        }
    }
}

/// A machine built from its spec, ready to run; problems name the field they come from.
/// Builds machine `spec`, with the open disks of the machine it replaces after a reboot, if any.
fn build(
    spec: &VmSpec,
    console: Box<dyn Write + Send>,
    carried_disks: Vec<emu_machine::OpenDisk>,
) -> Result<Machine, String> {
    // Refused before reading: a file that is not a regular one, or larger than it must fit in.
    let read = |field: &str, path: &Path| {
        let (limit, room) = match field {
            "bios" => (emu_machine::FIRMWARE_MAX, "room below the kernel"),
            _ => (spec.memory, "guest RAM (field memory)"),
        };
        emu_machine::read_guest_file(path, limit, room)
            .map_err(|e| format!("field '{field}': cannot read {}: {e}", path.display()))
    };
    let config = MachineConfig {
        memory: spec.memory,
        harts: spec.smp,
        max_instructions: spec.max_instructions,
        trace: None,
        console,
        disks: spec
            .disks
            .iter()
            .map(|d| DiskConfig {
                path: d.path.clone(),
                readonly: d.readonly,
                snapshot: d.snapshot,
            })
            .collect(),
        carried_disks,
        page_loop: spec.page_loop,
    };
    let machine_error = |e: emu_machine::Error| {
        use emu_machine::Error as E;
        let field = match &e {
            E::Memory(_) => "memory",
            E::Harts(_) => "smp",
            E::Disk { .. } | E::TooManyDisks(_) => "disks",
            E::Kernel(_) => "kernel",
            E::Firmware(_) | E::FirmwareTooBig(_) => "bios",
            E::InitrdTooBig { .. } => "initrd",
            E::ReadProgram { .. } | E::LoadProgram { .. } | E::Load(_) => "elf",
            _ => return e.to_string(),
        };
        format!("field '{field}': {e}")
    };
    match &spec.boot {
        Boot::Linux {
            kernel,
            initrd,
            append,
            bios,
        } => {
            let boot = LinuxBoot {
                kernel: read("kernel", kernel)?,
                initrd: initrd.as_deref().map(|p| read("initrd", p)).transpose()?,
                append: append.clone().unwrap_or_else(|| {
                    if spec.disks.is_empty() {
                        "console=ttyS0".into()
                    } else {
                        "console=ttyS0 root=/dev/vda rw".into()
                    }
                }),
                bios: bios.as_deref().map(|p| read("bios", p)).transpose()?,
            };
            let mut machine = Machine::new(config).map_err(machine_error)?;
            machine.boot_linux(&boot).map_err(machine_error)?;
            Ok(machine)
        }
        Boot::Elf(path) => {
            let mut machine = Machine::new(config).map_err(machine_error)?;
            machine.load_elf_file(path).map_err(machine_error)?;
            Ok(machine)
        }
    }
}

/// Sets up a machine's `console=file:` or `console=socket:` sink.
fn open_console(
    mux: &ConsoleMux,
    index: usize,
    spec: &VmSpec,
    sockets: &mut Vec<PathBuf>,
) -> Result<(), String> {
    match &spec.console {
        ConsoleSpec::Terminal => Ok(()),
        ConsoleSpec::File(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| format!("field 'console': cannot create {}: {e}", path.display()))?;
            mux.set_file(index, file);
            Ok(())
        }
        ConsoleSpec::Socket(path) => {
            crate::console_mux::serve_socket(mux, index, path).map_err(|e| {
                format!("field 'console': cannot listen on {}: {e}", path.display())
            })?;
            sockets.push(path.clone());
            Ok(())
        }
    }
}

fn remove_sockets(sockets: &[PathBuf]) {
    for path in sockets {
        let _ = std::fs::remove_file(path);
    }
}

/// The console writer of machine `index`, with the fault injection if it names this machine.
fn machine_console(
    mux: &ConsoleMux,
    index: usize,
    spec: &VmSpec,
    panic_on: Option<&str>,
) -> Box<dyn Write + Send> {
    let console = mux.console(index);
    match panic_on.and_then(|p| p.split_once(':')) {
        Some((name, text)) if name == spec.name && !text.is_empty() => Box::new(PanicOn {
            console,
            trigger: text.as_bytes().to_vec(),
            recent: Vec::new(),
        }),
        _ => Box::new(console),
    }
}

/// The fault injection: a console that panics once its guest has printed `trigger`.
struct PanicOn {
    console: MachineConsole,
    trigger: Vec<u8>,
    /// The last bytes printed, as many as the trigger has.
    recent: Vec<u8>,
}

impl Write for PanicOn {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.console.write_all(buf)?;
        for &byte in buf {
            if self.recent.len() == self.trigger.len() {
                self.recent.remove(0);
            }
            self.recent.push(byte);
            if self.recent == self.trigger {
                panic!(
                    "fault injection ({PANIC_ON}): the guest printed {:?}",
                    String::from_utf8_lossy(&self.trigger)
                );
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.console.flush()
    }
}

/// The terminal's input: typing goes to the attached machine, Ctrl-A x stops every machine, and
/// Ctrl-A c shows the monitor of the whole fleet.
struct TerminalInput {
    mux: ConsoleMux,
    machines: Arc<Machines>,
}

impl InputSink for TerminalInput {
    fn send(&self, message: Control) {
        match message {
            Control::Input(bytes) => self.mux.type_on_terminal(bytes),
            other => self.mux.broadcast(other),
        }
    }

    fn switch(&self, forward: bool) {
        self.mux.switch(forward);
    }

    fn monitor(&self) -> Option<crate::monitor::Terminal> {
        Some(crate::monitor::Terminal::new(self.machines.clone()))
    }

    fn monitor_shown(&self, shown: bool) {
        // The guests' output waits in their scrollback while the monitor has the terminal.
        self.mux.hold_terminal(shown);
    }
}

/// SIGINT, SIGTERM and SIGHUP stop every machine cleanly, as Ctrl-A x does.
fn watch_signals(mux: &ConsoleMux) {
    let (sender, messages) = channel();
    crate::signals::watch(sender);
    let mux = mux.clone();
    std::thread::spawn(move || {
        for message in messages {
            mux.broadcast(message);
        }
    });
}
