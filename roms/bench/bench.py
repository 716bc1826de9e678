#!/usr/bin/env python3
"""Boots the same Linux guest on emu and on QEMU's `virt` machine and compares their speed.

Each run boots the benchmark initramfs (roms/bench/linux/build.sh: the guest recipe's Image and
initramfs plus the workloads) once on each emulator, measures the host wall time from starting the
emulator to the console line `emu-guest: userspace up`, then collects the score lines the workloads
print (`bench <name>: <score> <unit> ...`, measured inside the guest) until the guest powers off.
Each run also runs the bare-metal loop roms/bench/mips.S (built with riscv64-unknown-elf-gcc) to
completion on each emulator, once in S-mode without translation (`bare-mips`) and once under Sv39
(`sv39-mips`; QEMU: `-M spike -bios none`, the program exits through HTIF), and reports guest MIPS:
the known instruction count over the host wall time.
At the end it prints, per workload, the median over the runs on each emulator and the emu/QEMU ratio.

    roms/bench/bench.py                 # 5 runs; builds emu (release) and the guest first
    roms/bench/bench.py --runs 3 --scale 0.2 --only intmix,syscall,bare-mips

Only the Python 3 standard library is needed. Without qemu-system-riscv64 (Debian: qemu-system-misc)
or OpenSBI (Debian: opensbi), emu runs alone. Console logs of every boot are kept in --log-dir.
"""

import argparse
import json
import os
import queue
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
USERSPACE_LINE = "emu-guest: userspace up"
WORKLOADS = ["intmix", "memory", "fp", "syscall", "compile", "busybox"]
# Bare-metal rows: roms/bench/mips.S built without and with -DSV39, run to completion.
BARE = {"bare-mips": [], "sv39-mips": ["-DSV39"]}
BARE_BASE_ITERS = 200_000_000  # loop iterations at scale 1: about 1-1.5 s on QEMU 7.2 here
# Retired instructions of mips.S: MIPS_FIXED[row] + MIPS_BODY * iterations (see the comment there).
MIPS_BODY = 15
MIPS_FIXED = {"bare-mips": 31, "sv39-mips": 42}
# emu notices the tohost write only at the end of its run slice (machine/src/machine.rs SLICE), so
# its --stats count may exceed the program's own by up to this many spins of the final `j 1b`.
EMU_SLICE = 10_000
BARE_GCC = "riscv64-unknown-elf-gcc"
OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
SCORE_RE = re.compile(
    r"^bench (?P<name>\S+): (?P<score>[0-9.]+) (?P<unit>\S+) "
    r"\(n=(?P<n>\d+) time=(?P<time>[0-9.]+)s check=(?P<check>[0-9a-f]+)\)"
)
# Console lines that mean something went wrong in the guest, worth showing in the report.
TROUBLE_RE = re.compile(
    r"bench-error|unhandled signal|Kernel panic|Oops|BUG:|segfault|Illegal instruction|rcu_sched self-detected"
)
BOOT_LABEL = "boot to userspace"


class BenchError(Exception):
    pass


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------
# Building


def find_emu(args):
    if args.emu:
        emu = Path(args.emu)
        if not (emu.is_file() and os.access(emu, os.X_OK)):
            raise BenchError(f"--emu {emu}: not an executable file")
        return emu.resolve()
    try:
        meta = subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--no-deps", "--manifest-path", str(REPO / "Cargo.toml")],
            check=True, capture_output=True, text=True,
        )
        target_dir = Path(json.loads(meta.stdout)["target_directory"])
    except (OSError, subprocess.CalledProcessError, ValueError, KeyError) as e:
        raise BenchError(f"cannot ask cargo for the target directory ({e}); pass --emu PATH") from None
    emu = target_dir / "release" / "emu"
    if args.no_build:
        if not emu.is_file():
            raise BenchError(f"{emu} does not exist (drop --no-build, or pass --emu PATH)")
        return emu
    log(f"building emu: cargo build --release (target dir {target_dir})")
    r = subprocess.run(["cargo", "build", "--release", "--manifest-path", str(REPO / "Cargo.toml")])
    if r.returncode != 0:
        raise BenchError("cargo build --release failed")
    if not emu.is_file():
        raise BenchError(f"cargo build --release did not produce {emu}")
    return emu


