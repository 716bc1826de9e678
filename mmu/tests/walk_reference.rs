//! Property test of the page-table walk: `emu_mmu::walk` against a reference walk written
//! directly, step by step, from the text of the privileged spec 1.12, section 4.3.2 "Virtual
//! Address Translation Process" (with the Sv39/Sv48/Sv57 formats of 4.4.1, 4.5.1 and 4.6.1 and the
//! PTE rules of 4.3.1).
//!
//! Random page tables are built in a small guest RAM (256 KiB at 0x8000_0000): a pool of table pages
//! linked by random "paths" (pointer PTEs at the upper levels, a leaf at a random level, with random
//! flags, good and bad targets, reserved bits...), plus random garbage entries. Random virtual
//! addresses (mostly along those paths, some made non-canonical, some fully random) are translated
//! with random access types and requesters, by both walks, on two copies of the same RAM; the
//! results (physical address, page size, leaf PTE or fault kind) and the whole RAM afterwards (A/D
//! bits written back) must agree. Some cases give the walk a PMP closure that denies the PTE reads or
//! the A/D write-back of one table page.

use emu_mmu::{walk, Access, PagingMode, Ram, Requester, WalkFault};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

const RAM_BASE: u64 = 0x8000_0000;
const RAM_SIZE: u64 = 256 << 10;
const RAM_PAGES: u64 = RAM_SIZE >> 12;
/// Table pages: the first POOL pages of RAM. Pool page 0 is the usual root.
const POOL: usize = 8;

/// 4.3.1: "For non-leaf PTEs, the D, A, and U bits are reserved for future standard use", and step 3
/// of 4.3.2 raises a page fault when "any bits or encodings that are reserved for future standard
/// use are set within pte". Spike and QEMU (since 7.0) fault on such pointer PTEs too.
const NONLEAF_DAU_RESERVED: bool = true;

// ---------------------------------------------------------------------------------------------
// The reference walk.
// ---------------------------------------------------------------------------------------------

/// PAGESIZE = 2^12 (4.3.2 step 1, and 4.4/4.5/4.6: "Sv39/48/57 ... with 4 KiB pages").
const PAGESIZE: u64 = 4096;
/// PTESIZE = 8 for Sv39, Sv48 and Sv57.
const PTESIZE: u64 = 8;

/// The fields of a PTE, as drawn in figures 4.21 (Sv39), 4.24 (Sv48) and 4.27 (Sv57).
struct PteFields {
    v: bool,
    r: bool,
    w: bool,
    x: bool,
    u: bool,
    a: bool,
    d: bool,
    /// Bits 63:54: "reserved for future standard use" (N and PBMT belong to Svnapot / Svpbmt,
    /// which are not implemented, so for this hart the whole field is reserved).
    reserved_63_54: u64,
    /// The PPN field, bits 53:10, as one number.
    ppn: u64,
    /// ppn[0..levels]: 9 bits each except the top one, which takes the rest of the 44 bits.
    ppn_i: [u64; 5],
}

fn bit(v: u64, n: u32) -> bool {
    (v >> n) & 1 == 1
}

fn field(v: u64, hi: u32, lo: u32) -> u64 {
    (v >> lo) & ((1u64 << (hi - lo + 1)) - 1)
}

fn decode_pte(pte: u64, levels: u32) -> PteFields {
    let mut ppn_i = [0u64; 5];
    for (i, slot) in ppn_i.iter_mut().enumerate().take(levels as usize) {
        let lo = 10 + 9 * i as u32;
        let hi = if i as u32 == levels - 1 { 53 } else { lo + 8 };
        *slot = field(pte, hi, lo);
    }
    PteFields {
        v: bit(pte, 0),
        r: bit(pte, 1),
        w: bit(pte, 2),
        x: bit(pte, 3),
        u: bit(pte, 4),
        a: bit(pte, 6),
        d: bit(pte, 7),
        reserved_63_54: field(pte, 63, 54),
        ppn: field(pte, 53, 10),
        ppn_i,
    }
}

