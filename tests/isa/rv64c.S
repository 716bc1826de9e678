/* RV64C: every compressed instruction of RV64IC (and the RV64DC loads/stores c.fld/c.fsd/c.fldsp/
 * c.fsdsp, assembled with `.option arch, +d`), written with explicit `c.` mnemonics so the assembler
 * must emit the 16-bit form: immediates at both ends of their range (sign extension of c.li/c.lui/
 * c.addi/c.addiw/c.andi/c.addi16sp, zero-extended scaled offsets of c.addi4spn and the loads/stores),
 * shifts by 1/31/32/63, c.addiw/c.addw/c.subw sign extension, link values of c.jalr (pc + 2), c.j/
 * c.beqz/c.bnez at the limits of their range, HINT encodings executing as no-ops; then 16- and 32-bit
 * instructions mixed, 32-bit instructions straddling a 4-byte boundary and a page boundary, and link
 * values of 32-bit jumps at 2-byte-aligned addresses. (c.ebreak belongs to the privileged suite.)
 *
 * Registers: CIW/CL/CS/CA/CB formats only reach x8..x15 = s0, s1, a0..a5.
 */
#include "test.h"

#define C_ILLEGAL 0x0000        /* the all-zero halfword is defined to be illegal */

/* Run `code` with sp pointing at c_area, then restore sp. */
#define WITH_SP_AT_C_AREA(code...) mv s1, sp; la sp, c_area; code; mv sp, s1
#define WITH_SP_AT_C_DATA(code...) mv s1, sp; la sp, c_data; code; mv sp, s1

