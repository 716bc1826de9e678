//! The machine's physical bus: guest RAM plus (later) the memory-mapped devices of [`crate::memmap`].

use crate::memmap::TIMEBASE_HZ;
use emu_mmu::{Bus, BusError, Ram};
use std::time::Instant;

/// Everything a hart can reach by physical address.
///
/// Today that is DRAM only. Devices will be dispatched in [`SystemBus::load`] and
/// [`SystemBus::store`] after the RAM check, from a table built out of [`crate::memmap`]; every
/// address that neither RAM nor a device claims is [`BusError::Unmapped`], which the hart turns
/// into an access fault.
pub struct SystemBus {
    ram: Ram,
    /// Host time at which `mtime` was 0.
    epoch: Instant,
}

impl SystemBus {
    /// A bus with `ram` at its base address and no devices; `mtime` starts counting now.
    pub fn new(ram: Ram) -> SystemBus {
        SystemBus {
            ram,
            epoch: Instant::now(),
        }
    }

    /// The guest's RAM, for the host side of the machine (loaders, HTIF, signatures).
    pub fn ram_ref(&self) -> &Ram {
        &self.ram
    }
}

impl Bus for SystemBus {
    fn ram(&mut self) -> &mut Ram {
        &mut self.ram
    }

    fn load(&mut self, addr: u64, size: usize) -> Result<u64, BusError> {
        if let Some(value) = self.ram.read(addr, size) {
            return Ok(value);
        }
        // MMIO devices (memmap.rs) will be looked up here.
        Err(BusError::Unmapped(addr))
    }

    fn store(&mut self, addr: u64, size: usize, value: u64) -> Result<(), BusError> {
        if self.ram.write(addr, size, value) {
            return Ok(());
        }
        // MMIO devices (memmap.rs) will be looked up here.
        Err(BusError::Unmapped(addr))
    }

    /// Ticks of [`TIMEBASE_HZ`] since the bus was created, from the host's monotonic clock, so
    /// guest time follows wall-clock time whatever the emulation speed.
    fn time(&self) -> u64 {
        let nanos = self.epoch.elapsed().as_nanos();
        (nanos / (1_000_000_000 / u128::from(TIMEBASE_HZ))) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use emu_mmu::DRAM_BASE;

    #[test]
    fn ram_is_mapped_and_everything_else_is_not() {
        let mut bus = SystemBus::new(Ram::new(DRAM_BASE, 0x1000).unwrap());
        bus.store(DRAM_BASE + 8, 4, 0xdead_beef).unwrap();
        assert_eq!(bus.load(DRAM_BASE + 8, 4), Ok(0xdead_beef));
        assert_eq!(
            bus.load(0x1000_0000, 1),
            Err(BusError::Unmapped(0x1000_0000))
        );
        assert_eq!(
            bus.store(DRAM_BASE + 0xffc, 8, 0),
            Err(BusError::Unmapped(DRAM_BASE + 0xffc))
        );
        assert_eq!(
            bus.load(DRAM_BASE - 8, 8),
            Err(BusError::Unmapped(DRAM_BASE - 8))
        );
    }

    #[test]
    fn time_counts_at_ten_megahertz() {
        let bus = SystemBus::new(Ram::new(DRAM_BASE, 0x1000).unwrap());
        let t0 = bus.time();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let ticks = bus.time() - t0;
        // 20 ms is 200_000 ticks; allow a slow, loaded host, but not a nanosecond count (20 M).
        assert!((200_000..10_000_000).contains(&ticks), "{ticks}");
    }
}
