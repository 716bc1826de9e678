//! The GDB stub with the real client: Debian's `gdb-multiarch` in batch mode against our bare-metal
//! program (tests/debug/prog.c) and against the Linux guest. Each check prints a labelled value
//! with GDB's `printf`, compared here with what the program or the kernel's vmlinux says.

mod common;
mod debug;

use common::{Guest, BOOT_TIMEOUT, USERSPACE_UP};
use std::time::Duration;

/// Asserts that GDB printed `line` on a line of its own.
fn expect_line(out: &str, line: &str) {
    assert!(
        out.lines().any(|l| l.trim_end() == line),
        "GDB did not print {line:?}; it said:\n{out}"
    );
}

#[test]
fn gdb_debugs_a_bare_metal_program() {
    let elf = debug::program();
    let main = debug::symbol(&elf, "main");
    let mut guest = Guest::start(&["--gdb", "tcp::0", "-S", elf.to_str().unwrap()]);
    let port = debug::listening_port(&mut guest, "gdb");
    let out = debug::gdb_with(
        &elf,
        port,
        &[
            "info threads",
            // Stopped before the first instruction (-S).
            "printf \"start=%#x\\n\", $pc",
            "break *main",
            "continue",
            "printf \"pc=%#x\\n\", $pc",
            // Memory through the hart's translation, with the program's types.
            "printf \"table2=%#lx\\n\", table[2]",
            "x/2gx &table",
            "printf \"ratio=%f\\n\", ratio",
            // FP registers, CSRs and the privilege level.
            "printf \"fa0=%f\\n\", $fa0.double",
            "printf \"mscratch=%#x\\n\", $mscratch",
            "printf \"misa=%#lx\\n\", $misa",
            "printf \"priv=%d\\n\", $priv",
            // Writes: memory and a register.
            "set var table[3] = 99",
            "printf \"table3=%d\\n\", table[3]",
            "set $t6 = 0x5eed",
            "printf \"t6=%#x\\n\", $t6",
            // One instruction.
            "stepi",
            "printf \"stepped=%d\\n\", $pc - (long)main",
            // A watchpoint on the counter bump() writes.
            "watch counter",
            "continue",
            "printf \"counter=%d\\n\", counter",
            "delete",
            // Ctrl-C while main spins, waiting for `release`.
            "continue",
            "printf \"spun=%d\\n\", spins > 0",
            "set var release = 1",
            "detach",
        ],
        |gdb, log| {
            // The Ctrl-C, once GDB runs the last continue: it turns SIGINT into the protocol's
            // interrupt.
            debug::wait_in_file(log, "counter=1");
            std::thread::sleep(Duration::from_millis(500));
            debug::interrupt(gdb);
        },
    );
    assert!(
        out.contains("* 1    Thread 1.1"),
        "one hart, one thread:\n{out}"
    );
    expect_line(&out, "start=0x80000000");
    expect_line(&out, &format!("pc={main:#x}"));
    expect_line(&out, "table2=0xdeadbeefcafef00d");
    assert!(
        out.contains("0x1111222233334444\t0x5555666677778888"),
        "x/2gx &table:\n{out}"
    );
    expect_line(&out, "ratio=1.500000");
    expect_line(&out, "fa0=2.500000");
    expect_line(&out, "mscratch=0x1234");
    // RV64 (MXL 2) with A, C, D, F, I, M, S, U.
    expect_line(&out, "misa=0x800000000014112d");
    expect_line(&out, "priv=3");
    expect_line(&out, "table3=99");
    expect_line(&out, "t6=0x5eed");
    // main starts with a compressed addi sp (2 bytes) or a full one (4).
    assert!(
        out.contains("stepped=2\n") || out.contains("stepped=4\n"),
        "stepi:\n{out}"
    );
    assert!(
        out.contains("Hardware watchpoint 2: counter")
            && out.contains("Old value = 0")
            && out.contains("New value = 1"),
        "the watchpoint:\n{out}"
    );
    expect_line(&out, "counter=1");
    assert!(
        out.contains("Program received signal SIGINT"),
        "Ctrl-C:\n{out}"
    );
    expect_line(&out, "spun=1");
    assert!(out.contains("detached"), "detach:\n{out}");
    // Detached, the program runs to its end: exit code 0 (the counter added up).
    let status = guest.wait_exit(Duration::from_secs(60));
    assert!(status.success(), "emu: {status}\n{}", guest.transcript());
}

