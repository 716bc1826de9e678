/* Privileged architecture: interrupts, without any device. The sources are the supervisor-level
 * pending bits M-mode may write in mip (SSIP, STIP, SEIP; 3.1.9). The machine-level sources (MSI, MTI,
 * MEI) are never enabled: they need the CLINT/PLIC.
 *
 * Spec 1.12: 3.1.6.1 (global enables), 3.1.7 (mtvec modes), 3.1.9 (mip/mie, when an interrupt is
 * taken, priority), 3.1.8 (mideleg), 3.3.3 (WFI), 4.1.2/4.1.3 (stvec, sip/sie).
 *
 * "These conditions for an interrupt trap to occur must be evaluated in a bounded amount of time from
 * when an interrupt becomes, or ceases to be, pending in mip, and must also be evaluated immediately
 * following the execution of an xRET instruction or an explicit write to a CSR on which these
 * interrupt trap conditions expressly depend (including mip, mie, mstatus, and mideleg)." (3.1.9)
 * So every interrupt below is taken right after the instruction that makes it takeable, and xepc is
 * the address of the next instruction, which has not executed.
 *
 * Frame and reserved registers: see priv.h; s5 additionally holds the vector-table slot that ran.
 */
#include "priv.h"

#define INTR(code) (CAUSE_INTR | (code))

PRIV_BEGIN

    /* ============================================================================================
     * 1. Interrupts taken in M-mode, direct mtvec
     * ========================================================================================== */
    PRIV_RESET

    /* pending and enabled in mie, but mstatus.MIE = 0 in M-mode: not taken (a trap now would be
     * unexpected: case 2000 + code). Setting MIE takes it at once: mcause = interrupt bit | 1,
     * mepc = the next instruction, mtval = 0, MPIE = 1, MIE = 0, MPP = M. */
    li TESTNUM, 2
    csrsi mie, MIP_SSIP
    csrsi mip, MIP_SSIP
    nop
    nop
    li a1, 0x1234; csrw mtval, a1
    TRAP_EXPECTED(csrsi mstatus, MSTATUS_MIE; 1: nop)
    EXPECT_M_TRAP(INTR(IRQ_S_SOFT))
    EXPECT(s9, 0)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE | MSTATUS_MPP)
    /* the pending bit stays set until software clears it */
    csrr a0, mip; EXPECT_BITS(a0, MIP_SSIP, MIP_SSIP)
    PRIV_RESET

    /* becoming enabled by a write to mie */
    li TESTNUM, 3
    csrsi mip, MIP_SSIP
    csrsi mstatus, MSTATUS_MIE
    nop
    TRAP_EXPECTED(csrsi mie, MIP_SSIP; 1: nop)
    EXPECT_M_TRAP(INTR(IRQ_S_SOFT))
    EXPECT_PC(s10, 1b)
    PRIV_RESET

    /* becoming pending by a write to mip: the timer bit (cause 5) */
    li TESTNUM, 4
    li a1, MIP_STIP; csrs mie, a1
    csrsi mstatus, MSTATUS_MIE
    nop
    li a1, MIP_STIP
    TRAP_EXPECTED(csrs mip, a1; 1: nop)
    EXPECT_M_TRAP(INTR(IRQ_S_TIMER))
    EXPECT(s9, 0)
    EXPECT_PC(s10, 1b)
    PRIV_RESET

    /* the external bit (cause 9) */
    li TESTNUM, 5
    li a1, MIP_SEIP; csrs mie, a1
    csrsi mstatus, MSTATUS_MIE
    nop
    li a1, MIP_SEIP
    TRAP_EXPECTED(csrs mip, a1; 1: nop)
    EXPECT_M_TRAP(INTR(IRQ_S_EXT))
    EXPECT_PC(s10, 1b)
    PRIV_RESET

    /* MRET restoring MIE = 1 with an interrupt pending: taken before the first instruction at the
     * return address, so mepc = that address */
    li TESTNUM, 6
    csrsi mie, MIP_SSIP
    csrsi mip, MIP_SSIP
    li a1, MSTATUS_MPP | MSTATUS_MPIE; csrs mstatus, a1
    la a1, 1f; csrw mepc, a1
    la s7, 2f; li s6, 0
    mret
