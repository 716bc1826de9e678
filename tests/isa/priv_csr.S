/* Privileged architecture: CSR access semantics and the machine/supervisor CSRs' field behaviour.
 *
 * Spec: Zicsr (unprivileged spec ch. 9, "Zicsr") for the instruction semantics; privileged spec 1.12
 * ch. 2 (CSR address map and access rules), 3.1 (machine CSRs), 4.1 (supervisor CSRs).
 * Frame and reserved registers: see priv.h. All cases run in M-mode unless they say otherwise.
 */
#include "priv.h"

PRIV_BEGIN

    /* ============================================================================================
     * 1. CSR instructions (Zicsr): read old value into rd, then write / set / clear.
     * ========================================================================================== */

    /* csrrw: rd gets the old value, the CSR gets rs1 */
    li TESTNUM, 2
    li a1, 0x1234; csrw mscratch, a1
    li a1, 0x5678; csrrw a0, mscratch, a1
    EXPECT(a0, 0x1234)
    csrr a0, mscratch; EXPECT(a0, 0x5678)

    /* csrrs: sets the bits that are 1 in rs1 */
    li TESTNUM, 3
    li a1, 0xf0; csrw mscratch, a1
    li a1, 0x0f; csrrs a0, mscratch, a1
    EXPECT(a0, 0xf0)
    csrr a0, mscratch; EXPECT(a0, 0xff)

    /* csrrc: clears the bits that are 1 in rs1 */
    li TESTNUM, 4
    li a1, 0x0f; csrrc a0, mscratch, a1
    EXPECT(a0, 0xff)
    csrr a0, mscratch; EXPECT(a0, 0xf0)

    /* csrrwi: 5-bit immediate, zero-extended */
    li TESTNUM, 5
    csrrwi a0, mscratch, 31
    EXPECT(a0, 0xf0)
    csrr a0, mscratch; EXPECT(a0, 31)

    /* csrrsi / csrrci */
    li TESTNUM, 6
    li a1, 0x100; csrw mscratch, a1
    csrrsi a0, mscratch, 0x11
    EXPECT(a0, 0x100)
    csrrci a0, mscratch, 0x10
    EXPECT(a0, 0x111)
    csrr a0, mscratch; EXPECT(a0, 0x101)

    /* mscratch is MXLEN = 64 bits wide */
    li TESTNUM, 7
    li a1, 0x8765432112345678; csrw mscratch, a1
    csrr a0, mscratch; EXPECT_EQ(a0, a1)

    /* rd == rs1: the old value is read before the register is overwritten */
    li TESTNUM, 8
    li a0, 7; csrw mscratch, a0
    li a0, 9; csrrw a0, mscratch, a0
    EXPECT(a0, 7)
    csrr a0, mscratch; EXPECT(a0, 9)

    /* csrrs/csrrc with rs1 = x0 and csrrsi/csrrci with uimm = 0 do not write the CSR at all, so they
     * raise no illegal-instruction exception on read-only CSRs (Zicsr; priv 2.1). Any trap here is
     * unexpected and fails with 1000 + mcause. */
    li TESTNUM, 9
    csrr a0, mvendorid
    csrrc a0, mhartid, x0
    csrrsi a0, marchid, 0
    csrrci a0, mimpid, 0
    csrr a0, CSR_MCONFIGPTR
    csrr a0, cycle
    csrr a0, instret
    csrrc a0, cycle, x0

#ifndef PRIV_ON_QEMU
    /* ...but rs1 != x0 is a write attempt even if the register holds 0 (Zicsr: "the instruction will
     * still attempt to write the unmodified value back"): illegal on a read-only CSR, with the
     * instruction bits in mtval (3.1.16) and mepc = the instruction. rd is not written.
     * QEMU 7.2 DISAGREES: it decides on the register's value (0 = no write) and does not trap. */
    li TESTNUM, 10
    li a1, 0
    li a0, 0x5a
    TRAP_EXPECTED(1: csrrs a0, mvendorid, a1)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_MVENDORID, X_A1, X_A0))
    EXPECT_PC(s10, 1b)
    EXPECT(a0, 0x5a)

    li TESTNUM, 11
    TRAP_EXPECTED(1: csrrc a0, mhartid, a1)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRC_BITS(CSR_MHARTID, X_A1, X_A0))
    EXPECT_PC(s10, 1b)
