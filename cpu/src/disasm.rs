//! Disassembler in the syntax of GNU objdump (binutils 2.40, `objdump -d` with its default
//! aliases), for the instructions [`crate::decode`] accepts.
//!
//! One deliberate difference: binutils 2.40 rejects fcvt.d.w, fcvt.d.wu and fcvt.d.s with a
//! rounding mode other than 000 (the spec gives them an rm field that cannot matter, as they are
//! exact); we decode them and print the mode as a last operand.

use crate::inst::{Inst, Op};
use std::fmt::Write;

/// ABI names of the integer registers, as objdump prints them.
pub const REG_NAMES: [&str; 32] = [
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
    "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
    "t5", "t6",
];

/// ABI names of the floating-point registers, as objdump prints them.
pub const FREG_NAMES: [&str; 32] = [
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2",
    "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9",
    "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
];

/// Disassembles `inst`, located at `pc`, as objdump would print it (mnemonic, a tab, operands).
pub fn disassemble(inst: &Inst, pc: u64) -> String {
    // A fused pair's or triple's slot shows its first instruction.
    let mut first = *inst;
    first.set_op(inst.op.unfused());
    let inst = &first;
    if inst.len() == 2 && inst.op != Op::Illegal {
        if let Some(s) = compressed(inst) {
            return s;
        }
    }
    let rd = reg(inst.rd);
    let rs1 = reg(inst.rs1);
    let rs2 = reg(inst.rs2);
    let imm = inst.imm;
    let target = pc.wrapping_add(imm as i64 as u64);
    let mut s = String::new();
    // `write!` to a String cannot fail.
    let _ = match inst.op {
        Op::Illegal => {
            if inst.len() == 2 && inst.raw == 0 {
                write!(s, "unimp")
            } else if inst.len() == 2 {
                write!(s, ".2byte\t{:#x}", inst.raw)
            } else {
                write!(s, ".4byte\t{:#x}", inst.raw)
            }
        }
        Op::Lui => write!(s, "lui\t{rd},{:#x}", (imm as u32) >> 12),
        Op::Auipc => write!(s, "auipc\t{rd},{:#x}", (imm as u32) >> 12),
        Op::Jal => match inst.rd {
            0 => write!(s, "j\t{target:x}"),
            1 => write!(s, "jal\t{target:x}"),
            _ => write!(s, "jal\t{rd},{target:x}"),
        },
        Op::Jalr => match (inst.rd, inst.rs1, imm) {
            (0, 1, 0) => write!(s, "ret"),
            (0, _, 0) => write!(s, "jr\t{rs1}"),
            (0, _, _) => write!(s, "jr\t{imm}({rs1})"),
            (1, _, 0) => write!(s, "jalr\t{rs1}"),
            (1, _, _) => write!(s, "jalr\t{imm}({rs1})"),
            (_, _, 0) => write!(s, "jalr\t{rd},{rs1}"),
            _ => write!(s, "jalr\t{rd},{imm}({rs1})"),
        },
        Op::Beq | Op::Bne | Op::Blt | Op::Bge | Op::Bltu | Op::Bgeu => {
            let name = mnemonic(inst.op);
            match (inst.op, inst.rs1, inst.rs2) {
                (Op::Beq, _, 0) => write!(s, "beqz\t{rs1},{target:x}"),
                (Op::Bne, _, 0) => write!(s, "bnez\t{rs1},{target:x}"),
                (Op::Bge, 0, _) => write!(s, "blez\t{rs2},{target:x}"),
                (Op::Bge, _, 0) => write!(s, "bgez\t{rs1},{target:x}"),
                (Op::Blt, _, 0) => write!(s, "bltz\t{rs1},{target:x}"),
                (Op::Blt, 0, _) => write!(s, "bgtz\t{rs2},{target:x}"),
                _ => write!(s, "{name}\t{rs1},{rs2},{target:x}"),
            }
        }
        Op::Lb | Op::Lh | Op::Lw | Op::Ld | Op::Lbu | Op::Lhu | Op::Lwu => {
            write!(s, "{}\t{rd},{imm}({rs1})", mnemonic(inst.op))
        }
        Op::Sb | Op::Sh | Op::Sw | Op::Sd => write!(s, "{}\t{rs2},{imm}({rs1})", mnemonic(inst.op)),
        Op::Addi => match (inst.rd, inst.rs1, imm) {
            (0, 0, 0) => write!(s, "nop"),
            (_, 0, _) => write!(s, "li\t{rd},{imm}"),
            (_, _, 0) => write!(s, "mv\t{rd},{rs1}"),
            _ => write!(s, "add\t{rd},{rs1},{imm}"),
        },
        Op::Addiw if imm == 0 => write!(s, "sext.w\t{rd},{rs1}"),
        Op::Addiw => write!(s, "addw\t{rd},{rs1},{imm}"),
        Op::Sltiu if imm == 1 => write!(s, "seqz\t{rd},{rs1}"),
        Op::Xori if imm == -1 => write!(s, "not\t{rd},{rs1}"),
        Op::Andi if imm == 255 => write!(s, "zext.b\t{rd},{rs1}"),
        Op::Slti | Op::Sltiu => write!(s, "{}\t{rd},{rs1},{imm}", mnemonic(inst.op)),
        Op::Xori => write!(s, "xor\t{rd},{rs1},{imm}"),
        Op::Ori => write!(s, "or\t{rd},{rs1},{imm}"),
        Op::Andi => write!(s, "and\t{rd},{rs1},{imm}"),
        Op::Slli
        | Op::Srli
        | Op::Srai
        | Op::Slliw
        | Op::Srliw
        | Op::Sraiw
        | Op::Rori
        | Op::Roriw
        | Op::Bclri
        | Op::Bexti
        | Op::Binvi
        | Op::Bseti => {
            let name = match inst.op {
                Op::Slli => "sll",
                Op::Srli => "srl",
                Op::Srai => "sra",
                Op::Slliw => "sllw",
                Op::Srliw => "srlw",
                Op::Sraiw => "sraw",
                Op::Rori => "ror",
                Op::Roriw => "rorw",
                Op::Bclri => "bclr",
                Op::Bexti => "bext",
                Op::Binvi => "binv",
                _ => "bset",
            };
            write!(s, "{name}\t{rd},{rs1},{imm:#x}")
        }
        Op::SlliUw => write!(s, "slli.uw\t{rd},{rs1},{imm:#x}"),
        Op::Sub if inst.rs1 == 0 => write!(s, "neg\t{rd},{rs2}"),
        Op::Subw if inst.rs1 == 0 => write!(s, "negw\t{rd},{rs2}"),
        Op::Sltu if inst.rs1 == 0 => write!(s, "snez\t{rd},{rs2}"),
        Op::Slt if inst.rs2 == 0 => write!(s, "sltz\t{rd},{rs1}"),
        Op::Slt if inst.rs1 == 0 => write!(s, "sgtz\t{rd},{rs2}"),
        Op::AddUw if inst.rs2 == 0 => write!(s, "zext.w\t{rd},{rs1}"),
        Op::Fence => fence(&mut s, imm as u32),
        Op::FenceI => write!(s, "fence.i"),
        Op::Ecall | Op::Ebreak | Op::Mret | Op::Sret | Op::Wfi => {
            write!(s, "{}", mnemonic(inst.op))
        }
        Op::SfenceVma => match (inst.rs1, inst.rs2) {
            (0, 0) => write!(s, "sfence.vma"),
            (_, 0) => write!(s, "sfence.vma\t{rs1}"),
            _ => write!(s, "sfence.vma\t{rs1},{rs2}"),
        },
        Op::Csrrw | Op::Csrrs | Op::Csrrc | Op::Csrrwi | Op::Csrrsi | Op::Csrrci => {
            csr(&mut s, inst)
        }
        Op::LrW | Op::LrD => write!(s, "{}{}\t{rd},({rs1})", mnemonic(inst.op), aqrl(imm)),
        Op::ScW
        | Op::ScD
        | Op::AmoswapW
        | Op::AmoaddW
        | Op::AmoxorW
        | Op::AmoandW
        | Op::AmoorW
        | Op::AmominW
        | Op::AmomaxW
        | Op::AmominuW
        | Op::AmomaxuW
        | Op::AmoswapD
        | Op::AmoaddD
        | Op::AmoxorD
        | Op::AmoandD
        | Op::AmoorD
        | Op::AmominD
        | Op::AmomaxD
        | Op::AmominuD
        | Op::AmomaxuD => write!(s, "{}{}\t{rd},{rs2},({rs1})", mnemonic(inst.op), aqrl(imm)),
        op if is_fp(op) => fp(&mut s, inst),
        Op::Clz
        | Op::Ctz
        | Op::Cpop
        | Op::Clzw
        | Op::Ctzw
        | Op::Cpopw
        | Op::SextB
        | Op::SextH
        | Op::ZextH
        | Op::OrcB
        | Op::Rev8 => write!(s, "{}\t{rd},{rs1}", mnemonic(inst.op)),
        // The remaining register-register operations.
        _ => write!(s, "{}\t{rd},{rs1},{rs2}", mnemonic(inst.op)),
    };
    s
}

