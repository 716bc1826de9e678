/* RV64F/D state: mstatus.FS, fcsr/frm/fflags, rounding-mode legality, NaN-boxing, FP loads and
 * stores (compressed too), and misa.
 *
 * Spec: unprivileged 20191213, chapters 11 (F: 11.2 fcsr, rm field; 11.5 loads/stores; 11.7 moves)
 * and 12 (D: 12.2 NaN-boxing); privileged 1.12, 3.1.6.6 (FS: Off makes every FP instruction and FP
 * CSR access illegal; a change to the FP state sets Dirty; SD summarizes).
 *
 * Checked on QEMU 7.2's spike machine with -DPRIV_ON_QEMU (see priv.h), which leaves out the one
 * case QEMU gets wrong (marked QEMU 7.2 DISAGREES).
 */
#include "priv.h"
#include "fp.h"

#define CSR_FFLAGS 0x001
#define CSR_FRM    0x002
#define CSR_FCSR   0x003
#define MISA_D     (1 << 3)
#define MISA_F     (1 << 5)

/* Instruction words used where the trap's mtval is checked or the assembler has no syntax. */
#define FADD_S_DYN   0x00c5f553   /* fadd.s fa0, fa1, fa2 (rm = dyn) */
#define FADD_S_RM5   0x00c5d553   /* fadd.s fa0, fa1, fa2 with the reserved rm 101 */
#define FADD_D_RM6   0x02c5e553   /* fadd.d fa0, fa1, fa2 with the reserved rm 110 */
#define FMV_X_W      0xe0058553   /* fmv.x.w a0, fa1 */
#define FCVT_D_W(rm) (0xd2058553 | ((rm) << 12))   /* fcvt.d.w fa0, a1 */
#define FCVT_D_S(rm) (0x42058553 | ((rm) << 12))   /* fcvt.d.s fa0, fa1 */
#define C_FSD_FS0_8_A1 0xa580   /* c.fsd fs0, 8(a1) */

/* FS := value (0 Off, 1 Initial, 2 Clean, 3 Dirty). Clobbers t0. */
#define SET_FS(v) li t0, MSTATUS_FS_FIELD; csrc mstatus, t0; li t0, ((v) << 13); csrs mstatus, t0
/* Fail unless mstatus.FS == v, with SD consistent. Clobbers a5, t5, t6. */
#define EXPECT_FS(v) \
    csrr a5, mstatus; EXPECT_SD_CONSISTENT(a5); srli a5, a5, 13; andi a5, a5, 3; EXPECT(a5, v)

