//! Fuzz target `monitor`: the monitor's command parser (`src/monitor/parse.rs`) on arbitrary
//! lines: the input, read as lossy UTF-8, is parsed as one line and then split on `\n`, each
//! piece parsed as a line of its own (as `parse::parse` and as an address expression,
//! `parse::parse_expr`).
//!
//! The harness lives here, not in `emu_fuzz` (fuzz/src/) as the other targets' do: the parser
//! is part of the `emu` binary package, which no crate can depend on, and it is pure (std and
//! `emu_cpu::REG_NAMES` only, no machine), so this target compiles that very source file as a
//! module of its own (`#[path]` below) rather than a copy that could drift from it. Its
//! `#[cfg(test)]` unit tests are not built here.
//!
//! Oracle, beyond "no panic, no hang", for every line:
//! - parsing is deterministic (the same line twice gives the same answer);
//! - whitespace around the line, or widened between its words, changes nothing: a command stays
//!   the same command, an error stays an error (the prompt and sockets may leave `\r`, spaces,
//!   tabs);
//! - an error is one non-empty line: no `\n` or `\r` (the monitor prints `error: {e}\n`);
//! - a command is well formed: counts within 1..=1000000, `x` units of 1, 2, 4 or 8 bytes,
//!   expressions with at least one term and registers below 32; its canonical spelling
//!   ([`render`]) parses back to the same command, and its command word has a `help` entry;
//! - an address expression evaluates, for any register values, to the sum of its terms modulo
//!   2^64 (an i128 model), and one without registers does not depend on them; it too parses
//!   back from its canonical spelling.

#![no_main]

// The parser lives in the binary crate (src/monitor/parse.rs) and is pure, so the fuzz target
// compiles the same file instead of depending on `emu`.
#[path = "../../src/monitor/parse.rs"]
mod parse;

use parse::{Atom, Command, Expr, Format, Info, HELP};

libfuzzer_sys::fuzz_target!(|data: &[u8]| run(data));

fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let regs = registers(data);
    check_line(&text, &regs);
    if text.contains('\n') {
        for line in text.split('\n') {
            check_line(line, &regs);
        }
    }
}

/// Register values for evaluating expressions, drawn from the input (splitmix64 of its hash).
fn registers(data: &[u8]) -> ([u64; 32], u64) {
    let mut seed = data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let mut next = || {
        seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut x = [0u64; 32];
    for r in x.iter_mut() {
        *r = next();
    }
    (x, next())
}

fn check_line(line: &str, regs: &([u64; 32], u64)) {
    let first = parse::parse(line);
    assert_eq!(first, parse::parse(line), "not deterministic: {line:?}");

    for wrapped in [format!(" \t{line}\r "), format!("\u{a0}{line}\u{3000}\n")] {
        let again = parse::parse(&wrapped);
        match (&first, &again) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "surrounding whitespace: {line:?}"),
            (Err(_), Err(_)) => {}
            _ => panic!("surrounding whitespace: {line:?} gives {first:?}, {wrapped:?} {again:?}"),
        }
    }
    let widened = line.replace(' ', "  \t");
    let again = parse::parse(&widened);
    match (&first, &again) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "widened whitespace: {line:?}"),
        (Err(_), Err(_)) => {}
        _ => panic!("widened whitespace: {line:?} gives {first:?}, {widened:?} {again:?}"),
    }

    match &first {
        Ok(None) => assert!(line.trim().is_empty(), "{line:?} taken as blank"),
        Ok(Some(command)) => {
            assert!(!line.trim().is_empty(), "blank {line:?} gave {command:?}");
            check_command(line, command, regs);
        }
        Err(e) => check_error(line, e),
    }

    match parse::parse_expr(line) {
        Ok(expr) => {
            check_expr(line, &expr, regs);
            let spelled = render_expr(&expr);
            assert_eq!(
                parse::parse_expr(&spelled).as_ref(),
                Ok(&expr),
                "expression {line:?} spelled {spelled:?}"
            );
        }
        Err(e) => check_error(line, &e),
    }
}

fn check_error(line: &str, e: &str) {
    assert!(!e.is_empty(), "{line:?}: empty error");
    assert!(
        !e.contains('\n') && !e.contains('\r'),
        "{line:?}: error of more than one line: {e:?}"
    );
}

fn check_count(line: &str, what: &str, n: u64) {
    assert!(
        (1..=1_000_000).contains(&n),
        "{line:?}: {what} {n} out of 1..=1000000"
    );
}

