//! Acknowledged attention items, kept across restarts: `<cache dir>/acknowledged.json`, each
//! item (a run by its directory, a bead by session and id, another host's bead by its host
//! too) with the key of the situation that was acknowledged. Written atomically (temp file, fsync, rename), mode 0600 in a 0700
//! directory; at most [`MAX_KEPT`] items. A missing file is none; a corrupt or foreign one is
//! an error naming the file (the caller goes on without, and the next save replaces it).

use crate::persist::atomic;
use serde::{Deserialize, Serialize};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

/// The file's name in the cache directory.
pub const FILE_NAME: &str = "acknowledged.json";

/// What the file says it is.
const FORMAT: &str = "beadboard acknowledgements";

/// The format's version.
const VERSION: u32 = 1;

/// The most items kept (the newest situations win a cut).
pub const MAX_KEPT: usize = 10_000;

/// An acknowledged item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AckedItem {
    /// A run, by its directory (an agent session by its key).
    Run {
        /// The directory.
        dir: PathBuf,
    },
    /// A bead of a session's store.
    Bead {
        /// The session.
        session: String,
        /// The bead id.
        bead: String,
    },
    /// A bead of another host's session store.
    HostBead {
        /// The host.
        host: String,
        /// The session there.
        session: String,
        /// The bead id.
        bead: String,
    },
}

/// One acknowledgement: the item and the situation's key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Acknowledgement {
    /// The item.
    #[serde(flatten)]
    pub item: AckedItem,
    /// The key of the situation acknowledged (it counts again when the key changes).
    pub key: String,
}

#[derive(Serialize, Deserialize)]
struct Document {
    format: String,
    version: u32,
    items: Vec<Acknowledgement>,
}

/// Why the acknowledgements could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum AckError {
    /// Reading or writing failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not an acknowledgements file this version reads.
    #[error("{}: not a beadboard acknowledgements file ({why})", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Why.
        why: String,
    },
}

/// Where the file is in `cache_dir`.
#[must_use]
pub fn path_in(cache_dir: &Path) -> PathBuf {
    cache_dir.join(FILE_NAME)
}

/// Reads the acknowledgements kept in `cache_dir` (none when there is no file).
///
/// # Errors
/// An unreadable file, or one that is not this format and version.
pub fn load(cache_dir: &Path) -> Result<Vec<Acknowledgement>, AckError> {
    let path = path_in(cache_dir);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(AckError::Io { path, source }),
    };
    let doc: Document = serde_json::from_slice(&bytes).map_err(|e| AckError::Invalid {
        path: path.clone(),
        why: e.to_string(),
    })?;
    if doc.format != FORMAT || doc.version != VERSION {
        return Err(AckError::Invalid {
            path,
            why: format!("format {:?} version {}", doc.format, doc.version),
        });
    }
    Ok(doc.items)
}

/// Replaces the acknowledgements kept in `cache_dir` with `items` (the first [`MAX_KEPT`]),
/// creating the directory (0700) if needed. A file that already says the same is left as it is.
///
/// # Errors
/// The directory or the file cannot be written.
pub fn save(cache_dir: &Path, items: &[Acknowledgement]) -> Result<(), AckError> {
    let path = path_in(cache_dir);
    let io = |source| AckError::Io {
        path: path.clone(),
        source,
    };
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(cache_dir)
        .map_err(io)?;
    let doc = Document {
        format: FORMAT.to_owned(),
        version: VERSION,
        items: items.iter().take(MAX_KEPT).cloned().collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&doc).map_err(|e| io(std::io::Error::other(e)))?;
    bytes.push(b'\n');
    if std::fs::read(&path).is_ok_and(|kept| kept == bytes) {
        // Already what the file says: a start that restores and settles the same items, or an
        // acknowledgement of what was already acknowledged, writes nothing.
        return Ok(());
    }
    atomic::write_atomic(&path, &bytes, 0o600).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_across_a_save_and_a_load() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        assert!(load(&cache).unwrap().is_empty(), "no file: none");
        let items = vec![
            Acknowledgement {
                item: AckedItem::Run {
                    dir: "/ap/runs/abc/9".into(),
                },
                key: "failed@2026-11-22T10:00:00+00:00".into(),
            },
            Acknowledgement {
                item: AckedItem::Bead {
                    session: "qa".into(),
                    bead: "qa-1".into(),
                },
                key: "unstarted@x".into(),
            },
            Acknowledgement {
                item: AckedItem::HostBead {
                    host: "gpu1".into(),
                    session: "qa".into(),
                    bead: "qa-1".into(),
                },
                key: "failed@y".into(),
            },
        ];
        save(&cache, &items).unwrap();
        assert_eq!(load(&cache).unwrap(), items);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path_in(&cache))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "private: {mode:o}");
    }

    #[test]
    fn the_same_items_again_leave_the_file_alone() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let ack = |key: &str| Acknowledgement {
            item: AckedItem::Bead {
                session: "qa".into(),
                bead: "qa-1".into(),
            },
            key: key.into(),
        };
        let inode = || std::fs::metadata(path_in(dir.path())).unwrap().ino();
        save(dir.path(), &[ack("a")]).unwrap();
        let first = inode();
        save(dir.path(), &[ack("a")]).unwrap();
        assert_eq!(inode(), first, "the same items: not written again");
        save(dir.path(), &[ack("b")]).unwrap();
        assert_ne!(inode(), first, "other items: replaced");
        assert_eq!(load(dir.path()).unwrap(), vec![ack("b")]);
    }

    #[test]
    fn a_foreign_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            path_in(dir.path()),
            "{\"format\":\"x\",\"version\":1,\"items\":[]}",
        )
        .unwrap();
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains(FILE_NAME) && err.contains("not a beadboard"),
            "{err}"
        );
        std::fs::write(path_in(dir.path()), "garbage").unwrap();
        assert!(load(dir.path()).is_err());
    }
}
