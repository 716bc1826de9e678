//! Split virtqueue (virtio 1.x section 2.7): the descriptor table, the available ring (driver
//! area) and the used ring (device area) live in guest RAM at addresses the driver chose.
//!
//! Everything read from the rings is guest-controlled and checked here: the available index may
//! be at most one queue's worth ahead of the device, descriptor indices must be inside their
//! table, a chain may not be longer than its table (which catches loops), every buffer and ring
//! element must lie inside RAM, indirect tables (section 2.7.5.3) must be well formed and not
//! nested, and device-readable buffers must come before device-writable ones. Any violation is a
//! [`QueueError`]; the transport then marks the device DEVICE_NEEDS_RESET.

use super::memory::GuestMemory;

/// Descriptor flag: the chain continues at `next`.
pub const VIRTQ_DESC_F_NEXT: u16 = 1;
/// Descriptor flag: the buffer is device-writable (otherwise device-readable).
pub const VIRTQ_DESC_F_WRITE: u16 = 2;
/// Descriptor flag: the buffer holds a table of indirect descriptors.
pub const VIRTQ_DESC_F_INDIRECT: u16 = 4;
/// Available ring flag: the driver does not want used-buffer notifications.
pub const VIRTQ_AVAIL_F_NO_INTERRUPT: u16 = 1;
/// Largest queue size the specification allows (section 2.7).
pub const MAX_QUEUE_SIZE: u16 = 32768;

/// Size of one descriptor in the table.
const DESC_SIZE: u64 = 16;

/// How the driver broke the virtqueue rules.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueueError {
    /// The available index is further ahead of the device than the queue has entries.
    #[error(
        "available index {avail_idx} is more than {size} entries ahead of the device ({next})"
    )]
    AvailIndexTooFar {
        /// The driver's available index.
        avail_idx: u16,
        /// The next entry the device would take.
        next: u16,
        /// Queue size.
        size: u16,
    },
    /// A descriptor index past the end of its table.
    #[error("descriptor index {index} outside a table of {len}")]
    DescriptorIndex {
        /// The index found.
        index: u16,
        /// Entries in the table.
        len: u32,
    },
    /// A chain with more descriptors than its table: a loop.
    #[error("descriptor chain longer than its table of {len} (a loop?)")]
    ChainTooLong {
        /// Entries in the table.
        len: u32,
    },
    /// A buffer not entirely inside guest RAM.
    #[error("buffer at {addr:#x} of {len} bytes is outside guest RAM")]
    BufferOutsideRam {
        /// Guest-physical address.
        addr: u64,
        /// Length in bytes.
        len: u32,
    },
    /// A ring or table element not inside guest RAM.
    #[error("virtqueue structure at {addr:#x} is outside guest RAM")]
    RingOutsideRam {
        /// Guest-physical address.
        addr: u64,
    },
    /// An indirect descriptor that is empty, not a whole number of descriptors, too large,
    /// nested inside another table, or also marked NEXT.
    #[error("malformed indirect descriptor (len {len}, flags {flags:#x})")]
    BadIndirect {
        /// Its length.
        len: u32,
        /// Its flags.
        flags: u16,
    },
    /// A device-readable buffer after a device-writable one (section 2.7.4.2).
    #[error("device-readable descriptor after a device-writable one")]
    ReadableAfterWritable,
    /// A request the device cannot even answer (for example no room for a status byte).
    #[error("malformed request: {0}")]
    BadRequest(&'static str),
}

/// One guest buffer of a descriptor chain; already checked to lie inside RAM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Buffer {
    /// Guest-physical address.
    pub addr: u64,
    /// Length in bytes.
    pub len: u32,
}

/// A descriptor chain taken from the available ring, split into what the device reads and what
/// it writes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DescriptorChain {
    /// Index of the head descriptor, returned in the used ring.
    pub head: u16,
    /// Device-readable buffers, in order.
    pub readable: Vec<Buffer>,
    /// Device-writable buffers, in order.
    pub writable: Vec<Buffer>,
}

