//! Choosing which of `assignments.json` and `assignments.json.bak` to show, as NTM's strict
//! read does (ntm-store.md §2.4), without ever writing: a backup one generation ahead is the
//! newer state and is shown, but not promoted (promotion is a write); anything NTM's strict
//! read refuses (a diverged pair, a gap in generations, an invalid file) is still shown when
//! one file can be read, read-only, with NTM's reason.

use super::strict;
use crate::persist::assignment::StoreDocument;
use std::sync::Arc;

/// One of the two files as found.
#[derive(Debug, Clone, Default)]
pub struct Candidate {
    /// The file exists (even if unreadable).
    pub exists: bool,
    /// Its bytes, if it could be read.
    pub bytes: Option<Arc<Vec<u8>>>,
    /// Its content decoded with Go's lenient rules, if that worked (shared when both files
    /// hold the same bytes, so they are decoded once).
    pub doc: Option<Arc<StoreDocument>>,
    /// Why NTM's strict decoding rejects it, if it does.
    pub problem: Option<String>,
}

impl Candidate {
    /// Nothing there.
    #[must_use]
    pub fn missing() -> Candidate {
        Candidate::default()
    }

    /// A file that exists but could not be read.
    #[must_use]
    pub fn unreadable(why: String) -> Candidate {
        Candidate {
            exists: true,
            problem: Some(why),
            ..Candidate::default()
        }
    }

    /// A file read as `bytes`, checked for session `session`.
    #[must_use]
    pub fn read(bytes: Arc<Vec<u8>>, session: &str) -> Candidate {
        match StoreDocument::from_bytes(&bytes) {
            Ok(doc) => Candidate::decoded(bytes, doc, session),
            Err(e) => Candidate::read_failed(bytes, e.to_string()),
        }
    }

    /// A file read as `bytes` that does not decode (`why`).
    #[must_use]
    pub fn read_failed(bytes: Arc<Vec<u8>>, why: String) -> Candidate {
        Candidate {
            exists: true,
            bytes: Some(bytes),
            doc: None,
            problem: Some(why),
        }
    }

    /// A file already decoded (to skip decoding bytes that did not change).
    #[must_use]
    pub fn decoded(bytes: Arc<Vec<u8>>, doc: StoreDocument, session: &str) -> Candidate {
        let problem = strict::validate(&doc, session).err();
        Candidate {
            exists: true,
            bytes: Some(bytes),
            doc: Some(Arc::new(doc)),
            problem,
        }
    }

    fn generation(&self) -> u64 {
        self.doc
            .as_ref()
            .and_then(|d| d.persistence_generation().ok())
            .unwrap_or(0)
    }
}

/// Which file is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// `assignments.json`.
    Primary,
    /// `assignments.json.bak`.
    Backup,
    /// Neither file exists.
    Neither,
}

/// How the shown content relates to the two files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NtmSource {
    /// The primary, as NTM reads it.
    Primary,
    /// The backup, one generation ahead of the primary: NTM published it and stopped (or is
    /// about to write the primary). NTM's next strict load promotes it; beadboard only shows it.
    BackupAhead {
        /// The primary's (older) generation.
        primary_generation: u64,
    },
    /// The backup of generation 1 with no primary yet (NTM's first save, half done).
    BackupOnly,
    /// The backup, because the primary cannot be used (see the refusal).
    BackupInstead,
    /// Neither file exists.
    Empty,
}

/// What was chosen, and whether NTM's strict read accepts the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NtmChoice {
    /// Where the shown content comes from.
    pub source: NtmSource,
    /// The shown content's `persistence_generation`.
    pub generation: u64,
    /// Why NTM's strict read refuses the store (then it is shown read-only), in NTM's words.
    pub refusal: Option<String>,
    /// The highest schema version of the two files.
    pub schema: i64,
}

