//! The monitor over its socket (`--monitor`), as a script would use it, against the bare-metal
//! program of tests/debug: registers, memory, disassembly, breakpoints, steps, watchpoints, stop and
//! continue, checked against the values the program and its symbols give; bad commands get a
//! one-line error and the guest runs on.

mod common;
mod debug;

use common::Guest;
use std::io::{Read, Write};
use std::process::Command;
use std::time::{Duration, Instant};

const PROMPT: &str = "(emu) ";

/// A monitor connection: commands in, the text up to the next prompt out.
struct Monitor<S: Read + Write> {
    stream: S,
    /// Everything read and not yet handed out.
    pending: String,
}

impl<S: Read + Write> Monitor<S> {
    fn new(stream: S) -> Monitor<S> {
        let mut m = Monitor {
            stream,
            pending: String::new(),
        };
        let greeting = m.until_prompt();
        assert!(greeting.contains("emu monitor"), "{greeting:?}");
        m
    }

    /// Reads up to and past the next prompt; returns what came before it.
    fn until_prompt(&mut self) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(at) = self.pending.find(PROMPT) {
                let text = self.pending[..at].to_string();
                self.pending.drain(..at + PROMPT.len());
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "no prompt; got {:?}",
                self.pending
            );
            let mut buf = [0u8; 4096];
            let n = self.stream.read(&mut buf).expect("monitor read");
            assert!(n > 0, "the monitor closed; got {:?}", self.pending);
            self.pending.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    }

    fn command(&mut self, line: &str) -> String {
        writeln!(self.stream, "{line}").unwrap();
        self.stream.flush().unwrap();
        self.until_prompt()
    }

    /// Runs a command that lets the machine run, and returns the line saying where it stopped
    /// (printed with the answer, or on its own when the stop comes later).
    fn until_stop(&mut self, line: &str) -> String {
        let mut text = self.command(line);
        while !text.contains("stopped: ") {
            text = self.until_prompt();
        }
        text.lines()
            .find(|l| l.starts_with("stopped: "))
            .unwrap()
            .to_string()
    }
}

/// The mnemonic and operands objdump prints for the instruction at `addr` of `elf`.
fn objdump_at(elf: &std::path::Path, addr: u64) -> String {
    let out = Command::new("riscv64-unknown-elf-objdump")
        .args(["-d", "--no-show-raw-insn"])
        .arg(format!("--start-address={addr:#x}"))
        .arg(format!("--stop-address={:#x}", addr + 4))
        .arg(elf)
        .output()
        .expect("riscv64-unknown-elf-objdump");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{addr:x}:")))
        .unwrap_or_else(|| panic!("objdump has nothing at {addr:#x}:\n{text}"));
    line.split_once(':').unwrap().1.trim().to_string()
}

/// A register's value in `info registers` output (` a0 0x000000000000002a`).
fn register(info: &str, name: &str) -> u64 {
    let mut words = info.split_whitespace();
    while let Some(w) = words.next() {
        if w == name {
            let v = words.next().unwrap();
            return u64::from_str_radix(v.trim_start_matches("0x"), 16).unwrap();
        }
    }
    panic!("no {name} in {info}");
}

fn start(args: &[&str]) -> (Guest, u16) {
    let mut guest = Guest::start(args);
    let port = debug::listening_port(&mut guest, "monitor");
    (guest, port)
}

