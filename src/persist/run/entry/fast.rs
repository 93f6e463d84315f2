//! Decoding a transcript line straight into a [`TranscriptEntry`] (see
//! [`crate::persist::gojson::decode_plain`]): what opening a transcript (thousands of lines at
//! once) and searching spend their time on. Lines it declines go to the exact decoder.

use super::{EntryType, TranscriptEntry};
use crate::persist::gojson::{Kind, decode_plain};
use crate::persist::run::State;

/// The keys an entry has, as Go writes them, and their types.
const FIELDS: [(&str, Kind); 11] = [
    ("type", Kind::String),
    ("timestamp", Kind::Time),
    ("run_id", Kind::Int),
    ("iteration", Kind::Int),
    ("agent", Kind::String),
    ("state", Kind::String),
    ("content", Kind::String),
    ("signal", Kind::String),
    ("error", Kind::String),
    ("duration", Kind::Int),
    ("metadata", Kind::Object),
];

/// Decodes `text` (one line, valid UTF-8); `None` when the exact decoder must decide.
pub(super) fn parse(text: &str) -> Option<TranscriptEntry> {
    let (slots, extra) = decode_plain(text, &FIELDS)?;
    let [
        kind,
        timestamp,
        run_id,
        iteration,
        agent,
        state,
        content,
        signal,
        error,
        duration,
        metadata,
    ] = <[_; 11]>::try_from(slots).ok()?;
    let state = state.string();
    Some(TranscriptEntry {
        entry_type: EntryType::parse(&kind.string()),
        timestamp: timestamp
            .time()
            .unwrap_or_else(crate::persist::gojson::zero_time),
        run_id: run_id.int(),
        iteration: iteration.int(),
        agent: agent.string(),
        state: (!state.is_empty()).then(|| State::parse(&state)),
        content: content.string(),
        signal: signal.string(),
        error: error.string(),
        duration: duration.int(),
        metadata: metadata.object(),
        extra,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::persist::gojson;

    /// The exact decoder, for comparison.
    fn exact(line: &str) -> Result<TranscriptEntry, String> {
        let value = gojson::parse_document(line.as_bytes()).map_err(|e| e.to_string())?;
        TranscriptEntry::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn agrees_with_the_exact_decoder_or_declines() {
        let lines = [
            r#"{"type":"result","timestamp":"2026-03-30T09:15:45.925360352Z","run_id":3,"iteration":1,"agent":"codex","content":"a & <b>\n\u001b[31m caf\u00e9","duration":221513278708}"#,
            r#"{"type":"start","timestamp":"2026-03-30T09:15:45Z","run_id":3,"content":"p","metadata":{"z":1,"a":[1.50,{"b":null}]}}"#,
            r#"{"type":"state","run_id":1,"state":"working","x-extra":{"k":"v"},"zz":1e400,"x-extra":2}"#,
            r#"{"type":"state","run_id":1,"state":""}"#,
            r#"{"tool":"bash","type":"tool_call"}"#,
            r#"{}"#,
            r#" { "type" : "end" , "duration" : -5 } "#,
            r#"{"Type":"result","run_id":1}"#,
            r#"{"type":"result","type":"error"}"#,
            r#"{"type":null,"run_id":1}"#,
            r#"{"run_id":1.0}"#,
            r#"{"run_id":"1"}"#,
            r#"{"run_id":99999999999999999999}"#,
            r#"{"timestamp":"yesterday"}"#,
            r#"{"metadata":[1]}"#,
            r#"{"metadata":null}"#,
            r#"{"content":"x"} trailing"#,
            r#"[1,2]"#,
            r#"{"content":"x""#,
        ];
        let mut accepted = 0;
        for line in lines {
            // Declined lines go to the exact decoder, error messages and all.
            if let Some(fast) = parse(line) {
                accepted += 1;
                assert_eq!(Ok(fast), exact(line), "{line}");
            }
        }
        assert_eq!(accepted, 7);
    }
}
