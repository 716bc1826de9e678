//! The GDB stub (`--gdb tcp::PORT`): the GDB remote protocol, by the `gdbstub` crate, on top of a
//! machine's [`DebugHub`]. Every hart is a GDB thread (thread id = hart + 1); registers, FP
//! registers and CSRs are described to GDB by `target.xml`; memory is read and written through the
//! hart's current translation; software and hardware breakpoints, write watchpoints, single-step,
//! continue and Ctrl-C all go to the machine as hub requests.
//!
//! The machine runs on its own thread. The stub waits on one channel that gets both the bytes GDB
//! sends (a reader thread) and the machine's stops (a hub subscription), so while the guest runs
//! the stub sleeps until either comes, and Ctrl-C is seen at once.

use emu_machine::{DebugError, DebugHub, Registers, Space, StopEvent, StopReason};
use gdbstub::arch::{Arch, RegId};
use gdbstub::common::{Signal, Tid};
use gdbstub::conn::{Connection, ConnectionExt};
use gdbstub::stub::run_blocking::{BlockingEventLoop, Event, WaitForStopReasonError};
use gdbstub::stub::{DisconnectReason, GdbStub, MultiThreadStopReason};
use gdbstub::target::ext::base::multithread::{
    MultiThreadBase, MultiThreadResume, MultiThreadResumeOps, MultiThreadSchedulerLocking,
    MultiThreadSchedulerLockingOps, MultiThreadSingleStep, MultiThreadSingleStepOps,
};
use gdbstub::target::ext::base::single_register_access::{
    SingleRegisterAccess, SingleRegisterAccessOps,
};
use gdbstub::target::ext::base::BaseOps;
use gdbstub::target::ext::breakpoints::{
    Breakpoints, BreakpointsOps, HwBreakpoint, HwBreakpointOps, HwWatchpoint, HwWatchpointOps,
    SwBreakpoint, SwBreakpointOps, WatchKind,
};
use gdbstub::target::ext::thread_extra_info::{ThreadExtraInfo, ThreadExtraInfoOps};
use gdbstub::target::{Target, TargetError, TargetResult};
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::num::NonZeroUsize;
use std::sync::mpsc::{channel, Receiver, Sender};

/// RV64GC as emu describes it to GDB: x0-x31, pc and f0-f31 in the `g` packet; fflags, frm, fcsr,
/// the CSRs and the privilege level by number (`p`/`P`), as GDB's riscv target numbers them.
pub enum Rv64gc {}

impl Arch for Rv64gc {
    type Usize = u64;
    type Registers = GdbRegisters;
    type BreakpointKind = usize;
    type RegId = GdbRegId;

    fn target_description_xml() -> Option<&'static str> {
        Some(include_str!("target.xml"))
    }
}

/// The registers of the `g` packet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GdbRegisters {
    x: [u64; 32],
    pc: u64,
    f: [u64; 32],
}

impl gdbstub::arch::Registers for GdbRegisters {
    type ProgramCounter = u64;

    fn pc(&self) -> u64 {
        self.pc
    }

    fn gdb_serialize(&self, mut write_byte: impl FnMut(Option<u8>)) {
        for value in self.x.iter().chain([&self.pc]).chain(self.f.iter()) {
            value
                .to_le_bytes()
                .into_iter()
                .for_each(|b| write_byte(Some(b)));
        }
    }

    fn gdb_deserialize(&mut self, bytes: &[u8]) -> Result<(), ()> {
        // GDB sends back what it got: 65 registers (33 from a client without the FPU feature).
        if !bytes.len().is_multiple_of(8) || bytes.len() < 33 * 8 {
            return Err(());
        }
        let mut values = bytes
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8-byte chunks")));
        for x in self.x.iter_mut() {
            *x = values.next().ok_or(())?;
        }
        self.pc = values.next().ok_or(())?;
        for f in self.f.iter_mut() {
            match values.next() {
                Some(v) => *f = v,
                None => break,
            }
        }
        Ok(())
    }
}

