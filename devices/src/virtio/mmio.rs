//! The virtio-mmio transport, version 2 ("modern") only (virtio 1.x section 4.2.2).
//!
//! Control registers (offsets below 0x100) are 32 bits wide; the driver must access them with
//! aligned 4-byte accesses (section 4.2.2.2). Like QEMU, other accesses to them read 0 and
//! ignore writes. Device config space starts at 0x100 and accepts 1-, 2-, 4- and 8-byte
//! accesses, little-endian; bytes past the device's config read 0. The register window is
//! 0x200 bytes as in QEMU; offsets beyond it are refused (nothing is mapped there).
//!
//! Driver misbehaviour that breaks a virtqueue (a descriptor loop, a buffer outside RAM, an
//! available index too far ahead, ...) sets DEVICE_NEEDS_RESET in Status and raises a
//! configuration-change interrupt (section 2.1.2); the device then ignores notifications until
//! the driver resets it by writing 0 to Status.

use emu_mmu::{BusError, Ram};

use super::memory::{DmaLog, GuestMemory};
use super::queue::Queue;
use super::{features, status, VirtioDevice};

/// "virt" in little-endian ASCII.
const MAGIC: u32 = 0x7472_6976;
/// The modern virtio-mmio interface.
const VERSION: u32 = 2;
/// Vendor id: "QEMU", as QEMU's devices report it (Linux does not look at it).
const VENDOR_ID: u32 = 0x554d_4551;

/// Register offsets (section 4.2.2, table "MMIO Device Register Layout"), named as in that table:
/// the device answers them, and drivers (the tests' driver double, the fuzz target) write them.
#[allow(missing_docs)]
pub mod reg {
    pub const MAGIC_VALUE: u64 = 0x000;
    pub const VERSION: u64 = 0x004;
    pub const DEVICE_ID: u64 = 0x008;
    pub const VENDOR_ID: u64 = 0x00c;
    pub const DEVICE_FEATURES: u64 = 0x010;
    pub const DEVICE_FEATURES_SEL: u64 = 0x014;
    pub const DRIVER_FEATURES: u64 = 0x020;
    pub const DRIVER_FEATURES_SEL: u64 = 0x024;
    pub const QUEUE_SEL: u64 = 0x030;
    pub const QUEUE_NUM_MAX: u64 = 0x034;
    pub const QUEUE_NUM: u64 = 0x038;
    pub const QUEUE_READY: u64 = 0x044;
    pub const QUEUE_NOTIFY: u64 = 0x050;
    pub const INTERRUPT_STATUS: u64 = 0x060;
    pub const INTERRUPT_ACK: u64 = 0x064;
    pub const STATUS: u64 = 0x070;
    pub const QUEUE_DESC_LOW: u64 = 0x080;
    pub const QUEUE_DESC_HIGH: u64 = 0x084;
    pub const QUEUE_DRIVER_LOW: u64 = 0x090;
    pub const QUEUE_DRIVER_HIGH: u64 = 0x094;
    pub const QUEUE_DEVICE_LOW: u64 = 0x0a0;
    pub const QUEUE_DEVICE_HIGH: u64 = 0x0a4;
    pub const SHM_SEL: u64 = 0x0ac;
    pub const SHM_LEN_LOW: u64 = 0x0b0;
    pub const SHM_LEN_HIGH: u64 = 0x0b4;
    pub const SHM_BASE_LOW: u64 = 0x0b8;
    pub const SHM_BASE_HIGH: u64 = 0x0bc;
    pub const CONFIG_GENERATION: u64 = 0x0fc;
    pub const CONFIG: u64 = 0x100;
}

/// InterruptStatus: a queue has new used buffers.
const INT_USED_BUFFER: u32 = 1;
/// InterruptStatus: the configuration (or DEVICE_NEEDS_RESET) changed.
const INT_CONFIG_CHANGE: u32 = 2;

