//! Aligned text tables: the rows are kept (columns are as wide as their widest cell), each
//! line is written as it is laid out, and the last column is cut to fit the terminal.

use super::Out;
use crate::cli::CliError;
use crate::present::text::{fit, truncate, width};

/// A text table: a header row and rows of cells.
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

    /// Lays out each line with two spaces between columns, handing it to `line`.
    fn lay_out<E>(
        &self,
        max_width: Option<usize>,
        mut line: impl FnMut(&str) -> Result<(), E>,
    ) -> Result<(), E> {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0; columns];
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(width(cell));
            }
        }
        let mut text = String::new();
        for row in &self.rows {
            text.clear();
            for (i, cell) in row.iter().enumerate() {
                if i + 1 == row.len() {
                    let room =
                        max_width.map_or(usize::MAX, |m| m.saturating_sub(width(&text)).max(10));
                    text.push_str(&truncate(cell, room));
                } else {
                    text.push_str(&fit(cell, widths[i]));
                    text.push_str("  ");
                }
            }
            line(text.trim_end())?;
        }
        Ok(())
    }

    /// The whole table as text.
    #[must_use]
    pub fn render(&self, max_width: Option<usize>) -> String {
        let mut out = String::new();
        let _ = self.lay_out::<()>(max_width, |line| {
            out.push_str(line);
            out.push('\n');
            Ok(())
        });
        out
    }

    /// Writes the table line by line, fitted to the terminal.
    ///
    /// # Errors
    /// As [`Out::line`].
    pub fn print(&self, out: &mut Out) -> Result<(), CliError> {
        let width = out.width();
        self.lay_out(width, |line| out.line(format_args!("{line}")))
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
