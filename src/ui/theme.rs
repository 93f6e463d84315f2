//! Colours and styles. With `NO_COLOR` set, no colour is used at all, only bold, dim, reverse
//! and underline, and every state still reads through its glyph and word.

use crate::persist::assignment::AssignmentStatus;
use crate::persist::run::{RunState, State};
use crate::persist::session::AgentState;
use crate::present::summary::Emphasis;
use ratatui::style::{Color, Modifier, Style};

/// The palette and whether colour is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Colour on (false under `NO_COLOR`).
    pub color: bool,
    /// Accent for focus and titles.
    pub accent: Color,
    /// Success, PASS, completed.
    pub good: Color,
    /// Warnings, stale, assigned.
    pub warn: Color,
    /// Errors, FAIL, failed.
    pub bad: Color,
    /// Working, information.
    pub info: Color,
    /// Secondary text.
    pub muted: Color,
    /// Colours given to agents, in order of first sight (known agents have fixed ones).
    pub agents: Vec<Color>,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            color: true,
            accent: Color::Cyan,
            good: Color::Green,
            warn: Color::Yellow,
            bad: Color::Red,
            // Bright blue, not ANSI blue: ANSI blue (xterm's #0000ee) is hard to read on a dark
            // background, and black on it where a selected row reverses it.
            info: Color::LightBlue,
            muted: Color::DarkGray,
            agents: vec![
                Color::Cyan,
                Color::Magenta,
                Color::Yellow,
                Color::LightBlue,
                Color::LightGreen,
                Color::LightRed,
            ],
        }
    }
}

impl Theme {
    /// The default theme, with colour off when `NO_COLOR` is set (to anything non-empty).
    #[must_use]
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme {
            color: !no_color,
            ..Theme::default()
        }
    }

    /// A style with this foreground colour (none without colour).
    #[must_use]
    pub fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    /// Plain text.
    #[must_use]
    pub fn text(&self) -> Style {
        Style::new()
    }

    /// Secondary text.
    #[must_use]
    pub fn muted(&self) -> Style {
        if self.color {
            self.fg(self.muted)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    /// Titles and headings.
    #[must_use]
    pub fn title(&self) -> Style {
        self.fg(self.accent).add_modifier(Modifier::BOLD)
    }

    /// A pane border, brighter when focused.
    #[must_use]
    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(self.accent).add_modifier(Modifier::BOLD)
        } else {
            self.muted()
        }
    }

    /// The selected row or card: reverse video, which reads without colour.
    #[must_use]
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// A search match.
    #[must_use]
    pub fn search_match(&self) -> Style {
        if self.color {
            Style::new().bg(self.warn).fg(Color::Black)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
        }
    }

    /// A run state badge.
    #[must_use]
    pub fn run_state(&self, state: &State) -> Style {
        match state {
            State::Submitted => self.fg(self.muted),
            State::Working => self.fg(self.info).add_modifier(Modifier::BOLD),
            State::Reviewing => self.fg(Color::LightMagenta).add_modifier(Modifier::BOLD),
            State::Completed => self.fg(self.good),
            State::Failed => self.fg(self.bad).add_modifier(Modifier::BOLD),
            State::Cancelled => self.fg(self.muted),
            State::Other(_) => self.fg(self.warn),
        }
    }

    /// An agent session's state badge.
    #[must_use]
    pub fn agent_state(&self, state: AgentState) -> Style {
        match state {
            AgentState::Working => self.fg(self.info).add_modifier(Modifier::BOLD),
            AgentState::Waiting => self.fg(self.warn).add_modifier(Modifier::BOLD),
            AgentState::Idle => self.fg(self.good),
            AgentState::Finished => self.fg(self.muted),
            AgentState::Failed => self.fg(self.bad).add_modifier(Modifier::BOLD),
        }
    }

    /// A run's state badge, whichever kind of run it is.
    #[must_use]
    pub fn state_of(&self, state: RunState<'_>) -> Style {
        match state {
            RunState::Agentpair(s) => self.run_state(s),
            RunState::Agent(a) => self.agent_state(a),
        }
    }

    /// An assignment status.
    #[must_use]
    pub fn status(&self, status: Option<&AssignmentStatus>) -> Style {
        match status {
            Some(AssignmentStatus::Assigned) => self.fg(self.warn),
            Some(AssignmentStatus::Working) => self.fg(self.info).add_modifier(Modifier::BOLD),
            Some(AssignmentStatus::Completed) => self.fg(self.good),
            Some(AssignmentStatus::Failed) => self.fg(self.bad).add_modifier(Modifier::BOLD),
            Some(AssignmentStatus::Reassigned) => self.fg(Color::LightMagenta),
            Some(AssignmentStatus::Other(_)) | None => self.muted(),
        }
    }

    /// An agent's name: claude, codex and gemini have fixed colours, others a stable one.
    #[must_use]
    pub fn agent(&self, name: &str) -> Style {
        let color = match name {
            "codex" | "cod" => Color::Cyan,
            "claude" | "cc" => Color::LightMagenta,
            "gemini" | "gmi" => Color::Yellow,
            "opencode" | "oc" => Color::LightGreen,
            "loop" | "system" => self.muted,
            other => {
                let hash = other
                    .bytes()
                    .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
                self.agents[usize::try_from(hash).unwrap_or(0) % self.agents.len().max(1)]
            }
        };
        self.fg(color).add_modifier(Modifier::BOLD)
    }

    /// How an entry's text stands out.
    #[must_use]
    pub fn emphasis(&self, emphasis: Emphasis) -> Style {
        match emphasis {
            Emphasis::Normal => Style::new(),
            Emphasis::Pass => self.fg(self.good).add_modifier(Modifier::BOLD),
            Emphasis::Fail | Emphasis::Error => self.fg(self.bad).add_modifier(Modifier::BOLD),
            Emphasis::Done => self.fg(self.accent).add_modifier(Modifier::BOLD),
            Emphasis::Milestone => Style::new().add_modifier(Modifier::BOLD),
            Emphasis::Iteration => self.muted().add_modifier(Modifier::BOLD),
        }
    }

    /// Good news.
    #[must_use]
    pub fn good(&self) -> Style {
        self.fg(self.good)
    }

    /// A warning.
    #[must_use]
    pub fn warning(&self) -> Style {
        self.fg(self.warn).add_modifier(Modifier::BOLD)
    }

    /// An error.
    #[must_use]
    pub fn error(&self) -> Style {
        self.fg(self.bad).add_modifier(Modifier::BOLD)
    }
}
