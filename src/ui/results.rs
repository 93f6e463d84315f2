//! The results of the search of every transcript (`F`): a list over the panes that fills as
//! the worker streams matches in. A line of progress (transcripts searched of all, bytes,
//! matches) comes first; then one row per match: the run as the screen names it (`api #4`),
//! the line, the entry type (glyph and word), its time (relative, computed at draw time) and
//! the matched text, the match bold and underlined as well as coloured, moved into view when
//! the row is narrow. With other hosts, a line says how each one's search is going (or that it
//! was not searched, and why), and their runs are named with their host (`gpu1:api #4`). The selected row is reversed and marked `▌`; rows out of view are counted
//! in the bottom border.

use super::wrap::cut_at;
use super::{Theme, View};
use crate::app::model::Model;
use crate::app::model::corpus::{CorpusResults, CorpusState, HostSearchState};
use crate::persist::run::EntryType;
use crate::present::naming::find;
use crate::present::{glyphs, sanitize, text, time};
use crate::search::{Hit, Target, case_sensitive};
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Widget};
use std::ops::Range;

/// The widest the run-name column gets (longer names are cut with `…`).
const NAME_MAX: usize = 24;
/// The entry-type column: a glyph and the longest word (`unreadable`).
const TYPE: usize = 12;
/// The time column (`364d ago`).
const TIME: usize = 8;
/// Below this inner width the entry type shows as its glyph alone.
const TYPE_WORD_MIN: u16 = 76;

/// The list's frame on a screen `area`: where the panes are (the header, the status line,
/// where a new search is typed, and the footer's keys stay in sight).
fn frame(area: Rect) -> Rect {
    Rect {
        y: area.y.saturating_add(1),
        height: area.height.saturating_sub(3),
        ..area
    }
}

/// Rows above the matches: progress, the other hosts' part when there are any, and a line
/// about unreadable transcripts when there are.
fn header_rows(c: &CorpusResults) -> u16 {
    1 + u16::from(!c.hosts.is_empty()) + u16::from(c.problems.0 > 0)
}

/// How each other host's search is going: `gpu1 ⋯ 3 · vm ✗ not searched: down …`.
fn hosts_line(c: &CorpusResults, t: &Theme) -> Line<'static> {
    let mut spans = vec![Span::styled("hosts:", t.muted())];
    for h in &c.hosts {
        let name = sanitize::one_line(&h.host);
        let (words, style) = match &h.state {
            HostSearchState::Searching => (format!("{name} ⋯ {}", matches(h.hits)), t.warning()),
            HostSearchState::Done { files, .. } => (
                format!(
                    "{name} ✓ {} in {} transcripts",
                    matches(h.hits),
                    grouped(usize::try_from(*files).unwrap_or(usize::MAX))
                ),
                t.good(),
            ),
            HostSearchState::Cancelling => (
                format!("{name} ■ stopping after {}", matches(h.hits)),
                t.warning(),
            ),
            // Stopped before it knew what it had to search.
            HostSearchState::Cancelled { total: 0, .. } => (
                format!("{name} ■ stopped after {}", matches(h.hits)),
                t.warning(),
            ),
            HostSearchState::Cancelled { files, total } => (
                format!(
                    "{name} ■ stopped after {} in {} of {} transcripts",
                    matches(h.hits),
                    grouped(usize::try_from(*files).unwrap_or(usize::MAX)),
                    grouped(usize::try_from(*total).unwrap_or(usize::MAX))
                ),
                t.warning(),
            ),
            HostSearchState::Stopped => (
                format!(
                    "{name} ■ {} taken; it searches on (too old to be stopped)",
                    matches(h.hits)
                ),
                t.warning(),
            ),
            HostSearchState::NotSearched(why) => (
                format!("{name} ✗ not searched: {}", sanitize::one_line(why)),
                t.error(),
            ),
            HostSearchState::Failed(why) => {
                (format!("{name} ✗ {}", sanitize::one_line(why)), t.error())
            }
        };
        spans.push(Span::styled(format!(" {words}"), style));
        spans.push(Span::styled(" ·", t.muted()));
    }
    spans.pop();
    Line::from(spans)
}

/// How many matches the list shows at the model's size (what a page is).
#[must_use]
pub fn rows(model: &Model) -> usize {
    let rect = frame(Rect::new(0, 0, model.size.0, model.size.1));
    let header = model.corpus.as_ref().map_or(1, header_rows);
    usize::from(rect.height.saturating_sub(2 + header))
}

