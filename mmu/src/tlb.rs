//! A per-hart software TLB: direct-mapped, split by access type (fetch, load, store), as Spike's.
//!
//! An entry caches one 4 KiB virtual page for one translation context (effective privilege, SUM,
//! MXR), after the walk's permission checks, A/D updates and the PMP check of the whole page have
//! succeeded for that access type; so a hit needs no further checks. Contexts are part of the tag,
//! so switching between U and S (every system call) needs no flush.
//!
//! Pages of RAM also carry the host address of the page and of its RAM page-flag byte, so a load
//! or store that hits is one tag compare and one host access ([`Tlb::host_load`],
//! [`Tlb::host_store`]); device pages keep only the physical address. The hart caches untranslated
//! (M-mode or Bare) pages here too, as identity entries, so PMP is checked once per page.

use crate::Access;

/// Entries per access type.
pub const TLB_ENTRIES: usize = 256;

/// Marks a tag as valid (page-aligned addresses leave the low 12 bits free). Bits 0..=2 stay clear
/// in every tag: the fast paths keep an access's misaligned low address bits in what they compare
/// with, so one compare also rules out a misaligned access.
const VALID: u64 = 1 << 3;

/// Where a context's bits start in a tag (they take bits 4..=7).
const CONTEXT_SHIFT: u32 = 4;

/// Marks the tag of a RAM page: the fast paths compare tags with it set, so one compare also
/// says the entry has a host address.
const RAM: u64 = 1 << 11;

#[derive(Clone, Copy, Debug)]
struct Entry {
    tag: u64,
    ppage: u64,
    /// Host address of the page's first byte minus the virtual page address (wrapping), if it is
    /// RAM: adding a virtual address gives its host address. Null otherwise.
    host: *mut u8,
    /// Host address of the RAM page's flag byte (`Ram::page_flag`): a store may take the fast
    /// path only while it is zero (the page holds no decoded code and no watched range).
    flag: *const u8,
}

impl Default for Entry {
    fn default() -> Self {
        Entry {
            tag: 0,
            ppage: 0,
            host: std::ptr::null_mut(),
            flag: std::ptr::null(),
        }
    }
}

/// Where a RAM page lives on the host, for [`Tlb::insert`]. Only `Ram::host_page` makes one, so
/// its pointers always come from a real RAM.
#[derive(Clone, Copy, Debug)]
pub struct HostPage {
    /// Host address of the page's first byte.
    pub(crate) data: *mut u8,
    /// Host address of the page's flag byte.
    pub(crate) flag: *const u8,
}

/// The TLB of one hart.
///
/// The host pointers of its entries point into one `Ram`; the hart flushes the TLB when it is
/// given a different one (`Ram::identity`), so they never outlive their allocation in use.
#[derive(Clone, Debug)]
pub struct Tlb {
    entries: Box<[[Entry; TLB_ENTRIES]; 3]>,
    /// Lookups that hit and missed, for statistics.
    pub hits: u64,
    /// Lookups that missed.
    pub misses: u64,
}

impl Default for Tlb {
    fn default() -> Self {
        Tlb {
            entries: Box::new([[Entry::default(); TLB_ENTRIES]; 3]),
            hits: 0,
            misses: 0,
        }
    }
}

// SAFETY: the raw pointers target the guest RAM of the machine that owns the hart, which moves
// between threads together with it; the TLB never dereferences them itself.
unsafe impl Send for Tlb {}

#[inline(always)]
fn tag(vaddr: u64, ctx: u64) -> u64 {
    (vaddr & !0xfff) | context_bits(ctx)
}

/// The low tag bits of context `ctx`.
#[inline(always)]
fn context_bits(ctx: u64) -> u64 {
    (ctx << CONTEXT_SHIFT) | VALID
}

/// The low tag bits a RAM page cached for context `ctx` (< 16) has: what the fast paths
/// ([`Tlb::host_load`], [`Tlb::host_store`]) compare with, computed once per event by the hart.
#[inline(always)]
pub fn ram_context_bits(ctx: u64) -> u64 {
    context_bits(ctx) | RAM
}

/// What the fast paths compare an entry's tag with, for an access of `size` bytes (a power of
/// two, at most 8) at `vaddr`: its page, and the address bits that would make it misaligned.
#[inline(always)]
fn access_tag(vaddr: u64, size: usize, bits: u64) -> u64 {
    (vaddr & (!0xfff | (size as u64 - 1))) | bits
}

#[inline(always)]
fn index(vaddr: u64) -> usize {
    (vaddr >> 12) as usize % TLB_ENTRIES
}

impl Tlb {
    /// The physical address of `vaddr` if its page is cached for `access` in context `ctx`
    /// (a small number, < 2048, naming privilege and mstatus bits that affect permissions).
    #[inline(always)]
    pub fn lookup(&mut self, access: Access, vaddr: u64, ctx: u64) -> Option<u64> {
        let e = &self.entries[access as usize][index(vaddr)];
        if e.tag & !RAM == tag(vaddr, ctx) {
            self.hits += 1;
            Some(e.ppage | (vaddr & 0xfff))
        } else {
            self.misses += 1;
            None
        }
    }

    /// The host address of `vaddr` for an aligned load of `size` bytes (a power of two, at most
    /// 8), if its page is cached as RAM for loads in the context whose [`ram_context_bits`] are
    /// `bits`. A misaligned load never hits.
    #[inline(always)]
    pub fn host_load(&mut self, vaddr: u64, size: usize, bits: u64) -> Option<*mut u8> {
        let e = &self.entries[Access::Load as usize][index(vaddr)];
        if e.tag == access_tag(vaddr, size, bits) {
            self.hits += 1;
            Some(e.host.wrapping_add(vaddr as usize))
        } else {
            None
        }
    }

