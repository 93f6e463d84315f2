//! NTM's error codes in words, and what to say when `ntm` is missing.

/// What an `error.code` of NTM's means, in a sentence a user can act on.
#[must_use]
pub fn explain(code: &str) -> &'static str {
    match code {
        "TARGET_BUSY" | "PANE_BUSY" => "the target pane already has active work",
        "INVALID_STATE" => "the bead's assignment is not in a state this operation applies to",
        "CLAIM_CONFLICT" => "another actor owns the bead's claim in br",
        "NOT_FAILED" => "the bead's assignment is not failed, so there is nothing to retry",
        "PANE_IDENTITY_MIGRATION_REQUIRED" => {
            "a row in this session has no %N pane identity; NTM acts on no assignment here until \
             its occupancy_key or dispatch_target names a %N pane"
        }
        "COMPLETION_EVENT_PENDING" => {
            "the bead has a completion event nobody has acknowledged yet; NTM keeps it until its \
             consumer does"
        }
        "CLEAR_FAILED" => {
            "NTM could not clear the assignment (releasing its claim or file reservations failed)"
        }
        "ALREADY_COMPLETED" => "the assignment is completed; clearing it needs --force",
        "NOT_ASSIGNED" => "the bead has no assignment in this session",
        "NOT_FOUND" | "PANE_NOT_FOUND" => "the pane or bead was not found in the session",
        "NO_IDLE_AGENT" => "no idle agent of that type in the session",
        "NOT_AGENT_PANE" => "the pane does not run an agent",
        "ALREADY_ASSIGNED" => "the bead is already assigned",
        "BLOCKED" => "the bead is blocked by unfinished dependencies",
        "BEAD_INELIGIBLE" => "the bead is not open and ready for automated assignment",
        "DISPATCH_UNKNOWN" => {
            "a prompt's delivery outcome is unknown; NTM must reconcile it before going on"
        }
        "RESERVATION_REQUIRED" | "RESERVATION_RELEASE_FAILED" => {
            "file reservations must be reconciled or released first"
        }
        "SEND_ERROR" => "sending the prompt to the pane failed",
        "TIMEOUT" => "NTM gave up waiting (tmux, br or Agent Mail did not answer in time)",
        "INVALID_ARGS" | "INVALID_FLAG" => "NTM rejected the arguments",
        "STORE_ERROR" | "STORE_LOAD_ERROR" => "NTM could not read or write its assignment store",
        "TMUX_ERROR" => "tmux failed",
        _ => "NTM reported an error",
    }
}

/// An error code and message in words: `<meaning> (<CODE>): <NTM's message>`.
#[must_use]
pub fn describe(code: &str, message: &str) -> String {
    let code_shown = if code.is_empty() { "no code" } else { code };
    if message.trim().is_empty() {
        format!("{} ({code_shown})", explain(code))
    } else {
        format!("{} ({code_shown}): {}", explain(code), message.trim())
    }
}

/// What to say when `ntm` is not on PATH.
pub const NOT_INSTALLED: &str = "ntm is not on PATH. On NTM's schema-9 stores beadboard runs \
NTM's own `ntm assign` for assign, reassign, retry and remove (NTM also claims the bead in br, \
reserves files and sends the prompt), and never writes those changes itself. Install NTM \
(`brew install dicklesworthstone/tap/ntm`, or see \
https://github.com/Dicklesworthstone/ntm#installation) and make sure `ntm` is on PATH.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_code_has_words_and_others_fall_back() {
        for code in [
            "TARGET_BUSY",
            "INVALID_STATE",
            "CLAIM_CONFLICT",
            "NOT_FAILED",
            "PANE_IDENTITY_MIGRATION_REQUIRED",
            "COMPLETION_EVENT_PENDING",
            "CLEAR_FAILED",
        ] {
            assert_ne!(explain(code), explain("SOMETHING_NEW"), "{code}");
        }
        assert_eq!(
            describe("NOT_FAILED", "bead wa-01 is assigned"),
            "the bead's assignment is not failed, so there is nothing to retry (NOT_FAILED): bead wa-01 is assigned"
        );
        assert_eq!(describe("", ""), "NTM reported an error (no code)");
    }
}
