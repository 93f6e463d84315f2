//! `Assignment` (one bead's record) and `AssignmentStats`.

use super::AssignmentStatus;
use crate::persist::gojson::{self, FieldSink, Fields, GoTime, Object, ObjectBuilder};
use serde_json::Value;

/// A bead assigned to an agent. Field order is the Go struct's; unknown keys are kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The bead id: the record's key in the store's `assignments` map, which is what names the
    /// bead upstream (every lookup, transition and replacement goes by the key).
    pub bead_id: String,
    /// The record's own `bead_id` field when it differs from the map key (a hand-edited or
    /// foreign store); written back unchanged so the file round-trips. `None` when they agree.
    pub recorded_bead_id: Option<String>,
    /// The bead's title.
    pub bead_title: String,
    /// The tmux pane index.
    pub pane: i64,
    /// `claude`, `codex`, `gemini` (or NTM's short forms `cc`, `cod`, `gmi`).
    pub agent_type: String,
    /// Agent name (omitted when empty).
    pub agent_name: String,
    /// Current status.
    pub status: AssignmentStatus,
    /// When it was (last) assigned; always written.
    pub assigned_at: GoTime,
    /// When work started.
    pub started_at: Option<GoTime>,
    /// When it completed.
    pub completed_at: Option<GoTime>,
    /// When it failed.
    pub failed_at: Option<GoTime>,
    /// Why it failed.
    pub fail_reason: String,
    /// A second reason field NTM reads but never writes; shown when `fail_reason` is empty.
    pub failure_reason: String,
    /// Retries so far (omitted when 0).
    pub retry_count: i64,
    /// The prompt that was sent (omitted when empty).
    pub prompt_sent: String,
    /// Keys NTM's seed-era struct does not know, kept as read.
    pub extra: Object,
}

impl Assignment {
    /// A fresh `assigned` record, as `Assign` creates it.
    #[must_use]
    pub fn new(
        bead_id: &str,
        bead_title: &str,
        pane: i64,
        agent_type: &str,
        agent_name: &str,
        prompt: &str,
        now: GoTime,
    ) -> Assignment {
        Assignment {
            bead_id: bead_id.to_owned(),
            recorded_bead_id: None,
            bead_title: bead_title.to_owned(),
            pane,
            agent_type: agent_type.to_owned(),
            agent_name: agent_name.to_owned(),
            status: AssignmentStatus::Assigned,
            assigned_at: now,
            started_at: None,
            completed_at: None,
            failed_at: None,
            fail_reason: String::new(),
            failure_reason: String::new(),
            retry_count: 0,
            prompt_sent: prompt.to_owned(),
            extra: Object::new(),
        }
    }

    /// The reason to show for a failure: `fail_reason`, else `failure_reason`.
    #[must_use]
    pub fn reason(&self) -> &str {
        if self.fail_reason.is_empty() {
            &self.failure_reason
        } else {
            &self.fail_reason
        }
    }

    /// Decodes one record with Go's rules; the bead is named by its own `bead_id` field.
    ///
    /// # Errors
    /// A non-object or a field of the wrong type.
    pub fn from_value(value: Value) -> Result<Assignment, gojson::FieldError> {
        let mut f = Fields::from_value(value, "record")?;
        Ok(Assignment {
            bead_id: f.string("bead_id")?,
            recorded_bead_id: None,
            bead_title: f.string("bead_title")?,
            pane: f.int("pane")?,
            agent_type: f.string("agent_type")?,
            agent_name: f.string("agent_name")?,
            status: AssignmentStatus::parse(&f.string("status")?),
            assigned_at: f.time("assigned_at")?,
            started_at: f.optional_time("started_at")?,
            completed_at: f.optional_time("completed_at")?,
            failed_at: f.optional_time("failed_at")?,
            fail_reason: f.string("fail_reason")?,
            failure_reason: f.string("failure_reason")?,
            retry_count: f.int("retry_count")?,
            prompt_sent: f.string("prompt_sent")?,
            extra: f.into_rest(),
        })
    }

