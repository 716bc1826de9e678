/* RV64A: all AMO*.W / AMO*.D (returned old value, .W sign-extending the loaded word even for the
 * unsigned min/max, memory result, the neighbouring word untouched, 32-bit signed/unsigned compares
 * that ignore the upper source bits), rd == rs1/rs2 and rd == x0, aq/rl variants; LR/SC success and
 * failure paths.
 *
 * LR/SC rules checked (unprivileged spec, "Load-Reserved/Store-Conditional Instructions"):
 *   - an SC with no reservation fails, writes 1 to rd and does not store;
 *   - any SC, successful or not, invalidates the hart's reservation (a second SC fails);
 *   - an SC to an address outside the reservation set fails (we use another 64-byte line, so this
 *     holds whatever the reservation granule);
 *   - a newer LR replaces the reservation of an older one.
 * emu also makes an SC fail when a regular store to the reserved address happened between the LR and
 * the SC (the spec allows an SC to fail then; it only requires it for stores by other harts). The
 * store writes a different value, so QEMU (which compares values) agrees.
 *
 * Assembled without compressed instructions (.option norvc).
 */
#include "test.h"

    .option norvc

/* AMO at amo_area + off: the doubleword at amo_area starts as `mem0`, rs2 = `src`. Checks rd ==
 * `ret`, then that the whole doubleword at amo_area reads `mem1` and that rs2 is unchanged. */
#define TEST_AMO(num, inst, ret, mem1, mem0, src, off)                 \
    TEST_CASE(num, a0, ret,                                            \
        la a1, amo_area; li a2, mem0; sd a2, 0(a1);                    \
        addi a1, a1, off; li a2, src; inst a0, a2, (a1));              \
    la a1, amo_area; ld a3, 0(a1); li t6, mem1; bne a3, t6, fail;      \
    li t6, src; bne a2, t6, fail

/* Check that the doubleword at amo_area + off holds `val` (a follow-up check for the current case). */
#define CHECK_MEM(off, val)                                            \
    la t5, amo_area; ld t5, off(t5); li t6, val; bne t5, t6, fail

