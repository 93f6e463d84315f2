//! [`Peek`]: what the end of a live run's transcript says (the manifest lags: agentpair saves
//! it only at state changes): the iteration it is on, and the trouble nothing has resolved —
//! an error entry, or a review's FAIL with how many iterations in a row ended in one.
//!
//! agentpair's loop is implement, review, iterate: a FAIL sends the run into its next
//! iteration to fix it, so one FAIL is no news; a run that keeps failing is.

use crate::persist::run::{EntryType, TRANSCRIPT_FILE, TranscriptEntry};
use std::fs;
use std::path::Path;

/// What the end of a live run's transcript says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Peek {
    /// The highest iteration seen near the end of the transcript.
    pub iteration: i64,
    /// The latest error entry or FAIL signal near the end that nothing has resolved since (a
    /// later iteration whose review passed, a PASS or DONE after an error, or the run's end or
    /// a new start resolves it).
    pub trouble: Option<Trouble>,
}

/// An error entry or a FAIL signal in a transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trouble {
    /// Where its line starts in the file (identifies it: a new trouble has a new offset).
    pub offset: u64,
    /// The agent that reported it.
    pub agent: String,
    /// The iteration it happened in.
    pub iteration: i64,
    /// `None` for a FAIL signal; the error text for an error entry.
    pub error: Option<String>,
    /// For a FAIL: how many iterations in a row ended in a FAIL, its own included (at least
    /// that many when the streak reaches back beyond what was read); 0 for an error.
    pub fails: u32,
    /// Where the first FAIL of the streak starts (the situation's identity: the streak's
    /// later FAILs keep it); an error's own offset.
    pub since: u64,
}

/// How much of a transcript's end is read for a [`Peek`], first; a FAIL streak that reaches
/// back beyond it is followed into the larger windows, up to the last.
const WINDOWS: [u64; 3] = [16 * 1024, 256 * 1024, 4 * 1024 * 1024];

/// A streak this long is long enough: no larger window is read to count more.
const ENOUGH: u32 = 16;

impl Peek {
    /// Reads the last complete lines of the transcript in `run_dir` (16 KiB, or up to 4 MiB
    /// to count a FAIL streak that started before them).
    #[must_use]
    pub fn read(run_dir: &Path) -> Option<Peek> {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = fs::File::open(run_dir.join(TRANSCRIPT_FILE)).ok()?;
        let len = file.metadata().ok()?.len();
        let mut peek = None;
        for window in WINDOWS {
            let start = len.saturating_sub(window);
            file.seek(SeekFrom::Start(start)).ok()?;
            let mut bytes = Vec::new();
            (&mut file).take(window).read_to_end(&mut bytes).ok()?;
            let (found, bounded) = fold(&bytes, start);
            let unbounded_streak = found
                .as_ref()
                .and_then(|p| p.trouble.as_ref())
                .is_some_and(|t| t.error.is_none() && t.fails < ENOUGH);
            peek = found;
            if start == 0 || bounded || !unbounded_streak {
                break;
            }
        }
        peek
    }
}

/// The verdicts of iterations as the transcript goes.
#[derive(Default)]
struct Fold {
    peek: Option<Peek>,
    /// The iteration being read, and its first FAIL's offset and whether a PASS or DONE came.
    current: i64,
    current_fail: Option<u64>,
    current_ok: bool,
    /// Iterations ended in a FAIL in a row before the current one, and where the first began.
    streak: u32,
    streak_start: Option<u64>,
    /// Something before the streak bounds it (a passed iteration, an error, a start or end).
    bounded: bool,
}

impl Fold {
    fn close_iteration(&mut self) {
        if let Some(at) = self.current_fail.take() {
            self.streak += 1;
            self.streak_start.get_or_insert(at);
        } else if self.current_ok {
            self.reset();
        }
        self.current_ok = false;
    }

    fn reset(&mut self) {
        self.streak = 0;
        self.streak_start = None;
        self.current_fail = None;
        self.bounded = true;
    }

    fn trouble(&mut self) -> &mut Option<Trouble> {
        &mut self.peek.get_or_insert_with(Peek::default).trouble
    }

    fn note(&mut self, entry: &TranscriptEntry, offset: u64) {
        let p = self.peek.get_or_insert_with(Peek::default);
        p.iteration = p.iteration.max(entry.iteration);
        if entry.iteration > 0 && entry.iteration != self.current {
            self.close_iteration();
            self.current = entry.iteration;
        }
        let signal = entry.signal.trim().to_ascii_uppercase();
        match entry.entry_type {
            EntryType::Error => {
                self.reset();
                *self.trouble() = Some(Trouble {
                    offset,
                    agent: entry.agent.clone(),
                    iteration: entry.iteration,
                    error: Some(entry.error.clone()),
                    fails: 0,
                    since: offset,
                });
            }
            EntryType::Signal if signal == "FAIL" => {
                self.current_fail.get_or_insert(offset);
                *self.trouble() = Some(Trouble {
                    offset,
                    agent: entry.agent.clone(),
                    iteration: entry.iteration,
                    error: None,
                    fails: 0,
                    since: offset,
                });
            }
            EntryType::Signal if signal == "PASS" || signal == "DONE" => {
                self.current_ok = true;
                if self.trouble().as_ref().is_some_and(|t| t.error.is_some()) {
                    *self.trouble() = None;
                }
            }
            EntryType::End | EntryType::Start => {
                self.close_iteration();
                self.reset();
                *self.trouble() = None;
            }
            _ => {}
        }
    }

