//! What narrows a search of every transcript, shared by `beadboard search` (its `--repo` and
//! `--since` flags) and the dashboard's prompt (`repo:R` and `since:D` typed among the words):
//! which runs are of a repo, when "since" is, and a typed query split into the text to find and
//! those words.

use crate::persist::gojson;
use chrono::{DateTime, Utc};

/// A query as typed in the dashboard: the text to find, and the narrowing words taken out of
/// it (`fix limiter repo:api since:7d` finds `fix limiter` in runs of `api` since a week ago).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Typed {
    /// What to find.
    pub pattern: String,
    /// `repo:R`: only runs of this repo (see [`of_repo`]).
    pub repo: Option<String>,
    /// `since:D`: only entries since then (see [`parse_since`]).
    pub since: Option<String>,
}

impl Typed {
    /// Splits `text`: each word `repo:R` or `since:D` (with a value) is taken out, with the
    /// whitespace after it, and the rest, trimmed when a word was taken, is the text to find.
    /// The last of a repeated word counts.
    #[must_use]
    pub fn parse(text: &str) -> Typed {
        let mut typed = Typed::default();
        let mut pattern = String::new();
        let mut taken = false;
        for piece in text.split_inclusive(char::is_whitespace) {
            let word = piece.trim_end();
            let value = |prefix: &str| {
                word.strip_prefix(prefix)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned)
            };
            if let Some(repo) = value("repo:") {
                typed.repo = Some(repo);
            } else if let Some(since) = value("since:") {
                typed.since = Some(since);
            } else {
                pattern.push_str(piece);
                continue;
            }
            taken = true;
        }
        typed.pattern = if taken {
            pattern.trim().to_owned()
        } else {
            pattern
        };
        typed
    }
}

/// When `text` says "since": a duration back from `now` (`2h`, `7d`), a date (`2026-11-01`,
/// midnight UTC) or an RFC 3339 time.
///
/// # Errors
/// Text that is none of those, in words (the caller names the flag or word).
pub fn parse_since(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    if let Ok(d) = humantime::parse_duration(text) {
        let d = chrono::Duration::from_std(d).map_err(|_| format!("{text:?}: too long ago"))?;
        return Ok(now - d);
    }
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    gojson::parse_time(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            format!(
                "{text:?}: give a duration (2h, 7d), a date (2026-11-01) or a time (2026-11-01T09:00:00Z)"
            )
        })
}

/// Is a run of the repo named `repo`: its repo path, the path's last directory name, or a
/// prefix of its repo id (`repo_key`)?
#[must_use]
pub fn of_repo(repo_path: &str, repo_key: &str, repo: &str) -> bool {
    repo_path == repo
        || repo_path.trim_end_matches('/').rsplit('/').next() == Some(repo)
        || (!repo.is_empty() && repo_key.starts_with(repo))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowing_words_are_taken_out_of_the_text() {
        let t = Typed::parse("fix  the limiter repo:api since:7d");
        assert_eq!(t.pattern, "fix  the limiter");
        assert_eq!(t.repo.as_deref(), Some("api"));
        assert_eq!(t.since.as_deref(), Some("7d"));
        let t = Typed::parse("since:2h timeout repo:a repo:b");
        assert_eq!(
            (t.pattern.as_str(), t.repo.as_deref()),
            ("timeout", Some("b"))
        );
        assert_eq!(
            Typed::parse(" spaced ").pattern,
            " spaced ",
            "kept as typed"
        );
        assert_eq!(Typed::parse("repo: x").pattern, "repo: x", "no value: text");
    }

    #[test]
    fn since_and_repo() {
        let now: DateTime<Utc> = "2026-11-22T16:00:00Z".parse().unwrap();
        assert_eq!(
            parse_since("2h", now).unwrap(),
            "2026-11-22T14:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(
            parse_since("2026-11-01", now).unwrap(),
            "2026-11-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert!(
            parse_since("last tuesday", now)
                .unwrap_err()
                .contains("duration")
        );
        assert!(of_repo("/src/api/", "ea93", "api"));
        assert!(of_repo("/src/api", "ea93", "ea9"));
        assert!(!of_repo("/src/api", "ea93", "web"));
    }
}
