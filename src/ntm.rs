//! Acting on today's NTM stores through NTM's own CLI (`ntm assign … --json`): assign,
//! reassign, retry and remove, which NTM does much more for than writing the file (it claims
//! the bead in br, reserves files through Agent Mail, pastes the prompt into an idle pane and
//! records a receipt). beadboard never falls back to writing the file for these.
//!
//! - [`plan`]: which command(s) an operation is ([`plan_assign`], [`plan_reassign`],
//!   [`plan_retry`], [`plan_remove`]), the refusals that come first, and the exact command
//!   line ([`NtmCommand::display`]) for the confirm dialog and `--dry-run`.
//! - [`run`]: running a command or a plan on a worker thread, with a deadline and a cancel
//!   flag ([`run_plan`]), returning values, printing nothing.
//! - [`envelope`]: NTM's JSON envelope; [`words`]: its error codes in words, and what to say
//!   when `ntm` is not installed.

pub mod envelope;
pub mod plan;
pub mod run;
pub mod words;

pub use envelope::{Envelope, EnvelopeError, parse_envelope};
pub use plan::{
    NtmCommand, Plan, PlanError, ReassignTo, Target, plan_assign, plan_reassign, plan_remove,
    plan_retry,
};
pub use run::{
    DEFAULT_DEADLINE, PlanOutcome, Ran, RunError, RunOptions, StepEvent, find_ntm, run, run_plan,
};
pub use words::{NOT_INSTALLED, describe, explain};
