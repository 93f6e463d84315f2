//! The one JSON vocabulary of the headless commands: a typed output for every `--json` output
//! (and the hook's and `watch`'s lines), from which the JSON Schemas in `assets/schema/` are
//! generated ([`schemas`]). The words mean the same everywhere:
//!
//! - `kind`: what an item is, `run` or `bead`; `event`: what happened (`watch`, hooks);
//! - `name`: how an item is named (`webapp #2`, a bead id); `reference`: its one identifier
//!   (`<repo id>/<run id>`, `<session>/<bead>`);
//! - `reason`: why, in words; `reason_code`: why, as a stable code;
//! - `session`: the NTM session, present wherever one applies;
//! - states and statuses as the stores write them (`completed`, `reassigned`, …);
//! - times end in `_at`.
//!
//! - `host`: the machine a record is from (`local` for this one), in every record.
//!
//! Fields marked `deprecated` in a schema are kept one release for scripts written before.

mod listings;
mod status;

pub use listings::{
    AssignmentJson, AssignmentListedJson, DoctorJson, DoctorProblem, DoctorRoot, DoctorSource,
    EntryRun, HostJson, HostStateWord, NtmStepJson, RunFacts, RunJson, SearchHit, SessionEntryJson,
    SessionJson, StatsJson, SubagentJson, TranscriptEntryJson,
};
pub use status::{AttentionItem, BeadCounts, StatusJson};

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Counts by word (a state or status), in the order they were first met.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(pub Vec<(String, usize)>);

impl Serialize for Counts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, n)| (k, n)))
    }
}

impl JsonSchema for Counts {
    fn schema_name() -> Cow<'static, str> {
        "Counts".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        BTreeMap::<String, usize>::json_schema(generator)
    }
}

/// A `watch --json` line: an [`crate::events::Event`] or the stream's `ready`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum WatchLine {
    /// Something that happened.
    Event(crate::events::Event),
    /// Every watch is in place.
    Ready(super::watch::Ready),
}

/// Every output's schema, by the name of its file in `assets/schema/` (without `.json`); each
/// record of every `--json` output says its `host` (the hook's payload is not an output).
#[must_use]
pub fn schemas() -> Vec<(&'static str, Schema)> {
    outputs()
        .into_iter()
        .map(|(name, schema)| match name {
            "hook" => (name, schema),
            _ => (name, with_host(schema)),
        })
        .collect()
}

/// `schema` with a required `host` in its records: the object it describes, or each item of
/// an array, through references and alternatives.
fn with_host(schema: Schema) -> Schema {
    fn records(root: &serde_json::Value, at: &str, found: &mut Vec<String>) {
        let Some(node) = root.pointer(at) else { return };
        if let Some(target) = node.get("$ref").and_then(|r| r.as_str()) {
            let target = target.trim_start_matches('#').to_owned();
            if !found.contains(&target) {
                records(root, &target, found);
            }
        } else if let Some(alternatives) = node.get("anyOf").or_else(|| node.get("oneOf")) {
            let key = if node.get("anyOf").is_some() {
                "anyOf"
            } else {
                "oneOf"
            };
            for i in 0..alternatives.as_array().map_or(0, Vec::len) {
                records(root, &format!("{at}/{key}/{i}"), found);
            }
        } else if node.get("properties").is_some() || node["type"] == "object" {
            found.push(at.to_owned());
        }
    }
    let mut root = schema.to_value();
    let start = if root["type"] == "array" {
        "/items"
    } else {
        ""
    };
    let mut found = Vec::new();
    records(&root, start, &mut found);
    for at in found {
        if let Some(node) = root.pointer_mut(&at).and_then(|n| n.as_object_mut())
            // A record that names a host itself (`hosts --json`) keeps its own words.
            && node.get("properties").and_then(|p| p.get("host")).is_none()
        {
            let host = serde_json::json!({
                "description": "The machine the record is from: `local`, or a host's name.",
                "type": "string"
            });
            if let Some(props) = node
                .entry("properties")
                .or_insert_with(|| serde_json::json!({}))
                .as_object_mut()
            {
                props.insert("host".to_owned(), host);
            }
            if let Some(required) = node
                .entry("required")
                .or_insert_with(|| serde_json::json!([]))
                .as_array_mut()
                && !required.iter().any(|r| r == "host")
            {
                required.push("host".into());
            }
        }
    }
    Schema::try_from(root).unwrap_or_default()
}

fn outputs() -> Vec<(&'static str, Schema)> {
    use schemars::schema_for;
    vec![
        ("status", schema_for!(StatusJson)),
        ("watch", schema_for!(WatchLine)),
        ("hook", schema_for!(crate::notification::NoticeJson)),
        ("runs", schema_for!(Vec<RunJson>)),
        ("transcript", schema_for!(Vec<TranscriptEntryJson>)),
        ("transcript-follow", schema_for!(TranscriptEntryJson)),
        ("assignments", schema_for!(Vec<AssignmentListedJson>)),
        ("assignment", schema_for!(AssignmentJson)),
        ("stats", schema_for!(StatsJson)),
        ("sessions", schema_for!(Vec<SessionJson>)),
        ("search", schema_for!(SearchHit)),
        ("doctor", schema_for!(DoctorJson)),
        ("ntm-steps", schema_for!(Vec<NtmStepJson>)),
        ("hosts", schema_for!(Vec<HostJson>)),
    ]
}
