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

/// A compressed file read as its decompressed bytes, in bounded memory (the decoder's window
/// and a read buffer), with offsets in the decompressed bytes. It seeks forward by decoding and
/// dropping, and back by decoding again from the start, so a scanner that reads a line twice
/// (a long line found to hold a candidate) reads it as it would a plain file. Each read fills
/// the buffer unless the end is reached, as a plain file's does.
pub struct Decompressed {
    decoder: Option<Decoder>,
    /// The decompressed offset the next read starts at.
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
            at: 0,
        })
    }

    fn decoder(&mut self) -> io::Result<&mut Decoder> {
        self.decoder
            .as_mut()
            .ok_or_else(|| io::Error::other("the decoder failed to restart"))
    }

    /// Decodes again from the start.
    fn restart(&mut self) -> io::Result<()> {
        let decoder = self.decoder.take();
        let mut file = match decoder {
            Some(d) => d.into_inner(),
            None => return Err(io::Error::other("the decoder failed to restart")),
        };
        file.seek(SeekFrom::Start(0))?;
        self.decoder = Some(Decoder::new(file).map_err(not_zstd)?);
        self.at = 0;
        Ok(())
    }
}

impl Read for Decompressed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut filled = 0;
        while filled < buf.len() {
            let n = self.decoder()?.read(&mut buf[filled..])?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        self.at += filled as u64;
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
        if target < self.at {
            self.restart()?;
        }
        let skip = target - self.at;
        let skipped = io::copy(&mut self.decoder()?.take(skip), &mut io::sink())?;
        self.at += skipped;
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
        let text: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
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
        assert_eq!(
            r.seek(SeekFrom::Start(10)).unwrap(),
            10,
            "back: decoded again"
        );
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
    fn a_file_that_is_not_zstd_says_so() {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(b"{\"plain\":true}\n").unwrap();
        let e = Decompressed::new(file).err().unwrap();
        assert!(e.to_string().contains("not a zstd file"), "{e}");
    }
}