/// `12,345`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

fn matches(n: usize) -> String {
    if n == 1 {
        "1 match".to_owned()
    } else {
        format!("{} matches", grouped(n))
    }
}

/// The progress line: glyph and words for where the search is.
fn progress(c: &CorpusResults, t: &Theme) -> Span<'static> {
    let p = &c.progress;
    let of = format!(
        "{} of {} transcripts",
        grouped(p.files_done),
        grouped(p.files)
    );
    let bytes = text::bytes(p.bytes_done);
    let (line, style) = match &c.state {
        CorpusState::Running => (
            format!(
                "⋯ searching: {of} · {bytes} · {} (Esc stops)",
                matches(p.hits)
            ),
            t.warning(),
        ),
        CorpusState::Stopping => (
            format!("■ stopping: {of} · {}", matches(p.hits)),
            t.warning(),
        ),
        CorpusState::Stopped => (
            format!("■ stopped after {of} · {bytes} · {}", matches(p.hits)),
            t.warning(),
        ),
        CorpusState::Done => (
            format!(
                "✓ {} in {} transcripts · {bytes}",
                matches(p.hits),
                grouped(p.files)
            ),
            t.good(),
        ),
        CorpusState::Failed(why) => (format!("✗ {}", sanitize::one_line(why)), t.error()),
    };
    let more = p.hits.saturating_sub(c.hits.len());
    // With other hosts, this line is this machine's part (theirs is on the next).
    let line = if c.hosts.is_empty() {
        line
    } else {
        format!("local: {line}")
    };
    let line = if more > 0 {
        format!(
            "{line} · the first {} listed, {} more not (narrow the search)",
            grouped(c.hits.len()),
            grouped(more)
        )
    } else {
        line
    };
    Span::styled(line, style)
}

/// Byte ranges of `query` in `text`, as the search matched it (smart case).
fn marks(text: &str, query: &str) -> Vec<Range<usize>> {
    if case_sensitive(query) {
        text.match_indices(query)
            .map(|(i, m)| i..i + m.len())
            .collect()
    } else {
        find(text, query)
    }
}

/// The matched text in `room` columns: the match marked and in view (a `…` on each side that
/// hides text).
fn matched_text(text: &str, query: &str, room: usize, style: Style, mark: Style) -> Line<'static> {
    let text = sanitize::one_line(text);
    let found = marks(&text, query);
    let mut spans = Vec::new();
    let mut at = 0;
    for r in &found {
        spans.push(Span::styled(text[at..r.start].to_owned(), style));
        spans.push(Span::styled(text[r.clone()].to_owned(), style.patch(mark)));
        at = r.end;
    }
    spans.push(Span::styled(text[at..].to_owned(), style));
    // The least scroll that shows the match's end with a little text after it (and the two
    // `…`), never past its start.
    let total = text::width(&text);
    let offset = found.first().filter(|_| total > room).map_or(0, |r| {
        let (start, end) = (text::width(&text[..r.start]), text::width(&text[..r.end]));
        let want = end + (room / 4).min(total - end) + 2;
        want.saturating_sub(room).min(start)
    });
    cut_at(&Line::from(spans), offset, room).0
}

/// Column widths of the rows shown.
struct Widths {
    name: usize,
    line: usize,
    type_word: bool,
}

/// One match's row.
#[allow(clippy::too_many_arguments)]
fn row(
    hit: &Hit,
    target: &Target,
    query: &str,
    w: &Widths,
    cols: usize,
    selected: bool,
    now: DateTime<Utc>,
    t: &Theme,
) -> Line<'static> {
    let base = if selected { t.selected() } else { Style::new() };
    let kind = EntryType::parse(&hit.entry_type);
    let glyph = if hit.entry_type == "unreadable" {
        "✗"
    } else {
        glyphs::entry_type(&kind)
    };
    let trouble = matches!(kind, EntryType::Error) || hit.entry_type == "unreadable";
    let type_text = if w.type_word {
        text::fit(
            &format!("{glyph} {}", sanitize::one_line(&hit.entry_type)),
            TYPE,
        )
    } else {
        glyph.to_owned()
    };
    let line = match hit.line {
        0 => "line ?".to_owned(),
        n => format!("line {n}"),
    };
    let when = hit.time.map_or_else(
        || "-".to_owned(),
        |at| time::ago(now, at.with_timezone(&Utc)),
    );
    let mut spans = vec![
        Span::styled(if selected { "▌ " } else { "  " }, base),
        Span::styled(text::fit(&target.name(), w.name), base),
        Span::styled(
            format!(" {line:<width$} ", width = w.line),
            base.patch(t.muted()),
        ),
        Span::styled(
            type_text,
            base.patch(if trouble { t.error() } else { t.text() }),
        ),
        Span::styled(format!(" {when:>TIME$}  "), base.patch(t.muted())),
    ];
    let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    let mark = t
        .search_match()
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    let room = cols.saturating_sub(used);
    spans.extend(matched_text(&hit.text, query, room, base, mark).spans);
    Line::from(spans)
}

