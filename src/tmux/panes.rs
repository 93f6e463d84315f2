//! Panes as `list-panes` reports them, and choosing the pane an NTM card means: a
//! `pane_index` is only unique within a window, so when several windows have it the
//! session's active window wins, then the lowest window index, and the choice says so.

use super::error::TmuxError;
use std::fmt;

/// The `-F` format [`parse_panes`] reads: tab-separated, the free-text window name last
/// (tmux escapes tabs in session and window names, so none appear inside a field).
pub(crate) const PANE_FORMAT: &str = "#{session_id}\t#{window_id}\t#{window_index}\t\
#{window_active}\t#{pane_id}\t#{pane_index}\t#{pane_active}\t#{session_name}\t#{window_name}";

/// One pane of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaneInfo {
    /// The session's unique id (`$N`).
    pub session_id: String,
    /// The session's name.
    pub session_name: String,
    /// The window's unique id (`@N`).
    pub window_id: String,
    /// The window's index in the session (starts at `base-index`).
    pub window_index: i64,
    /// Whether this is the session's current window.
    pub window_active: bool,
    /// The window's name.
    pub window_name: String,
    /// The pane's unique id (`%N`).
    pub pane_id: String,
    /// The pane's index in its window (starts at `pane-base-index`).
    pub pane_index: i64,
    /// Whether this is its window's active pane.
    pub pane_active: bool,
}

impl PaneInfo {
    /// A tmux target naming exactly this pane in this session: `$S:@W.%P`.
    #[must_use]
    pub fn target(&self) -> String {
        format!("{}:{}.{}", self.session_id, self.window_id, self.pane_id)
    }

    /// A tmux target naming exactly this pane's window in this session: `$S:@W`.
    #[must_use]
    pub fn window_target(&self) -> String {
        format!("{}:{}", self.session_id, self.window_id)
    }
}

/// Reads `list-panes -F` output in [`PANE_FORMAT`].
///
/// # Errors
/// [`TmuxError::Unexpected`] naming the first line that does not fit.
pub(crate) fn parse_panes(stdout: &str, command: &str) -> Result<Vec<PaneInfo>, TmuxError> {
    stdout
        .lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            parse_line(line).ok_or_else(|| TmuxError::Unexpected {
                command: command.to_owned(),
                line: line.to_owned(),
            })
        })
        .collect()
}

pub(crate) fn parse_line(line: &str) -> Option<PaneInfo> {
    let mut f = line.splitn(9, '\t');
    let mut next = || f.next();
    let flag = |s: &str| match s {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    };
    let session_id = next()?.to_owned();
    let window_id = next()?.to_owned();
    let window_index = next()?.parse().ok()?;
    let window_active = flag(next()?)?;
    let pane_id = next()?.to_owned();
    let pane_index = next()?.parse().ok()?;
    let pane_active = flag(next()?)?;
    let session_name = next()?.to_owned();
    let window_name = next()?.to_owned();
    let ids_ok = session_id.starts_with('$') && window_id.starts_with('@');
    (ids_ok && super::names::is_pane_id(&pane_id)).then_some(PaneInfo {
        session_id,
        session_name,
        window_id,
        window_index,
        window_active,
        window_name,
        pane_id,
        pane_index,
        pane_active,
    })
}

/// The pane chosen for a session and pane index (or a pane id), with what the choice
/// involved, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaneTarget {
    /// The pane.
    pub pane: PaneInfo,
    /// How many windows the session has.
    pub windows: usize,
    /// How many of them have a pane with this index (more than one: the choice was a guess).
    pub matches: usize,
}

impl PaneTarget {
    /// Whether other windows of the session have a pane with the same index.
    #[must_use]
    pub fn is_ambiguous(&self) -> bool {
        self.matches > 1
    }
}

impl fmt::Display for PaneTarget {
    /// `webapp pane 2 (window 1)`, or when ambiguous
    /// `webapp pane 2 of window 1 (the session has 3 windows)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.pane;
        if self.is_ambiguous() {
            write!(
                f,
                "{} pane {} of window {} (the session has {} windows)",
                p.session_name, p.pane_index, p.window_index, self.windows
            )
        } else {
            write!(
                f,
                "{} pane {} (window {})",
                p.session_name, p.pane_index, p.window_index
            )
        }
    }
}

