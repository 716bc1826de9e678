//! A RISC-V RV64 hart for emu: decoder, disassembler, executor, CSRs, privilege levels and traps.

#![deny(missing_docs)]
// Guaranteed tail calls for the threaded page loop (threaded.rs), where the compiler accepts
// them (build.rs); else only the portable loop is built.
#![cfg_attr(threaded_loop, feature(explicit_tail_calls))]
// rustc calls the feature incomplete; the suites (ISA tests, Linux boots, the fused-op
// differential test) run through it on every build, and on x86-64 it compiles to plain jumps.
#![cfg_attr(threaded_loop, allow(incomplete_features))]
// For a test only: Op::COUNT against the number of variants, which the threaded loop's tables
// rely on.
#![cfg_attr(all(test, threaded_loop), feature(variant_count))]

pub mod csr;
mod debug;
mod decode;
mod disasm;
mod exec;
mod fpu;
mod fusion;
mod hart;
mod icache;
mod inst;
mod portable;
mod softfp;
#[cfg(threaded_loop)]
mod threaded;
mod trap;

pub use csr::Privilege;
pub use decode::decode;
pub use disasm::{csr_name, disassemble, FREG_NAMES, REG_NAMES};
pub use hart::{Exit, Hart, HartStats, PageLoop};
pub use inst::{Inst, Op};
pub use trap::{Exception, Interrupt};

#[cfg(test)]
mod tests;
