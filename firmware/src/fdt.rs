//! The device tree, generated from the memory map of [`crate::memmap`], in the shape of QEMU's
//! `virt` board (`hw/riscv/virt.c`, `create_fdt*`), so kernels and OpenSBI find every device where
//! the bus puts it.

use crate::memmap::*;
use vm_fdt::{FdtWriter, FdtWriterResult};

/// What the device tree describes beyond the fixed memory map.
#[derive(Clone, Debug)]
pub struct FdtConfig {
    /// Number of harts (1..=8).
    pub harts: u32,
    /// Size of DRAM at [`DRAM_BASE`], in bytes.
    pub memory_size: u64,
    /// The `riscv,isa` string of every hart (e.g. `rv64imafdc_zicsr_zifencei_zba_zbb_zbs_sstc`).
    pub isa: String,
    /// Kernel command line (`/chosen/bootargs`).
    pub bootargs: String,
    /// Physical range of the initrd, if one is loaded.
    pub initrd: Option<(u64, u64)>,
}

// Phandles of the nodes other nodes point at.
const PHANDLE_PLIC: u32 = 1;
const PHANDLE_TEST: u32 = 2;
/// CPU n's interrupt controller gets phandle `PHANDLE_CPU_INTC + n`; CPU n itself gets
/// `PHANDLE_CPU + n`.
const PHANDLE_CPU_INTC: u32 = 0x10;
const PHANDLE_CPU: u32 = 0x20;

fn reg(base: u64, size: u64) -> [u64; 2] {
    [base, size]
}

/// Builds the flattened device tree blob.
pub fn build_fdt(config: &FdtConfig) -> Result<Vec<u8>, vm_fdt::Error> {
    let mut fdt = FdtWriter::new()?;
    let root = fdt.begin_node("")?;
    fdt.property_u32("#address-cells", 2)?;
    fdt.property_u32("#size-cells", 2)?;
    fdt.property_string("compatible", "riscv-virtio")?;
    fdt.property_string("model", "riscv-virtio,emu")?;

    let chosen = fdt.begin_node("chosen")?;
    fdt.property_string("bootargs", &config.bootargs)?;
    fdt.property_string("stdout-path", &format!("/soc/serial@{:x}", UART0.base))?;
    if let Some((start, end)) = config.initrd {
        fdt.property_u64("linux,initrd-start", start)?;
        fdt.property_u64("linux,initrd-end", end)?;
    }
    fdt.end_node(chosen)?;

    let memory = fdt.begin_node(&format!("memory@{DRAM_BASE:x}"))?;
    fdt.property_string("device_type", "memory")?;
    fdt.property_array_u64("reg", &reg(DRAM_BASE, config.memory_size))?;
    fdt.end_node(memory)?;

    cpus(&mut fdt, config)?;
    soc(&mut fdt, config)?;
    // syscon-poweroff / syscon-reboot drive the test finisher (at the root, as QEMU puts them).
    for (name, value) in [("poweroff", 0x5555u32), ("reboot", 0x7777)] {
        let node = fdt.begin_node(name)?;
        fdt.property_string("compatible", &format!("syscon-{name}"))?;
        fdt.property_u32("regmap", PHANDLE_TEST)?;
        fdt.property_u32("offset", 0)?;
        fdt.property_u32("value", value)?;
        fdt.end_node(node)?;
    }

    fdt.end_node(root)?;
    fdt.finish()
}

fn cpus(fdt: &mut FdtWriter, config: &FdtConfig) -> FdtWriterResult<()> {
    let cpus = fdt.begin_node("cpus")?;
    fdt.property_u32("#address-cells", 1)?;
    fdt.property_u32("#size-cells", 0)?;
    fdt.property_u32("timebase-frequency", TIMEBASE_HZ as u32)?;
    for hart in 0..config.harts {
        let cpu = fdt.begin_node(&format!("cpu@{hart}"))?;
        fdt.property_string("device_type", "cpu")?;
        fdt.property_u32("reg", hart)?;
        fdt.property_string("status", "okay")?;
        fdt.property_string("compatible", "riscv")?;
        fdt.property_string("riscv,isa", &config.isa)?;
        fdt.property_string("mmu-type", "riscv,sv57")?;
        fdt.property_phandle(PHANDLE_CPU + hart)?;
        let intc = fdt.begin_node("interrupt-controller")?;
        fdt.property_u32("#address-cells", 0)?;
        fdt.property_u32("#interrupt-cells", 1)?;
        fdt.property_null("interrupt-controller")?;
        fdt.property_string("compatible", "riscv,cpu-intc")?;
        fdt.property_phandle(PHANDLE_CPU_INTC + hart)?;
        fdt.end_node(intc)?;
        fdt.end_node(cpu)?;
    }
    let map = fdt.begin_node("cpu-map")?;
    let cluster = fdt.begin_node("cluster0")?;
    for hart in 0..config.harts {
        let core = fdt.begin_node(&format!("core{hart}"))?;
        fdt.property_u32("cpu", PHANDLE_CPU + hart)?;
        fdt.end_node(core)?;
    }
    fdt.end_node(cluster)?;
    fdt.end_node(map)?;
    fdt.end_node(cpus)
}

