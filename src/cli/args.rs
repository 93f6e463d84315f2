//! The command line, declared with clap.

use clap::builder::PossibleValuesParser;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Every status a store can hold: NTM's five, and schema 9's claiming and claimed.
const STATUSES: [&str; 7] = [
    "assigned",
    "working",
    "completed",
    "failed",
    "reassigned",
    "claiming",
    "claimed",
];

/// A value that says something: empty or only spaces is a usage error, as the board refuses it.
fn non_blank(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        Err("it must not be empty (say why, e.g. --reason 'tests hang')".to_owned())
    } else {
        Ok(value.to_owned())
    }
}

/// A duration like `10m` or `90s` (checked here, so a bad one is a usage error, exit 2).
fn duration(value: &str) -> Result<String, String> {
    humantime::parse_duration(value.trim())
        .map(|_| value.to_owned())
        .map_err(|e| format!("not a duration like 10m or 90s ({e})"))
}

/// The demo's pace: a finite number above zero.
fn speed(value: &str) -> Result<f64, String> {
    match value.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        Ok(_) => Err("the pace must be a number above 0, like 2 or 0.5".to_owned()),
        Err(e) => Err(format!("not a number ({e})")),
    }
}

/// beadboard: watch AI coding agents' runs, transcripts and bead assignments live, and move
/// beads between states from the keyboard, safely.
#[derive(Debug, Parser)]
#[command(name = "beadboard", version, about, long_about = None, after_help = super::exit::help_text())]
pub struct Cli {
    /// agentpair's data directory [default: $HOME/.agentpair]
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        env = "BEADBOARD_AGENTPAIR_DIR",
        value_name = "DIR"
    )]
    pub agentpair_dir: Option<PathBuf>,
    /// NTM's data directory [default: $HOME/.ntm]
    #[arg(long, global = true,
        help_heading = GLOBAL, env = "BEADBOARD_NTM_DIR", value_name = "DIR")]
    pub ntm_dir: Option<PathBuf>,
    /// A beads issues.jsonl [default: .beads/issues.jsonl in the current directory]
    #[arg(long, global = true,
        help_heading = GLOBAL, env = "BEADBOARD_BEADS", value_name = "FILE")]
    pub beads: Option<PathBuf>,
    /// Claude Code's config directory [default: $CLAUDE_CONFIG_DIR, else ~/.claude and ~/.config/claude]
    #[arg(long, global = true, help_heading = SOURCES, env = "BEADBOARD_CLAUDE_DIR", value_name = "DIR")]
    pub claude_dir: Option<PathBuf>,
    /// Codex's home [default: $CODEX_HOME, else ~/.codex]
    #[arg(long, global = true, help_heading = SOURCES, env = "BEADBOARD_CODEX_DIR", value_name = "DIR")]
    pub codex_dir: Option<PathBuf>,
    /// Gemini's .gemini directory [default: $GEMINI_CLI_HOME/.gemini, else ~/.gemini]
    #[arg(long, global = true, help_heading = SOURCES, env = "BEADBOARD_GEMINI_DIR", value_name = "DIR")]
    pub gemini_dir: Option<PathBuf>,
    /// OpenCode's database [default: $OPENCODE_DB, else ~/.local/share/opencode/opencode.db]
    #[arg(long, global = true, help_heading = SOURCES, env = "BEADBOARD_OPENCODE_DB", value_name = "FILE")]
    pub opencode_db: Option<PathBuf>,
    /// Read Claude Code sessions (--claude=off switches them off) [default: on]
    #[arg(long, global = true, help_heading = SOURCES, env = "BEADBOARD_CLAUDE", num_args = 0..=1, default_missing_value = "on", value_parser = clap::builder::BoolishValueParser::new(), value_name = "on|off")]
    pub claude: Option<bool>,
    /// Read Codex CLI sessions (--codex=off switches them off) [default: on]
    #[arg(long, global = true, help_heading = SOURCES, env = "BEADBOARD_CODEX", num_args = 0..=1, default_missing_value = "on", value_parser = clap::builder::BoolishValueParser::new(), value_name = "on|off")]
    pub codex: Option<bool>,
    /// Read Gemini CLI sessions (--gemini=off switches them off) [default: on]
    #[arg(long, global = true, help_heading = SOURCES, env = "BEADBOARD_GEMINI", num_args = 0..=1, default_missing_value = "on", value_parser = clap::builder::BoolishValueParser::new(), value_name = "on|off")]
    pub gemini: Option<bool>,
    /// Read OpenCode sessions (--opencode=off switches them off) [default: on]
    #[arg(long, global = true, help_heading = SOURCES, env = "BEADBOARD_OPENCODE", num_args = 0..=1, default_missing_value = "on", value_parser = clap::builder::BoolishValueParser::new(), value_name = "on|off")]
    pub opencode: Option<bool>,
    /// A config file [default: $XDG_CONFIG_HOME/beadboard/config.toml]
    #[arg(long, global = true,
        help_heading = GLOBAL, env = "BEADBOARD_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A run that is not finished and quiet this long is stale (e.g. 10m, 90s) [default: 10m]
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        env = "BEADBOARD_STALE_AFTER",
        value_name = "DURATION",
        value_parser = duration
    )]
    pub stale_after: Option<String>,
    /// A bead assigned but not started this long needs attention (e.g. 10m) [default: 10m]
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        env = "BEADBOARD_UNSTARTED_AFTER",
        value_name = "DURATION",
        value_parser = duration
    )]
    pub unstarted_after: Option<String>,
    /// A failed or stale situation needs you while it began this recently (e.g. 24h, 7days) [default: 24h]
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        env = "BEADBOARD_ATTENTION_WINDOW",
        value_name = "DURATION"
    )]
    pub attention_window: Option<String>,
    /// Poll for changes every 2 s instead of using file events (for network file systems)
    #[arg(long, global = true,
        help_heading = GLOBAL, env = "BEADBOARD_POLL", num_args = 0..=1, default_missing_value = "true", value_parser = clap::builder::BoolishValueParser::new(), value_name = "BOOL")]
    pub poll: Option<bool>,
    /// Run on this host: `local` (this machine) or a configured host's name; repeat for several
    /// (the dashboard shows them, all by default; reads are merged, every JSON record says its
    /// `host`; a move goes to one host)
    #[arg(long = "host", global = true, help_heading = GLOBAL, value_name = "NAME")]
    pub host: Vec<String>,
    /// What to do; without a subcommand the dashboard opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The heading the options every subcommand shares are listed under.
