//! Instruction decoder: raw bits to [`Inst`], for RV64GC (IMAFDC, Zicsr, Zifencei), Zba, Zbb, Zbs
//! and the privileged instructions.
//!
//! The decoder is strict: a 32-bit word decodes to an operation only if it is exactly a defined
//! encoding (every fixed field checked), and the reserved RVC encodings decode to
//! [`Op::Illegal`]. RVC HINT encodings (e.g. `c.addi` with rd = x0, `c.slli` with shamt = 0) are
//! valid and decode to their base operation, which executes as a no-op where rd = x0.
//!
//! F and D: an operation with a rounding-mode field decodes whatever the field holds and keeps it
//! in `imm`; the reserved values 5 and 6 (and 7 = dynamic while `frm` is invalid) raise an
//! illegal-instruction exception when executed, like an undecodable word does. The half- and
//! quad-precision formats (fmt 10 and 11) are not implemented.

use crate::inst::{Inst, Op};

/// Decodes one instruction. If the low two bits of `bits` are not `0b11`, only the low 16 bits are
/// used and they are decoded as a compressed instruction. Reserved and unsupported encodings decode
/// to [`Op::Illegal`].
pub fn decode(bits: u32) -> Inst {
    if bits & 3 != 3 {
        decode_compressed((bits & 0xffff) as u16)
    } else {
        decode_32(bits)
    }
}

// ---------------------------------------------------------------------------------------------
// Field extraction (32-bit formats)
// ---------------------------------------------------------------------------------------------

#[inline]
fn rd(b: u32) -> u8 {
    ((b >> 7) & 31) as u8
}

#[inline]
fn rs1(b: u32) -> u8 {
    ((b >> 15) & 31) as u8
}

#[inline]
fn rs2(b: u32) -> u8 {
    ((b >> 20) & 31) as u8
}

#[inline]
fn funct3(b: u32) -> u32 {
    (b >> 12) & 7
}

#[inline]
fn funct7(b: u32) -> u32 {
    b >> 25
}

/// I-type immediate, sign-extended.
#[inline]
fn imm_i(b: u32) -> i32 {
    (b as i32) >> 20
}

/// S-type immediate, sign-extended.
#[inline]
fn imm_s(b: u32) -> i32 {
    (((b as i32) >> 25) << 5) | ((b >> 7) & 0x1f) as i32
}

/// B-type immediate (branch offset), sign-extended.
#[inline]
fn imm_b(b: u32) -> i32 {
    (((b as i32) >> 31) << 12)
        | (((b >> 7) & 1) << 11) as i32
        | (((b >> 25) & 0x3f) << 5) as i32
        | (((b >> 8) & 0xf) << 1) as i32
}

/// U-type immediate: the upper 20 bits in place.
#[inline]
fn imm_u(b: u32) -> i32 {
    (b & 0xffff_f000) as i32
}

/// J-type immediate (jump offset), sign-extended.
#[inline]
fn imm_j(b: u32) -> i32 {
    (((b as i32) >> 31) << 20)
        | (b & 0x000f_f000) as i32
        | (((b >> 20) & 1) << 11) as i32
        | (((b >> 21) & 0x3ff) << 1) as i32
}

/// Builds a 32-bit instruction.
#[inline]
fn mk(op: Op, rd: u8, rs1: u8, rs2: u8, imm: i32, raw: u32) -> Inst {
    Inst::new(op, rd, rs1, rs2, 0, 4, imm, raw)
}

/// R-type: rd, rs1, rs2.
#[inline]
fn r(op: Op, b: u32) -> Inst {
    mk(op, rd(b), rs1(b), rs2(b), 0, b)
}

/// I-type: rd, rs1, imm.
#[inline]
fn i(op: Op, b: u32) -> Inst {
    mk(op, rd(b), rs1(b), 0, imm_i(b), b)
}

/// R-type with a fixed rs2 field (unary operations such as `clz`): rd, rs1.
#[inline]
fn unary(op: Op, b: u32) -> Inst {
    mk(op, rd(b), rs1(b), 0, 0, b)
}

/// Shift by immediate: rd, rs1, shamt (`shamt_bits` wide).
#[inline]
fn shift(op: Op, b: u32, shamt_bits: u32) -> Inst {
    mk(
        op,
        rd(b),
        rs1(b),
        0,
        ((b >> 20) & ((1 << shamt_bits) - 1)) as i32,
        b,
    )
}

// ---------------------------------------------------------------------------------------------
// 32-bit instructions
// ---------------------------------------------------------------------------------------------

