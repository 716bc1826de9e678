//! Guest memory as a virtio device sees it: bounds-checked accesses to [`Ram`], with a record of
//! every range the device wrote (DMA), so the machine can drop decoded instructions cached for
//! those pages (DESIGN.md: "any store (guest or DMA) to a page that holds decoded code").

use emu_mmu::Ram;

/// Most ranges kept before the log collapses into one covering span (memory stays bounded even
/// if the machine never drains it).
const MAX_RANGES: usize = 256;

/// Guest-physical ranges written by a device, `(addr, len)`, adjacent ranges merged.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DmaLog {
    ranges: Vec<(u64, u64)>,
}

impl DmaLog {
    /// Records a write of `len` bytes at `addr`.
    fn record(&mut self, addr: u64, len: u64) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.ranges.last_mut() {
            if last.0.checked_add(last.1) == Some(addr) {
                last.1 += len;
                return;
            }
        }
        if self.ranges.len() >= MAX_RANGES {
            let start = self
                .ranges
                .iter()
                .map(|r| r.0)
                .min()
                .unwrap_or(addr)
                .min(addr);
            let end = self
                .ranges
                .iter()
                .map(|r| r.0 + r.1)
                .max()
                .unwrap_or(addr + len)
                .max(addr + len);
            self.ranges.clear();
            self.ranges.push((start, end - start));
            return;
        }
        self.ranges.push((addr, len));
    }

    /// Takes the recorded ranges, leaving the log empty.
    pub fn take(&mut self) -> Vec<(u64, u64)> {
        std::mem::take(&mut self.ranges)
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }
}

/// Bounds-checked guest RAM access for devices. Every method answers `None`/`false` for a range
/// that is not entirely inside RAM, including ranges whose end overflows.
pub struct GuestMemory<'a> {
    ram: &'a mut Ram,
    log: &'a mut DmaLog,
}

impl<'a> GuestMemory<'a> {
    /// Device access to `ram`, recording writes in `log`.
    pub fn new(ram: &'a mut Ram, log: &'a mut DmaLog) -> GuestMemory<'a> {
        GuestMemory { ram, log }
    }

    /// Reads a little-endian value of `size` (1, 2, 4, 8) bytes.
    pub fn read(&self, addr: u64, size: usize) -> Option<u64> {
        self.ram.read(addr, size)
    }

    /// Writes the low `size` bytes of `value`, little-endian.
    pub fn write(&mut self, addr: u64, size: usize, value: u64) -> bool {
        let ok = self.ram.write(addr, size, value);
        if ok {
            self.log.record(addr, size as u64);
        }
        ok
    }

    /// The guest bytes at `[addr, addr + len)`.
    pub fn slice(&self, addr: u64, len: u64) -> Option<&[u8]> {
        let len = usize::try_from(len).ok()?;
        self.ram.read_bytes(addr, len)
    }

    /// The guest bytes at `[addr, addr + len)`, to be written; the range is recorded as written.
    pub fn slice_mut(&mut self, addr: u64, len: u64) -> Option<&mut [u8]> {
        let off = self.ram.offset(addr, len)?;
        let len = usize::try_from(len).ok()?;
        self.log.record(addr, len as u64);
        Some(&mut self.ram.as_mut_slice()[off..off + len])
    }

    /// Whether `[addr, addr + len)` is entirely inside RAM (an empty range always is).
    pub fn contains(&self, addr: u64, len: u64) -> bool {
        len == 0 || self.ram.offset(addr, len).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use emu_mmu::DRAM_BASE;

    #[test]
    fn accesses_are_checked_and_writes_logged() {
        let mut ram = Ram::new(DRAM_BASE, 4096).unwrap();
        let mut log = DmaLog::default();
        let mut mem = GuestMemory::new(&mut ram, &mut log);
        assert!(mem.write(DRAM_BASE, 4, 0xdead_beef));
        assert_eq!(mem.read(DRAM_BASE, 4), Some(0xdead_beef));
        assert!(mem.slice_mut(DRAM_BASE + 4, 4).is_some());
        assert!(!mem.write(DRAM_BASE + 4095, 2, 0));
        assert!(mem.slice(DRAM_BASE + 4000, 97).is_none());
        assert!(mem.slice_mut(u64::MAX, 2).is_none());
        assert!(mem.contains(0, 0));
        assert!(!mem.contains(DRAM_BASE - 1, 1));
        assert_eq!(log.take(), vec![(DRAM_BASE, 8)]);
        assert!(log.is_empty());
    }

    #[test]
    fn the_log_stays_bounded() {
        let mut log = DmaLog::default();
        for i in 0..1000u64 {
            log.record(0x1000 * i + 0x8000_0000, 8);
        }
        let ranges = log.take();
        assert!(ranges.len() <= MAX_RANGES);
        let lo = ranges.iter().map(|r| r.0).min().unwrap();
        let hi = ranges.iter().map(|r| r.0 + r.1).max().unwrap();
        assert_eq!((lo, hi), (0x8000_0000, 0x8000_0000 + 0x1000 * 999 + 8));
    }
}
