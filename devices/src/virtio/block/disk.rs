//! The host side of a virtio-blk device: a raw image in a host file (or block device).

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{DeviceError, Result};

/// Bytes per virtio-blk sector (the unit of `capacity` and of request sector numbers).
pub const SECTOR_SIZE: u64 = 512;

/// A raw disk image. Its capacity is the image size rounded down to whole sectors; a partial
/// last sector is not addressable (as in QEMU).
///
/// A read-write image is locked against other writers: `open` takes an exclusive lock on the
/// whole file with std's `File::try_lock` (`flock(LOCK_EX | LOCK_NB)` on Linux and macOS,
/// `LockFileEx` on Windows), so a second emu, QEMU or anything else that locks the image the
/// same way cannot write it at the same time; the lock goes with the file when the disk is
/// dropped. A read-only image takes no lock: it cannot damage the image, and the user asked to
/// look at it as it is, even if something else writes it. (On Unix the lock is advisory, so such
/// a reader reads on; Windows enforces it, so there a reader beside a writer opens the image but
/// its reads fail.)
///
/// Dropping a read-write disk makes what was written durable (`File::sync_data`: fdatasync on
/// Linux, fcntl(F_FULLFSYNC) on macOS, FlushFileBuffers on Windows) before closing it, so every
/// way out of the emulator that unwinds (guest poweroff, Ctrl-A x, a signal turned into a quit,
/// an error, a panic) leaves the image complete on disk.
#[derive(Debug)]
pub struct Disk {
    file: File,
    path: PathBuf,
    readonly: bool,
    sectors: u64,
}

impl Disk {
    /// Opens the image at `path`, read-only or read-write. Errors name the path and say what is
    /// wrong: missing, a directory, permission denied (for the mode asked), not a file, locked by
    /// another writer (read-write only), or any other host error.
    pub fn open(path: impl AsRef<Path>, readonly: bool) -> Result<Disk> {
        let path = path.as_ref().to_path_buf();
        let mode = if readonly { "read-only" } else { "read-write" };
        let classify = |e: io::Error, path: &Path| match e.kind() {
            io::ErrorKind::NotFound => DeviceError::DiskNotFound {
                path: path.to_path_buf(),
            },
            io::ErrorKind::PermissionDenied => DeviceError::DiskPermissionDenied {
                path: path.to_path_buf(),
                mode,
            },
            io::ErrorKind::IsADirectory => DeviceError::DiskIsDirectory {
                path: path.to_path_buf(),
            },
            _ => DeviceError::DiskIo {
                path: path.to_path_buf(),
                source: e,
            },
        };
        // Look before opening: a directory opens fine read-only on Unix, and a FIFO would block.
        let meta = std::fs::metadata(&path).map_err(|e| classify(e, &path))?;
        if meta.is_dir() {
            return Err(DeviceError::DiskIsDirectory { path });
        }
        if !meta.is_file() && !is_block_device(&meta) {
            return Err(DeviceError::DiskNotAFile { path });
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(!readonly)
            .open(&path)
            .map_err(|e| classify(e, &path))?;
        if !readonly {
            lock(&file, &path)?;
        }
        // Seeking to the end sizes block devices too (their metadata length is 0).
        let bytes = file
            .seek(SeekFrom::End(0))
            .map_err(|e| classify(e, &path))?;
        Ok(Disk {
            file,
            path,
            readonly,
            sectors: bytes / SECTOR_SIZE,
        })
    }

    /// The path the image was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the guest may not write it.
    pub fn is_readonly(&self) -> bool {
        self.readonly
    }

    /// Capacity in 512-byte sectors.
    pub fn capacity_sectors(&self) -> u64 {
        self.sectors
    }

    /// Capacity in bytes (whole sectors).
    pub fn capacity_bytes(&self) -> u64 {
        self.sectors * SECTOR_SIZE
    }

    /// Fills `buf` from byte `offset` of the image.
    pub(crate) fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        self.file.seek(SeekFrom::Start(offset))?;
        self.file.read_exact(buf)
    }

    /// Writes `buf` at byte `offset` of the image.
    pub(crate) fn write_at(&mut self, offset: u64, buf: &[u8]) -> io::Result<()> {
        if self.readonly {
            return Err(io::ErrorKind::PermissionDenied.into());
        }
        self.file.seek(SeekFrom::Start(offset))?;
        self.file.write_all(buf)
    }

    /// Makes written data durable (`File::sync_data`, fdatasync on Linux). Nothing to do for a
    /// read-only image.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        if self.readonly {
            return Ok(());
        }
        self.file.sync_data()
    }
}

impl Drop for Disk {
    fn drop(&mut self) {
        if let Err(e) = self.flush() {
            log::warn!(
                "disk image {}: flush on close failed: {e}",
                self.path.display()
            );
        }
    }
}

/// Takes the exclusive advisory lock of a read-write image. Another holder is an error; a
/// filesystem that cannot lock at all (some network filesystems) only gets a warning, since
/// refusing every image there would help nobody.
fn lock(file: &File, path: &Path) -> Result<()> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => Err(DeviceError::DiskLocked {
            path: path.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(e)) => {
            log::warn!(
                "disk image {}: cannot lock it ({e}); nothing stops another program writing it too",
                path.display()
            );
            Ok(())
        }
    }
}

