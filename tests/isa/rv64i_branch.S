/* RV64I control transfer: beq/bne/blt/bge/bltu/bgeu taken and not taken (forwards and backwards)
 * with signed/unsigned edge values and operands that differ only in the upper 32 bits; branches at
 * the extreme of their +-4 KiB range; jal/jalr link values, jal over a long distance and backwards,
 * jalr clearing bit 0 of the target, jalr with rd == rs1, and x0 as link register.
 *
 * Assembled without compressed instructions (.option norvc): only 32-bit encodings are exercised, so
 * every link value is pc + 4.
 */
#include "test.h"

    .option norvc

#define ILLEGAL 0xc0001073      /* csrrw x0, cycle, x0: a write to a read-only CSR, always illegal */

TEST_BEGIN

    /* ---- beq ------------------------------------------------------------------------------ */
    TEST_BR2_TAKEN(2, beq, 0, 0)
    TEST_BR2_TAKEN(3, beq, 1, 1)
    TEST_BR2_TAKEN(4, beq, -1, -1)
    TEST_BR2_TAKEN(5, beq, 0x8000000000000000, 0x8000000000000000)
    TEST_BR2_NOTTAKEN(6, beq, 0, 1)
    TEST_BR2_NOTTAKEN(7, beq, 1, 0)
    TEST_BR2_NOTTAKEN(8, beq, -1, 1)
    TEST_BR2_NOTTAKEN(9, beq, 0x0000000100000000, 0)            /* differ only above bit 31 */
    TEST_BR2_NOTTAKEN(10, beq, 0x00000000ffffffff, 0xffffffffffffffff)
    TEST_BR2_NOTTAKEN(11, beq, 0x8000000000000000, 0)

    /* ---- bne ------------------------------------------------------------------------------ */
    TEST_BR2_TAKEN(12, bne, 0, 1)
    TEST_BR2_TAKEN(13, bne, 1, 0)
    TEST_BR2_TAKEN(14, bne, -1, 1)
    TEST_BR2_TAKEN(15, bne, 0x0000000100000000, 0)
    TEST_BR2_TAKEN(16, bne, 0x00000000ffffffff, 0xffffffffffffffff)
    TEST_BR2_TAKEN(17, bne, 0x8000000000000000, 0)
    TEST_BR2_NOTTAKEN(18, bne, 0, 0)
    TEST_BR2_NOTTAKEN(19, bne, 1, 1)
    TEST_BR2_NOTTAKEN(20, bne, -1, -1)
    TEST_BR2_NOTTAKEN(21, bne, 0x123456789abcdef0, 0x123456789abcdef0)

    /* ---- blt (signed) --------------------------------------------------------------------- */
    TEST_BR2_TAKEN(22, blt, 0, 1)
    TEST_BR2_TAKEN(23, blt, -1, 1)
    TEST_BR2_TAKEN(24, blt, -2, -1)
    TEST_BR2_TAKEN(25, blt, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR2_TAKEN(26, blt, 0x8000000000000000, 0)
    TEST_BR2_TAKEN(27, blt, 0x00000000ffffffff, 0x0000000100000000)
    TEST_BR2_TAKEN(28, blt, 0xffffffff00000000, 0x00000000ffffffff)
    TEST_BR2_NOTTAKEN(29, blt, 1, 0)
    TEST_BR2_NOTTAKEN(30, blt, 1, -1)
    TEST_BR2_NOTTAKEN(31, blt, -1, -2)
    TEST_BR2_NOTTAKEN(32, blt, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR2_NOTTAKEN(33, blt, 0, 0)
    TEST_BR2_NOTTAKEN(34, blt, 0x8000000000000000, 0x8000000000000000)
    TEST_BR2_NOTTAKEN(35, blt, 0x0000000080000000, 0x000000007fffffff) /* bit 31 is not the sign */
    TEST_BR2_NOTTAKEN(36, blt, 0, 0xffffffffffffffff)

    /* ---- bge (signed) --------------------------------------------------------------------- */
    TEST_BR2_TAKEN(37, bge, 0, 0)
    TEST_BR2_TAKEN(38, bge, 1, 0)
    TEST_BR2_TAKEN(39, bge, 1, -1)
    TEST_BR2_TAKEN(40, bge, -1, -2)
    TEST_BR2_TAKEN(41, bge, -1, -1)
    TEST_BR2_TAKEN(42, bge, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR2_TAKEN(43, bge, 0x0000000080000000, 0x000000007fffffff)
    TEST_BR2_TAKEN(44, bge, 0x8000000000000000, 0x8000000000000000)
    TEST_BR2_NOTTAKEN(45, bge, 0, 1)
    TEST_BR2_NOTTAKEN(46, bge, -1, 1)
    TEST_BR2_NOTTAKEN(47, bge, -2, -1)
    TEST_BR2_NOTTAKEN(48, bge, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR2_NOTTAKEN(49, bge, 0xffffffffffffffff, 0)
    TEST_BR2_NOTTAKEN(50, bge, 0x00000000ffffffff, 0x0000000100000000)

    /* ---- bltu (unsigned) ------------------------------------------------------------------ */
    TEST_BR2_TAKEN(51, bltu, 0, 1)
    TEST_BR2_TAKEN(52, bltu, 1, -1)
    TEST_BR2_TAKEN(53, bltu, -2, -1)
    TEST_BR2_TAKEN(54, bltu, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR2_TAKEN(55, bltu, 0x00000000ffffffff, 0x0000000100000000)
    TEST_BR2_TAKEN(56, bltu, 0, 0x8000000000000000)
    TEST_BR2_NOTTAKEN(57, bltu, 1, 0)
    TEST_BR2_NOTTAKEN(58, bltu, -1, 1)
    TEST_BR2_NOTTAKEN(59, bltu, -1, -2)
    TEST_BR2_NOTTAKEN(60, bltu, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR2_NOTTAKEN(61, bltu, 0, 0)
    TEST_BR2_NOTTAKEN(62, bltu, -1, -1)
    TEST_BR2_NOTTAKEN(63, bltu, 0x0000000100000000, 0x00000000ffffffff)

    /* ---- bgeu (unsigned) ------------------------------------------------------------------ */
    TEST_BR2_TAKEN(64, bgeu, 0, 0)
    TEST_BR2_TAKEN(65, bgeu, 1, 0)
    TEST_BR2_TAKEN(66, bgeu, -1, 1)
    TEST_BR2_TAKEN(67, bgeu, -1, -2)
    TEST_BR2_TAKEN(68, bgeu, -1, -1)
    TEST_BR2_TAKEN(69, bgeu, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR2_TAKEN(70, bgeu, 0x0000000100000000, 0x00000000ffffffff)
    TEST_BR2_NOTTAKEN(71, bgeu, 0, 1)
    TEST_BR2_NOTTAKEN(72, bgeu, 1, -1)
    TEST_BR2_NOTTAKEN(73, bgeu, -2, -1)
    TEST_BR2_NOTTAKEN(74, bgeu, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR2_NOTTAKEN(75, bgeu, 0, 0x8000000000000000)

    /* ---- same register for both operands, and x0 operands ---------------------------------- */
test_76:
    li TESTNUM, 76; li a1, -5
    beq a1, a1, 1f; j fail; 1:
    bne a1, a1, fail
    blt a1, a1, fail
    bltu a1, a1, fail
    bge a1, a1, 1f; j fail; 1:
    bgeu a1, a1, 1f; j fail; 1:
test_77:
    li TESTNUM, 77; li a1, -1
    blt a1, x0, 1f; j fail; 1:         /* bltz */
    bgeu a1, x0, 1f; j fail; 1:        /* always taken */
    bltu x0, a1, 1f; j fail; 1:        /* bnez as unsigned */
    bge a1, x0, fail                   /* bgez */
    bltu a1, x0, fail                  /* never taken */
    beq x0, x0, 1f; j fail; 1:

    /* ---- a not-taken branch falls through to exactly pc + 4 -------------------------------- */
    TEST_CASE(78, a0, 3, li a0, 0; li a1, 1; bne a1, a1, 1f; addi a0, a0, 1; 1: addi a0, a0, 2)
    /* a taken branch skips exactly the instructions in between */
    TEST_CASE(79, a0, 2, li a0, 0; li a1, 1; beq a1, a1, 1f; addi a0, a0, 1; 1: addi a0, a0, 2)

    /* ---- branch offsets at the edge of the +-4 KiB range (imm[12], imm[11] all set) --------- */
test_80:
    li TESTNUM, 80
    beq x0, x0, 2f              /* forward: +4092 */
1:  j 3f
    .fill 1021, 4, ILLEGAL
2:  bge x0, x0, 1b              /* backward: -4088 */
    j fail
3:
test_81:
    li TESTNUM, 81
    li a1, 1
    bltu x0, a1, 2f             /* forward: +4092 */
1:  j 3f
    .fill 1021, 4, ILLEGAL
2:  bne x0, a1, 1b              /* backward: -4088 */
    j fail
3:

    /* ---- jal: link is pc + 4, target is pc + offset --------------------------------------- */
    TEST_CASE(82, a0, 0, la a2, 2f; jal a1, 3f; 2: j fail; 3: sub a0, a1, a2)
    TEST_CASE(83, a0, 0, la a2, 2f; jal t0, 3f; 2: j fail; 3: sub a0, t0, a2)
    /* backwards jal: imm sign bit and all other immediate bits set */
    TEST_CASE(84, a0, 0, j 3f; 1: j 4f; 3: la a2, 2f; jal a1, 1b; 2: j fail; 4: sub a0, a1, a2)
    /* jal x0 (j) writes nothing */
    TEST_CASE(85, x0, 0, jal x0, 1f; j fail; 1: nop)
    TEST_CASE(86, a0, 7, li a0, 7; j 1f; li a0, 8; 1: nop)
    /* long forward jal: offset 0x11008 (imm bits in [19:12] set) */
    TEST_CASE(87, a0, 0, la a2, 2f; jal a1, 3f; 2: j fail; .fill 0x11000 / 4, 4, ILLEGAL; 3: sub a0, a1, a2)
    /* long backward jal across the same kind of gap */
    TEST_CASE(88, a0, 0, j 3f; 1: j 4f; .fill 0x11000 / 4, 4, ILLEGAL; 3: la a2, 2f; jal a1, 1b; 2: j fail; 4: sub a0, a1, a2)

    /* ---- jalr: target (rs1 + imm) & ~1, link pc + 4 --------------------------------------- */
    TEST_CASE(89, a0, 0, la a1, 3f; la a2, 2f; jalr a3, 0(a1); 2: j fail; 3: sub a0, a3, a2)
    TEST_CASE(90, a0, 0, la a1, 3f - 16; la a2, 2f; jalr a3, 16(a1); 2: j fail; 3: sub a0, a3, a2)
    TEST_CASE(91, a0, 0, la a1, 3f + 2044; la a2, 2f; jalr a3, -2044(a1); 2: j fail; 3: sub a0, a3, a2)
    TEST_CASE(92, a0, 0, la a1, 3f - 2047 + 1; la a2, 2f; jalr a3, 2047(a1); 2: j fail; 3: sub a0, a3, a2) /* target odd: bit 0 dropped */
    TEST_CASE(93, a0, 0, la a1, 3f + 1; la a2, 2f; jalr a3, 0(a1); 2: j fail; 3: sub a0, a3, a2)  /* odd rs1 */
    TEST_CASE(94, a0, 0, la a1, 3f; la a2, 2f; jalr a3, 1(a1); 2: j fail; 3: sub a0, a3, a2)      /* odd imm */
    TEST_CASE(95, a0, 0, la a1, 3f + 3; la a2, 2f; jalr a3, -2(a1); 2: j fail; 3: sub a0, a3, a2)
    /* rd == rs1: the target uses the old value of rs1 */
    TEST_CASE(96, a0, 0, la a1, 3f; la a2, 2f; jalr a1, 0(a1); 2: j fail; 3: sub a0, a1, a2)
    TEST_CASE(97, a0, 0, la a1, 3f - 8; la a2, 2f; jalr a1, 8(a1); 2: j fail; 3: sub a0, a1, a2)
    TEST_CASE(98, a0, 0, la ra, 3f + 1; la a2, 2f; jalr ra, 0(ra); 2: j fail; 3: sub a0, ra, a2)
    /* jalr x0 (jr / ret) writes nothing, and leaves rs1 alone */
    TEST_CASE(99, a0, 0, la a1, 3f; mv a3, a1; jalr x0, 0(a1); j fail; 3: sub a0, a1, a3)
    TEST_CASE(100, a0, 5, la ra, 1f; li a0, 5; ret; li a0, 6; 1: nop)
    /* call/return pair through a real subroutine */
    TEST_CASE(101, a0, 13, li a0, 6; jal ra, add7; nop)
    TEST_CASE(102, a0, 20, li a0, 6; call add7; call add7)
    TEST_CASE(103, a0, 27, li a0, 20; la t0, add7; jalr t0; nop)

TEST_END

    .align 2
add7:
    addi a0, a0, 7
    ret
