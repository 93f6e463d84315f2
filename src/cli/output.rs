//! Printing: JSON (Go's field order, two-space indent, `<>&` as is) and aligned text tables
//! that fit the terminal.

use crate::persist::gojson::{self, Style};
use crate::present::text::{fit, truncate, width};
use serde_json::Value;
use std::io::{self, IsTerminal, Write};

const JSON_OUT: Style = Style {
    pretty: true,
    escape_html: false,
};

/// Lets go of `value` without freeing it: a command that is about to end the process need not
/// free tens of thousands of small allocations one by one (measured: 7% of `beadboard runs`
/// with 20,000 runs); the operating system takes the memory back at exit.
pub fn leave<T>(value: T) {
    std::mem::forget(value);
}

/// Prints a value as indented JSON followed by a newline.
pub fn print_json(value: &Value) -> io::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{}", gojson::encode(value, JSON_OUT))
}

/// Prints a value as one compact JSON line (for streams).
pub fn print_json_line(value: &Value) -> io::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{}", gojson::encode(value, Style::LINE))?;
    out.flush()
}

/// The width to fit tables into: the terminal's, or unlimited when not a terminal.
fn available_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size()
        .ok()
        .map(|(w, _)| usize::from(w))
}

/// A text table: a header row and rows of cells; the last column is cut to fit the terminal.
#[derive(Debug, Default)]
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers.
    #[must_use]
    pub fn new(headers: &[&str]) -> Table {
        Table {
            rows: vec![headers.iter().map(|h| (*h).to_owned()).collect()],
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// True when only the header is there.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rows.len() <= 1
    }

    /// Renders with two spaces between columns.
    #[must_use]
    pub fn render(&self, max_width: Option<usize>) -> String {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0; columns];
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(width(cell));
            }
        }
        let mut out = String::new();
        for row in &self.rows {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                if i + 1 == row.len() {
                    let room =
                        max_width.map_or(usize::MAX, |m| m.saturating_sub(width(&line)).max(10));
                    line.push_str(&truncate(cell, room));
                } else {
                    line.push_str(&fit(cell, widths[i]));
                    line.push_str("  ");
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// Prints the table, fitted to the terminal.
    pub fn print(&self) -> io::Result<()> {
        io::stdout()
            .lock()
            .write_all(self.render(available_width()).as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_and_cuts_the_last_column() {
        let mut t = Table::new(&["ID", "TITLE"]);
        t.row(vec!["wa-1".into(), "a long title that goes on".into()]);
        assert_eq!(t.render(Some(20)), "ID    TITLE\nwa-1  a long title…\n");
        assert_eq!(
            t.render(None),
            "ID    TITLE\nwa-1  a long title that goes on\n"
        );
    }
}
