//! Agent text to styled spans: sanitised pieces (see `present::sanitize`) with SGR colour
//! codes turned into ratatui styles. Without colour, only bold/italic/underline/reverse remain.

use super::Theme;
use crate::present::sanitize::{Piece, pieces};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

fn basic(n: u16) -> Color {
    match n % 8 {
        0 => Color::Black,
        1 => Color::Red,
        2 => Color::Green,
        3 => Color::Yellow,
        4 => Color::Blue,
        5 => Color::Magenta,
        6 => Color::Cyan,
        _ => Color::Gray,
    }
}

fn bright(n: u16) -> Color {
    match n % 8 {
        0 => Color::DarkGray,
        1 => Color::LightRed,
        2 => Color::LightGreen,
        3 => Color::LightYellow,
        4 => Color::LightBlue,
        5 => Color::LightMagenta,
        6 => Color::LightCyan,
        _ => Color::White,
    }
}

/// Applies SGR parameters to `style`.
#[must_use]
pub fn apply_sgr(mut style: Style, params: &[u16], color: bool) -> Style {
    let mut i = 0;
    while i < params.len() {
        let p = params[i];
        style = match p {
            0 => Style::new(),
            1 => style.add_modifier(Modifier::BOLD),
            2 => style.add_modifier(Modifier::DIM),
            3 => style.add_modifier(Modifier::ITALIC),
            4 => style.add_modifier(Modifier::UNDERLINED),
            7 => style.add_modifier(Modifier::REVERSED),
            22 => style.remove_modifier(Modifier::BOLD | Modifier::DIM),
            23 => style.remove_modifier(Modifier::ITALIC),
            24 => style.remove_modifier(Modifier::UNDERLINED),
            27 => style.remove_modifier(Modifier::REVERSED),
            30..=37 if color => style.fg(basic(p - 30)),
            40..=47 if color => style.bg(basic(p - 40)),
            90..=97 if color => style.fg(bright(p - 90)),
            100..=107 if color => style.bg(bright(p - 100)),
            39 => style.fg(Color::Reset),
            49 => style.bg(Color::Reset),
            38 | 48 => {
                let (c, used) = extended(&params[i + 1..]);
                i += used;
                match (c, color, p) {
                    (Some(c), true, 38) => style.fg(c),
                    (Some(c), true, _) => style.bg(c),
                    _ => style,
                }
            }
            _ => style,
        };
        i += 1;
    }
    style
}

fn extended(rest: &[u16]) -> (Option<Color>, usize) {
    match rest {
        [5, n, ..] => (u8::try_from(*n).ok().map(Color::Indexed), 2),
        [2, r, g, b, ..] => (
            match (u8::try_from(*r), u8::try_from(*g), u8::try_from(*b)) {
                (Ok(r), Ok(g), Ok(b)) => Some(Color::Rgb(r, g, b)),
                _ => None,
            },
            4,
        ),
        _ => (None, rest.len()),
    }
}

/// Agent text as lines of styled spans (each `base` style underneath).
#[must_use]
pub fn lines(text: &str, base: Style, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![Line::default()];
    let mut sgr = Style::new();
    for piece in pieces(text) {
        match piece {
            Piece::Text(t) => {
                if let Some(line) = out.last_mut() {
                    line.spans.push(Span::styled(t, base.patch(sgr)));
                }
            }
            Piece::Style(params) => sgr = apply_sgr(sgr, &params, theme.color),
            Piece::Newline => out.push(Line::default()),
        }
    }
    while out.len() > 1
        && out
            .last()
            .is_some_and(|l| l.spans.iter().all(|s| s.content.trim().is_empty()))
    {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_and_no_colour() {
        let t = Theme::default();
        let l = lines("a \u{1b}[31mred\u{1b}[0m b", Style::new(), &t);
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].spans[1].style.fg, Some(Color::Red));
        let plain = Theme {
            color: false,
            ..Theme::default()
        };
        let l = lines("\u{1b}[1;31mred", Style::new(), &plain);
        assert_eq!(l[0].spans[0].style.fg, None);
        assert!(l[0].spans[0].style.add_modifier.contains(Modifier::BOLD));
        assert_eq!(
            apply_sgr(Style::new(), &[38, 5, 196, 1], true).fg,
            Some(Color::Indexed(196))
        );
    }
}
