//! A demo session is what the session readers read: listed where the agent keeps it, its
//! records decoded with nothing unknown or malformed, its summary naming the bead, its turn
//! state following the steps.

use super::*;
use crate::persist::session::{
    Agent, Decoded, EntryKind, SessionRoots, TurnState, decode_line, list, summarize,
};

fn bead() -> Bead {
    Bead {
        id: "dm-7k2p".into(),
        title: "Fix flaky checkout end-to-end test".into(),
        repo: "/home/dev/src/webapp".into(),
    }
}

fn t0() -> DateTime<Utc> {
    "2026-03-30T09:00:00Z".parse().unwrap()
}

fn roots(dir: &Path) -> SessionRoots {
    SessionRoots {
        claude: vec![dir.join("claude")],
        codex: Some(dir.join("codex")),
        ..SessionRoots::default()
    }
}

/// Plays a session to its end; returns it and the turn state after each step.
fn play(dir: &Path, kind: Kind, seed: u64) -> (Session, Vec<TurnState>) {
    let corpus = Corpus::load().unwrap();
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut s = Session::begin(dir, kind, &bead(), true, &mut rng, t0()).unwrap();
    let mut states = Vec::new();
    for i in 1..40 {
        if s.outcome.is_some() {
            break;
        }
        s.step(&corpus, &mut rng, t0() + chrono::Duration::seconds(i * 9))
            .unwrap();
        let listed = list(&roots(dir));
        let file = listed
            .sessions
            .iter()
            .find(|f| f.source.file().is_some_and(|p| p == s.file()))
            .unwrap();
        states.push(summarize(file, None).unwrap().summary().turn.clone());
    }
    assert!(s.outcome.is_some(), "the session ends");
    (s, states)
}

#[test]
fn claude_and_codex_sessions_are_read_by_the_session_readers() {
    for (kind, agent) in [(Kind::Claude, Agent::Claude), (Kind::Codex, Agent::Codex)] {
        let dir = tempfile::tempdir().unwrap();
        let (session, states) = play(dir.path(), kind, 3);
        let listed = list(&roots(dir.path()));
        assert!(listed.problems.is_empty(), "{:?}", listed.problems);
        assert_eq!(listed.sessions.len(), 1);
        assert_eq!(listed.sessions[0].agent, agent);
        let summary = summarize(&listed.sessions[0], None).unwrap();
        let summary = summary.summary();
        assert_eq!(summary.cwd, "/home/dev/src/webapp");
        assert!(
            crate::present::link::mentions(&summary.prompt_head, "dm-7k2p"),
            "{}",
            summary.prompt_head
        );
        assert!(summary.tokens.output > 0, "{agent:?}: {:?}", summary.tokens);
        assert!(summary.model.is_some());
        // Working while it thinks and calls tools, then ended (or failed) once it replies.
        assert!(
            states[..states.len() - 1].contains(&TurnState::Working),
            "{states:?}"
        );
        match session.outcome {
            Some(Outcome::Completed) => assert_eq!(summary.turn, TurnState::Ended),
            _ => assert!(matches!(summary.turn, TurnState::Failed(_))),
        }
        let text = std::fs::read_to_string(session.file()).unwrap();
        let mut kinds = Vec::new();
        for line in text.lines() {
            match decode_line(agent, line.as_bytes()) {
                Decoded::Entries(entries) => kinds.extend(entries.into_iter().map(|e| e.kind)),
                Decoded::Skip => {}
                other => panic!("{agent:?}: {other:?} for {line}"),
            }
        }
        for want in [
            EntryKind::Prompt,
            EntryKind::Thinking,
            EntryKind::ToolCall,
            EntryKind::ToolResult,
        ] {
            assert!(kinds.contains(&want), "{agent:?} lacks {want:?}: {kinds:?}");
        }
        assert!(
            !kinds.iter().any(|k| matches!(k, EntryKind::Unknown(_))),
            "{agent:?}: {kinds:?}"
        );
    }
}

#[test]
fn some_claude_sessions_end_on_an_api_error_and_codex_sessions_complete() {
    let dir = tempfile::tempdir().unwrap();
    let mut failed = 0;
    for seed in 0..20 {
        let (s, _) = play(dir.path(), Kind::Claude, seed);
        if let Some(Outcome::Failed(why)) = &s.outcome {
            assert!(why.contains("API Error"), "{why}");
            failed += 1;
        }
        let (s, _) = play(dir.path(), Kind::Codex, seed);
        assert_eq!(s.outcome, Some(Outcome::Completed));
    }
    assert!((1..20).contains(&failed), "{failed} of 20 failed");
}
