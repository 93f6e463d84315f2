//! Unit tests of the exact bytes the terminal channel writes.

use super::*;
use crate::notification::tests::sample;

fn written(bell: bool, desktop: Desktop, tmux: bool, notice: &Notice) -> Vec<u8> {
    let mut t = TerminalNotifier::new(Vec::new(), bell, desktop, tmux);
    t.notify(notice).unwrap();
    t.into_inner()
}

fn with_text(title: &str, body: &str) -> Notice {
    Notice {
        title: title.into(),
        body: body.into(),
        ..sample()
    }
}

#[test]
fn bell_is_one_bel() {
    assert_eq!(written(true, Desktop::Off, false, &sample()), b"\x07");
    assert_eq!(written(true, Desktop::Off, true, &sample()), b"\x07");
    assert_eq!(written(false, Desktop::Off, true, &sample()), b"");
}

#[test]
fn osc9_is_title_colon_body() {
    assert_eq!(
        written(false, Desktop::Osc9, false, &sample()),
        b"\x1b]9;webapp #2 failed: FAIL signal from claude in iteration 3\x07"
    );
    assert_eq!(
        written(false, Desktop::Osc9, false, &with_text("done", "")),
        b"\x1b]9;done\x07"
    );
    // Not a ConEmu sub-command (`9;4;…` is its progress bar).
    assert_eq!(
        written(false, Desktop::Osc9, false, &with_text("4;1", "")),
        b"\x1b]9; 4;1\x07"
    );
}

#[test]
fn osc777_drops_semicolons_from_the_title_only() {
    assert_eq!(
        written(false, Desktop::Osc777, false, &with_text("a;b; c", "x; y")),
        b"\x1b]777;notify;ab c;x; y\x07"
    );
}

#[test]
fn bell_follows_the_desktop_sequence() {
    assert_eq!(
        written(true, Desktop::Osc777, false, &with_text("t", "b")),
        b"\x1b]777;notify;t;b\x07\x07"
    );
}

#[test]
fn tmux_wraps_desktop_sequences_with_doubled_esc_but_not_the_bell() {
    assert_eq!(
        written(true, Desktop::Osc9, true, &with_text("t", "b")),
        b"\x1bPtmux;\x1b\x1b]9;t: b\x07\x1b\\\x07"
    );
    assert_eq!(
        written(false, Desktop::Osc777, true, &with_text("t", "b")),
        b"\x1bPtmux;\x1b\x1b]777;notify;t;b\x07\x1b\\"
    );
    assert_eq!(
        tmux_passthrough(b"\x1b]8;;x\x1b\\"),
        b"\x1bPtmux;\x1b\x1b]8;;x\x1b\x1b\\\x1b\\"
    );
}

/// The payload between `prefix` and `suffix`, which must frame `bytes` exactly.
fn payload<'a>(bytes: &'a [u8], prefix: &[u8], suffix: &[u8]) -> &'a str {
    assert!(
        bytes.starts_with(prefix) && bytes.ends_with(suffix),
        "{bytes:?}"
    );
    std::str::from_utf8(&bytes[prefix.len()..bytes.len() - suffix.len()]).unwrap()
}

fn assert_inert(text: &str) {
    for c in text.chars() {
        assert!(
            !is_unsafe(c) && c != '\u{1b}' && c != '\u{7}' && !('\u{80}'..='\u{9f}').contains(&c),
            "{c:?} in {text:?}"
        );
    }
}

#[test]
fn hostile_text_is_inert_inside_the_payload() {
    let hostile = "x\u{1b}]0;pwned\u{7}y\u{9b}31m\u{202e}z\u{1b}\\w\u{9c}\u{0}\r\nv";
    let notice = with_text(hostile, hostile);
    let osc9 = written(false, Desktop::Osc9, false, &notice);
    let text = payload(&osc9, b"\x1b]9;", b"\x07");
    assert_eq!(text, "xyzw ⏎ v: xyzw ⏎ v");
    assert_inert(text);

    let osc777 = written(false, Desktop::Osc777, false, &notice);
    let text = payload(&osc777, b"\x1b]777;notify;", b"\x07");
    assert_eq!(text, "xyzw ⏎ v;xyzw ⏎ v");
    assert_inert(text);

    let wrapped = written(false, Desktop::Osc777, true, &notice);
    let text = payload(&wrapped, b"\x1bPtmux;\x1b\x1b]777;notify;", b"\x07\x1b\\");
    assert_inert(text);
    // Only the framing: `ESC P`, the doubled `ESC ESC ]`, and `ESC \`.
    assert_eq!(wrapped.iter().filter(|&&b| b == 0x1b).count(), 4);
}

#[test]
fn lengths_are_capped_on_char_boundaries() {
    let notice = with_text(&"é".repeat(100), &"日本".repeat(150));
    let bytes = written(false, Desktop::Osc777, false, &notice);
    let text = payload(&bytes, b"\x1b]777;notify;", b"\x07");
    let (title, body) = text.split_once(';').unwrap();
    assert_eq!(title.chars().count(), TITLE_MAX_CHARS);
    assert_eq!(title, format!("{}…", "é".repeat(TITLE_MAX_CHARS - 1)));
    assert_eq!(body.chars().count(), BODY_MAX_CHARS);
    assert!(body.starts_with("日本日本") && body.ends_with('…'));
    // Text at the cap is left whole.
    assert_eq!(inert(&"é".repeat(80), 80), "é".repeat(80));
    assert_eq!(inert("ab   cd", 4), "ab…");
}

/// A writer that counts flushes.
#[derive(Default)]
struct Flushes {
    bytes: Vec<u8>,
    flushes: usize,
}

impl Write for Flushes {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.flushes += 1;
        Ok(())
    }
}

#[test]
fn flushes_after_writing_and_reports_write_errors() {
    let mut t = TerminalNotifier::new(Flushes::default(), true, Desktop::Osc9, false);
    t.notify(&sample()).unwrap();
    assert_eq!(t.get_ref().flushes, 1);
    let full: &mut [u8] = &mut [0u8; 2];
    let mut t = TerminalNotifier::new(full, true, Desktop::Osc9, false);
    assert!(matches!(t.notify(&sample()), Err(NotifyError::Write(_))));
}
