//! The built-in monitor: QEMU-style commands for a quick look at a running guest (`info
//! registers`, `x/4xg ADDR`, `break`, `step`, ...), on the terminal (Ctrl-A c) and on sockets
//! (`--monitor tcp:HOST:PORT`, `--monitor unix:PATH`).
//!
//! Every command goes to the machine through its [`DebugHub`] (requests served between slices), so
//! the guest keeps running while the monitor looks, and an unused monitor costs nothing.
//! `parse.rs` turns a line into a command, this file runs it and writes the answer as text,
//! `session.rs` serves it on a terminal or a socket, `lineedit.rs` is the terminal's prompt.

pub mod lineedit;
pub mod parse;
mod session;

pub use session::{serve, Terminal, TerminalAction};

use crate::debugger::{Ending, Machines};
use emu_machine::{DebugError, DebugHub, Space, StopReason};
use parse::{Command, Expr, Format, Info, HELP};
use std::fmt::Write as _;
use std::sync::Arc;

/// What the session does after a command.
#[derive(Debug, PartialEq, Eq)]
pub enum Effect {
    /// Nothing more.
    None,
    /// Wait until the stop that ends this run of the selected machine has been shown.
    WaitStop(u64),
    /// The user quit emu: end the session.
    Quit,
}

/// A monitor's state: which machine and hart it talks to.
pub struct Monitor {
    machines: Arc<Machines>,
    selected: String,
    hart: usize,
    /// Watchpoints set from this monitor (the machine keeps them; this is for `info breakpoints`).
    watches: Vec<(String, u64, u64)>,
}

impl Monitor {
    /// A monitor talking to the first machine, hart 0.
    pub fn new(machines: Arc<Machines>) -> Monitor {
        let selected = machines.names().into_iter().next().unwrap_or_default();
        Monitor {
            machines,
            selected,
            hart: 0,
            watches: Vec::new(),
        }
    }

    /// The selected machine's name.
    pub fn selected(&self) -> &str {
        &self.selected
    }

    /// Runs one command line: its output (a one-line `error: ...` for a bad command or address)
    /// and what the session must do next.
    pub fn execute(&mut self, line: &str) -> (String, Effect) {
        let command = match parse::parse(line) {
            Ok(None) => return (String::new(), Effect::None),
            Ok(Some(command)) => command,
            Err(e) => return (format!("error: {e}\n"), Effect::None),
        };
        match self.run(command) {
            Ok(result) => result,
            Err(e) => (format!("error: {e}\n"), Effect::None),
        }
    }

    fn hub(&self) -> Result<DebugHub, String> {
        self.machines
            .get(&self.selected)
            .ok_or_else(|| format!("no machine '{}'", self.selected))
    }

