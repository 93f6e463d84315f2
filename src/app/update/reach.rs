//! Reaching out of the dashboard: `y` sends the selection to the clipboard (OSC 52, which
//! works through SSH, and through tmux when its `set-clipboard` is on), `O` opens the transcript in the user's pager at the selected
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

/// `y`: the selection goes to the terminal as a clipboard escape (OSC 52). Whether it reaches
/// the clipboard is the terminal's call (and tmux's, inside tmux): the status line says what
/// was sent, not that it was copied; inside tmux, tmux is asked whether it passes it on.
pub fn yank(model: &mut Model) {
    match selection(model) {
        Some((text, what)) if !text.is_empty() => {
            model.outbox.push(Effect::Clipboard(text));
            model.say(StatusKind::Success, sent(&what));
            if crate::tmux::inside_tmux() {
                model.outbox.push(Effect::CheckClipboard { what });
            }
        }
        _ => model.say(StatusKind::Info, "nothing selected to copy"),
    }
}

fn sent(what: &str) -> String {
    format!("sent {what} to the clipboard with OSC 52")
}

/// What tmux said of `set-clipboard` after `y` sent `what`: `on` passes it on; `external` or
/// `off` keep it from the clipboard, and the status line says how to turn it on.
pub fn clipboard_checked(
    model: &mut Model,
    what: &str,
    setting: Result<crate::tmux::ClipboardSetting, String>,
) {
    use crate::tmux::ClipboardSetting;
    match setting {
        Ok(ClipboardSetting::On) => {}
        Ok(other @ (ClipboardSetting::External | ClipboardSetting::Off)) => {
            let text = format!(
                "{what} did not reach the clipboard: tmux's set-clipboard is {}; turn it on with `tmux set -g set-clipboard on` (and in ~/.tmux.conf)",
                other.as_str()
            );
            model.say(StatusKind::Warning, text);
        }
        Ok(ClipboardSetting::Other(value)) => {
            let text = format!(
                "{}; tmux's set-clipboard is {value:?}, which this version does not know: `tmux set -g set-clipboard on` passes it on",
                sent(what)
            );
            model.say(StatusKind::Warning, text);
        }
        Err(why) => {
            let text = format!(
                "{}; tmux could not be asked whether it passes it on ({why})",
                sent(what)
            );
            model.say(StatusKind::Warning, text);
        }
    }
}

/// `O`: the transcript in `$PAGER` at the selected line.
pub fn open_pager(model: &mut Model) {
    let pane = &model.transcript;
    let (Some(path), Some(line)) = (pane.path(), pane.lines().get(pane.cursor)) else {
        model.say(StatusKind::Info, "no transcript line selected to open");
        return;
    };
    if let crate::app::model::transcript::Source::Document {
        source: crate::persist::session::SessionSource::Database { .. },
        ..
    } = pane.source()
    {
        model.say(
            StatusKind::Info,
            "an OpenCode session is kept in a database: there is no file to page",
        );
        return;
    }
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
