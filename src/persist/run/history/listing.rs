//! Listing an agentpair root on every core: each repo directory is opened once, its run
//! directories read with `getdents`, and each `manifest.json` stat'ed (`statx`) relative to
//! it. That is Linux's way; elsewhere (and on Linux with the `portable` feature, so the tests
//! run it here too) the same listing is made with `std::fs::read_dir` and `metadata`.

use super::super::cache::FileStamp;
use super::super::scan::subdirectories;
use super::super::{MANIFEST_FILE, RunError};
use crate::persist::parallel;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A run directory and its manifest's identity.
pub(super) struct Found {
    pub dir: PathBuf,
    /// Shared by the runs of one repo.
    pub repo_key: Arc<str>,
    pub run_key: String,
    pub stamp: FileStamp,
}

/// Every `runs/<repo>/<run>/` with a manifest, listed repo by repo on `threads` threads.
pub(super) fn find_runs(
    runs_dir: &Path,
    threads: usize,
    problems: &mut Vec<RunError>,
) -> Vec<Found> {
    visit_runs(runs_dir, threads, problems, Some).0
}

/// What `keep` makes of every `runs/<repo>/<run>/` with a manifest (`None`: nothing kept),
/// listed repo by repo on `threads` threads: a check that keeps little holds little. Also the
/// run directories that have no manifest yet (being made).
pub(super) fn visit_runs<R: Send>(
    runs_dir: &Path,
    threads: usize,
    problems: &mut Vec<RunError>,
    keep: impl Fn(Found) -> Option<R> + Sync,
) -> (Vec<R>, Vec<PathBuf>) {
    let repos = subdirectories(runs_dir, problems);
    let listed = parallel::map(&repos, threads, |repo_dir| list_repo(repo_dir, &keep));
    let (mut all, mut unborn) = (Vec::new(), Vec::new());
    for (found, mut p, mut u) in listed {
        all.extend(found);
        problems.append(&mut p);
        unborn.append(&mut u);
    }
    (all, unborn)
}

/// The runs of one repo directory: each subdirectory (symbolic links are not followed) whose
/// `manifest.json` exists, with that file's identity, stat'ed relative to the repo directory;
/// each as `keep` makes it.
#[cfg(all(target_os = "linux", not(feature = "portable")))]
fn list_repo<R>(
    repo_dir: &Path,
    keep: &impl Fn(Found) -> Option<R>,
) -> (Vec<R>, Vec<RunError>, Vec<PathBuf>) {
    use rustix::fs::{AtFlags, FileType, Mode, OFlags, StatxFlags};
    let io_problem = |path: PathBuf, e: rustix::io::Errno| RunError::Io {
        path,
        source: e.into(),
    };
    let fd = match rustix::fs::open(
        repo_dir,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    ) {
        Ok(fd) => fd,
        Err(rustix::io::Errno::NOENT) => return (Vec::new(), Vec::new(), Vec::new()),
        Err(e) => {
            let problem = io_problem(repo_dir.to_path_buf(), e);
            return (Vec::new(), vec![problem], Vec::new());
        }
    };
    let mut dir = match rustix::fs::Dir::read_from(&fd) {
        Ok(dir) => dir,
        Err(e) => {
            let problem = io_problem(repo_dir.to_path_buf(), e);
            return (Vec::new(), vec![problem], Vec::new());
        }
    };
    let repo_key = file_name(repo_dir);
    let (mut found, mut problems, mut unborn) = (Vec::new(), Vec::new(), Vec::new());
    let mask = StatxFlags::INO | StatxFlags::SIZE | StatxFlags::MTIME | StatxFlags::CTIME;
    while let Some(entry) = dir.read() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                problems.push(io_problem(repo_dir.to_path_buf(), e));
                break;
            }
        };
        let name = entry.file_name().to_bytes();
        if name == b"." || name == b".." {
            continue;
        }
        let is_dir = match entry.file_type() {
            FileType::Directory => true,
            FileType::Unknown => rustix::fs::statat(&fd, name, AtFlags::SYMLINK_NOFOLLOW)
                .is_ok_and(|st| FileType::from_raw_mode(st.st_mode) == FileType::Directory),
            _ => false,
        };
        if !is_dir {
            continue;
        }
        let run_key = String::from_utf8_lossy(name).into_owned();
        let dir_path = run_dir(
            repo_dir,
            <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(name),
        );
        let manifest: Vec<u8> = [name, b"/", MANIFEST_FILE.as_bytes()].concat();
        match rustix::fs::statx(&fd, manifest.as_slice(), AtFlags::empty(), mask) {
            Ok(st) => found.extend(keep(Found {
                repo_key: Arc::clone(&repo_key),
                run_key,
                stamp: FileStamp::of_statx(&st),
                dir: dir_path,
            })),
            // A run directory being created has no manifest yet.
            Err(rustix::io::Errno::NOENT) => unborn.push(dir_path),
            Err(e) => problems.push(io_problem(dir_path.join(MANIFEST_FILE), e)),
        }
    }
    (found, problems, unborn)
}

