//! The one way the headless subcommands write: [`Out`], a buffered stdout that turns a reader
//! gone away (`| head`) into a quiet exit 0, as ripgrep does, and any other write error into a
//! message; [`errln!`] for stderr (never a panic, as `eprintln!` would on a closed stderr);
//! JSON (Go's field order, two-space indent, `<>&` as is), arrays streamed item by item, and
//! aligned text tables that fit the terminal. `println!` and friends are denied in `cli` by
//! clippy (`print_stdout`, `print_stderr`).

mod hangup;
mod lines;
mod table;

pub use hangup::on_reader_gone;
pub use lines::LineSink;
pub use table::Table;

use super::CliError;
use crate::persist::gojson::{self, Style};
use serde_json::Value;
use std::fmt;
use std::io::{self, BufWriter, IsTerminal, Write};

const JSON_OUT: Style = Style {
    pretty: true,
    escape_html: false,
};

/// Writes one line (a `format!` string) to an [`Out`]: `outln!(out, "{x}")?`.
macro_rules! outln {
    ($out:expr) => {
        $out.line(format_args!(""))
    };
    ($out:expr, $($arg:tt)*) => {
        $out.line(format_args!($($arg)*))
    };
}

/// Writes one line to stderr, ignoring a stderr that cannot be written (never a panic).
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::output::err_line(format_args!($($arg)*))
    };
}

pub(crate) use {errln, outln};

/// Lets go of `value` without freeing it: a command that is about to end the process need not
/// free tens of thousands of small allocations one by one (measured: 7% of `beadboard runs`
/// with 20,000 runs); the operating system takes the memory back at exit.
pub fn leave<T>(value: T) {
    std::mem::forget(value);
}

/// Writes a line to stderr; a stderr that is gone is ignored.
pub fn err_line(args: fmt::Arguments<'_>) {
    let mut err = io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| err.write_all(b"\n"));
}

/// What a failed write means: the reader went away (a quiet end, exit 0), or an error.
#[must_use]
pub fn write_error(e: &io::Error) -> CliError {
    if e.kind() == io::ErrorKind::BrokenPipe {
        CliError::closed()
    } else {
        CliError::failed(format!("cannot write the output: {e}"))
    }
}

/// Standard output, buffered; every write error is a [`CliError`] (see [`write_error`]).
/// Every JSON record it writes says which machine it is from (`"host": "local"`, see
/// [`Out::for_host`]); with several hosts shown, every line of text starts with `host:`.
pub struct Out {
    w: BufWriter<Box<dyn Write + Send>>,
    /// The width tables are fitted to: the terminal's, or none when not a terminal.
    width: Option<usize>,
    /// The host every JSON record is from.
    host: String,
    /// Put before every line of text (`gpu1:`), when several hosts are shown.
    prefix: Option<String>,
}

impl std::fmt::Debug for Out {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Out").field("width", &self.width).finish()
    }
}

impl Out {
    /// The process's standard output.
    #[must_use]
    pub fn stdout() -> Out {
        let width = io::stdout()
            .is_terminal()
            .then(|| {
                crossterm::terminal::size()
                    .ok()
                    .map(|(w, _)| usize::from(w))
            })
            .flatten();
        Out {
            w: BufWriter::with_capacity(64 * 1024, Box::new(io::stdout())),
            width,
            host: crate::remote::LOCAL.to_owned(),
            prefix: None,
        }
    }

    /// Output into any writer (tests), with tables fitted to `width`.
    #[must_use]
    pub fn to(w: Box<dyn Write + Send>, width: Option<usize>) -> Out {
        Out {
            w: BufWriter::new(w),
            width,
            host: crate::remote::LOCAL.to_owned(),
            prefix: None,
        }
    }

    /// Says `host` in every JSON record, and with `prefixed`, `host:` before every line of
    /// text.
    #[must_use]
    pub fn for_host(mut self, host: &str, prefixed: bool) -> Out {
        self.host = host.to_owned();
        self.prefix = prefixed.then(|| format!("{host}:"));
        self
    }

    /// Says `host` in every JSON record from now on.
    pub fn set_host(&mut self, host: &str) {
        host.clone_into(&mut self.host);
    }

    /// `value` with the host in it: an object gets `host` (unless it names one), an array each
    /// object in it.
    fn tagged(&self, value: &Value) -> Value {
        let tag = |v: &Value| match v {
            Value::Object(map) => {
                let mut map = map.clone();
                map.entry("host")
                    .or_insert_with(|| Value::from(self.host.as_str()));
                Value::Object(map)
            }
            other => other.clone(),
        };
        match value {
            Value::Array(items) => Value::Array(items.iter().map(tag).collect()),
            other => tag(other),
        }
    }

