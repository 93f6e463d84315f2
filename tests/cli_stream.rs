//! `beadboard transcript` streams: `-n N` is the last N entries, found from the end; `--follow`
//! starts with the last 10; and a large transcript is printed, as text and as a JSON array, in
//! memory that does not grow with it: the peak RSS (VmHWM) of the process stays under a bound
//! far below the file's size. The peak is read from /proc while the process is still writing
//! (it cannot end while its last megabytes of output are unread), and `-n 3` is shown to read
//! only the file's end by its read byte count (/proc/PID/io), not by a clock.
//!
//! The 1 GiB run (`#[ignore]`, run by scripts/bench-transcript-cli.sh in release) makes the
//! same checks at that size; BENCHMARKS.md records its figures.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::run::{Manager, Paths, RunConfig, repo_id_from_path};
use serde_json::Value;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The peak memory a transcript of any size may take to print: under the issue's 128 MiB, and
/// under the 64 MiB file of the normal suite, so that holding the file would fail.
const MEMORY_BOUND_MIB: u64 = 48;
/// Entries after the near-the-end marker: their output (over 1 MiB) cannot fit in the pipe and
/// the process's buffer, so the process is alive, still writing, when the marker is read.
const AFTER_MARKER: usize = 2_000;
const MARKER: &str = "NEAR-THE-END-MARKER";
const LAST: &str = "THE-LAST-ENTRY";

/// An agentpair run in its own root, and a private HOME.
struct Run {
    home: tempfile::TempDir,
    root: PathBuf,
    transcript: PathBuf,
    reference: String,
}

