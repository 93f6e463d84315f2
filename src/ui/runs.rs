//! The Runs pane: one row per run, active first, with state (glyph, word, colour), iteration,
//! elapsed time, last activity and a stale marker; runs linked to the selected card are marked,
//! runs needing attention carry a flag, and the selected one's reason is shown below the list.
//! What the filter matched is marked; a filter that matches nothing says so under the header.

mod marks;

use super::chrome::{empty_message, pane_block, row};
use crate::app::model::Pane;
use crate::persist::run::RunRecord;
use crate::present::attention::Level;
use crate::present::naming::{self, Highlights};
use crate::present::{glyphs, link, sanitize, text, time};
use crate::ui::View;
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// Which optional columns fit. State and run name always show; then, while the prompt keeps
/// at least 20 columns: activity, iteration, elapsed time, repo path.
struct Columns {
    activity: bool,
    iter: bool,
    elapsed: bool,
    repo: bool,
}

const FIXED: usize = 1 + 13 + 15;

impl Columns {
    fn for_width(width: u16) -> Columns {
        let mut room = usize::from(width).saturating_sub(FIXED + 20);
        let mut take = |w: usize| {
            let fits = room >= w;
            if fits {
                room -= w;
            }
            fits
        };
        let activity = take(12);
        let iter = take(7);
        let elapsed = take(8);
        let repo = take(25);
        Columns {
            activity,
            iter,
            elapsed,
            repo,
        }
    }
}

/// The first row to show so that `selected` is inside `height` rows, starting from `hint`.
#[must_use]
pub fn window_start(hint: usize, selected: usize, height: usize, len: usize) -> usize {
    let mut start = hint.min(len.saturating_sub(height.max(1)));
    if selected < start {
        start = selected;
    } else if height > 0 && selected >= start + height {
        start = selected + 1 - height;
    }
    start
}

