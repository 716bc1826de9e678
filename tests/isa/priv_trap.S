/* Privileged architecture: synchronous exceptions taken into M-mode, and the trap/MRET state machine.
 *
 * For every cause: mcause (3.1.15), mtval (3.1.16), mepc (3.1.14) and the mstatus stack
 * (MIE/MPIE/MPP, 3.1.6.1; MRET 3.3.2). Nothing is delegated here (priv_deleg.S covers delegation).
 * Frame and reserved registers: see priv.h.
 *
 * Addresses with nothing behind them, on both emu's (QEMU virt) map and QEMU's spike map:
 * 0x800 (below the reset ROM at 0x1000) and 0x0100_0000 (between the RTC and the CLINT).
 */
#include "priv.h"

#define HOLE1 0x800
#define HOLE2 0x01000000

PRIV_BEGIN

    /* ============================================================================================
     * 1. Illegal instruction (cause 2): mtval holds the faulting instruction, right-justified and
     *    zero-extended, only as many bits as the instruction has (3.1.16). rd is not written.
     * ========================================================================================== */

    /* a reserved major opcode (0b1101011) with bit 31 set: mtval = the 32 bits, zero-extended */
    li TESTNUM, 2
    li a0, 0x11
    TRAP_EXPECTED(1: .word 0x8765406b)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, 0x8765406b)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, MSTATUS_MPP)      /* trapped from M */

    /* `unimp` = csrrw x0, cycle, x0: a write to a read-only CSR */
    li TESTNUM, 3
    .option push
    .option norvc                                   /* else the assembler emits c.unimp (0x0000) */
    TRAP_EXPECTED(1: unimp)
    .option pop
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, 0xc0001073)
    EXPECT_PC(s10, 1b)

    /* 32-bit FP load with mstatus.FS = Off: illegal (3.1.6.6: "any instruction that attempts to read
     * or write the F/D state raises an illegal instruction exception"); illegal anyway without F/D */
    li TESTNUM, 4
    li a1, MSTATUS_FS; csrc mstatus, a1
    TRAP_EXPECTED(1: .word 0x00013407)              /* fld fs0, 0(sp) */
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, 0x00013407)
    EXPECT_PC(s10, 1b)

    /* 16-bit: the same for c.fldsp; mtval holds only the 16 instruction bits, not the halfword that
     * follows */
    li TESTNUM, 5
    TRAP_EXPECTED(1: .half 0x2402; .half 0xffff)    /* c.fldsp fs0, 0(sp); then a stray halfword */
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, 0x2402)
    EXPECT_PC(s10, 1b)

    /* 16-bit: the all-zeros halfword is defined illegal (C chapter); mtval = 0 (its bits), and the
     * following 0xffff halfword is not part of it */
    li TESTNUM, 6
    li s9, -1
    TRAP_EXPECTED(1: .half 0x0000; .half 0xffff)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, 0)
    EXPECT_PC(s10, 1b)
    EXPECT(a0, 0x11)                                /* rd of none of the above was written */

    /* ============================================================================================
     * 2. Breakpoint (cause 3): mepc = the EBREAK itself (3.3.1). mtval is either 0 or the faulting
     *    virtual address, i.e. the pc (3.1.16: "If mtval is written with a nonzero value when a
     *    breakpoint ... exception occurs ..., then mtval will contain the faulting virtual address").
     * ========================================================================================== */

    li TESTNUM, 10
    .option push
    .option norvc                                   /* a real 32-bit EBREAK, not c.ebreak */
    TRAP_EXPECTED(1: ebreak)
    .option pop
    EXPECT_M_TRAP(CAUSE_BREAKPOINT)
    EXPECT_PC(s10, 1b)
    beqz s9, 2f
    EXPECT_PC(s9, 1b)
2:
#ifndef PRIV_ON_QEMU
    /* emu's choice: mtval = pc (QEMU 7.2 writes 0) */
    EXPECT_PC(s9, 1b)
#endif

    li TESTNUM, 11
    TRAP_EXPECTED(1: c.ebreak)
    EXPECT_M_TRAP(CAUSE_BREAKPOINT)
    EXPECT_PC(s10, 1b)
    beqz s9, 2f
    EXPECT_PC(s9, 1b)