/// va.vpn[i]: bits 12+9i+8 .. 12+9i of the virtual address.
fn va_vpn(va: u64, i: u32) -> u64 {
    field(va, 12 + 9 * i + 8, 12 + 9 * i)
}

/// The result of a translation: (physical address, log2 page size, final leaf PTE).
type RefResult = Result<(u64, u32, u64), WalkFault>;

fn ref_read_pte(mem: &Ram, addr: u64) -> Option<u64> {
    let b = mem.read_bytes(addr, 8)?;
    Some(u64::from_le_bytes(b.try_into().unwrap()))
}

#[allow(clippy::too_many_arguments)]
fn reference_walk(
    mem: &mut Ram,
    levels: u32,
    satp_ppn: u64,
    va: u64,
    access: Access,
    user: bool,
    sum: bool,
    mxr: bool,
    pmp_allows: &mut dyn FnMut(u64, bool) -> bool,
) -> RefResult {
    // 4.4.1 (and 4.5.1, 4.6.1): load and store effective addresses and fetch addresses "must have
    // bits 63–39 all equal to bit 38, or else a page-fault exception will occur" (63–48 / bit 47 for
    // Sv48, 63–57 / bit 56 for Sv57).
    let va_bits = 12 + 9 * levels;
    let msb = bit(va, va_bits - 1);
    for b in va_bits..64 {
        if bit(va, b) != msb {
            return Err(WalkFault::Page);
        }
    }

    // Step 1: let a be satp.ppn × PAGESIZE, and let i = LEVELS − 1.
    let mut a = satp_ppn * PAGESIZE;
    let mut i = levels as i64 - 1;
    loop {
        // Step 2: let pte be the value of the PTE at address a + va.vpn[i] × PTESIZE. If accessing
        // pte violates a PMA or PMP check, raise an access-fault exception.
        let pte_addr = a + va_vpn(va, i as u32) * PTESIZE;
        if !pmp_allows(pte_addr, false) {
            return Err(WalkFault::Access);
        }
        // Only RAM is behind the walk's physical addresses here: anything else violates a PMA.
        let Some(pte_val) = ref_read_pte(mem, pte_addr) else {
            return Err(WalkFault::Access);
        };
        let pte = decode_pte(pte_val, levels);

        // Step 3: if pte.v = 0, or if pte.r = 0 and pte.w = 1, or if any bits or encodings that are
        // reserved for future standard use are set within pte, stop and raise a page fault.
        if !pte.v || (!pte.r && pte.w) || pte.reserved_63_54 != 0 {
            return Err(WalkFault::Page);
        }
        let is_leaf = pte.r || pte.x;
        if !is_leaf && NONLEAF_DAU_RESERVED && (pte.d || pte.a || pte.u) {
            return Err(WalkFault::Page);
        }

        // Step 4: if pte.r = 1 or pte.x = 1, go to step 5. Otherwise this PTE is a pointer to the
        // next level: i = i − 1; if i < 0, page fault; otherwise a = pte.ppn × PAGESIZE, step 2.
        if !is_leaf {
            i -= 1;
            if i < 0 {
                return Err(WalkFault::Page);
            }
            a = pte.ppn * PAGESIZE;
            continue;
        }

        // Step 5: a leaf PTE has been found. Is the access allowed by pte.r/w/x/u, given the
        // privilege mode and mstatus.SUM/MXR (4.1.1.2 and 4.3.1)?
        let type_ok = match access {
            // "the X bit ... whether the page ... is executable"
            Access::Fetch => pte.x,
            // "When MXR=0, only loads from pages marked readable (R=1) will succeed. When MXR=1,
            // loads from pages marked either readable or executable (R=1 or X=1) will succeed."
            Access::Load => pte.r || (mxr && pte.x),
            Access::Store => pte.w,
        };
        let mode_ok = if user {
            // "U-mode software may only access the page when U=1."
            pte.u
        } else if pte.u {
            // "If the SUM bit in the sstatus register is set, supervisor mode software may also
            // access pages with U=1. ... Irrespective of SUM, the supervisor may not execute code
            // on pages with U=1."
            sum && access != Access::Fetch
        } else {
            true
        };
        if !type_ok || !mode_ok {
            return Err(WalkFault::Page);
        }

        // Step 6: if i > 0 and pte.ppn[i − 1 : 0] ≠ 0, this is a misaligned superpage.
        if i > 0 && (0..i as usize).any(|j| pte.ppn_i[j] != 0) {
            return Err(WalkFault::Page);
        }

        // Step 7: if pte.a = 0, or if the access is a store and pte.d = 0, then (hardware update,
        // emu's choice): set pte.a, and pte.d on a store; if this access violates a PMA or PMP
        // check, raise an access fault; the update is atomic with the read of step 2.
        let mut final_pte = pte_val;
        let store = access == Access::Store;
        if !pte.a || (store && !pte.d) {
            final_pte |= 1 << 6;
            if store {
                final_pte |= 1 << 7;
            }
            if !pmp_allows(pte_addr, true) {
                return Err(WalkFault::Access);
            }
            assert!(mem.write_bytes(pte_addr, &final_pte.to_le_bytes()));
        }

        // Step 8: pa.pgoff = va.pgoff; if i > 0 (superpage), pa.ppn[i−1:0] = va.vpn[i−1:0];
        // pa.ppn[LEVELS−1:i] = pte.ppn[LEVELS−1:i].
        let mut pa = field(va, 11, 0);
        for j in 0..levels {
            let part = if (j as i64) < i {
                va_vpn(va, j)
            } else {
                pte.ppn_i[j as usize]
            };
            pa |= part << (12 + 9 * j);
        }
        let page_shift = 12 + 9 * i as u32;
        return Ok((pa, page_shift, final_pte));
    }
}

