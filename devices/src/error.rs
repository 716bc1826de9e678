//! The crate's error type: what can go wrong while the host sets a device up.
//!
//! Guest misbehaviour is never an error of this kind: it is answered on the bus (a refused access,
//! an error status in a virtio request, DEVICE_NEEDS_RESET), the way hardware would answer it.

use std::io;
use std::path::PathBuf;

/// Why a device could not be created.
#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    /// The disk image does not exist.
    #[error("disk image {path}: no such file")]
    DiskNotFound {
        /// The path the caller gave.
        path: PathBuf,
    },
    /// The disk image path names a directory, not a file.
    #[error("disk image {path}: is a directory, not an image file")]
    DiskIsDirectory {
        /// The path the caller gave.
        path: PathBuf,
    },
    /// The host refused to open the image with the requested access.
    #[error("disk image {path}: permission denied (opening it {mode})")]
    DiskPermissionDenied {
        /// The path the caller gave.
        path: PathBuf,
        /// `"read-only"` or `"read-write"`.
        mode: &'static str,
    },
    /// The disk image path names something that is neither a file nor a block device.
    #[error("disk image {path}: not a regular file or block device")]
    DiskNotAFile {
        /// The path the caller gave.
        path: PathBuf,
    },
    /// Another process (or another disk of this machine) has the image open read-write: it
    /// holds the image's advisory lock.
    #[error(
        "disk image {path}: in use by another program that may write it (it is locked); attach it \
         read-only with ',readonly', or use a copy"
    )]
    DiskLocked {
        /// The path the caller gave.
        path: PathBuf,
    },
    /// Any other host I/O error while opening or sizing the image.
    #[error("disk image {path}: {source}")]
    DiskIo {
        /// The path the caller gave.
        path: PathBuf,
        /// What the host said.
        #[source]
        source: io::Error,
    },
    /// The image is to be the base of a copy-on-write overlay (`snapshot=on`), but something
    /// holds it to write it.
    #[error(
        "disk image {path}: cannot be a snapshot base while something writes it (it is locked \
         read-write)"
    )]
    BaseLocked {
        /// The path the caller gave.
        path: PathBuf,
    },
    /// The temporary file of a copy-on-write overlay could not be created.
    #[error("disk image {path}: cannot create its copy-on-write overlay: {source}")]
    OverlayCreate {
        /// The base image's path.
        path: PathBuf,
        /// What the host said.
        #[source]
        source: io::Error,
    },
}

/// Result type of this crate.
pub type Result<T> = std::result::Result<T, DeviceError>;