/// The compressed encodings objdump prints differently from their expansion: the HINTs (which it
/// prints with their `c.` name) and a few whose alias differs from the 32-bit form's.
fn compressed(inst: &Inst) -> Option<String> {
    let raw = inst.raw;
    let (quadrant, funct3, bit12) = (raw & 3, (raw >> 13) & 7, (raw >> 12) & 1);
    let rd = reg(inst.rd);
    let rs2 = reg(inst.rs2);
    let imm = inst.imm;
    Some(match (inst.op, quadrant, funct3) {
        // C.NOP and its HINTs, C.ADDI (printed as `add` even when imm = 0).
        (Op::Addi, 1, 0) if inst.rd == 0 && imm == 0 => "nop".to_string(),
        (Op::Addi, 1, 0) if inst.rd == 0 => format!("c.nop\t{imm}"),
        (Op::Addi, 1, 0) => format!("add\t{rd},{rd},{imm}"),
        // C.LI rd = 0 (HINT).
        (Op::Addi, 1, 2) if inst.rd == 0 => format!("c.li\tzero,{imm}"),
        // C.LUI rd = 0 (HINT).
        (Op::Lui, 1, 3) if inst.rd == 0 => format!("c.lui\tzero,{:#x}", (imm as u32) >> 12),
        // C.MV (rd = 0: HINT).
        (Op::Add, 2, 4) if bit12 == 0 && inst.rd == 0 => format!("c.mv\tzero,{rs2}"),
        (Op::Add, 2, 4) if bit12 == 0 => format!("mv\t{rd},{rs2}"),
        // C.ADD rd = 0 (HINT).
        (Op::Add, 2, 4) if inst.rd == 0 => format!("c.add\tzero,{rs2}"),
        // C.SLLI/C.SRLI/C.SRAI with shamt = 0 (HINTs; the RV128 64-bit shifts), C.SLLI rd = 0.
        (Op::Slli, 2, 0) if imm == 0 => format!("c.slli64\t{rd}"),
        (Op::Slli, 2, 0) if inst.rd == 0 => format!("c.slli\tzero,{imm:#x}"),
        (Op::Srli, 1, 4) if imm == 0 => format!("c.srli64\t{rd}"),
        (Op::Srai, 1, 4) if imm == 0 => format!("c.srai64\t{rd}"),
        _ => return None,
    })
}

fn reg(r: u8) -> &'static str {
    REG_NAMES[(r & 31) as usize]
}

fn freg(r: u8) -> &'static str {
    FREG_NAMES[(r & 31) as usize]
}

fn is_fp(op: Op) -> bool {
    matches!(op, crate::inst::fp_ops!())
}

