//! Where the board's parts are, as pure functions of the model and the pane's rectangle: the
//! drawing and [`crate::ui::hit`] both use them, so a click lands where the eye sees.
//!
//! Columns never get narrower than a card needs (its bead id and badges) nor than
//! [`MIN_COLUMN_WIDTH`]. When not all fit, as many as fit show at once, side by side, the
//! focused one always among them, and a row above them says what is hidden: `◂ 2 more` at the
//! left, `3 more ▸` at the right (`h`/`l` or a click there move on).

use super::cards::{CARD_BADGES, Look, bead_lines, card_lines};
use crate::app::model::{Column, Model};
use crate::present::attention::agent::agent_flag;
use crate::ui::Theme;
use chrono::{DateTime, Utc};
use ratatui::layout::Rect;
use ratatui::text::Line;

/// The narrowest a column gets: its `▎`, 16 columns of card, and a space before the next.
pub const MIN_COLUMN_WIDTH: u16 = 18;

/// What a column draws around its cards: the `▎` gutter and the gap to the next column.
const COLUMN_CHROME: u16 = 2;

/// The column width the cards ask for: the widest id row plus the column's chrome, at least
/// [`MIN_COLUMN_WIDTH`].
#[must_use]
pub fn column_width(model: &Model) -> u16 {
    let (cards, ready) = model.board.widest();
    let widest = (cards + CARD_BADGES).max(ready);
    u16::try_from(widest)
        .unwrap_or(u16::MAX)
        .saturating_add(COLUMN_CHROME)
        .max(MIN_COLUMN_WIDTH)
}

/// How many of `count` columns show at once in `width` columns when each needs `need`.
#[must_use]
pub fn fitting(count: usize, width: u16, need: u16) -> usize {
    usize::from(width / need.max(1)).clamp(1, count.max(1))
}

/// The columns in view and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// How many columns the board has.
    pub count: usize,
    /// The first one in view.
    pub first: usize,
    /// Each column in view: its index and its rectangle (header, rule and cards).
    pub shown: Vec<(usize, Rect)>,
    /// The row that says what is hidden left and right, when something is.
    pub strip: Option<Rect>,
}

impl Grid {
    /// Columns hidden to the left and to the right.
    #[must_use]
    pub fn hidden(&self) -> (usize, usize) {
        (self.first, self.count - self.first - self.shown.len())
    }
}

/// Lays the board's columns out in `area` (the pane inside its border and banners).
#[must_use]
pub fn grid(model: &Model, area: Rect) -> Grid {
    let count = model.board.columns().len();
    if count == 0 || area.width == 0 {
        return Grid {
            count,
            first: 0,
            shown: Vec::new(),
            strip: None,
        };
    }
    let n = fitting(count, area.width, column_width(model));
    let first = crate::present::scroll::window_start(
        model.board.first_column,
        model.board.column,
        n,
        count,
    );
    let (strip, body) = if n < count && area.height > 3 {
        (
            Some(Rect { height: 1, ..area }),
            Rect {
                y: area.y + 1,
                height: area.height - 1,
                ..area
            },
        )
    } else {
        (None, area)
    };
    let n16 = u16::try_from(n).unwrap_or(1);
    let each = body.width / n16;
    let shown = (0..n)
        .map(|i| {
            let i16 = u16::try_from(i).unwrap_or(0);
            let x = body.x + each * i16;
            let width = if i + 1 == n {
                body.width - each * (n16 - 1)
            } else {
                each
            };
            (first + i, Rect { x, width, ..body })
        })
        .collect();
    Grid {
        count,
        first,
        shown,
        strip,
    }
}

/// The cards of one column in view: which ones and at which rows.
#[derive(Debug, Clone, Default)]
pub struct Stack {
    /// Cards above the first one shown.
    pub above: usize,
    /// Each card shown: its row in the column, the screen row it starts at, and its lines.
    pub cards: Vec<(usize, u16, Vec<Line<'static>>)>,
    /// Cards below the last one shown (then the last row says so).
    pub below: usize,
}

/// Width of the text of a card in a column `width` wide.
#[must_use]
pub fn card_width(width: u16) -> usize {
    usize::from(width.saturating_sub(COLUMN_CHROME))
}

/// Stacks `column`'s cards in `area` (below its header and rule), scrolled so that the
/// `selected` card is in view.
#[must_use]
pub fn stack(
    model: &Model,
    theme: &Theme,
    column: &Column<'_>,
    area: Rect,
    selected: Option<usize>,
    now: DateTime<Utc>,
) -> Stack {
    let board = &model.board;
    let width = card_width(area.width);
    let top = area.y + 2;
    let bottom = area.y + area.height;
    if area.height <= 2 || width == 0 {
        return Stack {
            below: column.ids.len(),
            ..Stack::default()
        };
    }
    let height = usize::from(bottom - top);
    let merged = board.is_merged();
    let lines_of = |i: usize| {
        let Some(key) = column.ids.get(i) else {
            return Vec::new();
        };
        if column.ready {
            return board
                .ready_bead(&key.bead)
                .map_or_else(Vec::new, |b| bead_lines(b, width, now, theme));
        }
        if let Some(card) = board.remote_card(key) {
            let pending = model.remote_write(key).map(|w| w.describe());
            let acknowledged = model
                .observer
                .standing(&key.item())
                .is_some_and(|s| s.acknowledged);
            return super::remote::remote_card_lines(
                card,
                width,
                theme,
                pending.as_deref(),
                acknowledged,
            );
        }
        board.card(key).map_or_else(Vec::new, |c| {
            let attention = model.observer.bead_condition(&key.session, &c.bead_id, now);
            let flag = model
                .observer
                .agent_facts(&key.session, &c.bead_id)
                .filter(|_| c.status == crate::persist::assignment::AssignmentStatus::Working)
                .and_then(|f| agent_flag(f, now, &model.settings.thresholds()));
            let look = Look {
                session: &key.session,
                show_session: merged,
                // Each card by its own session's rules (the all-sessions board mixes them).
                v9: model.is_v9(&key.session),
                attention: attention.as_ref().map(|(c, a)| (c, *a)),
                agent: model.binder.card(&key.session, &c.bead_id),
                flag,
            };
            card_lines(c, &look, width, now, theme)
        })
    };
    // Only the cards in view are laid out: walk back from the selection while it fits.
    let mut start = 0;
    if let Some(selected) = selected.map(|s| s.min(column.ids.len().saturating_sub(1))) {
        start = selected;
        let mut used = lines_of(start).len() + 1;
        while start > 0 {
            let above = lines_of(start - 1).len() + 1;
            if used + above > height {
                break;
            }
            used += above;
            start -= 1;
        }
    }
    let mut out = Stack {
        above: start,
        ..Stack::default()
    };
    let mut y = top;
    for i in start..column.ids.len() {
        let mut card = lines_of(i);
        let room = usize::from(bottom - y);
        // The last row says how many are below, unless every remaining card fits.
        let last = i + 1 == column.ids.len();
        let fits = card.len() <= room && (last || card.len() < room);
        if !fits {
            if i == start {
                // A card taller than the column: as much of it as fits, above the count.
                card.truncate(room.saturating_sub(usize::from(!last)).max(1));
                out.cards.push((i, y, card));
                out.below = column.ids.len() - i - 1;
            } else {
                out.below = column.ids.len() - i;
            }
            break;
        }
        let rows = u16::try_from(card.len()).unwrap_or(u16::MAX);
        out.cards.push((i, y, card));
        y = y.saturating_add(rows + 1);
        if y >= bottom {
            out.below = column.ids.len() - i - 1;
            break;
        }
    }
    out
}