// ---------------------------------------------------------------------------------------------
// Random page tables.
// ---------------------------------------------------------------------------------------------

fn pool_page(i: usize) -> u64 {
    RAM_BASE + (i as u64) * PAGESIZE
}

/// What a pointer PTE on a path looks like.
#[derive(Clone, Debug)]
enum Ptr {
    /// V=1, R=W=X=0, pointing at a pool table (maybe with G and RSW bits, which are ignored).
    Good { g: bool, rsw: u8 },
    /// A pointer with D, A and/or U set (reserved in non-leaf PTEs).
    Dau(u8),
    /// A pointer with some of bits 63:54 set.
    Reserved(u16),
    /// V=0 (other bits set as for a pointer).
    Invalid,
    /// R=0, W=1 (X random): a reserved encoding.
    WriteOnly(bool),
    /// Points outside RAM: the next PTE read is an access fault.
    OutsideRam(u64),
    /// Points at a zero-filled RAM page that is not a pool table.
    DataPage(u16),
}

fn ptr_strategy() -> impl Strategy<Value = Ptr> {
    prop_oneof![
        90 => (any::<bool>(), 0u8..4).prop_map(|(g, rsw)| Ptr::Good { g, rsw }),
        2 => (1u8..8).prop_map(Ptr::Dau),
        2 => (1u16..1024).prop_map(Ptr::Reserved),
        1 => Just(Ptr::Invalid),
        1 => any::<bool>().prop_map(Ptr::WriteOnly),
        2 => prop_oneof![
            Just(0u64),
            0x1_0000u64..0x8_0000,
            (RAM_BASE >> 12) + RAM_PAGES..(1u64 << 44),
        ].prop_map(Ptr::OutsideRam),
        1 => (POOL as u16..RAM_PAGES as u16).prop_map(Ptr::DataPage),
    ]
}

/// The PPN a leaf points at.
#[derive(Clone, Debug)]
enum LeafPpn {
    /// A random PPN, aligned for the leaf's level (a well-formed superpage).
    Aligned(u64),
    /// A random PPN, not aligned (misaligned when the leaf is a superpage).
    Any(u64),
    /// A page of our RAM.
    InRam(u16),
}

