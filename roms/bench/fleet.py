#!/usr/bin/env python3
"""Measures several machines in one emu process (issue 7): not a test, a benchmark that prints figures.

1. Throughput: 1, 2 and 4 CPU-bound bare-metal machines (roms/bench/loop.S, each stopped by its own
   max_instructions) in one process; prints the aggregate guest MIPS (machines x instructions / wall
   time), which grows with the machines up to the number of free host cores.
2. Idle cost: 16 Linux machines of 512 MiB (the guest recipe's Image + initramfs, nothing writable shared) boot to
   their shells and sit idle; prints the process's host CPU% over a window (utime + stime from /proc)
   and its resident memory (guest RAM is committed only as the guests touch it).

    roms/bench/fleet.py                         # builds emu (release) and loop.elf first
    roms/bench/fleet.py --emu target/release/emu --instructions 300000000 --idle-seconds 20

Needs Linux (/proc), Python 3's standard library, riscv64-unknown-elf-gcc and the guest images
(roms/linux/build.sh, cached in target/guest).
"""

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
USERSPACE_LINE = "emu-guest: userspace up"


def log(msg):
    print(f"fleet-bench: {msg}", file=sys.stderr, flush=True)


def target_dir():
    meta = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps", "--manifest-path", str(REPO / "Cargo.toml")],
        check=True, capture_output=True, text=True,
    )
    return Path(json.loads(meta.stdout)["target_directory"])


def find_emu(args):
    if args.emu:
        return Path(args.emu).resolve()
    log("building emu: cargo build --release")
    subprocess.run(["cargo", "build", "--release", "--manifest-path", str(REPO / "Cargo.toml")], check=True)
    return target_dir() / "release" / "emu"


def build_loop(work):
    elf = work / "loop.elf"
    subprocess.run(
        ["riscv64-unknown-elf-gcc", "-march=rv64imac_zicsr_zifencei", "-mabi=lp64", "-nostdlib",
         "-nostartfiles", "-static", "-Wl,--no-warn-rwx-segments", "-T", str(REPO / "tests/isa/link.ld"),
         str(REPO / "roms/bench/loop.S"), "-o", str(elf)],
        check=True,
    )
    return elf


def cpu_seconds(pid):
    """utime + stime of the process, in seconds (/proc/PID/stat fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def throughput(emu, elf, machines, instructions):
    args = [str(emu)]
    for i in range(machines):
        args += ["--vm", f"name=cpu{i},elf={elf},max_instructions={instructions},memory=16M"]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    result = subprocess.run(args, capture_output=True, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    if result.returncode != 124:  # every machine stopped by its instruction limit
        raise SystemExit(f"emu exited with {result.returncode}: {result.stderr}")
    total = machines * instructions / 1e6
    return total / wall, total / cpu, cpu / wall, wall


def idle(emu, images, machines, memory, seconds, boot_timeout, work):
    args = [str(emu)]
    logs = []
    for i in range(machines):
        path = work / f"idle{i}.log"
        logs.append(path)
        args += ["--vm", f"name=idle{i},kernel={images}/Image,initrd={images}/initramfs.cpio.gz,"
                         f"memory={memory},console=file:{path}"]
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        start = time.monotonic()
        while True:
            up = sum(1 for p in logs if p.exists() and USERSPACE_LINE in p.read_text(errors="replace"))
            if up == machines:
                break
            if proc.poll() is not None:
                raise SystemExit(f"emu exited early: {proc.stderr.read().decode()}")
            if time.monotonic() - start > boot_timeout:
                raise SystemExit(f"only {up} of {machines} machines booted in {boot_timeout} s")
            time.sleep(0.5)
        boot = time.monotonic() - start
        log(f"{machines} machines booted in {boot:.1f} s; letting them settle")
        time.sleep(5)
        before, t0 = cpu_seconds(proc.pid), time.monotonic()
        time.sleep(seconds)
        used, elapsed = cpu_seconds(proc.pid) - before, time.monotonic() - t0
        return 100 * used / elapsed, rss_mib(proc.pid), boot
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--emu", help="the emu binary (default: build target/release/emu)")
    p.add_argument("--instructions", type=int, default=500_000_000, help="instructions per CPU-bound machine")
    p.add_argument("--idle-machines", type=int, default=16)
    p.add_argument("--idle-memory", default="512M", help="memory of each idle machine")
    p.add_argument("--idle-seconds", type=float, default=30)
    p.add_argument("--boot-timeout", type=float, default=600)
    p.add_argument("--images", default=str(REPO / "target/guest"), help="directory with Image and initramfs.cpio.gz")
    args = p.parse_args()

    emu = find_emu(args)
    with tempfile.TemporaryDirectory(prefix="emu-fleet-bench") as work:
        work = Path(work)
        elf = build_loop(work)
        print(f"host: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start "
              "(other load on the host takes cores from the machines)")
        single = None
        for n in (1, 2, 4):
            mips, per_core, cores, wall = throughput(emu, elf, n, args.instructions)
            single = single or mips
            print(f"{n} CPU-bound machine(s): {mips:7.1f} MIPS aggregate ({mips / single:.2f}x one machine; "
                  f"{wall:.1f} s wall, {cores:.2f} host cores busy, {per_core:.1f} MIPS per busy core)")
        cpu, rss, boot = idle(emu, args.images, args.idle_machines, args.idle_memory, args.idle_seconds,
                              args.boot_timeout, work)
        print(f"{args.idle_machines} idle Linux machines ({args.idle_memory} of guest RAM each, booted in "
              f"{boot:.0f} s): {cpu:.2f}% of one host core over {args.idle_seconds:.0f} s; {rss:.0f} MiB resident "
              f"in all ({rss / args.idle_machines:.0f} MiB per machine)")


if __name__ == "__main__":
    main()
