//! The debugger's side of a machine (the built-in monitor, the GDB stub): typed requests sent on
//! the machine's control channel and served by its run loop between slices (DESIGN.md, "Control").
//! Nothing here reaches into a hart from another thread.
//!
//! A [`DebugHub`] is a debugger's handle on one machine slot: requests go through it to whichever
//! machine is attached (a guest reboot builds a new machine and attaches it to the same hub, which
//! keeps the breakpoints and watchpoints), and it hands every stop of the machine to its
//! subscribers as a [`StopEvent`].
//!
//! A paused machine blocks on its control channel (no CPU time) and serves requests at once; a
//! running one serves them between slices, so a request waits at most one slice. When no debugger
//! is attached, the run loop pays one test of a flag per slice.
//!
//! Every resume (continue or step) starts a new *run*, numbered by the hub; a stop event carries the
//! number of the run it ends, so a debugger can tell its own stops from stale ones.

use crate::machine::{Machine, RunOutcome};
use crate::memmap;
use crate::sbi::HartState;
use crate::Control;
use emu_cpu::{Exit, Privilege};
use emu_mmu::{Access, Bus};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Why a debugger request failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DebugError {
    /// No machine is attached to the hub (it has not started yet, or it has ended).
    #[error("the machine is not running")]
    Gone,
    /// The hart number is not one of the machine's.
    #[error("there is no hart {0}")]
    NoHart(usize),
    /// Nothing readable (or writable) is mapped at this address.
    #[error("cannot access memory at {0:#x}")]
    BadAddress(u64),
    /// The CSR does not exist (or is read-only, for a write).
    #[error("no writable CSR {0:#x}")]
    NoCsr(u16),
    /// The request needs a paused machine.
    #[error("the machine is running: stop it first")]
    Running,
    /// A watchpoint of this length is not supported.
    #[error("cannot watch {0} bytes (1 to 4096)")]
    WatchLength(u64),
    /// The trace file could not be created.
    #[error("cannot create trace file {path}: {reason}")]
    TraceFile {
        /// The file asked for.
        path: PathBuf,
        /// What the host said.
        reason: String,
    },
}

/// Result of a debugger request.
pub type DebugResult<T> = std::result::Result<T, DebugError>;

/// Which address space a memory access uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Space {
    /// Virtual addresses, translated as the hart would now (its privilege and satp).
    Virtual,
    /// Physical addresses.
    Physical,
}

/// A hart's registers as a debugger sees them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Registers {
    /// x0..x31.
    pub x: [u64; 32],
    /// f0..f31 (raw bits; single-precision values are NaN-boxed).
    pub f: [u64; 32],
    /// The program counter.
    pub pc: u64,
    /// Privilege level: 0 (U), 1 (S) or 3 (M).
    pub privilege: u8,
}

/// Why a machine stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// The hart reached a breakpoint; the instruction at `pc` has not run.
    Breakpoint {
        /// Where.
        pc: u64,
    },
    /// The hart is about to write into the watchpoint at `addr` (the address it was set at): pc is
    /// on the store, which has not run (an AMO or SC has: pc is after it).
    Watchpoint {
        /// The watchpoint's address.
        addr: u64,
    },
    /// A step finished.
    Step,
    /// A debugger paused the machine.
    Paused,
    /// The machine ended (the guest powered off, the program exited, the user quit).
    Exited(String),
}

/// A stop of the machine, as its hub's subscribers get it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StopEvent {
    /// The run this stop ends (see the module documentation).
    pub run: u64,
    /// The hart that stopped (hart 0 when the whole machine was paused or ended).
    pub hart: usize,
    /// Why.
    pub reason: StopReason,
}

/// What a debugger can learn about a hart at a glance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HartStatus {
    /// Program counter.
    pub pc: u64,
    /// Privilege level: 0 (U), 1 (S) or 3 (M).
    pub privilege: u8,
    /// Whether the hart runs: false while it waits for an SBI `hart_start`.
    pub started: bool,
    /// Whether it sleeps in WFI.
    pub waiting: bool,
}

/// A machine's state, for a debugger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// Whether a debugger holds the machine paused.
    pub paused: bool,
    /// The current run (see the module documentation).
    pub run: u64,
    /// Each hart's state.
    pub harts: Vec<HartStatus>,
}

/// The machine's counters, for `info stats`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    /// Instructions retired, per hart.
    pub instret: Vec<u64>,
    /// Instructions decoded (decoded-instruction cache misses), all harts.
    pub decodes: u64,
    /// TLB hits, all harts.
    pub tlb_hits: u64,
    /// TLB misses (page walks), all harts.
    pub tlb_misses: u64,
    /// Physical pages of decoded code held, all harts.
    pub decoded_pages: usize,
    /// Seconds since the machine started.
    pub uptime: f64,
    /// Million instructions per second since the previous `stats` request (or the start).
    pub recent_mips: f64,
    /// Seconds the previous figure covers.
    pub recent_seconds: f64,
    /// Run-loop exits of the harts by cause: budget, WFI, SBI call, breakpoint, watchpoint.
    pub exits: [u64; 5],
}

/// One valid TLB entry, for `info tlb`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TlbEntry {
    /// Fetch, load or store.
    pub access: Access,
    /// Virtual page address.
    pub vpage: u64,
    /// Physical page address.
    pub ppage: u64,
    /// Translation context: effective privilege in bits 1:0, SUM in bit 2, MXR in bit 3.
    pub context: u64,
}

/// A request to the machine, with the channel its answer goes back on.
#[derive(Clone, Debug)]
pub struct Request {
    command: Command,
    reply: Sender<DebugResult<Reply>>,
}

#[derive(Clone, Debug)]
enum Command {
    Status,
    Pause,
    Continue,
    Step {
        hart: usize,
        count: u64,
    },
    Registers(usize),
    SetRegisters(usize, Box<Registers>),
    ReadCsr {
        hart: usize,
        csr: u16,
    },
    WriteCsr {
        hart: usize,
        csr: u16,
        value: u64,
    },
    Csrs(usize),
    ReadMemory {
        hart: usize,
        addr: u64,
        len: usize,
        space: Space,
    },
    WriteMemory {
        hart: usize,
        addr: u64,
        data: Vec<u8>,
        space: Space,
    },
    Translate {
        hart: usize,
        addr: u64,
    },
    AddBreakpoint(u64),
    RemoveBreakpoint(u64),
    ClearBreakpoints,
    Breakpoints,
    AddWatchpoint {
        hart: usize,
        addr: u64,
        len: u64,
    },
    RemoveWatchpoint {
        addr: u64,
        len: u64,
    },
    Tlb(usize),
    Devices,
    Stats,
    Trace(Option<PathBuf>),
    Reset,
}

