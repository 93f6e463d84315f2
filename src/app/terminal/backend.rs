//! The ratatui backend the dashboard draws through: crossterm's writer, except that it never
//! asks the terminal anything. The cursor position is never read (a full-screen viewport does
//! not need it, and a read would race our input thread for the reply), and the size comes from
//! an ioctl on stdout rather than crossterm's `/dev/tty` open or its `tput` fallback. A row
//! marked to be redrawn whole (`ui::redraw`) is erased before it is written.

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Cell, CellDiffOption};
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
        draw_erasing_redrawn_rows(&mut self.inner, content)
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

/// Draws `content` through `inner`, erasing each row whose first cell is marked
/// [`CellDiffOption::AlwaysUpdate`] (a row redrawn whole, every cell of it in `content`) before
/// writing it, so nothing the terminal drew there before, in cells of its own choosing, is left.
fn draw_erasing_redrawn_rows<'a, W: Write>(
    inner: &mut CrosstermBackend<W>,
    content: impl Iterator<Item = (u16, u16, &'a Cell)>,
) -> io::Result<()> {
    let mut pending: Vec<(u16, u16, &'a Cell)> = Vec::new();
    for (x, y, cell) in content {
        if x == 0 && cell.diff_option == CellDiffOption::AlwaysUpdate {
            if !pending.is_empty() {
                inner.draw(pending.drain(..))?;
            }
            // After a draw the colours are reset, so the row is erased to the default.
            crossterm::queue!(
                inner,
                crossterm::cursor::MoveTo(0, y),
                crossterm::terminal::Clear(crossterm::terminal::ClearType::CurrentLine)
            )?;
        }
        pending.push((x, y, cell));
    }
    inner.draw(pending.into_iter())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    /// A writer whose bytes stay readable after the backend has taken it.
    #[derive(Clone, Default)]
    struct Captured(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// The bytes a diff from `before` to `after` writes.
    fn written(before: &Buffer, after: &Buffer) -> String {
        let captured = Captured::default();
        let mut inner = CrosstermBackend::new(captured.clone());
        draw_erasing_redrawn_rows(&mut inner, before.diff_iter(after)).unwrap();
        Write::flush(&mut inner).unwrap();
        String::from_utf8(captured.0.take()).unwrap()
    }

    #[test]
    fn a_row_redrawn_whole_is_erased_first_and_written_whole() {
        let area = Rect::new(0, 0, 6, 3);
        let mut before = Buffer::empty(area);
        before.set_string(0, 1, "👍🏽 ab", Style::new());
        let mut after = before.clone();
        after.set_string(4, 1, "c", Style::new());
        // Unmarked: only the changed cell is written.
        let unmarked = written(&before, &after);
        assert!(unmarked.starts_with("\u{1b}[2;5Hc\u{1b}[39m") && !unmarked.contains('👍'));
        crate::ui::redraw::mark(&mut after, &[]);
        let out = written(&before, &after);
        assert!(out.starts_with("\u{1b}[2;1H\u{1b}[2K"), "{out:?}");
        assert!(out.contains("👍🏽"), "{out:?}");
        // Every cell of rows 1 and 2 is written: the spaces after the cluster too.
        assert!(out.contains("\u{1b}[3;1H\u{1b}[2K"), "{out:?}");
        assert!(!out.contains("\u{1b}[1;1H"), "row 0 is left alone: {out:?}");
    }
}
