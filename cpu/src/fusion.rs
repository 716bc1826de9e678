//! Instruction-pair fusion in the decoded-instruction cache.
//!
//! When the cache decodes an instruction whose next one (in the same page) makes one of the
//! common pairs below, it gives the first slot the pair's own operation: the page loop then runs
//! both instructions from one dispatch, the second with its operands read from its own slot (which
//! stays decoded as itself, for jumps that land on it). Dispatch (loading the operation, the
//! indirect jump, and going on) is about a third of what a simple instruction costs the
//! interpreter, and holds an indirect jump the host cannot always predict. (Real cores fuse
//! common pairs too, to save decode and issue slots.)
//!
//! The pairs are the most frequent adjacent operations in the benchmark workloads
//! (`roms/bench`: a CoreMark-like integer mix, a compile-like load, memory, FP, busybox sha256sum
//! and gzip, a Linux boot), counted per executed instruction. Both halves are operations that
//! `exec.rs`'s `sem!` covers: integer ALU operations, loads, SD, branches, JAL and JALR, FLD, FSD
//! and double-precision arithmetic. A first instruction that jumps, traps or stores into decoded
//! code (an event) ends the pair there; one that exhausts the budget too.
//!
//! Triples are fused pairs that the instruction after them extends, where that makes a common
//! run of three (a multiply-accumulate and its loop branch, a rotate built of two shifts and an
//! OR, an array index, three saves or restores).
//!
//! A debugger's breakpoint on a later instruction must stop there: `Breakpoints::mark` empties
//! the fused slots in front of a marker, and a slot is never fused with a marker.

use crate::inst::Op;

macro_rules! fuse_fn {
    (
        pairs { $($f:ident = $a:ident + $b:ident,)* }
        triples { $($t:ident = $p:ident + $c:ident,)* }
    ) => {
        /// The fused operation for `first` followed by `second`, if they make a pair.
        pub(crate) fn fuse(first: Op, second: Op) -> Option<Op> {
            match (first, second) {
                $((Op::$a, Op::$b) => Some(Op::$f),)*
                _ => None,
            }
        }

        /// The fused operation for the fused pair `pair` followed by `third`, if they make a
        /// triple.
        pub(crate) fn fuse_third(pair: Op, third: Op) -> Option<Op> {
            match (pair, third) {
                $((Op::$p, Op::$c) => Some(Op::$t),)*
                _ => None,
            }
        }

        /// Whether `op` is the first of any pair (a quick test before decoding the next one).
        #[allow(unreachable_patterns)]
        pub(crate) fn leads(op: Op) -> bool {
            match op {
                $(Op::$a => true,)*
                _ => false,
            }
        }

        impl Op {
            /// The first operation of a fused pair or triple; any other operation is itself.
            pub fn unfused(self) -> Op {
                match self {
                    $(Op::$f => Op::$a,)*
                    $(Op::$t => Op::$p.unfused(),)*
                    op => op,
                }
            }
        }

        /// Every pair, as (fused, first, second).
        #[cfg(test)]
        pub(crate) const PAIRS: &[(Op, Op, Op)] = &[$((Op::$f, Op::$a, Op::$b),)*];

        /// Every triple, as (fused, pair, third).
        #[cfg(test)]
        pub(crate) const TRIPLES: &[(Op, Op, Op)] = &[$((Op::$t, Op::$p, Op::$c),)*];
    };
}

