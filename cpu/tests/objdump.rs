//! The decoder and the disassembler, checked against GNU objdump (binutils 2.40).
//!
//! Words are generated with proptest: every 16-bit compressed encoding (exhaustively), random
//! 16-bit words, random 32-bit words, and words built from a template of every 32-bit
//! instruction we implement (RV64GC, Zba, Zbb, Zbs, privileged; random operand fields, sometimes
//! with one bit flipped to probe the edges of each encoding); plus a `csrrs` of every CSR number, which checks the CSR name table. They are assembled in bulk into one object whose RISC-V arch attribute
//! limits objdump to our extension set, disassembled with one `objdump -d`, and for each word we
//! check that (a) objdump decodes it to an instruction exactly when our decoder does not return
//! `Op::Illegal`, and (b) our `disassemble` prints the same text.
//!
//! Seeds: a random seed per run, printed on failure; set `EMU_OBJDUMP_SEED=<u64>` to replay one.
//! Set `EMU_OBJDUMP_REPORT=<path>` to write every mismatch (not just the first few) to a file, and
//! `EMU_OBJDUMP_SCALE=<n>` to generate n times more random words for a deeper run.

use emu_cpu::{decode, disassemble, Inst, Op};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const GCC: &str = "riscv64-unknown-elf-gcc";
const OBJDUMP: &str = "riscv64-unknown-elf-objdump";
const MARCH: &str = "-march=rv64imafdc_zicsr_zifencei_zba_zbb_zbs";

const RANDOM_32: usize = 20_000;
const TEMPLATE_32: usize = 30_000;
const RANDOM_16: usize = 5_000;

/// Fixed-field masks of the 32-bit formats.
const M_OPC: u32 = 0x0000_007f; // U, J
const M_I: u32 = 0x0000_707f; // I, S, B
const M_R: u32 = 0xfe00_707f; // R, 5-bit shifts
const M_SH6: u32 = 0xfc00_707f; // 6-bit shifts
const M_UNARY: u32 = 0xfff0_707f; // clz, sext.b, ...
const M_AMO: u32 = 0xf800_707f; // AMOs (aq/rl free)
const M_LR: u32 = 0xf9f0_707f; // LR (rs2 = 0)
const M_ALL: u32 = 0xffff_ffff;
const M_FP_RM: u32 = 0xfe00_007f; // F/D with an rm field
const M_FP_RM_UNARY: u32 = 0xfff0_007f; // F/D with an rm field and a fixed rs2
const M_FMA: u32 = 0x0600_007f; // fused multiply-adds: fmt and opcode
const M_CSR_NUM: u32 = 0xfff0_707f; // a CSR instruction on one CSR

/// A CSR instruction (funct3 `f3`) on CSR `csr`.
const fn csr(f3: u32, csr: u32) -> u32 {
    (csr << 20) | (f3 << 12) | 0x73
}

/// An OP-FP word with funct7 `f7` and rs2 `rs2`.
const fn fp(f7: u32, rs2: u32) -> u32 {
    (f7 << 25) | (rs2 << 20) | 0x53
}

const fn r(f7: u32, f3: u32, opc: u32) -> u32 {
    (f7 << 25) | (f3 << 12) | opc
}