1:  j fail
2:  EXPECT_M_TRAP(INTR(IRQ_S_SOFT))
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE | MSTATUS_MPP)
    PRIV_RESET

    /* clearing the pending bit (or the enable) before MIE is set: nothing is taken */
    li TESTNUM, 7
    csrsi mie, MIP_SSIP
    csrsi mip, MIP_SSIP
    csrci mip, MIP_SSIP
    csrsi mstatus, MSTATUS_MIE
    nop
    nop
    PRIV_RESET

    /* ============================================================================================
     * 2. Priority among simultaneous M-level interrupts (3.1.9: MEI, MSI, MTI, SEI, SSI, STI)
     * ========================================================================================== */

#ifndef PRIV_ON_QEMU
    /* SEI, SSI and STI all pending and enabled: SEI first, then SSI, then STI.
     * QEMU 7.2 DISAGREES: it takes SSI and STI before SEI. */
    li TESTNUM, 10
    li a1, MIP_S_BITS; csrs mie, a1
    li a1, MIP_S_BITS; csrs mip, a1
    TRAP_EXPECTED(csrsi mstatus, MSTATUS_MIE; 1: nop)
    EXPECT_M_TRAP(INTR(IRQ_S_EXT))
    EXPECT_PC(s10, 1b)
    li a1, MIP_SEIP; csrc mip, a1
    TRAP_EXPECTED(csrsi mstatus, MSTATUS_MIE; 1: nop)
    EXPECT_M_TRAP(INTR(IRQ_S_SOFT))
    EXPECT_PC(s10, 1b)
    csrci mip, MIP_SSIP
    TRAP_EXPECTED(csrsi mstatus, MSTATUS_MIE; 1: nop)
    EXPECT_M_TRAP(INTR(IRQ_S_TIMER))
    EXPECT_PC(s10, 1b)
    PRIV_RESET