/// A register GDB names by number (GDB's riscv-tdep.h numbering, as in `target.xml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GdbRegId {
    /// x0..x31.
    X(u8),
    /// The program counter.
    Pc,
    /// f0..f31.
    F(u8),
    /// A CSR.
    Csr(u16),
    /// The privilege level.
    Priv,
}

impl RegId for GdbRegId {
    fn from_raw_id(id: usize) -> Option<(Self, Option<NonZeroUsize>)> {
        let reg = match id {
            0..=31 => GdbRegId::X(id as u8),
            32 => GdbRegId::Pc,
            33..=64 => GdbRegId::F((id - 33) as u8),
            65..=4160 => GdbRegId::Csr((id - 65) as u16),
            4161 => GdbRegId::Priv,
            _ => return None,
        };
        Some((reg, NonZeroUsize::new(8)))
    }
}

/// What the stub's thread waits for.
enum StubEvent {
    /// A byte from GDB.
    Byte(u8),
    /// GDB closed the connection (or it failed).
    Closed,
    /// The machine stopped.
    Stop(StopEvent),
}

/// The connection as gdbstub sees it: writes go to the socket (buffered until a flush), reads come
/// from the event channel, skipping machine stops (those only matter while the target runs).
struct Link {
    stream: TcpStream,
    out: Vec<u8>,
    events: Receiver<StubEvent>,
}

impl Link {
    fn next(&mut self) -> io::Result<StubEvent> {
        self.events
            .recv()
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    }
}

impl Connection for Link {
    type Error = io::Error;

    fn write(&mut self, byte: u8) -> io::Result<()> {
        self.out.push(byte);
        Ok(())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.extend_from_slice(buf);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Write::write_all(&mut self.stream, &self.out)?;
        self.out.clear();
        Write::flush(&mut self.stream)
    }

    fn on_session_start(&mut self) -> io::Result<()> {
        self.stream.set_nodelay(true)
    }
}

impl ConnectionExt for Link {
    fn read(&mut self) -> io::Result<u8> {
        loop {
            match self.next()? {
                StubEvent::Byte(b) => return Ok(b),
                StubEvent::Closed => return Err(io::ErrorKind::ConnectionReset.into()),
                StubEvent::Stop(_) => {}
            }
        }
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        // gdbstub's blocking loop never peeks; there is nothing to peek without consuming.
        Ok(None)
    }
}

/// What GDB asked the next resume to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Continue,
    Step(usize),
}

/// The machine as GDB's target.
struct EmuTarget {
    hub: DebugHub,
    harts: usize,
    action: Action,
    /// The run whose stop the stub waits for.
    run: u64,
    /// The hart GDB's last stop was on (watchpoints translate through it).
    current: usize,
}

fn tid(hart: usize) -> Tid {
    Tid::new(hart + 1).expect("hart + 1 is not zero")
}

fn hart_of(tid: Tid) -> usize {
    tid.get() - 1
}

/// A hub error as gdbstub reports it: an error reply; the session goes on.
fn nonfatal<T>(result: Result<T, DebugError>) -> TargetResult<T, EmuTarget> {
    result.map_err(|_| TargetError::NonFatal)
}

impl EmuTarget {
    fn registers(&self, hart: usize) -> TargetResult<Registers, Self> {
        nonfatal(self.hub.registers(hart))
    }

    /// The stop reason GDB gets for `event`.
    fn stop_reason(&mut self, event: &StopEvent) -> MultiThreadStopReason<u64> {
        self.current = event.hart;
        let t = tid(event.hart);
        match &event.reason {
            StopReason::Breakpoint { .. } => MultiThreadStopReason::SwBreak(t),
            StopReason::Watchpoint { addr } => MultiThreadStopReason::Watch {
                tid: t,
                kind: WatchKind::Write,
                addr: *addr,
            },
            StopReason::Step => MultiThreadStopReason::SignalWithThread {
                tid: t,
                signal: Signal::SIGTRAP,
            },
            StopReason::Paused => MultiThreadStopReason::SignalWithThread {
                tid: t,
                signal: Signal::SIGINT,
            },
            StopReason::Exited(how) => {
                let code = how
                    .strip_prefix("exited with code ")
                    .and_then(|c| c.parse::<u64>().ok())
                    .map_or(0, |c| c.min(255) as u8);
                MultiThreadStopReason::Exited(code)
            }
        }
    }
}