fn decode_32(b: u32) -> Inst {
    let ill = Inst::illegal(b, 4);
    let f3 = funct3(b);
    let f7 = funct7(b);
    match b & 0x7f {
        // LUI
        0x37 => mk(Op::Lui, rd(b), 0, 0, imm_u(b), b),
        // AUIPC
        0x17 => mk(Op::Auipc, rd(b), 0, 0, imm_u(b), b),
        // JAL
        0x6f => mk(Op::Jal, rd(b), 0, 0, imm_j(b), b),
        // JALR
        0x67 if f3 == 0 => i(Op::Jalr, b),
        // BRANCH
        0x63 => {
            let op = match f3 {
                0 => Op::Beq,
                1 => Op::Bne,
                4 => Op::Blt,
                5 => Op::Bge,
                6 => Op::Bltu,
                7 => Op::Bgeu,
                _ => return ill,
            };
            mk(op, 0, rs1(b), rs2(b), imm_b(b), b)
        }
        // LOAD
        0x03 => {
            let op = match f3 {
                0 => Op::Lb,
                1 => Op::Lh,
                2 => Op::Lw,
                3 => Op::Ld,
                4 => Op::Lbu,
                5 => Op::Lhu,
                6 => Op::Lwu,
                _ => return ill,
            };
            i(op, b)
        }
        // STORE
        0x23 => {
            let op = match f3 {
                0 => Op::Sb,
                1 => Op::Sh,
                2 => Op::Sw,
                3 => Op::Sd,
                _ => return ill,
            };
            mk(op, 0, rs1(b), rs2(b), imm_s(b), b)
        }
        // OP-IMM
        0x13 => decode_op_imm(b).unwrap_or(ill),
        // OP-IMM-32
        0x1b => decode_op_imm_32(b).unwrap_or(ill),
        // OP
        0x33 => {
            let op = match (f7, f3) {
                (0b000_0000, 0) => Op::Add,
                (0b000_0000, 1) => Op::Sll,
                (0b000_0000, 2) => Op::Slt,
                (0b000_0000, 3) => Op::Sltu,
                (0b000_0000, 4) => Op::Xor,
                (0b000_0000, 5) => Op::Srl,
                (0b000_0000, 6) => Op::Or,
                (0b000_0000, 7) => Op::And,
                (0b010_0000, 0) => Op::Sub,
                (0b010_0000, 4) => Op::Xnor,
                (0b010_0000, 5) => Op::Sra,
                (0b010_0000, 6) => Op::Orn,
                (0b010_0000, 7) => Op::Andn,
                (0b000_0001, 0) => Op::Mul,
                (0b000_0001, 1) => Op::Mulh,
                (0b000_0001, 2) => Op::Mulhsu,
                (0b000_0001, 3) => Op::Mulhu,
                (0b000_0001, 4) => Op::Div,
                (0b000_0001, 5) => Op::Divu,
                (0b000_0001, 6) => Op::Rem,
                (0b000_0001, 7) => Op::Remu,
                (0b001_0000, 2) => Op::Sh1add,
                (0b001_0000, 4) => Op::Sh2add,
                (0b001_0000, 6) => Op::Sh3add,
                (0b000_0101, 4) => Op::Min,
                (0b000_0101, 5) => Op::Minu,
                (0b000_0101, 6) => Op::Max,
                (0b000_0101, 7) => Op::Maxu,
                (0b011_0000, 1) => Op::Rol,
                (0b011_0000, 5) => Op::Ror,
                (0b010_0100, 1) => Op::Bclr,
                (0b010_0100, 5) => Op::Bext,
                (0b011_0100, 1) => Op::Binv,
                (0b001_0100, 1) => Op::Bset,
                _ => return ill,
            };
            r(op, b)
        }
        // OP-32
        0x3b => {
            let op = match (f7, f3) {
                (0b000_0000, 0) => Op::Addw,
                (0b000_0000, 1) => Op::Sllw,
                (0b000_0000, 5) => Op::Srlw,
                (0b010_0000, 0) => Op::Subw,
                (0b010_0000, 5) => Op::Sraw,
                (0b000_0001, 0) => Op::Mulw,
                (0b000_0001, 4) => Op::Divw,
                (0b000_0001, 5) => Op::Divuw,
                (0b000_0001, 6) => Op::Remw,
                (0b000_0001, 7) => Op::Remuw,
                (0b000_0100, 0) => Op::AddUw,
                (0b000_0100, 4) if rs2(b) == 0 => return unary(Op::ZextH, b),
                (0b001_0000, 2) => Op::Sh1addUw,
                (0b001_0000, 4) => Op::Sh2addUw,
                (0b001_0000, 6) => Op::Sh3addUw,
                (0b011_0000, 1) => Op::Rolw,
                (0b011_0000, 5) => Op::Rorw,
                _ => return ill,
            };
            r(op, b)
        }
        // AMO
        0x2f => decode_amo(b).unwrap_or(ill),
        // MISC-MEM
        0x0f => match f3 {
            // FENCE. The spec reserves rd, rs1 and the fm values other than 0000 and 1000 for
            // future use and requires implementations to ignore them (executing a plain FENCE),
            // so they are not checked here (QEMU and Spike do the same; objdump is stricter).
            0 => mk(Op::Fence, 0, 0, 0, (b >> 20) as i32, b),
            // FENCE.I: likewise, its imm, rs1 and rd fields are reserved and ignored.
            1 => mk(Op::FenceI, 0, 0, 0, 0, b),
            _ => ill,
        },
        // SYSTEM
        0x73 => decode_system(b).unwrap_or(ill),
        // LOAD-FP: flw, fld (the other widths are Zfh, Q and vector loads).
        0x07 => match f3 {
            2 => i(Op::Flw, b),
            3 => i(Op::Fld, b),
            _ => ill,
        },
        // STORE-FP: fsw, fsd.
        0x27 => match f3 {
            2 => mk(Op::Fsw, 0, rs1(b), rs2(b), imm_s(b), b),
            3 => mk(Op::Fsd, 0, rs1(b), rs2(b), imm_s(b), b),
            _ => ill,
        },
        // FMADD, FMSUB, FNMSUB, FNMADD (R4-type: rs3 in bits 31:27, fmt in 26:25, rm in 14:12).
        0x43 | 0x47 | 0x4b | 0x4f => {
            let (s, d) = match b & 0x7f {
                0x43 => (Op::FmaddS, Op::FmaddD),
                0x47 => (Op::FmsubS, Op::FmsubD),
                0x4b => (Op::FnmsubS, Op::FnmsubD),
                _ => (Op::FnmaddS, Op::FnmaddD),
            };
            let op = match (b >> 25) & 3 {
                0 => s,
                1 => d,
                _ => return ill,
            };
            Inst::new(op, rd(b), rs1(b), rs2(b), (b >> 27) as u8, 4, f3 as i32, b)
        }
        // OP-FP
        0x53 => decode_op_fp(b).unwrap_or(ill),
        _ => ill,
    }
}

/// OP-FP: funct7 is funct5 and fmt (00 = S, 01 = D); funct3 is the rounding mode of the operations
/// that round and a sub-operation of the others; rs2 selects the integer type of the conversions.
fn decode_op_fp(b: u32) -> Option<Inst> {
    let f7 = funct7(b);
    let f3 = funct3(b);
    let double = match f7 & 3 {
        0 => false,
        1 => true,
        _ => return None,
    };
    let pick = |s: Op, d: Op| if double { d } else { s };
    // Operations that round: the rm field goes to `imm`.
    let rounded = |op: Op| mk(op, rd(b), rs1(b), rs2(b), f3 as i32, b);
    let rounded_unary = |op: Op| mk(op, rd(b), rs1(b), 0, f3 as i32, b);
    Some(match f7 >> 2 {
        0b00000 => rounded(pick(Op::FaddS, Op::FaddD)),
        0b00001 => rounded(pick(Op::FsubS, Op::FsubD)),
        0b00010 => rounded(pick(Op::FmulS, Op::FmulD)),
        0b00011 => rounded(pick(Op::FdivS, Op::FdivD)),
        0b01011 if rs2(b) == 0 => rounded_unary(pick(Op::FsqrtS, Op::FsqrtD)),
        0b00100 => r(
            match f3 {
                0 => pick(Op::FsgnjS, Op::FsgnjD),
                1 => pick(Op::FsgnjnS, Op::FsgnjnD),
                2 => pick(Op::FsgnjxS, Op::FsgnjxD),
                _ => return None,
            },
            b,
        ),
        0b00101 => r(
            match f3 {
                0 => pick(Op::FminS, Op::FminD),
                1 => pick(Op::FmaxS, Op::FmaxD),
                _ => return None,
            },
            b,
        ),
        // fcvt.s.d (fmt S, rs2 = 1) and fcvt.d.s (fmt D, rs2 = 0).
        0b01000 => match (double, rs2(b)) {
            (false, 1) => rounded_unary(Op::FcvtSD),
            (true, 0) => rounded_unary(Op::FcvtDS),
            _ => return None,
        },
        0b10100 => r(
            match f3 {
                0 => pick(Op::FleS, Op::FleD),
                1 => pick(Op::FltS, Op::FltD),
                2 => pick(Op::FeqS, Op::FeqD),
                _ => return None,
            },
            b,
        ),
        // fcvt.{w,wu,l,lu}.{s,d}
        0b11000 => rounded_unary(match rs2(b) {
            0 => pick(Op::FcvtWS, Op::FcvtWD),
            1 => pick(Op::FcvtWuS, Op::FcvtWuD),
            2 => pick(Op::FcvtLS, Op::FcvtLD),
            3 => pick(Op::FcvtLuS, Op::FcvtLuD),
            _ => return None,
        }),
        // fcvt.{s,d}.{w,wu,l,lu}
        0b11010 => rounded_unary(match rs2(b) {
            0 => pick(Op::FcvtSW, Op::FcvtDW),
            1 => pick(Op::FcvtSWu, Op::FcvtDWu),
            2 => pick(Op::FcvtSL, Op::FcvtDL),
            3 => pick(Op::FcvtSLu, Op::FcvtDLu),
            _ => return None,
        }),
        0b11100 if rs2(b) == 0 => match f3 {
            0 => unary(pick(Op::FmvXW, Op::FmvXD), b),
            1 => unary(pick(Op::FclassS, Op::FclassD), b),
            _ => return None,
        },
        0b11110 if rs2(b) == 0 && f3 == 0 => unary(pick(Op::FmvWX, Op::FmvDX), b),
        _ => return None,
    })
}

