//! `exec`: the decoder, disassembler and executor on random instruction streams.
//!
//! The input is a few bytes of setup (starting privilege, register values, interrupt lines, what
//! MMIO loads return) and then raw code, placed at the start of a 64 KiB guest RAM. Both trap
//! vectors (`mtvec`, `stvec`) point at the code, so a trap starts it over with changed state. The
//! hart then runs one instruction at a time, up to [`STEPS`], on a bus with RAM, an MMIO window
//! whose loads return fuzz bytes, and nothing else (every other address is an access fault).
//!
//! Oracle: no panic, `x0` stays zero, `pc` stays 2-byte aligned, and every trap is well formed:
//! whenever an instruction does not retire, a probe (a few `csrr` run in M-mode from a page the
//! harness owns, the hart's state saved around it) reads the trap CSRs and checks that
//! - the hart is in M- or S-mode, never lower than before, and S only when it was not in M;
//! - `xcause` is a defined exception or interrupt code, and `pc` is the handler `xtvec` selects;
//! - `xepc` is 2-byte aligned; and, when no interrupt can have come first, `xepc` is the pc of
//!   the instruction, the trap went where `medeleg` sends it, `xPP`/`xIE` were stacked, ECALL's
//!   cause matches the privilege it came from, EBREAK's `xtval` is its pc and an illegal
//!   instruction's `xtval` is at most 32 bits wide.
//!
//! The decoder and disassembler also see the first words of the input directly.

use crate::Input;
use emu_cpu::{decode, disassemble, Exit, Hart, Privilege};
use emu_mmu::{Bus, BusError, Ram, DRAM_BASE};
use std::cell::Cell;

/// Guest RAM.
const RAM_SIZE: u64 = 64 << 10;
/// Where the random code goes; both trap vectors point here.
const CODE: u64 = DRAM_BASE;
/// Most bytes of code taken from the input.
const CODE_MAX: usize = 0x4000;
/// The harness's setup code (second-last page of RAM).
const PROLOGUE: u64 = DRAM_BASE + RAM_SIZE - 0x2000;
/// The CSR probe (last page of RAM).
const PROBE: u64 = DRAM_BASE + RAM_SIZE - 0x1000;
/// An MMIO window: loads return fuzz bytes, stores are accepted.
const MMIO: u64 = 0x1000_0000;
const MMIO_SIZE: u64 = 0x1000;
/// Instructions run per input.
pub const STEPS: usize = 3000;

/// CSRs the probe reads, in order, into x1, x2, ...
const PROBED: [u16; 13] = [
    0x342, // mcause
    0x341, // mepc
    0x343, // mtval
    0x305, // mtvec
    0x300, // mstatus
    0x302, // medeleg
    0x142, // scause
    0x141, // sepc
    0x143, // stval
    0x105, // stvec
    0x344, // mip
    0x304, // mie
    0x303, // mideleg
];

/// Register values the setup bytes choose from (one byte per register).
const VALUES: [u64; 16] = [
    0,
    1,
    u64::MAX,
    DRAM_BASE,
    DRAM_BASE + 0x100,
    DRAM_BASE + 0x3ffe,
    DRAM_BASE + RAM_SIZE - 8,
    DRAM_BASE + RAM_SIZE,
    MMIO,
    MMIO + 0x7,
    0x8000_0000_0000_0000,
    0x7fff_ffff_ffff_ffff,
    0xffff_ffff,
    0x1000,
    0x0200_0000,
    0x8000_0000_0000_0001,
];

fn i_type(opcode: u32, funct3: u32, rd: u32, rs1: u32, imm: u32) -> u32 {
    (imm & 0xfff) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode
}

fn addi(rd: u32, rs1: u32, imm: i32) -> u32 {
    i_type(0x13, 0, rd, rs1, imm as u32)
}

fn slli(rd: u32, rs1: u32, shamt: u32) -> u32 {
    i_type(0x13, 1, rd, rs1, shamt)
}

