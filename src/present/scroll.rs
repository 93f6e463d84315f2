//! Scrolling a window over a list: which items are in view.

/// The first of `len` items to show so that `selected` is among the `shown` in view, starting
/// from `hint` (the previous first) when that still works: a list, or the board's columns,
/// scroll only as far as needed.
#[must_use]
pub fn window_start(hint: usize, selected: usize, shown: usize, len: usize) -> usize {
    let mut start = hint.min(len.saturating_sub(shown.max(1)));
    if selected < start {
        start = selected;
    } else if shown > 0 && selected >= start + shown {
        start = selected + 1 - shown;
    }
    start
}
