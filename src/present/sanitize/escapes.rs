//! Reading agent text the way a terminal reads it: alacritty's `vte` state machine (the
//! DEC/ANSI parser of <https://vt100.net/emu/dec_ansi_parser>) reads every escape sequence and
//! drives a [`Perform`] that keeps printable text, line breaks, tabs and SGR colours, and
//! nothing else. Every other sequence is consumed whole, however long or malformed, exactly
//! where a terminal would end it, so none of it is left behind as text. C1 introducers written
//! as characters (U+009B CSI, U+009D OSC, U+0090 DCS, U+009C ST, ...) are read as their 7-bit
//! forms (`ESC [`, `ESC ]`, ...), as a UTF-8 terminal such as xterm reads them, so a C1
//! sequence is consumed whole too.
//!
//! Between sequences (the parser's ground state) the text is taken in runs rather than one
//! character at a time through the parser: the parser is handed the text from each `ESC` or
//! C1 control until it reports the sequence ended and is back in its ground state.

use super::{Sink, TAB, forms, is_unsafe};
use vte::{Params, Parser, Perform};

/// Reads `text`, telling `sink` what is safe to show (see the module documentation).
pub(super) fn walk(text: &str, sink: &mut impl Sink) {
    let mut reader = Reader {
        sink,
        contextual: false,
        after_cr: false,
        ended: false,
    };
    let mut parser = Parser::new();
    let bytes = text.as_bytes();
    // Where the C1 controls are, found once (a sequence looks for the next one after it).
    let c1s: Vec<usize> = memchr::memchr_iter(0xc2, bytes)
        .filter(|&at| c1_at(bytes, at).is_some())
        .collect();
    let mut i = 0;
    while i < bytes.len() {
        // Printable ASCII, passed on whole.
        let run = bytes[i..]
            .iter()
            .position(|b| !(0x20..0x7f).contains(b))
            .unwrap_or(bytes.len() - i);
        if run > 0 {
            reader.after_cr = false;
            reader.sink.text().push_str(&text[i..i + run]);
            i += run;
            continue;
        }
        match bytes[i] {
            0x1b => i = sequence(&mut parser, &mut reader, bytes, i, &c1s),
            0xc2 if c1_at(bytes, i).is_some() => {
                i = sequence(&mut parser, &mut reader, bytes, i, &c1s);
            }
            // DEL is printed (and dropped), as the parser prints it.
            0x7f => {
                reader.print('\u{7f}');
                i += 1;
            }
            b if b < 0x80 => {
                reader.execute(b);
                i += 1;
            }
            _ => {
                let Some(c) = text[i..].chars().next() else {
                    break;
                };
                reader.print(c);
                i += c.len_utf8();
            }
        }
    }
    // A sequence still open at the end of the text is dropped with it.
    reader.flush();
}

/// As [`walk`], with every byte read through the parser (ground-state text too): what `walk`
/// must be equivalent to.
#[cfg(test)]
pub(super) fn walk_all_through_the_parser(text: &str, sink: &mut impl Sink) {
    let mut reader = Reader {
        sink,
        contextual: false,
        after_cr: false,
        ended: false,
    };
    let mut parser = Parser::new();
    let bytes = text.as_bytes();
    let mut from = 0;
    for at in memchr::memchr_iter(0xc2, bytes) {
        if let Some(c1) = c1_at(bytes, at) {
            parser.advance(&mut reader, &bytes[from..at]);
            parser.advance(&mut reader, &[0x1b, c1 - 0x40]);
            from = at + 2;
        }
    }
    parser.advance(&mut reader, &bytes[from..]);
    reader.flush();
}

/// The C1 control (0x80..=0x9F) encoded at `at` (0xC2 then the control: 0xC2 is never a
/// continuation byte in UTF-8).
fn c1_at(bytes: &[u8], at: usize) -> Option<u8> {
    match (bytes.get(at), bytes.get(at + 1)) {
        (Some(0xc2), Some(&c1 @ 0x80..=0x9f)) => Some(c1),
        _ => None,
    }
}

