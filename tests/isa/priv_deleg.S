/* Privileged architecture: exception delegation to S-mode, SRET, and the mstatus trap-virtualization
 * bits (TSR, TVM, TW), plus the privilege rules for xRET, WFI and SFENCE.VMA.
 *
 * Spec 1.12: 3.1.8 (medeleg), 4.1.1 (sstatus SPP/SPIE/SIE), 4.1.7-4.1.9 (sepc/scause/stval),
 * 3.1.6.5 (TVM/TW/TSR), 3.3.2 (xRET), 3.3.3 (WFI).
 * Frame and reserved registers: see priv.h. A trap taken by priv_strap resumes in S-mode, where the
 * checks run; the case then returns to M with an exception that is not delegated.
 */
#include "priv.h"

PRIV_BEGIN

    /* ============================================================================================
     * 1. medeleg: an exception from S or U whose bit is set goes to stvec in S-mode, with scause,
     *    stval, sepc, and sstatus SPP <- previous mode, SPIE <- SIE, SIE <- 0 (3.1.8). mcause etc.
     *    are not written: the M handler does not run (s6 = 1 says priv_strap took it).
     * ========================================================================================== */
    PRIV_RESET

    /* illegal instruction in U, delegated: stval = the instruction; SIE was 1, so SPIE = 1, SIE = 0 */
    li TESTNUM, 2
    li a1, 1 << CAUSE_ILLEGAL_INSTRUCTION; csrw medeleg, a1
    csrsi mstatus, MSTATUS_SIE
    li a1, 0x55; csrw stval, a1
    TRAP_EXPECTED(ENTER_U; 1: csrr a0, mstatus)
    EXPECT_S_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_MSTATUS, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE)
    csrr a0, sstatus                                /* still so in the S handler's context */
    EXPECT_BITS(a0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE)
    BACK_TO_M                                       /* ecall from S: not delegated */
    EXPECT(s8, CAUSE_SUPERVISOR_ECALL)

    /* the same exception in M-mode is never delegated: "Traps never transition from a more-privileged
     * mode to a less-privileged mode" (3.1.8) */
    li TESTNUM, 3
    TRAP_EXPECTED(1: csrr a0, 0x307)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT_PC(s10, 1b)
    /* even with every medeleg bit set */
    li a1, -1; csrw medeleg, a1
    TRAP_EXPECTED(1: ecall)
    EXPECT_M_TRAP(CAUSE_MACHINE_ECALL)
    EXPECT_PC(s10, 1b)
    TRAP_EXPECTED(1: c.ebreak)
    EXPECT_M_TRAP(CAUSE_BREAKPOINT)
    EXPECT_PC(s10, 1b)
    PRIV_RESET

    /* ECALL from U, delegated: scause 8, stval = 0 (stale value overwritten), SPP = U; SIE was 0 so
     * SPIE = 0 */
    li TESTNUM, 4
    li a1, 1 << CAUSE_USER_ECALL; csrw medeleg, a1
    li a1, 0x55; csrw stval, a1
    TRAP_EXPECTED(ENTER_U; 1: ecall)
    EXPECT_S_TRAP(CAUSE_USER_ECALL)
    EXPECT(s9, 0)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, 0)
    BACK_TO_M
    PRIV_RESET

    /* ECALL from S, delegated: a horizontal trap S -> S, SPP = S */
    li TESTNUM, 5
    li a1, 1 << CAUSE_SUPERVISOR_ECALL; csrw medeleg, a1
    TRAP_EXPECTED(ENTER_S; 1: ecall)
    EXPECT_S_TRAP(CAUSE_SUPERVISOR_ECALL)
    EXPECT(s9, 0)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPP)
    TRAP_EXPECTED(ebreak)                           /* back to M: breakpoints are not delegated */
    EXPECT_M_TRAP(CAUSE_BREAKPOINT)
    EXPECT_BITS(s11, MSTATUS_MPP, MSTATUS_MPP_S)
    PRIV_RESET

    /* EBREAK in S with SIE = 1, delegated: scause 3, sepc = the ebreak, stval = 0 or the pc;
     * SPP = S, SPIE = 1, SIE = 0 */
    li TESTNUM, 6
    li a1, 1 << CAUSE_BREAKPOINT; csrw medeleg, a1
    csrsi mstatus, MSTATUS_SIE
    TRAP_EXPECTED(ENTER_S; 1: c.ebreak)
    EXPECT_S_TRAP(CAUSE_BREAKPOINT)
    EXPECT_PC(s10, 1b)
    beqz s9, 2f
    EXPECT_PC(s9, 1b)
