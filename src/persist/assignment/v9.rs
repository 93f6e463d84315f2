//! Today's NTM store (schema 9, NTM v1.20 and later), read in full and written only the way
//! `ntm-v9.md` allows.
//!
//! Reading: every per-row field of the four groups (claim, reservation, dispatch, clear and
//! terminal outbox) is available in typed form ([`NtmRow`], [`NtmFields`]) while the record
//! keeps its keys exactly as read; the snapshot is chosen as NTM's strict read does
//! ([`select`]), never promoting or creating anything.
//!
//! Writing: only `start` (assigned → working) and NTM's terminal-reconciliation request
//! (complete, fail with a reason), by NTM's own protocol: the bead operation lock, then the
//! store lock, a strict re-read and generation check, the smallest change, generation + 1,
//! backup first then primary, and a read-back ([`NtmWriter`]). Everything else goes through
//! `ntm assign` (see `crate::ntm`).

mod fields;
mod refusal;
mod row;
pub mod select;
mod states;
mod status;
mod strict;
mod view;
mod write;

pub use fields::{
    Claim, ClaimState, ClearState, Dispatch, DispatchState, KEYS, NtmFields, Outbox, Reservation,
    ReservationState, set_key,
};
pub use refusal::{Refusal, RowAction};
pub use row::{NtmRow, PaneIdentity, TerminalRequest, is_pane_id};
pub use select::{NtmChoice, NtmSource};
pub use status::NtmStatus;
pub use strict::{SCHEMA, check_outbox, validate};
pub use view::{NtmStats, NtmView};
pub use write::{NtmWriteError, NtmWriter, WaitingFor, WriteOutcome, bead_lock_path};

/// For unit tests: the primary file of a folder of NTM's golden stores, decoded.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) fn golden_doc(folder: &str) -> crate::persist::assignment::StoreDocument {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/upstream/ntm-v9")
        .join(folder)
        .join("assignments.json");
    crate::persist::assignment::StoreDocument::from_bytes(&std::fs::read(path).unwrap()).unwrap()
}
