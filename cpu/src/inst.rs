//! Decoded instructions: the compact form the executor and the disassembler share.

/// Every operation the hart implements. Compressed instructions decode to the operation they
/// expand to (with [`Inst::len`] = 2), so the executor never sees RVC encodings.
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum Op {
    /// An encoding that is reserved, illegal or of an extension we do not implement.
    Illegal,
    /// Not an instruction: an empty slot of the decoded-instruction cache. The decoder never
    /// produces it.
    NotDecoded,
    // RV64I
    Lui,
    Auipc,
    Jal,
    Jalr,
    Beq,
    Bne,
    Blt,
    Bge,
    Bltu,
    Bgeu,
    Lb,
    Lh,
    Lw,
    Ld,
    Lbu,
    Lhu,
    Lwu,
    Sb,
    Sh,
    Sw,
    Sd,
    Addi,
    Slti,
    Sltiu,
    Xori,
    Ori,
    Andi,
    Slli,
    Srli,
    Srai,
    Add,
    Sub,
    Sll,
    Slt,
    Sltu,
    Xor,
    Srl,
    Sra,
    Or,
    And,
    Addiw,
    Slliw,
    Srliw,
    Sraiw,
    Addw,
    Subw,
    Sllw,
    Srlw,
    Sraw,
    /// FENCE, including FENCE.TSO and PAUSE: `imm` holds bits 31:20 (fm, pred, succ).
    Fence,
    Ecall,
    Ebreak,
    // Zifencei
    FenceI,
    // Zicsr: `imm` is the CSR number; for the *i forms `rs1` is the 5-bit immediate.
    Csrrw,
    Csrrs,
    Csrrc,
    Csrrwi,
    Csrrsi,
    Csrrci,
    // Privileged
    Mret,
    Sret,
    Wfi,
    SfenceVma,
    // M
    Mul,
    Mulh,
    Mulhsu,
    Mulhu,
    Div,
    Divu,
    Rem,
    Remu,
    Mulw,
    Divw,
    Divuw,
    Remw,
    Remuw,
    // A: `imm` bit 1 = aq, bit 0 = rl.
    LrW,
    ScW,
    AmoswapW,
    AmoaddW,
    AmoxorW,
    AmoandW,
    AmoorW,
    AmominW,
    AmomaxW,
    AmominuW,
    AmomaxuW,
    LrD,
    ScD,
    AmoswapD,
    AmoaddD,
    AmoxorD,
    AmoandD,
    AmoorD,
    AmominD,
    AmomaxD,
    AmominuD,
    AmomaxuD,
    // Zba
    Sh1add,
    Sh2add,
    Sh3add,
    AddUw,
    Sh1addUw,
    Sh2addUw,
    Sh3addUw,
    SlliUw,
    // Zbb
    Andn,
    Orn,
    Xnor,
    Clz,
    Ctz,
    Cpop,
    Clzw,
    Ctzw,
    Cpopw,
    Max,
    Maxu,
    Min,
    Minu,
    SextB,
    SextH,
    ZextH,
    Rol,
    Ror,
    Rori,
    Rolw,
    Rorw,
    Roriw,
    OrcB,
    Rev8,
    // Zbs
    Bclr,
    Bclri,
    Bext,
    Bexti,
    Binv,
    Binvi,
    Bset,
    Bseti,
    // F and D (executed by fpu.rs). Loads and stores: rd/rs2 name f registers, `imm` is the offset.
    // The operations that round keep their rm field (0..=7, 7 = dynamic) in `imm`. Operands
    // are f registers except the integer side of fcvt between integers and floats, fmv.x.*,
    // fmv.*.x, the comparisons and fclass. Names are the mnemonic with the format suffixes
    // (FcvtWS is fcvt.w.s: to a 32-bit integer from single precision).
    Flw,
    Fsw,
    FmaddS,
    FmsubS,
    FnmsubS,
    FnmaddS,
    FaddS,
    FsubS,
    FmulS,
    FdivS,
    FsqrtS,
    FsgnjS,
    FsgnjnS,
    FsgnjxS,
    FminS,
    FmaxS,
    FcvtWS,
    FcvtWuS,
    FcvtLS,
    FcvtLuS,
    FmvXW,
    FeqS,
    FltS,
    FleS,
    FclassS,
    FcvtSW,
    FcvtSWu,
    FcvtSL,
    FcvtSLu,
    FmvWX,
    Fld,
    Fsd,
    FmaddD,
    FmsubD,
    FnmsubD,
    FnmaddD,
    FaddD,
    FsubD,
    FmulD,
    FdivD,
    FsqrtD,
    FsgnjD,
    FsgnjnD,
    FsgnjxD,
    FminD,
    FmaxD,
    FcvtSD,
    FcvtDS,
    FcvtWD,
    FcvtWuD,
    FcvtLD,
    FcvtLuD,
    FmvXD,
    FeqD,
    FltD,
    FleD,
    FclassD,
    FcvtDW,
    FcvtDWu,
    FcvtDL,
    FcvtDLu,
    FmvDX,
    // Fused pairs and triples (fusion.rs): `AddiBne` is an ADDI whose next instruction, in its own
    // slot, is a BNE, and runs both. Only the decoded-instruction cache makes them.
    AddiAddi,
    AddiBne,
    AddiJal,
    AddiMulw,
    MulwAddw,
    AddwBne,
    AddwAddw,
    AddiwBeq,
    AddiwBne,
    AddiwAddiw,
    AddAdd,
    AddBne,
    AddLd,
    SlliAdd,
    AuipcAddi,
    LdLd,
    LdAddi,
    LdBeq,
    LdBne,
    LwBne,
    LhLh,
    LhAddi,
    LbuAddi,
    LbuLbu,
    SdSd,
    BneLh,
    BneLd,
    BneAndi,
    BneBeq,
    BeqLw,
    BeqAddi,
    BeqAddiw,
    AndiSrliw,
    SrliwAddiw,
    SrliwOr,
    SrliwSlliw,
    SlliwSrliw,
    SlliwOr,
    OrXor,
    XorSrliw,
    SrliXor,
    XorAddw,
    AndAnd,
    AndXor,
    XorAnd,
    SrlAddiw,
    LhuSubw,
    AddiBltu,
    AddJal,
    AddJalr,
    LwAdd,
    SdAdd,
    AddBlt,
    FldFld,
    FldFmulD,
    FldFsubD,
    FmaddDFsd,
    FmaddDFmaddD,
    FmulDFmulD,
    FsdFsd,
    FsdBne,
    SlliSrli,
    BltuBltu,
    BgeuBltu,
    LwLw,
    LwBeq,
    AndiSrli,
    BeqBlt,
    LbuBne,
    AddiwAddw,
    AddwAddiw,
    AndSlli,
    MulSrli,
    MulwAddwBne,
    AddiwAddiwBne,
    SlliwSrliwOr,
    SrliwSlliwOr,
    AndSlliAdd,
    MulSrliXor,
    SdSdSd,
    LdLdLd,
}

