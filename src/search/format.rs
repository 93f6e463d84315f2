//! How a transcript's lines read, for search: agentpair entries, or an agent session's
//! records (each decoded in its agent's format into one or more entries). The readable text of
//! a session's entry is its kind, actor, tool and whole text, sanitised as the screen shows
//! them.

use crate::persist::session::{Agent, Decoded, Entry, whole_text};
use crate::present::sanitize;

/// How the lines of a transcript file decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineFormat {
    /// agentpair transcript entries.
    Agentpair,
    /// An agent session's records, each line giving no entry, one or several.
    Session(Agent),
}

/// The readable text of a session's entry that search looks in: kind, actor, tool and text,
/// one per line, sanitised.
#[must_use]
pub fn session_text(e: &Entry) -> String {
    let parts = [
        e.kind.as_str(),
        &e.actor,
        e.tool.as_deref().unwrap_or_default(),
        &e.text,
    ];
    sanitize::plain(&parts.join("\n"))
}

/// What a session's line decodes to, as the entries' readable text joined (`None`: nothing
/// to show), or the raw line's sanitised text when it is not a record (shown as unreadable).
/// An entry the decoder cut (a long tool output) is searched whole: its text is read again
/// from the line.
#[must_use]
pub fn session_line_text(agent: Agent, line: &[u8]) -> Option<(Vec<Entry>, String)> {
    match crate::persist::session::decode_line(agent, line) {
        Decoded::Entries(mut entries) => {
            for e in &mut entries {
                if let Some(whole) = e.cut.and_then(|size| whole_text(line, size)) {
                    e.text = whole;
                }
            }
            let text = entries
                .iter()
                .map(session_text)
                .collect::<Vec<_>>()
                .join("\n");
            Some((entries, text))
        }
        Decoded::Skip => None,
        Decoded::Malformed { .. } => {
            Some((Vec::new(), sanitize::plain(&String::from_utf8_lossy(line))))
        }
    }
}
