//! Physical memory protection (privileged spec 1.12, section 3.7): 16 entries, TOR/NA4/NAPOT, L.
//!
//! Entries are implemented, so an S- or U-mode access that matches no entry fails (3.7.1), even
//! while every entry is off: M-mode firmware must grant S/U their memory, as OpenSBI does (and the
//! built-in SBI does the same when it starts a hart in S-mode).

use crate::Access;

/// Number of PMP entries.
pub const PMP_ENTRIES: usize = 16;

const R: u8 = 1 << 0;
const W: u8 = 1 << 1;
const X: u8 = 1 << 2;
const A_SHIFT: u32 = 3;
const L: u8 = 1 << 7;

/// The PMP registers of one hart.
#[derive(Clone, Debug, Default)]
pub struct Pmp {
    cfg: [u8; PMP_ENTRIES],
    addr: [u64; PMP_ENTRIES],
    /// Some entry is locked (so M-mode accesses are checked too).
    locked: bool,
    /// The entries that are on, lowest-numbered first, decoded as (start, end, cfg): what
    /// `check` looks at (a walk checks PMP for every PTE it reads). Kept in step by every write.
    active: [(u64, u64, u8); PMP_ENTRIES],
    /// How many of `active` are in use.
    active_len: usize,
}

impl Pmp {
    /// pmpcfg0 (`index` 0) or pmpcfg2 (`index` 1) as a 64-bit CSR.
    pub fn cfg_csr(&self, index: usize) -> u64 {
        (0..8).fold(0, |v, i| v | (self.cfg[8 * index + i] as u64) << (8 * i))
    }

    /// Writes pmpcfg0 / pmpcfg2. Locked entries keep their byte; the reserved R=0,W=1 combination
    /// is not retained (W is cleared); bits 6:5 read zero.
    pub fn set_cfg_csr(&mut self, index: usize, value: u64) {
        for i in 0..8 {
            let e = 8 * index + i;
            if self.cfg[e] & L != 0 {
                continue;
            }
            let mut b = (value >> (8 * i)) as u8 & 0x9f;
            if b & (R | W) == W {
                b &= !W;
            }
            self.cfg[e] = b;
        }
        self.update_summary();
    }

    /// What M-mode firmware does before it starts an OS: entry 0 covers the whole address space
    /// with R, W and X (NAPOT, all ones), as OpenSBI leaves it.
    pub fn allow_all(&mut self) {
        self.addr[0] = (1 << 54) - 1;
        self.cfg[0] = (3 << A_SHIFT) | R | W | X;
        self.update_summary();
    }

    /// pmpaddr`i`.
    pub fn addr_csr(&self, i: usize) -> u64 {
        self.addr[i]
    }

    /// Writes pmpaddr`i` unless its entry is locked, or the next entry is a locked TOR entry.
    pub fn set_addr_csr(&mut self, i: usize, value: u64) {
        let locked = self.cfg[i] & L != 0
            || (i + 1 < PMP_ENTRIES && self.cfg[i + 1] & L != 0 && self.mode(i + 1) == 1);
        if !locked {
            self.addr[i] = value & ((1 << 54) - 1);
            self.update_summary();
        }
    }

    fn update_summary(&mut self) {
        self.locked = self.cfg.iter().any(|c| c & L != 0);
        self.active_len = 0;
        for i in 0..PMP_ENTRIES {
            if let Some((lo, hi)) = self.range(i) {
                self.active[self.active_len] = (lo, hi, self.cfg[i]);
                self.active_len += 1;
            }
        }
    }

    fn mode(&self, i: usize) -> u8 {
        (self.cfg[i] >> A_SHIFT) & 3
    }

    /// Whether accesses from a mode need checking at all: S/U always, M only while some entry is
    /// locked.
    #[inline(always)]
    pub fn applies(&self, machine: bool) -> bool {
        !machine || self.locked
    }

    /// The byte range [start, end) entry `i` matches, or None if it is off.
    fn range(&self, i: usize) -> Option<(u64, u64)> {
        let a = self.addr[i];
        match self.mode(i) {
            0 => None,
            1 => {
                let lo = if i == 0 { 0 } else { self.addr[i - 1] << 2 };
                Some((lo, a << 2))
            }
            2 => Some((a << 2, (a << 2) + 4)),
            _ => {
                let ones = a.trailing_ones();
                if ones >= 54 {
                    return Some((0, u64::MAX));
                }
                let size = 1u64 << (ones + 3);
                let base = (a << 2) & !(size - 1);
                Some((base, base.saturating_add(size)))
            }
        }
    }

