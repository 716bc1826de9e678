//! The executor: one decoded instruction at a time.
//!
//! Misaligned accesses trap, as on Spike (without `--misaligned`) and QEMU, and as the official
//! riscv-tests `ma_addr` expects: loads and LR raise load-address-misaligned (cause 4), stores, SC
//! and AMOs raise store/AMO-address-misaligned (cause 6), with the address in `xtval`. M-mode
//! firmware emulates them for the OS, as OpenSBI does. AMOs and LR/SC outside RAM raise an access
//! fault.

use crate::csr::*;
use crate::hart::{access_fault, Hart, NO_RESERVATION};
use crate::inst::{Inst, Op};
use crate::trap::Exception;
use emu_mmu::{read_le, write_le, Access, Bus};

/// How many instructions retired before the one executing: `base - left`, where a page loop
/// keeps `left` in a register and `base` is constant. Computed only where it is needed (CSR
/// reads of the counters), out of line, so the hot loop does not compute it per instruction.
#[derive(Clone, Copy)]
pub(crate) struct Retired {
    pub(crate) base: u64,
    pub(crate) left: u64,
}

impl Retired {
    /// Exactly `steps` (outside a page loop).
    pub(crate) fn exact(steps: u64) -> Retired {
        Retired {
            base: steps,
            left: 0,
        }
    }

    pub(crate) fn count(self) -> u64 {
        self.base - self.left
    }
}

