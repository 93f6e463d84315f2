//! The demo's sandbox: a temporary directory (under the system temp dir, never `$HOME`) holding
//! an agentpair root with a realistic history of runs, one run that went stale, an NTM session
//! store of beads, and a beads `issues.jsonl`. History is written through the persistence layer
//! with past timestamps; file times are set to match.

use super::corpus::Corpus;
use crate::config::Roots;
use crate::persist::assignment::{AssignmentStore, Clock};
use crate::persist::gojson::{self, Object};
use crate::persist::run::{
    BRIDGE_FILE, EntryType, MANIFEST_FILE, Manager, Paths, RunConfig, State, TRANSCRIPT_FILE,
    TranscriptEntry,
};
use chrono::{Duration as Span, Utc};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// The tmux session name of the demo's store.
pub const SESSION: &str = "demo";

/// A bead of the demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bead {
    /// `dm-xxxx`.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The repository its runs happen in.
    pub repo: String,
}

impl Bead {
    /// NTM's default prompt for the bead.
    #[must_use]
    pub fn prompt(&self) -> String {
        format!(
            "Work on bead {}: {}. Check dependencies first with `br dep tree {}`.",
            self.id, self.title, self.id
        )
    }
}

/// The sandbox on disk.
#[derive(Debug)]
pub struct Sandbox {
    dir: tempfile::TempDir,
    /// Every bead, in catalog order.
    pub beads: Vec<Bead>,
    /// Beads not yet in the store (the simulator assigns them over time).
    pub backlog: Vec<Bead>,
}

fn base36(rng: &mut fastrand::Rng, len: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..len)
        .map(|_| char::from(DIGITS[rng.usize(..DIGITS.len())]))
        .collect()
}

/// The pane and agent a bead is given: panes 1–2 claude, 3–4 codex, 5–6 gemini.
#[must_use]
pub fn agent_for_pane(pane: i64) -> (&'static str, String) {
    let kind = match pane {
        1 | 2 => "claude",
        3 | 4 => "codex",
        _ => "gemini",
    };
    (kind, format!("{SESSION}_{kind}_{pane}"))
}

impl Sandbox {
    /// Creates and fills a sandbox from `seed`.
    ///
    /// # Errors
    /// Any I/O error while creating it.
    pub fn create(
        seed: u64,
        corpus: &Corpus,
    ) -> Result<Sandbox, Box<dyn std::error::Error + Send + Sync>> {
        let dir = tempfile::Builder::new()
            .prefix("beadboard-demo-")
            .tempdir()?;
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut titles = corpus.beads.clone();
        rng.shuffle(&mut titles);
        let beads: Vec<Bead> = titles
            .iter()
            .take(12)
            .map(|t| Bead {
                id: format!("dm-{}", base36(&mut rng, 4)),
                title: t.clone(),
                repo: corpus.repos[rng.usize(..corpus.repos.len())].clone(),
            })
            .collect();
        let sandbox = Sandbox {
            backlog: beads[7..].to_vec(),
            beads,
            dir,
        };
        sandbox.seed(&mut rng, corpus)?;
        Ok(sandbox)
    }

    /// The sandbox directory.
    #[must_use]
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The roots the dashboard is opened on.
    #[must_use]
    pub fn roots(&self) -> Roots {
        Roots {
            agentpair: self.path().join("agentpair"),
            ntm: self.path().join("ntm"),
            beads: Some(self.path().join(".beads").join("issues.jsonl")),
        }
    }

    /// Keeps the directory after the demo and returns its path.
    #[must_use]
    pub fn keep(self) -> PathBuf {
        self.dir.keep()
    }

