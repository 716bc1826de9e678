//! The CLINT of the `virt` machine: an ACLINT MSWI device (machine software interrupts) at
//! offset 0x0 and an ACLINT MTIMER device (mtimecmp, mtime) at offset 0x4000, laid out exactly as
//! QEMU `hw/intc/riscv_aclint.c` places them for `virt` (the SiFive CLINT layout).
//!
//! | offset | register | access |
//! |---|---|---|
//! | 0x0000 + 4 * hart | msip\[hart\] (bit 0) | 4-byte |
//! | 0x4000 + 8 * hart | mtimecmp\[hart\] | 4- or 8-byte (4-byte halves) |
//! | 0xbff8 | mtime | 4- or 8-byte (4-byte halves) |
//!
//! Accesses of other sizes, misaligned accesses and offsets at or beyond 0xc000 are refused (QEMU's
//! `valid` access sizes; nothing is mapped past the MTIMER). Registers of harts that do not exist
//! read as zero and ignore writes, as in QEMU.
//!
//! `mtime` is not stored: the machine passes its tick count `now` (timebase 10 MHz) with every
//! access, and a guest write to `mtime` stores the difference, so later reads give `now + offset`.

use emu_mmu::BusError;

/// Offset of the MSWI block (msip registers).
const MSIP_BASE: u64 = 0x0000;
/// Offset of the mtimecmp array (the MTIMER block).
const MTIMECMP_BASE: u64 = 0x4000;
/// Offset of mtime.
const MTIME: u64 = 0xbff8;
/// End of the decoded window.
const END: u64 = 0xc000;

/// CLINT: per-hart software-interrupt bits and timer comparators, and the shared `mtime`.
#[derive(Clone, Debug)]
pub struct Aclint {
    msip: Vec<bool>,
    mtimecmp: Vec<u64>,
    /// `mtime = now + mtime_offset` (wrapping).
    mtime_offset: u64,
}

impl Aclint {
    /// Size of the CLINT's slot in the `virt` memory map.
    pub const MMIO_SIZE: u64 = 0x1_0000;

    /// Most harts the layout can address (the mtimecmp array ends where mtime starts).
    pub const MAX_HARTS: usize = ((MTIME - MTIMECMP_BASE) / 8) as usize;

    /// A CLINT for `num_harts` harts in its reset state: msip clear, mtimecmp `u64::MAX`,
    /// `mtime` equal to the caller's tick count.
    ///
    /// # Panics
    /// If `num_harts` is 0 or more than [`Aclint::MAX_HARTS`]; the machine's configuration checks
    /// the hart count before building devices.
    pub fn new(num_harts: usize) -> Aclint {
        assert!(
            (1..=Self::MAX_HARTS).contains(&num_harts),
            "CLINT supports 1..={} harts, not {num_harts}",
            Self::MAX_HARTS
        );
        Aclint {
            msip: vec![false; num_harts],
            mtimecmp: vec![u64::MAX; num_harts],
            mtime_offset: 0,
        }
    }

    /// Number of harts served.
    pub fn num_harts(&self) -> usize {
        self.msip.len()
    }

    /// Returns every register to its reset value (including the `mtime` offset).
    pub fn reset(&mut self) {
        self.msip.fill(false);
        self.mtimecmp.fill(u64::MAX);
        self.mtime_offset = 0;
    }

    /// The guest-visible `mtime` when the machine's tick count is `now`.
    pub fn mtime(&self, now: u64) -> u64 {
        now.wrapping_add(self.mtime_offset)
    }

    /// Machine software interrupt pending for `hart` (drives `mip.MSIP`); false for unknown harts.
    pub fn msip(&self, hart: usize) -> bool {
        self.msip.get(hart).copied().unwrap_or(false)
    }

    /// Sets or clears `msip[hart]` from the host (the built-in SBI's IPI calls); ignores unknown
    /// harts.
    pub fn set_msip(&mut self, hart: usize, pending: bool) {
        if let Some(m) = self.msip.get_mut(hart) {
            *m = pending;
        }
    }