def build_guest(args):
    guest = Path(args.guest_dir).resolve() if args.guest_dir else None
    if args.no_build:
        guest = guest or Path(os.environ.get("EMU_GUEST_DIR", REPO / "target" / "guest")).resolve()
        initrd = guest / "bench-initramfs.cpio.gz"
    else:
        log("building the benchmark guest: roms/bench/linux/build.sh")
        cmd = [str(REPO / "roms" / "bench" / "linux" / "build.sh")] + ([str(guest)] if guest else [])
        r = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        if r.returncode != 0 or not r.stdout.strip():
            raise BenchError("roms/bench/linux/build.sh failed (see above)")
        initrd = Path(r.stdout.strip().splitlines()[-1])
        guest = initrd.parent
    image = guest / "Image"
    for f in (image, initrd):
        if not f.is_file():
            raise BenchError(f"{f} is missing (run roms/bench/linux/build.sh, or drop --no-build)")
    return image, initrd


def build_bare(rows, iters):
    """Assembles mips.S for each row twice: with `iters` iterations and with 1 (for the start-up time).
    Returns {row: {iterations: elf}}. Always rebuilt: it takes milliseconds."""
    if not shutil.which(BARE_GCC):
        raise BenchError(f"{BARE_GCC} not found (Debian: apt-get install gcc-riscv64-unknown-elf), "
                         f"needed for {', '.join(rows)}")
    out = REPO / "target" / "bench" / "baremetal"
    out.mkdir(parents=True, exist_ok=True)
    src = REPO / "roms" / "bench" / "mips.S"
    elfs = {}
    for row in rows:
        for n in sorted({iters, 1}):
            elf = out / f"{row}-{n}.elf"
            tmp = out / f".{row}-{n}.{os.getpid()}.tmp"
            cmd = [BARE_GCC, "-march=rv64imac_zicsr_zifencei", "-mabi=lp64", "-nostdlib", "-nostartfiles",
                   "-static", "-Wl,--no-warn-rwx-segments", "-T", str(REPO / "roms" / "bench" / "link.ld"),
                   *BARE[row], f"-DITERS={n}", str(src), "-o", str(tmp)]
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                tmp.unlink(missing_ok=True)
                raise BenchError(f"cannot assemble {src} for {row}:\n{r.stderr}")
            os.replace(tmp, elf)
            elfs.setdefault(row, {})[n] = elf
    return elfs


def bare_instructions(row, iters):
    return MIPS_FIXED[row] + MIPS_BODY * iters


# ------------------------------------------------------------------------------------------------
# One boot


