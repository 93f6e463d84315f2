//! Names, references, resolving what a user typed, and the Runs filter.
#![allow(clippy::single_range_in_vec_init)]

use super::*;
use crate::persist::run::{Manager, Paths, RunConfig, repo_id_from_path};
use std::path::Path;

/// Runs 1..=n of each repo path, loaded as the scanner would.
fn runs(root: &Path, repos: &[(&str, i64)]) -> Vec<RunRecord> {
    let mut out = Vec::new();
    for (repo, n) in repos {
        let manager = Manager::new(Paths::new(root), *repo);
        for i in 1..=*n {
            let run = manager
                .create(
                    &format!("task {i} of {repo}: fix the Limiter"),
                    &RunConfig::default(),
                )
                .unwrap();
            out.push(RunRecord::load(run.dir()).unwrap());
        }
    }
    out
}

fn pick(runs: &[RunRecord], spec: &str, here: Option<&str>) -> Result<String, NameError> {
    resolve(spec, runs, here).map(reference)
}

#[test]
fn names_and_references() {
    let home = tempfile::tempdir().unwrap();
    let all = runs(home.path(), &[("/home/dev/src/api", 1), ("/srv/web/", 1)]);
    assert_eq!(name(&all[0]), "api #1");
    assert_eq!(name(&all[1]), "web #1");
    assert_eq!(
        reference(&all[0]),
        format!("{}/1", repo_id_from_path("/home/dev/src/api"))
    );
}

#[test]
fn parses_every_form() {
    assert_eq!(
        Spec::parse("api #4"),
        Some(Spec::Name {
            repo: "api",
            id: "4"
        })
    );
    assert_eq!(
        Spec::parse(" api#4 "),
        Some(Spec::Name {
            repo: "api",
            id: "4"
        })
    );
    assert_eq!(Spec::parse("#4"), Some(Spec::Name { repo: "", id: "4" }));
    assert_eq!(
        Spec::parse("ea93/12"),
        Some(Spec::Reference {
            repo: "ea93",
            id: "12"
        })
    );
    assert_eq!(Spec::parse("12"), Some(Spec::Id("12")));
    for bad in ["", "api", "api #", "#x", "a/b/4", "/4", "4/x", "-3"] {
        assert_eq!(Spec::parse(bad), None, "{bad:?}");
    }
}

#[test]
fn resolves_both_forms_and_says_what_is_wrong() {
    let home = tempfile::tempdir().unwrap();
    let all = runs(
        home.path(),
        &[
            ("/home/dev/src/api", 4),
            ("/home/dev/src/web", 2),
            ("/other/api", 1),
        ],
    );
    let api = repo_id_from_path("/home/dev/src/api");
    let web = repo_id_from_path("/home/dev/src/web");
    let other = repo_id_from_path("/other/api");
    // A name and its reference pick the same run.
    assert_eq!(pick(&all, "api #4", None).unwrap(), format!("{api}/4"));
    assert_eq!(pick(&all, "API #4", None).unwrap(), format!("{api}/4"));
    assert_eq!(
        pick(&all, &format!("{api}/4"), None).unwrap(),
        format!("{api}/4")
    );
    assert_eq!(
        pick(&all, &format!("{}/4", &api[..6]), None).unwrap(),
        format!("{api}/4")
    );
    assert_eq!(pick(&all, "web #2", None).unwrap(), format!("{web}/2"));
    // `#2` and `2`: the current repo's first, else the only run with that id.
    assert_eq!(pick(&all, "#2", Some(&web)).unwrap(), format!("{web}/2"));
    assert_eq!(pick(&all, "2", Some(&api)).unwrap(), format!("{api}/2"));
    assert_eq!(pick(&all, "#3", None).unwrap(), format!("{api}/3"));
    // Ambiguous: two repos named api have a run 1; two repos have a run 2.
    let err = pick(&all, "api #1", None).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "api #1 could be any of 2 runs: api #1 ({api}/1), api #1 ({other}/1); name one by REPO_ID/ID"
        )
    );
    let err = pick(&all, "#2", Some(&other)).unwrap_err();
    assert!(
        matches!(&err, NameError::Ambiguous { candidates, .. } if candidates.len() == 2),
        "{err}"
    );
    // Unknown: says which runs have that id, or that none does.
    let err = pick(&all, "web #4", None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no run web #4: no repo named \"web\" has it; runs with id 4: api #4"
    );
    let err = pick(&all, "#9", Some(&api)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no run #9: no repo has it, and no run has id 9 (see `beadboard runs`)"
    );
    let err = pick(&all, "zzzz/1", None).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("no run zzzz/1: no repo id starting with \"zzzz\""),
        "{err}"
    );
    let err = pick(&all, "api", None).unwrap_err();
    assert!(matches!(err, NameError::NotAName(_)), "{err}");
    assert!(err.to_string().contains("NAME #ID"), "{err}");
    let err = pick(&[], "#1", None).unwrap_err();
    assert!(err.to_string().contains("there are no runs"), "{err}");
}

