//! Text layout helpers: display width, truncation with an ellipsis, padding, short paths.

use std::path::Path;
use unicode_width::UnicodeWidthChar;

/// Columns `s` takes on a terminal.
#[must_use]
pub fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `s` cut to at most `max` columns, ending in `…` when cut.
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
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
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

    #[test]
    fn widths_and_cuts() {
        assert_eq!(width("Ünïcödé ✓"), 9);
        assert_eq!(width("日本"), 4);
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(truncate("日本語", 4), "日…");
        assert_eq!(fit("ab", 4), "ab  ");
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
