//! Synchronous exceptions and interrupts (privileged spec 1.12, section 3.1.15 "mcause").

/// A synchronous exception, with the value the spec gives for `xtval`.
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exception {
    InstructionMisaligned(u64),
    InstructionAccessFault(u64),
    /// The instruction bits.
    IllegalInstruction(u32),
    /// The pc of the EBREAK.
    Breakpoint(u64),
    LoadMisaligned(u64),
    LoadAccessFault(u64),
    StoreMisaligned(u64),
    StoreAccessFault(u64),
    EcallFromU,
    EcallFromS,
    EcallFromM,
    InstructionPageFault(u64),
    LoadPageFault(u64),
    StorePageFault(u64),
}

impl Exception {
    /// The exception code written to `xcause`.
    pub fn code(self) -> u64 {
        use Exception::*;
        match self {
            InstructionMisaligned(_) => 0,
            InstructionAccessFault(_) => 1,
            IllegalInstruction(_) => 2,
            Breakpoint(_) => 3,
            LoadMisaligned(_) => 4,
            LoadAccessFault(_) => 5,
            StoreMisaligned(_) => 6,
            StoreAccessFault(_) => 7,
            EcallFromU => 8,
            EcallFromS => 9,
            EcallFromM => 11,
            InstructionPageFault(_) => 12,
            LoadPageFault(_) => 13,
            StorePageFault(_) => 15,
        }
    }

    /// The value written to `xtval`.
    pub fn tval(self) -> u64 {
        use Exception::*;
        match self {
            InstructionMisaligned(a)
            | InstructionAccessFault(a)
            | Breakpoint(a)
            | LoadMisaligned(a)
            | LoadAccessFault(a)
            | StoreMisaligned(a)
            | StoreAccessFault(a)
            | InstructionPageFault(a)
            | LoadPageFault(a)
            | StorePageFault(a) => a,
            IllegalInstruction(bits) => bits as u64,
            EcallFromU | EcallFromS | EcallFromM => 0,
        }
    }
}

/// An interrupt, numbered by its bit in `mip`/`mie`.
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Interrupt {
    SupervisorSoftware = 1,
    MachineSoftware = 3,
    SupervisorTimer = 5,
    MachineTimer = 7,
    SupervisorExternal = 9,
    MachineExternal = 11,
}
