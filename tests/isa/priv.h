/* Shared macros for the privileged-architecture test programs (tests/isa/priv_*.S).
 * Spec: RISC-V Privileged Architecture 1.12 (20211203); section numbers below refer to it.
 *
 * A program writes:
 *
 *     #include "priv.h"
 *     PRIV_BEGIN
 *       li TESTNUM, 2
 *       TRAP_EXPECTED(1: csrw mhartid, zero)      // runs the code, which must trap
 *       EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)  // the trap went to M with that mcause
 *       EXPECT(s9, CSRRW_BITS(CSR_MHARTID, 0, 0)) // mtval
 *       EXPECT_PC(s10, 1b)                        // mepc
 *       ...
 *     TEST_END
 *
 * Trap handling. PRIV_BEGIN points mtvec at priv_mtrap and stvec at priv_strap. Both handlers record
 * the trap in registers and, if a trap was expected, jump (without any xRET, so staying in the mode that
 * took the trap) to the resume address in s7, which they then clear. A trap while s7 = 0 is unexpected:
 * the M handler fails with case 1000 + mcause / 2000 + code (test.h's convention), the S handler with
 * case 3000 + scause / 4000 + code.
 *
 * Registers reserved by this frame (tests must not use them for anything else):
 *   s6  level that took the last trap: 3 = M (priv_mtrap), 1 = S (priv_strap); TRAP_EXPECTED zeroes it
 *   s7  resume address for an expected trap, 0 = no trap expected
 *   s8  xcause of the last trap      s9  xtval      s10  xepc      s11  xstatus (mstatus or sstatus)
 * plus t5, t6 (test.h scratch) and gp (TESTNUM).
 *
 * Keep case numbers in 2..199: QEMU's exit status is 8 bits, so larger numbers alias the
 * unexpected-trap codes when a program is checked there.
 *
 * Validation on QEMU. The programs were checked on QEMU 7.2's spike machine (HTIF exit), which differs
 * from emu in two kinds of places, each wrapped in `#ifndef PRIV_ON_QEMU` and commented at the case:
 *   - emu's implementation choices where QEMU legitimately chose otherwise (e.g. marchid = 0, the
 *     time CSR, EBREAK's mtval = pc);
 *   - spec rules QEMU 7.2 gets wrong (marked "QEMU 7.2 DISAGREES", e.g. medeleg[11], MPRV clearing on
 *     xRET, AMO exception causes, S-level interrupt priority).
 * Build with -DPRIV_ON_QEMU to leave them out when checking on QEMU:
 *   qemu-system-riscv64 -M spike -cpu rv64,zba=true,zbb=true,zbs=true -bios none -kernel X.elf
 *       -nographic -display none
 * Cases needing PMP enforcement (MPRV is only observable through PMP in Bare mode) are always built;
 * they pass on both.
 */
#ifndef EMU_PRIV_H
#define EMU_PRIV_H

#include "test.h"

/* ---- privilege levels ------------------------------------------------------------------------- */
#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* ---- mstatus / sstatus fields (3.1.6, 4.1.1) -------------------------------------------------- */
#define MSTATUS_SIE   (1 << 1)
#define MSTATUS_MIE   (1 << 3)
#define MSTATUS_SPIE  (1 << 5)
#define MSTATUS_UBE   (1 << 6)
#define MSTATUS_MPIE  (1 << 7)
#define MSTATUS_SPP   (1 << 8)
#define MSTATUS_VS    (3 << 9)
#define MSTATUS_MPP   (3 << 11)
#define MSTATUS_MPP_S (1 << 11)
#define MSTATUS_FS    (3 << 13)
#define MSTATUS_XS    (3 << 15)
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)
#define MSTATUS_UXL   0x0000000300000000
#define MSTATUS_SXL   0x0000000C00000000
#define MSTATUS_SBE   0x0000001000000000
#define MSTATUS_MBE   0x0000002000000000
#define MSTATUS_GVA   0x0000004000000000   /* hypervisor extension only; WPRI without H */
#define MSTATUS_MPV   0x0000008000000000   /* hypervisor extension only; WPRI without H */
#define MSTATUS_SD    0x8000000000000000
/* Every field that is not WPRI in RV64 mstatus without the hypervisor extension. */
#define MSTATUS_DEFINED (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_MPIE | \
    MSTATUS_SPP | MSTATUS_VS | MSTATUS_MPP | MSTATUS_FS | MSTATUS_XS | MSTATUS_MPRV | MSTATUS_SUM | \
    MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | MSTATUS_UXL | MSTATUS_SXL | MSTATUS_SBE | \
    MSTATUS_MBE | MSTATUS_SD)
