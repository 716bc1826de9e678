//! The Sv39/Sv48/Sv57 page-table walk (privileged spec 1.12, section 4.3.2 "Virtual Address
//! Translation Process", and 4.4/4.5/4.6 for the wider modes).

use crate::Ram;

/// What kind of access is being translated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Access {
    /// Instruction fetch.
    Fetch,
    /// Data load (and LR).
    Load,
    /// Data store (and SC, AMOs).
    Store,
}

/// A translation scheme selected by satp.MODE.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PagingMode {
    /// satp.MODE = 8.
    Sv39,
    /// satp.MODE = 9.
    Sv48,
    /// satp.MODE = 10.
    Sv57,
}

impl PagingMode {
    /// The mode selected by a satp.MODE value, if it is a paging mode.
    pub fn from_satp_mode(mode: u64) -> Option<PagingMode> {
        match mode {
            8 => Some(PagingMode::Sv39),
            9 => Some(PagingMode::Sv48),
            10 => Some(PagingMode::Sv57),
            _ => None,
        }
    }

    /// Number of page-table levels.
    pub fn levels(self) -> u32 {
        match self {
            PagingMode::Sv39 => 3,
            PagingMode::Sv48 => 4,
            PagingMode::Sv57 => 5,
        }
    }

    /// Width of a virtual address in bits.
    pub fn va_bits(self) -> u32 {
        12 + 9 * self.levels()
    }

    /// Whether `vaddr` is canonical: bits above the top VA bit copy it.
    pub fn is_canonical(self, vaddr: u64) -> bool {
        let shift = 64 - self.va_bits();
        ((vaddr << shift) as i64 >> shift) as u64 == vaddr
    }
}

/// Who is accessing, as the permission checks see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Requester {
    /// The effective privilege is U (otherwise S: M-mode accesses are never translated).
    pub user: bool,
    /// mstatus.SUM: S-mode may load and store to U pages.
    pub sum: bool,
    /// mstatus.MXR: loads may read execute-only pages.
    pub mxr: bool,
}

/// Why a translation failed; the hart turns it into the page-fault or access-fault exception of
/// the access type, with the virtual address in tval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WalkFault {
    /// Invalid or reserved PTE, missing permission, misaligned superpage, non-canonical address.
    Page,
    /// A PTE is not in RAM, or PMP denies the walk's access to it.
    Access,
}

/// PTE bits.
pub mod pte {
    /// Valid.
    pub const V: u64 = 1 << 0;
    /// Readable.
    pub const R: u64 = 1 << 1;
    /// Writable.
    pub const W: u64 = 1 << 2;
    /// Executable.
    pub const X: u64 = 1 << 3;
    /// User-accessible.
    pub const U: u64 = 1 << 4;
    /// Global.
    pub const G: u64 = 1 << 5;
    /// Accessed.
    pub const A: u64 = 1 << 6;
    /// Dirty.
    pub const D: u64 = 1 << 7;
    /// Bits 63:54: N (Svnapot), PBMT (Svpbmt) and reserved bits. We implement neither extension,
    /// so any of them set makes the PTE invalid.
    pub const RESERVED: u64 = 0x3ff << 54;
    /// Position of the PPN field.
    pub const PPN_SHIFT: u32 = 10;
    /// Mask of the 44-bit PPN field (after shifting).
    pub const PPN_MASK: u64 = (1 << 44) - 1;
}

/// A successful translation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Translation {
    /// The physical address of the accessed byte.
    pub paddr: u64,
    /// The leaf PTE, after any A/D update.
    pub pte: u64,
    /// log2 of the size of the page that the leaf maps (12, 21, 30, 39 or 48).
    pub page_shift: u32,
}

/// Walks the page table rooted at physical page `root_ppn` for `vaddr`.
///
/// `pte_allowed(paddr, write)` is the PMP check for the walk's own implicit accesses (made with
/// S-mode privilege). A/D bits are set in the leaf as hardware does (Svadu behaviour, as QEMU):
/// A on any access, D on a store; the update is a compare-and-write of the PTE just read, so with one
/// hart per machine thread it is atomic with respect to the walk.
pub fn walk(
    ram: &mut Ram,
    mode: PagingMode,
    root_ppn: u64,
    vaddr: u64,
    access: Access,
    who: Requester,
    mut pte_allowed: impl FnMut(u64, bool) -> bool,
) -> Result<Translation, WalkFault> {
    if !mode.is_canonical(vaddr) {
        return Err(WalkFault::Page);
    }
    let levels = mode.levels();
    let mut table = root_ppn << 12;
    let mut level = levels;
    loop {
        level -= 1;
        let vpn = (vaddr >> (12 + 9 * level)) & 0x1ff;
        let pte_addr = table.wrapping_add(vpn * 8);
        if !pte_allowed(pte_addr, false) {
            return Err(WalkFault::Access);
        }
        let pte = ram.read(pte_addr, 8).ok_or(WalkFault::Access)?;
        if pte & pte::V == 0 || (pte & pte::R == 0 && pte & pte::W != 0) || pte & pte::RESERVED != 0
        {
            return Err(WalkFault::Page);
        }
        let ppn = (pte >> pte::PPN_SHIFT) & pte::PPN_MASK;
        if pte & (pte::R | pte::X) == 0 {
            // A pointer to the next level. Its D, A and U bits are reserved (spec 4.3.1), so
            // a pointer with any of them set is invalid (step 3), as in Spike and QEMU.
            if level == 0 || pte & (pte::D | pte::A | pte::U) != 0 {
                return Err(WalkFault::Page);
            }
            table = ppn << 12;
            continue;
        }
        // A leaf: permissions (4.3.2 step 5), then superpage alignment (step 6).
        let allowed = match access {
            Access::Fetch => pte & pte::X != 0,
            Access::Load => pte & pte::R != 0 || (who.mxr && pte & pte::X != 0),
            Access::Store => pte & pte::W != 0,
        };
        let user_page = pte & pte::U != 0;
        let privilege_ok = if who.user {
            user_page
        } else {
            !user_page || (access != Access::Fetch && who.sum)
        };
        if !allowed || !privilege_ok {
            return Err(WalkFault::Page);
        }
        let low_ppn_mask = (1u64 << (9 * level)) - 1;
        if ppn & low_ppn_mask != 0 {
            return Err(WalkFault::Page);
        }
        // Step 7: A and D.
        let mut new = pte | pte::A;
        if access == Access::Store {
            new |= pte::D;
        }
        if new != pte {
            if !pte_allowed(pte_addr, true) {
                return Err(WalkFault::Access);
            }
            // Compare-and-write: nothing else can run between the read above and this write.
            if ram.read(pte_addr, 8) == Some(pte) {
                ram.write(pte_addr, 8, new);
            }
        }
        let page_shift = 12 + 9 * level;
        let offset_mask = (1u64 << page_shift) - 1;
        let paddr = ((ppn << 12) & !offset_mask) | (vaddr & offset_mask);
        return Ok(Translation {
            paddr,
            pte: new,
            page_shift,
        });
    }
}