fn csrw(csr: u16, rs1: u32) -> u32 {
    i_type(0x73, 1, 0, rs1, u32::from(csr))
}

fn csrr(rd: u32, csr: u16) -> u32 {
    i_type(0x73, 2, rd, 0, u32::from(csr))
}

const MRET: u32 = 0x3020_0073;
const T0: u32 = 5;
const T1: u32 = 6;

/// M-mode setup: both trap vectors and `mepc` at the code, PMP entry 0 granting everything (so
/// S and U can run), `mstatus.MPP` = `mpp`, then MRET to the code.
fn prologue(mpp: Privilege) -> Vec<u32> {
    vec![
        addi(T0, 0, 1),
        slli(T0, T0, 31), // t0 = 0x8000_0000 = CODE
        csrw(0x305, T0),  // mtvec
        csrw(0x105, T0),  // stvec
        csrw(0x341, T0),  // mepc
        addi(T1, 0, -1),
        csrw(0x3b0, T1), // pmpaddr0 = all ones
        addi(T1, 0, 0x1f),
        csrw(0x3a0, T1), // pmpcfg0 = NAPOT | RWX
        addi(T1, 0, mpp as i32),
        slli(T1, T1, 11),
        csrw(0x300, T1), // mstatus = MPP
        MRET,
    ]
}

fn probe_code() -> Vec<u32> {
    PROBED
        .iter()
        .enumerate()
        .map(|(i, &csr)| csrr(i as u32 + 1, csr))
        .collect()
}

fn write_words(ram: &mut Ram, addr: u64, words: &[u32]) {
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    assert!(ram.write_bytes(addr, &bytes));
}

/// RAM, an MMIO window answering with fuzz bytes, and a clock that advances on every look.
struct FuzzBus {
    ram: Ram,
    mmio: Vec<u8>,
    next: usize,
    ticks: Cell<u64>,
}

impl Bus for FuzzBus {
    fn ram(&mut self) -> &mut Ram {
        &mut self.ram
    }

    fn load(&mut self, addr: u64, size: usize) -> Result<u64, BusError> {
        assert!(matches!(size, 1 | 2 | 4 | 8), "load of {size} bytes");
        if let Some(v) = self.ram.read(addr, size) {
            return Ok(v);
        }
        if addr.wrapping_sub(MMIO) < MMIO_SIZE {
            let mut b = [0u8; 8];
            for byte in b.iter_mut().take(size) {
                *byte = self
                    .mmio
                    .get(self.next % self.mmio.len().max(1))
                    .copied()
                    .unwrap_or(0);
                self.next += 1;
            }
            return Ok(u64::from_le_bytes(b));
        }
        Err(BusError::Unmapped(addr))
    }

    fn store(&mut self, addr: u64, size: usize, value: u64) -> Result<(), BusError> {
        assert!(matches!(size, 1 | 2 | 4 | 8), "store of {size} bytes");
        if self.ram.write(addr, size, value) || addr.wrapping_sub(MMIO) < MMIO_SIZE {
            return Ok(());
        }
        Err(BusError::Unmapped(addr))
    }

    fn time(&self) -> u64 {
        let t = self.ticks.get();
        self.ticks.set(t + 97);
        t
    }
}

/// The trap CSRs as the probe read them.
#[derive(Debug)]
struct Csrs {
    mcause: u64,
    mepc: u64,
    mtval: u64,
    mtvec: u64,
    mstatus: u64,
    medeleg: u64,
    scause: u64,
    sepc: u64,
    stval: u64,
    stvec: u64,
    mip: u64,
    mie: u64,
}

/// What the probe found.
enum Probe {
    /// The CSRs.
    Read(Csrs),
    /// The hart was waiting to hand an ECALL to the host firmware (the SBI): no trap happened.
    SbiCall,
    /// The probe itself was interrupted or faulted (PMP locked the page away, an M-mode
    /// interrupt came in): nothing to check this time.
    Failed,
}