const GLOBAL: &str = "Global options";

/// The heading of the agent session sources' options.
const SOURCES: &str = "Agent session sources (read-only)";

/// The subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Open the dashboard on a simulated sandbox (under the temp dir), kept busy by a simulator
    Demo {
        /// Repeat a demo exactly
        #[arg(long, value_name = "N")]
        seed: Option<u64>,
        /// Pace multiplier: 2 is twice as fast, 0.5 half as fast
        #[arg(long, value_name = "X", default_value_t = 1.0, value_parser = speed)]
        speed: f64,
        /// Keep the sandbox after exit and print the command that reopens it
        #[arg(long)]
        keep: bool,
    },
    /// Print the key bindings in effect (defaults plus config overrides)
    Keys {
        /// As a Markdown table (what the README shows)
        #[arg(long)]
        markdown: bool,
    },
    /// Print shell completions: beadboard completions bash > ~/.local/share/bash-completion/completions/beadboard
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): beadboard man > ~/.local/share/man/man1/beadboard.1
    Man {
        /// Write beadboard.1 and a page per subcommand (beadboard-runs.1, ...) into DIR
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// List runs, active first (then the 5 most recent finished ones, or all with --all)
    Runs {
        /// Show every finished run, not just the 5 most recent
        #[arg(long)]
        all: bool,
        /// Print JSON: an array of manifests (their own keys) with derived facts under "beadboard"
        #[arg(long)]
        json: bool,
    },
    /// Print a run's transcript
    Transcript {
        /// The run: its name as shown ('api #4'), #ID or ID (the current directory's repo first), REPO_ID/ID (REPO_ID may be a unique prefix), or a run directory
        run: String,
        /// Keep printing new entries as they are appended, after the last 10 (Ctrl-C stops)
        #[arg(long, short)]
        follow: bool,
        /// Print JSON: an array of entries (with --follow, one entry per line)
        #[arg(long)]
        json: bool,
        /// Only the last N entries, found from the end of the file (an unreadable line counts)
        #[arg(short = 'n', long = "lines", value_name = "N")]
        last: Option<usize>,
    },
    /// List bead assignments of one session, or of every session
    Assignments {
        /// The tmux session; all sessions when omitted
        session: Option<String>,
        /// Only this status
        #[arg(long, value_name = "S", value_parser = PossibleValuesParser::new(STATUSES))]
        status: Option<String>,
        /// Print JSON: an array of records with their own keys
        #[arg(long)]
        json: bool,
    },
    /// How things stand: runs by state, beads by status, and what needs attention and why
    Status {
        /// One line for a tmux status bar: set -g status-right '#(beadboard status --short)'
        #[arg(long)]
        short: bool,
        /// Print JSON (always every item)
        #[arg(long)]
        json: bool,
        /// List every session and every item needing attention (the text caps each list at 10)
        #[arg(long)]
        all: bool,
    },
    /// Stream events as they happen: run state changes, transcript entries, bead transitions,
    /// attention changes (Ctrl-C stops)
    ///
    /// A `ready` event comes first (after the snapshot, with --snapshot), once every watch is in
    /// place: whatever changes after it is reported, so a script waits for it before acting.
    Watch {
        /// One JSON object per line (for scripts and status bars)
        #[arg(long)]
        json: bool,
        /// Start with the current state as events
        #[arg(long)]
        snapshot: bool,
        /// Leave out transcript entries
        #[arg(long)]
        no_entries: bool,
    },
    /// Speak the host channel protocol on stdin and stdout (run by another beadboard over ssh)
    #[command(hide = true)]
    Serve {
        /// Use stdin and stdout (the only transport: no socket is ever opened)
        #[arg(long, required = true)]
        stdio: bool,
        /// Milliseconds between heartbeats
        #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..))]
        heartbeat_ms: u64,
    },
    /// List this machine and the configured hosts with state, version and latency (each tried once)
    Hosts {
        /// Print JSON: an array of hosts
        #[arg(long)]
        json: bool,
        /// How long to try the hosts (all at once)
        #[arg(long, default_value = "10s", value_parser = duration, value_name = "DURATION")]
        timeout: String,
    },
    /// Where beadboard looks for runs, stores and agent sessions, and what it finds there
    Doctor {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// List sessions with a store, most recently changed first, with counts per status
    Sessions {
        /// Print JSON: an array of sessions with their counts
        #[arg(long)]
        json: bool,
    },
    /// Search every run's transcript for text (as shown: JSON escapes decoded, keys never match)
    Search(SearchArgs),
    /// Count a session's assignments by status
    Stats {
        /// The tmux session
        session: String,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Assign a bead to an agent (replaces any earlier assignment of that bead); on today's NTM
    /// (schema 9) runs `ntm assign S --pane=P --beads=BEAD --json`
    Assign {
        /// The tmux session
        session: String,
        /// The bead id
        bead: String,
        /// The bead's title (required on a schema-1 store; today's NTM reads it from br)
        #[arg(long, value_name = "T")]
        title: Option<String>,
        /// The tmux pane: its index on a schema-1 store; for today's NTM a %N pane id (or N, W.P)
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        pane: String,
        /// claude, codex, gemini, ... (required on a schema-1 store)
        #[arg(long, value_name = "T")]
        agent_type: Option<String>,
        /// The agent's name
        #[arg(long, value_name = "N", default_value = "")]
        agent_name: String,
        /// The prompt that was sent (passed on to `ntm assign --prompt` for today's NTM)
        #[arg(long, value_name = "P", default_value = "")]
        prompt: String,
        /// Print the new record as JSON (today's NTM: NTM's envelope)
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        route: RouteArgs,
    },
    /// assigned -> working (today's NTM: a direct write by NTM's protocol)
    Start(BeadArgs),
    /// working -> completed (today's NTM: requests completion; NTM's watcher finishes it)
    Complete(BeadArgs),
    /// assigned|working -> failed (today's NTM: requests failure; NTM's watcher finishes it)
    Fail {
        #[command(flatten)]
        bead: BeadArgs,
        /// Why it failed (required, as on the board)
        #[arg(long, value_name = "R", value_parser = non_blank)]
        reason: String,
    },
    /// working -> assigned to another pane and agent (today's NTM: `ntm assign --reassign`,
    /// or `--clear` then assign for an assigned bead)
    Reassign {
        #[command(flatten)]
        bead: BeadArgs,
        /// The new tmux pane (an index on a schema-1 store; %N for today's NTM)
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        pane: Option<String>,
        /// The new agent type (today's NTM without --pane: any idle agent of this type)
        #[arg(long, value_name = "T")]
        agent_type: Option<String>,
        /// The new agent name
        #[arg(long, value_name = "N", default_value = "")]
        agent_name: String,
        #[command(flatten)]
        route: RouteArgs,
    },
    /// failed -> assigned (adds one to retry_count; today's NTM: `ntm assign --retry`)
    Retry {
        #[command(flatten)]
        bead: BeadArgs,
        #[command(flatten)]
        route: RouteArgs,
    },
    /// Remove a bead's assignment (today's NTM: `ntm assign --clear`)
    Remove {
        #[command(flatten)]
        bead: BeadArgs,
        #[command(flatten)]
        route: RouteArgs,
        /// Today's NTM: confirm clearing a completed assignment (`ntm assign --clear --force`)
        #[arg(long)]
        force: bool,
    },
}

/// Options of the operations that run `ntm` on today's NTM stores.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct RouteArgs {
    /// Today's NTM (schema 9): print the ntm command line(s) instead of running them
    #[arg(long)]
    pub dry_run: bool,
}

/// `search PATTERN [--repo R] [--since D] [--json]`.
#[derive(Debug, Clone, clap::Args)]
pub struct SearchArgs {
    /// The text to find (smart case: case-sensitive only with an uppercase letter)
    pub pattern: String,
    /// Only runs of this repo: its path, its directory name, or a prefix of its repo id
    #[arg(long, value_name = "R")]
    pub repo: Option<String>,
    /// Only entries since D: a duration back from now (2h, 7d) or a date or time (2026-11-01,
    /// 2026-11-01T09:00:00Z)
    #[arg(long, value_name = "D")]
    pub since: Option<String>,
    /// One JSON object per match and line: kind, name, reference, line, type, time, text, offset
    #[arg(long)]
    pub json: bool,
}

/// A session and a bead.
#[derive(Debug, Clone, clap::Args)]
pub struct BeadArgs {
    /// The tmux session
    pub session: String,
    /// The bead id
    pub bead: String,
    /// Print the resulting record as JSON
    #[arg(long)]
    pub json: bool,
}
