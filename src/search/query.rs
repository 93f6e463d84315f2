//! A search query: what is looked for in an entry's readable text (smart case), and the raw
//! pattern that finds candidate lines in JSONL bytes at memory speed — the query spelled as
//! JSON writes it, where each character that a writer may escape (`"`, `\`, control
//! characters, `<>&`, `/`, anything outside ASCII) may also appear as its escape.

use crate::persist::gojson;
use crate::persist::run::TranscriptEntry;
use crate::present::sanitize;
use regex::bytes::{Regex, RegexBuilder};
use unicode_segmentation::UnicodeSegmentation;

/// True when a search for `query` is case-sensitive (smart case: it has an uppercase letter).
#[must_use]
pub fn case_sensitive(query: &str) -> bool {
    query.chars().any(char::is_uppercase)
}

/// Does `text` contain `query` (smart case)?
#[must_use]
pub fn smart_contains(text: &str, query: &str) -> bool {
    if case_sensitive(query) {
        text.contains(query)
    } else {
        text.to_lowercase().contains(&query.to_lowercase())
    }
}

/// The readable text of an entry that search looks in: type, agent, state, content, signal
/// and error, one per line, sanitised as the screen shows it (escape sequences and control
/// characters dropped).
#[must_use]
pub fn searchable_text(e: &TranscriptEntry) -> String {
    let state = e.state.as_ref().map(|s| s.as_str()).unwrap_or_default();
    let parts = [
        e.entry_type.as_str(),
        &e.agent,
        state,
        &e.content,
        &e.signal,
        &e.error,
    ];
    sanitize::plain(&parts.join("\n"))
}

/// The readable text of a line: its entry's, or for a line that is not a readable entry, its
/// raw text sanitised (as the screen shows an unreadable line).
#[must_use]
pub fn line_text(line: &[u8]) -> (Option<TranscriptEntry>, String) {
    match TranscriptEntry::parse_line(line) {
        Ok(entry) => {
            let text = searchable_text(&entry);
            (Some(entry), text)
        }
        Err(_) => (None, sanitize::plain(&String::from_utf8_lossy(line))),
    }
}

/// A compiled query.
#[derive(Debug, Clone)]
pub struct Query {
    text: String,
    /// The text lowercased (what a case-insensitive search compares with).
    folded: String,
    sensitive: bool,
    raw: Regex,
    /// The lowercased text as an ASCII case-insensitive pattern, when it is ASCII: what
    /// [`Query::matches_text`] looks for in ASCII text without lowercasing a copy of it.
    ascii: Option<regex::bytes::Regex>,
}

impl Query {
    /// Compiles `text`.
    ///
    /// # Errors
    /// Only when the pattern cannot be built (an absurdly long query).
    pub fn new(text: &str) -> Result<Query, regex::Error> {
        let sensitive = case_sensitive(text);
        let raw = RegexBuilder::new(&raw_pattern(text, sensitive))
            .case_insensitive(!sensitive)
            .unicode(false)
            .size_limit(64 << 20)
            .build()?;
        let folded = text.to_lowercase();
        let ascii = if folded.is_ascii() {
            Some(
                regex::bytes::RegexBuilder::new(&regex::escape(&folded))
                    .case_insensitive(true)
                    .unicode(false)
                    .size_limit(64 << 20)
                    .build()?,
            )
        } else {
            None
        };
        Ok(Query {
            text: text.to_owned(),
            folded,
            sensitive,
            raw,
            ascii,
        })
    }

    /// What is looked for.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Case-sensitive (the query has an uppercase letter)?
    #[must_use]
    pub fn is_case_sensitive(&self) -> bool {
        self.sensitive
    }

    /// Does readable `text` contain the query (smart case)?
    #[must_use]
    pub fn matches_text(&self, text: &str) -> bool {
        if self.sensitive {
            text.contains(&self.text)
        } else if text.is_ascii() {
            // ASCII text lowercases byte by byte: the same answer without the copy (a query
            // that is not ASCII cannot be in it).
            self.ascii
                .as_ref()
                .is_some_and(|re| re.is_match(text.as_bytes()))
        } else {
            text.to_lowercase().contains(&self.folded)
        }
    }

    /// The pattern that finds candidates in raw JSONL bytes.
    #[must_use]
    pub fn raw(&self) -> &Regex {
        &self.raw
    }

    /// The most bytes a match of [`Query::raw`] spans: each character at most as a surrogate
    /// pair of `\uXXXX` escapes.
    #[must_use]
    pub fn raw_max_len(&self) -> usize {
        self.text.chars().count() * 12
    }

    /// A short piece of readable `text` around the first match, cut with `…` at either end
    /// that is not the text's own (at most about `width` grapheme clusters). Only a window of
    /// the line around the match is measured, so a line of megabytes (a whole tool output)
    /// costs what a short one does.
    #[must_use]
    pub fn snippet(&self, text: &str, width: usize) -> String {
        let Some(line) = text.lines().find(|l| self.matches_text(l)) else {
            let first = text.lines().next().unwrap_or_default();
            let (lo, hi) = window(first, 0, width);
            return cut(&first[lo..hi], 0, width, lo > 0, hi < first.len());
        };
        let at = line
            .char_indices()
            .find(|&(i, _)| self.starts_at(&line[i..]))
            .map_or(0, |(i, _)| i);
        let (lo, hi) = window(line, at, width);
        // The cluster the match starts in.
        let at = line[lo..hi]
            .grapheme_indices(true)
            .take_while(|&(i, _)| i <= at - lo)
            .count()
            .saturating_sub(1);
        let from = at.saturating_sub(width / 4);
        cut(&line[lo..hi], from, width, lo > 0, hi < line.len())
    }