impl DescriptorChain {
    /// Total bytes the device may read.
    pub fn readable_len(&self) -> u64 {
        self.readable.iter().map(|b| u64::from(b.len)).sum()
    }

    /// Total bytes the device may write.
    pub fn writable_len(&self) -> u64 {
        self.writable.iter().map(|b| u64::from(b.len)).sum()
    }
}

/// The guest ranges covering bytes `[skip, skip + limit)` of the byte stream formed by `bufs`,
/// as `(addr, len)` pairs; shorter if the stream ends first.
pub fn stream_ranges(bufs: &[Buffer], mut skip: u64, mut limit: u64) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    for b in bufs {
        if limit == 0 {
            break;
        }
        let len = u64::from(b.len);
        if skip >= len {
            skip -= len;
            continue;
        }
        let take = (len - skip).min(limit);
        out.push((b.addr + skip, take));
        limit -= take;
        skip = 0;
    }
    out
}

/// Copies bytes `[skip, skip + out.len())` of the readable stream of `bufs` into `out`; returns
/// how many bytes were available.
pub fn read_stream(mem: &GuestMemory<'_>, bufs: &[Buffer], skip: u64, out: &mut [u8]) -> usize {
    let mut done = 0;
    for (addr, len) in stream_ranges(bufs, skip, out.len() as u64) {
        match mem.slice(addr, len) {
            Some(src) => out[done..done + src.len()].copy_from_slice(src),
            None => break,
        }
        done += len as usize;
    }
    done
}

/// Copies `data` into bytes `[skip, skip + data.len())` of the writable stream of `bufs`; returns
/// how many bytes fitted.
pub fn write_stream(mem: &mut GuestMemory<'_>, bufs: &[Buffer], skip: u64, data: &[u8]) -> usize {
    let mut done = 0;
    for (addr, len) in stream_ranges(bufs, skip, data.len() as u64) {
        let len = len as usize;
        match mem.slice_mut(addr, len as u64) {
            Some(dst) => dst.copy_from_slice(&data[done..done + len]),
            None => break,
        }
        done += len;
    }
    done
}

/// One split virtqueue's configuration and the device's position in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Queue {
    max_size: u16,
    /// Entries (QueueNum), 1..=max_size.
    size: u16,
    ready: bool,
    desc_table: u64,
    avail_ring: u64,
    used_ring: u64,
    /// Next available-ring entry the device will take.
    next_avail: u16,
    /// Next used-ring entry the device will fill (and the used index it publishes).
    next_used: u16,
}

impl Queue {
    /// A queue offering at most `max_size` entries (rounded down to a power of 2 in 1..=32768),
    /// not ready.
    pub fn new(max_size: u16) -> Queue {
        let max_size = max_size.clamp(1, MAX_QUEUE_SIZE);
        let max_size = 1u16 << (15 - max_size.leading_zeros());
        Queue {
            max_size,
            size: max_size,
            ready: false,
            desc_table: 0,
            avail_ring: 0,
            used_ring: 0,
            next_avail: 0,
            next_used: 0,
        }
    }

    /// Back to the state after [`Queue::new`].
    pub fn reset(&mut self) {
        *self = Queue::new(self.max_size);
    }

    /// QueueNumMax.
    pub fn max_size(&self) -> u16 {
        self.max_size
    }

    /// QueueNum.
    pub fn size(&self) -> u16 {
        self.size
    }

    /// Sets QueueNum. A split virtqueue's size is a power of 2 (section 2.7); other sizes, sizes
    /// above the maximum, and changes while the queue is ready are ignored.
    pub fn set_size(&mut self, size: u32) {
        if !self.ready && size.is_power_of_two() && size <= u32::from(self.max_size) {
            self.size = size as u16;
        }
    }

    /// QueueReady.
    pub fn ready(&self) -> bool {
        self.ready
    }