#[derive(Clone, Debug)]
struct Leaf {
    /// Bits 7:0 of the PTE (D A G U X W R V).
    flags: u8,
    rsw: u8,
    /// Bits 63:54.
    high: u16,
    ppn: LeafPpn,
}

fn leaf_strategy() -> impl Strategy<Value = Leaf> {
    let flags = prop_oneof![
        // Permissive leaves (so that many walks succeed), with random U, G, A, D.
        5 => (0u8..16).prop_map(|ugad| 0x0f | ((ugad & 1) << 4) | ((ugad >> 1) << 5)),
        // Any combination, valid or not, mostly with V set.
        3 => any::<u8>().prop_map(|f| f | 1),
        1 => any::<u8>(),
    ];
    let high = prop_oneof![8 => Just(0u16), 1 => 1u16..1024];
    let ppn = prop_oneof![
        4 => any::<u64>().prop_map(LeafPpn::Aligned),
        2 => any::<u64>().prop_map(LeafPpn::Any),
        2 => (0u16..RAM_PAGES as u16).prop_map(LeafPpn::InRam),
    ];
    (flags, 0u8..4, high, ppn).prop_map(|(flags, rsw, high, ppn)| Leaf {
        flags,
        rsw,
        high,
        ppn,
    })
}

/// One path from the root: the slot used at each level, the pool table each pointer leads to, the
/// flavour of each pointer, and the leaf.
#[derive(Clone, Debug)]
struct Path {
    slots: [u16; 5],
    tables: [u8; 5],
    ptrs: [Ptr; 5],
    /// Leaf level, taken modulo the number of levels.
    leaf_level: u8,
    leaf: Leaf,
}

fn slot_strategy() -> impl Strategy<Value = u16> {
    // Few distinct slots, so that paths share tables and overwrite each other's entries.
    prop_oneof![3 => 0u16..3, 3 => 0u16..512, 1 => Just(511u16)]
}

fn path_strategy() -> impl Strategy<Value = Path> {
    (
        prop::array::uniform5(slot_strategy()),
        prop::array::uniform5(1u8..POOL as u8),
        prop::array::uniform5(ptr_strategy()),
        0u8..5,
        leaf_strategy(),
    )
        .prop_map(|(slots, tables, ptrs, leaf_level, leaf)| Path {
            slots,
            tables,
            ptrs,
            leaf_level,
            leaf,
        })
}

/// A virtual address to translate.
#[derive(Clone, Debug)]
enum Va {
    /// Along path `path` (counted from the last one, whose entries no later path overwrote; modulo
    /// the number of paths), with random low bits `low`; then, if `flip` is Some(b), made
    /// non-canonical: for b < 128 by flipping bit 63 - (b mod (64 - va_bits)), else by inverting all
    /// the bits above the VA.
    OnPath {
        path: usize,
        low: u64,
        flip: Option<u8>,
    },
    /// Any 64-bit value.
    Random(u64),
}

fn va_strategy() -> impl Strategy<Value = Va> {
    prop_oneof![
        6 => (Just(0usize), any::<u64>()).prop_map(|(path, low)| Va::OnPath { path, low, flip: None }),
        6 => (0usize..16, any::<u64>()).prop_map(|(path, low)| Va::OnPath { path, low, flip: None }),
        2 => (0usize..16, any::<u64>(), any::<u8>())
            .prop_map(|(path, low, b)| Va::OnPath { path, low, flip: Some(b) }),
        1 => any::<u64>().prop_map(Va::Random),
    ]
}

/// The PMP verdict on the walk's own accesses.
#[derive(Clone, Debug)]
enum PmpRule {
    AllowAll,
    /// Deny reads and writes of PTEs in this pool table.
    DenyTable(u8),
    /// Deny only the A/D write-back to this pool table.
    DenyTableWrites(u8),
}