// The pairs, `Fused = First + Second`, and the triples, `Fused = Pair + Third`.
fuse_fn! {
    pairs {
        AddiAddi = Addi + Addi,
        AddiBne = Addi + Bne,
        AddiJal = Addi + Jal,
        AddiMulw = Addi + Mulw,
        MulwAddw = Mulw + Addw,
        AddwBne = Addw + Bne,
        AddwAddw = Addw + Addw,
        AddiwBeq = Addiw + Beq,
        AddiwBne = Addiw + Bne,
        AddiwAddiw = Addiw + Addiw,
        AddAdd = Add + Add,
        AddBne = Add + Bne,
        AddLd = Add + Ld,
        SlliAdd = Slli + Add,
        AuipcAddi = Auipc + Addi,
        LdLd = Ld + Ld,
        LdAddi = Ld + Addi,
        LdBeq = Ld + Beq,
        LdBne = Ld + Bne,
        LwBne = Lw + Bne,
        LhLh = Lh + Lh,
        LhAddi = Lh + Addi,
        LbuAddi = Lbu + Addi,
        LbuLbu = Lbu + Lbu,
        SdSd = Sd + Sd,
        BneLh = Bne + Lh,
        BneLd = Bne + Ld,
        BneAndi = Bne + Andi,
        BneBeq = Bne + Beq,
        BeqLw = Beq + Lw,
        BeqAddi = Beq + Addi,
        BeqAddiw = Beq + Addiw,
        AndiSrliw = Andi + Srliw,
        SrliwAddiw = Srliw + Addiw,
        SrliwOr = Srliw + Or,
        SrliwSlliw = Srliw + Slliw,
        SlliwSrliw = Slliw + Srliw,
        SlliwOr = Slliw + Or,
        OrXor = Or + Xor,
        XorSrliw = Xor + Srliw,
        SrliXor = Srli + Xor,
        XorAddw = Xor + Addw,
        AndAnd = And + And,
        AndXor = And + Xor,
        XorAnd = Xor + And,
        SrlAddiw = Srl + Addiw,
        LhuSubw = Lhu + Subw,
        AddiBltu = Addi + Bltu,
        AddJal = Add + Jal,
        AddJalr = Add + Jalr,
        LwAdd = Lw + Add,
        SdAdd = Sd + Add,
        AddBlt = Add + Blt,
        FldFld = Fld + Fld,
        FldFmulD = Fld + FmulD,
        FldFsubD = Fld + FsubD,
        FmaddDFsd = FmaddD + Fsd,
        FmaddDFmaddD = FmaddD + FmaddD,
        FmulDFmulD = FmulD + FmulD,
        FsdFsd = Fsd + Fsd,
        FsdBne = Fsd + Bne,
        SlliSrli = Slli + Srli,
        BltuBltu = Bltu + Bltu,
        BgeuBltu = Bgeu + Bltu,
        LwLw = Lw + Lw,
        LwBeq = Lw + Beq,
        AndiSrli = Andi + Srli,
        BeqBlt = Beq + Blt,
        LbuBne = Lbu + Bne,
        AddiwAddw = Addiw + Addw,
        AddwAddiw = Addw + Addiw,
        AndSlli = And + Slli,
        MulSrli = Mul + Srli,
    }
    triples {
        MulwAddwBne = MulwAddw + Bne,
        AddiwAddiwBne = AddiwAddiw + Bne,
        SlliwSrliwOr = SlliwSrliw + Or,
        SrliwSlliwOr = SrliwSlliw + Or,
        AndSlliAdd = AndSlli + Add,
        MulSrliXor = MulSrli + Xor,
        SdSdSd = SdSd + Sd,
        LdLdLd = LdLd + Ld,
    }
}

#[cfg(test)]
mod tests {
    use super::{PAIRS, TRIPLES};
    use crate::decode::decode;
    use crate::inst::Op;
    use crate::tests::{TestBus, XorShift};
    use crate::{Exit, Hart, PageLoop};
    use emu_mmu::{Ram, DRAM_BASE};

