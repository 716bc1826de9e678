//! Unix-domain sockets, for `--monitor unix:PATH` and `console=socket:PATH`: the one place that
//! knows whether this host has them.
//!
//! The standard library has them only on Unix targets (`std::os::unix::net`). Elsewhere emu
//! refuses those options where it parses them, with one line saying what to use instead
//! ([`unavailable`]), so nothing ever tries to listen; the stand-in [`Listener`] there (and its
//! connections) only keeps the servers free of per-OS code, and cannot be made.

use std::io;
use std::path::Path;

/// Whether this host has Unix-domain sockets.
pub const AVAILABLE: bool = cfg!(unix);

/// Why `what` (e.g. `unix:PATH`) cannot be had where [`AVAILABLE`] is false, and `instead`, what
/// to use: one line.
pub fn unavailable(what: &str, instead: &str) -> String {
    format!("{what} needs Unix-domain sockets, which emu has only on Unix hosts; {instead}")
}

#[cfg(unix)]
pub use std::os::unix::net::UnixListener as Listener;

/// Listens at `path`, first removing a socket that an earlier run left there (it would make the
/// bind fail); anything else at `path` is left alone and the bind fails.
pub fn bind(path: &Path) -> io::Result<Listener> {
    if is_socket(path) {
        std::fs::remove_file(path)?;
    }
    Listener::bind(path)
}

#[cfg(unix)]
fn is_socket(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket())
}

#[cfg(not(unix))]
fn is_socket(_path: &Path) -> bool {
    false
}

#[cfg(not(unix))]
pub use stand_in::Listener;

/// What the servers use where there are no Unix-domain sockets: types with no values, whose
/// `bind` says "unsupported".
#[cfg(not(unix))]
mod stand_in {
    use std::io;
    use std::path::Path;

    /// A listener that cannot exist.
    pub enum Listener {}

    impl Listener {
        pub fn bind(_path: &Path) -> io::Result<Listener> {
            Err(io::ErrorKind::Unsupported.into())
        }

        pub fn incoming(&self) -> std::iter::Empty<io::Result<Stream>> {
            match *self {}
        }
    }

    /// A connection that cannot exist.
    pub enum Stream {}

    impl Stream {
        pub fn try_clone(&self) -> io::Result<Stream> {
            match *self {}
        }

        pub fn shutdown(&self, _how: std::net::Shutdown) -> io::Result<()> {
            match *self {}
        }
    }

    impl io::Read for Stream {
        fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
            match *self {}
        }
    }

    impl io::Write for Stream {
        fn write(&mut self, _buf: &[u8]) -> io::Result<usize> {
            match *self {}
        }

        fn flush(&mut self) -> io::Result<()> {
            match *self {}
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn bind_replaces_a_stale_socket_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sock");
        drop(bind(&path).unwrap());
        // The socket file outlives its listener: a second bind replaces it.
        let listener = bind(&path).unwrap();
        let _client = std::os::unix::net::UnixStream::connect(&path).unwrap();
        assert!(listener.incoming().next().unwrap().is_ok());
        let file = dir.path().join("file");
        std::fs::write(&file, b"keep").unwrap();
        assert!(bind(&file).is_err());
        assert_eq!(std::fs::read(&file).unwrap(), b"keep");
    }
}
