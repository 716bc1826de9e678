//! `loaders`: the ELF and Linux `Image` loaders, the device-tree builder and the machine's Linux
//! boot path (kernel, initrd, firmware and device-tree placement) on random input files.
//!
//! The first byte picks what the rest is:
//! 0. an ELF program for [`emu_firmware::load_elf`] into 1 MiB of RAM;
//! 1. a kernel `Image` for [`emu_firmware::load_image`] into 4 MiB of RAM;
//! 2. a device-tree configuration (harts, memory size, ISA string, command line, initrd range)
//!    for [`emu_firmware::build_fdt`];
//! 3. a kernel, an initrd, a firmware and a command line for [`Machine::boot_linux`] on a machine
//!    of 1 to 8 harts and 2 to 64 MiB;
//! 4. an ELF for [`Machine::load_elf`], whose HTIF and signature symbols are then used the way
//!    `emu --signature` uses them.
//!
//! Oracle: no panic, no host memory error; whatever loads has its entry point inside guest RAM,
//! and the device tree is a well-formed blob (magic, total size, and every offset inside it).

use crate::Input;
use emu_firmware::{build_fdt, is_image, load_elf, load_image, FdtConfig};
use emu_machine::{Granularity, LinuxBoot, Machine, MachineConfig};
use emu_mmu::{Ram, DRAM_BASE};

/// Runs one input.
pub fn run(data: &[u8]) {
    let mut input = Input::new(data);
    match input.u8() % 5 {
        0 => elf(input.rest()),
        1 => image(input.rest()),
        2 => fdt(&mut input),
        3 => boot(&mut input),
        _ => machine_elf(input.rest()),
    }
}

fn elf(bytes: &[u8]) {
    let mut ram = Ram::new(DRAM_BASE, 1 << 20).expect("1 MiB of RAM");
    if let Ok(loaded) = load_elf(bytes, &mut ram) {
        assert!(
            ram.offset(loaded.entry, 2).is_some(),
            "entry {:#x} outside RAM",
            loaded.entry
        );
    }
}

fn image(bytes: &[u8]) {
    let mut ram = Ram::new(DRAM_BASE, 4 << 20).expect("4 MiB of RAM");
    let image = is_image(bytes);
    if let Ok(loaded) = load_image(bytes, &mut ram) {
        assert!(image, "loaded something that is_image refuses");
        assert!(ram.offset(loaded.entry, bytes.len() as u64).is_some());
        assert!(
            loaded.end <= DRAM_BASE + ram.size(),
            "image end {:#x}",
            loaded.end
        );
    }
}

fn text(input: &mut Input, max: u8) -> String {
    let len = usize::from(input.u8() % max);
    String::from_utf8_lossy(input.bytes(len)).into_owned()
}

fn fdt(input: &mut Input) {
    let harts = u32::from(input.u8() % 8) + 1;
    let memory_size = match input.u8() {
        0 => input.u64(),
        m => u64::from(m) << 20,
    };
    let initrd = match input.u8() {
        0 => None,
        1 => Some((input.u64(), input.u64())),
        n => Some((
            DRAM_BASE + (u64::from(n) << 20),
            DRAM_BASE + (u64::from(n) << 21),
        )),
    };
    let config = FdtConfig {
        harts,
        memory_size,
        isa: text(input, 64),
        bootargs: String::from_utf8_lossy(input.rest()).into_owned(),
        initrd,
    };
    if let Ok(blob) = build_fdt(&config) {
        check_fdt(&blob);
    }
}

/// The blob's header agrees with its length, and every block lies inside it.
fn check_fdt(blob: &[u8]) {
    let be = |off: usize| u32::from_be_bytes(blob[off..off + 4].try_into().expect("4 bytes"));
    assert!(blob.len() >= 40, "device tree of {} bytes", blob.len());
    assert_eq!(be(0), 0xd00d_feed, "magic");
    assert_eq!(be(4) as usize, blob.len(), "totalsize");
    // (offset field, size field): the structure block and the strings block.
    for (off, size) in [(8, 36), (12, 32)] {
        let (start, len) = (be(off) as usize, be(size) as usize);
        assert!(
            start.checked_add(len).is_some_and(|end| end <= blob.len()),
            "block at {start:#x}+{len:#x}"
        );
    }
    assert!(
        be(16) as usize + 16 <= blob.len(),
        "memory reservation block"
    );
}

/// Splits off a part whose length is given by two input bytes (at most what is left).
fn part<'a>(input: &mut Input<'a>) -> &'a [u8] {
    let len = usize::from(input.u16());
    input.bytes(len)
}

fn boot(input: &mut Input) {
    let harts = usize::from(input.u8() % 8) + 1;
    let memory = match input.u8() % 4 {
        0 => 2 << 20,
        1 => 4 << 20,
        2 => 6 << 20,
        _ => 64 << 20,
    };
    let flags = input.u8();
    let initrd = (flags & 1 == 1).then(|| part(input).to_vec());
    let bios = (flags & 2 == 2).then(|| part(input).to_vec());
    let append = text(input, 255);
    let kernel = input.rest().to_vec();
    let config = MachineConfig {
        memory,
        harts,
        console: Box::new(std::io::sink()),
        ..MachineConfig::default()
    };
    let mut machine = Machine::new(config).expect("a small machine");
    let boot = LinuxBoot {
        kernel,
        initrd,
        append,
        bios,
    };
    if let Ok(dtb) = machine.boot_linux(&boot) {
        check_fdt(&dtb);
        for hart in machine.harts() {
            let pc = hart.pc;
            let in_ram = machine.ram().offset(pc, 2).is_some();
            assert!(
                in_ram || pc == 0x1000 || pc == 0,
                "hart {} starts at {pc:#x}",
                hart.hartid()
            );
        }
    }
}

fn machine_elf(bytes: &[u8]) {
    let config = MachineConfig {
        memory: 1 << 20,
        console: Box::new(std::io::sink()),
        ..MachineConfig::default()
    };
    let mut machine = Machine::new(config).expect("a small machine");
    if machine.load_elf(bytes).is_ok() {
        assert!(machine.ram().offset(machine.hart().pc, 2).is_some());
        for granularity in [Granularity::Word, Granularity::Doubleword] {
            let _ = machine.write_signature(granularity, &mut std::io::sink());
        }
    }
}
