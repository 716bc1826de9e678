/* Zbb (basic bit manipulation): andn/orn/xnor, clz/clzw/ctz/ctzw/cpop/cpopw (0 and all-ones
 * inputs, W forms ignoring the upper word), min/max/minu/maxu (signed vs unsigned), sext.b/sext.h/
 * zext.h, rol/ror/rori by 0/1/63/64 (amount mod 64), rolw/rorw/roriw (amount mod 32, result
 * sign-extended), orc.b and rev8.
 *
 * Assembled without compressed instructions (.option norvc).
 */
#include "test.h"

    .option norvc

TEST_BEGIN

    /* ---- andn / orn / xnor: rs1 op ~rs2 ---------------------------------------------------- */
    TEST_RR(2, andn, 0xf000f000f000f000, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f)
    TEST_RR(3, andn, 0x0000000000000000, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR(4, andn, 0xffffffffffffffff, 0xffffffffffffffff, 0x0000000000000000)
    TEST_RR(5, andn, 0x8000000000000000, 0x8000000000000001, 0x0000000000000001)
    TEST_RR(6, orn, 0xf0f0f0f0f0f0f0f0, 0x0000000000000000, 0x0f0f0f0f0f0f0f0f)
    TEST_RR(7, orn, 0xffffffffffffffff, 0x0000000000000000, 0x0000000000000000)
    TEST_RR(8, orn, 0x7fffffffffffffff, 0x0000000000000001, 0x8000000000000001)
    TEST_RR(9, orn, 0xff0fff0fff0fff0f, 0xff00ff00ff00ff00, 0xfff0fff0fff0fff0)
    TEST_RR(10, xnor, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f)
    TEST_RR(11, xnor, 0xffffffffffffffff, 0x123456789abcdef0, 0x123456789abcdef0)
    TEST_RR(12, xnor, 0x0000000000000000, 0x0000000000000000, 0xffffffffffffffff)
    TEST_RR(13, xnor, 0x7ffffffffffffffe, 0x8000000000000000, 0x0000000000000001)
    TEST_RR_SRC1_EQ_DEST(14, andn, 0x00000000000000f0, 0xff, 0x0f)
    TEST_RR_SRC2_EQ_DEST(15, orn, 0xfffffffffffffff0, 0x00, 0x0f)
    TEST_RR_SRC12_EQ_DEST(16, xnor, 0xffffffffffffffff, 0x5555aaaa5555aaaa)
    TEST_RR_SRC12_EQ_DEST(17, andn, 0x0000000000000000, 0x5555aaaa5555aaaa)
    TEST_RR_ZERODEST(18, orn, 0, 0)

    /* ---- clz ------------------------------------------------------------------------------ */
    TEST_R(19, clz, 64, 0x0000000000000000)
    TEST_R(20, clz, 0, 0xffffffffffffffff)
    TEST_R(21, clz, 63, 0x0000000000000001)
    TEST_R(22, clz, 0, 0x8000000000000000)
    TEST_R(23, clz, 1, 0x7fffffffffffffff)
    TEST_R(24, clz, 32, 0x00000000ffffffff)
    TEST_R(25, clz, 31, 0x0000000100000000)
    TEST_R(26, clz, 32, 0x0000000080000000)
    TEST_R(27, clz, 7, 0x0123456789abcdef)
    /* ---- clzw: counts within rs1[31:0] ---------------------------------------------------- */
    TEST_R(28, clzw, 32, 0x0000000000000000)
    TEST_R(29, clzw, 32, 0xffffffff00000000)
    TEST_R(30, clzw, 0, 0x00000000ffffffff)
    TEST_R(31, clzw, 0, 0xffffffffffffffff)
    TEST_R(32, clzw, 31, 0x0000000000000001)
    TEST_R(33, clzw, 0, 0x0000000080000000)
    TEST_R(34, clzw, 16, 0x0000000000008000)
    TEST_R(35, clzw, 1, 0x800000007fffffff)
    /* ---- ctz ------------------------------------------------------------------------------ */
    TEST_R(36, ctz, 64, 0x0000000000000000)
    TEST_R(37, ctz, 0, 0xffffffffffffffff)
    TEST_R(38, ctz, 63, 0x8000000000000000)
    TEST_R(39, ctz, 32, 0x0000000100000000)
    TEST_R(40, ctz, 31, 0xffffffff80000000)
    TEST_R(41, ctz, 0, 0x0000000000000001)
    TEST_R(42, ctz, 4, 0x0123456789abcdf0)
    /* ---- ctzw: counts within rs1[31:0] ---------------------------------------------------- */
    TEST_R(43, ctzw, 32, 0x0000000000000000)
    TEST_R(44, ctzw, 32, 0x0000000100000000)
    TEST_R(45, ctzw, 32, 0xffffffff00000000)
    TEST_R(46, ctzw, 31, 0x0000000080000000)
    TEST_R(47, ctzw, 0, 0xffffffffffffffff)
    TEST_R(48, ctzw, 16, 0x0000000000010000)
    /* ---- cpop / cpopw --------------------------------------------------------------------- */
    TEST_R(49, cpop, 0, 0x0000000000000000)
    TEST_R(50, cpop, 64, 0xffffffffffffffff)
    TEST_R(51, cpop, 2, 0x8000000000000001)
    TEST_R(52, cpop, 32, 0x5555555555555555)
    TEST_R(53, cpop, 32, 0x0123456789abcdef)
    TEST_R(54, cpop, 63, 0x7fffffffffffffff)
    TEST_R(55, cpopw, 0, 0x0000000000000000)
    TEST_R(56, cpopw, 32, 0xffffffffffffffff)
    TEST_R(57, cpopw, 0, 0xffffffff00000000)
    TEST_R(58, cpopw, 2, 0x0000000080000001)
    TEST_R(59, cpopw, 20, 0x0123456789abcdef)      /* counts 0x89abcdef only */
    TEST_R_SRC1_EQ_DEST(60, clz, 64, 0)
    TEST_R_SRC1_EQ_DEST(61, ctzw, 32, 0)
    TEST_R_SRC1_EQ_DEST(62, cpop, 64, -1)
    TEST_CASE(63, x0, 0, li a1, 5; clz x0, a1; ctz x0, a1; cpop x0, a1; clzw x0, a1; ctzw x0, a1; cpopw x0, a1)

    /* ---- min / max (signed) ---------------------------------------------------------------- */
    TEST_RR(64, min, 0xffffffffffffffff, 0xffffffffffffffff, 0x0000000000000001)
    TEST_RR(65, min, 0xffffffffffffffff, 0x0000000000000001, 0xffffffffffffffff)
    TEST_RR(66, min, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_RR(67, min, 0x000000007fffffff, 0x0000000080000000, 0x000000007fffffff) /* 64-bit compare */
    TEST_RR(68, min, 0x0000000000000005, 0x0000000000000005, 0x0000000000000005)
    TEST_RR(69, max, 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000001)
    TEST_RR(70, max, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_RR(71, max, 0x0000000080000000, 0x0000000080000000, 0x000000007fffffff)
    TEST_RR(72, max, 0xfffffffffffffffe, 0xfffffffffffffffe, 0x8000000000000000)
    /* ---- minu / maxu (unsigned) -------------------------------------------------------------- */
    TEST_RR(73, minu, 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000001)
    TEST_RR(74, minu, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_RR(75, minu, 0x0000000000000000, 0x0000000000000000, 0xffffffffffffffff)
    TEST_RR(76, minu, 0x00000000ffffffff, 0x00000000ffffffff, 0x0000000100000000)
    TEST_RR(77, maxu, 0xffffffffffffffff, 0xffffffffffffffff, 0x0000000000000001)
    TEST_RR(78, maxu, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_RR(79, maxu, 0x0000000100000000, 0x00000000ffffffff, 0x0000000100000000)
    TEST_RR(80, maxu, 0x0000000000000007, 0x0000000000000007, 0x0000000000000007)
    TEST_RR_SRC1_EQ_DEST(81, min, -3, -3, 3)
    TEST_RR_SRC2_EQ_DEST(82, maxu, -3, -3, 3)
    TEST_RR_SRC12_EQ_DEST(83, minu, -3, -3)
    TEST_RR_ZERODEST(84, max, 1, 2)

    /* ---- sext.b / sext.h / zext.h ------------------------------------------------------------ */
    TEST_R(85, sext.b, 0xffffffffffffff80, 0x0000000000000080)
    TEST_R(86, sext.b, 0x000000000000007f, 0x000000000000007f)
    TEST_R(87, sext.b, 0x0000000000000000, 0xffffffffffffff00)
    TEST_R(88, sext.b, 0x000000000000007f, 0x12345678abcdef7f)
    TEST_R(89, sext.b, 0xffffffffffffffff, 0x00000000000000ff)
    TEST_R(90, sext.h, 0xffffffffffff8000, 0x0000000000008000)
    TEST_R(91, sext.h, 0x0000000000007fff, 0x0000000000007fff)
    TEST_R(92, sext.h, 0xffffffffffff8001, 0x123456789abc8001)
    TEST_R(93, sext.h, 0x0000000000000000, 0xffffffffffff0000)
    TEST_R(94, sext.h, 0x00000000000000ff, 0xffffffff000000ff)
    TEST_R(95, zext.h, 0x0000000000008000, 0xffffffffffff8000)
    TEST_R(96, zext.h, 0x000000000000ffff, 0xffffffffffffffff)
    TEST_R(97, zext.h, 0x0000000000002345, 0x0000000000012345)
    TEST_R(98, zext.h, 0x0000000000000000, 0x8000000000000000)
    TEST_R_SRC1_EQ_DEST(99, sext.b, 0xffffffffffffff81, 0x181)
    TEST_R_SRC1_EQ_DEST(100, zext.h, 0x000000000000fffe, -2)

    /* ---- rol / ror: amount = rs2[5:0] ---------------------------------------------------------- */
    TEST_RR(101, rol, 0x0000000000000003, 0x8000000000000001, 1)
    TEST_RR(102, rol, 0x0123456789abcdef, 0x0123456789abcdef, 0)
    TEST_RR(103, rol, 0x123456789abcdef0, 0x0123456789abcdef, 4)
    TEST_RR(104, rol, 0x89abcdef01234567, 0x0123456789abcdef, 32)
    TEST_RR(105, rol, 0x8091a2b3c4d5e6f7, 0x0123456789abcdef, 63)
    TEST_RR(106, rol, 0x0123456789abcdef, 0x0123456789abcdef, 64)    /* 64 & 63 = 0 */
    TEST_RR(107, rol, 0x123456789abcdef0, 0x0123456789abcdef, 68)    /* 68 & 63 = 4 */
    TEST_RR(108, rol, 0x8091a2b3c4d5e6f7, 0x0123456789abcdef, -1)    /* 63 */
    TEST_RR(109, ror, 0xc000000000000000, 0x8000000000000001, 1)
    TEST_RR(110, ror, 0x0123456789abcdef, 0x0123456789abcdef, 0)
    TEST_RR(111, ror, 0xf0123456789abcde, 0x0123456789abcdef, 4)
    TEST_RR(112, ror, 0x89abcdef01234567, 0x0123456789abcdef, 32)
    TEST_RR(113, ror, 0x02468acf13579bde, 0x0123456789abcdef, 63)
    TEST_RR(114, ror, 0x0123456789abcdef, 0x0123456789abcdef, 0xffffffffffffffc0) /* 0 */
    TEST_RR(115, ror, 0x02468acf13579bde, 0x0123456789abcdef, -1)    /* 63 */
    TEST_RR(116, ror, 0xffffffffffffffff, 0xffffffffffffffff, 17)
    TEST_RR_SRC1_EQ_DEST(117, rol, 0x0000000000000100, 1, 8)
    TEST_RR_SRC2_EQ_DEST(118, ror, 0x0100000000000000, 1, 8)
    TEST_RR_SRC12_EQ_DEST(119, rol, 0x0000000000000018, 0x0000000000000003)   /* 3 rol 3 */
    TEST_RR_ZERODEST(120, ror, 1, 1)
    /* ---- rori ------------------------------------------------------------------------------ */
    TEST_RI(121, rori, 0x0123456789abcdef, 0x0123456789abcdef, 0)
    TEST_RI(122, rori, 0xc000000000000000, 0x8000000000000001, 1)
    TEST_RI(123, rori, 0x89abcdef01234567, 0x0123456789abcdef, 32)
    TEST_RI(124, rori, 0x02468acf13579bde, 0x0123456789abcdef, 63)
    TEST_RI(125, rori, 0x000000000000000f, 0xf000000000000000, 60)
    TEST_RI_SRC1_EQ_DEST(126, rori, 0x8000000000000000, 1, 1)
    TEST_RI_ZERODEST(127, rori, 1, 1)

    /* ---- rolw / rorw / roriw: 32-bit rotate by amount mod 32, sign-extended ---------------- */
    TEST_RR(128, rolw, 0x0000000000000003, 0x0000000080000001, 1)
    TEST_RR(129, rolw, 0xffffffff80000000, 0x0000000040000000, 1)     /* sign-extends */
    TEST_RR(130, rolw, 0x0000000012345678, 0xffffffff12345678, 0)     /* upper bits dropped */
    TEST_RR(131, rolw, 0x0000000012345678, 0x0000000012345678, 32)    /* 32 & 31 = 0 */
    TEST_RR(132, rolw, 0x0000000023456781, 0x0000000012345678, 4)
    TEST_RR(133, rolw, 0x0000000023456781, 0xabcdef0012345678, 36)    /* 36 & 31 = 4 */
    TEST_RR(134, rolw, 0x00000000091a2b3c, 0x0000000012345678, 31)
    TEST_RR(135, rolw, 0xffffffffffffffff, 0x00000000ffffffff, 13)
    TEST_RR(136, rorw, 0xffffffff80000000, 0x0000000000000001, 1)
    TEST_RR(137, rorw, 0xffffffff81234567, 0x0000000012345678, 4)
    TEST_RR(138, rorw, 0xffffffff80000000, 0x0000000000000001, 33)    /* 33 & 31 = 1 */
    TEST_RR(139, rorw, 0x0000000000000001, 0x0000000080000000, 31)
    TEST_RR(140, rorw, 0xffffffff80000000, 0x1234567880000000, 0)     /* sign-extends */
    TEST_RR(141, rorw, 0x000000002468acf0, 0x0000000012345678, -1)    /* 31 */
    TEST_RI(142, roriw, 0xffffffff80000000, 0x0000000000000001, 1)
    TEST_RI(143, roriw, 0x0000000012345678, 0xffffffff12345678, 0)
    TEST_RI(144, roriw, 0x0000000000000001, 0xffffffff80000000, 31)
    TEST_RI(145, roriw, 0x0000000056781234, 0x1111111112345678, 16)
    TEST_RI(146, roriw, 0xffffffff81234567, 0x0000000012345678, 4)
    TEST_RR_SRC1_EQ_DEST(147, rolw, 0xffffffff80000000, 1, 31)
    TEST_RI_SRC1_EQ_DEST(148, roriw, 0xffffffff80000000, 1, 1)
    TEST_RR_ZERODEST(149, rorw, 1, 1)

    /* ---- orc.b: each byte becomes 0xff if nonzero, else 0x00 --------------------------------- */
    TEST_R(150, orc.b, 0x0000000000000000, 0x0000000000000000)
    TEST_R(151, orc.b, 0xff000000000000ff, 0x0100000000000080)
    TEST_R(152, orc.b, 0xffffffffffffffff, 0x0123456789abcdef)
    TEST_R(153, orc.b, 0x0000ff0000ff0000, 0x0000ff0000100000)
    TEST_R(154, orc.b, 0x00ff00ff00ff00ff, 0x0001000100010001)
    TEST_R(155, orc.b, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_R_SRC1_EQ_DEST(156, orc.b, 0x00000000ff00ff00, 0x0000000080004000)

    /* ---- rev8: byte reverse of the 64-bit register ------------------------------------------- */
    TEST_R(157, rev8, 0xefcdab8967452301, 0x0123456789abcdef)
    TEST_R(158, rev8, 0x8000000000000000, 0x0000000000000080)
    TEST_R(159, rev8, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_R(160, rev8, 0x0000000000000000, 0x0000000000000000)
    TEST_R(161, rev8, 0x0000000000000001, 0x0100000000000000)
    TEST_R(162, rev8, 0x78563412ffffffff, 0xffffffff12345678)
    TEST_R_SRC1_EQ_DEST(163, rev8, 0x0807060504030201, 0x0102030405060708)
    TEST_CASE(164, x0, 0, li a1, 5; orc.b x0, a1; rev8 x0, a1; sext.b x0, a1; sext.h x0, a1; zext.h x0, a1)

TEST_END
