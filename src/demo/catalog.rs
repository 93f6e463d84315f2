//! The demo's beads: every bead it knows, the beads file written from them (`.beads/issues.jsonl`,
//! as a tracker such as br keeps it: open, in progress, closed), and new beads filed over time,
//! so the board always has ready beads to hand out. Closed beads are kept in the file for a
//! while, then dropped, so a long demo stays small.

use super::corpus::Corpus;
use crate::persist::assignment::{AssignmentStatus, AssignmentStore};
use crate::persist::gojson;
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Closed beads the file keeps (the newest ones).
const KEEP_CLOSED: usize = 24;

/// A bead of the demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bead {
    /// `dm-xxxx`.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The repository its runs happen in.
    pub repo: String,
}

impl Bead {
    /// NTM's default prompt for the bead.
    #[must_use]
    pub fn prompt(&self) -> String {
        format!(
            "Work on bead {}: {}. Check dependencies first with `br dep tree {}`.",
            self.id, self.title, self.id
        )
    }
}

/// One bead as the file lists it.
#[derive(Debug, Clone)]
struct Filed {
    bead: Bead,
    priority: usize,
    bug: bool,
    created: Option<DateTime<Utc>>,
    closed: bool,
}

/// The beads and their file.
#[derive(Debug, Clone)]
pub struct Catalog {
    path: PathBuf,
    filed: Vec<Filed>,
    /// Every id ever used (ids are never reused, even after a bead leaves the file).
    ids: HashSet<String>,
    /// Titles for new beads, in a shuffled order, and how far through them it is.
    titles: Vec<String>,
    next_title: usize,
    written: String,
}

fn base36(rng: &mut fastrand::Rng, len: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..len)
        .map(|_| char::from(DIGITS[rng.usize(..DIGITS.len())]))
        .collect()
}

impl Catalog {
    /// A catalog of `count` beads whose file is `path` (nothing written yet).
    #[must_use]
    pub fn new(path: &Path, count: usize, corpus: &Corpus, rng: &mut fastrand::Rng) -> Catalog {
        let mut titles = corpus.beads.clone();
        rng.shuffle(&mut titles);
        let mut catalog = Catalog {
            path: path.to_path_buf(),
            filed: Vec::new(),
            ids: HashSet::new(),
            titles,
            next_title: 0,
            written: String::new(),
        };
        for _ in 0..count {
            catalog.add(corpus, rng, None);
        }
        catalog
    }

    /// Files a new bead (open, so ready once written), made at `created`.
    pub fn add(
        &mut self,
        corpus: &Corpus,
        rng: &mut fastrand::Rng,
        created: Option<DateTime<Utc>>,
    ) -> Bead {
        let mut id = format!("dm-{}", base36(rng, 4));
        while self.ids.contains(&id) {
            id = format!("dm-{}", base36(rng, 5));
        }
        let round = self.next_title / self.titles.len().max(1);
        let title = self
            .titles
            .get(self.next_title % self.titles.len().max(1))
            .cloned()
            .unwrap_or_else(|| "Tidy up".to_owned());
        self.next_title += 1;
        let title = if round == 0 {
            title
        } else {
            format!("{title} (part {})", round + 1)
        };
        let bead = Bead {
            id: id.clone(),
            title,
            repo: corpus.repos[rng.usize(..corpus.repos.len())].clone(),
        };
        let n = self.ids.len();
        self.ids.insert(id);
        self.filed.push(Filed {
            bead: bead.clone(),
            priority: n % 4,
            bug: n.is_multiple_of(3),
            created,
            closed: false,
        });
        bead
    }

    /// The beads, in file order.
    pub fn beads(&self) -> impl Iterator<Item = &Bead> {
        self.filed.iter().map(|f| &f.bead)
    }

    /// The bead with this id, while it is in the file.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&Bead> {
        self.filed.iter().find(|f| f.bead.id == id).map(|f| &f.bead)
    }

    /// The beads file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn status(f: &Filed, store: &AssignmentStore) -> &'static str {
        if f.closed {
            return "closed";
        }
        match store.get(&f.bead.id).map(|a| &a.status) {
            Some(AssignmentStatus::Completed) => "closed",
            Some(AssignmentStatus::Working | AssignmentStatus::Assigned) => "in_progress",
            _ => "open",
        }
    }

    /// The beads ready to hand out: open and not assigned, highest priority first, then oldest.
    #[must_use]
    pub fn ready(&self, store: &AssignmentStore) -> Vec<&Bead> {
        let mut ready: Vec<&Filed> = self
            .filed
            .iter()
            .filter(|f| Self::status(f, store) == "open" && store.get(&f.bead.id).is_none())
            .collect();
        ready.sort_by_key(|f| (f.priority, f.created));
        ready.into_iter().map(|f| &f.bead).collect()
    }

    /// Brings the file up to date with the store (a completed bead is closed for good; the
    /// oldest closed ones leave the file), writing it only when it changed.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn write(&mut self, store: &AssignmentStore) -> std::io::Result<()> {
        for f in &mut self.filed {
            f.closed = Self::status(f, store) == "closed";
        }
        let closed = self.filed.iter().filter(|f| f.closed).count();
        let mut drop = closed.saturating_sub(KEEP_CLOSED);
        self.filed.retain(|f| {
            let gone = drop > 0 && f.closed;
            drop -= usize::from(gone);
            !gone
        });
        let mut text = String::new();
        for f in &self.filed {
            let mut issue = serde_json::json!({
                "id": f.bead.id,
                "title": f.bead.title,
                "status": Self::status(f, store),
                "priority": f.priority,
                "issue_type": if f.bug { "bug" } else { "feature" },
            });
            if let (Some(t), serde_json::Value::Object(map)) = (f.created, &mut issue) {
                map.insert(
                    "created_at".to_owned(),
                    gojson::format_time(&t.fixed_offset()).into(),
                );
            }
            text.push_str(&gojson::encode(&issue, gojson::Style::LINE));
            text.push('\n');
        }
        if text != self.written {
            if let Some(dir) = self.path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            crate::persist::atomic::write_atomic(&self.path, text.as_bytes(), 0o644)?;
            self.written = text;
        }
        Ok(())
    }
}