/// Whether `meta` is a block device, which serves as a disk as a file does. Only Unix has block
/// devices as files; elsewhere a disk image is a regular file.
#[cfg(unix)]
fn is_block_device(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_block_device()
}

#[cfg(not(unix))]
fn is_block_device(_meta: &std::fs::Metadata) -> bool {
    false
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// A temporary file, removed on drop.
    pub struct TempFile(pub PathBuf);

    impl TempFile {
        /// A new file holding `contents`.
        pub fn with(contents: &[u8]) -> TempFile {
            static N: AtomicU32 = AtomicU32::new(0);
            let path = std::env::temp_dir().join(format!(
                "emu-devices-test-{}-{}.img",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::write(&path, contents).unwrap();
            TempFile(path)
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    #[test]
    fn capacity_rounds_down_to_sectors() {
        let f = TempFile::with(&vec![0u8; 3 * 512 + 100]);
        let d = Disk::open(&f.0, true).unwrap();
        assert_eq!(d.capacity_sectors(), 3);
        assert_eq!(d.capacity_bytes(), 1536);
        assert!(d.is_readonly());
        assert_eq!(d.path(), f.0.as_path());
        let empty = TempFile::with(&[]);
        assert_eq!(Disk::open(&empty.0, false).unwrap().capacity_sectors(), 0);
    }

    #[test]
    fn reads_and_writes_at_offsets() {
        let f = TempFile::with(&vec![0u8; 1024]);
        let mut d = Disk::open(&f.0, false).unwrap();
        d.write_at(510, b"abcd").unwrap();
        d.flush().unwrap();
        let mut buf = [0u8; 6];
        d.read_at(509, &mut buf).unwrap();
        assert_eq!(&buf, b"\0abcd\0");
        assert!(d.read_at(1020, &mut buf).is_err());
        assert_eq!(&std::fs::read(&f.0).unwrap()[510..514], b"abcd");
    }

    #[test]
    fn readonly_disks_refuse_writes() {
        let f = TempFile::with(&vec![7u8; 512]);
        let mut d = Disk::open(&f.0, true).unwrap();
        assert!(d.write_at(0, b"x").is_err());
        assert!(d.flush().is_ok());
        assert_eq!(std::fs::read(&f.0).unwrap()[0], 7);
    }

    #[test]
    fn open_errors_name_the_path_and_problem() {
        let missing = std::env::temp_dir().join("emu-devices-test-no-such-image.img");
        let e = Disk::open(&missing, false).unwrap_err();
        assert!(matches!(e, DeviceError::DiskNotFound { .. }), "{e:?}");
        assert!(e.to_string().contains("no-such-image"), "{e}");

        let dir = std::env::temp_dir();
        let e = Disk::open(&dir, true).unwrap_err();
        assert!(matches!(e, DeviceError::DiskIsDirectory { .. }), "{e:?}");
        assert!(e.to_string().contains("directory"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn permission_denied_is_reported_with_the_mode() {
        use std::os::unix::fs::PermissionsExt;
        let f = TempFile::with(&[0u8; 512]);
        std::fs::set_permissions(&f.0, std::fs::Permissions::from_mode(0o444)).unwrap();
        match Disk::open(&f.0, false) {
            // Root ignores file permissions; nothing to check then.
            Ok(_) => {}
            Err(e) => {
                assert!(
                    matches!(e, DeviceError::DiskPermissionDenied { .. }),
                    "{e:?}"
                );
                assert!(e.to_string().contains("read-write"), "{e}");
            }
        }
        assert!(Disk::open(&f.0, true).is_ok());
    }

    #[test]
    fn a_second_writer_is_refused_and_readers_are_not() {
        let f = TempFile::with(&[0u8; 1024]);
        let first = Disk::open(&f.0, false).unwrap();
        let e = Disk::open(&f.0, false).unwrap_err();
        assert!(matches!(e, DeviceError::DiskLocked { .. }), "{e:?}");
        assert!(e.to_string().contains("readonly"), "{e}");
        assert!(e.to_string().contains(&*f.0.to_string_lossy()), "{e}");
        // Read-only opens take no lock, so they work beside a writer and do not block one.
        let reader = Disk::open(&f.0, true).unwrap();
        drop(first);
        let second = Disk::open(&f.0, false).unwrap();
        drop((reader, second));
    }

    #[test]
    fn the_lock_goes_with_the_disk() {
        let f = TempFile::with(&[0u8; 512]);
        for _ in 0..3 {
            let mut d = Disk::open(&f.0, false).unwrap();
            d.write_at(0, b"x").unwrap();
        }
    }

    #[test]
    fn dropping_a_disk_keeps_what_was_written() {
        let f = TempFile::with(&[0u8; 512]);
        let mut d = Disk::open(&f.0, false).unwrap();
        d.write_at(100, b"kept").unwrap();
        drop(d);
        assert_eq!(&std::fs::read(&f.0).unwrap()[100..104], b"kept");
    }

    #[cfg(unix)]
    #[test]
    fn character_devices_are_not_disks() {
        let e = Disk::open("/dev/null", true).unwrap_err();
        assert!(matches!(e, DeviceError::DiskNotAFile { .. }), "{e:?}");
    }
}
