/* Virtual memory faults (Sv39): every page-fault and access-fault cause that translation can raise,
 * with xtval (the faulting virtual address, 3.1.16 / 4.1.9) and xepc (the faulting instruction).
 *
 * Rules checked (privileged spec 1.12): the translation process 4.3.2 (steps 2-6), the PTE rules of
 * 4.3.1 (encodings of R/W/X, U with SUM, X with MXR, reserved bits and encodings, non-leaf D/A/U
 * reserved), canonical addresses (4.4.1), the exception codes of table 3.6 (1/5/7 access fault,
 * 12/13/15 page fault; "AMOs raise store page faults"), delegation through medeleg (3.1.8).
 *
 * Two trees (vm.h builder): s0 = root of the S tree, identity 1 GiB leaf with U=0; s1 = root of the
 * U tree, identity leaf with U=1 plus an S-only alias of the program at VA 0xc000_0000 (for the S
 * trap handler of section 6). Both trees hold the same test pages, at T + n * 4 KiB.
 *
 * Physical addresses with nothing behind them: UNBACKED_PA = 0x4000_0000 (vm.h).
 */
#include "vm.h"

#define IDENT   0x0000000080000000
#define ALIAS_S 0x00000000c0000000          /* U tree: S-only alias of the program (1 GiB) */
#define T       0x0000001000000000          /* test pages (VPN[2] = 0x40, VPN[1] = 0) */
#define TP(n)   (T + (n) * 0x1000)
#define MIS_2M  0x0000001000200000          /* 2 MiB leaf -> PA 0x8000_1000: misaligned */
#define MIS_1G  0x0000002000000000          /* 1 GiB leaf -> PA 0x8020_0000: ppn[1] != 0 */
#define MIS_1G0 0x0000002040000000          /* 1 GiB leaf -> PA 0x8000_1000: ppn[0] != 0 */
#define NL_U    0x0000003000000000          /* level-2 pointer with U = 1 */
#define NL_A    0x0000003040000000          /* level-1 pointer with A = 1 */
#define NL_D    0x0000003080000000          /* level-2 pointer with D = 1 */
#define NL_OK   0x00000030c0000000          /* the same kind of tree, clean: control */
#define PTE_UNBACKED 0x0000003800000000     /* level-2 pointer to a table at UNBACKED_PA */
#define NONCANON_LO 0x0000004000000000      /* bit 38 = 0, bit 39 = 1 */
#define NONCANON_HI 0xffffff8000000000      /* bits 63:39 = 1, bit 38 = 0 */

/* test pages */
#define P_NOX      TP(0)    /* code_page, RW, X = 0 */
#define P_UCODE    TP(1)    /* code_page, U RWX */
#define P_XONLY    TP(2)    /* code_page, X only */
#define P_INVALID  TP(3)    /* V = 0 (R W X A D set) */
#define P_RSV54    TP(4)    /* data_a RW + bit 54 */
#define P_PBMT     TP(5)    /* data_a RW + PBMT = NC (bits 62:61 = 1) */
#define P_NAPOT    TP(6)    /* data_a RW + N (bit 63) */
#define P_RONLY    TP(7)    /* data_a R */
#define P_WONLY    TP(8)    /* data_a, R = 0 W = 1 (reserved) */
#define P_WX       TP(9)    /* code_page, R = 0 W = 1 X = 1 (reserved) */
#define P_UNBACKED TP(10)   /* UNBACKED_PA, RWX */
#define P_UDATA    TP(11)   /* data_a, U RW */
#define P_UXONLY   TP(12)   /* code_page, U X only */
#define P_RSWG     TP(13)   /* data_a RW + RSW = 3 + G: both ignored */
#define P_RSV60    TP(14)   /* data_a RW + bit 60 */
#define P_PTR0     TP(15)   /* level-0 PTE with R = W = X = 0 (a "pointer" at the last level) */
#define P_STRADDLE TP(16)   /* straddle_page, X only; TP(17) is not mapped */
#define P_RW       TP(18)   /* data_a, S RW: control */