    /// `mtimecmp[hart]`; `u64::MAX` for unknown harts.
    pub fn mtimecmp(&self, hart: usize) -> u64 {
        self.mtimecmp.get(hart).copied().unwrap_or(u64::MAX)
    }

    /// Sets `mtimecmp[hart]` from the host (the built-in SBI's `set_timer`); ignores unknown harts.
    pub fn set_mtimecmp(&mut self, hart: usize, value: u64) {
        if let Some(c) = self.mtimecmp.get_mut(hart) {
            *c = value;
        }
    }

    /// Machine timer interrupt pending for `hart` (drives `mip.MTIP`): `mtime >= mtimecmp`.
    pub fn mtip(&self, hart: usize, now: u64) -> bool {
        match self.mtimecmp.get(hart) {
            Some(&cmp) => self.mtime(now) >= cmp,
            None => false,
        }
    }

    /// The host tick count at which `mtip(hart)` becomes true, for sleeping in WFI; `u64::MAX`
    /// when the timer is disarmed (`mtimecmp == u64::MAX`) or the hart is unknown. A deadline in
    /// the past means the interrupt is already pending.
    pub fn next_deadline(&self, hart: usize) -> u64 {
        let cmp = self.mtimecmp(hart);
        if cmp == u64::MAX {
            return u64::MAX;
        }
        // now + offset >= cmp  <=>  now >= cmp - offset, with the offset read as a signed delta.
        let raw = i128::from(cmp) - i128::from(self.mtime_offset as i64);
        raw.clamp(0, i128::from(u64::MAX)) as u64
    }

    /// Reads a register; `now` is the machine's current tick count.
    pub fn read(&mut self, offset: u64, size: usize, now: u64) -> Result<u64, BusError> {
        match self.decode(offset, size)? {
            Reg::Msip(h) => Ok(u64::from(self.msip(h))),
            Reg::Mtimecmp(h, half) => Ok(half.extract(self.mtimecmp(h))),
            Reg::Mtime(half) => Ok(half.extract(self.mtime(now))),
            Reg::None => Ok(0),
        }
    }

    /// Writes a register; `now` is the machine's current tick count.
    pub fn write(
        &mut self,
        offset: u64,
        size: usize,
        value: u64,
        now: u64,
    ) -> Result<(), BusError> {
        match self.decode(offset, size)? {
            Reg::Msip(h) => self.set_msip(h, value & 1 != 0),
            Reg::Mtimecmp(h, half) => {
                let merged = half.merge(self.mtimecmp(h), value);
                self.set_mtimecmp(h, merged);
            }
            Reg::Mtime(half) => {
                let merged = half.merge(self.mtime(now), value);
                self.mtime_offset = merged.wrapping_sub(now);
            }
            Reg::None => {}
        }
        Ok(())
    }

    /// Turns an access into the register it touches, refusing what QEMU refuses.
    fn decode(&self, offset: u64, size: usize) -> Result<Reg, BusError> {
        let refused = Err(BusError::Refused(offset));
        if offset >= END {
            return refused;
        }
        if offset < MTIMECMP_BASE {
            if size != 4 || !offset.is_multiple_of(4) {
                return refused;
            }
            let hart = ((offset - MSIP_BASE) / 4) as usize;
            return Ok(if hart < self.num_harts() {
                Reg::Msip(hart)
            } else {
                Reg::None
            });
        }
        let half = match size {
            8 if offset.is_multiple_of(8) => Half::Whole,
            4 if offset.is_multiple_of(8) => Half::Low,
            4 if offset % 8 == 4 => Half::High,
            _ => return refused,
        };
        let reg_offset = offset & !7;
        if reg_offset == MTIME {
            return Ok(Reg::Mtime(half));
        }
        let hart = ((reg_offset - MTIMECMP_BASE) / 8) as usize;
        Ok(if hart < self.num_harts() {
            Reg::Mtimecmp(hart, half)
        } else {
            Reg::None
        })
    }
}

