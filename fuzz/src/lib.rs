//! The fuzz harnesses of emu, one module per libFuzzer target (`fuzz_targets/*.rs` only call
//! `MODULE::run`). They live in a library so a crashing input can be replayed from a test or a
//! debugger without libFuzzer.
//!
//! Every harness states its oracle in its module documentation: beyond "no panic, no host memory
//! error" (a panic, an out-of-bounds access or a hang is a finding), each checks what the guest
//! must see (a well-formed trap, an error status, a refused access).

pub mod exec;
pub mod loaders;
pub mod mmio;
pub mod virtio;

/// Reads fuzz bytes as numbers; once the input is used up every read is zero.
pub struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    /// A reader over `data`.
    pub fn new(data: &'a [u8]) -> Input<'a> {
        Input { data }
    }

    /// Bytes left.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the input is used up.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Up to `n` bytes (fewer at the end of the input).
    pub fn bytes(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.data.len());
        let (head, tail) = self.data.split_at(n);
        self.data = tail;
        head
    }

    /// The rest of the input.
    pub fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.data)
    }

    fn le(&mut self, n: usize) -> u64 {
        let mut b = [0u8; 8];
        let src = self.bytes(n);
        b[..src.len()].copy_from_slice(src);
        u64::from_le_bytes(b)
    }

    /// One byte.
    pub fn u8(&mut self) -> u8 {
        self.le(1) as u8
    }

    /// Two bytes, little-endian.
    pub fn u16(&mut self) -> u16 {
        self.le(2) as u16
    }

    /// Four bytes, little-endian.
    pub fn u32(&mut self) -> u32 {
        self.le(4) as u32
    }

    /// Eight bytes, little-endian.
    pub fn u64(&mut self) -> u64 {
        self.le(8)
    }

    /// One of the access sizes the bus contract allows: 1, 2, 4 or 8 bytes.
    pub fn size(&mut self) -> usize {
        1 << (self.u8() & 3)
    }
}

/// Whether `value` fits in an access of `size` bytes.
pub fn fits(value: u64, size: usize) -> bool {
    size >= 8 || value >> (8 * size) == 0
}
