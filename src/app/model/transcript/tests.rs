//! Tests of the transcript pane on real files.

use super::*;
use std::io::Write;

fn write(path: &Path, text: &str) {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
}

/// A fixed clock: these tests never read the wall clock.
fn now() -> DateTime<Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// Runs the reads the pane asked for (as the transcript worker would) and feeds the replies
/// back, until it asks for nothing more.
fn settle(pane: &mut TranscriptPane) {
    use crate::app::event::Msg;
    use crate::app::outcome::Outcome;
    use std::sync::{Arc, Mutex};
    loop {
        let effects = pane.take_effects();
        if effects.is_empty() {
            return;
        }
        let replies: Arc<Mutex<Vec<Msg>>> = Arc::default();
        let sink = {
            let replies = Arc::clone(&replies);
            crate::app::work::Sink::new(move |m| replies.lock().unwrap().push(m))
        };
        for effect in effects {
            crate::app::work::execute(effect, &sink);
        }
        for msg in std::mem::take(&mut *replies.lock().unwrap()) {
            match msg {
                Msg::Done(Outcome::Transcript(reply)) => {
                    pane.apply(reply, now());
                }
                Msg::Done(Outcome::Search(update)) => {
                    pane.apply_search(update);
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }
}

fn run_search(pane: &mut TranscriptPane) {
    settle(pane);
}

#[test]
fn follows_searches_and_jumps_to_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(TRANSCRIPT_FILE);
    write(
        &path,
        "{\"type\":\"start\",\"run_id\":1,\"content\":\"Hello\"}\n{\"type\":\"error\",\"run_id\":1,\"error\":\"boom\"}\nnot json\n",
    );
    let mut pane = TranscriptPane::default();
    pane.open(dir.path().to_path_buf(), "r/1".into());
    settle(&mut pane);
    assert_eq!(pane.len(), 3);
    assert!(pane.is_whole());
    assert_eq!(pane.lines()[2].number, Some(3));
    assert_eq!(pane.cursor, 2, "following puts the cursor on the last line");
    assert!(pane.move_by(-2));
    settle(&mut pane);
    assert!(!pane.follow);
    assert_eq!(pane.step_error(true), Found::Here);
    assert_eq!(pane.cursor, 1);
    assert_eq!(pane.step_error(true), Found::Here);
    assert_eq!(pane.cursor, 2, "unreadable lines count as trouble");
    pane.first();
    settle(&mut pane);
    pane.search_for("hello");
    run_search(&mut pane);
    assert_eq!(pane.search.as_ref().unwrap().matches, vec![0]);
    assert_eq!(pane.cursor, 0);
    pane.search_for("HELLO");
    run_search(&mut pane);
    assert!(
        pane.search.as_ref().unwrap().matches.is_empty(),
        "smart case"
    );
    write(&path, "{\"type\":\"end\",\"run_id\":1}\n");
    pane.refresh();
    settle(&mut pane);
    assert_eq!(pane.len(), 4);
    assert_eq!(pane.cursor, 0, "not following: the cursor stays");
    pane.last();
    settle(&mut pane);
    write(&path, "{\"type\":\"end\",\"run_id\":1}");
    pane.refresh();
    settle(&mut pane);
    assert_eq!(pane.len(), 4);
    assert!(pane.next_check(now()).is_some());
    pane.accept_unterminated(now() + chrono::Duration::seconds(2));
    settle(&mut pane);
    assert_eq!((pane.len(), pane.cursor), (5, 4));
}

#[test]
fn a_big_file_is_windowed_and_scrolls_back_to_its_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(TRANSCRIPT_FILE);
    let mut text = String::new();
    for n in 1..=20_000 {
        if n == 7 {
            text.push_str("{\"type\":\"error\",\"run_id\":1,\"error\":\"early trouble\"}\n");
        } else {
            text.push_str(&format!(
                "{{\"type\":\"iteration\",\"run_id\":1,\"iteration\":{n}}}\n"
            ));
        }
    }
    write(&path, &text);
    let mut pane = TranscriptPane::default();
    pane.open(dir.path().to_path_buf(), "r/1".into());
    settle(&mut pane);
    assert!(!pane.is_whole());
    assert!(pane.len() <= crate::app::work::window::LOAD_LINES);
    let last = &pane.lines()[pane.cursor];
    assert!(matches!(&last.content, LineContent::Entry(e) if e.iteration == 20_000));
    assert_eq!(
        last.number, None,
        "line numbers are unknown without reading from the start"
    );
    assert_eq!(
        pane.step_error(false),
        Found::Looking,
        "e/E look beyond the window"
    );
    settle(&mut pane);
    assert!(
        matches!(&pane.lines()[pane.cursor].content, LineContent::Entry(e) if e.error == "early trouble")
    );
    pane.last();
    settle(&mut pane);
    for _ in 0..100 {
        pane.move_by(-400);
        settle(&mut pane);
    }
    assert_eq!(pane.cursor, 0);
    assert!(matches!(&pane.lines()[0].content, LineContent::Entry(e) if e.iteration == 1));
    assert_eq!(pane.lines()[0].number, Some(1));
    assert!(pane.len() <= load::WINDOW_LINES + crate::app::work::window::LOAD_LINES);
    pane.search_for("early trouble");
    run_search(&mut pane);
    assert_eq!(pane.search.as_ref().unwrap().matches.len(), 1);
    pane.last();
    settle(&mut pane);
    assert!(pane.step_match(false));
    settle(&mut pane);
    assert!(
        matches!(&pane.lines()[pane.cursor].content, LineContent::Entry(e) if e.error == "early trouble")
    );
    write(&path, "{\"type\":\"end\",\"run_id\":1}\n");
    pane.last();
    settle(&mut pane);
    pane.refresh();
    settle(&mut pane);
    assert!(
        matches!(&pane.lines()[pane.cursor].content, LineContent::Entry(e) if e.entry_type == crate::persist::run::EntryType::End)
    );
}

#[test]
fn a_transcript_written_after_the_pane_opened_appears() {
    let dir = tempfile::tempdir().unwrap();
    let mut pane = TranscriptPane::default();
    pane.open(dir.path().to_path_buf(), "r/1".into());
    settle(&mut pane);
    assert!(pane.error.is_none(), "a missing transcript is not an error");
    assert!(!pane.exists && pane.is_empty());
    write(
        &dir.path().join(TRANSCRIPT_FILE),
        "{\"type\":\"start\",\"run_id\":1,\"content\":\"late\"}\n",
    );
    pane.refresh();
    settle(&mut pane);
    assert_eq!(pane.len(), 1);
    assert_eq!(pane.lines()[0].number, Some(1));
}

#[test]
fn an_unreadable_transcript_is_retried_on_the_next_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(TRANSCRIPT_FILE);
    std::fs::create_dir(&path).unwrap();
    let mut pane = TranscriptPane::default();
    pane.open(dir.path().to_path_buf(), "r/1".into());
    settle(&mut pane);
    assert!(
        pane.error
            .as_deref()
            .is_some_and(|e| e.contains("transcript.jsonl"))
    );
    std::fs::remove_dir(&path).unwrap();
    write(
        &path,
        "{\"type\":\"start\",\"run_id\":1,\"content\":\"ok\"}\n",
    );
    pane.refresh();
    settle(&mut pane);
    assert!(pane.error.is_none(), "{:?}", pane.error);
    assert_eq!(pane.len(), 1);
}