PRIV_BEGIN

    /* ============================================================================================
     * 1. Reset state and misa
     * ========================================================================================== */

    /* emu's reset value of mstatus.FS is Off (firmware enables the FPU); QEMU's too */
    li TESTNUM, 2
    EXPECT_FS(0)

    /* misa reports F and D */
    li TESTNUM, 3
    csrr a0, misa
    EXPECT_BITS(a0, MISA_F | MISA_D, MISA_F | MISA_D)

    /* ============================================================================================
     * 2. FS = Off: every FP instruction and FP CSR access is illegal (3.1.6.6)
     * ========================================================================================== */

    /* Put known values in fa0 and fflags first, to see that the trapping instructions leave them */
    li TESTNUM, 4
    SET_FS(1)
    LOAD_D(fa0, 0x0123456789abcdef)
    fsflags zero
    SET_FS(0)
    TRAP_EXPECTED(1: .word FADD_S_DYN)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, FADD_S_DYN)
    EXPECT_PC(s10, 1b)

    /* a move from an f register only reads FP state: illegal all the same */
    li TESTNUM, 5
    li a0, 0x55
    TRAP_EXPECTED(1: .word FMV_X_W)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, FMV_X_W)
    EXPECT(a0, 0x55)

    /* a move to an f register */
    li TESTNUM, 6
    li a1, -1
    TRAP_EXPECTED(1: fmv.d.x fa0, a1)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT_PC(s10, 1b)

    /* the FP CSRs, read or written, by every form */
    li TESTNUM, 7
    li a0, 0x55
    TRAP_EXPECTED(1: frflags a0)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRS_BITS(CSR_FFLAGS, X_ZERO, X_A0))
    EXPECT(a0, 0x55)
    TRAP_EXPECTED(1: fsrmi 1)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRWI_BITS(CSR_FRM, 1, X_ZERO))
    TRAP_EXPECTED(1: fscsr a1)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, CSRRW_BITS(CSR_FCSR, X_A1, X_ZERO))
    TRAP_EXPECTED(1: csrs fflags, zero)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)

    /* a compressed FP store: mtval holds its 16 bits */
    li TESTNUM, 8
    la a1, scratch
    TRAP_EXPECTED(1: .half C_FSD_FS0_8_A1)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, C_FSD_FS0_8_A1)
    EXPECT_PC(s10, 1b)

    /* FS is still Off after the traps, and nothing was written */
    li TESTNUM, 9
    EXPECT_FS(0)
    SET_FS(1)
    fmv.x.d a0, fa0
    EXPECT(a0, 0x0123456789abcdef)
    frflags a0
    EXPECT(a0, 0)

    /* FS is also sstatus.FS: clearing it there turns the FPU off */
    li TESTNUM, 10
    li t0, MSTATUS_FS_FIELD; csrc sstatus, t0
    EXPECT_FS(0)
    TRAP_EXPECTED(1: .word FADD_S_DYN)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)

    /* ============================================================================================
     * 3. Any change to the FP state sets FS = Dirty (and SD)
     * ========================================================================================== */

    /* writing an f register */
    li TESTNUM, 11
    SET_FS(1)
    EXPECT_FS(1)
    li a1, 1
    fmv.w.x fa0, a1
    EXPECT_FS(3)
    csrr a0, sstatus
    EXPECT_BITS(a0, MSTATUS_FS_FIELD | MSTATUS_SD, MSTATUS_FS_FIELD | MSTATUS_SD)

    /* an FP load, from Clean */
    li TESTNUM, 12
    SET_FS(2)
    la a1, scratch
    fld fa1, 0(a1)
    EXPECT_FS(3)

    /* writing an FP CSR, from Clean */
    li TESTNUM, 13
    SET_FS(2)
    fsflags zero
    EXPECT_FS(3)
    SET_FS(1)
    fsrmi 0
    EXPECT_FS(3)

#ifndef PRIV_ON_QEMU
    /* accruing a flag without writing an f register (fcvt.w.s of 1.5 is inexact).
     * QEMU 7.2 DISAGREES: it leaves FS = Initial, though fflags changed. */
    li TESTNUM, 14
    SET_FS(3)
    LOAD_S(fa0, 0x3fc00000)
    fsflags zero
    SET_FS(1)
    fcvt.w.s a0, fa0
    EXPECT_FS(3)
    EXPECT(a0, 2)