#endif

    /* SSI before STI, whichever became pending first */
    li TESTNUM, 11
    li a1, MIP_SSIP | MIP_STIP; csrs mie, a1
    li a1, MIP_STIP; csrs mip, a1
    csrsi mip, MIP_SSIP
    TRAP_EXPECTED(csrsi mstatus, MSTATUS_MIE; 1: nop)
    EXPECT_M_TRAP(INTR(IRQ_S_SOFT))
    PRIV_RESET

    /* a pending but disabled interrupt does not take priority: SEI pending but not enabled */
    li TESTNUM, 12
    li a1, MIP_STIP; csrs mie, a1
    li a1, MIP_STIP | MIP_SEIP; csrs mip, a1
    TRAP_EXPECTED(csrsi mstatus, MSTATUS_MIE; 1: nop)
    EXPECT_M_TRAP(INTR(IRQ_S_TIMER))
    PRIV_RESET

    /* ============================================================================================
     * 3. Vectored mode (mtvec.MODE = 1, 3.1.7): an interrupt goes to BASE + 4 * cause, an exception
     *    to BASE. Each slot of mvec_table records its number in s5 and joins priv_mtrap.
     * ========================================================================================== */

    li TESTNUM, 15
    la a1, mvec_table; ori a1, a1, 1; csrw mtvec, a1
    csrsi mie, MIP_SSIP
    csrsi mip, MIP_SSIP
    li s5, -1
    TRAP_EXPECTED(csrsi mstatus, MSTATUS_MIE; 1: nop)
    EXPECT_M_TRAP(INTR(IRQ_S_SOFT))
    EXPECT(s5, 1)
    EXPECT_PC(s10, 1b)
    csrci mip, MIP_SSIP

    li TESTNUM, 16
    li a1, MIP_STIP; csrs mie, a1; csrs mip, a1
    li s5, -1
    TRAP_EXPECTED(csrsi mstatus, MSTATUS_MIE; 1: nop)
    EXPECT_M_TRAP(INTR(IRQ_S_TIMER))
    EXPECT(s5, 5)
    li a1, MIP_STIP; csrc mip, a1

    li TESTNUM, 17
    li a1, MIP_SEIP; csrs mie, a1; csrs mip, a1
    li s5, -1
    TRAP_EXPECTED(csrsi mstatus, MSTATUS_MIE; 1: nop)
    EXPECT_M_TRAP(INTR(IRQ_S_EXT))
    EXPECT(s5, 9)
    li a1, MIP_SEIP; csrc mip, a1

    /* exceptions still go to BASE (slot 0), even ECALL whose cause is 11 */
    li TESTNUM, 18
    li s5, -1
    TRAP_EXPECTED(1: ecall)
    EXPECT_M_TRAP(CAUSE_MACHINE_ECALL)
    EXPECT(s5, 0)
    EXPECT_PC(s10, 1b)
    li s5, -1
    TRAP_EXPECTED(1: c.ebreak)
    EXPECT_M_TRAP(CAUSE_BREAKPOINT)
    EXPECT(s5, 0)
    /* and from a lower mode */
    li s5, -1
    TRAP_EXPECTED(ENTER_U; 1: ecall)
    EXPECT_M_TRAP(CAUSE_USER_ECALL)
    EXPECT(s5, 0)
    EXPECT_PC(s10, 1b)
    PRIV_RESET

    /* ============================================================================================
     * 4. Delegated interrupts (mideleg, 3.1.8/3.1.9): taken in S-mode through stvec, when the hart is
     *    in S with sstatus.SIE = 1, or in U whatever SIE says; never in M.
     * ========================================================================================== */

    /* in S: taken when sstatus.SIE is set: scause = interrupt bit | 1, sepc = next instruction,
     * stval = 0, SPP = S, SPIE = 1, SIE = 0 */
    li TESTNUM, 20
    li a1, MIP_SSIP; csrw mideleg, a1
    csrsi mie, MIP_SSIP
    csrsi mip, MIP_SSIP
    li a1, 0x1234; csrw stval, a1
    ENTER_S
    nop                                             /* SIE = 0: not taken in S */
    TRAP_EXPECTED(csrsi sstatus, MSTATUS_SIE; 1: nop)
    EXPECT_S_TRAP(INTR(IRQ_S_SOFT))
    EXPECT(s9, 0)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPP | MSTATUS_SPIE)
    csrci sip, MIP_SSIP                             /* S clears its own software interrupt */
    csrr a0, sip; EXPECT_BITS(a0, MIP_SSIP, 0)
    BACK_TO_M
    PRIV_RESET

    /* in U: taken although sstatus.SIE = 0 ("interrupts for higher-privilege modes are always
     * globally enabled"); immediately after the MRET, so sepc = its target; SPP = U, SPIE = 0 */
    li TESTNUM, 21
    li a1, MIP_SSIP; csrw mideleg, a1
    csrsi mie, MIP_SSIP
    csrsi mip, MIP_SSIP
    li a1, MSTATUS_MPP; csrc mstatus, a1            /* MPP = U */
    la a1, 1f; csrw mepc, a1
    la s7, 2f; li s6, 0
    mret
