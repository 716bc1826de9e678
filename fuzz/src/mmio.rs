//! `mmio`: the register decode of every device, with random offsets, sizes and values: the UART,
//! CLINT, PLIC, test finisher, RTC and a virtio-blk transport each on their own, and the machine's
//! whole physical bus ([`SystemBus`], which routes to all of them and to RAM, the reset ROM and
//! the empty virtio slots) at addresses near every region of the `virt` map or anywhere at all.
//!
//! Sizes are the ones the bus contract allows (1, 2, 4, 8 bytes), at any offset and alignment.
//!
//! Oracle: no panic, no host memory error, and every successful read fits its size.

use crate::{fits, Input};
use emu_devices::{
    Aclint, Disk, GoldfishRtc, Plic, TestFinisher, Uart16550, VirtioBlk, VirtioMmio,
};
use emu_machine::SystemBus;
use emu_mmu::{Bus, Ram, DRAM_BASE};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const HARTS: usize = 2;

/// Bases the bus addresses are drawn near.
const BASES: [u64; 12] = [
    0,
    0x1000,      // reset ROM
    0x10_0000,   // test finisher
    0x10_1000,   // RTC
    0x200_0000,  // CLINT
    0xc00_0000,  // PLIC
    0xc20_0000,  // PLIC contexts
    0x1000_0000, // UART
    0x1000_1000, // virtio slot 0
    0x1000_8000, // virtio slot 7
    DRAM_BASE,
    DRAM_BASE + (1 << 20) - 0x100,
];

fn image_path() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let path = std::env::temp_dir().join(format!("emu-fuzz-mmio-{}.img", std::process::id()));
        std::fs::write(&path, vec![0u8; 4096]).expect("write the fuzz disk image");
        path
    })
}

struct Devices {
    uart: Uart16550,
    clint: Aclint,
    plic: Plic,
    finisher: TestFinisher,
    rtc: GoldfishRtc,
    virtio: VirtioMmio<VirtioBlk>,
    bus: SystemBus,
    ram: Ram,
}

fn check(result: Result<u64, emu_mmu::BusError>, size: usize, what: &str, offset: u64) {
    if let Ok(v) = result {
        assert!(
            fits(v, size),
            "{what}: {size}-byte read at {offset:#x} gave {v:#x}"
        );
    }
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let mut input = Input::new(data);
    // Read-only: the virtio device may not change the shared image, and reads need no lock.
    let disk = Disk::open(image_path(), true).expect("open the fuzz disk image");
    let mut d = Devices {
        uart: Uart16550::new(Box::new(std::io::sink())),
        clint: Aclint::new(HARTS),
        plic: Plic::new(HARTS),
        finisher: TestFinisher::new(),
        rtc: GoldfishRtc::new(),
        virtio: VirtioMmio::new(VirtioBlk::new(disk)),
        bus: SystemBus::new(
            Ram::new(DRAM_BASE, 1 << 20).expect("1 MiB of RAM"),
            HARTS,
            Box::new(std::io::sink()),
        ),
        ram: Ram::new(DRAM_BASE, 64 << 10).expect("64 KiB of RAM"),
    };
    let mut now = 0u64;
    for _ in 0..256 {
        if input.is_empty() {
            break;
        }
        let op = input.u8();
        let write = op & 0x80 != 0;
        let offset = match op & 0x60 {
            0x00 => u64::from(input.u8()),
            0x20 => u64::from(input.u16()),
            0x40 => u64::from(input.u32()),
            _ => input.u64(),
        };
        let size = input.size();
        let value = if write { input.u64() } else { 0 };
        now = now.wrapping_add(u64::from(input.u8()) << 12);
        match op & 0x0f {
            0 => {
                if write {
                    let _ = d.uart.write(offset, size, value);
                } else {
                    check(d.uart.read(offset, size), size, "uart", offset);
                }
                let _ = d.uart.irq();
            }
            1 => {
                if write {
                    let _ = d.clint.write(offset, size, value, now);
                } else {
                    check(d.clint.read(offset, size, now), size, "clint", offset);
                }
                for h in 0..HARTS + 1 {
                    let _ = (
                        d.clint.msip(h),
                        d.clint.mtip(h, now),
                        d.clint.next_deadline(h),
                    );
                }
            }
            2 | 3 => {
                // The PLIC window is 64 MiB: spread offsets over it.
                let offset = if op & 1 == 1 { offset << 8 } else { offset };
                if write {
                    let _ = d.plic.write(offset, size, value);
                } else {
                    check(d.plic.read(offset, size), size, "plic", offset);
                }
                for ctx in 0..2 * HARTS + 1 {
                    let _ = d.plic.context_irq(ctx);
                }
            }
            4 => {
                d.plic.set_level(value as u32 % 128, op & 0x10 != 0);
            }
            5 => {
                if write {
                    let _ = d.finisher.write(offset, size, value);
                } else {
                    check(d.finisher.read(offset, size), size, "finisher", offset);
                }
                let _ = d.finisher.take_event();
            }
            6 => {
                if write {
                    let _ = d.rtc.write(offset, size, value);
                } else {
                    check(d.rtc.read(offset, size), size, "rtc", offset);
                }
                let _ = d.rtc.irq();
            }
            7 | 8 => {
                let offset = if op & 1 == 1 { offset % 0x220 } else { offset };
                if write {
                    let _ = d.virtio.write(offset, size, value, &mut d.ram);
                } else {
                    check(d.virtio.read(offset, size), size, "virtio", offset);
                }
                let _ = d.virtio.irq();
                for (addr, len) in d.virtio.take_dma_writes() {
                    assert!(
                        d.ram.offset(addr, len).is_some(),
                        "DMA at {addr:#x}+{len:#x}"
                    );
                }
            }
            9 => {
                let n = usize::from(input.u8() % 32);
                d.uart.push_input(input.bytes(n));
            }
            _ => {
                let base = BASES[usize::from(input.u8()) % BASES.len()];
                let addr = if op & 0x60 == 0x60 {
                    offset
                } else {
                    base.wrapping_add(offset & 0xffff)
                };
                if write {
                    let _ = d.bus.store(addr, size, value);
                } else {
                    check(d.bus.load(addr, size), size, "bus", addr);
                }
                let _ = d.bus.time();
            }
        }
    }
}
