//! The transcript pane's search: the UI-free scanner in [`crate::search`], re-exported here
//! for the dashboard (the event loop runs [`scan`] on a background thread).

pub use crate::search::{
    SearchRequest, SearchUpdate, case_sensitive, find_trouble, scan, smart_contains,
};
