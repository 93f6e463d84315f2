//! `t` on a card: the transcript of the run doing it (the session bound to the card's pane,
//! else the newest run whose prompt names the bead), selected in Runs and opened in the
//! Transcript pane; Esc there comes back to the board with the same card selected.

use crate::app::model::{CardKey, Known, Model, Pane, StatusKind};
use crate::binding::PaneState;
use crate::present::{naming, sanitize};

/// Why the selected card has no run to open, in words.
fn no_run(model: &Model, key: &CardKey) -> String {
    let bead = sanitize::one_line(&key.bead);
    if let Some(agent) = model.binder.card(&key.session, &key.bead) {
        let pane = sanitize::one_line(&agent.pane.to_string());
        return match &agent.state {
            PaneState::Bound(b) => format!(
                "{bead}'s agent ({}, pid {}) has written no session yet",
                b.agent, b.pid
            ),
            PaneState::Unbound {
                agent, pane, why, ..
            } => format!(
                "{bead}'s {agent} in {} is bound to no run: {}",
                sanitize::one_line(pane),
                sanitize::one_line(&why.to_string())
            ),
            PaneState::NoAgent { .. } => format!("no agent runs in {bead}'s pane {pane}"),
            PaneState::Gone => format!("{bead}'s pane {pane} is gone"),
            PaneState::Ambiguous { windows } => {
                format!("{bead}'s {pane} is in {windows} windows: no agent looked for")
            }
        };
    }
    match &model.binder.known {
        Known::Failed(why) => format!(
            "no run found for {bead} (panes not looked at: {})",
            sanitize::one_line(why)
        ),
        _ => format!("no run found for {bead}: its pane holds no bound agent, no prompt names it"),
    }
}

/// `t`: opens the transcript of the selected card's run.
pub fn card_transcript(model: &mut Model) {
    let Some((key, _)) = model.board.selected_entry() else {
        model.say(StatusKind::Info, "no card selected");
        return;
    };
    let key = key.clone();
    let Some(dir) = model.card_run(&key.session, &key.bead).map(|r| r.dir) else {
        let text = no_run(model, &key);
        model.say(StatusKind::Info, text);
        return;
    };
    model.runs.select_dir(&dir);
    let mut note = String::new();
    if model.runs.selected().is_none_or(|r| r.dir != dir) {
        // Hidden by the Runs pane's filter or its active-only view: show every run.
        model.runs.set_filter(String::new());
        model.runs.set_active_only(false);
        model.runs.select_dir(&dir);
        note.push_str(" (the Runs filter was cleared to show it)");
    }
    let Some(name) = model.runs.selected().map(naming::name) else {
        model.say(StatusKind::Info, "its run is not listed any more");
        return;
    };
    model.open_selected_transcript();
    model.focus = Pane::Transcript;
    let bead = sanitize::one_line(&key.bead);
    model.from_card = Some((key, dir));
    model.say(
        StatusKind::Info,
        format!("{name}: {bead}'s agent; Esc goes back to the card{note}"),
    );
}

/// Esc in the Transcript pane opened from a card: back to the board at that card. False when
/// the transcript shown is not the one opened from a card.
pub fn back_to_card(model: &mut Model) -> bool {
    let Some((key, dir)) = model.from_card.take() else {
        return false;
    };
    if model.transcript.run_dir() != Some(dir.as_path()) {
        return false;
    }
    model.focus = Pane::Board;
    model.board.follow(key);
    model.status = None;
    true
}
