//! The physical bus a hart talks to.

use crate::Ram;

/// Why a physical access failed. The hart turns it into an access-fault exception.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BusError {
    /// Nothing is mapped at this physical address.
    #[error("no device or memory at physical address {0:#x}")]
    Unmapped(u64),
    /// A device is mapped here but does not accept this access size or offset.
    #[error("device at physical address {0:#x} refused the access")]
    Refused(u64),
}

/// Physical address space seen by the harts: RAM plus memory-mapped devices.
///
/// Harts are generic over `Bus` (no `dyn` on the hot path). RAM accesses may bypass `load`/`store`
/// through [`Bus::ram`]; `load`/`store` must nevertheless handle RAM too, so a slow path that only
/// knows the trait stays correct.
pub trait Bus {
    /// The guest's main memory.
    fn ram(&mut self) -> &mut Ram;

    /// Reads `size` (1, 2, 4 or 8) bytes at physical address `addr`, little-endian, zero-extended.
    fn load(&mut self, addr: u64, size: usize) -> Result<u64, BusError>;

    /// Writes the low `size` (1, 2, 4 or 8) bytes of `value` at physical address `addr`.
    fn store(&mut self, addr: u64, size: usize, value: u64) -> Result<(), BusError>;

    /// Reads `size` (2 or 4) bytes of instructions at physical address `addr`, outside RAM (the
    /// hart reads RAM itself). Only memory is executable: a platform answers for its ROMs and
    /// refuses device registers (as their PMAs do on real platforms, and as Spike does), so a
    /// guest that jumps into a device takes an instruction access fault instead of running
    /// whatever reading its registers returns. The default refuses everything outside RAM.
    fn fetch(&mut self, addr: u64, size: usize) -> Result<u64, BusError> {
        let _ = size;
        Err(BusError::Unmapped(addr))
    }

    /// The platform timer (`mtime`), in ticks of the timebase (10 MHz on the virt machine).
    fn time(&self) -> u64;
}
