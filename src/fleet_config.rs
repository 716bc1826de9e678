//! What a fleet is made of: the machines of `--config fleet.toml` or of `--vm` specs, checked
//! before anything starts. Every problem names the machine and the field.
//!
//! A fleet file has `[[machine]]` tables and an optional `[defaults]` table whose fields every
//! machine takes unless it sets them itself:
//!
//! ```toml
//! [defaults]
//! kernel = "Image"                     # paths are relative to the fleet file
//! memory = "256M"
//!
//! [[machine]]
//! name = "a"
//! disks = ["root.img,snapshot=on"]    # PATH[,readonly][,snapshot=on]
//! console = "file:a.log"              # terminal (default), file:PATH or socket:PATH
//! gdb = "tcp::1234"                   # this machine's GDB stub (tcp:HOST:PORT; port 0: any)
//! paused = true                       # hold it before its first instruction, as -S does
//! ```
//!
//! A `--vm` spec is the same fields as `key=value` pairs separated by commas:
//! `--vm name=a,kernel=Image,disk=root.img,snapshot=on,memory=256M`. A disk's options follow its
//! `disk=`; `append=` takes the rest of the spec, commas included, so it comes last. `paused=on`
//! (or `off`) is `paused = true` (or `false`).
//!
//! Debugging is per machine because a GDB connection is to one target: each machine with a `gdb`
//! field gets a listener of its own, and two machines may not name the same port.

use crate::cli::MemorySize;
use crate::debugger::GdbAddr;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The fields a machine has, in the order the help lists them.
const FIELDS: [&str; 13] = [
    "name",
    "kernel",
    "initrd",
    "append",
    "memory",
    "smp",
    "disks",
    "bios",
    "console",
    "elf",
    "max_instructions",
    "gdb",
    "paused",
];

/// One machine of the fleet, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VmSpec {
    /// Unique in the fleet: letters, digits, `-`, `_` and `.`.
    pub name: String,
    /// What it runs.
    pub boot: Boot,
    /// Bytes of guest RAM.
    pub memory: u64,
    /// Harts.
    pub smp: usize,
    /// Disks in virtio slot order.
    pub disks: Vec<DiskSpec>,
    /// Where its console goes besides the terminal's rotation.
    pub console: ConsoleSpec,
    /// Stop it after this many instructions.
    pub max_instructions: Option<u64>,
    /// Where its GDB stub listens, if it has one.
    pub gdb: Option<GdbAddr>,
    /// Hold it before its first instruction until a debugger lets it run (`-S` of one machine).
    pub paused: bool,
    /// The interpreter's page loop (`--page-loop`, the same for every machine).
    pub page_loop: emu_machine::PageLoop,
}

/// What a machine runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Boot {
    /// A Linux kernel, as `--kernel` does.
    Linux {
        /// The kernel image.
        kernel: PathBuf,
        /// An initrd / initramfs.
        initrd: Option<PathBuf>,
        /// The kernel command line; `None` for the same default as `--append`.
        append: Option<String>,
        /// External firmware; `None` for the built-in SBI.
        bios: Option<PathBuf>,
    },
    /// A bare-metal ELF program, as `emu PROGRAM.elf` does.
    Elf(PathBuf),
}

/// A disk of a machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskSpec {
    /// The image file.
    pub path: PathBuf,
    /// Attached read-only.
    pub readonly: bool,
    /// Copy-on-write: writes go to a private overlay, the image is never modified.
    pub snapshot: bool,
}

impl DiskSpec {
    /// Whether the machine may change the image file itself.
    pub fn writes_image(&self) -> bool {
        !self.readonly && !self.snapshot
    }
}

/// Where a machine's console output goes, besides its scrollback and the terminal when attached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConsoleSpec {
    /// Only the terminal (when attached) and the scrollback.
    Terminal,
    /// Also appended to this file.
    File(PathBuf),
    /// Also served on a Unix socket at this path: a client gets the scrollback, then the output
    /// as it comes, and what it sends is typed on the console.
    Socket(PathBuf),
}

/// One problem with the fleet's description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// Where the machines came from: the fleet file's path, or `--vm`.
    pub source: String,
    /// The machine: `machine 'a'`, or `machine #2` when it has no usable name.
    pub machine: Option<String>,
    /// The field.
    pub field: Option<String>,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.source)?;
        if let Some(machine) = &self.machine {
            write!(f, "{machine}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "field '{field}': ")?;
        }
        write!(f, "{}", self.problem)
    }
}

