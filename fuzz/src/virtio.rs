//! `virtio`: the virtio-mmio transport, the split virtqueue and virtio-blk request processing,
//! driven by a hostile driver: random guest memory, descriptors, ring indices and register writes.
//!
//! The device sits over a 16-sector image (in `/dev/shm` when there is one, so FLUSH is cheap)
//! and a 64 KiB guest RAM. The first input byte picks read-only or read-write, and one of two
//! modes:
//!
//! - raw: the driver sets the device up (with queue addresses and size from the input, or the
//!   usual ones), then performs random operations: descriptors with addresses inside, across
//!   and outside RAM and in MMIO space, any length, flags and next index; offers and
//!   available-index jumps; request headers; raw RAM writes; notifications; register reads and
//!   writes of any offset and size; resets. Oracle: no panic, register reads
//!   fit their size, and every DMA range the device reports lies inside guest RAM.
//! - request: the driver builds one well-formed descriptor chain (direct or indirect, data split
//!   over several descriptors, status byte alone or at the end of the data) around a request with
//!   a random type, sector, length and header length. Oracle: a model of virtio 1.x section 5.2.6
//!   says what the status byte must be (OK, IOERR for out-of-range, misaligned, short-header or
//!   read-only requests, UNSUPP for unknown types), the used element names the chain with the
//!   right length, IN data is the disk's, OUT data reaches the image only when it may, and the
//!   device never asks for a reset over a well-formed chain.

use crate::{fits, Input};
use emu_devices::virtio::{features, status, VirtioDevice, VIRTQ_DESC_F_INDIRECT};
use emu_devices::virtio::{mmio_reg as reg, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE};
use emu_devices::{Disk, VirtioBlk, VirtioMmio};
use emu_mmu::{Ram, DRAM_BASE};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const RAM_SIZE: u64 = 64 << 10;
const SECTORS: u64 = 16;
const DESC: u64 = DRAM_BASE;
const AVAIL: u64 = DRAM_BASE + 0x1000;
const USED: u64 = DRAM_BASE + 0x2000;
const HEADER: u64 = DRAM_BASE + 0x3000;
const STATUS: u64 = DRAM_BASE + 0x3100;
const INDIRECT: u64 = DRAM_BASE + 0x3200;
const DATA: u64 = DRAM_BASE + 0x4000;
const QSIZE: u16 = 16;
const SERIAL: &[u8; 20] = b"emu-disk\0\0\0\0\0\0\0\0\0\0\0\0";

/// The image file this process uses (one per process: libFuzzer runs inputs one at a time).
fn image_path() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        dir.join(format!("emu-fuzz-virtio-{}.img", std::process::id()))
    })
}

/// Sector `i` of a fresh image is filled with byte `i + 1`.
fn pattern() -> Vec<u8> {
    (0..SECTORS as usize * 512)
        .map(|i| (i / 512 + 1) as u8)
        .collect()
}

fn open_disk(readonly: bool) -> Disk {
    let path = image_path();
    std::fs::write(path, pattern()).expect("write the fuzz disk image");
    Disk::open(path, readonly).expect("open the fuzz disk image")
}

struct Driver {
    ram: Ram,
    dev: VirtioMmio<VirtioBlk>,
}

impl Driver {
    fn w(&mut self, offset: u64, value: u32) {
        self.dev
            .write(offset, 4, u64::from(value), &mut self.ram)
            .expect("a control register accepts aligned 32-bit writes");
    }

    /// The initialisation sequence of section 3.1.1 with these features and queue layout.
    fn init(&mut self, features: u64, size: u32, desc: u64, avail: u64, used: u64) {
        self.w(reg::STATUS, 0);
        self.w(reg::STATUS, status::ACKNOWLEDGE);
        self.w(reg::STATUS, status::ACKNOWLEDGE | status::DRIVER);
        self.w(reg::DRIVER_FEATURES_SEL, 0);
        self.w(reg::DRIVER_FEATURES, features as u32);
        self.w(reg::DRIVER_FEATURES_SEL, 1);
        self.w(reg::DRIVER_FEATURES, (features >> 32) as u32);
        let s = status::ACKNOWLEDGE | status::DRIVER | status::FEATURES_OK;
        self.w(reg::STATUS, s);
        self.w(reg::QUEUE_SEL, 0);
        self.w(reg::QUEUE_NUM, size);
        self.w(reg::QUEUE_DESC_LOW, desc as u32);
        self.w(reg::QUEUE_DESC_HIGH, (desc >> 32) as u32);
        self.w(reg::QUEUE_DRIVER_LOW, avail as u32);
        self.w(reg::QUEUE_DRIVER_HIGH, (avail >> 32) as u32);
        self.w(reg::QUEUE_DEVICE_LOW, used as u32);
        self.w(reg::QUEUE_DEVICE_HIGH, (used >> 32) as u32);
        self.w(reg::QUEUE_READY, 1);
        self.w(reg::STATUS, s | status::DRIVER_OK);
    }