1:  j fail
2:  EXPECT_S_TRAP(INTR(IRQ_S_SOFT))
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, 0)
    csrci sip, MIP_SSIP
    BACK_TO_M
    PRIV_RESET

    /* in M: a delegated interrupt is never taken, even with MIE = SIE = 1 */
    li TESTNUM, 22
    li a1, MIP_S_BITS; csrw mideleg, a1
    li a1, MIP_S_BITS; csrw mie, a1
    li a1, MIP_S_BITS; csrs mip, a1
    csrsi mstatus, MSTATUS_MIE | MSTATUS_SIE
    nop
    nop
    csrr a0, mip; EXPECT_BITS(a0, MIP_S_BITS, MIP_S_BITS)
    PRIV_RESET

    /* in S with SIE = 0, a delegated interrupt waits (and ECALL to M still works) */
    li TESTNUM, 23
    li a1, MIP_SSIP; csrw mideleg, a1
    csrsi mie, MIP_SSIP
    csrsi mip, MIP_SSIP
    ENTER_S
    nop
    nop
    BACK_TO_M
    EXPECT(s8, CAUSE_SUPERVISOR_ECALL)
    PRIV_RESET

    /* in S with SIE = 1 but the bit clear in sie: not taken */
    li TESTNUM, 24
    li a1, MIP_SSIP; csrw mideleg, a1
    csrsi mip, MIP_SSIP
    csrsi mstatus, MSTATUS_SIE
    ENTER_S
    nop
    nop
    csrci sip, MIP_SSIP
    BACK_TO_M
    PRIV_RESET

    /* an M-level (not delegated) interrupt is taken in S even with mstatus.MIE = 0, into M:
     * mepc = the MRET target, MPP = S */
    li TESTNUM, 25
    csrsi mie, MIP_SSIP
    csrsi mip, MIP_SSIP
    li a1, MSTATUS_MPP; csrc mstatus, a1
    li a1, MSTATUS_MPP_S; csrs mstatus, a1
    la a1, 1f; csrw mepc, a1
    la s7, 2f; li s6, 0
    mret
1:  j fail
2:  EXPECT_M_TRAP(INTR(IRQ_S_SOFT))
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPP_S)
    PRIV_RESET

    /* ...and in U */
    li TESTNUM, 26
    li a1, MIP_STIP; csrs mie, a1; csrs mip, a1
    li a1, MSTATUS_MPP; csrc mstatus, a1
    la a1, 1f; csrw mepc, a1
    la s7, 2f; li s6, 0
    mret
1:  j fail
2:  EXPECT_M_TRAP(INTR(IRQ_S_TIMER))
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, 0)
    PRIV_RESET

    /* An M-level interrupt goes before an S-level one, whatever their codes (3.1.9: "interrupts for
     * higher-privilege modes must be serviced before interrupts for lower-privilege modes"):
     * SSI delegated, STI not; both pending and enabled; S-mode with SIE = 1. STI goes to M first. */
    li TESTNUM, 27
    li a1, MIP_SSIP; csrw mideleg, a1
    li a1, MIP_SSIP | MIP_STIP; csrw mie, a1
    li a1, MIP_SSIP | MIP_STIP; csrs mip, a1
    csrsi mstatus, MSTATUS_SIE
    li a1, MSTATUS_MPP; csrc mstatus, a1
    li a1, MSTATUS_MPP_S; csrs mstatus, a1
    la a1, 1f; csrw mepc, a1
    la s7, 2f; li s6, 0
    mret
1:  j fail
2:  EXPECT_M_TRAP(INTR(IRQ_S_TIMER))
    EXPECT_PC(s10, 1b)
    /* M clears STIP and returns to S (MPP is still S): now the delegated SSI is taken in S */
    li a1, MIP_STIP; csrc mip, a1
    la a1, 1f; csrw mepc, a1
    la s7, 2f; li s6, 0
    mret
1:  j fail
2:  EXPECT_S_TRAP(INTR(IRQ_S_SOFT))
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPP | MSTATUS_SPIE)
    csrci sip, MIP_SSIP
    BACK_TO_M
    PRIV_RESET

    /* Priority among delegated interrupts in S: SEI, then SSI, then STI. Each round: M sets up,
     * MRETs to S with SIE = 1, S takes the highest one, ECALLs back to M (SIE is 0 by then). */
#ifndef PRIV_ON_QEMU
    /* SEI first. QEMU 7.2 DISAGREES: it takes SSI first. */
    li TESTNUM, 28
    li a1, MIP_S_BITS; csrw mideleg, a1
    li a1, MIP_S_BITS; csrw mie, a1
    li a1, MIP_S_BITS; csrs mip, a1
    csrsi mstatus, MSTATUS_SIE
    TRAP_EXPECTED(ENTER_S; nop)
    EXPECT_S_TRAP(INTR(IRQ_S_EXT))
    BACK_TO_M
    PRIV_RESET
