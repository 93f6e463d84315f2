//! Tests of how a schema-9 row is presented: its badges, moves and refusals.

use super::*;
use crate::persist::assignment::StoreDocument;
use crate::persist::assignment::v9::{NtmChoice, NtmRow, NtmSource, NtmView, RowAction};

fn doc(folder: &str) -> StoreDocument {
    crate::persist::assignment::v9::golden_doc(folder)
}

fn texts(row: &NtmRow) -> Vec<String> {
    card_facts(row).into_iter().map(|f| f.text).collect()
}

fn badges(row: &NtmRow) -> Vec<String> {
    card_facts(row)
        .into_iter()
        .map(|f| format!("{} {}", f.glyph, f.badge))
        .collect()
}

#[test]
fn cards_say_what_ntm_is_doing() {
    let d = doc("00-start");
    let row = |b: &str| NtmRow::new(&d.assignments[b]);
    assert_eq!(
        texts(&row("wa-04")),
        ["claiming: unknown claim", "dispatch pending → %5"]
    );
    assert_eq!(badges(&row("wa-04")), ["◔ claim unknown", "⇢ pending %5"]);
    assert_eq!(
        card_note(&row("wa-04")).map(|n| n.text).as_deref(),
        Some("claim: br update --claim: signal: killed (simulated)")
    );
    assert_eq!(texts(&row("wa-03")), ["dispatch pending → %4"]);
    assert_eq!(
        card_note(&row("wa-03")).map(|n| n.text).as_deref(),
        Some("dispatch: pane is not freshly and confidently idle at dispatch (simulated)")
    );
    assert_eq!(texts(&row("wa-01")), ["reservation reserved: 1 path"]);
    assert_eq!(badges(&row("wa-01")), ["⊡ reserved 1 path"]);
    assert_eq!(card_note(&row("wa-01")), None);
    assert_eq!(texts(&row("wa-05")), ["unacknowledged completion event"]);
    assert_eq!(badges(&row("wa-05")), ["✉ unacked event"]);
    // wa-02's reservation is `pending` but not required: NTM never takes that lease.
    assert!(badges(&row("wa-02")).is_empty());
    assert_eq!(card_facts(&row("wa-04"))[0].tone, Tone::Block);
}

#[test]
fn requested_outcomes_and_missing_identities() {
    let d = doc("09-terminal-barrier");
    let wa01 = NtmRow::new(&d.assignments["wa-01"]);
    assert!(texts(&wa01).contains(&"failure requested: beadboard: operator gave up".to_owned()));
    assert!(badges(&wa01).contains(&"⇥ failure requested".to_owned()));
    assert_eq!(
        card_note(&wa01).map(|n| n.text).as_deref(),
        Some("reason: beadboard: operator gave up")
    );
    let legacy = doc("08-legacy-api");
    let wa10 = NtmRow::new(&legacy.assignments["wa-10"]);
    assert_eq!(
        texts(&wa10),
        ["no %N pane identity (pane 13): blocks NTM's assignments in this session"]
    );
    assert_eq!(badges(&wa10), ["⊗ no %N pane"]);
    assert_eq!(card_facts(&wa10)[0].tone, Tone::Block);
    let choice = NtmChoice {
        source: NtmSource::BackupAhead {
            primary_generation: 40,
        },
        generation: 41,
        refusal: None,
        schema: 9,
    };
    let view = NtmView {
        doc: &legacy,
        choice: &choice,
    };
    let store: Vec<String> = store_facts(&view).into_iter().map(|f| f.text).collect();
    assert_eq!(store[0], "schema 9 · generation 41");
    assert!(store[1].starts_with("showing the backup: one generation ahead"));
    assert!(
        store[2].starts_with("⊗ wa-10 without a %N pane identity"),
        "{store:?}"
    );
}

#[test]
fn detail_lines_are_relative_to_the_given_now() {
    let d = doc("00-start");
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-30T00:00:00Z")
        .unwrap()
        .to_utc();
    let lines = detail_facts(&NtmRow::new(&d.assignments["wa-01"]), now);
    let get = |label: &str| {
        lines
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    assert_eq!(get("status"), "○ assigned");
    assert_eq!(get("pane"), "%2 (pane index 2)");
    assert_eq!(get("generation"), "00000000…0001");
    assert_eq!(get("reservation"), "reserved, src/api.go, expires in 41m");
    assert_eq!(get("dispatch"), "sent → %2, sent 18m ago, took 1ms");
    assert_eq!(
        get("claim"),
        "claimed, by webapp-pane-2/ntm-000000000000, claimed 18m ago"
    );
    let wa05 = detail_facts(&NtmRow::new(&d.assignments["wa-05"]), now);
    assert!(
        wa05.iter()
            .any(|(l, t)| *l == "completion event"
                && t.ends_with("unacknowledged, detected 18m ago"))
    );
}

#[test]
fn refusals_read_briefly() {
    let d = doc("00-start");
    let brief = |b: &str| {
        let row = NtmRow::new(&d.assignments[b]);
        row.refusal(RowAction::Remove).map(|r| refusal_brief(&r))
    };
    assert_eq!(brief("wa-04").as_deref(), Some("NTM is still claiming it"));
    assert_eq!(
        brief("wa-05").as_deref(),
        Some("unacknowledged completion event")
    );
    assert_eq!(brief("wa-01"), None);
    let legacy = doc("08-legacy-api");
    let wa10 = NtmRow::new(&legacy.assignments["wa-10"]);
    let why = wa10.refusal(RowAction::Start).unwrap();
    assert_eq!(refusal_brief(&why), "no %N pane identity");
}