fn decode_op_imm(b: u32) -> Option<Inst> {
    let funct6 = b >> 26;
    let funct12 = b >> 20;
    Some(match funct3(b) {
        0 => i(Op::Addi, b),
        2 => i(Op::Slti, b),
        3 => i(Op::Sltiu, b),
        4 => i(Op::Xori, b),
        6 => i(Op::Ori, b),
        7 => i(Op::Andi, b),
        1 => match funct6 {
            0b00_0000 => shift(Op::Slli, b, 6),
            0b00_1010 => shift(Op::Bseti, b, 6),
            0b01_0010 => shift(Op::Bclri, b, 6),
            0b01_1010 => shift(Op::Binvi, b, 6),
            0b01_1000 => match funct12 {
                0x600 => unary(Op::Clz, b),
                0x601 => unary(Op::Ctz, b),
                0x602 => unary(Op::Cpop, b),
                0x604 => unary(Op::SextB, b),
                0x605 => unary(Op::SextH, b),
                _ => return None,
            },
            _ => return None,
        },
        5 => match funct6 {
            0b00_0000 => shift(Op::Srli, b, 6),
            0b01_0000 => shift(Op::Srai, b, 6),
            0b01_1000 => shift(Op::Rori, b, 6),
            0b01_0010 => shift(Op::Bexti, b, 6),
            _ => match funct12 {
                0x287 => unary(Op::OrcB, b),
                0x6b8 => unary(Op::Rev8, b),
                _ => return None,
            },
        },
        _ => unreachable!(),
    })
}

fn decode_op_imm_32(b: u32) -> Option<Inst> {
    let f7 = funct7(b);
    Some(match funct3(b) {
        0 => i(Op::Addiw, b),
        1 => match (f7, b >> 26) {
            (0b000_0000, _) => shift(Op::Slliw, b, 5),
            (_, 0b00_0010) => shift(Op::SlliUw, b, 6),
            (0b011_0000, _) => match rs2(b) {
                0 => unary(Op::Clzw, b),
                1 => unary(Op::Ctzw, b),
                2 => unary(Op::Cpopw, b),
                _ => return None,
            },
            _ => return None,
        },
        5 => match f7 {
            0b000_0000 => shift(Op::Srliw, b, 5),
            0b010_0000 => shift(Op::Sraiw, b, 5),
            0b011_0000 => shift(Op::Roriw, b, 5),
            _ => return None,
        },
        _ => return None,
    })
}

fn decode_amo(b: u32) -> Option<Inst> {
    let double = match funct3(b) {
        2 => false,
        3 => true,
        _ => return None,
    };
    let funct5 = b >> 27;
    let aqrl = ((b >> 25) & 3) as i32;
    let (w, d) = match funct5 {
        0b00010 => {
            // LR: the rs2 field must be zero.
            if rs2(b) != 0 {
                return None;
            }
            (Op::LrW, Op::LrD)
        }
        0b00011 => (Op::ScW, Op::ScD),
        0b00001 => (Op::AmoswapW, Op::AmoswapD),
        0b00000 => (Op::AmoaddW, Op::AmoaddD),
        0b00100 => (Op::AmoxorW, Op::AmoxorD),
        0b01100 => (Op::AmoandW, Op::AmoandD),
        0b01000 => (Op::AmoorW, Op::AmoorD),
        0b10000 => (Op::AmominW, Op::AmominD),
        0b10100 => (Op::AmomaxW, Op::AmomaxD),
        0b11000 => (Op::AmominuW, Op::AmominuD),
        0b11100 => (Op::AmomaxuW, Op::AmomaxuD),
        _ => return None,
    };
    let op = if double { d } else { w };
    Some(mk(op, rd(b), rs1(b), rs2(b), aqrl, b))
}