impl Op {
    /// How many operations there are: the last one above, plus one. The threaded page loop's
    /// tables have `COUNT * 8` entries and are indexed without a check: a test holds this to the
    /// number of variants.
    #[cfg_attr(not(threaded_loop), allow(dead_code))] // the threaded loop's
    pub(crate) const COUNT: usize = Op::LdLdLd as usize + 1;
}

/// A pattern matching every fused pair and triple (fusion.rs).
macro_rules! fused_ops {
    () => {
        crate::inst::Op::AddiAddi
            | crate::inst::Op::AddiBne
            | crate::inst::Op::AddiJal
            | crate::inst::Op::AddiMulw
            | crate::inst::Op::MulwAddw
            | crate::inst::Op::AddwBne
            | crate::inst::Op::AddwAddw
            | crate::inst::Op::AddiwBeq
            | crate::inst::Op::AddiwBne
            | crate::inst::Op::AddiwAddiw
            | crate::inst::Op::AddAdd
            | crate::inst::Op::AddBne
            | crate::inst::Op::AddLd
            | crate::inst::Op::SlliAdd
            | crate::inst::Op::AuipcAddi
            | crate::inst::Op::LdLd
            | crate::inst::Op::LdAddi
            | crate::inst::Op::LdBeq
            | crate::inst::Op::LdBne
            | crate::inst::Op::LwBne
            | crate::inst::Op::LhLh
            | crate::inst::Op::LhAddi
            | crate::inst::Op::LbuAddi
            | crate::inst::Op::LbuLbu
            | crate::inst::Op::SdSd
            | crate::inst::Op::BneLh
            | crate::inst::Op::BneLd
            | crate::inst::Op::BneAndi
            | crate::inst::Op::BneBeq
            | crate::inst::Op::BeqLw
            | crate::inst::Op::BeqAddi
            | crate::inst::Op::BeqAddiw
            | crate::inst::Op::AndiSrliw
            | crate::inst::Op::SrliwAddiw
            | crate::inst::Op::SrliwOr
            | crate::inst::Op::SrliwSlliw
            | crate::inst::Op::SlliwSrliw
            | crate::inst::Op::SlliwOr
            | crate::inst::Op::OrXor
            | crate::inst::Op::XorSrliw
            | crate::inst::Op::SrliXor
            | crate::inst::Op::XorAddw
            | crate::inst::Op::AndAnd
            | crate::inst::Op::AndXor
            | crate::inst::Op::XorAnd
            | crate::inst::Op::SrlAddiw
            | crate::inst::Op::LhuSubw
            | crate::inst::Op::AddiBltu
            | crate::inst::Op::AddJal
            | crate::inst::Op::AddJalr
            | crate::inst::Op::LwAdd
            | crate::inst::Op::SdAdd
            | crate::inst::Op::AddBlt
            | crate::inst::Op::FldFld
            | crate::inst::Op::FldFmulD
            | crate::inst::Op::FldFsubD
            | crate::inst::Op::FmaddDFsd
            | crate::inst::Op::FmaddDFmaddD
            | crate::inst::Op::FmulDFmulD
            | crate::inst::Op::FsdFsd
            | crate::inst::Op::FsdBne
            | crate::inst::Op::SlliSrli
            | crate::inst::Op::BltuBltu
            | crate::inst::Op::BgeuBltu
            | crate::inst::Op::LwLw
            | crate::inst::Op::LwBeq
            | crate::inst::Op::AndiSrli
            | crate::inst::Op::BeqBlt
            | crate::inst::Op::LbuBne
            | crate::inst::Op::AddiwAddw
            | crate::inst::Op::AddwAddiw
            | crate::inst::Op::AndSlli
            | crate::inst::Op::MulSrli
            | crate::inst::Op::MulwAddwBne
            | crate::inst::Op::AddiwAddiwBne
            | crate::inst::Op::SlliwSrliwOr
            | crate::inst::Op::SrliwSlliwOr
            | crate::inst::Op::AndSlliAdd
            | crate::inst::Op::MulSrliXor
            | crate::inst::Op::SdSdSd
            | crate::inst::Op::LdLdLd
    };
}
pub(crate) use fused_ops;

