//! `AssignmentStore`: one session's store in memory, its queries, and how it is loaded.
//! The changes (every one locked, re-read, validated, published, logged) are in `store/change.rs`.

mod change;
mod methods;
mod revert;

pub(crate) use change::ensure_inside;
pub use revert::{RecordChange, describe_difference};

use super::publish::{self, BACKUP_SUFFIX, LOCK_SUFFIX, STORE_FILE, Source, with_suffix};
use super::v9::{NtmChoice, NtmSource, NtmView};
use super::{
    Assignment, AssignmentStats, AssignmentStatus, HISTORY_FILE, StoreDocument, StoreError,
    storage_dir_in, validate_session_name,
};
use crate::persist::gojson::{self, GoTime};
use crate::persist::lock::DEFAULT_LOCK_TIMEOUT;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// Where the store's current content was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadSource {
    /// `assignments.json`.
    Primary,
    /// `assignments.json.bak`, because the primary was missing or unreadable (the reason).
    Backup(String),
    /// Nothing on disk yet.
    New,
}

/// The source of "now" for timestamps; replaceable in tests.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> GoTime + Send + Sync>);

impl Clock {
    /// The system clock, in UTC.
    #[must_use]
    pub fn system() -> Clock {
        Clock(Arc::new(gojson::now))
    }

    /// A clock driven by `f`.
    pub fn from_fn(f: impl Fn() -> GoTime + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(f))
    }

    /// The current time.
    #[must_use]
    pub fn now(&self) -> GoTime {
        (self.0)()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

/// A callback run when a change has to wait for another program's lock.
#[derive(Clone)]
struct WaitNotice(Arc<dyn Fn() + Send + Sync>);

impl fmt::Debug for WaitNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WaitNotice")
    }
}

/// The function a [`Precommit`] runs: with the document before and after the change.
pub type PrecommitFn =
    dyn Fn(&StoreDocument, &StoreDocument) -> Result<(), StoreError> + Send + Sync;

/// What must be recorded with a change, under the store's lock, just before the change is
/// published: called with the document before and after it (a host's journal of moves records
/// the move's key so). An error stops the change; nothing is written.
#[derive(Clone)]
pub struct Precommit(pub Arc<PrecommitFn>);

impl fmt::Debug for Precommit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Precommit")
    }
}

/// Where a reassignment expects its record to be: the bead, its pane, its agent type.
type Placed = (String, Option<i64>, Option<String>);

/// Bead-to-agent assignments of one tmux session.
#[derive(Debug, Clone)]
pub struct AssignmentStore {
    path: PathBuf,
    session: String,
    doc: StoreDocument,
    source: LoadSource,
    /// The exact bytes last read or written (to detect changes, and to skip decoding).
    bytes: Option<Arc<Vec<u8>>>,
    lock_timeout: Duration,
    clock: Clock,
    on_lock_wait: Option<WaitNotice>,
    cancel: Option<Arc<AtomicBool>>,
    history_problem: Option<String>,
    /// For a store of today's NTM: how its snapshot was chosen (see [`Self::ntm`]).
    ntm: Option<NtmChoice>,
    /// What each change made since the last [`Self::take_changes`] did to its record.
    changes: Vec<RecordChange>,
    /// The status the next move of a bead expects (see [`Self::expect`]).
    expect: Option<(String, Option<AssignmentStatus>)>,
    /// Where the next reassignment expects its record (see [`Self::expect_place`]).
    expect_place: Option<Placed>,
    /// Run under the lock before each change is published (see [`Self::with_precommit`]).
    precommit: Option<Precommit>,
}

impl AssignmentStore {
    /// `NewStore`: an empty store for `session` under `ntm_dir`, in memory only (unlike NTM,
    /// nothing is created on disk until the first change).
    ///
    /// # Errors
    /// [`StoreError::InvalidSession`] for a name that cannot be a directory.
    pub fn new(ntm_dir: &Path, session: &str) -> Result<AssignmentStore, StoreError> {
        validate_session_name(session)?;
        Ok(AssignmentStore::at_path(
            storage_dir_in(ntm_dir).join(session).join(STORE_FILE),
            session,
        ))
    }

    /// An empty store for `session` whose file is `path`.
    #[must_use]
    pub fn at_path(path: PathBuf, session: &str) -> AssignmentStore {
        let clock = Clock::system();
        AssignmentStore {
            doc: StoreDocument::new(session, clock.now()),
            path,
            session: session.to_owned(),
            source: LoadSource::New,
            bytes: None,
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            clock,
            on_lock_wait: None,
            cancel: None,
            history_problem: None,
            ntm: None,
            changes: Vec::new(),
            expect: None,
            expect_place: None,
            precommit: None,
        }
    }