fn check_command(line: &str, command: &Command, regs: &([u64; 32], u64)) {
    match command {
        Command::Examine {
            count, unit, addr, ..
        } => {
            check_count(line, "count", *count);
            assert!(matches!(unit, 1 | 2 | 4 | 8), "{line:?}: unit {unit}");
            check_expr(line, addr, regs);
        }
        Command::Disas { addr, count } => {
            check_count(line, "count", *count);
            if let Some(addr) = addr {
                check_expr(line, addr, regs);
            }
        }
        Command::Break(addr) | Command::Delete(Some(addr)) => check_expr(line, addr, regs),
        Command::Watch(addr, len) | Command::Unwatch(addr, len) => {
            check_count(line, "length", *len);
            check_expr(line, addr, regs);
        }
        Command::Step(n) => check_count(line, "count", *n),
        Command::Help(Some(word)) | Command::Machine(word) => {
            assert!(
                !word.is_empty() && !word.contains(char::is_whitespace),
                "{line:?}: word {word:?}"
            );
        }
        Command::Trace(Some(path)) => {
            let path = path.to_str().expect("a path from a &str");
            assert!(
                !path.is_empty() && !path.contains(char::is_whitespace),
                "{line:?}: trace file {path:?}"
            );
        }
        _ => {}
    }

    let spelled = render(command);
    assert_eq!(
        parse::parse(&spelled).as_ref(),
        Ok(&Some(command.clone())),
        "{line:?} gave {command:?}, whose spelling {spelled:?} parses differently"
    );
    let word = spelled.split(['/', ' ']).next().unwrap_or_default();
    assert!(
        HELP.iter().any(|(name, _, _)| *name == word),
        "{line:?}: command {word:?} has no help entry"
    );
}

fn check_expr(line: &str, expr: &Expr, (x, pc): &([u64; 32], u64)) {
    assert!(!expr.0.is_empty(), "{line:?}: expression without terms");
    let mut model: i128 = 0;
    for &(negative, atom) in &expr.0 {
        let v = match atom {
            Atom::Number(n) => n,
            Atom::X(r) => {
                assert!(r < 32, "{line:?}: register x{r}");
                x[r as usize]
            }
            Atom::Pc => *pc,
        };
        model = if negative {
            model - i128::from(v)
        } else {
            model + i128::from(v)
        };
        // Reduced as it goes, so a long expression cannot overflow the model either.
        model = model.rem_euclid(1 << 64);
    }
    assert_eq!(
        expr.eval(x, *pc),
        model as u64,
        "{line:?}: eval of {expr:?}"
    );
    if !expr.uses_registers() {
        assert_eq!(
            expr.eval(&[0; 32], 0),
            expr.eval(x, *pc),
            "{line:?}: {expr:?} depends on registers"
        );
    }
}

/// The canonical spelling of a command.
fn render(command: &Command) -> String {
    match command {
        Command::Help(None) => "help".into(),
        Command::Help(Some(topic)) => format!("help {topic}"),
        Command::Info(info) => format!(
            "info {}",
            match info {
                Info::Registers => "registers",
                Info::Csrs => "csrs",
                Info::Tlb => "tlb",
                Info::Devices => "devices",
                Info::Stats => "stats",
                Info::Machines => "machines",
                Info::Breakpoints => "breakpoints",
            }
        ),
        Command::Machine(name) => format!("machine {name}"),
        Command::Hart(n) => format!("hart {n}"),
        Command::Examine {
            count,
            format,
            unit,
            addr,
            physical,
        } => {
            let f = match format {
                Format::Hex => 'x',
                Format::Signed => 'd',
                Format::Unsigned => 'u',
                Format::Octal => 'o',
                Format::Binary => 't',
                Format::Char => 'c',
                Format::Instruction => 'i',
                Format::String => 's',
            };
            let u = match unit {
                1 => 'b',
                2 => 'h',
                4 => 'w',
                _ => 'g',
            };
            let word = if *physical { "xp" } else { "x" };
            format!("{word}/{count}{f}{u} {}", render_expr(addr))
        }
        Command::Disas { addr: None, .. } => "disas".into(),
        Command::Disas {
            addr: Some(addr),
            count,
        } => format!("disas {} {count}", render_expr(addr)),
        Command::Break(addr) => format!("break {}", render_expr(addr)),
        Command::Delete(None) => "delete".into(),
        Command::Delete(Some(addr)) => format!("delete {}", render_expr(addr)),
        Command::Watch(addr, len) => format!("watch {} {len}", render_expr(addr)),
        Command::Unwatch(addr, len) => format!("unwatch {} {len}", render_expr(addr)),
        Command::Step(n) => format!("step {n}"),
        Command::Continue => "continue".into(),
        Command::Stop => "stop".into(),
        Command::Trace(None) => "trace off".into(),
        Command::Trace(Some(path)) => format!("trace on {}", path.display()),
        Command::SystemReset => "system_reset".into(),
        Command::Quit => "quit".into(),
    }
}

/// The canonical spelling of an expression: hex numbers, `$abi` registers, `pc`, no spaces.
fn render_expr(expr: &Expr) -> String {
    let mut out = String::new();
    for (i, &(negative, atom)) in expr.0.iter().enumerate() {
        if negative {
            out.push('-');
        } else if i > 0 {
            out.push('+');
        }
        match atom {
            Atom::Number(n) => out.push_str(&format!("{n:#x}")),
            Atom::X(r) => {
                out.push('$');
                out.push_str(emu_cpu::REG_NAMES[usize::from(r) & 31]);
            }
            Atom::Pc => out.push_str("pc"),
        }
    }
    out
}
