# A finite bare-metal loop for guest MIPS on emu and on QEMU (bench.py's `bare-mips` and `sv39-mips`).
#
# M-mode sets up PMP (and with -DSV39 an Sv39 identity map: one 1 GiB leaf over 0x8000_0000..), then
# drops to S-mode, which runs the loop ITERS times and reports through HTIF (the `tohost` word, as
# tests/isa/test.h does): the emulator exits with code = a 7-bit digest of the loop's result.
# Without -DSV39, S-mode runs with satp = Bare. The loop is the same in both builds, so the ratio of
# the two rows is the cost of address translation (instruction fetch, loads and stores).
#
# Loop body, 15 instructions: 2 loads, 2 stores, 10 integer ALU ops, 1 taken branch. Each iteration
# touches another of 16 pages (a 64 KiB buffer), so the accesses go through the TLB of each page.
#
# Retired instructions (`emu --stats` agrees; keep bench.py's MIPS_PROLOGUE/MIPS_BODY/MIPS_EPILOGUE
# in step with this file):
#   M-mode prologue:  14 (Bare) or 25 (Sv39), the mret included
#   S-mode set-up:    5
#   loop:             15 per iteration (ITERS >= 1)
#   exit:             12, up to and including the store to tohost
# so ITERS iterations retire 31 + 15 * ITERS (Bare) or 42 + 15 * ITERS (Sv39) instructions.
# An unexpected trap exits with code 200 + (mcause & 0x3f).
#
# Build: riscv64-unknown-elf-gcc -march=rv64imac_zicsr_zifencei -mabi=lp64 -nostdlib -nostartfiles
#        -static -Wl,--no-warn-rwx-segments -T roms/bench/link.ld [-DSV39] -DITERS=N mips.S -o mips.elf
# Run:   emu mips.elf
#        qemu-system-riscv64 -M spike -nographic -bios none -kernel mips.elf
#ifndef ITERS
#define ITERS 10000000
#endif

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    la t0, trap                 # 2 (auipc, addi)
    csrw mtvec, t0
    # Let S-mode reach all memory (PMP entry 0: NAPOT over everything, RWX), as firmware does.
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0            # 7 so far
#ifdef SV39
    # Root table: entry 2 maps VA 0x8000_0000.. to PA 0x8000_0000 as a 1 GiB RWX leaf, A and D set.
    la t0, root                 # 2
    li t1, 0x200000cf           # 2 (lui, addiw): PPN 0x80000 << 10 | D A X W R V
    sd t1, 16(t0)
    srli t0, t0, 12
    li t1, 8
    slli t1, t1, 60             # MODE = Sv39
    or t0, t0, t1
    csrw satp, t0
    sfence.vma                  # 11 instructions in this block
#endif
    la t0, s_mode               # 2
    csrw mepc, t0
    li t0, 1 << 11              # 2 (lui, addiw): MPP = S
    csrw mstatus, t0
    mret

    .text
s_mode:
    la s1, buffer               # 2
    ld s0, iters                # 2 (auipc, ld)
    li a2, 0                    # 1: 5 instructions of set-up
loop:
    andi t0, s0, 15             # page number
    slli t0, t0, 12
    add a3, s1, t0
    ld a4, 0(a3)
    ld a5, 8(a3)
    add a2, a2, a4
    xor a2, a2, a5
    slli t1, a2, 7
    srli t2, a2, 3
    add a2, a2, t1
    xor a2, a2, t2
    sd a2, 0(a3)
    sd s0, 8(a3)
    addi s0, s0, -1
    bnez s0, loop
    # Exit code: a 7-bit digest of a2 (xor-folded), written as (code << 1) | 1.
    srli t0, a2, 32
    xor a2, a2, t0
    srli t0, a2, 16
    xor a2, a2, t0
    srli t0, a2, 8
    xor a2, a2, t0
    andi a2, a2, 0x7f
    slli a2, a2, 1
    ori a2, a2, 1
    j write_tohost

    .align 2
trap:                           # M-mode: an unexpected trap exits with 200 + (mcause & 0x3f)
    csrr a2, mcause
    andi a2, a2, 0x3f
    addi a2, a2, 200
    slli a2, a2, 1
    ori a2, a2, 1
write_tohost:
    sd a2, tohost, t6           # 2 (auipc, sd)
1:  j 1b

    .section .tohost, "aw", @progbits
    .align 6
    .globl tohost
tohost: .dword 0
    .size tohost, 8
    .align 6
    .globl fromhost
fromhost: .dword 0
    .size fromhost, 8

    .data
    .align 3
iters:
    .dword ITERS
    .align 12
buffer:
    .zero 16 * 4096
#ifdef SV39
root:
    .zero 4096
#endif