class Boot:
    """One emulator process: console lines with their arrival times, and what they tell."""

    kind = "linux"

    def __init__(self, name, cmd, log_path):
        self.name = name
        self.cmd = cmd
        self.log_path = log_path
        self.boot_s = None  # start -> userspace line
        self.total_s = None  # start -> process exit
        self.scores = {}  # workload -> dict(score, unit, n, time, check, host_t)
        self.order = []
        self.trouble = []
        self.errors = []
        self.exit_status = None
        self.cpu_s = None
        self.guest_window = None  # (bench-begin, bench-end) arrival times

    def run(self, boot_timeout, total_timeout, exit_timeout):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        logf = open(self.log_path, "w", encoding="utf-8", errors="replace")
        logf.write("$ " + " ".join(self.cmd) + "\n")
        lines = queue.Queue()
        start = time.monotonic()
        try:
            proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        except OSError as e:
            logf.close()
            raise BenchError(f"cannot start {self.cmd[0]}: {e}") from None

        def reader():
            for raw in proc.stdout:
                lines.put((time.monotonic(), raw))
            lines.put((time.monotonic(), None))

        threading.Thread(target=reader, daemon=True).start()
        ended = False  # saw bench-end
        eof = False
        try:
            while not eof:
                now = time.monotonic()
                if self.boot_s is None:
                    deadline, what = start + boot_timeout, f"the line '{USERSPACE_LINE}'"
                elif not ended:
                    deadline, what = start + total_timeout, "the end of the workloads (bench-end)"
                else:
                    deadline, what = ended_at + exit_timeout, "the emulator to exit after poweroff"
                try:
                    t, raw = lines.get(timeout=max(0.0, deadline - now))
                except queue.Empty:
                    self.errors.append(f"timed out after {time.monotonic() - start:.0f} s waiting for {what}")
                    break
                if raw is None:
                    eof = True
                    break
                line = raw.decode("utf-8", "replace").replace("\r", "").rstrip("\n")
                logf.write(f"[{t - start:9.3f}] {line}\n")
                if self.boot_s is None and USERSPACE_LINE in line:
                    self.boot_s = t - start
                elif line.startswith("bench-begin"):
                    self.guest_window = (t, None)
                elif line.startswith("bench-end"):
                    ended, ended_at = True, t
                    if self.guest_window:
                        self.guest_window = (self.guest_window[0], t)
                m = SCORE_RE.match(line)
                if m:
                    name = m["name"]
                    if name not in self.scores:
                        self.order.append(name)
                    self.scores[name] = dict(score=float(m["score"]), unit=m["unit"], n=int(m["n"]),
                                             time=float(m["time"]), check=m["check"], host_t=t - start)
                elif TROUBLE_RE.search(line):
                    self.trouble.append(line.strip())
        except KeyboardInterrupt:
            self._kill(proc)
            logf.close()
            raise
        if not eof and proc.poll() is None:
            self._kill(proc)
        self._reap(proc, exit_timeout if eof else 5.0)
        self.total_s = time.monotonic() - start
        logf.write(f"[{self.total_s:9.3f}] exit status {self.exit_status}, host CPU {self.cpu_s} s\n")
        logf.close()
        if self.boot_s is None and not self.errors:
            self.errors.append(f"exited (status {self.exit_status}) before printing '{USERSPACE_LINE}'")
        elif eof and not ended:
            self.errors.append(f"exited (status {self.exit_status}) before the workloads ended")
        elif ended and self.exit_status not in (0, None):
            self.errors.append(f"exit status {self.exit_status} after poweroff")
        return self

    @staticmethod
    def _kill(proc):
        try:
            proc.kill()
        except OSError:
            pass

    def _reap(self, proc, timeout):
        """Waits for the process with wait4, to learn its CPU time as well as its status."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            except ChildProcessError:
                return
            if pid:
                self.exit_status = os.waitstatus_to_exitcode(status)
                proc.returncode = self.exit_status
                self.cpu_s = usage.ru_utime + usage.ru_stime
                return
            if time.monotonic() > deadline:
                self.errors.append("did not exit after poweroff: killed")
                self._kill(proc)
                deadline = time.monotonic() + 10
            time.sleep(0.05)

    def summary(self):
        parts = [f"userspace {self.boot_s:.2f} s" if self.boot_s is not None else "no userspace"]
        for name in self.order:
            s = self.scores[name]
            parts.append(f"{name} {fmt(s['score'])}")
        parts.append(f"total {self.total_s:.1f} s")
        if self.cpu_s is not None:
            parts.append(f"host CPU {self.cpu_s:.1f} s")
        return ", ".join(parts)


class BareRun:
    """The bare-metal programs on one emulator: guest MIPS from the known instruction counts.

    Each program runs twice: with the full iteration count and with one iteration. The second run's
    wall time (process start, ELF loading, exit) is subtracted from the first's, and so are its
    instructions: MIPS = (count(N) - count(1)) / (wall(N) - wall(1))."""

    kind = "bare"

    def __init__(self, name, cmd_for, elfs, iters, log_path):
        self.name = name
        self.cmd_for = cmd_for  # elf -> command line
        self.elfs = elfs
        self.iters = iters
        self.log_path = log_path
        self.boot_s = None
        self.total_s = None
        self.scores = {}
        self.order = []
        self.trouble = []
        self.errors = []
        self.exit_status = None
        self.cpu_s = None
        self.guest_window = None

    def _one(self, elf, timeout, logf):
        cmd = self.cmd_for(elf)
        logf.write("$ " + " ".join(cmd) + "\n")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        try:
            # On a timeout or an interrupt, subprocess.run kills the emulator before raising.
            r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            logf.write(f"timed out after {timeout:.0f} s: killed\n")
            return None
        wall = time.monotonic() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        out = (r.stdout + r.stderr).decode("utf-8", "replace")
        logf.write(out + f"[exit status {r.returncode}, wall {wall:.3f} s, host CPU {cpu:.3f} s]\n")
        # emu reports the program's own code on stderr (its exit status is clamped to 1..255).
        m = re.search(r"exited with code (\d+)", out)
        code = int(m[1]) if m else r.returncode
        m = re.search(r"emu: stats: (\d+) instructions", out)
        stats = int(m[1]) if m else None
        return dict(wall=wall, cpu=cpu, code=code, stats=stats)

    def run(self, timeout):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        start = time.monotonic()
        self.cpu_s = 0.0
        with open(self.log_path, "w", encoding="utf-8", errors="replace") as logf:
            for row, elfs in self.elfs.items():
                res = {}
                for n in (1, self.iters):
                    r = self._one(elfs[n], timeout, logf)
                    if r is None:
                        self.errors.append(f"{row}: timed out after {timeout:.0f} s ({elfs[n].name})")
                        break
                    self.cpu_s += r["cpu"]
                    res[n] = r
                    if r["code"] >= 200:
                        self.errors.append(f"{row}: unexpected trap, mcause {r['code'] - 200} ({elfs[n].name})")
                    if r["stats"] is not None:
                        want = bare_instructions(row, n)
                        if not want <= r["stats"] < want + EMU_SLICE:
                            self.errors.append(f"{row}: emu --stats retired {r['stats']} instructions, expected "
                                               f"{want} (up to {EMU_SLICE - 1} more)")
                if len(res) < 2 or self.iters < 2:
                    continue
                n_instr = bare_instructions(row, self.iters) - bare_instructions(row, 1)
                net = res[self.iters]["wall"] - res[1]["wall"]
                if net <= 0:
                    self.errors.append(f"{row}: the full run was not slower than the 1-iteration run")
                    continue
                self.order.append(row)
                self.scores[row] = dict(score=n_instr / net / 1e6, unit="MIPS", n=n_instr, time=net,
                                        check=f"exit{res[self.iters]['code']}", host_t=None,
                                        startup=res[1]["wall"], stats=res[self.iters]["stats"])
        self.total_s = time.monotonic() - start
        return self

    def summary(self):
        parts = [f"{row} {fmt(self.scores[row]['score'])} MIPS (net {self.scores[row]['time']:.2f} s, "
                 f"start-up {self.scores[row]['startup']:.3f} s)" for row in self.order]
        parts.append(f"total {self.total_s:.1f} s")
        return ", ".join(parts)


# ------------------------------------------------------------------------------------------------
# Report


def fmt(v):
    if v is None:
        return "-"
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 100:
        return f"{v:.1f}"
    if v >= 10:
        return f"{v:.2f}"
    return f"{v:.3f}"


def med(vals):
    return statistics.median(vals) if vals else None


def spread(vals):
    """Half the min-max range as a percentage of the median: how noisy the runs were."""
    if len(vals) < 2:
        return ""
    m = statistics.median(vals)
    return f"±{50 * (max(vals) - min(vals)) / m:.0f}%" if m else ""


def collect(boots):
    """Per emulator: {row: [values]}, units, the row order, and each row's set of checks."""
    values, units, order, checks = {}, {}, [], {}
    for b in boots:
        v = values.setdefault(b.name, {})
        if b.boot_s is not None:
            v.setdefault(BOOT_LABEL, []).append(b.boot_s)
        if b.kind == "linux" and BOOT_LABEL not in order:
            order.append(BOOT_LABEL)
            units[BOOT_LABEL] = "s"
        for name in b.order:
            s = b.scores[name]
            v.setdefault(name, []).append(s["score"])
            units[name] = s["unit"]
            checks.setdefault(name, {}).setdefault(b.name, set()).add(s["check"])
            if name not in order:
                order.append(name)
    return values, units, order, checks


