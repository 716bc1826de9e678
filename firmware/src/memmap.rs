//! The physical memory map of the emu virt machine.
//!
//! It copies QEMU's `virt` board (`hw/riscv/virt.c`, `virt_memmap[]`), so that kernels and
//! OpenSBI `generic` built for QEMU run unchanged. This table is the single source of truth: the
//! bus places devices from it, and the device tree will be generated from it, so the two never
//! disagree.

pub use emu_mmu::DRAM_BASE;

/// One region of the physical address space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// Short name, as in QEMU's map and the device-tree node.
    pub name: &'static str,
    /// First physical address.
    pub base: u64,
    /// Size in bytes.
    pub size: u64,
}

impl Region {
    /// Whether physical address `addr` falls inside the region.
    pub fn contains(&self, addr: u64) -> bool {
        addr.wrapping_sub(self.base) < self.size
    }
}

/// Reset ROM (QEMU `VIRT_MROM`): jumps to the firmware with a0 = hartid, a1 = DTB.
pub const MROM: Region = Region {
    name: "mrom",
    base: 0x0000_1000,
    size: 0xf000,
};
/// SiFive test finisher (QEMU `VIRT_TEST`): write 0x5555 to power off, 0x3333 to fail, 0x7777 to reset.
pub const TEST: Region = Region {
    name: "test",
    base: 0x0010_0000,
    size: 0x1000,
};
/// Goldfish real-time clock (QEMU `VIRT_RTC`).
pub const RTC: Region = Region {
    name: "rtc",
    base: 0x0010_1000,
    size: 0x1000,
};
/// ACLINT/CLINT: msip, mtimecmp, mtime (QEMU `VIRT_CLINT`).
pub const CLINT: Region = Region {
    name: "clint",
    base: 0x0200_0000,
    size: 0x1_0000,
};
/// Platform-level interrupt controller (QEMU `VIRT_PLIC`, sized for its 512 harts × 2 contexts).
pub const PLIC: Region = Region {
    name: "plic",
    base: 0x0C00_0000,
    size: 0x60_0000,
};
/// 16550A UART (QEMU `VIRT_UART0`).
pub const UART0: Region = Region {
    name: "uart0",
    base: 0x1000_0000,
    size: 0x100,
};
/// First virtio-mmio transport (QEMU `VIRT_VIRTIO`); slot n is at `base + n * VIRTIO_STRIDE`.
pub const VIRTIO: Region = Region {
    name: "virtio",
    base: 0x1000_1000,
    size: 0x1000,
};
/// Distance between virtio-mmio slots (QEMU `VIRT_VIRTIO` size).
pub const VIRTIO_STRIDE: u64 = 0x1000;
/// Number of virtio-mmio slots (QEMU `VIRTIO_COUNT`).
pub const VIRTIO_COUNT: u64 = 8;

/// PLIC source of the RTC (QEMU `RTC_IRQ`).
pub const RTC_IRQ: u32 = 11;
/// Number of PLIC interrupt sources, source 0 excluded (QEMU `VIRT_IRQCHIP_NUM_SOURCES` - 1).
pub const PLIC_NDEV: u32 = 95;
/// PLIC source of UART0 (QEMU `UART0_IRQ`).
pub const UART0_IRQ: u32 = 10;
/// PLIC source of virtio slot 0; slot n uses `VIRTIO_IRQ + n` (QEMU `VIRTIO_IRQ`).
pub const VIRTIO_IRQ: u32 = 1;

/// Input clock of UART0, as QEMU's device tree gives it (3.6864 MHz).
pub const UART0_CLOCK_HZ: u32 = 3_686_400;

/// Frequency of `mtime` (QEMU `RISCV_ACLINT_DEFAULT_TIMEBASE_FREQ`), in Hz.
pub const TIMEBASE_HZ: u64 = 10_000_000;

/// Every device region below DRAM, in address order. DRAM follows at [`DRAM_BASE`].
pub const DEVICES: [Region; 7] = [MROM, TEST, RTC, CLINT, PLIC, UART0, VIRTIO];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_ordered_and_do_not_overlap() {
        let virtio_all = Region {
            size: VIRTIO_STRIDE * VIRTIO_COUNT,
            ..VIRTIO
        };
        let mut regions = DEVICES.to_vec();
        regions.pop();
        regions.push(virtio_all);
        for pair in regions.windows(2) {
            assert!(pair[0].base + pair[0].size <= pair[1].base, "{pair:?}");
        }
        assert!(virtio_all.base + virtio_all.size <= DRAM_BASE);
        assert!(UART0.contains(0x1000_00ff) && !UART0.contains(0x1000_0100));
    }
}
