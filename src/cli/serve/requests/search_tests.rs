//! A host's search cancelled by its client mid-way: it stops, its end says it was cancelled
//! and how far it got (fewer transcripts than there are), and its registry entry is gone when
//! the end is sent. Synchronised on the frames the search sends, never on time.

use super::search;
use crate::cli::serve::searches::Searches;
use crate::config::Roots;
use crate::remote::protocol::{Frame, SearchSpec};

/// A host's roots with `runs` agentpair runs of one repo, each transcript `lines` entries
/// long, every entry holding `needle`.
fn corpus(runs: usize, lines: usize) -> (tempfile::TempDir, Roots) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("agentpair/runs/43d7567239bfd176");
    for id in 1..=runs {
        let run = repo.join(id.to_string());
        std::fs::create_dir_all(&run).unwrap();
        let minute = id % 60;
        let hour = 10 + id / 60 % 10;
        let manifest = serde_json::json!({
            "id": id, "repo_path": "/home/dev/src/webapp", "repo_id": "43d7567239bfd176",
            "prompt": format!("task {id}"), "state": "completed", "primary_agent": "codex",
            "tmux_session": format!("agentpair-{id}"),
            "created_at": format!("2026-11-22T{hour:02}:{minute:02}:00Z"),
            "updated_at": format!("2026-11-22T{hour:02}:{minute:02}:30Z"),
        });
        std::fs::write(run.join("manifest.json"), manifest.to_string()).unwrap();
        let entry = format!(
            "{{\"type\":\"result\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"run_id\":{id},\"content\":\"a needle in run {id}\"}}\n"
        );
        std::fs::write(run.join("transcript.jsonl"), entry.repeat(lines)).unwrap();
    }
    let roots = super::roots_under(dir.path());
    (dir, roots)
}

#[test]
fn a_cancel_after_the_first_matches_ends_the_search_early_and_says_so() {
    let (_dir, roots) = corpus(300, 400);
    let spec = SearchSpec {
        pattern: "needle".to_owned(),
        ..SearchSpec::default()
    };
    let searches = Searches::default();
    let ticket = searches.start(7);
    let mut frames = Vec::new();
    search(&roots, &spec, ticket, None, |frame| {
        // The client cancels when its first matches arrive.
        if matches!(frame, Frame::Hits { .. })
            && !frames.iter().any(|f| matches!(f, Frame::Hits { .. }))
        {
            assert!(searches.cancel(7));
        }
        if matches!(frame, Frame::SearchEnd { .. }) {
            assert!(
                searches.is_empty(),
                "its entry is gone before its end is sent"
            );
        }
        frames.push(frame.clone());
        Ok(())
    });
    let Some(Frame::SearchEnd { id: 7, done }) = frames.last() else {
        panic!("no end: {frames:?}")
    };
    assert!(done.cancelled, "{done:?}");
    assert_eq!(done.total, 300);
    // Nothing is given out after the cancel, even what the workers had read already (a
    // batch of them): the first transcript's matches are all there are.
    assert_eq!(done.files, 1, "{done:?}");
    let hits = frames
        .iter()
        .filter(|f| matches!(f, Frame::Hits { .. }))
        .count();
    assert_eq!((hits, done.hits), (1, 400), "{done:?}");
    assert!(searches.is_empty());
    assert!(!searches.cancel(7), "a cancel after the end is ignored");

    // Not cancelled: every transcript, said so.
    let mut end = None;
    search(&roots, &spec, searches.start(8), None, |frame| {
        if let Frame::SearchEnd { done, .. } = frame {
            end = Some(done.clone());
        }
        Ok(())
    });
    let done = end.unwrap();
    assert!(!done.cancelled);
    assert_eq!((done.files, done.total, done.hits), (300, 300, 300 * 400));
    assert!(searches.is_empty());
}