2:
#ifndef PRIV_ON_QEMU
    EXPECT_PC(s9, 1b)
#endif

    /* ============================================================================================
     * 3. Environment calls: cause 8 / 9 / 11 from U / S / M (3.1.15), mtval = 0 (stale values are
     *    overwritten), mepc = the ECALL, MPP = the mode it came from.
     * ========================================================================================== */

    li TESTNUM, 15
    li a1, 0x1234; csrw mtval, a1
    TRAP_EXPECTED(1: ecall)
    EXPECT_M_TRAP(CAUSE_MACHINE_ECALL)
    EXPECT(s9, 0)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, MSTATUS_MPP)

    li TESTNUM, 16
    li a1, 0x1234; csrw mtval, a1
    TRAP_EXPECTED(ENTER_S; 1: ecall)
    EXPECT_M_TRAP(CAUSE_SUPERVISOR_ECALL)
    EXPECT(s9, 0)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, MSTATUS_MPP_S)

    li TESTNUM, 17
    li a1, 0x1234; csrw mtval, a1
    TRAP_EXPECTED(ENTER_U; 1: ecall)
    EXPECT_M_TRAP(CAUSE_USER_ECALL)
    EXPECT(s9, 0)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, 0)

    /* ============================================================================================
     * 4. Access faults on physical addresses with no device or memory (3.6.1 PMAs; mtval = the
     *    faulting address, 3.1.16). The load's rd is not written; the store writes nothing.
     * ========================================================================================== */

    li TESTNUM, 20
    li a0, 0x22
    li a1, HOLE1
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT(s9, HOLE1)
    EXPECT_PC(s10, 1b)
    EXPECT(a0, 0x22)

    /* mtval is the effective address (base + offset), for every access size */
    li TESTNUM, 21
    li a1, HOLE2
    TRAP_EXPECTED(1: lw a0, 4(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT(s9, HOLE2 + 4)
    EXPECT_PC(s10, 1b)

    li TESTNUM, 22
    TRAP_EXPECTED(1: lbu a0, 0x13(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT(s9, HOLE2 + 0x13)
    EXPECT_PC(s10, 1b)

    li TESTNUM, 23
    TRAP_EXPECTED(1: lh a0, -2(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT(s9, HOLE2 - 2)
    EXPECT_PC(s10, 1b)
    EXPECT(a0, 0x22)

    /* compressed load */
    li TESTNUM, 24
    li a1, HOLE1
    TRAP_EXPECTED(1: c.ld a0, 8(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT(s9, HOLE1 + 8)
    EXPECT_PC(s10, 1b)

    /* stores: cause 7 */
    li TESTNUM, 25
    li a1, HOLE1
    TRAP_EXPECTED(1: sd a0, 16(a1))
    EXPECT_M_TRAP(CAUSE_STORE_ACCESS)
    EXPECT(s9, HOLE1 + 16)
    EXPECT_PC(s10, 1b)

    li TESTNUM, 26
    li a1, HOLE2
    TRAP_EXPECTED(1: sb a0, 1(a1))
    EXPECT_M_TRAP(CAUSE_STORE_ACCESS)
    EXPECT(s9, HOLE2 + 1)
    EXPECT_PC(s10, 1b)

#ifndef PRIV_ON_QEMU
    /* AMOs report store/AMO access faults (cause 7, "Store/AMO access fault" in table 3.6), even
     * though they also read. QEMU 7.2 DISAGREES: it reports a load access fault (cause 5). */
    li TESTNUM, 27
    li a1, HOLE2
    TRAP_EXPECTED(1: amoadd.d a0, a2, (a1))
    EXPECT_M_TRAP(CAUSE_STORE_ACCESS)
    EXPECT(s9, HOLE2)
    EXPECT_PC(s10, 1b)
    EXPECT(a0, 0x22)
#endif

    /* instruction fetch from a hole: cause 1, mtval = mepc = the target */
    li TESTNUM, 28
    li a1, HOLE1
    TRAP_EXPECTED(jalr a1)
    EXPECT_M_TRAP(CAUSE_FETCH_ACCESS)
    EXPECT(s9, HOLE1)
    EXPECT(s10, HOLE1)

    /* the same from U-mode (PMP grants RWX; only the PMA check fails) */
    li TESTNUM, 29
    li a1, HOLE2
    TRAP_EXPECTED(ENTER_U; 1: lw a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT(s9, HOLE2)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, 0)

    /* ============================================================================================
     * 5. Misaligned AMOs and LR: unlike plain loads/stores (which emu performs), A-extension accesses
     *    that are not naturally aligned raise an address-misaligned exception (emu's choice among the
     *    two the A chapter allows: misaligned or access fault). mtval = the address. Memory and rd
     *    are unchanged.
     * ========================================================================================== */

    la a1, amo_data
    li a2, 0x0123456789abcdef; sd a2, 0(a1); sd a2, 8(a1)
    li a0, 0x33
    li a2, 1

#ifndef PRIV_ON_QEMU
    /* AMOs: store/AMO address misaligned (cause 6). QEMU 7.2 DISAGREES: it reports a load address
     * misaligned exception (cause 4) for AMOs. */
    li TESTNUM, 35
    addi a3, a1, 2
    TRAP_EXPECTED(1: amoadd.w a0, a2, (a3))
    EXPECT_M_TRAP(CAUSE_MISALIGNED_STORE)
    EXPECT_EQ(s9, a3)
    EXPECT_PC(s10, 1b)
    EXPECT(a0, 0x33)
    ld a4, 0(a1); EXPECT(a4, 0x0123456789abcdef)

    li TESTNUM, 36
    addi a3, a1, 4
    TRAP_EXPECTED(1: amoswap.d a0, a2, (a3))
    EXPECT_M_TRAP(CAUSE_MISALIGNED_STORE)
    EXPECT_EQ(s9, a3)
    EXPECT_PC(s10, 1b)
    ld a4, 0(a1); EXPECT(a4, 0x0123456789abcdef)
    ld a4, 8(a1); EXPECT(a4, 0x0123456789abcdef)

    li TESTNUM, 37
    addi a3, a1, 1
    TRAP_EXPECTED(1: amoor.w a0, a2, (a3))
    EXPECT_M_TRAP(CAUSE_MISALIGNED_STORE)
    EXPECT_EQ(s9, a3)
    EXPECT_PC(s10, 1b)
#endif

    /* LR is a load: load-address-misaligned (cause 4) */
    li TESTNUM, 38
    addi a3, a1, 2
    TRAP_EXPECTED(1: lr.w a0, (a3))
    EXPECT_M_TRAP(CAUSE_MISALIGNED_LOAD)
    EXPECT_EQ(s9, a3)
    EXPECT_PC(s10, 1b)
    EXPECT(a0, 0x33)

    li TESTNUM, 39
    addi a3, a1, 4
    TRAP_EXPECTED(1: lr.d a0, (a3))
    EXPECT_M_TRAP(CAUSE_MISALIGNED_LOAD)
    EXPECT_EQ(s9, a3)
    EXPECT_PC(s10, 1b)

    /* ============================================================================================
     * 6. The mstatus interrupt-enable/privilege stack across a trap into M and MRET (3.1.6.1, 3.3.2).
     *    mie = 0 throughout, so MIE = 1 never lets an interrupt in.
     * ========================================================================================== */
    PRIV_RESET

    /* trap from M with MIE = 1: MPIE <- 1, MIE <- 0, MPP <- 3 */
    li TESTNUM, 45
    csrsi mstatus, MSTATUS_MIE
    TRAP_EXPECTED(ecall)
    EXPECT_M_TRAP(CAUSE_MACHINE_ECALL)
    EXPECT_BITS(s11, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE | MSTATUS_MPP)
    csrr a0, mstatus                                /* still as the trap left it */
    EXPECT_BITS(a0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE | MSTATUS_MPP)

    /* trap from M with MIE = 0 and MPIE = 1: MPIE <- 0 */
    li TESTNUM, 46
    csrci mstatus, MSTATUS_MIE
    li a1, MSTATUS_MPIE; csrs mstatus, a1
    TRAP_EXPECTED(ecall)
    EXPECT_BITS(s11, MSTATUS_MIE | MSTATUS_MPIE, 0)

    /* MRET with MPP = M, MPIE = 1, MIE = 0: MIE <- MPIE = 1, MPIE <- 1, MPP <- U (the least-privileged
     * supported mode), and execution continues at mepc */
    li TESTNUM, 47
    li a1, MSTATUS_MPP | MSTATUS_MPIE; csrs mstatus, a1
    csrci mstatus, MSTATUS_MIE
    la a1, 1f; csrw mepc, a1
    li a0, 0
    mret
    j fail
1:  csrr a0, mstatus
    csrci mstatus, MSTATUS_MIE
    EXPECT_BITS(a0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MIE | MSTATUS_MPIE)

    /* MRET with MPIE = 0, MIE = 1: MIE <- 0, MPIE <- 1 */
    li TESTNUM, 48
    li a1, MSTATUS_MPP; csrs mstatus, a1
    li a1, MSTATUS_MPIE; csrc mstatus, a1
    csrsi mstatus, MSTATUS_MIE
    la a1, 1f; csrw mepc, a1
    mret
    j fail
1:  csrr a0, mstatus
    EXPECT_BITS(a0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE)

    /* MRET to S with MPIE = 1; ECALL from S then records MPIE = MIE (1) and MPP = S. A trap into M
     * leaves the S-level stack (SIE, SPIE, SPP) alone. */
    li TESTNUM, 49
    PRIV_RESET
    li a1, MSTATUS_MPIE | MSTATUS_SPIE | MSTATUS_SIE; csrs mstatus, a1
    TRAP_EXPECTED(ENTER_S; 1: ecall)
    EXPECT_M_TRAP(CAUSE_SUPERVISOR_ECALL)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE | MSTATUS_MPP_S)
    EXPECT_BITS(s11, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SIE | MSTATUS_SPIE)

    /* ...and with MPIE = 0 the S-mode code ran with MIE = 0: MPIE records 0 */
    li TESTNUM, 50
    PRIV_RESET
    TRAP_EXPECTED(ENTER_U; 1: ecall)
    EXPECT_M_TRAP(CAUSE_USER_ECALL)
    EXPECT_BITS(s11, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, 0)
    EXPECT_BITS(s11, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, 0)

    /* a trap from S with SPP = 1 keeps SPP = 1 (only S-level traps write it) */
    li TESTNUM, 51
    PRIV_RESET
    li a1, MSTATUS_SPP; csrs mstatus, a1
    TRAP_EXPECTED(ENTER_S; ecall)
    EXPECT_BITS(s11, MSTATUS_SPP, MSTATUS_SPP)

    /* ============================================================================================
     * 7. MPRV (3.1.6.3). 1.12: "An MRET or SRET instruction that changes the privilege mode to a mode
     *    less privileged than M also sets MPRV=0."
     * ========================================================================================== */
    PRIV_RESET

#ifndef PRIV_ON_QEMU
    /* QEMU 7.2 DISAGREES with every MPRV-clearing rule below (that 1.12 rule is newer than it). */

    /* MRET to S clears MPRV */
    li TESTNUM, 55
    li a1, MSTATUS_MPRV; csrs mstatus, a1
    TRAP_EXPECTED(ENTER_S; ecall)
    EXPECT_M_TRAP(CAUSE_SUPERVISOR_ECALL)
    EXPECT_BITS(s11, MSTATUS_MPRV, 0)

    /* MRET to U clears MPRV */
    li TESTNUM, 56
    li a1, MSTATUS_MPRV; csrs mstatus, a1
    TRAP_EXPECTED(ENTER_U; ecall)
    EXPECT_M_TRAP(CAUSE_USER_ECALL)
    EXPECT_BITS(s11, MSTATUS_MPRV, 0)
#endif

    /* MRET to M keeps MPRV (then MPP = U, so MPRV now makes loads/stores use U: no memory access
     * until MPRV is cleared) */
    li TESTNUM, 57
    li a1, MSTATUS_MPRV | MSTATUS_MPP; csrs mstatus, a1
    la a1, 1f; csrw mepc, a1
    mret
    j fail
1:  csrr a0, mstatus
    li a1, MSTATUS_MPRV; csrc mstatus, a1
    EXPECT_BITS(a0, MSTATUS_MPRV | MSTATUS_MPP, MSTATUS_MPRV)

    /* SRET (executed in M) to S clears MPRV, and sets SIE <- SPIE, SPIE <- 1, SPP <- U */
    li TESTNUM, 58
    PRIV_RESET
    li a1, MSTATUS_MPRV | MSTATUS_SPP | MSTATUS_SPIE; csrs mstatus, a1
    la a1, 1f; csrw sepc, a1
    la s7, 2f; li s6, 0
    sret
    j fail
1:  ecall                                           /* now in S */
    j fail
2:  EXPECT_M_TRAP(CAUSE_SUPERVISOR_ECALL)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE | MSTATUS_SIE)
#ifndef PRIV_ON_QEMU
    EXPECT_BITS(s11, MSTATUS_MPRV, 0)
#endif

#ifndef PRIV_ON_QEMU
    /* SRET to U clears MPRV too */
    li TESTNUM, 59
    PRIV_RESET
    li a1, MSTATUS_MPRV; csrs mstatus, a1
    la a1, 1f; csrw sepc, a1
    la s7, 2f; li s6, 0
    sret
    j fail
1:  ecall                                           /* now in U */
    j fail
2:  EXPECT_M_TRAP(CAUSE_USER_ECALL)
    EXPECT_BITS(s11, MSTATUS_MPRV, 0)
#endif

#if 1 /* PMP-dependent MPRV cases */
    /* MPRV = 1 makes M-mode loads and stores use the privilege in MPP. In Bare mode this is visible
     * only through PMP: an entry without L does not apply to M but does to S and U (checked on
     * QEMU too).
     * Entry 0 = NAPOT 8 bytes over pmp_data, no permissions; entry 1 = everything, RWX. */
    li TESTNUM, 60
    PRIV_RESET
    la a1, pmp_data
    srli a2, a1, 2                                  /* NAPOT 8 bytes: addr >> 2, low bit 0 */
    csrw pmpaddr0, a2
    li a2, -1; csrw pmpaddr1, a2
    li a2, (0x1f << 8) | 0x18; csrw pmpcfg0, a2     /* entry 1: NAPOT|RWX; entry 0: NAPOT, none */
    sfence.vma
    ld a0, 0(a1)                                    /* M, MPRV = 0: allowed */
    /* MPRV = 1, MPP = U: load access fault, mtval = address */
    li a2, MSTATUS_MPP; csrc mstatus, a2
    li a2, MSTATUS_MPRV; csrs mstatus, a2
    TRAP_EXPECTED(1: ld a0, 0(a1))
    li a2, MSTATUS_MPRV; csrc mstatus, a2           /* the trap left MPRV alone: clear it */
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT_EQ(s9, a1)
    EXPECT_PC(s10, 1b)

    /* MPRV = 1, MPP = S: store access fault */
    li TESTNUM, 61
    li a2, MSTATUS_MPP; csrc mstatus, a2
    li a2, MSTATUS_MPP_S | MSTATUS_MPRV; csrs mstatus, a2
    TRAP_EXPECTED(1: sd a0, 0(a1))
    li a2, MSTATUS_MPRV; csrc mstatus, a2
    EXPECT_M_TRAP(CAUSE_STORE_ACCESS)
    EXPECT_EQ(s9, a1)
    EXPECT_PC(s10, 1b)

    /* MPRV = 1, MPP = M: allowed; instruction fetch never uses MPRV */
    li TESTNUM, 62
    li a2, MSTATUS_MPP | MSTATUS_MPRV; csrs mstatus, a2
    ld a0, 0(a1)
    li a2, MSTATUS_MPRV; csrc mstatus, a2

    /* back to one allow-all entry */
    li a2, -1; csrw pmpaddr0, a2
    li a2, 0x1f; csrw pmpcfg0, a2
    sfence.vma
#endif

    PRIV_RESET
    j pass

TEST_END

    .data
    .align 4
amo_data:
    .dword 0, 0
    .align 4
pmp_data:
    .dword 0x5555
