//! Hart state, traps, interrupts and the run loop.

use crate::csr::*;
use crate::debug::MARK_RAW;
use crate::decode::decode;
use crate::disasm::{disassemble, REG_NAMES};
use crate::exec::Retired;
use crate::icache::{DecodeCache, Slots};
use crate::inst::{Inst, Op};
#[cfg(threaded_loop)]
use crate::threaded::Threaded;
use crate::trap::Exception;
use emu_mmu::{Access, Bus, PagingMode, Pmp, Tlb};

/// Why [`Hart::run`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// The instruction budget is used up.
    Budget,
    /// The hart executed WFI and no interrupt is pending: the machine may sleep until one is.
    Wfi,
    /// S-mode executed ECALL while [`Hart::host_firmware`] is set: the machine serves the SBI call
    /// (arguments in a0..a7), writes a0/a1 and resumes the hart at pc + 4.
    SbiCall,
    /// The hart is at a debugger breakpoint ([`Hart::set_breakpoints`]): the instruction at pc
    /// has not run.
    Breakpoint,
    /// A store hit a range a debugger watches (`emu_mmu::Ram::add_watch`): an ordinary store was
    /// undone and pc is on it; an AMO, SC or emulated misaligned store has run.
    Watchpoint,
}

/// No LR reservation is held.
pub(crate) const NO_RESERVATION: u64 = u64::MAX;

/// A store tag no TLB tag equals (tags keep bit 0 clear): while a reservation is held, every store
/// takes the slow path.
pub(crate) const NO_STORE_TAG: u64 = 1;

/// One RISC-V hart.
pub struct Hart {
    /// Integer registers; `x[0]` is always zero between instructions.
    pub x: [u64; 32],
    /// Program counter.
    pub pc: u64,
    /// Floating-point registers (F/D, see fpu.rs); single-precision values are NaN-boxed.
    pub f: [u64; 32],
    /// fcsr: frm in bits 7:5, fflags in bits 4:0 (fpu.rs).
    pub(crate) fcsr: u8,
    /// Current privilege level.
    pub privilege: Privilege,
    /// M-mode firmware is host code (the built-in SBI): ECALLs from S-mode return
    /// [`Exit::SbiCall`] instead of trapping to M-mode, and misaligned loads and stores are
    /// emulated, as OpenSBI does for the OS.
    pub host_firmware: bool,
    pub(crate) csr: Csrs,
    pub(crate) hartid: u64,
    /// Interrupt-pending bits driven by devices (MSIP, MTIP, MEIP, SEIP), ORed into mip.
    irq_lines: u64,
    /// Instructions retired since reset (the raw count that cycle and instret derive from).
    pub(crate) steps: u64,
    /// While the page loop runs: `steps` plus its budget, so that `run_base - left` is the count
    /// of retired instructions when `left` of the budget is left (threaded.rs).
    pub(crate) run_base: u64,
    /// The exception a handler of the page loop raised, for its trap path (threaded.rs).
    #[cfg_attr(not(threaded_loop), allow(dead_code))] // the threaded loop's
    pub(crate) trapped: Exception,
    /// minstret = steps + instret_delta while counting; frozen value while inhibited.
    instret_delta: u64,
    cycle_delta: u64,
    /// Aligned address of the LR reservation, or NO_RESERVATION. Set by [`Hart::reserve`] and
    /// cleared by [`Hart::drop_reservation`] only, which keep `store_tag` in step.
    pub(crate) reservation: u64,
    /// Set by instructions that change what interrupts may be taken, or that stop the hart (WFI):
    /// the run loop looks at interrupts again before the next instruction.
    pub(crate) event: bool,
    pub(crate) wfi: bool,
    /// An ECALL from S-mode is waiting for the host firmware.
    pub(crate) sbi_call: bool,
    /// Physical memory protection.
    pub(crate) pmp: Pmp,
    /// Cached translations.
    pub(crate) tlb: Tlb,
    /// The TLB tag bits of the current data-access context (`emu_mmu::ram_context_bits`), for the
    /// load and store fast paths; recomputed at every event.
    pub(crate) data_tag: u64,
    /// What the store fast path compares TLB tags with: `data_tag` while no reservation is held,
    /// else [`NO_STORE_TAG`], so that stores take the slow path, which breaks the reservation.
    pub(crate) store_tag: u64,
    /// The RAM the TLB's host pointers point into (`Ram::identity`).
    tlb_ram: (usize, usize, u64),
    /// The virtual page instructions are being fetched from, and its physical page in RAM: fetch
    /// translates once per page. `NO_PAGE` when unknown; reset by every event (traps, xRET, CSR
    /// writes, SFENCE.VMA), so privilege or translation changes never leave it stale.
    pub(crate) fetch_vpage: u64,
    fetch_ppage: u64,
    /// Decoded slots of the fetch page (meaningful only while `fetch_vpage` is set).
    pub(crate) fetch_slots: Slots,
    /// Decoded instructions, per physical page.
    pub(crate) icache: DecodeCache,
    /// Debugger breakpoints (debug.rs): looked at when a fetch page is set up and on the uncached
    /// fetch path, never on the cached one.
    pub(crate) breakpoints: crate::debug::Breakpoints,
    /// Instructions decoded (misses of the decoded-instruction cache).
    decodes: u64,
    /// Which page loop runs the decoded slots.
    page_loop: PageLoop,
}

/// The two page loops, which run the same instructions with the same results: the threaded one
/// (threaded.rs: a handler per operation, which jumps straight into the next one with a
/// guaranteed tail call) where the compiler could build it (build.rs), else the portable one
/// (portable.rs: one `match` in a loop, plain stable Rust).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageLoop {
    /// Threaded code: the faster one, built only by a compiler that accepts guaranteed tail
    /// calls (nightly, or stable with `RUSTC_BOOTSTRAP=1` as this tree's .cargo/config.toml).
    Threaded,
    /// One `match` in a loop: built everywhere.
    Portable,
}

impl PageLoop {
    /// Whether this build has the loop.
    pub const fn is_built(self) -> bool {
        match self {
            PageLoop::Threaded => cfg!(threaded_loop),
            PageLoop::Portable => true,
        }
    }

    /// Its name, as `--page-loop` takes it.
    pub const fn name(self) -> &'static str {
        match self {
            PageLoop::Threaded => "threaded",
            PageLoop::Portable => "portable",
        }
    }
}

impl Default for PageLoop {
    /// The fastest loop of this build.
    fn default() -> PageLoop {
        if PageLoop::Threaded.is_built() {
            PageLoop::Threaded
        } else {
            PageLoop::Portable
        }
    }
}

