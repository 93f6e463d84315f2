//! One transcript line as screen rows: time, iteration, agent (its own colour), type glyph and
//! word, then the text with signals and errors highlighted, durations humanised, agent colour
//! codes rendered as styles, search matches marked; multi-line content below, wrapped or cut.

use crate::app::model::{Line as TLine, LineContent, Settings, Timestamps};
use crate::persist::run::{EntryType, TranscriptEntry};
use crate::persist::session::{Entry, EntryKind};
use crate::present::summary::{self, Emphasis};
use crate::present::{sanitize, text, time};
use crate::ui::{Theme, ansi, wrap};
use chrono::{DateTime, Utc};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;

/// The widest tool name shown in the label column (`▸ ` or ` ◂ ` before it, a space after);
/// a wider one is named at the head of the text instead.
const TOOL_IN_LABEL: usize = 8;

/// Body lines shown under an entry before "… N more lines".
pub const COLLAPSED_BODY: usize = 6;

/// What rows are built with.
pub struct RowContext<'a> {
    /// Colours.
    pub theme: &'a Theme,
    /// Offsets and stale threshold.
    pub settings: &'a Settings,
    /// The clock.
    pub now: DateTime<Utc>,
    /// Columns available.
    pub width: usize,
    /// Wrap long lines.
    pub wrap: bool,
    /// Columns the text is scrolled sideways when not wrapping (its prefix stays put).
    pub offset: usize,
    /// How times show.
    pub timestamps: Timestamps,
    /// A search to mark.
    pub search: Option<&'a str>,
    /// How much of a date the time column holds: enough for the oldest entry loaded.
    pub dated: time::Dated,
    /// The open session's agent (`claude`), the actor of its calls (`None`: an agentpair run).
    pub agent: Option<&'static str>,
}

impl RowContext<'_> {
    fn time_width(&self) -> usize {
        match self.timestamps {
            Timestamps::Absolute if self.width >= 60 => self.dated.width() + 1,
            Timestamps::Relative if self.width >= 60 => 9,
            _ => 0,
        }
    }

    fn agent_width(&self) -> usize {
        if self.width >= 70 {
            8
        } else if self.width >= 40 {
            7
        } else {
            0
        }
    }

    /// Where the text column starts.
    fn prefix_width(&self) -> usize {
        self.time_width() + 4 + self.agent_width() + 12
    }
}

/// When the line's entry happened (`None`: it does not say, or the line is unreadable).
#[must_use]
pub fn line_time(line: &TLine) -> Option<DateTime<Utc>> {
    match &line.content {
        LineContent::Entry(e) => Some(e.timestamp.with_timezone(&Utc)),
        LineContent::Session(e) => e.time,
        LineContent::Unreadable { .. } => None,
    }
    .filter(|t| t.timestamp() > 0)
}

fn time_text(entry: &TranscriptEntry, ctx: &RowContext<'_>) -> String {
    time_of(Some(entry.timestamp.with_timezone(&Utc)), ctx)
}

fn time_of(t: Option<DateTime<Utc>>, ctx: &RowContext<'_>) -> String {
    let Some(t) = t.filter(|t| t.timestamp() > 0) else {
        return text::fit("--:--:--", ctx.time_width());
    };
    match ctx.timestamps {
        Timestamps::Absolute => {
            // Today's times line up under the dated ones: the date's place left blank.
            let offset = ctx.settings.display_offset;
            let how = time::Dated::of(t, ctx.now, offset);
            let stamp = time::stamp_as(t, how, offset);
            let width = ctx.time_width().saturating_sub(1);
            format!("{stamp:>width$} ")
        }
        Timestamps::Relative => format!("{:>8} ", time::ago(ctx.now, t)),
        Timestamps::Off => String::new(),
    }
}

