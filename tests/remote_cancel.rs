//! Cancelling a host's search over the command transport (no sshd; see `remote/fleet.rs`):
//! the host's hello lists `cancel`; a cancel of a search that ended is ignored, one right after
//! the ask ends the search once; a host whose hello does not list `cancel` is sent its search
//! and never a cancel. (A cancel mid-way through a large corpus: `tests/serve_cancel.rs`.)
//! Waits on updates and on the host's requests, never on the clock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "remote/fleet.rs"]
mod fleet;

use beadboard::remote::Update;
use beadboard::remote::protocol::SearchSpec;
use fleet::{Fleet, Watcher};

/// Searches alpha for `pattern` to its end: the search's id.
fn searched(w: &mut Watcher, pattern: &str) -> u64 {
    let id = w.connections[0].search(SearchSpec {
        pattern: pattern.to_owned(),
        ..SearchSpec::default()
    });
    let Update::SearchEnd { done, .. } = w.until(
        "alpha",
        "the search's end",
        |u| matches!(u, Update::SearchEnd { id: i, .. } | Update::Lost { id: i, .. } if *i == id),
    ) else {
        panic!("the search was lost")
    };
    assert!(
        !done.cancelled && done.files == done.total && done.total > 0,
        "{done:?}"
    );
    id
}

#[test]
fn a_cancel_ends_a_search_once_and_one_after_its_end_is_ignored() {
    let fleet = Fleet::new();
    let mut w = Watcher::start(&[fleet.host("alpha")]);
    w.live_with_latency("alpha");
    let id = searched(&mut w, "work on it");
    // The host can cancel (its hello said so). A cancel of a search that ended is ignored;
    // one right after the search is asked ends it with its end (cancelled, unless it had
    // finished first), nothing else.
    let Update::Capabilities { capabilities, .. } = w.until("alpha", "capabilities", |u| {
        matches!(u, Update::Capabilities { .. })
    }) else {
        unreachable!()
    };
    assert!(
        capabilities.iter().any(|c| c == "cancel"),
        "{capabilities:?}"
    );
    w.connections[0].cancel_search(id);
    let spec = SearchSpec {
        pattern: "work on it".to_owned(),
        ..SearchSpec::default()
    };
    let again = w.connections[0].search(spec);
    w.connections[0].cancel_search(again);
    let Update::SearchEnd { done, .. } = w.until("alpha", "the cancelled search's end", |u| {
        matches!(u, Update::SearchEnd { id: i, .. } | Update::Lost { id: i, .. } if *i == again)
    }) else {
        panic!("the search was lost")
    };
    assert_eq!(done.error, None);
    assert!(
        !done.cancelled || done.files < done.total.max(1),
        "{done:?}"
    );
    assert!(
        !w.take_unasked().iter().any(|u| matches!(
            u,
            Update::SearchEnd { id: i, .. } | Update::Lost { id: i, .. } if *i == id
        )),
        "the first search ended once"
    );
}

#[test]
fn a_host_too_old_to_cancel_is_sent_its_search_and_no_cancel() {
    let fleet = Fleet::new();
    let host = fleet.old("alpha", &["snapshot", "events", "ping", "search"]);
    let mut w = Watcher::start(&[host]);
    w.until("alpha", "capabilities", |u| {
        matches!(u, Update::Capabilities { .. })
    });
    let search = w.connections[0].search(SearchSpec {
        pattern: "work on it".to_owned(),
        ..SearchSpec::default()
    });
    w.connections[0].cancel_search(search);
    // Requests go out in order: once the next search is on the host, a cancel sent before it
    // would be there too.
    let next = w.connections[0].search(SearchSpec {
        pattern: "next".to_owned(),
        ..SearchSpec::default()
    });
    let requests = fleet.home("alpha").join("requests");
    let marker = format!("\"id\":{next},\"pattern\":\"next\"");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let sent = loop {
        let sent = std::fs::read_to_string(&requests).unwrap_or_default();
        if sent.contains(&marker) {
            break sent;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not on the host: {sent}"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    drop(w);
    assert!(sent.contains(&format!("\"id\":{search}")), "{sent}");
    assert!(!sent.contains("\"cancel\""), "{sent}");
}
