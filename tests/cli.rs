//! The `emu` program as a user sees it: exit statuses, messages, HTIF, signatures, limits, traces.
//!
//! The programs are assembled with `riscv64-unknown-elf-gcc` (Debian: gcc-riscv64-unknown-elf).
//! Without it these tests fail, saying so: they are never skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EMU: &str = env!("CARGO_BIN_EXE_emu");
const GCC: &str = "riscv64-unknown-elf-gcc";

/// Exit status for bad input (file, option).
const BAD_INPUT: i32 = 2;
/// Exit status when --max-instructions stops the program.
const INSTRUCTION_LIMIT: i32 = 124;

/// A scratch directory of this test binary.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn emu(args: &[&str]) -> Output {
    Command::new(EMU)
        .args(args)
        .output()
        .expect("cannot start emu")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Builds an RV64 program from assembly `body` (after `_start`, in `.text.init`), linked by
/// tests/isa/link.ld at 0x80000000, with `tohost`/`fromhost` unless `htif` is false.
fn program(name: &str, body: &str, htif: bool) -> PathBuf {
    let mut source =
        String::from(".section .text.init, \"ax\", @progbits\n.globl _start\n_start:\n");
    source.push_str(body);
    if htif {
        source.push_str(
            "\n.section .tohost, \"aw\", @progbits\n.align 6\n.globl tohost\ntohost: .dword 0\n\
             .align 6\n.globl fromhost\nfromhost: .dword 0\n",
        );
    }
    let src = scratch(&format!("{name}.S"));
    let elf = scratch(&format!("{name}.elf"));
    std::fs::write(&src, source).unwrap();
    let link = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/isa/link.ld");
    let result = Command::new(GCC)
        .args([
            "-march=rv64im",
            "-mabi=lp64",
            "-nostdlib",
            "-nostartfiles",
            "-static",
            "-T",
            link,
            "-o",
        ])
        .arg(&elf)
        .arg(&src)
        .output();
    let out = match result {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "{GCC} is not installed: these tests assemble RISC-V programs with it. \
             Install it (Debian/Ubuntu: `apt-get install gcc-riscv64-unknown-elf`) and run them again"
        ),
        Err(e) => panic!("cannot run {GCC}: {e}"),
    };
    assert!(
        out.status.success(),
        "{GCC} failed on {}:\n{}",
        src.display(),
        stderr(&out)
    );
    elf
}

/// A program that ends by writing `(code << 1) | 1` to tohost, as riscv-tests do.
fn exit_program(name: &str, code: u64) -> PathBuf {
    let body = format!(
        "li t0, {}\nla t1, tohost\n1: sd t0, 0(t1)\nj 1b\n",
        (code << 1) | 1
    );
    program(name, &body, true)
}

/// Checks that emu refused its input the way a user should see it.
fn assert_bad_input(out: &Output, problem: &str, case: &str) {
    let err = stderr(out);
    assert_eq!(
        out.status.code(),
        Some(BAD_INPUT),
        "{case}: wrong exit status; stderr: {err}"
    );
    assert!(
        err.starts_with("emu: ") && err.ends_with('\n'),
        "{case}: {err:?}"
    );
    assert_eq!(
        err.lines().count(),
        1,
        "{case}: the message must be one line: {err:?}"
    );
    assert!(
        err.contains(problem),
        "{case}: {err:?} should contain {problem:?}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{case}: {err:?}"
    );
    assert!(out.stdout.is_empty(), "{case}: {}", stdout(out));
}

/// The ELF file header of a 64-bit little-endian executable for `machine`, with `phnum` program
/// headers right after it.
fn elf64_header(machine: u16, entry: u64, phnum: u16) -> Vec<u8> {
    let mut h = vec![0u8; 64];
    h[..4].copy_from_slice(b"\x7fELF");
    h[4] = 2; // ELFCLASS64
    h[5] = 1; // little-endian
    h[6] = 1;
    h[16..18].copy_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    h[18..20].copy_from_slice(&machine.to_le_bytes());
    h[20..24].copy_from_slice(&1u32.to_le_bytes());
    h[24..32].copy_from_slice(&entry.to_le_bytes());
    h[32..40].copy_from_slice(&64u64.to_le_bytes());
    h[52..54].copy_from_slice(&64u16.to_le_bytes());
    h[54..56].copy_from_slice(&56u16.to_le_bytes());
    h[56..58].copy_from_slice(&phnum.to_le_bytes());
    h
}