2:  EXPECT_BITS(s11, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPP | MSTATUS_SPIE)
    BACK_TO_M
    PRIV_RESET

    /* load access fault in U, delegated: stval = the address */
    li TESTNUM, 7
    li a1, 1 << CAUSE_LOAD_ACCESS; csrw medeleg, a1
    li a1, 0x800
    TRAP_EXPECTED(ENTER_U; 1: ld a0, 8(a1))
    EXPECT_S_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT(s9, 0x808)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_SPP, 0)
    BACK_TO_M
    PRIV_RESET

    /* store access fault in S, delegated */
    li TESTNUM, 8
    li a1, 1 << CAUSE_STORE_ACCESS; csrw medeleg, a1
    li a1, 0x01000000
    TRAP_EXPECTED(ENTER_S; 1: sw a0, 4(a1))
    EXPECT_S_TRAP(CAUSE_STORE_ACCESS)
    EXPECT(s9, 0x01000004)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_SPP, MSTATUS_SPP)
    BACK_TO_M
    PRIV_RESET

    /* delegation is per cause: with only ECALL-from-U delegated, an illegal instruction in U goes
     * to M (MPP = U) */
    li TESTNUM, 9
    li a1, 1 << CAUSE_USER_ECALL; csrw medeleg, a1
    TRAP_EXPECTED(ENTER_U; 1: csrr a0, sstatus)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, 0)
    PRIV_RESET

    /* the whole path: U ecall -> S handler (delegated) -> S ecall -> M handler (not delegated) */
    li TESTNUM, 10
    li a1, 1 << CAUSE_USER_ECALL; csrw medeleg, a1
    ENTER_U
    BACK_TO_S
    EXPECT(s8, CAUSE_USER_ECALL)
    BACK_TO_M
    EXPECT(s8, CAUSE_SUPERVISOR_ECALL)
    PRIV_RESET

    /* ============================================================================================
     * 2. SRET (3.3.2): pc <- sepc, privilege <- SPP, SIE <- SPIE, SPIE <- 1, SPP <- U.
     * ========================================================================================== */

    /* from S with SPP = U, SPIE = 1, SIE = 0: lands in U (ECALL there is cause 8) with SIE = 1 */
    li TESTNUM, 15
    ENTER_S
    li a1, MSTATUS_SPP; csrc sstatus, a1
    li a1, MSTATUS_SPIE; csrs sstatus, a1
    csrci sstatus, MSTATUS_SIE
    la a1, 1f; csrw sepc, a1
    la s7, 2f; li s6, 0
    sret
    j fail
1:  ecall
    j fail
2:  EXPECT_M_TRAP(CAUSE_USER_ECALL)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE | MSTATUS_SIE)
    PRIV_RESET

    /* from S with SPP = S, SPIE = 0, SIE = 1: stays in S (cause 9) with SIE = 0, SPIE = 1, SPP = U */
    li TESTNUM, 16
    ENTER_S
    li a1, MSTATUS_SPP; csrs sstatus, a1
    li a1, MSTATUS_SPIE; csrc sstatus, a1
    csrsi sstatus, MSTATUS_SIE
    la a1, 1f; csrw sepc, a1
    la s7, 2f; li s6, 0
    sret
    j fail
1:  ecall
    j fail
2:  EXPECT_M_TRAP(CAUSE_SUPERVISOR_ECALL)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE)
    PRIV_RESET

    /* ============================================================================================
     * 3. TSR (3.1.6.5): with TSR = 1, SRET in S-mode is illegal; M-mode is not affected.
     * ========================================================================================== */

    li TESTNUM, 20
    li a1, MSTATUS_TSR; csrs mstatus, a1
    TRAP_EXPECTED(ENTER_S; la a1, 2f; csrw sepc, a1; 1: sret; 2: j fail)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, INSN_SRET)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, MSTATUS_MPP_S)

    /* SRET in M with TSR = 1 works (to S, SPP = 1) */
    li TESTNUM, 21
    li a1, MSTATUS_SPP; csrs mstatus, a1
    la a1, 1f; csrw sepc, a1
    la s7, 2f; li s6, 0
    sret
    j fail
1:  ecall
    j fail
