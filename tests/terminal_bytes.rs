//! Terminal safety at the byte level: hostile agent text (run titles, repo paths, agent names,
//! transcript content, unreadable lines, bead titles, fail reasons) is drawn through the real
//! crossterm backend into a byte buffer, and the exact bytes are checked. The only escape
//! sequences that may appear are the ones the backend itself emits for drawing (cursor
//! positioning, SGR styles, cursor show/hide); no OSC, DCS, APC, PM or SOS string, no screen
//! clear, no bracketed-paste marker, no C0 or C1 control other than ESC, no bidi control.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::act as apply;
use beadboard::app::action::Action;
use beadboard::app::model::{Model, Pane};
use beadboard::persist::assignment::AssignmentStore;
use beadboard::persist::run::{Manager, Paths, RunConfig};
use common::dash::{Home, now};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::cell::RefCell;
use std::rc::Rc;

/// Every attack we know of, in one string.
const HOSTILE: &str = concat!(
    "A\u{1b}]0;pwned-title\u{7}",  // OSC title change ended by BEL
    "B\u{1b}]2;pwned-st\u{1b}\\",  // OSC ended by ST
    "C\u{1b}[2J\u{1b}[3J\u{1b}[H", // clear screen and scrollback, home
    "D\u{1b}[10;10H\u{1b}[5A\u{1b}[s\u{1b}[u", // cursor moves, save/restore
    "E\u{1b}[200~rm -rf ~\u{1b}[201~", // bracketed-paste trick
    "F\u{9b}2J\u{9d}0;c1-title\u{9c}", // C1 CSI, OSC and ST
    "G\u{1b}P+q544e\u{1b}\\",      // DCS request
    "H\u{1b}_apc\u{1b}\\\u{1b}^pm\u{1b}\\\u{1b}Xsos\u{1b}\\", // APC, PM, SOS
    "I\u{1b}]8;;http://evil\u{1b}\\link\u{1b}]8;;\u{1b}\\", // hyperlink
    "J\u{202e}evil\u{202c}\u{2066}x\u{2069}\u{200f}", // bidi overrides and isolates
    "K\u{7}\u{8}\u{0}\u{7f}\u{1b}c", // BEL, backspace, NUL, DEL, full reset
    "L\u{1b}[?1049l\u{1b}[?25l\u{1b}[?1000h", // leave alternate screen, hide cursor, mouse
    "M\u{1b}[31mred\u{1b}[0m\u{1b}[6n", // colours (allowed as styles) and a device report
    "N\r\nO\rP\tQ",
    "R\u{1b}(B\u{1b})0\u{1b}#8\u{1b}=", // charset designations, DECALN, keypad mode
    "S\u{1b}[1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;2J", // a 100-byte CSI
    "T\u{9b}2\n\nJ", // a C1 CSI with line breaks inside
    "U\u{1b}]52;c;cm0gLXJmIH4K\u{7}\u{1b}]52;c;?\u{1b}\\", // OSC 52 clipboard write and read
    "V\u{1b}]8;;http://evil/\u{9c}link\u{9d}8;;\u{7}", // OSC 8 with C1 and BEL terminators
    "W\u{1b}Pq#0;2;0;0;0#0~~\u{1b}\\\u{90}1000p\u{9c}", // sixel and C1 DCS
    "X\u{200b}\u{2060}\u{feff}\u{ad}\u{61c}\u{e0041}\u{e0042}", // invisibles, tag letters
    "Y⚠\u{fe0f}👨\u{200d}👩\u{200d}👧 نیم\u{200c}فاصله 👍🏽", // joiners and skin tones (kept)
    "Z\u{1b}]0;pwned-unterminated", // an OSC never ended
);

/// Letters that must survive in order once the attack text is made inert.
const SURVIVORS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// A sandbox where every piece of text the dashboard shows came from an attacker.
fn hostile_home() -> Home {
    let home = Home::empty();
    let config = RunConfig {
        primary_agent: format!("codex{HOSTILE}"),
        ..RunConfig::default()
    };
    let run = Manager::new(Paths::new(home.agentpair()), format!("/repo/{HOSTILE}"))
        .create(&format!("title {HOSTILE}"), &config)
        .unwrap();
    let t = &run.transcript;
    t.log_result("codex", 1, HOSTILE, std::time::Duration::from_secs(1))
        .unwrap();
    t.log_error(&format!("claude{HOSTILE}"), 1, HOSTILE)
        .unwrap();
    t.log_signal("codex", 1, &format!("DONE{HOSTILE}")).unwrap();
    let mut raw = std::fs::OpenOptions::new()
        .append(true)
        .open(t.path())
        .unwrap();
    std::io::Write::write_all(&mut raw, format!("not json {HOSTILE}\n").as_bytes()).unwrap();
    std::io::Write::write_all(&mut raw, b"\xff\xfe\x1b]0;bytes\x07\x9b2J\n").unwrap();
    let mut store = AssignmentStore::new(&home.ntm(), "evil").unwrap();
    store
        .assign(
            "wa-1",
            HOSTILE,
            1,
            &format!("claude{HOSTILE}"),
            HOSTILE,
            HOSTILE,
        )
        .unwrap();
    store.assign("wa-2", HOSTILE, 2, "codex", "n", "").unwrap();
    store.mark_working("wa-2").unwrap();
    store.mark_failed("wa-2", HOSTILE).unwrap();
    home
}

