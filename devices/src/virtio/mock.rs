//! Test double of a virtio-blk driver: sets up a device over a temporary image in a small guest
//! RAM and submits requests the way Linux's virtio_blk does (header, data, status descriptors).

use emu_mmu::{Ram, DRAM_BASE};

use super::block::tests_support::TempFile;
use super::queue::{VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE};
use super::{status, Disk, VirtioBlk, VirtioDevice, VirtioMmio};

/// Guest RAM layout used by the driver double.
pub const DESC: u64 = DRAM_BASE;
pub const AVAIL: u64 = DRAM_BASE + 0x1000;
pub const USED: u64 = DRAM_BASE + 0x2000;
pub const HEADER: u64 = DRAM_BASE + 0x3000;
pub const STATUS: u64 = DRAM_BASE + 0x3100;
pub const DATA: u64 = DRAM_BASE + 0x10_000;
pub const RAM_SIZE: u64 = 1 << 20;
/// Queue size the driver double chooses.
pub const QSIZE: u16 = 16;

/// Register offsets: the transport's own table.
pub use super::mmio::reg;

/// One descriptor the test wants in a chain: address, length, device-writable.
#[derive(Clone, Copy, Debug)]
pub struct Seg(pub u64, pub u32, pub bool);

/// A virtio-blk driver double.
pub struct Driver {
    pub ram: Ram,
    pub dev: VirtioMmio<VirtioBlk>,
    pub file: TempFile,
    avail_idx: u16,
}

impl Driver {
    /// A device over an image holding `contents`, not yet initialised by the driver.
    pub fn raw(contents: &[u8], readonly: bool) -> Driver {
        let file = TempFile::with(contents);
        let disk = Disk::open(&file.0, readonly).unwrap();
        Driver {
            ram: Ram::new(DRAM_BASE, RAM_SIZE).unwrap(),
            dev: VirtioMmio::new(VirtioBlk::new(disk)),
            file,
            avail_idx: 0,
        }
    }

    /// A device the driver has initialised (section 3.1.1), accepting every offered feature.
    pub fn new(contents: &[u8], readonly: bool) -> Driver {
        let mut d = Driver::raw(contents, readonly);
        let features = d.dev.device().device_features();
        d.init(features);
        d
    }

    /// The driver's initialisation sequence with `features`.
    pub fn init(&mut self, features: u64) {
        self.w(reg::STATUS, 0);
        self.w(reg::STATUS, status::ACKNOWLEDGE);
        self.w(reg::STATUS, status::ACKNOWLEDGE | status::DRIVER);
        self.w(reg::DRIVER_FEATURES_SEL, 0);
        self.w(reg::DRIVER_FEATURES, features as u32);
        self.w(reg::DRIVER_FEATURES_SEL, 1);
        self.w(reg::DRIVER_FEATURES, (features >> 32) as u32);
        let s = status::ACKNOWLEDGE | status::DRIVER | status::FEATURES_OK;
        self.w(reg::STATUS, s);
        assert_eq!(self.r(reg::STATUS), s, "features accepted");
        self.w(reg::QUEUE_SEL, 0);
        self.w(reg::QUEUE_NUM, u32::from(QSIZE));
        self.w(reg::QUEUE_DESC_LOW, DESC as u32);
        self.w(reg::QUEUE_DESC_HIGH, (DESC >> 32) as u32);
        self.w(reg::QUEUE_DRIVER_LOW, AVAIL as u32);
        self.w(reg::QUEUE_DEVICE_LOW, USED as u32);
        self.w(reg::QUEUE_READY, 1);
        self.w(reg::STATUS, s | status::DRIVER_OK);
        self.avail_idx = 0;
    }

    pub fn w(&mut self, off: u64, v: u32) {
        self.dev.write(off, 4, u64::from(v), &mut self.ram).unwrap();
    }

    pub fn r(&mut self, off: u64) -> u32 {
        self.dev.read(off, 4).unwrap() as u32
    }

