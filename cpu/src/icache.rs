//! The decoded-instruction cache: guest code is decoded once per physical page into [`Inst`]s and
//! run from there (DESIGN.md, "the path of one instruction").
//!
//! A page's slots are indexed by (pc & 0xfff) / 2 and filled lazily, the first time each
//! instruction runs (or a little ahead of that, along straight-line code, to fuse pairs).
//! Staleness is detected with the generation counters `Ram` keeps per page: a write to a page
//! marked as code (by any hart or by device DMA) bumps its generation, and a decoded page whose
//! generation differs is emptied before use. The hart re-checks the generation whenever it sets
//! up its fetch page (a new page, or after any event: traps, xRET, CSR writes, FENCE.I,
//! SFENCE.VMA, and its own stores to code).
//!
//! Decoding a slot may fuse it with the next one or two instructions into one operation for the
//! pair or triple (fusion.rs); the later slots keep their own decoded instructions, for jumps
//! that land on them.

use crate::inst::Inst;
use std::collections::HashMap;

/// Instruction slots per 4 KiB page (one per 2-byte parcel).
pub const SLOTS: usize = 2048;

/// Pages kept before the whole cache is dropped (a bound on host memory: 32 KiB per page).
const MAX_PAGES: usize = 4096;

struct DecodedPage {
    generation: u32,
    /// One slot more than the page has parcels: the page loop steps into it when it runs off
    /// the end of the page, and finds it empty.
    insts: Box<[Inst; SLOTS + 1]>,
}

/// One hart's decoded pages, keyed by physical page address.
#[derive(Default)]
pub struct DecodeCache {
    pages: HashMap<u64, DecodedPage>,
    /// Recently used fetch pages, pointing into `pages` (dropped whenever `pages` drops any).
    pub(crate) recent: FetchPages,
}

/// A pointer to the slots of one decoded page.
#[derive(Clone, Copy)]
pub(crate) struct Slots(pub(crate) *mut Inst);

// SAFETY: the pointer targets a boxed array owned by the `DecodeCache` of the same hart, which moves
// between threads together with it.
unsafe impl Send for Slots {}

impl DecodeCache {
    /// The slots of physical page `ppage` as of `generation` (emptied first if they were decoded
    /// from older contents). The pointer stays valid until [`DecodeCache::flush`] or the next call
    /// (which may drop every page when the cache is full).
    /// The slot of physical address `paddr`, if its page is decoded.
    #[cfg(test)]
    pub(crate) fn slot(&self, paddr: u64) -> Option<Inst> {
        let page = self.pages.get(&(paddr & !0xfff))?;
        Some(page.insts[(paddr & 0xfff) as usize >> 1])
    }

    pub(crate) fn page(&mut self, ppage: u64, generation: u32) -> Slots {
        if self.pages.len() >= MAX_PAGES && !self.pages.contains_key(&ppage) {
            self.clear();
        }
        let page = self.pages.entry(ppage).or_insert_with(|| DecodedPage {
            generation,
            insts: Box::new([Inst::NOT_DECODED; SLOTS + 1]),
        });
        if page.generation != generation {
            page.insts.fill(Inst::NOT_DECODED);
            page.generation = generation;
        }
        Slots(page.insts.as_mut_ptr())
    }

    /// Forgets every decoded page (pointers handed out before are dangling after this).
    pub(crate) fn clear(&mut self) {
        self.pages.clear();
        self.recent.flush();
    }

    /// Number of decoded pages held.
    pub fn pages(&self) -> usize {
        self.pages.len()
    }
}

/// Fetch-page entries kept (direct-mapped by virtual page number).
const FETCH_PAGES: usize = 256;

/// One recently used fetch page: the virtual page (tagged with the privilege it was fetched at),
/// its physical page, its decoded slots and the RAM code generation the slots were checked at.
#[derive(Clone, Copy)]
struct FetchPage {
    tag: u64,
    ppage: u64,
    slots: Slots,
    generation: u32,
}

/// A small cache in front of the translation and the decoded-page lookup: jumping to another page
/// of code (a call, a return, a trap) is a table lookup and a generation compare instead of a TLB
/// lookup, a PMP check and a hash lookup. Entries are dropped with the TLB (satp, SFENCE.VMA, PMP
/// writes) and with the decoded pages; a stale generation sends the hart down the slow path, which
/// re-decodes.
pub(crate) struct FetchPages {
    entries: Box<[FetchPage; FETCH_PAGES]>,
}

impl Default for FetchPages {
    fn default() -> Self {
        FetchPages {
            entries: Box::new(
                [FetchPage {
                    tag: 0,
                    ppage: 0,
                    slots: Slots(std::ptr::null_mut()),
                    generation: 0,
                }; FETCH_PAGES],
            ),
        }
    }
}

#[inline(always)]
fn fetch_tag(vpage: u64, privilege: u64) -> u64 {
    vpage | privilege << 1 | 1
}

impl FetchPages {
    /// The physical page, slots and generation cached for virtual page `vpage` fetched at
    /// `privilege` (0..=3), if any.
    #[inline(always)]
    pub(crate) fn lookup(&self, vpage: u64, privilege: u64) -> Option<(u64, Slots, u32)> {
        let e = &self.entries[(vpage >> 12) as usize % FETCH_PAGES];
        (e.tag == fetch_tag(vpage, privilege)).then_some((e.ppage, e.slots, e.generation))
    }

    /// Remembers a fetch page set up by the slow path.
    pub(crate) fn insert(
        &mut self,
        vpage: u64,
        privilege: u64,
        ppage: u64,
        slots: Slots,
        generation: u32,
    ) {
        self.entries[(vpage >> 12) as usize % FETCH_PAGES] = FetchPage {
            tag: fetch_tag(vpage, privilege),
            ppage,
            slots,
            generation,
        };
    }

    /// Forgets the entries of virtual page `vaddr & !0xfff` (its translation changed).
    pub(crate) fn flush_page(&mut self, vaddr: u64) {
        let e = &mut self.entries[(vaddr >> 12) as usize % FETCH_PAGES];
        if e.tag & !0xfff == vaddr & !0xfff {
            e.tag = 0;
        }
    }

    /// Forgets every entry (translations changed, or decoded pages were dropped).
    pub(crate) fn flush(&mut self) {
        for e in self.entries.iter_mut() {
            e.tag = 0;
        }
    }
}
