//! The machine's physical bus: guest RAM plus the memory-mapped devices, placed by
//! [`crate::memmap`] (the table the device tree is generated from).

use crate::memmap::{self, Region, TIMEBASE_HZ};
use emu_devices::{Aclint, GoldfishRtc, Plic, TestFinisher, Uart16550, VirtioBlk, VirtioMmio};
use emu_mmu::{Bus, BusError, Ram};
use std::io::Write;
use std::time::Instant;

/// Everything a hart can reach by physical address.
///
/// RAM is checked first (the hart's fast path goes to it directly anyway); then the devices by
/// address range. Every address that neither RAM nor a device claims is [`BusError::Unmapped`],
/// which the hart turns into an access fault.
pub struct SystemBus {
    ram: Ram,
    /// Host time at which `mtime` was 0.
    epoch: Instant,
    /// Reset ROM contents (zero-filled beyond them).
    pub(crate) rom: Vec<u8>,
    pub(crate) uart: Uart16550,
    pub(crate) clint: Aclint,
    pub(crate) plic: Plic,
    pub(crate) finisher: TestFinisher,
    pub(crate) rtc: GoldfishRtc,
    /// virtio-mmio slots in address order; slot n holds the n-th disk.
    pub(crate) virtio: Vec<VirtioMmio<VirtioBlk>>,
    /// A device register was written since the machine last looked: interrupt lines may have
    /// changed.
    pub(crate) device_written: bool,
}

fn offset_in(region: &Region, addr: u64, size: usize) -> Option<u64> {
    let off = addr.wrapping_sub(region.base);
    (off < region.size && size as u64 <= region.size - off).then_some(off)
}

impl SystemBus {
    /// A bus with `ram` at its base address and the virt machine's devices for `harts` harts,
    /// the UART writing to `console`; `mtime` starts counting now.
    pub fn new(ram: Ram, harts: usize, console: Box<dyn Write + Send>) -> SystemBus {
        SystemBus {
            ram,
            epoch: Instant::now(),
            rom: Vec::new(),
            uart: Uart16550::new(console),
            clint: Aclint::new(harts),
            plic: Plic::new(harts),
            finisher: TestFinisher::new(),
            rtc: GoldfishRtc::new(),
            virtio: Vec::new(),
            device_written: false,
        }
    }

    /// The guest's RAM, for the host side of the machine (loaders, HTIF, signatures).
    pub fn ram_ref(&self) -> &Ram {
        &self.ram
    }

    fn virtio_slot(&self, addr: u64, size: usize) -> Option<(usize, u64)> {
        let off = addr.wrapping_sub(memmap::VIRTIO.base);
        let slot = off / memmap::VIRTIO_STRIDE;
        let inner = off % memmap::VIRTIO_STRIDE;
        (slot < memmap::VIRTIO_COUNT && inner + size as u64 <= memmap::VIRTIO_STRIDE)
            .then_some((slot as usize, inner))
    }

    fn mmio_load(&mut self, addr: u64, size: usize) -> Result<u64, BusError> {
        let now = self.time();
        if let Some(off) = offset_in(&memmap::MROM, addr, size) {
            let off = off as usize;
            let mut bytes = [0u8; 8];
            for (i, b) in bytes.iter_mut().enumerate().take(size) {
                *b = self.rom.get(off + i).copied().unwrap_or(0);
            }
            return Ok(u64::from_le_bytes(bytes));
        }
        if let Some(off) = offset_in(&memmap::UART0, addr, size) {
            return self.uart.read(off, size);
        }
        if let Some(off) = offset_in(&memmap::CLINT, addr, size) {
            return self.clint.read(off, size, now);
        }
        if let Some(off) = offset_in(&memmap::PLIC, addr, size) {
            let v = self.plic.read(off, size);
            // A claim changes the PLIC's outputs.
            self.device_written = true;
            return v;
        }
        if let Some((slot, off)) = self.virtio_slot(addr, size) {
            return match self.virtio.get_mut(slot) {
                Some(dev) => dev.read(off, size),
                // An empty slot: a transport whose DeviceID is 0 ("no device"), as on QEMU.
                // Like every virtio-mmio control register, only aligned 32-bit reads see it.
                None => Ok(if size == 4 { empty_virtio_slot(off) } else { 0 }),
            };
        }
        if let Some(off) = offset_in(&memmap::TEST, addr, size) {
            return self.finisher.read(off, size);
        }
        if let Some(off) = offset_in(&memmap::RTC, addr, size) {
            return self.rtc.read(off, size);
        }
        Err(BusError::Unmapped(addr))
    }

