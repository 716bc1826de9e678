//! The monitor's command language: one line in, a typed [`Command`] out (or a one-line error).
//! Pure: no machine is involved, so it is unit-tested here and fuzzed as it is.

use std::path::PathBuf;

/// A parsed monitor command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `help [COMMAND]`.
    Help(Option<String>),
    /// `info WHAT`.
    Info(Info),
    /// `machine NAME`: select a machine.
    Machine(String),
    /// `hart N`: select the hart that registers, `x`, `disas` and `step` use.
    Hart(usize),
    /// `x/Nfu ADDR` (virtual) or `xp/Nfu ADDR` (physical).
    Examine {
        /// How many units.
        count: u64,
        /// How to print them.
        format: Format,
        /// Unit size in bytes: 1, 2, 4 or 8.
        unit: u8,
        /// Where.
        addr: Expr,
        /// `xp`: the address is physical.
        physical: bool,
    },
    /// `disas [ADDR [N]]`.
    Disas {
        /// Where (default: pc).
        addr: Option<Expr>,
        /// How many instructions (default 10).
        count: u64,
    },
    /// `break ADDR`.
    Break(Expr),
    /// `delete [ADDR]`: one breakpoint, or all.
    Delete(Option<Expr>),
    /// `watch ADDR [LEN]`: a write watchpoint.
    Watch(Expr, u64),
    /// `unwatch ADDR [LEN]`.
    Unwatch(Expr, u64),
    /// `step [N]`.
    Step(u64),
    /// `continue`.
    Continue,
    /// `stop`.
    Stop,
    /// `trace on [FILE]` / `trace off`.
    Trace(Option<PathBuf>),
    /// `system_reset`.
    SystemReset,
    /// `quit`.
    Quit,
}

/// What `info` shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Info {
    /// Integer and FP registers, pc, privilege.
    Registers,
    /// The main CSRs.
    Csrs,
    /// The TLB's valid entries.
    Tlb,
    /// Device state.
    Devices,
    /// Counters.
    Stats,
    /// The machines of this process.
    Machines,
    /// Breakpoints and watchpoints.
    Breakpoints,
}

/// How `x` prints units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Hexadecimal.
    Hex,
    /// Signed decimal.
    Signed,
    /// Unsigned decimal.
    Unsigned,
    /// Octal.
    Octal,
    /// Binary.
    Binary,
    /// Characters.
    Char,
    /// Instructions (disassembly).
    Instruction,
    /// NUL-terminated strings.
    String,
}

/// An address expression: numbers and registers added and subtracted (`$sp+16`, `0x80000000`,
/// `pc-4`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expr(pub Vec<(bool, Atom)>);

/// A term of an [`Expr`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Atom {
    /// A number.
    Number(u64),
    /// Integer register x0..x31.
    X(u8),
    /// The program counter.
    Pc,
}

impl Expr {
    /// Whether evaluating needs the hart's registers.
    pub fn uses_registers(&self) -> bool {
        self.0.iter().any(|(_, a)| !matches!(a, Atom::Number(_)))
    }

    /// The value, given the registers (x, pc).
    pub fn eval(&self, x: &[u64; 32], pc: u64) -> u64 {
        self.0.iter().fold(0u64, |acc, &(negative, atom)| {
            let v = match atom {
                Atom::Number(n) => n,
                Atom::X(r) => x[r as usize & 31],
                Atom::Pc => pc,
            };
            if negative {
                acc.wrapping_sub(v)
            } else {
                acc.wrapping_add(v)
            }
        })
    }
}

