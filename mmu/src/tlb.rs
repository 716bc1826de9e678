//! A per-hart software TLB: direct-mapped, split by access type (fetch, load, store), as Spike's.
//!
//! An entry caches one 4 KiB virtual page for one translation context (effective privilege, SUM,
//! MXR), after the walk's permission checks, A/D updates and the PMP check of the whole page have
//! succeeded for that access type; so a hit needs no further checks. Contexts are part of the tag,
//! so switching between U and S (every system call) needs no flush.

use crate::Access;

/// Entries per access type.
pub const TLB_ENTRIES: usize = 256;

/// Marks a tag as valid (page-aligned addresses leave the low 12 bits free).
const VALID: u64 = 1;

#[derive(Clone, Copy, Debug, Default)]
struct Entry {
    tag: u64,
    ppage: u64,
}

/// The TLB of one hart.
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

#[inline(always)]
fn tag(vaddr: u64, ctx: u64) -> u64 {
    (vaddr & !0xfff) | (ctx << 1) | VALID
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
        if e.tag == tag(vaddr, ctx) {
            self.hits += 1;
            Some(e.ppage | (vaddr & 0xfff))
        } else {
            self.misses += 1;
            None
        }
    }

    /// Caches the translation of `vaddr`'s page to physical page `paddr & !0xfff`.
    pub fn insert(&mut self, access: Access, vaddr: u64, ctx: u64, paddr: u64) {
        self.entries[access as usize][index(vaddr)] = Entry {
            tag: tag(vaddr, ctx),
            ppage: paddr & !0xfff,
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
                .map(move |e| (access, e.tag & !0xfff, (e.tag & 0xfff) >> 1, e.ppage))
        })
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
        tlb.insert(Access::Load, 0x1234_5678, 3, 0x8000_1000);
        assert_eq!(tlb.lookup(Access::Load, 0x1234_5abc, 3), Some(0x8000_1abc));
        assert_eq!(tlb.lookup(Access::Load, 0x1234_5abc, 2), None);
        assert_eq!(tlb.lookup(Access::Store, 0x1234_5abc, 3), None);
        tlb.flush();
        assert_eq!(tlb.lookup(Access::Load, 0x1234_5abc, 3), None);
    }
}