/* Emit `insn` in its 32-bit encoding even where a compressed form exists. */
#define W32(insn...) .option push; .option norvc; insn; .option pop
TEST_BEGIN

    /* ---- c.li: 6-bit signed immediate ----------------------------------------------------- */
    TEST_CASE(2, a0, 0, li a0, 99; c.li a0, 0)
    TEST_CASE(3, a0, 31, c.li a0, 31)
    TEST_CASE(4, a0, -32, c.li a0, -32)
    TEST_CASE(5, a0, -1, c.li a0, -1)
    TEST_CASE(6, t0, 17, c.li t0, 17)                 /* any rd, not just x8..x15 */

    /* ---- c.lui: nzimm[17:12], sign-extended ---------------------------------------------- */
    TEST_CASE(7, a0, 0x0000000000001000, c.lui a0, 1)
    TEST_CASE(8, a0, 0x000000000001f000, c.lui a0, 31)
    TEST_CASE(9, a0, 0xfffffffffffe0000, c.lui a0, 0xfffe0)   /* -32 << 12 */
    TEST_CASE(10, a0, 0xfffffffffffff000, c.lui a0, 0xfffff)  /* -1 << 12 */
    TEST_CASE(11, t1, 0x0000000000005000, c.lui t1, 5)

    /* ---- c.addi: 6-bit signed nonzero immediate, 64-bit add ------------------------------ */
    TEST_CASE(12, a0, 0x0000000000000020, li a0, 1; c.addi a0, 31)
    TEST_CASE(13, a0, 0xffffffffffffffe1, li a0, 1; c.addi a0, -32)
    TEST_CASE(14, a0, 0x0000000080000000, li a0, 0x7fffffff; c.addi a0, 1)    /* no 32-bit wrap */
    TEST_CASE(15, a0, 0x0000000000000000, li a0, -1; c.addi a0, 1)
    TEST_CASE(16, a0, 0x7fffffffffffffff, li a0, 0x8000000000000000; c.addi a0, -1)
    TEST_CASE(17, ra, 0x0000000000000100, li ra, 0x101; c.addi ra, -1)

    /* ---- c.addiw: 32-bit add, sign-extended; imm may be 0 (sext.w) ----------------------- */
    TEST_CASE(18, a0, 0xffffffff80000000, li a0, 0x7fffffff; c.addiw a0, 1)
    TEST_CASE(19, a0, 0xffffffff80000000, li a0, 0x1234567880000000; c.addiw a0, 0)
    TEST_CASE(20, a0, 0x0000000012345678, li a0, 0xffffffff12345678; c.addiw a0, 0)
    TEST_CASE(21, a0, 0x000000007fffffe0, li a0, 0x80000000; c.addiw a0, -32)
    TEST_CASE(22, a0, 0x0000000000000000, li a0, 0xffffffff; c.addiw a0, 1)
    TEST_CASE(23, a0, 0xffffffffffffffff, li a0, 0; c.addiw a0, -1)
    TEST_CASE(24, t2, 0x000000000000001f, li t2, 0x100000000; c.addiw t2, 31)

    /* ---- c.addi16sp: sp += nzimm*16, -512..496 -------------------------------------------- */
    TEST_CASE(25, a0, -512, mv s1, sp; c.addi16sp sp, -512; sub a0, sp, s1; mv sp, s1)
    TEST_CASE(26, a0, 496, mv s1, sp; c.addi16sp sp, 496; sub a0, sp, s1; mv sp, s1)
    TEST_CASE(27, a0, 16, mv s1, sp; c.addi16sp sp, 16; sub a0, sp, s1; mv sp, s1)
    TEST_CASE(28, a0, -16, mv s1, sp; c.addi16sp sp, -16; sub a0, sp, s1; mv sp, s1)
    TEST_CASE(29, a0, 0x0000000100000000, mv s1, sp; li sp, 0xfffffff0; c.addi16sp sp, 16; mv a0, sp; mv sp, s1)

    /* ---- c.addi4spn: rd' = sp + nzuimm*4, 4..1020, zero-extended --------------------------- */
    TEST_CASE(30, a0, 4, c.addi4spn a0, sp, 4; sub a0, a0, sp)
    TEST_CASE(31, a0, 1020, c.addi4spn a0, sp, 1020; sub a0, a0, sp)
    TEST_CASE(32, s0, 512, c.addi4spn s0, sp, 512; sub s0, s0, sp)
    TEST_CASE(33, a5, 0x3fc, c.addi4spn a5, sp, 0x3fc; sub a5, a5, sp)

    /* ---- c.mv / c.add ---------------------------------------------------------------------- */
    TEST_CASE(34, a0, 0x8000000000000000, li a1, 0x8000000000000000; c.mv a0, a1)
    TEST_CASE(35, t3, 0xffffffffffffffff, li t4, -1; c.mv t3, t4)
    TEST_CASE(36, a0, 0x0000000100000000, li a0, 0xffffffff; li a1, 1; c.add a0, a1) /* 64-bit */
    TEST_CASE(37, a0, 0x8000000000000000, li a0, 0x7fffffffffffffff; li a1, 1; c.add a0, a1)
    TEST_CASE(38, s2, 0x0000000000000000, li s2, -5; li s3, 5; c.add s2, s3)
    TEST_CASE(39, a0, 84, li a0, 42; c.add a0, a0)

    /* ---- c.slli / c.srli / c.srai: 6-bit shamt ------------------------------------------- */
    TEST_CASE(40, a0, 0x0000000000000002, li a0, 1; c.slli a0, 1)
    TEST_CASE(41, a0, 0x0000000080000000, li a0, 1; c.slli a0, 31)
    TEST_CASE(42, a0, 0x0000000100000000, li a0, 1; c.slli a0, 32)
    TEST_CASE(43, a0, 0x8000000000000000, li a0, 3; c.slli a0, 63)
    TEST_CASE(44, t5, 0x4242424200000000, li t5, 0x21212121; c.slli t5, 33)
    TEST_CASE(45, a0, 0x4000000000000000, li a0, 0x8000000000000000; c.srli a0, 1)
    TEST_CASE(46, a0, 0x00000001ffffffff, li a0, -1; c.srli a0, 31)
    TEST_CASE(47, a0, 0x00000000ffffffff, li a0, -1; c.srli a0, 32)
    TEST_CASE(48, a0, 0x0000000000000001, li a0, -1; c.srli a0, 63)
    TEST_CASE(49, a0, 0xc000000000000000, li a0, 0x8000000000000000; c.srai a0, 1)
    TEST_CASE(50, a0, 0xffffffff00000000, li a0, 0x8000000000000000; c.srai a0, 31)
    TEST_CASE(51, a0, 0xffffffff80000000, li a0, 0x8000000000000000; c.srai a0, 32)
    TEST_CASE(52, a0, 0xffffffffffffffff, li a0, 0x8000000000000000; c.srai a0, 63)
    TEST_CASE(53, a0, 0x0000000000000000, li a0, 0x7fffffffffffffff; c.srai a0, 63)
    TEST_CASE(54, s1, 0x0000000000000001, li s1, 0x00000000ffffffff; c.srai s1, 31) /* bit 31 is no sign */

    /* ---- c.andi: 6-bit signed immediate --------------------------------------------------- */
    TEST_CASE(55, a0, 0xffffffffffffffe0, li a0, -1; c.andi a0, -32)
    TEST_CASE(56, a0, 0x8000000000000020, li a0, 0x800000000000003f; c.andi a0, -32)   /* upper bits kept */
    TEST_CASE(139, a0, 0x000000000000001f, li a0, 0x800000000000003f; c.andi a0, 31)
    TEST_CASE(57, a0, 0x0000000000000000, li a0, -1; c.andi a0, 0)
    TEST_CASE(58, a0, 0x123456789abcdef0, li a0, 0x123456789abcdef0; c.andi a0, -1)
    TEST_CASE(59, a2, 0xfedcba9876543210, li a2, 0xfedcba987654321f; c.andi a2, -16)

    /* ---- c.sub / c.xor / c.or / c.and ----------------------------------------------------- */
    TEST_CASE(60, a0, 0xfffffffffffffffc, li a0, 3; li a1, 7; c.sub a0, a1)
    TEST_CASE(61, a0, 0x7fffffffffffffff, li a0, 0x8000000000000000; li a1, 1; c.sub a0, a1)
    TEST_CASE(62, a0, 0x00000000ffffffff, li a0, 0x100000000; li a1, 1; c.sub a0, a1)  /* 64-bit */
    TEST_CASE(63, a0, 0xf00ff00f00ff00ff, li a0, 0xff00ff00ff00ff00; li a1, 0x0f0f0f0fffffffff; c.xor a0, a1)
    TEST_CASE(64, a0, 0xff0fff0fffffffff, li a0, 0xff00ff00ff00ff00; li a1, 0x0f0f0f0fffffffff; c.or a0, a1)
    TEST_CASE(65, a0, 0x0f000f00ff00ff00, li a0, 0xff00ff00ff00ff00; li a1, 0x0f0f0f0fffffffff; c.and a0, a1)
    TEST_CASE(66, s0, 0x0000000000000000, li s0, 0x5555; c.xor s0, s0)
    TEST_CASE(67, a5, 0x8000000000000001, li a5, 1; li a4, 0x8000000000000000; c.or a5, a4)

    /* ---- c.addw / c.subw: 32-bit, sign-extended ------------------------------------------- */
    TEST_CASE(68, a0, 0xffffffff80000000, li a0, 0x7fffffff; li a1, 1; c.addw a0, a1)
    TEST_CASE(69, a0, 0x0000000000000000, li a0, 0xffffffff; li a1, 1; c.addw a0, a1)
    TEST_CASE(70, a0, 0x0000000000000003, li a0, 0x1234567800000001; li a1, 0xabcdef0000000002; c.addw a0, a1)
    TEST_CASE(71, a0, 0x000000007fffffff, li a0, 0x80000000; li a1, 1; c.subw a0, a1)
    TEST_CASE(72, a0, 0xffffffff80000000, li a0, 0; li a1, 0x80000000; c.subw a0, a1)
    TEST_CASE(73, a0, 0xfffffffffffffffc, li a0, 0x1111111100000003; li a1, 7; c.subw a0, a1)
    TEST_CASE(74, s1, 0x0000000000000000, li s1, 0x8000000000000000; c.subw s1, s1)

    /* ---- c.lw / c.ld / c.sw / c.sd: uimm scaled, x8..x15 ---------------------------------- */
    TEST_CASE(75, a0, 0xffffffff89abcdef, la a1, c_data; c.lw a0, 0(a1))          /* sign-ext */
    TEST_CASE(76, a0, 0x0000000001234567, la a1, c_data; c.lw a0, 4(a1))
    TEST_CASE(77, a0, 0x0123456789abcdef, la a1, c_data; c.ld a0, 0(a1))
    TEST_CASE(78, a0, 0xfedcba9876543210, la a1, c_data; c.ld a0, 8(a1))
    TEST_CASE(79, a0, 0xffffffff8badf00d, la a1, c_area; li a2, 0x8badf00d; sw a2, 124(a1); c.lw a0, 124(a1))
    TEST_CASE(80, a0, 0xcafebabe12345678, la a1, c_area; li a2, 0xcafebabe12345678; sd a2, 248(a1); c.ld a0, 248(a1))
    TEST_CASE(81, a0, 0x0000000087654321, la a1, c_area; li a2, 0xffffffff87654321; li a3, -1; sd a3, 120(a1); c.sw a2, 124(a1); ld a0, 120(a1); srli a0, a0, 32)
    TEST_CASE(82, a0, 0x00000000ffffffff, ld a0, 120(a1); slli a0, a0, 32; srli a0, a0, 32)  /* low word untouched */
    TEST_CASE(83, a0, 0x1122334455667788, la a1, c_area; li a2, 0x1122334455667788; c.sd a2, 248(a1); ld a0, 248(a1))
    TEST_CASE(84, a0, 0x00000000deadbeef, la a1, c_area; sd zero, 0(a1); li a2, 0x55555555deadbeef; c.sw a2, 0(a1); ld a0, 0(a1))
    TEST_CASE(85, s0, 0x0123456789abcdef, la s0, c_data; c.ld s0, 0(s0))          /* rd == base */
    TEST_CASE(86, a0, 0x0000000000000000, la a1, c_area; li a2, -1; sd a2, 8(a1); c.sd a1, 8(a1); ld a0, 8(a1); sub a0, a0, a1)

    /* ---- c.lwsp / c.ldsp / c.swsp / c.sdsp: sp-relative, any rd/rs2 ------------------------ */
    TEST_CASE(87, a0, 0xffffffff89abcdef, WITH_SP_AT_C_DATA(c.lwsp a0, 0(sp)))
    TEST_CASE(88, t0, 0x0000000001234567, WITH_SP_AT_C_DATA(c.lwsp t0, 4(sp)))
    TEST_CASE(89, ra, 0xfedcba9876543210, WITH_SP_AT_C_DATA(c.ldsp ra, 8(sp)))
    TEST_CASE(90, a0, 0xffffffff80000000, la a1, c_area; li a2, 0x80000000; sw a2, 252(a1); WITH_SP_AT_C_AREA(c.lwsp a0, 252(sp)))
    TEST_CASE(91, a0, 0x8000000000000001, la a1, c_area; li a2, 0x8000000000000001; sd a2, 504(a1); WITH_SP_AT_C_AREA(c.ldsp a0, 504(sp)))
    TEST_CASE(92, a0, 0x0000000076543210, la a1, c_area; sd zero, 248(a1); li a2, 0xfedcba9876543210; WITH_SP_AT_C_AREA(c.swsp a2, 252(sp)); ld a0, 248(a1); srli a0, a0, 32)
    TEST_CASE(93, a0, 0x0f0f0f0ff0f0f0f0, la a1, c_area; li t3, 0x0f0f0f0ff0f0f0f0; WITH_SP_AT_C_AREA(c.sdsp t3, 504(sp)); ld a0, 504(a1))
    TEST_CASE(94, a0, 0x5a5a5a5a5a5a5a5a, la a1, c_area; li s4, 0x5a5a5a5a5a5a5a5a; WITH_SP_AT_C_AREA(c.sdsp s4, 0(sp)); ld a0, 0(a1))
    TEST_CASE(95, a0, 0x0000000012345678, la a1, c_area; sd zero, 0(a1); li t6, 0x12345678; WITH_SP_AT_C_AREA(c.swsp t6, 0(sp)); ld a0, 0(a1))
    /* storing sp itself */
    TEST_CASE(96, a0, 0, la a1, c_area; WITH_SP_AT_C_AREA(c.sdsp sp, 16(sp)); ld a0, 16(a1); sub a0, a0, a1)

    /* ---- c.j: forwards/backwards, at the +-2 KiB limit ------------------------------------ */
    /* GNU as turns even an explicit c.j/c.beqz/c.bnez into a 32-bit jump when its first estimate
     * of the distance is out of range, so the limit cases are written as raw halfwords (encodings
     * taken from the assembler's own output; the comment gives the instruction). */
    TEST_CASE(97, a0, 1, li a0, 0; c.j 1f; j fail; 1: li a0, 1)