/// One line of help per command, and the longer text `help COMMAND` prints.
pub const HELP: &[(&str, &str, &str)] = &[
    (
        "help",
        "help [COMMAND]",
        "list the commands, or explain one",
    ),
    (
        "info",
        "info registers|csrs|tlb|devices|stats|machines|breakpoints",
        "registers: integer and FP registers, pc and privilege of the current hart; csrs: its \
         main CSRs; tlb: its TLB's valid entries; devices: virtio queues, PLIC pending and enabled \
         sources, UART and CLINT state; stats: instructions retired, MIPS, code-cache and TLB hit \
         rates, run-loop exits; machines: the machines of this process; breakpoints: breakpoints \
         and watchpoints",
    ),
    (
        "machine",
        "machine NAME",
        "select the machine the other commands talk to (see info machines)",
    ),
    (
        "hart",
        "hart N",
        "select the hart that info registers/csrs/tlb, x, disas and step use (default 0)",
    ),
    (
        "x",
        "x/Nfu ADDR",
        "examine N units of virtual memory at ADDR, translated through the hart's current satp: \
         f is the format (x hex, d signed, u unsigned, o octal, t binary, c char, i instruction, \
         s string), u the unit (b 1, h 2, w 4, g 8 bytes); defaults x/1xw. ADDR adds and \
         subtracts numbers and registers: 0x80000000, $sp+16, pc-4",
    ),
    ("xp", "xp/Nfu ADDR", "like x, at a physical address"),
    (
        "disas",
        "disas [ADDR [N]]",
        "disassemble N instructions (default 10) at virtual ADDR (default pc)",
    ),
    (
        "break",
        "break ADDR",
        "stop every hart before it runs the instruction at virtual ADDR",
    ),
    (
        "delete",
        "delete [ADDR]",
        "remove the breakpoint at ADDR, or every breakpoint",
    ),
    (
        "watch",
        "watch ADDR [LEN]",
        "stop after a write to LEN bytes (default 8) at virtual ADDR",
    ),
    ("unwatch", "unwatch ADDR [LEN]", "remove a watchpoint"),
    (
        "step",
        "step [N]",
        "run N instructions (default 1) of the current hart, the others paused, then show where \
         it is (the machine must be stopped)",
    ),
    (
        "continue",
        "continue",
        "let a stopped machine run (also: c, cont)",
    ),
    (
        "stop",
        "stop",
        "pause the machine (the guest's time stands still)",
    ),
    (
        "trace",
        "trace on [FILE] | trace off",
        "start writing one line per instruction to FILE (default stderr), or stop",
    ),
    (
        "system_reset",
        "system_reset",
        "reset the machine, as a guest reboot does",
    ),
    (
        "quit",
        "quit",
        "quit emu (Ctrl-A c leaves the monitor instead)",
    ),
];

