/* Part of the paging-mode programs (vm_paging.h): U-mode cases 30-35, M-mode and Bare cases 40-41. */
    /* ============================================================================================
     * 3. U-mode through the U tree (the same identity leaf, with U=1)
     * ========================================================================================== */
    li TESTNUM, 30
    SATP_ON(a1, VM_SATP_MODE, s1)
    csrr a0, satp
    EXPECT_EQ(a0, a1)

    /* U code runs (fetch through a U=1 gigapage) and loads through it */
    li TESTNUM, 31
    li a0, 0
    ENTER_U
    la a1, data_a
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, A0)

    /* U loads and stores through a U=1 4 KiB alias */
    li TESTNUM, 32
    li a2, 0x1020304050607080
    ENTER_U
    li a1, VA_HI
    sd a2, 48(a1)
    ld a0, 8(a1)
    BACK_TO_M
    EXPECT(a0, A1)
    la a1, data_a
    ld a0, 48(a1)
    EXPECT_EQ(a0, a2)

    /* U fetch through an execute-only U=1 alias */
    li TESTNUM, 33
    ENTER_U
    li a3, VA_CODE
    jalr a3
    BACK_TO_M
    EXPECT(a0, MAGIC)
    EXPECT(a1, VA_CODE)

    /* U load through a read-only U=1 alias of the last page */
    li TESTNUM, 34
    ENTER_U
    li a1, -8
    ld a0, 0(a1)
    BACK_TO_M
    la a1, data_b
    li t0, 0xff8
    add a1, a1, t0
    ld a1, 0(a1)
    EXPECT_EQ(a0, a1)

    /* the same VA maps differently in the two trees: switching satp switches address spaces */
    li TESTNUM, 35
    ENTER_U
    li a1, VA_SW
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, B0)
    SATP_ON(s2, VM_SATP_MODE, s0)
    ENTER_S
    li a1, VA_SW
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, A0)

    /* ============================================================================================
     * 4. M-mode and Bare
     * ========================================================================================== */

    /* M-mode accesses are not translated whatever satp holds (MPRV = 0): VA_HI is not RAM, so only
     * the physical address can work */
    li TESTNUM, 40
    csrr a0, satp
    EXPECT_EQ(a0, s2)                     /* the S tree is on */
    la a1, data_a
    ld a0, 0(a1)
    EXPECT(a0, A0)

    /* satp.MODE = Bare: S-mode addresses are physical */
    li TESTNUM, 41
    csrw satp, zero
    sfence.vma
    ENTER_S
    la a1, data_b
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, B0)
