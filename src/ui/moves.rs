//! What the selected card allows on a store of today's NTM (schema 9): a board key is offered
//! exactly when the key itself would act (the store is one NTM's strict read accepts, and the
//! row's refusal for that action is `None`: NTM's rules of ntm-v9.md), and when nothing is,
//! why, briefly for the footer and in full for the card detail. The keys give the same reason
//! in the status line when pressed anyway.

use crate::app::action::Action;
use crate::app::model::Model;
use crate::persist::assignment::Assignment;
use crate::persist::assignment::v9::{NtmRow, RowAction};
use crate::present::{ntm_row, sanitize};

/// The board keys that act on a card, with the action each asks of a schema-9 row.
pub const ROW_KEYS: [(Action, RowAction); 6] = [
    (Action::Start, RowAction::Start),
    (Action::Complete, RowAction::Complete),
    (Action::Fail, RowAction::Fail),
    (Action::Reassign, RowAction::Reassign),
    (Action::Retry, RowAction::Retry),
    (Action::Remove, RowAction::Remove),
];

/// The row action of a board key, if it is one.
#[must_use]
pub fn row_action(action: Action) -> Option<RowAction> {
    ROW_KEYS.iter().find(|(a, _)| *a == action).map(|(_, r)| *r)
}

/// Why `action` may not act on `card` of `session`'s schema-9 store: (a few words, the whole
/// reason); `None` when it may.
#[must_use]
pub fn refusal(
    model: &Model,
    session: &str,
    card: &Assignment,
    action: RowAction,
) -> Option<(String, String)> {
    let store = model.board.store_of(session)?;
    let view = store.ntm()?;
    if let Some(why) = &view.choice.refusal {
        return Some((
            "the store is read-only".to_owned(),
            sanitize::one_line(&format!("NTM refuses this store: {why}")),
        ));
    }
    NtmRow::new(card).refusal(action).map(|r| {
        (
            ntm_row::refusal_brief(&r),
            sanitize::one_line(&r.to_string()),
        )
    })
}

/// When no board key may act on `card` of `session`'s schema-9 store, why (a few words, the
/// whole reason).
#[must_use]
pub fn blocked(model: &Model, session: &str, card: &Assignment) -> Option<(String, String)> {
    let mut why = None;
    for (_, action) in ROW_KEYS {
        match refusal(model, session, card, action) {
            None => return None,
            Some(r) if why.is_none() || action == RowAction::Remove => why = Some(r),
            Some(_) => {}
        }
    }
    why
}
