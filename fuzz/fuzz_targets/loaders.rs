//! Fuzz target `loaders`: see `emu_fuzz::loaders` (fuzz/src/loaders.rs) for what it checks.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| emu_fuzz::loaders::run(data));
