//! The monitor's prompt on the terminal: a small line editor fed one byte at a time (the console's
//! input thread owns stdin, in raw mode), with history. Left/right, Home/End, Backspace, Delete,
//! Ctrl-U (kill the line), Ctrl-C (drop it), up/down through history, Ctrl-A c to leave the
//! monitor and Ctrl-A x to quit emu.

/// The monitor's prompt.
pub const PROMPT: &str = "(emu) ";

/// Most lines the history keeps.
const HISTORY: usize = 200;

/// What a byte did.
#[derive(Debug, PartialEq, Eq)]
pub enum Edit {
    /// Nothing to show.
    None,
    /// The line changed: redraw it ([`LineEditor::render`]).
    Redraw,
    /// Enter: run this line.
    Submit(String),
    /// Ctrl-A c: back to the guest console.
    Leave,
    /// Ctrl-A x: quit emu.
    Quit,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Escape {
    #[default]
    None,
    /// After ESC.
    Esc,
    /// After ESC [ (or ESC O), with the digits so far.
    Csi(u8),
    /// After Ctrl-A.
    CtrlA,
}

/// A line being typed, and the lines typed before.
#[derive(Debug, Default)]
pub struct LineEditor {
    line: Vec<char>,
    cursor: usize,
    history: Vec<String>,
    /// Position in the history while browsing it (history.len() = the line being typed).
    browsing: usize,
    /// The line being typed, kept while browsing.
    draft: Vec<char>,
    escape: Escape,
    /// Bytes of a UTF-8 character not complete yet.
    utf8: Vec<u8>,
}

impl LineEditor {
    /// Feeds one input byte.
    pub fn feed(&mut self, byte: u8) -> Edit {
        match self.escape {
            Escape::CtrlA => {
                self.escape = Escape::None;
                return match byte {
                    b'c' | b'C' => Edit::Leave,
                    b'x' | b'X' => Edit::Quit,
                    _ => Edit::None,
                };
            }
            Escape::Esc => {
                self.escape = match byte {
                    b'[' | b'O' => Escape::Csi(0),
                    _ => Escape::None,
                };
                return Edit::None;
            }
            Escape::Csi(n) => {
                if byte.is_ascii_digit() {
                    self.escape = Escape::Csi(n.saturating_mul(10).saturating_add(byte - b'0'));
                    return Edit::None;
                }
                self.escape = Escape::None;
                return match (byte, n) {
                    (b'A', _) => self.history_move(-1),
                    (b'B', _) => self.history_move(1),
                    (b'C', _) => self.move_to(self.cursor + 1),
                    (b'D', _) => self.move_to(self.cursor.saturating_sub(1)),
                    (b'H', _) | (b'~', 1 | 7) => self.move_to(0),
                    (b'F', _) | (b'~', 4 | 8) => self.move_to(self.line.len()),
                    (b'~', 3) => self.delete_at(self.cursor),
                    _ => Edit::None,
                };
            }
            Escape::None => {}
        }
        match byte {
            0x01 => {
                self.escape = Escape::CtrlA;
                Edit::None
            }
            0x1b => {
                self.escape = Escape::Esc;
                Edit::None
            }
            b'\r' | b'\n' => {
                let line: String = self.line.drain(..).collect();
                self.cursor = 0;
                let trimmed = line.trim();
                if !trimmed.is_empty() && self.history.last().map(String::as_str) != Some(trimmed) {
                    self.history.push(trimmed.to_string());
                    if self.history.len() > HISTORY {
                        self.history.remove(0);
                    }
                }
                self.browsing = self.history.len();
                Edit::Submit(line)
            }
            0x7f | 0x08 => match self.cursor {
                0 => Edit::None,
                c => {
                    self.cursor = c - 1;
                    self.delete_at(c - 1)
                }
            },
            0x03 | 0x15 => {
                // Ctrl-C, Ctrl-U: drop the line.
                self.line.clear();
                self.cursor = 0;
                Edit::Redraw
            }
            0x02 => self.move_to(self.cursor.saturating_sub(1)), // Ctrl-B
            0x06 => self.move_to(self.cursor + 1),               // Ctrl-F
            0x05 => self.move_to(self.line.len()),               // Ctrl-E
            0x10 => self.history_move(-1),                       // Ctrl-P
            0x0e => self.history_move(1),                        // Ctrl-N
            b if b < 0x20 => Edit::None,
            b => {
                self.utf8.push(b);
                match std::str::from_utf8(&self.utf8) {
                    Ok(text) => {
                        let chars: Vec<char> = text.chars().collect();
                        self.utf8.clear();
                        for c in chars {
                            self.line.insert(self.cursor, c);
                            self.cursor += 1;
                        }
                        Edit::Redraw
                    }
                    Err(e) if e.error_len().is_none() && self.utf8.len() < 4 => Edit::None,
                    Err(_) => {
                        self.utf8.clear();
                        Edit::None
                    }
                }
            }
        }
    }

