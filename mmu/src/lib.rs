//! Guest physical memory and address translation for emu.
//!
//! Accessing memory is separate from managing it: [`Bus`] is what a hart reads and writes through,
//! [`Ram`] is the guest's DRAM, which the hart may also touch directly on its fast path.
//! [`walk`] is the Sv39/Sv48/Sv57 page-table walk and [`Pmp`] the physical memory protection unit.

#![deny(missing_docs)]

mod bus;
mod huge_pages;
mod pmp;
mod ram;
mod tlb;
mod walk;

pub use bus::{Bus, BusError};
pub use pmp::{Pmp, PMP_ENTRIES};
pub use ram::{read_le, write_le, Ram, RamError, DRAM_BASE};
pub use tlb::{ram_context_bits, HostPage, Tlb, TLB_ENTRIES};
pub use walk::{pte, walk, Access, PagingMode, Requester, Translation, WalkFault};
