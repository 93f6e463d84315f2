//! The search of every transcript (`F`) across hosts, headless with a fixed clock: it is asked
//! of each live host on its channel with one id, a host that is down is said not searched
//! (and why) rather than waited for, each host's matches are merged into the list as they
//! arrive with their run named by its host, a host's end and loss are said per host, Esc stops
//! taking them (later ones dropped, a loss no move's), and an older search's are dropped.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::effect::Effect;
use beadboard::app::event::Msg;
use beadboard::app::model::corpus::HostSearchState;
use beadboard::app::model::{HostNews, HostStatus, Model};
use beadboard::app::update::update;
use beadboard::app::{keymap::Key, step};
use beadboard::remote::protocol::SearchDone;
use beadboard::remote::{DownReason, Update};
use common::dash::{Home, now, press, screen, type_text};
use crossterm::event::{KeyEvent, KeyModifiers};
use insta::assert_snapshot;
use serde_json::{Value, json};

fn said(m: &mut Model, update: Update) {
    step(m, Msg::Host(HostNews::Said(Box::new(update))), now());
}

/// `host` sent matches for request `id`.
fn found(m: &mut Model, host: &str, id: u64, hits: Vec<Value>) {
    let host = host.to_owned();
    said(m, Update::Hits { host, id, hits });
}

fn status(m: &mut Model, host: &str, status: HostStatus) {
    let host = host.to_owned();
    step(m, Msg::Host(HostNews::Status { host, status }), now());
}

/// This machine's golden data; gpu1 and gpu2 live (gpu1 listing `api #7`), vm down.
fn model(w: u16, h: u16) -> (Home, Model) {
    let home = Home::golden();
    let mut m = home.model(w, h, true);
    let names = ["gpu1", "gpu2", "vm"].map(str::to_owned);
    m.show_hosts(true, &names, now());
    for host in ["gpu1", "gpu2"] {
        let version = "0.1.0".to_owned();
        status(
            &mut m,
            host,
            HostStatus::Live {
                version,
                latency: None,
            },
        );
    }
    let why = DownReason::Ended {
        host: "vm".to_owned(),
        how: "exit 255".to_owned(),
        detail: "ssh: connect to host vm port 22: Connection refused".to_owned(),
    };
    let (at, retry_at) = (now(), now() + chrono::Duration::seconds(8));
    status(&mut m, "vm", HostStatus::Down { why, at, retry_at });
    let run = json!({"event": "run", "at": "2026-11-22T16:04:00Z", "kind": "run",
        "name": "api #7", "reference": "abc/7", "run": "abc/7", "to": "failed",
        "dir": "/home/dev/.agentpair/runs/abc/7"});
    let host = "gpu1".to_owned();
    said(
        &mut m,
        Update::Snapshot {
            host,
            events: vec![run],
        },
    );
    (home, m)
}

/// A `search --json` line of a host.
fn hit(name: &str, reference: &str, line: u64, text: &str) -> Value {
    json!({"kind": "run", "name": name, "reference": reference, "line": line,
        "type": "result", "time": "2026-11-22T16:00:00Z", "text": text,
        "offset": line * 100, "run": name, "host": "ignored"})
}

/// Presses Enter: the work it asks for, not done.
fn enter(m: &mut Model) -> Vec<Effect> {
    let key = Key::parse("Enter").unwrap();
    update(
        m,
        Msg::Key(KeyEvent::new(key.code, KeyModifiers::NONE)),
        now(),
    )
}

/// Asks for `query` (`F`, typed, Enter): the hosts asked (host, id, pattern), in order.
fn ask(m: &mut Model, query: &str) -> Vec<(String, u64, String)> {
    press(m, "F");
    type_text(m, query);
    let effects = enter(m);
    effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::HostSearch { host, id, spec } => Some((host, id, spec.pattern)),
            _ => None,
        })
        .collect()
}

