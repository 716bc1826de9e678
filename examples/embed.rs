//! Embedding emu: build a machine in code, run it on a thread of its own, read its console, type a
//! command, and stop it.
//!
//!     cargo run --release --example embed -- target/guest/Image target/guest/initramfs.cpio.gz
//!
//! (`roms/linux/build.sh` builds the two images.) Any number of machines can run like this in one
//! process, each on its own thread.

use emu_machine::{ConsoleBuffer, Ended, LinuxBoot, Machine, MachineConfig};
use std::time::Duration;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [kernel, initrd] = args.as_slice() else {
        return Err("usage: embed KERNEL INITRAMFS".into());
    };

    // The console: everything the guest prints, readable from this thread.
    let console = ConsoleBuffer::new();
    let mut machine = Machine::new(MachineConfig {
        memory: 128 << 20,
        harts: 1,
        console: Box::new(console.clone()),
        ..MachineConfig::default()
    })?;
    machine.boot_linux(&LinuxBoot {
        kernel: std::fs::read(kernel)?,
        initrd: Some(std::fs::read(initrd)?),
        append: "console=ttyS0 quiet".into(),
        bios: None,
    })?;
    println!(
        "[embed] the harts run on the {} page loop",
        machine.hart().page_loop().name()
    );
    let guest = machine.spawn("guest")?;

    let timeout = Duration::from_secs(120);
    let up = console
        .wait_for("/ # ", 0, timeout)
        .ok_or("the guest's shell did not appear")?;
    println!("[embed] the guest's shell is up");

    guest.send_input(b"uname -sm; echo done-$((6 * 7))\n");
    let end = console
        .wait_for("done-42", up, timeout)
        .ok_or("the command did not finish")?;
    println!(
        "[embed] the guest said:\n{}",
        console.text_from(up).trim_end()
    );

    match guest.stop() {
        Ended::Ran(Ok(outcome)) => println!("[embed] stopped: {outcome:?} ({end} console bytes)"),
        Ended::Ran(Err(e)) => return Err(e.into()),
        Ended::Panicked(message) => return Err(format!("emu crashed: {message}").into()),
    }
    Ok(())
}
