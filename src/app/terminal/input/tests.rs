//! The input reader over pipes and pseudo-terminals: keys, a lone Esc, sequences split across
//! reads, mouse reports, and every way the input can end (EOF, hangup, EIO), none of which
//! may leave the reader looping.

use super::*;
use crate::app::keymap::Key;
use crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEventKind};
use std::io::Write;
use std::os::fd::OwnedFd;

fn key(msg: Msg) -> Key {
    match msg {
        Msg::Key(event) => Key::from_event(&event).unwrap(),
        other => panic!("expected a key, got {other:?}"),
    }
}

fn keys<F: AsFd>(reader: &mut Reader<F>, n: usize) -> Vec<Key> {
    (0..n).map(|_| key(reader.next_event().unwrap())).collect()
}

#[test]
fn keys_arrive_as_the_keymap_reads_them() {
    let (rx, mut tx) = std::io::pipe().unwrap();
    tx.write_all(b"jG\x1b[A\x1a\r\x1b[Z").unwrap();
    let mut reader = Reader::new(rx);
    assert_eq!(
        keys(&mut reader, 6),
        [
            Key::char('j'),
            Key::char('G'),
            Key::code(KeyCode::Up),
            Key::ctrl('z'),
            Key::code(KeyCode::Enter),
            Key::code(KeyCode::BackTab),
        ]
    );
}

#[test]
fn a_lone_esc_arrives_as_esc() {
    let (rx, mut tx) = std::io::pipe().unwrap();
    let mut reader = Reader::new(rx);
    // The writer stays open: the Esc is not settled by the end of input.
    tx.write_all(b"\x1b").unwrap();
    assert_eq!(key(reader.next_event().unwrap()), Key::code(KeyCode::Esc));
    tx.write_all(b"q").unwrap();
    assert_eq!(key(reader.next_event().unwrap()), Key::char('q'));
    // Esc and a key written together are Alt and the key, as a terminal sends Alt-q.
    tx.write_all(b"\x1bq").unwrap();
    let Msg::Key(alt) = reader.next_event().unwrap() else {
        panic!("expected a key")
    };
    assert_eq!(
        (alt.code, alt.modifiers),
        (KeyCode::Char('q'), KeyModifiers::ALT)
    );
}

#[test]
fn an_esc_that_ends_a_full_read_waits_for_the_rest() {
    let (rx, mut tx) = std::io::pipe().unwrap();
    // One byte per read: every read is full, so each Esc may begin a sequence.
    let mut reader = Reader::with_chunk(rx, 1);
    tx.write_all(b"\x1b").unwrap();
    // Nothing follows: after the short wait it is Esc.
    assert_eq!(key(reader.next_event().unwrap()), Key::code(KeyCode::Esc));
    tx.write_all(b"\x1b[A").unwrap();
    assert_eq!(key(reader.next_event().unwrap()), Key::code(KeyCode::Up));
}

#[test]
fn escape_sequences_split_across_reads_are_one_key_each() {
    let (rx, mut tx) = std::io::pipe().unwrap();
    tx.write_all(b"\x1b[1;5A\x1b[B\x1b[6~k").unwrap();
    // One byte per read: every sequence arrives in pieces.
    let mut reader = Reader::with_chunk(rx, 1);
    let Msg::Key(ctrl_up) = reader.next_event().unwrap() else {
        panic!("expected a key")
    };
    assert_eq!(ctrl_up.code, KeyCode::Up);
    assert_eq!(ctrl_up.modifiers, KeyModifiers::CONTROL);
    assert_eq!(
        keys(&mut reader, 3),
        [
            Key::code(KeyCode::Down),
            Key::code(KeyCode::PageDown),
            Key::char('k')
        ]
    );
}

#[test]
fn mouse_reports_become_mouse_messages() {
    let (rx, mut tx) = std::io::pipe().unwrap();
    tx.write_all(b"\x1b[<0;10;5M\x1b[<65;3;4M").unwrap();
    let mut reader = Reader::new(rx);
    let Msg::Mouse(click) = reader.next_event().unwrap() else {
        panic!("expected a mouse event")
    };
    assert_eq!(click.kind, MouseEventKind::Down(MouseButton::Left));
    assert_eq!((click.column, click.row), (9, 4));
    let Msg::Mouse(wheel) = reader.next_event().unwrap() else {
        panic!("expected a mouse event")
    };
    assert_eq!(wheel.kind, MouseEventKind::ScrollDown);
}