/// Runs the probe in M-mode and puts the hart back as it was (registers, pc, privilege).
fn probe(hart: &mut Hart, bus: &mut FuzzBus) -> Probe {
    let (x, pc, privilege) = (hart.x, hart.pc, hart.privilege);
    let code = probe_code();
    write_words(&mut bus.ram, PROBE, &code);
    hart.pc = PROBE;
    hart.privilege = Privilege::Machine;
    hart.poke();
    let exit = hart.run(bus, code.len() as u64);
    let r = hart.x;
    let ok = exit == Exit::Budget && hart.pc == PROBE + 4 * code.len() as u64;
    hart.x = x;
    hart.pc = pc;
    hart.privilege = privilege;
    hart.poke();
    match exit {
        Exit::SbiCall => Probe::SbiCall,
        _ if !ok => Probe::Failed,
        _ => Probe::Read(Csrs {
            mcause: r[1],
            mepc: r[2],
            mtval: r[3],
            mtvec: r[4],
            mstatus: r[5],
            medeleg: r[6],
            scause: r[7],
            sepc: r[8],
            stval: r[9],
            stvec: r[10],
            mip: r[11],
            mie: r[12],
        }),
    }
}

fn vector(tvec: u64, code: u64, interrupt: bool) -> u64 {
    let base = tvec & !3;
    if interrupt && tvec & 3 == 1 {
        base.wrapping_add(4 * code)
    } else {
        base
    }
}

const MSTATUS_SIE: u64 = 1 << 1;
const MSTATUS_MIE: u64 = 1 << 3;
const MSTATUS_SPP: u64 = 1 << 8;

