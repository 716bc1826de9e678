# Load throughput through the software TLB: S-mode code loads from 16 pages in a loop.
# Built twice: with -DSV39 the program runs under an Sv39 identity map (one 1 GiB leaf),
# without it S-mode runs in Bare mode. Run with `emu --max-instructions N tlb.elf`.
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    # Let S-mode reach all memory (PMP entry 0: NAPOT over everything, RWX), as firmware does.
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0
#ifdef SV39
    # Root table: entry 2 maps VA 0x8000_0000.. to PA 0x8000_0000 as a 1 GiB RWX leaf, A and D set.
    la t0, root
    li t1, (0x80000000 >> 12) << 10 | 0xcf
    sd t1, 16(t0)
    srli t0, t0, 12
    li t1, 8 << 60
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
#endif
    la t0, s_mode
    csrw mepc, t0
    li t0, 1 << 11          # MPP = S
    csrw mstatus, t0
    mret
s_mode:
    la a0, buffer
    li a2, 0
1:  li a1, 16
    mv a3, a0
2:  ld a4, 0(a3)
    ld a5, 8(a3)
    ld a6, 16(a3)
    ld a7, 24(a3)
    add a2, a2, a4
    li t0, 4096
    add a3, a3, t0
    addi a1, a1, -1
    bnez a1, 2b
    j 1b

    .data
    .align 12
root:
    .zero 4096
buffer:
    .zero 16 * 4096