def table(boots, emulators):
    values, units, order, checks = collect(boots)
    have_qemu = "QEMU" in emulators
    head = ["", "unit", "emu median", "spread"]
    if have_qemu:
        head += ["QEMU median", "spread", "emu/QEMU", "emu is", "checks"]
    rows = [head]
    for row in order:
        e = values.get("emu", {}).get(row, [])
        cells = [row, units[row], fmt(med(e)), spread(e)]
        if have_qemu:
            q = values.get("QEMU", {}).get(row, [])
            ratio = med(e) / med(q) if e and q and med(q) else None
            if ratio is None:
                slower = "-"
            else:
                # Times: lower is better; scores (rates): higher is better.
                factor = ratio if row == BOOT_LABEL else 1 / ratio if ratio else float("inf")
                slower = f"{factor:.1f}x slower" if factor >= 1 else f"{1 / factor:.1f}x faster"
            c = checks.get(row)
            if row == BOOT_LABEL:
                check = ""
            elif not c or len(c) < 2:
                check = "?"
            else:
                all_checks = set().union(*c.values())
                check = "same" if len(all_checks) == 1 else "DIFFER"
            cells += [fmt(med(q)), spread(q), f"{ratio:.3f}" if ratio is not None else "-", slower, check]
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    out = []
    for i, r in enumerate(rows):
        out.append("  ".join(c.ljust(w) if j < 2 else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths))).rstrip())
        if i == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out), values, units, order, checks


