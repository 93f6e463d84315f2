//! `status --json`: runs by state, agent sessions by state, beads by status per session, and
//! every item that needs attention (never capped).

use super::Counts;
use crate::events::ItemKind;
use crate::persist::natural::NaturalKey;
use crate::present::attention::ReasonCode;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

/// How things stand.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StatusJson {
    /// Agentpair runs by state (as the manifest writes it).
    pub runs: Counts,
    /// Agent sessions by state.
    pub agents: Counts,
    /// How many runs are stale.
    pub stale: usize,
    /// Each NTM session's beads by status (as the store writes it), sessions in natural order
    /// (`bd-2` before `bd-10`).
    pub beads: BTreeMap<NaturalKey, BeadCounts>,
    /// Every item that needs attention, in the dashboard's order (never capped), less those
    /// acknowledged in the dashboard (`A`) in the situation they are in.
    pub needs_attention: Vec<AttentionItem>,
    /// How many items need attention but were acknowledged, so are not listed.
    pub acknowledged: usize,
    /// The one-line form (`status --short`).
    pub line: String,
    /// Deprecated (kept one release): how many items need attention, the length of
    /// `needs_attention`.
    #[schemars(extend("deprecated" = true))]
    pub attention: usize,
}

/// A session's beads by status (as the store writes them).
pub type BeadCounts = crate::persist::assignment::AssignmentStats;

/// Something that needs attention.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AttentionItem {
    /// `run` or `bead`.
    pub kind: ItemKind,
    /// `api #4`, or the bead id.
    pub name: String,
    /// `<repo id>/<run id>`, or `<session>/<bead>`.
    pub reference: String,
    /// Why, in words.
    pub reason: String,
    /// Why, as a stable code.
    pub reason_code: ReasonCode,
    /// The NTM session (beads) or the run's tmux session; `null` when there is none.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub session: Option<String>,
    /// The agent, for an agent session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// Deprecated (kept one release): the same as `reference`.
    #[schemars(extend("deprecated" = true))]
    pub id: String,
}
