//! The page loop as threaded code: one function (a handler) per arm of `execute_arms!` and
//! instruction length, each of which runs its instruction and then jumps straight into the
//! handler of the next slot with a guaranteed tail call (`become`), so that control never comes
//! back to a central dispatch.
//!
//! Against one large `match` in a loop this gives every operation its own small function, whose
//! registers the compiler allocates for that operation alone, and its own indirect jump to the
//! next one (which the host's predictor learns per operation). The state the loop kept in
//! registers is the handlers' arguments: the hart, the bus, the slot and the budget left. The
//! rest (the fetch page, where the count of retired instructions starts) is read from the hart
//! where an operation needs it. Whatever would make a handler call out on its hot path (a trap,
//! a load or store that misses the TLB's fast path, a jump to another page) is a tail call too,
//! to a handler of its own: a call would make the compiler save registers on every path.
//!
//! The tail calls must be guaranteed, not left to the optimizer: a chain of handlers runs for as
//! long as the budget lasts, and one plain call per instruction would overflow the host stack (an
//! unoptimized build makes every call a plain one). Stable Rust has no such guarantee yet; the
//! unstable `explicit_tail_calls` does, and `.cargo/config.toml` lets the stable compiler accept
//! it (`RUSTC_BOOTSTRAP=1`, as the Linux kernel's Rust code does for its unstable features). So
//! this module is built only where build.rs finds the compiler accepts it; everywhere else the
//! portable loop (portable.rs) runs the same arms.

use crate::csr::*;
use crate::exec::{execute_arms, Retired};
use crate::hart::Hart;
use crate::inst::{Inst, Op};
use crate::trap::Exception;
use emu_mmu::{Access, Bus};
use std::marker::PhantomData;

/// Runs the instruction in a slot of the fetch page, and those after it, with `left` (>= 1)
/// instructions of the budget left; returns what is left when the run leaves the page (as
/// `Hart::run_page` does).
pub(crate) type Handler<B> = fn(&mut Hart, &mut B, *mut Inst, u64) -> u64;

/// The handlers of bus type `B`, one per operation.
pub(crate) struct Threaded<B>(PhantomData<B>);

impl<B: Bus> Threaded<B> {
    /// Runs from `slot`, a slot of the fetch page: see [`Handler`].
    pub(crate) fn run(hart: &mut Hart, bus: &mut B, slot: *mut Inst, left: u64) -> u64 {
        // SAFETY: `slot` is one of the fetch page's slots (the caller's promise); `index` is below
        // the table's length.
        become (unsafe { *Self::TABLE.get_unchecked(Self::index(&*slot)) })(hart, bus, slot, left)
    }

    /// Where `inst`'s handler is in the tables: its key, `op * 8 + len`, below `Op::COUNT * 8` as
    /// the length is 0, 2 or 4 (the decoder's and `Inst::NOT_DECODED`'s).
    #[inline(always)]
    fn index(inst: &Inst) -> usize {
        debug_assert!(matches!(inst.len(), 0 | 2 | 4) && inst.key() >> 3 == inst.op as u16);
        debug_assert!((inst.op as usize) < Op::COUNT);
        inst.key() as usize
    }

    /// A jump out of the fetch page, to `hart.pc`: on in the new page, if it can be the fetch page
    /// (as in `Hart::run`), without going back out to `Hart::run` (which has nothing to look at
    /// between pages: interrupts wait for events). The recent fetch pages first; translating in
    /// a function of its own, so that this one saves no registers.
    #[inline(never)]
    fn next_page(hart: &mut Hart, bus: &mut B, slot: *mut Inst, left: u64) -> u64 {
        let pc = hart.pc;
        if pc & 0xfff != 0xffe && hart.enter_recent_fetch_page(bus, pc) {
            become Threaded::<B>::run(hart, bus, hart.fetch_slot(pc), left)
        }
        become Threaded::<B>::next_page_slow(hart, bus, slot, left)
    }

    #[inline(never)]
    fn next_page_slow(hart: &mut Hart, bus: &mut B, _slot: *mut Inst, left: u64) -> u64 {
        let pc = hart.pc;
        if pc & 0xfff != 0xffe && hart.enter_fetch_page_slow(bus, pc & !0xfff) {
            become Threaded::<B>::run(hart, bus, hart.fetch_slot(pc), left)
        }
        hart.steps = hart.run_base - left;
        left
    }

    /// The trap path of the handlers: takes the exception in `hart.trapped` (or fills the empty
    /// slot and runs it).
    #[cold]
    fn trap(hart: &mut Hart, bus: &mut B, slot: *mut Inst, left: u64) -> u64 {
        let pc = hart.fetch_pc(slot);
        let retired = Retired {
            base: hart.run_base,
            left,
        };
        // SAFETY: `slot` is one of the fetch page's slots (the handler's promise).
        let filled = unsafe { &mut *slot };
        match hart.run_page_exception(bus, hart.trapped, filled, pc, retired) {
            None => become Threaded::<B>::run(hart, bus, slot, left),
            Some(ran) => left - ran,
        }
    }
}