/// Splits `text` into spans, marking search matches.
fn marked(text: &str, style: Style, ctx: &RowContext<'_>) -> Vec<Span<'static>> {
    let Some(query) = ctx.search.filter(|q| !q.is_empty()) else {
        return vec![Span::styled(text.to_owned(), style)];
    };
    let case_sensitive = query.chars().any(char::is_uppercase);
    let hay = if case_sensitive {
        text.to_owned()
    } else {
        text.to_lowercase()
    };
    let needle = if case_sensitive {
        query.to_owned()
    } else {
        query.to_lowercase()
    };
    if hay.len() != text.len() {
        // Lower-casing changed byte lengths (rare scripts): mark nothing rather than misplace.
        return vec![Span::styled(text.to_owned(), style)];
    }
    // A match is widened to whole grapheme clusters (a span boundary inside a cluster would
    // split it into pieces drawn apart).
    let bounds: Vec<usize> = if text.is_ascii() {
        Vec::new()
    } else {
        text.grapheme_indices(true).map(|(i, _)| i).collect()
    };
    let snap_down = |i: usize| match bounds.partition_point(|&b| b <= i) {
        0 => i,
        n => bounds[n - 1],
    };
    let snap_up = |i: usize| {
        if bounds.is_empty() {
            return i;
        }
        bounds
            .get(bounds.partition_point(|&b| b < i))
            .copied()
            .unwrap_or(text.len())
    };
    let mut spans = Vec::new();
    let mut at = 0;
    for (i, m) in hay.match_indices(&needle) {
        let (start, end) = (snap_down(i).max(at), snap_up(i + m.len()));
        if start >= end {
            continue;
        }
        if start > at {
            spans.push(Span::styled(text[at..start].to_owned(), style));
        }
        spans.push(Span::styled(
            text[start..end].to_owned(),
            style.patch(ctx.theme.search_match()),
        ));
        at = end;
    }
    if at < text.len() {
        spans.push(Span::styled(text[at..].to_owned(), style));
    }
    spans
}

fn mark_line(line: Line<'static>, ctx: &RowContext<'_>) -> Line<'static> {
    if ctx.search.is_none() {
        return line;
    }
    Line::from(
        line.spans
            .into_iter()
            .flat_map(|s| marked(&s.content, s.style, ctx))
            .collect::<Vec<_>>(),
    )
}

/// Lays out `head` (first row, after the prefix) and `body` rows under the text column.
fn assemble(
    prefix: Vec<Span<'static>>,
    head: Line<'static>,
    body: Vec<Line<'static>>,
    extra: Option<Line<'static>>,
    ctx: &RowContext<'_>,
) -> Vec<Line<'static>> {
    let indent = ctx.prefix_width();
    let text_cols = ctx.width.saturating_sub(indent).max(8);
    let fit = |l: &Line<'static>| {
        if ctx.wrap {
            wrap::wrap(l, text_cols)
        } else {
            vec![wrap::cut_at(l, ctx.offset, text_cols).0]
        }
    };
    let mut rows = Vec::new();
    let mut head_rows = fit(&head).into_iter();
    let mut first = prefix;
    if let Some(h) = head_rows.next() {
        first.extend(h.spans);
    }
    rows.push(Line::from(first));
    let pad = " ".repeat(indent.saturating_sub(2));
    for cont in head_rows {
        let mut spans = vec![Span::raw(format!("{pad}  "))];
        spans.extend(cont.spans);
        rows.push(Line::from(spans));
    }
    for b in body.iter().chain(extra.iter()) {
        for piece in fit(b) {
            let mut spans = vec![
                Span::raw(pad.clone()),
                Span::styled("│ ", ctx.theme.muted()),
            ];
            spans.extend(piece.spans);
            rows.push(Line::from(spans));
        }
    }
    rows
}

