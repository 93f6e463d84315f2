//! The agent-session readers the workers call, in one place. PENDING-FORMATS: the readers are
//! being written on the agents-formats branch; until it is merged these say so instead of
//! reading.

use crate::persist::session::{Agent, Decoded, Entry, SessionError, SessionSource};

/// One line of an append-only session file as entries.
#[must_use]
pub fn decode_line(agent: Agent, _line: &[u8]) -> Decoded {
    Decoded::Malformed {
        problem: format!("{agent} records cannot be read by this build"),
    }
}

/// A session read whole.
///
/// # Errors
/// The session cannot be read.
pub fn read_document(agent: Agent, source: &SessionSource) -> Result<Vec<Entry>, SessionError> {
    Err(SessionError::Format {
        path: source.key(),
        problem: format!("{agent} sessions cannot be read by this build"),
    })
}