    fn seed(
        &self,
        rng: &mut fastrand::Rng,
        corpus: &Corpus,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let roots = self.roots();
        let now = Utc::now();
        let clock_at = Arc::new(AtomicI64::new(now.timestamp()));
        let clock = {
            let at = Arc::clone(&clock_at);
            Clock::from_fn(move || {
                chrono::DateTime::from_timestamp(at.load(Ordering::SeqCst), 0)
                    .unwrap_or_default()
                    .fixed_offset()
            })
        };
        let set_clock = |minutes_ago: i64| {
            clock_at.store(
                (now - Span::minutes(minutes_ago)).timestamp(),
                Ordering::SeqCst,
            )
        };
        let mut store = AssignmentStore::new(&roots.ntm, SESSION)?.with_clock(clock);
        let paths = Paths::new(&roots.agentpair);
        // Finished history: three completed beads and one failed, each with its run.
        for (i, bead) in self.beads[..4].iter().enumerate() {
            let pane = i64::try_from(i % 6).unwrap_or(0) + 1;
            let (kind, name) = agent_for_pane(pane);
            let start = 200 - 45 * i64::try_from(i).unwrap_or(0);
            set_clock(start);
            store.assign(&bead.id, &bead.title, pane, kind, &name, &bead.prompt())?;
            set_clock(start - 2);
            store.mark_working(&bead.id)?;
            let failed = i == 3;
            let end = write_history(
                &paths,
                bead,
                now - Span::minutes(start - 2),
                failed,
                corpus,
                rng,
            )?;
            set_clock((now - end).num_minutes());
            if failed {
                store.mark_failed(&bead.id, &Corpus::pick(&corpus.fail_reasons, rng))?;
            } else {
                store.mark_completed(&bead.id)?;
            }
        }
        // A bead whose run died long ago: still working on the board, stale in Runs.
        let stale = &self.beads[4];
        set_clock(52);
        store.assign(
            &stale.id,
            &stale.title,
            5,
            "gemini",
            &format!("{SESSION}_gemini_5"),
            &stale.prompt(),
        )?;
        set_clock(50);
        store.mark_working(&stale.id)?;
        write_stale(&paths, stale, now - Span::minutes(50))?;
        // Two beads waiting to be started (the simulator starts them at once).
        for (bead, pane) in self.beads[5..7].iter().zip([1, 3]) {
            set_clock(3);
            let (kind, name) = agent_for_pane(pane);
            store.assign(&bead.id, &bead.title, pane, kind, &name, &bead.prompt())?;
        }
        self.write_beads_file(&store)?;
        Ok(())
    }

    fn write_beads_file(&self, store: &AssignmentStore) -> std::io::Result<()> {
        let path = self.path().join(".beads").join("issues.jsonl");
        std::fs::create_dir_all(path.parent().unwrap_or(self.path()))?;
        let mut text = String::new();
        for (i, bead) in self.beads.iter().enumerate() {
            let status = match store
                .get(&bead.id)
                .map(|a| a.status.as_str().to_owned())
                .as_deref()
            {
                Some("completed") => "closed",
                Some("working" | "assigned") => "in_progress",
                _ => "open",
            };
            let issue = serde_json::json!({"id": bead.id, "title": bead.title, "status": status, "priority": i % 4, "issue_type": if i % 3 == 0 { "bug" } else { "feature" }});
            text.push_str(&gojson::encode(&issue, gojson::Style::LINE));
            text.push('\n');
        }
        crate::persist::atomic::write_atomic(&path, text.as_bytes(), 0o644)
    }
}

fn entry(
    kind: EntryType,
    at: chrono::DateTime<Utc>,
    run_id: i64,
    fill: impl FnOnce(&mut TranscriptEntry),
) -> TranscriptEntry {
    let mut e = TranscriptEntry::new(kind);
    e.timestamp = at.fixed_offset();
    e.run_id = run_id;
    fill(&mut e);
    e
}

fn set_times(dir: &Path, at: chrono::DateTime<Utc>) -> std::io::Result<()> {
    let when = std::time::SystemTime::from(at);
    for name in [MANIFEST_FILE, TRANSCRIPT_FILE, BRIDGE_FILE] {
        if let Ok(f) = File::options().append(true).open(dir.join(name)) {
            f.set_modified(when)?;
        }
    }
    Ok(())
}

