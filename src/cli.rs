//! The command line of `emu`.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::Parser;
use emu_machine::{Granularity, PageLoop};
use std::path::PathBuf;
use std::str::FromStr;

/// Exit status when `--max-instructions` stops the program: 124, as `timeout(1)` uses when its
/// time limit is reached.
pub const EXIT_INSTRUCTION_LIMIT: u8 = 124;
/// Exit status when emu could not run the program at all (bad file, bad option).
pub const EXIT_BAD_INPUT: u8 = 2;

const EXIT_STATUS_HELP: &str = "\
Exit status:
  0      the program exited with code 0 (riscv-tests: pass)
  1-255  the program's exit code; codes above 255 become 255, so a failure never reads as 0
  2      emu could not run the program: bad file or option (also what clap's usage errors use)
  124    --max-instructions stopped the program
With --config or --vm (several machines):
  0      every machine ended well (powered off, exited with 0, or stopped with Ctrl-A x)
  1      at least one machine failed (a failure code, an error, or a crash of its thread)
  124    none failed, but max_instructions stopped one";

/// An interpreted RISC-V (RV64) machine, compatible with QEMU's virt board.
///
/// `emu PROGRAM.elf` runs a bare-metal program and exits with the result it reports through HTIF
/// (its tohost symbol), as on Spike. `emu --kernel Image --disk root.img` boots Linux on the
/// console: Ctrl-A x quits, Ctrl-A c switches to the monitor and back, Ctrl-A Ctrl-A sends a
/// Ctrl-A. `emu --config fleet.toml` or `emu --vm
/// name=a,kernel=Image,... --vm name=b,...` runs several machines in one process, one attached to
/// the terminal at a time: Ctrl-A n and Ctrl-A p switch, Ctrl-A c shows the monitor of them all.
#[derive(Debug, Parser)]
#[command(name = "emu", version, after_help = EXIT_STATUS_HELP)]
pub struct Cli {
    /// The bare-metal RV64 ELF program to run (e.g. a riscv-tests or riscv-arch-test binary).
    #[arg(
        value_name = "ELF",
        required_unless_present_any = ["kernel", "config", "vm"],
        // The Linux options make no sense for a bare-metal program (clap does not enforce their
        // `requires = "kernel"` when the ELF, which conflicts with --kernel, is given).
        conflicts_with_all = ["kernel", "initrd", "append", "disk", "dump_dtb", "bios"]
    )]
    pub elf: Option<PathBuf>,

    /// Boot this Linux kernel (a RISC-V `Image`, or an ELF) in S-mode.
    #[arg(long, value_name = "IMAGE")]
    pub kernel: Option<PathBuf>,

    /// Load this initrd / initramfs for the kernel.
    #[arg(long, value_name = "FILE", requires = "kernel")]
    pub initrd: Option<PathBuf>,

    /// Kernel command line [default: "console=ttyS0 root=/dev/vda rw" with a disk, else
    /// "console=ttyS0"].
    #[arg(long, value_name = "CMDLINE", requires = "kernel")]
    pub append: Option<String>,

    /// M-mode firmware: `builtin` (host-side SBI, the default) or the path of an external one such
    /// as OpenSBI's fw_dynamic.bin or fw_jump.bin.
    #[arg(
        long,
        value_name = "builtin|PATH",
        default_value = "builtin",
        requires = "kernel"
    )]
    pub bios: String,

    /// Attach a raw disk image as the next virtio-blk device (/dev/vda, /dev/vdb, ...); add
    /// `,readonly` to attach it read-only. Repeatable.
    #[arg(long, value_name = "FILE[,readonly]", requires = "kernel")]
    pub disk: Vec<DiskArg>,

    /// Number of harts (1 to 8). An ELF program starts on all of them at its entry, with a0 = the
    /// hart ID, as on Spike (`-p N`).
    #[arg(long, value_name = "N", default_value = "1", allow_negative_numbers = true,
          value_parser = clap::value_parser!(u8).range(1..=8))]
    pub smp: u8,

    /// Write the machine's device tree blob to FILE and exit.
    #[arg(long, value_name = "FILE", requires = "kernel")]
    pub dump_dtb: Option<PathBuf>,

    /// Guest RAM at 0x80000000, in bytes, or with a K, M or G suffix (powers of 1024).
    #[arg(
        long,
        value_name = "SIZE",
        default_value = "512M",
        allow_negative_numbers = true
    )]
    pub memory: MemorySize,

    /// Stop after N instructions (exit status 124).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub max_instructions: Option<u64>,

    /// After the run, write the memory between the program's begin_signature and end_signature
    /// symbols to FILE, one word per line in hex (the riscv-arch-test / RISCOF format).
    #[arg(long, value_name = "FILE")]
    pub signature: Option<PathBuf>,

    /// Bytes per line of the --signature file.
    #[arg(
        long,
        value_name = "BYTES",
        default_value = "4",
        value_parser = PossibleValuesParser::new(["4", "8"])
            .map(|s| if s == "8" { Granularity::Doubleword } else { Granularity::Word }),
    )]
    pub signature_granularity: Granularity,

    /// Write one line per executed instruction (address, encoding, disassembly, register
    /// written) to FILE, or to stderr when no FILE is given. Slow.
    #[arg(long, value_name = "FILE", num_args = 0..=1, require_equals = true)]
    pub trace: Option<Option<PathBuf>>,

    /// The interpreter's page loop: threaded (a handler per instruction, each jumping straight
    /// into the next; the default where the build has it) or portable (one match in a loop:
    /// what a build by a plain stable compiler has). Both run the same instructions with the
    /// same results; with --config or --vm, every machine uses it.
    #[arg(long, value_name = "threaded|portable", value_parser = parse_page_loop)]
    pub page_loop: Option<PageLoop>,

    /// At exit, print instructions retired, host seconds, MIPS, and the hit rates of the
    /// decoded-instruction cache and the TLB on stderr.
    #[arg(long)]
    pub stats: bool,

    /// Serve the GDB remote protocol on tcp::PORT (localhost) or tcp:HOST:PORT; port 0 picks a
    /// free one (printed on stderr). Each hart is a GDB thread. The machine pauses while GDB is
    /// attached and stopped. Use with -S to stop before the first instruction. Not with --config
    /// or --vm: there each machine has its own gdb=tcp::PORT field (and paused=on for -S).
    #[arg(long, value_name = "tcp::PORT")]
    pub gdb: Option<crate::debugger::GdbAddr>,

    /// Start paused: no instruction runs until a debugger (--gdb, --monitor) says continue.
    #[arg(short = 'S')]
    pub start_paused: bool,

    /// Serve the monitor (as Ctrl-A c on the console) on tcp:HOST:PORT or unix:PATH, one session
    /// per connection; port 0 picks a free one (printed on stderr). With --config or --vm, one
    /// monitor serves every machine: `info machines` lists them, `machine NAME` selects one.
    #[arg(long, value_name = "tcp:HOST:PORT|unix:PATH")]
    pub monitor: Option<crate::debugger::MonitorAddr>,

    /// Run several machines in one process, as the fleet file FILE describes: [[machine]] tables
    /// with name, kernel, initrd, append, memory, smp, disks, bios, console, elf,
    /// max_instructions, gdb (this machine's GDB port, "tcp::PORT"), paused (true: hold it
    /// before its first instruction) (see README.md).
    #[arg(long, value_name = "FILE", conflicts_with_all = SINGLE_MACHINE)]
    pub config: Option<PathBuf>,

    /// One of several machines in one process: name=NAME,kernel=IMAGE,disk=FILE[,snapshot=on],...
    /// with the fields of a fleet file, e.g. gdb=tcp::1234,paused=on to debug it (append= last:
    /// it takes the rest). Repeatable.
    #[arg(long, value_name = "SPEC", conflicts_with_all = SINGLE_MACHINE, conflicts_with = "config")]
    pub vm: Vec<String>,
}

