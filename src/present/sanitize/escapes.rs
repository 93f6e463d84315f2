//! Reading agent text the way a terminal reads it: alacritty's `vte` state machine (the
//! DEC/ANSI parser of <https://vt100.net/emu/dec_ansi_parser>) drives a [`Perform`] that keeps
//! printable text, line breaks, tabs and SGR colours, and nothing else. Every other sequence is
//! consumed whole, however long or malformed, exactly where a terminal would end it, so none
//! of it is left behind as text. C1 introducers written as characters (U+009B CSI, U+009D OSC,
//! U+0090 DCS, U+009C ST, ...) are read as their 7-bit forms (`ESC [`, `ESC ]`, ...), as a
//! UTF-8 terminal such as xterm reads them, so a C1 sequence is consumed whole too.

use super::{Sink, TAB, forms, is_unsafe};
use vte::{Params, Parser, Perform};

/// Reads `text`, telling `sink` what is safe to show (see the module documentation).
pub(super) fn walk(text: &str, sink: &mut impl Sink) {
    let mut reader = Reader {
        sink,
        buf: String::new(),
        after_cr: false,
    };
    let mut parser = Parser::new();
    let bytes = text.as_bytes();
    let mut from = 0;
    // In UTF-8 a C1 control is 0xC2 then 0x80..=0x9F; 0xC2 is never a continuation byte.
    for at in memchr::memchr_iter(0xc2, bytes) {
        if let Some(&c1 @ 0x80..=0x9f) = bytes.get(at + 1) {
            parser.advance(&mut reader, &bytes[from..at]);
            parser.advance(&mut reader, &[0x1b, c1 - 0x40]);
            from = at + 2;
        }
    }
    parser.advance(&mut reader, &bytes[from..]);
    // A sequence still open at the end of the text is dropped with it.
    reader.flush();
}

/// The [`Perform`] that keeps what may be shown.
struct Reader<'a, S: Sink> {
    sink: &'a mut S,
    /// Printable text not yet passed on (a run between line breaks or styles).
    buf: String,
    /// The last thing read was a `\r` (so a `\n` right after it is the same line break).
    after_cr: bool,
}

impl<S: Sink> Reader<'_, S> {
    fn flush(&mut self) {
        if !self.buf.is_empty() {
            self.sink.run(&forms::normalise(&self.buf));
            self.buf.clear();
        }
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
            self.buf.push(c);
        } else if matches!(c, '\u{2028}' | '\u{2029}') {
            self.newline();
        } else if !is_unsafe(c) {
            self.buf.push(c);
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
                self.buf.push_str(TAB);
            }
            // Every other C0 or C1 control is dropped.
            _ => {}
        }
    }

    fn csi_dispatch(&mut self, params: &Params, intermediates: &[u8], ignore: bool, action: char) {
        self.after_cr = false;
        // Only a plain SGR (no private marker or intermediate, not over-long) is a colour.
        if S::STYLED && action == 'm' && intermediates.is_empty() && !ignore {
            self.flush();
            self.sink
                .style(params.iter().flat_map(|p| p.iter().copied()).collect());
        }
    }
}
