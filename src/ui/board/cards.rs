//! How a card reads. First its bead id with its badges (attention flag, retry count, priority,
//! type; later ones fit the same way): the id is never cut, and badges that do not fit beside
//! it go to the next row. Then the title in at most two rows (a cut ends in `…`). An
//! assignment's card then says how long ago it was assigned, before the pane and agent, so a
//! long agent name never hides the age; a failed or flagged card adds its reason. A ready
//! bead's card puts its age beside the id when it fits (the column already says "ready").
//!
//! On a store of today's NTM (schema 9) a card also says what NTM is doing with the row: its
//! facts as badges after the id (a glyph and words each: a missing `%N` pane identity, a
//! requested outcome, an unacknowledged completion event, an unsettled claim, a dispatch not
//! sent, the reservation), its `%N` pane where the seed shows the pane index, and the one
//! longer line (an error NTM recorded, or a requested failure's reason) in at most two rows.
//!
//! A card whose pane has been looked at says which run its agent is (`⇄ webapp claude 88a8d7`)
//! or why none is bound; a working card is flagged, with a badge, when its issue is closed, its
//! pane is gone, its agent exited, waits for approval or has gone quiet.

use crate::app::model::CardAgent;
use crate::binding::PaneState;
use crate::persist::assignment::v9::NtmRow;
use crate::persist::assignment::{Assignment, AssignmentStatus};
use crate::persist::beads::Bead;
use crate::present::attention::agent::AgentFlag;
use crate::present::attention::{Condition, Level};
use crate::present::ntm_row::{self, Tone};
use crate::present::{sanitize, text, time};
use crate::ui::Theme;
use crate::ui::wrap::{cut, line_width, wrap};
use chrono::{DateTime, Utc};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

/// The widest an assignment's badges get beside its id: `⚑ ` before it and ` ↻9` after.
pub(super) const CARD_BADGES: usize = 5;

/// A title in at most two rows: the first wrapped at a word, the second cut with `…`.
pub(super) fn title_rows(title: &str, width: usize) -> Vec<Line<'static>> {
    two_rows(&sanitize::one_line(title), Style::new(), width)
}

/// `text` in `style` in at most two rows: the first wrapped at a word, the second cut with `…`.
fn two_rows(text: &str, style: Style, width: usize) -> Vec<Line<'static>> {
    let mut rows = wrap(&Line::from(Span::styled(text.to_owned(), style)), width);
    if rows.len() > 1 {
        let first_len: usize = rows[0].spans.iter().map(|s| s.content.len()).sum();
        let rest = text[first_len.min(text.len())..].trim_start().to_owned();
        rows.truncate(1);
        rows.push(cut(&Line::from(Span::styled(rest, style)), width));
    }
    rows
}

/// How a fact of today's NTM reads on a card (its words say it too).
fn tone_style(tone: Tone, t: &Theme) -> Style {
    match tone {
        Tone::Block => t.error(),
        Tone::Warn => t.warning(),
        Tone::Pending => t.fg(t.info),
        Tone::Info => t.muted(),
    }
}

