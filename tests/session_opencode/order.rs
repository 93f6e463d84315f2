//! Searching every transcript finds the same matches in an OpenCode database whose rows are
//! stored out of their order (parts written after a later part, messages written after a
//! later message, as a session edited or resumed leaves them): a session is read in its
//! messages' time and its parts' ids order, whichever order its rows are stored in.

use super::search::{search, slow_way, target};
use super::{create, message_row, part_row, session_row};
use beadboard::search::Target;
use serde_json::json;
use std::path::Path;

/// Session `ses_o`: its second message stored before its first, each message's parts stored
/// backwards (and a third message's in order); session `ses_p` stored in order.
fn out_of_order(db: &Path) {
    let c = create(db);
    session_row(&c, "ses_o", None, "stored out of order", 1_755_698_900_000);
    let assistant = |at: i64| json!({"role": "assistant", "time": {"created": at}});
    message_row(
        &c,
        "ses_o",
        "msg_o2",
        1_755_698_802_000,
        &assistant(1_755_698_802_000),
    );
    message_row(
        &c,
        "ses_o",
        "msg_o1",
        1_755_698_801_000,
        &json!({"role": "user", "time": {"created": 1_755_698_801_000i64}}),
    );
    message_row(
        &c,
        "ses_o",
        "msg_o3",
        1_755_698_803_000,
        &assistant(1_755_698_803_000),
    );
    for (message, ids) in [
        ("msg_o1", ["prt_o13", "prt_o12", "prt_o11"]),
        ("msg_o2", ["prt_o23", "prt_o21", "prt_o22"]),
        ("msg_o3", ["prt_o31", "prt_o32", "prt_o33"]),
    ] {
        for id in ids {
            let text = format!("{id} says kiwi-{}", &id[id.len() - 1..]);
            part_row(
                &c,
                "ses_o",
                message,
                id,
                &json!({"type": "text", "text": text}),
            );
        }
    }
    session_row(&c, "ses_p", None, "stored in order", 1_755_698_950_000);
    message_row(
        &c,
        "ses_p",
        "msg_p1",
        1_755_698_901_000,
        &assistant(1_755_698_901_000),
    );
    for id in ["prt_p1", "prt_p2"] {
        let text = format!("{id} says kiwi");
        part_row(
            &c,
            "ses_p",
            "msg_p1",
            id,
            &json!({"type": "text", "text": text}),
        );
    }
}

#[test]
fn parts_and_messages_stored_out_of_order_are_searched_in_their_order() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("opencode.db");
    out_of_order(&db);
    let targets: Vec<Target> = ["ses_o", "ses_p"]
        .iter()
        .map(|id| target(&db, id))
        .collect();
    // Each record's hit is its first entry holding the text: the part with the least id.
    let shown = |q: &str| -> Vec<(usize, u64, String)> {
        let (hits, problems, _) = search(&targets, q);
        assert!(problems.is_empty(), "{q}: {problems:?}");
        assert_eq!(hits, slow_way(&targets, q), "{q:?}");
        hits.into_iter()
            .map(|h| (h.target, h.line, h.text))
            .collect()
    };
    let texts = |hits: Vec<(usize, u64, String)>| -> Vec<String> {
        hits.into_iter()
            .map(|(t, l, s)| format!("{t}:{l} {s}"))
            .collect()
    };
    assert_eq!(
        texts(shown("kiwi")),
        [
            "0:1 prt_o11 says kiwi-1",
            "0:2 prt_o21 says kiwi-1",
            "0:3 prt_o31 says kiwi-1",
            "1:1 prt_p1 says kiwi",
        ]
    );
    assert_eq!(
        texts(shown("kiwi-3")),
        [
            "0:1 prt_o13 says kiwi-3",
            "0:2 prt_o23 says kiwi-3",
            "0:3 prt_o33 says kiwi-3"
        ]
    );
    // A query every session is read whole for (an actor's name): the same order.
    assert_eq!(shown("user").len(), 1, "the one user message");
    assert_eq!(shown("says").len(), 4);
}