impl Run {
    /// A new run under `root` (a fresh directory when `None`).
    fn new(root: Option<&Path>) -> Run {
        let home = tempfile::tempdir().unwrap();
        let root = root.map_or_else(|| home.path().join("ap"), Path::to_path_buf);
        let run = Manager::new(Paths::new(&root), "/repo")
            .create("a long run", &RunConfig::default())
            .unwrap();
        Run {
            transcript: run.transcript.path().to_path_buf(),
            reference: format!("{}/{}", repo_id_from_path("/repo"), run.manifest.id),
            root,
            home,
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = common::beadboard(self.home.path());
        cmd.env("BEADBOARD_AGENTPAIR_DIR", &self.root)
            .env("BEADBOARD_NTM_DIR", self.home.path().join("ntm"))
            .current_dir(self.home.path())
            .arg("transcript")
            .arg(&self.reference)
            .args(args);
        cmd
    }

    fn json(&self, args: &[&str]) -> Vec<Value> {
        json_of(self.command(&[&["--json"], args].concat()))
    }
}

/// The JSON a successful command prints.
fn json_of(mut cmd: Command) -> Vec<Value> {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// One result entry of about `size` bytes on disk: a numbered first line, then filler lines.
fn entry_line(i: usize, size: usize, first: &str) -> String {
    let head = format!(
        r#"{{"type":"result","timestamp":"2026-11-22T10:00:00.000000000Z","run_id":1,"iteration":{i},"agent":"codex","content":"{first} {i}"#
    );
    let tail = r#"","duration":1500000000}"#;
    let mut line = head;
    let filler = "\\nthe agent explains what it changed and why, at some length";
    while line.len() + filler.len() + tail.len() < size {
        line.push_str(filler);
    }
    line.push_str(tail);
    line.push('\n');
    line
}

/// Appends `count` entries of about `size` bytes; the one `AFTER_MARKER` from the end says
/// [`MARKER`], the last says [`LAST`].
fn write_entries(path: &Path, count: usize, size: usize) {
    let file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .unwrap();
    let mut w = BufWriter::with_capacity(1 << 20, file);
    for i in 1..=count {
        let first = match count - i {
            0 => LAST,
            n if n == AFTER_MARKER => MARKER,
            _ => "entry",
        };
        w.write_all(entry_line(i, size, first).as_bytes()).unwrap();
    }
    w.flush().unwrap();
}

/// Writes `mib` MiB (or a little more) of entries of about 4 KiB.
fn write_mib(path: &Path, mib: usize) {
    let size = entry_line(1, 4096, "entry").len();
    write_entries(path, (mib << 20) / size + 1, 4096);
}

/// Reads the child's stdout until `marker` has come, then its peak RSS in KiB (VmHWM); then
/// the rest. Returns the peak and the output's size.
fn peak_while_writing(mut child: Child, marker: &str) -> (u64, u64) {
    let mut out = child.stdout.take().unwrap();
    let mut buf = vec![0u8; 1 << 16];
    let mut seen: Vec<u8> = Vec::new();
    let mut total = 0u64;
    loop {
        let n = out.read(&mut buf).unwrap();
        assert!(n > 0, "the output ended before {marker}");
        total += n as u64;
        seen.extend_from_slice(&buf[..n]);
        if seen.windows(marker.len()).any(|w| w == marker.as_bytes()) {
            break;
        }
        let keep = seen.len().min(marker.len());
        seen.drain(..seen.len() - keep);
    }
    // Still running: over a megabyte of its output is unread.
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let peak = proc_field(&status, "VmHWM:");
    total += std::io::copy(&mut out, &mut std::io::sink()).unwrap();
    let end = child.wait_with_output().unwrap();
    assert!(
        end.status.success(),
        "{}",
        String::from_utf8_lossy(&end.stderr)
    );
    (peak, total)
}

/// A `Name:   value kB` (or `name: value`) field of a /proc file.
fn proc_field(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {text}"))
}

/// `transcript --follow -n 3`: the last three entries, then (waiting) how many bytes it read.
fn bytes_read_for_the_last_three(run: &Run) -> u64 {
    let mut child = run
        .command(&["--follow", "--json", "-n", "3"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let shown: Vec<Value> = (0..3)
        .map(|_| serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap())
        .collect();
    assert!(shown[2]["content"].as_str().unwrap().starts_with(LAST));
    let io = std::fs::read_to_string(format!("/proc/{}/io", child.id())).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    proc_field(&io, "rchar:")
}

/// Text, JSON and `-n 3` of a transcript of `mib` MiB, checked against the bounds.
fn check_large(run: &Run, mib: u64) {
    let size = std::fs::metadata(&run.transcript).unwrap().len();
    assert!(size >= mib << 20);
    for args in [&[][..], &["--json"]] {
        let child = run.command(args).stdout(Stdio::piped()).spawn().unwrap();
        let (peak_kib, printed) = peak_while_writing(child, MARKER);
        eprintln!(
            "transcript {args:?} of {} MiB: peak RSS {} MiB, {} MiB printed",
            size >> 20,
            peak_kib >> 10,
            printed >> 20
        );
        assert!(printed > size / 2, "everything is printed");
        assert!(
            peak_kib < MEMORY_BOUND_MIB << 10,
            "{args:?}: peak {peak_kib} KiB for a file of {size} bytes"
        );
    }
    // The last entries come from a read of the end: a few windows, not the file.
    let read = bytes_read_for_the_last_three(run);
    eprintln!("transcript -n 3 read {} KiB", read >> 10);
    assert!(read < 16 << 20, "read {read} bytes of {size}");
}

#[test]
fn a_large_transcript_streams_in_bounded_memory() {
    let run = Run::new(None);
    // 64 MiB of 4 KiB entries: memory that grew with the file would pass the bound.
    write_mib(&run.transcript, 64);
    check_large(&run, 64);
}

/// The 1 GiB run: generated in `BEADBOARD_BENCH_DIR` (kept for the script's baselines), or in
/// a temporary directory.
#[test]
#[ignore = "1 GiB on disk; scripts/bench-transcript-cli.sh runs it in release"]
fn a_1_gib_transcript_streams_in_bounded_memory() {
    let dir = std::env::var_os("BEADBOARD_BENCH_DIR").map(PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let root = dir.unwrap_or_else(|| temp.path().to_path_buf()).join("ap");
    let _ = std::fs::remove_dir_all(&root);
    let run = Run::new(Some(&root));
    write_mib(&run.transcript, 1024);
    println!("{}", run.transcript.display());
    println!("{}", run.reference);
    check_large(&run, 1024);
}

#[test]
fn the_last_n_entries_are_the_end_of_the_whole() {
    let run = Run::new(None);
    write_entries(&run.transcript, 30, 300);
    let all = run.json(&[]);
    assert_eq!(all.len(), 30);
    for n in [0, 1, 3, 29, 30, 31, 1000] {
        let last = run.json(&["-n", &n.to_string()]);
        assert_eq!(last, all[all.len().saturating_sub(n)..], "-n {n}");
    }
    // Text: the header, then the same entries as at the end of the whole.
    let text = |args: &[&str]| {
        let out = run.command(args).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let whole = text(&[]);
    let three = text(&["-n", "3"]);
    let (head, entries) = three.split_once("\n\n").unwrap();
    assert!(head.starts_with("run repo #1 · "), "{three}");
    assert!(whole.ends_with(entries), "{three}");
    assert_eq!(entries.lines().filter(|l| l.contains("codex")).count(), 3);
    // An unreadable line counts as one, in its place (its number unknown from the end).
    std::fs::OpenOptions::new()
        .append(true)
        .open(&run.transcript)
        .unwrap()
        .write_all(b"{ not json\n")
        .unwrap();
    let two = text(&["-n", "2"]);
    assert!(
        two.contains("⚠ byte ") && two.contains(" unreadable: "),
        "{two}"
    );
    assert!(two.contains(&format!("{LAST} 30")), "{two}");
}

#[test]
fn a_session_line_with_several_entries_is_counted_entry_by_entry() {
    let setup = common::cli::Setup::new();
    let json = |args: &[&str]| {
        json_of(setup.command(&[&["transcript", "webapp claude 88a8d7", "--json"], args].concat()))
    };
    let all = json(&[]);
    assert!(all.len() > 10);
    // Some line of the session holds more than one entry; wherever -n starts, it is exact.
    for n in 0..=all.len() + 1 {
        let last = json(&["-n", &n.to_string()]);
        assert_eq!(last.len(), n.min(all.len()), "-n {n}");
        // Results named after calls made before the start are not named (the call is not read).
        let strip = |v: &Value| {
            let mut v = v.clone();
            v["tool"] = Value::Null;
            v
        };
        assert!(
            last.iter()
                .map(strip)
                .eq(all[all.len() - last.len()..].iter().map(strip)),
            "-n {n}"
        );
    }
}

#[test]
fn follow_starts_with_the_last_ten_unless_told() {
    let run = Run::new(None);
    write_entries(&run.transcript, 25, 300);
    // (Each case shows something before the append, so the append comes after its start.)
    for (args, first) in [(&[][..], 16), (&["-n", "2"][..], 24)] {
        let mut child = run
            .command(&[&["--follow", "--json"], args].concat())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut next =
            || -> Value { serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap() };
        for i in first..=25 {
            assert_eq!(next()["iteration"], i, "{args:?}");
        }
        // Then what is appended.
        let appended = std::fs::OpenOptions::new()
            .append(true)
            .open(&run.transcript)
            .unwrap()
            .write_all(entry_line(26, 300, "appended").as_bytes());
        appended.unwrap();
        assert_eq!(next()["iteration"], 26, "{args:?}");
        child.kill().unwrap();
        child.wait().unwrap();
        // Back to 25 entries for the next case.
        let text = std::fs::read_to_string(&run.transcript).unwrap();
        let kept: String = text.lines().take(25).map(|l| format!("{l}\n")).collect();
        std::fs::write(&run.transcript, kept).unwrap();
    }
}