/// A machine's fields as given, before they are checked.
#[derive(Clone, Debug, Default)]
struct Entry {
    name: Option<String>,
    kernel: Option<String>,
    initrd: Option<String>,
    append: Option<String>,
    memory: Option<MemoryValue>,
    smp: Option<i64>,
    disks: Option<Vec<String>>,
    bios: Option<String>,
    console: Option<String>,
    elf: Option<String>,
    max_instructions: Option<i64>,
    gdb: Option<String>,
    paused: Option<bool>,
}

#[derive(Clone, Debug)]
enum MemoryValue {
    Text(String),
    Bytes(i64),
}

impl Entry {
    /// Fields this entry lacks, taken from `defaults`.
    fn or(self, defaults: &Entry) -> Entry {
        let d = defaults.clone();
        Entry {
            name: self.name,
            kernel: self.kernel.or(d.kernel),
            initrd: self.initrd.or(d.initrd),
            append: self.append.or(d.append),
            memory: self.memory.or(d.memory),
            smp: self.smp.or(d.smp),
            disks: self.disks.or(d.disks),
            bios: self.bios.or(d.bios),
            console: self.console.or(d.console),
            elf: self.elf.or(d.elf),
            max_instructions: self.max_instructions.or(d.max_instructions),
            gdb: self.gdb.or(d.gdb),
            paused: self.paused.or(d.paused),
        }
    }
}

/// Collects the problems found while reading one source.
struct Problems {
    source: String,
    list: Vec<ConfigError>,
}

impl Problems {
    fn add(&mut self, machine: Option<&str>, field: Option<&str>, problem: impl Into<String>) {
        self.list.push(ConfigError {
            source: self.source.clone(),
            machine: machine.map(str::to_string),
            field: field.map(str::to_string),
            problem: problem.into(),
        });
    }
}

/// The machines of a fleet file.
pub fn from_file(path: &Path) -> Result<Vec<VmSpec>, Vec<ConfigError>> {
    let source = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![ConfigError {
            source: source.clone(),
            machine: None,
            field: None,
            problem: format!("cannot read it: {e}"),
        }]
    })?;
    let base = path.parent().unwrap_or(Path::new(""));
    from_toml(&text, &source, base)
}

/// The machines of the fleet file `text`, which came from `source`; relative paths in it are
/// relative to `base`.
pub fn from_toml(text: &str, source: &str, base: &Path) -> Result<Vec<VmSpec>, Vec<ConfigError>> {
    let mut problems = Problems {
        source: source.to_string(),
        list: Vec::new(),
    };
    let doc: toml::Table = match text.parse() {
        Ok(doc) => doc,
        Err(e) => {
            problems.add(None, None, e.to_string().trim().replace('\n', " "));
            return Err(problems.list);
        }
    };
    let mut defaults = Entry::default();
    let mut tables = Vec::new();
    for (key, value) in &doc {
        match (key.as_str(), value) {
            ("defaults", toml::Value::Table(table)) => {
                defaults = entry_from_table(table, "defaults", &mut problems);
                if defaults.name.is_some() {
                    problems.add(Some("defaults"), Some("name"), "every machine names itself");
                }
            }
            ("machine", toml::Value::Array(array)) => tables.extend(array.iter().enumerate()),
            _ => problems.add(
                None,
                None,
                format!(
                    "unknown key '{key}': a fleet file has [[machine]] tables and an optional \
                     [defaults] table"
                ),
            ),
        }
    }
    let mut entries = Vec::new();
    for (i, value) in tables {
        let label = format!("machine #{}", i + 1);
        match value {
            toml::Value::Table(table) => {
                let label = match table.get("name").and_then(toml::Value::as_str) {
                    Some(name) => format!("machine '{name}'"),
                    None => label,
                };
                let entry = entry_from_table(table, &label, &mut problems);
                entries.push((label, entry.or(&defaults)));
            }
            _ => problems.add(Some(&label), None, "expected a table ([[machine]])"),
        }
    }
    if entries.is_empty() && problems.list.is_empty() {
        problems.add(None, None, "no machines: add [[machine]] tables");
    }
    let specs = check(entries, Some(base), &mut problems);
    if problems.list.is_empty() {
        Ok(specs)
    } else {
        Err(problems.list)
    }
}

