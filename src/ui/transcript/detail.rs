//! The expanded entry (Enter): every field of an agentpair entry or an agent session's entry,
//! its metadata and its whole text; a cut entry read whole is drawn a screenful at a time.

use super::super::{ansi, centered, wrap};
use crate::app::model::LineContent;
use crate::persist::gojson::{self, Style as JsonStyle};
use crate::present::{sanitize, text, time};
use crate::ui::View;
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};

/// The expanded entry: every field, the metadata, and the full content.
pub fn detail(
    buf: &mut Buffer,
    area: Rect,
    model: &View<'_>,
    index: usize,
    scroll: usize,
    now: DateTime<Utc>,
) {
    let t = &model.theme;
    let Some(line) = model.transcript.lines().get(index) else {
        return;
    };
    let outer_width = area.width.saturating_sub(4).max(40);
    let width = usize::from(outer_width.saturating_sub(2));
    let whole = match &line.content {
        LineContent::Session(e) => e
            .cut
            .and_then(|size| model.transcript.whole.pieces(line.offset, size)),
        _ => None,
    };
    let rows_needed = detail_rows(model, line, width, now);
    let height = if whole.is_some() {
        area.height.saturating_sub(2).max(8)
    } else {
        u16::try_from(rows_needed.len() + 2)
            .unwrap_or(u16::MAX)
            .clamp(8, area.height.saturating_sub(2).max(8))
    };
    let rect = centered(area, outer_width, height);
    Clear.render(rect, buf);
    let block = ratatui::widgets::Block::bordered()
        .border_style(t.border(true))
        .title(Line::from(vec![
            Span::styled(format!(" {} ", line.place()), t.title()),
            Span::styled("· j/k scroll · Esc closes ", t.muted()),
        ]));
    let inner = block.inner(rect);
    block.render(rect, buf);
    match whole {
        Some(pieces) => whole_rows(buf, inner, model, &rows_needed, pieces, scroll),
        None => crate::ui::scrolled(buf, inner, &rows_needed, scroll),
    }
}

/// The expanded entry read whole: its fields, then its whole text, drawn from the `scroll`th
/// of them on (each field row and each piece of the text is one step), only as many pieces
/// wrapped as fill the area: a 12 MB output costs what a screenful does.
fn whole_rows(
    buf: &mut Buffer,
    inner: Rect,
    model: &View<'_>,
    fields: &[Line<'static>],
    pieces: &[String],
    scroll: usize,
) {
    let width = usize::from(inner.width);
    let steps = fields.len() + pieces.len();
    let from = scroll.min(steps.saturating_sub(1));
    let height = usize::from(inner.height);
    let mut rows: Vec<Line<'static>> = fields.iter().skip(from).cloned().collect();
    let mut next = from.saturating_sub(fields.len());
    if from < fields.len() || next == 0 {
        rows.push(Line::from(Span::styled(
            format!("whole text ({} pieces)", pieces.len()),
            model.theme.muted().add_modifier(Modifier::BOLD),
        )));
    }
    while rows.len() < height && next < pieces.len() {
        rows.extend(wrap::wrap(&Line::from(pieces[next].clone()), width));
        next += 1;
    }
    crate::ui::scrolled(buf, inner, &rows, 0);
}

/// The expanded entry's rows at `width` columns.
fn detail_rows(
    model: &View<'_>,
    line: &crate::app::model::Line,
    width: usize,
    now: DateTime<Utc>,
) -> Vec<Line<'static>> {
    let t = &model.theme;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let field = |name: &str, value: String| field(t, name, value);
    match &line.content {
        LineContent::Unreadable { problem, preview } => {
            lines.push(field("unreadable", sanitize::one_line(problem)));
            lines.push(field("raw", sanitize::one_line(preview)));
        }
        LineContent::Session(e) => {
            let w = &model.transcript.whole;
            let whole = e.cut.map(|size| {
                (
                    w.pieces(line.offset, size).is_some(),
                    w.note(line.offset, size),
                )
            });
            session_detail(model, e, now, &mut lines, whole);
        }
        LineContent::Entry(e) => {
            let when = e.timestamp.with_timezone(&Utc);
            lines.push(field("type", sanitize::one_line(e.entry_type.as_str())));
            lines.push(time_field(model, when, now));
            lines.push(field("run", e.run_id.to_string()));
            for (name, value) in [
                (
                    "iteration",
                    (e.iteration > 0).then(|| e.iteration.to_string()),
                ),
                ("agent", Some(e.agent.clone())),
                ("state", e.state.as_ref().map(|s| s.to_string())),
                ("signal", Some(e.signal.clone())),
                ("error", Some(e.error.clone())),
            ] {
                if let Some(v) = value.filter(|v| !v.is_empty()) {
                    lines.push(field(name, sanitize::one_line(&v)));
                }
            }
            if e.duration > 0 {
                lines.push(field(
                    "duration",
                    format!("{} ({} ns)", time::humanize_nanos(e.duration), e.duration),
                ));
            }
            for (name, map) in [("metadata", &e.metadata), ("other keys", &e.extra)] {
                if !map.is_empty() {
                    let json = gojson::encode(
                        &serde_json::Value::Object(map.clone()),
                        JsonStyle {
                            pretty: true,
                            escape_html: false,
                        },
                    );
                    lines.push(field(name, String::new()));
                    lines.extend(
                        sanitize::plain(&json)
                            .lines()
                            .map(|l| Line::from(format!("            {l}"))),
                    );
                }
            }
            if !e.content.is_empty() {
                lines.push(Line::default());
                lines.push(Line::from(Span::styled(
                    "content",
                    t.muted().add_modifier(Modifier::BOLD),
                )));
                lines.extend(ansi::lines(&e.content, Style::new(), t));
            }
        }
    }
    lines.iter().flat_map(|l| wrap::wrap(l, width)).collect()
}

