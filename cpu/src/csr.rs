//! Control and status registers (privileged spec 1.12, chapters 2, 3 and 4).
//!
//! CSR numbers are named constants; the hart's CSR state lives in [`Csrs`], and the access rules
//! (privilege, read-only, counter enables, TVM) are applied by `Hart::csr_read` / `Hart::csr_write`.

// Constants and fields carry the spec's names; their documentation is the spec.
#![allow(missing_docs)]

/// Privilege level of a hart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Privilege {
    /// U-mode.
    User = 0,
    /// S-mode.
    Supervisor = 1,
    /// M-mode.
    Machine = 3,
}

impl Privilege {
    /// The privilege encoded in an `xPP` field; the reserved value 2 is not a privilege.
    pub fn from_bits(bits: u64) -> Option<Privilege> {
        match bits {
            0 => Some(Privilege::User),
            1 => Some(Privilege::Supervisor),
            3 => Some(Privilege::Machine),
            _ => None,
        }
    }
}

// CSR numbers.
pub const FFLAGS: u16 = 0x001;
pub const FRM: u16 = 0x002;
pub const FCSR: u16 = 0x003;
pub const CYCLE: u16 = 0xc00;
pub const TIME: u16 = 0xc01;
pub const INSTRET: u16 = 0xc02;
pub const HPMCOUNTER3: u16 = 0xc03;
pub const HPMCOUNTER31: u16 = 0xc1f;
pub const SSTATUS: u16 = 0x100;
pub const SIE: u16 = 0x104;
pub const STVEC: u16 = 0x105;
pub const SCOUNTEREN: u16 = 0x106;
pub const SENVCFG: u16 = 0x10a;
pub const SSCRATCH: u16 = 0x140;
pub const SEPC: u16 = 0x141;
pub const SCAUSE: u16 = 0x142;
pub const STVAL: u16 = 0x143;
pub const SIP: u16 = 0x144;
pub const STIMECMP: u16 = 0x14d;
pub const SATP: u16 = 0x180;
pub const MVENDORID: u16 = 0xf11;
pub const MARCHID: u16 = 0xf12;
pub const MIMPID: u16 = 0xf13;
pub const MHARTID: u16 = 0xf14;
pub const MCONFIGPTR: u16 = 0xf15;
pub const MSTATUS: u16 = 0x300;
pub const MISA: u16 = 0x301;
pub const MEDELEG: u16 = 0x302;
pub const MIDELEG: u16 = 0x303;
pub const MIE: u16 = 0x304;
pub const MTVEC: u16 = 0x305;
pub const MCOUNTEREN: u16 = 0x306;
pub const MENVCFG: u16 = 0x30a;
pub const MCOUNTINHIBIT: u16 = 0x320;
pub const MHPMEVENT3: u16 = 0x323;
pub const MHPMEVENT31: u16 = 0x33f;
pub const MSCRATCH: u16 = 0x340;
pub const MEPC: u16 = 0x341;
pub const MCAUSE: u16 = 0x342;
pub const MTVAL: u16 = 0x343;
pub const MIP: u16 = 0x344;
pub const PMPCFG0: u16 = 0x3a0;
pub const PMPCFG15: u16 = 0x3af;
pub const PMPADDR0: u16 = 0x3b0;
pub const PMPADDR63: u16 = 0x3ef;
pub const MSECCFG: u16 = 0x747;
pub const TSELECT: u16 = 0x7a0;
pub const TDATA1: u16 = 0x7a1;
pub const TDATA2: u16 = 0x7a2;
pub const TDATA3: u16 = 0x7a3;
pub const TINFO: u16 = 0x7a4;
pub const MCYCLE: u16 = 0xb00;
pub const MINSTRET: u16 = 0xb02;
pub const MHPMCOUNTER3: u16 = 0xb03;
pub const MHPMCOUNTER31: u16 = 0xb1f;

// mstatus fields (RV64).
pub const MSTATUS_SIE: u64 = 1 << 1;
pub const MSTATUS_MIE: u64 = 1 << 3;
pub const MSTATUS_SPIE: u64 = 1 << 5;
pub const MSTATUS_MPIE: u64 = 1 << 7;
pub const MSTATUS_SPP: u64 = 1 << 8;
pub const MSTATUS_VS: u64 = 3 << 9;
pub const MSTATUS_MPP_SHIFT: u32 = 11;
pub const MSTATUS_MPP: u64 = 3 << MSTATUS_MPP_SHIFT;
pub const MSTATUS_FS: u64 = 3 << 13;
pub const MSTATUS_XS: u64 = 3 << 15;
pub const MSTATUS_MPRV: u64 = 1 << 17;
pub const MSTATUS_SUM: u64 = 1 << 18;
pub const MSTATUS_MXR: u64 = 1 << 19;
pub const MSTATUS_TVM: u64 = 1 << 20;
pub const MSTATUS_TW: u64 = 1 << 21;
pub const MSTATUS_TSR: u64 = 1 << 22;
pub const MSTATUS_UXL: u64 = 3 << 32;
pub const MSTATUS_SXL: u64 = 3 << 34;
pub const MSTATUS_SD: u64 = 1 << 63;

