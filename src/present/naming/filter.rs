//! The Runs pane's filter, as a pure function that also says what matched, so the view can
//! highlight it. A query that is a run name (`api #4`, `#4`) picks runs by name (the id exactly:
//! `#4` is not `#40`); any other text matches, ignoring case, the name, the reference, the repo
//! path, the prompt, the state or the tmux session.

use super::{Named, Spec, name, reference, repo_name};
use crate::present::{glyphs, sanitize};
use std::ops::Range;

/// What a filter matched in one run: byte ranges into the texts the Runs pane shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlights {
    /// In the name, [`super::name`].
    pub name: Vec<Range<usize>>,
    /// In the state word (`glyphs::word` of the state, made one line).
    pub state: Vec<Range<usize>>,
    /// In the repo path (made one line; the view maps these onto its shortened path).
    pub repo: Vec<Range<usize>>,
    /// In the prompt (made one line).
    pub prompt: Vec<Range<usize>>,
}

impl Highlights {
    /// True when nothing is marked (an empty filter, or a match in a text the pane does not
    /// show: the reference or the tmux session).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.name.is_empty()
            && self.state.is_empty()
            && self.repo.is_empty()
            && self.prompt.is_empty()
    }
}

/// Whether `run` passes the filter `query`, and what in it matched. `None`: it does not pass.
/// An empty (or blank) query passes everything and marks nothing.
#[must_use]
pub fn filter<R: Named + ?Sized>(run: &R, query: &str) -> Option<Highlights> {
    let query = query.trim();
    if query.is_empty() {
        return Some(Highlights::default());
    }
    let run_name = name(run);
    if let Some(Spec::Name { repo, id }) = Spec::parse(query) {
        if run.run_key() != id || !(repo.is_empty() || repo_name(run).eq_ignore_ascii_case(repo)) {
            return None;
        }
        // `#4` marks the `#4`; `api #4` the whole name.
        let start = if repo.is_empty() {
            run_name.rfind('#').unwrap_or(0)
        } else {
            0
        };
        return Some(Highlights {
            name: std::iter::once(start..run_name.len()).collect(),
            ..Highlights::default()
        });
    }
    let found = Highlights {
        name: find(&run_name, query),
        state: find(&sanitize::one_line(glyphs::word(run.state_word())), query),
        repo: find(&sanitize::one_line(run.repo_path()), query),
        prompt: find(&sanitize::one_line(run.prompt()), query),
    };
    let elsewhere =
        || !find(&reference(run), query).is_empty() || !find(run.tmux_session(), query).is_empty();
    (!found.is_empty() || elsewhere()).then_some(found)
}

/// Where `needle` occurs in `hay`, ignoring case: byte ranges of `hay`, whole characters.
#[must_use]
pub fn find(hay: &str, needle: &str) -> Vec<Range<usize>> {
    // Lower-case both, remembering where each lower-cased byte came from in `hay`.
    let mut low = String::with_capacity(hay.len());
    let mut from: Vec<(usize, usize)> = Vec::with_capacity(hay.len());
    for (i, c) in hay.char_indices() {
        for l in c.to_lowercase() {
            low.push(l);
            from.extend(std::iter::repeat_n((i, i + c.len_utf8()), l.len_utf8()));
        }
    }
    let needle = needle.to_lowercase();
    if needle.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<Range<usize>> = Vec::new();
    for (at, m) in low.match_indices(&needle) {
        let start = from[at].0;
        let end = from[at + m.len() - 1].1;
        match out.last_mut() {
            Some(last) if last.end >= start => last.end = last.end.max(end),
            _ => out.push(start..end),
        }
    }
    out
}