    /// `LoadStore`: the store of `session` as it is on disk (empty if there is none).
    /// Unlike NTM, an unreadable store is an error, not silently an empty one.
    ///
    /// # Errors
    /// An invalid session name, an unreadable file, or a corrupt primary with no good backup.
    pub fn load_store(ntm_dir: &Path, session: &str) -> Result<AssignmentStore, StoreError> {
        let mut store = AssignmentStore::new(ntm_dir, session)?;
        store.load()?;
        Ok(store)
    }

    /// Uses `clock` for every timestamp from now on.
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> AssignmentStore {
        self.clock = clock;
        self
    }

    /// Waits at most `timeout` for another program's lock.
    #[must_use]
    pub fn with_lock_timeout(mut self, timeout: Duration) -> AssignmentStore {
        self.lock_timeout = timeout;
        self
    }

    /// Calls `notice` when a change has to wait for another program's lock.
    #[must_use]
    pub fn with_lock_wait_notice(
        mut self,
        notice: impl Fn() + Send + Sync + 'static,
    ) -> AssignmentStore {
        self.on_lock_wait = Some(WaitNotice(Arc::new(notice)));
        self
    }

    /// Runs `precommit` under the lock before each change is published (see [`Precommit`]).
    #[must_use]
    pub fn with_precommit(mut self, precommit: Precommit) -> AssignmentStore {
        self.precommit = Some(precommit);
        self
    }

    /// Gives up waiting for another program's lock as soon as `cancel` is set (the user
    /// pressed Esc); the change is then not made and nothing is written.
    #[must_use]
    pub fn with_cancel(mut self, cancel: Arc<AtomicBool>) -> AssignmentStore {
        self.cancel = Some(cancel);
        self
    }

    /// `Load`: re-reads the store (primary, else `.bak`). On error memory is unchanged.
    ///
    /// # Errors
    /// An unreadable file, or a corrupt primary with no good backup.
    pub fn load(&mut self) -> Result<(), StoreError> {
        let known = self.bytes.as_ref().map(|b| (b, &self.doc));
        let snapshot = publish::read_snapshot(&self.path, &self.session, self.clock.now(), known)?;
        let ntm_source = snapshot
            .ntm
            .as_ref()
            .map(|c| (&c.source, c.refusal.as_deref()));
        self.source = match (&snapshot.source, &snapshot.primary, ntm_source) {
            (Source::Primary, _, _) => LoadSource::Primary,
            (Source::Backup, _, Some((NtmSource::BackupAhead { primary_generation }, _))) => {
                LoadSource::Backup(format!(
                    "it is one generation ahead of the primary's {primary_generation} (NTM \
                     publishes the backup first); shown as NTM reads it, not promoted"
                ))
            }
            (Source::Backup, _, Some((NtmSource::BackupOnly, _))) => LoadSource::Backup(
                "primary file missing; the backup is NTM's first save (generation 1)".to_owned(),
            ),
            (Source::Backup, _, Some((_, Some(why)))) => LoadSource::Backup(why.to_owned()),
            (Source::Backup, publish::Primary::Corrupt(why), _) => LoadSource::Backup(why.clone()),
            (Source::Backup, _, _) => LoadSource::Backup("primary file missing".to_owned()),
            (Source::Empty, _, _) => LoadSource::New,
        };
        let ntm = snapshot.ntm.clone();
        let bytes = snapshot.bytes.clone();
        let doc = snapshot.doc.into_owned();
        self.bytes = bytes;
        self.doc = doc;
        self.ntm = ntm;
        Ok(())
    }

