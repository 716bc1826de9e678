/* Common frame for emu's ISA test programs (our own, in the style of riscv-tests).
 *
 * A program includes this file, then writes:
 *
 *     TEST_BEGIN
 *       TEST_CASE(2, a0, 42, li a1, 40; addi a0, a1, 2)
 *       ...
 *     TEST_END
 *
 * The program starts in M-mode. `gp` holds the number of the running case. On success it writes 1
 * to `tohost` (exit status 0); on failure it writes (case << 1) | 1, so the emulator's exit status is
 * the number of the first failing case. An unexpected trap fails with case number 1000 + mcause
 * (exception) or 2000 + code (interrupt). Scratch registers the macros clobber: t5, t6.
 */

#ifndef EMU_TEST_H
#define EMU_TEST_H

#define TESTNUM gp

#define TEST_BEGIN                                  \
    .section .text.init, "ax", @progbits;           \
    .globl _start;                                  \
_start:                                             \
    la t0, unexpected_trap;                         \
    csrw mtvec, t0;                                 \
    la sp, _stack_top;                              \
    li TESTNUM, 0;                                  \
    j test_body;                                    \
    .align 2;                                       \
unexpected_trap:                                    \
    csrr t5, mcause;                                \
    bltz t5, 1f;                                    \
    li TESTNUM, 1000;                               \
    add TESTNUM, TESTNUM, t5;                       \
    j fail;                                         \
1:  slli t5, t5, 1;                                 \
    srli t5, t5, 1;                                 \
    li TESTNUM, 2000;                               \
    add TESTNUM, TESTNUM, t5;                       \
    j fail;                                         \
    .text;                                          \
test_body:

#define TEST_END                                    \
pass:                                               \
    li t5, 1;                                       \
    j write_tohost;                                 \
fail:                                               \
    slli t5, TESTNUM, 1;                            \
    ori t5, t5, 1;                                  \
write_tohost:                                       \
    fence;                                          \
    la t6, tohost;                                  \
    sd t5, 0(t6);                                   \
    j write_tohost;                                 \
    .section .tohost, "aw", @progbits;              \
    .align 6;                                       \
    .globl tohost;                                  \
tohost: .dword 0;                                   \
    .size tohost, 8;                                \
    .align 6;                                       \
    .globl fromhost;                                \
fromhost: .dword 0;                                 \
    .size fromhost, 8;                              \
    .text

/* Run `code`, then check that register `testreg` holds `correctval`. */
#define TEST_CASE(num, testreg, correctval, code...) \
test_##num:                                          \
    li TESTNUM, num;                                 \
    code;                                            \
    li t6, correctval;                               \
    bne testreg, t6, fail

/* Register-register op: rd = inst(val1, val2). */
#define TEST_RR(num, inst, result, val1, val2)       \
    TEST_CASE(num, a0, result, li a1, val1; li a2, val2; inst a0, a1, a2)

/* Register-immediate op: rd = inst(val1, imm). */
#define TEST_RI(num, inst, result, val1, imm)        \
    TEST_CASE(num, a0, result, li a1, val1; inst a0, a1, imm)

/* One-source op: rd = inst(val1). */
#define TEST_R(num, inst, result, val1)              \
    TEST_CASE(num, a0, result, li a1, val1; inst a0, a1)

#endif

/* ---------------------------------------------------------------------------------------------------
 * Additions for the unprivileged suite (rv64i_*, rv64m, rv64a, rv64c, zb*, misaligned).
 *
 * Keep case numbers in 2..207. A process exit status is only 8 bits: QEMU exits with the code mod
 * 256 (case 256 would read as "pass"), where the frame's unexpected-trap codes land on 232..247
 * (1000 + mcause) and 208..223 (2000 + interrupt code); emu caps the status at 255 and prints the
 * full code on stderr.
 * ------------------------------------------------------------------------------------------------ */
#ifndef EMU_TEST_H_UNPRIV
#define EMU_TEST_H_UNPRIV

/* Register-register op with the destination equal to a source (or both sources equal). */
#define TEST_RR_SRC1_EQ_DEST(num, inst, result, val1, val2) \
    TEST_CASE(num, a1, result, li a1, val1; li a2, val2; inst a1, a1, a2)
#define TEST_RR_SRC2_EQ_DEST(num, inst, result, val1, val2) \
    TEST_CASE(num, a2, result, li a1, val1; li a2, val2; inst a2, a1, a2)
#define TEST_RR_SRC12_EQ_DEST(num, inst, result, val1) \
    TEST_CASE(num, a1, result, li a1, val1; inst a1, a1, a1)
#define TEST_RI_SRC1_EQ_DEST(num, inst, result, val1, imm) \
    TEST_CASE(num, a1, result, li a1, val1; inst a1, a1, imm)
#define TEST_R_SRC1_EQ_DEST(num, inst, result, val1) \
    TEST_CASE(num, a1, result, li a1, val1; inst a1, a1)

/* Writes to x0 are discarded (x0 still reads 0 afterwards). */
#define TEST_RR_ZERODEST(num, inst, val1, val2) \
    TEST_CASE(num, x0, 0, li a1, val1; li a2, val2; inst x0, a1, a2)
#define TEST_RI_ZERODEST(num, inst, val1, imm) \
    TEST_CASE(num, x0, 0, li a1, val1; inst x0, a1, imm)

/* Load from `offset(base)`, where `base` is a label (e.g. in .data). */
#define TEST_LD(num, inst, result, offset, base) \
    TEST_CASE(num, a0, result, la a1, base; inst a0, offset(a1))

/* Branch on (val1, val2) that must be taken, both forwards and backwards. */
#define TEST_BR2_TAKEN(num, inst, val1, val2)        \
test_##num:                                          \
    li TESTNUM, num;                                 \
    li a1, val1;                                     \
    li a2, val2;                                     \
    inst a1, a2, 2f;                                 \
    j fail;                                          \
1:  j 3f;                                            \
2:  inst a1, a2, 1b;                                 \
    j fail;                                          \
3:

/* Branch on (val1, val2) that must not be taken, both forwards and backwards. */
#define TEST_BR2_NOTTAKEN(num, inst, val1, val2)     \
test_##num:                                          \
    li TESTNUM, num;                                 \
    li a1, val1;                                     \
    li a2, val2;                                     \
    inst a1, a2, 1f;                                 \
    j 2f;                                            \
1:  j fail;                                          \
2:  inst a1, a2, 1b;                                 \
3:

#endif
