//! Unit tests of the hart on hand-assembled programs, with a RAM-only bus.

use crate::csr::*;
use crate::{Exit, Hart, PageLoop, Privilege};
use emu_mmu::{Bus, BusError, Ram, DRAM_BASE};

/// A RAM-only bus for the crate's unit tests (here, fpu.rs and debug.rs); `time` reads 1234.
pub(crate) struct TestBus {
    pub(crate) ram: Ram,
}

impl Bus for TestBus {
    fn ram(&mut self) -> &mut Ram {
        &mut self.ram
    }
    fn load(&mut self, addr: u64, size: usize) -> Result<u64, BusError> {
        self.ram.read(addr, size).ok_or(BusError::Unmapped(addr))
    }
    fn store(&mut self, addr: u64, size: usize, value: u64) -> Result<(), BusError> {
        if self.ram.write(addr, size, value) {
            Ok(())
        } else {
            Err(BusError::Unmapped(addr))
        }
    }
    fn time(&self) -> u64 {
        1234
    }
}

/// A small xorshift generator for the crate's randomized tests: the same cases on every run.
pub(crate) struct XorShift(pub(crate) u64);

impl XorShift {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A hart at DRAM_BASE with `words` loaded there.
fn setup(words: &[u32]) -> (Hart, TestBus) {
    let mut bus = TestBus {
        ram: Ram::new(DRAM_BASE, 1 << 20).unwrap(),
    };
    for (i, w) in words.iter().enumerate() {
        bus.ram.write(DRAM_BASE + 4 * i as u64, 4, *w as u64);
    }
    let mut hart = Hart::new(0);
    hart.pc = DRAM_BASE;
    // Let S and U reach memory, as firmware would.
    hart.pmp.allow_all();
    (hart, bus)
}

#[test]
fn counts_down_a_loop() {
    // li a0, 10; loop: addi a0, a0, -1; bnez a0, loop; j .
    let (mut hart, mut bus) = setup(&[0x00a0_0513, 0xfff5_0513, 0xfe05_1ee3, 0x0000_006f]);
    assert_eq!(hart.run(&mut bus, 100), Exit::Budget);
    assert_eq!(hart.x[10], 0);
    assert_eq!(hart.pc, DRAM_BASE + 12);
    assert_eq!(hart.instret(), 100);
}

#[test]
fn illegal_instruction_traps_with_bits_in_mtval() {
    let (mut hart, mut bus) = setup(&[0xffff_ffff]);
    hart.csr.mtvec = DRAM_BASE + 0x100;
    hart.run(&mut bus, 1);
    assert_eq!(hart.csr.mcause, 2);
    assert_eq!(hart.csr.mtval, 0xffff_ffff);
    assert_eq!(hart.csr.mepc, DRAM_BASE);
    assert_eq!(hart.pc, DRAM_BASE + 0x100);
}

#[test]
fn ecall_from_u_is_delegated_to_s() {
    // ecall
    let (mut hart, mut bus) = setup(&[0x0000_0073]);
    hart.privilege = Privilege::User;
    hart.csr.medeleg = 1 << 8;
    hart.csr.stvec = DRAM_BASE + 0x200;
    hart.csr.mstatus |= MSTATUS_SIE;
    hart.run(&mut bus, 1);
    assert_eq!(hart.privilege, Privilege::Supervisor);
    assert_eq!(hart.csr.scause, 8);
    assert_eq!(hart.csr.sepc, DRAM_BASE);
    assert_eq!(
        hart.csr.mstatus & (MSTATUS_SPP | MSTATUS_SIE | MSTATUS_SPIE),
        MSTATUS_SPIE
    );
    assert_eq!(hart.pc, DRAM_BASE + 0x200);
}

#[test]
fn interrupts_follow_priority_and_vectoring() {
    // Both STI and SSI pending and enabled in M-mode with MIE: SSI (code 1) wins over STI (5);
    // vectored mtvec sends it to base + 4.
    let (mut hart, mut bus) = setup(&[0x0000_0013; 0x200]);
    hart.csr.mtvec = (DRAM_BASE + 0x400) | 1;
    hart.csr.mie = IRQ_SSI | IRQ_STI;
    hart.csr.mip = IRQ_SSI | IRQ_STI;
    hart.csr.mstatus |= MSTATUS_MIE;
    hart.run(&mut bus, 1);
    assert_eq!(hart.csr.mcause, (1 << 63) | 1);
    assert_eq!(hart.csr.mepc, DRAM_BASE);
    // The interrupt was taken before the first instruction; the budget ran the handler's first.
    assert_eq!(hart.pc, DRAM_BASE + 0x404 + 4);
}

#[test]
fn wfi_without_pending_interrupt_returns_to_the_machine() {
    // wfi; nop
    let (mut hart, mut bus) = setup(&[0x1050_0073, 0x0000_0013]);
    assert_eq!(hart.run(&mut bus, 10), Exit::Wfi);
    assert_eq!(hart.pc, DRAM_BASE + 4);
}

#[test]
fn counters_can_be_written_and_inhibited() {
    // csrw minstret, a0 (a0 = 100); csrr a1, minstret; csrr a2, mcycle
    let (mut hart, mut bus) = setup(&[0xb025_1073, 0xb020_25f3, 0xb000_2673]);
    hart.x[10] = 100;
    hart.run(&mut bus, 3);
    assert_eq!(hart.x[11], 100);
    assert_eq!(hart.x[12], 2);
    assert_eq!(hart.csr_read(&bus, TIME, 0).unwrap(), 1234);
}

#[test]
fn csr_permission_and_read_only_rules() {
    let (mut hart, bus) = setup(&[]);
    hart.privilege = Privilege::Supervisor;
    assert!(hart.csr_read(&bus, MSTATUS, 7).is_err());
    assert!(hart.csr_read(&bus, SSTATUS, 7).is_ok());
    // cycle from S needs mcounteren.CY.
    assert!(hart.csr_read(&bus, CYCLE, 7).is_err());
    hart.csr.mcounteren = 1;
    assert!(hart.csr_read(&bus, CYCLE, 7).is_ok());
    hart.privilege = Privilege::Machine;
    assert!(hart.csr_write(MHARTID, 1, 7).is_err());
    // MPP = 2 is reserved: the write leaves MPP alone.
    hart.csr_write(MSTATUS, 3 << MSTATUS_MPP_SHIFT, 7).unwrap();
    hart.csr_write(MSTATUS, 2 << MSTATUS_MPP_SHIFT, 7).unwrap();
    assert_eq!(hart.csr.mstatus & MSTATUS_MPP, 3 << MSTATUS_MPP_SHIFT);
    assert_eq!(hart.csr_read(&bus, MSTATUS, 7).unwrap() >> 32 & 0xf, 0b1010);
}

#[test]
fn a_store_into_decoded_code_is_seen_at_once() {
    // 0: li a0, 1; 4: sw t1, 0(t0) (overwrites 0 with `li a0, 7`); 8: j 0
    let (mut hart, mut bus) = setup(&[0x0010_0513, 0x0062_a023, 0xff9f_f06f]);
    hart.x[5] = DRAM_BASE;
    hart.x[6] = 0x0070_0513;
    hart.run(&mut bus, 3);
    assert_eq!(hart.x[10], 1);
    hart.run(&mut bus, 1);
    assert_eq!(
        hart.x[10], 7,
        "the decoded copy of the rewritten instruction was used"
    );
}

#[test]
fn code_written_behind_the_harts_back_is_seen_after_fence_i() {
    // li a0, 1; j 0  (the loop re-runs the first instruction)
    let (mut hart, mut bus) = setup(&[0x0010_0513, 0xffdf_f06f]);
    hart.run(&mut bus, 2);
    assert_eq!(hart.x[10], 1);
    // Another hart, or a disk read, rewrites it: li a0, 9.
    bus.ram.write(DRAM_BASE, 4, 0x0090_0513);
    hart.fence_i();
    hart.run(&mut bus, 2);
    assert_eq!(hart.x[10], 9);
    assert_eq!(hart.decoded_pages(), 1);
}

#[test]
fn a_store_on_the_fast_path_breaks_a_reservation_of_its_granule_only() {
    // The store fast path does not look at reservations: while one is held, stores miss it.
    let (mut hart, mut bus) = setup(&[
        0x0000_1597, // auipc a1, 1
        0x0050_0613, // li a2, 5
        0x0005_b423, // sd zero, 8(a1): the page is in the TLB for stores from here on
        0x1005_b52f, // lr.d a0, (a1)
        0x00c5_b023, // sd a2, 0(a1): the reserved granule
        0x18c5_b6af, // sc.d a3, a2, (a1): fails
        0x1005_b52f, // lr.d a0, (a1)
        0x00c5_b423, // sd a2, 8(a1): another granule
        0x18c5_b72f, // sc.d a4, a2, (a1): succeeds
    ]);
    hart.x[13] = 7;
    hart.x[14] = 7;
    assert_eq!(hart.run(&mut bus, 9), Exit::Budget);
    assert_eq!((hart.x[13], hart.x[14]), (1, 0));
    // With the reservation gone, stores may take the fast path again.
    assert_eq!(hart.store_tag, hart.data_tag);
}

#[test]
fn a_traced_run_on_a_new_hart_faults_a_load_from_page_zero() {
    // ld a0, 16(zero): no RAM there. The TLB's empty entries must not look like a hit.
    let (mut hart, mut bus) = setup(&[0x0100_3503]);
    hart.csr.mtvec = DRAM_BASE + 0x100;
    let mut out = Vec::new();
    hart.run_traced(&mut bus, 1, &mut out).unwrap();
    assert_eq!((hart.csr.mcause, hart.csr.mtval), (5, 16));
}

/// `jal rd, off`.
fn jal(rd: u32, off: i32) -> u32 {
    let i = off as u32;
    ((i >> 20) & 1) << 31
        | ((i >> 1) & 0x3ff) << 21
        | ((i >> 11) & 1) << 20
        | ((i >> 12) & 0xff) << 12
        | rd << 7
        | 0x6f
}

#[test]
fn a_long_run_between_pages_and_new_slots_keeps_the_host_stack_flat() {
    // The page loop's handlers go on by tail calls, also across pages (next_page) and through
    // the trap path that fills empty slots: a call left in that chain, with work after it,
    // would grow the host stack per page switch or fill and overflow this thread's small one.
    // (A plain call in tail position an optimized build may turn into a jump on its own.)
    // The portable loop keeps its state in one frame: it must run the same.
    let run = |page_loop| {
        // DRAM_BASE: addi a0, a0, 1; j DRAM_BASE + 0x1000 (and back), then 1000 fresh slots.
        let (mut hart, mut bus) = setup(&[0x0015_0513, jal(0, 0x1000 - 4)]);
        assert!(hart.set_page_loop(page_loop));
        bus.ram.write(DRAM_BASE + 0x1000, 4, 0x0015_8593); // addi a1, a1, 1
        bus.ram
            .write(DRAM_BASE + 0x1004, 4, jal(0, 0x1000 - 4) as u64);
        let straight = DRAM_BASE + 0x2000;
        for i in 0..1000 {
            bus.ram.write(straight + 4 * i, 4, 0x0016_0613); // addi a2, a2, 1
        }
        bus.ram
            .write(straight + 4000, 4, jal(0, -0x2000 - 4000) as u64);
        assert_eq!(hart.run(&mut bus, 3_000_000), Exit::Budget);
        // Each round: 2 + 2 + 1001 instructions.
        let rounds = 3_000_000 / 1005;
        assert_eq!(hart.x[10], rounds + 1);
        assert_eq!(hart.x[11], rounds + 1);
        assert!(hart.x[12] >= 1000 * rounds);
        assert_eq!(hart.instret(), 3_000_000);
    };
    for page_loop in [PageLoop::Threaded, PageLoop::Portable] {
        if page_loop.is_built() {
            std::thread::Builder::new()
                .stack_size(64 << 10)
                .spawn(move || run(page_loop))
                .unwrap()
                .join()
                .unwrap();
        }
    }
}

#[test]
fn the_threaded_loop_is_built_where_the_compiler_accepts_it() {
    // This tree's .cargo/config.toml lets the stable compiler accept the unstable feature: then
    // build.rs's probe must have found it, or the suites would run the portable loop alone.
    if option_env!("RUSTC_BOOTSTRAP") == Some("1") {
        assert!(PageLoop::Threaded.is_built(), "build.rs's probe failed");
        assert_eq!(PageLoop::default(), PageLoop::Threaded);
    }
    assert!(PageLoop::Portable.is_built());
    let mut hart = Hart::new(0);
    assert_eq!(hart.page_loop(), PageLoop::default());
    assert!(hart.set_page_loop(PageLoop::Portable));
    assert_eq!(hart.page_loop(), PageLoop::Portable);
    assert_eq!(
        hart.set_page_loop(PageLoop::Threaded),
        PageLoop::Threaded.is_built()
    );
}

#[test]
fn a_reservation_does_not_outlive_a_run_traced_or_not() {
    // lr.d a0, (a1); sc.d a2, a3, (a1): the SC runs in a run of its own, after other harts
    // could have stored to the granule, so it must fail (a2 = 1) as `run` makes it.
    for traced in [false, true] {
        let (mut hart, mut bus) = setup(&[0x1005_b52f, 0x18d5_b62f]);
        hart.x[11] = DRAM_BASE + 0x800;
        hart.x[13] = 42;
        for _ in 0..2 {
            let exit = if traced {
                hart.run_traced(&mut bus, 1, &mut std::io::sink()).unwrap()
            } else {
                hart.run(&mut bus, 1)
            };
            assert_eq!(exit, Exit::Budget);
        }
        assert_eq!(hart.pc, DRAM_BASE + 8, "traced: {traced}");
        assert_eq!(hart.x[12], 1, "the SC failed (traced: {traced})");
        assert_eq!(bus.ram.read(DRAM_BASE + 0x800, 8), Some(0));
    }
}