TEST_BEGIN

    /* ==== SC before any LR in this program: no reservation, must fail ===================== */
    TEST_CASE(2, a3, 1, la a1, amo_area; li a2, 0x1111; sd a2, 0(a1); li a2, 0x2222; sc.d a3, a2, (a1))
    CHECK_MEM(0, 0x1111)
    TEST_CASE(3, a3, 1, la a1, amo_area; li a2, 0x3333; sc.w a3, a2, (a1))
    CHECK_MEM(0, 0x1111)

    /* ==== amoswap ========================================================================= */
    TEST_AMO(4, amoswap.d, 0x0123456789abcdef, 0xfedcba9876543210, 0x0123456789abcdef, 0xfedcba9876543210, 0)
    TEST_AMO(5, amoswap.d, 0x8000000000000000, 0x0000000000000000, 0x8000000000000000, 0x0000000000000000, 0)
    TEST_AMO(6, amoswap.w, 0xffffffff80000000, 0xa5a5a5a576543210, 0xa5a5a5a580000000, 0x1234567876543210, 0)
    TEST_AMO(7, amoswap.w, 0x000000007fffffff, 0xa5a5a5a5ffffffff, 0xa5a5a5a57fffffff, 0xffffffffffffffff, 0)
    TEST_AMO(8, amoswap.w, 0xffffffff87654321, 0x11111111a5a5a5a5, 0x87654321a5a5a5a5, 0x0000000011111111, 4)
    TEST_AMO(9, amoswap.w, 0xffffffffa5a5a5a5, 0x00000000a5a5a5a5, 0xa5a5a5a5a5a5a5a5, 0xffffffff00000000, 4)

    /* ==== amoadd: wraps; .W carries do not reach the neighbouring word ==================== */
    TEST_AMO(10, amoadd.d, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 1, 0)
    TEST_AMO(11, amoadd.d, 0xffffffffffffffff, 0x0000000000000000, 0xffffffffffffffff, 1, 0)
    TEST_AMO(12, amoadd.d, 0x00000000ffffffff, 0x0000000100000000, 0x00000000ffffffff, 1, 0)
    TEST_AMO(13, amoadd.d, 0x0000000000000005, 0xfffffffffffffffe, 0x0000000000000005, -7, 0)
    TEST_AMO(14, amoadd.w, 0x000000007fffffff, 0xa5a5a5a580000000, 0xa5a5a5a57fffffff, 1, 0)
    TEST_AMO(15, amoadd.w, 0xffffffffffffffff, 0xa5a5a5a500000000, 0xa5a5a5a5ffffffff, 1, 0)
    TEST_AMO(16, amoadd.w, 0x0000000000000002, 0xa5a5a5a500000003, 0xa5a5a5a500000002, 0xffffffff00000001, 0)
    TEST_AMO(17, amoadd.w, 0xffffffffffffffff, 0x00000000a5a5a5a5, 0xffffffffa5a5a5a5, 1, 4)

    /* ==== amoand / amoor / amoxor ========================================================= */
    TEST_AMO(18, amoand.d, 0xff00ff00ff00ff00, 0x0f000f00ff00ff00, 0xff00ff00ff00ff00, 0x0f0f0f0fffffffff, 0)
    TEST_AMO(19, amoand.d, 0xffffffffffffffff, 0x8000000000000001, 0xffffffffffffffff, 0x8000000000000001, 0)
    TEST_AMO(20, amoand.w, 0xffffffffff00ff00, 0xa5a5a5a50f00ff00, 0xa5a5a5a5ff00ff00, 0x000000000f0fffff, 0)
    TEST_AMO(21, amoand.w, 0xffffffffffffffff, 0xa5a5a5a580000000, 0xa5a5a5a5ffffffff, 0x0000000080000000, 0)
    TEST_AMO(22, amoand.w, 0xffffffff80000001, 0x00000000a5a5a5a5, 0x80000001a5a5a5a5, 0xffffffff00000000, 4)
    TEST_AMO(23, amoor.d, 0xff00ff00ff00ff00, 0xff0fff0fffffffff, 0xff00ff00ff00ff00, 0x0f0f0f0fffffffff, 0)
    TEST_AMO(24, amoor.d, 0x0000000000000000, 0x8000000000000000, 0x0000000000000000, 0x8000000000000000, 0)
    TEST_AMO(25, amoor.w, 0x0000000000000001, 0xa5a5a5a580000001, 0xa5a5a5a500000001, 0xffffffff80000000, 0)
    TEST_AMO(26, amoor.w, 0x0000000000000000, 0x12345678a5a5a5a5, 0x00000000a5a5a5a5, 0x0000000012345678, 4)
    TEST_AMO(27, amoxor.d, 0xff00ff00ff00ff00, 0xf00ff00f00ff00ff, 0xff00ff00ff00ff00, 0x0f0f0f0fffffffff, 0)
    TEST_AMO(28, amoxor.d, 0xdeadbeefcafef00d, 0x0000000000000000, 0xdeadbeefcafef00d, 0xdeadbeefcafef00d, 0)
    TEST_AMO(29, amoxor.w, 0x000000007fffffff, 0xa5a5a5a580000000, 0xa5a5a5a57fffffff, 0xffffffffffffffff, 0)
    TEST_AMO(30, amoxor.w, 0xffffffff80000000, 0x7fffffffa5a5a5a5, 0x80000000a5a5a5a5, 0x00000000ffffffff, 4)

    /* ==== amomin / amomax: signed ========================================================= */
    TEST_AMO(31, amomin.d, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 1, 0)
    TEST_AMO(32, amomin.d, 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000001, -1, 0)
    TEST_AMO(33, amomin.d, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff, 0)
    TEST_AMO(34, amomin.d, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0)
    TEST_AMO(35, amomin.d, 0x0000000100000000, 0x00000000ffffffff, 0x0000000100000000, 0x00000000ffffffff, 0)
    TEST_AMO(36, amomax.d, 0xffffffffffffffff, 0x0000000000000001, 0xffffffffffffffff, 1, 0)
    TEST_AMO(37, amomax.d, 0x0000000000000001, 0x0000000000000001, 0x0000000000000001, -1, 0)
    TEST_AMO(38, amomax.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0)
    TEST_AMO(39, amomax.d, 0x0000000000000005, 0x0000000000000005, 0x0000000000000005, 0x0000000000000005, 0)
    /* .W compares the low words as signed 32-bit values, ignoring rs2[63:32] */
    TEST_AMO(40, amomin.w, 0xffffffff80000000, 0xa5a5a5a580000000, 0xa5a5a5a580000000, 0x000000007fffffff, 0)
    TEST_AMO(41, amomin.w, 0x000000007fffffff, 0xa5a5a5a580000000, 0xa5a5a5a57fffffff, 0x0000000080000000, 0)
    TEST_AMO(42, amomin.w, 0x0000000000000002, 0xa5a5a5a500000001, 0xa5a5a5a500000002, 0xffffffff00000001, 0)
    TEST_AMO(43, amomin.w, 0x0000000000000002, 0xa5a5a5a500000002, 0xa5a5a5a500000002, 0x0000000100000003, 0)
    TEST_AMO(44, amomin.w, 0xffffffffffffffff, 0xfffffffea5a5a5a5, 0xffffffffa5a5a5a5, 0x00000000fffffffe, 4)
    TEST_AMO(45, amomax.w, 0x000000007fffffff, 0xa5a5a5a57fffffff, 0xa5a5a5a57fffffff, 0x0000000080000000, 0)
    TEST_AMO(46, amomax.w, 0xffffffff80000000, 0xa5a5a5a57fffffff, 0xa5a5a5a580000000, 0xffffffff7fffffff, 0)
    TEST_AMO(47, amomax.w, 0x0000000000000002, 0xa5a5a5a500000002, 0xa5a5a5a500000002, 0x7fffffff00000001, 0)
    TEST_AMO(48, amomax.w, 0xffffffffffffffff, 0x00000000a5a5a5a5, 0xffffffffa5a5a5a5, 0xffffffff00000000, 4)

    /* ==== amominu / amomaxu: unsigned (the returned .W word is still sign-extended) ======= */
    TEST_AMO(49, amominu.d, 0xffffffffffffffff, 0x0000000000000001, 0xffffffffffffffff, 1, 0)
    TEST_AMO(50, amominu.d, 0x0000000000000001, 0x0000000000000001, 0x0000000000000001, -1, 0)
    TEST_AMO(51, amominu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0)
    TEST_AMO(52, amominu.d, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000, 0xffffffffffffffff, 0)
    TEST_AMO(53, amomaxu.d, 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000001, -1, 0)
    TEST_AMO(54, amomaxu.d, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 1, 0)
    TEST_AMO(55, amomaxu.d, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0)
    TEST_AMO(56, amominu.w, 0xffffffff80000000, 0xa5a5a5a57fffffff, 0xa5a5a5a580000000, 0x000000007fffffff, 0)
    TEST_AMO(57, amominu.w, 0x0000000000000002, 0xa5a5a5a500000001, 0xa5a5a5a500000002, 0xffffffff00000001, 0)
    TEST_AMO(58, amominu.w, 0xffffffffffffffff, 0xa5a5a5a5ffffffff, 0xa5a5a5a5ffffffff, 0x00000000ffffffff, 0)
    TEST_AMO(59, amominu.w, 0x0000000000000005, 0x00000000a5a5a5a5, 0x00000005a5a5a5a5, 0x0000000000000000, 4)
    TEST_AMO(60, amomaxu.w, 0x000000007fffffff, 0xa5a5a5a580000000, 0xa5a5a5a57fffffff, 0x0000000080000000, 0)
    TEST_AMO(61, amomaxu.w, 0x0000000000000005, 0xa5a5a5a500000005, 0xa5a5a5a500000005, 0x0000000100000000, 0)
    TEST_AMO(62, amomaxu.w, 0xffffffff80000000, 0xa5a5a5a5fffffffe, 0xa5a5a5a580000000, 0x00000000fffffffe, 0)
    TEST_AMO(63, amomaxu.w, 0x0000000000000001, 0xffffffffa5a5a5a5, 0x00000001a5a5a5a5, 0xffffffffffffffff, 4)

    /* ==== register aliasing: rd == rs2, rd == rs1, rd == x0 =============================== */
    TEST_CASE(64, a2, 0x1111, la a1, amo_area; li a2, 0x1111; sd a2, 0(a1); li a2, 0x2222; amoswap.d a2, a2, (a1))
    CHECK_MEM(0, 0x2222)
    TEST_CASE(65, a2, 0x1111, la a1, amo_area; li a2, 0x1111; sd a2, 0(a1); li a2, 0x2222; amoadd.d a2, a2, (a1))
    CHECK_MEM(0, 0x3333)
    TEST_CASE(66, a1, 0x4444, la a1, amo_area; li a2, 0x4444; sd a2, 0(a1); li a2, 0x0101; amoadd.d a1, a2, (a1))
    CHECK_MEM(0, 0x4545)
    TEST_CASE(67, a1, 0xffffffff80000000, la a1, amo_area; li a2, 0x80000000; sw a2, 0(a1); li a2, 1; amoor.w a1, a2, (a1))
    CHECK_MEM(0, 0x80000001)
    TEST_CASE(68, x0, 0, la a1, amo_area; li a2, 0x10; sd a2, 0(a1); li a2, 0x20; amoadd.d x0, a2, (a1))
    CHECK_MEM(0, 0x30)
    TEST_CASE(69, x0, 0, la a1, amo_area; li a2, 0x10; sd a2, 0(a1); li a2, 0x7; amoswap.w x0, a2, (a1))
    CHECK_MEM(0, 0x7)

    /* ==== aq / rl / aqrl variants ========================================================= */
    TEST_AMO(70, amoswap.d.aq, 1, 2, 1, 2, 0)
    TEST_AMO(71, amoadd.d.rl, 1, 3, 1, 2, 0)
    TEST_AMO(72, amoand.d.aqrl, 3, 2, 3, 6, 0)
    TEST_AMO(73, amoor.w.aq, 1, 0x3, 1, 2, 0)
    TEST_AMO(74, amoxor.w.rl, 3, 0x5, 3, 6, 0)
    TEST_AMO(75, amomin.w.aqrl, 3, 0xa5a5a5a5fffffffa, 0xa5a5a5a500000003, -6, 0)
    TEST_AMO(76, amomax.d.aq, -3, 6, -3, 6, 0)
    TEST_AMO(77, amominu.d.rl, -3, 6, -3, 6, 0)
    TEST_AMO(78, amomaxu.w.aqrl, 3, 0xa5a5a5a5fffffffa, 0xa5a5a5a500000003, -6, 0)
    TEST_AMO(79, amoswap.w.aqrl, 0xffffffffa5a5a5a5, 0xa5a5a5a500000000, 0xa5a5a5a5a5a5a5a5, 0, 0)
    TEST_AMO(80, amoadd.w.aq, 0xffffffffffffffff, 0x0000000000000000, 0x00000000ffffffff, 1, 0) /* no carry out */
    TEST_CASE(81, a3, 0, la a1, amo_area; lr.d.aq a0, (a1); li a2, 9; sc.d.rl a3, a2, (a1))
    CHECK_MEM(0, 9)
    TEST_CASE(82, a3, 0, la a1, amo_area; lr.w.aqrl a0, (a1); li a2, 10; sc.w.aqrl a3, a2, (a1))
    CHECK_MEM(0, 10)
    TEST_CASE(83, a3, 0, la a1, amo_area; lr.d.aqrl a0, (a1); li a2, 11; sc.d.aq a3, a2, (a1))
    CHECK_MEM(0, 11)
    TEST_CASE(84, a3, 0, la a1, amo_area; lr.w.rl a0, (a1); li a2, 12; sc.w.rl a3, a2, (a1))
    CHECK_MEM(0, 12)

    /* ==== LR: value loaded (lr.w sign-extends) ============================================ */
    TEST_CASE(85, a0, 0x8000000000000001, la a1, amo_area; li a2, 0x8000000000000001; sd a2, 0(a1); lr.d a0, (a1))
    TEST_CASE(86, a0, 0xffffffff80000000, la a1, amo_area; li a2, 0x1234567880000000; sd a2, 0(a1); lr.w a0, (a1))
    TEST_CASE(87, a0, 0x0000000012345678, la a1, amo_area; addi a1, a1, 4; lr.w a0, (a1))
    /* these LRs left a reservation; clear it with a successful SC, so the next case starts clean */
    TEST_CASE(88, a3, 0, la a1, amo_area; lr.d a0, (a1); sc.d a3, a0, (a1))

    /* ==== SC success: rd = 0, memory written (sc.w writes only its word) ================== */
    TEST_CASE(89, a3, 0, la a1, amo_area; li a2, 0x5555; sd a2, 0(a1); lr.d a0, (a1); li a2, 0x6666; sc.d a3, a2, (a1))
    CHECK_MEM(0, 0x6666)
    TEST_CASE(90, a0, 0x5555, nop)          /* a0 still holds what the LR loaded */
    TEST_CASE(91, a3, 0, la a1, amo_area; li a2, 0xa5a5a5a5a5a5a5a5; sd a2, 0(a1); lr.w a0, (a1); li a2, 0x1234567800000042; sc.w a3, a2, (a1))
    CHECK_MEM(0, 0xa5a5a5a500000042)
    TEST_CASE(92, a3, 0, la a1, amo_area + 4; lr.w a0, (a1); li a2, 0x77; sc.w a3, a2, (a1))
    CHECK_MEM(0, 0x0000007700000042)
    /* sc with rd == rs2 */
    TEST_CASE(93, a2, 0, la a1, amo_area; lr.d a0, (a1); li a2, 0x99; sc.d a2, a2, (a1))
    CHECK_MEM(0, 0x99)
    /* lr into x0 still takes the reservation */
    TEST_CASE(94, a3, 0, la a1, amo_area; lr.d x0, (a1); li a2, 0xaa; sc.d a3, a2, (a1))
    CHECK_MEM(0, 0xaa)

    /* ==== SC failure paths: rd = 1 and no store =========================================== */
    /* a second SC after a successful one */
    TEST_CASE(95, a3, 1, la a1, amo_area; lr.d a0, (a1); li a2, 0xbb; sc.d a4, a2, (a1); li a2, 0xcc; sc.d a3, a2, (a1))
    CHECK_MEM(0, 0xbb)
    TEST_CASE(96, a4, 0, nop)               /* ... the first one had succeeded */
    TEST_CASE(97, a3, 1, la a1, amo_area; lr.w a0, (a1); li a2, 0xdd; sc.w a4, a2, (a1); li a2, 0xee; sc.w a3, a2, (a1))
    CHECK_MEM(0, 0xdd)
    /* SC to an address in another 64-byte line than the LR's */
    TEST_CASE(98, a3, 1, la a1, amo_area; li a2, 0x12; sd a2, 64(a1); lr.d a0, (a1); li a2, 0x34; addi a4, a1, 64; sc.d a3, a2, (a4))
    CHECK_MEM(64, 0x12)
    CHECK_MEM(0, 0xdd)
    /* ... and that failed SC also dropped the reservation: an SC to the LR's address now fails */
    TEST_CASE(99, a3, 1, la a1, amo_area; li a2, 0x56; sc.d a3, a2, (a1))
    CHECK_MEM(0, 0xdd)
    TEST_CASE(100, a3, 1, la a1, amo_area; lr.w a0, (a1); li a2, 0x34; addi a4, a1, 64; sc.w a3, a2, (a4); sc.w a3, a2, (a1))
    CHECK_MEM(64, 0x12)
    CHECK_MEM(0, 0xdd)
    /* a newer LR to another line replaces the reservation */
    TEST_CASE(101, a3, 1, la a1, amo_area; lr.d a0, (a1); addi a4, a1, 64; lr.d a0, (a4); li a2, 0x78; sc.d a3, a2, (a1))
    CHECK_MEM(0, 0xdd)
    TEST_CASE(102, a3, 1, li a2, 0x79; sc.d a3, a2, (a4))       /* already used up by the SC above */
    CHECK_MEM(64, 0x12)
    /* a regular store to the reserved address between LR and SC (emu's choice, see top) */
    TEST_CASE(103, a3, 1, la a1, amo_area; lr.d a0, (a1); li a2, 0x1234; sd a2, 0(a1); li a2, 0x5678; sc.d a3, a2, (a1))
    CHECK_MEM(0, 0x1234)
    TEST_CASE(104, a3, 1, la a1, amo_area; lr.w a0, (a1); li a2, 0x4321; sw a2, 0(a1); li a2, 0x8765; sc.w a3, a2, (a1))
    CHECK_MEM(0, 0x4321)
    TEST_CASE(105, a3, 1, la a1, amo_area; lr.d a0, (a1); li a2, 0xff; sb a2, 0(a1); li a2, 0x9999; sc.d a3, a2, (a1))
    CHECK_MEM(0, 0x43ff)
    /* after all these failures a fresh LR/SC pair succeeds again */
    TEST_CASE(106, a3, 0, la a1, amo_area; lr.d a0, (a1); addi a0, a0, 1; sc.d a3, a0, (a1))
    CHECK_MEM(0, 0x4400)

    /* ==== a classic LR/SC retry loop: atomic increment, 10 times ========================== */
    TEST_CASE(107, a0, 10,                                     \
        la a1, amo_area; sd zero, 0(a1); li a4, 10;            \
    1:  lr.d a0, (a1); addi a0, a0, 1; sc.d a3, a0, (a1);      \
        bnez a3, 1b; addi a4, a4, -1; bnez a4, 1b;             \
        ld a0, 0(a1))
    TEST_CASE(108, a0, -10,                                    \
        la a1, amo_area; sw zero, 0(a1); li a4, 10;            \
    1:  lr.w a0, (a1); addi a0, a0, -1; sc.w a3, a0, (a1);     \
        bnez a3, 1b; addi a4, a4, -1; bnez a4, 1b;             \
        lw a0, 0(a1))

TEST_END

    .data
    .align 6
amo_area:
    .fill 16, 8, 0