    /// Sets QueueReady.
    pub fn set_ready(&mut self, ready: bool) {
        self.ready = ready;
    }

    /// QueueDesc: guest-physical address of the descriptor table.
    pub fn desc_table(&self) -> u64 {
        self.desc_table
    }

    /// QueueDriver: guest-physical address of the available ring.
    pub fn avail_ring(&self) -> u64 {
        self.avail_ring
    }

    /// QueueDevice: guest-physical address of the used ring.
    pub fn used_ring(&self) -> u64 {
        self.used_ring
    }

    /// Sets the three ring addresses (ignored while the queue is ready: section 4.2.2.3 lets the
    /// driver write them only before QueueReady).
    pub fn set_addresses(&mut self, desc: u64, avail: u64, used: u64) {
        if !self.ready {
            self.desc_table = desc;
            self.avail_ring = avail;
            self.used_ring = used;
        }
    }

    /// The next available-ring entry the device will take.
    pub fn next_avail(&self) -> u16 {
        self.next_avail
    }

    /// The next used index the device will publish.
    pub fn next_used(&self) -> u16 {
        self.next_used
    }

    /// Takes the next available descriptor chain, or `None` if the driver has offered nothing
    /// new (or the queue is not ready).
    pub fn pop(&mut self, mem: &GuestMemory<'_>) -> Result<Option<DescriptorChain>, QueueError> {
        if !self.ready {
            return Ok(None);
        }
        let avail_idx = read_u16(mem, self.avail_ring, 2)?;
        let ahead = avail_idx.wrapping_sub(self.next_avail);
        if ahead == 0 {
            return Ok(None);
        }
        if ahead > self.size {
            return Err(QueueError::AvailIndexTooFar {
                avail_idx,
                next: self.next_avail,
                size: self.size,
            });
        }
        let slot = u64::from(self.next_avail % self.size);
        let head = read_u16(mem, self.avail_ring, 4 + 2 * slot)?;
        self.next_avail = self.next_avail.wrapping_add(1);
        self.walk_chain(mem, head).map(Some)
    }

    /// Follows the chain starting at `head`, through at most one indirect table.
    fn walk_chain(&self, mem: &GuestMemory<'_>, head: u16) -> Result<DescriptorChain, QueueError> {
        let mut chain = DescriptorChain {
            head,
            ..DescriptorChain::default()
        };
        let mut table = self.desc_table;
        let mut table_len = u32::from(self.size);
        let mut indirect = false;
        let mut index = head;
        let mut seen = 0u32;
        loop {
            if u32::from(index) >= table_len {
                return Err(QueueError::DescriptorIndex {
                    index,
                    len: table_len,
                });
            }
            seen += 1;
            if seen > table_len {
                return Err(QueueError::ChainTooLong { len: table_len });
            }
            let d = read_descriptor(mem, table, index)?;
            if d.flags & VIRTQ_DESC_F_INDIRECT != 0 {
                let entries = u64::from(d.len) / DESC_SIZE;
                if indirect
                    || d.flags & VIRTQ_DESC_F_NEXT != 0
                    || d.len == 0
                    || u64::from(d.len) % DESC_SIZE != 0
                    || entries > u64::from(MAX_QUEUE_SIZE)
                {
                    return Err(QueueError::BadIndirect {
                        len: d.len,
                        flags: d.flags,
                    });
                }
                if !mem.contains(d.addr, u64::from(d.len)) {
                    return Err(QueueError::RingOutsideRam { addr: d.addr });
                }
                indirect = true;
                table = d.addr;
                table_len = entries as u32;
                index = 0;
                seen = 0;
                continue;
            }
            if !mem.contains(d.addr, u64::from(d.len)) {
                return Err(QueueError::BufferOutsideRam {
                    addr: d.addr,
                    len: d.len,
                });
            }
            let buf = Buffer {
                addr: d.addr,
                len: d.len,
            };
            if d.flags & VIRTQ_DESC_F_WRITE != 0 {
                chain.writable.push(buf);
            } else if chain.writable.is_empty() {
                chain.readable.push(buf);
            } else {
                return Err(QueueError::ReadableAfterWritable);
            }
            if d.flags & VIRTQ_DESC_F_NEXT == 0 {
                return Ok(chain);
            }
            index = d.next;
        }
    }

