//! Lending the terminal to a program in the foreground — the transcript in the user's pager
//! (`O`), a form field in the user's editor (Ctrl-O) — and taking it back. The event loop
//! closes the input gate (our reader stops reading), gives the terminal back, and a thread
//! runs the program and waits for it; the loop goes on taking messages (it draws nothing while
//! the terminal is lent) until that thread reports the program ended, then takes the terminal
//! back and redraws. A stop while lent ends the program too. The program runs through
//! [`crate::process`] in the foreground (our process group, so it can read the terminal). A
//! program that cannot start (not found, not runnable, or no thread to wait for it) still ends
//! the lending, with the reason for the status line: the terminal is never left lent.

use super::gate::InputGate;
use crate::app::event::Msg;
use crate::process::Child;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;
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
    cancel: Arc<AtomicBool>,
    waiter: Option<JoinHandle<()>>,
}

impl Lent {
    /// Ends the program (the dashboard is stopping) and waits for it to be gone: SIGTERM, then
    /// SIGKILL if it has not ended within [`crate::process::GRACE`].
    pub fn end(self) {
        self.cancel.store(true, Ordering::SeqCst);
        if let Some(waiter) = self.waiter {
            let _ = waiter.join();
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

/// Runs `cmd` (the user's `program` through the shell) in the foreground until it ends or
/// `cancel` is set; the error says why it failed, in words.
fn run(cmd: Command, program: &str, cancel: &Arc<AtomicBool>) -> Result<(), String> {
    let done = Child::new(cmd)
        .foreground()
        .cancel(Arc::clone(cancel))
        .run()
        .map_err(|e| e.to_string())?;
    // The shell's own codes for a program it could not find or run.
    match done.status.code() {
        Some(0) => Ok(()),
        Some(127) => Err(format!("{program:?} was not found (exit status 127)")),
        Some(126) => Err(format!("{program:?} cannot be run (exit status 126)")),
        _ => Err(format!("it ended with {}", done.status)),
    }
}

fn pager(
    path: &Path,
    line: Option<u64>,
    offset: u64,
    cancel: &Arc<AtomicBool>,
) -> Result<(), String> {
    let line = match line {
        Some(l) => l,
        None => line_at(path, offset).map_err(|e| format!("{}: {e}", path.display()))?,
    };
    let pager = program("PAGER", "less");
    let cmd = shell(&pager, &[format!("+{line}"), path.display().to_string()]);
    run(cmd, &pager, cancel).map_err(|e| format!("the pager: {e}"))
}

/// The user's editor: `$VISUAL`, else `$EDITOR`, else `vi`.
fn user_editor() -> String {
    program("VISUAL", &program("EDITOR", "vi"))
}

fn editor(command: &str, text: &str, cancel: &Arc<AtomicBool>) -> Result<String, String> {
    let mut file = tempfile::Builder::new()
        .prefix("beadboard-")
        .suffix(".txt")
        .tempfile()
        .map_err(|e| format!("cannot make a file for the editor: {e}"))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| format!("{}: {e}", file.path().display()))?;
    let cmd = shell(command, &[file.path().display().to_string()]);
    run(cmd, command, cancel).map_err(|e| format!("the editor: {e}"))?;
    let saved = std::fs::read_to_string(file.path())
        .map_err(|e| format!("{}: {e}", file.path().display()))?;
    Ok(saved.trim_end_matches(['\n', '\r']).to_owned())
}

/// Closes the gate (waiting a moment for the reader to park), then runs `what` on a thread of
/// its own; its end comes back on `tx` as [`Msg::Returned`] (at once, with the reason, when no
/// thread can be started). The caller has given the terminal back already.
pub fn start(what: Foreground, gate: &InputGate, tx: Sender<Msg>) -> Lent {
    gate.close(Duration::from_millis(500));
    let cancel = Arc::new(AtomicBool::new(false));
    let for_thread = Arc::clone(&cancel);
    // The editor's field, for saying why it could not run (`None`: the pager).
    let field = match &what {
        Foreground::Pager { .. } => None,
        Foreground::Editor { field, .. } => Some(*field),
    };
    let back = tx.clone();
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
    let waiter = match spawned {
        Ok(handle) => Some(handle),
        Err(e) => {
            let why = format!("cannot start a thread to run it: {e}");
            let _ = back.send(Msg::Returned(match field {
                None => Returned::Pager(Err(format!("the pager: {why}"))),
                Some(field) => Returned::Editor {
                    field,
                    result: Err(format!("the editor: {why}")),
                },
            }));
            None
        }
    };
    Lent { cancel, waiter }
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
        let cancel = Arc::new(AtomicBool::new(false));
        // A stand-in editor with arguments of its own, as `EDITOR="code --wait"` would be.
        let saved = editor("sed -i s/flaky/red/", "tests are flaky\n", &cancel).unwrap();
        assert_eq!(
            saved, "tests are red",
            "the final newline an editor adds is dropped"
        );
        let failed = editor("false", "x", &cancel).unwrap_err();
        assert!(failed.starts_with("the editor: it ended with"), "{failed}");
        let missing = editor("/nonexistent/beadboard-editor", "x", &cancel).unwrap_err();
        assert_eq!(
            missing,
            "the editor: \"/nonexistent/beadboard-editor\" was not found (exit status 127)"
        );
    }

    #[test]
    fn arguments_reach_the_program_as_they_are() {
        let cancel = Arc::new(AtomicBool::new(false));
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("args");
        let cmd = shell(
            &format!("sh -c 'printf \"%s|\" \"$@\" > {}' sh", out.display()),
            &["+12".to_owned(), "a file; rm -rf x".to_owned()],
        );
        run(cmd, "sh", &cancel).unwrap();
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            "+12|a file; rm -rf x|"
        );
    }
}
