//! OpenCode's session format: see `../shared/spec/agent-sessions.md`.
