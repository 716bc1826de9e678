//! Guest DRAM, allocated lazily.

use std::alloc::{self, Layout};

/// Physical address where DRAM starts on the virt machine (QEMU `hw/riscv/virt.c`, `VIRT_DRAM`).
pub const DRAM_BASE: u64 = 0x8000_0000;

/// Why guest RAM could not be created.
#[derive(Debug, thiserror::Error)]
pub enum RamError {
    /// The size is zero, not a multiple of 4 KiB, or too large for the address space.
    #[error(
        "invalid memory size {0} bytes (must be a non-zero multiple of 4 KiB, at most 512 GiB)"
    )]
    BadSize(u64),
    /// The host refused to reserve that much address space.
    #[error("cannot allocate {0} MiB of guest memory on this host")]
    OutOfMemory(u64),
}

/// [`Ram`] page flag: the page holds decoded code.
const CODE: u8 = 1;
/// [`Ram`] page flag: a debugger watches writes to part of the page.
const WATCHED: u8 = 2;

/// Guest RAM: one contiguous, zero-filled host allocation.
///
/// The allocation is made with `alloc_zeroed` at a small alignment, which the system allocator
/// serves with `calloc` on Linux and macOS: for large sizes that maps fresh anonymous pages without
/// writing them, so the host commits a page only when the guest first touches it and untouched
/// memory costs nothing. (A larger alignment would make the allocator zero the memory by hand,
/// touching every page.) On Windows std serves it with `HeapAlloc(HEAP_ZERO_MEMORY)`, which gets
/// a block this large straight from `VirtualAlloc`: the whole size is committed at once, counted
/// against the system's commit limit (RAM plus page file), so a `--memory` beyond that fails
/// here at start; the pages themselves are still zero-filled by the OS on first touch. (Not
/// measured: the project has no Windows machine.)
pub struct Ram {
    base: u64,
    size: u64,
    ptr: *mut u8,
    /// Per 4 KiB page: [`CODE`] while a hart has decoded code from it since it was last written,
    /// [`WATCHED`] while a debugger watches writes to part of it. A store checks this one byte (it
    /// always did, for code) and takes the slow path only when it is non-zero, so unwatched stores
    /// cost nothing more.
    flags: Vec<u8>,
    /// Debugger write watchpoints: physical `[start, end)` ranges, RAM offsets.
    watches: Vec<(u64, u64)>,
    /// The physical address of the first watched range a write hit since [`Ram::take_watch_hit`]
    /// last looked.
    watch_hit: Option<u64>,
    /// What the write that hit a watch overwrote: (RAM offset, old bytes, length), so the hart can
    /// undo it and stop before the store, as a debugger expects ([`Ram::undo_watched_write`]).
    watch_undo: Option<(usize, u64, usize)>,
    /// Watches are off for a while (a debugger stepping over a watched store).
    watches_suspended: bool,
    /// Per 4 KiB page: bumped by every write to a page marked as code, so decoded copies of the
    /// page can tell they are stale.
    generation: Vec<u32>,
    /// A write hit a page marked as code since [`Ram::take_code_written`] last looked.
    code_written: bool,
}

// SAFETY: `Ram` uniquely owns its allocation; nothing else holds the pointer.
unsafe impl Send for Ram {}

impl Ram {
    /// Largest guest RAM we accept (the virt map leaves room for it above DRAM_BASE).
    pub const MAX_SIZE: u64 = 512 << 30;

    /// Alignment of the host allocation: enough for any guest access, small enough for `calloc`.
    const ALIGN: usize = 16;

    /// Whether `size` can be a RAM's size (what [`Ram::new`] checks before allocating): a non-zero
    /// multiple of 4 KiB, at most [`Ram::MAX_SIZE`].
    pub fn check_size(size: u64) -> Result<(), RamError> {
        if size == 0 || !size.is_multiple_of(4096) || size > Self::MAX_SIZE {
            return Err(RamError::BadSize(size));
        }
        Ok(())
    }

