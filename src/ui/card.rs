//! A card in full (`Enter` on the board): every field of the assignment, its attention
//! condition, and its history from `assignments.history.jsonl` — every transition, the
//! reassignments upstream's store forgets included. On a store of today's NTM (schema 9) it
//! also shows what NTM records of the row (`card/ntm.rs`) and the moves NTM allows on it.

mod ntm;

use super::{centered, wrap};
use crate::app::model::CardKey;
use crate::persist::assignment::{Assignment, HistoryRecord};
use crate::present::attention::Level;
use crate::present::{glyphs, sanitize, time};
use crate::ui::View;
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

/// A labelled row, the label padded to `pad` columns.
fn field(label: &str, value: Vec<Span<'static>>, model: &View<'_>, pad: usize) -> Line<'static> {
    let mut spans = vec![Span::styled(format!("{label:<pad$} "), model.theme.muted())];
    spans.extend(value);
    Line::from(spans)
}

fn when(model: &View<'_>, t: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Vec<Span<'static>> {
    t.filter(|t| t.timestamp() > 0).map_or_else(
        || vec![Span::styled("-", model.theme.muted())],
        |t| {
            vec![
                Span::raw(time::date_time(t, model.settings.display_offset)),
                Span::styled(format!("  {}", time::ago(now, t)), model.theme.muted()),
            ]
        },
    )
}

/// One history line: `10:01:00  start     assigned → working  p2 claude`.
fn history_line(model: &View<'_>, r: &HistoryRecord) -> Line<'static> {
    let t = &model.theme;
    let at = r.time.with_timezone(&Utc);
    let arrow = match (r.from.as_str(), r.to.as_str()) {
        ("", to) => format!("→ {to}"),
        (from, "") => format!("{from} → (removed)"),
        (from, to) => format!("{from} → {to}"),
    };
    let mut spans = vec![
        Span::styled(
            format!("{}  ", time::date_time(at, model.settings.display_offset)),
            t.muted(),
        ),
        Span::styled(
            format!("{:<9} ", sanitize::one_line(&r.op)),
            ratatui::style::Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::raw(sanitize::one_line(&arrow)),
    ];
    let moved_pane = r.pane_before.is_some() && r.pane_before != r.pane_after;
    if let (true, Some(a), Some(b)) = (moved_pane, r.pane_before, r.pane_after) {
        spans.push(Span::styled(format!("  pane {a} → {b}"), t.warning()));
    } else if let Some(p) = r.pane_after {
        spans.push(Span::styled(format!("  p{p}"), t.muted()));
    }
    if !r.agent_type_before.is_empty() && r.agent_type_before != r.agent_type_after {
        spans.push(Span::styled(
            format!(
                "  {} → {}",
                sanitize::one_line(&r.agent_type_before),
                sanitize::one_line(&r.agent_type_after)
            ),
            t.warning(),
        ));
    } else if !r.agent_type_after.is_empty() {
        spans.push(Span::styled(
            format!(" {}", sanitize::one_line(&r.agent_type_after)),
            t.agent(&r.agent_type_after),
        ));
    }
    if !r.reason.is_empty() {
        spans.push(Span::styled(
            format!("  “{}”", sanitize::one_line(&r.reason)),
            t.error(),
        ));
    }
    Line::from(spans)
}

/// The card's run and what its pane held at the last look: the run `t` opens (bound to the
/// pane, and how that was told; else the newest whose prompt names the bead), and, when the
/// pane holds no bound run, why (or why the panes could not be looked at). Each is a labelled
/// row.
fn run_rows(
    model: &View<'_>,
    session: &str,
    bead: &str,
) -> Vec<(&'static str, Vec<Span<'static>>)> {
    use crate::app::model::LinkedBy;
    use crate::binding::PaneState;
    let t = &model.theme;
    let opens = Span::styled("  (t opens its transcript)", t.muted());
    let agent = model.binder.card(session, bead);
    let run = model.card_run(session, bead);
    if let (Some(run), Some(PaneState::Bound(b))) = (&run, agent.map(|a| &a.state))
        && run.by == LinkedBy::Pane
    {
        let how = told(b);
        return vec![(
            "run",
            vec![
                Span::styled("⇄ ", t.title()),
                Span::styled(sanitize::one_line(&run.name), t.agent(b.agent.as_str())),
                Span::styled(how, t.muted()),
                opens,
            ],
        )];
    }
    let pane = pane_words(model, session, bead);
    let Some(run) = run else {
        return pane.map(|p| ("run", p)).into_iter().collect();
    };
    let style = model
        .runs
        .get(&run.dir)
        .and_then(|r| r.agent())
        .map_or_else(ratatui::style::Style::new, |a| t.agent(a.as_str()));
    let mut rows = vec![(
        "run",
        vec![
            Span::styled("⇄ ", t.title()),
            Span::styled(sanitize::one_line(&run.name), style),
            Span::styled(
                format!("  · its prompt names {}", sanitize::one_line(bead)),
                t.muted(),
            ),
            opens,
        ],
    )];
    rows.extend(pane.map(|p| ("in pane", p)));
    rows
}

/// How a bound session was told: `  claude pid 42 in %3 · told by its registry`.
fn told(b: &crate::binding::Bound) -> String {
    format!(
        "  {} pid {} in {} · told by its {}",
        b.agent,
        b.pid,
        sanitize::one_line(&b.pane),
        b.rule.as_str()
    )
}

/// What the card's pane held at the last look when no run bound to it is listed: the session
/// bound (nothing written yet), or why none is; or why the panes could not be looked at.
fn pane_words(model: &View<'_>, session: &str, bead: &str) -> Option<Vec<Span<'static>>> {
    use crate::binding::PaneState;
    let t = &model.theme;
    let Some(agent) = model.binder.card(session, bead) else {
        return match &model.binder.known {
            crate::app::model::Known::Failed(why) => Some(vec![Span::styled(
                format!("panes not looked at: {}", sanitize::one_line(why)),
                t.muted(),
            )]),
            _ => None,
        };
    };
    let pane = sanitize::one_line(&agent.pane.to_string());
    Some(match &agent.state {
        PaneState::Bound(b) => vec![
            Span::styled("⇄ ", t.title()),
            Span::raw(format!(
                "session {} (nothing written yet)",
                sanitize::one_line(&b.session)
            )),
            Span::styled(told(b), t.muted()),
        ],
        PaneState::Unbound {
            agent: a, pid, why, ..
        } => vec![Span::styled(
            format!(
                "none bound: {a} pid {pid} in {pane}, {}",
                sanitize::one_line(&why.to_string())
            ),
            t.muted(),
        )],
        PaneState::NoAgent { pane } => vec![Span::styled(
            format!("none: no agent runs in {}", sanitize::one_line(pane)),
            t.muted(),
        )],
        PaneState::Gone => vec![Span::styled(format!("none: {pane} is gone"), t.muted())],
        PaneState::Ambiguous { windows } => vec![Span::styled(
            format!("none: {pane} is in {windows} windows, which one is meant cannot be told"),
            t.muted(),
        )],
    })
}

/// The rows of the card view.
#[must_use]
pub fn rows(
    model: &View<'_>,
    session: &str,
    card: &Assignment,
    history: Option<&Result<Vec<HistoryRecord>, String>>,
    now: DateTime<Utc>,
) -> Vec<Line<'static>> {
    let t = &model.theme;
    let at = |g: Option<crate::persist::gojson::GoTime>| g.map(|g| g.with_timezone(&Utc));
    let mut v9 = ntm::Facts::of(model, session, card, now);
    let pad = v9.as_ref().map_or(10, ntm::Facts::pad);
    let field =
        |label: &str, value: Vec<Span<'static>>, model: &View<'_>| field(label, value, model, pad);
    let mut out = vec![
        Line::from(Span::styled(
            sanitize::one_line(&card.bead_title),
            ratatui::style::Style::new().add_modifier(Modifier::BOLD),
        )),
        Line::default(),
        field(
            "status",
            vec![Span::styled(
                format!(
                    "{} {}",
                    glyphs::assignment_status(&card.status),
                    sanitize::one_line(card.status.as_str())
                ),
                t.status(Some(&card.status)),
            )],
            model,
        ),
    ];
    if model.board.is_merged() {
        // On the all-sessions board the title names no session: the card does.
        out.push(field(
            "session",
            vec![Span::raw(sanitize::one_line(session))],
            model,
        ));
    }
    if let Some((c, acked)) = model.observer.bead_condition(session, &card.bead_id, now)
        && c.level == Level::Attention
    {
        let note = if acked {
            " (acknowledged)"
        } else {
            " · A acknowledges"
        };
        out.push(field(
            "attention",
            vec![
                Span::styled(format!("⚑ {}", c.reason), t.warning()),
                Span::styled(note, t.muted()),
            ],
            model,
        ));
    }
    if v9.is_some() {
        // What NTM allows on the row comes first: the keys, or why none acts.
        out.push(field("moves", ntm::moves_line(model, session, card), model));
    }
    let mut pane = v9
        .as_mut()
        .and_then(|f| f.take_pane(model))
        .unwrap_or_else(|| vec![Span::raw(card.pane.to_string())]);
    pane.push(Span::styled("  (T goes to it in tmux)", t.muted()));
    out.push(field("pane", pane, model));
    let agent = match card.agent_name.as_str() {
        "" => sanitize::one_line(&card.agent_type),
        name => format!(
            "{} / {}",
            sanitize::one_line(&card.agent_type),
            sanitize::one_line(name)
        ),
    };
    out.push(field(
        "agent",
        vec![Span::styled(agent, t.agent(&card.agent_type))],
        model,
    ));
    for (label, value) in run_rows(model, session, &card.bead_id) {
        out.push(field(label, value, model));
    }
    out.push(field(
        "assigned",
        when(model, at(Some(card.assigned_at)), now),
        model,
    ));
    out.push(field(
        "started",
        when(model, at(card.started_at), now),
        model,
    ));
    if card.completed_at.is_some() {
        out.push(field(
            "completed",
            when(model, at(card.completed_at), now),
            model,
        ));
    }
    if card.failed_at.is_some() {
        out.push(field("failed", when(model, at(card.failed_at), now), model));
    }
    if card.retry_count > 0 {
        out.push(field(
            "retries",
            vec![Span::raw(card.retry_count.to_string())],
            model,
        ));
    }
    if !card.reason().is_empty() {
        let reason = sanitize::one_line(card.reason());
        out.push(field(
            "reason",
            vec![Span::styled(reason, t.error())],
            model,
        ));
    }
    if !card.prompt_sent.is_empty() {
        out.push(field(
            "prompt",
            vec![Span::raw(sanitize::one_line(&card.prompt_sent))],
            model,
        ));
    }
    if let Some(v9) = v9 {
        out.extend(
            v9.rest(model)
                .into_iter()
                .map(|(label, value)| field(label, value, model)),
        );
    }
    out.push(Line::default());
    out.push(Line::from(Span::styled(
        "History (assignments.history.jsonl)",
        t.title(),
    )));
    match history {
        None => out.push(Line::from(Span::styled("reading the history…", t.muted()))),
        Some(Ok(records)) if records.is_empty() => out.push(Line::from(Span::styled(
            "no transitions recorded yet (beadboard logs every change made through its store)",
            t.muted(),
        ))),
        Some(Ok(records)) => out.extend(records.iter().map(|r| history_line(model, r))),
        Some(Err(e)) => out.push(Line::from(Span::styled(
            format!("cannot read the history: {}", sanitize::one_line(e)),
            t.error(),
        ))),
    }
    out
}

/// Draws the card over `area`, scrolled by `scroll` rows.
pub fn render(
    buf: &mut Buffer,
    area: Rect,
    model: &View<'_>,
    key: &CardKey,
    history: Option<&Result<Vec<HistoryRecord>, String>>,
    scroll: usize,
    now: DateTime<Utc>,
) {
    let t = &model.theme;
    let Some(card) = model.board.card(key) else {
        return;
    };
    let bead = key.bead.as_str();
    let width = area.width.saturating_sub(4).clamp(40, 110);
    let inner_width = usize::from(width.saturating_sub(2));
    let all: Vec<Line<'static>> = rows(model, &key.session, card, history, now)
        .iter()
        .flat_map(|l| wrap::wrap(l, inner_width))
        .collect();
    let height = u16::try_from(all.len() + 2)
        .unwrap_or(u16::MAX)
        .clamp(8, area.height.saturating_sub(2).max(8));
    let rect = centered(area, width, height);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .border_style(t.border(true))
        .title(Line::from(vec![
            Span::styled(format!(" {} ", sanitize::one_line(bead)), t.title()),
            Span::styled("· j/k scroll · Esc closes ", t.muted()),
        ]));
    let inner = block.inner(rect);
    block.render(rect, buf);
    super::scrolled(buf, inner, &all, scroll);
}
