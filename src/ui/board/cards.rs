//! How a card reads: an assignment's card (id, retry count, attention flag, title, pane,
//! agent, age, and the fail or attention reason) and a ready bead's card (id, priority and type
//! badges, title, age).

use crate::persist::assignment::Assignment;
use crate::persist::beads::Bead;
use crate::present::attention::{Condition, Level};
use crate::present::{sanitize, time};
use crate::ui::Theme;
use chrono::{DateTime, Utc};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

/// A title in at most two rows: the first wrapped at a word, the rest cut to fit.
fn title_rows(title: &str, width: usize) -> Vec<Line<'static>> {
    let title = sanitize::one_line(title);
    let mut rows = crate::ui::wrap::wrap(&Line::from(title.clone()), width);
    if rows.len() > 1 {
        let first_len: usize = rows[0].spans.iter().map(|s| s.content.len()).sum();
        let rest = title[first_len.min(title.len())..].trim_start().to_owned();
        rows.truncate(1);
        rows.push(crate::ui::wrap::cut(&Line::from(rest), width));
    }
    rows
}

/// Rows a card takes (plus one blank row between cards).
pub(super) fn card_lines(
    card: &Assignment,
    width: usize,
    now: DateTime<Utc>,
    t: &Theme,
    attention: Option<(&Condition, bool)>,
) -> Vec<Line<'static>> {
    let attention = attention.filter(|(c, _)| c.level == Level::Attention);
    let mut first = Vec::new();
    match attention {
        Some((_, false)) => first.push(Span::styled("⚑ ", t.warning())),
        Some((_, true)) => first.push(Span::styled("⚐ ", t.muted())),
        None => {}
    }
    first.push(Span::styled(
        sanitize::one_line(&card.bead_id),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    if card.retry_count > 0 {
        first.push(Span::styled(format!(" ↻{}", card.retry_count), t.warning()));
    }
    let age = time::ago(now, card.assigned_at.with_timezone(&Utc));
    let agent = if card.agent_name.is_empty() {
        sanitize::one_line(&card.agent_type)
    } else {
        format!(
            "{}/{}",
            sanitize::one_line(&card.agent_type),
            sanitize::one_line(&card.agent_name)
        )
    };
    let mut lines = vec![Line::from(first)];
    lines.extend(title_rows(&card.bead_title, width));
    lines.extend([Line::from(vec![
        Span::styled(format!("p{} ", card.pane), t.muted()),
        Span::styled(agent, t.agent(&card.agent_type)),
        Span::styled(format!(" · {age}"), t.muted()),
    ])]);
    if card.status == crate::persist::assignment::AssignmentStatus::Failed
        && !card.reason().is_empty()
    {
        lines.push(Line::from(Span::styled(
            format!("✗ {}", sanitize::one_line(card.reason())),
            t.error(),
        )));
    } else if let Some((c, _)) = attention
        && card.status != crate::persist::assignment::AssignmentStatus::Failed
    {
        lines.push(Line::from(Span::styled(
            format!("⚑ {}", c.reason),
            t.warning(),
        )));
    }
    lines
        .into_iter()
        .map(|l| crate::ui::wrap::cut(&l, width))
        .collect()
}

/// Rows of a ready bead's card: id with priority and type badges, title, age.
pub(super) fn bead_lines(
    bead: &Bead,
    width: usize,
    now: DateTime<Utc>,
    t: &Theme,
) -> Vec<Line<'static>> {
    let priority_style = if bead.priority <= 1 {
        t.warning()
    } else {
        t.muted()
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(
            sanitize::one_line(&bead.id),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!(" {}", bead.priority_badge()), priority_style),
        Span::styled(
            format!(" {}", sanitize::one_line(bead.type_short())),
            t.muted(),
        ),
    ])];
    lines.extend(title_rows(&bead.title, width));
    let age = bead.created_at.map_or_else(
        || "ready".to_owned(),
        |c| {
            format!(
                "ready · {} old",
                time::ago(now, c.with_timezone(&Utc)).trim_end_matches(" ago")
            )
        },
    );
    lines.push(Line::from(Span::styled(age, t.muted())));
    lines
        .into_iter()
        .map(|l| crate::ui::wrap::cut(&l, width))
        .collect()
}
