//! Lending the terminal to a program in the foreground — the transcript in the user's pager
//! (`O`), a form field in the user's editor (Ctrl-O) — and taking it back. The event loop
//! closes the input gate (our reader stops reading), gives the terminal back, and a thread
//! runs the program and waits for it; the loop goes on taking messages (it draws nothing while
//! the terminal is lent) until that thread reports the program ended, then takes the terminal
//! back and redraws. A stop while lent ends the program too.

use super::gate::InputGate;
use crate::app::event::Msg;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// A program to lend the terminal to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Foreground {
    /// The transcript in `$PAGER` (default `less`) at its line (counted from `offset` when the
    /// line number is not known).
    Pager {
        /// The transcript.
        path: PathBuf,
        /// The line, when known.
        line: Option<u64>,
        /// The line's byte offset.
        offset: u64,
    },
    /// The focused form field's text in `$VISUAL`/`$EDITOR` (default `vi`).
    Editor {
        /// Which field.
        field: usize,
        /// Its text.
        text: String,
    },
}

/// How a lent terminal's program ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Returned {
    /// The pager ended (or why it could not run).
    Pager(Result<(), String>),
    /// The editor ended: the field's new text, or why there is none.
    Editor {
        /// Which field.
        field: usize,
        /// Its text as saved.
        result: Result<String, String>,
    },
}

/// The program the terminal is lent to, while it runs.
#[derive(Debug)]
pub struct Lent {
    pid: Arc<AtomicU32>,
}

impl Lent {
    /// Ends the program (the dashboard is stopping).
    pub fn end(&self) {
        let pid = self.pid.load(Ordering::SeqCst);
        if let Some(pid) = rustix::process::Pid::from_raw(i32::try_from(pid).unwrap_or(0)) {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        }
    }
}

/// The 1-based number of the line starting at `offset` in `path` (counting its newlines).
fn line_at(path: &Path, offset: u64) -> std::io::Result<u64> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?.take(offset);
    let mut buf = vec![0u8; 1 << 20];
    let mut lines = 1;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(lines);
        }
        lines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
    }
}

/// `$VAR`, or `fallback` when it is unset or empty.
fn program(var: &str, fallback: &str) -> String {
    std::env::var(var)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| fallback.to_owned())
}

/// `program` (a command line such as `less -R`) run through the shell with `args`, which are
/// passed as they are, never reinterpreted.
fn shell(program: &str, args: &[String]) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("exec {program} \"$@\""))
        .arg("sh")
        .args(args);
    cmd
}

fn run(mut cmd: Command, pid: &AtomicU32) -> Result<(), String> {
    let mut child = cmd.spawn().map_err(|e| format!("cannot start it: {e}"))?;
    pid.store(child.id(), Ordering::SeqCst);
    let status = child.wait().map_err(|e| e.to_string())?;
    pid.store(0, Ordering::SeqCst);
    if status.success() {
        Ok(())
    } else {
        Err(format!("it ended with {status}"))
    }
}

fn pager(path: &Path, line: Option<u64>, offset: u64, pid: &AtomicU32) -> Result<(), String> {
    let line = match line {
        Some(l) => l,
        None => line_at(path, offset).map_err(|e| format!("{}: {e}", path.display()))?,
    };
    let cmd = shell(
        &program("PAGER", "less"),
        &[format!("+{line}"), path.display().to_string()],
    );
    run(cmd, pid).map_err(|e| format!("the pager: {e}"))
}

/// The user's editor: `$VISUAL`, else `$EDITOR`, else `vi`.
fn user_editor() -> String {
    program("VISUAL", &program("EDITOR", "vi"))
}

fn editor(command: &str, text: &str, pid: &AtomicU32) -> Result<String, String> {
    let mut file = tempfile::Builder::new()
        .prefix("beadboard-")
        .suffix(".txt")
        .tempfile()
        .map_err(|e| format!("cannot make a file for the editor: {e}"))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| format!("{}: {e}", file.path().display()))?;
    let cmd = shell(command, &[file.path().display().to_string()]);
    run(cmd, pid).map_err(|e| format!("the editor: {e}"))?;
    let saved = std::fs::read_to_string(file.path())
        .map_err(|e| format!("{}: {e}", file.path().display()))?;
    Ok(saved.trim_end_matches(['\n', '\r']).to_owned())
}

/// Closes the gate (waiting a moment for the reader to park), then runs `what` on a thread of
/// its own; its end comes back on `tx` as [`Msg::Returned`]. The caller has given the terminal
/// back already.
pub fn start(what: Foreground, gate: &InputGate, tx: Sender<Msg>) -> Lent {
    gate.close(Duration::from_millis(500));
    let pid = Arc::new(AtomicU32::new(0));
    let for_thread = Arc::clone(&pid);
    let spawned = std::thread::Builder::new()
        .name("foreground".into())
        .spawn(move || {
            let returned = match what {
                Foreground::Pager { path, line, offset } => {
                    Returned::Pager(pager(&path, line, offset, &for_thread))
                }
                Foreground::Editor { field, text } => Returned::Editor {
                    field,
                    result: editor(&user_editor(), &text, &for_thread),
                },
            };
            let _ = tx.send(Msg::Returned(returned));
        });
    if let Err(e) = spawned {
        let _ = std::io::stderr().write_all(format!("beadboard: {e}\n").as_bytes());
    }
    Lent { pid }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_are_counted_up_to_the_offset() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        std::fs::write(&path, "a\nbb\nccc\n").unwrap();
        assert_eq!(line_at(&path, 0).unwrap(), 1);
        assert_eq!(line_at(&path, 2).unwrap(), 2);
        assert_eq!(line_at(&path, 5).unwrap(), 3);
    }

    #[test]
    fn the_editor_gets_the_text_in_a_file_and_what_it_saved_comes_back() {
        let pid = AtomicU32::new(0);
        // A stand-in editor with arguments of its own, as `EDITOR="code --wait"` would be.
        let saved = editor("sed -i s/flaky/red/", "tests are flaky\n", &pid).unwrap();
        assert_eq!(
            saved, "tests are red",
            "the final newline an editor adds is dropped"
        );
        assert_eq!(pid.load(Ordering::SeqCst), 0, "no child left behind");
        let failed = editor("false", "x", &pid).unwrap_err();
        assert!(failed.starts_with("the editor: it ended with"), "{failed}");
    }

    #[test]
    fn arguments_reach_the_program_as_they_are() {
        let pid = AtomicU32::new(0);
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("args");
        let cmd = shell(
            &format!("sh -c 'printf \"%s|\" \"$@\" > {}' sh", out.display()),
            &["+12".to_owned(), "a file; rm -rf x".to_owned()],
        );
        run(cmd, &pid).unwrap();
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            "+12|a file; rm -rf x|"
        );
    }
}
