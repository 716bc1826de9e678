//! The built-in SBI: host code playing the M-mode firmware for an S-mode kernel (RISC-V SBI
//! specification v2.0). The hart exits with `Exit::SbiCall` on an ECALL from S-mode; the call is
//! served here between blocks and the hart resumes after the ECALL.

use crate::machine::{Machine, RunOutcome};
use emu_mmu::Bus;
use std::io::Write;

/// SBI return codes (spec section 3.2).
#[allow(missing_docs)]
pub mod error {
    pub const SUCCESS: i64 = 0;
    pub const FAILED: i64 = -1;
    pub const NOT_SUPPORTED: i64 = -2;
    pub const INVALID_PARAM: i64 = -3;
    pub const INVALID_ADDRESS: i64 = -5;
    pub const ALREADY_AVAILABLE: i64 = -6;
}

/// Extension IDs.
#[allow(missing_docs)]
pub mod eid {
    pub const LEGACY_SET_TIMER: u64 = 0x00;
    pub const LEGACY_CONSOLE_PUTCHAR: u64 = 0x01;
    pub const LEGACY_CONSOLE_GETCHAR: u64 = 0x02;
    pub const LEGACY_SHUTDOWN: u64 = 0x08;
    pub const BASE: u64 = 0x10;
    pub const TIME: u64 = 0x5449_4d45;
    pub const IPI: u64 = 0x0073_5049;
    pub const RFENCE: u64 = 0x5246_4e43;
    pub const HSM: u64 = 0x0048_534d;
    pub const SRST: u64 = 0x5352_5354;
    pub const DBCN: u64 = 0x4442_434e;
}

/// Specification version implemented: 2.0.
pub const SPEC_VERSION: u64 = 2 << 24;
/// Our implementation ID ("emu" in ASCII: not a registered one, so no kernel special-cases it).
pub const IMPL_ID: u64 = 0x656d75;
/// Implementation version.
pub const IMPL_VERSION: u64 = 1;

/// The extensions `probe_extension` reports.
pub const EXTENSIONS: [u64; 11] = [
    eid::LEGACY_SET_TIMER,
    eid::LEGACY_CONSOLE_PUTCHAR,
    eid::LEGACY_CONSOLE_GETCHAR,
    eid::LEGACY_SHUTDOWN,
    eid::BASE,
    eid::TIME,
    eid::IPI,
    eid::RFENCE,
    eid::HSM,
    eid::SRST,
    eid::DBCN,
];

/// HSM hart states (spec 9.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HartState {
    /// Running (or in WFI).
    Started = 0,
    /// Not running; waiting for `hart_start`.
    Stopped = 1,
}

/// Which harts a hart mask names (spec 3.1: `hart_mask_base` = -1 means all harts).
pub fn mask_selects(hart_mask: u64, hart_mask_base: u64, hartid: u64) -> bool {
    if hart_mask_base == u64::MAX {
        return true;
    }
    hartid >= hart_mask_base
        && hartid - hart_mask_base < 64
        && (hart_mask >> (hartid - hart_mask_base)) & 1 != 0
}

impl Machine {
    /// Serves the SBI call hart `h` made (a7 = extension, a6 = function, a0..a5 = arguments),
    /// writes a0 = error and a1 = value, and moves the hart past its ECALL. Returns an outcome when
    /// the call ends the run (system reset).
    pub(crate) fn sbi_call(&mut self, h: usize) -> Option<RunOutcome> {
        let x = self.harts[h].x;
        let (ext, func) = (x[17], x[16]);
        let args = [x[10], x[11], x[12], x[13], x[14], x[15]];
        let mut value = 0u64;
        let mut outcome = None;
        let error = match ext {
            eid::LEGACY_SET_TIMER => {
                self.harts[h].firmware_set_timer(args[0]);
                // Legacy calls return only a0.
                value = self.harts[h].x[11];
                error::SUCCESS
            }
            eid::LEGACY_CONSOLE_PUTCHAR => {
                let _ = self.console.write_all(&[args[0] as u8]);
                value = self.harts[h].x[11];
                error::SUCCESS
            }
            eid::LEGACY_CONSOLE_GETCHAR => {
                value = self.harts[h].x[11];
                -1
            }
            eid::LEGACY_SHUTDOWN => {
                outcome = Some(RunOutcome::PowerOff);
                error::SUCCESS
            }
            eid::BASE => match func {
                0 => {
                    value = SPEC_VERSION;
                    error::SUCCESS
                }
                1 => {
                    value = IMPL_ID;
                    error::SUCCESS
                }
                2 => {
                    value = IMPL_VERSION;
                    error::SUCCESS
                }
                3 => {
                    value = EXTENSIONS.contains(&args[0]) as u64;
                    error::SUCCESS
                }
                // mvendorid, marchid, mimpid: all 0.
                4..=6 => error::SUCCESS,
                _ => error::NOT_SUPPORTED,
            },
            eid::TIME if func == 0 => {
                self.harts[h].firmware_set_timer(args[0]);
                error::SUCCESS
            }
            eid::IPI if func == 0 => {
                for hart in &mut self.harts {
                    if mask_selects(args[0], args[1], hart.hartid()) {
                        hart.firmware_raise(1);
                    }
                }
                error::SUCCESS
            }
            eid::RFENCE => match func {
                // remote_fence_i: the harts re-validate their decoded code.
                0 => {
                    for hart in &mut self.harts {
                        if mask_selects(args[0], args[1], hart.hartid()) {
                            hart.fence_i();
                        }
                    }
                    error::SUCCESS
                }
                // remote_sfence_vma(_asid): our TLBs flush whole.
                1 | 2 => {
                    for hart in &mut self.harts {
                        if mask_selects(args[0], args[1], hart.hartid()) {
                            hart.flush_tlb();
                        }
                    }
                    error::SUCCESS
                }
                _ => error::NOT_SUPPORTED,
            },
            eid::HSM => self.sbi_hsm(h, func, &args, &mut value),
            eid::SRST if func == 0 => match args[0] {
                0 => {
                    outcome = Some(RunOutcome::PowerOff);
                    error::SUCCESS
                }
                1 | 2 => {
                    outcome = Some(RunOutcome::Reboot);
                    error::SUCCESS
                }
                _ => error::INVALID_PARAM,
            },
            eid::DBCN => self.sbi_debug_console(func, &args, &mut value),
            _ => error::NOT_SUPPORTED,
        };
        let hart = &mut self.harts[h];
        hart.x[10] = error as u64;
        hart.x[11] = value;
        hart.pc = hart.pc.wrapping_add(4);
        outcome
    }

