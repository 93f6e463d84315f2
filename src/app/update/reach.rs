//! Reaching out of the dashboard: `y` copies the selection to the clipboard (OSC 52, which
//! works through tmux and SSH), `O` opens the transcript in the user's pager at the selected
//! line, Ctrl-O edits a form field in the user's editor. The clipboard and the terminal belong
//! to the event loop, so these only ask it (effects).

use crate::app::effect::Effect;
use crate::app::model::{LineContent, Model, Overlay, Pane, StatusKind};
use crate::app::terminal::lend::Foreground;
use crate::present::{naming, sanitize};

/// What `y` copies where the user is, and what to call it.
fn selection(model: &Model) -> Option<(String, String)> {
    let entry_text = |model: &Model, index: usize| {
        model
            .transcript
            .lines()
            .get(index)
            .map(|line| match &line.content {
                LineContent::Entry(e) => [&e.content, &e.error, &e.signal]
                    .into_iter()
                    .find(|t| !t.is_empty())
                    .map_or_else(|| e.entry_type.as_str().to_owned(), |t| sanitize::plain(t)),
                LineContent::Session(e) if e.text.is_empty() => e.kind.as_str().to_owned(),
                LineContent::Session(e) => sanitize::plain(&e.text),
                LineContent::Unreadable { preview, .. } => sanitize::plain(preview),
            })
    };
    match &model.overlay {
        Some(Overlay::Card { session, bead, .. }) => {
            let card = model
                .board
                .card(&crate::app::model::CardKey::new(session, bead))?;
            return Some((
                sanitize::plain(&card.prompt_sent),
                format!("{bead}'s prompt"),
            ));
        }
        Some(Overlay::Detail { line, .. }) => {
            return entry_text(model, *line).map(|t| (t, "the entry".to_owned()));
        }
        Some(_) => return None,
        None => {}
    }
    match model.focus {
        Pane::Runs => model.runs.selected().map(|r| {
            let name = naming::name(r);
            (name.clone(), format!("run {name}"))
        }),
        Pane::Transcript => entry_text(model, model.transcript.cursor)
            .map(|t| (t, "the transcript entry".to_owned())),
        Pane::Board => {
            let id = model
                .board
                .selected_card()
                .map(|c| c.bead_id.clone())
                .or_else(|| model.board.selected_ready().map(|b| b.id.clone()))?;
            Some((id.clone(), format!("bead id {id}")))
        }
    }
}

/// `y`: the selection goes to the clipboard.
pub fn yank(model: &mut Model) {
    match selection(model) {
        Some((text, what)) if !text.is_empty() => {
            model.outbox.push(Effect::Clipboard(text));
            model.say(StatusKind::Success, format!("copied {what} (OSC 52)"));
        }
        _ => model.say(StatusKind::Info, "nothing selected to copy"),
    }
}

/// `O`: the transcript in `$PAGER` at the selected line.
pub fn open_pager(model: &mut Model) {
    let pane = &model.transcript;
    let (Some(path), Some(line)) = (pane.path(), pane.lines().get(pane.cursor)) else {
        model.say(StatusKind::Info, "no transcript line selected to open");
        return;
    };
    let what = Foreground::Pager {
        path: path.to_path_buf(),
        line: line.number,
        offset: line.offset,
    };
    model.outbox.push(Effect::Foreground(what));
}

/// Ctrl-O in a form: the focused field in `$VISUAL`/`$EDITOR`.
pub fn edit_field(model: &mut Model) {
    if let Some(Overlay::Form(form)) = &model.overlay
        && let Some(field) = form.fields.get(form.focus)
    {
        let what = Foreground::Editor {
            field: form.focus,
            text: field.value.clone(),
        };
        model.outbox.push(Effect::Foreground(what));
    }
}
