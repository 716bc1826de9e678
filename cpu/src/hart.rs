//! Hart state and the run loop.

use crate::csr::Privilege;
use emu_mmu::Bus;

/// Why [`Hart::run`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// The instruction budget is used up.
    Budget,
    /// The hart executed WFI and no interrupt is pending: the machine may sleep until one is.
    Wfi,
}

/// One RISC-V hart.
pub struct Hart {
    /// Integer registers; `x[0]` is always zero.
    pub x: [u64; 32],
    /// Program counter.
    pub pc: u64,
    /// Current privilege level.
    pub privilege: Privilege,
}

impl Hart {
    /// A hart in its reset state (M-mode, pc 0), with `mhartid` = `hartid`.
    pub fn new(hartid: u64) -> Hart {
        let _ = hartid;
        todo!()
    }

    /// Executes up to `budget` instructions.
    pub fn run<B: Bus>(&mut self, bus: &mut B, budget: u64) -> Exit {
        let _ = (bus, budget);
        todo!()
    }

    /// Like [`Hart::run`], writing one line per executed instruction to `out`: pc, raw bits,
    /// disassembly, and the register written.
    pub fn run_traced<B: Bus>(&mut self, bus: &mut B, budget: u64, out: &mut dyn std::io::Write) -> std::io::Result<Exit> {
        let _ = (bus, budget, out);
        todo!()
    }

    /// Instructions retired so far (`minstret`).
    pub fn instret(&self) -> u64 {
        todo!()
    }
}
