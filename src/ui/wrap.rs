//! Wrapping styled lines to a width (at spaces where possible), or cutting them to a window of
//! columns with `…` marking the text that is out of view. Neither ever drops a character: every
//! character of a wrapped line is on some row, and every character of a cut line is in view at
//! some sideways offset.

use crate::present::text::width;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// The marker for text out of view.
const MORE: &str = "…";

/// Splits `line` into rows of at most `cols` columns, preferring to break after a space. A
/// character wider than `cols` gets a row of its own.
#[must_use]
pub fn wrap(line: &Line<'static>, cols: usize) -> Vec<Line<'static>> {
    let cols = cols.max(1);
    let mut rows: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0;
    for span in &line.spans {
        let mut piece = String::new();
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            // The word carried down may itself leave no room for `c`: break again.
            while used > 0 && used + w > cols {
                // Move the unfinished word down when the row has a space to break at.
                let (keep, carry) = split_at_last_space(&piece);
                if let Some(r) = rows.last_mut() {
                    if !keep.is_empty() || carry.is_empty() {
                        r.push(Span::styled(keep.to_owned(), span.style));
                        piece = carry.to_owned();
                    } else {
                        r.push(Span::styled(std::mem::take(&mut piece), span.style));
                    }
                }
                rows.push(Vec::new());
                used = width(&piece);
            }
            piece.push(c);
            used += w;
        }
        if let Some(r) = rows.last_mut() {
            r.push(Span::styled(piece, span.style));
        }
    }
    rows.into_iter().map(Line::from).collect()
}

/// Splits after the last space when the text before it is not empty.
fn split_at_last_space(s: &str) -> (&str, &str) {
    match s.rfind(' ') {
        Some(i) if i > 0 => (&s[..=i], &s[i + 1..]),
        _ => ("", s),
    }
}

