//! From news to notifications: the attention events the model queued (something newly needs
//! attention or finished, announced once per situation) become [`Notice`]s, delivered through
//! whatever channels the user configured (bell, desktop escape sequence, hook). The event loop
//! calls [`deliver`] after each burst of messages; tests call it with a capturing notifier.

use super::model::{Model, StatusKind};
use crate::events::Event;
use crate::notification::{Notice, NoticeKind, Notifier};
use crate::present::attention::Level;
use crate::present::sanitize::one_line;

/// The notice for an attention event, if it is news worth telling.
#[must_use]
pub fn notice_for(event: &Event) -> Option<Notice> {
    let Event::Attention {
        at,
        kind,
        reference,
        name,
        level,
        reason,
        reason_code,
        state,
        session,
        repo,
        ..
    } = event
    else {
        return None;
    };
    let (event, headline) = match level {
        Level::Attention => (NoticeKind::Attention, "needs attention"),
        Level::Finished => (NoticeKind::Finished, "finished"),
        Level::Fine => return None,
    };
    let shown = one_line(name);
    Some(Notice {
        event,
        at: *at,
        kind: *kind,
        name: name.clone(),
        reference: reference.clone(),
        item: format!("{} {shown}", kind.as_str()),
        title: format!("{shown} {headline}"),
        body: reason.clone(),
        state: state.clone(),
        reason_code: Some(*reason_code),
        session: session.clone(),
        repo: repo.clone(),
    })
}

/// Delivers and clears the model's queued notices; a channel that fails is reported in the
/// status line (the dashboard goes on).
pub fn deliver(model: &mut Model, notifier: &mut dyn Notifier) {
    for event in std::mem::take(&mut model.notices) {
        let Some(notice) = notice_for(&event) else {
            continue;
        };
        if let Err(e) = notifier.notify(&notice) {
            model.say(StatusKind::Warning, format!("notification failed: {e}"));
        }
    }
}
