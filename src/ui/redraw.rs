//! Rows the terminal may have drawn differently from ratatui's buffer, marked to be redrawn
//! whole.
//!
//! ratatui puts a grapheme cluster in one cell, advances by the cluster's width and leaves the
//! cells it covers blank. A terminal may instead lay the cluster's characters out in cells of
//! their own: tmux 3.3 draws `👍🏽` as the hand and a swatch (four columns), `🏳️‍🌈` in one
//! column, and `क्षि` as three separate cells. ratatui's next cursor move keeps the columns
//! after such a cluster in place, but the terminal's cells no longer match ratatui's idea of
//! them, so a later frame that rewrites only the cells that changed leaves stale glyphs, and a
//! cluster drawn wider at the right edge wraps into the row below. So a row that holds such a
//! cluster, in this frame or the last, is redrawn whole, with the row below it: every cell is
//! marked to be written, and the backend erases the row before writing it (see
//! `app::terminal::backend`). Rows of ordinary text cost nothing more.

use crate::present::text::width;
use ratatui::buffer::{Buffer, CellDiffOption};
use unicode_width::UnicodeWidthChar;

/// True for a cluster a terminal may lay out in cells other than ratatui's: more than one
/// character, and either two or more columns wide or as wide as its characters drawn apart
/// would not be.
#[must_use]
pub fn unsure(symbol: &str) -> bool {
    if symbol.len() < 2 || symbol.chars().nth(1).is_none() {
        return false;
    }
    let cluster = width(symbol);
    let apart: usize = symbol.chars().map(|c| c.width().unwrap_or(0)).sum();
    cluster >= 2 || apart != cluster
}

/// The rows of `buf` holding an [`unsure`] cluster.
#[must_use]
pub fn unsure_rows(buf: &Buffer) -> Vec<u16> {
    let area = buf.area;
    (area.top()..area.bottom())
        .filter(|&y| (area.left()..area.right()).any(|x| unsure(buf[(x, y)].symbol())))
        .collect()
}

/// Marks every cell of the rows to redraw whole: those holding an unsure cluster now or in the
/// last frame (`last`), and the row below each. Returns the rows holding one now (the next
/// frame's `last`).
pub fn mark(buf: &mut Buffer, last: &[u16]) -> Vec<u16> {
    let now = unsure_rows(buf);
    let area = buf.area;
    let mut rows: Vec<u16> = now
        .iter()
        .chain(last)
        .flat_map(|&y| [y, y.saturating_add(1)])
        .filter(|&y| y >= area.top() && y < area.bottom())
        .collect();
    rows.sort_unstable();
    rows.dedup();
    for y in rows {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            if cell.diff_option == CellDiffOption::None {
                cell.diff_option = CellDiffOption::AlwaysUpdate;
            }
        }
    }
    now
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn clusters_a_terminal_may_lay_out_otherwise_are_unsure() {
        for sure in [
            "a",
            "日",
            "😀",
            "e\u{301}",
            "1\u{20e3}",
            "م\u{200c}",
            "a\u{200d}",
            "⚠",
        ] {
            assert!(!unsure(sure), "{sure:?}");
        }
        for doubtful in [
            "👍🏽",
            "👨\u{200d}👩\u{200d}👧",
            "🏳\u{fe0f}\u{200d}🌈",
            "🇺🇸",
            "क्षि",
            "⚠\u{fe0f}",
        ] {
            assert!(unsure(doubtful), "{doubtful:?}");
        }
    }

    #[test]
    fn rows_with_unsure_clusters_now_or_last_time_are_redrawn_with_the_row_below() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 6));
        buf.set_string(0, 1, "a👍🏽b", Style::new());
        buf.set_string(0, 5, "🇺🇸", Style::new());
        let now = mark(&mut buf, &[3]);
        assert_eq!(now, vec![1, 5]);
        let marked: Vec<u16> = (0..6)
            .filter(|&y| buf[(0, y)].diff_option == CellDiffOption::AlwaysUpdate)
            .collect();
        assert_eq!(marked, vec![1, 2, 3, 4, 5]);
        assert!((0..6).all(|x| buf[(x, 2)].diff_option == CellDiffOption::AlwaysUpdate));
    }
}
