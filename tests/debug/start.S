/* Start-up of the debugger tests' bare-metal program (prog.c): M-mode, FP on, a stack, known
 * values in a few registers for the debugger to read, then main; main's return value goes to the
 * host through HTIF tohost (0 is success). */
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    li t0, 0x6000               /* mstatus.FS = Dirty: FP instructions allowed */
    csrs mstatus, t0
    la sp, _stack_top
    li t0, 0x4004000000000000   /* fa0 = 2.5 */
    fmv.d.x fa0, t0
    li t0, 0x1234               /* mscratch, for the CSR checks */
    csrw mscratch, t0
    call main
    slli a0, a0, 1
    ori a0, a0, 1
1:  la t0, tohost
    sd a0, 0(t0)
    j 1b

    .section .tohost, "aw", @progbits
    .align 6
    .globl tohost
tohost: .dword 0
    .align 6
    .globl fromhost
fromhost: .dword 0
