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