/// (match, mask) of every 32-bit encoding the decoder implements: a template word is
/// `match | (random & !mask)`.
const TEMPLATES: &[(u32, u32)] = &[
    (0x37, M_OPC),                   // lui
    (0x17, M_OPC),                   // auipc
    (0x6f, M_OPC),                   // jal
    (0x67, M_I),                     // jalr
    (r(0, 0, 0x63), M_I),            // beq
    (r(0, 1, 0x63), M_I),            // bne
    (r(0, 4, 0x63), M_I),            // blt
    (r(0, 5, 0x63), M_I),            // bge
    (r(0, 6, 0x63), M_I),            // bltu
    (r(0, 7, 0x63), M_I),            // bgeu
    (r(0, 0, 0x03), M_I),            // lb
    (r(0, 1, 0x03), M_I),            // lh
    (r(0, 2, 0x03), M_I),            // lw
    (r(0, 3, 0x03), M_I),            // ld
    (r(0, 4, 0x03), M_I),            // lbu
    (r(0, 5, 0x03), M_I),            // lhu
    (r(0, 6, 0x03), M_I),            // lwu
    (r(0, 0, 0x23), M_I),            // sb
    (r(0, 1, 0x23), M_I),            // sh
    (r(0, 2, 0x23), M_I),            // sw
    (r(0, 3, 0x23), M_I),            // sd
    (r(0, 0, 0x13), M_I),            // addi
    (r(0, 2, 0x13), M_I),            // slti
    (r(0, 3, 0x13), M_I),            // sltiu
    (r(0, 4, 0x13), M_I),            // xori
    (r(0, 6, 0x13), M_I),            // ori
    (r(0, 7, 0x13), M_I),            // andi
    (r(0, 1, 0x13), M_SH6),          // slli
    (r(0, 5, 0x13), M_SH6),          // srli
    (r(0x20, 5, 0x13), M_SH6),       // srai
    (r(0, 0, 0x1b), M_I),            // addiw
    (r(0, 1, 0x1b), M_R),            // slliw
    (r(0, 5, 0x1b), M_R),            // srliw
    (r(0x20, 5, 0x1b), M_R),         // sraiw
    (r(0, 0, 0x33), M_R),            // add
    (r(0x20, 0, 0x33), M_R),         // sub
    (r(0, 1, 0x33), M_R),            // sll
    (r(0, 2, 0x33), M_R),            // slt
    (r(0, 3, 0x33), M_R),            // sltu
    (r(0, 4, 0x33), M_R),            // xor
    (r(0, 5, 0x33), M_R),            // srl
    (r(0x20, 5, 0x33), M_R),         // sra
    (r(0, 6, 0x33), M_R),            // or
    (r(0, 7, 0x33), M_R),            // and
    (r(0, 0, 0x3b), M_R),            // addw
    (r(0x20, 0, 0x3b), M_R),         // subw
    (r(0, 1, 0x3b), M_R),            // sllw
    (r(0, 5, 0x3b), M_R),            // srlw
    (r(0x20, 5, 0x3b), M_R),         // sraw
    (0x0000_000f, 0xf00f_ffff),      // fence (fm = 0, rd = rs1 = 0, random pred and succ)
    (0x0000_000f, M_I),              // fence with random reserved fields
    (0x8330_000f, M_ALL),            // fence.tso
    (0x0100_000f, M_ALL),            // pause
    (0x0000_100f, M_ALL),            // fence.i
    (0x0000_100f, M_I),              // fence.i with random reserved fields
    (0x0000_0073, M_ALL),            // ecall
    (0x0010_0073, M_ALL),            // ebreak
    (0x3020_0073, M_ALL),            // mret
    (0x1020_0073, M_ALL),            // sret
    (0x1050_0073, M_ALL),            // wfi
    (0x1200_0073, 0xfe00_7fff),      // sfence.vma
    (r(0, 1, 0x73), M_I),            // csrrw
    (r(0, 2, 0x73), M_I),            // csrrs
    (r(0, 3, 0x73), M_I),            // csrrc
    (r(0, 5, 0x73), M_I),            // csrrwi
    (r(0, 6, 0x73), M_I),            // csrrsi
    (r(0, 7, 0x73), M_I),            // csrrci
    (0xc000_2073, 0xffcf_f07f),      // csrr of cycle, time, instret (and 0xc03)
    (r(1, 0, 0x33), M_R),            // mul
    (r(1, 1, 0x33), M_R),            // mulh
    (r(1, 2, 0x33), M_R),            // mulhsu
    (r(1, 3, 0x33), M_R),            // mulhu
    (r(1, 4, 0x33), M_R),            // div
    (r(1, 5, 0x33), M_R),            // divu
    (r(1, 6, 0x33), M_R),            // rem
    (r(1, 7, 0x33), M_R),            // remu
    (r(1, 0, 0x3b), M_R),            // mulw
    (r(1, 4, 0x3b), M_R),            // divw
    (r(1, 5, 0x3b), M_R),            // divuw
    (r(1, 6, 0x3b), M_R),            // remw
    (r(1, 7, 0x3b), M_R),            // remuw
    (r(0b0001000, 2, 0x2f), M_LR),   // lr.w
    (r(0b0001000, 3, 0x2f), M_LR),   // lr.d
    (r(0b0001100, 2, 0x2f), M_AMO),  // sc.w
    (r(0b0001100, 3, 0x2f), M_AMO),  // sc.d
    (r(0b0000100, 2, 0x2f), M_AMO),  // amoswap.w
    (r(0b0000100, 3, 0x2f), M_AMO),  // amoswap.d
    (r(0b0000000, 2, 0x2f), M_AMO),  // amoadd.w
    (r(0b0000000, 3, 0x2f), M_AMO),  // amoadd.d
    (r(0b0010000, 2, 0x2f), M_AMO),  // amoxor.w
    (r(0b0010000, 3, 0x2f), M_AMO),  // amoxor.d
    (r(0b0110000, 2, 0x2f), M_AMO),  // amoand.w
    (r(0b0110000, 3, 0x2f), M_AMO),  // amoand.d
    (r(0b0100000, 2, 0x2f), M_AMO),  // amoor.w
    (r(0b0100000, 3, 0x2f), M_AMO),  // amoor.d
    (r(0b1000000, 2, 0x2f), M_AMO),  // amomin.w
    (r(0b1000000, 3, 0x2f), M_AMO),  // amomin.d
    (r(0b1010000, 2, 0x2f), M_AMO),  // amomax.w
    (r(0b1010000, 3, 0x2f), M_AMO),  // amomax.d
    (r(0b1100000, 2, 0x2f), M_AMO),  // amominu.w
    (r(0b1100000, 3, 0x2f), M_AMO),  // amominu.d
    (r(0b1110000, 2, 0x2f), M_AMO),  // amomaxu.w
    (r(0b1110000, 3, 0x2f), M_AMO),  // amomaxu.d
    (r(0b0010000, 2, 0x33), M_R),    // sh1add
    (r(0b0010000, 4, 0x33), M_R),    // sh2add
    (r(0b0010000, 6, 0x33), M_R),    // sh3add
    (r(0b0000100, 0, 0x3b), M_R),    // add.uw
    (r(0b0010000, 2, 0x3b), M_R),    // sh1add.uw
    (r(0b0010000, 4, 0x3b), M_R),    // sh2add.uw
    (r(0b0010000, 6, 0x3b), M_R),    // sh3add.uw
    (r(0b0000100, 1, 0x1b), M_SH6),  // slli.uw
    (r(0b0100000, 7, 0x33), M_R),    // andn
    (r(0b0100000, 6, 0x33), M_R),    // orn
    (r(0b0100000, 4, 0x33), M_R),    // xnor
    (0x6000_1013, M_UNARY),          // clz
    (0x6010_1013, M_UNARY),          // ctz
    (0x6020_1013, M_UNARY),          // cpop
    (0x6000_101b, M_UNARY),          // clzw
    (0x6010_101b, M_UNARY),          // ctzw
    (0x6020_101b, M_UNARY),          // cpopw
    (r(0b0000101, 6, 0x33), M_R),    // max
    (r(0b0000101, 7, 0x33), M_R),    // maxu
    (r(0b0000101, 4, 0x33), M_R),    // min
    (r(0b0000101, 5, 0x33), M_R),    // minu
    (0x6040_1013, M_UNARY),          // sext.b
    (0x6050_1013, M_UNARY),          // sext.h
    (0x0800_403b, M_UNARY),          // zext.h
    (r(0b0110000, 1, 0x33), M_R),    // rol
    (r(0b0110000, 5, 0x33), M_R),    // ror
    (r(0b0110000, 5, 0x13), M_SH6),  // rori
    (r(0b0110000, 1, 0x3b), M_R),    // rolw
    (r(0b0110000, 5, 0x3b), M_R),    // rorw
    (r(0b0110000, 5, 0x1b), M_R),    // roriw
    (0x2870_5013, M_UNARY),          // orc.b
    (0x6b80_5013, M_UNARY),          // rev8
    (r(0b0100100, 1, 0x33), M_R),    // bclr
    (r(0b0100100, 1, 0x13), M_SH6),  // bclri
    (r(0b0100100, 5, 0x33), M_R),    // bext
    (r(0b0100100, 5, 0x13), M_SH6),  // bexti
    (r(0b0110100, 1, 0x33), M_R),    // binv
    (r(0b0110100, 1, 0x13), M_SH6),  // binvi
    (r(0b0010100, 1, 0x33), M_R),    // bset
    (r(0b0010100, 1, 0x13), M_SH6),  // bseti
    (r(0, 2, 0x07), M_I),            // flw
    (r(0, 3, 0x07), M_I),            // fld
    (r(0, 2, 0x27), M_I),            // fsw
    (r(0, 3, 0x27), M_I),            // fsd
    (0x0000_0043, M_FMA),            // fmadd.s
    (0x0200_0043, M_FMA),            // fmadd.d
    (0x0000_0047, M_FMA),            // fmsub.s
    (0x0200_0047, M_FMA),            // fmsub.d
    (0x0000_004b, M_FMA),            // fnmsub.s
    (0x0200_004b, M_FMA),            // fnmsub.d
    (0x0000_004f, M_FMA),            // fnmadd.s
    (0x0200_004f, M_FMA),            // fnmadd.d
    (fp(0x00, 0), M_FP_RM),          // fadd.s
    (fp(0x01, 0), M_FP_RM),          // fadd.d
    (fp(0x04, 0), M_FP_RM),          // fsub.s
    (fp(0x05, 0), M_FP_RM),          // fsub.d
    (fp(0x08, 0), M_FP_RM),          // fmul.s
    (fp(0x09, 0), M_FP_RM),          // fmul.d
    (fp(0x0c, 0), M_FP_RM),          // fdiv.s
    (fp(0x0d, 0), M_FP_RM),          // fdiv.d
    (fp(0x2c, 0), M_FP_RM_UNARY),    // fsqrt.s
    (fp(0x2d, 0), M_FP_RM_UNARY),    // fsqrt.d
    (r(0x10, 0, 0x53), M_R),         // fsgnj.s
    (r(0x10, 1, 0x53), M_R),         // fsgnjn.s
    (r(0x10, 2, 0x53), M_R),         // fsgnjx.s
    (r(0x11, 0, 0x53), M_R),         // fsgnj.d
    (r(0x11, 1, 0x53), M_R),         // fsgnjn.d
    (r(0x11, 2, 0x53), M_R),         // fsgnjx.d
    (r(0x14, 0, 0x53), M_R),         // fmin.s
    (r(0x14, 1, 0x53), M_R),         // fmax.s
    (r(0x15, 0, 0x53), M_R),         // fmin.d
    (r(0x15, 1, 0x53), M_R),         // fmax.d
    (fp(0x20, 1), M_FP_RM_UNARY),    // fcvt.s.d
    (fp(0x21, 0), M_FP_RM_UNARY),    // fcvt.d.s
    (r(0x50, 0, 0x53), M_R),         // fle.s
    (r(0x50, 1, 0x53), M_R),         // flt.s
    (r(0x50, 2, 0x53), M_R),         // feq.s
    (r(0x51, 0, 0x53), M_R),         // fle.d
    (r(0x51, 1, 0x53), M_R),         // flt.d
    (r(0x51, 2, 0x53), M_R),         // feq.d
    (fp(0x60, 0), M_FP_RM_UNARY),    // fcvt.w.s
    (fp(0x60, 1), M_FP_RM_UNARY),    // fcvt.wu.s
    (fp(0x60, 2), M_FP_RM_UNARY),    // fcvt.l.s
    (fp(0x60, 3), M_FP_RM_UNARY),    // fcvt.lu.s
    (fp(0x61, 0), M_FP_RM_UNARY),    // fcvt.w.d
    (fp(0x61, 1), M_FP_RM_UNARY),    // fcvt.wu.d
    (fp(0x61, 2), M_FP_RM_UNARY),    // fcvt.l.d
    (fp(0x61, 3), M_FP_RM_UNARY),    // fcvt.lu.d
    (fp(0x68, 0), M_FP_RM_UNARY),    // fcvt.s.w
    (fp(0x68, 1), M_FP_RM_UNARY),    // fcvt.s.wu
    (fp(0x68, 2), M_FP_RM_UNARY),    // fcvt.s.l
    (fp(0x68, 3), M_FP_RM_UNARY),    // fcvt.s.lu
    (fp(0x69, 0), M_FP_RM_UNARY),    // fcvt.d.w
    (fp(0x69, 1), M_FP_RM_UNARY),    // fcvt.d.wu
    (fp(0x69, 2), M_FP_RM_UNARY),    // fcvt.d.l
    (fp(0x69, 3), M_FP_RM_UNARY),    // fcvt.d.lu
    (fp(0x69, 0), M_ALL & !0xf8f80), // fcvt.d.w with rm = 000 (binutils 2.40's only form)
    (fp(0x21, 0), M_ALL & !0xf8f80), // fcvt.d.s with rm = 000
    (fp(0x70, 0), M_UNARY),          // fmv.x.w
    (fp(0x71, 0), M_UNARY),          // fmv.x.d
    (fp(0x70, 0) | 0x1000, M_UNARY), // fclass.s
    (fp(0x71, 0) | 0x1000, M_UNARY), // fclass.d
    (fp(0x78, 0), M_UNARY),          // fmv.w.x
    (fp(0x79, 0), M_UNARY),          // fmv.d.x
    (csr(1, 1), M_CSR_NUM),          // csrrw fflags (fsflags)
    (csr(1, 2), M_CSR_NUM),          // csrrw frm (fsrm)
    (csr(1, 3), M_CSR_NUM),          // csrrw fcsr (fscsr)
    (csr(2, 1), M_CSR_NUM),          // csrrs fflags (frflags)
    (csr(2, 2), M_CSR_NUM),          // csrrs frm (frrm)
    (csr(2, 3), M_CSR_NUM),          // csrrs fcsr (frcsr)
    (csr(3, 1), M_CSR_NUM),          // csrrc fflags
    (csr(3, 2), M_CSR_NUM),          // csrrc frm
    (csr(3, 3), M_CSR_NUM),          // csrrc fcsr
    (csr(5, 1), M_CSR_NUM),          // csrrwi fflags (fsflagsi)
    (csr(5, 2), M_CSR_NUM),          // csrrwi frm (fsrmi)
    (csr(5, 3), M_CSR_NUM),          // csrrwi fcsr
    (csr(6, 1), M_CSR_NUM),          // csrrsi fflags
    (csr(6, 2), M_CSR_NUM),          // csrrsi frm
    (csr(6, 3), M_CSR_NUM),          // csrrsi fcsr
    (csr(7, 1), M_CSR_NUM),          // csrrci fflags
    (csr(7, 2), M_CSR_NUM),          // csrrci frm
    (csr(7, 3), M_CSR_NUM),          // csrrci fcsr
    (csr(2, 3), M_ALL & !0xf80),     // frcsr (rs1 = 0)
    (csr(2, 2), M_ALL & !0xf80),     // frrm (rs1 = 0)
    (csr(2, 1), M_ALL & !0xf80),     // frflags (rs1 = 0)
];

