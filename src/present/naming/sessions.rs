//! Resolving a name typed for an agent session: its name (`webapp claude 88a8d7`, any case),
//! its whole id, or a prefix of its id at least [`SHORT_ID`] characters long that no other
//! session's id shares.

use super::{NameError, Named, SHORT_ID, name, reference};

/// Whether `text` could be (the start of) a session id.
fn id_like(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The one session among `runs` that `text` names (`shown` is `text` made safe to print).
pub(super) fn resolve<'r, R: Named>(
    text: &str,
    shown: String,
    runs: &'r [R],
) -> Result<&'r R, NameError> {
    let sessions: Vec<&R> = runs.iter().filter(|r| r.agent().is_some()).collect();
    let pick = |found: Vec<&'r R>| -> Result<&'r R, NameError> {
        match found.as_slice() {
            [one] => Ok(one),
            many => Err(NameError::Ambiguous {
                spec: shown.clone(),
                candidates: many.iter().map(|r| (name(r), reference(r))).collect(),
                remedy: "give more of the session id",
            }),
        }
    };
    let by_name: Vec<&R> = sessions
        .iter()
        .copied()
        .filter(|r| name(r).eq_ignore_ascii_case(text))
        .collect();
    if !by_name.is_empty() {
        return pick(by_name);
    }
    if !id_like(text) {
        return Err(NameError::NotAName(shown));
    }
    let exact: Vec<&R> = sessions
        .iter()
        .copied()
        .filter(|r| r.run_key() == text)
        .collect();
    if !exact.is_empty() {
        return pick(exact);
    }
    let starting: Vec<&R> = sessions
        .iter()
        .copied()
        .filter(|r| r.run_key().starts_with(text))
        .collect();
    if text.chars().count() < SHORT_ID {
        return Err(if starting.is_empty() {
            NameError::NotAName(shown)
        } else {
            NameError::ShortPrefix(shown)
        });
    }
    match starting.as_slice() {
        [] if sessions.is_empty() => Err(NameError::NotAName(shown)),
        [] => Err(NameError::Unknown {
            spec: shown,
            hint: "no session's name or id starts so (see `beadboard runs`)".to_owned(),
        }),
        _ => pick(starting),
    }
}