/// Checks the trap the hart took at `pc0` in `priv0` (see the module documentation).
fn check_trap(hart: &Hart, pc0: u64, priv0: Privilege, c: &Csrs) {
    let to = hart.privilege;
    let (cause, epc, tval, tvec) = match to {
        Privilege::Machine => (c.mcause, c.mepc, c.mtval, c.mtvec),
        Privilege::Supervisor => {
            assert_ne!(
                priv0,
                Privilege::Machine,
                "a trap from M-mode went to S-mode: {c:x?}"
            );
            (c.scause, c.sepc, c.stval, c.stvec)
        }
        Privilege::User => {
            panic!("an instruction at {pc0:#x} did not retire, yet the hart is in U-mode: {c:x?}")
        }
    };
    let interrupt = cause >> 63 == 1;
    let code = cause & !(1 << 63);
    if interrupt {
        assert!(
            matches!(code, 1 | 3 | 5 | 7 | 9 | 11),
            "bad interrupt cause {cause:#x}"
        );
    } else {
        assert!(
            matches!(code, 0..=9 | 11 | 12 | 13 | 15),
            "bad exception cause {cause:#x} (pc {pc0:#x}, {c:x?})"
        );
    }
    assert_eq!(
        hart.pc,
        vector(tvec, code, interrupt),
        "handler address for cause {cause:#x}"
    );
    assert_eq!(epc & 1, 0, "odd xepc {epc:#x}");
    if interrupt || c.mip & c.mie != 0 {
        // An interrupt may have been taken first: its handler is then where the exception was.
        return;
    }
    assert_eq!(epc, pc0, "xepc of cause {code}");
    let delegated = priv0 != Privilege::Machine && (c.medeleg >> code) & 1 == 1;
    let expected = if delegated {
        Privilege::Supervisor
    } else {
        Privilege::Machine
    };
    assert_eq!(
        to, expected,
        "cause {code} from {priv0:?} with medeleg {:#x}",
        c.medeleg
    );
    match to {
        Privilege::Machine => {
            assert_eq!(
                (c.mstatus >> 11) & 3,
                priv0 as u64,
                "mstatus.MPP after cause {code}"
            );
            assert_eq!(c.mstatus & MSTATUS_MIE, 0, "mstatus.MIE after a trap to M");
        }
        _ => {
            let spp = c.mstatus & MSTATUS_SPP != 0;
            assert_eq!(
                spp,
                priv0 == Privilege::Supervisor,
                "mstatus.SPP after cause {code}"
            );
            assert_eq!(c.mstatus & MSTATUS_SIE, 0, "mstatus.SIE after a trap to S");
        }
    }
    match code {
        8 => assert_eq!(priv0, Privilege::User, "ECALL cause 8"),
        9 => assert_eq!(priv0, Privilege::Supervisor, "ECALL cause 9"),
        11 => assert_eq!(priv0, Privilege::Machine, "ECALL cause 11"),
        3 => assert_eq!(tval, pc0, "EBREAK's tval is its pc"),
        2 => assert!(tval >> 32 == 0, "illegal-instruction tval {tval:#x}"),
        _ => {}
    }
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let mut input = Input::new(data);
    let mode = input.u8();
    let lines = input.u8();
    let regs = input.bytes(31);
    let mmio = input.bytes(16).to_vec();
    let code = input.bytes(CODE_MAX);

    for (i, w) in code.chunks(4).take(64).enumerate() {
        let mut b = [0u8; 4];
        b[..w.len()].copy_from_slice(w);
        let inst = decode(u32::from_le_bytes(b));
        let text = disassemble(&inst, CODE + 4 * i as u64);
        assert!(!text.is_empty());
    }

    let mut bus = FuzzBus {
        ram: Ram::new(DRAM_BASE, RAM_SIZE).expect("64 KiB of RAM"),
        mmio,
        next: 0,
        ticks: Cell::new(0),
    };
    assert!(bus.ram.write_bytes(CODE, code));
    let mut hart = Hart::new(0);
    let start = match mode & 3 {
        0 | 1 => Privilege::Machine,
        2 => Privilege::Supervisor,
        _ => Privilege::User,
    };
    let setup = prologue(start);
    write_words(&mut bus.ram, PROLOGUE, &setup);
    hart.pc = PROLOGUE;
    let exit = hart.run(&mut bus, setup.len() as u64);
    assert_eq!(
        (exit, hart.pc, hart.privilege),
        (Exit::Budget, CODE, start),
        "the prologue"
    );
    if mode & 3 == 1 {
        // As for Linux on the built-in SBI: S-mode, host firmware, OpenSBI's delegation.
        hart.enter_supervisor(CODE, DRAM_BASE + 0x100);
    }
    for (r, &b) in hart.x.iter_mut().skip(1).zip(regs) {
        *r = VALUES[usize::from(b & 15)].wrapping_add(u64::from(b >> 4) * 8);
    }
    for (bit, irq) in [3u32, 7, 9, 11].into_iter().enumerate() {
        hart.set_irq_line(irq, lines >> bit & 1 == 1);
    }

    let mut stuck = 0;
    for _ in 0..STEPS {
        let (pc0, priv0, retired) = (hart.pc, hart.privilege, hart.instret());
        match hart.run(&mut bus, 1) {
            Exit::SbiCall => {
                sbi_not_supported(&mut hart);
                continue;
            }
            Exit::Wfi => continue,
            // Budget (and debugger stops, which need breakpoints the harness never sets).
            _ => {}
        }
        assert_eq!(hart.x[0], 0, "x0");
        assert_eq!(hart.pc & 1, 0, "odd pc {:#x}", hart.pc);
        if hart.instret() != retired {
            stuck = 0;
            continue;
        }
        match probe(&mut hart, &mut bus) {
            Probe::Read(csrs) => check_trap(&hart, pc0, priv0, &csrs),
            Probe::SbiCall => sbi_not_supported(&mut hart),
            Probe::Failed => {}
        }
        // An instruction that traps to itself (its own handler) does so forever.
        stuck = if hart.pc == pc0 { stuck + 1 } else { 0 };
        if stuck == 4 {
            break;
        }
    }
}

/// Answers an SBI call as a firmware without extensions would: SBI_ERR_NOT_SUPPORTED, and the
/// hart resumes after the ECALL.
fn sbi_not_supported(hart: &mut Hart) {
    hart.x[10] = -2i64 as u64;
    hart.x[11] = 0;
    hart.pc = hart.pc.wrapping_add(4);
}
