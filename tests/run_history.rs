//! A long history of runs: the paged loader hands out the active runs and the most recent
//! finished ones first and the rest in pages, always in display order; the summary cache is
//! only ever a shortcut (a changed manifest is read again, a corrupt, foreign or cut-off cache
//! file is ignored and rewritten, deleting it costs only time).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::gojson::{self, GoTime};
use beadboard::persist::run::{
    LoadOptions, Paths, RunLoader, RunSummary, State, repo_id_from_path, scan_runs,
};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The time every file's times are set back from.
fn base() -> GoTime {
    gojson::parse_time("2026-06-01T00:00:00Z").unwrap()
}

/// Far enough after every file time that each manifest has settled.
fn later() -> DateTime<Utc> {
    "2100-01-01T00:00:00Z".parse().unwrap()
}

/// Writes run `id` of repo `repo` (its files dated `minutes` after [`base`]); finished runs
/// finish then, except every seventh, which has no finish time.
fn write_run(root: &Path, repo: &str, id: i64, state: State, minutes: i64) -> PathBuf {
    let repo_id = repo_id_from_path(repo);
    let repo_dir = root.join("runs").join(&repo_id);
    let dir = repo_dir.join(id.to_string());
    if std::fs::create_dir(&dir).is_err() {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let when = base() + chrono::Duration::minutes(minutes);
    let completed = if state.is_terminal() && id % 7 != 0 {
        format!(r#","completed_at":"{}""#, gojson::format_time(&when))
    } else {
        String::new()
    };
    let manifest = dir.join("manifest.json");
    write_dated(
        &manifest,
        &format!(
            r#"{{"id":{id},"repo_path":"{repo}","repo_id":"{repo_id}","prompt":"task {id}","state":"{}","max_iterations":20,"current_iteration":1,"done_signal":"DONE","created_at":"2026-06-01T00:00:00Z","updated_at":"2026-06-01T00:00:00Z"{completed}}}"#,
            state.as_str()
        ),
        when,
    );
    if !state.is_terminal() {
        write_dated(
            &dir.join("transcript.jsonl"),
            "",
            when + chrono::Duration::seconds(30),
        );
    }
    dir
}

/// Replaces `path` with `text` (in place, as agentpair does), modified at `when`.
fn write_dated(path: &Path, text: &str, when: GoTime) {
    use std::io::Write;
    let mut f = std::fs::File::create(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f.set_modified(SystemTime::from(when)).unwrap();
}

/// `n` runs over 8 repos; every 97th is active, the rest finished (some without a finish
/// time, so their order comes from file activity), with activity times spread out.
fn history(n: i64) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    for i in 0..n {
        let state = match i % 97 {
            0 => State::Working,
            1 if i % 2 == 1 => State::Submitted,
            _ if i % 11 == 0 => State::Failed,
            _ => State::Completed,
        };
        let minutes = (i * 7919) % (n * 3);
        write_run(
            root.path(),
            &format!("/src/repo{}", i % 8),
            i + 1,
            state,
            minutes,
        );
    }
    root
}

fn options(cache: Option<&Path>) -> LoadOptions {
    let mut o = LoadOptions::new(later()).with_cache(cache.map(Path::to_path_buf));
    o.first_finished = 40;
    o.page_size = 250;
    o.threads = 3;
    o
}

fn references<R: std::ops::Deref<Target = RunSummary>>(runs: &[R]) -> Vec<String> {
    runs.iter().map(|r| r.reference()).collect()
}

#[test]
fn the_first_page_has_every_active_run_and_pages_keep_the_order() {
    let root = history(2000);
    let paths = Paths::new(root.path());
    let pages: Vec<_> = RunLoader::open(&paths, &options(None)).collect();
    let first = &pages[0];
    assert!(first.first && pages[1..].iter().all(|p| !p.first));
    let active = first.runs.iter().take_while(|r| !r.is_complete()).count();
    let all_active = (0..2000)
        .filter(|i| i % 97 == 0 || (i % 97 == 1 && i % 2 == 1))
        .count();
    assert_eq!(active, all_active, "every active run is on the first page");
    assert_eq!(first.runs.len(), all_active + 40);
    assert!(pages[1..].iter().all(|p| p.runs.len() <= 250));
    let mut loaded = 0;
    for p in &pages {
        loaded += p.runs.len();
        assert_eq!((p.loaded, p.total), (loaded, 2000));
        assert!(p.runs.iter().all(|r| r.activity.is_some()), "activity read");
    }
    assert!(pages.last().unwrap().is_last());
    let paged: Vec<String> = pages.iter().flat_map(|p| references(&p.runs)).collect();
    let full: Vec<String> = scan_runs(&paths)
        .runs
        .iter()
        .map(|r| r.reference())
        .collect();
    assert_eq!(
        paged, full,
        "pages together are the full list, in display order"
    );
}

/// Loads every run (all pages) with the cache in `cache`.
fn load(
    root: &Path,
    cache: Option<&Path>,
) -> (Vec<RunSummary>, beadboard::persist::run::LoadStats) {
    let mut loader = RunLoader::open(&Paths::new(root), &options(cache));
    let stats = loader.stats().clone();
    let runs = loader
        .by_ref()
        .flat_map(|p| p.runs)
        .map(|r| RunSummary::clone(&r))
        .collect();
    (runs, stats)
}

fn cache_file(cache: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

#[test]
fn a_manifest_changed_while_away_is_read_again() {
    let root = history(60);
    let cache = tempfile::tempdir().unwrap();
    let (cold, stats) = load(root.path(), Some(cache.path()));
    assert_eq!(
        (stats.read, stats.from_cache, stats.cache_written),
        (60, 0, true)
    );
    let (warm, stats) = load(root.path(), Some(cache.path()));
    assert_eq!(
        (stats.read, stats.from_cache, stats.cache_written),
        (0, 60, false)
    );
    assert_eq!(warm, cold, "the cache gives what the files say");

    // Rewritten in place (as agentpair does), same size, its modification time put back: the
    // change time still tells.
    let dir = root
        .path()
        .join("runs")
        .join(repo_id_from_path("/src/repo3"))
        .join("4");
    let manifest = dir.join("manifest.json");
    let before = std::fs::read_to_string(&manifest).unwrap();
    let mtime = std::fs::metadata(&manifest).unwrap().modified().unwrap();
    let after = before.replace("\"task 4\"", "\"TASK 4\"");
    assert_eq!(after.len(), before.len());
    std::fs::write(&manifest, after).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&manifest)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    // Replaced atomically by another program, finishing a run that was active.
    let active = write_run(root.path(), "/src/repo0", 1, State::Cancelled, 5);
    let (runs, stats) = load(root.path(), Some(cache.path()));
    assert_eq!(
        (stats.read, stats.from_cache, stats.cache_written),
        (2, 58, true)
    );
    let find = |dir: &Path| runs.iter().find(|r| r.dir == dir).unwrap();
    assert_eq!(find(&dir).prompt_head(), "TASK 4");
    assert_eq!(find(&active).state().as_str(), State::Cancelled.as_str());
    let (again, stats) = load(root.path(), Some(cache.path()));
    assert_eq!((stats.read, stats.from_cache), (0, 60));
    assert_eq!(again, runs);
}

#[test]
fn a_corrupt_cut_off_or_foreign_cache_is_ignored_and_rewritten() {
    let root = history(30);
    let cache = tempfile::tempdir().unwrap();
    let (truth, _) = load(root.path(), None);
    load(root.path(), Some(cache.path()));
    let file = cache_file(cache.path());
    let good = std::fs::read(&file).unwrap();
    let header_end = good.iter().position(|b| *b == b'\n').unwrap();
    let header = String::from_utf8(good[..header_end].to_vec()).unwrap();
    let damaged: [(Vec<u8>, &str); 5] = [
        (b"\x00\xffgarbage".to_vec(), "not a beadboard cache"),
        (good[..good.len() / 2].to_vec(), "entr"),
        (
            header
                .replace(
                    &format!(
                        "\"version\":{}",
                        beadboard::persist::run::cache::CACHE_VERSION
                    ),
                    "\"version\":99",
                )
                .into_bytes(),
            "version 99",
        ),
        (
            header
                .replace("\"root\":\"", "\"root\":\"/elsewhere")
                .into_bytes(),
            "another root",
        ),
        (br#"{"something":"else"}"#.to_vec(), "not a beadboard cache"),
    ];
    for (bytes, why) in damaged {
        std::fs::write(&file, &bytes).unwrap();
        let (runs, stats) = load(root.path(), Some(cache.path()));
        let problem = stats.cache_problem.unwrap_or_default();
        assert!(problem.contains(why), "{why}: {problem}");
        assert!(
            problem.contains(&file.display().to_string()),
            "names the file"
        );
        assert_eq!((stats.read, stats.cache_written), (30, true));
        assert_eq!(runs, truth);
        let (_, stats) = load(root.path(), Some(cache.path()));
        assert_eq!(
            (stats.from_cache, stats.cache_problem),
            (30, None),
            "{why}: rewritten"
        );
    }
}

#[test]
fn deleting_the_cache_costs_only_time() {
    let root = history(30);
    let cache = tempfile::tempdir().unwrap();
    let (cached, _) = load(root.path(), Some(cache.path()));
    std::fs::remove_dir_all(cache.path()).unwrap();
    let (rebuilt, stats) = load(root.path(), Some(cache.path()));
    assert_eq!((stats.read, stats.cache_written), (30, true));
    assert_eq!(rebuilt, cached);
    assert_eq!(rebuilt, load(root.path(), None).0);
}

#[test]
fn a_manifest_that_just_changed_is_not_cached() {
    let root = history(5);
    let dir = write_run(root.path(), "/src/repo9", 1, State::Working, 0);
    let manifest = dir.join("manifest.json");
    std::fs::write(&manifest, std::fs::read(&manifest).unwrap()).unwrap();
    let meta = std::fs::metadata(&manifest).unwrap();
    // "Now" is a moment after the manifest's last change: too soon to trust its times.
    let now = DateTime::<Utc>::from(meta.modified().unwrap()) + chrono::Duration::milliseconds(500);
    let cache = tempfile::tempdir().unwrap();
    let mut o = options(Some(cache.path()));
    o.now = now;
    let loader = RunLoader::open(&Paths::new(root.path()), &o);
    assert_eq!(loader.stats().read, 6);
    let loader = RunLoader::open(&Paths::new(root.path()), &o);
    assert_eq!(
        (loader.stats().read, loader.stats().from_cache),
        (6, 0),
        "only settled manifests are kept (the others are just as new here)"
    );
    let (_, stats) = load(root.path(), Some(cache.path()));
    assert_eq!(stats.from_cache, 0, "written at a later now");
    let (_, stats) = load(root.path(), Some(cache.path()));
    assert_eq!(stats.from_cache, 6);
}

#[test]
fn the_cli_shows_a_run_that_changed_while_it_was_not_running() {
    let root = history(20);
    let home = tempfile::tempdir().unwrap();
    let cache = home.path().join("cache");
    load(root.path(), Some(&cache));
    let states = || {
        let out = common::beadboard(home.path())
            .env("BEADBOARD_AGENTPAIR_DIR", root.path())
            .env("BEADBOARD_CACHE_DIR", &cache)
            .args(["runs", "--json"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let runs: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        runs.iter()
            .map(|r| {
                (
                    r["id"].as_i64().unwrap(),
                    r["state"].as_str().unwrap().to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    let before = states();
    assert!(before.contains(&(1, "working".to_owned())), "{before:?}");
    write_run(root.path(), "/src/repo0", 1, State::Failed, 99_999);
    let after = states();
    assert!(after.contains(&(1, "failed".to_owned())), "{after:?}");
    assert!(!after.contains(&(1, "working".to_owned())), "{after:?}");
}

#[test]
fn the_runs_of_one_repo_share_its_path_and_key() {
    let root = history(64);
    let cache = tempfile::tempdir().unwrap();
    // Read from the manifests (the cache is written), then from the cache.
    for round in ["manifests", "cache"] {
        let mut loader = RunLoader::open(&Paths::new(root.path()), &options(Some(cache.path())));
        let runs: Vec<_> = loader.by_ref().flat_map(|p| p.runs).collect();
        assert_eq!(runs.len(), 64);
        let mut by_repo: std::collections::HashMap<&str, &RunSummary> = Default::default();
        for r in &runs {
            let m = r.manifest().unwrap();
            let first = by_repo.entry(&m.repo_path).or_insert(r);
            let shared = first.manifest().unwrap();
            assert!(
                std::sync::Arc::ptr_eq(&shared.repo_path, &m.repo_path),
                "{round}: {} holds a copy of its repo's path",
                r.reference()
            );
            assert!(
                std::sync::Arc::ptr_eq(&first.repo_key, &r.repo_key),
                "{round}: {} holds a copy of its repo's key",
                r.reference()
            );
        }
        assert_eq!(by_repo.len(), 8);
    }
}