    /// Allocates `size` bytes of zeroed guest RAM at physical address `base`.
    pub fn new(base: u64, size: u64) -> Result<Ram, RamError> {
        Ram::check_size(size)?;
        let layout = Layout::from_size_align(size as usize, Self::ALIGN)
            .map_err(|_| RamError::BadSize(size))?;
        // SAFETY: the layout has non-zero size.
        let ptr = unsafe { alloc::alloc_zeroed(layout) };
        if ptr.is_null() {
            return Err(RamError::OutOfMemory(size >> 20));
        }
        crate::huge_pages::advise(ptr, size as usize);
        let pages = (size / 4096) as usize;
        Ok(Ram {
            base,
            size,
            ptr,
            flags: vec![0; pages],
            watches: Vec::new(),
            watch_hit: None,
            watch_undo: None,
            watches_suspended: false,
            generation: vec![0; pages],
            code_written: false,
        })
    }

    /// First physical address of RAM.
    pub fn base(&self) -> u64 {
        self.base
    }

    /// Size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Offset of `[addr, addr+len)` inside RAM, if the whole range is inside.
    #[inline(always)]
    pub fn offset(&self, addr: u64, len: u64) -> Option<usize> {
        let off = addr.wrapping_sub(self.base);
        if off < self.size && len <= self.size - off {
            Some(off as usize)
        } else {
            None
        }
    }

    /// Host pointer to the byte at RAM offset `off`. The caller must have checked the range with
    /// [`Ram::offset`] before dereferencing it.
    #[inline(always)]
    pub fn host_ptr(&self, off: usize) -> *mut u8 {
        debug_assert!((off as u64) < self.size);
        // SAFETY: callers pass offsets obtained from `offset`, which are inside the allocation.
        unsafe { self.ptr.add(off) }
    }

    /// Where the RAM page holding physical `addr` lives on the host (its bytes and its page-flag
    /// byte), for the TLB's fast paths; `None` outside RAM. The pointers stay valid as long as
    /// this `Ram` (see [`Ram::identity`]).
    pub fn host_page(&self, addr: u64) -> Option<crate::HostPage> {
        let off = self.offset(addr & !0xfff, 4096)?;
        Some(crate::HostPage {
            data: self.host_ptr(off),
            // A raw pointer into the flags buffer, not a reference to the byte: RAM keeps writing
            // the flags while the TLB holds this (the buffer never moves or changes size).
            flag: self.flags.as_ptr().wrapping_add(off >> 12),
        })
    }

    /// Names this RAM's host allocations: host pointers from [`Ram::host_page`] are valid for
    /// any `Ram` with the same identity (a cache of them must be dropped when it changes).
    pub fn identity(&self) -> (usize, usize, u64) {
        (self.ptr as usize, self.flags.as_ptr() as usize, self.size)
    }