    fn run(&mut self, command: Command) -> Result<(String, Effect), String> {
        let hub = self.hub()?;
        let e = |e: DebugError| e.to_string();
        let hart = self.hart;
        let mut out = String::new();
        let mut effect = Effect::None;
        match command {
            Command::Help(topic) => out = help(topic.as_deref())?,
            Command::Info(Info::Registers) => out = self.registers(&hub)?,
            Command::Info(Info::Csrs) => {
                let csrs = hub.csrs(hart).map_err(e)?;
                let _ = writeln!(out, "hart {hart}");
                for row in csrs.chunks(3) {
                    for (name, value) in row {
                        let _ = write!(out, " {name:>10} {value:#018x}");
                    }
                    out.push('\n');
                }
            }
            Command::Info(Info::Tlb) => {
                let entries = hub.tlb(hart).map_err(e)?;
                let _ = writeln!(out, "hart {hart}: {} valid TLB entries", entries.len());
                for t in entries {
                    let privilege = ["U", "S", "?", "M"][(t.context & 3) as usize];
                    let _ = writeln!(
                        out,
                        "  {:<5} {:#018x} -> {:#018x}  {privilege}-mode{}{}",
                        format!("{:?}", t.access).to_lowercase(),
                        t.vpage,
                        t.ppage,
                        if t.context & 4 != 0 { " SUM" } else { "" },
                        if t.context & 8 != 0 { " MXR" } else { "" },
                    );
                }
            }
            Command::Info(Info::Devices) => out = hub.devices().map_err(e)?,
            Command::Info(Info::Stats) => out = stats(&hub)?,
            Command::Info(Info::Machines) => out = self.machines_table(),
            Command::Info(Info::Breakpoints) => {
                let breakpoints = hub.breakpoints().map_err(e)?;
                if breakpoints.is_empty() && self.watches.is_empty() {
                    out.push_str("no breakpoints or watchpoints\n");
                }
                for addr in breakpoints {
                    let _ = writeln!(out, "breakpoint at {addr:#x}");
                }
                for (machine, addr, len) in &self.watches {
                    if *machine == self.selected {
                        let _ = writeln!(out, "watchpoint on {len} bytes at {addr:#x}");
                    }
                }
            }
            Command::Machine(name) => {
                if self.machines.get(&name).is_none() {
                    return Err(format!("no machine '{name}' (see info machines)"));
                }
                self.selected = name;
                self.hart = 0;
            }
            Command::Hart(n) => {
                let harts = hub.status().map_err(e)?.harts.len();
                if n >= harts {
                    return Err(format!("no hart {n}: this machine has {harts}"));
                }
                self.hart = n;
            }
            Command::Examine {
                count,
                format,
                unit,
                addr,
                physical,
            } => {
                let addr = self.eval(&hub, &addr)?;
                let space = if physical {
                    Space::Physical
                } else {
                    Space::Virtual
                };
                out = examine(&hub, hart, addr, space, count, format, unit)?;
            }
            Command::Disas { addr, count } => {
                let regs = hub.registers(hart).map_err(e)?;
                let addr = match addr {
                    Some(a) => a.eval(&regs.x, regs.pc),
                    None => regs.pc,
                };
                out = disassemble(&hub, hart, addr, count, Space::Virtual, Some(regs.pc))?;
            }
            Command::Break(addr) => {
                let addr = self.eval(&hub, &addr)?;
                out = if hub.add_breakpoint(addr).map_err(e)? {
                    format!("breakpoint at {addr:#x}\n")
                } else {
                    format!("a breakpoint is already at {addr:#x}\n")
                };
            }
            Command::Delete(None) => {
                hub.clear_breakpoints().map_err(e)?;
                out = "all breakpoints deleted\n".into();
            }
            Command::Delete(Some(addr)) => {
                let addr = self.eval(&hub, &addr)?;
                if !hub.remove_breakpoint(addr).map_err(e)? {
                    return Err(format!("no breakpoint at {addr:#x}"));
                }
            }
            Command::Watch(addr, len) => {
                let addr = self.eval(&hub, &addr)?;
                hub.add_watchpoint(hart, addr, len).map_err(e)?;
                self.watches.push((self.selected.clone(), addr, len));
                out = format!("watchpoint on {len} bytes at {addr:#x}\n");
            }
            Command::Unwatch(addr, len) => {
                let addr = self.eval(&hub, &addr)?;
                if !hub.remove_watchpoint(addr, len).map_err(e)? {
                    return Err(format!("no watchpoint on {len} bytes at {addr:#x}"));
                }
                let key = (self.selected.clone(), addr, len);
                self.watches.retain(|w| *w != key);
            }
            Command::Step(n) => {
                if !hub.status().map_err(e)?.paused {
                    return Err("the machine is running: stop it first".into());
                }
                effect = Effect::WaitStop(hub.step(hart, n).map_err(e)?);
            }
            Command::Continue => {
                hub.resume().map_err(e)?;
            }
            Command::Stop => {
                if hub.status().map_err(e)?.paused {
                    out = "the machine is already stopped\n".into();
                } else {
                    effect = Effect::WaitStop(hub.pause().map_err(e)?.run);
                }
            }
            Command::Trace(to) => {
                out = match &to {
                    Some(path) if path.as_os_str() == "-" => "tracing to stderr\n".into(),
                    Some(path) => format!("tracing to {}\n", path.display()),
                    None => "trace off\n".into(),
                };
                hub.trace(to).map_err(e)?;
            }
            Command::SystemReset => {
                hub.reset().map_err(e)?;
                out = "resetting\n".into();
            }
            Command::Quit => {
                // `quit` ends emu, so every machine of the process (the ones already gone
                // cannot be told and need not be).
                for name in self.machines.names() {
                    if let Some(hub) = self.machines.get(&name) {
                        let _ = hub.quit();
                    }
                }
                effect = Effect::Quit;
            }
        }
        Ok((out, effect))
    }

