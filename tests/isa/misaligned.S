/* Misaligned data accesses, emu's documented choice (as Spike without --misaligned, and as the
 * official riscv-tests rv64mi-p-ma_addr expects):
 *   - misaligned loads (lh/lhu/lw/lwu/ld, c.lw/c.ld) and LR raise load-address-misaligned
 *     (mcause 4); misaligned stores (sh/sw/sd, c.sd), SC and AMOs raise store/AMO-address-misaligned
 *     (mcause 6); mtval holds the effective address, mepc the instruction, rd is not written and
 *     memory is unchanged. SC traps even when its reservation does not match (the alignment check
 *     comes before the reservation check, as in Spike).
 *   - M-mode firmware emulates misaligned loads and stores for an OS (emu's built-in SBI does, as
 *     OpenSBI does); that is not what this bare-metal program sees.
 *
 * Built with -DMISALIGNED_EMULATED, the load/store cases instead expect emulated accesses (the right
 * little-endian value at any offset, across 8-byte and page boundaries): that is how the file was
 * checked on QEMU 7.2, which emulates them. QEMU 7.2 also raises mcause 4 instead of 6 for a
 * misaligned AMO and its SC fails silently instead of trapping: -DQEMU_7_2 expects cause 4 for AMOs
 * and leaves out the misaligned-SC cases (84..87).
 *
 * A trap handler of our own replaces the frame's: outside an expected-trap window (s6 == 0) any
 * trap fails the current case. Handler state: s2 = mcause, s3 = mtval, s4 = mepc.
 *
 * Assembled without compressed instructions (.option norvc) except inside RVC(...).
 */
#include "test.h"

    .option norvc

#define PAT0 0x0123456789abcdef     /* bytes ef cd ab 89 67 45 23 01 */
#define PAT1 0x123456789abcdef0     /* bytes f0 de bc 9a 78 56 34 12 */
#define FILLB 0xa5a5a5a5a5a5a5a5
#define SVAL 0xfedcba9876543210     /* stored: sh 0x3210, sw 0x76543210, sd all */

#ifdef QEMU_7_2
#define AMO_MISALIGNED_CAUSE 4
#else
#define AMO_MISALIGNED_CAUSE 6
#endif

/* One compressed instruction, followed by a c.nop so later 32-bit code stays 4-byte aligned
 * (alignment directives assembled under norvc cannot pad by 2 bytes). */
#define RVC(insn...) .option push; .option rvc; insn; c.nop; .option pop

/* a1 = base; the 16 bytes at base = d0, d1 (aligned stores). */
#define FILL16(base, d0, d1) la a1, base; li a2, d0; sd a2, 0(a1); li a2, d1; sd a2, 8(a1)

#ifdef MISALIGNED_EMULATED
/* Load at base + off (base 16-aligned, holding PAT0, PAT1) must return result. */
#define TEST_MLD(num, inst, result, base, off) \
    TEST_CASE(num, a0, result, FILL16(base, PAT0, PAT1); inst a0, off(a1))

/* Store SVAL at base + off into 16 bytes of 0xa5; they must read back as r0, r1. */
#define TEST_MST(num, inst, r0, r1, base, off)                                  \
    TEST_CASE(num, a0, r0, FILL16(base, FILLB, FILLB); li a2, SVAL; inst a2, off(a1); ld a0, 0(a1)); \
    CHECK_R(a3, r1, ld a3, 8(a1))
#else
/* The load at base + off traps with load-address-misaligned (the value columns say what an
 * emulating implementation returns). */
#define TEST_MLD(num, inst, result, base, off) TEST_TRAP(num, 4, base, off, inst a0, 0(a1))

/* The store at base + off traps with store/AMO-address-misaligned. */
#define TEST_MST(num, inst, r0, r1, base, off) TEST_TRAP(num, 6, base, off, inst a2, 0(a1))
#endif

/* Follow-up check within the current case: run code, then reg must equal val. */
#define CHECK_R(reg, val, code...) code; li t6, val; bne reg, t6, fail