/// Chooses the pane with `pane_index` among `panes` (one session's): the one in the active
/// window, else the one in the lowest-indexed window.
///
/// # Errors
/// [`TmuxError::NoSuchPane`] listing the indexes that exist.
pub fn choose_pane(
    session: &str,
    panes: &[PaneInfo],
    pane_index: i64,
) -> Result<PaneTarget, TmuxError> {
    let mut windows: Vec<&str> = panes.iter().map(|p| p.window_id.as_str()).collect();
    windows.sort_unstable();
    windows.dedup();
    let candidates: Vec<&PaneInfo> = panes
        .iter()
        .filter(|p| p.pane_index == pane_index)
        .collect();
    let best = candidates
        .iter()
        .min_by_key(|p| (!p.window_active, p.window_index))
        .ok_or_else(|| {
            let mut existing: Vec<i64> = panes.iter().map(|p| p.pane_index).collect();
            existing.sort_unstable();
            existing.dedup();
            TmuxError::NoSuchPane {
                session: session.to_owned(),
                pane: pane_index,
                panes: existing,
            }
        })?;
    Ok(PaneTarget {
        pane: (*best).clone(),
        windows: windows.len(),
        matches: candidates.len(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    const LISTING: &str = "$1\t@1\t1\t0\t%1\t1\t1\twebapp\tbash\n\
$1\t@1\t1\t0\t%2\t2\t0\twebapp\tbash\n\
$1\t@1\t1\t0\t%3\t3\t0\twebapp\tbash\n\
$1\t@2\t2\t1\t%4\t1\t0\twebapp\tvim\tx\n\
$1\t@2\t2\t1\t%5\t2\t1\twebapp\tvim\tx\n\
$1\t@3\t3\t0\t%6\t1\t1\twebapp\tlogs\n";

    fn panes() -> Vec<PaneInfo> {
        parse_panes(LISTING, "list-panes").unwrap()
    }

    #[test]
    fn tmux_parses_list_panes() {
        let p = panes();
        assert_eq!(p.len(), 6);
        assert_eq!(p[3].window_name, "vim\tx");
        assert_eq!(p[3].window_index, 2);
        assert!(p[3].window_active);
        assert_eq!(p[4].pane_id, "%5");
        assert_eq!(p[4].target(), "$1:@2.%5");
        assert_eq!(p[4].window_target(), "$1:@2");
        assert!(parse_panes("", "x").unwrap().is_empty());
    }

    #[test]
    fn tmux_rejects_odd_list_panes_lines() {
        for bad in [
            "$1\t@1\t1\t0\t%1\t1\t1\twebapp",
            "$1\t@1\tone\t0\t%1\t1\t1\twebapp\tw",
            "$1\t@1\t1\tyes\t%1\t1\t1\twebapp\tw",
            "1\t@1\t1\t0\t%1\t1\t1\twebapp\tw",
            "$1\t@1\t1\t0\t1\t1\t1\twebapp\tw",
        ] {
            let err = parse_panes(bad, "list-panes").unwrap_err();
            assert!(matches!(err, TmuxError::Unexpected { .. }), "{bad}");
        }
    }

    #[test]
    fn tmux_prefers_the_active_window() {
        let t = choose_pane("webapp", &panes(), 2).unwrap();
        assert_eq!(t.pane.pane_id, "%5");
        assert_eq!((t.windows, t.matches), (3, 2));
        assert!(t.is_ambiguous());
        assert_eq!(
            t.to_string(),
            "webapp pane 2 of window 2 (the session has 3 windows)"
        );
    }

    #[test]
    fn tmux_then_the_lowest_window() {
        let mut p = panes();
        for pane in &mut p {
            pane.window_active = pane.window_id == "@3";
        }
        let t = choose_pane("webapp", &p, 2).unwrap();
        assert_eq!(t.pane.pane_id, "%2");
        let t = choose_pane("webapp", &p, 3).unwrap();
        assert_eq!(t.pane.pane_id, "%3");
        assert!(!t.is_ambiguous());
        assert_eq!(t.to_string(), "webapp pane 3 (window 1)");
    }

    #[test]
    fn tmux_missing_pane_lists_existing_ones() {
        let err = choose_pane("webapp", &panes(), 7).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"tmux session "webapp" has no pane 7 (panes: 1, 2, 3)"#
        );
        let err = choose_pane("webapp", &[], 0).unwrap_err();
        assert!(err.to_string().ends_with("(panes: none)"));
    }
}