/// A pane on a transcript of `lines` lines that all say `needle`, searched for it.
fn searched_needles(dir: &Path, lines: usize) -> TranscriptPane {
    let line = "{\"type\":\"result\",\"run_id\":1,\"content\":\"needle\"}\n";
    std::fs::write(dir.join(TRANSCRIPT_FILE), line.repeat(lines)).unwrap();
    let mut pane = TranscriptPane::default();
    pane.open(dir.to_path_buf(), "r/1".into());
    settle(&mut pane);
    pane.search_for("needle");
    run_search(&mut pane);
    pane
}

#[test]
fn a_search_keeps_the_first_ten_thousand_matches_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut pane = searched_needles(dir.path(), super::MAX_MATCHES + 500);
    let s = pane.search.as_ref().unwrap();
    assert_eq!(s.matches.len(), super::MAX_MATCHES);
    assert!(s.capped && s.done, "stopped at the cap");
    assert!(s.cancel.load(std::sync::atomic::Ordering::Relaxed));
    assert_eq!(s.matches[0], 0, "the first ones");
    assert_eq!(s.count(), "the first 10000");
    // A line appended after the cap adds no match past the first ones.
    let line = "{\"type\":\"result\",\"run_id\":1,\"content\":\"needle\"}\n";
    write(&dir.path().join(TRANSCRIPT_FILE), line);
    pane.refresh();
    settle(&mut pane);
    assert_eq!(
        pane.search.as_ref().unwrap().matches.len(),
        super::MAX_MATCHES
    );

    // Exactly as many as the cap: all of them, not capped.
    let dir = tempfile::tempdir().unwrap();
    let pane = searched_needles(dir.path(), super::MAX_MATCHES);
    let s = pane.search.as_ref().unwrap();
    assert_eq!((s.matches.len(), s.capped), (super::MAX_MATCHES, false));
    assert_eq!(s.count(), "10000");
}