/// A hart's counters, for `--stats` and the monitor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HartStats {
    /// Instructions retired.
    pub instret: u64,
    /// Instructions decoded: the decoded-instruction cache's misses.
    pub decodes: u64,
    /// Data and fetch-page translations found in the TLB.
    pub tlb_hits: u64,
    /// Translations that walked the page table.
    pub tlb_misses: u64,
}

/// What [`Hart::fill_slot`] made of an empty slot.
enum Fill {
    /// The slot holds the decoded instruction.
    Decoded,
    /// A debugger's breakpoint marker is there.
    Marker,
    /// The instruction is not all in the page: the page loop leaves it to [`Hart::run`].
    PageEnd,
}

/// An impossible page address (pages are 4 KiB aligned).
pub(crate) const NO_PAGE: u64 = 1;

impl Hart {
    /// A hart in its reset state (M-mode, pc 0), with `mhartid` = `hartid`.
    pub fn new(hartid: u64) -> Hart {
        Hart {
            x: [0; 32],
            pc: 0,
            f: [0; 32],
            fcsr: 0,
            privilege: Privilege::Machine,
            host_firmware: false,
            csr: Csrs::default(),
            hartid,
            irq_lines: 0,
            steps: 0,
            run_base: 0,
            trapped: Exception::IllegalInstruction(0),
            instret_delta: 0,
            cycle_delta: 0,
            reservation: NO_RESERVATION,
            event: true,
            wfi: false,
            sbi_call: false,
            pmp: Pmp::default(),
            tlb: Tlb::default(),
            // Any RAM context tag: empty TLB entries (tag 0) never match it.
            data_tag: emu_mmu::ram_context_bits(0),
            store_tag: emu_mmu::ram_context_bits(0),
            tlb_ram: (0, 0, 0),
            fetch_vpage: NO_PAGE,
            fetch_ppage: 0,
            fetch_slots: Slots(std::ptr::null_mut()),
            icache: DecodeCache::default(),
            breakpoints: Default::default(),
            decodes: 0,
            page_loop: PageLoop::default(),
        }
    }

    /// The page loop that runs this hart's decoded instructions.
    pub fn page_loop(&self) -> PageLoop {
        self.page_loop
    }

    /// Chooses the page loop; `false` (and no change) if this build does not have it.
    pub fn set_page_loop(&mut self, page_loop: PageLoop) -> bool {
        if page_loop.is_built() {
            self.page_loop = page_loop;
        }
        page_loop.is_built()
    }

    /// Instructions retired since reset.
    pub fn instret(&self) -> u64 {
        self.steps
    }

    /// Sets or clears a device-driven interrupt-pending bit (`mip` bit number `irq`: 3 MSIP,
    /// 7 MTIP, 9 SEIP, 11 MEIP). Takes effect at the next [`Hart::run`].
    pub fn set_irq_line(&mut self, irq: u32, level: bool) {
        let bit = 1u64 << irq;
        if level {
            self.irq_lines |= bit;
        } else {
            self.irq_lines &= !bit;
        }
        self.event = true;
    }

    /// `mip` as software reads it.
    pub(crate) fn mip(&self) -> u64 {
        self.csr.mip | self.irq_lines
    }

    /// Executes up to `budget` instructions.
    ///
    /// The loop is block-structured: between events it runs straight from the decoded slots of
    /// fetch pages ([`Hart::run_page`], which jumps from page to page itself) and comes back out
    /// here only when pc reaches code that cannot run from the cache (outside RAM, a fetch fault,
    /// an instruction across two pages), an instruction raises an event (a trap, xRET, a CSR
    /// write, a store to code, WFI, ...), or the budget is spent. Interrupts and the Sstc timer are
    /// looked at here, between blocks.
    pub fn run<B: Bus>(&mut self, bus: &mut B, budget: u64) -> Exit {
        // The caller may have changed anything since the last run (privilege, CSRs, RAM).
        self.event = true;
        self.check_ram(bus);
        // The host clock, read once per run (a machine slice) and only if Sstc needs it: the
        // timer is seen at most one slice late. Reading it at every event took a fifth of the
        // host time of a system-call loop.
        let mut now = None;
        let mut done = 0;
        while done < budget {
            if self.event {
                self.event = false;
                self.fetch_vpage = NO_PAGE;
                self.set_data_context();
                if self.sbi_call {
                    self.sbi_call = false;
                    self.drop_reservation();
                    return Exit::SbiCall;
                }
                if self.breakpoints.hit || bus.ram().watch_hit() {
                    return self.debug_exit();
                }
                self.update_sstc(|| *now.get_or_insert_with(|| bus.time()));
                if self.check_interrupts() {
                    continue;
                }
                if self.wfi {
                    self.wfi = false;
                    if self.mip() & self.csr.mie == 0 {
                        self.drop_reservation();
                        return Exit::Wfi;
                    }
                }
            }
            let pc = self.pc;
            if (pc & !0xfff != self.fetch_vpage && !self.enter_fetch_page(bus, pc))
                || pc & 0xfff == 0xffe
            {
                // Code outside RAM, a fetch fault, or an instruction that may cross into the next
                // page: one instruction the slow way.
                done += 1;
                self.step_uncached(bus);
                continue;
            }
            let limit = budget - done;
            done += limit - self.run_page(bus, limit);
        }
        // Other harts of the machine run next: a reservation must not survive their stores.
        self.drop_reservation();
        if self.breakpoints.hit {
            return self.debug_exit();
        }
        Exit::Budget
    }

    /// Runs instructions from the decoded slots of the fetch page, and of the pages jumps lead to
    /// while they can be fetch pages, at most `limit` (>= 1), until an event. pc must be inside
    /// the fetch page, below its last parcel.
    /// Returns how many of `limit` are left (what ran counts one that trapped): the caller knows
    /// `limit`, so the loop need not keep it.
    ///
    /// Either loop of [`PageLoop`]: in both, pc is not kept per instruction but implied by the
    /// slot, and only instructions that may raise an event look at the event flag.
    #[inline(never)]
    fn run_page<B: Bus>(&mut self, bus: &mut B, limit: u64) -> u64 {
        self.run_base = self.steps + limit;
        #[cfg(threaded_loop)]
        if self.page_loop == PageLoop::Threaded {
            return Threaded::<B>::run(self, bus, self.fetch_slot(self.pc), limit);
        }
        self.run_page_portable(bus, limit)
    }