#endif

    /* csrrsi with a non-zero immediate writes */
    li TESTNUM, 12
    TRAP_EXPECTED(1: csrrsi a0, mhartid, 1)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRSI_BITS(CSR_MHARTID, 1, X_A0))
    EXPECT_PC(s10, 1b)

    /* csrrw always writes, even with rd = x0 (the form `csrw`) */
    li TESTNUM, 13
    TRAP_EXPECTED(1: csrw mvendorid, zero)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRW_BITS(CSR_MVENDORID, X_ZERO, X_ZERO))
    EXPECT_PC(s10, 1b)

    li TESTNUM, 14
    TRAP_EXPECTED(1: csrrwi a0, mhartid, 0)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRWI_BITS(CSR_MHARTID, 0, X_A0))
    EXPECT_PC(s10, 1b)

    /* CSR addresses with bits [11:10] = 11 are read-only (2.1): writing cycle/instret/time/mconfigptr
     * is illegal even in M-mode */
    li TESTNUM, 15
    TRAP_EXPECTED(1: csrw cycle, zero)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRW_BITS(CSR_CYCLE, X_ZERO, X_ZERO))
    EXPECT_PC(s10, 1b)

    li TESTNUM, 16
    TRAP_EXPECTED(1: csrrw a0, instret, a1)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRW_BITS(CSR_INSTRET, X_A1, X_A0))
    EXPECT_PC(s10, 1b)

    li TESTNUM, 17
    TRAP_EXPECTED(1: csrw time, zero)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRW_BITS(CSR_TIME, X_ZERO, X_ZERO))
    EXPECT_PC(s10, 1b)

    li TESTNUM, 18
    TRAP_EXPECTED(1: csrw CSR_MCONFIGPTR, zero)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRW_BITS(CSR_MCONFIGPTR, X_ZERO, X_ZERO))
    EXPECT_PC(s10, 1b)

    /* A CSR that does not exist is illegal to read (2.1): 0x307 is unallocated in 1.12. rd keeps its
     * value. */
    li TESTNUM, 19
    li a0, 0x77
    TRAP_EXPECTED(1: csrr a0, 0x307)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(0x307, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)
    EXPECT(a0, 0x77)

    /* RV64 has only the even pmpcfg registers: pmpcfg1 is illegal (3.7.1) */
    li TESTNUM, 20
    TRAP_EXPECTED(1: csrr a0, pmpcfg1)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_PMPCFG1, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)

    /* RV32-only CSRs do not exist on RV64: cycleh (Zicntr), mstatush (3.1.6) */
    li TESTNUM, 21
    TRAP_EXPECTED(1: csrr a0, cycleh)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_CYCLEH, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)

    li TESTNUM, 22
    TRAP_EXPECTED(1: csrr a0, CSR_MSTATUSH)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_MSTATUSH, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)

    /* ============================================================================================
     * 2. Machine information registers (3.1.1-3.1.5, 3.1.17)
     * ========================================================================================== */

    /* mhartid: the only hart is hart 0 ("at least one hart must have a hart ID of zero") */
    li TESTNUM, 30
    csrr a0, mhartid; EXPECT(a0, 0)

    /* mvendorid = 0: "not implemented / non-commercial implementation" (both emu and QEMU) */
    li TESTNUM, 31
    csrr a0, mvendorid; EXPECT(a0, 0)

#ifndef PRIV_ON_QEMU
    /* emu's choice: marchid = mimpid = 0 (QEMU reports its own version in both) */
    li TESTNUM, 32
    csrr a0, marchid; EXPECT(a0, 0)
    csrr a0, mimpid; EXPECT(a0, 0)
#endif

    /* mconfigptr = 0: no configuration data structure (3.1.17) */
    li TESTNUM, 33
    csrr a0, CSR_MCONFIGPTR; EXPECT(a0, 0)

    /* misa.MXL = 2 (XLEN 64) in bits 63:62 (3.1.1) */
    li TESTNUM, 34
    csrr a0, misa
    srli a1, a0, 62; EXPECT(a1, 2)
    /* bits 61:26 are zero */
    slli a1, a0, 2; srli a1, a1, 28; EXPECT(a1, 0)

    /* misa reports I, M, A, C, S and U (and not E, which is exclusive with I) */
    li TESTNUM, 35
    EXPECT_BITS(a0, (1 << 8) | (1 << 12) | (1 << 0) | (1 << 2) | (1 << 18) | (1 << 20), \
                    (1 << 8) | (1 << 12) | (1 << 0) | (1 << 2) | (1 << 18) | (1 << 20))
    EXPECT_BITS(a0, 1 << 4, 0)

    /* emu's choice: misa is read-only (WARL; "a value of zero may be returned" is not used, and writes
     * are ignored). Clearing M, or writing 0, leaves it unchanged. QEMU agrees. */
    li TESTNUM, 36
    csrr a1, misa
    li a2, ~(1 << 12); and a2, a2, a1
    csrw misa, a2
    csrr a0, misa; EXPECT_EQ(a0, a1)
    csrw misa, zero
    csrr a0, misa; EXPECT_EQ(a0, a1)

    /* ============================================================================================
     * 3. mstatus (3.1.6)
     * ========================================================================================== */
    PRIV_RESET

    /* Write all ones (nothing between the write and the restore touches memory, so a writable
     * MBE/SBE/UBE could do no harm), then read back. */
    li TESTNUM, 40
    csrr a2, mstatus
    li a1, -1
    csrw mstatus, a1
    csrr s0, mstatus
    csrw mstatus, a2
    /* WPRI fields read zero. The hypervisor bits GVA/MPV are WPRI too unless misa.H (emu has no H;
     * QEMU's default CPU does). */
    li a1, ~MSTATUS_DEFINED
    csrr a3, misa; andi a3, a3, 1 << 7
    beqz a3, 1f
    li a3, ~(MSTATUS_GVA | MSTATUS_MPV); and a1, a1, a3