    fn needs_reset(&self) -> bool {
        self.dev.status() & status::DEVICE_NEEDS_RESET != 0
    }

    /// Every range the device says it wrote lies inside guest RAM.
    fn check_dma(&mut self) {
        for (addr, len) in self.dev.take_dma_writes() {
            assert!(
                self.ram.offset(addr, len).is_some(),
                "the device reports a DMA write at {addr:#x}+{len:#x}, outside guest RAM"
            );
        }
    }

    fn put_desc(&mut self, table: u64, i: u16, addr: u64, len: u32, flags: u16, next: u16) {
        let d = table + 16 * u64::from(i);
        assert!(self.ram.write(d, 8, addr));
        assert!(self.ram.write(d + 8, 4, u64::from(len)));
        assert!(self.ram.write(d + 12, 2, u64::from(flags)));
        assert!(self.ram.write(d + 14, 2, u64::from(next)));
    }
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let mut input = Input::new(data);
    let mode = input.u8();
    let readonly = mode & 1 == 1;
    let mut driver = Driver {
        ram: Ram::new(DRAM_BASE, RAM_SIZE).expect("64 KiB of RAM"),
        dev: VirtioMmio::new(VirtioBlk::new(open_disk(readonly))),
    };
    if mode & 2 == 0 {
        raw(&mut driver, &mut input);
    } else {
        request(&mut driver, &mut input, readonly);
    }
}

/// Buffer addresses the raw mode's descriptors draw from: inside RAM, straddling its ends,
/// outside it, in MMIO space, and overflowing.
fn address(input: &mut Input) -> u64 {
    let offset = u64::from(input.u16());
    match input.u8() % 8 {
        0..=2 => DRAM_BASE + offset % RAM_SIZE,
        3 => DRAM_BASE + RAM_SIZE - offset % 64,
        4 => DRAM_BASE - offset % 64,
        5 => 0x1000_1000 + offset % 0x1000,
        6 => u64::MAX - offset,
        _ => input.u64(),
    }
}

fn raw(d: &mut Driver, input: &mut Input) {
    let offered = d.dev.device().device_features();
    let setup = input.u8();
    let features = match setup & 3 {
        0 => offered,
        1 => offered & !features::VIRTIO_BLK_F_FLUSH,
        2 => offered & !features::VIRTIO_F_INDIRECT_DESC,
        _ => input.u64(),
    };
    let (size, desc, avail, used) = if setup & 4 == 0 {
        (u32::from(QSIZE), DESC, AVAIL, USED)
    } else {
        let size = match input.u8() {
            s if s & 0x80 != 0 => u32::from(s & 0x7f) | 0x100,
            s => 1 << (s & 15),
        };
        (size, address(input), address(input), address(input))
    };
    d.init(features, size, desc, avail, used);
    let mut avail_idx = 0u16;
    for _ in 0..128 {
        if input.is_empty() {
            break;
        }
        match input.u8() % 10 {
            0 => d.w(reg::QUEUE_NOTIFY, 0),
            1 => d.w(reg::QUEUE_NOTIFY, input.u32()),
            2 => {
                let offset = u64::from(input.u16() % 0x240);
                let size = input.size();
                let value = input.u64();
                let _ = d.dev.write(offset, size, value, &mut d.ram);
            }
            3 => {
                let offset = match input.u8() {
                    0xff => input.u64(),
                    _ => u64::from(input.u16() % 0x240),
                };
                let size = input.size();
                if let Ok(v) = d.dev.read(offset, size) {
                    assert!(fits(v, size), "{size}-byte read of {offset:#x} gave {v:#x}");
                }
            }
            4 => {
                // Raw bytes anywhere in the first 64 KiB (rings, tables, headers, data).
                let at = DRAM_BASE + u64::from(input.u16());
                let len = usize::from(input.u8() % 64);
                let bytes = input.bytes(len);
                let _ = d.ram.write_bytes(at, bytes);
            }
            5 => {
                // A descriptor, in the main table or anywhere else (an indirect table).
                let i = u64::from(input.u8());
                let table = if i & 0x80 == 0 { desc } else { DATA };
                let at = table.wrapping_add(16 * (i & 0x7f));
                let addr = address(input);
                let len = match input.u8() {
                    l @ 0..=0x7f => u32::from(l),
                    l @ 0x80..=0xef => u32::from(l & 0x1f) * 512 + 16,
                    _ => input.u32(),
                };
                let flags = u64::from(input.u8() & 7);
                let next = u64::from(input.u8());
                let _ = d.ram.write(at, 8, addr)
                    && d.ram.write(at.wrapping_add(8), 4, u64::from(len))
                    && d.ram.write(at.wrapping_add(12), 2, flags)
                    && d.ram.write(at.wrapping_add(14), 2, next);
            }
            6 => {
                // Offer a head (or jump the available index anywhere).
                let head = u64::from(input.u8());
                let slot = u64::from(avail_idx) % u64::from(size.max(1));
                let _ = d.ram.write(avail.wrapping_add(4 + 2 * slot), 2, head);
                avail_idx = match input.u8() {
                    0xff => input.u16(),
                    _ => avail_idx.wrapping_add(1),
                };
                let _ = d.ram.write(avail.wrapping_add(2), 2, u64::from(avail_idx));
            }
            7 => {
                // A request header.
                let at = DRAM_BASE + u64::from(input.u16() % 0xfff0);
                let _ = d.ram.write(at, 4, u64::from(input.u8() % 12))
                    && d.ram.write(at + 8, 8, u64::from(input.u8()));
            }
            8 => {
                d.init(features, size, desc, avail, used);
                avail_idx = 0;
            }
            _ => d.w(reg::INTERRUPT_ACK, input.u32()),
        }
        d.check_dma();
    }
}