impl Hart {
    /// Executes `inst`, which was fetched at `*pc`. On success `*pc` is the next instruction's
    /// address; on an exception it is unchanged and nothing architectural was written.
    ///
    /// The caller's loop keeps pc and the count of retired instructions in registers, not in
    /// `self.pc` and `self.steps`: `retired` says how many instructions retired before this one
    /// (what a read of minstret sees); `self.pc` is not read, and written only by xRET.
    ///
    /// `LEN` is `inst.len` when the caller knows it (2 or 4), else 0. A known length takes the
    /// load of `inst.len` off the chain from one instruction's pc to the next: the page loop
    /// branches on the length (a branch the host predicts) into one of two copies of this code.
    #[inline(always)]
    pub(crate) fn execute<const LEN: u8, B: Bus>(
        &mut self,
        bus: &mut B,
        inst: &Inst,
        pc: &mut u64,
        retired: Retired,
    ) -> Result<(), Exception> {
        let pc_out = pc;
        let pc = *pc_out;
        let len = if LEN == 0 { inst.len } else { LEN };
        let next = pc.wrapping_add(len as u64);
        // Operands are read in the arms that use them, not before the dispatch: an op pays only
        // for the fields it has. Register numbers are 5-bit fields: masking lets the compiler drop
        // the bounds checks.
        macro_rules! a {
            () => {
                self.x[(inst.rs1 & 31) as usize]
            };
        }
        macro_rules! b {
            () => {
                self.x[(inst.rs2 & 31) as usize]
            };
        }
        macro_rules! imm {
            () => {
                inst.imm as i64 as u64
            };
        }
        // The decoder leaves shift amounts in imm, already below 64.
        macro_rules! shamt {
            () => {
                (inst.imm & 63) as u32
            };
        }
        let sext32 = |v: u64| v as i32 as i64 as u64;
        macro_rules! set {
            ($v:expr) => {{
                let v = $v;
                self.x[(inst.rd & 31) as usize] = v;
            }};
        }
        macro_rules! branch {
            ($cond:expr) => {{
                *pc_out = if $cond { pc.wrapping_add(imm!()) } else { next };
                return Ok(());
            }};
        }
        match inst.op {
            Op::Illegal | Op::NotDecoded => return Err(Exception::IllegalInstruction(inst.raw)),
            Op::Lui => set!(imm!()),
            Op::Auipc => set!(pc.wrapping_add(imm!())),
            Op::Jal => {
                set!(next);
                *pc_out = pc.wrapping_add(imm!());
                return Ok(());
            }
            Op::Jalr => {
                let target = a!().wrapping_add(imm!()) & !1;
                set!(next);
                *pc_out = target;
                return Ok(());
            }
            Op::Beq => branch!(a!() == b!()),
            Op::Bne => branch!(a!() != b!()),
            Op::Blt => branch!((a!() as i64) < (b!() as i64)),
            Op::Bge => branch!((a!() as i64) >= (b!() as i64)),
            Op::Bltu => branch!(a!() < b!()),
            Op::Bgeu => branch!(a!() >= b!()),
            Op::Lb => set!(self.load(bus, a!().wrapping_add(imm!()), 1)? as i8 as i64 as u64),
            Op::Lh => set!(self.load(bus, a!().wrapping_add(imm!()), 2)? as i16 as i64 as u64),
            Op::Lw => set!(self.load(bus, a!().wrapping_add(imm!()), 4)? as i32 as i64 as u64),
            Op::Ld => set!(self.load(bus, a!().wrapping_add(imm!()), 8)?),
            Op::Lbu => set!(self.load(bus, a!().wrapping_add(imm!()), 1)?),
            Op::Lhu => set!(self.load(bus, a!().wrapping_add(imm!()), 2)?),
            Op::Lwu => set!(self.load(bus, a!().wrapping_add(imm!()), 4)?),
            Op::Sb => self.store(bus, a!().wrapping_add(imm!()), 1, b!())?,
            Op::Sh => self.store(bus, a!().wrapping_add(imm!()), 2, b!())?,
            Op::Sw => self.store(bus, a!().wrapping_add(imm!()), 4, b!())?,
            Op::Sd => self.store(bus, a!().wrapping_add(imm!()), 8, b!())?,
            Op::Addi => set!(a!().wrapping_add(imm!())),
            Op::Slti => set!(((a!() as i64) < (imm!() as i64)) as u64),
            Op::Sltiu => set!((a!() < imm!()) as u64),
            Op::Xori => set!(a!() ^ imm!()),
            Op::Ori => set!(a!() | imm!()),
            Op::Andi => set!(a!() & imm!()),
            Op::Slli => set!(a!() << shamt!()),
            Op::Srli => set!(a!() >> shamt!()),
            Op::Srai => set!(((a!() as i64) >> shamt!()) as u64),
            Op::Add => set!(a!().wrapping_add(b!())),
            Op::Sub => set!(a!().wrapping_sub(b!())),
            Op::Sll => set!(a!() << (b!() & 63)),
            Op::Slt => set!(((a!() as i64) < (b!() as i64)) as u64),
            Op::Sltu => set!((a!() < b!()) as u64),
            Op::Xor => set!(a!() ^ b!()),
            Op::Srl => set!(a!() >> (b!() & 63)),
            Op::Sra => set!(((a!() as i64) >> (b!() & 63)) as u64),
            Op::Or => set!(a!() | b!()),
            Op::And => set!(a!() & b!()),
            Op::Addiw => set!(sext32(a!().wrapping_add(imm!()))),
            Op::Slliw => set!(sext32(((a!() as u32) << (shamt!() & 31)) as u64)),
            Op::Srliw => set!(sext32(((a!() as u32) >> (shamt!() & 31)) as u64)),
            Op::Sraiw => set!(((a!() as i32) >> (shamt!() & 31)) as i64 as u64),
            Op::Addw => set!(sext32(a!().wrapping_add(b!()))),
            Op::Subw => set!(sext32(a!().wrapping_sub(b!()))),
            Op::Sllw => set!(sext32(((a!() as u32) << (b!() & 31)) as u64)),
            Op::Srlw => set!(sext32(((a!() as u32) >> (b!() & 31)) as u64)),
            Op::Sraw => set!(((a!() as i32) >> (b!() & 31)) as i64 as u64),
            // One hart, sequentially consistent host accesses: fences have nothing to order.
            Op::Fence => {}
            // Decoded code is re-validated against RAM's page generations at the next fetch.
            Op::FenceI => self.event = true,
            Op::Ecall => {
                return Err(match self.privilege {
                    Privilege::User => Exception::EcallFromU,
                    Privilege::Supervisor => Exception::EcallFromS,
                    Privilege::Machine => Exception::EcallFromM,
                })
            }
            Op::Ebreak => return Err(Exception::Breakpoint(pc)),
            Op::Csrrw | Op::Csrrs | Op::Csrrc | Op::Csrrwi | Op::Csrrsi | Op::Csrrci => {
                self.csr_op(bus, inst, a!(), retired)?;
            }
            Op::Mret => {
                if self.privilege != Privilege::Machine {
                    return Err(Exception::IllegalInstruction(inst.raw));
                }
                self.mret();
                *pc_out = self.pc;
                return Ok(());
            }
            Op::Sret => {
                let tsr = self.csr.mstatus & MSTATUS_TSR != 0;
                if self.privilege == Privilege::User
                    || (self.privilege == Privilege::Supervisor && tsr)
                {
                    return Err(Exception::IllegalInstruction(inst.raw));
                }
                self.sret();
                *pc_out = self.pc;
                return Ok(());
            }
            Op::Wfi => {
                // U-mode WFI is always illegal (S-mode exists); S-mode WFI is illegal with TW=1
                // (spec 3.1.6.5), as in Spike and QEMU.
                let tw = self.csr.mstatus & MSTATUS_TW != 0;
                if self.privilege == Privilege::User
                    || (self.privilege == Privilege::Supervisor && tw)
                {
                    return Err(Exception::IllegalInstruction(inst.raw));
                }
                self.wfi = true;
                self.event = true;
            }
            Op::SfenceVma => {
                let tvm = self.csr.mstatus & MSTATUS_TVM != 0;
                if self.privilege == Privilege::User
                    || (self.privilege == Privilege::Supervisor && tvm)
                {
                    return Err(Exception::IllegalInstruction(inst.raw));
                }
                // With rs1 = x0 everything goes; with an address, that page's entries go, for
                // every ASID (the TLB does not keep ASIDs apart: flushing more than asked is
                // always correct). Linux flushes single pages often, and a full flush costs the
                // walks that refill it.
                if inst.rs1 == 0 {
                    self.tlb.flush();
                    self.icache.recent.flush();
                } else {
                    self.tlb.flush_page(a!());
                    self.icache.recent.flush_page(a!());
                }
                self.event = true;
            }
            Op::Mul => set!(a!().wrapping_mul(b!())),
            Op::Mulh => set!(((a!() as i64 as i128 * b!() as i64 as i128) >> 64) as u64),
            Op::Mulhsu => set!(((a!() as i64 as i128).wrapping_mul(b!() as i128) >> 64) as u64),
            Op::Mulhu => set!(((a!() as u128 * b!() as u128) >> 64) as u64),
            Op::Div => set!(if b!() == 0 {
                u64::MAX
            } else {
                (a!() as i64).wrapping_div(b!() as i64) as u64
            }),
            Op::Divu => set!(a!().checked_div(b!()).unwrap_or(u64::MAX)),
            Op::Rem => set!(if b!() == 0 {
                a!()
            } else {
                (a!() as i64).wrapping_rem(b!() as i64) as u64
            }),
            Op::Remu => set!(if b!() == 0 { a!() } else { a!() % b!() }),
            Op::Mulw => set!(sext32(a!().wrapping_mul(b!()))),
            Op::Divw => {
                let (x, y) = (a!() as i32, b!() as i32);
                set!(if y == 0 {
                    u64::MAX
                } else {
                    x.wrapping_div(y) as i64 as u64
                })
            }
            Op::Divuw => {
                let (x, y) = (a!() as u32, b!() as u32);
                set!(x.checked_div(y).map_or(u64::MAX, |q| sext32(q as u64)))
            }
            Op::Remw => {
                let (x, y) = (a!() as i32, b!() as i32);
                set!(if y == 0 {
                    x as i64 as u64
                } else {
                    x.wrapping_rem(y) as i64 as u64
                })
            }
            Op::Remuw => {
                let (x, y) = (a!() as u32, b!() as u32);
                set!(if y == 0 {
                    sext32(x as u64)
                } else {
                    sext32((x % y) as u64)
                })
            }
            Op::LrW | Op::LrD => {
                let size = if inst.op == Op::LrW { 4 } else { 8 };
                if a!() & (size as u64 - 1) != 0 {
                    return Err(Exception::LoadMisaligned(a!()));
                }
                let paddr = self.translate(bus, a!(), size as u64, Access::Load)?;
                let v = bus
                    .ram()
                    .read(paddr, size)
                    .ok_or(Exception::LoadAccessFault(a!()))?;
                self.reservation = paddr;
                set!(if size == 4 { v as i32 as i64 as u64 } else { v })
            }
            Op::ScW | Op::ScD => {
                let size = if inst.op == Op::ScW { 4 } else { 8 };
                if a!() & (size as u64 - 1) != 0 {
                    return Err(Exception::StoreMisaligned(a!()));
                }
                let paddr = self.translate(bus, a!(), size as u64, Access::Store)?;
                if bus.ram().offset(paddr, size as u64).is_none() {
                    return Err(Exception::StoreAccessFault(a!()));
                }
                let ok = self.reservation == paddr;
                self.reservation = NO_RESERVATION;
                if ok {
                    let ram = bus.ram();
                    ram.write(paddr, size, b!());
                    self.event |= ram.take_code_written();
                }
                set!(!ok as u64)
            }
            Op::AmoswapW
            | Op::AmoaddW
            | Op::AmoxorW
            | Op::AmoandW
            | Op::AmoorW
            | Op::AmominW
            | Op::AmomaxW
            | Op::AmominuW
            | Op::AmomaxuW => {
                let b = b!();
                let old = self.amo(bus, a!(), 4, |old| {
                    let (o, s) = (old as u32, b as u32);
                    (match inst.op {
                        Op::AmoswapW => s,
                        Op::AmoaddW => o.wrapping_add(s),
                        Op::AmoxorW => o ^ s,
                        Op::AmoandW => o & s,
                        Op::AmoorW => o | s,
                        Op::AmominW => (o as i32).min(s as i32) as u32,
                        Op::AmomaxW => (o as i32).max(s as i32) as u32,
                        Op::AmominuW => o.min(s),
                        _ => o.max(s),
                    }) as u64
                })?;
                set!(old as i32 as i64 as u64)
            }
            Op::AmoswapD
            | Op::AmoaddD
            | Op::AmoxorD
            | Op::AmoandD
            | Op::AmoorD
            | Op::AmominD
            | Op::AmomaxD
            | Op::AmominuD
            | Op::AmomaxuD => {
                let b = b!();
                let old = self.amo(bus, a!(), 8, |o| match inst.op {
                    Op::AmoswapD => b,
                    Op::AmoaddD => o.wrapping_add(b),
                    Op::AmoxorD => o ^ b,
                    Op::AmoandD => o & b,
                    Op::AmoorD => o | b,
                    Op::AmominD => (o as i64).min(b as i64) as u64,
                    Op::AmomaxD => (o as i64).max(b as i64) as u64,
                    Op::AmominuD => o.min(b),
                    _ => o.max(b),
                })?;
                set!(old)
            }
            // Zba
            Op::Sh1add => set!((a!() << 1).wrapping_add(b!())),
            Op::Sh2add => set!((a!() << 2).wrapping_add(b!())),
            Op::Sh3add => set!((a!() << 3).wrapping_add(b!())),
            Op::AddUw => set!((a!() as u32 as u64).wrapping_add(b!())),
            Op::Sh1addUw => set!(((a!() as u32 as u64) << 1).wrapping_add(b!())),
            Op::Sh2addUw => set!(((a!() as u32 as u64) << 2).wrapping_add(b!())),
            Op::Sh3addUw => set!(((a!() as u32 as u64) << 3).wrapping_add(b!())),
            Op::SlliUw => set!((a!() as u32 as u64) << shamt!()),
            // Zbb
            Op::Andn => set!(a!() & !b!()),
            Op::Orn => set!(a!() | !b!()),
            Op::Xnor => set!(!(a!() ^ b!())),
            Op::Clz => set!(a!().leading_zeros() as u64),
            Op::Ctz => set!(a!().trailing_zeros() as u64),
            Op::Cpop => set!(a!().count_ones() as u64),
            Op::Clzw => set!((a!() as u32).leading_zeros() as u64),
            Op::Ctzw => set!((a!() as u32).trailing_zeros() as u64),
            Op::Cpopw => set!((a!() as u32).count_ones() as u64),
            Op::Max => set!((a!() as i64).max(b!() as i64) as u64),
            Op::Maxu => set!(a!().max(b!())),
            Op::Min => set!((a!() as i64).min(b!() as i64) as u64),
            Op::Minu => set!(a!().min(b!())),
            Op::SextB => set!(a!() as i8 as i64 as u64),
            Op::SextH => set!(a!() as i16 as i64 as u64),
            Op::ZextH => set!(a!() as u16 as u64),
            Op::Rol => set!(a!().rotate_left((b!() & 63) as u32)),
            Op::Ror => set!(a!().rotate_right((b!() & 63) as u32)),
            Op::Rori => set!(a!().rotate_right(shamt!())),
            Op::Rolw => set!(sext32((a!() as u32).rotate_left((b!() & 31) as u32) as u64)),
            Op::Rorw => set!(sext32((a!() as u32).rotate_right((b!() & 31) as u32) as u64)),
            Op::Roriw => set!(sext32((a!() as u32).rotate_right(shamt!() & 31) as u64)),
            Op::OrcB => {
                let mut v = 0u64;
                for i in 0..8 {
                    if (a!() >> (8 * i)) & 0xff != 0 {
                        v |= 0xff << (8 * i);
                    }
                }
                set!(v)
            }
            Op::Rev8 => set!(a!().swap_bytes()),
            // Zbs
            Op::Bclr => set!(a!() & !(1 << (b!() & 63))),
            Op::Bclri => set!(a!() & !(1 << shamt!())),
            Op::Bext => set!((a!() >> (b!() & 63)) & 1),
            Op::Bexti => set!((a!() >> shamt!()) & 1),
            Op::Binv => set!(a!() ^ (1 << (b!() & 63))),
            Op::Binvi => set!(a!() ^ (1 << shamt!())),
            Op::Bset => set!(a!() | (1 << (b!() & 63))),
            Op::Bseti => set!(a!() | (1 << shamt!())),
            // F and D (fpu.rs).
            crate::inst::fp_ops!() => self.execute_fp(bus, inst)?,
        }
        *pc_out = next;
        Ok(())
    }

