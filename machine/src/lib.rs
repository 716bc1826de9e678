//! A whole emulated machine: harts, the physical bus, devices and the run loop.
//!
//! A [`Machine`] is a plain value that owns everything it uses (no global state), so several can
//! run in one process, each on its own thread.

#![deny(missing_docs)]

mod bus;
mod htif;
mod machine;
mod signature;

pub use bus::SystemBus;
pub use emu_firmware::memmap;
pub use emu_firmware::{LoadedElf, Symbols};
pub use machine::{Machine, MachineConfig, RunOutcome, DEFAULT_MEMORY, SLICE};
pub use signature::Granularity;

use std::path::PathBuf;

/// Why a machine could not be built, loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Guest RAM could not be created (bad size, or the host refused the allocation).
    #[error(transparent)]
    Memory(#[from] emu_mmu::RamError),
    /// The program file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    ReadProgram {
        /// The file named by the caller.
        path: PathBuf,
        /// What the host said.
        source: std::io::Error,
    },
    /// The program file is not a loadable RV64 program.
    #[error("{}: {source}", path.display())]
    LoadProgram {
        /// The file named by the caller.
        path: PathBuf,
        /// What is wrong with it.
        source: emu_firmware::Error,
    },
    /// The program image given as bytes is not a loadable RV64 program.
    #[error(transparent)]
    Load(#[from] emu_firmware::Error),
    /// The guest pointed HTIF at memory that is not guest RAM.
    #[error("the program's HTIF {what} at {addr:#x} is outside guest RAM")]
    HtifOutsideRam {
        /// Which HTIF structure it was.
        what: &'static str,
        /// Its address.
        addr: u64,
    },
    /// The instruction trace could not be written.
    #[error("cannot write the instruction trace: {0}")]
    Trace(std::io::Error),
    /// A signature was asked for, but the program has no `begin_signature`/`end_signature`.
    #[error(
        "the program has no begin_signature and end_signature symbols, so it has no signature"
    )]
    NoSignature,
    /// The signature symbols do not bound a range of guest RAM.
    #[error("the signature range {begin:#x}..{end:#x} is not a range of guest RAM")]
    BadSignatureRange {
        /// Address of `begin_signature`.
        begin: u64,
        /// Address of `end_signature`.
        end: u64,
    },
    /// The signature could not be written.
    #[error("cannot write the signature: {0}")]
    Signature(std::io::Error),
}

/// Result of machine operations.
pub type Result<T> = std::result::Result<T, Error>;