/// What the model says a request must get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Ok,
    IoErr,
    Unsupp,
}

fn request(d: &mut Driver, input: &mut Input, readonly: bool) {
    let offered = d.dev.device().device_features();
    let shape = input.u8();
    let features = if shape & 1 == 0 {
        offered
    } else {
        offered & !features::VIRTIO_BLK_F_FLUSH
    };
    d.init(features, u32::from(QSIZE), DESC, AVAIL, USED);

    let kind = match input.u8() % 8 {
        0 | 1 => 0, // IN
        2 | 3 => 1, // OUT
        4 => 4,     // FLUSH
        5 => 8,     // GET_ID
        6 => 11,    // DISCARD: not offered
        _ => input.u32(),
    };
    let sector = match input.u8() {
        s @ 0..=0xef => u64::from(s) % (SECTORS + 2),
        0xf0 => u64::MAX / 512 + 1,
        0xf1 => u64::MAX,
        _ => input.u64(),
    };
    let len_choice = input.u16();
    let data_len = if len_choice & 0x8000 != 0 {
        u32::from(len_choice & 0x1f) * 512
    } else {
        u32::from(len_choice) % (SECTORS as u32 * 512 + 1024)
    };
    // A short header (fewer than 16 readable bytes) only where no readable data follows it.
    let header_len = if shape & 2 != 0 && kind != 1 {
        u32::from(input.u8() % 17)
    } else {
        16
    };
    let status_alone = shape & 4 == 0 || kind == 1;
    let indirect = shape & 8 != 0;
    let splits = [input.u16(), input.u16(), input.u16()];

    let mut header = [0u8; 16];
    header[..4].copy_from_slice(&kind.to_le_bytes());
    header[4..8].copy_from_slice(&input.u32().to_le_bytes());
    header[8..].copy_from_slice(&sector.to_le_bytes());
    assert!(d.ram.write_bytes(HEADER, &header));
    let out_data: Vec<u8> = (0..data_len).map(|i| (i as u8) ^ 0x5a).collect();
    let data_writable = kind != 1;
    if !data_writable {
        assert!(d.ram.write_bytes(DATA, &out_data));
    } else {
        assert!(d.ram.write_bytes(DATA, &vec![0xee; data_len as usize + 1]));
    }
    assert!(d.ram.write(STATUS, 1, 0xee));

    // Data split into up to four pieces (some may be empty), contiguous in RAM.
    let mut cuts: Vec<u32> = splits
        .iter()
        .map(|&s| u32::from(s) % (data_len + 1))
        .collect();
    cuts.push(0);
    cuts.push(data_len);
    cuts.sort_unstable();
    let mut segs: Vec<(u64, u32, bool)> = vec![(HEADER, header_len, false)];
    for w in cuts.windows(2) {
        segs.push((DATA + u64::from(w[0]), w[1] - w[0], data_writable));
    }
    let status_addr = if status_alone {
        segs.push((STATUS, 1, true));
        STATUS
    } else {
        let last = segs.last_mut().expect("data segments");
        last.1 += 1;
        DATA + u64::from(data_len)
    };

    let (table, base) = if indirect { (INDIRECT, 0) } else { (DESC, 3) };
    let n = segs.len() as u16;
    for (k, &(addr, len, writable)) in segs.iter().enumerate() {
        let k = k as u16;
        let mut flags = if writable { VIRTQ_DESC_F_WRITE } else { 0 };
        if k + 1 < n {
            flags |= VIRTQ_DESC_F_NEXT;
        }
        d.put_desc(table, base + k, addr, len, flags, base + k + 1);
    }
    let head = if indirect {
        d.put_desc(
            DESC,
            9,
            INDIRECT,
            16 * u32::from(n),
            VIRTQ_DESC_F_INDIRECT,
            0,
        );
        9
    } else {
        base
    };
    assert!(d.ram.write(AVAIL + 4, 2, u64::from(head)));
    assert!(d.ram.write(AVAIL + 2, 2, 1));
    d.w(reg::QUEUE_NOTIFY, 0);
    d.check_dma();
    assert!(
        !d.needs_reset(),
        "a well-formed chain made the device ask for a reset"
    );

    // The model (virtio 1.x section 5.2.6; the request is a byte stream).
    let readable: Vec<u8> = header[..header_len as usize]
        .iter()
        .copied()
        .chain(if data_writable {
            Vec::new()
        } else {
            out_data.clone()
        })
        .collect();
    let writable_data = if data_writable {
        u64::from(data_len)
    } else {
        0
    };
    let capacity = SECTORS * 512;
    let in_range = |len: u64| -> Option<u64> {
        let start = sector.checked_mul(512)?;
        (len.is_multiple_of(512) && start.checked_add(len)? <= capacity).then_some(start)
    };
    let (expect, written) = if readable.len() < 16 {
        (Expect::IoErr, 0)
    } else {
        let kind = u32::from_le_bytes(readable[..4].try_into().expect("4 bytes"));
        match kind {
            0 => match in_range(writable_data) {
                Some(_) => (Expect::Ok, writable_data),
                None => (Expect::IoErr, 0),
            },
            1 if readonly => (Expect::IoErr, 0),
            1 => match in_range(readable.len() as u64 - 16) {
                Some(_) => (Expect::Ok, 0),
                None => (Expect::IoErr, 0),
            },
            4 => (Expect::Ok, 0),
            8 => (Expect::Ok, writable_data.min(20)),
            _ => (Expect::Unsupp, 0),
        }
    };
    let status = d.ram.read(status_addr, 1).expect("status in RAM");
    let want = match expect {
        Expect::Ok => 0,
        Expect::IoErr => 1,
        Expect::Unsupp => 2,
    };
    assert_eq!(
        status, want,
        "status of type {kind} sector {sector} len {data_len} header {header_len} ro {readonly}"
    );
    assert_eq!(d.ram.read(USED + 2, 2), Some(1), "used index");
    assert_eq!(d.ram.read(USED + 4, 4), Some(u64::from(head)), "used id");
    assert_eq!(d.ram.read(USED + 8, 4), Some(written + 1), "used length");

    let image = std::fs::read(image_path()).expect("read the fuzz image");
    let fresh = pattern();
    match (kind, expect) {
        (0, Expect::Ok) => {
            let start = (sector * 512) as usize;
            let got = d
                .ram
                .read_bytes(DATA, data_len as usize)
                .expect("data in RAM");
            assert_eq!(got, &fresh[start..start + data_len as usize], "IN data");
        }
        (1, Expect::Ok) => {
            let start = (sector * 512) as usize;
            assert_eq!(
                &image[start..start + data_len as usize],
                &out_data[..],
                "OUT data"
            );
        }
        (8, Expect::Ok) => {
            let n = written as usize;
            let got = d.ram.read_bytes(DATA, n).expect("id in RAM");
            assert_eq!(got, &SERIAL[..n], "GET_ID");
        }
        _ => {}
    }
    if !(kind == 1 && expect == Expect::Ok) {
        assert!(
            image == fresh,
            "the image changed on a request of type {kind} ({expect:?})"
        );
    }
}
