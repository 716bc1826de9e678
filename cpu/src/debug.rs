//! What a debugger (the monitor, the GDB stub) needs from a hart: breakpoints that cost nothing on
//! the instructions that are not at them, register and CSR access without side effects, and guest
//! memory through the hart's current translation.
//!
//! Breakpoints live in the decoded-instruction cache. The hart keeps a set of virtual addresses;
//! when it sets up a fetch page (the slow path, once per page it enters: `Hart::fetch_half`) whose
//! virtual page holds breakpoints, it overwrites their slots with a marker: an empty slot
//! (`Op::NotDecoded`) with raw bits no empty slot has. The cached path already tests every slot for
//! `NotDecoded` before it runs it, so a marker adds nothing to the instructions around it; when one
//! is reached the hart compares the real pc with the set (the physical page may be mapped at other
//! virtual addresses too) and stops, or runs the instruction uncached. The uncached path (the first
//! instruction after an event, an instruction across a page boundary, code outside RAM) looks at
//! the set itself when it is not empty. Changing the set drops every decoded page, so no stale
//! marker survives.
//!
//! Write watchpoints live in guest RAM (`emu_mmu::Ram::add_watch`): a watched page is flagged like
//! a page of decoded code, whose flag every store already tests, so unwatched stores cost nothing
//! more; a store into a watched range ends the hart's run (`Exit::Watchpoint`). An ordinary store
//! (integer or FP) is undone and the hart stops *before* it, pc on it, as RISC-V debug triggers do
//! and GDB expects (it steps over the store itself, watchpoints removed); an AMO, SC or emulated
//! misaligned store that hits one stops after it. Debugger steps run with watches suspended.

use crate::csr::*;
use crate::hart::{Hart, NO_PAGE};
use crate::icache::Slots;
use crate::inst::Inst;
use emu_mmu::pte;
use emu_mmu::{Access, Bus, PagingMode};
use std::collections::BTreeSet;

/// Raw bits of a breakpoint marker slot (no decoded or empty slot has them).
pub(crate) const MARK_RAW: u32 = u32::MAX;

/// A breakpoint marker in the decoded-instruction cache.
const MARK: Inst = Inst::NOT_DECODED.with_raw(MARK_RAW);

/// A hart's debugger breakpoints.
#[derive(Default)]
pub(crate) struct Breakpoints {
    /// Virtual addresses of the breakpoints.
    addrs: BTreeSet<u64>,
    /// Run instructions even where a breakpoint is, and take no interrupt (a debugger's step).
    pub(crate) ignore: bool,
    /// The hart stopped at a breakpoint: `Hart::run` returns [`crate::Exit::Breakpoint`].
    pub(crate) hit: bool,
    /// The exception the executor returns is a store stopped by a watchpoint, not a trap.
    pub(crate) watch_stop: bool,
}

impl Breakpoints {
    /// Whether there are no breakpoints at all.
    #[inline(always)]
    pub(crate) fn is_empty(&self) -> bool {
        self.addrs.is_empty()
    }

    /// Whether the hart must stop before the instruction at `pc`.
    pub(crate) fn stops_at(&self, pc: u64) -> bool {
        !self.ignore && self.addrs.contains(&pc)
    }

    /// Puts markers in the slots of the breakpoints in virtual page `vpage`, whose decoded slots
    /// are `slots`.
    pub(crate) fn mark(&self, slots: Slots, vpage: u64) {
        for &addr in self.addrs.range(vpage..vpage.saturating_add(4096)) {
            let index = ((addr & 0xfff) >> 1) as usize;
            // SAFETY: `slots` points to the SLOTS (= 4096 / 2) slots of a live decoded page, and
            // the index is below SLOTS.
            unsafe { *slots.0.add(index) = MARK };
            // A pair or triple fused with the marked instruction (decoded through another mapping
            // of the page) would run it without stopping: empty the slots that may hold one (up
            // to two instructions, 8 bytes, before it).
            for before in index.saturating_sub(4)..index {
                // SAFETY: as above.
                let slot = unsafe { &mut *slots.0.add(before) };
                if slot.op.unfused() != slot.op {
                    *slot = Inst::NOT_DECODED;
                }
            }
        }
    }
}