    /// Writes a descriptor into the main table.
    pub fn desc(&mut self, i: u16, addr: u64, len: u32, flags: u16, next: u16) {
        let d = DESC + 16 * u64::from(i);
        assert!(self.ram.write(d, 8, addr));
        assert!(self.ram.write(d + 8, 4, u64::from(len)));
        assert!(self.ram.write(d + 12, 2, u64::from(flags)));
        assert!(self.ram.write(d + 14, 2, u64::from(next)));
    }

    /// Builds a chain from `segs` at descriptors `first..`, offers it, returns its head.
    pub fn offer_chain(&mut self, first: u16, segs: &[Seg]) -> u16 {
        for (k, s) in segs.iter().enumerate() {
            let i = first + k as u16;
            let mut flags = if s.2 { VIRTQ_DESC_F_WRITE } else { 0 };
            if k + 1 < segs.len() {
                flags |= VIRTQ_DESC_F_NEXT;
            }
            self.desc(i, s.0, s.1, flags, i + 1);
        }
        self.offer(first);
        first
    }

    /// Puts `head` in the available ring and publishes it.
    pub fn offer(&mut self, head: u16) {
        let slot = u64::from(self.avail_idx % QSIZE);
        assert!(self.ram.write(AVAIL + 4 + 2 * slot, 2, u64::from(head)));
        self.avail_idx = self.avail_idx.wrapping_add(1);
        assert!(self.ram.write(AVAIL + 2, 2, u64::from(self.avail_idx)));
    }

    pub fn notify(&mut self) {
        self.w(reg::QUEUE_NOTIFY, 0);
    }

    /// Writes a request header.
    pub fn header(&mut self, typ: u32, sector: u64) {
        assert!(self.ram.write(HEADER, 4, u64::from(typ)));
        assert!(self.ram.write(HEADER + 4, 4, 0));
        assert!(self.ram.write(HEADER + 8, 8, sector));
    }

    /// Submits a header / data / status request (the data descriptor omitted when `data_len` is
    /// 0) and returns (status byte, used length).
    pub fn request(
        &mut self,
        typ: u32,
        sector: u64,
        data_len: u32,
        data_writable: bool,
    ) -> (u8, u32) {
        self.header(typ, sector);
        assert!(self.ram.write(STATUS, 1, 0xff));
        let mut segs = vec![Seg(HEADER, 16, false)];
        if data_len > 0 {
            segs.push(Seg(DATA, data_len, data_writable));
        }
        segs.push(Seg(STATUS, 1, true));
        let used_before = self.used_idx();
        let head = self.offer_chain(0, &segs);
        self.notify();
        assert_eq!(
            self.used_idx(),
            used_before.wrapping_add(1),
            "request completed"
        );
        let (id, len) = self.used(used_before);
        assert_eq!(id, u32::from(head));
        (self.ram.read(STATUS, 1).unwrap() as u8, len)
    }

    pub fn used_idx(&self) -> u16 {
        self.ram.read(USED + 2, 2).unwrap() as u16
    }

    /// The used element at ring position `i`: (id, len).
    pub fn used(&self, i: u16) -> (u32, u32) {
        let e = USED + 4 + 8 * u64::from(i % QSIZE);
        (
            self.ram.read(e, 4).unwrap() as u32,
            self.ram.read(e + 4, 4).unwrap() as u32,
        )
    }

    pub fn needs_reset(&self) -> bool {
        self.dev.status() & status::DEVICE_NEEDS_RESET != 0
    }

    pub fn data(&self, len: usize) -> Vec<u8> {
        self.ram.read_bytes(DATA, len).unwrap().to_vec()
    }

    pub fn set_data(&mut self, bytes: &[u8]) {
        assert!(self.ram.write_bytes(DATA, bytes));
    }

    pub fn image(&self) -> Vec<u8> {
        std::fs::read(&self.file.0).unwrap()
    }
}

/// An image of `sectors` sectors where every byte of sector `s` is `s as u8`.
pub fn patterned_image(sectors: usize) -> Vec<u8> {
    (0..sectors).flat_map(|s| vec![s as u8; 512]).collect()
}