/// The title: what was asked and where the selection is, cut with `…` to `cols`.
fn title(c: &CorpusResults, cols: usize, t: &Theme) -> Line<'static> {
    let mut spans = vec![
        Span::styled(" search every transcript ", t.title()),
        Span::raw(format!(
            "· {} ",
            sanitize::one_line(&format!("{:?}", c.typed))
        )),
    ];
    if !c.hits.is_empty() {
        spans.push(Span::styled(
            format!(
                "· {} of {} ",
                grouped(c.selected + 1),
                grouped(c.hits.len())
            ),
            t.muted(),
        ));
    }
    super::wrap::cut(&Line::from(spans), cols)
}

/// Draws the list over `area`.
pub fn render(buf: &mut Buffer, area: Rect, model: &View<'_>, now: DateTime<Utc>) {
    let Some(c) = &model.corpus else {
        return;
    };
    let t = &model.theme;
    let rect = frame(area);
    Clear.render(rect, buf);
    let height = rows(model);
    // The selection in view, whatever size the screen has become since `top` was kept.
    let top = if c.selected < c.top {
        c.selected
    } else if height > 0 && c.selected >= c.top + height {
        c.selected + 1 - height
    } else {
        c.top
    };
    let (above, below) = (top, c.hits.len().saturating_sub(top + height));
    let mut block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(t.border(true))
        .title(title(c, usize::from(rect.width.saturating_sub(2)), t));
    let out: Vec<String> = [(above, "↑", "above"), (below, "↓", "below")]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, arrow, side)| format!("{arrow} {} {side}", grouped(n)))
        .collect();
    if !out.is_empty() {
        let out = format!(" {} ", out.join(" · "));
        block = block.title_bottom(Line::from(Span::styled(out, t.muted())).right_aligned());
    }
    let inner = block.inner(rect);
    block.render(rect, buf);
    let cols = usize::from(inner.width);
    let mut y = inner.y;
    let mut put = |line: Line<'static>, buf: &mut Buffer| {
        if y < inner.bottom() {
            buf.set_line(inner.x, y, &super::wrap::cut(&line, cols), inner.width);
            y += 1;
        }
    };
    put(Line::from(progress(c, t)), buf);
    if !c.hosts.is_empty() {
        put(hosts_line(c, t), buf);
    }
    if let (n, Some(first)) = &c.problems {
        let what = if *n == 1 { "transcript" } else { "transcripts" };
        let text = format!(
            "⚠ {n} {what} could not be read: {}",
            sanitize::one_line(first)
        );
        put(Line::from(Span::styled(text, t.warning())), buf);
    }
    if c.hits.is_empty() {
        let why = match c.state {
            _ if c.is_running() => "no matches yet".to_owned(),
            _ => format!(
                "no match for {:?} (smart case: an uppercase letter makes it case-sensitive)",
                c.pattern
            ),
        };
        put(Line::from(Span::styled(why, t.muted())), buf);
        return;
    }
    let shown = &c.hits[top..(top + height).min(c.hits.len())];
    let widths = Widths {
        name: c.name_width.clamp(4, NAME_MAX),
        line: shown
            .iter()
            .map(|h| 5 + h.line.max(1).to_string().len())
            .max()
            .unwrap_or(6),
        type_word: inner.width >= TYPE_WORD_MIN,
    };
    for (i, hit) in shown.iter().enumerate() {
        let Some(target) = c.target(hit.target) else {
            continue;
        };
        let selected = top + i == c.selected;
        put(
            row(hit, target, &c.pattern, &widths, cols, selected, now, t),
            buf,
        );
    }
}
