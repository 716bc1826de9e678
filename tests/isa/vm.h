/* Shared macros and helpers for the virtual-memory test programs (tests/isa/vm_*.S).
 * Spec: RISC-V Privileged Architecture 1.12 (20211203): 4.1.11 (satp), 4.3 (Sv32 rules that Sv39/48/57
 * inherit: PTE format 4.3.1, translation process 4.3.2), 4.4-4.6 (Sv39/Sv48/Sv57), 3.1.6.3 (MPRV, MXR,
 * SUM), 3.7 (PMP), 4.2.1 (SFENCE.VMA).
 *
 * On top of priv.h's frame (trap handlers recording s6..s11, TRAP_EXPECTED, ENTER_S/U, BACK_TO_M,
 * PRIV_ON_QEMU), this adds:
 *
 *  - PTE and satp constants;
 *  - a run-time page-table builder, used from M-mode (physical addressing):
 *        VM_INIT(levels)                  forget every table; levels = 3 (Sv39), 4 (Sv48), 5 (Sv57)
 *        VM_NEW_ROOT(reg)                 allocate a zeroed root table, make it current, reg = its address
 *        VM_USE_ROOT(reg)                 make the root at address reg current
 *        VM_MAP(va, pa, flags, level)     write a leaf for va in the current tree at `level` (0 = 4 KiB,
 *        VM_MAP_LA(va, label, flags, level)   1 = 2 MiB, 2 = 1 GiB, 3 = 512 GiB, 4 = 256 TiB), creating
 *                                         pointer PTEs (V only) on the way; a0 = the leaf PTE's address.
 *                                         `flags` is OR-ed into the PTE as is (bits 9:0 and 63:54).
 *        VM_PTE_ADDR(va, level)           a0 = address of the PTE for va at `level` (tables must exist)
 *        SATP_ON(reg, mode, rootreg)      reg = satp = mode | PPN(rootreg); sfence.vma (reg != t6)
 *        MAKE_PTE(reg, pa, flags)         reg = the PTE for physical address pa (a register)
 *    Tables come from a pool in .bss (VM_POOL_PAGES pages). Helpers clobber ra, t0-t4, a0-a5.
 *  - vm_strap_rec: an S-mode trap handler for programs whose S code runs from an alias of the
 *    program: it copies scause/stval/sepc/sstatus to s2/s3/s4/s5 and does ECALL, which (not delegated)
 *    enters priv_mtrap, which resumes at s7 in M-mode (s8 = 9, ecall from S).
 *
 * Include VM_LIB once, after TEST_END.
 */
#ifndef EMU_VM_H
#define EMU_VM_H

#include "priv.h"

/* ---- exception codes (3.1.15) ------------------------------------------------------------------ */
#define CAUSE_FETCH_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT  13
#define CAUSE_STORE_PAGE_FAULT 15

/* ---- PTE fields (4.3.1, 4.4.1) ----------------------------------------------------------------- */
#define PTE_V 0x001
#define PTE_R 0x002
#define PTE_W 0x004
#define PTE_X 0x008
#define PTE_U 0x010
#define PTE_G 0x020
#define PTE_A 0x040
#define PTE_D 0x080
#define PTE_RSW 0x300                    /* reserved for supervisor software: ignored by the walk */
#define PTE_RSV54 0x0040000000000000     /* bit 54: reserved (bits 60:54) */
#define PTE_RSV60 0x1000000000000000     /* bit 60: reserved */
#define PTE_PBMT_NC 0x2000000000000000   /* bits 62:61 = 1 (Svpbmt NC): reserved without Svpbmt */
#define PTE_N 0x8000000000000000         /* bit 63 (Svnapot N): reserved without Svnapot */

