//! Shared parts of the whole-program tests that boot Linux: the guest images (built by
//! `roms/linux/build.sh` on first use and cached) and a guest driven over its console.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The guest images the recipe produces.
pub struct Images {
    pub kernel: PathBuf,
    pub root: PathBuf,
    pub initramfs: PathBuf,
}

/// Builds (or finds, cached) the guest images. Fails the test with the recipe's output if it
/// cannot: a test that needs a guest never skips.
pub fn images() -> &'static Images {
    static IMAGES: OnceLock<Images> = OnceLock::new();
    IMAGES.get_or_init(|| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out = std::env::var_os("EMU_GUEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo.join("target/guest"));
        let result = Command::new(repo.join("roms/linux/build.sh"))
            .arg(&out)
            .output()
            .expect("cannot run roms/linux/build.sh");
        assert!(
            result.status.success(),
            "building the guest images with roms/linux/build.sh failed ({}):\n{}",
            result.status,
            String::from_utf8_lossy(&result.stderr)
        );
        Images {
            kernel: out.join("Image"),
            root: out.join("root.img"),
            initramfs: out.join("initramfs.cpio.gz"),
        }
    })
}

/// The cargo that runs these tests, in the repository.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or("cargo".into()));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// The `emu` binary as a plain stable compiler builds it, with the command README.md gives:
/// `RUSTC_BOOTSTRAP=0 cargo build --release` (so with the portable page loop only), in
/// `target/stable`. Built once per test process; when `.ci/run` or an earlier run built it, cargo
/// finds nothing to do.
pub fn stable_emu() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/stable");
        let out = cargo()
            .args(["build", "--release", "--bin", "emu", "--target-dir"])
            .arg(&target)
            .env("RUSTC_BOOTSTRAP", "0")
            .output()
            .expect("cannot run cargo");
        assert!(
            out.status.success(),
            "RUSTC_BOOTSTRAP=0 cargo build --release failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        target
            .join("release")
            .join(format!("emu{}", std::env::consts::EXE_SUFFIX))
    })
}

/// The kernel's `vmlinux` (ELF with symbols) from the guest build tree, for a debugger.
pub fn vmlinux() -> PathBuf {
    let dir = images().kernel.parent().expect("the images' directory");
    let path = dir.join("build/linux-obj/vmlinux");
    assert!(
        path.exists(),
        "{} is missing (roms/linux/build.sh builds it with the Image)",
        path.display()
    );
    path
}

/// A private copy of the root disk image (a booted guest writes to its disk).
pub fn disk_copy(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("linux");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.img"));
    std::fs::copy(&images().root, &path).expect("copy root.img");
    path
}

/// A running emu whose console the test reads and types into.
pub struct Guest {
    child: Child,
    stdin: ChildStdin,
    output: Arc<(Mutex<String>, Condvar)>,
    /// Where in `output` the next `wait_for` starts looking.
    cursor: usize,
}

/// How long a boot or a command may take; generous, for a loaded CI machine and a debug build.
pub const BOOT_TIMEOUT: Duration = Duration::from_secs(120);
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// The line the guest's init prints when userspace starts.
pub const USERSPACE_UP: &str = "emu-guest: userspace up";

impl Guest {
    /// Starts `emu` with `args`, its console on pipes.
    pub fn start(args: &[&str]) -> Guest {
        Guest::start_env(args, &[])
    }

    /// Starts `emu` with `args` and the environment variables `env` added, its console on pipes.
    pub fn start_env(args: &[&str], env: &[(&str, &str)]) -> Guest {
        Guest::start_bin(Path::new(env!("CARGO_BIN_EXE_emu")), args, env)
    }