    /// The slot of `pc`, an address in the fetch page, among the fetch page's slots.
    #[inline(always)]
    pub(crate) fn fetch_slot(&self, pc: u64) -> *mut Inst {
        self.fetch_slots
            .0
            .wrapping_add((pc.wrapping_sub(self.fetch_vpage) >> 1) as usize)
    }

    /// The address of `slot`, one of the fetch page's slots: the inverse of `fetch_slot`.
    #[inline(always)]
    pub(crate) fn fetch_pc(&self, slot: *const Inst) -> u64 {
        let index = (slot as usize - self.fetch_slots.0 as usize) / size_of::<Inst>();
        self.fetch_vpage.wrapping_add(index as u64 * 2)
    }

    /// The trap path of [`Hart::run_page`]'s handlers, with pc and the count of retired instructions
    /// (this one did not retire) written back. An empty slot is filled: `None`, run it. Else
    /// `Some` of how much of the budget went: an exception taken or a breakpoint marker (1),
    /// or nothing ran because pc reached the end of the page or an instruction crossing it (0).
    /// Out of line, so its work stays out of the hot loop.
    #[cold]
    #[inline(never)]
    pub(crate) fn run_page_exception<B: Bus>(
        &mut self,
        bus: &mut B,
        e: Exception,
        slot: &mut Inst,
        pc: u64,
        retired: Retired,
    ) -> Option<u64> {
        self.pc = pc;
        self.steps = retired.count();
        if slot.op == Op::NotDecoded {
            match self.fill_slot(bus, slot, pc.wrapping_sub(self.fetch_vpage)) {
                Fill::Decoded => return None,
                Fill::PageEnd => return Some(0),
                Fill::Marker => {
                    if let Err(e) = self.at_breakpoint_mark(bus) {
                        self.take_exception(e);
                    }
                }
            }
        } else {
            self.take_exception(e);
        }
        Some(1)
    }

    /// Decodes the instruction at offset `off` (<= 0x1000) of the fetch page into its empty
    /// `slot`, unless the slot is a debugger's breakpoint marker, or the instruction is not all
    /// in the page: past its end, or a 4-byte one in its last parcel (run uncached).
    #[inline(never)]
    fn fill_slot<B: Bus>(&mut self, bus: &mut B, slot: &mut Inst, off: u64) -> Fill {
        if slot.raw == MARK_RAW {
            return Fill::Marker;
        }
        let Some(bits) = self.page_bits(bus, off) else {
            return Fill::PageEnd;
        };
        *slot = decode(bits);
        self.decodes += 1;
        self.fuse_ahead(bus, slot, off);
        Fill::Decoded
    }

    /// Fuses `first`, just decoded at offset `off` of the fetch page, with the instruction after
    /// it if they make a pair, and that pair with the instruction after them if they make a
    /// triple (fusion.rs). A fused operation runs the later instructions from their own slots, so
    /// those slots are filled first if they are empty, and then looked at in turn, and so on: a
    /// loop's first instruction is often reached first as the second of a pair, and then jumped
    /// to. Never past the page or onto a debugger's breakpoint marker.
    fn fuse_ahead<B: Bus>(&mut self, bus: &mut B, first: &mut Inst, off: u64) {
        let (mut inst, mut off) = (first, off);
        // The slot before `inst`, if it holds a pair that `inst` ends.
        let mut pair: Option<&mut Inst> = None;
        loop {
            let leads = crate::fusion::leads(inst.op);
            let next_off = off + inst.len() as u64;
            if !(leads || pair.is_some()) || next_off >= 0x1000 {
                return;
            }
            // SAFETY: `fetch_slots` points to the SLOTS + 1 slots of the fetch page (as in
            // `run_page`), next_off / 2 < SLOTS, and this slot is neither `inst`'s nor `pair`'s.
            let next = unsafe { &mut *self.fetch_slots.0.add((next_off >> 1) as usize) };
            let empty = next.op == Op::NotDecoded;
            if empty {
                let Some(bits) = self
                    .page_bits(bus, next_off)
                    .filter(|_| next.raw != MARK_RAW)
                else {
                    return;
                };
                *next = decode(bits);
                self.decodes += 1;
            }
            let third = next.op.unfused();
            if let Some(op) =
                pair.and_then(|p| crate::fusion::fuse_third(p.op, third).map(|t| (p, t)))
            {
                op.0.set_op(op.1);
            }
            pair = None;
            if leads {
                if let Some(op) = crate::fusion::fuse(inst.op, third) {
                    inst.set_op(op);
                    pair = Some(inst);
                }
            }
            if !empty && pair.is_none() {
                return;
            }
            (inst, off) = (next, next_off);
        }
    }

    /// The bits of the instruction at offset `off` (<= 0x1000) of the fetch page, unless it is not
    /// all in the page: past its end, or a 4-byte one in its last parcel.
    fn page_bits<B: Bus>(&self, bus: &mut B, off: u64) -> Option<u32> {
        if off >= 0x1000 {
            return None;
        }
        // The whole page is RAM (checked when it became the fetch page).
        let ram = bus.ram();
        let parcel = ram.read(self.fetch_ppage | off, 2).unwrap_or(0) as u32;
        if parcel & 3 != 3 {
            Some(parcel)
        } else if off == 0xffe {
            None
        } else {
            Some(ram.read(self.fetch_ppage | off, 4).unwrap_or(0) as u32)
        }
    }

    /// Makes the page of `pc` the fetch page, from the recent fetch pages when it can (a lookup and
    /// a generation compare), else by translating it. `false` if it cannot be cached (a fault, not
    /// RAM, or PMP does not allow fetching the whole page): the instruction then runs uncached.
    #[inline(always)]
    pub(crate) fn enter_fetch_page<B: Bus>(&mut self, bus: &mut B, pc: u64) -> bool {
        self.enter_recent_fetch_page(bus, pc) || self.enter_fetch_page_slow(bus, pc & !0xfff)
    }

    /// The first half of [`Hart::enter_fetch_page`]: from the recent fetch pages only.
    #[inline(always)]
    pub(crate) fn enter_recent_fetch_page<B: Bus>(&mut self, bus: &mut B, pc: u64) -> bool {
        let vpage = pc & !0xfff;
        if self.breakpoints.is_empty() {
            if let Some((ppage, slots, generation)) =
                self.icache.recent.lookup(vpage, self.privilege as u64)
            {
                if bus.ram().code_generation(ppage) == generation {
                    self.fetch_vpage = vpage;
                    self.fetch_ppage = ppage;
                    self.fetch_slots = slots;
                    return true;
                }
            }
        }
        false
    }