1:  and a1, a1, s0
    EXPECT(a1, 0)

    /* SXL reads 2 (64-bit) whatever was written: 3 is reserved, and emu's S-mode is 64-bit only */
    li TESTNUM, 41
    EXPECT_BITS(s0, MSTATUS_SXL, 0x800000000)
#ifndef PRIV_ON_QEMU
    /* emu's choice: UXL is read-only 2 (U-mode is 64-bit only). QEMU 7.2 DISAGREES beyond the
     * choice: it stores any non-zero value written, even the reserved 3. */
    EXPECT_BITS(s0, MSTATUS_UXL, 0x200000000)
#endif

    /* the fields that must be writable with S and U implemented took the ones: SIE MIE SPIE MPIE SPP
     * MPP(=3) MPRV (needs U) MXR TVM TW TSR (need S) */
    li TESTNUM, 42
#define MSTATUS_RW (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | \
                    MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
    EXPECT_BITS(s0, MSTATUS_RW, MSTATUS_RW)

    /* SD summarises FS/VS/XS */
    li TESTNUM, 43
    EXPECT_SD_CONSISTENT(s0)

    /* Write all zeros: the same fields read 0, SXL/UXL still 2 (read-only in emu; WARL with 64 the only
     * legal value), SD consistent (SD is read-only: writing 0 does not clear a set one). MPP = 0 is
     * legal because U is implemented. */
    li TESTNUM, 44
    csrr a2, mstatus
    csrw mstatus, zero
    csrr s0, mstatus
    csrw mstatus, a2
    EXPECT_BITS(s0, MSTATUS_RW, 0)
    EXPECT_BITS(s0, MSTATUS_SXL | MSTATUS_UXL, 0xA00000000)
    EXPECT_SD_CONSISTENT(s0)

#ifndef PRIV_ON_QEMU
    /* MPP is WARL: 2 is reserved, so writing it leaves a legal value (0, 1 or 3).
     * QEMU 7.2 DISAGREES: it stores and reads back 2. */
    li TESTNUM, 45
    csrr a2, mstatus
    li a1, MSTATUS_MPP; csrc mstatus, a1
    li a1, 2 << 11; csrs mstatus, a1
    csrr s0, mstatus
    csrw mstatus, a2
    srli a0, s0, 11; andi a0, a0, 3
    li t6, 2; beq a0, t6, fail
