//! A copy-on-write overlay over a base image (`snapshot=on`): the base is opened read-only and
//! never written; the guest's writes go to a private, anonymous temporary file that the host
//! deletes when the overlay is dropped (or the process ends, however it ends).
//!
//! The overlay works in 4 KiB blocks. The first write to a block copies the block up from the base
//! (so a write of part of a block keeps the rest), and a bitmap remembers which blocks the overlay
//! holds; a read takes each block from the overlay if it holds it, else from the base. Many
//! machines can share one base image this way, each with its own overlay.
//!
//! The base is held with a shared lock (std's `File::try_lock_shared`: `flock(LOCK_SH)` on Linux
//! and macOS, a shared `LockFileEx` on Windows, which still lets every handle read) for as long
//! as an overlay uses it: any number of overlays can share it, but nothing that locks it to write
//! it (a read-write attach, in this process or another) can change it under them, and while a
//! writer holds it, no overlay can be opened on it.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::disk::{Disk, SECTOR_SIZE};
use crate::error::{DeviceError, Result};

/// Bytes per overlay block: the unit of copy-up.
pub const OVERLAY_BLOCK: u64 = 4096;

/// A base image plus the private overlay of what the guest wrote to it.
#[derive(Debug)]
pub struct Overlay {
    base: Disk,
    /// A second handle on the base, holding its shared lock.
    _base_lock: File,
    /// The written blocks, each at its own offset in a sparse file as large as the base.
    file: File,
    /// One bit per block: the overlay holds it.
    present: Vec<u64>,
    blocks_written: u64,
}

impl Overlay {
    /// Opens `base` read-only with an empty overlay in the host's temporary directory.
    pub fn open(base: impl AsRef<Path>) -> Result<Overlay> {
        let base = Disk::open(base, true)?;
        let base_lock = lock_shared(&base)?;
        let file = tempfile::tempfile().map_err(|source| DeviceError::OverlayCreate {
            path: base.path().to_path_buf(),
            source,
        })?;
        let blocks = base.capacity_bytes().div_ceil(OVERLAY_BLOCK);
        Ok(Overlay {
            base,
            _base_lock: base_lock,
            file,
            present: vec![0; blocks.div_ceil(64) as usize],
            blocks_written: 0,
        })
    }

    /// The base image.
    pub fn base(&self) -> &Disk {
        &self.base
    }

    /// The path of the base image.
    pub fn path(&self) -> &Path {
        self.base.path()
    }

    /// Capacity in 512-byte sectors: the base's.
    pub fn capacity_sectors(&self) -> u64 {
        self.base.capacity_sectors()
    }

    /// Capacity in bytes: the base's.
    pub fn capacity_bytes(&self) -> u64 {
        self.base.capacity_sectors() * SECTOR_SIZE
    }

    /// Blocks the overlay holds (each [`OVERLAY_BLOCK`] bytes).
    pub fn blocks_written(&self) -> u64 {
        self.blocks_written
    }

    fn holds(&self, block: u64) -> bool {
        self.present[(block / 64) as usize] & (1 << (block % 64)) != 0
    }

    /// Fills `buf` from byte `offset`, block by block from the overlay or the base.
    pub(crate) fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        self.check_range(offset, buf.len())?;
        let mut done = 0;
        while done < buf.len() {
            let pos = offset + done as u64;
            let block = pos / OVERLAY_BLOCK;
            let n = ((OVERLAY_BLOCK - pos % OVERLAY_BLOCK) as usize).min(buf.len() - done);
            let part = &mut buf[done..done + n];
            if self.holds(block) {
                self.file.seek(SeekFrom::Start(pos))?;
                self.file.read_exact(part)?;
            } else {
                self.base.read_at(pos, part)?;
            }
            done += n;
        }
        Ok(())
    }

    /// Writes `buf` at byte `offset` into the overlay, copying partly written blocks up first.
    pub(crate) fn write_at(&mut self, offset: u64, buf: &[u8]) -> io::Result<()> {
        self.check_range(offset, buf.len())?;
        let mut done = 0;
        while done < buf.len() {
            let pos = offset + done as u64;
            let block = pos / OVERLAY_BLOCK;
            let n = ((OVERLAY_BLOCK - pos % OVERLAY_BLOCK) as usize).min(buf.len() - done);
            if !self.holds(block) {
                self.copy_up(block)?;
            }
            self.file.seek(SeekFrom::Start(pos))?;
            self.file.write_all(&buf[done..done + n])?;
            done += n;
        }
        Ok(())
    }

    /// Copies `block` from the base into the overlay and marks it held.
    fn copy_up(&mut self, block: u64) -> io::Result<()> {
        let start = block * OVERLAY_BLOCK;
        let len = OVERLAY_BLOCK.min(self.capacity_bytes() - start) as usize;
        let mut data = [0u8; OVERLAY_BLOCK as usize];
        self.base.read_at(start, &mut data[..len])?;
        self.file.seek(SeekFrom::Start(start))?;
        self.file.write_all(&data[..len])?;
        self.present[(block / 64) as usize] |= 1 << (block % 64);
        self.blocks_written += 1;
        Ok(())
    }

    /// Nothing to make durable: the overlay is thrown away with the machine.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn check_range(&self, offset: u64, len: usize) -> io::Result<()> {
        match offset.checked_add(len as u64) {
            Some(end) if end <= self.capacity_bytes() => Ok(()),
            _ => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "access past the end of the disk",
            )),
        }
    }
}

