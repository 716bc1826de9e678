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

/// What each operation does, written once (these helpers and the arms of [`execute_arms`]) and
/// expanded into both executors: [`Hart::execute`] (one instruction, pc in and out through a
/// reference) and the page loop's handlers (threaded.rs: pc implied by the slot, control passing
/// straight on to the next slot, no per-instruction result to test).
///
/// The expanding code says how an instruction ends: `seq!()` (on to the next instruction),
/// `seq_event!()` (the same, after something that may have raised an event), `jump!(target)`,
/// `jump_event!(target)` (xRET) and `trap!(exception)`, all of which leave the expansion; and
/// gives the values `pc!()`, `next_pc!()` and `retired!()` (a [`Retired`]), `slow!(e)` (what a
/// load or store does when its fast path misses: `e`, the slow path, or something that leads to
/// it), and `fused!(inst, first, second)` and `fused3!(inst, first, second, third)`, which run a
/// fused pair or triple (fusion.rs) with `sem!`. On a trap nothing architectural has been
/// written (in a pair or triple: by the instruction that traps). `$d` is a `$` token, for the
/// helper macros defined inside. (Not formatted by rustfmt, which indents the `$d` arms further
/// on every run.)
#[rustfmt::skip]
macro_rules! execute_helpers {
    ($d:tt, $h:ident, $bus:ident, $inst:ident) => {
        // Operands are read in the arms that use them, not before the dispatch: an op pays only
        // for the fields it has. Register numbers are 5-bit fields: masking lets the compiler drop
        // the bounds checks. Each helper reads `$inst`, or the instruction it is given (the second
        // of a fused pair).
        macro_rules! a {
            () => { a!($inst) };
            ($d i:ident) => { $h.x[($d i.rs1 & 31) as usize] };
        }
        macro_rules! b {
            () => { b!($inst) };
            ($d i:ident) => { $h.x[($d i.rs2 & 31) as usize] };
        }
        macro_rules! imm {
            () => { imm!($inst) };
            ($d i:ident) => { $d i.imm as i64 as u64 };
        }
        // The decoder leaves shift amounts in imm, already below 64.
        macro_rules! shamt {
            () => { shamt!($inst) };
            ($d i:ident) => { ($d i.imm & 63) as u32 };
        }
        macro_rules! sext32 {
            ($d v:expr) => {
                $d v as i32 as i64 as u64
            };
        }
        // x0 reads as zero: whatever was written to it is cleared at once.
        macro_rules! set {
            ($d i:ident; $d v:expr) => {{
                let v = $d v;
                $h.x[($d i.rd & 31) as usize] = v;
                $h.x[0] = 0;
            }};
            ($d v:expr) => { set!($inst; $d v) };
        }
        macro_rules! branch {
            ($d i:ident; $d cond:expr) => {{
                if $d cond {
                    jump!(pc!().wrapping_add(imm!($d i)))
                } else {
                    seq!()
                }
            }};
        }
        // A load of `size` bytes, extended as type `t` says. The fast path (the TLB's host pointer)
        // ends on its own; a miss goes on as `slow!` says.
        macro_rules! load {
            ($d i:ident; $d size:literal, $d t:ty) => {{
                let vaddr = a!($d i).wrapping_add(imm!($d i));
                match $h.load_fast(vaddr, $d size) {
                    Some(v) => {
                        set!($d i; v as $d t as i64 as u64);
                        seq!()
                    }
                    None => slow!({
                        let v = t!($h.load_slow($bus, vaddr, $d size));
                        set!($d i; v as $d t as i64 as u64);
                        seq!()
                    }),
                }
            }};
        }
        // A store of `size` bytes of rs2 (or of `value`). On the slow path it may hit decoded code
        // (an event); the fast path cannot.
        macro_rules! store {
            ($d i:ident; $d size:literal) => { store!($d i; $d size, b!($d i)) };
            ($d i:ident; $d size:literal, $d value:expr) => {{
                let vaddr = a!($d i).wrapping_add(imm!($d i));
                let v = $d value;
                if $h.store_fast($bus, vaddr, $d size, v) {
                    seq!()
                } else {
                    slow!({
                        t!($h.store_slow($bus, vaddr, $d size, v));
                        seq_event!()
                    })
                }
            }};
        }
        // An FLW or FLD: a load of `size` bytes into f[rd], as the register holds it (`to_f`).
        macro_rules! fp_load {
            ($d i:ident; $d size:literal, $d to_f:expr) => {{
                t!($h.fp_enabled($d i));
                let vaddr = a!($d i).wrapping_add(imm!($d i));
                let v = match $h.load_fast(vaddr, $d size) {
                    Some(v) => v,
                    None => slow!(t!($h.load_slow($bus, vaddr, $d size))),
                };
                $h.set_f(($d i.rd & 31) as usize, ($d to_f)(v));
            }};
        }
        // What the operations that make fused pairs and triples (fusion.rs) do, for any of their
        // instructions. Each either ends (a taken branch, a trap) or leaves the rest to the caller.
        macro_rules! sem {
            (Lui, $d i:ident) => { set!($d i; imm!($d i)) };
            (Auipc, $d i:ident) => { set!($d i; pc!().wrapping_add(imm!($d i))) };
            (Jal, $d i:ident) => {{
                set!($d i; next_pc!());
                jump!(pc!().wrapping_add(imm!($d i)))
            }};
            (Jalr, $d i:ident) => {{
                let target = a!($d i).wrapping_add(imm!($d i)) & !1;
                set!($d i; next_pc!());
                jump!(target)
            }};
            (Beq, $d i:ident) => { branch!($d i; a!($d i) == b!($d i)) };
            (Blt, $d i:ident) => { branch!($d i; (a!($d i) as i64) < (b!($d i) as i64)) };
            (Bltu, $d i:ident) => { branch!($d i; a!($d i) < b!($d i)) };
            (Bgeu, $d i:ident) => { branch!($d i; a!($d i) >= b!($d i)) };
            (Bne, $d i:ident) => { branch!($d i; a!($d i) != b!($d i)) };
            (Lh, $d i:ident) => { load!($d i; 2, i16) };
            (Lw, $d i:ident) => { load!($d i; 4, i32) };
            (Ld, $d i:ident) => { load!($d i; 8, u64) };
            (Lbu, $d i:ident) => { load!($d i; 1, u8) };
            (Lhu, $d i:ident) => { load!($d i; 2, u16) };
            (Sd, $d i:ident) => { store!($d i; 8) };
            (Addi, $d i:ident) => { set!($d i; a!($d i).wrapping_add(imm!($d i))) };
            (Andi, $d i:ident) => { set!($d i; a!($d i) & imm!($d i)) };
            (Slli, $d i:ident) => { set!($d i; a!($d i) << shamt!($d i)) };
            (Srli, $d i:ident) => { set!($d i; a!($d i) >> shamt!($d i)) };
            (Add, $d i:ident) => { set!($d i; a!($d i).wrapping_add(b!($d i))) };
            (Xor, $d i:ident) => { set!($d i; a!($d i) ^ b!($d i)) };
            (Mul, $d i:ident) => { set!($d i; a!($d i).wrapping_mul(b!($d i))) };
            (And, $d i:ident) => { set!($d i; a!($d i) & b!($d i)) };
            (Srl, $d i:ident) => { set!($d i; a!($d i) >> (b!($d i) & 63)) };
            (Or, $d i:ident) => { set!($d i; a!($d i) | b!($d i)) };
            (Addiw, $d i:ident) => { set!($d i; sext32!(a!($d i).wrapping_add(imm!($d i)))) };
            (Slliw, $d i:ident) => {
                set!($d i; sext32!(((a!($d i) as u32) << (shamt!($d i) & 31)) as u64))
            };
            (Srliw, $d i:ident) => {
                set!($d i; sext32!(((a!($d i) as u32) >> (shamt!($d i) & 31)) as u64))
            };
            (Addw, $d i:ident) => { set!($d i; sext32!(a!($d i).wrapping_add(b!($d i)))) };
            (Subw, $d i:ident) => { set!($d i; sext32!(a!($d i).wrapping_sub(b!($d i)))) };
            (Mulw, $d i:ident) => { set!($d i; sext32!(a!($d i).wrapping_mul(b!($d i)))) };
            // FLD and FSD: like the integer loads and stores, illegal while mstatus.FS is Off.
            (Fld, $d i:ident) => { fp_load!($d i; 8, |v: u64| v) };
            (Fsd, $d i:ident) => {{
                t!($h.fp_enabled($d i));
                store!($d i; 8, $h.f[($d i.rs2 & 31) as usize])
            }};
            (FaddD, $d i:ident) => { t!($h.arith_d($d i, crate::fpu::Arith::Add)) };
            (FsubD, $d i:ident) => { t!($h.arith_d($d i, crate::fpu::Arith::Sub)) };
            (FmulD, $d i:ident) => { t!($h.arith_d($d i, crate::fpu::Arith::Mul)) };
            (FmaddD, $d i:ident) => { t!($h.fused_d($d i, crate::fpu::Fused::Madd)) };
        }
        // An F or D operation of fpu.rs, in line; x0 stays zero if it wrote an x register.
        macro_rules! fp {
            ($d op:ident) => {{
                t!($h.fp_op($inst, Op::$d op));
                $h.x[0] = 0;
            }};
        }
        macro_rules! t {
            ($d r:expr) => {
                match $d r {
                    Ok(v) => v,
                    Err(e) => trap!(e),
                }
            };
        }
    };
}
pub(crate) use execute_helpers;

