//! virtio-blk (virtio 1.x section 5.2), device id 2, one request queue, backed by a [`Disk`] or a
//! copy-on-write [`Overlay`] over one (a [`Backend`]).
//!
//! Offered features: VIRTIO_F_VERSION_1, VIRTIO_F_INDIRECT_DESC, VIRTIO_BLK_F_SEG_MAX,
//! VIRTIO_BLK_F_BLK_SIZE, VIRTIO_BLK_F_FLUSH, and VIRTIO_BLK_F_RO for a read-only disk.
//! Requests: IN, OUT, FLUSH, GET_ID; anything else is answered UNSUPP. Requests run
//! synchronously when the driver notifies the queue.

mod backend;
mod disk;
mod overlay;
mod request;

/// Test helpers shared with the transport's tests.
#[cfg(test)]
pub(crate) mod tests_support {
    pub use super::disk::tests::TempFile;
}

pub use backend::Backend;
pub use disk::{Disk, SECTOR_SIZE};
pub use overlay::{Overlay, OVERLAY_BLOCK};
pub use request::{RequestType, Status, ID_BYTES};

use super::memory::GuestMemory;
use super::queue::{Queue, QueueError};
use super::{features, VirtioDevice};

/// virtio device id of a block device.
pub const VIRTIO_ID_BLOCK: u32 = 2;

/// Entries of the request queue (QEMU's default `queue-size` for virtio-blk).
pub const QUEUE_SIZE: u16 = 256;

/// Maximum segments per request we advertise: the queue size less header and status, as QEMU.
const SEG_MAX: u32 = QUEUE_SIZE as u32 - 2;

/// Offsets in `struct virtio_blk_config` (section 5.2.4).
mod config {
    /// capacity: le64, in 512-byte sectors.
    pub const CAPACITY: usize = 0;
    /// seg_max: le32.
    pub const SEG_MAX: usize = 12;
    /// blk_size: le32.
    pub const BLK_SIZE: usize = 20;
    /// Bytes of config space exposed (through `write_zeroes_may_unmap` and padding); fields of
    /// features we do not offer read 0.
    pub const LEN: usize = 60;
}

/// A virtio block device.
#[derive(Debug)]
pub struct VirtioBlk {
    disk: Backend,
    serial: [u8; ID_BYTES],
    config: [u8; config::LEN],
    /// The driver did not negotiate VIRTIO_BLK_F_FLUSH: every write is flushed at once.
    writethrough: bool,
}

impl VirtioBlk {
    /// The storage, still open (with its lock, or its overlay's contents).
    pub fn into_backend(self) -> Backend {
        self.disk
    }

    /// A block device over `disk` (a [`Disk`] or an [`Overlay`]), with serial number "emu-disk".
    pub fn new(disk: impl Into<Backend>) -> VirtioBlk {
        let disk = disk.into();
        let mut config = [0u8; config::LEN];
        config[config::CAPACITY..config::CAPACITY + 8]
            .copy_from_slice(&disk.capacity_sectors().to_le_bytes());
        config[config::SEG_MAX..config::SEG_MAX + 4].copy_from_slice(&SEG_MAX.to_le_bytes());
        config[config::BLK_SIZE..config::BLK_SIZE + 4]
            .copy_from_slice(&(SECTOR_SIZE as u32).to_le_bytes());
        VirtioBlk {
            disk,
            serial: [0; ID_BYTES],
            config,
            writethrough: true,
        }
        .with_serial("emu-disk")
    }

    /// Sets the serial number GET_ID returns (truncated to 20 bytes, zero-padded; the guest sees
    /// it as `/sys/block/vda/serial`).
    pub fn with_serial(mut self, serial: &str) -> VirtioBlk {
        self.serial = [0; ID_BYTES];
        let n = serial.len().min(ID_BYTES);
        self.serial[..n].copy_from_slice(&serial.as_bytes()[..n]);
        self
    }

    /// The backing disk.
    pub fn disk(&self) -> &Backend {
        &self.disk
    }
}

impl VirtioDevice for VirtioBlk {
    fn device_id(&self) -> u32 {
        VIRTIO_ID_BLOCK
    }

