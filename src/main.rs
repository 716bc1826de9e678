//! `emu`: runs a RISC-V program on an emulated machine.
//!
//! This is the only place that turns errors into messages and exit statuses: every failure is
//! one line `emu: <problem>` on stderr (see `cli.rs` for the statuses).

mod cli;
mod console;
mod console_mux;
mod debugger;
mod fleet;
mod fleet_config;
mod gdb;
mod monitor;
mod signals;
mod unix_socket;

use clap::error::{ContextKind, ErrorKind};
use clap::Parser;
use cli::{Cli, EXIT_BAD_INPUT, EXIT_INSTRUCTION_LIMIT};
use emu_machine::{DiskConfig, LinuxBoot, Machine, MachineConfig, RunOutcome};
use std::error::Error as _;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Why emu could not do what it was asked.
#[derive(Debug, thiserror::Error)]
enum Failure {
    /// The machine refused the configuration or the program, or failed while running it.
    #[error(transparent)]
    Machine(#[from] emu_machine::Error),
    /// `--trace=FILE` could not be created.
    #[error("cannot create trace file {}: {source}", path.display())]
    TraceFile { path: PathBuf, source: io::Error },
    /// A file named on the command line could not be read.
    #[error("cannot read {what} {}: {source}", path.display())]
    ReadFile {
        what: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    /// `--dump-dtb FILE` could not be written.
    #[error("cannot write device tree {}: {source}", path.display())]
    DtbFile { path: PathBuf, source: io::Error },
    /// `--gdb` or `--monitor` could not listen where asked.
    #[error("cannot serve the debugger: {0}")]
    Debugger(io::Error),
    /// `--signature FILE` could not be written.
    #[error("cannot write signature file {}: {source}", path.display())]
    SignatureFile { path: PathBuf, source: io::Error },
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn"))
        .format(|out, record| {
            writeln!(
                out,
                "emu: {}: {}",
                record.level().as_str().to_lowercase(),
                record.args()
            )
        })
        .init();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if err.kind() == ErrorKind::ValueValidation => {
            fail(&value_error(&err));
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        Err(err) => match err.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => err.exit(),
            _ => {
                fail(&usage_error(&err));
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        },
    };
    // Signals (issue 9): SIGINT/SIGTERM/SIGHUP stop the machine cleanly (disks flushed).
    signals::install();
    match run(cli) {
        Ok(_) if signals::caught().is_some() => {
            let (name, status) = signals::caught().expect("a signal was caught");
            eprintln!("emu: stopped by {name}");
            ExitCode::from(status)
        }
        Ok(code) => code,
        Err(failure) => {
            fail(&failure.to_string());
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// Runs the program as the command line says; the exit status it earned.
fn run(cli: Cli) -> Result<ExitCode, Failure> {
    if let Some(page_loop) = cli.page_loop.filter(|l| !l.is_built()) {
        return Err(emu_machine::Error::PageLoopNotBuilt(page_loop).into());
    }
    if cli.config.is_some() || !cli.vm.is_empty() {
        return Ok(fleet::run(&cli));
    }
    let trace: Option<Box<dyn Write + Send>> = match &cli.trace {
        None => None,
        Some(None) => Some(Box::new(BufWriter::new(io::stderr()))),
        Some(Some(path)) => {
            let file = File::create(path).map_err(|source| Failure::TraceFile {
                path: path.clone(),
                source,
            })?;
            Some(Box::new(BufWriter::new(file)))
        }
    };
    if cli.kernel.is_some() {
        return run_linux(&cli, trace);
    }
    let elf = cli
        .elf
        .clone()
        .expect("clap requires an ELF without --kernel");
    let config = MachineConfig {
        memory: cli.memory.0,
        harts: cli.smp as usize,
        max_instructions: cli.max_instructions,
        trace,
        page_loop: cli.page_loop.unwrap_or_default(),
        ..MachineConfig::default()
    };
    let mut machine = Machine::new(config)?;
    let symbols = machine.load_elf_file(&elf)?.symbols;
    if cli.signature.is_some()
        && (symbols.begin_signature.is_none() || symbols.end_signature.is_none())
    {
        return Err(emu_machine::Error::NoSignature.into());
    }
    if symbols.tohost.is_none() && cli.max_instructions.is_none() {
        eprintln!(
            "emu: warning: {} has no tohost symbol, so it cannot report a result; stop it with Ctrl-C or use \
             --max-instructions",
            elf.display()
        );
    }

    let mut debuggers = debugger::Frontends::from_cli(&cli).map_err(Failure::Debugger)?;
    debuggers.attach(&mut machine);
    let started = std::time::Instant::now();
    signals::watch(machine.control());
    let outcome = machine.run()?;
    if cli.stats {
        print_stats(&machine, started.elapsed());
    }

    if let Some(path) = &cli.signature {
        let failure = |source| Failure::SignatureFile {
            path: path.clone(),
            source,
        };
        let mut file = File::create(path).map_err(failure)?;
        machine.write_signature(cli.signature_granularity, &mut file)?;
        file.sync_all().map_err(failure)?;
    }
    Ok(match outcome {
        RunOutcome::Exited(0) => ExitCode::SUCCESS,
        RunOutcome::Exited(code) => {
            let status = code.clamp(1, 255) as u8;
            eprintln!("emu: the program exited with code {code} (exit status {status})");
            ExitCode::from(status)
        }
        other => exit_status(other),
    })
}

/// Prints `--stats` for a machine that ran for `elapsed`.
fn print_stats(machine: &Machine, elapsed: std::time::Duration) {
    let mut total = emu_cpu::HartStats::default();
    for hart in machine.harts() {
        let s = hart.stats();
        total.instret += s.instret;
        total.decodes += s.decodes;
        total.tlb_hits += s.tlb_hits;
        total.tlb_misses += s.tlb_misses;
    }
    let secs = elapsed.as_secs_f64();
    let percent = |part: u64, whole: u64| {
        if whole == 0 {
            100.0
        } else {
            100.0 * part as f64 / whole as f64
        }
    };
    eprintln!(
        "emu: stats: {} instructions in {secs:.3} s ({:.1} MIPS); decoded-instruction cache hits {:.3}%; TLB hits {:.3}% ({} walks)",
        total.instret,
        total.instret as f64 / secs.max(1e-9) / 1e6,
        percent(total.instret.saturating_sub(total.decodes), total.instret),
        percent(total.tlb_hits, total.tlb_hits + total.tlb_misses),
        total.tlb_misses,
    );
}

/// The exit status of a run that did not end through HTIF.
fn exit_status(outcome: RunOutcome) -> ExitCode {
    match outcome {
        RunOutcome::Exited(0) | RunOutcome::PowerOff | RunOutcome::Quit => ExitCode::SUCCESS,
        RunOutcome::Exited(code) => ExitCode::from(code.clamp(1, 255) as u8),
        RunOutcome::Failed(code) => {
            eprintln!("emu: the guest reported failure {code} through the test finisher");
            ExitCode::from(code.clamp(1, 255) as u8)
        }
        RunOutcome::InstructionLimit(n) => {
            eprintln!("emu: stopped after {n} instructions (--max-instructions)");
            ExitCode::from(EXIT_INSTRUCTION_LIMIT)
        }
        RunOutcome::Reboot => ExitCode::SUCCESS,
    }
}

/// Reads the file `what` (kernel, initrd, firmware) for a guest, refusing one that is not a
/// regular file or larger than `limit` bytes (what it must fit in: `room`) before reading it.
fn read(
    what: &'static str,
    path: &std::path::Path,
    limit: u64,
    room: &str,
) -> Result<Vec<u8>, Failure> {
    emu_machine::read_guest_file(path, limit, room).map_err(|source| Failure::ReadFile {
        what,
        path: path.into(),
        source,
    })
}

/// Boots Linux (`--kernel`) on the console until the guest powers off or the user quits; a guest
/// reboot builds the machine again.
fn run_linux(cli: &Cli, mut trace: Option<Box<dyn Write + Send>>) -> Result<ExitCode, Failure> {
    let kernel_path = cli.kernel.as_ref().expect("run_linux needs --kernel");
    // The files must fit in the RAM: said of a RAM size that can be, or that is said first.
    emu_machine::check_memory(cli.memory.0)?;
    let ram = (cli.memory.0, "guest RAM (--memory)");
    let boot = LinuxBoot {
        kernel: read("kernel", kernel_path, ram.0, ram.1)?,
        initrd: cli
            .initrd
            .as_deref()
            .map(|p| read("initrd", p, ram.0, ram.1))
            .transpose()?,
        append: cli.append.clone().unwrap_or_else(|| {
            if cli.disk.is_empty() {
                "console=ttyS0".into()
            } else {
                "console=ttyS0 root=/dev/vda rw".into()
            }
        }),
        bios: match cli.bios.as_str() {
            "builtin" => None,
            path => Some(read(
                "firmware",
                std::path::Path::new(path),
                emu_machine::FIRMWARE_MAX,
                "room below the kernel",
            )?),
        },
    };
    let disks: Vec<DiskConfig> = cli
        .disk
        .iter()
        .map(|d| DiskConfig {
            path: d.path.clone(),
            readonly: d.readonly,
            snapshot: false,
        })
        .collect();
    let mut raw_mode = None;
    let mut input: Option<console::InputTarget> = None;
    let mut debuggers = debugger::Frontends::from_cli(cli).map_err(Failure::Debugger)?;
    // After a guest reboot, the disks of the machine that ended (still open, still locked).
    let mut carried_disks = Vec::new();
    loop {
        let config = MachineConfig {
            memory: cli.memory.0,
            harts: cli.smp as usize,
            max_instructions: cli.max_instructions,
            trace: trace.take(),
            disks: disks.clone(),
            carried_disks: std::mem::take(&mut carried_disks),
            page_loop: cli.page_loop.unwrap_or_default(),
            ..MachineConfig::default()
        };
        let mut machine = Machine::new(config)?;
        let dtb = machine.boot_linux(&boot)?;
        if let Some(path) = &cli.dump_dtb {
            std::fs::write(path, &dtb).map_err(|source| Failure::DtbFile {
                path: path.clone(),
                source,
            })?;
            return Ok(ExitCode::SUCCESS);
        }
        debuggers.attach(&mut machine);
        if raw_mode.is_none() {
            raw_mode = Some(console::RawMode::enable());
        }
        match &input {
            Some(target) => *target.lock().expect("input target lock") = machine.control(),
            None => {
                let target = std::sync::Arc::new(std::sync::Mutex::new(machine.control()));
                console::spawn_input(debugger::MonitoredInput {
                    target: target.clone(),
                    machines: debuggers.machines.clone(),
                });
                input = Some(target);
            }
        }
        let started = std::time::Instant::now();
        signals::watch(machine.control());
        let outcome = machine.run()?;
        if cli.stats {
            print_stats(&machine, started.elapsed());
        }
        match outcome {
            RunOutcome::Reboot => carried_disks = machine.into_disks(),
            outcome => {
                drop(raw_mode);
                return Ok(exit_status(outcome));
            }
        }
    }
}

/// One line for a bad option value, e.g. `invalid value '5X' for '--memory <SIZE>': unknown ...`.
fn value_error(err: &clap::Error) -> String {
    match (
        err.get(ContextKind::InvalidValue),
        err.get(ContextKind::InvalidArg),
        err.source(),
    ) {
        (Some(value), Some(arg), Some(reason)) => {
            format!("invalid value '{value}' for '{arg}': {reason}")
        }
        _ => err
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ")
            .to_string(),
    }
}

/// One line for any other command-line error (an unknown flag, a missing value or argument, a
/// value outside a fixed set, flags that do not go together): clap's message without its usage
/// block, its lines joined, e.g. `unexpected argument '--bogus' found (tip: a similar argument
/// exists: '--bios'); see emu --help`.
fn usage_error(err: &clap::Error) -> String {
    let text = err.to_string();
    let mut parts: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        if line.is_empty() {
            continue;
        }
        let line = line.trim_start_matches("error: ");
        match line.strip_prefix("tip: ") {
            Some(tip) => parts.push(format!("({tip})")),
            None => parts.push(line.to_string()),
        }
    }
    format!("{}; see emu --help", parts.join(" "))
}

/// Prints `emu: <problem>` on one line, whatever the problem's text contains.
fn fail(problem: &str) {
    eprintln!("emu: {}", problem.replace('\n', " "));
}