#[test]
fn monitor_takes_a_bare_metal_program_apart() {
    let elf = debug::program();
    let sym = |name| debug::symbol(&elf, name);
    let (main, bump, table, counter) = (sym("main"), sym("bump"), sym("table"), sym("counter"));
    let (mut guest, port) = start(&["--monitor", "tcp:127.0.0.1:0", "-S", elf.to_str().unwrap()]);
    let stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut m = Monitor::new(stream);

    // Paused at the first instruction (-S), in M-mode.
    let regs = m.command("info registers");
    assert!(
        regs.contains("pc 0x0000000080000000  privilege M"),
        "{regs}"
    );
    assert_eq!(register(&regs, "sp"), 0);
    assert!(
        regs.contains(" ft0 0x0000000000000000"),
        "FP registers: {regs}"
    );

    // Memory, virtual (no translation in M-mode) and physical; units and formats.
    let words = m.command(&format!("x/2xg {table:#x}"));
    assert_eq!(
        words.trim(),
        format!("{table:016x}: 0x1111222233334444 0x5555666677778888")
    );
    assert_eq!(m.command(&format!("xp/2xg {table:#x}")), words);
    assert_eq!(
        m.command(&format!("x/2dw {:#x}", table + 24)).trim(),
        format!("{:016x}: 42 0", table + 24)
    );
    assert_eq!(
        m.command(&format!("x/4xb {:#x}", table + 16)).trim(),
        format!("{:016x}: 0x0d 0xf0 0xfe 0xca", table + 16)
    );

    // Disassembly, as objdump prints it.
    let disas = m.command(&format!("disas {main:#x} 3"));
    let mut addr = main;
    for line in disas.lines() {
        assert!(line.contains(&format!("{addr:#018x}: ")), "{disas}");
        let text = objdump_at(&elf, addr);
        assert!(line.ends_with(&text), "{line:?} vs objdump {text:?}");
        let raw = line
            .split(": ")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap();
        addr += raw.len() as u64 / 2;
    }

    // A breakpoint on bump: it runs with by = 0, 1, 2...
    assert_eq!(
        m.command(&format!("break {bump:#x}")).trim(),
        format!("breakpoint at {bump:#x}")
    );
    for by in 0..3 {
        let stop = m.until_stop("continue");
        assert!(
            stop.starts_with(&format!("stopped: hart 0 (breakpoint) at {bump:#018x}")),
            "{stop}"
        );
        let regs = m.command("info registers");
        assert_eq!(register(&regs, "pc"), bump, "{regs}");
        assert_eq!(register(&regs, "a0"), by, "{regs}");
    }
    // Steps: one, then three more; each shows where the hart is.
    let stop = m.until_stop("step");
    let after_one = register(&m.command("info registers"), "pc");
    assert!(after_one == bump + 2 || after_one == bump + 4, "{stop}");
    assert!(
        stop.contains(&format!("(step) at {after_one:#018x}")),
        "{stop}"
    );
    m.until_stop("step 3");
    assert!(register(&m.command("info registers"), "pc") > after_one);
    assert!(m.command("delete").contains("all breakpoints deleted"));

    // A watchpoint on the counter: the hart stops before the store in bump.
    assert!(m
        .command(&format!("watch {counter:#x} 8"))
        .contains("watchpoint on 8 bytes"));
    let stop = m.until_stop("continue");
    assert!(
        stop.contains(&format!("(write to watched {counter:#x})")) && stop.contains("sd"),
        "{stop}"
    );
    let pc = register(&m.command("info registers"), "pc");
    assert!((bump..main).contains(&pc), "in bump: {pc:#x}");
    // counter holds 0 + 1: bump(2), stopped before its store, has not written yet.
    assert_eq!(
        m.command(&format!("x/1dg {counter:#x}")).trim(),
        format!("{counter:016x}: 1")
    );
    m.command(&format!("unwatch {counter:#x} 8"));

    // The other views.
    let csrs = m.command("info csrs");
    assert!(csrs.contains("mscratch 0x0000000000001234"), "{csrs}");
    assert!(csrs.contains("misa 0x800000000014112d"), "{csrs}");
    assert!(m.command("info tlb").contains("valid TLB entries"));
    let devices = m.command("info devices");
    for device in [
        "uart0 @ 0x10000000",
        "plic @ 0xc000000",
        "context 1 (hart 0 S-mode)",
        "clint",
    ] {
        assert!(devices.contains(device), "{device}: {devices}");
    }
    let stats = m.command("info stats");
    assert!(stats.contains("instructions retired: "), "{stats}");
    assert!(stats.contains("breakpoints"), "{stats}");
    assert_eq!(
        m.command("info machines").trim(),
        "* default: paused, 1 harts"
    );
    assert!(m.command("help").lines().count() > 10);
    assert!(m.command("help x").starts_with("x/Nfu ADDR"));

    // Free running (main spins), then bad commands and addresses: one line each, the guest
    // runs on.
    m.command("continue");
    for (bad, error) in [
        (
            "frobnicate",
            "error: unknown command 'frobnicate' (try help)",
        ),
        ("x/1xg 0x10", "error: cannot access memory at 0x10"),
        (
            "info nothing",
            "error: unknown info 'nothing' (see help info)",
        ),
        ("step", "error: the machine is running: stop it first"),
        ("hart 7", "error: no hart 7: this machine has 1"),
    ] {
        assert_eq!(m.command(bad), format!("{error}\n"));
    }
    assert_eq!(
        m.command("info machines").trim(),
        "* default: running, 1 harts"
    );
    // The instruction trace, on and off while the guest runs (main's loop, around `spins`).
    let trace = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("debug/monitor-trace.txt");
    let _ = std::fs::remove_file(&trace);
    assert!(m
        .command(&format!("trace on {}", trace.display()))
        .starts_with("tracing to "));
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(m.command("trace off"), "trace off\n");
    let traced = std::fs::read_to_string(&trace).unwrap();
    assert!(
        traced.lines().count() > 100
            && traced
                .lines()
                .all(|l| l.starts_with(&format!("{:#018x}", main)[..15])),
        "the trace of main's loop:\n{}",
        &traced[..traced.len().min(2000)]
    );
    let stop = m.until_stop("stop");
    assert!(stop.starts_with("stopped: hart 0 (stopped) at "), "{stop}");
    assert!(m.command("stop").contains("already stopped"));

    // `quit` ends emu (a user's quit: status 0).
    writeln!(m.stream, "quit").unwrap();
    let status = guest.wait_exit(Duration::from_secs(30));
    assert!(status.success(), "{status}");
}