/// One word under test and where it sits in the object.
#[derive(Clone, Copy)]
struct Word {
    bits: u32,
    len: u8,
    addr: u64,
}

/// The allow-list: known, deliberate differences between objdump 2.40 and our decoder. Returns why a mismatch
/// between objdump's `text` and our decoding of `inst` is accepted, or `None` if it is a failure.
fn allowed(inst: &Inst, text: &str) -> Option<&'static str> {
    let objdump_invalid = text.starts_with('.');
    let mnemonic = text.split(' ').next().unwrap_or("");
    match inst.op {
        // The spec reserves FENCE's rd, rs1 and unused fm values, and FENCE.I's imm, rs1 and rd,
        // for future use and says implementations shall ignore them; standard software keeps them
        // zero. We therefore execute such words as FENCE / FENCE.I (as QEMU and Spike do), while
        // objdump only accepts the all-zero forms and prints `.4byte`.
        Op::Fence | Op::FenceI if objdump_invalid && fence_reserved_fields_set(inst.raw) => {
            Some("FENCE/FENCE.I with non-zero reserved fields")
        }
        // The all-zero-immediate C.ADDI16SP is reserved (RVC listings: "nzimm=0 reserved");
        // objdump's matcher does not check the immediate and prints `add sp,sp,0`.
        Op::Illegal if inst.raw == 0x6101 && text == "add sp,sp,0" => {
            Some("reserved c.addi16sp with nzimm = 0")
        }
        // Instructions that no longer exist in the ratified specs and that we do not implement,
        // which objdump 2.40 still decodes: URET (the withdrawn N extension), HRET and
        // SFENCE.VM (privileged spec 1.9), DRET (debug mode only, illegal outside it).
        Op::Illegal if ["uret", "hret", "sfence.vm", "dret"].contains(&mnemonic) => {
            Some("obsolete or debug-mode instruction (uret, hret, sfence.vm, dret)")
        }
        // fcvt.d.w, fcvt.d.wu and fcvt.d.s have an rm field in the spec (it cannot matter: they
        // are exact), and Spike and QEMU execute every valid rm; binutils 2.40 only knows the
        // rm = 000 encodings (later versions accept all).
        Op::FcvtDW | Op::FcvtDWu | Op::FcvtDS if objdump_invalid && inst.imm != 0 => {
            Some("fcvt.d.w/fcvt.d.wu/fcvt.d.s with rm != 000 (binutils 2.40 knows only rm = 000)")
        }
        _ => None,
    }
}

