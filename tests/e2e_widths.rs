//! End to end in tmux: the real binary shows a transcript of hard text (the width corpus:
//! emoji with and without VS16, ZWJ sequences, skin tones, flags, keycaps, CJK, combining
//! marks, Indic, Thai, Persian with ZWNJ, RTL) at 80×24 and 200×50, wrapped and cut, and every
//! border of the Transcript pane is in its column on every row as tmux itself places it. The
//! screen is read with capture-pane; columns are read where tmux keeps them, by searching
//! for each glyph in copy mode (`#{copy_cursor_x}`), so a cluster tmux draws wider or narrower
//! than ratatui cannot hide a misplaced border.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::dash::Home;
use common::tmux::Session;
use common::widths::CORPUS;

/// Runs tmux commands on the session, asserting each works.
fn tmux(s: &Session, args: &[&str]) -> String {
    let out = s.tmux(args);
    assert!(out.status.success(), "tmux {args:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The copy-mode cursor, as (column, row).
fn cursor(s: &Session) -> (usize, usize) {
    let at = tmux(
        s,
        &[
            "display-message",
            "-p",
            "-t",
            "main",
            "#{copy_cursor_x} #{copy_cursor_y}",
        ],
    );
    let (x, y) = at.split_once(' ').unwrap();
    (x.parse().unwrap(), y.parse().unwrap())
}

/// Runs `read` in copy mode (vi keys, cursor at the top left), then leaves it.
fn in_copy_mode<T>(s: &Session, read: impl FnOnce() -> T) -> T {
    // vi keys: a forward search leaves the cursor on the first cell of the match.
    tmux(s, &["set-option", "-g", "mode-keys", "vi"]);
    tmux(s, &["copy-mode", "-t", "main"]);
    tmux(s, &["send-keys", "-t", "main", "-X", "history-top"]);
    let out = read();
    tmux(s, &["send-keys", "-t", "main", "-X", "cancel"]);
    out
}

/// Where tmux has a cell holding exactly `glyph` on the visible screen, as (column, row):
/// each match of a forward search in copy mode, until the search comes round again.
fn positions(s: &Session, glyph: &str) -> Vec<(usize, usize)> {
    if !s.screen().contains(glyph) {
        return Vec::new();
    }
    in_copy_mode(s, || {
        let mut found = Vec::new();
        loop {
            tmux(
                s,
                &[
                    "send-keys",
                    "-t",
                    "main",
                    "-X",
                    "search-forward-text",
                    glyph,
                ],
            );
            let at = cursor(s);
            if found.contains(&at) {
                return found;
            }
            found.push(at);
        }
    })
}

/// The column of the last cell of each row from `top` to `bottom` (copy mode's end of line).
fn row_ends(s: &Session, top: usize, bottom: usize) -> Vec<usize> {
    in_copy_mode(s, || {
        if top > 0 {
            let n = top.to_string();
            tmux(
                s,
                &["send-keys", "-t", "main", "-N", &n, "-X", "cursor-down"],
            );
        }
        (top..=bottom)
            .map(|y| {
                tmux(s, &["send-keys", "-t", "main", "-X", "end-of-line"]);
                let (x, at) = cursor(s);
                assert_eq!(at, y, "copy mode's cursor on row {at}, not {y}");
                tmux(s, &["send-keys", "-t", "main", "-X", "cursor-down"]);
                x
            })
            .collect()
    })
}

/// Checks the Transcript pane's frame on the screen now, as tmux has it: the left border `┃`
/// on every row in the column of its top-left corner and nowhere but the pane's two border
/// columns; every row ending in its right border (or scrollbar) in the column of its top-right
/// corner; `cut`, every row showing a corpus entry ending in `…` right before that border.
/// (tmux 3.3 glues a joiner that ends a cluster onto the next cell it prints, so the last two
/// cells are read from the row's end rather than searched for.)
fn check_frame(s: &Session, what: &str, cut: bool) -> String {
    let screen = s.screen();
    let corner = |glyph: &str| *positions(s, glyph).first().unwrap();
    let ((left, top), (right, _), (_, bottom)) = (corner("┏"), corner("┓"), corner("┗"));
    let thick = positions(s, "┃");
    let ends = row_ends(s, top, bottom);
    // Whether "end of line" is on the last cell or just after it (tmux versions differ), as
    // on the top border's row, whose last cell is the corner.
    let past = ends[0] - right;
    let lines: Vec<&str> = screen.lines().collect();
    for y in top + 1..bottom {
        let line = lines[y].trim_end_matches(['\u{200d}', '\u{200c}']);
        assert!(
            thick.contains(&(left, y)),
            "{what}: no left border at ({left}, {y}):\n{screen}"
        );
        assert!(
            ends[y - top] - past == right && line.ends_with(['┃', '║', '█']),
            "{what}: row {y} ends at column {}, not in a border at {right}: {:?}\n{screen}",
            ends[y - top] - past,
            lines[y]
        );
        if cut
            && CORPUS
                .iter()
                .any(|(name, _)| line.contains(&format!(" {name}:")))
        {
            let before_border = line[..line.len() - 3].trim_end_matches(['\u{200d}', '\u{200c}']);
            assert!(
                before_border.ends_with('…'),
                "{what}: row {y} does not end in … before its border: {:?}\n{screen}",
                lines[y]
            );
        }
    }
    for &(x, y) in &thick {
        assert!(
            x == left || x == right,
            "{what}: a border ┃ out of its column at ({x}, {y}):\n{screen}"
        );
    }
    screen
}

/// [`check_frame`] once the screen has settled: the program draws a frame, then redraws the
/// rows whose clusters tmux lays out differently (`ui/redraw.rs`), so a look between the two
/// can see a row not yet redrawn. Looks again until the frame holds or a generous deadline
/// passes, then checks it for good (a frame that never holds fails, with its screen).
fn settled_frame(s: &Session, what: &str, cut: bool) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let tried =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_frame(s, what, cut)));
        std::panic::set_hook(hook);
        if let Ok(screen) = tried {
            return screen;
        }
    }
    check_frame(s, what, cut)
}