impl Target for EmuTarget {
    type Arch = Rv64gc;
    type Error = String;

    fn base_ops(&mut self) -> BaseOps<'_, Self::Arch, Self::Error> {
        BaseOps::MultiThread(self)
    }

    fn support_breakpoints(&mut self) -> Option<BreakpointsOps<'_, Self>> {
        Some(self)
    }
}

impl MultiThreadBase for EmuTarget {
    fn read_registers(&mut self, regs: &mut GdbRegisters, tid: Tid) -> TargetResult<(), Self> {
        let r = self.registers(hart_of(tid))?;
        *regs = GdbRegisters {
            x: r.x,
            pc: r.pc,
            f: r.f,
        };
        Ok(())
    }

    fn write_registers(&mut self, regs: &GdbRegisters, tid: Tid) -> TargetResult<(), Self> {
        let hart = hart_of(tid);
        let mut r = self.registers(hart)?;
        r.x = regs.x;
        r.pc = regs.pc;
        r.f = regs.f;
        nonfatal(self.hub.set_registers(hart, r))
    }

    fn support_single_register_access(&mut self) -> Option<SingleRegisterAccessOps<'_, Tid, Self>> {
        Some(self)
    }

    fn read_addrs(&mut self, start: u64, data: &mut [u8], tid: Tid) -> TargetResult<usize, Self> {
        let hart = hart_of(tid);
        if let Ok(bytes) = self
            .hub
            .read_memory(hart, start, data.len(), Space::Virtual)
        {
            data.copy_from_slice(&bytes);
            return Ok(data.len());
        }
        // Part of the range is not mapped: return what is, up to the first hole.
        let mut n = 0;
        while n < data.len() {
            match self
                .hub
                .read_memory(hart, start.wrapping_add(n as u64), 1, Space::Virtual)
            {
                Ok(b) => data[n] = b[0],
                Err(_) => break,
            }
            n += 1;
        }
        if n == 0 {
            return Err(TargetError::Errno(14));
        }
        Ok(n)
    }

    fn write_addrs(&mut self, start: u64, data: &[u8], tid: Tid) -> TargetResult<(), Self> {
        nonfatal(
            self.hub
                .write_memory(hart_of(tid), start, data.to_vec(), Space::Virtual),
        )
    }

    fn list_active_threads(
        &mut self,
        thread_is_active: &mut dyn FnMut(Tid),
    ) -> Result<(), Self::Error> {
        (0..self.harts).for_each(|h| thread_is_active(tid(h)));
        Ok(())
    }

    fn support_resume(&mut self) -> Option<MultiThreadResumeOps<'_, Self>> {
        Some(self)
    }

    fn support_thread_extra_info(&mut self) -> Option<ThreadExtraInfoOps<'_, Self>> {
        Some(self)
    }
}

impl ThreadExtraInfo for EmuTarget {
    /// What `info threads` shows beside a thread: the hart, its privilege and state.
    fn thread_extra_info(&self, tid: Tid, buf: &mut [u8]) -> Result<usize, Self::Error> {
        let hart = hart_of(tid);
        let text = match self.hub.status() {
            Ok(status) => match status.harts.get(hart) {
                Some(h) => format!(
                    "hart {hart}, {}-mode{}",
                    match h.privilege {
                        0 => "U",
                        1 => "S",
                        _ => "M",
                    },
                    if !h.started {
                        ", stopped (HSM)"
                    } else if h.waiting {
                        ", in WFI"
                    } else {
                        ""
                    }
                ),
                None => format!("hart {hart}"),
            },
            Err(e) => format!("hart {hart}: {e}"),
        };
        let n = text.len().min(buf.len());
        buf[..n].copy_from_slice(&text.as_bytes()[..n]);
        Ok(n)
    }
}