test_98:
    li TESTNUM, 98
    W32(j 2f)
1:  W32(j 3f)
    .fill 1020, 2, C_ILLEGAL
2:  .hword 0xb011               /* c.j 1b: -2044 */
    j fail
3:
test_99:
    li TESTNUM, 99
    W32(j 2f)
1:  W32(j 3f)
    .fill 1022, 2, C_ILLEGAL
2:  .hword 0xb001               /* c.j 1b: -2048 */
    j fail
3:
test_100:
    li TESTNUM, 100
    .hword 0xaffd               /* c.j 1f: +2046 */
    .fill 1022, 2, C_ILLEGAL
1:

    /* ---- c.jr / c.jalr: target rs1, c.jalr links pc + 2 ----------------------------------- */
    TEST_CASE(101, a0, 1, li a0, 0; la a1, 1f; c.jr a1; j fail; 1: li a0, 1)
    TEST_CASE(102, a0, 0, la a1, 3f; la a2, 2f; c.jalr a1; 2: j fail; 3: sub a0, ra, a2)
    TEST_CASE(103, a0, 0, la ra, 3f; la a2, 2f; c.jalr ra; 2: j fail; 3: sub a0, ra, a2) /* rs1 == ra */
    TEST_CASE(104, a0, 0, la t0, 3f + 1; la a2, 2f; c.jalr t0; 2: j fail; 3: sub a0, ra, a2) /* bit 0 cleared */
    TEST_CASE(105, a0, 27, li a0, 20; la t1, add7_c; c.jalr t1; nop)
    TEST_CASE(106, a0, 0, la ra, 1f; c.jr ra; j fail; 1: la a1, 1b; sub a0, ra, a1)   /* c.jr does not link */

    /* ---- c.beqz / c.bnez: compare all 64 bits with zero ----------------------------------- */
    TEST_CASE(107, a0, 1, li a0, 0; c.beqz a0, 1f; j fail; 1: li a0, 1)
    TEST_CASE(108, a0, 1, li a0, 0x100000000; c.beqz a0, 2f; li a0, 1; c.j 3f; 2: j fail; 3: c.nop)
    TEST_CASE(109, a0, 1, li a0, 0x8000000000000000; c.beqz a0, 2f; li a0, 1; c.j 3f; 2: j fail; 3: c.nop)
    TEST_CASE(110, a0, 1, li a0, 0x100000000; c.bnez a0, 1f; j fail; 1: li a0, 1)
    TEST_CASE(111, a0, 1, li a0, -1; c.bnez a0, 1f; j fail; 1: li a0, 1)
    TEST_CASE(112, a0, 1, li a0, 0; c.bnez a0, 2f; li a0, 1; c.j 3f; 2: j fail; 3: c.nop)
