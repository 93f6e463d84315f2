//! Hostile and broken input (issue 6, item 3): broken manifests, transcripts and stores,
//! unreadable files, directories where files should be, and symbolic links leading out of the
//! data roots. Each case group is loaded through the library, the real binary and the
//! dashboard model, and each test proves four things: the problem is reported naming the file
//! and the cause; everything else keeps working; nothing on disk changes unless a command was
//! asked to change it (a snapshot of the whole tree, before and after); and nothing panics.
//!
//! The groups live in `tests/hostile/*.rs` (one test binary, `cargo test --test hostile`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

#[path = "hostile/files.rs"]
mod files;
#[path = "hostile/manifests.rs"]
mod manifests;
#[path = "hostile/stores.rs"]
mod stores;
#[path = "hostile/support.rs"]
mod support;
#[path = "hostile/symlinks.rs"]
mod symlinks;
#[path = "hostile/transcripts.rs"]
mod transcripts;
