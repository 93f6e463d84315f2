//! Reading raw JSONL lines around a byte offset, without reading the whole file: backwards
//! from an offset (to show the end of a huge transcript at once, and to scroll back), and
//! forwards from one. Only complete lines (ending in `\n`) are returned; a trailing `\r` is
//! dropped; a line longer than the limit is reported by size and never buffered whole.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

const BLOCK: usize = 64 * 1024;

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawLine {
    /// A line and its bytes (no newline, no trailing `\r`).
    Line {
        /// Offset of its first byte.
        offset: u64,
        /// Its bytes.
        bytes: Vec<u8>,
        /// Its length on disk without the newline (a dropped `\r` included).
        len: u64,
    },
    /// A line longer than the limit.
    TooLong {
        /// Offset of its first byte.
        offset: u64,
        /// Its length in bytes.
        len: u64,
    },
}

impl RawLine {
    /// Where the line starts.
    #[must_use]
    pub fn offset(&self) -> u64 {
        match self {
            RawLine::Line { offset, .. } | RawLine::TooLong { offset, .. } => *offset,
        }
    }

    /// The offset just after the line's newline (where the next line starts).
    #[must_use]
    pub fn next_offset(&self) -> u64 {
        match self {
            RawLine::Line { offset, len, .. } | RawLine::TooLong { offset, len } => {
                offset + len + 1
            }
        }
    }

    fn new(offset: u64, mut bytes: Vec<u8>) -> RawLine {
        let len = bytes.len() as u64;
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        RawLine::Line { offset, bytes, len }
    }
}

fn read_at(file: &File, offset: u64, len: usize) -> io::Result<Vec<u8>> {
    let mut buf = vec![0u8; len];
    file.read_exact_at(&mut buf, offset)?;
    Ok(buf)
}