/// A finished run written as agentpair would have written it, starting at `start`.
fn write_history(
    paths: &Paths,
    bead: &Bead,
    start: chrono::DateTime<Utc>,
    failed: bool,
    corpus: &Corpus,
    rng: &mut fastrand::Rng,
) -> Result<chrono::DateTime<Utc>, Box<dyn std::error::Error + Send + Sync>> {
    let run = Manager::new(paths.clone(), bead.repo.clone())
        .create(&bead.prompt(), &RunConfig::default())?;
    let id = run.manifest.id;
    let mut t = start;
    let mut jitter = fastrand::Rng::with_seed(rng.u64(..));
    let mut step = |minutes: i64, secs: i64| {
        t += Span::minutes(minutes) + Span::seconds(secs) + Span::milliseconds(jitter.i64(0..999));
        t
    };
    let mut lines = Vec::new();
    let mut md = Object::new();
    md.insert("max_iterations".into(), 20.into());
    md.insert("primary_agent".into(), "codex".into());
    md.insert("review_mode".into(), "claudex".into());
    lines.push(entry(EntryType::Start, step(0, 1), id, |e| {
        e.content = bead.prompt();
        e.metadata = md;
    }));
    lines.push(entry(EntryType::State, step(0, 1), id, |e| {
        e.state = Some(State::Working)
    }));
    let iterations = if failed { 1 } else { 2 };
    for n in 1..=iterations {
        lines.push(entry(EntryType::Iteration, step(0, 1), id, |e| {
            e.iteration = n
        }));
        lines.push(entry(EntryType::Execute, step(0, 1), id, |e| {
            e.agent = "codex".into();
            e.iteration = n;
            e.content = format!("{} messages", n * 2 - 1);
        }));
        let done = n == iterations && !failed;
        let took = (4 + n * 3, 17);
        let out = Corpus::pick(
            if done {
                &corpus.primary_done
            } else {
                &corpus.primary
            },
            rng,
        );
        lines.push(entry(EntryType::Result, step(took.0, took.1), id, |e| {
            e.agent = "codex".into();
            e.iteration = n;
            e.content = out;
            e.duration = (took.0 * 60 + took.1) * 1_000_000_000;
        }));
        if failed {
            lines.push(entry(EntryType::Error, step(0, 2), id, |e| {
                e.agent = "loop".into();
                e.iteration = n;
                e.error = corpus.errors[0].clone();
            }));
            break;
        }
        if done {
            lines.push(entry(EntryType::Signal, step(0, 0), id, |e| {
                e.agent = "codex".into();
                e.iteration = n;
                e.signal = "DONE".into();
            }));
        }
        lines.push(entry(EntryType::Execute, step(0, 1), id, |e| {
            e.agent = "claude".into();
            e.iteration = n;
            e.content = format!("{} messages", n * 2 - 1);
        }));
        let review = Corpus::pick(
            if done {
                &corpus.review_pass
            } else {
                &corpus.review_fail
            },
            rng,
        );
        lines.push(entry(EntryType::Result, step(1, 12), id, |e| {
            e.agent = "claude".into();
            e.iteration = n;
            e.content = review;
            e.duration = 72_000_000_000;
        }));
        let signal = if done { "PASS" } else { "FAIL" };
        lines.push(entry(EntryType::Signal, step(0, 0), id, |e| {
            e.agent = "claude".into();
            e.iteration = n;
            e.signal = signal.into();
        }));
    }
    let end = step(0, 1);
    if !failed {
        let total = (end - start).num_nanoseconds().unwrap_or(0);
        lines.push(entry(EntryType::End, end, id, |e| {
            e.state = Some(State::Completed);
            e.duration = total;
        }));
    }
    for line in &lines {
        run.transcript.append_as_is(line)?;
    }
    let mut manifest = run.manifest.clone();
    manifest.created_at = start.fixed_offset();
    manifest.codex_session_id = format!("sess_{:016x}", rng.u64(..));
    manifest.current_iteration = iterations;
    manifest.state = if failed {
        State::Failed
    } else {
        State::Completed
    };
    manifest.completed_at = Some(end.fixed_offset());
    manifest.updated_at = (end + Span::milliseconds(3)).fixed_offset();
    if failed {
        manifest.error = corpus.errors[0].clone();
    }
    manifest.save_as_is(&run.dir().join(MANIFEST_FILE))?;
    set_times(run.dir(), end)?;
    Ok(end)
}

/// A run whose process died after sending its first request: `working`, quiet since.
fn write_stale(
    paths: &Paths,
    bead: &Bead,
    start: chrono::DateTime<Utc>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let run = Manager::new(paths.clone(), bead.repo.clone())
        .create(&bead.prompt(), &RunConfig::default())?;
    let id = run.manifest.id;
    let at = |m: i64| start + Span::minutes(m);
    run.transcript
        .append_as_is(&entry(EntryType::Start, at(0), id, |e| {
            e.content = bead.prompt()
        }))?;
    run.transcript
        .append_as_is(&entry(EntryType::State, at(0), id, |e| {
            e.state = Some(State::Working)
        }))?;
    run.transcript
        .append_as_is(&entry(EntryType::Iteration, at(1), id, |e| e.iteration = 1))?;
    run.transcript
        .append_as_is(&entry(EntryType::Execute, at(15), id, |e| {
            e.agent = "codex".into();
            e.iteration = 1;
            e.content = "1 messages".into();
        }))?;
    let mut manifest = run.manifest.clone();
    manifest.created_at = start.fixed_offset();
    manifest.state = State::Working;
    manifest.updated_at = at(1).fixed_offset();
    manifest.save_as_is(&run.dir().join(MANIFEST_FILE))?;
    set_times(run.dir(), at(15))?;
    Ok(())
}
