/* Zba (address generation): add.uw, sh1add/sh2add/sh3add, sh1add.uw/sh2add.uw/sh3add.uw, slli.uw.
 *
 * The .uw forms zero-extend the low 32 bits of rs1 (never rs2) before shifting/adding:
 *   add.uw    rd = rs2 + zext32(rs1)            (zext.w rd, rs = add.uw rd, rs, zero)
 *   shNadd    rd = rs2 + (rs1 << N)
 *   shNadd.uw rd = rs2 + (zext32(rs1) << N)
 *   slli.uw   rd = zext32(rs1) << shamt         (shamt 0..63: bits can move above bit 32 and out)
 * TEST_RR(num, inst, result, rs1, rs2).
 *
 * Assembled without compressed instructions (.option norvc).
 */
#include "test.h"

    .option norvc

TEST_BEGIN

    /* ---- add.uw --------------------------------------------------------------------------- */
    TEST_RR(2, add.uw, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000)
    TEST_RR(3, add.uw, 0x0000000080000001, 0xffffffff80000000, 0x0000000000000001) /* rs1 zext */
    TEST_RR(4, add.uw, 0x00000000ffffffff, 0xffffffffffffffff, 0x0000000000000000)
    TEST_RR(5, add.uw, 0x00000000fffffffe, 0xffffffffffffffff, 0xffffffffffffffff) /* rs2 not */
    TEST_RR(6, add.uw, 0x100000009abcdef0, 0x123456789abcdef0, 0x1000000000000000)
    TEST_RR(7, add.uw, 0x0000000100000000, 0x00000000ffffffff, 0x0000000000000001) /* 64-bit sum */
    TEST_RR(8, add.uw, 0x8000000000000000, 0x0000000100000000, 0x8000000000000000) /* rs1 hi dropped */
    TEST_RR(9, add.uw, 0x0000000000000001, 0x8000000000000001, 0x0000000000000000)
    TEST_CASE(10, a0, 0x0000000080000000, li a1, 0xffffffff80000000; zext.w a0, a1)
    TEST_CASE(11, a0, 0x00000000ffffffff, li a1, -1; zext.w a0, a1)
    TEST_RR_SRC1_EQ_DEST(12, add.uw, 0x0000000100000002, 0xffffffff00000001, 0x0000000100000001)
    TEST_RR_SRC2_EQ_DEST(13, add.uw, 0x0000000100000002, 0xffffffff00000001, 0x0000000100000001)
    TEST_RR_SRC12_EQ_DEST(14, add.uw, 0x00000000fffffffe, 0xffffffffffffffff) /* 0xffffffff + -1 */
    TEST_RR_ZERODEST(15, add.uw, -1, -1)

    /* ---- sh1add / sh2add / sh3add ---------------------------------------------------------- */
    TEST_RR(16, sh1add, 0x0000000000000004, 0x0000000000000001, 0x0000000000000002)
    TEST_RR(17, sh1add, 0x0000000000000005, 0x8000000000000000, 0x0000000000000005) /* bit out */
    TEST_RR(18, sh1add, 0xfffffffffffffffe, 0xffffffffffffffff, 0x0000000000000000)
    TEST_RR(19, sh1add, 0x8000000000000000, 0x4000000000000000, 0x0000000000000000)
    TEST_RR(20, sh1add, 0xffffffffffffffff, 0x7fffffffffffffff, 0x0000000000000001)
    TEST_RR(21, sh1add, 0x0000000100000000, 0x0000000080000000, 0x0000000000000000) /* no zext */
    TEST_RR(22, sh1add, 0x0000000000000000, 0xffffffffffffffff, 0x0000000000000002)
    TEST_RR(23, sh2add, 0x0000000000000006, 0x0000000000000001, 0x0000000000000002)
    TEST_RR(24, sh2add, 0x0000000000000004, 0xc000000000000001, 0x0000000000000000)
    TEST_RR(25, sh2add, 0x0000000000000000, 0xffffffffffffffff, 0x0000000000000004)
    TEST_RR(26, sh2add, 0x0000000200000000, 0x0000000080000000, 0x0000000000000000)
    TEST_RR(27, sh2add, 0x8000000000000003, 0x2000000000000000, 0x0000000000000003)
    TEST_RR(28, sh3add, 0x000000000000000a, 0x0000000000000001, 0x0000000000000002)
    TEST_RR(29, sh3add, 0x0000000000000000, 0x2000000000000000, 0x0000000000000000)
    TEST_RR(30, sh3add, 0x0000000000000000, 0x1fffffffffffffff, 0x0000000000000008)
    TEST_RR(31, sh3add, 0x0000000400000000, 0x0000000080000000, 0x0000000000000000)
    TEST_RR(32, sh3add, 0xfffffffffffffff8, 0xffffffffffffffff, 0x0000000000000000)
    TEST_RR(33, sh3add, 0x123456789abcdef8, 0x0000000000000001, 0x123456789abcdef0)
    TEST_RR_SRC1_EQ_DEST(34, sh1add, 0x0000000000000007, 2, 3)
    TEST_RR_SRC2_EQ_DEST(35, sh2add, 0x000000000000000b, 2, 3)
    TEST_RR_SRC12_EQ_DEST(36, sh3add, 0x0000000000000036, 6)
    TEST_RR_ZERODEST(37, sh3add, 1, 1)

    /* ---- sh1add.uw / sh2add.uw / sh3add.uw -------------------------------------------------- */
    TEST_RR(38, sh1add.uw, 0x00000001fffffffe, 0xffffffffffffffff, 0x0000000000000000)
    TEST_RR(39, sh1add.uw, 0x0000000100000001, 0x0000000180000000, 0x0000000000000001)
    TEST_RR(40, sh1add.uw, 0x0000000000000004, 0xffffffff00000001, 0x0000000000000002)
    TEST_RR(41, sh1add.uw, 0xffffffffffffffff, 0x0000000000000000, 0xffffffffffffffff)
    TEST_RR(42, sh1add.uw, 0x00000000fffffffe, 0x000000007fffffff, 0x0000000000000000)
    TEST_RR(43, sh2add.uw, 0x00000003fffffffc, 0xffffffffffffffff, 0x0000000000000000)
    TEST_RR(44, sh2add.uw, 0x0000000000000068, 0x8000000000000001, 0x0000000000000064)
    TEST_RR(45, sh2add.uw, 0x0000000200000000, 0xffffffff80000000, 0x0000000000000000)
    TEST_RR(46, sh2add.uw, 0x0000000000000000, 0x0000000000000001, 0xfffffffffffffffc)
    TEST_RR(47, sh3add.uw, 0x00000007fffffff8, 0xffffffffffffffff, 0x0000000000000000)
    TEST_RR(48, sh3add.uw, 0x0000000400000001, 0xffffffff80000000, 0x0000000000000001)
    TEST_RR(49, sh3add.uw, 0x8000000000000008, 0x1000000000000001, 0x8000000000000000)
    TEST_RR(50, sh3add.uw, 0x0000000000000000, 0x0000000100000000, 0x0000000000000000)
    TEST_RR_SRC1_EQ_DEST(51, sh1add.uw, 0x0000000000000005, 0xffffffff00000002, 1)
    TEST_RR_SRC2_EQ_DEST(52, sh2add.uw, 0x0000000100000009, 0xffffffff00000002, 0x0000000100000001)
    TEST_RR_SRC12_EQ_DEST(53, sh3add.uw, 0x00000007fffffff7, 0xffffffffffffffff)
    TEST_RR_ZERODEST(54, sh2add.uw, -1, -1)

    /* ---- slli.uw: zext32(rs1) << shamt, shamt up to 63 -------------------------------------- */
    TEST_RI(55, slli.uw, 0x00000000ffffffff, 0xffffffffffffffff, 0)
    TEST_RI(56, slli.uw, 0x00000001fffffffe, 0xffffffffffffffff, 1)
    TEST_RI(57, slli.uw, 0x7fffffff80000000, 0xffffffffffffffff, 31)
    TEST_RI(58, slli.uw, 0xffffffff00000000, 0xffffffffffffffff, 32)
    TEST_RI(59, slli.uw, 0xfffffffe00000000, 0xffffffffffffffff, 33)
    TEST_RI(60, slli.uw, 0x8000000000000000, 0xffffffffffffffff, 63)
    TEST_RI(61, slli.uw, 0x0000000100000002, 0x0000000080000001, 1)
    TEST_RI(62, slli.uw, 0x8000000000000000, 0xffffffff00000001, 63)
    TEST_RI(63, slli.uw, 0x0000000000000000, 0xffffffff00000000, 5)      /* only rs1[31:0] used */
    TEST_RI(64, slli.uw, 0x0000000123456780, 0xabcdef0012345678, 4)
    TEST_RI(65, slli.uw, 0x0000000080000000, 0x1234567880000000, 0)
    TEST_RI_SRC1_EQ_DEST(66, slli.uw, 0x0000001000000000, 0xffffffff80000000, 5)
    TEST_RI_ZERODEST(67, slli.uw, -1, 3)

    /* ---- typical address computations ----------------------------------------------------- */
    /* &array[i] for 64-bit elements with a negative i: sh3add takes the full 64-bit index */
    TEST_CASE(68, a0, 0x0000000000000ff0, li a1, -2; li a2, 0x1000; sh3add a0, a1, a2)
    /* with a 32-bit unsigned index whose upper register bits are garbage, sh3add.uw drops them */
    TEST_CASE(69, a0, 0x0000000000001018, li a1, 0xdeadbeef00000003; li a2, 0x1000; sh3add.uw a0, a1, a2)

TEST_END