    fn raw(&mut self, text: &str) -> Result<(), CliError> {
        self.w
            .write_all(text.as_bytes())
            .map_err(|e| write_error(&e))
    }

    /// The width tables are fitted to.
    #[must_use]
    pub fn width(&self) -> Option<usize> {
        self.width
    }

    /// Writes formatted text and a newline (see [`outln!`]).
    ///
    /// # Errors
    /// The reader went away (a quiet end), or another write error.
    pub fn line(&mut self, args: fmt::Arguments<'_>) -> Result<(), CliError> {
        if let Some(prefix) = &self.prefix {
            let line = args.to_string();
            if !line.is_empty() {
                self.w
                    .write_all(prefix.as_bytes())
                    .map_err(|e| write_error(&e))?;
            }
            return self.raw(&line).and_then(|()| self.raw("\n"));
        }
        self.w
            .write_fmt(args)
            .and_then(|()| self.w.write_all(b"\n"))
            .map_err(|e| write_error(&e))
    }

    /// Writes text as it is (each line after `host:`, with several hosts shown).
    ///
    /// # Errors
    /// As [`Out::line`].
    pub fn text(&mut self, text: &str) -> Result<(), CliError> {
        match self.prefix.clone() {
            Some(prefix) => text.split_inclusive('\n').try_for_each(|line| {
                if line != "\n" {
                    self.raw(&prefix)?;
                }
                self.raw(line)
            }),
            None => self.raw(text),
        }
    }

    /// Writes a value as indented JSON and a newline.
    ///
    /// # Errors
    /// As [`Out::line`].
    pub fn json(&mut self, value: &Value) -> Result<(), CliError> {
        let mut text = gojson::encode(&self.tagged(value), JSON_OUT);
        text.push('\n');
        self.raw(&text)
    }

    /// Writes a value as one compact JSON line (for streams); the caller flushes.
    ///
    /// # Errors
    /// As [`Out::line`].
    pub fn json_line(&mut self, value: &Value) -> Result<(), CliError> {
        let mut text = gojson::encode(&self.tagged(value), Style::LINE);
        text.push('\n');
        self.raw(&text)
    }

    /// Sends what is buffered.
    ///
    /// # Errors
    /// As [`Out::line`].
    pub fn flush(&mut self) -> Result<(), CliError> {
        self.w.flush().map_err(|e| write_error(&e))
    }
}

/// A JSON array written item by item (memory does not grow with it), laid out as
/// [`Out::json`] lays out a whole array.
#[derive(Debug, Default)]
pub struct JsonItems {
    items: usize,
}

impl JsonItems {
    /// Writes the next item.
    ///
    /// # Errors
    /// As [`Out::line`].
    pub fn item(&mut self, out: &mut Out, value: &Value) -> Result<(), CliError> {
        let mut text = String::from(if self.items == 0 { "[\n  " } else { ",\n  " });
        gojson::write_value(&mut text, &out.tagged(value), JSON_OUT, 1);
        self.items += 1;
        out.raw(&text)
    }

    /// How many items have been written.
    #[must_use]
    pub fn len(&self) -> usize {
        self.items
    }

    /// True before the first item.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.items == 0
    }

    /// Closes the array (`[]` when empty) and ends the line.
    ///
    /// # Errors
    /// As [`Out::line`].
    pub fn end(self, out: &mut Out) -> Result<(), CliError> {
        out.raw(if self.items == 0 { "[]\n" } else { "\n]\n" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::{Arc, Mutex};

    /// A writer whose bytes the test can read afterwards.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn written(f: impl FnOnce(&mut Out)) -> String {
        let shared = Shared::default();
        let mut out = Out::to(Box::new(shared.clone()), None);
        f(&mut out);
        out.flush().unwrap();
        drop(out);
        String::from_utf8(shared.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn a_streamed_array_is_laid_out_as_a_whole_one() {
        for items in [
            vec![],
            vec![json!(1)],
            vec![json!({"a": [1, 2]}), json!("x")],
        ] {
            let streamed = written(|out| {
                let mut array = JsonItems::default();
                for item in &items {
                    array.item(out, item).unwrap();
                }
                array.end(out).unwrap();
            });
            let whole = written(|out| out.json(&Value::Array(items.clone())).unwrap());
            assert_eq!(streamed, whole);
        }
    }

    /// A writer whose reader has gone away.
    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn a_reader_gone_away_is_a_quiet_end_and_other_errors_are_named() {
        let mut out = Out::to(Box::new(Closed), None);
        outln!(out, "x").unwrap();
        assert_eq!(out.flush(), Err(CliError::closed()));
        let full = write_error(&io::Error::from_raw_os_error(28));
        assert_eq!(full.code, super::super::exit::FAILED);
        assert!(full.message.contains("cannot write the output"), "{full:?}");
    }
}
