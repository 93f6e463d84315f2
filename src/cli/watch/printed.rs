//! `beadboard watch`'s printed stream: one readable line, or one JSON object, per event.

use super::{Ready, Sink, describe};
use crate::cli::CliError;
use crate::cli::output::Out;
use crate::events::Event;

/// Where `beadboard watch` prints.
pub(super) struct Printed<'a> {
    pub(super) out: &'a mut Out,
    pub(super) json: bool,
}

impl Sink for Printed<'_> {
    fn events(&mut self, events: &[Event]) -> Result<(), CliError> {
        for event in events {
            if self.json {
                self.out.json_line(&serde_json::to_value(event)?)?;
            } else {
                self.out.line(format_args!("{}", describe(event)))?;
            }
        }
        self.out.flush()
    }

    fn ready(&mut self, ready: &Ready) -> Result<(), CliError> {
        if self.json {
            self.out.json_line(&serde_json::to_value(ready)?)?;
        } else {
            self.out.line(format_args!("{}", ready.describe()))?;
        }
        self.out.flush()
    }
}
