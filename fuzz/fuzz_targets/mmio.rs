//! Fuzz target `mmio`: see `emu_fuzz::mmio` (fuzz/src/mmio.rs) for what it checks.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| emu_fuzz::mmio::run(data));
