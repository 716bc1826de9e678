//! HTIF, the host-target interface of Spike's front-end server (`fesvr`), through which the
//! riscv-tests and riscv-arch-test programs report their result and print.
//!
//! The guest writes a command to the 64-bit word at its `tohost` symbol and, for commands that
//! answer, waits for a nonzero `fromhost`. The host polls `tohost` between run slices, as Spike's
//! `htif_t::run` loop does: read it, clear it, handle the command, then deliver the oldest queued
//! response once the guest has consumed the previous one (`fromhost` is zero again).
//!
//! Command word: device = bits 63:56, command = 55:48, payload = 47:0.
//! - device 0 (`syscall_t`), command 0: an odd payload ends the run with exit code `payload >> 1`;
//!   an even payload is the address of `magic_mem`, eight u64 words `[number, arg0, arg1, ...]`.
//!   The result goes back into `magic_mem[0]` and the response is 1. Supported: `write` to fd 1
//!   (stdout) and fd 2 (stderr; Spike sends both to stdout) and `exit`; others fail with ENOSYS.
//! - device 1 (`bcd_t`, the console): command 1 writes the payload's low byte to stdout (Spike
//!   sends no response); command 0 reads a character, answered with `0x100 | ch` once one is
//!   available (emu has no console input yet, so it is never answered and the guest sees none).
//! - anything else goes to Spike's null device: ignored.

use crate::{Error, Result};
use emu_mmu::Ram;
use std::collections::VecDeque;
use std::io::Write;

/// `SYS_write`, the Linux/newlib number the proxy syscall table uses (fesvr `syscall.cc`).
const SYS_WRITE: u64 = 64;
/// `SYS_exit`.
const SYS_EXIT: u64 = 93;
/// Linux errno values, returned negated as the syscall result.
const EIO: i64 = 5;
const EBADF: i64 = 9;
const EFAULT: i64 = 14;
const ENOSYS: i64 = 38;

/// A `tohost` word decoded into what the guest asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Command {
    /// Device 0, odd payload: the test is over.
    Exit(u64),
    /// Device 0, even payload: a proxied system call described at this address.
    Syscall(u64),
    /// Device 1 command 1: print one byte.
    Putchar(u8),
    /// Device 1 command 0: read one byte.
    Getchar,
    /// Any other device or command (Spike's null handlers).
    Ignored,
}

impl From<u64> for Command {
    fn from(word: u64) -> Command {
        let payload = word & ((1 << 48) - 1);
        match (word >> 56, (word >> 48) & 0xff) {
            (0, 0) if payload & 1 == 1 => Command::Exit(payload >> 1),
            (0, 0) => Command::Syscall(payload),
            (1, 1) => Command::Putchar(payload as u8),
            (1, 0) => Command::Getchar,
            _ => Command::Ignored,
        }
    }
}

/// Host side of HTIF for one machine.
pub(crate) struct Htif {
    tohost: u64,
    fromhost: Option<u64>,
    /// Responses waiting for the guest to clear `fromhost` (fesvr's `fromhost_queue`).
    responses: VecDeque<u64>,
    /// Console reads not answered yet.
    pending_reads: usize,
    stdout: Box<dyn Write + Send>,
    stderr: Box<dyn Write + Send>,
}

impl Htif {
    /// HTIF through the words at `tohost` and `fromhost` (without `fromhost`, answers are
    /// dropped); the guest's output goes to `stdout` and `stderr`.
    pub(crate) fn new(
        tohost: u64,
        fromhost: Option<u64>,
        stdout: Box<dyn Write + Send>,
        stderr: Box<dyn Write + Send>,
    ) -> Htif {
        Htif {
            tohost,
            fromhost,
            responses: VecDeque::new(),
            pending_reads: 0,
            stdout,
            stderr,
        }
    }