/// A pattern matching every F and D operation, for the executor's dispatch to `fpu.rs`.
macro_rules! fp_ops {
    () => {
        Op::Flw
            | Op::Fsw
            | Op::FmaddS
            | Op::FmsubS
            | Op::FnmsubS
            | Op::FnmaddS
            | Op::FaddS
            | Op::FsubS
            | Op::FmulS
            | Op::FdivS
            | Op::FsqrtS
            | Op::FsgnjS
            | Op::FsgnjnS
            | Op::FsgnjxS
            | Op::FminS
            | Op::FmaxS
            | Op::FcvtWS
            | Op::FcvtWuS
            | Op::FcvtLS
            | Op::FcvtLuS
            | Op::FmvXW
            | Op::FeqS
            | Op::FltS
            | Op::FleS
            | Op::FclassS
            | Op::FcvtSW
            | Op::FcvtSWu
            | Op::FcvtSL
            | Op::FcvtSLu
            | Op::FmvWX
            | Op::Fld
            | Op::Fsd
            | Op::FmaddD
            | Op::FmsubD
            | Op::FnmsubD
            | Op::FnmaddD
            | Op::FaddD
            | Op::FsubD
            | Op::FmulD
            | Op::FdivD
            | Op::FsqrtD
            | Op::FsgnjD
            | Op::FsgnjnD
            | Op::FsgnjxD
            | Op::FminD
            | Op::FmaxD
            | Op::FcvtSD
            | Op::FcvtDS
            | Op::FcvtWD
            | Op::FcvtWuD
            | Op::FcvtLD
            | Op::FcvtLuD
            | Op::FmvXD
            | Op::FeqD
            | Op::FltD
            | Op::FleD
            | Op::FclassD
            | Op::FcvtDW
            | Op::FcvtDWu
            | Op::FcvtDL
            | Op::FcvtDLu
            | Op::FmvDX
    };
}
pub(crate) use fp_ops;

