//! Lists that read as people count and times that tell the day: run ids compare as numbers
//! (`#9` before `#10`, `#88` before `#100`) in the Runs pane, `runs` and `runs --json`; a list
//! longer than the pane says where the view is (`Runs 12/40`); an entry not from today shows
//! its date (and the year, when not this year) in the pane, in `transcript` and in `search`.
//! Headless with a fixed clock at 80×24 and 200×50, and through the real binary with its
//! clock pinned to the same time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::keymap::Keymap;
use beadboard::app::model::{Model, Settings};
use beadboard::config::Roots;
use beadboard::persist::run::{EntryType, Manifest, State, TranscriptEntry, repo_id_from_path};
use chrono::{DateTime, Utc};
use common::dash::{now, press, screen};
use std::path::Path;

const REPO: &str = "/home/dev/src/shop";

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// Run `id` of [`REPO`], completed, started at `started`; its transcript's entries are at
/// `times`, each a result saying `said`.
fn run(ap: &Path, id: i64, started: &str, times: &[&str], said: &str) {
    let dir = ap
        .join("runs")
        .join(repo_id_from_path(REPO))
        .join(id.to_string());
    std::fs::create_dir_all(&dir).unwrap();
    let mut m = Manifest::new(id, REPO, &repo_id_from_path(REPO), &format!("task {id}"));
    m.state = State::Completed;
    m.created_at = at(started).fixed_offset();
    let last = times.last().map_or(at(started), |t| at(t));
    m.updated_at = last.fixed_offset();
    m.completed_at = Some(last.fixed_offset());
    m.save_as_is(&dir.join("manifest.json")).unwrap();
    let mut lines = String::new();
    for t in times {
        let mut e = TranscriptEntry::new(EntryType::Result);
        e.iteration = 1;
        e.agent = "codex".into();
        e.content = said.into();
        e.timestamp = at(t).fixed_offset();
        lines.push_str(&e.to_line());
    }
    std::fs::write(dir.join("transcript.jsonl"), lines).unwrap();
}

/// Runs #8, #9, #10, #88 and #100, started at the same time (so only the id orders them),
/// the first with entries from last year, this month and today.
fn ids_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let ap = home.path().join("ap");
    for id in [100, 88, 10, 9, 8] {
        run(
            &ap,
            id,
            "2026-11-01T08:00:00Z",
            &["2026-11-01T09:00:00Z"],
            "done",
        );
    }
    run(
        &ap,
        8,
        "2026-11-01T08:00:00Z",
        &[
            "2025-12-31T23:00:00Z",
            "2026-11-21T09:00:00Z",
            "2026-11-22T15:00:00Z",
        ],
        "needle here",
    );
    home
}

/// `count` runs of [`REPO`], one started a minute after the other.
fn many_home(count: i64) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let ap = home.path().join("ap");
    for id in 1..=count {
        let started = (at("2026-11-22T10:00:00Z") + chrono::Duration::minutes(id)).to_rfc3339();
        run(&ap, id, &started, &[], "");
    }
    home
}

fn model(home: &Path, w: u16, h: u16) -> Model {
    let roots = Roots {
        agentpair: home.join("ap"),
        ntm: home.join("ntm"),
        beads: None,
        agents: Default::default(),
    };
    let settings = Settings {
        home: Some(home.to_path_buf()),
        ..Settings::default()
    };
    Model::load_at(roots, settings, Keymap::default(), (w, h), now())
}

/// The run names in the order the screen (or `runs`) lists them.
fn listed(shown: &str) -> Vec<String> {
    shown
        .lines()
        .filter(|l| l.contains("completed"))
        .filter_map(|l| l.split("shop #").nth(1))
        .map(|rest| format!("#{}", rest.split_whitespace().next().unwrap()))
        .collect()
}

#[test]
fn the_pane_orders_ids_as_numbers_in_every_order() {
    let home = ids_home();
    for (w, h) in [(80, 24), (200, 50)] {
        let mut m = model(home.path(), w, h);
        let shown = screen(&m);
        assert_eq!(
            listed(&shown),
            ["#8", "#9", "#10", "#88", "#100"],
            "{w}×{h}:\n{shown}"
        );
        assert!(shown.contains("Runs 5 · by state"), "{shown}");
        // `o` cycles the key: started, activity, repo, id, and back to state.
        for key in ["started", "activity", "repo", "id"] {
            press(&mut m, "o");
            let shown = screen(&m);
            assert!(shown.contains(&format!("· by {key}")), "{key}:\n{shown}");
            assert_eq!(
                listed(&shown),
                ["#8", "#9", "#10", "#88", "#100"],
                "by {key} at {w}×{h}:\n{shown}"
            );
        }
        press(&mut m, "o");
        assert!(screen(&m).contains("· by state"));
    }
}