    /// Serves at most one command; returns the exit code if the guest asked to stop.
    pub(crate) fn poll(&mut self, ram: &mut Ram) -> Result<Option<u64>> {
        let word = read_word(ram, self.tohost, "tohost")?;
        let mut exit = None;
        if word != 0 {
            write_word(ram, self.tohost, 0, "tohost")?;
            match Command::from(word) {
                Command::Exit(code) => exit = Some(code),
                Command::Syscall(addr) => {
                    exit = self.syscall(ram, addr)?;
                    self.responses.push_back((word >> 48 << 48) | 1);
                }
                Command::Putchar(byte) => {
                    // A closed stdout must not stop the guest; Spike ignores it too.
                    let _ = self
                        .stdout
                        .write_all(&[byte])
                        .and_then(|()| self.stdout.flush());
                }
                Command::Getchar => self.pending_reads += 1,
                Command::Ignored => log::debug!("HTIF: ignoring tohost command {word:#x}"),
            }
        }
        if let Some(fromhost) = self.fromhost {
            if !self.responses.is_empty() && read_word(ram, fromhost, "fromhost")? == 0 {
                let response = self.responses.pop_front().unwrap_or_default();
                write_word(ram, fromhost, response, "fromhost")?;
            }
        }
        Ok(exit)
    }

    /// Runs the proxied system call whose `magic_mem` block is at `addr`; the exit code if it
    /// was `exit`.
    fn syscall(&mut self, ram: &mut Ram, addr: u64) -> Result<Option<u64>> {
        let mut magic = [0u64; 8];
        for (i, word) in magic.iter_mut().enumerate() {
            *word = read_word(ram, addr + 8 * i as u64, "the syscall block (magic_mem)")?;
        }
        let [number, arg0, arg1, arg2, ..] = magic;
        let (result, exit) = match number {
            SYS_WRITE => (self.sys_write(ram, arg0, arg1, arg2), None),
            SYS_EXIT => (0, Some(arg0)),
            _ => {
                log::warn!("HTIF: guest made unsupported system call {number}");
                (-ENOSYS, None)
            }
        };
        write_word(ram, addr, result as u64, "the syscall block (magic_mem)")?;
        Ok(exit)
    }

    /// `write(fd, buf, len)` to the host's stdout (fd 1) or stderr (fd 2).
    fn sys_write(&mut self, ram: &Ram, fd: u64, buf: u64, len: u64) -> i64 {
        let out = match fd {
            1 => &mut self.stdout,
            2 => &mut self.stderr,
            _ => return -EBADF,
        };
        let Some(bytes) = usize::try_from(len)
            .ok()
            .and_then(|len| ram.read_bytes(buf, len))
        else {
            return -EFAULT;
        };
        match out.write_all(bytes).and_then(|()| out.flush()) {
            Ok(()) => len as i64,
            Err(_) => -EIO,
        }
    }
}

fn read_word(ram: &Ram, addr: u64, what: &'static str) -> Result<u64> {
    ram.read(addr, 8)
        .ok_or(Error::HtifOutsideRam { what, addr })
}