    /// The whole of RAM as a byte slice.
    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: ptr/size describe our live allocation.
        unsafe { std::slice::from_raw_parts(self.ptr, self.size as usize) }
    }

    /// The whole of RAM as a mutable byte slice.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: ptr/size describe our live allocation, borrowed mutably through `self`.
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.size as usize) }
    }

    /// Reads `size` bytes (1, 2, 4, 8) at physical `addr`, little-endian; `None` if outside RAM
    /// (or for any other size: no access is made).
    #[inline(always)]
    pub fn read(&self, addr: u64, size: usize) -> Option<u64> {
        if !matches!(size, 1 | 2 | 4 | 8) {
            return None;
        }
        let off = self.offset(addr, size as u64)?;
        let p = self.host_ptr(off);
        // SAFETY: `offset` checked that [off, off+size) is inside the allocation.
        Some(unsafe { read_le(p, size) })
    }

    /// Writes the low `size` bytes (1, 2, 4, 8) of `value` at physical `addr`; `false` if outside RAM
    /// (or for any other size: nothing is written).
    #[inline(always)]
    pub fn write(&mut self, addr: u64, size: usize, value: u64) -> bool {
        if !matches!(size, 1 | 2 | 4 | 8) {
            return false;
        }
        let Some(off) = self.offset(addr, size as u64) else {
            return false;
        };
        self.note_write(off, size as u64);
        let p = self.host_ptr(off);
        // SAFETY: `offset` checked that [off, off+size) is inside the allocation.
        unsafe { write_le(p, size, value) };
        true
    }

    /// Copies `data` into RAM at physical `addr`; `false` (and nothing written) if it does not fit.
    pub fn write_bytes(&mut self, addr: u64, data: &[u8]) -> bool {
        match self.offset(addr, data.len() as u64) {
            Some(off) => {
                self.as_mut_slice()[off..off + data.len()].copy_from_slice(data);
                self.invalidate_code(addr, data.len() as u64);
                true
            }
            None => false,
        }
    }

    /// Records a guest write of `len` bytes at RAM offset `off` (accesses never cross a page): if
    /// the page holds decoded code, that code is now stale; if it is watched, the debugger hears
    /// of it.
    #[inline(always)]
    fn note_write(&mut self, off: usize, len: u64) {
        if self.flags[off >> 12] != 0 {
            self.note_flagged_write(off, len, true);
        }
    }

    #[cold]
    fn note_flagged_write(&mut self, off: usize, len: u64, watched: bool) {
        let page = off >> 12;
        if self.flags[page] & CODE != 0 {
            self.flags[page] &= !CODE;
            self.generation[page] = self.generation[page].wrapping_add(1);
            self.code_written = true;
        }
        if watched
            && self.flags[page] & WATCHED != 0
            && self.watch_hit.is_none()
            && !self.watches_suspended
        {
            let (start, end) = (off as u64, off as u64 + len);
            if let Some(&(s, _)) = self.watches.iter().find(|&&(s, e)| start < e && s < end) {
                self.watch_hit = Some(self.base + s);
                let size = (len as usize).min(8);
                let mut old = [0u8; 8];
                old[..size].copy_from_slice(&self.as_slice()[off..off + size]);
                self.watch_undo = Some((off, u64::from_le_bytes(old), size));
                // The hart looks at its events after a write to code: it sees the hit there.
                self.code_written = true;
            }
        }
    }

    /// Marks the page holding physical `addr` as decoded code, so writes to it are noticed.
    pub fn mark_code(&mut self, addr: u64) {
        if let Some(off) = self.offset(addr, 1) {
            self.flags[off >> 12] |= CODE;
        }
    }

    /// Watches guest writes to physical `[addr, addr+len)` (a debugger's write watchpoint): a
    /// store that overlaps it makes [`Ram::watch_hit`] true. `false` if the range is not in RAM.
    pub fn add_watch(&mut self, addr: u64, len: u64) -> bool {
        let Some(off) = self.offset(addr, len.max(1)) else {
            return false;
        };
        let (start, end) = (off as u64, off as u64 + len.max(1));
        self.watches.push((start, end));
        self.flag_watched_pages(start, end);
        true
    }

    /// Stops watching physical `[addr, addr+len)` (one range [`Ram::add_watch`] added); `false` if
    /// it was not watched.
    pub fn remove_watch(&mut self, addr: u64, len: u64) -> bool {
        let Some(off) = self.offset(addr, len.max(1)) else {
            return false;
        };
        let range = (off as u64, off as u64 + len.max(1));
        let Some(at) = self.watches.iter().position(|&r| r == range) else {
            return false;
        };
        self.watches.remove(at);
        for flags in &mut self.flags {
            *flags &= !WATCHED;
        }
        for (start, end) in self.watches.clone() {
            self.flag_watched_pages(start, end);
        }
        true
    }

    fn flag_watched_pages(&mut self, start: u64, end: u64) {
        for page in start >> 12..=(end - 1) >> 12 {
            self.flags[page as usize] |= WATCHED;
        }
    }

    /// Whether a guest write hit a watched range since [`Ram::take_watch_hit`] last looked.
    #[inline(always)]
    pub fn watch_hit(&self) -> bool {
        self.watch_hit.is_some()
    }

    /// The start of the watched range a guest write hit, if one did; forgets it.
    pub fn take_watch_hit(&mut self) -> Option<u64> {
        self.watch_undo = None;
        self.watch_hit.take()
    }

    /// Puts back what the write that hit a watch overwrote (the hart then stops before the store,
    /// as RISC-V debug triggers and GDB expect). The hit itself stays recorded.
    pub fn undo_watched_write(&mut self) {
        if let Some((off, old, size)) = self.watch_undo.take() {
            let bytes = old.to_le_bytes();
            self.as_mut_slice()[off..off + size].copy_from_slice(&bytes[..size]);
        }
    }

    /// Turns watches off (`true`) or on again: a debugger steps over a watched store so.
    pub fn suspend_watches(&mut self, suspended: bool) {
        self.watches_suspended = suspended;
    }

    /// Generation of the contents of the page holding physical `addr` (see [`Ram::mark_code`]).
    pub fn code_generation(&self, addr: u64) -> u32 {
        self.offset(addr, 1)
            .map_or(0, |off| self.generation[off >> 12])
    }

    /// Whether a write has hit a page marked as code since the last call.
    #[inline(always)]
    pub fn take_code_written(&mut self) -> bool {
        std::mem::take(&mut self.code_written)
    }

    /// Declares `[addr, addr+len)` written by something other than [`Ram::write`] (device DMA into
    /// a slice): decoded code in it is stale.
    pub fn invalidate_code(&mut self, addr: u64, len: u64) {
        let Some(start) = addr.checked_sub(self.base) else {
            return;
        };
        let end = start.saturating_add(len).min(self.size);
        let mut page = start >> 12;
        while page << 12 < end {
            // Device and loader writes are not the guest's: they stale code but hit no watch.
            let off = (page << 12) as usize;
            if self.flags[off >> 12] != 0 {
                self.note_flagged_write(off, 4096, false);
            }
            page += 1;
        }
    }

    /// Reads `len` bytes at physical `addr`, if the range is inside RAM.
    pub fn read_bytes(&self, addr: u64, len: usize) -> Option<&[u8]> {
        let off = self.offset(addr, len as u64)?;
        Some(&self.as_slice()[off..off + len])
    }
}

