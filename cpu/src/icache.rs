//! The decoded-instruction cache: guest code is decoded once per physical page into [`Inst`]s and
//! run from there (DESIGN.md, "the path of one instruction").
//!
//! A page's slots are indexed by (pc & 0xfff) / 2 and filled lazily, the first time each
//! instruction runs. Staleness is detected with the generation counters `Ram` keeps per page:
//! a write to a page marked as code (by any hart or by device DMA) bumps its generation, and a
//! decoded page whose generation differs is emptied before use. The hart re-checks the generation
//! whenever it sets up its fetch page (a new page, or after any event: traps, xRET, CSR writes,
//! FENCE.I, SFENCE.VMA, and its own stores to code).

use crate::inst::Inst;
use std::collections::HashMap;

/// Instruction slots per 4 KiB page (one per 2-byte parcel).
pub const SLOTS: usize = 2048;

/// Pages kept before the whole cache is dropped (a bound on host memory: 32 KiB per page).
const MAX_PAGES: usize = 4096;

struct DecodedPage {
    generation: u32,
    insts: Box<[Inst; SLOTS]>,
}

/// One hart's decoded pages, keyed by physical page address.
#[derive(Default)]
pub struct DecodeCache {
    pages: HashMap<u64, DecodedPage>,
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
    pub(crate) fn page(&mut self, ppage: u64, generation: u32) -> Slots {
        if self.pages.len() >= MAX_PAGES && !self.pages.contains_key(&ppage) {
            self.pages.clear();
        }
        let page = self.pages.entry(ppage).or_insert_with(|| DecodedPage {
            generation,
            insts: Box::new([Inst::NOT_DECODED; SLOTS]),
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
    }

    /// Number of decoded pages held.
    pub fn pages(&self) -> usize {
        self.pages.len()
    }
}
