//! Telling an agent process by its command line: which agent it is ([`agent_of`]), which
//! process of a pane's tree is the pane's agent ([`find_agent`]), and the session its command
//! line names, if any ([`argv_session`]).

use crate::persist::session::Agent;
use crate::persist::session::live::Process;
use std::path::Path;

/// The agent a command line runs: one of its first three words whose last path component is
/// `claude`, `codex`, `gemini` or `opencode` (also with a `.js`, `.mjs`, `.cjs` or `.exe`
/// ending), so `claude`, `/usr/local/bin/codex` and `node /usr/lib/…/bin/gemini` all count.
#[must_use]
pub fn agent_of(argv: &[String]) -> Option<Agent> {
    argv.iter().take(3).find_map(|word| {
        let base = Path::new(word).file_name()?.to_str()?;
        let stem = [".js", ".mjs", ".cjs", ".exe"]
            .iter()
            .find_map(|ext| base.strip_suffix(ext))
            .unwrap_or(base);
        match stem {
            "claude" => Some(Agent::Claude),
            "codex" => Some(Agent::Codex),
            "gemini" => Some(Agent::Gemini),
            "opencode" => Some(Agent::OpenCode),
            _ => None,
        }
    })
}

/// The pane's agent in its process tree (breadth first, as [`crate::persist::session::live::
/// ProcessTable::tree`] gives it): the first agent process, or, when it runs the same agent in
/// turn (`sh -c claude`, a launcher), that child. Its index in `tree` and the agent.
#[must_use]
pub fn find_agent(tree: &[Process]) -> Option<(usize, Agent)> {
    let (mut at, agent) = tree
        .iter()
        .enumerate()
        .find_map(|(i, p)| agent_of(&p.argv).map(|a| (i, a)))?;
    // Down through children running the same agent (each step goes deeper: no loop).
    for _ in 0..tree.len() {
        let pid = tree[at].pid;
        match tree
            .iter()
            .position(|p| p.ppid == pid && p.pid != pid && agent_of(&p.argv) == Some(agent))
        {
            Some(child) => at = child,
            None => break,
        }
    }
    Some((at, agent))
}

/// A word that can be a session id: not empty, not a flag, not `latest`, not a number (which
/// Gemini takes as an index).
fn id_word(word: &str) -> Option<String> {
    let ok = !word.is_empty()
        && !word.starts_with('-')
        && word != "latest"
        && !word.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| word.to_owned())
}

/// The session `agent`'s command line names: `--resume <id>` (also `-r` and `--resume=<id>`;
/// Claude, Gemini), `--session-id <id>` (Claude), `resume <id>` (Codex), `--session <id>` /
/// `-s <id>` (OpenCode).
#[must_use]
pub fn argv_session(agent: Agent, argv: &[String]) -> Option<String> {
    let flags: &[&str] = match agent {
        Agent::Claude => &["--resume", "-r", "--session-id"],
        Agent::Gemini => &["--resume", "-r"],
        Agent::Codex => &["resume"],
        Agent::OpenCode => &["--session", "-s"],
    };
    let words = argv.get(1..).unwrap_or_default();
    words.iter().enumerate().find_map(|(i, word)| {
        if let Some((flag, value)) = word.split_once('=')
            && flag.starts_with("--")
            && flags.contains(&flag)
        {
            return id_word(value);
        }
        if flags.contains(&word.as_str()) {
            return words.get(i + 1).and_then(|w| id_word(w));
        }
        None
    })
}