impl PmpRule {
    fn allows(&self, addr: u64, write: bool) -> bool {
        let page = |t: u8| addr >> 12 == pool_page(t as usize) >> 12;
        match *self {
            PmpRule::AllowAll => true,
            PmpRule::DenyTable(t) => !page(t),
            PmpRule::DenyTableWrites(t) => !(write && page(t)),
        }
    }
}

/// The privilege of the access.
#[derive(Clone, Copy, Debug)]
enum Who {
    /// U-mode if the path's leaf is a U page, else S-mode (the access usually passes).
    Matching,
    User,
    Supervisor,
}

#[derive(Clone, Debug)]
struct Walk {
    va: Va,
    access: Access,
    who: Who,
    sum: bool,
    mxr: bool,
    pmp: PmpRule,
}

fn walk_strategy() -> impl Strategy<Value = Walk> {
    let access = prop_oneof![Just(Access::Fetch), Just(Access::Load), Just(Access::Store)];
    let pmp = prop_oneof![
        8 => Just(PmpRule::AllowAll),
        1 => (0u8..POOL as u8).prop_map(PmpRule::DenyTable),
        1 => (0u8..POOL as u8).prop_map(PmpRule::DenyTableWrites),
    ];
    let who = prop_oneof![
        4 => Just(Who::Matching),
        1 => Just(Who::User),
        1 => Just(Who::Supervisor)
    ];
    (
        va_strategy(),
        access,
        who,
        any::<bool>(),
        any::<bool>(),
        pmp,
    )
        .prop_map(|(va, access, who, sum, mxr, pmp)| Walk {
            va,
            access,
            who,
            sum,
            mxr,
            pmp,
        })
}

#[derive(Clone, Debug)]
struct Case {
    mode: PagingMode,
    /// satp.PPN: pool page 0 almost always, sometimes outside RAM.
    root_outside: Option<u64>,
    paths: Vec<Path>,
    /// (pool table, slot, value) written after the paths.
    garbage: Vec<(u8, u16, u64)>,
    walks: Vec<Walk>,
}

fn case_strategy() -> impl Strategy<Value = Case> {
    let mode = prop_oneof![
        Just(PagingMode::Sv39),
        Just(PagingMode::Sv48),
        Just(PagingMode::Sv57)
    ];
    let root = prop_oneof![
        30 => Just(None),
        1 => prop_oneof![0u64..0x1_0000, (RAM_BASE >> 12) + RAM_PAGES..(1 << 44)].prop_map(Some),
    ];
    (
        mode,
        root,
        prop::collection::vec(path_strategy(), 1..10),
        prop::collection::vec((0u8..POOL as u8, 0u16..512, any::<u64>()), 0..3),
        prop::collection::vec(walk_strategy(), 1..6),
    )
        .prop_map(|(mode, root_outside, paths, garbage, walks)| Case {
            mode,
            root_outside,
            paths,
            garbage,
            walks,
        })
}

fn write_pte(ram: &mut Ram, table: u64, slot: u64, value: u64) {
    assert!(ram.write_bytes(table + slot * 8, &value.to_le_bytes()));
}