/* The fields sstatus shows (4.1.1): SIE SPIE UBE SPP VS FS XS SUM MXR UXL SD. */
#define SSTATUS_FIELDS (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP | MSTATUS_VS | \
    MSTATUS_FS | MSTATUS_XS | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)

/* ---- mip / mie bits (3.1.9) ------------------------------------------------------------------- */
#define IRQ_S_SOFT  1
#define IRQ_M_SOFT  3
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7
#define IRQ_S_EXT   9
#define IRQ_M_EXT   11
#define MIP_SSIP (1 << IRQ_S_SOFT)
#define MIP_MSIP (1 << IRQ_M_SOFT)
#define MIP_STIP (1 << IRQ_S_TIMER)
#define MIP_MTIP (1 << IRQ_M_TIMER)
#define MIP_SEIP (1 << IRQ_S_EXT)
#define MIP_MEIP (1 << IRQ_M_EXT)
#define MIP_S_BITS (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define MIP_M_BITS (MIP_MSIP | MIP_MTIP | MIP_MEIP)
#define CAUSE_INTR  0x8000000000000000   /* mcause bit 63: the trap is an interrupt */

/* ---- exception codes (3.1.15, table 3.6) ------------------------------------------------------ */
#define CAUSE_MISALIGNED_FETCH    0
#define CAUSE_FETCH_ACCESS        1
#define CAUSE_ILLEGAL_INSTRUCTION 2
#define CAUSE_BREAKPOINT          3
#define CAUSE_MISALIGNED_LOAD     4
#define CAUSE_LOAD_ACCESS         5
#define CAUSE_MISALIGNED_STORE    6
#define CAUSE_STORE_ACCESS        7
#define CAUSE_USER_ECALL          8
#define CAUSE_SUPERVISOR_ECALL    9
#define CAUSE_MACHINE_ECALL       11

/* ---- CSR numbers the tests name numerically (2.2, table 2.2-2.5) ------------------------------ */
#define CSR_MVENDORID  0xf11
#define CSR_MARCHID    0xf12
#define CSR_MIMPID     0xf13
#define CSR_MHARTID    0xf14
#define CSR_MCONFIGPTR 0xf15
#define CSR_MSTATUS    0x300
#define CSR_MISA       0x301
#define CSR_MEDELEG    0x302
#define CSR_MIDELEG    0x303
#define CSR_MIE        0x304
#define CSR_MTVEC      0x305
#define CSR_MENVCFG    0x30a
#define CSR_MSTATUSH   0x310
#define CSR_MSECCFG    0x747
#define CSR_SSTATUS    0x100
#define CSR_SENVCFG    0x10a
#define CSR_SATP       0x180
#define CSR_CYCLE      0xc00
#define CSR_TIME       0xc01
#define CSR_INSTRET    0xc02
#define CSR_CYCLEH     0xc80
#define CSR_MCYCLE     0xb00
#define CSR_MINSTRET   0xb02
#define CSR_PMPCFG1    0x3a1

