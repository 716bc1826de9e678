//! SiFive Platform-Level Interrupt Controller with QEMU `virt`'s layout and sizes
//! (`hw/intc/sifive_plic.c`, `hw/riscv/virt.c`): 96 interrupt ids (id 0 means "none", so the
//! device tree says `riscv,ndev = 95`), 3-bit priorities, and two contexts per hart:
//! context `2h` is hart `h`'s M-mode (drives MEIP) and `2h + 1` its S-mode (drives SEIP).
//!
//! | offset | register |
//! |---|---|
//! | 0x00_0000 + 4 * src | priority of source `src` (WARL, 0..=7; source 0 reads 0) |
//! | 0x00_1000 + 4 * w | pending bits of sources 32w..32w+31 (read-only) |
//! | 0x00_2000 + 0x80 * ctx + 4 * w | enable bits of context `ctx` (bit 0 of word 0 reads 0) |
//! | 0x20_0000 + 0x1000 * ctx | priority threshold of `ctx` (WARL, 0..=7) |
//! | 0x20_0004 + 0x1000 * ctx | claim (read) / complete (write) |
//!
//! Only aligned 4-byte accesses are decoded (QEMU's `valid` sizes); other sizes and misaligned
//! accesses are refused, as are offsets past the last context. Holes inside the map read 0 and
//! ignore writes.
//!
//! Gateways are level-triggered (PLIC spec, "Interrupt Gateways"): a source is pending while its
//! line is high and it is not in service; a claim takes it out of pending and into service; a
//! complete ends service, and if the line is still high it is pending again at once. As in QEMU,
//! a line that drops before the claim withdraws the request. A complete for a source that is not
//! enabled for the completing context is ignored (spec, "Interrupt Completion").

use emu_mmu::BusError;

const PRIORITY_BASE: u64 = 0x0;
const PENDING_BASE: u64 = 0x1000;
const ENABLE_BASE: u64 = 0x2000;
const ENABLE_STRIDE: u64 = 0x80;
const CONTEXT_BASE: u64 = 0x20_0000;
const CONTEXT_STRIDE: u64 = 0x1000;

/// Words of 32 source bits.
const WORDS: usize = (Plic::NUM_SOURCES as usize).div_ceil(32);

/// One bit per source.
type SourceBits = [u32; WORDS];

/// The PLIC.
#[derive(Clone, Debug)]
pub struct Plic {
    priority: [u8; Plic::NUM_SOURCES as usize],
    /// Current level of each source's input line.
    level: SourceBits,
    /// Requests waiting for a claim.
    pending: SourceBits,
    /// Sources claimed and not yet completed.
    in_service: SourceBits,
    /// Per context: enabled sources.
    enable: Vec<SourceBits>,
    /// Per context: priority threshold.
    threshold: Vec<u8>,
    /// Per context: the output line, recomputed after every change.
    output: Vec<bool>,
}

impl Plic {
    /// Interrupt ids, including the reserved id 0 (QEMU `VIRT_IRQCHIP_NUM_SOURCES`).
    pub const NUM_SOURCES: u32 = 96;
    /// Highest priority (3 priority bits, QEMU `VIRT_IRQCHIP_NUM_PRIO_BITS`).
    pub const MAX_PRIORITY: u32 = 7;
    /// Most harts the layout can address (contexts end where the 64 MiB window does).
    pub const MAX_HARTS: usize = ((0x400_0000 - CONTEXT_BASE) / CONTEXT_STRIDE / 2) as usize;

    /// A PLIC serving `num_harts` harts (two contexts each), everything disabled and idle.
    ///
    /// # Panics
    /// If `num_harts` is 0 or more than [`Plic::MAX_HARTS`]; the machine's configuration checks
    /// the hart count before building devices.
    pub fn new(num_harts: usize) -> Plic {
        assert!(
            (1..=Self::MAX_HARTS).contains(&num_harts),
            "PLIC supports 1..={} harts, not {num_harts}",
            Self::MAX_HARTS
        );
        let contexts = 2 * num_harts;
        Plic {
            priority: [0; Plic::NUM_SOURCES as usize],
            level: [0; WORDS],
            pending: [0; WORDS],
            in_service: [0; WORDS],
            enable: vec![[0; WORDS]; contexts],
            threshold: vec![0; contexts],
            output: vec![false; contexts],
        }
    }