    /// Decodes the record stored under map key `key`: the key names the bead, as upstream;
    /// a different `bead_id` field inside it is kept in [`Self::recorded_bead_id`].
    ///
    /// # Errors
    /// A non-object or a field of the wrong type.
    pub fn from_keyed_value(key: &str, value: Value) -> Result<Assignment, gojson::FieldError> {
        let mut record = Assignment::from_value(value)?;
        if record.bead_id != key {
            record.recorded_bead_id = Some(std::mem::replace(&mut record.bead_id, key.to_owned()));
        }
        Ok(record)
    }

    /// Writes the record's fields in Go's order, applying `omitempty`, then unknown keys.
    pub fn write_fields(&self, s: &mut impl FieldSink) {
        s.string(
            "bead_id",
            self.recorded_bead_id.as_deref().unwrap_or(&self.bead_id),
        );
        s.string("bead_title", &self.bead_title);
        s.int("pane", self.pane);
        s.string("agent_type", &self.agent_type);
        s.string_omitempty("agent_name", &self.agent_name);
        s.string("status", self.status.as_str());
        s.time("assigned_at", &self.assigned_at);
        s.time_omitempty("started_at", self.started_at.as_ref());
        s.time_omitempty("completed_at", self.completed_at.as_ref());
        s.time_omitempty("failed_at", self.failed_at.as_ref());
        s.string_omitempty("fail_reason", &self.fail_reason);
        s.string_omitempty("failure_reason", &self.failure_reason);
        s.int_omitempty("retry_count", self.retry_count);
        s.string_omitempty("prompt_sent", &self.prompt_sent);
        s.extra(&self.extra);
    }

    /// The record as an ordered JSON object in Go's field order.
    #[must_use]
    pub fn to_value(&self) -> Value {
        let mut b = ObjectBuilder::new();
        self.write_fields(&mut b);
        b.build()
    }
}

/// `AssignmentStats`: counts per status; `total` counts every record, unknown statuses too
/// (as `stats --json`, `sessions --json` and `status --json` print them). NTM's five statuses
/// are always there; schema 9's two claim states only when a record is in one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct AssignmentStats {
    /// All records.
    pub total: usize,
    /// `assigned` records.
    pub assigned: usize,
    /// `working` records.
    pub working: usize,
    /// `completed` records.
    pub completed: usize,
    /// `failed` records.
    pub failed: usize,
    /// `reassigned` records.
    pub reassigned: usize,
    /// `claiming` records (today's NTM, schema 9, while it claims the bead; absent when none,
    /// as in every store of NTM's five statuses).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub claiming: usize,
    /// `claimed` records (schema 9: claimed, not yet sent to the agent; absent when none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub claimed: usize,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl AssignmentStats {
    /// Counts the given records.
    pub fn count<'a>(records: impl IntoIterator<Item = &'a Assignment>) -> AssignmentStats {
        AssignmentStats::tally(records.into_iter().map(|a| &a.status))
    }

    /// Counts records by their statuses alone (another host's cards).
    pub fn tally<'a>(statuses: impl IntoIterator<Item = &'a AssignmentStatus>) -> AssignmentStats {
        let mut stats = AssignmentStats::default();
        for status in statuses {
            stats.total += 1;
            match status {
                AssignmentStatus::Assigned => stats.assigned += 1,
                AssignmentStatus::Working => stats.working += 1,
                AssignmentStatus::Completed => stats.completed += 1,
                AssignmentStatus::Failed => stats.failed += 1,
                AssignmentStatus::Reassigned => stats.reassigned += 1,
                AssignmentStatus::Other(other) => match other.as_str() {
                    "claiming" => stats.claiming += 1,
                    "claimed" => stats.claimed += 1,
                    _ => {}
                },
            }
        }
        stats
    }
}
