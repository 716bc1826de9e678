//! Transparent huge pages for guest RAM: advice on Linux, nothing elsewhere. This is the only
//! OS-specific code of the crate.
//!
//! Why advise at all: a guest touching memory all over, as hash tables and page-table walks do,
//! misses the host's TLB far less when its RAM is backed by 2 MiB pages (QEMU gives guest RAM the
//! same advice). Why only Linux: there the advice (`madvise(MADV_HUGEPAGE)`, through the `libc`
//! crate since std has no such call) applies to memory already allocated and still committed
//! lazily. macOS and Windows have no such advice: their large pages are asked for when memory is
//! mapped, and Windows commits them at once and needs a privilege to, which would undo lazily
//! committed guest RAM. Advice only: nothing changes if the host says no.

/// Asks the host to back `[ptr, ptr + len)`, a live allocation, with huge pages where it can.
#[cfg(target_os = "linux")]
pub(crate) fn advise(ptr: *mut u8, len: usize) {
    // madvise wants a page-aligned start; the allocator's header puts `ptr` just past one.
    let page = 4096;
    let start = (ptr as usize).next_multiple_of(page);
    let end = (ptr as usize + len) / page * page;
    if end > start {
        // SAFETY: [start, end) lies inside the live allocation of `len` bytes at `ptr`; the
        // advice changes how the kernel backs it, never its contents.
        unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) };
    }
}

/// Asks the host to back `[ptr, ptr + len)`, a live allocation, with huge pages where it can.
#[cfg(not(target_os = "linux"))]
pub(crate) fn advise(_ptr: *mut u8, _len: usize) {}