/// A virtio device behind the MMIO transport.
pub struct VirtioMmio<D: VirtioDevice> {
    device: D,
    queues: Vec<Queue>,
    device_features_sel: u32,
    driver_features_sel: u32,
    driver_features: u64,
    queue_sel: u32,
    interrupt_status: u32,
    status: u32,
    /// Guest RAM written by the device since the machine last asked.
    dma: DmaLog,
}

impl<D: VirtioDevice> VirtioMmio<D> {
    /// Size of the register window (QEMU's); the `virt` slot is 0x1000 and the rest is refused.
    pub const MMIO_SIZE: u64 = 0x200;

    /// The device, out of its transport (a rebooting machine carries its disks over).
    pub fn into_device(self) -> D {
        self.device
    }

    /// The transport around `device`, in its reset state.
    pub fn new(device: D) -> VirtioMmio<D> {
        let queues = device
            .queue_max_sizes()
            .iter()
            .map(|&max| Queue::new(max))
            .collect();
        VirtioMmio {
            device,
            queues,
            device_features_sel: 0,
            driver_features_sel: 0,
            driver_features: 0,
            queue_sel: 0,
            interrupt_status: 0,
            status: 0,
            dma: DmaLog::default(),
        }
    }

    /// The device.
    pub fn device(&self) -> &D {
        &self.device
    }

    /// The device, mutably.
    pub fn device_mut(&mut self) -> &mut D {
        &mut self.device
    }

    /// The interrupt line: InterruptStatus is not zero.
    pub fn irq(&self) -> bool {
        self.interrupt_status != 0
    }

    /// The Status register (section 2.1).
    pub fn status(&self) -> u32 {
        self.status
    }

    /// The virtqueues, for a debugger's look at their state.
    pub fn queues(&self) -> &[Queue] {
        &self.queues
    }

    /// Guest-physical ranges `(addr, len)` the device wrote since the last call (request data
    /// and used rings). The machine must drop decoded instructions cached for these pages.
    /// Unread ranges are merged, so the record stays small if nobody asks.
    pub fn take_dma_writes(&mut self) -> Vec<(u64, u64)> {
        self.dma.take()
    }

    /// Device reset (the driver writing 0 to Status, or a machine reset).
    pub fn reset(&mut self) {
        self.queues.iter_mut().for_each(Queue::reset);
        self.device_features_sel = 0;
        self.driver_features_sel = 0;
        self.driver_features = 0;
        self.queue_sel = 0;
        self.interrupt_status = 0;
        self.status = 0;
        self.device.reset();
    }

    /// Reads a register or config space.
    pub fn read(&mut self, offset: u64, size: usize) -> Result<u64, BusError> {
        if offset >= Self::MMIO_SIZE || !matches!(size, 1 | 2 | 4 | 8) {
            return Err(BusError::Refused(offset));
        }
        if offset >= reg::CONFIG {
            let mut buf = [0u8; 8];
            self.device
                .read_config(offset - reg::CONFIG, &mut buf[..size]);
            return Ok(u64::from_le_bytes(buf));
        }
        if size != 4 || !offset.is_multiple_of(4) {
            log::debug!("virtio-mmio: {size}-byte read of register {offset:#x} reads 0");
            return Ok(0);
        }
        let queue = self.queues.get(self.queue_sel as usize);
        let value = match offset {
            reg::MAGIC_VALUE => MAGIC,
            reg::VERSION => VERSION,
            reg::DEVICE_ID => self.device.device_id(),
            reg::VENDOR_ID => VENDOR_ID,
            reg::DEVICE_FEATURES => match self.device_features_sel {
                0 => self.device.device_features() as u32,
                1 => (self.device.device_features() >> 32) as u32,
                _ => 0,
            },
            reg::QUEUE_NUM_MAX => queue.map_or(0, |q| u32::from(q.max_size())),
            reg::QUEUE_NUM => queue.map_or(0, |q| u32::from(q.size())),
            reg::QUEUE_READY => queue.map_or(0, |q| u32::from(q.ready())),
            reg::QUEUE_DESC_LOW => queue.map_or(0, |q| q.desc_table() as u32),
            reg::QUEUE_DESC_HIGH => queue.map_or(0, |q| (q.desc_table() >> 32) as u32),
            reg::QUEUE_DRIVER_LOW => queue.map_or(0, |q| q.avail_ring() as u32),
            reg::QUEUE_DRIVER_HIGH => queue.map_or(0, |q| (q.avail_ring() >> 32) as u32),
            reg::QUEUE_DEVICE_LOW => queue.map_or(0, |q| q.used_ring() as u32),
            reg::QUEUE_DEVICE_HIGH => queue.map_or(0, |q| (q.used_ring() >> 32) as u32),
            reg::INTERRUPT_STATUS => self.interrupt_status,
            reg::STATUS => self.status,
            // No shared memory regions: length and base read as all ones (section 4.2.2).
            reg::SHM_LEN_LOW | reg::SHM_LEN_HIGH | reg::SHM_BASE_LOW | reg::SHM_BASE_HIGH => {
                u32::MAX
            }
            // The configuration never changes while the device runs.
            reg::CONFIG_GENERATION => 0,
            // Write-only and reserved registers.
            _ => 0,
        };
        Ok(u64::from(value))
    }