    /// The second half of [`Hart::enter_fetch_page`]: by translating `vpage`.
    #[inline(never)]
    pub(crate) fn enter_fetch_page_slow<B: Bus>(&mut self, bus: &mut B, vpage: u64) -> bool {
        match self.translate(bus, vpage, 2, Access::Fetch) {
            Ok(paddr) => self.set_fetch_page(bus, vpage, paddr & !0xfff),
            Err(_) => false,
        }
    }

    /// Sets up virtual page `vpage`, which translates to physical `page`, as the fetch page if it
    /// is RAM and PMP allows fetching all of it. Returns whether it did.
    fn set_fetch_page<B: Bus>(&mut self, bus: &mut B, vpage: u64, page: u64) -> bool {
        let machine = self.privilege == Privilege::Machine;
        if bus.ram().offset(page, 4096).is_none()
            || !self.pmp.check(page, 4096, Access::Fetch, machine)
        {
            return false;
        }
        let ram = bus.ram();
        let generation = ram.code_generation(page);
        ram.mark_code(page);
        self.fetch_slots = self.icache.page(page, generation);
        self.fetch_vpage = vpage;
        self.fetch_ppage = page;
        self.icache.recent.insert(
            vpage,
            self.privilege as u64,
            page,
            self.fetch_slots,
            generation,
        );
        if !self.breakpoints.is_empty() {
            self.breakpoints.mark(self.fetch_slots, self.fetch_vpage);
        }
        true
    }

    /// Runs the instruction at pc without the decoded-instruction cache.
    #[inline(never)]
    fn step_uncached<B: Bus>(&mut self, bus: &mut B) {
        let result = if self.breakpoints.is_empty() {
            self.execute_uncached(bus)
        } else {
            self.at_breakpoint_mark(bus)
        };
        if let Err(e) = result {
            self.take_exception(e);
        }
    }

    /// Drops the TLB's host pointers if `bus` has another RAM than the one they were made for, so
    /// that they never point into a RAM that is gone. Every way into execution calls it first.
    fn check_ram<B: Bus>(&mut self, bus: &mut B) {
        let ram = bus.ram().identity();
        if ram != self.tlb_ram {
            self.tlb.flush();
            self.icache.recent.flush();
            self.tlb_ram = ram;
        }
    }

    /// Ends a run at a breakpoint, or after a store into a watched range (debug.rs).
    #[cold]
    fn debug_exit(&mut self) -> Exit {
        self.drop_reservation();
        if std::mem::take(&mut self.breakpoints.hit) {
            Exit::Breakpoint
        } else {
            Exit::Watchpoint
        }
    }

    /// Sstc: while menvcfg.STCE is set, STIP is (time >= stimecmp). Called between blocks.
    /// `time` is asked for only while Sstc is on: reading the host clock is not free.
    #[inline(always)]
    pub(crate) fn update_sstc(&mut self, time: impl FnOnce() -> u64) {
        if self.csr.menvcfg & MENVCFG_STCE != 0 {
            let bit = IRQ_STI;
            if time() >= self.csr.stimecmp {
                self.irq_lines |= bit;
            } else {
                self.irq_lines &= !bit;
            }
        }
    }

    /// The time at which this hart's Sstc timer fires, if it is armed: the machine sleeps no
    /// longer than that in WFI.
    pub fn sstc_deadline(&self) -> Option<u64> {
        (self.csr.menvcfg & MENVCFG_STCE != 0 && self.csr.stimecmp != u64::MAX)
            .then_some(self.csr.stimecmp)
    }

    /// Starts the budget over: the machine calls this each slice so the Sstc check runs.
    pub fn poke(&mut self) {
        self.event = true;
    }

