//! Other hosts' beads that need a look: counted with this machine's, walked to by `i`,
//! announced once per situation with the host named, acknowledged with `A`, and neither
//! announced again nor kept when a reconnection's snapshot says otherwise.

use super::*;
use crate::app::model::{CardKey, Pane};
use crate::events::Item;

fn bead(session: &str, bead: &str, to: &str) -> Value {
    json!({"event": "bead", "at": "2026-03-30T08:59:00Z", "kind": "bead",
        "session": session, "name": bead, "reference": format!("{session}/{bead}"),
        "title": "Do it", "pane": 2, "agent": "claude", "bead": bead, "to": to})
}

fn flagged(session: &str, bead: &str, code: &str, key: &str) -> Value {
    json!({"event": "attention", "at": "2026-03-30T08:59:00Z", "kind": "bead",
        "name": bead, "reference": format!("{session}/{bead}"), "level": "attention",
        "previous": "fine", "reason": format!("{code} there"), "reason_code": code,
        "key": key, "state": "failed", "session": session, "new": true,
        "id": format!("{session}/{bead}")})
}

/// `host`'s snapshot of `events`, taken at the tests' moment.
fn give_snapshot(m: &mut Model, host: &str, events: Vec<Value>) {
    step(m, snapshot(host, events), at("2026-03-30T09:00:01Z"));
}

/// One event of `host`, taken at the tests' moment.
fn give(m: &mut Model, host: &str, said: Value) {
    step(m, event(host, said), at("2026-03-30T09:00:01Z"));
}

/// `host` flags its `webapp/wa-1` (`code`, situation `key`): the names announced for it.
fn flag(m: &mut Model, host: &str, code: &str, key: &str) -> Vec<String> {
    give(m, host, flagged("webapp", "wa-1", code, key));
    announced(m)
}

/// The names of the attention notices queued, emptying the queue.
fn announced(m: &mut Model) -> Vec<String> {
    std::mem::take(&mut m.notices)
        .into_iter()
        .filter_map(|e| match e {
            Event::Attention {
                name,
                level: Level::Attention,
                new: true,
                ..
            } => Some(name),
            _ => None,
        })
        .collect()
}

#[test]
fn a_hosts_beads_count_are_walked_to_announced_and_acknowledged() {
    let mut m = model(&["gpu1", "gpu2"]);
    let now = at("2026-03-30T09:00:01Z");
    // What the first snapshot finds counts, but is not news.
    let failed = vec![
        bead("webapp", "wa-1", "failed"),
        flagged("webapp", "wa-1", "failed", "failed@1"),
    ];
    let mut first = failed.clone();
    first.push(bead("webapp", "wa-2", "working"));
    give_snapshot(&mut m, "gpu1", first);
    give_snapshot(&mut m, "gpu2", vec![bead("webapp", "wa-1", "working")]);
    assert_eq!(m.observer.attention_count(), 1);
    assert!(announced(&mut m).is_empty());
    // A change after it is news, named with its host; the same bead on gpu2 is another.
    assert_eq!(flag(&mut m, "gpu2", "not_started", "ns@1"), ["gpu2:wa-1"]);
    assert_eq!(m.observer.attention_count(), 2);
    let gpu1 = Item::HostBead {
        host: "gpu1".to_owned(),
        session: "webapp".to_owned(),
        bead: "wa-1".to_owned(),
    };
    let gpu2 = Item::HostBead {
        host: "gpu2".to_owned(),
        session: "webapp".to_owned(),
        bead: "wa-1".to_owned(),
    };
    assert_eq!(m.attention_order(), [gpu1.clone(), gpu2.clone()]);
    // `i` selects the card on the board and says why.
    m.next_attention();
    assert_eq!(m.focus, Pane::Board);
    let selected = m.board.selected_key().cloned();
    assert_eq!(selected, Some(CardKey::on_host("gpu1", "webapp", "wa-1")));
    let said = m.status.as_ref().map(|s| m.status_text(s, now)).unwrap();
    assert!(said.contains("gpu1:wa-1: failed there"), "{said}");
    m.next_attention();
    assert_eq!(m.selected_item(), Some(gpu2.clone()));
    // `A` on the board offers what it shows (both hosts' cards); one acknowledged stops counting.
    assert_eq!(m.shown_needing_attention(), [gpu1.clone(), gpu2.clone()]);
    m.acknowledge(std::slice::from_ref(&gpu1));
    assert_eq!(m.observer.attention_count(), 1);
    assert!(m.observer.standing(&gpu1).unwrap().acknowledged);
    let kept: Vec<Item> = m
        .observer
        .acknowledgements()
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    assert_eq!(kept, std::slice::from_ref(&gpu1));
    // A reconnection's snapshot in the same situation: no news, still acknowledged.
    give_snapshot(&mut m, "gpu1", failed);
    assert!(announced(&mut m).is_empty());
    assert!(m.observer.standing(&gpu1).unwrap().acknowledged);
    // A new situation counts again and is news.
    assert_eq!(flag(&mut m, "gpu1", "failed", "failed@2"), ["gpu1:wa-1"]);
    assert_eq!(m.observer.attention_count(), 2);
    // A snapshot that says nothing of it: fine now; a removed bead no longer counts.
    give_snapshot(&mut m, "gpu1", vec![bead("webapp", "wa-1", "working")]);
    give(
        &mut m,
        "gpu2",
        json!({"event": "bead", "at": "2026-03-30T08:59:00Z",
            "session": "webapp", "name": "wa-1"}),
    );
    assert_eq!(m.observer.attention_count(), 0);
    assert!(m.attention_order().is_empty());
}

#[test]
fn the_card_looked_at_is_not_announced() {
    let mut m = model(&["gpu1"]);
    give_snapshot(&mut m, "gpu1", vec![bead("webapp", "wa-1", "working")]);
    m.focus = Pane::Board;
    m.board.follow(CardKey::on_host("gpu1", "webapp", "wa-1"));
    give(&mut m, "gpu1", flagged("webapp", "wa-1", "failed", "f@1"));
    assert!(
        announced(&mut m).is_empty(),
        "the card looked at is not news"
    );
    // Looking elsewhere, the next situation is news.
    m.focus = Pane::Runs;
    give(&mut m, "gpu1", flagged("webapp", "wa-1", "failed", "f@2"));
    assert_eq!(announced(&mut m), ["gpu1:wa-1"]);
}
