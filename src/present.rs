//! Presentation shared by the CLI and the dashboard, with no terminal code: how times and
//! durations read, the glyph and word of every state, how an entry is summarised, and how agent
//! text is made safe to show (control characters and escape sequences never pass through raw).

pub mod attention;
pub mod facts;
pub mod glyphs;
pub mod link;
pub mod naming;
pub mod ntm_row;
pub mod sanitize;
pub mod scroll;
pub mod sources;
pub mod summary;
pub mod text;
pub mod time;