impl SingleRegisterAccess<Tid> for EmuTarget {
    fn read_register(
        &mut self,
        tid: Tid,
        reg: GdbRegId,
        buf: &mut [u8],
    ) -> TargetResult<usize, Self> {
        let hart = hart_of(tid);
        let value = match reg {
            GdbRegId::Csr(csr) => match self.hub.read_csr(hart, csr) {
                Ok(v) => v,
                // A CSR the hart does not have: "unavailable".
                Err(DebugError::NoCsr(_)) => return Ok(0),
                Err(_) => return Err(TargetError::NonFatal),
            },
            other => {
                let r = self.registers(hart)?;
                match other {
                    GdbRegId::X(n) => r.x[n as usize],
                    GdbRegId::F(n) => r.f[n as usize],
                    GdbRegId::Pc => r.pc,
                    _ => r.privilege as u64,
                }
            }
        };
        let bytes = value.to_le_bytes();
        let n = buf.len().min(8);
        buf[..n].copy_from_slice(&bytes[..n]);
        Ok(n)
    }

    fn write_register(&mut self, tid: Tid, reg: GdbRegId, val: &[u8]) -> TargetResult<(), Self> {
        let hart = hart_of(tid);
        let mut le = [0u8; 8];
        let n = val.len().min(8);
        le[..n].copy_from_slice(&val[..n]);
        let value = u64::from_le_bytes(le);
        if let GdbRegId::Csr(csr) = reg {
            return nonfatal(self.hub.write_csr(hart, csr, value));
        }
        let mut r = self.registers(hart)?;
        match reg {
            GdbRegId::X(n) => r.x[n as usize] = value,
            GdbRegId::F(n) => r.f[n as usize] = value,
            GdbRegId::Pc => r.pc = value,
            _ => {
                if !matches!(value, 0 | 1 | 3) {
                    return Err(TargetError::NonFatal);
                }
                r.privilege = value as u8;
            }
        }
        nonfatal(self.hub.set_registers(hart, r))
    }
}

impl MultiThreadResume for EmuTarget {
    fn resume(&mut self) -> Result<(), Self::Error> {
        let run = match self.action {
            Action::Step(hart) => self.hub.step(hart, 1),
            Action::Continue => self.hub.resume(),
        };
        self.run = run.map_err(|e| e.to_string())?;
        Ok(())
    }

    fn clear_resume_actions(&mut self) -> Result<(), Self::Error> {
        self.action = Action::Continue;
        Ok(())
    }

    fn set_resume_action_continue(
        &mut self,
        _tid: Tid,
        _signal: Option<Signal>,
    ) -> Result<(), Self::Error> {
        // Every hart runs on a continue (signals mean nothing to a machine).
        Ok(())
    }

    fn support_single_step(&mut self) -> Option<MultiThreadSingleStepOps<'_, Self>> {
        Some(self)
    }

    fn support_scheduler_locking(&mut self) -> Option<MultiThreadSchedulerLockingOps<'_, Self>> {
        Some(self)
    }
}

impl MultiThreadSchedulerLocking for EmuTarget {
    fn set_resume_action_scheduler_lock(&mut self) -> Result<(), Self::Error> {
        // Only the stepped hart runs anyway (see `set_resume_action_step`).
        Ok(())
    }
}

impl MultiThreadSingleStep for EmuTarget {
    fn set_resume_action_step(
        &mut self,
        tid: Tid,
        _signal: Option<Signal>,
    ) -> Result<(), Self::Error> {
        // The stepped hart runs alone (the others wait), as with `set scheduler-locking step`.
        self.action = Action::Step(hart_of(tid));
        Ok(())
    }
}

impl Breakpoints for EmuTarget {
    fn support_sw_breakpoint(&mut self) -> Option<SwBreakpointOps<'_, Self>> {
        Some(self)
    }

    fn support_hw_breakpoint(&mut self) -> Option<HwBreakpointOps<'_, Self>> {
        Some(self)
    }

    fn support_hw_watchpoint(&mut self) -> Option<HwWatchpointOps<'_, Self>> {
        Some(self)
    }
}