    /// The peek, with the FAIL streak counted (and resolved when the last verdict passed).
    fn finish(mut self) -> (Option<Peek>, bool) {
        let open_fail = self.current_fail;
        let passed = self.current_ok && open_fail.is_none();
        let fails = self.streak + u32::from(open_fail.is_some());
        let since = self.streak_start.or(open_fail);
        let bounded = self.bounded;
        if let Some(t) = self.trouble().as_mut().filter(|t| t.error.is_none()) {
            t.fails = fails;
            t.since = since.unwrap_or(t.offset);
        }
        if passed || fails == 0 {
            let trouble = self.trouble();
            if trouble.as_ref().is_some_and(|t| t.error.is_none()) {
                *trouble = None;
            }
        }
        (self.peek, bounded)
    }
}

/// The peek of `bytes`, read from `start` in the file (a line cut at the front is skipped, an
/// unterminated last line left for later), and whether the FAIL streak is bounded within it.
fn fold(bytes: &[u8], start: u64) -> (Option<Peek>, bool) {
    let skip = if start > 0 {
        memchr::memchr(b'\n', bytes).map_or(bytes.len(), |i| i + 1)
    } else {
        0
    };
    let mut fold = Fold::default();
    let mut offset = start + skip as u64;
    for line in bytes[skip..].split_inclusive(|b| *b == b'\n') {
        let at = offset;
        offset += line.len() as u64;
        if line.last() != Some(&b'\n') {
            break;
        }
        if let Ok(entry) = TranscriptEntry::parse_line(&line[..line.len() - 1]) {
            fold.note(&entry, at);
        }
    }
    fold.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kind: &str, iteration: i64, agent: &str, signal: &str) -> String {
        let mut e = TranscriptEntry::new(EntryType::parse(kind));
        e.iteration = iteration;
        e.agent = agent.into();
        e.signal = signal.into();
        if kind == "error" {
            e.error = "boom".into();
        }
        e.to_line()
    }

    fn peek_of(lines: &[String]) -> Option<Trouble> {
        let text: String = lines.concat();
        fold(text.as_bytes(), 0).0.and_then(|p| p.trouble)
    }

    fn iteration(n: i64, review: &str) -> Vec<String> {
        vec![
            line("iteration", n, "", ""),
            line("result", n, "codex", ""),
            line("signal", n, "claude", review),
        ]
    }

    #[test]
    fn fails_in_a_row_are_counted_by_iteration() {
        let mut lines = vec![line("start", 0, "", "")];
        lines.extend(iteration(1, "FAIL"));
        let t = peek_of(&lines).unwrap();
        assert_eq!((t.fails, t.iteration), (1, 1));
        let first = t.since;
        lines.extend(iteration(2, "FAIL"));
        // Both agents saying FAIL in one iteration is one failed iteration.
        lines.push(line("signal", 2, "codex", "FAIL"));
        lines.extend(iteration(3, "FAIL"));
        let t = peek_of(&lines).unwrap();
        assert_eq!((t.fails, t.iteration, t.since), (3, 3, first));
        // The next iteration begins: the streak stands until its verdict.
        lines.push(line("iteration", 4, "", ""));
        assert_eq!(peek_of(&lines).unwrap().fails, 3);
    }

    #[test]
    fn a_passed_iteration_ends_the_streak() {
        let mut lines = iteration(1, "FAIL");
        lines.extend(iteration(2, "PASS"));
        assert_eq!(peek_of(&lines), None);
        lines.extend(iteration(3, "FAIL"));
        assert_eq!(peek_of(&lines).unwrap().fails, 1);
        // A PASS and a FAIL in one iteration: the FAIL decides (claudex consensus).
        let mut mixed = iteration(1, "FAIL");
        mixed.push(line("signal", 2, "codex", "PASS"));
        mixed.push(line("signal", 2, "claude", "FAIL"));
        assert_eq!(peek_of(&mixed).unwrap().fails, 2);
    }

    #[test]
    fn errors_and_ends() {
        let mut lines = iteration(1, "FAIL");
        lines.push(line("error", 1, "codex", ""));
        let t = peek_of(&lines).unwrap();
        assert_eq!((t.error.as_deref(), t.fails), (Some("boom"), 0));
        lines.push(line("signal", 2, "claude", "DONE"));
        assert_eq!(peek_of(&lines), None);
        let mut ended = iteration(1, "FAIL");
        ended.push(line("end", 0, "", ""));
        assert_eq!(peek_of(&ended), None);
    }

    #[test]
    fn a_streak_beyond_the_first_window_is_followed_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut lines = vec![line("start", 0, "", "")];
        for n in 1..=4 {
            lines.push(line("iteration", n, "", ""));
            let mut big = TranscriptEntry::new(EntryType::Result);
            big.iteration = n;
            big.content = "x".repeat(20 * 1024);
            lines.push(big.to_line());
            lines.push(line("signal", n, "claude", "FAIL"));
        }
        std::fs::write(dir.path().join(TRANSCRIPT_FILE), lines.concat()).unwrap();
        let t = Peek::read(dir.path()).unwrap().trouble.unwrap();
        assert_eq!((t.fails, t.iteration), (4, 4));
    }
}