/// NTM's strict selection: the file it would use, or its error.
fn strict_choice(primary: &Candidate, backup: &Candidate) -> Result<(Shown, NtmSource), String> {
    if primary.exists
        && let Some(p) = &primary.problem
    {
        return Err(format!("invalid primary ledger: {p}"));
    }
    if backup.exists
        && let Some(p) = &backup.problem
    {
        return Err(format!("invalid backup ledger: {p}"));
    }
    let (pg, bg) = (primary.generation(), backup.generation());
    match (primary.exists, backup.exists) {
        (false, false) => Ok((Shown::Neither, NtmSource::Empty)),
        (false, true) if bg == 1 => Ok((Shown::Backup, NtmSource::BackupOnly)),
        (false, true) => Err(format!(
            "primary ledger is missing while backup generation is {bg}, want initial generation 1"
        )),
        (true, false) => Ok((Shown::Primary, NtmSource::Primary)),
        (true, true) if bg > pg && bg - pg == 1 => Ok((
            Shown::Backup,
            NtmSource::BackupAhead {
                primary_generation: pg,
            },
        )),
        (true, true) if bg > pg => Err(format!(
            "backup generation {bg} is not the immediate successor of primary generation {pg}"
        )),
        (true, true) if bg < pg || primary.bytes == backup.bytes => {
            Ok((Shown::Primary, NtmSource::Primary))
        }
        (true, true) => Err(format!(
            "primary and backup diverge at persistence generation {pg}"
        )),
    }
}

/// Chooses what to show from the two files. Never writes.
#[must_use]
pub fn choose(primary: &Candidate, backup: &Candidate) -> (Shown, NtmChoice) {
    let (shown, source, refusal) = match strict_choice(primary, backup) {
        Ok((shown, source)) => (shown, source, None),
        Err(why) if primary.doc.is_some() => (Shown::Primary, NtmSource::Primary, Some(why)),
        Err(why) if backup.doc.is_some() => (Shown::Backup, NtmSource::BackupInstead, Some(why)),
        Err(why) => (Shown::Neither, NtmSource::Empty, Some(why)),
    };
    let generation = match shown {
        Shown::Primary => primary.generation(),
        Shown::Backup => backup.generation(),
        Shown::Neither => 0,
    };
    (
        shown,
        NtmChoice {
            source,
            generation,
            refusal,
            schema: [primary, backup]
                .iter()
                .filter_map(|c| c.doc.as_ref().map(|d| d.version))
                .max()
                .unwrap_or(strict::SCHEMA),
        },
    )
}

/// The shown file's document (owned; the other candidate is dropped first, so a document the
/// two share is not copied) and its bytes.
#[must_use]
pub fn take_shown(
    shown: Shown,
    primary: Candidate,
    backup: Candidate,
) -> Option<(StoreDocument, Option<Arc<Vec<u8>>>)> {
    let chosen = match shown {
        Shown::Primary => {
            drop(backup);
            primary
        }
        Shown::Backup => {
            drop(primary);
            backup
        }
        Shown::Neither => return None,
    };
    let doc = chosen.doc?;
    Some((Arc::unwrap_or_clone(doc), chosen.bytes))
}

/// Reads one file as a candidate (a missing file is `missing`, an unreadable one says why).
#[must_use]
pub fn read_candidate(path: &std::path::Path, session: &str) -> Candidate {
    match std::fs::read(path) {
        Ok(bytes) => Candidate::read(Arc::new(bytes), session),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Candidate::missing(),
        Err(e) => Candidate::unreadable(format!("{}: {e}", path.display())),
    }
}

/// Reads `assignments.json` and its `.bak` and chooses, as NTM's strict read does.
#[must_use]
pub fn read_store(path: &std::path::Path, session: &str) -> (Candidate, Candidate) {
    let backup = crate::persist::assignment::publish::with_suffix(
        path,
        crate::persist::assignment::BACKUP_SUFFIX,
    );
    let primary = read_candidate(path, session);
    let backup = match (&primary.bytes, std::fs::read(&backup)) {
        // NTM publishes the same bytes to both files: decode and check them once.
        (Some(p), Ok(b)) if **p == b => primary.clone(),
        _ => read_candidate(&backup, session),
    };
    (primary, backup)
}
