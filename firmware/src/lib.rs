//! What a machine's memory holds before its first instruction: the guest software and what
//! describes the board to it.
//!
//! Bare-metal RV64 ELF programs ([`load_elf`], the kind the riscv-tests and riscv-arch-test suites
//! are built as, and ELF kernels), RISC-V Linux `Image` kernels ([`load_image`]), the device tree
//! of the virt board ([`build_fdt`]), the reset ROM ([`reset_rom`]) and the memory map
//! ([`memmap`]). The built-in SBI is not here: it runs on the host, in emu-machine.

#![deny(missing_docs)]

mod elf;
mod fdt;
mod image;
pub mod memmap;
mod rom;

pub use elf::{load_elf, LoadedElf, Symbols};
pub use fdt::{build_fdt, FdtConfig};
pub use image::{is_image, load_image, LoadedImage};
pub use rom::{reset_rom, FW_DYNAMIC_INFO_OFFSET};

/// Why a guest program could not be loaded. Each message names what is wrong with the file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file does not start with the ELF magic number `\x7fELF`.
    #[error("not an ELF file (it does not start with the ELF magic number)")]
    NotElf,
    /// The ELF is a 32-bit one (`ELFCLASS32`), e.g. an RV32 program.
    #[error("32-bit ELF: emu runs RV64 programs")]
    Not64Bit,
    /// The ELF class byte is neither 32- nor 64-bit.
    #[error("malformed ELF: unknown ELF class {0}")]
    BadClass(u8),
    /// The ELF is big-endian; RISC-V programs are little-endian.
    #[error("big-endian ELF: RISC-V programs are little-endian")]
    BigEndian,
    /// The ELF was built for another architecture (`e_machine` is not `EM_RISCV`).
    #[error(
        "not a RISC-V program: the ELF is for machine {name} (e_machine {machine}, RISC-V is 243)"
    )]
    NotRiscv {
        /// The `e_machine` value found.
        machine: u16,
        /// Its name, as the ELF specification spells it.
        name: &'static str,
    },
    /// The file ends before a part that its headers say is there.
    #[error("truncated ELF: {part} spans file bytes {start:#x}..{end:#x}, but the file is {len:#x} bytes long")]
    Truncated {
        /// Which part of the file is cut off.
        part: String,
        /// First byte of that part.
        start: u64,
        /// One past its last byte (saturated at `u64::MAX` if the headers overflow).
        end: u64,
        /// The file's length.
        len: u64,
    },
    /// A loadable segment does not fit in guest RAM.
    #[error(
        "segment {index} occupies {start:#x}..{end:#x}, outside guest RAM {ram_start:#x}..{ram_end:#x} \
         (link the program at 0x80000000 or give more --memory)"
    )]
    SegmentOutsideRam {
        /// Index of the program header.
        index: usize,
        /// Its first physical address.
        start: u64,
        /// One past its last physical address (saturated at `u64::MAX` on overflow).
        end: u64,
        /// First address of guest RAM.
        ram_start: u64,
        /// One past the last address of guest RAM.
        ram_end: u64,
    },
    /// The entry point is not inside guest RAM, so the hart could not fetch its first instruction.
    #[error("entry point {entry:#x} is outside guest RAM {ram_start:#x}..{ram_end:#x}")]
    EntryOutsideRam {
        /// The entry point (`e_entry`).
        entry: u64,
        /// First address of guest RAM.
        ram_start: u64,
        /// One past the last address of guest RAM.
        ram_end: u64,
    },
    /// The ELF has no `PT_LOAD` segment, so there is nothing to run (e.g. an unlinked `.o` file).
    #[error(
        "the ELF has no loadable segments (is it an object file rather than a linked program?)"
    )]
    NoLoadableSegments,
    /// The headers contradict themselves or the ELF format.
    #[error("malformed ELF: {0}")]
    Malformed(String),
    /// A Linux `Image` header has values the boot protocol does not allow.
    #[error("malformed kernel Image: {0}")]
    MalformedImage(String),
    /// A kernel file is neither a RISC-V Linux `Image` nor an ELF.
    #[error(
        "neither a RISC-V Image nor an ELF: no Image header (magic \"RSC\\x05\") and no ELF header"
    )]
    NotImage,
    /// The kernel does not fit in guest RAM.
    #[error("the kernel needs {} MiB from its load address, more than guest RAM ({} MiB); give more --memory", size >> 20, memory >> 20)]
    KernelTooBig {
        /// Bytes the kernel occupies.
        size: u64,
        /// Bytes of guest RAM.
        memory: u64,
    },
}

/// Result of the loaders.
pub type Result<T> = std::result::Result<T, Error>;