/* Expected trap: with a1 = base + off (the 16 bytes at base hold PAT0, PAT1), a2 = SVAL and
 * a0 = 0x5a5a, the instruction(s) `code` must trap at their last instruction with mcause `cause`,
 * mtval = a1 and mepc = that instruction's address; afterwards a0 must still be 0x5a5a (rd not
 * written) and memory unchanged. */
#define TEST_TRAP(num, cause, base, off, code...)                               \
test_##num:                                                                     \
    li TESTNUM, num;                                                            \
    FILL16(base, PAT0, PAT1);                                                   \
    addi a1, a1, off;                                                           \
    li a2, SVAL;                                                                \
    li a0, 0x5a5a;                                                              \
    li s2, -1; li s3, -1; li s4, -1;                                            \
    li s6, 1;                                                                   \
    code;                                                                       \
2:  li s6, 0;                                                                   \
    li t6, cause; bne s2, t6, fail;                                             \
    bne s3, a1, fail;                                                           \
    la t6, 2b - 4; bne s4, t6, fail;                                            \
    li t6, 0x5a5a; bne a0, t6, fail;                                            \
    la a1, base;                                                                \
    CHECK_R(a3, PAT0, ld a3, 0(a1));                                            \
    CHECK_R(a3, PAT1, ld a3, 8(a1))

