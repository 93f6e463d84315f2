//! beadboard: a terminal dashboard for people who run several AI coding agents at once.
//!
//! - [`persist`]: the persistence layer (agentpair runs, NTM assignment stores), no terminal code.
//! - [`present`]: how things read (times, glyphs, summaries, safe agent text), no terminal code.
//! - [`config`]: data roots and settings (flags > env > config file > defaults).
//! - [`cli`]: the headless subcommands.
//! - [`app`]: the dashboard's model, keys, updates and event loop.
//! - [`ui`]: the dashboard's views, pure functions of the model and a clock.

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod persist;
pub mod present;
pub mod ui;