/// What the status line says.
fn told(m: &Model) -> String {
    m.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn states(m: &Model) -> Vec<(String, HostSearchState, usize)> {
    let c = m.corpus.as_ref().unwrap();
    c.hosts
        .iter()
        .map(|h| (h.host.clone(), h.state.clone(), h.hits))
        .collect()
}

#[test]
fn live_hosts_are_searched_and_merged_and_a_down_one_is_said() {
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let (_home, mut m) = model(w, h);
        let asked = ask(&mut m, "timeout");
        let id = asked[0].1;
        let want = ["gpu1", "gpu2"].map(|h| (h.to_owned(), id, "timeout".to_owned()));
        assert_eq!(asked, want, "each live host, one id; vm is not asked");
        let vm = states(&m).pop().unwrap();
        assert!(
            matches!(&vm.1, HostSearchState::NotSearched(why) if why.contains("Connection refused")),
            "{vm:?}"
        );
        // Matches as they come: gpu1's run as its snapshot listed it; gpu2's, not listed, by
        // what the match says; both named by their host.
        let gpu1 = vec![hit("api #7", "abc/7", 12, "read timeout after 30s")];
        found(&mut m, "gpu1", id, gpu1);
        let gpu2 = vec![
            hit("web #9", "def/9", 3, "timeout in login test"),
            hit("web #9", "def/9", 8, "timeout again"),
        ];
        found(&mut m, "gpu2", id, gpu2);
        let done = SearchDone {
            hits: 1,
            files: 5,
            total: 5,
            ..SearchDone::default()
        };
        said(
            &mut m,
            Update::SearchEnd {
                host: "gpu1".into(),
                id,
                done,
            },
        );
        let text = screen(&m);
        assert!(text.contains("gpu1:api #7"), "{text}");
        assert!(text.contains("gpu2:web #9"), "{text}");
        assert!(text.contains("gpu1 ✓ 1 match in 5 transcripts"), "{text}");
        assert!(text.contains("vm ✗ not searched"), "{text}");
        assert_snapshot!(format!("search_hosts_{w}x{h}"), text);
        // Esc stops taking gpu2's (it is still searching); what came stays.
        press(&mut m, "Esc");
        let late = vec![hit("web #9", "def/9", 20, "timeout late")];
        found(&mut m, "gpu2", id, late);
        let c = m.corpus.as_ref().unwrap();
        assert_eq!(c.hits.len(), 3);
        assert_eq!(states(&m)[1].1, HostSearchState::Stopped);
        // Its loss afterwards is the search's, not a move's.
        let before = m.status.clone();
        let why = "the channel to gpu2 ended".to_owned();
        said(
            &mut m,
            Update::Lost {
                host: "gpu2".into(),
                id,
                why,
            },
        );
        assert_eq!(m.status, before);
    }
}

#[test]
fn an_older_searchs_matches_are_dropped_and_a_lost_host_is_said() {
    let (_home, mut m) = model(120, 40);
    let older = ask(&mut m, "timeout")[0].1;
    let newer = ask(&mut m, "login")[0].1;
    assert_ne!(older, newer);
    let old = vec![hit("api #7", "abc/7", 12, "read timeout after 30s")];
    found(&mut m, "gpu1", older, old);
    assert!(m.corpus.as_ref().unwrap().hits.is_empty());
    let why = "the channel to gpu1 ended (killed by signal 9)".to_owned();
    said(
        &mut m,
        Update::Lost {
            host: "gpu1".into(),
            id: newer,
            why,
        },
    );
    let gpu1 = states(&m).remove(0);
    assert!(
        matches!(&gpu1.1, HostSearchState::Failed(why) if why.contains("signal 9")),
        "{gpu1:?}"
    );
    let text = screen(&m);
    assert!(text.contains("gpu1 ✗ the channel to gpu1 ended"), "{text}");
    // Enter on gpu2's match opens its run, read from gpu2 by tails (nothing read here)…
    let gpu2 = vec![hit("api #7", "abc/7", 4, "login ok")];
    said(
        &mut m,
        Update::Snapshot {
            host: "gpu2".into(),
            events: vec![],
        },
    );
    found(&mut m, "gpu2", newer, gpu2);
    let effects = enter(&mut m);
    // …but gpu2 no longer lists that run: said, nothing asked.
    assert!(effects.is_empty(), "{effects:?}");
    let said_now = told(&m);
    assert!(
        said_now.contains("not among the runs gpu2 lists"),
        "{said_now}"
    );
}

#[test]
fn enter_on_a_hosts_match_opens_its_run_from_the_host() {
    let (_home, mut m) = model(120, 40);
    let id = ask(&mut m, "timeout")[0].1;
    let gpu1 = vec![hit("api #7", "abc/7", 12, "read timeout after 30s")];
    found(&mut m, "gpu1", id, gpu1);
    let effects = enter(&mut m);
    let tails = effects
        .iter()
        .filter(
            |e| matches!(e, Effect::HostFollow { host, run, .. } if host == "gpu1" && run == "abc/7"),
        )
        .count();
    assert_eq!(tails, 1, "{effects:?}");
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Transcript(_))),
        "nothing read here: {effects:?}"
    );
    let said_now = told(&m);
    assert!(said_now.contains("gpu1:api #7, line 12"), "{said_now}");
}

/// `host`'s hello listed `capabilities`.
fn can(m: &mut Model, host: &str, capabilities: &[&str]) {
    let host = host.to_owned();
    let capabilities = capabilities.iter().map(|&c| c.to_owned()).collect();
    said(m, Update::Capabilities { host, capabilities });
}