    /// The Zicsr instructions (spec "Zicsr", 9.1): which of read and write happen depends on the
    /// form and on whether rd / rs1 are x0.
    fn csr_op<B: Bus>(
        &mut self,
        bus: &mut B,
        inst: &Inst,
        rs1_value: u64,
        retired: Retired,
    ) -> Result<(), Exception> {
        // The counters read steps.
        self.steps = retired.count();
        let csr = inst.imm as u16 & 0xfff;
        let (src, writes) = match inst.op {
            Op::Csrrw => (rs1_value, true),
            Op::Csrrwi => (inst.rs1 as u64, true),
            Op::Csrrs | Op::Csrrc => (rs1_value, inst.rs1 != 0),
            _ => (inst.rs1 as u64, inst.rs1 != 0),
        };
        // The access checks apply whether or not the read is architecturally performed.
        let old = if csr == MIP && writes {
            // Read-modify-write of mip uses the software-writable bits, not the device lines.
            self.csr_read(bus, csr, inst.raw)?;
            self.csr.mip
        } else {
            self.csr_read(bus, csr, inst.raw)?
        };
        if writes {
            let new = match inst.op {
                Op::Csrrw | Op::Csrrwi => src,
                Op::Csrrs | Op::Csrrsi => old | src,
                _ => old & !src,
            };
            self.csr_write(csr, new, inst.raw)?;
        }
        let value = if csr == MIP {
            self.mip_before_write(old)
        } else {
            old
        };
        self.x[inst.rd as usize] = value;
        Ok(())
    }

