//! The search of every run's transcript (`F`): the prompt (its `repo:`/`since:` words), starting
//! a search on a worker (a new one stops the old), taking its updates (those of an older search
//! are dropped), and the results list's keys: moving, Enter opening the run's transcript at the
//! match, Esc stopping a running search (and telling the hosts still searching it to stop)
//! and then closing the list.

use super::actions::settle_runs;
use crate::app::action::Action;
use crate::app::effect::{CorpusJob, Effect};
use crate::app::model::corpus::{CorpusResults, CorpusState};
use crate::app::model::{Form, Model, Overlay, Pane, Pending, StatusKind};
use crate::app::outcome::CorpusUpdate;
use crate::persist::session::SessionSource;
use crate::present::naming;
use crate::remote::protocol::SearchSpec;
use crate::search::{Target, Typed, of_repo, parse_since};
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// Opens the prompt, holding the last search's words (selected: typing replaces them).
/// `from_list`: Esc goes back to the results list rather than to the panes.
pub fn ask(model: &mut Model, from_list: bool) {
    let typed = model
        .corpus
        .as_ref()
        .map(|c| c.typed.clone())
        .unwrap_or_default();
    model.overlay = Some(Overlay::Form(Form::single(
        "search every transcript",
        "F search all",
        typed,
        "",
        Pending::SearchAll(from_list),
    )));
}

/// Starts a search of every run's transcript for `typed` (text, and any `repo:R` and `since:D`
/// words), as of `now`, and shows its results list; or says why not.
///
/// # Errors
/// Nothing to find, a `since:` that cannot be read, a `repo:` no run is of, or runs not read
/// yet: in words, for the prompt.
pub fn start(model: &mut Model, typed: &str, now: DateTime<Utc>) -> Result<(), String> {
    let words = Typed::parse(typed);
    if words.pattern.trim().is_empty() {
        return Err("type the text to find (repo:NAME and since:7d narrow it)".to_owned());
    }
    let since = words
        .since
        .as_deref()
        .map(|d| parse_since(d, now))
        .transpose()
        .map_err(|why| format!("since:{why}"))?;
    if model.runs.loading {
        return Err("the runs are still being read: try again in a moment".to_owned());
    }
    if let Some((loaded, total)) = model.runs.progress {
        return Err(format!(
            "the runs are still being read ({loaded} of {total}): try again in a moment"
        ));
    }
    // This machine's runs here; other hosts search their own.
    let targets: Arc<[Target]> = model
        .runs
        .all_shared()
        .filter(|r| r.host().is_none())
        .filter(|r| {
            let repo = words.repo.as_deref();
            repo.is_none_or(|repo| of_repo(r.repo_path(), &r.repo_key, repo))
        })
        .map(|r| Target::new(Arc::clone(r)))
        .collect();
    if let Some(repo) = &words.repo
        && targets.is_empty()
        && model.hosts.list.is_empty()
    {
        return Err(format!(
            "no runs of repo {repo:?} (its path, directory name or a repo id prefix)"
        ));
    }
    model.stop_search();
    let id = model.next_corpus_id;
    model.next_corpus_id += 1;
    let cancel = Arc::default();
    model.outbox.push(Effect::SearchCorpus(CorpusJob {
        id,
        pattern: words.pattern.clone(),
        targets: Arc::clone(&targets),
        since,
        cancel: Arc::clone(&cancel),
    }));
    let spec = SearchSpec {
        pattern: words.pattern.clone(),
        repo: words.repo.clone(),
        since: words.since.clone(),
    };
    let mut results = CorpusResults::new(id, typed.to_owned(), words.pattern, targets, cancel);
    results.hosts = model.search_hosts(&spec, results.host_request_id());
    model.corpus = Some(results);
    model.overlay = Some(Overlay::Results);
    Ok(())
}

/// Takes an update from the worker (dropped when it is an older search's).
pub fn take(model: &mut Model, update: CorpusUpdate) {
    if let Some(c) = &mut model.corpus {
        c.apply(update);
    }
}

/// Rows of matches the list shows at the current size.
fn rows(model: &Model) -> usize {
    crate::ui::results_rows(model)
}

