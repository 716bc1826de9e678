//! The machine and its run loop.
//!
//! A machine owns its harts, bus and devices. `run` executes the harts round-robin on the calling
//! thread, one slice each, and between slices does the host's side: control messages (console
//! input, quit), the HTIF mailbox, SBI calls, device interrupt lines, and sleeping while every hart
//! waits in WFI.

use crate::bus::SystemBus;
use crate::console::Console;
use crate::htif::Htif;
use crate::memmap::{self, DRAM_BASE};
use crate::sbi::HartState;
use crate::signature::{self, Granularity};
use crate::{Error, Result};
use emu_cpu::{Exit, Hart, PageLoop};
use emu_devices::FinisherEvent;
use emu_firmware::{LoadedElf, Symbols};
use emu_mmu::{Bus, Ram};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// Guest RAM when the caller does not choose: 512 MiB.
pub const DEFAULT_MEMORY: u64 = 512 << 20;

/// Instructions a hart runs between two looks at the host side (HTIF mailbox, control messages,
/// interrupt lines, instruction limit). 10 000 instructions are well under a millisecond, so
/// device interrupts and timers are seen promptly, while the cost of looking stays negligible.
pub const SLICE: u64 = 10_000;

/// Most harts a machine can have.
pub const MAX_HARTS: usize = 8;

/// The `riscv,isa` string the device tree gives every hart.
pub const ISA: &str = "rv64imafdc_zicsr_zifencei_zba_zbb_zbs_sstc";

/// A disk to attach, in virtio-mmio slot order.
#[derive(Clone, Debug)]
pub struct DiskConfig {
    /// Raw image file.
    pub path: PathBuf,
    /// Attach read-only (the guest sees VIRTIO_BLK_F_RO; the file is opened read-only).
    pub readonly: bool,
    /// Copy-on-write (`snapshot=on`): the image is opened read-only and never modified; the
    /// guest's writes go to a private overlay that is thrown away with the machine. Several
    /// machines can share one image this way. `readonly` wins over it.
    pub snapshot: bool,
}

/// How to build a [`Machine`].
pub struct MachineConfig {
    /// Bytes of guest RAM, at [`DRAM_BASE`]. A non-zero multiple of 4 KiB.
    pub memory: u64,
    /// Number of harts, 1..=[`MAX_HARTS`].
    pub harts: usize,
    /// Stop once this many instructions have run (over all harts).
    pub max_instructions: Option<u64>,
    /// Where to write one line per executed instruction, if anywhere.
    pub trace: Option<Box<dyn Write + Send>>,
    /// Where the console (UART and SBI console) output goes.
    pub console: Box<dyn Write + Send>,
    /// Disks, attached to virtio-mmio slots 0, 1, ... (/dev/vda, /dev/vdb, ...).
    pub disks: Vec<DiskConfig>,
    /// The open disks of the machine this one replaces after a guest reboot
    /// ([`Machine::into_disks`], in the order of `disks`): they are used instead of opening the
    /// files again, so a `snapshot` disk keeps what the guest wrote to its overlay (as QEMU's
    /// snapshot does until the process ends) and a writable disk's lock is never let go.
    pub carried_disks: Vec<emu_devices::Backend>,
    /// The interpreter's page loop for every hart: by default the fastest this build has.
    pub page_loop: PageLoop,
}

impl Default for MachineConfig {
    fn default() -> MachineConfig {
        MachineConfig {
            memory: DEFAULT_MEMORY,
            harts: 1,
            max_instructions: None,
            trace: None,
            console: Box::new(std::io::stdout()),
            disks: Vec::new(),
            carried_disks: Vec::new(),
            page_loop: PageLoop::default(),
        }
    }
}

/// What to boot with [`Machine::boot_linux`].
#[derive(Clone, Debug, Default)]
pub struct LinuxBoot {
    /// The kernel: a RISC-V Linux `Image` (or an ELF).
    pub kernel: Vec<u8>,
    /// An initrd / initramfs image.
    pub initrd: Option<Vec<u8>>,
    /// Kernel command line.
    pub append: String,
    /// An external M-mode firmware (e.g. OpenSBI `fw_dynamic.bin`, raw or ELF); `None` for the
    /// built-in SBI.
    pub bios: Option<Vec<u8>>,
}

