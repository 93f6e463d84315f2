//! beadboard: a terminal dashboard for people who run several AI coding agents at once.
//!
//! - [`persist`]: the persistence layer (agentpair runs, NTM assignment stores), no terminal code.
//! - [`present`]: how things read (times, glyphs, summaries, safe agent text), no terminal code.
//! - [`config`]: data roots and settings (flags > env > config file > defaults).
//! - [`cli`]: the headless subcommands.

pub mod cli;
pub mod config;
pub mod persist;
pub mod present;
