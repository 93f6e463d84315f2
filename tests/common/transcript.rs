//! What the dashboard's Transcript pane holds, as the tests read it.
#![allow(dead_code)]

use beadboard::app::model::{LineContent, Model};

/// The text of each agent-session entry in the Transcript pane, in order.
pub fn session_texts(m: &Model) -> Vec<String> {
    m.transcript
        .lines()
        .iter()
        .filter_map(|l| match &l.content {
            LineContent::Session(e) => Some(e.text.clone()),
            _ => None,
        })
        .collect()
}
