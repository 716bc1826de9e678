//! The reset ROM at [`crate::memmap::MROM`]: the first code every hart runs when an external
//! M-mode firmware is booted. As QEMU's (`riscv_setup_rom_reset_vec`): a0 = mhartid,
//! a1 = device-tree address, a2 = the OpenSBI `fw_dynamic` info block, then jump to the firmware.

/// Offset of the `fw_dynamic` info block inside the ROM.
pub const FW_DYNAMIC_INFO_OFFSET: u64 = 0x28;

/// OpenSBI's `FW_DYNAMIC_INFO_MAGIC_VALUE` ("OSBI").
const FW_DYNAMIC_INFO_MAGIC: u64 = 0x4942_534f;
/// Version 2 of the block adds `boot_hart`.
const FW_DYNAMIC_INFO_VERSION: u64 = 2;
/// `next_mode` value for S-mode.
const NEXT_MODE_S: u64 = 1;

/// The ROM image: the reset vector jumping to `firmware` with the device tree at `fdt`, followed
/// by a `fw_dynamic` info block telling the firmware to start `kernel` in S-mode.
pub fn reset_rom(firmware: u64, fdt: u64, kernel: u64) -> Vec<u8> {
    let code: [u32; 6] = [
        0x0000_0297, // auipc t0, 0
        0x0282_8613, // addi  a2, t0, 40      (fw_dynamic info)
        0xf140_2573, // csrr  a0, mhartid
        0x0202_b583, // ld    a1, 32(t0)      (fdt)
        0x0182_b283, // ld    t0, 24(t0)      (firmware)
        0x0002_8067, // jr    t0
    ];
    let mut rom: Vec<u8> = code.iter().flat_map(|w| w.to_le_bytes()).collect();
    let words = [
        firmware,
        fdt,
        FW_DYNAMIC_INFO_MAGIC,
        FW_DYNAMIC_INFO_VERSION,
        kernel,
        NEXT_MODE_S,
        0,        // options
        u64::MAX, // boot_hart: any hart may boot (lottery)
    ];
    rom.extend(words.iter().flat_map(|w| w.to_le_bytes()));
    debug_assert_eq!(rom.len() as u64, FW_DYNAMIC_INFO_OFFSET + 6 * 8);
    rom
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rom_holds_addresses_where_the_code_loads_them() {
        let rom = reset_rom(0x8000_0000, 0x8700_0000, 0x8020_0000);
        let word = |off: usize| u64::from_le_bytes(rom[off..off + 8].try_into().unwrap());
        assert_eq!(word(24), 0x8000_0000);
        assert_eq!(word(32), 0x8700_0000);
        assert_eq!(word(FW_DYNAMIC_INFO_OFFSET as usize), FW_DYNAMIC_INFO_MAGIC);
        assert_eq!(word(FW_DYNAMIC_INFO_OFFSET as usize + 16), 0x8020_0000);
    }
}
