# A bare-metal floating-point loop for measuring F/D throughput:
# `emu --max-instructions N roms/bench/fp.elf` retires N instructions of it, 8 of every 9 of them
# round-to-nearest FP arithmetic (add, sub, mul, div; double and single) with inexact results.
    .section .text.init, "ax", @progbits
    .option arch, +d
    .globl _start
_start:
    li t0, 1 << 13              # mstatus.FS = Initial: the FPU is off at reset
    csrs mstatus, t0
    li t0, 0x3ff199999999999a   # 1.1
    fmv.d.x fa0, t0
    li t0, 0x3fe6666666666666   # 0.7
    fmv.d.x fa1, t0
    li t0, 0x3f8ccccd           # 1.1f
    fmv.w.x fa4, t0
    li t0, 0x3f333333           # 0.7f
    fmv.w.x fa5, t0
1:  fadd.d fa2, fa0, fa1
    fmul.d fa3, fa0, fa1
    fsub.d fa2, fa0, fa1
    fdiv.d fa3, fa0, fa1
    fadd.s fa6, fa4, fa5
    fmul.s fa7, fa4, fa5
    fsub.s fa6, fa4, fa5
    fdiv.s fa7, fa4, fa5
    j 1b