    fn move_to(&mut self, cursor: usize) -> Edit {
        self.cursor = cursor.min(self.line.len());
        Edit::Redraw
    }

    fn delete_at(&mut self, at: usize) -> Edit {
        if at < self.line.len() {
            self.line.remove(at);
        }
        Edit::Redraw
    }

    fn history_move(&mut self, delta: isize) -> Edit {
        let target = self.browsing as isize + delta;
        if target < 0 || target > self.history.len() as isize {
            return Edit::None;
        }
        if self.browsing == self.history.len() {
            self.draft = self.line.clone();
        }
        self.browsing = target as usize;
        self.line = match self.history.get(self.browsing) {
            Some(line) => line.chars().collect(),
            None => self.draft.clone(),
        };
        self.cursor = self.line.len();
        Edit::Redraw
    }

    /// The line being typed.
    pub fn line(&self) -> String {
        self.line.iter().collect()
    }

    /// What redraws the prompt and the line on a terminal, the cursor in place.
    pub fn render(&self) -> String {
        let mut out = format!("\r\x1b[K{PROMPT}{}", self.line());
        let back = self.line.len() - self.cursor;
        if back > 0 {
            out.push_str(&format!("\x1b[{back}D"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(editor: &mut LineEditor, bytes: &[u8]) -> Vec<Edit> {
        bytes
            .iter()
            .map(|&b| editor.feed(b))
            .filter(|e| *e != Edit::None)
            .collect()
    }

    #[test]
    fn edits_a_line_with_cursor_moves() {
        let mut e = LineEditor::default();
        feed(&mut e, b"info regs");
        assert_eq!(e.line(), "info regs");
        // Left twice, backspace, type: "info rgs" -> "info rXgs"?
        feed(&mut e, b"\x1b[D\x1b[D\x7fX");
        assert_eq!(e.line(), "info rXgs");
        assert!(e.render().ends_with("info rXgs\x1b[2D"));
        feed(&mut e, b"\x1b[H\x1b[3~");
        assert_eq!(e.line(), "nfo rXgs");
        feed(&mut e, b"\x05!");
        assert_eq!(e.line(), "nfo rXgs!");
        feed(&mut e, b"\x15");
        assert_eq!(e.line(), "");
        assert_eq!(
            feed(&mut e, "héllo\r".as_bytes()).last(),
            Some(&Edit::Submit("héllo".into()))
        );
    }

    #[test]
    fn history_goes_back_and_forth_and_keeps_the_draft() {
        let mut e = LineEditor::default();
        feed(&mut e, b"one\rtwo\rtwo\r\rdraft");
        feed(&mut e, b"\x1b[A");
        assert_eq!(e.line(), "two");
        feed(&mut e, b"\x1b[A");
        assert_eq!(e.line(), "one");
        feed(&mut e, b"\x1b[A");
        assert_eq!(e.line(), "one", "no further back");
        feed(&mut e, b"\x1b[B\x1b[B");
        assert_eq!(e.line(), "draft");
        assert_eq!(
            feed(&mut e, b"\x1bOA\r"),
            vec![Edit::Redraw, Edit::Submit("two".into())]
        );
    }

    #[test]
    fn ctrl_a_c_leaves_and_ctrl_a_x_quits() {
        let mut e = LineEditor::default();
        assert_eq!(
            feed(&mut e, b"ab\x01c"),
            vec![Edit::Redraw, Edit::Redraw, Edit::Leave]
        );
        assert_eq!(feed(&mut e, b"\x01x"), vec![Edit::Quit]);
        assert_eq!(feed(&mut e, b"\x01q"), vec![]);
    }
}
