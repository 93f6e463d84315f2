//! The process readings: this process and its children as the system shows them, and `ps`/`lsof` output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

#[test]
fn this_process_is_alive_and_its_start_matches() {
    let me = std::process::id();
    assert!(pid_alive(me));
    assert!(!pid_alive(0));
    if let Some(start) = process_start(me) {
        assert_eq!(same_process(me, &start.to_string()), Some(true));
        assert_eq!(same_process(me, &(start + 1).to_string()), Some(false));
    }
}

#[test]
fn a_child_is_alive_until_it_is_reaped() {
    let mut child = std::process::Command::new("cat")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    assert!(pid_alive(pid));
    drop(child.stdin.take());
    child.wait().unwrap();
    // Linux hands out pids in increasing order, so this one is not reused at once.
    assert!(!pid_alive(pid));
}

#[test]
fn stat_lines_are_read_after_the_command_name() {
    // A command name with spaces and parentheses, as `(a) b)` can be.
    let stat =
        "4242 ((a) b)) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10";
    assert_eq!(stat_fields(stat), Some((17, 987_654)));
    assert_eq!(stat_fields("4242 (x) S"), None);
    assert_eq!(stat_fields("no parenthesis"), None);
}

fn row(pid: u32, ppid: u32) -> ProcessRow {
    ProcessRow {
        pid,
        ppid,
        argv: Some(vec![format!("p{pid}")]),
        ..ProcessRow::default()
    }
}

#[test]
fn a_tree_is_walked_breadth_first_within_its_bounds() {
    // 1 ─┬─ 3 ── 5 ── 7
    //    └─ 2 ─┬─ 4
    //          └─ 6
    let table = ProcessTable::new(vec![
        row(1, 0),
        row(3, 1),
        row(2, 1),
        row(5, 3),
        row(4, 2),
        row(6, 2),
        row(7, 5),
        row(9, 8),
    ]);
    assert_eq!(table.len(), 8);
    let all = TreeLimits::default();
    assert_eq!(table.descendants(1, all), [1, 2, 3, 4, 6, 5, 7]);
    assert_eq!(table.descendants(2, all), [2, 4, 6]);
    assert!(table.descendants(42, all).is_empty(), "not running");
    let shallow = TreeLimits { depth: 1, ..all };
    assert_eq!(table.descendants(1, shallow), [1, 2, 3]);
    let narrow = TreeLimits { fan_out: 1, ..all };
    assert_eq!(table.descendants(1, narrow), [1, 2, 4]);
    let small = TreeLimits { nodes: 4, ..all };
    assert_eq!(table.descendants(1, small), [1, 2, 3, 4]);
    let tree = table.tree(1, shallow);
    assert_eq!(tree.len(), 3);
    assert_eq!((tree[1].pid, tree[1].ppid), (2, 1));
    assert_eq!(tree[1].argv, ["p2"]);
}

#[test]
fn a_cycle_of_parents_ends() {
    // A pid that names itself as parent (pid 0/1 on some systems) is no child of its own.
    let table = ProcessTable::new(vec![row(1, 1), row(2, 1)]);
    assert_eq!(table.descendants(1, TreeLimits::default()), [1, 2]);
}

#[test]
fn this_process_tree_names_its_child_with_its_command_line_cwd_and_files() {
    use std::io::{BufRead, Write};
    // The kernel's own stamps of files made just before and just after the child, in place
    // of reading the clock: its start time must fall between them.
    let dir = tempfile::tempdir().unwrap();
    let stamp = |name: &str| -> DateTime<Utc> {
        let path = dir.path().join(name);
        std::fs::write(&path, name).unwrap();
        std::fs::metadata(&path).unwrap().modified().unwrap().into()
    };
    let before = stamp("before");
    let mut child = std::process::Command::new("cat")
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Until `cat` has run, the forked child still carries this test's command line: wait for
    // it to echo a line back, which only the exec'd `cat` can do.
    let mut input = child.stdin.take().unwrap();
    writeln!(input, "up").unwrap();
    let mut echoed = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut echoed)
        .unwrap();
    assert_eq!(echoed, "up\n");
    let after = stamp("after");
    let me = std::process::id();
    let table = ProcessTable::read().unwrap();
    let tree = table.tree(me, TreeLimits::default());
    let cat = tree
        .iter()
        .find(|p| p.pid == child.id())
        .expect("the child");
    assert_eq!(cat.ppid, me);
    assert!(cat.argv.last().is_some_and(|w| w == "-"), "{:?}", cat.argv);
    let started = cat.started_at.expect("a start time");
    // A start time is counted in clock ticks (10 ms) from boot: a second either side.
    let slack = chrono::Duration::seconds(1);
    assert!(
        started > before - slack && started < after + slack,
        "{before} < {started} < {after}"
    );
    assert_eq!(
        cwd(me).map(|p| p.canonicalize().unwrap()),
        Some(std::env::current_dir().unwrap().canonicalize().unwrap())
    );
    let path = dir.path().join("held.jsonl");
    let _held = std::fs::File::create(&path).unwrap();
    let files = open_files(me);
    let want = path.canonicalize().unwrap();
    assert!(
        files
            .iter()
            .any(|f| f.canonicalize().is_ok_and(|f| f == want)),
        "{files:?}"
    );
    drop(input);
    child.wait().unwrap();
}

#[cfg(any(not(target_os = "linux"), feature = "portable"))]
#[test]
fn ps_and_lsof_output_is_read() {
    let row = portable::parse_line(
        "  812     1 Thu Aug 20 14:00:03 2026 node /usr/bin/claude --resume abc",
    )
    .unwrap();
    assert_eq!((row.pid, row.ppid), (812, 1));
    assert_eq!(
        row.argv.unwrap(),
        ["node", "/usr/bin/claude", "--resume", "abc"]
    );
    let local = |text: &str| {
        let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap();
        chrono::TimeZone::from_local_datetime(&chrono::Local, &naive)
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    };
    assert_eq!(row.started_at, Some(local("2026-08-20 14:00:03")));
    // A day of one digit is padded with a space.
    let row = portable::parse_line("  9  812 Sat Aug  1 09:05:00 2026 codex").unwrap();
    assert_eq!(row.started_at, Some(local("2026-08-01 09:05:00")));
    assert_eq!(row.argv.unwrap(), ["codex"]);
    let lsof = "p812\nfcwd\nn/home/dev/app\nf3\nn/home/dev/.codex/sessions/r.jsonl\nf4\nnpipe\n";
    let names = portable::lsof_names(lsof, |fd| fd.parse::<u32>().is_ok());
    assert_eq!(
        names,
        [(
            "3".to_owned(),
            PathBuf::from("/home/dev/.codex/sessions/r.jsonl")
        )]
    );
}
