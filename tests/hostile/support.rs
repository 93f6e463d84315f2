//! Helpers of the hostile-input tests: a snapshot of a whole data tree (to prove that reading
//! changes nothing on disk), the real binary run with private roots and an empty `HOME`, and
//! the same binary run as an unprivileged user (so `chmod 000` means something under root).

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// One entry of a tree, as found without following symbolic links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A directory and its permission bits.
    Dir(u32),
    /// A regular file, its permission bits and its bytes (or why they could not be read).
    File(u32, Result<Vec<u8>, String>),
    /// A symbolic link and where it points.
    Link(PathBuf),
    /// Anything else (fifo, socket, device) and its mode.
    Other(u32),
}

/// Every path under a root with its type, mode and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot(pub BTreeMap<PathBuf, Node>);

impl Snapshot {
    /// Walks `root` (which itself is included) without following symbolic links.
    pub fn take(root: &Path) -> Snapshot {
        let mut nodes = BTreeMap::new();
        walk(root, &mut nodes);
        Snapshot(nodes)
    }

    /// Panics with the list of paths that were added, removed or changed since `self`.
    pub fn assert_same(&self, after: &Snapshot, what: &str) {
        let mut diffs = Vec::new();
        for (path, node) in &self.0 {
            match after.0.get(path) {
                None => diffs.push(format!("removed {}", path.display())),
                Some(n) if n != node => {
                    diffs.push(format!("changed {}: {}", path.display(), describe(node, n)));
                }
                Some(_) => {}
            }
        }
        for path in after.0.keys().filter(|p| !self.0.contains_key(*p)) {
            diffs.push(format!("added {}", path.display()));
        }
        assert!(
            diffs.is_empty(),
            "{what} changed the disk:\n{}",
            diffs.join("\n")
        );
    }
}

fn describe(before: &Node, after: &Node) -> String {
    let short = |n: &Node| match n {
        Node::Dir(m) => format!("dir {m:o}"),
        Node::File(m, Ok(b)) => format!("file {m:o}, {} bytes", b.len()),
        Node::File(m, Err(e)) => format!("file {m:o}, unreadable ({e})"),
        Node::Link(t) => format!("link to {}", t.display()),
        Node::Other(m) => format!("other {m:o}"),
    };
    format!("{} -> {}", short(before), short(after))
}

fn walk(path: &Path, nodes: &mut BTreeMap<PathBuf, Node>) {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return;
    };
    let mode = meta.mode() & 0o7777;
    let kind = meta.file_type();
    let node = if kind.is_symlink() {
        Node::Link(fs::read_link(path).unwrap_or_default())
    } else if kind.is_dir() {
        let mut children: Vec<PathBuf> = fs::read_dir(path)
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        children.sort();
        for child in children {
            walk(&child, nodes);
        }
        Node::Dir(mode)
    } else if kind.is_file() {
        Node::File(mode, fs::read(path).map_err(|e| e.to_string()))
    } else {
        Node::Other(mode)
    };
    nodes.insert(path.to_path_buf(), node);
}

/// What a run of the binary printed, and how it ended.
#[derive(Debug)]
pub struct Output {
    /// The exit code (a signal death is a test failure).
    pub code: i32,
    /// Standard output, lossily decoded.
    pub out: String,
    /// Standard error, lossily decoded.
    pub err: String,
}

/// A private `HOME` (empty, so no config file is found) for the binary.
pub fn empty_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    open_up(home.path());
    home
}

/// `assign <session> b --title t --pane 1 --agent-type claude`: the simplest change to ask of
/// a store.
pub fn assign_args(session: &str) -> [&str; 9] {
    [
        "assign",
        session,
        "b",
        "--title",
        "t",
        "--pane",
        "1",
        "--agent-type",
        "claude",
    ]
}

/// The binary with explicit roots, a clean environment and `home` as `HOME`.
pub fn command(agentpair: &Path, ntm: &Path, home: &Path) -> Command {
    let mut cmd = crate::common::beadboard(home);
    cmd.arg("--agentpair-dir")
        .arg(agentpair)
        .arg("--ntm-dir")
        .arg(ntm);
    cmd
}

/// The exit code of an error: a file unreadable, broken or refused (`beadboard::cli::exit`).
pub const FAILED: i32 = beadboard::cli::exit::FAILED as i32;