    fn device_features(&self) -> u64 {
        let mut f = features::VIRTIO_F_VERSION_1
            | features::VIRTIO_F_INDIRECT_DESC
            | features::VIRTIO_BLK_F_SEG_MAX
            | features::VIRTIO_BLK_F_BLK_SIZE
            | features::VIRTIO_BLK_F_FLUSH;
        if self.disk.is_readonly() {
            f |= features::VIRTIO_BLK_F_RO;
        }
        f
    }

    fn queue_max_sizes(&self) -> &[u16] {
        &[QUEUE_SIZE]
    }

    fn read_config(&self, offset: u64, data: &mut [u8]) {
        for (i, b) in data.iter_mut().enumerate() {
            *b = usize::try_from(offset)
                .ok()
                .and_then(|o| o.checked_add(i))
                .and_then(|o| self.config.get(o).copied())
                .unwrap_or(0);
        }
    }

    fn write_config(&mut self, offset: u64, data: &[u8]) {
        // No config field is writable without VIRTIO_BLK_F_CONFIG_WCE, which is not offered.
        log::debug!(
            "virtio-blk: ignoring config write of {} bytes at {offset:#x}",
            data.len()
        );
    }

    fn activate(&mut self, driver_features: u64) {
        self.writethrough = driver_features & features::VIRTIO_BLK_F_FLUSH == 0;
    }

    fn reset(&mut self) {
        self.writethrough = true;
    }