#endif

    /* MPP holds 0 (U) and 1 (S) */
    li TESTNUM, 46
    csrr a2, mstatus
    li a1, MSTATUS_MPP; csrc mstatus, a1
    csrr s0, mstatus
    li a1, MSTATUS_MPP_S; csrs mstatus, a1
    csrr s1, mstatus
    csrw mstatus, a2
    EXPECT_BITS(s0, MSTATUS_MPP, 0)
    EXPECT_BITS(s1, MSTATUS_MPP, MSTATUS_MPP_S)

    /* SD is read-only: with FS, VS and XS all written 0, setting SD has no effect (XS is read-only,
     * the check is on the values read) */
    li TESTNUM, 47
    csrr a2, mstatus
    li a1, MSTATUS_FS | MSTATUS_VS | MSTATUS_XS; csrc mstatus, a1
    li a1, MSTATUS_SD; csrs mstatus, a1
    csrr s0, mstatus
    csrw mstatus, a2
    EXPECT_SD_CONSISTENT(s0)

    /* FS = Dirty (if FS is writable at all) sets SD */
    li TESTNUM, 48
    csrr a2, mstatus
    li a1, MSTATUS_FS; csrs mstatus, a1
    csrr s0, mstatus
    csrw mstatus, a2
    EXPECT_SD_CONSISTENT(s0)

    /* ============================================================================================
     * 4. sstatus is a view of mstatus (4.1.1)
     * ========================================================================================== */
    PRIV_RESET

    /* sstatus reads exactly mstatus restricted to the S-visible fields */
    li TESTNUM, 50
    li a1, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_MXR | MSTATUS_MPIE | MSTATUS_TSR
    csrs mstatus, a1
    csrr a0, sstatus
    csrr a1, mstatus
    li t0, SSTATUS_FIELDS; and a1, a1, t0
    EXPECT_EQ(a0, a1)
    /* ...so it has the S fields just set, and none of MPIE/TSR/MPP */
    EXPECT_BITS(a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_MXR, \
                    MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_MXR)
    EXPECT_BITS(a0, ~SSTATUS_FIELDS, 0)
    /* sstatus.UXL reads 2 */
    EXPECT_BITS(a0, MSTATUS_UXL, 0x200000000)

    /* Writing sstatus = 0 clears the S fields in mstatus and leaves the M-only ones */
    li TESTNUM, 51
    csrw sstatus, zero
    csrr a0, mstatus
    EXPECT_BITS(a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_MXR, 0)
    EXPECT_BITS(a0, MSTATUS_MPIE | MSTATUS_TSR | MSTATUS_MPP, MSTATUS_MPIE | MSTATUS_TSR | MSTATUS_MPP)
    EXPECT_BITS(a0, MSTATUS_UXL | MSTATUS_SXL, 0xA00000000)

    /* Writing sstatus = all ones sets the S fields but none of the M-only ones (MIE, TVM, TW, MPRV stay
     * 0; MPP stays 3). Restored before anything touches memory (UBE). */
    li TESTNUM, 52
    csrr a2, mstatus
    li a1, MSTATUS_MPIE | MSTATUS_TSR; csrc mstatus, a1
    li a1, -1
    csrw sstatus, a1
    csrr a0, mstatus
    csrw mstatus, a2
    EXPECT_BITS(a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_MXR, \
                    MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_MXR)
    EXPECT_BITS(a0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM | \
                    MSTATUS_TW | MSTATUS_TSR | MSTATUS_SXL, MSTATUS_MPP | 0x800000000)

    /* ============================================================================================
     * 5. mie / mip / mideleg / medeleg and the sie / sip views (3.1.8, 3.1.9, 4.1.3)
     *    mstatus.MIE stays 0 throughout, so nothing here is taken as an interrupt.
     * ========================================================================================== */
    PRIV_RESET

    /* mie: the six S/M enable bits are writable; the old U-level bits (0, 4, 8) read zero */
    li TESTNUM, 60
    li a1, -1; csrw mie, a1
    csrr a0, mie
    csrw mie, zero
    EXPECT_BITS(a0, MIP_S_BITS | MIP_M_BITS, MIP_S_BITS | MIP_M_BITS)
    EXPECT_BITS(a0, 0x111, 0)
    csrr a0, mie; EXPECT(a0, 0)

    /* mip: SSIP, STIP and SEIP are writable from M-mode (3.1.9; no Sstc) */
    li TESTNUM, 61
    li a1, MIP_S_BITS; csrs mip, a1
    csrr a0, mip
    EXPECT_BITS(a0, MIP_S_BITS, MIP_S_BITS)
    li a1, MIP_S_BITS; csrc mip, a1
    csrr a0, mip
    EXPECT_BITS(a0, MIP_S_BITS, 0)
    /* each one individually */
    csrsi mip, MIP_SSIP
    csrr a0, mip; EXPECT_BITS(a0, MIP_S_BITS, MIP_SSIP)
    csrci mip, MIP_SSIP
    li a1, MIP_STIP; csrs mip, a1
    csrr a0, mip; EXPECT_BITS(a0, MIP_S_BITS, MIP_STIP)
    csrc mip, a1
    li a1, MIP_SEIP; csrs mip, a1
    csrr a0, mip; EXPECT_BITS(a0, MIP_S_BITS, MIP_SEIP)
    csrc mip, a1
    csrr a0, mip; EXPECT_BITS(a0, MIP_S_BITS, 0)

    /* mip: MSIP, MTIP and MEIP are read-only (set by the CLINT/PLIC only): csrs/csrc change nothing */
    li TESTNUM, 62
    csrr a1, mip
    li a2, MIP_M_BITS
    csrs mip, a2
    csrr a0, mip
    xor a0, a0, a1; EXPECT_BITS(a0, MIP_M_BITS, 0)
    csrc mip, a2
    csrr a0, mip
    xor a0, a0, a1; EXPECT_BITS(a0, MIP_M_BITS, 0)

    /* mideleg: the supervisor interrupts are delegable; bits 0/4/8 read zero */
    li TESTNUM, 63
    li a1, -1; csrw mideleg, a1
    csrr a0, mideleg
    csrw mideleg, zero
    EXPECT_BITS(a0, MIP_S_BITS, MIP_S_BITS)
    EXPECT_BITS(a0, 0x111, 0)