    /// What a CSR instruction returns for mip: the value before the write, device lines included.
    fn mip_before_write(&self, sw_bits: u64) -> u64 {
        sw_bits | (self.mip() & !self.csr.mip)
    }

    /// A load: one TLB tag compare and one host read when the page is cached as RAM for this
    /// context; everything else (a TLB miss, a device, a misaligned address) takes `load_slow`.
    #[inline(always)]
    pub(crate) fn load<B: Bus>(
        &mut self,
        bus: &mut B,
        vaddr: u64,
        size: usize,
    ) -> Result<u64, Exception> {
        if vaddr & (size as u64 - 1) == 0 {
            if let Some(p) = self.tlb.host_load(vaddr, self.data_tag) {
                // SAFETY: the TLB hands out host addresses inside a live RAM page (see
                // `emu_mmu::Tlb`); the access is aligned, so it stays inside that page.
                return Ok(unsafe { read_le(p, size) });
            }
        }
        self.load_slow(bus, vaddr, size)
    }

    #[inline(never)]
    fn load_slow<B: Bus>(
        &mut self,
        bus: &mut B,
        vaddr: u64,
        size: usize,
    ) -> Result<u64, Exception> {
        if vaddr & (size as u64 - 1) != 0 {
            return self.load_misaligned(bus, vaddr, size);
        }
        let paddr = self.translate(bus, vaddr, size as u64, Access::Load)?;
        if let Some(v) = bus.ram().read(paddr, size) {
            return Ok(v);
        }
        bus.load(paddr, size)
            .map_err(|_| Exception::LoadAccessFault(vaddr))
    }

