//! Goldfish real-time clock ("google,goldfish-rtc"), as QEMU `hw/rtc/goldfish_rtc.c` models it
//! and Linux `drivers/rtc/rtc-goldfish.c` drives it.
//!
//! | offset | register |
//! |---|---|
//! | 0x00 | TIME_LOW: low 32 bits of ns since the epoch; reading it latches TIME_HIGH |
//! | 0x04 | TIME_HIGH: high 32 bits, as latched by the last TIME_LOW read |
//! | 0x08 | ALARM_LOW: writing it arms the alarm at (ALARM_HIGH << 32 \| value) |
//! | 0x0c | ALARM_HIGH |
//! | 0x10 | IRQ_ENABLED (bit 0) |
//! | 0x14 | CLEAR_ALARM (write: disarm) |
//! | 0x18 | ALARM_STATUS (read: 1 while armed) |
//! | 0x1c | CLEAR_INTERRUPT (write: drop the interrupt) |
//!
//! Time is the host's wall clock; writing TIME_HIGH then TIME_LOW sets the guest's clock, kept as
//! an offset from the host's. The alarm is implemented: once the guest's clock reaches an armed
//! alarm the interrupt is pending (and the alarm disarmed) until CLEAR_INTERRUPT; the line is
//! that pending bit AND IRQ_ENABLED. The clock is only looked at while an alarm is armed, so
//! `irq()` is cheap otherwise; the machine sees the alarm when it next polls device lines.
//!
//! Only aligned 4-byte accesses are decoded (QEMU's `valid` sizes); others are refused, as are
//! offsets past the page. Offsets 0x20.. inside the page read 0 and ignore writes.

use std::time::{SystemTime, UNIX_EPOCH};

use emu_mmu::BusError;

const TIME_LOW: u64 = 0x00;
const TIME_HIGH: u64 = 0x04;
const ALARM_LOW: u64 = 0x08;
const ALARM_HIGH: u64 = 0x0c;
const IRQ_ENABLED: u64 = 0x10;
const CLEAR_ALARM: u64 = 0x14;
const ALARM_STATUS: u64 = 0x18;
const CLEAR_INTERRUPT: u64 = 0x1c;

/// Nanoseconds since the Unix epoch on the host's wall clock (0 if the clock is before 1970).
fn host_now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

/// The goldfish RTC.
#[derive(Clone, Debug)]
pub struct GoldfishRtc {
    /// Source of host time in ns (the wall clock; a fake one in tests).
    clock: fn() -> u64,
    /// Guest time = host time + offset (wrapping).
    offset: u64,
    /// TIME_HIGH as latched by the last TIME_LOW read.
    time_high_latch: u32,
    /// ALARM_HIGH as last written.
    alarm_high: u32,
    /// Guest time at which the armed alarm fires.
    alarm: Option<u64>,
    irq_enabled: bool,
    irq_pending: bool,
}

impl Default for GoldfishRtc {
    fn default() -> Self {
        GoldfishRtc::new()
    }
}

impl GoldfishRtc {
    /// Size of the device's register page.
    pub const MMIO_SIZE: u64 = 0x1000;

    /// An RTC showing the host's wall-clock time, alarm disarmed, interrupt disabled.
    pub fn new() -> GoldfishRtc {
        GoldfishRtc::with_clock(host_now_ns)
    }

    fn with_clock(clock: fn() -> u64) -> GoldfishRtc {
        GoldfishRtc {
            clock,
            offset: 0,
            time_high_latch: 0,
            alarm_high: 0,
            alarm: None,
            irq_enabled: false,
            irq_pending: false,
        }
    }

    /// Returns to the reset state; the guest's clock keeps its offset (it is battery-backed).
    pub fn reset(&mut self) {
        *self = GoldfishRtc {
            offset: self.offset,
            ..GoldfishRtc::with_clock(self.clock)
        };
    }

    /// The interrupt line: an alarm has fired and IRQ_ENABLED is set.
    pub fn irq(&self) -> bool {
        self.irq_enabled && (self.irq_pending || self.alarm_due())
    }

    /// Reads a register (aligned 4-byte accesses only).
    pub fn read(&mut self, offset: u64, size: usize) -> Result<u64, BusError> {
        Self::check(offset, size)?;
        self.fire_alarm();
        let value = match offset {
            TIME_LOW => {
                let now = self.now();
                self.time_high_latch = (now >> 32) as u32;
                now as u32
            }
            TIME_HIGH => self.time_high_latch,
            ALARM_LOW => self.alarm.map_or(0, |a| a as u32),
            ALARM_HIGH => self.alarm_high,
            IRQ_ENABLED => u32::from(self.irq_enabled),
            ALARM_STATUS => u32::from(self.alarm.is_some()),
            _ => 0,
        };
        Ok(u64::from(value))
    }

    /// Writes a register (aligned 4-byte accesses only).
    pub fn write(&mut self, offset: u64, size: usize, value: u64) -> Result<(), BusError> {
        Self::check(offset, size)?;
        self.fire_alarm();
        let value = value as u32;
        match offset {
            TIME_LOW => {
                // Linux writes TIME_HIGH first, then TIME_LOW; the pair sets the clock.
                let new = (u64::from(self.time_high_latch) << 32) | u64::from(value);
                self.offset = new.wrapping_sub((self.clock)());
            }
            TIME_HIGH => self.time_high_latch = value,
            ALARM_LOW => {
                self.alarm = Some((u64::from(self.alarm_high) << 32) | u64::from(value));
                self.fire_alarm();
            }
            ALARM_HIGH => self.alarm_high = value,
            IRQ_ENABLED => self.irq_enabled = value & 1 != 0,
            CLEAR_ALARM => self.alarm = None,
            CLEAR_INTERRUPT => self.irq_pending = false,
            _ => {}
        }
        Ok(())
    }