    /// Returns the chain with head `head` to the driver, `len` bytes written into it.
    pub fn add_used(
        &mut self,
        mem: &mut GuestMemory<'_>,
        head: u16,
        len: u32,
    ) -> Result<(), QueueError> {
        let slot = u64::from(self.next_used % self.size);
        let elem = ring_addr(self.used_ring, 4 + 8 * slot, 8)?;
        let elem_ok = mem.write(elem, 4, u64::from(head)) && mem.write(elem + 4, 4, u64::from(len));
        if !elem_ok {
            return Err(QueueError::RingOutsideRam { addr: elem });
        }
        self.next_used = self.next_used.wrapping_add(1);
        let idx = ring_addr(self.used_ring, 2, 2)?;
        if !mem.write(idx, 2, u64::from(self.next_used)) {
            return Err(QueueError::RingOutsideRam { addr: idx });
        }
        Ok(())
    }

    /// Whether the driver wants an interrupt for new used buffers (VIRTQ_AVAIL_F_NO_INTERRUPT
    /// clear; no event index, section 2.7.7).
    pub fn wants_interrupt(&self, mem: &GuestMemory<'_>) -> Result<bool, QueueError> {
        let flags = read_u16(mem, self.avail_ring, 0)?;
        Ok(flags & VIRTQ_AVAIL_F_NO_INTERRUPT == 0)
    }
}

/// A descriptor as laid out in guest memory (section 2.7.5).
struct Descriptor {
    addr: u64,
    len: u32,
    flags: u16,
    next: u16,
}

/// `base + offset`, checked not to overflow with `len` more bytes.
fn ring_addr(base: u64, offset: u64, len: u64) -> Result<u64, QueueError> {
    base.checked_add(offset)
        .filter(|a| a.checked_add(len).is_some())
        .ok_or(QueueError::RingOutsideRam { addr: base })
}

fn read_u16(mem: &GuestMemory<'_>, base: u64, offset: u64) -> Result<u16, QueueError> {
    let addr = ring_addr(base, offset, 2)?;
    mem.read(addr, 2)
        .map(|v| v as u16)
        .ok_or(QueueError::RingOutsideRam { addr })
}

