//! Fuzz target `virtio`: see `emu_fuzz::virtio` (fuzz/src/virtio.rs) for what it checks.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| emu_fuzz::virtio::run(data));
