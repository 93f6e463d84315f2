//! A Codex `.jsonl.zst` rollout, decompressed with a pure-Rust zstd decoder and never written:
//! whole for the transcript (capped), or as a stream for the summary and for search
//! ([`Decompressed`], which reads in bounded memory and can go back by decoding again).

use super::super::SessionError;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// The most a compressed rollout is decompressed to in memory (the summary streams instead).
pub const MAX_DECOMPRESSED: u64 = 512 << 20;

/// A reader of the decompressed rollout.
pub(crate) fn reader(path: &Path) -> Result<impl Read + use<>, SessionError> {
    let file = File::open(path).map_err(|source| SessionError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Decompressed::new(file).map_err(|e| SessionError::Format {
        path: path.to_path_buf(),
        problem: e.to_string(),
    })
}

/// A reader of the decompressed rollout that keeps nothing to go back to: what a summary,
/// read once forward, needs (a long line costs it nothing; [`reader`] keeps the line to seek
/// back to it).
pub(crate) fn forward_reader(path: &Path) -> Result<impl Read + use<>, SessionError> {
    let file = File::open(path).map_err(|source| SessionError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Decoder::new(BufReader::new(file)).map_err(|e| SessionError::Format {
        path: path.to_path_buf(),
        problem: not_zstd(e).to_string(),
    })
}

/// The decompressed rollout.
///
/// # Errors
/// The file cannot be read, is not zstd, is damaged, or decompresses to more than
/// [`MAX_DECOMPRESSED`] bytes.
pub fn decompress(path: &Path) -> Result<Vec<u8>, SessionError> {
    let mut out = Vec::new();
    reader(path)?
        .take(MAX_DECOMPRESSED + 1)
        .read_to_end(&mut out)
        .map_err(|e| SessionError::Format {
            path: path.to_path_buf(),
            problem: format!("cannot be decompressed: {e}"),
        })?;
    if out.len() as u64 > MAX_DECOMPRESSED {
        return Err(SessionError::Format {
            path: path.to_path_buf(),
            problem: format!(
                "decompresses to more than {} MiB; too large to read in memory",
                MAX_DECOMPRESSED >> 20
            ),
        });
    }
    Ok(out)
}

type Decoder = ruzstd::decoding::StreamingDecoder<BufReader<File>, ruzstd::decoding::FrameDecoder>;

/// The most of the current line [`Decompressed`] keeps to go back to: a seek back to the
/// start of a line longer than this decodes again from the start of the file.
pub const MAX_REPLAY: usize = 16 << 20;

/// A compressed file read as its decompressed bytes, in bounded memory, with offsets in the
/// decompressed bytes. It keeps the line the last read began in, and what was read since, up
/// to [`MAX_REPLAY`] bytes (the decoder's window aside), so a scanner that goes back to the
/// start of that line to read it again (a long line found to hold a candidate) goes back in
/// memory, as cheaply as in a plain file; further back it decodes again from the start. It
/// seeks forward by decoding and dropping. Each read fills the buffer unless the end is
/// reached, as a plain file's does.
pub struct Decompressed {
    decoder: Option<Decoder>,
    /// The decompressed offset the decoder's next byte has.
    decoded: u64,
    /// The decompressed bytes from `kept_from` to `decoded` (empty when they outgrew
    /// [`MAX_REPLAY`]).
    kept: Vec<u8>,
    kept_from: u64,
    /// Where the last line decoded so far starts: what is kept is dropped up to here once a
    /// read begins after it.
    line_start: u64,
    /// The decompressed offset the next read starts at (at most `decoded`).
    at: u64,
}

fn not_zstd(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("not a zstd file: {e}"))
}

impl Decompressed {
    /// The decompressed bytes of `file`, from its start.
    ///
    /// # Errors
    /// The file is not zstd, or cannot be read.
    pub fn new(mut file: File) -> io::Result<Decompressed> {
        file.seek(SeekFrom::Start(0))?;
        let decoder = Decoder::new(BufReader::new(file)).map_err(not_zstd)?;
        Ok(Decompressed {
            decoder: Some(decoder),
            decoded: 0,
            kept: Vec::new(),
            kept_from: 0,
            line_start: 0,
            at: 0,
        })
    }

    /// Decodes again from the start.
    fn restart(&mut self) -> io::Result<()> {
        let Some(decoder) = self.decoder.take() else {
            return Err(io::Error::other("the decoder failed to restart"));
        };
        let mut file = decoder.into_inner();
        file.seek(SeekFrom::Start(0))?;
        self.decoder = Some(Decoder::new(file).map_err(not_zstd)?);
        (self.decoded, self.kept_from, self.line_start, self.at) = (0, 0, 0, 0);
        self.kept.clear();
        Ok(())
    }

    /// Drops what is kept before `to`.
    fn drop_kept(&mut self, to: u64) {
        let n = usize::try_from(to.saturating_sub(self.kept_from)).unwrap_or(usize::MAX);
        self.kept.drain(..n.min(self.kept.len()));
        self.kept_from = self.kept_from.max(to);
    }

    /// Decodes into `buf`, keeping what it decodes; how many bytes (0 at the end).
    fn decode(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(decoder) = self.decoder.as_mut() else {
            return Err(io::Error::other("the decoder failed to restart"));
        };
        let n = decoder.read(buf)?;
        let new = &buf[..n];
        if let Some(i) = memchr::memrchr(b'\n', new) {
            self.line_start = self.decoded + i as u64 + 1;
        }
        self.kept.extend_from_slice(new);
        self.decoded += n as u64;
        if self.kept.len() > MAX_REPLAY {
            // Only the last line is needed; if it alone is too long, nothing is kept.
            self.drop_kept(self.line_start.min(self.at));
            if self.kept.len() > MAX_REPLAY {
                self.kept = Vec::new();
                self.kept_from = self.decoded;
            }
        }
        Ok(n)
    }
}

impl Read for Decompressed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // Lines wholly before this read will not be gone back to.
        self.drop_kept(self.line_start.min(self.at));
        let mut filled = 0;
        // Gone back: what is kept first.
        if self.at < self.decoded {
            let from = usize::try_from(self.at - self.kept_from).unwrap_or(usize::MAX);
            let kept = self.kept.get(from..).unwrap_or_default();
            let n = kept.len().min(buf.len());
            buf[..n].copy_from_slice(&kept[..n]);
            filled = n;
            self.at += n as u64;
        }
        while filled < buf.len() {
            let n = self.decode(&mut buf[filled..])?;
            if n == 0 {
                break;
            }
            filled += n;
            self.at += n as u64;
        }
        Ok(filled)
    }
}