/// The offset just after the last newline at or before `len` (0 if there is none): where
/// complete lines end and a half-written last line begins.
///
/// # Errors
/// Read errors.
pub fn complete_end(file: &File, len: u64) -> io::Result<u64> {
    let mut end = len;
    while end > 0 {
        let start = end.saturating_sub(BLOCK as u64);
        let block = read_at(file, start, usize::try_from(end - start).unwrap_or(BLOCK))?;
        if let Some(i) = memchr::memrchr(b'\n', &block) {
            return Ok(start + i as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

/// Up to `max_lines` complete lines that end at or before `before` (which must be a line
/// start, e.g. from [`complete_end`]), in file order, stopping early once `max_bytes` have been
/// read. Lines longer than `max_line` come back as [`RawLine::TooLong`].
///
/// # Errors
/// Read errors.
pub fn read_before(
    file: &File,
    before: u64,
    max_lines: usize,
    max_bytes: usize,
    max_line: usize,
) -> io::Result<Vec<RawLine>> {
    let mut lines = Vec::new();
    if before == 0 {
        return Ok(lines);
    }
    // `cursor` is the exclusive end of the line being assembled (its newline is at `cursor`).
    let mut cursor = before - 1;
    let mut carry: Vec<u8> = Vec::new();
    let mut carried_len: u64 = 0;
    let mut read = 0usize;
    loop {
        if lines.len() >= max_lines || (read >= max_bytes && !lines.is_empty()) {
            break;
        }
        if cursor == 0 {
            lines.push(finish(0, carry, carried_len, max_line));
            break;
        }
        let start = cursor.saturating_sub(BLOCK as u64);
        let block = read_at(
            file,
            start,
            usize::try_from(cursor - start).unwrap_or(BLOCK),
        )?;
        read += block.len();
        let mut end = block.len();
        while let Some(i) = memchr::memrchr(b'\n', &block[..end]) {
            let offset = start + i as u64 + 1;
            let piece = &block[i + 1..end];
            let line = if carried_len + piece.len() as u64 > max_line as u64 {
                RawLine::TooLong {
                    offset,
                    len: carried_len + piece.len() as u64,
                }
            } else {
                let mut bytes = piece.to_vec();
                bytes.extend_from_slice(&carry);
                RawLine::new(offset, bytes)
            };
            lines.push(line);
            carry.clear();
            carried_len = 0;
            end = i;
            if lines.len() >= max_lines {
                break;
            }
        }
        if lines.len() >= max_lines {
            break;
        }
        let piece = &block[..end];
        carried_len += piece.len() as u64;
        if carried_len <= max_line as u64 {
            let mut joined = piece.to_vec();
            joined.extend_from_slice(&carry);
            carry = joined;
        } else {
            carry.clear();
        }
        cursor = start;
    }
    lines.reverse();
    Ok(lines)
}

fn finish(offset: u64, carry: Vec<u8>, carried_len: u64, max_line: usize) -> RawLine {
    if carried_len > max_line as u64 {
        RawLine::TooLong {
            offset,
            len: carried_len,
        }
    } else {
        RawLine::new(offset, carry)
    }
}

/// Up to `max_lines` complete lines starting at `from` (a line start) and ending before
/// `until`, stopping early once `max_bytes` have been read.
///
/// # Errors
/// Read errors.
pub fn read_after(
    file: &File,
    from: u64,
    until: u64,
    max_lines: usize,
    max_bytes: usize,
    max_line: usize,
) -> io::Result<Vec<RawLine>> {
    let mut lines = Vec::new();
    let mut pos = from;
    let mut line_start = from;
    let mut carry: Vec<u8> = Vec::new();
    let mut carried_len: u64 = 0;
    let mut read = 0usize;
    while pos < until && lines.len() < max_lines && (read < max_bytes || lines.is_empty()) {
        let len = usize::try_from((until - pos).min(BLOCK as u64)).unwrap_or(BLOCK);
        let block = read_at(file, pos, len)?;
        read += block.len();
        let mut begin = 0;
        while let Some(i) = memchr::memchr(b'\n', &block[begin..]) {
            let piece = &block[begin..begin + i];
            let total = carried_len + piece.len() as u64;
            let line = if total > max_line as u64 {
                RawLine::TooLong {
                    offset: line_start,
                    len: total,
                }
            } else {
                let mut bytes = std::mem::take(&mut carry);
                bytes.extend_from_slice(piece);
                RawLine::new(line_start, bytes)
            };
            lines.push(line);
            carry.clear();
            carried_len = 0;
            begin += i + 1;
            line_start = pos + begin as u64;
            if lines.len() >= max_lines {
                break;
            }
        }
        if lines.len() >= max_lines {
            break;
        }
        let piece = &block[begin..];
        carried_len += piece.len() as u64;
        if carried_len <= max_line as u64 {
            carry.extend_from_slice(piece);
        } else {
            carry.clear();
        }
        pos += block.len() as u64;
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &[u8]) -> (tempfile::NamedTempFile, File) {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut f, text).unwrap();
        let handle = File::open(f.path()).unwrap();
        (f, handle)
    }

    fn texts(lines: &[RawLine]) -> Vec<String> {
        lines
            .iter()
            .map(|l| match l {
                RawLine::Line { bytes, .. } => String::from_utf8_lossy(bytes).into_owned(),
                RawLine::TooLong { len, .. } => format!("<{len}>"),
            })
            .collect()
    }

    #[test]
    fn reads_backwards_and_forwards() {
        let (_keep, f) = file(b"one\ntwo\r\n\nfour\npartial");
        let end = complete_end(&f, 22).unwrap();
        assert_eq!(end, 15);
        assert_eq!(
            texts(&read_before(&f, end, 10, usize::MAX, 100).unwrap()),
            vec!["one", "two", "", "four"]
        );
        assert_eq!(
            texts(&read_before(&f, end, 2, usize::MAX, 100).unwrap()),
            vec!["", "four"]
        );
        let all = read_before(&f, end, 10, usize::MAX, 100).unwrap();
        assert_eq!(
            all.iter().map(RawLine::next_offset).collect::<Vec<_>>(),
            vec![4, 9, 10, 15]
        );
        let back = read_before(&f, end, 2, usize::MAX, 100).unwrap();
        assert_eq!(back[0].offset(), 9);
        assert_eq!(
            texts(&read_before(&f, 9, 10, usize::MAX, 100).unwrap()),
            vec!["one", "two"]
        );
        assert_eq!(
            texts(&read_after(&f, 0, end, 10, usize::MAX, 100).unwrap()),
            vec!["one", "two", "", "four"]
        );
        assert_eq!(
            texts(&read_after(&f, 4, end, 1, usize::MAX, 100).unwrap()),
            vec!["two"]
        );
        assert!(read_before(&f, 0, 10, usize::MAX, 100).unwrap().is_empty());
    }

    #[test]
    fn long_lines_across_blocks_and_limits() {
        let big = "x".repeat(200_000);
        let text = format!("a\n{big}\nb\n{}\nc\n", "y".repeat(150_000));
        let (_keep, f) = file(text.as_bytes());
        let end = complete_end(&f, text.len() as u64).unwrap();
        let all = read_before(&f, end, 100, usize::MAX, 1_000_000).unwrap();
        assert_eq!(
            all.iter().map(RawLine::offset).collect::<Vec<_>>(),
            vec![0, 2, 200_003, 200_005, 350_006]
        );
        assert_eq!(texts(&all)[1].len(), 200_000);
        let limited = read_before(&f, end, 100, usize::MAX, 100_000).unwrap();
        assert_eq!(texts(&limited), vec!["a", "<200000>", "b", "<150000>", "c"]);
        let forward = read_after(&f, 0, end, 100, usize::MAX, 100_000).unwrap();
        assert_eq!(texts(&forward), texts(&limited));
        assert_eq!(
            forward.iter().map(RawLine::offset).collect::<Vec<_>>(),
            vec![0, 2, 200_003, 200_005, 350_006]
        );
    }
}
