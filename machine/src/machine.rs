//! The machine and its run loop.

use crate::bus::SystemBus;
use crate::htif::Htif;
use crate::signature::{self, Granularity};
use crate::{Error, Result};
use emu_cpu::{Exit, Hart};
use emu_firmware::{LoadedElf, Symbols};
use emu_mmu::{Bus, Ram, DRAM_BASE};
use std::io::Write;
use std::path::Path;

/// Guest RAM when the caller does not choose: 512 MiB.
pub const DEFAULT_MEMORY: u64 = 512 << 20;

/// Instructions the hart runs between two looks at the host side (HTIF mailbox, instruction
/// limit). Test programs spin after writing `tohost`, so a slice only delays the answer; 10 000
/// keeps that delay far below a millisecond while making the cost of looking negligible.
pub const SLICE: u64 = 10_000;

/// How to build a [`Machine`].
pub struct MachineConfig {
    /// Bytes of guest RAM, at [`DRAM_BASE`]. A non-zero multiple of 4 KiB.
    pub memory: u64,
    /// Stop once this many instructions have run.
    pub max_instructions: Option<u64>,
    /// Where to write one line per executed instruction, if anywhere.
    pub trace: Option<Box<dyn Write + Send>>,
}

impl Default for MachineConfig {
    fn default() -> MachineConfig {
        MachineConfig {
            memory: DEFAULT_MEMORY,
            max_instructions: None,
            trace: None,
        }
    }
}

/// Why [`Machine::run`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunOutcome {
    /// The program exited through HTIF with this code (0 is success, as for riscv-tests "pass").
    Exited(u64),
    /// The instruction limit of [`MachineConfig::max_instructions`] was reached.
    InstructionLimit(u64),
}

/// One hart, its bus, and the host side of the program it runs.
pub struct Machine {
    hart: Hart,
    bus: SystemBus,
    program: Option<LoadedElf>,
    htif: Option<Htif>,
    max_instructions: Option<u64>,
    trace: Option<Box<dyn Write + Send>>,
    /// Instructions run so far, counted by the run loop (the guest may rewrite `minstret`).
    executed: u64,
}

impl Machine {
    /// A machine with its RAM allocated and its hart at reset.
    pub fn new(config: MachineConfig) -> Result<Machine> {
        let ram = Ram::new(DRAM_BASE, config.memory)?;
        Ok(Machine {
            hart: Hart::new(0),
            bus: SystemBus::new(ram),
            program: None,
            htif: None,
            max_instructions: config.max_instructions,
            trace: config.trace,
            executed: 0,
        })
    }

    /// Loads the RV64 ELF program `bytes` and points the hart at its entry.
    pub fn load_elf(&mut self, bytes: &[u8]) -> Result<&LoadedElf> {
        let loaded = emu_firmware::load_elf(bytes, self.bus.ram())?;
        Ok(self.start(loaded))
    }

