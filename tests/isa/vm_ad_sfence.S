/* Virtual memory (Sv39): hardware A/D updating, SFENCE.VMA, and MPRV.
 *
 * A/D (4.3.1, 4.3.2 step 7): emu, like QEMU, updates A and D in the PTE in memory (rather than raising
 * a page fault): A on any access, D on a store; a faulting access updates nothing; non-leaf PTEs are
 * never touched.
 * SFENCE.VMA (4.2.1): after a PTE is changed, SFENCE.VMA with that address, with an ASID, with both, or
 * with neither makes the new mapping visible, for data and for instruction fetch; SFENCE.VMA is illegal
 * in U-mode and, with mstatus.TVM = 1, in S-mode (3.1.6.5), as are satp accesses there.
 * MPRV (3.1.6.3): with MPRV = 1, M-mode loads and stores are translated and checked with the privilege
 * in MPP (and SUM/MXR), instruction fetches are not; MRET to a mode below M clears MPRV.
 *
 * Trees (vm.h builder): s0 = S tree (identity 1 GiB leaf, U = 0, test pages at T), s1 = a second S tree
 * (the same, but VA_SW maps data_b), s2 = the MPRV tree: no mapping of the program at all (only the
 * tohost page, so that a failing case can still report), test pages at T.
 */
#include "vm.h"

#define IDENT 0x0000000080000000
#define T     0x0000001000000000
#define TP(n) (T + (n) * 0x1000)
#define AD_MEGA 0x0000001000200000          /* 2 MiB leaf -> PA 0x8000_0000, A = D = 0 */
#define AD_GIGA 0x0000002000000000          /* 1 GiB leaf -> PA 0x8000_0000, A = D = 0 */
#define SF_MEGA 0x0000001000400000          /* 2 MiB leaf, remapped from PA 0x8000_0000 to 0x8020_0000 */
#define VA_SW   TP(40)                      /* data_a in s0, data_b in s1 */

#define A0 0x1111111111111111
#define A1 0x2222222222222222
#define B0 0x4444444444444444
#define B1 0x5555555555555555
#define MAGIC 0x5a5
#define HIGH_MAGIC 0x7e7e7e7e12345678

/* a0 = the A and D bits of the PTE for `va` at `level` in the current tree (M-mode) */
#define AD_OF(va, level) VM_PTE_ADDR(va, level); ld a0, 0(a0); andi a0, a0, PTE_A | PTE_D