impl SwBreakpoint for EmuTarget {
    fn add_sw_breakpoint(&mut self, addr: u64, _kind: usize) -> TargetResult<bool, Self> {
        nonfatal(self.hub.add_breakpoint(addr)).map(|_| true)
    }

    fn remove_sw_breakpoint(&mut self, addr: u64, _kind: usize) -> TargetResult<bool, Self> {
        nonfatal(self.hub.remove_breakpoint(addr))
    }
}

impl HwBreakpoint for EmuTarget {
    fn add_hw_breakpoint(&mut self, addr: u64, _kind: usize) -> TargetResult<bool, Self> {
        // The same mechanism: a breakpoint costs nothing until it is reached, whatever its kind.
        nonfatal(self.hub.add_breakpoint(addr)).map(|_| true)
    }

    fn remove_hw_breakpoint(&mut self, addr: u64, _kind: usize) -> TargetResult<bool, Self> {
        nonfatal(self.hub.remove_breakpoint(addr))
    }
}

impl HwWatchpoint for EmuTarget {
    fn add_hw_watchpoint(
        &mut self,
        addr: u64,
        len: u64,
        kind: WatchKind,
    ) -> TargetResult<bool, Self> {
        if kind != WatchKind::Write {
            // Only writes are watched (reads would cost every load a check).
            return Ok(false);
        }
        Ok(self.hub.add_watchpoint(self.current, addr, len).is_ok())
    }

    fn remove_hw_watchpoint(
        &mut self,
        addr: u64,
        len: u64,
        kind: WatchKind,
    ) -> TargetResult<bool, Self> {
        if kind != WatchKind::Write {
            return Ok(false);
        }
        nonfatal(self.hub.remove_watchpoint(addr, len))
    }
}

/// The blocking event loop: wait for GDB's bytes or the machine's stop, whichever comes first.
enum EventLoop {}

impl BlockingEventLoop for EventLoop {
    type Target = EmuTarget;
    type Connection = Link;
    type StopReason = MultiThreadStopReason<u64>;

    fn wait_for_stop_reason(
        target: &mut EmuTarget,
        conn: &mut Link,
    ) -> Result<Event<Self::StopReason>, WaitForStopReasonError<String, io::Error>> {
        loop {
            match conn.next().map_err(WaitForStopReasonError::Connection)? {
                StubEvent::Byte(b) => return Ok(Event::IncomingData(b)),
                StubEvent::Closed => {
                    return Err(WaitForStopReasonError::Connection(
                        io::ErrorKind::ConnectionReset.into(),
                    ))
                }
                // A stop of an earlier run (a Ctrl-C that crossed a breakpoint, say): stale.
                StubEvent::Stop(event) if event.run < target.run => {}
                StubEvent::Stop(event) => {
                    return Ok(Event::TargetStopped(target.stop_reason(&event)))
                }
            }
        }
    }

    fn on_interrupt(target: &mut EmuTarget) -> Result<Option<Self::StopReason>, String> {
        // Ctrl-C: pause the machine; the pause's own stop event is then stale (run numbers).
        let status = target.hub.pause().map_err(|e| e.to_string())?;
        target.run = status.run + 1;
        Ok(Some(MultiThreadStopReason::SignalWithThread {
            tid: tid(target.current),
            signal: Signal::SIGINT,
        }))
    }
}

/// Listens for GDB on `addr` (`HOST:PORT`; port 0 picks a free one) on a thread of its own, one
/// connection at a time, for the machine(s) attached to `hub`. Returns the address it listens on.
pub fn serve(addr: &str, hub: DebugHub) -> io::Result<String> {
    let listener = TcpListener::bind(addr)?;
    let local = listener.local_addr()?.to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if let Err(e) = session(stream, &hub) {
                log::warn!("gdb: the session ended: {e}");
            }
        }
    });
    Ok(local)
}