    /// A store: like [`Hart::load`], when the page also holds no decoded code and no watched range.
    #[inline(always)]
    pub(crate) fn store<B: Bus>(
        &mut self,
        bus: &mut B,
        vaddr: u64,
        size: usize,
        value: u64,
    ) -> Result<(), Exception> {
        if vaddr & (size as u64 - 1) == 0 && self.reservation == NO_RESERVATION {
            // SAFETY: the TLB's entries come from the RAM of `bus` (`Hart::run` drops them when
            // it is given another), which is alive while this borrow of `bus` is.
            if let Some(p) = unsafe { self.tlb.host_store(vaddr, self.data_tag) } {
                // SAFETY: as in `load`.
                unsafe { write_le(p, size, value) };
                return Ok(());
            }
        }
        self.store_slow(bus, vaddr, size, value)
    }

    #[inline(never)]
    fn store_slow<B: Bus>(
        &mut self,
        bus: &mut B,
        vaddr: u64,
        size: usize,
        value: u64,
    ) -> Result<(), Exception> {
        if vaddr & (size as u64 - 1) != 0 {
            return self.store_misaligned(bus, vaddr, size, value);
        }
        let paddr = self.translate(bus, vaddr, size as u64, Access::Store)?;
        // A store to the reserved granule breaks the reservation.
        if self.reservation != NO_RESERVATION
            && paddr <= self.reservation.wrapping_add(7)
            && self.reservation <= paddr.wrapping_add(size as u64 - 1)
        {
            self.reservation = NO_RESERVATION;
        }
        let ram = bus.ram();
        if ram.write(paddr, size, value) {
            // A store into decoded code: look at the code again before the next instruction.
            if ram.take_code_written() {
                self.event = true;
                // Or into a debugger's watched range: stop before the store (debug.rs).
                if ram.watch_hit() {
                    return Err(self.stop_before_watched_store(bus));
                }
            }
            return Ok(());
        }
        bus.store(paddr, size, value)
            .map_err(|_| Exception::StoreAccessFault(vaddr))
    }

