//! Loading bare-metal RV64 ELF programs into guest RAM.
//!
//! Every number read from the file (offsets, sizes, counts, addresses) is checked against the file
//! length and guest RAM before it is used: a hostile or truncated file yields an [`Error`], never a
//! panic. Segments are placed at their physical address (`p_paddr`), as Spike and QEMU do.

use crate::{Error, Result};
use emu_mmu::Ram;
use goblin::container::{Container, Ctx, Endian};
use goblin::elf::header::{self, Header};
use goblin::elf::program_header::{ProgramHeader, PT_LOAD};
use goblin::elf::section_header::{SectionHeader, SHN_UNDEF, SHT_SYMTAB};
use goblin::elf::sym::Symtab;
use goblin::elf::Elf;

/// Size of an ELF64 file header.
const EHDR_SIZE: u64 = 64;
/// Size of an ELF64 program header.
const PHDR_SIZE: u64 = 56;
/// Size of an ELF64 section header.
const SHDR_SIZE: u64 = 64;
/// Size of an ELF64 symbol.
const SYM_SIZE: u64 = 24;

/// Addresses of the symbols through which test programs talk to the simulator.
///
/// `tohost`/`fromhost` are the HTIF mailboxes (riscv-tests, riscv-arch-test, pk);
/// `begin_signature`/`end_signature` bound the memory that riscv-arch-test compares.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Symbols {
    /// Address of `tohost`, the word the guest writes HTIF commands to.
    pub tohost: Option<u64>,
    /// Address of `fromhost`, the word the host writes HTIF responses to.
    pub fromhost: Option<u64>,
    /// Address of `begin_signature`, the first byte of the test signature.
    pub begin_signature: Option<u64>,
    /// Address of `end_signature`, one past the last byte of the test signature.
    pub end_signature: Option<u64>,
}

/// What [`load_elf`] learned about the program it loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadedElf {
    /// The entry point (`e_entry`), where the hart starts.
    pub entry: u64,
    /// The simulator-interface symbols the program defines.
    pub symbols: Symbols,
}

/// One `PT_LOAD` segment, checked against the file and RAM.
struct Segment {
    paddr: u64,
    file_offset: usize,
    file_size: usize,
    mem_size: usize,
}

/// Loads the RV64 ELF program `bytes` into `ram`.
///
/// Copies every `PT_LOAD` segment's file bytes to its physical address and zero-fills the rest of
/// its memory size. Nothing is written unless the whole file checks out.
pub fn load_elf(bytes: &[u8], ram: &mut Ram) -> Result<LoadedElf> {
    let header = check_header(bytes)?;
    let ctx = Ctx::new(Container::Big, Endian::Little);
    let phdrs = program_headers(bytes, &header, ctx)?;
    let segments = loadable_segments(bytes, &phdrs, ram)?;
    if segments.is_empty() {
        return Err(Error::NoLoadableSegments);
    }
    if ram.offset(header.e_entry, 1).is_none() {
        return Err(Error::EntryOutsideRam {
            entry: header.e_entry,
            ram_start: ram.base(),
            ram_end: ram.base() + ram.size(),
        });
    }
    let symbols = symbols(bytes, &header, ctx)?;

    for seg in &segments {
        // Checked in `loadable_segments`: the whole memory image is inside RAM.
        let off = ram
            .offset(seg.paddr, seg.mem_size as u64)
            .expect("segment was checked against RAM");
        let dest = &mut ram.as_mut_slice()[off..off + seg.mem_size];
        let (data, bss) = dest.split_at_mut(seg.file_size);
        data.copy_from_slice(&bytes[seg.file_offset..seg.file_offset + seg.file_size]);
        bss.fill(0);
    }
    Ok(LoadedElf {
        entry: header.e_entry,
        symbols,
    })
}

