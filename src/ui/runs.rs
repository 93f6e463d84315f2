//! The Runs pane: one row per run, active first, with state (glyph, word, colour), iteration,
//! elapsed time, last activity and a stale marker; runs linked to the selected card are marked,
//! runs needing attention carry a flag, and the selected one's reason is shown below the list.
//! While runs are marked (Space), a column before the flags shows `●` on each, and the title
//! counts them.
//! What the filter matched is marked; a filter that matches nothing says so under the header.

mod marks;
mod row;

use row::{header_spans, run_spans};

use super::chrome::{empty_message, pane_block, row};
use crate::app::model::{Model, Pane};
use crate::persist::run::RunSummary;
use crate::present::attention::Level;
use crate::present::naming::{self, Highlights};
use crate::present::{facts, glyphs, link, sanitize, sources, text, time};
use crate::ui::View;
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// Which columns fit. The mark, state and run name always show; then, in this order, while
/// they fit: activity (with the stale marker), iteration, elapsed time, the prompt (when at
/// least [`PROMPT_MIN`] columns are left for it, taking the elapsed time's room if that makes
/// it fit, so no columns stay blank), and the repo path only when the prompt keeps that much
/// beside it. REPO and PROMPT are dropped first: the run's name already says the
/// repo, and a cut prompt says less than how the run is doing.
struct Columns {
    /// Width of the marker columns (one more for the `●` of marked runs, while any is).
    marks: usize,
    /// Width of the HOST column (0: one host is shown, and there is none).
    host: usize,
    name: usize,
    activity: bool,
    iter: bool,
    elapsed: bool,
    repo: bool,
    prompt: bool,
}

/// Width of the state column: glyph, space, the longest known state word, a gap.
const STATE: usize = 12;
/// The two marker columns before the state: attention (`⚑`/`⚐`), then the link to the
/// selected card (`⇄`), each in its own place so one never hides the other.
const MARKS: usize = 2;
/// The narrowest a prompt is worth showing.
const PROMPT_MIN: usize = 12;
const ACTIVITY: usize = 12;
const ITER: usize = 7;
const ELAPSED: usize = 8;
const REPO: usize = 25;

impl Columns {
    /// The columns for a list `width` wide whose longest run name is `longest` columns, with
    /// a column for marks when `marking`.
    fn for_width(width: u16, longest: usize, marking: bool, host: usize) -> Columns {
        let name = longest.clamp(3, 24) + 1;
        let marks = MARKS + usize::from(marking);
        let mut room = usize::from(width).saturating_sub(marks + STATE + host + name);
        let mut take = |w: usize, keep: usize| {
            let fits = room >= w + keep;
            if fits {
                room -= w;
            }
            (fits, room)
        };
        let (activity, _) = take(ACTIVITY, 0);
        let (iter, _) = take(ITER, 0);
        let (elapsed, _) = take(ELAPSED, 0);
        let (repo, left) = take(REPO, PROMPT_MIN);
        let mut prompt = left >= PROMPT_MIN;
        // Rather than leave columns blank, the prompt takes the elapsed time's room.
        let mut elapsed = elapsed;
        if !prompt && elapsed && left + ELAPSED >= PROMPT_MIN {
            elapsed = false;
            prompt = true;
        }
        Columns {
            marks,
            host,
            name,
            activity,
            iter,
            elapsed,
            repo,
            prompt,
        }
    }
}

use super::layout::window_start;

/// The HOST column's width: the widest host name shown and a gap (none with one host).
fn host_width(model: &Model) -> usize {
    if !model.hosts.several() {
        return 0;
    }
    let widest = model
        .hosts
        .list
        .iter()
        .map(|h| text::width(&sanitize::one_line(&h.name)))
        .chain(model.hosts.local.then_some(crate::remote::LOCAL.len()))
        .max()
        .unwrap_or(0);
    widest.clamp(4, 12) + 1
}

/// The list's part of the pane's inside `inner`: what is left above the selected run's
/// attention reason, the selected session's model and tokens, the unreadable-runs line and
/// the line of hosts that are not live (each one row, when there is one). Returns the list and
/// the rows of those four.
fn list_area(model: &Model, inner: Rect, now: DateTime<Utc>) -> (Rect, [u16; 4]) {
    let problem_rows =
        u16::from(!model.runs.problems().is_empty() || !model.runs.agent_problems().is_empty());
    let host_rows = u16::from(
        inner.height > 3
            && model.hosts.several()
            && model.hosts.list.iter().any(|h| !h.status.is_live()),
    );
    let selected = model.runs.selected();
    let why = selected
        .and_then(|r| model.observer.run_condition(&r.dir, now))
        .is_some_and(|(c, _)| c.level == Level::Attention);
    let why_rows = u16::from(why && inner.height > 4);
    let detail_rows =
        u16::from(selected.is_some_and(|r| r.session().is_some()) && inner.height > 5);
    let list = Rect {
        height: inner
            .height
            .saturating_sub(problem_rows + why_rows + detail_rows + host_rows),
        ..inner
    };
    (list, [why_rows, detail_rows, problem_rows, host_rows])
}