fn decode_system(b: u32) -> Option<Inst> {
    let csr = (b >> 20) as i32;
    Some(match funct3(b) {
        0 => match b {
            0x0000_0073 => mk(Op::Ecall, 0, 0, 0, 0, b),
            0x0010_0073 => mk(Op::Ebreak, 0, 0, 0, 0, b),
            0x3020_0073 => mk(Op::Mret, 0, 0, 0, 0, b),
            0x1020_0073 => mk(Op::Sret, 0, 0, 0, 0, b),
            0x1050_0073 => mk(Op::Wfi, 0, 0, 0, 0, b),
            _ if funct7(b) == 0b000_1001 && rd(b) == 0 => {
                mk(Op::SfenceVma, 0, rs1(b), rs2(b), 0, b)
            }
            _ => return None,
        },
        1 => mk(Op::Csrrw, rd(b), rs1(b), 0, csr, b),
        2 => mk(Op::Csrrs, rd(b), rs1(b), 0, csr, b),
        3 => mk(Op::Csrrc, rd(b), rs1(b), 0, csr, b),
        5 => mk(Op::Csrrwi, rd(b), rs1(b), 0, csr, b),
        6 => mk(Op::Csrrsi, rd(b), rs1(b), 0, csr, b),
        7 => mk(Op::Csrrci, rd(b), rs1(b), 0, csr, b),
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Compressed instructions
// ---------------------------------------------------------------------------------------------

/// Builds the expansion of a compressed instruction.
#[inline]
fn c(op: Op, rd: u8, rs1: u8, rs2: u8, imm: i32, raw: u16) -> Inst {
    Inst::new(op, rd, rs1, rs2, 0, 2, imm, raw as u32)
}

/// Bit `n` of `h`, as an i32 0 or 1.
#[inline]
fn bit(h: u16, n: u32) -> i32 {
    ((h >> n) & 1) as i32
}

/// Bits `hi..=lo` of `h`.
#[inline]
fn bits(h: u16, hi: u32, lo: u32) -> i32 {
    ((h >> lo) & ((1 << (hi - lo + 1)) - 1)) as i32
}

/// Sign-extends the low `n` bits of `v`.
#[inline]
fn sext(v: i32, n: u32) -> i32 {
    (v << (32 - n)) >> (32 - n)
}

/// The 3-bit register fields of the CIW/CL/CS/CA/CB formats name x8..x15.
#[inline]
fn creg(h: u16, lo: u32) -> u8 {
    8 + bits(h, lo + 2, lo) as u8
}

/// The 6-bit immediate of CI-format instructions (imm[5] = bit 12, imm[4:0] = bits 6:2),
/// sign-extended.
#[inline]
fn ci_imm(h: u16) -> i32 {
    sext((bit(h, 12) << 5) | bits(h, 6, 2), 6)
}

/// The unsigned 6-bit shift amount of c.slli/c.srli/c.srai.
#[inline]
fn ci_shamt(h: u16) -> i32 {
    (bit(h, 12) << 5) | bits(h, 6, 2)
}

fn decode_compressed(h: u16) -> Inst {
    let ill = Inst::illegal(h as u32, 2);
    let f3 = h >> 13;
    let rd_full = bits(h, 11, 7) as u8;
    let rs2_full = bits(h, 6, 2) as u8;
    match (h & 3, f3) {
        // ----- Quadrant 0 -----
        // C.ADDI4SPN: addi rd', sp, nzuimm (nzuimm = 0 is reserved, which includes 0x0000).
        (0, 0b000) => {
            let imm = (bits(h, 12, 11) << 4)
                | (bits(h, 10, 7) << 6)
                | (bit(h, 6) << 2)
                | (bit(h, 5) << 3);
            if imm == 0 {
                return ill;
            }
            c(Op::Addi, creg(h, 2), 2, 0, imm, h)
        }
        // C.FLD
        (0, 0b001) => {
            let imm = (bits(h, 12, 10) << 3) | (bits(h, 6, 5) << 6);
            c(Op::Fld, creg(h, 2), creg(h, 7), 0, imm, h)
        }
        // C.LW
        (0, 0b010) => {
            let imm = (bits(h, 12, 10) << 3) | (bit(h, 6) << 2) | (bit(h, 5) << 6);
            c(Op::Lw, creg(h, 2), creg(h, 7), 0, imm, h)
        }
        // C.LD
        (0, 0b011) => {
            let imm = (bits(h, 12, 10) << 3) | (bits(h, 6, 5) << 6);
            c(Op::Ld, creg(h, 2), creg(h, 7), 0, imm, h)
        }
        // Reserved (Zcb loads/stores live here; not implemented).
        (0, 0b100) => ill,
        // C.FSD
        (0, 0b101) => {
            let imm = (bits(h, 12, 10) << 3) | (bits(h, 6, 5) << 6);
            c(Op::Fsd, 0, creg(h, 7), creg(h, 2), imm, h)
        }
        // C.SW
        (0, 0b110) => {
            let imm = (bits(h, 12, 10) << 3) | (bit(h, 6) << 2) | (bit(h, 5) << 6);
            c(Op::Sw, 0, creg(h, 7), creg(h, 2), imm, h)
        }
        // C.SD
        (0, 0b111) => {
            let imm = (bits(h, 12, 10) << 3) | (bits(h, 6, 5) << 6);
            c(Op::Sd, 0, creg(h, 7), creg(h, 2), imm, h)
        }

        // ----- Quadrant 1 -----
        // C.ADDI / C.NOP (rd = 0 or imm = 0: HINTs, still addi).
        (1, 0b000) => c(Op::Addi, rd_full, rd_full, 0, ci_imm(h), h),
        // C.ADDIW (RV64; rd = 0 is reserved).
        (1, 0b001) => {
            if rd_full == 0 {
                return ill;
            }
            c(Op::Addiw, rd_full, rd_full, 0, ci_imm(h), h)
        }
        // C.LI (rd = 0: HINT).
        (1, 0b010) => c(Op::Addi, rd_full, 0, 0, ci_imm(h), h),
        // C.ADDI16SP (rd = 2) / C.LUI
        (1, 0b011) => {
            if rd_full == 2 {
                let imm = sext(
                    (bit(h, 12) << 9)
                        | (bit(h, 6) << 4)
                        | (bit(h, 5) << 6)
                        | (bits(h, 4, 3) << 7)
                        | (bit(h, 2) << 5),
                    10,
                );
                if imm == 0 {
                    return ill;
                }
                c(Op::Addi, 2, 2, 0, imm, h)
            } else {
                let imm = ci_imm(h) << 12;
                if imm == 0 {
                    return ill;
                }
                // rd = 0: HINT.
                c(Op::Lui, rd_full, 0, 0, imm, h)
            }
        }
        // MISC-ALU
        (1, 0b100) => {
            let rd = creg(h, 7);
            match bits(h, 11, 10) {
                // C.SRLI / C.SRAI (shamt = 0: HINT on RV64).
                0b00 => c(Op::Srli, rd, rd, 0, ci_shamt(h), h),
                0b01 => c(Op::Srai, rd, rd, 0, ci_shamt(h), h),
                // C.ANDI
                0b10 => c(Op::Andi, rd, rd, 0, ci_imm(h), h),
                _ => {
                    let rs2 = creg(h, 2);
                    let op = match (bit(h, 12), bits(h, 6, 5)) {
                        (0, 0b00) => Op::Sub,
                        (0, 0b01) => Op::Xor,
                        (0, 0b10) => Op::Or,
                        (0, 0b11) => Op::And,
                        (1, 0b00) => Op::Subw,
                        (1, 0b01) => Op::Addw,
                        // funct6 = 100111 with funct2 = 10/11: reserved (Zcb).
                        _ => return ill,
                    };
                    c(op, rd, rd, rs2, 0, h)
                }
            }
        }
        // C.J
        (1, 0b101) => c(Op::Jal, 0, 0, 0, cj_imm(h), h),
        // C.BEQZ / C.BNEZ
        (1, 0b110) => c(Op::Beq, 0, creg(h, 7), 0, cb_imm(h), h),
        (1, 0b111) => c(Op::Bne, 0, creg(h, 7), 0, cb_imm(h), h),

        // ----- Quadrant 2 -----
        // C.SLLI (rd = 0 or shamt = 0: HINT).
        (2, 0b000) => c(Op::Slli, rd_full, rd_full, 0, ci_shamt(h), h),
        // C.FLDSP (unlike C.LDSP, rd = f0 is allowed).
        (2, 0b001) => {
            let imm = (bit(h, 12) << 5) | (bits(h, 6, 5) << 3) | (bits(h, 4, 2) << 6);
            c(Op::Fld, rd_full, 2, 0, imm, h)
        }
        // C.LWSP (rd = 0 is reserved).
        (2, 0b010) => {
            if rd_full == 0 {
                return ill;
            }
            let imm = (bit(h, 12) << 5) | (bits(h, 6, 4) << 2) | (bits(h, 3, 2) << 6);
            c(Op::Lw, rd_full, 2, 0, imm, h)
        }
        // C.LDSP (rd = 0 is reserved).
        (2, 0b011) => {
            if rd_full == 0 {
                return ill;
            }
            let imm = (bit(h, 12) << 5) | (bits(h, 6, 5) << 3) | (bits(h, 4, 2) << 6);
            c(Op::Ld, rd_full, 2, 0, imm, h)
        }
        // C.JR / C.MV / C.EBREAK / C.JALR / C.ADD
        (2, 0b100) => match (bit(h, 12), rd_full, rs2_full) {
            // C.JR with rs1 = 0 is reserved.
            (0, 0, 0) => ill,
            (0, rs1, 0) => c(Op::Jalr, 0, rs1, 0, 0, h),
            // C.MV (rd = 0: HINT).
            (0, rd, rs2) => c(Op::Add, rd, 0, rs2, 0, h),
            (1, 0, 0) => c(Op::Ebreak, 0, 0, 0, 0, h),
            (1, rs1, 0) => c(Op::Jalr, 1, rs1, 0, 0, h),
            // C.ADD (rd = 0: HINT).
            (_, rd, rs2) => c(Op::Add, rd, rd, rs2, 0, h),
        },
        // C.FSDSP
        (2, 0b101) => {
            let imm = (bits(h, 12, 10) << 3) | (bits(h, 9, 7) << 6);
            c(Op::Fsd, 0, 2, rs2_full, imm, h)
        }
        // C.SWSP
        (2, 0b110) => {
            let imm = (bits(h, 12, 9) << 2) | (bits(h, 8, 7) << 6);
            c(Op::Sw, 0, 2, rs2_full, imm, h)
        }
        // C.SDSP
        (2, 0b111) => {
            let imm = (bits(h, 12, 10) << 3) | (bits(h, 9, 7) << 6);
            c(Op::Sd, 0, 2, rs2_full, imm, h)
        }
        _ => unreachable!("quadrant 3 is not compressed"),
    }
}

/// The CJ-format jump offset: imm[11|4|9:8|10|6|7|3:1|5] in bits 12:2.
#[inline]
fn cj_imm(h: u16) -> i32 {
    sext(
        (bit(h, 12) << 11)
            | (bit(h, 11) << 4)
            | (bits(h, 10, 9) << 8)
            | (bit(h, 8) << 10)
            | (bit(h, 7) << 6)
            | (bit(h, 6) << 7)
            | (bits(h, 5, 3) << 1)
            | (bit(h, 2) << 5),
        12,
    )
}

/// The CB-format branch offset: imm[8|4:3] in bits 12:10, imm[7:6|2:1|5] in bits 6:2.
#[inline]
fn cb_imm(h: u16) -> i32 {
    sext(
        (bit(h, 12) << 8)
            | (bits(h, 11, 10) << 3)
            | (bits(h, 6, 5) << 6)
            | (bits(h, 4, 3) << 1)
            | (bit(h, 2) << 5),
        9,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 32-bit instruction with every field given.
    fn i32(op: Op, rd: u8, rs1: u8, rs2: u8, imm: i32, raw: u32) -> Inst {
        Inst::new(op, rd, rs1, rs2, 0, 4, imm, raw)
    }

    /// A compressed instruction with every field given.
    fn i16(op: Op, rd: u8, rs1: u8, rs2: u8, imm: i32, raw: u32) -> Inst {
        Inst::new(op, rd, rs1, rs2, 0, 2, imm, raw)
    }

    fn illegal32(raw: u32) {
        assert_eq!(
            decode(raw),
            Inst::illegal(raw, 4),
            "{raw:#010x} should be illegal"
        );
    }

    fn illegal16(raw: u32) {
        assert_eq!(
            decode(raw),
            Inst::illegal(raw, 2),
            "{raw:#06x} should be illegal"
        );
    }

    #[test]
    fn base_integer() {
        assert_eq!(
            decode(0xffb5_8513),
            i32(Op::Addi, 10, 11, 0, -5, 0xffb5_8513)
        );
        assert_eq!(
            decode(0xffff_f537),
            i32(Op::Lui, 10, 0, 0, -4096, 0xffff_f537)
        );
        assert_eq!(
            decode(0x8000_0297),
            i32(Op::Auipc, 5, 0, 0, i32::MIN, 0x8000_0297)
        );
        assert_eq!(decode(0xffdf_f0ef), i32(Op::Jal, 1, 0, 0, -4, 0xffdf_f0ef));
        assert_eq!(
            decode(0x7fff_f06f),
            i32(Op::Jal, 0, 0, 0, 0xffffe, 0x7fff_f06f)
        );
        assert_eq!(decode(0x8000_006f).imm, -(1 << 20));
        assert_eq!(
            decode(0x80b5_0063),
            i32(Op::Beq, 0, 10, 11, -4096, 0x80b5_0063)
        );
        assert_eq!(
            decode(0x7fbf_ffe3),
            i32(Op::Bgeu, 0, 31, 27, 4094, 0x7fbf_ffe3)
        );
        assert_eq!(
            decode(0xfff5_05e7),
            i32(Op::Jalr, 11, 10, 0, -1, 0xfff5_05e7)
        );
        assert_eq!(
            decode(0x8005_8503),
            i32(Op::Lb, 10, 11, 0, -2048, 0x8005_8503)
        );
        assert_eq!(
            decode(0x7ff1_6503),
            i32(Op::Lwu, 10, 2, 0, 2047, 0x7ff1_6503)
        );
        assert_eq!(decode(0xffbf_bc23), i32(Op::Sd, 0, 31, 27, -8, 0xffbf_bc23));
        assert_eq!(
            decode(0x43f5_d513),
            i32(Op::Srai, 10, 11, 0, 63, 0x43f5_d513)
        );
        assert_eq!(
            decode(0x41f5_d51b),
            i32(Op::Sraiw, 10, 11, 0, 31, 0x41f5_d51b)
        );
        assert_eq!(
            decode(0x03f5_1513),
            i32(Op::Slli, 10, 10, 0, 63, 0x03f5_1513)
        );
        assert_eq!(
            decode(0x40c5_853b),
            i32(Op::Subw, 10, 11, 12, 0, 0x40c5_853b)
        );
    }

    #[test]
    fn m_a_zicsr_zifencei_privileged() {
        assert_eq!(
            decode(0x02c5_a533),
            i32(Op::Mulhsu, 10, 11, 12, 0, 0x02c5_a533)
        );
        assert_eq!(
            decode(0x02c5_f53b),
            i32(Op::Remuw, 10, 11, 12, 0, 0x02c5_f53b)
        );
        assert_eq!(
            decode(0x0ec5_b52f),
            i32(Op::AmoswapD, 10, 11, 12, 3, 0x0ec5_b52f)
        );
        assert_eq!(decode(0x1405_a52f), i32(Op::LrW, 10, 11, 0, 2, 0x1405_a52f));
        assert_eq!(
            decode(0x1ac5_b52f),
            i32(Op::ScD, 10, 11, 12, 1, 0x1ac5_b52f)
        );
        assert_eq!(
            decode(0xe0c5_a52f),
            i32(Op::AmomaxuW, 10, 11, 12, 0, 0xe0c5_a52f)
        );
        assert_eq!(
            decode(0x3000_2573),
            i32(Op::Csrrs, 10, 0, 0, 0x300, 0x3000_2573)
        );
        assert_eq!(
            decode(0x300f_d073),
            i32(Op::Csrrwi, 0, 31, 0, 0x300, 0x300f_d073)
        );
        assert_eq!(
            decode(0xfff0_f573),
            i32(Op::Csrrci, 10, 1, 0, 0xfff, 0xfff0_f573)
        );
        assert_eq!(
            decode(0x8330_000f),
            i32(Op::Fence, 0, 0, 0, 0x833, 0x8330_000f)
        );
        assert_eq!(
            decode(0x0330_000f),
            i32(Op::Fence, 0, 0, 0, 0x033, 0x0330_000f)
        );
        assert_eq!(
            decode(0x0000_100f),
            i32(Op::FenceI, 0, 0, 0, 0, 0x0000_100f)
        );
        assert_eq!(
            decode(0x12b5_0073),
            i32(Op::SfenceVma, 0, 10, 11, 0, 0x12b5_0073)
        );
        assert_eq!(decode(0x0000_0073).op, Op::Ecall);
        assert_eq!(decode(0x0010_0073).op, Op::Ebreak);
        assert_eq!(decode(0x3020_0073).op, Op::Mret);
        assert_eq!(decode(0x1020_0073).op, Op::Sret);
        assert_eq!(decode(0x1050_0073).op, Op::Wfi);
        // The spec says FENCE's and FENCE.I's reserved fields are ignored.
        assert_eq!(
            decode(0xf335_8a8f),
            i32(Op::Fence, 0, 0, 0, 0xf33, 0xf335_8a8f)
        );
        assert_eq!(
            decode(0x1235_9a8f),
            i32(Op::FenceI, 0, 0, 0, 0, 0x1235_9a8f)
        );
    }

    #[test]
    fn bitmanip() {
        assert_eq!(
            decode(0x0bf5_951b),
            i32(Op::SlliUw, 10, 11, 0, 63, 0x0bf5_951b)
        );
        assert_eq!(
            decode(0x63f5_d513),
            i32(Op::Rori, 10, 11, 0, 63, 0x63f5_d513)
        );
        assert_eq!(
            decode(0x61f5_d51b),
            i32(Op::Roriw, 10, 11, 0, 31, 0x61f5_d51b)
        );
        assert_eq!(
            decode(0x4bf5_9513),
            i32(Op::Bclri, 10, 11, 0, 63, 0x4bf5_9513)
        );
        assert_eq!(
            decode(0x4815_d513),
            i32(Op::Bexti, 10, 11, 0, 1, 0x4815_d513)
        );
        assert_eq!(decode(0x6005_9513), i32(Op::Clz, 10, 11, 0, 0, 0x6005_9513));
        assert_eq!(
            decode(0x6015_951b),
            i32(Op::Ctzw, 10, 11, 0, 0, 0x6015_951b)
        );
        assert_eq!(
            decode(0x2875_d513),
            i32(Op::OrcB, 10, 11, 0, 0, 0x2875_d513)
        );
        assert_eq!(
            decode(0x6b85_d513),
            i32(Op::Rev8, 10, 11, 0, 0, 0x6b85_d513)
        );
        assert_eq!(
            decode(0x0805_c53b),
            i32(Op::ZextH, 10, 11, 0, 0, 0x0805_c53b)
        );
        assert_eq!(
            decode(0x6055_9513),
            i32(Op::SextH, 10, 11, 0, 0, 0x6055_9513)
        );
        assert_eq!(
            decode(0x20c5_e53b),
            i32(Op::Sh3addUw, 10, 11, 12, 0, 0x20c5_e53b)
        );
        assert_eq!(
            decode(0x08c5_853b),
            i32(Op::AddUw, 10, 11, 12, 0, 0x08c5_853b)
        );
    }

    #[test]
    fn strict_32_bit() {
        illegal32(0x2010_5013); // srai with funct6 = 001000
        illegal32(0x0200_101b); // slliw with bit 25 set
        illegal32(0x0200_501b); // srliw with bit 25 set
        illegal32(0x4200_501b); // sraiw with bit 25 set
        illegal32(0x6200_501b); // roriw with bit 25 set
        illegal32(0x1010_202f); // lr.w with rs2 != 0
        illegal32(0x1010_302f); // lr.d with rs2 != 0
        illegal32(0x2800_202f); // reserved AMO funct5
        illegal32(0x0000_402f); // AMO with funct3 = 4
        illegal32(0x0000_00f3); // ecall with rd != 0
        illegal32(0x0000_8073); // ecall with rs1 != 0
        illegal32(0x0010_8073); // ebreak with rs1 != 0
        illegal32(0x3020_00f3); // mret with rd != 0
        illegal32(0x3060_0073); // mret with rs2 != 0
        illegal32(0x1050_00f3); // wfi with rd != 0
        illegal32(0x1200_00f3); // sfence.vma with rd != 0
        illegal32(0x0000_4073); // SYSTEM funct3 = 4
        illegal32(0x0020_0073); // uret (N extension, withdrawn)
        illegal32(0x7b20_0073); // dret (debug mode only)
        illegal32(0x6035_1513); // clz-like with rs2 = 3
        illegal32(0x6065_1513); // sext-like with rs2 = 6
        illegal32(0x6035_151b); // clzw-like with rs2 = 3
        illegal32(0x2865_5513); // orc.b-like with shamt 6
        illegal32(0x6985_5513); // rev8 of RV32
        illegal32(0x0815_453b); // zext.h with rs2 != 0
        illegal32(0x0805_4533); // zext.h of RV32 (OP, not OP-32)
        illegal32(0x0000_2063); // branch funct3 = 2
        illegal32(0x0000_1067); // jalr funct3 = 1
        illegal32(0x0000_7003); // load funct3 = 7
        illegal32(0x0000_4023); // store funct3 = 4
        illegal32(0x0000_200f); // MISC-MEM funct3 = 2
        illegal32(0x0000_1007); // LOAD-FP funct3 = 1 (flh, Zfh)
        illegal32(0x0000_4027); // STORE-FP funct3 = 4 (fsq, Q)
        illegal32(0x0400_0053); // fadd.h (fmt 10)
        illegal32(0x0600_0043); // fmadd.q (fmt 11)
        illegal32(0x5810_0053); // fsqrt.s with rs2 != 0
        illegal32(0x2000_3053); // fsgnj funct3 = 3
        illegal32(0x2800_2053); // fmin/fmax funct3 = 2
        illegal32(0x4000_0053); // fcvt.s.d with rs2 = 0
        illegal32(0x4210_0053); // fcvt.d.s with rs2 = 1
        illegal32(0xa000_3053); // fle/flt/feq funct3 = 3
        illegal32(0xc040_0053); // fcvt.?.s with rs2 = 4
        illegal32(0xe000_2053); // fmv.x.w / fclass.s funct3 = 2
        illegal32(0xe010_0053); // fmv.x.w with rs2 != 0
        illegal32(0xf000_1053); // fmv.w.x with funct3 != 0
        illegal32(0x0000_001f); // a 48-bit instruction's prefix
        illegal32(0xffff_ffff);
        illegal32(0x0600_0033); // OP funct7 = 3
    }

    #[test]
    fn compressed_expansions() {
        assert_eq!(decode(0x1fe8), i16(Op::Addi, 10, 2, 0, 1020, 0x1fe8)); // c.addi4spn
        assert_eq!(decode(0x5ffc), i16(Op::Lw, 15, 15, 0, 124, 0x5ffc));
        assert_eq!(decode(0x7fe0), i16(Op::Ld, 8, 15, 0, 248, 0x7fe0));
        assert_eq!(decode(0xc0bc), i16(Op::Sw, 0, 9, 15, 64, 0xc0bc));
        assert_eq!(decode(0xe0dc), i16(Op::Sd, 0, 9, 15, 128, 0xe0dc));
        assert_eq!(decode(0x1501), i16(Op::Addi, 10, 10, 0, -32, 0x1501));
        assert_eq!(decode(0x257d), i16(Op::Addiw, 10, 10, 0, 31, 0x257d));
        assert_eq!(decode(0x557d), i16(Op::Addi, 10, 0, 0, -1, 0x557d)); // c.li
        assert_eq!(decode(0x7101), i16(Op::Addi, 2, 2, 0, -512, 0x7101)); // c.addi16sp
        assert_eq!(decode(0x617d), i16(Op::Addi, 2, 2, 0, 496, 0x617d));
        assert_eq!(decode(0x7501), i16(Op::Lui, 10, 0, 0, -0x20000, 0x7501));
        assert_eq!(decode(0x657d), i16(Op::Lui, 10, 0, 0, 0x1f000, 0x657d));
        assert_eq!(decode(0x757d), i16(Op::Lui, 10, 0, 0, -4096, 0x757d));
        assert_eq!(decode(0x917d), i16(Op::Srli, 10, 10, 0, 63, 0x917d));
        assert_eq!(decode(0x8405), i16(Op::Srai, 8, 8, 0, 1, 0x8405));
        assert_eq!(decode(0x9b81), i16(Op::Andi, 15, 15, 0, -32, 0x9b81));
        assert_eq!(decode(0x8c1d), i16(Op::Sub, 8, 8, 15, 0, 0x8c1d));
        assert_eq!(decode(0x8c3d), i16(Op::Xor, 8, 8, 15, 0, 0x8c3d));
        assert_eq!(decode(0x8c5d), i16(Op::Or, 8, 8, 15, 0, 0x8c5d));
        assert_eq!(decode(0x8c7d), i16(Op::And, 8, 8, 15, 0, 0x8c7d));
        assert_eq!(decode(0x9c1d), i16(Op::Subw, 8, 8, 15, 0, 0x9c1d));
        assert_eq!(decode(0x9c3d), i16(Op::Addw, 8, 8, 15, 0, 0x9c3d));
        assert_eq!(decode(0xb001), i16(Op::Jal, 0, 0, 0, -2048, 0xb001)); // c.j
        assert_eq!(decode(0xaffd), i16(Op::Jal, 0, 0, 0, 2046, 0xaffd));
        assert_eq!(decode(0xd101), i16(Op::Beq, 0, 10, 0, -256, 0xd101)); // c.beqz
        assert_eq!(decode(0xecfd), i16(Op::Bne, 0, 9, 0, 254, 0xecfd)); // c.bnez
        assert_eq!(decode(0x1ffe), i16(Op::Slli, 31, 31, 0, 63, 0x1ffe));
        assert_eq!(decode(0x50fe), i16(Op::Lw, 1, 2, 0, 252, 0x50fe)); // c.lwsp
        assert_eq!(decode(0x70fe), i16(Op::Ld, 1, 2, 0, 504, 0x70fe)); // c.ldsp
        assert_eq!(decode(0x8082), i16(Op::Jalr, 0, 1, 0, 0, 0x8082)); // c.jr ra
        assert_eq!(decode(0x852e), i16(Op::Add, 10, 0, 11, 0, 0x852e)); // c.mv
        assert_eq!(decode(0x9002), i16(Op::Ebreak, 0, 0, 0, 0, 0x9002));
        assert_eq!(decode(0x9502), i16(Op::Jalr, 1, 10, 0, 0, 0x9502)); // c.jalr
        assert_eq!(decode(0x952e), i16(Op::Add, 10, 10, 11, 0, 0x952e));
        assert_eq!(decode(0xdf86), i16(Op::Sw, 0, 2, 1, 252, 0xdf86)); // c.swsp
        assert_eq!(decode(0xff86), i16(Op::Sd, 0, 2, 1, 504, 0xff86)); // c.sdsp
                                                                       // Only the low 16 bits of a compressed instruction count.
        assert_eq!(decode(0xdead_8082), decode(0x8082));
    }

    #[test]
    fn floating_point() {
        let fp = |op, rd, rs1, rs2, rs3, imm, raw| Inst::new(op, rd, rs1, rs2, rs3, 4, imm, raw);
        assert_eq!(
            decode(0xffc5_a507),
            i32(Op::Flw, 10, 11, 0, -4, 0xffc5_a507)
        );
        assert_eq!(decode(0x00a5_a427), i32(Op::Fsw, 0, 11, 10, 8, 0x00a5_a427));
        assert_eq!(
            decode(0x00c5_f553),
            i32(Op::FaddS, 10, 11, 12, 7, 0x00c5_f553)
        );
        assert_eq!(
            decode(0x00c5_9553),
            i32(Op::FaddS, 10, 11, 12, 1, 0x00c5_9553)
        );
        // Reserved rounding modes decode; executing them is illegal.
        assert_eq!(
            decode(0x02c5_d553),
            i32(Op::FaddD, 10, 11, 12, 5, 0x02c5_d553)
        );
        assert_eq!(
            decode(0x68c5_9543),
            fp(Op::FmaddS, 10, 11, 12, 13, 1, 0x68c5_9543)
        );
        assert_eq!(
            decode(0x6ac5_f54b),
            fp(Op::FnmsubD, 10, 11, 12, 13, 7, 0x6ac5_f54b)
        );
        assert_eq!(
            decode(0x5a05_b553),
            i32(Op::FsqrtD, 10, 11, 0, 3, 0x5a05_b553)
        );
        assert_eq!(
            decode(0x20b5_9553),
            i32(Op::FsgnjnS, 10, 11, 11, 0, 0x20b5_9553)
        );
        assert_eq!(
            decode(0x2ac5_9553),
            i32(Op::FmaxD, 10, 11, 12, 0, 0x2ac5_9553)
        );
        assert_eq!(
            decode(0x4015_9553),
            i32(Op::FcvtSD, 10, 11, 0, 1, 0x4015_9553)
        );
        assert_eq!(
            decode(0x4205_8553),
            i32(Op::FcvtDS, 10, 11, 0, 0, 0x4205_8553)
        );
        assert_eq!(
            decode(0xa0c5_a553),
            i32(Op::FeqS, 10, 11, 12, 0, 0xa0c5_a553)
        );
        assert_eq!(
            decode(0xa2c5_9553),
            i32(Op::FltD, 10, 11, 12, 0, 0xa2c5_9553)
        );
        assert_eq!(
            decode(0xc005_1553),
            i32(Op::FcvtWS, 10, 10, 0, 1, 0xc005_1553)
        );
        assert_eq!(
            decode(0xc235_2553),
            i32(Op::FcvtLuD, 10, 10, 0, 2, 0xc235_2553)
        );
        assert_eq!(
            decode(0xd025_0553),
            i32(Op::FcvtSL, 10, 10, 0, 0, 0xd025_0553)
        );
        assert_eq!(
            decode(0xd215_0553),
            i32(Op::FcvtDWu, 10, 10, 0, 0, 0xd215_0553)
        );
        assert_eq!(
            decode(0xe005_0553),
            i32(Op::FmvXW, 10, 10, 0, 0, 0xe005_0553)
        );
        assert_eq!(
            decode(0xe205_1553),
            i32(Op::FclassD, 10, 10, 0, 0, 0xe205_1553)
        );
        assert_eq!(
            decode(0xf005_0553),
            i32(Op::FmvWX, 10, 10, 0, 0, 0xf005_0553)
        );
        assert_eq!(
            decode(0xf205_0553),
            i32(Op::FmvDX, 10, 10, 0, 0, 0xf205_0553)
        );
        // Compressed: c.fld, c.fsd, c.fldsp (rd = f0 allowed), c.fsdsp.
        assert_eq!(decode(0x2588), i16(Op::Fld, 10, 11, 0, 8, 0x2588));
        assert_eq!(decode(0xbfe0), i16(Op::Fsd, 0, 15, 8, 248, 0xbfe0));
        assert_eq!(decode(0x2002), i16(Op::Fld, 0, 2, 0, 0, 0x2002));
        assert_eq!(decode(0x3ffe), i16(Op::Fld, 31, 2, 0, 504, 0x3ffe));
        assert_eq!(decode(0xbffe), i16(Op::Fsd, 0, 2, 31, 504, 0xbffe));
    }

    #[test]
    fn compressed_hints_are_valid() {
        assert_eq!(decode(0x0001), i16(Op::Addi, 0, 0, 0, 0, 0x0001)); // c.nop
        assert_eq!(decode(0x0005), i16(Op::Addi, 0, 0, 0, 1, 0x0005)); // c.nop 1
        assert_eq!(decode(0x0501), i16(Op::Addi, 10, 10, 0, 0, 0x0501)); // c.addi a0,0
        assert_eq!(decode(0x4001), i16(Op::Addi, 0, 0, 0, 0, 0x4001)); // c.li zero,0
        assert_eq!(decode(0x6005), i16(Op::Lui, 0, 0, 0, 0x1000, 0x6005)); // c.lui zero,1
        assert_eq!(decode(0x8006), i16(Op::Add, 0, 0, 1, 0, 0x8006)); // c.mv zero,ra
        assert_eq!(decode(0x9006), i16(Op::Add, 0, 0, 1, 0, 0x9006)); // c.add zero,ra
        assert_eq!(decode(0x0502), i16(Op::Slli, 10, 10, 0, 0, 0x0502)); // c.slli64 a0
        assert_eq!(decode(0x0006), i16(Op::Slli, 0, 0, 0, 1, 0x0006)); // c.slli zero,1
        assert_eq!(decode(0x8001), i16(Op::Srli, 8, 8, 0, 0, 0x8001)); // c.srli64 s0
        assert_eq!(decode(0x8401), i16(Op::Srai, 8, 8, 0, 0, 0x8401)); // c.srai64 s0
    }

    #[test]
    fn compressed_reserved() {
        illegal16(0x0000); // all zero (c.addi4spn with nzuimm = 0)
        illegal16(0x0004); // c.addi4spn with nzuimm = 0, rd' = s1
        illegal16(0x001c); // c.addi4spn with nzuimm = 0, rd' = a5
        illegal16(0x6101); // c.addi16sp with nzimm = 0
        illegal16(0x6501); // c.lui with nzimm = 0
        illegal16(0x6001); // c.lui rd = 0 with nzimm = 0
        illegal16(0x4002); // c.lwsp with rd = 0
        illegal16(0x6002); // c.ldsp with rd = 0
        illegal16(0x8002); // c.jr with rs1 = 0
        illegal16(0x2001); // c.addiw with rd = 0
        illegal16(0x307d); // c.addiw with rd = 0, imm = -1
        illegal16(0x9c41); // funct6 = 100111, funct2 = 10 (reserved; Zcb c.mul)
        illegal16(0x9c61); // funct6 = 100111, funct2 = 11 (reserved; Zcb)
        illegal16(0x8000); // quadrant 0 funct3 = 100 (reserved; Zcb)
        illegal16(0x9c7d);
    }
}