/// Checks the identification bytes, in the order that gives the most useful message, then parses
/// the header.
fn check_header(bytes: &[u8]) -> Result<Header> {
    if bytes.len() < 4 || bytes[..4] != *header::ELFMAG {
        return Err(Error::NotElf);
    }
    // e_machine sits at offset 18 in both ELF classes; read it first so that e.g. an i386 program
    // is reported as "not RISC-V" rather than "32-bit".
    let machine_bytes = bytes
        .get(18..20)
        .ok_or_else(|| truncated("the ELF header", 0, EHDR_SIZE, bytes))?;
    let machine = match bytes[header::EI_DATA] {
        header::ELFDATA2LSB => u16::from_le_bytes([machine_bytes[0], machine_bytes[1]]),
        header::ELFDATA2MSB => u16::from_be_bytes([machine_bytes[0], machine_bytes[1]]),
        other => {
            return Err(Error::Malformed(format!(
                "unknown data encoding {other} in e_ident"
            )))
        }
    };
    if machine != header::EM_RISCV {
        return Err(Error::NotRiscv {
            machine,
            name: header::machine_to_str(machine),
        });
    }
    match bytes[header::EI_CLASS] {
        header::ELFCLASS64 => {}
        header::ELFCLASS32 => return Err(Error::Not64Bit),
        other => return Err(Error::BadClass(other)),
    }
    if bytes[header::EI_DATA] != header::ELFDATA2LSB {
        return Err(Error::BigEndian);
    }
    if (bytes.len() as u64) < EHDR_SIZE {
        return Err(truncated("the ELF header", 0, EHDR_SIZE, bytes));
    }
    Elf::parse_header(bytes).map_err(|e| Error::Malformed(e.to_string()))
}

/// Parses the program header table after checking it lies inside the file.
fn program_headers(bytes: &[u8], header: &Header, ctx: Ctx) -> Result<Vec<ProgramHeader>> {
    if header.e_phnum == 0 {
        return Ok(Vec::new());
    }
    if u64::from(header.e_phentsize) != PHDR_SIZE {
        return Err(Error::Malformed(format!(
            "program header size is {} bytes, ELF64 needs {PHDR_SIZE}",
            header.e_phentsize
        )));
    }
    check_range(
        "the program headers",
        header.e_phoff,
        u64::from(header.e_phnum) * PHDR_SIZE,
        bytes,
    )?;
    ProgramHeader::parse(
        bytes,
        header.e_phoff as usize,
        usize::from(header.e_phnum),
        ctx,
    )
    .map_err(|e| Error::Malformed(format!("program headers: {e}")))
}

/// The `PT_LOAD` segments, each checked against the file and against guest RAM.
fn loadable_segments(bytes: &[u8], phdrs: &[ProgramHeader], ram: &Ram) -> Result<Vec<Segment>> {
    let mut segments = Vec::new();
    for (index, ph) in phdrs.iter().enumerate() {
        if ph.p_type != PT_LOAD || ph.p_memsz == 0 {
            continue;
        }
        if ph.p_filesz > ph.p_memsz {
            return Err(Error::Malformed(format!(
                "segment {index} has {:#x} bytes in the file but only {:#x} in memory",
                ph.p_filesz, ph.p_memsz
            )));
        }
        let (file_offset, file_size) =
            check_range(&format!("segment {index}"), ph.p_offset, ph.p_filesz, bytes)?;
        if ram.offset(ph.p_paddr, ph.p_memsz).is_none() {
            return Err(Error::SegmentOutsideRam {
                index,
                start: ph.p_paddr,
                end: ph.p_paddr.saturating_add(ph.p_memsz),
                ram_start: ram.base(),
                ram_end: ram.base() + ram.size(),
            });
        }
        segments.push(Segment {
            paddr: ph.p_paddr,
            file_offset,
            file_size,
            mem_size: ph.p_memsz as usize,
        });
    }
    Ok(segments)
}

