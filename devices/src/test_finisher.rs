//! SiFive test finisher ("sifive,test0"), as QEMU `hw/misc/sifive_test.c` models it: a guest
//! (OpenSBI's system-reset driver, Linux's `syscon-poweroff`/`syscon-reboot`, bare-metal tests)
//! writes a command to offset 0 to power the machine off, fail with a code, or reset.
//!
//! The low 16 bits of a write to offset 0 select the command and bits 31:16 carry the fail code:
//! `0x5555` power off, `0x3333` fail (the machine exits with the code), `0x7777` reset; any other
//! value is ignored. Reads return 0. Accesses of 2 or 4 bytes are decoded (QEMU's `valid` sizes);
//! 1- and 8-byte accesses and offsets past the 4 KiB page are refused. Writes to other offsets in
//! the page are ignored.

use emu_mmu::BusError;

/// Command: the guest passed.
const FINISHER_PASS: u16 = 0x5555;
/// Command: the guest failed, code in bits 31:16.
const FINISHER_FAIL: u16 = 0x3333;
/// Command: reset the machine.
const FINISHER_RESET: u16 = 0x7777;

/// What the guest asked the machine to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FinisherEvent {
    /// Power off; the process exits with status 0.
    PowerOff,
    /// Power off reporting failure with this code (QEMU exits with it as its status; note a
    /// code of 0 is still a "fail" command).
    Fail(u16),
    /// Reset the machine.
    Reset,
}

/// The test finisher. Writes record an event; the machine takes it between blocks.
#[derive(Clone, Debug, Default)]
pub struct TestFinisher {
    event: Option<FinisherEvent>,
}

impl TestFinisher {
    /// Size of the device's register page.
    pub const MMIO_SIZE: u64 = 0x1000;

    /// A finisher with no event recorded.
    pub fn new() -> TestFinisher {
        TestFinisher::default()
    }

    /// Reads always return 0.
    pub fn read(&mut self, offset: u64, size: usize) -> Result<u64, BusError> {
        Self::check(offset, size)?;
        Ok(0)
    }

    /// Records the command written to offset 0, if it is one. A later command replaces an
    /// earlier one not yet taken.
    pub fn write(&mut self, offset: u64, size: usize, value: u64) -> Result<(), BusError> {
        Self::check(offset, size)?;
        if offset != 0 {
            return Ok(());
        }
        let code = (value >> 16) as u16;
        match value as u16 {
            FINISHER_PASS => self.event = Some(FinisherEvent::PowerOff),
            FINISHER_FAIL => self.event = Some(FinisherEvent::Fail(code)),
            FINISHER_RESET => self.event = Some(FinisherEvent::Reset),
            other => log::debug!("sifive_test: ignoring write of {other:#x}"),
        }
        Ok(())
    }

    /// The command the guest wrote since the last call, if any.
    pub fn take_event(&mut self) -> Option<FinisherEvent> {
        self.event.take()
    }

    fn check(offset: u64, size: usize) -> Result<(), BusError> {
        if offset >= Self::MMIO_SIZE || !matches!(size, 2 | 4) {
            return Err(BusError::Refused(offset));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands() {
        let mut f = TestFinisher::new();
        assert_eq!(f.take_event(), None);
        f.write(0, 4, 0x5555).unwrap();
        assert_eq!(f.take_event(), Some(FinisherEvent::PowerOff));
        assert_eq!(f.take_event(), None);
        f.write(0, 4, (42 << 16) | 0x3333).unwrap();
        assert_eq!(f.take_event(), Some(FinisherEvent::Fail(42)));
        f.write(0, 4, 0x7777).unwrap();
        assert_eq!(f.take_event(), Some(FinisherEvent::Reset));
        f.write(0, 2, 0x5555).unwrap();
        assert_eq!(f.take_event(), Some(FinisherEvent::PowerOff));
    }

    #[test]
    fn other_values_and_offsets_are_ignored() {
        let mut f = TestFinisher::new();
        f.write(0, 4, 0x1234).unwrap();
        f.write(0, 4, 0).unwrap();
        f.write(4, 4, 0x5555).unwrap();
        assert_eq!(f.take_event(), None);
        assert_eq!(f.read(0, 4), Ok(0));
    }

    #[test]
    fn the_code_is_bits_31_to_16_and_high_bits_do_not_matter() {
        let mut f = TestFinisher::new();
        f.write(0, 4, 0xffff_3333).unwrap();
        assert_eq!(f.take_event(), Some(FinisherEvent::Fail(0xffff)));
        f.write(0, 4, 0x0001_5555).unwrap();
        assert_eq!(f.take_event(), Some(FinisherEvent::PowerOff));
    }

    #[test]
    fn bad_sizes_and_offsets_are_refused() {
        let mut f = TestFinisher::new();
        assert_eq!(f.write(0, 1, 0x55), Err(BusError::Refused(0)));
        assert_eq!(f.write(0, 8, 0x5555), Err(BusError::Refused(0)));
        assert_eq!(f.read(0x1000, 4), Err(BusError::Refused(0x1000)));
        assert_eq!(f.take_event(), None);
    }
}
