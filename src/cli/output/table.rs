//! Aligned text tables: columns as wide as their widest cell, two spaces between them, and the
//! last column cut to fit the terminal. A listing is written with [`Table::stream`]: a first
//! pass over its items measures the columns, a second makes each row again and writes it at
//! once, so memory does not grow with the rows. [`Table`] keeps its rows, for short tables.

use super::Out;
use crate::cli::CliError;
use crate::present::text::{fit, truncate, width};

/// A text table: a header row and rows of cells.
#[derive(Debug, Default)]
pub struct Table {
    rows: Vec<Vec<String>>,
}

/// Widens `widths` to take `row`'s cells but its last: a row's last cell is never padded (it
/// runs to the end of the line), so it must not widen its column either, or a short row (a
/// message in place of counts) would push every later column of the others apart.
fn measure(widths: &mut Vec<usize>, row: &[String]) {
    if widths.len() < row.len() {
        widths.resize(row.len(), 0);
    }
    let padded = row.len().saturating_sub(1);
    for (w, cell) in widths.iter_mut().zip(&row[..padded]) {
        *w = (*w).max(width(cell));
    }
}

/// Lays out one row into `text`: each cell padded to its column's width, the row's last cut
/// to what is left of `max_width`.
fn lay_out_row(text: &mut String, row: &[String], widths: &[usize], max_width: Option<usize>) {
    text.clear();
    for (i, cell) in row.iter().enumerate() {
        if i + 1 == row.len() {
            let room = max_width.map_or(usize::MAX, |m| m.saturating_sub(width(text)).max(10));
            text.push_str(&truncate(cell, room));
        } else {
            text.push_str(&fit(cell, widths.get(i).copied().unwrap_or(0)));
            text.push_str("  ");
        }
    }
    let kept = text.trim_end().len();
    text.truncate(kept);
}

fn header(headers: &[&str]) -> Vec<String> {
    headers.iter().map(|h| (*h).to_owned()).collect()
}

impl Table {
    /// A table with these column headers.
    #[must_use]
    pub fn new(headers: &[&str]) -> Table {
        Table {
            rows: vec![header(headers)],
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

    /// Lays out each line, handing it to `line`.
    fn lay_out<E>(
        &self,
        max_width: Option<usize>,
        mut line: impl FnMut(&str) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut widths = Vec::new();
        for row in &self.rows {
            measure(&mut widths, row);
        }
        let mut text = String::new();
        for row in &self.rows {
            lay_out_row(&mut text, row, &widths, max_width);
            line(&text)?;
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

    /// Writes a table of `items`, one row each (`cells`), fitted to the terminal, without
    /// keeping the rows: `cells` is called twice for each item, once to measure the columns
    /// and once to write its row, which goes out before the next is made. The same text as a
    /// [`Table`] of the same rows.
    ///
    /// # Errors
    /// As [`Out::line`]: a reader gone away ends it at once.
    pub fn stream<T>(
        out: &mut Out,
        headers: &[&str],
        items: &[T],
        mut cells: impl FnMut(&T) -> Vec<String>,
    ) -> Result<(), CliError> {
        let header = header(headers);
        let mut widths = Vec::new();
        measure(&mut widths, &header);
        for item in items {
            measure(&mut widths, &cells(item));
        }
        let max_width = out.width();
        let mut text = String::new();
        lay_out_row(&mut text, &header, &widths, max_width);
        out.line(format_args!("{text}"))?;
        for item in items {
            lay_out_row(&mut text, &cells(item), &widths, max_width);
            out.line(format_args!("{text}"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::{Arc, Mutex};

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

    /// Bytes written so far, shared with the test.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_streamed_table_writes_each_row_before_making_the_next() {
        // Rows longer than the output's buffer go out as they are written.
        let items: Vec<String> = (0..6)
            .map(|i| format!("{i}{}", "x".repeat(20_000)))
            .collect();
        let rows = |i: &String| vec![i[..1].to_owned(), "a b".to_owned(), i.clone()];
        let shared = Shared::default();
        let mut out = Out::to(Box::new(shared.clone()), None);
        let mut calls = 0;
        let mut written_when_made = Vec::new();
        Table::stream(&mut out, &["N", "WORDS", "TEXT"], &items, |i| {
            calls += 1;
            written_when_made.push(shared.0.lock().unwrap().len());
            rows(i)
        })
        .unwrap();
        out.flush().unwrap();
        assert_eq!(calls, 12, "measured, then made again to be written");
        // While measuring, nothing is written; then each row is made once the rows before it
        // are out (each over 20,000 bytes).
        assert_eq!(written_when_made[..6], [0; 6]);
        for (k, written) in written_when_made[6..].iter().enumerate() {
            assert!(
                *written >= k * 20_000,
                "row {k} made with {written} bytes out"
            );
        }
        // The same text as a table of the same rows.
        let mut whole = Table::new(&["N", "WORDS", "TEXT"]);
        for i in &items {
            whole.row(rows(i));
        }
        let streamed = String::from_utf8(shared.0.lock().unwrap().clone()).unwrap();
        assert_eq!(streamed, whole.render(None));
    }
}