/// Finds the simulator-interface symbols in the `.symtab` section, if the file has one.
fn symbols(bytes: &[u8], header: &Header, ctx: Ctx) -> Result<Symbols> {
    let mut found = Symbols::default();
    if header.e_shoff == 0 {
        return Ok(found); // No section headers: a stripped program, no symbols.
    }
    if u64::from(header.e_shentsize) != SHDR_SIZE {
        return Err(Error::Malformed(format!(
            "section header size is {} bytes, ELF64 needs {SHDR_SIZE}",
            header.e_shentsize
        )));
    }
    // A zero count with a non-zero offset means the count is in the first header (extended
    // numbering); check at least that one is there, goblin bounds the rest.
    let count = u64::from(header.e_shnum).max(1);
    check_range(
        "the section headers",
        header.e_shoff,
        count * SHDR_SIZE,
        bytes,
    )?;
    let shdrs = SectionHeader::parse(
        bytes,
        header.e_shoff as usize,
        usize::from(header.e_shnum),
        ctx,
    )
    .map_err(|e| Error::Malformed(format!("section headers: {e}")))?;
    let Some(symtab) = shdrs.iter().rfind(|sh| sh.sh_type == SHT_SYMTAB) else {
        return Ok(found);
    };
    if symtab.sh_entsize != SYM_SIZE {
        return Err(Error::Malformed(format!(
            "symbol size is {} bytes, ELF64 needs {SYM_SIZE}",
            symtab.sh_entsize
        )));
    }
    let (sym_offset, sym_size) =
        check_range("the symbol table", symtab.sh_offset, symtab.sh_size, bytes)?;
    let strtab = shdrs.get(symtab.sh_link as usize).ok_or_else(|| {
        Error::Malformed(format!(
            "symbol table links to section {}, which does not exist",
            symtab.sh_link
        ))
    })?;
    let (str_offset, str_size) =
        check_range("the string table", strtab.sh_offset, strtab.sh_size, bytes)?;
    let strings = &bytes[str_offset..str_offset + str_size];
    let syms = Symtab::parse(bytes, sym_offset, sym_size / SYM_SIZE as usize, ctx)
        .map_err(|e| Error::Malformed(format!("symbol table: {e}")))?;

    for sym in syms.iter() {
        if sym.st_shndx == SHN_UNDEF as usize {
            continue;
        }
        let slot = match symbol_name(strings, sym.st_name) {
            Some(b"tohost") => &mut found.tohost,
            Some(b"fromhost") => &mut found.fromhost,
            Some(b"begin_signature") => &mut found.begin_signature,
            Some(b"end_signature") => &mut found.end_signature,
            _ => continue,
        };
        slot.get_or_insert(sym.st_value);
    }
    Ok(found)
}

/// The NUL-terminated name at `offset` in the string table, if it is inside it.
fn symbol_name(strings: &[u8], offset: usize) -> Option<&[u8]> {
    let tail = strings.get(offset..)?;
    let len = tail.iter().position(|&b| b == 0)?;
    Some(&tail[..len])
}

/// Checks that `len` bytes at file offset `start` are inside the file; returns them as usizes.
fn check_range(part: &str, start: u64, len: u64, bytes: &[u8]) -> Result<(usize, usize)> {
    match start.checked_add(len) {
        Some(end) if end <= bytes.len() as u64 => Ok((start as usize, len as usize)),
        _ => Err(truncated(part, start, len, bytes)),
    }
}