fn entry_from_table(table: &toml::Table, label: &str, problems: &mut Problems) -> Entry {
    let mut entry = Entry::default();
    for (key, value) in table {
        let mut wrong = |expected: &str| {
            problems.add(
                Some(label),
                Some(key),
                format!("expected {expected}, found {}", value.type_str()),
            );
        };
        let mut text = |expected: &str| match value.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                wrong(expected);
                None
            }
        };
        match key.as_str() {
            "name" => entry.name = text("a string"),
            "kernel" => entry.kernel = text("a path"),
            "initrd" => entry.initrd = text("a path"),
            "append" => entry.append = text("a string"),
            "bios" => entry.bios = text("a path"),
            "console" => entry.console = text("a string"),
            "elf" => entry.elf = text("a path"),
            "gdb" => entry.gdb = text("an address like \"tcp::1234\""),
            "paused" => match value.as_bool() {
                Some(b) => entry.paused = Some(b),
                None => wrong("true or false"),
            },
            "memory" => match value {
                toml::Value::String(s) => entry.memory = Some(MemoryValue::Text(s.clone())),
                toml::Value::Integer(n) => entry.memory = Some(MemoryValue::Bytes(*n)),
                _ => wrong("a size like \"512M\""),
            },
            "smp" | "max_instructions" => match value.as_integer() {
                Some(n) if key == "smp" => entry.smp = Some(n),
                Some(n) => entry.max_instructions = Some(n),
                None => wrong("a number"),
            },
            "disks" => match value.as_array() {
                Some(items) if items.iter().all(toml::Value::is_str) => {
                    entry.disks = Some(
                        items
                            .iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect(),
                    )
                }
                _ => wrong("a list of strings like [\"root.img,snapshot=on\"]"),
            },
            _ => problems.add(Some(label), Some(key), unknown_field()),
        }
    }
    entry
}

fn unknown_field() -> String {
    format!("unknown field (a machine has {})", FIELDS.join(", "))
}

/// The machines of `--vm` specs (paths relative to the working directory).
pub fn from_vm_args(specs: &[String]) -> Result<Vec<VmSpec>, Vec<ConfigError>> {
    let mut problems = Problems {
        source: "--vm".into(),
        list: Vec::new(),
    };
    let entries = specs
        .iter()
        .enumerate()
        .map(|(i, spec)| parse_vm(spec, i, &mut problems))
        .collect();
    let specs = check(entries, None, &mut problems);
    if problems.list.is_empty() {
        Ok(specs)
    } else {
        Err(problems.list)
    }
}

/// One `--vm` spec: comma-separated `key=value` pairs (see the module comment).
fn parse_vm(spec: &str, index: usize, problems: &mut Problems) -> (String, Entry) {
    let label = spec
        .split(',')
        .find_map(|t| t.strip_prefix("name="))
        .map_or_else(
            || format!("machine #{}", index + 1),
            |n| format!("machine '{n}'"),
        );
    let mut entry = Entry::default();
    let mut rest = spec;
    while !rest.is_empty() {
        if let Some(append) = rest.strip_prefix("append=") {
            entry.append = Some(append.to_string());
            break;
        }
        let (token, next) = rest.split_once(',').unwrap_or((rest, ""));
        rest = next;
        let (key, value) = token.split_once('=').unwrap_or((token, ""));
        let mut set = |field: &mut Option<String>, name: &str| {
            if field.replace(value.to_string()).is_some() {
                problems.add(Some(&label), Some(name), "given twice");
            }
        };
        match key {
            "name" => set(&mut entry.name, "name"),
            "kernel" => set(&mut entry.kernel, "kernel"),
            "initrd" => set(&mut entry.initrd, "initrd"),
            "bios" => set(&mut entry.bios, "bios"),
            "console" => set(&mut entry.console, "console"),
            "elf" => set(&mut entry.elf, "elf"),
            "gdb" => set(&mut entry.gdb, "gdb"),
            "paused" => match value {
                "on" | "true" => entry.paused = Some(true),
                "off" | "false" => entry.paused = Some(false),
                _ => problems.add(
                    Some(&label),
                    Some("paused"),
                    format!("'{value}': expected on or off"),
                ),
            },
            "memory" => entry.memory = Some(MemoryValue::Text(value.to_string())),
            "smp" => match value.parse() {
                Ok(n) => entry.smp = Some(n),
                Err(_) => problems.add(Some(&label), Some("smp"), "expected a number"),
            },
            "max_instructions" => match value.parse() {
                Ok(n) => entry.max_instructions = Some(n),
                Err(_) => problems.add(Some(&label), Some("max_instructions"), "expected a number"),
            },
            "disk" | "disks" => entry.disks.get_or_insert_with(Vec::new).push(value.into()),
            // A disk option: it belongs to the disk before it.
            "readonly" | "ro" | "snapshot" => match entry.disks.as_mut().and_then(|d| d.last_mut())
            {
                Some(disk) => {
                    disk.push(',');
                    disk.push_str(token);
                }
                None => problems.add(
                    Some(&label),
                    Some("disks"),
                    format!("'{token}' before any disk= (disk options follow their disk)"),
                ),
            },
            "" => problems.add(Some(&label), None, "empty field (two commas in a row?)"),
            _ => problems.add(Some(&label), Some(key), unknown_field()),
        }
    }
    (label, entry)
}

