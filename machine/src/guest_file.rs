//! Reading the files a user names for a guest (kernel, initrd, firmware, program) without trusting
//! them to be what they say: a device such as /dev/zero, a FIFO or a file far larger than the guest
//! could hold would otherwise be read until the host runs out of memory, deaf to Ctrl-C meanwhile.

use std::io::{self, Read};
use std::path::Path;

/// The most a firmware may take: it sits below the kernel, which starts 2 MiB into RAM.
pub const FIRMWARE_MAX: u64 = 2 << 20;

/// The contents of `path`, which must be a regular file of at most `limit` bytes of `room` (what it
/// must fit in, for the error: "guest RAM (--memory)"). Both are checked before anything is read, and the read stops at
/// `limit` bytes all the same, in case the file grows meanwhile. The error is the host's, or one
/// of kind `InvalidInput` that says in a line what is wrong.
pub fn read_guest_file(path: &Path, limit: u64, room: &str) -> io::Result<Vec<u8>> {
    // Look before opening: opening a FIFO waits for a writer.
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let too_large = |size: u64| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} does not fit in the {} of {room}",
                describe_size(size),
                describe_size(limit)
            ),
        )
    };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// A size for a message: in MiB when it is that large, else in bytes.
fn describe_size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / (1 << 20) as f64)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_file_that_fits_and_refuses_one_that_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kernel");
        std::fs::write(&path, vec![7u8; 4096]).unwrap();
        assert_eq!(
            read_guest_file(&path, 4096, "RAM").unwrap(),
            vec![7u8; 4096]
        );
        let e = read_guest_file(&path, 4095, "guest RAM (--memory)").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(
            e.to_string(),
            "4096 bytes does not fit in the 4095 bytes of guest RAM (--memory)"
        );
        let e = read_guest_file(dir.path(), u64::MAX, "RAM").unwrap_err();
        assert_eq!(e.to_string(), "not a regular file");
        let e = read_guest_file(&dir.path().join("none"), u64::MAX, "RAM").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_before_anything_is_read() {
        for device in ["/dev/zero", "/dev/null"] {
            let e = read_guest_file(Path::new(device), u64::MAX, "RAM").unwrap_err();
            assert_eq!(e.to_string(), "not a regular file", "{device}");
        }
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(describe_size(4095), "4095 bytes");
        assert_eq!(describe_size(3 << 20), "3.0 MiB");
        assert_eq!(describe_size(80 << 20 | 1 << 19), "80.5 MiB");
    }
}