/// Whether a MISC-MEM word (FENCE or FENCE.I) has any of the fields the spec reserves set: rd,
/// rs1, and for FENCE an fm other than 0000 (or 1000 with pred = succ = RW, which is FENCE.TSO),
/// for FENCE.I the imm field.
fn fence_reserved_fields_set(raw: u32) -> bool {
    let (rd, rs1, f3) = ((raw >> 7) & 31, (raw >> 15) & 31, (raw >> 12) & 7);
    let (fm, pred_succ) = (raw >> 28, (raw >> 20) & 0xff);
    raw & 0x7f == 0x0f
        && match f3 {
            0 => rd != 0 || rs1 != 0 || !(fm == 0 || (fm == 8 && pred_succ == 0x33)),
            1 => rd != 0 || rs1 != 0 || raw >> 20 != 0,
            _ => false,
        }
}

fn toolchain_check() {
    for tool in [GCC, OBJDUMP] {
        let ok = Command::new(tool)
            .arg("--version")
            .output()
            .map(|o| o.status.success());
        assert!(
            matches!(ok, Ok(true)),
            "`{tool}` is missing: this test compares the decoder with GNU objdump and needs the \
             bare-metal RISC-V toolchain. Install it with `apt-get install gcc-riscv64-unknown-elf` \
             (which brings binutils-riscv64-unknown-elf)."
        );
    }
}