    /// Reads and loads the RV64 ELF program at `path`; errors name the file.
    pub fn load_elf_file(&mut self, path: impl AsRef<Path>) -> Result<&LoadedElf> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| Error::ReadProgram {
            path: path.into(),
            source,
        })?;
        let loaded = emu_firmware::load_elf(&bytes, self.bus.ram()).map_err(|source| {
            Error::LoadProgram {
                path: path.into(),
                source,
            }
        })?;
        Ok(self.start(loaded))
    }

    fn start(&mut self, loaded: LoadedElf) -> &LoadedElf {
        self.hart.pc = loaded.entry;
        // A program without `tohost` cannot talk to the host: no HTIF then.
        let Symbols {
            tohost, fromhost, ..
        } = loaded.symbols;
        self.htif = tohost.map(|tohost| {
            Htif::new(
                tohost,
                fromhost,
                Box::new(std::io::stdout()),
                Box::new(std::io::stderr()),
            )
        });
        self.program.insert(loaded)
    }

    /// The loaded program, if any.
    pub fn program(&self) -> Option<&LoadedElf> {
        self.program.as_ref()
    }

    /// Runs until the program exits through HTIF or the instruction limit is reached.
    ///
    /// A program without a `tohost` symbol cannot exit: only the limit stops it.
    pub fn run(&mut self) -> Result<RunOutcome> {
        let outcome = self.run_slices();
        if let Some(trace) = &mut self.trace {
            trace.flush().map_err(Error::Trace)?;
        }
        outcome
    }

    fn run_slices(&mut self) -> Result<RunOutcome> {
        loop {
            if let Some(htif) = &mut self.htif {
                if let Some(code) = htif.poll(self.bus.ram())? {
                    return Ok(RunOutcome::Exited(code));
                }
            }
            let budget = match self.max_instructions {
                Some(max) if self.executed >= max => return Ok(RunOutcome::InstructionLimit(max)),
                Some(max) => SLICE.min(max - self.executed),
                None => SLICE,
            };
            let before = self.hart.instret();
            let exit = match &mut self.trace {
                Some(trace) => self
                    .hart
                    .run_traced(&mut self.bus, budget, trace)
                    .map_err(Error::Trace)?,
                None => self.hart.run(&mut self.bus, budget),
            };
            self.executed += match exit {
                Exit::Budget => budget,
                // WFI is a hint until there are interrupts to wait for: go on after it. Count at
                // least the WFI itself, so a WFI loop still reaches the instruction limit.
                Exit::Wfi | Exit::SbiCall => {
                    self.hart.instret().wrapping_sub(before).clamp(1, budget)
                }
            };
        }
    }

    /// Instructions run so far.
    pub fn instructions(&self) -> u64 {
        self.executed
    }

    /// The hart (a single one for now).
    pub fn hart(&self) -> &Hart {
        &self.hart
    }

    /// Guest RAM.
    pub fn ram(&self) -> &Ram {
        self.bus.ram_ref()
    }

    /// Writes the program's test signature (`begin_signature`..`end_signature`) to `out`.
    pub fn write_signature(&self, granularity: Granularity, out: &mut dyn Write) -> Result<()> {
        let symbols = self.program.as_ref().map(|p| p.symbols).unwrap_or_default();
        let (Some(begin), Some(end)) = (symbols.begin_signature, symbols.end_signature) else {
            return Err(Error::NoSignature);
        };
        signature::write_signature(self.ram(), begin, end, granularity, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<Machine>();
    }

    /// A symbol-less ELF whose one segment, at DRAM_BASE, holds `code`.
    fn elf(code: &[u32]) -> Vec<u8> {
        let mut elf = vec![0u8; 120];
        elf[..8].copy_from_slice(b"\x7fELF\x02\x01\x01\x00");
        elf[16..18].copy_from_slice(&2u16.to_le_bytes()); // ET_EXEC
        elf[18..20].copy_from_slice(&243u16.to_le_bytes()); // EM_RISCV
        elf[24..32].copy_from_slice(&DRAM_BASE.to_le_bytes());
        elf[32..40].copy_from_slice(&64u64.to_le_bytes()); // e_phoff
        elf[54..56].copy_from_slice(&56u16.to_le_bytes());
        elf[56..58].copy_from_slice(&1u16.to_le_bytes());
        let size = 4 * code.len() as u64;
        elf[64..68].copy_from_slice(&1u32.to_le_bytes()); // PT_LOAD
        elf[72..80].copy_from_slice(&120u64.to_le_bytes());
        elf[88..96].copy_from_slice(&DRAM_BASE.to_le_bytes());
        elf[96..104].copy_from_slice(&size.to_le_bytes());
        elf[104..112].copy_from_slice(&size.to_le_bytes());
        elf.extend(code.iter().flat_map(|w| w.to_le_bytes()));
        elf
    }

    fn run(code: &[u32], max_instructions: u64) -> (RunOutcome, Machine) {
        let config = MachineConfig {
            memory: 1 << 20,
            max_instructions: Some(max_instructions),
            trace: None,
        };
        let mut machine = Machine::new(config).unwrap();
        assert_eq!(machine.load_elf(&elf(code)).unwrap().entry, DRAM_BASE);
        assert_eq!(machine.hart().pc, DRAM_BASE);
        (machine.run().unwrap(), machine)
    }

    #[test]
    fn stops_at_the_instruction_limit() {
        const J_SELF: u32 = 0x0000_006f; // j .
        let (outcome, machine) = run(&[J_SELF], 3 * SLICE + 5);
        assert_eq!(outcome, RunOutcome::InstructionLimit(3 * SLICE + 5));
        assert_eq!(machine.instructions(), 3 * SLICE + 5);
        assert_eq!(machine.hart().instret(), 3 * SLICE + 5);
    }

    #[test]
    fn a_wfi_loop_goes_on_and_still_reaches_the_limit() {
        const WFI: u32 = 0x1050_0073;
        const J_BACK: u32 = 0xffdf_f06f; // j .-4
        let (outcome, machine) = run(&[WFI, J_BACK], 1001);
        assert_eq!(outcome, RunOutcome::InstructionLimit(1001));
        assert_eq!(machine.instructions(), 1001);
    }

    #[test]
    fn refuses_bad_memory_sizes() {
        for memory in [0, 100, 1 << 50] {
            let config = MachineConfig {
                memory,
                ..MachineConfig::default()
            };
            assert!(
                matches!(Machine::new(config), Err(Error::Memory(_))),
                "{memory}"
            );
        }
    }
}
