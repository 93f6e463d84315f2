//! The end of a legacy document (`session-….json`) too large to keep whole for a transcript
//! ([`super::MAX_LEGACY`]): its last messages, read from the end in bounded memory.
//!
//! Gemini wrote the document pretty-printed (`JSON.stringify(conversation, null, 2)`). A raw
//! newline never occurs inside a JSON string, so each line of such a document starts between
//! tokens, and each message of the `messages` array starts on a line that is its
//! indentation and `{` alone, and ends on a line that is the same indentation and `}` (or
//! `},`); anything deeper in a message is indented further. The indentation is read from the
//! line after `"messages": [` at the head. The last window of the file (2 MiB, more when a
//! single message is larger, up to 64 MiB) is cut into messages by those lines, each parsed
//! on its own, and the conversation is rebuilt from them. A document that is not laid out so
//! (one line, say), or whose window does not parse, is read as a stream instead, keeping its
//! last 500 messages. Either way an entry first says how much was left out.

use super::super::SessionError;
use super::super::entry::{Entry, EntryKind};
use super::super::skim::record;
use super::super::text::size_words;
use super::doc::Doc;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// How much of the head is looked at for the `messages` line.
const HEAD: u64 = 64 * 1024;

/// How much is read: the first window read from the end and the largest, and how many
/// messages a document read as a stream keeps.
#[derive(Debug, Clone, Copy)]
struct Limits {
    first_window: u64,
    max_window: u64,
    keep: usize,
}

/// The limits of a transcript: 2 MiB from the end (a thousand short messages; reading and
/// parsing 8 MiB took 77 ms more than a 1 MB document's whole read, 2 MiB keeps the first
/// screen near it), up to 64 MiB for one large message; the last 500 messages of a document
/// read as a stream.
const LIMITS: Limits = Limits {
    first_window: 2 << 20,
    max_window: 64 << 20,
    keep: 500,
};

/// The last messages of the legacy document at `path`, `size` bytes long: a conversation of
/// them, led by an entry saying what was left out.
///
/// # Errors
/// The file cannot be read, or is not one whole JSON object (being rewritten).
pub(super) fn read_end(path: &Path, size: u64) -> Result<Doc, SessionError> {
    read_end_within(path, size, LIMITS)
}

fn read_end_within(path: &Path, size: u64, limits: Limits) -> Result<Doc, SessionError> {
    let io = |e: std::io::Error| super::super::read::io_error(path)(e);
    let mut file = std::fs::File::open(path).map_err(&io)?;
    let mut head = Vec::new();
    (&mut file).take(HEAD).read_to_end(&mut head).map_err(&io)?;
    if let Some(indent) = message_indent(&head) {
        let mut window = limits.first_window.min(size);
        while window <= limits.max_window && window < size {
            let mut bytes = vec![0; usize::try_from(window).unwrap_or(usize::MAX)];
            file.seek(SeekFrom::Start(size - window)).map_err(&io)?;
            file.read_exact(&mut bytes).map_err(&io)?;
            match messages_at_end(&bytes, indent) {
                Some((first, messages)) if !messages.is_empty() => {
                    let mut doc = Doc::new(true);
                    for m in messages {
                        doc.apply(m);
                    }
                    let skipped = size - window + first as u64;
                    doc.lead(left_out(format!(
                        "the first {} of this {} conversation are not shown: the transcript \
                         reads its last {} (search reads all of it)",
                        size_words(skipped),
                        size_words(size),
                        size_words(size - skipped)
                    )));
                    return Ok(doc);
                }
                Some(_) => window = (window * 2).min(size),
                None => break,
            }
        }
    }
    streamed(path, limits.keep)
}

/// The document read as a stream, keeping its last `keep` messages.
fn streamed(path: &Path, keep: usize) -> Result<Doc, SessionError> {
    let file = std::fs::File::open(path).map_err(super::super::read::io_error(path))?;
    let mut doc = Doc::new(true);
    super::stream::messages(std::io::BufReader::new(file), &mut doc, |d| {
        d.keep_last(keep)
    })
    .map_err(|why| SessionError::Format {
        path: path.to_path_buf(),
        problem: format!("{why} (being rewritten?)"),
    })?;
    let dropped = doc.dropped();
    if dropped > 0 {
        doc.lead(left_out(format!(
            "the first {dropped} messages of this conversation are not shown: the transcript \
             keeps its last {keep} (search reads all of it)"
        )));
    }
    Ok(doc)
}