#endif

    /* ============================================================================================
     * 4. fcsr = frm (7:5) | fflags (4:0); the aliases swap and mask (11.2)
     * ========================================================================================== */
    SET_FS(1)

    li TESTNUM, 15
    li a1, 0xff
    fscsr a1
    frcsr a0; EXPECT(a0, 0xff)
    frrm a0; EXPECT(a0, 7)
    frflags a0; EXPECT(a0, 0x1f)

    /* bits 31:8 are reserved: writes ignored, read zero */
    li TESTNUM, 16
    li a1, -1
    fscsr a0, a1
    EXPECT(a0, 0xff)
    frcsr a0; EXPECT(a0, 0xff)
    li a1, 0x1234
    csrw fcsr, a1
    frcsr a0; EXPECT(a0, 0x34)

    /* fsflags returns the old flags; frm is untouched; only 5 bits are written */
    li TESTNUM, 17
    li a1, 0x7e
    fsflags a0, a1
    EXPECT(a0, 0x14)
    frflags a0; EXPECT(a0, 0x1e)
    frrm a0; EXPECT(a0, 1)

    /* fsrm returns the old mode; only 3 bits are written; fflags is untouched */
    li TESTNUM, 18
    li a1, 0xfa
    fsrm a0, a1
    EXPECT(a0, 1)
    frrm a0; EXPECT(a0, 2)
    frcsr a0; EXPECT(a0, 0x5e)

    /* immediate forms, and csrs/csrc on the flags */
    li TESTNUM, 19
    fsrmi a0, 3
    EXPECT(a0, 2)
    fsflagsi a0, 0x11
    EXPECT(a0, 0x1e)
    csrsi fflags, 0x4
    csrci fflags, 0x1
    frcsr a0; EXPECT(a0, 0x74)
    csrrci a0, frm, 1
    EXPECT(a0, 3)
    frrm a0; EXPECT(a0, 2)

    /* flags accrue: divide by zero, then an invalid operation, then an inexact one */
    li TESTNUM, 20
    fscsr zero
    LOAD_S(fa0, 0x3f800000); LOAD_S(fa1, 0x00000000); LOAD_S(fa2, 0x7f800001)
    fdiv.s fa3, fa0, fa1
    fadd.s fa3, fa0, fa2
    frflags a0; EXPECT(a0, DZ | NV)
    LOAD_S(fa1, 0x40400000)
    fdiv.s fa3, fa0, fa1
    frflags a0; EXPECT(a0, DZ | NV | NX)

    /* ============================================================================================
     * 5. Rounding modes: rm 101 and 110 are reserved; dynamic rounding with frm > 4 is illegal
     * ========================================================================================== */

    /* frm = 5, 6, 7: a dynamic-mode instruction is illegal (and changes nothing) */
    li TESTNUM, 21
    LOAD_S(fa1, 0x3f800000); LOAD_S(fa2, 0x3f800000); LOAD_S(fa0, 0x00000000)
    fsflags zero
    fsrmi 5
    TRAP_EXPECTED(1: .word FADD_S_DYN)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, FADD_S_DYN)
    fsrmi 6
    TRAP_EXPECTED(1: .word FADD_S_DYN)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    fsrmi 7
    TRAP_EXPECTED(1: .word FADD_S_DYN)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    CHECK_S(fa0, 0x00000000)
    frcsr a0; EXPECT(a0, 7 << 5)

    /* ... also a conversion that cannot round (fcvt.d.w with rm = dyn) */
    li TESTNUM, 22
    li a1, 3
    TRAP_EXPECTED(1: .word FCVT_D_W(7))
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, FCVT_D_W(7))

    /* with frm invalid, static modes and instructions without a rounding mode still work */
    li TESTNUM, 23
    LOAD_S(fa1, 0x3f800000); LOAD_S(fa2, 0x33800000)
    FP_CASE(23, NX, fadd.s fa0, fa1, fa2, rup)
    CHECK_S(fa0, 0x3f800001)
    fsgnjn.s fa0, fa1, fa1
    CHECK_S(fa0, 0xbf800000)
    fmax.s fa0, fa1, fa2
    CHECK_S(fa0, 0x3f800000)
    feq.s a0, fa1, fa1
    EXPECT(a0, 1)
    fmv.x.w a0, fa1
    EXPECT(a0, 0x3f800000)
    fclass.s a0, fa2
    EXPECT(a0, 1 << 6)

    /* a static rm of 101 or 110 is illegal whatever frm holds */
    li TESTNUM, 24
    fsrmi 0
    TRAP_EXPECTED(1: .word FADD_S_RM5)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, FADD_S_RM5)
    TRAP_EXPECTED(1: .word FADD_D_RM6)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT(s9, FADD_D_RM6)

    /* fcvt.d.w and fcvt.d.s are exact: any valid rm works (binutils 2.40 writes only rm = 000) */
    li TESTNUM, 25
    li a1, -7
    FP_CASE(25, 0, .word FCVT_D_W(1))
    CHECK_D(fa0, 0xc01c000000000000)
    FP_CASE(25, 0, .word FCVT_D_W(7))
    CHECK_D(fa0, 0xc01c000000000000)
    LOAD_S(fa1, 0x00000001)
    FP_CASE(25, 0, .word FCVT_D_S(3))
    CHECK_D(fa0, 0x36a0000000000000)

    /* ============================================================================================
     * 6. NaN-boxing (12.2): single results are boxed; an operand that is not properly boxed reads
     *    as the canonical NaN; moves and stores copy bits
     * ========================================================================================== */

    /* fmv.w.x boxes */
    li TESTNUM, 26
    li a1, 0x123456789abcdef0
    fmv.w.x fa0, a1
    fmv.x.d a0, fa0
    EXPECT(a0, 0xffffffff9abcdef0)

    /* flw boxes; fsd stores all 64 bits */
    li TESTNUM, 27
    la a1, scratch
    li a2, 0x7f800001
    sw a2, 0(a1)
    flw fa0, 0(a1)
    fsd fa0, 8(a1)
    ld a0, 8(a1)
    EXPECT(a0, 0xffffffff7f800001)

    /* fadd.s of unboxed operands: the canonical NaN, and no flag (it is a quiet NaN) */
    li TESTNUM, 28
    LOAD_D(fa1, 0x000000003f800000)
    FP_CASE(28, 0, fadd.s fa0, fa1, fa1)
    CHECK_S(fa0, 0x7fc00000)
    LOAD_D(fa1, 0xfffffffe3f800000)
    FP_CASE(28, 0, fadd.s fa0, fa1, fa1)
    CHECK_S(fa0, 0x7fc00000)

    /* even where a NaN would be invalid: an unboxed value is a quiet NaN, not a signaling one */
    li TESTNUM, 29
    LOAD_D(fa1, 0x000000007f800001)
    LOAD_S(fa2, 0x3f800000)
    FP_CASE(29, 0, fadd.s fa0, fa1, fa2)
    CHECK_S(fa0, 0x7fc00000)
    FP_CASE(29, 0, feq.s a0, fa1, fa2)
    EXPECT(a0, 0)
    FP_CASE(29, NV, flt.s a0, fa1, fa2)
    EXPECT(a0, 0)

    /* the other single-precision operations see the canonical NaN too */
    li TESTNUM, 30
    LOAD_D(fa1, 0x00000000bf800000)
    LOAD_S(fa2, 0x40000000)
    FP_CASE(30, 0, fsgnjn.s fa0, fa1, fa1)
    CHECK_S(fa0, 0xffc00000)
    FP_CASE(30, 0, fsgnj.s fa0, fa2, fa1)
    CHECK_S(fa0, 0x40000000)
    FP_CASE(30, 0, fmin.s fa0, fa1, fa2)
    CHECK_S(fa0, 0x40000000)
    FP_CASE(30, 0, fclass.s a0, fa1)
    EXPECT(a0, 1 << 9)
    FP_CASE(30, 0, fcvt.d.s fa0, fa1)
    CHECK_D(fa0, 0x7ff8000000000000)
    FP_CASE(30, NV, fcvt.w.s a0, fa1, rtz)
    EXPECT(a0, 0x7fffffff)
    FP_CASE(30, 0, fmadd.s fa0, fa2, fa2, fa1)
    CHECK_S(fa0, 0x7fc00000)

    /* fmv.x.w and fsw copy the low 32 bits whatever the upper half holds */
    li TESTNUM, 31
    LOAD_D(fa1, 0x00000000bf800000)
    fmv.x.w a0, fa1
    EXPECT(a0, 0xffffffffbf800000)
    la a1, scratch
    sd zero, 0(a1)
    fsw fa1, 0(a1)
    ld a0, 0(a1)
    EXPECT(a0, 0xbf800000)

    /* double-precision operations use all 64 bits: a boxed single is a NaN to them */
    li TESTNUM, 32
    LOAD_S(fa1, 0x3f800000)
    FP_CASE(32, 0, fadd.d fa0, fa1, fa1)
    CHECK_D(fa0, 0x7ff8000000000000)
    FP_CASE(32, 0, fsgnjx.d fa0, fa1, fa1)
    CHECK_D(fa0, 0x7fffffff3f800000)

    /* ============================================================================================
     * 7. Loads and stores, 32-bit and compressed (c.fld, c.fsd, c.fldsp, c.fsdsp)
     * ========================================================================================== */

    li TESTNUM, 33
    la a1, scratch
    li a2, 0xfedcba9876543210
    sd a2, 16(a1)
    fld fa0, 16(a1)
    fsd fa0, 24(a1)
    ld a0, 24(a1)
    EXPECT(a0, 0xfedcba9876543210)
    flw fa0, 20(a1)
    CHECK_S(fa0, 0xfedcba98)
    fsw fa0, 32(a1)
    lwu a0, 32(a1)
    EXPECT(a0, 0xfedcba98)

    li TESTNUM, 34
    la s0, scratch
    li a2, 0x0102030405060708
    sd a2, 40(s0)
    c.fld fs1, 40(s0)
    c.fsd fs1, 48(s0)
    ld a0, 48(s0)
    EXPECT(a0, 0x0102030405060708)
    fmv.x.d a0, fs1
    EXPECT(a0, 0x0102030405060708)

    li TESTNUM, 35
    addi sp, sp, -64
    li a2, 0x1112131415161718
    sd a2, 8(sp)
    c.fldsp ft0, 8(sp)
    c.fsdsp ft0, 56(sp)
    ld a0, 56(sp)
    addi sp, sp, 64
    EXPECT(a0, 0x1112131415161718)
    fmv.x.d a0, ft0
    EXPECT(a0, 0x1112131415161718)

TEST_END

    .data
    .align 4
scratch:
    .fill 16, 8, 0
