//! Other hosts' cards: two hosts' beads kept apart, a move sent to the card's host with the
//! state it showed, refusals and Esc, a remote run's transcript by tails, and a board with
//! no local machine.

use super::*;

fn bead(session: &str, bead: &str, to: Option<&str>) -> Value {
    let mut v = json!({"event": "bead", "at": "2026-03-30T08:59:00Z", "kind": "bead",
        "session": session, "name": bead, "reference": format!("{session}/{bead}"),
        "title": "Do it", "pane": 2, "agent": "claude", "bead": bead});
    if let Some(to) = to {
        v["to"] = json!(to);
    }
    v
}

#[test]
fn two_hosts_same_bead_are_two_cards_that_never_name_a_local_store() {
    use crate::app::model::CardKey;
    let mut m = model(&["gpu1", "gpu2"]);
    let now = at("2026-03-30T09:00:01Z");
    for host in ["gpu1", "gpu2"] {
        step(
            &mut m,
            snapshot(host, vec![bead("webapp", "wa-1", Some("assigned"))]),
            now,
        );
    }
    let one = CardKey::on_host("gpu1", "webapp", "wa-1");
    let two = CardKey::on_host("gpu2", "webapp", "wa-1");
    assert_eq!(m.board.remote_card(&one).unwrap().host, "gpu1");
    assert_eq!(m.board.remote_card(&two).unwrap().host, "gpu2");
    assert_eq!(one.shown_id(), "gpu1:wa-1");
    // No local record is ever found for a remote key (a key never acts on a local store).
    assert!(m.board.card(&one).is_none());
    let placed: Vec<&CardKey> = m.board.columns().iter().flat_map(|c| c.ids).collect();
    assert!(
        placed.contains(&&one) && placed.contains(&&two),
        "{placed:?}"
    );
    // A move shows in its column; a removal takes it off; a snapshot replaces the host's.
    step(
        &mut m,
        event("gpu1", bead("webapp", "wa-1", Some("working"))),
        now,
    );
    assert_eq!(
        m.board.remote_card(&one).unwrap().status,
        crate::persist::assignment::AssignmentStatus::Working
    );
    let attention = json!({"event": "attention", "at": "2026-03-30T08:59:00Z", "kind": "bead",
        "name": "wa-1", "reference": "webapp/wa-1", "level": "attention", "previous": "fine",
        "reason": "not started for 12m", "reason_code": "not_started", "key": "k",
        "state": "working", "session": "webapp", "new": true, "id": "webapp/wa-1"});
    step(&mut m, event("gpu1", attention), now);
    assert_eq!(
        m.board.remote_card(&one).unwrap().attention.as_deref(),
        Some("not started for 12m")
    );
    step(&mut m, event("gpu2", bead("webapp", "wa-1", None)), now);
    assert!(m.board.remote_card(&two).is_none());
    step(
        &mut m,
        snapshot("gpu1", vec![bead("ml", "ml-2", Some("failed"))]),
        now,
    );
    assert!(m.board.remote_card(&one).is_none());
    assert!(
        m.board
            .remote_card(&CardKey::on_host("gpu1", "ml", "ml-2"))
            .is_some()
    );
    // The filter finds cards by host.
    m.board.set_filter("gpu1".to_owned());
    let shown: usize = m.board.columns().iter().map(|c| c.ids.len()).sum();
    assert_eq!(shown, 1);
}

/// A model with gpu1's card `webapp/wa-1` (assigned) selected on the board.
fn with_remote_card() -> (Model, crate::app::model::CardKey) {
    let mut m = model(&["gpu1"]);
    let now = at("2026-03-30T09:00:01Z");
    step(
        &mut m,
        snapshot("gpu1", vec![bead("webapp", "wa-1", Some("assigned"))]),
        now,
    );
    let key = crate::app::model::CardKey::on_host("gpu1", "webapp", "wa-1");
    m.board.follow(key.clone());
    m.focus = crate::app::model::Pane::Board;
    (m, key)
}

/// The host move `effects` ask for: its host, id and move.
fn sent(effects: Vec<crate::app::effect::Effect>) -> (String, u64, crate::remote::protocol::Move) {
    let mut moves = effects.into_iter().filter_map(|e| match e {
        crate::app::effect::Effect::HostMove { host, id, mv } => Some((host, id, *mv)),
        _ => None,
    });
    let one = moves.next().expect("a host move");
    assert!(moves.next().is_none());
    one
}