/// Keys while the results list is shown.
pub fn action(model: &mut Model, action: Action, now: DateTime<Utc>) {
    let height = rows(model);
    let page = isize::try_from(height.saturating_sub(1).max(1)).unwrap_or(1);
    let Some(c) = &mut model.corpus else {
        model.overlay = None;
        return;
    };
    match action {
        Action::ForceQuit => model.quit = true,
        Action::Down => c.move_by(1),
        Action::Up => c.move_by(-1),
        Action::PageDown => c.move_by(page),
        Action::PageUp => c.move_by(-page),
        Action::First => c.select(0),
        Action::Last => c.select(usize::MAX),
        Action::Dismiss if c.state == CorpusState::Running || c.hosts_searching() => {
            model.stop_search();
        }
        Action::Dismiss => close(model),
        Action::SearchAll => ask(model, true),
        Action::OpenTranscript => open_hit(model, now),
        _ => {}
    }
    if let Some(c) = &mut model.corpus {
        c.scroll_to_selection(height);
    }
}

/// The wheel over the list: moves the selection by `delta` rows.
pub fn wheel(model: &mut Model, delta: isize) {
    let height = rows(model);
    if let Some(c) = &mut model.corpus {
        c.move_by(delta);
        c.scroll_to_selection(height);
    }
}

/// Closes the list; a search still running is stopped (nothing could show its results).
fn close(model: &mut Model) {
    model.stop_search();
    model.overlay = None;
}

/// Enter: selects the match's run in Runs and opens its transcript at the match, the cursor
/// on it; the list closes.
fn open_hit(model: &mut Model, _now: DateTime<Utc>) {
    let Some((hit, target)) = model.corpus.as_ref().and_then(CorpusResults::selected_hit) else {
        return;
    };
    let (dir, offset, line) = (target.run_dir().to_path_buf(), hit.offset, hit.line);
    let pattern = model
        .corpus
        .as_ref()
        .map(|c| c.pattern.clone())
        .unwrap_or_default();
    let remote = target.run().remote_run().map(|r| r.host.clone());
    let Some(record) = model.runs.get(&dir) else {
        let text = match &remote {
            Some(host) => format!(
                "run {} is not among the runs {host} lists now: line {line} is all that is known of it here",
                target.name()
            ),
            None => format!(
                "run {} is no longer listed (its manifest is gone or cannot be read)",
                target.name()
            ),
        };
        model.say(StatusKind::Error, text);
        return;
    };
    let name = naming::name(record);
    let session = record
        .session()
        .map(|s| (s.agent(), s.summary.source.clone()));
    let hidden = !model.runs.visible().any(|r| r.dir == dir);
    if hidden {
        // The Runs filter or `a` hides the run: show every run so it can be selected.
        model.runs.set_filter(String::new());
        model.runs.set_active_only(false);
    }
    model.runs.select_dir(&dir);
    close(model);
    if let Some(host) = remote {
        // Read from the host by byte offset, from its end: the match is named, not jumped to.
        model.open_selected_transcript();
        model.focus = Pane::Transcript;
        settle_runs(model);
        let text = format!("{name}, line {line}: the match, on {host} · F searches again");
        model.say(StatusKind::Info, text);
        return;
    }
    match session {
        _ if model.transcript.run_dir() == Some(dir.as_path())
            && model.transcript.crumbs().is_empty() =>
        {
            model.transcript.jump_to(offset);
        }
        // A session read whole has entries, not byte offsets: it is searched for the match
        // once read.
        Some((agent, source)) if !matches!(source, SessionSource::Lines(_)) => {
            model
                .transcript
                .open_session(dir, name.clone(), agent, &source);
            model.transcript.search_when_read(&pattern);
        }
        Some((agent, source)) => {
            model
                .transcript
                .open_session_at(dir, name.clone(), agent, &source, offset);
        }
        None => model.transcript.open_at(dir, name.clone(), offset),
    }
    model.focus = Pane::Transcript;
    settle_runs(model);
    let shown = if hidden {
        " (the Runs filter was cleared to show it)"
    } else {
        ""
    };
    model.say(
        StatusKind::Info,
        format!("{name}, line {line}: the match{shown} · F searches again"),
    );
}