/// Parses one line. `Ok(None)` for a blank line.
pub fn parse(line: &str) -> Result<Option<Command>, String> {
    let line = line.trim();
    if line.is_empty() {
        return Ok(None);
    }
    // `x/4xw ADDR` and `x /4xw ADDR` both work: split the format off the command word.
    let (word, rest) = match line.find(|c: char| c.is_whitespace() || c == '/') {
        Some(at) => (&line[..at], line[at..].trim_start()),
        None => (line, ""),
    };
    let args: Vec<&str> = rest.split_whitespace().collect();
    let no_args = |command: Command| {
        if args.is_empty() {
            Ok(Some(command))
        } else {
            Err(format!("{word} takes no arguments"))
        }
    };
    match word {
        "help" | "h" | "?" => match args.as_slice() {
            [] => Ok(Some(Command::Help(None))),
            [topic] => Ok(Some(Command::Help(Some(topic.to_string())))),
            _ => Err("usage: help [COMMAND]".into()),
        },
        "info" | "i" => {
            let [what] = args.as_slice() else {
                return Err(
                    "usage: info registers|csrs|tlb|devices|stats|machines|breakpoints".into(),
                );
            };
            let info = match *what {
                "registers" | "reg" | "regs" | "r" => Info::Registers,
                "csrs" | "csr" => Info::Csrs,
                "tlb" => Info::Tlb,
                "devices" | "dev" => Info::Devices,
                "stats" => Info::Stats,
                "machines" => Info::Machines,
                "breakpoints" | "break" | "b" | "watchpoints" => Info::Breakpoints,
                other => return Err(format!("unknown info '{other}' (see help info)")),
            };
            Ok(Some(Command::Info(info)))
        }
        "machine" => match args.as_slice() {
            [name] => Ok(Some(Command::Machine(name.to_string()))),
            _ => Err("usage: machine NAME".into()),
        },
        "hart" | "cpu" => match args.as_slice() {
            [n] => Ok(Some(Command::Hart(
                parse_number(n)?
                    .try_into()
                    .map_err(|_| format!("no hart {n}"))?,
            ))),
            _ => Err("usage: hart N".into()),
        },
        "x" | "xp" => {
            let (spec, rest) = match rest.strip_prefix('/') {
                Some(after) => match after.find(char::is_whitespace) {
                    Some(at) => (&after[..at], after[at..].trim()),
                    None => (after, ""),
                },
                None => ("", rest),
            };
            let (count, format, unit) = parse_format(spec)?;
            if rest.is_empty() {
                return Err(format!("usage: {word}/Nfu ADDR"));
            }
            Ok(Some(Command::Examine {
                count,
                format,
                unit,
                addr: parse_expr(rest)?,
                physical: word == "xp",
            }))
        }
        "disas" | "disassemble" => match args.as_slice() {
            [] => Ok(Some(Command::Disas {
                addr: None,
                count: 10,
            })),
            [addr] => Ok(Some(Command::Disas {
                addr: Some(parse_expr(addr)?),
                count: 10,
            })),
            [addr, n] => Ok(Some(Command::Disas {
                addr: Some(parse_expr(addr)?),
                count: parse_count(n)?,
            })),
            _ => Err("usage: disas [ADDR [N]]".into()),
        },
        "break" | "b" | "br" => match args.as_slice() {
            [_, ..] => Ok(Some(Command::Break(parse_expr(rest)?))),
            [] => Err("usage: break ADDR".into()),
        },
        "delete" | "d" => match args.as_slice() {
            [] => Ok(Some(Command::Delete(None))),
            _ => Ok(Some(Command::Delete(Some(parse_expr(rest)?)))),
        },
        "watch" | "unwatch" => {
            let (addr, len) = match args.as_slice() {
                [addr] => (parse_expr(addr)?, 8),
                [addr, len] => (parse_expr(addr)?, parse_count(len)?),
                _ => return Err(format!("usage: {word} ADDR [LEN]")),
            };
            Ok(Some(if word == "watch" {
                Command::Watch(addr, len)
            } else {
                Command::Unwatch(addr, len)
            }))
        }
        "step" | "s" | "si" | "stepi" => match args.as_slice() {
            [] => Ok(Some(Command::Step(1))),
            [n] => Ok(Some(Command::Step(parse_count(n)?))),
            _ => Err("usage: step [N]".into()),
        },
        "continue" | "c" | "cont" => no_args(Command::Continue),
        "stop" => no_args(Command::Stop),
        "trace" => match args.as_slice() {
            ["on"] => Ok(Some(Command::Trace(Some("-".into())))),
            ["on", file] => Ok(Some(Command::Trace(Some(file.into())))),
            ["off"] => Ok(Some(Command::Trace(None))),
            _ => Err("usage: trace on [FILE] | trace off".into()),
        },
        "system_reset" => no_args(Command::SystemReset),
        "quit" | "q" => no_args(Command::Quit),
        other => Err(format!("unknown command '{other}' (try help)")),
    }
}

