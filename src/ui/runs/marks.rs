//! Marking what the Runs filter matched: a text fitted to its column (as `text::fit` fits it)
//! with the matched byte ranges in the mark style, and ranges of a full path moved onto its
//! shortened form (`~/src/api`, `…/src/api`).

use crate::present::text;
use ratatui::style::Style;
use ratatui::text::Span;
use std::ops::Range;

/// `s` fitted to `cols` columns (cut with `…`, or padded), in `style`, with `marks` (byte ranges
/// of `s`) in `style` patched with `mark`. What the cut hides is not marked.
pub fn fit_marked(
    s: &str,
    marks: &[Range<usize>],
    cols: usize,
    style: Style,
    mark: Style,
) -> Vec<Span<'static>> {
    marked_in(text::fit(s, cols), s, marks, style, mark)
}

/// `fitted`, a form of `s` cut or padded (by [`text::fit`], or by [`text::cell`] in a column
/// another follows), with `marks` of `s` in the mark style.
pub fn marked_in(
    fitted: String,
    s: &str,
    marks: &[Range<usize>],
    style: Style,
    mark: Style,
) -> Vec<Span<'static>> {
    if marks.is_empty() {
        return vec![Span::styled(fitted, style)];
    }
    // The fitted text starts with as much of `s` as was kept.
    let kept = s
        .char_indices()
        .zip(fitted.chars())
        .take_while(|((_, a), b)| a == b)
        .last()
        .map_or(0, |((i, c), _)| i + c.len_utf8());
    let mut spans = Vec::new();
    let mut at = 0;
    for r in marks {
        let (start, end) = (r.start.min(kept), r.end.min(kept));
        if start >= end || start < at {
            continue;
        }
        if start > at {
            spans.push(Span::styled(fitted[at..start].to_owned(), style));
        }
        spans.push(Span::styled(
            fitted[start..end].to_owned(),
            style.patch(mark),
        ));
        at = end;
    }
    spans.push(Span::styled(fitted[at..].to_owned(), style));
    spans
}

/// `marks` in `full` moved onto `shown`, a form of it that ends the same way (a shortened
/// path). Marks in the part that was left out are dropped, or cut to what is shown.
pub fn onto_suffix(full: &str, shown: &str, marks: &[Range<usize>]) -> Vec<Range<usize>> {
    let common = full
        .char_indices()
        .rev()
        .zip(shown.chars().rev())
        .take_while(|((_, a), b)| a == b)
        .last()
        .map_or(full.len(), |((i, _), _)| i);
    // Where the common ending starts in `shown`.
    let Some(shift) = shown.len().checked_sub(full.len() - common) else {
        return Vec::new();
    };
    marks
        .iter()
        .filter(|r| r.end > common)
        .map(|r| (r.start.max(common) - common + shift)..(r.end - common + shift))
        .collect()
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    fn texts(spans: &[Span<'static>]) -> Vec<(String, bool)> {
        spans
            .iter()
            .map(|s| {
                (
                    s.content.to_string(),
                    s.style.add_modifier.contains(Modifier::BOLD),
                )
            })
            .collect()
    }

    #[test]
    fn marks_what_is_kept_and_pads_like_fit() {
        let mark = Style::new().add_modifier(Modifier::BOLD);
        let spans = fit_marked("api #4", &[4..6], 8, Style::new(), mark);
        assert_eq!(
            texts(&spans),
            [
                ("api ".into(), false),
                ("#4".into(), true),
                ("  ".into(), false)
            ]
        );
        // Cut: the mark stops at the cut, the `…` is not marked.
        let spans = fit_marked("fix the limiter now", &[8..15], 12, Style::new(), mark);
        assert_eq!(
            texts(&spans),
            [
                ("fix the ".into(), false),
                ("lim".into(), true),
                ("…".into(), false)
            ]
        );
        assert_eq!(
            texts(&fit_marked("abc", &[], 4, Style::new(), mark)),
            [("abc ".into(), false)]
        );
        // In a cell, a text as wide as the column is cut one short, keeping the gap.
        let s = "api #45";
        assert_eq!(
            texts(&marked_in(text::cell(s, 7), s, &[4..7], Style::new(), mark)),
            [
                ("api ".into(), false),
                ("#".into(), true),
                ("… ".into(), false)
            ]
        );
    }

    #[test]
    fn moves_marks_onto_a_shortened_path() {
        let full = "/home/dev/src/api";
        assert_eq!(onto_suffix(full, "~/src/api", &[14..17]), vec![6..9]);
        assert_eq!(onto_suffix(full, "…/src/api", &[1..5, 10..17]), vec![4..11]);
        assert_eq!(onto_suffix(full, full, &[1..5]), vec![1..5]);
        assert_eq!(
            onto_suffix(full, "other", &[1..5]),
            Vec::<Range<usize>>::new()
        );
    }
}