/// The F and D instructions. The rounding mode is printed as a last operand unless it is dynamic
/// (objdump's rule); the exact conversions fcvt.d.w, fcvt.d.wu and fcvt.d.s, which binutils 2.40
/// only knows with rm = 000, print it unless it is 000.
fn fp(s: &mut String, inst: &Inst) -> std::fmt::Result {
    const RM: [&str; 8] = [
        "rne", "rtz", "rdn", "rup", "rmm", "unknown", "unknown", "dyn",
    ];
    let name = mnemonic(inst.op);
    let (fd, fs1, fs2, fs3) = (
        freg(inst.rd),
        freg(inst.rs1),
        freg(inst.rs2),
        freg(inst.rs3),
    );
    let (rd, rs1, imm) = (reg(inst.rd), reg(inst.rs1), inst.imm);
    let rm_default = match inst.op {
        Op::FcvtDW | Op::FcvtDWu | Op::FcvtDS => 0,
        _ => 7,
    };
    let rm = if imm == rm_default {
        String::new()
    } else {
        format!(",{}", RM[(imm & 7) as usize])
    };
    let sign_alias = inst.rs1 == inst.rs2;
    match inst.op {
        Op::Flw | Op::Fld => write!(s, "{name}\t{fd},{imm}({rs1})"),
        Op::Fsw | Op::Fsd => write!(s, "{name}\t{fs2},{imm}({rs1})"),
        Op::FmaddS
        | Op::FmsubS
        | Op::FnmsubS
        | Op::FnmaddS
        | Op::FmaddD
        | Op::FmsubD
        | Op::FnmsubD
        | Op::FnmaddD => write!(s, "{name}\t{fd},{fs1},{fs2},{fs3}{rm}"),
        Op::FaddS
        | Op::FsubS
        | Op::FmulS
        | Op::FdivS
        | Op::FaddD
        | Op::FsubD
        | Op::FmulD
        | Op::FdivD => write!(s, "{name}\t{fd},{fs1},{fs2}{rm}"),
        Op::FsqrtS | Op::FsqrtD | Op::FcvtSD | Op::FcvtDS => write!(s, "{name}\t{fd},{fs1}{rm}"),
        Op::FsgnjS if sign_alias => write!(s, "fmv.s\t{fd},{fs1}"),
        Op::FsgnjnS if sign_alias => write!(s, "fneg.s\t{fd},{fs1}"),
        Op::FsgnjxS if sign_alias => write!(s, "fabs.s\t{fd},{fs1}"),
        Op::FsgnjD if sign_alias => write!(s, "fmv.d\t{fd},{fs1}"),
        Op::FsgnjnD if sign_alias => write!(s, "fneg.d\t{fd},{fs1}"),
        Op::FsgnjxD if sign_alias => write!(s, "fabs.d\t{fd},{fs1}"),
        Op::FsgnjS
        | Op::FsgnjnS
        | Op::FsgnjxS
        | Op::FsgnjD
        | Op::FsgnjnD
        | Op::FsgnjxD
        | Op::FminS
        | Op::FmaxS
        | Op::FminD
        | Op::FmaxD => write!(s, "{name}\t{fd},{fs1},{fs2}"),
        Op::FeqS | Op::FltS | Op::FleS | Op::FeqD | Op::FltD | Op::FleD => {
            write!(s, "{name}\t{rd},{fs1},{fs2}")
        }
        Op::FcvtWS
        | Op::FcvtWuS
        | Op::FcvtLS
        | Op::FcvtLuS
        | Op::FcvtWD
        | Op::FcvtWuD
        | Op::FcvtLD
        | Op::FcvtLuD => write!(s, "{name}\t{rd},{fs1}{rm}"),
        Op::FcvtSW
        | Op::FcvtSWu
        | Op::FcvtSL
        | Op::FcvtSLu
        | Op::FcvtDW
        | Op::FcvtDWu
        | Op::FcvtDL
        | Op::FcvtDLu => write!(s, "{name}\t{fd},{rs1}{rm}"),
        Op::FmvXW | Op::FmvXD | Op::FclassS | Op::FclassD => write!(s, "{name}\t{rd},{fs1}"),
        _ => write!(s, "{name}\t{fd},{rs1}"), // fmv.w.x, fmv.d.x
    }
}

/// The `.aq`/`.rl`/`.aqrl` suffix of an AMO.
fn aqrl(imm: i32) -> &'static str {
    match imm & 3 {
        0 => "",
        1 => ".rl",
        2 => ".aq",
        _ => ".aqrl",
    }
}

/// FENCE: `imm` holds fm (bits 11:8), pred (7:4) and succ (3:0).
fn fence(s: &mut String, imm: u32) -> std::fmt::Result {
    const SETS: [&str; 16] = [
        "unknown", "w", "r", "rw", "o", "ow", "or", "orw", "i", "iw", "ir", "irw", "io", "iow",
        "ior", "iorw",
    ];
    let (fm, pred, succ) = ((imm >> 8) & 15, (imm >> 4) & 15, imm & 15);
    match (fm, pred, succ) {
        (8, 3, 3) => write!(s, "fence.tso"),
        (0, 15, 15) => write!(s, "fence"),
        _ => write!(s, "fence\t{},{}", SETS[pred as usize], SETS[succ as usize]),
    }
}

/// The Zicsr instructions and their aliases.
fn csr(s: &mut String, inst: &Inst) -> std::fmt::Result {
    let num = (inst.imm as u32 & 0xfff) as u16;
    let name = match csr_name(num) {
        Some(n) => n.to_string(),
        None => format!("{num:#x}"),
    };
    let rd = reg(inst.rd);
    let rs1 = reg(inst.rs1);
    let zimm = inst.rs1;
    match (inst.op, inst.rd, inst.rs1) {
        (Op::Csrrw, 0, 0) if num == 0xc00 => write!(s, "unimp"),
        (Op::Csrrs, _, 0) if num == 0xc00 => write!(s, "rdcycle\t{rd}"),
        (Op::Csrrs, _, 0) if num == 0xc01 => write!(s, "rdtime\t{rd}"),
        (Op::Csrrs, _, 0) if num == 0xc02 => write!(s, "rdinstret\t{rd}"),
        // The F/D CSR aliases: frcsr/fscsr, frrm/fsrm/fsrmi, frflags/fsflags/fsflagsi.
        (Op::Csrrs, _, 0) if num == 0x003 => write!(s, "frcsr\t{rd}"),
        (Op::Csrrs, _, 0) if num == 0x002 => write!(s, "frrm\t{rd}"),
        (Op::Csrrs, _, 0) if num == 0x001 => write!(s, "frflags\t{rd}"),
        (Op::Csrrw, _, _) if (1..=3).contains(&num) => {
            let alias = ["", "fsflags", "fsrm", "fscsr"][num as usize];
            if inst.rd == 0 {
                write!(s, "{alias}\t{rs1}")
            } else {
                write!(s, "{alias}\t{rd},{rs1}")
            }
        }
        (Op::Csrrwi, _, _) if num == 0x002 => write!(s, "fsrmi\t{rd},{zimm}"),
        (Op::Csrrwi, _, _) if num == 0x001 => write!(s, "fsflagsi\t{rd},{zimm}"),
        (Op::Csrrs, _, 0) => write!(s, "csrr\t{rd},{name}"),
        (Op::Csrrw, 0, _) => write!(s, "csrw\t{name},{rs1}"),
        (Op::Csrrs, 0, _) => write!(s, "csrs\t{name},{rs1}"),
        (Op::Csrrc, 0, _) => write!(s, "csrc\t{name},{rs1}"),
        (Op::Csrrwi, 0, _) => write!(s, "csrw\t{name},{zimm}"),
        (Op::Csrrsi, 0, _) => write!(s, "csrs\t{name},{zimm}"),
        (Op::Csrrci, 0, _) => write!(s, "csrc\t{name},{zimm}"),
        (Op::Csrrw | Op::Csrrs | Op::Csrrc, _, _) => {
            write!(s, "{}\t{rd},{name},{rs1}", mnemonic(inst.op))
        }
        _ => {
            let base = match inst.op {
                Op::Csrrwi => "csrrw",
                Op::Csrrsi => "csrrs",
                _ => "csrrc",
            };
            write!(s, "{base}\t{rd},{name},{zimm}")
        }
    }
}