/// The id row: `lead` (a flag), the id in bold, then `badges` while they fit; the rest of the
/// badges on the rows below. Nothing is cut: an id wider than the card wraps.
pub(super) fn id_rows(
    lead: Option<Span<'static>>,
    id: &str,
    badges: Vec<Span<'static>>,
    width: usize,
) -> Vec<Line<'static>> {
    let mut first: Vec<Span<'static>> = lead.into_iter().collect();
    first.push(Span::styled(
        sanitize::one_line(id),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    let mut rows: Vec<Line<'static>> = wrap(&Line::from(first), width);
    for badge in badges {
        let w = text::width(&badge.content);
        let last = rows.len() - 1;
        let used = line_width(&rows[last]);
        if used + w <= width {
            rows[last].spans.push(badge);
        } else {
            let trimmed = Span::styled(badge.content.trim_start().to_owned(), badge.style);
            rows.extend(wrap(&Line::from(trimmed), width));
        }
    }
    rows
}

/// The agent as a card shows it: its type, and its name unless that is NTM's default
/// (`<session>_<type>_<pane>`), which says nothing the card does not already.
fn agent_text(card: &Assignment, session: &str) -> String {
    let kind = sanitize::one_line(&card.agent_type);
    let default_name = format!("{session}_{}_{}", card.agent_type, card.pane);
    if card.agent_name.is_empty() || card.agent_name == default_name {
        kind
    } else {
        format!("{kind}/{}", sanitize::one_line(&card.agent_name))
    }
}

/// What a card shows beside its record.
pub(super) struct Look<'a> {
    /// The session whose store holds it.
    pub session: &'a str,
    /// Name the session on the card (the all-sessions board, where cards of many sessions
    /// share the columns).
    pub show_session: bool,
    /// Its store is today's NTM's (schema 9).
    pub v9: bool,
    /// Its attention condition, and whether it was acknowledged.
    pub attention: Option<(&'a Condition, bool)>,
    /// What its pane held at the last look, and the run bound to it.
    pub agent: Option<&'a CardAgent>,
    /// What the truth about its agent flags it for (a working bead).
    pub flag: Option<AgentFlag>,
}

/// The card's row about its agent: `⇄` and the run bound to its pane, or why none is (the
/// agent's session not told apart, a pane index in several windows); nothing when the pane
/// holds no agent (a working card's flag says so).
fn agent_row(agent: &CardAgent, t: &Theme) -> Option<Line<'static>> {
    match &agent.state {
        PaneState::Bound(b) => Some(match &agent.run {
            Some((name, _)) => Line::from(vec![
                Span::styled("⇄ ", t.title()),
                Span::styled(sanitize::one_line(name), t.agent(b.agent.as_str())),
            ]),
            None => {
                let short: String = b.session.chars().take(8).collect();
                Line::from(vec![
                    Span::styled("⇄ ", t.title()),
                    Span::styled(
                        format!(
                            "{} {} (nothing written yet)",
                            b.agent,
                            sanitize::one_line(&short)
                        ),
                        t.muted(),
                    ),
                ])
            }
        }),
        PaneState::Unbound {
            agent, pane, why, ..
        } => Some(Line::from(Span::styled(
            format!(
                "{agent} in {}: no run bound ({})",
                sanitize::one_line(pane),
                sanitize::one_line(&why.to_string())
            ),
            t.muted(),
        ))),
        PaneState::Ambiguous { windows } => Some(Line::from(Span::styled(
            format!(
                "{} is in {windows} windows: no agent looked for",
                agent.pane
            ),
            t.muted(),
        ))),
        PaneState::Gone | PaneState::NoAgent { .. } => None,
    }
}

