//! virtio-blk requests (virtio 1.x section 5.2.6): the raw request header becomes a typed
//! [`RequestType`] at the edge, and a request is answered with a [`Status`] byte.
//!
//! A request is a byte stream, not a particular layout of descriptors (section 2.6.4): the
//! device-readable bytes are the 16-byte header followed, for OUT, by the data; the
//! device-writable bytes are, for IN and GET_ID, the data followed by the status byte, which is
//! always the last writable byte.

use super::backend::Backend;
use super::disk::SECTOR_SIZE;
use crate::virtio::memory::GuestMemory;
use crate::virtio::queue::{read_stream, stream_ranges, write_stream, DescriptorChain, QueueError};

/// Length of `struct virtio_blk_req`'s header: type (le32), reserved (le32), sector (le64).
const HEADER_LEN: usize = 16;
/// Length of the GET_ID answer (`VIRTIO_BLK_ID_BYTES`).
pub const ID_BYTES: usize = 20;

/// What a request asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestType {
    /// VIRTIO_BLK_T_IN: read sectors into the writable buffers.
    In,
    /// VIRTIO_BLK_T_OUT: write sectors from the readable buffers.
    Out,
    /// VIRTIO_BLK_T_FLUSH: make completed writes durable.
    Flush,
    /// VIRTIO_BLK_T_GET_ID: the device's serial number, 20 bytes.
    GetId,
    /// Anything else (DISCARD, WRITE_ZEROES, GET_LIFETIME, ...): not offered.
    Unsupported(u32),
}

impl From<u32> for RequestType {
    fn from(value: u32) -> Self {
        match value {
            0 => RequestType::In,
            1 => RequestType::Out,
            4 => RequestType::Flush,
            8 => RequestType::GetId,
            other => RequestType::Unsupported(other),
        }
    }
}

/// The status byte a request completes with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    /// VIRTIO_BLK_S_OK.
    Ok = 0,
    /// VIRTIO_BLK_S_IOERR: out of range, misaligned, read-only, or a host I/O error.
    IoErr = 1,
    /// VIRTIO_BLK_S_UNSUPP.
    Unsupp = 2,
}

/// How the device answers: its status, and how many bytes it wrote into the chain before it.
struct Outcome {
    status: Status,
    data_written: u64,
}

impl Outcome {
    fn status(status: Status) -> Outcome {
        Outcome {
            status,
            data_written: 0,
        }
    }
}

/// What the device needs to serve requests.
pub(crate) struct Context<'a> {
    pub disk: &'a mut Backend,
    pub serial: &'a [u8; ID_BYTES],
    /// Flush after every write (the driver did not negotiate VIRTIO_BLK_F_FLUSH, so it expects a
    /// write-through cache: section 5.2.6.2).
    pub writethrough: bool,
}

/// Serves one request chain; returns the used length (bytes written into the chain, status
/// byte included). A chain without even a status byte cannot be answered and is an error.
pub(crate) fn execute(
    ctx: &mut Context<'_>,
    chain: &DescriptorChain,
    mem: &mut GuestMemory<'_>,
) -> Result<u32, QueueError> {
    let writable = chain.writable_len();
    if writable == 0 {
        return Err(QueueError::BadRequest(
            "virtio-blk request without a status byte",
        ));
    }
    let data_room = writable - 1;
    let mut header = [0u8; HEADER_LEN];
    let outcome = if read_stream(mem, &chain.readable, 0, &mut header) < HEADER_LEN {
        log::debug!("virtio-blk: request header shorter than {HEADER_LEN} bytes");
        Outcome::status(Status::IoErr)
    } else {
        let kind = RequestType::from(u32::from_le_bytes([
            header[0], header[1], header[2], header[3],
        ]));
        let mut sector = [0u8; 8];
        sector.copy_from_slice(&header[8..16]);
        let sector = u64::from_le_bytes(sector);
        match kind {
            RequestType::In => read(ctx, chain, mem, sector, data_room),
            RequestType::Out => write(ctx, chain, mem, sector),
            RequestType::Flush => match ctx.disk.flush() {
                Ok(()) => Outcome::status(Status::Ok),
                Err(e) => {
                    log::warn!(
                        "virtio-blk: flush of {} failed: {e}",
                        ctx.disk.path().display()
                    );
                    Outcome::status(Status::IoErr)
                }
            },
            RequestType::GetId => {
                let n = data_room.min(ID_BYTES as u64) as usize;
                let written = write_stream(mem, &chain.writable, 0, &ctx.serial[..n]);
                Outcome {
                    status: Status::Ok,
                    data_written: written as u64,
                }
            }
            RequestType::Unsupported(t) => {
                log::debug!("virtio-blk: unsupported request type {t}");
                Outcome::status(Status::Unsupp)
            }
        }
    };
    if write_stream(mem, &chain.writable, data_room, &[outcome.status as u8]) != 1 {
        return Err(QueueError::BadRequest(
            "virtio-blk status byte not writable",
        ));
    }
    Ok(u32::try_from(outcome.data_written + 1).unwrap_or(u32::MAX))
}