/// The options of a single machine, which a fleet's machines set in their own specs.
const SINGLE_MACHINE: [&str; 12] = [
    "elf",
    "kernel",
    "initrd",
    "append",
    "bios",
    "disk",
    "smp",
    "memory",
    "dump_dtb",
    "max_instructions",
    "signature",
    "trace",
];

fn parse_page_loop(s: &str) -> Result<PageLoop, String> {
    match s {
        "threaded" => Ok(PageLoop::Threaded),
        "portable" => Ok(PageLoop::Portable),
        _ => Err("expected threaded or portable".into()),
    }
}

/// A `--disk FILE[,readonly]` argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskArg {
    /// The image file.
    pub path: PathBuf,
    /// Attach read-only.
    pub readonly: bool,
}

impl FromStr for DiskArg {
    type Err = String;

    fn from_str(text: &str) -> Result<DiskArg, String> {
        let (path, readonly) = match text.rsplit_once(',') {
            Some((path, "readonly" | "ro")) => (path, true),
            Some((_, option)) => {
                return Err(format!("unknown disk option '{option}' (only 'readonly')"))
            }
            None => (text, false),
        };
        if path.is_empty() {
            return Err("expected an image file name".into());
        }
        Ok(DiskArg {
            path: path.into(),
            readonly,
        })
    }
}