/// The plain (non-alias) mnemonic of an operation.
fn mnemonic(op: Op) -> &'static str {
    match op {
        Op::Illegal => "illegal",
        Op::NotDecoded => "(not decoded)",
        crate::inst::fused_ops!() => mnemonic(op.unfused()),
        Op::Lui => "lui",
        Op::Auipc => "auipc",
        Op::Jal => "jal",
        Op::Jalr => "jalr",
        Op::Beq => "beq",
        Op::Bne => "bne",
        Op::Blt => "blt",
        Op::Bge => "bge",
        Op::Bltu => "bltu",
        Op::Bgeu => "bgeu",
        Op::Lb => "lb",
        Op::Lh => "lh",
        Op::Lw => "lw",
        Op::Ld => "ld",
        Op::Lbu => "lbu",
        Op::Lhu => "lhu",
        Op::Lwu => "lwu",
        Op::Sb => "sb",
        Op::Sh => "sh",
        Op::Sw => "sw",
        Op::Sd => "sd",
        Op::Addi => "addi",
        Op::Slti => "slti",
        Op::Sltiu => "sltiu",
        Op::Xori => "xori",
        Op::Ori => "ori",
        Op::Andi => "andi",
        Op::Slli => "slli",
        Op::Srli => "srli",
        Op::Srai => "srai",
        Op::Add => "add",
        Op::Sub => "sub",
        Op::Sll => "sll",
        Op::Slt => "slt",
        Op::Sltu => "sltu",
        Op::Xor => "xor",
        Op::Srl => "srl",
        Op::Sra => "sra",
        Op::Or => "or",
        Op::And => "and",
        Op::Addiw => "addiw",
        Op::Slliw => "slliw",
        Op::Srliw => "srliw",
        Op::Sraiw => "sraiw",
        Op::Addw => "addw",
        Op::Subw => "subw",
        Op::Sllw => "sllw",
        Op::Srlw => "srlw",
        Op::Sraw => "sraw",
        Op::Fence => "fence",
        Op::Ecall => "ecall",
        Op::Ebreak => "ebreak",
        Op::FenceI => "fence.i",
        Op::Csrrw => "csrrw",
        Op::Csrrs => "csrrs",
        Op::Csrrc => "csrrc",
        Op::Csrrwi => "csrrwi",
        Op::Csrrsi => "csrrsi",
        Op::Csrrci => "csrrci",
        Op::Mret => "mret",
        Op::Sret => "sret",
        Op::Wfi => "wfi",
        Op::SfenceVma => "sfence.vma",
        Op::Mul => "mul",
        Op::Mulh => "mulh",
        Op::Mulhsu => "mulhsu",
        Op::Mulhu => "mulhu",
        Op::Div => "div",
        Op::Divu => "divu",
        Op::Rem => "rem",
        Op::Remu => "remu",
        Op::Mulw => "mulw",
        Op::Divw => "divw",
        Op::Divuw => "divuw",
        Op::Remw => "remw",
        Op::Remuw => "remuw",
        Op::LrW => "lr.w",
        Op::ScW => "sc.w",
        Op::AmoswapW => "amoswap.w",
        Op::AmoaddW => "amoadd.w",
        Op::AmoxorW => "amoxor.w",
        Op::AmoandW => "amoand.w",
        Op::AmoorW => "amoor.w",
        Op::AmominW => "amomin.w",
        Op::AmomaxW => "amomax.w",
        Op::AmominuW => "amominu.w",
        Op::AmomaxuW => "amomaxu.w",
        Op::LrD => "lr.d",
        Op::ScD => "sc.d",
        Op::AmoswapD => "amoswap.d",
        Op::AmoaddD => "amoadd.d",
        Op::AmoxorD => "amoxor.d",
        Op::AmoandD => "amoand.d",
        Op::AmoorD => "amoor.d",
        Op::AmominD => "amomin.d",
        Op::AmomaxD => "amomax.d",
        Op::AmominuD => "amominu.d",
        Op::AmomaxuD => "amomaxu.d",
        Op::Sh1add => "sh1add",
        Op::Sh2add => "sh2add",
        Op::Sh3add => "sh3add",
        Op::AddUw => "add.uw",
        Op::Sh1addUw => "sh1add.uw",
        Op::Sh2addUw => "sh2add.uw",
        Op::Sh3addUw => "sh3add.uw",
        Op::SlliUw => "slli.uw",
        Op::Andn => "andn",
        Op::Orn => "orn",
        Op::Xnor => "xnor",
        Op::Clz => "clz",
        Op::Ctz => "ctz",
        Op::Cpop => "cpop",
        Op::Clzw => "clzw",
        Op::Ctzw => "ctzw",
        Op::Cpopw => "cpopw",
        Op::Max => "max",
        Op::Maxu => "maxu",
        Op::Min => "min",
        Op::Minu => "minu",
        Op::SextB => "sext.b",
        Op::SextH => "sext.h",
        Op::ZextH => "zext.h",
        Op::Rol => "rol",
        Op::Ror => "ror",
        Op::Rori => "rori",
        Op::Rolw => "rolw",
        Op::Rorw => "rorw",
        Op::Roriw => "roriw",
        Op::OrcB => "orc.b",
        Op::Rev8 => "rev8",
        Op::Bclr => "bclr",
        Op::Bclri => "bclri",
        Op::Bext => "bext",
        Op::Bexti => "bexti",
        Op::Binv => "binv",
        Op::Binvi => "binvi",
        Op::Bset => "bset",
        Op::Bseti => "bseti",
        Op::Flw => "flw",
        Op::Fsw => "fsw",
        Op::FmaddS => "fmadd.s",
        Op::FmsubS => "fmsub.s",
        Op::FnmsubS => "fnmsub.s",
        Op::FnmaddS => "fnmadd.s",
        Op::FaddS => "fadd.s",
        Op::FsubS => "fsub.s",
        Op::FmulS => "fmul.s",
        Op::FdivS => "fdiv.s",
        Op::FsqrtS => "fsqrt.s",
        Op::FsgnjS => "fsgnj.s",
        Op::FsgnjnS => "fsgnjn.s",
        Op::FsgnjxS => "fsgnjx.s",
        Op::FminS => "fmin.s",
        Op::FmaxS => "fmax.s",
        Op::FcvtWS => "fcvt.w.s",
        Op::FcvtWuS => "fcvt.wu.s",
        Op::FcvtLS => "fcvt.l.s",
        Op::FcvtLuS => "fcvt.lu.s",
        Op::FmvXW => "fmv.x.w",
        Op::FeqS => "feq.s",
        Op::FltS => "flt.s",
        Op::FleS => "fle.s",
        Op::FclassS => "fclass.s",
        Op::FcvtSW => "fcvt.s.w",
        Op::FcvtSWu => "fcvt.s.wu",
        Op::FcvtSL => "fcvt.s.l",
        Op::FcvtSLu => "fcvt.s.lu",
        Op::FmvWX => "fmv.w.x",
        Op::Fld => "fld",
        Op::Fsd => "fsd",
        Op::FmaddD => "fmadd.d",
        Op::FmsubD => "fmsub.d",
        Op::FnmsubD => "fnmsub.d",
        Op::FnmaddD => "fnmadd.d",
        Op::FaddD => "fadd.d",
        Op::FsubD => "fsub.d",
        Op::FmulD => "fmul.d",
        Op::FdivD => "fdiv.d",
        Op::FsqrtD => "fsqrt.d",
        Op::FsgnjD => "fsgnj.d",
        Op::FsgnjnD => "fsgnjn.d",
        Op::FsgnjxD => "fsgnjx.d",
        Op::FminD => "fmin.d",
        Op::FmaxD => "fmax.d",
        Op::FcvtSD => "fcvt.s.d",
        Op::FcvtDS => "fcvt.d.s",
        Op::FcvtWD => "fcvt.w.d",
        Op::FcvtWuD => "fcvt.wu.d",
        Op::FcvtLD => "fcvt.l.d",
        Op::FcvtLuD => "fcvt.lu.d",
        Op::FmvXD => "fmv.x.d",
        Op::FeqD => "feq.d",
        Op::FltD => "flt.d",
        Op::FleD => "fle.d",
        Op::FclassD => "fclass.d",
        Op::FcvtDW => "fcvt.d.w",
        Op::FcvtDWu => "fcvt.d.wu",
        Op::FcvtDL => "fcvt.d.l",
        Op::FcvtDLu => "fcvt.d.lu",
        Op::FmvDX => "fmv.d.x",
    }
}