#[test]
fn the_title_says_where_the_view_is_in_a_long_list() {
    let home = many_home(40);
    for (w, h) in [(80, 24), (200, 50)] {
        let mut m = model(home.path(), w, h);
        let shown = screen(&m);
        assert!(shown.contains("Runs 1/40 · by state"), "{w}×{h}:\n{shown}");
        // The newest start first: #40 at the top, selected.
        assert_eq!(listed(&shown).first().map(String::as_str), Some("#40"));
        press(&mut m, "G");
        let shown = screen(&m);
        assert!(shown.contains("Runs 40/40"), "{w}×{h}:\n{shown}");
        assert!(listed(&shown).contains(&"#1".to_owned()), "{shown}");
    }
    // A list that fits says only how many.
    let m = model(many_home(3).path(), 80, 24);
    assert!(screen(&m).contains("Runs 3 · by state"), "{}", screen(&m));
}

#[test]
fn an_entry_not_from_today_shows_its_date_in_the_pane() {
    let home = ids_home();
    for (w, h) in [(80, 24), (200, 50)] {
        let mut m = model(home.path(), w, h);
        // ACTIVITY of a finished run is its last entry's time, not its files' (just written).
        let runs = screen(&m);
        let eight = runs
            .lines()
            .find(|l| l.contains("completed shop #8 "))
            .unwrap();
        assert!(eight.contains("1h ago"), "{runs}");
        let nine = runs
            .lines()
            .find(|l| l.contains("completed shop #9 "))
            .unwrap();
        assert!(nine.contains("21d ago"), "{runs}");
        // #8 is listed first; at 80×24 Enter opens it (200×50 shows it beside the list).
        if w < 120 {
            press(&mut m, "Enter");
        }
        let shown = screen(&m);
        assert!(shown.contains("Dec 31 2025 23:00:00"), "{w}×{h}:\n{shown}");
        assert!(shown.contains("Nov 21 09:00:00"), "{w}×{h}:\n{shown}");
        // Today's time lines up under the dated ones, without a date.
        let today = shown
            .lines()
            .find(|l| l.contains("15:00:00"))
            .unwrap_or_else(|| panic!("{shown}"));
        assert!(!today.contains("Nov 22"), "{today}");
        assert!(today.contains("            15:00:00"), "{today}");
    }
}

#[test]
fn the_cli_orders_ids_as_numbers_and_dates_old_entries() {
    let home = ids_home();
    let ap = home.path().join("ap");
    let cli = |args: &[&str]| {
        let mut cmd = common::beadboard(home.path());
        cmd.arg("--agentpair-dir")
            .arg(&ap)
            .arg("--ntm-dir")
            .arg(home.path().join("ntm"))
            .args(args);
        let (code, out, err) = common::run(&mut cmd);
        assert_eq!(code, 0, "{args:?}: {err}");
        out
    };
    let text = cli(&["runs", "--all"]);
    assert_eq!(
        listed(&text),
        ["#8", "#9", "#10", "#88", "#100"],
        "runs:\n{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&cli(&["runs", "--all", "--json"])).unwrap();
    let ids: Vec<i64> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [8, 9, 10, 88, 100], "runs --json");

    let reference = format!("{}/8", repo_id_from_path(REPO));
    let transcript = cli(&["transcript", &reference]);
    assert!(transcript.contains("Dec 31 2025 23:00:00"), "{transcript}");
    assert!(transcript.contains("Nov 21 09:00:00"), "{transcript}");
    let today = transcript.lines().find(|l| l.contains("15:00:00")).unwrap();
    assert!(!today.contains("Nov 22"), "{transcript}");

    let found = cli(&["search", "needle"]);
    assert!(found.contains("Dec 31 2025 23:00:00"), "{found}");
    assert!(found.contains("Nov 21 09:00:00"), "{found}");
    let today = found.lines().find(|l| l.contains("15:00:00")).unwrap();
    assert!(!today.contains("Nov 22"), "{found}");
}