/// Makes a handler of each arm of `execute_arms!`, and the table from operation to handler.
///
/// Each handler expands its arm with the page loop's endings: pc is implied by the slot, an
/// instruction goes on to the next slot by its length, and only those that may raise an event
/// look at the event flag.
macro_rules! handlers {
    (
        $d:tt $h:ident $bus:ident $inst:ident;
        $($name:ident $([$($op:ident),+])? => $body:expr,)*
        ; $rest:ident => $rest_body:expr
    ) => {
        $(handlers!(@handler $d $h $bus $inst; $name => $body);)*
        handlers!(@handler $d $h $bus $inst; $rest => $rest_body);

        impl<B: Bus> Threaded<B> {
            /// The handler of each operation and length (2 or 4, and 0 for an empty slot): at
            /// `op * 8 + len`. Those of `fp_ops!` not named by an arm of their own share the last.
            const TABLE: [Handler<B>; Op::COUNT * 8] =
                handlers!(@table false, $rest; $($name $([$($op),+])?),*);
            /// The same handlers with the slow paths of loads and stores in line, for an
            /// instruction whose fast path missed; those of fused pairs and triples run their
            /// first instruction alone.
            const SLOW_TABLE: [Handler<B>; Op::COUNT * 8] =
                handlers!(@table true, $rest; $($name $([$($op),+])?),*);
        }
    };
    (@table $slow:literal, $rest:ident; $($name:ident $([$($op:ident),+])?),*) => {{
        let mut table = [$rest::<B, 4, $slow> as Handler<B>; Op::COUNT * 8];
        let mut op = 0;
        while op < Op::COUNT {
            table[op * 8 + 2] = $rest::<B, 2, $slow>;
            op += 1;
        }
        $(handlers!(@set table, $slow, $name $([$($op),+])?);)*
        table
    }};
    // The handler `name` for its operations (for an arm of one, the operation of that name).
    (@set $table:ident, $slow:literal, $name:ident) => {
        handlers!(@set $table, $slow, $name [$name]);
    };
    (@set $table:ident, $slow:literal, $name:ident [$($op:ident),+]) => {
        $(
            $table[Op::$op as usize * 8] = $name::<B, 4, $slow>;
            $table[Op::$op as usize * 8 + 2] = $name::<B, 2, $slow>;
            $table[Op::$op as usize * 8 + 4] = $name::<B, 4, $slow>;
        )+
    };
    (@handler $d:tt $h:ident $bus:ident $inst:ident; $name:ident => $body:expr) => {
        #[allow(non_snake_case, unused_mut, unused_macros, unused_variables, unreachable_code)]
        fn $name<B: Bus, const LEN: u8, const SLOW: bool>(
            $h: &mut Hart,
            $bus: &mut B,
            mut slot: *mut Inst,
            mut left: u64,
        ) -> u64 {
            // SAFETY: while `fetch_vpage` is set, `fetch_slots` points to the SLOTS + 1 slots of
            // its page in the hart's decoded-instruction cache, which nothing frees or moves
            // before the next fetch-page setup (`next_page_slow`, which then goes on from the new
            // page's slots; only `fill_slot` writes a slot); `slot` stays in them: it starts at
            // pc's parcel (`Hart::run_page`, `next_page`), moves on by an instruction's length
            // (from a slot below the last one, or from the last one, which holds only 2-byte
            // instructions, to the one past it, which is never filled), or to a jump target
            // checked to be inside the page.
            let $inst = unsafe { &*slot };
            macro_rules! pc {
                () => {
                    $h.fetch_pc(slot)
                };
            }
            macro_rules! retired {
                () => {
                    Retired {
                        base: $h.run_base,
                        left,
                    }
                };
            }
            macro_rules! leave {
                ($d pc:expr) => {{
                    $h.pc = $d pc;
                    $h.steps = $h.run_base - left;
                    return left;
                }};
            }
            // (To be used in an `unsafe` block: `slot` is in the page, above.)
            macro_rules! index {
                () => {
                    Threaded::<B>::index(&*slot)
                };
            }
            // Into the handler of the slot.
            macro_rules! dispatch {
                () => {{
                    // SAFETY: `slot` is in the page (above); `index` is below the table's length.
                    let handler = unsafe { *Threaded::<B>::TABLE.get_unchecked(index!()) };
                    become handler($h, $bus, slot, left)
                }};
            }
            macro_rules! jump {
                ($d t:expr) => {{
                    let target: u64 = $d t;
                    left -= 1;
                    let off = target.wrapping_sub($h.fetch_vpage);
                    if left == 0 {
                        leave!(target)
                    }
                    if off > 0xffe {
                        $h.pc = target;
                        become Threaded::<B>::next_page($h, $bus, slot, left)
                    }
                    slot = $h.fetch_slot(target);
                    dispatch!()
                }};
            }
            // Moves to the slot `len` bytes on, and leaves if the budget is spent or `stop` holds.
            macro_rules! step {
                ($d len:expr, $d stop:expr) => {{
                    slot = slot.wrapping_add(($d len) as usize / 2);
                    left -= 1;
                    if left == 0 || $d stop {
                        leave!(pc!())
                    }
                }};
            }
            // The same, and runs that slot.
            macro_rules! go_on {
                ($d len:expr, $d stop:expr) => {{
                    step!($d len, $d stop);
                    dispatch!()
                }};
            }
            macro_rules! jump_event {
                ($d t:expr) => {{
                    let target: u64 = $d t;
                    left -= 1;
                    leave!(target)
                }};
            }
            // By tail call too, so that no handler calls out on its own hot path (a call makes
            // the compiler save and restore registers on every path through the handler).
            macro_rules! trap {
                ($d e:expr) => {{
                    $h.trapped = $d e;
                    become Threaded::<B>::trap($h, $bus, slot, left)
                }};
            }
            // A load or store whose fast path missed: its instruction again, with the slow path.
            macro_rules! slow {
                ($d e:expr) => {
                    if SLOW {
                        $d e
                    } else {
                        // SAFETY: as for `TABLE`.
                        let handler = unsafe { *Threaded::<B>::SLOW_TABLE.get_unchecked(index!()) };
                        become handler($h, $bus, slot, left)
                    }
                };
            }
            // A constant: each operation has a handler per length, so that going on to the next
            // slot does not wait for a load.
            macro_rules! len {
                () => {
                    LEN
                };
            }
            macro_rules! next_pc {
                () => {
                    pc!().wrapping_add(len!() as u64)
                };
            }
            macro_rules! seq {
                () => {
                    go_on!(len!(), false)
                };
            }
            macro_rules! seq_event {
                () => {
                    go_on!(len!(), $h.event)
                };
            }
            // One instruction of a fused pair or triple, `i`, `n` bytes long, other than the
            // last: run it and move on to the next slot, unless it jumped, trapped or wrote code.
            macro_rules! part {
                ($d a:ident, $d i:ident, $d n:expr) => {{
                    {
                        macro_rules! next_pc {
                            () => {
                                pc!().wrapping_add($d n as u64)
                            };
                        }
                        // Not on to the next slot's handler: on to the rest of the pair or triple.
                        macro_rules! seq {
                            () => {
                                ()
                            };
                        }
                        macro_rules! seq_event {
                            () => {
                                if $h.event {
                                    go_on!($d n, true)
                                }
                            };
                        }
                        sem!($d a, $d i);
                    }
                    // The budget lasts to the end of the pair or triple (checked before it).
                    slot = slot.wrapping_add(($d n) as usize / 2);
                    left -= 1;
                }};
            }
            // The last instruction of a fused pair or triple, `i`, `n` bytes long: it ends like
            // any other.
            macro_rules! last {
                ($d b:ident, $d i:ident, $d n:expr) => {{
                    macro_rules! next_pc {
                        () => {
                            pc!().wrapping_add($d n as u64)
                        };
                    }
                    macro_rules! seq {
                        () => {
                            go_on!($d n, false)
                        };
                    }
                    macro_rules! seq_event {
                        () => {
                            go_on!($d n, $h.event)
                        };
                    }
                    sem!($d b, $d i);
                    seq!()
                }};
            }
            // A fused pair or triple whose first instruction is `inst`: the instructions one
            // after the other, each read from its own slot, without a dispatch of their own. (A
            // pair or triple is fused only with all of it in the page.)
            macro_rules! fused {
                ($d i:ident, $d a:ident, $d b:ident) => {{
                    // Slow, or too little budget left for both: the first alone.
                    if SLOW || left < 2 {
                        sem!($d a, $d i);
                        seq!()
                    }
                    part!($d a, $d i, len!());
                    // SAFETY: in the page (above).
                    let second = unsafe { &*slot };
                    if second.len() == 2 {
                        last!($d b, second, 2)
                    } else {
                        last!($d b, second, 4)
                    }
                }};
            }
            macro_rules! fused3 {
                ($d i:ident, $d a:ident, $d b:ident, $d c:ident) => {{
                    if SLOW || left < 3 {
                        sem!($d a, $d i);
                        seq!()
                    }
                    part!($d a, $d i, len!());
                    // SAFETY: in the page (above).
                    let second = unsafe { &*slot };
                    if second.len() == 2 {
                        part!($d b, second, 2)
                    } else {
                        part!($d b, second, 4)
                    }
                    // SAFETY: in the page (above).
                    let third = unsafe { &*slot };
                    if third.len() == 2 {
                        last!($d c, third, 2)
                    } else {
                        last!($d c, third, 4)
                    }
                }};
            }
            crate::exec::execute_helpers!($d, $h, $bus, $inst);
            $body;
            seq!()
        }
    };
}

execute_arms!($, hart, bus, inst, handlers);
