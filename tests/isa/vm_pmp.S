/* Physical memory protection (privileged spec 1.12, 3.7) as the hart applies it, with and without
 * paging.
 *
 * Rules checked: 3.7.1 (pmpcfg R/W/X/A/L fields; TOR, NA4, NAPOT address matching, TOR entry 0 starting
 * at 0; a locked entry ignores writes to its pmpcfg byte and pmpaddr, and a locked TOR entry also
 * locks the pmpaddr below it), 3.7.1 "Priority and Matching Logic" (lowest-numbered matching entry
 * decides; it must match all bytes of the access; an S/U access that matches no entry fails while
 * some entry is implemented; M-mode accesses succeed unless the matching entry is locked), the access
 * fault causes 1/5/7 with tval = the (virtual) address, MPRV (PMP checks use the effective privilege),
 * and 4.3.2 steps 2 and 7 (the walk's own PTE reads and A/D writes are PMP-checked as S-mode accesses;
 * a failure is an access fault of the original access type).
 *
 * Layout: the program (code, tohost) is below 0x8001_0000, covered by entry 15 (NAPOT 64 KiB, RWX);
 * the page-table pool is covered by entry 14 (TOR from pmpaddr13, RW); entries 0..6 are the ones under
 * test. Data pages D(0)..D(7) start at the 64 KiB-aligned pmp_data, outside both.
 * Entries 5 and 6 are locked at the very end (locks last until reset).
 */
#include "vm.h"

#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_OFF   0x00
#define PMP_TOR   0x08
#define PMP_NA4   0x10
#define PMP_NAPOT 0x18
#define PMP_L 0x80
#define CFG(i, bits) ((bits) << (8 * (i)))

#define D(n) (pmp_data + (n) * 0x1000)

/* pmpaddr`n` = NAPOT encoding of [D(page) + off, + size) */
#define PMP_NAPOT_D(n, page, off, size) \
    la t0, D(page); li t1, (off) + ((size) / 2 - 1); add t0, t0, t1; srli t0, t0, 2; csrw pmpaddr##n, t0
/* pmpaddr`n` = (D(page) + off) >> 2 */
#define PMP_ADDR_D(n, page, off) \
    la t0, D(page); li t1, off; add t0, t0, t1; srli t0, t0, 2; csrw pmpaddr##n, t0
#define PMP_CFG0(v) li t0, v; csrw pmpcfg0, t0

#define IDENT 0x0000000080000000
#define T     0x0000001000000000            /* TP(0) -> D(0), TP(1) -> D(3) (X); VPN[2] = 0x40 */
#define TP(n) (T + (n) * 0x1000)
#define VA_P7 0x0000002000000000            /* level-0 table in D(7), leaf -> D(0) */
#define VA_P6 0x0000002000200000            /* level-0 table in D(6), leaf -> D(1) with A = 0 */

#define V0 0x0123456789abcdef
#define V1 0x1122334455667788
#define FUNC_RESULT 0x77

PRIV_BEGIN

    /* ---- PMP frame: entries 13-15; entries 0-7 off ---- */
    csrw pmpcfg0, zero
    csrw pmpcfg2, zero
    li t0, (0x80000000 | (0x10000 / 2 - 1)) >> 2
    csrw pmpaddr15, t0
    la t0, vm_pool
    srli t0, t0, 2
    csrw pmpaddr13, t0
    la t0, vm_pool_end
    srli t0, t0, 2
    csrw pmpaddr14, t0

    /* Checked first, while no entry is active at all: PMP entries are implemented, so an S-mode
     * access that matches none fails (3.7.1) - here the very first fetch after MRET, an
     * instruction access fault with mtval = its address, taken in M-mode. QEMU 7.2 differs (its
     * MRET to S or U with no active entry is an illegal instruction), so this case is left out
     * there. */
#ifndef PRIV_ON_QEMU
    li TESTNUM, 2
    li t5, MSTATUS_MPP
    csrc mstatus, t5
    li t5, (PRV_S << 11)
    csrs mstatus, t5
    la t5, 2f
    csrw mepc, t5
    la s7, 3f
    li s6, 0
    mret
2:  j fail
3:  EXPECT_M_TRAP(CAUSE_FETCH_ACCESS)
    EXPECT_PC(s9, 2b)
    EXPECT_PC(s10, 2b)