/// Draws the pane.
pub fn render(buf: &mut Buffer, area: Rect, model: &View<'_>, now: DateTime<Utc>) {
    let t = &model.theme;
    let pane = &model.runs;
    let focused = model.focus == Pane::Runs && model.overlay.is_none();
    let visible = pane.visible();
    let mut title = vec![
        Span::styled(" Runs ", t.title()),
        Span::raw(format!("{} ", visible.len())),
    ];
    if pane.active_only {
        title.push(Span::styled("· active only ", t.warning()));
    }
    if !pane.filter.is_empty() {
        title.push(Span::styled(
            format!(
                "· /{} ",
                text::truncate(&sanitize::one_line(&pane.filter), 20)
            ),
            t.warning(),
        ));
    }
    let block = pane_block(Line::from(title), focused, t);
    let inner = block.inner(area);
    block.render(area, buf);
    let problems = pane.problems();
    let problem_rows = u16::from(!problems.is_empty());
    let why = pane
        .selected()
        .and_then(|r| model.observer.run_condition(&r.dir, now))
        .filter(|(c, _)| c.level == Level::Attention);
    let why_rows = u16::from(why.is_some() && inner.height > 4);
    let list = Rect {
        height: inner.height.saturating_sub(problem_rows + why_rows),
        ..inner
    };
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
    if let Some(why) = problems.values().next() {
        let more = if problems.len() > 1 {
            format!(" (+{} more)", problems.len() - 1)
        } else {
            String::new()
        };
        row(
            buf,
            Rect {
                y: inner.y + list.height + why_rows,
                height: 1,
                ..inner
            },
            vec![Span::styled(
                format!("⚠ unreadable: {}{more}", sanitize::one_line(why)),
                t.error(),
            )],
        );
    }
    if pane.all().is_empty() {
        let lines = if pane.loading {
            vec![format!("Reading runs in {}…", pane.runs_dir().display())]
        } else {
            vec![
                format!("No runs in {}", pane.runs_dir().display()),
                "(looked for runs/*/*/manifest.json; new runs appear here live)".to_owned(),
            ]
        };
        empty_message(buf, list, lines, t);
        return;
    }
    let cols = Columns::for_width(list.width);
    let header = header_spans(&cols, t);
    row(buf, Rect { height: 1, ..list }, header);
    if visible.is_empty() {
        let below = Rect {
            y: list.y + 1,
            height: list.height.saturating_sub(1),
            ..list
        };
        empty_message(
            buf,
            below,
            no_match(pane.filter.trim(), pane.active_only),
            t,
        );
        return;
    }
    let body_height = usize::from(list.height.saturating_sub(1));
    let selected = pane.selected_index().unwrap_or(0);
    let start = window_start(pane.offset, selected, body_height, visible.len());
    let linked_bead = if model.focus == Pane::Board {
        model.board.selected_card().map(|c| c.bead_id.clone())
    } else {
        None
    };
    for (i, record) in visible.iter().enumerate().skip(start).take(body_height) {
        let y = list.y + 1 + u16::try_from(i - start).unwrap_or(0);
        let linked = linked_bead
            .as_deref()
            .is_some_and(|b| link::mentions(&record.manifest.prompt, b));
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

fn header_spans(cols: &Columns, t: &super::Theme) -> Vec<Span<'static>> {
    let mut text = format!(" {}{}", text::fit("STATE", 13), text::fit("RUN", 15));
    if cols.repo {
        text.push_str(&text::fit("REPO", 25));
    }
    if cols.iter {
        text.push_str(&text::fit("ITER", 7));
    }
    if cols.elapsed {
        text.push_str(&text::fit("ELAPSED", 8));
    }
    if cols.activity {
        text.push_str(&text::fit("ACTIVITY", 12));
    }
    text.push_str("PROMPT");
    vec![Span::styled(text, t.muted().add_modifier(Modifier::BOLD))]
}

fn run_spans(
    r: &RunRecord,
    cols: &Columns,
    model: &View<'_>,
    now: DateTime<Utc>,
    linked: bool,
) -> Vec<Span<'static>> {
    let t = &model.theme;
    let m = &r.manifest;
    let marked = naming::filter(r, &model.runs.filter).unwrap_or_default();
    let Highlights {
        name,
        state: state_marks,
        repo: repo_marks,
        prompt: prompt_marks,
    } = &marked;
    let glyph = glyphs::run_state(&m.state);
    let state = format!(
        "{glyph} {}",
        sanitize::one_line(glyphs::word(m.state.as_str()))
    );
    let shift = |marks: &[std::ops::Range<usize>], by: usize| -> Vec<std::ops::Range<usize>> {
        marks.iter().map(|r| r.start + by..r.end + by).collect()
    };
    let mark = match model.observer.run_condition(&r.dir, now) {
        _ if linked => Span::styled("⇄", t.title()),
        Some((c, false)) if c.level == Level::Attention => Span::styled("⚑", t.warning()),
        Some((c, true)) if c.level == Level::Attention => Span::styled("⚐", t.muted()),
        _ => Span::raw(" "),
    };
    let hit = t.search_match();
    let mut spans = vec![mark];
    spans.extend(marks::fit_marked(
        &state,
        &shift(state_marks, glyph.len() + 1),
        13,
        t.run_state(&m.state),
        hit,
    ));
    spans.extend(marks::fit_marked(
        &naming::name(r),
        name,
        15,
        Style::new(),
        hit,
    ));
    if cols.repo {
        let full = sanitize::one_line(&m.repo_path);
        let repo = text::short_path(&full, model.settings.home.as_deref(), 24);
        let repo_marks = marks::onto_suffix(&full, &repo, repo_marks);
        spans.extend(marks::fit_marked(&repo, &repo_marks, 25, t.muted(), hit));
    }
    if cols.iter {
        spans.push(Span::raw(text::fit(
            &format!("{}/{}", r.iteration(), m.max_iterations),
            7,
        )));
    }
    if cols.elapsed {
        let started = m.created_at.with_timezone(&Utc);
        let ended = m.completed_at.map_or(now, |c| c.with_timezone(&Utc));
        let elapsed = if started.timestamp() > 0 {
            time::humanize(time::between(started, ended))
        } else {
            "-".to_owned()
        };
        spans.push(Span::raw(text::fit(&elapsed, 8)));
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
            text::fit(&format!("⚠ stale {quiet}"), 12),
            t.warning(),
        ));
    } else {
        let activity = r
            .last_activity()
            .map_or_else(|| "-".to_owned(), |a| time::ago(now, a));
        spans.push(Span::styled(text::fit(&activity, 12), t.muted()));
    }
    let prompt = sanitize::one_line(&m.prompt);
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

#[cfg(test)]
mod tests {
    use super::window_start;

    #[test]
    fn window_keeps_the_selection_visible() {
        assert_eq!(window_start(0, 3, 10, 50), 0);
        assert_eq!(window_start(0, 12, 10, 50), 3);
        assert_eq!(window_start(20, 5, 10, 50), 5);
        assert_eq!(window_start(45, 49, 10, 50), 40);
    }
}