/// A field of the expanded entry: its name right-aligned, then its value.
fn field(t: &crate::ui::Theme, name: &str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{name:>10}  "), t.muted()),
        Span::raw(value),
    ])
}

/// The time field: the date and time in the viewer's offset, and how long ago.
fn time_field(model: &View<'_>, when: DateTime<Utc>, now: DateTime<Utc>) -> Line<'static> {
    let value = format!(
        "{} ({})",
        time::date_time(when, model.settings.display_offset),
        time::ago(now, when)
    );
    field(model.theme, "time", value)
}

/// The expanded view of an agent session's entry: every field it has, then its whole text.
fn session_detail(
    model: &View<'_>,
    e: &crate::persist::session::Entry,
    now: DateTime<Utc>,
    lines: &mut Vec<Line<'static>>,
    whole: Option<(bool, Option<String>)>,
) {
    let t = &model.theme;
    lines.push(field(t, "kind", sanitize::one_line(e.kind.as_str())));
    if let Some(when) = e.time {
        lines.push(time_field(model, when, now));
    }
    let link = e.subagent.as_ref();
    for (name, value) in [
        ("actor", Some(e.actor.clone())),
        ("tool", e.tool.clone()),
        ("call", e.call_id.clone()),
        ("model", e.model.clone()),
        ("failed", e.is_error.then(|| "yes".to_owned())),
        (
            "sidechain",
            e.sidechain.then(|| "yes (a sub-agent's record)".to_owned()),
        ),
        ("sub-agent", link.map(|l| l.id.clone())),
        ("task", link.map(|l| l.description.clone())),
        (
            "file",
            link.and_then(|l| l.path.as_ref())
                .map(|p| p.to_string_lossy().into_owned()),
        ),
        (
            "saved in",
            e.saved_output
                .as_ref()
                .map(|p| p.to_string_lossy().into_owned()),
        ),
        (
            "size",
            e.cut.map(|n| {
                format!(
                    "{} (cut to {})",
                    text::bytes(n),
                    text::bytes(e.text.len() as u64)
                )
            }),
        ),
    ] {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            lines.push(field(t, name, sanitize::one_line(&v)));
        }
    }
    if let Some((_, Some(note))) = &whole {
        lines.push(field(t, "whole", note.clone()));
    }
    // Read whole: the whole text follows the fields (see `whole_rows`).
    if matches!(whole, Some((true, _))) {
        lines.push(Line::default());
        return;
    }
    if !e.text.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "text",
            t.muted().add_modifier(Modifier::BOLD),
        )));
        lines.extend(ansi::lines(&e.text, Style::new(), t));
    }
}