#define A0 0x1111111111111111
#define A1 0x2222222222222222
#define MAGIC 0x5a5

PRIV_BEGIN

    /* ---- build the trees ---- */
    VM_INIT(3)
    VM_NEW_ROOT(s0)
    VM_MAP(IDENT, 0x80000000, LEAF_RWX, LVL_1G)
    call map_test_pages
    /* non-leaf PTEs with D, A or U set (4.3.1: reserved for future standard use) */
    VM_MAP_LA(NL_U, data_a, LEAF_RW, LVL_4K)
    VM_MAP_LA(NL_A, data_a, LEAF_RW, LVL_4K)
    VM_MAP_LA(NL_D, data_a, LEAF_RW, LVL_4K)
    VM_MAP_LA(NL_OK, data_a, LEAF_RW, LVL_4K)
    VM_PTE_ADDR(NL_U, LVL_1G)
    ld t0, 0(a0); ori t0, t0, PTE_U; sd t0, 0(a0)
    VM_PTE_ADDR(NL_A, LVL_2M)
    ld t0, 0(a0); ori t0, t0, PTE_A; sd t0, 0(a0)
    VM_PTE_ADDR(NL_D, LVL_1G)
    ld t0, 0(a0); ori t0, t0, PTE_D; sd t0, 0(a0)
    /* a pointer to a table where nothing is */
    VM_MAP(PTE_UNBACKED, UNBACKED_PA, PTE_V, LVL_1G)

    VM_NEW_ROOT(s1)
    VM_MAP(IDENT, 0x80000000, ULEAF_RWX, LVL_1G)
    VM_MAP(ALIAS_S, 0x80000000, LEAF_RWX, LVL_1G)
    call map_test_pages

    SATP_ON(a1, SATP_MODE_SV39, s0)

    /* ============================================================================================
     * 1. Instruction page faults (cause 12): mtval = mepc = the target address
     * ========================================================================================== */

    /* fetch from a page with X = 0 (4.3.2 step 5) */
    li TESTNUM, 2
    ENTER_S
    li a3, P_NOX + 0x10
    TRAP_EXPECTED(jalr a3)
    EXPECT_M_TRAP(CAUSE_FETCH_PAGE_FAULT)
    EXPECT(s9, P_NOX + 0x10)
    EXPECT(s10, P_NOX + 0x10)
    EXPECT_BITS(s11, MSTATUS_MPP, MSTATUS_MPP_S)

    /* S fetch from a U page (U RWX): "the supervisor may not execute code on pages with U=1" */
    li TESTNUM, 3
    ENTER_S
    li a3, P_UCODE
    TRAP_EXPECTED(jalr a3)
    EXPECT_M_TRAP(CAUSE_FETCH_PAGE_FAULT)
    EXPECT(s9, P_UCODE)
    EXPECT(s10, P_UCODE)

    /* ... "irrespective of SUM" */
    li TESTNUM, 4
    li t0, MSTATUS_SUM; csrs mstatus, t0
    ENTER_S
    li a3, P_UCODE
    TRAP_EXPECTED(jalr a3)
    EXPECT_M_TRAP(CAUSE_FETCH_PAGE_FAULT)
    EXPECT(s9, P_UCODE)
    li t0, MSTATUS_SUM; csrc mstatus, t0

    /* fetch from an invalid PTE (V = 0, step 3) */
    li TESTNUM, 5
    ENTER_S
    li a3, P_INVALID + 0x100
    TRAP_EXPECTED(jalr a3)
    EXPECT_M_TRAP(CAUSE_FETCH_PAGE_FAULT)
    EXPECT(s9, P_INVALID + 0x100)
    EXPECT(s10, P_INVALID + 0x100)

    /* fetch from R = 0, W = 1, X = 1: a reserved encoding, whatever X says (step 3) */
    li TESTNUM, 6
    ENTER_S
    li a3, P_WX
    TRAP_EXPECTED(jalr a3)
    EXPECT_M_TRAP(CAUSE_FETCH_PAGE_FAULT)
    EXPECT(s9, P_WX)

    /* fetch from a non-canonical address (4.4.1) */
    li TESTNUM, 7
    ENTER_S
    li a3, NONCANON_LO
    TRAP_EXPECTED(jalr a3)
    EXPECT_M_TRAP(CAUSE_FETCH_PAGE_FAULT)
    EXPECT(s9, NONCANON_LO)
    EXPECT(s10, NONCANON_LO)

    /* a 32-bit instruction whose second half is on an unmapped page: mepc = its first byte, mtval =
     * "the virtual address of the portion of the instruction that caused the fault" (3.1.16) */
    li TESTNUM, 8
    ENTER_S
    li a3, P_STRADDLE + 0xffe
    TRAP_EXPECTED(jalr a3)
    EXPECT_M_TRAP(CAUSE_FETCH_PAGE_FAULT)
    EXPECT(s9, P_STRADDLE + 0x1000)
    EXPECT(s10, P_STRADDLE + 0xffe)

    /* control: 16-bit instructions at the end of the same page run (c.li a0, 9; c.j to the next,
     * unmapped page: fault at its start, mepc = mtval = the page) */
    li TESTNUM, 9
    ENTER_S
    li a0, 0
    li a3, P_STRADDLE + 0xff8
    TRAP_EXPECTED(jalr a3)
    EXPECT_M_TRAP(CAUSE_FETCH_PAGE_FAULT)
    EXPECT(s9, P_STRADDLE + 0x1000)
    EXPECT(s10, P_STRADDLE + 0x1000)
    EXPECT(a0, 9)

    /* ============================================================================================
     * 2. Load page faults (cause 13): mtval = the address, mepc = the load
     * ========================================================================================== */

    /* load from an execute-only page with MXR = 0 (4.3.1: "only loads from pages marked readable") */
    li TESTNUM, 10
    ENTER_S
    li a1, P_XONLY + 8
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, P_XONLY + 8)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, MSTATUS_MPP_S)

    /* ... with MXR = 1 it succeeds ("loads from pages marked either readable or executable") */
    li TESTNUM, 11
    li t0, MSTATUS_MXR; csrs mstatus, t0
    ENTER_S
    li a1, P_XONLY
    lw a0, 0(a1)
    BACK_TO_M
    li t0, MSTATUS_MXR; csrc mstatus, t0
    la a1, code_page
    lw a1, 0(a1)
    EXPECT_EQ(a0, a1)

    /* V = 0 (step 3) */
    li TESTNUM, 12
    ENTER_S
    li a1, P_INVALID
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, P_INVALID)
    EXPECT_PC(s10, 1b)

    /* reserved PTE bits 63:54 set (step 3: "any bits ... reserved for future standard use"): bit 54,
     * bit 60, PBMT (Svpbmt not implemented), N (Svnapot not implemented) */
    li TESTNUM, 13
    ENTER_S
    li a1, P_RSV54 + 0x18
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, P_RSV54 + 0x18)
    EXPECT_PC(s10, 1b)
    li TESTNUM, 14
    ENTER_S
    li a1, P_RSV60
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, P_RSV60)
    li TESTNUM, 15
    ENTER_S
    li a1, P_PBMT
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, P_PBMT)
    li TESTNUM, 16
    ENTER_S
    li a1, P_NAPOT
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, P_NAPOT)

    /* R = 0, W = 1: reserved encoding (step 3) */
    li TESTNUM, 17
    ENTER_S
    li a1, P_WONLY
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, P_WONLY)

    /* non-canonical addresses, both ways (4.4.1) */
    li TESTNUM, 18
    ENTER_S
    li a1, NONCANON_LO + 0x123
    TRAP_EXPECTED(1: lbu a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, NONCANON_LO + 0x123)
    EXPECT_PC(s10, 1b)
    li TESTNUM, 19
    ENTER_S
    li a1, NONCANON_HI
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, NONCANON_HI)

    /* misaligned superpages (step 6): 2 MiB leaf with ppn[0] != 0; 1 GiB leaf with ppn[1] != 0; 1 GiB
     * leaf with ppn[0] != 0 */
    li TESTNUM, 20
    ENTER_S
    li a1, MIS_2M + 0x2008
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, MIS_2M + 0x2008)
    EXPECT_PC(s10, 1b)
    li TESTNUM, 21
    ENTER_S
    li a1, MIS_1G + 0x10
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, MIS_1G + 0x10)
    li TESTNUM, 22
    ENTER_S
    li a1, MIS_1G0
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, MIS_1G0)

    /* a level-0 PTE with R = W = X = 0 is a pointer with no level left: page fault (step 4) */
    li TESTNUM, 23
    ENTER_S
    li a1, P_PTR0
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, P_PTR0)

    /* non-leaf PTEs with U, A or D set: "For non-leaf PTEs, the D, A, and U bits are reserved for
     * future standard use" (4.3.1), so step 3 raises a page fault */
    li TESTNUM, 24
    ENTER_S
    li a1, NL_U
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, NL_U)
    li TESTNUM, 25
    ENTER_S
    li a1, NL_A
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, NL_A)
    li TESTNUM, 26
    ENTER_S
    li a1, NL_D
    TRAP_EXPECTED(1: sd a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_PAGE_FAULT)
    EXPECT(s9, NL_D)

    /* controls: the same tree shape without those bits works; RSW and G in a leaf are ignored */
    li TESTNUM, 27
    ENTER_S
    li a1, NL_OK
    ld a0, 0(a1)
    li a1, P_RSWG
    ld a2, 8(a1)
    li a1, P_RW
    ld a3, 0(a1)
    BACK_TO_M
    EXPECT(a0, A0)
    EXPECT(a2, A1)
    EXPECT(a3, A0)

    /* a faulting load leaves its destination register alone */
    li TESTNUM, 28
    li a0, 0x77
    ENTER_S
    li a1, P_INVALID
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(a0, 0x77)

    /* ============================================================================================
     * 3. Store/AMO page faults (cause 15); the memory is left unchanged
     * ========================================================================================== */

    /* store to a read-only page (W = 0) */
    li TESTNUM, 30
    ENTER_S
    li a1, P_RONLY + 8
    li a2, -1
    TRAP_EXPECTED(1: sd a2, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_PAGE_FAULT)
    EXPECT(s9, P_RONLY + 8)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, MSTATUS_MPP_S)
    la a1, data_a
    ld a0, 8(a1)
    EXPECT(a0, A1)

    /* store to R = 0, W = 1: reserved, so a page fault even though W = 1 */
    li TESTNUM, 31
    ENTER_S
    li a1, P_WONLY
    TRAP_EXPECTED(1: sd zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_PAGE_FAULT)
    EXPECT(s9, P_WONLY)
    la a1, data_a
    ld a0, 0(a1)
    EXPECT(a0, A0)

    /* store to R = 0, W = 1, X = 1: reserved too */
    li TESTNUM, 32
    ENTER_S
    li a1, P_WX + 0x40
    TRAP_EXPECTED(1: sw zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_PAGE_FAULT)
    EXPECT(s9, P_WX + 0x40)

    /* store to V = 0 */
    li TESTNUM, 33
    ENTER_S
    li a1, P_INVALID + 0xff8
    TRAP_EXPECTED(1: sd zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_PAGE_FAULT)
    EXPECT(s9, P_INVALID + 0xff8)
    EXPECT_PC(s10, 1b)

    /* store to a non-canonical address */
    li TESTNUM, 34
    ENTER_S
    li a1, NONCANON_HI + 0x10
    TRAP_EXPECTED(1: sh zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_PAGE_FAULT)
    EXPECT(s9, NONCANON_HI + 0x10)

    /* an AMO on a read-only page raises a store page fault (table 3.6 note), memory unchanged */
    li TESTNUM, 35
    ENTER_S
    li a1, P_RONLY
    li a2, 1
    li a0, 0x55
    TRAP_EXPECTED(1: amoadd.d a0, a2, (a1))
    EXPECT_M_TRAP(CAUSE_STORE_PAGE_FAULT)
    EXPECT(s9, P_RONLY)
    EXPECT_PC(s10, 1b)
    EXPECT(a0, 0x55)
    la a1, data_a
    ld a0, 0(a1)
    EXPECT(a0, A0)

    /* LR on an execute-only page is a load: load page fault */
    li TESTNUM, 36
    ENTER_S
    li a1, P_XONLY
    TRAP_EXPECTED(1: lr.d a0, (a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, P_XONLY)

    /* store to a misaligned superpage; store to a PTE with a reserved bit */
    li TESTNUM, 37
    ENTER_S
    li a1, MIS_2M
    TRAP_EXPECTED(1: sd zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_PAGE_FAULT)
    EXPECT(s9, MIS_2M)
    li TESTNUM, 38
    ENTER_S
    li a1, P_RSV54
    TRAP_EXPECTED(1: sd zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_PAGE_FAULT)
    EXPECT(s9, P_RSV54)

    /* ============================================================================================
     * 4. Access faults (cause 1 / 5 / 7, tval = the virtual address): the translated address, or a
     *    PTE the walk must read, has nothing behind it (PMA violation, 4.3.2 steps 2 and 8)
     * ========================================================================================== */

    li TESTNUM, 40
    ENTER_S
    li a1, P_UNBACKED + 0x20
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT(s9, P_UNBACKED + 0x20)
    EXPECT_PC(s10, 1b)
    li TESTNUM, 41
    ENTER_S
    li a1, P_UNBACKED + 0x28
    TRAP_EXPECTED(1: sd zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_ACCESS)
    EXPECT(s9, P_UNBACKED + 0x28)
    EXPECT_PC(s10, 1b)
    li TESTNUM, 42
    ENTER_S
    li a3, P_UNBACKED + 0x40
    TRAP_EXPECTED(jalr a3)
    EXPECT_M_TRAP(CAUSE_FETCH_ACCESS)
    EXPECT(s9, P_UNBACKED + 0x40)
    EXPECT(s10, P_UNBACKED + 0x40)

    /* step 2: "If accessing pte violates a PMA or PMP check, raise an access-fault exception
     * corresponding to the original access type." The level-1 table is at UNBACKED_PA.
     * QEMU 7.2 raises a page fault here instead (its walker maps a failed PTE read to a page fault). */
#ifdef PRIV_ON_QEMU
#define PTE_PMA_LOAD  CAUSE_LOAD_PAGE_FAULT
#define PTE_PMA_STORE CAUSE_STORE_PAGE_FAULT
#define PTE_PMA_FETCH CAUSE_FETCH_PAGE_FAULT
#else
#define PTE_PMA_LOAD  CAUSE_LOAD_ACCESS
#define PTE_PMA_STORE CAUSE_STORE_ACCESS
#define PTE_PMA_FETCH CAUSE_FETCH_ACCESS
#endif
    li TESTNUM, 43
    ENTER_S
    li a1, PTE_UNBACKED + 0x8
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(PTE_PMA_LOAD)
    EXPECT(s9, PTE_UNBACKED + 0x8)
    EXPECT_PC(s10, 1b)
    li TESTNUM, 44
    ENTER_S
    li a1, PTE_UNBACKED + 0x10
    TRAP_EXPECTED(1: sd zero, 0(a1))
    EXPECT_M_TRAP(PTE_PMA_STORE)
    EXPECT(s9, PTE_UNBACKED + 0x10)
    li TESTNUM, 45
    ENTER_S
    li a3, PTE_UNBACKED + 0x2000
    TRAP_EXPECTED(jalr a3)
    EXPECT_M_TRAP(PTE_PMA_FETCH)
    EXPECT(s9, PTE_UNBACKED + 0x2000)
    EXPECT(s10, PTE_UNBACKED + 0x2000)

    /* the root table itself unbacked (satp.PPN = UNBACKED_PA >> 12): the very first S-mode fetch
     * after MRET faults, mepc = mtval = its address */
    li TESTNUM, 46
    li a1, SATP_MODE_SV39 | (UNBACKED_PA >> 12)
    csrw satp, a1
    sfence.vma
    la s7, 2f
    li s6, 0
    li t0, MSTATUS_MPP; csrc mstatus, t0
    li t0, MSTATUS_MPP_S; csrs mstatus, t0
    la a3, 1f
    csrw mepc, a3
    mret
1:  j fail
2:  SATP_ON(a1, SATP_MODE_SV39, s0)
    EXPECT_M_TRAP(PTE_PMA_FETCH)
    EXPECT_PC(s9, 1b)
    EXPECT_PC(s10, 1b)

    /* ============================================================================================
     * 5. Privilege: U=1 pages, SUM and MXR (4.3.1, 4.1.1.2)
     * ========================================================================================== */

    /* S load / store of a U page with SUM = 0: page faults */
    li TESTNUM, 50
    ENTER_S
    li a1, P_UDATA
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, P_UDATA)
    EXPECT_PC(s10, 1b)
    li TESTNUM, 51
    ENTER_S
    li a1, P_UDATA + 0x30
    TRAP_EXPECTED(1: sd zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_PAGE_FAULT)
    EXPECT(s9, P_UDATA + 0x30)

    /* with SUM = 1, S may load and store U pages */
    li TESTNUM, 52
    li t0, MSTATUS_SUM; csrs mstatus, t0
    li a2, 0x3141592653589793
    ENTER_S
    li a1, P_UDATA
    ld a0, 0(a1)
    sd a2, 0x30(a1)
    BACK_TO_M
    li t0, MSTATUS_SUM; csrc mstatus, t0
    EXPECT(a0, A0)
    la a1, data_a
    ld a0, 0x30(a1)
    EXPECT_EQ(a0, a2)

    /* MXR does not stand in for SUM: S load of a U execute-only page with MXR = 1, SUM = 0 faults;
     * with both set it succeeds */
    li TESTNUM, 53
    li t0, MSTATUS_MXR; csrs mstatus, t0
    ENTER_S
    li a1, P_UXONLY
    TRAP_EXPECTED(1: lw a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, P_UXONLY)
    li TESTNUM, 54
    li t0, MSTATUS_SUM; csrs mstatus, t0
    ENTER_S
    li a1, P_UXONLY
    lw a0, 0(a1)
    BACK_TO_M
    li t0, MSTATUS_SUM | MSTATUS_MXR; csrc mstatus, t0
    la a1, code_page
    lw a1, 0(a1)
    EXPECT_EQ(a0, a1)

    /* U-mode, in the U tree: "U-mode software may only access the page when U=1" */
    li TESTNUM, 55
    SATP_ON(a1, SATP_MODE_SV39, s1)
    ENTER_U
    li a1, P_RONLY                          /* an S page */
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, P_RONLY)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_MPP, 0)         /* trapped from U */
    li TESTNUM, 56
    ENTER_U
    li a1, P_RW + 8
    TRAP_EXPECTED(1: sd zero, 0(a1))
    EXPECT_M_TRAP(CAUSE_STORE_PAGE_FAULT)
    EXPECT(s9, P_RW + 8)
    EXPECT_PC(s10, 1b)
    li TESTNUM, 57
    ENTER_U
    li a3, P_XONLY                          /* S, X */
    TRAP_EXPECTED(jalr a3)
    EXPECT_M_TRAP(CAUSE_FETCH_PAGE_FAULT)
    EXPECT(s9, P_XONLY)
    EXPECT(s10, P_XONLY)

    /* controls: U loads, stores and fetches its own pages */
    li TESTNUM, 58
    ENTER_U
    li a1, P_UDATA
    ld a0, 8(a1)
    li a3, P_UCODE
    jalr a3
    BACK_TO_M
    EXPECT(a0, MAGIC)
    EXPECT(a1, P_UCODE)

    /* U fetch from a U page with X = 0 */
    li TESTNUM, 59
    ENTER_U
    li a3, P_UDATA
    TRAP_EXPECTED(jalr a3)
    EXPECT_M_TRAP(CAUSE_FETCH_PAGE_FAULT)
    EXPECT(s9, P_UDATA)

    /* MXR for U: a U execute-only page is readable with MXR = 1, not with MXR = 0 */
    li TESTNUM, 60
    ENTER_U
    li a1, P_UXONLY
    TRAP_EXPECTED(1: lw a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, P_UXONLY)
    li TESTNUM, 61
    li t0, MSTATUS_MXR; csrs mstatus, t0
    ENTER_U
    li a1, P_UXONLY
    lw a0, 0(a1)
    BACK_TO_M
    li t0, MSTATUS_MXR; csrc mstatus, t0
    la a1, code_page
    lw a1, 0(a1)
    EXPECT_EQ(a0, a1)

    /* SUM has no effect on U-mode: an S page stays out of reach */
    li TESTNUM, 62
    li t0, MSTATUS_SUM; csrs mstatus, t0
    ENTER_U
    li a1, P_RW
    TRAP_EXPECTED(1: ld a0, 0(a1))
    li t0, MSTATUS_SUM; csrc mstatus, t0
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, P_RW)

    /* ============================================================================================
     * 6. Delegation (3.1.8): with medeleg bits 12/13/15 (and 1/5/7) set, the faults of S and U go to
     *    S-mode, with scause, stval = the address, sepc, sstatus.SPP.
     * ========================================================================================== */
    li TESTNUM, 70
    SATP_ON(a1, SATP_MODE_SV39, s0)
    li t0, (1 << 12) | (1 << 13) | (1 << 15) | (1 << 1) | (1 << 5) | (1 << 7)
    csrw medeleg, t0
    ENTER_S
    li a1, P_INVALID + 0x30
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_S_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, P_INVALID + 0x30)
    EXPECT_PC(s10, 1b)
    EXPECT_BITS(s11, MSTATUS_SPP, MSTATUS_SPP)
    BACK_TO_M

    li TESTNUM, 71
    ENTER_S
    li a1, P_RONLY + 0x38
    TRAP_EXPECTED(1: sd zero, 0(a1))
    EXPECT_S_TRAP(CAUSE_STORE_PAGE_FAULT)
    EXPECT(s9, P_RONLY + 0x38)
    EXPECT_PC(s10, 1b)
    BACK_TO_M

    li TESTNUM, 72
    ENTER_S
    li a3, P_NOX + 0x20
    TRAP_EXPECTED(jalr a3)
    EXPECT_S_TRAP(CAUSE_FETCH_PAGE_FAULT)
    EXPECT(s9, P_NOX + 0x20)
    EXPECT(s10, P_NOX + 0x20)
    BACK_TO_M

    li TESTNUM, 73
    ENTER_S
    li a1, P_UNBACKED
    TRAP_EXPECTED(1: lw a0, 0(a1))
    EXPECT_S_TRAP(CAUSE_LOAD_ACCESS)
    EXPECT(s9, P_UNBACKED)
    EXPECT_PC(s10, 1b)
    BACK_TO_M

    /* from U, in the U tree: the S handler runs from the S-only alias of the program
     * (vm_strap_rec: s2..s5 = scause, stval, sepc, sstatus, then ECALL to M) */
    li TESTNUM, 74
    SATP_ON(a1, SATP_MODE_SV39, s1)
    la t0, vm_strap_rec
    li t1, ALIAS_S - IDENT
    add t0, t0, t1
    csrw stvec, t0
    li s2, 0
    ENTER_U
    li a1, P_RW + 0x18
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_SUPERVISOR_ECALL)
    EXPECT(s2, CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s3, P_RW + 0x18)
    EXPECT_PC(s4, 1b)
    EXPECT_BITS(s5, MSTATUS_SPP, 0)

    li TESTNUM, 75
    li s2, 0
    ENTER_U
    li a3, P_XONLY + 4
    TRAP_EXPECTED(jalr a3)
    EXPECT_M_TRAP(CAUSE_SUPERVISOR_ECALL)
    EXPECT(s2, CAUSE_FETCH_PAGE_FAULT)
    EXPECT(s3, P_XONLY + 4)
    EXPECT(s4, P_XONLY + 4)

    /* only the delegated causes go to S: with bit 13 clear, the load page fault of U goes to M */
    li TESTNUM, 76
    li t0, 1 << 13
    csrc medeleg, t0
    ENTER_U
    li a1, P_RW
    TRAP_EXPECTED(1: ld a0, 0(a1))
    EXPECT_M_TRAP(CAUSE_LOAD_PAGE_FAULT)
    EXPECT(s9, P_RW)
    EXPECT_PC(s10, 1b)

    PRIV_RESET
    SATP_ON(a1, SATP_MODE_SV39, s0)

