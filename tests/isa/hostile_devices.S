/* A hostile guest: garbage to every device register of the virt map, at every size, then proof
 * that the machine still runs and still answers as hardware would.
 *
 * Every word of the reset ROM, test finisher (but never a finisher command), RTC, CLINT, UART and
 * the eight virtio-mmio slots, and the interesting parts of the PLIC (priorities, pending, enables,
 * the contexts, the end of its window), gets 8-, 16-, 32- and 64-bit stores of garbage patterns and
 * loads of every size. An access a device refuses is an access fault, which the handler counts and
 * skips. Then:
 *   9  some accesses faulted (the ROM refuses stores)
 *   2  RAM still reads back what is written
 *   3  a store to the reset ROM is a store access fault (cause 7)
 *   4  a load from unmapped space (0x40000000) is a load access fault (cause 5), mtval the address
 *   5  a jump to unmapped space is an instruction access fault (cause 1), mepc = mtval = target
 *   6  a jump past the end of RAM is an instruction access fault too, and so is a jump into
 *      device registers (62-65: the UART, the CLINT): only memory is executable
 *   7  the UART, set up again, reports its transmitter empty
 *   8  the CLINT's mtime still counts
 * and the program exits through HTIF as usual (the machine did not stop, hang or crash).
 *
 * No interrupt is enabled (mie = 0), so the pending bits the garbage raises are never taken; an
 * unexpected trap fails with 1000 + mcause, an interrupt with 2000 + code.
 */
#include "test.h"

    .option norvc   /* every access is a 4-byte instruction: the handler skips with mepc += 4 */

#define FAULTS s11
#define RETURN s9
#define CAUSE s8
#define TVAL s7
#define EPC s6

/* Hammers [base, base + len) with garbage: stores of every size (skipping 64-bit stores where
 * `wide` is 0, e.g. at the finisher's command word), then loads of every size. */
#define HAMMER(base, len)                    \
    li a0, base;                             \
    li a1, len;                              \
    call hammer

TEST_BEGIN
    la t0, handler
    csrw mtvec, t0
    csrw mie, zero
    li FAULTS, 0

    /* The finisher: every word but the command word at offset 0, then safe values there. */
    HAMMER(0x00100004, 0xffc)
    li t0, 0x00100000
    li t1, 0xdeadbeef
    sw t1, 0(t0)
    sh t1, 0(t0)
    sb t1, 0(t0)
    lw t1, 0(t0)
    HAMMER(0x00001000, 0x1000)      /* reset ROM (stores fault) */
    HAMMER(0x00101000, 0x1000)      /* goldfish RTC */
    HAMMER(0x02000000, 0x10000)     /* CLINT: msip, mtimecmp, mtime */
    HAMMER(0x0c000000, 0x1100)      /* PLIC priorities and pending */
    HAMMER(0x0c002000, 0x200)       /* PLIC enables of contexts 0..3 */
    HAMMER(0x0c200000, 0x3000)      /* PLIC thresholds and claims of contexts 0..2 */
    HAMMER(0x0fffff00, 0x100)       /* the end of the PLIC window */
    HAMMER(0x10000000, 0x1000)      /* UART (stores to THR print garbage) */
    HAMMER(0x10001000, 0x8000)      /* the eight virtio-mmio slots (empty here) */

    /* Refused accesses (ROM stores, at least) were faults, not silently dropped or fatal. */
    TEST_CASE(9, a0, 1, snez a0, FAULTS)

    TEST_CASE(2, a0, 0x0123456789abcdef, la t0, scratch; li t1, 0x0123456789abcdef; sd t1, 0(t0); ld a0, 0(t0))

    /* A store to the ROM faults. */
    TEST_CASE(3, CAUSE, 7, li FAULTS, 0; li t0, 0x1000; sw zero, 0(t0))
    TEST_CASE(31, FAULTS, 1, nop)

    /* A load from nothing faults, with the address in mtval. */
    TEST_CASE(4, CAUSE, 5, li t0, 0x40000000; lw a0, 8(t0))
    TEST_CASE(41, TVAL, 0x40000008, nop)

    /* A jump to nothing: instruction access fault, mepc and mtval the target. */
    TEST_CASE(5, CAUSE, 1, la RETURN, 1f; li t0, 0x40000000; jr t0; 1: nop)
    TEST_CASE(51, TVAL, 0x40000000, nop)
    TEST_CASE(52, EPC, 0x40000000, nop)

    /* A jump past the end of RAM (emu's default 512 MiB: 0x80000000..0xa0000000). */
    TEST_CASE(6, CAUSE, 1, la RETURN, 1f; li t0, 0xa0000000; jr t0; 1: nop)
    TEST_CASE(61, TVAL, 0xa0000000, nop)

    /* A jump into device registers (the UART's, which read as data) is an instruction access
     * fault too: only memory is executable. */
    TEST_CASE(62, CAUSE, 1, la RETURN, 1f; li t0, 0x10000000; jr t0; 1: nop)
    TEST_CASE(63, TVAL, 0x10000000, nop)
    /* ... and so is one into the CLINT (whose registers hold words that decode as instructions). */
    TEST_CASE(64, CAUSE, 1, la RETURN, 1f; li t0, 0x02000000; jr t0; 1: nop)
    TEST_CASE(65, EPC, 0x02000000, nop)

    /* The UART, set up again after the garbage (8N1, FIFOs on and cleared, no loopback), has
     * its transmitter empty. */
    li t0, 0x10000000
    li t1, 0x80
    sb t1, 3(t0)        /* DLAB */
    li t1, 1
    sb t1, 0(t0)        /* divisor 1 */
    sb zero, 1(t0)
    li t1, 3
    sb t1, 3(t0)        /* 8N1, DLAB off */
    sb zero, 1(t0)      /* IER */
    li t1, 7
    sb t1, 2(t0)        /* FCR: enable and clear the FIFOs */
    sb zero, 4(t0)      /* MCR: no loopback */
    TEST_CASE(7, a0, 0x60, li t0, 0x10000000; lbu a0, 5(t0); andi a0, a0, 0x60)

    /* mtime counts. */
    li t0, 0x0200bff8
    ld t1, 0(t0)
    li t2, 20000
