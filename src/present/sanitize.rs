//! Making agent text safe to put on a terminal.
//!
//! Agent output is full of escape sequences. Nothing from it reaches the terminal raw: SGR
//! colour sequences (`ESC [ … m`) are parsed into [`Piece::Style`] so a view may render them as
//! styles; every other escape sequence (cursor moves, screen clears, OSC title changes and
//! hyperlinks, DCS/APC/PM/SOS strings, bracketed-paste markers), C0 and C1 control characters,
//! and bidirectional overrides are dropped; tabs become spaces; `\r\n` and lone `\r` become
//! line breaks.

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

/// True for characters that must never be printed raw: C0/C1 controls, DEL, bidi controls,
/// and a few invisible format characters that can hide text.
#[must_use]
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{feff}')
}

/// Splits text into safe pieces (see the module documentation).
#[must_use]
pub fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let flush = |buf: &mut String, out: &mut Vec<Piece>| {
        if !buf.is_empty() {
            out.push(Piece::Text(std::mem::take(buf)));
        }
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => {
                flush(&mut buf, &mut out);
                out.push(Piece::Newline);
            }
            '\r' => {
                flush(&mut buf, &mut out);
                if chars.peek() != Some(&'\n') {
                    out.push(Piece::Newline);
                }
            }
            '\t' => buf.push_str(TAB),
            '\u{1b}' => match chars.next() {
                Some('[') => {
                    // Parameter and intermediate bytes, then a final byte; anything else ends a
                    // malformed sequence without being consumed (so a newline is never lost).
                    let mut body = String::new();
                    let mut final_byte = None;
                    while let Some(&c) = chars.peek() {
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
                        flush(&mut buf, &mut out);
                        out.push(Piece::Style(sgr_params(&body)));
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
            c => buf.push(c),
        }
    }
    flush(&mut buf, &mut out);
    out
}

/// Skips an OSC/DCS/APC/PM/SOS string up to its terminator (BEL, ESC \, or C1 ST).
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
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

/// The text with every escape sequence and control character removed (styles dropped too),
/// line breaks kept as `\n`.
#[must_use]
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Text(t) => out.push_str(&t),
            Piece::Newline => out.push('\n'),
            Piece::Style(_) => {}
        }
    }
    out
}

/// One line of plain text: line breaks shown as `⏎ ` so a summary stays on one row.
#[must_use]
pub fn one_line(text: &str) -> String {
    plain(text).trim_end().replace('\n', " ⏎ ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_sequences_are_inert() {
        let hostile = "a\u{1b}]0;pwned title\u{7}b\u{1b}[2J\u{1b}[Hc\u{1b}[200~paste\u{1b}[201~d\u{9b}31m\u{85}e\u{202e}f\u{1b}P1$q\u{1b}\\g\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\";
        assert_eq!(plain(hostile), "abcpastedefglink");
        assert!(plain(hostile).chars().all(|c| !is_unsafe(c)));
    }

    #[test]
    fn colours_become_styles() {
        assert_eq!(
            pieces("line two \u{1b}[31mred\u{1b}[0m\r\nnext\tx"),
            vec![
                Piece::Text("line two ".into()),
                Piece::Style(vec![31]),
                Piece::Text("red".into()),
                Piece::Style(vec![0]),
                Piece::Newline,
                Piece::Text("next    x".into()),
            ]
        );
        assert_eq!(pieces("\u{1b}[m"), vec![Piece::Style(vec![0])]);
        assert_eq!(
            pieces("\u{1b}[38;5;196mx"),
            vec![Piece::Style(vec![38, 5, 196]), Piece::Text("x".into())]
        );
    }

    #[test]
    fn unterminated_sequences_do_not_swallow_forever_or_leak() {
        assert_eq!(plain("a\u{1b}"), "a");
        assert_eq!(plain("a\u{1b}[12"), "a");
        assert_eq!(one_line("x\ny\n"), "x ⏎ y");
        assert_eq!(plain("a\u{1b}[12\nb"), "a\nb");
    }
}
