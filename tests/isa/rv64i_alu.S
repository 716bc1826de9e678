/* RV64I integer computation: lui/auipc, register-register and register-immediate ALU ops, shifts
 * (amount = low 6 bits of rs2), edge values, rd == rs, x0 as destination and as source.
 * The *W forms are in rv64i_alu_w.S.
 *
 * Assembled without compressed instructions (.option norvc) so that only 32-bit RV64I encodings are
 * exercised here; rv64c.S covers the compressed forms.
 */
#include "test.h"

    .option norvc

TEST_BEGIN

    /* ---- lui: imm << 12, sign-extended from bit 31 ---------------------------------------- */
    TEST_CASE(2, a0, 0x0000000000000000, lui a0, 0x00000)
    TEST_CASE(3, a0, 0x0000000000001000, lui a0, 0x00001)
    TEST_CASE(4, a0, 0x000000007ffff000, lui a0, 0x7ffff)
    TEST_CASE(5, a0, 0xffffffff80000000, lui a0, 0x80000)     /* bit 31 set: sign-extends */
    TEST_CASE(6, a0, 0xfffffffffffff000, lui a0, 0xfffff)
    TEST_CASE(7, a0, 0xffffffffffffefff, lui a0, 0xfffff; addi a0, a0, -1)
    TEST_CASE(8, a0, 0x0000000000000fff, lui a0, 0x1; addi a0, a0, -1)
    TEST_CASE(9, x0, 0, lui x0, 0x80000)                       /* x0 destination discarded */

    /* ---- auipc: pc + (imm << 12), sign-extended offset ------------------------------------ */
    TEST_CASE(10, a0, 0, 1: auipc a0, 0; la a1, 1b; sub a0, a0, a1)
    TEST_CASE(11, a0, 0x1000, 1: auipc a0, 1; la a1, 1b; sub a0, a0, a1)
    TEST_CASE(12, a0, 0x7ffff000, 1: auipc a0, 0x7ffff; la a1, 1b; sub a0, a0, a1)
    TEST_CASE(13, a0, 0xffffffff80000000, 1: auipc a0, 0x80000; la a1, 1b; sub a0, a0, a1)
    TEST_CASE(14, a0, -0x1000, 1: auipc a0, 0xfffff; la a1, 1b; sub a0, a0, a1)
    /* pc-relative + addi pair as the assembler emits it for `la` */
    TEST_CASE(15, a0, 0x1234, 1: auipc a0, %pcrel_hi(auipc_target); addi a0, a0, %pcrel_lo(1b); la a1, auipc_target; sub a0, a0, a1; li a1, 0x1234; add a0, a0, a1)
    /* auipc puts the pc of the auipc itself, not of the next instruction: 8 bytes between them */
    TEST_CASE(16, a0, 8, auipc a1, 0; nop; auipc a0, 0; sub a0, a0, a1)

    /* ---- add ------------------------------------------------------------------------------ */
    TEST_RR(17, add, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000)
    TEST_RR(18, add, 0x0000000000000002, 0x0000000000000001, 0x0000000000000001)
    TEST_RR(19, add, 0x000000000000000a, 0x0000000000000003, 0x0000000000000007)
    TEST_RR(20, add, 0xffffffffffff8000, 0x0000000000000000, 0xffffffffffff8000)
    TEST_RR(21, add, 0x0000000080000000, 0x000000007fffffff, 0x0000000000000001) /* no 32-bit wrap */
    TEST_RR(22, add, 0x0000000100000000, 0x00000000ffffffff, 0x0000000000000001)
    TEST_RR(23, add, 0x8000000000000000, 0x7fffffffffffffff, 0x0000000000000001) /* overflow wraps */
    TEST_RR(24, add, 0x0000000000000000, 0x8000000000000000, 0x8000000000000000)
    TEST_RR(25, add, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff)
    TEST_RR(26, add, 0x0000000000000000, 0xffffffffffffffff, 0x0000000000000001)
    TEST_RR(27, add, 0xfffffffffffffffe, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR_SRC1_EQ_DEST(28, add, 24, 13, 11)
    TEST_RR_SRC2_EQ_DEST(29, add, 25, 14, 11)
    TEST_RR_SRC12_EQ_DEST(30, add, 26, 13)
    TEST_RR_ZERODEST(31, add, 16, 30)

    /* ---- sub ------------------------------------------------------------------------------ */
    TEST_RR(32, sub, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000)
    TEST_RR(33, sub, 0x0000000000000000, 0x0000000000000001, 0x0000000000000001)
    TEST_RR(34, sub, 0xfffffffffffffffc, 0x0000000000000003, 0x0000000000000007)
    TEST_RR(35, sub, 0x8000000000000000, 0x0000000000000000, 0x8000000000000000) /* -INT64_MIN */
    TEST_RR(36, sub, 0x7fffffffffffffff, 0x8000000000000000, 0x0000000000000001)
    TEST_RR(37, sub, 0xffffffffffffffff, 0x0000000000000000, 0x0000000000000001)
    TEST_RR(38, sub, 0x000000007fffffff, 0x0000000080000000, 0x0000000000000001)
    TEST_RR(39, sub, 0xffffffff80000000, 0x0000000000000000, 0x0000000080000000)
    TEST_RR(40, sub, 0x00000000ffffffff, 0x0000000100000000, 0x0000000000000001)
    TEST_RR(41, sub, 0x8000000000000001, 0x7fffffffffffffff, 0xfffffffffffffffe)
    TEST_RR_SRC1_EQ_DEST(42, sub, 2, 13, 11)
    TEST_RR_SRC2_EQ_DEST(43, sub, 3, 14, 11)
    TEST_RR_SRC12_EQ_DEST(44, sub, 0, 13)
    TEST_RR_ZERODEST(45, sub, 16, 30)

    /* ---- slt / sltu: signed vs unsigned compare ------------------------------------------- */
    TEST_RR(46, slt, 0, 0x0000000000000000, 0x0000000000000000)
    TEST_RR(47, slt, 0, 0x0000000000000001, 0x0000000000000001)
    TEST_RR(48, slt, 1, 0x0000000000000003, 0x0000000000000007)
    TEST_RR(49, slt, 0, 0x0000000000000007, 0x0000000000000003)
    TEST_RR(50, slt, 1, 0x8000000000000000, 0x0000000000000000)
    TEST_RR(51, slt, 0, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_RR(52, slt, 1, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_RR(53, slt, 1, 0xffffffffffffffff, 0x0000000000000000)
    TEST_RR(54, slt, 0, 0x0000000000000000, 0xffffffffffffffff)
    TEST_RR(55, slt, 1, 0x00000000ffffffff, 0x0000000100000000) /* compares all 64 bits */
    TEST_RR(56, sltu, 0, 0x0000000000000000, 0x0000000000000000)
    TEST_RR(57, sltu, 1, 0x0000000000000003, 0x0000000000000007)
    TEST_RR(58, sltu, 0, 0x8000000000000000, 0x0000000000000000)
    TEST_RR(59, sltu, 1, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_RR(60, sltu, 0, 0xffffffffffffffff, 0x0000000000000000)
    TEST_RR(61, sltu, 1, 0x0000000000000000, 0xffffffffffffffff)
    TEST_RR(62, sltu, 1, 0xfffffffffffffffe, 0xffffffffffffffff)
    TEST_RR(63, sltu, 1, 0x00000000ffffffff, 0x0000000100000000)
    TEST_RR(64, sltu, 1, 0x0000000000000000, 0x0000000000000001) /* snez idiom */
    TEST_RR_SRC12_EQ_DEST(65, slt, 0, -5)
    TEST_RR_SRC1_EQ_DEST(66, sltu, 1, 3, -1)
    TEST_RR_ZERODEST(67, slt, -1, 1)

    /* ---- and / or / xor ------------------------------------------------------------------- */
    TEST_RR(68, and, 0x0f000f00ff00ff00, 0xff00ff00ff00ff00, 0x0f0f0f0fffffffff)
    TEST_RR(69, and, 0x00f000f000f000f0, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0)
    TEST_RR(70, and, 0x0000000000000000, 0xaaaaaaaaaaaaaaaa, 0x5555555555555555)
    TEST_RR(71, and, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000)
    TEST_RR(72, or, 0xff0fff0fffffffff, 0xff00ff00ff00ff00, 0x0f0f0f0fffffffff)
    TEST_RR(73, or, 0xfff0fff0fff0fff0, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0)
    TEST_RR(74, or, 0xffffffffffffffff, 0xaaaaaaaaaaaaaaaa, 0x5555555555555555)
    TEST_RR(75, or, 0x8000000000000001, 0x0000000000000001, 0x8000000000000000)
    TEST_RR(76, xor, 0xf00ff00f00ff00ff, 0xff00ff00ff00ff00, 0x0f0f0f0fffffffff)
    TEST_RR(77, xor, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0)
    TEST_RR(78, xor, 0x0000000000000000, 0xdeadbeefcafef00d, 0xdeadbeefcafef00d)
    TEST_RR(79, xor, 0x7fffffffffffffff, 0xffffffffffffffff, 0x8000000000000000)
    TEST_RR_SRC1_EQ_DEST(80, and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR_SRC2_EQ_DEST(81, or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR_SRC12_EQ_DEST(82, xor, 0, 0x123456789abcdef0)
    TEST_RR_ZERODEST(83, or, 0x11111111, 0x22222222)

    /* ---- sll / srl / sra: shift amount is rs2[5:0] ---------------------------------------- */
    TEST_RR(84, sll, 0x0000000000000001, 0x0000000000000001, 0)
    TEST_RR(85, sll, 0x0000000000000002, 0x0000000000000001, 1)
    TEST_RR(86, sll, 0x0000000080000000, 0x0000000000000001, 31)   /* no sign extension at bit 31 */
    TEST_RR(87, sll, 0x0000000100000000, 0x0000000000000001, 32)
    TEST_RR(88, sll, 0x8000000000000000, 0x0000000000000001, 63)
    TEST_RR(89, sll, 0x8000000000000000, 0xffffffffffffffff, 63)
    TEST_RR(90, sll, 0x2121212100000000, 0x0000000021212121, 32)
    TEST_RR(91, sll, 0x0000000021212121, 0x0000000021212121, 64)   /* 64 & 63 = 0 */
    TEST_RR(92, sll, 0x0000000042424242, 0x0000000021212121, 0xffffffffffffffc1) /* low 6 bits = 1 */
    TEST_RR(93, sll, 0x8000000000000000, 0x0000000021212121, 0xffffffffffffffff) /* 63 */
    TEST_RR(94, sll, 0x2121212100000000, 0x0000000021212121, 0xffffffffffffffe0) /* 32 */
    TEST_RR(95, srl, 0x8000000000000000, 0x8000000000000000, 0)
    TEST_RR(96, srl, 0x4000000000000000, 0x8000000000000000, 1)
    TEST_RR(97, srl, 0x0000000100000000, 0x8000000000000000, 31)
    TEST_RR(98, srl, 0x0000000080000000, 0x8000000000000000, 32)
    TEST_RR(99, srl, 0x0000000000000001, 0x8000000000000000, 63)
    TEST_RR(100, srl, 0x00000000ffffffff, 0xffffffffffffffff, 32)
    TEST_RR(101, srl, 0x0000000000000001, 0xffffffffffffffff, 63)
    TEST_RR(102, srl, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffc0) /* 0 */
    TEST_RR(103, srl, 0x0000000010909090, 0x21212121ffffffff, 0xffffffffffffffe1) /* 33 */
    TEST_RR(104, srl, 0x0000000000000001, 0x8000000000000000, 0x000000000000007f) /* 63 */
    TEST_RR(105, sra, 0x8000000000000000, 0x8000000000000000, 0)
    TEST_RR(106, sra, 0xc000000000000000, 0x8000000000000000, 1)
    TEST_RR(107, sra, 0xffffffff00000000, 0x8000000000000000, 31)
    TEST_RR(108, sra, 0xffffffff80000000, 0x8000000000000000, 32)
    TEST_RR(109, sra, 0xffffffffffffffff, 0x8000000000000000, 63)
    TEST_RR(110, sra, 0x0000000000000000, 0x7fffffffffffffff, 63)
    TEST_RR(111, sra, 0x000000003fffffff, 0x7fffffffffffffff, 33)
    TEST_RR(112, sra, 0x0000000000000000, 0x0000000080000000, 32)  /* bit 31 is not the sign */
    TEST_RR(113, sra, 0xffffffffc0c0c0c0, 0x8181818100000000, 0xffffffffffffffe1) /* 33 */
    TEST_RR(114, sra, 0x8181818100000000, 0x8181818100000000, 0xffffffffffffffc0) /* 0 */
    TEST_RR_SRC1_EQ_DEST(115, sll, 0x00000080, 1, 7)
    TEST_RR_SRC2_EQ_DEST(116, srl, 0x01000000, 0x80000000, 7)
    TEST_RR_SRC12_EQ_DEST(117, sra, 0xffffffffff000000, 0xffffffff80000007) /* shamt 7 */
    TEST_RR_ZERODEST(118, sll, 1, 5)

    /* ---- addi / slti / sltiu / xori / ori / andi: 12-bit sign-extended immediate --------- */
    TEST_RI(119, addi, 0x0000000000000000, 0x0000000000000000, 0)
    TEST_RI(120, addi, 0x0000000000000002, 0x0000000000000001, 1)
    TEST_RI(121, addi, 0x00000000000007ff, 0x0000000000000000, 2047)
    TEST_RI(122, addi, 0xfffffffffffff800, 0x0000000000000000, -2048)
    TEST_RI(123, addi, 0x8000000000000000, 0x7fffffffffffffff, 1)
    TEST_RI(124, addi, 0x7fffffffffffffff, 0x8000000000000000, -1)
    TEST_RI(125, addi, 0x0000000080000000, 0x000000007fffffff, 1)       /* no 32-bit wrap */
    TEST_RI(126, addi, 0x000000007ffff800, 0x0000000080000000, -2048)
    TEST_RI(127, addi, 0x0000000000000000, 0xffffffffffffffff, 1)
    TEST_RI(128, addi, 0xffffffffffffffff, 0x0000000000000000, -1)      /* li -1 idiom */
    TEST_RI_SRC1_EQ_DEST(129, addi, 24, 13, 11)
    TEST_RI_ZERODEST(130, addi, 5, 7)
    TEST_RI(131, slti, 0, 0x0000000000000000, 0)
    TEST_RI(132, slti, 1, 0x0000000000000000, 1)
    TEST_RI(133, slti, 0, 0x0000000000000000, -1)
    TEST_RI(134, slti, 1, 0x8000000000000000, -2048)
    TEST_RI(135, slti, 0, 0x7fffffffffffffff, 2047)
    TEST_RI(136, slti, 1, 0xfffffffffffff7ff, -2048)
    TEST_RI(137, slti, 0, 0xfffffffffffff800, -2048)
    TEST_RI(138, sltiu, 1, 0x0000000000000000, -1)  /* imm sign-extends to 2^64-1, then unsigned */
    TEST_RI(139, sltiu, 0, 0xffffffffffffffff, -1)
    TEST_RI(140, sltiu, 1, 0xfffffffffffffffe, -1)
    TEST_RI(141, sltiu, 1, 0x0000000000000000, 1)   /* seqz idiom */
    TEST_RI(142, sltiu, 0, 0x0000000000000001, 1)
    TEST_RI(143, sltiu, 0, 0x8000000000000000, 2047)
    TEST_RI(144, sltiu, 1, 0x7fffffffffffffff, -2048)
    TEST_RI(145, xori, 0x00ff00ff00ff000f, 0xff00ff00ff00ff00, 0x0f0f - 0x1000) /* imm 0xf0f: -241 */
    TEST_RI(146, xori, 0x00ff00ff00ff07f0, 0x00ff00ff00ff00ff, 0x70f)
    TEST_RI(147, xori, 0x0000000000000000, 0xffffffffffffffff, -1)     /* not idiom */
    TEST_RI(148, xori, 0x8000000000000000, 0x7fffffffffffffff, -1)
    TEST_RI(149, xori, 0x00000000000007ff, 0x0000000000000000, 0x7ff)
    TEST_RI(150, ori, 0xffffffffffffff0f, 0x0000000000000000, -241)
    TEST_RI(151, ori, 0x00ff00ff00ff07ff, 0x00ff00ff00ff00ff, 0x70f)
    TEST_RI(152, ori, 0xffffffffffffffff, 0x8000000000000000, -1)
    TEST_RI(153, ori, 0x80000000000007ff, 0x8000000000000000, 2047)
    TEST_RI(154, andi, 0xff00ff00ff00ff00, 0xff00ff00ff00ff00, -256)
    TEST_RI(155, andi, 0x00000000000000ff, 0x00ff00ff00ff00ff, 0x7ff)
    TEST_RI(156, andi, 0x0000000000000000, 0x00ff00ff00ff00ff, 0x700)
    TEST_RI(157, andi, 0x8000000000000000, 0x8000000000000000, -2048)   /* upper bits kept */
    TEST_RI(158, andi, 0x0000000000000000, 0x8000000000000000, 2047)
    TEST_RI_SRC1_EQ_DEST(159, andi, 0x0000000000000700, 0xff00ff00, 0x70f)
    TEST_RI_ZERODEST(160, ori, 0x1234, 0x7ff)

    /* ---- slli / srli / srai: 6-bit shamt -------------------------------------------------- */
    TEST_RI(161, slli, 0x0000000000000001, 0x0000000000000001, 0)
    TEST_RI(162, slli, 0x0000000080000000, 0x0000000000000001, 31)
    TEST_RI(163, slli, 0x0000000100000000, 0x0000000000000001, 32)
    TEST_RI(164, slli, 0x8000000000000000, 0x0000000000000001, 63)
    TEST_RI(165, slli, 0x4242424200000000, 0x0000000021212121, 33)
    TEST_RI(166, slli, 0xfffffffffffffffe, 0xffffffffffffffff, 1)
    TEST_RI(167, srli, 0xffffffffffffffff, 0xffffffffffffffff, 0)
    TEST_RI(168, srli, 0x00000001ffffffff, 0xffffffffffffffff, 31)
    TEST_RI(169, srli, 0x00000000ffffffff, 0xffffffffffffffff, 32)
    TEST_RI(170, srli, 0x0000000000000001, 0xffffffffffffffff, 63)
    TEST_RI(171, srli, 0x0000000000000000, 0x00000000ffffffff, 32)  /* no sign-extension of bit 31 */
    TEST_RI(172, srli, 0x0000000040404040, 0x8080808080808080, 33)
    TEST_RI(173, srai, 0x8000000000000000, 0x8000000000000000, 0)
    TEST_RI(174, srai, 0xffffffff00000000, 0x8000000000000000, 31)
    TEST_RI(175, srai, 0xffffffff80000000, 0x8000000000000000, 32)
    TEST_RI(176, srai, 0xffffffffffffffff, 0x8000000000000000, 63)
    TEST_RI(177, srai, 0x0000000000000000, 0x7fffffffffffffff, 63)
    TEST_RI(178, srai, 0x0000000000000001, 0x00000000ffffffff, 31)  /* bit 31 is not the sign */
    TEST_RI(179, srai, 0xffffffffc0404040, 0x8080808080808080, 33)
    TEST_RI_SRC1_EQ_DEST(180, srai, 0xffffffffffffffff, 0xfffffffffffffff0, 63)
    TEST_RI_ZERODEST(181, slli, 1, 63)

    /* ---- x0 as a source always reads 0, even after a write to it ------------------------ */
    TEST_CASE(182, a0, 5, li a1, 5; addi x0, a1, 1; add a0, a1, x0)
    TEST_CASE(183, a0, 0, li a1, -1; sub x0, x0, a1; or a0, x0, x0)
    TEST_CASE(184, a0, 0, lui x0, 0xfffff; auipc x0, 1; mv a0, x0)

TEST_END

    .data
    .align 3
auipc_target:
    .dword 0
