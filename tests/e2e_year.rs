//! A year of history, end to end: the bench generator's year (runs over twenty repos, stores
//! of a month ago and older, their failures and FAILs) dated up to the clock the program is
//! given, plus today's handful. The header's ⚑ count is what a person can act on now: a run
//! that failed two hours ago, a run gone quiet an hour ago, a bead that failed an hour ago;
//! not a failure a later run for the same bead took over, not a FAIL the run is iterating
//! on, not a year of old failures. `i` visits exactly those; `status` names them, and caps
//! every list with `… and N more (--all)` when the window takes in the whole year.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

#[allow(dead_code)]
#[path = "../examples/bench_data/year.rs"]
mod year;

use beadboard::persist::assignment::{AssignmentStore, Clock};
use beadboard::persist::run::{EntryType, Manifest, State, TranscriptEntry, repo_id_from_path};
use chrono::{DateTime, Duration, Utc};
use common::tmux::Session;
use std::path::{Path, PathBuf};

/// The program's clock (it moves on from here).
fn now() -> DateTime<Utc> {
    common::dash::now()
}

fn ago(minutes: i64) -> DateTime<Utc> {
    now() - Duration::minutes(minutes)
}

/// Run `id` of `/home/dev/src/today` working on `prompt`: started and last written (and
/// finished, when it is) at the times given; its transcript has one iteration per signal
/// (`""`: an iteration still going).
fn run(
    root: &Path,
    id: i64,
    prompt: &str,
    state: State,
    started: i64,
    ended: i64,
    signals: &[&str],
) {
    let repo = "/home/dev/src/today";
    let dir = root
        .join("agentpair/runs")
        .join(repo_id_from_path(repo))
        .join(id.to_string());
    std::fs::create_dir_all(&dir).unwrap();
    let mut m = Manifest::new(id, repo, &repo_id_from_path(repo), prompt);
    m.state = state.clone();
    m.created_at = ago(started).fixed_offset();
    m.updated_at = ago(ended).fixed_offset();
    if state.is_terminal() {
        m.completed_at = Some(ago(ended).fixed_offset());
    }
    m.save_as_is(&dir.join("manifest.json")).unwrap();
    let entry = |kind, n: usize| {
        let mut e = TranscriptEntry::new(kind);
        e.iteration = i64::try_from(n).unwrap() + 1;
        e.timestamp = ago(ended).fixed_offset();
        e
    };
    let mut lines = String::new();
    for (n, signal) in signals.iter().enumerate() {
        lines.push_str(&entry(EntryType::Iteration, n).to_line());
        if !signal.is_empty() {
            let mut s = entry(EntryType::Signal, n);
            s.agent = "claude".into();
            s.signal = (*signal).into();
            lines.push_str(&s.to_line());
        }
    }
    std::fs::write(dir.join("transcript.jsonl"), lines).unwrap();
    for f in ["manifest.json", "transcript.jsonl"] {
        std::fs::File::options()
            .write(true)
            .open(dir.join(f))
            .unwrap()
            .set_modified(ago(ended).into())
            .unwrap();
    }
}

/// The year (1,200 runs, 30 stores) and today's handful, under a temp dir.
fn history() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let size = year::Year {
        runs: 1_200,
        repos: 20,
        active: 6,
        sessions: 30,
        beads: 10,
    };
    year::generate(dir.path(), &size, now().into());
    let root = dir.path();
    // Needs you: failed two hours ago, nothing took it over.
    run(
        root,
        1,
        "Work on bead td-1: fix the login redirect",
        State::Failed,
        180,
        120,
        &["FAIL"],
    );
    // Needs nobody: failed, and a later run for the same bead finished it.
    run(
        root,
        2,
        "Work on bead td-2: add the export",
        State::Failed,
        300,
        240,
        &[],
    );
    run(
        root,
        3,
        "Work on bead td-2: add the export",
        State::Completed,
        60,
        30,
        &["PASS"],
    );
    // Needs nobody: one review FAIL, and the run is on its next iteration.
    run(
        root,
        4,
        "Work on bead td-3: cache the search",
        State::Working,
        20,
        1,
        &["FAIL", ""],
    );
    // Needs you: quiet for an hour.
    run(
        root,
        5,
        "Work on bead td-4: page the audit log",
        State::Working,
        120,
        60,
        &[""],
    );
    // Needs you: a bead that failed an hour ago.
    let at = ago(60).fixed_offset();
    let mut store = AssignmentStore::new(&root.join("ntm"), "today")
        .unwrap()
        .with_clock(Clock::from_fn(move || at));
    store
        .assign("td-5", "Sanitize comments", 2, "codex", "", "Work on it")
        .unwrap();
    store.mark_working("td-5").unwrap();
    store.mark_failed("td-5", "tests time out").unwrap();
    dir
}