#[cfg(unix)]
#[test]
fn monitor_serves_a_unix_socket_while_the_guest_runs() {
    let elf = debug::program();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("debug");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("monitor.sock");
    let arg = format!("unix:{}", path.display());
    let mut guest = Guest::start(&["--monitor", &arg, elf.to_str().unwrap()]);
    guest.wait_for(
        &format!("emu: monitor: listening on {}", path.display()),
        Duration::from_secs(30),
    );
    let stream = std::os::unix::net::UnixStream::connect(&path).unwrap();
    let mut m = Monitor::new(stream);
    // The program runs (it spins in main, waiting): registers read while it does.
    let regs = m.command("info registers");
    assert!(regs.contains("privilege M"), "{regs}");
    // A second session at the same time.
    let mut other = Monitor::new(std::os::unix::net::UnixStream::connect(&path).unwrap());
    assert!(other.command("info machines").contains("running"));
    let stop = other.until_stop("stop");
    assert!(stop.starts_with("stopped: hart 0"), "{stop}");
    // The first session saw the stop too, on its own.
    let seen = m.until_prompt();
    assert!(seen.contains("stopped: hart 0 (stopped)"), "{seen}");
    drop(other);
    writeln!(m.stream, "quit").unwrap();
    assert!(guest.wait_exit(Duration::from_secs(30)).success());
}

#[test]
fn monitor_on_the_console_with_ctrl_a_c_while_linux_runs() {
    let images = common::images();
    let disk = common::disk_copy("monitor");
    let mut guest = Guest::start(&[
        "--kernel",
        images.kernel.to_str().unwrap(),
        "--disk",
        disk.to_str().unwrap(),
    ]);
    guest.wait_for(common::USERSPACE_UP, common::BOOT_TIMEOUT);
    // Ctrl-A c shows the monitor (the newline after it is an empty command).
    guest.send("\x01c");
    guest.wait_for("emu monitor: type 'help'", common::COMMAND_TIMEOUT);
    guest.send("info registers");
    let regs = guest.wait_for("fcsr", common::COMMAND_TIMEOUT);
    assert!(regs.contains("privilege "), "{regs}");
    guest.send("info devices");
    let devices = guest.wait_for("clint @", common::COMMAND_TIMEOUT);
    assert!(
        devices.contains("virtio-blk slot 0") && devices.contains("queue 0: ready"),
        "{devices}"
    );
    guest.send("stop");
    guest.wait_for("stopped: hart 0 (stopped) at ", common::COMMAND_TIMEOUT);
    guest.send("info machines");
    guest.wait_for("* default: paused, 1 harts", common::COMMAND_TIMEOUT);
    guest.send("frobnicate");
    guest.wait_for(
        "error: unknown command 'frobnicate'",
        common::COMMAND_TIMEOUT,
    );
    guest.send("continue");
    guest.send("info machines");
    guest.wait_for("* default: running, 1 harts", common::COMMAND_TIMEOUT);
    // A reset reboots the guest; the monitor talks to the new machine.
    guest.send("system_reset");
    guest.wait_for("resetting", common::COMMAND_TIMEOUT);
    guest.wait_for(common::USERSPACE_UP, common::BOOT_TIMEOUT);
    guest.send("info registers");
    guest.wait_for("fcsr", common::COMMAND_TIMEOUT);
    // Ctrl-A c again: back to the console, where the shell answers.
    guest.send("\x01c");
    guest.wait_for("(back to the console)", common::COMMAND_TIMEOUT);
    assert_eq!(guest.run("echo $((6 * 7))").trim(), "42");
    guest.poweroff();
}