/// Why [`Machine::run`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunOutcome {
    /// The program exited through HTIF with this code (0 is success, as for riscv-tests "pass").
    Exited(u64),
    /// The instruction limit of [`MachineConfig::max_instructions`] was reached.
    InstructionLimit(u64),
    /// The guest powered the machine off (test finisher or SBI system reset).
    PowerOff,
    /// The guest reported failure through the test finisher, with this code.
    Failed(u16),
    /// The guest asked for a reboot: build and boot the machine again.
    Reboot,
    /// The user asked to quit (Ctrl-A x), through [`Control::Quit`].
    Quit,
}

/// Messages to a running machine, served between slices.
#[derive(Clone, Debug)]
pub enum Control {
    /// Bytes typed on the console, for the UART.
    Input(Vec<u8>),
    /// Stop the machine; [`Machine::run`] returns [`RunOutcome::Quit`].
    Quit,
    /// A debugger's request (the monitor, the GDB stub: see [`crate::DebugHub`]).
    Debug(crate::debug::Request),
}

/// Harts, their bus, and the host side of what they run.
pub struct Machine {
    pub(crate) harts: Vec<Hart>,
    /// HSM state of each hart.
    pub(crate) states: Vec<HartState>,
    /// The hart waits in WFI until an interrupt is pending.
    pub(crate) waiting: Vec<bool>,
    pub(crate) bus: SystemBus,
    pub(crate) console: Console,
    program: Option<LoadedElf>,
    htif: Option<Htif>,
    max_instructions: Option<u64>,
    pub(crate) trace: Option<Box<dyn Write + Send>>,
    /// Instructions run so far, counted by the run loop (the guest may rewrite `minstret`).
    pub(crate) executed: u64,
    pub(crate) control: Receiver<Control>,
    /// Breakpoints, watchpoints, pause and step state of attached debuggers (debug.rs).
    pub(crate) debug: crate::debug::DebugState,
    control_sender: Sender<Control>,
}

/// Whether `memory` bytes can be a machine's RAM (what [`Machine::new`] checks first): for a caller
/// that reads guest files no larger than the RAM before it builds the machine.
pub fn check_memory(memory: u64) -> Result<()> {
    Ok(Ram::check_size(memory)?)
}

impl Machine {
    /// A machine with its RAM allocated, devices in place, disks opened, harts at reset.
    pub fn new(config: MachineConfig) -> Result<Machine> {
        if config.harts == 0 || config.harts > MAX_HARTS {
            return Err(Error::Harts(config.harts));
        }
        if !config.page_loop.is_built() {
            return Err(Error::PageLoopNotBuilt(config.page_loop));
        }
        let ram = Ram::new(DRAM_BASE, config.memory)?;
        let console = Console::new(config.console);
        let mut bus = SystemBus::new(ram, config.harts, Box::new(console.clone()));
        if config.disks.len() as u64 > memmap::VIRTIO_COUNT {
            return Err(Error::TooManyDisks(config.disks.len()));
        }
        let mut carried = config.carried_disks.into_iter();
        for disk in &config.disks {
            if let Some(backend) = carried.next() {
                bus.virtio
                    .push(emu_devices::VirtioMmio::new(emu_devices::VirtioBlk::new(
                        backend,
                    )));
                continue;
            }
            let opened: emu_devices::Backend = if disk.snapshot && !disk.readonly {
                emu_devices::Overlay::open(&disk.path).map(Into::into)
            } else {
                emu_devices::Disk::open(&disk.path, disk.readonly).map(Into::into)
            }
            .map_err(|source| Error::Disk {
                path: disk.path.clone(),
                source,
            })?;
            bus.virtio
                .push(emu_devices::VirtioMmio::new(emu_devices::VirtioBlk::new(
                    opened,
                )));
        }
        let (control_sender, control) = channel();
        Ok(Machine {
            harts: (0..config.harts as u64)
                .map(|id| {
                    let mut hart = Hart::new(id);
                    hart.set_page_loop(config.page_loop);
                    hart
                })
                .collect(),
            states: vec![HartState::Started; config.harts],
            waiting: vec![false; config.harts],
            bus,
            console,
            program: None,
            htif: None,
            max_instructions: config.max_instructions,
            trace: config.trace,
            executed: 0,
            control,
            debug: Default::default(),
            control_sender,
        })
    }

