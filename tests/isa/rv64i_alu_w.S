/* RV64I *W forms: addw/subw/addiw, sllw/srlw/sraw (amount = low 5 bits of rs2), slliw/srliw/sraiw:
 * 32-bit operation on the low words, upper source bits ignored, result sign-extended from bit 31.
 *
 * Assembled without compressed instructions (.option norvc) so that only 32-bit RV64I encodings are
 * exercised here; rv64c.S covers the compressed forms.
 */
#include "test.h"

    .option norvc

TEST_BEGIN

    /* ---- addw / subw: 32-bit result, sign-extended; upper source bits ignored ------------ */
    TEST_RR(2, addw, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000)
    TEST_RR(3, addw, 0x000000000000000a, 0x0000000000000003, 0x0000000000000007)
    TEST_RR(4, addw, 0xffffffff80000000, 0x000000007fffffff, 0x0000000000000001) /* sign-ext */
    TEST_RR(5, addw, 0x0000000000000000, 0x00000000ffffffff, 0x0000000000000001)
    TEST_RR(6, addw, 0x0000000000000000, 0x0000000080000000, 0x0000000080000000)
    TEST_RR(7, addw, 0x000000007fffffff, 0xffffffff80000000, 0xffffffffffffffff)
    TEST_RR(8, addw, 0x0000000000000003, 0x1234567800000001, 0xabcdef0000000002) /* high ignored */
    TEST_RR(9, addw, 0xfffffffffffffffe, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR(10, subw, 0xfffffffffffffffc, 0x0000000000000003, 0x0000000000000007)
    TEST_RR(11, subw, 0x000000007fffffff, 0xffffffff80000000, 0x0000000000000001)
    TEST_RR(12, subw, 0xffffffff80000000, 0x0000000000000000, 0x0000000080000000)
    TEST_RR(13, subw, 0xffffffff80000000, 0x000000007fffffff, 0xffffffffffffffff)
    TEST_RR(14, subw, 0x0000000000000000, 0x1234567812345678, 0x8765432112345678) /* high ignored */
    TEST_RR_SRC1_EQ_DEST(15, addw, 0xffffffff80000000, 0x7fffffff, 1)
    TEST_RR_SRC12_EQ_DEST(16, subw, 0, 0x8000000000000000)
    TEST_RR_ZERODEST(17, addw, 0x7fffffff, 1)

    /* ---- addiw: 32-bit add, sign-extended (sext.w = addiw rd, rs, 0) ---------------------- */
    TEST_RI(18, addiw, 0x0000000000000000, 0x0000000000000000, 0)
    TEST_RI(19, addiw, 0xffffffff80000000, 0x000000007fffffff, 1)
    TEST_RI(20, addiw, 0x000000007ffff800, 0xffffffff80000000, -2048)
    TEST_RI(21, addiw, 0xffffffff80000000, 0x0000000080000000, 0)     /* sext.w */
    TEST_RI(22, addiw, 0x0000000012345678, 0xabcdef0012345678, 0)     /* sext.w drops high bits */
    TEST_RI(23, addiw, 0xffffffffffffffff, 0x0000000000000000, -1)
    TEST_RI(24, addiw, 0x0000000000000000, 0x00000000ffffffff, 1)
    TEST_RI(25, addiw, 0x00000000000007fe, 0xffffffffffffffff, 2047)
    TEST_RI_SRC1_EQ_DEST(26, addiw, 0xffffffff80000000, 0x7fffffff, 1)
    TEST_RI_ZERODEST(27, addiw, 0x7fffffff, 1)

    /* ---- sllw / srlw / sraw: shamt is rs2[4:0], 32-bit result sign-extended --------------- */
    TEST_RR(28, sllw, 0x0000000000000001, 0x0000000000000001, 0)
    TEST_RR(29, sllw, 0xffffffff80000000, 0x0000000000000001, 31)     /* sign-extends */
    TEST_RR(30, sllw, 0x0000000000000001, 0x0000000000000001, 32)     /* 32 & 31 = 0 */
    TEST_RR(31, sllw, 0x0000000042424242, 0xffffffff21212121, 33)     /* 33 & 31 = 1 */
    TEST_RR(32, sllw, 0xffffffff80000000, 0x0000000021212121, 0xffffffffffffffff) /* 31 */
    TEST_RR(33, sllw, 0x0000000012345678, 0xffffffff12345678, 0)      /* result sign-extended */
    TEST_RR(34, srlw, 0x0000000000000001, 0xffffffff80000000, 31)
    TEST_RR(35, srlw, 0xffffffff80000000, 0x0000000080000000, 0)      /* shamt 0: sign-extends */
    TEST_RR(36, srlw, 0x0000000040000000, 0x0000000080000000, 1)      /* zeroes shifted in at 31 */
    TEST_RR(37, srlw, 0x0000000000000001, 0xffffffffffffffff, 0xffffffffffffffff) /* 31 */
    TEST_RR(38, srlw, 0x0000000000000001, 0x1234567800000002, 33)     /* high bits not shifted in */
    TEST_RR(39, sraw, 0xffffffffffffffff, 0x0000000080000000, 31)
    TEST_RR(40, sraw, 0xffffffffc0000000, 0x0000000080000000, 1)
    TEST_RR(41, sraw, 0x0000000000000000, 0xffffffff7fffffff, 31)
    TEST_RR(42, sraw, 0x0000000000000001, 0x8000000100000002, 33)     /* 33 & 31 = 1 */
    TEST_RR(43, sraw, 0xffffffff81818181, 0x0000000081818181, 0xffffffffffffffe0) /* 0 */
    TEST_RR_SRC2_EQ_DEST(44, sllw, 0xffffffff80000000, 1, 31)
    TEST_RR_ZERODEST(45, sraw, 0x80000000, 1)

    /* ---- slliw / srliw / sraiw: 5-bit shamt, sign-extended result ------------------------- */
    TEST_RI(46, slliw, 0x0000000000000001, 0x0000000000000001, 0)
    TEST_RI(47, slliw, 0xffffffff80000000, 0x0000000000000001, 31)
    TEST_RI(48, slliw, 0xffffffff80000000, 0x0000000080000000, 0)     /* shamt 0 sign-extends */
    TEST_RI(49, slliw, 0x0000000024242420, 0xffffffff21212121, 5)     /* bits 31+ dropped */
    TEST_RI(50, slliw, 0xffffffff90909080, 0x0000000021212121, 7)
    TEST_RI(51, srliw, 0x0000000000000001, 0xffffffff80000000, 31)
    TEST_RI(52, srliw, 0xffffffff80000000, 0x0000000080000000, 0)
    TEST_RI(53, srliw, 0x0000000001000000, 0x0000000080000000, 7)
    TEST_RI(54, srliw, 0x0000000000000001, 0xffffffffffffffff, 31)
    TEST_RI(55, srliw, 0x0000000000000000, 0x1234567800000000, 1)     /* high bits not shifted in */
    TEST_RI(56, sraiw, 0xffffffffffffffff, 0x0000000080000000, 31)
    TEST_RI(57, sraiw, 0xffffffffff000000, 0x0000000080000000, 7)
    TEST_RI(58, sraiw, 0x0000000000ffffff, 0xffffffff7fffffff, 7)
    TEST_RI(59, sraiw, 0x0000000012345678, 0xffffffff12345678, 0)
    TEST_RI(60, sraiw, 0x0000000000000000, 0xffffffff00000000, 31)    /* sign is bit 31, not 63 */
    TEST_RI_SRC1_EQ_DEST(61, sraiw, 0xffffffffff000000, 0x80000000, 7)
    TEST_RI_ZERODEST(62, slliw, 1, 31)

TEST_END