/// Opens the base again and takes its shared lock. A filesystem that cannot lock only gets a
/// warning, as for a read-write disk.
fn lock_shared(base: &Disk) -> Result<File> {
    let path = base.path();
    let file = File::open(path).map_err(|source| DeviceError::DiskIo {
        path: path.to_path_buf(),
        source,
    })?;
    match file.try_lock_shared() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(DeviceError::BaseLocked {
                path: path.to_path_buf(),
            })
        }
        Err(std::fs::TryLockError::Error(e)) => log::warn!(
            "disk image {}: cannot lock it ({e}); nothing stops another program writing it under \
             its overlays",
            path.display()
        ),
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::super::disk::tests::TempFile;
    use super::*;

    fn patterned(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i / 512) as u8 ^ (i as u8)).collect()
    }

    #[test]
    fn reads_the_base_until_written() {
        let base = patterned(3 * 4096 + 1024);
        let f = TempFile::with(&base);
        let mut o = Overlay::open(&f.0).unwrap();
        assert_eq!(o.capacity_sectors(), 26);
        let mut buf = vec![0u8; base.len()];
        o.read_at(0, &mut buf).unwrap();
        assert_eq!(buf, base);
        assert_eq!(o.blocks_written(), 0);
    }

    #[test]
    fn writes_land_in_the_overlay_and_never_in_the_base() {
        let base = patterned(3 * 4096 + 1024);
        let f = TempFile::with(&base);
        let mut o = Overlay::open(&f.0).unwrap();
        let mut expected = base.clone();
        // Crossing a block boundary, a partial block, and the partial last block.
        for (at, len, byte) in [
            (4000, 200, 0xaa),
            (512, 512, 0xbb),
            (3 * 4096 + 600, 424, 0xcc),
        ] {
            o.write_at(at as u64, &vec![byte; len]).unwrap();
            expected[at..at + len].fill(byte);
        }
        let mut buf = vec![0u8; base.len()];
        o.read_at(0, &mut buf).unwrap();
        assert_eq!(buf, expected);
        // Unaligned reads across held and unheld blocks.
        let mut part = vec![0u8; 5000];
        o.read_at(3000, &mut part).unwrap();
        assert_eq!(part, expected[3000..8000]);
        assert_eq!(o.blocks_written(), 3);
        o.flush().unwrap();
        drop(o);
        assert_eq!(std::fs::read(&f.0).unwrap(), base);
    }

    #[test]
    fn two_overlays_on_one_base_are_independent() {
        let base = patterned(8192);
        let f = TempFile::with(&base);
        let mut a = Overlay::open(&f.0).unwrap();
        let mut b = Overlay::open(&f.0).unwrap();
        a.write_at(0, b"machine a").unwrap();
        b.write_at(0, b"machine b").unwrap();
        let mut buf = [0u8; 9];
        a.read_at(0, &mut buf).unwrap();
        assert_eq!(&buf, b"machine a");
        b.read_at(0, &mut buf).unwrap();
        assert_eq!(&buf, b"machine b");
    }

    #[test]
    fn a_base_in_use_cannot_be_written_and_a_written_image_is_no_base() {
        let f = TempFile::with(&patterned(4096));
        let overlay = Overlay::open(&f.0).unwrap();
        let e = Disk::open(&f.0, false).unwrap_err();
        assert!(matches!(e, DeviceError::DiskLocked { .. }), "{e:?}");
        drop(overlay);
        let writer = Disk::open(&f.0, false).unwrap();
        let e = Overlay::open(&f.0).unwrap_err();
        assert!(matches!(e, DeviceError::BaseLocked { .. }), "{e:?}");
        assert!(e.to_string().contains(&*f.0.to_string_lossy()), "{e}");
        drop(writer);
        assert!(Overlay::open(&f.0).is_ok());
    }

    #[test]
    fn out_of_range_accesses_are_errors() {
        let f = TempFile::with(&patterned(4096));
        let mut o = Overlay::open(&f.0).unwrap();
        let mut buf = [0u8; 8];
        assert!(o.read_at(4090, &mut buf).is_err());
        assert!(o.write_at(4090, &buf).is_err());
        assert!(o.write_at(u64::MAX - 2, &buf).is_err());
        assert_eq!(o.blocks_written(), 0);
    }
}
