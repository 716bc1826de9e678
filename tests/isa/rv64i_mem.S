/* RV64I loads, stores and fences: lb/lh/lw/ld/lbu/lhu/lwu with sign/zero extension, positive,
 * negative and extreme (-2048/2047) offsets, rd == base; sb/sh/sw/sd of each width touching only their
 * own bytes; x0 as load destination; fence variants; fence.i after rewriting already-executed code (also on a page of its own, left and re-entered).
 *
 * Assembled without compressed instructions (.option norvc): only 32-bit encodings are exercised.
 */
#include "test.h"

    .option norvc

/* Store `val` with `st_inst` at byte `k` of the doubleword `st_area + 8`, addressing it as
 * `off(base)` with base = st_area + 8 + base_off (base_off + off = k). The whole area is first filled
 * with 0xa5 bytes; the target doubleword must read back as `result`, and the doublewords before and
 * after it must be untouched. The source register must be unchanged too. */
#define TEST_ST(num, st_inst, result, val, base_off, off)     \
    TEST_CASE(num, a0, result,                                \
        la a1, st_area + 8;                                   \
        li a2, 0xa5a5a5a5a5a5a5a5;                            \
        sd a2, -8(a1); sd a2, 0(a1); sd a2, 8(a1);            \
        li a4, base_off; add a4, a4, a1;                      \
        li a2, val;                                           \
        st_inst a2, off(a4);                                  \
        ld a0, 0(a1));                                        \
    li t6, 0xa5a5a5a5a5a5a5a5;                                \
    ld a3, -8(a1); bne a3, t6, fail;                          \
    ld a3, 8(a1); bne a3, t6, fail;                           \
    li t6, val; bne a2, t6, fail