1:  addi t2, t2, -1
    bnez t2, 1b
    ld t2, 0(t0)
    TEST_CASE(8, a0, 1, sltu a0, t1, t2)

    j pass

/* hammer(a0 = base, a1 = len): garbage stores of every size at every word, then loads. Uses
 * a0..a5. */
hammer:
    add a1, a0, a1
    la a5, patterns
1:  mv a2, a5
    li a3, 5            /* patterns */
2:  ld a4, 0(a2)
    sb a4, 0(a0)
    sb a4, 3(a0)
    sh a4, 0(a0)
    sh a4, 2(a0)
    sw a4, 0(a0)
    andi a6, a0, 7
    bnez a6, 3f
    sd a4, 0(a0)
3:  addi a2, a2, 8
    addi a3, a3, -1
    bnez a3, 2b
    lb a4, 1(a0)
    lbu a4, 2(a0)
    lh a4, 2(a0)
    lw a4, 0(a0)
    lwu a4, 0(a0)
    andi a6, a0, 7
    bnez a6, 4f
    ld a4, 0(a0)
4:  addi a0, a0, 4
    bltu a0, a1, 1b
    ret

/* Access faults are counted and skipped; a fetch fault returns to RETURN. Anything else fails. */
    .align 2
handler:
    csrr t5, mcause
    bltz t5, 9f
    mv CAUSE, t5
    csrr TVAL, mtval
    csrr EPC, mepc
    li t6, 1
    beq t5, t6, 2f
    li t6, 5
    beq t5, t6, 1f
    li t6, 7
    beq t5, t6, 1f
    li TESTNUM, 1000
    add TESTNUM, TESTNUM, t5
    j fail
1:  addi FAULTS, FAULTS, 1
    csrr t6, mepc
    addi t6, t6, 4
    csrw mepc, t6
    mret
2:  csrw mepc, RETURN
    mret
9:  slli t5, t5, 1
    srli t5, t5, 1
    li TESTNUM, 2000
    add TESTNUM, TESTNUM, t5
    j fail

TEST_END

    .data
    .align 3
patterns:
    .dword 0xdeadbeefcafef00d
    .dword 0xffffffffffffffff
    .dword 0x0123456789abcdef
    .dword 0xa5a5a5a5a5a5a5a5
    .dword 0
scratch:
    .dword 0