/* ---- instruction encodings, for checking mtval on illegal-instruction traps (3.1.16) ---------- */
#define CSR_INSN(csr, rs1, f3, rd) (((csr) << 20) | ((rs1) << 15) | ((f3) << 12) | ((rd) << 7) | 0x73)
#define CSRRW_BITS(csr, rs1, rd)  CSR_INSN(csr, rs1, 1, rd)
#define CSRRS_BITS(csr, rs1, rd)  CSR_INSN(csr, rs1, 2, rd)
#define CSRRC_BITS(csr, rs1, rd)  CSR_INSN(csr, rs1, 3, rd)
#define CSRRWI_BITS(csr, imm, rd) CSR_INSN(csr, imm, 5, rd)
#define CSRRSI_BITS(csr, imm, rd) CSR_INSN(csr, imm, 6, rd)
#define CSRRCI_BITS(csr, imm, rd) CSR_INSN(csr, imm, 7, rd)
#define INSN_ECALL      0x00000073
#define INSN_EBREAK     0x00100073
#define INSN_SRET       0x10200073
#define INSN_MRET       0x30200073
#define INSN_WFI        0x10500073
#define INSN_SFENCE_VMA 0x12000073   /* sfence.vma x0, x0 */
/* register numbers, for the encodings above */
#define X_ZERO 0
#define X_A0 10
#define X_A1 11

/* ---- checks ---------------------------------------------------------------------------------- */
/* Fail the current case unless `reg` == `val` / the address of `label` / `reg2`. */
#define EXPECT(reg, val)      li t6, val; bne reg, t6, fail
#define EXPECT_PC(reg, label) la t6, label; bne reg, t6, fail
#define EXPECT_EQ(reg, reg2)  bne reg, reg2, fail
/* Fail unless (reg & mask) == val. */
#define EXPECT_BITS(reg, mask, val) li t6, mask; and t6, reg, t6; li t5, val; bne t5, t6, fail

/* Fail unless the SD bit of the mstatus/sstatus value in `reg` is set exactly when one of FS, VS or
 * XS reads Dirty (3): 3.1.6.6, "The SD bit is a read-only bit that summarizes whether either the FS,
 * VS, or XS fields signal the presence of some dirty state". Clobbers t5, t6. */
#define EXPECT_SD_CONSISTENT(reg)                                              \
    srli t6, reg, 9;  andi t6, t6, 3; xori t6, t6, 3; seqz t5, t6;              \
    srli t6, reg, 13; andi t6, t6, 3; xori t6, t6, 3; seqz t6, t6; or t5, t5, t6; \
    srli t6, reg, 15; andi t6, t6, 3; xori t6, t6, 3; seqz t6, t6; or t5, t5, t6; \
    srli t6, reg, 63; bne t5, t6, fail

/* Run `code`, which must trap; the handler resumes right after this macro, in the mode that took the
 * trap. Falling through `code` without a trap fails the case. */
#define TRAP_EXPECTED(code...) \
    la s7, 7770f; li s6, 0; code; j fail; 7770:

/* The last trap went to M-mode (S-mode) with exception cause `cause`. */
#define EXPECT_M_TRAP(cause) EXPECT(s6, PRV_M); EXPECT(s8, cause)
#define EXPECT_S_TRAP(cause) EXPECT(s6, PRV_S); EXPECT(s8, cause)

/* ---- privilege changes ------------------------------------------------------------------------ */
/* From M-mode: set mstatus.MPP = `mode` and mret to the next instruction, which then runs in `mode`.
 * mret also sets MIE = MPIE, MPIE = 1 (3.3.2); tests that care set MPIE first. */
#define ENTER_MODE(mode)                                     \
    li t5, MSTATUS_MPP; csrc mstatus, t5;                    \
    li t5, ((mode) << 11); csrs mstatus, t5;                 \
    la t5, 7771f; csrw mepc, t5; mret; 7771:
