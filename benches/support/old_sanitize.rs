//! The sanitiser as it was before it used `vte` (a hand-written escape-sequence walk), kept
//! only so `benches/sanitize.rs` can measure the two side by side. Not used by the program.
#![allow(dead_code, clippy::all)]

use beadboard::present::sanitize::Piece;

const TAB: &str = "    ";

/// True for characters that must never be printed raw: C0/C1 controls, DEL, bidi controls,
/// and a few invisible format characters that can hide text.
#[must_use]
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{feff}')
}

/// Where [`walk`] puts what it finds.
trait Sink {
    /// Printable text.
    fn run(&mut self, text: &str);
    /// A line break.
    fn newline(&mut self);
    /// An SGR sequence's parameter bytes (`1;31`).
    fn style(&mut self, body: &str);
}

/// Collects [`Piece`]s.
#[derive(Default)]
struct Pieces {
    out: Vec<Piece>,
    buf: String,
}

impl Pieces {
    fn flush(&mut self) {
        if !self.buf.is_empty() {
            self.out.push(Piece::Text(std::mem::take(&mut self.buf)));
        }
    }
}

impl Sink for Pieces {
    fn run(&mut self, text: &str) {
        self.buf.push_str(text);
    }
    fn newline(&mut self) {
        self.flush();
        self.out.push(Piece::Newline);
    }
    fn style(&mut self, body: &str) {
        self.flush();
        self.out.push(Piece::Style(sgr_params(body)));
    }
}

/// Plain text: styles dropped, line breaks as `\n`.
impl Sink for String {
    fn run(&mut self, text: &str) {
        self.push_str(text);
    }
    fn newline(&mut self) {
        self.push('\n');
    }
    fn style(&mut self, _: &str) {}
}

/// Splits text into safe pieces (see the module documentation).
#[must_use]
pub fn pieces(text: &str) -> Vec<Piece> {
    let mut sink = Pieces::default();
    walk(text, &mut sink);
    sink.flush();
    sink.out
}

/// True for a byte that may start something [`walk`] must look at: a control character
/// (line feeds too), DEL, or the first byte of a C1 control or an invisible character.
fn special(b: u8) -> bool {
    b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xe2 || b == 0xef
}

/// Reads `text`, telling `sink` what is safe to show (see the module documentation). Runs of
/// ordinary text are passed on whole.
fn walk(text: &str, sink: &mut impl Sink) {
    let mut rest = text;
    loop {
        let run = rest.bytes().position(special).unwrap_or(rest.len());
        if run > 0 {
            sink.run(&rest[..run]);
            rest = &rest[run..];
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { return };
        let peek = |chars: &std::str::Chars<'_>| chars.clone().next();
        match c {
            '\n' => sink.newline(),
            '\r' => {
                if peek(&chars) != Some('\n') {
                    sink.newline();
                }
            }
            '\t' => sink.run(TAB),
            '\u{1b}' => match chars.next() {
                Some('[') => {
                    // Parameter and intermediate bytes, then a final byte; anything else ends a
                    // malformed sequence without being consumed (so a newline is never lost).
                    let mut body = String::new();
                    let mut final_byte = None;
                    while let Some(c) = peek(&chars) {
                        if ('\u{40}'..='\u{7e}').contains(&c) {
                            chars.next();
                            final_byte = Some(c);
                            break;
                        }
                        if !('\u{20}'..='\u{3f}').contains(&c) || body.len() > 64 {
                            break;
                        }
                        chars.next();
                        body.push(c);
                    }
                    if final_byte == Some('m')
                        && body
                            .chars()
                            .all(|c| c.is_ascii_digit() || c == ';' || c == ':')
                    {
                        sink.style(&body);
                    }
                }
                Some(']' | 'P' | '_' | '^' | 'X') => skip_string(&mut chars),
                Some(_) | None => {}
            },
            '\u{9b}' => {
                // C1 CSI: skip to its final byte.
                for c in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        break;
                    }
                }
            }
            '\u{9d}' | '\u{90}' | '\u{9f}' | '\u{9e}' | '\u{98}' => skip_string(&mut chars),
            c if is_unsafe(c) => {}
            c => sink.run(c.encode_utf8(&mut [0; 4])),
        }
        rest = chars.as_str();
    }
}

/// Skips an OSC/DCS/APC/PM/SOS string up to its terminator (BEL, ESC \, or C1 ST).
fn skip_string(chars: &mut std::str::Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.clone().next() == Some('\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

fn sgr_params(body: &str) -> Vec<u16> {
    if body.is_empty() {
        return vec![0];
    }
    body.split([';', ':'])
        .map(|p| p.parse::<u16>().unwrap_or(0))
        .collect()
}

/// Where the first character that is unsafe and more than one byte long starts in UTF-8
/// `bytes` (C1 controls, zero-width and bidirectional format characters, the BOM).
#[must_use]
pub fn first_unsafe_multibyte(bytes: &[u8]) -> Option<usize> {
    memchr::memchr3_iter(0xc2, 0xe2, 0xef, bytes).find(|&at| {
        let next = |k: usize| bytes.get(at + k).copied().unwrap_or(0);
        match bytes[at] {
            0xc2 => (0x80..=0x9f).contains(&next(1)),
            0xe2 => matches!(
                (next(1), next(2)),
                (0x80, 0x8b..=0x8f | 0xaa..=0xae) | (0x81, 0xa6..=0xa9)
            ),
            _ => next(1) == 0xbb && next(2) == 0xbf,
        }
    })
}

/// True when [`plain`] would change `text` (it holds a control character other than a line
/// feed, DEL, or an unsafe character); most agent text does not.
#[must_use]
pub fn needs_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Without an early exit the check vectorises.
    let controls = bytes.iter().fold(false, |any, &b| {
        any | ((b < 0x20 && b != b'\n') || b == 0x7f)
    });
    controls || first_unsafe_multibyte(bytes).is_some()
}

/// The text with every escape sequence and control character removed (styles dropped too),
/// line breaks kept as `\n`.
#[must_use]
pub fn plain(text: &str) -> String {
    if !needs_plain(text) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    walk(text, &mut out);
    out
}

/// One line of plain text: line breaks shown as `⏎ ` so a summary stays on one row.
#[must_use]
pub fn one_line(text: &str) -> String {
    plain(text).trim_end().replace('\n', " ⏎ ")
}
