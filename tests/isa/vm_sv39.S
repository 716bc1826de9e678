/* Virtual memory: Sv39 (privileged spec 1.12, 4.4) end to end through the hart.
 *
 * satp (4.1.11): the Sv39 MODE sticks; a write with an unsupported MODE has no effect at all.
 * Translation (4.3.2 with the Sv39 formats of 4.4.1): the program runs in S- and U-mode through an
 * identity 1 GiB leaf; loads, stores, AMOs and fetches go through 1 GiB, 2 MiB and 4 KiB leaves at
 * other virtual addresses that alias its data and code pages, in both halves of the address space;
 * M-mode ignores satp. Faults in detail: vm_faults.S.
 *
 * Frame: priv.h; page tables: vm.h. Two trees, built at run time: s0 = root of the S tree (every page
 * U=0), s1 = root of the U tree (the same identity leaf with U=1, so that U code can run).
 */
#include "vm.h"

#define IDENT     0x0000000080000000   /* 1 GiB leaf, VA = PA (VPN[2] = 2) */
#define VA_GIGA   0x0000002000000000   /* 1 GiB leaf -> PA 0x8000_0000 (VPN[2] = 0x80) */
#define VA_MEGA   0x0000001000200000   /* 2 MiB leaf -> PA 0x8000_0000 (VPN[2] = 0x40, VPN[1] = 1) */
#define VA_HI     0xffffffc012345000   /* 4 KiB leaf -> data_a (upper half: VPN 0x100/0x091/0x145) */
#define VA_CODE   0xffffffc000000000   /* 4 KiB leaf -> code_page, X only (first upper-half page) */
#define VA_TOP    0xfffffffffffff000   /* 4 KiB leaf -> data_b (the very last page) */
#define VA_LOTOP  0x0000003ffffff000   /* 4 KiB leaf -> data_a, R only (last lower-half page) */
#define VA_SW     0x0000000012340000   /* data_a in the S tree, data_b in the U tree */
#define VA_NONCANON 0x0000004000000000 /* bit 38 = 0 but bit 39 = 1: not canonical for Sv39 */

#define A0 0x1111111111111111
#define A1 0x2222222222222222
#define A2 0x3333333333333333
#define ALAST 0x0a0b0c0d0e0f1011
#define B0 0x4444444444444444
#define BLAST 0x5555555555555555
#define MAGIC 0x5a5

/* a1 = address of `label` seen through the alias at `va` of physical 0x8000_0000 */
#define LA_ALIAS(reg, label, va) la reg, label; li t6, (va) - 0x80000000; add reg, reg, t6

PRIV_BEGIN

    /* ---- build the trees ---- */
    VM_INIT(3)
    VM_NEW_ROOT(s0)
    VM_MAP(IDENT, 0x80000000, LEAF_RWX, LVL_1G)
    VM_MAP(VA_GIGA, 0x80000000, LEAF_RWX, LVL_1G)
    VM_MAP(VA_MEGA, 0x80000000, LEAF_RWX, LVL_2M)
    VM_MAP_LA(VA_HI, data_a, LEAF_RW, LVL_4K)
    VM_MAP_LA(VA_CODE, code_page, LEAF_X, LVL_4K)
    VM_MAP_LA(VA_TOP, data_b, LEAF_RW, LVL_4K)
    VM_MAP_LA(VA_LOTOP, data_a, LEAF_R, LVL_4K)
    VM_MAP_LA(VA_SW, data_a, LEAF_RW, LVL_4K)
    VM_NEW_ROOT(s1)
    VM_MAP(IDENT, 0x80000000, ULEAF_RWX, LVL_1G)
    VM_MAP_LA(VA_HI, data_a, ULEAF_RW, LVL_4K)
    VM_MAP_LA(VA_CODE, code_page, ULEAF_X, LVL_4K)
    VM_MAP_LA(VA_TOP, data_b, ULEAF_R, LVL_4K)
    VM_MAP_LA(VA_SW, data_b, ULEAF_RW, LVL_4K)

    /* ============================================================================================
     * 1. satp (4.1.11)
     * ========================================================================================== */

    /* MODE = 8 (Sv39) is supported: the value written reads back (ASID 0, PPN = root) */
    li TESTNUM, 2
    SATP_ON(a1, SATP_MODE_SV39, s0)
    csrr a0, satp
    EXPECT_EQ(a0, a1)

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

    /* MODE = Bare with all other fields zero sticks, and Sv39 can be written again after it */
    li TESTNUM, 5
    csrw satp, zero
    csrr a0, satp
    EXPECT(a0, 0)
    SATP_ON(a1, SATP_MODE_SV39, s0)
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

    /* a non-canonical address (bits 63:39 not all equal to bit 38) is a page fault, tval = address
     * (4.4.1) */
    li TESTNUM, 23
    ENTER_S
    li a1, VA_NONCANON
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, VA_NONCANON)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, MSTATUS_MPP_S)

    /* ============================================================================================
     * 3. U-mode through the U tree (the same identity leaf, with U=1)
     * ========================================================================================== */
    li TESTNUM, 30
    SATP_ON(a1, SATP_MODE_SV39, s1)
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
    SATP_ON(s2, SATP_MODE_SV39, s0)
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

    /* ============================================================================================
     * 5. The whole program (code, data, tohost) through identity leaves of other sizes: the identity
     *    gigapage above is replaced by 4 KiB pages (every page from 0x8000_0000 to _end), by one
     *    2 MiB leaf.
     * ========================================================================================== */
    li TESTNUM, 50
    la t0, _end
    li t1, 0x80200000
    bgeu t0, t1, fail                       /* the program fits in the first 2 MiB */
    VM_NEW_ROOT(s2)
    li s4, 0x80000000
    la s5, _end
1:  mv a0, s4
    mv a1, s4
    li a2, LEAF_RWX
    li a3, LVL_4K
    call vm_map
    li t0, 4096
    add s4, s4, t0
    bltu s4, s5, 1b
    SATP_ON(a1, SATP_MODE_SV39, s2)
    call run_identity
    EXPECT(a0, MAGIC)
    EXPECT(a2, A0)
    EXPECT(a3, B0)

    li TESTNUM, 51
    VM_NEW_ROOT(s2)
    VM_MAP(0x80000000, 0x80000000, LEAF_RWX, LVL_2M)
    SATP_ON(a1, SATP_MODE_SV39, s2)
    call run_identity
    EXPECT(a0, MAGIC)
    EXPECT(a2, A0)
    EXPECT(a3, B0)

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