/// A `--memory` size in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemorySize(pub u64);

impl FromStr for MemorySize {
    type Err = String;

    /// Parses `1048576`, `64K`, `512M`, `2G` (suffixes are powers of 1024, either case).
    fn from_str(text: &str) -> Result<MemorySize, String> {
        let (digits, shift) = match text.char_indices().last() {
            Some((at, 'k' | 'K')) => (&text[..at], 10),
            Some((at, 'm' | 'M')) => (&text[..at], 20),
            Some((at, 'g' | 'G')) => (&text[..at], 30),
            Some((_, c)) if c.is_alphabetic() => {
                return Err(format!("unknown size suffix '{c}' (use K, M or G)"))
            }
            _ => (text, 0),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(
                "expected a number of bytes, optionally followed by K, M or G (like 512M)".into(),
            );
        }
        digits
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(1 << shift))
            .map(MemorySize)
            .ok_or_else(|| "too large".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn parses_memory_sizes() {
        assert_eq!("1048576".parse(), Ok(MemorySize(1 << 20)));
        assert_eq!("64k".parse(), Ok(MemorySize(64 << 10)));
        assert_eq!("512M".parse(), Ok(MemorySize(512 << 20)));
        assert_eq!("2G".parse(), Ok(MemorySize(2 << 30)));
        assert_eq!("0".parse(), Ok(MemorySize(0))); // refused later, by the RAM itself
        for bad in [
            "",
            "M",
            "5X",
            "-1",
            "1.5G",
            " 1G",
            "99999999999G",
            "99999999999999999999",
        ] {
            assert!(bad.parse::<MemorySize>().is_err(), "{bad:?}");
        }
        assert_eq!(
            "5X".parse::<MemorySize>().unwrap_err(),
            "unknown size suffix 'X' (use K, M or G)"
        );
    }

    #[test]
    fn parses_disks_and_linux_options() {
        let cli = Cli::try_parse_from([
            "emu",
            "--kernel",
            "Image",
            "--disk",
            "a.img",
            "--disk",
            "b.img,readonly",
            "--smp",
            "4",
        ])
        .unwrap();
        assert_eq!(
            cli.disk,
            vec![
                DiskArg {
                    path: "a.img".into(),
                    readonly: false
                },
                DiskArg {
                    path: "b.img".into(),
                    readonly: true
                },
            ]
        );
        assert_eq!((cli.smp, cli.bios.as_str(), cli.elf), (4, "builtin", None));
        assert!("x.img,rw".parse::<DiskArg>().is_err());
        assert!(Cli::try_parse_from(["emu", "--kernel", "Image", "--smp", "9"]).is_err());
        assert!(Cli::try_parse_from(["emu"]).is_err());
    }

    #[test]
    fn command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn trace_takes_an_optional_file() {
        let cli = Cli::try_parse_from(["emu", "--trace", "prog.elf"]).unwrap();
        assert_eq!(
            (cli.trace, cli.elf),
            (Some(None), Some(PathBuf::from("prog.elf")))
        );
        let cli = Cli::try_parse_from(["emu", "--trace=t.txt", "prog.elf"]).unwrap();
        assert_eq!(cli.trace, Some(Some(PathBuf::from("t.txt"))));
        let cli = Cli::try_parse_from(["emu", "prog.elf"]).unwrap();
        assert_eq!(
            (cli.trace, cli.memory, cli.signature_granularity),
            (None, MemorySize(512 << 20), Granularity::Word)
        );
    }
}