fn read_descriptor(
    mem: &GuestMemory<'_>,
    table: u64,
    index: u16,
) -> Result<Descriptor, QueueError> {
    let addr = ring_addr(table, DESC_SIZE * u64::from(index), DESC_SIZE)?;
    let bytes = mem
        .slice(addr, DESC_SIZE)
        .ok_or(QueueError::RingOutsideRam { addr })?;
    let le = |r: std::ops::Range<usize>| {
        let mut b = [0u8; 8];
        b[..r.len()].copy_from_slice(&bytes[r]);
        u64::from_le_bytes(b)
    };
    Ok(Descriptor {
        addr: le(0..8),
        len: le(8..12) as u32,
        flags: le(12..14) as u16,
        next: le(14..16) as u16,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::virtio::memory::DmaLog;
    use emu_mmu::{Ram, DRAM_BASE};

    /// Test layout: descriptor table, avail ring and used ring at fixed places in a 1 MiB RAM.
    pub const DESC: u64 = DRAM_BASE;
    pub const AVAIL: u64 = DRAM_BASE + 0x1000;
    pub const USED: u64 = DRAM_BASE + 0x2000;
    pub const DATA: u64 = DRAM_BASE + 0x10_000;
    pub const RAM_SIZE: u64 = 1 << 20;

    /// Writes descriptor `i` of the table at `table`.
    pub fn put_desc(ram: &mut Ram, table: u64, i: u16, addr: u64, len: u32, flags: u16, next: u16) {
        let d = table + 16 * u64::from(i);
        assert!(ram.write(d, 8, addr));
        assert!(ram.write(d + 8, 4, u64::from(len)));
        assert!(ram.write(d + 12, 2, u64::from(flags)));
        assert!(ram.write(d + 14, 2, u64::from(next)));
    }

    /// Offers `head` in the available ring at position `avail_idx` and bumps the index.
    pub fn offer(ram: &mut Ram, size: u16, avail_idx: u16, head: u16) {
        assert!(ram.write(
            AVAIL + 4 + 2 * u64::from(avail_idx % size),
            2,
            u64::from(head)
        ));
        assert!(ram.write(AVAIL + 2, 2, u64::from(avail_idx.wrapping_add(1))));
    }

    fn ready_queue(size: u16) -> Queue {
        let mut q = Queue::new(size);
        q.set_addresses(DESC, AVAIL, USED);
        q.set_ready(true);
        q
    }

    fn pop(q: &mut Queue, ram: &mut Ram) -> Result<Option<DescriptorChain>, QueueError> {
        let mut log = DmaLog::default();
        let mem = GuestMemory::new(ram, &mut log);
        q.pop(&mem)
    }

    #[test]
    fn pops_a_chain_split_into_readable_and_writable() {
        let mut ram = Ram::new(DRAM_BASE, RAM_SIZE).unwrap();
        let mut q = ready_queue(8);
        put_desc(&mut ram, DESC, 3, DATA, 16, VIRTQ_DESC_F_NEXT, 5);
        put_desc(
            &mut ram,
            DESC,
            5,
            DATA + 0x100,
            512,
            VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE,
            1,
        );
        put_desc(&mut ram, DESC, 1, DATA + 0x400, 1, VIRTQ_DESC_F_WRITE, 0);
        assert_eq!(pop(&mut q, &mut ram), Ok(None));
        offer(&mut ram, 8, 0, 3);
        let chain = pop(&mut q, &mut ram).unwrap().unwrap();
        assert_eq!(chain.head, 3);
        assert_eq!(
            chain.readable,
            vec![Buffer {
                addr: DATA,
                len: 16
            }]
        );
        assert_eq!(chain.writable.len(), 2);
        assert_eq!(chain.readable_len(), 16);
        assert_eq!(chain.writable_len(), 513);
        assert_eq!(pop(&mut q, &mut ram), Ok(None));
    }

    #[test]
    fn used_ring_gets_head_len_and_index() {
        let mut ram = Ram::new(DRAM_BASE, RAM_SIZE).unwrap();
        let mut q = ready_queue(2);
        let mut log = DmaLog::default();
        let mut mem = GuestMemory::new(&mut ram, &mut log);
        for (i, head) in [7u16, 9, 11].into_iter().enumerate() {
            q.add_used(&mut mem, head, 100 + i as u32).unwrap();
        }
        // Third element wrapped to slot 0.
        assert_eq!(ram.read(USED + 4, 4), Some(11));
        assert_eq!(ram.read(USED + 8, 4), Some(102));
        assert_eq!(ram.read(USED + 12, 4), Some(9));
        assert_eq!(ram.read(USED + 2, 2), Some(3));
        assert!(!log.is_empty());
    }

    #[test]
    fn indirect_tables_are_followed() {
        let mut ram = Ram::new(DRAM_BASE, RAM_SIZE).unwrap();
        let mut q = ready_queue(4);
        let table = DRAM_BASE + 0x3000;
        put_desc(&mut ram, DESC, 0, table, 48, VIRTQ_DESC_F_INDIRECT, 0);
        put_desc(&mut ram, table, 0, DATA, 16, VIRTQ_DESC_F_NEXT, 2);
        put_desc(
            &mut ram,
            table,
            2,
            DATA + 16,
            8,
            VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE,
            1,
        );
        put_desc(&mut ram, table, 1, DATA + 32, 1, VIRTQ_DESC_F_WRITE, 0);
        offer(&mut ram, 4, 0, 0);
        let chain = pop(&mut q, &mut ram).unwrap().unwrap();
        assert_eq!(chain.readable_len(), 16);
        assert_eq!(chain.writable_len(), 9);
    }

    #[test]
    fn hostile_chains_are_errors_not_panics() {
        let mut ram = Ram::new(DRAM_BASE, RAM_SIZE).unwrap();
        // A loop: 0 -> 1 -> 0.
        let mut q = ready_queue(4);
        put_desc(&mut ram, DESC, 0, DATA, 4, VIRTQ_DESC_F_NEXT, 1);
        put_desc(&mut ram, DESC, 1, DATA, 4, VIRTQ_DESC_F_NEXT, 0);
        offer(&mut ram, 4, 0, 0);
        assert_eq!(
            pop(&mut q, &mut ram),
            Err(QueueError::ChainTooLong { len: 4 })
        );

        // A self-loop inside an indirect table.
        let mut q = ready_queue(4);
        let table = DRAM_BASE + 0x3000;
        put_desc(&mut ram, DESC, 0, table, 32, VIRTQ_DESC_F_INDIRECT, 0);
        put_desc(&mut ram, table, 0, DATA, 4, VIRTQ_DESC_F_NEXT, 0);
        assert_eq!(
            pop(&mut q, &mut ram),
            Err(QueueError::ChainTooLong { len: 2 })
        );

        // Nested indirect, indirect with NEXT, indirect of a bad length.
        for (flags, len) in [
            (VIRTQ_DESC_F_INDIRECT, 32),
            (VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT, 32),
            (VIRTQ_DESC_F_INDIRECT, 20),
            (VIRTQ_DESC_F_INDIRECT, 0),
        ] {
            let mut q = ready_queue(4);
            if len == 32 && flags == VIRTQ_DESC_F_INDIRECT {
                put_desc(&mut ram, DESC, 0, table, 32, flags, 0);
                put_desc(&mut ram, table, 0, table, 32, VIRTQ_DESC_F_INDIRECT, 0);
            } else {
                put_desc(&mut ram, DESC, 0, table, len, flags, 0);
            }
            assert!(
                matches!(pop(&mut q, &mut ram), Err(QueueError::BadIndirect { .. })),
                "flags {flags:#x} len {len}"
            );
        }

        // A descriptor index past the table.
        let mut q = ready_queue(4);
        put_desc(&mut ram, DESC, 0, DATA, 4, VIRTQ_DESC_F_NEXT, 4);
        assert_eq!(
            pop(&mut q, &mut ram),
            Err(QueueError::DescriptorIndex { index: 4, len: 4 })
        );

        // A head index past the table.
        let mut q = ready_queue(4);
        offer(&mut ram, 4, 0, 0xffff);
        assert!(matches!(
            pop(&mut q, &mut ram),
            Err(QueueError::DescriptorIndex { .. })
        ));

        // A buffer outside RAM, one straddling its end, one whose end overflows.
        for (addr, len) in [
            (0x1000, 4),
            (DRAM_BASE + RAM_SIZE - 2, 4),
            (u64::MAX - 1, 4),
        ] {
            let mut q = ready_queue(4);
            offer(&mut ram, 4, 0, 0);
            put_desc(&mut ram, DESC, 0, addr, len, 0, 0);
            assert_eq!(
                pop(&mut q, &mut ram),
                Err(QueueError::BufferOutsideRam { addr, len })
            );
        }

        // Readable after writable.
        let mut q = ready_queue(4);
        put_desc(
            &mut ram,
            DESC,
            0,
            DATA,
            4,
            VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE,
            1,
        );
        put_desc(&mut ram, DESC, 1, DATA, 4, 0, 0);
        assert_eq!(
            pop(&mut q, &mut ram),
            Err(QueueError::ReadableAfterWritable)
        );
    }

    #[test]
    fn avail_index_far_ahead_is_an_error() {
        let mut ram = Ram::new(DRAM_BASE, RAM_SIZE).unwrap();
        let mut q = ready_queue(8);
        assert!(ram.write(AVAIL + 2, 2, 9));
        assert!(matches!(
            pop(&mut q, &mut ram),
            Err(QueueError::AvailIndexTooFar { avail_idx: 9, .. })
        ));
        // Exactly a queue's worth ahead is fine.
        let mut q = ready_queue(8);
        assert!(ram.write(AVAIL + 2, 2, 8));
        put_desc(&mut ram, DESC, 0, DATA, 1, 0, 0);
        assert!(pop(&mut q, &mut ram).unwrap().is_some());
    }

    #[test]
    fn rings_outside_ram_are_errors() {
        let mut ram = Ram::new(DRAM_BASE, RAM_SIZE).unwrap();
        let mut log = DmaLog::default();
        let mut q = Queue::new(8);
        q.set_addresses(DESC, u64::MAX - 1, u64::MAX - 3);
        q.set_ready(true);
        let mut mem = GuestMemory::new(&mut ram, &mut log);
        assert!(matches!(
            q.pop(&mem),
            Err(QueueError::RingOutsideRam { .. })
        ));
        assert!(matches!(
            q.add_used(&mut mem, 0, 0),
            Err(QueueError::RingOutsideRam { .. })
        ));
        assert!(q.wants_interrupt(&mem).is_err());
        // A descriptor table that runs off the end of RAM.
        let mut q = Queue::new(8);
        q.set_addresses(DRAM_BASE + RAM_SIZE - 16, AVAIL, USED);
        q.set_ready(true);
        assert!(mem.write(AVAIL + 2, 2, 1));
        assert!(mem.write(AVAIL + 4, 2, 1));
        assert!(matches!(
            q.pop(&mem),
            Err(QueueError::RingOutsideRam { .. })
        ));
    }

    #[test]
    fn queue_configuration_rules() {
        let mut q = Queue::new(256);
        assert_eq!(q.size(), 256);
        q.set_size(0);
        q.set_size(257);
        assert_eq!(q.size(), 256);
        q.set_size(24);
        assert_eq!(q.size(), 256, "not a power of 2");
        q.set_size(16);
        assert_eq!(q.size(), 16);
        q.set_addresses(1, 2, 3);
        q.set_ready(true);
        q.set_size(32);
        q.set_addresses(4, 5, 6);
        assert_eq!(
            (q.size(), q.desc_table(), q.avail_ring(), q.used_ring()),
            (16, 1, 2, 3)
        );
        q.reset();
        assert_eq!((q.size(), q.ready(), q.desc_table()), (256, false, 0));
        assert_eq!(Queue::new(0).max_size(), 1);
        assert_eq!(Queue::new(300).max_size(), 256);
        assert_eq!(Queue::new(u16::MAX).max_size(), MAX_QUEUE_SIZE);
    }

    #[test]
    fn stream_ranges_skip_and_limit() {
        let bufs = [
            Buffer { addr: 100, len: 10 },
            Buffer { addr: 200, len: 0 },
            Buffer { addr: 300, len: 10 },
        ];
        assert_eq!(stream_ranges(&bufs, 5, 10), vec![(105, 5), (300, 5)]);
        assert_eq!(stream_ranges(&bufs, 0, 100), vec![(100, 10), (300, 10)]);
        assert_eq!(stream_ranges(&bufs, 25, 1), vec![]);
    }

    #[test]
    fn no_interrupt_flag_is_honoured() {
        let mut ram = Ram::new(DRAM_BASE, RAM_SIZE).unwrap();
        let q = ready_queue(8);
        let mut log = DmaLog::default();
        assert!(ram.write(AVAIL, 2, u64::from(VIRTQ_AVAIL_F_NO_INTERRUPT)));
        let mem = GuestMemory::new(&mut ram, &mut log);
        assert_eq!(q.wants_interrupt(&mem), Ok(false));
    }
}
