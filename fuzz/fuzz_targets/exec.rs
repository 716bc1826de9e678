//! Fuzz target `exec`: see `emu_fuzz::exec` (fuzz/src/exec.rs) for what it checks.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| emu_fuzz::exec::run(data));
