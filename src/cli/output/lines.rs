//! [`LineSink`]: output written line by line to a function (a host channel's frames, another
//! thread), for a subcommand run on behalf of another machine.

use std::io;

/// A writer that gives each line, without its newline, to `send` as soon as it is complete
/// (the last one, unfinished, when it is dropped). An error from `send` is a closed reader.
pub struct LineSink<F: FnMut(String) -> Result<(), ()>> {
    send: F,
    buf: Vec<u8>,
}

impl<F: FnMut(String) -> Result<(), ()>> LineSink<F> {
    /// Lines to `send`.
    pub fn new(send: F) -> LineSink<F> {
        LineSink {
            send,
            buf: Vec::new(),
        }
    }

    fn give(&mut self, line: &[u8]) -> io::Result<()> {
        (self.send)(String::from_utf8_lossy(line).into_owned())
            .map_err(|()| io::Error::from(io::ErrorKind::BrokenPipe))
    }
}

impl<F: FnMut(String) -> Result<(), ()>> io::Write for LineSink<F> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        while let Some(end) = self.buf.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.buf.drain(..=end).collect();
            self.give(&line[..end])?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<F: FnMut(String) -> Result<(), ()>> Drop for LineSink<F> {
    fn drop(&mut self) {
        if !self.buf.is_empty() {
            let rest = std::mem::take(&mut self.buf);
            let _ = self.give(&rest);
        }
    }
}