2:  EXPECT_M_TRAP(CAUSE_SUPERVISOR_ECALL)
    EXPECT_PC(s10, 1b)
    PRIV_RESET

    /* ============================================================================================
     * 4. TVM (3.1.6.5): with TVM = 1, S-mode access to satp and SFENCE.VMA are illegal.
     * ========================================================================================== */

    li TESTNUM, 25
    li a1, MSTATUS_TVM; csrs mstatus, a1
    TRAP_EXPECTED(ENTER_S; 1: csrr a0, satp)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_SATP, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, MSTATUS_MPP_S)

    li TESTNUM, 26
    TRAP_EXPECTED(ENTER_S; 1: csrw satp, zero)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRW_BITS(CSR_SATP, X_ZERO, X_ZERO))
    EXPECT_PC(s10, 1b)

    li TESTNUM, 27
    TRAP_EXPECTED(ENTER_S; 1: sfence.vma)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, INSN_SFENCE_VMA)
    EXPECT_PC(s10, 1b)

    /* TVM does not affect M-mode */
    li TESTNUM, 28
    csrr a0, satp
    csrw satp, zero
    sfence.vma
    PRIV_RESET

    /* with TVM = 0 all of it is legal in S */
    li TESTNUM, 29
    ENTER_S
    csrr a0, satp
    csrw satp, zero
    sfence.vma
    BACK_TO_M

    /* SFENCE.VMA is illegal in U-mode whatever TVM says (3.3.2: "SFENCE.VMA ... in U-mode raises an
     * illegal instruction exception") */
    li TESTNUM, 30
    TRAP_EXPECTED(ENTER_U; 1: sfence.vma)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, INSN_SFENCE_VMA)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, 0)

    /* ============================================================================================
     * 5. TW and WFI (3.1.6.5, 3.3.3). With TW = 1, WFI in S or U that does not complete within an
     *    implementation-specific bounded time is illegal; with nothing pending it cannot complete,
     *    so it must trap (emu, like QEMU and Spike, uses a time limit of 0).
     *    Not tested: WFI in U with TW = 0, which the spec lets an implementation either trap or let
     *    complete ("executing WFI in U-mode causes an illegal instruction exception, unless it
     *    completes within an implementation-specific, bounded time limit").
     * ========================================================================================== */
    PRIV_RESET

    li TESTNUM, 35
    li a1, MSTATUS_TW; csrs mstatus, a1
    TRAP_EXPECTED(ENTER_S; 1: wfi)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, INSN_WFI)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, MSTATUS_MPP_S)

    li TESTNUM, 36
    TRAP_EXPECTED(ENTER_U; 1: wfi)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, INSN_WFI)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, 0)

    /* TW = 1 does not affect M-mode: WFI with a pending, locally enabled, globally disabled interrupt
     * (SSIP; mstatus.MIE = 0) completes and execution goes on (3.3.3) */
    li TESTNUM, 37
    csrsi mip, MIP_SSIP
    csrsi mie, MIP_SSIP
    wfi
    li a0, 1
    EXPECT(a0, 1)
    PRIV_RESET

    /* TW = 0: WFI in S is legal. The wake-up condition is an S-level interrupt (delegated SSI) that
     * is pending and enabled in sie, with sstatus.SIE = 0 so that it is not taken. */
    li TESTNUM, 38
    li a1, MIP_SSIP; csrw mideleg, a1
    csrsi mie, MIP_SSIP
    csrsi mip, MIP_SSIP
    ENTER_S
    wfi
    csrci sip, MIP_SSIP                             /* clear it before anything can take it */
    BACK_TO_M
    PRIV_RESET

    /* ============================================================================================
     * 6. xRET privilege (3.3.2: "An xRET instruction can be executed in privilege mode x or higher")
     * ========================================================================================== */

    li TESTNUM, 40
    TRAP_EXPECTED(ENTER_U; 1: sret)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, INSN_SRET)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, 0)

    li TESTNUM, 41
    TRAP_EXPECTED(ENTER_U; 1: mret)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, INSN_MRET)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, 0)

    li TESTNUM, 42
    TRAP_EXPECTED(ENTER_S; 1: mret)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, INSN_MRET)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, MSTATUS_MPP_S)

    /* with illegal instructions delegated, the same traps go to S */
    li TESTNUM, 43
    li a1, 1 << CAUSE_ILLEGAL_INSTRUCTION; csrw medeleg, a1
    TRAP_EXPECTED(ENTER_U; 1: mret)
    EXPECT_S_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, INSN_MRET)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_SPP, 0)
    BACK_TO_M

    li TESTNUM, 44
    TRAP_EXPECTED(ENTER_S; 1: mret)
    EXPECT_S_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, INSN_MRET)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_SPP, MSTATUS_SPP)
    BACK_TO_M
    PRIV_RESET

    j pass

TEST_END
