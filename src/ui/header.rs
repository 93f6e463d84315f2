//! The header: the name, live status, how many items need you, counts by state, the session,
//! and the pane tabs (`1 Runs 2 Transcript 3 Board`, the shown ones marked) when not every
//! pane is on screen. In a narrow pane parts give way in a fixed order: first the counts by
//! state, then the session, then the detail of the live status, then the name, and the tabs
//! last of all; the attention count always stays. With several hosts shown, their strip
//! (`local ● gpu1 ● 12ms vm ✗ down, retry in 8s`) follows the attention count, giving way to
//! its short form (`⇅2/3`, live of all) after the counts. Data paths are not repeated here: the
//! status line shows them once.

use super::Theme;
use super::chrome::row;
use super::layout::{Arrange, LayoutMode, areas};
use crate::app::model::{Live, Model, Pane};
use crate::persist::run::{RunState, State};
use crate::present::glyphs::{self, AGENT_STATES};
use crate::present::{sanitize, text};
use crate::ui::View;
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::Span;

/// The part of a reason before its first colon (`watch limit reached: raise …`).
fn gist(reason: &str) -> &str {
    reason.split(':').next().unwrap_or(reason).trim()
}

/// The header's parts, each with the width it takes.
struct Parts {
    name: Vec<Span<'static>>,
    live: Vec<Span<'static>>,
    live_short: Vec<Span<'static>>,
    attention: Vec<Span<'static>>,
    counts: Vec<Span<'static>>,
    session: Vec<Span<'static>>,
    hosts: Vec<Span<'static>>,
    hosts_short: Vec<Span<'static>>,
}

fn width(spans: &[Span<'static>]) -> usize {
    spans.iter().map(|s| text::width(&s.content)).sum()
}

fn parts(model: &Model, t: &Theme, wide: bool, waiting: usize, now: DateTime<Utc>) -> Parts {
    let (live, live_short) = match (&model.paused, &model.live) {
        (Some(pending), _) => (
            Span::styled(
                format!(" ⏸ paused ({} waiting)", pending.len()),
                t.warning(),
            ),
            Span::styled(" ⏸ paused", t.warning()),
        ),
        (None, Live::Watching) => (
            Span::styled(" ● live", t.good()),
            Span::styled(" ● live", t.good()),
        ),
        (None, Live::Polling(why)) => (
            // The gist only; the status line and `?` carry the whole reason.
            Span::styled(
                format!(" ◌ polling ({})", text::truncate(gist(why), 32)),
                t.warning(),
            ),
            Span::styled(" ◌ polling", t.warning()),
        ),
    };
    let attention = if waiting == 0 {
        Vec::new()
    } else {
        let label = if wide {
            format!(" ⚑ {waiting} need you (i)")
        } else {
            format!(" ⚑{waiting}")
        };
        vec![Span::styled(
            label,
            t.warning().add_modifier(Modifier::BOLD),
        )]
    };
    let mut counts = vec![Span::raw(" ")];
    if model.runs.is_empty() && model.runs.loading {
        counts.push(Span::styled(" reading runs…", t.muted()));
    } else if model.runs.is_empty() {
        counts.push(Span::styled(" no runs", t.muted()));
    } else {
        let mut by_state = [0usize; State::KNOWN.len()];
        let mut by_agent_state = [0usize; AGENT_STATES.len()];
        let mut other = 0;
        let mut tally = |state: RunState<'_>, n: usize| match state {
            RunState::Agentpair(s) => match State::KNOWN.iter().position(|k| k == s) {
                Some(i) => by_state[i] += n,
                None => other += n,
            },
            RunState::Agent(a) => {
                if let Some(i) = AGENT_STATES.iter().position(|k| *k == a) {
                    by_agent_state[i] += n;
                }
            }
        };
        // Every run is counted as it comes and goes, and only the quiet ones are looked at
        // for staleness: no frame goes through every active run.
        let runs = model.runs.unfinished_counts().iter();
        for (state, n) in runs.chain(model.runs.finished().iter()) {
            tally(state, n);
        }
        let stale = model.runs.stale(now, model.settings.stale_after);
        for (state, n) in State::KNOWN.iter().zip(by_state) {
            if n > 0 {
                counts.push(Span::styled(
                    format!(" {}{n}", glyphs::run_state(state)),
                    t.run_state(state),
                ));
            }
        }
        if other > 0 {
            counts.push(Span::styled(format!(" ?{other}"), t.warning()));
        }
        // Sessions' states after the runs', apart (a few glyphs are alike).
        if by_state.iter().any(|n| *n > 0) && by_agent_state.iter().any(|n| *n > 0) {
            counts.push(Span::styled(" ·", t.muted()));
        }
        for (state, n) in AGENT_STATES.iter().zip(by_agent_state) {
            if n > 0 {
                counts.push(Span::styled(
                    format!(" {}{n}", glyphs::agent_state(*state)),
                    t.agent_state(*state),
                ));
            }
        }
        if stale > 0 {
            counts.push(Span::styled(format!(" ⚠{stale} stale"), t.warning()));
        }
    }
    if !model.runs.problems().is_empty() {
        counts.push(Span::styled(
            format!(" ⚠{} unreadable", model.runs.problems().len()),
            t.error(),
        ));
    }
    let mut session = vec![Span::styled(" ·", t.muted())];
    session.push(match (&model.board.session, &model.board.store) {
        _ if model.board.merged.is_some() => merged_span(model, t),
        (Some(s), Some(store)) => Span::raw(format!(
            " {} {} beads",
            text::truncate(s, 20),
            store.stats().total
        )),
        (Some(s), None) if model.board.loading => {
            Span::styled(format!(" {} reading…", text::truncate(s, 20)), t.muted())
        }
        (Some(s), None) => {
            Span::styled(format!(" {} unreadable", text::truncate(s, 20)), t.error())
        }
        _ if model.board.host_session.is_some() || model.board.has_remote() => {
            host_sessions_span(model)
        }
        (None, _) if model.board.listing => Span::styled(" reading NTM sessions…", t.muted()),
        (None, _) => Span::styled(" no NTM sessions", t.muted()),
    });
    Parts {
        name: vec![Span::styled("beadboard", t.title())],
        live: vec![live],
        live_short: vec![live_short],
        attention,
        counts,
        session,
        hosts: super::hosts::strip(&model.hosts, t, true, now),
        hosts_short: super::hosts::strip(&model.hosts, t, false, now),
    }
}