#endif

    li t0, CFG(7, PMP_NAPOT | PMP_R | PMP_W | PMP_X) | CFG(6, PMP_TOR | PMP_R | PMP_W)
    csrw pmpcfg2, t0
    la t0, pmp_data
    li t1, 0x80010000
    bltu t0, t1, fail                        /* the data must be outside entry 15 */

    /* ============================================================================================
     * 1. No entry matches: S and U accesses fail (access fault, tval = address); M succeeds
     * ========================================================================================== */
    li TESTNUM, 3
    ENTER_S
    la a1, D(0) + 0x10
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT_EQ(s9, a1)
    EXPECT_PC(s10, 1b)
    li TESTNUM, 4
    ENTER_S
    la a1, D(0) + 0x18
    TRAP_EXPECTED(1: sd zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_ACCESS)
    EXPECT_EQ(s9, a1)
    EXPECT_PC(s10, 1b)
    li TESTNUM, 5
    ENTER_S
    la a3, D(3)
    TRAP_EXPECTED(jalr a3)
    EXPECT_M_TRAP(CAUSE_FETCH_ACCESS)
    EXPECT_EQ(s9, a3)
    EXPECT_EQ(s10, a3)
    li TESTNUM, 6
    ENTER_U
    la a1, D(0)
    TRAP_EXPECTED(1: lw a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT_EQ(s9, a1)
    EXPECT_BITS(s11, MSTATUS_MPP, 0)
    /* M-mode: "If no PMP entry matches an M-mode access, the access succeeds" */
    li TESTNUM, 7
    la a1, D(0)
    ld a0, 0(a1)
    sd a0, 0x20(a1)
    ld a2, 0x20(a1)
    EXPECT(a0, V0)
    EXPECT(a2, V0)
    /* and the code region (entry 15) works for S and U: they run, and S can use tohost */
    li TESTNUM, 8
    ENTER_U
    la a1, data_code_region
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, V1)

    /* ============================================================================================
     * 2. R / W / X of a NAPOT entry (4 KiB over D(0), or D(3) which holds code)
     * ========================================================================================== */
    li TESTNUM, 10
    PMP_NAPOT_D(0, 0, 0, 0x1000)
    PMP_CFG0(CFG(0, PMP_NAPOT | PMP_R))
    ENTER_S
    la a1, D(0)
    ld a0, 0(a1)
    li a2, 0xff8
    add a1, a1, a2
    ld a2, 0(a1)                             /* the last dword of the region */
    BACK_TO_M
    EXPECT(a0, V0)
    EXPECT(a2, V1)
    li TESTNUM, 11
    ENTER_S
    la a1, D(0)
    TRAP_EXPECTED(1: sd zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_ACCESS)
    EXPECT_EQ(s9, a1)
    li TESTNUM, 12
    ENTER_S
    la a3, D(0)
    TRAP_EXPECTED(jalr a3)                   /* R does not grant X */
    EXPECT_M_TRAP(CAUSE_FETCH_ACCESS)
    EXPECT_EQ(s9, a3)
    /* U-mode is held to the same bits */
    li TESTNUM, 13
    ENTER_U
    la a1, D(0) + 8
    TRAP_EXPECTED(1: sw zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_ACCESS)
    EXPECT_EQ(s9, a1)
    EXPECT_PC(s10, 1b)

    /* R|W: stores succeed */
    li TESTNUM, 14
    PMP_CFG0(CFG(0, PMP_NAPOT | PMP_R | PMP_W))
    li a2, 0x5151515151515151
    ENTER_S
    la a1, D(0)
    sd a2, 0x28(a1)
    BACK_TO_M
    la a1, D(0)
    ld a0, 0x28(a1)
    EXPECT_EQ(a0, a2)
    /* an AMO needs both R and W: with R only it fails, as a store */
    li TESTNUM, 15
    PMP_CFG0(CFG(0, PMP_NAPOT | PMP_R))
    ENTER_S
    la a1, D(0) + 0x28
    li a2, 1
    TRAP_EXPECTED(1: amoadd.d a0, a2, (a1))
    EXPECT_M_TRAP(CAUSE_STORE_ACCESS)
    EXPECT_EQ(s9, a1)

    /* X only over D(3): S runs the code there, but cannot read it */
    li TESTNUM, 16
    PMP_NAPOT_D(0, 3, 0, 0x1000)
    PMP_CFG0(CFG(0, PMP_NAPOT | PMP_X))
    ENTER_S
    la a3, D(3)
    li a0, 0
    jalr a3
    BACK_TO_M
    EXPECT(a0, FUNC_RESULT)
    li TESTNUM, 17
    ENTER_S
    la a1, D(3)
    TRAP_EXPECTED(1: lw a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT_EQ(s9, a1)

    /* an entry with no permission at all */
    li TESTNUM, 18
    PMP_NAPOT_D(0, 0, 0, 0x1000)
    PMP_CFG0(CFG(0, PMP_NAPOT))
    ENTER_S
    la a1, D(0)
    TRAP_EXPECTED(1: lb a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT_EQ(s9, a1)

    /* an 8 KiB NAPOT region covers D(0) and D(1), not D(2) */
    li TESTNUM, 19
    PMP_NAPOT_D(0, 0, 0, 0x2000)
    PMP_CFG0(CFG(0, PMP_NAPOT | PMP_R))
    ENTER_S
    la a1, D(1)
    li a2, 0xff8
    add a1, a1, a2
    ld a0, 0(a1)
    la a1, D(2)
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT_EQ(s9, a1)

    /* ============================================================================================
     * 3. TOR and NA4; partial matches; priority
     * ========================================================================================== */

    /* entry 1 TOR over [D(1), D(1) + 0x804): pmpaddr0 <= y < pmpaddr1 */
    li TESTNUM, 20
    PMP_ADDR_D(0, 1, 0)
    PMP_ADDR_D(1, 1, 0x804)
    PMP_CFG0(CFG(1, PMP_TOR | PMP_R | PMP_W) | CFG(0, PMP_OFF))
    ENTER_S
    la a1, D(1)
    ld a0, 0(a1)
    li a2, 0x7f8
    add a2, a2, a1
    ld a2, 0(a2)
    li a3, 0x800
    add a3, a3, a1
    lw a3, 0(a3)                             /* [0x800, 0x804): the last word */
    BACK_TO_M
    EXPECT(a0, V0)
    EXPECT(a2, V1)
    EXPECT(a3, 0x3333)
    /* a doubleword at 0x800 is only half inside: "the matching PMP entry must match all bytes of an
     * access, or the access fails" */
    li TESTNUM, 21
    ENTER_S
    la a1, D(1) + 0x800
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT_EQ(s9, a1)
    /* just outside, on either side */
    li TESTNUM, 22
    ENTER_S
    la a1, D(1) + 0x804
    TRAP_EXPECTED(1: lw a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT_EQ(s9, a1)
    li TESTNUM, 23
    ENTER_S
    la a1, D(1) - 4
    TRAP_EXPECTED(1: lw a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT_EQ(s9, a1)

    /* TOR in entry 0 starts at address 0: [0, D(1)) RWX, so D(0) is covered, D(1) is not */
    li TESTNUM, 24
    PMP_ADDR_D(0, 1, 0)
    PMP_CFG0(CFG(0, PMP_TOR | PMP_R | PMP_W | PMP_X))
    ENTER_S
    la a1, D(0)
    ld a0, 0(a1)
    la a1, D(1)
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT_EQ(s9, a1)

    /* NA4 over D(2) + 8: that word only */
    li TESTNUM, 25
    PMP_ADDR_D(0, 2, 8)
    PMP_CFG0(CFG(0, PMP_NA4 | PMP_R))
    ENTER_S
    la a1, D(2) + 8
    lw a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, 0x22222222)
    li TESTNUM, 26
    ENTER_S
    la a1, D(2) + 12
    TRAP_EXPECTED(1: lw a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT_EQ(s9, a1)
    /* a doubleword that starts on the NA4 word: partial match, fails */
    li TESTNUM, 27
    ENTER_S
    la a1, D(2) + 8
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT_EQ(s9, a1)
    /* a doubleword that straddles entry 0 (NA4, R) and entry 1 (NAPOT over the rest of the page, R):
     * entry 0 is the lowest-numbered match and does not cover all bytes, so the access fails even
     * though the two entries together would cover it */
    li TESTNUM, 28
    PMP_NAPOT_D(1, 2, 0, 0x1000)
    PMP_ADDR_D(0, 2, 0x14)
    PMP_CFG0(CFG(1, PMP_NAPOT | PMP_R) | CFG(0, PMP_NA4 | PMP_R))
    ENTER_S
    la a1, D(2) + 0x10
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT_EQ(s9, a1)

    /* priority: entry 0 (NA4 over D(2) + 0x10, no permission) wins over entry 1 (NAPOT, RW) */
    li TESTNUM, 29
    PMP_ADDR_D(0, 2, 0x10)
    PMP_CFG0(CFG(1, PMP_NAPOT | PMP_R | PMP_W) | CFG(0, PMP_NA4))
    ENTER_S
    la a1, D(2) + 0x18
    ld a0, 0(a1)                             /* entry 1 only */
    la a1, D(2) + 0x10
    TRAP_EXPECTED(1: lw a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT_EQ(s9, a1)
    /* ... and the other way round: entry 0 NAPOT RW, entry 1 NA4 with nothing: entry 0 decides */
    li TESTNUM, 30
    PMP_NAPOT_D(0, 2, 0, 0x1000)
    PMP_ADDR_D(1, 2, 0x10)
    PMP_CFG0(CFG(1, PMP_NA4) | CFG(0, PMP_NAPOT | PMP_R | PMP_W))
    ENTER_S
    la a1, D(2) + 0x10
    lw a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, 0x44444444)

    /* ============================================================================================
     * 4. M-mode, MPRV
     * ========================================================================================== */

    /* an unlocked entry does not restrict M-mode */
    li TESTNUM, 40
    PMP_NAPOT_D(0, 0, 0, 0x1000)
    PMP_CFG0(CFG(0, PMP_NAPOT))
    la a1, D(0)
    ld a0, 0(a1)
    sd a0, 0x30(a1)
    EXPECT(a0, V0)
    la a3, D(3)
    PMP_NAPOT_D(0, 3, 0, 0x1000)
    li a0, 0
    jalr a3
    EXPECT(a0, FUNC_RESULT)

    /* MPRV = 1, MPP = S: M-mode loads and stores are checked as S-mode ones (3.1.6.3: "translated and
     * protected ... as though the current privilege mode were set to MPP") */
    li TESTNUM, 41
    PMP_NAPOT_D(0, 0, 0, 0x1000)
    PMP_CFG0(CFG(0, PMP_NAPOT | PMP_R))
    li t0, MSTATUS_MPP; csrc mstatus, t0
    li t0, MSTATUS_MPRV | MSTATUS_MPP_S; csrs mstatus, t0
    la a1, D(0)
    ld a0, 0(a1)
    TRAP_EXPECTED(1: sd zero, 0(a1))
    li t0, MSTATUS_MPRV; csrc mstatus, t0
    EXPECT_M_TRAP(CAUSE_STORE_ACCESS)
    EXPECT_EQ(s9, a1)
    EXPECT_PC(s10, 1b)
    EXPECT(a0, V0)

    /* ============================================================================================
     * 5. Paging: the translated address is checked (tval = the virtual address), and so are the
     *    walk's own PTE reads and A/D writes, with the original access type's fault.
     *    Tree: identity 1 GiB leaf (S, RWX); TP(0) -> D(0); VA_P7 -> level-0 table in D(7) ->
     *    D(0); VA_P6 -> level-0 table in D(6) -> D(1), A = D = 0.
     * ========================================================================================== */
    li TESTNUM, 50
    VM_INIT(3)
    VM_NEW_ROOT(s0)
    VM_MAP(IDENT, 0x80000000, LEAF_RWX, LVL_1G)
    VM_MAP_LA(TP(0), D(0), LEAF_RW, LVL_4K)
    VM_MAP_LA(TP(1), D(3), LEAF_X, LVL_4K)
    VM_MAP_LA(VA_P7, D(7), PTE_V, LVL_2M)      /* a pointer to D(7) */
    VM_MAP_LA(VA_P6, D(6), PTE_V, LVL_2M)      /* a pointer to D(6) */
    la a1, D(0)
    MAKE_PTE(a2, a1, LEAF_RW)
    la a0, D(7)
    sd a2, 0(a0)
    la a1, D(1)
    MAKE_PTE(a2, a1, PTE_V | PTE_R | PTE_W | PTE_X)
    la a0, D(6)
    sd a2, 0(a0)
    csrw pmpcfg0, zero
    SATP_ON(a1, SATP_MODE_SV39, s0)
    /* D(0) has no entry: access fault, tval = the virtual address */
    ENTER_S
    li a1, TP(0) + 0x38
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT(s9, TP(0) + 0x38)
    EXPECT_PC(s10, 1b)
    li TESTNUM, 51
    ENTER_S
    li a3, TP(1)
    TRAP_EXPECTED(jalr a3)
    EXPECT_M_TRAP(CAUSE_FETCH_ACCESS)
    EXPECT(s9, TP(1))
    EXPECT(s10, TP(1))
    /* with an entry granting R, the same load works */
    li TESTNUM, 52
    PMP_NAPOT_D(0, 0, 0, 0x1000)
    PMP_CFG0(CFG(0, PMP_NAPOT | PMP_R))
    ENTER_S
    li a1, TP(0)
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, V0)

    /* the level-0 PTE is in D(7), which no entry covers: "If accessing pte violates a PMA or PMP
     * check, raise an access-fault exception corresponding to the original access type" (step 2) */
    li TESTNUM, 53
    ENTER_S
    li a1, VA_P7 + 0x48
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT(s9, VA_P7 + 0x48)
    EXPECT_PC(s10, 1b)
    li TESTNUM, 54
    ENTER_S
    li a1, VA_P7 + 0x50
    TRAP_EXPECTED(1: sd zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_ACCESS)
    EXPECT(s9, VA_P7 + 0x50)
    li TESTNUM, 55
    ENTER_S
    li a3, VA_P7 + 0x100
    TRAP_EXPECTED(jalr a3)
    EXPECT_M_TRAP(CAUSE_FETCH_ACCESS)
    EXPECT(s9, VA_P7 + 0x100)
    EXPECT(s10, VA_P7 + 0x100)
    /* X on the table's page does not let the walk read it (an implicit read needs R) */
    li TESTNUM, 56
    PMP_NAPOT_D(1, 7, 0, 0x1000)
    PMP_CFG0(CFG(1, PMP_NAPOT | PMP_X) | CFG(0, PMP_NAPOT | PMP_R))
    ENTER_S
    li a1, VA_P7
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT(s9, VA_P7)
    /* with R on it, the walk proceeds, and D(0) (entry 0, R) is read */
    li TESTNUM, 57
    PMP_CFG0(CFG(1, PMP_NAPOT | PMP_R) | CFG(0, PMP_NAPOT | PMP_R))
    ENTER_S
    li a1, VA_P7 + 0xff8
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, V1)

    /* step 7: the A update of a PTE in a page with R but no W violates PMP: access fault of the
     * original access type (a load here), and the PTE is not changed. QEMU 7.2 does not check PMP
     * for its A/D write-back. */
    li TESTNUM, 58
    PMP_NAPOT_D(2, 6, 0, 0x1000)
    PMP_NAPOT_D(3, 1, 0, 0x1000)
    PMP_CFG0(CFG(3, PMP_NAPOT | PMP_R) | CFG(2, PMP_NAPOT | PMP_R))
#ifndef PRIV_ON_QEMU
    ENTER_S
    li a1, VA_P6 + 8
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT(s9, VA_P6 + 8)
    EXPECT_PC(s10, 1b)
    la a0, D(6)
    ld a0, 0(a0)
    andi a0, a0, PTE_A | PTE_D
    EXPECT(a0, 0)
#endif
    /* with W too, the load succeeds and A is set */
    li TESTNUM, 59
    PMP_CFG0(CFG(3, PMP_NAPOT | PMP_R) | CFG(2, PMP_NAPOT | PMP_R | PMP_W))
    ENTER_S
    li a1, VA_P6 + 0x7f8
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, V1)
    la a0, D(6)
    ld a0, 0(a0)
    andi a0, a0, PTE_A | PTE_D
    EXPECT(a0, PTE_A)
    /* a store needs W on the data page itself (entry 3: R only): store access fault, tval = VA */
    li TESTNUM, 60
    ENTER_S
    li a1, VA_P6 + 0x10
    TRAP_EXPECTED(1: sd zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_ACCESS)
    EXPECT(s9, VA_P6 + 0x10)

    csrw satp, zero
    sfence.vma

    /* ============================================================================================
     * 6. Locked entries (last: they stay locked until reset)
     * ========================================================================================== */

    /* entry 6: NAPOT over D(4), R, locked: M-mode is now held to it */
    li TESTNUM, 70
    csrw pmpcfg0, zero
    PMP_NAPOT_D(6, 4, 0, 0x1000)
    PMP_CFG0(CFG(6, PMP_L | PMP_NAPOT | PMP_R))
    la a1, D(4)
    ld a0, 0(a1)
    EXPECT(a0, V0)
    li TESTNUM, 71
    la a1, D(4) + 8
    TRAP_EXPECTED(1: sd zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_ACCESS)
    EXPECT_EQ(s9, a1)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, MSTATUS_MPP)
    li TESTNUM, 72
    la a3, D(4)
    TRAP_EXPECTED(jalr a3)
    EXPECT_M_TRAP(CAUSE_FETCH_ACCESS)
    EXPECT_EQ(s9, a3)
    EXPECT_EQ(s10, a3)
    /* M still reaches memory no entry matches, and unlocked entries still don't bind it */
    li TESTNUM, 73
    la a1, D(0)
    sd zero, 0x58(a1)

    /* writes to a locked entry's pmpcfg byte and pmpaddr are ignored; the other bytes of the same
     * pmpcfg0 write take effect */
    li TESTNUM, 74
    PMP_CFG0(CFG(6, PMP_NAPOT | PMP_R | PMP_W | PMP_X) | CFG(0, PMP_NAPOT | PMP_R))
    csrr a0, pmpcfg0
    EXPECT(a0, CFG(6, PMP_L | PMP_NAPOT | PMP_R) | CFG(0, PMP_NAPOT | PMP_R))
    csrr a2, pmpaddr6
    csrw pmpaddr6, zero
    csrr a3, pmpaddr6
    EXPECT_EQ(a2, a3)
    la a1, D(4) + 8
    TRAP_EXPECTED(1: sd zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_ACCESS)

    /* a locked TOR entry (5, over [D(5), D(6)), R) also locks pmpaddr4, its base */
    li TESTNUM, 75
    PMP_ADDR_D(4, 5, 0)
    PMP_ADDR_D(5, 6, 0)
    li t0, 0xff << 40
    csrc pmpcfg0, t0
    li t0, CFG(5, PMP_L | PMP_TOR | PMP_R)
    csrs pmpcfg0, t0
    csrr a2, pmpaddr4
    li t0, 0x12340
    csrw pmpaddr4, t0
    csrr a3, pmpaddr4
    EXPECT_EQ(a2, a3)
    csrw pmpaddr5, zero
    csrr a3, pmpaddr5
    la t0, D(6)
    srli t0, t0, 2
    EXPECT_EQ(a3, t0)
    li TESTNUM, 76
    la a1, D(5) + 0x10
    ld a0, 0(a1)
    TRAP_EXPECTED(1: sd zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_ACCESS)
    EXPECT_EQ(s9, a1)
    EXPECT(a0, 0x5555)

TEST_END

    /* a constant inside entry 15's region (.data is not: its 64 KiB alignment puts it above) */
    .text
    .balign 8
data_code_region:
    .dword V1

    /* D(0)..D(7), outside entry 15's 64 KiB */
    .data
    .balign 0x10000
pmp_data:
    .dword V0                                /* D(0) */
    .skip 0xff0
    .dword V1
    .dword V0                                /* D(1) */
    .skip 0x7f0
    .dword V1                                /* D(1) + 0x7f8 */
    .word 0x3333                             /* D(1) + 0x800 */
    .balign 0x1000
    .word 0x11111111, 0, 0x22222222, 0, 0x44444444, 0, 0x66666666, 0   /* D(2) */
    .balign 0x1000
    li a0, FUNC_RESULT                       /* D(3): code */
    ret
    .balign 0x1000
    .dword V0                                /* D(4) */
    .balign 0x1000
    .dword 0, 0, 0x5555                      /* D(5) */
    .balign 0x1000
    .skip 0x1000                             /* D(6): a level-0 table */
    .skip 0x1000                             /* D(7): a level-0 table */

VM_LIB