/// Checks every entry and the fleet as a whole; relative paths are joined to `base`.
fn check(
    entries: Vec<(String, Entry)>,
    base: Option<&Path>,
    problems: &mut Problems,
) -> Vec<VmSpec> {
    let path = |p: &str| match base {
        Some(base) if Path::new(p).is_relative() => base.join(p),
        _ => PathBuf::from(p),
    };
    let mut specs = Vec::new();
    for (label, entry) in entries {
        let mut bad =
            |field: &str, problem: String| problems.add(Some(&label), Some(field), problem);
        let name = match entry.name.as_deref() {
            None => {
                bad("name", "missing: every machine needs a name".into());
                String::new()
            }
            Some(name) if !valid_name(name) => {
                bad(
                    "name",
                    format!("'{name}' is not a name: use letters, digits, '-', '_' and '.'"),
                );
                name.to_string()
            }
            Some(name) => name.to_string(),
        };
        let boot = match (&entry.kernel, &entry.elf) {
            (Some(kernel), None) => Boot::Linux {
                kernel: path(kernel),
                initrd: entry.initrd.as_deref().map(path),
                append: entry.append.clone(),
                bios: match entry.bios.as_deref() {
                    None | Some("builtin") => None,
                    Some(bios) => Some(path(bios)),
                },
            },
            (None, Some(elf)) => {
                for (field, given) in [
                    ("initrd", entry.initrd.is_some()),
                    ("append", entry.append.is_some()),
                    ("bios", entry.bios.is_some()),
                ] {
                    if given {
                        bad(field, "only for a kernel, not a bare-metal elf".into());
                    }
                }
                Boot::Elf(path(elf))
            }
            (Some(_), Some(_)) => {
                bad("elf", "a machine runs a kernel or an elf, not both".into());
                Boot::Elf(PathBuf::new())
            }
            (None, None) => {
                bad(
                    "kernel",
                    "missing: every machine needs a kernel (or a bare-metal elf)".into(),
                );
                Boot::Elf(PathBuf::new())
            }
        };
        let memory = match &entry.memory {
            None => emu_machine::DEFAULT_MEMORY,
            Some(MemoryValue::Text(text)) => text.parse::<MemorySize>().map_or_else(
                |e| {
                    bad("memory", format!("'{text}': {e}"));
                    0
                },
                |m| m.0,
            ),
            Some(MemoryValue::Bytes(n)) => u64::try_from(*n).unwrap_or_else(|_| {
                bad("memory", format!("{n} is not a size"));
                0
            }),
        };
        if memory != 0 && !memory.is_multiple_of(4096) {
            bad(
                "memory",
                format!("{memory} bytes is not a multiple of 4 KiB"),
            );
        }
        let smp = match entry.smp {
            None => 1,
            Some(n @ 1..=8) => n as usize,
            Some(n) => {
                bad("smp", format!("{n} harts: a machine has 1 to 8"));
                1
            }
        };
        let max_instructions = match entry.max_instructions {
            None => None,
            Some(n) if n > 0 => Some(n as u64),
            Some(n) => {
                bad(
                    "max_instructions",
                    format!("{n}: expected a positive number"),
                );
                None
            }
        };
        let mut disks = Vec::new();
        for text in entry.disks.iter().flatten() {
            match parse_disk(text) {
                Ok(mut disk) => {
                    disk.path = path(&disk.path.to_string_lossy());
                    disks.push(disk);
                }
                Err(e) => bad("disks", format!("'{text}': {e}")),
            }
        }
        if disks.len() as u64 > emu_machine::memmap::VIRTIO_COUNT {
            bad(
                "disks",
                format!("{} disks: a machine has 8 virtio slots", disks.len()),
            );
        }
        let console = match parse_console(entry.console.as_deref(), crate::unix_socket::AVAILABLE) {
            Ok(ConsoleSpec::File(p)) => ConsoleSpec::File(path(&p.to_string_lossy())),
            Ok(ConsoleSpec::Socket(p)) => ConsoleSpec::Socket(path(&p.to_string_lossy())),
            Ok(console) => console,
            Err(e) => {
                bad("console", e);
                ConsoleSpec::Terminal
            }
        };
        let gdb = entry.gdb.as_deref().and_then(|text| {
            text.parse::<GdbAddr>()
                .map_err(|e| bad("gdb", format!("'{text}': {e} (like tcp::1234)")))
                .ok()
        });
        specs.push(VmSpec {
            name,
            boot,
            memory,
            smp,
            disks,
            console,
            max_instructions,
            gdb,
            paused: entry.paused.unwrap_or(false),
            page_loop: Default::default(),
        });
    }
    check_fleet(&specs, problems);
    specs
}