/// A RISC-V ELF whose only segment is loaded at `paddr` (4 bytes: an infinite loop).
fn riscv_elf_at(paddr: u64) -> Vec<u8> {
    let mut elf = elf64_header(243, paddr, 1);
    let mut ph = vec![0u8; 56];
    ph[0..4].copy_from_slice(&1u32.to_le_bytes()); // PT_LOAD
    ph[4..8].copy_from_slice(&5u32.to_le_bytes()); // R+X
    ph[8..16].copy_from_slice(&120u64.to_le_bytes());
    ph[16..24].copy_from_slice(&paddr.to_le_bytes());
    ph[24..32].copy_from_slice(&paddr.to_le_bytes());
    ph[32..40].copy_from_slice(&4u64.to_le_bytes());
    ph[40..48].copy_from_slice(&4u64.to_le_bytes());
    elf.extend_from_slice(&ph);
    elf.extend_from_slice(&0x0000_006fu32.to_le_bytes()); // j .
    elf
}

/// The file header of a 32-bit RISC-V ELF (an RV32 program).
fn riscv32_elf() -> Vec<u8> {
    let mut h = vec![0u8; 52];
    h[..4].copy_from_slice(b"\x7fELF");
    h[4] = 1; // ELFCLASS32
    h[5] = 1;
    h[6] = 1;
    h[16..18].copy_from_slice(&2u16.to_le_bytes());
    h[18..20].copy_from_slice(&243u16.to_le_bytes());
    h[20..24].copy_from_slice(&1u32.to_le_bytes());
    h[24..28].copy_from_slice(&0x8000_0000u32.to_le_bytes());
    h
}

#[test]
fn bad_inputs_are_one_line_errors_with_status_2() {
    let text = scratch("notes.txt");
    std::fs::write(&text, "just some text\n").unwrap();
    let rv32 = scratch("rv32.elf");
    std::fs::write(&rv32, riscv32_elf()).unwrap();
    let low = scratch("low.elf");
    std::fs::write(&low, riscv_elf_at(0x1000)).unwrap();
    let truncated = scratch("truncated.elf");
    std::fs::write(&truncated, &riscv_elf_at(0x8000_0000)[..100]).unwrap();
    let good = riscv_elf_at(0x8000_0000);
    let good_path = scratch("good.elf");
    std::fs::write(&good_path, good).unwrap();
    let missing = scratch("does-not-exist.elf");
    let dir = scratch("");

    let p = |path: &Path| path.to_str().unwrap().to_string();
    let cases: Vec<(&str, Vec<String>, &str)> = vec![
        ("missing file", vec![p(&missing)], "does-not-exist.elf"),
        ("a directory", vec![p(&dir)], "cannot read"),
        ("a text file", vec![p(&text)], "not an ELF file"),
        (
            "a 32-bit ELF",
            vec![p(&rv32)],
            "32-bit ELF: emu runs RV64 programs",
        ),
        (
            "the host's own /bin/true",
            vec!["/bin/true".into()],
            "not a RISC-V program",
        ),
        (
            "a segment outside RAM",
            vec![p(&low)],
            "outside guest RAM 0x80000000..0xa0000000",
        ),
        ("a truncated ELF", vec![p(&truncated)], "truncated ELF"),
        (
            "--memory 0",
            vec!["--memory".into(), "0".into(), p(&good_path)],
            "invalid memory size 0",
        ),
        (
            "--memory 5X",
            vec!["--memory".into(), "5X".into(), p(&good_path)],
            "'5X'",
        ),
        (
            "--memory 100000G",
            vec!["--memory".into(), "100000G".into(), p(&good_path)],
            "invalid memory size",
        ),
        (
            "--memory 4097",
            vec!["--memory".into(), "4097".into(), p(&good_path)],
            "multiple of 4 KiB",
        ),
        (
            "--max-instructions x",
            vec!["--max-instructions".into(), "x".into(), p(&good_path)],
            "'x'",
        ),
    ];
    for (case, args, problem) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_bad_input(&emu(&args), problem, case);
    }
    // The segment message also says where the segment is.
    assert!(stderr(&emu(&[&p(&low)])).contains("0x1000..0x1004"));
}