/// A writer whose bytes stay readable after the backend has taken it.
#[derive(Clone, Default)]
struct Captured(Rc<RefCell<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Draws `model` through the crossterm backend and returns the bytes it wrote.
fn bytes_written(model: &Model) -> Vec<u8> {
    let captured = Captured::default();
    let backend = CrosstermBackend::new(captured.clone());
    let mut terminal = Terminal::with_options(
        backend,
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(
                0,
                0,
                model.size.0,
                model.size.1,
            )),
        },
    )
    .unwrap();
    terminal
        .draw(|f| beadboard::ui::render(f, model, &common::dash::theme(), now()))
        .unwrap();
    drop(terminal);
    captured.0.take()
}

/// Checks the byte stream: returns the printable text (escape sequences removed) or fails
/// naming the first forbidden sequence.
fn check_stream(bytes: &[u8], what: &str) -> String {
    let text = std::str::from_utf8(bytes)
        .unwrap_or_else(|e| panic!("{what}: the backend wrote invalid UTF-8: {e}"));
    let mut printable = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let context = || text[at..].chars().take(24).collect::<String>();
        if c == '\u{1b}' {
            let Some((_, '[')) = chars.next() else {
                panic!(
                    "{what}: escape that is not CSI at byte {at}: {:?}",
                    context()
                );
            };
            let mut params = String::new();
            let final_byte = loop {
                match chars.next() {
                    Some((_, p)) if ('\u{20}'..='\u{3f}').contains(&p) => params.push(p),
                    Some((_, f)) => break f,
                    None => panic!("{what}: unterminated CSI at byte {at}"),
                }
            };
            let allowed = match final_byte {
                'H' | 'm' => params.chars().all(|p| p.is_ascii_digit() || p == ';'),
                'h' | 'l' => params == "?25",
                _ => false,
            };
            assert!(
                allowed,
                "{what}: forbidden CSI {params:?}{final_byte} at byte {at}: {:?}",
                context()
            );
            continue;
        }
        assert!(
            !beadboard::present::sanitize::is_unsafe(c),
            "{what}: raw control {c:?} (U+{:04X}) at byte {at}: {:?}",
            c as u32,
            context()
        );
        printable.push(c);
    }
    printable
}

fn assert_inert(model: &Model, what: &str) -> String {
    let printable = check_stream(&bytes_written(model), what);
    for leaked in [
        "pwned",
        "c1-title",
        "544e",
        "apc",
        "pm",
        "sos",
        "http://evil",
        "[2J",
        "1;1;1",
        "cm0g",
        "1000p",
        "#0~~",
        "\u{e0041}",
        "\u{fe0f}",
    ] {
        assert!(
            !printable.contains(leaked),
            "{what}: payload {leaked:?} printed: {printable}"
        );
    }
    printable
}

/// The letters of [`SURVIVORS`] appear in order in `printable` (the text around the attacks
/// is kept, not the whole line dropped).
fn survives(printable: &str) -> bool {
    let squeezed: String = printable.chars().filter(char::is_ascii_uppercase).collect();
    squeezed.contains(SURVIVORS)
}

#[test]
fn every_pane_writes_only_drawing_sequences() {
    let home = hostile_home();
    let mut model = home.model(200, 50, true);
    let wide = assert_inert(&model, "wide layout");
    assert!(wide.contains("title A"), "the run title is shown: {wide}");
    apply(&mut model, Action::OpenTranscript, now());
    let transcript = assert_inert(&model, "transcript");
    assert!(
        transcript.contains("rm -rf ~") && transcript.contains("red"),
        "text between the sequences is kept: {transcript}"
    );
    apply(&mut model, Action::First, now());
    apply(&mut model, Action::ExpandEntry, now());
    let expanded = assert_inert(&model, "expanded entry");
    assert!(
        survives(&expanded),
        "expanded entry keeps the text: {expanded}"
    );
    // (Spaces are not written: the backend moves the cursor over blank cells.)
    for kept in ["Y⚠👨\u{200d}👩\u{200d}👧", "نیم\u{200c}فاصله", "👍🏽Z"] {
        assert!(
            expanded.contains(kept),
            "joiners and skin tones are kept, VS16 dropped: {kept:?} in {expanded}"
        );
    }
    model.overlay = None;
    apply(&mut model, Action::Last, now());
    apply(&mut model, Action::ExpandEntry, now());
    assert_inert(&model, "expanded unreadable line");
}

#[test]
fn board_and_narrow_layouts_write_only_drawing_sequences() {
    let home = hostile_home();
    let mut model = home.model(80, 24, true);
    model.focus = Pane::Board;
    let board = assert_inert(&model, "board at 80x24");
    assert!(board.contains("wa-1") && board.contains("wa-2"), "{board}");
    apply(&mut model, Action::Remove, now());
    assert_inert(&model, "confirm dialog naming a hostile card");
    let mut colourless = home.model(120, 30, false);
    colourless.focus = Pane::Board;
    let plain = check_stream(&bytes_written(&colourless), "no colour");
    assert!(plain.contains("wa-2"), "{plain}");
}

#[test]
fn the_checker_catches_what_it_should() {
    let caught = |bytes: &[u8]| {
        std::panic::catch_unwind(|| {
            check_stream(bytes, "probe");
        })
        .is_err()
    };
    assert!(caught(b"\x1b]0;t\x07"), "OSC");
    assert!(caught(b"\x1b[2J"), "clear");
    assert!(caught(b"\x1b[200~"), "bracketed paste");
    assert!(caught("\u{9b}2J".as_bytes()), "C1");
    assert!(caught("\u{202e}".as_bytes()), "bidi");
    assert!(caught(b"\x07"), "BEL");
    assert!(
        !caught(b"\x1b[1;1H\x1b[38;5;1mok\x1b[0m\x1b[?25l"),
        "drawing sequences"
    );
}
