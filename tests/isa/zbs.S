/* Zbs (single-bit instructions): bclr/bclri, bext/bexti, binv/binvi, bset/bseti.
 *
 * The bit index is rs2 & 63 (shamt for the immediate forms, 0..63). Bits 31 and 32 are the usual
 * places for 32-bit-minded implementations to go wrong: setting bit 31 must not sign-extend.
 *
 * Assembled without compressed instructions (.option norvc).
 */
#include "test.h"

    .option norvc

TEST_BEGIN

    /* ---- bset / bseti ------------------------------------------------------------------------ */
    TEST_RR(2, bset, 0x0000000000000001, 0x0000000000000000, 0)
    TEST_RR(3, bset, 0x0000000080000000, 0x0000000000000000, 31)      /* no sign extension */
    TEST_RR(4, bset, 0x0000000100000000, 0x0000000000000000, 32)
    TEST_RR(5, bset, 0x8000000000000000, 0x0000000000000000, 63)
    TEST_RR(6, bset, 0x0000000000000001, 0x0000000000000000, 64)      /* 64 & 63 = 0 */
    TEST_RR(7, bset, 0x8000000000000000, 0x0000000000000000, -1)      /* 63 */
    TEST_RR(8, bset, 0x0000000100000000, 0x0000000000000000, 0xffffffffffffffe0) /* 32 */
    TEST_RR(9, bset, 0xffffffffffffffff, 0xffffffffffffffff, 17)      /* already set */
    TEST_RR(10, bset, 0x123456789abcdef8, 0x123456789abcdef0, 3 + 64 * 5)  /* idx 323 & 63 = 3 */
    TEST_RI(11, bseti, 0x0000000000000001, 0x0000000000000000, 0)
    TEST_RI(12, bseti, 0x0000000080000000, 0x0000000000000000, 31)
    TEST_RI(13, bseti, 0x0000000100000000, 0x0000000000000000, 32)
    TEST_RI(14, bseti, 0x8000000000000000, 0x0000000000000000, 63)
    TEST_RI(15, bseti, 0x8000000000000001, 0x8000000000000000, 0)
    TEST_RR_SRC1_EQ_DEST(16, bset, 0x0000000000000081, 1, 7)
    TEST_RR_SRC2_EQ_DEST(17, bset, 0x0000000000000081, 1, 7)
    TEST_RR_SRC12_EQ_DEST(18, bset, 0x0000000000000087, 7)            /* 7 | 1 << 7 */
    TEST_RI_SRC1_EQ_DEST(19, bseti, 0x0000000000000081, 1, 7)
    TEST_RR_ZERODEST(20, bset, 0, 5)
    TEST_RI_ZERODEST(21, bseti, 0, 5)

    /* ---- bclr / bclri ------------------------------------------------------------------------ */
    TEST_RR(22, bclr, 0xfffffffffffffffe, 0xffffffffffffffff, 0)
    TEST_RR(23, bclr, 0xffffffff7fffffff, 0xffffffffffffffff, 31)
    TEST_RR(24, bclr, 0xfffffffeffffffff, 0xffffffffffffffff, 32)
    TEST_RR(25, bclr, 0x7fffffffffffffff, 0xffffffffffffffff, 63)
    TEST_RR(26, bclr, 0xfffffffffffffffe, 0xffffffffffffffff, 64)     /* 0 */
    TEST_RR(27, bclr, 0x7fffffffffffffff, 0xffffffffffffffff, 0x7f)   /* 63 */
    TEST_RR(28, bclr, 0x0000000000000000, 0x0000000000000000, 5)      /* already clear */
    TEST_RR(29, bclr, 0x0000000000000000, 0x0000000080000000, 31)
    TEST_RR(30, bclr, 0x0000000000000000, 0x8000000000000000, -1)
    TEST_RI(31, bclri, 0xfffffffffffffffe, 0xffffffffffffffff, 0)
    TEST_RI(32, bclri, 0xffffffff7fffffff, 0xffffffffffffffff, 31)
    TEST_RI(33, bclri, 0xfffffffeffffffff, 0xffffffffffffffff, 32)
    TEST_RI(34, bclri, 0x7fffffffffffffff, 0xffffffffffffffff, 63)
    TEST_RI(35, bclri, 0x0000000100000000, 0x0000000180000000, 31)
    TEST_RR_SRC1_EQ_DEST(36, bclr, 0x00000000000000f7, 0xff, 3)
    TEST_RR_SRC2_EQ_DEST(37, bclr, 0x00000000000000f7, 0xff, 3)
    TEST_RR_SRC12_EQ_DEST(38, bclr, 0x0000000000000021, 0x0000000200000021) /* clears bit 33 */
    TEST_RI_SRC1_EQ_DEST(39, bclri, 0x00000000000000f7, 0xff, 3)
    TEST_RR_ZERODEST(40, bclr, -1, 5)

    /* ---- binv / binvi ------------------------------------------------------------------------ */
    TEST_RR(41, binv, 0x0000000000000001, 0x0000000000000000, 0)
    TEST_RR(42, binv, 0x0000000000000000, 0x0000000000000001, 0)
    TEST_RR(43, binv, 0x0000000080000000, 0x0000000000000000, 31)
    TEST_RR(44, binv, 0xfffffffeffffffff, 0xffffffffffffffff, 32)
    TEST_RR(45, binv, 0x8000000000000000, 0x0000000000000000, 63)
    TEST_RR(46, binv, 0x0000000000000000, 0x8000000000000000, 63)
    TEST_RR(47, binv, 0x0000000000000000, 0x0000000080000000, 31)
    TEST_RR(48, binv, 0x0000000000000001, 0x0000000000000000, 64)     /* 0 */
    TEST_RR(49, binv, 0x7fffffffffffffff, 0xffffffffffffffff, -1)     /* 63 */
    TEST_RI(50, binvi, 0x0000000000000001, 0x0000000000000000, 0)
    TEST_RI(51, binvi, 0xffffffff7fffffff, 0xffffffffffffffff, 31)
    TEST_RI(52, binvi, 0x0000000100000000, 0x0000000000000000, 32)
    TEST_RI(53, binvi, 0x0000000000000000, 0x8000000000000000, 63)
    TEST_RR_SRC1_EQ_DEST(54, binv, 0x0000000000000010, 0x00, 4)
    TEST_RR_SRC2_EQ_DEST(55, binv, 0x0000000000000000, 0x10, 4)
    TEST_RR_SRC12_EQ_DEST(56, binv, 0x0000000000000001, 0x00)         /* 0 ^ (1 << 0) */
    TEST_RI_SRC1_EQ_DEST(57, binvi, 0x8000000000000001, 1, 63)
    TEST_RR_ZERODEST(58, binv, 0, 5)

    /* ---- bext / bexti: rd = (rs1 >> idx) & 1 --------------------------------------------------- */
    TEST_RR(59, bext, 1, 0x8000000000000000, 63)
    TEST_RR(60, bext, 0, 0x8000000000000000, 62)
    TEST_RR(61, bext, 0, 0x7fffffffffffffff, 63)
    TEST_RR(62, bext, 1, 0x0000000000000001, 0)
    TEST_RR(63, bext, 1, 0x0000000000000001, 64)     /* 0 */
    TEST_RR(64, bext, 1, 0x8000000000000000, -1)     /* 63 */
    TEST_RR(65, bext, 1, 0x0000000100000000, 32)
    TEST_RR(66, bext, 0, 0x0000000100000000, 31)
    TEST_RR(67, bext, 1, 0x0000000080000000, 31)
    TEST_RR(68, bext, 0, 0xfffffffffffffffe, 0)
    TEST_RR(69, bext, 1, 0x0000000000000020, 0xffffffffffffffc5) /* 5 */
    TEST_RI(70, bexti, 1, 0x8000000000000000, 63)
    TEST_RI(71, bexti, 0, 0x7fffffffffffffff, 63)
    TEST_RI(72, bexti, 1, 0x0000000080000000, 31)
    TEST_RI(73, bexti, 1, 0x0000000100000000, 32)
    TEST_RI(74, bexti, 0, 0xfffffffeffffffff, 32)
    TEST_RI(75, bexti, 1, 0xffffffffffffffff, 0)
    TEST_RR_SRC1_EQ_DEST(76, bext, 1, 0x10, 4)
    TEST_RR_SRC2_EQ_DEST(77, bext, 0, 0x10, 3)
    TEST_RR_SRC12_EQ_DEST(78, bext, 1, 0x800000000000003f)   /* index 0x3f = 63 */
    TEST_RI_SRC1_EQ_DEST(79, bexti, 1, 0x8000000000000000, 63)
    TEST_RR_ZERODEST(80, bext, -1, 5)
    TEST_RI_ZERODEST(81, bexti, -1, 5)

TEST_END
