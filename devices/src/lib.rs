//! Memory-mapped devices of the emu `virt` machine (QEMU `virt`-compatible).
//!
//! Every device is a plain concrete type with the same two entry points, called by the machine's
//! bus after it has matched the device's address range:
//!
//! * `read(&mut self, offset, size) -> Result<u64, BusError>`
//! * `write(&mut self, offset, size, value) -> Result<(), BusError>`
//!
//! `offset` is relative to the device's base and `size` is 1, 2, 4 or 8. A device answers every
//! access the way the modelled hardware (or QEMU, where the hardware leaves it open) does: an
//! access the hardware would not decode is `BusError::Refused(offset)`, which the hart turns into an
//! access fault; a reserved register reads as zero and ignores writes. Nothing a guest writes can
//! panic the host: every guest-supplied offset, size, address, length and index is checked.
//!
//! Devices that raise interrupts expose their line level as `fn irq(&self) -> bool`; the machine
//! feeds those into [`Plic::set_level`].
//!
//! | device | base on `virt` | type |
//! |---|---|---|
//! | SiFive test finisher | 0x0010_0000 | [`TestFinisher`] |
//! | goldfish RTC | 0x0010_1000 | [`GoldfishRtc`] |
//! | CLINT (ACLINT MSWI + MTIMER) | 0x0200_0000 | [`Aclint`] |
//! | PLIC | 0x0C00_0000 | [`Plic`] |
//! | NS16550A UART | 0x1000_0000 | [`Uart16550`] |
//! | virtio-mmio | 0x1000_1000 + n * 0x1000 | [`VirtioMmio`] |

#![deny(missing_docs)]

mod aclint;
mod error;
mod goldfish_rtc;
mod plic;
mod test_finisher;
mod uart16550;
pub mod virtio;

pub use aclint::Aclint;
pub use error::{DeviceError, Result};
pub use goldfish_rtc::GoldfishRtc;
pub use plic::Plic;
pub use test_finisher::{FinisherEvent, TestFinisher};
pub use uart16550::Uart16550;
pub use virtio::{Backend, Disk, Overlay, VirtioBlk, VirtioMmio};

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>() {}

    /// The machine may move its devices to another thread (one thread per machine).
    #[test]
    fn every_device_is_send() {
        assert_send::<Aclint>();
        assert_send::<GoldfishRtc>();
        assert_send::<Plic>();
        assert_send::<TestFinisher>();
        assert_send::<Uart16550>();
        assert_send::<VirtioMmio<VirtioBlk>>();
        assert_send::<DeviceError>();
    }
}
