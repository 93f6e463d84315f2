//! Publishing a schema-9 snapshot as NTM does: the new bytes go to a unique temp file (mode
//! 0600, fsynced) renamed to `assignments.json.bak`, the directory is fsynced, then the same
//! bytes go to another temp file renamed to `assignments.json`, and the directory is fsynced
//! again. The backup is the new state published first, not the previous state.

use crate::persist::assignment::BACKUP_SUFFIX;
use crate::persist::assignment::publish::{fail_point, with_suffix};
use crate::persist::atomic;
use std::fs::Permissions;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

fn publish_one(
    dir: &Path,
    prefix: &str,
    target: &Path,
    bytes: &[u8],
) -> Result<(), (PathBuf, io::Error)> {
    let at = |p: &Path| {
        let p = p.to_path_buf();
        move |e| (p, e)
    };
    let mut temp = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".tmp")
        .permissions(Permissions::from_mode(0o600))
        .tempfile_in(dir)
        .map_err(at(dir))?;
    temp.as_file()
        .set_permissions(Permissions::from_mode(0o600))
        .map_err(at(temp.path()))?;
    temp.write_all(bytes).map_err(at(temp.path()))?;
    temp.as_file().sync_all().map_err(at(temp.path()))?;
    temp.persist(target)
        .map_err(|e| (target.to_path_buf(), e.error))?;
    atomic::sync_dir(dir).map_err(at(dir))
}

/// Publishes `bytes` to the backup, then the primary, at `path`.
///
/// # Errors
/// The file concerned and the I/O error. A failure after the backup leaves the backup one
/// generation ahead of the primary, which is what NTM itself leaves in that case.
pub fn publish(path: &Path, bytes: &[u8]) -> Result<(), (PathBuf, io::Error)> {
    let dir = atomic::parent_dir(path);
    publish_one(
        &dir,
        ".assignments-backup-",
        &with_suffix(path, BACKUP_SUFFIX),
        bytes,
    )?;
    fail_point::check("after-backup").map_err(|e| (path.to_path_buf(), e))?;
    publish_one(&dir, ".assignments-", path, bytes)
}