#[test]
fn end_of_file_delivers_what_was_typed_then_stops() {
    let (rx, mut tx) = std::io::pipe().unwrap();
    tx.write_all(b"q").unwrap();
    drop(tx);
    let mut reader = Reader::new(rx);
    assert_eq!(key(reader.next_event().unwrap()), Key::char('q'));
    assert!(matches!(reader.next_event(), Err(Lost::EndOfFile)));
}

/// The forwarding thread ends on a lost input (joining it proves it does not loop), records the
/// reason for the watchdog and tells the event loop.
fn forward_until_lost(fd: impl AsFd + Send + 'static, lose: impl FnOnce()) -> (Vec<Msg>, Shutdown) {
    let (tx, rx) = std::sync::mpsc::channel();
    let shutdown = Shutdown::new();
    let thread = {
        let shutdown = shutdown.clone();
        std::thread::spawn(move || forward(Reader::new(fd), &tx, &shutdown))
    };
    lose();
    thread.join().unwrap();
    (rx.try_iter().collect(), shutdown)
}

#[test]
fn a_closed_pipe_stops_the_forwarder() {
    let (rx, tx) = std::io::pipe().unwrap();
    let (msgs, shutdown) = forward_until_lost(rx, move || drop(tx));
    let reason = "the terminal is gone (end of input)";
    assert_eq!(
        format!("{:?}", msgs),
        format!("{:?}", [Msg::Stop(reason.into())])
    );
    assert_eq!(shutdown.requested(), Some(Stop::Lost(reason.into())));
}

/// A pseudo-terminal pair with the terminal side in raw mode, as the dashboard sets it.
fn pty() -> (OwnedFd, OwnedFd) {
    use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let tty: OwnedFd = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOCTTY)
        .open(name.to_str().unwrap())
        .unwrap()
        .into();
    let mut modes = rustix::termios::tcgetattr(&tty).unwrap();
    modes.make_raw();
    rustix::termios::tcsetattr(&tty, rustix::termios::OptionalActions::Now, &modes).unwrap();
    (master, tty)
}

use std::os::unix::fs::OpenOptionsExt;

#[test]
fn a_hung_up_terminal_delivers_what_was_typed_then_stops() {
    let (master, tty) = pty();
    rustix::io::write(&master, b"x").unwrap();
    let mut reader = Reader::new(tty);
    assert_eq!(key(reader.next_event().unwrap()), Key::char('x'));
    // The terminal's other end goes away, as when the tmux server is killed: Linux hangs the
    // terminal up, and its reads return 0 from then on (the case crossterm retries forever).
    drop(master);
    assert!(matches!(reader.next_event(), Err(Lost::EndOfFile)));
}

#[test]
fn eio_stops_the_reader() {
    // Reading a pseudo-terminal's master once its terminal side is closed fails with EIO.
    let (master, tty) = pty();
    rustix::io::write(&tty, b"y").unwrap();
    let mut reader = Reader::new(master);
    assert_eq!(key(reader.next_event().unwrap()), Key::char('y'));
    drop(tty);
    match reader.next_event() {
        Err(Lost::Error(e)) => assert_eq!(e, Errno::IO),
        other => panic!("expected EIO, got {other:?}"),
    }
}

#[test]
fn a_hangup_while_waiting_stops_the_forwarder() {
    let (master, tty) = pty();
    let (msgs, shutdown) = forward_until_lost(tty, move || drop(master));
    let reason = "the terminal is gone (end of input)";
    assert_eq!(
        format!("{:?}", msgs),
        format!("{:?}", [Msg::Stop(reason.into())])
    );
    assert_eq!(shutdown.requested(), Some(Stop::Lost(reason.into())));
}

#[test]
fn an_error_while_waiting_stops_the_forwarder() {
    let (master, tty) = pty();
    let (msgs, shutdown) = forward_until_lost(master, move || drop(tty));
    let Some(Stop::Lost(reason)) = shutdown.requested() else {
        panic!("no stop recorded")
    };
    assert!(
        reason.starts_with("the terminal is gone (reading input failed: "),
        "{reason}"
    );
    assert_eq!(format!("{:?}", msgs), format!("{:?}", [Msg::Stop(reason)]));
}