#[test]
fn the_filter_picks_by_name_or_text_and_says_what_matched() {
    let home = tempfile::tempdir().unwrap();
    let all = runs(
        home.path(),
        &[("/home/dev/src/api", 4), ("/home/dev/src/web", 1)],
    );
    let names = |q: &str| -> Vec<String> {
        all.iter()
            .filter(|r| filter(r, q).is_some())
            .map(name)
            .collect()
    };
    assert_eq!(names("api #4"), ["api #4"]);
    assert_eq!(names("/API #4".trim_start_matches('/')), ["api #4"]);
    assert_eq!(names("#1"), ["api #1", "web #1"]);
    assert_eq!(names("web #4"), Vec::<String>::new());
    assert_eq!(names("web"), ["web #1"]);
    assert_eq!(names("submitted").len(), 5);
    assert_eq!(names("TASK 3"), ["api #3"]);
    assert_eq!(
        names(&repo_id_from_path("/home/dev/src/web")[..8]),
        ["web #1"]
    );
    assert_eq!(names("").len(), 5);
    // What matched, for the view to mark.
    let api4 = &all[3];
    assert_eq!(filter(api4, "api #4").unwrap().name, vec![0..6]);
    assert_eq!(filter(api4, "#4").unwrap().name, vec![4..6]);
    let marks = filter(api4, "limiter").unwrap();
    assert_eq!(marks.prompt, vec![37..44]);
    assert!(marks.name.is_empty() && marks.repo.is_empty());
    let marks = filter(api4, "API").unwrap();
    assert_eq!(
        (marks.name, marks.repo, marks.prompt),
        (vec![0..3], vec![14..17], vec![24..27])
    );
    assert_eq!(filter(api4, "").unwrap(), Highlights::default());
}

#[test]
fn find_ignores_case_and_keeps_whole_characters() {
    assert_eq!(
        find("Fix the LIMITER limiter", "limiter"),
        vec![8..15, 16..23]
    );
    assert_eq!(find("aaa", "aa"), vec![0..2]);
    // Lower-casing `İ` gives two characters: the range still covers whole characters of the text.
    assert_eq!(find("xİy", "i̇"), vec![1..3]);
    assert_eq!(find("日本語", "本"), vec![3..6]);
    assert_eq!(find("abc", ""), Vec::<std::ops::Range<usize>>::new());
}

/// A session of `agent` with this id in `cwd`, as a run.
fn session(agent: crate::persist::session::Agent, id: &str, cwd: &str) -> RunSummary {
    use crate::persist::run::{RunKind, SessionRun};
    use crate::persist::session::{SessionSource, Summarizer};
    let mut summary = Summarizer::new(agent, SessionSource::Lines(format!("/s/{id}.jsonl").into()))
        .into_summary();
    summary.id = id.to_owned();
    summary.cwd = cwd.to_owned();
    let now = chrono::DateTime::UNIX_EPOCH;
    RunSummary {
        dir: format!("/s/{id}.jsonl").into(),
        repo_key: Default::default(),
        run_key: id.to_owned(),
        kind: RunKind::Session(Box::new(SessionRun::new(
            summary,
            None,
            std::time::Duration::from_secs(600),
            now,
        ))),
        activity: None,
        peek: None,
        stamp: None,
    }
}