fn truncated(part: &str, start: u64, len: u64, bytes: &[u8]) -> Error {
    Error::Truncated {
        part: part.to_string(),
        start,
        end: start.saturating_add(len),
        len: bytes.len() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use emu_mmu::DRAM_BASE;

    /// A minimal ELF64 image built byte by byte: header, program headers, segment data, and a
    /// `.symtab`/`.strtab` pair when there are symbols.
    struct TestElf {
        class: u8,
        data: u8,
        machine: u16,
        entry: u64,
        /// (physical address, file bytes, memory size)
        segments: Vec<(u64, Vec<u8>, u64)>,
        symbols: Vec<(&'static str, u64)>,
    }

    impl TestElf {
        fn riscv() -> TestElf {
            TestElf {
                class: header::ELFCLASS64,
                data: header::ELFDATA2LSB,
                machine: header::EM_RISCV,
                entry: DRAM_BASE,
                segments: vec![(DRAM_BASE, vec![0x13, 0, 0, 0, 0x6f, 0, 0, 0], 8)],
                symbols: vec![],
            }
        }

        fn build(&self) -> Vec<u8> {
            fn put(out: &mut [u8], at: usize, v: &[u8]) {
                out[at..at + v.len()].copy_from_slice(v);
            }
            let phoff = EHDR_SIZE as usize;
            let mut data_at = phoff + self.segments.len() * PHDR_SIZE as usize;
            let mut out = vec![0u8; data_at];
            put(&mut out, 0, header::ELFMAG);
            out[header::EI_CLASS] = self.class;
            out[header::EI_DATA] = self.data;
            out[header::EI_VERSION] = 1;
            put(&mut out, 16, &2u16.to_le_bytes()); // ET_EXEC
            put(&mut out, 18, &self.machine.to_le_bytes());
            put(&mut out, 20, &1u32.to_le_bytes());
            put(&mut out, 24, &self.entry.to_le_bytes());
            put(&mut out, 32, &(phoff as u64).to_le_bytes());
            put(&mut out, 52, &(EHDR_SIZE as u16).to_le_bytes());
            put(&mut out, 54, &(PHDR_SIZE as u16).to_le_bytes());
            put(&mut out, 56, &(self.segments.len() as u16).to_le_bytes());
            put(&mut out, 58, &(SHDR_SIZE as u16).to_le_bytes());
            for (i, (paddr, bytes, memsz)) in self.segments.iter().enumerate() {
                let ph = phoff + i * PHDR_SIZE as usize;
                put(&mut out, ph, &PT_LOAD.to_le_bytes());
                put(&mut out, ph + 4, &7u32.to_le_bytes()); // RWX
                put(&mut out, ph + 8, &(data_at as u64).to_le_bytes());
                put(&mut out, ph + 16, &paddr.to_le_bytes());
                put(&mut out, ph + 24, &paddr.to_le_bytes());
                put(&mut out, ph + 32, &(bytes.len() as u64).to_le_bytes());
                put(&mut out, ph + 40, &memsz.to_le_bytes());
                out.extend_from_slice(bytes);
                data_at += bytes.len();
            }
            if self.symbols.is_empty() {
                return out;
            }
            // .strtab
            let str_at = out.len();
            let mut name_offsets = Vec::new();
            out.push(0);
            for (name, _) in &self.symbols {
                name_offsets.push(out.len() - str_at);
                out.extend_from_slice(name.as_bytes());
                out.push(0);
            }
            let str_size = out.len() - str_at;
            // .symtab: the null symbol, then one defined global per name, in section 1.
            let sym_at = out.len();
            out.extend_from_slice(&[0; SYM_SIZE as usize]);
            for ((_, value), name_off) in self.symbols.iter().zip(&name_offsets) {
                let mut sym = [0u8; SYM_SIZE as usize];
                put(&mut sym, 0, &(*name_off as u32).to_le_bytes());
                sym[4] = 0x10; // STB_GLOBAL, STT_NOTYPE
                put(&mut sym, 6, &1u16.to_le_bytes());
                put(&mut sym, 8, &value.to_le_bytes());
                out.extend_from_slice(&sym);
            }
            let sym_size = out.len() - sym_at;
            // Section headers: null, .symtab (links to 2), .strtab.
            let shoff = out.len();
            out.extend_from_slice(&[0; 3 * SHDR_SIZE as usize]);
            let sh = shoff + SHDR_SIZE as usize;
            put(&mut out, sh + 4, &SHT_SYMTAB.to_le_bytes());
            put(&mut out, sh + 24, &(sym_at as u64).to_le_bytes());
            put(&mut out, sh + 32, &(sym_size as u64).to_le_bytes());
            put(&mut out, sh + 40, &2u32.to_le_bytes());
            put(&mut out, sh + 56, &SYM_SIZE.to_le_bytes());
            let sh = shoff + 2 * SHDR_SIZE as usize;
            put(&mut out, sh + 4, &3u32.to_le_bytes()); // SHT_STRTAB
            put(&mut out, sh + 24, &(str_at as u64).to_le_bytes());
            put(&mut out, sh + 32, &(str_size as u64).to_le_bytes());
            put(&mut out, 40, &(shoff as u64).to_le_bytes());
            put(&mut out, 60, &3u16.to_le_bytes());
            out
        }
    }

    fn ram() -> Ram {
        Ram::new(DRAM_BASE, 1 << 20).unwrap()
    }

    #[test]
    fn loads_segments_and_zero_fills_bss() {
        let mut elf = TestElf::riscv();
        elf.segments.push((DRAM_BASE + 0x1000, vec![1, 2, 3], 16));
        let mut ram = ram();
        ram.write_bytes(DRAM_BASE + 0x1000, &[0xff; 32]);
        let loaded = load_elf(&elf.build(), &mut ram).unwrap();
        assert_eq!(loaded.entry, DRAM_BASE);
        assert_eq!(loaded.symbols, Symbols::default());
        assert_eq!(ram.read(DRAM_BASE, 4), Some(0x13));
        assert_eq!(
            ram.read_bytes(DRAM_BASE + 0x1000, 17).unwrap(),
            &[1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff]
        );
    }

    #[test]
    fn finds_the_simulator_symbols() {
        let mut elf = TestElf::riscv();
        elf.symbols = vec![
            ("main", 1),
            ("tohost", DRAM_BASE + 0x1000),
            ("fromhost", DRAM_BASE + 0x1040),
            ("begin_signature", DRAM_BASE + 0x2000),
            ("end_signature", DRAM_BASE + 0x2010),
        ];
        let loaded = load_elf(&elf.build(), &mut ram()).unwrap();
        assert_eq!(
            loaded.symbols,
            Symbols {
                tohost: Some(DRAM_BASE + 0x1000),
                fromhost: Some(DRAM_BASE + 0x1040),
                begin_signature: Some(DRAM_BASE + 0x2000),
                end_signature: Some(DRAM_BASE + 0x2010),
            }
        );
    }

    #[test]
    fn rejects_files_that_are_not_rv64_elf() {
        let mut ram = ram();
        assert!(matches!(load_elf(b"", &mut ram), Err(Error::NotElf)));
        assert!(matches!(
            load_elf(b"#!/bin/sh\necho hi\n", &mut ram),
            Err(Error::NotElf)
        ));

        let mut elf = TestElf::riscv();
        elf.class = header::ELFCLASS32;
        let err = load_elf(&elf.build(), &mut ram).unwrap_err();
        assert_eq!(err.to_string(), "32-bit ELF: emu runs RV64 programs");

        let mut elf = TestElf::riscv();
        elf.machine = header::EM_X86_64;
        let err = load_elf(&elf.build(), &mut ram).unwrap_err();
        assert!(
            matches!(
                err,
                Error::NotRiscv {
                    machine: 62,
                    name: "X86_64"
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("X86_64"), "{err}");

        let mut elf = TestElf::riscv();
        elf.data = header::ELFDATA2MSB;
        elf.machine = header::EM_RISCV.swap_bytes(); // as a big-endian file would store it
        assert!(matches!(
            load_elf(&elf.build(), &mut ram),
            Err(Error::BigEndian)
        ));
    }

    #[test]
    fn rejects_segments_outside_ram() {
        for (paddr, memsz) in [
            (0x1000, 8),
            (DRAM_BASE + (1 << 20) - 4, 8),
            (u64::MAX - 3, 8),
            (DRAM_BASE, u64::MAX),
        ] {
            let mut elf = TestElf::riscv();
            elf.segments.push((paddr, vec![], memsz));
            let err = load_elf(&elf.build(), &mut ram()).unwrap_err();
            assert!(
                matches!(err, Error::SegmentOutsideRam { index: 1, start, .. } if start == paddr),
                "{err}"
            );
            let msg = err.to_string();
            assert!(
                msg.contains(&format!("{paddr:#x}")) && msg.contains("0x80000000..0x80100000"),
                "{msg}"
            );
        }
    }

    #[test]
    fn rejects_an_entry_outside_ram_and_programs_with_nothing_to_load() {
        let mut elf = TestElf::riscv();
        elf.entry = 0x1000;
        assert!(matches!(
            load_elf(&elf.build(), &mut ram()),
            Err(Error::EntryOutsideRam { entry: 0x1000, .. })
        ));
        elf.segments.clear();
        assert!(matches!(
            load_elf(&elf.build(), &mut ram()),
            Err(Error::NoLoadableSegments)
        ));
    }

    #[test]
    fn reports_truncation() {
        let mut elf = TestElf::riscv();
        elf.symbols = vec![("tohost", DRAM_BASE)];
        let bytes = elf.build();
        // Cut inside the header, the program headers and the segment data.
        for (len, part) in [
            (40, "the ELF header"),
            (100, "the program headers"),
            (124, "segment 0"),
        ] {
            let err = load_elf(&bytes[..len], &mut ram()).unwrap_err();
            assert!(
                matches!(&err, Error::Truncated { part: p, .. } if p == part),
                "{len}: {err}"
            );
        }
    }

    #[test]
    fn never_panics_on_damaged_files() {
        let mut elf = TestElf::riscv();
        elf.segments.push((DRAM_BASE + 0x100, vec![9; 40], 64));
        elf.symbols = vec![("tohost", DRAM_BASE), ("end_signature", DRAM_BASE + 8)];
        let good = elf.build();
        let mut ram = ram();
        for len in 0..good.len() {
            let _ = load_elf(&good[..len], &mut ram);
        }
        // Deterministic pseudo-random corruption of header and table bytes (xorshift).
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut bad = good.clone();
            for _ in 0..4 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let at = (state % bad.len() as u64) as usize;
                bad[at] = (state >> 32) as u8;
            }
            let _ = load_elf(&bad, &mut ram);
        }
        // Nothing is written when the file is refused.
        let mut fresh = Ram::new(DRAM_BASE, 1 << 20).unwrap();
        let _ = load_elf(&good[..good.len() - 1], &mut fresh);
        assert!(fresh.as_slice().iter().all(|&b| b == 0));
    }
}