impl Seek for Decompressed {
    /// Only [`SeekFrom::Start`] and [`SeekFrom::Current`] (the end is not known until read).
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => n,
            SeekFrom::Current(d) => self.at.checked_add_signed(d).ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidInput, "seek before the start")
            })?,
            SeekFrom::End(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    "a compressed stream's end is not known",
                ));
            }
        };
        if target < self.kept_from {
            self.restart()?;
        }
        if target <= self.decoded {
            self.at = target;
            return Ok(target);
        }
        self.at = self.decoded;
        let skip = target - self.decoded;
        io::copy(&mut Read::take(&mut *self, skip), &mut io::sink())?;
        Ok(self.at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn compressed(bytes: &[u8]) -> File {
        let mut file = tempfile::tempfile().unwrap();
        let packed =
            ruzstd::encoding::compress_to_vec(bytes, ruzstd::encoding::CompressionLevel::Fastest);
        file.write_all(&packed).unwrap();
        file
    }

    #[test]
    fn reads_fill_and_seeks_go_both_ways() {
        // No newline: all of it is one line, kept, and gone back to in memory.
        let text: Vec<u8> = (0..200_000u32)
            .flat_map(|i| i.to_le_bytes())
            .map(|b| if b == b'\n' { 0 } else { b })
            .collect();
        let mut r = Decompressed::new(compressed(&text)).unwrap();
        let mut buf = vec![0; 300_000];
        assert_eq!(
            r.read(&mut buf).unwrap(),
            300_000,
            "a read fills the buffer"
        );
        assert_eq!(buf[..], text[..300_000]);
        assert_eq!(r.seek(SeekFrom::Start(500_000)).unwrap(), 500_000);
        let mut four = [0; 4];
        r.read_exact(&mut four).unwrap();
        assert_eq!(four, text[500_000..500_004]);
        assert_eq!(r.seek(SeekFrom::Start(10)).unwrap(), 10, "back, in memory");
        assert_eq!(r.decoded, 500_004, "nothing decoded again");
        r.read_exact(&mut four).unwrap();
        assert_eq!(four, text[10..14]);
        assert_eq!(r.seek(SeekFrom::Current(-4)).unwrap(), 10);
        let mut rest = Vec::new();
        r.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, text[10..]);
        assert_eq!(r.read(&mut buf).unwrap(), 0, "short only at the end");
        assert!(r.seek(SeekFrom::End(0)).is_err());
    }

    #[test]
    fn only_the_line_a_read_began_in_is_kept_further_back_is_decoded_again() {
        let text: Vec<u8> = (0..100_000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let mut r = Decompressed::new(compressed(&text)).unwrap();
        let mut buf = vec![0; 100_000];
        r.read_exact(&mut buf).unwrap();
        r.read_exact(&mut buf).unwrap();
        // The line the second read began in is kept; lines before it are not.
        let line = text[..100_000].iter().rposition(|b| *b == b'\n').unwrap() + 1;
        assert!(r.kept.len() <= 100_000 + 20, "{}", r.kept.len());
        r.seek(SeekFrom::Start(line as u64)).unwrap();
        assert_eq!(r.decoded, 200_000, "in memory");
        let mut again = vec![0; 1000];
        r.read_exact(&mut again).unwrap();
        assert_eq!(again, text[line..line + 1000]);
        r.seek(SeekFrom::Start(7)).unwrap();
        r.read_exact(&mut again).unwrap();
        assert_eq!(again, text[7..1007], "decoded again from the start");
        assert_eq!(r.decoded, 1007);
    }

    #[test]
    fn a_line_too_long_to_keep_is_not_kept() {
        let mut text = vec![b'x'; MAX_REPLAY + 300_000];
        text.extend_from_slice(b"\nend\n");
        let mut r = Decompressed::new(compressed(&text)).unwrap();
        let mut buf = vec![0; 256 * 1024];
        while r.read(&mut buf).unwrap() > 0 {
            assert!(r.kept.len() <= MAX_REPLAY + buf.len(), "{}", r.kept.len());
        }
        r.seek(SeekFrom::Start(3)).unwrap();
        let mut three = [0; 3];
        r.read_exact(&mut three).unwrap();
        assert_eq!(&three, b"xxx");
    }

    #[test]
    fn a_file_that_is_not_zstd_says_so() {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(b"{\"plain\":true}\n").unwrap();
        let e = Decompressed::new(file).err().unwrap();
        assert!(e.to_string().contains("not a zstd file"), "{e}");
    }
}
