//! The page loop in portable Rust: one `match` on the operation, in a loop.
//!
//! It runs the same arms as the threaded loop (`execute_arms!`, exec.rs) with the same endings,
//! pc implied by the slot and only the instructions that may raise an event looking at the event
//! flag, but it goes from one instruction to the next through the loop's one dispatch instead of
//! a tail call from handler to handler. So it needs nothing beyond stable Rust, and it is what a
//! compiler without guaranteed tail calls builds (build.rs); where both exist, `--page-loop`
//! chooses. roms/bench/README.md measures what it costs against the threaded loop.

// The arms name these where they are expanded.
use crate::csr::*;
use crate::exec::{execute_match, Retired};
use crate::hart::Hart;
use crate::inst::Op;
use crate::trap::Exception;
use emu_mmu::{Access, Bus};

impl Hart {
    /// [`Hart::run_page`] as one `match` in a loop: runs from pc's slot of the fetch page, and on
    /// in the pages jumps lead to while they can be fetch pages, at most `limit` (>= 1)
    /// instructions, until an event. Returns how many of `limit` are left.
    // The arms' endings all leave the arm (continue or return): the code after them is not
    // reached.
    #[allow(unreachable_code)]
    #[inline(never)]
    pub(crate) fn run_page_portable<B: Bus>(&mut self, bus: &mut B, limit: u64) -> u64 {
        let mut left = limit;
        // `slot` stays within the SLOTS + 1 slots of the fetch page: it starts at pc's parcel,
        // moves on by an instruction's length (from a slot below the last one, or from the last
        // one, which holds only 2-byte instructions, to the one past it, which is never filled),
        // or to a jump target checked to be inside the page; a new fetch page starts it again.
        let mut slot = self.fetch_slot(self.pc);
        macro_rules! pc {
            () => {
                self.fetch_pc(slot)
            };
        }
        macro_rules! retired {
            () => {
                Retired {
                    base: self.run_base,
                    left,
                }
            };
        }
        macro_rules! leave {
            ($pc:expr) => {{
                self.pc = $pc;
                self.steps = self.run_base - left;
                return left;
            }};
        }
        macro_rules! jump {
            ($t:expr) => {{
                let target: u64 = $t;
                left -= 1;
                if left == 0 {
                    leave!(target)
                }
                if target.wrapping_sub(self.fetch_vpage) > 0xffe {
                    // On in the new page, as the threaded loop's `next_page` does, if it can be
                    // the fetch page.
                    if target & 0xfff == 0xffe || !self.enter_fetch_page(bus, target) {
                        leave!(target)
                    }
                }
                slot = self.fetch_slot(target);
                continue;
            }};
        }
        // Moves to the slot `len` bytes on, and leaves the loop if the budget is spent or `stop`
        // holds.
        macro_rules! step {
            ($len:expr, $stop:expr) => {{
                slot = slot.wrapping_add(($len) as usize / 2);
                left -= 1;
                if left == 0 || $stop {
                    leave!(pc!())
                }
            }};
        }
        // The same, and runs that slot.
        macro_rules! go_on {
            ($len:expr, $stop:expr) => {{
                step!($len, $stop);
                continue;
            }};
        }
        macro_rules! jump_event {
            ($t:expr) => {{
                let target: u64 = $t;
                left -= 1;
                leave!(target)
            }};
        }
        macro_rules! trap {
            ($e:expr) => {{
                let e = $e;
                let (pc, retired) = (pc!(), retired!());
                // SAFETY: `slot` is in the page (above); the instruction read from it is not used
                // after this.
                let filled = unsafe { &mut *slot };
                match self.run_page_exception(bus, e, filled, pc, retired) {
                    None => continue,
                    Some(ran) => return left - ran,
                }
            }};
        }
        // Loads and stores take their slow path in line when the fast one misses.
        macro_rules! slow {
            ($e:expr) => {
                $e
            };
        }
        // One instruction of a fused pair or triple, `i`, `n` bytes long, other than the last:
        // run it and move on to the next slot, unless it jumped, trapped or wrote code.
        macro_rules! part {
            ($a:ident, $i:ident, $n:expr) => {{
                {
                    #[allow(unused_macros)]
                    macro_rules! next_pc {
                        () => {
                            pc!().wrapping_add($n as u64)
                        };
                    }
                    // Not on to the next slot's dispatch: on to the rest of the pair or triple.
                    #[allow(unused_macros)]
                    macro_rules! seq {
                        () => {
                            ()
                        };
                    }
                    #[allow(unused_macros)]
                    macro_rules! seq_event {
                        () => {
                            if self.event {
                                go_on!($n, true)
                            }
                        };
                    }
                    sem!($a, $i);
                }
                // The budget lasts to the end of the pair or triple (checked before it).
                slot = slot.wrapping_add(($n) as usize / 2);
                left -= 1;
            }};
        }
        // The last instruction of a fused pair or triple, `i`, `n` bytes long: it ends like any
        // other.
        macro_rules! last {
            ($b:ident, $i:ident, $n:expr) => {{
                #[allow(unused_macros)]
                macro_rules! next_pc {
                    () => {
                        pc!().wrapping_add($n as u64)
                    };
                }
                #[allow(unused_macros)]
                macro_rules! seq {
                    () => {
                        go_on!($n, false)
                    };
                }
                #[allow(unused_macros)]
                macro_rules! seq_event {
                    () => {
                        go_on!($n, self.event)
                    };
                }
                #[allow(unreachable_code)]
                {
                    sem!($b, $i);
                    seq!()
                }
            }};
        }
        // A fused pair or triple whose first instruction is `i` (`len!()` bytes long): the
        // instructions one after the other, each read from its own slot, without a dispatch of
        // their own. (A pair or triple is fused only with all of it in the page.)
        macro_rules! fused {
            ($i:ident, $a:ident, $b:ident) => {{
                // Too little budget left for both: the first alone.
                if left < 2 {
                    sem!($a, $i);
                    seq!()
                }
                part!($a, $i, len!());
                // SAFETY: in the page (above).
                let second = unsafe { &*slot };
                if second.len() == 2 {
                    last!($b, second, 2)
                } else {
                    last!($b, second, 4)
                }
            }};
        }
        macro_rules! fused3 {
            ($i:ident, $a:ident, $b:ident, $c:ident) => {{
                if left < 3 {
                    sem!($a, $i);
                    seq!()
                }
                part!($a, $i, len!());
                // SAFETY: in the page (above).
                let second = unsafe { &*slot };
                if second.len() == 2 {
                    part!($b, second, 2)
                } else {
                    part!($b, second, 4)
                }
                // SAFETY: in the page (above).
                let third = unsafe { &*slot };
                if third.len() == 2 {
                    last!($c, third, 2)
                } else {
                    last!($c, third, 4)
                }
            }};
        }
        // One copy of the executor per instruction length, so that going on to the next slot
        // does not wait for a load of the length.
        macro_rules! copy_for_len {
            ($d:tt, $len:literal, $inst:ident) => {{
                #[allow(unused_macros)]
                macro_rules! len {
                    () => {
                        $len
                    };
                }
                #[allow(unused_macros)]
                macro_rules! next_pc {
                    () => {
                        pc!().wrapping_add($len)
                    };
                }
                #[allow(unused_macros)]
                macro_rules! seq {
                    () => {
                        go_on!($len, false)
                    };
                }
                #[allow(unused_macros)]
                macro_rules! seq_event {
                    () => {
                        go_on!($len, self.event)
                    };
                }
                crate::exec::execute_body!($d, self, bus, $inst)
            }};
        }
        loop {
            // SAFETY: while `fetch_vpage` is set, `fetch_slots` points to the SLOTS + 1 slots of
            // its page in the decoded-instruction cache, which nothing frees or moves before the
            // next fetch-page setup (after which `slot` starts again in the new page's slots;
            // only `fill_slot` writes a slot); `slot` is in them (above).
            let inst = unsafe { &*slot };
            // An empty slot (length 0) runs as an illegal instruction: it is filled on that
            // (cold) trap path, so the hot one has no test of its own for it.
            if inst.len() == 2 {
                copy_for_len!($, 2, inst)
            } else {
                copy_for_len!($, 4, inst)
            }
        }
    }
}