/// Builds the page tables of `case` in a fresh RAM.
fn build(case: &Case) -> Ram {
    let mut ram = Ram::new(RAM_BASE, RAM_SIZE).unwrap();
    let levels = case.mode.levels();
    // Fill a few data pages with a recognisable pattern, so that pointers into them lead to
    // non-zero (mostly invalid or reserved) "PTEs" too.
    for p in [POOL as u64, 30, 50] {
        for s in 0..512u64 {
            let v = s.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (p << 3);
            write_pte(&mut ram, RAM_BASE + p * PAGESIZE, s, v);
        }
    }
    for path in &case.paths {
        let leaf_level = path.leaf_level as u32 % levels;
        let mut table = pool_page(0);
        for level in (leaf_level..levels).rev() {
            let slot = path.slots[level as usize] as u64;
            if level == leaf_level {
                let leaf = &path.leaf;
                let align = (1u64 << (9 * level)) - 1;
                let ppn = match leaf.ppn {
                    LeafPpn::Aligned(r) => r & ((1 << 44) - 1) & !align,
                    LeafPpn::Any(r) => r & ((1 << 44) - 1),
                    LeafPpn::InRam(p) => (RAM_BASE >> 12) + p as u64,
                };
                let pte = (leaf.high as u64) << 54
                    | ppn << 10
                    | (leaf.rsw as u64) << 8
                    | leaf.flags as u64;
                write_pte(&mut ram, table, slot, pte);
                break;
            }
            let next = pool_page(path.tables[level as usize] as usize);
            let ptr_to = |addr: u64| (addr >> 12) << 10 | 1;
            let (pte, follow) = match path.ptrs[level as usize] {
                Ptr::Good { g, rsw } => (ptr_to(next) | (g as u64) << 5 | (rsw as u64) << 8, true),
                Ptr::Dau(bits) => {
                    let dau = (bits as u64 & 1) << 4
                        | (bits as u64 >> 1 & 1) << 6
                        | (bits as u64 >> 2) << 7;
                    (ptr_to(next) | dau, true)
                }
                Ptr::Reserved(h) => (ptr_to(next) | (h as u64) << 54, true),
                Ptr::Invalid => (ptr_to(next) & !1, true),
                Ptr::WriteOnly(x) => (ptr_to(next) | 1 << 2 | (x as u64) << 3, false),
                Ptr::OutsideRam(ppn) => (ppn << 10 | 1, false),
                Ptr::DataPage(p) => (ptr_to(RAM_BASE + p as u64 * PAGESIZE), false),
            };
            write_pte(&mut ram, table, slot, pte);
            if !follow {
                break;
            }
            table = next;
        }
    }
    for &(t, slot, v) in &case.garbage {
        write_pte(&mut ram, pool_page(t as usize), slot as u64, v);
    }
    ram
}

/// The virtual address a `Va` stands for, in `case`.
fn make_va(case: &Case, va: &Va) -> u64 {
    let levels = case.mode.levels();
    let va_bits = case.mode.va_bits();
    match *va {
        Va::Random(v) => v,
        Va::OnPath { path, low, flip } => {
            let p = path_of(case, path);
            let leaf_level = p.leaf_level as u32 % levels;
            let mut v = low & ((1u64 << (12 + 9 * leaf_level)) - 1);
            for level in leaf_level..levels {
                v |= (p.slots[level as usize] as u64) << (12 + 9 * level);
            }
            // Sign-extend from the top VA bit: canonical.
            let shift = 64 - va_bits;
            v = (((v << shift) as i64) >> shift) as u64;
            match flip {
                // Invert every bit above the VA: consistent among themselves, but not copies of the
                // top VA bit.
                Some(b) if b >= 128 => v ^= !0u64 << va_bits,
                Some(b) => v ^= 1u64 << (63 - (b as u32 % shift)),
                None => {}
            }
            v
        }
    }
}

fn path_of(case: &Case, from_last: usize) -> &Path {
    &case.paths[case.paths.len() - 1 - from_last % case.paths.len()]
}

/// Whether walk `w` of `case` is made from U-mode.
fn is_user(case: &Case, w: &Walk) -> bool {
    match (w.who, &w.va) {
        (Who::User, _) => true,
        (Who::Supervisor, _) => false,
        (Who::Matching, Va::OnPath { path, .. }) => path_of(case, *path).leaf.flags & 0x10 != 0,
        (Who::Matching, Va::Random(v)) => v & 1 == 1,
    }
}