    fn mmio_store(&mut self, addr: u64, size: usize, value: u64) -> Result<(), BusError> {
        let now = self.time();
        self.device_written = true;
        if let Some(off) = offset_in(&memmap::UART0, addr, size) {
            return self.uart.write(off, size, value);
        }
        if let Some(off) = offset_in(&memmap::CLINT, addr, size) {
            return self.clint.write(off, size, value, now);
        }
        if let Some(off) = offset_in(&memmap::PLIC, addr, size) {
            return self.plic.write(off, size, value);
        }
        if let Some((slot, off)) = self.virtio_slot(addr, size) {
            return match self.virtio.get_mut(slot) {
                Some(dev) => {
                    let result = dev.write(off, size, value, &mut self.ram);
                    // Disk reads may land on pages holding decoded code.
                    for (addr, len) in dev.take_dma_writes() {
                        self.ram.invalidate_code(addr, len);
                    }
                    result
                }
                None => Ok(()),
            };
        }
        if let Some(off) = offset_in(&memmap::TEST, addr, size) {
            return self.finisher.write(off, size, value);
        }
        if let Some(off) = offset_in(&memmap::RTC, addr, size) {
            return self.rtc.write(off, size, value);
        }
        if offset_in(&memmap::MROM, addr, size).is_some() {
            return Err(BusError::Refused(addr));
        }
        Err(BusError::Unmapped(addr))
    }
}

/// Registers of a virtio-mmio slot with no device behind it: the magic value and version, and
/// DeviceID 0, so drivers skip it.
fn empty_virtio_slot(offset: u64) -> u64 {
    match offset {
        0x000 => 0x7472_6976,
        0x004 => 2,
        0x00c => 0x554d_4551,
        _ => 0,
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
        self.mmio_load(addr, size)
    }

    fn store(&mut self, addr: u64, size: usize, value: u64) -> Result<(), BusError> {
        if self.ram.write(addr, size, value) {
            return Ok(());
        }
        self.mmio_store(addr, size, value)
    }

    /// RAM and the reset ROM are executable; device registers are not.
    fn fetch(&mut self, addr: u64, size: usize) -> Result<u64, BusError> {
        if let Some(value) = self.ram.read(addr, size) {
            return Ok(value);
        }
        if offset_in(&memmap::MROM, addr, size).is_some() {
            return self.mmio_load(addr, size);
        }
        Err(BusError::Refused(addr))
    }

    /// Ticks of [`TIMEBASE_HZ`] since the bus was created, from the host's monotonic clock, so
    /// guest time follows wall-clock time whatever the emulation speed.
    fn time(&self) -> u64 {
        // Whole seconds and nanoseconds apart: no 128-bit division (harts read this at events).
        let elapsed = self.epoch.elapsed();
        elapsed.as_secs() * TIMEBASE_HZ
            + u64::from(elapsed.subsec_nanos()) / (1_000_000_000 / TIMEBASE_HZ)
    }
}

impl SystemBus {
    /// Stops `mtime` from counting `paused`, host time the machine spent held by a debugger: the
    /// guest's clock stands still while it is paused, as on QEMU.
    pub(crate) fn discount_time(&mut self, paused: std::time::Duration) {
        self.epoch += paused;
    }

    /// Host instant at which `mtime` reaches `ticks`.
    pub(crate) fn instant_of(&self, ticks: u64) -> Instant {
        let nanos = u128::from(ticks) * (1_000_000_000 / u128::from(TIMEBASE_HZ));
        self.epoch + std::time::Duration::from_nanos(nanos.min(u64::MAX as u128) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use emu_mmu::DRAM_BASE;

    fn bus() -> SystemBus {
        SystemBus::new(
            Ram::new(DRAM_BASE, 0x1000).unwrap(),
            1,
            Box::new(std::io::sink()),
        )
    }

    #[test]
    fn ram_and_devices_are_mapped_and_nothing_else() {
        let mut bus = bus();
        bus.store(DRAM_BASE + 8, 4, 0xdead_beef).unwrap();
        assert_eq!(bus.load(DRAM_BASE + 8, 4), Ok(0xdead_beef));
        // UART LSR: transmitter empty.
        assert_eq!(bus.load(0x1000_0005, 1).map(|v| v & 0x60), Ok(0x60));
        // An empty virtio slot answers with the magic and DeviceID 0.
        assert_eq!(bus.load(0x1000_8000, 4), Ok(0x7472_6976));
        assert_eq!(bus.load(0x1000_8008, 4), Ok(0));
        // Other sizes read 0, never more bits than the access has (found by fuzz target mmio:
        // fuzz/regressions/mmio/empty-virtio-slot-byte-read).
        assert_eq!(bus.load(0x1000_1000, 1), Ok(0));
        assert_eq!(bus.load(0x1000_1000, 2), Ok(0));
        assert_eq!(bus.load(0x1000_1000, 8), Ok(0));
        assert_eq!(
            bus.load(0x4000_0000, 4),
            Err(BusError::Unmapped(0x4000_0000))
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
        let bus = bus();
        let t0 = bus.time();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let ticks = bus.time() - t0;
        // 20 ms is 200_000 ticks; allow a slow, loaded host, but not a nanosecond count (20 M).
        assert!((200_000..10_000_000).contains(&ticks), "{ticks}");
    }
}
