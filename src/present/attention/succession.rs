//! Which runs a later one took over: a failed run stops needing anyone once a later run of the
//! same bead, or of the same repo and prompt, has started. [`Succession`] keeps, for every such
//! key (hashed, so a year of runs costs little), when its latest run started, and names the
//! keys a start moved, so a caller judges again only the runs that share one of them.

use crate::persist::run::{RunSummary, id_words};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// When the latest run of each bead word and of each repo and prompt started.
#[derive(Debug, Clone, Default)]
pub struct Succession {
    /// Key hash → the latest start seen, in milliseconds since the epoch.
    latest: HashMap<u64, i64>,
}

/// One key a run is a run of, hashed: its repo and prompt, or one of its bead words (see
/// [`Succession::keys_of`]).
pub type KeyHash = u64;

/// What a run is a run of: its repo and prompt, and every word of its prompt that may be a
/// bead id (its bound bead, for an agent session). A word counts as a bead only where the
/// caller knows it is one.
enum Key<'a> {
    Prompt(&'a str, &'a str, bool),
    Word(String),
}

impl Key<'_> {
    fn hash(&self) -> u64 {
        let mut h = DefaultHasher::new();
        match self {
            Key::Prompt(repo, prompt, cut) => (0u8, repo, prompt, cut).hash(&mut h),
            Key::Word(word) => (1u8, word).hash(&mut h),
        }
        h.finish()
    }
}

/// The bead words of a run: its session's bead, and the id words of its prompt (a trailing
/// `.` dropped: `wa-1f6b.` ends a sentence).
fn words(run: &RunSummary) -> Vec<String> {
    let mut words: Vec<String> = id_words(run.prompt_head());
    words.extend(run.prompt_ids().iter().cloned());
    words.extend(run.session().and_then(|s| s.bead.clone()));
    let mut out: Vec<String> = words
        .into_iter()
        .map(|w| w.trim_end_matches('.').to_owned())
        .filter(|w| !w.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn keys(run: &RunSummary) -> impl Iterator<Item = Key<'_>> {
    let prompt = Key::Prompt(run.repo_path(), run.prompt_head(), run.prompt_cut());
    std::iter::once(prompt).chain(words(run).into_iter().map(Key::Word))
}

fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

impl Succession {
    /// Notes a run: each of its keys' latest start moves up to its start. Returns true when
    /// some key's latest moved (an earlier failed run may be superseded now).
    pub fn note(&mut self, run: &RunSummary) -> bool {
        !self.note_moved(run).is_empty()
    }

    /// Notes a run (as [`Succession::note`]) and returns the keys whose latest start moved:
    /// only a run that shares one of them may be superseded now.
    pub fn note_moved(&mut self, run: &RunSummary) -> Vec<KeyHash> {
        let Some(started) = run.started_at().map(millis) else {
            return Vec::new();
        };
        let mut moved = Vec::new();
        for key in keys(run) {
            let hash = key.hash();
            let latest = self.latest.entry(hash).or_insert(i64::MIN);
            if started > *latest {
                *latest = started;
                moved.push(hash);
            }
        }
        moved
    }

    /// Every key `run` is a run of, whether or not its words are beads: whatever
    /// [`Succession::superseded`] says of it can change only when one of these moves, or
    /// when one of its words becomes, or stops being, a bead ([`Succession::word_key`]).
    #[must_use]
    pub fn keys_of(run: &RunSummary) -> Vec<KeyHash> {
        keys(run).map(|k| k.hash()).collect()
    }

    /// The key of a bead word, as [`Succession::keys_of`] names it.
    #[must_use]
    pub fn word_key(word: &str) -> KeyHash {
        Key::Word(word.to_owned()).hash()
    }

    /// Whether a run that started after `run` shares its repo and prompt, or a word of its
    /// prompt that `is_bead` says is a bead id.
    pub fn superseded(&self, run: &RunSummary, is_bead: impl Fn(&str) -> bool) -> bool {
        let Some(started) = run.started_at().map(millis) else {
            return false;
        };
        keys(run)
            .filter(|k| match k {
                Key::Prompt(..) => true,
                Key::Word(w) => is_bead(w),
            })
            .any(|k| self.latest.get(&k.hash()).is_some_and(|t| *t > started))
    }

    /// How many keys are kept.
    #[must_use]
    pub fn len(&self) -> usize {
        self.latest.len()
    }

    /// True when no run was noted.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.latest.is_empty()
    }
}
