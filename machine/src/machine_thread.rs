//! A machine on a host thread of its own, and a run that survives a panic of the emulator: how
//! several machines share one process, each on its own core, without one's failure ending the
//! others.

use crate::machine::{Control, Machine, RunOutcome};
use crate::Result;
use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;

/// How a machine's run ended.
#[derive(Debug)]
pub enum Ended {
    /// [`Machine::run`] returned: an outcome, or an error of the machine.
    Ran(Result<RunOutcome>),
    /// The emulator panicked while running the machine (a bug in emu), with this message. The
    /// machine is gone; the rest of the process, and other machines in it, are not.
    Panicked(String),
}

impl Ended {
    /// Whether the run ended the way a guest is meant to end: powered off, exited with code 0,
    /// stopped by the user, or at its instruction limit.
    pub fn is_success(&self) -> bool {
        matches!(
            self,
            Ended::Ran(Ok(RunOutcome::PowerOff
                | RunOutcome::Quit
                | RunOutcome::Exited(0)
                | RunOutcome::InstructionLimit(_)))
        )
    }
}

impl Machine {
    /// Runs like [`Machine::run`], but a panic while running this machine is caught and returned
    /// as [`Ended::Panicked`] instead of unwinding further (this needs the `unwind` panic
    /// strategy, the default). After a panic the machine's state is unknown: drop it.
    pub fn run_guarded(&mut self) -> Ended {
        match panic::catch_unwind(AssertUnwindSafe(|| self.run())) {
            Ok(result) => Ended::Ran(result),
            Err(payload) => Ended::Panicked(panic_message(payload.as_ref())),
        }
    }

    /// Moves the machine to a new host thread named `name` and runs it there with
    /// [`Machine::run_guarded`]; the returned handle controls it and collects how it ended.
    pub fn spawn(mut self, name: &str) -> std::io::Result<MachineThread> {
        let control = self.control();
        let handle = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || self.run_guarded())?;
        Ok(MachineThread {
            name: name.to_string(),
            control,
            handle,
        })
    }
}

/// The text of a panic's payload (`panic!` gives a `&str` or a `String`).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".into()
    }
}

/// A machine running on its own thread (see [`Machine::spawn`]).
pub struct MachineThread {
    name: String,
    control: Sender<Control>,
    handle: JoinHandle<Ended>,
}

impl MachineThread {
    /// The name it was spawned with (also its thread's name).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A handle to send it [`Control`] messages.
    pub fn control(&self) -> Sender<Control> {
        self.control.clone()
    }

    /// Types `bytes` on its console; false once the machine has ended.
    pub fn send_input(&self, bytes: &[u8]) -> bool {
        self.control.send(Control::Input(bytes.to_vec())).is_ok()
    }

    /// Whether its run has ended.
    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Waits for its run to end.
    pub fn join(self) -> Ended {
        self.handle
            .join()
            .unwrap_or_else(|payload| Ended::Panicked(panic_message(payload.as_ref())))
    }

    /// Stops it ([`Control::Quit`], served between two slices) and waits for it.
    pub fn stop(self) -> Ended {
        let _ = self.control.send(Control::Quit);
        self.join()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MachineConfig;
    use emu_firmware::memmap::DRAM_BASE;
    use emu_mmu::Bus;

    /// A machine that runs `code` from DRAM_BASE in M-mode, its console going to `console`.
    fn machine(code: &[u32], console: Box<dyn std::io::Write + Send>) -> Machine {
        let mut machine = Machine::new(MachineConfig {
            memory: 1 << 20,
            console,
            ..MachineConfig::default()
        })
        .unwrap();
        let bytes: Vec<u8> = code.iter().flat_map(|w| w.to_le_bytes()).collect();
        assert!(machine.bus.ram().write_bytes(DRAM_BASE, &bytes));
        machine.harts[0].pc = DRAM_BASE;
        machine
    }

    const J_SELF: u32 = 0x0000_006f;
    /// lui t0, 0x10000 (the UART); li t1, 'A'; sb t1, 0(t0); j .
    const PRINT_A: [u32; 4] = [0x1000_02b7, 0x0410_0313, 0x0062_8023, J_SELF];

    #[test]
    fn a_spawned_machine_runs_until_stopped() {
        let thread = machine(&[J_SELF], Box::new(std::io::sink()))
            .spawn("spin")
            .unwrap();
        assert_eq!(thread.name(), "spin");
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(!thread.is_finished());
        assert!(thread.send_input(b"x"));
        let ended = thread.stop();
        assert!(
            matches!(ended, Ended::Ran(Ok(RunOutcome::Quit))),
            "{ended:?}"
        );
        assert!(ended.is_success());
    }

    /// A console whose writes panic: an emulator bug in the middle of the run loop.
    struct Exploding;

    impl std::io::Write for Exploding {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            panic!("injected console fault")
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_panic_while_running_is_caught_and_others_go_on() {
        let crashing = machine(&PRINT_A, Box::new(Exploding))
            .spawn("crash")
            .unwrap();
        let spinning = machine(&[J_SELF], Box::new(std::io::sink()))
            .spawn("spin")
            .unwrap();
        let ended = crashing.join();
        match &ended {
            Ended::Panicked(message) => assert_eq!(message, "injected console fault"),
            other => panic!("{other:?}"),
        }
        assert!(!ended.is_success());
        assert!(!spinning.is_finished());
        assert!(matches!(spinning.stop(), Ended::Ran(Ok(RunOutcome::Quit))));
    }

    #[test]
    fn panic_messages() {
        assert_eq!(panic_message(&"text"), "text");
        assert_eq!(panic_message(&String::from("owned")), "owned");
        assert_eq!(panic_message(&3u8), "a panic without a message");
    }
}
