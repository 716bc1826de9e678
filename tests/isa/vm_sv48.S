/* Virtual memory: Sv48 (privileged spec 1.12, 4.5) end to end through the hart.
 *
 * satp (4.1.11): the Sv48 MODE sticks; a write with an unsupported MODE has no effect at all.
 * Translation (4.3.2 with the Sv48 formats of 4.5.1: four levels, 48-bit VAs, 512 GiB "terapages"):
 * the program runs in S- and U-mode through an identity 1 GiB leaf (under a level-3 pointer); loads,
 * stores, AMOs and fetches go through 512 GiB, 1 GiB, 2 MiB and 4 KiB leaves at other virtual addresses
 * that alias its data and code pages, in both halves of the address space, including addresses that
 * only Sv48 (not Sv39) finds canonical; M-mode ignores satp. Faults in detail: vm_faults.S.
 *
 * Frame: priv.h; page tables: vm.h. Two trees, built at run time: s0 = root of the S tree (every page
 * U=0), s1 = root of the U tree (the same identity leaf with U=1, so that U code can run).
 */
#include "vm_paging.h"

#define VM_SATP_MODE SATP_MODE_SV48

#define IDENT     0x0000000080000000   /* 1 GiB leaf, VA = PA (VPN[3] = 0, VPN[2] = 2) */
#define VA_TERA   0x0000008000000000   /* 512 GiB leaf -> PA 0 (VPN[3] = 1) */
#define VA_39     0x0000004000000000   /* 4 KiB leaf -> data_a: bit 38 set, canonical only from Sv48 */
#define VA_GIGA   0x0000002000000000   /* 1 GiB leaf -> PA 0x8000_0000 (VPN[2] = 0x80) */
#define VA_MEGA   0x0000001000200000   /* 2 MiB leaf -> PA 0x8000_0000 (VPN[2] = 0x40, VPN[1] = 1) */
#define VA_HI     0xffff923412345000   /* 4 KiB leaf -> data_a (upper half) */
#define VA_CODE   0xffff800000000000   /* 4 KiB leaf -> code_page, X only (first upper-half page) */
#define VA_TOP    0xfffffffffffff000   /* 4 KiB leaf -> data_b (the very last page) */
#define VA_LOTOP  0x00007ffffffff000   /* 4 KiB leaf -> data_a, R only (last lower-half page) */
#define VA_SW     0x0000000012340000   /* data_a in the S tree, data_b in the U tree */
#define VA_NONCANON 0x0000800000000000 /* bit 47 = 1 but bits 63:48 = 0: not canonical for Sv48 */

PRIV_BEGIN

    /* ---- build the trees ---- */
    VM_INIT(4)
    VM_NEW_ROOT(s0)
    VM_MAP(IDENT, 0x80000000, LEAF_RWX, LVL_1G)
    VM_MAP(VA_GIGA, 0x80000000, LEAF_RWX, LVL_1G)
    VM_MAP(VA_MEGA, 0x80000000, LEAF_RWX, LVL_2M)
    VM_MAP(VA_TERA, 0, LEAF_RWX, LVL_512G)
    VM_MAP_LA(VA_39, data_a, LEAF_RW, LVL_4K)
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

    /* MODE = 9 (Sv48) is supported: the value written reads back (ASID 0, PPN = root) */
    li TESTNUM, 2
    SATP_ON(a1, SATP_MODE_SV48, s0)
    csrr a0, satp
    EXPECT_EQ(a0, a1)

#include "vm_paging_s.h"

    /* 512 GiB leaf: pa.ppn[2:0] = va.vpn[2:0], pa.ppn[3] = pte.ppn[3] (4.3.2 step 8, 4.5.1): VA
     * 0x80_8000_0000 + x is PA 0x8000_0000 + x; loads and fetches through it */
    li TESTNUM, 24
    ENTER_S
    LA_ALIAS(a1, data_a, VA_TERA + 0x80000000)
    ld a4, 16(a1)
    LA_ALIAS(a3, vm_func, VA_TERA + 0x80000000)
    jalr a3
    BACK_TO_M
    EXPECT(a4, A2)
    LA_ALIAS(t0, vm_func, VA_TERA + 0x80000000)
    EXPECT_EQ(a1, t0)

    /* VA 0x40_0000_0000 (bit 38 set, bits 63:39 clear) is canonical for Sv48 (not for Sv39) */
    li TESTNUM, 25
    ENTER_S
    li a1, VA_39
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, A0)

    /* a non-canonical address (bits 63:48 not all equal to bit 47) is a page fault, tval = address
     * (4.5.1); for loads, stores and fetches alike */
    li TESTNUM, 23
    ENTER_S
    li a1, VA_NONCANON
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, VA_NONCANON)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, MSTATUS_MPP_S)
    li TESTNUM, 26
    ENTER_S
    li a1, VA_NONCANON
    TRAP_EXPECTED(1: sd a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_PAGE_FAULT)
    EXPECT(s9, VA_NONCANON)
    EXPECT_PC(s10, 1b)
    li TESTNUM, 27
    ENTER_S
    li a1, VA_NONCANON
    TRAP_EXPECTED(jalr a1)
    EXPECT_M_TRAP(CAUSE_FETCH_PAGE_FAULT)
    EXPECT(s9, VA_NONCANON)
    EXPECT(s10, VA_NONCANON)

#include "vm_paging_u.h"

    /* ============================================================================================
     * 5. The whole program (code, data, tohost) through identity leaves of other sizes: the identity
     *    gigapage above is replaced by 4 KiB pages (every page from 0x8000_0000 to _end), by one
     *    2 MiB leaf, by a 512 GiB leaf (VA 0 .. 512 GiB = PA).
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
    SATP_ON(a1, SATP_MODE_SV48, s2)
    call run_identity
    EXPECT(a0, MAGIC)
    EXPECT(a2, A0)
    EXPECT(a3, B0)

    li TESTNUM, 51
    VM_NEW_ROOT(s2)
    VM_MAP(0x80000000, 0x80000000, LEAF_RWX, LVL_2M)
    SATP_ON(a1, SATP_MODE_SV48, s2)
    call run_identity
    EXPECT(a0, MAGIC)
    EXPECT(a2, A0)
    EXPECT(a3, B0)

    /* a 512 GiB leaf maps VA 0 .. 512 GiB onto PA 0 .. 512 GiB */
    li TESTNUM, 52
    VM_NEW_ROOT(s2)
    VM_MAP(0, 0, LEAF_RWX, LVL_512G)
    SATP_ON(a1, SATP_MODE_SV48, s2)
    call run_identity
    EXPECT(a0, MAGIC)
    EXPECT(a2, A0)
    EXPECT(a3, B0)

#include "vm_paging_end.h"