/// One GDB session: the machine pauses when GDB connects, and runs on when it detaches.
fn session(stream: TcpStream, hub: &DebugHub) -> Result<(), String> {
    let (events, receiver) = channel();
    let reader = stream.try_clone().map_err(|e| e.to_string())?;
    spawn_reader(reader, events.clone());
    {
        let events = events.clone();
        hub.subscribe(move |e| events.send(StubEvent::Stop(e.clone())).is_ok());
    }
    let status = hub.pause().map_err(|e| e.to_string())?;
    let mut target = EmuTarget {
        hub: hub.clone(),
        harts: status.harts.len(),
        action: Action::Continue,
        run: status.run + 1,
        current: 0,
    };
    let link = Link {
        stream: stream.try_clone().map_err(|e| e.to_string())?,
        out: Vec::new(),
        events: receiver,
    };
    drop(events);
    let result = GdbStub::new(link).run_blocking::<EventLoop>(&mut target);
    let _ = stream.shutdown(std::net::Shutdown::Both);
    match result {
        Ok(DisconnectReason::Kill) => {
            let _ = hub.quit();
        }
        Ok(_) => {
            // Detached (or the target ended): the guest goes on by itself.
            let _ = hub.resume();
        }
        Err(e) => {
            let _ = hub.resume();
            return Err(e.to_string());
        }
    }
    Ok(())
}

/// Feeds GDB's bytes into the stub's event channel until the connection closes.
fn spawn_reader(mut stream: TcpStream, events: Sender<StubEvent>) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            match Read::read(&mut stream, &mut buf) {
                Ok(0) | Err(_) => {
                    let _ = events.send(StubEvent::Closed);
                    return;
                }
                Ok(n) => {
                    for &b in &buf[..n] {
                        if events.send(StubEvent::Byte(b)).is_err() {
                            return;
                        }
                    }
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use gdbstub::arch::Registers as _;

    #[test]
    fn register_numbers_follow_gdb() {
        assert_eq!(GdbRegId::from_raw_id(0).unwrap().0, GdbRegId::X(0));
        assert_eq!(GdbRegId::from_raw_id(32).unwrap().0, GdbRegId::Pc);
        assert_eq!(GdbRegId::from_raw_id(33).unwrap().0, GdbRegId::F(0));
        assert_eq!(GdbRegId::from_raw_id(68).unwrap().0, GdbRegId::Csr(3));
        assert_eq!(
            GdbRegId::from_raw_id(65 + 0x300).unwrap().0,
            GdbRegId::Csr(0x300)
        );
        assert_eq!(GdbRegId::from_raw_id(4161).unwrap().0, GdbRegId::Priv);
        assert!(GdbRegId::from_raw_id(4162).is_none());
        // The description names every number the stub answers for.
        let xml = Rv64gc::target_description_xml().unwrap();
        for needle in [
            "regnum=\"32\"",
            "name=\"ft0\" bitsize=\"64\" type=\"riscv_double\" regnum=\"33\"",
            "name=\"fcsr\" bitsize=\"64\" type=\"int\" regnum=\"68\"",
            "name=\"mstatus\" bitsize=\"64\" type=\"int\" regnum=\"833\"",
            "name=\"priv\"",
        ] {
            assert!(xml.contains(needle), "{needle}");
        }
    }

    #[test]
    fn the_g_packet_holds_x_pc_and_f() {
        let mut regs = GdbRegisters::default();
        regs.x[1] = 0x11;
        regs.pc = 0x8000_0000;
        regs.f[31] = 0x3ff0_0000_0000_0000;
        let mut bytes = Vec::new();
        regs.gdb_serialize(|b| bytes.push(b.unwrap()));
        assert_eq!(bytes.len(), 65 * 8);
        let mut back = GdbRegisters::default();
        back.gdb_deserialize(&bytes).unwrap();
        assert_eq!(back, regs);
        assert!(back.gdb_deserialize(&bytes[..32 * 8]).is_err());
    }
}