#endif

    /* SSI, then STI */
    li TESTNUM, 31
    li a1, MIP_S_BITS; csrw mideleg, a1
    li a1, MIP_S_BITS; csrw mie, a1
    li a1, MIP_SSIP | MIP_STIP; csrs mip, a1
    csrsi mstatus, MSTATUS_SIE
    TRAP_EXPECTED(ENTER_S; nop)
    EXPECT_S_TRAP(INTR(IRQ_S_SOFT))
    csrci sip, MIP_SSIP
    BACK_TO_M
    csrsi mstatus, MSTATUS_SIE
    TRAP_EXPECTED(ENTER_S; nop)
    EXPECT_S_TRAP(INTR(IRQ_S_TIMER))
    BACK_TO_M
    PRIV_RESET

    /* vectored stvec: a delegated interrupt goes to BASE + 4 * cause ... */
    li TESTNUM, 32
    la a1, svec_table; ori a1, a1, 1; csrw stvec, a1
    li a1, MIP_STIP; csrw mideleg, a1
    li a1, MIP_STIP; csrs mie, a1; csrs mip, a1
    ENTER_S
    li s5, -1
    TRAP_EXPECTED(csrsi sstatus, MSTATUS_SIE; 1: nop)
    EXPECT_S_TRAP(INTR(IRQ_S_TIMER))
    EXPECT(s5, 5)
    EXPECT_PC(s10, 1b)
    BACK_TO_M
    li a1, MIP_STIP; csrc mip, a1

    /* ... and a delegated exception to BASE */
    li TESTNUM, 33
    li a1, 1 << CAUSE_USER_ECALL; csrw medeleg, a1
    li s5, -1
    TRAP_EXPECTED(ENTER_U; 1: ecall)
    EXPECT_S_TRAP(CAUSE_USER_ECALL)
    EXPECT(s5, 0)
    EXPECT_PC(s10, 1b)
    BACK_TO_M
    PRIV_RESET

    /* ============================================================================================
     * 5. WFI (3.3.3): with an interrupt pending and enabled in mie but globally disabled
     *    (mstatus.MIE = 0 in M), WFI completes and execution resumes at the next instruction; the
     *    interrupt is taken once MIE is set.
     * ========================================================================================== */

    li TESTNUM, 35
    li a1, MIP_STIP; csrs mie, a1; csrs mip, a1
    li a0, 0
    wfi
    li a0, 1                                        /* the next instruction runs, no trap */
    EXPECT(a0, 1)
    TRAP_EXPECTED(csrsi mstatus, MSTATUS_MIE; 1: nop)
    EXPECT_M_TRAP(INTR(IRQ_S_TIMER))
    EXPECT_PC(s10, 1b)
    PRIV_RESET

    /* the same with a delegated interrupt while in M (never takeable in M, but it is pending and
     * enabled, so WFI must still resume: "WFI is also required to resume execution for locally enabled
     * interrupts pending at any privilege level, regardless of the global interrupt enable at each
     * privilege level") */
    li TESTNUM, 36
    li a1, MIP_SSIP; csrw mideleg, a1
    csrsi mie, MIP_SSIP
    csrsi mip, MIP_SSIP
    csrsi mstatus, MSTATUS_MIE | MSTATUS_SIE
    wfi
    li a0, 2
    EXPECT(a0, 2)
    PRIV_RESET

    j pass

    /* ---- vector tables: slot i sets s5 = i and joins the common handler ----------------------- */
    .align 8
mvec_table:
    .option push
    .option norvc                                   /* every slot exactly 4 bytes */
    .irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    j mvec_\i
    .endr
    .irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
mvec_\i: li s5, \i; j priv_mtrap
    .endr

    .align 8
svec_table:
    .irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    j svec_\i
    .endr
    .irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
svec_\i: li s5, \i; j priv_strap
    .endr
    .option pop

TEST_END