#ifndef PRIV_ON_QEMU
    /* medeleg[11] (ECALL from M) is read-only zero (3.1.8: "medeleg[11] is read-only zero").
     * QEMU 7.2 DISAGREES: it keeps bit 11 writable. */
    li TESTNUM, 64
    li a1, -1; csrw medeleg, a1
    csrr a0, medeleg
    csrw medeleg, zero
    EXPECT_BITS(a0, 1 << CAUSE_MACHINE_ECALL, 0)
#endif

    /* medeleg: the exceptions Unix-like kernels delegate are delegable (WARL; emu implements them):
     * misaligned fetch, illegal instruction, breakpoint, misaligned load/store, access faults, ECALL
     * from U and S, and the page faults (12, 13, 15) */
    li TESTNUM, 65
    li a1, -1; csrw medeleg, a1
    csrr a0, medeleg
    csrw medeleg, zero
    EXPECT_BITS(a0, 0xb3ff, 0xb3ff)
    csrr a0, medeleg; EXPECT(a0, 0)

    /* sie/sip with nothing delegated: every bit reads zero although mie/mip have S bits set (3.1.9:
     * "Otherwise, the corresponding bits in sip and sie are read-only zero") */
    li TESTNUM, 66
    li a1, MIP_S_BITS; csrw mie, a1
    li a1, MIP_SSIP | MIP_STIP; csrs mip, a1
    csrr a0, sie; EXPECT(a0, 0)
    csrr a0, sip; EXPECT(a0, 0)

    /* with mideleg = SSI|STI|SEI: sie shows mie's S bits, sip shows mip's */
    li TESTNUM, 67
    li a1, MIP_S_BITS; csrw mideleg, a1
    csrr a0, sie; EXPECT(a0, MIP_S_BITS)
    csrr a0, sip; EXPECT(a0, MIP_SSIP | MIP_STIP)

    /* partial delegation: only the delegated bit is visible */
    li TESTNUM, 68
    li a1, MIP_STIP; csrw mideleg, a1
    csrr a0, sie; EXPECT(a0, MIP_STIP)
    csrr a0, sip; EXPECT(a0, MIP_STIP)

    /* writing sie writes mie's delegated bits only; M bits of mie are never touched through sie */
    li TESTNUM, 69
    li a1, MIP_SSIP; csrw mideleg, a1
    li a1, MIP_MSIP | MIP_MEIP; csrw mie, a1      /* MSIE/MEIE: nothing pending (no CLINT/PLIC use) */
    li a1, -1; csrw sie, a1
    csrr a0, mie; EXPECT(a0, MIP_MSIP | MIP_MEIP | MIP_SSIP)
    csrw sie, zero
    csrr a0, mie; EXPECT(a0, MIP_MSIP | MIP_MEIP)
    csrw mie, zero

    /* sip.SSIP is writable when SSI is delegated (4.1.3), and writes mip.SSIP */
    li TESTNUM, 70
    li a1, MIP_S_BITS; csrw mideleg, a1
    li a1, MIP_S_BITS; csrc mip, a1
    csrsi sip, MIP_SSIP
    csrr a0, mip; EXPECT_BITS(a0, MIP_S_BITS, MIP_SSIP)
    csrci sip, MIP_SSIP
    csrr a0, mip; EXPECT_BITS(a0, MIP_S_BITS, 0)

    /* sip.STIP and sip.SEIP are read-only (4.1.3): writes through sip do not reach mip */
    li TESTNUM, 71
    li a1, MIP_STIP | MIP_SEIP; csrs sip, a1
    csrr a0, mip; EXPECT_BITS(a0, MIP_S_BITS, 0)
    li a1, MIP_STIP | MIP_SEIP; csrs mip, a1
    li a1, MIP_STIP | MIP_SEIP; csrc sip, a1
    csrr a0, mip; EXPECT_BITS(a0, MIP_S_BITS, MIP_STIP | MIP_SEIP)
    li a1, MIP_S_BITS; csrc mip, a1

    /* sip.SSIP is read-only zero when SSI is not delegated: the write does not reach mip */
    li TESTNUM, 72
    csrw mideleg, zero
    csrsi sip, MIP_SSIP
    csrr a0, mip; EXPECT_BITS(a0, MIP_SSIP, 0)
    PRIV_RESET

    /* ============================================================================================
     * 6. mtvec / stvec / mepc / sepc (3.1.7, 3.1.14, 4.1.2, 4.1.7)
     * ========================================================================================== */

    /* direct mode: BASE (4-byte aligned) and MODE 0 read back */
    li TESTNUM, 75
    la a1, priv_mtrap
    csrw mtvec, a1
    csrr a0, mtvec; EXPECT_EQ(a0, a1)

    /* vectored mode (MODE 1) is implemented by emu (optional in the spec; priv_irq uses it) */
    li TESTNUM, 76
    la a1, priv_mtrap
    ori a1, a1, 1
    csrw mtvec, a1
    csrr a0, mtvec
    la a2, priv_mtrap; csrw mtvec, a2
    EXPECT_EQ(a0, a1)

    /* MODE >= 2 is reserved: mtvec is WARL, so it still reads a legal MODE (0 or 1). emu (and QEMU)
     * ignore such a write altogether, which the second check relies on. */
    li TESTNUM, 77
    la a2, priv_mtrap
    ori a1, a2, 2
    csrw mtvec, a1
    csrr a0, mtvec
    csrw mtvec, a2
    andi a3, a0, 3; li t6, 2; bgeu a3, t6, fail
    EXPECT_EQ(a0, a2)

    li TESTNUM, 78
    la a2, priv_mtrap
    ori a1, a2, 3
    csrw mtvec, a1
    csrr a0, mtvec
    csrw mtvec, a2
    andi a3, a0, 3; li t6, 2; bgeu a3, t6, fail
    EXPECT_EQ(a0, a2)

    /* the same for stvec */
    li TESTNUM, 79
    la a2, priv_strap
    ori a1, a2, 1
    csrw stvec, a1
    csrr a0, stvec; EXPECT_EQ(a0, a1)
    ori a1, a2, 2
    csrw stvec, a2
    csrw stvec, a1
    csrr a0, stvec
    csrw stvec, a2
    andi a3, a0, 3; li t6, 2; bgeu a3, t6, fail
    EXPECT_EQ(a0, a2)

    /* bit 1 of mepc/sepc is kept because C is implemented (IALIGN = 16) */
    li TESTNUM, 80
    li a1, 0x80001236; csrw mepc, a1
    csrr a0, mepc; EXPECT(a0, 0x80001236)
    li a1, 0x80001236; csrw sepc, a1
    csrr a0, sepc; EXPECT(a0, 0x80001236)