/// The selected session's model, token totals and working directory, in one line.
fn session_detail(s: &crate::persist::run::SessionRun, home: Option<&std::path::Path>) -> String {
    let sum = &s.summary;
    let t = &sum.tokens;
    let model = sum
        .model
        .as_deref()
        .map_or("model unknown".to_owned(), sanitize::one_line);
    format!(
        "{model} · {} tokens (in {} · out {} · cache {} read, {} written) · {}",
        text::count(t.total()),
        text::count(t.input),
        text::count(t.output),
        text::count(t.cache_read),
        text::count(t.cache_write),
        text::short_path(&sanitize::one_line(&sum.cwd), home, 40)
    )
}

/// Where the run rows are in the pane `area` (border included): the rectangle below the
/// column header, and the index of the run in its first row.
#[must_use]
pub fn rows(model: &Model, area: Rect, now: DateTime<Utc>) -> (Rect, usize) {
    let inner = Rect {
        x: area.x.saturating_add(1),
        y: area.y.saturating_add(1),
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    };
    let (list, _) = list_area(model, inner, now);
    let body = Rect {
        y: list.y.saturating_add(1),
        height: list.height.saturating_sub(1),
        ..list
    };
    let selected = model.runs.selected_index().unwrap_or(0);
    let len = model.runs.visible_len();
    let start = window_start(model.runs.offset, selected, usize::from(body.height), len);
    (body, start)
}

/// Draws the pane.
pub fn render(buf: &mut Buffer, area: Rect, model: &View<'_>, now: DateTime<Utc>) {
    let t = &model.theme;
    let pane = &model.runs;
    let focused = model.focus == Pane::Runs && model.overlay.is_none();
    let visible = pane.visible();
    let (body, start) = rows(model, area, now);
    let body_height = usize::from(body.height);
    // A list longer than the pane says where the selection is in it, beside a scrollbar.
    let longer = visible.len() > body_height && body_height > 0;
    let count = if longer {
        format!(
            "{}/{} ",
            text::thousands(pane.selected_index().map_or(0, |i| i + 1)),
            text::thousands(visible.len())
        )
    } else {
        format!("{} ", text::thousands(visible.len()))
    };
    let mut title = vec![
        Span::styled(" Runs ", t.title()),
        Span::raw(count),
        Span::styled(format!("· by {} ", pane.order().as_str()), t.muted()),
    ];
    if let Some((loaded, total)) = pane.progress {
        title.push(Span::styled(
            format!("· reading {loaded} of {total}… "),
            t.muted(),
        ));
    }
    if pane.active_only() {
        title.push(Span::styled("· active only ", t.warning()));
    }
    if !pane.marked.is_empty() {
        title.push(Span::styled(
            format!("· ● {} marked (Esc clears) ", pane.marked.len()),
            t.title(),
        ));
    }
    if !pane.filter().is_empty() {
        title.push(Span::styled(
            format!(
                "· /{} ",
                text::truncate(&sanitize::one_line(pane.filter()), 20)
            ),
            t.warning(),
        ));
    }
    let block = pane_block(Line::from(title), focused, t);
    let inner = block.inner(area);
    block.render(area, buf);
    let problems = pane.problems();
    let (list, [why_rows, detail_rows, problem_rows, host_rows]) = list_area(model, inner, now);
    if let (Some(spans), 1) = (super::hosts::trouble(&model.hosts, t, now), host_rows) {
        row(
            buf,
            Rect {
                y: inner.y + list.height + why_rows + detail_rows + problem_rows,
                height: 1,
                ..inner
            },
            spans,
        );
    }
    let why = pane
        .selected()
        .and_then(|r| model.observer.run_condition(&r.dir, now))
        .filter(|(c, _)| c.level == Level::Attention);
    if let (Some((c, acked)), 1) = (why, why_rows) {
        let hint = if acked {
            " (acknowledged)"
        } else {
            " · A acknowledges"
        };
        row(
            buf,
            Rect {
                y: inner.y + list.height,
                height: 1,
                ..inner
            },
            vec![
                Span::styled(format!("⚑ {}", c.reason), t.warning()),
                Span::styled(hint, t.muted()),
            ],
        );
    }
    if let (Some(s), 1) = (pane.selected().and_then(|r| r.session()), detail_rows) {
        row(
            buf,
            Rect {
                y: inner.y + list.height + why_rows,
                height: 1,
                ..inner
            },
            vec![Span::styled(
                session_detail(s, model.settings.home.as_deref()),
                t.muted(),
            )],
        );
    }
    let agent_problems = pane.agent_problems();
    let all_problems = problems.len() + agent_problems.len();
    if let Some(why) = problems.values().chain(agent_problems.values()).next() {
        let more = if all_problems > 1 {
            format!(" (+{} more)", all_problems - 1)
        } else {
            String::new()
        };
        row(
            buf,
            Rect {
                y: inner.y + list.height + why_rows + detail_rows,
                height: 1,
                ..inner
            },
            vec![Span::styled(
                format!("⚠ unreadable: {}{more}", sanitize::one_line(why)),
                t.error(),
            )],
        );
    }
    if pane.is_empty() && !model.hosts.local {
        let names: Vec<&str> = model.hosts.list.iter().map(|h| h.name.as_str()).collect();
        let lines = vec![
            format!("No runs from {} yet", sanitize::one_line(&names.join(", "))),
            "(this machine is not shown: --host leaves it out)".to_owned(),
        ];
        empty_message(buf, list, lines, t);
        return;
    }
    if pane.is_empty() {
        let mut lines = if pane.loading {
            vec![format!("Reading runs in {}…", pane.runs_dir().display())]
        } else {
            vec![
                format!("No runs in {}", pane.runs_dir().display()),
                "(looked for runs/*/*/manifest.json; new runs appear here live)".to_owned(),
            ]
        };
        lines.extend(agent_sources(model, usize::from(list.width)));
        empty_message(buf, list, lines, t);
        return;
    }
    let longest = pane.longest_name();
    let cols = Columns::for_width(
        list.width,
        longest,
        !pane.marked.is_empty(),
        host_width(model),
    );
    let header = header_spans(&cols, t);
    row(buf, Rect { height: 1, ..list }, header);
    if visible.len() == 0 {
        let below = Rect {
            y: list.y + 1,
            height: list.height.saturating_sub(1),
            ..list
        };
        empty_message(
            buf,
            below,
            no_match(pane.filter().trim(), pane.active_only()),
            t,
        );
        return;
    }
    if longer {
        scrollbar(buf, area, body, start, visible.len());
    }
    let selected = pane.selected_index().unwrap_or(0);
    let linked_bead = if model.focus == Pane::Board {
        model.board.selected_card().map(|c| c.bead_id.clone())
    } else {
        None
    };
    for (i, record) in visible.enumerate().skip(start).take(body_height) {
        let y = list.y + 1 + u16::try_from(i - start).unwrap_or(0);
        let linked = linked_bead
            .as_deref()
            .is_some_and(|b| link::run_mentions(record, b));
        let mut spans = run_spans(record, &cols, model, now, linked);
        let rect = Rect {
            y,
            height: 1,
            ..list
        };
        if i == selected {
            let style = if focused {
                t.selected()
            } else {
                Style::new().add_modifier(Modifier::BOLD)
            };
            for s in &mut spans {
                s.style = s.style.patch(style);
            }
            buf.set_style(rect, style);
        }
        row(buf, rect, spans);
    }
}

