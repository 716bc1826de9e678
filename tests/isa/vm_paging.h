/* What vm_sv39.S, vm_sv48.S and vm_sv57.S share: the paging modes differ in levels, leaf sizes
 * and canonical addresses, which each program sets up and tests itself, but most cases are the same
 * in every mode. A program defines VM_SATP_MODE (its satp MODE field) and the addresses its trees
 * map (IDENT, VA_GIGA, VA_MEGA, VA_HI, VA_CODE, VA_TOP, VA_LOTOP, VA_SW), builds the S tree in s0
 * and the U tree in s1, and includes, in this order:
 *   vm_paging_s.h    satp cases 3-5 and the S-mode cases 10-22 (sections 1-2; after its own case 2)
 *   vm_paging_u.h    U-mode cases 30-35, M-mode and Bare cases 40-41 (sections 3-4; after its own
 *                    S-mode cases from 23)
 *   vm_paging_end.h  TEST_END, the helpers and the data the cases use (after its own cases 50+)
 */
#include "vm.h"

#define A0 0x1111111111111111
#define A1 0x2222222222222222
#define A2 0x3333333333333333
#define ALAST 0x0a0b0c0d0e0f1011
#define B0 0x4444444444444444
#define BLAST 0x5555555555555555
#define MAGIC 0x5a5

/* a1 = address of `label` seen through the alias at `va` of physical 0x8000_0000 */
#define LA_ALIAS(reg, label, va) la reg, label; li t6, (va) - 0x80000000; add reg, reg, t6