    /// Number of contexts (two per hart).
    pub fn num_contexts(&self) -> usize {
        self.threshold.len()
    }

    /// Size of the register window for this many contexts (QEMU `VIRT_PLIC_SIZE`); the device
    /// tree's `reg` should say the same.
    pub fn mmio_size(&self) -> u64 {
        CONTEXT_BASE + CONTEXT_STRIDE * self.num_contexts() as u64
    }

    /// Returns every register to its reset value. Line levels are kept (they belong to the
    /// devices) and re-raise their requests.
    pub fn reset(&mut self) {
        self.priority.fill(0);
        self.pending = self.level;
        self.pending[0] &= !1;
        self.in_service = [0; WORDS];
        self.enable.iter_mut().for_each(|e| *e = [0; WORDS]);
        self.threshold.fill(0);
        self.update();
    }

    /// Drives the input line of `source` (1..=95). Source 0 and ids past the last are ignored.
    pub fn set_level(&mut self, source: u32, level: bool) {
        if source == 0 || source >= Self::NUM_SOURCES {
            return;
        }
        let (w, bit) = (source as usize / 32, 1u32 << (source % 32));
        if (self.level[w] & bit != 0) == level {
            return;
        }
        if level {
            self.level[w] |= bit;
            if self.in_service[w] & bit == 0 {
                self.pending[w] |= bit;
            }
        } else {
            self.level[w] &= !bit;
            self.pending[w] &= !bit;
        }
        self.update();
    }

    /// The output line of context `ctx` (MEIP for even contexts, SEIP for odd ones): some
    /// enabled source is pending with a priority above the context's threshold. False for
    /// contexts that do not exist.
    pub fn context_irq(&self, ctx: usize) -> bool {
        self.output.get(ctx).copied().unwrap_or(false)
    }

    /// Reads a register (aligned 4-byte accesses only). Reading a claim register claims.
    pub fn read(&mut self, offset: u64, size: usize) -> Result<u64, BusError> {
        let value = match self.decode(offset, size)? {
            Reg::Priority(src) => u32::from(self.priority[src]),
            Reg::Pending(w) => self.pending[w],
            Reg::Enable(ctx, w) => self.enable[ctx][w],
            Reg::Threshold(ctx) => u32::from(self.threshold[ctx]),
            Reg::Claim(ctx) => self.claim(ctx),
            Reg::None => 0,
        };
        Ok(u64::from(value))
    }

    /// Writes a register (aligned 4-byte accesses only). Writing a claim register completes.
    pub fn write(&mut self, offset: u64, size: usize, value: u64) -> Result<(), BusError> {
        let value = value as u32;
        match self.decode(offset, size)? {
            // WARL: keep the implemented priority bits (QEMU does the same for 2^n - 1 levels).
            Reg::Priority(0) => {}
            Reg::Priority(src) => self.priority[src] = (value & Self::MAX_PRIORITY) as u8,
            // Pending bits are read-only.
            Reg::Pending(_) => {}
            Reg::Enable(ctx, w) => {
                let mask = if w == 0 { !1 } else { !0 };
                self.enable[ctx][w] = value & mask;
            }
            Reg::Threshold(ctx) => self.threshold[ctx] = (value & Self::MAX_PRIORITY) as u8,
            Reg::Claim(ctx) => self.complete(ctx, value),
            Reg::None => return Ok(()),
        }
        self.update();
        Ok(())
    }

    /// The best request for `ctx`: highest priority above the threshold, ties to the lowest id;
    /// 0 if there is none.
    fn best(&self, ctx: usize) -> u32 {
        let mut best = 0;
        let mut best_prio = self.threshold[ctx];
        for (w, (&p, &e)) in self.pending.iter().zip(&self.enable[ctx]).enumerate() {
            let mut bits = p & e;
            while bits != 0 {
                let src = w * 32 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if self.priority[src] > best_prio {
                    best_prio = self.priority[src];
                    best = src as u32;
                }
            }
        }
        best
    }