/// The operations, as arms `Name [Op, ...] => what it does` (or `Op => ...` for an arm of one
/// operation), the rest (F and D through fpu.rs) last after `;`: handed to `$then`, which makes
/// a `match` of them ([`execute_match`]) or a function each (threaded.rs).
#[rustfmt::skip]
macro_rules! execute_arms {
    ($d:tt, $h:ident, $bus:ident, $inst:ident, $then:ident) => {
        $then! { $d $h $bus $inst;
            Illegal [Illegal, NotDecoded] => trap!(Exception::IllegalInstruction($inst.raw)),
            Lui => sem!(Lui, $inst),
            Auipc => sem!(Auipc, $inst),
            Jal => sem!(Jal, $inst),
            Jalr => sem!(Jalr, $inst),
            Beq => sem!(Beq, $inst),
            Bne => sem!(Bne, $inst),
            Blt => sem!(Blt, $inst),
            Bge => branch!($inst; (a!() as i64) >= (b!() as i64)),
            Bltu => sem!(Bltu, $inst),
            Bgeu => sem!(Bgeu, $inst),
            Lb => load!($inst; 1, i8),
            Lh => sem!(Lh, $inst),
            Lw => sem!(Lw, $inst),
            Ld => sem!(Ld, $inst),
            Lbu => sem!(Lbu, $inst),
            Lhu => sem!(Lhu, $inst),
            Lwu => load!($inst; 4, u32),
            Sb => store!($inst; 1),
            Sh => store!($inst; 2),
            Sw => store!($inst; 4),
            Sd => sem!(Sd, $inst),
            Addi => sem!(Addi, $inst),
            Slti => set!(((a!() as i64) < (imm!() as i64)) as u64),
            Sltiu => set!((a!() < imm!()) as u64),
            Xori => set!(a!() ^ imm!()),
            Ori => set!(a!() | imm!()),
            Andi => sem!(Andi, $inst),
            Slli => sem!(Slli, $inst),
            Srli => sem!(Srli, $inst),
            Srai => set!(((a!() as i64) >> shamt!()) as u64),
            Add => sem!(Add, $inst),
            Sub => set!(a!().wrapping_sub(b!())),
            Sll => set!(a!() << (b!() & 63)),
            Slt => set!(((a!() as i64) < (b!() as i64)) as u64),
            Sltu => set!((a!() < b!()) as u64),
            Xor => sem!(Xor, $inst),
            Srl => sem!(Srl, $inst),
            Sra => set!(((a!() as i64) >> (b!() & 63)) as u64),
            Or => sem!(Or, $inst),
            And => sem!(And, $inst),
            Addiw => sem!(Addiw, $inst),
            Slliw => sem!(Slliw, $inst),
            Srliw => sem!(Srliw, $inst),
            Sraiw => set!(((a!() as i32) >> (shamt!() & 31)) as i64 as u64),
            Addw => sem!(Addw, $inst),
            Subw => sem!(Subw, $inst),
            Sllw => set!(sext32!(((a!() as u32) << (b!() & 31)) as u64)),
            Srlw => set!(sext32!(((a!() as u32) >> (b!() & 31)) as u64)),
            Sraw => set!(((a!() as i32) >> (b!() & 31)) as i64 as u64),
            // One hart, sequentially consistent host accesses: fences have nothing to order.
            Fence => {},
            // Decoded code is re-validated against RAM's page generations at the next fetch.
            FenceI => {
                $h.event = true;
                seq_event!()
            },
            Ecall => {
                trap!(match $h.privilege {
                    Privilege::User => Exception::EcallFromU,
                    Privilege::Supervisor => Exception::EcallFromS,
                    Privilege::Machine => Exception::EcallFromM,
                })
            },
            Ebreak => trap!(Exception::Breakpoint(pc!())),
            Csr [Csrrw, Csrrs, Csrrc, Csrrwi, Csrrsi, Csrrci] => {
                t!($h.csr_op($bus, $inst, a!(), retired!()));
                $h.x[0] = 0;
                seq_event!()
            },
            Mret => {
                if $h.privilege != Privilege::Machine {
                    trap!(Exception::IllegalInstruction($inst.raw));
                }
                $h.mret();
                jump_event!($h.pc)
            },
            Sret => {
                let tsr = $h.csr.mstatus & MSTATUS_TSR != 0;
                if $h.privilege == Privilege::User || ($h.privilege == Privilege::Supervisor && tsr)
                {
                    trap!(Exception::IllegalInstruction($inst.raw));
                }
                $h.sret();
                jump_event!($h.pc)
            },
            Wfi => {
                // U-mode WFI is always illegal (S-mode exists); S-mode WFI is illegal with TW=1
                // (spec 3.1.6.5), as in Spike and QEMU.
                let tw = $h.csr.mstatus & MSTATUS_TW != 0;
                if $h.privilege == Privilege::User || ($h.privilege == Privilege::Supervisor && tw)
                {
                    trap!(Exception::IllegalInstruction($inst.raw));
                }
                $h.wfi = true;
                $h.event = true;
                seq_event!()
            },
            SfenceVma => {
                let tvm = $h.csr.mstatus & MSTATUS_TVM != 0;
                if $h.privilege == Privilege::User || ($h.privilege == Privilege::Supervisor && tvm)
                {
                    trap!(Exception::IllegalInstruction($inst.raw));
                }
                // With rs1 = x0 everything goes; with an address, that page's entries go, for
                // every ASID (the TLB does not keep ASIDs apart: flushing more than asked is
                // always correct). Linux flushes single pages often, and a full flush costs the
                // walks that refill it.
                if $inst.rs1 == 0 {
                    $h.tlb.flush();
                    $h.icache.recent.flush();
                } else {
                    $h.tlb.flush_page(a!());
                    $h.icache.recent.flush_page(a!());
                }
                $h.event = true;
                seq_event!()
            },
            Mul => sem!(Mul, $inst),
            Mulh => set!(((a!() as i64 as i128 * b!() as i64 as i128) >> 64) as u64),
            Mulhsu => set!(((a!() as i64 as i128).wrapping_mul(b!() as i128) >> 64) as u64),
            Mulhu => set!(((a!() as u128 * b!() as u128) >> 64) as u64),
            Div => set!(if b!() == 0 {
                u64::MAX
            } else {
                (a!() as i64).wrapping_div(b!() as i64) as u64
            }),
            Divu => set!(a!().checked_div(b!()).unwrap_or(u64::MAX)),
            Rem => set!(if b!() == 0 {
                a!()
            } else {
                (a!() as i64).wrapping_rem(b!() as i64) as u64
            }),
            Remu => set!(if b!() == 0 { a!() } else { a!() % b!() }),
            Mulw => sem!(Mulw, $inst),
            Divw => {
                let (x, y) = (a!() as i32, b!() as i32);
                set!(if y == 0 {
                    u64::MAX
                } else {
                    x.wrapping_div(y) as i64 as u64
                })
            },
            Divuw => {
                let (x, y) = (a!() as u32, b!() as u32);
                set!(x.checked_div(y).map_or(u64::MAX, |q| sext32!(q as u64)))
            },
            Remw => {
                let (x, y) = (a!() as i32, b!() as i32);
                set!(if y == 0 {
                    x as i64 as u64
                } else {
                    x.wrapping_rem(y) as i64 as u64
                })
            },
            Remuw => {
                let (x, y) = (a!() as u32, b!() as u32);
                set!(if y == 0 {
                    sext32!(x as u64)
                } else {
                    sext32!((x % y) as u64)
                })
            },
            Lr [LrW, LrD] => {
                let size = if $inst.op == Op::LrW { 4 } else { 8 };
                if a!() & (size as u64 - 1) != 0 {
                    trap!(Exception::LoadMisaligned(a!()));
                }
                let paddr = t!($h.translate($bus, a!(), size as u64, Access::Load));
                let v = t!($bus
                    .ram()
                    .read(paddr, size)
                    .ok_or(Exception::LoadAccessFault(a!())));
                $h.reserve(paddr);
                set!(if size == 4 { v as i32 as i64 as u64 } else { v })
            },
            Sc [ScW, ScD] => {
                let size = if $inst.op == Op::ScW { 4 } else { 8 };
                if a!() & (size as u64 - 1) != 0 {
                    trap!(Exception::StoreMisaligned(a!()));
                }
                let paddr = t!($h.translate($bus, a!(), size as u64, Access::Store));
                if $bus.ram().offset(paddr, size as u64).is_none() {
                    trap!(Exception::StoreAccessFault(a!()));
                }
                let ok = $h.reservation == paddr;
                $h.drop_reservation();
                if ok {
                    let ram = $bus.ram();
                    ram.write(paddr, size, b!());
                    $h.event |= ram.take_code_written();
                }
                set!(!ok as u64);
                seq_event!()
            },
            AmoW [
                AmoswapW, AmoaddW, AmoxorW, AmoandW, AmoorW, AmominW, AmomaxW, AmominuW, AmomaxuW
            ] => {
                let b = b!();
                let old = t!($h.amo($bus, a!(), 4, |old| {
                    let (o, s) = (old as u32, b as u32);
                    (match $inst.op {
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
                }));
                set!(old as i32 as i64 as u64);
                seq_event!()
            },
            AmoD [
                AmoswapD, AmoaddD, AmoxorD, AmoandD, AmoorD, AmominD, AmomaxD, AmominuD, AmomaxuD
            ] => {
                let b = b!();
                let old = t!($h.amo($bus, a!(), 8, |o| match $inst.op {
                    Op::AmoswapD => b,
                    Op::AmoaddD => o.wrapping_add(b),
                    Op::AmoxorD => o ^ b,
                    Op::AmoandD => o & b,
                    Op::AmoorD => o | b,
                    Op::AmominD => (o as i64).min(b as i64) as u64,
                    Op::AmomaxD => (o as i64).max(b as i64) as u64,
                    Op::AmominuD => o.min(b),
                    _ => o.max(b),
                }));
                set!(old);
                seq_event!()
            },
            // Zba
            Sh1add => set!((a!() << 1).wrapping_add(b!())),
            Sh2add => set!((a!() << 2).wrapping_add(b!())),
            Sh3add => set!((a!() << 3).wrapping_add(b!())),
            AddUw => set!((a!() as u32 as u64).wrapping_add(b!())),
            Sh1addUw => set!(((a!() as u32 as u64) << 1).wrapping_add(b!())),
            Sh2addUw => set!(((a!() as u32 as u64) << 2).wrapping_add(b!())),
            Sh3addUw => set!(((a!() as u32 as u64) << 3).wrapping_add(b!())),
            SlliUw => set!((a!() as u32 as u64) << shamt!()),
            // Zbb
            Andn => set!(a!() & !b!()),
            Orn => set!(a!() | !b!()),
            Xnor => set!(!(a!() ^ b!())),
            Clz => set!(a!().leading_zeros() as u64),
            Ctz => set!(a!().trailing_zeros() as u64),
            Cpop => set!(a!().count_ones() as u64),
            Clzw => set!((a!() as u32).leading_zeros() as u64),
            Ctzw => set!((a!() as u32).trailing_zeros() as u64),
            Cpopw => set!((a!() as u32).count_ones() as u64),
            Max => set!((a!() as i64).max(b!() as i64) as u64),
            Maxu => set!(a!().max(b!())),
            Min => set!((a!() as i64).min(b!() as i64) as u64),
            Minu => set!(a!().min(b!())),
            SextB => set!(a!() as i8 as i64 as u64),
            SextH => set!(a!() as i16 as i64 as u64),
            ZextH => set!(a!() as u16 as u64),
            Rol => set!(a!().rotate_left((b!() & 63) as u32)),
            Ror => set!(a!().rotate_right((b!() & 63) as u32)),
            Rori => set!(a!().rotate_right(shamt!())),
            Rolw => set!(sext32!((a!() as u32).rotate_left((b!() & 31) as u32) as u64)),
            Rorw => set!(sext32!((a!() as u32).rotate_right((b!() & 31) as u32) as u64)),
            Roriw => set!(sext32!((a!() as u32).rotate_right(shamt!() & 31) as u64)),
            OrcB => {
                let mut v = 0u64;
                for i in 0..8 {
                    if (a!() >> (8 * i)) & 0xff != 0 {
                        v |= 0xff << (8 * i);
                    }
                }
                set!(v)
            },
            Rev8 => set!(a!().swap_bytes()),
            // Zbs
            Bclr => set!(a!() & !(1 << (b!() & 63))),
            Bclri => set!(a!() & !(1 << shamt!())),
            Bext => set!((a!() >> (b!() & 63)) & 1),
            Bexti => set!((a!() >> shamt!()) & 1),
            Binv => set!(a!() ^ (1 << (b!() & 63))),
            Binvi => set!(a!() ^ (1 << shamt!())),
            Bset => set!(a!() | (1 << (b!() & 63))),
            Bseti => set!(a!() | (1 << shamt!())),
            // Fused pairs (fusion.rs): the expanding code says how the pair runs.
            AddiAddi => fused!($inst, Addi, Addi),
            AddiBne => fused!($inst, Addi, Bne),
            AddiJal => fused!($inst, Addi, Jal),
            AddiMulw => fused!($inst, Addi, Mulw),
            MulwAddw => fused!($inst, Mulw, Addw),
            AddwBne => fused!($inst, Addw, Bne),
            AddwAddw => fused!($inst, Addw, Addw),
            AddiwBeq => fused!($inst, Addiw, Beq),
            AddiwBne => fused!($inst, Addiw, Bne),
            AddiwAddiw => fused!($inst, Addiw, Addiw),
            AddAdd => fused!($inst, Add, Add),
            AddBne => fused!($inst, Add, Bne),
            AddLd => fused!($inst, Add, Ld),
            SlliAdd => fused!($inst, Slli, Add),
            AuipcAddi => fused!($inst, Auipc, Addi),
            LdLd => fused!($inst, Ld, Ld),
            LdAddi => fused!($inst, Ld, Addi),
            LdBeq => fused!($inst, Ld, Beq),
            LdBne => fused!($inst, Ld, Bne),
            LwBne => fused!($inst, Lw, Bne),
            LhLh => fused!($inst, Lh, Lh),
            LhAddi => fused!($inst, Lh, Addi),
            LbuAddi => fused!($inst, Lbu, Addi),
            LbuLbu => fused!($inst, Lbu, Lbu),
            SdSd => fused!($inst, Sd, Sd),
            BneLh => fused!($inst, Bne, Lh),
            BneLd => fused!($inst, Bne, Ld),
            BneAndi => fused!($inst, Bne, Andi),
            BneBeq => fused!($inst, Bne, Beq),
            BeqLw => fused!($inst, Beq, Lw),
            BeqAddi => fused!($inst, Beq, Addi),
            BeqAddiw => fused!($inst, Beq, Addiw),
            AndiSrliw => fused!($inst, Andi, Srliw),
            SrliwAddiw => fused!($inst, Srliw, Addiw),
            SrliwOr => fused!($inst, Srliw, Or),
            SrliwSlliw => fused!($inst, Srliw, Slliw),
            SlliwSrliw => fused!($inst, Slliw, Srliw),
            SlliwOr => fused!($inst, Slliw, Or),
            OrXor => fused!($inst, Or, Xor),
            XorSrliw => fused!($inst, Xor, Srliw),
            SrliXor => fused!($inst, Srli, Xor),
            XorAddw => fused!($inst, Xor, Addw),
            AndAnd => fused!($inst, And, And),
            AndXor => fused!($inst, And, Xor),
            XorAnd => fused!($inst, Xor, And),
            SrlAddiw => fused!($inst, Srl, Addiw),
            LhuSubw => fused!($inst, Lhu, Subw),
            AddiBltu => fused!($inst, Addi, Bltu),
            AddJal => fused!($inst, Add, Jal),
            AddJalr => fused!($inst, Add, Jalr),
            LwAdd => fused!($inst, Lw, Add),
            SdAdd => fused!($inst, Sd, Add),
            AddBlt => fused!($inst, Add, Blt),
            FldFld => fused!($inst, Fld, Fld),
            FldFmulD => fused!($inst, Fld, FmulD),
            FldFsubD => fused!($inst, Fld, FsubD),
            FmaddDFsd => fused!($inst, FmaddD, Fsd),
            FmaddDFmaddD => fused!($inst, FmaddD, FmaddD),
            FmulDFmulD => fused!($inst, FmulD, FmulD),
            FsdFsd => fused!($inst, Fsd, Fsd),
            FsdBne => fused!($inst, Fsd, Bne),
            SlliSrli => fused!($inst, Slli, Srli),
            BltuBltu => fused!($inst, Bltu, Bltu),
            BgeuBltu => fused!($inst, Bgeu, Bltu),
            LwLw => fused!($inst, Lw, Lw),
            LwBeq => fused!($inst, Lw, Beq),
            AndiSrli => fused!($inst, Andi, Srli),
            BeqBlt => fused!($inst, Beq, Blt),
            LbuBne => fused!($inst, Lbu, Bne),
            AddiwAddw => fused!($inst, Addiw, Addw),
            AddwAddiw => fused!($inst, Addw, Addiw),
            AndSlli => fused!($inst, And, Slli),
            MulSrli => fused!($inst, Mul, Srli),
            MulwAddwBne => fused3!($inst, Mulw, Addw, Bne),
            AddiwAddiwBne => fused3!($inst, Addiw, Addiw, Bne),
            SlliwSrliwOr => fused3!($inst, Slliw, Srliw, Or),
            SrliwSlliwOr => fused3!($inst, Srliw, Slliw, Or),
            AndSlliAdd => fused3!($inst, And, Slli, Add),
            MulSrliXor => fused3!($inst, Mul, Srli, Xor),
            SdSdSd => fused3!($inst, Sd, Sd, Sd),
            LdLdLd => fused3!($inst, Ld, Ld, Ld),
            // The FP loads, stores and arithmetic, which FP loops are made of, run here (not
            // through fpu.rs's own dispatch, a call that makes the handler save registers).
            Fld => sem!(Fld, $inst),
            Fsd => sem!(Fsd, $inst),
            FaddD => sem!(FaddD, $inst),
            FsubD => sem!(FsubD, $inst),
            FmulD => sem!(FmulD, $inst),
            FdivD => t!($h.arith_d($inst, crate::fpu::Arith::Div)),
            FmaddD => sem!(FmaddD, $inst),
            FmsubD => t!($h.fused_d($inst, crate::fpu::Fused::Msub)),
            FnmsubD => t!($h.fused_d($inst, crate::fpu::Fused::Nmsub)),
            FnmaddD => t!($h.fused_d($inst, crate::fpu::Fused::Nmadd)),
            Flw => fp_load!($inst; 4, |v: u64| crate::fpu::boxed(v as u32)),
            Fsw => {
                t!($h.fp_enabled($inst));
                store!($inst; 4, $h.f[($inst.rs2 & 31) as usize] & 0xffff_ffff)
            },
            FaddS => t!($h.arith_s($inst, crate::fpu::Arith::Add)),
            FsubS => t!($h.arith_s($inst, crate::fpu::Arith::Sub)),
            FmulS => t!($h.arith_s($inst, crate::fpu::Arith::Mul)),
            FdivS => t!($h.arith_s($inst, crate::fpu::Arith::Div)),
            FmaddS => t!($h.fused_s($inst, crate::fpu::Fused::Madd)),
            FmsubS => t!($h.fused_s($inst, crate::fpu::Fused::Msub)),
            FnmsubS => t!($h.fused_s($inst, crate::fpu::Fused::Nmsub)),
            FnmaddS => t!($h.fused_s($inst, crate::fpu::Fused::Nmadd)),
            // The frequent ones of the rest, each in line in its own handler; then the others, out
            // of line (fpu.rs).
            FsqrtD => fp!(FsqrtD),
            FsgnjD => fp!(FsgnjD),
            FsgnjnD => fp!(FsgnjnD),
            FsgnjxD => fp!(FsgnjxD),
            FminD => fp!(FminD),
            FmaxD => fp!(FmaxD),
            FeqD => fp!(FeqD),
            FltD => fp!(FltD),
            FleD => fp!(FleD),
            FmvXD => fp!(FmvXD),
            FmvDX => fp!(FmvDX),
            FcvtDW => fp!(FcvtDW),
            FcvtDL => fp!(FcvtDL),
            FcvtWD => fp!(FcvtWD),
            FcvtLD => fp!(FcvtLD),
            FcvtSD => fp!(FcvtSD),
            FcvtDS => fp!(FcvtDS),
            FsqrtS => fp!(FsqrtS),
            FsgnjS => fp!(FsgnjS),
            FeqS => fp!(FeqS),
            FltS => fp!(FltS),
            FleS => fp!(FleS),
            FmvXW => fp!(FmvXW),
            FmvWX => fp!(FmvWX),
            FcvtSW => fp!(FcvtSW),
            FcvtWS => fp!(FcvtWS),
            ; Fp => {
                t!($h.execute_fp($inst));
                $h.x[0] = 0;
                seq!()
            }
        }
    };
}
pub(crate) use execute_arms;

/// The operations of [`execute_arms`] as one `match` on `$inst.op`.
macro_rules! execute_match {
    (
        $d:tt $h:ident $bus:ident $inst:ident;
        $($name:ident $([$($op:ident),+])? => $body:expr,)*
        ; $rest:ident => $rest_body:expr
    ) => {
        match $inst.op {
            $(crate::exec::arm_pattern!($name $([$($op),+])?) => $body,)*
            #[allow(unreachable_patterns)] // those above
            crate::inst::fp_ops!() => $rest_body,
        }
    };
}

pub(crate) use execute_match;

/// The pattern of an arm of [`execute_arms`]: its operations.
macro_rules! arm_pattern {
    ($name:ident) => {
        Op::$name
    };
    ($name:ident [$($op:ident),+]) => {
        $(Op::$op)|+
    };
}
pub(crate) use arm_pattern;

/// One instruction: the helpers and the `match`, then on to the next instruction.
macro_rules! execute_body {
    ($d:tt, $h:ident, $bus:ident, $inst:ident) => {{
        crate::exec::execute_helpers!($d, $h, $bus, $inst);
        crate::exec::execute_arms!($d, $h, $bus, $inst, execute_match);
        seq!()
    }};
}
pub(crate) use execute_body;

impl Hart {
    /// Executes `inst`, which was fetched at `*pc`. On success `*pc` is the next instruction's
    /// address; on an exception it is unchanged and nothing architectural was written.
    /// `retired` says how many instructions retired before this one (what a read of minstret
    /// sees). `self.pc` is not read, and written only by xRET. The page loop's handlers
    /// (threaded.rs) expand the same arms without going through this.
    #[inline(always)]
    pub(crate) fn execute<B: Bus>(
        &mut self,
        bus: &mut B,
        inst: &Inst,
        pc: &mut u64,
        retired: Retired,
    ) -> Result<(), Exception> {
        let this = *pc;
        macro_rules! pc {
            () => {
                this
            };
        }
        macro_rules! next_pc {
            () => {
                this.wrapping_add(inst.len() as u64)
            };
        }
        macro_rules! retired {
            () => {
                retired
            };
        }
        macro_rules! seq {
            () => {{
                *pc = next_pc!();
                return Ok(());
            }};
        }
        macro_rules! seq_event {
            () => {
                seq!()
            };
        }
        macro_rules! jump {
            ($t:expr) => {{
                *pc = $t;
                return Ok(());
            }};
        }
        macro_rules! jump_event {
            ($t:expr) => {
                jump!($t)
            };
        }
        macro_rules! trap {
            ($e:expr) => {
                return Err($e)
            };
        }
        macro_rules! slow {
            ($e:expr) => {
                $e
            };
        }
        // Only the decoded-instruction cache fuses pairs and triples; one that reaches here runs
        // its first instruction alone, as it would unfused.
        macro_rules! fused {
            ($i:ident, $a:ident, $b:ident) => {
                sem!($a, $i)
            };
        }
        macro_rules! fused3 {
            ($i:ident, $a:ident, $b:ident, $c:ident) => {
                sem!($a, $i)
            };
        }
        execute_body!($, self, bus, inst)
    }

    /// The Zicsr instructions (spec "Zicsr", 9.1): which of read and write happen depends on the
    /// form and on whether rd / rs1 are x0.
    pub(crate) fn csr_op<B: Bus>(
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
            // The run loop looks at the timer with the clock read at the start of the slice: a
            // new stimecmp is compared with the time now, so a deadline already past is pending
            // at once, as on hardware.
            if csr == STIMECMP {
                self.update_sstc(|| bus.time());
            }
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

    /// The fast path of a load: one TLB tag compare and one host read when the page is cached as
    /// RAM for this context; `None` where `load_slow` must do the access (a TLB miss, a device, a
    /// misaligned address).
    #[inline(always)]
    pub(crate) fn load_fast(&mut self, vaddr: u64, size: usize) -> Option<u64> {
        let p = self.tlb.host_load(vaddr, size, self.data_tag)?;
        // SAFETY: the TLB hands out host addresses inside a live RAM page (see `emu_mmu::Tlb`),
        // for aligned accesses only, which stay inside that page.
        Some(unsafe { read_le(p, size) })
    }

    #[inline(never)]
    pub(crate) fn load_slow<B: Bus>(
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

    /// The fast path of a store: as for a load, when the page also holds no decoded code and no
    /// watched range, and no reservation is held; `false` where `store_slow` must do the access. It
    /// never writes decoded code, so it never raises an event.
    #[inline(always)]
    pub(crate) fn store_fast<B: Bus>(
        &mut self,
        _bus: &B,
        vaddr: u64,
        size: usize,
        value: u64,
    ) -> bool {
        // SAFETY: the TLB's entries come from the RAM of `bus` (`Hart::run` drops them when it is
        // given another), which is alive while this borrow of `bus` is.
        if let Some(p) = unsafe { self.tlb.host_store(vaddr, size, self.store_tag) } {
            // SAFETY: as in `load_fast`.
            unsafe { write_le(p, size, value) };
            return true;
        }
        false
    }

    #[inline(never)]
    pub(crate) fn store_slow<B: Bus>(
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
            self.drop_reservation();
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
        self.drop_reservation();
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
    pub(crate) fn amo<B: Bus>(
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
            self.drop_reservation();
        }
        Ok(old)
    }
}
