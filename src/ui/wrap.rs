//! Wrapping styled lines to a width (at spaces where possible), or cutting them with `…`.

use crate::present::text::width;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// Splits `line` into rows of at most `cols` columns, preferring to break after a space.
#[must_use]
pub fn wrap(line: &Line<'static>, cols: usize) -> Vec<Line<'static>> {
    let cols = cols.max(1);
    let mut rows: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0;
    for span in &line.spans {
        let mut piece = String::new();
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > cols {
                // Move the unfinished word down when the row has a space to break at.
                let (keep, carry) = split_at_last_space(&piece);
                if let Some(r) = rows.last_mut() {
                    if !keep.is_empty() || carry.is_empty() {
                        r.push(Span::styled(keep.to_owned(), span.style));
                        piece = carry.to_owned();
                    } else {
                        r.push(Span::styled(piece.clone(), span.style));
                        piece.clear();
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
    let total: usize = line.spans.iter().map(|s| width(&s.content)).sum();
    if total <= cols {
        return line.clone();
    }
    let mut out = Vec::new();
    let mut used = 0;
    let room = cols.saturating_sub(1);
    for span in &line.spans {
        let mut piece = String::new();
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > room {
                out.push(Span::styled(piece, span.style));
                out.push(Span::raw("…"));
                return Line::from(out);
            }
            used += w;
            piece.push(c);
        }
        out.push(Span::styled(piece, span.style));
    }
    Line::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line<'static>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn wraps_at_spaces_and_hard_breaks_long_words() {
        let line = Line::from("the quick brown fox jumps");
        assert_eq!(
            text(&wrap(&line, 10)),
            vec!["the quick ", "brown fox ", "jumps"]
        );
        assert_eq!(
            text(&wrap(&Line::from("abcdefghij"), 4)),
            vec!["abcd", "efgh", "ij"]
        );
        assert_eq!(text(&[cut(&line, 10)]), vec!["the quick…"]);
        assert_eq!(
            text(&wrap(&Line::from("日本語テキスト"), 5)),
            vec!["日本", "語テ", "キス", "ト"]
        );
    }
}