    fn claim(&mut self, ctx: usize) -> u32 {
        let src = self.best(ctx);
        if src != 0 {
            let (w, bit) = (src as usize / 32, 1u32 << (src % 32));
            self.pending[w] &= !bit;
            self.in_service[w] |= bit;
            self.update();
        }
        src
    }

    fn complete(&mut self, ctx: usize, src: u32) {
        if src == 0 || src >= Self::NUM_SOURCES {
            return;
        }
        let (w, bit) = (src as usize / 32, 1u32 << (src % 32));
        if self.enable[ctx][w] & bit == 0 {
            return;
        }
        self.in_service[w] &= !bit;
        if self.level[w] & bit != 0 {
            self.pending[w] |= bit;
        }
    }

    fn update(&mut self) {
        for ctx in 0..self.output.len() {
            self.output[ctx] = self.best(ctx) != 0;
        }
    }

    fn decode(&self, offset: u64, size: usize) -> Result<Reg, BusError> {
        if size != 4 || !offset.is_multiple_of(4) || offset >= self.mmio_size() {
            return Err(BusError::Refused(offset));
        }
        let contexts = self.num_contexts() as u64;
        let reg = if offset < PENDING_BASE {
            let src = (offset - PRIORITY_BASE) / 4;
            if src < u64::from(Self::NUM_SOURCES) {
                Reg::Priority(src as usize)
            } else {
                Reg::None
            }
        } else if offset < ENABLE_BASE {
            let w = ((offset - PENDING_BASE) / 4) as usize;
            if w < WORDS {
                Reg::Pending(w)
            } else {
                Reg::None
            }
        } else if offset < CONTEXT_BASE {
            let ctx = (offset - ENABLE_BASE) / ENABLE_STRIDE;
            let w = ((offset - ENABLE_BASE) % ENABLE_STRIDE / 4) as usize;
            if ctx < contexts && w < WORDS {
                Reg::Enable(ctx as usize, w)
            } else {
                Reg::None
            }
        } else {
            let ctx = ((offset - CONTEXT_BASE) / CONTEXT_STRIDE) as usize;
            match (offset - CONTEXT_BASE) % CONTEXT_STRIDE {
                0 => Reg::Threshold(ctx),
                4 => Reg::Claim(ctx),
                _ => Reg::None,
            }
        };
        Ok(reg)
    }
}

/// A decoded PLIC register; indices are in range.
enum Reg {
    Priority(usize),
    Pending(usize),
    Enable(usize, usize),
    Threshold(usize),
    Claim(usize),
    /// A hole in the map: reads 0, writes ignored.
    None,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(p: &mut Plic, off: u64, v: u32) {
        p.write(off, 4, u64::from(v)).unwrap();
    }

    fn r(p: &mut Plic, off: u64) -> u32 {
        p.read(off, 4).unwrap() as u32
    }

    fn enable(p: &mut Plic, ctx: u64, src: u32) {
        let off = ENABLE_BASE + ENABLE_STRIDE * ctx + 4 * u64::from(src / 32);
        let cur = r(p, off);
        w(p, off, cur | 1 << (src % 32));
    }

    fn claim(p: &mut Plic, ctx: u64) -> u32 {
        r(p, CONTEXT_BASE + CONTEXT_STRIDE * ctx + 4)
    }

    fn complete(p: &mut Plic, ctx: u64, src: u32) {
        w(p, CONTEXT_BASE + CONTEXT_STRIDE * ctx + 4, src);
    }

