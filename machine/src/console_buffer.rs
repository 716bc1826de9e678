//! A console that keeps what the guest prints in memory, for programs that drive a machine from
//! code: give one clone to [`crate::MachineConfig::console`], read and wait on another.

use std::io::{self, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Everything the guest printed, shared between the machine (which writes it) and the program
/// that reads it. It keeps all output: meant for driving and testing machines, not for months of
/// logs.
#[derive(Clone, Default)]
pub struct ConsoleBuffer {
    shared: Arc<(Mutex<Vec<u8>>, Condvar)>,
}

impl ConsoleBuffer {
    /// An empty buffer.
    pub fn new() -> ConsoleBuffer {
        ConsoleBuffer::default()
    }

    fn bytes(&self) -> MutexGuard<'_, Vec<u8>> {
        // A writer that panicked mid-write leaves whole bytes behind: the data is still good.
        self.shared.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Bytes printed so far.
    pub fn len(&self) -> usize {
        self.bytes().len()
    }

    /// Whether nothing was printed yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What was printed from byte `from` on, as text (invalid UTF-8 replaced).
    pub fn text_from(&self, from: usize) -> String {
        let bytes = self.bytes();
        String::from_utf8_lossy(bytes.get(from..).unwrap_or_default()).into_owned()
    }

    /// Waits until `needle` has been printed at or after byte `from`, for at most `timeout`;
    /// returns the offset just past it, or `None` on timeout.
    pub fn wait_for(&self, needle: &str, from: usize, timeout: Duration) -> Option<usize> {
        let deadline = Instant::now() + timeout;
        let needle = needle.as_bytes();
        let mut bytes = self.bytes();
        loop {
            let start = from.min(bytes.len());
            if let Some(at) = bytes[start..]
                .windows(needle.len().max(1))
                .position(|w| w == needle)
            {
                return Some(start + at + needle.len());
            }
            let now = Instant::now();
            if now >= deadline {
                return None;
            }
            bytes = self
                .shared
                .1
                .wait_timeout(bytes, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }
}

impl Write for ConsoleBuffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes().extend_from_slice(buf);
        self.shared.1.notify_all();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_for_text_written_by_another_thread() {
        let buffer = ConsoleBuffer::new();
        let mut writer = buffer.clone();
        let thread = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            writer.write_all(b"login: ok\n# ").unwrap();
        });
        let end = buffer.wait_for("# ", 0, Duration::from_secs(10)).unwrap();
        assert_eq!(end, 12);
        assert_eq!(buffer.text_from(7), "ok\n# ");
        assert_eq!(buffer.wait_for("# ", end, Duration::from_millis(10)), None);
        assert_eq!(buffer.wait_for("login", 0, Duration::ZERO), Some(5));
        thread.join().unwrap();
        assert_eq!(buffer.len(), 12);
        assert!(!buffer.is_empty());
    }
}
