//! Disassembler in the syntax of GNU objdump.

use crate::inst::Inst;

/// ABI names of the integer registers, as objdump prints them.
pub const REG_NAMES: [&str; 32] = [
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
];

/// Disassembles `inst`, located at `pc`, as objdump would print it (mnemonic, a tab, operands).
pub fn disassemble(inst: &Inst, pc: u64) -> String {
    todo!("disassembler {inst:?} {pc:#x}")
}

/// The name objdump gives CSR number `csr`, if it has one.
pub fn csr_name(csr: u16) -> Option<&'static str> {
    todo!("csr names {csr:#x}")
}
