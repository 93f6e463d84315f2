//! The transcript of a run on another host: its lines come from tail requests on the host's
//! channel, from a byte offset, only while this pane shows that run. Opening asks for the size
//! first (an empty answer from the end), then the last stretch of at most
//! [`TAIL_MAX`](crate::remote::protocol::TAIL_MAX) bytes (a cut first line left out), then
//! whatever was appended since, each time the clock ticks or at once while more is there. The
//! bytes decode as local lines do; nothing is read from this machine's disk.

use super::{Format, Line, TranscriptPane};
use crate::app::effect::Effect;
use crate::persist::run::lines::RawLine;
use crate::remote::protocol::{TAIL_MAX, TailChunk};

/// Where a remote transcript's tail stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteTail {
    /// The host.
    pub host: String,
    /// The run's reference there.
    pub run: String,
    /// How its lines decode.
    pub format: Format,
    /// Where the next request starts (`None`: the size is being asked for).
    pub next: Option<u64>,
    /// The next answer starts inside a line: leave its first (cut) line out.
    pub cut: bool,
    /// A request is under way (one at a time).
    pub asking: bool,
    /// The lines start at the file's start (they can be numbered).
    pub from_start: bool,
    /// Lines read so far (for numbering).
    pub count: u64,
}

impl TranscriptPane {
    /// Opens the run `reference` on `host` (listed under `key`, named `name`): its lines are
    /// asked for on the host's channel. `format`: how they decode (`None`: not lines this
    /// beadboard can follow by bytes; the pane says so).
    pub fn open_remote(
        &mut self,
        key: std::path::PathBuf,
        name: String,
        (host, reference): (&str, &str),
        format: Option<Format>,
    ) {
        self.close();
        self.run = Some(key);
        self.reference = name;
        let Some(format) = format else {
            self.error = Some(format!(
                "the run is on {host}, and its transcript is not one that can be followed by bytes (open it there)"
            ));
            return;
        };
        self.source = super::Source::Lines(format);
        self.remote = Some(RemoteTail {
            host: host.to_owned(),
            run: reference.to_owned(),
            format,
            next: None,
            cut: false,
            asking: false,
            from_start: false,
            count: 0,
        });
        self.ask_remote();
    }

    /// Whether the open transcript is another host's.
    #[must_use]
    pub fn is_remote(&self) -> bool {
        self.remote.is_some()
    }

    /// Asks for what comes next, unless a request is under way.
    pub fn ask_remote(&mut self) {
        let Some(r) = &mut self.remote else {
            return;
        };
        if r.asking {
            return;
        }
        r.asking = true;
        // The size first: an answer from past the end is empty and says it.
        let (from, max) = r.next.map_or((u64::MAX, 0), |n| (n, TAIL_MAX));
        self.remote_outbox.push(Effect::HostTail {
            host: r.host.clone(),
            run: r.run.clone(),
            from,
            max,
        });
    }

    /// Takes a tail's answer from `host`.
    pub fn remote_tail(&mut self, host: &str, result: Result<TailChunk, String>) {
        let Some(r) = &mut self.remote else {
            return;
        };
        if r.host != host || !r.asking {
            return;
        }
        let chunk = match result {
            Ok(chunk) if chunk.run == r.run => chunk,
            Ok(_) => return,
            Err(why) => {
                r.asking = false;
                self.exists = false;
                self.error = Some(format!("{host}: {why}"));
                return;
            }
        };
        r.asking = false;
        self.error = None;
        self.exists = true;
        self.file_len = chunk.size;
        let Some(expected) = r.next else {
            // The size: start with the last stretch.
            let start = chunk.size.saturating_sub(TAIL_MAX);
            r.next = Some(start);
            r.cut = start > 0;
            r.from_start = start == 0;
            return self.ask_remote();
        };
        if chunk.from != expected.min(chunk.size) {
            // An answer to an earlier request of an earlier opening.
            return;
        }
        if chunk.size < expected {
            // Truncated or replaced there: start over.
            r.next = None;
            self.lines.clear();
            self.cursor = 0;
            return self.ask_remote();
        }
        let Ok(bytes) = chunk.bytes() else {
            self.error = Some(format!("{host} sent bytes that are not base64"));
            return;
        };
        let raw = split(&bytes, chunk.from, std::mem::take(&mut r.cut));
        let first = r.from_start.then_some(r.count + 1);
        r.count += raw.len() as u64;
        r.next = Some(chunk.next);
        let more = chunk.next < chunk.size;
        let numbered = r.from_start;
        let lines = crate::app::work::window::parse(raw, first, r.format);
        for line in lines {
            self.push_remote(line, numbered);
        }
        self.end = chunk.next;
        if more {
            self.ask_remote();
        }
    }

    fn push_remote(&mut self, mut line: Line, numbered: bool) {
        if !numbered {
            line.number = None;
        }
        if self.lines.is_empty() {
            self.start = line.offset;
        }
        self.push(line);
    }

    /// A request on `host`'s channel was lost: the next tick asks again.
    pub fn remote_lost(&mut self, host: &str, why: &str) {
        if let Some(r) = &mut self.remote
            && r.host == host
            && r.asking
        {
            r.asking = false;
            self.error = Some(format!("{host}: {why}"));
        }
    }
}

/// The complete lines of `bytes` read at `from` (leaving out a first line cut by `from`).
fn split(bytes: &[u8], from: u64, cut: bool) -> Vec<RawLine> {
    let mut out = Vec::new();
    let mut at = 0usize;
    if cut {
        match bytes.iter().position(|&b| b == b'\n') {
            Some(nl) => at = nl + 1,
            None => return out,
        }
    }
    while at < bytes.len() {
        let Some(nl) = bytes[at..].iter().position(|&b| b == b'\n') else {
            break;
        };
        let mut line = bytes[at..at + nl].to_vec();
        let len = line.len() as u64;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        out.push(RawLine::Line {
            offset: from + at as u64,
            bytes: line,
            len,
        });
        at += nl + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_split_at_newlines_with_their_offsets_and_a_cut_one_left_out() {
        let raw = split(b"tail of one\n{\"a\":1}\r\n{\"b\":2}\npartial", 100, true);
        let got: Vec<(u64, u64)> = raw.iter().map(|r| (r.offset(), r.next_offset())).collect();
        assert_eq!(got, [(112, 121), (121, 129)]);
        let whole = split(b"x\ny\n", 0, false);
        assert_eq!(whole.len(), 2);
        assert!(split(b"no newline", 0, true).is_empty());
    }
}
