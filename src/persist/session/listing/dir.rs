//! One directory read with `getdents`, and the files a listing wants stat'ed relative to it
//! (`statx` on the directory's descriptor): no path walk per file, no file opened. Elsewhere (and
//! with the `portable` feature) the same through `std::fs`.

use super::SessionFile;
use crate::persist::parallel;
use crate::persist::run::cache::FileStamp;
use std::path::{Path, PathBuf};

/// What a directory entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A directory (symbolic links are not followed to one).
    Dir,
    /// A file the caller asked about, with its identity (symbolic links followed).
    File(FileStamp),
    /// Anything else, or a file nobody asked about.
    Other,
}

/// One entry of a directory.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Its name.
    pub name: String,
    /// Its full path.
    pub path: PathBuf,
    /// What it is.
    pub kind: Kind,
}

/// A directory that could not be read, or a file that could not be stat'ed.
pub(crate) type Problem = (PathBuf, String);

/// The entries of `dir` (sorted by name): directories, and the files whose name `want`
/// accepts with their identity. A missing `dir` has none; an unreadable one is a problem.
#[cfg(all(target_os = "linux", not(feature = "portable")))]
pub(crate) fn read(dir: &Path, want: impl Fn(&str) -> bool) -> (Vec<Found>, Vec<Problem>) {
    use rustix::fs::{AtFlags, FileType, Mode, OFlags, StatxFlags};
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let mut problems = Vec::new();
    let fd = match rustix::fs::open(
        dir,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    ) {
        Ok(fd) => fd,
        Err(rustix::io::Errno::NOENT | rustix::io::Errno::NOTDIR) => {
            return (Vec::new(), problems);
        }
        Err(e) => {
            problems.push((dir.to_path_buf(), std::io::Error::from(e).to_string()));
            return (Vec::new(), problems);
        }
    };
    let mut entries = match rustix::fs::Dir::read_from(&fd) {
        Ok(d) => d,
        Err(e) => {
            problems.push((dir.to_path_buf(), std::io::Error::from(e).to_string()));
            return (Vec::new(), problems);
        }
    };
    let mask = StatxFlags::INO | StatxFlags::SIZE | StatxFlags::MTIME | StatxFlags::CTIME;
    let mut found = Vec::new();
    while let Some(entry) = entries.read() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push((dir.to_path_buf(), std::io::Error::from(e).to_string()));
                break;
            }
        };
        let raw = entry.file_name().to_bytes();
        if raw == b"." || raw == b".." {
            continue;
        }
        let path = dir.join(OsStr::from_bytes(raw));
        let name = String::from_utf8_lossy(raw).into_owned();
        let mut file_type = entry.file_type();
        if file_type == FileType::Unknown {
            file_type = rustix::fs::statat(&fd, raw, AtFlags::SYMLINK_NOFOLLOW)
                .map_or(FileType::Unknown, |st| FileType::from_raw_mode(st.st_mode));
        }
        let kind = match file_type {
            FileType::Directory => Kind::Dir,
            FileType::RegularFile | FileType::Symlink if want(&name) => {
                match rustix::fs::statx(&fd, raw, AtFlags::empty(), mask) {
                    Ok(st)
                        if FileType::from_raw_mode(st.stx_mode.into()) == FileType::RegularFile =>
                    {
                        Kind::File(FileStamp::of_statx(&st))
                    }
                    Ok(_) | Err(rustix::io::Errno::NOENT) => Kind::Other,
                    Err(e) => {
                        problems.push((path.clone(), std::io::Error::from(e).to_string()));
                        Kind::Other
                    }
                }
            }
            _ => Kind::Other,
        };
        found.push(Found { name, path, kind });
    }
    found.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    (found, problems)
}

/// The entries of `dir`, as the Linux [`read`] finds them, through `std::fs`.
#[cfg(any(not(target_os = "linux"), feature = "portable"))]
pub(crate) fn read(dir: &Path, want: impl Fn(&str) -> bool) -> (Vec<Found>, Vec<Problem>) {
    use std::io::ErrorKind;
    let mut problems = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
            return (Vec::new(), problems);
        }
        Err(e) => {
            problems.push((dir.to_path_buf(), e.to_string()));
            return (Vec::new(), problems);
        }
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push((dir.to_path_buf(), e.to_string()));
                break;
            }
        };
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        // The entry's own type: a symbolic link is not followed to a directory.
        let kind = match entry.file_type() {
            Ok(t) if t.is_dir() => Kind::Dir,
            Ok(t) if (t.is_file() || t.is_symlink()) && want(&name) => {
                match std::fs::metadata(&path) {
                    Ok(meta) if meta.is_file() => Kind::File(FileStamp::of(&meta)),
                    Ok(_) => Kind::Other,
                    Err(e) if e.kind() == ErrorKind::NotFound => Kind::Other,
                    Err(e) => {
                        problems.push((path.clone(), e.to_string()));
                        Kind::Other
                    }
                }
            }
            _ => Kind::Other,
        };
        found.push(Found { name, path, kind });
    }
    found.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    (found, problems)
}

/// The subdirectories among `found`.
pub(crate) fn dirs(found: &[Found]) -> impl Iterator<Item = &Found> {
    found.iter().filter(|f| f.kind == Kind::Dir)
}

/// The wanted files among `found`, with their identities.
pub(crate) fn files(found: &[Found]) -> impl Iterator<Item = (&Found, FileStamp)> {
    found.iter().filter_map(|f| match f.kind {
        Kind::File(stamp) => Some((f, stamp)),
        _ => None,
    })
}

/// The identity of the file at `path`, as a listing takes it (`None` when it is no file).
pub(crate) fn stamp(path: &Path) -> Option<FileStamp> {
    std::fs::metadata(path)
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map(|m| FileStamp::of(&m))
}

/// What `list` makes of each of `dirs`, on every core, put together in order.
pub(crate) fn each<T: Sync>(
    dirs: &[T],
    list: impl Fn(&T) -> (Vec<SessionFile>, Vec<Problem>) + Sync,
) -> (Vec<SessionFile>, Vec<Problem>) {
    let (mut sessions, mut problems) = (Vec::new(), Vec::new());
    for (mut s, mut p) in parallel::map(dirs, parallel::threads(), list) {
        sessions.append(&mut s);
        problems.append(&mut p);
    }
    (sessions, problems)
}