    /// Writes a register or config space. A QueueNotify write serves the queue at once, reading
    /// and writing `ram`.
    pub fn write(
        &mut self,
        offset: u64,
        size: usize,
        value: u64,
        ram: &mut Ram,
    ) -> Result<(), BusError> {
        if offset >= Self::MMIO_SIZE || !matches!(size, 1 | 2 | 4 | 8) {
            return Err(BusError::Refused(offset));
        }
        if offset >= reg::CONFIG {
            let bytes = value.to_le_bytes();
            self.device
                .write_config(offset - reg::CONFIG, &bytes[..size]);
            return Ok(());
        }
        if size != 4 || !offset.is_multiple_of(4) {
            log::debug!("virtio-mmio: {size}-byte write of register {offset:#x} ignored");
            return Ok(());
        }
        let value = value as u32;
        match offset {
            reg::DEVICE_FEATURES_SEL => self.device_features_sel = value,
            reg::DRIVER_FEATURES => self.write_driver_features(value),
            reg::DRIVER_FEATURES_SEL => self.driver_features_sel = value,
            reg::QUEUE_SEL => self.queue_sel = value,
            reg::QUEUE_NUM => {
                if let Some(q) = self.queues.get_mut(self.queue_sel as usize) {
                    q.set_size(value);
                }
            }
            reg::QUEUE_READY => {
                if let Some(q) = self.queues.get_mut(self.queue_sel as usize) {
                    q.set_ready(value & 1 != 0);
                }
            }
            reg::QUEUE_DESC_LOW
            | reg::QUEUE_DESC_HIGH
            | reg::QUEUE_DRIVER_LOW
            | reg::QUEUE_DRIVER_HIGH
            | reg::QUEUE_DEVICE_LOW
            | reg::QUEUE_DEVICE_HIGH => self.write_queue_address(offset, value),
            reg::QUEUE_NOTIFY => self.notify(value as usize, ram),
            reg::INTERRUPT_ACK => self.interrupt_status &= !value,
            reg::STATUS => self.write_status(value),
            reg::SHM_SEL => {}
            _ => log::debug!(
                "virtio-mmio: write of {value:#x} to read-only/reserved {offset:#x} ignored"
            ),
        }
        Ok(())
    }

    fn write_driver_features(&mut self, value: u32) {
        if self.status & status::FEATURES_OK != 0 {
            // Features are fixed once FEATURES_OK is accepted (section 3.1.1).
            return;
        }
        match self.driver_features_sel {
            0 => self.driver_features = (self.driver_features & !0xffff_ffff) | u64::from(value),
            1 => {
                self.driver_features =
                    (self.driver_features & 0xffff_ffff) | (u64::from(value) << 32)
            }
            _ => {}
        }
    }