/// Reads `size` (1, 2, 4 or 8) little-endian bytes at host address `p`, unaligned: guest RAM as
/// [`Ram::read`] and the TLB's host pointers (`Tlb::host_load`) reach it.
///
/// # Safety
/// `p..p + size` must be inside a live allocation.
#[inline(always)]
pub unsafe fn read_le(p: *const u8, size: usize) -> u64 {
    match size {
        1 => *p as u64,
        2 => u16::from_le((p as *const u16).read_unaligned()) as u64,
        4 => u32::from_le((p as *const u32).read_unaligned()) as u64,
        _ => u64::from_le((p as *const u64).read_unaligned()),
    }
}

/// Writes the low `size` (1, 2, 4 or 8) bytes of `value`, little-endian and unaligned, at host
/// address `p`.
///
/// # Safety
/// `p..p + size` must be inside a live allocation that nothing else borrows.
#[inline(always)]
pub unsafe fn write_le(p: *mut u8, size: usize, value: u64) {
    match size {
        1 => *p = value as u8,
        2 => (p as *mut u16).write_unaligned((value as u16).to_le()),
        4 => (p as *mut u32).write_unaligned((value as u32).to_le()),
        _ => (p as *mut u64).write_unaligned(value.to_le()),
    }
}

impl Drop for Ram {
    fn drop(&mut self) {
        let layout = Layout::from_size_align(self.size as usize, Self::ALIGN)
            .expect("layout was valid at creation");
        // SAFETY: allocated in `new` with this exact layout.
        unsafe { alloc::dealloc(self.ptr, layout) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_four_access_sizes_are_served() {
        let mut ram = Ram::new(DRAM_BASE, 4096).unwrap();
        // At the very end of RAM, where an 8-byte access for an odd size would overrun.
        let last = DRAM_BASE + 4096 - 3;
        for size in [0, 3, 5, 6, 7, 9, 16] {
            assert_eq!(ram.read(last, size), None, "read of {size}");
            assert!(!ram.write(last, size, u64::MAX), "write of {size}");
        }
        assert_eq!(ram.read(last, 2), Some(0));
        assert!(ram.write(last + 2, 1, 0xab));
        assert_eq!(ram.read(last + 2, 1), Some(0xab));
    }

    #[test]
    fn reads_back_what_was_written_little_endian() {
        let mut ram = Ram::new(DRAM_BASE, 1 << 20).unwrap();
        assert!(ram.write(DRAM_BASE + 3, 8, 0x1122_3344_5566_7788));
        assert_eq!(ram.read(DRAM_BASE + 3, 1), Some(0x88));
        assert_eq!(ram.read(DRAM_BASE + 4, 2), Some(0x6677));
        assert_eq!(ram.read(DRAM_BASE + 3, 8), Some(0x1122_3344_5566_7788));
    }

    #[test]
    fn refuses_accesses_that_leave_ram() {
        let mut ram = Ram::new(DRAM_BASE, 4096).unwrap();
        assert_eq!(ram.read(DRAM_BASE + 4093, 4), None);
        assert_eq!(ram.read(DRAM_BASE - 1, 1), None);
        assert!(!ram.write(DRAM_BASE + 4096, 1, 0));
        assert_eq!(ram.read(DRAM_BASE + 4092, 4), Some(0));
        assert_eq!(ram.offset(u64::MAX, 8), None);
    }

    #[test]
    fn writes_to_code_pages_bump_their_generation() {
        let mut ram = Ram::new(DRAM_BASE, 3 * 4096).unwrap();
        let g = ram.code_generation(DRAM_BASE + 4096);
        ram.write(DRAM_BASE + 4096, 4, 1);
        assert_eq!(
            ram.code_generation(DRAM_BASE + 4096),
            g,
            "not code: no change"
        );
        assert!(!ram.take_code_written());
        ram.mark_code(DRAM_BASE + 4100);
        ram.write(DRAM_BASE + 8192, 4, 1);
        assert!(!ram.take_code_written(), "another page");
        ram.write(DRAM_BASE + 4096 + 8, 8, 1);
        assert_ne!(ram.code_generation(DRAM_BASE + 4096), g);
        assert!(ram.take_code_written());
        assert!(!ram.take_code_written());
        ram.mark_code(DRAM_BASE);
        ram.invalidate_code(DRAM_BASE + 100, 10);
        assert!(ram.take_code_written());
    }

    #[test]
    fn writes_to_watched_ranges_are_reported_and_others_are_not() {
        let mut ram = Ram::new(DRAM_BASE, 3 * 4096).unwrap();
        assert!(ram.add_watch(DRAM_BASE + 4096 + 16, 8));
        ram.write(DRAM_BASE + 4096 + 8, 8, 1);
        ram.write(DRAM_BASE + 4096 + 24, 4, 1);
        ram.write(DRAM_BASE + 16, 8, 1);
        assert!(!ram.watch_hit(), "neighbours are not watched");
        ram.write(DRAM_BASE + 4096 + 20, 2, 1);
        assert!(ram.watch_hit());
        assert!(ram.take_code_written(), "a hit wakes the hart");
        assert_eq!(ram.read(DRAM_BASE + 4096 + 16, 8), Some(1 << 32));
        ram.undo_watched_write();
        assert_eq!(ram.read(DRAM_BASE + 4096 + 16, 8), Some(0), "undone");
        assert_eq!(ram.take_watch_hit(), Some(DRAM_BASE + 4096 + 16));
        assert_eq!(ram.take_watch_hit(), None);
        ram.suspend_watches(true);
        ram.write(DRAM_BASE + 4096 + 16, 1, 1);
        assert!(!ram.watch_hit(), "suspended");
        ram.suspend_watches(false);
        // Device writes (DMA) and loaders are not the guest's stores.
        ram.write_bytes(DRAM_BASE + 4096 + 16, &[1, 2]);
        assert!(!ram.watch_hit());
        // A watched code page still has its code invalidated.
        ram.mark_code(DRAM_BASE + 4096);
        let g = ram.code_generation(DRAM_BASE + 4096);
        ram.write(DRAM_BASE + 4096, 1, 0);
        assert_ne!(ram.code_generation(DRAM_BASE + 4096), g);
        assert!(!ram.remove_watch(DRAM_BASE + 4096 + 16, 4));
        assert!(ram.remove_watch(DRAM_BASE + 4096 + 16, 8));
        ram.write(DRAM_BASE + 4096 + 16, 8, 1);
        assert!(!ram.watch_hit());
        assert!(!ram.add_watch(DRAM_BASE + 3 * 4096, 8), "outside RAM");
    }

    #[test]
    fn rejects_bad_sizes() {
        assert!(matches!(Ram::new(DRAM_BASE, 0), Err(RamError::BadSize(0))));
        assert!(matches!(
            Ram::new(DRAM_BASE, 100),
            Err(RamError::BadSize(100))
        ));
        assert!(Ram::new(DRAM_BASE, 1 << 50).is_err());
    }

    /// Resident set size of this process, in bytes (Linux).
    fn rss() -> u64 {
        let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm");
        let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
        pages * 4096
    }

    #[test]
    fn large_ram_is_lazy() {
        let before = rss();
        let mut ram = Ram::new(DRAM_BASE, 8 << 30).unwrap();
        assert!(ram.write(DRAM_BASE + (4 << 30), 8, 1));
        assert_eq!(ram.read(DRAM_BASE + (8 << 30) - 8, 8), Some(0));
        let grown = rss().saturating_sub(before);
        assert!(
            grown < 64 << 20,
            "8 GiB of guest RAM made the host commit {grown} bytes"
        );
    }
}