/// The runs of one repo directory, as the Linux [`list_repo`] finds them, through `std::fs`.
#[cfg(any(not(target_os = "linux"), feature = "portable"))]
fn list_repo<R>(
    repo_dir: &Path,
    keep: &impl Fn(Found) -> Option<R>,
) -> (Vec<R>, Vec<RunError>, Vec<PathBuf>) {
    let io_problem = |path: PathBuf, source: std::io::Error| RunError::Io { path, source };
    let entries = match std::fs::read_dir(repo_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return (Vec::new(), Vec::new(), Vec::new());
        }
        Err(e) => {
            return (
                Vec::new(),
                vec![io_problem(repo_dir.to_path_buf(), e)],
                Vec::new(),
            );
        }
    };
    let repo_key = file_name(repo_dir);
    let (mut found, mut problems, mut unborn) = (Vec::new(), Vec::new(), Vec::new());
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                problems.push(io_problem(repo_dir.to_path_buf(), e));
                break;
            }
        };
        // The entry's own type: a symbolic link is not followed.
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let dir_path = run_dir(repo_dir, &entry.file_name());
        let manifest = dir_path.join(MANIFEST_FILE);
        match std::fs::metadata(&manifest) {
            Ok(meta) => found.extend(keep(Found {
                repo_key: Arc::clone(&repo_key),
                run_key: entry.file_name().to_string_lossy().into_owned(),
                stamp: FileStamp::of(&meta),
                dir: dir_path,
            })),
            // A run directory being created has no manifest yet.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => unborn.push(dir_path),
            Err(e) => problems.push(io_problem(manifest, e)),
        }
    }
    (found, problems, unborn)
}

/// `repo_dir/name` with no room to spare: it lives as long as its run is listed, and
/// `Path::join` leaves up to its length again unused (1 MB over the year's 20,000 runs, by
/// heaptrack; issue 18 in BENCHMARKS.md).
fn run_dir(repo_dir: &Path, name: &std::ffi::OsStr) -> PathBuf {
    let mut dir = PathBuf::with_capacity(repo_dir.as_os_str().len() + 1 + name.len());
    dir.push(repo_dir);
    dir.push(name);
    dir
}

fn file_name(p: &Path) -> Arc<str> {
    p.file_name()
        .map(|n| n.to_string_lossy().into())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn a_run_directory_is_the_join_with_no_room_to_spare() {
        let repo = Path::new("/home/me/.agentpair/runs/0123456789abcdef");
        let dir = super::run_dir(repo, std::ffi::OsStr::new("1742"));
        assert_eq!(dir, repo.join("1742"));
        assert_eq!(dir.capacity(), dir.as_os_str().len());
    }
}
