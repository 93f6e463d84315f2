//! Text layout helpers: display width, truncation with an ellipsis, padding, short paths.
//!
//! Widths are measured per grapheme cluster exactly as ratatui's buffer lays text out (its
//! `Buffer::set_stringn`): a cluster holding a control character is not drawn, a one-byte
//! cluster is one column, any other cluster is its `unicode-width` string width (plus one per
//! halfwidth katakana sound mark, as ratatui adds), and a zero-width cluster is not drawn. So a
//! row we lay out takes exactly the cells ratatui gives it, and ratatui's cursor moves are what
//! the terminal sees.

use std::path::Path;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Columns ratatui's buffer gives one grapheme cluster (0: it is not drawn at all).
#[must_use]
pub fn grapheme_width(g: &str) -> usize {
    if g.len() == 1 {
        // One byte: ASCII. ratatui drops a control character and draws anything else in one cell.
        return usize::from(!g.as_bytes()[0].is_ascii_control());
    }
    if g.contains(char::is_control) {
        return 0;
    }
    // ratatui counts U+FF9E/U+FF9F (halfwidth katakana sound marks) once more than
    // unicode-width does, since terminals draw them in a cell of their own.
    let marks = g
        .chars()
        .filter(|c| matches!(c, '\u{ff9e}' | '\u{ff9f}'))
        .count();
    g.width() + marks
}

/// The grapheme clusters of `s` with the columns each takes (see [`grapheme_width`]).
pub fn graphemes(s: &str) -> impl Iterator<Item = (&str, usize)> {
    s.graphemes(true).map(|g| (g, grapheme_width(g)))
}

/// Columns `s` takes on a terminal when drawn as one span (the sum over its grapheme clusters).
#[must_use]
pub fn width(s: &str) -> usize {
    if s.is_ascii() {
        // Each ASCII character is a cluster of its own (`\r\n` too is one, and not drawn).
        return s.bytes().filter(|b| !b.is_ascii_control()).count();
    }
    if s.chars().all(alone) {
        return s
            .chars()
            .map(|c| grapheme_width(c.encode_utf8(&mut [0; 4])))
            .sum();
    }
    graphemes(s).map(|(_, w)| w).sum()
}

/// True for a character that is a grapheme cluster of its own next to any other such
/// character (so a string of them needs no segmenting): Latin, punctuation, symbols, box
/// drawing, CJK, kana, Hangul syllables, fullwidth forms and single emoji; not combining
/// marks, joiners, selectors, regional indicators, skin-tone modifiers, jamo or format
/// characters.
fn alone(c: char) -> bool {
    matches!(c,
        '\0'..='\u{2ff}'
        | '\u{2000}'..='\u{200a}' | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205f}'
        | '\u{2070}'..='\u{20cf}' | '\u{2100}'..='\u{2bff}'
        | '\u{3000}'..='\u{3029}' | '\u{3030}'..='\u{3098}' | '\u{309b}'..='\u{30ff}'
        | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ac00}'..='\u{d7a3}'
        | '\u{ff01}'..='\u{ff60}'
        | '\u{1f300}'..='\u{1f3fa}' | '\u{1f400}'..='\u{1faff}')
}

/// `s` cut to at most `max` columns, ending in `…` when cut. A grapheme cluster is kept whole
/// or left out whole.
#[must_use]
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for (g, w) in graphemes(s) {
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push_str(g);
    }
    let kept = out.trim_end().len();
    out.truncate(kept);
    out.push('…');
    out
}

