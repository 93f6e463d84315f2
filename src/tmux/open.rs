//! The dashboard's `T` key: open a run's session or an assignment's pane, switching the
//! client when inside tmux, otherwise selecting what can be and saying how to attach.

use super::call::stored;
use super::{Outcome, PaneTarget, Tmux, TmuxError, names, stored_session_name};

impl Tmux {
    /// The `T` key on a run: switch to its session when `inside` tmux (pass
    /// [`inside_tmux()`](super::inside_tmux)), otherwise check it exists and say how to attach.
    ///
    /// # Errors
    /// As [`Tmux::switch_to_session`] / [`Tmux::has_session`].
    pub fn open_session(&self, session: &str, inside: bool) -> Result<Outcome, TmuxError> {
        let stored = stored(session)?;
        if inside {
            self.switch_to_session(session)?;
            return Ok(Outcome::Switched { session: stored });
        }
        if !self.has_session(session)? {
            return Err(TmuxError::NoSuchSession { session: stored });
        }
        Ok(self.attach_outcome(&stored, None))
    }

    /// The `T` key on an assignment card: jump to its pane when `inside` tmux, otherwise
    /// select it and say how to attach.
    ///
    /// # Errors
    /// As [`Tmux::jump_to_pane`] / [`Tmux::select_pane`].
    pub fn open_pane(
        &self,
        session: &str,
        pane_index: i64,
        inside: bool,
    ) -> Result<Outcome, TmuxError> {
        if inside {
            let target = self.jump_to_pane(session, pane_index)?;
            return Ok(Outcome::Selected { target });
        }
        let target = self.select_pane(session, pane_index)?;
        Ok(self.attach_outcome(&stored_session_name(session), Some(target)))
    }

    /// As [`Tmux::open_pane`] for a pane id (`%12`).
    ///
    /// # Errors
    /// As [`Tmux::jump_to_pane_id`] / [`Tmux::select_pane_id`].
    pub fn open_pane_id(&self, id: &str, inside: bool) -> Result<Outcome, TmuxError> {
        if inside {
            let target = self.jump_to_pane_id(id)?;
            return Ok(Outcome::Selected { target });
        }
        let target = self.select_pane_id(id)?;
        let session = target.pane.session_name.clone();
        Ok(self.attach_outcome(&session, Some(target)))
    }

    fn attach_outcome(&self, stored: &str, selected: Option<PaneTarget>) -> Outcome {
        Outcome::Attach {
            session: stored.to_owned(),
            command: names::attach_command(self.socket(), stored),
            selected,
        }
    }
}