/* Usual leaves: A and D preset, so that hardware A/D updating plays no part unless a test wants it. */
#define LEAF_RWX  (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define LEAF_RW   (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define LEAF_R    (PTE_V | PTE_R | PTE_A)
#define LEAF_RX   (PTE_V | PTE_R | PTE_X | PTE_A)
#define LEAF_X    (PTE_V | PTE_X | PTE_A)
#define ULEAF_RWX (LEAF_RWX | PTE_U)
#define ULEAF_RW  (LEAF_RW | PTE_U)
#define ULEAF_R   (LEAF_R | PTE_U)
#define ULEAF_RX  (LEAF_RX | PTE_U)
#define ULEAF_X   (LEAF_X | PTE_U)

#define LVL_4K   0
#define LVL_2M   1
#define LVL_1G   2
#define LVL_512G 3
#define LVL_256T 4

/* ---- satp (4.1.11) ----------------------------------------------------------------------------- */
#define SATP_MODE_BARE 0
#define SATP_MODE_SV39 (8 << 60)
#define SATP_MODE_SV48 (9 << 60)
#define SATP_MODE_SV57 (10 << 60)
#define SATP_ASID_SHIFT 44

/* Physical memory with nothing behind it, on QEMU's spike machine and on emu's (virt) map. */
#define UNBACKED_PA 0x40000000

#ifndef VM_POOL_PAGES
#define VM_POOL_PAGES 96
#endif

/* ---- page-table builder (M-mode only) ---------------------------------------------------------- */
#define VM_INIT(levels)      li a0, levels; call vm_init
#define VM_NEW_ROOT(reg)     call vm_new_root; mv reg, a0
#define VM_USE_ROOT(reg)     mv a0, reg; call vm_use_root
#define VM_MAP(va, pa, flags, level) \
    li a0, va; li a1, pa; li a2, flags; li a3, level; call vm_map
#define VM_MAP_LA(va, label, flags, level) \
    li a0, va; la a1, label; li a2, flags; li a3, level; call vm_map
#define VM_PTE_ADDR(va, level) li a0, va; li a3, level; call vm_pte_addr
#define SATP_ON(reg, mode, rootreg) \
    srli reg, rootreg, 12; li t6, mode; or reg, reg, t6; csrw satp, reg; sfence.vma

/* The PTE value for physical address `pa` (a register) with `flags`, into `reg`. */
#define MAKE_PTE(reg, pa, flags) srli reg, pa, 12; slli reg, reg, 10; li t6, flags; or reg, reg, t6

#define VM_LIB                                                                     \
    .text;                                                                         \
    /* vm_init: a0 = number of levels */                                           \
vm_init:                                                                           \
    la t0, vm_state;                                                               \
    sd zero, 0(t0);                                                                \
    sd a0, 8(t0);                                                                  \
    la t1, vm_pool;                                                                \
    sd t1, 16(t0);                                                                 \
    ret;                                                                           \
    /* vm_alloc: a0 = a fresh zeroed page of the pool. Clobbers t0, t1, a0. */     \
vm_alloc:                                                                          \
    la t0, vm_state;                                                               \
    ld a0, 16(t0);                                                                 \
    la t1, vm_pool_end;                                                            \
    bgeu a0, t1, vm_pool_exhausted;                                                \
    li t1, 4096;                                                                   \
    add t1, a0, t1;                                                                \
    sd t1, 16(t0);                                                                 \
    mv t0, a0;                                                                     \
1:  sd zero, 0(t0);                                                                \
    addi t0, t0, 8;                                                                \
    bltu t0, t1, 1b;                                                               \
    ret;                                                                           \
vm_pool_exhausted:                                                                 \
    li TESTNUM, 199;                                                               \
    j fail;                                                                        \
vm_new_root:                                                                       \
    addi sp, sp, -16;                                                              \
    sd ra, 0(sp);                                                                  \
    call vm_alloc;                                                                 \
    ld ra, 0(sp);                                                                  \
    addi sp, sp, 16;                                                               \
vm_use_root:                                                                       \
    la t0, vm_state;                                                               \
    sd a0, 0(t0);                                                                  \
    ret;                                                                           \
    /* vm_walk_to: a0 = va, a3 = level; a4 = address of the PTE at that level,     \
     * creating pointer PTEs (V only) above it if a5 != 0, else failing with 198   \
     * on a missing one. Fails with 197 when a leaf is in the way. */              \