    /// For a store of today's NTM (schema 9): its content as NTM reads it, with the snapshot
    /// choice and, when NTM's strict read refuses the store, the reason. `None` for a
    /// seed-era store.
    #[must_use]
    pub fn ntm(&self) -> Option<NtmView<'_>> {
        self.ntm.as_ref().map(|choice| NtmView {
            doc: &self.doc,
            choice,
        })
    }

    /// The store file (`…/sessions/<session>/assignments.json`).
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The backup file (`assignments.json.bak`).
    #[must_use]
    pub fn backup_path(&self) -> PathBuf {
        with_suffix(&self.path, BACKUP_SUFFIX)
    }

    /// The lock file (`assignments.json.lock`).
    #[must_use]
    pub fn lock_path(&self) -> PathBuf {
        with_suffix(&self.path, LOCK_SUFFIX)
    }

    /// The audit log (`assignments.history.jsonl`).
    #[must_use]
    pub fn history_path(&self) -> PathBuf {
        self.path.with_file_name(HISTORY_FILE)
    }

    /// The session this store belongs to.
    #[must_use]
    pub fn session(&self) -> &str {
        &self.session
    }

    /// The document as last loaded or saved.
    #[must_use]
    pub fn document(&self) -> &StoreDocument {
        &self.doc
    }

    /// Where the content was read from.
    #[must_use]
    pub fn source(&self) -> &LoadSource {
        &self.source
    }

    /// True for schema versions above 1 (today's NTM writes 9): never written by the seed-era
    /// methods (`assign`, `mark_working`, …); see [`crate::persist::assignment::v9`] for what
    /// may be written to them, and how.
    #[must_use]
    pub fn is_read_only(&self) -> bool {
        self.doc.is_read_only() || self.ntm.is_some()
    }

    /// Things worth telling the user about the loaded file: recovery from backup, `null`
    /// records, a `session_name` that differs from the directory.
    #[must_use]
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if let LoadSource::Backup(why) = &self.source {
            notes.push(format!(
                "read from {} because {}: {why}",
                self.backup_path().display(),
                self.path.display()
            ));
        }
        let shown_why = match &self.source {
            LoadSource::Backup(why) => Some(why),
            LoadSource::Primary | LoadSource::New => None,
        };
        if let Some(why) = self
            .ntm
            .as_ref()
            .and_then(|c| c.refusal.as_ref())
            .filter(|why| Some(*why) != shown_why)
        {
            notes.push(format!(
                "{}: NTM's strict read refuses this store: {why}; shown read-only",
                self.path.display()
            ));
        }
        if !self.doc.null_records.is_empty() {
            notes.push(format!(
                "{}: null records ignored: {}",
                self.path.display(),
                self.doc.null_records.join(", ")
            ));
        }
        if !self.doc.session_name.is_empty() && self.doc.session_name != self.session {
            notes.push(format!(
                "{}: session_name is {:?} but the directory is {:?}",
                self.path.display(),
                self.doc.session_name,
                self.session
            ));
        }
        notes
    }

    /// What each change made since the last call did to its record (before and after, and the
    /// store's `updated_at`): what [`Self::revert`] takes back exactly. They are kept until
    /// taken: a store kept open for many changes takes them now and then.
    pub fn take_changes(&mut self) -> Vec<RecordChange> {
        std::mem::take(&mut self.changes)
    }

    /// Says what the next move of `bead_id` expects to find: the record with `status`, or no
    /// record (`None`), as the caller last saw it. If another writer changed that meanwhile, the
    /// move is refused with [`StoreError::Raced`]'s words (`qa-w1 was already started by
    /// someone else (now working)`) and nothing is written. Without it, a move is judged by
    /// the transition table alone, as upstream does.
    pub fn expect(&mut self, bead_id: &str, status: Option<AssignmentStatus>) {
        self.expect = Some((bead_id.to_owned(), status));
    }

    /// Says where the next reassignment of `bead_id` expects its record: on `pane`, with
    /// `agent_type` (`None`: either as it is). Checked under the lock: if another writer moved
    /// it meanwhile, the reassignment is refused ([`StoreError::Moved`]) and nothing is
    /// written.
    pub fn expect_place(&mut self, bead_id: &str, pane: Option<i64>, agent_type: Option<String>) {
        self.expect_place = Some((bead_id.to_owned(), pane, agent_type));
    }

    /// A problem appending to the history log after a committed change, if one happened since
    /// the last call (the change itself was saved).
    pub fn take_history_problem(&mut self) -> Option<String> {
        self.history_problem.take()
    }

    /// `Get`: the record of `bead_id`.
    #[must_use]
    pub fn get(&self, bead_id: &str) -> Option<&Assignment> {
        self.doc.assignments.get(bead_id)
    }

    /// `GetAll`: copies of every record, by bead id.
    #[must_use]
    pub fn get_all(&self) -> Vec<Assignment> {
        self.doc.assignments.values().cloned().collect()
    }

    /// `List`: every record, by bead id (upstream's order is random).
    #[must_use]
    pub fn list(&self) -> Vec<&Assignment> {
        self.doc.assignments.values().collect()
    }

    /// `ListActive`: records that are assigned or working.
    #[must_use]
    pub fn list_active(&self) -> Vec<&Assignment> {
        self.doc
            .assignments
            .values()
            .filter(|a| a.status.is_active())
            .collect()
    }

    /// `ListByPane`: records on `pane`.
    #[must_use]
    pub fn list_by_pane(&self, pane: i64) -> Vec<&Assignment> {
        self.doc
            .assignments
            .values()
            .filter(|a| a.pane == pane)
            .collect()
    }

    /// `ListByStatus`: records with `status`.
    #[must_use]
    pub fn list_by_status(&self, status: &AssignmentStatus) -> Vec<&Assignment> {
        self.doc
            .assignments
            .values()
            .filter(|a| &a.status == status)
            .collect()
    }

    /// `Stats`: counts per status.
    #[must_use]
    pub fn stats(&self) -> AssignmentStats {
        AssignmentStats::count(self.doc.assignments.values())
    }
}