    /// Ends the machine, keeping its disks open for the machine that replaces it after a guest
    /// reboot ([`MachineConfig::carried_disks`]).
    pub fn into_disks(self) -> Vec<emu_devices::Backend> {
        self.bus
            .virtio
            .into_iter()
            .map(|slot| slot.into_device().into_backend())
            .collect()
    }

    /// A handle to send [`Control`] messages to this machine from another thread.
    pub fn control(&self) -> Sender<Control> {
        self.control_sender.clone()
    }

    /// Loads the RV64 ELF program `bytes` and points every hart at its entry, in M-mode, with a0 =
    /// its hart ID (as Spike does).
    pub fn load_elf(&mut self, bytes: &[u8]) -> Result<&LoadedElf> {
        let loaded = emu_firmware::load_elf(bytes, self.bus.ram())?;
        Ok(self.start(loaded))
    }

    /// Reads and loads the RV64 ELF program at `path`; errors name the file.
    pub fn load_elf_file(&mut self, path: impl AsRef<Path>) -> Result<&LoadedElf> {
        let path = path.as_ref();
        // A program's file holds more than what it loads (symbols, debug information): only
        // files that are not regular ones are refused before reading.
        let bytes =
            crate::read_guest_file(path, u64::MAX, "").map_err(|source| Error::ReadProgram {
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
        // Every hart starts at the entry with a0 = its hart ID, as Spike's reset vector sends
        // them (`spike -p N`): multi-hart test programs park or pick harts by mhartid.
        for hart in &mut self.harts {
            hart.pc = loaded.entry;
            hart.x[10] = hart.hartid();
        }
        self.states.fill(HartState::Started);
        // A program without `tohost` cannot talk to the host: no HTIF then.
        let Symbols {
            tohost, fromhost, ..
        } = loaded.symbols;
        self.htif = tohost.map(|tohost| {
            Htif::new(
                tohost,
                fromhost,
                // The console (stdout unless the caller chose), so a machine of a fleet prints
                // where its console goes.
                Box::new(self.console.clone()),
                Box::new(std::io::stderr()),
            )
        });
        self.program.insert(loaded)
    }

    /// The device tree this machine describes itself with, for `cmdline` and an initrd range.
    pub fn device_tree(&self, bootargs: &str, initrd: Option<(u64, u64)>) -> Result<Vec<u8>> {
        let config = emu_firmware::FdtConfig {
            harts: self.harts.len() as u32,
            memory_size: self.bus.ram_ref().size(),
            isa: ISA.into(),
            bootargs: bootargs.into(),
            initrd,
        };
        emu_firmware::build_fdt(&config).map_err(|e| Error::DeviceTree(e.to_string()))
    }

    /// Loads a kernel (and initrd, and firmware) as QEMU's virt board does, and sets the harts up
    /// to boot it: with the built-in SBI, hart 0 starts in S-mode at the kernel's entry and the
    /// others wait for an HSM `hart_start`; with an external firmware every hart starts in M-mode
    /// at the reset ROM. Returns the device tree it generated.
    pub fn boot_linux(&mut self, boot: &LinuxBoot) -> Result<Vec<u8>> {
        let ram_end = DRAM_BASE + self.bus.ram_ref().size();
        // The firmware (if any) at the start of RAM; the kernel at the next 2 MiB boundary.
        let kernel_entry = if emu_firmware::is_image(&boot.kernel) {
            if let Some(bios) = &boot.bios {
                self.load_firmware(bios)?;
            }
            emu_firmware::load_image(&boot.kernel, self.bus.ram())
                .map_err(Error::Kernel)?
                .entry
        } else {
            let loaded = emu_firmware::load_elf(&boot.kernel, self.bus.ram()).map_err(|e| {
                // Not an ELF either: say that it is neither kind of kernel.
                Error::Kernel(match e {
                    emu_firmware::Error::NotElf => emu_firmware::Error::NotImage,
                    e => e,
                })
            })?;
            if let Some(bios) = &boot.bios {
                self.load_firmware(bios)?;
            }
            loaded.entry
        };
        let memory = self.bus.ram_ref().size();
        let initrd = match &boot.initrd {
            None => None,
            Some(bytes) => {
                // As QEMU: half of RAM above the kernel, at most 128 MiB above it.
                let start = (kernel_entry + (memory / 2).min(128 << 20)) & !0xfff;
                let end = start + bytes.len() as u64;
                if end > ram_end || !self.bus.ram().write_bytes(start, bytes) {
                    return Err(Error::InitrdTooBig {
                        size: bytes.len() as u64,
                        memory,
                    });
                }
                Some((start, end))
            }
        };
        let fdt = self.device_tree(&boot.append, initrd)?;
        // The device tree at the end of RAM, 2 MiB aligned (as QEMU: below 3 GiB).
        let fdt_addr = (ram_end.min(DRAM_BASE + (3 << 30)) - fdt.len() as u64) & !((2 << 20) - 1);
        if initrd.is_some_and(|(_, end)| end > fdt_addr) || fdt_addr < kernel_entry {
            return Err(Error::InitrdTooBig {
                size: boot.initrd.as_ref().map_or(0, |i| i.len() as u64),
                memory,
            });
        }
        self.bus.ram().write_bytes(fdt_addr, &fdt);
        if boot.bios.is_some() {
            self.bus.rom = emu_firmware::reset_rom(DRAM_BASE, fdt_addr, kernel_entry);
            for hart in &mut self.harts {
                hart.pc = memmap::MROM.base;
            }
        } else {
            self.harts[0].enter_supervisor(kernel_entry, fdt_addr);
            for (hart, state) in self.harts.iter_mut().zip(&mut self.states).skip(1) {
                hart.host_firmware = true;
                *state = HartState::Stopped;
            }
        }
        Ok(fdt)
    }

    fn load_firmware(&mut self, bios: &[u8]) -> Result<()> {
        if bios.starts_with(b"\x7fELF") {
            emu_firmware::load_elf(bios, self.bus.ram()).map_err(Error::Firmware)?;
        } else if bios.len() as u64 > crate::FIRMWARE_MAX
            || !self.bus.ram().write_bytes(DRAM_BASE, bios)
        {
            return Err(Error::FirmwareTooBig(bios.len() as u64));
        }
        Ok(())
    }

    /// The loaded program, if any.
    pub fn program(&self) -> Option<&LoadedElf> {
        self.program.as_ref()
    }

    /// Runs until the program exits, the guest powers off or reboots, the instruction limit is
    /// reached, or [`Control::Quit`] arrives.
    ///
    /// A bare-metal program without a `tohost` symbol cannot exit: only the limit stops it.
    pub fn run(&mut self) -> Result<RunOutcome> {
        let outcome = self.run_slices();
        if let Some(trace) = &mut self.trace {
            trace.flush().map_err(Error::Trace)?;
        }
        self.console.flush();
        self.debug_finish(&outcome);
        outcome
    }

    fn run_slices(&mut self) -> Result<RunOutcome> {
        loop {
            if let Some(outcome) = self.host_side(Duration::ZERO)? {
                return Ok(outcome);
            }
            if self.debug.active() {
                if let Some(outcome) = self.debug_turn()? {
                    return Ok(outcome);
                }
            }
            let budget = match self.max_instructions {
                Some(max) if self.executed >= max => return Ok(RunOutcome::InstructionLimit(max)),
                Some(max) => SLICE.min(max - self.executed),
                None => SLICE,
            };
            let mut ran = false;
            for h in 0..self.harts.len() {
                if self.states[h] != HartState::Started || self.waiting[h] {
                    continue;
                }
                ran = true;
                let hart = &mut self.harts[h];
                let before = hart.instret();
                let exit = match &mut self.trace {
                    Some(trace) => hart
                        .run_traced(&mut self.bus, budget, trace)
                        .map_err(Error::Trace)?,
                    None => hart.run(&mut self.bus, budget),
                };
                self.executed += match exit {
                    Exit::Budget => budget,
                    // Count at least one, so a loop of traps or WFIs still reaches the limit
                    // (and so do debugger stops).
                    _ => self.harts[h]
                        .instret()
                        .wrapping_sub(before)
                        .clamp(1, budget),
                };
                match exit {
                    Exit::Budget => {}
                    // A WFI with no interrupt enabled can never be woken: it is a no-op.
                    Exit::Wfi => self.waiting[h] = self.harts[h].wfi_can_wake(),
                    Exit::SbiCall => {
                        if let Some(outcome) = self.sbi_call(h) {
                            return Ok(outcome);
                        }
                    }
                    Exit::Breakpoint | Exit::Watchpoint => {}
                }
                self.debug.count_exit(exit);
                // A debugger's breakpoint or watchpoint: the machine pauses (debug.rs).
                if exit == Exit::Breakpoint || self.bus.ram_ref().watch_hit() {
                    self.debug_stopped(h);
                    break;
                }
                if self.bus.device_written {
                    self.update_interrupts();
                }
            }
            if !ran {
                // Every running hart waits for an interrupt: sleep until the next timer
                // deadline or a control message.
                let timeout = self.sleep_time();
                if let Some(outcome) = self.host_side(timeout)? {
                    return Ok(outcome);
                }
            }
        }
    }

    /// The host's side of the machine, between slices: control messages (waiting up to `wait`
    /// for one), HTIF, the test finisher, and interrupt lines.
    pub(crate) fn host_side(&mut self, wait: Duration) -> Result<Option<RunOutcome>> {
        let message = if wait.is_zero() {
            self.control.try_recv().ok()
        } else {
            match self.control.recv_timeout(wait) {
                Ok(m) => Some(m),
                Err(RecvTimeoutError::Timeout) => None,
                // The sender lives in `self`, so this cannot happen.
                Err(RecvTimeoutError::Disconnected) => None,
            }
        };
        // The first message (if any), then whatever else is queued, without waiting again.
        let mut next = message;
        while let Some(message) = next {
            match message {
                Control::Input(bytes) => self.bus.uart.push_input(&bytes),
                Control::Quit => return Ok(Some(RunOutcome::Quit)),
                Control::Debug(request) => {
                    if let Some(outcome) = self.serve_debug(request) {
                        return Ok(Some(outcome));
                    }
                }
            }
            next = self.control.try_recv().ok();
        }
        if let Some(htif) = &mut self.htif {
            if let Some(code) = htif.poll(self.bus.ram())? {
                return Ok(Some(RunOutcome::Exited(code)));
            }
        }
        match self.bus.finisher.take_event() {
            Some(FinisherEvent::PowerOff) => return Ok(Some(RunOutcome::PowerOff)),
            Some(FinisherEvent::Fail(code)) => return Ok(Some(RunOutcome::Failed(code))),
            Some(FinisherEvent::Reset) => return Ok(Some(RunOutcome::Reboot)),
            None => {}
        }
        self.update_interrupts();
        Ok(None)
    }

    /// Drives every hart's MSIP, MTIP, MEIP and SEIP from the CLINT and the PLIC, and wakes the
    /// harts that have something pending.
    pub(crate) fn update_interrupts(&mut self) {
        self.bus.device_written = false;
        let now = self.bus.time();
        let bus = &mut self.bus;
        bus.plic.set_level(memmap::UART0_IRQ, bus.uart.irq());
        bus.plic.set_level(memmap::RTC_IRQ, bus.rtc.irq());
        for (slot, dev) in bus.virtio.iter().enumerate() {
            bus.plic
                .set_level(memmap::VIRTIO_IRQ + slot as u32, dev.irq());
        }
        for (h, hart) in self.harts.iter_mut().enumerate() {
            hart.set_irq_line(3, bus.clint.msip(h));
            hart.set_irq_line(7, bus.clint.mtip(h, now));
            hart.set_irq_line(11, bus.plic.context_irq(2 * h));
            hart.set_irq_line(9, bus.plic.context_irq(2 * h + 1));
            if self.waiting[h]
                && (hart.wakeup_pending() || hart.sstc_deadline().is_some_and(|d| d <= now))
            {
                self.waiting[h] = false;
            }
        }
    }

    /// How long every hart may sleep in WFI: until the earliest timer deadline, at most 100 ms
    /// (control messages wake the machine earlier).
    fn sleep_time(&self) -> Duration {
        let now = Instant::now();
        let mut until = now + Duration::from_millis(100);
        for (h, hart) in self.harts.iter().enumerate() {
            if self.states[h] != HartState::Started {
                continue;
            }
            let deadline = hart
                .sstc_deadline()
                .unwrap_or(u64::MAX)
                .min(self.bus.clint.next_deadline(h));
            if deadline != u64::MAX {
                until = until.min(self.bus.instant_of(deadline));
            }
        }
        until
            .saturating_duration_since(now)
            .max(Duration::from_micros(1))
    }

    /// Instructions run so far.
    pub fn instructions(&self) -> u64 {
        self.executed
    }

    /// Hart 0.
    pub fn hart(&self) -> &Hart {
        &self.harts[0]
    }

    /// All harts.
    pub fn harts(&self) -> &[Hart] {
        &self.harts
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
            ..MachineConfig::default()
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