def markdown(values, units, order, emulators):
    have_qemu = "QEMU" in emulators
    out = ["| workload | unit | emu |" + (" QEMU | emu/QEMU |" if have_qemu else "")]
    out.append("|---|---|---:|" + ("---:|---:|" if have_qemu else ""))
    for row in order:
        e = values.get("emu", {}).get(row, [])
        line = f"| {row} | {units[row]} | {fmt(med(e))} |"
        if have_qemu:
            q = values.get("QEMU", {}).get(row, [])
            ratio = med(e) / med(q) if e and q and med(q) else None
            line += f" {fmt(med(q))} | {ratio:.3f} |" if ratio is not None else f" {fmt(med(q))} | - |"
        out.append(line)
    return "\n".join(out)


# ------------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="The ratio column is emu/QEMU of the medians: above 1 is slower for the boot time, below 1 "
               "is slower for the scores (rates); 'emu is' says it in words. 'checks' compares the "
               "workloads' result digests across every run of both emulators.",
    )
    ap.add_argument("--runs", type=int, default=5, help="boots per emulator (default 5)")
    ap.add_argument("--scale", type=float, default=1.0,
                    help="multiply each workload's amount of work (default 1: about 1-1.5 s each on QEMU)")
    ap.add_argument("--only", help=f"comma-separated workloads to run, of {','.join(WORKLOADS + list(BARE))} "
                                   "(default all; with only bare-metal ones, Linux is not booted)")
    ap.add_argument("--smp", type=int, default=1, help="harts of both machines (default 1)")
    ap.add_argument("--memory", default="512M", help="guest RAM of both machines (default 512M)")
    ap.add_argument("--emu", help="emu binary to use (default: cargo build --release, then its target/release/emu)")
    ap.add_argument("--emu-bios", default="builtin",
                    help="emu's --bios: 'builtin' (emu's host-side SBI, the default) or a firmware path; "
                         "'opensbi' means Debian's fw_dynamic.bin, as QEMU uses")
    ap.add_argument("--emu-arg", action="append", default=[], help="extra argument for emu (repeatable)")
    ap.add_argument("--qemu", default="qemu-system-riscv64", help="QEMU binary (default qemu-system-riscv64)")
    ap.add_argument("--qemu-bios", default=OPENSBI, help=f"QEMU's -bios (default {OPENSBI})")
    ap.add_argument("--qemu-arg", action="append", default=[], help="extra argument for QEMU (repeatable)")
    ap.add_argument("--no-qemu", action="store_true", help="run emu alone")
    ap.add_argument("--no-build", action="store_true",
                    help="use the existing emu and guest builds (the bare-metal programs are always assembled)")
    ap.add_argument("--guest-dir", help="guest images directory (default $EMU_GUEST_DIR or target/guest)")
    ap.add_argument("--boot-timeout", type=float, default=300,
                    help="seconds to the userspace line, and per bare-metal program (default 300)")
    ap.add_argument("--timeout", type=float, default=1800,
                    help="seconds from start to the end of the workloads, per boot (default 1800)")
    ap.add_argument("--log-dir", default=str(REPO / "target" / "bench" / "logs"),
                    help="where console logs go (default target/bench/logs)")
    ap.add_argument("--json", help="also write all measurements to this JSON file")
    ap.add_argument("--report", help="write the report to this file too "
                                     "(default target/bench/results/DATE-TIME.txt)")
    args = ap.parse_args()

    if args.runs < 1:
        ap.error("--runs must be at least 1")
    if not args.scale > 0:
        ap.error("--scale must be positive")
    choices = WORKLOADS + list(BARE)
    only = choices
    if args.only:
        only = [w for w in args.only.split(",") if w]
        bad = [w for w in only if w not in choices]
        if bad or not only:
            ap.error(f"--only: unknown workload(s) {','.join(bad)}; choose from {','.join(choices)}")
    linux = [w for w in only if w in WORKLOADS]
    bare = [w for w in only if w in BARE]

    t_start = time.monotonic()
    emu = find_emu(args)
    iters = max(2, round(BARE_BASE_ITERS * args.scale))
    elfs = build_bare(bare, iters) if bare else {}
    linux_cmds, bare_cmds = {}, {}  # emulator -> Linux command line; emulator -> (elf -> command line)
    if linux:
        image, initrd = build_guest(args)
        append = f"console=ttyS0 bench.scale={args.scale:g}"
        if linux != WORKLOADS:
            append += " bench.only=" + ",".join(linux)
        emu_cmd = [str(emu), "--kernel", str(image), "--initrd", str(initrd), "--append", append,
                   "--smp", str(args.smp), "--memory", args.memory]
        if args.emu_bios != "builtin":
            emu_cmd += ["--bios", OPENSBI if args.emu_bios == "opensbi" else args.emu_bios]
        linux_cmds["emu"] = emu_cmd + args.emu_arg
    if bare:
        # --stats: emu's count of retired instructions, checked against the program's.
        bare_cmds["emu"] = lambda elf: [str(emu), "--stats", str(elf)]

    notes = []
    qemu = shutil.which(args.qemu)
    if args.no_qemu:
        notes.append("QEMU not run (--no-qemu)")
    elif not qemu:
        notes.append(f"QEMU not run: {args.qemu} is not installed (Debian: apt-get install qemu-system-misc)")
    else:
        if linux and not Path(args.qemu_bios).is_file():
            notes.append(f"QEMU did not boot Linux: no firmware {args.qemu_bios} (Debian: apt-get install opensbi)")
        elif linux:
            linux_cmds["QEMU"] = [qemu, "-M", "virt", "-m", args.memory, "-smp", str(args.smp), "-nographic",
                                  "-bios", args.qemu_bios, "-kernel", str(image), "-initrd", str(initrd),
                                  "-append", append] + args.qemu_arg
        if bare:
            # The spike machine has HTIF: QEMU exits with the code the program writes to tohost.
            bare_cmds["QEMU"] = lambda elf: [qemu, "-M", "spike", "-nographic", "-bios", "none", "-kernel", str(elf)]
    for n in notes:
        log(n)
    emulators = [name for name in ("emu", "QEMU") if name in linux_cmds or name in bare_cmds]

    stamp = time.strftime("%Y%m%d-%H%M%S")
    log_dir = Path(args.log_dir) / stamp
    boots = []

    def report(run, name, b):
        boots.append(b)
        log(f"run {run + 1}/{args.runs}: {name}: {b.summary()}")
        for line in b.trouble[:5]:
            log(f"  {name} console: {line}")
        for e in b.errors:
            log(f"  {name} ERROR: {e} (log: {b.log_path})")

    try:
        for run in range(args.runs):
            # Alternate which emulator goes first, so slow drifts in host load hit both alike.
            names = emulators if run % 2 == 0 else list(reversed(emulators))
            for name in names:
                if name in linux_cmds:
                    log(f"run {run + 1}/{args.runs}: {name} ...")
                    b = Boot(name, linux_cmds[name], log_dir / f"{name.lower()}-{run + 1}.log")
                    b.run(args.boot_timeout, args.timeout, exit_timeout=30)
                    missing = [w for w in expected_rows(linux) if w not in b.scores]
                    if missing and b.boot_s is not None:
                        b.errors.append(f"no score for {', '.join(missing)}")
                    report(run, name, b)
                if name in bare_cmds:
                    log(f"run {run + 1}/{args.runs}: {name} bare-metal ({iters:,} iterations) ...")
                    b = BareRun(name, bare_cmds[name], elfs, iters, log_dir / f"{name.lower()}-bare-{run + 1}.log")
                    b.run(args.boot_timeout)
                    missing = [w for w in bare if w not in b.scores]
                    if missing and not b.errors:
                        b.errors.append(f"no score for {', '.join(missing)}")
                    report(run, name, b)
    except KeyboardInterrupt:
        log("interrupted: reporting the runs so far")

    if not boots:
        raise BenchError("no runs completed")
    text, values, units, order, checks = table(boots, emulators)
    elapsed = time.monotonic() - t_start

    # The report goes to stdout and, whole, to a results file (--report; default
    # target/bench/results/<date>-<time>.txt).
    lines = []

    def say(*parts):
        line = " ".join(str(p) for p in parts)
        print(line)
        lines.append(line)

    say()
    for name in emulators:
        label = f"{name}:".ljust(6)
        if name in linux_cmds:
            say(f"{label} {' '.join(linux_cmds[name])}")
            label = " " * 6
        if name in bare_cmds:
            say(f"{label} {' '.join(bare_cmds[name]('PROGRAM.elf'))}   (bare-metal: mips.S, "
                  f"{iters:,} iterations, wall time minus that of 1 iteration)")
    if "QEMU" in emulators:
        ver = subprocess.run([qemu, "--version"], capture_output=True, text=True).stdout
        say(f"       ({ver.splitlines()[0] if ver else 'unknown QEMU version'})")
    for n in notes:
        say(f"note:  {n}")
    per = {}
    for b in boots:
        key = b.name + ("" if b.kind == "linux" else " bare-metal")
        per[key] = per.get(key, 0) + 1
    say(f"runs:  {', '.join(f'{n} x {k}' for k, n in per.items())}; medians; spread = half the min-max range")
    say()
    say(text)
    say()
    for name in emulators:
        all_bs = [b for b in boots if b.name == name]
        bs = [b for b in all_bs if b.kind == "linux"]
        tot = [b.total_s for b in bs if not b.errors]
        cpu = [b.cpu_s / b.total_s for b in bs if b.cpu_s and b.total_s and not b.errors]
        fr = []
        for b in bs:
            if b.guest_window and b.guest_window[1]:
                window = b.guest_window[1] - b.guest_window[0]
                timed = sum(s["time"] for s in b.scores.values())
                if timed > 0 and window > 0:
                    fr.append(timed / window)
        if bs:
            line = f"{name}: whole boot (start to exit) median {fmt(med(tot))} s"
            if cpu:
                line += f", host CPU/wall {med(cpu):.2f}"
            if fr:
                line += f", guest-timed share of the workload phase {med(fr):.2f}"
                if max(fr) > 1.02:
                    line += " (ABOVE 1: the guest clock runs fast!)"
            say(line)
        bare_bs = [b for b in all_bs if b.kind == "bare"]
        startup = [s["startup"] for b in bare_bs for s in b.scores.values()]
        bare_cpu = [b.cpu_s / b.total_s for b in bare_bs if b.cpu_s and b.total_s and not b.errors]
        if startup:
            line = f"{name}: bare-metal start-up to exit with 1 iteration (subtracted) median {med(startup):.3f} s"
            if bare_cpu:
                line += f", host CPU/wall {med(bare_cpu):.2f}"
            say(line)
        failed = [b for b in all_bs if b.errors]
        if failed:
            say(f"{name}: {len(failed)} of {len(all_bs)} {'boots' if not bare_bs else 'runs'} FAILED: " +
                  "; ".join(f"{b.log_path.name}: {b.errors[0]}" for b in failed))
        trouble = sorted({t for b in bs for t in b.trouble})
        for t in trouble[:5]:
            say(f"{name}: console: {t}")
    bad = [row for row in order if row in checks and len(set().union(*checks[row].values())) > 1]
    if bad:
        say("check digests DIFFER for " + ", ".join(bad) + ": some run computed a different result")
        for row in bad:
            for name, c in checks[row].items():
                say(f"    {row} on {name}: {', '.join(sorted(c))}")
    say(f"console logs: {log_dir}")
    say(f"harness wall time: {elapsed:.0f} s")
    say()
    say(markdown(values, units, order, emulators))
    report_path = Path(args.report) if args.report else REPO / "target" / "bench" / "results" / f"{stamp}.txt"
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text("\n".join(lines) + "\n")
    log(f"report written to {report_path}")

    if args.json:
        data = dict(
            emulators={name: dict(linux=linux_cmds.get(name),
                                  bare=bare_cmds[name]("PROGRAM.elf") if name in bare_cmds else None)
                       for name in emulators},
            scale=args.scale, smp=args.smp, runs=args.runs, notes=notes, bare_iterations=iters if bare else None,
            boots=[dict(emulator=b.name, kind=b.kind, log=str(b.log_path), boot_s=b.boot_s, total_s=b.total_s,
                        cpu_s=b.cpu_s,
                        exit_status=b.exit_status, errors=b.errors, trouble=b.trouble, scores=b.scores)
                   for b in boots],
            medians={name: {row: med(v) for row, v in rows.items()} for name, rows in values.items()},
            units=units,
        )
        Path(args.json).write_text(json.dumps(data, indent=2) + "\n")
    return 1 if any(b.errors for b in boots) else 0


def expected_rows(only):
    rows = {"intmix": ["intmix"], "memory": ["mem-chase", "mem-hash"], "fp": ["fp-nbody", "fp-matmul"],
            "syscall": ["sys-getpid", "sys-write"], "compile": ["compile"],
            "busybox": ["bb-sha256sum", "bb-gzip"]}
    return [r for w in only for r in rows[w]]


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        print(f"bench: error: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