/// The entry that says what the transcript leaves out.
fn left_out(text: String) -> Entry {
    let mut e = Entry::new(EntryKind::Signal, "beadboard");
    e.text = text;
    e
}

/// The indentation of the messages, when the head is laid out one token a line: the line
/// after `"messages": [` is that many spaces and `{`.
fn message_indent(head: &[u8]) -> Option<usize> {
    let key = b"\"messages\": [\n";
    let at = memchr::memmem::find(head, key)? + key.len();
    let line = head[at..].split(|b| *b == b'\n').next()?;
    let indent = line.iter().take_while(|b| **b == b' ').count();
    (&line[indent..] == b"{").then_some(indent)
}

/// The whole messages in `window` (the end of the document), each parsed, and where the
/// first starts: `None` when the window is not what a pretty-printed document's end is (a
/// message that does not parse, a start inside a message, or no closing `]` and `}` after
/// the last message: the document is being rewritten, or not laid out so).
fn messages_at_end(
    window: &[u8],
    indent: usize,
) -> Option<(usize, Vec<super::super::skim::Json<'_>>)> {
    // The first line may be cut: start after the first newline.
    let mut at = memchr::memchr(b'\n', window)? + 1;
    let mut open = None;
    let mut found = Vec::new();
    let mut first = None;
    let mut closed_after = false;
    while at < window.len() {
        let end = memchr::memchr(b'\n', &window[at..]).map_or(window.len(), |i| at + i);
        let line = &window[at..end];
        let token = at_indent(line, indent);
        if matches!(token, Some(b"{")) {
            if open.is_some() {
                return None;
            }
            open = Some(at);
            closed_after = false;
        } else if matches!(token, Some(b"}" | b"},")) {
            if let Some(start) = open.take() {
                let close = at + indent + 1;
                found.push(
                    record(&window[start..close])
                        .ok()
                        .filter(|v| v.is_object())?,
                );
                first.get_or_insert(start);
            }
        } else if open.is_none() && line.trim_ascii() == b"]" {
            closed_after = true;
        }
        at = end + 1;
    }
    let ends = window.trim_ascii_end().last() == Some(&b'}');
    (open.is_none() && (found.is_empty() || closed_after) && ends)
        .then(|| (first.unwrap_or(0), found))
}