    /// `info machines`: one line per machine, `* NAME: STATE, N harts` (`*` marks the selected
    /// one), STATE being running, paused (a debugger holds it), stopped (it ended well) or failed,
    /// with how it ended after an end.
    fn machines_table(&self) -> String {
        let mut out = String::new();
        for name in self.machines.names() {
            let mark = if name == self.selected { '*' } else { ' ' };
            let known_harts = self.machines.harts(&name);
            // An ended machine is not asked: its hub has nothing attached to answer.
            let (state, harts, how) = match self.machines.ending(&name) {
                Some(Ending::Stopped(how)) => ("stopped", known_harts, Some(how)),
                Some(Ending::Failed(how)) => ("failed", known_harts, Some(how)),
                None => match self.machines.get(&name).map(|h| h.status()) {
                    Some(Ok(s)) if s.paused => ("paused", s.harts.len(), None),
                    Some(Ok(s)) => ("running", s.harts.len(), None),
                    // Between its end and the fleet's report of it.
                    _ => ("stopped", known_harts, None),
                },
            };
            let _ = write!(out, "{mark} {name}: {state}, {harts} harts");
            if let Some(how) = how {
                let _ = write!(out, " ({how})");
            }
            out.push('\n');
        }
        out
    }

    fn eval(&self, hub: &DebugHub, expr: &Expr) -> Result<u64, String> {
        if !expr.uses_registers() {
            return Ok(expr.eval(&[0; 32], 0));
        }
        let regs = hub.registers(self.hart).map_err(|e| e.to_string())?;
        Ok(expr.eval(&regs.x, regs.pc))
    }

