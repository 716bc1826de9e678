//! The RISC-V Linux kernel `Image` format (Documentation/riscv/boot-image-header.rst): a 64-byte
//! header with the load offset from the start of RAM and the size the kernel occupies.

use crate::{Error, Result};
use emu_mmu::Ram;

/// The header's magic at offset 56: "RSC\x05".
const MAGIC2: u32 = 0x0543_5352;
/// The older magic at offset 48: "RISCV\0\0\0".
const MAGIC: u64 = 0x0000_0056_4353_4952;
const HEADER_LEN: usize = 64;

/// Where a kernel image was placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadedImage {
    /// Physical address of the first byte, which is also the entry point.
    pub entry: u64,
    /// First physical address past the memory the kernel occupies (its `image_size`).
    pub end: u64,
}

/// Whether `bytes` start with a RISC-V `Image` header.
pub fn is_image(bytes: &[u8]) -> bool {
    bytes.len() >= HEADER_LEN
        && (u32::from_le_bytes(bytes[56..60].try_into().unwrap()) == MAGIC2
            || u64::from_le_bytes(bytes[48..56].try_into().unwrap()) == MAGIC)
}

/// Loads an `Image` at RAM base + `text_offset` (2 MiB aligned, as the kernel expects).
pub fn load_image(bytes: &[u8], ram: &mut Ram) -> Result<LoadedImage> {
    if !is_image(bytes) {
        return Err(Error::NotImage);
    }
    let field = |off: usize| u64::from_le_bytes(bytes[off..off + 8].try_into().unwrap());
    let text_offset = field(8);
    let image_size = field(16).max(bytes.len() as u64);
    if text_offset % (2 << 20) != 0 {
        return Err(Error::MalformedImage(format!(
            "text_offset {text_offset:#x} is not 2 MiB aligned"
        )));
    }
    let entry = ram.base().checked_add(text_offset).ok_or(Error::NotImage)?;
    if ram.offset(entry, image_size).is_none() {
        return Err(Error::KernelTooBig {
            size: image_size,
            memory: ram.size(),
        });
    }
    ram.write_bytes(entry, bytes);
    Ok(LoadedImage {
        entry,
        end: entry + image_size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use emu_mmu::DRAM_BASE;

    fn image(text_offset: u64, image_size: u64) -> Vec<u8> {
        let mut b = vec![0u8; 4096];
        b[8..16].copy_from_slice(&text_offset.to_le_bytes());
        b[16..24].copy_from_slice(&image_size.to_le_bytes());
        b[48..56].copy_from_slice(&MAGIC.to_le_bytes());
        b[56..60].copy_from_slice(&MAGIC2.to_le_bytes());
        b[64] = 0xaa;
        b
    }

    #[test]
    fn loads_at_text_offset() {
        let mut ram = Ram::new(DRAM_BASE, 16 << 20).unwrap();
        let loaded = load_image(&image(0x20_0000, 0x10_0000), &mut ram).unwrap();
        assert_eq!(
            loaded,
            LoadedImage {
                entry: DRAM_BASE + 0x20_0000,
                end: DRAM_BASE + 0x30_0000
            }
        );
        assert_eq!(ram.read(DRAM_BASE + 0x20_0040, 1), Some(0xaa));
    }

    #[test]
    fn rejects_non_images_and_kernels_larger_than_ram() {
        let mut ram = Ram::new(DRAM_BASE, 4 << 20).unwrap();
        assert!(matches!(
            load_image(b"hello", &mut ram),
            Err(Error::NotImage)
        ));
        assert!(matches!(
            load_image(&image(0x20_0000, 8 << 20), &mut ram),
            Err(Error::KernelTooBig { .. })
        ));
        assert!(matches!(
            load_image(&image(0x1000, 0x1000), &mut ram),
            Err(Error::MalformedImage(_))
        ));
    }
}