TEST_BEGIN

    li s6, 0
    la t0, mis_trap
    csrw mtvec, t0
    csrr t1, mtvec
    bne t0, t1, fail                /* the handler must be installed (4-byte aligned, direct) */

    /* ==== misaligned loads within and across an 8-byte boundary (emulated) ================= */
    TEST_MLD(2, lh, 0xffffffffffffabcd, mis_data, 1)
    TEST_MLD(3, lh, 0x0000000000006789, mis_data, 3)
    TEST_MLD(4, lh, 0x0000000000002345, mis_data, 5)
    TEST_MLD(5, lh, 0xfffffffffffff001, mis_data, 7)
    TEST_MLD(6, lhu, 0x000000000000abcd, mis_data, 1)
    TEST_MLD(7, lhu, 0x0000000000006789, mis_data, 3)
    TEST_MLD(8, lhu, 0x0000000000002345, mis_data, 5)
    TEST_MLD(9, lhu, 0x000000000000f001, mis_data, 7)
    TEST_MLD(10, lw, 0x000000006789abcd, mis_data, 1)
    TEST_MLD(11, lw, 0x00000000456789ab, mis_data, 2)
    TEST_MLD(12, lw, 0x0000000023456789, mis_data, 3)
    TEST_MLD(13, lw, 0xfffffffff0012345, mis_data, 5)
    TEST_MLD(14, lw, 0xffffffffdef00123, mis_data, 6)
    TEST_MLD(15, lw, 0xffffffffbcdef001, mis_data, 7)
    TEST_MLD(16, lwu, 0x000000006789abcd, mis_data, 1)
    TEST_MLD(17, lwu, 0x00000000456789ab, mis_data, 2)
    TEST_MLD(18, lwu, 0x0000000023456789, mis_data, 3)
    TEST_MLD(19, lwu, 0x00000000f0012345, mis_data, 5)
    TEST_MLD(20, lwu, 0x00000000def00123, mis_data, 6)
    TEST_MLD(21, lwu, 0x00000000bcdef001, mis_data, 7)
    TEST_MLD(22, ld, 0xf00123456789abcd, mis_data, 1)
    TEST_MLD(23, ld, 0xdef00123456789ab, mis_data, 2)
    TEST_MLD(24, ld, 0xbcdef00123456789, mis_data, 3)
    TEST_MLD(25, ld, 0x9abcdef001234567, mis_data, 4)
    TEST_MLD(26, ld, 0x789abcdef0012345, mis_data, 5)
    TEST_MLD(27, ld, 0x56789abcdef00123, mis_data, 6)
    TEST_MLD(28, ld, 0x3456789abcdef001, mis_data, 7)

    /* ==== misaligned stores within and across an 8-byte boundary (emulated) ================ */
    TEST_MST(29, sh, 0xa5a5a5a5a53210a5, 0xa5a5a5a5a5a5a5a5, mis_data, 1)
    TEST_MST(30, sh, 0xa5a5a53210a5a5a5, 0xa5a5a5a5a5a5a5a5, mis_data, 3)
    TEST_MST(31, sh, 0xa53210a5a5a5a5a5, 0xa5a5a5a5a5a5a5a5, mis_data, 5)
    TEST_MST(32, sh, 0x10a5a5a5a5a5a5a5, 0xa5a5a5a5a5a5a532, mis_data, 7)
    TEST_MST(33, sw, 0xa5a5a576543210a5, 0xa5a5a5a5a5a5a5a5, mis_data, 1)
    TEST_MST(34, sw, 0xa5a576543210a5a5, 0xa5a5a5a5a5a5a5a5, mis_data, 2)
    TEST_MST(35, sw, 0xa576543210a5a5a5, 0xa5a5a5a5a5a5a5a5, mis_data, 3)
    TEST_MST(36, sw, 0x543210a5a5a5a5a5, 0xa5a5a5a5a5a5a576, mis_data, 5)
    TEST_MST(37, sw, 0x3210a5a5a5a5a5a5, 0xa5a5a5a5a5a57654, mis_data, 6)
    TEST_MST(38, sw, 0x10a5a5a5a5a5a5a5, 0xa5a5a5a5a5765432, mis_data, 7)
    TEST_MST(39, sd, 0xdcba9876543210a5, 0xa5a5a5a5a5a5a5fe, mis_data, 1)
    TEST_MST(40, sd, 0xba9876543210a5a5, 0xa5a5a5a5a5a5fedc, mis_data, 2)
    TEST_MST(41, sd, 0x9876543210a5a5a5, 0xa5a5a5a5a5fedcba, mis_data, 3)
    TEST_MST(42, sd, 0x76543210a5a5a5a5, 0xa5a5a5a5fedcba98, mis_data, 4)
    TEST_MST(43, sd, 0x543210a5a5a5a5a5, 0xa5a5a5fedcba9876, mis_data, 5)
    TEST_MST(44, sd, 0x3210a5a5a5a5a5a5, 0xa5a5fedcba987654, mis_data, 6)
    TEST_MST(45, sd, 0x10a5a5a5a5a5a5a5, 0xa5fedcba98765432, mis_data, 7)

    /* ==== across a page boundary (page_tail + 8 is 4 KiB-aligned) ========================== */
    TEST_MLD(46, lh, 0xfffffffffffff001, page_tail, 7)
    TEST_MLD(47, lhu, 0x000000000000f001, page_tail, 7)
    TEST_MLD(48, lw, 0xfffffffff0012345, page_tail, 5)
    TEST_MLD(49, lw, 0xffffffffdef00123, page_tail, 6)
    TEST_MLD(50, lw, 0xffffffffbcdef001, page_tail, 7)
    TEST_MLD(51, lwu, 0x00000000f0012345, page_tail, 5)
    TEST_MLD(52, lwu, 0x00000000bcdef001, page_tail, 7)
    TEST_MLD(53, ld, 0xf00123456789abcd, page_tail, 1)
    TEST_MLD(54, ld, 0x9abcdef001234567, page_tail, 4)
    TEST_MLD(55, ld, 0x3456789abcdef001, page_tail, 7)
    TEST_MST(56, sh, 0x10a5a5a5a5a5a5a5, 0xa5a5a5a5a5a5a532, page_tail, 7)
    TEST_MST(57, sw, 0x543210a5a5a5a5a5, 0xa5a5a5a5a5a5a576, page_tail, 5)
    TEST_MST(58, sw, 0x3210a5a5a5a5a5a5, 0xa5a5a5a5a5a57654, page_tail, 6)
    TEST_MST(59, sw, 0x10a5a5a5a5a5a5a5, 0xa5a5a5a5a5765432, page_tail, 7)
    TEST_MST(60, sd, 0xdcba9876543210a5, 0xa5a5a5a5a5a5a5fe, page_tail, 1)
    TEST_MST(61, sd, 0x76543210a5a5a5a5, 0xa5a5a5a5fedcba98, page_tail, 4)
    TEST_MST(62, sd, 0x10a5a5a5a5a5a5a5, 0xa5fedcba98765432, page_tail, 7)

    /* ==== more shapes ====================================================================== */
