//! Every pane of the server with its process and working directory (`list-panes -a`), for
//! binding NTM assignments' panes to the agents running in them.

use super::call::Ctx;
use super::panes::{PANE_FORMAT, PaneInfo, parse_line};
use super::{Tmux, TmuxError};

/// [`PANE_FORMAT`] with the pane's process id and current path after it (the path last: it is
/// free text).
const LIVE_FORMAT: &str = concat!(
    "#{session_id}\t#{window_id}\t#{window_index}\t#{window_active}\t#{pane_id}\t",
    "#{pane_index}\t#{pane_active}\t#{session_name}\t#{window_name}\t#{pane_pid}\t",
    "#{pane_current_path}"
);

/// A pane, its process (the shell tmux started in it) and where that process is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LivePane {
    /// Which pane, of which window and session.
    pub info: PaneInfo,
    /// The pane's process (`#{pane_pid}`); its agent is among its descendants.
    pub pid: u32,
    /// Its current directory (`#{pane_current_path}`; may be empty).
    pub path: String,
}

/// Reads `list-panes -a -F` output in [`LIVE_FORMAT`].
///
/// # Errors
/// [`TmuxError::Unexpected`] naming the first line that does not fit.
pub(crate) fn parse_live(stdout: &str) -> Result<Vec<LivePane>, TmuxError> {
    stdout
        .lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            parse_live_line(line).ok_or_else(|| TmuxError::Unexpected {
                command: "list-panes".to_owned(),
                line: line.to_owned(),
            })
        })
        .collect()
}

fn parse_live_line(line: &str) -> Option<LivePane> {
    // The nine fields of PANE_FORMAT, then the pid, then the path (which may hold tabs).
    let mut cut = line.match_indices('\t').map(|(i, _)| i);
    let end = cut.nth(8)?;
    let info = parse_line(&line[..end])?;
    let rest = &line[end + 1..];
    let (pid, path) = rest.split_once('\t')?;
    Some(LivePane {
        info,
        pid: pid.parse().ok()?,
        path: path.to_owned(),
    })
}

impl Tmux {
    /// Every pane of every session, with its process and current directory. No server
    /// running means no panes.
    ///
    /// # Errors
    /// tmux not installed, a timeout, or another tmux failure.
    pub fn live_panes(&self) -> Result<Vec<LivePane>, TmuxError> {
        debug_assert!(LIVE_FORMAT.starts_with(PANE_FORMAT));
        match self.run(&["list-panes", "-a", "-F", LIVE_FORMAT], Ctx::default()) {
            Ok(out) => parse_live(&out),
            Err(TmuxError::NoServer { .. }) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn tmux_parses_live_panes() {
        let out = "$1\t@1\t1\t1\t%3\t0\t1\tapi\tbash\t4242\t/home/dev/api\n\
$1\t@2\t2\t0\t%7\t1\t0\tapi\tlogs\t4250\t/home/dev/a\tb\n";
        let panes = parse_live(out).unwrap();
        assert_eq!(panes.len(), 2);
        assert_eq!(panes[0].info.pane_id, "%3");
        assert_eq!(panes[0].info.session_name, "api");
        assert_eq!(
            (panes[0].pid, panes[0].path.as_str()),
            (4242, "/home/dev/api")
        );
        assert_eq!(panes[1].path, "/home/dev/a\tb");
        assert_eq!(panes[1].info.window_name, "logs");
        for bad in [
            "$1\t@1\t1\t1\t%3\t0\t1\tapi\tbash\tpid\t/x",
            "$1\t@1\t1\t1\t%3\t0\t1\tapi\tbash\t4242",
        ] {
            assert!(parse_live(bad).is_err(), "{bad}");
        }
    }
}