#[test]
fn the_transcript_of_hard_text_keeps_every_border_in_its_column() {
    if !common::require("tmux") {
        return;
    }
    for (w, h) in [(80u16, 24u16), (200, 50)] {
        let home = Home::widths();
        let s = Session::open(&home, w, h, &[], &[]);
        s.wait_for("webapp #7");
        s.send(&["Enter"]);
        s.wait_for("Transcript webapp #7");
        // The Transcript pane focused (a thick border), at the end of the transcript.
        s.send(&["2"]);
        s.wait_until(
            |screen| screen.contains("┏ Transcript webapp #7") && screen.contains("all:"),
            "the transcript focused, at its end",
        );
        let mut seen = settled_frame(&s, &format!("{w}×{h} wrapped"), false);
        s.send(&["w"]);
        s.wait_for("no wrap");
        seen += &settled_frame(&s, &format!("{w}×{h} cut"), true);
        s.send(&["g"]);
        s.wait_for(" ascii:");
        seen += &settled_frame(&s, &format!("{w}×{h} cut, from the top"), true);
        s.send(&["w"]);
        s.wait_until(|screen| !screen.contains("no wrap"), "wrapping again");
        seen += &settled_frame(&s, &format!("{w}×{h} wrapped, from the top"), false);
        // The text reached tmux whole: joiners, ZWNJ and flags, VS16 dropped. (A skin tone
        // is laid out in two columns, as ratatui and most terminals draw it; tmux 3.3 puts the
        // modifier in cells of its own, which the next cell overwrites, so it shows the hand.)
        for kept in [
            "👨\u{200d}👩\u{200d}👧",
            "👩\u{200d}🔬",
            "🇺🇸",
            "skin: 👍",
            "نیم\u{200c}فاصله",
            "क्षत्रिय",
            "⚠ ✔ ❤",
        ] {
            assert!(seen.contains(kept), "{w}×{h}: {kept:?} not shown:\n{seen}");
        }
    }
}
