/* RV64M: mul/mulh/mulhsu/mulhu/div/divu/rem/remu and mulw/divw/divuw/remw/remuw.
 *
 * Edge cases from the spec's table of division corner cases:
 *   division by zero: quotient = all ones (divu too: 2^64-1; W forms: sign-extended 2^32-1 = -1),
 *                     remainder = the dividend (W forms: the dividend's low 32 bits, sign-extended);
 *   signed overflow:  -2^63 / -1 = -2^63, remainder 0 (W: -2^31 / -1 = -2^31, remainder 0).
 * Signed division truncates toward zero; the remainder takes the sign of the dividend.
 * All W results (including divuw/remuw) are the 32-bit result sign-extended from bit 31.
 *
 * Assembled without compressed instructions (.option norvc).
 */
#include "test.h"

    .option norvc

TEST_BEGIN

    /* ---- mul: low 64 bits of the product -------------------------------------------------- */
    TEST_RR(2, mul, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000)
    TEST_RR(3, mul, 0x0000000000000001, 0x0000000000000001, 0x0000000000000001)
    TEST_RR(4, mul, 0x0000000000000015, 0x0000000000000003, 0x0000000000000007)
    TEST_RR(5, mul, 0x0000000000000000, 0xffffffffffff8000, 0x0000000000000000)
    TEST_RR(6, mul, 0x0000000000000001, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR(7, mul, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)
    TEST_RR(8, mul, 0x0000000000000000, 0x0000000100000000, 0x0000000100000000)
    TEST_RR(9, mul, 0xfffffffe00000001, 0x00000000ffffffff, 0x00000000ffffffff) /* no 32-bit trunc */
    TEST_RR(10, mul, 0xfffffffffffffffe, 0x7fffffffffffffff, 0x0000000000000002)
    TEST_RR(11, mul, 0x000000000000ff7f, 0xaaaaaaaaaaaaaaab, 0x000000000002fe7d)
    TEST_RR(12, mul, 0x2236d88fe5618cf0, 0x123456789abcdef0, 0x0fedcba987654321)
    TEST_RR(13, mul, 0x0000000000000001, 0x7fffffffffffffff, 0x7fffffffffffffff)
    TEST_RR(14, mul, 0xffffffffffffffeb, 0xfffffffffffffffd, 0x0000000000000007)
    TEST_RR_SRC1_EQ_DEST(15, mul, 143, 13, 11)
    TEST_RR_SRC2_EQ_DEST(16, mul, 154, 14, 11)
    TEST_RR_SRC12_EQ_DEST(17, mul, 169, 13)
    TEST_RR_ZERODEST(18, mul, 3, 7)

    /* ---- mulh: signed x signed, high 64 bits ---------------------------------------------- */
    TEST_RR(19, mulh, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000)
    TEST_RR(20, mulh, 0x0000000000000000, 0x0000000000000007, 0x0000000000000003)
    TEST_RR(21, mulh, 0x0000000000000000, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR(22, mulh, 0xffffffffffffffff, 0xffffffffffffffff, 0x0000000000000002)
    TEST_RR(23, mulh, 0xffffffffffffffff, 0x0000000000000002, 0xffffffffffffffff)
    TEST_RR(24, mulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
    TEST_RR(25, mulh, 0xc000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_RR(26, mulh, 0x0000000000000000, 0x8000000000000000, 0xffffffffffffffff)
    TEST_RR(27, mulh, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff)
    TEST_RR(28, mulh, 0xffffffffffff0081, 0xaaaaaaaaaaaaaaab, 0x000000000002fe7d)
    TEST_RR(29, mulh, 0xfffeb49923cc0953, 0xfedcba9876543210, 0x0123456789abcdef)
    TEST_RR(30, mulh, 0x0121fa00ad77d742, 0x123456789abcdef0, 0x0fedcba987654321)
    TEST_RR(31, mulh, 0xffffffffffffffff, 0xffffffffffffffff, 0x0000000000000001)
    TEST_RR_SRC1_EQ_DEST(32, mulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
    TEST_RR_SRC12_EQ_DEST(33, mulh, 0x0000000000000000, 0xffffffffffffffff)
    TEST_RR_ZERODEST(34, mulh, -1, -1)

    /* ---- mulhu: unsigned x unsigned, high 64 bits ----------------------------------------- */
    TEST_RR(35, mulhu, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000)
    TEST_RR(36, mulhu, 0xfffffffffffffffe, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR(37, mulhu, 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000002)
    TEST_RR(38, mulhu, 0x0000000000000001, 0x0000000000000002, 0xffffffffffffffff)
    TEST_RR(39, mulhu, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
    TEST_RR(40, mulhu, 0x3fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_RR(41, mulhu, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff)
    TEST_RR(42, mulhu, 0x000000000001fefe, 0xaaaaaaaaaaaaaaab, 0x000000000002fe7d)
    TEST_RR(43, mulhu, 0x0121fa00ad77d742, 0xfedcba9876543210, 0x0123456789abcdef)
    TEST_RR(44, mulhu, 0x0000000000000000, 0x00000000ffffffff, 0x00000000ffffffff)
    TEST_RR(45, mulhu, 0x0000000000000001, 0x0000000100000000, 0x0000000100000000)
    TEST_RR_SRC2_EQ_DEST(46, mulhu, 0xfffffffffffffffe, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR_ZERODEST(47, mulhu, -1, -1)

    /* ---- mulhsu: rs1 signed x rs2 unsigned, high 64 bits (not commutative) ---------------- */
    TEST_RR(48, mulhsu, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000)
    TEST_RR(49, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR(50, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 0x0000000000000002)
    TEST_RR(51, mulhsu, 0x0000000000000001, 0x0000000000000002, 0xffffffffffffffff)
    TEST_RR(52, mulhsu, 0xc000000000000000, 0x8000000000000000, 0x8000000000000000)
    TEST_RR(53, mulhsu, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)
    TEST_RR(54, mulhsu, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff)
    TEST_RR(55, mulhsu, 0xffffffffffff0081, 0xaaaaaaaaaaaaaaab, 0x000000000002fe7d)
    TEST_RR(56, mulhsu, 0xfffeb49923cc0953, 0xfedcba9876543210, 0x0123456789abcdef)
    TEST_RR(57, mulhsu, 0x0000000000000000, 0x0000000000000001, 0xffffffffffffffff)
    TEST_RR(58, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 0x0000000000000001)
    TEST_RR_SRC12_EQ_DEST(59, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR_ZERODEST(60, mulhsu, -1, -1)

    /* ---- mulw: low 32 bits of the product, sign-extended; upper source bits ignored ------- */
    TEST_RR(61, mulw, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000)
    TEST_RR(62, mulw, 0x0000000000000015, 0x0000000000000003, 0x0000000000000007)
    TEST_RR(63, mulw, 0xfffffffffffffffe, 0x000000007fffffff, 0x0000000000000002) /* sign-ext */
    TEST_RR(64, mulw, 0x0000000000000000, 0x0000000000010000, 0x0000000000010000)
    TEST_RR(65, mulw, 0x000000000000000f, 0xffffffff00000003, 0x1234567800000005)
    TEST_RR(66, mulw, 0x0000000000000001, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR(67, mulw, 0xffffffff80000000, 0x0000000080000000, 0xffffffffffffffff)
    TEST_RR(68, mulw, 0x0000000000000001, 0x00000000ffffffff, 0x00000000ffffffff)
    TEST_RR(69, mulw, 0xffffffff9abcdef0, 0x123456789abcdef0, 0x0000000000000001)
    TEST_RR_SRC1_EQ_DEST(70, mulw, 0xfffffffffffffffe, 0x7fffffff, 2)
    TEST_RR_ZERODEST(71, mulw, 3, 7)

    /* ---- div: signed, truncating toward zero ---------------------------------------------- */
    TEST_RR(72, div, 3, 20, 6)
    TEST_RR(73, div, -3, -20, 6)
    TEST_RR(74, div, -3, 20, -6)
    TEST_RR(75, div, 3, -20, -6)
    TEST_RR(76, div, 0, 0, 5)
    TEST_RR(77, div, 0, 5, 7)
    TEST_RR(78, div, 0, -5, 7)
    TEST_RR(79, div, 0x8000000000000000, 0x8000000000000000, 1)
    TEST_RR(80, div, 0x8000000000000000, 0x8000000000000000, -1)     /* overflow */
    TEST_RR(81, div, 0x8000000000000001, 0x7fffffffffffffff, -1)
    TEST_RR(82, div, 0xc000000000000000, 0x8000000000000000, 2)
    TEST_RR(83, div, 0xffffffffffffffff, 1, 0)                       /* by zero: all ones */
    TEST_RR(84, div, 0xffffffffffffffff, 0, 0)
    TEST_RR(85, div, 0xffffffffffffffff, 0x8000000000000000, 0)
    TEST_RR(86, div, 0xffffffffffffffff, -1, 0)
    TEST_RR(87, div, 0x0000000200000000, 0x0000001000000000, 8)      /* no 32-bit trunc */
    TEST_RR_SRC1_EQ_DEST(88, div, 3, 20, 6)
    TEST_RR_SRC2_EQ_DEST(89, div, -3, 20, -6)
    TEST_RR_SRC12_EQ_DEST(90, div, 1, -7)
    TEST_RR_ZERODEST(91, div, 20, 6)

    /* ---- divu ----------------------------------------------------------------------------- */
    TEST_RR(92, divu, 3, 20, 6)
    TEST_RR(93, divu, 0x2aaaaaaaaaaaaaa7, -20, 6)
    TEST_RR(94, divu, 0, 20, -6)
    TEST_RR(95, divu, 0, -20, -6)
    TEST_RR(96, divu, 1, -6, -20)
    TEST_RR(97, divu, 0x8000000000000000, 0x8000000000000000, 1)
    TEST_RR(98, divu, 0, 0x8000000000000000, -1)
    TEST_RR(99, divu, 0x4000000000000000, 0x8000000000000000, 2)
    TEST_RR(100, divu, 0xffffffffffffffff, 1, 0)                     /* by zero: 2^64 - 1 */
    TEST_RR(101, divu, 0xffffffffffffffff, 0, 0)
    TEST_RR(102, divu, 0xffffffffffffffff, -1, 0)
    TEST_RR(103, divu, 0xffffffffffffffff, -1, 1)
    TEST_RR(104, divu, 0x0000000100000000, 0xffffffff00000000, 0xffffffff)
    TEST_RR_SRC12_EQ_DEST(105, divu, 1, -7)
    TEST_RR_ZERODEST(106, divu, 20, 6)

    /* ---- rem: sign of the dividend -------------------------------------------------------- */
    TEST_RR(107, rem, 2, 20, 6)
    TEST_RR(108, rem, -2, -20, 6)
    TEST_RR(109, rem, 2, 20, -6)
    TEST_RR(110, rem, -2, -20, -6)
    TEST_RR(111, rem, 0, 0, 5)
    TEST_RR(112, rem, -5, -5, 7)
    TEST_RR(113, rem, 0, 0x8000000000000000, 1)
    TEST_RR(114, rem, 0, 0x8000000000000000, -1)                     /* overflow: 0 */
    TEST_RR(115, rem, 0xffffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff) /* -2^63 = -1 * (2^63-1) - 1 */
    TEST_RR(116, rem, 1, 1, 0)                                       /* by zero: dividend */
    TEST_RR(117, rem, 0, 0, 0)
    TEST_RR(118, rem, -1, -1, 0)
    TEST_RR(119, rem, 0x8000000000000000, 0x8000000000000000, 0)
    TEST_RR(120, rem, 0x0000000100000000, 0x0000000100000000, 0x0000000200000000)
    TEST_RR_SRC1_EQ_DEST(121, rem, 2, 20, 6)
    TEST_RR_SRC12_EQ_DEST(122, rem, 0, -7)
    TEST_RR_ZERODEST(123, rem, 20, 6)

    /* ---- remu ----------------------------------------------------------------------------- */
    TEST_RR(124, remu, 2, 20, 6)
    TEST_RR(125, remu, 2, -20, 6)
    TEST_RR(126, remu, 20, 20, -6)
    TEST_RR(127, remu, 0xffffffffffffffec, -20, -6)
    TEST_RR(128, remu, 14, -6, -20)
    TEST_RR(129, remu, 0, 0x8000000000000000, 1)
    TEST_RR(130, remu, 0x8000000000000000, 0x8000000000000000, -1)
    TEST_RR(131, remu, 1, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_RR(132, remu, 1, 1, 0)                                      /* by zero: dividend */
    TEST_RR(133, remu, 0, 0, 0)
    TEST_RR(134, remu, -1, -1, 0)
    TEST_RR(135, remu, 0xffffffff00000000, 0xffffffff00000000, 0)
    TEST_RR_SRC2_EQ_DEST(136, remu, 20, 20, -6)
    TEST_RR_ZERODEST(137, remu, 20, 6)

    /* ---- divw: signed 32-bit, result sign-extended ---------------------------------------- */
    TEST_RR(138, divw, 3, 20, 6)
    TEST_RR(139, divw, -3, -20, 6)
    TEST_RR(140, divw, -3, 20, -6)
    TEST_RR(141, divw, 3, -20, -6)
    TEST_RR(142, divw, -3, 0x00000000ffffffec, 6)                    /* low word is -20 */
    TEST_RR(143, divw, 3, 0x1234567800000014, 0xfedcba9800000006)    /* upper bits ignored */
    TEST_RR(144, divw, 0xffffffff80000000, 0xffffffff80000000, 1)
    TEST_RR(145, divw, 0xffffffff80000000, 0xffffffff80000000, -1)   /* overflow */
    TEST_RR(146, divw, 0xffffffff80000000, 0x0000000080000000, 0x00000000ffffffff) /* overflow */
    TEST_RR(147, divw, 0xffffffff80000001, 0x000000007fffffff, -1)
    TEST_RR(148, divw, 0xffffffffffffffff, 1, 0)                     /* by zero: -1 */
    TEST_RR(149, divw, 0xffffffffffffffff, 0xffffffff80000000, 0)
    TEST_RR(150, divw, 0xffffffffffffffff, 5, 0xffffffff00000000)    /* low word of rs2 is 0 */
    TEST_RR(151, divw, 0, 0x0000000100000000, 1)                     /* low word of rs1 is 0 */
    TEST_RR_SRC1_EQ_DEST(152, divw, -3, -20, 6)
    TEST_RR_ZERODEST(153, divw, 20, 6)

    /* ---- divuw: unsigned 32-bit, result still sign-extended from bit 31 ------------------- */
    TEST_RR(154, divuw, 3, 20, 6)
    TEST_RR(155, divuw, 0x000000002aaaaaa7, -20, 6)                  /* 0xffffffec / 6 */
    TEST_RR(156, divuw, 0, 20, -6)
    TEST_RR(157, divuw, 0xffffffff80000000, 0x0000000080000000, 1)   /* sign-extended result */
    TEST_RR(158, divuw, 0xffffffffffffffff, 0x00000000ffffffff, 1)
    TEST_RR(159, divuw, 0, 0xffffffff80000000, -1)
    TEST_RR(160, divuw, 0x0000000040000000, 0xffffffff80000000, 2)
    TEST_RR(161, divuw, 0xffffffffffffffff, 1, 0)                    /* by zero: -1 */
    TEST_RR(162, divuw, 0xffffffffffffffff, 0, 0)
    TEST_RR(163, divuw, 0xffffffffffffffff, 7, 0x0000000100000000)   /* low word of rs2 is 0 */
    TEST_RR(164, divuw, 3, 0xabcdef0000000014, 0x1234567800000006)   /* upper bits ignored */
    TEST_RR_SRC2_EQ_DEST(165, divuw, 0x000000002aaaaaa7, -20, 6)
    TEST_RR_ZERODEST(166, divuw, 20, 6)

    /* ---- remw: signed 32-bit remainder, sign-extended ------------------------------------- */
    TEST_RR(167, remw, 2, 20, 6)
    TEST_RR(168, remw, -2, -20, 6)
    TEST_RR(169, remw, 2, 20, -6)
    TEST_RR(170, remw, -2, -20, -6)
    TEST_RR(171, remw, -2, 0x00000000ffffffec, 6)
    TEST_RR(172, remw, 0, 0xffffffff80000000, -1)                    /* overflow: 0 */
    TEST_RR(173, remw, 0, 0x0000000080000000, 0x00000000ffffffff)
    TEST_RR(174, remw, 0xffffffffffffffff, 0xffffffff80000000, 0x7fffffff)
    TEST_RR(175, remw, 1, 1, 0)                                      /* by zero: dividend */
    TEST_RR(176, remw, 0xffffffff80000000, 0x0000000080000000, 0)    /* ... its low word, sext */
    TEST_RR(177, remw, 0x000000000000000a, 0x123456780000000a, 0)
    TEST_RR(178, remw, 0xffffffffffffffff, 0x00000000ffffffff, 0xffffffff00000000)
    TEST_RR(179, remw, 2, 0x1234567800000014, 0xfedcba9800000006)
    TEST_RR_SRC12_EQ_DEST(180, remw, 0, 0x12345678)
    TEST_RR_ZERODEST(181, remw, 20, 6)

    /* ---- remuw: unsigned 32-bit remainder, sign-extended ---------------------------------- */
    TEST_RR(182, remuw, 2, 20, 6)
    TEST_RR(183, remuw, 2, -20, 6)                                   /* 0xffffffec % 6 */
    TEST_RR(184, remuw, 20, 20, -6)
    TEST_RR(185, remuw, 0xffffffffffffffec, -20, -6)                 /* 0xffffffec, sign-extended */
    TEST_RR(186, remuw, 5, 0x0000000080000005, 0x0000000080000000)
    TEST_RR(187, remuw, 0xfffffffffffffffe, 0x00000000fffffffe, 0x00000000ffffffff)
    TEST_RR(188, remuw, 1, 1, 0)                                     /* by zero: dividend */
    TEST_RR(189, remuw, 0xffffffff80000001, 0xffffffff80000001, 0)
    TEST_RR(190, remuw, 0xffffffff80000000, 0x0000000080000000, 0)   /* low word, sign-extended */
    TEST_RR(191, remuw, 0x0000000000000007, 0xabcdef0000000007, 0x1234567800000000)
    TEST_RR(192, remuw, 2, 0xabcdef0000000014, 0x1234567800000006)
    TEST_RR_SRC1_EQ_DEST(193, remuw, 2, -20, 6)
    TEST_RR_ZERODEST(194, remuw, 20, 6)

TEST_END