/// Runs every walk of `case` through both implementations; returns the outcomes (for coverage
/// statistics) or the first disagreement.
fn check_case(case: &Case) -> Result<Vec<(u32, RefResult)>, String> {
    let mut ram_emu = build(case);
    let mut ram_ref = build(case);
    let levels = case.mode.levels();
    let root_ppn = case.root_outside.unwrap_or(RAM_BASE >> 12);
    let mut outcomes = Vec::new();
    for (n, w) in case.walks.iter().enumerate() {
        let va = make_va(case, &w.va);
        let user = is_user(case, w);
        let who = Requester {
            user,
            sum: w.sum,
            mxr: w.mxr,
        };
        let got = walk(
            &mut ram_emu,
            case.mode,
            root_ppn,
            va,
            w.access,
            who,
            |a, wr| w.pmp.allows(a, wr),
        )
        .map(|t| (t.paddr, t.page_shift, t.pte));
        let want = reference_walk(
            &mut ram_ref,
            levels,
            root_ppn,
            va,
            w.access,
            user,
            w.sum,
            w.mxr,
            &mut |a, wr| w.pmp.allows(a, wr),
        );
        if got != want {
            return Err(format!(
                "walk #{n}: {:?} va {va:#x} {:?} {:?} pmp {:?}: walk gave {got:x?}, the spec says {want:x?}",
                case.mode, w.access, who, w.pmp
            ));
        }
        if ram_emu.as_slice() != ram_ref.as_slice() {
            let at = ram_emu
                .as_slice()
                .iter()
                .zip(ram_ref.as_slice())
                .position(|(a, b)| a != b)
                .unwrap() as u64
                & !7;
            return Err(format!(
                "walk #{n}: {:?} va {va:#x} {:?} {:?}: memory differs at {:#x}: walk left {:#x}, the spec {:#x}",
                case.mode,
                w.access,
                who,
                RAM_BASE + at,
                ram_emu.read(RAM_BASE + at, 8).unwrap(),
                ram_ref.read(RAM_BASE + at, 8).unwrap()
            ));
        }
        outcomes.push((levels, want));
    }
    Ok(outcomes)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 12_000,
        max_shrink_iters: 20_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// The walk agrees with the spec's algorithm on results and on memory (A/D write-back).
    #[test]
    fn walk_matches_the_spec(case in case_strategy()) {
        if let Err(e) = check_case(&case) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// The generator exercises what the property is about: for each mode, successful translations at
/// every level, page faults, access faults, and A/D updates.
#[test]
fn generator_covers_every_outcome() {
    let mut runner = TestRunner::new(Config {
        rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
        ..Config::default()
    });
    let strategy = case_strategy();
    // [levels][leaf level] successes; page faults and access faults per mode.
    let mut ok = [[0u32; 5]; 6];
    let mut page = [0u32; 6];
    let mut access = [0u32; 6];
    let mut total = 0u32;
    let mut ad_writes = 0u32;
    for _ in 0..3000 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        // Disagreements are the property's business; count only what the reference says.
        let levels = case.mode.levels();
        let mut ram = build(&case);
        let root_ppn = case.root_outside.unwrap_or(RAM_BASE >> 12);
        for w in &case.walks {
            let va = make_va(&case, &w.va);
            let user = is_user(&case, w);
            let r = reference_walk(
                &mut ram,
                levels,
                root_ppn,
                va,
                w.access,
                user,
                w.sum,
                w.mxr,
                &mut |a, wr| {
                    ad_writes += wr as u32;
                    w.pmp.allows(a, wr)
                },
            );
            total += 1;
            match r {
                Ok((_, shift, _)) => ok[levels as usize][((shift - 12) / 9) as usize] += 1,
                Err(WalkFault::Page) => page[levels as usize] += 1,
                Err(WalkFault::Access) => access[levels as usize] += 1,
            }
        }
    }
    println!("{total} walks; successes [levels][level] {ok:?}; page faults {page:?}; access faults {access:?}; A/D updates {ad_writes}");
    assert!(
        ad_writes * 20 > total,
        "too few A/D updates: {ad_writes} of {total}"
    );
    for levels in 3..=5usize {
        for level in 0..levels {
            assert!(
                ok[levels][level] * 200 > total / 3,
                "too few successful walks for {levels} levels at level {level}: {:?} of {total}",
                ok[levels]
            );
        }
        assert!(
            page[levels] * 20 > total / 3,
            "too few page faults: {page:?}"
        );
        assert!(
            access[levels] * 100 > total / 3,
            "too few access faults: {access:?}"
        );
    }
}