/// Another host's session shown alone, `gpu1:webapp 3 beads`; or, this machine showing none,
/// the other hosts' sessions, `gpu1 2 sessions 3 beads`.
fn host_sessions_span(model: &Model) -> Span<'static> {
    let all = model.board.host_sessions();
    if let Some((host, session)) = &model.board.host_session {
        let beads = all
            .iter()
            .find(|s| s.host == *host && s.session == *session)
            .map_or(0, |s| s.stats.total);
        let name = crate::present::naming::on_host(host, session);
        return Span::raw(format!(" {} {beads} beads", text::truncate(&name, 24)));
    }
    let mut hosts: Vec<&str> = all.iter().map(|s| s.host.as_str()).collect();
    hosts.dedup();
    let beads: usize = all.iter().map(|s| s.stats.total).sum();
    let sessions = match all.len() {
        1 => "1 session".to_owned(),
        n => format!("{n} sessions"),
    };
    Span::raw(format!(
        " {} {sessions} {beads} beads",
        text::truncate(&sanitize::one_line(&hosts.join(",")), 20)
    ))
}

/// `all sessions (12) 240 beads`, or that they are being read.
fn merged_span(model: &Model, t: &Theme) -> Span<'static> {
    let Some(merged) = &model.board.merged else {
        return Span::raw("");
    };
    if merged.reading && merged.stores.is_empty() {
        return Span::styled(" all sessions reading…", t.muted());
    }
    let beads: usize = merged.stores.values().map(|s| s.stats().total).sum();
    let text = format!(" all sessions ({}) {beads} beads", merged.count());
    if merged.problems.is_empty() {
        Span::raw(text)
    } else {
        Span::styled(
            format!("{text} ✗{} unreadable", merged.problems.len()),
            t.error(),
        )
    }
}

/// The pane tabs, as laid out: each tab's pane, label and whether its pane is on screen.
fn tab_labels(model: &Model, compact: bool) -> Vec<(Pane, String, bool)> {
    if LayoutMode::of(model.size.0, model.size.1) == LayoutMode::Wide {
        return Vec::new();
    }
    let shown = areas(
        Rect::new(0, 0, model.size.0, model.size.1),
        Arrange::of(model),
    );
    [(1, Pane::Runs), (2, Pane::Transcript), (3, Pane::Board)]
        .into_iter()
        .map(|(n, pane)| {
            let name = match (pane, compact) {
                (Pane::Transcript, true) => "Trans",
                _ => pane.title(),
            };
            (pane, format!(" {n} {name} "), shown.of(pane).is_some())
        })
        .collect()
}