    /// A misaligned load: a trap, unless M-mode firmware is host code, which emulates it byte by
    /// byte as OpenSBI does (each byte translated, so a load across pages sees both mappings).
    #[cold]
    fn load_misaligned<B: Bus>(
        &mut self,
        bus: &mut B,
        vaddr: u64,
        size: usize,
    ) -> Result<u64, Exception> {
        if !self.host_firmware {
            return Err(Exception::LoadMisaligned(vaddr));
        }
        let mut value = 0;
        for i in 0..size as u64 {
            let addr = vaddr.wrapping_add(i);
            let paddr = self.translate(bus, addr, 1, Access::Load)?;
            let byte = match bus.ram().read(paddr, 1) {
                Some(b) => b,
                None => bus
                    .load(paddr, 1)
                    .map_err(|_| Exception::LoadAccessFault(addr))?,
            };
            value |= byte << (8 * i);
        }
        Ok(value)
    }

    /// A misaligned store: a trap, unless M-mode firmware is host code, which emulates it (every
    /// byte is translated before any is written, so a fault leaves memory unchanged).
    #[cold]
    fn store_misaligned<B: Bus>(
        &mut self,
        bus: &mut B,
        vaddr: u64,
        size: usize,
        value: u64,
    ) -> Result<(), Exception> {
        if !self.host_firmware {
            return Err(Exception::StoreMisaligned(vaddr));
        }
        let mut paddrs = [0u64; 8];
        for (i, p) in paddrs.iter_mut().enumerate().take(size) {
            *p = self.translate(bus, vaddr.wrapping_add(i as u64), 1, Access::Store)?;
        }
        self.reservation = NO_RESERVATION;
        for (i, &paddr) in paddrs.iter().enumerate().take(size) {
            let byte = value >> (8 * i);
            if !bus.ram().write(paddr, 1, byte) {
                bus.store(paddr, 1, byte)
                    .map_err(|_| Exception::StoreAccessFault(vaddr.wrapping_add(i as u64)))?;
            }
        }
        self.event |= bus.ram().take_code_written();
        Ok(())
    }

    /// A read-modify-write AMO on RAM; returns the old value (zero-extended).
    fn amo<B: Bus>(
        &mut self,
        bus: &mut B,
        vaddr: u64,
        size: usize,
        f: impl FnOnce(u64) -> u64,
    ) -> Result<u64, Exception> {
        if vaddr & (size as u64 - 1) != 0 {
            return Err(Exception::StoreMisaligned(vaddr));
        }
        let paddr = self.translate(bus, vaddr, size as u64, Access::Store)?;
        let ram = bus.ram();
        let old = ram
            .read(paddr, size)
            .ok_or(access_fault(Access::Store, vaddr))?;
        ram.write(paddr, size, f(old));
        self.event |= ram.take_code_written();
        if self.reservation == paddr {
            self.reservation = NO_RESERVATION;
        }
        Ok(old)
    }
}