/// Runs the binary and checks it did not panic (Rust's panic exit code is 101).
pub fn run(mut cmd: Command) -> Output {
    let output = cmd.output().unwrap();
    let result = Output {
        code: output.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&output.stdout).into_owned(),
        err: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        result.code != 101 && !result.err.contains("panicked"),
        "the binary panicked: {result:?}"
    );
    assert!(result.code >= 0, "the binary was killed: {result:?}");
    result
}

/// `beadboard <args>` on these roots.
pub fn cli(agentpair: &Path, ntm: &Path, home: &Path, args: &[&str]) -> Output {
    let mut cmd = command(agentpair, ntm, home);
    cmd.args(args);
    run(cmd)
}

/// True when this process runs with uid 0. (`libc::geteuid` would need `unsafe`, which the
/// crate forbids; a new file is owned by the effective user, which tells the same.)
pub fn is_root() -> bool {
    let probe = tempfile::NamedTempFile::new().unwrap();
    fs::metadata(probe.path()).unwrap().uid() == 0
}

/// How to run the binary so that permission bits apply.
#[derive(Debug, Clone)]
pub enum Unprivileged {
    /// We are not root: run it directly.
    Direct,
    /// We are root: run it as nobody through this `setpriv`.
    Setpriv(PathBuf),
}

/// The way to run the binary unprivileged, or why there is none (then the caller skips).
pub fn unprivileged() -> Result<Unprivileged, String> {
    static FOUND: OnceLock<Result<Unprivileged, String>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            if !is_root() {
                return Ok(Unprivileged::Direct);
            }
            let setpriv = std::env::var_os("PATH")
                .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
                .unwrap_or_default()
                .into_iter()
                .chain([PathBuf::from("/usr/bin"), PathBuf::from("/bin")])
                .map(|d| d.join("setpriv"))
                .find(|p| p.is_file())
                .ok_or("running as root and setpriv is not installed")?;
            let probe = Command::new(&setpriv)
                .args(NOBODY)
                .arg(env!("CARGO_BIN_EXE_beadboard"))
                .arg("--version")
                .output()
                .map_err(|e| format!("cannot run {}: {e}", setpriv.display()))?;
            if !probe.status.success() {
                return Err(format!(
                    "nobody cannot run the binary through setpriv: {}",
                    String::from_utf8_lossy(&probe.stderr)
                ));
            }
            Ok(Unprivileged::Setpriv(setpriv))
        })
        .clone()
}

const NOBODY: [&str; 3] = ["--reuid=65534", "--regid=65534", "--clear-groups"];

/// `beadboard <args>` on these roots, run so that permission bits apply.
pub fn cli_unprivileged(
    how: &Unprivileged,
    agentpair: &Path,
    ntm: &Path,
    home: &Path,
    args: &[&str],
) -> Output {
    let plain = command(agentpair, ntm, home);
    let mut cmd = match how {
        Unprivileged::Direct => plain,
        Unprivileged::Setpriv(setpriv) => {
            let mut cmd = Command::new(setpriv);
            cmd.args(NOBODY)
                .arg(plain.get_program())
                .args(plain.get_args());
            cmd.env_clear();
            for (k, v) in plain.get_envs() {
                if let Some(v) = v {
                    cmd.env(k, v);
                }
            }
            cmd
        }
    };
    cmd.args(args);
    run(cmd)
}

/// Makes every directory under `root` 0755 and every regular file 0644, so another user can
/// read the tree (temp dirs are 0700, manifests 0600); symbolic links are left alone.
pub fn open_up(root: &Path) {
    let Ok(meta) = fs::symlink_metadata(root) else {
        return;
    };
    if meta.is_dir() {
        fs::set_permissions(root, fs::Permissions::from_mode(0o755)).unwrap();
        for entry in fs::read_dir(root).unwrap().flatten() {
            open_up(&entry.path());
        }
    } else if meta.is_file() {
        fs::set_permissions(root, fs::Permissions::from_mode(0o644)).unwrap();
    }
}

/// A string of nested arrays `[[[…` this deep (never closed: the depth is the point).
pub fn deep_arrays(depth: usize) -> Vec<u8> {
    vec![b'['; depth]
}

/// `{"a":{"a":…` this deep.
pub fn deep_objects(depth: usize) -> Vec<u8> {
    b"{\"a\":".repeat(depth)
}

/// Asserts that `text` mentions `path` and every one of `causes`.
pub fn assert_names(text: &str, path: &Path, causes: &[&str]) {
    assert!(
        text.contains(&path.display().to_string()),
        "{} is not named in:\n{text}",
        path.display()
    );
    for cause in causes {
        assert!(text.contains(cause), "{cause:?} is not in:\n{text}");
    }
}