#[test]
fn sessions_are_named_by_repo_agent_and_short_id() {
    use crate::persist::session::Agent;
    let claude = session(
        Agent::Claude,
        "88a8d761-7b9a-4bf1-a8ca-c1febe6bf358",
        "/home/dev/webapp",
    );
    assert_eq!(name(&claude), "webapp claude 88a8d7");
    assert_eq!(reference(&claude), "88a8d761-7b9a-4bf1-a8ca-c1febe6bf358");
    // Ids that start with their time give their random end.
    let codex = session(
        Agent::Codex,
        "0198c7a2-5b1e-7c3d-9f10-2a4b6c8d0e1f",
        "/home/dev/webapp/",
    );
    assert_eq!(name(&codex), "webapp codex 8d0e1f");
    let opencode = session(
        Agent::OpenCode,
        "ses_5b1e2c3d9ffeAbCdEfGhIjKl",
        "C:\\src\\cli",
    );
    assert_eq!(name(&opencode), "cli opencode ghijkl");
    assert_eq!(short_id(""), "?");
}

#[test]
fn a_session_resolves_by_name_id_or_a_prefix_of_six() {
    use crate::persist::session::Agent;
    let home = tempfile::tempdir().unwrap();
    let agentpair: Vec<RunSummary> = runs(home.path(), &[("/home/dev/src/api", 2)])
        .iter()
        .map(|r| crate::persist::run::ToSummary::to_summary(r).into_owned())
        .collect();
    let mut all = agentpair;
    for id in [
        "88a8d761-7b9a-4bf1-a8ca-c1febe6bf358",
        "88a8d7ff-0000-4000-8000-000000000000",
        "c3fb0a4e-2d1f-4e55-9a0b-7d2e8f6a1b90",
    ] {
        all.push(session(Agent::Claude, id, "/home/dev/webapp"));
    }
    let pick = |spec: &str| resolve(spec, &all, None).map(reference);
    assert_eq!(
        pick("c3fb0a4e-2d1f-4e55-9a0b-7d2e8f6a1b90").unwrap(),
        "c3fb0a4e-2d1f-4e55-9a0b-7d2e8f6a1b90"
    );
    assert_eq!(
        pick("c3fb0a").unwrap(),
        "c3fb0a4e-2d1f-4e55-9a0b-7d2e8f6a1b90"
    );
    assert_eq!(
        pick("WEBAPP claude c3fb0a").unwrap(),
        "c3fb0a4e-2d1f-4e55-9a0b-7d2e8f6a1b90"
    );
    // Five characters: too short, said so.
    let err = pick("c3fb0").unwrap_err();
    assert!(matches!(err, NameError::ShortPrefix(_)), "{err}");
    assert!(err.to_string().contains("at least 6 characters"), "{err}");
    // Six that two ids share: refused, naming both.
    let err = pick("88a8d7").unwrap_err().to_string();
    assert!(
        err.contains("could be any of 2 runs")
            && err.contains("webapp claude 88a8d7 (88a8d761-")
            && err.contains("(88a8d7ff-")
            && err.ends_with("give more of the session id"),
        "{err}"
    );
    assert_eq!(
        pick("88a8d76").unwrap(),
        "88a8d761-7b9a-4bf1-a8ca-c1febe6bf358"
    );
    // Agentpair runs are named as before, and a name nobody has is not a session either.
    assert!(pick("api #2").unwrap().ends_with("/2"));
    assert!(matches!(pick("#9"), Err(NameError::Unknown { .. })));
    assert!(matches!(pick("zzzzzz"), Err(NameError::Unknown { .. })));
}
