//! Instruction decoder: raw bits to [`Inst`], for RV64IMAC, Zicsr, Zifencei, Zba, Zbb, Zbs and the
//! privileged instructions.

use crate::inst::{Inst, Op};

/// Decodes one instruction. If the low two bits of `bits` are not `0b11`, only the low 16 bits are
/// used and they are decoded as a compressed instruction. Reserved and unsupported encodings decode
/// to [`Op::Illegal`].
pub fn decode(bits: u32) -> Inst {
    let _ = Op::Illegal;
    todo!("decoder: {bits:#x}")
}