    fn process_queue(
        &mut self,
        _index: usize,
        queue: &mut Queue,
        mem: &mut GuestMemory<'_>,
    ) -> Result<(), QueueError> {
        let mut ctx = request::Context {
            disk: &mut self.disk,
            serial: &self.serial,
            writethrough: self.writethrough,
        };
        while let Some(chain) = queue.pop(mem)? {
            let used = request::execute(&mut ctx, &chain, mem)?;
            queue.add_used(mem, chain.head, used)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::virtio::mock::{patterned_image, reg, Driver, Seg, DATA, DESC, HEADER, STATUS};
    use crate::virtio::queue::{VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE};
    use crate::virtio::status as st;

    const T_IN: u32 = 0;
    const T_OUT: u32 = 1;
    const T_FLUSH: u32 = 4;
    const T_GET_ID: u32 = 8;
    const T_DISCARD: u32 = 11;
    const OK: u8 = Status::Ok as u8;
    const IOERR: u8 = Status::IoErr as u8;
    const UNSUPP: u8 = Status::Unsupp as u8;

    #[test]
    fn identity_features_and_config() {
        let mut d = Driver::raw(&patterned_image(8), false);
        assert_eq!(d.r(reg::DEVICE_ID), 2);
        d.w(reg::DEVICE_FEATURES_SEL, 0);
        let low = d.r(reg::DEVICE_FEATURES);
        d.w(reg::DEVICE_FEATURES_SEL, 1);
        let high = d.r(reg::DEVICE_FEATURES);
        let f = u64::from(high) << 32 | u64::from(low);
        assert_eq!(
            f,
            features::VIRTIO_F_VERSION_1
                | features::VIRTIO_F_INDIRECT_DESC
                | features::VIRTIO_BLK_F_SEG_MAX
                | features::VIRTIO_BLK_F_BLK_SIZE
                | features::VIRTIO_BLK_F_FLUSH
        );
        assert_eq!(f & features::VIRTIO_F_EVENT_IDX, 0);
        assert_eq!(d.dev.read(reg::CONFIG, 8), Ok(8), "capacity");
        assert_eq!(d.dev.read(reg::CONFIG + 12, 4), Ok(254), "seg_max");
        assert_eq!(d.dev.read(reg::CONFIG + 20, 4), Ok(512), "blk_size");
        // Linux reads 64-bit fields as two 32-bit halves.
        assert_eq!(d.dev.read(reg::CONFIG, 4), Ok(8));
        assert_eq!(d.dev.read(reg::CONFIG + 4, 4), Ok(0));
        assert_eq!(d.dev.read(reg::CONFIG + 20, 1), Ok(0));
        assert_eq!(d.dev.read(reg::CONFIG + 21, 1), Ok(2));
        // Past the config structure: zeros, never a panic.
        assert_eq!(d.dev.read(0x1f8, 8), Ok(0));
        assert_eq!(d.dev.read(reg::CONFIG + 58, 4), Ok(0));
        // Config writes are ignored.
        d.dev.write(reg::CONFIG, 8, 1, &mut d.ram).unwrap();
        assert_eq!(d.dev.read(reg::CONFIG, 8), Ok(8));
    }

    #[test]
    fn readonly_disk_offers_ro() {
        let d = Driver::raw(&patterned_image(1), true);
        assert_ne!(
            d.dev.device().device_features() & features::VIRTIO_BLK_F_RO,
            0
        );
        assert!(d.dev.device().disk().is_readonly());
    }

    #[test]
    fn in_reads_sectors_into_guest_memory() {
        let mut d = Driver::new(&patterned_image(8), false);
        assert_eq!(d.request(T_IN, 3, 1024, true), (OK, 1025));
        let data = d.data(1024);
        assert!(data[..512].iter().all(|&b| b == 3));
        assert!(data[512..].iter().all(|&b| b == 4));
        assert!(d.dev.irq());
        // The DMA record covers the data and the used ring.
        let dma = d.dev.take_dma_writes();
        assert!(
            dma.iter().any(|&(a, l)| a <= DATA && DATA + 1024 <= a + l),
            "{dma:x?}"
        );
        assert!(d.dev.take_dma_writes().is_empty());
    }

    #[test]
    fn out_writes_sectors_to_the_image() {
        let mut d = Driver::new(&patterned_image(8), false);
        d.set_data(&[0xab; 512]);
        assert_eq!(d.request(T_OUT, 6, 512, false), (OK, 1));
        let img = d.image();
        assert!(img[6 * 512..7 * 512].iter().all(|&b| b == 0xab));
        assert!(img[5 * 512..6 * 512].iter().all(|&b| b == 5));
        assert!(img[7 * 512..].iter().all(|&b| b == 7));
        // And it reads back.
        d.set_data(&[0; 512]);
        assert_eq!(d.request(T_IN, 6, 512, true), (OK, 513));
        assert_eq!(d.data(512), vec![0xab; 512]);
    }

    #[test]
    fn flush_completes_ok() {
        let mut d = Driver::new(&patterned_image(2), false);
        assert_eq!(d.request(T_FLUSH, 0, 0, false), (OK, 1));
        let mut ro = Driver::new(&patterned_image(2), true);
        assert_eq!(ro.request(T_FLUSH, 0, 0, false), (OK, 1));
    }

    #[test]
    fn without_negotiated_flush_writes_go_through() {
        let mut d = Driver::raw(&patterned_image(2), false);
        let f = d.dev.device().device_features() & !features::VIRTIO_BLK_F_FLUSH;
        d.init(f);
        d.set_data(&[1; 512]);
        assert_eq!(d.request(T_OUT, 1, 512, false), (OK, 1));
        assert!(d.image()[512..].iter().all(|&b| b == 1));
    }

    #[test]
    fn get_id_returns_the_serial() {
        let mut d = Driver::new(&patterned_image(1), false);
        d.set_data(&[0xff; 20]);
        assert_eq!(d.request(T_GET_ID, 0, 20, true), (OK, 21));
        let mut want = b"emu-disk".to_vec();
        want.resize(20, 0);
        assert_eq!(d.data(20), want);

        let file = crate::virtio::block::tests_support::TempFile::with(&[0; 512]);
        let blk = VirtioBlk::new(Disk::open(&file.0, true).unwrap())
            .with_serial("a-serial-number-longer-than-twenty");
        assert_eq!(&blk.serial, b"a-serial-number-long");

        // A short buffer gets what fits.
        d.set_data(&[0xff; 20]);
        assert_eq!(d.request(T_GET_ID, 0, 4, true), (OK, 5));
        assert_eq!(d.data(6), b"emu-\xff\xff");
    }

    #[test]
    fn unknown_requests_are_unsupported() {
        let mut d = Driver::new(&patterned_image(1), false);
        assert_eq!(d.request(T_DISCARD, 0, 16, false), (UNSUPP, 1));
        assert_eq!(d.request(0xdead_beef, 0, 0, false), (UNSUPP, 1));
    }

    #[test]
    fn out_on_a_readonly_disk_is_an_io_error() {
        let mut d = Driver::new(&patterned_image(4), true);
        d.set_data(&[0xee; 512]);
        assert_eq!(d.request(T_OUT, 0, 512, false), (IOERR, 1));
        assert_eq!(d.image(), patterned_image(4));
        // Reads still work.
        assert_eq!(d.request(T_IN, 2, 512, true), (OK, 513));
    }

    #[test]
    fn requests_beyond_the_end_or_misaligned_are_io_errors() {
        let mut d = Driver::new(&patterned_image(4), false);
        assert_eq!(d.request(T_IN, 4, 512, true).0, IOERR);
        assert_eq!(d.request(T_IN, 3, 1024, true).0, IOERR);
        assert_eq!(d.request(T_OUT, 4, 512, false).0, IOERR);
        assert_eq!(d.request(T_IN, u64::MAX, 512, true).0, IOERR);
        assert_eq!(d.request(T_OUT, u64::MAX / 512 + 1, 512, false).0, IOERR);
        assert_eq!(d.request(T_IN, 0, 100, true).0, IOERR);
        assert_eq!(d.request(T_OUT, 0, 513, false).0, IOERR);
        assert_eq!(d.image(), patterned_image(4));
        // The last sector is fine; a zero-length read at the end is too.
        assert_eq!(d.request(T_IN, 3, 512, true), (OK, 513));
        assert_eq!(d.request(T_IN, 4, 0, true), (OK, 1));
        assert!(!d.needs_reset());
    }

    #[test]
    fn the_request_is_a_byte_stream_whatever_the_descriptor_layout() {
        let mut d = Driver::new(&patterned_image(4), false);
        d.header(T_IN, 1);
        // Header split 8 + 0 + 8, data split 100 + 0 + 412 + 512, status in the data's last
        // descriptor (a 513-byte buffer whose last byte is the status).
        let segs = [
            Seg(HEADER, 8, false),
            Seg(DATA + 0x8000, 0, false),
            Seg(HEADER + 8, 8, false),
            Seg(DATA, 100, true),
            Seg(DATA + 0x9000, 0, true),
            Seg(DATA + 100, 412, true),
            Seg(DATA + 0x1000, 513, true),
        ];
        d.offer_chain(0, &segs);
        d.notify();
        assert_eq!(d.used(0), (0, 1025));
        assert!(d.data(512).iter().all(|&b| b == 1));
        let tail = d.ram.read_bytes(DATA + 0x1000, 513).unwrap();
        assert!(tail[..512].iter().all(|&b| b == 2));
        assert_eq!(tail[512], OK);
    }

    #[test]
    fn indirect_requests() {
        let mut d = Driver::new(&patterned_image(4), false);
        let table = DATA + 0x4000;
        d.header(T_IN, 2);
        let put = |d: &mut Driver, i: u64, addr: u64, len: u32, flags: u16, next: u16| {
            let e = table + 16 * i;
            assert!(d.ram.write(e, 8, addr));
            assert!(d.ram.write(e + 8, 4, u64::from(len)));
            assert!(d.ram.write(e + 12, 2, u64::from(flags)));
            assert!(d.ram.write(e + 14, 2, u64::from(next)));
        };
        put(&mut d, 0, HEADER, 16, VIRTQ_DESC_F_NEXT, 1);
        put(
            &mut d,
            1,
            DATA,
            512,
            VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE,
            2,
        );
        put(&mut d, 2, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
        d.desc(5, table, 48, VIRTQ_DESC_F_INDIRECT, 0);
        d.offer(5);
        d.notify();
        assert_eq!(d.used(0), (5, 513));
        assert_eq!(d.ram.read(STATUS, 1), Some(u64::from(OK)));
        assert!(d.data(512).iter().all(|&b| b == 2));
    }

    #[test]
    fn several_requests_per_notify_complete_in_order() {
        let mut d = Driver::new(&patterned_image(4), false);
        d.header(T_FLUSH, 0);
        for k in 0..3u16 {
            d.offer_chain(
                2 * k,
                &[Seg(HEADER, 16, false), Seg(STATUS + u64::from(k), 1, true)],
            );
        }
        d.notify();
        assert_eq!(d.used_idx(), 3);
        assert_eq!([d.used(0).0, d.used(1).0, d.used(2).0], [0, 2, 4]);
        assert!(d.dev.irq());
        assert_eq!(d.r(reg::INTERRUPT_STATUS), 1);
        d.w(reg::INTERRUPT_ACK, 1);
        assert!(!d.dev.irq());
    }

    #[test]
    fn a_short_header_gets_an_io_error() {
        let mut d = Driver::new(&patterned_image(1), false);
        d.offer_chain(0, &[Seg(HEADER, 8, false), Seg(STATUS, 1, true)]);
        d.notify();
        assert_eq!(d.used(0), (0, 1));
        assert_eq!(d.ram.read(STATUS, 1), Some(u64::from(IOERR)));
        assert!(!d.needs_reset());
    }

    #[test]
    fn a_request_with_no_status_byte_breaks_the_device() {
        let mut d = Driver::new(&patterned_image(1), false);
        d.header(T_IN, 0);
        d.offer_chain(0, &[Seg(HEADER, 16, false), Seg(STATUS, 0, true)]);
        d.notify();
        assert!(d.needs_reset());
        assert_eq!(d.used_idx(), 0);
    }

    #[test]
    fn a_descriptor_loop_needs_reset_and_reset_recovers() {
        let mut d = Driver::new(&patterned_image(2), false);
        d.header(T_IN, 0);
        d.desc(0, HEADER, 16, VIRTQ_DESC_F_NEXT, 1);
        d.desc(1, DATA, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 0);
        d.offer(0);
        d.notify();
        assert!(d.needs_reset());
        assert_eq!(
            d.r(reg::INTERRUPT_STATUS),
            2,
            "configuration change interrupt"
        );
        assert!(d.dev.irq());
        assert_eq!(
            d.r(reg::STATUS) & st::DEVICE_NEEDS_RESET,
            st::DEVICE_NEEDS_RESET
        );
        // The driver cannot clear NEEDS_RESET except by resetting.
        let s = d.r(reg::STATUS) & !st::DEVICE_NEEDS_RESET;
        d.w(reg::STATUS, s);
        assert!(d.needs_reset());
        // Further notifications are ignored.
        d.desc(1, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
        d.notify();
        assert_eq!(d.used_idx(), 0);
        // Reset and start over: works again.
        assert!(d.ram.write_bytes(DESC, &[0; 0x3000]));
        d.init(d.dev.device().device_features());
        assert!(!d.needs_reset());
        assert!(!d.dev.irq());
        assert_eq!(d.request(T_IN, 1, 512, true), (OK, 513));
    }

    #[test]
    fn a_descriptor_outside_ram_needs_reset() {
        let mut d = Driver::new(&patterned_image(2), false);
        d.header(T_IN, 0);
        d.offer_chain(
            0,
            &[
                Seg(HEADER, 16, false),
                Seg(0x1000, 512, true),
                Seg(STATUS, 1, true),
            ],
        );
        d.notify();
        assert!(d.needs_reset());
        assert_eq!(d.used_idx(), 0);
        // A data buffer that runs off the end of RAM, on a fresh device.
        let mut d = Driver::new(&patterned_image(2), false);
        let end = d.ram.base() + d.ram.size();
        d.header(T_IN, 0);
        d.offer_chain(
            0,
            &[
                Seg(HEADER, 16, false),
                Seg(end - 256, 512, true),
                Seg(STATUS, 1, true),
            ],
        );
        d.notify();
        assert!(d.needs_reset());
    }

    #[test]
    fn a_huge_avail_index_needs_reset() {
        let mut d = Driver::new(&patterned_image(2), false);
        assert!(d.ram.write(crate::virtio::mock::AVAIL + 2, 2, 0x8000));
        d.notify();
        assert!(d.needs_reset());
        assert_eq!(d.used_idx(), 0);
    }

    #[test]
    fn a_disk_shrunk_behind_our_back_gives_io_errors() {
        let mut d = Driver::new(&patterned_image(4), false);
        std::fs::OpenOptions::new()
            .write(true)
            .open(&d.file.0)
            .unwrap()
            .set_len(512)
            .unwrap();
        assert_eq!(d.request(T_IN, 3, 512, true).0, IOERR);
        assert!(!d.needs_reset());
    }
}