/// mstatus bits that M-mode software can write.
pub const MSTATUS_WRITABLE: u64 = MSTATUS_SIE
    | MSTATUS_MIE
    | MSTATUS_SPIE
    | MSTATUS_MPIE
    | MSTATUS_SPP
    | MSTATUS_MPP
    | MSTATUS_FS
    | MSTATUS_MPRV
    | MSTATUS_SUM
    | MSTATUS_MXR
    | MSTATUS_TVM
    | MSTATUS_TW
    | MSTATUS_TSR;

/// The bits of mstatus visible through sstatus (spec 4.1.1).
pub const SSTATUS_MASK: u64 = MSTATUS_SIE
    | MSTATUS_SPIE
    | MSTATUS_SPP
    | MSTATUS_VS
    | MSTATUS_FS
    | MSTATUS_XS
    | MSTATUS_SUM
    | MSTATUS_MXR
    | MSTATUS_UXL
    | MSTATUS_SD;

/// misa: MXL = 64, extensions A, C, D, F, I, M, S, U.
pub const MISA_VALUE: u64 = (2 << 62)
    | misa_bit(b'A')
    | misa_bit(b'C')
    | misa_bit(b'D')
    | misa_bit(b'F')
    | misa_bit(b'I')
    | misa_bit(b'M')
    | misa_bit(b'S')
    | misa_bit(b'U');

const fn misa_bit(letter: u8) -> u64 {
    1 << (letter - b'A')
}

// Interrupt bits of mip / mie.
pub const IRQ_SSI: u64 = 1 << 1;
pub const IRQ_MSI: u64 = 1 << 3;
pub const IRQ_STI: u64 = 1 << 5;
pub const IRQ_MTI: u64 = 1 << 7;
pub const IRQ_SEI: u64 = 1 << 9;
pub const IRQ_MEI: u64 = 1 << 11;
/// The interrupts that exist on this hart.
pub const IRQ_ALL: u64 = IRQ_SSI | IRQ_MSI | IRQ_STI | IRQ_MTI | IRQ_SEI | IRQ_MEI;
/// Supervisor-level interrupts: the only ones mideleg can delegate.
pub const IRQ_S: u64 = IRQ_SSI | IRQ_STI | IRQ_SEI;
/// Interrupt numbers in decreasing priority order (spec 3.1.9: MEI, MSI, MTI, SEI, SSI, STI).
pub const IRQ_PRIORITY: [u32; 6] = [11, 3, 7, 9, 1, 5];

/// Exceptions medeleg can delegate: every defined cause but ECALL from M-mode (11).
pub const MEDELEG_WRITABLE: u64 = 0xb3ff;

/// menvcfg.STCE: Sstc's stimecmp is enabled.
pub const MENVCFG_STCE: u64 = 1 << 63;

/// satp fields.
pub const SATP_MODE_SHIFT: u32 = 60;

/// The hart's CSR state, other than the counters (which the hart derives from its step count).
#[derive(Clone, Debug, Default)]
pub struct Csrs {
    pub mstatus: u64,
    pub medeleg: u64,
    pub mideleg: u64,
    pub mie: u64,
    /// Software-writable pending bits (SSIP, STIP, SEIP); device lines are kept apart by the hart.
    pub mip: u64,
    pub mtvec: u64,
    pub mcounteren: u64,
    pub mscratch: u64,
    pub mepc: u64,
    pub mcause: u64,
    pub mtval: u64,
    pub menvcfg: u64,
    pub mseccfg: u64,
    pub mcountinhibit: u64,
    pub stvec: u64,
    pub scounteren: u64,
    pub sscratch: u64,
    pub sepc: u64,
    pub scause: u64,
    pub stval: u64,
    pub senvcfg: u64,
    pub satp: u64,
    /// Sstc's supervisor timer compare.
    pub stimecmp: u64,
}

impl Csrs {
    /// mstatus as read: SD summarises FS/XS/VS, UXL and SXL say 64-bit.
    pub fn mstatus_read(&self) -> u64 {
        let mut v = self.mstatus | (2 << 32) | (2 << 34);
        let dirty = |field: u64| v & field == field;
        if dirty(MSTATUS_FS) || dirty(MSTATUS_XS) || dirty(MSTATUS_VS) {
            v |= MSTATUS_SD;
        }
        v
    }

    /// Writes mstatus under its WARL rules: unwritable fields keep their value; MPP=2 (reserved)
    /// leaves MPP unchanged.
    pub fn mstatus_write(&mut self, value: u64) {
        let mut new = (self.mstatus & !MSTATUS_WRITABLE) | (value & MSTATUS_WRITABLE);
        if (value & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT == 2 {
            new = (new & !MSTATUS_MPP) | (self.mstatus & MSTATUS_MPP);
        }
        self.mstatus = new;
    }
}