PRIV_BEGIN

    /* ---- build the trees ---- */
    VM_INIT(3)
    VM_NEW_ROOT(s1)
    VM_MAP(IDENT, 0x80000000, LEAF_RWX, LVL_1G)
    VM_MAP_LA(VA_SW, data_b, LEAF_RW, LVL_4K)
    VM_NEW_ROOT(s2)
    la a0, tohost; la a1, tohost; li a2, LEAF_RW; li a3, LVL_4K; call vm_map
    VM_MAP_LA(TP(32), data_a, LEAF_RW, LVL_4K)
    VM_MAP_LA(TP(33), data_a, ULEAF_RW, LVL_4K)
    VM_MAP_LA(TP(34), code_page, LEAF_X, LVL_4K)
    VM_MAP_LA(TP(35), data_b, LEAF_RW | PTE_G, LVL_4K)
    VM_NEW_ROOT(s0)                         /* last: the current tree for the rest */
    VM_MAP(IDENT, 0x80000000, LEAF_RWX, LVL_1G)
    VM_MAP_LA(VA_SW, data_a, LEAF_RW, LVL_4K)
    VM_MAP_LA(TP(0), data_a, PTE_V | PTE_R | PTE_W, LVL_4K)
    VM_MAP_LA(TP(1), data_a, PTE_V | PTE_R | PTE_W, LVL_4K)
    VM_MAP_LA(TP(2), data_a, PTE_V | PTE_R | PTE_W | PTE_A, LVL_4K)
    VM_MAP_LA(TP(3), code_page, PTE_V | PTE_X, LVL_4K)
    VM_MAP_LA(TP(4), data_a, PTE_V | PTE_R, LVL_4K)
    VM_MAP_LA(TP(5), data_a, LEAF_RW, LVL_4K)
    VM_MAP_LA(TP(6), data_a, PTE_V | PTE_R | PTE_W, LVL_4K)
    VM_MAP_LA(TP(7), data_a, PTE_V | PTE_R | PTE_W | PTE_U, LVL_4K)
    VM_MAP_LA(TP(8), data_a, PTE_V | PTE_R | PTE_W, LVL_4K)
    VM_MAP_LA(TP(9), data_a, PTE_V | PTE_R | PTE_W, LVL_4K)
    VM_MAP_LA(TP(10), data_a, PTE_V | PTE_R | PTE_W, LVL_4K)
    VM_MAP(AD_MEGA, 0x80000000, PTE_V | PTE_R | PTE_W | PTE_X, LVL_2M)
    VM_MAP(AD_GIGA, 0x80000000, PTE_V | PTE_R | PTE_W, LVL_1G)
    VM_MAP_LA(TP(16), data_a, LEAF_RW, LVL_4K)
    VM_MAP_LA(TP(17), data_a, LEAF_RW, LVL_4K)
    VM_MAP_LA(TP(18), data_a, LEAF_RW, LVL_4K)
    VM_MAP_LA(TP(19), data_a, LEAF_RW, LVL_4K)
    VM_MAP_LA(TP(20), data_a, LEAF_RW | PTE_G, LVL_4K)
    VM_MAP_LA(TP(21), code_page1, LEAF_X, LVL_4K)
    VM_MAP_LA(TP(22), data_a, LEAF_RW, LVL_4K)
    VM_MAP_LA(TP(23), data_a, LEAF_RW, LVL_4K)
    VM_MAP(SF_MEGA, 0x80000000, LEAF_RW, LVL_2M)
    /* a value in the second 2 MiB of RAM, for the remapped megapage */
    li a1, 0x80200000 + 0x1230
    li a2, HIGH_MAGIC
    sd a2, 0(a1)

    SATP_ON(s3, SATP_MODE_SV39, s0)

    /* ============================================================================================
     * 1. A and D, written back to the PTE in memory (4.3.2 step 7)
     * ========================================================================================== */

    /* a load sets A, not D */
    li TESTNUM, 2
    ENTER_S
    li a1, TP(0)
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, A0)
    AD_OF(TP(0), LVL_4K)
    EXPECT(a0, PTE_A)

    /* a store sets A and D at once */
    li TESTNUM, 3
    ENTER_S
    li a1, TP(1)
    sd zero, 0x100(a1)
    BACK_TO_M
    AD_OF(TP(1), LVL_4K)
    EXPECT(a0, PTE_A | PTE_D)

    /* a store to a page with A = 1, D = 0 sets D */
    li TESTNUM, 4
    ENTER_S
    li a1, TP(2)
    sd zero, 0x108(a1)
    BACK_TO_M
    AD_OF(TP(2), LVL_4K)
    EXPECT(a0, PTE_A | PTE_D)

    /* an instruction fetch sets A (and not D) */
    li TESTNUM, 5
    ENTER_S
    li a3, TP(3)
    jalr a3
    BACK_TO_M
    EXPECT(a0, MAGIC)
    AD_OF(TP(3), LVL_4K)
    EXPECT(a0, PTE_A)

    /* a store that page-faults (W = 0) sets neither A nor D: the walk stops before step 7 */
    li TESTNUM, 6
    ENTER_S
    li a1, TP(4)
    TRAP_EXPECTED(1: sd zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_PAGE_FAULT)
    EXPECT(s9, TP(4))
    AD_OF(TP(4), LVL_4K)
    EXPECT(a0, 0)

    /* with A and D already set, accesses leave the PTE exactly as it was */
    li TESTNUM, 7
    VM_PTE_ADDR(TP(5), LVL_4K)
    mv s4, a0
    ld s5, 0(a0)
    ENTER_S
    li a1, TP(5)
    ld a0, 0(a1)
    sd a0, 0(a1)
    BACK_TO_M
    ld a0, 0(s4)
    EXPECT_EQ(a0, s5)

    /* a load, then a store to the same page: the store must still set D (a translation cached by the
     * load, with D = 0, cannot be used for the store as is) */
    li TESTNUM, 8
    ENTER_S
    li a1, TP(6)
    ld a0, 0(a1)
    ld a0, 8(a1)
    BACK_TO_M
    AD_OF(TP(6), LVL_4K)
    EXPECT(a0, PTE_A)
    li TESTNUM, 9
    ENTER_S
    li a1, TP(6)
    ld a0, 0(a1)
    sd a0, 0x110(a1)
    BACK_TO_M
    AD_OF(TP(6), LVL_4K)
    EXPECT(a0, PTE_A | PTE_D)

    /* S access to a U page (SUM = 1) updates A and D too */
    li TESTNUM, 10
    li t0, MSTATUS_SUM; csrs mstatus, t0
    ENTER_S
    li a1, TP(7)
    sd zero, 0x118(a1)
    BACK_TO_M
    li t0, MSTATUS_SUM; csrc mstatus, t0
    AD_OF(TP(7), LVL_4K)
    EXPECT(a0, PTE_A | PTE_D)

    /* A cleared by software (then SFENCE.VMA) is set again by the next access */
    li TESTNUM, 11
    ENTER_S
    li a1, TP(8)
    ld a0, 0(a1)
    BACK_TO_M
    AD_OF(TP(8), LVL_4K)
    EXPECT(a0, PTE_A)
    VM_PTE_ADDR(TP(8), LVL_4K)
    ld t0, 0(a0)
    andi t0, t0, ~PTE_A
    sd t0, 0(a0)
    ENTER_S
    li a1, TP(8)
    sfence.vma a1, zero
    ld a0, 8(a1)
    BACK_TO_M
    AD_OF(TP(8), LVL_4K)
    EXPECT(a0, PTE_A)

    /* an AMO sets A and D; LR alone (a load) sets only A */
    li TESTNUM, 12
    ENTER_S
    li a1, TP(9) + 0x120
    li a2, 1
    amoadd.d a0, a2, (a1)
    li a1, TP(10)
    lr.d a0, (a1)
    BACK_TO_M
    AD_OF(TP(9), LVL_4K)
    EXPECT(a0, PTE_A | PTE_D)
    AD_OF(TP(10), LVL_4K)
    EXPECT(a0, PTE_A)

    /* superpage leaves get A and D too: a store through a 2 MiB leaf, a load through a 1 GiB leaf */
    li TESTNUM, 13
    ENTER_S
    la a1, data_a
    li t0, AD_MEGA - 0x80000000
    add a1, a1, t0
    sd zero, 0x128(a1)
    la a1, data_a
    li t0, AD_GIGA - 0x80000000
    add a1, a1, t0
    ld a0, 0(a1)
    BACK_TO_M
    AD_OF(AD_MEGA, LVL_2M)
    EXPECT(a0, PTE_A | PTE_D)
    AD_OF(AD_GIGA, LVL_1G)
    EXPECT(a0, PTE_A)

    /* the non-leaf PTEs on those walks are left as they were (V only): A, D, U are reserved there */
    li TESTNUM, 14
    VM_PTE_ADDR(T, LVL_1G)
    ld a0, 0(a0)
    andi a0, a0, 0x3ff
    EXPECT(a0, PTE_V)
    VM_PTE_ADDR(T, LVL_2M)
    ld a0, 0(a0)
    andi a0, a0, 0x3ff
    EXPECT(a0, PTE_V)

    /* ============================================================================================
     * 2. SFENCE.VMA (4.2.1): a changed PTE is used after the fence. Each case first uses the old
     *    mapping (which a TLB may then hold), changes the PTE from M-mode, fences in S-mode.
     * ========================================================================================== */

    /* rs1 = the address, rs2 = x0 */
    li TESTNUM, 20
    ENTER_S
    li a1, TP(16)
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, A0)
    VM_MAP_LA(TP(16), data_b, LEAF_RW, LVL_4K)
    ENTER_S
    li a1, TP(16)
    sfence.vma a1, zero
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, B0)

    /* with an ASID: satp.ASID = 1 (or whatever the implemented ASID bits keep of it, 4.1.11), then
     * rs1 = the address, rs2 = that ASID */
    li TESTNUM, 21
    srli t0, s0, 12
    li t1, SATP_MODE_SV39 | (1 << SATP_ASID_SHIFT)
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
    csrr t0, satp
    slli t0, t0, 4
    srli s4, t0, 48                         /* s4 = satp.ASID as read back */
    ENTER_S
    li a1, TP(17)
    ld a0, 8(a1)
    BACK_TO_M
    EXPECT(a0, A1)
    VM_MAP_LA(TP(17), data_b, LEAF_RW, LVL_4K)
    ENTER_S
    li a1, TP(17)
    sfence.vma a1, s4
    ld a0, 8(a1)
    BACK_TO_M
    EXPECT(a0, B1)

    /* rs1 = x0, rs2 = the ASID: every non-global mapping of that address space */
    li TESTNUM, 22
    ENTER_S
    li a1, TP(18)
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, A0)
    VM_MAP_LA(TP(18), data_b, LEAF_RW, LVL_4K)
    ENTER_S
    li a1, TP(18)
    sfence.vma zero, s4
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, B0)
    SATP_ON(s3, SATP_MODE_SV39, s0)        /* back to ASID 0 */

    /* rs1 = rs2 = x0: everything */
    li TESTNUM, 23
    ENTER_S
    li a1, TP(19)
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, A0)
    VM_MAP_LA(TP(19), data_b, LEAF_RW, LVL_4K)
    ENTER_S
    li a1, TP(19)
    sfence.vma
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, B0)

    /* a global mapping (G = 1) and SFENCE.VMA with rs1 = the address, rs2 = x0 */
    li TESTNUM, 24
    ENTER_S
    li a1, TP(20)
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, A0)
    VM_MAP_LA(TP(20), data_b, LEAF_RW | PTE_G, LVL_4K)
    ENTER_S
    li a1, TP(20)
    sfence.vma a1, zero
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, B0)

    /* instruction fetch: the code page behind a VA is swapped; after the fence the new code runs
     * (no FENCE.I needed: no instruction memory was written) */
    li TESTNUM, 25
    ENTER_S
    li a3, TP(21)
    jalr a3
    BACK_TO_M
    EXPECT(a0, 1)
    VM_MAP_LA(TP(21), code_page2, LEAF_X, LVL_4K)
    ENTER_S
    li a3, TP(21)
    sfence.vma a3, zero
    jalr a3
    BACK_TO_M
    EXPECT(a0, 2)
    li TESTNUM, 26
    VM_MAP_LA(TP(21), code_page1, LEAF_X, LVL_4K)
    ENTER_S
    sfence.vma
    li a3, TP(21)
    jalr a3
    BACK_TO_M
    EXPECT(a0, 1)

    /* a valid mapping made invalid: after the fence, the access page-faults */
    li TESTNUM, 27
    ENTER_S
    li a1, TP(22)
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, A0)
    VM_MAP_LA(TP(22), data_a, 0, LVL_4K)
    ENTER_S
    li a1, TP(22)
    sfence.vma a1, zero
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, TP(22))

    /* permissions reduced (RW -> R): after the fence, the store page-faults */
    li TESTNUM, 28
    ENTER_S
    li a1, TP(23)
    sd zero, 0x130(a1)
    BACK_TO_M
    VM_MAP_LA(TP(23), data_a, LEAF_R, LVL_4K)
    ENTER_S
    li a1, TP(23)
    sfence.vma a1, zero
    TRAP_EXPECTED(1: sd zero, 0x130(a1))
    EXPECT_M_TRAP(CAUSE_STORE_PAGE_FAULT)
    EXPECT(s9, TP(23) + 0x130)

    /* a 2 MiB leaf moved to another physical 2 MiB; the fence names an address inside it */
    li TESTNUM, 29
    ENTER_S
    li a1, SF_MEGA + 0x1230
    ld a0, 0(a1)
    BACK_TO_M
    li a1, 0x80001230
    ld a1, 0(a1)
    EXPECT_EQ(a0, a1)
    VM_MAP(SF_MEGA, 0x80200000, LEAF_RW, LVL_2M)
    ENTER_S
    li a1, SF_MEGA + 0x1230
    sfence.vma a1, zero
    ld a0, 0(a1)
    BACK_TO_M
    EXPECT(a0, HIGH_MAGIC)

    /* S-mode switches satp itself (TVM = 0): another tree, where VA_SW maps data_b; and back */
    li TESTNUM, 30
    srli a4, s1, 12
    li t0, SATP_MODE_SV39
    or a4, a4, t0
    ENTER_S
    li a1, VA_SW
    ld a0, 0(a1)
    csrrw a5, satp, a4
    sfence.vma
    ld a2, 0(a1)
    csrw satp, a5
    sfence.vma
    ld a3, 0(a1)
    BACK_TO_M
    EXPECT(a0, A0)
    EXPECT(a2, B0)
    EXPECT(a3, A0)
    EXPECT_EQ(a5, s3)

    /* SFENCE.VMA in U-mode: illegal instruction (4.2.1) */
    li TESTNUM, 31
    csrw satp, zero
    ENTER_U
    TRAP_EXPECTED(1: sfence.vma)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT_PC(s10, 1b)
    SATP_ON(s3, SATP_MODE_SV39, s0)

    /* mstatus.TVM = 1: SFENCE.VMA and satp accesses in S-mode are illegal (3.1.6.5) */
    li TESTNUM, 32
    li t0, MSTATUS_TVM; csrs mstatus, t0
    ENTER_S
    TRAP_EXPECTED(1: sfence.vma)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT_PC(s10, 1b)
    li TESTNUM, 33
    ENTER_S
    TRAP_EXPECTED(1: csrr a0, satp)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    EXPECT_PC(s10, 1b)
    li TESTNUM, 34
    ENTER_S
    TRAP_EXPECTED(1: csrw satp, zero)
    EXPECT_M_TRAP(CAUSE_ILLEGAL_INSTRUCTION)
    li t0, MSTATUS_TVM; csrc mstatus, t0
    csrr a0, satp
    EXPECT_EQ(a0, s3)                       /* the illegal write changed nothing */

    /* ============================================================================================
     * 3. MPRV (3.1.6.3): "When MPRV=1, load and store memory addresses are translated and protected,
     *    and endianness is applied, as though the current privilege mode were set to MPP. Instruction
     *    address-translation and protection are unaffected." The MPRV tree (s2) does not map the
     *    program: M keeps fetching from physical addresses.
     * ========================================================================================== */
