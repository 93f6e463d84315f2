//! Wrapping styled lines to a width (at spaces where possible), or cutting them to a window of
//! columns with `…` marking the text that is out of view. Neither ever drops a character nor
//! splits a grapheme cluster: every cluster of a wrapped line is on some row, and every cluster
//! of a cut line is in view at some sideways offset. Widths are ratatui's, cluster by cluster
//! and span by span (see `present::text`), so a row never takes more cells than we planned.

use crate::present::text::{graphemes, width};
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;

/// The marker for text out of view.
const MORE: &str = "…";

/// Columns `line` takes when ratatui draws it (each span measured on its own, as ratatui draws
/// them).
#[must_use]
pub fn line_width(line: &Line<'_>) -> usize {
    line.spans.iter().map(|s| width(&s.content)).sum()
}

/// Splits `line` into rows of at most `cols` columns, preferring to break after a space. A
/// grapheme cluster wider than `cols` gets a row of its own.
#[must_use]
pub fn wrap(line: &Line<'static>, cols: usize) -> Vec<Line<'static>> {
    let cols = cols.max(1);
    let mut rows: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0;
    for span in &line.spans {
        let mut piece = String::new();
        for (g, w) in graphemes(&span.content) {
            // The word carried down may itself leave no room for `g`: break again.
            while used > 0 && used + w > cols {
                // Move the unfinished word down when the row has a space to break at.
                let (keep, carry) = split_at_last_space(&piece);
                if let Some(r) = rows.last_mut() {
                    // A word that began this span after a space in the span before (a search
                    // match is a span of its own) moves down whole when it fits a row.
                    let after_space = r.last().is_some_and(|s| s.content.ends_with(' '));
                    if !keep.is_empty() || carry.is_empty() {
                        r.push(Span::styled(keep.to_owned(), span.style));
                        piece = carry.to_owned();
                    } else if after_space && width(&piece) + w <= cols {
                        // Nothing more on this row: the word starts the next one.
                    } else {
                        r.push(Span::styled(std::mem::take(&mut piece), span.style));
                    }
                }
                rows.push(Vec::new());
                used = width(&piece);
            }
            piece.push_str(g);
            used += w;
        }
        if let Some(r) = rows.last_mut() {
            r.push(Span::styled(piece, span.style));
        }
    }
    rows.into_iter().map(Line::from).collect()
}

/// Splits after the last space (a cluster of its own: a space a mark or joiner follows is
/// part of that cluster) when the text before it is not empty.
fn split_at_last_space(s: &str) -> (&str, &str) {
    match s.grapheme_indices(true).rev().find(|&(_, g)| g == " ") {
        Some((i, _)) if i > 0 => (&s[..=i], &s[i + 1..]),
        _ => ("", s),
    }
}

/// Cuts `line` to `cols` columns, ending in `…` (in the last column) when cut.
#[must_use]
pub fn cut(line: &Line<'static>, cols: usize) -> Line<'static> {
    cut_at(line, 0, cols).0
}

/// The part of `line` seen through a window `cols` wide that starts `offset` columns in (a line
/// scrolled sideways). A leading `…` says text is hidden to the left, a trailing `…` that text
/// is hidden to the right; the window starts at the first grapheme cluster that begins at or
/// after `offset`, so a cluster is always shown whole. A cut row is exactly `cols` wide: when a
/// wide cluster does not fit before the trailing `…`, a space takes its place, so the `…` is
/// always in the last column. Returns the row and the column just after the last cluster
/// shown: a window opened there continues without a gap.
#[must_use]
pub fn cut_at(line: &Line<'static>, offset: usize, cols: usize) -> (Line<'static>, usize) {
    let total = line_width(line);
    if offset == 0 && total <= cols {
        return (line.clone(), total);
    }
    if cols == 0 {
        return (Line::default(), offset);
    }
    if offset > 0 && cols == 1 {
        // Room for the leading `…` only.
        return (Line::from(MORE), offset);
    }
    let mut out = Vec::new();
    let mut room = cols;
    if offset > 0 {
        out.push(Span::raw(MORE));
        room -= 1;
    }
    let mut at = 0; // the column the next cluster starts at
    let mut used = 0; // columns of text shown
    let mut end = offset.min(total);
    for span in &line.spans {
        let mut piece = String::new();
        for (g, w) in graphemes(&span.content) {
            let start = at;
            at += w;
            // Left of the window, or a zero-width cluster that belongs left of it.
            if start < offset || (offset > 0 && used == 0 && w == 0) {
                continue;
            }
            // Keep a column for the trailing `…` unless this is the end of the line.
            let limit = if at < total { room - 1 } else { room };
            if used + w > limit {
                if !piece.is_empty() {
                    out.push(Span::styled(piece, span.style));
                }
                let gap = room.saturating_sub(used + 1);
                out.push(Span::raw(format!("{}{MORE}", " ".repeat(gap))));
                return (Line::from(out), end);
            }
            used += w;
            end = at;
            piece.push_str(g);
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
            .filter(|s| s.content.trim_start_matches(' ') != MORE)
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
    fn a_word_in_a_span_of_its_own_moves_down_whole() {
        // `limiter` marked as a search match: its own span, after a space in the one before.
        let line = Line::from(vec![
            Span::raw("a sliding-window "),
            Span::styled("limiter", Style::new().fg(Color::Red)),
            Span::raw(" in src"),
        ]);
        assert_eq!(
            texts(&wrap(&line, 20)),
            vec!["a sliding-window ", "limiter in src"]
        );
        // Longer than a row: broken, as any word is.
        assert_eq!(
            texts(&wrap(
                &Line::from(vec![Span::raw("ab "), Span::raw("cdefgh")]),
                4
            )),
            vec!["ab ", "cdef", "gh"]
        );
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
        // A wide character that does not fit before the `…` leaves a space: the `…` is always
        // in the last column.
        assert_eq!(text(&cut(&Line::from("a日本語"), 4)), "a日…");
        assert_eq!(text(&cut(&Line::from("ab日本語"), 4)), "ab …");
        assert_eq!(text(&cut_at(&wide, 1, 5).0), "…b日…");
        assert_eq!(text(&cut_at(&wide, 1, 1).0), "…");
    }

    #[test]
    fn grapheme_clusters_are_never_split() {
        let family = "👨\u{200d}👩\u{200d}👧";
        let line = Line::from(format!("{family}{family}{family}"));
        assert_eq!(texts(&wrap(&line, 3)), vec![family, family, family]);
        assert_eq!(texts(&wrap(&line, 1)), vec![family, family, family]);
        assert_eq!(text(&cut(&line, 5)), format!("{family}{family}…"));
        assert_eq!(text(&cut(&line, 4)), format!("{family} …"));
        // `⚠` with U+FE0F is two columns for ratatui; the cut counts it so.
        let warn = Line::from("⚠\u{fe0f}⚠\u{fe0f}⚠\u{fe0f}");
        assert_eq!(text(&cut(&warn, 4)), "⚠\u{fe0f} …");
        let marks = Line::from("e\u{301}e\u{301}e\u{301}e\u{301}");
        assert_eq!(texts(&wrap(&marks, 2)), vec!["e\u{301}e\u{301}"; 2]);
        assert_eq!(text(&cut_at(&marks, 1, 3).0), "…e\u{301}…");
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
                prop_assert!(line_width(row) <= cols, "{:?} wider than {}", text(row), cols);
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
            prop_assert_eq!(line_width(&cut_row), cols);
            let shown: String = windows(&line, cols).iter().map(|(r, _)| content(r)).collect();
            prop_assert_eq!(shown, s);
        }

        #[test]
        fn scrolling_sideways_shows_every_character(s in any_text(), cols in 4usize..40, at in 0usize..80) {
            let line = styled(&s, at);
            let all = windows(&line, cols);
            for (row, _) in &all {
                prop_assert!(line_width(row) <= cols, "{:?} wider than {}", text(row), cols);
            }
            let shown: String = all.iter().map(|(r, _)| content(r)).collect();
            prop_assert_eq!(shown, s);
        }
    }
}