/// What the header holds at `area`'s width: the left part, and the tabs.
fn plan(
    model: &Model,
    t: &Theme,
    area: Rect,
    waiting: usize,
    now: DateTime<Utc>,
) -> (Vec<Span<'static>>, Vec<(Pane, String, bool)>) {
    let room = usize::from(area.width);
    let p = parts(model, t, room >= 100, waiting, now);
    let full_tabs = tab_labels(model, false);
    let compact_tabs = tab_labels(model, true);
    let tabs_width = |tabs: &[(Pane, String, bool)]| {
        tabs.iter().map(|(_, l, _)| text::width(l)).sum::<usize>() + usize::from(!tabs.is_empty())
    };
    // Each step gives up one more part; the first that fits is used. The hosts' strip gives
    // way to its short form (`⇅2/3`) after the counts; the short form stays.
    let steps: [(bool, bool, bool, bool, bool, bool); 7] = [
        // counts, full hosts, session, full live status, name, full tabs
        (true, true, true, true, true, true),
        (false, true, true, true, true, true),
        (false, false, true, true, true, true),
        (false, false, false, true, true, true),
        (false, false, false, false, true, true),
        (false, false, false, false, false, true),
        (false, false, false, false, false, false),
    ];
    let build = |(counts, hosts, session, live, name, _): (bool, bool, bool, bool, bool, bool)| {
        let mut left = Vec::new();
        if name {
            left.extend(p.name.iter().cloned());
        }
        left.extend(if live { &p.live } else { &p.live_short }.iter().cloned());
        left.extend(p.attention.iter().cloned());
        left.extend(
            if hosts { &p.hosts } else { &p.hosts_short }
                .iter()
                .cloned(),
        );
        if counts {
            left.extend(p.counts.iter().cloned());
        }
        if session {
            left.extend(p.session.iter().cloned());
        }
        if let Some(first) = left.first_mut() {
            first.content = first.content.trim_start().to_owned().into();
        }
        left
    };
    for step in steps {
        let tabs = if step.5 { &full_tabs } else { &compact_tabs };
        let left = build(step);
        if width(&left) + tabs_width(tabs) <= room {
            return (left, tabs.clone());
        }
    }
    (build(steps[6]), compact_tabs)
}

/// Where each of `labels` goes, right-aligned in the header row `area`.
fn place(labels: &[(Pane, String, bool)], area: Rect) -> Vec<(Pane, Rect)> {
    let total: usize = labels.iter().map(|(_, l, _)| text::width(l)).sum();
    let mut x = area.x
        + area
            .width
            .saturating_sub(u16::try_from(total).unwrap_or(area.width));
    let mut out = Vec::new();
    for (pane, label, _) in labels {
        let w = u16::try_from(text::width(label)).unwrap_or(0);
        out.push((
            *pane,
            Rect {
                x,
                width: w.min(area.x + area.width - x),
                ..area
            },
        ));
        x = x.saturating_add(w);
    }
    out
}

/// Where each pane tab is in the header row `area`, with `waiting` items needing attention.
#[must_use]
pub fn tabs(model: &Model, area: Rect, waiting: usize, now: DateTime<Utc>) -> Vec<(Pane, Rect)> {
    let (_, labels) = plan(model, &Theme::default(), area, waiting, now);
    place(&labels, area)
}

/// Draws the header, with `waiting` items needing attention (counted once per frame).
pub fn render(buf: &mut Buffer, area: Rect, model: &View<'_>, waiting: usize, now: DateTime<Utc>) {
    let t = &model.theme;
    let (left, labels) = plan(model, t, area, waiting, now);
    let tabs_width: usize = labels.iter().map(|(_, l, _)| text::width(l)).sum();
    let left_width = area
        .width
        .saturating_sub(u16::try_from(tabs_width).unwrap_or(0));
    row(
        buf,
        Rect {
            width: left_width,
            ..area
        },
        left,
    );
    for ((_, label, shown), (_, rect)) in labels.iter().zip(place(&labels, area)) {
        let style = if *shown {
            t.selected().add_modifier(Modifier::BOLD)
        } else {
            t.muted()
        };
        row(buf, rect, vec![Span::styled(label.clone(), style)]);
    }
}