#ifndef PRIV_ON_QEMU
    /* mepc[0] and sepc[0] are always zero (3.1.14 "mepc[0] is always zero", 4.1.7).
     * QEMU 7.2 DISAGREES: it stores and reads back bit 0. */
    li TESTNUM, 81
    li a1, 0x80001237; csrw mepc, a1
    csrr a0, mepc; EXPECT(a0, 0x80001236)
    li a1, 0x80001237; csrw sepc, a1
    csrr a0, sepc; EXPECT(a0, 0x80001236)
#endif

    /* ============================================================================================
     * 7. Counters (3.1.10-3.1.13, Zicntr) and counter-enable gating
     * ========================================================================================== */
    PRIV_RESET

    /* mcounteren/scounteren: CY, TM, IR are writable (WARL; emu implements all three) */
    li TESTNUM, 83
    li a1, 7; csrw mcounteren, a1
    csrr a0, mcounteren; EXPECT_BITS(a0, 7, 7)
    csrw mcounteren, zero
    csrr a0, mcounteren; EXPECT_BITS(a0, 7, 0)
    li a1, 7; csrw scounteren, a1
    csrr a0, scounteren; EXPECT_BITS(a0, 7, 7)
    csrw scounteren, zero
    csrr a0, scounteren; EXPECT_BITS(a0, 7, 0)

    /* mcountinhibit exists (3.1.12): reading and writing it do not trap. Written 0, so that the
     * counters below run. */
    li TESTNUM, 84
    csrr a0, mcountinhibit
    csrw mcountinhibit, zero
    csrr a0, mcountinhibit
    EXPECT_BITS(a0, 5, 0)

    /* emu's choice: the programmable counters read 0 (3.1.10: "A legal implementation is to make
     * both the counter and its corresponding event selector be read-only 0") */
    li TESTNUM, 85
    csrr a0, mhpmcounter3; EXPECT(a0, 0)
    csrr a0, hpmcounter3; EXPECT(a0, 0)
    csrr a0, mhpmevent3