    /// Hart state management (spec chapter 9).
    fn sbi_hsm(&mut self, h: usize, func: u64, args: &[u64; 6], value: &mut u64) -> i64 {
        match func {
            // hart_start(hartid, start_addr, opaque)
            0 => {
                let Some(target) = self.harts.iter().position(|t| t.hartid() == args[0]) else {
                    return error::INVALID_PARAM;
                };
                if self.states[target] == HartState::Started {
                    return error::ALREADY_AVAILABLE;
                }
                if self.bus.ram().offset(args[1], 4).is_none() {
                    return error::INVALID_ADDRESS;
                }
                let mut fresh = emu_cpu::Hart::new(args[0]);
                fresh.set_page_loop(self.harts[target].page_loop());
                fresh.enter_supervisor(args[1], args[2]);
                self.harts[target] = fresh;
                self.states[target] = HartState::Started;
                self.waiting[target] = false;
                error::SUCCESS
            }
            // hart_stop()
            1 => {
                if self
                    .states
                    .iter()
                    .filter(|s| **s == HartState::Started)
                    .count()
                    <= 1
                {
                    return error::FAILED;
                }
                self.states[h] = HartState::Stopped;
                error::SUCCESS
            }
            // hart_get_status(hartid)
            2 => match self.harts.iter().position(|t| t.hartid() == args[0]) {
                Some(target) => {
                    *value = self.states[target] as u64;
                    error::SUCCESS
                }
                None => error::INVALID_PARAM,
            },
            // hart_suspend(type, ...): a retentive suspend is a WFI; it returns on an interrupt.
            3 if args[0] == 0 => {
                self.waiting[h] = self.harts[h].wfi_can_wake();
                error::SUCCESS
            }
            3 => error::NOT_SUPPORTED,
            _ => error::NOT_SUPPORTED,
        }
    }

    /// Debug console (spec chapter 12): writes go to the console; there is no input here (it
    /// goes to the UART).
    fn sbi_debug_console(&mut self, func: u64, args: &[u64; 6], value: &mut u64) -> i64 {
        match func {
            // console_write(num_bytes, base_lo, base_hi)
            0 => {
                let len = args[0].min(4096) as usize;
                let Some(bytes) = self
                    .bus
                    .ram_ref()
                    .read_bytes(args[1], len)
                    .map(<[u8]>::to_vec)
                else {
                    return error::INVALID_PARAM;
                };
                let _ = self.console.write_all(&bytes);
                *value = len as u64;
                error::SUCCESS
            }
            // console_read: nothing to read.
            1 => {
                *value = 0;
                error::SUCCESS
            }
            // console_write_byte(byte)
            2 => {
                let _ = self.console.write_all(&[args[0] as u8]);
                error::SUCCESS
            }
            _ => error::NOT_SUPPORTED,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hart_masks_select_relative_to_their_base() {
        assert!(mask_selects(0, u64::MAX, 5));
        assert!(mask_selects(0b10, 1, 2));
        assert!(!mask_selects(0b10, 1, 1));
        assert!(!mask_selects(1, 8, 3));
        assert!(!mask_selects(u64::MAX, 1, 100));
    }
}