#define ENTER_S ENTER_MODE(PRV_S)
#define ENTER_U ENTER_MODE(PRV_U)
/* From S- or U-mode (ECALL not delegated): ecall into priv_mtrap and continue after the macro in M. */
#define BACK_TO_M \
    la s7, 7772f; li s6, 0; ecall; j fail; 7772: EXPECT(s6, PRV_M)
/* From U-mode with ecall-from-U delegated: ecall into priv_strap and continue in S. */
#define BACK_TO_S \
    la s7, 7773f; li s6, 0; ecall; j fail; 7773: EXPECT(s6, PRV_S)

/* Return to a clean M-mode state between groups of cases: no delegation, no interrupt enabled or
 * software-pending, mstatus trap-control and interrupt-enable bits clear, MPP = M, direct-mode
 * mtvec/stvec at the frame's handlers. Global enables go first, so that undelegating a pending,
 * enabled interrupt cannot make it an M-level one that is taken. Clobbers t5. */
#define PRIV_RESET                                                    \
    li t5, (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | \
            MSTATUS_SPP | MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW |   \
            MSTATUS_TSR);                                             \
    csrc mstatus, t5; li t5, MSTATUS_MPP; csrs mstatus, t5;           \
    csrw mie, zero; li t5, MIP_S_BITS; csrc mip, t5;                  \
    csrw medeleg, zero; csrw mideleg, zero;                           \
    la t5, priv_mtrap; csrw mtvec, t5;                                \
    la t5, priv_strap; csrw stvec, t5

/* ---- program frame ---------------------------------------------------------------------------- */
#define PRIV_BEGIN                                                        \
    TEST_BEGIN                                                            \
    j priv_init;                                                          \
                                                                          \
    /* M-mode trap handler: record the trap, then resume at s7. */        \
    .align 6;                                                             \
priv_mtrap:                                                               \
    csrr s8, mcause;                                                      \
    csrr s9, mtval;                                                       \
    csrr s10, mepc;                                                       \
    csrr s11, mstatus;                                                    \
    li s6, PRV_M;                                                         \
    bnez s7, 1f;                                                          \
    j unexpected_trap;                                                    \
1:  mv t5, s7;                                                            \
    li s7, 0;                                                             \
    jr t5;                                                                \
                                                                          \
    /* S-mode trap handler: the same with the supervisor CSRs. */         \
    .align 6;                                                             \
priv_strap:                                                               \
    csrr s8, scause;                                                      \
    csrr s9, stval;                                                       \
    csrr s10, sepc;                                                       \
    csrr s11, sstatus;                                                    \
    li s6, PRV_S;                                                         \
    bnez s7, 1f;                                                          \
    slli t5, s8, 1;                                                       \
    srli t5, t5, 1;                                                       \
    li TESTNUM, 3000;                                                     \
    bgez s8, 2f;                                                          \
    li TESTNUM, 4000;                                                     \
2:  add TESTNUM, TESTNUM, t5;                                             \
    j fail;                                                               \
1:  mv t5, s7;                                                            \
    li s7, 0;                                                             \
    jr t5;                                                                \
                                                                          \
priv_init:                                                                \
    li s7, 0;                                                             \
    /* PMP: one NAPOT entry covering all of memory with RWX, so that S    \
     * and U may run at all (3.7.1: with PMP implemented, an S/U access   \
     * matching no entry fails). emu does not enforce PMP yet. */         \
    li t5, -1;                                                            \
    csrw pmpaddr0, t5;                                                    \
    li t5, 0x1f;                                                          \
    csrw pmpcfg0, t5;                                                     \
    /* menvcfg.STCE (Sstc) off: keeps mip.STIP software-writable on an    \
     * implementation with Sstc; a no-op on emu, which has no Sstc. */     \
    li t5, 0x8000000000000000;                                            \
    csrc CSR_MENVCFG, t5;                                                 \
    PRIV_RESET;                                                           \
    csrw satp, zero

#endif