/// A scrollbar on the pane's right border beside the rows `body`, for a list of `len` rows
/// whose first shown is `start`.
fn scrollbar(buf: &mut Buffer, area: Rect, body: Rect, start: usize, len: usize) {
    use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget};
    let track = Rect {
        x: area.x,
        width: area.width,
        ..body
    };
    let shown = usize::from(body.height);
    let mut state = ScrollbarState::new(len.saturating_sub(shown).max(1))
        .position(start)
        .viewport_content_length(shown);
    Scrollbar::new(ScrollbarOrientation::VerticalRight)
        .begin_symbol(None)
        .end_symbol(None)
        .render(track, buf, &mut state);
}

/// What the empty pane says of the agent session sources: each one looked at, where, and
/// what was found (nothing when no source is set).
fn agent_sources(model: &View<'_>, width: usize) -> Vec<String> {
    let Some(reports) = model.runs.agent_reports() else {
        return vec![String::new(), "Reading agent sessions…".to_owned()];
    };
    if reports.is_empty() {
        return Vec::new();
    }
    let home = model.settings.home.as_deref();
    let mut lines = vec![
        String::new(),
        "Agent sessions (beadboard doctor says more):".to_owned(),
    ];
    lines.extend(reports.iter().map(|r| sources::line(r, home, width)));
    lines
}

/// Why no run is listed though there are runs: the filter, the active-only toggle, or both.
fn no_match(filter: &str, active_only: bool) -> Vec<String> {
    let filter = text::truncate(&sanitize::one_line(filter), 40);
    match (filter.is_empty(), active_only) {
        (false, false) => vec![
            format!("no runs match `{filter}`"),
            "Esc clears the filter".to_owned(),
        ],
        (false, true) => vec![
            format!("no active runs match `{filter}`"),
            "a shows all runs · Esc clears the filter".to_owned(),
        ],
        (true, _) => vec!["no active runs".to_owned(), "a shows all runs".to_owned()],
    }
}