    /// Guest time in ns since the epoch.
    fn now(&self) -> u64 {
        (self.clock)().wrapping_add(self.offset)
    }

    fn alarm_due(&self) -> bool {
        self.alarm.is_some_and(|a| self.now() >= a)
    }

    /// Turns an alarm whose time has come into a pending interrupt.
    fn fire_alarm(&mut self) {
        if self.alarm_due() {
            self.alarm = None;
            self.irq_pending = true;
        }
    }

    fn check(offset: u64, size: usize) -> Result<(), BusError> {
        if offset >= Self::MMIO_SIZE || size != 4 || !offset.is_multiple_of(4) {
            return Err(BusError::Refused(offset));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        /// The fake host clock of the current test thread.
        static FAKE_NS: Cell<u64> = const { Cell::new(0) };
    }

    fn fake_clock() -> u64 {
        FAKE_NS.with(|c| c.get())
    }

    fn set_clock(ns: u64) {
        FAKE_NS.with(|c| c.set(ns));
    }

    fn rtc_at(ns: u64) -> GoldfishRtc {
        set_clock(ns);
        GoldfishRtc::with_clock(fake_clock)
    }

    fn r(rtc: &mut GoldfishRtc, off: u64) -> u32 {
        rtc.read(off, 4).unwrap() as u32
    }

    fn w(rtc: &mut GoldfishRtc, off: u64, v: u32) {
        rtc.write(off, 4, u64::from(v)).unwrap()
    }

    #[test]
    fn reads_the_host_wall_clock() {
        let mut rtc = GoldfishRtc::new();
        let before = host_now_ns();
        let low = r(&mut rtc, TIME_LOW);
        let high = r(&mut rtc, TIME_HIGH);
        let after = host_now_ns();
        let t = (u64::from(high) << 32) | u64::from(low);
        assert!(before <= t && t <= after, "{before} <= {t} <= {after}");
        // Somewhere after 2020.
        assert!(t > 1_577_836_800_000_000_000);
    }

    #[test]
    fn time_low_latches_time_high() {
        let mut rtc = rtc_at(0x0000_0001_ffff_fff0);
        assert_eq!(r(&mut rtc, TIME_LOW), 0xffff_fff0);
        // The clock crosses a 2^32 boundary between the two reads.
        set_clock(0x0000_0002_0000_0010);
        assert_eq!(r(&mut rtc, TIME_HIGH), 1);
        assert_eq!(r(&mut rtc, TIME_LOW), 0x10);
        assert_eq!(r(&mut rtc, TIME_HIGH), 2);
    }

    #[test]
    fn setting_the_time_keeps_an_offset() {
        let mut rtc = rtc_at(1_000);
        w(&mut rtc, TIME_HIGH, 5);
        w(&mut rtc, TIME_LOW, 100);
        set_clock(1_500);
        assert_eq!(r(&mut rtc, TIME_LOW), 600);
        assert_eq!(r(&mut rtc, TIME_HIGH), 5);
        rtc.reset();
        assert_eq!(r(&mut rtc, TIME_LOW), 600, "the clock survives a reset");
    }

    #[test]
    fn alarm_fires_and_raises_the_line_when_enabled() {
        let mut rtc = rtc_at(1_000);
        w(&mut rtc, ALARM_HIGH, 0);
        w(&mut rtc, ALARM_LOW, 2_000);
        assert_eq!(r(&mut rtc, ALARM_STATUS), 1);
        assert!(!rtc.irq());
        w(&mut rtc, IRQ_ENABLED, 1);
        assert_eq!(r(&mut rtc, IRQ_ENABLED), 1);
        assert!(!rtc.irq());
        set_clock(2_000);
        assert!(rtc.irq());
        assert_eq!(r(&mut rtc, ALARM_STATUS), 0, "a fired alarm is disarmed");
        assert!(rtc.irq(), "pending until cleared");
        w(&mut rtc, CLEAR_INTERRUPT, 1);
        assert!(!rtc.irq());
    }

    #[test]
    fn alarm_can_be_cleared_and_masked() {
        let mut rtc = rtc_at(1_000);
        w(&mut rtc, ALARM_LOW, 1_500);
        w(&mut rtc, CLEAR_ALARM, 1);
        set_clock(5_000);
        w(&mut rtc, IRQ_ENABLED, 1);
        assert!(!rtc.irq());
        // An alarm in the past fires at once, but stays masked while IRQs are disabled.
        w(&mut rtc, IRQ_ENABLED, 0);
        w(&mut rtc, ALARM_LOW, 10);
        assert!(!rtc.irq());
        w(&mut rtc, IRQ_ENABLED, 1);
        assert!(rtc.irq());
    }

    #[test]
    fn bad_accesses() {
        let mut rtc = rtc_at(0);
        assert_eq!(rtc.read(0, 8), Err(BusError::Refused(0)));
        assert_eq!(rtc.read(2, 4), Err(BusError::Refused(2)));
        assert_eq!(rtc.write(0x1000, 4, 0), Err(BusError::Refused(0x1000)));
        assert_eq!(rtc.read(0x20, 4), Ok(0));
        rtc.write(0x20, 4, 1).unwrap();
    }
}
