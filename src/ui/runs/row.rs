//! One row of the Runs pane: its header and each run's spans (marks, state, name, repo,
//! iteration, elapsed, activity, prompt), cut to the columns with `…`.

use super::*;
use crate::app::model::HostStatus;

pub(super) fn header_spans(cols: &Columns, t: &crate::ui::Theme) -> Vec<Span<'static>> {
    let mut text = format!(
        "{}{}{}{}",
        " ".repeat(cols.marks),
        text::fit("STATE", STATE),
        if cols.host > 0 {
            text::fit("HOST", cols.host)
        } else {
            String::new()
        },
        text::fit("RUN", cols.name)
    );
    for (shown, title, width) in [
        (cols.repo, "REPO", REPO),
        (cols.iter, "ITER", ITER),
        (cols.elapsed, "ELAPSED", ELAPSED),
        (cols.activity, "ACTIVITY", ACTIVITY),
    ] {
        if shown {
            text.push_str(&text::fit(title, width));
        }
    }
    if cols.prompt {
        text.push_str("PROMPT");
    }
    vec![Span::styled(
        text.trim_end().to_owned(),
        t.muted().add_modifier(Modifier::BOLD),
    )]
}

pub(super) fn run_spans(
    r: &RunSummary,
    cols: &Columns,
    model: &View<'_>,
    now: DateTime<Utc>,
    linked: bool,
) -> Vec<Span<'static>> {
    let t = &model.theme;
    let run_state = r.state_at(now);
    let marked = naming::filter(r, model.runs.filter()).unwrap_or_default();
    let Highlights {
        name,
        state: state_marks,
        repo: repo_marks,
        prompt: prompt_marks,
    } = &marked;
    let glyph = glyphs::state_of(run_state);
    let state = format!(
        "{glyph} {}",
        sanitize::one_line(glyphs::word(run_state.as_str()))
    );
    let shift = |marks: &[std::ops::Range<usize>], by: usize| -> Vec<std::ops::Range<usize>> {
        marks.iter().map(|r| r.start + by..r.end + by).collect()
    };
    let attention = match model.observer.run_condition(&r.dir, now) {
        Some((c, false)) if c.level == Level::Attention => Span::styled("⚑", t.warning()),
        Some((c, true)) if c.level == Level::Attention => Span::styled("⚐", t.muted()),
        _ => Span::raw(" "),
    };
    let link = if linked {
        Span::styled("⇄", t.title())
    } else {
        Span::raw(" ")
    };
    let hit = t.search_match();
    let mut spans = Vec::new();
    if cols.marks > MARKS {
        spans.push(if model.runs.is_marked(&r.dir) {
            Span::styled("●", t.title())
        } else {
            Span::raw(" ")
        });
    }
    spans.extend([attention, link]);
    // Every column but the last keeps a space before the next one, cutting with `…`.
    spans.extend(marks::marked_in(
        text::cell(&state, STATE),
        &state,
        &shift(state_marks, glyph.len() + 1),
        t.state_of(run_state),
        hit,
    ));
    let full_name = naming::name(r);
    // With a HOST column the row's name leaves the host out (what the filter marked in it
    // moves along).
    let (run_name, name) = match r.remote_run() {
        Some(remote) if cols.host > 0 && remote.prefixed => {
            let cut = full_name.len() - sanitize::one_line(&remote.name).len();
            let moved: Vec<std::ops::Range<usize>> = name
                .iter()
                .filter(|m| m.end > cut)
                .map(|m| m.start.max(cut) - cut..m.end - cut)
                .collect();
            (full_name[cut..].to_owned(), moved)
        }
        _ => (full_name.clone(), name.clone()),
    };
    if cols.host > 0 {
        let (host, style) = match r.host() {
            Some(h) => (
                h,
                // A live host's runs are quiet; a host in trouble colours its rows' host.
                match model.hosts.get(h).map(|v| &v.status) {
                    Some(s @ (HostStatus::Stale { .. } | HostStatus::Down { .. })) => {
                        crate::ui::hosts::style(s, t)
                    }
                    _ => t.muted(),
                },
            ),
            None => (crate::remote::LOCAL, t.muted()),
        };
        spans.push(Span::styled(
            text::cell(&sanitize::one_line(host), cols.host),
            style,
        ));
    }
    spans.extend(marks::marked_in(
        text::cell(&run_name, cols.name),
        &run_name,
        &name,
        Style::new(),
        hit,
    ));
    if cols.repo {
        let full = sanitize::one_line(r.repo_path());
        let repo = text::short_path(&full, model.settings.home.as_deref(), REPO - 1);
        let repo_marks = marks::onto_suffix(&full, &repo, repo_marks);
        let fitted = text::cell(&repo, REPO);
        spans.extend(marks::marked_in(fitted, &repo, &repo_marks, t.muted(), hit));
    }
    if cols.iter {
        spans.push(Span::raw(text::cell(&facts::iteration(r), ITER)));
    }
    if cols.elapsed {
        spans.push(Span::raw(text::cell(&facts::elapsed(r, now), ELAPSED)));
    }
    if !cols.activity {
        if r.is_stale(now, model.settings.stale_after) {
            spans.push(Span::styled("⚠ ", t.warning()));
        }
    } else if r.is_stale(now, model.settings.stale_after) {
        let quiet = r.last_activity().map_or_else(
            || "?".to_owned(),
            |a| time::ago(now, a).trim_end_matches(" ago").to_owned(),
        );
        spans.push(Span::styled(
            text::cell(&format!("⚠ stale {quiet}"), ACTIVITY),
            t.warning(),
        ));
    } else {
        let activity = r
            .last_activity()
            .map_or_else(|| "-".to_owned(), |a| time::ago(now, a));
        spans.push(Span::styled(text::cell(&activity, ACTIVITY), t.muted()));
    }
    if !cols.prompt {
        return spans;
    }
    let mut prompt = sanitize::one_line(r.prompt_head());
    if r.prompt_cut() {
        prompt.push('…');
    }
    let width = text::width(&prompt);
    spans.extend(marks::fit_marked(
        &prompt,
        prompt_marks,
        width,
        Style::new(),
        hit,
    ));
    spans
}
