/* Part of the paging-mode programs (vm_paging.h): satp cases 3-5 and the S-mode cases 10-22. */
    /* "if satp is written with an unsupported MODE, the entire write has no effect; no fields in satp
     * are modified": MODE 1..7 (reserved) and 11..15 (reserved / custom), with another PPN */
    li TESTNUM, 3
    li a2, 1
    srli a3, s1, 12
1:  slli a4, a2, 60
    or a4, a4, a3
    csrw satp, a4
    csrr a0, satp
    bne a0, a1, fail
    addi a2, a2, 1
    li t0, 8
    bltu a2, t0, 1b
    li TESTNUM, 4
    li a2, 11
1:  slli a4, a2, 60
    or a4, a4, a3
    csrw satp, a4
    csrr a0, satp
    bne a0, a1, fail
    addi a2, a2, 1
    li t0, 16
    bltu a2, t0, 1b

    /* MODE = Bare with all other fields zero sticks, and the paging mode can be written again after it */
    li TESTNUM, 5
    csrw satp, zero
    csrr a0, satp
    EXPECT(a0, 0)
    SATP_ON(a1, VM_SATP_MODE, s0)
    csrr a0, satp
    EXPECT_EQ(a0, a1)

    /* ============================================================================================
     * 2. S-mode through the S tree. Every case enters S-mode from M and comes back by ECALL; the
     *    code itself is fetched through the identity 1 GiB leaf.
     * ========================================================================================== */

    /* a load through the identity gigapage */
    li TESTNUM, 10
    li a0, 0
    ENTER_S
    la a1, data_a
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, A0)

    /* 1 GiB leaf at another VA: pa.ppn[1:0] = va.vpn[1:0], pa.ppn[2] = pte.ppn[2] (4.3.2 step 8) */
    li TESTNUM, 11
    ENTER_S
    LA_ALIAS(a1, data_a, VA_GIGA)
    ld a0, 8(a1)
    BACK_TO_M
    EXPECT(a0, A1)

    /* 2 MiB leaf */
    li TESTNUM, 12
    ENTER_S
    LA_ALIAS(a1, data_a, VA_MEGA)
    ld a0, 16(a1)
    BACK_TO_M
    EXPECT(a0, A2)

    /* 4 KiB leaf in the upper half (VA sign-extended from bit 38) */
    li TESTNUM, 13
    ENTER_S
    li a1, VA_HI
    ld a0, 0(a1)
    ld a2, 16(a1)
    BACK_TO_M
    EXPECT(a0, A0)
    EXPECT(a2, A2)

    /* a store through the 4 KiB alias is seen through the identity map (in S) and physically (in M) */
    li TESTNUM, 14
    li a2, 0x0123456789abcdef
    ENTER_S
    li a1, VA_HI
    sd a2, 24(a1)
    la a3, data_a
    ld a0, 24(a3)
    EXPECT_EQ(a0, a2)
    BACK_TO_M
    la a3, data_a
    ld a0, 24(a3)
    EXPECT_EQ(a0, a2)

    /* ... and through the gigapage and megapage aliases of the same physical page */
    li TESTNUM, 15
    ENTER_S
    LA_ALIAS(a1, data_a, VA_GIGA)
    ld a0, 24(a1)
    LA_ALIAS(a1, data_a, VA_MEGA)
    ld a3, 24(a1)
    BACK_TO_M
    EXPECT_EQ(a0, a2)
    EXPECT_EQ(a3, a2)

    /* the last page of the address space: VA 0xffff_ffff_ffff_f000 (VPN[2..0] = 511) */
    li TESTNUM, 16
    li a2, 0x7766554433221100
    ENTER_S
    li a1, -8                             /* VA 0xffff_ffff_ffff_fff8 */
    ld a0, 0(a1)
    sd a2, 0(a1)
    BACK_TO_M
    EXPECT(a0, BLAST)
    la a1, data_b
    li t0, 0xff8
    add a1, a1, t0
    ld a0, 0(a1)
    EXPECT_EQ(a0, a2)

    /* the last page of the lower half: VA 0x3f_ffff_f000, a read-only alias of data_a */
    li TESTNUM, 17
    ENTER_S
    li a1, VA_LOTOP + 0xff8
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, ALAST)

    /* byte / halfword / word accesses through an alias: the page offset passes through unchanged */
    li TESTNUM, 18
    ENTER_S
    li a1, VA_HI
    li a2, 0x80
    sb a2, 32(a1)
    li a2, 0x9abc
    sh a2, 34(a1)
    li a2, 0xdef01234
    sw a2, 36(a1)
    lb a3, 32(a1)                         /* sign-extended 0x80 */
    lhu a4, 34(a1)
    lw a5, 36(a1)                         /* sign-extended 0xdef01234 */
    la a1, data_a
    ld a0, 32(a1)
    BACK_TO_M
    EXPECT(a0, 0xdef012349abc0080)
    EXPECT(a3, -128)
    EXPECT(a4, 0x9abc)
    EXPECT(a5, 0xffffffffdef01234)

    /* AMO and LR/SC through an alias (4 KiB leaf) */
    li TESTNUM, 19
    ENTER_S
    li a1, VA_HI + 40
    li a2, 5
    sd a2, 0(a1)
    li a2, 7
    amoadd.d a0, a2, (a1)
    lr.d a3, (a1)
    addi a3, a3, 1
    sc.d a4, a3, (a1)
    la a1, data_a
    ld a5, 40(a1)
    BACK_TO_M
    EXPECT(a0, 5)
    EXPECT(a4, 0)                         /* the SC succeeded */
    EXPECT(a5, 13)

    /* instruction fetch through an execute-only 4 KiB alias: the code sees its virtual pc (auipc) */
    li TESTNUM, 20
    ENTER_S
    li a3, VA_CODE
    jalr a3
    BACK_TO_M
    EXPECT(a0, MAGIC)
    EXPECT(a1, VA_CODE)

    /* instruction fetch through the 2 MiB and 1 GiB aliases */
    li TESTNUM, 21
    ENTER_S
    LA_ALIAS(a3, vm_func, VA_MEGA)
    jalr a3
    mv a4, a1
    LA_ALIAS(a3, vm_func, VA_GIGA)
    jalr a3
    BACK_TO_M
    EXPECT(a0, MAGIC)
    LA_ALIAS(t0, vm_func, VA_MEGA)
    EXPECT_EQ(a4, t0)
    LA_ALIAS(t0, vm_func, VA_GIGA)
    EXPECT_EQ(a1, t0)

    /* whole-program aliasing: S code keeps running after jumping into the gigapage alias of itself,
     * and its pc-relative addresses (la) then point into the alias */
    li TESTNUM, 22
    ENTER_S
    LA_ALIAS(a3, 1f, VA_GIGA)
    jr a3
1:  la a1, data_a                         /* auipc-based: the alias address of data_a */
    ld a0, 0(a1)
    la a3, 2f                             /* back to the identity map before the ECALL */
    li t0, VA_GIGA - 0x80000000
    sub a3, a3, t0
    jr a3
2:  BACK_TO_M
    EXPECT(a0, A0)
    LA_ALIAS(t0, data_a, VA_GIGA)
    EXPECT_EQ(a1, t0)