impl Hart {
    /// Replaces the hart's breakpoints with `addrs` (virtual addresses, as the hart fetches them:
    /// physical ones while translation is off). The hart stops before running an instruction at
    /// one of them ([`crate::Exit::Breakpoint`]), and an instruction that is not at one costs what
    /// it did without breakpoints.
    pub fn set_breakpoints(&mut self, addrs: impl IntoIterator<Item = u64>) {
        self.breakpoints.addrs = addrs.into_iter().collect();
        // Old markers must go: forget every decoded page (they are decoded again on use).
        self.icache.clear();
        self.fetch_vpage = NO_PAGE;
        self.event = true;
    }

    /// The hart's breakpoints, in address order.
    pub fn breakpoints(&self) -> impl Iterator<Item = u64> + '_ {
        self.breakpoints.addrs.iter().copied()
    }

    /// Runs one instruction (or takes one exception) for a debugger's single step: even if a
    /// breakpoint is at pc (so stepping leaves it), with watchpoints suspended (so stepping leaves a
    /// store stopped by one), and without taking interrupts (so a step does not land in a handler
    /// because a timer fired; QEMU steps so too).
    pub fn debug_step<B: Bus>(&mut self, bus: &mut B) -> crate::Exit {
        self.breakpoints.ignore = true;
        bus.ram().suspend_watches(true);
        let exit = self.run(bus, 1);
        bus.ram().suspend_watches(false);
        self.breakpoints.ignore = false;
        exit
    }

    /// A store hit a watched range: undo it, so the hart stops before it (the executor leaves pc
    /// on an instruction that returns an exception, and `take_exception` takes no trap for this
    /// one). The run ends with [`crate::Exit::Watchpoint`].
    #[cold]
    pub(crate) fn stop_before_watched_store<B: Bus>(&mut self, bus: &mut B) -> crate::Exception {
        bus.ram().undo_watched_write();
        self.breakpoints.watch_stop = true;
        self.event = true;
        crate::Exception::StoreAccessFault(0)
    }

    /// Whether the hart has an SBI call waiting for the machine (its ECALL ran; the machine serves
    /// it at the hart's next [`Hart::run`], which returns [`crate::Exit::SbiCall`] at once).
    pub fn sbi_call_pending(&self) -> bool {
        self.sbi_call
    }

    /// Reads CSR `csr` as M-mode would, for a debugger: no privilege check, no side effect. The FP
    /// CSRs read even while mstatus.FS is Off. `None` if the CSR does not exist.
    pub fn debug_csr_read<B: Bus>(&mut self, bus: &B, csr: u16) -> Option<u64> {
        let fcsr = self.fcsr as u64;
        match csr {
            FFLAGS => return Some(fcsr & 0x1f),
            FRM => return Some(fcsr >> 5),
            FCSR => return Some(fcsr),
            _ => {}
        }
        let privilege = std::mem::replace(&mut self.privilege, Privilege::Machine);
        let value = self.csr_read(bus, csr, 0).ok();
        self.privilege = privilege;
        value
    }

    /// Writes CSR `csr` as M-mode would, for a debugger (WARL rules apply); `false` if it does not
    /// exist or is read-only.
    pub fn debug_csr_write<B: Bus>(&mut self, bus: &B, csr: u16, value: u64) -> bool {
        if self.debug_csr_read(bus, csr).is_none() {
            return false;
        }
        match csr {
            FFLAGS => self.fcsr = (self.fcsr & !0x1f) | (value as u8 & 0x1f),
            FRM => self.fcsr = (self.fcsr & 0x1f) | ((value as u8 & 7) << 5),
            FCSR => self.fcsr = value as u8,
            _ => {
                let privilege = std::mem::replace(&mut self.privilege, Privilege::Machine);
                let ok = self.csr_write(csr, value, 0).is_ok();
                self.privilege = privilege;
                return ok;
            }
        }
        true
    }

    /// Sets the privilege level, for a debugger.
    pub fn debug_set_privilege(&mut self, privilege: Privilege) {
        self.privilege = privilege;
        self.poke();
    }

    /// The physical address that virtual `vaddr` maps to for the hart now (its privilege and satp),
    /// for a debugger: the page table is read without permission checks and without setting A/D
    /// bits. `None` if nothing is mapped there.
    pub fn debug_translate<B: Bus>(&self, bus: &mut B, vaddr: u64) -> Option<u64> {
        let satp = self.csr.satp;
        if self.privilege == Privilege::Machine || satp >> SATP_MODE_SHIFT == 0 {
            return Some(vaddr);
        }
        let mode = PagingMode::from_satp_mode(satp >> SATP_MODE_SHIFT)?;
        if !mode.is_canonical(vaddr) {
            return None;
        }
        let ram = bus.ram();
        let mut table = (satp & pte::PPN_MASK) << 12;
        for level in (0..mode.levels()).rev() {
            let vpn = (vaddr >> (12 + 9 * level)) & 0x1ff;
            let entry = ram.read(table.checked_add(vpn * 8)?, 8)?;
            if entry & pte::V == 0 || (entry & pte::R == 0 && entry & pte::W != 0) {
                return None;
            }
            let ppn = (entry >> pte::PPN_SHIFT) & pte::PPN_MASK;
            if entry & (pte::R | pte::X) != 0 {
                let mask = (1u64 << (12 + 9 * level)) - 1;
                return Some(((ppn << 12) & !mask) | (vaddr & mask));
            }
            table = ppn << 12;
        }
        None
    }

    /// The valid entries of the hart's TLB: (access type, virtual page, context, physical page).
    /// The context is the effective privilege in bits 1:0, mstatus.SUM in bit 2 and MXR in bit 3.
    pub fn tlb_entries(&self) -> Vec<(Access, u64, u64, u64)> {
        self.tlb.entries().collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::tests::TestBus;
    use crate::{Exit, Hart};
    use emu_mmu::{Ram, DRAM_BASE};

    // li a0, 0; loop: addi a0, a0, 1; sd a0, 0x100(zero)... (M-mode, physical addresses)
    const LOOP: [u32; 4] = [
        0x0000_0513, // li a0, 0
        0x0015_0513, // addi a0, a0, 1
        0x0000_0013, // nop
        0xff9f_f06f, // j -8
    ];

    fn setup(words: &[u32]) -> (Hart, TestBus) {
        let mut bus = TestBus {
            ram: Ram::new(DRAM_BASE, 1 << 16).unwrap(),
        };
        for (i, w) in words.iter().enumerate() {
            bus.ram.write(DRAM_BASE + 4 * i as u64, 4, *w as u64);
        }
        let mut hart = Hart::new(0);
        hart.pc = DRAM_BASE;
        (hart, bus)
    }

    #[test]
    fn stops_before_a_breakpoint_every_time_round_a_loop() {
        let (mut hart, mut bus) = setup(&LOOP);
        // Warm the decoded-instruction cache first: markers must replace decoded slots.
        assert_eq!(hart.run(&mut bus, 50), Exit::Budget);
        let before = hart.x[10];
        hart.set_breakpoints([DRAM_BASE + 8]);
        assert_eq!(hart.run(&mut bus, 1000), Exit::Breakpoint);
        assert_eq!(hart.pc, DRAM_BASE + 8);
        let a0 = hart.x[10];
        assert!(a0 == before || a0 == before + 1);
        let instret = hart.instret();
        // Stepping off it runs the nop; the loop comes round to it again.
        assert_eq!(hart.debug_step(&mut bus), Exit::Budget);
        assert_eq!(hart.run(&mut bus, 1000), Exit::Breakpoint);
        assert_eq!((hart.pc, hart.x[10]), (DRAM_BASE + 8, a0 + 1));
        assert_eq!(hart.instret(), instret + 3);
        // Again with a cold page: the breakpoint is the first instruction after an event.
        hart.poke();
        assert_eq!(hart.run(&mut bus, 1000), Exit::Breakpoint);
        assert_eq!(hart.instret(), instret + 3);
        hart.set_breakpoints([]);
        assert_eq!(hart.run(&mut bus, 1000), Exit::Budget);
        assert_eq!(hart.instret(), instret + 1003);
    }

    #[test]
    fn a_breakpoint_on_the_second_of_a_fused_pair_stops_there() {
        // The loop's `addi a0, a0, 1; nop` is a fused pair (two ADDIs).
        let (mut hart, mut bus) = setup(&LOOP);
        assert_eq!(hart.run(&mut bus, 50), Exit::Budget);
        let pair = hart.icache.slot(DRAM_BASE + 4).unwrap().op;
        assert_eq!(pair.unfused(), crate::inst::Op::Addi);
        assert_ne!(pair, crate::inst::Op::Addi);
        // A breakpoint set while the page stays decoded, as when the same physical page is
        // decoded through another virtual mapping: marking it must undo the pair.
        hart.breakpoints.addrs.insert(DRAM_BASE + 8);
        hart.poke();
        assert_eq!(hart.run(&mut bus, 1000), Exit::Breakpoint);
        assert_eq!(hart.pc, DRAM_BASE + 8);
    }

    #[test]
    fn breakpoints_stop_the_traced_run_too() {
        let (mut hart, mut bus) = setup(&LOOP);
        hart.set_breakpoints([DRAM_BASE + 4]);
        let mut out = Vec::new();
        assert_eq!(
            hart.run_traced(&mut bus, 100, &mut out).unwrap(),
            Exit::Breakpoint
        );
        assert_eq!((hart.pc, hart.instret()), (DRAM_BASE + 4, 1));
    }

    #[test]
    fn a_store_into_a_watched_range_stops_the_hart_before_it() {
        // li a1, 0x80001000; loop: addi a0, a0, 1; sd a0, 0(a1) ... with a nop-filled page.
        let words = [
            0x8000_15b7, // lui a1, 0x80001
            0x0015_0513, // addi a0, a0, 1
            0x0000_0013, // nop
            0x00a5_b023, // sd a0, 0(a1)
            0xff5f_f06f, // j -12
        ];
        let (mut hart, mut bus) = setup(&words);
        // lui sign-extends on RV64: use the low 32 bits' value as a physical address.
        hart.run(&mut bus, 1);
        hart.x[11] &= 0xffff_ffff;
        assert!(bus.ram.add_watch(DRAM_BASE + 0x1008, 4));
        assert_eq!(hart.run(&mut bus, 1000), Exit::Budget);
        assert!(bus.ram.add_watch(DRAM_BASE + 0x1004, 4));
        let (a0, instret) = (hart.x[10], hart.instret());
        assert_eq!(hart.run(&mut bus, 1000), Exit::Watchpoint);
        assert_eq!(hart.pc, DRAM_BASE + 12, "stopped before the store");
        assert_eq!(
            bus.ram.read(DRAM_BASE + 0x1000, 8),
            Some(a0),
            "store undone"
        );
        assert_eq!(hart.instret(), instret + 2, "addi, nop");
        assert_eq!(hart.csr.mcause, 0, "no trap");
        assert_eq!(bus.ram.take_watch_hit(), Some(DRAM_BASE + 0x1004));
        // Stepping over it runs the store; the loop comes back to it.
        assert_eq!(hart.debug_step(&mut bus), Exit::Budget);
        assert_eq!(bus.ram.read(DRAM_BASE + 0x1000, 8), Some(a0 + 1));
        assert_eq!(hart.run(&mut bus, 1000), Exit::Watchpoint);
        assert_eq!(hart.pc, DRAM_BASE + 12);
    }

    #[test]
    fn debug_translation_follows_the_page_table_without_touching_it() {
        let (mut hart, mut bus) = setup(&LOOP);
        // Sv39: root at +0x2000; 1 GiB leaf for VA 0x4000_0000 -> DRAM_BASE (R, X, no A/D).
        let root = DRAM_BASE + 0x2000;
        let leaf = ((DRAM_BASE >> 12) << 10) | 0b1011;
        bus.ram.write(root + 8, 8, leaf);
        hart.csr.satp = (8 << 60) | (root >> 12);
        assert_eq!(
            hart.debug_translate(&mut bus, 0x4000_0123),
            Some(0x4000_0123)
        );
        hart.privilege = crate::Privilege::Supervisor;
        assert_eq!(
            hart.debug_translate(&mut bus, 0x4000_0123),
            Some(DRAM_BASE + 0x123)
        );
        assert_eq!(hart.debug_translate(&mut bus, 0x8000_0000), None);
        assert_eq!(bus.ram.read(root + 8, 8), Some(leaf), "A/D untouched");
    }

    #[test]
    fn debug_csr_access_works_from_any_privilege() {
        let (mut hart, bus) = setup(&LOOP);
        hart.privilege = crate::Privilege::User;
        assert!(hart.debug_csr_write(&bus, crate::csr::MSCRATCH, 42));
        assert_eq!(hart.debug_csr_read(&bus, crate::csr::MSCRATCH), Some(42));
        assert!(hart.debug_csr_write(&bus, crate::csr::FCSR, 0xff));
        assert_eq!(hart.debug_csr_read(&bus, crate::csr::FRM), Some(7));
        assert_eq!(hart.debug_csr_read(&bus, 0x7ff), None);
        assert!(!hart.debug_csr_write(&bus, crate::csr::MHARTID, 1));
        assert_eq!(hart.privilege, crate::Privilege::User);
    }
}