    fn registers(&self, hub: &DebugHub) -> Result<String, String> {
        let e = |e: DebugError| e.to_string();
        let regs = hub.registers(self.hart).map_err(e)?;
        let fcsr = hub.read_csr(self.hart, 3).map_err(e)?;
        let mut out = format!(
            "hart {}  pc {:#018x}  privilege {}\n",
            self.hart,
            regs.pc,
            match regs.privilege {
                0 => "U",
                1 => "S",
                _ => "M",
            }
        );
        for row in (0..32).collect::<Vec<_>>().chunks(4) {
            for &r in row {
                let _ = write!(out, " {:>4} {:#018x}", emu_cpu::REG_NAMES[r], regs.x[r]);
            }
            out.push('\n');
        }
        for row in (0..32).collect::<Vec<_>>().chunks(2) {
            for &r in row {
                let bits = regs.f[r];
                let value = if bits >> 32 == 0xffff_ffff {
                    format!("{}f", f32::from_bits(bits as u32))
                } else {
                    format!("{}", f64::from_bits(bits))
                };
                let _ = write!(
                    out,
                    " {:>4} {bits:#018x} {value:<22}",
                    emu_cpu::FREG_NAMES[r]
                );
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            " fcsr {fcsr:#x} (frm {}, fflags {:#07b})",
            fcsr >> 5,
            fcsr & 0x1f
        );
        Ok(out)
    }

    /// What the session shows when the machine stops: one line, with the instruction at pc.
    pub fn describe_stop(hub: &DebugHub, hart: usize, reason: &StopReason) -> String {
        let why = match reason {
            StopReason::Exited(how) => return format!("the machine ended: {how}\n"),
            StopReason::Breakpoint { .. } => "breakpoint".to_string(),
            StopReason::Watchpoint { addr } => format!("write to watched {addr:#x}"),
            StopReason::Step => "step".into(),
            StopReason::Paused => "stopped".into(),
        };
        let Ok(regs) = hub.registers(hart) else {
            return format!("stopped: hart {hart} ({why})\n");
        };
        let text = disassemble(hub, hart, regs.pc, 1, Space::Virtual, None)
            .map(|t| t.trim().to_string())
            .unwrap_or_else(|_| format!("{:#018x}", regs.pc));
        format!("stopped: hart {hart} ({why}) at {text}\n")
    }
}

fn help(topic: Option<&str>) -> Result<String, String> {
    match topic {
        None => {
            let mut out = String::new();
            for (_, usage, text) in HELP {
                let short = text.split([';', ':']).next().unwrap_or(text);
                let _ = writeln!(out, "{usage:<34} {short}");
            }
            out.push_str("Ctrl-A c switches between the console and the monitor.\n");
            Ok(out)
        }
        Some(topic) => HELP
            .iter()
            .find(|(name, _, _)| *name == topic)
            .map(|(_, usage, text)| format!("{usage}\n  {text}\n"))
            .ok_or_else(|| format!("no command '{topic}' (try help)")),
    }
}

fn stats(hub: &DebugHub) -> Result<String, String> {
    let s = hub.stats().map_err(|e| e.to_string())?;
    let total: u64 = s.instret.iter().sum();
    let percent = |part: u64, whole: u64| {
        if whole == 0 {
            100.0
        } else {
            100.0 * part as f64 / whole as f64
        }
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "instructions retired: {total} ({})",
        s.instret
            .iter()
            .enumerate()
            .map(|(h, n)| format!("hart {h}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        out,
        "MIPS: {:.1} over the last {:.1} s; {:.1} since the start {:.1} s ago",
        s.recent_mips,
        s.recent_seconds,
        total as f64 / s.uptime.max(1e-9) / 1e6,
        s.uptime
    );
    let _ = writeln!(
        out,
        "decoded-instruction cache: {:.3}% hits ({} decodes, {} pages held)",
        percent(total.saturating_sub(s.decodes), total),
        s.decodes,
        s.decoded_pages
    );
    let _ = writeln!(
        out,
        "TLB: {:.3}% hits ({} walks)",
        percent(s.tlb_hits, s.tlb_hits + s.tlb_misses),
        s.tlb_misses
    );
    let [budget, wfi, sbi, breakpoint, watchpoint] = s.exits;
    let _ = writeln!(
        out,
        "run-loop exits: {budget} slices, {wfi} WFI, {sbi} SBI calls, {breakpoint} breakpoints, {watchpoint} watchpoints"
    );
    Ok(out)
}

fn examine(
    hub: &DebugHub,
    hart: usize,
    addr: u64,
    space: Space,
    count: u64,
    format: Format,
    unit: u8,
) -> Result<String, String> {
    let e = |e: DebugError| e.to_string();
    match format {
        Format::Instruction => return disassemble(hub, hart, addr, count, space, None),
        Format::String => {
            let mut out = String::new();
            let mut at = addr;
            for _ in 0..count {
                let mut bytes = Vec::new();
                // Read a page's worth at most, a byte at a time past its end.
                while bytes.len() < 4096 {
                    let b = hub.read_memory(hart, at, 1, space).map_err(e)?[0];
                    at = at.wrapping_add(1);
                    if b == 0 {
                        break;
                    }
                    bytes.push(b);
                }
                let _ = writeln!(
                    out,
                    "{:#018x}: {:?}",
                    at.wrapping_sub(bytes.len() as u64 + 1),
                    String::from_utf8_lossy(&bytes)
                );
            }
            return Ok(out);
        }
        _ => {}
    }
    let unit = unit as usize;
    let bytes = hub
        .read_memory(hart, addr, count as usize * unit, space)
        .map_err(e)?;
    let per_line = (16 / unit).max(1);
    let mut out = String::new();
    for (line, chunk) in bytes.chunks(per_line * unit).enumerate() {
        let _ = write!(
            out,
            "{:016x}:",
            addr.wrapping_add((line * per_line * unit) as u64)
        );
        for value in chunk.chunks(unit) {
            let mut le = [0u8; 8];
            le[..unit].copy_from_slice(value);
            let v = u64::from_le_bytes(le);
            let bits = unit * 8;
            let signed = ((v << (64 - bits)) as i64) >> (64 - bits);
            let _ = match format {
                Format::Hex => write!(out, " {v:#0w$x}", w = unit * 2 + 2),
                Format::Signed => write!(out, " {signed}"),
                Format::Unsigned => write!(out, " {v}"),
                Format::Octal => write!(out, " {v:#o}"),
                Format::Binary => write!(out, " {v:#0w$b}", w = bits + 2),
                _ => write!(out, " {:?}", char::from(v as u8)),
            };
        }
        out.push('\n');
    }
    Ok(out)
}

/// Disassembles `count` instructions at `addr`, marking `pc` with `=>`.
fn disassemble(
    hub: &DebugHub,
    hart: usize,
    addr: u64,
    count: u64,
    space: Space,
    pc: Option<u64>,
) -> Result<String, String> {
    let e = |e: DebugError| e.to_string();
    let mut out = String::new();
    let mut at = addr;
    for _ in 0..count {
        let lo = hub.read_memory(hart, at, 2, space).map_err(e)?;
        let mut bits = u16::from_le_bytes([lo[0], lo[1]]) as u32;
        if bits & 3 == 3 {
            let hi = hub
                .read_memory(hart, at.wrapping_add(2), 2, space)
                .map_err(e)?;
            bits |= (u16::from_le_bytes([hi[0], hi[1]]) as u32) << 16;
        }
        let inst = emu_cpu::decode(bits);
        let raw = if inst.len() == 2 {
            format!("{bits:04x}    ")
        } else {
            format!("{bits:08x}")
        };
        let mark = if pc == Some(at) { "=> " } else { "   " };
        let _ = writeln!(
            out,
            "{mark}{at:#018x}: {raw}  {}",
            emu_cpu::disassemble(&inst, at)
        );
        at = at.wrapping_add(inst.len() as u64);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Machines that have ended answer `info machines` from the list alone (their hubs are never
    /// asked, so no machine needs to run here).
    #[test]
    fn info_machines_and_machine_select_by_name() {
        let machines = Arc::new(Machines::default());
        for name in ["a", "b"] {
            machines.add(name, DebugHub::new());
        }
        machines.ended("a", Ending::Failed("crashed: boom".into()));
        machines.ended("b", Ending::Stopped("powered off".into()));
        let mut monitor = Monitor::new(machines);
        assert_eq!(monitor.selected(), "a");
        assert_eq!(
            monitor.execute("info machines").0,
            "* a: failed, 0 harts (crashed: boom)\n  b: stopped, 0 harts (powered off)\n"
        );
        assert_eq!(monitor.execute("machine b"), (String::new(), Effect::None));
        assert_eq!(monitor.selected(), "b");
        assert_eq!(
            monitor.execute("machine nosuch").0,
            "error: no machine 'nosuch' (see info machines)\n"
        );
        assert_eq!(monitor.selected(), "b");
        assert!(monitor
            .execute("info machines")
            .0
            .contains("\n* b: stopped"));
    }
}
