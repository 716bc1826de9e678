//! What a virtio-blk device reads and writes: a raw image, or a copy-on-write overlay over one.

use std::io;
use std::path::Path;

use super::disk::Disk;
use super::overlay::Overlay;

/// The storage behind a [`super::VirtioBlk`].
#[derive(Debug)]
pub enum Backend {
    /// A raw image, read-only or read-write.
    Raw(Disk),
    /// A read-only base image with a private overlay taking the writes (`snapshot=on`).
    Overlay(Overlay),
}

impl From<Disk> for Backend {
    fn from(disk: Disk) -> Backend {
        Backend::Raw(disk)
    }
}

impl From<Overlay> for Backend {
    fn from(overlay: Overlay) -> Backend {
        Backend::Overlay(overlay)
    }
}

impl Backend {
    /// The image's path (the base's, for an overlay).
    pub fn path(&self) -> &Path {
        match self {
            Backend::Raw(d) => d.path(),
            Backend::Overlay(o) => o.path(),
        }
    }

    /// Whether the guest may not write it (an overlay always takes writes).
    pub fn is_readonly(&self) -> bool {
        match self {
            Backend::Raw(d) => d.is_readonly(),
            Backend::Overlay(_) => false,
        }
    }

    /// Capacity in 512-byte sectors.
    pub fn capacity_sectors(&self) -> u64 {
        match self {
            Backend::Raw(d) => d.capacity_sectors(),
            Backend::Overlay(o) => o.capacity_sectors(),
        }
    }

    /// Capacity in bytes (whole sectors).
    pub fn capacity_bytes(&self) -> u64 {
        match self {
            Backend::Raw(d) => d.capacity_bytes(),
            Backend::Overlay(o) => o.capacity_bytes(),
        }
    }

    pub(crate) fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        match self {
            Backend::Raw(d) => d.read_at(offset, buf),
            Backend::Overlay(o) => o.read_at(offset, buf),
        }
    }

    pub(crate) fn write_at(&mut self, offset: u64, buf: &[u8]) -> io::Result<()> {
        match self {
            Backend::Raw(d) => d.write_at(offset, buf),
            Backend::Overlay(o) => o.write_at(offset, buf),
        }
    }

    pub(crate) fn flush(&mut self) -> io::Result<()> {
        match self {
            Backend::Raw(d) => d.flush(),
            Backend::Overlay(o) => o.flush(),
        }
    }
}
