//! The transcript of a run on another host: its lines come from a follow on the host's
//! channel, only while this pane shows that run. Opening asks the host to follow it: the host
//! sends its last stretch of at most [`TAIL_MAX`](crate::remote::protocol::TAIL_MAX) bytes (a
//! cut first line left out here) at once, then pushes whatever is appended as its file watcher
//! sees it; nothing is asked again. Showing another run (or none) unfollows it. A follow lost
//! with the channel is asked again, from where the lines stand, at the next tick. The bytes
//! decode as local lines do; nothing is read from this machine's disk.

use super::{Format, Line, TranscriptPane};
use crate::app::effect::Effect;
use crate::persist::run::lines::RawLine;
use crate::remote::protocol::TailChunk;

/// The ids of the pane's follows start here, far above the connection's own count (tails,
/// searches) and below the dashboard's host searches (`corpus::hosts::HOST_SEARCH_IDS`) and
/// moves (`app::work::MOVE_IDS`), so a pushed chunk or a lost follow is never taken for
/// another request's.
pub const FOLLOW_IDS: u64 = 1 << 46;

/// Where a remote transcript's follow stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    /// Asked for (or following) under this id: its chunks carry it.
    On(u64),
    /// Lost with the channel: asked again at the next tick.
    Lost,
    /// Ended by the host (no such run, an unreadable file): its error is shown.
    Ended,
}

/// Where a remote transcript's tail stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteTail {
    /// The host.
    pub host: String,
    /// The run's reference there.
    pub run: String,
    /// How its lines decode.
    pub format: Format,
    /// Where the next chunk starts (`None`: nothing received yet).
    pub next: Option<u64>,
    /// The next chunk starts inside a line: leave its first (cut) line out.
    pub cut: bool,
    /// The follow.
    pub follow: Follow,
    /// The lines start at the file's start (they can be numbered).
    pub from_start: bool,
    /// Lines read so far (for numbering).
    pub count: u64,
}

impl TranscriptPane {
    /// Opens the run `reference` on `host` (listed under `key`, named `name`): the host is
    /// asked to follow it. `format`: how its lines decode (`None`: not lines this beadboard
    /// can follow by bytes; the pane says so).
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
            follow: Follow::Lost,
            from_start: false,
            count: 0,
        });
        self.resume_remote();
    }

    /// Whether the open transcript is another host's.
    #[must_use]
    pub fn is_remote(&self) -> bool {
        self.remote.is_some()
    }

    /// Asks the host to follow the open transcript again if its follow was lost (from where
    /// the lines stand); a follow that is on needs nothing.
    pub fn resume_remote(&mut self) {
        let Some(r) = &mut self.remote else {
            return;
        };
        if r.follow != Follow::Lost {
            return;
        }
        let id = FOLLOW_IDS + self.next_follow;
        self.next_follow += 1;
        r.follow = Follow::On(id);
        self.remote_outbox.push(Effect::HostFollow {
            host: r.host.clone(),
            run: r.run.clone(),
            from: r.next,
            id,
        });
    }

    /// The effect that ends the open transcript's follow, if one is on (the pane shows
    /// another run, or none).
    pub(super) fn unfollow_remote(&self) -> Option<Effect> {
        let r = self.remote.as_ref()?;
        match r.follow {
            Follow::On(id) => Some(Effect::HostUnfollow {
                host: r.host.clone(),
                id,
            }),
            Follow::Lost | Follow::Ended => None,
        }
    }

    /// Takes a chunk the follow `id` on `host` pushed (or why it ended).
    pub fn remote_tail(&mut self, host: &str, id: u64, result: Result<TailChunk, String>) {
        let Some(r) = &mut self.remote else {
            return;
        };
        if r.host != host || r.follow != Follow::On(id) {
            return;
        }
        let chunk = match result {
            Ok(chunk) if chunk.run == r.run => chunk,
            Ok(_) => return,
            Err(why) => {
                r.follow = Follow::Ended;
                self.exists = false;
                self.error = Some(format!("{host}: {why}"));
                return;
            }
        };
        self.error = None;
        self.exists = true;
        self.file_len = chunk.size;
        if r.next != Some(chunk.from) {
            // The first chunk, or the file was cut shorter there: (again) from this stretch.
            if r.next.is_some() {
                self.lines.clear();
                self.cursor = 0;
            }
            r.count = 0;
            r.cut = chunk.from > 0;
            r.from_start = chunk.from == 0;
        }
        let Ok(bytes) = chunk.bytes() else {
            self.error = Some(format!("{host} sent bytes that are not base64"));
            return;
        };
        let raw = split(&bytes, chunk.from, std::mem::take(&mut r.cut));
        let first = r.from_start.then_some(r.count + 1);
        r.count += raw.len() as u64;
        r.next = Some(chunk.next);
        let numbered = r.from_start;
        let lines = crate::app::work::window::parse(raw, first, r.format);
        for line in lines {
            self.push_remote(line, numbered);
        }
        self.end = chunk.next;
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

    /// The request `id` on `host`'s channel was lost: if it was the follow, the next tick
    /// asks again.
    pub fn remote_lost(&mut self, host: &str, id: u64, why: &str) {
        if let Some(r) = &mut self.remote
            && r.host == host
            && r.follow == Follow::On(id)
        {
            r.follow = Follow::Lost;
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