#[test]
fn gdb_debugs_the_linux_boot() {
    let images = common::images();
    let vmlinux = common::vmlinux();
    let start_kernel = debug::symbol(&vmlinux, "start_kernel");
    let jiffies = debug::symbol(&vmlinux, "jiffies");
    let disk = common::disk_copy("gdb");
    let mut guest = Guest::start(&[
        "--kernel",
        images.kernel.to_str().unwrap(),
        "--disk",
        disk.to_str().unwrap(),
        "--smp",
        "2",
        "--gdb",
        "tcp::0",
        "-S",
    ]);
    let port = debug::listening_port(&mut guest, "gdb");
    let out = debug::gdb(
        &vmlinux,
        port,
        &[
            // One GDB thread per hart.
            "info threads",
            // The kernel runs with the MMU on by then: a breakpoint on a virtual address.
            "break *start_kernel",
            "continue",
            "printf \"pc=%#lx\\n\", $pc",
            "printf \"banner=%s\\n\", (char *)&linux_banner",
            "printf \"satp-mode=%d\\n\", (unsigned long)$satp >> 60",
            "printf \"priv=%d\\n\", $priv",
            "stepi",
            "printf \"stepped=%d\\n\", $pc - (long)&start_kernel",
            // The first timer tick writes jiffies.
            "watch *(long *)&jiffies",
            "continue",
            "printf \"watch-pc=%#lx\\n\", $pc",
            "x/i $pc",
            "delete",
            "detach",
        ],
    );
    assert!(
        out.contains("* 1    Thread 1.1") && out.contains("  2    Thread 1.2"),
        "two harts, two threads:\n{out}"
    );
    assert!(
        out.contains("hit Breakpoint 1") && out.contains("in start_kernel ()"),
        "the breakpoint:\n{out}"
    );
    expect_line(&out, &format!("pc={start_kernel:#x}"));
    assert!(
        out.contains("banner=Linux version 6.1"),
        "linux_banner:\n{out}"
    );
    // Paging on (the kernel picks the widest mode the hart has: Sv57), in S-mode.
    assert!(
        ["satp-mode=8", "satp-mode=9", "satp-mode=10"]
            .iter()
            .any(|m| out.lines().any(|l| l == *m)),
        "satp:\n{out}"
    );
    expect_line(&out, "priv=1");
    assert!(
        out.contains("stepped=2\n") || out.contains("stepped=4\n"),
        "stepi:\n{out}"
    );
    assert!(
        out.contains("Hardware watchpoint 2: *(long *)&jiffies")
            && out.contains("Old value = ")
            && out.contains("New value = "),
        "the watchpoint on jiffies ({jiffies:#x}):\n{out}"
    );
    // GDB reports the watchpoint where the store that bumped jiffies is (do_timer, on this
    // kernel), after stepping over it.
    assert!(
        out.contains("in do_timer ()") || out.contains("in tick_do_update_jiffies64"),
        "where jiffies is written:\n{out}"
    );
    assert!(out.contains("detached"), "detach:\n{out}");
    // Detached, the guest boots on to userspace and powers off.
    guest.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
    guest.poweroff();
}

/// The port emu printed for machine `machine`'s GDB stub in a fleet: `emu: gdb: listening on
/// 127.0.0.1:PORT (machine NAME)`.
fn fleet_gdb_port(guest: &mut Guest, machine: &str) -> u16 {
    let suffix = format!(" (machine {machine})");
    let seen = guest.wait_for(&suffix, Duration::from_secs(30));
    let addr = seen
        .rsplit("emu: gdb: listening on ")
        .next()
        .unwrap()
        .trim_end_matches(&suffix);
    addr.strip_prefix("127.0.0.1:")
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("bad address in {seen:?}"))
}

/// A fleet of two bare-metal machines, each held before its first instruction (`paused=on`) with
/// a GDB port of its own: GDB debugs one, then the other, and each sees its own machine (a write
/// in one is not in the other, which is still at its first instruction).
#[test]
fn gdb_debugs_each_machine_of_a_fleet_on_its_own_port() {
    let elf = debug::program();
    let main = debug::symbol(&elf, "main");
    let vm = |name: &str| format!("name={name},elf={},gdb=tcp::0,paused=on", elf.display());
    let (a, b) = (vm("a"), vm("b"));
    let mut guest = Guest::start(&["--vm", &a, "--vm", &b]);
    let port_a = fleet_gdb_port(&mut guest, "a");
    let port_b = fleet_gdb_port(&mut guest, "b");
    assert_ne!(port_a, port_b);

    let out = debug::gdb(
        &elf,
        port_a,
        &[
            "printf \"start=%#x\\n\", $pc",
            "break *main",
            "continue",
            "printf \"pc=%#x\\n\", $pc",
            "set var table[3] = 7",
            "printf \"table3=%d\\n\", table[3]",
            "set var release = 1",
            "detach",
        ],
    );
    expect_line(&out, "start=0x80000000");
    expect_line(&out, &format!("pc={main:#x}"));
    expect_line(&out, "table3=7");
    assert!(out.contains("detached"), "detach:\n{out}");
    // Released and detached, a runs to its end; b is still held.
    guest.wait_for("emu: machine a exited with code 0", Duration::from_secs(60));

    let out = debug::gdb(
        &elf,
        port_b,
        &[
            "printf \"start=%#x\\n\", $pc",
            "printf \"table3=%d\\n\", table[3]",
            "printf \"table2=%#lx\\n\", table[2]",
            "set var release = 1",
            "detach",
        ],
    );
    expect_line(&out, "start=0x80000000");
    expect_line(&out, "table3=42");
    expect_line(&out, "table2=0xdeadbeefcafef00d");
    assert!(out.contains("detached"), "detach:\n{out}");
    let status = guest.wait_exit(Duration::from_secs(60));
    let transcript = guest.transcript();
    assert!(status.success(), "emu: {status}\n{transcript}");
    assert!(
        transcript.contains("emu: machine b exited with code 0"),
        "{transcript}"
    );
}