    fn starts_at(&self, s: &str) -> bool {
        if self.sensitive {
            return s.starts_with(&self.text);
        }
        let mut rest = s.chars().flat_map(char::to_lowercase);
        self.text
            .chars()
            .flat_map(char::to_lowercase)
            .all(|q| rest.next() == Some(q))
    }
}

/// Bytes a grapheme cluster is taken to need at most when a window of a line is measured.
const CLUSTER_BYTES: usize = 64;

/// The byte range of `line` around byte `at` that a snippet of `width` clusters can come
/// from (at character boundaries).
fn window(line: &str, at: usize, width: usize) -> (usize, usize) {
    let reach = width.saturating_mul(CLUSTER_BYTES);
    let mut lo = at.saturating_sub(reach);
    while !line.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = at.saturating_add(reach).min(line.len());
    while !line.is_char_boundary(hi) {
        hi += 1;
    }
    (lo, hi)
}

/// `width` grapheme clusters of `line` from cluster `from`, with `…` where it was cut (a
/// cluster, such as an emoji ZWJ sequence, is never split); `before`/`after`: the line was
/// cut there already.
fn cut(line: &str, from: usize, width: usize, before: bool, after: bool) -> String {
    let mut out = String::new();
    if from > 0 || before {
        out.push('…');
    }
    let mut clusters = line.graphemes(true).skip(from);
    out.extend(clusters.by_ref().take(width));
    if after || clusters.next().is_some() {
        out.push('…');
    }
    out
}

/// The raw pattern: each character as Go's encoder writes it in a JSONL line, or (for
/// characters a writer may escape) any of its escapes.
fn raw_pattern(query: &str, sensitive: bool) -> String {
    let mut pattern = String::new();
    for c in query.chars() {
        let mut spelled = String::new();
        gojson::write_string(&mut spelled, &c.to_string(), false);
        let literal = &spelled[1..spelled.len() - 1];
        // Printable ASCII is written as is by every JSON writer, except these.
        let plain = c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '/' | '<' | '>' | '&' | '\'')
            || c == ' ';
        if plain {
            pattern.push_str(&regex::escape(literal));
            continue;
        }
        let mut forms = vec![regex::escape(literal)];
        let mut variants = vec![c];
        if !sensitive {
            variants.extend(c.to_lowercase().chain(c.to_uppercase()));
        }
        variants.sort_unstable();
        variants.dedup();
        for v in variants {
            if v != c {
                let mut s = String::new();
                gojson::write_string(&mut s, &v.to_string(), false);
                forms.push(regex::escape(&s[1..s.len() - 1]));
            }
            forms.push(unicode_escape(v));
        }
        if c == '/' {
            forms.push(r"\\/".to_owned());
        }
        pattern.push_str("(?:");
        pattern.push_str(&forms.join("|"));
        pattern.push(')');
    }
    pattern
}

/// `\uXXXX` (or a surrogate pair) for `c`, hex digits in either case.
fn unicode_escape(c: char) -> String {
    let mut units = [0u16; 2];
    let mut out = String::new();
    for unit in c.encode_utf16(&mut units) {
        out.push_str(r"\\u");
        for digit in format!("{unit:04x}").chars() {
            if digit.is_ascii_digit() {
                out.push(digit);
            } else {
                out.push('[');
                out.push(digit);
                out.push(digit.to_ascii_uppercase());
                out.push(']');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_spelling_of_a_character() {
        let q = Query::new("café \"x\"").unwrap();
        for raw in [
            r#"caf\u00e9 \"x\""#,
            r#"caf\u00E9 \u0022x\""#,
            "café \\\"x\\\"",
            "CAFÉ \\\"X\\\"",
        ] {
            assert!(q.raw().is_match(raw.as_bytes()), "{raw}");
        }
        assert!(!q.raw().is_match(b"cafe \\\"x\\\""));
        let slash = Query::new("a/b").unwrap();
        assert!(slash.raw().is_match(br"a\/b") && slash.raw().is_match(b"a/b"));
        let sensitive = Query::new("Café").unwrap();
        assert!(!sensitive.raw().is_match("café".as_bytes()));
        assert!(sensitive.raw().is_match(br"Caf\u00e9"));
    }

    #[test]
    fn snippets_cut_around_the_match() {
        let q = Query::new("needle").unwrap();
        let text = format!(
            "result\ncodex\n{}NEEDLE here{}",
            "a".repeat(50),
            "b".repeat(50)
        );
        let s = q.snippet(&text, 30);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("NEEDLE here"), "{s}");
        assert_eq!(q.snippet("short needle", 30), "short needle");
        // Clusters are counted and kept whole.
        let family = "👨\u{200d}👩\u{200d}👧";
        let text = format!("{} needle {}", family.repeat(20), family.repeat(20));
        let s = q.snippet(&text, 12);
        assert_eq!(
            s,
            format!("…{} needle {}…", family.repeat(2), family.repeat(2))
        );
        // A line of megabytes: the same snippet as a short line around the match.
        let long = format!(
            "{}needle here{}",
            "a".repeat(3_000_000),
            "b".repeat(3_000_000)
        );
        let short = format!("{}needle here{}", "a".repeat(50), "b".repeat(50));
        assert_eq!(q.snippet(&long, 30), q.snippet(&short, 30));
        assert_eq!(q.snippet(&"x".repeat(4_000_000), 5), "xxxxx…");
        assert_eq!(q.snippet("é needle", 30), "é needle");
    }
}