    /// Starts the emu binary `bin` with `args` and the environment variables `env` added, its
    /// console on pipes.
    pub fn start_bin(bin: &Path, args: &[&str], env: &[(&str, &str)]) -> Guest {
        let mut child = Command::new(bin)
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start emu");
        let stdin = child.stdin.take().unwrap();
        let output = Arc::new((Mutex::new(String::new()), Condvar::new()));
        for mut stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = Arc::clone(&output);
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = stream.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    let (text, ready) = &*output;
                    text.lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&buf[..n]));
                    ready.notify_all();
                }
            });
        }
        Guest {
            child,
            stdin,
            output,
            cursor: 0,
        }
    }

    /// The emu process id (to send it signals).
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Everything the guest printed so far.
    pub fn transcript(&self) -> String {
        self.output.0.lock().unwrap().clone()
    }

    /// Waits until `pattern` appears after what earlier waits consumed; returns the text up to and
    /// including it. Panics with the transcript on timeout.
    pub fn wait_for(&mut self, pattern: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        let (text, ready) = &*self.output;
        let mut guard = text.lock().unwrap();
        loop {
            if let Some(at) = guard[self.cursor..].find(pattern) {
                let end = self.cursor + at + pattern.len();
                let seen = guard[self.cursor..end].to_string();
                self.cursor = end;
                return seen;
            }
            let now = Instant::now();
            if now >= deadline {
                let transcript = guard.clone();
                drop(guard);
                let _ = self.child.kill();
                panic!("timed out after {timeout:?} waiting for {pattern:?}; the console said:\n{transcript}");
            }
            guard = ready.wait_timeout(guard, deadline - now).unwrap().0;
        }
    }

    /// Types `line` and a newline on the console.
    pub fn send(&mut self, line: &str) {
        self.stdin.write_all(line.as_bytes()).unwrap();
        self.stdin.write_all(b"\n").unwrap();
        self.stdin.flush().unwrap();
    }

    /// Runs a shell command and returns what it printed between two markers.
    pub fn run(&mut self, command: &str) -> String {
        self.send(&format!("echo @@begin; {command}; echo @@end"));
        // The echo of the typed line contains the markers too: skip past it first.
        self.wait_for("@@end\r\n", COMMAND_TIMEOUT);
        self.wait_for("@@begin\r\n", COMMAND_TIMEOUT);
        let out = self.wait_for("@@end", COMMAND_TIMEOUT);
        out.trim_end_matches("@@end").replace('\r', "")
    }

    /// Waits for emu to exit and returns its status.
    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                panic!(
                    "emu did not exit within {timeout:?}; the console said:\n{}",
                    self.transcript()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Powers the guest off from its shell and checks that emu exits with status 0.
    pub fn poweroff(&mut self) {
        self.send("poweroff");
        let status = self.wait_exit(COMMAND_TIMEOUT);
        assert!(
            status.success(),
            "emu exited with {status} after poweroff:\n{}",
            self.transcript()
        );
    }
}

impl Drop for Guest {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Debian's OpenSBI firmware of the given flavour (`fw_dynamic.bin`, `fw_jump.bin`).
pub fn opensbi(name: &str) -> PathBuf {
    let path = Path::new("/usr/lib/riscv64-linux-gnu/opensbi/generic").join(name);
    assert!(
        path.exists(),
        "{} is missing: apt-get install opensbi",
        path.display()
    );
    path
}

/// A guest console served on a Unix socket (`console=socket:PATH` of a fleet machine), driven
/// like [`Guest`]'s.
#[cfg(unix)]
pub struct SocketConsole {
    stream: std::os::unix::net::UnixStream,
    output: Arc<(Mutex<String>, Condvar)>,
    cursor: usize,
}

#[cfg(unix)]
impl SocketConsole {
    /// Connects to the console at `path`, waiting up to `timeout` for emu to listen there.
    pub fn connect(path: &Path, timeout: Duration) -> SocketConsole {
        let deadline = Instant::now() + timeout;
        let stream = loop {
            match std::os::unix::net::UnixStream::connect(path) {
                Ok(stream) => break stream,
                Err(e) if Instant::now() >= deadline => {
                    panic!("cannot connect to {}: {e}", path.display())
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        };
        let output = Arc::new((Mutex::new(String::new()), Condvar::new()));
        let mut reader = stream.try_clone().unwrap();
        let shared = Arc::clone(&output);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let (text, ready) = &*shared;
                text.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
                ready.notify_all();
            }
            // The end of the connection: wake waiters so they can see it.
            shared.0.lock().unwrap().push_str("\n[console closed]\n");
            shared.1.notify_all();
        });
        SocketConsole {
            stream,
            output,
            cursor: 0,
        }
    }

    /// Everything the console printed so far.
    pub fn transcript(&self) -> String {
        self.output.0.lock().unwrap().clone()
    }

    /// Waits until `pattern` appears after what earlier waits consumed; returns the text up to and
    /// including it. Panics with the transcript on timeout.
    pub fn wait_for(&mut self, pattern: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        let (text, ready) = &*self.output;
        let mut guard = text.lock().unwrap();
        loop {
            if let Some(at) = guard[self.cursor..].find(pattern) {
                let end = self.cursor + at + pattern.len();
                let seen = guard[self.cursor..end].to_string();
                self.cursor = end;
                return seen;
            }
            let now = Instant::now();
            if now >= deadline {
                panic!(
                    "timed out after {timeout:?} waiting for {pattern:?}; the console said:\n{}",
                    *guard
                );
            }
            guard = ready.wait_timeout(guard, deadline - now).unwrap().0;
        }
    }

    /// Types `line` and a newline on the console.
    pub fn send(&mut self, line: &str) {
        self.stream.write_all(line.as_bytes()).unwrap();
        self.stream.write_all(b"\n").unwrap();
    }

    /// Runs a shell command and returns what it printed between two markers.
    pub fn run(&mut self, command: &str) -> String {
        self.send(&format!("echo @@begin; {command}; echo @@end"));
        self.wait_for("@@end\r\n", COMMAND_TIMEOUT);
        self.wait_for("@@begin\r\n", COMMAND_TIMEOUT);
        let out = self.wait_for("@@end", COMMAND_TIMEOUT);
        out.trim_end_matches("@@end").replace('\r', "")
    }
}