    fn write_queue_address(&mut self, offset: u64, value: u32) {
        let Some(q) = self.queues.get_mut(self.queue_sel as usize) else {
            return;
        };
        let merge = |old: u64, high: bool| {
            if high {
                (old & 0xffff_ffff) | (u64::from(value) << 32)
            } else {
                (old & !0xffff_ffff) | u64::from(value)
            }
        };
        let high = offset % 8 == 4;
        let (mut desc, mut avail, mut used) = (q.desc_table(), q.avail_ring(), q.used_ring());
        match offset & !4 {
            reg::QUEUE_DESC_LOW => desc = merge(desc, high),
            reg::QUEUE_DRIVER_LOW => avail = merge(avail, high),
            _ => used = merge(used, high),
        }
        q.set_addresses(desc, avail, used);
    }

    fn write_status(&mut self, value: u32) {
        let value = value & 0xff;
        if value == 0 {
            self.reset();
            return;
        }
        let mut new = value & !status::DEVICE_NEEDS_RESET;
        let newly_features_ok =
            new & status::FEATURES_OK != 0 && self.status & status::FEATURES_OK == 0;
        if newly_features_ok {
            let offered = self.device.device_features();
            let acceptable = self.driver_features & !offered == 0
                && self.driver_features & features::VIRTIO_F_VERSION_1 != 0;
            if acceptable {
                self.device.activate(self.driver_features);
            } else {
                // The driver sees FEATURES_OK clear on read-back and gives up (section 3.1.1).
                log::debug!(
                    "virtio-mmio: rejecting driver features {:#x} (offered {offered:#x})",
                    self.driver_features
                );
                new &= !status::FEATURES_OK;
            }
        }
        self.status = new | (self.status & status::DEVICE_NEEDS_RESET);
    }

    fn notify(&mut self, index: usize, ram: &mut Ram) {
        if self.status & status::DRIVER_OK == 0 || self.status & status::DEVICE_NEEDS_RESET != 0 {
            return;
        }
        let Some(queue) = self.queues.get_mut(index) else {
            return;
        };
        if !queue.ready() {
            return;
        }
        let used_before = queue.next_used();
        let mut mem = GuestMemory::new(ram, &mut self.dma);
        let result = self.device.process_queue(index, queue, &mut mem);
        if queue.next_used() != used_before {
            // Interrupt unless the driver asked not to; if the flags cannot even be read,
            // interrupt anyway.
            if queue.wants_interrupt(&mem).unwrap_or(true) {
                self.interrupt_status |= INT_USED_BUFFER;
            }
        }
        if let Err(e) = result {
            log::warn!(
                "virtio-mmio (device id {}): queue {index}: {e}; device needs reset",
                self.device.device_id()
            );
            self.status |= status::DEVICE_NEEDS_RESET;
            self.interrupt_status |= INT_CONFIG_CHANGE;
        }
    }
}