test_113:
    li TESTNUM, 113
    li s0, 0
    .hword 0xcc7d               /* c.beqz s0, 2f: +254 */
1:  c.j 3f
    .fill 125, 2, C_ILLEGAL
2:  .hword 0xd011               /* c.beqz s0, 1b: -252 */
    j fail
3:
test_114:
    li TESTNUM, 114
    li a5, 7
    W32(bnez a5, 2f)
1:  c.j 3f
    .fill 127, 2, C_ILLEGAL
2:  .hword 0xf381               /* c.bnez a5, 1b: -256 */
    j fail
3:
test_115:
    li TESTNUM, 115
    li a5, 7
    .hword 0xeffd               /* c.bnez a5, 1f: +254 */
    .fill 126, 2, C_ILLEGAL
1:

    /* ---- c.nop and HINT encodings: execute as no-ops, change nothing ---------------------- */
    TEST_CASE(116, a0, 5, li a0, 5; c.nop)
    TEST_CASE(117, a0, 5, li a0, 5; .hword 0x0015)          /* c.nop 5 (addi x0, x0, 5) */
    TEST_CASE(118, a0, 5, li a0, 5; .hword 0x0501)          /* c.addi a0, 0 */
    TEST_CASE(119, x0, 0, .hword 0x4015)                    /* c.li x0, 5 */
    TEST_CASE(120, x0, 0, .hword 0x6005)                    /* c.lui x0, 1 */
    TEST_CASE(121, x0, 0, li a0, 5; .hword 0x802a)          /* c.mv x0, a0 */
    TEST_CASE(122, x0, 0, li a0, 5; .hword 0x902a)          /* c.add x0, a0 */
    TEST_CASE(123, a0, 5, li a0, 5; .hword 0x0006)          /* c.slli x0, 1 */

    /* ---- mixing 16- and 32-bit instructions; 32-bit ones straddling a 4-byte boundary ---- */
    /* after `.balign 4; c.nop` the next 32-bit instruction starts at 4n+2 and crosses a 4-byte
     * boundary (W32 forces the 32-bit encoding) */
    TEST_CASE(124, a0, 0x1203b, .balign 4; c.li a0, 1; W32(addi a0, a0, 5); c.slli a0, 1; W32(lui a1, 0x12); W32(add a0, a0, a1); c.addi a0, 31; c.addi a0, 16)
    TEST_CASE(125, a0, 0, la a2, 1f; .balign 4; c.nop; 1: auipc a1, 0; sub a0, a1, a2)
    /* jal at 4n+2: link = its address + 4, not + 2 */
    TEST_CASE(126, a0, 0, la a2, 2f; .balign 4; c.nop; W32(jal a1, 3f); 2: j fail; 3: sub a0, a1, a2)
    /* jalr at 4n+2 jumping to a target at 4n+2 */
    TEST_CASE(127, a0, 0, la a1, 3f; la a2, 2f; .balign 4; c.nop; W32(jalr a3, 0(a1)); 2: j fail; .balign 4; c.nop; 3: sub a0, a3, a2)
    /* branch at 4n+2 to a target at 4n+2 */
    TEST_CASE(128, a0, 2, li a0, 0; li a1, 1; .balign 4; c.nop; W32(bne a1, zero, 1f); li a0, 9; .balign 4; c.nop; 1: W32(addi a0, a0, 2))
    /* 32-bit store and load at 4n+2 */
    TEST_CASE(129, a0, 0x1234, la a1, c_area; li a2, 0x1234; .balign 4; c.nop; W32(sd a2, 32(a1)); W32(ld a0, 32(a1)))
    /* a run of alternating sizes: every 32-bit one misaligned to 4 */
    TEST_CASE(140, a0, 0x67, .balign 4; c.li a0, 1; W32(addi a0, a0, 2); c.addi a0, 4; W32(ori a0, a0, 8); c.slli a0, 1; W32(xori a0, a0, 0x41); c.addi a0, 0x8; W32(addiw a0, a0, 0x0))

    /* ---- a 32-bit instruction straddling a page boundary: reached by falling through and by a
     *      jump straight to it (the second page holds its upper half) ------------------------ */
    TEST_CASE(130, a0, 8, li a0, 1; la a1, page_cross_insn; li a2, 4094; li a4, 4095; and a3, a1, a4; bne a3, a2, fail; j page_cross_entry; page_cross_back: c.nop)
    TEST_CASE(131, a0, 0x47, li a0, 0x40; jal ra, page_cross_insn)

    /* ---- the last parcels of a page: a 32-bit instruction ending at the page's end and a
     *      16-bit one in its last parcel, reached by falling through (into the next page after
     *      each) and by a jump within the page ------------------------------------------------ */
    TEST_CASE(141, a0, 0, la a1, last_word_insn; li a4, 4095; and a3, a1, a4; li a2, 4092; sub a0, a3, a2; la a1, last_parcel_insn; and a3, a1, a4; li a2, 4094; sub a3, a3, a2; or a0, a0, a3)
    TEST_CASE(142, a0, 7, li a0, 1; j last_parcel_entry; last_parcel_back: c.nop)
    TEST_CASE(143, a0, 0x4c, li a0, 0x40; jal ra, last_parcel_branch)

    /* ---- RV64DC: c.fld / c.fsd / c.fldsp / c.fsdsp (raw 64-bit moves, mstatus.FS on) ------ */
    .option push
    .option arch, +d
    TEST_CASE(132, a0, 1, li a0, 0x2000; csrs mstatus, a0; csrr a1, mstatus; srli a1, a1, 13; andi a1, a1, 3; snez a0, a1) /* FS on */
    TEST_CASE(133, a0, 0x0123456789abcdef, la a1, c_data; c.fld fa0, 0(a1); fmv.x.d a0, fa0)
    TEST_CASE(134, a0, 0x7ff8000000000001, la a1, c_area; li a2, 0x7ff8000000000001; sd a2, 248(a1); c.fld fs1, 248(a1); fmv.x.d a0, fs1) /* NaN payload kept */
    TEST_CASE(135, a0, 0xfff0000000000000, la a1, c_area; li a2, 0xfff0000000000000; fmv.d.x fa5, a2; c.fsd fa5, 248(a1); ld a0, 248(a1))
    TEST_CASE(136, a0, 0x8000000000000001, la a1, c_area; li a2, 0x8000000000000001; sd a2, 504(a1); WITH_SP_AT_C_AREA(c.fldsp ft3, 504(sp)); fmv.x.d a0, ft3)
    TEST_CASE(137, a0, 0x3ff0000000000000, la a1, c_area; li a2, 0x3ff0000000000000; fmv.d.x f31, a2; WITH_SP_AT_C_AREA(c.fsdsp f31, 504(sp)); ld a0, 504(a1))
    TEST_CASE(138, a0, 0xfedcba9876543210, WITH_SP_AT_C_DATA(c.fldsp f0, 8(sp)); fmv.x.d a0, f0)
    .option pop

    j pass

    /* the page-crossing code: `addi a0, a0, 2` at page offset 4094, then `c.addi a0, 5`; returns to
     * page_cross_back, or through ra when a0 has bit 6 set */
    .balign 4096
