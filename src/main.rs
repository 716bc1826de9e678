//! `emu`: runs a RISC-V program on an emulated machine.
//!
//! This is the only place that turns errors into messages and exit statuses: every failure is
//! one line `emu: <problem>` on stderr (see `cli.rs` for the statuses).

mod cli;

use clap::error::{ContextKind, ErrorKind};
use clap::Parser;
use cli::{Cli, EXIT_BAD_INPUT, EXIT_INSTRUCTION_LIMIT};
use emu_machine::{Machine, MachineConfig, RunOutcome};
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
        Err(err) => err.exit(),
    };
    match run(cli) {
        Ok(code) => code,
        Err(failure) => {
            fail(&failure.to_string());
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// Runs the program as the command line says; the exit status it earned.
fn run(cli: Cli) -> Result<ExitCode, Failure> {
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
    let config = MachineConfig {
        memory: cli.memory.0,
        max_instructions: cli.max_instructions,
        trace,
    };
    let mut machine = Machine::new(config)?;
    let symbols = machine.load_elf_file(&cli.elf)?.symbols;
    if cli.signature.is_some()
        && (symbols.begin_signature.is_none() || symbols.end_signature.is_none())
    {
        return Err(emu_machine::Error::NoSignature.into());
    }
    if symbols.tohost.is_none() && cli.max_instructions.is_none() {
        eprintln!(
            "emu: warning: {} has no tohost symbol, so it cannot report a result; stop it with Ctrl-C or use \
             --max-instructions",
            cli.elf.display()
        );
    }

    let outcome = machine.run()?;

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
        RunOutcome::InstructionLimit(n) => {
            eprintln!("emu: stopped after {n} instructions (--max-instructions)");
            ExitCode::from(EXIT_INSTRUCTION_LIMIT)
        }
    })
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

/// Prints `emu: <problem>` on one line, whatever the problem's text contains.
fn fail(problem: &str) {
    eprintln!("emu: {}", problem.replace('\n', " "));
}