    #[test]
    fn priorities_and_thresholds_are_three_bits() {
        let mut p = Plic::new(1);
        w(&mut p, 4 * 10, 0xffff_ffff);
        assert_eq!(r(&mut p, 4 * 10), 7);
        w(&mut p, 4 * 95, 3);
        assert_eq!(r(&mut p, 4 * 95), 3);
        w(&mut p, 0, 5);
        assert_eq!(r(&mut p, 0), 0, "source 0 does not exist");
        w(&mut p, CONTEXT_BASE + CONTEXT_STRIDE, 0x1f);
        assert_eq!(r(&mut p, CONTEXT_BASE + CONTEXT_STRIDE), 7);
        // Past source 95: a hole.
        w(&mut p, 4 * 96, 5);
        assert_eq!(r(&mut p, 4 * 96), 0);
    }

    #[test]
    fn pending_bits_follow_level_and_are_read_only() {
        let mut p = Plic::new(1);
        p.set_level(10, true);
        p.set_level(33, true);
        assert_eq!(r(&mut p, PENDING_BASE), 1 << 10);
        assert_eq!(r(&mut p, PENDING_BASE + 4), 1 << 1);
        w(&mut p, PENDING_BASE, 0);
        assert_eq!(r(&mut p, PENDING_BASE), 1 << 10);
        p.set_level(10, false);
        assert_eq!(r(&mut p, PENDING_BASE), 0);
        // Ids out of range are ignored.
        p.set_level(0, true);
        p.set_level(96, true);
        p.set_level(u32::MAX, true);
        assert_eq!(r(&mut p, PENDING_BASE), 0);
        assert_eq!(r(&mut p, PENDING_BASE + 8), 0);
    }

    #[test]
    fn enable_bit_zero_is_hardwired() {
        let mut p = Plic::new(1);
        w(&mut p, ENABLE_BASE, 0xffff_ffff);
        assert_eq!(r(&mut p, ENABLE_BASE), 0xffff_fffe);
        w(&mut p, ENABLE_BASE + 8, 0xffff_ffff);
        assert_eq!(r(&mut p, ENABLE_BASE + 8), 0xffff_ffff);
        // Words past source 95 are holes.
        w(&mut p, ENABLE_BASE + 12, 0xffff_ffff);
        assert_eq!(r(&mut p, ENABLE_BASE + 12), 0);
    }

    #[test]
    fn irq_needs_enable_priority_and_threshold() {
        let mut p = Plic::new(1);
        p.set_level(5, true);
        assert!(!p.context_irq(1));
        enable(&mut p, 1, 5);
        assert!(!p.context_irq(1), "priority 0 never interrupts");
        w(&mut p, 4 * 5, 2);
        assert!(p.context_irq(1));
        assert!(!p.context_irq(0), "not enabled for M-mode");
        w(&mut p, CONTEXT_BASE + CONTEXT_STRIDE, 2);
        assert!(!p.context_irq(1), "priority must exceed the threshold");
        assert_eq!(claim(&mut p, 1), 0, "claim honours the threshold");
        w(&mut p, CONTEXT_BASE + CONTEXT_STRIDE, 1);
        assert!(p.context_irq(1));
        assert!(!p.context_irq(2), "no such context");
    }

    #[test]
    fn claim_picks_highest_priority_then_lowest_id() {
        let mut p = Plic::new(1);
        for (src, prio) in [(3, 1), (7, 4), (9, 4), (40, 6), (41, 6)] {
            w(&mut p, 4 * u64::from(src), prio);
            enable(&mut p, 0, src);
            p.set_level(src, true);
        }
        assert_eq!(claim(&mut p, 0), 40);
        assert_eq!(claim(&mut p, 0), 41);
        assert_eq!(claim(&mut p, 0), 7);
        assert_eq!(claim(&mut p, 0), 9);
        assert_eq!(claim(&mut p, 0), 3);
        assert_eq!(claim(&mut p, 0), 0);
        assert!(!p.context_irq(0));
    }