page_cross_entry:
    .fill 2047, 2, 0x0001                   /* c.nop: falls through to the crossing instruction */
page_cross_insn:
    .option push
    .option norvc
    addi a0, a0, 2
    .option pop
    c.addi a0, 5
    andi a3, a0, 0x40
    bnez a3, 1f
    j page_cross_back
1:  c.jr ra

    /* last_parcel_entry: c.nops up to `addi a0, a0, 2` at page offset 4092; on the next page a
     * jump over an entry point, c.nops up to `c.addi a0, 4` at offset 4094; then the third page
     * returns to last_parcel_back, or through ra when a0 has bit 6 set. last_parcel_branch adds 8
     * and jumps (within its page) straight to the last parcel. */
    .balign 4096
last_parcel_entry:
    .fill 2046, 2, 0x0001
last_word_insn:
    .option push
    .option norvc
    addi a0, a0, 2
    .option pop
    c.j 1f
last_parcel_branch:
    c.addi a0, 8
    .option push
    .option norvc
    j last_parcel_insn
    .option pop
1:  .fill 2043, 2, 0x0001
last_parcel_insn:
    c.addi a0, 4
    andi a3, a0, 0x40
    bnez a3, 1f
    j last_parcel_back
1:  c.jr ra

    .balign 4
add7_c:
    c.addi a0, 7
    c.jr ra

TEST_END

    .data
    .balign 16
c_data:
    .dword 0x0123456789abcdef
    .dword 0xfedcba9876543210
    .balign 16
c_area:
    .fill 64, 8, 0
