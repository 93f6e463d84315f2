//! The terminal channel: the bell and desktop notifications as escape sequences written to any
//! [`Write`], with the agents' text made inert and capped, and tmux's passthrough wrapping.
//!
//! Inside tmux, desktop sequences only reach the outer terminal through tmux's DCS passthrough,
//! which tmux ≥ 3.3 ignores unless `set -g allow-passthrough on` is in the user's tmux config
//! (and then only from a visible pane; `allow-passthrough all` also passes invisible panes).
//! The bell needs no wrapping: tmux handles it itself (`bell-action`, `visual-bell`, and the
//! window's bell flag) and forwards it to the terminal.

use super::{Notice, Notifier, NotifyError};
use crate::present::sanitize::{is_unsafe, one_line};
use serde::Deserialize;
use std::io::Write;

/// The longest title written to the terminal, in characters (longer ones end in `…`).
pub const TITLE_MAX_CHARS: usize = 80;
/// The longest body written to the terminal, in characters (longer ones end in `…`).
pub const BODY_MAX_CHARS: usize = 200;

const ESC: u8 = 0x1b;
const BEL: u8 = 0x07;

/// Which escape sequence carries a desktop notification.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Desktop {
    /// No desktop notification (the default).
    #[default]
    Off,
    /// `ESC ] 9 ; <title: body> BEL`: iTerm2, WezTerm, Windows Terminal, ghostty, ConEmu, …
    Osc9,
    /// `ESC ] 777 ; notify ; <title> ; <body> BEL`: urxvt, kitty, foot, VTE terminals, …
    Osc777,
}

/// True when `$TMUX` is set and not empty: the process runs inside tmux.
#[must_use]
pub fn inside_tmux() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

/// Writes the bell and/or a desktop notification for each notice, then flushes.
#[derive(Debug)]
pub struct TerminalNotifier<W: Write> {
    out: W,
    bell: bool,
    desktop: Desktop,
    inside_tmux: bool,
}

impl<W: Write> TerminalNotifier<W> {
    /// Writes to `out`: a `BEL` when `bell`, and the `desktop` sequence, wrapped for tmux's
    /// passthrough when `inside_tmux` (see [`inside_tmux`]).
    #[must_use]
    pub fn new(out: W, bell: bool, desktop: Desktop, inside_tmux: bool) -> Self {
        TerminalNotifier {
            out,
            bell,
            desktop,
            inside_tmux,
        }
    }

    /// The writer.
    #[must_use]
    pub fn get_ref(&self) -> &W {
        &self.out
    }

    /// Gives the writer back.
    #[must_use]
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> Notifier for TerminalNotifier<W> {
    /// Writes the desktop sequence (if any) then the bell (if on) in one write, and flushes.
    fn notify(&mut self, notice: &Notice) -> Result<(), NotifyError> {
        let mut bytes = desktop_sequence(self.desktop, notice, self.inside_tmux);
        if self.bell {
            bytes.push(BEL);
        }
        if bytes.is_empty() {
            return Ok(());
        }
        self.out.write_all(&bytes)?;
        self.out.flush()?;
        Ok(())
    }
}

/// The bytes of `notice`'s desktop notification (empty for [`Desktop::Off`]), wrapped for
/// tmux's passthrough when `inside_tmux`. The title and body are made inert: escape sequences,
/// control characters (C0, C1, DEL) and bidi/invisible format characters are removed, line
/// breaks become ` ⏎ `, the title is capped at [`TITLE_MAX_CHARS`] and the body at
/// [`BODY_MAX_CHARS`]. For OSC 777, `;` (its field separator) is removed from the title.
#[must_use]
pub fn desktop_sequence(desktop: Desktop, notice: &Notice, inside_tmux: bool) -> Vec<u8> {
    let sequence = match desktop {
        Desktop::Off => return Vec::new(),
        Desktop::Osc9 => {
            let title = inert(&notice.title, TITLE_MAX_CHARS);
            let body = inert(&notice.body, BODY_MAX_CHARS);
            let mut text = match (title.is_empty(), body.is_empty()) {
                (_, true) => title,
                (true, false) => body,
                (false, false) => format!("{title}: {body}"),
            };
            // ConEmu and Windows Terminal read `9;<number>;…` as a sub-command (4 is the
            // progress bar): a leading space keeps a title like "4; …" plain text.
            if text.starts_with(|c: char| c.is_ascii_digit()) {
                text.insert(0, ' ');
            }
            osc(&format!("9;{text}"))
        }
        Desktop::Osc777 => {
            let title = inert(&notice.title.replace(';', ""), TITLE_MAX_CHARS);
            let body = inert(&notice.body, BODY_MAX_CHARS);
            osc(&format!("777;notify;{title};{body}"))
        }
    };
    if inside_tmux {
        tmux_passthrough(&sequence)
    } else {
        sequence
    }
}

/// `ESC ] <payload> BEL`.
fn osc(payload: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 3);
    out.extend_from_slice(&[ESC, b']']);
    out.extend_from_slice(payload.as_bytes());
    out.push(BEL);
    out
}

/// Wraps an escape sequence in tmux's DCS passthrough, `ESC P tmux ; <sequence> ESC \`, with
/// every `ESC` inside the sequence doubled, so tmux hands it to the outer terminal (needs
/// `set -g allow-passthrough on`, tmux ≥ 3.3).
#[must_use]
pub fn tmux_passthrough(sequence: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(sequence.len() + 12);
    out.extend_from_slice(b"\x1bPtmux;");
    for &b in sequence {
        if b == ESC {
            out.push(ESC);
        }
        out.push(b);
    }
    out.extend_from_slice(b"\x1b\\");
    out
}

/// One line of `text` with nothing a terminal would act on, at most `max` characters (the
/// last one `…` when cut).
fn inert(text: &str, max: usize) -> String {
    let line: String = one_line(text).chars().filter(|&c| !is_unsafe(c)).collect();
    let line = line.trim();
    if line.chars().count() <= max {
        return line.to_owned();
    }
    let mut cut: String = line.chars().take(max.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests;
