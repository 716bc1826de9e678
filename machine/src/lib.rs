//! A whole emulated machine: harts, the physical bus, devices and the run loop.
//!
//! A [`Machine`] is a plain value that owns everything it uses (no global state), so several can
//! run in one process, each on its own thread.

#![deny(missing_docs)]

mod bus;
mod console;
mod console_buffer;
mod debug;
mod guest_file;
mod htif;
mod machine;
mod machine_thread;
mod sbi;
mod signature;

pub use bus::SystemBus;
pub use console::Console;
pub use console_buffer::ConsoleBuffer;
pub use debug::{
    DebugError, DebugHub, DebugResult, HartStatus, Registers, Space, Stats, Status, StopEvent,
    StopReason, TlbEntry,
};
pub use emu_cpu::PageLoop;
/// A disk as a machine holds it open (a raw image or a snapshot overlay), carried from a machine to
/// the one that replaces it after a guest reboot.
pub use emu_devices::Backend as OpenDisk;
pub use emu_firmware::memmap;
pub use emu_firmware::{LoadedElf, Symbols};
pub use guest_file::{read_guest_file, FIRMWARE_MAX};
pub use machine::{
    check_memory, Control, DiskConfig, LinuxBoot, Machine, MachineConfig, RunOutcome,
    DEFAULT_MEMORY, ISA, MAX_HARTS, SLICE,
};
pub use machine_thread::{panic_message, Ended, MachineThread};
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
    /// The number of harts is out of range.
    #[error("{0} harts: a machine has 1 to 8")]
    Harts(usize),
    /// The page loop asked for is not in this build.
    #[error(
        "this emu has no {} page loop: it was built by a compiler without guaranteed tail calls \
         (build with RUSTC_BOOTSTRAP=1 or a nightly compiler to get it)",
        .0.name()
    )]
    PageLoopNotBuilt(emu_cpu::PageLoop),
    /// More disks than virtio-mmio slots.
    #[error("{0} disks: a machine has 8 virtio slots")]
    TooManyDisks(usize),
    /// A disk image could not be opened (the device error names the image already).
    #[error("{source}")]
    Disk {
        /// The image file.
        path: PathBuf,
        /// What is wrong with it.
        source: emu_devices::DeviceError,
    },
    /// The device tree could not be built.
    #[error("cannot build the device tree: {0}")]
    DeviceTree(String),
    /// The kernel could not be loaded.
    #[error("kernel: {0}")]
    Kernel(emu_firmware::Error),
    /// The firmware could not be loaded.
    #[error("firmware: {0}")]
    Firmware(emu_firmware::Error),
    /// A raw firmware image larger than the 2 MiB below the kernel.
    #[error("firmware of {0} bytes does not fit below the kernel (2 MiB)")]
    FirmwareTooBig(u64),
    /// The initrd does not fit in guest RAM next to the kernel and device tree.
    #[error("the initrd ({} KiB) does not fit in guest RAM ({} MiB) next to the kernel; give more --memory", size >> 10, memory >> 20)]
    InitrdTooBig {
        /// Bytes of initrd.
        size: u64,
        /// Bytes of guest RAM.
        memory: u64,
    },
    /// The signature could not be written.
    #[error("cannot write the signature: {0}")]
    Signature(std::io::Error),
}

/// Result of machine operations.
pub type Result<T> = std::result::Result<T, Error>;