fn write_word(ram: &mut Ram, addr: u64, value: u64, what: &'static str) -> Result<()> {
    if ram.write(addr, 8, value) {
        Ok(())
    } else {
        Err(Error::HtifOutsideRam { what, addr })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use emu_mmu::DRAM_BASE;
    use std::sync::{Arc, Mutex};

    const TOHOST: u64 = DRAM_BASE + 0x1000;
    const FROMHOST: u64 = DRAM_BASE + 0x1040;
    const MAGIC: u64 = DRAM_BASE + 0x2000;

    /// A `Write` whose bytes the test can read back.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Sink {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    fn setup() -> (Htif, Ram, Sink, Sink) {
        let (out, err) = (Sink::default(), Sink::default());
        let htif = Htif::new(
            TOHOST,
            Some(FROMHOST),
            Box::new(out.clone()),
            Box::new(err.clone()),
        );
        (htif, Ram::new(DRAM_BASE, 0x10000).unwrap(), out, err)
    }

    fn syscall(ram: &mut Ram, args: &[u64]) {
        for (i, arg) in args.iter().enumerate() {
            ram.write(MAGIC + 8 * i as u64, 8, *arg);
        }
        ram.write(TOHOST, 8, MAGIC);
    }

    #[test]
    fn decodes_commands() {
        assert_eq!(Command::from(1), Command::Exit(0));
        assert_eq!(Command::from((42 << 1) | 1), Command::Exit(42));
        assert_eq!(Command::from(0x8000_2000), Command::Syscall(0x8000_2000));
        assert_eq!(
            Command::from((1 << 56) | (1 << 48) | 0x141),
            Command::Putchar(b'A')
        );
        assert_eq!(Command::from(1 << 56), Command::Getchar);
        assert_eq!(Command::from((1 << 56) | (255 << 48)), Command::Ignored);
        assert_eq!(Command::from((2 << 56) | 1), Command::Ignored);
        assert_eq!(Command::from((1 << 48) | 1), Command::Ignored);
    }

    #[test]
    fn odd_payload_exits_and_clears_tohost() {
        let (mut htif, mut ram, ..) = setup();
        assert_eq!(htif.poll(&mut ram).unwrap(), None);
        ram.write(TOHOST, 8, (3 << 1) | 1);
        assert_eq!(htif.poll(&mut ram).unwrap(), Some(3));
        assert_eq!(ram.read(TOHOST, 8), Some(0));
        assert_eq!(ram.read(FROMHOST, 8), Some(0));
    }

    #[test]
    fn sys_write_prints_and_answers() {
        let (mut htif, mut ram, out, err) = setup();
        ram.write_bytes(DRAM_BASE + 0x3000, b"hello\n");
        syscall(&mut ram, &[SYS_WRITE, 1, DRAM_BASE + 0x3000, 6]);
        assert_eq!(htif.poll(&mut ram).unwrap(), None);
        assert_eq!(out.text(), "hello\n");
        assert_eq!(ram.read(MAGIC, 8), Some(6));
        assert_eq!(ram.read(TOHOST, 8), Some(0));
        assert_eq!(ram.read(FROMHOST, 8), Some(1));

        // The next response waits until the guest has consumed this one.
        syscall(&mut ram, &[SYS_WRITE, 2, DRAM_BASE + 0x3000, 5]);
        htif.poll(&mut ram).unwrap();
        assert_eq!(err.text(), "hello");
        assert_eq!(ram.read(FROMHOST, 8), Some(1));
        assert_eq!(htif.responses.len(), 1);
        ram.write(FROMHOST, 8, 0);
        htif.poll(&mut ram).unwrap();
        assert_eq!(ram.read(FROMHOST, 8), Some(1));
        assert!(htif.responses.is_empty());
    }

    #[test]
    fn bad_syscalls_return_errors_to_the_guest() {
        let (mut htif, mut ram, out, _) = setup();
        for (args, errno) in [
            (vec![SYS_WRITE, 3, DRAM_BASE, 1], EBADF),
            (vec![SYS_WRITE, 1, DRAM_BASE + 0xfff0, 0x20], EFAULT),
            (vec![SYS_WRITE, 1, u64::MAX, 2], EFAULT),
            (vec![1234, 0, 0, 0], ENOSYS),
        ] {
            syscall(&mut ram, &args);
            htif.poll(&mut ram).unwrap();
            assert_eq!(ram.read(MAGIC, 8), Some(-errno as u64), "{args:?}");
            ram.write(FROMHOST, 8, 0);
        }
        assert_eq!(out.text(), "");
    }

    #[test]
    fn sys_exit_returns_its_code() {
        let (mut htif, mut ram, ..) = setup();
        syscall(&mut ram, &[SYS_EXIT, 7]);
        assert_eq!(htif.poll(&mut ram).unwrap(), Some(7));
    }

    #[test]
    fn syscall_block_outside_ram_is_an_error() {
        let (mut htif, mut ram, ..) = setup();
        ram.write(TOHOST, 8, 0x1000);
        let err = htif.poll(&mut ram).unwrap_err();
        assert!(
            matches!(err, Error::HtifOutsideRam { addr: 0x1000, .. }),
            "{err}"
        );
    }

    #[test]
    fn console_putchar_prints_without_answering() {
        let (mut htif, mut ram, out, _) = setup();
        for &b in b"ok" {
            ram.write(TOHOST, 8, (1 << 56) | (1 << 48) | u64::from(b));
            htif.poll(&mut ram).unwrap();
            assert_eq!(ram.read(TOHOST, 8), Some(0));
        }
        assert_eq!(out.text(), "ok");
        assert_eq!(ram.read(FROMHOST, 8), Some(0));
        // A read with no input stays pending, as in Spike.
        ram.write(TOHOST, 8, 1 << 56);
        htif.poll(&mut ram).unwrap();
        assert_eq!((htif.pending_reads, ram.read(FROMHOST, 8)), (1, Some(0)));
    }
}
