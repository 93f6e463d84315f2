//! A running `beadboard watch` whose stdout lines arrive on a channel, read with a deadline.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// A running `watch` (killed when dropped).
pub struct Stream {
    child: Child,
    lines: Receiver<String>,
}

impl Stream {
    /// Starts `cmd` (a `beadboard … watch …` command) with its stdout read line by line.
    pub fn spawn(cmd: &mut Command) -> Stream {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Stream { child, lines }
    }

    /// Reads events until one satisfies `wanted`; fails after the deadline.
    pub fn expect(&self, what: &str, mut wanted: impl FnMut(&Value) -> bool) -> Value {
        self.expect_each(what, &mut wanted, |_| {})
    }

    /// As [`Stream::expect`], handing every event read to `each` first.
    pub fn expect_each(
        &self,
        what: &str,
        mut wanted: impl FnMut(&Value) -> bool,
        mut each: impl FnMut(&Value),
    ) -> Value {
        let deadline = Instant::now() + super::tmux::timeout();
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left.max(Duration::from_millis(1))) {
                Ok(line) => {
                    let v: Value = serde_json::from_str(&line)
                        .unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
                    each(&v);
                    if wanted(&v) {
                        return v;
                    }
                    seen.push(line);
                }
                Err(_) => panic!("no {what} event; saw:\n{}", seen.join("\n")),
            }
        }
    }

    /// The next line, if one comes within `wait`.
    pub fn next_line(&self, wait: Duration) -> Option<String> {
        self.lines.recv_timeout(wait).ok()
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
