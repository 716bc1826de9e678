//! Guest physical memory for emu.
//!
//! Accessing memory is separate from managing it: [`Bus`] is what a hart reads and writes through,
//! [`Ram`] is the guest's DRAM, which the hart may also touch directly on its fast path.

#![deny(missing_docs)]

mod bus;
mod ram;

pub use bus::{Bus, BusError};
pub use ram::{Ram, RamError, DRAM_BASE};