vm_walk_to:                                                                        \
    addi sp, sp, -32;                                                              \
    sd ra, 0(sp);                                                                  \
    la t0, vm_state;                                                               \
    ld t1, 0(t0);                 /* table */                                      \
    ld t2, 8(t0);                                                                  \
    addi t2, t2, -1;              /* i = LEVELS - 1 */                             \
1:  slli t3, t2, 3;                                                                \
    add t3, t3, t2;                                                                \
    addi t3, t3, 12;              /* 12 + 9 i */                                   \
    srl a4, a0, t3;                                                                \
    andi a4, a4, 0x1ff;                                                            \
    slli a4, a4, 3;                                                                \
    add a4, a4, t1;               /* &table[va.vpn[i]] */                          \
    beq t2, a3, 3f;                                                                \
    ld t3, 0(a4);                                                                  \
    andi t0, t3, PTE_V;                                                            \
    bnez t0, 2f;                                                                   \
    beqz a5, vm_missing_table;                                                     \
    sd a0, 8(sp);                                                                  \
    call vm_alloc;                                                                 \
    srli t3, a0, 12;                                                               \
    slli t3, t3, 10;                                                               \
    ori t3, t3, PTE_V;                                                             \
    sd t3, 0(a4);                                                                  \
    ld a0, 8(sp);                                                                  \
2:  andi t0, t3, (PTE_R | PTE_W | PTE_X);                                          \
    bnez t0, vm_leaf_in_the_way;                                                   \
    slli t3, t3, 10;                                                               \
    srli t3, t3, 20;                                                               \
    slli t1, t3, 12;              /* next table = pte.ppn * PAGESIZE */            \
    addi t2, t2, -1;                                                               \
    j 1b;                                                                          \
3:  ld ra, 0(sp);                                                                  \
    addi sp, sp, 32;                                                               \
    ret;                                                                           \
vm_missing_table:                                                                  \
    li TESTNUM, 198;                                                               \
    j fail;                                                                        \
vm_leaf_in_the_way:                                                                \
    li TESTNUM, 197;                                                               \
    j fail;                                                                        \
    /* vm_map: a0 = va, a1 = pa, a2 = flags, a3 = level; a0 = &leaf PTE */         \
vm_map:                                                                            \
    addi sp, sp, -16;                                                              \
    sd ra, 0(sp);                                                                  \
    li a5, 1;                                                                      \
    call vm_walk_to;                                                               \
    ld ra, 0(sp);                                                                  \
    addi sp, sp, 16;                                                               \
    srli t0, a1, 12;                                                               \
    slli t0, t0, 10;                                                               \
    or t0, t0, a2;                                                                 \
    sd t0, 0(a4);                                                                  \
    mv a0, a4;                                                                     \
    ret;                                                                           \
    /* vm_pte_addr: a0 = va, a3 = level; a0 = &PTE */                              \
vm_pte_addr:                                                                       \
    addi sp, sp, -16;                                                              \
    sd ra, 0(sp);                                                                  \
    li a5, 0;                                                                      \
    call vm_walk_to;                                                               \
    ld ra, 0(sp);                                                                  \
    addi sp, sp, 16;                                                               \
    mv a0, a4;                                                                     \
    ret;                                                                           \
    /* S-mode handler for code running from an alias: see the header comment. */   \
    .align 6;                                                                      \
vm_strap_rec:                                                                      \
    csrr s2, scause;                                                               \
    csrr s3, stval;                                                                \
    csrr s4, sepc;                                                                 \
    csrr s5, sstatus;                                                              \
    ecall;                                                                         \
    j vm_strap_rec;                                                                \
    .data;                                                                         \
    .align 3;                                                                      \
vm_state: .dword 0, 0, 0;     /* current root, levels, next free pool page */      \
    .bss;                                                                          \
    .align 12;                                                                     \
vm_pool: .skip 4096 * VM_POOL_PAGES;                                               \
vm_pool_end:                                                                       \
    .text

#endif
