//! The console output, shared by the UART and the built-in SBI's console calls.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

/// A cloneable handle on the console's writer. The lock is taken per write, outside the hot loop.
#[derive(Clone)]
pub struct Console {
    out: Arc<Mutex<Box<dyn Write + Send>>>,
}

impl Console {
    /// A console writing to `out`.
    pub fn new(out: Box<dyn Write + Send>) -> Console {
        Console {
            out: Arc::new(Mutex::new(out)),
        }
    }

    /// Flushes the writer, ignoring errors (the console is best effort, like a real wire).
    pub fn flush(&self) {
        if let Ok(mut out) = self.out.lock() {
            let _ = out.flush();
        }
    }
}

impl Write for Console {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut out = self
            .out
            .lock()
            .map_err(|_| io::Error::other("console writer poisoned"))?;
        out.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        let mut out = self
            .out
            .lock()
            .map_err(|_| io::Error::other("console writer poisoned"))?;
        out.flush()
    }
}