/// Presses `key`: the hosts told to stop a search (host, id), in order.
fn cancels(m: &mut Model, key: &str) -> Vec<(String, u64)> {
    let key = Key::parse(key).unwrap();
    let effects = update(
        m,
        Msg::Key(KeyEvent::new(key.code, KeyModifiers::NONE)),
        now(),
    );
    host_cancels(&effects)
}

/// The hosts `effects` tell to stop a search, with the search's id.
fn host_cancels(effects: &[Effect]) -> Vec<(String, u64)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::HostCancel { host, id } => Some((host.clone(), *id)),
            _ => None,
        })
        .collect()
}

/// gpu1 and gpu2 can cancel; vm is live too, on a beadboard too old to.
fn cancelling_model() -> (Home, Model) {
    let (home, mut m) = model(120, 40);
    for host in ["gpu1", "gpu2"] {
        can(&mut m, host, &["search", "cancel"]);
    }
    can(&mut m, "vm", &["search"]);
    let version = "0.0.9".to_owned();
    let live = HostStatus::Live {
        version,
        latency: None,
    };
    status(&mut m, "vm", live);
    (home, m)
}

#[test]
fn esc_tells_only_the_hosts_still_searching_that_can_cancel_to_stop() {
    let (_home, mut m) = cancelling_model();
    let id = ask(&mut m, "timeout")[0].1;
    let gpu2 = vec![hit("web #9", "def/9", 3, "timeout in login test")];
    found(&mut m, "gpu2", id, gpu2);
    let done = SearchDone {
        hits: 0,
        files: 5,
        total: 5,
        code: 1,
        ..SearchDone::default()
    };
    let host = "gpu1".to_owned();
    said(&mut m, Update::SearchEnd { host, id, done });
    // gpu1 has ended, vm cannot be told: only gpu2 is.
    assert_eq!(cancels(&mut m, "Esc"), [("gpu2".to_owned(), id)]);
    let s = states(&m);
    assert_eq!(s[1].1, HostSearchState::Cancelling);
    assert_eq!(s[2].1, HostSearchState::Stopped);
    assert!(m.corpus.as_ref().unwrap().is_running());
    let text = screen(&m);
    assert!(text.contains("gpu2 ■ stopping after 1 match"), "{text}");
    assert!(
        text.contains("vm ■ 0 matches taken; it searches on"),
        "{text}"
    );
    // Matches crossing the cancel are dropped; the host's end says how far it got.
    let late = vec![hit("web #9", "def/9", 20, "timeout late")];
    found(&mut m, "gpu2", id, late);
    let done = SearchDone {
        hits: 2,
        files: 120,
        total: 5000,
        cancelled: true,
        ..SearchDone::default()
    };
    let host = "gpu2".to_owned();
    said(&mut m, Update::SearchEnd { host, id, done });
    let c = m.corpus.as_ref().unwrap();
    assert_eq!(c.hits.len(), 1);
    let cancelled = HostSearchState::Cancelled {
        files: 120,
        total: 5000,
    };
    assert_eq!(states(&m)[1], ("gpu2".to_owned(), cancelled, 1));
    let text = screen(&m);
    assert!(
        text.contains("gpu2 ■ stopped after 1 match in 120 of 5,000 transcripts"),
        "{text}"
    );
    // Esc again closes the list: no host is told anything more.
    assert_eq!(cancels(&mut m, "Esc"), []);
    assert!(m.overlay.is_none());
}

#[test]
fn a_newer_search_or_opening_a_match_stops_the_hosts_searching_the_old_one() {
    let (_home, mut m) = cancelling_model();
    let older = ask(&mut m, "timeout")[0].1;
    // A newer search: the older one's hosts that can cancel are told, the newer is asked.
    press(&mut m, "F");
    type_text(&mut m, "login");
    let effects = enter(&mut m);
    let stopped = host_cancels(&effects);
    let want = ["gpu1", "gpu2"].map(|h| (h.to_owned(), older));
    assert_eq!(stopped, want);
    let newer = m.corpus.as_ref().unwrap().host_request_id();
    assert_ne!(newer, older);
    // Enter on a match closes the list while gpu2 still searches: it is told to stop.
    let gpu1 = vec![hit("api #7", "abc/7", 12, "login timeout")];
    found(&mut m, "gpu1", newer, gpu1);
    let effects = enter(&mut m);
    let stopped = host_cancels(&effects);
    assert_eq!(
        stopped,
        [("gpu1".to_owned(), newer), ("gpu2".to_owned(), newer)]
    );
}
