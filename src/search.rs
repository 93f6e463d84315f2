//! Full-text search of transcripts, with no terminal code: the raw-bytes scanner (the query
//! spelled as JSON writes it, found at memory speed in large chunks, each candidate line
//! verified against its readable text so keys, timestamps and escape sequences never match),
//! used for one transcript by the transcript pane and for every run at once by
//! `beadboard search` and the dashboard.
//!
//! - [`Query`]: what is looked for (smart case) and its raw pattern.
//! - [`scan`] with [`SearchRequest`]/[`SearchUpdate`]: one transcript, in the background.
//! - [`CorpusSearch`] over [`Target`]s: many transcripts on every core, streaming [`Hit`]s.
//! - [`Typed`], [`of_repo`], [`parse_since`]: what narrows a search of every transcript.
//!
//! A line matches when its entry's readable text (type, agent, state, content, signal and
//! error, as the screen shows them) contains the query, found through the text as written: a
//! match that only appears once escape sequences are removed from the middle of it is not found.
//! A last line without a newline is searched by the CLI only once it is a complete entry.

mod corpus;
mod file;
mod format;
mod query;
mod scanner;
mod verify;
mod words;

#[cfg(test)]
mod tests;

pub use corpus::{CorpusEvent, CorpusOutcome, CorpusProgress, CorpusSearch, Hit, Target};
pub use file::{SearchRequest, SearchUpdate, find_trouble, scan};
pub use format::{LineFormat, session_line_text, session_text};
pub use query::{Query, case_sensitive, line_text, searchable_text, smart_contains};
pub use verify::line_matches;
pub use words::{Typed, of_repo, parse_since};