/// The program's environment: these roots, its clock at [`now`], the default window.
fn env(root: &Path) -> Vec<(&'static str, PathBuf)> {
    vec![
        ("HOME", root.to_path_buf()),
        ("BEADBOARD_NOW", PathBuf::from(common::dash::NOW)),
        ("BEADBOARD_AGENTPAIR_DIR", root.join("agentpair")),
        ("BEADBOARD_NTM_DIR", root.join("ntm")),
        ("XDG_CACHE_HOME", root.join(".cache")),
        ("XDG_CONFIG_HOME", root.join(".config")),
    ]
}

/// The screen once every run has been read and the header counts `count` (it grows as the
/// pages of runs and then the stores are read; a count that ends elsewhere times out here,
/// with the screen).
fn settled(s: &Session, count: &str) -> String {
    s.wait_until(
        |x| {
            x.lines().next().is_some_and(|h| h.contains(count))
                && x.contains("today #5")
                && !x.contains("reading")
        },
        &format!("every run read and {count:?} in the header"),
    )
}

#[test]
fn the_header_counts_what_a_person_can_act_on_now() {
    if !common::require("tmux") {
        return;
    }
    let home = history();
    let env = env(home.path());
    let env: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    let s = Session::start(200, 50, &[], &env);
    settled(&s, "⚑ 3 need you (i)");
    // `i` visits exactly those three, and then the first again.
    let mut seen = Vec::new();
    for n in 1..=3 {
        s.send(&["i"]);
        let said = s.wait_for(&format!("needs attention ({n}/3)"));
        let line = said
            .lines()
            .find(|l| l.contains("needs attention ("))
            .unwrap()
            .to_owned();
        seen.push(line);
    }
    let all = seen.join("\n");
    for wanted in ["today #1", "today #5", "td-5"] {
        assert!(all.contains(wanted), "{wanted} not visited:\n{all}");
    }
    s.send(&["q"]);
    s.wait_for(&format!("{}-0", common::tmux::EXITED));

    // At 80×24 the header says as much.
    let small = Session::start(80, 24, &[], &env);
    settled(&small, "⚑3 ");
    small.send(&["q"]);
    small.wait_for(&format!("{}-0", common::tmux::EXITED));
}

#[test]
fn status_names_them_and_caps_a_whole_year() {
    let home = history();
    let status = |window: &str, all: bool| {
        let mut cmd = common::beadboard(home.path());
        cmd.args(["status"])
            .env("BEADBOARD_ATTENTION_WINDOW", window)
            .env("BEADBOARD_AGENTPAIR_DIR", home.path().join("agentpair"))
            .env("BEADBOARD_NTM_DIR", home.path().join("ntm"));
        if all {
            cmd.arg("--all");
        }
        let (code, out, err) = common::run(&mut cmd);
        assert_eq!(code, 0, "{err}");
        out
    };
    let today = status("24h", false);
    assert!(today.contains("needs attention (3):"), "{today}");
    let flagged: Vec<&str> = today.lines().filter(|l| l.contains('⚑')).collect();
    assert_eq!(flagged.len(), 3, "{today}");
    for wanted in ["today #1", "today #5", "today/td-5"] {
        assert!(
            flagged.iter().any(|l| l.contains(wanted)),
            "{wanted}:\n{today}"
        );
    }
    // A window that takes in the whole year: every list capped, and `--all` lists it all.
    let year = status("400days", false);
    let total: usize = year
        .lines()
        .find_map(|l| l.strip_prefix("needs attention ("))
        .and_then(|l| l.split(')').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(total > 100, "{year}");
    let more = format!("  … and {} more (--all)", total - 10);
    assert!(year.lines().any(|l| l == more), "{more}:\n{year}");
    assert!(year.lines().count() < 40, "one screen:\n{year}");
    let beads_more = year
        .lines()
        .filter(|l| l.starts_with("  … and ") && l.ends_with(" more (--all)"))
        .count();
    assert_eq!(
        beads_more, 2,
        "the sessions and the attention list:\n{year}"
    );
    let everything = status("400days", true);
    assert_eq!(
        everything.lines().filter(|l| l.starts_with("  ⚑ ")).count(),
        total,
        "--all lists every one"
    );
    assert!(!everything.contains("more (--all)"));
}