/// `Nfu` of `x/Nfu`: count, format and unit, each optional, in any order after the count.
fn parse_format(spec: &str) -> Result<(u64, Format, u8), String> {
    let digits = spec.bytes().take_while(u8::is_ascii_digit).count();
    let count = if digits == 0 {
        1
    } else {
        parse_count(&spec[..digits])?
    };
    let (mut format, mut unit) = (Format::Hex, None);
    for c in spec[digits..].chars() {
        match c {
            'x' => format = Format::Hex,
            'd' => format = Format::Signed,
            'u' => format = Format::Unsigned,
            'o' => format = Format::Octal,
            't' => format = Format::Binary,
            'c' => format = Format::Char,
            'i' => format = Format::Instruction,
            's' => format = Format::String,
            'b' => unit = Some(1),
            'h' => unit = Some(2),
            'w' => unit = Some(4),
            'g' => unit = Some(8),
            other => return Err(format!("unknown format or unit '{other}' in '/{spec}'")),
        }
    }
    let unit = unit.unwrap_or(match format {
        Format::Char | Format::String => 1,
        _ => 4,
    });
    Ok((count, format, unit))
}

/// A count: 1 to 1 000 000.
fn parse_count(text: &str) -> Result<u64, String> {
    match parse_number(text)? {
        n @ 1..=1_000_000 => Ok(n),
        _ => Err(format!("bad count '{text}' (1 to 1000000)")),
    }
}

/// A number: decimal, `0x` hex, `0o` octal or `0b` binary; `_` separators allowed.
fn parse_number(text: &str) -> Result<u64, String> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    let (digits, radix) = if let Some(h) = clean
        .strip_prefix("0x")
        .or_else(|| clean.strip_prefix("0X"))
    {
        (h, 16)
    } else if let Some(o) = clean.strip_prefix("0o") {
        (o, 8)
    } else if let Some(b) = clean.strip_prefix("0b") {
        (b, 2)
    } else {
        (clean.as_str(), 10)
    };
    u64::from_str_radix(digits, radix).map_err(|_| format!("bad number '{text}'"))
}

/// An address expression (see [`Expr`]); spaces around `+` and `-` are allowed.
pub fn parse_expr(text: &str) -> Result<Expr, String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err("expected an address".into());
    }
    let mut terms = Vec::new();
    let mut negative = false;
    let mut start = 0;
    let bytes = compact.as_bytes();
    for i in 0..=bytes.len() {
        if i == bytes.len() || ((bytes[i] == b'+' || bytes[i] == b'-') && i > 0) {
            let term = &compact[start..i];
            let (neg, term) = match term.strip_prefix('-') {
                Some(t) => (!negative, t),
                None => (negative, term),
            };
            terms.push((neg, parse_atom(term)?));
            if i < bytes.len() {
                negative = bytes[i] == b'-';
                start = i + 1;
            }
        }
    }
    Ok(Expr(terms))
}

fn parse_atom(text: &str) -> Result<Atom, String> {
    if text.is_empty() {
        return Err("expected a number or a register".into());
    }
    let name = text.strip_prefix('$').unwrap_or(text);
    if name == "pc" {
        return Ok(Atom::Pc);
    }
    if let Some(r) = register(name) {
        return Ok(Atom::X(r));
    }
    if text.starts_with('$') {
        return Err(format!("unknown register '{text}'"));
    }
    parse_number(text).map(Atom::Number)
}