/// One monitor for a fleet (`--monitor` with `--vm`): `info machines` lists every machine with its
/// state, `machine NAME` selects the one the other commands talk to, a bad name is a one-line
/// error; Ctrl-A c on the terminal shows the same monitor.
#[test]
fn one_monitor_serves_every_machine_of_a_fleet() {
    let elf = debug::program();
    let table = debug::symbol(&elf, "table");
    let elf = elf.to_str().unwrap();
    // a runs (spinning in main), b is held before its first instruction, c ends at once.
    let a = format!("name=a,elf={elf}");
    let b = format!("name=b,elf={elf},paused=on");
    let c = format!("name=c,elf={elf},max_instructions=1000");
    let (mut guest, port) = start(&[
        "--monitor",
        "tcp:127.0.0.1:0",
        "--vm",
        &a,
        "--vm",
        &b,
        "--vm",
        &c,
    ]);
    guest.wait_for(
        "emu: machine c stopped after 1000 instructions",
        Duration::from_secs(30),
    );
    let stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut m = Monitor::new(stream);
    assert_eq!(
        m.command("info machines"),
        "* a: running, 1 harts\n  b: paused, 1 harts\n  c: stopped, 1 harts (stopped after 1000 \
         instructions (max_instructions))\n"
    );

    // b: at its first instruction, its memory as the program has it.
    assert_eq!(m.command("machine b"), "");
    let regs = m.command("info registers");
    assert!(
        regs.contains("pc 0x0000000080000000  privilege M"),
        "{regs}"
    );
    assert_eq!(
        m.command(&format!("x/2xg {table:#x}")).trim(),
        format!("{table:016x}: 0x1111222233334444 0x5555666677778888")
    );
    assert_eq!(
        m.command("machine nosuch"),
        "error: no machine 'nosuch' (see info machines)\n"
    );
    assert!(m.command("info machines").contains("\n* b: paused"));
    // c has ended: it cannot be asked.
    assert_eq!(m.command("machine c"), "");
    assert_eq!(
        m.command("info registers"),
        "error: the machine is not running\n"
    );
    // a runs until stopped; the stop names its machine.
    assert_eq!(m.command("machine a"), "");
    assert!(register(&m.command("info registers"), "pc") >= 0x8000_0000);
    let stop = m.command("stop");
    assert!(
        stop.starts_with("[a] stopped: hart 0 (stopped) at "),
        "{stop}"
    );
    assert!(m
        .command("info machines")
        .starts_with("* a: paused, 1 harts\n"));

    // The same monitor on the terminal (Ctrl-A c), starting with the first machine.
    guest.send("\x01c");
    guest.wait_for("emu monitor: type 'help'", common::COMMAND_TIMEOUT);
    guest.send("machine b");
    guest.send("info registers");
    let regs = guest.wait_for("fcsr", common::COMMAND_TIMEOUT);
    assert!(
        regs.contains("pc 0x0000000080000000  privilege M"),
        "{regs}"
    );
    guest.send("machine nosuch");
    guest.wait_for(
        "error: no machine 'nosuch' (see info machines)",
        common::COMMAND_TIMEOUT,
    );
    guest.send("\x01c");
    guest.wait_for("(back to the console)", common::COMMAND_TIMEOUT);

    // `quit` ends emu: every machine. c's instruction limit makes the status 124.
    writeln!(m.stream, "quit").unwrap();
    let status = guest.wait_exit(Duration::from_secs(30));
    let transcript = guest.transcript();
    assert_eq!(status.code(), Some(124), "{transcript}");
    for name in ["a", "b"] {
        assert!(
            transcript.contains(&format!("emu: machine {name} stopped\n")),
            "{transcript}"
        );
    }
}