/// The rows of one transcript line; `expanded` shows the whole body.
#[must_use]
pub fn rows(line: &TLine, ctx: &RowContext<'_>, expanded: bool) -> Vec<Line<'static>> {
    let t = ctx.theme;
    match &line.content {
        LineContent::Unreadable { problem, preview } => {
            // The label is the column's whole width: it starts a column early (the glyph
            // stands out) so that a space still parts it from the text.
            let prefix = vec![
                Span::raw(" ".repeat(ctx.time_width() + 3 + ctx.agent_width())),
                Span::styled(text::fit("⚠ unreadable", 13), t.error()),
            ];
            let head = Line::from(marked(
                &format!("{}: {}", line.place(), sanitize::one_line(problem)),
                t.error(),
                ctx,
            ));
            let body = vec![Line::from(marked(
                &sanitize::one_line(preview),
                t.muted(),
                ctx,
            ))];
            assemble(prefix, head, body, None, ctx)
        }
        LineContent::Entry(entry) => entry_rows(entry, ctx, expanded),
        LineContent::Session(entry) => session_rows(entry, ctx, expanded),
    }
}

/// The rows of an agent session's entry, laid out as an agentpair entry's: time, (no
/// iteration), actor, glyph and label, text; a tool result indented under its call.
fn session_rows(entry: &Entry, ctx: &RowContext<'_>, expanded: bool) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let s = summary::session::summarize(entry);
    let emphasis = t.emphasis(s.emphasis);
    let mut prefix = Vec::new();
    if ctx.time_width() > 0 {
        prefix.push(Span::styled(time_of(entry.time, ctx), t.muted()));
    }
    let side = if entry.sidechain { "⑂" } else { "" };
    prefix.push(Span::styled(text::fit(side, 4), t.muted()));
    // A call's or result's tool, named once: in the label when it fits there, else in full
    // at the head of the text (the label then says `call` or `result`).
    let tool = matches!(entry.kind, EntryKind::ToolCall | EntryKind::ToolResult)
        .then(|| entry.tool.as_deref().map(sanitize::one_line))
        .flatten()
        .filter(|name| !name.is_empty());
    let (label, tool_in_text) = match tool {
        Some(name) if text::width(&name) > TOOL_IN_LABEL => {
            let word = if entry.kind == EntryKind::ToolCall {
                "call"
            } else {
                "result"
            };
            (word.to_owned(), Some(name))
        }
        _ => (s.label.clone(), None),
    };
    if ctx.agent_width() > 0 {
        // The agent makes a call (or starts a sub-agent); a tool answers it.
        let actor = match entry.kind {
            EntryKind::ToolCall | EntryKind::Subagent => ctx.agent.unwrap_or_default().to_owned(),
            EntryKind::ToolResult => "tool".to_owned(),
            _ => sanitize::one_line(&entry.actor),
        };
        let width = ctx.agent_width();
        prefix.push(Span::styled(
            text::fit(&text::truncate(&actor, width - 1), width),
            t.agent(&actor),
        ));
    }
    let indent = if entry.kind == EntryKind::ToolResult {
        " "
    } else {
        ""
    };
    let label_style = match s.emphasis {
        Emphasis::Normal => Style::new(),
        other => t.emphasis(other),
    };
    let quiet = matches!(entry.kind, EntryKind::Thinking | EntryKind::Unknown(_));
    let label_style = if quiet { t.muted() } else { label_style };
    // A long label (a record's type) is cut short of the text.
    prefix.push(Span::styled(
        text::fit(
            &text::truncate(&format!("{indent}{} {label}", s.glyph), 11),
            12,
        ),
        label_style.add_modifier(Modifier::BOLD),
    ));
    // `run_shell_command: npm test`, the name bold as the label would be.
    let named = |head: Line<'static>| match &tool_in_text {
        Some(name) => {
            let gap = if head.width() == 0 { "" } else { ": " };
            let mut spans = vec![Span::styled(
                format!("{name}{gap}"),
                label_style.add_modifier(Modifier::BOLD),
            )];
            spans.extend(head.spans);
            Line::from(spans)
        }
        None => head,
    };
    let head_style = if quiet {
        t.muted().add_modifier(Modifier::ITALIC)
    } else {
        emphasis
    };
    let notes: Vec<Line<'static>> = summary::session::notes(entry)
        .into_iter()
        .map(|n| Line::from(Span::styled(n, t.muted().add_modifier(Modifier::ITALIC))))
        .collect();
    let Some(body_text) = &s.body else {
        let head = named(Line::from(Span::styled(s.headline.clone(), head_style)));
        return assemble(prefix, mark_line(head, ctx), notes, None, ctx);
    };
    let mut body = ansi::lines(body_text, emphasis, t);
    let head = if body.is_empty() {
        Line::default()
    } else {
        body.remove(0)
    };
    let head = mark_line(named(head), ctx);
    let (mut shown, more) = collapse(body, expanded, ctx);
    shown.extend(more);
    shown.extend(notes);
    assemble(prefix, head, shown, None, ctx)
}

