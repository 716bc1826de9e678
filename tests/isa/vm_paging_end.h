/* Part of the paging-mode programs (vm_paging.h): the end of the test, its helpers and data. */
    csrw satp, zero
    sfence.vma

TEST_END

    /* From M: run in S-mode at the identity addresses of the current tree: a0 = vm_func's result,
     * a2 = data_a[0], a3 = data_b[0] (after a store of it through the tree). Clobbers a0-a5, t0. */
run_identity:
    mv a5, ra
    ENTER_S
    la a1, data_a
    ld a2, 0(a1)
    la a1, data_b
    ld a3, 0(a1)
    sd a3, 16(a1)
    ld a3, 16(a1)
    call vm_func
    BACK_TO_M
    mv ra, a5
    ret

    /* A function to fetch through aliases: a0 = MAGIC, a1 = the pc it runs at. */
    .text
    .balign 4096
code_page:
vm_func:
    auipc a1, 0
    li a0, MAGIC
    ret

    .data
    .balign 4096
data_a:
    .dword A0, A1, A2
    .skip 4096 - 4 * 8
    .dword ALAST
data_b:
    .dword B0
    .skip 4096 - 2 * 8
    .dword BLAST

VM_LIB