/// Cuts `line` to `cols` columns, ending in `…` when cut.
#[must_use]
pub fn cut(line: &Line<'static>, cols: usize) -> Line<'static> {
    cut_at(line, 0, cols).0
}

/// The part of `line` seen through a window `cols` wide that starts `offset` columns in (a line
/// scrolled sideways). A leading `…` says text is hidden to the left, a trailing `…` that text
/// is hidden to the right; the window starts at the first character that begins at or after
/// `offset`, so a character is always shown whole. Returns the row and the column just after
/// the last character shown: a window opened there continues without a gap.
#[must_use]
pub fn cut_at(line: &Line<'static>, offset: usize, cols: usize) -> (Line<'static>, usize) {
    let total: usize = line.spans.iter().map(|s| width(&s.content)).sum();
    if offset == 0 && total <= cols {
        return (line.clone(), total);
    }
    if cols == 0 {
        return (Line::default(), offset);
    }
    let mut out = Vec::new();
    let mut room = cols;
    if offset > 0 {
        out.push(Span::raw(MORE));
        room -= 1;
    }
    let mut at = 0; // the column the next character starts at
    let mut used = 0; // columns of text shown
    let mut end = offset.min(total);
    for span in &line.spans {
        let mut piece = String::new();
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            let start = at;
            at += w;
            // Left of the window, or a zero-width mark that belongs to a character left of it.
            if start < offset || (offset > 0 && used == 0 && w == 0) {
                continue;
            }
            // Keep a column for the trailing `…` unless this is the end of the line.
            let limit = if at < total { room - room.min(1) } else { room };
            if used + w > limit {
                if !piece.is_empty() {
                    out.push(Span::styled(piece, span.style));
                }
                out.push(Span::raw(MORE));
                return (Line::from(out), end);
            }
            used += w;
            end = at;
            piece.push(c);
        }
        if !piece.is_empty() {
            out.push(Span::styled(piece, span.style));
        }
    }
    (Line::from(out), end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::style::{Color, Style};

    fn text(line: &Line<'static>) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    fn texts(lines: &[Line<'static>]) -> Vec<String> {
        lines.iter().map(text).collect()
    }

    /// The text a window shows, without its `…` markers.
    fn content(line: &Line<'static>) -> String {
        line.spans
            .iter()
            .filter(|s| s.content != MORE)
            .map(|s| s.content.as_ref())
            .collect()
    }

    /// Every window from the left edge on, each opened where the last one ended.
    fn windows(line: &Line<'static>, cols: usize) -> Vec<(Line<'static>, usize)> {
        let total = width(&text(line));
        let mut out = Vec::new();
        let mut offset = 0;
        loop {
            let (row, end) = cut_at(line, offset, cols);
            out.push((row, end));
            if end >= total || end == offset && offset > 0 {
                return out;
            }
            offset = end;
        }
    }

    /// A line of two spans in different styles, split at char `at`.
    fn styled(s: &str, at: usize) -> Line<'static> {
        let split = s.char_indices().nth(at).map_or(s.len(), |(i, _)| i);
        Line::from(vec![
            Span::styled(s[..split].to_owned(), Style::new().fg(Color::Red)),
            Span::raw(s[split..].to_owned()),
        ])
    }

    #[test]
    fn wraps_at_spaces_and_hard_breaks_long_words() {
        let line = Line::from("the quick brown fox jumps");
        assert_eq!(
            texts(&wrap(&line, 10)),
            vec!["the quick ", "brown fox ", "jumps"]
        );
        assert_eq!(
            texts(&wrap(&Line::from("abcdefghij"), 4)),
            vec!["abcd", "efgh", "ij"]
        );
        assert_eq!(text(&cut(&line, 10)), "the quick…");
        assert_eq!(
            texts(&wrap(&Line::from("日本語テキスト"), 5)),
            vec!["日本", "語テ", "キス", "ト"]
        );
        // A word carried down that still leaves no room is broken again.
        assert_eq!(
            texts(&wrap(&Line::from("a 本-日"), 4)),
            vec!["a ", "本-", "日"]
        );
        // A character wider than the row gets a row of its own, not an empty row before it.
        assert_eq!(texts(&wrap(&Line::from("日本"), 1)), vec!["日", "本"]);
    }

    #[test]
    fn one_column_too_wide_loses_nothing() {
        // The cases seen in the demo: the last character of a line one column too wide.
        let line = Line::from("a/src/server.ts b/src/server.ts");
        let cols = width(&text(&line)) - 1;
        assert_eq!(
            texts(&wrap(&line, cols)),
            vec!["a/src/server.ts ", "b/src/server.ts"]
        );
        assert_eq!(
            texts(&wrap(&Line::from("clear red done"), 13)),
            vec!["clear red ", "done"]
        );
        assert_eq!(
            text(&cut(&Line::from("clear red done"), 13)),
            "clear red do…"
        );
    }

    #[test]
    fn windows_scroll_sideways() {
        let line = styled("0123456789abcdef", 4);
        assert_eq!(text(&cut_at(&line, 0, 8).0), "0123456…");
        assert_eq!(cut_at(&line, 0, 8).1, 7);
        assert_eq!(text(&cut_at(&line, 7, 8).0), "…789abc…");
        assert_eq!(text(&cut_at(&line, 12, 8).0), "…cdef");
        assert_eq!(text(&cut_at(&line, 16, 8).0), "…");
        assert_eq!(text(&cut_at(&line, 40, 8).0), "…");
        assert_eq!(text(&cut_at(&line, 3, 0).0), "");
        // The styles of the text shown are kept.
        assert_eq!(cut_at(&line, 2, 8).0.spans[1].content, "23");
        assert_eq!(cut_at(&line, 2, 8).0.spans[1].style.fg, Some(Color::Red));
        // A wide character that straddles the offset is not half shown: the window starts after it.
        let wide = Line::from("ab日本語");
        assert_eq!(text(&cut_at(&wide, 3, 6).0), "…本語");
        assert_eq!(text(&cut_at(&wide, 2, 4).0), "…日…");
    }

    fn any_text() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[a-z A-Z0-9/.日本語テキスト🦀😀é\u{301}-]{0,80}")
            .expect("a valid pattern")
    }

    /// Text at least 5 columns wide (a window shows a wide character between two `…` only
    /// when it is 4 columns wide).
    fn wide_enough_text() -> impl Strategy<Value = String> {
        let start = proptest::string::string_regex("[a-z A-Z0-9/.日本語テキスト🦀😀é-]{5,12}")
            .expect("a valid pattern");
        (start, any_text()).prop_map(|(a, b)| a + &b)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn wrapping_keeps_every_character(s in any_text(), cols in 2usize..40, at in 0usize..80) {
            let line = styled(&s, at);
            let rows = wrap(&line, cols);
            prop_assert_eq!(rows.iter().map(text).collect::<String>(), s.clone());
            for row in &rows {
                prop_assert!(width(&text(row)) <= cols, "{:?} wider than {}", text(row), cols);
            }
        }

        #[test]
        fn a_line_one_column_too_wide_round_trips(s in wide_enough_text(), at in 0usize..80) {
            let cols = width(&s) - 1;
            let line = styled(&s, at);
            let rows = wrap(&line, cols);
            prop_assert!(rows.len() >= 2);
            prop_assert_eq!(rows.iter().map(text).collect::<String>(), s.clone());
            let cut_row = cut(&line, cols);
            prop_assert!(text(&cut_row).ends_with(MORE));
            prop_assert!(width(&text(&cut_row)) <= cols);
            let shown: String = windows(&line, cols).iter().map(|(r, _)| content(r)).collect();
            prop_assert_eq!(shown, s);
        }

        #[test]
        fn scrolling_sideways_shows_every_character(s in any_text(), cols in 4usize..40, at in 0usize..80) {
            let line = styled(&s, at);
            let all = windows(&line, cols);
            for (row, _) in &all {
                prop_assert!(width(&text(row)) <= cols, "{:?} wider than {}", text(row), cols);
            }
            let shown: String = all.iter().map(|(r, _)| content(r)).collect();
            prop_assert_eq!(shown, s);
        }
    }
}