    /// The host address of `vaddr` for an aligned store of `size` bytes (as for
    /// [`Tlb::host_load`]), if its page is cached as RAM for stores in the context whose
    /// [`ram_context_bits`] are `bits`, and the page holds neither decoded code nor a watched range
    /// (a store there must take the path that notices it).
    ///
    /// # Safety
    /// The `Ram` whose pages were inserted must still be alive (it reads the page's flag byte).
    #[inline(always)]
    pub unsafe fn host_store(&mut self, vaddr: u64, size: usize, bits: u64) -> Option<*mut u8> {
        let e = &self.entries[Access::Store as usize][index(vaddr)];
        // SAFETY: an entry tagged RAM has a `flag` pointing to a flag byte of the RAM the entries
        // were made for, which the caller guarantees is alive.
        if e.tag == access_tag(vaddr, size, bits) && unsafe { *e.flag } == 0 {
            self.hits += 1;
            Some(e.host.wrapping_add(vaddr as usize))
        } else {
            None
        }
    }

    /// Caches the translation of `vaddr`'s page to physical page `paddr & !0xfff`, which is the
    /// RAM page `host` if it is RAM.
    pub fn insert(
        &mut self,
        access: Access,
        vaddr: u64,
        ctx: u64,
        paddr: u64,
        host: Option<HostPage>,
    ) {
        let (host, flag, ram) = host.map_or((std::ptr::null_mut(), std::ptr::null(), 0), |h| {
            (h.data.wrapping_sub((vaddr & !0xfff) as usize), h.flag, RAM)
        });
        self.entries[access as usize][index(vaddr)] = Entry {
            tag: tag(vaddr, ctx) | ram,
            ppage: paddr & !0xfff,
            host,
            flag,
        };
    }

    /// The cached translations, for a debugger: (access type, virtual page, context, physical
    /// page) of every valid entry.
    pub fn entries(&self) -> impl Iterator<Item = (Access, u64, u64, u64)> + '_ {
        const ACCESSES: [Access; 3] = [Access::Fetch, Access::Load, Access::Store];
        ACCESSES.iter().flat_map(move |&access| {
            self.entries[access as usize]
                .iter()
                .filter(|e| e.tag & VALID != 0)
                .map(move |e| {
                    (
                        access,
                        e.tag & !0xfff,
                        (e.tag & !RAM & 0xfff) >> CONTEXT_SHIFT,
                        e.ppage,
                    )
                })
        })
    }

    /// Forgets the translations of `vaddr`'s page, in every context (SFENCE.VMA with an address).
    pub fn flush_page(&mut self, vaddr: u64) {
        for table in self.entries.iter_mut() {
            let e = &mut table[index(vaddr)];
            if e.tag & !0xfff == vaddr & !0xfff {
                *e = Entry::default();
            }
        }
    }

    /// Forgets every translation (SFENCE.VMA, satp and PMP writes: flushing more than the spec
    /// asks is always correct).
    pub fn flush(&mut self) {
        for table in self.entries.iter_mut() {
            table.fill(Entry::default());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_only_in_the_same_context_and_access_type() {
        let mut tlb = Tlb::default();
        tlb.insert(Access::Load, 0x1234_5678, 3, 0x8000_1000, None);
        assert_eq!(tlb.lookup(Access::Load, 0x1234_5abc, 3), Some(0x8000_1abc));
        assert_eq!(tlb.lookup(Access::Load, 0x1234_5abc, 2), None);
        assert_eq!(tlb.lookup(Access::Store, 0x1234_5abc, 3), None);
        tlb.flush();
        assert_eq!(tlb.lookup(Access::Load, 0x1234_5abc, 3), None);
    }

    #[test]
    fn the_fast_paths_hit_aligned_accesses_only() {
        let ram = crate::Ram::new(0x8000_0000, 0x2000).unwrap();
        let host = ram.host_page(0x8000_1000).unwrap();
        let bits = ram_context_bits(3);
        let mut tlb = Tlb::default();
        tlb.insert(Access::Load, 0x1234_5000, 3, 0x8000_1000, Some(host));
        tlb.insert(Access::Store, 0x1234_5000, 3, 0x8000_1000, Some(host));
        for size in [1, 2, 4, 8] {
            for offset in [0, 1, 2, 3, 4, 6, 7, 0xff8, 0xfff] {
                let vaddr = 0x1234_5000 + offset;
                let aligned = offset % size as u64 == 0;
                assert_eq!(
                    tlb.host_load(vaddr, size, bits).is_some(),
                    aligned,
                    "{size} {offset:#x}"
                );
                // SAFETY: `ram` is alive.
                let store = unsafe { tlb.host_store(vaddr, size, bits) };
                assert_eq!(store.is_some(), aligned, "{size} {offset:#x}");
            }
        }
        assert!(tlb.host_load(0x1234_5008, 8, ram_context_bits(2)).is_none());
        assert!(tlb.host_load(0x1234_6008, 8, bits).is_none());
    }

    #[test]
    fn a_page_flush_drops_that_page_in_every_context_and_keeps_the_others() {
        let mut tlb = Tlb::default();
        tlb.insert(Access::Load, 0x1234_5000, 3, 0x8000_1000, None);
        tlb.insert(Access::Store, 0x1234_5000, 1, 0x8000_1000, None);
        tlb.insert(Access::Load, 0x1234_6000, 3, 0x8000_2000, None);
        tlb.flush_page(0x1234_5ff8);
        assert_eq!(tlb.lookup(Access::Load, 0x1234_5000, 3), None);
        assert_eq!(tlb.lookup(Access::Store, 0x1234_5000, 1), None);
        assert_eq!(tlb.lookup(Access::Load, 0x1234_6008, 3), Some(0x8000_2008));
    }
}
