//! Making agent text safe to put on a terminal, in the form every terminal draws alike.
//!
//! Agent output is full of escape sequences. Nothing from it reaches the terminal raw. The text
//! is read by a terminal's own state machine ([`escapes`], alacritty's `vte`), so every
//! sequence is consumed whole, as a terminal would consume it: SGR colour sequences
//! (`ESC [ … m`) become [`Piece::Style`] so a view may render them as styles; every other
//! sequence (cursor moves, screen clears, OSC titles, hyperlinks and clipboard writes,
//! DCS/APC/PM/SOS strings, charset designations such as `ESC ( B`, bracketed-paste markers,
//! their C1 forms) leaves nothing behind. C0 and C1 control characters are dropped; tabs become
//! spaces; `\r\n`, a lone `\r` and U+2028/U+2029 become line breaks, and a line break or tab
//! inside a malformed sequence is kept.
//!
//! Characters that are invisible and can hide or reorder text ([`is_unsafe`]: bidi controls,
//! zero-width spaces, invisible operators, fillers, stray tag characters) are dropped. Joiners
//! are kept: ZWJ (emoji sequences such as `👨‍👩‍👧`, Indic conjuncts) and ZWNJ (Persian
//! `نیم‌فاصله`), as are skin-tone modifiers. Forms that terminals draw at different widths are
//! normalised ([`forms`]): presentation selectors outside emoji ZWJ sequences are dropped, so
//! `⚠️` is the one-column `⚠` everywhere, and a lone regional indicator becomes its letter.

mod escapes;
mod forms;
#[cfg(test)]
mod tests;

/// A piece of sanitised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Printable text (no control characters).
    Text(String),
    /// An SGR sequence's parameters (`ESC[1;31m` gives `[1, 31]`; `ESC[m` gives `[0]`).
    Style(Vec<u16>),
    /// A line break.
    Newline,
}

const TAB: &str = "    ";

/// True for characters that must never be printed raw: C0/C1 controls and DEL; the bidi
/// controls (embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks
/// U+200E, U+200F and U+061C); and invisible characters that can hide text: the zero-width
/// space, word joiner and invisible operators (U+200B, U+2060–U+2064), the BOM, the soft
/// hyphen, the Hangul fillers, the Mongolian vowel separator, the Khmer inherent vowels,
/// deprecated format characters (U+206A–U+206F), interlinear annotations, shorthand and musical
/// format controls, and the tag block apart from the tag letters themselves (which
/// [`forms`] keeps only inside a flag such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿). Line and paragraph separators
/// (U+2028, U+2029) are here too: the sanitiser turns them into line breaks.
///
/// Joiners (U+200C, U+200D), variation selectors and skin-tone modifiers are not unsafe.
#[must_use]
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{ad}' | '\u{61c}'
        | '\u{115f}' | '\u{1160}' | '\u{3164}' | '\u{ffa0}'
        | '\u{17b4}' | '\u{17b5}' | '\u{180e}'
        | '\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
        | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}'
        | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
        | '\u{1bca0}'..='\u{1bca3}' | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0000}'..='\u{e001f}' | '\u{e0080}'..='\u{e00ff}' | '\u{e01f0}'..='\u{e0fff}')
}

/// Where [`escapes`] puts what it finds.
trait Sink {
    /// Whether styles are kept (else text runs on across them).
    const STYLED: bool;
    /// Where printable text goes, character by character.
    fn text(&mut self) -> &mut String;
    /// The run of text ends (a line break or a style follows, or the end); `contextual` when
    /// it holds a character whose form depends on its neighbours (see [`forms`]).
    fn end_run(&mut self, contextual: bool);
    /// A line break (after [`Sink::end_run`]).
    fn newline(&mut self);
    /// An SGR sequence's parameters (after [`Sink::end_run`]).
    fn style(&mut self, params: Vec<u16>);
}

/// Collects [`Piece`]s.
#[derive(Default)]
struct Pieces {
    out: Vec<Piece>,
    run: String,
}

impl Sink for Pieces {
    const STYLED: bool = true;
    fn text(&mut self) -> &mut String {
        &mut self.run
    }
    fn end_run(&mut self, contextual: bool) {
        if self.run.is_empty() {
            return;
        }
        // A copy the size of the run; the buffer keeps its room for the next one.
        let run = if contextual {
            forms::normalise(&self.run).into_owned()
        } else {
            self.run.clone()
        };
        self.run.clear();
        self.out.push(Piece::Text(run));
    }
    fn newline(&mut self) {
        self.out.push(Piece::Newline);
    }
    fn style(&mut self, params: Vec<u16>) {
        self.out.push(Piece::Style(params));
    }
}

/// Plain text: styles dropped, line breaks as `\n`; forms normalised once, at the end.
#[derive(Default)]
struct Plain {
    out: String,
    contextual: bool,
}

impl Sink for Plain {
    const STYLED: bool = false;
    fn text(&mut self) -> &mut String {
        &mut self.out
    }
    fn end_run(&mut self, contextual: bool) {
        self.contextual |= contextual;
    }
    fn newline(&mut self) {
        self.out.push('\n');
    }
    fn style(&mut self, _: Vec<u16>) {}
}

impl Plain {
    fn finish(self) -> String {
        if self.contextual {
            forms::normalise(&self.out).into_owned()
        } else {
            self.out
        }
    }
}

/// Splits text into safe pieces (see the module documentation).
#[must_use]
pub fn pieces(text: &str) -> Vec<Piece> {
    let mut sink = Pieces::default();
    if needs_plain(text) {
        escapes::walk(text, &mut sink);
    } else {
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                sink.newline();
            }
            sink.run.push_str(line);
            sink.end_run(false);
        }
    }
    sink.out
}

/// Where the first character that is more than one byte long and that the sanitiser may
/// change starts in UTF-8 `bytes`: a C1 control or another [`is_unsafe`] character, or one
/// whose form depends on its neighbours (a presentation selector, a regional indicator, a tag
/// letter, a halfwidth sound mark). An undecodable byte is passed over.
#[must_use]
pub fn first_unsafe_multibyte(bytes: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(found) = bytes[i..].iter().position(|&b| b >= 0xc2) {
        let at = i + found;
        let len = match bytes[at] {
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        let c = bytes
            .get(at..at + len)
            .and_then(|s| std::str::from_utf8(s).ok())
            .and_then(|s| s.chars().next());
        if c.is_some_and(|c| is_unsafe(c) || forms::changes(c)) {
            return Some(at);
        }
        i = at + if c.is_some() { len } else { 1 };
    }
    None
}

/// True when [`plain`] would change `text` (it holds a control character other than a line
/// feed, DEL, or a character [`first_unsafe_multibyte`] finds); most agent text does not.
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
/// line breaks kept as `\n`, forms normalised.
#[must_use]
pub fn plain(text: &str) -> String {
    if !needs_plain(text) {
        return text.to_owned();
    }
    let mut sink = Plain {
        out: String::with_capacity(text.len()),
        contextual: false,
    };
    escapes::walk(text, &mut sink);
    sink.finish()
}

/// One line of plain text: line breaks shown as `⏎ ` so a summary stays on one row.
#[must_use]
pub fn one_line(text: &str) -> String {
    plain(text).trim_end().replace('\n', " ⏎ ")
}
