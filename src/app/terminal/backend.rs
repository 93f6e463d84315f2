//! The ratatui backend the dashboard draws through: crossterm's writer, except that it never
//! asks the terminal anything. The cursor position is never read (a full-screen viewport does
//! not need it, and a read would race our input thread for the reply), and the size comes from
//! an ioctl on stdout rather than crossterm's `/dev/tty` open or its `tput` fallback.

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use std::io::{self, Stdout, Write};

/// Crossterm's backend on stdout, with no terminal queries.
pub struct TtyBackend {
    inner: CrosstermBackend<Stdout>,
}

impl TtyBackend {
    /// A backend writing to stdout.
    #[must_use]
    pub fn new() -> Self {
        TtyBackend {
            inner: CrosstermBackend::new(io::stdout()),
        }
    }
}

impl Default for TtyBackend {
    fn default() -> Self {
        Self::new()
    }
}

impl Write for TtyBackend {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

impl Backend for TtyBackend {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    /// Best-effort: ratatui's `Terminal` shows the cursor when dropped and reports a failure
    /// with `eprintln!`, which panics when the terminal is gone. Leaving the terminal shows
    /// the cursor anyway ([`super::Restore`]).
    fn show_cursor(&mut self) -> io::Result<()> {
        let _ = self.inner.show_cursor();
        Ok(())
    }

    /// Never asks: the full-screen viewport keeps no cursor between frames, so the origin is
    /// as good an answer as any (ratatui's `clear` puts the cursor back there).
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(Position::ORIGIN)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        let (width, height) = super::size()?;
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let ws = rustix::termios::tcgetwinsize(io::stdout())?;
        Ok(WindowSize {
            columns_rows: Size {
                width: ws.ws_col,
                height: ws.ws_row,
            },
            pixels: Size {
                width: ws.ws_xpixel,
                height: ws.ws_ypixel,
            },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}
