//! The events the observer makes of what changed: an attention event when an item's condition
//! changes (news only when not announced lately), and a bead event when its record moves.

use super::*;

/// The attention event for a condition change, if the condition changed; `announced` is what
/// was announced for the item lately (a situation already announced is no news).
pub(super) fn condition_event(
    item: &Item,
    label: Label,
    before: Option<&Condition>,
    current: &Condition,
    at: DateTime<Utc>,
    announced: &mut Keys,
) -> Option<Event> {
    let unchanged = before.is_some_and(|c| c.level == current.level && c.key == current.key);
    if unchanged || (before.is_none() && current.level == Level::Fine) {
        return None;
    }
    let new = current.level != Level::Fine && announced.announce(&current.key);
    Some(Event::Attention {
        at,
        kind: item.kind(),
        reference: label.id.clone(),
        id: label.id,
        name: label.name,
        state: label.state,
        session: label.session,
        repo: label.repo,
        level: current.level,
        previous: before.map_or(Level::Fine, |c| c.level),
        reason: current.reason.clone(),
        reason_code: current.code,
        key: current.key.clone(),
        new,
    })
}

pub(super) fn bead_event(
    session: &str,
    a: &Assignment,
    before: Option<&Assignment>,
    after: Option<&Assignment>,
    at: DateTime<Utc>,
) -> Event {
    Event::Bead {
        at,
        kind: ItemKind::Bead,
        session: session.to_owned(),
        bead: a.bead_id.clone(),
        name: a.bead_id.clone(),
        reference: format!("{session}/{}", a.bead_id),
        title: a.bead_title.clone(),
        from: before.map(|b| b.status.as_str().to_owned()),
        to: after.map(|x| x.status.as_str().to_owned()),
        pane: a.pane,
        agent: a.agent_type.clone(),
    }
}