#ifndef PRIV_ON_QEMU
    /* all 29 of mhpmcounter3..31 exist (3.1.10), the last one too.
     * QEMU 7.2 DISAGREES: with its default 16 counters, mhpmcounter19..31 are illegal. */
    li TESTNUM, 86
    csrr a0, mhpmcounter31; EXPECT(a0, 0)
    csrr a0, hpmcounter31; EXPECT(a0, 0)
    csrr a0, mhpmevent31
#endif

    /* minstret counts: 10 instructions in between, at least 10 counted */
    li TESTNUM, 87
    csrr a1, minstret
    nop; nop; nop; nop; nop; nop; nop; nop; nop; nop
    csrr a0, minstret
    sub a0, a0, a1
    li t6, 10; bltu a0, t6, fail

    /* mcycle likewise (emu: counts retired instructions; elsewhere at least one per instruction) */
    li TESTNUM, 88
    csrr a1, mcycle
    nop; nop; nop; nop; nop; nop; nop; nop; nop; nop
    csrr a0, mcycle
    sub a0, a0, a1
    li t6, 10; bltu a0, t6, fail

    /* the unprivileged shadows read the same counters: instret/cycle read at or after minstret/mcycle */
    li TESTNUM, 89
    csrr a1, minstret
    csrr a0, instret
    bltu a0, a1, fail
    csrr a1, mcycle
    csrr a0, cycle
    bltu a0, a1, fail

    /* minstret and mcycle are writable: the next read is the written value plus what has run since
     * (a generous bound) */
    li TESTNUM, 90
    li a1, 0x10000000000
    csrw minstret, a1
    csrr a0, minstret
    bltu a0, a1, fail
    li a2, 0x10100000000; bgeu a0, a2, fail
    li a1, 0x20000000000
    csrw mcycle, a1
    csrr a0, cycle
    bltu a0, a1, fail
    li a2, 0x20100000000; bgeu a0, a2, fail

    /* S-mode with mcounteren = 0: cycle, instret, time are illegal (3.1.11), trap to M with MPP = S */
    li TESTNUM, 91
    csrw mcounteren, zero
    TRAP_EXPECTED(ENTER_S; 1: rdcycle a0)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_CYCLE, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, MSTATUS_MPP_S)

    li TESTNUM, 92
    TRAP_EXPECTED(ENTER_S; 1: rdinstret a0)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_INSTRET, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)

    li TESTNUM, 93
    TRAP_EXPECTED(ENTER_S; 1: rdtime a0)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_TIME, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)

    /* S-mode with mcounteren.CY and .IR set: readable. (A trap would be unexpected.) */
    li TESTNUM, 94
    li a1, 5; csrw mcounteren, a1
    ENTER_S
    rdcycle a0
    rdinstret a0
    BACK_TO_M
    EXPECT_M_TRAP(CAUSE_SUPERVISOR_ECALL)

    /* each bit gates only its own counter: CY alone still leaves instret illegal */
    li TESTNUM, 95
    li a1, 1; csrw mcounteren, a1
    TRAP_EXPECTED(ENTER_S; rdcycle a0; 1: rdinstret a0)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT_PC(s10, 1b)

#ifndef PRIV_ON_QEMU
    /* emu implements the time CSR (reads the platform timer); readable from S with mcounteren.TM.
     * QEMU's spike machine has no time CSR at all. */
    li TESTNUM, 96
    li a1, 2; csrw mcounteren, a1
    ENTER_S
    rdtime a0
    BACK_TO_M
    /* and from M-mode, where it always advances */
    rdtime a1
    nop; nop; nop; nop
    rdtime a0
    bltu a0, a1, fail
#endif

    /* U-mode needs the bit in both mcounteren and scounteren (3.1.11, 4.1.5) */
    li TESTNUM, 97
    li a1, 7; csrw mcounteren, a1
    csrw scounteren, zero
    TRAP_EXPECTED(ENTER_U; 1: rdcycle a0)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_CYCLE, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, 0)

    li TESTNUM, 98
    TRAP_EXPECTED(ENTER_U; 1: rdinstret a0)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_INSTRET, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)

    li TESTNUM, 99
    TRAP_EXPECTED(ENTER_U; 1: rdtime a0)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_TIME, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)

    /* scounteren set but mcounteren clear: still illegal in U */
    li TESTNUM, 100
    csrw mcounteren, zero
    li a1, 7; csrw scounteren, a1
    TRAP_EXPECTED(ENTER_U; 1: rdcycle a0)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT_PC(s10, 1b)

    /* both set: readable from U */
    li TESTNUM, 101
    li a1, 5; csrw mcounteren, a1
    li a1, 5; csrw scounteren, a1
    ENTER_U
    rdcycle a0
    rdinstret a0
    BACK_TO_M
    EXPECT_M_TRAP(CAUSE_USER_ECALL)