/// `s` truncated or padded with spaces to exactly `cols` columns.
#[must_use]
pub fn fit(s: &str, cols: usize) -> String {
    let mut out = truncate(s, cols);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// `s` in a column `cols` wide that another column follows: cut (with `…`) one column short,
/// so that at least one space always parts it from the next, and padded to `cols`.
#[must_use]
pub fn cell(s: &str, cols: usize) -> String {
    fit(&truncate(s, cols.saturating_sub(1)), cols)
}

/// A path as people say it: `~/src/webapp` under the home directory; long paths keep their
/// last components (`…/src/webapp`).
#[must_use]
pub fn short_path(path: &str, home: Option<&Path>, max: usize) -> String {
    let mut shown = path.to_owned();
    if let Some(home) = home.and_then(Path::to_str).filter(|h| h.len() > 1)
        && let Some(rest) = path.strip_prefix(home)
        && (rest.is_empty() || rest.starts_with('/'))
    {
        shown = format!("~{rest}");
    }
    if width(&shown) <= max {
        return shown;
    }
    let parts: Vec<&str> = shown.split('/').filter(|p| !p.is_empty()).collect();
    for keep in (1..parts.len()).rev() {
        let candidate = format!("…/{}", parts[parts.len() - keep..].join("/"));
        if width(&candidate) <= max {
            return candidate;
        }
    }
    truncate(parts.last().copied().unwrap_or(&shown), max)
}

/// A byte count as people read it: `812 B`, `4.2 KB`, `1.0 GB`.
#[must_use]
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A whole number with thousands separated: `12`, `20,000`, `1,234,567`.
#[must_use]
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count as people read it: `812`, `52.0k`, `1.3M`, `2.1G`.
#[must_use]
pub fn count(n: u64) -> String {
    match n {
        0..1_000 => n.to_string(),
        1_000..1_000_000 => format!("{:.1}k", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1}M", n as f64 / 1e6),
        _ => format!("{:.1}G", n as f64 / 1e9),
    }
}

/// A run as people name it: the repo's last path component and the run id, `webapp #3`.
#[must_use]
pub fn run_name(repo_path: &str, run_key: &str) -> String {
    format!("{} #{run_key}", repo_base(repo_path))
}

/// The last component of a path, `webapp` of `/home/dev/webapp/` (`?` when there is none).
#[must_use]
pub fn repo_base(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|b| !b.is_empty())
        .unwrap_or("?")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A string of characters that stand alone measures the same without segmenting: each is
    /// its own cluster beside any other, whatever its neighbours.
    #[test]
    fn characters_that_stand_alone_measure_without_segmenting() {
        let all: Vec<char> = ('\0'..='\u{1ffff}').filter(|&c| alone(c)).collect();
        for pair in all.windows(2).step_by(3) {
            let s: String = pair.iter().collect();
            assert_eq!(s.graphemes(true).count(), 2, "{s:?}");
        }
        for &c in &all {
            let s = c.to_string();
            assert_eq!(s.graphemes(true).count(), 1, "{s:?}");
            // Beside a sample of others, in both orders.
            for other in ['a', '日', '😀', '─', '\u{a0}', 'é', '\r', 'ガ', '한'] {
                for s in [format!("{c}{other}"), format!("{other}{c}")] {
                    if s != "\r\n" {
                        assert_eq!(s.graphemes(true).count(), 2, "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn widths_and_cuts() {
        assert_eq!(width("Ünïcödé ✓"), 9);
        assert_eq!(width("日本"), 4);
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(truncate("日本語", 4), "日…");
        assert_eq!(fit("ab", 4), "ab  ");
        // A cell keeps a space before the next column, whether its text fills it or not.
        assert_eq!(cell("ab", 4), "ab  ");
        assert_eq!(cell("abc", 4), "abc ");
        assert_eq!(cell("abcd", 4), "ab… ");
        assert_eq!(cell("日本語", 5), "日…  ");
        // Grapheme clusters, as ratatui's buffer lays them out.
        assert_eq!(width("⚠\u{fe0f}"), 2);
        assert_eq!(width("⚠"), 1);
        assert_eq!(width("👨\u{200d}👩\u{200d}👧"), 2);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(width("a\tb\r\n"), 2);
        assert_eq!(width("ｶﾞ"), 3);
        assert_eq!(
            truncate("👨\u{200d}👩\u{200d}👧👍🏽 ok", 5),
            "👨\u{200d}👩\u{200d}👧👍🏽…"
        );
        assert_eq!(
            truncate("👨\u{200d}👩\u{200d}👧👍🏽 ok", 4),
            "👨\u{200d}👩\u{200d}👧…"
        );
        let home = Path::new("/home/dev");
        assert_eq!(
            short_path("/home/dev/src/webapp", Some(home), 30),
            "~/src/webapp"
        );
        assert_eq!(short_path("/home/devx/a", Some(home), 30), "/home/devx/a");
        assert_eq!(
            short_path("/very/long/path/to/the/repo", None, 14),
            "…/to/the/repo"
        );
        assert_eq!(
            short_path("/very/long/path/to/the/repo", None, 12),
            "…/the/repo"
        );
    }
}
