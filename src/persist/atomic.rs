//! Atomic, durable file writes and appends: the one place the persistence layer touches bytes
//! on disk for writing.
//!
//! A whole-file write goes to a uniquely named temp file in the target's directory, is fsynced,
//! renamed over the target, and the directory is fsynced, so a reader (or a crash) sees either
//! the old file or the new one, never a mix. An existing file keeps its permission bits; a new
//! one gets the caller's mode minus the umask, as upstream's `os.WriteFile` would.

use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The directory holding `path` (`.` for a bare file name).
#[must_use]
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The prefix of every temp file we create beside `path`: `.<name>.` (and the suffix `.tmp`).
#[must_use]
pub fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.")
}

/// Makes the directory `path` is in, private (0700) where it is made, with its parents: a
/// cache file's directory.
///
/// # Errors
/// The directory cannot be made.
pub fn make_private_parent(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    match path.parent() {
        Some(dir) => fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir),
        None => Ok(()),
    }
}

/// Replaces `path` with `bytes` atomically and durably.
///
/// `new_mode` is used (minus the umask) only when `path` does not exist yet; otherwise the
/// existing permission bits are kept. If `path` is a symbolic link, the link itself is
/// replaced by a regular file: the write never follows it elsewhere.
///
/// # Errors
/// Any I/O error; on error the target is untouched and the temp file is removed.
pub fn write_atomic(path: &Path, bytes: &[u8], new_mode: u32) -> io::Result<()> {
    write_atomic_with(path, new_mode, |w| w.write_all(bytes))
}

/// As [`write_atomic`], the bytes written by `fill` as it makes them (through a buffer), so a
/// large file is never whole in memory.
///
/// # Errors
/// Any I/O error, `fill`'s included; on error the target is untouched and the temp file is
/// removed.
pub fn write_atomic_with(
    path: &Path,
    new_mode: u32,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = parent_dir(path);
    let existing_mode = fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.file_type().is_file())
        .map(|m| m.permissions().mode() & 0o7777);
    let mut temp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .suffix(".tmp")
        .permissions(Permissions::from_mode(existing_mode.unwrap_or(new_mode)))
        .tempfile_in(&dir)?;
    if let Some(mode) = existing_mode {
        // The umask applied at creation; restore the exact bits the old file had.
        temp.as_file()
            .set_permissions(Permissions::from_mode(mode))?;
    }
    let mut out = io::BufWriter::new(temp.as_file_mut());
    fill(&mut out)?;
    out.flush()?;
    drop(out);
    temp.as_file().sync_data()?;
    temp.persist(path).map_err(|e| e.error)?;
    sync_dir(&dir)
}

/// Flushes a directory's entries (new names, renames) to disk.
///
/// # Errors
/// Any I/O error from opening or syncing the directory.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Appends one complete line with a single `write` on an `O_APPEND` descriptor, then fsyncs,
/// as agentpair's `jsonl.AppendOne` does; on local file systems concurrent appenders never
/// interleave inside a line. The file is created with `mode` (minus the umask) if missing.
/// A symbolic link at `path` is never followed (`O_NOFOLLOW`): appending is refused.
///
/// # Errors
/// Any I/O error; a short write is reported as an error; a symbolic link at `path` is an
/// error that says so (rather than the bare "too many levels of symbolic links").
pub fn append_durably(path: &Path, line: &[u8], mode: u32) -> io::Result<()> {
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(mode)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| explain_symlink(path, e))?;
    let written = file.write(line)?;
    if written != line.len() {
        // Finish the line rather than leave a fragment; the reader holds back partial lines.
        file.write_all(&line[written..])?;
    }
    file.sync_data()
}

/// Checks, before a multi-step change, that a file about to be appended to is not a symbolic
/// link (which [`append_durably`] would refuse), so the change can be refused up front instead
/// of half done.
///
/// # Errors
/// An error saying that `path` is a symbolic link, and to where.
pub fn refuse_symlink(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(symlink_error(path)),
        _ => Ok(()),
    }
}

fn symlink_error(path: &Path) -> io::Error {
    let target = fs::read_link(path).unwrap_or_default();
    io::Error::other(format!(
        "is a symbolic link (to {}); refusing to write through it",
        target.display()
    ))
}

/// `O_NOFOLLOW` fails with `ELOOP`, whose text ("too many levels of symbolic links") does not
/// say what happened; say it.
fn explain_symlink(path: &Path, e: io::Error) -> io::Error {
    if e.raw_os_error() == Some(libc::ELOOP) && refuse_symlink(path).is_err() {
        symlink_error(path)
    } else {
        e
    }
}

/// Removes temp files that an interrupted write of `path` left behind (`.<name>.*.tmp`).
/// Callers must hold the lock that serialises writers of `path`, so no live writer owns them.
/// Returns how many were removed.
pub fn remove_stale_temps(path: &Path) -> usize {
    let dir = parent_dir(path);
    let prefix = temp_prefix(path);
    let Ok(entries) = fs::read_dir(&dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix)
            && name.ends_with(".tmp")
            && entry.file_type().is_ok_and(|t| t.is_file())
            && fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_keeps_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        write_atomic(&path, b"one", 0o600).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"one");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        fs::set_permissions(&path, Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"two", 0o600).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[test]
    fn replaces_a_symlink_instead_of_following_it() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        fs::write(&outside, b"keep").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        write_atomic(&link, b"new", 0o644).unwrap();
        assert_eq!(fs::read(&outside).unwrap(), b"keep");
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_file());
    }

    #[test]
    fn appends_whole_lines_and_cleans_temps() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        append_durably(&path, b"{}\n", 0o644).unwrap();
        append_durably(&path, b"{\"a\":1}\n", 0o644).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"{}\n{\"a\":1}\n");
        fs::write(dir.path().join(".t.jsonl.abc.tmp"), b"x").unwrap();
        assert_eq!(remove_stale_temps(&path), 1);
    }
}