#[derive(Debug)]
enum Reply {
    Done,
    Flag(bool),
    Value(u64),
    Status(Status),
    Registers(Box<Registers>),
    Bytes(Vec<u8>),
    Addresses(Vec<u64>),
    Named(Vec<(&'static str, u64)>),
    Tlb(Vec<TlbEntry>),
    Text(String),
    Stats(Box<Stats>),
}

/// A subscriber's callback: gets every stop event; returns false once it wants no more.
type Subscriber = Box<dyn FnMut(&StopEvent) -> bool + Send>;

/// What a hub keeps across machines (a guest reboot builds a new one).
#[derive(Default)]
struct Kept {
    breakpoints: BTreeSet<u64>,
    /// (address, length, hart whose translation placed it).
    watchpoints: Vec<(u64, u64, usize)>,
}

#[derive(Default)]
struct HubInner {
    /// The attached machine's control channel, and the number of its attachment.
    control: Mutex<(Option<Sender<Control>>, u64)>,
    subscribers: Mutex<Vec<Subscriber>>,
    kept: Mutex<Kept>,
    run: AtomicU64,
}

/// A debugger's handle on a machine slot (see the module documentation). Cloning it makes another
/// handle on the same slot.
#[derive(Clone, Default)]
pub struct DebugHub {
    inner: Arc<HubInner>,
}

impl std::fmt::Debug for DebugHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DebugHub")
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking subscriber cannot leave the data inconsistent: carry on.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// How long a request waits for the hub's first machine (the debugger servers start first).
const FIRST_ATTACH: Duration = Duration::from_secs(30);

/// How often a waiting request looks whether its machine is still there.
const GONE_CHECK: Duration = Duration::from_millis(200);

impl DebugHub {
    /// A hub with no machine attached yet.
    pub fn new() -> DebugHub {
        DebugHub::default()
    }

    /// Calls `subscriber` with every stop event of the attached machines, until it returns false.
    pub fn subscribe(&self, subscriber: impl FnMut(&StopEvent) -> bool + Send + 'static) {
        lock(&self.inner.subscribers).push(Box::new(subscriber));
    }

    /// Whether a machine is attached (it has started and not ended).
    pub fn attached(&self) -> bool {
        lock(&self.inner.control).0.is_some()
    }

    /// Sends Ctrl-A x's quit to the attached machine.
    pub fn quit(&self) -> DebugResult<()> {
        let control = lock(&self.inner.control)
            .0
            .clone()
            .ok_or(DebugError::Gone)?;
        control.send(Control::Quit).map_err(|_| DebugError::Gone)
    }

    fn request(&self, command: Command) -> DebugResult<Reply> {
        // A debugger may connect while the first machine is still being built: wait for it.
        let deadline = Instant::now() + FIRST_ATTACH;
        let (control, attachment) = loop {
            let guard = lock(&self.inner.control);
            match &guard.0 {
                Some(control) => break (control.clone(), guard.1),
                None if guard.1 == 0 && Instant::now() < deadline => {}
                None => return Err(DebugError::Gone),
            }
            drop(guard);
            std::thread::sleep(Duration::from_millis(10));
        };
        let (reply, answer) = channel();
        control
            .send(Control::Debug(Request { command, reply }))
            .map_err(|_| DebugError::Gone)?;
        loop {
            match answer.recv_timeout(GONE_CHECK) {
                Ok(result) => return result,
                Err(RecvTimeoutError::Disconnected) => return Err(DebugError::Gone),
                Err(RecvTimeoutError::Timeout) => {
                    // A machine that ended without serving the request never will.
                    let guard = lock(&self.inner.control);
                    if guard.0.is_none() || guard.1 != attachment {
                        return Err(DebugError::Gone);
                    }
                }
            }
        }
    }

    /// The machine's state.
    pub fn status(&self) -> DebugResult<Status> {
        match self.request(Command::Status)? {
            Reply::Status(s) => Ok(s),
            other => unexpected(other),
        }
    }

    /// Pauses the machine (its subscribers get a [`StopReason::Paused`] stop if it was running).
    pub fn pause(&self) -> DebugResult<Status> {
        match self.request(Command::Pause)? {
            Reply::Status(s) => Ok(s),
            other => unexpected(other),
        }
    }

    /// Lets a paused machine run (harts at a breakpoint step off it first). Returns the new run.
    pub fn resume(&self) -> DebugResult<u64> {
        self.run_reply(Command::Continue)
    }

    /// Runs `count` instructions of hart `hart` alone, with interrupts held off and breakpoints
    /// ignored, then pauses the machine again (a [`StopReason::Step`] stop, or a watchpoint's).
    /// The machine must be paused. Returns the new run.
    pub fn step(&self, hart: usize, count: u64) -> DebugResult<u64> {
        self.run_reply(Command::Step { hart, count })
    }

    fn run_reply(&self, command: Command) -> DebugResult<u64> {
        match self.request(command)? {
            Reply::Value(run) => Ok(run),
            other => unexpected(other),
        }
    }

    /// A hart's registers.
    pub fn registers(&self, hart: usize) -> DebugResult<Registers> {
        match self.request(Command::Registers(hart))? {
            Reply::Registers(r) => Ok(*r),
            other => unexpected(other),
        }
    }

    /// Sets a hart's registers (x0 stays zero).
    pub fn set_registers(&self, hart: usize, registers: Registers) -> DebugResult<()> {
        self.done(Command::SetRegisters(hart, Box::new(registers)))
    }

    /// Reads a CSR as M-mode would, without side effects.
    pub fn read_csr(&self, hart: usize, csr: u16) -> DebugResult<u64> {
        match self.request(Command::ReadCsr { hart, csr })? {
            Reply::Value(v) => Ok(v),
            other => unexpected(other),
        }
    }

    /// Writes a CSR as M-mode would.
    pub fn write_csr(&self, hart: usize, csr: u16, value: u64) -> DebugResult<()> {
        self.done(Command::WriteCsr { hart, csr, value })
    }

    /// The hart's main CSRs by name, for `info csrs`.
    pub fn csrs(&self, hart: usize) -> DebugResult<Vec<(&'static str, u64)>> {
        match self.request(Command::Csrs(hart))? {
            Reply::Named(v) => Ok(v),
            other => unexpected(other),
        }
    }

    /// Reads `len` bytes of guest memory (RAM or the reset ROM) at `addr`.
    pub fn read_memory(
        &self,
        hart: usize,
        addr: u64,
        len: usize,
        space: Space,
    ) -> DebugResult<Vec<u8>> {
        match self.request(Command::ReadMemory {
            hart,
            addr,
            len,
            space,
        })? {
            Reply::Bytes(b) => Ok(b),
            other => unexpected(other),
        }
    }

    /// Writes guest RAM at `addr` (decoded code there is dropped).
    pub fn write_memory(
        &self,
        hart: usize,
        addr: u64,
        data: Vec<u8>,
        space: Space,
    ) -> DebugResult<()> {
        self.done(Command::WriteMemory {
            hart,
            addr,
            data,
            space,
        })
    }

    /// The physical address virtual `addr` maps to for hart `hart` now.
    pub fn translate(&self, hart: usize, addr: u64) -> DebugResult<u64> {
        match self.request(Command::Translate { hart, addr })? {
            Reply::Value(v) => Ok(v),
            other => unexpected(other),
        }
    }

    /// Adds a breakpoint at virtual address `addr` (on every hart); false if one was there.
    pub fn add_breakpoint(&self, addr: u64) -> DebugResult<bool> {
        self.flag(Command::AddBreakpoint(addr))
    }

    /// Removes the breakpoint at `addr`; false if there was none.
    pub fn remove_breakpoint(&self, addr: u64) -> DebugResult<bool> {
        self.flag(Command::RemoveBreakpoint(addr))
    }

    /// Removes every breakpoint.
    pub fn clear_breakpoints(&self) -> DebugResult<()> {
        self.done(Command::ClearBreakpoints)
    }

    /// The breakpoints, in address order.
    pub fn breakpoints(&self) -> DebugResult<Vec<u64>> {
        match self.request(Command::Breakpoints)? {
            Reply::Addresses(a) => Ok(a),
            other => unexpected(other),
        }
    }

    /// Watches writes to `len` bytes at virtual `addr` (translated now, through hart `hart`: the
    /// watchpoint then follows that physical memory, whoever writes it through whatever mapping).
    pub fn add_watchpoint(&self, hart: usize, addr: u64, len: u64) -> DebugResult<()> {
        self.done(Command::AddWatchpoint { hart, addr, len })
    }

    /// Removes the watchpoint set at `addr` for `len` bytes; false if there was none.
    pub fn remove_watchpoint(&self, addr: u64, len: u64) -> DebugResult<bool> {
        self.flag(Command::RemoveWatchpoint { addr, len })
    }

    /// The valid entries of a hart's TLB.
    pub fn tlb(&self, hart: usize) -> DebugResult<Vec<TlbEntry>> {
        match self.request(Command::Tlb(hart))? {
            Reply::Tlb(t) => Ok(t),
            other => unexpected(other),
        }
    }

    /// The devices' state, as text (virtio queues, PLIC pending and enabled sources, UART).
    pub fn devices(&self) -> DebugResult<String> {
        match self.request(Command::Devices)? {
            Reply::Text(t) => Ok(t),
            other => unexpected(other),
        }
    }

    /// The machine's counters.
    pub fn stats(&self) -> DebugResult<Stats> {
        match self.request(Command::Stats)? {
            Reply::Stats(s) => Ok(*s),
            other => unexpected(other),
        }
    }

    /// Starts (`Some(file)`, or `Some("-")` for stderr) or stops (`None`) the instruction trace.
    pub fn trace(&self, to: Option<PathBuf>) -> DebugResult<()> {
        self.done(Command::Trace(to))
    }

    /// Resets the machine, as a guest reboot does.
    pub fn reset(&self) -> DebugResult<()> {
        self.done(Command::Reset)
    }

    fn done(&self, command: Command) -> DebugResult<()> {
        match self.request(command)? {
            Reply::Done => Ok(()),
            other => unexpected(other),
        }
    }

    fn flag(&self, command: Command) -> DebugResult<bool> {
        match self.request(command)? {
            Reply::Flag(f) => Ok(f),
            other => unexpected(other),
        }
    }

    fn next_run(&self) -> u64 {
        self.inner.run.fetch_add(1, Ordering::SeqCst) + 1
    }

    fn current_run(&self) -> u64 {
        self.inner.run.load(Ordering::SeqCst)
    }

    fn broadcast(&self, event: &StopEvent) {
        lock(&self.inner.subscribers).retain_mut(|s| s(event));
    }
}

fn unexpected<T>(reply: Reply) -> DebugResult<T> {
    // The machine answers each command with its own reply kind: this is a bug in this file.
    panic!("unexpected debugger reply {reply:?}")
}

/// A watchpoint: where a debugger set it, and the physical ranges it watches.
struct Watch {
    addr: u64,
    len: u64,
    ranges: Vec<(u64, u64)>,
}

/// The machine's debugger state.
pub(crate) struct DebugState {
    hub: Option<DebugHub>,
    paused: bool,
    /// A step to run: (hart, instructions).
    step: Option<(usize, u64)>,
    breakpoints: BTreeSet<u64>,
    watchpoints: Vec<Watch>,
    /// The hart that stopped before a watched store: it steps over it when the machine resumes.
    watch_stopped: Option<usize>,
    /// When the machine was last paused: the guest's clock does not count the pause.
    paused_since: Option<Instant>,
    started: Instant,
    /// (time, instructions) at the previous stats request.
    last_stats: (Instant, u64),
    exits: [u64; 5],
}

impl Default for DebugState {
    fn default() -> DebugState {
        let now = Instant::now();
        DebugState {
            hub: None,
            paused: false,
            step: None,
            breakpoints: BTreeSet::new(),
            watchpoints: Vec::new(),
            watch_stopped: None,
            paused_since: None,
            started: now,
            last_stats: (now, 0),
            exits: [0; 5],
        }
    }
}

impl DebugState {
    /// Whether the run loop must hand over to [`Machine::debug_turn`] (paused, or a step to run).
    #[inline(always)]
    pub(crate) fn active(&self) -> bool {
        self.paused || self.step.is_some()
    }

    /// Counts a hart's run-loop exit, for `info stats`.
    #[inline(always)]
    pub(crate) fn count_exit(&mut self, exit: Exit) {
        let i = match exit {
            Exit::Budget => 0,
            Exit::Wfi => 1,
            Exit::SbiCall => 2,
            Exit::Breakpoint => 3,
            Exit::Watchpoint => 4,
        };
        self.exits[i] += 1;
    }

    fn notify(&self, hart: usize, reason: StopReason) {
        if let Some(hub) = &self.hub {
            hub.broadcast(&StopEvent {
                run: hub.current_run(),
                hart,
                reason,
            });
        }
    }

    fn next_run(&self) -> u64 {
        self.hub.as_ref().map_or(0, DebugHub::next_run)
    }

    fn keep(&self, f: impl FnOnce(&mut Kept)) {
        if let Some(hub) = &self.hub {
            f(&mut lock(&hub.inner.kept));
        }
    }
}

/// The CSRs `info csrs` shows, in order.
const INFO_CSRS: [(&str, u16); 30] = [
    ("mstatus", 0x300),
    ("misa", 0x301),
    ("medeleg", 0x302),
    ("mideleg", 0x303),
    ("mie", 0x304),
    ("mip", 0x344),
    ("mtvec", 0x305),
    ("mscratch", 0x340),
    ("mepc", 0x341),
    ("mcause", 0x342),
    ("mtval", 0x343),
    ("mcounteren", 0x306),
    ("menvcfg", 0x30a),
    ("mhartid", 0xf14),
    ("sstatus", 0x100),
    ("sie", 0x104),
    ("sip", 0x144),
    ("stvec", 0x105),
    ("sscratch", 0x140),
    ("sepc", 0x141),
    ("scause", 0x142),
    ("stval", 0x143),
    ("satp", 0x180),
    ("scounteren", 0x106),
    ("stimecmp", 0x14d),
    ("fcsr", 0x003),
    ("mcycle", 0xb00),
    ("minstret", 0xb02),
    ("time", 0xc01),
    ("pmpcfg0", 0x3a0),
];

impl Machine {
    /// Attaches this machine to `hub`: the hub's debuggers now talk to it, and the breakpoints and
    /// watchpoints the hub kept from an earlier machine are set again.
    pub fn attach_debugger(&mut self, hub: &DebugHub) {
        {
            let mut control = lock(&hub.inner.control);
            control.0 = Some(self.control());
            control.1 += 1;
        }
        self.debug.hub = Some(hub.clone());
        let (breakpoints, watchpoints) = {
            let kept = lock(&hub.inner.kept);
            (kept.breakpoints.clone(), kept.watchpoints.clone())
        };
        self.debug.breakpoints = breakpoints;
        self.apply_breakpoints();
        for (addr, len, hart) in watchpoints {
            // A watchpoint whose memory is not mapped yet is dropped, as on a fresh machine.
            let _ = self.add_watchpoint(hart, addr, len);
        }
    }

    /// Keeps the machine paused from the start, until a debugger lets it run (`emu -S`).
    pub fn start_paused(&mut self) {
        self.set_paused(true);
    }

    /// Pauses or resumes the machine for a debugger. The guest's clock (`mtime`) stands still
    /// while it is paused.
    fn set_paused(&mut self, paused: bool) {
        if paused && !self.debug.paused {
            self.debug.paused_since = Some(Instant::now());
        }
        if !paused {
            if let Some(since) = self.debug.paused_since.take() {
                self.bus.discount_time(since.elapsed());
            }
        }
        self.debug.paused = paused;
    }

    /// Tells the hub's subscribers that the machine ended with `outcome` (a reboot is not an end:
    /// the next machine attaches to the same hub), and detaches it.
    pub(crate) fn debug_finish(&mut self, outcome: &crate::Result<RunOutcome>) {
        let Some(hub) = self.debug.hub.take() else {
            return;
        };
        {
            let mut control = lock(&hub.inner.control);
            control.0 = None;
        }
        let description = match outcome {
            Ok(RunOutcome::Reboot) => return,
            Ok(RunOutcome::Exited(code)) => format!("exited with code {code}"),
            Ok(RunOutcome::InstructionLimit(n)) => format!("stopped after {n} instructions"),
            Ok(RunOutcome::PowerOff) => "powered off".into(),
            Ok(RunOutcome::Failed(code)) => format!("failed with code {code}"),
            Ok(RunOutcome::Quit) => "quit".into(),
            Err(e) => format!("error: {e}"),
        };
        hub.broadcast(&StopEvent {
            run: hub.current_run(),
            hart: 0,
            reason: StopReason::Exited(description),
        });
        // Answer requests that arrived too late to be served.
        while let Ok(message) = self.control.try_recv() {
            if let Control::Debug(request) = message {
                let _ = request.reply.send(Err(DebugError::Gone));
            }
        }
    }

    /// The run loop's turn for the debugger, between slices, while [`DebugState::active`]: runs a
    /// requested step, and while paused waits for control messages (blocking: a paused machine
    /// uses no CPU). Returns when the machine may run a slice, or with the outcome that ends it.
    pub(crate) fn debug_turn(&mut self) -> crate::Result<Option<RunOutcome>> {
        loop {
            if let Some((hart, count)) = self.debug.step.take() {
                if let Some(outcome) = self.debug_step(hart, count) {
                    return Ok(Some(outcome));
                }
                continue;
            }
            if !self.debug.paused {
                return Ok(None);
            }
            if let Some(outcome) = self.host_side(Duration::MAX)? {
                return Ok(Some(outcome));
            }
        }
    }

    /// A hart stopped in the run loop (at a breakpoint, or after writing a watched range): the
    /// machine pauses and the debuggers hear of it.
    pub(crate) fn debug_stopped(&mut self, hart: usize) {
        let reason = match self.bus.ram().take_watch_hit() {
            Some(paddr) => {
                self.debug.watch_stopped = Some(hart);
                StopReason::Watchpoint {
                    addr: self.watch_address(paddr),
                }
            }
            None => StopReason::Breakpoint {
                pc: self.harts[hart].pc,
            },
        };
        self.set_paused(true);
        self.debug.notify(hart, reason);
    }

    /// The address a debugger set the watchpoint covering physical `paddr` at.
    fn watch_address(&self, paddr: u64) -> u64 {
        for w in &self.debug.watchpoints {
            let mut offset = 0;
            for &(start, len) in &w.ranges {
                if (start..start + len).contains(&paddr) {
                    return w.addr + offset + (paddr - start);
                }
                offset += len;
            }
        }
        paddr
    }

    /// Runs `count` instructions of `hart` alone, interrupts held off and breakpoints ignored,
    /// serving its SBI calls; then pauses and reports the stop.
    fn debug_step(&mut self, hart: usize, count: u64) -> Option<RunOutcome> {
        let mut left = count;
        let mut reason = StopReason::Step;
        while left > 0 && self.states[hart] == HartState::Started {
            self.waiting[hart] = false;
            self.debug.watch_stopped = None;
            let exit = self.harts[hart].debug_step(&mut self.bus);
            self.debug.count_exit(exit);
            match exit {
                Exit::SbiCall => {
                    if let Some(outcome) = self.sbi_call(hart) {
                        return Some(outcome);
                    }
                    continue;
                }
                // The WFI ran in the previous step: the hart goes on (WFI may end at any time).
                Exit::Wfi | Exit::Breakpoint => continue,
                Exit::Budget | Exit::Watchpoint => {
                    left -= 1;
                    self.executed += 1;
                }
            }
            if let Some(paddr) = self.bus.ram().take_watch_hit() {
                reason = StopReason::Watchpoint {
                    addr: self.watch_address(paddr),
                };
                break;
            }
            if self.bus.device_written {
                self.update_interrupts();
            }
        }
        // An ECALL that was the last step is served now, so pc is after it.
        if self.harts[hart].sbi_call_pending()
            && self.harts[hart].run(&mut self.bus, 1) == Exit::SbiCall
        {
            if let Some(outcome) = self.sbi_call(hart) {
                return Some(outcome);
            }
        }
        self.set_paused(true);
        self.debug.notify(hart, reason);
        None
    }

    /// Serves one debugger request (between slices). Returns an outcome if it ends the machine.
    pub(crate) fn serve_debug(&mut self, request: Request) -> Option<RunOutcome> {
        let mut outcome = None;
        let reply = self.debug_command(request.command, &mut outcome);
        // The debugger may have given up waiting: nothing to do then.
        let _ = request.reply.send(reply);
        outcome
    }

    fn hart_index(&self, hart: usize) -> DebugResult<usize> {
        if hart < self.harts.len() {
            Ok(hart)
        } else {
            Err(DebugError::NoHart(hart))
        }
    }

    fn debug_command(
        &mut self,
        command: Command,
        outcome: &mut Option<RunOutcome>,
    ) -> DebugResult<Reply> {
        Ok(match command {
            Command::Status => Reply::Status(self.debug_status()),
            Command::Pause => {
                if !self.debug.paused {
                    self.set_paused(true);
                    self.debug.notify(0, StopReason::Paused);
                }
                Reply::Status(self.debug_status())
            }
            Command::Continue => {
                let run = self.debug.next_run();
                if self.debug.paused {
                    self.set_paused(false);
                    self.step_off_breakpoints();
                }
                Reply::Value(run)
            }
            Command::Step { hart, count } => {
                let hart = self.hart_index(hart)?;
                if !self.debug.paused {
                    return Err(DebugError::Running);
                }
                let run = self.debug.next_run();
                self.debug.step = Some((hart, count.max(1)));
                self.set_paused(false);
                Reply::Value(run)
            }
            Command::Registers(hart) => {
                let h = &self.harts[self.hart_index(hart)?];
                Reply::Registers(Box::new(Registers {
                    x: h.x,
                    f: h.f,
                    pc: h.pc,
                    privilege: h.privilege as u8,
                }))
            }
            Command::SetRegisters(hart, regs) => {
                let hart = self.hart_index(hart)?;
                let h = &mut self.harts[hart];
                h.x = regs.x;
                h.x[0] = 0;
                h.f = regs.f;
                h.pc = regs.pc;
                let privilege = Privilege::from_bits(regs.privilege as u64).unwrap_or(h.privilege);
                h.debug_set_privilege(privilege);
                Reply::Done
            }
            Command::ReadCsr { hart, csr } => {
                let hart = self.hart_index(hart)?;
                let bus = &self.bus;
                Reply::Value(
                    self.harts[hart]
                        .debug_csr_read(bus, csr)
                        .ok_or(DebugError::NoCsr(csr))?,
                )
            }
            Command::WriteCsr { hart, csr, value } => {
                let hart = self.hart_index(hart)?;
                let bus = &self.bus;
                if !self.harts[hart].debug_csr_write(bus, csr, value) {
                    return Err(DebugError::NoCsr(csr));
                }
                Reply::Done
            }
            Command::Csrs(hart) => {
                let hart = self.hart_index(hart)?;
                let bus = &self.bus;
                let h = &mut self.harts[hart];
                Reply::Named(
                    INFO_CSRS
                        .iter()
                        .filter_map(|&(name, csr)| Some((name, h.debug_csr_read(bus, csr)?)))
                        .collect(),
                )
            }
            Command::ReadMemory {
                hart,
                addr,
                len,
                space,
            } => {
                let hart = self.hart_index(hart)?;
                Reply::Bytes(self.debug_read(hart, addr, len, space)?)
            }
            Command::WriteMemory {
                hart,
                addr,
                data,
                space,
            } => {
                let hart = self.hart_index(hart)?;
                self.debug_write(hart, addr, &data, space)?;
                Reply::Done
            }
            Command::Translate { hart, addr } => {
                let hart = self.hart_index(hart)?;
                Reply::Value(
                    self.harts[hart]
                        .debug_translate(&mut self.bus, addr)
                        .ok_or(DebugError::BadAddress(addr))?,
                )
            }
            Command::AddBreakpoint(addr) => {
                let added = self.debug.breakpoints.insert(addr);
                self.debug.keep(|k| {
                    k.breakpoints.insert(addr);
                });
                self.apply_breakpoints();
                Reply::Flag(added)
            }
            Command::RemoveBreakpoint(addr) => {
                let removed = self.debug.breakpoints.remove(&addr);
                self.debug.keep(|k| {
                    k.breakpoints.remove(&addr);
                });
                self.apply_breakpoints();
                Reply::Flag(removed)
            }
            Command::ClearBreakpoints => {
                self.debug.breakpoints.clear();
                self.debug.keep(|k| k.breakpoints.clear());
                self.apply_breakpoints();
                Reply::Done
            }
            Command::Breakpoints => {
                Reply::Addresses(self.debug.breakpoints.iter().copied().collect())
            }
            Command::AddWatchpoint { hart, addr, len } => {
                let hart = self.hart_index(hart)?;
                self.add_watchpoint(hart, addr, len)?;
                self.debug.keep(|k| k.watchpoints.push((addr, len, hart)));
                Reply::Done
            }
            Command::RemoveWatchpoint { addr, len } => {
                self.debug
                    .keep(|k| k.watchpoints.retain(|w| (w.0, w.1) != (addr, len)));
                let Some(at) = self
                    .debug
                    .watchpoints
                    .iter()
                    .position(|w| (w.addr, w.len) == (addr, len))
                else {
                    return Ok(Reply::Flag(false));
                };
                let watch = self.debug.watchpoints.remove(at);
                for (start, len) in watch.ranges {
                    self.bus.ram().remove_watch(start, len);
                }
                Reply::Flag(true)
            }
            Command::Tlb(hart) => {
                let hart = self.hart_index(hart)?;
                Reply::Tlb(
                    self.harts[hart]
                        .tlb_entries()
                        .into_iter()
                        .map(|(access, vpage, context, ppage)| TlbEntry {
                            access,
                            vpage,
                            ppage,
                            context,
                        })
                        .collect(),
                )
            }
            Command::Devices => Reply::Text(self.device_report()),
            Command::Stats => Reply::Stats(Box::new(self.debug_stats())),
            Command::Trace(to) => {
                if let Some(trace) = &mut self.trace {
                    let _ = trace.flush();
                }
                self.trace = match to {
                    None => None,
                    Some(path) if path.as_os_str() == "-" => {
                        Some(Box::new(BufWriter::new(std::io::stderr())))
                    }
                    Some(path) => {
                        let file =
                            std::fs::File::create(&path).map_err(|e| DebugError::TraceFile {
                                path: path.clone(),
                                reason: e.to_string(),
                            })?;
                        Some(Box::new(BufWriter::new(file)))
                    }
                };
                Reply::Done
            }
            Command::Reset => {
                *outcome = Some(RunOutcome::Reboot);
                Reply::Done
            }
        })
    }

    fn debug_status(&self) -> Status {
        Status {
            paused: self.debug.paused,
            run: self.debug.hub.as_ref().map_or(0, DebugHub::current_run),
            harts: self
                .harts
                .iter()
                .enumerate()
                .map(|(h, hart)| HartStatus {
                    pc: hart.pc,
                    privilege: hart.privilege as u8,
                    started: self.states[h] == HartState::Started,
                    waiting: self.waiting[h],
                })
                .collect(),
        }
    }

    /// Gives every hart the machine's breakpoints.
    fn apply_breakpoints(&mut self) {
        let set = &self.debug.breakpoints;
        for hart in &mut self.harts {
            hart.set_breakpoints(set.iter().copied());
        }
    }

    /// Harts of a paused machine that sit at a breakpoint, or before a watched store, run that one
    /// instruction, so that continuing does not stop at once where it stopped.
    fn step_off_breakpoints(&mut self) {
        let watch_stopped = self.debug.watch_stopped.take();
        for h in 0..self.harts.len() {
            let at_breakpoint = self.debug.breakpoints.contains(&self.harts[h].pc);
            if self.states[h] != HartState::Started || !(at_breakpoint || watch_stopped == Some(h))
            {
                continue;
            }
            let exit = self.harts[h].debug_step(&mut self.bus);
            if exit == Exit::SbiCall {
                // Served by the run loop's next slice, like any SBI call.
                self.harts[h].poke();
            }
            if self.bus.ram().watch_hit() {
                self.debug_stopped(h);
                return;
            }
        }
    }

    fn add_watchpoint(&mut self, hart: usize, addr: u64, len: u64) -> DebugResult<()> {
        if !(1..=4096).contains(&len) {
            return Err(DebugError::WatchLength(len));
        }
        // The range may cross a page: translate each page's part.
        let mut ranges = Vec::new();
        let mut at = addr;
        let end = addr.checked_add(len).ok_or(DebugError::BadAddress(addr))?;
        while at < end {
            let part = (4096 - (at & 0xfff)).min(end - at);
            let paddr = self.harts[hart]
                .debug_translate(&mut self.bus, at)
                .filter(|&p| self.bus.ram_ref().offset(p, part).is_some())
                .ok_or(DebugError::BadAddress(at))?;
            ranges.push((paddr, part));
            at += part;
        }
        for &(start, len) in &ranges {
            self.bus.ram().add_watch(start, len);
        }
        self.debug.watchpoints.push(Watch { addr, len, ranges });
        Ok(())
    }

    /// Reads guest memory for a debugger, page by page through the hart's translation.
    fn debug_read(
        &mut self,
        hart: usize,
        addr: u64,
        len: usize,
        space: Space,
    ) -> DebugResult<Vec<u8>> {
        let mut out = Vec::with_capacity(len);
        let mut at = addr;
        while out.len() < len {
            let part = ((4096 - (at & 0xfff)) as usize).min(len - out.len());
            let paddr = self.debug_paddr(hart, at, space)?;
            if let Some(bytes) = self.bus.ram_ref().read_bytes(paddr, part) {
                out.extend_from_slice(bytes);
            } else if let Some(off) = paddr.checked_sub(memmap::MROM.base).filter(|&off| {
                off.checked_add(part as u64)
                    .is_some_and(|end| end <= memmap::MROM.size)
            }) {
                let rom = &self.bus.rom;
                out.extend(
                    (off..off + part as u64).map(|i| rom.get(i as usize).copied().unwrap_or(0)),
                );
            } else {
                return Err(DebugError::BadAddress(at));
            }
            at = at.wrapping_add(part as u64);
        }
        Ok(out)
    }

    /// Writes guest RAM for a debugger, page by page through the hart's translation.
    fn debug_write(
        &mut self,
        hart: usize,
        addr: u64,
        data: &[u8],
        space: Space,
    ) -> DebugResult<()> {
        // Translate everything first, so a fault writes nothing.
        let mut parts = Vec::new();
        let (mut at, mut done) = (addr, 0);
        while done < data.len() {
            let part = ((4096 - (at & 0xfff)) as usize).min(data.len() - done);
            let paddr = self.debug_paddr(hart, at, space)?;
            if self.bus.ram_ref().offset(paddr, part as u64).is_none() {
                return Err(DebugError::BadAddress(at));
            }
            parts.push((paddr, done, part));
            at = at.wrapping_add(part as u64);
            done += part;
        }
        for (paddr, from, part) in parts {
            self.bus.ram().write_bytes(paddr, &data[from..from + part]);
        }
        // Harts fetch again what was written (a debugger may patch code).
        for hart in &mut self.harts {
            hart.fence_i();
        }
        Ok(())
    }

    fn debug_paddr(&mut self, hart: usize, addr: u64, space: Space) -> DebugResult<u64> {
        match space {
            Space::Physical => Ok(addr),
            Space::Virtual => self.harts[hart]
                .debug_translate(&mut self.bus, addr)
                .ok_or(DebugError::BadAddress(addr)),
        }
    }

    fn debug_stats(&mut self) -> Stats {
        let now = Instant::now();
        let mut stats = Stats {
            uptime: now.duration_since(self.debug.started).as_secs_f64(),
            exits: self.debug.exits,
            ..Stats::default()
        };
        for hart in &self.harts {
            let s = hart.stats();
            stats.instret.push(s.instret);
            stats.decodes += s.decodes;
            stats.tlb_hits += s.tlb_hits;
            stats.tlb_misses += s.tlb_misses;
            stats.decoded_pages += hart.decoded_pages();
        }
        let total: u64 = stats.instret.iter().sum();
        let (then, before) = self.debug.last_stats;
        stats.recent_seconds = now.duration_since(then).as_secs_f64();
        stats.recent_mips =
            total.saturating_sub(before) as f64 / stats.recent_seconds.max(1e-9) / 1e6;
        self.debug.last_stats = (now, total);
        stats
    }

    /// The devices' state, for `info devices`: read without side effects.
    fn device_report(&mut self) -> String {
        let mut out = String::new();
        let bus = &mut self.bus;
        // UART: IER, LCR, MCR, LSR and SCR read without side effects (IIR and RBR would not).
        let reg = |uart: &mut emu_devices::Uart16550, off| uart.read(off, 1).unwrap_or(0);
        let (ier, lcr, mcr, lsr, scr) = (
            reg(&mut bus.uart, 1),
            reg(&mut bus.uart, 3),
            reg(&mut bus.uart, 4),
            reg(&mut bus.uart, 5),
            reg(&mut bus.uart, 7),
        );
        let _ = writeln!(
            out,
            "uart0 @ {:#x} (irq {}): ier={ier:#04x} lcr={lcr:#04x} mcr={mcr:#04x} lsr={lsr:#04x} scr={scr:#04x} input-queued={} irq-line={}",
            memmap::UART0.base,
            memmap::UART0_IRQ,
            bus.uart.pending_input(),
            bus.uart.irq() as u8,
        );
        // PLIC: pending words, and per context the enable words and threshold.
        let words = (memmap::PLIC_NDEV as u64 + 1).div_ceil(32);
        let plic = &mut bus.plic;
        let sources = |plic: &mut emu_devices::Plic, base: u64| -> Vec<u32> {
            let mut ids = Vec::new();
            for w in 0..words {
                let bits = plic.read(base + 4 * w, 4).unwrap_or(0);
                ids.extend(
                    (0..32)
                        .filter(|b| bits >> b & 1 != 0)
                        .map(|b| (32 * w + b) as u32),
                );
            }
            ids
        };
        let _ = writeln!(
            out,
            "plic @ {:#x}: pending {:?}",
            memmap::PLIC.base,
            sources(plic, 0x1000)
        );
        for ctx in 0..plic.num_contexts() {
            let enabled = sources(plic, 0x2000 + 0x80 * ctx as u64);
            let threshold = plic.read(0x20_0000 + 0x1000 * ctx as u64, 4).unwrap_or(0);
            let mode = if ctx % 2 == 0 { 'M' } else { 'S' };
            let _ = writeln!(
                out,
                "  context {ctx} (hart {} {mode}-mode): enabled {enabled:?} threshold {threshold} irq-line={}",
                ctx / 2,
                plic.context_irq(ctx) as u8
            );
        }
        for (slot, dev) in bus.virtio.iter().enumerate() {
            let disk = dev.device().disk();
            let _ = writeln!(
                out,
                "virtio-blk slot {slot} @ {:#x} (irq {}): {} ({} sectors{}) status={:#x} irq-line={}",
                memmap::VIRTIO.base + slot as u64 * memmap::VIRTIO_STRIDE,
                memmap::VIRTIO_IRQ + slot as u32,
                disk.path().display(),
                disk.capacity_sectors(),
                if disk.is_readonly() { ", read-only" } else { "" },
                dev.status(),
                dev.irq() as u8,
            );
            for (q, queue) in dev.queues().iter().enumerate() {
                let _ = writeln!(
                    out,
                    "  queue {q}: {} size {}/{} desc {:#x} avail {:#x} used {:#x} next-avail {} next-used {}",
                    if queue.ready() { "ready" } else { "not ready" },
                    queue.size(),
                    queue.max_size(),
                    queue.desc_table(),
                    queue.avail_ring(),
                    queue.used_ring(),
                    queue.next_avail(),
                    queue.next_used(),
                );
            }
        }
        let now = bus.time();
        let _ = write!(out, "clint @ {:#x}: mtime={now}", memmap::CLINT.base);
        for h in 0..bus.clint.num_harts() {
            let _ = write!(
                out,
                " hart{h}: mtimecmp={:#x} msip={}",
                bus.clint.mtimecmp(h),
                bus.clint.msip(h) as u8
            );
        }
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MachineConfig;
    use emu_mmu::DRAM_BASE;
    use std::sync::mpsc::Receiver;

    /// A symbol-less ELF whose one segment, at DRAM_BASE, holds `code`.
    fn elf(code: &[u32]) -> Vec<u8> {
        let mut elf = vec![0u8; 120];
        elf[..8].copy_from_slice(b"\x7fELF\x02\x01\x01\x00");
        elf[16..18].copy_from_slice(&2u16.to_le_bytes());
        elf[18..20].copy_from_slice(&243u16.to_le_bytes());
        elf[24..32].copy_from_slice(&DRAM_BASE.to_le_bytes());
        elf[32..40].copy_from_slice(&64u64.to_le_bytes());
        elf[54..56].copy_from_slice(&56u16.to_le_bytes());
        elf[56..58].copy_from_slice(&1u16.to_le_bytes());
        let size = 4 * code.len() as u64;
        elf[64..68].copy_from_slice(&1u32.to_le_bytes());
        elf[72..80].copy_from_slice(&120u64.to_le_bytes());
        elf[88..96].copy_from_slice(&DRAM_BASE.to_le_bytes());
        elf[96..104].copy_from_slice(&size.to_le_bytes());
        elf[104..112].copy_from_slice(&size.to_le_bytes());
        elf.extend(code.iter().flat_map(|w| w.to_le_bytes()));
        elf
    }

    // li a0, 0; loop: addi a0, a0, 1; sd a0, 0x100(gp)... a loop storing a counter.
    const PROGRAM: [u32; 6] = [
        0x0000_0513, // li a0, 0
        0x8000_01b7, // lui gp, 0x80000 (sign-extended: fixed below)
        0x0015_0513, // loop: addi a0, a0, 1
        0x10a1_b023, // sd a0, 0x100(gp)
        0x0000_0013, // nop
        0xff5f_f06f, // j loop
    ];

    /// A machine running PROGRAM on its own thread, paused at the start, with its hub and a
    /// receiver of its stop events.
    fn start() -> (
        DebugHub,
        Receiver<StopEvent>,
        std::thread::JoinHandle<RunOutcome>,
    ) {
        let mut machine = Machine::new(MachineConfig {
            memory: 1 << 20,
            ..MachineConfig::default()
        })
        .unwrap();
        machine.load_elf(&elf(&PROGRAM)).unwrap();
        let hub = DebugHub::new();
        let (tx, events) = channel();
        hub.subscribe(move |e| tx.send(e.clone()).is_ok());
        machine.attach_debugger(&hub);
        machine.start_paused();
        let thread = std::thread::spawn(move || machine.run().unwrap());
        (hub, events, thread)
    }

    fn next(events: &Receiver<StopEvent>) -> StopEvent {
        events
            .recv_timeout(Duration::from_secs(10))
            .expect("a stop event")
    }

    #[test]
    fn steps_breaks_watches_and_quits_through_the_hub() {
        let (hub, events, thread) = start();
        assert!(hub.status().unwrap().paused);
        // Two steps: li, lui; fix gp to the physical address.
        let run = hub.step(0, 2).unwrap();
        let stop = next(&events);
        assert_eq!((stop.run, stop.reason), (run, StopReason::Step));
        let mut regs = hub.registers(0).unwrap();
        assert_eq!(regs.pc, DRAM_BASE + 8);
        regs.x[3] = DRAM_BASE;
        hub.set_registers(0, regs).unwrap();
        // A breakpoint on the nop: a0 counts 1, 2, ...
        assert!(hub.add_breakpoint(DRAM_BASE + 16).unwrap());
        for expected in 1..=3u64 {
            let run = hub.resume().unwrap();
            let stop = next(&events);
            assert_eq!(
                (stop.run, stop.reason),
                (run, StopReason::Breakpoint { pc: DRAM_BASE + 16 })
            );
            assert_eq!(hub.registers(0).unwrap().x[10], expected);
            let stored = hub
                .read_memory(0, DRAM_BASE + 0x100, 8, Space::Virtual)
                .unwrap();
            assert_eq!(stored, expected.to_le_bytes());
        }
        assert!(hub.remove_breakpoint(DRAM_BASE + 16).unwrap());
        // A watchpoint on the counter: stops after the store, at the nop.
        hub.add_watchpoint(0, DRAM_BASE + 0x104, 2).unwrap();
        let run = hub.resume().unwrap();
        let stop = next(&events);
        assert_eq!(
            (stop.run, stop.reason),
            (
                run,
                StopReason::Watchpoint {
                    addr: DRAM_BASE + 0x104
                }
            )
        );
        assert_eq!(
            hub.registers(0).unwrap().pc,
            DRAM_BASE + 12,
            "before the store"
        );
        let counter = hub
            .read_memory(0, DRAM_BASE + 0x100, 8, Space::Physical)
            .unwrap();
        assert_eq!(counter, 3u64.to_le_bytes(), "not written yet");
        // Continuing runs the store, and stops before the next one.
        let run = hub.resume().unwrap();
        assert_eq!(next(&events).run, run);
        let counter = hub
            .read_memory(0, DRAM_BASE + 0x100, 8, Space::Physical)
            .unwrap();
        assert_eq!(counter, 4u64.to_le_bytes());
        assert!(hub.remove_watchpoint(DRAM_BASE + 0x104, 2).unwrap());
        // Free running, then paused again by request.
        let run = hub.resume().unwrap();
        std::thread::sleep(Duration::from_millis(20));
        assert!(hub.pause().unwrap().paused);
        let stop = next(&events);
        assert_eq!((stop.run, stop.reason), (run, StopReason::Paused));
        assert!(hub.registers(0).unwrap().x[10] > 4);
        assert_eq!(
            hub.read_memory(0, 0x4000_0000, 4, Space::Physical),
            Err(DebugError::BadAddress(0x4000_0000))
        );
        assert_eq!(hub.registers(3), Err(DebugError::NoHart(3)));
        hub.quit().unwrap();
        assert_eq!(thread.join().unwrap(), RunOutcome::Quit);
        assert!(matches!(next(&events).reason, StopReason::Exited(_)));
        assert_eq!(hub.status(), Err(DebugError::Gone));
    }
}