/// A decoded CLINT register.
enum Reg {
    Msip(usize),
    Mtimecmp(usize, Half),
    Mtime(Half),
    /// A register of a hart that does not exist: reads 0, writes ignored.
    None,
}

/// Which part of a 64-bit register an access covers.
#[derive(Clone, Copy)]
enum Half {
    Whole,
    Low,
    High,
}

impl Half {
    fn extract(self, reg: u64) -> u64 {
        match self {
            Half::Whole => reg,
            Half::Low => reg & 0xffff_ffff,
            Half::High => reg >> 32,
        }
    }

    fn merge(self, reg: u64, value: u64) -> u64 {
        match self {
            Half::Whole => value,
            Half::Low => (reg & !0xffff_ffff) | (value & 0xffff_ffff),
            Half::High => (reg & 0xffff_ffff) | (value << 32),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_values() {
        let mut c = Aclint::new(2);
        assert_eq!(c.read(0x4000, 8, 5), Ok(u64::MAX));
        assert_eq!(c.read(0x4008, 8, 5), Ok(u64::MAX));
        assert_eq!(c.read(0x0, 4, 5), Ok(0));
        assert_eq!(c.read(0xbff8, 8, 1234), Ok(1234));
        assert!(!c.mtip(0, u64::MAX - 1));
        assert_eq!(c.next_deadline(0), u64::MAX);
    }

    #[test]
    fn msip_is_bit_zero_of_a_32_bit_register_per_hart() {
        let mut c = Aclint::new(2);
        c.write(0x4, 4, 0xffff_ffff, 0).unwrap();
        assert!(!c.msip(0));
        assert!(c.msip(1));
        assert_eq!(c.read(0x4, 4, 0), Ok(1));
        c.write(0x4, 4, 2, 0).unwrap();
        assert!(!c.msip(1));
        // Harts that do not exist: read 0, writes ignored.
        c.write(0x8, 4, 1, 0).unwrap();
        assert_eq!(c.read(0x8, 4, 0), Ok(0));
        assert_eq!(c.read(0x3ffc, 4, 0), Ok(0));
        // 8-byte, 1-byte and misaligned accesses are refused, as by QEMU.
        assert_eq!(c.read(0x0, 8, 0), Err(BusError::Refused(0)));
        assert_eq!(c.write(0x0, 1, 1, 0), Err(BusError::Refused(0)));
        assert_eq!(c.read(0x2, 4, 0), Err(BusError::Refused(2)));
    }

    #[test]
    fn mtimecmp_in_whole_and_in_halves() {
        let mut c = Aclint::new(2);
        c.write(0x4008, 8, 0x1122_3344_5566_7788, 0).unwrap();
        assert_eq!(c.read(0x4008, 4, 0), Ok(0x5566_7788));
        assert_eq!(c.read(0x400c, 4, 0), Ok(0x1122_3344));
        c.write(0x4008, 4, 0xaaaa_bbbb, 0).unwrap();
        assert_eq!(c.mtimecmp(1), 0x1122_3344_aaaa_bbbb);
        c.write(0x400c, 4, 0xffff_ffff_0000_0001, 0).unwrap();
        assert_eq!(c.mtimecmp(1), 0x0000_0001_aaaa_bbbb);
        assert_eq!(c.mtimecmp(0), u64::MAX);
        // The 32-bit RV32 idiom: high half to all ones, low half, then high half.
        c.write(0x4004, 4, 0xffff_ffff, 0).unwrap();
        c.write(0x4000, 4, 100, 0).unwrap();
        c.write(0x4004, 4, 0, 0).unwrap();
        assert_eq!(c.mtimecmp(0), 100);
    }

    #[test]
    fn mtip_follows_mtime_against_mtimecmp() {
        let mut c = Aclint::new(1);
        c.write(0x4000, 8, 1000, 0).unwrap();
        assert!(!c.mtip(0, 999));
        assert!(c.mtip(0, 1000));
        assert!(c.mtip(0, 5000));
        assert_eq!(c.next_deadline(0), 1000);
        assert!(!c.mtip(1, 5000), "unknown hart");
    }

    #[test]
    fn writing_mtime_offsets_later_reads() {
        let mut c = Aclint::new(1);
        c.write(0xbff8, 8, 10_000, 500).unwrap();
        assert_eq!(c.mtime(500), 10_000);
        assert_eq!(c.read(0xbff8, 8, 600,), Ok(10_100));
        // mtimecmp compares against the guest's mtime; the deadline is in host ticks.
        c.write(0x4000, 8, 10_200, 600).unwrap();
        assert!(!c.mtip(0, 699));
        assert!(c.mtip(0, 700));
        assert_eq!(c.next_deadline(0), 700);
        // Set mtime backwards, in halves.
        c.write(0xbffc, 4, 0, 700).unwrap();
        c.write(0xbff8, 4, 7, 700).unwrap();
        assert_eq!(c.read(0xbff8, 8, 710), Ok(17));
        assert_eq!(c.read(0xbffc, 4, 710), Ok(0));
        assert_eq!(c.next_deadline(0), 10_200 + 700 - 7);
    }

    #[test]
    fn mtime_high_half_read() {
        let mut c = Aclint::new(1);
        assert_eq!(c.read(0xbffc, 4, 0x0000_0005_0000_0009), Ok(5));
        assert_eq!(c.read(0xbff8, 4, 0x0000_0005_0000_0009), Ok(9));
    }

    #[test]
    fn deadlines_saturate() {
        let mut c = Aclint::new(1);
        // mtime far ahead of host ticks: any small mtimecmp is already due.
        c.write(0xbff8, 8, 1 << 40, 0).unwrap();
        c.write(0x4000, 8, 5, 0).unwrap();
        assert_eq!(c.next_deadline(0), 0);
        assert!(c.mtip(0, 0));
    }

    #[test]
    fn bad_accesses_to_the_timer_are_refused_or_ignored() {
        let mut c = Aclint::new(1);
        assert_eq!(c.read(0x4002, 4, 0), Err(BusError::Refused(0x4002)));
        assert_eq!(c.read(0x4004, 8, 0), Err(BusError::Refused(0x4004)));
        assert_eq!(c.read(0x4000, 2, 0), Err(BusError::Refused(0x4000)));
        assert_eq!(c.read(0xc000, 4, 0), Err(BusError::Refused(0xc000)));
        assert_eq!(c.write(u64::MAX, 8, 0, 0), Err(BusError::Refused(u64::MAX)));
        // mtimecmp of a hart that does not exist.
        c.write(0x4008, 8, 1, 0).unwrap();
        assert_eq!(c.read(0x4008, 8, 0), Ok(0));
        assert_eq!(c.read(0xbff0, 8, 0), Ok(0));
    }

    #[test]
    fn host_side_setters_and_reset() {
        let mut c = Aclint::new(3);
        c.set_msip(2, true);
        c.set_msip(9, true);
        c.set_mtimecmp(2, 42);
        c.set_mtimecmp(9, 42);
        assert_eq!(c.read(0x8, 4, 0), Ok(1));
        assert_eq!(c.read(0x4010, 8, 0), Ok(42));
        c.write(0xbff8, 8, 99, 0).unwrap();
        c.reset();
        assert!(!c.msip(2));
        assert_eq!(c.mtimecmp(2), u64::MAX);
        assert_eq!(c.mtime(3), 3);
    }

    #[test]
    #[should_panic]
    fn zero_harts_is_a_host_bug() {
        let _ = Aclint::new(0);
    }
}
