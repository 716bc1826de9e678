# A simple bare-metal integer loop for measuring raw interpretation speed:
# `emu --max-instructions N roms/bench/loop.elf` retires N instructions of it.
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    li a0, 0
    li a1, 0
1:  addi a0, a0, 1
    xor a1, a1, a0
    slli a2, a0, 3
    add a1, a1, a2
    andi a3, a1, 0xff
    sub a1, a1, a3
    bnez a0, 1b
    j 1b