/// Parses a `console` field (absent: the terminal), paths as written; `socket:` is refused,
/// saying what to use instead, where the host has no Unix-domain sockets (`unix_sockets`).
fn parse_console(text: Option<&str>, unix_sockets: bool) -> Result<ConsoleSpec, String> {
    let c = match text {
        None | Some("terminal") => return Ok(ConsoleSpec::Terminal),
        Some(c) => c,
    };
    match c.split_once(':') {
        Some(("file", p)) if !p.is_empty() => Ok(ConsoleSpec::File(p.into())),
        Some(("socket", _)) if !unix_sockets => Err(format!(
            "'{c}': {}",
            crate::unix_socket::unavailable(
                "socket:PATH",
                "file:PATH keeps the machine's output, and the terminal (Ctrl-A n, Ctrl-A p) \
                 types on its console"
            )
        )),
        Some(("socket", p)) if !p.is_empty() => Ok(ConsoleSpec::Socket(p.into())),
        _ => Err(format!(
            "'{c}': expected terminal, file:PATH or socket:PATH"
        )),
    }
}

/// What machines must not share: names, images they write, console files and sockets, GDB ports.
fn check_fleet(specs: &[VmSpec], problems: &mut Problems) {
    let mut names = HashMap::new();
    for spec in specs.iter().filter(|s| !s.name.is_empty()) {
        if names.insert(spec.name.as_str(), ()).is_some() {
            problems.add(
                Some(&format!("machine '{}'", spec.name)),
                Some("name"),
                "another machine has this name",
            );
        }
    }
    // Every image, by its canonical path: who writes it, who reads it or snapshots it.
    let mut images: HashMap<PathBuf, Vec<(&str, &DiskSpec)>> = HashMap::new();
    for spec in specs {
        for disk in &spec.disks {
            let key = disk
                .path
                .canonicalize()
                .unwrap_or_else(|_| disk.path.clone());
            images.entry(key).or_default().push((&spec.name, disk));
        }
    }
    let mut images: Vec<_> = images.into_iter().collect();
    images.sort_by(|a, b| a.0.cmp(&b.0));
    for (image, users) in images {
        let Some(w) = users.iter().position(|(_, d)| d.writes_image()) else {
            continue;
        };
        if users.len() == 1 {
            continue;
        }
        let others: Vec<String> = users
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != w)
            .map(|(_, (name, d))| {
                let how = if d.readonly {
                    "read-only"
                } else if d.snapshot {
                    "as a snapshot base"
                } else {
                    "read-write"
                };
                format!("'{name}' {how}")
            })
            .collect();
        problems.add(
            Some(&format!("machine '{}'", users[w].0)),
            Some("disks"),
            format!(
                "{} is attached writable, so no other disk may use it (used by {}); give each \
                 machine its own copy, or attach it to all with ',snapshot=on'",
                image.display(),
                others.join(", ")
            ),
        );
    }
    let mut consoles: HashMap<&Path, &str> = HashMap::new();
    for spec in specs {
        if let ConsoleSpec::File(p) | ConsoleSpec::Socket(p) = &spec.console {
            if let Some(other) = consoles.insert(p, &spec.name) {
                problems.add(
                    Some(&format!("machine '{}'", spec.name)),
                    Some("console"),
                    format!("{} is the console of machine '{other}' too", p.display()),
                );
            }
        }
    }
    // By port alone: two listeners on one port conflict whatever hosts they name. Port 0 is
    // "any free one", which every machine may ask for.
    let mut ports: HashMap<u16, &str> = HashMap::new();
    for spec in specs {
        let Some(port) = spec.gdb.as_ref().map(GdbAddr::port).filter(|&p| p != 0) else {
            continue;
        };
        let first = *ports.entry(port).or_insert(&spec.name);
        if first != spec.name {
            problems.add(
                Some(&format!("machine '{}'", spec.name)),
                Some("gdb"),
                format!("port {port} is the gdb port of machine '{first}' too"),
            );
        }
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// `PATH[,readonly][,snapshot=on|off]`.
fn parse_disk(text: &str) -> Result<DiskSpec, String> {
    let mut parts = text.split(',');
    let path = parts.next().unwrap_or_default();
    if path.is_empty() {
        return Err("expected an image file name".into());
    }
    let mut disk = DiskSpec {
        path: path.into(),
        readonly: false,
        snapshot: false,
    };
    for option in parts {
        match option {
            "readonly" | "ro" => disk.readonly = true,
            "snapshot" | "snapshot=on" => disk.snapshot = true,
            "snapshot=off" => disk.snapshot = false,
            _ => {
                return Err(format!(
                    "unknown disk option '{option}' (readonly, snapshot=on)"
                ))
            }
        }
    }
    Ok(disk)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the host has no Unix-domain sockets, `console = "socket:PATH"` is refused in one
    /// line that says what to use instead; the other consoles are unchanged.
    #[test]
    fn socket_consoles_are_refused_without_unix_sockets() {
        assert_eq!(
            parse_console(Some("socket:a.sock"), false),
            Err(
                "'socket:a.sock': socket:PATH needs Unix-domain sockets, which emu has only on \
                 Unix hosts; file:PATH keeps the machine's output, and the terminal (Ctrl-A n, \
                 Ctrl-A p) types on its console"
                    .into()
            )
        );
        assert_eq!(
            parse_console(Some("socket:a.sock"), true),
            Ok(ConsoleSpec::Socket("a.sock".into()))
        );
        assert_eq!(
            parse_console(Some("file:a.log"), false),
            Ok(ConsoleSpec::File("a.log".into()))
        );
        assert_eq!(parse_console(None, false), Ok(ConsoleSpec::Terminal));
        assert!(parse_console(Some("socket:"), true).is_err());
    }

    fn errors(text: &str) -> Vec<String> {
        from_toml(text, "fleet.toml", Path::new("/f"))
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn reads_machines_with_defaults_and_relative_paths() {
        let specs = from_toml(
            r#"
            [defaults]
            kernel = "Image"
            memory = "256M"
            [[machine]]
            name = "a"
            disks = ["root.img,snapshot=on", "/abs/data.img,readonly"]
            console = "socket:a.sock"
            [[machine]]
            name = "b"
            memory = 67108864
            smp = 2
            initrd = "initramfs.cpio.gz"
            append = "console=ttyS0 quiet"
            console = "file:b.log"
            [[machine]]
            name = "c"
            kernel = "/other/Image"
            bios = "builtin"
            "#,
            "fleet.toml",
            Path::new("/f"),
        )
        .unwrap();
        assert_eq!(specs.len(), 3);
        assert_eq!(specs[0].memory, 256 << 20);
        assert_eq!(
            specs[0].disks,
            vec![
                DiskSpec {
                    path: "/f/root.img".into(),
                    readonly: false,
                    snapshot: true
                },
                DiskSpec {
                    path: "/abs/data.img".into(),
                    readonly: true,
                    snapshot: false
                }
            ]
        );
        assert_eq!(specs[0].console, ConsoleSpec::Socket("/f/a.sock".into()));
        assert_eq!(
            specs[1].boot,
            Boot::Linux {
                kernel: "/f/Image".into(),
                initrd: Some("/f/initramfs.cpio.gz".into()),
                append: Some("console=ttyS0 quiet".into()),
                bios: None
            }
        );
        assert_eq!((specs[1].memory, specs[1].smp), (64 << 20, 2));
        assert_eq!(specs[1].console, ConsoleSpec::File("/f/b.log".into()));
        assert!(
            matches!(&specs[2].boot, Boot::Linux { kernel, .. } if kernel == Path::new("/other/Image"))
        );
        assert_eq!(specs[2].memory, 256 << 20);
    }

    #[test]
    fn problems_name_the_machine_and_the_field() {
        let e = errors(
            r#"
            [[machine]]
            name = "a"
            kernel = "Image"
            memroy = "1G"
            [[machine]]
            name = "b"
            memory = "5X"
            [[machine]]
            name = "a"
            kernel = "Image"
            smp = 9
            console = "tty"
            "#,
        );
        assert_eq!(
            e,
            vec![
                "fleet.toml: machine 'a': field 'memroy': unknown field (a machine has name, \
                 kernel, initrd, append, memory, smp, disks, bios, console, elf, \
                 max_instructions, gdb, paused)",
                "fleet.toml: machine 'b': field 'kernel': missing: every machine needs a kernel \
                 (or a bare-metal elf)",
                "fleet.toml: machine 'b': field 'memory': '5X': unknown size suffix 'X' (use K, \
                 M or G)",
                "fleet.toml: machine 'a': field 'smp': 9 harts: a machine has 1 to 8",
                "fleet.toml: machine 'a': field 'console': 'tty': expected terminal, file:PATH \
                 or socket:PATH",
                "fleet.toml: machine 'a': field 'name': another machine has this name",
            ]
        );
        assert_eq!(
            errors("[[machine]]\nkernel = 3\n"),
            vec![
                "fleet.toml: machine #1: field 'kernel': expected a path, found integer",
                "fleet.toml: machine #1: field 'name': missing: every machine needs a name",
                "fleet.toml: machine #1: field 'kernel': missing: every machine needs a kernel \
                 (or a bare-metal elf)",
            ]
        );
        assert_eq!(
            errors(""),
            vec!["fleet.toml: no machines: add [[machine]] tables"]
        );
        assert!(errors("[[machine]\n")[0].starts_with("fleet.toml: TOML parse error"));
        assert_eq!(
            errors("vms = 1\n[[machine]]\nname = \"a\"\nelf = \"p\"\n"),
            vec![
                "fleet.toml: unknown key 'vms': a fleet file has [[machine]] tables and an \
                 optional [defaults] table"
            ]
        );
    }

    #[test]
    fn a_written_image_belongs_to_one_machine() {
        let e = errors(
            r#"
            [defaults]
            kernel = "Image"
            [[machine]]
            name = "a"
            disks = ["root.img"]
            [[machine]]
            name = "b"
            disks = ["root.img,snapshot=on"]
            [[machine]]
            name = "c"
            disks = ["base.img,snapshot=on"]
            [[machine]]
            name = "d"
            disks = ["base.img,snapshot=on", "base.img,readonly"]
            "#,
        );
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with(
                "fleet.toml: machine 'a': field 'disks': /f/root.img is attached writable, so no \
                 other disk may use it (used by 'b' as a snapshot base)"
            ),
            "{e:?}"
        );
        let e =
            errors("[[machine]]\nname = \"a\"\nkernel = \"I\"\ndisks = [\"x.img\", \"./x.img\"]\n");
        assert_eq!(e.len(), 1, "{e:?}");
    }

    #[test]
    fn vm_specs() {
        let specs = from_vm_args(&[
            "name=a,kernel=Image,disk=base.img,snapshot=on,disk=data.img,readonly,memory=128M,smp=2"
                .into(),
            "name=b,elf=loop.elf,max_instructions=1000,console=file:b.log".into(),
            "name=c,kernel=Image,append=console=ttyS0,115200 root=/dev/vda rw".into(),
        ])
        .unwrap();
        assert_eq!(specs[0].disks.len(), 2);
        assert!(specs[0].disks[0].snapshot && !specs[0].disks[0].readonly);
        assert!(specs[0].disks[1].readonly && !specs[0].disks[1].snapshot);
        assert_eq!((specs[0].memory, specs[0].smp), (128 << 20, 2));
        assert_eq!(specs[1].boot, Boot::Elf("loop.elf".into()));
        assert_eq!(specs[1].max_instructions, Some(1000));
        assert!(matches!(&specs[2].boot, Boot::Linux { append: Some(a), .. }
            if a == "console=ttyS0,115200 root=/dev/vda rw"));

        let e: Vec<String> = from_vm_args(&[
            "name=a,kernel=Image,memroy=1G".into(),
            "name=b,kernel=I,snapshot=on,disk=x.img,rw".into(),
            "kernel=Image".into(),
        ])
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(
            e[0].starts_with("--vm: machine 'a': field 'memroy': unknown field"),
            "{e:?}"
        );
        assert!(
            e[1].starts_with("--vm: machine 'b': field 'disks': 'snapshot=on' before"),
            "{e:?}"
        );
        assert!(
            e[2].starts_with("--vm: machine 'b': field 'rw': unknown field"),
            "{e:?}"
        );
        assert_eq!(
            e[3],
            "--vm: machine #3: field 'name': missing: every machine needs a name"
        );
    }

    #[test]
    fn gdb_ports_and_paused_machines() {
        let specs = from_toml(
            r#"
            [defaults]
            elf = "prog.elf"
            gdb = "tcp::0"
            [[machine]]
            name = "a"
            gdb = "tcp::1234"
            paused = true
            [[machine]]
            name = "b"
            gdb = "tcp:0.0.0.0:1235"
            [[machine]]
            name = "c"
            [[machine]]
            name = "d"
            "#,
            "fleet.toml",
            Path::new("/f"),
        )
        .unwrap();
        let gdb: Vec<_> = specs.iter().map(|s| s.gdb.clone()).collect();
        assert_eq!(
            gdb,
            [
                Some(GdbAddr("127.0.0.1:1234".into())),
                Some(GdbAddr("0.0.0.0:1235".into())),
                // Port 0 (any free one) from the defaults, for each: no conflict.
                Some(GdbAddr("127.0.0.1:0".into())),
                Some(GdbAddr("127.0.0.1:0".into())),
            ]
        );
        assert_eq!(
            specs.iter().map(|s| s.paused).collect::<Vec<_>>(),
            [true, false, false, false]
        );

        let specs = from_vm_args(&[
            "name=a,elf=p.elf,gdb=tcp::1234,paused=on".into(),
            "name=b,elf=p.elf,gdb=:1235,paused=off".into(),
            "name=c,elf=p.elf".into(),
        ])
        .unwrap();
        assert_eq!(specs[0].gdb, Some(GdbAddr("127.0.0.1:1234".into())));
        assert_eq!(specs[1].gdb, Some(GdbAddr("127.0.0.1:1235".into())));
        assert_eq!(specs[2].gdb, None);
        assert_eq!(
            (specs[0].paused, specs[1].paused, specs[2].paused),
            (true, false, false)
        );
    }

    #[test]
    fn bad_gdb_fields_and_shared_ports_are_refused() {
        // The same port twice, whatever the hosts: both machines named.
        let e = errors(
            r#"
            [defaults]
            elf = "prog.elf"
            [[machine]]
            name = "a"
            gdb = "tcp::1234"
            [[machine]]
            name = "b"
            gdb = "tcp:0.0.0.0:1234"
            [[machine]]
            name = "c"
            gdb = "tcp:1234"
            [[machine]]
            name = "d"
            gdb = 1234
            paused = "yes"
            [[machine]]
            name = "e"
            gdb = "tcp::1234"
            "#,
        );
        assert_eq!(
            e,
            vec![
                "fleet.toml: machine 'd': field 'gdb': expected an address like \"tcp::1234\", \
                 found integer",
                "fleet.toml: machine 'd': field 'paused': expected true or false, found string",
                "fleet.toml: machine 'c': field 'gdb': 'tcp:1234': expected HOST:PORT or :PORT \
                 (like tcp::1234)",
                "fleet.toml: machine 'b': field 'gdb': port 1234 is the gdb port of machine 'a' \
                 too",
                "fleet.toml: machine 'e': field 'gdb': port 1234 is the gdb port of machine 'a' \
                 too",
            ]
        );
        // A port given to every machine by the defaults is shared by them all.
        let e = errors(
            "[defaults]\nelf = \"p\"\ngdb = \"tcp::7000\"\n[[machine]]\nname = \"a\"\n\
             [[machine]]\nname = \"b\"\n",
        );
        assert_eq!(
            e,
            ["fleet.toml: machine 'b': field 'gdb': port 7000 is the gdb port of machine 'a' too"]
        );

        let e: Vec<String> = from_vm_args(&[
            "name=a,elf=p.elf,gdb=tcp::99999".into(),
            "name=b,elf=p.elf,paused=maybe".into(),
            "name=c,elf=p.elf,gdb=tcp::1234,gdb=tcp::1235".into(),
            "name=d,elf=p.elf,gdb=tcp::1235".into(),
        ])
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            e,
            [
                "--vm: machine 'b': field 'paused': 'maybe': expected on or off",
                "--vm: machine 'c': field 'gdb': given twice",
                "--vm: machine 'a': field 'gdb': 'tcp::99999': bad port '99999' (like tcp::1234)",
                "--vm: machine 'd': field 'gdb': port 1235 is the gdb port of machine 'c' too",
            ]
        );
    }
}