#ifndef PRIV_ON_QEMU
    li TESTNUM, 102
    li a1, 7; csrw mcounteren, a1
    li a1, 7; csrw scounteren, a1
    ENTER_U
    rdtime a0
    BACK_TO_M
#endif
    csrw mcounteren, zero
    csrw scounteren, zero

    /* ============================================================================================
     * 8. Privilege of CSR addresses: bits [9:8] give the lowest privilege that may access (2.1)
     * ========================================================================================== */
    PRIV_RESET

    /* S-mode reading an M CSR: illegal instruction to M, mtval = instruction, mepc, MPP = S */
    li TESTNUM, 110
    li a0, 0x33
    TRAP_EXPECTED(ENTER_S; 1: csrr a0, mstatus)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_MSTATUS, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, MSTATUS_MPP_S)
    EXPECT(a0, 0x33)

    li TESTNUM, 111
    TRAP_EXPECTED(ENTER_S; 1: csrw mscratch, a1)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRW_BITS(0x340, X_A1, X_ZERO))
    EXPECT_PC(s10, 1b)

    /* machine information registers are M-only too, even for reading */
    li TESTNUM, 112
    TRAP_EXPECTED(ENTER_S; 1: csrr a0, mhartid)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_MHARTID, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)

    li TESTNUM, 113
    TRAP_EXPECTED(ENTER_S; 1: csrr a0, mcounteren)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT_PC(s10, 1b)

    li TESTNUM, 114
    TRAP_EXPECTED(ENTER_S; 1: csrr a0, CSR_MENVCFG)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_MENVCFG, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)

    li TESTNUM, 115
    TRAP_EXPECTED(ENTER_S; 1: csrr a0, mcountinhibit)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT_PC(s10, 1b)

    /* the supervisor CSRs are accessible from S (no trap expected) */
    li TESTNUM, 116
    ENTER_S
    csrr a0, sstatus
    li a1, 0x1234; csrw sscratch, a1
    csrr a0, sscratch
    csrr a2, CSR_SENVCFG
    csrr a2, satp
    csrr a2, sie
    csrr a2, stvec
    BACK_TO_M
    EXPECT(a0, 0x1234)

    /* U-mode reading an S CSR or an M CSR: illegal, MPP = U */
    li TESTNUM, 117
    TRAP_EXPECTED(ENTER_U; 1: csrr a0, sstatus)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_SSTATUS, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, 0)

    li TESTNUM, 118
    TRAP_EXPECTED(ENTER_U; 1: csrr a0, mstatus)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_MSTATUS, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)

    li TESTNUM, 119
    TRAP_EXPECTED(ENTER_U; 1: csrw sscratch, a1)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRW_BITS(0x140, X_A1, X_ZERO))
    EXPECT_PC(s10, 1b)

    li TESTNUM, 120
    TRAP_EXPECTED(ENTER_U; 1: csrr a0, CSR_SENVCFG)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_SENVCFG, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)

    /* even csrrs with rs1 = x0 (a pure read) of a privileged CSR is illegal from U */
    li TESTNUM, 121
    TRAP_EXPECTED(ENTER_U; 1: csrr a0, satp)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_SATP, X_ZERO, X_A0))
    EXPECT_PC(s10, 1b)

    /* ============================================================================================
     * 9. menvcfg / senvcfg / mseccfg / satp
     * ========================================================================================== */

    /* menvcfg and senvcfg exist (3.1.18, 4.1.4): reads and a write of 0 do not trap */
    li TESTNUM, 125
    csrr a0, CSR_MENVCFG
    csrw CSR_MENVCFG, zero
    csrr a0, CSR_SENVCFG
    csrw CSR_SENVCFG, zero
    csrr a0, CSR_SENVCFG; EXPECT(a0, 0)

#ifndef PRIV_ON_QEMU
    /* emu implements mseccfg (read/write; no Smepmp fields in use). QEMU 7.2 has it only with its
     * experimental ePMP. */
    li TESTNUM, 126
    csrr a0, CSR_MSECCFG
    csrw CSR_MSECCFG, zero
#endif

    /* satp: writing an unsupported MODE (1..7 are reserved for RV64) has no effect at all (4.1.11) */
    li TESTNUM, 127
    csrw satp, zero
    li a1, (1 << 60) | 0x12345
    csrw satp, a1
    csrr a0, satp; EXPECT(a0, 0)
    li a1, (7 << 60) | 0x12345
    csrw satp, a1
    csrr a0, satp; EXPECT(a0, 0)

    PRIV_RESET
    j pass

TEST_END