/// The name objdump gives CSR number `csr`, if it has one.
pub fn csr_name(csr: u16) -> Option<&'static str> {
    CSR_NAMES
        .binary_search_by_key(&csr, |&(n, _)| n)
        .ok()
        .map(|i| CSR_NAMES[i].1)
}

/// Every CSR objdump 2.40 knows by name, sorted by number.
const CSR_NAMES: &[(u16, &str)] = &[
    (0x001, "fflags"),
    (0x002, "frm"),
    (0x003, "fcsr"),
    (0x008, "vstart"),
    (0x009, "vxsat"),
    (0x00a, "vxrm"),
    (0x00f, "vcsr"),
    (0x015, "seed"),
    (0x100, "sstatus"),
    (0x104, "sie"),
    (0x105, "stvec"),
    (0x106, "scounteren"),
    (0x10a, "senvcfg"),
    (0x10c, "sstateen0"),
    (0x10d, "sstateen1"),
    (0x10e, "sstateen2"),
    (0x10f, "sstateen3"),
    (0x114, "sieh"),
    (0x140, "sscratch"),
    (0x141, "sepc"),
    (0x142, "scause"),
    (0x143, "stval"),
    (0x144, "sip"),
    (0x14d, "stimecmp"),
    (0x150, "siselect"),
    (0x151, "sireg"),
    (0x154, "siph"),
    (0x15c, "stopei"),
    (0x15d, "stimecmph"),
    (0x180, "satp"),
    (0x200, "vsstatus"),
    (0x204, "vsie"),
    (0x205, "vstvec"),
    (0x214, "vsieh"),
    (0x240, "vsscratch"),
    (0x241, "vsepc"),
    (0x242, "vscause"),
    (0x243, "vstval"),
    (0x244, "vsip"),
    (0x24d, "vstimecmp"),
    (0x250, "vsiselect"),
    (0x251, "vsireg"),
    (0x254, "vsiph"),
    (0x25c, "vstopei"),
    (0x25d, "vstimecmph"),
    (0x280, "vsatp"),
    (0x300, "mstatus"),
    (0x301, "misa"),
    (0x302, "medeleg"),
    (0x303, "mideleg"),
    (0x304, "mie"),
    (0x305, "mtvec"),
    (0x306, "mcounteren"),
    (0x308, "mvien"),
    (0x309, "mvip"),
    (0x30a, "menvcfg"),
    (0x30c, "mstateen0"),
    (0x30d, "mstateen1"),
    (0x30e, "mstateen2"),
    (0x30f, "mstateen3"),
    (0x310, "mstatush"),
    (0x313, "midelegh"),
    (0x314, "mieh"),
    (0x318, "mvienh"),
    (0x319, "mviph"),
    (0x31a, "menvcfgh"),
    (0x31c, "mstateen0h"),
    (0x31d, "mstateen1h"),
    (0x31e, "mstateen2h"),
    (0x31f, "mstateen3h"),
    (0x320, "mcountinhibit"),
    (0x323, "mhpmevent3"),
    (0x324, "mhpmevent4"),
    (0x325, "mhpmevent5"),
    (0x326, "mhpmevent6"),
    (0x327, "mhpmevent7"),
    (0x328, "mhpmevent8"),
    (0x329, "mhpmevent9"),
    (0x32a, "mhpmevent10"),
    (0x32b, "mhpmevent11"),
    (0x32c, "mhpmevent12"),
    (0x32d, "mhpmevent13"),
    (0x32e, "mhpmevent14"),
    (0x32f, "mhpmevent15"),
    (0x330, "mhpmevent16"),
    (0x331, "mhpmevent17"),
    (0x332, "mhpmevent18"),
    (0x333, "mhpmevent19"),
    (0x334, "mhpmevent20"),
    (0x335, "mhpmevent21"),
    (0x336, "mhpmevent22"),
    (0x337, "mhpmevent23"),
    (0x338, "mhpmevent24"),
    (0x339, "mhpmevent25"),
    (0x33a, "mhpmevent26"),
    (0x33b, "mhpmevent27"),
    (0x33c, "mhpmevent28"),
    (0x33d, "mhpmevent29"),
    (0x33e, "mhpmevent30"),
    (0x33f, "mhpmevent31"),
    (0x340, "mscratch"),
    (0x341, "mepc"),
    (0x342, "mcause"),
    (0x343, "mtval"),
    (0x344, "mip"),
    (0x34a, "mtinst"),
    (0x34b, "mtval2"),
    (0x350, "miselect"),
    (0x351, "mireg"),
    (0x354, "miph"),
    (0x35c, "mtopei"),
    (0x3a0, "pmpcfg0"),
    (0x3a1, "pmpcfg1"),
    (0x3a2, "pmpcfg2"),
    (0x3a3, "pmpcfg3"),
    (0x3a4, "pmpcfg4"),
    (0x3a5, "pmpcfg5"),
    (0x3a6, "pmpcfg6"),
    (0x3a7, "pmpcfg7"),
    (0x3a8, "pmpcfg8"),
    (0x3a9, "pmpcfg9"),
    (0x3aa, "pmpcfg10"),
    (0x3ab, "pmpcfg11"),
    (0x3ac, "pmpcfg12"),
    (0x3ad, "pmpcfg13"),
    (0x3ae, "pmpcfg14"),
    (0x3af, "pmpcfg15"),
    (0x3b0, "pmpaddr0"),
    (0x3b1, "pmpaddr1"),
    (0x3b2, "pmpaddr2"),
    (0x3b3, "pmpaddr3"),
    (0x3b4, "pmpaddr4"),
    (0x3b5, "pmpaddr5"),
    (0x3b6, "pmpaddr6"),
    (0x3b7, "pmpaddr7"),
    (0x3b8, "pmpaddr8"),
    (0x3b9, "pmpaddr9"),
    (0x3ba, "pmpaddr10"),
    (0x3bb, "pmpaddr11"),
    (0x3bc, "pmpaddr12"),
    (0x3bd, "pmpaddr13"),
    (0x3be, "pmpaddr14"),
    (0x3bf, "pmpaddr15"),
    (0x3c0, "pmpaddr16"),
    (0x3c1, "pmpaddr17"),
    (0x3c2, "pmpaddr18"),
    (0x3c3, "pmpaddr19"),
    (0x3c4, "pmpaddr20"),
    (0x3c5, "pmpaddr21"),
    (0x3c6, "pmpaddr22"),
    (0x3c7, "pmpaddr23"),
    (0x3c8, "pmpaddr24"),
    (0x3c9, "pmpaddr25"),
    (0x3ca, "pmpaddr26"),
    (0x3cb, "pmpaddr27"),
    (0x3cc, "pmpaddr28"),
    (0x3cd, "pmpaddr29"),
    (0x3ce, "pmpaddr30"),
    (0x3cf, "pmpaddr31"),
    (0x3d0, "pmpaddr32"),
    (0x3d1, "pmpaddr33"),
    (0x3d2, "pmpaddr34"),
    (0x3d3, "pmpaddr35"),
    (0x3d4, "pmpaddr36"),
    (0x3d5, "pmpaddr37"),
    (0x3d6, "pmpaddr38"),
    (0x3d7, "pmpaddr39"),
    (0x3d8, "pmpaddr40"),
    (0x3d9, "pmpaddr41"),
    (0x3da, "pmpaddr42"),
    (0x3db, "pmpaddr43"),
    (0x3dc, "pmpaddr44"),
    (0x3dd, "pmpaddr45"),
    (0x3de, "pmpaddr46"),
    (0x3df, "pmpaddr47"),
    (0x3e0, "pmpaddr48"),
    (0x3e1, "pmpaddr49"),
    (0x3e2, "pmpaddr50"),
    (0x3e3, "pmpaddr51"),
    (0x3e4, "pmpaddr52"),
    (0x3e5, "pmpaddr53"),
    (0x3e6, "pmpaddr54"),
    (0x3e7, "pmpaddr55"),
    (0x3e8, "pmpaddr56"),
    (0x3e9, "pmpaddr57"),
    (0x3ea, "pmpaddr58"),
    (0x3eb, "pmpaddr59"),
    (0x3ec, "pmpaddr60"),
    (0x3ed, "pmpaddr61"),
    (0x3ee, "pmpaddr62"),
    (0x3ef, "pmpaddr63"),
    (0x5a8, "scontext"),
    (0x600, "hstatus"),
    (0x602, "hedeleg"),
    (0x603, "hideleg"),
    (0x604, "hie"),
    (0x605, "htimedelta"),
    (0x606, "hcounteren"),
    (0x607, "hgeie"),
    (0x608, "hvien"),
    (0x609, "hvictl"),
    (0x60a, "henvcfg"),
    (0x60c, "hstateen0"),
    (0x60d, "hstateen1"),
    (0x60e, "hstateen2"),
    (0x60f, "hstateen3"),
    (0x613, "hidelegh"),
    (0x615, "htimedeltah"),
    (0x618, "hvienh"),
    (0x61a, "henvcfgh"),
    (0x61c, "hstateen0h"),
    (0x61d, "hstateen1h"),
    (0x61e, "hstateen2h"),
    (0x61f, "hstateen3h"),
    (0x643, "htval"),
    (0x644, "hip"),
    (0x645, "hvip"),
    (0x646, "hviprio1"),
    (0x647, "hviprio2"),
    (0x64a, "htinst"),
    (0x655, "hviph"),
    (0x656, "hviprio1h"),
    (0x657, "hviprio2h"),
    (0x680, "hgatp"),
    (0x6a8, "hcontext"),
    (0x723, "mhpmevent3h"),
    (0x724, "mhpmevent4h"),
    (0x725, "mhpmevent5h"),
    (0x726, "mhpmevent6h"),
    (0x727, "mhpmevent7h"),
    (0x728, "mhpmevent8h"),
    (0x729, "mhpmevent9h"),
    (0x72a, "mhpmevent10h"),
    (0x72b, "mhpmevent11h"),
    (0x72c, "mhpmevent12h"),
    (0x72d, "mhpmevent13h"),
    (0x72e, "mhpmevent14h"),
    (0x72f, "mhpmevent15h"),
    (0x730, "mhpmevent16h"),
    (0x731, "mhpmevent17h"),
    (0x732, "mhpmevent18h"),
    (0x733, "mhpmevent19h"),
    (0x734, "mhpmevent20h"),
    (0x735, "mhpmevent21h"),
    (0x736, "mhpmevent22h"),
    (0x737, "mhpmevent23h"),
    (0x738, "mhpmevent24h"),
    (0x739, "mhpmevent25h"),
    (0x73a, "mhpmevent26h"),
    (0x73b, "mhpmevent27h"),
    (0x73c, "mhpmevent28h"),
    (0x73d, "mhpmevent29h"),
    (0x73e, "mhpmevent30h"),
    (0x73f, "mhpmevent31h"),
    (0x747, "mseccfg"),
    (0x757, "mseccfgh"),
    (0x7a0, "tselect"),
    (0x7a1, "tdata1"),
    (0x7a2, "tdata2"),
    (0x7a3, "tdata3"),
    (0x7a4, "tinfo"),
    (0x7a5, "tcontrol"),
    (0x7a8, "mcontext"),
    (0x7aa, "mscontext"),
    (0x7b0, "dcsr"),
    (0x7b1, "dpc"),
    (0x7b2, "dscratch0"),
    (0x7b3, "dscratch1"),
    (0xb00, "mcycle"),
    (0xb02, "minstret"),
    (0xb03, "mhpmcounter3"),
    (0xb04, "mhpmcounter4"),
    (0xb05, "mhpmcounter5"),
    (0xb06, "mhpmcounter6"),
    (0xb07, "mhpmcounter7"),
    (0xb08, "mhpmcounter8"),
    (0xb09, "mhpmcounter9"),
    (0xb0a, "mhpmcounter10"),
    (0xb0b, "mhpmcounter11"),
    (0xb0c, "mhpmcounter12"),
    (0xb0d, "mhpmcounter13"),
    (0xb0e, "mhpmcounter14"),
    (0xb0f, "mhpmcounter15"),
    (0xb10, "mhpmcounter16"),
    (0xb11, "mhpmcounter17"),
    (0xb12, "mhpmcounter18"),
    (0xb13, "mhpmcounter19"),
    (0xb14, "mhpmcounter20"),
    (0xb15, "mhpmcounter21"),
    (0xb16, "mhpmcounter22"),
    (0xb17, "mhpmcounter23"),
    (0xb18, "mhpmcounter24"),
    (0xb19, "mhpmcounter25"),
    (0xb1a, "mhpmcounter26"),
    (0xb1b, "mhpmcounter27"),
    (0xb1c, "mhpmcounter28"),
    (0xb1d, "mhpmcounter29"),
    (0xb1e, "mhpmcounter30"),
    (0xb1f, "mhpmcounter31"),
    (0xb80, "mcycleh"),
    (0xb82, "minstreth"),
    (0xb83, "mhpmcounter3h"),
    (0xb84, "mhpmcounter4h"),
    (0xb85, "mhpmcounter5h"),
    (0xb86, "mhpmcounter6h"),
    (0xb87, "mhpmcounter7h"),
    (0xb88, "mhpmcounter8h"),
    (0xb89, "mhpmcounter9h"),
    (0xb8a, "mhpmcounter10h"),
    (0xb8b, "mhpmcounter11h"),
    (0xb8c, "mhpmcounter12h"),
    (0xb8d, "mhpmcounter13h"),
    (0xb8e, "mhpmcounter14h"),
    (0xb8f, "mhpmcounter15h"),
    (0xb90, "mhpmcounter16h"),
    (0xb91, "mhpmcounter17h"),
    (0xb92, "mhpmcounter18h"),
    (0xb93, "mhpmcounter19h"),
    (0xb94, "mhpmcounter20h"),
    (0xb95, "mhpmcounter21h"),
    (0xb96, "mhpmcounter22h"),
    (0xb97, "mhpmcounter23h"),
    (0xb98, "mhpmcounter24h"),
    (0xb99, "mhpmcounter25h"),
    (0xb9a, "mhpmcounter26h"),
    (0xb9b, "mhpmcounter27h"),
    (0xb9c, "mhpmcounter28h"),
    (0xb9d, "mhpmcounter29h"),
    (0xb9e, "mhpmcounter30h"),
    (0xb9f, "mhpmcounter31h"),
    (0xc00, "cycle"),
    (0xc01, "time"),
    (0xc02, "instret"),
    (0xc03, "hpmcounter3"),
    (0xc04, "hpmcounter4"),
    (0xc05, "hpmcounter5"),
    (0xc06, "hpmcounter6"),
    (0xc07, "hpmcounter7"),
    (0xc08, "hpmcounter8"),
    (0xc09, "hpmcounter9"),
    (0xc0a, "hpmcounter10"),
    (0xc0b, "hpmcounter11"),
    (0xc0c, "hpmcounter12"),
    (0xc0d, "hpmcounter13"),
    (0xc0e, "hpmcounter14"),
    (0xc0f, "hpmcounter15"),
    (0xc10, "hpmcounter16"),
    (0xc11, "hpmcounter17"),
    (0xc12, "hpmcounter18"),
    (0xc13, "hpmcounter19"),
    (0xc14, "hpmcounter20"),
    (0xc15, "hpmcounter21"),
    (0xc16, "hpmcounter22"),
    (0xc17, "hpmcounter23"),
    (0xc18, "hpmcounter24"),
    (0xc19, "hpmcounter25"),
    (0xc1a, "hpmcounter26"),
    (0xc1b, "hpmcounter27"),
    (0xc1c, "hpmcounter28"),
    (0xc1d, "hpmcounter29"),
    (0xc1e, "hpmcounter30"),
    (0xc1f, "hpmcounter31"),
    (0xc20, "vl"),
    (0xc21, "vtype"),
    (0xc22, "vlenb"),
    (0xc80, "cycleh"),
    (0xc81, "timeh"),
    (0xc82, "instreth"),
    (0xc83, "hpmcounter3h"),
    (0xc84, "hpmcounter4h"),
    (0xc85, "hpmcounter5h"),
    (0xc86, "hpmcounter6h"),
    (0xc87, "hpmcounter7h"),
    (0xc88, "hpmcounter8h"),
    (0xc89, "hpmcounter9h"),
    (0xc8a, "hpmcounter10h"),
    (0xc8b, "hpmcounter11h"),
    (0xc8c, "hpmcounter12h"),
    (0xc8d, "hpmcounter13h"),
    (0xc8e, "hpmcounter14h"),
    (0xc8f, "hpmcounter15h"),
    (0xc90, "hpmcounter16h"),
    (0xc91, "hpmcounter17h"),
    (0xc92, "hpmcounter18h"),
    (0xc93, "hpmcounter19h"),
    (0xc94, "hpmcounter20h"),
    (0xc95, "hpmcounter21h"),
    (0xc96, "hpmcounter22h"),
    (0xc97, "hpmcounter23h"),
    (0xc98, "hpmcounter24h"),
    (0xc99, "hpmcounter25h"),
    (0xc9a, "hpmcounter26h"),
    (0xc9b, "hpmcounter27h"),
    (0xc9c, "hpmcounter28h"),
    (0xc9d, "hpmcounter29h"),
    (0xc9e, "hpmcounter30h"),
    (0xc9f, "hpmcounter31h"),
    (0xda0, "scountovf"),
    (0xdb0, "stopi"),
    (0xe12, "hgeip"),
    (0xeb0, "vstopi"),
    (0xf11, "mvendorid"),
    (0xf12, "marchid"),
    (0xf13, "mimpid"),
    (0xf14, "mhartid"),
    (0xf15, "mconfigptr"),
    (0xfb0, "mtopi"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode;

    fn dis(bits: u32, pc: u64) -> String {
        disassemble(&decode(bits), pc)
    }

    #[test]
    fn aliases_as_objdump_prints_them() {
        assert_eq!(dis(0x0000_0013, 0), "nop");
        assert_eq!(dis(0xffb5_8513, 0), "add\ta0,a1,-5");
        assert_eq!(dis(0x0050_0513, 0), "li\ta0,5");
        assert_eq!(dis(0x0005_8513, 0), "mv\ta0,a1");
        assert_eq!(dis(0x0005_851b, 0), "sext.w\ta0,a1");
        assert_eq!(dis(0x40c0_0533, 0), "neg\ta0,a2");
        assert_eq!(dis(0xfff5_c513, 0), "not\ta0,a1");
        assert_eq!(dis(0x0ff5_f513, 0), "zext.b\ta0,a1");
        assert_eq!(dis(0x0015_b513, 0), "seqz\ta0,a1");
        assert_eq!(dis(0x00b0_3533, 0), "snez\ta0,a1");
        assert_eq!(dis(0x0805_853b, 0), "zext.w\ta0,a1");
        assert_eq!(dis(0x43f5_d513, 0), "sra\ta0,a1,0x3f");
        assert_eq!(dis(0x0000_8067, 0), "ret");
        assert_eq!(dis(0x0045_0067, 0), "jr\t4(a0)");
        assert_eq!(dis(0x0005_05e7, 0), "jalr\ta1,a0");
        assert_eq!(dis(0xffdf_f0ef, 0x100), "jal\tfc");
        assert_eq!(dis(0x0000_006f, 0x1c), "j\t1c");
        assert_eq!(dis(0xfe00_0ee3, 0), "beqz\tzero,fffffffffffffffc");
        assert_eq!(dis(0x0000_e537, 0), "lui\ta0,0xe");
        assert_eq!(dis(0x3000_2573, 0), "csrr\ta0,mstatus");
        assert_eq!(dis(0x7c00_2573, 0), "csrr\ta0,0x7c0");
        assert_eq!(dis(0xc000_2573, 0), "rdcycle\ta0");
        assert_eq!(dis(0x300f_d073, 0), "csrw\tmstatus,31");
        assert_eq!(dis(0xc000_1073, 0), "unimp");
        assert_eq!(dis(0x0ff0_000f, 0), "fence");
        assert_eq!(dis(0x8330_000f, 0), "fence.tso");
        assert_eq!(dis(0x0330_000f, 0), "fence\trw,rw");
        assert_eq!(dis(0x0100_000f, 0), "fence\tw,unknown");
        assert_eq!(dis(0x0ec5_b52f, 0), "amoswap.d.aqrl\ta0,a2,(a1)");
        assert_eq!(dis(0x1405_a52f, 0), "lr.w.aq\ta0,(a1)");
    }

    #[test]
    fn compressed_and_illegal() {
        assert_eq!(dis(0x0000, 0), "unimp");
        assert_eq!(dis(0x6001, 0), ".2byte\t0x6001");
        assert_eq!(dis(0x0010_100f | 0x0020_0000, 0), "fence.i");
        assert_eq!(dis(0x0000_200f, 0), ".4byte\t0x200f");
        assert_eq!(dis(0x8082, 0), "ret");
        assert_eq!(dis(0x852e, 0), "mv\ta0,a1");
        assert_eq!(dis(0x1000, 0), "add\ts0,sp,32");
        assert_eq!(dis(0x0005, 0), "c.nop\t1");
        assert_eq!(dis(0x0501, 0), "add\ta0,a0,0");
        assert_eq!(dis(0x4001, 0), "c.li\tzero,0");
        assert_eq!(dis(0x8006, 0), "c.mv\tzero,ra");
        assert_eq!(dis(0x0002, 0), "c.slli64\tzero");
        assert_eq!(dis(0xb001, 0x1000), "j\t800");
    }

    #[test]
    fn floating_point() {
        assert_eq!(dis(0x00c5_f553, 0), "fadd.s\tfa0,fa1,fa2");
        assert_eq!(dis(0x00c5_9553, 0), "fadd.s\tfa0,fa1,fa2,rtz");
        assert_eq!(dis(0x00c5_d553, 0), "fadd.s\tfa0,fa1,fa2,unknown");
        assert_eq!(dis(0x68c5_9543, 0), "fmadd.s\tfa0,fa1,fa2,fa3,rtz");
        assert_eq!(dis(0xc005_1553, 0), "fcvt.w.s\ta0,fa0,rtz");
        assert_eq!(dis(0xd205_0553, 0), "fcvt.d.w\tfa0,a0");
        assert_eq!(dis(0xd205_7553, 0), "fcvt.d.w\tfa0,a0,dyn");
        assert_eq!(dis(0xd225_0553, 0), "fcvt.d.l\tfa0,a0,rne");
        assert_eq!(dis(0x20b5_8553, 0), "fmv.s\tfa0,fa1");
        assert_eq!(dis(0x22b5_9553, 0), "fneg.d\tfa0,fa1");
        assert_eq!(dis(0x22b5_a553, 0), "fabs.d\tfa0,fa1");
        assert_eq!(dis(0xa0c5_a553, 0), "feq.s\ta0,fa1,fa2");
        assert_eq!(dis(0xe205_1553, 0), "fclass.d\ta0,fa0");
        assert_eq!(dis(0xf005_0553, 0), "fmv.w.x\tfa0,a0");
        assert_eq!(dis(0xffc5_a507, 0), "flw\tfa0,-4(a1)");
        assert_eq!(dis(0x2042, 0), "fld\tft0,16(sp)");
        assert_eq!(dis(0xa588, 0), "fsd\tfa0,8(a1)");
        assert_eq!(dis(0x0030_2573, 0), "frcsr\ta0");
        assert_eq!(dis(0x0035_9073, 0), "fscsr\ta1");
        assert_eq!(dis(0x0025_9573, 0), "fsrm\ta0,a1");
        assert_eq!(dis(0x0021_d073, 0), "fsrmi\tzero,3");
        assert_eq!(dis(0x0012_d573, 0), "fsflagsi\ta0,5");
        assert_eq!(dis(0x0011_e073, 0), "csrs\tfflags,3");
    }

    #[test]
    fn csr_names() {
        assert_eq!(csr_name(0x300), Some("mstatus"));
        assert_eq!(csr_name(0x180), Some("satp"));
        assert_eq!(csr_name(0xc01), Some("time"));
        assert_eq!(csr_name(0x7c0), None);
        assert!(
            CSR_NAMES.windows(2).all(|w| w[0].0 < w[1].0),
            "table must be sorted"
        );
    }
}