/// An entry's body lines as shown: all when `expanded`, else the first [`COLLAPSED_BODY`]
/// (search matches marked), and the `… N more lines` note when some are hidden.
fn collapse(
    body: Vec<Line<'static>>,
    expanded: bool,
    ctx: &RowContext<'_>,
) -> (Vec<Line<'static>>, Option<Line<'static>>) {
    let hidden = if expanded {
        0
    } else {
        body.len().saturating_sub(COLLAPSED_BODY)
    };
    let shown: Vec<Line<'static>> = body
        .into_iter()
        .take(if expanded { usize::MAX } else { COLLAPSED_BODY })
        .map(|l| mark_line(l, ctx))
        .collect();
    let more = (hidden > 0).then(|| {
        Line::from(Span::styled(
            format!("… {hidden} more lines (Enter shows all)"),
            ctx.theme.muted().add_modifier(Modifier::ITALIC),
        ))
    });
    (shown, more)
}

fn entry_rows(entry: &TranscriptEntry, ctx: &RowContext<'_>, expanded: bool) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let s = summary::summarize(entry);
    let emphasis = t.emphasis(s.emphasis);
    let mut prefix = Vec::new();
    if ctx.time_width() > 0 {
        prefix.push(Span::styled(time_text(entry, ctx), t.muted()));
    }
    let iteration = if entry.iteration > 0 {
        format!("#{}", entry.iteration)
    } else {
        String::new()
    };
    prefix.push(Span::styled(text::fit(&iteration, 4), t.muted()));
    if ctx.agent_width() > 0 {
        let agent = sanitize::one_line(&entry.agent);
        prefix.push(Span::styled(
            text::fit(&agent, ctx.agent_width()),
            t.agent(&agent),
        ));
    }
    if entry.entry_type == EntryType::Iteration {
        let rule_width = ctx.width.saturating_sub(ctx.time_width() + 1);
        let label = format!("── iteration {} ", entry.iteration);
        let fill = "─".repeat(rule_width.saturating_sub(text::width(&label)));
        let mut spans = Vec::new();
        if ctx.time_width() > 0 {
            spans.push(Span::styled(time_text(entry, ctx), t.muted()));
        }
        spans.push(Span::styled(
            format!("{label}{fill}"),
            t.emphasis(Emphasis::Iteration),
        ));
        return vec![Line::from(spans)];
    }
    let label_style = match s.emphasis {
        Emphasis::Normal => Style::new(),
        other => t.emphasis(other),
    };
    prefix.push(Span::styled(
        text::fit(&format!("{} {}", s.glyph, s.label), 12),
        label_style.add_modifier(Modifier::BOLD),
    ));
    let Some(_) = &s.body else {
        let head = Line::from(marked(&s.headline, emphasis, ctx));
        return assemble(prefix, head, Vec::new(), None, ctx);
    };
    let mut body = ansi::lines(&entry.content, Style::new(), t);
    let mut head_spans = Vec::new();
    if entry.entry_type == EntryType::Result && entry.duration > 0 {
        head_spans.push(Span::styled(
            format!("({}) ", time::humanize_nanos(entry.duration)),
            t.muted(),
        ));
    }
    if !body.is_empty() {
        head_spans.extend(body.remove(0).spans);
    }
    let head = mark_line(Line::from(head_spans), ctx);
    let (shown, more) = collapse(body, expanded, ctx);
    assemble(prefix, head, shown, more, ctx)
}