    fn i_type(opcode: u32, f3: u32, rd: u32, rs1: u32, imm: i32) -> u32 {
        ((imm as u32 & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode
    }

    fn r_type(opcode: u32, f3: u32, f7: u32, rd: u32, rs1: u32, rs2: u32) -> u32 {
        (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode
    }

    fn s_type(opcode: u32, f3: u32, rs1: u32, rs2: u32, imm: i32) -> u32 {
        let i = imm as u32;
        ((i >> 5 & 0x7f) << 25)
            | (rs2 << 20)
            | (rs1 << 15)
            | (f3 << 12)
            | ((i & 0x1f) << 7)
            | opcode
    }

    fn b_type(f3: u32, rs1: u32, rs2: u32, imm: i32) -> u32 {
        let i = imm as u32;
        ((i >> 12 & 1) << 31)
            | ((i >> 5 & 0x3f) << 25)
            | (rs2 << 20)
            | (rs1 << 15)
            | (f3 << 12)
            | ((i >> 1 & 0xf) << 8)
            | ((i >> 11 & 1) << 7)
            | 0x63
    }

    /// A random instance of `op`: 32-bit, or one of its compressed forms where it has one.
    fn encode(op: Op, rng: &mut XorShift) -> u32 {
        let reg = |rng: &mut XorShift| rng.below(32) as u32;
        let (rd, rs1, rs2) = (reg(rng), reg(rng), reg(rng));
        let imm = rng.below(4096) as i32 - 2048;
        // Jumps and branches stay near, so that some land in the page.
        let near = (rng.below(64) as i32 - 32) * 2;
        let (c_rd, c_rs2) = (8 + rng.below(8) as u32, 8 + rng.below(8) as u32);
        let compressed = rng.below(2) == 0;
        // Rounding: to nearest, dynamic (frm), or toward zero.
        let rm = [0, 7, 1][rng.below(3) as usize];
        match op {
            Op::Addi if compressed => 0x0001 | (rd << 7) | ((imm as u32 & 0x1f) << 2),
            Op::Addi => i_type(0x13, 0, rd, rs1, imm),
            Op::Andi => i_type(0x13, 7, rd, rs1, imm),
            Op::Slli if compressed => 0x0002 | (rd << 7) | ((imm as u32 & 0x1f) << 2),
            Op::Slli => i_type(0x13, 1, rd, rs1, imm & 63),
            Op::Srli => i_type(0x13, 5, rd, rs1, imm & 63),
            Op::Addiw => i_type(0x1b, 0, rd, rs1, imm),
            Op::Slliw => i_type(0x1b, 1, rd, rs1, imm & 31),
            Op::Srliw => i_type(0x1b, 5, rd, rs1, imm & 31),
            Op::Add if compressed => 0x9002 | (rd << 7) | (rs2.max(1) << 2),
            Op::Add => r_type(0x33, 0, 0, rd, rs1, rs2),
            Op::Xor if compressed => 0x8c21 | ((c_rd - 8) << 7) | ((c_rs2 - 8) << 2),
            Op::Xor => r_type(0x33, 4, 0, rd, rs1, rs2),
            Op::Or => r_type(0x33, 6, 0, rd, rs1, rs2),
            Op::And => r_type(0x33, 7, 0, rd, rs1, rs2),
            Op::Srl => r_type(0x33, 5, 0, rd, rs1, rs2),
            Op::Subw => r_type(0x3b, 0, 0x20, rd, rs1, rs2),
            Op::Lhu => i_type(0x03, 5, rd, rs1, imm),
            Op::Blt => b_type(4, rs1, rs2, near),
            Op::Bltu => b_type(6, rs1, rs2, near),
            Op::Bgeu => b_type(7, rs1, rs2, near),
            Op::Jalr => i_type(0x67, 0, rd, rs1, imm),
            Op::Addw => r_type(0x3b, 0, 0, rd, rs1, rs2),
            Op::Mulw => r_type(0x3b, 0, 1, rd, rs1, rs2),
            Op::Mul => r_type(0x33, 0, 1, rd, rs1, rs2),
            Op::Ld if compressed => 0x6000 | ((c_rd - 8) << 2) | ((c_rs2 - 8) << 7),
            Op::Ld => i_type(0x03, 3, rd, rs1, imm),
            Op::Lw => i_type(0x03, 2, rd, rs1, imm),
            Op::Lh => i_type(0x03, 1, rd, rs1, imm),
            Op::Lbu => i_type(0x03, 4, rd, rs1, imm),
            Op::Sd if compressed => 0xe000 | ((c_rd - 8) << 2) | ((c_rs2 - 8) << 7),
            Op::Sd => s_type(0x23, 3, rs1, rs2, imm),
            Op::Beq if compressed => c_branch(0xc001, c_rd, near),
            Op::Beq => b_type(0, rs1, rs2, near),
            Op::Bne if compressed => c_branch(0xe001, c_rd, near),
            Op::Bne => b_type(1, rs1, rs2, near),
            Op::Jal => {
                let i = near as u32;
                ((i >> 20 & 1) << 31)
                    | ((i >> 1 & 0x3ff) << 21)
                    | ((i >> 11 & 1) << 20)
                    | ((i >> 12 & 0xff) << 12)
                    | (rd << 7)
                    | 0x6f
            }
            Op::Auipc => (rng.next() as u32 & 0xffff_f000) | (rd << 7) | 0x17,
            Op::Fld => i_type(0x07, 3, rd, rs1, imm),
            Op::Fsd => s_type(0x27, 3, rs1, rs2, imm),
            Op::FaddD => r_type(0x53, rm, 0x01, rd, rs1, rs2),
            Op::FsubD => r_type(0x53, rm, 0x05, rd, rs1, rs2),
            Op::FmulD => r_type(0x53, rm, 0x09, rd, rs1, rs2),
            Op::FmaddD => r_type(0x43, rm, (reg(rng) << 2) | 1, rd, rs1, rs2),
            _ => panic!("no encoder for {op:?}"),
        }
    }

    /// C.BEQZ / C.BNEZ (`base`) on x`rs1` (x8..x15) with offset `imm`.
    fn c_branch(base: u32, rs1: u32, imm: i32) -> u32 {
        let i = imm as u32;
        base | ((rs1 - 8) << 7)
            | ((i >> 8 & 1) << 12)
            | ((i >> 3 & 3) << 10)
            | ((i >> 6 & 3) << 5)
            | ((i >> 1 & 3) << 3)
            | ((i >> 5 & 1) << 2)
    }

    fn write_inst(ram: &mut Ram, addr: u64, bits: u32) -> u64 {
        let len = if bits & 3 == 3 { 4 } else { 2 };
        ram.write_bytes(addr, &bits.to_le_bytes()[..len]);
        len as u64
    }

    /// A hart in M-mode at `pc` with registers drawn from `rng`: RAM addresses (for the loads and
    /// stores), small numbers and equal values (for the branches), and anything.
    fn machine(pc: u64, rng: &mut XorShift) -> (Hart, TestBus) {
        let bus = TestBus {
            ram: Ram::new(DRAM_BASE, 1 << 16).unwrap(),
        };
        let mut hart = Hart::new(0);
        hart.pc = pc;
        hart.csr.mtvec = DRAM_BASE + 0x2000;
        // FP on (or, now and then, Off: FP instructions trap), NX accrued or not, and doubles:
        // ordinary, tiny, huge, special, or anything.
        if rng.below(8) != 0 {
            hart.csr.mstatus |= crate::csr::MSTATUS_FS;
        }
        hart.fcsr = rng.below(2) as u8;
        for f in hart.f.iter_mut() {
            *f = match rng.below(4) {
                0 => (rng.next() & 0x800f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000,
                1 => [
                    0,
                    1,
                    0x7ff0_0000_0000_0000,
                    0x7ff8_0000_0000_0000,
                    0x0010_0000_0000_0000,
                ][rng.below(5) as usize],
                2 => (rng.next() & 0x800f_ffff_ffff_ffff) | 0x7fe0_0000_0000_0000,
                _ => rng.next(),
            };
        }
        for r in 1..32 {
            hart.x[r] = match rng.below(4) {
                0 => DRAM_BASE + 0x8000 + (rng.below(0x4000) & !rng.below(8)),
                1 => rng.below(4),
                2 => hart.x[r - 1],
                _ => rng.next(),
            };
        }
        (hart, bus)
    }

    /// Every pair and triple runs fused, in each page loop, exactly as its instructions run one
    /// by one, uncached:
    /// random operands, both lengths, loads and stores that hit and miss RAM or trap, taken
    /// branches, and pairs and triples at the end of the page (not fused there).
    #[test]
    fn a_fused_pair_or_triple_does_what_its_instructions_do() {
        let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
        let sequences = PAIRS
            .iter()
            .map(|&(f, a, b)| (f, vec![a, b]))
            .chain(TRIPLES.iter().map(|&(f, pair, c)| {
                let &(_, a, b) = PAIRS.iter().find(|p| p.0 == pair).unwrap();
                (f, vec![a, b, c])
            }));
        let (mut count, mut fused) = (0, 0);
        for (op, ops) in sequences {
            count += 1;
            for case in 0..300 {
                let bits: Vec<u32> = ops.iter().map(|&o| encode(o, &mut rng)).collect();
                if bits.iter().zip(&ops).any(|(&b, &o)| decode(b).op != o) {
                    continue;
                }
                let at = DRAM_BASE + [0x400, 0x400, 0xff4, 0xff8, 0xffa][case % 5];
                let seed = rng.next();
                // Uncached (the reference), then each page loop of this build.
                let loops = [PageLoop::Threaded, PageLoop::Portable];
                let runs: Vec<(Hart, TestBus, Exit)> = (0..3)
                    .filter(|&how| how == 0 || loops[how - 1].is_built())
                    .map(|how| {
                        let (mut hart, mut bus) = machine(at, &mut XorShift(seed));
                        let mut next = at;
                        for &b in &bits {
                            next += write_inst(&mut bus.ram, next, b);
                        }
                        // A third of the cases with a budget that ends inside the sequence.
                        let len = bits.len() as u64;
                        let n = if case % 3 == 0 {
                            1 + (case / 3) as u64 % len
                        } else {
                            len
                        };
                        let exit = if how == 0 {
                            hart.run_traced(&mut bus, n, &mut std::io::sink()).unwrap()
                        } else {
                            assert!(hart.set_page_loop(loops[how - 1]));
                            hart.run(&mut bus, n)
                        };
                        (hart, bus, exit)
                    })
                    .collect();
                let t = &runs[0].0;
                for (h, bus, exit) in &runs[1..] {
                    let what = format!("{op:?} {bits:x?} at {at:#x}, {:?}", h.page_loop());
                    assert_eq!(*exit, runs[0].2, "{what}");
                    assert_eq!((h.pc, h.x, h.instret()), (t.pc, t.x, t.instret()), "{what}");
                    assert_eq!((h.f, h.fcsr), (t.f, t.fcsr), "{what}");
                    assert_eq!(h.csr.mstatus, t.csr.mstatus, "{what}");
                    assert_eq!(
                        (h.csr.mcause, h.csr.mepc, h.csr.mtval),
                        (t.csr.mcause, t.csr.mepc, t.csr.mtval),
                        "{what}"
                    );
                    assert!(bus.ram.as_slice() == runs[0].1.ram.as_slice(), "{what}");
                    if at & 0xfff == 0x400 && h.icache.slot(at).map(|i| i.op) == Some(op) {
                        fused += 1;
                    }
                }
            }
        }
        // Most cases at 0x400 ran fused in each loop (the rest could not be encoded as asked).
        let built = [PageLoop::Threaded, PageLoop::Portable]
            .iter()
            .filter(|l| l.is_built())
            .count();
        assert!(fused > count * 80 * built, "{fused} fused cases");
    }

    /// The first store of a fused SD pair rewrites the second: the new instruction runs.
    #[test]
    fn a_pair_whose_first_store_rewrites_the_second_runs_the_new_second() {
        let (mut hart, mut bus) = machine(DRAM_BASE + 0x404, &mut XorShift(1));
        write_inst(&mut bus.ram, DRAM_BASE + 0x404, 0x00b5_3223); // sd a1, 4(a0)
        write_inst(&mut bus.ram, DRAM_BASE + 0x408, 0x00c6_b023); // sd a2, 0(a3)
        hart.x[10] = DRAM_BASE + 0x404;
        // li a5, 42; nop
        hart.x[11] = 0x0000_0013_02a0_0793;
        hart.x[13] = DRAM_BASE + 0x9000;
        assert_eq!(hart.run(&mut bus, 2), Exit::Budget);
        assert_eq!((hart.pc, hart.x[15]), (DRAM_BASE + 0x40c, 42));
        assert_eq!(bus.ram.read(DRAM_BASE + 0x9000, 8), Some(0));
    }
}