/// One decoded instruction.
///
/// Operand fields not used by `op` are zero. `imm` is the sign-extended immediate (branch and jump
/// offsets are relative to the instruction's own pc; shift amounts are in `imm`; see [`Op`] for
/// the CSR, FENCE and AMO conventions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Inst {
    /// The operation.
    pub op: Op,
    /// Destination register.
    pub rd: u8,
    /// First source register (or CSR immediate).
    pub rs1: u8,
    /// Second source register.
    pub rs2: u8,
    /// Third source register (the fused multiply-adds).
    pub rs3: u8,
    /// `op * 8 + length` (the encoded length in bytes: 2 (compressed) or 4, 0 in an empty slot):
    /// where the threaded page loop finds this instruction's handler (threaded.rs), in one load.
    /// Kept in step with `op` by [`Inst::new`] and [`Inst::set_op`].
    key: u16,
    /// Immediate, sign-extended.
    pub imm: i32,
    /// The raw instruction bits (16 significant bits for a compressed instruction); this is what an
    /// illegal-instruction trap reports in `mtval`/`stval`.
    pub raw: u32,
}

// A decoded page is 2048 slots of 16 bytes (32 KiB); the page loop steps by whole slots.
const _: () = assert!(std::mem::size_of::<Inst>() == 16);

impl Inst {
    /// An instruction with every field given; `len` is 2 (compressed), 4, or 0 (an empty slot).
    #[allow(clippy::too_many_arguments)]
    pub const fn new(
        op: Op,
        rd: u8,
        rs1: u8,
        rs2: u8,
        rs3: u8,
        len: u8,
        imm: i32,
        raw: u32,
    ) -> Inst {
        Inst {
            op,
            rd,
            rs1,
            rs2,
            rs3,
            // (Masked, so that the key stays below `Op::COUNT * 8` whatever `len` is.)
            key: op as u16 * 8 + (len & 7) as u16,
            imm,
            raw,
        }
    }

    /// An empty slot of the decoded-instruction cache.
    pub const NOT_DECODED: Inst = Inst::new(Op::NotDecoded, 0, 0, 0, 0, 0, 0, 0);

    /// An illegal instruction with these raw bits and length.
    pub const fn illegal(raw: u32, len: u8) -> Inst {
        Inst::new(Op::Illegal, 0, 0, 0, 0, len, 0, raw)
    }

    /// Encoded length in bytes: 2 (compressed) or 4 (0 for an empty slot).
    #[allow(clippy::len_without_is_empty)] // a length in bytes, not of a collection
    #[inline(always)]
    pub const fn len(&self) -> u8 {
        (self.key & 7) as u8
    }

    /// Makes this instruction `op` (a fused pair or triple, fusion.rs), keeping its other fields.
    #[inline]
    pub fn set_op(&mut self, op: Op) {
        *self = Inst::new(
            op,
            self.rd,
            self.rs1,
            self.rs2,
            self.rs3,
            self.len(),
            self.imm,
            self.raw,
        );
    }

    /// The same instruction with raw bits `raw`.
    pub const fn with_raw(self, raw: u32) -> Inst {
        Inst { raw, ..self }
    }

    /// See the field.
    #[inline(always)]
    #[cfg_attr(not(threaded_loop), allow(dead_code))] // the threaded loop's
    pub(crate) const fn key(&self) -> u16 {
        self.key
    }
}

// Needs the unstable variant_count, available where the threaded loop is (build.rs).
#[cfg(all(test, threaded_loop))]
mod tests {
    use super::Op;

    #[test]
    fn count_is_the_number_of_operations() {
        assert_eq!(Op::COUNT, std::mem::variant_count::<Op>());
    }
}