/// A per-run seed, or the one given in `EMU_OBJDUMP_SEED`.
fn seed() -> u64 {
    if let Ok(s) = std::env::var("EMU_OBJDUMP_SEED") {
        return s
            .trim()
            .parse()
            .expect("EMU_OBJDUMP_SEED must be a decimal u64");
    }
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(std::process::id() as u64);
    h.finish()
}

fn runner(seed: u64) -> TestRunner {
    let mut bytes = [0u8; 32];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        chunk.copy_from_slice(
            &seed
                .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                .wrapping_add(i as u64)
                .to_le_bytes(),
        );
    }
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    )
}

/// A random 32-bit word: low bits 11, and not the prefix of a 48-bit or longer encoding (bits 4:2
/// = 111), which objdump would disassemble with another length.
fn random_32() -> impl Strategy<Value = u32> {
    any::<u32>().prop_map(|w| {
        let w = w | 3;
        if w & 0x1c == 0x1c {
            w & !0x10
        } else {
            w
        }
    })
}

/// A word built from a template: the fixed fields of a defined encoding, random operand fields,
/// and in one case out of four one random bit flipped.
fn template_32() -> impl Strategy<Value = u32> {
    (0..TEMPLATES.len(), any::<u32>(), 0..4u8, 2..32u32).prop_map(|(t, rand, mutate, bit)| {
        let (m, mask) = TEMPLATES[t];
        let mut w = m | (rand & !mask);
        if mutate == 0 {
            w ^= 1 << bit;
        }
        if w & 0x1c == 0x1c {
            w & !0x10
        } else {
            w
        }
    })
}