TEST_BEGIN

    /* ---- lb: sign-extends bit 7 ----------------------------------------------------------- */
    TEST_LD(2, lb, 0xffffffffffffffff, 0, tdat)
    TEST_LD(3, lb, 0x0000000000000001, 1, tdat)
    TEST_LD(4, lb, 0x000000000000007f, 2, tdat)
    TEST_LD(5, lb, 0xffffffffffffff80, 3, tdat)
    TEST_LD(6, lb, 0x000000000000000f, 4, tdat)
    TEST_LD(7, lb, 0xfffffffffffffff0, 7, tdat)
    TEST_LD(8, lb, 0xfffffffffffffff0, -1, tdat + 8)     /* negative offset */
    TEST_LD(9, lb, 0xffffffffffffff80, -13, tdat + 16)
    TEST_LD(10, lb, 0x0000000000000000, 0, tdat + 16)

    /* ---- lbu: zero-extends ---------------------------------------------------------------- */
    TEST_LD(11, lbu, 0x00000000000000ff, 0, tdat)
    TEST_LD(12, lbu, 0x0000000000000001, 1, tdat)
    TEST_LD(13, lbu, 0x000000000000007f, 2, tdat)
    TEST_LD(14, lbu, 0x0000000000000080, 3, tdat)
    TEST_LD(15, lbu, 0x00000000000000f0, -1, tdat + 8)
    TEST_LD(16, lbu, 0x00000000000000ef, 8, tdat)
    TEST_LD(17, lbu, 0x0000000000000080, 23, tdat)

    /* ---- lh: sign-extends bit 15 ---------------------------------------------------------- */
    TEST_LD(18, lh, 0x00000000000001ff, 0, tdat)
    TEST_LD(19, lh, 0xffffffffffff807f, 2, tdat)
    TEST_LD(20, lh, 0xfffffffffffff00f, 4, tdat)
    TEST_LD(21, lh, 0xfffffffffffff00f, 6, tdat)
    TEST_LD(22, lh, 0xffffffffffffcdef, 8, tdat)
    TEST_LD(23, lh, 0x0000000000000123, 14, tdat)
    TEST_LD(24, lh, 0xffffffffffff8000, -2, tdat + 24)
    TEST_LD(25, lh, 0x0000000000007fff, -2, tdat + 32)

    /* ---- lhu: zero-extends ---------------------------------------------------------------- */
    TEST_LD(26, lhu, 0x00000000000001ff, 0, tdat)
    TEST_LD(27, lhu, 0x000000000000807f, 2, tdat)
    TEST_LD(28, lhu, 0x000000000000f00f, -2, tdat + 8)
    TEST_LD(29, lhu, 0x000000000000cdef, 8, tdat)
    TEST_LD(30, lhu, 0x0000000000008000, 22, tdat)
    TEST_LD(31, lhu, 0x000000000000ffff, 24, tdat)

    /* ---- lw: sign-extends bit 31 ---------------------------------------------------------- */
    TEST_LD(32, lw, 0xffffffff807f01ff, 0, tdat)
    TEST_LD(33, lw, 0xfffffffff00ff00f, 4, tdat)
    TEST_LD(34, lw, 0xffffffff89abcdef, 8, tdat)
    TEST_LD(35, lw, 0x0000000001234567, 12, tdat)
    TEST_LD(36, lw, 0x0000000000000000, 16, tdat)
    TEST_LD(37, lw, 0xffffffff80000000, -12, tdat + 32)
    TEST_LD(38, lw, 0x000000007fffffff, -4, tdat + 32)
    TEST_LD(39, lw, 0xffffffffffffffff, -8, tdat + 32)

    /* ---- lwu: zero-extends ---------------------------------------------------------------- */
    TEST_LD(40, lwu, 0x00000000807f01ff, 0, tdat)
    TEST_LD(41, lwu, 0x00000000f00ff00f, 4, tdat)
    TEST_LD(42, lwu, 0x0000000089abcdef, 8, tdat)
    TEST_LD(43, lwu, 0x0000000001234567, 12, tdat)
    TEST_LD(44, lwu, 0x0000000080000000, -12, tdat + 32)
    TEST_LD(45, lwu, 0x00000000ffffffff, 24, tdat)

    /* ---- ld ------------------------------------------------------------------------------- */
    TEST_LD(46, ld, 0xf00ff00f807f01ff, 0, tdat)
    TEST_LD(47, ld, 0x0123456789abcdef, 8, tdat)
    TEST_LD(48, ld, 0x8000000000000000, 16, tdat)
    TEST_LD(49, ld, 0x7fffffffffffffff, 24, tdat)
    TEST_LD(50, ld, 0x0123456789abcdef, -8, tdat + 16)
    TEST_LD(51, ld, 0xf00ff00f807f01ff, -32, tdat + 32)

    /* ---- extreme offsets: -2048 and +2047; aligned effective address from unaligned base ---- */
    TEST_LD(52, ld, 0xf00ff00f807f01ff, -2048, tdat + 2048)
    TEST_LD(53, lb, 0xffffffffffffff80, 2047, tdat + 3 - 2047)
    TEST_LD(54, lbu, 0x0000000000000080, 2047, tdat + 3 - 2047)
    TEST_LD(55, lw, 0x0000000001234567, 2047, tdat + 12 - 2047)
    TEST_LD(56, ld, 0x0123456789abcdef, 7, tdat + 1)         /* base odd, address aligned */
    TEST_LD(57, lhu, 0x000000000000807f, -1, tdat + 3)
    TEST_LD(58, ld, 0x8000000000000000, -2047, tdat + 16 + 2047)

    /* ---- rd == base register, x0 destination ---------------------------------------------- */
    TEST_CASE(59, a1, 0x0123456789abcdef, la a1, tdat; ld a1, 8(a1))
    TEST_CASE(60, a1, 0xffffffffffffff80, la a1, tdat; lb a1, 3(a1))
    TEST_CASE(61, a1, 0x00000000f00ff00f, la a1, tdat; lwu a1, 4(a1))
    TEST_CASE(62, x0, 0, la a1, tdat; ld x0, 0(a1))
    TEST_CASE(63, x0, 0, la a1, tdat; lb x0, 0(a1))
    TEST_CASE(64, a0, 0xf00ff00f807f01ff, la a1, tdat; lw x0, 4(a1); ld a0, 0(a1))

    /* ---- sb: one byte at each position; only the low 8 bits of rs2 ------------------------ */
    TEST_ST(65, sb, 0xa5a5a5a5a5a5a5ef, 0x123456789abcdeef, 0, 0)
    TEST_ST(66, sb, 0xa5a5a5a5a5a5efa5, 0x123456789abcdeef, 0, 1)
    TEST_ST(67, sb, 0xa5a5a5a5a5efa5a5, 0x123456789abcdeef, 0, 2)
    TEST_ST(68, sb, 0xa5a5a5a5efa5a5a5, 0x123456789abcdeef, 0, 3)
    TEST_ST(69, sb, 0xa5a5a5efa5a5a5a5, 0x123456789abcdeef, 0, 4)
    TEST_ST(70, sb, 0xa5a5efa5a5a5a5a5, 0x123456789abcdeef, 0, 5)
    TEST_ST(71, sb, 0xa5efa5a5a5a5a5a5, 0x123456789abcdeef, 0, 6)
    TEST_ST(72, sb, 0xefa5a5a5a5a5a5a5, 0x123456789abcdeef, 0, 7)
    TEST_ST(73, sb, 0xa5a5a5a5a5a5a500, 0xffffffffffffff00, 8, -8)   /* negative offset */
    TEST_ST(74, sb, 0x80a5a5a5a5a5a5a5, 0x0000000000000080, 7 - 2047, 2047)
    TEST_ST(75, sb, 0xa5a5a5a5a5a5a5ff, 0xffffffffffffffff, 2048, -2048)

    /* ---- sh ------------------------------------------------------------------------------- */
    TEST_ST(76, sh, 0xa5a5a5a5a5a5beef, 0x123456789abcbeef, 0, 0)
    TEST_ST(77, sh, 0xa5a5a5a5beefa5a5, 0x123456789abcbeef, 0, 2)
    TEST_ST(78, sh, 0xa5a5beefa5a5a5a5, 0x123456789abcbeef, 0, 4)
    TEST_ST(79, sh, 0xbeefa5a5a5a5a5a5, 0x123456789abcbeef, 0, 6)
    TEST_ST(80, sh, 0xa5a5a5a5a5a50000, 0xffffffffffff0000, 16, -16)
    TEST_ST(81, sh, 0x8000a5a5a5a5a5a5, 0x0000000000008000, 6 - 2047, 2047)
    TEST_ST(82, sh, 0xa5a5a5a5ffffa5a5, 0xffffffffffffffff, 2050, -2048)

    /* ---- sw ------------------------------------------------------------------------------- */
    TEST_ST(83, sw, 0xa5a5a5a5deadbeef, 0x01234567deadbeef, 0, 0)
    TEST_ST(84, sw, 0xdeadbeefa5a5a5a5, 0x01234567deadbeef, 0, 4)
    TEST_ST(85, sw, 0xa5a5a5a580000000, 0xffffffff80000000, 12, -12)
    TEST_ST(86, sw, 0x00000000a5a5a5a5, 0xffffffff00000000, 4 - 2047, 2047)
    TEST_ST(87, sw, 0xa5a5a5a57fffffff, 0x000000007fffffff, 2048, -2048)

    /* ---- sd ------------------------------------------------------------------------------- */
    TEST_ST(88, sd, 0x0123456789abcdef, 0x0123456789abcdef, 0, 0)
    TEST_ST(89, sd, 0x8000000000000000, 0x8000000000000000, 8, -8)
    TEST_ST(90, sd, 0x0000000000000000, 0x0000000000000000, 2048, -2048)
    TEST_ST(91, sd, 0xffffffffffffffff, 0xffffffffffffffff, -2047, 2047)

    /* ---- store then load back with every load: extension applied on the load ------------- */
    TEST_CASE(92, a0, 0xffffffffffffff9a, la a1, st_area; li a2, 0x9a; sb a2, 0(a1); lb a0, 0(a1))
    TEST_CASE(93, a0, 0x000000000000009a, la a1, st_area; li a2, 0x9a; sb a2, 0(a1); lbu a0, 0(a1))
    TEST_CASE(94, a0, 0xffffffffffff9abc, la a1, st_area; li a2, 0x9abc; sh a2, 2(a1); lh a0, 2(a1))
    TEST_CASE(95, a0, 0x0000000000009abc, la a1, st_area; li a2, 0x9abc; sh a2, 2(a1); lhu a0, 2(a1))
    TEST_CASE(96, a0, 0xffffffff9abcdef0, la a1, st_area; li a2, 0x9abcdef0; sw a2, 4(a1); lw a0, 4(a1))
    TEST_CASE(97, a0, 0x000000009abcdef0, la a1, st_area; li a2, 0x9abcdef0; sw a2, 4(a1); lwu a0, 4(a1))
    /* storing the base register itself */
    TEST_CASE(98, a0, 0, la a1, st_area; sd a1, 8(a1); ld a0, 8(a1); sub a0, a0, a1)
    /* store of x0 writes zeros */
    TEST_CASE(99, a0, 0, la a1, st_area; li a2, -1; sd a2, 0(a1); sd x0, 0(a1); ld a0, 0(a1))
    TEST_CASE(100, a0, 0xffffffff0000ffff, la a1, st_area; li a2, -1; sd a2, 0(a1); sh x0, 2(a1); ld a0, 0(a1))
    /* little-endian layout: sd then byte loads */
    TEST_CASE(101, a0, 0x08, la a1, st_area; li a2, 0x0102030405060708; sd a2, 0(a1); lbu a0, 0(a1))
    TEST_CASE(102, a0, 0x01, la a1, st_area; li a2, 0x0102030405060708; sd a2, 0(a1); lbu a0, 7(a1))
    TEST_CASE(103, a0, 0x0304, la a1, st_area; li a2, 0x0102030405060708; sd a2, 0(a1); lhu a0, 4(a1))
    /* a store is visible to the very next load of an overlapping, different-size location */
    TEST_CASE(104, a0, 0x0102030405ff0708, la a1, st_area; li a2, 0x0102030405060708; sd a2, 0(a1); li a3, -1; sb a3, 2(a1); ld a0, 0(a1))

    /* ---- fence: every ordering form executes as a no-op here ------------------------------ */
    TEST_CASE(105, a0, 42, li a0, 42; fence)
    TEST_CASE(106, a0, 42, li a0, 42; fence rw, rw; fence r, r; fence w, w; fence r, w; fence w, r)
    TEST_CASE(107, a0, 42, li a0, 42; fence iorw, iorw; fence io, io; fence i, o; fence o, i)
    TEST_CASE(108, a0, 42, li a0, 42; fence.tso)
    TEST_CASE(109, a0, 42, li a0, 42; .word 0x0100000f)          /* pause (fence w, 0) */
    TEST_CASE(110, a0, 42, li a0, 42; .word 0x0000000f)          /* fence 0, 0 */
    /* rd and rs1 of FENCE are reserved and must be ignored: fence rw,rw with rd = a0, rs1 = a1 */
    TEST_CASE(111, a0, 42, li a0, 42; li a1, 7; .word 0x0335850f)
    TEST_CASE(112, a0, 42, li a0, 42; fence.i)
    /* ... and likewise imm, rs1, rd of FENCE.I: fence.i with rd = a0, rs1 = a1, imm = 0x123 */
    TEST_CASE(113, a0, 42, li a0, 42; li a1, 7; .word 0x1235950f)
    /* a store before a fence is seen by a load after it */
    TEST_CASE(114, a0, 77, la a1, st_area; li a2, 77; sd a2, 0(a1); fence; ld a0, 0(a1))

    /* ---- fence.i: rewrite code that has already been executed ----------------------------- */
    /* smc_func is `addi a0, zero, 1; ret`; run it, patch its first instruction, fence.i, rerun */
    TEST_CASE(115, a0, 1, call smc_func)
    TEST_CASE(116, a0, 2, la a1, smc_func; li a2, 0x00200513; sw a2, 0(a1); fence.i; call smc_func)
    TEST_CASE(117, a0, 3, la a1, smc_func; li a2, 0x00300513; sw a2, 0(a1); fence.i; call smc_func)
    /* patch an instruction later in the same straight-line run and execute it without a call */
    TEST_CASE(118, a0, 5, la a1, 1f; li a2, 0x00500513; sw a2, 0(a1); fence.i; 1: addi a0, zero, 4)
    /* write a 2-instruction function into data memory, fence.i, call it */
    TEST_CASE(119, a0, 9, la a1, code_buf; li a2, 0x00900513; sw a2, 0(a1); li a2, 0x00008067; sw a2, 4(a1); fence.i; jalr ra, 0(a1))
    TEST_CASE(120, a0, 10, la a1, code_buf; li a2, 0x00a00513; sw a2, 0(a1); fence.i; jalr ra, 0(a1))
    /* ... and with the instruction written by byte stores */
    TEST_CASE(121, a0, 11, la a1, code_buf; li a2, 0x13; sb a2, 0(a1); li a2, 0x05; sb a2, 1(a1); li a2, 0xb0; sb a2, 2(a1); sb zero, 3(a1); fence.i; jalr ra, 0(a1))

    /* a function alone on its own page, run from another page: the hart's recent fetch pages
     * must notice the store when the call comes back to that page */
    TEST_CASE(122, a0, 1, call smc_page)
    TEST_CASE(123, a0, 6, la a1, smc_page; li a2, 0x00600513; sw a2, 0(a1); fence.i; call smc_page)
    TEST_CASE(124, a0, 7, la a1, smc_page; li a2, 0x00700513; sw a2, 0(a1); fence.i; call smc_page; la a1, smc_page; li a2, 0x00800513; sw a2, 0(a1); fence.i; call smc_page; addi a0, a0, -1)

TEST_END

    .balign 4096
smc_page:
    addi a0, zero, 1
    ret
    .balign 4096

    .align 2
smc_func:
    addi a0, zero, 1
    ret

    .data
    .align 4
tdat:
    .dword 0xf00ff00f807f01ff   /* bytes: ff 01 7f 80 0f f0 0f f0 */
    .dword 0x0123456789abcdef   /* bytes: ef cd ab 89 67 45 23 01 */
    .dword 0x8000000000000000
    .dword 0x7fffffffffffffff
    .dword 0

    .align 4
st_area:
    .fill 4, 8, 0

    .align 4
code_buf:
    .fill 4, 4, 0
