//! How a Codex line is worded when shown: a sub-agent's later activity in words (never its
//! raw JSON), a reasoning summary's bold header as plain words for the collapsed line.

use beadboard::persist::session::codex::decode_line;
use beadboard::persist::session::{Decoded, Entry, EntryKind};

fn one(line: &str) -> Entry {
    match decode_line(line.as_bytes()) {
        Decoded::Entries(mut v) if v.len() == 1 => v.remove(0),
        other => panic!("one entry expected from {line}: {other:?}"),
    }
}

#[test]
fn a_sub_agents_later_activity_is_a_signal_in_words() {
    let interacted = one(
        r#"{"timestamp":"2026-08-20T14:00:40.000Z","type":"event_msg","payload":{"type":"sub_agent_activity","event_id":"ev_2","occurred_at_ms":1755698440000,"agent_thread_id":"0198c7a2-6c2f","agent_path":"/root/tests","kind":"interacted"}}"#,
    );
    assert_eq!(interacted.kind, EntryKind::Signal);
    assert_eq!(interacted.text, "sub-agent /root/tests: interacted");
    let unnamed = one(
        r#"{"timestamp":"2026-08-20T14:00:41.000Z","type":"event_msg","payload":{"type":"sub_agent_activity","agent_thread_id":"0198c7a2-6c2f","kind":"finished"}}"#,
    );
    assert_eq!(unnamed.text, "sub-agent 0198c7a2-6c2f: finished");
}

#[test]
fn a_reasoning_headers_bold_markers_are_dropped_and_the_rest_kept() {
    let thinking = one(
        r#"{"timestamp":"2026-08-20T14:00:06.000Z","type":"response_item","payload":{"type":"reasoning","summary":[{"type":"summary_text","text":"**Reproducing**\n\nRun the **login** test first."}],"encrypted_content":"gAAAAB"}}"#,
    );
    assert_eq!(thinking.kind, EntryKind::Thinking);
    assert_eq!(
        thinking.text,
        "Reproducing\n\nRun the **login** test first."
    );
    let plain = one(
        r#"{"timestamp":"2026-08-20T14:00:06.000Z","type":"response_item","payload":{"type":"reasoning","summary":[{"type":"summary_text","text":"**Run** the test, then **fix** it"}]}}"#,
    );
    assert_eq!(
        plain.text, "**Run** the test, then **fix** it",
        "only a whole bold first line is a header"
    );
}