/// Rows of an assignment's card, `width` columns wide.
pub(super) fn card_lines(
    card: &Assignment,
    look: &Look<'_>,
    width: usize,
    now: DateTime<Utc>,
    t: &Theme,
) -> Vec<Line<'static>> {
    let session = look.session;
    let row = look.v9.then(|| NtmRow::new(card));
    let attention = look.attention.filter(|(c, _)| c.level == Level::Attention);
    let lead = match attention {
        Some((_, false)) => Some(Span::styled("⚑ ", t.warning())),
        Some((_, true)) => Some(Span::styled("⚐ ", t.muted())),
        None => None,
    };
    let mut badges = Vec::new();
    if look.show_session {
        // `@session`: whole, on the next row when it does not fit beside the id.
        badges.push(Span::styled(
            format!(" @{}", sanitize::one_line(session)),
            t.fg(t.info),
        ));
    }
    if card.retry_count > 0 {
        badges.push(Span::styled(format!(" ↻{}", card.retry_count), t.warning()));
    }
    if let Some(row) = &row {
        badges.extend(ntm_row::card_facts(row).into_iter().map(|f| {
            Span::styled(
                sanitize::one_line(&format!(" {} {}", f.glyph, f.badge)),
                tone_style(f.tone, t),
            )
        }));
    }
    if let Some(f) = &look.flag {
        badges.push(Span::styled(
            sanitize::one_line(&format!(" {} {}", f.glyph, f.badge)),
            t.warning(),
        ));
    }
    let mut lines = id_rows(lead, &card.bead_id, badges, width);
    lines.extend(title_rows(&card.bead_title, width));
    let age = time::ago(now, card.assigned_at.with_timezone(&Utc));
    // Today's NTM acts on the physical pane (`%N`); a row without one keeps the index.
    let pane = row
        .as_ref()
        .and_then(NtmRow::pane_id)
        .map_or_else(|| format!("p{}", card.pane), |p| sanitize::one_line(&p));
    lines.push(cut(
        &Line::from(vec![
            Span::styled(format!("{age} · "), t.muted()),
            Span::styled(format!("{pane} "), t.muted()),
            Span::styled(agent_text(card, session), t.agent(&card.agent_type)),
        ]),
        width,
    ));
    if let Some(row) = look.agent.and_then(|a| agent_row(a, t)) {
        lines.push(cut(&row, width));
    }
    let reason = if card.status == AssignmentStatus::Failed && !card.reason().is_empty() {
        Some(Span::styled(
            format!("✗ {}", sanitize::one_line(card.reason())),
            t.error(),
        ))
    } else if let Some((c, _)) = attention
        && card.status != AssignmentStatus::Failed
    {
        Some(Span::styled(format!("⚑ {}", c.reason), t.warning()))
    } else {
        None
    };
    lines.extend(reason.map(|r| cut(&Line::from(r), width)));
    if let Some(note) = row.as_ref().and_then(ntm_row::card_note) {
        let text = format!("{} {}", note.glyph, note.text);
        lines.extend(two_rows(&text, tone_style(note.tone, t), width));
    }
    lines
}

/// Rows of a ready bead's card: id with priority and type badges (and its age when it fits),
/// title.
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
    let badges = vec![
        Span::styled(format!(" {}", bead.priority_badge()), priority_style),
        Span::styled(
            format!(" {}", sanitize::one_line(bead.type_short())),
            t.muted(),
        ),
    ];
    let mut lines = id_rows(None, &bead.id, badges, width);
    if let Some(created) = bead.created_at {
        let age = match time::ago(now, created.with_timezone(&Utc)).as_str() {
            "now" => "new".to_owned(),
            ago => format!("{} old", ago.trim_end_matches(" ago")),
        };
        let last = lines.len() - 1;
        if line_width(&lines[last]) + 3 + text::width(&age) <= width {
            lines[last]
                .spans
                .push(Span::styled(format!(" · {age}"), t.muted()));
            lines.extend(title_rows(&bead.title, width));
        } else {
            lines.extend(title_rows(&bead.title, width));
            lines.push(cut(&Line::from(Span::styled(age, t.muted())), width));
        }
    } else {
        lines.extend(title_rows(&bead.title, width));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line<'static>]) -> Vec<String> {
        lines.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn an_id_is_never_cut_and_badges_move_down() {
        let badges = vec![Span::raw(" ↻2"), Span::raw(" claim")];
        let rows = texts(&id_rows(None, "auth-7k2m9x1q", badges.clone(), 16));
        assert_eq!(rows, ["auth-7k2m9x1q ↻2", "claim"]);
        // Narrower than the id: it wraps, whole, and no row is wider than the card.
        let rows = texts(&id_rows(
            Some(Span::raw("⚑ ")),
            "billing-4fz9a0x",
            badges,
            10,
        ));
        assert!(rows.concat().contains("billing-4fz9a0x"), "{rows:?}");
        assert!(rows.iter().all(|r| text::width(r) <= 10), "{rows:?}");
        assert!(!rows.concat().contains('…'), "{rows:?}");
    }

    #[test]
    fn titles_take_two_rows_at_most_and_end_in_an_ellipsis() {
        let rows = texts(&title_rows(
            "Sanitize markdown in comment bodies before rendering them",
            18,
        ));
        assert_eq!(rows.len(), 2);
        assert!(rows[1].ends_with('…'), "{rows:?}");
        assert!(rows[0].starts_with("Sanitize markdown"));
        let rows = texts(&title_rows("Short title", 18));
        assert_eq!(rows, ["Short title"]);
    }
}