TEST_END

/* Maps the test pages into the current tree. */
map_test_pages:
    addi sp, sp, -16
    sd ra, 0(sp)
    VM_MAP_LA(P_NOX, code_page, LEAF_RW, LVL_4K)
    VM_MAP_LA(P_UCODE, code_page, ULEAF_RWX, LVL_4K)
    VM_MAP_LA(P_XONLY, code_page, LEAF_X, LVL_4K)
    VM_MAP_LA(P_INVALID, data_a, LEAF_RWX & ~PTE_V, LVL_4K)
    VM_MAP_LA(P_RSV54, data_a, LEAF_RW | PTE_RSV54, LVL_4K)
    VM_MAP_LA(P_PBMT, data_a, LEAF_RW | PTE_PBMT_NC, LVL_4K)
    VM_MAP_LA(P_NAPOT, data_a, LEAF_RW | PTE_N, LVL_4K)
    VM_MAP_LA(P_RONLY, data_a, LEAF_R, LVL_4K)
    VM_MAP_LA(P_WONLY, data_a, PTE_V | PTE_W | PTE_A | PTE_D, LVL_4K)
    VM_MAP_LA(P_WX, code_page, PTE_V | PTE_W | PTE_X | PTE_A | PTE_D, LVL_4K)
    VM_MAP(P_UNBACKED, UNBACKED_PA, LEAF_RWX, LVL_4K)
    VM_MAP_LA(P_UDATA, data_a, ULEAF_RW, LVL_4K)
    VM_MAP_LA(P_UXONLY, code_page, ULEAF_X, LVL_4K)
    VM_MAP_LA(P_RSWG, data_a, LEAF_RW | PTE_RSW | PTE_G, LVL_4K)
    VM_MAP_LA(P_RSV60, data_a, LEAF_RW | PTE_RSV60, LVL_4K)
    VM_MAP_LA(P_PTR0, data_a, PTE_V, LVL_4K)
    VM_MAP_LA(P_STRADDLE, straddle_page, LEAF_X, LVL_4K)
    VM_MAP_LA(P_RW, data_a, LEAF_RW, LVL_4K)
    VM_MAP(MIS_2M, 0x80001000, LEAF_RWX, LVL_2M)
    VM_MAP(MIS_1G, 0x80200000, LEAF_RWX, LVL_1G)
    VM_MAP(MIS_1G0, 0x80001000, LEAF_RWX, LVL_1G)
    ld ra, 0(sp)
    addi sp, sp, 16
    ret

    /* code_page: vm_func returns a0 = MAGIC, a1 = its own pc */
    .balign 4096
code_page:
vm_func:
    auipc a1, 0
    li a0, MAGIC
    ret

    .data
    .balign 4096
data_a:
    .dword A0, A1
    .balign 4096
    /* straddle_page: `c.li a0, 9` at 0xff8, `c.j` to the next page at 0xffa, `c.nop` at 0xffc, then the
     * first half of a 32-bit instruction (addi a0, zero, 1: 0x00100513) at 0xffe */
straddle_page:
    .skip 0xff8
    .half 0x4525                            /* c.li a0, 9 */
    .half 0xa019                            /* c.j . + 6 */
    .half 0x0001                            /* c.nop */
    .half 0x0513
    .half 0x0010

VM_LIB