fn soc(fdt: &mut FdtWriter, config: &FdtConfig) -> FdtWriterResult<()> {
    let soc = fdt.begin_node("soc")?;
    fdt.property_u32("#address-cells", 2)?;
    fdt.property_u32("#size-cells", 2)?;
    fdt.property_string("compatible", "simple-bus")?;
    fdt.property_null("ranges")?;

    let rtc = fdt.begin_node(&format!("rtc@{:x}", RTC.base))?;
    fdt.property_string("compatible", "google,goldfish-rtc")?;
    fdt.property_array_u64("reg", &reg(RTC.base, RTC.size))?;
    fdt.property_u32("interrupt-parent", PHANDLE_PLIC)?;
    fdt.property_u32("interrupts", RTC_IRQ)?;
    fdt.end_node(rtc)?;

    let serial = fdt.begin_node(&format!("serial@{:x}", UART0.base))?;
    fdt.property_string("compatible", "ns16550a")?;
    fdt.property_array_u64("reg", &reg(UART0.base, UART0.size))?;
    fdt.property_u32("clock-frequency", UART0_CLOCK_HZ)?;
    fdt.property_u32("interrupt-parent", PHANDLE_PLIC)?;
    fdt.property_u32("interrupts", UART0_IRQ)?;
    fdt.end_node(serial)?;

    let test = fdt.begin_node(&format!("test@{:x}", TEST.base))?;
    fdt.property_string_list(
        "compatible",
        vec![
            "sifive,test1".into(),
            "sifive,test0".into(),
            "syscon".into(),
        ],
    )?;
    fdt.property_array_u64("reg", &reg(TEST.base, TEST.size))?;
    fdt.property_phandle(PHANDLE_TEST)?;
    fdt.end_node(test)?;
    // Slots in reverse order, as QEMU lists them, so Linux names the first slot's disk /dev/vda.
    for slot in (0..VIRTIO_COUNT).rev() {
        let base = VIRTIO.base + slot * VIRTIO_STRIDE;
        let node = fdt.begin_node(&format!("virtio_mmio@{base:x}"))?;
        fdt.property_string("compatible", "virtio,mmio")?;
        fdt.property_array_u64("reg", &reg(base, VIRTIO_STRIDE))?;
        fdt.property_u32("interrupt-parent", PHANDLE_PLIC)?;
        fdt.property_u32("interrupts", VIRTIO_IRQ + slot as u32)?;
        fdt.end_node(node)?;
    }

    let plic = fdt.begin_node(&format!("plic@{:x}", PLIC.base))?;
    fdt.property_u32("#address-cells", 0)?;
    fdt.property_u32("#interrupt-cells", 1)?;
    fdt.property_string_list(
        "compatible",
        vec!["sifive,plic-1.0.0".into(), "riscv,plic0".into()],
    )?;
    fdt.property_null("interrupt-controller")?;
    fdt.property_array_u64("reg", &reg(PLIC.base, PLIC.size))?;
    fdt.property_u32("riscv,ndev", PLIC_NDEV)?;
    // Per hart: the M-mode context (external interrupt 11) then the S-mode one (9).
    let contexts: Vec<u32> = (0..config.harts)
        .flat_map(|h| [PHANDLE_CPU_INTC + h, 11, PHANDLE_CPU_INTC + h, 9])
        .collect();
    fdt.property_array_u32("interrupts-extended", &contexts)?;
    fdt.property_phandle(PHANDLE_PLIC)?;
    fdt.end_node(plic)?;

    let clint = fdt.begin_node(&format!("clint@{:x}", CLINT.base))?;
    fdt.property_string_list(
        "compatible",
        vec!["sifive,clint0".into(), "riscv,clint0".into()],
    )?;
    fdt.property_array_u64("reg", &reg(CLINT.base, CLINT.size))?;
    // Per hart: machine software (3) and machine timer (7) interrupts.
    let lines: Vec<u32> = (0..config.harts)
        .flat_map(|h| [PHANDLE_CPU_INTC + h, 3, PHANDLE_CPU_INTC + h, 7])
        .collect();
    fdt.property_array_u32("interrupts-extended", &lines)?;
    fdt.end_node(clint)?;

    fdt.end_node(soc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> FdtConfig {
        FdtConfig {
            harts: 2,
            memory_size: 512 << 20,
            isa: "rv64imac_zicsr_zifencei".into(),
            bootargs: "console=ttyS0".into(),
            initrd: Some((0x8400_0000, 0x8410_0000)),
        }
    }

    #[test]
    fn blob_has_the_fdt_header_and_names_every_device() {
        let blob = build_fdt(&config()).unwrap();
        assert_eq!(&blob[..4], &[0xd0, 0x0d, 0xfe, 0xed]);
        let text = String::from_utf8_lossy(&blob);
        for needle in [
            "serial@10000000",
            "plic@c000000",
            "clint@2000000",
            "virtio_mmio@10001000",
            "virtio_mmio@10008000",
            "rtc@101000",
            "test@100000",
            "cpu@1",
            "console=ttyS0",
            "linux,initrd-start",
        ] {
            assert!(text.contains(needle), "{needle} missing");
        }
    }

    /// `dtc` (Debian's device-tree-compiler) decompiles the blob without warnings.
    #[test]
    fn dtc_decompiles_it_without_warnings() {
        let blob = build_fdt(&config()).unwrap();
        let dir = std::env::temp_dir().join(format!("emu-fdt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("virt.dtb");
        std::fs::write(&path, &blob).unwrap();
        let out = std::process::Command::new("dtc")
            .args(["-I", "dtb", "-O", "dts"])
            .arg(&path)
            .output()
            .expect("dtc is missing: apt-get install device-tree-compiler");
        std::fs::remove_dir_all(&dir).ok();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "dtc failed: {stderr}");
        assert!(stderr.trim().is_empty(), "dtc warned: {stderr}");
        let dts = String::from_utf8_lossy(&out.stdout);
        assert!(
            dts.contains("riscv,isa = \"rv64imac_zicsr_zifencei\""),
            "{dts}"
        );
    }
}