#[test]
fn a_program_without_signature_symbols_cannot_give_a_signature() {
    let elf = exit_program("nosig", 0);
    let sig = scratch("nosig.sig");
    let out = emu(&["--signature", sig.to_str().unwrap(), elf.to_str().unwrap()]);
    assert_bad_input(
        &out,
        "no begin_signature and end_signature symbols",
        "--signature without symbols",
    );
}

#[test]
fn htif_exit_code_is_the_exit_status() {
    for (code, status) in [(0, 0), (7, 7), (255, 255), (256, 255), (300, 255)] {
        let elf = exit_program(&format!("exit{code}"), code);
        let out = emu(&[elf.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(status),
            "code {code}: {}",
            stderr(&out)
        );
        if code != 0 {
            assert!(
                stderr(&out).contains(&format!("exited with code {code}")),
                "{}",
                stderr(&out)
            );
        } else {
            assert_eq!(stderr(&out), "");
        }
    }
}

#[test]
fn sys_write_prints_to_stdout_and_stderr() {
    // do_syscall: a7 = number, a0..a2 = arguments; the result comes back in a0.
    let body = r#"
        li a7, 64; li a0, 1; la a1, hello; li a2, 6; call do_syscall
        mv s0, a0
        li a7, 64; li a0, 2; la a1, oops; li a2, 5; call do_syscall
        li a7, 64; li a0, 7; la a1, hello; li a2, 1; call do_syscall
        mv s1, a0
        li a7, 1234; call do_syscall
        mv s2, a0
        li a0, 0
        li t0, 6; beq s0, t0, 1f; li a0, 1
    1:  li t0, -9; beq s1, t0, 2f; li a0, 2
    2:  li t0, -38; beq s2, t0, 3f; li a0, 3
    3:  li a7, 93; call do_syscall
    4:  j 4b

    do_syscall:
        la t0, magic
        sd a7, 0(t0); sd a0, 8(t0); sd a1, 16(t0); sd a2, 24(t0)
        fence
        la t1, tohost
        sd t0, 0(t1)
        la t2, fromhost
    5:  ld t3, 0(t2)
        beqz t3, 5b
        sd zero, 0(t2)
        ld a0, 0(t0)
        ret

        .data
        .align 6
    magic: .zero 64
    hello: .ascii "hello\n"
    oops: .ascii "oops\n"
    "#;
    let elf = program("hello", body, true);
    let out = emu(&[elf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "hello\n");
    assert!(stderr(&out).starts_with("oops\n"), "{}", stderr(&out));
}

#[test]
fn signature_is_written_in_both_granularities() {
    // The program changes one word at run time: the signature is read after the run.
    let body = r#"
        la t0, begin_signature
        li t1, 0xcafef00d
        sw t1, 12(t0)
        li t0, 1
        la t1, tohost
    1:  sd t0, 0(t1)
        j 1b

        .data
        .align 4
        .globl begin_signature
    begin_signature:
        .word 0x01234567, 0x89abcdef, 0xdeadbeef, 0x00000000, 0x00000010, 0xffffffff
        .globl end_signature
    end_signature:
        .word 0x55555555
    "#;
    let elf = program("signature", body, true);
    for (granularity, expected) in [
        (
            None,
            "01234567\n89abcdef\ndeadbeef\ncafef00d\n00000010\nffffffff\n",
        ),
        (
            Some("4"),
            "01234567\n89abcdef\ndeadbeef\ncafef00d\n00000010\nffffffff\n",
        ),
        (
            Some("8"),
            "89abcdef01234567\ncafef00ddeadbeef\nffffffff00000010\n",
        ),
    ] {
        let sig = scratch(&format!("signature-{granularity:?}.txt"));
        let _ = std::fs::remove_file(&sig);
        let mut args = vec!["--signature", sig.to_str().unwrap()];
        if let Some(g) = granularity {
            args.extend(["--signature-granularity", g]);
        }
        args.push(elf.to_str().unwrap());
        let out = emu(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(
            std::fs::read_to_string(&sig).unwrap(),
            expected,
            "granularity {granularity:?}"
        );
    }
}

/// With `--smp N` an ELF program starts on every hart at its entry, a0 = mhartid, as on Spike:
/// each hart marks its own slot, hart 0 waits a while and exits with the number of marks.
#[test]
fn an_elf_program_starts_on_every_hart() {
    let body = ".option arch, +zicsr\n\
                csrr t0, mhartid\n\
                li t6, 99\n\
                bne t0, a0, exit\n\
                la t1, marks\n\
                slli t2, t0, 3\n\
                add t2, t1, t2\n\
                li t3, 1\n\
                sd t3, 0(t2)\n\
                bnez t0, park\n\
                li t4, 200000\n\
                1: addi t4, t4, -1\n\
                bnez t4, 1b\n\
                li t6, 0\n\
                li t5, 8\n\
                2: ld t3, 0(t1)\n\
                add t6, t6, t3\n\
                addi t1, t1, 8\n\
                addi t5, t5, -1\n\
                bnez t5, 2b\n\
                exit: slli t6, t6, 1\n\
                ori t6, t6, 1\n\
                la t1, tohost\n\
                3: sd t6, 0(t1)\n\
                j 3b\n\
                park: j park\n\
                .data\n\
                .align 3\n\
                marks: .zero 64\n";
    let elf = program("smp", body, true);
    for harts in ["1", "3", "8"] {
        let out = emu(&["--smp", harts, elf.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(harts.parse().unwrap()),
            "--smp {harts}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn max_instructions_stops_an_endless_loop() {
    let elf = program("forever", "1: addi a0, a0, 1\nj 1b\n", false);
    let out = emu(&["--max-instructions", "100000", elf.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(INSTRUCTION_LIMIT),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        stderr(&out),
        "emu: stopped after 100000 instructions (--max-instructions)\n"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn trace_shows_each_executed_instruction() {
    let body = "li a0, 5\naddi a0, a0, 1\nli t0, 1\nla t1, tohost\n1: sd t0, 0(t1)\nj 1b\n";
    let elf = program("trace", body, true);

    let file = scratch("trace.txt");
    let out = emu(&[
        &format!("--trace={}", file.display()),
        elf.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let trace = std::fs::read_to_string(&file).unwrap();
    let line = trace
        .lines()
        .find(|l| l.contains("80000004"))
        .unwrap_or_else(|| panic!("no line for pc 0x80000004:\n{trace}"));
    // objdump (binutils 2.40) spells addi with an immediate as "add".
    assert!(line.contains("add") && line.contains("a0,a0,1"), "{line}");
    assert!(
        trace.contains("sd") && trace.contains("t0,0(t1)"),
        "{trace}"
    );

    // Without a file the trace goes to stderr.
    let out = emu(&["--trace", elf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("a0,a0,1"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[test]
fn trace_has_one_line_per_instruction_up_to_the_limit() {
    let elf = program("trace-forever", "1: addi a0, a0, 1\nj 1b\n", false);
    let file = scratch("trace-forever.txt");
    let out = emu(&[
        "--max-instructions",
        "50",
        &format!("--trace={}", file.display()),
        elf.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(INSTRUCTION_LIMIT),
        "{}",
        stderr(&out)
    );
    let trace = std::fs::read_to_string(&file).unwrap();
    assert_eq!(trace.lines().count(), 50, "{trace}");
}