#define MPRV_ON(mpp) \
    li t0, MSTATUS_MPP; csrc mstatus, t0; li t0, MSTATUS_MPRV | ((mpp) << 11); csrs mstatus, t0
#define MPRV_OFF li t0, MSTATUS_MPRV; csrc mstatus, t0

    /* MPP = S: a load and a store through the MPRV tree */
    li TESTNUM, 40
    SATP_ON(a1, SATP_MODE_SV39, s2)
    li a2, 0x600d600d600d600d
    MPRV_ON(PRV_S)
    li a1, TP(32)
    ld a0, 8(a1)
    sd a2, 0x138(a1)
    MPRV_OFF
    EXPECT(a0, A1)
    la a1, data_a
    ld a0, 0x138(a1)
    EXPECT_EQ(a0, a2)

    /* an AMO and LR/SC are translated too */
    li TESTNUM, 41
    MPRV_ON(PRV_S)
    li a1, TP(32) + 0x140
    sd zero, 0(a1)
    li a2, 3
    amoadd.d zero, a2, (a1)
    lr.d a3, (a1)
    addi a3, a3, 4
    sc.d a4, a3, (a1)
    MPRV_OFF
    EXPECT(a4, 0)
    la a1, data_a
    ld a0, 0x140(a1)
    EXPECT(a0, 7)

    /* a physical address is not mapped in the tree: load page fault, mtval = that address; the trap
     * leaves MPRV set and MPP = M (trapped from M), so the handler itself is not translated */
    li TESTNUM, 42
    MPRV_ON(PRV_S)
    la a1, data_a
    TRAP_EXPECTED(1: ld a0, 0(a1))
    MPRV_OFF
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT_EQ(s9, a1)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPRV | MSTATUS_MPP, MSTATUS_MPRV | MSTATUS_MPP)

    /* MPP = S: a U page needs SUM */
    li TESTNUM, 43
    MPRV_ON(PRV_S)
    li a1, TP(33)
    TRAP_EXPECTED(1: ld a0, 0(a1))
    MPRV_OFF
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, TP(33))
    li TESTNUM, 44
    MPRV_ON(PRV_S)
    li t0, MSTATUS_SUM; csrs mstatus, t0
    li a1, TP(33)
    ld a0, 0(a1)
    li t0, MSTATUS_SUM; csrc mstatus, t0
    MPRV_OFF
    EXPECT(a0, A0)

    /* MPP = U: U pages are accessible, S pages are not */
    li TESTNUM, 45
    MPRV_ON(PRV_U)
    li a1, TP(33)
    ld a0, 8(a1)
    MPRV_OFF
    EXPECT(a0, A1)
    li TESTNUM, 46
    MPRV_ON(PRV_U)
    li a1, TP(32)
    TRAP_EXPECTED(1: sd zero, 0(a1))
    MPRV_OFF
    EXPECT_M_TRAP(CAUSE_STORE_PAGE_FAULT)
    EXPECT(s9, TP(32))

    /* MPP = S with MXR: an execute-only page becomes readable */
    li TESTNUM, 47
    MPRV_ON(PRV_S)
    li a1, TP(34)
    TRAP_EXPECTED(1: lw a0, 0(a1))
    MPRV_OFF
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, TP(34))
    li TESTNUM, 48
    MPRV_ON(PRV_S)
    li t0, MSTATUS_MXR; csrs mstatus, t0
    li a1, TP(34)
    lw a0, 0(a1)
    li t0, MSTATUS_MXR; csrc mstatus, t0
    MPRV_OFF
    la a1, code_page
    lw a1, 0(a1)
    EXPECT_EQ(a0, a1)

    /* MPRV translation sets A/D like any other (global page TP(35), A/D preset to 0 below) */
    li TESTNUM, 49
    VM_USE_ROOT(s2)
    VM_MAP_LA(TP(35), data_b, PTE_V | PTE_R | PTE_W | PTE_G, LVL_4K)
    sfence.vma
    MPRV_ON(PRV_S)
    li a1, TP(35)
    sd zero, 0x148(a1)
    MPRV_OFF
    AD_OF(TP(35), LVL_4K)
    EXPECT(a0, PTE_A | PTE_D)
    VM_USE_ROOT(s0)

    /* MPP = M: no translation even with MPRV = 1 */
    li TESTNUM, 50
    MPRV_ON(PRV_M)
    la a1, data_a
    ld a0, 0(a1)
    MPRV_OFF
    EXPECT(a0, A0)

    /* satp = Bare: MPRV with MPP = S accesses physical memory */
    li TESTNUM, 51
    csrw satp, zero
    sfence.vma
    MPRV_ON(PRV_S)
    la a1, data_b
    ld a0, 0(a1)
    MPRV_OFF
    EXPECT(a0, B0)

    /* MRET to a mode below M clears MPRV (3.1.6.1: "If y != M, xRET also sets MPRV=0", new in 1.12).
     * QEMU 7.2 leaves MPRV set. */
#ifndef PRIV_ON_QEMU
    li TESTNUM, 52
    SATP_ON(a1, SATP_MODE_SV39, s0)
    li t0, MSTATUS_MPRV; csrs mstatus, t0
    ENTER_S
    BACK_TO_M
    csrr a0, mstatus
    EXPECT_BITS(a0, MSTATUS_MPRV, 0)
#endif

TEST_END

    .text
    .balign 4096
code_page:
vm_func:
    auipc a1, 0
    li a0, MAGIC
    ret
    .balign 4096
code_page1:
    li a0, 1
    ret
    .balign 4096
code_page2:
    li a0, 2
    ret

    .data
    .balign 4096
data_a:
    .dword A0, A1
    .balign 4096
data_b:
    .dword B0, B1
    .balign 4096

VM_LIB
