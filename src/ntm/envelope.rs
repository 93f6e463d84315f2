//! NTM's JSON envelope, as `ntm … --json` prints it on stdout:
//! `{command, subcommand, session, timestamp, success, data, warnings, error{code, message,
//! details}}`. NTM exits 1 on any failure, including `success: false`.

use serde_json::Value;

/// `error` of a failed envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvelopeError {
    /// NTM's code, e.g. `TARGET_BUSY`.
    pub code: String,
    /// NTM's message.
    pub message: String,
    /// NTM's details (an object, or `null`).
    pub details: Value,
}

/// One envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// `command` (e.g. `assign`).
    pub command: String,
    /// `subcommand` (may be empty).
    pub subcommand: String,
    /// `session`.
    pub session: String,
    /// `timestamp` as NTM wrote it.
    pub timestamp: String,
    /// `success`.
    pub success: bool,
    /// `data` (`null` when absent).
    pub data: Value,
    /// `warnings`.
    pub warnings: Vec<String>,
    /// `error`, on failure.
    pub error: Option<EnvelopeError>,
    /// The envelope as printed.
    pub raw: Value,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

impl Envelope {
    /// Reads an envelope out of a JSON value.
    ///
    /// # Errors
    /// Not an object, or no boolean `success`.
    pub fn from_value(v: Value) -> Result<Envelope, String> {
        if !v.is_object() {
            return Err("not a JSON object".to_owned());
        }
        let success = v
            .get("success")
            .and_then(Value::as_bool)
            .ok_or("no boolean \"success\"")?;
        let error = v
            .get("error")
            .filter(|e| e.is_object())
            .map(|e| EnvelopeError {
                code: text(e, "code"),
                message: text(e, "message"),
                details: e.get("details").cloned().unwrap_or(Value::Null),
            });
        let warnings = v
            .get("warnings")
            .and_then(Value::as_array)
            .map(|w| {
                w.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        Ok(Envelope {
            command: text(&v, "command"),
            subcommand: text(&v, "subcommand"),
            session: text(&v, "session"),
            timestamp: text(&v, "timestamp"),
            success,
            data: v.get("data").cloned().unwrap_or(Value::Null),
            warnings,
            error,
            raw: v,
        })
    }
}

/// The envelope in `stdout`: the last JSON object with a `success` field that starts a line
/// (NTM prints one; anything else on stdout is skipped).
///
/// # Errors
/// No envelope found (the message says what stdout began with).
pub fn parse_envelope(stdout: &[u8]) -> Result<Envelope, String> {
    let mut found = None;
    let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', stdout).map(|i| i + 1));
    for start in starts {
        let rest = &stdout[start.min(stdout.len())..];
        let trimmed = rest.trim_ascii_start();
        if !trimmed.starts_with(b"{") {
            continue;
        }
        let mut values = serde_json::Deserializer::from_slice(trimmed).into_iter::<Value>();
        if let Some(Ok(v)) = values.next()
            && v.get("success").is_some()
        {
            found = Some(v);
        }
    }
    match found {
        Some(v) => Envelope::from_value(v),
        None => {
            let head: String = String::from_utf8_lossy(stdout).chars().take(200).collect();
            Err(if head.trim().is_empty() {
                "ntm printed nothing on stdout".to_owned()
            } else {
                format!("ntm printed no JSON envelope: {}", head.trim())
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_and_failure_envelopes() {
        let ok = parse_envelope(
            b"{\"command\":\"assign\",\"session\":\"webapp\",\"timestamp\":\"2026-11-29T23:41:25Z\",\"success\":true,\"data\":{\"n\":1},\"warnings\":[]}\n",
        )
        .unwrap();
        assert!(ok.success && ok.error.is_none());
        assert_eq!(ok.data["n"], 1);
        let failed = parse_envelope(
            b"note: something\n{\"command\":\"assign\",\"session\":\"webapp\",\"timestamp\":\"t\",\"success\":false,\"warnings\":[\"w\"],\"error\":{\"code\":\"TARGET_BUSY\",\"message\":\"pane %3 already has assignment wa-02\",\"details\":{\"pane\":\"%3\"}}}\n",
        )
        .unwrap();
        let e = failed.error.unwrap();
        assert_eq!((e.code.as_str(), failed.warnings.len()), ("TARGET_BUSY", 1));
        assert_eq!(e.details["pane"], "%3");
        let pretty = parse_envelope(b"{\n  \"success\": true,\n  \"warnings\": null\n}\n").unwrap();
        assert!(pretty.success);
        assert!(parse_envelope(b"").unwrap_err().contains("nothing"));
        assert!(
            parse_envelope(b"Error: boom")
                .unwrap_err()
                .contains("Error: boom")
        );
    }
}