/// What a line holds after the messages' indentation, when it is indented so.
fn at_indent(line: &[u8], indent: usize) -> Option<&[u8]> {
    (line.len() > indent && line[..indent].iter().all(|b| *b == b' ')).then(|| &line[indent..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pretty(messages: usize, text: &str) -> Vec<u8> {
        let list: Vec<_> = (0..messages)
            .map(|i| serde_json::json!({"id": format!("m{i}"), "type": "user",
                "timestamp": "2026-07-01T09:00:10.000Z", "content": [{"text": format!("{text} {i}")}]}))
            .collect();
        let doc = serde_json::json!({"sessionId": "s", "messages": list});
        serde_json::to_vec_pretty(&doc).unwrap()
    }

    /// Small limits, so that small documents take the paths a large one takes.
    const SMALL: Limits = Limits {
        first_window: 2_000,
        max_window: 40_000,
        keep: 7,
    };

    fn write(dir: &Path, bytes: &[u8]) -> (std::path::PathBuf, u64) {
        let path = dir.join("session-2026-07-01T09-00-aaaa1111.json");
        std::fs::write(&path, bytes).unwrap();
        (path, bytes.len() as u64)
    }

    /// Every entry's kind and text, in order.
    fn shown(doc: Doc) -> Vec<(String, String)> {
        doc.items()
            .into_iter()
            .flat_map(|d| match d {
                super::super::super::Decoded::Entries(e) => e,
                _ => panic!("{d:?}"),
            })
            .map(|e| (e.kind.as_str().to_owned(), e.text))
            .collect()
    }

    /// The document read whole (as a small one is), for comparison.
    fn whole(path: &Path) -> Vec<(String, String)> {
        shown(super::super::read_legacy(path, true).unwrap())
    }

    #[test]
    fn the_end_read_from_the_end_is_the_end_of_the_whole_read_led_by_what_is_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let (path, size) = write(dir.path(), &pretty(200, "a \"}\" and {\n in a string"));
        let end = shown(read_end_within(&path, size, SMALL).unwrap());
        let all = whole(&path);
        let (lead, rest) = end.split_first().unwrap();
        assert!(rest.len() >= 3 && rest.len() < all.len(), "{}", rest.len());
        assert_eq!(rest, &all[all.len() - rest.len()..]);
        assert_eq!(lead.0, "signal");
        assert!(lead.1.starts_with("the first "), "{}", lead.1);
        assert!(
            lead.1
                .contains(&format!("of this {} conversation", size_words(size))),
            "{}",
            lead.1
        );
        // A message larger than the first window: the window grows until it holds one.
        let mut big = pretty(30, "short");
        let text = format!("{} {}", "long".repeat(3_000), "the end");
        big = String::from_utf8(big)
            .unwrap()
            .replacen("short 29", &text, 1)
            .into_bytes();
        let (path, size) = write(dir.path(), &big);
        let end = shown(read_end_within(&path, size, SMALL).unwrap());
        assert!(
            end.last().unwrap().1.ends_with("the end"),
            "{:?}",
            end.last()
        );
    }

    #[test]
    fn a_document_on_one_line_is_streamed_keeping_its_last_messages() {
        let dir = tempfile::tempdir().unwrap();
        let list: Vec<_> = (0..100)
            .map(|i| serde_json::json!({"id": format!("m{i}"), "type": "user", "content": format!("p {i}")}))
            .collect();
        let doc =
            serde_json::to_vec(&serde_json::json!({"sessionId": "s", "messages": list})).unwrap();
        let (path, size) = write(dir.path(), &doc);
        let end = shown(read_end_within(&path, size, SMALL).unwrap());
        let all = whole(&path);
        let (lead, rest) = end.split_first().unwrap();
        assert!(
            rest.len() >= SMALL.keep && rest.len() <= 2 * SMALL.keep,
            "{}",
            rest.len()
        );
        assert_eq!(rest, &all[all.len() - rest.len()..]);
        assert_eq!(
            lead.1,
            format!(
                "the first {} messages of this conversation are not shown: the transcript keeps \
                 its last 7 (search reads all of it)",
                100 - rest.len()
            )
        );
        // Cut mid-way (being rewritten): an error, as for a small document.
        let (path, size) = write(dir.path(), &doc[..doc.len() / 2]);
        assert!(read_end_within(&path, size, SMALL).is_err());
        let pretty = pretty(200, "x");
        let (path, size) = write(dir.path(), &pretty[..pretty.len() - 300]);
        assert!(read_end_within(&path, size, SMALL).is_err());
    }

    #[test]
    fn the_indentation_of_the_messages_is_read_from_the_head() {
        assert_eq!(message_indent(&pretty(2, "hi")), Some(4));
        assert_eq!(
            message_indent(br#"{"sessionId":"s","messages":[{"id":"m"}]}"#),
            None
        );
    }

    #[test]
    fn a_window_is_cut_into_its_whole_messages_and_a_cut_one_is_left_out() {
        let doc = pretty(50, "a \"}\" and { in a string\\n");
        let window = &doc[doc.len() - 2_000..];
        let (first, found) = messages_at_end(window, 4).unwrap();
        assert!(!found.is_empty());
        let ids: Vec<_> = found
            .iter()
            .map(|m| m.get("id").unwrap().str().unwrap().into_owned())
            .collect();
        assert_eq!(ids.last().unwrap(), "m49");
        let n = ids.len();
        assert_eq!(ids[0], format!("m{}", 50 - n));
        assert!(window[first..].starts_with(b"    {\n      \"id\": \""));
        // Half written: no `]` and `}` after the last message.
        let cut = &doc[doc.len() - 2_000..doc.len() - 8];
        assert!(messages_at_end(cut, 4).is_none());
    }
}