#ifdef MISALIGNED_EMULATED
    /* misaligned base register with offset 0; rd == base */
    TEST_CASE(63, a0, 0x0000000023456789, FILL16(mis_data, PAT0, PAT1); addi a1, a1, 3; lw a0, 0(a1))
    TEST_CASE(64, a1, 0xffffffffdef00123, FILL16(mis_data, PAT0, PAT1); lw a1, 6(a1))
    TEST_CASE(65, a1, 0x3456789abcdef001, FILL16(mis_data, PAT0, PAT1); addi a1, a1, 14; ld a1, -7(a1))
    /* compressed loads and stores at misaligned addresses */
    TEST_CASE(66, a0, 0x56789abcdef00123, FILL16(mis_data, PAT0, PAT1); addi a1, a1, 6; RVC(c.ld a0, 0(a1)))
    TEST_CASE(67, a0, 0xfffffffff0012345, FILL16(mis_data, PAT0, PAT1); addi a1, a1, 1; RVC(c.lw a0, 4(a1)))
    TEST_CASE(68, a0, 0x543210a5a5a5a5a5, FILL16(mis_data, FILLB, FILLB); addi a1, a1, 5; li a2, SVAL; RVC(c.sd a2, 0(a1)); addi a1, a1, -5; ld a0, 0(a1))
    CHECK_R(a3, 0xa5a5a5fedcba9876, ld a3, 8(a1))
    /* a misaligned store is seen by a differently misaligned load and by aligned loads */
    TEST_CASE(69, a0, 0xffffffffffffba98, FILL16(mis_buf, 0, 0); li a2, SVAL; sd a2, 3(a1); lh a0, 7(a1))
    TEST_CASE(70, a0, 0x0000000000fedcba, FILL16(mis_buf, 0, 0); li a2, SVAL; sd a2, 3(a1); lwu a0, 8(a1))
    TEST_CASE(71, a0, 0x9876543210000000, FILL16(mis_buf, 0, 0); li a2, SVAL; sd a2, 3(a1); ld a0, 0(a1))
    /* misaligned loads into x0 are discarded */
    TEST_CASE(72, x0, 0, FILL16(mis_data, PAT0, PAT1); ld x0, 3(a1); lw x0, 7(a1); lh x0, 1(a1))
#else
    /* misaligned base register with offset 0 */
    TEST_TRAP(63, 4, mis_data, 3, lw a0, 0(a1))
    TEST_TRAP(64, 4, mis_data, 6, lw a0, 0(a1))
    TEST_TRAP(65, 4, mis_data, 7, ld a0, 0(a1))
    /* compressed loads and stores (mepc is the 2-byte instruction; RVC pads it to 4 bytes) */
    TEST_TRAP(66, 4, mis_data, 6, RVC(c.ld a0, 0(a1)))
    TEST_TRAP(67, 4, mis_data, 5, RVC(c.lw a0, 0(a1)))
    TEST_TRAP(68, 6, mis_data, 5, RVC(c.sd a2, 0(a1)))
    /* other buffers and widths */
    TEST_TRAP(69, 6, mis_buf, 3, sd a2, 0(a1))
    TEST_TRAP(70, 4, mis_buf, 7, lh a0, 0(a1))
    TEST_TRAP(71, 4, mis_buf, 1, lwu a0, 0(a1))
    /* a misaligned load into x0 still traps */
    TEST_TRAP(72, 4, mis_data, 3, ld x0, 0(a1))