/// The number of integer register `name` (x5, t0, sp, fp, ...).
fn register(name: &str) -> Option<u8> {
    if let Some(n) = name.strip_prefix('x') {
        let canonical =
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0');
        if canonical || n == "0" {
            return n.parse::<u8>().ok().filter(|&r| r < 32);
        }
    }
    if name == "fp" {
        return Some(8);
    }
    emu_cpu::REG_NAMES
        .iter()
        .position(|&r| r == name)
        .map(|r| r as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(line: &str) -> Command {
        parse(line).unwrap().unwrap()
    }

    fn num(n: u64) -> Expr {
        Expr(vec![(false, Atom::Number(n))])
    }

    #[test]
    fn parses_examine_in_gdb_and_qemu_spellings() {
        assert_eq!(
            ok("x/4xg 0x80000000"),
            Command::Examine {
                count: 4,
                format: Format::Hex,
                unit: 8,
                addr: num(0x8000_0000),
                physical: false
            }
        );
        assert_eq!(ok("x /4xg 0x80000000"), ok("x/4xg 0x80000000"));
        assert_eq!(
            ok("xp 4096"),
            Command::Examine {
                count: 1,
                format: Format::Hex,
                unit: 4,
                addr: num(4096),
                physical: true
            }
        );
        assert!(matches!(
            ok("x/s $a0"),
            Command::Examine {
                format: Format::String,
                unit: 1,
                ..
            }
        ));
        assert!(matches!(
            ok("x/3i pc"),
            Command::Examine {
                count: 3,
                format: Format::Instruction,
                ..
            }
        ));
        assert!(parse("x/4q 0").is_err());
        assert!(parse("x/4x").is_err());
        assert!(parse("x/0x 0").is_err());
    }

    #[test]
    fn parses_address_expressions() {
        let e = parse_expr("$sp + 16 - 0x4").unwrap();
        let mut x = [0u64; 32];
        x[2] = 1000;
        assert_eq!(e.eval(&x, 0), 1012);
        assert!(e.uses_registers());
        assert_eq!(parse_expr("pc-2").unwrap().eval(&x, 10), 8);
        assert_eq!(parse_expr("-8").unwrap().eval(&x, 0), (-8i64) as u64);
        assert_eq!(parse_expr("x31").unwrap().0, vec![(false, Atom::X(31))]);
        assert_eq!(parse_expr("s0").unwrap().0, vec![(false, Atom::X(8))]);
        assert_eq!(parse_expr("0x8000_0000").unwrap(), num(0x8000_0000));
        for bad in ["", "+", "x32", "$q1", "1+", "0xg", "18446744073709551616"] {
            assert!(parse_expr(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn parses_every_command_and_rejects_mistakes_in_one_line() {
        assert_eq!(ok("info registers"), Command::Info(Info::Registers));
        assert_eq!(ok("  info   stats "), Command::Info(Info::Stats));
        assert_eq!(ok("info machines"), Command::Info(Info::Machines));
        assert_eq!(ok("machine vm1"), Command::Machine("vm1".into()));
        assert_eq!(ok("hart 1"), Command::Hart(1));
        assert_eq!(
            ok("disas 0x1000 3"),
            Command::Disas {
                addr: Some(num(0x1000)),
                count: 3
            }
        );
        assert_eq!(ok("break 0x80000010"), Command::Break(num(0x8000_0010)));
        assert_eq!(ok("delete"), Command::Delete(None));
        assert_eq!(ok("watch 0x100"), Command::Watch(num(0x100), 8));
        assert_eq!(ok("step"), Command::Step(1));
        assert_eq!(ok("step 5"), Command::Step(5));
        assert_eq!(ok("c"), Command::Continue);
        assert_eq!(ok("stop"), Command::Stop);
        assert_eq!(ok("trace on"), Command::Trace(Some("-".into())));
        assert_eq!(ok("trace on t.txt"), Command::Trace(Some("t.txt".into())));
        assert_eq!(ok("trace off"), Command::Trace(None));
        assert_eq!(ok("system_reset"), Command::SystemReset);
        assert_eq!(ok("quit"), Command::Quit);
        assert_eq!(ok("help x"), Command::Help(Some("x".into())));
        assert_eq!(parse("   "), Ok(None));
        for bad in [
            "frobnicate",
            "info",
            "info nothing",
            "step 0",
            "step x",
            "stop now",
            "trace maybe",
            "hart",
            "break",
        ] {
            let err = parse(bad).unwrap_err();
            assert!(!err.contains('\n'), "{bad:?}: {err:?}");
        }
    }

    #[test]
    fn every_command_has_help() {
        for (name, usage, text) in HELP {
            assert!(usage.starts_with(name) && !text.is_empty());
        }
    }
}