impl<D: VirtioDevice + std::fmt::Debug> std::fmt::Debug for VirtioMmio<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VirtioMmio")
            .field("device", &self.device)
            .field("status", &self.status)
            .field("interrupt_status", &self.interrupt_status)
            .field("queues", &self.queues)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::virtio::mock::{patterned_image, reg as r, Driver, Seg, AVAIL, HEADER, STATUS};
    use crate::virtio::queue::VIRTQ_AVAIL_F_NO_INTERRUPT;

    #[test]
    fn identification_registers() {
        let mut d = Driver::raw(&patterned_image(1), false);
        assert_eq!(d.r(reg::MAGIC_VALUE), 0x7472_6976);
        assert_eq!(d.r(reg::VERSION), 2);
        assert_eq!(d.r(reg::VENDOR_ID), 0x554d_4551);
        assert_eq!(d.r(reg::CONFIG_GENERATION), 0);
        assert_eq!(d.r(reg::STATUS), 0);
        assert_eq!(d.r(reg::SHM_LEN_LOW), u32::MAX);
        assert_eq!(d.r(reg::SHM_BASE_HIGH), u32::MAX);
        assert_eq!(d.r(0x0c0), 0, "QueueReset: not offered");
    }

    #[test]
    fn control_registers_want_aligned_32_bit_accesses() {
        let mut d = Driver::raw(&patterned_image(1), false);
        assert_eq!(d.dev.read(reg::MAGIC_VALUE, 1), Ok(0));
        assert_eq!(d.dev.read(reg::MAGIC_VALUE, 8), Ok(0));
        assert_eq!(d.dev.read(reg::MAGIC_VALUE + 2, 4), Ok(0));
        d.dev.write(reg::STATUS, 1, 1, &mut d.ram).unwrap();
        assert_eq!(d.r(reg::STATUS), 0);
        assert_eq!(d.dev.read(0x200, 4), Err(BusError::Refused(0x200)));
        assert_eq!(
            d.dev.write(0xffc, 4, 0, &mut d.ram),
            Err(BusError::Refused(0xffc))
        );
        assert_eq!(d.dev.read(u64::MAX, 1), Err(BusError::Refused(u64::MAX)));
        assert_eq!(d.dev.read(0x100, 3), Err(BusError::Refused(0x100)));
    }

    #[test]
    fn queue_registers() {
        let mut d = Driver::raw(&patterned_image(1), false);
        assert_eq!(d.r(r::QUEUE_NUM_MAX), 256);
        d.w(r::QUEUE_NUM, 64);
        assert_eq!(d.r(r::QUEUE_NUM), 64);
        d.w(r::QUEUE_NUM, 1000);
        assert_eq!(d.r(r::QUEUE_NUM), 64, "above the maximum: ignored");
        d.w(r::QUEUE_DESC_LOW, 0x1234_5678);
        d.w(r::QUEUE_DESC_HIGH, 0x9);
        d.w(reg::QUEUE_DRIVER_HIGH, 0xa);
        d.w(reg::QUEUE_DEVICE_HIGH, 0xb);
        assert_eq!(d.r(r::QUEUE_DESC_LOW), 0x1234_5678);
        assert_eq!(d.r(r::QUEUE_DESC_HIGH), 0x9);
        assert_eq!(d.r(reg::QUEUE_DRIVER_HIGH), 0xa);
        assert_eq!(d.r(reg::QUEUE_DEVICE_HIGH), 0xb);
        d.w(r::QUEUE_READY, 1);
        assert_eq!(d.r(r::QUEUE_READY), 1);
        d.w(r::QUEUE_DESC_LOW, 0);
        assert_eq!(d.r(r::QUEUE_DESC_LOW), 0x1234_5678, "fixed while ready");
        // A queue that does not exist.
        d.w(r::QUEUE_SEL, 1);
        assert_eq!(d.r(r::QUEUE_NUM_MAX), 0);
        d.w(r::QUEUE_READY, 1);
        d.w(r::QUEUE_NUM, 8);
        d.w(r::QUEUE_DESC_LOW, 8);
        assert_eq!(d.r(r::QUEUE_READY), 0);
        d.w(r::QUEUE_SEL, u32::MAX);
        d.w(r::QUEUE_NOTIFY, u32::MAX);
        assert_eq!(d.r(r::QUEUE_NUM_MAX), 0);
    }

    #[test]
    fn feature_negotiation() {
        let mut d = Driver::raw(&patterned_image(1), false);
        let s = status::ACKNOWLEDGE | status::DRIVER;
        // Without VERSION_1 a modern device refuses.
        d.w(r::STATUS, s);
        d.w(r::DRIVER_FEATURES_SEL, 0);
        d.w(r::DRIVER_FEATURES, features::VIRTIO_BLK_F_FLUSH as u32);
        d.w(r::STATUS, s | status::FEATURES_OK);
        assert_eq!(d.r(r::STATUS), s);
        // Features the device never offered are refused.
        d.w(r::DRIVER_FEATURES_SEL, 1);
        d.w(r::DRIVER_FEATURES, 1 | 2);
        d.w(r::STATUS, s | status::FEATURES_OK);
        assert_eq!(d.r(r::STATUS), s);
        // VERSION_1 alone is fine.
        d.w(r::DRIVER_FEATURES, 1);
        d.w(r::DRIVER_FEATURES_SEL, 0);
        d.w(r::DRIVER_FEATURES, 0);
        d.w(r::STATUS, s | status::FEATURES_OK);
        assert_eq!(d.r(r::STATUS), s | status::FEATURES_OK);
        // Once accepted, features cannot change.
        d.w(r::DRIVER_FEATURES, features::VIRTIO_BLK_F_FLUSH as u32);
        assert_eq!(d.dev.driver_features, features::VIRTIO_F_VERSION_1);
        // Selectors past the second word read 0 and ignore writes.
        d.w(r::DEVICE_FEATURES_SEL, 2);
        assert_eq!(d.r(r::DEVICE_FEATURES), 0);
    }

    #[test]
    fn writing_zero_to_status_resets_everything() {
        let mut d = Driver::new(&patterned_image(1), false);
        assert_eq!(d.request(4, 0, 0, false).0, 0);
        assert!(d.dev.irq());
        d.w(r::STATUS, 0);
        assert_eq!(d.r(r::STATUS), 0);
        assert!(!d.dev.irq());
        assert_eq!(d.r(r::QUEUE_READY), 0);
        assert_eq!(d.r(r::QUEUE_NUM), 256);
        assert_eq!(d.r(r::QUEUE_DESC_LOW), 0);
        assert_eq!(d.dev.driver_features, 0);
    }

    #[test]
    fn notifications_are_ignored_until_driver_ok_and_queue_ready() {
        let mut d = Driver::raw(&patterned_image(1), false);
        d.header(4, 0);
        d.offer_chain(0, &[Seg(HEADER, 16, false), Seg(STATUS, 1, true)]);
        d.notify();
        assert_eq!(d.used_idx(), 0);
        // Proper setup, but the queue not ready.
        d.init(d.dev.device().device_features());
        d.w(r::QUEUE_READY, 0);
        d.notify();
        assert_eq!(d.used_idx(), 0);
        d.w(r::QUEUE_READY, 1);
        d.offer_chain(0, &[Seg(HEADER, 16, false), Seg(STATUS, 1, true)]);
        d.notify();
        assert_eq!(d.used_idx(), 1);
    }

    #[test]
    fn no_interrupt_flag_suppresses_the_used_interrupt() {
        let mut d = Driver::new(&patterned_image(1), false);
        assert!(d.ram.write(AVAIL, 2, u64::from(VIRTQ_AVAIL_F_NO_INTERRUPT)));
        assert_eq!(d.request(4, 0, 0, false), (0, 1));
        assert!(!d.dev.irq());
        assert!(d.ram.write(AVAIL, 2, 0));
        assert_eq!(d.request(4, 0, 0, false), (0, 1));
        assert!(d.dev.irq());
    }

    #[test]
    fn interrupt_ack_clears_only_the_acknowledged_bits() {
        let mut d = Driver::new(&patterned_image(1), false);
        d.dev.interrupt_status = INT_USED_BUFFER | INT_CONFIG_CHANGE;
        d.w(r::INTERRUPT_ACK, INT_USED_BUFFER);
        assert_eq!(d.r(r::INTERRUPT_STATUS), INT_CONFIG_CHANGE);
        d.w(r::INTERRUPT_ACK, u32::MAX);
        assert!(!d.dev.irq());
    }
}