    #[test]
    fn level_triggered_claim_complete_cycle() {
        let mut p = Plic::new(1);
        w(&mut p, 4 * 10, 1);
        enable(&mut p, 1, 10);
        p.set_level(10, true);
        assert!(p.context_irq(1));
        assert_eq!(claim(&mut p, 1), 10);
        // In service: the line is still high but nothing is pending.
        assert!(!p.context_irq(1));
        assert_eq!(r(&mut p, PENDING_BASE), 0);
        assert_eq!(claim(&mut p, 1), 0);
        // Complete with the line still high: pending again at once.
        complete(&mut p, 1, 10);
        assert!(p.context_irq(1));
        assert_eq!(claim(&mut p, 1), 10);
        // The device drops its line, then the driver completes: quiet.
        p.set_level(10, false);
        complete(&mut p, 1, 10);
        assert!(!p.context_irq(1));
        // A new rising edge is a new request.
        p.set_level(10, true);
        assert_eq!(claim(&mut p, 1), 10);
    }

    #[test]
    fn a_line_raised_while_in_service_waits_for_complete() {
        let mut p = Plic::new(1);
        w(&mut p, 4 * 2, 1);
        enable(&mut p, 0, 2);
        p.set_level(2, true);
        assert_eq!(claim(&mut p, 0), 2);
        p.set_level(2, false);
        p.set_level(2, true);
        assert!(!p.context_irq(0));
        complete(&mut p, 0, 2);
        assert!(p.context_irq(0));
    }

    #[test]
    fn complete_of_a_source_not_enabled_is_ignored() {
        let mut p = Plic::new(1);
        w(&mut p, 4 * 4, 1);
        enable(&mut p, 0, 4);
        p.set_level(4, true);
        assert_eq!(claim(&mut p, 0), 4);
        complete(&mut p, 1, 4);
        assert!(!p.context_irq(0), "context 1 has source 4 disabled");
        // Hostile completes: id 0, ids out of range.
        complete(&mut p, 0, 0);
        complete(&mut p, 0, 96);
        complete(&mut p, 0, u32::MAX);
        complete(&mut p, 0, 4);
        assert!(p.context_irq(0));
    }

    #[test]
    fn contexts_are_independent_and_two_per_hart() {
        let mut p = Plic::new(2);
        assert_eq!(p.num_contexts(), 4);
        assert_eq!(p.mmio_size(), 0x20_4000);
        w(&mut p, 4, 1);
        enable(&mut p, 3, 1);
        p.set_level(1, true);
        assert!(p.context_irq(3));
        assert!(!p.context_irq(0) && !p.context_irq(1) && !p.context_irq(2));
        enable(&mut p, 2, 1);
        assert!(p.context_irq(2));
        // Whoever claims first takes it from both.
        assert_eq!(claim(&mut p, 2), 1);
        assert!(!p.context_irq(3));
        assert_eq!(claim(&mut p, 3), 0);
    }

    #[test]
    fn bad_accesses() {
        let mut p = Plic::new(1);
        assert_eq!(p.read(0, 8), Err(BusError::Refused(0)));
        assert_eq!(p.read(2, 4), Err(BusError::Refused(2)));
        assert_eq!(p.write(0x1000, 1, 0), Err(BusError::Refused(0x1000)));
        let end = p.mmio_size();
        assert_eq!(p.read(end, 4), Err(BusError::Refused(end)));
        assert_eq!(
            p.read(u64::MAX - 3, 4),
            Err(BusError::Refused(u64::MAX - 3))
        );
        // Holes read 0.
        assert_eq!(p.read(0x20_0008, 4), Ok(0));
        assert_eq!(p.read(ENABLE_BASE + ENABLE_STRIDE * 2, 4), Ok(0));
        assert_eq!(p.read(0x1f_fffc, 4), Ok(0));
        p.write(0x1f_fffc, 4, 1).unwrap();
    }

    #[test]
    fn reset_clears_configuration_but_keeps_lines() {
        let mut p = Plic::new(1);
        w(&mut p, 4 * 8, 3);
        enable(&mut p, 0, 8);
        p.set_level(8, true);
        assert_eq!(claim(&mut p, 0), 8);
        p.reset();
        assert_eq!(r(&mut p, 4 * 8), 0);
        assert_eq!(r(&mut p, ENABLE_BASE), 0);
        assert_eq!(r(&mut p, PENDING_BASE), 1 << 8);
        assert!(!p.context_irq(0));
    }
}