/// Hands `bytes` from `from` (an `ESC` or a C1 control) to `parser` until a sequence ends with
/// the parser back in its ground state, or the text ends; the C1 controls (at `c1s`, in order)
/// are handed over as their 7-bit forms. Returns where reading stopped.
fn sequence<S: Sink>(
    parser: &mut Parser,
    reader: &mut Reader<'_, S>,
    bytes: &[u8],
    from: usize,
    c1s: &[usize],
) -> usize {
    reader.ended = false;
    let mut i = from;
    let mut next = c1s.partition_point(|&at| at < from);
    while i < bytes.len() {
        let end = c1s.get(next).copied().unwrap_or(bytes.len());
        if i < end {
            i += parser.advance_until_terminated(reader, &bytes[i..end]);
            if reader.ended || i < end {
                return i;
            }
        }
        if let Some(c1) = c1_at(bytes, i) {
            let _ = parser.advance_until_terminated(reader, &[0x1b, c1 - 0x40]);
            i += 2;
            next += 1;
            if reader.ended {
                return i;
            }
        }
    }
    i
}

/// The [`Perform`] that keeps what may be shown.
struct Reader<'a, S: Sink> {
    sink: &'a mut S,
    /// The run of text being read holds a character whose form depends on its neighbours
    /// (see `forms`).
    contextual: bool,
    /// The last thing read was a `\r` (so a `\n` right after it is the same line break).
    after_cr: bool,
    /// A sequence just ended with the parser in its ground state (only set where that is
    /// certain; otherwise the parser simply reads on).
    ended: bool,
}

impl<S: Sink> Reader<'_, S> {
    fn flush(&mut self) {
        let contextual = std::mem::take(&mut self.contextual);
        self.sink.end_run(contextual);
    }

    fn newline(&mut self) {
        self.flush();
        self.sink.newline();
    }
}

impl<S: Sink> Perform for Reader<'_, S> {
    fn print(&mut self, c: char) {
        self.after_cr = false;
        if c < '\u{7f}' {
            self.sink.text().push(c);
        } else if matches!(c, '\u{2028}' | '\u{2029}') {
            self.newline();
        } else if !is_unsafe(c) {
            self.contextual |= forms::changes(c);
            self.sink.text().push(c);
        }
    }

    fn execute(&mut self, byte: u8) {
        match byte {
            // The line break a `\r` just made.
            b'\n' if std::mem::take(&mut self.after_cr) => {}
            b'\n' => self.newline(),
            b'\r' => {
                self.newline();
                self.after_cr = true;
            }
            b'\t' => {
                self.after_cr = false;
                self.sink.text().push_str(TAB);
            }
            // CAN and SUB abort any sequence: the parser is in its ground state after them.
            0x18 | 0x1a => self.ended = true,
            // Every other C0 or C1 control is dropped.
            _ => {}
        }
    }

    fn csi_dispatch(&mut self, params: &Params, intermediates: &[u8], ignore: bool, action: char) {
        self.ended = true;
        self.after_cr = false;
        // Only a plain SGR (no private marker or intermediate, not over-long) is a colour.
        if S::STYLED && action == 'm' && intermediates.is_empty() && !ignore {
            self.flush();
            let mut flat = Vec::with_capacity(params.len());
            for p in params {
                flat.extend_from_slice(p);
            }
            self.sink.style(flat);
        }
    }

    fn esc_dispatch(&mut self, _: &[u8], _: bool, _: u8) {
        self.ended = true;
    }

    fn osc_dispatch(&mut self, _: &[&[u8]], bell_terminated: bool) {
        // Ended by BEL: back in the ground state. Ended by ESC: an escape follows (`ESC \`).
        self.ended |= bell_terminated;
    }

    fn terminated(&self) -> bool {
        self.ended
    }
}