fn say(m: &Model) -> String {
    m.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn a_move_on_a_remote_card_goes_to_its_host_with_the_state_it_showed() {
    use crate::app::action::Action;
    use crate::app::update::{apply, update};
    use crate::remote::protocol::{MoveAction, MoveOutcome, MoveResult};
    let (mut m, key) = with_remote_card();
    let now = at("2026-03-30T09:00:02Z");
    // `s` asks first, as on this machine; `y` sends it.
    apply(&mut m, Action::Start, now);
    assert!(matches!(
        m.overlay,
        Some(crate::app::model::Overlay::Confirm(_))
    ));
    assert!(m.take_effects().is_empty());
    apply(&mut m, Action::Confirm, now);
    let (host, id, mv) = sent(m.take_effects());
    assert_eq!(host, "gpu1");
    assert_eq!((mv.session.as_str(), mv.bead.as_str()), ("webapp", "wa-1"));
    assert_eq!(mv.action, MoveAction::Start);
    assert_eq!(mv.expected.status.as_deref(), Some("assigned"));
    assert_eq!(mv.expected.pane, Some(2));
    // While it is under way the card says so; the host's wait shows.
    let waiting = said(Update::Waiting {
        host: "gpu1".to_owned(),
        id,
        what: "NTM's lock on wa-1".to_owned(),
    });
    update(&mut m, waiting, now);
    let pending = m.remote_write(&key).unwrap().describe();
    assert!(
        pending.contains("gpu1:wa-1") && pending.contains("NTM's lock on wa-1 on gpu1"),
        "{pending}"
    );
    // A second key on it waits for the first.
    apply(&mut m, Action::Retry, now);
    assert!(say(&m).contains("still under way"), "{}", say(&m));
    // The answer is said as a local one is.
    let mut outcome = MoveOutcome::of(&mv, MoveResult::Applied);
    outcome.lines = vec!["wa-1: started · ▶ working".to_owned()];
    update(
        &mut m,
        said(Update::Moved {
            host: "gpu1".to_owned(),
            id,
            key: String::new(),
            outcome,
        }),
        now,
    );
    assert!(m.remote_write(&key).is_none());
    assert_eq!(say(&m), "gpu1: wa-1: started · ▶ working");
    // Another host's answer with that id is not this one's.
    assert!(m.writes.is_empty());
}

#[test]
fn a_refusal_is_said_and_esc_stops_waiting() {
    use crate::app::action::Action;
    use crate::app::update::{apply, update};
    use crate::remote::protocol::{MoveOutcome, MoveResult};
    let (mut m, key) = with_remote_card();
    let now = at("2026-03-30T09:00:02Z");
    apply(&mut m, Action::Retry, now);
    let (_, id, mv) = sent(m.take_effects());
    let mut refused = MoveOutcome::of(&mv, MoveResult::Refused);
    refused.reason = Some("stale: wa-1 is now completed".to_owned());
    refused.reason_code = Some("stale".to_owned());
    update(
        &mut m,
        said(Update::Moved {
            host: "gpu1".to_owned(),
            id,
            key: String::new(),
            outcome: refused,
        }),
        now,
    );
    assert_eq!(say(&m), "gpu1: stale: wa-1 is now completed");
    assert_eq!(
        m.status.as_ref().map(|s| s.kind),
        Some(crate::app::model::StatusKind::Error)
    );
    // Esc while a move is under way stops waiting for its answer, and says the host may
    // still make it.
    apply(&mut m, Action::Retry, now);
    let _ = sent(m.take_effects());
    assert!(m.remote_write(&key).is_some());
    apply(&mut m, Action::Dismiss, now);
    assert!(m.remote_write(&key).is_none());
    assert!(say(&m).contains("may still make it"), "{}", say(&m));
    // Undo is this machine's only; nothing is sent for it.
    let lost = said(Update::Lost {
        host: "gpu1".to_owned(),
        id: 12345,
        why: "x".to_owned(),
    });
    update(&mut m, lost, now);
    assert!(m.writes.is_empty());
}

#[test]
fn a_remote_runs_transcript_comes_by_a_follow_pushed_by_its_host() {
    use crate::app::effect::Effect;
    use crate::app::model::transcript::FOLLOW_IDS;
    use crate::remote::protocol::{TAIL_MAX, TailChunk};
    let mut m = model(&["gpu1"]);
    let now = at("2026-03-30T09:00:01Z");
    step(
        &mut m,
        snapshot("gpu1", vec![run("abc/4", "api #4", Some("working"))]),
        now,
    );
    m.runs.ensure_selection();
    m.open_selected_transcript();
    // Each follow (with where from) or its end (`None`), and its id.
    let asked = |effects: Vec<Effect>| -> Vec<(Option<Option<u64>>, u64)> {
        effects
            .into_iter()
            .filter_map(|e| match e {
                Effect::Transcript(_) => panic!("a local read for a remote run"),
                Effect::HostFollow {
                    host,
                    run,
                    from,
                    id,
                } => {
                    assert_eq!((host.as_str(), run.as_str()), ("gpu1", "abc/4"));
                    Some((Some(from), id))
                }
                Effect::HostUnfollow { id, .. } => Some((None, id)),
                _ => None,
            })
            .collect()
    };
    let id = FOLLOW_IDS;
    let follow = |from: Option<u64>, id: u64| (Some(from), id);
    // Its last stretch, asked once.
    assert_eq!(asked(m.take_effects()), [follow(None, id)]);
    let size = TAIL_MAX + 10;
    let pushed = |id: u64, from: u64, bytes: &[u8], size: u64| {
        said(Update::Tail {
            host: "gpu1".to_owned(),
            id,
            result: Ok(TailChunk::new("abc/4", from, bytes, size)),
        })
    };
    let update = crate::app::update::update;
    let entry = br#"{"type":"state","state":"working","ts":"2026-03-30T08:59:00Z"}"#;
    let mut bytes = b"end of a cut line\n".to_vec();
    bytes.extend_from_slice(entry);
    bytes.push(b'\n');
    let next = 10 + bytes.len() as u64;
    // The stretch, its cut first line left out: nothing more is asked for, then or at a tick.
    assert!(asked(update(&mut m, pushed(id, 10, &bytes, size), now)).is_empty());
    assert_eq!(m.transcript.len(), 1);
    assert_eq!(m.transcript.lines()[0].offset, 28);
    assert!(asked(update(&mut m, Msg::Tick, now)).is_empty());
    // An append, pushed by the host.
    let more = [entry.as_slice(), b"\n"].concat();
    let grown = next + more.len() as u64;
    assert!(asked(update(&mut m, pushed(id, next, &more, grown), now)).is_empty());
    assert_eq!(m.transcript.len(), 2);
    // Another request's loss leaves the follow; its own loss asks again from where it stood.
    let lost = |id: u64| {
        said(Update::Lost {
            host: "gpu1".to_owned(),
            id,
            why: "the channel closed".to_owned(),
        })
    };
    update(&mut m, lost(5), now);
    assert!(asked(update(&mut m, Msg::Tick, now)).is_empty());
    update(&mut m, lost(id), now);
    assert_eq!(
        asked(update(&mut m, Msg::Tick, now)),
        [follow(Some(grown), id + 1)]
    );
    // A late chunk of the old follow is not taken.
    update(&mut m, pushed(id, grown, &more, grown * 2), now);
    assert_eq!(m.transcript.len(), 2);
    // Another run shown (none here): the follow ends.
    m.transcript.close();
    assert_eq!(asked(m.take_effects()), [(None, id + 1)]);
    assert!(asked(update(&mut m, Msg::Tick, now)).is_empty());
}

#[test]
fn without_this_machine_nothing_local_is_read_and_one_host_needs_no_prefix() {
    let (mut m, now) = fresh();
    m.show_hosts(false, &["gpu1".to_owned()], now);
    assert!(m.take_effects().is_empty(), "no local read is asked for");
    assert!(!m.runs.loading && !m.hosts.several());
    let effects = crate::app::update::update(
        &mut m,
        snapshot("gpu1", vec![run("abc/4", "api #4", Some("working"))]),
        now,
    );
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(names(&m), ["api #4"]);
    // Local changes reported anyway (a stray event) ask for nothing.
    let effects =
        crate::app::update::update(&mut m, Msg::Disk(crate::app::event::Change::Runs), now);
    assert!(effects.is_empty(), "{effects:?}");
}
