# Straight-line integer code of one kind, for measuring what a guest instruction costs in emu's page
# loop when the host predicts every branch: 63 instructions and a jump back, endlessly. Build one
# variant with -DKIND=n and run it with `emu --max-instructions N` (see README.md, "What is left"):
#   1  dependent:   addi a0, a0, 1           (each needs the one before; fused in pairs)
#   2  independent: addi a1..a7, a0, 1       (no instruction needs another; fused in pairs)
#   3  alternating: add / xor / sub          (no pair is fused: one handler per instruction)
#   4  repeated:    sub a1, a0, a0           (no pair is fused; the same handler every time)
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    li a0, 0
1:
#if KIND == 1
    .rept 63
    addi a0, a0, 1
    .endr
#elif KIND == 2
    .rept 9
    addi a1, a0, 1
    addi a2, a0, 1
    addi a3, a0, 1
    addi a4, a0, 1
    addi a5, a0, 1
    addi a6, a0, 1
    addi a7, a0, 1
    .endr
#elif KIND == 3
    .rept 21
    add a1, a0, a0
    xor a2, a0, a0
    sub a3, a0, a0
    .endr
#elif KIND == 4
    .rept 63
    sub a1, a0, a0
    .endr
#else
#error "KIND must be 1, 2, 3 or 4"
#endif
    j 1b