    /// Like [`Hart::run`], writing one line per executed instruction to `out`: pc, raw bits,
    /// disassembly, and the register written; traps get a line of their own.
    pub fn run_traced<B: Bus>(
        &mut self,
        bus: &mut B,
        budget: u64,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<Exit> {
        // As in `run`: the caller may have changed anything since the last run.
        self.event = true;
        self.check_ram(bus);
        for _ in 0..budget {
            if self.event {
                self.event = false;
                self.fetch_vpage = NO_PAGE;
                self.set_data_context();
                if self.sbi_call {
                    self.sbi_call = false;
                    self.drop_reservation();
                    return Ok(Exit::SbiCall);
                }
                if bus.ram().watch_hit() {
                    return Ok(self.debug_exit());
                }
                self.update_sstc(|| bus.time());
                let pc = self.pc;
                if self.check_interrupts() {
                    writeln!(
                        out,
                        "interrupt at {pc:#018x}: mcause/scause {:#x} -> pc {:#018x}",
                        self.last_cause(),
                        self.pc
                    )?;
                }
                if self.wfi {
                    self.wfi = false;
                    if self.mip() & self.csr.mie == 0 {
                        self.drop_reservation();
                        return Ok(Exit::Wfi);
                    }
                }
            }
            let pc = self.pc;
            if !self.breakpoints.is_empty() && self.breakpoints.stops_at(pc) {
                return Ok(Exit::Breakpoint);
            }
            let before = self.x;
            match self.fetch(bus) {
                Ok(bits) => {
                    let inst = decode(bits);
                    let text = disassemble(&inst, pc);
                    let raw = if inst.len() == 2 {
                        format!("({:#06x})    ", inst.raw)
                    } else {
                        format!("({:#010x})", inst.raw)
                    };
                    let mut next = pc;
                    let result = self.execute(bus, &inst, &mut next, Retired::exact(self.steps));
                    write!(out, "{pc:#018x} {raw} {text:<32}")?;
                    match result {
                        Ok(()) => {
                            self.pc = next;
                            self.steps += 1;
                            if let Some(r) = (1..32).find(|&r| self.x[r] != before[r]) {
                                write!(out, " {}={:#x}", REG_NAMES[r], self.x[r])?;
                            }
                            writeln!(out)?;
                        }
                        Err(e) => {
                            writeln!(out, " trap {e:?}")?;
                            self.take_exception(e);
                        }
                    }
                }
                Err(e) => {
                    writeln!(out, "{pc:#018x} fetch trap {e:?}")?;
                    self.take_exception(e);
                }
            }
        }
        // As in `run`: other harts run next, and their stores must break the reservation.
        self.drop_reservation();
        Ok(Exit::Budget)
    }

    fn last_cause(&self) -> u64 {
        if self.privilege == Privilege::Supervisor {
            self.csr.scause
        } else {
            self.csr.mcause
        }
    }

    /// At a breakpoint marker of the decoded-instruction cache, or at a breakpoint on the uncached
    /// path: stops if a breakpoint is at this very pc (the run returns [`Exit::Breakpoint`]), else
    /// (another virtual alias of the page, or stepping off the breakpoint) runs the instruction
    /// without caching it.
    #[cold]
    fn at_breakpoint_mark<B: Bus>(&mut self, bus: &mut B) -> Result<(), Exception> {
        if self.breakpoints.stops_at(self.pc) {
            self.breakpoints.hit = true;
            self.event = true;
            return Ok(());
        }
        self.execute_uncached(bus)
    }

    /// Fetches, decodes and executes the instruction at pc, bypassing the decoded-instruction
    /// cache.
    fn execute_uncached<B: Bus>(&mut self, bus: &mut B) -> Result<(), Exception> {
        let inst = decode(self.fetch(bus)?);
        self.decodes += 1;
        let mut pc = self.pc;
        let r = self.execute(bus, &inst, &mut pc, Retired::exact(self.steps));
        r?;
        self.pc = pc;
        self.steps += 1;
        Ok(())
    }

    /// Fetches the instruction at pc: 16 bits, or 32 if the low bits say so. Within the current
    /// fetch page this is a RAM read; a new page, or a 32-bit instruction straddling two pages,
    /// takes the slow path, which translates (and fetches the second half separately, so a
    /// compressed instruction at the end of a page never faults on the next page).
    #[inline(always)]
    pub(crate) fn fetch<B: Bus>(&mut self, bus: &mut B) -> Result<u32, Exception> {
        let pc = self.pc;
        if pc & !0xfff == self.fetch_vpage && pc & 0xfff <= 0xffc {
            if let Some(bits) = bus.ram().read(self.fetch_ppage | (pc & 0xfff), 4) {
                return Ok(bits as u32);
            }
        }
        self.fetch_slow(bus, pc)
    }

    #[cold]
    fn fetch_slow<B: Bus>(&mut self, bus: &mut B, pc: u64) -> Result<u32, Exception> {
        let lo = self.fetch_half(bus, pc)?;
        if lo & 3 != 3 {
            return Ok(lo);
        }
        let hi = self.fetch_half(bus, pc.wrapping_add(2))?;
        Ok(lo | (hi << 16))
    }

    fn fetch_half<B: Bus>(&mut self, bus: &mut B, vaddr: u64) -> Result<u32, Exception> {
        let paddr = self.translate(bus, vaddr, 2, Access::Fetch)?;
        // Remember the page for the fast path if it is RAM and PMP allows fetching all of it.
        self.set_fetch_page(bus, vaddr & !0xfff, paddr & !0xfff);
        if let Some(v) = bus.ram().read(paddr, 2) {
            return Ok(v as u32);
        }
        bus.fetch(paddr, 2)
            .map(|v| v as u32)
            .map_err(|_| Exception::InstructionAccessFault(vaddr))
    }

    /// The privilege that loads and stores use: MPP while M-mode has MPRV set (spec 3.1.6.3).
    #[inline(always)]
    pub(crate) fn data_privilege(&self) -> Privilege {
        if self.privilege == Privilege::Machine && self.csr.mstatus & MSTATUS_MPRV != 0 {
            Privilege::from_bits((self.csr.mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT)
                .unwrap_or(Privilege::User)
        } else {
            self.privilege
        }
    }

    /// Translates `vaddr` for an access of `size` bytes (which never crosses a page: misaligned
    /// accesses trap before they get here) and checks PMP. Returns the physical address or the
    /// page-fault / access-fault exception of the access type.
    #[inline(always)]
    pub(crate) fn translate<B: Bus>(
        &mut self,
        bus: &mut B,
        vaddr: u64,
        size: u64,
        access: Access,
    ) -> Result<u64, Exception> {
        let privilege = if access == Access::Fetch {
            self.privilege
        } else {
            self.data_privilege()
        };
        let ctx = self.tlb_context(privilege);
        if let Some(paddr) = self.tlb.lookup(access, vaddr, ctx) {
            return Ok(paddr);
        }
        self.translate_slow(bus, vaddr, size, access, privilege, ctx)
    }

    /// The TLB context of an access at `privilege`: what its permission checks depend on.
    #[inline(always)]
    fn tlb_context(&self, privilege: Privilege) -> u64 {
        let status = self.csr.mstatus;
        (privilege as u64) | ((status >> 18) & 1) << 2 | ((status >> 19) & 1) << 3
    }

    /// Computes what the load and store fast paths compare TLB tags with. Called at every event:
    /// everything it depends on (privilege, mstatus) changes only in instructions that raise one.
    #[inline(always)]
    fn set_data_context(&mut self) {
        self.data_tag = emu_mmu::ram_context_bits(self.tlb_context(self.data_privilege()));
        self.store_tag = if self.reservation == NO_RESERVATION {
            self.data_tag
        } else {
            NO_STORE_TAG
        };
    }

    /// Holds an LR reservation of the aligned address `paddr`.
    #[inline(always)]
    pub(crate) fn reserve(&mut self, paddr: u64) {
        self.reservation = paddr;
        self.store_tag = NO_STORE_TAG;
    }

    /// Drops the LR reservation, if one is held.
    #[inline(always)]
    pub(crate) fn drop_reservation(&mut self) {
        self.reservation = NO_RESERVATION;
        self.store_tag = self.data_tag;
    }

    #[cold]
    fn translate_slow<B: Bus>(
        &mut self,
        bus: &mut B,
        vaddr: u64,
        size: u64,
        access: Access,
        privilege: Privilege,
        ctx: u64,
    ) -> Result<u64, Exception> {
        let machine = privilege == Privilege::Machine;
        if machine || self.csr.satp >> SATP_MODE_SHIFT == 0 {
            // Untranslated: cached as an identity entry when PMP allows the access on the whole
            // page, so PMP is checked once per page.
            let page = vaddr & !0xfff;
            if !self.pmp.applies(machine) || self.pmp.check(page, 4096, access, machine) {
                let host = bus.ram().host_page(page);
                self.tlb.insert(access, vaddr, ctx, vaddr, host);
            } else if !self.pmp.check(vaddr, size, access, machine) {
                return Err(access_fault(access, vaddr));
            }
            return Ok(vaddr);
        }
        let satp = self.csr.satp;
        let mode = PagingMode::from_satp_mode(satp >> SATP_MODE_SHIFT)
            .expect("satp holds only supported modes");
        let who = emu_mmu::Requester {
            user: privilege == Privilege::User,
            sum: self.csr.mstatus & MSTATUS_SUM != 0,
            mxr: self.csr.mstatus & MSTATUS_MXR != 0,
        };
        let pmp = &self.pmp;
        let pte_allowed = |addr: u64, write: bool| {
            pmp.check(
                addr,
                8,
                if write { Access::Store } else { Access::Load },
                false,
            )
        };
        let t = emu_mmu::walk(
            bus.ram(),
            mode,
            satp & ((1 << 44) - 1),
            vaddr,
            access,
            who,
            pte_allowed,
        )
        .map_err(|f| match f {
            emu_mmu::WalkFault::Page => page_fault(access, vaddr),
            emu_mmu::WalkFault::Access => access_fault(access, vaddr),
        })?;
        let page = t.paddr & !0xfff;
        if self.pmp.check(page, 4096, access, false) {
            // A store must not be cached from a walk that did not set D; walk() always sets it
            // on a store, and A on every access, so the cached permission is exact.
            let host = bus.ram().host_page(t.paddr);
            self.tlb.insert(access, vaddr, ctx, t.paddr, host);
        } else if !self.pmp.check(t.paddr, size, access, false) {
            return Err(access_fault(access, vaddr));
        }
        Ok(t.paddr)
    }

    /// Takes the highest-priority pending and enabled interrupt, if any (spec 3.1.9).
    /// Returns whether one was taken.
    fn check_interrupts(&mut self) -> bool {
        let pending = self.mip() & self.csr.mie;
        // A debugger's single step takes no interrupt (debug.rs).
        if pending == 0 || self.breakpoints.ignore {
            return false;
        }
        let mstatus = self.csr.mstatus;
        let m_enabled = self.privilege < Privilege::Machine || mstatus & MSTATUS_MIE != 0;
        let s_enabled = self.privilege < Privilege::Supervisor
            || (self.privilege == Privilege::Supervisor && mstatus & MSTATUS_SIE != 0);
        let m_pending = if m_enabled {
            pending & !self.csr.mideleg
        } else {
            0
        };
        let s_pending = if s_enabled {
            pending & self.csr.mideleg
        } else {
            0
        };
        let candidates = if m_pending != 0 { m_pending } else { s_pending };
        if candidates == 0 {
            return false;
        }
        let irq = IRQ_PRIORITY
            .iter()
            .copied()
            .find(|&i| candidates & (1 << i) != 0)
            .expect("a pending bit is a known interrupt");
        self.trap(irq as u64 | (1 << 63), 0, true);
        true
    }

    /// Enters the trap handler for a synchronous exception.
    pub(crate) fn take_exception(&mut self, e: Exception) {
        // Not a trap: a store stopped for a debugger's watchpoint (debug.rs).
        if std::mem::take(&mut self.breakpoints.watch_stop) {
            return;
        }
        if e == Exception::EcallFromS && self.host_firmware {
            self.sbi_call = true;
            self.event = true;
            return;
        }
        self.trap(e.code(), e.tval(), false);
    }

    /// Sets up the state M-mode firmware leaves for an OS, when the firmware is host code:
    /// delegation of every exception the OS handles and of the S-level interrupts, counters and
    /// Sstc enabled for S-mode, and the hart in S-mode at `entry` with a0 = hartid, a1 = `dtb`.
    pub fn enter_supervisor(&mut self, entry: u64, dtb: u64) {
        self.host_firmware = true;
        // Everything but ECALL from S and M (served by the host) and misaligned loads/stores
        // (emulated), as OpenSBI delegates.
        self.csr.medeleg = MEDELEG_WRITABLE & !((1 << 9) | (1 << 4) | (1 << 6));
        self.csr.mideleg = IRQ_S;
        self.csr.mcounteren = 0xffff_ffff;
        // U-mode reads of cycle/time/instret (the vDSO's rdtime) need scounteren too, and Linux
        // leaves it to the firmware, as OpenSBI sets it.
        self.csr.scounteren = 7;
        self.csr.menvcfg = MENVCFG_STCE;
        self.csr.stimecmp = u64::MAX;
        self.pmp.allow_all();
        self.x[10] = self.hartid;
        self.x[11] = dtb;
        self.pc = entry;
        self.privilege = Privilege::Supervisor;
        self.event = true;
    }

    /// The hart's id (`mhartid`).
    pub fn hartid(&self) -> u64 {
        self.hartid
    }

    // What M-mode firmware does to a hart, for the built-in SBI.

    /// Sets pending bit `irq` of `mip` (e.g. SSIP for an SBI IPI), as M-mode software can.
    pub fn firmware_raise(&mut self, irq: u32) {
        self.csr.mip |= 1 << irq;
        self.event = true;
    }

    /// Programs the supervisor timer (SBI `set_timer`): the same comparator Sstc's stimecmp is.
    pub fn firmware_set_timer(&mut self, deadline: u64) {
        self.csr.stimecmp = deadline;
        self.irq_lines &= !IRQ_STI;
        self.event = true;
    }

    /// Forgets every cached translation (SBI remote SFENCE.VMA).
    pub fn flush_tlb(&mut self) {
        self.tlb.flush();
        self.icache.recent.flush();
        self.event = true;
    }

    /// Makes the hart look again at the code it runs, as FENCE.I does (SBI remote FENCE.I):
    /// decoded pages that other harts or devices wrote are re-decoded.
    pub fn fence_i(&mut self) {
        self.event = true;
    }

    /// The hart's counters.
    pub fn stats(&self) -> HartStats {
        HartStats {
            instret: self.steps,
            decodes: self.decodes,
            tlb_hits: self.tlb.hits,
            tlb_misses: self.tlb.misses,
        }
    }

    /// Number of physical pages of decoded code the hart holds.
    pub fn decoded_pages(&self) -> usize {
        self.icache.pages()
    }

    /// Interrupts pending and enabled in `mie` (what wakes a hart from WFI).
    pub fn wakeup_pending(&self) -> bool {
        self.mip() & self.csr.mie != 0
    }

    /// Whether any interrupt is enabled in `mie`: if none is, nothing can end a WFI, and the
    /// machine treats it as a no-op rather than sleeping forever.
    pub fn wfi_can_wake(&self) -> bool {
        self.csr.mie != 0
    }

    /// Trap entry (spec 3.1.6.1, 3.1.7, 4.1.1): picks M or S by delegation, saves pc, cause, tval
    /// and the interrupt-enable stack, and jumps to the (possibly vectored) handler.
    fn trap(&mut self, cause: u64, tval: u64, interrupt: bool) {
        let code = cause & !(1 << 63);
        let deleg = if interrupt {
            self.csr.mideleg
        } else {
            self.csr.medeleg
        };
        let to_s = self.privilege <= Privilege::Supervisor && (deleg >> code) & 1 != 0;
        self.drop_reservation();
        self.event = true;
        let status = self.csr.mstatus;
        if to_s {
            self.csr.scause = cause;
            self.csr.sepc = self.pc;
            self.csr.stval = tval;
            let spp = if self.privilege == Privilege::Supervisor {
                MSTATUS_SPP
            } else {
                0
            };
            let spie = if status & MSTATUS_SIE != 0 {
                MSTATUS_SPIE
            } else {
                0
            };
            self.csr.mstatus = (status & !(MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE)) | spp | spie;
            self.privilege = Privilege::Supervisor;
            self.pc = trap_vector(self.csr.stvec, code, interrupt);
        } else {
            self.csr.mcause = cause;
            self.csr.mepc = self.pc;
            self.csr.mtval = tval;
            let mpp = (self.privilege as u64) << MSTATUS_MPP_SHIFT;
            let mpie = if status & MSTATUS_MIE != 0 {
                MSTATUS_MPIE
            } else {
                0
            };
            self.csr.mstatus = (status & !(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE)) | mpp | mpie;
            self.privilege = Privilege::Machine;
            self.pc = trap_vector(self.csr.mtvec, code, interrupt);
        }
    }

    /// MRET (spec 3.3.2).
    pub(crate) fn mret(&mut self) {
        let s = self.csr.mstatus;
        let mpp =
            Privilege::from_bits((s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT).unwrap_or(Privilege::User);
        let mut new = s & !(MSTATUS_MPP | MSTATUS_MIE);
        if s & MSTATUS_MPIE != 0 {
            new |= MSTATUS_MIE;
        }
        new |= MSTATUS_MPIE;
        if mpp != Privilege::Machine {
            new &= !MSTATUS_MPRV;
        }
        self.csr.mstatus = new;
        self.privilege = mpp;
        self.pc = self.csr.mepc;
        self.drop_reservation();
        self.event = true;
    }

    /// SRET (spec 4.1.1; 3.1.6.5 for TSR).
    pub(crate) fn sret(&mut self) {
        let s = self.csr.mstatus;
        let spp = if s & MSTATUS_SPP != 0 {
            Privilege::Supervisor
        } else {
            Privilege::User
        };
        let mut new = s & !(MSTATUS_SPP | MSTATUS_SIE | MSTATUS_MPRV);
        if s & MSTATUS_SPIE != 0 {
            new |= MSTATUS_SIE;
        }
        new |= MSTATUS_SPIE;
        self.csr.mstatus = new;
        self.privilege = spp;
        self.pc = self.csr.sepc;
        self.drop_reservation();
        self.event = true;
    }

    /// The value of a counter CSR (cycle or instret family), as M-mode reads it.
    fn counter(&self, csr: u16) -> u64 {
        match csr & 0x1f {
            0 => {
                if self.csr.mcountinhibit & 1 != 0 {
                    self.cycle_delta
                } else {
                    self.steps.wrapping_add(self.cycle_delta)
                }
            }
            2 => {
                if self.csr.mcountinhibit & 4 != 0 {
                    self.instret_delta
                } else {
                    self.steps.wrapping_add(self.instret_delta)
                }
            }
            _ => 0,
        }
    }

    /// Sets a counter so that the next instruction reads `value` (the writing instruction itself
    /// retires after the write, so a running counter is set one lower).
    fn set_counter(&mut self, which: u32, value: u64, inhibited: bool) {
        let adjusted = if inhibited {
            value
        } else {
            value.wrapping_sub(self.steps).wrapping_sub(1)
        };
        if which == 0 {
            self.cycle_delta = adjusted;
        } else {
            self.instret_delta = adjusted;
        }
    }

    /// Reads a CSR for an instruction at the current privilege, or the exception the access raises.
    /// `raw` is the instruction, for the illegal-instruction tval.
    pub(crate) fn csr_read<B: Bus>(&self, bus: &B, csr: u16, raw: u32) -> Result<u64, Exception> {
        let illegal = Exception::IllegalInstruction(raw);
        if (self.privilege as u16) < (csr >> 8) & 3 {
            return Err(illegal);
        }
        let c = &self.csr;
        Ok(match csr {
            CYCLE | TIME | INSTRET | HPMCOUNTER3..=HPMCOUNTER31 => {
                let bit = 1u64 << (csr & 0x1f);
                if (self.privilege < Privilege::Machine && c.mcounteren & bit == 0)
                    || (self.privilege < Privilege::Supervisor && c.scounteren & bit == 0)
                {
                    return Err(illegal);
                }
                if csr == TIME {
                    bus.time()
                } else {
                    self.counter(csr)
                }
            }
            MCYCLE | MINSTRET | MHPMCOUNTER3..=MHPMCOUNTER31 => self.counter(csr),
            // F/D CSRs: illegal while mstatus.FS is Off (fpu.rs).
            FFLAGS | FRM | FCSR => self.fp_csr_read(csr).ok_or(illegal)?,
            SSTATUS => c.mstatus_read() & SSTATUS_MASK,
            SIE => c.mie & c.mideleg,
            STVEC => c.stvec,
            SCOUNTEREN => c.scounteren,
            SENVCFG => c.senvcfg,
            SSCRATCH => c.sscratch,
            SEPC => c.sepc,
            SCAUSE => c.scause,
            STVAL => c.stval,
            SIP => self.mip() & c.mideleg,
            SATP => {
                if self.privilege == Privilege::Supervisor && c.mstatus & MSTATUS_TVM != 0 {
                    return Err(illegal);
                }
                c.satp
            }
            MVENDORID | MARCHID | MIMPID | MCONFIGPTR => 0,
            MHARTID => self.hartid,
            MSTATUS => c.mstatus_read(),
            MISA => MISA_VALUE,
            MEDELEG => c.medeleg,
            MIDELEG => c.mideleg,
            MIE => c.mie,
            MTVEC => c.mtvec,
            MCOUNTEREN => c.mcounteren,
            MENVCFG => c.menvcfg,
            STIMECMP => {
                if self.privilege < Privilege::Machine
                    && (c.menvcfg & MENVCFG_STCE == 0 || c.mcounteren & 2 == 0)
                {
                    return Err(illegal);
                }
                c.stimecmp
            }
            MCOUNTINHIBIT => c.mcountinhibit,
            MHPMEVENT3..=MHPMEVENT31 => 0,
            MSCRATCH => c.mscratch,
            MEPC => c.mepc,
            MCAUSE => c.mcause,
            MTVAL => c.mtval,
            MIP => self.mip(),
            PMPCFG0..=PMPCFG15 => match csr - PMPCFG0 {
                0 => self.pmp.cfg_csr(0),
                2 => self.pmp.cfg_csr(1),
                // Odd pmpcfg registers do not exist on RV64; the others exist and read zero
                // (no PMP entries beyond 16).
                n if n & 1 == 1 => return Err(illegal),
                _ => 0,
            },
            PMPADDR0..=PMPADDR63 => {
                let i = (csr - PMPADDR0) as usize;
                if i < emu_mmu::PMP_ENTRIES {
                    self.pmp.addr_csr(i)
                } else {
                    0
                }
            }
            MSECCFG => c.mseccfg,
            // The debug trigger module exists but has no triggers (tdata1 type 0: none).
            TSELECT | TDATA1 | TDATA2 | TDATA3 => 0,
            TINFO => 1,
            _ => return Err(illegal),
        })
    }

    /// Writes a CSR (after [`Hart::csr_read`] checked that it exists and is accessible), applying
    /// its WARL rules. Writes to read-only CSRs are illegal.
    pub(crate) fn csr_write(&mut self, csr: u16, value: u64, raw: u32) -> Result<(), Exception> {
        if csr >> 10 == 3 {
            return Err(Exception::IllegalInstruction(raw));
        }
        self.event = true;
        let c = &mut self.csr;
        match csr {
            FFLAGS | FRM | FCSR => self.fp_csr_write(csr, value),
            SSTATUS => {
                let m = c.mstatus_read();
                c.mstatus_write((m & !SSTATUS_MASK) | (value & SSTATUS_MASK));
            }
            SIE => c.mie = (c.mie & !c.mideleg) | (value & c.mideleg & IRQ_S),
            STVEC => c.stvec = legal_tvec(c.stvec, value),
            SCOUNTEREN => c.scounteren = value & 0xffff_ffff,
            SENVCFG => c.senvcfg = 0,
            SSCRATCH => c.sscratch = value,
            SEPC => c.sepc = value & !1,
            SCAUSE => c.scause = value,
            STVAL => c.stval = value,
            SIP => c.mip = (c.mip & !(c.mideleg & IRQ_SSI)) | (value & c.mideleg & IRQ_SSI),
            SATP => {
                // Bare, Sv39, Sv48 and Sv57; a write selecting another mode has no effect (WARL).
                // ASIDs are not kept apart in the TLB, so any write flushes it.
                let mode = value >> SATP_MODE_SHIFT;
                if mode == 0 || PagingMode::from_satp_mode(mode).is_some() {
                    c.satp = value;
                    self.tlb.flush();
                    self.icache.recent.flush();
                }
            }
            MSTATUS => c.mstatus_write(value),
            MISA => {}
            MEDELEG => c.medeleg = value & MEDELEG_WRITABLE,
            MIDELEG => c.mideleg = value & IRQ_S,
            MIE => c.mie = value & IRQ_ALL,
            MTVEC => c.mtvec = legal_tvec(c.mtvec, value),
            MCOUNTEREN => c.mcounteren = value & 0xffff_ffff,
            MENVCFG => {
                c.menvcfg = value & MENVCFG_STCE;
                if c.menvcfg & MENVCFG_STCE == 0 {
                    self.irq_lines &= !IRQ_STI;
                }
            }
            STIMECMP => c.stimecmp = value,
            MCOUNTINHIBIT => {
                // Freeze or resume the counters so that their values are continuous.
                let new = value & 0b101;
                let changed = c.mcountinhibit ^ new;
                let (cycle, instret) = (self.counter(MCYCLE), self.counter(MINSTRET));
                self.csr.mcountinhibit = new;
                if changed & 1 != 0 {
                    self.set_counter(0, cycle, new & 1 != 0);
                }
                if changed & 4 != 0 {
                    self.set_counter(2, instret, new & 4 != 0);
                }
            }
            MHPMEVENT3..=MHPMEVENT31 | MHPMCOUNTER3..=MHPMCOUNTER31 => {}
            MSCRATCH => c.mscratch = value,
            MEPC => c.mepc = value & !1,
            MCAUSE => c.mcause = value,
            MTVAL => c.mtval = value,
            MIP => c.mip = value & IRQ_S,
            MCYCLE => {
                let inhibited = c.mcountinhibit & 1 != 0;
                self.set_counter(0, value, inhibited);
            }
            MINSTRET => {
                let inhibited = c.mcountinhibit & 4 != 0;
                self.set_counter(2, value, inhibited);
            }
            PMPCFG0..=PMPCFG15 => {
                match csr - PMPCFG0 {
                    0 => self.pmp.set_cfg_csr(0, value),
                    2 => self.pmp.set_cfg_csr(1, value),
                    _ => {}
                }
                self.tlb.flush();
                self.icache.recent.flush();
            }
            PMPADDR0..=PMPADDR63 => {
                let i = (csr - PMPADDR0) as usize;
                if i < emu_mmu::PMP_ENTRIES {
                    self.pmp.set_addr_csr(i, value);
                }
                self.tlb.flush();
                self.icache.recent.flush();
            }
            MSECCFG => c.mseccfg = 0,
            TSELECT | TDATA1 | TDATA2 | TDATA3 | TINFO => {}
            _ => return Err(Exception::IllegalInstruction(raw)),
        }
        Ok(())
    }
}

/// Where a trap to a handler at `tvec` goes: base, or base + 4*cause for interrupts in vectored
/// mode (spec 3.1.7).
fn trap_vector(tvec: u64, code: u64, interrupt: bool) -> u64 {
    let base = tvec & !3;
    if interrupt && tvec & 3 == 1 {
        base.wrapping_add(4 * code)
    } else {
        base
    }
}

/// mtvec/stvec are WARL: modes 2 and 3 are reserved, and a write selecting one is ignored.
fn legal_tvec(old: u64, value: u64) -> u64 {
    if value & 3 < 2 {
        value
    } else {
        old
    }
}

/// The page-fault exception of an access type.
pub(crate) fn page_fault(access: Access, vaddr: u64) -> Exception {
    match access {
        Access::Fetch => Exception::InstructionPageFault(vaddr),
        Access::Load => Exception::LoadPageFault(vaddr),
        Access::Store => Exception::StorePageFault(vaddr),
    }
}

/// The access-fault exception of an access type.
pub(crate) fn access_fault(access: Access, vaddr: u64) -> Exception {
    match access {
        Access::Fetch => Exception::InstructionAccessFault(vaddr),
        Access::Load => Exception::LoadAccessFault(vaddr),
        Access::Store => Exception::StoreAccessFault(vaddr),
    }
}
