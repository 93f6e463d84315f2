//! beadboard: a terminal dashboard for people who run several AI coding agents at once.
//!
//! - [`persist`]: the persistence layer (agentpair runs, NTM assignment stores), no terminal code.
//! - [`events`]: the normalised event model (runs, entries, beads, attention) and its observer.
//! - [`present`]: how things read (times, glyphs, summaries, safe agent text), no terminal code.
//! - [`config`]: data roots and settings (flags > env > config file > defaults).
//! - [`search`]: full-text search of one transcript or of every run's, no terminal code.
//! - [`cli`]: the headless subcommands.
//! - [`app`]: the dashboard's model, keys, updates and event loop.
//! - [`ui`]: the dashboard's views, pure functions of the model and a clock.
//! - [`ntm`]: acting on today's NTM stores through `ntm assign` (plans, command lines, runs).
//! - [`tmux`]: switching the tmux client to a run's session or an assignment's pane, no terminal code.
//! - [`notification`]: delivering notices (bell, desktop notifications, hook command), no terminal UI code.
//! - [`panics`]: panics caught on worker threads and reported, instead of ending the program.
//! - [`process`]: running a child process (tmux, ntm, hooks, pager, editor) with a deadline and a group kill.

pub mod app;
pub mod binding;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod events;
pub mod notification;
pub mod ntm;
pub mod panics;
pub mod persist;
pub mod present;
pub mod process;
pub mod search;
pub mod tmux;
pub mod ui;
