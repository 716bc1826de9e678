//! The test signature: the memory a riscv-arch-test program leaves between its `begin_signature`
//! and `end_signature` symbols, which RISCOF compares with a reference model's.
//!
//! Format (Spike's `htif_t::stop`): one line per `granularity` bytes, lowest address first, each
//! line the little-endian word as zero-padded lowercase hex (8 digits for 4 bytes, 16 for 8). A
//! last partial word is padded with zero bytes.

use crate::{Error, Result};
use emu_mmu::Ram;
use std::io::Write;

/// Bytes per signature line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Granularity {
    /// 4 bytes, 8 hex digits per line (riscv-arch-test on RV32 and the default).
    #[default]
    Word,
    /// 8 bytes, 16 hex digits per line.
    Doubleword,
}

impl Granularity {
    /// Bytes per line.
    pub fn bytes(self) -> usize {
        match self {
            Granularity::Word => 4,
            Granularity::Doubleword => 8,
        }
    }
}

/// Writes the signature `[begin, end)` of `ram` to `out`.
pub(crate) fn write_signature(
    ram: &Ram,
    begin: u64,
    end: u64,
    granularity: Granularity,
    out: &mut dyn Write,
) -> Result<()> {
    let bytes = end
        .checked_sub(begin)
        .and_then(|len| usize::try_from(len).ok())
        .and_then(|len| ram.read_bytes(begin, len))
        .ok_or(Error::BadSignatureRange { begin, end })?;
    let mut text =
        String::with_capacity(bytes.len() / granularity.bytes() * (2 * granularity.bytes() + 1));
    for chunk in bytes.chunks(granularity.bytes()) {
        for i in (0..granularity.bytes()).rev() {
            let byte = chunk.get(i).copied().unwrap_or(0);
            text.push_str(&format!("{byte:02x}"));
        }
        text.push('\n');
    }
    out.write_all(text.as_bytes()).map_err(Error::Signature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use emu_mmu::DRAM_BASE;

    fn signature(bytes: &[u8], granularity: Granularity) -> Result<String> {
        let mut ram = Ram::new(DRAM_BASE, 0x1000).unwrap();
        ram.write_bytes(DRAM_BASE + 0x100, bytes);
        let mut out = Vec::new();
        write_signature(
            &ram,
            DRAM_BASE + 0x100,
            DRAM_BASE + 0x100 + bytes.len() as u64,
            granularity,
            &mut out,
        )?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn one_little_endian_word_per_line() {
        let bytes = [
            0x67, 0x45, 0x23, 0x01, 0xef, 0xcd, 0xab, 0x89, 0x0a, 0, 0, 0, 0, 0, 0, 0,
        ];
        assert_eq!(
            signature(&bytes, Granularity::Word).unwrap(),
            "01234567\n89abcdef\n0000000a\n00000000\n"
        );
        assert_eq!(
            signature(&bytes, Granularity::Doubleword).unwrap(),
            "89abcdef01234567\n000000000000000a\n"
        );
    }

    #[test]
    fn pads_a_last_partial_word_and_accepts_an_empty_range() {
        assert_eq!(
            signature(&[1, 2, 3, 4, 5], Granularity::Word).unwrap(),
            "04030201\n00000005\n"
        );
        assert_eq!(signature(&[], Granularity::Word).unwrap(), "");
    }

    #[test]
    fn rejects_ranges_that_are_reversed_or_outside_ram() {
        let ram = Ram::new(DRAM_BASE, 0x1000).unwrap();
        let mut out = Vec::new();
        for (begin, end) in [
            (DRAM_BASE + 8, DRAM_BASE),
            (DRAM_BASE, DRAM_BASE + 0x1001),
            (0, 16),
        ] {
            let err = write_signature(&ram, begin, end, Granularity::Word, &mut out).unwrap_err();
            assert!(matches!(err, Error::BadSignatureRange { .. }), "{err}");
        }
    }
}
