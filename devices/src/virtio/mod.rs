//! virtio over MMIO: the transport ([`VirtioMmio`], virtio 1.x section 4.2, version 2 only), the
//! split virtqueue ([`Queue`]) and the devices behind it ([`VirtioBlk`]).
//!
//! A device implements [`VirtioDevice`]; the transport owns the device, its queues and the
//! registers, and calls the device when the driver notifies a queue.

mod block;
mod memory;
mod mmio;
#[cfg(test)]
mod mock;
mod queue;

pub use block::{
    Backend, Disk, Overlay, RequestType, Status, VirtioBlk, ID_BYTES, OVERLAY_BLOCK, QUEUE_SIZE,
    SECTOR_SIZE, VIRTIO_ID_BLOCK,
};
pub use memory::{DmaLog, GuestMemory};
pub use mmio::{reg as mmio_reg, VirtioMmio};
pub use queue::{
    read_stream, stream_ranges, write_stream, Buffer, DescriptorChain, Queue, QueueError,
    MAX_QUEUE_SIZE, VIRTQ_AVAIL_F_NO_INTERRUPT, VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT,
    VIRTQ_DESC_F_WRITE,
};

/// Feature bits (virtio 1.x section 6 and the device sections).
pub mod features {
    /// The device supports indirect descriptors (section 2.7.5.3).
    pub const VIRTIO_F_INDIRECT_DESC: u64 = 1 << 28;
    /// The device supports the used/available event index (not offered by our devices).
    pub const VIRTIO_F_EVENT_IDX: u64 = 1 << 29;
    /// Compliance with virtio 1.x (required by a version 2 transport).
    pub const VIRTIO_F_VERSION_1: u64 = 1 << 32;
    /// virtio-blk: `seg_max` is valid.
    pub const VIRTIO_BLK_F_SEG_MAX: u64 = 1 << 2;
    /// virtio-blk: the device is read-only.
    pub const VIRTIO_BLK_F_RO: u64 = 1 << 5;
    /// virtio-blk: `blk_size` is valid.
    pub const VIRTIO_BLK_F_BLK_SIZE: u64 = 1 << 6;
    /// virtio-blk: FLUSH requests are supported.
    pub const VIRTIO_BLK_F_FLUSH: u64 = 1 << 9;
}

/// Device status bits (section 2.1).
pub mod status {
    /// The guest noticed the device.
    pub const ACKNOWLEDGE: u32 = 1;
    /// The guest has a driver for it.
    pub const DRIVER: u32 = 2;
    /// The driver is ready: queues may be used.
    pub const DRIVER_OK: u32 = 4;
    /// Feature negotiation is complete (the device clears it if it rejects the features).
    pub const FEATURES_OK: u32 = 8;
    /// The device hit an error it cannot recover from until reset.
    pub const DEVICE_NEEDS_RESET: u32 = 0x40;
    /// The driver gave up on the device.
    pub const FAILED: u32 = 0x80;
}

/// What a device behind the MMIO transport provides.
pub trait VirtioDevice {
    /// The virtio device id (section 5: 2 = block).
    fn device_id(&self) -> u32;

    /// The feature bits offered; must include `VIRTIO_F_VERSION_1`.
    fn device_features(&self) -> u64;

    /// One entry per queue: its maximum size.
    fn queue_max_sizes(&self) -> &[u16];

    /// Fills `data` from device config space at `offset`; bytes past the end read 0.
    fn read_config(&self, offset: u64, data: &mut [u8]);

    /// A driver write to device config space at `offset`.
    fn write_config(&mut self, offset: u64, data: &[u8]);

    /// Feature negotiation succeeded (FEATURES_OK) with these driver features.
    fn activate(&mut self, driver_features: u64);

    /// The driver reset the device (status 0).
    fn reset(&mut self);

    /// The driver notified queue `index`: serve what it offered, adding used buffers. An error
    /// means the driver broke the virtqueue rules; the transport marks the device
    /// DEVICE_NEEDS_RESET and stops serving it until reset.
    fn process_queue(
        &mut self,
        index: usize,
        queue: &mut Queue,
        mem: &mut GuestMemory<'_>,
    ) -> Result<(), QueueError>;
}