    /// Whether an access of `len` bytes at `addr` is allowed (section 3.7.1: the lowest-numbered
    /// entry that matches any byte decides, and it must match all of them).
    pub fn check(&self, addr: u64, len: u64, access: Access, machine: bool) -> bool {
        if !self.applies(machine) {
            return true;
        }
        let end = addr.saturating_add(len);
        for &(lo, hi, cfg) in &self.active[..self.active_len] {
            if end <= lo || addr >= hi {
                continue;
            }
            if addr < lo || end > hi {
                return false;
            }
            if machine && cfg & L == 0 {
                return true;
            }
            let need = match access {
                Access::Fetch => X,
                Access::Load => R,
                Access::Store => W,
            };
            return cfg & need != 0;
        }
        machine
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn napot(base: u64, size: u64) -> u64 {
        (base | (size / 2 - 1)) >> 2
    }

    #[test]
    fn with_no_entry_active_only_m_mode_gets_through() {
        let pmp = Pmp::default();
        assert!(!pmp.check(0x8000_0000, 8, Access::Store, false));
        assert!(pmp.check(0x8000_0000, 8, Access::Store, true));
    }

    #[test]
    fn allow_all_grants_everything_to_s_and_u() {
        let mut pmp = Pmp::default();
        pmp.allow_all();
        assert!(pmp.check(0, 8, Access::Fetch, false));
        assert!(pmp.check(u64::MAX - 7, 8, Access::Store, false));
    }

    #[test]
    fn napot_tor_and_na4_match_as_the_spec_says() {
        let mut pmp = Pmp::default();
        pmp.set_addr_csr(0, napot(0x8000_0000, 0x1000));
        pmp.set_addr_csr(1, 0x8000_2000 >> 2);
        pmp.set_addr_csr(2, 0x9000_0000 >> 2);
        // entry 0: NAPOT R; entry 1: OFF (TOR base); entry 2: TOR RWX; entry 3: NA4 none.
        pmp.set_addr_csr(3, 0x8000_2000 >> 2);
        pmp.set_cfg_csr(
            0,
            (3 << 3 | R) as u64 | ((1 << 3 | R | W | X) as u64) << 16 | ((2 << 3) as u64) << 24,
        );
        assert!(pmp.check(0x8000_0ff8, 8, Access::Load, false));
        assert!(!pmp.check(0x8000_0ff8, 8, Access::Store, false));
        // Straddling the end of entry 0: partial match fails.
        assert!(!pmp.check(0x8000_0ffc, 8, Access::Load, false));
        assert!(pmp.check(0x8000_2000, 4, Access::Store, false));
        assert!(pmp.check(0x8fff_fff8, 8, Access::Fetch, false));
        // No match from S-mode fails, from M-mode succeeds.
        assert!(!pmp.check(0x9000_0000, 4, Access::Load, false));
        assert!(pmp.check(0x9000_0000, 4, Access::Load, true));
        // Unlocked entries do not restrict M-mode.
        assert!(pmp.check(0x8000_0000, 4, Access::Store, true));
    }

    #[test]
    fn addresses_written_after_the_config_take_effect_at_once() {
        // Firmware may turn an entry on before it writes its address; a TOR entry's bottom is
        // the entry below's address, whether or not that one is on.
        let mut pmp = Pmp::default();
        pmp.set_cfg_csr(0, ((1 << 3 | R | W) as u64) << 8);
        assert!(!pmp.check(0x8000_0000, 8, Access::Load, false));
        pmp.set_addr_csr(1, 0x8000_1000 >> 2);
        assert!(pmp.check(0x8000_0000, 8, Access::Store, false));
        pmp.set_addr_csr(0, 0x8000_0800 >> 2);
        assert!(!pmp.check(0x8000_0000, 8, Access::Load, false));
        assert!(pmp.check(0x8000_0800, 8, Access::Load, false));
        assert!(!pmp.check(0x8000_1000, 8, Access::Load, false));
    }

    #[test]
    fn locked_entries_bind_m_mode_and_resist_writes() {
        let mut pmp = Pmp::default();
        pmp.set_addr_csr(0, napot(0x8000_0000, 0x1000));
        pmp.set_cfg_csr(0, (L | 3 << 3 | R) as u64);
        assert!(!pmp.check(0x8000_0000, 4, Access::Store, true));
        pmp.set_cfg_csr(0, (3 << 3 | R | W | X) as u64);
        pmp.set_addr_csr(0, 0);
        assert_eq!(pmp.cfg_csr(0), (L | 3 << 3 | R) as u64);
        assert_eq!(pmp.addr_csr(0), napot(0x8000_0000, 0x1000));
    }

    #[test]
    fn reserved_rw_combination_is_not_kept() {
        let mut pmp = Pmp::default();
        pmp.set_cfg_csr(0, W as u64);
        assert_eq!(pmp.cfg_csr(0), 0);
    }
}