fn random_16() -> impl Strategy<Value = u32> {
    any::<u16>().prop_map(|h| {
        if h & 3 == 3 {
            (h & !3) as u32
        } else {
            h as u32
        }
    })
}

fn generate<S: Strategy>(runner: &mut TestRunner, s: S, n: usize) -> Vec<S::Value> {
    proptest::collection::vec(s, n)
        .new_tree(runner)
        .expect("generate")
        .current()
}

/// Assembles `words` and returns objdump's text for each, by address.
fn objdump(dir: &Path, words: &[Word]) -> HashMap<u64, (u8, String)> {
    let mut asm = String::with_capacity(words.len() * 20);
    // `$x` is the mapping symbol that tells objdump the following bytes are code, not data.
    asm.push_str(".text\n$x:\n");
    for w in words {
        match w.len {
            2 => writeln!(asm, ".half {:#06x}", w.bits).unwrap(),
            _ => writeln!(asm, ".word {:#010x}", w.bits).unwrap(),
        }
    }
    let src = dir.join("words.s");
    let obj = dir.join("words.o");
    std::fs::write(&src, asm).expect("write assembly");
    let out = Command::new(GCC)
        .args(["-c", MARCH, "-mabi=lp64", "-o"])
        .arg(&obj)
        .arg(&src)
        .output()
        .expect("run gcc");
    assert!(
        out.status.success(),
        "gcc failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // -z: do not collapse runs of zero bytes into "...".
    let out = Command::new(OBJDUMP)
        .args(["-d", "-z"])
        .arg(&obj)
        .output()
        .expect("run objdump");
    assert!(
        out.status.success(),
        "objdump failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("objdump output is UTF-8");
    let mut map = HashMap::new();
    for line in text.lines() {
        // "  1c:\t00000013          \tnop"
        let mut parts = line.splitn(3, '\t');
        let (Some(addr), Some(bytes), Some(insn)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let Some(addr) = addr.trim().strip_suffix(':') else {
            continue;
        };
        let Ok(addr) = u64::from_str_radix(addr, 16) else {
            continue;
        };
        let len = (bytes.trim().len() / 2) as u8;
        map.insert(addr, (len, normalize(insn)));
    }
    map
}

/// Drops what is not part of one instruction's text (the `<symbol+offset>` after an address,
/// the `# ...` comments objdump derives from earlier instructions) and normalizes whitespace.
fn normalize(s: &str) -> String {
    let mut s = s.to_string();
    if let Some(i) = s.find('#') {
        s.truncate(i);
    }
    while let (Some(a), Some(b)) = (s.find(" <"), s.find('>')) {
        if b < a {
            break;
        }
        s.replace_range(a..=b, "");
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// objdump prints data directives (`.2byte`, `.4byte`) for what it cannot decode, and `unimp`
/// for the all-zero 16-bit word, which the spec defines as illegal.
fn objdump_valid(len: u8, text: &str) -> bool {
    !(text.starts_with('.') || (len == 2 && text == "unimp"))
}

#[test]
fn decoder_and_disassembler_match_objdump() {
    toolchain_check();
    for &(m, mask) in TEMPLATES {
        assert_eq!(
            m & !mask,
            0,
            "template {m:#x} has bits outside its mask {mask:#x}"
        );
        assert_ne!(decode(m).op, Op::Illegal, "template {m:#x} does not decode");
    }
    let seed = seed();
    let mut runner = runner(seed);

    let scale: usize = std::env::var("EMU_OBJDUMP_SCALE").map_or(1, |s| s.parse().expect("scale"));
    let mut bits: Vec<(u32, u8)> = Vec::new();
    // Every compressed encoding.
    bits.extend((0..=0xffffu32).filter(|h| h & 3 != 3).map(|h| (h, 2)));
    // Every CSR number, so that the whole CSR name table is checked on each run.
    bits.extend(
        (0..4096u32).map(|csr| ((csr << 20) | (12 << 15) | (2 << 12) | (11 << 7) | 0x73, 4)),
    );
    bits.extend(
        generate(&mut runner, random_16(), RANDOM_16 * scale)
            .into_iter()
            .map(|h| (h, 2)),
    );
    bits.extend(
        generate(&mut runner, random_32(), RANDOM_32 * scale)
            .into_iter()
            .map(|w| (w, 4)),
    );
    bits.extend(
        generate(&mut runner, template_32(), TEMPLATE_32 * scale)
            .into_iter()
            .map(|w| (w, 4)),
    );
    // Shuffle 16- and 32-bit words together so that branches and jumps are seen at many pcs.
    let order = generate(&mut runner, Just(bits.clone()).prop_shuffle(), 1)
        .pop()
        .unwrap();
    let mut addr = 0u64;
    let words: Vec<Word> = order
        .into_iter()
        .map(|(bits, len)| {
            let w = Word { bits, len, addr };
            addr += len as u64;
            w
        })
        .collect();

    let dir: PathBuf =
        std::env::temp_dir().join(format!("emu-objdump-{}-{seed}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    let dump = objdump(&dir, &words);
    let _ = std::fs::remove_dir_all(&dir);

    let mut failures = Vec::new();
    let mut allowed_count: HashMap<&'static str, usize> = HashMap::new();
    let (mut valid16, mut valid32) = (0, 0);
    for w in &words {
        let inst = decode(w.bits);
        let ours = normalize(&disassemble(&inst, w.addr));
        let Some((len, theirs)) = dump.get(&w.addr) else {
            failures.push(format!(
                "{:#x} at {:#x}: objdump printed nothing",
                w.bits, w.addr
            ));
            continue;
        };
        if *len != w.len || inst.len() != w.len {
            failures.push(format!(
                "{:#x} at {:#x}: length: objdump {len}, ours {}, expected {}",
                w.bits,
                w.addr,
                inst.len(),
                w.len
            ));
            continue;
        }
        let valid = objdump_valid(*len, theirs);
        let ours_valid = inst.op != Op::Illegal;
        if valid && ours_valid {
            if w.len == 2 {
                valid16 += 1;
            } else {
                valid32 += 1;
            }
        }
        if valid == ours_valid && ours == *theirs {
            continue;
        }
        if let Some(reason) = allowed(&inst, theirs) {
            *allowed_count.entry(reason).or_default() += 1;
            continue;
        }
        failures.push(format!(
            "{:#0width$x} at {:#x}: objdump `{theirs}` ({}), ours `{ours}` ({}) {inst:?}",
            w.bits,
            w.addr,
            if valid { "valid" } else { "invalid" },
            if ours_valid { "valid" } else { "illegal" },
            width = 2 + 2 * w.len as usize,
        ));
    }
    eprintln!(
        "objdump comparison (seed {seed}): {} words ({} valid 16-bit, {} valid 32-bit), allowed \
         differences {allowed_count:?}",
        words.len(),
        valid16,
        valid32
    );
    if let Ok(path) = std::env::var("EMU_OBJDUMP_REPORT") {
        std::fs::write(path, failures.join("\n")).expect("write report");
    }
    if !failures.is_empty() {
        panic!(
            "{} of {} words differ from objdump (seed {seed}; replay with EMU_OBJDUMP_SEED={seed}):\n{}",
            failures.len(),
            words.len(),
            failures.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
        );
    }
}
