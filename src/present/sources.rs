//! How the agent session sources read, for `doctor` and the empty Runs pane: each source, where
//! it was looked for, and what was found there.

use super::text;
use crate::persist::session::SourceReport;
use std::path::Path;

/// What was found, in words: `12 sessions`, `no sessions`, `not found`, `switched off`.
#[must_use]
pub fn found(r: &SourceReport) -> String {
    if r.disabled {
        return "switched off".to_owned();
    }
    if !r.found {
        return "not found".to_owned();
    }
    match r.sessions {
        Some(0) => "no sessions".to_owned(),
        Some(1) => "1 session".to_owned(),
        Some(n) => format!("{n} sessions"),
        None => "found".to_owned(),
    }
}

/// One source in a line: `claude ~/.claude: 12 sessions`.
#[must_use]
pub fn line(r: &SourceReport, home: Option<&Path>, width: usize) -> String {
    let what = found(r);
    let room = width.saturating_sub(r.agent.as_str().len() + what.len() + 3);
    let path = text::short_path(&r.path.to_string_lossy(), home, room.max(8));
    format!("{} {path}: {what}", r.agent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::session::Agent;

    #[test]
    fn says_what_each_source_holds() {
        let mut r = SourceReport {
            agent: Agent::Claude,
            path: "/h/.claude".into(),
            found: true,
            disabled: false,
            sessions: Some(12),
        };
        assert_eq!(
            line(&r, Some(Path::new("/h")), 80),
            "claude ~/.claude: 12 sessions"
        );
        r.sessions = Some(1);
        assert_eq!(found(&r), "1 session");
        r.found = false;
        assert_eq!(found(&r), "not found");
        r.disabled = true;
        assert_eq!(found(&r), "switched off");
    }
}
