//! How another host's card reads: `gpu1:wa-1` (the host in front of the id, never cut) with
//! its session as a badge, the title in at most two rows, the pane and agent, and the reason
//! when its host says it needs attention (`⚑`, or `⚐` once acknowledged here); while a move is under way, what it waits for. The
//! host's events say nothing of when it was
//! assigned, so no age is shown rather than a made-up one.

use super::cards::{id_rows, title_rows};
use crate::app::model::RemoteCard;
use crate::present::sanitize;
use crate::ui::Theme;
use crate::ui::wrap::cut;
use ratatui::text::{Line, Span};

/// Rows of another host's card, `width` columns wide.
pub(super) fn remote_card_lines(
    card: &RemoteCard,
    width: usize,
    t: &Theme,
    pending: Option<&str>,
    acknowledged: bool,
) -> Vec<Line<'static>> {
    let (flag, tone) = if acknowledged {
        ("⚐", t.muted())
    } else {
        ("⚑", t.warning())
    };
    let lead = card
        .attention
        .as_ref()
        .map(|_| Span::styled(format!("{flag} "), tone));
    let badges = vec![Span::styled(
        format!(" @{}", sanitize::one_line(&card.session)),
        t.fg(t.info),
    )];
    let mut lines = id_rows(lead, &card.key().shown_id(), badges, width);
    lines.extend(title_rows(&card.title, width));
    lines.push(cut(
        &Line::from(vec![
            Span::styled(format!("p{} ", card.pane), t.muted()),
            Span::styled(sanitize::one_line(&card.agent), t.agent(&card.agent)),
        ]),
        width,
    ));
    if let Some(pending) = pending {
        lines.push(cut(
            &Line::from(Span::styled(format!("… {pending}"), t.warning())),
            width,
        ));
    }
    if let Some(why) = &card.attention {
        lines.push(cut(
            &Line::from(Span::styled(
                format!("{flag} {}", sanitize::one_line(why)),
                tone,
            )),
            width,
        ));
    }
    lines
}