/// Byte offset of `[sector * 512, + len)` in the image, if it is whole sectors inside the disk.
fn disk_range(disk: &Backend, sector: u64, len: u64) -> Option<u64> {
    if !len.is_multiple_of(SECTOR_SIZE) {
        return None;
    }
    let start = sector.checked_mul(SECTOR_SIZE)?;
    let end = start.checked_add(len)?;
    (end <= disk.capacity_bytes()).then_some(start)
}

/// VIRTIO_BLK_T_IN: disk to guest, straight into guest RAM.
fn read(
    ctx: &mut Context<'_>,
    chain: &DescriptorChain,
    mem: &mut GuestMemory<'_>,
    sector: u64,
    len: u64,
) -> Outcome {
    let Some(mut pos) = disk_range(ctx.disk, sector, len) else {
        log::debug!("virtio-blk: read of {len} bytes at sector {sector} is out of range");
        return Outcome::status(Status::IoErr);
    };
    let mut done = 0;
    for (addr, n) in stream_ranges(&chain.writable, 0, len) {
        let Some(dst) = mem.slice_mut(addr, n) else {
            return Outcome::status(Status::IoErr);
        };
        if let Err(e) = ctx.disk.read_at(pos, dst) {
            log::warn!(
                "virtio-blk: read of {} failed: {e}",
                ctx.disk.path().display()
            );
            return Outcome {
                status: Status::IoErr,
                data_written: done,
            };
        }
        pos += n;
        done += n;
    }
    Outcome {
        status: Status::Ok,
        data_written: done,
    }
}

/// VIRTIO_BLK_T_OUT: guest to disk, straight from guest RAM.
fn write(
    ctx: &mut Context<'_>,
    chain: &DescriptorChain,
    mem: &GuestMemory<'_>,
    sector: u64,
) -> Outcome {
    if ctx.disk.is_readonly() {
        log::debug!("virtio-blk: write to a read-only disk");
        return Outcome::status(Status::IoErr);
    }
    let len = chain.readable_len() - HEADER_LEN as u64;
    let Some(mut pos) = disk_range(ctx.disk, sector, len) else {
        log::debug!("virtio-blk: write of {len} bytes at sector {sector} is out of range");
        return Outcome::status(Status::IoErr);
    };
    for (addr, n) in stream_ranges(&chain.readable, HEADER_LEN as u64, len) {
        let Some(src) = mem.slice(addr, n) else {
            return Outcome::status(Status::IoErr);
        };
        if let Err(e) = ctx.disk.write_at(pos, src) {
            log::warn!(
                "virtio-blk: write to {} failed: {e}",
                ctx.disk.path().display()
            );
            return Outcome::status(Status::IoErr);
        }
        pos += n;
    }
    if ctx.writethrough {
        if let Err(e) = ctx.disk.flush() {
            log::warn!(
                "virtio-blk: flush of {} failed: {e}",
                ctx.disk.path().display()
            );
            return Outcome::status(Status::IoErr);
        }
    }
    Outcome::status(Status::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_types_from_raw_numbers() {
        assert_eq!(RequestType::from(0), RequestType::In);
        assert_eq!(RequestType::from(1), RequestType::Out);
        assert_eq!(RequestType::from(4), RequestType::Flush);
        assert_eq!(RequestType::from(8), RequestType::GetId);
        assert_eq!(RequestType::from(11), RequestType::Unsupported(11));
        assert_eq!(Status::Unsupp as u8, 2);
    }
}