#endif
    /* ==== misaligned AMOs: store/AMO address misaligned (6) ================================= */
    TEST_TRAP(73, AMO_MISALIGNED_CAUSE, mis_data, 2, amoswap.w a0, a2, (a1))
    TEST_TRAP(74, AMO_MISALIGNED_CAUSE, mis_data, 1, amoadd.w a0, a2, (a1))
    TEST_TRAP(75, AMO_MISALIGNED_CAUSE, mis_data, 3, amoxor.w a0, a2, (a1))
    TEST_TRAP(76, AMO_MISALIGNED_CAUSE, mis_data, 6, amoand.w a0, a2, (a1))         /* crossing 8 bytes */
    TEST_TRAP(77, AMO_MISALIGNED_CAUSE, mis_data, 7, amoor.w.aqrl a0, a2, (a1))
    TEST_TRAP(78, AMO_MISALIGNED_CAUSE, mis_data, 5, amomin.w a0, a2, (a1))
    TEST_TRAP(79, AMO_MISALIGNED_CAUSE, mis_data, 2, amomaxu.w a0, a2, (a1))
    TEST_TRAP(80, AMO_MISALIGNED_CAUSE, mis_data, 4, amoswap.d a0, a2, (a1))        /* word- but not dword-aligned */
    TEST_TRAP(81, AMO_MISALIGNED_CAUSE, mis_data, 1, amoadd.d.aq a0, a2, (a1))
    TEST_TRAP(82, AMO_MISALIGNED_CAUSE, mis_data, 7, amomax.d a0, a2, (a1))
    TEST_TRAP(83, AMO_MISALIGNED_CAUSE, mis_data, 2, amominu.d.rl a0, a2, (a1))

    /* ==== misaligned SC: store/AMO address misaligned (6) =================================== */
#ifndef QEMU_7_2
    TEST_TRAP(84, 6, mis_data, 2, sc.w a0, a2, (a1))             /* no reservation at all */
    /* with a reservation on the aligned word/doubleword containing its first byte */
    TEST_TRAP(85, 6, mis_data, 6, addi a4, a1, -2; lr.w a5, (a4); sc.w a0, a2, (a1))
    TEST_TRAP(86, 6, mis_data, 4, addi a4, a1, -4; lr.d a5, (a4); sc.d a0, a2, (a1))
    TEST_TRAP(87, 6, mis_data, 1, addi a4, a1, -1; lr.d a5, (a4); sc.d.aqrl a0, a2, (a1))
#endif

    /* ==== misaligned LR: load address misaligned (4) ======================================== */
    TEST_TRAP(88, 4, mis_data, 2, lr.w a0, (a1))
    TEST_TRAP(89, 4, mis_data, 7, lr.w.aq a0, (a1))
    TEST_TRAP(90, 4, mis_data, 4, lr.d a0, (a1))
    TEST_TRAP(91, 4, mis_data, 3, lr.d.aqrl a0, (a1))

    /* ==== aligned AMO and LR/SC still work after all those traps ============================= */
    TEST_CASE(92, a0, 0x0123456789abcdef, FILL16(mis_data, PAT0, PAT1); li a2, 1; amoadd.d a0, a2, (a1))
    CHECK_R(a3, 0x0123456789abcdf0, ld a3, 0(a1))
    TEST_CASE(93, a3, 0, FILL16(mis_data, PAT0, PAT1); lr.d a0, (a1); li a2, 7; sc.d a3, a2, (a1))
    CHECK_R(a3, 7, ld a3, 0(a1))

    j pass

    /* Trap handler: if a trap is expected (s6 != 0), record mcause/mtval/mepc and resume after the
     * (4-byte) trapping instruction; otherwise fail the current case. */
    .align 2
mis_trap:
    beqz s6, fail
    csrr s2, mcause
    csrr s3, mtval
    csrr s4, mepc
    addi s5, s4, 4
    csrw mepc, s5
    li s6, 0
    mret

TEST_END

    .data
    .balign 16
mis_data:
    .fill 2, 8, 0
    .balign 16
mis_buf:
    .fill 2, 8, 0

    /* 16 bytes straddling a page boundary: page_tail + 8 is 4 KiB-aligned */
    .balign 4096
    .skip 4096 - 8
page_tail:
    .fill 2, 8, 0
